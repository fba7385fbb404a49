"""Speech recognition with the real whisper tiny.en model: real human speech (LibriVox,
spoken card names, "go forward ten meters"), the repository's sample commands, and the
hallucination guard on non-speech."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import yaml

from hub.asr import bench
from hub.asr.guard import HallucinationGuard, normalize_text, rms_dbfs
from hub.asr.prompt import PROMPT_MAX_TOKENS, build_prompt, load_prompts, prompt_names, prompt_path, second_vocabulary
from hub.asr.whisper import WhisperTranscriber, vocabulary_from_config
from hub.config_load import load_config, parse_config
from hub.errors import AudioError, HubError
from hub.types import SAMPLE_RATE

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def asr() -> WhisperTranscriber:
    return WhisperTranscriber(vocabulary_from_config(load_config(ROOT / "config.yaml")))


@pytest.fixture(scope="module")
def sample_results(asr):
    return bench.run(asr, bench.sample_clips(SAMPLES))


# ---------------------------------------------------------------- the sample recordings


def test_samples_yaml_matches_the_files_the_home_and_the_wake_word():
    """Every file exists as 16 kHz mono int16 of the stated length; every command names a
    device of config.yaml; the real hey_jarvis model fires on exactly the samples that
    say the wake word (before the command starts), and not on the others."""
    import openwakeword
    from openwakeword.model import Model

    model_file = Path(openwakeword.__file__).parent / "resources" / "models" / "hey_jarvis_v0.1.onnx"
    wake = Model(wakeword_models=[str(model_file)], inference_framework="onnx")
    devices = load_config(ROOT / "config.yaml").device_by_id
    doc = yaml.safe_load((SAMPLES / "samples.yaml").read_text())
    assert doc["rate"] == SAMPLE_RATE and len(doc["samples"]) >= 14
    assert sum((SAMPLES / s["file"]).stat().st_size for s in doc["samples"]) < 4_000_000
    for s in doc["samples"]:
        audio = bench.read_wav(SAMPLES / s["file"])
        assert abs(len(audio) * 1000 // SAMPLE_RATE - s["duration_ms"]) <= 1
        assert all(c["device"] in devices for c in s["commands"]), s["file"]
        assert bool(s["commands"]) == bool(s["wake_word"] and s["text"]), s["file"]
        wake.reset()
        scores = [max(wake.predict(audio[i : i + 1280]).values()) for i in range(0, len(audio) - 1279, 1280)]
        fired = [i for i, x in enumerate(scores) if x > 0.5]
        if s["wake_word"]:
            assert fired, f"{s['file']}: hey_jarvis peak {max(scores):.3f}"
            assert s["command_start_ms"] is None or (fired[0] + 1) * 80 < s["command_start_ms"] + 200
        else:
            assert not fired, f"{s['file']}: hey_jarvis fired without the wake word"


# ---------------------------------------------------------------- real speech


@pytest.fixture(scope="module")
def human_speech(asr) -> dict[str, list[bench.Result]]:
    if not bench.POCKETSPHINX_DATA.is_dir():
        pytest.skip("apt package pocketsphinx-testdata is not installed")
    return {name: bench.run(asr, clips) for name, clips in bench.human_speech_sets().items()}


def test_librivox_human_speech_word_error_rate(human_speech):
    results = human_speech["librivox"]
    assert len(results) == 5
    for r in results:
        print(f"{r.name}: WER {r.wer:.2f} {r.text!r}")
        assert r.wer <= 0.3, f"{r.name}: {r.text!r} vs {r.reference!r}"
    # Measured 0.070: "ill disposed" comes out as "old-sposed" twice.
    assert bench.summary(results)["wer"] < 0.1


def test_short_human_commands(human_speech):
    assert human_speech["goforward"][0].text == "Go forward 10 meters."
    cards = human_speech["cards"]
    for r in cards:
        print(f"{r.name}: WER {r.wer:.2f} {r.text!r}")
    # Measured 0.095: "clubs" heard as "clothes" twice.
    assert len(cards) == 5 and bench.summary(cards)["wer"] < 0.2


def test_sample_commands_are_recognised(sample_results):
    assert len(sample_results) == 17
    exact = [r for r in sample_results if r.wer == 0]
    for r in sample_results:
        print(f"{r.name}: WER {r.wer:.2f} {r.text!r} (said {r.reference!r})")
    # Measured: 11 of 17 exact, WER 0.131; 4 of the 6 misses are espeak voices
    # ("Dimper desk lamp"). Whisper tiny flips words on such voices with small changes of
    # the cut or the prompt, so the bounds leave room for a CPU with other int8 kernels.
    assert len(exact) >= 9
    assert bench.summary(sample_results)["wer"] <= 0.2


def test_prompt_names_the_homes_devices_and_areas(asr):
    """The prompt's effect is measured, not asserted (17 clips are too few): on 90 generated
    commands of this home, WER 0.140 without it and 0.068 with it (see ``build_prompt``)."""
    prompts = load_prompts(prompt_path("en"))
    assert asr.prompt.startswith(prompts.template.split("{names}")[0] + "living room ceiling light, floor lamp, tv,")
    assert asr.ahead_prompt.startswith(prompts.names.split("{names}")[0] + "living room ceiling light, floor lamp, tv,")
    assert ", dining room, " in asr.prompt and ", telly, " in asr.prompt


def test_transcript_is_stripped_and_confident(asr):
    clip = bench.sample_clips(SAMPLES)[0]
    t = asr.transcribe(clip.samples)
    assert t.text == t.text.strip() and t.text
    assert 0.5 < t.confidence <= 1.0
    assert t.language == "en" and t.ms > 0


def test_quiet_speech_passes_the_energy_gate(asr):
    clip = bench.sample_clips(SAMPLES)[0]
    quiet = np.round(clip.samples * 10 ** (-15 / 20)).astype(np.int16)
    assert -50 < rms_dbfs(quiet) < -40
    assert bench.word_error_rate(clip.reference, asr.transcribe(quiet).text) == 0


# ---------------------------------------------------------------- non-speech -> ""


def _coloured_noise(n: int, exponent: float, rng: np.random.Generator) -> np.ndarray:
    """Unit-peak noise with power spectrum 1/f**exponent (0 white, 1 pink, 2 brown)."""
    f = np.fft.rfftfreq(n)
    f[0] = f[1]
    x = np.fft.irfft((rng.standard_normal(f.size) + 1j * rng.standard_normal(f.size)) / f ** (exponent / 2), n)
    return x / np.abs(x).max()


def _int16(x: np.ndarray, dbfs_peak: float) -> np.ndarray:
    return np.round(x / np.abs(x).max() * 32767 * 10 ** (dbfs_peak / 20)).astype(np.int16)


def _non_speech() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(3)
    n = 3 * SAMPLE_RATE
    t = np.arange(n) / SAMPLE_RATE
    return {
        "digital silence": np.zeros(n, np.int16),
        "dither": rng.integers(-3, 4, n).astype(np.int16),
        "white noise": _int16(rng.standard_normal(n), -10),
        "quiet white noise": _int16(rng.standard_normal(n), -35),
        "pink noise": _int16(_coloured_noise(n, 1, rng), -6),
        "brown noise": _int16(_coloured_noise(n, 2, rng), -6),
        "440 Hz tone": _int16(np.sin(2 * np.pi * 440 * t), -10),
        "1 kHz tone": _int16(np.sin(2 * np.pi * 1000 * t), -20),
        "mains hum": _int16(np.sin(2 * np.pi * 50 * t) + 0.3 * np.sin(2 * np.pi * 150 * t), -12),
        "clicks": _int16((rng.random(n) < 0.001).astype(float) - 0.0005, -3),
        "chirp": _int16(np.sin(2 * np.pi * np.cumsum(np.linspace(200, 2000, n)) / SAMPLE_RATE), -15),
        "short blip": _int16(rng.standard_normal(800), -20),
        "empty": np.zeros(0, np.int16),
    }


@pytest.mark.parametrize("name", list(_non_speech()))
def test_non_speech_gives_empty_transcript(asr, name):
    t = asr.transcribe(_non_speech()[name])
    assert t.text == "", f"{name}: invented {t.text!r}"
    assert t.confidence == 0.0


def test_wake_word_then_room_noise_gives_empty_transcript(asr):
    doc = yaml.safe_load((SAMPLES / "samples.yaml").read_text())
    entry = next(s for s in doc["samples"] if s["wake_word"] and not s["text"])
    audio = bench.read_wav(SAMPLES / entry["file"])
    t = asr.transcribe(audio[entry["wake_detect_ms"] * SAMPLE_RATE // 1000 :])
    assert t.text == "" and t.confidence == 0.0


# ---------------------------------------------------------------- guard logic (fake segments)


@dataclass
class FakeSegment:
    text: str
    avg_logprob: float = -0.2
    no_speech_prob: float = 0.05
    compression_ratio: float = 0.8


def test_guard_rejects_each_signal():
    g = HallucinationGuard()
    assert g.filter([FakeSegment(" Turn on the kitchen light.")])
    assert not g.filter([FakeSegment(" Turn on the light.", no_speech_prob=0.9, avg_logprob=-0.8)])
    assert not g.filter([FakeSegment(" Turn on the light.", avg_logprob=-1.3)])
    assert not g.filter([FakeSegment(" light light light light", compression_ratio=3.1)])
    assert not g.filter([FakeSegment(" Thanks for watching!")])
    assert not g.filter([FakeSegment(" .")])
    assert not g.filter([FakeSegment(" you"), FakeSegment(" ...")])


def test_guard_keeps_confident_speech_despite_high_no_speech_prob():
    assert HallucinationGuard().filter([FakeSegment(" Lock the front door.", no_speech_prob=0.8, avg_logprob=-0.1)])


def test_rms_gate_levels():
    assert rms_dbfs(np.zeros(100, np.int16)) == float("-inf")
    assert rms_dbfs(np.full(100, 32767, np.int16)) == pytest.approx(0, abs=0.01)
    assert normalize_text(" Thank you!! ") == "thank you"


# ---------------------------------------------------------------- vocabulary and input checks


def test_vocabulary_from_config_orders_names_then_aliases_once():
    cfg = parse_config("""
