"""One Wyoming connection: speech recognition, wake word detection and intent handling.

Event flows (https://github.com/rhasspy/wyoming, README "Event Types"):
- ``describe`` -> ``info`` (:mod:`hub.wyoming.info`); ``ping`` -> ``pong``.
- ``transcribe``? ``audio-start`` ``audio-chunk``* ``audio-stop`` -> ``transcript`` (audio with
  neither ``transcribe`` nor ``detect`` before it is transcribed, as wyoming-faster-whisper does).
- ``detect`` ``audio-start`` ``audio-chunk``* ``audio-stop`` -> a ``detection`` as soon as a wake
  word is heard, and ``not-detected`` at ``audio-stop`` if none was.
- ``transcript`` -> the hub understands and acts over MQTT -> ``handled`` with the reply, or
  ``not-handled`` with why. ``context: {"area": <area id>}`` sets the room; default ``hub.area``.
  A question asked back ("Which one: ...?", "Say yes to unlock ...") is ``handled``; the next
  transcript from the same room, on any connection, within the confirmation window answers it.
- ``select-program`` picks a wake engine (``openwakeword``, ``microwakeword``) by name.

A bad event or bad audio gets an ``error`` event (``text``, ``code``) and the connection goes on,
the stream it belonged to dropped; a byte stream that is not Wyoming events, or a payload over
``wyoming.max_payload_bytes``, gets an ``error`` and the connection is closed. Unknown event types
are ignored, as the protocol asks. Model work runs on the server's worker threads, never on the
event loop: one queue for speech recognition (whisper is one model; first come, first served), one
for handling (the executor keeps a pending yes/no question), a small pool for wake word streams.
"""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

import numpy as np
from wyoming.asr import Transcribe, Transcript
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.error import Error
from wyoming.event import Event
from wyoming.info import Describe, SelectProgram
from wyoming.handle import Handled, NotHandled
from wyoming.ping import Ping, Pong
from wyoming.server import AsyncEventHandler
from wyoming.wake import Detect, Detection, NotDetected

from hub.errors import HubError
from hub.execute import CONFIRM_WINDOW_S
from hub.types import SAMPLE_RATE, Choice
from hub.wyoming.audio import AudioConverter, audio_format
from hub.wyoming.info import describe
from hub.wyoming.protocol import ProtocolError, read_event
from hub.wyoming.wake import ENGINES, DetectorPool, WakeStream, default_model, engine_models

log = logging.getLogger(__name__)


class EventError(HubError):
    """One event cannot be served; the connection goes on. ``code``: the ``error`` event's code."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


class FollowUps:
    """Questions the hub asked back, by area: the next transcript from that area answers it.
    Only the handle worker touches it (one thread), so it needs no lock."""

    def __init__(self, window_s: float = CONFIRM_WINDOW_S):
        self.window_s = window_s
        self._asked: dict[str | None, tuple[Choice, float]] = {}

    def take(self, area: str | None) -> Choice | None:
        """The open question of ``area`` (None if none or expired); it is closed either way."""
        choice, asked_at = self._asked.pop(area, (None, 0.0))
        return choice if choice is not None and time.monotonic() - asked_at < self.window_s else None

    def ask(self, area: str | None, choice: Choice) -> None:
        self._asked[area] = (choice, time.monotonic())


@dataclass
class Workers:
    """The server's thread pools, shared by every connection."""

    asr: Executor
    """One thread: speech recognition, in arrival order."""
    handle: Executor
    """One thread: understanding and carrying out commands, in arrival order."""
    wake: Executor
    """Wake word streams (each stream's own detectors; several run at once)."""
    follow_ups: FollowUps


