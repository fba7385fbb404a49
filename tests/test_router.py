"""Router: every catalog command on every protocol that carries it, refusals, conversions, clamping.

GOLDEN holds, for each (type, action, protocol) with a payload in devices/, the exact topic and
payload for a representative command on a representative device. Each row was checked against
the protocol's documentation cited in devices/<type>.yaml. The MQTT-through-mosquitto test
reuses GOLDEN and ``representative_config``.
"""

from __future__ import annotations

import pytest

from hub.config import DEVICE_TYPES, Config, Device
from hub.devices.catalog import PROTOCOLS, Catalog
from hub.devices.router import Router, requires_confirmation
from hub.errors import CommandRefused
from hub.types import Command, MqttMessage

TOPIC = {"zigbee2mqtt": "zigbee2mqtt/t_{t}", "tasmota": "t_{t}", "generic": "home/t_{t}", "homeassistant": "ha/{t}/t"}


def representative_config() -> Config:
    """One device per type x protocol, id ``<type>_<protocol>``, with every feature of its type."""
    devices = [
        Device(id=f"{t}_{p}", name=f"Test {t}", type=t, features=tuple(sorted(feats)), protocol=p,
               topic=TOPIC[p].format(t=t), index=2 if t == "scene" else None)
        for t, feats in DEVICE_TYPES.items() for p in PROTOCOLS
    ]
    return Config(devices=tuple(devices))


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


@pytest.fixture(scope="module")
def router(catalog) -> Router:
    return Router(representative_config(), catalog)


def one(router: Router, *args, state=None) -> MqttMessage:
    msgs = router.route(Command(*args), state=state)
    assert len(msgs) == 1, msgs
    return msgs[0]


