"""Home Assistant MQTT entities through a real mosquitto: their discovery configs are retained on
the broker, ``hub import homeassistant`` reads them, and every command the hub then publishes is
exactly what the entity expects: the topic and payload Home Assistant 2024.3's MQTT platform
sends for the same service call (homeassistant/components/mqtt/<platform>.py). State published on
the entities' state topics answers questions.
"""

from __future__ import annotations

import json
import time

import pytest

from hub.config import BrokerConfig
from hub.config_load import parse_config
from hub.devices.router import Router
from hub.devices.state import StateStore
from hub.mqtt.importer import import_devices
from hub.mqtt.link import MqttLink
from hub.types import Command, MqttMessage

WAIT_S = 20.0
BASE = """
hub: {name: Test hub}
areas:
  - {id: studio, name: Studio}
  - {id: kitchen, name: Kitchen}
devices: []
"""

# object id -> (component, discovery config, [(action, value, [(topic, payload), ...]), ...])
CASES: dict[str, tuple[str, dict, list]] = {
    "z2m_bulb": ("light", {
        "name": "Kitchen bulb", "uniq_id": "0x01_light", "schema": "json", "cmd_t": "zigbee2mqtt/kbulb/set",
        "stat_t": "zigbee2mqtt/kbulb", "brightness": True, "bri_scl": 254, "color_mode": True,
        "sup_clrm": ["xy", "color_temp"]}, [
        ("turn_on", None, [("zigbee2mqtt/kbulb/set", '{"state":"ON"}')]),
        ("set_brightness", 50, [("zigbee2mqtt/kbulb/set", '{"state":"ON","brightness":127}')]),
        ("set_color_temp", 2700, [("zigbee2mqtt/kbulb/set", '{"state":"ON","color_temp":370}')]),
        ("turn_off", None, [("zigbee2mqtt/kbulb/set", '{"state":"OFF"}')]),
    ]),
    "shelly_dimmer": ("light", {
        "name": "Studio dimmer", "unique_id": "shelly-dimmer", "command_topic": "shellies/dim/light/0/set",
        "brightness_command_topic": "shellies/dim/light/0/brightness", "brightness_scale": 100,
        "payload_on": "on", "payload_off": "off"}, [
        ("set_brightness", 50, [("shellies/dim/light/0/brightness", "50"), ("shellies/dim/light/0/set", "on")]),
        ("turn_off", None, [("shellies/dim/light/0/set", "off")]),
    ]),
    "mirror": ("light", {
        "name": "Bathroom mirror", "uniq_id": "tasmota_mirror", "cmd_t": "cmnd/mirror/POWER",
        "bri_cmd_t": "cmnd/mirror/Dimmer", "bri_scl": 100, "on_cmd_type": "brightness"}, [
        ("turn_on", None, [("cmnd/mirror/Dimmer", "100")]),
    ]),
    "kettle": ("switch", {
        "name": "Kettle", "uniq_id": "tasmota_kettle_RL_1", "cmd_t": "cmnd/kettle/POWER", "stat_t": "tele/kettle/STATE",
        "val_tpl": "{{value_json.POWER}}", "pl_on": "ON", "pl_off": "OFF"}, [
        ("turn_on", None, [("cmnd/kettle/POWER", "ON")]),
    ]),
    "nuki": ("lock", {
        "name": "Back door", "unique_id": "nuki-back", "command_topic": "nuki/lockAction", "state_topic": "nuki/state",
        "payload_lock": 2, "payload_unlock": 1, "state_locked": 1, "state_unlocked": 3}, [
        ("lock", None, [("nuki/lockAction", "2")]),
        ("unlock", None, [("nuki/lockAction", "1")]),
    ]),
    "roller": ("cover", {
        "name": "Studio blind", "unique_id": "shelly-roller", "command_topic": "shellies/roller/0/command",
        "set_position_topic": "shellies/roller/0/command/pos", "position_topic": "shellies/roller/0/pos",
        "payload_open": "open", "payload_close": "close", "payload_stop": "stop"}, [
        ("open", None, [("shellies/roller/0/command", "open")]),
        ("set_position", 30, [("shellies/roller/0/command/pos", "30")]),
        ("stop", None, [("shellies/roller/0/command", "stop")]),
    ]),
    "trv": ("climate", {
        "name": "Studio thermostat", "unique_id": "trv-studio", "mode_command_topic": "trv/mode/set",
        "temperature_command_topic": "trv/target/set", "current_temperature_topic": "trv/state",
        "current_temperature_template": "{{ value_json.local_temperature }}", "modes": ["off", "heat"],
        "device": {"identifiers": ["trv"], "suggested_area": "Studio"}}, [
        ("turn_on", None, [("trv/mode/set", "heat")]),
        ("set_temperature", 21, [("trv/target/set", "21.0")]),
        ("set_temperature", 21.5, [("trv/target/set", "21.5")]),
        ("turn_off", None, [("trv/mode/set", "off")]),
    ]),
    "aircon": ("climate", {
        "name": "Kitchen aircon", "unique_id": "daikin", "power_command_topic": "daikin/power",
        "mode_command_topic": "daikin/mode/set", "temperature_command_topic": "daikin/temp/set",
        "modes": ["off", "cool", "heat", "auto"], "payload_on": "1", "payload_off": "0"}, [
        ("turn_on", None, [("daikin/power", "1")]),
        ("set_hvac_mode", "cool", [("daikin/mode/set", "cool")]),
    ]),
    "fan": ("fan", {
        "name": "Ceiling fan", "uniq_id": "esp-fan", "~": "esp/fan/ceiling", "cmd_t": "~/command",
        "pct_cmd_t": "~/speed_level/command", "spd_rng_max": 3}, [
        ("turn_on", None, [("esp/fan/ceiling/command", "ON")]),
        ("set_fan_speed", 50, [("esp/fan/ceiling/speed_level/command", "2")]),
    ]),
    "tap": ("valve", {"name": "Garden tap", "unique_id": "tap", "command_topic": "tap/set", "payload_stop": "STOP"}, [
        ("open", None, [("tap/set", "OPEN")]),
        ("stop", None, [("tap/set", "STOP")]),
    ]),
    "dehumidifier": ("humidifier", {
        "name": "Dehumidifier", "unique_id": "dehum", "command_topic": "dehum/set",
        "target_humidity_command_topic": "dehum/target/set"}, [
        ("set_humidity", 45, [("dehum/target/set", "45")]),
    ]),
    "chime": ("siren", {"name": "Door chime", "unique_id": "chime", "command_topic": "chime/set"}, [
        ("turn_on", None, [("chime/set", '{"state":"ON"}')]),
    ]),
    "restart": ("button", {"name": "Router restart", "unique_id": "rr", "command_topic": "router/restart"}, [
        ("press", None, [("router/restart", "PRESS")]),
    ]),
    "movie": ("scene", {"name": "Movie time", "unique_id": "movie", "command_topic": "scenes/movie/set"}, [
        ("activate", None, [("scenes/movie/set", "ON")]),
    ]),
    "alarm": ("alarm_control_panel", {
        "name": "House alarm", "unique_id": "alarmo", "command_topic": "alarmo/command", "state_topic": "alarmo/state"}, [
        ("arm_away", None, [("alarmo/command", "ARM_AWAY")]),
    ]),
    "robot": ("vacuum", {
        "name": "Robot vacuum", "unique_id": "valetudo", "command_topic": "valetudo/command",
        "state_topic": "valetudo/state"}, [
        ("start", None, [("valetudo/command", "start")]),
    ]),
    "boiler": ("water_heater", {
        "name": "Boiler", "unique_id": "boiler", "mode_command_topic": "boiler/mode/set",
        "temperature_command_topic": "boiler/temp/set"}, [
        ("set_temperature", 55, [("boiler/temp/set", "55.0")]),
    ]),
}


