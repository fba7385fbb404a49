"""Intent + device -> one command of the vocabulary (issue 4), or the reason it cannot be done.

Generic intents choose the action by device type ("set the X to 40": brightness on a light,
position on a cover, volume on a media player, target temperature on a thermostat), and every
action is checked against the device's type and features (devices/types.yaml): colour needs
``color``, brightness ``brightness``, a position ``position``, and so on.
"""

from __future__ import annotations

from dataclasses import dataclass

from hub.config import Device
from hub.errors import CommandRefused
from hub.nlu.resolve import is_sensitive
from hub.types import Command

SWITCHABLE = {"light", "switch", "outlet", "fan", "media_player", "climate", "humidifier", "siren", "water_heater"}

LEVEL_SET = {"set_level", "set_brightness", "set_volume", "set_temperature", "set_position", "set_fan_speed"}
LEVEL_UP = {"brightness_up", "temperature_up", "volume_up", "fan_speed_up"}
LEVEL_DOWN = {"brightness_down", "temperature_down", "volume_down", "fan_speed_down"}

PREFERRED_TYPES: dict[str, tuple[str, ...]] = {
    "turn_on": ("light",), "turn_off": ("light",), "toggle": ("light",),
    "set_level": ("light",), "set_brightness": ("light",), "brightness_up": ("light",), "brightness_down": ("light",),
    "set_color": ("light",), "set_color_temp": ("light",),
    "open": ("cover",), "close": ("cover",), "stop": ("cover",), "set_position": ("cover",),
    "lock": ("lock",), "unlock": ("lock",),
    "set_temperature": ("climate",), "temperature_up": ("climate",), "temperature_down": ("climate",),
    "set_hvac_mode": ("climate",),
    "set_fan_speed": ("fan",), "fan_speed_up": ("fan",), "fan_speed_down": ("fan",),
    "play": ("media_player",), "pause": ("media_player", "vacuum"), "next": ("media_player",),
    "previous": ("media_player",), "set_volume": ("media_player",), "volume_up": ("media_player",),
    "volume_down": ("media_player",), "mute": ("media_player",), "unmute": ("media_player",),
    "start": ("vacuum",), "dock": ("vacuum",), "activate": ("scene",),
    "arm_away": ("alarm_control_panel",), "arm_home": ("alarm_control_panel",),
    "arm_night": ("alarm_control_panel",), "disarm": ("alarm_control_panel",),
    "query": ("climate", "sensor"),
}
"""Device types an intent acts on when the utterance names only an area or nothing at all."""


@dataclass(frozen=True)
class Slots:
    """Values read from the clause."""

    number: float | None = None
    color: str | None = None
    kelvin: int | None = None
    mode: str | None = None
    quantity: str | None = None
    """The quantity the clause names ("brightness", "volume", "speed", "temperature", "humidity"), if any."""
    unit_said: bool = False
    """A unit followed the number ("percent", "degrees")."""


QUANTITY = {"light": "brightness", "media_player": "volume", "fan": "speed", "climate": "temperature",
            "water_heater": "temperature", "humidifier": "humidity", "cover": "position", "valve": "position"}
"""The quantity a generic set / up / down acts on, by device type."""


def _num(x: float) -> float | int:
    return int(x) if float(x).is_integer() else x


def _refuse(d: Device, what: str) -> CommandRefused:
    return CommandRefused(f"The {d.name.lower()} can't {what}.")


def _need(d: Device, feature: str, what: str) -> None:
    if feature not in d.features:
        raise _refuse(d, what)


def _percent(d: Device, action: str, value: float | None) -> Command:
    if value is None:
        raise CommandRefused(f"To what level should I set the {d.name.lower()}?")
    if not 0 <= value <= 100:
        raise CommandRefused(f"{_num(value)} is not a percentage I can set.")
    return Command(d.id, action, _num(value), "%")