# (type, action, protocol, value, topic, payload)
GOLDEN = [
    ('light', 'turn_on', 'zigbee2mqtt', None, 'zigbee2mqtt/t_light/set', '{"state":"ON"}'),
    ('light', 'turn_on', 'tasmota', None, 'cmnd/t_light/POWER', 'ON'),
    ('light', 'turn_on', 'generic', None, 'home/t_light/set', '{"action":"turn_on"}'),
    ('light', 'turn_on', 'homeassistant', None, 'ha/light/t/set', 'ON'),
    ('light', 'turn_off', 'zigbee2mqtt', None, 'zigbee2mqtt/t_light/set', '{"state":"OFF"}'),
    ('light', 'turn_off', 'tasmota', None, 'cmnd/t_light/POWER', 'OFF'),
    ('light', 'turn_off', 'generic', None, 'home/t_light/set', '{"action":"turn_off"}'),
    ('light', 'turn_off', 'homeassistant', None, 'ha/light/t/set', 'OFF'),
    ('light', 'toggle', 'zigbee2mqtt', None, 'zigbee2mqtt/t_light/set', '{"state":"TOGGLE"}'),
    ('light', 'toggle', 'tasmota', None, 'cmnd/t_light/POWER', 'TOGGLE'),
    ('light', 'toggle', 'generic', None, 'home/t_light/set', '{"action":"toggle"}'),
    ('light', 'set_brightness', 'zigbee2mqtt', 40, 'zigbee2mqtt/t_light/set', '{"brightness":102}'),
    ('light', 'set_brightness', 'tasmota', 40, 'cmnd/t_light/Dimmer', '40'),
    ('light', 'set_brightness', 'generic', 40, 'home/t_light/set', '{"action":"set_brightness","value":40,"unit":"%"}'),
    ('light', 'set_brightness', 'homeassistant', 40, 'ha/light/t/brightness/set', '102'),
    ('light', 'brightness_up', 'zigbee2mqtt', 20, 'zigbee2mqtt/t_light/set', '{"brightness_step":51}'),
    ('light', 'brightness_up', 'tasmota', 20, 'cmnd/t_light/Dimmer', '+'),
    ('light', 'brightness_up', 'generic', 20, 'home/t_light/set', '{"action":"brightness_up","value":20,"unit":"%"}'),
    ('light', 'brightness_down', 'zigbee2mqtt', 20, 'zigbee2mqtt/t_light/set', '{"brightness_step":-51}'),
    ('light', 'brightness_down', 'tasmota', 20, 'cmnd/t_light/Dimmer', '-'),
    ('light', 'brightness_down', 'generic', 20, 'home/t_light/set', '{"action":"brightness_down","value":20,"unit":"%"}'),
    ('light', 'set_color', 'zigbee2mqtt', 'purple', 'zigbee2mqtt/t_light/set', '{"color":{"hex":"#ff00ff"}}'),
    ('light', 'set_color', 'tasmota', 'purple', 'cmnd/t_light/Color2', '255,0,255'),
    ('light', 'set_color', 'generic', 'purple', 'home/t_light/set', '{"action":"set_color","value":"#ff00ff"}'),
    ('light', 'set_color', 'homeassistant', 'purple', 'ha/light/t/rgb/set', '255,0,255'),
    ('light', 'set_hue', 'zigbee2mqtt', 120, 'zigbee2mqtt/t_light/set', '{"color":{"hue":120}}'),
    ('light', 'set_hue', 'tasmota', 120, 'cmnd/t_light/HSBColor1', '120'),
    ('light', 'set_hue', 'generic', 120, 'home/t_light/set', '{"action":"set_hue","value":120,"unit":"°"}'),
    ('light', 'set_saturation', 'zigbee2mqtt', 40, 'zigbee2mqtt/t_light/set', '{"color":{"saturation":40}}'),
    ('light', 'set_saturation', 'tasmota', 40, 'cmnd/t_light/HSBColor2', '40'),
    ('light', 'set_saturation', 'generic', 40, 'home/t_light/set', '{"action":"set_saturation","value":40,"unit":"%"}'),
    ('light', 'set_color_temp', 'zigbee2mqtt', 3000, 'zigbee2mqtt/t_light/set', '{"color_temp":333}'),
    ('light', 'set_color_temp', 'tasmota', 3000, 'cmnd/t_light/CT', '333'),
    ('light', 'set_color_temp', 'generic', 3000, 'home/t_light/set', '{"action":"set_color_temp","value":3000,"unit":"K"}'),
    ('light', 'set_color_temp', 'homeassistant', 3000, 'ha/light/t/color_temp/set', '333'),
    ('light', 'color_temp_up', 'generic', 300, 'home/t_light/set', '{"action":"color_temp_up","value":300,"unit":"K"}'),
    ('light', 'color_temp_down', 'generic', 300, 'home/t_light/set', '{"action":"color_temp_down","value":300,"unit":"K"}'),
    ('light', 'set_effect', 'zigbee2mqtt', 'colorloop', 'zigbee2mqtt/t_light/set', '{"effect":"colorloop"}'),
    ('light', 'set_effect', 'tasmota', 'random', 'cmnd/t_light/Scheme', '4'),
    ('light', 'set_effect', 'generic', 'blink', 'home/t_light/set', '{"action":"set_effect","value":"blink"}'),
    ('light', 'set_effect', 'homeassistant', 'blink', 'ha/light/t/effect/set', 'blink'),
    ('light', 'stop_effect', 'zigbee2mqtt', None, 'zigbee2mqtt/t_light/set', '{"effect":"stop_effect"}'),
    ('light', 'stop_effect', 'tasmota', None, 'cmnd/t_light/Scheme', '0'),
    ('light', 'stop_effect', 'generic', None, 'home/t_light/set', '{"action":"stop_effect"}'),
    ('light', 'blink', 'zigbee2mqtt', None, 'zigbee2mqtt/t_light/set', '{"effect":"blink"}'),
    ('light', 'blink', 'tasmota', None, 'cmnd/t_light/POWER', 'BLINK'),
    ('light', 'blink', 'generic', None, 'home/t_light/set', '{"action":"blink"}'),
    ('light', 'set_power_on_behavior', 'zigbee2mqtt', 'off', 'zigbee2mqtt/t_light/set', '{"power_on_behavior":"off"}'),
    ('light', 'set_power_on_behavior', 'tasmota', 'previous', 'cmnd/t_light/PowerOnState', '3'),
    ('light', 'set_power_on_behavior', 'generic', 'off', 'home/t_light/set', '{"action":"set_power_on_behavior","value":"off"}'),
    ('light', 'turn_on_for', 'zigbee2mqtt', 90, 'zigbee2mqtt/t_light/set', '{"state":"ON","on_time":90}'),
    ('light', 'turn_on_for', 'generic', 90, 'home/t_light/set', '{"action":"turn_on_for","value":90,"unit":"s"}'),
    ('light', 'refresh', 'zigbee2mqtt', None, 'zigbee2mqtt/t_light/get', '{"state":""}'),
    ('light', 'refresh', 'tasmota', None, 'cmnd/t_light/POWER', ''),
    ('light', 'refresh', 'generic', None, 'home/t_light/set', '{"action":"refresh"}'),
    ('switch', 'turn_on', 'zigbee2mqtt', None, 'zigbee2mqtt/t_switch/set', '{"state":"ON"}'),
    ('switch', 'turn_on', 'tasmota', None, 'cmnd/t_switch/POWER', 'ON'),
    ('switch', 'turn_on', 'generic', None, 'home/t_switch/set', '{"action":"turn_on"}'),
    ('switch', 'turn_on', 'homeassistant', None, 'ha/switch/t/set', 'ON'),
    ('switch', 'turn_off', 'zigbee2mqtt', None, 'zigbee2mqtt/t_switch/set', '{"state":"OFF"}'),
    ('switch', 'turn_off', 'tasmota', None, 'cmnd/t_switch/POWER', 'OFF'),
    ('switch', 'turn_off', 'generic', None, 'home/t_switch/set', '{"action":"turn_off"}'),
    ('switch', 'turn_off', 'homeassistant', None, 'ha/switch/t/set', 'OFF'),
    ('switch', 'toggle', 'zigbee2mqtt', None, 'zigbee2mqtt/t_switch/set', '{"state":"TOGGLE"}'),
    ('switch', 'toggle', 'tasmota', None, 'cmnd/t_switch/POWER', 'TOGGLE'),
    ('switch', 'toggle', 'generic', None, 'home/t_switch/set', '{"action":"toggle"}'),
    ('switch', 'turn_on_for', 'zigbee2mqtt', 90, 'zigbee2mqtt/t_switch/set', '{"state":"ON","on_time":90}'),
    ('switch', 'turn_on_for', 'generic', 90, 'home/t_switch/set', '{"action":"turn_on_for","value":90,"unit":"s"}'),
    ('switch', 'set_power_on_behavior', 'zigbee2mqtt', 'off', 'zigbee2mqtt/t_switch/set', '{"power_on_behavior":"off"}'),
    ('switch', 'set_power_on_behavior', 'tasmota', 'previous', 'cmnd/t_switch/PowerOnState', '3'),
    ('switch', 'set_power_on_behavior', 'generic', 'off', 'home/t_switch/set', '{"action":"set_power_on_behavior","value":"off"}'),
    ('switch', 'reset_energy', 'tasmota', None, 'cmnd/t_switch/EnergyTotal', '0'),
    ('switch', 'reset_energy', 'generic', None, 'home/t_switch/set', '{"action":"reset_energy"}'),
    ('switch', 'refresh', 'zigbee2mqtt', None, 'zigbee2mqtt/t_switch/get', '{"state":""}'),
    ('switch', 'refresh', 'tasmota', None, 'cmnd/t_switch/POWER', ''),
    ('switch', 'refresh', 'generic', None, 'home/t_switch/set', '{"action":"refresh"}'),
    ('outlet', 'turn_on', 'zigbee2mqtt', None, 'zigbee2mqtt/t_outlet/set', '{"state":"ON"}'),
    ('outlet', 'turn_on', 'tasmota', None, 'cmnd/t_outlet/POWER', 'ON'),
    ('outlet', 'turn_on', 'generic', None, 'home/t_outlet/set', '{"action":"turn_on"}'),
    ('outlet', 'turn_on', 'homeassistant', None, 'ha/outlet/t/set', 'ON'),
    ('outlet', 'turn_off', 'zigbee2mqtt', None, 'zigbee2mqtt/t_outlet/set', '{"state":"OFF"}'),
    ('outlet', 'turn_off', 'tasmota', None, 'cmnd/t_outlet/POWER', 'OFF'),
    ('outlet', 'turn_off', 'generic', None, 'home/t_outlet/set', '{"action":"turn_off"}'),
    ('outlet', 'turn_off', 'homeassistant', None, 'ha/outlet/t/set', 'OFF'),
    ('outlet', 'toggle', 'zigbee2mqtt', None, 'zigbee2mqtt/t_outlet/set', '{"state":"TOGGLE"}'),
    ('outlet', 'toggle', 'tasmota', None, 'cmnd/t_outlet/POWER', 'TOGGLE'),
    ('outlet', 'toggle', 'generic', None, 'home/t_outlet/set', '{"action":"toggle"}'),
    ('outlet', 'turn_on_for', 'zigbee2mqtt', 90, 'zigbee2mqtt/t_outlet/set', '{"state":"ON","on_time":90}'),
    ('outlet', 'turn_on_for', 'generic', 90, 'home/t_outlet/set', '{"action":"turn_on_for","value":90,"unit":"s"}'),
    ('outlet', 'set_power_on_behavior', 'zigbee2mqtt', 'off', 'zigbee2mqtt/t_outlet/set', '{"power_on_behavior":"off"}'),
    ('outlet', 'set_power_on_behavior', 'tasmota', 'previous', 'cmnd/t_outlet/PowerOnState', '3'),
    ('outlet', 'set_power_on_behavior', 'generic', 'off', 'home/t_outlet/set', '{"action":"set_power_on_behavior","value":"off"}'),
    ('outlet', 'reset_energy', 'tasmota', None, 'cmnd/t_outlet/EnergyTotal', '0'),
    ('outlet', 'reset_energy', 'generic', None, 'home/t_outlet/set', '{"action":"reset_energy"}'),
    ('outlet', 'child_lock_on', 'zigbee2mqtt', None, 'zigbee2mqtt/t_outlet/set', '{"child_lock":"LOCK"}'),
    ('outlet', 'child_lock_on', 'generic', None, 'home/t_outlet/set', '{"action":"child_lock_on"}'),
    ('outlet', 'child_lock_off', 'zigbee2mqtt', None, 'zigbee2mqtt/t_outlet/set', '{"child_lock":"UNLOCK"}'),
    ('outlet', 'child_lock_off', 'generic', None, 'home/t_outlet/set', '{"action":"child_lock_off"}'),
    ('outlet', 'refresh', 'zigbee2mqtt', None, 'zigbee2mqtt/t_outlet/get', '{"state":""}'),
    ('outlet', 'refresh', 'tasmota', None, 'cmnd/t_outlet/POWER', ''),
    ('outlet', 'refresh', 'generic', None, 'home/t_outlet/set', '{"action":"refresh"}'),
    ('cover', 'open', 'zigbee2mqtt', None, 'zigbee2mqtt/t_cover/set', '{"state":"OPEN"}'),
    ('cover', 'open', 'tasmota', None, 'cmnd/t_cover/ShutterOpen', ''),
    ('cover', 'open', 'generic', None, 'home/t_cover/set', '{"action":"open"}'),
    ('cover', 'open', 'homeassistant', None, 'ha/cover/t/set', 'OPEN'),
    ('cover', 'close', 'zigbee2mqtt', None, 'zigbee2mqtt/t_cover/set', '{"state":"CLOSE"}'),
    ('cover', 'close', 'tasmota', None, 'cmnd/t_cover/ShutterClose', ''),
    ('cover', 'close', 'generic', None, 'home/t_cover/set', '{"action":"close"}'),
    ('cover', 'close', 'homeassistant', None, 'ha/cover/t/set', 'CLOSE'),
    ('cover', 'stop', 'zigbee2mqtt', None, 'zigbee2mqtt/t_cover/set', '{"state":"STOP"}'),
    ('cover', 'stop', 'tasmota', None, 'cmnd/t_cover/ShutterStop', ''),
    ('cover', 'stop', 'generic', None, 'home/t_cover/set', '{"action":"stop"}'),
    ('cover', 'stop', 'homeassistant', None, 'ha/cover/t/set', 'STOP'),
    ('cover', 'toggle', 'tasmota', None, 'cmnd/t_cover/ShutterToggle', ''),
    ('cover', 'toggle', 'generic', None, 'home/t_cover/set', '{"action":"toggle"}'),
    ('cover', 'set_position', 'zigbee2mqtt', 40, 'zigbee2mqtt/t_cover/set', '{"position":40}'),
    ('cover', 'set_position', 'tasmota', 40, 'cmnd/t_cover/ShutterPosition', '40'),
    ('cover', 'set_position', 'generic', 40, 'home/t_cover/set', '{"action":"set_position","value":40,"unit":"%"}'),
    ('cover', 'set_position', 'homeassistant', 40, 'ha/cover/t/position/set', '40'),
    ('cover', 'position_up', 'tasmota', 20, 'cmnd/t_cover/ShutterChange', '20'),
    ('cover', 'position_up', 'generic', 20, 'home/t_cover/set', '{"action":"position_up","value":20,"unit":"%"}'),
    ('cover', 'position_down', 'tasmota', 20, 'cmnd/t_cover/ShutterChange', '-20'),
    ('cover', 'position_down', 'generic', 20, 'home/t_cover/set', '{"action":"position_down","value":20,"unit":"%"}'),
    ('cover', 'set_tilt', 'zigbee2mqtt', 40, 'zigbee2mqtt/t_cover/set', '{"tilt":40}'),
    ('cover', 'set_tilt', 'tasmota', 40, 'cmnd/t_cover/ShutterTilt', '-18'),
    ('cover', 'set_tilt', 'generic', 40, 'home/t_cover/set', '{"action":"set_tilt","value":40,"unit":"%"}'),
    ('cover', 'set_tilt', 'homeassistant', 40, 'ha/cover/t/tilt/set', '40'),
    ('cover', 'tilt_up', 'generic', 20, 'home/t_cover/set', '{"action":"tilt_up","value":20,"unit":"%"}'),
    ('cover', 'tilt_down', 'generic', 20, 'home/t_cover/set', '{"action":"tilt_down","value":20,"unit":"%"}'),
    ('cover', 'tilt_open', 'zigbee2mqtt', None, 'zigbee2mqtt/t_cover/set', '{"tilt":100}'),
    ('cover', 'tilt_open', 'tasmota', None, 'cmnd/t_cover/ShutterTilt', 'OPEN'),
    ('cover', 'tilt_open', 'generic', None, 'home/t_cover/set', '{"action":"tilt_open"}'),
    ('cover', 'tilt_open', 'homeassistant', None, 'ha/cover/t/tilt/set', '100'),
    ('cover', 'tilt_close', 'zigbee2mqtt', None, 'zigbee2mqtt/t_cover/set', '{"tilt":0}'),
    ('cover', 'tilt_close', 'tasmota', None, 'cmnd/t_cover/ShutterTilt', 'CLOSE'),
    ('cover', 'tilt_close', 'generic', None, 'home/t_cover/set', '{"action":"tilt_close"}'),
    ('cover', 'tilt_close', 'homeassistant', None, 'ha/cover/t/tilt/set', '0'),
    ('cover', 'refresh', 'zigbee2mqtt', None, 'zigbee2mqtt/t_cover/get', '{"position":""}'),
    ('cover', 'refresh', 'tasmota', None, 'cmnd/t_cover/ShutterPosition', ''),
    ('cover', 'refresh', 'generic', None, 'home/t_cover/set', '{"action":"refresh"}'),
    ('lock', 'lock', 'zigbee2mqtt', None, 'zigbee2mqtt/t_lock/set', '{"state":"LOCK"}'),
    ('lock', 'lock', 'generic', None, 'home/t_lock/set', '{"action":"lock"}'),
    ('lock', 'lock', 'homeassistant', None, 'ha/lock/t/set', 'LOCK'),
    ('lock', 'unlock', 'zigbee2mqtt', None, 'zigbee2mqtt/t_lock/set', '{"state":"UNLOCK"}'),
    ('lock', 'unlock', 'generic', None, 'home/t_lock/set', '{"action":"unlock"}'),
    ('lock', 'unlock', 'homeassistant', None, 'ha/lock/t/set', 'UNLOCK'),
    ('lock', 'open', 'generic', None, 'home/t_lock/set', '{"action":"open"}'),
    ('lock', 'open', 'homeassistant', None, 'ha/lock/t/set', 'OPEN'),
    ('lock', 'auto_relock_on', 'zigbee2mqtt', None, 'zigbee2mqtt/t_lock/set', '{"auto_relock":true}'),
    ('lock', 'auto_relock_on', 'generic', None, 'home/t_lock/set', '{"action":"auto_relock_on"}'),
    ('lock', 'auto_relock_off', 'zigbee2mqtt', None, 'zigbee2mqtt/t_lock/set', '{"auto_relock":false}'),
    ('lock', 'auto_relock_off', 'generic', None, 'home/t_lock/set', '{"action":"auto_relock_off"}'),
    ('lock', 'refresh', 'zigbee2mqtt', None, 'zigbee2mqtt/t_lock/get', '{"state":""}'),
    ('lock', 'refresh', 'generic', None, 'home/t_lock/set', '{"action":"refresh"}'),
    ('climate', 'turn_on', 'zigbee2mqtt', None, 'zigbee2mqtt/t_climate/set', '{"system_mode":"heat"}'),
    ('climate', 'turn_on', 'generic', None, 'home/t_climate/set', '{"action":"turn_on"}'),
    ('climate', 'turn_on', 'homeassistant', None, 'ha/climate/t/power/set', 'ON'),
    ('climate', 'turn_off', 'zigbee2mqtt', None, 'zigbee2mqtt/t_climate/set', '{"system_mode":"off"}'),
    ('climate', 'turn_off', 'generic', None, 'home/t_climate/set', '{"action":"turn_off"}'),
    ('climate', 'turn_off', 'homeassistant', None, 'ha/climate/t/power/set', 'OFF'),
    ('climate', 'set_temperature', 'zigbee2mqtt', 21.5, 'zigbee2mqtt/t_climate/set', '{"occupied_heating_setpoint":21.5}'),
    ('climate', 'set_temperature', 'tasmota', 21.5, 'cmnd/t_climate/TempTargetSet', '21.5'),
    ('climate', 'set_temperature', 'generic', 21.5, 'home/t_climate/set', '{"action":"set_temperature","value":21.5,"unit":"C"}'),
    ('climate', 'set_temperature', 'homeassistant', 21.5, 'ha/climate/t/temperature/set', '21.5'),
    ('climate', 'temperature_up', 'generic', 1.5, 'home/t_climate/set', '{"action":"temperature_up","value":1.5,"unit":"C"}'),
    ('climate', 'temperature_down', 'generic', 1.5, 'home/t_climate/set', '{"action":"temperature_down","value":1.5,"unit":"C"}'),
    ('climate', 'set_temperature_low', 'zigbee2mqtt', 21.5, 'zigbee2mqtt/t_climate/set', '{"occupied_heating_setpoint":21.5}'),
    ('climate', 'set_temperature_low', 'generic', 21.5, 'home/t_climate/set', '{"action":"set_temperature_low","value":21.5,"unit":"C"}'),
    ('climate', 'set_temperature_low', 'homeassistant', 21.5, 'ha/climate/t/temperature_low/set', '21.5'),
    ('climate', 'set_temperature_high', 'zigbee2mqtt', 21.5, 'zigbee2mqtt/t_climate/set', '{"occupied_cooling_setpoint":21.5}'),
    ('climate', 'set_temperature_high', 'generic', 21.5, 'home/t_climate/set', '{"action":"set_temperature_high","value":21.5,"unit":"C"}'),
    ('climate', 'set_temperature_high', 'homeassistant', 21.5, 'ha/climate/t/temperature_high/set', '21.5'),
    ('climate', 'set_hvac_mode', 'zigbee2mqtt', 'off', 'zigbee2mqtt/t_climate/set', '{"system_mode":"off"}'),
    ('climate', 'set_hvac_mode', 'generic', 'heat', 'home/t_climate/set', '{"action":"set_hvac_mode","value":"heat"}'),
    ('climate', 'set_hvac_mode', 'homeassistant', 'heat', 'ha/climate/t/mode/set', 'heat'),
    ('climate', 'set_fan_mode', 'zigbee2mqtt', 'auto', 'zigbee2mqtt/t_climate/set', '{"fan_mode":"auto"}'),
    ('climate', 'set_fan_mode', 'generic', 'auto', 'home/t_climate/set', '{"action":"set_fan_mode","value":"auto"}'),
    ('climate', 'set_fan_mode', 'homeassistant', 'auto', 'ha/climate/t/fan_mode/set', 'auto'),
    ('climate', 'set_fan_speed', 'zigbee2mqtt', 40, 'zigbee2mqtt/t_climate/set', '{"fan_mode":"medium"}'),
    ('climate', 'set_fan_speed', 'generic', 40, 'home/t_climate/set', '{"action":"set_fan_speed","value":40,"unit":"%"}'),
    ('climate', 'set_fan_speed', 'homeassistant', 40, 'ha/climate/t/fan_mode/set', 'medium'),
    ('climate', 'set_preset', 'zigbee2mqtt', 'eco', 'zigbee2mqtt/t_climate/set', '{"preset":"eco"}'),
    ('climate', 'set_preset', 'generic', 'eco', 'home/t_climate/set', '{"action":"set_preset","value":"eco"}'),
    ('climate', 'set_preset', 'homeassistant', 'eco', 'ha/climate/t/preset_mode/set', 'eco'),
    ('climate', 'set_swing_mode', 'generic', 'on', 'home/t_climate/set', '{"action":"set_swing_mode","value":"on"}'),
    ('climate', 'set_swing_mode', 'homeassistant', 'on', 'ha/climate/t/swing_mode/set', 'on'),
    ('climate', 'set_humidity', 'generic', 40, 'home/t_climate/set', '{"action":"set_humidity","value":40,"unit":"%"}'),
    ('climate', 'set_humidity', 'homeassistant', 40, 'ha/climate/t/target_humidity/set', '40'),
    ('climate', 'child_lock_on', 'zigbee2mqtt', None, 'zigbee2mqtt/t_climate/set', '{"child_lock":"LOCK"}'),
    ('climate', 'child_lock_on', 'generic', None, 'home/t_climate/set', '{"action":"child_lock_on"}'),
    ('climate', 'child_lock_off', 'zigbee2mqtt', None, 'zigbee2mqtt/t_climate/set', '{"child_lock":"UNLOCK"}'),
    ('climate', 'child_lock_off', 'generic', None, 'home/t_climate/set', '{"action":"child_lock_off"}'),
    ('climate', 'window_detection_on', 'zigbee2mqtt', None, 'zigbee2mqtt/t_climate/set', '{"window_detection":"ON"}'),
    ('climate', 'window_detection_on', 'generic', None, 'home/t_climate/set', '{"action":"window_detection_on"}'),
    ('climate', 'window_detection_off', 'zigbee2mqtt', None, 'zigbee2mqtt/t_climate/set', '{"window_detection":"OFF"}'),
    ('climate', 'window_detection_off', 'generic', None, 'home/t_climate/set', '{"action":"window_detection_off"}'),
    ('climate', 'refresh', 'zigbee2mqtt', None, 'zigbee2mqtt/t_climate/get', '{"occupied_heating_setpoint":""}'),
    ('climate', 'refresh', 'tasmota', None, 'cmnd/t_climate/TempTargetSet', ''),
    ('climate', 'refresh', 'generic', None, 'home/t_climate/set', '{"action":"refresh"}'),
    ('fan', 'turn_on', 'zigbee2mqtt', None, 'zigbee2mqtt/t_fan/set', '{"fan_state":"ON"}'),
    ('fan', 'turn_on', 'tasmota', None, 'cmnd/t_fan/POWER', 'ON'),
    ('fan', 'turn_on', 'generic', None, 'home/t_fan/set', '{"action":"turn_on"}'),
    ('fan', 'turn_on', 'homeassistant', None, 'ha/fan/t/set', 'ON'),
    ('fan', 'turn_off', 'zigbee2mqtt', None, 'zigbee2mqtt/t_fan/set', '{"fan_state":"OFF"}'),
    ('fan', 'turn_off', 'tasmota', None, 'cmnd/t_fan/POWER', 'OFF'),
    ('fan', 'turn_off', 'generic', None, 'home/t_fan/set', '{"action":"turn_off"}'),
    ('fan', 'turn_off', 'homeassistant', None, 'ha/fan/t/set', 'OFF'),
    ('fan', 'toggle', 'tasmota', None, 'cmnd/t_fan/POWER', 'TOGGLE'),
    ('fan', 'toggle', 'generic', None, 'home/t_fan/set', '{"action":"toggle"}'),
    ('fan', 'set_fan_speed', 'zigbee2mqtt', 40, 'zigbee2mqtt/t_fan/set', '{"fan_mode":"medium"}'),
    ('fan', 'set_fan_speed', 'tasmota', 40, 'cmnd/t_fan/FanSpeed', '2'),
    ('fan', 'set_fan_speed', 'generic', 40, 'home/t_fan/set', '{"action":"set_fan_speed","value":40,"unit":"%"}'),
    ('fan', 'set_fan_speed', 'homeassistant', 40, 'ha/fan/t/percentage/set', '40'),
    ('fan', 'fan_speed_up', 'tasmota', 20, 'cmnd/t_fan/FanSpeed', '+'),
    ('fan', 'fan_speed_up', 'generic', 20, 'home/t_fan/set', '{"action":"fan_speed_up","value":20,"unit":"%"}'),
    ('fan', 'fan_speed_down', 'tasmota', 20, 'cmnd/t_fan/FanSpeed', '-'),
    ('fan', 'fan_speed_down', 'generic', 20, 'home/t_fan/set', '{"action":"fan_speed_down","value":20,"unit":"%"}'),
    ('fan', 'oscillate_on', 'generic', None, 'home/t_fan/set', '{"action":"oscillate_on"}'),
    ('fan', 'oscillate_on', 'homeassistant', None, 'ha/fan/t/oscillation/set', 'oscillate_on'),
    ('fan', 'oscillate_off', 'generic', None, 'home/t_fan/set', '{"action":"oscillate_off"}'),
    ('fan', 'oscillate_off', 'homeassistant', None, 'ha/fan/t/oscillation/set', 'oscillate_off'),
    ('fan', 'set_direction', 'generic', 'forward', 'home/t_fan/set', '{"action":"set_direction","value":"forward"}'),
    ('fan', 'set_direction', 'homeassistant', 'forward', 'ha/fan/t/direction/set', 'forward'),
    ('fan', 'set_preset', 'zigbee2mqtt', 'smart', 'zigbee2mqtt/t_fan/set', '{"fan_mode":"smart"}'),
    ('fan', 'set_preset', 'generic', 'auto', 'home/t_fan/set', '{"action":"set_preset","value":"auto"}'),
    ('fan', 'set_preset', 'homeassistant', 'auto', 'ha/fan/t/preset_mode/set', 'auto'),
    ('fan', 'refresh', 'zigbee2mqtt', None, 'zigbee2mqtt/t_fan/get', '{"fan_state":""}'),
    ('fan', 'refresh', 'tasmota', None, 'cmnd/t_fan/POWER', ''),
    ('fan', 'refresh', 'generic', None, 'home/t_fan/set', '{"action":"refresh"}'),
    ('media_player', 'turn_on', 'generic', None, 'home/t_media_player/set', '{"action":"turn_on"}'),
    ('media_player', 'turn_on', 'homeassistant', None, 'ha/media_player/t/set', 'ON'),
    ('media_player', 'turn_off', 'generic', None, 'home/t_media_player/set', '{"action":"turn_off"}'),
    ('media_player', 'turn_off', 'homeassistant', None, 'ha/media_player/t/set', 'OFF'),
    ('media_player', 'toggle', 'generic', None, 'home/t_media_player/set', '{"action":"toggle"}'),
    ('media_player', 'play', 'generic', None, 'home/t_media_player/set', '{"action":"play"}'),
    ('media_player', 'play', 'homeassistant', None, 'ha/media_player/t/media/set', 'media_play'),
    ('media_player', 'pause', 'generic', None, 'home/t_media_player/set', '{"action":"pause"}'),
    ('media_player', 'pause', 'homeassistant', None, 'ha/media_player/t/media/set', 'media_pause'),
    ('media_player', 'play_pause', 'generic', None, 'home/t_media_player/set', '{"action":"play_pause"}'),
    ('media_player', 'play_pause', 'homeassistant', None, 'ha/media_player/t/media/set', 'media_play_pause'),
    ('media_player', 'stop', 'generic', None, 'home/t_media_player/set', '{"action":"stop"}'),
    ('media_player', 'stop', 'homeassistant', None, 'ha/media_player/t/media/set', 'media_stop'),
    ('media_player', 'next', 'generic', None, 'home/t_media_player/set', '{"action":"next"}'),
    ('media_player', 'next', 'homeassistant', None, 'ha/media_player/t/media/set', 'media_next_track'),
    ('media_player', 'previous', 'generic', None, 'home/t_media_player/set', '{"action":"previous"}'),
    ('media_player', 'previous', 'homeassistant', None, 'ha/media_player/t/media/set', 'media_previous_track'),
    ('media_player', 'set_volume', 'generic', 40, 'home/t_media_player/set', '{"action":"set_volume","value":40,"unit":"%"}'),
    ('media_player', 'set_volume', 'homeassistant', 40, 'ha/media_player/t/volume/set', '0.4'),
    ('media_player', 'volume_up', 'generic', 20, 'home/t_media_player/set', '{"action":"volume_up","value":20,"unit":"%"}'),
    ('media_player', 'volume_up', 'homeassistant', 20, 'ha/media_player/t/media/set', 'volume_up'),
    ('media_player', 'volume_down', 'generic', 20, 'home/t_media_player/set', '{"action":"volume_down","value":20,"unit":"%"}'),
    ('media_player', 'volume_down', 'homeassistant', 20, 'ha/media_player/t/media/set', 'volume_down'),
    ('media_player', 'mute', 'generic', None, 'home/t_media_player/set', '{"action":"mute"}'),
    ('media_player', 'mute', 'homeassistant', None, 'ha/media_player/t/mute/set', 'ON'),
    ('media_player', 'unmute', 'generic', None, 'home/t_media_player/set', '{"action":"unmute"}'),
    ('media_player', 'unmute', 'homeassistant', None, 'ha/media_player/t/mute/set', 'OFF'),
    ('media_player', 'select_source', 'generic', 'HDMI 1', 'home/t_media_player/set', '{"action":"select_source","value":"HDMI 1"}'),
    ('media_player', 'select_source', 'homeassistant', 'HDMI 1', 'ha/media_player/t/source/set', 'HDMI 1'),
    ('media_player', 'shuffle_on', 'generic', None, 'home/t_media_player/set', '{"action":"shuffle_on"}'),
    ('media_player', 'shuffle_on', 'homeassistant', None, 'ha/media_player/t/shuffle/set', 'ON'),
    ('media_player', 'shuffle_off', 'generic', None, 'home/t_media_player/set', '{"action":"shuffle_off"}'),
    ('media_player', 'shuffle_off', 'homeassistant', None, 'ha/media_player/t/shuffle/set', 'OFF'),
    ('media_player', 'set_repeat', 'generic', 'off', 'home/t_media_player/set', '{"action":"set_repeat","value":"off"}'),
    ('media_player', 'set_repeat', 'homeassistant', 'off', 'ha/media_player/t/repeat/set', 'off'),
    ('media_player', 'seek', 'generic', 90, 'home/t_media_player/set', '{"action":"seek","value":90,"unit":"s"}'),
    ('media_player', 'seek', 'homeassistant', 90, 'ha/media_player/t/seek/set', '90'),
    ('media_player', 'seek_forward', 'generic', 90, 'home/t_media_player/set', '{"action":"seek_forward","value":90,"unit":"s"}'),
    ('media_player', 'seek_backward', 'generic', 90, 'home/t_media_player/set', '{"action":"seek_backward","value":90,"unit":"s"}'),
    ('media_player', 'set_sound_mode', 'generic', 'movie', 'home/t_media_player/set', '{"action":"set_sound_mode","value":"movie"}'),
    ('media_player', 'set_sound_mode', 'homeassistant', 'movie', 'ha/media_player/t/sound_mode/set', 'movie'),
    ('media_player', 'play_media', 'generic', 'jazz', 'home/t_media_player/set', '{"action":"play_media","value":"jazz"}'),
    ('media_player', 'play_media', 'homeassistant', 'jazz', 'ha/media_player/t/play_media/set', 'jazz'),
    ('media_player', 'set_channel', 'generic', 7, 'home/t_media_player/set', '{"action":"set_channel","value":7}'),
    ('media_player', 'set_channel', 'homeassistant', 7, 'ha/media_player/t/channel/set', '7'),
    ('media_player', 'channel_up', 'generic', None, 'home/t_media_player/set', '{"action":"channel_up"}'),
    ('media_player', 'channel_up', 'homeassistant', None, 'ha/media_player/t/channel/set', 'up'),
    ('media_player', 'channel_down', 'generic', None, 'home/t_media_player/set', '{"action":"channel_down"}'),
    ('media_player', 'channel_down', 'homeassistant', None, 'ha/media_player/t/channel/set', 'down'),
    ('vacuum', 'start', 'generic', None, 'home/t_vacuum/set', '{"action":"start"}'),
    ('vacuum', 'start', 'homeassistant', None, 'ha/vacuum/t/set', 'start'),
    ('vacuum', 'pause', 'generic', None, 'home/t_vacuum/set', '{"action":"pause"}'),
    ('vacuum', 'pause', 'homeassistant', None, 'ha/vacuum/t/set', 'pause'),
    ('vacuum', 'stop', 'generic', None, 'home/t_vacuum/set', '{"action":"stop"}'),
    ('vacuum', 'stop', 'homeassistant', None, 'ha/vacuum/t/set', 'stop'),
    ('vacuum', 'dock', 'generic', None, 'home/t_vacuum/set', '{"action":"dock"}'),
    ('vacuum', 'dock', 'homeassistant', None, 'ha/vacuum/t/set', 'return_to_base'),
    ('vacuum', 'locate', 'generic', None, 'home/t_vacuum/set', '{"action":"locate"}'),
    ('vacuum', 'locate', 'homeassistant', None, 'ha/vacuum/t/set', 'locate'),
    ('vacuum', 'clean_spot', 'generic', None, 'home/t_vacuum/set', '{"action":"clean_spot"}'),
    ('vacuum', 'clean_spot', 'homeassistant', None, 'ha/vacuum/t/set', 'clean_spot'),
    ('vacuum', 'set_fan_speed', 'generic', 40, 'home/t_vacuum/set', '{"action":"set_fan_speed","value":40,"unit":"%"}'),
    ('vacuum', 'set_fan_speed', 'homeassistant', 40, 'ha/vacuum/t/fan_speed/set', 'medium'),
    ('vacuum', 'clean_room', 'generic', 'kitchen', 'home/t_vacuum/set', '{"action":"clean_room","value":"kitchen"}'),
    ('vacuum', 'send_command', 'generic', 'app_goto_target', 'home/t_vacuum/set', '{"action":"send_command","value":"app_goto_target"}'),
    ('vacuum', 'send_command', 'homeassistant', 'app_goto_target', 'ha/vacuum/t/send_command', 'app_goto_target'),
    ('sensor', 'refresh', 'tasmota', None, 'cmnd/t_sensor/STATUS', '10'),
    ('sensor', 'refresh', 'generic', None, 'home/t_sensor/set', '{"action":"refresh"}'),
    ('binary_sensor', 'refresh', 'tasmota', None, 'cmnd/t_binary_sensor/STATUS', '10'),
    ('binary_sensor', 'refresh', 'generic', None, 'home/t_binary_sensor/set', '{"action":"refresh"}'),
    ('scene', 'activate', 'zigbee2mqtt', None, 'zigbee2mqtt/t_scene/set', '{"scene_recall":2}'),
    ('scene', 'activate', 'generic', None, 'home/t_scene/set', '{"action":"activate"}'),
    ('scene', 'activate', 'homeassistant', None, 'ha/scene/t/set', 'ON'),
    ('alarm_control_panel', 'arm_home', 'generic', None, 'home/t_alarm_control_panel/set', '{"action":"arm_home"}'),
    ('alarm_control_panel', 'arm_home', 'homeassistant', None, 'ha/alarm_control_panel/t/set', 'ARM_HOME'),
    ('alarm_control_panel', 'arm_away', 'generic', None, 'home/t_alarm_control_panel/set', '{"action":"arm_away"}'),
    ('alarm_control_panel', 'arm_away', 'homeassistant', None, 'ha/alarm_control_panel/t/set', 'ARM_AWAY'),
    ('alarm_control_panel', 'arm_night', 'generic', None, 'home/t_alarm_control_panel/set', '{"action":"arm_night"}'),
    ('alarm_control_panel', 'arm_night', 'homeassistant', None, 'ha/alarm_control_panel/t/set', 'ARM_NIGHT'),
    ('alarm_control_panel', 'arm_vacation', 'generic', None, 'home/t_alarm_control_panel/set', '{"action":"arm_vacation"}'),
    ('alarm_control_panel', 'arm_vacation', 'homeassistant', None, 'ha/alarm_control_panel/t/set', 'ARM_VACATION'),
    ('alarm_control_panel', 'arm_custom_bypass', 'generic', None, 'home/t_alarm_control_panel/set', '{"action":"arm_custom_bypass"}'),
    ('alarm_control_panel', 'arm_custom_bypass', 'homeassistant', None, 'ha/alarm_control_panel/t/set', 'ARM_CUSTOM_BYPASS'),
    ('alarm_control_panel', 'disarm', 'generic', None, 'home/t_alarm_control_panel/set', '{"action":"disarm"}'),
    ('alarm_control_panel', 'disarm', 'homeassistant', None, 'ha/alarm_control_panel/t/set', 'DISARM'),
    ('alarm_control_panel', 'trigger', 'generic', None, 'home/t_alarm_control_panel/set', '{"action":"trigger"}'),
    ('alarm_control_panel', 'trigger', 'homeassistant', None, 'ha/alarm_control_panel/t/set', 'TRIGGER'),
    ('valve', 'open', 'zigbee2mqtt', None, 'zigbee2mqtt/t_valve/set', '{"state":"ON"}'),
    ('valve', 'open', 'tasmota', None, 'cmnd/t_valve/POWER', 'ON'),
    ('valve', 'open', 'generic', None, 'home/t_valve/set', '{"action":"open"}'),
    ('valve', 'open', 'homeassistant', None, 'ha/valve/t/set', 'OPEN'),
    ('valve', 'close', 'zigbee2mqtt', None, 'zigbee2mqtt/t_valve/set', '{"state":"OFF"}'),
    ('valve', 'close', 'tasmota', None, 'cmnd/t_valve/POWER', 'OFF'),
    ('valve', 'close', 'generic', None, 'home/t_valve/set', '{"action":"close"}'),
    ('valve', 'close', 'homeassistant', None, 'ha/valve/t/set', 'CLOSE'),
    ('valve', 'stop', 'generic', None, 'home/t_valve/set', '{"action":"stop"}'),
    ('valve', 'toggle', 'zigbee2mqtt', None, 'zigbee2mqtt/t_valve/set', '{"state":"TOGGLE"}'),
    ('valve', 'toggle', 'tasmota', None, 'cmnd/t_valve/POWER', 'TOGGLE'),
    ('valve', 'toggle', 'generic', None, 'home/t_valve/set', '{"action":"toggle"}'),
    ('valve', 'set_position', 'generic', 40, 'home/t_valve/set', '{"action":"set_position","value":40,"unit":"%"}'),
    ('valve', 'set_position', 'homeassistant', 40, 'ha/valve/t/set', '40'),
    ('valve', 'position_up', 'generic', 20, 'home/t_valve/set', '{"action":"position_up","value":20,"unit":"%"}'),
    ('valve', 'position_down', 'generic', 20, 'home/t_valve/set', '{"action":"position_down","value":20,"unit":"%"}'),
    ('valve', 'open_for', 'zigbee2mqtt', 90, 'zigbee2mqtt/t_valve/set', '{"state":"ON","on_time":90}'),
    ('valve', 'open_for', 'generic', 90, 'home/t_valve/set', '{"action":"open_for","value":90,"unit":"s"}'),
    ('valve', 'refresh', 'zigbee2mqtt', None, 'zigbee2mqtt/t_valve/get', '{"state":""}'),
    ('valve', 'refresh', 'tasmota', None, 'cmnd/t_valve/POWER', ''),
    ('valve', 'refresh', 'generic', None, 'home/t_valve/set', '{"action":"refresh"}'),
    ('humidifier', 'turn_on', 'zigbee2mqtt', None, 'zigbee2mqtt/t_humidifier/set', '{"state":"ON"}'),
    ('humidifier', 'turn_on', 'tasmota', None, 'cmnd/t_humidifier/POWER', 'ON'),
    ('humidifier', 'turn_on', 'generic', None, 'home/t_humidifier/set', '{"action":"turn_on"}'),
    ('humidifier', 'turn_on', 'homeassistant', None, 'ha/humidifier/t/set', 'ON'),
    ('humidifier', 'turn_off', 'zigbee2mqtt', None, 'zigbee2mqtt/t_humidifier/set', '{"state":"OFF"}'),
    ('humidifier', 'turn_off', 'tasmota', None, 'cmnd/t_humidifier/POWER', 'OFF'),
    ('humidifier', 'turn_off', 'generic', None, 'home/t_humidifier/set', '{"action":"turn_off"}'),
    ('humidifier', 'turn_off', 'homeassistant', None, 'ha/humidifier/t/set', 'OFF'),
    ('humidifier', 'toggle', 'zigbee2mqtt', None, 'zigbee2mqtt/t_humidifier/set', '{"state":"TOGGLE"}'),
    ('humidifier', 'toggle', 'tasmota', None, 'cmnd/t_humidifier/POWER', 'TOGGLE'),
    ('humidifier', 'toggle', 'generic', None, 'home/t_humidifier/set', '{"action":"toggle"}'),
    ('humidifier', 'set_humidity', 'generic', 40, 'home/t_humidifier/set', '{"action":"set_humidity","value":40,"unit":"%"}'),
    ('humidifier', 'set_humidity', 'homeassistant', 40, 'ha/humidifier/t/target_humidity/set', '40'),
    ('humidifier', 'humidity_up', 'generic', 20, 'home/t_humidifier/set', '{"action":"humidity_up","value":20,"unit":"%"}'),
    ('humidifier', 'humidity_down', 'generic', 20, 'home/t_humidifier/set', '{"action":"humidity_down","value":20,"unit":"%"}'),
    ('humidifier', 'set_mode', 'generic', 'normal', 'home/t_humidifier/set', '{"action":"set_mode","value":"normal"}'),
    ('humidifier', 'set_mode', 'homeassistant', 'normal', 'ha/humidifier/t/mode/set', 'normal'),
    ('humidifier', 'refresh', 'zigbee2mqtt', None, 'zigbee2mqtt/t_humidifier/get', '{"state":""}'),
    ('humidifier', 'refresh', 'tasmota', None, 'cmnd/t_humidifier/POWER', ''),
    ('humidifier', 'refresh', 'generic', None, 'home/t_humidifier/set', '{"action":"refresh"}'),
    ('water_heater', 'turn_on', 'zigbee2mqtt', None, 'zigbee2mqtt/t_water_heater/set', '{"state":"ON"}'),
    ('water_heater', 'turn_on', 'tasmota', None, 'cmnd/t_water_heater/POWER', 'ON'),
    ('water_heater', 'turn_on', 'generic', None, 'home/t_water_heater/set', '{"action":"turn_on"}'),
    ('water_heater', 'turn_on', 'homeassistant', None, 'ha/water_heater/t/power/set', 'ON'),
    ('water_heater', 'turn_off', 'zigbee2mqtt', None, 'zigbee2mqtt/t_water_heater/set', '{"state":"OFF"}'),
    ('water_heater', 'turn_off', 'tasmota', None, 'cmnd/t_water_heater/POWER', 'OFF'),
    ('water_heater', 'turn_off', 'generic', None, 'home/t_water_heater/set', '{"action":"turn_off"}'),
    ('water_heater', 'turn_off', 'homeassistant', None, 'ha/water_heater/t/power/set', 'OFF'),
    ('water_heater', 'set_temperature', 'generic', 55, 'home/t_water_heater/set', '{"action":"set_temperature","value":55,"unit":"C"}'),
    ('water_heater', 'set_temperature', 'homeassistant', 55, 'ha/water_heater/t/temperature/set', '55.0'),
    ('water_heater', 'temperature_up', 'generic', 1.5, 'home/t_water_heater/set', '{"action":"temperature_up","value":1.5,"unit":"C"}'),
    ('water_heater', 'temperature_down', 'generic', 1.5, 'home/t_water_heater/set', '{"action":"temperature_down","value":1.5,"unit":"C"}'),
    ('water_heater', 'set_operation_mode', 'generic', 'off', 'home/t_water_heater/set', '{"action":"set_operation_mode","value":"off"}'),
    ('water_heater', 'set_operation_mode', 'homeassistant', 'off', 'ha/water_heater/t/mode/set', 'off'),
    ('water_heater', 'away_mode_on', 'generic', None, 'home/t_water_heater/set', '{"action":"away_mode_on"}'),
    ('water_heater', 'away_mode_off', 'generic', None, 'home/t_water_heater/set', '{"action":"away_mode_off"}'),
    ('water_heater', 'refresh', 'zigbee2mqtt', None, 'zigbee2mqtt/t_water_heater/get', '{"state":""}'),
    ('water_heater', 'refresh', 'tasmota', None, 'cmnd/t_water_heater/POWER', ''),
    ('water_heater', 'refresh', 'generic', None, 'home/t_water_heater/set', '{"action":"refresh"}'),
    ('siren', 'turn_on', 'zigbee2mqtt', None, 'zigbee2mqtt/t_siren/set', '{"warning":{"mode":"emergency"}}'),
    ('siren', 'turn_on', 'tasmota', None, 'cmnd/t_siren/POWER', 'ON'),
    ('siren', 'turn_on', 'generic', None, 'home/t_siren/set', '{"action":"turn_on"}'),
    ('siren', 'turn_on', 'homeassistant', None, 'ha/siren/t/set', '{"state":"ON"}'),
    ('siren', 'turn_off', 'zigbee2mqtt', None, 'zigbee2mqtt/t_siren/set', '{"warning":{"mode":"stop"}}'),
    ('siren', 'turn_off', 'tasmota', None, 'cmnd/t_siren/POWER', 'OFF'),
    ('siren', 'turn_off', 'generic', None, 'home/t_siren/set', '{"action":"turn_off"}'),
    ('siren', 'turn_off', 'homeassistant', None, 'ha/siren/t/set', '{"state":"OFF"}'),
    ('siren', 'toggle', 'tasmota', None, 'cmnd/t_siren/POWER', 'TOGGLE'),
    ('siren', 'toggle', 'generic', None, 'home/t_siren/set', '{"action":"toggle"}'),
    ('siren', 'play_tone', 'zigbee2mqtt', 'fire', 'zigbee2mqtt/t_siren/set', '{"warning":{"mode":"fire"}}'),
    ('siren', 'play_tone', 'generic', 'fire', 'home/t_siren/set', '{"action":"play_tone","value":"fire"}'),
    ('siren', 'play_tone', 'homeassistant', 'fire', 'ha/siren/t/set', '{"state":"ON","tone":"fire"}'),
    ('siren', 'sound_for', 'zigbee2mqtt', 90, 'zigbee2mqtt/t_siren/set', '{"warning":{"mode":"emergency","duration":90}}'),
    ('siren', 'sound_for', 'generic', 90, 'home/t_siren/set', '{"action":"sound_for","value":90,"unit":"s"}'),
    ('siren', 'sound_for', 'homeassistant', 90, 'ha/siren/t/set', '{"state":"ON","duration":90}'),
    ('siren', 'sound_at_volume', 'zigbee2mqtt', 40, 'zigbee2mqtt/t_siren/set', '{"warning":{"mode":"emergency","level":"medium"}}'),
    ('siren', 'sound_at_volume', 'generic', 40, 'home/t_siren/set', '{"action":"sound_at_volume","value":40,"unit":"%"}'),
    ('siren', 'sound_at_volume', 'homeassistant', 40, 'ha/siren/t/set', '{"state":"ON","volume_level":0.4}'),
    ('button', 'press', 'tasmota', None, 'cmnd/t_button/POWER', 'ON'),
    ('button', 'press', 'generic', None, 'home/t_button/set', '{"action":"press"}'),
    ('button', 'press', 'homeassistant', None, 'ha/button/t/set', 'PRESS'),
]


