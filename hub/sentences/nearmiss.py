"""Which custom intent an utterance nearly says, when no sentence of it matches the whole text.

A recogniser's slip ("ice mocha" for "iced mocha", "light roasted") or a word the templates lack
("gonna have a ...") leaves an order no sentence matches, and the built-in understanding may then
read it as a device command ("brew a ... coffee": the coffee maker on). An utterance that says
a value of one of a custom intent's text lists, and whose words are mostly (:data:`COVERAGE`)
that intent's own (its templates' words and its lists'), is that intent misheard: the hub acts
on no other reading of it. A word counts as another when one is the other with up to
:data:`SUFFIX` letters more ("iced" and "ice", "whites" and "white", "roasted" and "roast").
Knows no language: every word comes from the home's sentence files. Numbers written in digits
are read as the words the lists hold (:func:`spell_numbers`, Unicode CLDR rules through hassil).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

from hassil.expression import (
    Expression,
    Group,
    ListReference,
    RuleReference,
    Sentence,
    TextChunk,
)
from hassil.intents import Intents, TextSlotList
from hassil.sample import sample_expression

COVERAGE = 0.75
"""Share of the utterance's words that must be the intent's own."""
SUFFIX = 2
"""Letters an ending may add to a word of at least :data:`STEM` letters and still be that word."""
STEM = 3
"""Shortest word an ending may be added to ("ice" -> "iced"; "a" is never "an")."""
MAX_SAMPLES = 64
"""Ways of saying one list value taken into account (a value may be a template)."""

_WORD = re.compile(r"[\w']+")
_DIGITS = re.compile(r"\d+")


def words_of(text: str) -> list[str]:
    """Lower-case words, punctuation dropped ("I'd", "twenty-ounce" -> "i'd", "twenty", "ounce")."""
    return _WORD.findall(text.lower())


def spell_numbers(text: str, language: str) -> str:
    """``text`` with each run of digits written as words ("20 ounce" -> "twenty ounce"), as a
    list value is written; unchanged when the language has no number rules."""
    if not _DIGITS.search(text):
        return text
    from hassil.numbers import get_rbnf_engine

    try:
        engine = get_rbnf_engine(language)
    except ValueError:
        return text
    return _DIGITS.sub(lambda m: engine.format_number(int(m.group())).text, text)


@dataclass(frozen=True)
class IntentVocabulary:
    """One custom intent's words: its templates' literal words and its text lists' values."""

    name: str
    words: frozenset[str]
    lists: dict[str, frozenset[tuple[str, ...]]]
    """List name -> each value as words."""


def vocabularies(intents: Intents) -> list[IntentVocabulary]:
    """Each custom intent's :class:`IntentVocabulary` (lists the home adds, such as ``name`` and
    ``area``, are not in ``intents`` and so count for none)."""
    out = []
    for intent in intents.intents.values():
        words: set[str] = set()
        lists: dict[str, frozenset[tuple[str, ...]]] = {}
        for data in intent.data:
            rules = {**intents.expansion_rules, **data.expansion_rules}
            slot_lists = {**intents.slot_lists, **data.slot_lists}
            for sentence in data.sentences:
                for name in _walk(sentence.expression, rules, words):
                    lst = slot_lists.get(name)
                    if isinstance(lst, TextSlotList) and name not in lists:
                        lists[name] = frozenset(tuple(words_of(said)) for v in lst.values
                                                for said in islice(sample_expression(v.text_in), MAX_SAMPLES)
                                                if words_of(said))
        for phrases in lists.values():
            words.update(w for phrase in phrases for w in phrase)
        out.append(IntentVocabulary(intent.name, frozenset(words), lists))
    return out


def _walk(e: Expression, rules: dict[str, Sentence], words: set[str], seen: frozenset[str] = frozenset()) -> set[str]:
    """Add ``e``'s literal words to ``words``; return the list names it refers to (rules followed once)."""
    names: set[str] = set()
    stack = [e]
    while stack:
        x = stack.pop()
        if isinstance(x, TextChunk):
            words.update(words_of(x.text))
        elif isinstance(x, Group):
            stack.extend(x.items)
        elif isinstance(x, ListReference):
            names.add(x.list_name)
        elif isinstance(x, RuleReference) and x.rule_name in rules and x.rule_name not in seen:
            names |= _walk(rules[x.rule_name].expression, rules, words, seen | {x.rule_name})
    return names


def _like(a: str, b: str) -> bool:
    """``a`` and ``b`` are one word, or one is the other with a short ending."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= STEM and len(long) - len(short) <= SUFFIX and long.startswith(short)


def _says(words: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(all(_like(w, p) for w, p in zip(words[i:i + n], phrase)) for i in range(len(words) - n + 1))


def _own(word: str, vocabulary: frozenset[str]) -> bool:
    return word in vocabulary or any(_like(word, v) for v in vocabulary)


def nearly_said(text: str, vocabulary: list[IntentVocabulary], language: str) -> str | None:
    """The name of the custom intent ``text`` nearly says (see the module docstring), or None."""
    words = words_of(spell_numbers(text, language))
    if not words:
        return None
    for v in vocabulary:
        said_list = any(_says(words, p) for phrases in v.lists.values() for p in phrases)
        if said_list and sum(_own(w, v.words) for w in words) >= COVERAGE * len(words):
            return v.name
    return None
