"""Every sentence the hub says: intents/<language>/responses.yaml, loaded once per language and
checked (pydantic, every problem as ``file:line path: message``).

Understanding's answers and refusals (:mod:`hub.nlu.language` hands them to the parser as
``Language.responses``), what acting reports (the broker's fate of a command, a spoken
confirmation), what the loop says itself (a turn with no words or one that failed), a device's
state and the wake word notices all come from this one file, through :func:`load_responses`.

The sentences are Python :meth:`str.format` templates: the fields are plain words and numbers the
code fills in, so a template needs no logic of its own, and a field a template names that its
caller does not give is found at load (:data:`FIELDS`), not mid-reply.
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
    """How a device's reported state is said (see :func:`hub.devices.state.describe_state`); the
    device is named with :attr:`Responses.device`, its verb is :attr:`Responses.be_one` or ``be_many``."""

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


class MissingValue(_Strict):
    """The question for a value a command needs and did not get, by the catalog parameter's kind."""

    percent: str
    number: str
    color: str
    kelvin: str
    enum: str


class ProtocolNames(_Strict):
    """How a refusal names each protocol of ``devices[].protocol``."""

    zigbee2mqtt: str
    tasmota: str
    generic: str
    homeassistant: str


class RouteRefusals(_Strict):
    """Why the router refuses a command (:class:`hub.devices.router.Router`)."""

    cannot: str
    lacks_feature: str
    no_value: str
    unknown_colour: str
    not_a_number: str
    no_such_choice: str
    current_unknown: str
    on_off_unknown: str
    no_payload: str
    not_carried: str
    protocols: ProtocolNames


class Responses(_Strict):
    """responses.yaml of one language, validated."""

    # what understanding and acting answer
    actions: dict[str, str]
    not_understood: str
    nothing_heard: str
    hedged: str
    not_in_area: str
    out_of_domain: str
    unknown_device: str
    unknown_area: str
    unknown_option: str
    low_confidence: str
    ambiguous: str
    no_device_here: str
    no_target: str
    cancelled: str
    timed: str
    unclear: str
    not_a_request: str
    group_none: str
    group_all: str
    group_some: str
    group_some_count: str
    group_unknown: str
    be_one: str
    be_many: str
    device: str
    bare_names: frozenset[str] = frozenset()
    """Device types named without the device template's article (scenes)."""
    list_separator: str
    list_last: str
    list_or: str
    other_action: str
    missing_feature: str
    cannot: str
    cannot_do: dict[str, str]
    cannot_change: str
    cannot_measure: str
    cannot_be: str
    """A question about a state the devices asked of are never in ("is the air fryer locked")."""
    missing_value: MissingValue
    not_a_percentage: str
    not_a_temperature: str
    out_of_range: str
    route: RouteRefusals
    broker_waiting: str
    broker_unconfirmed: str
    broker_done_later: str
    broker_expired: str
    broker_queue_full: str
    broker_closed: str
    failed: str
    state_unreadable: str
    wake_word_low_power: str
    wake_word_full: str
    # what the hub says beside those
    no_command_heard: str
    turn_failed: str
    heard_as: str
    confirm: str
    confirm_intent: str
    """After ``heard_as``, before a custom intent heard from an unsure transcript."""
    confirm_verbs: dict[str, str] = {}
    """{verb} of ``confirm`` by action, where the action's own words do not read as one."""
    state: StateSentences


_THE = ("the", "The", "is")
FIELDS: dict[str, tuple[str, ...]] = {
    "actions.*": ("devices", "value"), "other_action": ("action", "devices"), "device": ("name",),
    "not_in_area": ("name", "area"), "unknown_device": ("name",), "unknown_area": ("name",),
    "unknown_option": ("name",), "ambiguous": ("options",), "unclear": ("options",),
    "no_device_here": ("what", "area"), "missing_feature": ("device", "reason"), "cannot": ("device", "what"),
    "cannot_change": ("device", "quantity"), "cannot_measure": ("device", "quantity"), "cannot_be": ("device", "state"),
    "missing_value.*": ("device",), "not_a_percentage": ("value",),
    "not_a_temperature": ("device",),
    "out_of_range": ("device", "value", "low", "high"),
    "route.cannot": ("the", "The", "action"), "route.lacks_feature": ("the", "The", "phrase"),
    "route.no_value": ("the", "The", "label"), "route.unknown_colour": ("the", "The", "value"),
    "route.not_a_number": ("the", "The", "label", "value"),
    "route.no_such_choice": ("the", "The", "label", "value", "choices"),
    "route.current_unknown": ("the", "The", "label"), "route.on_off_unknown": ("the", "The", "action"),
    "route.no_payload": ("the", "The", "action", "protocol"),
    "route.not_carried": ("the", "The", "action", "value", "protocol", "why"),
    "group_none": ("state",), "group_all": ("total", "state"), "group_some": ("names", "be", "state"),
    "group_some_count": ("count", "total", "names", "be", "state"), "group_unknown": ("names",),
    "broker_waiting": ("seconds", "what"), "broker_unconfirmed": ("what",), "broker_done_later": ("what",),
    "broker_expired": ("what",), "broker_queue_full": ("what",), "broker_closed": ("what",),
    "state_unreadable": ("name",), "wake_word_low_power": ("wake_word",), "wake_word_full": ("wake_word",),
    "heard_as": ("text",), "confirm": ("verb", "names"), "confirm_intent": (),
    "state.never_heard": ("the",), "state.offline": _THE,
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
"""The fields each template may name (the others have none); ``key.*``: every sentence under ``key``."""


def load_responses(language: str = "en", root: Path = INTENTS_ROOT) -> Responses:
    """``root/<language>/responses.yaml``, loaded and checked once per process. Raises ConfigError
    listing every problem as ``file:line path: message`` (a missing key, an unknown one, a template
    that does not parse or names a field its sentence does not have)."""
    responses, found = read_responses(Path(root) / language / "responses.yaml")
    if found:
        raise ConfigError(found.messages())
    return responses


@lru_cache(maxsize=8)
def _read(path: Path) -> tuple[Responses | None, Problems]:
    responses, data, found = load_mapping(path, Responses)
    if responses is not None:
        _check_fields(data, (), found)
    return (None if found else responses), found


def read_responses(path: Path) -> tuple[Responses | None, Problems]:
    """(the checked sentences, or None; every problem found, with its line): the file read once per
    process, for a loader that reports its problems with its own (:mod:`hub.nlu.language`)."""
    return _read(Path(path).resolve())


def _check_fields(node: Any, at: tuple, found: Problems) -> None:
    """Every template parses and names only the fields :data:`FIELDS` gives it."""
    if isinstance(node, dict):
        for key, value in node.items():
            _check_fields(value, (*at, key), found)
        return
    if not isinstance(node, str):
        return  # a list of words (bare_names), not a template: its schema checks it
    try:
        named = {f for _, f, _, _ in string.Formatter().parse(node) if f is not None}
    except ValueError as e:
        found.add(at, f"template does not parse: {e}")
        return
    allowed = FIELDS.get(".".join(at), FIELDS.get(".".join((*at[:-1], "*")), ()))
    for name in sorted(named - set(allowed)):
        found.add(at, f"unknown field {{{name}}} (this sentence has: {', '.join(allowed) or 'none'})")