@pytest.mark.parametrize("type_, action, protocol, value, topic, payload", GOLDEN,
                         ids=[f"{r[0]}.{r[1]}.{r[2]}" for r in GOLDEN])
def test_every_command_on_every_protocol(router, type_, action, protocol, value, topic, payload):
    m, *after = router.route(Command(f"{type_}_{protocol}", action, value))
    # Home Assistant's default-schema light: payload_on follows an attribute (on_command_type last)
    ha_on = type_ == "light" and protocol == "homeassistant" and action in HA_LIGHT_ATTRIBUTES
    assert after == ([MqttMessage("ha/light/t/set", b"ON", 1, False)] if ha_on else [])
    assert m.topic == topic
    assert m.payload == payload.encode("utf-8")
    assert (m.qos, m.retain) == (1, False)


HA_LIGHT_ATTRIBUTES = {"set_brightness", "set_color", "set_color_temp", "set_effect"}
NEEDS_DISCOVERY_CONFIG = {("valve", "stop", "homeassistant")}
"""Home Assistant has no default payload_stop for a valve: tests/test_ha_entities.py covers it."""


def test_golden_covers_every_payload_of_the_catalog(catalog):
    # homeassistant_json payloads need a light of schema json: tests/test_ha_entities.py
    in_catalog = {(c.type, c.action, p) for t in catalog.types.values() for c in t.commands.values()
                  for p in c.payloads if p != "homeassistant_json"}
    assert in_catalog == {r[:3] for r in GOLDEN} | NEEDS_DISCOVERY_CONFIG


