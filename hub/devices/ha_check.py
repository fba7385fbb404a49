"""check-config for Home Assistant entities: every feature a device says it has must be one its
discovery config can carry, so a command is refused when the config is read, not after it is said.

For each feature of a homeassistant device with ``entity:``, the catalog commands that need it
are rendered once with a sample value; when none of them can be carried because the entity gives
no topic or payload for it ("its discovery config has no brightness_command_topic"), that is a
problem at the feature's line. (A thermostat's ``target_temperature`` is carried by
``temperature_command_topic`` alone; ``temperature_low/high`` are extras.)
"""

from __future__ import annotations

from typing import Any

from hub.config import Config, Device
from hub.devices.catalog import CommandSpec, Parameter, default_catalog
from hub.devices.router import Router, dialect_of
from hub.errors import CommandRefused
from hub.hass.entity import entity_config
from hub.types import Command

MISSING = ("its discovery config has no", "its discovery config does not say")
"""The refusals that mean the entity cannot carry a command at all (not a value out of its range)."""


def _sample(p: Parameter, entity: dict[str, Any], choices: str | None) -> Any:
    """A value the command accepts, to render it once."""
    if p.kind == "enum":
        listed = entity.get(choices) if choices else None
        return next((v for v in p.values if not listed or v in listed), p.values[0])
    if p.kind == "color":
        return "red"
    if p.kind == "string":
        return "x"
    if p.kind == "none":
        return None
    if p.default is not None:
        return p.default
    return (p.range[0] + p.range[1]) / 2 if p.range else 50


def entity_problems(data: dict) -> list[tuple[tuple, str]]:
    """(path, message) for every feature of a homeassistant device in raw config ``data`` that
    its ``entity:`` cannot carry; devices that do not validate on their own are left to the schema."""
    out: list[tuple[tuple, str]] = []
    devices = data.get("devices") if isinstance(data.get("devices"), list) else []
    for i, raw in enumerate(devices):
        if not (isinstance(raw, dict) and raw.get("protocol") == "homeassistant" and raw.get("entity")):
            continue
        catalog = default_catalog()  # loaded once per process, and only for a config that needs it
        try:
            device = Device.model_validate(raw)
        except ValueError:
            continue
        router = Router(Config(devices=(device.model_copy(update={"area": None}),)), catalog)
        entity = entity_config(device.type, device.topic, device.entity)
        spec_of = catalog.types.get(device.type)
        for j, feature in enumerate(device.features):
            outcomes = [_refusal(router, device, spec, feature, entity)
                        for spec in (spec_of.commands.values() if spec_of else ())]
            carried = [o for o in outcomes if o == ""]
            refused = [o for o in outcomes if o]
            if refused and not carried:
                out.append((("devices", i, "features", j), f"feature {feature!r}: {refused[0]}"))
    return out


def _refusal(router: Router, device: Device, spec: CommandSpec, feature: str, entity: dict[str, Any]) -> str | None:
    """Why ``spec`` (a command needing ``feature``) cannot be carried; "" when it can; None when it
    says nothing about the feature (it needs others, has no payload here, or is refused for its value)."""
    pl = spec.payload(dialect_of(device))
    if spec.query or feature not in spec.features or pl is None or not set(spec.features) <= set(device.features):
        return None
    try:
        router.route(Command(device.id, spec.action, _sample(spec.parameter, entity, pl.choices)))
    except CommandRefused as e:
        why = e.reason.rsplit(": ", 1)[-1].rstrip(".")
        if why.startswith(MISSING):
            return f"{spec.action.replace('_', ' ')} is refused: {why}"
        return None
    return ""
