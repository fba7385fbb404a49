"""Shared fixtures: a real mosquitto on 127.0.0.1 at a free port, and a subscriber that collects.

``broker``: a fresh PrivateBroker per test (function scope). ``module_broker``: one per test
module, for many cheap checks. ``collector(filter)``: a subscriber whose ``wait_for(n)``
returns once n messages arrived.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass

import paho.mqtt.client as mqtt
import pytest

from hub.mqtt.broker import PrivateBroker

WAIT_S = 20.0
"""Generous upper bound for anything to arrive; tests never assert on time."""


@pytest.fixture
def broker():
    with PrivateBroker() as b:
        yield b


@pytest.fixture(scope="module")
def module_broker():
    with PrivateBroker() as b:
        yield b


@dataclass(frozen=True)
class Received:
    topic: str
    payload: bytes
    retain: bool
    dup: bool


class Collector:
    """A paho subscriber on ``topic_filter`` that records every message it receives.

    ``clean_session=False`` with a fixed client id gives a persistent session: with a
    persistent broker, messages published while it is away are queued for it.
    """

    def __init__(self, host: str, port: int, topic_filter: str = "#", *, clean_session: bool = True):
        self.topic_filter = topic_filter
        self.messages: list[Received] = []
        self._cond = threading.Condition()
        self._subscribed = threading.Event()
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=f"collector-{uuid.uuid4().hex[:8]}",
            clean_session=clean_session,
        )
        self.client.max_inflight_messages_set(0)
        self.client.reconnect_delay_set(0.1, 0.5)  # type: ignore[arg-type]
        self.client.on_connect = self._on_connect
        self.client.on_subscribe = lambda *a: self._subscribed.set()
        self.client.on_message = self._on_message
        self.client.connect(host, port)
        self.client.loop_start()
        if not self._subscribed.wait(WAIT_S):
            raise RuntimeError(f"collector could not subscribe to {topic_filter!r} on {host}:{port}")

    def _on_connect(self, client, _u, _f, reason, _p) -> None:
        if not reason.is_failure:
            client.subscribe(self.topic_filter, qos=1)

    def _on_message(self, _c, _u, m) -> None:
        with self._cond:
            self.messages.append(Received(m.topic, bytes(m.payload), bool(m.retain), bool(m.dup)))
            self._cond.notify_all()

    def wait_for(self, n: int, timeout: float = WAIT_S, topic: str | None = None) -> list[Received]:
        """Block until at least ``n`` messages (on ``topic``, if given) arrived; return them all.
        Raises AssertionError naming what did arrive if they do not come within ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                got = [m for m in self.messages if topic is None or m.topic == topic]
                if len(got) >= n:
                    return got
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {n} messages, got {len(got)}: {got[-5:]}")
                self._cond.wait(left)

    def pairs(self) -> list[tuple[str, bytes]]:
        with self._cond:
            return [(m.topic, m.payload) for m in self.messages]

    def clear(self) -> None:
        with self._cond:
            self.messages.clear()

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


@pytest.fixture
def collector():
    """``collector(broker, filter="#", clean_session=True) -> Collector``; closed after the test."""
    made: list[Collector] = []

    def make(b: PrivateBroker, topic_filter: str = "#", *, clean_session: bool = True) -> Collector:
        c = Collector(b.host, b.port, topic_filter, clean_session=clean_session)
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()


@pytest.fixture
def reg(tmp_path):
    """An NLU model registry holding a copy of the real v1, as a fresh checkout has it (no registry.json)."""
    from hub.registry import Registry
    from test_registry_helpers import make_version

    root = tmp_path / "nlu"
    make_version(root / "v1", "v1")
    return Registry(root)
