"""Typed data passed between the pipeline stages.

Every stage takes and returns these, never bare tuples or dicts. Times are
milliseconds of *stream time* (samples seen since the stream began / 16),
so a WAV file and the microphone give the same numbers for the same sound.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

import numpy as np

SAMPLE_RATE = 16_000
"""Hertz; every stage after capture works at this rate."""
FRAME_SAMPLES = 1280
"""Samples per AudioFrame: 80 ms at 16 kHz, the chunk openWakeWord scores."""
FRAME_MS = FRAME_SAMPLES * 1000 // SAMPLE_RATE


@dataclass(frozen=True)
class AudioFrame:
    """80 ms of mono speech audio."""

    samples: np.ndarray
    """(1280,) int16 at 16 kHz."""
    timestamp_ms: int
    """Stream time of the first sample."""


@dataclass(frozen=True)
class WakeDetection:
    """The wake word was heard."""

    name: str
    """Wake word model name, e.g. ``hey_jarvis``."""
    score: float
    """Peak model score, 0..1."""
    timestamp_ms: int
    """Stream time of the end of the frame that crossed the threshold."""


EndReason = Literal["silence", "meaning", "max_length", "end_of_stream", "no_speech"]
"""Why an utterance ended: ``silence`` after ``options.endpoint_silence_ms``; ``meaning`` after
the shorter ``options.endpoint_early_ms``, because the words so far were a complete, confident
command; ``max_length`` at ``options.max_utterance_ms``; ``end_of_stream`` when the input ended
mid-speech; ``no_speech`` if none began (no command may come of it)."""


@dataclass(frozen=True)
class Utterance:
    """The audio after a wake word, up to the endpoint."""

    samples: np.ndarray
    """(n,) int16 at 16 kHz."""
    start_ms: int
    end_ms: int
    """Stream time when the endpoint was decided."""
    last_voice_ms: int | None
    """Stream time of the end of the last voiced frame; None if no speech was heard."""
    reason: EndReason
    speech_ms: int = 0
    """Total voiced audio, ms."""


@dataclass(frozen=True)
class Pause:
    """The speaker paused inside an utterance: the audio so far, to read what was said before
    the utterance ends."""

    samples: np.ndarray
    """(n,) int16 at 16 kHz, from the utterance's start up to now."""
    start_ms: int
    """Stream time of the first sample."""
    last_voice_ms: int
    """Stream time of the end of the last voiced window before the pause; the utterance ends with
    this same value if no speech follows."""


@dataclass(frozen=True)
class Transcript:
    """What the speech recogniser heard."""

    text: str
    confidence: float
    """0..1, from the recogniser's own log-probabilities."""
    language: str = "en"
    ms: float = 0.0
    """Wall time spent recognising."""
    avg_logprob: float | None = None
    """Mean token log-probability (natural log) of the chosen hypothesis; None if nothing was heard."""
    corrected: tuple[str, ...] = ()
    """Corrections of whisper's known confusions applied to reach a command, each ``"heard -> said"``."""
    unsure: str | None = None
    """Why this transcript's commands need a spoken yes before they are carried out (a low
    confidence, a corrected word); None: act on them."""
    recogniser: str | None = None
    """Which recogniser gave the text: ``grammar`` (pocketsphinx), ``whisper`` (the low-power
    set's fallback) or ``whisper <model>`` (the full set: ``whisper tiny.en``, or ``whisper base``
    when its second opinion was taken); None if unsaid."""


Value = float | int | str | None


@dataclass(frozen=True)
class ClockTime:
    """A time of day as said: "7 am", "half past 6", "noon"."""

    hour: int
    """0..23."""
    minute: int
    """0..59."""
    twelve_hour: bool = False
    """Said without am/pm or a day part ("at 7"): ``hour`` (1..12) is one of its readings, of which
    the parser takes the one that comes first (hub.nlu.timing.when.TimeReader.resolve)."""
    chosen: bool = False
    """A reading the hub chose of a time said on the 12-hour clock without am or pm ("at 11",
    "at 7 tonight"): replies say it with am or pm ("11:00 pm")."""

    def hhmm(self) -> str:
        return f"{self.hour:02d}:{self.minute:02d}"


