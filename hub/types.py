"""Typed data passed between the pipeline stages.

Every stage takes and returns these, never bare tuples or dicts. Times are
milliseconds of *stream time* (samples seen since the stream began / 16),
so a WAV file and the microphone give the same numbers for the same sound.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

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
    """Which recogniser gave the text: ``grammar`` (pocketsphinx) or ``whisper``; None if unsaid."""


Value = float | int | str | None


@dataclass(frozen=True)
class Command:
    """One action on one device, in the command vocabulary of issue 4."""

    device: str
    """Config device id."""
    action: str
    """e.g. ``turn_on``, ``set_brightness``, ``lock``, ``query``."""
    value: Value = None
    """Number as said (%, °, kelvin...) or a name (colour, mode); None if the action takes none."""
    unit: str | None = None
    """Unit of ``value`` when it matters: ``%``, ``C``, ``F``, ``K``."""

    def to_json(self) -> dict:
        out: dict = {"device": self.device, "action": self.action}
        if self.value is not None:
            out["value"] = self.value
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
    choice: Choice | None = None
    """Set when nothing was done because the hub asks which device was meant."""

    def to_json(self) -> dict:
        return {
            "text": self.text,
            "intent": self.intent,
            "commands": [c.to_json() for c in self.commands],
            "confidence": round(self.confidence, 4),
            "response": self.response,
        }


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
