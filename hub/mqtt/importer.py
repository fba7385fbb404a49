"""``hub import``: turn what the broker already knows into a ``devices:`` section for config.yaml.

Two sources, both retained on the broker:

* zigbee2mqtt's device list on ``<base>/bridge/devices`` (a JSON array; each entry has
  ``friendly_name``, ``type`` and ``definition.exposes``), format:
  https://www.zigbee2mqtt.io/guide/usage/mqtt_topics_and_messages.html#zigbee2mqtt-bridge-devices
  and exposes: https://www.zigbee2mqtt.io/guide/usage/exposes.html
* Home Assistant MQTT discovery configs on ``<prefix>/<component>/[<node_id>/]<object_id>/config``
  (https://www.home-assistant.io/integrations/mqtt/#mqtt-discovery), abbreviated keys included.

The result merges into the existing config: a device it already has is updated, not added
again; new devices get areas and names a person can say, and every entry passes the config
schema. ``hub import ... -o FILE`` writes the whole merged config atomically, ``--dry-run`` shows
the difference; anything that could not be carried over is listed as a note (YAML comments).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from hub.config import DEVICE_TYPES, BrokerConfig, Config, normalize_name
from hub.config_load import parse_config
from hub.devices.ha_check import entity_problems
from hub.errors import BrokerError
from hub.hass.entity import HaEntity, abbreviations, entity_keys, platforms
from hub.mqtt.discovery import node_id_for
from hub.mqtt.link import MqttLink
from hub.types import MqttMessage


@dataclass
class ImportResult:
    """What an import adds to a config: new devices (config.yaml entries, in schema order), the
    refreshed wiring of devices it has (id -> topic/features/entity), new areas, notes."""

    devices: list[dict] = field(default_factory=list)
    updated: dict[str, dict] = field(default_factory=dict)
    areas: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_yaml(self) -> str:
        """The new ``areas:`` and ``devices:``, notes first as comments."""
        head = "".join(f"# {n}\n" for n in self.notes)
        sections = ({"areas": self.areas} if self.areas else {}) | {"devices": self.devices}
        return head + _dump(sections)

    def merged(self, config_text: str, source: str = "config.yaml") -> str:
        """``config_text`` with the new areas and devices added and the known devices' wiring
        refreshed, as YAML that passes check-config. Comments of the original are not kept.
        Raises ConfigError if the result would not load."""
        data = yaml.safe_load(config_text) or {}
        data.setdefault("areas", [])
        data["areas"] = (data["areas"] or []) + self.areas
        devices = data.get("devices") or []
        for d in devices:
            if isinstance(d, dict) and d.get("id") in self.updated:
                d.update(self.updated[d["id"]])
        data["devices"] = devices + self.devices
        text = _dump(data)
        parse_config(text, f"{source} (merged)")
        return text


def _dump(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, default_flow_style=None, allow_unicode=True, width=120)


def write_atomically(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename, so a
    reader sees the old file or the new one, never half of it. Raises OSError."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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


# ------------------------------------------------------------ naming and matching

IEEE_ADDRESS = re.compile(r"0x[0-9a-fA-F]{16}")
"""A Zigbee IEEE address, the name zigbee2mqtt gives a device nobody renamed."""
_NOUNS = {"light": "light", "switch": "switch", "outlet": "plug", "lock": "lock", "climate": "thermostat",
          "cover": "blind", "fan": "fan", "sensor": "sensor", "binary_sensor": "sensor", "valve": "valve",
          "siren": "siren", "vacuum": "vacuum", "humidifier": "humidifier", "water_heater": "water heater",
          "alarm_control_panel": "alarm", "button": "button", "scene": "scene"}
"""What a person calls a device of a type, for a device whose only name is its IEEE address."""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "device"


def _pretty(text: str) -> str:
    words = re.sub(r"[_/]+", " ", text).strip()
    return words[:1].upper() + words[1:] if words else "Device"


class _Home:
    """What the config already has: ids and names in use, areas by every name they go by, and the
    devices by unique_id and by every topic they are reached on (to find one already there)."""

    def __init__(self, config: Config | None):
        devices = config.devices if config else ()
        self.ids = {d.id for d in devices}
        self.names = {normalize_name(d.name) for d in devices}
        self.by_unique_id = {d.entity.unique_id: d.id for d in devices if d.entity and d.entity.unique_id}
        self.by_topic: dict[str, str] = {}
        for d in devices:
            for t in _device_topics(d):
                self.by_topic.setdefault(t, d.id)
        self.protocol = {d.id: d.protocol for d in devices}
        self.type = {d.id: d.type for d in devices}
        self.areas: dict[str, str] = {}
        """Normalised area name, id or alias -> area id."""
        for a in config.areas if config else ():
            for word in (a.name, a.id, *a.aliases):
                self.areas.setdefault(normalize_name(word), a.id)
        self.new_areas: list[dict] = []

    def find(self, unique_id: Any, topics: list[str]) -> str | None:
        """The id of a configured device with this unique_id, or reached on one of ``topics``."""
        if isinstance(unique_id, str) and unique_id in self.by_unique_id:
            return self.by_unique_id[unique_id]
        return next((self.by_topic[t] for t in topics if t in self.by_topic), None)

    def area(self, name: str, hints: list[Any]) -> str | None:
        """An area for a device: the first hint (Home Assistant's device area or suggested area)
        that names one, added to the config when new; else the area whose name or alias starts
        the device's name ("Kitchen ceiling" -> kitchen), the longest such."""
        for hint in hints:
            if isinstance(hint, str) and hint.strip():
                key = normalize_name(hint)
                if key not in self.areas:
                    area_id = _slug(hint)
                    while area_id in self.areas.values():
                        area_id += "_area"
                    self.new_areas.append({"id": area_id, "name": hint.strip()})
                    self.areas[key] = area_id
                return self.areas[key]
        spoken = normalize_name(name)
        starts = [k for k in self.areas if k and (spoken == k or spoken.startswith(k + " "))]
        return self.areas[max(starts, key=len)] if starts else None

    def take(self, id_hint: str, name: str) -> tuple[str, str]:
        """An id and name no other device has (``_2``/`` 2`` added when needed)."""
        base_id, base_name, n = _slug(id_hint), name, 1
        dev_id, dev_name = base_id, base_name
        while dev_id in self.ids or normalize_name(dev_name) in self.names:
            n += 1
            dev_id, dev_name = f"{base_id}_{n}", f"{base_name} {n}"
        self.ids.add(dev_id)
        self.names.add(normalize_name(dev_name))
        return dev_id, dev_name


def _device_topics(d: Any) -> list[str]:
    """Every topic a configured device is commanded or read on."""
    out = [d.topic, f"{d.topic}/set"]
    if d.entity is not None:
        out += [v for k, v in d.entity.model_dump().items() if k.endswith("_topic") and isinstance(v, str)]
    return out


def _sayable(name: str, dtype: str, vendor: Any, area_name: str | None) -> str:
    """A name a person can say for a device named by its IEEE address: "<area> <noun>" when its
    area is known, else "<vendor> <noun>"."""
    if not IEEE_ADDRESS.fullmatch(name.strip()):
        return name
    noun = _NOUNS.get(dtype, dtype.replace("_", " "))
    head = area_name or (vendor if isinstance(vendor, str) and vendor.strip() else None)
    return _pretty(f"{head} {noun}") if head else _pretty(noun)


def _entry(dev_id: str, name: str, area: str | None, dtype: str, features: set[str], protocol: str,
           topic: str, device_class: str | None = None, entity: dict | None = None) -> dict:
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
    if entity:
        out["entity"] = entity
    return out


def _add(result: ImportResult, home: _Home, found: str | None, entry: dict, what: str) -> None:
    """A new device, or the refreshed wiring of one the config has (its id, name, area and
    aliases stay the user's). A device the config reaches over another protocol, or as another
    type (a thermostat's battery sensor on the thermostat's topic), is left alone. A feature its
    discovery config cannot carry is dropped with a note, so the entry passes check-config."""
    for (_, _, _, j), message in sorted(entity_problems({"devices": [entry]}), reverse=True):
        result.notes.append(f"{what}: {message}: feature left out")
        del entry["features"][j]
    if "features" in entry and not entry["features"]:
        del entry["features"]
    if found is None:
        result.devices.append(entry)
    elif home.protocol.get(found) != entry["protocol"] or home.type.get(found) != entry["type"]:
        result.notes.append(f"{what}: already in the config as {found} ({home.type[found]}, "
                            f"{home.protocol[found]}); kept as it is")
    else:
        result.updated[found] = {k: entry[k] for k in ("topic", "features", "entity") if k in entry}
        result.notes.append(f"{what}: already in the config as {found}; its topics and features refreshed")


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
Z2M_SETPOINT = "occupied_heating_setpoint"
"""The setpoint the catalog's zigbee2mqtt climate payloads write (devices/climate.yaml)."""


def _exposes_flat(exposes: list) -> list[dict]:
    """Every expose and nested feature of a z2m exposes tree, depth first."""
    out: list[dict] = []
    for e in exposes:
        if isinstance(e, dict):
            out.append(e)
            if isinstance(e.get("features"), list):
                out += _exposes_flat(e["features"])
    return out


def _names_in(exposes: list) -> set[str]:
    """Every expose/feature name (and type) in a z2m exposes tree."""
    return {e[k] for e in _exposes_flat(exposes) for k in ("name", "property", "type") if isinstance(e.get(k), str)}


def _z2m_climate_entity(topic: str, exposes: list) -> tuple[dict, str] | None:
    """A thermostat whose setpoint is not occupied_heating_setpoint (a Tuya-style radiator valve
    with only current_heating_setpoint): its discovery config over zigbee2mqtt's per-attribute
    topics ``<topic>/set/<property>`` (plain values), as zigbee2mqtt's own Home Assistant discovery
    describes it. Returns (entity, setpoint property), or None for a setpoint the catalog writes."""
    by_name = {e.get("property") or e.get("name"): e for e in _exposes_flat(exposes)}
    setpoint = next((p for p in ("occupied_heating_setpoint", "current_heating_setpoint") if p in by_name), None)
    if setpoint in (None, Z2M_SETPOINT):
        return None
    sp = by_name[setpoint]
    entity: dict[str, Any] = {
        "temperature_command_topic": f"{topic}/set/{setpoint}",
        "temperature_state_topic": topic,
        "temperature_state_template": f"{{{{ value_json.{setpoint} }}}}",
    }
    if "local_temperature" in by_name:
        entity["current_temperature_topic"] = topic
        entity["current_temperature_template"] = "{{ value_json.local_temperature }}"
    mode = by_name.get("system_mode")
    if mode is not None:
        entity["mode_command_topic"] = f"{topic}/set/system_mode"
        entity["mode_state_topic"] = topic
        entity["mode_state_template"] = "{{ value_json.system_mode }}"
        if isinstance(mode.get("values"), list):
            entity["modes"] = [str(v) for v in mode["values"]]
    for key, limit in (("min_temp", "value_min"), ("max_temp", "value_max")):
        if isinstance(sp.get(limit), (int, float)):
            entity[key] = sp[limit]
    return entity, setpoint


def from_zigbee2mqtt(payload: bytes, base: str = "zigbee2mqtt", config: Config | None = None) -> ImportResult:
    """Config entries for the devices in a ``<base>/bridge/devices`` payload, merged with ``config``.

    The type is the device's first actuator expose (light, switch, lock, climate, cover, fan),
    else binary_sensor, else sensor; features from the exposes the type can have. A device the
    config has (topic ``<base>/<friendly_name>`` or ``<base>/<ieee_address>``) is updated, not
    added. The area comes from the friendly name ("kitchen/ceiling", "Kitchen ceiling"); a device
    still named by its IEEE address gets a name a person can say. A thermostat whose setpoint is
    ``current_heating_setpoint`` becomes a homeassistant-protocol device over zigbee2mqtt's
    ``/set/<property>`` topics. The coordinator, disabled, unsupported and not yet interviewed
    devices are skipped with a note. Raises ValueError if the payload is not the JSON array
    zigbee2mqtt publishes.
    """
    try:
        items = json.loads(payload)
    except ValueError as e:
        raise ValueError(f"{base}/bridge/devices: not JSON ({e})") from None
    if not isinstance(items, list):
        raise ValueError(f"{base}/bridge/devices: expected a JSON array of devices")
    result, home = ImportResult(), _Home(config)
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
        topic = f"{base}/{fname}"
        ieee = item.get("ieee_address")
        found = home.find(None, [topic] + ([f"{base}/{ieee}"] if isinstance(ieee, str) else []))
        head, _, rest = fname.partition("/")
        area = home.area(_pretty(fname), []) or (home.areas.get(normalize_name(head)) if rest else None)
        area_name = next((n for n, a in home.areas.items() if a == area), None) if area else None
        name = _sayable(_pretty(fname), dtype, definition.get("vendor"), area_name)
        protocol, entity = "zigbee2mqtt", None
        if dtype == "climate" and (trv := _z2m_climate_entity(topic, exposes)) is not None:
            protocol, (entity, setpoint) = "homeassistant", trv
            result.notes.append(f"{fname}: its setpoint is {setpoint}: wired as a homeassistant device over "
                                f"{topic}/set/{setpoint}")
        if found is None:
            dev_id, name = home.take(name if IEEE_ADDRESS.fullmatch(fname) else fname, name)
        else:
            dev_id = found
        _add(result, home, found, _entry(dev_id, name, area, dtype, feats, protocol, topic, entity=entity), fname)
    result.areas = home.new_areas
    return result


# ------------------------------------------------------------ Home Assistant discovery

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
    entity_ab, device_ab = abbreviations()
    out = {entity_ab.get(k, k): v for k, v in cfg.items()}
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
        out["device"] = {device_ab.get(k, k): v for k, v in dev.items()}
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
        platform = platforms()["vacuum"]
        named = c.get("supported_features") or platform.defaults.supported_features or ()
        feats |= {platform.features[n] for n in named if n in platform.features}
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
    elif component == "lock":
        if "payload_open" in c:  # Home Assistant's lock opens only when its config gives payload_open
            feats.add("open")
    elif component == "sensor" and c.get("device_class") in _HA_SENSOR:
        feats.add(_HA_SENSOR[c["device_class"]])
    elif component == "binary_sensor" and c.get("device_class") in _HA_BINARY:
        feats.add(_HA_BINARY[c["device_class"]])
    return feats


def _base_topic(c: dict) -> str | None:
    """A name for the entity's topics, the device's ``topic`` (its ``entity:`` carries the topics
    themselves): ``<base>`` of ``<base>/set`` and ``<base>/state``, else their longest common
    prefix, else the command topic (Tasmota's ``cmnd/<t>/POWER`` and ``tele/<t>/STATE`` share
    nothing). None when the entity has no topic at all."""
    cmd = c.get("command_topic")
    candidates = [v for k, v in c.items() if k.endswith("_topic") and isinstance(v, str)
                  and k not in ("availability_topic", "json_attributes_topic")]
    if not candidates:
        return None
    cmd_base = cmd[:-4] if isinstance(cmd, str) and cmd.endswith("/set") else None
    if cmd_base and all(t == cmd or t.startswith(cmd_base + "/") for t in candidates):
        return cmd_base
    common = "/".join(_common_prefix([t.split("/") for t in candidates]))
    return common or (cmd if isinstance(cmd, str) else candidates[0])


def _common_prefix(paths: list[list[str]]) -> list[str]:
    out: list[str] = []
    for parts in zip(*paths):
        if len(set(parts)) != 1:
            break
        out.append(parts[0])
    if len(paths) == 1:
        out = out[:-1]
    return out


def _entity(component: str, c: dict) -> tuple[dict | None, str | None]:
    """The discovery-config keys the hub reads (hub/hass/entity.py), checked: (entity, None),
    or (None, why not) for a config it cannot honour (a template schema light, a template outside
    the supported subset)."""
    if component == "light" and c.get("schema") == "template":
        return None, "a light of the template schema"
    keep = entity_keys()
    entity = {k: (list(v) if isinstance(v, tuple) else v) for k, v in c.items() if k in keep and v is not None}
    if component != "light":
        entity.pop("schema", None)  # e.g. a vacuum's legacy schema: not the light's
    try:
        HaEntity.model_validate(entity)
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(x) for x in err["loc"])
        return None, f"{where}: {err['msg']}" if where else err["msg"]
    return entity, None


