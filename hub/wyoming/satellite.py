"""The hub as controller of remote Wyoming satellites (``wyoming.satellites`` in config.yaml).

As Home Assistant does (https://github.com/rhasspy/wyoming, "Satellite"): the satellite listens
(port 10700 by default); the controller connects, sends ``run-satellite`` and receives the
satellite's audio (``run-pipeline``, ``audio-start``, ``audio-chunk``...) and its own wake
detections (``detection``, or ``run-pipeline`` starting at ``asr``). The hub runs its own loop
(:class:`hub.pipeline.Pipeline`: wake word, endpointing by silence or meaning, ASR, understanding,
MQTT) on that audio with the satellite's area as the room of every command, sends back
``detection`` when its wake word hears one, then ``transcript``, the reply as ``synthesize`` and
as audio (Piper), and waits for ``played`` before listening again; satellite audio during the
reply is not listened to (it would hear the reply itself).

Each satellite has its own wake detector, endpointer and follow-up state; the recogniser, the
parser and the executor are the session's, shared (whisper queues the calls), and followed through
model-set switches and reloads. A satellite that
cannot be reached or drops the connection is reconnected, waiting longer each time up to
:data:`RECONNECT_MAX_S`.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading

import numpy as np
from wyoming.asr import Transcript
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.event import Event, async_write_event
from wyoming.pipeline import PipelineStage, RunPipeline
from wyoming.satellite import RunSatellite
from wyoming.snd import Played
from wyoming.tts import Synthesize
from wyoming.wake import Detection

from hub.errors import HubError
from hub.settings.wyoming import SatelliteSettings
from hub.types import FRAME_MS, FRAME_SAMPLES, AudioFrame, WakeDetection
from hub.wake.confirm import FirstStage
from hub.wyoming.audio import AudioConverter, audio_format
from hub.wyoming.protocol import HEADER_LIMIT, ProtocolError, read_event
from hub.wyoming.wake import OPENWAKEWORD, DetectorPool

log = logging.getLogger(__name__)

RECONNECT_MIN_S, RECONNECT_MAX_S = 1.0, 30.0
CONNECT_TIMEOUT_S = 10.0
QUEUE_FRAMES = 125
"""Frames (10 s) a satellite's audio may run ahead of its loop; beyond, the oldest are dropped."""
REPLY_CHUNK_SAMPLES = 1024
PLAYED_SLACK_S = 10.0
"""How much longer than the reply lasts the controller waits for ``played``."""
SATELLITE_WAKE = "satellite"
"""Wake word name of a detection the satellite made itself and named none."""


class SatelliteWake(FirstStage):
    """The wake stage of one satellite: the hub's detector on the satellite's audio, or the
    satellite's own detection handed over by :meth:`trigger` (fired on the next frame).
    ``on_detection`` hears each detection the hub's detector makes (to tell the satellite)."""

    def __init__(self, detector, on_detection):
        super().__init__(detector)
        self.on_detection = on_detection
        self._remote: str | None = None
        self._lock = threading.Lock()

    def trigger(self, name: str | None) -> None:
        """The satellite heard its wake word (any thread)."""
        with self._lock:
            self._remote = name or SATELLITE_WAKE

    def process(self, frame: AudioFrame) -> WakeDetection | None:
        with self._lock:
            remote, self._remote = self._remote, None
        if remote is not None:
            return WakeDetection(remote, 1.0, frame.timestamp_ms + FRAME_MS)
        found = self.detector.process(frame)
        if found is not None:
            self.on_detection(found)
        return found

    def reset(self) -> None:
        self.detector.reset()


class CurrentStage:
    """One of the session's shared stages (``transcriber``, ``parser``, ``executor``), looked up at
    every use: a model-set switch or a config reload swaps ``hub.stages`` between utterances, and a
    satellite's loop then uses the new stage (and holds no reference that would keep the old
    set's models in memory)."""

    def __init__(self, hub, name: str):
        self._hub, self._name = hub, name

    def __getattr__(self, attr: str):
        return getattr(getattr(self._hub.stages, self._name), attr)


