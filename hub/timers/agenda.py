"""The timers and the command schedule of a running hub, ticked by one thread.

When a timer ends, its reply ("Time's up: the pasta timer of 5 minutes is done.") goes to
``announce`` and a JSON event is published on ``<base_topic>/timer``:
``{"event_type": "finished", "event": "finished", "id", "name", "duration_s", "area"}``
(``event_type`` is what Home Assistant's MQTT event entity reads, https://www.home-assistant.io/integrations/event.mqtt/).
The running timers are published, retained, on ``<base_topic>/timers`` (Home Assistant's "Active
timers" sensor, its attributes the list): ``{"count", "timers": [{"id", "name", "remaining_s",
"duration_s", "paused", "area", "ends_at"}]}`` (``ends_at``: local ISO 8601 time, None while paused),
at start, after every change of a timer, and every ``REPORT_EVERY_S`` while one runs. When a scheduled command's time
comes, ``run_command(item)`` carries it out and returns the reply, announced as "As planned: ...",
and ``{"event": "ran", "id", "group", "device", "action", "value"?, "undo", "text", "reply"}`` is
published on ``<base_topic>/schedule``. Events are not retained (QoS 1). With a state file
(:mod:`hub.timers.store`) both survive a restart; what ended or was due while the hub was down is
announced once ("While I was off, ...", event ``missed``), and a missed command is not run late.

:meth:`Agenda.tick` does one round; a test calls it after moving a fake clock, a running hub
calls :meth:`Agenda.start`.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from datetime import timedelta

from hub.nlu.timing.data import TimerLanguage
from hub.nlu.timing.when import TimeReader
from hub.clock import Clock
from hub.timers.schedule import CommandSchedule, ScheduledCommand
from hub.timers.service import Timer, TimerService
from hub.timers.store import AgendaStore
from hub.types import Command, MqttMessage

log = logging.getLogger(__name__)

IDLE_WAIT_S = 60.0
"""Longest sleep of the ticker with nothing due (anything added wakes it at once)."""
REPORT_EVERY_S = 10.0
"""Seconds between two reports of the running timers' remaining time (not every tick)."""


