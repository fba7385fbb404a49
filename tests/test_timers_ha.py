"""Home Assistant sees the running hub's timers: discovery of the "Timer finished" event entity and
the "Active timers" sensor, the sensor's retained state on start/cancel/pause and every 10 s while
a timer runs (not every tick), the event when one ends. Real mosquitto, the demo home, the real
intent model, a fake clock (tests/fake_clock.py) moved by the test."""

from __future__ import annotations

import json
import queue
import time
from pathlib import Path

import pytest

from conftest import WAIT_S
from fake_clock import FakeClock
from hub.app import Session
from hub.config import BrokerConfig
from hub.config_load import load_config
from hub.mqtt.link import MqttLink

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def hub(broker):
    cfg = load_config(ROOT / "config.yaml")
    link = MqttLink(BrokerConfig(host=broker.host, port=broker.port), cfg.hub.options)
    assert link.wait_connected(WAIT_S)
    clock = FakeClock()
    session = Session(cfg, link, cfg.hub.area, nlu_only=True, on_notice=queue.Queue().put, clock=clock)

    def say(text: str) -> str:
        return session.stages.executor.execute(session.stages.parser.parse(text, area=cfg.hub.area)).reply

    yield say, clock, session
    session.close()
    link.close(0)


def reports(seen, n: int) -> list[dict]:
    return [json.loads(m.payload) for m in seen.wait_for(n, topic="hub/timers")]


def test_discovery_has_the_timer_event_and_the_active_timers_sensor(broker, hub, collector):
    late = collector(broker, "homeassistant/+/hub/+/config")
    _, _, session = hub
    # every entity's config: retained ones reach a late subscriber in topic order, not publish order
    cfgs = {m.topic: json.loads(m.payload) for m in late.wait_for(len(session.discovery.configs()))}
    event = cfgs["homeassistant/event/hub/timer/config"]
    assert (event["name"], event["state_topic"], event["event_types"]) == ("Timer finished", "hub/timer", ["finished", "missed"])
    sensor = cfgs["homeassistant/sensor/hub/timers/config"]
    assert (sensor["state_topic"], sensor["json_attributes_topic"]) == ("hub/timers", "hub/timers")
    assert sensor["value_template"] == "{{ value_json.count }}"
    for c in (event, sensor):
        assert c["availability_topic"] == "hub/status" and c["unique_id"].startswith("hub_")
        assert c["device"] == cfgs["homeassistant/sensor/hub/transcript/config"]["device"]


def test_the_sensor_follows_the_timers_and_the_event_fires_when_one_ends(broker, hub, collector):
    say, clock, session = hub
    seen = collector(broker, "hub/#")
    assert reports(seen, 1)[0] == {"count": 0, "timers": []}  # retained since the hub started
    say("set a 5 minute pasta timer")
    last = reports(seen, 2)[-1]
    assert last["count"] == 1
    assert [(t["name"], t["remaining_s"], t["paused"]) for t in last["timers"]] == [("pasta", 300.0, False)]
    assert last["timers"][0]["ends_at"].startswith("2026-12-03T18:05:00")
    clock.advance(3)
    session.agenda.poke()
    clock.advance(7)
    session.agenda.poke()
    periodic = reports(seen, 3)[-1]
    assert [t["remaining_s"] for t in periodic["timers"]] == [290.0]
    say("pause the pasta timer")
    paused = reports(seen, 4)[-1]["timers"][0]
    assert (paused["paused"], paused["ends_at"]) == (True, None)
    say("resume the pasta timer")
    reports(seen, 5)
    clock.advance(290)
    session.agenda.poke()
    event = json.loads(seen.wait_for(1, topic="hub/timer")[0].payload)
    assert (event["event_type"], event["name"], event["duration_s"]) == ("finished", "pasta", 300.0)
    deadline = time.monotonic() + WAIT_S
    while reports(seen, 1)[-1]["count"] != 0:
        assert time.monotonic() < deadline, "the sensor is back to no timers"
        time.sleep(0.05)
    assert len(reports(seen, 1)) <= 7, "reported on changes and now and then, not every tick"
