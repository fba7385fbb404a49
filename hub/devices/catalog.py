"""The device command catalog: devices/<type>.yaml, loaded and validated once.

Each file describes one device type of devices/types.yaml: what to say when a device lacks a
feature, and its commands. A command has an action name (``turn_on``, ``set_brightness``, ``lock``, ...),
a parameter (kind, unit, range, step, enum values), the features it needs, and a payload
template per protocol that supports it (see :mod:`hub.devices.payloads` for the template
language). devices/colors.yaml holds the colour names ``set_color`` accepts.

Relative commands read the state store's snapshot of a device under these keys (set by each
``relative.state`` in the YAML): ``brightness``, ``position``, ``tilt``, ``volume``, ``fan_speed``,
``target_humidity`` (%), ``color_temp`` (K), ``target_temperature`` (°C), ``media_position`` (s);
toggles read ``state`` (``on``/``off``, ``open``/``closed``, ``playing``/``paused``/``idle``).

Problems are reported together as ``file:line path: message`` in a :class:`ConfigError`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hub.config import Protocol, load_device_types
from hub.devices import payloads
from hub.errors import ConfigError
from hub.hass.entity import entity_keys
from hub.yamlcheck import LineMap, fmt_path, parse_yaml, validate

DEVICES_DIR = Path(__file__).resolve().parent.parent.parent / "devices"
PROTOCOLS: tuple[str, ...] = get_args(Protocol)
DEFAULT_TOPIC = {
    "zigbee2mqtt": "{topic}/set",
    "tasmota": "cmnd/{topic}/{cmnd}",
    "generic": "{topic}/set",
    "homeassistant": "{topic}/set",
}
"""Topic of a payload that names none; the layouts are described in :mod:`hub.devices.router`."""
Dialect = Literal["zigbee2mqtt", "tasmota", "generic", "homeassistant", "homeassistant_json"]
"""A payload key: a protocol, or ``homeassistant_json`` for a Home Assistant light of schema json
(one JSON command on command_topic) when it differs from the default schema's."""