@dataclass(frozen=True)
class When:
    """When a command is meant, instead of now: "in ten minutes" (``delay_s``), "at 7 am"
    (``at``), "for 10 minutes" (``duration_s``: done now, or at its start, then undone after that
    long), "until eight" (``until``: undone at that time)."""

    delay_s: float | None = None
    """Start that many seconds from now."""
    at: ClockTime | None = None
    """Start at the next such local time."""
    duration_s: float | None = None
    """Undo it that many seconds after it starts."""
    until: ClockTime | None = None
    """Undo it at the next such local time after it starts."""

    def to_json(self) -> dict:
        out: dict = {}
        if self.delay_s is not None:
            out["delay_s"] = _seconds(self.delay_s)
        if self.at is not None:
            out["at"] = self.at.hhmm()
        if self.duration_s is not None:
            out["duration_s"] = _seconds(self.duration_s)
        if self.until is not None:
            out["until"] = self.until.hhmm()
        return out

    @property
    def later(self) -> bool:
        """Nothing of it is done now."""
        return self.delay_s is not None or self.at is not None


def _seconds(s: float) -> int | float:
    """Whole seconds as an int in JSON (600, not 600.0)."""
    s = round(s, 3)
    return int(s) if float(s).is_integer() else s


@dataclass(frozen=True)
class Command:
    """One action on one device, in the vocabulary of the device command catalog (devices/*.yaml)."""

    device: str
    """Config device id."""
    action: str
    """e.g. ``turn_on``, ``set_brightness``, ``lock``, ``query``."""
    value: Value = None
    """Number as said (%, °, kelvin...) or a name (colour, mode); None if the action takes none."""
    unit: str | None = None
    """Unit of ``value`` when it matters: ``%``, ``C``, ``F``, ``K``."""
    about: str | None = None
    """For ``query``: the quantity asked ("how humid is it": ``humidity``), answered by the device
    type's catalog action ``query_<about>``; None asks for the whole state."""
    when: When | None = None
    """Not now, or not for good ("in ten minutes", "for an hour"): hub.timers schedules it."""
    if_off: str | None = field(default=None, compare=False)
    """The action instead, of a device the state store knows to be off: the heating's thermostat
    turned up for "it's freezing in here" is switched on if it is off (implied.yaml ``if_off``;
    hub.execute). Not in the JSON, nor in equality: what was understood is ``action``."""
    if_on: str | None = field(default=None, compare=False)
    """The action instead, of a device the state store knows to be on: a room heater switched on
    for "it's freezing in here" is turned up if it is already on (implied.yaml ``if_on``). Not in the
    JSON, nor in equality."""

    def to_json(self) -> dict:
        out: dict = {"device": self.device, "action": self.action}
        if self.value is not None:
            out["value"] = self.value
        if self.about is not None:
            out["about"] = self.about
        if self.when is not None:
            out.update(self.when.to_json())
        return out


@dataclass(frozen=True)
class GroupQuestion:
    """A question about several devices ("which lights are on", "are any doors unlocked"): the
    commands query each; the reply counts and names those in the state asked."""

    state: str
    """The state word asked, as said ("on", "open", "unlocked")."""
    yes: tuple[str, ...]
    """:attr:`hub.devices.state.DeviceState.state` words that answer yes (``on``; ``open``, ``opening``)."""
    count: bool = False
    """A "how many" question: the number comes first."""


@dataclass(frozen=True)
class Choice:
    """A question the hub asked back ("Which one: the bedroom lamp or the bedside lamp?"); pass it
    with the answer to ``Parser.parse(answer, area, pending=choice)``."""

    text: str
    """The utterance the question is about."""
    candidates: tuple[str, ...]
    """Device ids to choose among, in the order they were named."""
    area: str | None = None
    """Area id of the speaker who said ``text``."""


