"""Commands waiting for their time: "turn off the lights in ten minutes", "open the blinds at 7 am",
and the undo of "turn on the sofa lamp for 10 minutes" (off again after them).

Items are due at monotonic seconds of the injected clock; :meth:`CommandSchedule.due` hands out
those whose time has come (the agenda's ticker runs them). One utterance's commands form a group,
so "cancel that" takes back all of them. Kept in memory; :mod:`hub.timers.store` saves them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from hub.clock import Clock
from hub.timers.service import MAX_DURATION_S, TimerError
from hub.types import Command

MAX_SCHEDULED = 200
"""Most commands waiting at once."""


@dataclass(frozen=True)
class ScheduledCommand:
    """One command to run later."""

    id: int
    group: int
    """Items scheduled by the same utterance share it."""
    command: Command
    """The command to run, without its time (``Command.when`` is None)."""
    due_at: float
    """Monotonic seconds when it runs."""
    wall: datetime
    """Local wall time when it runs (for replies and the MQTT event)."""
    text: str
    """The utterance that asked for it."""
    undo: bool = False
    """It undoes a command done now ("for 10 minutes", "until eight")."""

    def to_json(self, now: float) -> dict:
        return {"id": self.id, "group": self.group, **self.command.to_json(), "undo": self.undo,
                "in_s": round(max(0.0, self.due_at - now), 1), "at": self.wall.strftime("%H:%M"), "text": self.text}


class CommandSchedule:
    """The commands waiting for their time. Thread-safe; errors are TimerError (``too_long``,
    ``too_many``, ``nothing_scheduled``)."""

    def __init__(self, clock: Clock, max_wait_s: float = MAX_DURATION_S, max_items: int = MAX_SCHEDULED):
        self.clock = clock
        self.max_wait_s = max_wait_s
        self.max_items = max_items
        self._items: dict[int, ScheduledCommand] = {}
        self._next_id = 1
        self._next_group = 1
        self._lock = threading.Lock()
        self.on_change: Callable[[], None] | None = None
        """Called after every change (outside the lock): the agenda saves its state file."""

    def add(self, entries: list[tuple[Command, float, bool]], text: str) -> list[ScheduledCommand]:
        """Schedule one utterance's ``(command, seconds from now, undo)`` entries as one group.
        All or none: raises TimerError if one waits longer than ``max_wait_s`` or there is no room."""
        with self._lock:
            if any(wait > self.max_wait_s for _, wait, _ in entries):
                raise TimerError("too_long", limit_s=self.max_wait_s)
            if len(self._items) + len(entries) > self.max_items:
                raise TimerError("too_many", count=self.max_items)
            now, wall = self.clock.monotonic(), self.clock.now()
            group, self._next_group = self._next_group, self._next_group + 1
            out = []
            for command, wait, undo in entries:
                wait = max(0.0, wait)
                item = ScheduledCommand(self._next_id, group, command, now + wait,
                                        wall + timedelta(seconds=wait), text, undo)
                self._items[item.id] = item
                self._next_id += 1
                out.append(item)
        self._changed()
        return out

    def items(self) -> list[ScheduledCommand]:
        """Every waiting command, the soonest first."""
        with self._lock:
            return sorted(self._items.values(), key=lambda i: (i.due_at, i.id))

    def cancel(self, devices: set[str] | None = None, group: int | None = None) -> list[ScheduledCommand]:
        """Take back the commands on ``devices`` (of ``group`` only, if given); with neither, the
        last utterance's group ("cancel that"). Raises TimerError ``nothing_scheduled`` if none fits."""
        with self._lock:
            if devices is None and group is None:
                group = max((i.group for i in self._items.values()), default=None)
            gone = [i for i in self._items.values() if (devices is None or i.command.device in devices)
                    and (group is None or i.group == group)]
            if not gone:
                raise TimerError("nothing_scheduled")
            for i in gone:
                del self._items[i.id]
        self._changed()
        return sorted(gone, key=lambda i: (i.due_at, i.id))

    def due(self) -> list[ScheduledCommand]:
        """Remove and return the commands whose time has come, in order."""
        with self._lock:
            now = self.clock.monotonic()
            ready = sorted((i for i in self._items.values() if i.due_at <= now), key=lambda i: (i.due_at, i.id))
            for i in ready:
                del self._items[i.id]
        if ready:
            self._changed()
        return ready

    def next_due(self) -> float | None:
        with self._lock:
            return min((i.due_at for i in self._items.values()), default=None)

    def __len__(self) -> int:
        return len(self._items)

    def export(self) -> tuple[list[ScheduledCommand], int, int]:
        """Every item, the next id and the next group (for the state file)."""
        with self._lock:
            return list(self._items.values()), self._next_id, self._next_group

    def restore(self, items: list[ScheduledCommand], next_id: int, next_group: int) -> None:
        """Take over ``items`` (their ``due_at`` on this clock) from a state file."""
        with self._lock:
            self._items = {i.id: i for i in items}
            self._next_id = max([next_id, *(i.id + 1 for i in items)])
            self._next_group = max([next_group, *(i.group + 1 for i in items)])

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

