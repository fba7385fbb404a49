"""StateStore: real-shaped zigbee2mqtt / Tasmota / HA / generic state payloads -> typed state -> replies."""

from __future__ import annotations

import json
import logging
import time

import pytest

from hub.config import BrokerConfig
from hub.config_load import parse_config
from hub.devices.state import StateStore
from hub.mqtt.link import MqttLink
from hub.types import MqttMessage

HOME = """
hub: {name: Test hub}
areas:
  - {id: living_room, name: Living room}
  - {id: hallway, name: Hallway}
devices:
  - {id: ceiling, name: Living room ceiling light, area: living_room, type: light, features: [brightness, color_temp], protocol: zigbee2mqtt, topic: zigbee2mqtt/living_ceiling}
  - {id: thermostat, name: Living room thermostat, area: living_room, type: climate, features: [target_temperature, hvac_mode], protocol: zigbee2mqtt, topic: zigbee2mqtt/thermostat}
  - {id: trv, name: Radiator, type: climate, features: [target_temperature], protocol: zigbee2mqtt, topic: zigbee2mqtt/trv}
  - {id: us_thermostat, name: Upstairs thermostat, type: climate, features: [target_temperature], protocol: generic, topic: home/us_thermostat, temperature_unit: F}
  - {id: front_door, name: Front door, area: hallway, type: lock, protocol: zigbee2mqtt, topic: zigbee2mqtt/front_door}
  - {id: blinds, name: Living room blinds, area: living_room, type: cover, features: [position], protocol: zigbee2mqtt, topic: zigbee2mqtt/blinds}
  - {id: office_sensor, name: Office sensor, type: sensor, features: [temperature, humidity], protocol: zigbee2mqtt, topic: zigbee2mqtt/office_sensor}
  - {id: window, name: Kitchen window, type: binary_sensor, features: [window], protocol: zigbee2mqtt, topic: zigbee2mqtt/kitchen_window}
  - {id: kitchen_light, name: Kitchen light, type: light, features: [brightness, color_temp], protocol: tasmota, topic: kitchen_light}
  - {id: relay1, name: Porch light, type: light, protocol: tasmota, topic: dual_relay, index: 1}
  - {id: relay2, name: Porch fan, type: fan, protocol: tasmota, topic: dual_relay, index: 2}
  - {id: curtains, name: Bedroom curtains, type: cover, features: [position], protocol: tasmota, topic: bedroom_curtains}
  - {id: thp, name: Bathroom sensor, type: sensor, features: [temperature, humidity], protocol: tasmota, topic: bath_th}
  - {id: tv, name: TV, type: media_player, features: [volume, mute], protocol: homeassistant, topic: homeassistant_entities/media_player/tv}
  - {id: alarm, name: Alarm, type: alarm_control_panel, features: [arm_away], protocol: homeassistant, topic: homeassistant_entities/alarm_control_panel/alarm}
  - {id: speaker, name: Kitchen speaker, type: media_player, features: [volume, mute], protocol: generic, topic: home/kitchen_speaker}
  - {id: garage_door, name: Garage door, type: cover, device_class: garage, protocol: generic, topic: home/garage_door}
"""


@pytest.fixture
def store() -> StateStore:
    return StateStore(parse_config(HOME, "home.yaml"))


def feed(store: StateStore, topic: str, payload) -> list[str]:
    if not isinstance(payload, (bytes, str)):
        payload = json.dumps(payload)
    return store.handle(topic, payload.encode() if isinstance(payload, str) else payload)


def test_topics_cover_every_protocol(store):
    t = store.topics()
    assert {"zigbee2mqtt/front_door", "zigbee2mqtt/front_door/availability", "stat/kitchen_light/+",
            "tele/kitchen_light/+", "stat/dual_relay/+", "home/garage_door/state",
            "homeassistant_entities/media_player/tv/state"} <= set(t)
    assert t == sorted(set(t))


def test_never_heard_is_unknown_not_invented(store):
    assert store.get("garage_door") is None
    assert store.describe("garage_door") == "I haven't heard from the garage door yet."


