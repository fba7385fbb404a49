"""`hub import`: retained zigbee2mqtt device lists and HA discovery configs -> a valid devices section."""

from __future__ import annotations

import json

import pytest
import yaml

from hub.config import BrokerConfig
from hub.config_load import parse_config
from hub.errors import BrokerError
from hub.mqtt.discovery import Discovery
from hub.mqtt.importer import from_homeassistant, from_zigbee2mqtt, import_devices
from hub.mqtt.link import MqttLink
from hub.types import MqttMessage

WAIT_S = 20.0
HOME = """
hub: {name: Test hub}
areas:
  - {id: kitchen, name: Kitchen}
  - {id: living_room, name: Living room}
devices:
  - {id: kitchen_light, name: Kitchen light, area: kitchen, type: light, protocol: tasmota, topic: kitchen_light}
"""

# Shapes as zigbee2mqtt 1.x/2.x publishes them on zigbee2mqtt/bridge/devices (trimmed).
Z2M_DEVICES = [
    {"ieee_address": "0x00124b0022ed1a2b", "type": "Coordinator", "friendly_name": "Coordinator",
     "definition": None, "supported": True, "disabled": False, "interview_completed": True},
    {"ieee_address": "0x001788010b2c3d4e", "type": "Router", "friendly_name": "living_room/ceiling",
     "supported": True, "disabled": False, "interview_completed": True,
     "definition": {"model": "9290022166", "vendor": "Philips", "description": "Hue white ambiance E26/E27",
                    "exposes": [
                        {"type": "light", "features": [
                            {"type": "binary", "name": "state", "property": "state", "access": 7,
                             "value_on": "ON", "value_off": "OFF"},
                            {"type": "numeric", "name": "brightness", "property": "brightness", "access": 7,
                             "value_min": 0, "value_max": 254},
                            {"type": "numeric", "name": "color_temp", "property": "color_temp", "access": 7,
                             "unit": "mired", "value_min": 153, "value_max": 454}]},
                        {"type": "enum", "name": "effect", "property": "effect", "access": 2,
                         "values": ["blink", "breathe", "okay"]},
                        {"type": "numeric", "name": "linkquality", "property": "linkquality", "access": 1}]}},
    {"ieee_address": "0x00158d0001a2b3c4", "type": "Router", "friendly_name": "kitchen_plug",
     "supported": True, "disabled": False,
     "definition": {"model": "ZNCZ02LM", "vendor": "Xiaomi", "description": "Mi power plug", "exposes": [
         {"type": "switch", "features": [{"type": "binary", "name": "state", "property": "state", "access": 7}]},
         {"type": "numeric", "name": "power", "property": "power", "access": 5, "unit": "W"},
         {"type": "numeric", "name": "energy", "property": "energy", "access": 1, "unit": "kWh"}]}},
    {"ieee_address": "0x0015bc002f00aa11", "type": "EndDevice", "friendly_name": "front_door_lock",
     "supported": True, "disabled": False,
     "definition": {"model": "YRD226HA2619", "vendor": "Yale", "description": "Assure lock", "exposes": [
         {"type": "lock", "features": [
             {"type": "binary", "name": "state", "property": "state", "access": 7, "value_on": "LOCK",
              "value_off": "UNLOCK"},
             {"type": "enum", "name": "lock_state", "property": "lock_state", "access": 1,
              "values": ["not_fully_locked", "locked", "unlocked"]}]},
         {"type": "numeric", "name": "battery", "property": "battery", "access": 5, "unit": "%"}]}},
    {"ieee_address": "0x8418260000aabbcc", "type": "EndDevice", "friendly_name": "radiator",
     "supported": True, "disabled": False,
     "definition": {"model": "SPZB0001", "vendor": "Eurotronic", "description": "Spirit thermostat", "exposes": [
         {"type": "climate", "features": [
             {"type": "numeric", "name": "occupied_heating_setpoint", "property": "occupied_heating_setpoint",
              "access": 7, "unit": "°C"},
             {"type": "numeric", "name": "local_temperature", "property": "local_temperature", "access": 5},
             {"type": "enum", "name": "system_mode", "property": "system_mode", "access": 7,
              "values": ["off", "auto", "heat"]}]}]}},
    {"ieee_address": "0x00158d000aaaaaaa", "type": "EndDevice", "friendly_name": "hall_motion",
     "supported": True, "disabled": False,
     "definition": {"model": "RTCGQ11LM", "vendor": "Xiaomi", "description": "Motion sensor", "exposes": [
         {"type": "binary", "name": "occupancy", "property": "occupancy", "access": 1},
         {"type": "numeric", "name": "illuminance", "property": "illuminance", "access": 1},
         {"type": "numeric", "name": "battery", "property": "battery", "access": 1}]}},
    {"ieee_address": "0x00158d000bbbbbbb", "type": "EndDevice", "friendly_name": "office_th",
     "supported": True, "disabled": False,
     "definition": {"model": "WSDCGQ11LM", "vendor": "Aqara", "description": "Temperature sensor", "exposes": [
         {"type": "numeric", "name": "temperature", "property": "temperature", "access": 1, "unit": "°C"},
         {"type": "numeric", "name": "humidity", "property": "humidity", "access": 1, "unit": "%"},
         {"type": "numeric", "name": "pressure", "property": "pressure", "access": 1, "unit": "hPa"}]}},
    {"ieee_address": "0x00158d000ccccccc", "type": "EndDevice", "friendly_name": "new_thing",
     "supported": False, "disabled": False, "definition": None},
]

