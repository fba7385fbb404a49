"""Every catalog command on every protocol that carries it, published through a real mosquitto:
a subscriber on the broker sees exactly the topic and payload the device software expects."""

import time

import pytest

from hub.config import BrokerConfig
from hub.devices.router import Router
from hub.mqtt.link import MqttLink
from hub.types import Command
from test_router import GOLDEN, HA_LIGHT_ATTRIBUTES, representative_config


@pytest.fixture(scope="module")
def link(module_broker):
    link = MqttLink(BrokerConfig(host=module_broker.host, port=module_broker.port), client_id="router-mqtt-test")
    link.connect()
    yield link
    link.close()


def test_every_golden_payload_arrives_exactly(module_broker, link, collector):
    router = Router(representative_config())
    seen = collector(module_broker, "#")
    sent = []
    for type_, action, protocol, value, topic, payload in GOLDEN:
        for m in router.route(Command(f"{type_}_{protocol}", action, value)):
            assert link.publish_and_wait(m, timeout=5.0).ok
            sent.append((m.topic, m.payload))
    expected = []
    for type_, action, protocol, _, topic, payload in GOLDEN:
        expected.append((topic, payload.encode()))
        if type_ == "light" and protocol == "homeassistant" and action in HA_LIGHT_ATTRIBUTES:
            expected.append(("ha/light/t/set", b"ON"))  # Home Assistant's on_command_type last
    assert sent == expected
    deadline = time.monotonic() + 10
    while len(device_messages(seen)) < len(sent) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(device_messages(seen)) == sorted(sent)


def device_messages(seen):
    """What the broker delivered, without the hub's own status topic."""
    return [(t, p) for t, p in seen.pairs() if not t.startswith("hub/")]
