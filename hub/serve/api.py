"""The local HTTP API of `hub serve` (FastAPI on uvicorn) and its status page.

Every error is JSON ``{"error": {"code", "message", "where"}}`` with a 4xx status saying what was
wrong and where (never a traceback; a fault of the hub is a 500 with the same shape, logged).
The OpenAPI document is ``GET /openapi.json``; FastAPI's Swagger and ReDoc pages are off, since
they load their scripts from a CDN and the hub works offline.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import logging
import math
import threading
from urllib.parse import parse_qs, urlsplit

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from hub.serve.hub import ServedHub
from hub.serve.models import (MAX_TEXT, DeviceStateOut, DeviceWithState, ExchangeOut,
                              HealthOut, ParseRequest, ParseResponse, StatusOut, TextRequest,
                              WakeScoresOut)
from hub.serve.ratelimit import TokenBuckets
from hub.serve.resources import (ERRORS, ApiError, device_of, error_response, hear_body, known_area, state_of,
                                 status_of)
from hub.settings.http import HttpSettings, is_loopback

log = logging.getLogger(__name__)

OPEN_PATHS = frozenset({"/api/health", "/api/v1/health"})
"""Answered without the token: a supervisor's liveness check learns nothing private."""
def create_app(hub: ServedHub, settings: HttpSettings, token: str | None) -> FastAPI:
    """The API and page over ``hub``. ``token``: the bearer token every request but
    ``/api/health`` must carry (None: none asked; only sensible on loopback)."""
    from hub.serve.page import render_page

    app = FastAPI(title="hub", version="1", docs_url=None, redoc_url=None,
                  description="The local API of an offline voice smart-home hub: text or speech in, "
                              "commands over MQTT out. Errors: {\"error\": {code, message, where}}.")
    if is_loopback(settings.host):
        # a web page elsewhere must not reach a loopback API by DNS rebinding
        app.add_middleware(LoopbackHost)
    wav_limit = int(settings.max_wav_mb * 2**20)
    app.add_middleware(BodyLimit, limits={"/api/speech": wav_limit, "/api/v1/recognize": wav_limit},
                       default=settings.max_json_kb * 1024)
    if token is not None:
        app.add_middleware(BearerAuth, token=token)
    if settings.max_requests_per_s is not None:  # outermost: a flood is refused before anything is read
        app.add_middleware(RateLimit, buckets=TokenBuckets(settings.max_requests_per_s))
    app.state.speech_slots = threading.BoundedSemaphore(settings.speech_slots)

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, e: ApiError) -> JSONResponse:
        return error_response(e.status_code, e.code, e.detail, e.where, e.headers)

    @app.exception_handler(HTTPException)
    async def _http_error(_request: Request, e: HTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(e.status_code, "http_error")
        return error_response(e.status_code, code, str(e.detail), headers=e.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, e: RequestValidationError) -> JSONResponse:
        return validation_response(request, e)

    @app.exception_handler(Exception)
    async def _fault(_request: Request, e: Exception) -> JSONResponse:
        log.exception("HTTP request failed")
        return error_response(500, "internal_error", f"the hub failed on this request ({type(e).__name__}); "
                                                     "see its log")

    def area_of(area: str | None, where: str) -> str | None:
        return known_area(hub, area, where)

    @app.get("/api/health", response_model=HealthOut, tags=["status"])
    def health() -> HealthOut:
        """The hub is up with its models loaded; whether the broker is connected."""
        return HealthOut(model_set=hub.model_set, mqtt_connected=hub.mqtt_connected)

    @app.get("/api/status", response_model=StatusOut, tags=["status"])
    def status() -> StatusOut:
        """Model set and why, broker, microphone, uptime and the last commands (newest first)."""
        return status_of(hub)

    @app.get("/api/wake_scores", response_model=WakeScoresOut, tags=["status"])
    def wake_scores() -> WakeScoresOut:
        """The microphone's last 30 s of wake-word scores (the page's live graph)."""
        points, threshold, name = hub.wake_scores()
        return WakeScoresOut(wake_word=name, threshold=round(threshold, 4),
                             scores=[(round(t, 3), round(s, 4)) for t, s in points])

    @app.post("/api/parse", response_model=ParseResponse, responses=ERRORS, tags=["commands"])
    def parse(req: ParseRequest) -> ParseResponse:
        """Understand a command without doing anything (as `hub parse`)."""
        return ParseResponse.of(hub.parse(req.text, area_of(req.area, "body.area")))

    @app.post("/api/text", response_model=ExchangeOut, responses=ERRORS, tags=["commands"])
    def text(req: TextRequest) -> ExchangeOut:
        """Understand a typed command and carry it out over MQTT (as `hub say`); the reply says what
        was done. A security-sensitive command waits for a "yes" (the next request) unless confirmed."""
        return ExchangeOut.of(hub.act(req.text, area_of(req.area, "body.area"), confirmed=req.confirmed))

    @app.post("/api/speech", response_model=ExchangeOut, tags=["commands"],
              responses=ERRORS, openapi_extra={"requestBody": {"required": True, "content": {
                  "audio/wav": {"schema": {"type": "string", "format": "binary"}}}}})
    async def speech(request: Request, area: str | None = Query(None, description="area id of the speaker"),
                     confirmed: bool = Query(False)) -> ExchangeOut:
        """One spoken command as a WAV body (PCM 8/16/24/32-bit or float, any rate and channels; no
        wake word needed): transcribed, understood and carried out over MQTT."""
        area_of(area, "query.area")
        return ExchangeOut.of(await hear_body(request, hub, settings, area, confirmed))

    @app.get("/api/devices", response_model=list[DeviceWithState], tags=["devices"])
    def devices() -> list[DeviceWithState]:
        """Every configured device with its last known state."""
        return [DeviceWithState(**device_of(hub, d.id).model_dump(), state=state_of(hub, d.id))
                for d in hub.cfg.devices]

    @app.get("/api/devices/{device_id}", response_model=DeviceWithState, responses=ERRORS, tags=["devices"])
    def device(device_id: str) -> DeviceWithState:
        """One device and its last known state."""
        return DeviceWithState(**device_of(hub, device_id).model_dump(), state=state_of(hub, device_id))

    @app.get("/api/devices/{device_id}/state", response_model=DeviceStateOut, responses=ERRORS, tags=["devices"])
    def device_state(device_id: str) -> DeviceStateOut:
        """The device's last known state: only what it reported, and the sentence the hub would say."""
        device_of(hub, device_id)
        return state_of(hub, device_id)

    @app.get("/", response_class=HTMLResponse, tags=["page"])
    def page() -> HTMLResponse:
        """The status page: model set, broker, devices by area with their state, recent commands."""
        return HTMLResponse(render_page(hub, status_of(hub)))

    @app.post("/", response_class=RedirectResponse, status_code=303, tags=["page"],
              openapi_extra={"requestBody": {"content": {"application/x-www-form-urlencoded": {
                  "schema": {"type": "object", "properties": {"text": {"type": "string"}}}}}}})
    async def page_command(request: Request) -> RedirectResponse:
        """The page's text box: the command is carried out, then the page is shown again."""
        same_origin(request)
        form = parse_qs((await request.body()).decode("utf-8", "replace"))
        text = " ".join(form.get("text", [""])).strip()
        if not text:
            raise ApiError(422, "invalid_request", "form field text: type a command", "body.text")
        if len(text) > MAX_TEXT:
            raise ApiError(422, "invalid_request", f"form field text: at most {MAX_TEXT} characters", "body.text")
        await run_in_threadpool(hub.act, text, None, channel="page")
        return RedirectResponse("/", status_code=303)

    from hub.serve.api_v1 import add_v1

    add_v1(app, hub, settings)
    return app


def validation_response(request: Request, e: RequestValidationError) -> JSONResponse:
    """FastAPI's validation errors as one clear message: bad JSON (400, with the position), a body
    that is not JSON (415), or the fields at fault (422)."""
    errors = e.errors()
    first = errors[0] if errors else {}
    if first.get("type") == "json_invalid":
        pos = first["loc"][1] if len(first.get("loc", ())) > 1 else "?"
        reason = first.get("ctx", {}).get("error", "invalid JSON")
        return error_response(400, "invalid_json", f"body is not valid JSON: {reason} at character {pos}", "body")
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if request.method == "POST" and not kind.endswith("json") and any(x.get("loc") == ("body",) for x in errors):
        return error_response(415, "unsupported_media_type",
                              f"Content-Type {kind or '(none)'!r}: send a JSON object with Content-Type: "
                              "application/json", "header.content-type")
    parts, wheres = [], []
    for x in errors:
        where = ".".join(str(p) for p in x.get("loc", ()))
        wheres.append(where)
        parts.append(f"{where}: {x.get('msg', 'invalid')}")
    return error_response(422, "invalid_request", "; ".join(parts), wheres[0] if wheres else None)


def same_origin(request: Request) -> None:
    """Refuse a form posted from another site's page (a forged command): a browser sends
    ``Origin`` with every POST, and it must name this server."""
    origin = request.headers.get("origin")
    if origin is None:  # not a browser's form (curl, a script): the token, if any, guards it
        return
    if urlsplit(origin).netloc != request.headers.get("host"):
        raise ApiError(403, "cross_origin", f"a form from {origin} may not send commands to this hub", "header.origin")


class BodyLimit:
    """ASGI middleware: a request body over its path's limit (bytes) gets 413 before or while it
    is read, whether it declares Content-Length or comes chunked."""

    def __init__(self, app, limits: dict[str, int], default: int):
        self.app, self.limits, self.default = app, limits, default

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.limits.get(scope["path"], self.default)
        what = "the WAV" if scope["path"] in self.limits else "the body"
        message = f"{what} is over {limit:,} bytes (http.max_wav_mb / http.max_json_kb)"
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            response = error_response(413, "too_large", message, "body", headers={"Connection": "close"})
            return await response(scope, receive, send)
        seen = 0

        async def limited():
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > limit:
                    # read on (discarding) up to as much again: a connection closed with data unread is
                    # reset, and the client would see the reset instead of this answer
                    drained = 0
                    while msg.get("more_body") and drained < limit:
                        msg = await receive()
                        if msg["type"] != "http.request":
                            break
                        drained += len(msg.get("body", b""))
                    raise ApiError(413, "too_large", message, "body")
            return msg

        return await self.app(scope, limited, send)


class RateLimit:
    """ASGI middleware: each client address spends a token of ``buckets`` per request; with
    none left the request gets 429 ``rate_limited`` with Retry-After (whole seconds)."""

    def __init__(self, app, buckets: TokenBuckets):
        self.app, self.buckets = app, buckets

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        client = scope.get("client")
        wait = self.buckets.take(client[0] if client else "")
        if wait == 0.0:
            return await self.app(scope, receive, send)
        response = error_response(429, "rate_limited", f"more than {self.buckets.rate:g} requests per second from "
                                  f"this address (http.max_requests_per_s); send again in {wait:.2f} s", None,
                                  headers={"Retry-After": str(max(1, math.ceil(wait)))})
        return await response(scope, receive, send)


class LoopbackHost:
    """ASGI middleware for a loopback listener: the ``Host`` header must name this machine, so a
    web page elsewhere cannot reach the API through a DNS name rebound to 127.0.0.1."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            host = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if not is_loopback(name.strip("[]")):
                response = error_response(400, "bad_host", f"Host {host!r}: this hub answers on loopback "
                                          "names only (127.0.0.1, localhost, [::1])", "header.host")
                return await response(scope, receive, send)
        return await self.app(scope, receive, send)


class BearerAuth:
    """ASGI middleware: every request but :data:`OPEN_PATHS` carries ``Authorization: Bearer
    <token>``; a browser may give the token as the password of HTTP Basic (the page asks)."""

    def __init__(self, app, token: str):
        self.app, self.token = app, token.encode()

    def _given(self, header: bytes | None) -> bytes | None:
        if not header:
            return None
        scheme, _, value = header.partition(b" ")
        if scheme.lower() == b"bearer":
            return value.strip()
        if scheme.lower() == b"basic":
            try:
                return base64.b64decode(value.strip(), validate=True).partition(b":")[2]
            except (binascii.Error, ValueError):
                return None
        return None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"] in OPEN_PATHS:
            return await self.app(scope, receive, send)
        given = self._given(dict(scope["headers"]).get(b"authorization"))
        if given is not None and hmac.compare_digest(given, self.token):
            return await self.app(scope, receive, send)
        challenge = 'Basic realm="hub"' if scope["path"] == "/" else 'Bearer realm="hub"'
        why = "no Authorization header" if given is None else "wrong token"
        response = error_response(401, "unauthorized", f"{why}: send Authorization: Bearer <the token of "
                                  "http.token_file>", "header.authorization", headers={"WWW-Authenticate": challenge})
        return await response(scope, receive, send)

