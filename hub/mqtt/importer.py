"""``hub import``: turn what the broker already knows into a ``devices:`` section for config.yaml.

Two sources, both retained on the broker:

* zigbee2mqtt's device list on ``<base>/bridge/devices`` (a JSON array; each entry has
  ``friendly_name``, ``type`` and ``definition.exposes``), format:
  https://www.zigbee2mqtt.io/guide/usage/mqtt_topics_and_messages.html#zigbee2mqtt-bridge-devices
  and exposes: https://www.zigbee2mqtt.io/guide/usage/exposes.html
* Home Assistant MQTT discovery configs on ``<prefix>/<component>/[<node_id>/]<object_id>/config``
  (https://www.home-assistant.io/integrations/mqtt/#mqtt-discovery), abbreviated keys included.

The result is data the user reviews and merges: every entry passes the config schema, and
anything that could not be carried over is listed as a note (printed as YAML comments).
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

import yaml

from hub.config import DEVICE_TYPES, BrokerConfig, Config, normalize_name
from hub.errors import BrokerError
from hub.mqtt.discovery import node_id_for
from hub.mqtt.link import MqttLink
from hub.types import MqttMessage


@dataclass
class ImportResult:
    """Devices as config.yaml entries (dicts in schema order) and notes for the user."""

    devices: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_yaml(self) -> str:
        """A ``devices:`` section, notes first as comments."""
        head = "".join(f"# {n}\n" for n in self.notes)
        body = yaml.safe_dump({"devices": self.devices}, sort_keys=False, default_flow_style=None,
                              allow_unicode=True, width=120)
        return head + body


def read_retained(broker: BrokerConfig, topic_filter: str, timeout: float = 5.0) -> dict[str, bytes]:
    """Every retained message under ``topic_filter`` now on the broker: topic -> payload.

    Retained messages are sent right after SUBSCRIBE, so once a marker published afterwards
    on the same connection comes back, all of them are in. Raises BrokerError if the broker
    cannot be reached within ``timeout`` s.
    """
    got: dict[str, bytes] = {}
    done = threading.Event()
    marker = f"hub/import-marker/{uuid.uuid4().hex}"
    link = MqttLink(broker, client_id=f"hub-import-{uuid.uuid4().hex[:8]}", status_topic=None,
                    autostart=False, reconnect_min_s=0.2, reconnect_max_s=1.0)
    link.subscribe(topic_filter, lambda t, p: got.__setitem__(t, p))
    link.subscribe(marker, lambda t, p: done.set())
    try:
        link.connect(timeout)
        link.publish(MqttMessage(marker, b""))
        if not done.wait(timeout):
            raise BrokerError(f"no answer from the MQTT broker at {broker.host}:{broker.port} within {timeout:g} s")
    finally:
        link.close(0.5)
    return {t: p for t, p in got.items() if t != marker and p}


# ------------------------------------------------------------ naming


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "device"


def _pretty(text: str) -> str:
    words = re.sub(r"[_/]+", " ", text).strip()
    return words[:1].upper() + words[1:] if words else "Device"


class _Names:
    """Ids and names unique among themselves and the existing config."""

    def __init__(self, config: Config | None):
        self.ids = {d.id for d in config.devices} if config else set()
        self.names = {normalize_name(d.name) for d in config.devices} if config else set()

    def take(self, id_hint: str, name: str) -> tuple[str, str]:
        base_id, base_name, n = _slug(id_hint), name, 1
        dev_id, dev_name = base_id, base_name
        while dev_id in self.ids or normalize_name(dev_name) in self.names:
            n += 1
            dev_id, dev_name = f"{base_id}_{n}", f"{base_name} {n}"
        self.ids.add(dev_id)
        self.names.add(normalize_name(dev_name))
        return dev_id, dev_name


def _entry(dev_id: str, name: str, area: str | None, dtype: str, features: set[str], protocol: str,
           topic: str, device_class: str | None = None) -> dict:
    allowed = DEVICE_TYPES[dtype]
    out: dict[str, Any] = {"id": dev_id, "name": name}
    if area:
        out["area"] = area
    out["type"] = dtype
    if device_class:
        out["device_class"] = device_class
    feats = sorted(f for f in features if f in allowed)
    if feats:
        out["features"] = feats
    out["protocol"] = protocol
    out["topic"] = topic
    return out


# ------------------------------------------------------------ zigbee2mqtt

_Z2M_ACTUATORS = ("light", "switch", "lock", "climate", "cover", "fan")
_Z2M_SENSOR = {"temperature": "temperature", "humidity": "humidity", "illuminance": "illuminance",
               "illuminance_lux": "illuminance", "power": "power", "energy": "energy", "battery": "battery",
               "co2": "co2", "pressure": "pressure", "voltage": "voltage", "current": "current"}
_Z2M_BINARY = {"occupancy": "occupancy", "presence": "presence", "contact": "contact",
               "water_leak": "moisture", "smoke": "smoke", "gas": "gas", "vibration": "vibration"}
_Z2M_FEATURE = {
    "light": {"brightness": "brightness", "color_temp": "color_temp", "color_xy": "color",
              "color_hs": "color", "effect": "effect", "transition": "transition"},
    "cover": {"position": "position", "tilt": "tilt"},
    "climate": {"occupied_heating_setpoint": "target_temperature", "current_heating_setpoint":
                "target_temperature", "system_mode": "hvac_mode", "fan_mode": "fan_mode", "preset": "preset"},
    "fan": {"fan_mode": "speed", "speed": "speed", "percentage": "speed"},
}


def _names_in(exposes: list) -> set[str]:
    """Every expose/feature name (and type) in a z2m exposes tree."""
    out: set[str] = set()
    for e in exposes:
        if not isinstance(e, dict):
            continue
        for key in ("name", "property", "type"):
            if isinstance(e.get(key), str):
                out.add(e[key])
        if isinstance(e.get("features"), list):
            out |= _names_in(e["features"])
    return out


def from_zigbee2mqtt(payload: bytes, base: str = "zigbee2mqtt", config: Config | None = None) -> ImportResult:
    """Config entries for the devices in a ``<base>/bridge/devices`` payload.

    The type is the device's first actuator expose (light, switch, lock, climate, cover, fan),
    else binary_sensor, else sensor; features from the exposes the type can have. The
    coordinator, disabled, unsupported and not yet interviewed devices are skipped with a note.
    Raises ValueError if the payload is not the JSON array zigbee2mqtt publishes.
    """
    try:
        items = json.loads(payload)
    except ValueError as e:
        raise ValueError(f"{base}/bridge/devices: not JSON ({e})") from None
    if not isinstance(items, list):
        raise ValueError(f"{base}/bridge/devices: expected a JSON array of devices")
    result, names = ImportResult(), _Names(config)
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("friendly_name"), str):
            continue
        fname = item["friendly_name"]
        if item.get("type") == "Coordinator":
            continue
        definition = item.get("definition")
        if item.get("disabled") or not isinstance(definition, dict) or item.get("supported") is False:
            result.notes.append(f"skipped {fname!r}: disabled, unsupported or not interviewed")
            continue
        exposes = definition.get("exposes") if isinstance(definition.get("exposes"), list) else []
        top = [e.get("type") for e in exposes if isinstance(e, dict)]
        present = _names_in(exposes)
        dtype = next((t for t in top if t in _Z2M_ACTUATORS), None)
        feats: set[str] = set()
        if dtype is not None:
            feats = {f for k, f in _Z2M_FEATURE.get(dtype, {}).items() if k in present}
            if dtype == "cover" and "state" in present:
                feats.add("stop")
            if dtype == "switch" and present & {"power", "energy"}:
                feats.add("power_monitoring")
        elif present & set(_Z2M_BINARY):
            dtype, feats = "binary_sensor", {f for k, f in _Z2M_BINARY.items() if k in present}
        elif present & set(_Z2M_SENSOR):
            dtype, feats = "sensor", {f for k, f in _Z2M_SENSOR.items() if k in present}
        else:
            result.notes.append(f"skipped {fname!r} ({definition.get('vendor')} {definition.get('model')}): "
                                "no exposes the hub can use")
            continue
        dev_id, name = names.take(fname, _pretty(fname))
        result.devices.append(_entry(dev_id, name, None, dtype, feats, "zigbee2mqtt", f"{base}/{fname}"))
    return result


# ------------------------------------------------------------ Home Assistant discovery

# The abbreviations used below, from homeassistant/components/mqtt/abbreviations.py.
_ABBREVIATIONS = {
    "stat_t": "state_topic", "cmd_t": "command_topic", "uniq_id": "unique_id", "dev_cla": "device_class",
    "dev": "device", "sug_area": "suggested_area", "pos_t": "position_topic", "set_pos_t": "set_position_topic",
    "tilt_cmd_t": "tilt_command_topic", "bri_cmd_t": "brightness_command_topic",
    "clr_temp_cmd_t": "color_temp_command_topic", "rgb_cmd_t": "rgb_command_topic",
    "hs_cmd_t": "hs_command_topic", "xy_cmd_t": "xy_command_topic", "fx_cmd_t": "effect_command_topic",
    "fx_list": "effect_list", "sup_clrm": "supported_color_modes", "temp_cmd_t": "temperature_command_topic",
    "mode_cmd_t": "mode_command_topic", "fan_mode_cmd_t": "fan_mode_command_topic",
    "pr_mode_cmd_t": "preset_mode_command_topic", "swing_mode_cmd_t": "swing_mode_command_topic",
    "pct_cmd_t": "percentage_command_topic", "osc_cmd_t": "oscillation_command_topic",
    "dir_cmd_t": "direction_command_topic", "fanspd_lst": "fan_speed_list", "sup_feat": "supported_features",
    "pl_stop": "payload_stop", "avty_t": "availability_topic", "obj_id": "object_id",
    "hum_cmd_t": "target_humidity_command_topic", "av_tones": "available_tones",
    "sup_vol": "support_volume_set", "sup_dur": "support_duration", "pos": "reports_position",
}
_DEVICE_ABBREVIATIONS = {"ids": "identifiers", "name": "name", "sa": "suggested_area", "mf": "manufacturer", "mdl": "model"}
_HA_TYPES = {"light", "switch", "cover", "lock", "climate", "fan", "sensor", "binary_sensor", "vacuum",
             "alarm_control_panel", "valve", "humidifier", "water_heater", "siren", "button", "scene"}
_HA_BINARY = {"motion": "motion", "occupancy": "occupancy", "presence": "presence", "door": "door",
              "garage_door": "door", "window": "window", "opening": "contact", "moisture": "moisture",
              "smoke": "smoke", "gas": "gas", "vibration": "vibration"}
_HA_SENSOR = {"temperature": "temperature", "humidity": "humidity", "illuminance": "illuminance",
              "power": "power", "energy": "energy", "battery": "battery", "carbon_dioxide": "co2",
              "pressure": "pressure", "atmospheric_pressure": "pressure", "voltage": "voltage", "current": "current"}
_HA_COLOR_MODES = {"hs", "xy", "rgb", "rgbw", "rgbww"}


def _expand(cfg: dict) -> dict:
    """Expand abbreviated keys and the ``~`` base topic (HA discovery rules)."""
    out = {_ABBREVIATIONS.get(k, k): v for k, v in cfg.items()}
    base = out.get("~")
    if isinstance(base, str):
        for k, v in out.items():
            if k.endswith("_topic") and isinstance(v, str):
                if v.startswith("~"):
                    out[k] = base + v[1:]
                elif v.endswith("~"):
                    out[k] = v[:-1] + base
    dev = out.get("device")
    if isinstance(dev, dict):
        out["device"] = {_DEVICE_ABBREVIATIONS.get(k, k): v for k, v in dev.items()}
    return out


def _ha_features(component: str, c: dict) -> set[str]:
    has = lambda key: isinstance(c.get(key), str) and bool(c[key])  # noqa: E731
    modes = set(c.get("supported_color_modes") or ())
    feats: set[str] = set()
    if component == "light":
        json_schema = c.get("schema") == "json"
        if has("brightness_command_topic") or (json_schema and c.get("brightness")) or modes - {"onoff"}:
            feats.add("brightness")
        if has("color_temp_command_topic") or "color_temp" in modes:
            feats.add("color_temp")
        if any(has(f"{m}_command_topic") for m in ("rgb", "hs", "xy")) or modes & _HA_COLOR_MODES:
            feats.add("color")
        if c.get("effect_list") or has("effect_command_topic"):
            feats.add("effect")
    elif component == "cover":
        if has("set_position_topic") or has("position_topic"):
            feats.add("position")
        if has("tilt_command_topic"):
            feats.add("tilt")
        if c.get("payload_stop", "STOP") is not None:
            feats.add("stop")
    elif component == "climate":
        for key, f in (("temperature_command_topic", "target_temperature"), ("mode_command_topic", "hvac_mode"),
                       ("fan_mode_command_topic", "fan_mode"), ("preset_mode_command_topic", "preset"),
                       ("swing_mode_command_topic", "swing"), ("target_humidity_command_topic", "target_humidity")):
            if has(key):
                feats.add(f)
    elif component == "fan":
        for key, f in (("percentage_command_topic", "speed"), ("oscillation_command_topic", "oscillate"),
                       ("direction_command_topic", "direction"), ("preset_mode_command_topic", "preset")):
            if has(key):
                feats.add(f)
    elif component == "vacuum":
        feats |= set(c.get("supported_features") or ()) & {"locate", "spot", "return_home", "fan_speed"}
        if c.get("fan_speed_list"):
            feats.add("fan_speed")
    elif component == "alarm_control_panel":
        feats |= set(c.get("supported_features") or DEVICE_TYPES["alarm_control_panel"] - {"code"})
        if c.get("code"):
            feats.add("code")
    elif component == "humidifier":
        if has("target_humidity_command_topic"):
            feats.add("target_humidity")
        if has("mode_command_topic"):
            feats.add("mode")
    elif component == "water_heater":
        if has("temperature_command_topic"):
            feats.add("target_temperature")
        if has("mode_command_topic"):
            feats.add("operation_mode")
    elif component == "siren":
        if c.get("available_tones"):
            feats.add("tones")
        if c.get("support_volume_set"):
            feats.add("volume")
        if c.get("support_duration"):
            feats.add("duration")
    elif component == "valve":
        if c.get("reports_position"):
            feats |= {"position"}
        feats.add("stop")
    elif component == "sensor" and c.get("device_class") in _HA_SENSOR:
        feats.add(_HA_SENSOR[c["device_class"]])
    elif component == "binary_sensor" and c.get("device_class") in _HA_BINARY:
        feats.add(_HA_BINARY[c["device_class"]])
    return feats


def _base_topic(c: dict) -> tuple[str | None, bool]:
    """The entity's base topic and whether it follows ``<base>/set`` + ``<base>/state``."""
    cmd, state = c.get("command_topic"), c.get("state_topic")
    others = [v for k, v in c.items() if k.endswith("_topic") and isinstance(v, str)
              and k not in ("command_topic", "state_topic", "availability_topic", "json_attributes_topic")]
    cmd_base = cmd[:-4] if isinstance(cmd, str) and cmd.endswith("/set") else None
    state_base = state[:-6] if isinstance(state, str) and state.endswith("/state") else None
    if cmd_base and (state is None or state_base == cmd_base) and not others:
        return cmd_base, True
    if state_base and cmd is None and not others:
        return state_base, True
    candidates = [t for t in (cmd, state, *others) if isinstance(t, str)]
    if not candidates:
        return None, False
    if cmd_base and all(t.startswith(cmd_base + "/") for t in candidates):
        return cmd_base, state in (None, cmd_base + "/state")
    common = "/".join(_common_prefix([t.split("/") for t in candidates]))
    return common or None, False


