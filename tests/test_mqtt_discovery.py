"""Home Assistant discovery through a real mosquitto: retained configs, birth republish, commands."""

from __future__ import annotations

import json
import threading
import time

import paho.mqtt.client as mqtt
import pytest

from hub.config import BrokerConfig
from hub.config_load import parse_config
from hub.mqtt.broker import PrivateBroker
from hub.mqtt.discovery import Discovery
from hub.mqtt.link import MqttLink
from hub.types import Command, MqttMessage, Understanding

WAIT_S = 20.0
HOME = "hub: {name: Maple House Hub}\n"
INTENTS = ["turn_on", "turn_off", "set_temperature", "query_state"]
EXPECTED = {
    "homeassistant/sensor/hub/transcript/config",
    "homeassistant/sensor/hub/last_intent/config",
    "homeassistant/switch/hub/low_power/config",
    "homeassistant/select/hub/model_set/config",
    "homeassistant/button/hub/reload_config/config",
    "homeassistant/event/hub/intent/config",
    "homeassistant/event/hub/timer/config",
    "homeassistant/sensor/hub/timers/config",
    "homeassistant/sensor/hub/wake_word/config",
}


@pytest.fixture
def hub_link(broker):
    link = MqttLink(BrokerConfig(host=broker.host, port=broker.port), status_topic="hub/status",
                    reconnect_min_s=0.1, reconnect_max_s=0.5)
    yield link
    link.close()


def send(broker, topic: str, payload: bytes) -> None:
    """Publish like Home Assistant would, from its own client."""
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    c.connect(broker.host, broker.port)
    c.loop_start()
    c.publish(topic, payload, qos=1).wait_for_publish(WAIT_S)
    c.disconnect()
    c.loop_stop()


def configs_of(msgs) -> dict[str, dict]:
    return {m.topic: json.loads(m.payload) for m in msgs if m.topic.endswith("/config")}


def test_configs_are_retained_with_exact_topics_and_valid_json(broker, hub_link, collector):
    Discovery(parse_config(HOME), hub_link, INTENTS)
    hub_link.start()
    assert hub_link.wait_connected(WAIT_S) and hub_link.flush(WAIT_S)
    late = collector(broker, "homeassistant/#")  # subscribes afterwards: sees retained copies only
    msgs = late.wait_for(len(EXPECTED))
    assert all(m.retain for m in msgs)
    cfgs = configs_of(msgs)
    assert set(cfgs) == EXPECTED
    devices = {json.dumps(c["device"], sort_keys=True) for c in cfgs.values()}
    assert len(devices) == 1 and json.loads(devices.pop())["name"] == "Maple House Hub"
    assert len({c["unique_id"] for c in cfgs.values()}) == len(EXPECTED)
    for c in cfgs.values():
        assert c["availability_topic"] == "hub/status"
        assert (c["payload_available"], c["payload_not_available"]) == ("online", "offline")
    assert cfgs["homeassistant/event/hub/intent/config"]["event_types"] == sorted(INTENTS)
    assert cfgs["homeassistant/event/hub/intent/config"]["state_topic"] == "hub/intent"
    sel = cfgs["homeassistant/select/hub/model_set/config"]
    assert sel["options"] == ["full", "low-power", "auto"] and sel["command_topic"] == "hub/model_set/set"
    sw = cfgs["homeassistant/switch/hub/low_power/config"]
    assert (sw["command_topic"], sw["state_topic"]) == ("hub/low_power/set", "hub/low_power")
    assert cfgs["homeassistant/button/hub/reload_config/config"]["command_topic"] == "hub/reload/set"
    assert cfgs["homeassistant/sensor/hub/transcript/config"]["state_topic"] == "hub/transcript"
    state = collector(broker, "hub/#")
    got = {m.topic: m.payload for m in state.wait_for(3)}
    assert got == {"hub/status": b"online", "hub/low_power": b"OFF", "hub/model_set": b"auto"}


def test_republished_when_home_assistant_comes_online(broker, hub_link, collector):
    Discovery(parse_config(HOME), hub_link, INTENTS)
    hub_link.start()
    assert hub_link.wait_connected(WAIT_S) and hub_link.flush(WAIT_S)
    live = collector(broker, "homeassistant/+/hub/+/config")
    live.wait_for(len(EXPECTED))  # the retained copies
    live.clear()
    send(broker, "homeassistant/status", b"offline")
    send(broker, "homeassistant/status", b"online")
    fresh = live.wait_for(len(EXPECTED))
    assert set(configs_of(fresh)) == EXPECTED
    assert not any(m.retain for m in fresh), "live copies of a republish, not the retained ones"


