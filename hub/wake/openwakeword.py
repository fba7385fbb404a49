"""Wake word detection with openWakeWord 0.5.1's packaged ONNX models, run by our own loop.

openWakeWord turns each 80 ms frame into melspectrogram frames, then a speech embedding, then
a per-wake-word score (0..1); see
https://github.com/dscripka/openWakeWord/tree/v0.5.1#usage. We run its three kinds of ONNX file
directly with onnxruntime (:class:`_Features`, :class:`WakeWordDetector`) with the arithmetic of
its ``AudioFeatures._streaming_features`` and ``Model.predict`` (utils.py, model.py), so the
scores equal the library's and models/wake/thresholds.yaml, chosen on them, still holds. The
package itself is not imported: its ``__init__`` loads scikit-learn and scipy for a verifier
we do not use (~95 MB RSS, 1.2 s), and its ``Model`` copies its 10 s audio history to a list on
every frame. It stays a dependency because it carries the model files. Every model file goes
through hub.modelset, so a changed file is refused before it is loaded.
"""

from __future__ import annotations

import numpy as np
import onnxruntime as ort

from hub import modelset
from hub.config import WakeWordConfig
from hub.errors import HubError
from hub.modelset import WAKE_GROUP
from hub.types import FRAME_MS, FRAME_SAMPLES, AudioFrame, WakeDetection
from hub.wake.thresholds import full_set_thresholds
from hub.wake.trigger import Trigger

CONTEXT_SAMPLES = 480
"""Audio before the frame that the melspectrogram model also reads (3 hops of 160 samples), so
1760 samples give 8 whole 10 ms mel frames per 80 ms frame."""
MEL_BINS = 32
EMBEDDING_WINDOW = 76
"""Mel frames (760 ms) one speech embedding reads."""
EMBEDDING_STEP = 8
"""Mel frames between embeddings: one 80 ms frame."""
EMBEDDING_DIM = 96
WARMUP_PREDICTIONS = 5
"""openWakeWord reports 0 for a model until its history holds 5 predictions (``Model.predict``)."""
SEED_NOISE_SAMPLES = 4 * 16_000
"""openWakeWord seeds its embedding history with embeddings of 4 s of uniform noise in
[-1000, 1000); a classifier reads some of them for its first frames."""
SEED = 0
"""Our noise is drawn from a seeded generator (the library's is unseeded), so the first frames'
scores are the same on every start."""


def _session(path) -> ort.InferenceSession:
    """One CPU thread per session, as openWakeWord sets up its sessions. (Without onnxruntime's
    CPU memory arena the detector took no less memory and no less CPU: it stays on.)"""
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])


class _Features:
    """The embedding history of a 16 kHz int16 stream, one embedding per 80 ms frame.

    ``embeddings`` is ``(history, 96) float32``, oldest row first: what the wake word
    classifiers read. Buffers are allocated once; each frame shifts them by its new rows.
    """

    def __init__(self, history: int):
        self._melspec = _session(modelset.packaged_file("openwakeword/melspectrogram"))
        self._embedding = _session(modelset.packaged_file("openwakeword/embedding"))
        self._audio = np.zeros((1, FRAME_SAMPLES + CONTEXT_SAMPLES), np.float32)
        self._mel = np.empty((EMBEDDING_WINDOW, MEL_BINS), np.float32)
        self.embeddings = np.empty((history, EMBEDDING_DIM), np.float32)
        self._seed = self._noise_embeddings(history)
        self.reset()

    def reset(self) -> None:
        """The state openWakeWord starts from: no audio, a melspectrogram of ones, noise embeddings."""
        self._heard = 0
        self._mel.fill(1.0)
        self.embeddings[:] = self._seed

    def push(self, samples: np.ndarray) -> None:
        """Add one frame ((1280,) int16) and compute its embedding."""
        audio = self._audio
        audio[0, :-FRAME_SAMPLES] = audio[0, FRAME_SAMPLES:]
        audio[0, -FRAME_SAMPLES:] = samples
        # the library reads at most the frame and its context, fewer on the first frame (5 mel rows, not 8)
        self._heard = min(self._heard + FRAME_SAMPLES, audio.shape[1])
        spec = self._melspectrogram(audio[:, -self._heard:])
        new = len(spec)
        self._mel[:-new] = self._mel[new:]
        self._mel[-new:] = spec
        self.embeddings[:-1] = self.embeddings[1:]
        self.embeddings[-1] = self._embed(self._mel[None, :, :, None])

    def _melspectrogram(self, audio: np.ndarray) -> np.ndarray:
        """``(1, n) float32`` samples -> ``(frames, 32)``, with openWakeWord's ``x/10 + 2``, which
        brings the ONNX melspectrogram closer to the TensorFlow one the embedding model was trained on."""
        spec = self._melspec.run(None, {"input": audio})[0][0, 0]
        return spec / 10 + 2

    def _embed(self, windows: np.ndarray) -> np.ndarray:
        """``(n, 76, 32, 1) float32`` mel windows -> ``(n, 96)`` embeddings."""
        return self._embedding.run(None, {"input_1": windows})[0][:, 0, 0]

    def _noise_embeddings(self, history: int) -> np.ndarray:
        """The last ``history`` embeddings of openWakeWord's seed noise (windows every 8 mel
        frames), computed one window at a time as the stream does."""
        rng = np.random.default_rng(SEED)
        noise = rng.integers(-1000, 1000, SEED_NOISE_SAMPLES).astype(np.int16).astype(np.float32)
        spec = self._melspectrogram(noise[None])
        starts = range(0, len(spec) - EMBEDDING_WINDOW + 1, EMBEDDING_STEP)[-history:]
        return np.concatenate([self._embed(spec[None, s:s + EMBEDDING_WINDOW, :, None]) for s in starts])


