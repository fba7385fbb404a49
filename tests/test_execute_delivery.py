"""A reply says what happened on the broker: "done" only after its PUBACK; with the broker away
the command waits (and the reply says so), and a later notice says whether it was done or expired.
Real mosquitto, real intent model, the demo home."""

from __future__ import annotations

import queue
import signal
import time
from pathlib import Path

import pytest
import yaml

from hub.app import Session
from hub.config import BrokerConfig
from hub.config_load import parse_config
from hub.mqtt.link import MqttLink
from hub.nlu.language import load_language

ROOT = Path(__file__).resolve().parent.parent
WAIT_S = 20.0
say = load_language("en").say


def home(expiry_s: float, ack_wait_s: float = 10.0):
    """config.yaml with a short command expiry and the longest PUBACK wait: a turn that waited
    for a queued message would see it expire before replying."""
    raw = yaml.safe_load((ROOT / "config.yaml").read_text())
    raw["hub"].setdefault("options", {}).update(command_expiry_s=expiry_s, ack_wait_s=ack_wait_s)
    return parse_config(yaml.safe_dump(raw), "config.yaml")


@pytest.fixture
def hub_with_broker(broker):
    made = []

    def make(expiry_s: float, ack_wait_s: float = 10.0):
        cfg = home(expiry_s, ack_wait_s)
        link = MqttLink(BrokerConfig(host=broker.host, port=broker.port), cfg.hub.options,
                        reconnect_min_s=0.1, reconnect_max_s=0.3)
        assert link.wait_connected(WAIT_S)
        notices: queue.Queue[str] = queue.Queue()
        session = Session(cfg, link, cfg.hub.area, nlu_only=True, on_notice=notices.put)
        made.append((session, link))
        return cfg, link, session, notices

    yield make
    for session, link in made:
        session.close()
        link.close(0)


def turn(session, text):
    u = session.stages.parser.parse(text, area=session.cfg.hub.area)
    return u, session.stages.executor.execute(u)


def stop_broker(broker, link):
    broker.stop()
    deadline = time.monotonic() + WAIT_S
    while link.connected and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not link.connected


def test_with_the_broker_up_the_reply_is_the_action(broker, hub_with_broker, collector):
    _, _, session, _ = hub_with_broker(30.0)
    seen = collector(broker, "zigbee2mqtt/front_door/set")
    u, out = turn(session, "lock the front door")
    assert out.published and not out.waiting and out.reply == u.response
    assert seen.wait_for(1)


def test_broker_down_a_command_waits_and_the_reply_says_so_then_expiry_is_told(broker, hub_with_broker):
    _, link, session, notices = hub_with_broker(3.0)
    stop_broker(broker, link)
    u, out = turn(session, "lock the front door")
    assert u.commands and not out.published
    assert [m.topic for m in out.waiting] == ["zigbee2mqtt/front_door/set"], "returned before it expired"
    assert out.reply == say("broker_waiting", what="locking the front door", seconds="3")
    assert not out.reply.startswith(u.response)
    assert notices.get(timeout=WAIT_S) == say("broker_expired", what="locking the front door")


def test_broker_down_all_the_lights_wait_together_and_are_done_when_it_is_back(broker, hub_with_broker):
    _, link, session, notices = hub_with_broker(60.0)
    stop_broker(broker, link)
    u, out = turn(session, "turn off all the lights")
    assert len(u.commands) > 10
    assert len(out.waiting) == len(u.commands) and not out.published, "no message expired while the turn waited"
    assert out.reply.startswith(say("broker_waiting", what="", seconds="60").split(":")[0])
    broker.start()
    notice = notices.get(timeout=WAIT_S)  # told once every message has its PUBACK
    assert notice == say("broker_done_later", what=out.reply.split(": ", 1)[1].rstrip("."))
    assert all(r.startswith("zigbee2mqtt/") or r.startswith("cmnd/") for r in (m.topic for m in out.waiting))


def test_a_broker_that_stops_answering_leaves_the_command_unconfirmed_until_its_puback(broker, hub_with_broker):
    _, link, session, notices = hub_with_broker(60.0, ack_wait_s=0.5)
    broker._proc.send_signal(signal.SIGSTOP)  # the connection stays open; nothing answers
    try:
        _, out = turn(session, "lock the front door")
        assert link.connected and not out.published and len(out.waiting) == 1
        assert out.reply == say("broker_unconfirmed", what="locking the front door")
    finally:
        broker._proc.send_signal(signal.SIGCONT)
    assert notices.get(timeout=WAIT_S) == say("broker_done_later", what="locking the front door")


def test_a_full_queue_is_not_done(broker, hub_with_broker):
    cfg, link, session, _ = hub_with_broker(60.0)
    stop_broker(broker, link)
    link.queue_size = 1
    _, out = turn(session, "turn off the kitchen light and the hall light")
    assert len(out.waiting) == 1 and len(out.dropped) == 1 and not out.published
    assert say("broker_queue_full", what="turning off the hall light") in out.reply
    assert say("broker_waiting", what="turning off the kitchen light", seconds="60") in out.reply


def test_a_failing_state_sentence_costs_only_its_answer_and_a_failing_turn_is_answered(broker, hub_with_broker, monkeypatch):
    _, _, session, _ = hub_with_broker(30.0)
    executor = session.stages.executor

    def broken(*_a, **_k):  # a fake fault: whatever a state could still break in the sentences
        raise OverflowError("fake")

    monkeypatch.setattr(session.stages.state, "describe", broken)
    u, out = turn(session, "is the front door locked and turn on the kitchen light")
    assert out.published and say("state_unreadable", name="front door") in out.reply
    monkeypatch.setattr(executor.router, "route", broken)
    u, out = turn(session, "turn on the kitchen light")
    assert out.reply == say("failed") and not out.published
