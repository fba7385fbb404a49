"""`hub say` handed to the running hub over MQTT, so its timers and commands in time land in that
hub's agenda and state file.

Topics (``<base>`` is ``options.base_topic``):

==============================  =========  ===================================================
``<base>/say/set``              command    ``{"text", "area"?, "id", "start_within_s"?}`` (JSON,
                                           at most ``MAX_PAYLOAD`` bytes): execute ``text`` as a
                                           command spoken in ``area`` (None: the hub's own area),
                                           unless it waited longer than ``start_within_s`` at
                                           the hub (then the asker has given up and does it)
``<base>/say/response/<id>``    not ret.   ``{"id", "text", "reply", "intent", "commands": [{"device",
                                           "action", "value"?}], "published": [{"topic",
                                           "payload"}], "awaiting_confirmation"}``
==============================  =========  ===================================================

``id`` is 1 to 64 of ``[A-Za-z0-9_-]``, so a request can only name a response topic under
``<base>/say/response/``. A text that arrives here never carries a safety confirmation (the
session executes it unconfirmed, and a "yes" sent this way confirms nothing).

The running hub's side is :class:`SayListener`; the one-shot's is :func:`hand_over`, which first
reads the retained ``<base>/status`` (``online``: a hub is running) and returns None when no hub
is online or none answered within the timeout: then `hub say` executes alone.
"""

from __future__ import annotations

import json
import logging
import queue
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass

from hub.throttle import ThrottledLog
from hub.types import MqttMessage

log = logging.getLogger(__name__)

MAX_PAYLOAD = 4096
"""Bytes; a longer say/set payload is ignored unread."""
MAX_TEXT = 500
"""Characters of one text command."""
MAX_WAITING = 16
"""Requests waiting for the session; more are ignored (a flood must not grow memory)."""
ANSWER_MARGIN_S = 5.0
"""Seconds the one-shot waits for an answer beyond the hub's own wait for PUBACKs
(``options.ack_wait_s``): understanding a text takes milliseconds, a busy machine more."""
MAX_START_WITHIN_S = 300.0
STATUS_WAIT_S = 1.0
"""How long the one-shot waits for the retained ``<base>/status`` (it comes right after SUBACK)."""
ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


class BadRequest(ValueError):
    """A say/set payload that is no request: what is wrong, for the log."""


@dataclass(frozen=True)
class SayRequest:
    text: str
    """The command as typed, 1 to MAX_TEXT characters."""
    area: str | None
    """Area id of the speaker it stands for; None: the hub's own area."""
    id: str
    """Names the response topic ``<base>/say/response/<id>``."""
    start_within_s: float | None = None
    """Seconds after its arrival at the hub by which its execution must start, or it is dropped
    (the one-shot, no longer waiting, executes it alone: it must not be done twice)."""

    def to_json(self) -> bytes:
        return json.dumps(asdict(self)).encode()


@dataclass(frozen=True)
class SayResponse:
    id: str
    text: str
    reply: str
    intent: str | None
    commands: list[dict]
    """As :meth:`hub.types.Command.to_json`."""
    published: list[dict]
    """``{"topic", "payload"}`` (payload as UTF-8 text) of every message the broker acknowledged."""
    awaiting_confirmation: bool

    def to_json(self) -> bytes:
        return json.dumps(asdict(self)).encode()


def parse_request(payload: bytes) -> SayRequest:
    """The request in a say/set payload. Raises BadRequest (oversized, not UTF-8 JSON, not an
    object, ``text`` missing, empty or too long, ``area`` not a string, ``id`` malformed)."""
    if len(payload) > MAX_PAYLOAD:
        raise BadRequest(f"{len(payload)} bytes, more than {MAX_PAYLOAD}")
    try:
        data = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise BadRequest(f"not JSON: {str(e)[:80]}") from None
    if not isinstance(data, dict):
        raise BadRequest(f"expected a JSON object, got {type(data).__name__}")
    text, area, rid, within = data.get("text"), data.get("area"), data.get("id"), data.get("start_within_s")
    if not isinstance(text, str) or not text.strip():
        raise BadRequest("no text")
    if len(text) > MAX_TEXT:
        raise BadRequest(f"text of {len(text)} characters, more than {MAX_TEXT}")
    if area is not None and not isinstance(area, str):
        raise BadRequest("area is not a string")
    if not isinstance(rid, str) or not ID.fullmatch(rid):
        raise BadRequest("id is not 1 to 64 of [A-Za-z0-9_-]")
    if within is not None and (isinstance(within, bool) or not isinstance(within, (int, float))
                               or not 0 < within <= MAX_START_WITHIN_S):
        raise BadRequest(f"start_within_s is not a number of seconds in (0, {MAX_START_WITHIN_S:g}]")
    return SayRequest(text.strip(), area, rid, None if within is None else float(within))


