"""The versioned HTTP API, ``/api/v1/...`` (the model-service interface), on the same
:class:`ServedHub` as the first API: understand text, recognise a WAV, the devices, their state,
the models loaded and health. Errors as in hub.serve.api: ``{"error": {"code", "message", "where"}}``.
"""

from __future__ import annotations

from fastapi import FastAPI, Header, Query, Request
from starlette.concurrency import run_in_threadpool

from hub.errors import HubError
from hub.registry.registry import read_manifest
from hub.serve.resources import ERRORS, device_of, hear_body, known_area, state_of
from hub.serve.hub import ServedHub
from hub.serve.models import (DevicesOut, HealthOut, MessageOut, ModelsOut, NluModelOut, Preferences,
                              RecognizeResponse, StatesOut, UnderstandingJson, UnderstandRequest, UnderstandResponse)
from hub.settings.http import HttpSettings

ACCURACY_SETS = {"high": "full", "low_power": "low-power"}
"""preferences.accuracy_level -> the model set it asks for; ``balanced`` asks for none (the set in force)."""
WAV_BODY = {"requestBody": {"required": True, "content": {"audio/wav": {"schema": {"type": "string",
                                                                                    "format": "binary"}}}}}


def add_v1(app: FastAPI, hub: ServedHub, settings: HttpSettings) -> None:
    """Add the ``/api/v1`` routes to ``app`` (built by hub.serve.api.create_app, whose error
    handlers, body and rate limits and token apply)."""

    @app.post("/api/v1/understand", response_model=UnderstandResponse, response_model_exclude_unset=True,
              responses=ERRORS, tags=["v1"])
    async def understand(req: UnderstandRequest) -> UnderstandResponse:
        """Understand a command (the understanding is `hub parse --jsonl`'s object) and, with
        ``execute``, carry it out over MQTT. ``preferences.accuracy_level`` picks the model set's
        parser when that set is loaded; otherwise the set in force runs and ``model_set_note`` says so."""
        area = known_area(hub, req.area, "body.area")
        prefs = req.preferences or Preferences()
        asked = ACCURACY_SETS.get(prefs.accuracy_level or "balanced")
        loaded = hub.parsers()
        chosen = asked if asked in loaded else None
        if req.execute:
            done = await run_in_threadpool(hub.act, req.text, area, model_set=chosen)
            u, ran, nlu_ms = done.understanding, done.model_set, done.ms["nlu"]
            extra = {"published": [MessageOut.of(m) for m in done.outcome.published], "reply": done.outcome.reply}
        else:
            reading = await run_in_threadpool(hub.parse, req.text, area, model_set=chosen)
            u, ran, nlu_ms, extra = reading.understanding, reading.model_set, reading.nlu_ms, {}
        if req.request_id is not None:
            extra["request_id"] = req.request_id
        if asked is not None:
            extra["model_set_asked"] = asked
            if asked != ran:
                extra["model_set_note"] = (f"accuracy_level {prefs.accuracy_level} asks for the {asked} set, which is "
                                           f"not loaded (loaded: {', '.join(loaded)}); the {ran} set ran")
        if prefs.max_latency_ms is not None:
            extra["latency_met"] = nlu_ms <= prefs.max_latency_ms
        return UnderstandResponse(understanding=UnderstandingJson.of(u), model_set=ran, nlu_ms=round(nlu_ms, 3),
                                  **extra)

    @app.post("/api/v1/recognize", response_model=RecognizeResponse, response_model_exclude_unset=True,
              responses=ERRORS, tags=["v1"], openapi_extra=WAV_BODY)
    async def recognize(request: Request,
                        request_id: str | None = Query(None, min_length=1, max_length=128,
                                                       description="echoed; or the X-Request-Id header"),
                        x_request_id: str | None = Header(None, min_length=1, max_length=128),
                        area: str | None = Query(None, description="area id of the speaker"),
                        confirmed: bool = Query(False)) -> RecognizeResponse:
        """One spoken command as a WAV body (PCM 8/16/24/32-bit or float, any rate and channels;
        no wake word needed): transcribed, understood and carried out over MQTT, as /api/speech."""
        known_area(hub, area, "query.area")
        done = await hear_body(request, hub, settings, area, confirmed)
        rid = request_id if request_id is not None else x_request_id
        return RecognizeResponse(**({"request_id": rid} if rid is not None else {}),
                                 transcript=done.transcript.text, understanding=UnderstandingJson.of(done.understanding),
                                 model_set=done.model_set, published=[MessageOut.of(m) for m in done.outcome.published],
                                 reply=done.outcome.reply, ms={k: round(v, 3) for k, v in done.ms.items()})

    @app.get("/api/v1/devices", response_model=DevicesOut, tags=["v1"])
    def devices() -> DevicesOut:
        """Every configured device: id, name, area, type, protocol, topic, features."""
        return DevicesOut(devices=[device_of(hub, d.id) for d in hub.cfg.devices])

    @app.get("/api/v1/state", response_model=StatesOut, tags=["v1"])
    def state() -> StatesOut:
        """Every device's last known state: only what it reported, and the sentence the hub would say."""
        return StatesOut(states=[state_of(hub, d.id) for d in hub.cfg.devices])

    @app.get("/api/v1/models", response_model=ModelsOut, tags=["v1"])
    def models() -> ModelsOut:
        """The model set loaded and why, the understanding model's version (its manifest), the
        speech recogniser and the wake word."""
        return models_of(hub)

    @app.get("/api/v1/health", response_model=HealthOut, tags=["v1"])
    def health() -> HealthOut:
        """The hub is up with its models loaded; whether the broker is connected. Needs no token."""
        return HealthOut(model_set=hub.model_set, mqtt_connected=hub.mqtt_connected)


def models_of(hub: ServedHub) -> ModelsOut:
    """What :func:`hub.stages.load_audio_stages` loaded for the set in force, and the NLU
    version's manifest (models/nlu/<version>/manifest.json; its fields left out if unreadable)."""
    cfg, version = hub.cfg, hub.nlu_version
    manifest: dict = {}
    if version is not None:
        try:
            manifest = read_manifest(hub.session.stages.registry.path(version))
        except HubError:  # a version removed under the running hub: its name is still right
            manifest = {}
    nlu = NluModelOut(version=version, name=manifest.get("name"), architecture=manifest.get("architecture"),
                      metrics=manifest.get("metrics"))
    if hub.model_set == "low-power":
        asr = {"engine": "pocketsphinx", "model": "home grammar (JSGF)",
               "fallback": "faster-whisper tiny.en" if cfg.power.fallback else None}
        wake = {"engine": "microwakeword", "model": cfg.power.wake_word}
    else:
        asr = {"engine": "faster-whisper", "model": cfg.asr.model}
        wake = {"engine": "openwakeword", "model": cfg.hub.wake_word.model}
    return ModelsOut(model_set=hub.model_set, model_set_reason=hub.model_set_reason,
                     understand_sets=list(hub.parsers()), nlu=nlu, asr=asr, wake_word=wake)