def test_commands_call_back_and_echo_state(broker, hub_link, collector):
    calls: list = []
    reloaded = threading.Event()
    Discovery(parse_config(HOME), hub_link, INTENTS,
              on_low_power=calls.append, on_model_set=calls.append,
              on_reload=lambda: (calls.append("reload"), reloaded.set()))
    hub_link.start()
    assert hub_link.wait_connected(WAIT_S) and hub_link.flush(WAIT_S)
    state = collector(broker, "hub/+")
    state.wait_for(3)
    state.clear()
    send(broker, "hub/low_power/set", b"ON")
    state.wait_for(1, topic="hub/low_power")
    send(broker, "hub/model_set/set", b"turbo")  # not an option: ignored
    send(broker, "hub/model_set/set", b"low-power")
    state.wait_for(1, topic="hub/model_set")
    send(broker, "hub/reload/set", b"PRESS")
    assert reloaded.wait(WAIT_S)
    assert calls == [True, "low-power", "reload"]
    assert state.pairs()[:2] == [("hub/low_power", b"ON"), ("hub/model_set", b"low-power")]


def test_a_flood_of_commands_coalesces_and_the_last_value_wins():
    # a broker that queues every message for the hub: none of the flood may be dropped on the way
    with PrivateBroker(extra_config=["max_queued_messages 0"]) as broker:
        hub_link = MqttLink(BrokerConfig(host=broker.host, port=broker.port), status_topic="hub/status")
        try:
            flood_the_hub(broker, hub_link)
        finally:
            hub_link.close()


def flood_the_hub(broker, hub_link):
    calls: list = []
    d = Discovery(parse_config(HOME), hub_link, INTENTS, on_model_set=calls.append,
                  on_low_power=calls.append, on_reload=lambda: calls.append("reload"))
    hub_link.start()
    assert hub_link.wait_connected(WAIT_S) and hub_link.flush(WAIT_S)
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="flood")
    c.max_inflight_messages_set(0)
    c.connect(broker.host, broker.port)
    c.loop_start()
    t0 = time.monotonic()
    try:
        infos = [c.publish(topic, payload, qos=1) for i in range(500) for topic, payload in (
            ("hub/model_set/set", b"low-power" if i % 2 else b"full"), ("hub/low_power/set", b"ON" if i % 2 else b"OFF"),
            ("hub/reload/set", b"PRESS"))]
        infos.append(c.publish("hub/model_set/set", b"auto", qos=1))
        for info in infos:
            info.wait_for_publish(WAIT_S)
        # the network thread is free all along: a command published now is acknowledged
        assert hub_link.publish_and_wait(MqttMessage("probe/after", b"x"), WAIT_S).ok
        deadline = time.monotonic() + WAIT_S
        while [c for c in calls if c != "reload"][-1:] != ["auto"] and time.monotonic() < deadline:
            time.sleep(0.05)  # the last command sent, "auto", has been applied
        assert d.worker.wait_idle(WAIT_S)
    finally:
        c.disconnect()
        c.loop_stop()
    assert d.model_set == "auto" and [c for c in calls if c != "reload"][-1] == "auto"
    # coalesced and rate-limited: per control, at most one run a second while the flood arrives
    # (the flood takes longer than a second on a loaded machine), never one per command
    allowed = 2 * (int((time.monotonic() - t0) / d.worker.min_interval_s) + 2)
    assert len(calls) <= min(allowed, 100), f"1,501 commands applied {len(calls)} times: {calls}"


def test_intent_event_and_transcript(broker, hub_link, collector):
    d = Discovery(parse_config(HOME), hub_link, INTENTS)
    hub_link.start()
    assert hub_link.wait_connected(WAIT_S) and hub_link.flush(WAIT_S)
    sub = collector(broker, "hub/+")
    sub.wait_for(3)
    sub.clear()
    u = Understanding("turn on the kitchen light", "turn_on", (Command("kitchen_light", "turn_on"),),
                      0.93, "Turning on the kitchen light.", area="kitchen")
    assert d.publish_transcript("turn on the kitchen light " + "x" * 400).wait(WAIT_S)
    assert d.publish_intent(u).wait(WAIT_S)
    assert d.publish_intent(Understanding("mumble", None)) is None
    got = {m.topic: m for m in sub.wait_for(3)}
    assert len(got["hub/transcript"].payload) == 255
    event = json.loads(got["hub/intent"].payload)
    assert event == {"event_type": "turn_on", "text": "turn on the kitchen light", "intent": "turn_on",
                     "commands": [{"device": "kitchen_light", "action": "turn_on"}], "confidence": 0.93,
                     "response": "Turning on the kitchen light.", "area": "kitchen"}
    assert not got["hub/intent"].retain
    assert got["hub/last_intent"].payload == b"turn_on"


def test_remove_all_clears_retained_configs(broker, hub_link, collector):
    d = Discovery(parse_config(HOME), hub_link, INTENTS)
    hub_link.start()
    assert hub_link.wait_connected(WAIT_S) and hub_link.flush(WAIT_S)
    assert all(r.wait(WAIT_S) for r in d.remove_all())
    after = collector(broker, "#")
    # Retained copies are sent on SUBSCRIBE, before anything published afterwards.
    assert hub_link.publish_and_wait(MqttMessage("marker/end", b"1"), WAIT_S).ok
    after.wait_for(1, topic="marker/end")
    retained = {m.topic for m in after.messages if m.retain}
    assert retained == {"hub/status", "hub/low_power", "hub/model_set"}
