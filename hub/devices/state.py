"""Live device state: what each device last reported on its MQTT state topics.

State payload formats read here, per protocol:

* zigbee2mqtt (https://www.zigbee2mqtt.io/guide/usage/mqtt_topics_and_messages.html):
  JSON on ``<topic>`` (e.g. ``zigbee2mqtt/lamp``) with the device's exposes:
  ``state`` ON/OFF, ``brightness`` 0–254, ``color_temp`` mireds, ``position`` 0–100
  (100 = open), lock ``state`` LOCK/UNLOCK and ``lock_state`` locked/unlocked/not_fully_locked,
  ``local_temperature``, ``occupied_heating_setpoint`` / ``current_heating_setpoint``,
  ``system_mode``, ``temperature``, ``humidity``, ``battery``, ``occupancy``, ``contact``,
  ``water_leak``, ``smoke``... Availability on ``<topic>/availability`` (``online``/``offline``,
  or JSON ``{"state": "online"}``).
* Tasmota (https://tasmota.github.io/docs/MQTT/): ``stat/<topic>/RESULT`` (JSON, e.g.
  ``{"POWER":"ON","Dimmer":60}``, ``{"Shutter1":{"Position":40}}``), ``stat/<topic>/POWER[n]``
  (``ON``/``OFF``), ``tele/<topic>/STATE`` (JSON with ``POWER[n]``, ``Dimmer`` 0–100, ``CT``
  mireds), ``tele/<topic>/SENSOR`` (JSON, sensors nested by name, e.g.
  ``{"AM2301":{"Temperature":21.3,"Humidity":45},"TempUnit":"C","ENERGY":{"Power":12}}``),
  ``tele/<topic>/LWT`` (``Online``/``Offline``).
* generic: ``<topic>/state``, JSON in the hub's own normalised fields (the names of
  :class:`DeviceState`: ``state``, ``brightness`` %, ``color_temp`` K, ``position`` %,
  ``locked``, ``target_temperature``/``current_temperature`` in the device's unit,
  ``hvac_mode``, ``volume`` %, ``muted``, ``media_state``, ``humidity`` %), or a plain word
  (``ON``, ``open``, ``locked``...).
* homeassistant with a discovery config (``entity:``): every state topic it declares
  (devices/homeassistant.yaml ``state_topics``: state, brightness, colour temperature, position,
  tilt, fan speed, current and target temperature, mode, humidity, availability), each payload
  passed through the entity's value template (the subset of hub/hass/template.py) and read in
  the entity's own terms: ``state_on``/``payload_on``, ``state_locked``... words, brightness on
  ``brightness_scale``, mireds floored to kelvin as Home Assistant does, position on
  ``position_closed..position_open`` (a valve that reports its position: on its state topic, and
  closed at 0, open elsewhere), tilt on ``tilt_min..tilt_max``, a fan's speed as Home Assistant's
  whole percent of ``speed_range_min..speed_range_max``, temperatures in its unit; a json-schema
  light's state topic as JSON (https://www.home-assistant.io/integrations/light.mqtt/), and a
  siren's or vacuum's as a JSON object when it is one (``state`` in the entity's words,
  ``volume_level``, ``battery_level``; https://www.home-assistant.io/integrations/siren.mqtt/,
  https://www.home-assistant.io/integrations/vacuum.mqtt/).
* homeassistant without one: ``<topic>/state``, a plain state word as HA's MQTT entities publish
  it (``ON``, ``open``, ``locked``, ``heat``, ``armed_away``, ``docked``...) or JSON as HA's
  MQTT JSON schema has it (``brightness`` 0–255, ``color_temp`` mireds, ``volume_level`` 0–1,
  ``is_volume_muted``, ``current_temperature``, ``temperature``, ``position``...).

Nothing is invented: a field the device never reported stays None, and a device never heard
from has no state at all (``get`` returns None). A malformed payload (not JSON where JSON is
expected, nesting too deep for the parser, NaN, Infinity or numbers beyond a float, wrong types,
out of range, e.g. a temperature outside TEMPERATURE_RANGE_C, over 64 KB) is ignored field by
field and logged at most once a minute per device; the store never raises from
:meth:`StateStore.handle`.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import re
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any

from hub.config import Config, Device
from hub.hass.entity import entity_config, platforms, state_topics
from hub.hass.template import Template, TemplateRenderError
from hub.reply.responses import StateSentences, StateWords, load_responses
from hub.throttle import ThrottledLog

log = logging.getLogger(__name__)

MAX_PAYLOAD_BYTES = 64 * 1024


@dataclass(frozen=True)
class DeviceState:
    """Normalised last-known state of one device. None means "not reported", never a guess."""

    device: str
    """Config device id."""
    power: bool | None = None
    """On (True) or off."""
    state: str | None = None
    """The device's own state word, lower case: ``on``, ``open``, ``closing``, ``locked``,
    ``heat``, ``playing``, ``armed_away``, ``docked``..."""
    brightness: float | None = None
    """Percent, 0–100."""
    color_temp: int | None = None
    """Kelvin."""
    position: float | None = None
    """Percent open, 0 = closed, 100 = fully open."""
    tilt: float | None = None
    """A cover's slat tilt, percent, 0 = closed, 100 = fully open."""
    fan_speed: float | None = None
    """A fan's speed, percent of its range."""
    locked: bool | None = None
    target_temperature: float | None = None
    """°C."""
    current_temperature: float | None = None
    """°C."""
    hvac_mode: str | None = None
    """``off``, ``heat``, ``cool``, ``auto``... lower case."""
    volume: float | None = None
    """Percent, 0–100."""
    muted: bool | None = None
    media_state: str | None = None
    """``playing``, ``paused``, ``idle``, ``off``..."""
    humidity: float | None = None
    """Relative humidity, percent (measured)."""
    target_humidity: float | None = None
    battery: float | None = None
    """Percent."""
    power_w: float | None = None
    """Instantaneous power draw, watts."""
    detected: bool | None = None
    """Binary sensor is on: motion/occupancy seen, door/window open, water or smoke detected."""
    available: bool | None = None
    """From the device's availability / LWT topic."""
    last_update: float | None = None
    """time.time() of the last accepted state message."""
    raw: dict = field(default_factory=dict, compare=False)
    """Last payload per state topic, as received (JSON decoded, or text)."""

    @property
    def running(self) -> bool | None:
        """On, as its power or its climate mode says (a thermostat reporting only ``heat`` runs);
        None if neither was reported."""
        if self.power is not None:
            return self.power
        return None if self.hvac_mode is None else self.hvac_mode != "off"

    def known(self) -> dict[str, Any]:
        """The reported fields only (None and ``raw`` left out): what the router reads for
        relative commands and toggles (``brightness``, ``position``, ``volume``, ``state``...)."""
        return {k: v for k, v in vars(self).items() if v is not None and k not in ("raw", "device")}