class SatelliteController:
    """Drives one satellite; runs on the Wyoming server's event loop (:meth:`run`), with the hub's
    loop for its audio on a thread of its own. ``speaker``: a :class:`hub.reply.tts.PiperSpeaker`
    for the reply audio (shared, used under ``speaking_lock``)."""

    def __init__(self, settings: SatelliteSettings, hub, pool: DetectorPool, speaker, speaking_lock: threading.Lock,
                 max_payload_bytes: int):
        from hub.pipeline import Pipeline
        from hub.vad.endpointer import Endpointer

        self.settings, self.hub = settings, hub
        self.speaker, self.speaking_lock = speaker, speaking_lock
        self.max_payload_bytes = max_payload_bytes
        cfg = hub.cfg
        self.wake = SatelliteWake(pool.take(OPENWAKEWORD, cfg.hub.wake_word.model), self._heard_wake_word)
        shared = (CurrentStage(hub, name) for name in ("transcriber", "parser", "executor"))
        self.pipeline = Pipeline(self.wake, Endpointer(cfg.hub.options), *shared, settings.area, language=cfg.hub.language)
        self.connected = asyncio.Event()
        self.turns = 0
        """Turns answered since start (for status and tests)."""
        self.played = 0
        """``played`` events received."""
        self.dropped_frames = 0
        self._writer: asyncio.StreamWriter | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._frames: queue.Queue | None = None
        self._played = asyncio.Event()
        self._replying = False
        self._worker: threading.Thread | None = None

    # ------------------------------------------------------------------ connection

    async def run(self) -> None:
        """Connect, serve, reconnect; until cancelled."""
        self._loop = asyncio.get_running_loop()
        wait = RECONNECT_MIN_S
        while True:
            try:
                await self._session()
                wait = RECONNECT_MIN_S
            except (OSError, ProtocolError, HubError, asyncio.TimeoutError) as e:
                # HubError: audio in a format that cannot be converted
                log.warning("satellite %s: %s; reconnecting in %.0f s", self.settings.label, e, wait)
            except Exception:  # a bug must not silence the satellite for good
                log.exception("satellite %s: failed; reconnecting in %.0f s", self.settings.label, wait)
            await asyncio.sleep(wait)
            wait = min(wait * 2, RECONNECT_MAX_S)

    async def _session(self) -> None:
        s = self.settings
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(s.host, s.port, limit=HEADER_LIMIT), CONNECT_TIMEOUT_S)
        self._writer = writer
        frames: queue.Queue = queue.Queue(QUEUE_FRAMES)
        self._frames = frames
        worker = threading.Thread(target=self._listen, args=(frames,), name=f"satellite-{s.label}", daemon=True)
        worker.start()
        self._worker = worker
        self.connected.set()
        log.info("satellite %s (%s): connected", s.label, s.area)
        stopping = False
        try:
            await self._send(RunSatellite().event())
            await self._receive(reader)
        except asyncio.CancelledError:
            stopping = True
            raise
        finally:
            self.connected.clear()
            self._writer = None
            self._frames = None
            self._played.set()  # a reply waiting for played stops waiting
            _put_dropping(frames, None)
            writer.close()
            if not stopping:
                # the loop thread ends at the None: the next connection's thread runs the same
                # pipeline, so this one must be done first (shutting down, it just ends)
                await asyncio.get_running_loop().run_in_executor(None, worker.join, CONNECT_TIMEOUT_S)

    async def _receive(self, reader: asyncio.StreamReader) -> None:
        converter: AudioConverter | None = None
        pending = np.zeros(0, np.int16)
        ms = 0
        while (event := await read_event(reader, self.max_payload_bytes)) is not None:
            t = event.type
            if RunPipeline.is_type(t):
                run = RunPipeline.from_event(event)
                if run.start_stage == PipelineStage.ASR:  # the satellite heard its wake word itself
                    self.wake.trigger(run.wake_word_name)
            elif Detection.is_type(t):
                self.wake.trigger(Detection.from_event(event).name)
            elif AudioStart.is_type(t):
                converter = AudioConverter(audio_format(event.data))
            elif AudioChunk.is_type(t):
                if converter is None:
                    converter = AudioConverter(audio_format(event.data))
                try:
                    samples = converter.convert(event.payload or b"", audio_format(event.data))
                except HubError as e:
                    log.warning("satellite %s: %s", self.settings.label, e)
                    continue
                if self._replying:
                    continue
                pending = np.concatenate([pending, samples])
                whole = len(pending) - len(pending) % FRAME_SAMPLES
                for i in range(0, whole, FRAME_SAMPLES):
                    self._frame(AudioFrame(pending[i:i + FRAME_SAMPLES].copy(), ms))
                    ms += FRAME_MS
                pending = pending[whole:]
            elif AudioStop.is_type(t):
                converter = None
            elif Played.is_type(t):
                self.played += 1
                self._played.set()

    async def close(self) -> None:
        """After :meth:`run` was cancelled: wait (on a helper thread) for the loop thread to finish
        its turn, so no model call is left running when the process exits."""
        worker = self._worker
        if worker is not None:
            await asyncio.get_running_loop().run_in_executor(None, worker.join, CONNECT_TIMEOUT_S)

    def _frame(self, frame: AudioFrame) -> None:
        if not _put_dropping(self._frames, frame):
            self.dropped_frames += 1

    # ------------------------------------------------------------------ the hub's loop

    def _listen(self, frames: queue.Queue) -> None:
        """On the satellite's thread: the hub's loop on its audio, each turn answered."""

        def stream():
            while (frame := frames.get()) is not None:
                yield frame

        try:
            for turn in self.pipeline.run(stream(), source=f"satellite:{self.settings.label}", live=True):
                self.hub.publish_turn(turn.understanding, turn.transcript.text, turn.times.nlu)
                log.info("satellite %s: heard %r (%s), asr %.0f ms, %.0f ms after the endpoint, %s ms after the "
                         "last word", self.settings.label, turn.transcript.text, turn.utterance.reason, turn.times.asr,
                         turn.after_endpoint_ms, "?" if turn.after_last_voice_ms is None else f"{turn.after_last_voice_ms:.0f}")
                heard = Transcript(text=turn.transcript.text, language=self.hub.cfg.hub.language).event()
                asyncio.run_coroutine_threadsafe(self._send(heard), self._loop).result()
                audio = None
                if turn.outcome.reply:
                    with self.speaking_lock:
                        audio = self.speaker.synthesize(turn.outcome.reply)
                asyncio.run_coroutine_threadsafe(self._reply(turn.outcome.reply, audio), self._loop).result()
                self.turns += 1
        except (ConnectionError, asyncio.CancelledError) as e:
            log.info("satellite %s: the turn could not be answered: %s", self.settings.label, e)
        except Exception:
            log.exception("satellite %s: the loop failed", self.settings.label)

    def _heard_wake_word(self, detection: WakeDetection) -> None:
        """From the satellite's thread: tell the satellite (it may light up or chime)."""
        if self._loop is not None:
            event = Detection(name=detection.name, timestamp=detection.timestamp_ms).event()
            asyncio.run_coroutine_threadsafe(self._send(event), self._loop)

    async def _send(self, event: Event) -> None:
        writer = self._writer
        if writer is not None:
            await async_write_event(event, writer)

    async def _reply(self, reply: str, audio: tuple[np.ndarray, int] | None) -> None:
        """The reply as text and audio, then wait for ``played``."""
        if not reply or self._writer is None:
            return
        await self._send(Synthesize(text=reply).event())
        if audio is None or not len(audio[0]):
            return
        samples, rate = audio
        self._played.clear()
        self._replying = True
        try:
            await self._send(AudioStart(rate=rate, width=2, channels=1).event())
            for i in range(0, len(samples), REPLY_CHUNK_SAMPLES):
                chunk = samples[i:i + REPLY_CHUNK_SAMPLES].astype("<i2").tobytes()
                await self._send(AudioChunk(rate=rate, width=2, channels=1, audio=chunk).event())
            await self._send(AudioStop().event())
            try:
                await asyncio.wait_for(self._played.wait(), len(samples) / rate + PLAYED_SLACK_S)
            except asyncio.TimeoutError:
                log.warning("satellite %s: no 'played' after the reply; listening again", self.settings.label)
        finally:
            self._replying = False


def _put_dropping(frames: queue.Queue | None, item) -> bool:
    """Put without blocking the event loop; when full, drop the oldest. False if one was dropped."""
    if frames is None:
        return True
    try:
        frames.put_nowait(item)
        return True
    except queue.Full:
        try:
            frames.get_nowait()
        except queue.Empty:
            pass
        frames.put_nowait(item)
        return False
