"""What the HTTP API's routes share (hub/serve/api.py for /api, api_v1.py for /api/v1, page.py for
the status page): its errors, the hub's things as response models (status, a device, a device's
state) and the transcription of a posted WAV body.

Every error is JSON ``{"error": {"code", "message", "where"}}`` (:class:`ApiError`,
:func:`error_response`) with the status saying what was wrong.
"""

from __future__ import annotations

import time

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from hub.audio.wav import decode_wav
from hub.errors import AudioError, AudioTooLong
from hub.serve.hub import Exchange, ServedHub
from hub.serve.models import DeviceOut, DeviceStateOut, ErrorOut, ExchangeOut, StatusOut
from hub.settings.http import HttpSettings

ERRORS = {status: {"model": ErrorOut} for status in (400, 401, 403, 404, 413, 415, 422, 429, 503)}


class ApiError(HTTPException):
    """A request the hub refuses: ``status`` (4xx, or 503 when busy), a ``code`` and a message
    naming ``where``."""

    def __init__(self, status: int, code: str, message: str, where: str | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(status, message, headers)
        self.code, self.where = code, where


def error_response(status: int, code: str, message: str, where: str | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorOut(error={"code": code, "message": message, "where": where})
    return JSONResponse(body.model_dump(), status, headers=headers)


def known_area(hub: ServedHub, area: str | None, where: str) -> str | None:
    """``area`` if the config knows it (or None); else ApiError 422 ``unknown_area`` at ``where``."""
    if area is not None and area not in hub.cfg.area_by_id:
        raise ApiError(422, "unknown_area", f"unknown area {area!r} (known: {', '.join(hub.cfg.area_by_id)})", where)
    return area


async def hear_body(request: Request, hub: ServedHub, settings: HttpSettings, area: str | None,
                    confirmed: bool) -> Exchange:
    """The request's WAV body (any rate, channels, PCM 8-32-bit or float) transcribed,
    understood and carried out (:meth:`ServedHub.hear`, channel ``speech``) in a worker thread,
    one of ``http.speech_slots``. Raises ApiError: 415 ``unsupported_media_type`` or
    ``not_wav``, 422 ``bad_audio``, 413 ``too_long``, 503 ``busy``."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in ("audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave", "application/octet-stream"):
        raise ApiError(415, "unsupported_media_type", f"Content-Type {kind or '(none)'!r}: send the WAV "
                       "file itself as the body, with Content-Type: audio/wav", "header.content-type")
    body = await request.body()
    if body[:4] != b"RIFF" or body[8:12] != b"WAVE":
        raise ApiError(415, "not_wav", f"body: not a WAV file ({len(body)} bytes starting {body[:12]!r}; "
                       "expected b'RIFF....WAVE')", "body")
    try:  # the header's length, rate and channels are checked before any decoding
        samples = decode_wav(body, "body", max_seconds=settings.max_audio_s)
    except AudioTooLong as e:
        raise ApiError(413, "too_long", f"{e} (http.max_audio_s)", "body") from None
    except AudioError as e:
        raise ApiError(422, "bad_audio", str(e), "body") from None
    slots = request.app.state.speech_slots
    if not slots.acquire(blocking=False):
        raise ApiError(503, "busy", f"{settings.speech_slots} spoken commands are being transcribed; send it "
                       "again shortly (http.speech_slots)", headers={"Retry-After": "1"})
    try:
        return await run_in_threadpool(hub.hear, samples, area, confirmed=confirmed)
    finally:
        slots.release()


def status_of(hub: ServedHub) -> StatusOut:
    return StatusOut(name=hub.cfg.hub.name, model_set=hub.model_set, model_set_reason=hub.model_set_reason,
                     nlu_version=hub.nlu_version,
                     broker={"address": hub.broker.address(), "connected": hub.mqtt_connected},
                     mic={"source": hub.mic_source, "listening": hub.listening, "error": hub.mic_error},
                     started_at=round(hub.started, 3), uptime_s=round(time.time() - hub.started, 3),
                     recent=[ExchangeOut.of(e) for e in hub.recent()])


def device_of(hub: ServedHub, device_id: str) -> DeviceOut:
    d = hub.cfg.device_by_id.get(device_id)
    if d is None:
        raise ApiError(404, "unknown_device", f"no device {device_id!r} in {hub.cfg.source} "
                       f"(GET /api/devices lists its {len(hub.cfg.devices)} devices)", "path.device_id")
    return DeviceOut(id=d.id, name=d.name, area=d.area, type=d.type, protocol=d.protocol, topic=d.topic,
                     features=list(d.features))


def state_of(hub: ServedHub, device_id: str) -> DeviceStateOut:
    from hub.devices.state import describe_state

    store = hub.session.stages.state
    s = store.get(device_id)
    known = s.known() if s is not None else {}
    last = known.pop("last_update", None)
    said = describe_state(hub.cfg.device_by_id[device_id], s, language=hub.cfg.hub.language)
    return DeviceStateOut(device=device_id, known=known, said=said, last_update=last)
