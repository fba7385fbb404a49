"""Replies say what the hub actually did: the value sent after rounding (not the one asked; one the
device cannot take is refused),
a notice when a switch of model sets changes the wake word, and transcripts kept off the
broker's retained store unless the config asks for it."""

from __future__ import annotations

import json
import threading
import time

import pytest

from hub.config import BrokerConfig
from hub.config_load import load_config, parse_config
from hub.devices.router import Router
from hub.devices.state import StateStore
from hub.execute import Executor
from hub.mqtt.discovery import Discovery
from hub.mqtt.link import MqttLink
from hub.types import Command
from conftest import WAIT_S


@pytest.fixture(scope="module")
def home():
    from hub.nlu import load_parser

    cfg = load_config("config.yaml")  # the thermostat has min_value 5, max_value 30; °C steps of 0.5
    return cfg, load_parser(cfg)


@pytest.mark.parametrize("said, sent, reply", [
    ("set the thermostat to 21.3", b'{"occupied_heating_setpoint":21.5}', "Setting the thermostat to 21.5°."),
    ("set the floor lamp to 9000 kelvin", b'{"color_temp":154}', "Setting the floor lamp to 6500 K."),
    ("set the thermostat to 21", b'{"occupied_heating_setpoint":21}', "Setting the thermostat to 21°."),
])
def test_the_reply_states_the_value_sent(home, said, sent, reply):
    cfg, parser = home
    out = Executor(cfg, Router(cfg), None, StateStore(cfg)).execute(parser.parse(said, area="living_room"))
    assert [m.payload for m in out.published] == [sent]
    assert out.reply == reply


@pytest.mark.parametrize("said", ["set the thermostat to 35", "set the thermostat to 2"])
def test_a_value_the_device_cannot_take_is_refused_not_clamped(home, said):
    # from speech it may be misheard ("turn the thermostat out a couple of degrees"): nothing is sent
    cfg, parser = home
    out = Executor(cfg, Router(cfg), None, StateStore(cfg)).execute(parser.parse(said, area="living_room"))
    assert out.published == [] and "takes 5 to 30 degrees" in out.reply


def test_as_sent_keeps_the_unit_it_was_given_in(home):
    cfg, _ = home
    router = Router(cfg)
    assert router.as_sent(Command("thermostat", "set_temperature", 95, "F")).value == 86  # 35 °C -> 30 °C
    kept = Command("thermostat", "set_temperature", 70, "F")
    assert router.as_sent(kept) is kept
    relative = Command("thermostat", "temperature_up", 50, "C")
    assert router.as_sent(relative) is relative


def _discovery(broker, options: str):
    cfg = parse_config(f"hub: {{name: Test Hub, options: {options}}}\n")
    link = MqttLink(BrokerConfig(host=broker.host, port=broker.port), cfg.hub.options)
    return Discovery(cfg, link, ["turn_on"]), link


def _retained(broker, topic: str) -> bytes | None:
    """What a client subscribing now receives as the retained message of ``topic``."""
    got: list[bytes] = []
    arrived = threading.Event()
    with MqttLink(BrokerConfig(host=broker.host, port=broker.port), status_topic=None) as reader:
        reader.subscribe(topic, lambda t, p: (got.append(p), arrived.set()))
        assert reader.wait_connected(WAIT_S)
        arrived.wait(1.0)
    return got[0] if got else None


@pytest.mark.parametrize("options, kept", [("{}", None), ("{retain_transcript: true}", b"unlock the back door")])
def test_transcripts_are_retained_only_when_the_config_says_so(broker, options, kept):
    d, link = _discovery(broker, options)
    try:
        assert link.wait_connected(WAIT_S)
        assert d.publish_transcript("unlock the back door").wait(WAIT_S)
    finally:
        link.close()
    assert _retained(broker, "hub/transcript") == kept


@pytest.mark.slow
def test_a_load_switch_that_changes_the_wake_word_says_so_and_tells_home_assistant(broker, tmp_path):
    from hub.app import Session

    loadavg = tmp_path / "loadavg"
    loadavg.write_text("0.10 0.10 0.10 1/100 1\n")
    cfg = parse_config(
        "hub: {name: Test Hub, wake_word: hey_jarvis}\n"
        f"power: {{wake_word: okay_nabu, loadavg_path: {loadavg}, poll_s: 0.05, load_high_per_core: 0.9,"
        " load_high_for_s: 0, load_low_per_core: 0.5, load_low_for_s: 0, power_supply_root: /nonexistent}\n"
        "areas: [{id: office, name: Office}]\n"
        "devices: [{id: lamp, name: Desk lamp, area: office, type: light, protocol: generic, topic: office/lamp}]\n")
    link = MqttLink(BrokerConfig(host=broker.host, port=broker.port), cfg.hub.options)
    notices: list[str] = []
    active: list[dict] = []
    link.subscribe("hub/model_set/active", lambda t, p: active.append(json.loads(p)))
    session = Session(cfg, link, "office", on_notice=notices.append)
    try:
        assert session.model_set == "full"
        loadavg.write_text("9.00 9.00 9.00 1/100 1\n")  # any core count: far over 0.9 per core
        deadline = time.monotonic() + 60
        while not notices and time.monotonic() < deadline:
            time.sleep(0.05)
        assert session.model_set == "low-power"
        assert notices == ["I've switched to low power: say okay nabu to wake me."]
        while not any(a.get("wake_word") == "okay_nabu" for a in active) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert any(a["model_set"] == "low-power" and a["wake_word"] == "okay_nabu" for a in active), active
        configs = session.discovery.configs()
        sensor = configs["homeassistant/sensor/hub/wake_word/config"]
        assert sensor["state_topic"] == "hub/model_set/active" and "wake_word" in sensor["value_template"]
    finally:
        session.close()
        link.close()