@pytest.fixture(scope="module")
def home(module_broker):
    """The broker with every case's discovery config retained, and the config the import made."""
    bc = BrokerConfig(host=module_broker.host, port=module_broker.port)
    with MqttLink(bc, status_topic=None) as pub:
        for obj, (component, cfg, _) in CASES.items():
            m = MqttMessage(f"homeassistant/{component}/{obj}/config", json.dumps(cfg).encode(), retain=True)
            assert pub.publish_and_wait(m, WAIT_S).ok
    result = import_devices("homeassistant", bc, parse_config(BASE))
    return bc, parse_config(result.merged(BASE), "imported.yaml"), result


def test_every_entity_is_imported_once(home):
    _, cfg, result = home
    assert len(cfg.devices) == len(CASES), result.notes
    assert cfg.device_by_id["trv"].area == "studio" and cfg.device_by_id["aircon"].area == "kitchen"


@pytest.mark.parametrize("obj", list(CASES))
def test_commands_arrive_as_the_entity_expects(module_broker, home, collector, obj):
    bc, cfg, _ = home
    router = Router(cfg)
    component, discovery, steps = CASES[obj]
    unique_id = discovery.get("unique_id") or discovery.get("uniq_id")
    # an object id that only repeats the component ("fan") is no name: the device is named
    (device,) = [d.id for d in cfg.devices if d.entity.unique_id == unique_id]
    seen = collector(module_broker, "#")
    expected: list[tuple[str, bytes]] = []
    with MqttLink(bc, status_topic=None) as link:
        for action, value, messages in steps:
            for m in router.route(Command(device, action, value)):
                assert link.publish_and_wait(m, WAIT_S).ok
            expected += [(t, p.encode()) for t, p in messages]
    got = []
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        got = [(t, p) for t, p in seen.pairs() if not t.startswith(("homeassistant/", "hub/"))]
        if len(got) >= len(expected):
            break
        time.sleep(0.05)
    assert got == expected


def test_state_topics_answer_questions(module_broker, home):
    bc, cfg, _ = home
    store = StateStore(cfg)
    with MqttLink(bc, status_topic=None) as link:
        for topic in store.topics():
            link.subscribe(topic, store.handle)
        link.connect(WAIT_S)
        assert link.publish_and_wait(MqttMessage("trv/state", b'{"local_temperature": 21.5}', retain=True), WAIT_S).ok
        assert link.publish_and_wait(MqttMessage("nuki/state", b"1", retain=True), WAIT_S).ok
        assert link.publish_and_wait(MqttMessage("trv/state", b'{"local_temperature": "junk"}'), WAIT_S).ok
        deadline = time.monotonic() + WAIT_S
        while (store.get("trv") is None or store.get("nuki") is None) and time.monotonic() < deadline:
            time.sleep(0.05)
    assert store.describe("trv", "temperature") == "It is 21.5 degrees at the studio thermostat."
    assert store.describe("nuki") == "The back door is locked."
