"""Wake word detectors for Wyoming ``detect`` streams: both engines, every packaged wake word.

Each stream needs its own detector (a detector holds its stream's audio features and trigger
state); loading one takes a fraction of a second, so detectors are kept in a pool and reset
between streams rather than loaded per connection.
"""

from __future__ import annotations

import threading
from collections import defaultdict

import numpy as np

from hub.config import Config, WakeWordConfig
from hub.errors import AudioError
from hub.types import FRAME_SAMPLES, AudioFrame, WakeDetection

OPENWAKEWORD = "openwakeword"
MICROWAKEWORD = "microwakeword"
ENGINES = (OPENWAKEWORD, MICROWAKEWORD)
"""Wyoming wake programs, in the order ``describe`` lists them (the first is the default)."""


def engine_models(engine: str) -> list[str]:
    """Wake word names an engine ships (models/manifest.json keys), sorted."""
    if engine == OPENWAKEWORD:
        from hub.modelset import available_wake_words

        return sorted(available_wake_words())
    from hub.wake.micro import MODELS

    return sorted(MODELS)


def default_model(cfg: Config, engine: str) -> str:
    """The wake word a ``detect`` without names listens for: the hub's own for the engine
    (``hub.wake_word.model`` for openWakeWord, ``power.wake_word`` for microWakeWord)."""
    return cfg.hub.wake_word.model if engine == OPENWAKEWORD else cfg.power.wake_word


def load_detector(cfg: Config, engine: str, name: str):
    """A fresh detector of wake word ``name`` on ``engine``, set up as the hub's own stage is:
    openWakeWord with ``hub.wake_word``'s threshold (unset: the name's own, hub.wake.thresholds),
    smoothing, VAD gate and (for a model microWakeWord also ships) second stage; microWakeWord at
    its model card's cutoff. Raises
    HubError or ConfigError for an unknown name, ModelIntegrityError for a bad model file."""
    w = cfg.hub.wake_word
    if engine == OPENWAKEWORD:
        from hub.wake.confirm import full_set_stage
        from hub.wake.micro import MODELS
        from hub.wake.openwakeword import WakeWordDetector

        own = w.model_copy(update={"model": name, **({} if name in MODELS else {"second_stage": None})})
        return full_set_stage(WakeWordDetector(own), own)
    from hub.wake.micro import MicroWakeWordDetector

    return MicroWakeWordDetector(WakeWordConfig(model=name, refractory_ms=w.refractory_ms))


class DetectorPool:
    """Idle detectors by (engine, name); thread-safe. :meth:`take` loads one when none is idle."""

    def __init__(self, cfg: Config):
        self.cfg = cfg
        self._idle: dict[tuple[str, str], list] = defaultdict(list)
        self._lock = threading.Lock()

    def take(self, engine: str, name: str):
        with self._lock:
            idle = self._idle[(engine, name)]
            if idle:
                return idle.pop()
        return load_detector(self.cfg, engine, name)

    def give_back(self, engine: str, name: str, detector) -> None:
        detector.reset()
        with self._lock:
            self._idle[(engine, name)].append(detector)


class WakeStream:
    """One ``detect`` stream: 16 kHz int16 audio in any chunk sizes, cut into 80 ms frames for
    each requested wake word's detector. Not thread-safe: one stream, one caller at a time."""

    def __init__(self, pool: DetectorPool, engine: str, names: list[str]):
        self.pool, self.engine = pool, engine
        self.detectors = [(n, pool.take(engine, n)) for n in names]
        self._pending = np.zeros(0, np.int16)
        self._ms = 0
        self.detected = False

    def feed(self, samples: np.ndarray) -> list[WakeDetection]:
        """``(n,) int16`` at 16 kHz in; the detections in the whole frames it completes."""
        if samples.dtype != np.int16 or samples.ndim != 1:
            raise AudioError(f"wake stream: expected (n,) int16, got {samples.dtype} {samples.shape}")
        buf = np.concatenate([self._pending, samples])
        found = []
        whole = len(buf) - len(buf) % FRAME_SAMPLES
        for start in range(0, whole, FRAME_SAMPLES):
            frame = AudioFrame(buf[start:start + FRAME_SAMPLES], self._ms)
            self._ms += FRAME_SAMPLES * 1000 // 16_000
            for name, detector in self.detectors:
                hit = detector.process(frame)
                if hit is not None:
                    # the engine reports its own model name; the client asked for ``name``
                    found.append(WakeDetection(name, hit.score, hit.timestamp_ms))
        self._pending = buf[whole:]
        self.detected = self.detected or bool(found)
        return found

    def close(self) -> None:
        """Return the detectors to the pool (reset)."""
        for name, detector in self.detectors:
            self.pool.give_back(self.engine, name, detector)
        self.detectors = []
