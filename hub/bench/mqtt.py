"""`hub bench mqtt`: hostile MQTT traffic against a running hub (the session of `hub run`).

Method: a private mosquitto on 127.0.0.1 (no limit on its per-client queue, so every message
reaches the hub); a session on the config without audio models. ``messages`` malformed payloads
(seeded: whole-payload attacks such as binary junk, 100 KB of brackets, NaN, and JSON objects whose
known state keys hold NaN, 1e308, 10**400, wrong types, deep nesting, 5,000-character strings) are
published with QoS 1, round robin over every topic the hub subscribes to (Tasmota's ``+`` filled
with its real suffixes), in acknowledged batches; a marker state message confirms the hub has read
them all. Counted: exceptions logged from callbacks; the hub's RSS before and after (after a warm-up
round of the same attack, so first-use allocations are not counted as growth); a query answered
afterwards. Then 1,000 presses of Home Assistant's reload button in a burst: how many reloads ran,
and how long a command published right after waited for its PUBACK (the network thread's lag).
"""

from __future__ import annotations

import gc
import json
import logging
import random
import time

from hub.config import Config
from hub.figures import machine_info, machine_line

KEYS = [  # every state key a protocol's reader looks at (hub/devices/state.py)
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
    "[]", "{}", "[1, 2]", '{"Temperature": 1e308, "Position": NaN, "Power": "ON"}',
    '{"Temperature": {"a": 1}}', "[" * 60 + "]" * 60, '"\\u0000"', '"\\ud800"', '"ON\\u0000"',
]
WHOLE_PAYLOADS = [  # the payload itself is the attack
    b"", b" ", b"\x00", b"\xff\xfe\xfd", bytes(range(256)), b"{", b"}", b"[" * 100_000,
    b'{"a":' * 50_000, b"NaN", b"Infinity", b"1e999", b"1" * 5000, b"null", b"[]", b'"ON"',
    b"ON" * 40, b"x" * 70_000, b'{"state": "' + b"A" * 60_000 + b'"}', "ÖN".encode("utf-16"),
    b"online\x00", b"\xef\xbb\xbfON", b'{"state": "ON"}' * 1000, b"Offline\n\r\t",
]
TASMOTA_SUFFIXES = ("RESULT", "STATE", "SENSOR", "POWER", "POWER1", "POWER2", "LWT", "X")


def field_attacks(rng: random.Random, n: int) -> list[bytes]:
    """``n`` JSON objects with one to three known keys set to a bad value (a third of them nested,
    as Tasmota's sensor objects are)."""
    out = []
    for _ in range(n):
        fields = {rng.choice(KEYS): rng.choice(BAD_VALUES) for _ in range(rng.randint(1, 3))}
        text = "{" + ", ".join(f"{json.dumps(k)}: {v}" for k, v in fields.items()) + "}"
        if rng.random() < 0.3:
            text = '{"AM2301": ' + text + ', "ENERGY": ' + text + "}"
        out.append(text.encode())
    return out


def concrete_topics(filters: list[str]) -> list[str]:
    """Topics the filters match that the readers know (plus one they do not); '#' is left out."""
    out = []
    for f in filters:
        if f.endswith("/+"):
            out += [f"{f[:-2]}/{s}" for s in TASMOTA_SUFFIXES]
        elif "#" not in f:
            out.append(f)
    return out


class ExceptionCount(logging.Handler):
    """Counts log records that carry an exception (a callback or a turn raised)."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.count += 1


def rss_mb() -> float:
    """This process's resident set size, MB (Linux /proc)."""
    with open("/proc/self/status") as f:
        return int(f.read().split("VmRSS:")[1].split()[0]) / 1024


