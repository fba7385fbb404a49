"""A home's retained topics as zigbee2mqtt and Home Assistant discovery publish them, written from
the formats' documentation for the importer tests:

- ``Z2M_DEVICES``: the JSON array on ``zigbee2mqtt/bridge/devices``
  (https://www.zigbee2mqtt.io/guide/usage/mqtt_topics_and_messages.html#zigbee2mqtt-bridge-devices,
  exposes: https://www.zigbee2mqtt.io/guide/usage/exposes.html).
- ``ha_discovery()``: retained ``homeassistant/<component>/<node>/<object>/config`` payloads of
  several publishers, each in its own style: zigbee2mqtt's discovery for the devices above (full
  key names, json-schema lights, ``unique_id`` ``<ieee>_<component>_zigbee2mqtt``), ESPHome
  (abbreviations, ``~``, ``dev.sa`` suggested area), Tasmota's legacy discovery (abbreviated
  keys, value templates over ``tele/<t>/STATE``), Shelly-style covers and hand-written entities.

Every device whose area is known says so in ``KNOWN_AREAS`` (id hint -> area id).
"""

from __future__ import annotations

import json


def _light(*, color: bool = False, ct: bool = True) -> list[dict]:
    feats = [{"type": "binary", "name": "state", "property": "state", "access": 7, "value_on": "ON", "value_off": "OFF"},
             {"type": "numeric", "name": "brightness", "property": "brightness", "access": 7, "value_min": 0,
              "value_max": 254}]
    if ct:
        feats.append({"type": "numeric", "name": "color_temp", "property": "color_temp", "access": 7,
                      "value_min": 153, "value_max": 454, "unit": "mired"})
    if color:
        feats.append({"type": "composite", "name": "color_xy", "property": "color", "access": 7,
                      "features": [{"type": "numeric", "name": "x", "property": "x"},
                                   {"type": "numeric", "name": "y", "property": "y"}]})
    return [{"type": "light", "features": feats},
            {"type": "numeric", "name": "linkquality", "property": "linkquality", "access": 1}]


def _plug() -> list[dict]:
    return [{"type": "switch", "features": [{"type": "binary", "name": "state", "property": "state", "access": 7}]},
            {"type": "numeric", "name": "power", "property": "power", "access": 5, "unit": "W"}]


def _trv(setpoint: str) -> list[dict]:
    return [{"type": "climate", "features": [
        {"type": "numeric", "name": setpoint, "property": setpoint, "access": 7, "value_min": 5, "value_max": 30,
         "unit": "°C"},
        {"type": "numeric", "name": "local_temperature", "property": "local_temperature", "access": 5},
        {"type": "enum", "name": "system_mode", "property": "system_mode", "access": 7, "values": ["off", "heat", "auto"]}]},
        {"type": "numeric", "name": "battery", "property": "battery", "access": 1}]


def _th() -> list[dict]:
    return [{"type": "numeric", "name": n, "property": n, "access": 1} for n in ("temperature", "humidity", "battery")]


def _contact() -> list[dict]:
    return [{"type": "binary", "name": "contact", "property": "contact", "access": 1},
            {"type": "numeric", "name": "battery", "property": "battery", "access": 1}]


def _motion() -> list[dict]:
    return [{"type": "binary", "name": "occupancy", "property": "occupancy", "access": 1},
            {"type": "numeric", "name": "illuminance", "property": "illuminance", "access": 1}]


def _blind() -> list[dict]:
    return [{"type": "cover", "features": [
        {"type": "enum", "name": "state", "property": "state", "access": 3, "values": ["OPEN", "CLOSE", "STOP"]},
        {"type": "numeric", "name": "position", "property": "position", "access": 7, "value_min": 0, "value_max": 100}]}]


def _lock() -> list[dict]:
    return [{"type": "lock", "features": [{"type": "binary", "name": "state", "property": "state", "access": 7,
                                          "value_on": "LOCK", "value_off": "UNLOCK"}]}]


