"""The state file of timers and scheduled commands, so they survive a restart of the hub.

JSON, written atomically: a temporary file in the same folder, flushed to disk, then renamed over
the old one, so a crash leaves the old state or the new one, never half of one. Times are stored
as wall-clock epoch seconds (monotonic seconds mean nothing to the next process); at load they
become countdowns on the new process's clock, and what ended while the hub was down is handed back
as missed (the caller announces it once: it is gone from the file at the next save).

Format (``version`` 1)::

    {"version": 1, "next_timer_id", "next_scheduled_id", "next_group",
     "timers": [{"id", "name", "duration_s", "area", "ends_at": epoch | null, "left_s": s | null}],
     "scheduled": [{"id", "group", "device", "action", "value", "unit", "due_at": epoch, "text", "undo"}]}
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from hub.errors import HubError
from hub.clock import Clock
from hub.timers.schedule import CommandSchedule, ScheduledCommand
from hub.timers.service import Timer, TimerService
from hub.types import Command

VERSION = 1


class TimerStateError(HubError):
    """The state file cannot be read: says which file and what is wrong."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _TimerEntry(_Strict):
    id: int
    name: str | None
    duration_s: float
    area: str | None
    ends_at: float | None
    left_s: float | None


class _ScheduledEntry(_Strict):
    id: int
    group: int
    device: str
    action: str
    value: float | int | str | None
    unit: str | None
    due_at: float
    text: str
    undo: bool


class _State(_Strict):
    version: int
    next_timer_id: int
    next_scheduled_id: int
    next_group: int
    timers: list[_TimerEntry]
    scheduled: list[_ScheduledEntry]


class AgendaStore:
    """Saves and loads one state file for a :class:`TimerService` and a :class:`CommandSchedule`."""

    def __init__(self, path: Path, clock: Clock):
        self.path = Path(path)
        self.clock = clock
        self._lock = threading.Lock()

    def save(self, timers: TimerService, schedule: CommandSchedule) -> None:
        """Write both atomically. Raises OSError if the folder is not writable."""
        with self._lock:
            wall, mono = self.clock.now().timestamp(), self.clock.monotonic()
            ts, next_timer = timers.export()
            items, next_item, next_group = schedule.export()
            state = {
                "version": VERSION, "next_timer_id": next_timer, "next_scheduled_id": next_item, "next_group": next_group,
                "timers": [{"id": t.id, "name": t.name, "duration_s": t.duration_s, "area": t.area,
                            "ends_at": None if t.ends_at is None else wall + (t.ends_at - mono), "left_s": t.left_s}
                           for t in ts],
                "scheduled": [{"id": i.id, "group": i.group, "device": i.command.device, "action": i.command.action,
                               "value": i.command.value, "unit": i.command.unit, "due_at": wall + (i.due_at - mono),
                               "text": i.text, "undo": i.undo} for i in items],
            }
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    json.dump(state, f, indent=1)
                    f.flush()
                    os.fsync(f.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise

    def load(self, timers: TimerService, schedule: CommandSchedule) -> tuple[list[Timer], list[ScheduledCommand]]:
        """Restore what the file holds (nothing if there is no file yet); returns the timers that
        ended and the commands that were due while the hub was down (not restored, not run).
        Raises TimerStateError if the file is not a state file."""
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return [], []
        except OSError as e:
            raise TimerStateError(f"{self.path}: cannot read: {e.strerror or e}") from None
        try:
            state = _State.model_validate(json.loads(raw))
        except (ValueError, ValidationError) as e:
            raise TimerStateError(f"{self.path}: not a timer state file: {e}") from None
        if state.version != VERSION:
            raise TimerStateError(f"{self.path}: version {state.version}, this hub reads version {VERSION}")
        wall, mono = self.clock.now().timestamp(), self.clock.monotonic()
        tz = self.clock.now().tzinfo
        kept_timers, missed_timers = [], []
        for e in state.timers:
            left = e.left_s if e.ends_at is None else e.ends_at - wall
            t = Timer(e.id, e.name, e.duration_s, e.area, None if e.ends_at is None else mono + left,
                      e.left_s if e.ends_at is None else None)
            (kept_timers if e.ends_at is None or left > 0 else missed_timers).append(t)
        kept_items, missed_items = [], []
        for e in state.scheduled:
            item = ScheduledCommand(e.id, e.group, Command(e.device, e.action, e.value, e.unit), mono + (e.due_at - wall),
                                    datetime.fromtimestamp(e.due_at, tz), e.text, e.undo)
            (kept_items if e.due_at > wall else missed_items).append(item)
        timers.restore(kept_timers, state.next_timer_id)
        schedule.restore(kept_items, state.next_scheduled_id, state.next_group)
        return missed_timers, missed_items
