"""A noise front end before the wake word engines: WebRTC's noise suppression and automatic
gain, through rhasspy's binding ``webrtc-noise-gain`` (as wyoming-satellite uses it).

The binding takes 10 ms chunks of 16 kHz mono int16 (320 bytes) and returns the same; every
chunk also goes through WebRTC's high-pass filter. Noise suppression levels are WebRTC's 0 (off)
to 4 (its "very high"); auto gain is WebRTC's target level in dBFS, 0 to 31, 0 off.
Source: https://github.com/rhasspy/webrtc-noise-gain (README).
"""

from __future__ import annotations

import numpy as np

from hub.errors import HubError

CHUNK_SAMPLES = 160
"""The binding's 10 ms chunk at 16 kHz."""


class NoiseFrontEnd:
    """Streams int16 audio through one WebRTC audio processor; keeps its state between calls."""

    def __init__(self, noise_suppression: int, auto_gain_dbfs: int):
        if not 0 <= noise_suppression <= 4:
            raise HubError(f"noise_suppression must be 0..4, got {noise_suppression}")
        if not 0 <= auto_gain_dbfs <= 31:
            raise HubError(f"auto_gain_dbfs must be 0..31, got {auto_gain_dbfs}")
        # Imported here: the binding is a compiled module only the wake word stage needs.
        from webrtc_noise_gain import AudioProcessor

        self.noise_suppression = noise_suppression
        self.auto_gain_dbfs = auto_gain_dbfs
        self._new = lambda: AudioProcessor(auto_gain_dbfs, noise_suppression)
        self._proc = self._new()

    def process(self, samples: np.ndarray) -> np.ndarray:
        """(n,) int16 -> (n,) int16, n a multiple of 160 (an 80 ms frame is 8 chunks). Raises
        HubError on another length or dtype."""
        if samples.dtype != np.int16 or samples.ndim != 1 or len(samples) % CHUNK_SAMPLES:
            raise HubError(f"the noise front end takes 1-D int16 audio in 10 ms chunks of {CHUNK_SAMPLES} "
                           f"samples, got {samples.dtype} of shape {samples.shape}")
        out = np.empty_like(samples)
        for i in range(0, len(samples), CHUNK_SAMPLES):
            chunk = self._proc.Process10ms(samples[i:i + CHUNK_SAMPLES].tobytes())
            out[i:i + CHUNK_SAMPLES] = np.frombuffer(chunk.audio, np.int16)
        return out

    def reset(self) -> None:
        self._proc = self._new()