def from_homeassistant(configs: dict[str, bytes], prefix: str = "homeassistant", config: Config | None = None,
                       exclude_node: str | None = None) -> ImportResult:
    """Config entries for retained HA discovery configs (topic -> payload), merged with ``config``.

    Each entity becomes a homeassistant device carrying its discovery config (``entity:``), so
    its topics, payloads and scales are the entity's own. ``exclude_node`` skips a node_id (the
    hub's own entities). An entity the config has (same unique_id, or a topic it is reached on)
    is updated, not added; one the config reaches over another protocol (zigbee2mqtt publishes
    discovery for its devices) is left alone. The area is Home Assistant's suggested area of the
    entity or its device (a new area when the config has none of that name), else the area that
    starts the name. Components the hub has no type for and configs it cannot honour get a note.
    """
    result, home = ImportResult(), _Home(config)
    seen_unique: set[str] = set()
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
        except (ValueError, RecursionError):
            result.notes.append(f"skipped {topic}: not JSON")
            continue
        if not isinstance(c, dict):
            result.notes.append(f"skipped {topic}: not a JSON object")
            continue
        c = _expand(c)
        if component not in _HA_TYPES:
            result.notes.append(f"skipped {topic}: the hub has no device type for {component!r}")
            continue
        unique_id = c.get("unique_id")
        if isinstance(unique_id, str):
            if unique_id in seen_unique:
                result.notes.append(f"skipped {topic}: unique_id {unique_id!r} seen already")
                continue
            seen_unique.add(unique_id)
        entity, why = _entity(component, c)
        if entity is None:
            result.notes.append(f"skipped {topic}: {why}")
            continue
        base = _base_topic(c)
        if base is None:
            result.notes.append(f"skipped {topic}: no command or state topic")
            continue
        dtype = "outlet" if component == "switch" and c.get("device_class") == "outlet" else component
        dev = c.get("device") if isinstance(c.get("device"), dict) else {}
        dev_name, ent_name = dev.get("name"), c.get("name")
        if isinstance(ent_name, str) and ent_name:
            # Home Assistant says "<device> <entity>"; a device named by its host name
            # ("esp-bedroom") adds nothing a person would say
            hostname = not isinstance(dev_name, str) or re.fullmatch(r"[a-z0-9_.-]+", dev_name) is not None
            said_already = isinstance(dev_name, str) and ent_name.lower().startswith(dev_name.lower())
            name = ent_name if not dev_name or hostname or said_already else f"{dev_name} {ent_name}"
        elif dev_name:
            name = str(dev_name)
        else:
            name = _pretty(object_id)
        area = home.area(name, [c.get("suggested_area"), dev.get("suggested_area")])
        area_name = next((a["name"] for a in home.new_areas if a["id"] == area), None) or (
            config.area_by_id[area].name if config and area in config.area_by_id else None)
        name = _sayable(name, dtype, dev.get("manufacturer"), area_name)
        device_class = c.get("device_class") if dtype == "cover" and isinstance(c.get("device_class"), str) else None
        topics = [v for k, v in c.items() if k in ("command_topic", "state_topic") and isinstance(v, str)]
        found = home.find(unique_id, topics + [base])
        generic_id = object_id in (component, node_id) or IEEE_ADDRESS.fullmatch(object_id) is not None
        if found is None:
            dev_id, name = home.take(name if generic_id else object_id, name)
        else:
            dev_id = found
        _add(result, home, found, _entry(dev_id, name, area, dtype, _ha_features(component, c), "homeassistant",
                                         base, device_class, entity), topic)
    result.areas = home.new_areas
    return result


def import_devices(source: str, broker: BrokerConfig, config: Config | None = None, *,
                   timeout: float = 5.0) -> ImportResult:
    """``hub import zigbee2mqtt|homeassistant``: read the broker and work out what to merge into
    ``config`` (:class:`ImportResult`; ``merged()`` gives the whole new config).

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
