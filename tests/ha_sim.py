"""Simulated MQTT devices for tests/test_real_ha.py: one entity of every type Home Assistant's MQTT
integration shares with the hub's catalog, announced by discovery, each answering its commands on
its state topics the way Home Assistant's documentation says a device does
(https://www.home-assistant.io/integrations/<type>.mqtt/, 2024.3).

Command topics are ``dev/<object>/...`` and state topics ``sim/<object>/...``, so every message on
any other topic than these, ``homeassistant/...`` and the hub's own is a command sent somewhere no
device listens. ``sim/fence`` (a sensor in Home Assistant) orders the test: the simulator answers
``sim/fence/<n>`` with ``n`` on ``sim/fence`` after the states of every command before it.
"""

from __future__ import annotations

import json
import threading
import uuid
from typing import Any

import paho.mqtt.client as mqtt

WAIT_S = 20.0

# object id -> (component, discovery config, the device's state before the first command:
# state topic -> payload, a dict for a JSON state topic)
ENTITIES: dict[str, tuple[str, dict, dict[str, Any]]] = {
    "desk_lamp": ("light", {
        "name": "Desk lamp", "unique_id": "sim-desk-lamp",
        "command_topic": "dev/desk_lamp/set", "state_topic": "sim/desk_lamp/state",
        "brightness_command_topic": "dev/desk_lamp/brightness/set",
        "brightness_state_topic": "sim/desk_lamp/brightness",
        "color_temp_command_topic": "dev/desk_lamp/ct/set", "color_temp_state_topic": "sim/desk_lamp/ct",
        "rgb_command_topic": "dev/desk_lamp/rgb/set", "rgb_state_topic": "sim/desk_lamp/rgb",
        "effect_command_topic": "dev/desk_lamp/effect/set", "effect_state_topic": "sim/desk_lamp/effect",
        "effect_list": ["blink", "colorloop"], "color_mode_state_topic": "sim/desk_lamp/color_mode"},
        {"sim/desk_lamp/state": "OFF", "sim/desk_lamp/brightness": "76", "sim/desk_lamp/rgb": "255,180,100",
         "sim/desk_lamp/ct": "300", "sim/desk_lamp/effect": "blink", "sim/desk_lamp/color_mode": "color_temp"}),
    "hall_bulb": ("light", {
        "name": "Hall bulb", "unique_id": "sim-kitchen-bulb", "schema": "json",
        "command_topic": "dev/kitchen_bulb/set", "state_topic": "sim/kitchen_bulb/state",
        "brightness": True, "color_mode": True, "supported_color_modes": ["hs", "color_temp"],
        "effect": True, "effect_list": ["blink", "colorloop"]},
        {"sim/kitchen_bulb/state": {"state": "OFF", "brightness": 76, "color_mode": "color_temp", "color_temp": 300}}),
    "toaster": ("switch", {
        "name": "Toaster", "unique_id": "sim-kettle", "command_topic": "dev/kettle/set",
        "state_topic": "sim/kettle/state"},
        {"sim/kettle/state": "OFF"}),
    "tree_plug": ("switch", {
        "name": "Tree plug", "unique_id": "sim-tree-plug", "device_class": "outlet",
        "command_topic": "dev/tree_plug/set", "state_topic": "sim/tree_plug/state"},
        {"sim/tree_plug/state": "ON"}),
    "bedroom_blind": ("cover", {
        "name": "Bedroom blind", "unique_id": "sim-blind", "command_topic": "dev/blind/set",
        "state_topic": "sim/blind/state", "set_position_topic": "dev/blind/position/set",
        "position_topic": "sim/blind/position", "tilt_command_topic": "dev/blind/tilt/set",
        "tilt_status_topic": "sim/blind/tilt"},
        {"sim/blind/state": "closed", "sim/blind/position": "0", "sim/blind/tilt": "0"}),
    "lawn_valve": ("valve", {
        "name": "Lawn valve", "unique_id": "sim-tap", "command_topic": "dev/tap/set", "state_topic": "sim/tap/state",
        "reports_position": True, "payload_stop": "STOP"},
        {"sim/tap/state": "0"}),
    "side_door": ("lock", {
        "name": "Side door", "unique_id": "sim-door", "command_topic": "dev/door/set",
        "state_topic": "sim/door/state", "payload_open": "OPEN"},
        {"sim/door/state": "LOCKED"}),
    "office_thermostat": ("climate", {
        "name": "Office thermostat", "unique_id": "sim-trv", "modes": ["off", "heat", "cool", "auto"],
        "mode_command_topic": "dev/trv/mode/set", "mode_state_topic": "sim/trv/mode",
        "temperature_command_topic": "dev/trv/temp/set", "temperature_state_topic": "sim/trv/temp",
        "temperature_low_command_topic": "dev/trv/low/set", "temperature_low_state_topic": "sim/trv/low",
        "temperature_high_command_topic": "dev/trv/high/set", "temperature_high_state_topic": "sim/trv/high",
        "fan_modes": ["auto", "low", "medium", "high"],
        "fan_mode_command_topic": "dev/trv/fan/set", "fan_mode_state_topic": "sim/trv/fan",
        "preset_modes": ["eco", "comfort", "away"],
        "preset_mode_command_topic": "dev/trv/preset/set", "preset_mode_state_topic": "sim/trv/preset",
        "swing_modes": ["on", "off"],
        "swing_mode_command_topic": "dev/trv/swing/set", "swing_mode_state_topic": "sim/trv/swing",
        "target_humidity_command_topic": "dev/trv/humidity/set", "target_humidity_state_topic": "sim/trv/humidity",
        "current_temperature_topic": "sim/trv/current"},
        {"sim/trv/mode": "off", "sim/trv/temp": "20.0", "sim/trv/low": "18.0", "sim/trv/high": "24.0",
         "sim/trv/fan": "auto", "sim/trv/preset": "eco", "sim/trv/swing": "off", "sim/trv/humidity": "50",
         "sim/trv/current": "19.5"}),
    "water_tank": ("water_heater", {
        "name": "Water tank", "unique_id": "sim-boiler", "modes": ["off", "eco", "electric", "performance"],
        "mode_command_topic": "dev/boiler/mode/set", "mode_state_topic": "sim/boiler/mode",
        "temperature_command_topic": "dev/boiler/temp/set", "temperature_state_topic": "sim/boiler/temp",
        "power_command_topic": "dev/boiler/power/set", "current_temperature_topic": "sim/boiler/current"},
        {"sim/boiler/mode": "eco", "sim/boiler/temp": "50.0", "sim/boiler/current": "45.0"}),
    "attic_fan": ("fan", {
        "name": "Attic fan", "unique_id": "sim-fan", "command_topic": "dev/fan/set", "state_topic": "sim/fan/state",
        "percentage_command_topic": "dev/fan/percentage/set", "percentage_state_topic": "sim/fan/percentage",
        "preset_modes": ["auto", "sleep", "breeze"],
        "preset_mode_command_topic": "dev/fan/preset/set", "preset_mode_state_topic": "sim/fan/preset",
        "oscillation_command_topic": "dev/fan/oscillation/set", "oscillation_state_topic": "sim/fan/oscillation",
        "direction_command_topic": "dev/fan/direction/set", "direction_state_topic": "sim/fan/direction"},
        {"sim/fan/state": "OFF", "sim/fan/percentage": "0", "sim/fan/preset": "auto",
         "sim/fan/oscillation": "oscillate_off", "sim/fan/direction": "forward"}),
    "cellar_dryer": ("humidifier", {
        "name": "Cellar dryer", "unique_id": "sim-dehum", "command_topic": "dev/dehum/set",
        "state_topic": "sim/dehum/state", "target_humidity_command_topic": "dev/dehum/target/set",
        "target_humidity_state_topic": "sim/dehum/target", "modes": ["normal", "eco", "boost"],
        "mode_command_topic": "dev/dehum/mode/set", "mode_state_topic": "sim/dehum/mode"},
        {"sim/dehum/state": "OFF", "sim/dehum/target": "50", "sim/dehum/mode": "normal"}),
    "porch_bell": ("siren", {
        "name": "Porch bell", "unique_id": "sim-chime", "command_topic": "dev/chime/set",
        "state_topic": "sim/chime/state", "available_tones": ["ding", "dong"], "support_duration": True,
        "support_volume_set": True},
        {"sim/chime/state": {"state": "OFF"}}),
    "floor_robot": ("vacuum", {
        "name": "Floor robot", "unique_id": "sim-robot", "command_topic": "dev/robot/command",
        "state_topic": "sim/robot/state", "set_fan_speed_topic": "dev/robot/fan_speed/set",
        "send_command_topic": "dev/robot/send", "fan_speed_list": ["min", "medium", "high", "max"],
        "supported_features": ["start", "stop", "pause", "return_home", "status", "locate", "clean_spot",
                               "fan_speed", "send_command"]},
        {"sim/robot/state": {"state": "docked", "fan_speed": "medium"}}),
    "shed_alarm": ("alarm_control_panel", {
        "name": "Shed alarm", "unique_id": "sim-alarm", "command_topic": "dev/alarm/set",
        "state_topic": "sim/alarm/state"},
        {"sim/alarm/state": "disarmed"}),
    "party_scene": ("scene", {"name": "Party scene", "unique_id": "sim-movie", "command_topic": "dev/movie/set",
                        "payload_on": "ON"}, {}),
    "modem_restart": ("button", {"name": "Modem restart", "unique_id": "sim-router-restart",
                                  "command_topic": "dev/router/restart"}, {}),
}