def test_queries_publish_nothing(router, catalog):
    for t in catalog.types.values():
        for c in t.commands.values():
            if c.query:
                for p in PROTOCOLS:
                    assert router.route(Command(f"{t.type}_{p}", c.action)) == []


# ------------------------------------------------------------------ refusals

def home() -> Config:
    return Config(devices=(
        Device(id="porch_light", name="Porch light", type="light", protocol="tasmota", topic="porch_light"),
        Device(id="den_lamp", name="Den lamp", type="light", features=("brightness", "color"),
               protocol="zigbee2mqtt", topic="zigbee2mqtt/den_lamp"),
        Device(id="desk_lamp", name="Desk lamp", type="light", features=("brightness", "color_temp"),
               protocol="homeassistant", topic="ha/desk"),
        Device(id="side_door", name="Side door", type="lock", protocol="tasmota", topic="side_door"),
        Device(id="front_door", name="Front door", type="lock", protocol="zigbee2mqtt", topic="zigbee2mqtt/front_door"),
        Device(id="heater", name="Loft heater", type="climate", features=("target_temperature", "hvac_mode"),
               protocol="zigbee2mqtt", topic="zigbee2mqtt/heater", min_value=7, max_value=28),
        Device(id="us_thermostat", name="Hall thermostat", type="climate", features=("target_temperature",),
               protocol="homeassistant", topic="ha/thermo", temperature_unit="F", min_value=50, max_value=80),
        Device(id="tv", name="TV", type="media_player", features=("volume",), protocol="homeassistant", topic="ha/tv"),
        Device(id="relay2", name="Garden relay", type="switch", protocol="tasmota", topic="garden", index=2),
        Device(id="shutter2", name="Office shutter", type="cover", features=("position",), protocol="tasmota",
               topic="office", index=2),
        Device(id="garage", name="Garage door", type="cover", device_class="garage", protocol="generic", topic="home/garage"),
        Device(id="gate", name="Gate", type="cover", protocol="generic", topic="home/gate"),
        Device(id="blinds", name="Blinds", type="cover", device_class="blind", protocol="zigbee2mqtt", topic="zigbee2mqtt/blinds"),
        Device(id="alarm", name="Alarm", type="alarm_control_panel", protocol="homeassistant", topic="ha/alarm"),
        Device(id="quiet_lock", name="Shed lock", type="lock", confirm=False, protocol="zigbee2mqtt", topic="zigbee2mqtt/shed"),
        Device(id="careful_plug", name="Heater plug", type="outlet", confirm=True, protocol="tasmota", topic="plug"),
        Device(id="movie", name="Movie night", type="scene", protocol="zigbee2mqtt", topic="zigbee2mqtt/living_group"),
        Device(id="fan", name="Fan", type="fan", features=("speed",), protocol="tasmota", topic="fan"),
    ))


