"""The long-running hub of `hub serve`: one :class:`hub.app.Session` (the broker connection, one
loaded model set, the device state, Home Assistant's entities), the microphone loop when asked,
and the commands typed or spoken to the HTTP API, all on the same loaded stages.

The microphone is one conversation (its confirmations and "which one?" questions are the voice
loop's, as in `hub run`); the HTTP API and the page are another, with an executor of their own
on the same router, link and state, so a typed command never answers a question asked aloud.
Timers and commands in time sent to the API go to the session's one agenda, as spoken ones do,
and are never confirmed over HTTP (see :meth:`ServedHub._for_later`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import signal
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
import uvicorn

from hub.config import BrokerConfig, Config
from hub.errors import HubError
from hub.execute import Executor, Outcome
from hub.pipeline import Turn, strip_wake_word
from hub.reply.responses import load_responses
from hub.timers.executor import keeps_time
from hub.types import SAMPLE_RATE, AudioFrame, Choice, Transcript, Understanding

log = logging.getLogger(__name__)

WAKE_POINTS = 375
"""Wake-word scores kept for the page's graph: 30 s of 80 ms frames."""


@dataclass(frozen=True)
class Exchange:
    """One command the hub heard or was sent, and what came of it."""

    at: float
    """time.time() when it was done."""
    channel: str
    """``mic`` (spoken after the wake word), ``text``, ``speech`` (HTTP API), ``page``, or the name
    another front end gives to :meth:`ServedHub.act`."""
    understanding: Understanding
    outcome: Outcome
    transcript: Transcript | None = None
    """What the recogniser heard (``mic`` and ``speech``); None for typed text."""
    ms: dict[str, float] = field(default_factory=dict)
    """Wall ms per step: ``asr``, ``nlu``, ``act`` (route, publish and wait for PUBACKs)."""
    audio_s: float | None = None
    """Seconds of audio heard (``speech``)."""
    model_set: str | None = None
    """The model set whose parser understood it (None: the voice loop's, the set in force)."""


@dataclass(frozen=True)
class Reading:
    """Understanding only (``POST /api/parse``), with the parser's wall ms and the set that ran."""

    understanding: Understanding
    nlu_ms: float
    model_set: str


