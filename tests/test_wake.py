"""Wake word detection with the real openWakeWord hey_jarvis model on espeak-ng speech."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest

from hub.audio.wav import frames, read_wav
from hub.config import WakeWordConfig
from hub.errors import HubError
from hub.modelset import available_wake_words
from hub.wake.openwakeword import WakeWordDetector


pytestmark = pytest.mark.slow


def speak(tmp_path, text: str) -> np.ndarray:
    """espeak-ng speech as (n,) int16 at 16 kHz."""
    path = tmp_path / "speech.wav"
    subprocess.run(["espeak-ng", "-w", str(path), text], check=True)
    return read_wav(path)


def silence(ms: int) -> np.ndarray:
    return np.zeros(ms * 16, np.int16)


@pytest.fixture(scope="module")
def detector():
    return WakeWordDetector(WakeWordConfig(model="hey_jarvis", threshold=0.5, refractory_ms=2000))


def detections(detector, audio):
    detector.reset()
    return [d for f in frames(audio) if (d := detector.process(f))]


def test_hey_jarvis_is_detected_once(detector, tmp_path):
    audio = np.concatenate([silence(1000), speak(tmp_path, "hey jarvis, turn on the kitchen light"), silence(2000)])
    found = detections(detector, audio)
    assert len(found) == 1
    d = found[0]
    assert d.name == "hey_jarvis" and d.score >= 0.5
    # The wake word is in the first second of speech, which starts at 1000 ms.
    assert 1000 < d.timestamp_ms < 2600


def test_two_wake_words_far_apart_are_two_detections(detector, tmp_path):
    wake = speak(tmp_path, "hey jarvis")
    audio = np.concatenate([silence(500), wake, silence(3000), wake, silence(1000)])
    found = detections(detector, audio)
    assert len(found) == 2
    assert found[1].timestamp_ms - found[0].timestamp_ms >= 2000


def test_refractory_period_suppresses_a_quick_repeat(tmp_path):
    wake = speak(tmp_path, "hey jarvis")
    audio = np.concatenate([silence(500), wake, silence(300), wake, silence(1000)])
    without = WakeWordDetector(WakeWordConfig(model="hey_jarvis", refractory_ms=0))
    strict = WakeWordDetector(WakeWordConfig(model="hey_jarvis", refractory_ms=5000))
    assert len(detections(without, audio)) == 2
    assert len(detections(strict, audio)) == 1


def test_silence_and_noise_do_not_wake(detector):
    rng = np.random.default_rng(0)
    noise = (rng.standard_normal(16000 * 5) * 3000).astype(np.int16)
    assert detections(detector, silence(5000)) == []
    assert detections(detector, noise) == []


def test_command_without_wake_word_does_not_wake(detector, tmp_path):
    audio = np.concatenate([silence(500), speak(tmp_path, "turn on the kitchen light"), silence(1000)])
    assert detections(detector, audio) == []


def test_reset_gives_the_same_scores(detector, tmp_path):
    audio = np.concatenate([silence(500), speak(tmp_path, "hey jarvis"), silence(500)])

    def scores():
        detector.reset()
        out = []
        for f in frames(audio):
            detector.process(f)
            out.append(detector.last_score)
        return out

    np.testing.assert_allclose(scores(), scores(), atol=1e-6)


def test_unknown_wake_word_lists_the_available_ones():
    assert {"alexa", "hey_jarvis", "hey_mycroft", "hey_rhasspy"} <= set(available_wake_words())
    with pytest.raises(HubError, match="hey_siri.*alexa.*hey_jarvis"):
        WakeWordDetector(WakeWordConfig(model="hey_siri"))


def test_every_packaged_wake_word_loads():
    for name in available_wake_words():
        assert WakeWordDetector(WakeWordConfig(model=name)).name == name
