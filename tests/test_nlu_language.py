"""The language as data (hub/nlu/language.py): one load, typed, errors with file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hub.config_load import parse_config
from hub.nlu.language import INTENTS_ROOT, LanguageError, load_language
from hub.nlu.normalize import load_lexicon, normalize
from hub.nlu.parser import Parser
from hub.nlu.template_reader import TemplateReader

HOME = """
hub: {name: Flat, area: lounge}
areas:
  - {id: lounge, name: Lounge}
devices:
  - {id: lamp, name: Reading lamp, area: lounge, type: light, features: [brightness], protocol: generic, topic: f/lamp}
"""


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(INTENTS_ROOT / "en", tmp_path / "xx")
    return tmp_path / "xx"


def test_loaded_once_and_shared():
    assert load_language() is load_language("en")
    lang = load_language()
    assert "turn_on" in lang.intents and lang.intents["set_level"].family == "set"
    # the training generator's accessor keeps the file's own values
    assert load_lexicon().raw["number_words"]["half"] == 50


def test_a_bad_value_is_reported_with_file_and_line(tmp_path):
    d = _copy(tmp_path)
    text = (d / "language.yaml").read_text().replace("value_words: [\"on\", \"off\"]", "value_words: [on, off]")
    (d / "language.yaml").write_text(text)
    line = next(i for i, x in enumerate(text.splitlines(), 1) if x.startswith("value_words:"))
    with pytest.raises(LanguageError, match=rf"language.yaml:{line} value_words\[0\]: Input should be a valid string"):
        load_language("xx", tmp_path)


def test_a_subject_form_with_an_unknown_field_is_reported_with_file_and_line(tmp_path):
    d = _copy(tmp_path)
    text = (d / "language.yaml").read_text().replace('room_subject_as: "its {rest} in {room}"',
                                                     'room_subject_as: "its {rest} in {place}"')
    (d / "language.yaml").write_text(text)
    line = next(i for i, x in enumerate(text.splitlines(), 1) if x.startswith("room_subject_as:"))
    with pytest.raises(LanguageError, match=rf"language.yaml:{line} room_subject_as: .*must say {{rest}}.*'place'"):
        load_language("xx", tmp_path)


def test_a_broken_template_and_a_missing_reply_are_reported(tmp_path):
    d = _copy(tmp_path)
    text = (d / "commands.yaml").read_text().replace('"toggle {target}"', '"toggle ({target}"', 1)
    (d / "commands.yaml").write_text(text)
    resp = (d / "responses.yaml").read_text().replace("  toggle: be toggled\n", "")
    (d / "responses.yaml").write_text(resp)
    with pytest.raises(LanguageError) as e:
        load_language("xx", tmp_path)
    msgs = e.value.problems
    assert any("commands.yaml:" in m and "intents.toggle.templates[0]" in m and "missing" in m for m in msgs), msgs
    assert any("responses.yaml:" in m and "'toggle'" in m for m in msgs), msgs


def test_words_are_data_a_new_filler_needs_no_code(tmp_path):
    d = _copy(tmp_path)
    text = (d / "lexicon.yaml").read_text().replace("fillers:\n", "fillers:\n  - zorp\n", 1)
    (d / "lexicon.yaml").write_text(text)
    lang = load_language("xx", tmp_path)
    assert normalize("zorp turn on the lamp", lang) == ["turn", "on", "the", "lamp"]
    parser = Parser(parse_config(HOME, "flat.yaml"), TemplateReader(lang), lang)
    u = parser.parse("zorp turn on the reading lamp", "lounge")
    assert [(c.device, c.action) for c in u.commands] == [("lamp", "turn_on")]
