"""Pronunciations for names the dictionary lacks (hub.asr.g2p), so the grammar keeps them."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.asr import g2p
from hub.asr.grammar import build_grammar, pronounce
from hub.config_load import load_config
from hub.errors import ConfigError
from hub.nlu.language import INTENTS_ROOT

RULES = INTENTS_ROOT / "en" / "letter_sounds.yaml"
REPO = Path(__file__).resolve().parent.parent


def test_missing_words_are_built_from_dictionary_words_or_spelled_out():
    pron = pronounce({"underfloor", "pendants", "sideboard", "roomba", "eufy"}, "en")
    assert pron["underfloor"] == ("AH N D ER F L AO R",)          # under + floor
    assert pron["pendants"] == ("P EH N D AH N T S",)             # pendant + voiceless plural
    assert pron["sideboard"] == ("S AY D B AO R D",)              # side + board, not si + deboard
    assert pron["roomba"][0].startswith("R UW M B")               # room + spelled "ba"
    assert set(pron["eufy"][0].split()) <= g2p.PHONES


def test_every_name_of_the_home_is_in_the_grammar():
    grammar = build_grammar(load_config(REPO / "config.yaml"))
    assert grammar.skipped == ()
    assert grammar.accepts("start the roomba")


def test_a_bad_rules_file_names_file_and_line(tmp_path):
    bad = tmp_path / "letter_sounds.yaml"
    bad.write_text(RULES.read_text().replace('"b": "B"', '"b": "BH"'))
    with pytest.raises(ConfigError) as e:
        g2p.load_letter_sounds(bad)
    line = next(i for i, x in enumerate(bad.read_text().splitlines(), 1) if '"b": "BH"' in x)
    assert f"{bad}:{line} sounds.b: unknown phone(s) BH" in str(e.value)
