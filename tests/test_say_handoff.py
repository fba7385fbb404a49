"""`hub say` beside a running hub hands its text over on ``hub/say/set`` (hub/mqtt/say.py): the
running hub's session executes it as spoken, keeps its timers, holds an unlock for a spoken yes,
and answers; with no hub online `hub say` executes alone. Real mosquitto, the real intent model,
the demo home, and a fake clock (tests/fake_clock.py) for the running hub's timers."""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest

from conftest import WAIT_S
from fake_clock import FakeClock
from hub.app import Session, say
from hub.config import BrokerConfig
from hub.config_load import load_config
from hub.mqtt.link import MqttLink
from hub.types import MqttMessage
from hub.mqtt.say import MAX_PAYLOAD, BadRequest, SayListener, SayRequest, SayResponse, parse_request

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def running(broker):
    """A running hub's session (no audio models) on ``broker``, ticked by a fake clock."""
    cfg = load_config(ROOT / "config.yaml")
    link = MqttLink(BrokerConfig(host=broker.host, port=broker.port), cfg.hub.options, client_id="running-hub")
    assert link.wait_connected(WAIT_S)
    clock, notices = FakeClock(), queue.Queue()
    session = Session(cfg, link, cfg.hub.area, nlu_only=True, on_notice=notices.put, clock=clock)
    assert link.flush(WAIT_S)
    yield cfg, session, clock
    session.close()
    link.close(0)


def one_shot(cfg, broker, capsys, text: str, *, yes: bool = False) -> tuple[int, list[str]]:
    code = say(cfg, text, area=cfg.hub.area, broker=broker.address, confirmed=yes)
    return code, capsys.readouterr().out.strip().splitlines()


def test_a_running_hub_executes_the_text_and_the_one_shot_prints_its_reply(broker, running, collector, capsys):
    cfg, session, _ = running
    seen = collector(broker, "#")
    code, out = one_shot(cfg, broker, capsys, "turn on the kitchen light")
    assert code == 0
    assert out == ["published  cmnd/kitchen_light/POWER  ON", "Turning on the kitchen light."]
    request = json.loads(seen.wait_for(1, topic="hub/say/set")[0].payload)
    assert (request["text"], request["area"]) == ("turn on the kitchen light", cfg.hub.area)
    response = seen.wait_for(1, topic=f"hub/say/response/{request['id']}")
    assert json.loads(response[0].payload)["commands"] == [{"device": "kitchen_light", "action": "turn_on"}]
    assert len(seen.wait_for(1, topic="cmnd/kitchen_light/POWER")) == 1, "done once, by the running hub"


def test_a_timer_set_through_hub_say_is_in_the_running_hubs_agenda(broker, running, collector, capsys):
    cfg, session, clock = running
    seen = collector(broker, "hub/timer")
    code, out = one_shot(cfg, broker, capsys, "set a 5 minute pasta timer")
    assert (code, out) == (0, ["The pasta timer is set for 5 minutes."])
    assert [(t.name, t.duration_s) for t in session.agenda.timers.timers()] == [("pasta", 300.0)]
    clock.advance(300)
    assert session.agenda.tick() == ["Time's up: the pasta timer of 5 minutes is done."]
    event = json.loads(seen.wait_for(1, topic="hub/timer")[0].payload)
    assert (event["event_type"], event["name"]) == ("finished", "pasta")


def test_an_unlock_over_mqtt_waits_for_a_spoken_yes(broker, running, collector, capsys):
    cfg, session, _ = running
    door = collector(broker, "zigbee2mqtt/front_door/set")
    code, out = one_shot(cfg, broker, capsys, "unlock the front door", yes=True)
    assert out[0] == ("Say yes to unlock the front door. Only a yes said at a speaker of the hub confirms that; "
                      "a yes sent over MQTT does not.")
    assert out[1].startswith("(--yes is not passed to the running hub")
    code, out = one_shot(cfg, broker, capsys, "yes")
    assert out == ["Only a yes said at a speaker of the hub confirms that; a yes sent over MQTT does not."]
    code, out = one_shot(cfg, broker, capsys, "unlock the front door in ten minutes")
    assert out == ["Unlocking the front door in 10 minutes: say yes to confirm. Only a yes said at a speaker of the "
                   "hub confirms that; a yes sent over MQTT does not."]
    assert session.agenda.schedule.items() == []
    code, out = one_shot(cfg, broker, capsys, "unlock the front door")
    assert door.messages == []
    spoken = session.stages.parser.parse("yes", area=cfg.hub.area)
    assert session.stages.executor.execute(spoken).published
    assert json.loads(door.wait_for(1)[0].payload) == {"state": "UNLOCK"}


