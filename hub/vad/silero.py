"""Silero VAD v6 on onnxruntime (no torch): speech probability per 32 ms window.

The model is the ``silero_vad_v6.onnx`` that faster-whisper ships (the same file
``faster_whisper/vad.py`` runs). Its graph, as checked with onnxruntime:
``input`` float32 [windows, 576] (64 samples of context from the previous window,
then 512 new samples, in [-1, 1]), ``h`` and ``c`` float32 [1, 1, 128] (LSTM state
carried across the windows of a call and between calls), outputs
``speech_probs`` [windows], ``hn``, ``cn``. Model source:
https://github.com/snakers4/silero-vad
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime as ort

from hub import modelset
from hub.vad import WINDOW_SAMPLES

CONTEXT_SAMPLES = 64
WINDOW_MS = WINDOW_SAMPLES * 1000 // 16_000


class SileroVad:
    """Streaming Silero VAD. Feed any number of samples; get one probability per
    complete 512-sample window, with leftover samples kept for the next call.

    Raises ModelIntegrityError (from hub.modelset) if the model file does not match
    the manifest.
    """

    def __init__(self, model_path: Path | None = None):
        path = model_path or modelset.packaged_file("silero_vad/model")
        opts = ort.SessionOptions()
        # One thread: a 32 ms window costs well under a millisecond, and the other core runs ASR.
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        self._session = ort.InferenceSession(str(path), sess_options=opts, providers=["CPUExecutionProvider"])
        self.reset()

    def reset(self) -> None:
        """Forget the LSTM state, the context and any leftover samples (a new stream)."""
        self._h = np.zeros((1, 1, 128), np.float32)
        self._c = np.zeros((1, 1, 128), np.float32)
        self._context = np.zeros(CONTEXT_SAMPLES, np.float32)
        self._pending = np.zeros(0, np.float32)

    def process(self, samples: np.ndarray) -> list[float]:
        """Score (n,) int16 audio at 16 kHz.

        Returns the speech probability (0..1) of each 512-sample window completed
        by this call, in order; samples that do not fill a window wait for the
        next call.
        """
        audio = np.concatenate([self._pending, samples.astype(np.float32) / 32768.0])
        n = len(audio) // WINDOW_SAMPLES
        self._pending = audio[n * WINDOW_SAMPLES :]
        if n == 0:
            return []
        windows = audio[: n * WINDOW_SAMPLES].reshape(n, WINDOW_SAMPLES)
        context = np.vstack([self._context[None, :], windows[:-1, -CONTEXT_SAMPLES:]])
        batch = np.hstack([context, windows])
        probs, self._h, self._c = self._session.run(None, {"input": batch, "h": self._h, "c": self._c})
        self._context = windows[-1, -CONTEXT_SAMPLES:].copy()
        return [float(p) for p in np.ravel(probs)]
