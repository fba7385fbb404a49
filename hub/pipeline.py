"""The audio loop: the only module that knows the order of the stages.

AudioFrame -> WakeWordDetector -> Endpointer -> Transcriber -> Parser -> Executor (router + MQTT) -> reply.

Each input stream (a WAV file, or the microphone) is a sequence of 80 ms frames; stages keep their
own streaming state and are reset between streams. Models are loaded once, in
:func:`hub.stages.load_stages`.

While the speaker pauses, the endpointer hands out the audio so far and :mod:`hub.lookahead` reads
it (transcribes and understands it) in a worker thread; a complete, confident command ends the
utterance after ``options.endpoint_early_ms`` of silence instead of ``endpoint_silence_ms``, and
the reading is reused as the utterance's own when no word came after it.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import queue
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Iterable, Iterator

import numpy as np

from hub.execute import Executor, Outcome
from hub.lookahead import LookAhead, Reading, ends_command
from hub.reply.responses import load_responses
from hub.types import (FRAME_MS, AudioFrame, Choice, EndpointStage, ParseStage, StageTimes, TranscribeStage, Transcript,
                       Understanding, Utterance, WakeDetection, WakeStage)

log = logging.getLogger(__name__)

FOLLOW_UP = "follow_up"
"""WakeDetection name of an utterance heard without the wake word, right after the hub asked something
("Which one: ...?", "Say yes to unlock ..."); the endpointer's no-speech timeout closes the window."""


@dataclass
class Turn:
    """Everything about one utterance, from wake word to reply."""

    wake: WakeDetection
    utterance: Utterance
    transcript: Transcript
    understanding: Understanding
    outcome: Outcome
    times: StageTimes = field(default_factory=StageTimes)
    source: str = ""
    after_endpoint_ms: float = 0.0
    """Wall time from the endpoint decision to the broker's PUBACK (or the reply, if nothing was sent)."""
    after_last_voice_ms: float | None = None
    """Stream time from the last voiced frame to the endpoint, plus ``after_endpoint_ms``:
    the delay a speaker waits after the last word (it includes the endpointing silence)."""
    read_ahead: bool = False
    """The transcript was read during a pause before the endpoint (no second recognition)."""
    pauses_read: int = 0
    """Pauses whose words were read (transcribed and understood) before the endpoint."""

    def to_json(self) -> dict:
        t = self.times
        return {
            "source": self.source,
            "wake_word": self.wake.name,
            "wake_score": round(self.wake.score, 3),
            "wake_ms": self.wake.timestamp_ms,
            "endpoint": self.utterance.reason,
            "read_ahead": self.read_ahead,
            "pauses_read": self.pauses_read,
            "transcript": self.transcript.text,
            "asr_confidence": round(self.transcript.confidence, 3),
            "asr_unsure": self.transcript.unsure,
            "recogniser": self.transcript.recogniser,
            **{k: v for k, v in self.understanding.to_json().items() if k != "text"},
            "complete": self.understanding.complete,
            "published": [{"topic": m.topic, "payload": m.payload.decode("utf-8", "replace")}
                          for m in self.outcome.published],
            "refused": [{"device": c.device, "action": c.action, "reason": r} for c, r in self.outcome.refused],
            "reply": self.outcome.reply,
            "ms": {"wake_per_frame": round(t.wake, 3), "vad": round(t.vad, 2), "asr": round(t.asr, 1),
                   "nlu": round(t.nlu, 2), "route": round(t.route, 2), "publish": round(t.publish, 2),
                   "after_endpoint": round(self.after_endpoint_ms, 1),
                   "after_last_voice": None if self.after_last_voice_ms is None else round(self.after_last_voice_ms, 1)},
        }


WAKE_WORDS = {"hey", "hi", "ok", "okay", "jarvis", "alexa", "mycroft", "rhasspy"}
_WORD = re.compile(r"[\w']+")


def strip_wake_word(text: str) -> str:
    """Drop a wake word that leaked into the start of the transcript ("Jarvis, turn on ...")."""
    words = list(_WORD.finditer(text))
    i = 0
    while i < len(words) and i < 3 and words[i].group().lower() in WAKE_WORDS:
        i += 1
    return text[words[i].start():] if i and i < len(words) else ("" if i else text)


