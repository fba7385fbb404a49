"""A phrase of implied.yaml is found with its articles dropped, as whisper often hears it ("dusty
clean sitting room" for "dusty clean the sitting room"): the articles say nothing of what is asked.
Cases on two homes of tests/nlu_cases, written before the matcher (Parser._says_phrase) changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.config_load import load_config
from hub.nlu import load_parser

CASES = Path(__file__).resolve().parent / "nlu_cases"


@pytest.fixture(scope="module")
def parsers():
    return {h: load_parser(load_config(CASES / f"{h}.yaml")) for h in ("larch_home", "heron_home")}


@pytest.mark.parametrize("home,text,want", [
    ("larch_home", "dustin clean games room", [("dustin", "clean_room", "games_room")]),
    ("larch_home", "clean twins room", [("dustin", "clean_room", "twins_room")]),
    ("larch_home", "get dustin to clean country kitchen", [("dustin", "clean_room", "country_kitchen")]),
    ("larch_home", "water sun terrace", [("lawn_valve", "open", None)]),
    ("heron_home", "dreame clean orangery", [("dreame", "clean_room", "orangery")]),
    ("heron_home", "clean morning room please", [("dreame", "clean_room", "morning_room")]),
    ("heron_home", "water rear garden", [("lawn_soaker", "open", None)]),
])
def test_an_implied_phrase_said_without_its_articles(parsers, home, text, want):
    u = parsers[home].parse(text)
    assert [(c.device, c.action, c.value) for c in u.commands] == want, (text, u.response)