HA_CONFIGS = {
    "homeassistant/light/esp_kitchen/strip/config": {
        "~": "esphome/kitchen_strip", "name": "Strip", "uniq_id": "kitchen_strip", "schema": "json",
        "cmd_t": "~/set", "stat_t": "~/state", "brightness": True, "sup_clrm": ["rgb", "color_temp"],
        "dev": {"ids": ["esp_kitchen"], "name": "Kitchen", "sa": "Kitchen"}},
    "homeassistant/cover/garage/door/config": {
        "name": "Garage door", "device_class": "garage", "command_topic": "garage/door/set",
        "state_topic": "garage/door/state", "position_topic": "garage/door/position",
        "set_position_topic": "garage/door/position/set", "unique_id": "garage_door_1"},
    "homeassistant/climate/lounge/thermostat/config": {
        "name": "Lounge thermostat", "mode_command_topic": "lounge/thermostat/mode/set",
        "temperature_command_topic": "lounge/thermostat/temp/set", "current_temperature_topic": "lounge/thermostat/temp",
        "modes": ["off", "heat"], "unique_id": "lounge_thermostat", "device": {"identifiers": ["t1"],
                                                                              "suggested_area": "Living room"}},
    "homeassistant/switch/kitchen_light/config": {
        "name": "Kitchen light", "command_topic": "home/kitchen_light2/set", "state_topic": "home/kitchen_light2/state",
        "unique_id": "dup_name"},
    "homeassistant/number/esp_kitchen/speed/config": {"name": "Speed", "command_topic": "x/speed/set"},
    "homeassistant/sensor/hub/transcript/config": {"name": "Last transcript", "state_topic": "hub/transcript"},
}


def check_valid(result) -> list[dict]:
    """The YAML the user merges must load as config.yaml, next to the areas it names."""
    text = result.to_yaml()
    devices = yaml.safe_load(text)["devices"]
    home = yaml.safe_load(HOME)
    home["devices"] = home["devices"] + devices
    parse_config(yaml.safe_dump(home), "merged.yaml")
    return devices