def test_with_no_hub_online_hub_say_executes_alone(broker, capsys):
    cfg = load_config(ROOT / "config.yaml")
    code, out = one_shot(cfg, broker, capsys, "set a timer for 5 minutes")
    assert out == ["Only the running hub keeps things for later; I did nothing. Say it to the hub, or without the time."]


@pytest.mark.parametrize("payload", [
    b"", b"not json", b"[]", b'"text"', b'{"text": ""}', b'{"area": "kitchen", "id": "a"}',
    b'{"text": 5, "id": "a"}', b'{"text": "turn on the fan", "id": "../../x"}', b'{"text": "hi"}',
    b'{"text": "hi", "id": "a", "area": 3}', b'{"text": "' + b"a" * 600 + b'", "id": "a"}',
    b'{"text": "x", "id": "a", "pad": "' + b"x" * MAX_PAYLOAD + b'"}', b"\xff\xfe", b'{"a":' * 5000,
    b'{"text": "x", "id": "a", "start_within_s": -1}', b'{"text": "x", "id": "a", "start_within_s": "1"}',
    b'{"text": "x", "id": "a", "start_within_s": true}', b'{"text": "x", "id": "a", "start_within_s": 1e999}',
])
def test_bad_requests_are_named(payload):
    with pytest.raises(BadRequest):
        parse_request(payload)


def test_bad_payloads_on_say_set_are_ignored_and_a_good_one_still_answered(broker, running, collector, capsys, caplog):
    cfg, session, _ = running
    seen = collector(broker, "hub/say/response/#")
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    c.connect(broker.host, broker.port)
    c.loop_start()
    with caplog.at_level(logging.WARNING):
        for p in (b"not json", b'{"text": "hi"}', b'{"a":' * 50_000, b'{"text": "turn on the kitchen light", "id": "b", "area": "attic"}'):
            c.publish("hub/say/set", p, qos=1).wait_for_publish(WAIT_S)
        code, out = one_shot(cfg, broker, capsys, "turn off the kitchen light")
    c.disconnect()
    c.loop_stop()
    assert out[-1] == "Turning off the kitchen light."
    assert len(seen.wait_for(1)) == 1, "only the good request is answered"
    assert not [r for r in caplog.records if r.exc_info], "no callback raised"
    assert sum("say/set" in r.getMessage() for r in caplog.records) >= 2  # per topic at most once a minute


def test_a_request_that_waited_too_long_at_the_hub_is_dropped(broker, collector):
    """Its sender stopped waiting and executes it alone: the hub must not do it too."""
    link = MqttLink(BrokerConfig(host=broker.host, port=broker.port), client_id="slow-hub", status_topic=None)
    assert link.wait_connected(WAIT_S)
    busy, handled = threading.Event(), []

    def handle(request: SayRequest) -> SayResponse:
        busy.wait(WAIT_S)  # the first request keeps the hub busy
        handled.append(request.text)
        return SayResponse(request.id, request.text, "done", None, [], [], False)

    listener = SayListener(link, "hub", handle)
    answers = collector(broker, "hub/say/response/#")
    sender = MqttLink(BrokerConfig(host=broker.host, port=broker.port), client_id="asker", status_topic=None)
    try:
        assert sender.wait_connected(WAIT_S)
        sender.publish_and_wait(MqttMessage("hub/say/set", SayRequest("first", None, "a1").to_json()))
        sender.publish_and_wait(MqttMessage("hub/say/set", SayRequest("late", None, "a2", 0.2).to_json()))
        sender.publish_and_wait(MqttMessage("hub/say/set", SayRequest("patient", None, "a3", 60.0).to_json()))
        time.sleep(0.5)
        busy.set()
        assert [m.topic for m in answers.wait_for(2)] == ["hub/say/response/a1", "hub/say/response/a3"]
        assert handled == ["first", "patient"]
    finally:
        listener.close()
        sender.close(0)
        link.close(0)
