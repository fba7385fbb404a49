"""Durations and clock times read from words: "one and a half hours" -> 5400 s, "half past 6" ->
06:30, and the time phrase of a command ("in ten minutes", "at 7 am", "for an hour", "until eight")
-> :class:`~hub.types.When`. Every word is data (timers.yaml ``durations``, ``when``, ``clock``;
language.yaml ``numbers.fractions``); this module only applies them.

Words are normalised as every utterance is (:func:`hub.nlu.normalize.normalize`: numbers as digits)
but without the lexicon's percent readings of "half" and "quarter" (50, 25), so that "half an hour"
keeps its meaning. Those readings replace one word by one, so the words stay aligned, position by
position, with the parser's.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime, time, timedelta

from hub.nlu.language import Language
from hub.nlu.normalize import is_number, normalize
from hub.nlu.timing.data import DayPart, TimerLanguage
from hub.types import ClockTime, When

_DOTTED = re.compile(r"(\d{1,2})\.(\d{2})")
"""A clock time normalised as one number: "7.30"."""


class TimeReader:
    """Reads durations, clock times and time phrases in one language."""

    def __init__(self, lang: Language, tl: TimerLanguage):
        self.lang = dataclasses.replace(lang, lexicon=lang.lexicon.model_copy(update={"number_words": {}}))
        self.tl = tl
        d = tl.file.durations
        self.fractions = sorted(((tuple(k.split()), v) for k, v in lang.grammar.numbers.fractions.items()),
                                key=lambda p: -len(p[0]))
        self.units, self.one, self.joiners, self.skip = d.units, set(d.one), set(d.joiners), set(d.skip)
        self.day_parts = sorted(((tuple(k.split()), v) for k, v in tl.file.clock.day_parts.items()),
                                key=lambda p: -len(p[0]))

    def words(self, text: str, **spelling) -> list[str]:
        """``text`` normalised for reading times; ``spelling``: the parser's ``vocab``, ``keep`` and
        ``nouns`` (hub.nlu.normalize.normalize), so the words stay aligned with the parser's."""
        return normalize(text, self.lang, **spelling)

    # ------------------------------------------------------------------ durations
    def duration(self, words: list[str], i: int = 0) -> tuple[float, int] | None:
        """(seconds, index after it) of the duration starting at ``words[i]``, or None.
        "1 hour and 30 minutes", "half an hour", "an hour and a half", "90 seconds"."""
        n, total, j, read = len(words), 0.0, i, False
        while True:
            amount = self._amount(words, j)
            if amount is None or amount[1] >= n or words[amount[1]] not in self.units:
                break
            value, k = amount
            unit = self.units[words[k]]
            extra, k = self._and_fraction(words, k + 1)
            total, j, read = total + (value + extra) * unit, k, True
            if j < n and words[j] in self.joiners:
                nxt = self._amount(words, j + 1)
                if nxt is None or nxt[1] >= n or words[nxt[1]] not in self.units:
                    break
                j += 1
        return (total, j) if read else None

    def whole_duration(self, text: str) -> float | None:
        """Seconds of ``text`` if all of it is one duration, else None."""
        words = [w for w in self.words(text) if w != ","]
        read = self.duration(words)
        return read[0] if read and read[1] == len(words) else None

    def _amount(self, words: list[str], j: int) -> tuple[float, int] | None:
        if j >= len(words):
            return None
        if is_number(words[j]):
            return float(words[j]), j + 1
        for phrase, value in self.fractions:
            if tuple(words[j:j + len(phrase)]) == phrase:
                k = j + len(phrase)
                while k < len(words) and words[k] in self.skip:
                    k += 1
                return value, k
        if words[j] in self.one:
            return 1.0, j + 1
        return None

    def _and_fraction(self, words: list[str], k: int) -> tuple[float, int]:
        """ "and a half" after a unit -> (0.5, index after it); (0, k) if none."""
        if k < len(words) and words[k] in self.joiners:
            for phrase, value in self.fractions:
                if tuple(words[k + 1:k + 1 + len(phrase)]) == phrase:
                    return value, k + 1 + len(phrase)
        return 0.0, k

    # ------------------------------------------------------------------ clock times
    def clock(self, words: list[str], i: int) -> tuple[ClockTime, int] | None:
        """(time of day, index after it) starting at ``words[i]``, or None (also for "25 oclock").
        "7", "7 am", "7 30 pm", "7.30", "7 oclock", "noon", "half past 6", "20 to 8"."""
        c = self.tl.file.clock
        n = len(words)
        if i >= n:
            return None
        w = words[i]
        if w in c.named:
            h, m = map(int, c.named[w].split(":"))
            return ClockTime(h, m), i + 1
        minutes = c.minute_words.get(w) or (int(w) if w.isdigit() and 0 < int(w) < 60 else None)
        if minutes and i + 2 < n and words[i + 1] in (*c.past, *c.to) and words[i + 2].isdigit():
            hour = int(words[i + 2])
            if words[i + 1] in c.to:
                hour, minutes = hour - 1, 60 - minutes
            return self._finish(words, i + 3, hour % 24, minutes)
        if (m := _DOTTED.fullmatch(w)) is not None:
            return self._finish(words, i + 1, int(m[1]), int(m[2]))
        if not w.isdigit():
            return None
        j, minute = i + 1, 0
        if j < n and words[j].isdigit() and len(words[j]) == 2:
            minute, j = int(words[j]), j + 1
        return self._finish(words, j, int(w), minute)

    def _finish(self, words: list[str], j: int, hour: int, minute: int) -> tuple[ClockTime, int] | None:
        """A clock time's optional "oclock", am/pm and day part ("tonight"), then its check."""
        c = self.tl.file.clock
        if j < len(words) and words[j] in c.oclock:
            j += 1
        marked = j < len(words) and words[j] in c.meridiem
        if marked:
            if not 1 <= hour <= 12 or minute > 59:
                return None
            hour, j = hour % 12 + c.meridiem[words[j]], j + 1
        if hour > 23 or minute > 59:
            return None
        t = ClockTime(hour, minute, twelve_hour=not marked and 1 <= hour <= 12)
        part = self._day_part(words, j)
        if part is None:
            return t, j
        t = self.in_part(t, part[0])
        return (t, part[1]) if t is not None else None

    def _day_part(self, words: list[str], j: int) -> tuple[DayPart, int] | None:
        """The day part ("tonight", "in the morning") at ``words[j]`` and the index after it."""
        for phrase, part in self.day_parts:
            if tuple(words[j:j + len(phrase)]) == phrase:
                return part, j + len(phrase)
        return None

    def in_part(self, t: ClockTime, part: DayPart) -> ClockTime | None:
        """The reading of ``t`` in ``part`` ("7" tonight: 19:00), or None if none is in it."""
        hours = [(t.hour % 12 + add) % 24 for add in self.tl.file.clock.unmarked] if t.twelve_hour else [t.hour]
        fits = [h for h in hours if part.holds(h)]
        return ClockTime(fits[0], t.minute, chosen=t.twelve_hour or t.chosen) if fits else None

    def resolve(self, t: ClockTime, now: datetime) -> ClockTime:
        """``t`` as the hub takes it at ``now`` (an aware local datetime): a time said without
        am/pm or a day part is the reading of timers.yaml ``clock.unmarked`` that comes first
        ("at 11" at 15:00: 23:00), marked ``chosen``; any other time as it is."""
        if not t.twelve_hour:
            return t
        readings = [ClockTime((t.hour % 12 + add) % 24, t.minute) for add in self.tl.file.clock.unmarked]
        first = min(readings, key=lambda r: next_time(r, now))
        return dataclasses.replace(first, chosen=True)

    # ------------------------------------------------------------------ time phrases
    def phrase(self, words: list[str], i: int) -> tuple[When, int] | None:
        """The time phrase starting with its lead word at ``words[i]`` ("in", "for", "at",
        "until"...): (what it says, index after it), or None if the words are no phrase read here."""
        w = self.tl.file.when
        part = self._day_part(words, i)
        if part is not None and part[1] < len(words) and (words[part[1]] in w.at or words[part[1]] in w.until):
            # "tonight at 8": the day part said first
            read = self.phrase(words, part[1])
            if read is None:
                return None
            when, end = read
            field = "at" if when.at is not None else "until"
            t = self.in_part(getattr(when, field), part[0])
            return (When(**{field: t}), end) if t is not None else None
        lead = words[i] if i < len(words) else ""
        if lead in w.delay or lead in w.lasting:
            read = self.duration(words, i + 1)
            if read is not None:
                field = "delay_s" if lead in w.delay else "duration_s"
                return When(**{field: read[0]}), read[1]
        if lead in w.at or lead in w.until:
            read = self.clock(words, i + 1)
            if read is not None:
                return When(**{"at" if lead in w.at else "until": read[0]}), read[1]
        return None

    # ------------------------------------------------------------------ saying them
    def say_duration(self, seconds: float) -> str:
        """5400 -> "1 hour and 30 minutes" (timers.yaml ``durations.spoken``; whole seconds, rounded up)."""
        left = max(0, int(-(-seconds // 1)))
        parts = []
        for u in self.tl.file.durations.spoken:
            k, left = divmod(left, u.seconds)
            if k:
                parts.append(f"{k} {u.one if k == 1 else u.many}")
        if not parts:
            u = self.tl.file.durations.spoken[-1]
            parts.append(f"0 {u.many}")
        return self.lang.join(parts)

    def say_time(self, t: ClockTime | datetime) -> str:
        """A clock time as replies say it (timers.yaml ``clock.format``; a reading the hub chose,
        ``clock.format_12h``: "11:00 pm")."""
        c = self.tl.file.clock
        if isinstance(t, ClockTime):
            if t.chosen:
                half = {v: k for k, v in reversed(c.meridiem.items())}[12 if t.hour >= 12 else 0]
                return c.format_12h.format(hour=t.hour % 12 or 12, minute=t.minute, meridiem=half)
            t = time(t.hour, t.minute)
        return t.strftime(c.format)


def next_time(t: ClockTime, now: datetime) -> datetime:
    """The next local time (strictly after ``now``, an aware local datetime) at ``t.hour``:
    ``t.minute`` (the parser has chosen the reading of a time said without am/pm,
    :meth:`TimeReader.resolve`). Across a daylight-saving change the result is off by the change
    (the offset of ``now`` is kept)."""
    at = now.replace(hour=t.hour, minute=t.minute, second=0, microsecond=0)
    return at if at > now else at + timedelta(days=1)
