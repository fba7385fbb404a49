"""Carry out an Understanding: confirm, route, publish, answer queries, and say what happened.

Shared by the audio loop (`hub run`) and `hub say`, so a typed and a spoken command do the same.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from hub.config import Config
from hub.devices.router import Router, requires_confirmation
from hub.devices.state import StateStore
from hub.errors import CommandRefused
from hub.nlu.language import load_language
from hub.nlu.respond import answer_group, describe
from hub.types import Command, GroupQuestion, MqttMessage, Transcript, Understanding

log = logging.getLogger(__name__)

CONFIRM_WINDOW_S = 15.0
"""How long a request for a spoken yes stays open."""


@dataclass
class Outcome:
    """What executing one Understanding did."""

    published: list[MqttMessage] = field(default_factory=list)
    """Messages the broker acknowledged (PUBACK): these commands are done."""
    waiting: list[MqttMessage] = field(default_factory=list)
    """Messages queued while the broker is away, or sent with no PUBACK within ``ack_wait_s``:
    the link sends them when it can, until they expire; ``Executor.on_notice`` hears the end."""
    dropped: list[MqttMessage] = field(default_factory=list)
    """Messages the link refused (its queue is full, or the hub is shutting down)."""
    refused: list[tuple[Command, str]] = field(default_factory=list)
    """Commands not sent, with the reason said to the user."""
    reply: str = ""
    awaiting_confirmation: bool = False
    publish_ms: float = 0.0
    """Wall time from the first publish to the last PUBACK, or to the end of the wait for them."""


@dataclass
class _Pending:
    commands: tuple[Command, ...]
    said: str
    expires: float
    messages: tuple[MqttMessage, ...] = ()
    """A custom intent's own messages, held with it when the transcript was unsure."""


