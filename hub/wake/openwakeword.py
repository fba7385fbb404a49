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
from hub.modelset import WAKE_GROUP
from hub.types import FRAME_MS, FRAME_SAMPLES, AudioFrame, WakeDetection
from hub.wake.thresholds import full_set_thresholds
from hub.wake.trigger import Trigger

RAW_BUFFER_SAMPLES = 16_000
"""Audio history openWakeWord keeps; it reads only the last frame + 480 samples of it."""


class WakeWordDetector:
    """Streams 80 ms frames through one openWakeWord model.

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
        model_paths = [str(modelset.packaged_file(f"{WAKE_GROUP}/{n}")) for n in dict.fromkeys((cfg.model, *also))]
        melspec = modelset.packaged_file("openwakeword/melspectrogram")
        embedding = modelset.packaged_file("openwakeword/embedding")
        # Imported here: openwakeword pulls in scipy and sklearn, which the text-only commands do not need.
        from openwakeword.model import Model

        self._model = Model(
            wakeword_models=model_paths,
            inference_framework="onnx",
            melspec_model_path=str(melspec),
            embedding_model_path=str(embedding),
        )
        # openWakeWord keys its models by file stem (hey_jarvis_v0.1); ours are the names
        self._names = dict(zip(self._model.models.keys(), dict.fromkeys((cfg.model, *also))))
        # openWakeWord copies its whole 10 s raw-audio deque to a list on every frame
        # (utils.py, _streaming_melspectrogram): a third of its CPU time. It only needs
        # the tail, so a 1 s deque gives the same scores for less.
        self._model.preprocessor.raw_data_buffer = deque(maxlen=RAW_BUFFER_SAMPLES)
        # openWakeWord's reset() clears only its score history; its feature buffers
        # (seeded with random noise at construction) are restored from this snapshot.
        self._initial_features = self._feature_state()
        self.last_score = 0.0
        """Score of the last frame processed, 0..1."""
        self.last_scores: dict[str, float] = {}
        """Every model's score of the last frame (``also`` models too, which share the audio
        features: ``hub bench wake`` scores two wake words for little more than one)."""

    def _feature_state(self) -> dict:
        pre = self._model.preprocessor
        return copy.deepcopy({
            "raw_data_buffer": pre.raw_data_buffer,
            "melspectrogram_buffer": pre.melspectrogram_buffer,
            "accumulated_samples": pre.accumulated_samples,
            "raw_data_remainder": pre.raw_data_remainder,
            "feature_buffer": pre.feature_buffer,
        })

    @property
    def threshold(self) -> float:
        return self.trigger.threshold

    def score(self, frame: AudioFrame) -> float:
        """The model's score (0..1) of one frame ((1280,) int16 at 16 kHz), unsmoothed.
        Raises HubError for a frame of another shape."""
        if frame.samples.shape != (FRAME_SAMPLES,):
            raise HubError(f"wake word: expected a frame of {FRAME_SAMPLES} samples, got shape {frame.samples.shape}")
        scores = self._model.predict(frame.samples)
        self.last_scores = {name: float(scores[key]) for key, name in self._names.items()}
        self.last_score = self.last_scores[self.name]
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
        self._model.reset()
        for attr, value in copy.deepcopy(self._initial_features).items():
            setattr(self._model.preprocessor, attr, value)
        self.last_score = 0.0
        self.trigger.reset()
