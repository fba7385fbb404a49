"""The typed requests and responses of the HTTP API (pydantic; FastAPI builds /openapi.json from
them). Units: ms of wall time, s of audio, confidences 0..1, times as Unix seconds."""

from __future__ import annotations

from typing import Any, Literal

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
                                               "without asking for a yes, as `hub say --yes` (not one for later: "
                                               "that waits for a yes said at a speaker)")


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
    awaiting_confirmation: bool = Field(description="a yes (the next request's text) or confirmed=true is needed; "
                                                    "for a command in time, a yes said at a speaker of the hub")

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


class WakeScoresOut(BaseModel):
    """The microphone's wake-word score, one point per 80 ms frame, for the page's live graph."""

    wake_word: str
    threshold: float = Field(description="the score a detection must reach, 0..1")
    scores: list[tuple[float, float]] = Field(description="(Unix time s, score 0..1), oldest first; "
                                                          "empty without a microphone")


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


# ---------------------------------------------------------------------------------------------- /api/v1
# Responses leave out the fields that do not apply (FastAPI's response_model_exclude_unset): an
# absent request_id is not echoed, ``published`` comes only when something was carried out.

REQUEST_ID = Field(None, min_length=1, max_length=128, description="echoed in the answer")


class Preferences(_Request):
    max_latency_ms: float | None = Field(None, gt=0, le=600000, description="the answer says whether the "
                                         "parser's wall ms met it (latency_met); it chooses no set")
    accuracy_level: Literal["high", "balanced", "low_power"] | None = Field(
        None, description="high: the full set's parser (the trained model); low_power: the low-power set's "
                          "(templates, no model); balanced or absent: the set in force")


class UnderstandRequest(_Request):
    request_id: str | None = REQUEST_ID
    text: str = Field(min_length=1, max_length=MAX_TEXT, description="the command, as it would be said")
    area: str | None = Field(None, description="area id of the speaker (room context); default hub.area")
    execute: bool = Field(False, description="carry it out over MQTT too (as POST /api/text)")
    preferences: Preferences | None = None


class CommandJson(BaseModel):
    """A command as `hub parse --jsonl` prints it (hub.types.Command.to_json): only the keys that apply."""

    device: str
    action: str
    value: float | int | str | None = None
    about: str | None = Field(None, description="the state asked by a query")
    delay_s: float | int | None = None
    at: str | None = Field(None, description="HH:MM")
    duration_s: float | int | None = None
    until: str | None = Field(None, description="HH:MM")


class UnderstandingJson(BaseModel):
    """Exactly the object `hub parse --jsonl` prints (hub.types.Understanding.to_json); ``slots``
    only for an intent that is no device command (a timer's, a custom intent's)."""

    text: str
    intent: str | None
    commands: list[CommandJson]
    confidence: float
    response: str
    slots: dict[str, float | int | str | None] | None = None

    @classmethod
    def of(cls, u: Understanding) -> "UnderstandingJson":
        return cls.model_validate(u.to_json())


class UnderstandResponse(BaseModel):
    request_id: str | None = None
    understanding: UnderstandingJson
    model_set: str = Field(description="the model set whose parser ran: full or low-power")
    model_set_asked: str | None = Field(None, description="the set preferences.accuracy_level asked for, when given")
    model_set_note: str | None = Field(None, description="why another set than the one asked ran (it is not loaded)")
    nlu_ms: float = Field(description="the parser's wall ms")
    latency_met: bool | None = Field(None, description="nlu_ms within preferences.max_latency_ms, when given")
    published: list[MessageOut] | None = Field(None, description="with execute: the messages the broker acknowledged")
    reply: str | None = Field(None, description="with execute: what the hub says it did (or asks)")


class RecognizeResponse(BaseModel):
    request_id: str | None = None
    transcript: str = Field(description="what the recogniser heard (a leading wake word taken off)")
    understanding: UnderstandingJson
    model_set: str
    published: list[MessageOut] = Field(description="the messages the broker acknowledged")
    reply: str
    ms: dict[str, float] = Field(description="wall ms per step: asr, nlu, act")


class DevicesOut(BaseModel):
    devices: list[DeviceOut]


class StatesOut(BaseModel):
    states: list[DeviceStateOut] = Field(description="every configured device's last known state, in config order")


class NluModelOut(BaseModel):
    version: str | None = Field(description="the registry version in use (models/nlu/<version>)")
    name: str | None = None
    architecture: str | None = None
    metrics: dict[str, Any] | None = Field(None, description="from the version's manifest.json")


class ModelsOut(BaseModel):
    model_set: str = Field(description="the audio model set loaded: full or low-power")
    model_set_reason: str | None = None
    understand_sets: list[str] = Field(description="the sets whose parser is loaded: what "
                                                   "preferences.accuracy_level can choose per request")
    nlu: NluModelOut
    asr: dict[str, str | None] = Field(description="engine and model: faster-whisper and the whisper size (full), "
                                                   "pocketsphinx with its whisper fallback (low-power)")
    wake_word: dict[str, str] = Field(description="engine and wake word model")
