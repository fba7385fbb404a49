"""No MQTT message can hurt the hub: a seeded, bounded list of malformed payloads is thrown at
every topic a running hub subscribes to (retained before it starts, then live) through a real
mosquitto. No callback may raise, and afterwards the hub still answers every query and a command.
"""

from __future__ import annotations

import json
import logging
import random
import time
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
import yaml

from hub.app import Session
from hub.bench.mqtt import WHOLE_PAYLOADS, concrete_topics, field_attacks
from hub.config import BrokerConfig
from hub.config_load import parse_config
from hub.mqtt.broker import PrivateBroker
from hub.mqtt.link import MqttLink
from hub.types import Command, Understanding

ROOT = Path(__file__).resolve().parent.parent
WAIT_S = 30.0
SEED = 13
PER_TOPIC = 40
"""Random field payloads per topic, besides every whole-payload attack."""

EXTRA_DEVICES = [  # a sensor and a binary sensor on every protocol, beside the demo home
    {"id": "z_sensor", "name": "Attic sensor", "area": "office", "type": "sensor",
     "features": ["temperature", "humidity", "battery", "power"], "protocol": "zigbee2mqtt", "topic": "zigbee2mqtt/attic"},
    {"id": "t_sensor", "name": "Cellar sensor", "area": "garage", "type": "sensor",
     "features": ["temperature", "humidity", "power"], "protocol": "tasmota", "topic": "cellar"},
    {"id": "g_sensor", "name": "Shed sensor", "area": "garden", "type": "sensor",
     "features": ["temperature", "humidity"], "protocol": "generic", "topic": "home/shed"},
    {"id": "h_sensor", "name": "Porch sensor", "area": "garden", "type": "sensor",
     "features": ["temperature"], "protocol": "homeassistant", "topic": "ha/porch"},
    {"id": "z_door", "name": "Side door contact", "area": "hallway", "type": "binary_sensor",
     "features": ["door"], "protocol": "zigbee2mqtt", "topic": "zigbee2mqtt/side_door"},
]

def payload_pool(rng: random.Random) -> list[bytes]:
    return field_attacks(rng, PER_TOPIC)


class Errors(logging.Handler):
    """Every log record that carries an exception: a callback or a turn raised."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.records.append(record)


def home():
    raw = yaml.safe_load((ROOT / "config.yaml").read_text())
    raw["devices"] += EXTRA_DEVICES
    return parse_config(yaml.safe_dump(raw, sort_keys=False), "config.yaml")


def sender(b: PrivateBroker) -> mqtt.Client:
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"fuzzer-{SEED}")
    c.max_inflight_messages_set(0)
    c.connect(b.host, b.port)
    c.loop_start()
    return c


def throw(client: mqtt.Client, messages: list[tuple[str, bytes]], retain: bool) -> None:
    """Publish QoS 1 in batches, each acknowledged before the next, so the broker's queue for
    the hub never overflows (that is a different question from a payload's harm)."""
    for i in range(0, len(messages), 200):
        infos = [client.publish(t, p, qos=1, retain=retain) for t, p in messages[i:i + 200]]
        for info in infos:
            info.wait_for_publish(WAIT_S)


def settled(session: Session, client: mqtt.Client) -> None:
    """Wait until the hub has read everything sent before: a marker state comes through last."""
    state = session.stages.state
    marker = random.Random().randint(1, 99)
    client.publish("home/shed/state", json.dumps({"humidity": marker}).encode(), qos=1).wait_for_publish(WAIT_S)
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        s = state.get("g_sensor")
        if s is not None and s.humidity == marker:
            return
        time.sleep(0.05)
    raise AssertionError("the hub did not read the marker state message")


@pytest.fixture
def big_queue_broker():
    with PrivateBroker(extra_config=["max_queued_messages 0"]) as b:
        yield b


def test_malformed_payloads_on_every_subscribed_topic_hurt_nothing(big_queue_broker):
    b = big_queue_broker
    cfg = home()
    rng = random.Random(SEED)
    errors = Errors()
    logging.getLogger().addHandler(errors)
    client = sender(b)
    link = MqttLink(BrokerConfig(host=b.host, port=b.port), cfg.hub.options, client_id="fuzz-hub")
    session = None
    try:
        # The topics a hub subscribes to, learnt from a first session; then retained attacks wait for the next.
        assert link.wait_connected(WAIT_S)
        probe = Session(cfg, link, cfg.hub.area, nlu_only=True)
        filters = link.subscriptions()
        probe.close()
        link.close()
        topics = concrete_topics(filters)
        assert len(topics) > 50
        retained = [(t, rng.choice(WHOLE_PAYLOADS + payload_pool(rng))) for t in topics]
        throw(client, retained, retain=True)

        link = MqttLink(BrokerConfig(host=b.host, port=b.port), cfg.hub.options, client_id="fuzz-hub")
        assert link.wait_connected(WAIT_S)
        session = Session(cfg, link, cfg.hub.area, nlu_only=True)
        live = [(t, p) for t in topics for p in WHOLE_PAYLOADS + payload_pool(rng)]
        rng.shuffle(live)
        throw(client, live, retain=False)
        settled(session, client)
        thrown = len(retained) + len(live)

        executor = session.stages.executor
        for d in cfg.devices:
            out = executor.execute(Understanding(f"how is the {d.name}", "query", (Command(d.id, "query"),), 1.0, "", d.area))
            assert out.reply, d.id
        for text in ("what is the temperature in the office", "what's the temperature in the attic",
                     "is the front door locked", "turn on the kitchen light"):
            u = session.stages.parser.parse(text, area=cfg.hub.area)
            out = executor.execute(u)
            assert out.reply, text
        assert out.published, "a command still goes out"
        client.publish("zigbee2mqtt/attic", b'{"temperature": 21.5}', qos=1, retain=True).wait_for_publish(WAIT_S)
        deadline = time.monotonic() + WAIT_S
        while (session.stages.state.get("z_sensor") or None) is None or \
                session.stages.state.get("z_sensor").current_temperature != 21.5:
            assert time.monotonic() < deadline, "a good state after the attack is read"
            time.sleep(0.05)
        assert "21.5" in executor.execute(Understanding("x", "query", (Command("z_sensor", "query"),), 1.0, "", None)).reply
    finally:
        logging.getLogger().removeHandler(errors)
        if session is not None:
            session.close()
        link.close()
        client.disconnect()
        client.loop_stop()
    raised = sorted({f"{r.name}: {r.getMessage()[:80]} ({r.exc_info[0].__name__})" for r in errors.records})
    assert not raised, f"{len(errors.records)} exceptions from {thrown} messages:\n" + "\n".join(raised)