class ServedHub:
    """The running hub as the HTTP API sees it. Thread-safe: requests run on uvicorn's worker
    threads beside the microphone loop.

    ``session``: a started :class:`hub.app.Session` (not ``nlu_only``); ``broker``: its broker
    settings, for the status; ``recent``: how many exchanges to keep; ``show(text)``: where a
    spoken turn is printed (the console of `hub serve`)."""

    def __init__(self, session, broker: BrokerConfig, *, recent: int = 50,
                 show: Callable[[str], None] | None = None):
        self.session = session
        self.broker = broker
        self.show = show
        self.started = time.time()
        self._recent: deque[Exchange] = deque(maxlen=recent)
        self._recent_lock = threading.Lock()
        self._act_lock = threading.Lock()
        self._executor: Executor | None = None
        self._executor_of: Executor | None = None
        self._choice: Choice | None = None
        self._stop = threading.Event()
        self._mic: threading.Thread | None = None
        self.mic_source: str | None = None
        self.mic_error: str | None = None
        self._wake_scores: deque[tuple[float, float]] = deque(maxlen=WAKE_POINTS)
        self._wake_lock = threading.Lock()

    @property
    def cfg(self) -> Config:
        """The config in force (a reload from Home Assistant may replace it)."""
        return self.session.cfg

    @property
    def model_set(self) -> str:
        return self.session.model_set

    @property
    def model_set_reason(self) -> str | None:
        power = self.session.power
        return power.scheduler.reason if power is not None else None

    @property
    def nlu_version(self) -> str | None:
        swapper = self.session.swapper
        return (swapper.version if swapper is not None else None) or self.session.stages.nlu_version

    @property
    def mqtt_connected(self) -> bool:
        return self.session.link.connected

    def recent(self) -> list[Exchange]:
        """The last exchanges, newest first."""
        with self._recent_lock:
            return list(reversed(self._recent))

    def _record(self, exchange: Exchange) -> Exchange:
        with self._recent_lock:
            self._recent.append(exchange)
        return exchange

    # ------------------------------------------------------------------ typed and spoken commands

    def parsers(self) -> dict[str, object]:
        """The loaded parsers by model set name: the set in force's, and the full set's (the
        trained model, which stays loaded under low power for updates and A/B)."""
        stages = self.session.stages
        return {"full": stages.model_parser, self.model_set: stages.parser}

    def _parser(self, model_set: str | None) -> tuple[object, str]:
        """(parser, set name) of ``model_set``, or of the set in force when that is None or no
        longer loaded (the sets switched since the caller looked)."""
        parsers = self.parsers()
        name = model_set if model_set in parsers else self.model_set
        return parsers[name], name

    def parse(self, text: str, area: str | None, *, model_set: str | None = None) -> Reading:
        """Understand ``text`` as said in ``area`` (None: the hub's own) with ``model_set``'s
        parser (one of :meth:`parsers`; None: the set in force); nothing is done."""
        parser, model_set = self._parser(model_set)
        t0 = time.perf_counter()
        u = parser.parse(text, area=area or self.session.area)
        return Reading(u, (time.perf_counter() - t0) * 1000, model_set)

    def act(self, text: str, area: str | None, *, confirmed: bool = False, channel: str = "text",
            model_set: str | None = None) -> Exchange:
        """Understand ``text`` and carry it out over MQTT, as a spoken command would be.
        ``confirmed``: a security-sensitive command needs no yes (as `hub say --yes`);
        ``model_set``: whose parser understands it, as in :meth:`parse`."""
        return self._act(text, area, confirmed, channel, None, {}, None, model_set)

    def hear(self, samples: np.ndarray, area: str | None, *, confirmed: bool = False,
             channel: str = "speech") -> Exchange:
        """Transcribe one command, (n,) int16 at 16 kHz with no wake word needed, then act on it
        as :meth:`act` does; an unsure transcript's commands wait for a yes, as spoken ones do."""
        transcriber = self.session.stages.transcriber
        t0 = time.perf_counter()
        transcript = transcriber.transcribe(samples)
        transcript = dataclasses.replace(transcript, text=strip_wake_word(transcript.text))
        asr_ms = (time.perf_counter() - t0) * 1000
        return self._act(transcript.text, area, confirmed, channel, transcript, {"asr": asr_ms},
                         len(samples) / SAMPLE_RATE)

    def _act(self, text: str, area: str | None, confirmed: bool, channel: str, transcript: Transcript | None,
             ms: dict[str, float], audio_s: float | None, model_set: str | None = None) -> Exchange:
        area = area or self.session.area
        with self._act_lock:  # one conversation: a yes or an answer to "which one?" follows its question
            parser, model_set = self._parser(model_set)
            t0 = time.perf_counter()
            if not text:
                u = Understanding(text="", intent=None, response=load_responses(self.cfg.hub.language).no_command_heard,
                                  area=area)
            elif self._choice is not None:
                u = parser.parse(text, area=area, pending=self._choice)
            else:
                u = parser.parse(text, area=area)
            t1 = time.perf_counter()
            if keeps_time(u):
                outcome = self._for_later(u, transcript)
            else:
                outcome = self._api_executor().execute(u, confirmed=confirmed, heard=transcript)
            t2 = time.perf_counter()
            self._choice = u.choice
        self.session.publish_turn(u, text, (t1 - t0) * 1000)
        ms = {**ms, "nlu": (t1 - t0) * 1000, "act": (t2 - t1) * 1000}
        return self._record(Exchange(time.time(), channel, u, outcome, transcript, ms, audio_s, model_set))

    def _for_later(self, u: Understanding, transcript: Transcript | None) -> Outcome:
        """A timer, a command in time or a question about them: to the session's agenda through
        the voice loop's executor (so it is kept in the state file, listed and cancelled as a
        spoken one), never confirmed, as a text `hub say` sends over MQTT: what needs a yes waits
        for one said at a speaker of the hub, and the reply says so."""
        voice = self.session.stages.executor
        outcome = voice.execute(u, confirmed=False, heard=transcript)
        if outcome.awaiting_confirmation:
            return dataclasses.replace(outcome, reply=f"{outcome.reply} {voice.timing.tl.say('yes_at_speaker_api')}")
        return outcome

    def _api_executor(self) -> Executor:
        """The API's own executor on the voice loop's router, link and state; rebuilt when a
        reload replaced those. Caller holds ``_act_lock``."""
        voice = self.session.stages.executor
        if self._executor_of is not voice:
            self._executor = Executor(voice.cfg, voice.router, voice.link, voice.state, on_notice=voice.on_notice)
            self._executor_of = voice
        return self._executor

    # ------------------------------------------------------------------ the microphone

    def listen(self, source: str, frames: Callable[[], Iterable[AudioFrame]]) -> None:
        """Run the voice loop on ``frames()`` (a live source, :func:`hub.app.open_sources`) in a
        thread until :meth:`stop`; each turn is recorded, printed and told to Home Assistant.
        A source that fails is logged and shown in the status as ``mic_error``."""
        self.mic_source = source
        self._mic = threading.Thread(target=self._listen, args=(source, frames), name="hub-mic", daemon=True)
        self._mic.start()

    def _listen(self, source: str, frames: Callable[[], Iterable[AudioFrame]]) -> None:
        from hub.app import format_turn

        try:
            for turn in self.session.pipeline.run(self._until_stopped(frames()), source=source, live=True):
                self.session.publish_turn(turn.understanding, turn.transcript.text, turn.times.nlu)
                self._record(exchange_of(turn))
                if self.show is not None:
                    self.show(format_turn(turn))
        except Exception as e:  # the API keeps serving without the microphone
            log.exception("the microphone loop stopped")
            self.mic_error = f"{type(e).__name__}: {e}"

    def _until_stopped(self, frames: Iterable[AudioFrame]) -> Iterator[AudioFrame]:
        for frame in frames:
            if self._stop.is_set():
                return
            yield frame
            # the pipeline has taken the frame: its wake stage's score is this frame's (or, while
            # a command is heard and the stage rests, the last one it gave; 0 after a detection)
            point = (time.time(), float(self.session.pipeline.wake.last_score))
            with self._wake_lock:
                self._wake_scores.append(point)

    def wake_scores(self) -> tuple[list[tuple[float, float]], float, str]:
        """The microphone's last wake-word scores, oldest first, as (Unix time s, score 0..1),
        one per 80 ms frame (up to :data:`WAKE_POINTS`; none without a microphone), with the
        wake stage's threshold and wake word name."""
        wake = self.session.pipeline.wake
        with self._wake_lock:
            points = list(self._wake_scores)
        return points, float(wake.threshold), wake.name

    @property
    def listening(self) -> bool:
        return self._mic is not None and self._mic.is_alive()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the microphone loop (it finishes the utterance in hand)."""
        self._stop.set()
        if self._mic is not None:
            self._mic.join(timeout)


def exchange_of(turn: Turn) -> Exchange:
    """A spoken turn of the voice loop as an :class:`Exchange`."""
    t = turn.times
    return Exchange(time.time(), "mic", turn.understanding, turn.outcome, turn.transcript,
                    {"asr": t.asr, "nlu": t.nlu, "act": t.route + t.publish},
                    len(turn.utterance.samples) / SAMPLE_RATE)


class _Server(uvicorn.Server):
    """uvicorn's server, but SIGINT and SIGTERM only end serving: uvicorn would raise them again
    afterwards, and SIGTERM's default action would kill the hub before it has left the broker
    and stopped its private mosquitto."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


