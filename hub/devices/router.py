"""Command -> the exact MQTT messages its device expects, or a refusal with a reason.

The router knows no device type or protocol by itself: what a command needs and sends is in the
catalog (devices/<type>.yaml). It checks, in order: the device exists; its type has the action;
the device has the features the action needs; the value fits the parameter (a number for a
number, a known colour, one of an enum's values); the device's protocol has a payload. Only then
does it convert units and clamp, and render the payload. A refused command raises
:class:`CommandRefused` and nothing is published.

Topic layouts (``topic`` is the device's ``topic`` in config.yaml):

- zigbee2mqtt: ``<topic>/set`` (``topic`` = ``<base>/<friendly_name>``) with JSON, ``<topic>/get``
  for reads (https://www.zigbee2mqtt.io/guide/usage/mqtt_topics_and_messages.html).
- tasmota: ``cmnd/<topic>/<Command>`` with the command's parameter as text; ``POWER<index>`` when
  the device has an ``index`` (https://tasmota.github.io/docs/Commands/#with-mqtt).
- homeassistant: the device is an entity of Home Assistant's MQTT integration. Its topics,
  payloads, scales and command templates come from its discovery config (``entity:``, see
  :mod:`hub.hass.entity`), else from the conventional layout ``<topic>/set`` and
  ``<topic>/<field>/set`` with Home Assistant's defaults (devices/homeassistant.yaml). A command
  whose topic or payload the entity does not declare is refused, never sent somewhere nobody
  listens. A light of ``schema: json`` takes the ``homeassistant_json`` payloads.
- generic: ``<topic>/set`` with JSON ``{"action": <action>}``, plus ``"value"`` for a command that
  takes one (percent 0–100, kelvin, seconds, a temperature in the device's unit, a colour as
  ``#rrggbb``, an enum or a name) and ``"unit"`` (``%``, ``K``, ``s``, ``°``, ``C``/``F``).
  State is read from ``<topic>/state``.

Messages are QoS 1, not retained: a command must arrive once, and never be replayed to a device
that reconnects later.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from hub.config import Config, Device
from hub.devices import payloads
from hub.devices.catalog import DEFAULT_TOPIC, Catalog, CommandSpec, Parameter, Payload, default_catalog, normalize_word
from hub.devices.payloads import RenderContext, Rgb, TemplateError
from hub.errors import CommandRefused
from hub.hass.entity import COMMAND_TEMPLATE_VARIABLES, entity_config
from hub.hass.template import Template, TemplateRenderError
from hub.reply.responses import load_responses
from hub.types import Command, MqttMessage

FAHRENHEIT = {"f", "°f", "fahrenheit", "degrees fahrenheit"}


def _words(action: str) -> str:
    return action.replace("_", " ")


class Router:
    """Turns :class:`Command` s into MQTT messages for the devices of ``config``.

    ``catalog`` defaults to this repository's devices/ catalog. Stateless apart from these two
    (and the entities' discovery configs, read once from ``config``): safe to share between threads.
    """

    def __init__(self, config: Config, catalog: Catalog | None = None):
        self.config = config
        self.catalog = catalog or default_catalog()
        self.said = load_responses(config.hub.language)
        """The refusals' sentences (responses.yaml ``route``)."""
        self._entities = {d.id: entity_config(d.type, d.topic, d.entity)
                          for d in config.devices if d.protocol == "homeassistant"}
        """Each homeassistant device's merged discovery config, read once."""

    def route(self, cmd: Command, state: Mapping[str, Any] | None = None) -> list[MqttMessage]:
        """The messages that carry out ``cmd``: usually one; ``[]`` for a query.

        ``state`` is the device's last known state from the state store, e.g.
        ``{"state": "on", "brightness": 40}`` (brightness/position/volume/fan_speed/
        target_humidity in %, color_temp in K, target_temperature in °C), or None if unknown. It
        makes relative commands (brightness_up, temperature_down...) exact, and toggles possible
        where a protocol has no toggle payload.

        Raises :class:`CommandRefused` with a short sentence for the speaker: unknown device,
        action not in the type's catalog, missing feature, missing or wrong value, no payload on
        the device's protocol, or state needed but unknown.
        """
        device = self.config.device_by_id.get(cmd.device)
        if device is None:
            raise CommandRefused(self.said.unknown_device.format(name=cmd.device))
        spec = self._spec(device, cmd.action)
        if spec.query:
            return []
        if spec.white_via and not device.has("color") and isinstance(cmd.value, str):
            kelvin = self.catalog.white_kelvin(cmd.value)
            via = self.catalog.get(device.type, spec.white_via)
            if kelvin is not None and via is not None and all(device.has(f) for f in via.features):
                return self.route(Command(cmd.device, spec.white_via, kelvin, "K"), state)
        self._check_features(device, spec)
        if spec.flip is not None and spec.payload(device.protocol) is None:
            return self._flip(device, spec, cmd, state)
        value = self._value(device, spec, cmd)
        if spec.relative is not None:
            absolute = self._relative(device, spec, value, state)
            if absolute is not None:
                return absolute
        return self._render(device, spec, value, state)

    def as_sent(self, cmd: Command) -> Command:
        """``cmd`` with the number :meth:`route` sends for it: clamped to the parameter's and the
        device's range and rounded to its step, in the unit it was given in ("35°" to a thermostat
        of ``max_value: 30`` becomes 30). ``cmd`` itself when that is the number already, or when
        it sets no number (relative steps, enums, colours) or would be refused."""
        device = self.config.device_by_id.get(cmd.device)
        spec = self.catalog.get(device.type, cmd.action) if device is not None else None
        asked = _as_number(cmd.value)
        if spec is None or spec.relative is not None or spec.parameter.kind not in ("percent", "number", "kelvin") \
                or asked is None:
            return cmd
        try:
            sent = self._value(device, spec, cmd)
        except CommandRefused:
            return cmd
        if spec.parameter.unit == "°C" and normalize_word(cmd.unit or "") in FAHRENHEIT:
            # whole °F: the 0.5 °C step rounds 70 °F to 69.8 °F, which no one asked to hear
            sent = payloads.tidy(payloads.c_to_f(sent), 1.0)
        return cmd if math.isclose(sent, asked, abs_tol=1e-6) else replace(cmd, value=sent)

    # ------------------------------------------------------------ refusals

    def _refusal(self, key: str, device: Device, **fields: Any) -> CommandRefused:
        """The refusal ``key`` of responses.yaml ``route``, naming ``device`` ({the}, {The})."""
        the = self._the(device)
        return CommandRefused(getattr(self.said.route, key).format(the=the, The=the[0].upper() + the[1:], **fields))

    def _the(self, device: Device) -> str:
        """``"the porch light"`` for a device named "Porch light" (responses.yaml ``device``);
        acronyms stay ("the TV"), and a name that has its own article keeps it."""
        name = device.name
        if len(name) > 1 and name[0].isupper() and name[1].islower():
            name = name[0].lower() + name[1:]
        article = self.said.device.format(name="")
        return name if name.lower().startswith(article.lower()) else self.said.device.format(name=name)

    def _protocol(self, device: Device) -> str:
        return getattr(self.said.route.protocols, device.protocol)

    # ------------------------------------------------------------ checks

    def _spec(self, device: Device, action: str) -> CommandSpec:
        spec = self.catalog.get(device.type, action)
        if spec is None:
            raise self._refusal("cannot", device, action=_words(action))
        return spec

    def _check_features(self, device: Device, spec: CommandSpec) -> None:
        for f in spec.features:
            if not device.has(f):
                phrase = self.catalog.types[device.type].features[f]
                raise self._refusal("lacks_feature", device, phrase=phrase)

    def _value(self, device: Device, spec: CommandSpec, cmd: Command) -> Any:
        """Checked value in the parameter's unit (°C for temperatures), clamped to its ranges."""
        p = spec.parameter
        if p.kind == "none":
            return None
        raw = cmd.value
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if p.optional:
                return p.default
            raise self._refusal("no_value", device, label=p.label)
        if p.kind == "string":
            return str(raw).strip()
        if p.kind == "color":
            rgb = self.catalog.color(str(raw))
            if rgb is None:
                raise self._refusal("unknown_colour", device, value=raw)
            return rgb
        if p.kind == "enum":
            return self._enum(device, p, raw)
        number = _as_number(raw)
        if number is None:
            raise self._refusal("not_a_number", device, label=p.label, value=raw)
        unit = normalize_word(cmd.unit or "")
        if p.unit == "°C" and unit in FAHRENHEIT:
            # a step is a difference: no 32 °F offset
            number = number * 5 / 9 if spec.relative is not None else payloads.f_to_c(number)
        return _clamp(number, p, device)

    def _enum(self, device: Device, p: Parameter, raw: Any) -> str:
        word = normalize_word(str(raw)).replace(" ", "_")
        word = p.aliases.get(word, word)
        if word not in p.values:
            choices = ", ".join(v.replace("_", " ") for v in p.values)
            raise self._refusal("no_such_choice", device, label=p.label, value=raw, choices=choices)
        return word

    # ------------------------------------------------------------ state-based forms

    def _relative(self, device: Device, spec: CommandSpec, step: float,
                  state: Mapping[str, Any] | None) -> list[MqttMessage] | None:
        """Absolute messages from the known state, or None to use the command's own payloads."""
        rel = spec.relative
        current = _as_number((state or {}).get(rel.state))
        dialect = dialect_of(device)
        if dialect in rel.from_off and (state or {}).get("power") is False:
            current = rel.from_off[dialect]
        target = self.catalog.get(device.type, rel.to)
        if current is not None and target.payload(device.protocol) is not None:
            units = rel.scale.get(dialect)
            if units is None:
                value = _clamp(current + rel.sign * step, target.parameter, device)
            else:
                def whole(pct: float) -> int:
                    return round(pct / 100 * units)
                value = max(0, min(units, whole(current) + rel.sign * whole(step))) * 100 / units
            return self._render(device, target, value, state)
        if spec.payload(device.protocol) is None:
            label = target.parameter.label
            raise self._refusal("current_unknown", device, label=label)
        return None

    def _flip(self, device: Device, spec: CommandSpec, cmd: Command,
              state: Mapping[str, Any] | None) -> list[MqttMessage]:
        now = normalize_word(str((state or {}).get(spec.flip.state, "")))
        action = spec.flip.to.get(now)
        if action is None:
            raise self._refusal("on_off_unknown", device, action=_words(spec.action))
        return self.route(Command(cmd.device, action), state)

    # ------------------------------------------------------------ output

    def _render(self, device: Device, spec: CommandSpec, value: Any,
                state: Mapping[str, Any] | None = None) -> list[MqttMessage]:
        dialect = dialect_of(device)
        pl = spec.payload(dialect)
        if pl is None:
            raise self._refusal("no_payload", device, action=_words(spec.action), protocol=self._protocol(device))
        if pl.at_zero is not None and value == 0:
            return self.route(Command(device.id, pl.at_zero), state)
        entity = self._entities.get(device.id)
        if pl.redirect is not None and entity is not None and entity.get(pl.redirect.key) == pl.redirect.equals:
            # the entity's own way to carry this command: no feature of the device's is asked for,
            # and its last value goes back as it was read, not rounded to the parameter's step
            r = pl.redirect
            known = _as_number((state or {}).get(r.state)) if r.state else None
            to = self._spec(device, r.to)
            value = known or self._value(device, to, Command(device.id, r.to, r.default))
            return self._render(device, to, value, state)
        ctx = RenderContext(topic=device.topic, index=device.index, temperature_unit=device.temperature_unit,
                            action=spec.action, value=value, values=pl.values, entity=entity)
        try:
            message = self._message(device, pl, ctx)
            if pl.turns_on and entity is not None:
                return self._with_on(device, entity, message, state)
            return [message]
        except TemplateError as e:
            shown = value.hex() if isinstance(value, Rgb) else value
            what = f" {shown}" if shown is not None else ""
            raise self._refusal("not_carried", device, action=_words(spec.action), value=what,
                                protocol=self._protocol(device), why=e) from e

    def _message(self, device: Device, pl: Payload, ctx: RenderContext) -> MqttMessage:
        """One message from a payload template; its fallback when the entity lacks a key it names.
        Raises TemplateError."""
        try:
            if pl.choices is not None and ctx.entity and pl.choices in ctx.entity and ctx.value not in ctx.entity[pl.choices]:
                listed = ", ".join(str(c) for c in ctx.entity[pl.choices])
                raise TemplateError(f"it accepts only {listed}")
            topic = payloads.render_string(pl.topic or _default_topic(device.protocol, pl.cmnd), ctx)
            if pl.json_ is not None:
                body = payloads.dump_json(payloads.render_tree(pl.json_, ctx))
            else:
                body = payloads.render_string(pl.text, ctx).encode("utf-8")
        except TemplateError:
            if pl.fallback is None:
                raise
            return self._message(device, pl.fallback, ctx)
        if pl.template is not None and ctx.entity and ctx.entity.get(pl.template):
            body = _apply_command_template(ctx.entity[pl.template], body.decode("utf-8"), ctx).encode("utf-8")
        return MqttMessage(topic=topic, payload=body, qos=1, retain=False)

    def _with_on(self, device: Device, entity: Mapping[str, Any], message: MqttMessage,
                 state: Mapping[str, Any] | None) -> list[MqttMessage]:
        """A default-schema light's attribute command with the ``payload_on`` Home Assistant sends
        around it (on_command_type: last = after, first = before, brightness = none)."""
        on_spec = self.catalog.get(device.type, "turn_on")
        when = entity.get("on_command_type", "last")
        if on_spec is None or when == "brightness":
            return [message]
        on = self._render(device, on_spec, None, state)
        return on + [message] if when == "first" else [message] + on

def dialect_of(device: Device) -> str:
    """The catalog payload key of a device: its protocol, or homeassistant_json for a json light."""
    if device.entity is not None and device.entity.schema_ == "json":
        return "homeassistant_json"
    return device.protocol


def _apply_command_template(text: str, value: str, ctx: RenderContext) -> str:
    """An entity's command template (hub/hass/template.py subset) over the rendered value,
    with the variables Home Assistant passes: ``action`` (an alarm panel's payload, ``code``
    empty), ``position`` and the entity's ranges (a cover), ``red``/``green``/``blue`` (an rgb
    light). Raises TemplateError."""
    variables: dict[str, Any] = {"value": value, "action": value, "code": "", "position": value}
    variables |= {k: ctx.entity[k] for k in ("position_open", "position_closed", "tilt_min", "tilt_max")
                  if ctx.entity and k in ctx.entity}
    if isinstance(ctx.value, Rgb):
        full = ctx.value.full()
        variables |= {"red": full.r, "green": full.g, "blue": full.b}
    try:
        return Template(text, COMMAND_TEMPLATE_VARIABLES).render(variables)
    except (ValueError, TemplateRenderError) as e:
        raise TemplateError(f"its command template {text!r} cannot be filled: {e}") from e


def _default_topic(protocol: str, cmnd: str | None) -> str:
    return DEFAULT_TOPIC[protocol].replace("{cmnd}", cmnd or "")


def _as_number(raw: Any) -> float | None:
    """An int/float, or a numeric string such as ``"60"``, ``"60%"``, ``"21.5°"``; else None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        return float(raw) if math.isfinite(raw) else None
    if isinstance(raw, str):
        text = raw.strip().rstrip("%°KkCcFf").strip()
        try:
            x = float(text)
        except ValueError:
            return None
        return x if math.isfinite(x) else None
    return None


def _clamp(x: float, p: Parameter, device: Device) -> float:
    """Clamp to the parameter's range, then to the device's min/max (in its own unit for °C
    parameters), then round to the step."""
    if p.range is not None:
        x = max(p.range[0], min(p.range[1], x))
    if p.device_range:
        lo, hi = device.min_value, device.max_value
        if p.unit == "°C" and device.temperature_unit == "F":
            lo = payloads.f_to_c(lo) if lo is not None else None
            hi = payloads.f_to_c(hi) if hi is not None else None
        if lo is not None:
            x = max(lo, x)
        if hi is not None:
            x = min(hi, x)
    return payloads.tidy(x, p.step or 0.0)


def requires_confirmation(cmd: Command, device: Device | None, catalog: Catalog | None = None) -> bool:
    """Whether ``cmd`` needs a spoken yes first: unlock, unlatch, disarm, and opening a garage
    door or gate (device_class garage/gate, or a name or alias containing garage/gate), as the
    catalog's ``confirm`` says. ``device.confirm`` overrides it for every command of the device
    (true: always ask; false: never). False for queries, and for an unknown device or action
    (those are refused by the router anyway)."""
    if device is None:
        return False
    spec = (catalog or default_catalog()).get(device.type, cmd.action)
    if spec is None or spec.query:
        return False
    if device.confirm is not None:
        return device.confirm
    if isinstance(spec.confirm, bool):
        return spec.confirm
    kinds = set(spec.confirm)
    name_words = set(normalize_word(device.name).split()) | {w for a in device.aliases for w in normalize_word(a).split()}
    return (device.device_class or "") in kinds or bool(kinds & name_words)