def test_zigbee2mqtt_light(store):
    assert feed(store, "zigbee2mqtt/living_ceiling", {
        "brightness": 127, "color_mode": "color_temp", "color_temp": 370, "linkquality": 87,
        "state": "ON", "update": {"state": "idle"}}) == ["ceiling"]
    s = store.get("ceiling")
    assert (s.power, s.brightness, s.color_temp) == (True, 50.0, 2703)
    assert s.position is None and s.locked is None and s.last_update is not None
    assert store.describe("ceiling") == "The living room ceiling light is on at 50% brightness."
    feed(store, "zigbee2mqtt/living_ceiling", {"state": "OFF", "brightness": 127})
    assert store.describe("ceiling") == "The living room ceiling light is off."


def test_zigbee2mqtt_lock_both_fields(store):
    feed(store, "zigbee2mqtt/front_door", {"battery": 87, "linkquality": 120, "lock_state": "locked", "state": "LOCK"})
    assert store.get("front_door").locked is True
    assert store.describe("front_door") == "The front door is locked."
    feed(store, "zigbee2mqtt/front_door", {"lock_state": "unlocked", "state": "UNLOCK"})
    assert store.describe("front_door") == "The front door is unlocked."
    feed(store, "zigbee2mqtt/front_door", {"lock_state": "not_fully_locked"})
    assert store.describe("front_door") == "The front door is not fully locked."
    assert store.describe("front_door", "battery") == "The battery of the front door is at 87%."


def test_zigbee2mqtt_thermostat(store):
    feed(store, "zigbee2mqtt/thermostat", {
        "local_temperature": 19.5, "occupied_heating_setpoint": 21, "system_mode": "heat",
        "running_state": "heat", "battery": 90, "linkquality": 60})
    s = store.get("thermostat")
    assert (s.target_temperature, s.current_temperature, s.hvac_mode) == (21, 19.5, "heat")
    assert store.describe("thermostat") == "The living room thermostat is set to 21 degrees (it is 19.5 now)."
    assert store.describe("thermostat", "temperature") == "It is 19.5 degrees at the living room thermostat."
    feed(store, "zigbee2mqtt/thermostat", {"local_temperature": 19.5, "temperature": 25})  # own reading wins
    assert store.get("thermostat").current_temperature == 19.5
    feed(store, "zigbee2mqtt/thermostat", {"system_mode": "off"})
    assert store.describe("thermostat") == "The living room thermostat is off (it is 19.5 now)."


def test_zigbee2mqtt_tuya_trv_current_heating_setpoint(store):
    feed(store, "zigbee2mqtt/trv", {"current_heating_setpoint": 22.5, "local_temperature": 18, "preset": "manual"})
    assert store.describe("trv") == "The radiator is set to 22.5 degrees (it is 18 now)."


def test_zigbee2mqtt_cover_sensor_contact(store):
    feed(store, "zigbee2mqtt/blinds", {"position": 40, "state": "OPEN", "linkquality": 100})
    assert store.get("blinds").position == 40
    assert store.describe("blinds") == "The living room blinds are 40% open."
    feed(store, "zigbee2mqtt/blinds", {"position": 0, "state": "CLOSE"})
    assert store.describe("blinds") == "The living room blinds are closed."
    feed(store, "zigbee2mqtt/office_sensor", {"battery": 100, "humidity": 45.31, "temperature": 21.72, "voltage": 3000})
    assert store.describe("office_sensor") == "The office sensor reads 21.5 degrees and 45% humidity."
    assert store.describe("office_sensor", "humidity") == "The humidity at the office sensor is 45%."
    feed(store, "zigbee2mqtt/kitchen_window", {"contact": False, "battery": 91})
    assert store.describe("window") == "The kitchen window is open."
    feed(store, "zigbee2mqtt/kitchen_window", {"contact": True})
    assert store.describe("window") == "The kitchen window is closed."


def test_zigbee2mqtt_availability(store):
    feed(store, "zigbee2mqtt/front_door/availability", {"state": "offline"})
    assert store.get("front_door").available is False
    assert store.describe("front_door") == "The front door is offline; I have no state from it yet."
    feed(store, "zigbee2mqtt/front_door/availability", "online")
    assert store.get("front_door").available is True


