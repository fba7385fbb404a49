"""Unit conversions and the payload template language of devices/<type>.yaml.

A payload template is YAML data: a topic string, and either a text payload or a JSON tree.
Strings may hold placeholders ``{name}`` or ``{name|filter|filter...}``:

- names: ``topic`` (the device's configured topic), ``index`` (Tasmota relay/shutter
  number, empty when unset), ``value`` (the command's checked value), ``unit`` (``C`` or
  ``F``, the device's temperature unit), ``action``.
- a JSON leaf that is exactly one placeholder keeps the filter's type (number, bool,
  object); placeholders inside longer strings are formatted as text.
- filters are the functions in :data:`FILTERS`, applied left to right.

Sources of the formats the filters produce:
- zigbee2mqtt brightness 0–254, color_temp in mireds, color ``{"hex": "#rrggbb"}``:
  https://www.zigbee2mqtt.io/guide/usage/exposes.html (light).
- Tasmota ``Dimmer`` 0–100, ``CT`` 153–500 mireds, ``Color2`` ``r,g,b``, ``FanSpeed`` 0–3:
  https://tasmota.github.io/docs/Commands/#light
- Home Assistant MQTT light brightness 0–255 (``brightness_scale``), ``rgb`` as ``r,g,b``,
  siren/media ``volume_level`` 0–1: https://www.home-assistant.io/integrations/light.mqtt/
- Home Assistant payloads from an entity's discovery config (the ``ha_*`` filters and the
  placeholders named after its keys, e.g. ``{command_topic}``, ``{payload_lock}``): each
  filter follows what Home Assistant 2024.3's MQTT platform computes from a service call, so
  the hub sends what Home Assistant itself would (its light service turns ``brightness_pct``
  into ``round(pct * 255 / 100)`` first; climate temperatures go out as Python floats, ``21.0``).
"""

from __future__ import annotations

import colorsys
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

MIREDS_PER_KELVIN = 1_000_000
TASMOTA_CT_RANGE = (153, 500)
"""Mireds Tasmota's ``CT`` accepts (6536 K .. 2000 K)."""


class TemplateError(ValueError):
    """A template cannot be rendered for this device (e.g. it needs an index the device lacks)."""


@dataclass(frozen=True)
class Rgb:
    """A colour as 8-bit sRGB channels."""

    r: int
    g: int
    b: int

    @classmethod
    def from_hex(cls, text: str) -> Rgb:
        """``"#rrggbb"`` -> Rgb. Raises ValueError on anything else."""
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", text):
            raise ValueError(f"expected #rrggbb, got {text!r}")
        return cls(int(text[1:3], 16), int(text[3:5], 16), int(text[5:7], 16))

    def full(self) -> Rgb:
        """Same hue and saturation at full value: a light's brightness is set apart from its colour
        (as Home Assistant does when it turns a colour name into hue/saturation)."""
        m = max(self.r, self.g, self.b)
        if m == 0:
            return Rgb(0, 0, 0)
        return Rgb(*(round(c * 255 / m) for c in (self.r, self.g, self.b)))

    def hex(self) -> str:
        return f"#{self.r:02x}{self.g:02x}{self.b:02x}"

    def xy(self) -> tuple[float, float]:
        """CIE 1931 chromaticity of the sRGB colour (IEC 61966-2-1 transfer, D65 matrix)."""
        def lin(c: float) -> float:
            c /= 255
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = lin(self.r), lin(self.g), lin(self.b)
        x = 0.4124 * r + 0.3576 * g + 0.1805 * b
        y = 0.2126 * r + 0.7152 * g + 0.0722 * b
        z = 0.0193 * r + 0.1192 * g + 0.9505 * b
        total = x + y + z
        if total == 0:
            return 0.3127, 0.329  # black has no chromaticity: use the D65 white point
        return round(x / total, 4), round(y / total, 4)


# ----------------------------------------------------------------- conversions


def pct_to_scale(pct: float, top: int) -> int:
    """0–100 % -> 0..top, rounded (zigbee2mqtt brightness top=254, Home Assistant top=255)."""
    return max(0, min(top, round(pct * top / 100)))