# (friendly_name, ieee, vendor, model, exposes, component)
_Z2M = [
    ("kitchen/ceiling", "0x0017880100000001", "Philips", "9290022166", _light(), "light"),
    ("kitchen/spots", "0x0017880100000002", "Philips", "929002241201", _light(color=True), "light"),
    ("Living room lamp", "0x0017880100000003", "Philips", "9290012573A", _light(color=True), "light"),
    ("0x000b57fffe000004", "0x000b57fffe000004", "IKEA", "LED1545G12", _light(), "light"),
    ("0x000b57fffe000005", "0x000b57fffe000005", "IKEA", "LED1836G9", _light(ct=False), "light"),
    ("bedroom/bedside", "0x0017880100000006", "Philips", "8718699703424", _light(color=True), "light"),
    ("Office desk lamp", "0x0017880100000007", "Innr", "RB 285 C", _light(color=True), "light"),
    ("hallway/light", "0x0017880100000008", "Philips", "9290022166", _light(), "light"),
    ("kitchen/kettle plug", "0x00158d0000000009", "Xiaomi", "ZNCZ02LM", _plug(), "switch"),
    ("0x00158d000000000a", "0x00158d000000000a", "Xiaomi", "ZNCZ04LM", _plug(), "switch"),
    ("Garage plug", "0x00158d000000000b", "Xiaomi", "ZNCZ02LM", _plug(), "switch"),
    ("studio/radiator", "0xa4c138000000000c", "TuYa", "TS0601_thermostat", _trv("current_heating_setpoint"), "climate"),
    ("bedroom/radiator", "0x00158d000000000d", "Danfoss", "014G2461", _trv("occupied_heating_setpoint"), "climate"),
    ("0xa4c138000000000e", "0xa4c138000000000e", "TuYa", "TS0601_thermostat", _trv("current_heating_setpoint"), "climate"),
    ("kitchen/climate", "0x00158d000000000f", "Aqara", "WSDCGQ11LM", _th(), "sensor"),
    ("bathroom/climate", "0x00158d0000000010", "Aqara", "WSDCGQ11LM", _th(), "sensor"),
    ("0x00158d0000000011", "0x00158d0000000011", "Aqara", "WSDCGQ11LM", _th(), "sensor"),
    ("Front door contact", "0x00158d0000000012", "Aqara", "MCCGQ11LM", _contact(), "binary_sensor"),
    ("Back door contact", "0x00158d0000000013", "Aqara", "MCCGQ11LM", _contact(), "binary_sensor"),
    ("hallway/motion", "0x00158d0000000014", "Aqara", "RTCGQ11LM", _motion(), "binary_sensor"),
    ("living_room/blind", "0x00124b0000000015", "IKEA", "E1757", _blind(), "cover"),
    ("bedroom/blind", "0x00124b0000000016", "IKEA", "E1757", _blind(), "cover"),
    ("Front door lock", "0x000d6f0000000017", "Yale", "YRD256HA20BP", _lock(), "lock"),
    ("Bedroom plug", "0x00158d0000000018", "Xiaomi", "ZNCZ02LM", _plug(), "switch"),
]

Z2M_DEVICES = [{"ieee_address": "0x00124b0000000000", "type": "Coordinator", "friendly_name": "Coordinator",
                "definition": None, "supported": True, "disabled": False, "interview_completed": True}] + [
    {"ieee_address": ieee, "type": "Router" if comp in ("light", "switch") else "EndDevice", "friendly_name": fname,
     "supported": True, "disabled": False, "interview_completed": True,
     "definition": {"vendor": vendor, "model": model, "description": f"{vendor} {model}", "exposes": exposes}}
    for fname, ieee, vendor, model, exposes, comp in _Z2M
]

AREAS = """
areas:
  - {id: kitchen, name: Kitchen}
  - {id: living_room, name: Living room, aliases: [lounge]}
  - {id: bedroom, name: Bedroom}
  - {id: hallway, name: Hallway, aliases: [hall]}
  - {id: bathroom, name: Bathroom}
  - {id: office, name: Office}
  - {id: garage, name: Garage}
  - {id: studio, name: Studio}
"""


