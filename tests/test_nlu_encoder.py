"""The intent model v2: a fine-tuned pretrained encoder (all-MiniLM-L6-v2), run with onnxruntime."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hub.config_load import load_config
from hub.nlu import load_parser
from hub.nlu.model import IntentModel, latest_model_dir
from hub.nlu.normalize import correct_spelling

REPO = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def model() -> IntentModel:
    return IntentModel()


@pytest.fixture(scope="module")
def maple(model):
    return load_parser(load_config(REPO / "config.yaml"))


def test_active_model_is_the_fine_tuned_encoder_within_budget(model):
    manifest = json.loads((latest_model_dir() / "manifest.json").read_text())
    assert "MiniLM" in manifest["architecture"]
    assert (model.dir / "model.onnx").stat().st_size <= 30e6  # issue 9: model <= 30 MB
    vocab = model.tokenizer.get_vocab()
    assert {"[DEV]", "[AREA]", "[SCENE]"} <= set(vocab) and len(vocab) > 30000  # the pretrained vocabulary


def test_reading_gives_a_distribution_and_one_tag_per_word(model):
    r = model.read("please switch the [DEV] off".split())
    assert r.intent == "turn_off"
    assert abs(sum(p for _, p in r.ranked) - 1.0) < 1e-3
    assert len(r.tags) == 5 and r.tags[3] == "B-DEV"


@pytest.mark.parametrize(("text", "intent"), [
    ("could you extinguish the [DEV]", "turn_off"),        # a verb our phrasings never use
    ("i would love the [DEV] illuminated", "turn_on"),
    ("what is the capital of peru", "none"),
])
def test_pretrained_words_carry_meaning(model, text, intent):
    assert model.read(text.split()).intent == intent


def test_short_misheard_words_never_become_numbers():
    vocab = frozenset({"turn", "toggle"})
    numbers = frozenset({"one", "seventy"})
    fixed = correct_spelling("tone off the tv".split(), vocab, frozenset(), frozenset(), frozenset({"the"}), numbers)
    assert fixed[0] != "one"
    assert correct_spelling(["smventy"], vocab, frozenset(), frozenset(), frozenset(), numbers) == ["seventy"]


@pytest.mark.parametrize(("text", "want"), [
    ("Tone off the TV.", {("tv", "turn_off")}),              # whisper's "turn" heard as "tone"
    ("alexa, would you kindly switch on the desk lamp, thanks", {("desk_lamp", "turn_on")}),
    ("alexa, put the coffee machine on for me", {("coffee_maker", "turn_on")}),
    ("open the living room blinds a little", {("living_blinds", "position_up")}),
])
def test_real_phrasing_on_the_default_home(maple, text, want):
    u = maple.parse(text, "living_room")
    assert {(c.device, c.action) for c in u.commands} == want, u.response


@pytest.mark.parametrize(("home", "text", "want"), [
    ("juniper_home.yaml", "pause the bose", {("bose_speakers", "pause")}),       # a make names the device
    ("juniper_home.yaml", "turn the dyson on", {("dyson_fan", "turn_on")}),
    ("juniper_home.yaml", "put the tv on", {("sony_tv", "turn_on")}),            # not every media player
    ("home_b.yaml", "turn on the swimming pool", set()),                         # not the pool pump
    ("den_home.yaml", "unlock the front door", set()),                           # the "front gate" is no door
    ("willow_home.yaml", "open the winodw", set()),                              # the windows are elsewhere
])
def test_a_device_called_by_part_of_its_name(model, home, text, want):
    from hub.nlu.parser import Parser

    cfg = load_config(REPO / "tests" / "nlu_cases" / home)
    u = Parser(cfg, model).parse(text, "lounge" if home == "willow_home.yaml" else cfg.hub.area)
    assert {(c.device, c.action) for c in u.commands} == want, u.response
