"""``intent_script:`` in config.yaml: what a custom intent does, shaped like Home Assistant's
(https://www.home-assistant.io/integrations/intent_script/)::

    intent_script:
      SetVolume:
        speech:
          text: "Volume set to {{ volume }}"
        action:
          - mqtt: {topic: "media/{{ media_player }}/volume", payload: "{{ volume }}", qos: 1, retain: false}
          - command: {device: "{{ media_player }}", action: set_volume, value: "{{ volume }}"}

Templates are Jinja2 rendered in its sandbox (https://jinja.palletsprojects.com/en/3.1.x/sandbox/)
with each slot as a variable (``{{ volume }}``), ``slots`` (all of them, as Home Assistant's
response templates use), ``text`` (what was said) and ``area`` (the speaker's area id or None).
A ``payload`` may be a mapping: its string leaves are rendered and the whole is sent as JSON.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, Literal

from jinja2 import TemplateSyntaxError, meta
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

GIVEN = frozenset({"slots", "text", "area"})
"""Variables every template has besides the slots."""

_ENV = SandboxedEnvironment(autoescape=False, keep_trailing_newline=False)


def _check(template: str) -> str:
    try:
        _ENV.parse(template)
    except TemplateSyntaxError as e:
        raise ValueError(f"template {template!r} does not parse (line {e.lineno} of the template): {e.message}") from None
    return template


@lru_cache(maxsize=512)
def _compiled(template: str):
    return _ENV.from_string(template)


def render(template: str, variables: dict[str, Any]) -> str:
    """Render one sandboxed template. Raises jinja2's errors (SecurityError, UndefinedError...)
    for a template that fails at run time."""
    return _compiled(template).render(variables)


def variables_of(template: str) -> set[str]:
    """Names a template reads that it does not set itself."""
    return meta.find_undeclared_variables(_ENV.parse(template))


def _leaves(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _leaves(v)]
    if isinstance(value, list):
        return [s for v in value for s in _leaves(v)]
    return []


def _render_leaves(value: Any, variables: dict[str, Any]) -> Any:
    if isinstance(value, str):
        return render(value, variables)
    if isinstance(value, dict):
        return {k: _render_leaves(v, variables) for k, v in value.items()}
    if isinstance(value, list):
        return [_render_leaves(v, variables) for v in value]
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MqttStep(_Strict):
    """Publish one message. ``topic`` and ``payload`` are templates."""

    topic: str = Field(min_length=1)
    payload: str | dict[str, Any] | list[Any] = ""
    """Text template, or a mapping/list whose string leaves are templates (sent as JSON)."""
    qos: Literal[0, 1, 2] = 1
    retain: bool = False

    @field_validator("topic")
    @classmethod
    def _topic(cls, v: str) -> str:
        if "#" in v or "+" in v:
            raise ValueError(f"topic {v!r}: a publish topic has no wildcards (# or +)")
        return _check(v)

    @field_validator("payload")
    @classmethod
    def _payload(cls, v: Any) -> Any:
        for leaf in _leaves(v):
            _check(leaf)
        return v

    def templates(self) -> dict[str, str]:
        return {"topic": self.topic, **{f"payload{'' if isinstance(self.payload, str) else '.*'}": t
                                        for t in _leaves(self.payload)}}

    def payload_bytes(self, variables: dict[str, Any]) -> bytes:
        if isinstance(self.payload, str):
            return render(self.payload, variables).encode("utf-8")
        return json.dumps(_render_leaves(self.payload, variables)).encode("utf-8")


class CommandStep(_Strict):
    """Run one hub command: ``device`` (an id or name of config.yaml, or a template giving one),
    ``action`` (a catalog action: ``hub commands``), ``value`` (a number, a word, or a template)."""

    device: str = Field(min_length=1)
    action: str = Field(min_length=1)
    value: str | float | int | None = None

    @field_validator("device")
    @classmethod
    def _device(cls, v: str) -> str:
        return _check(v)

    @field_validator("value")
    @classmethod
    def _value(cls, v: Any) -> Any:
        return _check(v) if isinstance(v, str) else v

    def templates(self) -> dict[str, str]:
        return {"device": self.device, **({"value": self.value} if isinstance(self.value, str) else {})}


HA_PUBLISH = "mqtt.publish"
"""Home Assistant's MQTT publish action: ``{action: mqtt.publish, data: {topic, payload, qos,
retain}}`` (``service:`` in older files) is taken as an ``mqtt`` step, so a Home Assistant
intent_script that publishes works as it is."""


class Step(_Strict):
    """One step of ``action:``: exactly one of ``mqtt`` or ``command`` (or Home Assistant's
    ``mqtt.publish`` action, see :data:`HA_PUBLISH`)."""

    mqtt: MqttStep | None = None
    command: CommandStep | None = None

    @model_validator(mode="before")
    @classmethod
    def _home_assistant_publish(cls, v: Any) -> Any:
        if not isinstance(v, dict) or not ({"action", "service"} & set(v)):
            return v
        name = v.get("action", v.get("service"))
        if name != HA_PUBLISH or set(v) - {"action", "service", "data"}:
            raise ValueError(f"of Home Assistant's actions only {HA_PUBLISH} (with data: topic, payload, qos, "
                             f"retain) is known here, not {name!r}; a hub device is a command: step")
        return {"mqtt": v.get("data")}

    @model_validator(mode="after")
    def _one(self) -> "Step":
        if (self.mqtt is None) == (self.command is None):
            raise ValueError("a step is exactly one of mqtt: {topic, payload, qos, retain} or "
                             "command: {device, action, value}")
        return self


class Speech(_Strict):
    text: str
    type: Literal["plain"] = "plain"

    @field_validator("text")
    @classmethod
    def _text(cls, v: str) -> str:
        return _check(v)


class IntentScript(_Strict):
    """What one custom intent does and says."""

    description: str | None = None
    speech: Speech | None = None
    """None: the sentence files' ``responses:`` for the intent, else no reply."""
    action: tuple[Step, ...] = ()

    @field_validator("action", mode="before")
    @classmethod
    def _one_or_many(cls, v: Any) -> Any:
        return [v] if isinstance(v, dict) else v

    def templates(self) -> dict[tuple, str]:
        """Every template, by its path under the intent (``("action", 0, "mqtt", "payload")``)."""
        out: dict[tuple, str] = {}
        if self.speech is not None:
            out[("speech", "text")] = self.speech.text
        for i, step in enumerate(self.action):
            kind, body = ("mqtt", step.mqtt) if step.mqtt is not None else ("command", step.command)
            for key, t in body.templates().items():
                out[("action", i, kind, key.removesuffix(".*"))] = t
        return out
