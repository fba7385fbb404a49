"""Ending an utterance by meaning, with the real models (Silero, whisper tiny.en, the intent model)
on synthetic speech: a pause inside a command never cuts it, a complete command ends early,
background noise and talk that is no command never do.

Each utterance starts with the wake word of samples/01_kitchen_light_on.wav (Piper, pink noise);
the test's own speech (Piper joe or espeak-ng) follows, over that sample's own background noise.
Frames are fed as fast as the loop takes them, so the loop waits for each look-ahead: the strictest
case, where every reading of a pause is ready in time to end the utterance.
"""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest
import soxr
import yaml

from hub.audio.wav import frames, paced, read_wav
from hub.config import BrokerConfig
from hub.config_load import load_config
from hub.types import SAMPLE_RATE

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
pytestmark = pytest.mark.slow

SPEECH_DBFS = -24.0
"""Level of the test's speech, within the samples' range (-28 to -18 dBFS)."""


def _level(x: np.ndarray, dbfs: float) -> np.ndarray:
    rms = np.sqrt(np.mean(x.astype(np.float64) ** 2)) + 1e-9
    return x.astype(np.float64) * (10 ** (dbfs / 20) * 32768 / rms)


def _trim(x: np.ndarray) -> np.ndarray:
    loud = np.flatnonzero(np.abs(x) > 0.02 * np.abs(x).max())
    return x[loud[0]: loud[-1] + 1]


@pytest.fixture(scope="module")
def piper():
    from hub.reply.tts import PiperSpeaker

    speaker = PiperSpeaker(noise_scale=0.0, noise_w_scale=0.0)

    def speak(text: str) -> np.ndarray:
        samples, rate = speaker.synthesize(text)
        return _trim(soxr.resample(samples.astype(np.float32), rate, SAMPLE_RATE))

    return speak


def espeak(text: str, tmp: Path) -> np.ndarray:
    path = tmp / "espeak.wav"
    subprocess.run(["espeak-ng", "-v", "en-us+m3", "-s", "150", "-w", str(path), text], check=True)
    with wave.open(str(path), "rb") as w:
        rate, raw = w.getframerate(), w.readframes(w.getnframes())
    return _trim(soxr.resample(np.frombuffer(raw, np.int16).astype(np.float32), rate, SAMPLE_RATE))


@pytest.fixture
def voice(request, piper, tmp_path):
    return piper if request.param == "piper" else (lambda text: espeak(text, tmp_path))


class Sample01:
    """samples/01: its wake word (with the noise before it) and its noise-only tail."""

    def __init__(self) -> None:
        listing = {s["file"]: s for s in yaml.safe_load((SAMPLES / "samples.yaml").read_text())["samples"]}
        meta = listing["01_kitchen_light_on.wav"]
        audio = read_wav(SAMPLES / meta["file"])
        self.wake = audio[: (meta["wake_end_ms"] + 300) * 16]
        self.noise = audio[(meta["command_end_ms"] + 100) * 16:].astype(np.float64)

    def utterance(self, *parts: np.ndarray | int, noise_gain: float = 1.0) -> np.ndarray:
        """The wake word, then each part: speech (float audio, set to SPEECH_DBFS) or a silence in
        ms, then 2 s of silence; the sample's noise runs under all of it after the wake word."""
        pieces = [_level(p, SPEECH_DBFS) if isinstance(p, np.ndarray) else np.zeros(p * 16) for p in parts]
        after = np.concatenate(pieces + [np.zeros(2000 * 16)])
        after += np.resize(self.noise, len(after)) * noise_gain
        return np.concatenate([self.wake, np.clip(after, -32768, 32767).astype(np.int16)])


@pytest.fixture(scope="module")
def sample01():
    return Sample01()


class RecordingParser:
    """The real parser, keeping every (text, understanding) it gave."""

    def __init__(self, parser):
        self.parser, self.seen = parser, []

    def parse(self, text, area):
        u = self.parser.parse(text, area)
        self.seen.append((text, u))
        return u


@pytest.fixture(scope="module")
def home():
    return load_config(ROOT / "config.yaml")


@pytest.fixture(scope="module")
def stages(home, module_broker):
    from hub.mqtt.link import MqttLink
    from hub.stages import load_stages

    link = MqttLink(BrokerConfig(host=module_broker.host, port=module_broker.port), home.hub.options,
                    client_id="test-endpoint-meaning")
    yield load_stages(home, link)
    link.close()


def pipeline(home, stages, **options):
    """The full set's stages with a RecordingParser; ``options`` change the endpointer's."""
    from hub.pipeline import Pipeline
    from hub.vad.endpointer import Endpointer

    endpointer = Endpointer(home.hub.options.model_copy(update=options), vad=stages.endpointer.vad)
    parser = RecordingParser(stages.parser)
    return Pipeline(stages.wake, endpointer, stages.transcriber, parser, stages.executor, home.hub.area), parser


