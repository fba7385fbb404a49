"""Timers and commands in time for the low-power set's grammar (:mod:`hub.asr.grammar`).

From the same data the parser reads them with: the timer and schedule sentences of
``intents/<language>/timers.yaml`` (Home Assistant's template format) become JSGF through
:func:`hub.sentences.jsgf.intents_grammar`, with its ``{duration}`` wildcard said as ``<duration>``;
the time phrase of a command ("in ten minutes", "for an hour", "at half past seven", "until
noon") is ``<when>``, built from the file's ``when``, ``durations`` and ``clock`` words and
language.yaml's ``numbers.fractions``, and follows every device command of the grammar.

Templates with another wildcard (a timer's ``{name}``, ``{duration_name}``: any words) have no
grammar form; the full set hears those.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hub.nlu.language import load_language
from hub.nlu.timing.data import load_timer_language
from hub.sentences.jsgf import intents_grammar

WHEN = "when"
"""The rule of a command's time phrase."""
DURATION_AMOUNTS = (*range(1, 21), 25, 30, 40, 45, 50, 60, 90)
"""Numbers a duration of the grammar says ("ninety minutes"); the number rule of 0..100 in each
of the nine timer sentences with a duration made decoding of every command 2 times slower."""


@dataclass(frozen=True)
class TimeGrammar:
    """Timer sentences and time-phrase rules as JSGF."""

    sentences: list[tuple[str, str]]
    """(expansion, ``timers.yaml: intents.<intent>``) per template the grammar can say."""
    rules: dict[str, list[str]]
    """Rule name -> alternatives: ``duration``, ``clock``, ``when`` and what they use."""


def _alt(words) -> str:
    return "(" + " | ".join(dict.fromkeys(words)) + ")"


def time_grammar(language: str, spoken: Callable[[str], str], numbers: Callable[[int], str]) -> TimeGrammar:
    """The timer sentences and the ``<when>`` rule of ``language``; ``spoken``/``numbers`` as for
    :func:`hub.sentences.jsgf.custom_grammar`. Number slots are ``<number>`` (the home grammar's
    0..100 rule). Raises LanguageError for an invalid timers.yaml or language.yaml."""
    tl = load_timer_language(language)
    d, c, w = tl.file.durations, tl.file.clock, tl.file.when
    fractions = [spoken(f) for f in load_language(language).grammar.numbers.fractions]
    # pocketsphinx copies a rule at every reference, and each copy of the 100 number words made
    # the whole grammar decode slower: a duration says the usual amounts only (whisper hears others)
    rules = {
        "unit": [spoken(u) for u in d.units],
        "amount": [*(numbers(n) for n in DURATION_AMOUNTS), *map(spoken, d.one)],
        # "ten minutes", "an hour and a half", "half an hour"
        "duration": [f"<amount> <unit> [{_alt(map(spoken, d.joiners))} {_alt(fractions)}]",
                     f"{_alt(fractions)} [{_alt(map(spoken, d.skip))}] {_alt(map(spoken, d.one))} <unit>"],
        "hour": [numbers(n) for n in range(1, 13)],
        # "seven", "seven thirty pm", "seven o'clock", "half past seven", "noon"
        "clock": [f"<hour> [<number>] [{_alt(map(spoken, c.meridiem))}]",
                  f"<hour> {_alt(map(spoken, c.oclock))} [{_alt(map(spoken, c.meridiem))}]",
                  f"{_alt(map(spoken, c.minute_words))} {_alt(map(spoken, [*c.past, *c.to]))} <hour>",
                  _alt(map(spoken, c.named))],
        WHEN: [f"{_alt(map(spoken, [*w.delay, *w.lasting]))} <duration>",
               f"{_alt(map(spoken, [*w.at, *w.until]))} <clock>"],
    }
    timers = intents_grammar(tl.intents, lambda text, intent: f"{tl.path}: intents.{intent}", spoken, numbers,
                             given={"duration": "duration"})
    sentences = [(x, where) for x, where in map(_from_its_first_word, timers.sentences) if x]
    return TimeGrammar(sentences=_one_duration_each(sentences), rules=rules)


def _one_duration_each(sentences: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The same sentences with fewer copies of ``<duration>``: those that share the words before
    it are written as one with the alternatives after it, then those that share the words after
    it as one with the alternatives before it ("(timer for | count down) <duration>"). The
    language is unchanged; pocketsphinx copies a rule at each reference, and each copy of the
    duration rule made every command decode slower."""
    out, after_of = [], {}
    for x, where in sentences:
        if x.count("<duration>") != 1:
            out.append((x, where))
            continue
        before, after = (p.strip() for p in x.split("<duration>"))
        after_of.setdefault(before, ([], where))[0].append(after)
    before_of: dict[tuple[str, ...], tuple[list[str], str]] = {}
    for before, (afters, where) in after_of.items():
        before_of.setdefault(tuple(dict.fromkeys(afters)), ([], where))[0].append(before)
    for afters, (befores, where) in before_of.items():
        said = [a for a in afters if a]
        tail = "" if not said else (f" [{' | '.join(said)}]" if len(said) < len(afters) else f" ({' | '.join(said)})")
        head = befores[0] if len(befores) == 1 else f"({' | '.join(befores)})"
        out.append((f"{head} <duration>{tail}", where))
    return out


def _from_its_first_word(sentence: tuple[str, str]) -> tuple[str, str]:
    """A sentence as the grammar takes it: from its first word that must be said ("[please] set a
    timer ..." -> "set a timer ..."), or ``""`` if a slot comes first ("<duration> timer").
    Measured: sentences that may open with any of many words made every command decode 1.6 times
    slower, and the grammar's own commands all open with their action word."""
    x, where = sentence
    while x.startswith("["):
        depth = 0
        for i, ch in enumerate(x):
            depth += {"[": 1, "]": -1}.get(ch, 0)
            if depth == 0:
                x = x[i + 1:].lstrip()
                break
    return ("" if x.startswith("<") else x), where
