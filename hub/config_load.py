"""Loading config.yaml: read the file, check it against the schema (:mod:`hub.config`), across
its sections (references, uniqueness, topics, aliases) and against the command catalog (each Home
Assistant entity's features, :mod:`hub.devices.ha_check`), then load the home's custom sentences
(:mod:`hub.sentences`).

The schema stays in hub.config, which every stage imports; this edge sits above the devices and
sentences it calls, which read the schema themselves. Every problem is reported together, each as
``file:line path: message`` (e.g. ``config.yaml:14 devices[3].area: unknown area 'kichen'``), and
nothing starts half-configured.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hub.config import DEVICE_TYPES, Config, Options, normalize_name, topic_problem
from hub.devices.ha_check import entity_problems
from hub.errors import ConfigError
from hub.sentences import load_sentences
from hub.yamlcheck import non_finite, parse_yaml, read_text, validate


def load_config(path: str | Path) -> Config:
    """Read and validate config.yaml.

    Returns the parsed :class:`Config`. Raises :class:`ConfigError` listing every
    problem as ``file:line field: message`` (unknown keys, unknown area/type/
    feature/protocol, duplicate ids or names, bad values, YAML syntax).
    """
    text, problems = read_text(Path(path))
    if text is None:
        raise ConfigError(problems.messages())
    return parse_config(text, str(path))


def parse_config(text: str, source: str = "<memory>") -> Config:
    """Validate config text; see :func:`load_config`."""
    data, problems = parse_yaml(text, source)
    if problems and data is None:
        raise ConfigError(problems.messages())
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError([f"{source}:1: expected a mapping with hub, areas and devices"])
    for loc in non_finite(data):
        problems.settle(loc, "not a finite number (NaN or infinity)")
    cfg = validate(Config, data, problems, source=source)
    for loc, msg in _cross_check(data):
        problems.add(loc, msg)
    if problems:
        raise ConfigError(problems.messages())
    base = Path(source).parent if source != "<memory>" else Path.cwd()
    sentences, file_problems, cfg_problems = load_sentences(cfg, base)
    for loc, msg in cfg_problems:
        problems.add(loc, msg)
    if problems or file_problems:
        raise ConfigError(problems.messages() + file_problems)
    return cfg.model_copy(update={"sentences": sentences})


def _entries(data: dict, key: str) -> list[tuple[int, dict]]:
    items = data.get(key)
    if not isinstance(items, list):
        return []
    return [(i, x) for i, x in enumerate(items) if isinstance(x, dict)]


def _cross_check(data: dict) -> list[tuple[tuple, str]]:
    """References, uniqueness and type/feature fit, which one field alone cannot check.

    Runs on the raw YAML data so these problems are reported alongside schema errors.
    """
    out: list[tuple[tuple, str]] = []

    def unique(section: str, field: str, what: str, key=str) -> set:
        seen: dict[Any, int] = {}
        for i, x in _entries(data, section):
            v = x.get(field)
            if not isinstance(v, str):
                continue
            k = key(v)
            if k in seen:
                out.append(((section, i, field), f"duplicate {what} {v!r} (also {section}[{seen[k]}])"))
            seen.setdefault(k, i)
        return set(seen)

    area_ids = unique("areas", "id", "area id")
    area_names = unique("areas", "name", "area name", normalize_name)
    for i, a in _entries(data, "areas"):
        aliases = a.get("aliases")
        for j, alias in enumerate(aliases if isinstance(aliases, list) else []):
            # areas may share an alias ("upstairs"), but the name of another room means that room
            if isinstance(alias, str) and normalize_name(alias) in area_names - {normalize_name(str(a.get("name")))}:
                out.append((("areas", i, "aliases", j), f"alias {alias!r} is the name of another area"))
    unique("devices", "id", "device id")
    unique("devices", "name", "device name", normalize_name)
    out += _alias_clashes(data)
    out += _topic_clashes(data)

    out += entity_problems(data)

    hub = data.get("hub")
    if isinstance(hub, dict) and isinstance(hub.get("area"), str) and hub["area"] not in area_ids:
        out.append((("hub", "area"), f"unknown area {hub.get('area')!r}"))
    wyoming = data.get("wyoming")
    for i, s in _entries(wyoming if isinstance(wyoming, dict) else {}, "satellites"):
        if isinstance(s.get("area"), str) and s["area"] not in area_ids:
            out.append((("wyoming", "satellites", i, "area"), f"unknown area {s['area']!r}"))
    for i, d in _entries(data, "devices"):
        # a value of the wrong type is the schema's to report
        if isinstance(d.get("area"), str) and d["area"] not in area_ids:
            out.append((("devices", i, "area"), f"unknown area {d.get('area')!r}"))
        allowed = DEVICE_TYPES.get(d["type"]) if isinstance(d.get("type"), str) else None
        feats = d.get("features")
        if allowed is None or not isinstance(feats, list):
            continue
        for j, f in enumerate(feats):
            if isinstance(f, str) and f not in allowed:
                out.append(((
                    "devices", i, "features", j),
                    f"feature {f!r} is not one a {d['type']} can have (allowed: {', '.join(sorted(allowed)) or 'none'})",
                ))
    return out


def _alias_clashes(data: dict) -> list[tuple[tuple, str]]:
    """A device alias that is another device's name or alias: saying it would reach the wrong
    device, or either. (Areas may share an alias, "upstairs": that names a group of rooms.)"""
    out: list[tuple[tuple, str]] = []
    names = {normalize_name(d["name"]): i for i, d in _entries(data, "devices") if isinstance(d.get("name"), str)}
    said: dict[str, int] = {}
    for i, d in _entries(data, "devices"):
        aliases = d.get("aliases")
        for j, alias in enumerate(aliases if isinstance(aliases, list) else []):
            if not isinstance(alias, str) or not (key := normalize_name(alias)):
                continue
            if names.get(key, i) != i:
                out.append((("devices", i, "aliases", j),
                            f"alias {alias!r} is the name of devices[{names[key]}]: saying it would reach either"))
            elif said.get(key, i) != i:
                out.append((("devices", i, "aliases", j),
                            f"alias {alias!r} is also an alias of devices[{said[key]}]: saying it would reach either"))
            said.setdefault(key, i)
    return out


def _topic_clashes(data: dict) -> list[tuple[tuple, str]]:
    """Two devices on one topic (whatever their protocols: zigbee2mqtt and generic both command
    ``<topic>/set``) would both obey every command sent to either; only devices of one protocol
    told apart by their ``index`` share it (Tasmota relays, zigbee2mqtt scenes of one group). A
    device topic under the hub's own ``base_topic`` would be commanded by the hub's status,
    switches and say requests."""
    out: list[tuple[tuple, str]] = []
    hub = data.get("hub") if isinstance(data.get("hub"), dict) else {}
    options = hub.get("options") if isinstance(hub.get("options"), dict) else {}
    base = options.get("base_topic", Options.model_fields["base_topic"].default)
    seen: dict[str, list[tuple[int, Any, Any]]] = {}
    for i, d in _entries(data, "devices"):
        topic, protocol, index = d.get("topic"), d.get("protocol"), d.get("index")
        if not isinstance(topic, str):
            continue
        for j, other_protocol, other_index in seen.get(topic, ()):
            numbered = protocol == other_protocol and None not in (index, other_index) and index != other_index
            if not numbered:
                out.append((("devices", i, "topic"), f"topic {topic!r} is already used by devices[{j}]"
                            + (f" ({other_protocol})" if other_protocol != protocol else "")))
                break
        seen.setdefault(topic, []).append((i, protocol, index))
        entity = d.get("entity")
        for key, value in entity.items() if isinstance(entity, dict) else ():
            # HA's own key names: every ``*_topic`` is one fixed topic of this entity
            if isinstance(key, str) and key.endswith("_topic") and isinstance(value, str):
                if (problem := topic_problem(value)) is not None:
                    out.append((("devices", i, "entity", key), problem))
        # a Tasmota topic is the %topic% inside cmnd/<topic>/..., never under the base topic
        if isinstance(base, str) and protocol != "tasmota" and (topic + "/").startswith(base + "/"):
            out.append((("devices", i, "topic"), f"topic {topic!r} is under the hub's own topics "
                                                 f"(hub.options.base_topic {base!r})"))
    return out


def summary(cfg: Config) -> str:
    """One paragraph for ``hub check-config``: counts by area and type."""
    by_type: dict[str, int] = {}
    for d in cfg.devices:
        by_type[d.type] = by_type.get(d.type, 0) + 1
    types = ", ".join(f"{n} {t}" for t, n in sorted(by_type.items())) or "none yet: nothing to control"
    return (
        f"{cfg.source}: OK: hub {cfg.hub.name!r}, {len(cfg.areas)} areas, "
        f"{len(cfg.devices)} devices ({types}); wake word {cfg.hub.wake_word.model}"
    )