def _common_prefix(paths: list[list[str]]) -> list[str]:
    out: list[str] = []
    for parts in zip(*paths):
        if len(set(parts)) != 1:
            break
        out.append(parts[0])
    if len(paths) == 1:
        out = out[:-1]
    return out


def from_homeassistant(configs: dict[str, bytes], prefix: str = "homeassistant", config: Config | None = None,
                       exclude_node: str | None = None) -> ImportResult:
    """Config entries for retained HA discovery configs (topic -> payload).

    ``exclude_node`` skips a node_id (the hub's own entities). Components the hub has no type
    for, and entities whose topics are not ``<base>/set`` / ``<base>/state``, get a note.
    A device's ``suggested_area`` becomes its area when ``config`` has an area of that name.
    """
    result, names = ImportResult(), _Names(config)
    areas = {normalize_name(a.name): a.id for a in config.areas} if config else {}
    if config:
        areas.update({normalize_name(a.id): a.id for a in config.areas})
    for topic in sorted(configs):
        parts = topic.split("/")
        if len(parts) not in (4, 5) or parts[0] != prefix or parts[-1] != "config":
            continue
        component, object_id = parts[1], parts[-2]
        node_id = parts[2] if len(parts) == 5 else None
        if exclude_node is not None and node_id == exclude_node:
            continue
        try:
            c = json.loads(configs[topic])
        except ValueError:
            result.notes.append(f"skipped {topic}: not JSON")
            continue
        if not isinstance(c, dict):
            result.notes.append(f"skipped {topic}: not a JSON object")
            continue
        c = _expand(c)
        if component not in _HA_TYPES:
            result.notes.append(f"skipped {topic}: the hub has no device type for {component!r}")
            continue
        dev = c.get("device") if isinstance(c.get("device"), dict) else {}
        dev_name, ent_name = dev.get("name"), c.get("name")
        if isinstance(ent_name, str) and ent_name:
            name = ent_name if not dev_name or ent_name.lower().startswith(str(dev_name).lower()) else f"{dev_name} {ent_name}"
        elif dev_name:
            name = str(dev_name)
        else:
            name = _pretty(object_id)
        base, conventional = _base_topic(c)
        if base is None:
            result.notes.append(f"skipped {topic}: no command or state topic")
            continue
        dtype = "outlet" if component == "switch" and c.get("device_class") == "outlet" else component
        sug = c.get("suggested_area") or dev.get("suggested_area")
        area = areas.get(normalize_name(sug)) if isinstance(sug, str) else None
        device_class = c.get("device_class") if dtype == "cover" and isinstance(c.get("device_class"), str) else None
        dev_id, name = names.take(object_id if object_id else name, name)
        if not conventional:
            result.notes.append(f"{dev_id}: its topics ({c.get('command_topic')}, {c.get('state_topic')}) are not "
                                f"<topic>/set and <topic>/state; check the payloads before use")
        result.devices.append(_entry(dev_id, name, area, dtype, _ha_features(component, c), "homeassistant",
                                     base, device_class))
    return result


