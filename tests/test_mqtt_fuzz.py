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
from hub.config import BrokerConfig, parse_config
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

KEYS = [  # every state key any protocol's reader looks at
    "state", "lock_state", "brightness", "color_temp", "position", "local_temperature",
    "occupied_heating_setpoint", "current_heating_setpoint", "system_mode", "temperature", "humidity",
    "battery", "power", "occupancy", "presence", "water_leak", "smoke", "gas", "vibration", "contact",
    "fan_state", "available", "POWER", "POWER1", "POWER2", "Dimmer", "CT", "Shutter1", "ENERGY", "AM2301",
    "TempUnit", "volume", "muted", "locked", "detected", "hvac_mode", "media_state", "target_temperature",
    "current_temperature", "target_humidity", "current_position", "volume_level", "is_volume_muted",
    "mode", "current_humidity", "battery_level",
]
BAD_VALUES = [  # JSON texts, so that NaN, Infinity and huge numbers reach the parser as such
    "1e308", "-1e308", "1e400", "-1e400", "NaN", "Infinity", "-Infinity", "1" + "0" * 400, "-0.0",
    "123456789012345678901234567890", '""', '"x"', '"' + "A" * 5000 + '"', "null", "true", "false",
    "[]", "{}", '[1, 2]', '{"Temperature": 1e308, "Position": NaN, "Power": "ON"}',
    '{"Temperature": {"a": 1}}', "[" * 60 + "]" * 60, '"\\u0000"', '"\\ud800"', '"ON\\u0000"',
]
WHOLE_PAYLOADS = [  # the payload itself is the attack
    b"", b" ", b"\x00", b"\xff\xfe\xfd", bytes(range(256)), b"{", b"}", b"[" * 100_000,
    b'{"a":' * 50_000, b"NaN", b"Infinity", b"1e999", b"1" * 5000, b"null", b"[]", b'"ON"',
    b"ON" * 40, b"x" * 70_000, b'{"state": "' + b"A" * 60_000 + b'"}', "ÖN".encode("utf-16"),
    b"online\x00", b"\xef\xbb\xbfON", b'{"state": "ON"}' * 1000, b"Offline\n\r\t",
]


def payload_pool(rng: random.Random) -> list[bytes]:
    """Field attacks: a JSON object with one to three known keys set to a bad value (also
    nested, as Tasmota's sensor objects are)."""
    out = []
    for _ in range(PER_TOPIC):
        fields = {rng.choice(KEYS): rng.choice(BAD_VALUES) for _ in range(rng.randint(1, 3))}
        body = ", ".join(f"{json.dumps(k)}: {v}" for k, v in fields.items())
        text = "{" + body + "}"
        if rng.random() < 0.3:
            text = '{"AM2301": ' + text + ', "ENERGY": ' + text + "}"
        out.append(text.encode())
    return out


def concrete(topic_filter: str) -> list[str]:
    """Topics a filter matches that the readers know, plus one they do not."""
    if topic_filter.endswith("/+"):
        base = topic_filter[:-2]
        return [f"{base}/{s}" for s in ("RESULT", "STATE", "SENSOR", "POWER", "POWER1", "POWER2", "LWT", "X")]
    return [topic_filter]


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
    state = session.stages["state"]
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
        filters = sorted(link._subs)
        probe.close()
        link.close()
        topics = [t for f in filters if f != "#" for t in concrete(f)]
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

        executor = session.stages["executor"]
        for d in cfg.devices:
            out = executor.execute(Understanding(f"how is the {d.name}", "query", (Command(d.id, "query"),), 1.0, "", d.area))
            assert out.reply, d.id
        for text in ("what is the temperature in the office", "what's the temperature in the attic",
                     "is the front door locked", "turn on the kitchen light"):
            u = session.stages["parser"].parse(text, area=cfg.hub.area)
            out = executor.execute(u)
            assert out.reply, text
        assert out.published, "a command still goes out"
        client.publish("zigbee2mqtt/attic", b'{"temperature": 21.5}', qos=1, retain=True).wait_for_publish(WAIT_S)
        deadline = time.monotonic() + WAIT_S
        while (session.stages["state"].get("z_sensor") or None) is None or \
                session.stages["state"].get("z_sensor").current_temperature != 21.5:
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
