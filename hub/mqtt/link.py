"""The hub's one connection to the MQTT broker (paho-mqtt 2.x, MQTT 5 or 3.1.1).

Version: ``hub.broker.protocol`` (``auto``: MQTT 5, and 3.1.1 once the broker answers the
CONNECT with "unsupported protocol version"; mosquitto 2 speaks both). The link uses nothing
that differs between them: QoS 1 publishes and their PUBACK, QoS 0 subscriptions, a retained
last will, a session that ends with the connection.

Delivery guarantee (what "sent once" means here):

* A message published while the link is disconnected waits in a bounded queue
  (``queue_size``) and is handed to paho when the link reconnects, in publish
  order. If it is older than its expiry (``command_expiry_s``) by then, it is
  dropped instead and reported (``PublishResult.status == "expired"``, its done callbacks
  and the link's ``on_dropped``). A full queue refuses new messages (``"queue_full"``).
* While connected, a message is handed to paho at once (QoS 1, the only level the
  link publishes) and is done when the broker's PUBACK arrives.
* If the connection breaks before a message's PUBACK arrived, the link takes it
  back from paho (``Client.drop_out_messages``) when it reconnects and publishes
  it again once, ahead of the queue and subject to the same expiry. This is
  QoS 1's at-least-once redelivery (MQTT 3.1.1 §4.3.2), done here instead of by
  paho so that a message is never both in paho's session and in our queue, order
  is kept, and a command does not fire minutes late after a long outage. The
  broker sees a message twice only if it received the first copy but its PUBACK
  was lost with the connection; ``PublishResult.attempts`` counts the copies.

Subscriptions are QoS 0 (:data:`SUBSCRIBE_QOS`): over one clean session TCP already delivers
every message in order, and QoS 1 would add nothing but the broker's flow control, which drops
messages. mosquitto keeps at most ``max_inflight_messages`` (20) QoS 1 messages unacknowledged
per client and queues ``max_queued_messages`` (1000) more; the rest are dropped, so subscribing
to 2,500 retained states at QoS 1 lost 1,461 of them, and a retained "locked" sent amid 5,000
sensor readings was lost (tests/test_state_burst.py, first run). QoS 0 messages go straight into
the socket, whose buffers absorb a burst while the network thread reads. A connection lost
mid-burst loses no state either: every subscription is renewed on reconnect, and the broker
sends the retained values again.

Availability: ``<base_topic>/status`` is ``online`` (birth, published on every
connect) or ``offline`` (last will, and published by :meth:`MqttLink.close`),
both retained, the convention Home Assistant's MQTT availability expects.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from hub.config import BrokerConfig, Options
from hub.errors import BrokerError
from hub.types import MqttMessage

log = logging.getLogger(__name__)

PublishStatus = Literal["queued", "sent", "acked", "expired", "queue_full", "closed"]
"""queued: waiting for a connection; sent: handed to paho, no PUBACK yet; acked: the
broker has it; expired / queue_full / closed: dropped, never (or not again) sent."""

MessageCallback = Callable[[str, bytes], None]
"""``callback(topic, payload)``."""
_DEFAULT = object()
MqttVersion = Literal["5", "3.1.1"]
SESSION_KEPT_S = 7 * 24 * 3600
"""MQTT 5 session expiry of a link made with ``clean_session=False`` (a week)."""
UNSUPPORTED_VERSION = 0x84
"""CONNACK reason "Unsupported Protocol Version" (MQTT 5 §3.2.2.2; paho maps a 3.1.1 broker's
return code 1, "unacceptable protocol version", to it)."""
SUBSCRIBE_QOS = 0
"""QoS of every subscription (see the module doc: QoS 1 lost retained states in bursts)."""


@dataclass(eq=False)
class PublishResult:
    """What became of one :meth:`MqttLink.publish`. Times are ``time.monotonic()`` seconds."""

    message: MqttMessage
    created_at: float
    expires_at: float | None
    """None: never expires."""
    status: PublishStatus = "queued"
    sent_at: float | None = None
    """When it was (last) handed to paho."""
    acked_at: float | None = None
    attempts: int = 0
    """Times handed to paho: 2 means it was republished after a connection loss."""
    internal: bool = False
    _done: threading.Event = field(default_factory=threading.Event, repr=False)
    _callbacks: list[Callable[[PublishResult], None]] = field(default_factory=list, repr=False)
    _callbacks_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def done(self) -> bool:
        """True once acked or dropped."""
        return self._done.is_set()

    @property
    def ok(self) -> bool:
        """The broker acknowledged it (PUBACK)."""
        return self.status == "acked"

    @property
    def sent(self) -> bool:
        """Same as ``ok``: the broker has it."""
        return self.ok

    @property
    def ack_ms(self) -> float | None:
        """Milliseconds from publish() to the broker's PUBACK (the publish→broker latency)."""
        return None if self.acked_at is None else (self.acked_at - self.created_at) * 1000

    def wait(self, timeout: float | None = None) -> bool:
        """Block until acked or dropped, at most ``timeout`` s. True if acked."""
        self._done.wait(timeout)
        return self.ok

    def add_done_callback(self, fn: Callable[[PublishResult], None]) -> None:
        """Call ``fn(self)`` once it is acked or dropped (at once if it already is).

        ``fn`` runs on the link thread that finished the message, possibly while the link
        holds its locks: it must only hand work over (e.g. ``queue.put``), never publish.
        Its exceptions are logged."""
        with self._callbacks_lock:
            if not self._done.is_set():
                self._callbacks.append(fn)
                return
        _call(fn, self)

    def _set_done(self) -> None:
        with self._callbacks_lock:
            self._done.set()
            callbacks, self._callbacks = self._callbacks, []
        for fn in callbacks:
            _call(fn, self)

    def describe(self) -> str:
        """A short clause for a reply, e.g. ``dropped: the broker was unreachable for over 30 s``."""
        if self.status == "acked":
            return "sent"
        if self.status == "expired":
            assert self.expires_at is not None
            return f"dropped: the broker was unreachable for over {self.expires_at - self.created_at:g} s"
        if self.status == "queue_full":
            return "dropped: too many commands are waiting for the broker"
        if self.status == "closed":
            return "dropped: the hub was shutting down"
        return "waiting for the broker"


