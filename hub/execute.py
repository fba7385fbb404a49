"""Carry out an Understanding: confirm, route, publish, answer queries, and say what happened.

Shared by the audio loop (`hub run`) and `hub say`, so a typed and a spoken command do the same.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from hub.config import Config
from hub.devices.router import Router, requires_confirmation
from hub.devices.state import StateStore
from hub.errors import CommandRefused
from hub.nlu.language import load_language
from hub.nlu.respond import answer_group, describe
from hub.types import Command, GroupQuestion, MqttMessage, Transcript, Understanding

CONFIRM_WINDOW_S = 15.0
"""How long a request for a spoken yes stays open."""


@dataclass
class Outcome:
    """What executing one Understanding did."""

    published: list[MqttMessage] = field(default_factory=list)
    refused: list[tuple[Command, str]] = field(default_factory=list)
    """Commands not sent, with the reason said to the user."""
    dropped: list[MqttMessage] = field(default_factory=list)
    """Messages queued while the broker was down that expired before it came back."""
    reply: str = ""
    awaiting_confirmation: bool = False
    publish_ms: float = 0.0
    """Wall time from the first publish to the broker's last PUBACK."""


@dataclass
class _Pending:
    commands: tuple[Command, ...]
    said: str
    expires: float


class Executor:
    """Routes commands to MQTT through ``link`` and answers queries from ``state``.

    ``link`` is a :class:`hub.mqtt.link.MqttLink` (or None for a dry run that publishes
    nothing). Security-sensitive commands (unlock, opening a garage or gate, disarm) wait
    for a spoken yes within CONFIRM_WINDOW_S unless ``confirmed`` is passed.
    """

    def __init__(self, cfg: Config, router: Router, link, state: StateStore | None,
                 publish_timeout_s: float = 5.0):
        self.cfg = cfg
        self.router = router
        self.link = link
        self.state = state
        self.publish_timeout_s = publish_timeout_s
        self.lang = load_language(cfg.hub.language)
        self._pending: _Pending | None = None

    def execute(self, u: Understanding, *, confirmed: bool = False, heard: Transcript | None = None) -> Outcome:
        """Carry out ``u``; never raises for a bad command (it is refused with a reason).

        ``heard``: the transcript ``u`` was parsed from; if it is unsure (``Transcript.unsure``: a
        low confidence, a corrected word, a close call), every command that is not a query waits
        for a spoken yes, as a security-sensitive one does."""
        pending, self._pending = self._pending, None
        said = " ".join(re.findall(r"[\w']+", u.text.lower()))
        if pending and time.monotonic() < pending.expires and said in self.lang.grammar.confirm_words:
            return self._run(pending.commands, confirmed_reply=pending.said)
        if not u.commands:
            return Outcome(reply=u.response or "Sorry, I didn't understand that.")
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
                names = " and ".join(self._name(c.device) for c in sensitive)
                verb = sensitive[0].action.replace("_", " ")
                heard_as = f"I heard {heard.text!r}." if unsure else ""
                out.reply = " ".join(p for p in (out.reply, heard_as, f"Say yes to {verb} the {names}.") if p)
                out.awaiting_confirmation = True
                return out
        return self._run(u.commands, confirmed_reply=u.response, question=u.question)

    def _name(self, device_id: str) -> str:
        d = self.cfg.device_by_id.get(device_id)
        return d.spoken_name if d else device_id

    def _run(self, commands: tuple[Command, ...], confirmed_reply: str,
             question: GroupQuestion | None = None) -> Outcome:
        out = Outcome()
        answers: list[str] = []
        messages: list[MqttMessage] = []
        group = []
        for c in commands:
            device = self.cfg.device_by_id.get(c.device)
            if c.action == "query" and question is not None and device is not None:
                group.append((device, self.state.get(device.id) if self.state else None))
                continue
            if c.action == "query":
                answers.append(self.state.describe(device) if (self.state and device) else
                               f"I haven't heard from the {self._name(c.device)} yet.")
                continue
            try:
                known = self.state.get(c.device) if self.state else None
                messages.extend(self.router.route(c, state=known.known() if known else None))
            except CommandRefused as e:
                out.refused.append((c, e.reason))
        if group:
            answers.append(answer_group(question, group, self.lang))
        if self.link is not None and messages:
            t0 = time.perf_counter()
            for m in messages:
                result = self.link.publish_and_wait(m, timeout=self.publish_timeout_s)
                if result.sent:
                    out.published.append(m)
                out.dropped.extend(result.dropped)
            out.publish_ms = (time.perf_counter() - t0) * 1000
        else:
            out.published = messages
        parts = []
        if out.published or (not out.refused and not answers):
            parts.append(confirmed_reply)
        elif messages and not out.published:
            parts.append("The broker is unreachable; I'll send that when it's back.")
        parts += [r for _, r in out.refused] + answers
        if out.dropped:
            parts.append(f"{len(out.dropped)} earlier command(s) expired while the broker was down and were not sent.")
        out.reply = " ".join(p for p in parts if p)
        return out
