"""MQTT 5 where the broker offers it, 3.1.1 where it does not (``hub.broker.protocol``).

mosquitto 2 speaks both, so a broker that speaks only 3.1.1 is played by a relay in front of
the real mosquitto (``V311OnlyFront``, a fake of the version check only): it answers an MQTT 5
CONNECT as a 3.1.1 broker does (CONNACK return code 1, "unacceptable protocol version", then
it closes) and relays every other connection to mosquitto byte for byte.
"""

from __future__ import annotations

import socket
import threading

import pytest

from hub.config import BrokerConfig, ConfigError
from hub.config_load import parse_config
from hub.errors import BrokerError
from hub.mqtt.broker import free_port
from hub.mqtt.link import MqttLink
from hub.types import MqttMessage
from conftest import WAIT_S


class V311OnlyFront:
    """A relay on a free loopback port in front of ``broker``; records the protocol level of
    every CONNECT (4: 3.1.1, 5: MQTT 5) in ``levels``; refuses level 5 when ``refuse_v5``."""

    def __init__(self, broker, refuse_v5: bool = True):
        self.upstream = (broker.host, broker.port)
        self.refuse_v5 = refuse_v5
        self.levels: list[int] = []
        self.port = free_port()
        self._server = socket.create_server(("127.0.0.1", self.port))
        self._sockets: list[socket.socket] = [self._server]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            self._sockets.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    @staticmethod
    def _read_packet(conn: socket.socket) -> bytes:
        """One whole MQTT packet (MQTT 3.1.1 §2.2: fixed header, remaining length varint)."""
        data = conn.recv(1)
        length, shift = 0, 0
        while True:
            b = conn.recv(1)
            data += b
            length |= (b[0] & 0x7F) << shift
            shift += 7
            if not b[0] & 0x80:
                break
        while len(data) < 1 + (shift // 7) + length:
            data += conn.recv(1 + (shift // 7) + length - len(data))
        return data

    def _serve(self, conn: socket.socket) -> None:
        try:
            connect = self._read_packet(conn)
        except (OSError, IndexError):
            conn.close()
            return
        name_at = connect.index(b"MQTT")  # the protocol name, then the level byte
        level = connect[name_at + 4]
        self.levels.append(level)
        if level == 5 and self.refuse_v5:
            conn.sendall(b"\x20\x02\x00\x01")  # CONNACK, return code 1: unacceptable protocol version
            conn.close()
            return
        up = socket.create_connection(self.upstream)
        self._sockets.append(up)
        up.sendall(connect)
        threading.Thread(target=self._pipe, args=(up, conn), daemon=True).start()
        self._pipe(conn, up)

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while chunk := src.recv(65536):
                dst.sendall(chunk)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        for s in self._sockets:
            s.close()


@pytest.fixture
def front(broker):
    fronts: list[V311OnlyFront] = []

    def make(refuse_v5: bool = True) -> V311OnlyFront:
        fronts.append(V311OnlyFront(broker, refuse_v5))
        return fronts[-1]

    yield make
    for f in fronts:
        f.close()


def _round_trip(link: MqttLink) -> bytes:
    """Publish to a topic the link subscribes to; return the payload it receives."""
    got: list[bytes] = []
    arrived = threading.Event()
    link.subscribe("version/echo", lambda t, p: (got.append(p), arrived.set()))
    link.publish_and_wait(MqttMessage("version/echo", b"ping"), WAIT_S)
    assert arrived.wait(WAIT_S)
    return got[0]


def test_auto_speaks_mqtt_5_to_a_broker_that_offers_it(broker, front):
    relay = front(refuse_v5=False)
    with MqttLink(BrokerConfig(host="127.0.0.1", port=relay.port), status_topic=None) as link:
        assert link.wait_connected(WAIT_S)
        assert link.protocol == "5" and relay.levels == [5]
        assert link.publish_and_wait(MqttMessage("version/cmd", b"ON"), WAIT_S).ok
        assert _round_trip(link) == b"ping"


def test_auto_falls_back_to_3_1_1_when_the_broker_does_not_speak_5(broker, front):
    relay = front()
    with MqttLink(BrokerConfig(host="127.0.0.1", port=relay.port), status_topic=None,
                  reconnect_min_s=0.1, reconnect_max_s=0.5) as link:
        link.subscribe("version/before", lambda t, p: None)  # made before the fallback: kept
        assert link.wait_connected(WAIT_S)
        assert link.protocol == "3.1.1" and relay.levels == [5, 4]
        assert link.publish_and_wait(MqttMessage("version/cmd", b"ON"), WAIT_S).ok
        assert _round_trip(link) == b"ping"
        assert link.subscriptions() == ["version/before", "version/echo"]


def test_a_message_published_before_the_fallback_is_sent_once_after_it(broker, front, collector):
    relay = front()
    sub = collector(broker, "version/#")
    link = MqttLink(BrokerConfig(host="127.0.0.1", port=relay.port), status_topic=None, autostart=False)
    try:
        queued = link.publish(MqttMessage("version/early", b"1"))
        link.start()
        assert queued.wait(WAIT_S) and queued.attempts == 1
        sub.wait_for(1)
        assert sub.pairs() == [("version/early", b"1")]
    finally:
        link.close()


def test_protocol_5_only_reports_a_broker_without_it(broker, front):
    relay = front()
    cfg = BrokerConfig(host="127.0.0.1", port=relay.port, protocol="5")
    with pytest.raises(BrokerError, match="(?i)unsupported protocol version"):
        MqttLink(cfg, status_topic=None, reconnect_min_s=0.1, reconnect_max_s=0.3).connect(3.0)
    assert set(relay.levels) == {5}


def test_protocol_3_1_1_never_tries_5(broker, front):
    relay = front(refuse_v5=False)
    cfg = BrokerConfig(host="127.0.0.1", port=relay.port, protocol="3.1.1")
    with MqttLink(cfg, status_topic=None) as link:
        assert link.wait_connected(WAIT_S)
        assert link.protocol == "3.1.1" and relay.levels == [4]


def test_config_takes_5_as_a_number_and_refuses_other_versions():
    assert parse_config("hub: {broker: {protocol: 5}}\n").hub.broker.protocol == "5"
    assert parse_config("hub: {broker: {protocol: '3.1.1'}}\n").hub.broker.protocol == "3.1.1"
    with pytest.raises(ConfigError, match=r"<memory>:1 hub\.broker\.protocol"):
        parse_config("hub: {broker: {protocol: 4}}\n")