@pytest.fixture(scope="module")
def hrouter(catalog) -> Router:
    return Router(home(), catalog)


@pytest.mark.parametrize("cmd, reason", [
    (Command("pool", "turn_on"), "I don't know a device called pool."),
    (Command("porch_light", "lock"), "The porch light can't lock."),
    (Command("porch_light", "set_color", "purple"), "The porch light can't change colour."),
    (Command("porch_light", "set_brightness", 50), "The porch light can't be dimmed."),
    (Command("den_lamp", "set_brightness"), "No brightness was given for the den lamp."),
    (Command("den_lamp", "set_brightness", "bright"), "bright is not a brightness I can set the den lamp to."),
    (Command("den_lamp", "set_brightness", True), "True is not a brightness I can set the den lamp to."),
    (Command("den_lamp", "set_color", "plaid"), "I don't know the colour plaid."),
    (Command("heater", "set_hvac_mode", "party"),
     "The loft heater has no mode called party (it has heat, cool, auto, dry, fan only, heat cool, off)."),
    (Command("side_door", "lock"), "I can't lock the side door: Tasmota has no command for it."),
    (Command("tv", "toggle"), "I don't know whether the TV is on or off, so I can't toggle it."),
    (Command("heater", "temperature_up", 2),
     "I don't know the current temperature of the loft heater yet, so I can't change it by a step."),
    (Command("movie", "activate"),
     "The movie night can't activate over Zigbee2MQTT: it needs its scene number as index in config.yaml."),
    (Command("porch_light", "set_color", "warm white"), "The porch light can't change colour."),
    (Command("heater", "set_hvac_mode", "heat cool"),
     "The loft heater can't set hvac mode heat_cool over Zigbee2MQTT: heat_cool has no payload there."),
])
def test_refusals_say_why(hrouter, cmd, reason):
    with pytest.raises(CommandRefused) as e:
        hrouter.route(cmd)
    assert e.value.reason == reason