class Agenda:
    """``publish(MqttMessage)``: the MQTT link's publish (None: no events). ``announce(sentence)``
    and ``run_command(item) -> reply`` are set by the session (called on the ticker's thread)."""

    def __init__(self, clock: Clock, tl: TimerLanguage, reader: TimeReader, base_topic: str,
                 publish: Callable[[MqttMessage], object] | None = None, store: AgendaStore | None = None):
        """``store``: the state file kept after every change and read now (raises TimerStateError
        if it is no state file); what ended while the hub was down is announced once by :meth:`start`."""
        self.clock = clock
        self.tl, self.reader = tl, reader
        self.base_topic = base_topic
        self.publish = publish
        self.announce: Callable[[str], None] | None = None
        self.run_command: Callable[[ScheduledCommand], str] | None = None
        self.describe: Callable[[Command], str] | None = None
        """ "turning off the hall light": how a missed command is said (set by the executor)."""
        self.timers = TimerService(clock)
        self.schedule = CommandSchedule(clock)
        self.store = store
        self._missed: tuple[list[Timer], list[ScheduledCommand]] = ([], [])
        self._reported_at: float | None = None
        if store is not None:
            self._missed = store.load(self.timers, self.schedule)
            self.schedule.on_change = self._save
            self._save()  # the missed are gone from the file: announced once, never twice
        self.timers.on_change = self._timers_changed
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def announce_missed(self) -> list[str]:
        """Say (once) what ended or was due while the hub was down; returns the sentences."""
        timers, items = self._missed
        self._missed = ([], [])
        r = self.tl.file.responses
        said = []
        for t in timers:
            timer = r.timer_named.format(name=t.name) if t.name else r.timer_unnamed
            said.append(self.tl.say("timer_missed", timer=timer, duration=self.reader.say_duration(t.duration_s)))
            self._event("timer", {"event_type": "missed", "event": "missed", "id": t.id, "name": t.name, "duration_s": round(t.duration_s, 1),
                                  "area": t.area})
        for i in items:
            what = self.describe(i.command) if self.describe else i.command.action
            said.append(self.tl.say("schedule_missed", what=what, time=self.reader.say_time(i.wall)))
            self._event("schedule", {"event": "missed", "id": i.id, "group": i.group, **i.command.to_json(),
                                     "undo": i.undo, "text": i.text})
        for sentence in said:
            if self.announce is not None:
                self.announce(sentence)
        return said

    def _timers_changed(self) -> None:
        if self.store is not None:
            self._save()
        self.report_timers()

    def report_timers(self) -> None:
        """Publish the running timers, retained, on ``<base_topic>/timers`` (see the module doc)."""
        now, wall = self.clock.monotonic(), self.clock.now()
        self._reported_at = now
        if self.publish is None:
            return
        timers = []
        for t in self.timers.timers():
            left = t.remaining(now)
            timers.append({**t.to_json(now), "ends_at": None if t.paused else (wall + timedelta(seconds=left)).isoformat()})
        self._event("timers", {"count": len(timers), "timers": timers}, retain=True)

    def _save(self) -> None:
        try:
            self.store.save(self.timers, self.schedule)
        except OSError:  # a full disk must not stop the timers that run
            log.exception("timers not saved to %s", self.store.path)

    def tick(self) -> list[str]:
        """End the timers and run the commands that are due; returns the sentences announced."""
        said = []
        for t in self.timers.due():
            timer = self.tl.file.responses.timer_named.format(name=t.name) if t.name else self.tl.file.responses.timer_unnamed
            said.append(self.tl.say("timer_finished", timer=timer, duration=self.reader.say_duration(t.duration_s)))
            self._event("timer", {"event_type": "finished", "event": "finished", "id": t.id, "name": t.name,
                                  "duration_s": round(t.duration_s, 1), "area": t.area})
        for item in self.schedule.due():
            try:
                reply = self.run_command(item) if self.run_command else ""
            except Exception:  # one failed command must not stop the ticker
                log.exception("scheduled command %s failed", item.command)
                reply = ""
            said.append(self.tl.say("schedule_ran", reply=reply))
            self._event("schedule", {"event": "ran", "id": item.id, "group": item.group, **item.command.to_json(),
                                     "undo": item.undo, "text": item.text, "reply": reply})
        for sentence in said:
            if self.announce is not None:
                self.announce(sentence)
        return said

    def poke(self) -> None:
        """Something was added: the ticker recomputes its next wake-up."""
        self._wake.set()

    def start(self) -> None:
        """Announce what was missed, report the timers, then tick on a thread of its own until
        :meth:`close`."""
        self.announce_missed()
        self.report_timers()
        self._thread = threading.Thread(target=self._run, name="agenda", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(5.0)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:
                log.exception("agenda tick failed")
            due = [d for d in (self.timers.next_due(), self.schedule.next_due()) if d is not None]
            if self.timers.next_due() is not None:  # a timer runs: its remaining time, now and then
                if self._reported_at is None or self.clock.monotonic() - self._reported_at >= REPORT_EVERY_S:
                    self.report_timers()
                due.append(self._reported_at + REPORT_EVERY_S)
            wait = min(due, default=self.clock.monotonic() + IDLE_WAIT_S) - self.clock.monotonic()
            self._wake.wait(min(max(wait, 0.0), IDLE_WAIT_S))
            self._wake.clear()

    def _event(self, what: str, payload: dict, retain: bool = False) -> None:
        if self.publish is None:
            return
        try:
            self.publish(MqttMessage(f"{self.base_topic}/{what}", json.dumps(payload).encode(), qos=1, retain=retain))
        except Exception:
            log.exception("the %s event was not published", what)
