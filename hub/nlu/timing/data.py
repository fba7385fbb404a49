"""intents/<language>/timers.yaml, loaded once and checked: timer sentences (Home Assistant's
sentence-template format, compiled with hassil), duration and clock words, time-phrase leads, the
undo of each action, and every reply. Errors list each problem with file:line
(:class:`~hub.nlu.language.LanguageError`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from hassil import Intents
from hassil.parse_expression import parse_sentence
from hassil.parser import ParseError
from pydantic import BaseModel, ConfigDict, Field, field_validator

from hub.nlu.language import INTENTS_ROOT, LanguageError
from hub.yamlcheck import load_mapping

TIMER_INTENTS = ("timer_start", "timer_cancel", "timer_pause", "timer_resume", "timer_add", "timer_status")
"""Intents the timer service answers (the contract of `hub parse`)."""
SCHEDULE_INTENTS = ("schedule_list", "schedule_cancel")
"""Intents about commands in time."""
SLOT_LISTS = ("duration", "duration_name", "name")
"""Wildcard lists the engine reads (see timers.yaml)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SentenceBlock(_Strict):
    sentences: list[str]
    slots: dict[str, int | float | str] = {}


class IntentEntry(_Strict):
    data: list[SentenceBlock]


class WildcardList(_Strict):
    wildcard: bool

    @field_validator("wildcard")
    @classmethod
    def _is_wildcard(cls, v: bool) -> bool:
        if not v:
            raise ValueError("the engine's lists are wildcards: set wildcard: true")
        return v


class SpokenUnit(_Strict):
    seconds: int
    one: str
    many: str


class DurationWords(_Strict):
    units: dict[str, float]
    """Unit word -> seconds."""
    one: list[str]
    joiners: list[str]
    skip: list[str]
    spoken: list[SpokenUnit]


class WhenWords(_Strict):
    delay: list[str]
    lasting: list[str]
    at: list[str]
    until: list[str]
    bare: list[str]
    """Leads after which a bare number is a time of day ("at 11") when the command needs no number
    ("set the heating at 21" keeps its value)."""


class DayPart(_Strict):
    """The hours a day part covers, ``[from, to)``, across midnight when ``to`` <= ``from``."""

    from_hour: int = Field(alias="from", ge=0, le=23)
    to_hour: int = Field(alias="to", ge=0, le=24)

    def holds(self, hour: int) -> bool:
        if self.from_hour < self.to_hour:
            return self.from_hour <= hour < self.to_hour
        return hour >= self.from_hour or hour < self.to_hour


class ClockWords(_Strict):
    meridiem: dict[str, int]
    """Word -> hours added to a 12-hour time (am: 0, pm: 12)."""
    named: dict[str, str]
    """Word -> "HH:MM"."""
    oclock: list[str]
    past: list[str]
    to: list[str]
    minute_words: dict[str, int]
    unmarked: list[int]
    """Hours added to a time of 1..12 said without am/pm or a day part ("at 11"): its readings, of
    which the hub takes the one that comes first from now (11:00 or 23:00)."""
    day_parts: dict[str, DayPart]
    """Words before or after a time that say which of its readings is meant ("at 7 tonight")."""
    format: str
    """strftime format of a clock time in replies."""
    format_12h: str
    """A time the hub chose a reading of, in replies ("11:00 pm"): ``{hour}`` 1..12, ``{minute}``,
    ``{meridiem}`` (the word of `meridiem` for its half of the day)."""

    @field_validator("meridiem")
    @classmethod
    def _halves(cls, v: dict[str, int]) -> dict[str, int]:
        if set(v.values()) != {0, 12}:
            raise ValueError("needs a word for 0 (before noon) and one for 12 (after noon)")
        return v

    @field_validator("named")
    @classmethod
    def _hhmm(cls, v: dict[str, str]) -> dict[str, str]:
        for word, t in v.items():
            m = re.fullmatch(r"(\d{1,2}):(\d{2})", t)
            if not m or int(m[1]) > 23 or int(m[2]) > 59:
                raise ValueError(f"{word}: {t!r} is not a clock time HH:MM")
        return v