class Executor:
    """Routes commands to MQTT through ``link`` and answers queries from ``state``.

    ``link`` is a :class:`hub.mqtt.link.MqttLink` (or None for a dry run that publishes
    nothing). Security-sensitive commands (unlock, opening a garage or gate, disarm) wait
    for a spoken yes within CONFIRM_WINDOW_S unless ``confirmed`` is passed.

    A command is said to be done only once the broker acknowledged every message of it. A
    turn waits at most ``options.ack_wait_s`` for those PUBACKs, and not at all while the
    broker is away; the reply then says the command waits (wording, as of the question before a
    sensitive command: intents/<language>/responses.yaml).
    When the waiting messages of a turn are finally acked or dropped, ``on_notice(sentence)``
    is called with what became of them, from a link thread: it must only hand the sentence over.
    """

    def __init__(self, cfg: Config, router: Router, link, state: StateStore | None,
                 on_notice: Callable[[str], None] | None = None):
        self.cfg = cfg
        self.router = router
        self.link = link
        self.state = state
        self.ack_wait_s = cfg.hub.options.ack_wait_s
        self.on_notice = on_notice
        self.lang = load_language(cfg.hub.language)
        self._pending: _Pending | None = None
    def execute(self, u: Understanding, *, confirmed: bool = False, heard: Transcript | None = None) -> Outcome:
        """Carry out ``u``. Never raises: a bad command is refused with a reason, and anything
        else that fails is logged and answered with the ``failed`` reply, so one turn cannot
        stop a long-running hub.

        ``heard``: the transcript ``u`` was parsed from; if it is unsure (``Transcript.unsure``: a
        low confidence, a corrected word, a close call), every command that is not a query waits
        for a spoken yes, as a security-sensitive one does, and so does a custom intent with its
        own messages (all of it: its messages and its commands)."""
        try:
            held = bool(u.messages) and not confirmed and heard is not None and heard.unsure is not None
            out = self._hold(u, heard) if held else self._execute(u, confirmed, heard)
            if u.messages and not held:
                self._send(u.messages, out)
            return out
        except Exception:
            log.exception("the turn %r failed", u.text)
            return Outcome(reply=self.lang.say("failed"))

    def _execute(self, u: Understanding, confirmed: bool, heard: Transcript | None) -> Outcome:
        pending, self._pending = self._pending, None
        said = " ".join(re.findall(r"[\w']+", u.text.lower()))
        if pending and time.monotonic() < pending.expires and said in self.lang.grammar.confirm_words:
            out = self._run(pending.commands, confirmed_reply=pending.said)
            if pending.messages:
                self._send(pending.messages, out)
            return out
        if not u.commands:
            # a custom intent (its slots are set) says its own response, even none
            return Outcome(reply=u.response if u.response or u.slots is not None else self.lang.say("not_understood"))
        if not confirmed:
            unsure = heard is not None and heard.unsure is not None
            sensitive = tuple(c for c in u.commands if c.action != "query" and (
                unsure or requires_confirmation(c, self.cfg.device_by_id.get(c.device))))
            if sensitive:
                # the rest of the utterance is done now; only the sensitive part waits for a yes
                rest = tuple(c for c in u.commands if c not in sensitive)
                out = self._run(rest, confirmed_reply=describe(list(rest), self.cfg)) if rest else Outcome()
                self._pending = _Pending(sensitive, describe(list(sensitive), self.cfg),
                                         time.monotonic() + CONFIRM_WINDOW_S)
                names = self.lang.responses.list_last.join(self._the(c.device) for c in sensitive)
                action = sensitive[0].action
                verb = self.lang.responses.confirm_verbs.get(action, action.replace("_", " "))
                # "I heard 'Turn off the hall light'.": the transcript's own full stop would double it
                heard_as = self.lang.responses.heard_as.format(text=heard.text.rstrip(".!? ")) if unsure else ""
                confirm = self.lang.responses.confirm.format(verb=verb, names=names)
                out.reply = " ".join(p for p in (out.reply, heard_as, confirm) if p)
                out.awaiting_confirmation = True
                return out
        return self._run(u.commands, confirmed_reply=u.response, question=u.question)

    def _hold(self, u: Understanding, heard: Transcript) -> Outcome:
        """Keep a custom intent heard from an unsure transcript, messages and commands, until a
        spoken yes: "I heard 'can I get a large latte'. Say yes to go ahead." """
        self._pending = _Pending(u.commands, u.response, time.monotonic() + CONFIRM_WINDOW_S, u.messages)
        heard_as = self.lang.responses.heard_as.format(text=heard.text.rstrip(".!? "))
        return Outcome(reply=f"{heard_as} {self.lang.responses.confirm_intent}", awaiting_confirmation=True)

    def _the(self, device_id: str) -> str:
        """ "the front door", "movie night" (a scene): as the confirmation names a device."""
        d = self.cfg.device_by_id.get(device_id)
        if d is None:
            return self.lang.the(device_id)
        return d.spoken_name if d.type in self.lang.responses.bare_names else self.lang.responses.device.format(name=d.spoken_name)

    def _run(self, commands: tuple[Command, ...], confirmed_reply: str,
             question: GroupQuestion | None = None) -> Outcome:
        out = Outcome()
        answers: list[str] = []
        routed: list[tuple[Command, list[MqttMessage]]] = []
        group = []
        for c in commands:
            device = self.cfg.device_by_id.get(c.device)
            if c.action == "query" and question is not None and device is not None:
                group.append((device, self.state.get(device.id) if self.state else None))
                continue
            if c.action == "query":
                answers.append(self._answer(c.device, c.about))
                continue
            try:
                known = self.state.get(c.device) if self.state else None
                if c.if_off and known is not None and known.running is False:
                    # "it's freezing in here" and the heating is off: a setting moved warms nothing
                    c, confirmed_reply = replace(c, action=c.if_off, if_off=None), ""
                elif c.if_on and known is not None and known.running is True:
                    # ... and a room heater already on: switching it on warms nothing more
                    c, confirmed_reply = replace(c, action=c.if_on, if_on=None), ""
                messages = self.router.route(c, state=known.known() if known else None)
            except CommandRefused as e:
                out.refused.append((c, e.reason))
                continue
            # the reply says the value sent (clamped to the device's range), not the one asked
            sent = self.router.as_sent(c)
            if sent is not c:
                confirmed_reply = ""
            routed.append((sent, messages))
        if group:
            answers.append(answer_group(question, group, self.lang))
        routed = [(c, ms) for c, ms in routed if ms]
        if self.link is None:
            out.published = [m for _, ms in routed for m in ms]
            troubled: dict[str, list[Command]] = {}
        else:
            troubled = self._publish(routed, out)
        parts = []
        if not troubled:
            if out.published or (not out.refused and not answers):
                parts.append(confirmed_reply or describe([c for c, _ in routed], self.cfg))
        else:
            done = [c for c, _ in routed if not any(c in cs for cs in troubled.values())]
            if done:
                parts.append(describe(done, self.cfg))
            parts += self._delivery(troubled)
        parts += [r for _, r in out.refused] + answers
        out.reply = " ".join(p for p in parts if p)
        return out

    def _answer(self, device_id: str, hint: str | None = None) -> str:
        """What the state store knows of a device (of the quantity ``hint``, see
        :meth:`StateStore.describe`), as a sentence."""
        device = self.cfg.device_by_id.get(device_id)
        if self.state is None or device is None:
            r = self.lang.responses
            return r.state.never_heard.format(the=self._the(device_id))
        try:
            return self.state.describe(device, hint)
        except Exception:  # a state the sentences cannot say must not cost the rest of the turn
            log.exception("describing the state of %s failed", device_id)
            return self.lang.say("state_unreadable", name=device.spoken_name)

    def _publish(self, routed: list[tuple[Command, list[MqttMessage]]], out: Outcome) -> dict[str, list[Command]]:
        """Publish every message at once, wait for their PUBACKs together (at most ``ack_wait_s``,
        and not for a message queued while the broker is away), and fill ``out``. Returns the
        commands not done, by status: ``unconfirmed``, ``waiting``, ``queue_full``, ``closed``."""
        t0 = time.perf_counter()
        sent = [(c, [self.link.publish(m) for m in ms]) for c, ms in routed]
        deadline = time.monotonic() + self.ack_wait_s
        for _, results in sent:
            for r in results:
                if r.status == "sent":  # with the broker: its PUBACK is one round trip away
                    r.wait(max(0.0, deadline - time.monotonic()))
        out.publish_ms = (time.perf_counter() - t0) * 1000
        troubled: dict[str, list[Command]] = {}
        waiting: list[tuple[Command, list]] = []
        for c, results in sent:
            out.published += [r.message for r in results if r.ok]
            status = _status(results)
            if status in ("waiting", "unconfirmed"):
                out.waiting += [r.message for r in results if not r.done]
                waiting.append((c, results))
            elif status != "acked":
                out.dropped += [r.message for r in results if not r.ok]
            if status != "acked":
                troubled.setdefault(status, []).append(c)
        troubled = dict(sorted(troubled.items(), key=lambda kv: _RANK.index(kv[0])))
        if waiting:
            _FollowUp(waiting, lambda by_status: self._notify(self._delivery(by_status)))
        return troubled

    def _send(self, messages: tuple[MqttMessage, ...], out: Outcome) -> None:
        """Publish a custom intent's own messages as they are (its ``mqtt`` steps), waiting for
        their PUBACKs as long as a turn does; from a sure transcript they do not wait for a spoken
        yes (its security-sensitive hub commands do). Fills ``out``."""
        if self.link is None:
            out.published += messages
            return
        results = [self.link.publish(m) for m in messages]
        deadline = time.monotonic() + self.ack_wait_s
        for r in results:
            if r.status == "sent":
                r.wait(max(0.0, deadline - time.monotonic()))
        for r in results:
            (out.published if r.ok else out.dropped if r.done else out.waiting).append(r.message)

    def _delivery(self, by_status: dict[str, list[Command]]) -> list[str]:
        """One sentence per delivery status (``waiting``, ``acked``, ``expired``...)."""
        seconds = f"{self.cfg.hub.options.command_expiry_s:g}"
        keys = {"waiting": "broker_waiting", "unconfirmed": "broker_unconfirmed", "acked": "broker_done_later",
                "expired": "broker_expired", "queue_full": "broker_queue_full", "closed": "broker_closed"}
        return [self.lang.say(keys[status], what=self._clause(cs), seconds=seconds)
                for status, cs in by_status.items() if cs]

    def _clause(self, commands: list[Command]) -> str:
        """The action replies of ``commands`` as one clause: "locking the front door"."""
        groups: dict[tuple, list[Command]] = {}
        for c in commands:
            groups.setdefault((c.action, c.value), []).append(c)
        sentences = [describe(cs, self.cfg).rstrip(".") for cs in groups.values()]
        return self.lang.join([s[:1].lower() + s[1:] for s in sentences])

    def _notify(self, sentences: list[str]) -> None:
        text = " ".join(sentences)
        log.info("later: %s", text)
        if self.on_notice is not None:
            self.on_notice(text)