def test_zigbee2mqtt_device_list_becomes_config_entries():
    cfg = parse_config(HOME)
    result = from_zigbee2mqtt(json.dumps(Z2M_DEVICES).encode(), config=cfg)
    by_id = {d["id"]: d for d in check_valid(result)}
    assert by_id["living_room_ceiling"] == {
        "id": "living_room_ceiling", "name": "Living room ceiling", "area": "living_room", "type": "light",
        "features": ["brightness", "color_temp", "effect"], "protocol": "zigbee2mqtt",
        "topic": "zigbee2mqtt/living_room/ceiling"}
    assert (by_id["kitchen_plug"]["type"], by_id["kitchen_plug"]["features"]) == ("switch", ["power_monitoring"])
    assert by_id["front_door_lock"]["type"] == "lock" and "features" not in by_id["front_door_lock"]
    assert by_id["radiator"]["features"] == ["hvac_mode", "target_temperature"]
    assert (by_id["hall_motion"]["type"], by_id["hall_motion"]["features"]) == ("binary_sensor", ["occupancy"])
    assert by_id["office_th"]["features"] == ["humidity", "pressure", "temperature"]
    assert "Coordinator" not in str(by_id) and "new_thing" not in by_id
    assert any("new_thing" in n for n in result.notes)


def test_home_assistant_discovery_configs_become_config_entries():
    cfg = parse_config(HOME)
    raw = {t: json.dumps(c).encode() for t, c in HA_CONFIGS.items()}
    result = from_homeassistant(raw, config=cfg, exclude_node="hub")
    by_id = {d["id"]: d for d in check_valid(result)}
    assert by_id["strip"] == {"id": "strip", "name": "Kitchen Strip", "area": "kitchen", "type": "light",
                              "features": ["brightness", "color", "color_temp"], "protocol": "homeassistant",
                              "topic": "esphome/kitchen_strip",
                              "entity": {"unique_id": "kitchen_strip", "schema": "json",
                                         "command_topic": "esphome/kitchen_strip/set",
                                         "state_topic": "esphome/kitchen_strip/state", "brightness": True,
                                         "supported_color_modes": ["rgb", "color_temp"]}}
    assert by_id["door"]["device_class"] == "garage" and by_id["door"]["features"] == ["position", "stop"]
    assert by_id["thermostat"]["area"] == "living_room"
    assert by_id["thermostat"]["features"] == ["hvac_mode", "target_temperature"]
    # The name is taken in the config already: renamed, so the merge stays valid.
    assert by_id["kitchen_light_2"]["name"] == "Kitchen light 2"
    assert by_id["thermostat"]["entity"]["temperature_command_topic"] == "lounge/thermostat/temp/set"
    assert any("'number'" in n for n in result.notes)
    assert not any(d["topic"].startswith("hub/") for d in by_id.values())


def test_import_reads_retained_messages_from_a_real_broker(broker):
    cfg = parse_config(HOME)
    bc = BrokerConfig(host=broker.host, port=broker.port)
    with MqttLink(bc, status_topic=None) as pub:
        Discovery(cfg, pub, ["turn_on"])  # the hub's own entities must not be imported
        assert pub.publish_and_wait(MqttMessage("zigbee2mqtt/bridge/devices", json.dumps(Z2M_DEVICES).encode(),
                                                retain=True), WAIT_S).ok
        for t, c in HA_CONFIGS.items():
            assert pub.publish_and_wait(MqttMessage(t, json.dumps(c).encode(), retain=True), WAIT_S).ok
        assert pub.flush(WAIT_S)
    z = import_devices("zigbee2mqtt", bc, cfg)
    assert len(z.devices) == 6
    ha = import_devices("homeassistant", bc, cfg)
    assert sorted(d["id"] for d in ha.devices) == ["door", "kitchen_light_2", "strip", "thermostat"]


def test_import_from_an_empty_broker_says_what_is_missing(broker):
    bc = BrokerConfig(host=broker.host, port=broker.port)
    with pytest.raises(BrokerError, match="zigbee2mqtt/bridge/devices"):
        import_devices("zigbee2mqtt", bc)
    with pytest.raises(ValueError, match="unknown import source"):
        import_devices("hue", bc)


def test_bad_device_list_is_a_clear_error():
    with pytest.raises(ValueError, match="bridge/devices: not JSON"):
        from_zigbee2mqtt(b"{oops")
    with pytest.raises(ValueError, match="JSON array"):
        from_zigbee2mqtt(b'{"devices": []}')
