"""Timer and schedule sentences ("set a 5 minute pasta timer", "how much time is left", "what's
scheduled") matched with hassil against timers.yaml, read into an
:class:`~hub.types.Understanding` with ``slots`` (``duration_s``, ``name``).

The text is normalised as for time phrases (:class:`~hub.nlu.timing.when.TimeReader`), then every
template that matches is tried; a match whose ``{duration}`` is no duration is dropped, and of the
rest the one with the most words of its own (not slot text) wins, so "cancel the pasta timer" is
the timer's cancel and not a scheduled command named "pasta timer".
"""

from __future__ import annotations

from hassil import recognize_all

from hub.nlu.timing.data import TIMER_INTENTS, TimerLanguage
from hub.nlu.timing.when import TimeReader
from hub.types import Understanding, Value


class TimerSentences:
    """Matches one utterance against the timer and schedule sentences."""

    def __init__(self, tl: TimerLanguage, reader: TimeReader):
        self.tl = tl
        self.reader = reader
        # hassil's own pre-filter, applied before any normalising: per template, the word clauses
        # it needs (one word of each); an utterance that fits no template's is no timer sentence
        self.needs = [s.get_required_clauses(tl.intents.expansion_rules)
                      for i in tl.intents.intents.values() for d in i.data for s in d.sentences]

    def read(self, text: str, area: str | None = None, said: list[str] | None = None) -> Understanding | None:
        """The timer or schedule intent ``text`` says, or None if it is no such sentence.
        ``said``: the parser's normalised words of ``text``, to rule most utterances out at once."""
        if said is not None and not any(all(not c.isdisjoint(said) for c in need) for need in self.needs):
            return None
        words = [w for w in self.reader.words(text) if w != ","]
        if not words:
            return None
        best: tuple[int, str, dict[str, Value]] | None = None
        for r in recognize_all(" ".join(words), self.tl.intents):
            slots = self._slots(r.intent.name, {k: e.value for k, e in r.entities.items()})
            if slots is not None and (best is None or r.text_chunks_matched > best[0]):
                best = (r.text_chunks_matched, r.intent.name, slots)
        if best is None:
            return None
        _, intent, slots = best
        response = ""
        if intent == "timer_start":
            response = self.tl.say("timer_started", timer=self.timer_phrase(slots.get("name")),
                                   duration=self.reader.say_duration(slots["duration_s"]))
        return Understanding(text, intent, (), 1.0, response, area, slots=slots)

    def timer_phrase(self, name: object) -> str:
        """ "the pasta timer" / "the timer" (timers.yaml ``timer_named``, ``timer_unnamed``)."""
        r = self.tl.file.responses
        return r.timer_named.format(name=name) if name else r.timer_unnamed

    def _slots(self, intent: str, entities: dict[str, object]) -> dict[str, Value] | None:
        """The match's slots, or None if its duration is none (or a timer name is empty)."""
        out: dict[str, Value] = {}
        if "duration" in entities:
            seconds = self.reader.whole_duration(str(entities["duration"]))
            if seconds is None:
                return None
            out["duration_s"] = seconds
        if "duration_name" in entities:
            words = [w for w in self.reader.words(str(entities["duration_name"])) if w != ","]
            read = self.reader.duration(words)
            if read is None or read[1] == len(words):
                return None
            out["duration_s"], out["name"] = read[0], " ".join(words[read[1]:])
        if "name" in entities:
            name = str(entities["name"]).strip()
            if not name:
                return None
            out["name"] = name
        if "sign" in entities and "duration_s" in out:
            out["duration_s"] = out["duration_s"] * float(entities["sign"])
        if intent in ("timer_start", "timer_add") and "duration_s" not in out:
            return None
        if intent in TIMER_INTENTS and isinstance(out.get("duration_s"), float) and out["duration_s"].is_integer():
            out["duration_s"] = int(out["duration_s"])
        return out