class ApiServer:
    """uvicorn serving ``app`` on a socket bound at construction, so port 0 gives its real port
    at once (``port``). :meth:`run` blocks and stops on SIGINT/SIGTERM (in the main thread);
    :meth:`start` runs it in a thread, :meth:`stop` ends it. Raises HubError if the address
    cannot be bound (in use, not this machine's)."""

    def __init__(self, app, host: str, port: int):
        try:
            family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
            # IPPROTO_TCP named, so asyncio sets TCP_NODELAY on each connection (it checks the
            # protocol number): else Nagle and delayed ACKs add 40 ms to every keep-alive request
            self.socket = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.socket.bind(address)
            self.socket.listen(socket.SOMAXCONN)
        except OSError as e:
            raise HubError(f"cannot listen on {host}:{port}: {e.strerror or e}") from e
        self.app, self.host, self.port = app, host, self.socket.getsockname()[1]
        # no access log: the hub logs what it does; lifespan off: the hub is started before the server
        self.server = _Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def run(self) -> None:
        self.server.run(sockets=[self.socket])

    def start(self, timeout: float = 10.0) -> "ApiServer":
        self._thread = threading.Thread(target=self.run, name="hub-http", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started and self._thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        if not self.server.started:
            raise HubError(f"the HTTP server did not start on {self.url}")
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
        self.socket.close()