FENCE = ("sensor", {"name": "Sim fence", "unique_id": "sim-fence", "state_topic": "sim/fence"})

ALARM_STATES = {"ARM_HOME": "armed_home", "ARM_AWAY": "armed_away", "ARM_NIGHT": "armed_night",
                "ARM_VACATION": "armed_vacation", "ARM_CUSTOM_BYPASS": "armed_custom_bypass",
                "DISARM": "disarmed", "TRIGGER": "triggered"}
VACUUM_STATES = {"start": "cleaning", "pause": "paused", "stop": "idle", "return_to_base": "returning",
                 "clean_spot": "cleaning"}


def _state_topic(cfg: dict, command_key: str) -> str | None:
    """The state topic a ``<x>_command_topic`` reports on: ``<x>_state_topic`` (``command_topic``:
    ``state_topic``; a cover's ``set_position_topic`` / ``tilt_command_topic``: ``position_topic`` /
    ``tilt_status_topic``)."""
    special = {"command_topic": "state_topic", "set_position_topic": "position_topic",
               "tilt_command_topic": "tilt_status_topic"}
    key = special.get(command_key) or command_key.replace("_command_topic", "_state_topic")
    return cfg.get(key)


class DeviceSimulator:
    """The devices of ``ENTITIES`` on one broker: announces them (retained discovery), publishes
    their first states (retained, as devices that keep their state on the broker), then answers
    commands. ``received`` lists every (topic, payload) sent to a device since :meth:`clear`.
    :meth:`snapshot` / :meth:`restore` save and republish every state, so two commands can start
    from the same state."""

    def __init__(self, host: str, port: int, discovery_prefix: str = "homeassistant"):
        self.states: dict[str, Any] = {}
        self.received: list[tuple[str, str]] = []
        self._owner: dict[str, tuple[str, str]] = {}
        """command topic -> (object id, the config key it is under)"""
        for obj, (_, cfg, first) in ENTITIES.items():
            self.states.update(json.loads(json.dumps(first)))
            for key, topic in cfg.items():
                if key.endswith("_topic") and topic.startswith("dev/"):
                    self._owner[topic] = (obj, key)
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"sim-{uuid.uuid4().hex[:8]}")
        self.client.on_connect = lambda c, *_: c.subscribe([("dev/#", 1), ("sim/fence/+", 1)])
        self.client.on_subscribe = lambda *_: self._ready.set()
        self.client.on_message = self._on_message
        self.client.connect(host, port)
        self.client.loop_start()
        if not self._ready.wait(WAIT_S):
            raise RuntimeError(f"device simulator could not subscribe on {host}:{port}")
        for obj, (component, cfg, _) in [*ENTITIES.items(), ("fence", FENCE + ({},))]:
            self._publish(f"{discovery_prefix}/{component}/{obj}/config", json.dumps(cfg), retain=True)
        for topic in self.states:
            self._publish_state(topic)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def clear(self) -> list[tuple[str, str]]:
        with self._lock:
            got, self.received = self.received, []
        return got

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return json.loads(json.dumps(self.states))

    def restore(self, saved: dict[str, Any]) -> None:
        with self._lock:
            self.states = json.loads(json.dumps(saved))
            for topic in self.states:
                self._publish_state(topic)

    def _publish(self, topic: str, payload: str, retain: bool = False) -> None:
        self.client.publish(topic, payload, qos=1, retain=retain)

    def _publish_state(self, topic: str) -> None:
        value = self.states[topic]
        self._publish(topic, json.dumps(value) if isinstance(value, dict) else value, retain=True)

    def _on_message(self, _c, _u, m: mqtt.MQTTMessage) -> None:
        payload = m.payload.decode(errors="replace")
        if m.topic.startswith("sim/fence/"):
            self._publish("sim/fence", m.topic.rsplit("/", 1)[1])
            return
        with self._lock:
            self.received.append((m.topic, payload))
            owner = self._owner.get(m.topic)
            if owner is None:
                return  # no device listens there: the test sees it in `received`
            obj, key = owner
            component, cfg, _ = ENTITIES[obj]
            for topic in self._answer(component, cfg, key, payload):
                self._publish_state(topic)

    def _answer(self, component: str, cfg: dict, key: str, payload: str) -> list[str]:
        """Apply one command to the device's state; the state topics that changed."""
        s = self.states
        state_topic = cfg.get("state_topic")
        if component == "light" and cfg.get("schema") == "json":
            cmd = json.loads(payload)
            new = dict(s[state_topic])
            new.update({k: v for k, v in cmd.items() if k in ("state", "brightness", "color_temp", "color", "effect")})
            if "color_temp" in cmd:
                new["color_mode"] = "color_temp"
                new.pop("color", None)
            elif "color" in cmd:
                new["color_mode"] = "hs" if "h" in cmd["color"] else "xy" if "x" in cmd["color"] else "rgb"
                new.pop("color_temp", None)
            s[state_topic] = new
            return [state_topic]
        if component == "lock":
            locked = payload == str(cfg.get("payload_lock", "LOCK"))
            s[state_topic] = cfg.get("state_locked", "LOCKED") if locked else cfg.get("state_unlocked", "UNLOCKED")
            return [state_topic]
        if component == "alarm_control_panel":
            s[state_topic] = ALARM_STATES[payload]
            return [state_topic]
        if component == "siren":
            cmd = json.loads(payload)
            s[state_topic] = {**s[state_topic], **cmd}
            return [state_topic]
        if component == "vacuum":
            if key == "command_topic" and payload in VACUUM_STATES:
                s[state_topic] = {**s[state_topic], "state": VACUUM_STATES[payload]}
            elif key == "set_fan_speed_topic":
                s[state_topic] = {**s[state_topic], "fan_speed": payload}
            else:
                return []  # locate, send_command: nothing to report
            return [state_topic]
        if component == "light" and key in ("rgb_command_topic", "color_temp_command_topic") \
                and "color_mode_state_topic" in cfg:
            # the light reports the colour mode it is in now, so its state never depends on the
            # order its state topics arrive in
            s[cfg["color_mode_state_topic"]] = "rgb" if key == "rgb_command_topic" else "color_temp"
            s[_state_topic(cfg, key)] = payload
            return [_state_topic(cfg, key), cfg["color_mode_state_topic"]]
        if component == "cover" and key == "command_topic":
            if payload == "STOP":
                # where it stopped: open unless fully closed (the documented state words; a stop
                # reported as "stopped" would leave Home Assistant to guess from the position)
                s[state_topic] = "open" if float(s[cfg["position_topic"]]) > 0 else "closed"
                return [state_topic]
            opened = payload == "OPEN"
            s[state_topic] = "open" if opened else "closed"
            s[cfg["position_topic"]] = "100" if opened else "0"
            return [state_topic, cfg["position_topic"]]
        if component == "cover" and key == "set_position_topic":
            s[cfg["position_topic"]] = payload
            s[state_topic] = "open" if float(payload) > 0 else "closed"
            return [state_topic, cfg["position_topic"]]
        if component == "valve":
            if payload == cfg.get("payload_stop"):
                return [state_topic]  # stopped where it is
            s[state_topic] = {"OPEN": "100", "CLOSE": "0"}.get(payload, payload)
            return [state_topic]
        topic = _state_topic(cfg, key)
        if topic is None:
            return []  # a command with nothing to report (button, scene, a water heater's power)
        s[topic] = payload
        return [topic]