def bench_mqtt(cfg: Config, messages: int = 10_000, seed: int = 13) -> dict:
    """Run the attack described in the module doc; returns the figures as a dict."""
    import paho.mqtt.client as mqtt

    from hub.app import Session
    from hub.config import BrokerConfig
    from hub.mqtt.broker import PrivateBroker
    from hub.mqtt.link import MqttLink
    from hub.types import Command, MqttMessage, Understanding

    rng = random.Random(seed)
    pool = WHOLE_PAYLOADS + field_attacks(rng, 200)
    errors = ExceptionCount()
    logging.getLogger().addHandler(errors)
    with PrivateBroker(extra_config=["max_queued_messages 0"]) as b:
        link = MqttLink(BrokerConfig(host=b.host, port=b.port), cfg.hub.options, client_id="bench-hub")
        link.connect()
        session = Session(cfg, link, cfg.hub.area, nlu_only=True)
        sender = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="bench-attacker")
        sender.max_inflight_messages_set(0)
        sender.connect(b.host, b.port)
        sender.loop_start()
        topics = concrete_topics(link.subscriptions())
        state_topics = [t for t in topics if not t.startswith(cfg.hub.options.base_topic + "/")
                        and t != f"{cfg.hub.options.discovery_prefix}/status"]

        def attack(n: int) -> float:
            t0 = time.perf_counter()
            for i in range(0, n, 500):
                infos = [sender.publish(topics[j % len(topics)], rng.choice(pool), qos=1) for j in range(i, min(n, i + 500))]
                for info in infos:
                    info.wait_for_publish(60)
            marker_topic, device = _marker(cfg, state_topics)
            value = rng.randint(1, 99)
            sender.publish(marker_topic, json.dumps({"humidity": value}).encode(), qos=1).wait_for_publish(60)
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                s = session.stages.state.get(device)
                if s is not None and s.humidity == value:
                    break
                time.sleep(0.02)
            return time.perf_counter() - t0

        try:
            attack(min(messages, 1000))  # warm-up: first-use allocations are not growth
            gc.collect()
            before = rss_mb()
            errors.count = 0
            seconds = attack(messages)
            gc.collect()
            after = rss_mb()
            executor = session.stages.executor
            answered = sum(bool(executor.execute(Understanding("?", "query", (Command(d.id, "query"),), 1.0, "", d.area)).reply)
                           for d in cfg.devices)
            runs0 = session.worker.runs
            presses = [sender.publish(f"{cfg.hub.options.base_topic}/reload/set", b"PRESS", qos=1) for _ in range(1000)]
            for info in presses:
                info.wait_for_publish(60)
            t0 = time.perf_counter()
            probe = link.publish_and_wait(MqttMessage("bench/probe", b"1"), timeout=60)
            probe_ms = (time.perf_counter() - t0) * 1000
            session.worker.wait_idle(60)
            reloads = session.worker.runs - runs0
        finally:
            logging.getLogger().removeHandler(errors)
            sender.disconnect()
            sender.loop_stop()
            session.close()
            link.close()
    return {
        "messages": messages, "topics": len(topics), "seconds": round(seconds, 2),
        "callback_exceptions": errors.count, "rss_before_mb": round(before, 1), "rss_after_mb": round(after, 1),
        "rss_growth_mb": round(after - before, 1), "queries_answered": answered, "devices": len(cfg.devices),
        "reload_presses": 1000, "reloads_run": reloads, "probe_puback_ms_after_presses": round(probe_ms, 1),
        "probe_acked": probe.ok, "machine": machine_info(),
    }


def _marker(cfg: Config, state_topics: list[str]) -> tuple[str, str]:
    """A generic or HA device's state topic and id, to mark the end of an attack with a good humidity."""
    for d in cfg.devices:
        if d.protocol in ("generic", "homeassistant") and f"{d.topic}/state" in state_topics:
            return f"{d.topic}/state", d.id
    raise ValueError("hub bench mqtt needs a generic or homeassistant device in the config")


def table(r: dict) -> str:
    """Markdown summary of a bench_mqtt result."""
    return "\n".join([
        "| figure | value |", "|---|---|",
        f"| malformed messages on {r['topics']} subscribed topics | {r['messages']} in {r['seconds']} s |",
        f"| exceptions in callbacks | {r['callback_exceptions']} |",
        f"| RSS before / after / growth MB | {r['rss_before_mb']} / {r['rss_after_mb']} / {r['rss_growth_mb']} |",
        f"| queries answered afterwards | {r['queries_answered']} / {r['devices']} |",
        f"| reload presses / reloads run | {r['reload_presses']} / {r['reloads_run']} |",
        f"| a command's PUBACK right after the presses | {r['probe_puback_ms_after_presses']} ms "
        f"({'acked' if r['probe_acked'] else 'NOT acked'}) |",
        "",
        "Method: `hub bench mqtt` (hub/bench/mqtt.py): a private mosquitto with no per-client queue limit, a "
        "session on the config without audio models; seeded malformed payloads (binary junk, NaN, Infinity, "
        "1e308, 10**400, deep nesting, wrong types, 5,000-character strings, over 64 KB) round robin over every "
        "subscribed topic in acknowledged QoS 1 batches, after a warm-up round; RSS from /proc after gc; then "
        "1,000 reload presses in a burst and one command's PUBACK wait.",
        "",
        machine_line(r["machine"]),
    ])