@dataclass(frozen=True)
class Understanding:
    """What the text means in this home."""

    text: str
    intent: str | None
    """Top intent name, or None if nothing was understood."""
    commands: tuple[Command, ...] = ()
    confidence: float = 0.0
    """0..1, calibrated: a threshold can refuse low-confidence parses."""
    response: str = ""
    """Short reply for the speaker: what was done, or why nothing was."""
    area: str | None = None
    """Area id of the speaker that heard the utterance (room context)."""
    question: GroupQuestion | None = None
    """Set when the commands are one question about a group of devices."""
    complete: bool = True
    """False when the text reads as stopped mid-command, so more words may follow: a clause left
    open (a trailing connector), a target taken from no word of the text, or words that are
    neither phrasing nor names. Only a complete, confident understanding may end an utterance
    early (hub.pipeline); an understanding with no commands is never a reason to end early."""
    partial: bool = False
    """A clause that asked for something was refused beside one that acted ("look the front door
    and set the alarm for the night": whisper's "lock" read as a pause the door cannot do). The
    hub acts on the rest and says why not; read from speech, it waits for a yes
    (hub.asr.whisper.judged): the refused clause is as likely misheard as wanted."""
    choice: Choice | None = None
    """Set when nothing was done because the hub asks which device was meant."""
    slots: dict[str, Value] | None = field(default=None, hash=False)
    """Slots of an intent that is no device command: a timer's (``duration_s``, ``name``; ``{}``
    when none was said), or a custom intent's (hub.sentences: list or wildcard name -> the list's
    ``out`` value or the words as said); None for device commands."""
    scheduled: tuple[Command, ...] = ()
    """Commands that start later ("in ten minutes", "at 7 am": ``Command.when.later``); only
    ``commands`` are done now (one "for 10 minutes" is, carrying its ``when`` for the undo). In
    :meth:`to_json` both are ``commands``, each with its ``delay_s``/``at``."""
    messages: tuple[MqttMessage, ...] = ()
    """A custom intent's own MQTT publishes (its ``mqtt`` steps), sent as they are."""
    hedged: bool = False
    """Nothing was done on purpose: the text negates or takes back a command ("don't unlock the
    front door", "no wait"). Read from speech, such a reading means something as surely as a
    command does (hub.asr.rescore weighs it as one)."""
    unknown_place: bool = False
    """Nothing was done because a room was named that the home lacks ("the lights in were room").
    Read from speech, a room whisper heard there is a doubt about any reading that puts the
    command in a known one (hub.asr.rescore)."""
    unknown_name: bool = False
    """Nothing was done because a device was named that the home lacks ("put the sams on 18
    degrees"). Read from speech, a name whisper heard there is a doubt about a close reading that
    names no device (hub.asr.rescore)."""
    unnamed: bool = False
    """A command's devices were named by no word of its clause: the speaker's room's, or the home's
    one of the kind ("set it to twenty degrees")."""
    lacked: tuple[str, ...] = ()
    """Names said that the home lacks, as said, whether or not anything else was done ("the kotina"
    in "lock the philips and close the kotina"). Read from speech, such a name may be one of the
    home's misheard (hub.asr.rescore tries those that sound near it)."""

    def to_json(self) -> dict:
        """The ``hub parse --jsonl`` object (commands as in tests/nlu_cases/README.md, plus ``slots``
        and a command's ``delay_s``, ``at``, ``duration_s``, ``until``)."""
        out = {
            "text": self.text,
            "intent": self.intent,
            "commands": [c.to_json() for c in (*self.commands, *self.scheduled)],
            "confidence": round(self.confidence, 4),
            "response": self.response,
        }
        if self.slots is not None:
            out["slots"] = dict(self.slots)
        return out


@dataclass(frozen=True)
class MqttMessage:
    """One MQTT publish."""

    topic: str
    payload: bytes
    qos: int = 1
    retain: bool = False


@dataclass
class StageTimes:
    """Wall-clock milliseconds spent per stage for one utterance."""

    wake: float = 0.0
    vad: float = 0.0
    asr: float = 0.0
    nlu: float = 0.0
    route: float = 0.0
    publish: float = 0.0
    extra: dict[str, float] = field(default_factory=dict)


class WakeStage(Protocol):
    """A wake word detector: :class:`AudioFrame` in, a :class:`WakeDetection` when it fires."""

    def process(self, frame: AudioFrame) -> WakeDetection | None: ...
    def reset(self) -> None: ...


class EndpointOptions(Protocol):
    endpoint_early_confidence: float
    """Both the recogniser's and the parser's confidence must reach it to end by meaning, 0..1."""


class EndpointStage(Protocol):
    """An endpointer: frames in after a wake word, an :class:`Utterance` out when it ends."""

    options: EndpointOptions
    def start(self, timestamp_ms: int) -> None: ...
    def process(self, frame: AudioFrame) -> Utterance | None: ...
    def pause(self) -> Pause | None: ...
    def end_early(self, last_voice_ms: int, now_ms: int | None = None) -> Utterance | None: ...
    def finish(self, timestamp_ms: int) -> Utterance | None: ...


class TranscribeStage(Protocol):
    """A recogniser; one may also offer ``transcribe_ahead(samples)``, a quicker reading for the
    pauses read ahead (whisper: a shorter encoder window)."""

    def transcribe(self, samples: np.ndarray) -> Transcript: ...


class ParseStage(Protocol):
    """Understanding: text (and the question the hub asked back, if any) in, an :class:`Understanding` out."""

    def parse(self, text: str, area: str | None, pending: Choice | None = None) -> Understanding: ...