def kelvin_to_mired(kelvin: float) -> int:
    """Colour temperature K -> mireds (1e6 / K), rounded."""
    return round(MIREDS_PER_KELVIN / kelvin)


def c_to_f(c: float) -> float:
    return c * 9 / 5 + 32


def f_to_c(f: float) -> float:
    return (f - 32) * 5 / 9


def tidy(x: float, step: float = 0.0) -> int | float:
    """Round to ``step`` (if any) and give an int when whole, so payloads read ``21`` not ``21.0``."""
    if step:
        x = round(x / step) * step
    x = round(x, 3)
    return int(x) if float(x).is_integer() else x


def level(pct: float, names: list[str]) -> str:
    """0–100 % -> one of ``names`` (first = 0 %, the rest share 1–100 % evenly).

    e.g. names [off, low, medium, high]: 0 -> off, 1–33 -> low, 34–66 -> medium, 67–100 -> high.
    """
    if pct <= 0:
        return names[0]
    steps = len(names) - 1
    return names[min(steps, max(1, -(-round(pct) * steps // 100)))]


# --------------------------------------------------------------------- filters


@dataclass(frozen=True)
class RenderContext:
    """What a template may refer to."""

    topic: str
    index: int | None
    temperature_unit: str
    action: str
    value: Any = None
    values: Mapping[str, Any] | None = None
    """The payload's own enum map (``values:`` in YAML), used by the ``map`` filter."""
    entity: Mapping[str, Any] | None = None
    """homeassistant: the entity's merged discovery config (hub.hass.entity.entity_config);
    its keys are placeholders (``{command_topic}``) and the ``ha_*`` filters read it."""


def _number(v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise TemplateError(f"expected a number, got {v!r}")
    return v


def _rgb(v: Any) -> Rgb:
    if not isinstance(v, Rgb):
        raise TemplateError(f"expected a colour, got {v!r}")
    return v.full()


def _map(v: Any, ctx: RenderContext) -> Any:
    if ctx.values is None or v not in ctx.values:
        raise TemplateError(f"{v} has no payload there")
    return ctx.values[v]


def _temp(v: Any, ctx: RenderContext) -> int | float:
    """°C -> the device's unit, rounded to 0.5 °C or 1 °F."""
    c = _number(v)
    return tidy(c_to_f(c), 1) if ctx.temperature_unit == "F" else tidy(c, 0.5)


def _temp_delta(v: Any, ctx: RenderContext) -> int | float:
    """A temperature difference in °C -> the device's unit."""
    d = _number(v)
    return tidy(d * 9 / 5, 1) if ctx.temperature_unit == "F" else tidy(d, 0.5)


def _ha(ctx: RenderContext, key: str) -> Any:
    v = (ctx.entity or {}).get(key)
    if v is None:
        raise TemplateError(f"its discovery config has no {key}")
    return v


def _ha_brightness_255(v: Any) -> int:
    """% -> Home Assistant's 0–255 brightness, as its light service converts brightness_pct."""
    return round(_number(v) * 255 / 100)


def _ha_brightness(v: Any, ctx: RenderContext) -> int:
    """% -> the device's brightness_scale, default schema: min(round(b/255*scale), scale), at least 1."""
    scale = _ha(ctx, "brightness_scale")
    return max(1, min(scale, round(_ha_brightness_255(v) / 255 * scale)))


def _ha_brightness_json(v: Any, ctx: RenderContext) -> int:
    """% -> the device's brightness_scale, json schema: max(round(b * scale / 255), 1). A json
    light takes brightness only with ``brightness: true`` (Home Assistant's default is false)."""
    if not (ctx.entity or {}).get("brightness"):
        raise TemplateError("its discovery config does not say brightness: true")
    return max(1, round(_ha_brightness_255(v) * _ha(ctx, "brightness_scale") / 255))


def _ha_color_temp(v: Any, ctx: RenderContext) -> int:
    """K -> mireds (floor of 1e6/K, HA's color_temperature_kelvin_to_mired) within min/max_mireds,
    or kelvin within min/max_kelvin when the entity has ``color_temp_kelvin: true``."""
    kelvin = _number(v)
    if (ctx.entity or {}).get("color_temp_kelvin"):
        return int(max(_ha(ctx, "min_kelvin"), min(_ha(ctx, "max_kelvin"), round(kelvin))))
    mired = math.floor(MIREDS_PER_KELVIN / kelvin)
    return max(_ha(ctx, "min_mireds"), min(_ha(ctx, "max_mireds"), mired))


def _ha_float(v: Any, ctx: RenderContext) -> str:
    """°C -> the device's unit as Home Assistant prints a float: ``21.0``, ``21.5``, ``70.0``."""
    return str(float(_temp(v, ctx)))


def _ha_ranged(low_key: str, high_key: str) -> Callable[[Any, RenderContext], int]:
    """% -> the entity's own range, as Home Assistant 2024.3's cover and valve compute it:
    round(percentage_to_ranged_value((low + 1, high), pct)) = round((high - low) * pct / 100)."""
    def convert(v: Any, ctx: RenderContext) -> int:
        low, high = _ha(ctx, low_key), _ha(ctx, high_key)
        return round((high - low) * _number(v) / 100)
    return convert


def _ha_percentage(v: Any, ctx: RenderContext) -> int:
    """% -> a fan's speed range: ceil(percentage_to_ranged_value((min, max), pct))."""
    low, high = _ha(ctx, "speed_range_min"), _ha(ctx, "speed_range_max")
    return math.ceil((high - low + 1) * _number(v) / 100)


def _ha_hvac_mode(action: Any, ctx: RenderContext) -> str:
    """turn_on/turn_off of a climate without a power topic -> the mode Home Assistant's climate
    entity falls back to: off; on: the other mode of an off/one-mode pair, else the first of
    heat_cool, heat, cool it has."""
    modes = list(_ha(ctx, "modes"))
    wanted: tuple[str, ...] = ("off",)
    if action != "turn_off":
        pair = len(modes) == 2 and "off" in modes
        wanted = tuple(m for m in modes if m != "off") if pair else ("heat_cool", "heat", "cool")
    for mode in wanted:
        if mode in modes:
            return mode
    raise TemplateError(f"its modes ({', '.join(modes)}) have none of {', '.join(wanted)}")


def _ha_json_color(v: Any, ctx: RenderContext) -> dict:
    """A colour as a json-schema light takes it, by its supported_color_modes: ``{"r","g","b"}``
    (rgb, rgbw, rgbww or none listed), else ``{"h","s"}`` (hs, degrees and %), else ``{"x","y"}``."""
    rgb = _rgb(v)
    modes = set((ctx.entity or {}).get("supported_color_modes") or ())
    if not modes or modes & {"rgb", "rgbw", "rgbww"}:
        return {"r": rgb.r, "g": rgb.g, "b": rgb.b}
    if "hs" in modes:
        h, s, _ = colorsys.rgb_to_hsv(rgb.r / 255, rgb.g / 255, rgb.b / 255)
        return {"h": round(h * 360, 3), "s": round(s * 100, 3)}
    if "xy" in modes:
        return dict(zip(("x", "y"), rgb.xy()))
    raise TemplateError(f"its colour modes ({', '.join(sorted(modes))}) take no colour")


FILTERS: dict[str, Callable[[Any, RenderContext], Any]] = {
    "pct254": lambda v, c: pct_to_scale(_number(v), 254),  # % -> zigbee2mqtt brightness
    "pct255": lambda v, c: pct_to_scale(_number(v), 255),  # % -> Home Assistant brightness
    "fraction": lambda v, c: tidy(_number(v) / 100),  # % -> 0..1 (HA volume_level)
    "neg": lambda v, c: -_number(v),
    "int": lambda v, c: round(_number(v)),
    "mired": lambda v, c: kelvin_to_mired(_number(v)),
    "tasmota_ct": lambda v, c: max(TASMOTA_CT_RANGE[0], min(TASMOTA_CT_RANGE[1], kelvin_to_mired(_number(v)))),
    "tilt90": lambda v, c: round(_number(v) * 1.8 - 90),  # % -> Tasmota ShutterTilt -90..90
    "hex": lambda v, c: _rgb(v).hex(),  # "#rrggbb"
    "rgb_csv": lambda v, c: "{0.r},{0.g},{0.b}".format(_rgb(v)),  # "r,g,b" (HA rgb_command_topic)
    "xy": lambda v, c: dict(zip(("x", "y"), _rgb(v).xy())),  # {"x": .., "y": ..} (zigbee2mqtt color)
    "temp": _temp,
    "temp_delta": _temp_delta,
    "map": _map,
    "fan3": lambda v, c: level(_number(v), ["off", "low", "medium", "high"]),  # ZCL fan_mode
    "fanspeed3": lambda v, c: int(level(_number(v), ["0", "1", "2", "3"])),  # Tasmota FanSpeed
    "siren_level": lambda v, c: level(_number(v), ["low", "low", "medium", "high", "very_high"]),
    "vacuum_fan": lambda v, c: level(_number(v), ["low", "low", "medium", "high", "max"]),
    "ha_brightness": _ha_brightness,
    "ha_brightness_json": _ha_brightness_json,
    "ha_color_temp": _ha_color_temp,
    "ha_float": _ha_float,
    "ha_position": _ha_ranged("position_closed", "position_open"),
    "ha_tilt": _ha_ranged("tilt_min", "tilt_max"),
    "ha_percentage": _ha_percentage,
    "ha_hvac_mode": _ha_hvac_mode,
    "ha_json_color": _ha_json_color,
}
"""Template filters: value -> what a protocol expects. Numbers arrive in the catalog's units
(%, K, °C, s); colours as :class:`Rgb`; enums as the catalog's value."""

_PLACEHOLDER = re.compile(r"\{(\w+)((?:\|\w+)*)\}")


def placeholders(text: str) -> list[tuple[str, list[str]]]:
    """Every ``{name|f|g}`` in ``text`` as (name, [filters]); for catalog validation."""
    return [(m.group(1), [f for f in m.group(2).split("|") if f]) for m in _PLACEHOLDER.finditer(text)]


NAMES = ("topic", "index", "value", "unit", "action")


def _resolve(name: str, filters: list[str], ctx: RenderContext) -> Any:
    if name == "index":
        v: Any = ctx.index
        if v is None:
            if filters == ["required"]:
                raise TemplateError("it needs its scene number as index in config.yaml")
            return ""
        filters = [f for f in filters if f != "required"]
    elif name == "unit":
        v = ctx.temperature_unit
    elif name in NAMES:
        v = getattr(ctx, name)
    else:
        v = _ha(ctx, name)
    for f in filters:
        v = FILTERS[f](v, ctx)
    return v


def _text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return v if isinstance(v, str) else json.dumps(v)


def render_string(text: str, ctx: RenderContext, *, typed: bool = False) -> Any:
    """Fill the placeholders of ``text``. With ``typed``, a string that is one placeholder
    returns the filter's value itself (for JSON leaves). Raises TemplateError."""
    m = _PLACEHOLDER.fullmatch(text)
    if typed and m:
        return _resolve(m.group(1), [f for f in m.group(2).split("|") if f], ctx)
    return _PLACEHOLDER.sub(
        lambda mm: _text(_resolve(mm.group(1), [f for f in mm.group(2).split("|") if f], ctx)), text)


def render_tree(tree: Any, ctx: RenderContext) -> Any:
    """Fill every placeholder of a JSON template tree (dicts, lists, strings, numbers)."""
    if isinstance(tree, str):
        return render_string(tree, ctx, typed=True)
    if isinstance(tree, dict):
        return {render_string(k, ctx): render_tree(v, ctx) for k, v in tree.items()}
    if isinstance(tree, list):
        return [render_tree(v, ctx) for v in tree]
    return tree


def dump_json(tree: Any) -> bytes:
    """Compact JSON as sent on the wire (``{"state":"ON"}``), UTF-8."""
    return json.dumps(tree, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