class SayListener:
    """The running hub's end: subscribes ``<base>/say/set`` on ``link``; paho's thread only checks
    a payload and queues it (a bad one is logged, throttled, and ignored); one worker calls
    ``handle(request) -> SayResponse | None`` and publishes the response (None: ignored)."""

    def __init__(self, link, base_topic: str, handle: Callable[[SayRequest], SayResponse | None]):
        self.link, self.base, self.handle = link, base_topic, handle
        self.topic = f"{base_topic}/say/set"
        self._warnings = ThrottledLog(log)
        self._queue: queue.Queue[tuple[SayRequest, float] | None] = queue.Queue(MAX_WAITING)
        self._worker = threading.Thread(target=self._run, name="say", daemon=True)
        self._worker.start()
        link.subscribe(self.topic, self._on_message)

    def _on_message(self, topic: str, payload: bytes) -> None:
        try:
            request = parse_request(payload)
        except BadRequest as e:
            self._warnings.warning(topic, "%s: %s; ignored", topic, e)
            return
        try:
            self._queue.put_nowait((request, time.monotonic()))
        except queue.Full:
            self._warnings.warning(topic, "%s: %d requests wait already; %r ignored", topic, MAX_WAITING, request.text[:40])

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            request, arrived = item
            waited = time.monotonic() - arrived
            if request.start_within_s is not None and waited > request.start_within_s:
                log.warning("say/set %r waited %.1f s, more than its %g s: dropped (its sender does it)",
                            request.text[:40], waited, request.start_within_s)
                continue
            try:
                response = self.handle(request)
                if response is not None:
                    self.link.publish(MqttMessage(f"{self.base}/say/response/{request.id}", response.to_json()))
            except Exception:
                log.exception("say/set %r failed", request.text[:40])

    def close(self, timeout: float = 5.0) -> None:
        """Stop after the request being handled (those waiting are dropped)."""
        self.link.unsubscribe(self.topic, self._on_message)
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        self._queue.put(None)
        self._worker.join(timeout)


def hand_over(link, base_topic: str, text: str, area: str | None, ack_wait_s: float) -> SayResponse | None:
    """The one-shot's end: if ``<base>/status`` is retained ``online``, publish ``text`` on
    ``<base>/say/set`` and wait for the response at most ``ack_wait_s`` (the hub's wait for its
    PUBACKs, ``options.ack_wait_s``) + ANSWER_MARGIN_S seconds. ``link``: a connected MqttLink.
    Returns None when no hub is online or none answered in time."""
    timeout_s = ack_wait_s + ANSWER_MARGIN_S
    status, online = threading.Event(), []
    answered, responses = threading.Event(), []
    rid = uuid.uuid4().hex

    def on_status(_topic: str, payload: bytes) -> None:
        online.append(payload == b"online")
        status.set()

    def on_response(_topic: str, payload: bytes) -> None:
        try:
            data = json.loads(payload)
            responses.append(SayResponse(**{k: data[k] for k in SayResponse.__dataclass_fields__}))
        except (ValueError, KeyError, TypeError) as e:
            log.warning("say response unreadable: %s", e)
            return
        answered.set()

    link.subscribe(f"{base_topic}/status", on_status)
    link.subscribe(f"{base_topic}/say/response/{rid}", on_response)
    try:
        if not status.wait(STATUS_WAIT_S) or not online[-1]:
            return None
        # started within half the margin, the hub answers in time: its parse takes milliseconds
        link.publish(MqttMessage(f"{base_topic}/say/set", SayRequest(text, area, rid, ANSWER_MARGIN_S / 2).to_json()))
        if not answered.wait(timeout_s):
            log.warning("the hub at %s/status is online but did not answer within %g s", base_topic, timeout_s)
            return None
        return responses[0]
    finally:
        link.unsubscribe(f"{base_topic}/status", on_status)
        link.unsubscribe(f"{base_topic}/say/response/{rid}", on_response)