_RANK = ("acked", "unconfirmed", "waiting", "expired", "queue_full", "closed")
"""Delivery statuses of a command, best first: a command is as bad as its worst message.
unconfirmed: sent, no PUBACK yet; waiting: queued for a broker that is away."""
_LINK_STATUS = {"sent": "unconfirmed", "queued": "waiting"}


def _status(results: list) -> str:
    """The delivery status of one command from its messages' PublishResults."""
    return max((_LINK_STATUS.get(r.status, r.status) for r in results), key=_RANK.index)


class _FollowUp:
    """Calls ``report({status: [Command]})`` once every message of the waiting commands of
    one turn is acked or dropped. Runs on a link thread (see PublishResult.add_done_callback)."""

    def __init__(self, waiting: list[tuple[Command, list]], report: Callable[[dict[str, list[Command]]], None]):
        self.waiting = waiting
        self.report = report
        self._lock = threading.Lock()
        self._left = sum(len(results) for _, results in waiting)
        for _, results in waiting:
            for r in results:
                r.add_done_callback(self._one_done)

    def _one_done(self, _result) -> None:
        with self._lock:
            self._left -= 1
            if self._left:
                return
        by_status: dict[str, list[Command]] = {}
        for c, results in self.waiting:
            by_status.setdefault(_status(results), []).append(c)
        self.report(dict(sorted(by_status.items(), key=lambda kv: _RANK.index(kv[0]))))
