"""Wake word detection with openWakeWord 0.5.1 and its packaged ONNX models.

openWakeWord turns each 80 ms frame into a melspectrogram, then a speech
embedding, then a per-wake-word score (0..1); see
https://github.com/dscripka/openWakeWord/tree/v0.5.1#usage. Every model file
goes through hub.modelset, so a changed file is refused before it is loaded.
"""

from __future__ import annotations

import copy
from collections import deque

from hub import modelset
from hub.config import WakeWordConfig
from hub.errors import HubError
from hub.types import FRAME_MS, FRAME_SAMPLES, AudioFrame, WakeDetection

RAW_BUFFER_SAMPLES = 16_000
"""Audio history openWakeWord keeps; it reads only the last frame + 480 samples of it."""
WAKE_GROUP = "wake"
"""Manifest group of the wake word models: ``wake/<name>``."""


def available_wake_words() -> list[str]:
    """Names usable as ``hub.wake_word.model``, e.g. ``['alexa', 'hey_jarvis', ...]``."""
    return [k.split("/", 1)[1] for k in modelset.group_keys(WAKE_GROUP)]


class WakeWordDetector:
    """Streams 80 ms frames through one openWakeWord model.

    A detection is reported on the first frame whose score reaches
    ``cfg.threshold`` after a frame below it (a spoken wake word stays above the
    threshold for several frames, and fires once); then none for
    ``cfg.refractory_ms`` of stream time, which also covers a score that dips and
    rises again within one wake word.

    Raises HubError if ``cfg.model`` is not a packaged wake word (the message lists
    the available ones), ModelIntegrityError if a model file does not match
    models/manifest.json.
    """

    def __init__(self, cfg: WakeWordConfig):
        names = available_wake_words()
        if cfg.model not in names:
            raise HubError(f"wake word model {cfg.model!r} is not available; choose one of: {', '.join(names)}")
        self.name = cfg.model
        self.threshold = cfg.threshold
        self.refractory_ms = cfg.refractory_ms
        model_path = modelset.packaged_file(f"{WAKE_GROUP}/{cfg.model}")
        melspec = modelset.packaged_file("openwakeword/melspectrogram")
        embedding = modelset.packaged_file("openwakeword/embedding")
        # Imported here: openwakeword pulls in scipy and sklearn, which the text-only commands do not need.
        from openwakeword.model import Model

        self._model = Model(
            wakeword_models=[str(model_path)],
            inference_framework="onnx",
            melspec_model_path=str(melspec),
            embedding_model_path=str(embedding),
        )
        (self._key,) = self._model.models.keys()
        # openWakeWord copies its whole 10 s raw-audio deque to a list on every frame
        # (utils.py, _streaming_melspectrogram): a third of its CPU time. It only needs
        # the tail, so a 1 s deque gives the same scores for less.
        self._model.preprocessor.raw_data_buffer = deque(maxlen=RAW_BUFFER_SAMPLES)
        # openWakeWord's reset() clears only its score history; its feature buffers
        # (seeded with random noise at construction) are restored from this snapshot.
        self._initial_features = self._feature_state()
        self.last_score = 0.0
        """Score of the last frame processed, 0..1."""
        self._last_detection_ms: int | None = None
        self._above = False

    def _feature_state(self) -> dict:
        pre = self._model.preprocessor
        return copy.deepcopy({
            "raw_data_buffer": pre.raw_data_buffer,
            "melspectrogram_buffer": pre.melspectrogram_buffer,
            "accumulated_samples": pre.accumulated_samples,
            "raw_data_remainder": pre.raw_data_remainder,
            "feature_buffer": pre.feature_buffer,
        })

    def process(self, frame: AudioFrame) -> WakeDetection | None:
        """Score one frame ((1280,) int16 at 16 kHz).

        Returns a WakeDetection (score of the frame that reached the threshold,
        timestamp = end of that frame, stream ms) or None.
        """
        if frame.samples.shape != (FRAME_SAMPLES,):
            raise HubError(f"wake word: expected a frame of {FRAME_SAMPLES} samples, got shape {frame.samples.shape}")
        score = float(self._model.predict(frame.samples)[self._key])
        self.last_score = score
        end_ms = frame.timestamp_ms + FRAME_MS
        rising = score >= self.threshold and not self._above
        self._above = score >= self.threshold
        if not rising:
            return None
        if self._last_detection_ms is not None and end_ms - self._last_detection_ms < self.refractory_ms:
            return None
        self._last_detection_ms = end_ms
        return WakeDetection(name=self.name, score=score, timestamp_ms=end_ms)

    def reset(self) -> None:
        """Start a new stream: clear scores, audio features and the refractory period."""
        self._model.reset()
        for attr, value in copy.deepcopy(self._initial_features).items():
            setattr(self._model.preprocessor, attr, value)
        self.last_score = 0.0
        self._last_detection_ms = None
        self._above = False
