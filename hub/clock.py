"""The clock timers and schedules run on: monotonic seconds for countdowns (immune to the wall
clock being set), local wall time only to turn "at 7 am" into a countdown."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float:
        """Seconds from an arbitrary origin; never goes back."""
        ...

    def now(self) -> datetime:
        """The local wall time, timezone-aware."""
        ...


class SystemClock:
    """The machine's clocks: :func:`time.monotonic` and the local time zone."""

    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now().astimezone()