def _z2m_discovery() -> dict[str, dict]:
    """What zigbee2mqtt publishes for Home Assistant about the devices above (one main entity
    each, plus the battery and linkquality sensors it adds; trimmed)."""
    out: dict[str, dict] = {}
    for fname, ieee, vendor, model, exposes, comp in _Z2M:
        base = f"zigbee2mqtt/{fname}"
        dev = {"identifiers": [f"zigbee2mqtt_{ieee}"], "name": fname, "manufacturer": vendor, "model": model}
        cfg: dict = {"name": None, "unique_id": f"{ieee}_{comp}_zigbee2mqtt", "object_id": fname.replace("/", "_"),
                     "device": dev, "availability": [{"topic": "zigbee2mqtt/bridge/state"}], "state_topic": base,
                     "json_attributes_topic": base}
        if comp == "light":
            cfg |= {"schema": "json", "command_topic": f"{base}/set", "brightness": True, "brightness_scale": 254,
                    "supported_color_modes": ["xy", "color_temp"]}
        elif comp == "switch":
            cfg |= {"command_topic": f"{base}/set", "payload_on": "ON", "payload_off": "OFF",
                    "value_template": "{{ value_json.state }}"}
        elif comp == "climate":
            setpoint = exposes[0]["features"][0]["property"]
            cfg |= {"temperature_command_topic": f"{base}/set/{setpoint}", "temperature_state_topic": base,
                    "temperature_state_template": f"{{{{ value_json.{setpoint} }}}}",
                    "current_temperature_topic": base,
                    "current_temperature_template": "{{ value_json.local_temperature }}",
                    "mode_command_topic": f"{base}/set/system_mode", "mode_state_topic": base,
                    "mode_state_template": "{{ value_json.system_mode }}", "modes": ["off", "heat", "auto"],
                    "min_temp": "5", "max_temp": "30"}
        elif comp == "cover":
            cfg |= {"command_topic": f"{base}/set", "set_position_topic": f"{base}/set", "position_topic": base,
                    "position_template": "{{ value_json.position }}",
                    "set_position_template": '{ "position": {{ position }} }', "payload_stop": "STOP"}
        elif comp == "lock":
            cfg |= {"command_topic": f"{base}/set", "value_template": "{{ value_json.state }}",
                    "state_locked": "LOCK", "state_unlocked": "UNLOCK"}
        elif comp == "sensor":
            cfg |= {"device_class": "temperature", "value_template": "{{ value_json.temperature }}",
                    "unit_of_measurement": "°C"}
        elif comp == "binary_sensor":
            key = "contact" if "contact" in str(exposes) else "occupancy"
            cfg |= {"device_class": "door" if key == "contact" else "motion",
                    "value_template": f"{{{{ value_json.{key} }}}}", "payload_on": key == "occupancy",
                    "payload_off": key != "occupancy"}
        out[f"homeassistant/{comp}/{ieee}/{comp}/config"] = cfg
        out[f"homeassistant/sensor/{ieee}/linkquality/config"] = {
            "name": "Linkquality", "unique_id": f"{ieee}_linkquality_zigbee2mqtt", "state_topic": base,
            "value_template": "{{ value_json.linkquality }}", "device": dev, "entity_category": "diagnostic"}
    return out


def _esphome() -> dict[str, dict]:
    out = {}
    for node, obj, area, name in [("esp-kitchen", "strip", "Kitchen", "Kitchen strip"),
                                  ("esp-office", "shelf", "Office", "Office shelf light"),
                                  ("esp-garden", "path", "Garden", "Garden path light")]:
        out[f"homeassistant/light/{node}/{obj}/config"] = {
            "~": f"{node}/light/{obj}", "name": name, "uniq_id": f"{node}{obj}", "schema": "json",
            "cmd_t": "~/command", "stat_t": "~/state", "brightness": True, "sup_clrm": ["rgb"],
            "avty_t": f"{node}/status", "dev": {"ids": node, "name": node, "sa": area, "mf": "Espressif"}}
    out["homeassistant/sensor/esp-garden/soil/config"] = {
        "~": "esp-garden/sensor/soil", "name": "Garden soil moisture", "uniq_id": "esp-gardensoil",
        "stat_t": "~/state", "dev_cla": "moisture", "unit_of_meas": "%", "dev": {"ids": "esp-garden", "sa": "Garden"}}
    out["homeassistant/fan/esp-bedroom/fan/config"] = {
        "~": "esp-bedroom/fan/fan", "name": "Bedroom fan", "uniq_id": "esp-bedroomfan", "cmd_t": "~/command",
        "stat_t": "~/state", "pct_cmd_t": "~/speed_level/command", "pct_stat_t": "~/speed_level/state",
        "spd_rng_max": 3, "osc_cmd_t": "~/oscillation/command", "dev": {"ids": "esp-bedroom", "name": "esp-bedroom"}}
    return out


def _tasmota() -> dict[str, dict]:
    out = {}
    for topic, name in [("tasmota_A1B2C3", "Hallway switch"), ("tasmota_D4E5F6", "Kitchen extractor"),
                        ("tasmota_0A0B0C", "Studio heater plug"), ("tasmota_112233", "Lounge lamp plug")]:
        out[f"homeassistant/switch/{topic}/{topic}_RL_1/config"] = {
            "name": name, "cmd_t": f"cmnd/{topic}/POWER", "stat_t": f"tele/{topic}/STATE",
            "val_tpl": "{{value_json.POWER}}", "pl_off": "OFF", "pl_on": "ON", "avty_t": f"tele/{topic}/LWT",
            "pl_avail": "Online", "pl_not_avail": "Offline", "uniq_id": f"{topic}_RL_1",
            "dev": {"ids": [topic], "name": name, "mdl": "Sonoff Basic", "mf": "Tasmota"}}
    out["homeassistant/light/tasmota_778899/tasmota_778899_LI_1/config"] = {
        "name": "Bathroom mirror light", "cmd_t": "cmnd/tasmota_778899/POWER", "stat_t": "tele/tasmota_778899/STATE",
        "val_tpl": "{{value_json.POWER}}", "bri_cmd_t": "cmnd/tasmota_778899/Dimmer", "bri_stat_t": "tele/tasmota_778899/STATE",
        "bri_scl": 100, "bri_val_tpl": "{{value_json.Dimmer}}", "on_cmd_type": "brightness",
        "uniq_id": "tasmota_778899_LI_1", "dev": {"ids": ["tasmota_778899"]}}
    return out


