"""Carry out timer intents and commands in time beside the device executor (hub/execute.py).

:class:`TimingExecutor` has the device executor's ``execute(u, confirmed=, heard=)``: timer and
schedule intents are answered from the :class:`~hub.timers.agenda.Agenda`; a command carrying
``Command.when`` is scheduled (and, for "for 10 minutes" / "until eight" without a later start,
done now through the device executor, its undo scheduled); anything else goes to the device
executor unchanged. A security-sensitive command in time (unlock, opening a garage door: the
catalog's ``confirm``) waits for a spoken yes first, as it would now, and is not asked again when
it runs. Without an agenda (`hub say`, which keeps nothing after it exits) timers and commands in
time are refused with the ``not_kept`` reply.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
import time
from datetime import timedelta
from pathlib import Path

from hub.config import Config
from hub.devices.router import requires_confirmation
from hub.execute import CONFIRM_WINDOW_S, Executor, Outcome
from hub.nlu.respond import describe
from hub.nlu.timing.data import SCHEDULE_INTENTS, TIMER_INTENTS
from hub.nlu.timing.understand import Timing
from hub.nlu.timing.when import next_time
from hub.timers.agenda import Agenda
from hub.timers.schedule import ScheduledCommand
from hub.timers.service import Timer, TimerError
from hub.timers.store import AgendaStore
from hub.types import Command, Transcript, Understanding

log = logging.getLogger(__name__)


def keeps_time(u: Understanding) -> bool:
    """``u`` is a timer or schedule intent, or has a command in time: the agenda's business."""
    return (bool(u.scheduled) or any(c.when is not None for c in u.commands)
            or u.intent in TIMER_INTENTS or u.intent in SCHEDULE_INTENTS)


