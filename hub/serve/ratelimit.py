"""Request rate limits of the HTTP API: one token bucket per client address."""

from __future__ import annotations

import time
from collections.abc import Callable

MAX_CLIENTS = 4096
"""Buckets kept at most; past it, the full ones (clients quiet for a second or more) are dropped."""


class TokenBuckets:
    """Per-key token buckets of ``rate`` tokens per second holding at most ``rate`` (one
    second's burst, at least 1). ``clock``: monotonic seconds (time.monotonic; a test may pass
    a fake). Not thread-safe: the ASGI middleware calls it on the event loop."""

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic):
        if rate <= 0:
            raise ValueError(f"rate {rate!r}: expected requests per second above 0")
        self.rate, self.capacity, self.clock = rate, max(1.0, rate), clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, at)

    def take(self, key: str) -> float:
        """Spend one token of ``key``'s bucket: 0.0 when there was one, else the seconds until
        there is (nothing is spent)."""
        now = self.clock()
        tokens, at = self._buckets.get(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - at) * self.rate)
        if tokens < 1.0:
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / self.rate
        if key not in self._buckets and len(self._buckets) >= MAX_CLIENTS:
            self._prune(now)
        self._buckets[key] = (tokens - 1.0, now)
        return 0.0

    def _prune(self, now: float) -> None:
        full = [k for k, (tokens, at) in self._buckets.items() if tokens + (now - at) * self.rate >= self.capacity]
        for k in full:
            del self._buckets[k]