def commands(turns) -> list[tuple]:
    return [(c.device, c.action, c.value) for t in turns for c in t.understanding.commands]


PAUSED = [
    (("turn on the", "kitchen light"), [("kitchen_light", "turn_on", None)]),
    (("set the heating to", "twenty degrees"), [("thermostat", "set_temperature", 20)]),
    # a command never ends on a word that needs more (language.yaml open_ends)
    (("turn the kitchen light on for", "ten minutes"), [("kitchen_light", "turn_on", None)]),
]


@pytest.mark.parametrize("voice", ["piper", "espeak"], indirect=True)
@pytest.mark.parametrize("parts,expected", PAUSED, ids=lambda x: x[0] if isinstance(x[0], str) else "")
def test_a_pause_inside_a_command_never_cuts_it(home, stages, sample01, voice, parts, expected):
    first, second = parts
    pipe, parser = pipeline(home, stages)
    audio = sample01.utterance(400, voice(first), 600, voice(second))
    turns = list(pipe.run(frames(audio)))
    assert commands(turns) == expected, [t.transcript.text for t in turns]
    assert [t.utterance.reason for t in turns] in (["meaning"], ["silence"])
    # the first part was read during the pause, and was not taken for a whole command
    assert turns[0].pauses_read >= 2 or len(parser.seen) >= 2, parser.seen


@pytest.mark.parametrize("voice", ["piper", "espeak"], indirect=True)
@pytest.mark.parametrize("text,expected", [
    ("turn on the kitchen light", [("kitchen_light", "turn_on", None)]),
    ("set the heating to twenty degrees", [("thermostat", "set_temperature", 20)]),
    ("close the bedroom curtains", [("bedroom_curtains", "close", None)]),
], ids=["kitchen_light", "heating", "curtains"])
def test_a_complete_command_ends_early(home, stages, sample01, voice, text, expected):
    pipe, _ = pipeline(home, stages)
    [turn] = pipe.run(frames(sample01.utterance(400, voice(text))))
    u = turn.utterance
    assert commands([turn]) == expected, turn.transcript.text
    assert u.reason == "meaning" and turn.read_ahead, (turn.transcript, turn.understanding)
    opts = home.hub.options
    assert opts.endpoint_early_ms <= u.end_ms - u.last_voice_ms < opts.endpoint_silence_ms


@pytest.mark.parametrize("noise_gain", [1.0, 10.0, 30.0])
def test_background_noise_never_ends_early(home, stages, sample01, noise_gain):
    pipe, _ = pipeline(home, stages)
    turns = list(pipe.run(frames(sample01.utterance(4000, noise_gain=noise_gain))))
    assert len(turns) == 1 and turns[0].utterance.reason != "meaning"
    assert commands(turns) == []


@pytest.mark.parametrize("voice", ["piper", "espeak"], indirect=True)
def test_talk_that_is_no_command_never_ends_early(home, stages, sample01, voice):
    pipe, _ = pipeline(home, stages)
    audio = sample01.utterance(400, voice("the weather tomorrow will be sunny"), 300, voice("and rather warm"))
    turns = list(pipe.run(frames(audio)))
    assert [t.utterance.reason for t in turns] == ["silence"] and commands(turns) == []


def test_live_a_pause_inside_a_command_never_cuts_it(home, stages, sample01, piper):
    """In real time the look-ahead may or may not be ready before the pause ends; either way the
    command is whole."""
    pipe, _ = pipeline(home, stages)
    audio = sample01.utterance(400, piper("turn on the"), 600, piper("kitchen light"))
    turns = list(pipe.run(paced(frames(audio)), live=True))
    assert commands(turns) == [("kitchen_light", "turn_on", None)], [t.transcript.text for t in turns]


def test_samples_give_the_same_commands_with_and_without_ending_by_meaning(home, stages):
    """samples/: ending by meaning loses no command the full silence gets right."""
    listing = yaml.safe_load((SAMPLES / "samples.yaml").read_text())["samples"]
    by_silence, _ = pipeline(home, stages, endpoint_by_meaning=False)
    by_meaning, _ = pipeline(home, stages, endpoint_by_meaning=True)
    lost = {}
    for s in listing:
        audio = read_wav(SAMPLES / s["file"])
        want = sorted((c["device"], c["action"]) for c in s.get("commands") or [])
        before = sorted(c[:2] for c in commands(by_silence.run(frames(audio))))
        after = sorted(c[:2] for c in commands(by_meaning.run(frames(audio))))
        if before == want and after != want:
            lost[s["file"]] = after
    assert lost == {}
