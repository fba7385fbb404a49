"""From per-frame wake word scores to detections: smoothing, rising edge, refractory period.

Both engines (openWakeWord, microWakeWord) give one score per 80 ms frame; this decides when
that stream of scores is a wake word. ``hub bench wake`` runs the same class over stored score
traces, so the curves it draws are the decisions the hub makes.
"""

from __future__ import annotations

from collections import deque


class Trigger:
    """Fires once per wake word on a stream of per-frame scores.

    The score compared with ``threshold`` (0..1) is the mean of the last ``smoothing_frames``
    frame scores (1: the raw score): a short spike from noise or another word is damped, while
    a spoken wake word stays high for several frames. A detection is the first frame whose
    smoothed score reaches the threshold after a frame below it (a rising edge, so one wake word
    fires once); after it none for ``refractory_ms`` of stream time. Raises ValueError for a
    threshold outside (0, 1) or fewer than one smoothing frame.
    """

    def __init__(self, threshold: float, smoothing_frames: int = 1, refractory_ms: int = 2000):
        if not 0 < threshold < 1:
            raise ValueError(f"wake word threshold must be in (0, 1), got {threshold}")
        if smoothing_frames < 1:
            raise ValueError(f"smoothing_frames must be at least 1, got {smoothing_frames}")
        self.threshold = threshold
        self.smoothing_frames = smoothing_frames
        self.refractory_ms = refractory_ms
        self.reset()

    def update(self, score: float, end_ms: int) -> float | None:
        """Take the score (0..1) of the frame ending at ``end_ms`` (stream ms); return the
        smoothed score if the wake word fires on this frame, else None."""
        self._recent.append(score)
        smoothed = sum(self._recent) / len(self._recent)
        self.last_smoothed = smoothed
        above = smoothed >= self.threshold
        rising = above and not self._above
        self._above = above
        if not rising or end_ms < self._quiet_until_ms:
            return None
        self._quiet_until_ms = end_ms + self.refractory_ms
        return smoothed

    def reset(self) -> None:
        """A new stream: no history, no refractory period."""
        self._recent: deque[float] = deque(maxlen=self.smoothing_frames)
        self._above = False
        self._quiet_until_ms = -1
        self.last_smoothed = 0.0