# ------------------------------------------------------------------ conversions and clamping

@pytest.mark.parametrize("value, z2m, ha", [(0, 0, 0), (1, 3, 3), (50, 127, 128), (100, 254, 255), (150, 254, 255), (-5, 0, 0)])
def test_brightness_percent_to_device_scale(hrouter, value, z2m, ha):
    assert one(hrouter, "den_lamp", "set_brightness", value).payload == b'{"brightness":%d}' % z2m
    first = hrouter.route(Command("desk_lamp", "set_brightness", value))[0]
    # Home Assistant turns a light off for brightness 0, and sends at least 1 otherwise
    assert first.payload == (str(ha).encode() if ha else b"OFF")


def test_number_as_text_with_unit_sign(hrouter):
    assert one(hrouter, "den_lamp", "set_brightness", "60%").payload == b'{"brightness":152}'


@pytest.mark.parametrize("kelvin, mireds", [(2000, 500), (2700, 370), (4000, 250), (6500, 153), (1000, 500), (9000, 153)])
def test_kelvin_to_mireds_clamped_to_range(hrouter, kelvin, mireds):
    # floor(1e6 / K), as Home Assistant's color_temperature_kelvin_to_mired
    assert hrouter.route(Command("desk_lamp", "set_color_temp", kelvin))[0].payload == str(mireds).encode()


