"""Checks a wake word candidate must pass before the hub acts: voice activity around it, and a
second engine that heard it too; and a first stage of two engines, either of which may propose.

Both listen alongside the first stage on every frame and remember the last ``window_ms``; when
the first stage fires, they answer from that memory. ``hub bench wake`` computes the same
windows from the same per-frame and per-window traces, so its curves are these decisions.
"""

from __future__ import annotations

from collections import deque
from typing import Protocol

import numpy as np

from hub.modelset import MICRO_WAKE_WORDS
from hub.types import FRAME_MS, AudioFrame, WakeDetection
from hub.vad import WINDOW_SAMPLES

VAD_WINDOW_MS = WINDOW_SAMPLES * 1000 // 16_000
"""Both VADs score 512-sample (32 ms) windows."""
NEVER_MS = -(10**12)
"""Stream time before any frame: an engine that has not fired."""
VAD_SPEECH_PROB = 0.5
"""A window at or above this speech probability counts as voiced."""


class FrameScorer(Protocol):
    """A wake word engine's per-frame score (both detectors have these)."""

    def score(self, frame: AudioFrame) -> float: ...

    def reset(self) -> None: ...


class Vad(Protocol):
    """Speech probability per 512-sample window (hub.vad.silero.SileroVad, hub.vad.micro.MicroVadWindows)."""

    def process(self, samples: np.ndarray) -> list[float]: ...

    def reset(self) -> None: ...


