"""A custom intent on a real mosquitto: its ``mqtt`` steps (topic and payload from the slots, QoS,
retain) and ``command`` steps (routed as any hub command) are published, and every recognised
custom intent reaches ``hub/intent`` as JSON with its slots, from `hub say` run as a user runs it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from hub.config import BrokerConfig
from hub.config_load import load_config
from hub.devices.router import Router
from hub.execute import Executor
from hub.mqtt.link import MqttLink
from hub.nlu import load_template_parser

ROOT = Path(__file__).resolve().parent.parent
HOME = ROOT / "tests" / "sentences_home"
WAIT_S = 20.0


def test_mqtt_and_command_steps_reach_the_broker(broker, collector):
    cfg = load_config(HOME / "config.yaml")
    seen = collector(broker, "#")
    link = MqttLink(BrokerConfig(host=broker.host, port=broker.port), cfg.hub.options)
    try:
        assert link.wait_connected(WAIT_S)
        executor = Executor(cfg, Router(cfg), link, None)
        parser = load_template_parser(cfg)
        out = executor.execute(parser.parse("brew me a large espresso", area="kitchen"))
        assert out.reply == "One espresso coming up, large."
        # "#" also hears the link's own status: wait for each topic asked, not any two messages
        seen.wait_for(1, topic="kitchen/barista/order")
        got = {m.topic: m for m in seen.wait_for(1, topic="cmnd/coffee_maker/POWER") + seen.messages}
        order = got["kitchen/barista/order"]
        assert json.loads(order.payload) == {"drink": "espresso", "size": "large", "room": "kitchen"}
        assert not order.retain
        assert got["cmnd/coffee_maker/POWER"].payload == b"ON", "the command step, routed as a hub command"
        assert {m.topic for m in out.published} == {"kitchen/barista/order", "cmnd/coffee_maker/POWER"}

        seen.clear()
        out = executor.execute(parser.parse("play the album kind of blue by miles davis", area="kitchen"))
        seen.wait_for(1, topic="music/play")
        late = collector(broker, "music/#")  # joins after the publish: only a retained message reaches it
        [played] = late.wait_for(1)
        assert (played.payload, played.retain) == (b"kind of blue - miles davis", True)
        assert out.reply == "Playing kind of blue by miles davis"
    finally:
        link.close()


def test_hub_say_publishes_the_custom_intent_on_hub_intent(broker, collector):
    events = collector(broker, "hub/intent")
    orders = collector(broker, "kitchen/barista/#")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.run([sys.executable, "-m", "hub.cli", "say", "make me a tea please", "--broker", broker.address,
                        "--config", str(HOME / "config.yaml")], env=env, cwd=ROOT, capture_output=True, text=True,
                       timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "One tea coming up." in p.stdout
    [event] = events.wait_for(1)
    body = json.loads(event.payload)
    assert (body["event_type"], body["intent"], body["slots"], body["area"]) == ("OrderDrink", "OrderDrink", {"drink": "tea"}, "kitchen")
    assert json.loads(orders.wait_for(1)[0].payload)["drink"] == "tea"


def test_a_sensitive_command_step_still_waits_for_a_spoken_yes():
    cfg = load_config(HOME / "config.yaml")
    executor = Executor(cfg, Router(cfg), None, None)  # a dry run: what would be published
    parser = load_template_parser(cfg)
    out = executor.execute(parser.parse("let grandma in", area="kitchen"))
    assert out.awaiting_confirmation
    assert [(m.topic, m.payload) for m in out.published] == [("doorbell/guest", b"grandma")], "the mqtt step goes at once"
    out = executor.execute(parser.parse("yes", area="kitchen"))
    assert [m.topic for m in out.published] == ["zigbee2mqtt/front_door/set"]


def test_a_custom_intent_heard_unsure_waits_for_a_yes_messages_and_all():
    """A mishearing must not place an order: from an unsure transcript the custom intent's
    mqtt steps wait with its commands; a sure transcript sends them at once."""
    from hub.types import Transcript

    cfg = load_config(HOME / "config.yaml")
    executor = Executor(cfg, Router(cfg), None, None)
    parser = load_template_parser(cfg)
    u = parser.parse("make me a large tea", area="kitchen")
    out = executor.execute(u, heard=Transcript(u.text, 0.4, unsure="low confidence"))
    assert out.awaiting_confirmation and out.published == []
    assert out.reply == "I heard 'make me a large tea'. Say yes to go ahead."
    out = executor.execute(parser.parse("yes", area="kitchen"), heard=Transcript("yes", 0.9))
    assert sorted(m.topic for m in out.published) == ["cmnd/coffee_maker/POWER", "kitchen/barista/order"]
    sure = executor.execute(u, heard=Transcript(u.text, 0.9))
    assert not sure.awaiting_confirmation and "kitchen/barista/order" in [m.topic for m in sure.published]


def test_a_spoken_custom_sentence_reaches_the_broker(broker, collector, tmp_path):
    """`hub run --wav` (wake word, whisper, understanding) on a custom sentence said by espeak-ng."""
    wav = tmp_path / "tea.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(wav), "hey jarvis, make me a tea please"],
                   check=True)
    orders = collector(broker, "kitchen/barista/#")
    events = collector(broker, "hub/intent")
    p = subprocess.run([sys.executable, "-m", "hub.cli", "run", "--config", str(HOME / "config.yaml"), "--broker",
                        broker.address, "--json", "--wav", str(wav)], capture_output=True, text=True, timeout=300,
                       cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert p.returncode == 0, p.stderr
    [turn] = [json.loads(line) for line in p.stdout.splitlines() if line.startswith("{")]
    assert (turn["intent"], turn["slots"], turn["reply"]) == ("OrderDrink", {"drink": "tea"}, "One tea coming up."), turn
    assert json.loads(orders.wait_for(1)[0].payload)["drink"] == "tea"
    assert json.loads(events.wait_for(1)[0].payload)["slots"] == {"drink": "tea"}