class _Bad(ValueError):
    """A field of the wrong type or out of range."""


def _num(v: Any, lo: float | None = None, hi: float | None = None) -> float:
    """A finite number within [lo, hi] from a JSON number or a numeric string; _Bad if not."""
    if isinstance(v, bool) or not isinstance(v, (int, float, str)) or (isinstance(v, str) and len(v) > 32):
        raise _Bad(f"not a number: {_short(v)}")
    try:
        v = float(v)
    except (ValueError, OverflowError):
        raise _Bad(f"not a number: {_short(v)}") from None
    if not math.isfinite(v) or (lo is not None and v < lo) or (hi is not None and v > hi):
        raise _Bad(f"out of range: {_short(v)}")
    return v


TEMPERATURE_RANGE_C = (-100.0, 200.0)
"""Readings and setpoints outside this (°C) are no home's: refused as out of range."""
POWER_RANGE_W = (-1e6, 1e6)
"""A household draw or feed-in (W); negative is export, e.g. from solar panels."""


def _temp(v: Any, unit: str) -> float:
    """°C from a reading in the device's ``unit`` (C or F), within TEMPERATURE_RANGE_C."""
    c = _to_c(_num(v), unit)
    lo, hi = TEMPERATURE_RANGE_C
    if not lo <= c <= hi:
        raise _Bad(f"out of range: {_short(v)}")
    return c


def _watts(v: Any) -> float:
    return _num(v, *POWER_RANGE_W)


def _short(v: Any) -> str:
    """A payload value for a log line, cut to 40 characters."""
    text = repr(v)
    return text if len(text) <= 40 else text[:37] + "..."


def _text(v: Any) -> str:
    """A state word as sent (case kept, for the entity's own state words); _Bad if not one."""
    _word(v)
    return v.strip()


def _word(v: Any) -> str:
    if not isinstance(v, str) or not v.strip() or len(v) > 64 or not v.isprintable():
        raise _Bad(f"not a state word: {_short(v)}")
    return v.strip().lower()