def _call(fn: Callable[[PublishResult], None], result: PublishResult) -> None:
    try:
        fn(result)
    except Exception:
        log.exception("done callback of the MQTT message to %s failed", result.message.topic)


class MqttLink:
    """Publish and subscribe over one paho-mqtt client with its network loop in its own thread.

    ``MqttLink(broker_cfg, config.hub.options, client_id=...)`` starts connecting in the
    background at once (``autostart=False`` defers that to ``start()``) and never raises for an
    unreachable broker: it keeps retrying with exponential backoff (``reconnect_min_s`` doubling
    up to ``reconnect_max_s``), queueing publishes meanwhile. From ``options``: ``queue_size``,
    ``command_expiry_s`` and the status topic ``<base_topic>/status``; the keyword arguments
    override them (``status_topic=None``: no birth/will).

    Drops are logged and ``on_dropped(result)`` is called (from a link thread) for every
    message dropped as expired, queue_full or closed; a caller follows its own message with
    ``PublishResult.add_done_callback``. Callbacks must not block; their exceptions are logged.
    """

    def __init__(
        self,
        broker: BrokerConfig,
        options: Options | None = None,
        *,
        client_id: str | None = None,
        status_topic: str | None | object = _DEFAULT,
        queue_size: int | None = None,
        expiry_s: float | None | object = _DEFAULT,
        clean_session: bool = True,
        reconnect_min_s: float = 0.5,
        reconnect_max_s: float = 30.0,
        on_dropped: Callable[[PublishResult], None] | None = None,
        autostart: bool = True,
    ) -> None:
        options = options or Options()
        if status_topic is _DEFAULT:
            status_topic = f"{options.base_topic}/status"
        self.broker = broker
        self.client_id = client_id or broker.client_id or f"hub-{uuid.uuid4().hex[:10]}"
        self.status_topic: str | None = status_topic  # type: ignore[assignment]
        self.queue_size = queue_size or options.queue_size
        self.expiry_s: float | None = options.command_expiry_s if expiry_s is _DEFAULT else expiry_s  # type: ignore[assignment]
        self.on_dropped = on_dropped
        self.last_error: str | None = None

        self.clean_session = clean_session
        self._reconnect_s = (reconnect_min_s, reconnect_max_s)
        self.protocol: MqttVersion = "3.1.1" if broker.protocol == "3.1.1" else "5"
        """The MQTT version the link speaks (``auto`` starts with 5, see :meth:`_fall_back`)."""
        self._subs: dict[str, list[MessageCallback]] = {}
        self._client = self._new_client()

        # Lock order: _lock -> paho's locks (inside Client.publish) -> _track_lock.
        # paho calls on_publish holding its out-message lock, so on_publish takes only _track_lock.
        self._lock = threading.Lock()
        self._queue: deque[PublishResult] = deque()
        self._wake = threading.Condition(self._lock)
        self._connected = False
        self._started = False
        self._closed = False
        self._track_lock = threading.Lock()
        self._inflight: dict[int, PublishResult] = {}
        self._early_acks: set[int] = set()
        self._connect_callbacks: list[Callable[[], None]] = []
        self._is_connected = threading.Event()
        self._sweeper = threading.Thread(target=self._sweep_loop, name="mqtt-expiry", daemon=True)
        if autostart:
            self.start()

    # ------------------------------------------------------------ lifecycle

    def start(self) -> MqttLink:
        """Connect in the background (returns at once) and start the network thread."""
        if self._started:
            return self
        self._started = True
        self._connect_client()
        self._sweeper.start()
        return self

    def _new_client(self) -> mqtt.Client:
        """A paho client of ``self.protocol`` with the login, TLS, last will, callbacks and the
        handlers of every subscription. Raises BrokerError for unusable certificate files."""
        broker = self.broker
        v5 = self.protocol == "5"
        client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=self.client_id,
            # MQTT 5 has no clean session flag: a session ends with the connection unless its
            # expiry interval says otherwise (set at connect, see _connect_client)
            clean_session=None if v5 else self.clean_session,
            protocol=mqtt.MQTTv5 if v5 else mqtt.MQTTv311,
        )
        if broker.username is not None:
            client.username_pw_set(broker.username, broker.secret())
        if broker.tls is not None:
            tls = broker.tls
            try:
                client.tls_set(ca_certs=tls.ca_file, certfile=tls.cert_file, keyfile=tls.key_file)
            except (OSError, ValueError) as e:  # ssl.SSLError is an OSError
                raise BrokerError(f"TLS to {broker.address()}: cannot use the certificate files ({e})") from e
            client.tls_insecure_set(tls.insecure)
        # Unacked messages are taken back at reconnect (see module doc), which paho's
        # inflight counter does not account for: no window, the queue bounds the flow.
        client.max_inflight_messages_set(0)
        client.reconnect_delay_set(*self._reconnect_s)  # type: ignore[arg-type]
        if self.status_topic:
            client.will_set(self.status_topic, b"offline", qos=1, retain=True)
        client.on_connect = self._on_connect
        client.on_connect_fail = self._on_connect_fail
        client.on_disconnect = self._on_disconnect
        client.on_publish = self._on_publish
        for topic_filter in self._subs:
            client.message_callback_add(topic_filter, self._dispatcher(topic_filter))
        return client

    def _connect_client(self) -> None:
        """Connect ``self._client`` in the background and start its network thread."""
        kwargs: dict = {}
        if self.protocol == "5":
            kwargs["clean_start"] = self.clean_session
            if not self.clean_session:  # keep the session across connections, as clean_session=False does
                props = Properties(PacketTypes.CONNECT)
                props.SessionExpiryInterval = SESSION_KEPT_S
                kwargs["properties"] = props
        self._client.connect_async(self.broker.host, self.broker.port, keepalive=self.broker.keepalive_s, **kwargs)
        self._client.loop_start()

    def _fall_back(self, old: mqtt.Client) -> None:
        """The broker does not speak MQTT 5: stop ``old`` and connect again with 3.1.1 (its own
        thread: paho's network thread cannot stop itself)."""
        old.disconnect()
        old.loop_stop()
        with self._lock:
            if self._closed:
                return
            self.protocol = "3.1.1"
            self._client = self._new_client()
            self._connect_client()

    def wait_connected(self, timeout: float | None = None) -> bool:
        """Block until connected (CONNACK accepted), at most ``timeout`` s. True if connected."""
        return self._is_connected.wait(timeout)

    def connect(self, timeout: float = 5.0) -> MqttLink:
        """start() and wait for the connection. Raises BrokerError naming host:port and the cause."""
        self.start()
        if not self.wait_connected(timeout):
            self.close(0)
            cause = f": {self.last_error}" if self.last_error else ""
            raise BrokerError(
                f"cannot connect to the MQTT broker at {self.broker.address()} within {timeout:g} s{cause}"
            )
        return self

    @property
    def connected(self) -> bool:
        return self._is_connected.is_set()

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until nothing is queued or unacknowledged, at most ``timeout`` s. True if so."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._lock, self._track_lock:
                if not self._queue and not any(not r.internal for r in self._inflight.values()):
                    return True
            if deadline is not None and time.monotonic() >= deadline:
                return False
            time.sleep(0.01)

    def close(self, timeout: float = 2.0) -> None:
        """Flush (at most ``timeout`` s), publish ``offline``, disconnect and stop the threads.

        Messages still queued are dropped with status ``closed`` and reported."""
        if self._closed:
            return
        if self._started and self.connected and timeout > 0:
            self.flush(timeout)
        with self._lock:
            self._closed = True
            dropped = list(self._queue)
            self._queue.clear()
            self._wake.notify_all()
        if self._started:
            if self.connected and self.status_topic:
                info = self._client.publish(self.status_topic, b"offline", qos=1, retain=True)
                try:
                    info.wait_for_publish(min(timeout, 1.0) if timeout > 0 else 0.1)
                except (RuntimeError, ValueError):
                    pass
            self._client.disconnect()
            self._client.loop_stop()
            self._is_connected.clear()
            self._sweeper.join(1.0)
        self._report([self._finish(r, "closed") for r in dropped])

    def __enter__(self) -> MqttLink:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ publish

    def publish(self, msg: MqttMessage, *, expiry_s: float | None | object = _DEFAULT) -> PublishResult:
        """Send ``msg`` now if connected, else queue it (see the module doc for the guarantee).

        ``expiry_s`` overrides the link's expiry for this message (None: never expires,
        e.g. for retained discovery configs). Returns at once; ``result.wait()`` blocks.
        Raises ValueError unless ``msg.qos == 1`` (QoS 0 has no PUBACK to wait for, and QoS 2's
        handshake does not survive the take-back at reconnect) and BrokerError once the link
        is closed. Never blocks on the network.
        """
        if msg.qos != 1:
            raise ValueError(f"MqttLink publishes with QoS 1 only, not {msg.qos} (topic {msg.topic!r})")
        now = time.monotonic()
        exp = self.expiry_s if expiry_s is _DEFAULT else expiry_s
        result = PublishResult(msg, now, None if exp is None else now + float(exp))  # type: ignore[arg-type]
        dropped: list[PublishResult] = []
        with self._lock:
            if self._closed:
                raise BrokerError(f"the MQTT link is closed; cannot publish to {msg.topic!r}")
            if self._connected and not self._queue:
                self._hand(result)
            else:
                dropped = self._expire_queued(now)
                if len(self._queue) >= self.queue_size:
                    self._finish(result, "queue_full")
                else:
                    self._queue.append(result)
                    self._wake.notify_all()
        self._report(dropped + ([result] if result.status == "queue_full" else []))
        return result

    def publish_and_wait(
        self, msg: MqttMessage, timeout: float = 5.0, *, expiry_s: float | None | object = _DEFAULT
    ) -> PublishResult:
        """publish() and block until the broker acknowledged it (or it was dropped), at most
        ``timeout`` s. Check ``result.status``; ``result.ack_ms`` is the publish→PUBACK latency."""
        result = self.publish(msg, expiry_s=expiry_s)
        result.wait(timeout)
        return result

    def _hand(self, r: PublishResult) -> None:
        """Give one message to paho. Caller holds _lock and knows we are connected."""
        m = r.message
        # QoS 1: paho keeps the message until PUBACK even if this send fails (rc NO_CONN).
        info = self._client.publish(m.topic, m.payload, qos=m.qos, retain=m.retain)
        r.attempts += 1
        r.sent_at = time.monotonic()
        with self._track_lock:
            if info.mid in self._early_acks:
                self._early_acks.discard(info.mid)
                self._ack(r)
            else:
                r.status = "sent"
                self._inflight[info.mid] = r

    def _ack(self, r: PublishResult) -> None:
        r.acked_at = time.monotonic()
        r.status = "acked"
        r._set_done()

    def _finish(self, r: PublishResult, status: PublishStatus) -> PublishResult:
        r.status = status
        r._set_done()
        return r

    def _expire_queued(self, now: float) -> list[PublishResult]:
        """Drop queued messages past their expiry. Caller holds _lock."""
        if not any(r.expires_at is not None and r.expires_at <= now for r in self._queue):
            return []
        keep, gone = deque(), []
        for r in self._queue:
            if r.expires_at is not None and r.expires_at <= now:
                gone.append(self._finish(r, "expired"))
            else:
                keep.append(r)
        self._queue = keep
        return gone

    def _report(self, dropped: list[PublishResult]) -> None:
        """Log and call on_dropped. Caller does not hold _lock."""
        for r in (r for r in dropped if not r.internal):
            log.warning("MQTT message to %s %s", r.message.topic, r.describe())
            if self.on_dropped is not None:
                try:
                    self.on_dropped(r)
                except Exception:
                    log.exception("on_dropped callback failed")

    def _sweep_loop(self) -> None:
        """Expire queued messages on time while disconnected, so the drop is reported promptly."""
        while True:
            with self._lock:
                if self._closed:
                    return
                now = time.monotonic()
                dropped = self._expire_queued(now)
                due = [r.expires_at for r in self._queue if r.expires_at is not None]
                if not dropped:
                    self._wake.wait(None if not due else max(0.0, min(due) - now) + 0.001)
            self._report(dropped)

    # ------------------------------------------------------------ subscribe

    def subscribe(self, topic_filter: str, callback: MessageCallback) -> None:
        """Call ``callback(topic, payload)`` (from the network thread) for every message matching
        ``topic_filter`` (MQTT wildcards + and #). The subscription (QoS 0, :data:`SUBSCRIBE_QOS`)
        is renewed on every reconnect, which brings the retained messages again. Exceptions in the callback are logged and do not stop the link."""
        with self._lock:
            new = topic_filter not in self._subs
            self._subs.setdefault(topic_filter, []).append(callback)
            if new:
                self._client.message_callback_add(topic_filter, self._dispatcher(topic_filter))
                if self._connected:
                    self._client.subscribe(topic_filter, qos=SUBSCRIBE_QOS)

    def subscriptions(self) -> list[str]:
        """The topic filters subscribed to, sorted."""
        with self._lock:
            return sorted(self._subs)

    def unsubscribe(self, topic_filter: str, callback: MessageCallback) -> None:
        """Stop calling ``callback`` for ``topic_filter``; the last callback gone ends the
        subscription at the broker. Unknown pairs are ignored."""
        with self._lock:
            callbacks = self._subs.get(topic_filter, [])
            if callback in callbacks:
                callbacks.remove(callback)
            if topic_filter in self._subs and not callbacks:
                del self._subs[topic_filter]
                self._client.message_callback_remove(topic_filter)
                if self._connected:
                    self._client.unsubscribe(topic_filter)

    def _dispatcher(self, topic_filter: str):
        def dispatch(_client, _userdata, m: mqtt.MQTTMessage) -> None:
            payload = bytes(m.payload)
            for cb in list(self._subs.get(topic_filter, ())):
                try:
                    cb(m.topic, payload)
                except Exception:
                    log.exception("MQTT callback for %s failed on %s", topic_filter, m.topic)

        return dispatch

    def add_connect_callback(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` (from the network thread) after every successful (re)connect,
        once the birth message, subscriptions and queued messages have been handed over."""
        with self._lock:
            self._connect_callbacks.append(callback)
            connected = self._connected
        if connected:
            callback()

    # ------------------------------------------------------------ paho callbacks (network thread)

    def _on_connect(self, client, _userdata, _flags, reason, _props) -> None:
        if reason.is_failure and reason.value == UNSUPPORTED_VERSION and self.protocol == "5" \
                and self.broker.protocol == "auto":
            log.info("MQTT %s does not speak MQTT 5; connecting with 3.1.1", self.broker.address())
            threading.Thread(target=self._fall_back, args=(client,), name="mqtt-fallback", daemon=True).start()
            return
        if reason.is_failure:
            login = "" if self.broker.username is None else f" for user {self.broker.username!r}"
            hint = " (hub.broker.protocol: auto falls back to 3.1.1)" if reason.value == UNSUPPORTED_VERSION else ""
            self.last_error = f"the broker refused the connection{login}: {reason}{hint}"
            log.error("MQTT %s %s", self.broker.address(), self.last_error)
            return
        self.last_error = None
        log.info("MQTT connected to %s with MQTT %s", self.broker.address(), self.protocol)
        now = time.monotonic()
        with self._lock:
            taken = client.drop_out_messages()
            with self._track_lock:
                unacked = [self._inflight.pop(m.mid) for m in taken if m.mid in self._inflight]
                self._inflight.clear()
                self._early_acks.clear()
            if self.status_topic:
                birth = PublishResult(MqttMessage(self.status_topic, b"online", 1, True), now, None, internal=True)
                self._hand(birth)
            if self._subs:
                client.subscribe([(f, SUBSCRIBE_QOS) for f in self._subs])
            unacked = [r for r in unacked if not r.internal]
            pending = unacked + list(self._queue)
            self._queue.clear()
            dropped = []
            for r in pending:
                if r.expires_at is not None and r.expires_at <= now:
                    dropped.append(self._finish(r, "expired"))
                else:
                    self._hand(r)
            self._connected = True
            callbacks = list(self._connect_callbacks)
        self._is_connected.set()
        if unacked or pending:
            log.info("MQTT reconnected: republished %d unacknowledged, sent %d queued, dropped %d expired",
                     len(unacked), len(pending) - len(unacked), len(dropped))
        self._report(dropped)
        for cb in callbacks:
            try:
                cb()
            except Exception:
                log.exception("MQTT connect callback failed")

    def _refused(self) -> bool:
        return (self.last_error or "").startswith("the broker refused")

    def _on_connect_fail(self, _client, _userdata) -> None:
        if self._refused():
            return  # it answered, and said no: that is the news, not the retry that followed
        tls = " (or its TLS handshake failed)" if self.broker.tls else ""
        self.last_error = f"no broker answering at {self.broker.address()}{tls}"

    def _on_disconnect(self, _client, _userdata, _flags, reason, _props) -> None:
        # No _lock here: paho may call this while holding its out-message lock (see __init__).
        self._connected = False
        self._is_connected.clear()
        if not self._closed and not self._refused():
            self.last_error = f"connection lost: {reason}"
            log.warning("MQTT connection to %s:%s lost (%s); reconnecting",
                        self.broker.host, self.broker.port, reason)

    def _on_publish(self, _client, _userdata, mid, _reason, _props) -> None:
        with self._track_lock:
            r = self._inflight.pop(mid, None)
            if r is None:
                self._early_acks.add(mid)
            else:
                self._ack(r)