class Responses(_Strict):
    timer_named: str
    timer_unnamed: str
    timer_started: str
    timer_cancelled: str
    timer_paused: str
    timer_resumed: str
    timer_changed: str
    timer_left: str
    timer_left_paused: str
    timer_list_item: str
    timer_list_item_paused: str
    timer_list: str
    timer_finished: str
    no_timers: str
    no_timer: str
    no_timer_named: str
    which_timer: str
    timer_exists: str
    too_long: str
    too_short: str
    too_many: str
    unreadable_duration: str
    scheduled: str
    when_delay: str
    when_at: str
    when_lasting: str
    when_until: str
    schedule_item: str
    schedule_list: str
    nothing_scheduled: str
    nothing_to_cancel: str
    schedule_cancelled: str
    schedule_ran: str
    timer_missed: str
    schedule_missed: str
    no_undo: str
    confirm_scheduled: str
    not_kept: str
    yes_at_speaker: str
    yes_at_speaker_api: str


class TimersFile(_Strict):
    language: str
    intents: dict[str, IntentEntry]
    lists: dict[str, WildcardList]
    durations: DurationWords
    when: WhenWords
    clock: ClockWords
    undo: dict[str, str]
    responses: Responses

    @field_validator("intents")
    @classmethod
    def _known_intents(cls, v: dict[str, IntentEntry]) -> dict[str, IntentEntry]:
        known = (*TIMER_INTENTS, *SCHEDULE_INTENTS)
        unknown = [k for k in v if k not in known]
        if unknown:
            raise ValueError(f"unknown intent(s) {', '.join(unknown)} (known: {', '.join(known)})")
        return v


@dataclass(frozen=True)
class TimerLanguage:
    """timers.yaml of one language, validated, with its sentences compiled by hassil."""

    path: Path
    file: TimersFile
    intents: Intents

    def say(self, key: str, **fields: Any) -> str:
        """Reply ``key`` with its fields filled, its first letter capitalised."""
        text = getattr(self.file.responses, key).format(**fields)
        return text[:1].upper() + text[1:]


def load_timer_language(code: str = "en", root: Path = INTENTS_ROOT, actions: frozenset[str] | None = None) -> TimerLanguage:
    """Load and check ``root/<code>/timers.yaml`` once per process. ``actions``: the catalog's
    action names the ``undo`` table must use (unchecked when None). Raises LanguageError."""
    return _load((Path(root) / code / "timers.yaml").resolve(), actions)


@lru_cache(maxsize=8)
def _load(path: Path, actions: frozenset[str] | None) -> TimerLanguage:
    f, data, found = load_mapping(path, TimersFile)
    if f is not None:
        for name in SLOT_LISTS:
            if name not in f.lists:
                found.add(("lists",), f"no list {name!r} (the engine reads {', '.join(SLOT_LISTS)})")
        for name in (*TIMER_INTENTS, *SCHEDULE_INTENTS):
            if name not in f.intents:
                found.add(("intents",), f"no sentences for {name!r}")
        for k, v in f.undo.items():
            for a in (k, v):
                if actions is not None and a not in actions:
                    found.add(("undo", k), f"{a!r} is no action of the device catalog")
        for name, entry in f.intents.items():
            for b, block in enumerate(entry.data):
                for s, sentence in enumerate(block.sentences):
                    at = ("intents", name, "data", b, "sentences", s)
                    try:
                        parse_sentence(sentence, keep_text=True)
                    except ParseError as e:
                        found.add(at, f"template does not parse: {e}")
                    for ref in re.findall(r"\{(\w+)", sentence):
                        if ref not in f.lists:
                            found.add(at, f"unknown list {{{ref}}} (lists: {', '.join(f.lists)})")
    if found:
        raise LanguageError(found.messages())
    return TimerLanguage(path, f, Intents.from_dict(data))