@pytest.mark.parametrize("value, unit, expected", [
    (21, None, b'{"occupied_heating_setpoint":21}'),
    (21.3, "C", b'{"occupied_heating_setpoint":21.5}'),
    (70, "F", b'{"occupied_heating_setpoint":21}'),
    (40, None, b'{"occupied_heating_setpoint":28}'),   # device max_value
    (2, None, b'{"occupied_heating_setpoint":7}'),     # device min_value
])
def test_temperature_units_and_device_range(hrouter, value, unit, expected):
    assert one(hrouter, "heater", "set_temperature", value, unit).payload == expected


@pytest.mark.parametrize("value, unit, expected", [(21, None, b"70.0"), (72, "F", b"72.0"), (35, None, b"80.0"), (0, None, b"50.0")])
def test_fahrenheit_device(hrouter, value, unit, expected):
    m = one(hrouter, "us_thermostat", "set_temperature", value, unit)
    assert (m.topic, m.payload) == ("ha/thermo/temperature/set", expected)


def test_tasmota_index(hrouter):
    assert one(hrouter, "relay2", "turn_on").topic == "cmnd/garden/POWER2"
    m = one(hrouter, "shutter2", "set_position", 30)
    assert (m.topic, m.payload) == ("cmnd/office/ShutterPosition2", b"30")