class TimingExecutor:
    """Wraps ``inner`` (the device executor) for one session. ``agenda`` None: nothing is kept."""

    def __init__(self, inner: Executor, agenda: Agenda | None, timing: Timing):
        self.inner = inner
        self.agenda = agenda
        self.timing = timing
        self.cfg: Config = inner.cfg
        self._lock = threading.Lock()
        """The voice loop and the agenda's ticker both run device commands."""
        self._pending: tuple[Understanding, float] | None = None
        if agenda is not None:
            agenda.run_command = self._run_scheduled
            agenda.describe = self._say_command

    def __getattr__(self, name: str):
        # the device executor's own parts (router, state, link, lang) are this one's too
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)

    @property
    def on_notice(self):
        return self.inner.on_notice

    @on_notice.setter
    def on_notice(self, f) -> None:
        self.inner.on_notice = f

    def execute(self, u: Understanding, *, confirmed: bool = False, heard: Transcript | None = None) -> Outcome:
        """As :meth:`hub.execute.Executor.execute`; never raises."""
        try:
            return self._execute(u, confirmed, heard)
        except Exception:
            log.exception("the turn %r failed", u.text)
            return Outcome(reply=self.inner.lang.say("failed"))

    def _execute(self, u: Understanding, confirmed: bool, heard: Transcript | None) -> Outcome:
        pending, self._pending = self._pending, None
        said = " ".join(re.findall(r"[\w']+", u.text.lower()))
        yes = pending is not None and time.monotonic() < pending[1] and said in self.inner.lang.grammar.confirm_words
        if not (yes or keeps_time(u)):
            with self._lock:
                return self.inner.execute(u, confirmed=confirmed, heard=heard)
        if self.agenda is None:
            return Outcome(reply=self.timing.tl.say("not_kept"))
        try:
            if yes:
                return self._in_time(pending[0], heard, confirmed=True)
            if u.intent in TIMER_INTENTS:
                return Outcome(reply=self._timer(u))
            if u.intent in SCHEDULE_INTENTS:
                return Outcome(reply=self._schedule_intent(u))
            return self._in_time(u, heard, confirmed)
        except TimerError as e:
            return Outcome(reply=self._refusal(e))

    # ------------------------------------------------------------------ commands in time
    def _in_time(self, u: Understanding, heard: Transcript | None, confirmed: bool) -> Outcome:
        """Schedule ``u``'s commands in time (all carry the same When); do now what starts now."""
        timed = u.scheduled or u.commands
        when = timed[0].when
        plain = tuple(dataclasses.replace(c, when=None) for c in timed)
        undo = self.timing.tl.file.undo
        if not confirmed:
            unsure = heard is not None and heard.unsure is not None
            if unsure or any(self._sensitive(c) or (c.action in undo and self._sensitive(Command(c.device, undo[c.action])))
                             for c in plain):
                self._pending = (u, time.monotonic() + CONFIRM_WINDOW_S)
                what = describe(list(plain), self.cfg, self.inner.lang).rstrip(". ")
                return Outcome(reply=self.timing.tl.say("confirm_scheduled", what=what, when=self.timing.say_when(when)),
                               awaiting_confirmation=True)
        now = self.agenda.clock.now()
        start = when.delay_s if when.delay_s is not None else (
            (next_time(when.at, now) - now).total_seconds() if when.at is not None else None)
        end = None
        if when.duration_s is not None:
            end = (start or 0.0) + when.duration_s
        elif when.until is not None:
            begin = now + timedelta(seconds=start or 0.0)
            end = (start or 0.0) + (next_time(when.until, begin) - begin).total_seconds()
        entries = [(c, start, False) for c in plain] if start is not None else []
        if end is not None:
            entries += [(Command(c.device, undo[c.action]), end, True) for c in plain]
        items = self.agenda.schedule.add(entries, u.text)
        self.agenda.poke()
        if start is not None:
            return Outcome(reply=u.response)
        with self._lock:
            # done now; only its undo waits (its confirmation, if any, was asked above)
            out = self.inner.execute(dataclasses.replace(u, commands=plain), confirmed=True, heard=heard)
        refused = {c.device for c, _ in out.refused}
        if refused:  # what was not done now has nothing to undo
            self.agenda.schedule.cancel(refused, group=items[0].group)
        return out

    def _say_command(self, c: Command) -> str:
        """ "turning off the hall light" (a device no longer in the config: by its id)."""
        if c.device not in self.cfg.device_by_id:
            return f"{c.action.replace('_', ' ')} {c.device}"
        what = describe([c], self.cfg, self.inner.lang).rstrip(". ")
        return what[:1].lower() + what[1:]

    def _sensitive(self, c: Command) -> bool:
        return requires_confirmation(c, self.cfg.device_by_id.get(c.device))

    def _run_scheduled(self, item: ScheduledCommand) -> str:
        """Run one due command (on the agenda's thread); its reply."""
        c = item.command
        u = Understanding(item.text, c.action, (c,), 1.0, describe([c], self.cfg, self.inner.lang))
        with self._lock:
            return self.inner.execute(u, confirmed=True).reply

    # ------------------------------------------------------------------ timers
    def _timer(self, u: Understanding) -> str:
        timers, say = self.agenda.timers, self.timing.tl.say
        name, seconds = u.slots.get("name"), u.slots.get("duration_s")
        name = str(name) if name is not None else None
        left = lambda t: self.timing.reader.say_duration(t.remaining(self.agenda.clock.monotonic()))
        if u.intent == "timer_start":
            t = timers.start(float(seconds), name, u.area)
            return say("timer_started", timer=self._phrase(t), duration=self.timing.reader.say_duration(t.duration_s))
        if u.intent == "timer_cancel":
            return say("timer_cancelled", timer=self._phrase(timers.cancel(name)))
        if u.intent == "timer_pause":
            t = timers.pause(name)
            return say("timer_paused", timer=self._phrase(t), remaining=left(t))
        if u.intent == "timer_resume":
            t = timers.resume(name)
            return say("timer_resumed", timer=self._phrase(t), remaining=left(t))
        if u.intent == "timer_add":
            t = timers.add(float(seconds), name)
            return say("timer_changed", timer=self._phrase(t), remaining=left(t))
        shown = [timers.remaining(name)[0]] if name is not None else timers.timers()
        if not shown:
            return say("no_timers")
        if len(shown) == 1:
            t = shown[0]
            return say("timer_left_paused" if t.paused else "timer_left", timer=self._phrase(t), remaining=left(t))
        r = self.timing.tl.file.responses
        items = [(r.timer_list_item_paused if t.paused else r.timer_list_item).format(timer=self._phrase(t), remaining=left(t))
                 for t in shown]
        return say("timer_list", count=len(shown), items=self.inner.lang.join(items))

    def _phrase(self, t: Timer) -> str:
        return self.timing.sentences.timer_phrase(t.name)

    # ------------------------------------------------------------------ the schedule
    def _schedule_intent(self, u: Understanding) -> str:
        say, sched = self.timing.tl.say, self.agenda.schedule
        if u.intent == "schedule_list":
            items = sched.items()
            return say("schedule_list", items=self._items(items)) if items else say("nothing_scheduled")
        name = u.slots.get("name")
        devices = None if name is None else self._devices_named(str(name))
        if devices == set():
            return say("nothing_to_cancel")
        try:
            gone = sched.cancel(devices)
        except TimerError:
            return say("nothing_to_cancel")
        return say("schedule_cancelled", items=self._items(gone))

    def _items(self, items: list[ScheduledCommand]) -> str:
        r = self.timing.tl.file.responses
        out = []
        for i in items:
            out.append(r.schedule_item.format(what=self._say_command(i.command), time=self.timing.reader.say_time(i.wall)))
        return self.inner.lang.join(out)

    def _devices_named(self, name: str) -> set[str]:
        """Devices whose name or an alias holds every word of ``name`` ("fan": the loft fan)."""
        words = set(name.lower().split())
        return {d.id for d in self.cfg.devices
                if any(words <= set(n.lower().split()) for n in (d.name, *d.aliases))}

    def _refusal(self, e: TimerError) -> str:
        say, f = self.timing.tl.say, e.fields
        if e.key == "no_timer":
            return say("no_timer_named", name=f["name"]) if f.get("name") else say("no_timer")
        if e.key == "which_timer":
            return say("which_timer", options=self.inner.lang.join_or([self.timing.sentences.timer_phrase(n) for n in f["names"]]))
        if e.key == "too_long":
            return say("too_long", limit=self.timing.reader.say_duration(f["limit_s"]))
        if e.key == "timer_exists":
            return say("timer_exists", name=f["name"])
        if e.key == "too_many":
            return say("too_many", count=f["count"])
        if e.key == "nothing_scheduled":
            return say("nothing_to_cancel")
        return say(e.key)


def new_agenda(cfg: Config, link, clock=None) -> Agenda:
    """The agenda of a running hub: events published through ``link`` (a MqttLink, or None) under
    ``hub.options.base_topic``, kept in ``hub.options.timers_file`` if set; ``clock`` defaults to
    the system's. Raises TimerStateError if that file is no state file."""
    from hub.clock import SystemClock

    timing = _timing(cfg)
    clock = clock or SystemClock()
    store = None
    if cfg.hub.options.timers_file:
        store = AgendaStore(Path(cfg.source).parent / cfg.hub.options.timers_file, clock)
    return Agenda(clock, timing.tl, timing.reader, cfg.hub.options.base_topic,
                  publish=link.publish if link is not None else None, store=store)


def wrap(cfg: Config, inner: Executor, agenda: Agenda | None) -> TimingExecutor:
    """``inner`` with timers and commands in time (see :class:`TimingExecutor`)."""
    return TimingExecutor(inner, agenda, _timing(cfg))


def _timing(cfg: Config) -> Timing:
    from hub.devices.catalog import default_catalog
    from hub.nlu.language import load_language

    return Timing(cfg, load_language(cfg.hub.language), default_catalog())