class HubEventHandler(AsyncEventHandler):
    """Serves one client. ``hub`` is the running session (:class:`hub.app.Session`: ``cfg``,
    ``area``, ``model_set``, ``stages`` with ``transcriber``, ``parser``, ``executor`` and
    ``nlu_version``; ``publish_turn``), read at each request so a model-set switch or a config
    reload is served from the next request on."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, hub, workers: Workers,
                 pool: DetectorPool, max_payload_bytes: int, max_audio_s: float):
        super().__init__(reader, writer)
        self.hub, self.workers, self.pool = hub, workers, pool
        self.max_payload_bytes = max_payload_bytes
        self.max_audio_samples = int(max_audio_s * SAMPLE_RATE)
        self.peer = writer.get_extra_info("peername")
        self.wake_engine = ENGINES[0]
        self._request: str | None = None
        """``transcribe`` or ``detect``: what the next audio stream is for."""
        self._detect_names: list[str] | None = None
        self._converter: AudioConverter | None = None
        self._refused = False
        """The current audio stream was refused: drop its chunks until ``audio-stop``."""
        self._audio: list[np.ndarray] = []
        self._samples = 0
        self._wake: WakeStream | None = None

    # ------------------------------------------------------------------ the connection

    async def run(self) -> None:
        """Read events until the client leaves, a protocol error, or a stop. Replaces the base
        class's loop, which hangs up without a word on a bad event and reads any payload size."""
        self._is_running = True
        try:
            while self._is_running:
                try:
                    event = await read_event(self.reader, self.max_payload_bytes)
                except ProtocolError as e:
                    log.warning("wyoming %s: %s; closing the connection", self.peer, e)
                    await self._send_error(str(e), e.code)
                    break
                if event is None:
                    break
                if not await self.handle_event(event):
                    break
        except (ConnectionError, asyncio.IncompleteReadError):
            log.info("wyoming %s: the client went away", self.peer)
        finally:
            await self.disconnect()
            self.writer.close()

    async def disconnect(self) -> None:
        self._end_stream()

    async def _send_error(self, text: str, code: str) -> None:
        try:
            await self.write_event(Error(text=text, code=code).event())
        except ConnectionError:
            pass  # the client is gone: nobody to tell

    async def handle_event(self, event: Event) -> bool:
        """Serve one event; False ends the connection."""
        try:
            await self._dispatch(event)
        except EventError as e:
            log.info("wyoming %s: %s: %s", self.peer, event.type, e)
            await self._send_error(str(e), e.code)
        except HubError as e:
            self._refuse_stream()
            await self._send_error(str(e), "bad-audio" if event.type.startswith("audio-") else "failed")
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            # the wyoming event classes read their fields with data["..."] and trust the types
            await self._send_error(f"event {event.type!r} has bad or missing data: {e!r}", "malformed-event")
        except ConnectionError:
            return False
        return True

    async def _dispatch(self, event: Event) -> None:
        t = event.type
        if Describe.is_type(t):
            await self.write_event(self._info().event())
        elif Ping.is_type(t):
            await self.write_event(Pong(text=Ping.from_event(event).text).event())
        elif SelectProgram.is_type(t):
            self._select(SelectProgram.from_event(event).name)
        elif Transcribe.is_type(t):
            self._transcribe(Transcribe.from_event(event))
        elif Detect.is_type(t):
            self._detect(Detect.from_event(event))
        elif AudioStart.is_type(t):
            self._start_stream(event.data)
        elif AudioChunk.is_type(t):
            await self._chunk(event)
        elif AudioStop.is_type(t):
            await self._stop()
        elif Transcript.is_type(t):
            await self._handle(Transcript.from_event(event))
        else:
            log.debug("wyoming %s: ignoring event %r", self.peer, t)

    def _info(self):
        stages = self.hub.stages
        return describe(self.hub.cfg, self.hub.model_set, stages.nlu_version)

    def _select(self, name: str) -> None:
        if name in ENGINES:
            self.wake_engine = name
        elif name != "hub":
            raise EventError(f"no program {name!r}: the programs are hub, {', '.join(ENGINES)}", "unknown-program")

    # ------------------------------------------------------------------ requests

    def _transcribe(self, request: Transcribe) -> None:
        lang = self.hub.cfg.hub.language
        if request.language and request.language.split("-")[0] != lang:
            raise EventError(f"language {request.language!r} is not served; this hub speaks {lang!r}",
                             "unsupported-language")
        self._end_stream()
        self._request = "transcribe"

    def _detect(self, request: Detect) -> None:
        known = engine_models(self.wake_engine)
        names = list(dict.fromkeys(request.names or [default_model(self.hub.cfg, self.wake_engine)]))
        unknown = [n for n in names if n not in known]
        if unknown:
            raise EventError(f"{self.wake_engine} has no wake word {', '.join(map(repr, unknown))} "
                             f"(it has: {', '.join(known)})", "unknown-wake-word")
        self._end_stream()
        self._request, self._detect_names = "detect", names

    # ------------------------------------------------------------------ audio streams

    def _start_stream(self, data: dict[str, Any]) -> None:
        self._end_stream(keep_request=True)
        self._refused = False
        try:
            self._converter = AudioConverter(audio_format(data))
        except HubError:
            self._refused = True
            raise
        self._audio, self._samples = [], 0

    async def _chunk(self, event: Event) -> None:
        if self._refused:
            return
        if self._converter is None:  # no audio-start: the first chunk's format starts the stream
            self._start_stream(event.data)
        samples = self._converter.convert(event.payload or b"", audio_format(event.data))
        await self._take(samples)

    async def _take(self, samples: np.ndarray) -> None:
        if self._request == "detect":
            if self._wake is None:
                loop = asyncio.get_running_loop()
                engine, names = self.wake_engine, self._detect_names or []
                self._wake = await loop.run_in_executor(self.workers.wake, WakeStream, self.pool, engine, names)
            wake = self._wake
            for hit in await asyncio.get_running_loop().run_in_executor(self.workers.wake, wake.feed, samples):
                await self.write_event(Detection(name=hit.name, timestamp=hit.timestamp_ms).event())
            return
        self._samples += len(samples)
        if self._samples > self.max_audio_samples:
            self._refuse_stream()
            raise EventError(f"audio stream is longer than {self.max_audio_samples / SAMPLE_RATE:g} s "
                             f"(wyoming.max_audio_s); it was dropped", "audio-too-long")
        self._audio.append(samples)

    async def _stop(self) -> None:
        if self._refused or self._converter is None:
            self._end_stream()
            return
        await self._take(self._converter.flush())
        loop = asyncio.get_running_loop()
        if self._request == "detect":
            if not self._wake or not self._wake.detected:
                await self.write_event(NotDetected().event())
        else:
            audio = np.concatenate(self._audio) if self._audio else np.zeros(0, np.int16)
            transcriber = self.hub.stages.transcriber
            heard = await loop.run_in_executor(self.workers.asr, transcriber.transcribe, audio)
            await self.write_event(Transcript(text=heard.text, language=heard.language).event())
        self._end_stream()

    def _refuse_stream(self) -> None:
        self._end_stream(keep_request=True)
        self._refused = True

    def _end_stream(self, keep_request: bool = False) -> None:
        if self._wake is not None:
            self._wake.close()
            self._wake = None
        self._converter = None
        self._audio, self._samples = [], 0
        if not keep_request:
            self._request, self._detect_names = None, None

    # ------------------------------------------------------------------ intent handling

    async def _handle(self, transcript: Transcript) -> None:
        cfg = self.hub.cfg
        area = (transcript.context or {}).get("area", self.hub.area)
        if area is not None and area not in cfg.area_by_id:
            raise EventError(f"context area {area!r} is not an area of this home (known: {', '.join(cfg.area_by_id)})",
                             "unknown-area")
        handled, text = await asyncio.get_running_loop().run_in_executor(
            self.workers.handle, self._understand_and_act, transcript.text, area)
        await self.write_event((Handled if handled else NotHandled)(text=text).event())

    def _understand_and_act(self, text: str, area: str | None) -> tuple[bool, str]:
        """On the handle worker: (handled, reply). Handled: something was done or is waiting for
        the broker, a question was answered, or the hub asks back (which device, or a yes);
        not handled: nothing understood, or every command refused."""
        stages = self.hub.stages
        asked = self.workers.follow_ups.take(area)
        parser = stages.parser
        u = parser.parse(text, area=area, pending=asked) if asked else parser.parse(text, area=area)
        if u.choice is not None:
            self.workers.follow_ups.ask(area, u.choice)
        outcome = stages.executor.execute(u)
        self.hub.publish_turn(u, text)
        answered = any(c.action == "query" for c in u.commands) and not outcome.refused
        handled = bool(outcome.published or outcome.waiting or outcome.awaiting_confirmation or answered
                       or u.choice is not None)
        return handled, outcome.reply