def import_devices(source: str, broker: BrokerConfig, config: Config | None = None, *,
                   timeout: float = 5.0) -> ImportResult:
    """``hub import zigbee2mqtt|homeassistant``: read the broker and build the devices section.

    zigbee2mqtt reads ``zigbee2mqtt/bridge/devices``; homeassistant reads every retained
    ``<discovery_prefix>/.../config`` except the hub's own. Raises BrokerError if the broker
    cannot be reached or has nothing retained there, ValueError for an unknown source.
    """
    prefix = config.hub.options.discovery_prefix if config else "homeassistant"
    if source == "zigbee2mqtt":
        topic = "zigbee2mqtt/bridge/devices"
        found = read_retained(broker, topic, timeout)
        if topic not in found:
            raise BrokerError(f"nothing retained on {topic} at {broker.host}:{broker.port}: is zigbee2mqtt running there?")
        return from_zigbee2mqtt(found[topic], "zigbee2mqtt", config)
    if source == "homeassistant":
        found = read_retained(broker, f"{prefix}/#", timeout)
        configs = {t: p for t, p in found.items() if t.endswith("/config")}
        if not configs:
            raise BrokerError(f"no retained discovery configs under {prefix}/ at {broker.host}:{broker.port}")
        own = node_id_for(config.hub.options.base_topic if config else "hub")
        return from_homeassistant(configs, prefix, config, exclude_node=own)
    raise ValueError(f"unknown import source {source!r} (zigbee2mqtt or homeassistant)")
