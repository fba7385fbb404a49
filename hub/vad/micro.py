"""A light voice activity detector for the low-power set: pymicro-vad (no model file, no
onnxruntime), scored in the same 512-sample windows as :class:`hub.vad.silero.SileroVad` so
the endpointer takes either.

pymicro-vad 2.1.0 (https://github.com/rhasspy/pymicro-vad) scores 10 ms chunks (160 samples of
s16 audio) and returns -1 while it warms up; a window's probability is the highest of the chunks
that end inside it.
"""

from __future__ import annotations

import numpy as np
from pymicro_vad import MicroVad

from hub.vad import WINDOW_SAMPLES

CHUNK_SAMPLES = 160
"""10 ms at 16 kHz: what MicroVad.process_10ms takes."""
PREROLL_MS = 700
"""pymicro-vad rises a few hundred ms into speech (Silero within one window): the endpointer
keeps this much audio before the first voiced window so the first word is not cut."""


class MicroVadWindows:
    """Streaming VAD with SileroVad's interface: ``process((n,) int16) -> [prob per 512-sample window]``."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """A new stream: fresh detector state, no leftover samples."""
        self._vad = MicroVad()
        self._pending = np.zeros(0, np.int16)
        self._window_best = 0.0
        self._in_window = 0

    def process(self, samples: np.ndarray) -> list[float]:
        """Score (n,) int16 audio at 16 kHz; the probability (0..1) of each 512-sample window
        completed by this call, in order."""
        audio = np.concatenate([self._pending, samples.astype(np.int16, copy=False)])
        n = len(audio) // CHUNK_SAMPLES
        self._pending = audio[n * CHUNK_SAMPLES:]
        out: list[float] = []
        for i in range(n):
            p = self._vad.process_10ms(audio[i * CHUNK_SAMPLES:(i + 1) * CHUNK_SAMPLES].tobytes())
            self._window_best = max(self._window_best, p)
            self._in_window += CHUNK_SAMPLES
            if self._in_window >= WINDOW_SAMPLES:
                out.append(self._window_best)
                self._in_window -= WINDOW_SAMPLES
                self._window_best = 0.0
        return out