def to_command(intent: str, d: Device, slots: Slots) -> Command:
    """The command ``intent`` means for device ``d``. Raises CommandRefused with a short reason."""
    t = d.type
    v = slots.number
    if intent == "query":
        return Command(d.id, "query")
    if intent in ("turn_on", "activate"):
        if t == "scene":
            return Command(d.id, "activate")
        if t == "vacuum":
            return Command(d.id, "start")
        if t == "valve":
            return Command(d.id, "open")
        if t == "alarm_control_panel":
            _need(d, "arm_away", "arm")
            return Command(d.id, "arm_away")
        if t in SWITCHABLE:
            return Command(d.id, "turn_on")
        raise _refuse(d, "be turned on")
    if intent == "turn_off":
        if t == "vacuum":
            return Command(d.id, "dock")
        if t == "valve":
            return Command(d.id, "close")
        if t == "alarm_control_panel":
            return Command(d.id, "disarm")
        if t in SWITCHABLE:
            return Command(d.id, "turn_off")
        raise _refuse(d, "be turned off")
    if intent == "toggle":
        if t in SWITCHABLE:
            return Command(d.id, "toggle")
        raise _refuse(d, "be toggled")
    if (intent in LEVEL_SET or intent in LEVEL_UP or intent in LEVEL_DOWN) and slots.quantity \
            and slots.quantity != QUANTITY.get(t):
        raise _refuse(d, f"change {slots.quantity}")
    if intent in LEVEL_SET:
        if t == "light":
            _need(d, "brightness", "be dimmed")
            if v == 0:
                return Command(d.id, "turn_off")
            return _percent(d, "set_brightness", v)
        if t == "media_player":
            _need(d, "volume", "change volume")
            return _percent(d, "set_volume", v)
        if t == "fan":
            _need(d, "speed", "change speed")
            return _percent(d, "set_fan_speed", v)
        if t in ("cover", "valve"):
            if "position" not in d.features:
                raise _refuse(d, "be set to a position")
            return _percent(d, "set_position", v)
        if t in ("climate", "water_heater"):
            _need(d, "target_temperature", "be set to a temperature")
            if v is None:
                raise CommandRefused(f"To what temperature should I set the {d.name.lower()}?")
            return Command(d.id, "set_temperature", _num(v), d.temperature_unit)
        if t == "humidifier":
            _need(d, "target_humidity", "be set to a humidity")
            return _percent(d, "set_humidity", v)
        raise _refuse(d, "be set to a level")
    if intent in LEVEL_UP or intent in LEVEL_DOWN:
        up = intent in LEVEL_UP
        step = None if v is None else _num(v)
        if t == "light":
            _need(d, "brightness", "be dimmed")
            return Command(d.id, "brightness_up" if up else "brightness_down", step, "%" if step else None)
        if t in ("climate", "water_heater"):
            _need(d, "target_temperature", "change temperature")
            return Command(d.id, "temperature_up" if up else "temperature_down", step, d.temperature_unit if step else None)
        if t == "media_player":
            _need(d, "volume", "change volume")
            return Command(d.id, "volume_up" if up else "volume_down", step, "%" if step else None)
        if t == "fan":
            _need(d, "speed", "change speed")
            return Command(d.id, "fan_speed_up" if up else "fan_speed_down", step, "%" if step else None)
        if t == "cover" and step is None and not is_sensitive(d):
            return Command(d.id, "open" if up else "close")  # "raise the blinds"
        raise _refuse(d, "be turned up or down")
    if intent == "set_color":
        if t != "light" or "color" not in d.features:
            raise _refuse(d, "change colour")
        if not slots.color:
            raise CommandRefused("Which colour?")
        return Command(d.id, "set_color", slots.color)
    if intent == "set_color_temp":
        if t != "light" or "color_temp" not in d.features:
            raise _refuse(d, "change colour temperature")
        if slots.kelvin is None:
            raise CommandRefused("Which colour temperature?")
        return Command(d.id, "set_color_temp", slots.kelvin, "K")
    if intent in ("open", "close"):
        if t in ("cover", "valve"):
            if v is not None and 0 < v < 100 and "position" in d.features:
                return _percent(d, "set_position", v)
            return Command(d.id, intent)
        raise _refuse(d, intent)
    if intent == "stop":
        if t in ("cover", "valve"):
            _need(d, "stop", "stop")
            return Command(d.id, "stop")
        if t in ("media_player", "vacuum"):
            return Command(d.id, "pause")
        if t in SWITCHABLE:
            return Command(d.id, "turn_off")
        raise _refuse(d, "stop")
    if intent in ("lock", "unlock"):
        if t != "lock":
            raise _refuse(d, intent)
        return Command(d.id, intent)
    if intent == "set_hvac_mode":
        if t != "climate":
            raise _refuse(d, "change mode")
        if slots.mode is None:
            raise CommandRefused("Which mode?")
        if slots.mode == "off":
            return Command(d.id, "turn_off")
        _need(d, "hvac_mode", "change mode")
        return Command(d.id, "set_hvac_mode", slots.mode)
    if intent in ("play", "pause", "next", "previous"):
        if t == "vacuum" and intent in ("play", "pause"):
            return Command(d.id, "start" if intent == "play" else "pause")
        if t != "media_player":
            raise _refuse(d, intent)
        return Command(d.id, intent)
    if intent in ("mute", "unmute"):
        if t != "media_player":
            raise _refuse(d, intent)
        if "mute" in d.features:
            return Command(d.id, intent)
        if "volume" in d.features and intent == "mute":
            return Command(d.id, "set_volume", 0, "%")
        raise _refuse(d, intent)
    if intent == "start":
        if t == "vacuum":
            return Command(d.id, "start")
        if t == "scene":
            return Command(d.id, "activate")
        if t == "media_player":
            return Command(d.id, "play")
        if t in SWITCHABLE:
            return Command(d.id, "turn_on")
        raise _refuse(d, "start")
    if intent == "dock":
        if t != "vacuum":
            raise _refuse(d, "dock")
        return Command(d.id, "dock")
    if intent in ("arm_away", "arm_home", "arm_night", "disarm"):
        if t != "alarm_control_panel":
            raise _refuse(d, intent.replace("_", " "))
        if intent != "disarm":
            _need(d, intent, intent.replace("_", " "))
        return Command(d.id, intent)
    raise CommandRefused(f"I don't know how to {intent.replace('_', ' ')}.")