class Pipeline:
    """Runs frames through every stage and yields one :class:`Turn` per utterance after a wake word.

    Stages are passed in (see :func:`hub.stages.load_stages`) so the loop itself holds no model and a test
    can run it on any stage. A stage that raises costs one turn, never the loop: the error is logged
    with its traceback, the turn's reply says something went wrong, and the loop listens on. ``area`` is the room context for commands that name no area;
    ``language`` that of the replies the loop says itself (intents/<language>/responses.yaml).
    """

    def __init__(self, wake: WakeStage, endpointer: EndpointStage, transcriber: TranscribeStage,
                 parser: ParseStage, executor: Executor, area: str | None, *, language: str = "en"):
        self.wake = wake
        self.endpointer = endpointer
        self.transcriber = transcriber
        self.parser = parser
        self.executor = executor
        self.area = area
        self.replies = load_responses(language)
        self._pending: dict[str, object] = {}
        self._lock = threading.Lock()
        self._events: queue.SimpleQueue | None = None
        """A live run's queue of frames; None also arrives on it when a look-ahead finishes."""
        self.look = LookAhead(on_done=self._look_done)
        self._pauses_read = 0
        self._choice: Choice | None = None
        """The question the hub asked back, answered in the follow-up window."""

    def replace(self, **stages: object) -> None:
        """Swap stages (``wake``, ``endpointer``, ``transcriber``, ``parser``, ``executor``) from any
        thread. The swap happens between utterances: one in flight finishes on the stages it began with."""
        unknown = set(stages) - {"wake", "endpointer", "transcriber", "parser", "executor"}
        if unknown:
            raise ValueError(f"not a pipeline stage: {', '.join(sorted(unknown))}")
        with self._lock:
            self._pending.update(stages)

    def _apply_pending(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, {}
        for name, stage in pending.items():
            setattr(self, name, stage)
        if "wake" in pending:
            self.wake.reset()

    def run(self, frames: Iterable[AudioFrame], source: str = "", live: bool = False) -> Iterator[Turn]:
        """Consume one stream of frames; yield a Turn for each utterance that followed a wake word.

        ``live``: the frames arrive in real time (a microphone, or :func:`hub.audio.wav.paced`).
        They are then taken in by a thread of their own and the loop also wakes when a look-ahead
        finishes, so an early end is decided the moment its reading is ready. Not live (a file
        read as fast as it goes), the loop waits for each look-ahead before the next frame, so
        where an utterance ends does not depend on how fast the machine is.
        """
        self.wake.reset()
        detection: WakeDetection | None = None
        wake_ms = vad_ms = 0.0
        wake_frames = 0
        heard_ms, heard_at = 0, 0.0  # stream end of the last frame, and the wall time it came
        for frame in self._live(frames) if live else frames:
            if frame is None:  # a look-ahead finished between two frames
                now_ms = heard_ms + round((time.perf_counter() - heard_at) * 1000)
                if detection is not None and (utterance := self._end_by_meaning(now_ms)) is not None:
                    turn = self._finish(detection, utterance, wake_ms / max(wake_frames, 1), vad_ms, source)
                    detection, wake_ms, wake_frames = self._turn_over(turn, now_ms), 0.0, 0
                    if turn is not None:
                        yield turn
                continue
            heard_ms, heard_at = frame.timestamp_ms + FRAME_MS, time.perf_counter()
            if detection is None:
                if self._pending:
                    self._apply_pending()
                t0 = time.perf_counter()
                detection = self.wake.process(frame)
                wake_ms += (time.perf_counter() - t0) * 1000
                wake_frames += 1
                if detection is not None:
                    self.look.clear()  # a reading left from an abandoned stream is not this utterance's
                    self._pauses_read = 0
                    self.endpointer.start(detection.timestamp_ms)
                    vad_ms = 0.0
                continue
            t0 = time.perf_counter()
            utterance = self.endpointer.process(frame)
            vad_ms += (time.perf_counter() - t0) * 1000
            if utterance is None and (pause := self.endpointer.pause()) is not None:
                self.look.submit(pause, functools.partial(self._read_pause, self.transcriber, self.parser))
                self._pauses_read += 1
                if not live:
                    self.look.reading_for(pause.last_voice_ms)
            if utterance is None:
                utterance = self._end_by_meaning(None)
            if utterance is not None:
                turn = self._finish(detection, utterance, wake_ms / max(wake_frames, 1), vad_ms, source)
                detection, wake_ms, wake_frames = self._turn_over(turn, frame.timestamp_ms), 0.0, 0
                if turn is not None:
                    yield turn
        if detection is not None:
            utterance = self.endpointer.finish(heard_ms)
            if utterance is not None:
                turn = self._finish(detection, utterance, wake_ms / max(wake_frames, 1), vad_ms, source)
                if turn is not None:
                    yield turn

    def _turn_over(self, turn: Turn | None, now_ms: int) -> WakeDetection | None:
        """After a turn: when the hub asked back ("Which one: ...?", "Say yes to ..."), the follow-up
        window's detection, so the answer needs no wake word; else None, listening for it again."""
        self._choice = turn.understanding.choice if turn else None
        if turn is not None and (turn.understanding.choice or turn.outcome.awaiting_confirmation):
            self.endpointer.start(now_ms)
            return WakeDetection(FOLLOW_UP, 1.0, now_ms)
        self.wake.reset()
        return None

    def _live(self, frames: Iterable[AudioFrame]) -> Iterator[AudioFrame | None]:
        """The frames as they come, taken in by their own thread so capture never waits for the
        loop; None between two frames when a look-ahead has finished."""
        events: queue.SimpleQueue = queue.SimpleQueue()
        stop = threading.Event()
        end = object()

        def take_in() -> None:
            try:
                for f in frames:
                    if stop.is_set():
                        return
                    events.put(f)
            except BaseException as e:  # handed to the loop, which raises it
                events.put(e)
            events.put(end)

        self._events = events
        threading.Thread(target=take_in, name="hub-frames", daemon=True).start()
        try:
            while (item := events.get()) is not end:
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            stop.set()
            self._events = None

    def _look_done(self) -> None:
        """From the look-ahead's worker: wake a live loop (only hands over, as callbacks must)."""
        events = self._events
        if events is not None:
            events.put(None)

    def _end_by_meaning(self, now_ms: int | None) -> Utterance | None:
        """If a look-ahead has just finished and reads as a complete, confident command, tell the
        endpointer; returns the Utterance if that ends it now (``now_ms``: stream time of the decision)."""
        finished = self.look.take_finished()
        if finished is None:
            return None
        last_voice_ms, reading = finished
        if reading is None or not ends_command(reading, self.endpointer.options.endpoint_early_confidence):
            return None
        return self.endpointer.end_early(last_voice_ms, now_ms)

    def _read(self, transcriber: TranscribeStage, parser: ParseStage, samples: np.ndarray,
              ahead: bool = False) -> Reading:
        """Transcribe and understand (n,) int16 audio at 16 kHz (runs in the look-ahead's worker);
        ``ahead``: a pause's reading, with the recogniser's quick reading where it has one."""
        t0 = time.perf_counter()
        quick = getattr(transcriber, "transcribe_ahead", None) if ahead else None
        transcript = quick(samples) if quick is not None else transcriber.transcribe(samples)
        transcript = dataclasses.replace(transcript, text=strip_wake_word(transcript.text))
        t1 = time.perf_counter()
        if transcript.text and self._choice is not None:
            understanding = parser.parse(transcript.text, area=self.area, pending=self._choice)
        elif transcript.text:
            understanding = parser.parse(transcript.text, area=self.area)
        else:
            understanding = Understanding(text="", intent=None, response=self.replies.no_command_heard, area=self.area)
        return Reading(transcript, understanding, (t1 - t0) * 1000, (time.perf_counter() - t1) * 1000,
                       quick=quick is not None)

    def _read_pause(self, transcriber: TranscribeStage, parser: ParseStage, samples: np.ndarray) -> Reading | None:
        """A pause's reading (see :meth:`_read`); None if reading it failed (logged): the utterance
        then ends by silence and is read whole."""
        try:
            return self._read(transcriber, parser, samples, ahead=True)
        except Exception:
            log.exception("reading a pause failed; the utterance will be read when it ends")
            return None

    def _failed(self, transcript: Transcript) -> Reading:
        """The reading of a turn that failed: no command, and a reply that says so."""
        understanding = Understanding(text=transcript.text, intent=None, response=self.replies.turn_failed, area=self.area)
        return Reading(transcript, understanding, 0.0, 0.0)

    def _finish(self, wake: WakeDetection, utt: Utterance, wake_ms: float, vad_ms: float, source: str) -> Turn | None:
        """The Turn of one utterance; None for a follow-up window in which nothing was said."""
        t_end = time.perf_counter()
        if utt.reason == "no_speech" or utt.speech_ms == 0:
            if wake.name == FOLLOW_UP:
                return None
            reading = Reading(Transcript(text="", confidence=0.0),
                              Understanding(text="", intent=None, response=self.replies.no_command_heard, area=self.area),
                              0.0, 0.0)
            read_ahead = False
        else:
            try:
                # a look-ahead that read up to the last word is this utterance's reading
                reading = self.look.reading_for(utt.last_voice_ms)
                if reading is not None and reading.quick and utt.reason != "meaning":
                    reading = None  # a quick reading stands only for the command it ended
                read_ahead = reading is not None
                if reading is None:
                    reading = self.look.read_now(utt.samples, functools.partial(self._read, self.transcriber, self.parser))
            except Exception:
                log.exception("reading an utterance%s failed; the reply says so and the hub listens on",
                              f" of {source}" if source else "")
                reading, read_ahead = self._failed(Transcript(text="", confidence=0.0)), False
        self.look.clear()
        times = StageTimes(wake=wake_ms, vad=vad_ms, asr=reading.asr_ms, nlu=reading.nlu_ms)
        t2 = time.perf_counter()
        try:
            outcome = self.executor.execute(reading.understanding, heard=reading.transcript)
        except Exception:
            log.exception("acting on %r failed; the reply says so and the hub listens on", reading.transcript.text)
            reading = self._failed(reading.transcript)
            outcome = Outcome(reply=self.replies.turn_failed)
        t3 = time.perf_counter()
        times.publish = outcome.publish_ms
        times.route = (t3 - t2) * 1000 - outcome.publish_ms
        after_endpoint = (t3 - t_end) * 1000
        after_voice = None
        if utt.last_voice_ms is not None:
            after_voice = (utt.end_ms - utt.last_voice_ms) + after_endpoint
        return Turn(wake, utt, reading.transcript, reading.understanding, outcome, times, source, after_endpoint,
                    after_voice, read_ahead, self._pauses_read)

