"""A fake clock for timer tests (no sleeping): monotonic seconds and a local wall time that move
together when the test calls :meth:`FakeClock.advance`."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


class FakeClock:
    """Starts at monotonic 1000.0 s and the wall time ``start`` (default 2026-12-03 18:00 UTC)."""

    def __init__(self, start: datetime | None = None):
        self.t = 1000.0
        self.wall = start or datetime(2026, 12, 3, 18, 0, tzinfo=timezone.utc)

    def monotonic(self) -> float:
        return self.t

    def now(self) -> datetime:
        return self.wall

    def advance(self, seconds: float) -> None:
        self.t += seconds
        self.wall += timedelta(seconds=seconds)
