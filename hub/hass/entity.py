"""A Home Assistant MQTT entity as its discovery config describes it: topics, payloads, scales.

A device of protocol ``homeassistant`` may carry ``entity:`` in config.yaml, with the keys of
the entity's discovery config (full names, as https://www.home-assistant.io/integrations/mqtt/
and each platform's page, e.g. https://www.home-assistant.io/integrations/light.mqtt/, list
them; ``hub import homeassistant`` writes them expanded from the abbreviations). What the
entity does not say takes Home Assistant's documented default for its platform, from
devices/homeassistant.yaml. A device with only ``topic:`` keeps the hub's conventional layout
(``<topic>/set``, ``<topic>/<field>/set``, state on ``<topic>/state``), from the same file.

:func:`entity_config` gives the merged view the router and the state store read.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hub.hass.template import Template, TemplateSyntaxError

HA_FILE = Path(__file__).resolve().parent.parent.parent / "devices" / "homeassistant.yaml"

Text = str | None
"""A payload or state word. Numbers and booleans in a discovery config (``payload_lock: 1``,
``payload_on: true``) are read as text, as Home Assistant's ``cv.string`` does (``"1"``, ``"True"``)."""

COMMAND_TEMPLATE_VARIABLES = ("value", "action", "code", "position", "position_open", "position_closed",
                              "tilt_min", "tilt_max", "red", "green", "blue")
"""What a command template may name besides ``value``, as Home Assistant passes them: an alarm
panel's ``action``/``code``, a cover's ``position`` and its range, an rgb light's channels."""