def _others() -> dict[str, dict]:
    return {
        "homeassistant/cover/shelly-garage/door/config": {
            "name": "Garage door", "device_class": "garage", "command_topic": "shellies/garage/roller/0/command",
            "state_topic": "shellies/garage/roller/0", "payload_open": "open", "payload_close": "close",
            "payload_stop": "stop", "unique_id": "shelly-garage-door"},
        "homeassistant/cover/shelly-office/blind/config": {
            "name": "Office blind", "command_topic": "shellies/office/roller/0/command",
            "set_position_topic": "shellies/office/roller/0/command/pos", "position_topic": "shellies/office/roller/0/pos",
            "payload_open": "open", "payload_close": "close", "payload_stop": "stop", "unique_id": "shelly-office-blind"},
        "homeassistant/lock/nuki/back/config": {
            "name": "Back door lock", "command_topic": "nuki/back/lockAction", "state_topic": "nuki/back/state",
            "payload_lock": 2, "payload_unlock": 1, "state_locked": 1, "state_unlocked": 3, "unique_id": "nuki-back",
            "device": {"identifiers": ["nuki"], "name": "Nuki", "suggested_area": "Hallway"}},
        "homeassistant/climate/daikin/lounge/config": {
            "name": "Lounge air conditioner", "mode_command_topic": "daikin/lounge/mode/set",
            "mode_state_topic": "daikin/lounge/mode", "temperature_command_topic": "daikin/lounge/target/set",
            "temperature_state_topic": "daikin/lounge/target", "current_temperature_topic": "daikin/lounge/temp",
            "modes": ["off", "cool", "heat", "auto", "dry", "fan_only"], "power_command_topic": "daikin/lounge/power",
            "unique_id": "daikin-lounge", "precision": 0.5},
        "homeassistant/alarm_control_panel/alarmo/panel/config": {
            "name": "House alarm", "command_topic": "alarmo/command", "state_topic": "alarmo/state",
            "unique_id": "alarmo-panel", "code_arm_required": False},
        "homeassistant/vacuum/valetudo/robot/config": {
            "name": "Robot vacuum", "command_topic": "valetudo/robot/command", "state_topic": "valetudo/robot/state",
            "set_fan_speed_topic": "valetudo/robot/fan/set", "fan_speed_list": ["low", "medium", "high", "max"],
            "unique_id": "valetudo-robot", "schema": "state", "supported_features": ["start", "stop", "return_home"]},
        "homeassistant/light/template/x/config": {
            "name": "Template light", "schema": "template", "command_topic": "tpl/light/set",
            "command_on_template": "on", "command_off_template": "off", "unique_id": "tpl-light"},
        "homeassistant/select/esp/mode/config": {"name": "Mode", "command_topic": "esp/mode/set", "options": ["a"]},
    }


def ha_discovery() -> dict[str, bytes]:
    """Every retained discovery config of the home, topic -> payload."""
    configs = _z2m_discovery() | _esphome() | _tasmota() | _others()
    return {t: json.dumps(c).encode() for t, c in configs.items()}


KNOWN_AREAS = {
    "kitchen_ceiling": "kitchen", "kitchen_spots": "kitchen", "living_room_lamp": "living_room",
    "bedroom_bedside": "bedroom", "office_desk_lamp": "office", "hallway_light": "hallway",
    "kitchen_kettle_plug": "kitchen", "garage_plug": "garage", "studio_radiator": "studio",
    "bedroom_radiator": "bedroom", "kitchen_climate": "kitchen", "bathroom_climate": "bathroom",
    "hallway_motion": "hallway", "living_room_blind": "living_room", "bedroom_blind": "bedroom",
    "bedroom_plug": "bedroom", "strip": "kitchen", "shelf": "office", "path": "garden",
    "tasmota_a1b2c3_rl_1": "hallway", "tasmota_d4e5f6_rl_1": "kitchen", "tasmota_0a0b0c_rl_1": "studio",
    "tasmota_112233_rl_1": "living_room", "tasmota_778899_li_1": "bathroom", "door": "garage",
    "blind": "office", "back": "hallway", "lounge": "living_room", "bedroom_fan": "bedroom",
}
"""Device id hint (zigbee2mqtt: slug of the friendly name; discovery: object id) -> its area."""