Kind = Literal["none", "percent", "number", "kelvin", "enum", "string", "color"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Parameter(_Strict):
    """What value a command takes. Numbers are in ``unit``: ``%``, ``°C``, ``K``, ``s``, ``°``."""

    kind: Kind = "none"
    label: str = "value"
    """How a person names the value ("brightness", "temperature"), for replies."""
    unit: str | None = None
    range: tuple[float, float] | None = None
    """Values outside are clamped to it (in ``unit``)."""
    step: float | None = None
    """Numbers are rounded to a multiple of this."""
    values: tuple[str, ...] = ()
    """enum: the accepted values (lower case, ``_`` for spaces)."""
    aliases: dict[str, str] = {}
    """enum: other words for a value, e.g. ``heating: heat``."""
    optional: bool = False
    default: float | str | None = None
    """Used when an optional value is not given."""
    device_range: bool = False
    """Clamp also to the device's own min_value/max_value (its unit for temperatures)."""

    @model_validator(mode="after")
    def _check(self) -> Parameter:
        if self.kind == "enum" and not self.values:
            raise ValueError("an enum parameter needs values")
        if self.kind != "enum" and (self.values or self.aliases):
            raise ValueError("values/aliases are only for kind enum")
        if self.range is not None and self.range[0] > self.range[1]:
            raise ValueError(f"range {list(self.range)} is reversed")
        if self.kind == "percent" and self.range is None:
            object.__setattr__(self, "range", (0.0, 100.0))
        for a, v in self.aliases.items():
            if v not in self.values:
                raise ValueError(f"alias {a!r} points to {v!r}, which is not one of the values")
        if self.optional and self.kind != "none" and self.default is None:
            raise ValueError("an optional parameter needs a default")
        return self


class Redirect(_Strict):
    """homeassistant: another command of the type sent instead when the entity's ``key`` is
    ``equals`` (a light with ``on_command_type: brightness`` is turned on by its brightness)."""

    key: str
    equals: Any
    to: str
    """The action sent instead."""
    state: str | None = None
    """Its value: this key of the device's known state, else ``default``."""
    default: float | None = None


class Payload(_Strict):
    """One MQTT message: a topic template and a JSON or text payload template."""

    topic: str | None = None
    """Default: DEFAULT_TOPIC of the protocol."""
    cmnd: str | None = None
    """Tasmota command name (``POWER{index}``, ``Dimmer``): the topic is ``cmnd/<topic>/<cmnd>``."""
    json_: Any = Field(None, alias="json")
    text: str | None = None
    values: dict[str, Any] | None = None
    """Enum value -> what this protocol calls it (the ``map`` filter)."""
    template: str | None = None
    """homeassistant: the entity's command template applied to the rendered text (e.g.
    ``brightness_command_template``), as Home Assistant applies it to the value."""
    choices: str | None = None
    """homeassistant: the entity key listing the values it accepts (``modes``, ``preset_modes``);
    a value outside is refused when the entity lists them."""
    turns_on: bool = False
    """homeassistant light (default schema): Home Assistant also sends ``payload_on`` to
    ``command_topic`` after (``on_command_type: last``) or before (``first``) this message."""
    at_zero: str | None = None
    """homeassistant: the action sent instead for a value of 0 (Home Assistant turns a light
    off for brightness 0)."""
    redirect: Redirect | None = None
    fallback: Payload | None = None
    """homeassistant: sent instead when this one names an entity key the entity lacks (a climate
    without ``power_command_topic`` is turned on through its mode)."""

    @model_validator(mode="after")
    def _one_body(self) -> Payload:
        if (self.json_ is None) == (self.text is None):
            raise ValueError("give exactly one of json or text")
        return self


class Relative(_Strict):
    """A step relative to the current state: routed as the absolute command ``to`` when the
    state store knows ``state``; else the command's own payloads (a device-side step)."""

    to: str
    state: str
    """State key, in the unit of ``to``'s parameter (brightness %, target_temperature °C...)."""
    sign: Literal[1, -1]
    scale: dict[Dialect, int] = {}
    """Dialects that hold the value in whole units of 0..N (Home Assistant's light brightness
    0–255): the current value and the step are each rounded to those units before they are added
    and the sum kept within 0..N, as that side computes it (brightness_step_pct 10 is 26 of 255)."""
    from_off: dict[Dialect, float] = {}
    """Dialects whose step starts from this value while the device is off (``power`` false in its
    state), whatever it last reported: Home Assistant steps an off light's brightness from 0."""


class Flip(_Strict):
    """Toggle from the known state when a protocol has no toggle payload: state value -> action."""

    state: str = "state"
    to: dict[str, str]


class CommandSpec(_Strict):
    """One catalog command: device type x action."""

    description: str
    parameter: Parameter = Parameter()
    features: tuple[str, ...] = ()
    """All of these are needed."""
    query: bool = False
    """Answered from the state store: nothing is published."""
    relative: Relative | None = None
    flip: Flip | None = None
    white_via: str | None = None
    """set_color only: a white colour name on a device without colour goes to this action."""
    confirm: bool | tuple[str, ...] = False
    """Security-sensitive: ask for a spoken yes first. A list: only for these device classes
    (or a device whose name contains one of them), e.g. [garage, gate]."""
    payloads: dict[Dialect, Payload] = {}

    action: str = ""
    type: str = ""

    def payload(self, protocol: str) -> Payload | None:
        """The payload of a protocol or dialect; ``homeassistant_json`` falls back to
        ``homeassistant`` (most commands are alike for both light schemas)."""
        found = self.payloads.get(protocol)  # type: ignore[call-overload]
        if found is None and protocol == "homeassistant_json":
            return self.payloads.get("homeassistant")
        return found


class TypeSpec(_Strict):
    """devices/<type>.yaml."""

    type: str
    description: str
    features: dict[str, str] = {}
    """Feature -> what is missing when a device lacks it, e.g. ``color: can't change colour``."""
    commands: dict[str, CommandSpec]


class White(_Strict):
    kelvin: int = Field(ge=1000, le=10000)
    hex: str


class ColorTable(_Strict):
    """devices/colors.yaml: colour names -> #rrggbb, and whites -> kelvin (+ an RGB stand-in)."""

    colors: dict[str, str]
    whites: dict[str, White]


class Catalog:
    """Every device type's commands. Build with :meth:`load`."""

    def __init__(self, types: dict[str, TypeSpec], colors: ColorTable, source: Path):
        self.types = types
        self.colors = colors
        self.source = source

    @classmethod
    def load(cls, directory: str | Path = DEVICES_DIR) -> Catalog:
        """Read devices/types.yaml, every devices/<type>.yaml it names, and devices/colors.yaml.

        Raises :class:`ConfigError` listing every problem as ``file:line path: message``
        (a missing type file, unknown keys, bad kinds, features the type cannot have, a relative
        command pointing nowhere, an unknown template placeholder or filter).
        """
        directory = Path(directory)
        feature_sets = load_device_types(directory / "types.yaml")
        problems: list[str] = []
        types: dict[str, TypeSpec] = {}
        for type_name, allowed in feature_sets.items():
            path = directory / f"{type_name}.yaml"
            spec, lines = _load_model(path, TypeSpec, problems)
            if spec is None:
                continue
            n = len(problems)
            problems += _check_type(spec, type_name, allowed, path, lines)
            if len(problems) == n:
                commands = {a: c.model_copy(update={"action": a, "type": type_name})
                            for a, c in spec.commands.items()}
                types[type_name] = spec.model_copy(update={"commands": commands})
        colors, _ = _load_model(directory / "colors.yaml", ColorTable, problems)
        if colors is not None:
            problems += _check_colors(colors, directory / "colors.yaml")
        if problems:
            raise ConfigError(problems)
        return cls(types, colors, directory)

    def commands(self, device_type: str) -> list[CommandSpec]:
        """The commands of a type, in file order. Raises KeyError for an unknown type."""
        return list(self.types[device_type].commands.values())

    def get(self, device_type: str, action: str) -> CommandSpec | None:
        """The command, or None when the type has no such action."""
        t = self.types.get(device_type)
        return t.commands.get(action) if t else None

    def count(self) -> int:
        """Distinct commands: device type x action."""
        return sum(len(t.commands) for t in self.types.values())

    def table(self) -> list[dict[str, Any]]:
        """One row per command for ``hub commands [--json]``: ``{type, action, parameter, features,
        protocols, with_known_state, description}``; ``with_known_state`` lists protocols that carry
        the command only when the state store knows the device's state (a relative step sent as an
        absolute value, a toggle sent as on or off)."""
        rows = []
        for t in self.types.values():
            for c in t.commands.values():
                rows.append({
                    "type": t.type,
                    "action": c.action,
                    "parameter": describe_parameter(c.parameter),
                    "features": list(c.features),
                    "protocols": "query (state store)" if c.query else [p for p in PROTOCOLS if p in c.payloads],
                    "with_known_state": [p for p in PROTOCOLS if p not in c.payloads and self._via_state(t, c, p)],
                    "description": c.description,
                })
        return rows

    @staticmethod
    def _via_state(t: TypeSpec, c: CommandSpec, protocol: str) -> bool:
        """Whether a protocol without its own payload can still carry ``c`` once the state is known."""
        targets = [c.relative.to] if c.relative else list(c.flip.to.values()) if c.flip else []
        return bool(targets) and all(t.commands[a].payload(protocol) is not None for a in targets)

    def render_table(self) -> str:
        """Plain-text table of :meth:`table`, ending with the count line."""
        rows = self.table()
        lines = []
        for r in rows:
            protos = r["protocols"] if isinstance(r["protocols"], str) else ",".join(
                r["protocols"] + [f"{p}*" for p in r["with_known_state"]])
            feats = ",".join(r["features"]) or "-"
            lines.append(f"{r['type']:<20} {r['action']:<24} {r['parameter']:<44} {feats:<22} {protos}")
        header = f"{'TYPE':<20} {'ACTION':<24} {'PARAMETER':<44} {'FEATURES':<22} PROTOCOLS"
        return "\n".join([header, *lines, "* with the device's state known",
                          f"{self.count()} commands over {len(self.types)} device types"])

    def color(self, name: str) -> payloads.Rgb | None:
        """A colour name (any case, spaces or underscores) -> its RGB, or None if unknown."""
        key = normalize_word(name).replace("_", " ")
        if key in self.colors.colors:
            return payloads.Rgb.from_hex(self.colors.colors[key])
        if key in self.colors.whites:
            return payloads.Rgb.from_hex(self.colors.whites[key].hex)
        return None

    def white_kelvin(self, name: str) -> int | None:
        """Colour temperature of a white's name ("warm white" -> 2700), else None."""
        w = self.colors.whites.get(normalize_word(name).replace("_", " "))
        return w.kelvin if w else None


def normalize_word(text: str) -> str:
    """Lower case, single spaces, as enum values and colour names are compared."""
    return " ".join(str(text).lower().replace("-", " ").split())


def describe_parameter(p: Parameter) -> str:
    """e.g. ``percent 0–100 %``, ``enum heat|cool|auto``, ``kelvin 2000–6500 K (optional, 500)``."""
    if p.kind == "none":
        return "-"
    out = p.kind
    if p.kind == "enum":
        out += " " + "|".join(p.values)
    elif p.range is not None:
        lo, hi = (payloads.tidy(x) for x in p.range)
        out += f" {lo}–{hi}" + (f" {p.unit}" if p.unit else "")
    elif p.unit:
        out += f" {p.unit}"
    if p.optional:
        default = payloads.tidy(p.default) if isinstance(p.default, (int, float)) else p.default
        out += f" (optional, default {default})"
    return out


@cache
def default_catalog() -> Catalog:
    """The catalog of this repository's devices/ folder, loaded once per process."""
    return Catalog.load()


# ------------------------------------------------------------------ loading


def _load_model(path: Path, model: type[BaseModel], problems: list[str]) -> tuple[Any, LineMap]:
    """Parse and validate one file; on failure append problems and return (None, lines)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        problems.append(f"{path}: cannot read: {e.strerror or e}")
        return None, LineMap()
    data, found = parse_yaml(text, str(path))
    obj = validate(model, data, found) if data is not None else None
    problems += found.messages()
    return (obj if not found else None), found.lines


def _check_type(spec: TypeSpec, type_name: str, allowed: frozenset[str], path: Path, lines: LineMap) -> list[str]:
    """Cross-field checks one model cannot do alone."""
    out: list[str] = []

    def add(loc: tuple, msg: str) -> None:
        out.append(f"{path}:{lines.line(loc) or '?'} {fmt_path(loc)}: {msg}")

    if spec.type != type_name:
        add(("type",), f"file is for type {type_name!r}, says {spec.type!r}")
    for f in spec.features:
        if f not in allowed:
            add(("features", f), f"{type_name} has no feature {f!r} in types.yaml")
    for action, c in spec.commands.items():
        at = ("commands", action)
        for f in c.features:
            if f not in allowed:
                add(at + ("features",), f"{type_name} has no feature {f!r} in types.yaml")
            elif f not in spec.features:
                add(at + ("features",), f"feature {f!r} needs a refusal phrase under features:")
        if c.query and c.payloads:
            add(at + ("payloads",), "a query command publishes nothing; remove its payloads")
        if not c.query and not c.payloads and c.relative is None and c.flip is None:
            add(at, "no payloads: no protocol could carry it")
        redirects = [(pl.redirect.to, "redirect.to") for pl in c.payloads.values() if pl.redirect is not None]
        for ref, what in (*redirects, (c.relative.to if c.relative else None, "relative.to"),
                          (c.white_via, "white_via"), *((a, "flip.to") for a in (c.flip.to.values() if c.flip else ()))):
            if ref is not None and ref not in spec.commands:
                add(at, f"{what} {ref!r} is not a command of {type_name}")
        p = c.parameter
        if p.default is not None and p.range is not None and isinstance(p.default, (int, float)):
            if not p.range[0] <= p.default <= p.range[1]:
                add(at + ("parameter", "default"), f"default {p.default} is outside range {list(p.range)}")
        for proto, pl in c.payloads.items():
            out += [f"{path}:{lines.line(at + ('payloads', proto)) or '?'} {fmt_path(at + ('payloads', proto))}: {m}"
                    for m in _check_payload(proto, pl, p)]
    return out


def _check_payload(proto: str, pl: Payload, p: Parameter) -> list[str]:
    out = []
    ha = proto.startswith("homeassistant")
    if not ha and (pl.template or pl.choices or pl.turns_on or pl.fallback or pl.at_zero or pl.redirect):
        out.append("template, choices, turns_on, at_zero, redirect and fallback are only for homeassistant payloads")
    if pl.redirect is not None and pl.redirect.key not in entity_keys():
        out.append(f"redirect.key {pl.redirect.key!r} is not a discovery-config key")
    for key in (pl.template, pl.choices):
        if key is not None and key not in entity_keys():
            out.append(f"{key!r} is not a discovery-config key (hub/hass/entity.py)")
    if pl.fallback is not None:
        out += _check_payload(proto, pl.fallback, p)
    if proto == "tasmota" and pl.topic is None and pl.cmnd is None:
        out.append("a tasmota payload needs cmnd (or topic)")
    if proto != "tasmota" and pl.cmnd is not None:
        out.append("cmnd is only for tasmota")
    strings: list[str] = []

    def collect(tree: Any) -> None:
        if isinstance(tree, str):
            strings.append(tree)
        elif isinstance(tree, dict):
            for k, v in tree.items():
                strings.append(str(k))
                collect(v)
        elif isinstance(tree, list):
            for v in tree:
                collect(v)

    collect([pl.topic or "", pl.cmnd or "", pl.json_, pl.text])
    unknown = [v for v in (pl.values or {}) if v not in p.values]
    if unknown:
        out.append(f"values: {', '.join(unknown)} not among the parameter's values")
    for s in strings:
        for name, filters in payloads.placeholders(s):
            if name not in payloads.NAMES and not (ha and name in entity_keys()):
                out.append(f"unknown placeholder {{{name}}} in {s!r}")
            if name == "value" and p.kind == "none":
                out.append(f"{{value}} used but the command takes no value: {s!r}")
            for f in filters:
                if f not in payloads.FILTERS and not (name == "index" and f == "required"):
                    out.append(f"unknown filter {f!r} in {s!r}")
                if f == "map" and not pl.values:
                    out.append("the map filter needs values:")
    return out


def _check_colors(colors: ColorTable, path: Path) -> list[str]:
    out = []
    for name, hx in [*colors.colors.items(), *((n, w.hex) for n, w in colors.whites.items())]:
        try:
            payloads.Rgb.from_hex(hx)
        except ValueError as e:
            out.append(f"{path}: {name}: {e}")
        if name != normalize_word(name):
            out.append(f"{path}: {name!r}: write names in lower case with single spaces")
    return out