class HaEntity(BaseModel):
    """The discovery-config keys the hub understands. Unknown keys are refused (a typo would
    otherwise be a payload silently sent wrong); ``hub import`` keeps only these."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_: Literal["default", "basic", "json"] | None = Field(None, alias="schema")
    """Light schema: ``default``/``basic`` (one topic per attribute) or ``json`` (one JSON
    command, https://www.home-assistant.io/integrations/light.mqtt/#json-schema). The
    ``template`` schema is not supported."""
    unique_id: str | None = None

    # topics
    command_topic: str | None = None
    state_topic: str | None = None
    availability_topic: str | None = None
    brightness_command_topic: str | None = None
    brightness_state_topic: str | None = None
    color_temp_command_topic: str | None = None
    color_temp_state_topic: str | None = None
    rgb_command_topic: str | None = None
    rgb_state_topic: str | None = None
    effect_command_topic: str | None = None
    effect_state_topic: str | None = None
    set_position_topic: str | None = None
    position_topic: str | None = None
    tilt_command_topic: str | None = None
    tilt_status_topic: str | None = None
    power_command_topic: str | None = None
    mode_command_topic: str | None = None
    mode_state_topic: str | None = None
    temperature_command_topic: str | None = None
    temperature_state_topic: str | None = None
    temperature_low_command_topic: str | None = None
    temperature_low_state_topic: str | None = None
    temperature_high_command_topic: str | None = None
    temperature_high_state_topic: str | None = None
    current_temperature_topic: str | None = None
    fan_mode_command_topic: str | None = None
    fan_mode_state_topic: str | None = None
    preset_mode_command_topic: str | None = None
    preset_mode_state_topic: str | None = None
    swing_mode_command_topic: str | None = None
    swing_mode_state_topic: str | None = None
    target_humidity_command_topic: str | None = None
    target_humidity_state_topic: str | None = None
    current_humidity_topic: str | None = None
    percentage_command_topic: str | None = None
    percentage_state_topic: str | None = None
    oscillation_command_topic: str | None = None
    oscillation_state_topic: str | None = None
    direction_command_topic: str | None = None
    direction_state_topic: str | None = None
    set_fan_speed_topic: str | None = None
    send_command_topic: str | None = None

    # value templates (state) and command templates
    value_template: str | None = None
    state_value_template: str | None = None
    brightness_value_template: str | None = None
    color_temp_value_template: str | None = None
    position_template: str | None = None
    tilt_status_template: str | None = None
    mode_state_template: str | None = None
    temperature_state_template: str | None = None
    temperature_low_state_template: str | None = None
    temperature_high_state_template: str | None = None
    current_temperature_template: str | None = None
    fan_mode_state_template: str | None = None
    preset_mode_value_template: str | None = None
    target_humidity_state_template: str | None = None
    current_humidity_template: str | None = None
    percentage_value_template: str | None = None
    availability_template: str | None = None
    command_template: str | None = None
    brightness_command_template: str | None = None
    color_temp_command_template: str | None = None
    rgb_command_template: str | None = None
    effect_command_template: str | None = None
    set_position_template: str | None = None
    tilt_command_template: str | None = None
    power_command_template: str | None = None
    mode_command_template: str | None = None
    temperature_command_template: str | None = None
    temperature_low_command_template: str | None = None
    temperature_high_command_template: str | None = None
    fan_mode_command_template: str | None = None
    preset_mode_command_template: str | None = None
    swing_mode_command_template: str | None = None
    target_humidity_command_template: str | None = None
    percentage_command_template: str | None = None

    # payloads and state words
    payload_on: Text = None
    payload_off: Text = None
    payload_lock: Text = None
    payload_unlock: Text = None
    payload_open: Text = None
    payload_close: Text = None
    payload_stop: Text = None
    payload_press: Text = None
    payload_arm_home: Text = None
    payload_arm_away: Text = None
    payload_arm_night: Text = None
    payload_arm_vacation: Text = None
    payload_arm_custom_bypass: Text = None
    payload_disarm: Text = None
    payload_trigger: Text = None
    payload_start: Text = None
    payload_pause: Text = None
    payload_return_to_base: Text = None
    payload_clean_spot: Text = None
    payload_locate: Text = None
    payload_oscillation_on: Text = None
    payload_oscillation_off: Text = None
    payload_available: Text = None
    payload_not_available: Text = None
    state_on: Text = None
    state_off: Text = None
    state_locked: Text = None
    state_unlocked: Text = None
    state_locking: Text = None
    state_unlocking: Text = None
    state_jammed: Text = None
    state_open: Text = None
    state_opening: Text = None
    state_closed: Text = None
    state_closing: Text = None
    state_stopped: Text = None

    # scales, ranges and options
    on_command_type: Literal["last", "first", "brightness"] | None = None
    brightness: bool | None = None
    brightness_scale: int | None = Field(None, ge=1)
    color_temp_kelvin: bool | None = None
    """Colour temperature in kelvin on the wire instead of mireds (newer Home Assistant)."""
    min_mireds: int | None = Field(None, ge=1)
    max_mireds: int | None = Field(None, ge=1)
    min_kelvin: int | None = Field(None, ge=1)
    max_kelvin: int | None = Field(None, ge=1)
    supported_color_modes: tuple[str, ...] | None = None
    color_mode: bool | None = None
    """json schema: Home Assistant 2024.3 wants it true beside supported_color_modes; no effect here."""
    effect_list: tuple[str, ...] | None = None
    position_open: int | None = None
    position_closed: int | None = None
    tilt_min: int | None = None
    tilt_max: int | None = None
    tilt_opened_value: int | None = None
    tilt_closed_value: int | None = None
    reports_position: bool | None = None
    speed_range_min: int | None = Field(None, ge=1)
    speed_range_max: int | None = Field(None, ge=1)
    preset_modes: tuple[str, ...] | None = None
    modes: tuple[str, ...] | None = None
    fan_modes: tuple[str, ...] | None = None
    swing_modes: tuple[str, ...] | None = None
    fan_speed_list: tuple[str, ...] | None = None
    available_tones: tuple[str, ...] | None = None
    supported_features: tuple[str, ...] | None = None
    temperature_unit: Literal["C", "F"] | None = None
    min_temp: float | None = None
    max_temp: float | None = None
    precision: float | None = None
    temp_step: float | None = None
    min_humidity: float | None = None
    max_humidity: float | None = None
    optimistic: bool | None = None
    support_volume_set: bool | None = None
    support_duration: bool | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _numbers_as_text(cls, v: Any, info: Any) -> Any:
        name = info.field_name
        if (name.startswith(("payload_", "state_")) and not name.endswith("_topic")
                and isinstance(v, (int, float))):
            return str(v)
        return v

    @model_validator(mode="after")
    def _templates_in_subset(self) -> HaEntity:
        for name in type(self).model_fields:
            text = getattr(self, name)
            if not name.endswith("_template") or text is None:
                continue
            command = "command" in name or name == "set_position_template"
            try:
                Template(text, COMMAND_TEMPLATE_VARIABLES if command else ("value", "value_json"))
            except TemplateSyntaxError as e:
                raise ValueError(f"{name}: {e} (see hub/hass/template.py for what is supported)") from None
        if self.schema_ == "json":
            for name in ("brightness_command_topic", "color_temp_command_topic", "rgb_command_topic"):
                if getattr(self, name) is not None:
                    raise ValueError(f"{name}: a light of schema json takes every command on command_topic")
        return self


class Platform(BaseModel):
    """devices/homeassistant.yaml: one hub device type's Home Assistant MQTT platform."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    platform: str
    """Home Assistant's platform name (the ``<component>`` of a discovery topic)."""
    defaults: HaEntity = HaEntity()
    """Home Assistant's defaults for what a discovery config leaves out."""
    layout: dict[str, str] = {}
    """Topics of a device configured with ``topic:`` only; ``{topic}`` is its topic."""
    json_state: bool = False
    """Its state topic may carry a JSON object: ``state`` (a state word) and attributes
    (``battery_level``, ``volume_level``...), as a siren's or a vacuum's does."""
    features: dict[str, str] = {}
    """Home Assistant's ``supported_features`` names -> the hub's feature (devices/types.yaml)
    they give; names the hub has no feature for are left out."""


Reading = Literal["state", "brightness", "color_temp", "position", "tilt", "fan_speed", "current_temperature",
                  "target_temperature", "hvac_mode", "humidity", "target_humidity", "availability"]


class StateTopic(BaseModel):
    """devices/homeassistant.yaml ``state_topics``: how one state topic of an entity is read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    templates: tuple[str, ...] = ()
    """Value-template keys Home Assistant applies to this topic's payload; the first present wins."""
    reads: Reading


class _HaFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    platforms: dict[str, Platform]
    state_topics: dict[str, StateTopic]
    abbreviations: dict[str, str]
    device_abbreviations: dict[str, str]

    @model_validator(mode="after")
    def _known_keys(self) -> _HaFile:
        for t, p in self.platforms.items():
            for key in p.layout:
                if key not in HaEntity.model_fields or not key.endswith("_topic"):
                    raise ValueError(f"platforms.{t}.layout: {key!r} is not a topic key")
        for key, st in self.state_topics.items():
            for k in (key, *st.templates):
                if k not in HaEntity.model_fields:
                    raise ValueError(f"state_topics.{key}: {k!r} is not a discovery-config key")
        return self


@cache
def _ha_file(path: Path = HA_FILE) -> _HaFile:
    with open(path, encoding="utf-8") as f:
        return _HaFile.model_validate(yaml.safe_load(f))


def platforms() -> dict[str, Platform]:
    """Hub device type -> its platform, read once. Raises pydantic's ValidationError on a
    malformed devices/homeassistant.yaml."""
    return _ha_file().platforms


def abbreviations() -> tuple[dict[str, str], dict[str, str]]:
    """(entity key abbreviations, device key abbreviations) -> full names."""
    f = _ha_file()
    return f.abbreviations, f.device_abbreviations


def state_topics() -> dict[str, StateTopic]:
    """State-topic key (``current_temperature_topic``...) -> how it is read."""
    return _ha_file().state_topics


def entity_keys() -> frozenset[str]:
    """Every key an ``entity:`` may hold (the names catalog payload templates may use)."""
    return frozenset(f.alias or n for n, f in HaEntity.model_fields.items())


def entity_config(device_type: str, topic: str, entity: HaEntity | None) -> dict[str, Any]:
    """The merged discovery config of a device: platform defaults, then either the conventional
    layout (``entity`` None) or the entity's own keys. A key set to null in ``entity`` (e.g.
    ``payload_stop: null``) removes the default, as in Home Assistant. Keys are the full names,
    ``schema`` included; absent keys are left out."""
    p = platforms().get(device_type)
    out: dict[str, Any] = p.defaults.model_dump(by_alias=True, exclude_none=True) if p else {}
    if entity is None:
        out.update({k: v.replace("{topic}", topic) for k, v in (p.layout.items() if p else ())})
    else:
        out.update(entity.model_dump(by_alias=True, exclude_unset=True))
    return {k: v for k, v in out.items() if v is not None}