def test_tasmota_light_result_state_and_power(store):
    feed(store, "stat/kitchen_light/RESULT", {"POWER": "ON", "Dimmer": 60})
    s = store.get("kitchen_light")
    assert (s.power, s.brightness) == (True, 60)
    feed(store, "tele/kitchen_light/STATE", {
        "Time": "2026-11-29T07:00:00", "Uptime": "0T01:00:00", "UptimeSec": 3600, "Heap": 25,
        "SleepMode": "Dynamic", "Sleep": 50, "LoadAvg": 19, "MqttCount": 1, "POWER": "ON",
        "Dimmer": 75, "Color": "0000BF40", "White": 75, "CT": 250, "Channel": [0, 0, 0, 75, 25],
        "Fade": "OFF", "Speed": 1, "LedTable": "ON",
        "Wifi": {"AP": 1, "SSId": "home", "BSSId": "AA:BB:CC:DD:EE:FF", "Channel": 6, "RSSI": 80}})
    s = store.get("kitchen_light")
    assert (s.brightness, s.color_temp) == (75, 4000)
    feed(store, "stat/kitchen_light/POWER", "OFF")
    assert store.get("kitchen_light").power is False
    assert store.describe("kitchen_light") == "The kitchen light is off."
    feed(store, "tele/kitchen_light/LWT", "Offline")
    assert store.get("kitchen_light").available is False


def test_tasmota_multi_relay_goes_to_the_right_device(store):
    assert feed(store, "stat/dual_relay/POWER2", "ON") == ["relay2"]
    assert store.get("relay1") is None
    assert sorted(feed(store, "stat/dual_relay/RESULT", {"POWER1": "OFF"})) == ["relay1"]
    feed(store, "tele/dual_relay/STATE", {"Time": "x", "POWER1": "ON", "POWER2": "OFF"})
    assert (store.get("relay1").power, store.get("relay2").power) == (True, False)
    assert store.describe("relay2") == "The porch fan is off."


def test_tasmota_shutter_and_sensor(store):
    feed(store, "stat/bedroom_curtains/RESULT", {"Shutter1": {"Position": 30, "Direction": 0, "Target": 30, "Tilt": 0}})
    assert store.describe("curtains") == "The bedroom curtains are 30% open."
    feed(store, "tele/bath_th/SENSOR", {"Time": "2026-11-29T07:00:00",
                                        "AM2301": {"Temperature": 23.4, "Humidity": 61.2, "DewPoint": 15.5},
                                        "TempUnit": "C"})
    s = store.get("thp")
    assert (s.current_temperature, s.humidity) == (23.4, 61.2)
    assert store.describe("thp") == "The bathroom sensor reads 23.5 degrees and 61% humidity."


def test_homeassistant_plain_and_json(store):
    feed(store, "homeassistant_entities/alarm_control_panel/alarm/state", "armed_away")
    assert store.describe("alarm") == "The alarm is armed away."
    feed(store, "homeassistant_entities/alarm_control_panel/alarm/state", '{"state": "disarmed"}')
    assert store.describe("alarm") == "The alarm is disarmed."
    feed(store, "homeassistant_entities/media_player/tv/state",
         {"state": "playing", "volume_level": 0.3, "is_volume_muted": False, "source": "HDMI 1"})
    s = store.get("tv")
    assert (s.media_state, s.volume, s.muted) == ("playing", 30, False)
    assert store.describe("tv") == "The TV is playing, volume 30%."


def test_generic_json_and_fahrenheit(store):
    feed(store, "home/us_thermostat/state", {"target_temperature": 70, "current_temperature": 66, "hvac_mode": "heat"})
    s = store.get("us_thermostat")
    assert s.target_temperature == pytest.approx(21.111, abs=0.01)  # stored in °C
    assert store.describe("us_thermostat") == "The upstairs thermostat is set to 70 degrees (it is 66 now)."
    feed(store, "home/garage_door/state", "closed")
    assert store.describe("garage_door") == "The garage door is closed."
    feed(store, "home/kitchen_speaker/state", {"state": "paused", "volume": 20, "muted": True})
    assert store.describe("speaker") == "The kitchen speaker is paused and muted."


