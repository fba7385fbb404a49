"""Issue 9's kinds on the Willow home (tests/nlu_cases/willow_home.yaml, which training never saw):
time phrases, group questions, colour temperature, relative amounts, numbers, implied devices,
type words, refusals and ambiguity questions."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.config import load_config
from hub.nlu import load_parser
from hub.nlu.language import load_language
from hub.nlu.normalize import normalize
from hub.nlu.times import time_phrase

HOME = Path(__file__).parent / "nlu_cases" / "willow_home.yaml"


@pytest.fixture(scope="module")
def parser():
    return load_parser(load_config(HOME))


def _cmds(u) -> list[tuple]:
    return [(c.device, c.action, c.value) for c in u.commands]


@pytest.mark.parametrize("text", [
    "turn off the lights in ten minutes", "turn on the pendant for 10 minutes", "set the bedroom blind to open at 7 am",
    "turn on the hall light until eight", "open the lounge curtains every morning", "switch the television off in half an hour",
    "turn on the desk lamp at half past six", "in 5 minutes turn off the kettle", "dim the pendant to 20 percent for an hour",
    "Turn on the hall light at 7 a.m.",
])
def test_a_time_phrase_is_never_a_value_and_the_command_is_refused_with_why(parser, text):
    u = parser.parse(text, "lounge")
    assert u.commands == () and "timers" in u.response
    assert u.intent is not None  # what would have been done, for when timers exist


@pytest.mark.parametrize("text", ["set the pendant to 10 percent", "put the pendant at 40", "turn on the lights in the study",
                                  "turn up the volume by 20 percent"])
def test_numbers_and_places_are_not_time_phrases(text):
    lang = load_language()
    assert time_phrase(normalize(text, lang), lang) is None