areas: [{id: den, name: Den, aliases: [snug]}]
devices:
  - {id: a, name: Reading Lamp, aliases: [lamp, reading lamp], area: den, type: light, protocol: tasmota, topic: a}
  - {id: b, name: Den fan, aliases: [den], type: fan, protocol: tasmota, topic: b}
""")
    assert vocabulary_from_config(cfg) == ["Reading Lamp", "Den fan", "Den", "lamp", "snug"]


def test_prompt_names_the_home_and_fits_whispers_prompt_window(asr):
    tokens = lambda text: len(asr.model.hf_tokenizer.encode(" " + text).ids)
    template = "Turn on, dim. Commands for the {names}."
    assert build_prompt([], tokens, template) is None
    assert build_prompt(["Kitchen light", "TV"], tokens, template) == "Turn on, dim. Commands for the kitchen light, tv."
    long = build_prompt([f"Nebuchadnezzar zeugma {i}" for i in range(200)], tokens, template)
    assert long.startswith("Turn on, dim. Commands for the nebuchadnezzar zeugma 0, ")
    assert PROMPT_MAX_TOKENS - 15 < tokens(long) <= PROMPT_MAX_TOKENS
    assert long.endswith(".") and tokens(asr.prompt) <= PROMPT_MAX_TOKENS


def test_a_second_opinion_is_prompted_first_with_the_names_the_first_had_no_room_for():
    """A large home's prompt holds a third of its names; the second opinion, asked where the first
    heard no sure command, is prompted with the others first (hub.asr.prompt.second_vocabulary)."""
    tokens = lambda text: len(text.split())
    names = [f"Name{i}" for i in range(40)]
    first = prompt_names(names, tokens, "Commands for the {names}.", max_tokens=20)
    assert first == [f"name{i}" for i in range(17)]
    assert second_vocabulary(names, first) == names[17:] + names[:17]
    assert second_vocabulary(["Den fan", "TV"], ["den fan", "tv"]) == ["Den fan", "TV"]


@pytest.mark.parametrize("bad", [np.zeros(100, np.float32), np.zeros((2, 100), np.int16), [0, 1, 2]])
def test_wrong_audio_is_a_clear_error(asr, bad):
    with pytest.raises(AudioError, match="int16"):
        asr.transcribe(bad)


@pytest.mark.parametrize("text, problem", [
    ("template: Turn on the lights.\nnames: '{names}'\n", "{names} exactly once"),
    ("template: '{names}'\nnames: '{names} and {names}'\n", "{names} exactly once"),
    ("template: '{names}'\nnames: '{names}'\nverbs: [dim]\n", "verbs"),
    ("template: 'For the {names}.'\n", "names: Field required"),
    ("template: [unclosed\n", "asr_prompt.yaml:"),
])
def test_a_bad_prompt_file_says_what_and_where(tmp_path, text, problem):
    path = tmp_path / "asr_prompt.yaml"
    path.write_text(text)
    with pytest.raises(HubError, match="asr_prompt.yaml") as e:
        load_prompts(path)
    assert problem in str(e.value)


def test_an_unreadable_prompt_file_is_named(tmp_path):
    with pytest.raises(HubError, match="asr_prompt.yaml: cannot read"):
        load_prompts(tmp_path / "asr_prompt.yaml")


def test_saved_decodes_round_trip_compressed_with_the_homes_path_relative(tmp_path, monkeypatch):
    """bench-out/decoded/<set>.json.gz: decodes judged again from another checkout (``--decoded``)."""
    from hub.asr.bench import read_decoded, write_decoded

    monkeypatch.chdir(tmp_path)
    (tmp_path / "tests").mkdir()
    home = tmp_path / "tests" / "home.yaml"
    decoded = [{"id": "x-000", "home": str(home), "model": "tiny.en-home", "plain": [{"text": "Turn on the lamp."}]},
               {"id": "x-000", "home": "/elsewhere/home.yaml", "model": "base", "plain": []}]
    write_decoded(tmp_path / "d.json.gz", decoded)
    back = read_decoded(tmp_path / "d.json.gz")
    assert [d["home"] for d in back] == ["tests/home.yaml", "/elsewhere/home.yaml"]
    assert back[0]["plain"] == decoded[0]["plain"]
    write_decoded(tmp_path / "d.json", decoded)  # plain JSON where the name says so
    assert read_decoded(tmp_path / "d.json")[1] == decoded[1]


def test_a_clip_said_to_a_speaker_in_a_room_is_read_there():
    """A held-out case with an ``area`` was said to a speaker in that room: the bench reads what is
    heard there, as that speaker's audio loop does (the hub's room before: "turn the light off down
    here" under the house turned off the kitchen's)."""
    from hub.asr.bench import evaluate

    home = "tests/asr_cases/blind63/townsville.yaml"
    hyp = {"text": "Turn the light off down here.", "avg_logprob": -0.1, "no_speech_prob": 0.01, "compression_ratio": 1.0}
    clip = {"id": "x-000", "home": home, "text": "turn the light off down here", "voice": "v", "family": "piper",
            "noise": "clean", "model": "tiny.en-home", "plain": [hyp], "nbest": [hyp], "ms": {"nbest": 1.0},
            "commands": [{"device": "under_house_light", "action": "turn_off"}]}
    rows = {r["area"]: r for r in (evaluate([clip | {"area": area}], -1.0, steps=("rescore",))[0] | {"area": area}
                                    for area in ("under_house", None))}
    assert rows["under_house"]["commands"] == [{"device": "under_house_light", "action": "turn_off"}]
    assert rows["under_house"]["outcome"] == "right"
    assert rows[None]["outcome"] == "wrong"  # the hub's own room, the kitchen, where no area is given
