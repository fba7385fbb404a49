"""The WebRTC noise front end (hub.wake.frontend) with the real webrtc-noise-gain binding."""

import numpy as np
import pytest

from hub.errors import HubError
from hub.wake.frontend import NoiseFrontEnd

RATE = 16_000


def _noisy_tone(seconds: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(tone, tone + white noise) int16: a 440 Hz tone in its second half over steady noise."""
    rng = np.random.default_rng(seed)
    n = int(seconds * RATE)
    t = np.arange(n) / RATE
    tone = np.where(t >= seconds / 2, 0.2 * np.sin(2 * np.pi * 440 * t), 0.0)
    noise = 0.05 * rng.standard_normal(n)
    to16 = lambda x: np.clip(np.round(x * 32767), -32768, 32767).astype(np.int16)
    return to16(tone), to16(tone + noise)


def _power(x: np.ndarray) -> float:
    return float(np.mean(x.astype(np.float64) ** 2))


def test_suppression_lowers_steady_noise_and_keeps_length():
    _, noisy = _noisy_tone(4.0)
    front = NoiseFrontEnd(noise_suppression=4, auto_gain_dbfs=0)
    out = np.concatenate([front.process(noisy[i:i + 1280]) for i in range(0, len(noisy), 1280)])
    assert out.dtype == np.int16 and out.shape == noisy.shape
    half = len(noisy) // 2
    # the noise alone, after WebRTC has had a second to learn it
    assert _power(out[RATE:half]) < 0.25 * _power(noisy[RATE:half])


def test_level_zero_passes_the_tone():
    tone, _ = _noisy_tone(2.0)
    out = NoiseFrontEnd(0, 0).process(tone)
    half = len(tone) // 2
    assert _power(out[half + 1600:]) > 0.5 * _power(tone[half + 1600:])


def test_bad_settings_and_audio_are_refused():
    with pytest.raises(HubError, match="noise_suppression"):
        NoiseFrontEnd(5, 0)
    with pytest.raises(HubError, match="auto_gain_dbfs"):
        NoiseFrontEnd(1, 40)
    front = NoiseFrontEnd(1, 0)
    with pytest.raises(HubError, match="10 ms chunks"):
        front.process(np.zeros(100, np.int16))
    with pytest.raises(HubError, match="int16"):
        front.process(np.zeros(160, np.float32))
