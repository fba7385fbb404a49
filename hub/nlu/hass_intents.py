"""Home Assistant's built-in intents in custom sentence files: a file that adds sentences to
``HassTurnOn``, ``HassLightSet``, ``HassSetPosition``... (``"activate [the] {name}"``) works here
as it does in Home Assistant, on this home's devices, unless an ``intent_script`` of that name
says otherwise.

Which of our intents each of Home Assistant's is, per device domain, list or value, is the map
that also trains the model on Home Assistant's templates (intents/<language>/hass_training.yaml:
``intents``, ``domains``, ``lists``); what our intent does on a device is the built-in actions'
(:class:`hub.nlu.actions.Actions`), so a lock's ``HassTurnOff`` is an unlock that waits for a
spoken yes like any other. Targets: the ``{name}`` slot's device, or else the devices of the
block's ``domain`` slot in the ``{area}`` slot's area (the speaker's, if none is said).
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

import yaml

from hub.errors import CommandRefused
from hub.nlu.actions import Slots
from hub.nlu.respond import describe
from hub.types import Command, Understanding

HASS_MAP = "hass_training.yaml"
"""The map's file name in intents/<language>/."""


@cache
def hass_map(path: Path) -> dict:
    """The parsed map file (see the module docstring)."""
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def is_hass_intent(name: str, path: Path) -> bool:
    """Whether ``name`` is one of Home Assistant's built-in intents the map knows."""
    return path.is_file() and name in hass_map(path)["intents"]


def _slots(slots: dict, labels: dict[str, str], quantities: set[str]) -> Slots:
    """The values of a match as the built-in actions read them, by the label of each list; a
    value list named after a quantity ("brightness") names it, so a TV refuses a brightness."""
    found: dict = {}
    for name, value in slots.items():
        label = labels.get(name)
        if label == "VAL" and isinstance(value, (int, float)):
            found.setdefault("number", float(value))
            if name in quantities:
                found.setdefault("quantity", name)
        elif label == "COLOR" and isinstance(value, str):
            found.setdefault("color", value.lower())
        elif label == "CT":
            found.setdefault("kelvin" if isinstance(value, (int, float)) else "color", value)
        elif label == "MODE" and isinstance(value, str):
            found.setdefault("mode", value.lower())
    return Slots(**found)


def hass_understanding(u: Understanding, parser, path: Path) -> Understanding:
    """``u`` (a custom match of a Home Assistant built-in intent) with the commands it means on
    this home's devices and the built-in reply; a refusal's reason when it means none."""
    m = hass_map(path)
    spec = m["intents"][u.intent]
    slots = u.slots or {}
    cfg = parser.cfg
    to_ha = {ours: ha for ha, ours in reversed(m["domains"].items())}
    if "name" in slots and slots["name"] in cfg.device_by_id:
        targets = [cfg.device_by_id[slots["name"]]]
    else:
        area = slots.get("area") or u.area
        domains = slots.get("domain") or ()
        domains = {domains} if isinstance(domains, str) else set(domains)
        targets = [d for d in (cfg.devices_in(area) if area else ()) if to_ha.get(d.type, d.type) in domains]
    values = _slots(slots, m["lists"], set(parser.lang.grammar.quantities.values()))
    commands: list[Command] = []
    refusals: list[str] = []
    for d in targets:
        domain = to_ha.get(d.type, d.type)
        intent = spec.get("by_domain", {}).get(domain, spec["intent"])
        intent = next((i for k, i in spec.get("by_list", {}).items() if k in slots), intent)
        intent = next((i for v in slots.values() for k, i in spec.get("by_value", {}).items() if str(v) == k), intent)
        try:
            if intent == "none":
                raise CommandRefused(parser.lang.say("not_understood"))
            commands.append(parser.actions.command(intent, d, values))
        except CommandRefused as e:
            refusals.append(e.reason)
    if not targets:
        refusals.append(parser.lang.say("not_understood"))
    reply = " ".join(([describe(commands, cfg, parser.lang)] if commands else []) + refusals)
    return replace(u, commands=tuple(commands), response=reply)