class WakeWordDetector:
    """Streams 80 ms frames through one openWakeWord model (and ``also`` models, scored from the
    same features for ``hub bench wake``).

    Frame scores go through a :class:`hub.wake.trigger.Trigger` (``cfg.threshold``, else the
    model's in models/wake/thresholds.yaml,
    ``cfg.smoothing_frames``, ``cfg.refractory_ms``): a detection is the rising edge of the
    smoothed score through the threshold, then none for the refractory period, which also
    covers a score that dips and rises again within one wake word.

    Raises HubError if ``cfg.model`` is not a packaged wake word (the message lists
    the available ones), ModelIntegrityError if a model file does not match
    models/manifest.json.
    """

    def __init__(self, cfg: WakeWordConfig, also: tuple[str, ...] = ()):
        names = modelset.available_wake_words()
        for name in (cfg.model, *also):
            if name not in names:
                raise HubError(f"wake word model {name!r} is not available; choose one of: {', '.join(names)}")
        self.name = cfg.model
        threshold = cfg.threshold if cfg.threshold is not None else full_set_thresholds(cfg.model).openwakeword
        self.trigger = Trigger(threshold, cfg.smoothing_frames, cfg.refractory_ms)
        self._models = {n: _session(modelset.packaged_file(f"{WAKE_GROUP}/{n}")) for n in dict.fromkeys((cfg.model, *also))}
        # each classifier reads its last N embeddings, N from its input shape (1, N, 96)
        self._inputs = {n: (s.get_inputs()[0].name, s.get_inputs()[0].shape[1]) for n, s in self._models.items()}
        self._features = _Features(max(n for _, n in self._inputs.values()))
        # Model.predict appends every model's prediction again to its history after each later model
        # in its loop, so the i-th of n models fills its 5 warm-up slots n - i times faster
        self._warmup = {name: -(-WARMUP_PREDICTIONS // (len(self._models) - i)) for i, name in enumerate(self._models)}
        self._frames = 0
        self.last_score = 0.0
        """Score of the last frame processed, 0..1."""
        self.last_scores: dict[str, float] = {}
        """Every model's score of the last frame (``also`` models too, which share the audio
        features: ``hub bench wake`` scores two wake words for little more than one)."""

    @property
    def threshold(self) -> float:
        return self.trigger.threshold

    def score(self, frame: AudioFrame) -> float:
        """The model's score (0..1) of one frame ((1280,) int16 at 16 kHz), unsmoothed.
        Raises HubError for a frame of another shape or type."""
        if frame.samples.shape != (FRAME_SAMPLES,) or frame.samples.dtype != np.int16:
            raise HubError(f"wake word: expected a frame of {FRAME_SAMPLES} int16 samples, "
                           f"got {frame.samples.dtype} {frame.samples.shape}")
        self._features.push(frame.samples)
        self._frames += 1
        embeddings = self._features.embeddings
        scores = {}
        for name, session in self._models.items():
            key, n = self._inputs[name]
            score = float(session.run(None, {key: embeddings[None, -n:]})[0][0, 0])
            scores[name] = score if self._frames > self._warmup[name] else 0.0
        self.last_scores = scores
        self.last_score = scores[self.name]
        return self.last_score

    def process(self, frame: AudioFrame) -> WakeDetection | None:
        """Score one frame ((1280,) int16 at 16 kHz).

        Returns a WakeDetection (the smoothed score that reached the threshold,
        timestamp = end of that frame, stream ms) or None.
        """
        end_ms = frame.timestamp_ms + FRAME_MS
        fired = self.trigger.update(self.score(frame), end_ms)
        if fired is None:
            return None
        return WakeDetection(name=self.name, score=fired, timestamp_ms=end_ms)

    def reset(self) -> None:
        """Start a new stream: clear scores, audio features and the refractory period."""
        self._features.reset()
        self._frames = 0
        self.last_score = 0.0
        self.trigger.reset()
