"""Named timers, several at once: start, remaining, pause, resume, add or take off time, cancel, list.

Countdowns run on the injected :class:`~hub.clock.Clock`'s monotonic seconds, so a test
moves a fake clock instead of sleeping. Nothing fires by itself: :meth:`TimerService.due` hands
out the timers that have ended (the agenda's ticker calls it). Kept in memory; :mod:`hub.timers.store`
saves them.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from dataclasses import dataclass

from hub.errors import HubError
from hub.clock import Clock

MAX_DURATION_S = 24 * 3600.0
"""Longest timer (and longest wait of a command in time), seconds."""
MAX_TIMERS = 50
"""Most timers running at once."""


class TimerError(HubError):
    """A timer request that cannot be done. ``key`` names the reply in timers.yaml ``responses``
    (``no_timer``, ``which_timer``, ``timer_exists``, ``too_long``, ``too_short``, ``too_many``),
    ``fields`` fill it."""

    def __init__(self, key: str, **fields: object):
        self.key = key
        self.fields = fields
        super().__init__(f"{key} {fields}" if fields else key)


@dataclass
class Timer:
    """One timer. Running: ``ends_at`` is set; paused: ``left_s`` is."""

    id: int
    name: str | None
    """As said ("pasta"), lower case; None for "set a timer for 10 minutes"."""
    duration_s: float
    """Seconds it was set for, with the time added or taken off since."""
    area: str | None
    """Area id of the speaker that set it (where its end is announced)."""
    ends_at: float | None
    """Monotonic seconds when it ends, while running."""
    left_s: float | None = None
    """Seconds left, while paused."""

    @property
    def paused(self) -> bool:
        return self.ends_at is None

    def remaining(self, now: float) -> float:
        """Seconds left (>= 0) at monotonic time ``now``."""
        return max(0.0, self.left_s if self.ends_at is None else self.ends_at - now)

    def to_json(self, now: float) -> dict:
        return {"id": self.id, "name": self.name, "duration_s": round(self.duration_s, 1),
                "remaining_s": round(self.remaining(now), 1), "paused": self.paused, "area": self.area}


class TimerService:
    """The hub's timers. Thread-safe: the voice loop asks, the agenda's ticker collects the ended.

    A timer is found by its name as said, or, with no name, when it is the only one (or the
    only one running/paused for resume/pause). Errors are :class:`TimerError`."""

    def __init__(self, clock: Clock, max_duration_s: float = MAX_DURATION_S, max_timers: int = MAX_TIMERS):
        self.clock = clock
        self.max_duration_s = max_duration_s
        self.max_timers = max_timers
        self._timers: dict[int, Timer] = {}
        self._next_id = 1
        self._lock = threading.Lock()
        self.on_change: Callable[[], None] | None = None
        """Called after every change (outside the lock): the agenda saves its state file."""

    def start(self, duration_s: float, name: str | None = None, area: str | None = None) -> Timer:
        """A new timer of ``duration_s`` seconds (0 < d <= max_duration_s). Raises TimerError if a
        timer of that name runs already, or too many do."""
        self._check_duration(duration_s)
        with self._lock:
            if name is not None and any(t.name == name for t in self._timers.values()):
                raise TimerError("timer_exists", name=name)
            if len(self._timers) >= self.max_timers:
                raise TimerError("too_many", count=self.max_timers)
            t = Timer(self._next_id, name, float(duration_s), area, self.clock.monotonic() + duration_s)
            self._timers[t.id] = t
            self._next_id += 1
        self._changed()
        return t

    def remaining(self, name: str | None = None) -> tuple[Timer, float]:
        """The timer meant and its seconds left."""
        with self._lock:
            t = self._find(name)
            return t, t.remaining(self.clock.monotonic())

    def cancel(self, name: str | None = None) -> Timer:
        with self._lock:
            t = self._timers.pop(self._find(name).id)
        self._changed()
        return t

    def pause(self, name: str | None = None) -> Timer:
        with self._lock:
            t = self._find(name, lambda x: not x.paused)
            t.left_s, t.ends_at = t.remaining(self.clock.monotonic()), None
        self._changed()
        return t

    def resume(self, name: str | None = None) -> Timer:
        with self._lock:
            t = self._find(name, lambda x: x.paused)
            t.ends_at, t.left_s = self.clock.monotonic() + t.left_s, None
        self._changed()
        return t

    def add(self, seconds: float, name: str | None = None) -> Timer:
        """Add ``seconds`` (negative: take them off; a timer taken to zero ends at the next tick)."""
        with self._lock:
            t = self._find(name)
            now = self.clock.monotonic()
            left = t.remaining(now) + seconds
            if left > self.max_duration_s:
                raise TimerError("too_long", limit_s=self.max_duration_s)
            left = max(0.0, left)
            t.duration_s = max(0.0, t.duration_s + seconds)
            if t.paused:
                t.left_s = left
            else:
                t.ends_at = now + left
        self._changed()
        return t

    def timers(self) -> list[Timer]:
        """Every timer, the soonest to end first (paused ones by their time left)."""
        with self._lock:
            now = self.clock.monotonic()
            return sorted(self._timers.values(), key=lambda t: (t.remaining(now), t.id))

    def due(self) -> list[Timer]:
        """Remove and return the running timers that have ended, in the order they ended."""
        with self._lock:
            now = self.clock.monotonic()
            ended = sorted((t for t in self._timers.values() if not t.paused and t.ends_at <= now),
                           key=lambda t: (t.ends_at, t.id))
            for t in ended:
                del self._timers[t.id]
        if ended:
            self._changed()
        return ended

    def next_due(self) -> float | None:
        """Monotonic seconds when the next running timer ends; None if none runs."""
        with self._lock:
            return min((t.ends_at for t in self._timers.values() if not t.paused), default=None)

    def __len__(self) -> int:
        return len(self._timers)

    def export(self) -> tuple[list[Timer], int]:
        """Copies of every timer, and the next id (for the state file)."""
        with self._lock:
            return [dataclasses.replace(t) for t in self._timers.values()], self._next_id

    def restore(self, timers: list[Timer], next_id: int) -> None:
        """Take over ``timers`` (their ``ends_at`` on this clock) from a state file."""
        with self._lock:
            self._timers = {t.id: t for t in timers}
            self._next_id = max([next_id, *(t.id + 1 for t in timers)])

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    def _check_duration(self, seconds: float) -> None:
        if seconds <= 0:
            raise TimerError("too_short")
        if seconds > self.max_duration_s:
            raise TimerError("too_long", limit_s=self.max_duration_s)

    def _find(self, name: str | None, fits=lambda t: True) -> Timer:
        """The timer called ``name``; with no name, the only one (that ``fits``). Holds the lock."""
        if name is not None:
            named = [t for t in self._timers.values() if t.name == name]
            if not named:
                raise TimerError("no_timer", name=name)
            return named[0]
        fitting = [t for t in self._timers.values() if fits(t)] or list(self._timers.values())
        if not fitting:
            raise TimerError("no_timer", name=None)
        if len(fitting) > 1:
            raise TimerError("which_timer", names=[t.name for t in fitting])
        return fitting[0]
