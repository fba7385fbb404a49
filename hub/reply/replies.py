"""What the hub says beside understanding's own answers: intents/<language>/replies.yaml, loaded
once per language and checked (pydantic, every problem as ``file:line path: message``).

The sentences are Python :meth:`str.format` templates, as responses.yaml's are: the fields are
plain words and numbers the code fills in, so a template needs no logic of its own, and a field a
template names that its caller does not give is found at load (:data:`FIELDS`), not mid-reply.
"""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from hub.errors import ConfigError
from hub.yamlcheck import Problems, load_mapping

INTENTS_ROOT = Path(__file__).resolve().parent.parent.parent / "intents"
"""intents/: one folder per language (config ``hub.language``)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Quantities(_Strict):
    temperature: str
    temperature_setting: str
    humidity: str
    brightness: str
    position: str
    volume: str
    battery: str
    lock: str
    mode: str
    power_state: str
    power_draw: str
    reading: str
    state: str


class StateWords(_Strict):
    on: str
    off: str
    open: str
    closed: str
    locked: str
    unlocked: str
    not_fully_locked: str


class StateSentences(_Strict):
    """How a device's reported state is said (see :func:`hub.devices.state.describe_state`)."""

    device: str
    be_one: str
    be_many: str
    never_heard: str
    offline: str
    unknown: str
    quantities: Quantities
    is_: str = Field(alias="is")
    words: StateWords
    partly_open: str
    temperature: str
    target_temperature: str
    humidity: str
    brightness: str
    on_at: str
    volume: str
    battery: str
    mode: str
    power_draw: str
    reads: str
    reading_degrees: str
    reading_humidity: str
    reading_watts: str
    reading_battery: str
    detects_something: str
    detects_nothing: str
    climate_now: str
    climate_off: str
    climate_set: str
    climate_with_now: str
    climate_alone: str
    climate_no_setting: str
    climate_mode_only: str
    media: str
    media_muted: str
    media_volume: str
    media_plain: str


class Replies(_Strict):
    """replies.yaml of one language, validated."""

    no_command_heard: str
    turn_failed: str
    heard_as: str
    confirm: str
    confirm_verbs: dict[str, str] = {}
    """{verb} of ``confirm`` by action, where the action's own words do not read as one."""
    and_: str = Field(alias="and")
    state: StateSentences


_THE = ("the", "The", "is")
FIELDS: dict[str, tuple[str, ...]] = {
    "heard_as": ("text",), "confirm": ("verb", "names"),
    "state.device": ("name",), "state.never_heard": ("the",), "state.offline": _THE,
    "state.unknown": ("what", "the"), "state.is": (*_THE, "word"), "state.partly_open": ("percent",),
    "state.temperature": ("degrees", "the"), "state.target_temperature": (*_THE, "degrees"),
    "state.humidity": ("the", "percent"), "state.brightness": (*_THE, "percent"), "state.on_at": (*_THE, "percent"),
    "state.volume": ("the", "percent"), "state.battery": ("the", "percent"), "state.mode": (*_THE, "mode"),
    "state.power_draw": (*_THE, "watts"), "state.reads": (*_THE, "readings"),
    "state.reading_degrees": ("degrees",), "state.reading_humidity": ("percent",),
    "state.reading_watts": ("watts",), "state.reading_battery": ("percent",),
    "state.detects_something": _THE, "state.detects_nothing": _THE, "state.climate_now": ("degrees",),
    "state.climate_off": _THE, "state.climate_set": (*_THE, "degrees"), "state.climate_with_now": ("sentence", "now"),
    "state.climate_alone": ("sentence",), "state.climate_no_setting": (*_THE, "degrees"),
    "state.climate_mode_only": (*_THE, "word"), "state.media": (*_THE, "state"),
    "state.media_muted": ("media",), "state.media_volume": ("media", "percent"), "state.media_plain": ("media",),
}
"""The fields each template may name (the others have none)."""


def load_replies(language: str = "en", root: Path = INTENTS_ROOT) -> Replies:
    """``root/<language>/replies.yaml``, loaded and checked once per process. Raises ConfigError
    listing every problem as ``file:line path: message`` (a missing key, an unknown one, a template
    that does not parse or names a field its sentence does not have)."""
    return _load((Path(root) / language / "replies.yaml").resolve())


@lru_cache(maxsize=8)
def _load(path: Path) -> Replies:
    replies, data, found = load_mapping(path, Replies)
    if replies is not None:
        _check_fields(data, (), found)
    if found:
        raise ConfigError(found.messages())
    return replies


def _check_fields(node: Any, at: tuple, found: Problems) -> None:
    """Every template parses and names only the fields :data:`FIELDS` gives it."""
    if isinstance(node, dict):
        for key, value in node.items():
            _check_fields(value, (*at, key), found)
        return
    try:
        named = {f for _, f, _, _ in string.Formatter().parse(node) if f is not None}
    except ValueError as e:
        found.add(at, f"template does not parse: {e}")
        return
    allowed = FIELDS.get(".".join(at), ())
    for name in sorted(named - set(allowed)):
        found.add(at, f"unknown field {{{name}}} (this sentence has: {', '.join(allowed) or 'none'})")
