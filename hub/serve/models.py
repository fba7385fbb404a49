"""The typed requests and responses of the HTTP API (pydantic; FastAPI builds /openapi.json from
them). Units: ms of wall time, s of audio, confidences 0..1, times as Unix seconds."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from hub.execute import Outcome
from hub.serve.hub import Exchange, Reading
from hub.types import Command, MqttMessage, Transcript, Understanding

MAX_TEXT = 500
"""Characters of one typed command."""


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ParseRequest(_Request):
    text: str = Field(min_length=1, max_length=MAX_TEXT, description="the command, as it would be said")
    area: str | None = Field(None, description="area id of the speaker (room context); default hub.area")


class TextRequest(ParseRequest):
    confirmed: bool = Field(False, description="carry out a security-sensitive command (unlock, open a gate) "
                                               "without asking for a yes, as `hub say --yes`")


class CommandOut(BaseModel):
    device: str = Field(description="config device id")
    action: str
    value: float | int | str | None = None
    unit: str | None = None

    @classmethod
    def of(cls, c: Command) -> "CommandOut":
        return cls(device=c.device, action=c.action, value=c.value, unit=c.unit)


class UnderstandingOut(BaseModel):
    """What the text means in this home, as `hub parse` prints it, plus the parser's own flags."""

    text: str
    intent: str | None
    commands: list[CommandOut]
    confidence: float
    response: str = Field(description="the reply the parser would give")
    area: str | None
    complete: bool = Field(description="false when the text reads as stopped mid-command")
    choice: list[str] | None = Field(None, description="device ids the hub asks to choose among; "
                                                       "the next /api/text request is the answer")

    @classmethod
    def of(cls, u: Understanding) -> "UnderstandingOut":
        return cls(text=u.text, intent=u.intent, commands=[CommandOut.of(c) for c in u.commands],
                   confidence=round(u.confidence, 4), response=u.response, area=u.area, complete=u.complete,
                   choice=list(u.choice.candidates) if u.choice else None)


class ParseResponse(BaseModel):
    understanding: UnderstandingOut
    nlu_ms: float
    model_set: str = Field(description="the model set whose parser ran: full or low-power")

    @classmethod
    def of(cls, r: Reading) -> "ParseResponse":
        return cls(understanding=UnderstandingOut.of(r.understanding), nlu_ms=round(r.nlu_ms, 3),
                   model_set=r.model_set)


class MessageOut(BaseModel):
    topic: str
    payload: str = Field(description="UTF-8 text of the payload (invalid bytes replaced)")

    @classmethod
    def of(cls, m: MqttMessage) -> "MessageOut":
        return cls(topic=m.topic, payload=m.payload.decode("utf-8", "replace"))


class RefusedOut(BaseModel):
    device: str
    action: str
    reason: str


class OutcomeOut(BaseModel):
    """What carrying out the understanding did on MQTT."""

    published: list[MessageOut] = Field(description="acknowledged by the broker (PUBACK): done")
    waiting: list[MessageOut] = Field(description="queued while the broker is away or unacknowledged so far")
    dropped: list[MessageOut]
    refused: list[RefusedOut]
    reply: str
    awaiting_confirmation: bool = Field(description="a yes (the next request's text) or confirmed=true is needed")

    @classmethod
    def of(cls, o: Outcome) -> "OutcomeOut":
        return cls(published=[MessageOut.of(m) for m in o.published], waiting=[MessageOut.of(m) for m in o.waiting],
                   dropped=[MessageOut.of(m) for m in o.dropped],
                   refused=[RefusedOut(device=c.device, action=c.action, reason=r) for c, r in o.refused],
                   reply=o.reply, awaiting_confirmation=o.awaiting_confirmation)


class TranscriptOut(BaseModel):
    text: str
    confidence: float
    unsure: str | None = Field(None, description="why the commands wait for a yes; null: acted on")

    @classmethod
    def of(cls, t: Transcript) -> "TranscriptOut":
        return cls(text=t.text, confidence=round(t.confidence, 4), unsure=t.unsure)


class ExchangeOut(BaseModel):
    """One command heard or sent, and what came of it."""

    at: float = Field(description="Unix time, s")
    channel: str = Field(description="how it came: mic, text, speech (HTTP API), page; other front ends name their own")
    transcript: TranscriptOut | None = Field(None, description="what the recogniser heard (mic, speech)")
    audio_s: float | None = None
    understanding: UnderstandingOut
    outcome: OutcomeOut
    ms: dict[str, float] = Field(description="wall ms per step: asr, nlu, act (route, publish, PUBACK)")

    @classmethod
    def of(cls, e: Exchange) -> "ExchangeOut":
        return cls(at=round(e.at, 3), channel=e.channel,
                   transcript=TranscriptOut.of(e.transcript) if e.transcript else None,
                   audio_s=None if e.audio_s is None else round(e.audio_s, 3),
                   understanding=UnderstandingOut.of(e.understanding), outcome=OutcomeOut.of(e.outcome),
                   ms={k: round(v, 3) for k, v in e.ms.items()})


class DeviceOut(BaseModel):
    id: str
    name: str
    area: str | None
    type: str
    protocol: str
    topic: str
    features: list[str]


class DeviceStateOut(BaseModel):
    """The last known state (hub.devices.state.DeviceState): only what the device reported."""

    device: str
    known: dict[str, bool | float | int | str] = Field(description="reported fields: power, state, brightness (%), "
                                                                   "position (%), target_temperature (°C)...")
    said: str = Field(description="the state as the hub would say it")
    last_update: float | None = Field(None, description="Unix time of the last state message; null: never heard")


class DeviceWithState(DeviceOut):
    state: DeviceStateOut


class BrokerOut(BaseModel):
    address: str
    connected: bool


class MicOut(BaseModel):
    source: str | None = Field(None, description="the microphone listened to; null without --mic")
    listening: bool
    error: str | None = Field(None, description="why the microphone loop stopped")


class StatusOut(BaseModel):
    name: str
    model_set: str
    model_set_reason: str | None = Field(None, description="why the scheduler chose that set")
    nlu_version: str | None
    broker: BrokerOut
    mic: MicOut
    started_at: float = Field(description="Unix time, s")
    uptime_s: float
    recent: list[ExchangeOut] = Field(description="newest first")


class HealthOut(BaseModel):
    status: Literal["ok"] = "ok"
    model_set: str
    mqtt_connected: bool


class ErrorBody(BaseModel):
    code: str = Field(description="machine-readable: invalid_json, invalid_request, unknown_area, unknown_device, "
                                  "unsupported_media_type, not_wav, bad_audio, too_large, too_long, busy, "
                                  "unauthorized, not_found...")
    message: str
    where: str | None = Field(None, description="the part of the request at fault, e.g. body.text, path.device_id")


class ErrorOut(BaseModel):
    error: ErrorBody
