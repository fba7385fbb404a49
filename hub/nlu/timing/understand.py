"""What the parser asks of time: is the utterance a timer or schedule sentence, and what does a
command's time phrase say ("turn off the lights in ten minutes" -> the command with
``When(delay_s=600)`` and the reply "Turning off the lights in 10 minutes.")."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from hub.config import Config
from hub.devices.catalog import Catalog
from hub.nlu.language import Language
from hub.nlu.respond import describe
from hub.nlu.timing.data import TimerLanguage, load_timer_language
from hub.nlu.timing.sentences import TimerSentences
from hub.nlu.timing.when import TimeReader, next_time
from hub.clock import Clock, SystemClock
from hub.types import When, Understanding


class Timing:
    """Timer sentences and time phrases for one home's parser. Raises LanguageError if
    intents/<language>/timers.yaml is invalid."""

    def __init__(self, cfg: Config, lang: Language, catalog: Catalog):
        actions = frozenset(a for t in catalog.types.values() for a in t.commands)
        self.cfg, self.lang = cfg, lang
        self.clock: Clock = SystemClock()
        """Whose local time "at 11" is read against (a test sets a fake one)."""
        self.tl: TimerLanguage = load_timer_language(cfg.hub.language, actions=actions)
        self.reader = TimeReader(lang, self.tl)
        self.sentences = TimerSentences(self.tl, self.reader)
        w = self.tl.file.when
        self.leads = frozenset((*w.delay, *w.lasting, *w.at, *w.until))
        """Words a time phrase the reader reads begins with: without one, none is read."""

    def sentence(self, text: str, area: str | None, said: list[str] | None = None) -> Understanding | None:
        """A timer or schedule intent, or None (see :class:`TimerSentences`)."""
        return self.sentences.read(text, area, said)

    def words(self, text: str, **spelling) -> list[str]:
        """Words to read time phrases in, aligned with the parser's (see :class:`TimeReader`)."""
        return self.reader.words(text, **spelling)

    def phrase(self, words: list[str], i: int) -> tuple[When, int] | None:
        return self.reader.phrase(words, i)

    def duration_phrase(self, words: list[str], names: set[int] = frozenset()) -> tuple[int, int] | None:
        """The [start, end) span of the first "in/for <duration>" in ``words`` (outside the words
        at ``names``), with any unit of timers.yaml ("in three years"): a time phrase too, even
        where language.yaml's detector knows no such unit, so it is never done now."""
        w = self.tl.file.when
        for i, lead in enumerate(words):
            if i not in names and (lead in w.delay or lead in w.lasting):
                read = self.reader.duration(words, i + 1)
                if read is not None and not names & set(range(i, read[1])):
                    return i, read[1]
        return None

    def clock_phrase(self, words: list[str], names: set[int] = frozenset(),
                     bare: bool = True) -> tuple[int, int, bool] | None:
        """The first "at/until <time of day>" in ``words`` (outside the words at ``names``) that
        the reader reads whole, with a day part before or after it ("tonight at 8", "at 6 in the
        morning"): ([start, end) span, whether it is a bare number after a `when.bare` lead: "at
        11"). A bare one is skipped unless ``bare``; after any other lead, always."""
        w = self.tl.file.when
        for i, lead in enumerate(words):
            if i in names:
                continue
            read = self.reader.phrase(words, i)
            if read is None or read[0].at is None and read[0].until is None or names & set(range(i, read[1])):
                continue
            plain = read[1] == i + 2 and words[i + 1].isdigit()
            if plain and not (bare and lead in w.bare):
                continue
            return i, read[1], plain
        return None

    def in_time(self, u: Understanding, whens: list[When | None]) -> Understanding:
        """``u``'s commands carrying the time its phrases said, with the reply that says when (in
        ``scheduled`` if they start later, else in ``commands``: done now, undone later); the
        language's ``timed`` refusal if a phrase could not be read or they clash ("in 5 minutes at
        7"), ``no_undo`` if "for"/"until" asks to undo what has no undo (timers.yaml ``undo``)."""
        when = _merge(whens)
        if when is None or any(c.action == "query" for c in u.commands):
            return dataclasses.replace(u, commands=(), response=self.lang.say("timed"))
        when = self._resolve(when)
        if when.duration_s is not None or when.until is not None:
            undoable = self.tl.file.undo
            if any(c.action not in undoable for c in u.commands):
                return dataclasses.replace(u, commands=(), response=self.tl.say(
                    "no_undo", what=describe(list(u.commands), self.cfg, self.lang)))
        commands = tuple(dataclasses.replace(c, when=when) for c in u.commands)
        reply = self.say_scheduled(list(u.commands), when)
        if when.later:
            return dataclasses.replace(u, commands=(), scheduled=commands, response=reply)
        return dataclasses.replace(u, commands=commands, response=reply)

    def _resolve(self, when: When) -> When:
        """``when`` with the readings of its times said without am/pm chosen now: a start from
        the clock's now, an end from the start ("at 7 until 11": 19:00 to 23:00 in the evening)."""
        now = self.clock.now()
        at = self.reader.resolve(when.at, now) if when.at is not None else None
        start = now + timedelta(seconds=when.delay_s or 0.0)
        if at is not None:
            start = next_time(at, now)
        until = self.reader.resolve(when.until, start) if when.until is not None else None
        return dataclasses.replace(when, at=at, until=until)

    def say_scheduled(self, commands: list, when: When) -> str:
        """ "Turning off the lights in 10 minutes." """
        return self.tl.say("scheduled", what=describe(commands, self.cfg, self.lang).rstrip(". "), when=self.say_when(when))

    def say_when(self, when: When) -> str:
        """ "in 10 minutes", "at 07:00 for 1 hour" (timers.yaml ``when_*``)."""
        r, say_d, say_t = self.tl.file.responses, self.reader.say_duration, self.reader.say_time
        parts = []
        if when.delay_s is not None:
            parts.append(r.when_delay.format(duration=say_d(when.delay_s)))
        if when.at is not None:
            parts.append(r.when_at.format(time=say_t(when.at)))
        if when.duration_s is not None:
            parts.append(r.when_lasting.format(duration=say_d(when.duration_s)))
        if when.until is not None:
            parts.append(r.when_until.format(time=say_t(when.until)))
        return " ".join(parts)


def _merge(whens: list[When | None]) -> When | None:
    """One When of every phrase's; None if one is unread, a field is said twice, or a start is
    said both as a delay and a clock time (or an end as a duration and a clock time)."""
    out: dict = {}
    for w in whens:
        if w is None:
            return None
        for f in dataclasses.fields(w):
            v = getattr(w, f.name)
            if v is not None:
                if f.name in out:
                    return None
                out[f.name] = v
    if not out or ("delay_s" in out and "at" in out) or ("duration_s" in out and "until" in out):
        return None
    return When(**out)