def _onoff(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    w = _word(v)
    if w in ("on", "true", "1"):
        return True
    if w in ("off", "false", "0"):
        return False
    raise _Bad(f"not ON/OFF: {_short(v)}")


def _power(v: Any) -> dict[str, Any]:
    on = _onoff(v)
    return {"power": on, "state": "on" if on else "off"}


def _mired_to_kelvin(m: Any) -> int:
    return round(1_000_000 / _num(m, 50, 1000))


def _ha_mired_to_kelvin(m: Any) -> int:
    """Mireds -> K as Home Assistant reads a light's colour temperature (its
    color_temperature_mired_to_kelvin floors), so a step from it reaches what Home Assistant's does."""
    return math.floor(1_000_000 / _num(m, 50, 1000))


def _to_c(value: float, unit: str) -> float:
    return (value - 32) * 5 / 9 if unit == "F" else value


_LOCK_WORDS = {"lock": True, "locked": True, "unlock": False, "unlocked": False}
_WORD_POWER = {"on": True, "off": False}


def _from_word(word: str) -> dict[str, Any]:
    """Fields implied by a bare state word (HA/generic plain payloads, z2m/HA ``state``)."""
    out: dict[str, Any] = {"state": word}
    if word in _WORD_POWER:
        out["power"] = _WORD_POWER[word]
    if word in _LOCK_WORDS:
        out["locked"] = _LOCK_WORDS[word]
        out["state"] = "locked" if out["locked"] else "unlocked"
    if word in ("playing", "paused", "idle", "buffering", "standby"):
        out["media_state"] = word
    if word in ("open", "closed", "opening", "closing", "stopped"):
        out["state"] = word
    return out


class StateStore:
    """Typed, thread-safe store of every configured device's last reported state.

    ``StateStore(config)``; subscribe to each of ``topics()`` and feed every message to
    ``handle(topic, payload)`` (e.g. ``link.subscribe(f, store.handle)``); read with ``get(device_id)`` and ``describe(device)``.
    """

    def __init__(self, config: Config) -> None:
        self.config = config
        self._lock = threading.Lock()
        self._states: dict[str, DeviceState] = {}
        self._exact: dict[str, list[tuple[Device, str]]] = {}
        """Concrete topic -> (device, kind) for zigbee2mqtt/generic/homeassistant."""
        self._tasmota: dict[str, list[Device]] = {}
        self._warnings = ThrottledLog(log)
        self._entities: dict[str, dict[str, Any]] = {}
        """Device id -> merged discovery config, for homeassistant devices with ``entity:``."""
        for d in config.devices:
            if d.protocol == "homeassistant" and d.entity is not None:
                entity = self._entities[d.id] = entity_config(d.type, d.topic, d.entity)
                for key in state_topics():
                    if isinstance(entity.get(key), str):
                        self._exact.setdefault(entity[key], []).append((d, f"ha:{key}"))
            elif d.protocol == "zigbee2mqtt":
                self._exact.setdefault(d.topic, []).append((d, "z2m"))
                self._exact.setdefault(f"{d.topic}/availability", []).append((d, "availability"))
            elif d.protocol == "tasmota":
                self._tasmota.setdefault(d.topic, []).append(d)
            else:
                self._exact.setdefault(f"{d.topic}/state", []).append((d, d.protocol))

    def topics(self) -> list[str]:
        """MQTT topic filters to subscribe to, one per state topic (Tasmota: ``stat/<t>/+``,
        ``tele/<t>/+``), sorted."""
        out = set(self._exact)
        for t in self._tasmota:
            out |= {f"stat/{t}/+", f"tele/{t}/+"}
        return sorted(out)

    def get(self, device_id: str) -> DeviceState | None:
        """Last known state, or None if the device was never heard from (or is not configured)."""
        with self._lock:
            return self._states.get(device_id)

    def carry_over(self, old: StateStore) -> list[str]:
        """Take the states ``old`` knows (a reload's predecessor) for devices configured alike
        in both (same protocol, topic, relay index and unit) that this store has not heard from
        yet: retained states are not sent again to a subscription that stays. Returns their ids."""
        def wiring(d: Device) -> tuple:
            return d.protocol, d.topic, d.index, d.temperature_unit, d.type, d.entity

        now = {d.id: wiring(d) for d in self.config.devices}
        taken = []
        with old._lock:
            states = dict(old._states)
        with self._lock:
            for d in old.config.devices:
                if d.id in states and now.get(d.id) == wiring(d) and d.id not in self._states:
                    self._states[d.id] = states[d.id]
                    taken.append(d.id)
        return taken

    # ------------------------------------------------------------ intake

    def handle(self, topic: str, payload: bytes) -> list[str]:
        """Apply one MQTT message. Returns the ids of the devices it updated (often [] for
        topics that carry nothing we track). Never raises: a bad payload or field is ignored and
        logged, at most once a minute per device."""
        targets = self._route(topic)
        if not targets:
            return []
        if len(payload) > MAX_PAYLOAD_BYTES:
            return self._ignore(targets, "state %s: payload of %d bytes ignored (over %d)",
                                topic, len(payload), MAX_PAYLOAD_BYTES)
        try:
            text = payload.decode("utf-8")
        except UnicodeDecodeError:
            return self._ignore(targets, "state %s: payload is not UTF-8; ignored", topic)
        updated: list[str] = []
        for device, kind in targets:
            try:
                fields, raw = self._parse(device, kind, topic, text)
            except _Bad as e:
                self._warnings.warning(device.id, "state %s (%s): %s; ignored", topic, device.id, e)
                continue
            if not fields:
                continue
            self._merge(device, topic, fields, raw)
            updated.append(device.id)
        return updated

    def _ignore(self, targets: list[tuple[Device, str]], msg: str, *args: object) -> list[str]:
        for device, _ in targets:
            self._warnings.warning(device.id, msg, *args)
        return []

    def _route(self, topic: str) -> list[tuple[Device, str]]:
        if topic in self._exact:
            return self._exact[topic]
        parts = topic.split("/")
        if len(parts) >= 3 and parts[0] in ("stat", "tele"):
            t = "/".join(parts[1:-1])
            kind = f"{parts[0]}/{parts[-1]}"
            return [(d, kind) for d in self._tasmota.get(t, ())]
        return []

    def _merge(self, device: Device, topic: str, fields: dict[str, Any], raw: Any) -> None:
        with self._lock:
            old = self._states.get(device.id) or DeviceState(device.id)
            new = replace(old, **fields, raw={**old.raw, topic: raw})
            if set(fields) - {"available"}:
                new = replace(new, last_update=time.time())
            self._states[device.id] = new

    def _parse(self, d: Device, kind: str, topic: str, text: str) -> tuple[dict | None, Any]:
        """(fields, raw) from one payload; fields None when the topic carries nothing for ``d``."""
        if kind == "availability":
            word = text.strip()
            if word.startswith("{"):
                word = _json_object(text).get("state", "")
            return {"available": _word(word) == "online"}, word
        if kind == "tele/LWT":
            return {"available": _word(text) == "online"}, text.strip()
        if kind in ("stat/RESULT", "tele/STATE", "tele/SENSOR"):
            obj = _json_object(text)
            return self._fields(self._tasmota_fields(d, obj), topic, d), obj
        if kind.startswith("ha:"):
            return self._entity_fields(d, kind[3:], topic, text)
        if kind.startswith("stat/POWER"):
            if kind.removeprefix("stat/") not in _power_keys(d):
                return None, text
            return _power(text), text.strip()
        if kind in ("z2m", "generic", "homeassistant"):
            stripped = text.strip()
            if stripped.startswith("{") or kind == "z2m":
                obj = _json_object(text)
                parse = {"z2m": self._z2m_fields, "generic": self._generic_fields,
                         "homeassistant": self._ha_fields}[kind]
                return self._fields(parse(d, obj), topic, d), obj
            return self._fields([("state", lambda: _from_word(_word(stripped)))], topic, d), stripped
        return None, text

    def _entity_fields(self, d: Device, key: str, topic: str, text: str) -> tuple[dict | None, Any]:
        """One state topic of an entity with a discovery config: value template, then its reading."""
        entity = self._entities[d.id]
        how = state_topics()[key]
        if key == "state_topic" and entity.get("schema") == "json":
            obj = _json_object(text)
            return self._fields(self._ha_fields(d, obj, entity.get("brightness_scale", 255)), topic, d), obj
        template = next((entity[t] for t in how.templates if entity.get(t)), None)
        value = text.strip()
        if template is not None:
            try:
                value = _template(template).render({"value": text}).strip()
            except TemplateRenderError as e:
                raise _Bad(f"value template: {e}") from None
        platform = platforms().get(d.type)
        if key == "state_topic" and platform is not None and platform.json_state and value.startswith("{"):
            obj = _json_object(value)
            thunks = self._ha_fields(d, {k: v for k, v in obj.items() if k != "state"})
            if "state" in obj:
                thunks.insert(0, ("state", lambda: _entity_reading("state", _text(obj["state"]), entity, d)))
            return self._fields(thunks, topic, d), obj
        return self._fields([(key, lambda: _entity_reading(how.reads, value, entity, d))], topic, d), value

    def _fields(self, thunks: list, topic: str, d: Device) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, thunk in thunks:
            try:
                out.update(thunk())
            except _Bad as e:
                self._warnings.warning(d.id, "state %s (%s): field %s %s; ignored", topic, d.id, name, e)
        return out

    # Each *_fields returns [(name, thunk)]: a thunk returns {field: value}; one bad field
    # is logged and skipped without losing the others.

    def _z2m_fields(self, d: Device, o: dict) -> list:
        u = d.temperature_unit
        out: list = []
        if "state" in o:
            if d.type == "lock":
                out.append(("state", lambda: _lock_fields(o["state"])))
            elif d.type == "cover" and _word(o["state"]) not in _WORD_POWER:
                out.append(("state", lambda: {"state": _word(o["state"])}))
            else:
                out.append(("state", lambda: _from_word(_word(o["state"]))))
        if "lock_state" in o:
            out.append(("lock_state", lambda: _lock_fields(o["lock_state"])))
        if "brightness" in o:
            out.append(("brightness", lambda: {"brightness": round(_num(o["brightness"], 0, 254) / 254 * 100, 1)}))
        if "color_temp" in o:
            out.append(("color_temp", lambda: {"color_temp": _mired_to_kelvin(o["color_temp"])}))
        if "position" in o:
            out.append(("position", lambda: {"position": _num(o["position"], 0, 100)}))
        if "local_temperature" in o:
            out.append(("local_temperature", lambda: {"current_temperature": _temp(o["local_temperature"], u)}))
        for key in ("occupied_heating_setpoint", "current_heating_setpoint"):
            if key in o:
                out.append((key, lambda k=key: {"target_temperature": _temp(o[k], u)}))
        if "system_mode" in o:
            out.append(("system_mode", lambda: {"hvac_mode": _word(o["system_mode"])}))
        if "temperature" in o and "local_temperature" not in o:  # a thermostat's own reading wins
            out.append(("temperature", lambda: {"current_temperature": _temp(o["temperature"], u)}))
        if "humidity" in o:
            out.append(("humidity", lambda: {"humidity": _num(o["humidity"], 0, 100)}))
        if "battery" in o:
            out.append(("battery", lambda: {"battery": _num(o["battery"], 0, 100)}))
        if "power" in o:
            out.append(("power", lambda: {"power_w": _watts(o["power"])}))
        for key in ("occupancy", "presence", "water_leak", "smoke", "gas", "vibration"):
            if key in o:
                out.append((key, lambda k=key: {"detected": _onoff(o[k])}))
        if "contact" in o:  # zigbee2mqtt: contact true = closed
            out.append(("contact", lambda: {"detected": not _onoff(o["contact"])}))
        if "fan_state" in o:
            out.append(("fan_state", lambda: _from_word(_word(o["fan_state"]))))
        if "available" in o:
            out.append(("available", lambda: {"available": _onoff(o["available"])}))
        return out

    def _tasmota_fields(self, d: Device, o: dict) -> list:
        out: list = []
        for key in _power_keys(d):
            if key in o:
                out.append((key, lambda k=key: _power(o[k])))
                break
        if "Dimmer" in o:
            out.append(("Dimmer", lambda: {"brightness": _num(o["Dimmer"], 0, 100)}))
        if "CT" in o:
            out.append(("CT", lambda: {"color_temp": _mired_to_kelvin(o["CT"])}))
        shutter = o.get(f"Shutter{d.index or 1}")
        if isinstance(shutter, dict) and "Position" in shutter:
            out.append(("Position", lambda: {"position": _num(shutter["Position"], 0, 100)}))
        unit = o.get("TempUnit", d.temperature_unit)
        unit = unit if unit in ("C", "F") else d.temperature_unit
        for name, sub in o.items():
            if not isinstance(sub, dict):
                continue
            if name == "ENERGY" and "Power" in sub:
                out.append(("ENERGY.Power", lambda s=sub: {"power_w": _watts(s["Power"])}))
            if "Temperature" in sub:
                out.append((f"{name}.Temperature",
                            lambda s=sub: {"current_temperature": _temp(s["Temperature"], unit)}))
            if "Humidity" in sub:
                out.append((f"{name}.Humidity", lambda s=sub: {"humidity": _num(s["Humidity"], 0, 100)}))
        return out

    def _generic_fields(self, d: Device, o: dict) -> list:
        u = d.temperature_unit
        out: list = []
        if "state" in o:
            out.append(("state", lambda: _from_word(_word(o["state"]))))
        if "power" in o:
            out.append(("power", lambda: {"power": _onoff(o["power"])}))
        for key, lo, hi in (("brightness", 0, 100), ("position", 0, 100), ("volume", 0, 100),
                            ("humidity", 0, 100), ("target_humidity", 0, 100), ("battery", 0, 100)):
            if key in o:
                out.append((key, lambda k=key, lo=lo, hi=hi: {k: _num(o[k], lo, hi)}))
        if "color_temp" in o:
            out.append(("color_temp", lambda: {"color_temp": round(_num(o["color_temp"], 1000, 20000))}))
        for key in ("target_temperature", "current_temperature"):
            if key in o:
                out.append((key, lambda k=key: {k: _temp(o[k], u)}))
        for key in ("locked", "muted", "detected"):
            if key in o:
                out.append((key, lambda k=key: {k: _onoff(o[k])}))
        for key in ("hvac_mode", "media_state"):
            if key in o:
                out.append((key, lambda k=key: {k: _word(o[k])}))
        return out

    def _ha_fields(self, d: Device, o: dict, brightness_scale: int = 255) -> list:
        u = d.temperature_unit
        out: list = []
        if "state" in o:
            out.append(("state", lambda: _from_word(_word(o["state"]))))
        if "brightness" in o:
            out.append(("brightness", lambda: {"brightness": round(
                _num(o["brightness"], 0, brightness_scale) / brightness_scale * 100, 1)}))
        if "color_temp" in o:
            out.append(("color_temp", lambda: {"color_temp": _ha_mired_to_kelvin(o["color_temp"])}))
        for key in ("position", "current_position"):
            if key in o:
                out.append((key, lambda k=key: {"position": _num(o[k], 0, 100)}))
        if "volume_level" in o:
            out.append(("volume_level", lambda: {"volume": round(_num(o["volume_level"], 0, 1) * 100, 1)}))
        if "is_volume_muted" in o:
            out.append(("is_volume_muted", lambda: {"muted": _onoff(o["is_volume_muted"])}))
        if "current_temperature" in o:
            out.append(("current_temperature", lambda: {"current_temperature": _temp(o["current_temperature"], u)}))
        if "temperature" in o:
            out.append(("temperature", lambda: {"target_temperature": _temp(o["temperature"], u)}))
        for key in ("hvac_mode", "mode"):
            if key in o:
                out.append((key, lambda k=key: {"hvac_mode": _word(o[k])}))
        if "current_humidity" in o:
            out.append(("current_humidity", lambda: {"humidity": _num(o["current_humidity"], 0, 100)}))
        if "humidity" in o:
            out.append(("humidity", lambda: {"target_humidity": _num(o["humidity"], 0, 100)}))
        if "battery_level" in o:
            out.append(("battery_level", lambda: {"battery": _num(o["battery_level"], 0, 100)}))
        return out

    # ------------------------------------------------------------ replies

    def describe(self, device: Device | str, question_hint: str | None = None) -> str:
        """One reply sentence about a device's state, from what it reported and nothing else.

        ``question_hint`` narrows the answer: ``temperature``, ``target_temperature``,
        ``humidity``, ``brightness``, ``position``, ``volume``, ``locked``, ``on`` (on or off),
        ``power`` (watts drawn), ``mode``, ``battery`` (the catalog's ``query_<hint>`` actions); any
        other hint gives the whole state. E.g. "The front door is locked.", "The thermostat is set to
        21 degrees (it is 19.5 now).", "I haven't heard from the garage door yet."
        Raises KeyError for a device id that is not configured.
        """
        d = device if isinstance(device, Device) else self.config.device_by_id[device]
        return describe_state(d, self.get(d.id), question_hint, language=self.config.hub.language)


@functools.lru_cache(maxsize=256)
def _template(text: str) -> Template:
    return Template(text)


_STATE_WORDS = {
    "state_on": "on", "state_off": "off", "payload_on": "on", "payload_off": "off",
    "state_locked": "locked", "state_unlocked": "unlocked", "state_locking": "locking",
    "state_unlocking": "unlocking", "state_jammed": "jammed", "state_open": "open",
    "state_opening": "opening", "state_closed": "closed", "state_closing": "closing",
    "state_stopped": "stopped",
}
"""Discovery-config keys naming a state word -> the hub's word for it (state_* win over payload_*)."""


def _entity_reading(reads: str, value: str, entity: dict[str, Any], d: Device) -> dict[str, Any]:
    """Fields from one templated state value of an entity (see devices/homeassistant.yaml)."""
    if reads == "state":
        if d.type in ("cover", "valve") and entity.get("reports_position") and _is_number(value):
            # the state topic of a valve that reports its position carries the position; it is
            # closed at 0, open elsewhere (Home Assistant's ValveEntity.state)
            fields = _entity_reading("position", value, entity, d)
            return {**fields, "state": "closed" if fields["position"] == 0 else "open"}
        words = {str(entity[k]): w for k, w in _STATE_WORDS.items() if k.startswith("payload_") and k in entity}
        words.update({str(entity[k]): w for k, w in _STATE_WORDS.items() if k.startswith("state_") and k in entity})
        if value in words:
            return _from_word(words[value])
        if not re.fullmatch(r"[\w .\-]+", value):  # e.g. a template that picked a JSON object
            raise _Bad(f"not a state word: {_short(value)}")
        return _from_word(_word(value))
    if reads == "availability":
        on, off = entity.get("payload_available", "online"), entity.get("payload_not_available", "offline")
        if value not in (on, off):
            raise _Bad(f"neither {on!r} nor {off!r}: {_short(value)}")
        return {"available": value == on}
    if reads == "brightness":
        scale = entity.get("brightness_scale", 255)
        return {"brightness": round(_num(value, 0, scale) / scale * 100, 1)}
    if reads == "color_temp":
        if entity.get("color_temp_kelvin"):
            return {"color_temp": round(_num(value, 1000, 20000))}
        return {"color_temp": _ha_mired_to_kelvin(value)}
    if reads in ("position", "tilt"):
        ends = ("position_closed", "position_open") if reads == "position" else ("tilt_min", "tilt_max")
        closed, opened = entity.get(ends[0], 0), entity.get(ends[1], 100)
        if closed == opened:
            raise _Bad(f"{ends[1]} and {ends[0]} are both {closed}")
        lo, hi = min(closed, opened), max(closed, opened)
        return {reads: round((_num(value, lo, hi) - closed) / (opened - closed) * 100, 1)}
    if reads == "fan_speed":
        # Home Assistant's ranged_value_to_percentage: whole percent of the speed range's steps
        low, high = entity.get("speed_range_min", 1), entity.get("speed_range_max", 100)
        speed = _num(value, 0, high)
        if not speed.is_integer():
            raise _Bad(f"not a whole speed: {_short(value)}")
        return {"fan_speed": float(int(speed) * 100 // (high - low + 1))}
    if reads in ("current_temperature", "target_temperature"):
        return {reads: _temp(value, entity.get("temperature_unit", d.temperature_unit))}
    if reads == "hvac_mode":
        mode = _word(value)
        return {"hvac_mode": mode, **({"power": False} if mode == "off" else {"power": True})}
    return {reads: _num(value, 0, 100)}  # humidity, target_humidity


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _lock_fields(v: Any) -> dict[str, Any]:
    w = _word(v)
    if w in _LOCK_WORDS:
        return {"locked": _LOCK_WORDS[w], "state": "locked" if _LOCK_WORDS[w] else "unlocked"}
    if w == "not_fully_locked":
        return {"locked": False, "state": "not_fully_locked"}
    raise _Bad(f"not a lock state: {_short(v)}")


def _power_keys(d: Device) -> tuple[str, ...]:
    """Tasmota relay keys for this device: POWER<index>; relay 1 is also plain POWER."""
    n = d.index or 1
    return ("POWER", "POWER1") if n == 1 else (f"POWER{n}",)


def _json_object(text: str) -> dict:
    """A JSON object whose numbers are all finite and of bounded size; _Bad if not."""
    try:
        obj = json.loads(text, parse_constant=_no_constant, parse_int=_bounded_int, parse_float=_finite_float)
    except _Bad:
        raise
    except json.JSONDecodeError as e:
        raise _Bad(f"not JSON ({e.msg} at char {e.pos})") from None
    except (ValueError, RecursionError) as e:  # e.g. nesting deeper than the parser's stack
        raise _Bad(f"not JSON ({type(e).__name__})") from None
    if not isinstance(obj, dict):
        raise _Bad(f"expected a JSON object, got {type(obj).__name__}")
    return obj


def _no_constant(name: str) -> float:
    raise _Bad(f"{name} is not a number JSON allows")


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > 20:
        raise _Bad(f"number of {len(digits)} digits")
    return int(digits)


def _finite_float(text: str) -> float:
    v = float(text)
    if not math.isfinite(v):
        raise _Bad(f"number out of range: {text[:40]}")
    return v


# ------------------------------------------------------------ sentences


def _deg(c: float, d: Device) -> str:
    v = c * 9 / 5 + 32 if d.temperature_unit == "F" else c
    v = round(v * 2) / 2 if d.temperature_unit == "C" else round(v)
    return f"{v:g}"


def _pct(v: float) -> str:
    return f"{round(v):d}%"


def _cap(s: str) -> str:
    return s[0].upper() + s[1:]


def describe_state(d: Device, s: DeviceState | None, hint: str | None = None, *, language: str = "en") -> str:
    """The sentence of :meth:`StateStore.describe` for a device and its state (None: never heard),
    in ``language`` (wording: intents/<language>/responses.yaml ``state``)."""
    said = load_responses(language)
    r = said.state
    q, w = r.quantities, r.words
    the = said.device.format(name=d.spoken_name)
    last = d.name.split()[-1].lower()  # "the blinds are", "the glass is"
    the_is = {"the": the, "The": _cap(the),
              "is": said.be_many if last.endswith("s") and not last.endswith("ss") else said.be_one}
    if s is None or s.last_update is None:
        if s is not None and s.available is False:
            return r.offline.format(**the_is)
        return r.never_heard.format(the=the)
    hint = (hint or "").lower().replace(" ", "_") or None

    def unknown(what: str) -> str:
        return r.unknown.format(what=what, the=the)

    def is_word(word: str) -> str:
        return r.is_.format(**the_is, word=word)

    def position(p: float) -> str:
        return w.closed if p <= 0 else w.open if p >= 100 else r.partly_open.format(percent=_pct(p))

    if hint in ("temperature", "current_temperature"):
        if s.current_temperature is None:
            return unknown(q.temperature)
        return r.temperature.format(degrees=_deg(s.current_temperature, d), the=the)
    if hint == "target_temperature":
        if s.target_temperature is None:
            return unknown(q.temperature_setting)
        return r.target_temperature.format(**the_is, degrees=_deg(s.target_temperature, d))
    if hint == "humidity":
        if s.humidity is None:
            return unknown(q.humidity)
        return r.humidity.format(the=the, percent=_pct(s.humidity))
    if hint == "brightness":
        if s.power is False:
            return is_word(w.off)
        return unknown(q.brightness) if s.brightness is None else r.brightness.format(**the_is, percent=_pct(s.brightness))
    if hint == "position":
        return unknown(q.position) if s.position is None else is_word(position(s.position))
    if hint == "volume":
        return unknown(q.volume) if s.volume is None else r.volume.format(the=the, percent=_pct(s.volume))
    if hint == "battery":
        return unknown(q.battery) if s.battery is None else r.battery.format(the=the, percent=_pct(s.battery))
    if hint == "locked":
        return unknown(q.lock) if s.locked is None else _lock_sentence(is_word, w, s)
    if hint == "mode":
        return unknown(q.mode) if s.hvac_mode is None else r.mode.format(**the_is, mode=s.hvac_mode)
    if hint == "on":
        return unknown(q.power_state) if s.power is None else is_word(w.on if s.power else w.off)
    if hint == "power":
        return unknown(q.power_draw) if s.power_w is None else r.power_draw.format(**the_is, watts=f"{s.power_w:g}")

    if d.type == "lock":
        return _lock_sentence(is_word, w, s) if s.locked is not None else unknown(q.lock)
    if d.type in ("climate", "water_heater"):
        return _climate_sentence(d, r, the_is, s)
    if d.type in ("sensor",) or (d.type not in ("binary_sensor",) and s.power is None and s.state is None
                                  and (s.current_temperature is not None or s.humidity is not None)):
        parts = []
        if s.current_temperature is not None:
            parts.append(r.reading_degrees.format(degrees=_deg(s.current_temperature, d)))
        if s.humidity is not None:
            parts.append(r.reading_humidity.format(percent=_pct(s.humidity)))
        if s.power_w is not None:
            parts.append(r.reading_watts.format(watts=f"{s.power_w:g}"))
        if s.battery is not None and not parts:
            parts.append(r.reading_battery.format(percent=_pct(s.battery)))
        return r.reads.format(**the_is, readings=said.list_last.join(parts)) if parts else unknown(q.reading)
    if d.type == "binary_sensor":
        if s.detected is None:
            return unknown(q.state)
        if any(f in d.features for f in ("door", "window", "contact")):
            return is_word(w.open if s.detected else w.closed)
        return (r.detects_something if s.detected else r.detects_nothing).format(**the_is)
    if d.type in ("cover", "valve"):
        if s.position is not None:
            return is_word(position(s.position))
        if s.state in ("open", "closed", "opening", "closing", "stopped"):
            return is_word(s.state)
        if s.power is not None and d.type == "valve":
            return is_word(w.open if s.power else w.closed)
        return unknown(q.position)
    if d.type == "media_player":
        return _media_sentence(r, the_is, s)
    if d.type == "light" and s.power:
        return is_word(w.on) if s.brightness is None else r.on_at.format(**the_is, percent=_pct(s.brightness))
    if s.power is not None:
        return is_word(w.on if s.power else w.off)
    if s.state is not None:
        return is_word(s.state.replace("_", " "))
    return unknown(q.state)


def _lock_sentence(is_word, w: StateWords, s: DeviceState) -> str:
    if s.state == "not_fully_locked":
        return is_word(w.not_fully_locked)
    return is_word(w.locked if s.locked else w.unlocked)


def _climate_sentence(d: Device, r: StateSentences, the_is: dict[str, str], s: DeviceState) -> str:
    now = r.climate_now.format(degrees=_deg(s.current_temperature, d)) if s.current_temperature is not None else None

    def with_now(sentence: str) -> str:
        return r.climate_with_now.format(sentence=sentence, now=now) if now else r.climate_alone.format(sentence=sentence)

    if s.hvac_mode == "off" or s.power is False:
        return with_now(r.climate_off.format(**the_is))
    if s.target_temperature is not None:
        return with_now(r.climate_set.format(**the_is, degrees=_deg(s.target_temperature, d)))
    if now:
        return r.climate_no_setting.format(**the_is, degrees=_deg(s.current_temperature, d))  # type: ignore[arg-type]
    word = s.hvac_mode or (r.words.on if s.power else None)
    if word:
        return r.climate_mode_only.format(**the_is, word=word.replace("_", " "))
    return r.unknown.format(what=r.quantities.temperature_setting, the=the_is["the"])


def _media_sentence(r: StateSentences, the_is: dict[str, str], s: DeviceState) -> str:
    state = s.media_state or (s.state if s.state not in (None, "on") else None)
    if s.power is False or state == "off":
        return r.is_.format(**the_is, word=r.words.off)
    media = r.media.format(**the_is, state=state or r.words.on)
    if s.muted:
        return r.media_muted.format(media=media)
    if s.volume is not None:
        return r.media_volume.format(media=media, percent=_pct(s.volume))
    return r.media_plain.format(media=media)