@pytest.mark.parametrize("pct, speed", [(0, b"0"), (10, b"1"), (33, b"1"), (34, b"2"), (66, b"2"), (67, b"3"), (100, b"3")])
def test_fan_percent_to_tasmota_speed(hrouter, pct, speed):
    assert one(hrouter, "fan", "set_fan_speed", pct).payload == speed


def test_white_names(hrouter):
    # a white on a white-tone bulb sets its colour temperature; on a colour bulb, an RGB white
    assert hrouter.route(Command("desk_lamp", "set_color", "warm white"))[0].payload == b"370"
    assert one(hrouter, "den_lamp", "set_color", "Warm White").payload == b'{"color":{"hex":"#ffa757"}}'
    assert one(hrouter, "den_lamp", "set_color", "purple").payload == b'{"color":{"hex":"#ff00ff"}}'


def test_enum_aliases_and_spaces(hrouter):
    assert one(hrouter, "heater", "set_hvac_mode", "Fan only").payload == b'{"system_mode":"fan_only"}'
    assert one(hrouter, "heater", "set_hvac_mode", "heating").payload == b'{"system_mode":"heat"}'


# ------------------------------------------------------------------ relative and state-based

def test_relative_uses_known_state_and_clamps(hrouter):
    assert one(hrouter, "den_lamp", "brightness_up", 20, state={"brightness": 90}).payload == b'{"brightness":254}'
    assert one(hrouter, "den_lamp", "brightness_down", state={"brightness": 55}).payload == b'{"brightness":114}'
    assert one(hrouter, "heater", "temperature_down", state={"target_temperature": 21}).payload == \
        b'{"occupied_heating_setpoint":20}'
    assert one(hrouter, "heater", "temperature_up", 4, "F", state={"target_temperature": 20}).payload == \
        b'{"occupied_heating_setpoint":22}'
    m = one(hrouter, "tv", "volume_up", state={"volume": 35})
    assert (m.topic, m.payload) == ("ha/tv/volume/set", b"0.45")


def test_relative_without_state_uses_device_step(hrouter):
    assert one(hrouter, "den_lamp", "brightness_down", 20).payload == b'{"brightness_step":-51}'
    m = one(hrouter, "tv", "volume_down")
    assert (m.topic, m.payload) == ("ha/tv/media/set", b"volume_down")


STATE_VALUE = {"%": 50, "K": 4000, "°C": 20, "s": 100}


def test_every_relative_command_with_known_state_sends_the_absolute_value(router, catalog):
    for t in catalog.types.values():
        for c in t.commands.values():
            if c.relative is None:
                continue
            target = t.commands[c.relative.to]
            current = STATE_VALUE[target.parameter.unit]
            for p in PROTOCOLS:
                if target.payload(p) is None:
                    continue
                device = f"{t.type}_{p}"
                got = router.route(Command(device, c.action), state={c.relative.state: current})
                if p in c.relative.scale:
                    continue  # stepped on the protocol's own scale, between whole percents (test below)
                expected_value = current + c.relative.sign * c.parameter.default
                assert got == router.route(Command(device, c.relative.to, expected_value)), (t.type, c.action, p)


@pytest.mark.parametrize("power, brightness, action, sent", [
    (True, 128, "brightness_up", b"154"), (True, 153, "brightness_down", b"127"), (True, 250, "brightness_up", b"255"),
    (True, 20, "brightness_down", b"OFF"), (False, 153, "brightness_up", b"26"), (False, 153, "brightness_down", b"OFF")])
def test_home_assistant_light_steps_its_255_brightness_as_home_assistant_does(hrouter, power, brightness, action, sent):
    """brightness_step_pct 10 is round(25.5) = 26 of Home Assistant's 0-255, added to the light's
    own 0-255 brightness, or to 0 while it is off (homeassistant/components/light/__init__.py,
    2024.3), not 10 % of a percent."""
    state = {"power": power, "brightness": round(brightness / 255 * 100, 1)}
    assert hrouter.route(Command("desk_lamp", action), state=state)[0].payload == sent


def test_toggle_from_state_where_protocol_has_none(hrouter):
    assert one(hrouter, "tv", "toggle", state={"state": "on"}).payload == b"OFF"
    assert one(hrouter, "desk_lamp", "toggle", state={"state": "OFF"}).payload == b"ON"
    assert one(hrouter, "blinds", "toggle", state={"state": "closed"}).payload == b'{"state":"OPEN"}'


# ------------------------------------------------------------------ confirmation

@pytest.mark.parametrize("device, action, expected", [
    ("front_door", "unlock", True),
    ("front_door", "lock", False),
    ("front_door", "query", False),
    ("garage", "open", True),
    ("garage", "set_position", True),
    ("garage", "close", False),
    ("gate", "open", True),          # no device_class: the name says gate
    ("blinds", "open", False),
    ("alarm", "disarm", True),
    ("alarm", "arm_away", False),
    ("quiet_lock", "unlock", False),  # device.confirm: false
    ("careful_plug", "turn_on", True),  # device.confirm: true
    ("den_lamp", "turn_on", False),
])
def test_requires_confirmation(catalog, device, action, expected):
    cfg = home()
    assert requires_confirmation(Command(device, action), cfg.device_by_id[device], catalog) is expected


def test_requires_confirmation_unknown_device():
    assert requires_confirmation(Command("nope", "unlock"), None) is False