@pytest.mark.parametrize("payload", [
    b"not json at all {", b"[1, 2, 3]", b"\xff\xfe\x00", b'{"state": 42, "brightness": "very"}',
    b'{"brightness": 9999}', b'{"brightness": true}', b'{"color_temp": "NaN"}',
    b'{"state": "ON", "brightness": 10' + b" " * (70 * 1024) + b"}",
])
def test_malformed_payloads_are_logged_and_ignored(store, payload, caplog):
    caplog.set_level(logging.WARNING, "hub.devices.state")
    assert store.handle("zigbee2mqtt/living_ceiling", payload) == []
    assert store.get("ceiling") is None
    assert caplog.records, "the problem is logged"


@pytest.mark.parametrize("payload", [
    b'{"temperature": 1e308}', b'{"temperature": -1e308}', b'{"temperature": NaN}', b'{"temperature": Infinity}',
    b'{"temperature": 1e400}', b'{"temperature": ' + b"9" * 5000 + b"}", b'{"temperature": "1e999"}',
    b'{"temperature": ' + b"[" * 30_000 + b"]" * 30_000 + b"}", b'{"temperature": 21' + b"0" * 30 + b"}",
])
def test_numbers_no_home_has_are_refused_and_the_query_still_answers(store, payload):
    feed(store, "zigbee2mqtt/office_sensor", {"humidity": 40})
    store.handle("zigbee2mqtt/office_sensor", payload)
    assert store.get("office_sensor").current_temperature is None
    assert store.describe("office_sensor", "temperature") == "I don't know the temperature of the office sensor yet."


def test_a_flood_of_bad_payloads_is_logged_once_a_minute_per_device(store, caplog):
    caplog.set_level(logging.WARNING, "hub.devices.state")
    for i in range(1000):
        store.handle("zigbee2mqtt/living_ceiling", b"junk %d" % i)
        store.handle("zigbee2mqtt/front_door", b'{"state": %d}' % i)
    assert len(caplog.records) == 2, [r.getMessage() for r in caplog.records]


def test_one_bad_field_keeps_the_good_ones(store, caplog):
    feed(store, "zigbee2mqtt/living_ceiling", {"state": "ON", "brightness": "bright"})
    s = store.get("ceiling")
    assert (s.power, s.brightness) == (True, None)
    assert "brightness" in caplog.text


def test_unrelated_topics_and_tasmota_info_are_ignored(store):
    assert feed(store, "tele/kitchen_light/INFO1", {"Module": "Generic", "Version": "13.0.0"}) == []
    assert feed(store, "zigbee2mqtt/bridge/state", {"state": "online"}) == []
    assert feed(store, "tele/kitchen_light/STATE", {"Time": "x", "Uptime": "0T00:00:11"}) == []
    assert store.get("kitchen_light") is None


def test_hints_for_unknown_fields_say_so(store):
    feed(store, "stat/kitchen_light/POWER", "ON")
    assert store.describe("kitchen_light", "brightness") == "I don't know the brightness of the kitchen light yet."
    assert store.describe("kitchen_light") == "The kitchen light is on."


def test_fed_through_a_real_broker(broker):
    """Subscribe to topics() over MqttLink; retained state published before we connect arrives."""
    cfg = parse_config(HOME, "home.yaml")
    store = StateStore(cfg)
    bc = BrokerConfig(host=broker.host, port=broker.port)
    with MqttLink(bc, status_topic=None) as pub:
        assert pub.publish_and_wait(
            MqttMessage("zigbee2mqtt/front_door", b'{"lock_state":"locked","state":"LOCK"}', retain=True), 20).ok
    updated = []
    with MqttLink(bc, status_topic=None) as link:
        for f in store.topics():
            link.subscribe(f, lambda t, p: updated.extend(store.handle(t, p)))
        assert link.wait_connected(20)
        with MqttLink(bc, status_topic=None) as pub:
            assert pub.publish_and_wait(MqttMessage("stat/kitchen_light/POWER", b"ON"), 20).ok
            deadline = time.monotonic() + 20
            while {"front_door", "kitchen_light"} - set(updated) and time.monotonic() < deadline:
                time.sleep(0.02)
    assert store.describe("front_door") == "The front door is locked."
    assert store.describe("kitchen_light") == "The kitchen light is on."
