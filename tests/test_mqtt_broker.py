"""PrivateBroker: a real mosquitto on a free loopback port; clear errors when it cannot start."""

from __future__ import annotations

import socket

import pytest

from hub.errors import BrokerError
from hub.mqtt.broker import PrivateBroker


def accepts(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def test_starts_stops_and_restarts_on_the_same_port():
    with PrivateBroker() as b:
        assert b.host == "127.0.0.1" and accepts(b.host, b.port) and b.address == f"127.0.0.1:{b.port}"
        port = b.port
        b.stop()
        assert not b.running and not accepts(b.host, port)
        b.start()
        assert b.port == port and accepts(b.host, port)
    assert not accepts("127.0.0.1", port)


def test_missing_binary_says_how_to_install():
    with pytest.raises(BrokerError, match="apt-get install mosquitto"):
        PrivateBroker(binary="mosquitto-not-installed-here").start()


def test_broker_that_fails_to_start_reports_its_output():
    with pytest.raises(BrokerError, match="mosquitto exited") as e:
        with PrivateBroker(extra_config=["no_such_option 1"]):
            pass
    assert "no_such_option" in str(e.value)


def test_port_in_use_is_a_clear_error():
    with PrivateBroker() as first:
        with pytest.raises(BrokerError, match=f"127.0.0.1:{first.port}"):
            PrivateBroker(port=first.port).start()
