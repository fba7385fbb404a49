"""MqttLink against a real mosquitto: acks, birth/will, resubscribe, restart bursts, expiry."""

from __future__ import annotations

import json
import socket
from collections import Counter
import threading
import time

import pytest

from hub.config import BrokerConfig, Options
from hub.errors import BrokerError
from hub.mqtt.broker import PrivateBroker, free_port
from hub.mqtt.link import MqttLink, PublishResult
from hub.types import MqttMessage

WAIT_S = 20.0


def make_link(b: PrivateBroker, **kw) -> MqttLink:
    kw.setdefault("reconnect_min_s", 0.1)
    kw.setdefault("reconnect_max_s", 0.5)
    return MqttLink(BrokerConfig(host=b.host, port=b.port), Options(), **kw)


def wait_until(cond, what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def test_publish_is_acked_and_delivered_exactly(broker, collector):
    sub = collector(broker, "zigbee2mqtt/#")
    with make_link(broker) as link:
        assert link.wait_connected(WAIT_S)
        r = link.publish_and_wait(MqttMessage("zigbee2mqtt/lamp/set", b'{"state":"ON"}'), WAIT_S)
        assert r.status == "acked" and r.attempts == 1
        assert r.ack_ms is not None and r.ack_ms >= 0
    assert sub.wait_for(1)[0].topic == "zigbee2mqtt/lamp/set"
    assert sub.pairs() == [("zigbee2mqtt/lamp/set", b'{"state":"ON"}')]


def test_birth_and_offline_on_close_are_retained(broker, collector):
    link = make_link(broker, status_topic="hub/status").start()
    assert link.wait_connected(WAIT_S)
    link.close()
    late = collector(broker, "hub/status")  # joins after: sees only the retained value
    (m,) = late.wait_for(1)
    assert (m.payload, m.retain) == (b"offline", True)


def test_last_will_on_broken_connection_then_birth(broker, collector):
    sub = collector(broker, "hub/status")
    with make_link(broker, status_topic="hub/status") as link:
        assert link.wait_connected(WAIT_S)
        sub.wait_for(1)
        # An unclean loss (no DISCONNECT packet): the broker publishes the will.
        link._client.socket().shutdown(socket.SHUT_RDWR)
        got = sub.wait_for(3)
    assert [m.payload for m in got[:3]] == [b"online", b"offline", b"online"]


def test_subscription_survives_broker_restart(broker):
    seen: list[tuple[str, bytes]] = []
    arrived = threading.Event()

    def on_msg(topic: str, payload: bytes) -> None:
        seen.append((topic, payload))
        arrived.set()

    with make_link(broker) as link, make_link(broker, status_topic=None) as sender:
        link.subscribe("stat/+/POWER", on_msg)
        link.subscribe("stat/+/POWER", lambda t, p: 1 / 0)  # a failing callback is logged, not fatal
        assert link.wait_connected(WAIT_S) and sender.wait_connected(WAIT_S)
        broker.stop()
        wait_until(lambda: not link.connected, "the link to notice the broker is gone")
        broker.start()
        wait_until(lambda: link.connected and sender.connected, "both links to reconnect")
        # Resubscription is asynchronous: publish until one arrives.
        while not arrived.wait(0.2):
            assert sender.publish(MqttMessage("stat/kitchen_light/POWER", b"ON")).wait(WAIT_S)
    assert seen[0] == ("stat/kitchen_light/POWER", b"ON")


def test_broker_restart_during_burst_every_command_arrives_once_in_order(collector):
    """1,000 commands; the broker stops after 300 and comes back after 600.

    The broker keeps sessions across the restart (persistence, as a real install does) and the
    subscriber has a persistent session, so it misses nothing while it reconnects. Each command
    must arrive; a second copy is allowed only as QoS 1 redelivery: a command the link had to
    republish because its PUBACK was lost (``attempts`` 2), or the broker's DUP redelivery to
    the subscriber.
    """
    n = 1000
    with PrivateBroker(persistence=True, extra_config=["max_queued_messages 0"]) as b:
        sub = collector(b, "burst/#", clean_session=False)
        results: list[PublishResult] = []
        status_at_publish: list[str] = []
        with make_link(b, queue_size=n, expiry_s=600) as link:
            assert link.wait_connected(WAIT_S)
            for i in range(n):
                if i == 300:
                    b.stop()
                    wait_until(lambda: not link.connected, "the link to notice the broker is gone")
                if i == 600:
                    b.start()
                results.append(link.publish(MqttMessage("burst/cmd", json.dumps({"id": i}).encode())))
                status_at_publish.append(results[-1].status)
            assert link.flush(WAIT_S)
            assert all(r.status == "acked" for r in results)
            assert set(status_at_publish[300:600]) == {"queued"}, "commands wait while the broker is down"
            sub.wait_for(n)
            wait_until(lambda: len({json.loads(m.payload)["id"] for m in sub.wait_for(0)}) == n,
                       "every id to arrive")
        got = sub.wait_for(0)
    ids = [json.loads(m.payload)["id"] for m in got]
    firsts = list(dict.fromkeys(ids))
    assert sorted(firsts) == list(range(n))
    assert firsts == list(range(n)), "first arrivals are in publish order"
    # The broker marks its own redeliveries DUP; a second un-marked copy can only be the link's
    # republish of a command whose PUBACK was lost.
    fresh = Counter(json.loads(m.payload)["id"] for m in got if not m.dup)
    republished = {i for i, r in enumerate(results) if r.attempts > 1}
    assert {i for i, c in fresh.items() if c > 1} <= republished
    extra = len(ids) - n
    allowed = sum(r.attempts - 1 for r in results) + sum(m.dup for m in got)
    assert extra <= allowed, f"{extra} duplicates, only {allowed} explained by QoS 1 redelivery"


def test_command_queued_past_its_expiry_is_dropped_and_reported(collector):
    dropped: list[PublishResult] = []
    reported = threading.Event()

    def on_dropped(r: PublishResult) -> None:
        dropped.append(r)
        reported.set()

    # Persistent broker and subscriber session: the subscriber misses nothing across the restart.
    with PrivateBroker(persistence=True) as broker:
        sub = collector(broker, "cmnd/#", clean_session=False)
        with make_link(broker, expiry_s=0.3, on_dropped=on_dropped) as link:
            assert link.wait_connected(WAIT_S)
            broker.stop()
            wait_until(lambda: not link.connected, "the link to notice the broker is gone")
            stale = link.publish(MqttMessage("cmnd/garage_light/POWER", b"ON"))
            assert stale.status == "queued"
            assert reported.wait(WAIT_S)  # expired while the broker is still down
            assert dropped == [stale] and stale.status == "expired" and not stale.wait(0)
            assert "unreachable for over 0.3 s" in stale.describe()
            told: list[PublishResult] = []
            stale.add_done_callback(told.append)  # a late follower hears at once
            assert told == [stale]
            fresh = link.publish(MqttMessage("cmnd/garage_light/POWER", b"OFF"), expiry_s=None)
            fresh.add_done_callback(told.append)
            broker.start()
            assert fresh.wait(WAIT_S)
            wait_until(lambda: told == [stale, fresh], "the acked message's done callback")
            # A marker after it: once the marker is in, anything sent before it is too.
            assert link.publish_and_wait(MqttMessage("cmnd/marker", b""), WAIT_S).ok
        sub.wait_for(1, topic="cmnd/marker")
    assert sub.pairs() == [("cmnd/garage_light/POWER", b"OFF"), ("cmnd/marker", b"")]


def test_full_queue_refuses_new_commands(broker):
    dropped: list[PublishResult] = []
    link = make_link(broker, queue_size=2, on_dropped=dropped.append, autostart=False)
    try:  # never started: everything queues
        a, b_, c = (link.publish(MqttMessage("x/set", bytes([i]))) for i in range(3))
        assert (a.status, b_.status, c.status) == ("queued", "queued", "queue_full")
        assert dropped == [c] and "too many commands" in c.describe()
    finally:
        link.close()
    assert a.status == b_.status == "closed"


def test_qos_other_than_1_is_refused(broker):
    link = make_link(broker)
    try:
        with pytest.raises(ValueError, match="QoS 1 only"):
            link.publish(MqttMessage("a/b", b"", qos=0))
    finally:
        link.close()


def test_publish_after_close_is_a_clear_error(broker):
    link = make_link(broker)
    link.close()
    with pytest.raises(BrokerError, match="closed"):
        link.publish(MqttMessage("a/b", b"x"))


def test_connect_to_nothing_names_the_address():
    port = free_port()
    link = MqttLink(BrokerConfig(host="127.0.0.1", port=port), reconnect_min_s=0.1, reconnect_max_s=0.2)
    with pytest.raises(BrokerError, match=f"127.0.0.1:{port}"):
        link.connect(timeout=0.5)