def gate_windows(window_ms: int) -> int:
    """VAD windows the gate remembers: those that ended in the last ``window_ms``."""
    return max(1, window_ms // VAD_WINDOW_MS)


def stage_frames(window_ms: int) -> int:
    """80 ms frames the second stage remembers."""
    return max(1, window_ms // FRAME_MS)


class VoiceGate:
    """Passes a candidate when ``vad`` found at least ``min_speech_ms`` of voiced audio in the
    VAD windows that ended in the last ``window_ms``: noise, music and clatter that excite the
    wake word model without a voice are refused. Silero costs about 3.5 ms per audio second."""

    def __init__(self, vad: Vad, min_speech_ms: int, window_ms: int):
        self.vad = vad
        self.min_speech_ms = min_speech_ms
        self._voiced: deque[bool] = deque(maxlen=gate_windows(window_ms))

    def process(self, frame: AudioFrame) -> None:
        self._voiced.extend(p >= VAD_SPEECH_PROB for p in self.vad.process(frame.samples))

    def speech_ms(self) -> int:
        return VAD_WINDOW_MS * sum(self._voiced)

    def passes(self) -> bool:
        return self.speech_ms() >= self.min_speech_ms

    def reset(self) -> None:
        self.vad.reset()
        self._voiced.clear()


class SecondStage:
    """Passes a candidate when a second engine's best frame score (0..1) in the last
    ``window_ms`` reaches ``threshold``. microWakeWord behind openWakeWord costs about 1.6 ms
    per audio second."""

    def __init__(self, scorer: FrameScorer, threshold: float, window_ms: int):
        self.scorer = scorer
        self.threshold = threshold
        self._scores: deque[float] = deque(maxlen=stage_frames(window_ms))

    def process(self, frame: AudioFrame) -> None:
        self._scores.append(self.scorer.score(frame))

    def score(self) -> float:
        return max(self._scores, default=0.0)

    def passes(self) -> bool:
        return self.score() >= self.threshold

    def reset(self) -> None:
        self.scorer.reset()
        self._scores.clear()


class Detector(Protocol):
    name: str
    last_score: float
    threshold: float

    def process(self, frame: AudioFrame) -> WakeDetection | None: ...

    def reset(self) -> None: ...


class FirstStage:
    """A wake word stage built around a first-stage detector: its ``name``, ``last_score`` and
    ``threshold`` are the detector's, so the pipeline and the status page read it as the detector."""

    def __init__(self, detector: Detector):
        self.detector = detector
        self.name = detector.name

    @property
    def last_score(self) -> float:
        """The detector's score of the last frame, 0..1."""
        return self.detector.last_score

    @property
    def threshold(self) -> float:
        """The first stage's threshold, 0..1 (what its score must reach)."""
        return self.detector.threshold


class EitherEngine(FirstStage):
    """Two wake word detectors on the same frames; a detection by either is a candidate.

    The engines miss different recordings (on the wake-word benchmark openWakeWord and
    microWakeWord each catch alexa recordings the other scores near 0), so their union detects
    more, and behind the VAD gate it adds few false wakes when each keeps a strict threshold.
    After a detection neither reports for ``refractory_ms`` of stream time, so one wake word
    heard by both is one detection. ``name``, ``last_score`` and ``threshold`` are ``first``'s
    (``detector``).
    """

    def __init__(self, first: Detector, other: Detector, refractory_ms: int):
        super().__init__(first)
        self.other = other
        self.refractory_ms = refractory_ms
        self._quiet_until_ms = -1
        self._heard_ms = [NEVER_MS, NEVER_MS]

    def both_heard_after(self, ms: int) -> bool:
        """Whether each engine's own trigger fired after stream time ``ms`` (refractory or not)."""
        return min(self._heard_ms) > ms

    def process(self, frame: AudioFrame) -> WakeDetection | None:
        """One (1280,) int16 frame in; the first engine's detection, else the other's, unless
        within the refractory period of the last one."""
        found = self.detector.process(frame)
        other = self.other.process(frame)
        for i, heard in enumerate((found, other)):
            if heard is not None:
                self._heard_ms[i] = heard.timestamp_ms
        found = found or (other and WakeDetection(name=self.name, score=other.score, timestamp_ms=other.timestamp_ms))
        if found is None or found.timestamp_ms < self._quiet_until_ms:
            return None
        self._quiet_until_ms = found.timestamp_ms + self.refractory_ms
        return found

    def reset(self) -> None:
        self.detector.reset()
        self.other.reset()
        self._quiet_until_ms = -1
        self._heard_ms = [NEVER_MS, NEVER_MS]


class WakeStage(FirstStage):
    """The wake word stage: a first-stage detector whose detections must pass each check.

    Every frame goes to the detector and to ``gate`` and ``second`` (either may be None). When
    the detector fires, the checks have until ``wait_ms`` of stream time later to pass together
    (a second engine or a VAD may rise a frame or two after the first stage); the detection is
    reported on the frame they pass, with that frame's end as its timestamp, or dropped.
    With ``agree_ms`` set and an :class:`EitherEngine` detector, the gate passes a candidate both
    engines proposed in the last ``agree_ms``: two wake word models agreeing outweigh a VAD that
    hears no voice under noise. ``process`` / ``reset`` are the detector's interface, so the
    pipeline takes either. ``rejected`` counts refused candidates.
    """

    def __init__(self, detector: Detector, gate: VoiceGate | None = None, second: SecondStage | None = None,
                 wait_ms: int = 400, agree_ms: int | None = None):
        super().__init__(detector)
        self.gate = gate
        self.second = second
        self.wait_ms = wait_ms
        self.agree_ms = agree_ms if isinstance(detector, EitherEngine) else None
        self.rejected = 0
        self._pending: WakeDetection | None = None

    def _passes(self, end_ms: int) -> bool:
        gate_ok = self.gate is None or self.gate.passes() or (
            self.agree_ms is not None and self.detector.both_heard_after(end_ms - self.agree_ms))
        return gate_ok and (self.second is None or self.second.passes())

    def process(self, frame: AudioFrame) -> WakeDetection | None:
        """One (1280,) int16 frame in; a WakeDetection once the first stage fired and every
        check passed."""
        for check in (self.gate, self.second):
            if check is not None:
                check.process(frame)
        found = self.detector.process(frame)
        if found is not None and self._pending is None:
            self._pending = found
        if self._pending is None:
            return None
        end_ms = frame.timestamp_ms + FRAME_MS
        if self._passes(end_ms):
            found, self._pending = self._pending, None
            return WakeDetection(name=found.name, score=found.score, timestamp_ms=end_ms)
        if end_ms - self._pending.timestamp_ms >= self.wait_ms:
            self._pending = None
            self.rejected += 1
        return None

    def reset(self) -> None:
        self._pending = None
        for part in (self.detector, self.gate, self.second):
            if part is not None:
                part.reset()


def full_set_stage(detector: Detector, cfg) -> Detector:
    """The full set's wake word stage from ``cfg`` (a :class:`hub.config.WakeWordConfig`):
    ``detector`` (openWakeWord) alone or, where microWakeWord ships the same model, with it as
    a second proposer (``either_engine``; each engine's threshold from the config, else the
    model's in models/wake/thresholds.yaml); then behind a Silero VAD gate (``vad_gate_ms`` > 0,
    skipped by candidates both engines proposed unless ``both_engines_skip_gate`` is off)
    and a microWakeWord second stage of the same model (``second_stage``). Raises
    ModelIntegrityError if a model file does not match the manifest."""
    from hub.config import WakeWordConfig
    from hub.wake.thresholds import full_set_thresholds

    gate = second = None
    if cfg.either_engine is not None and cfg.model in MICRO_WAKE_WORDS:
        from hub.wake.micro import MicroWakeWordDetector

        threshold = cfg.either_engine.threshold
        if threshold is None:
            threshold = full_set_thresholds(cfg.model).microwakeword
        other = MicroWakeWordDetector(WakeWordConfig(model=cfg.model, threshold=threshold,
                                                     smoothing_frames=cfg.smoothing_frames,
                                                     refractory_ms=cfg.refractory_ms))
        detector = EitherEngine(detector, other, cfg.refractory_ms)
    if cfg.vad_gate_ms:
        from hub.vad.silero import SileroVad

        gate = VoiceGate(SileroVad(), cfg.vad_gate_ms, cfg.window_ms)
    if cfg.second_stage is not None:
        from hub.wake.micro import MicroWakeWordDetector

        second = SecondStage(MicroWakeWordDetector(WakeWordConfig(model=cfg.model)), cfg.second_stage.threshold,
                             cfg.window_ms)
    if gate is None and second is None:
        return detector
    return WakeStage(detector, gate, second, cfg.confirm_wait_ms,
                     agree_ms=cfg.window_ms if cfg.both_engines_skip_gate else None)
