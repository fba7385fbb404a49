"""Per-version figures of understanding: how many utterances, how confident, how many refused, how fast.

Shared by the A/B router (hub/registry/ab.py) and the anonymous metrics that cloud sync pushes
(hub/registry/sync.py). Nothing here keeps what was said unless asked to (``keep_transcripts``).
"""

from __future__ import annotations

import collections
import threading

import numpy as np

from hub.types import Understanding

LATENCY_WINDOW = 10_000
"""Latencies kept per version for the percentiles (the most recent ones)."""


class Figures:
    """Running figures of one model version. Not thread-safe by itself (see UsageMetrics)."""

    def __init__(self) -> None:
        self.count = 0
        self.confidence_sum = 0.0
        self.refusals = 0
        self.latencies_ms: collections.deque[float] = collections.deque(maxlen=LATENCY_WINDOW)
        self.intents: collections.Counter[str] = collections.Counter()

    def add(self, understanding: Understanding, latency_ms: float) -> None:
        """Count one parse; a refusal is an understanding with no command."""
        self.count += 1
        self.confidence_sum += understanding.confidence
        self.refusals += not understanding.commands
        self.latencies_ms.append(latency_ms)
        self.intents[understanding.intent or "none"] += 1

    def summary(self) -> dict:
        """``count``, ``mean_confidence`` (0..1), ``refusals``, ``refusal_rate`` (0..1),
        ``latency_ms_p50`` / ``latency_ms_p95`` (ms, None before the first parse), ``intents``
        (intent name -> count; ``none`` = no intent)."""
        lat = np.asarray(self.latencies_ms, dtype=float)
        return {
            "count": self.count,
            "mean_confidence": round(self.confidence_sum / self.count, 4) if self.count else None,
            "refusals": self.refusals,
            "refusal_rate": round(self.refusals / self.count, 4) if self.count else None,
            "latency_ms_p50": round(float(np.percentile(lat, 50)), 3) if lat.size else None,
            "latency_ms_p95": round(float(np.percentile(lat, 95)), 3) if lat.size else None,
            "intents": dict(sorted(self.intents.items())),
        }


class UsageMetrics:
    """Thread-safe figures per model version, and (only if ``keep_transcripts``) the texts."""

    def __init__(self, keep_transcripts: bool = False):
        self.keep_transcripts = keep_transcripts
        self._lock = threading.Lock()
        self._figures: dict[str, Figures] = {}
        self._transcripts: list[str] = []

    def record(self, version: str, understanding: Understanding, latency_ms: float) -> None:
        """Add one parse by model ``version`` that took ``latency_ms``."""
        with self._lock:
            self._figures.setdefault(version, Figures()).add(understanding, latency_ms)
            if self.keep_transcripts:
                self._transcripts.append(understanding.text)

    def snapshot(self, clear: bool = False) -> dict:
        """``{"versions": {version: Figures.summary()}}`` plus ``transcripts`` when kept.
        ``clear`` starts a new period (after a successful push)."""
        with self._lock:
            out: dict = {"versions": {v: f.summary() for v, f in sorted(self._figures.items())}}
            if self.keep_transcripts:
                out["transcripts"] = list(self._transcripts)
            if clear:
                self._figures.clear()
                self._transcripts.clear()
        return out
