"""Custom sentence templates as JSGF expansions, for the low-power set's grammar (hub.asr.grammar).

hassil's template tree (``hassil.expression``) maps onto JSGF 1.0 (https://www.w3.org/TR/jsgf/):
a sequence is words side by side, ``(a|b)`` an alternative, ``[a]`` an optional, a permutation
``(a;b)`` every order as alternatives, an expansion rule is written in place, and each list
becomes a rule of its values: text values as spoken words, a number range as number words.
A wildcard (any words) has no JSGF form, nor has a range beyond 0..100 or with fractions (the
grammar's number words stop there): those are problems naming the template's file, line and
field, and only the low-power set refuses to load over them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from hassil.expression import Alternative, Expression, ListReference, Permutation, RuleReference, Sequence, TextChunk
from hassil.intents import Intents, RangeSlotList, SlotList, TextSlotList, WildcardSlotList

from hub.sentences import CustomSentences

MAX_NUMBER = 100
"""The grammar says numbers 0..100 (hub.asr.grammar.number_words)."""
MAX_PERMUTED = 4
"""A permutation of more items would list too many orders (5! = 120)."""


class NotExpressible(Exception):
    """This part of a template has no JSGF form."""


@dataclass
class CustomGrammar:
    """The custom sentences as JSGF: ``sentences`` are expansions of the public rule, ``rules``
    the list rules they name (``<cs_N>`` -> alternatives)."""

    sentences: list[tuple[str, str]] = field(default_factory=list)
    """(expansion, where: ``file:line path``) per template."""
    rules: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


class _Builder:
    def __init__(self, spoken: Callable[[str], str], numbers: Callable[[int], str], given: dict[str, str]):
        self.spoken = spoken
        self.numbers = numbers
        self.given = given
        """List name -> a JSGF rule the caller defines (a wildcard the caller can say)."""
        self.out = CustomGrammar()
        self._names: dict[int, str] = {}

    def expansion(self, e: Expression, lists: dict[str, SlotList], rules: dict) -> str:
        if isinstance(e, TextChunk):
            return self.spoken(e.text)
        if isinstance(e, Permutation):
            if len(e.items) > MAX_PERMUTED:
                raise NotExpressible(f"a permutation of {len(e.items)} items (at most {MAX_PERMUTED})")
            parts = [self.expansion(x, lists, rules) for x in e.items]
            return "(" + " | ".join(" ".join(p for p in order if p) for order in itertools.permutations(parts)) + ")"
        if isinstance(e, Alternative):
            parts = [self.expansion(x, lists, rules) for x in e.items]
            said = list(dict.fromkeys(p for p in parts if p))
            if not said:
                return ""
            optional = e.is_optional or len(said) < len(parts)
            return ("[" if optional else "(") + " | ".join(said) + ("]" if optional else ")")
        if isinstance(e, Sequence):
            return " ".join(p for p in (self.expansion(x, lists, rules) for x in e.items) if p)
        if isinstance(e, RuleReference):
            return "(" + self.expansion(rules[e.rule_name].expression, lists, rules) + ")"
        if isinstance(e, ListReference):
            return f"<{self.list_rule(e, lists, rules)}>"
        raise NotExpressible(f"template part {type(e).__name__}")

    def list_rule(self, ref: ListReference, lists: dict[str, SlotList], rules: dict) -> str:
        if ref.list_name in self.given:
            return self.given[ref.list_name]
        if ref.is_inline_range:
            start, stop, step = ref.get_inline_range()
            slot_list: SlotList = RangeSlotList(ref.list_name, start, stop, step)
        else:
            slot_list = lists[ref.list_name]
        key = id(slot_list)
        if key in self._names:
            return self._names[key]
        if isinstance(slot_list, WildcardSlotList):
            raise NotExpressible(f"the wildcard {{{ref.list_name}}} (any words) cannot be said in the low-power "
                                 f"set's grammar: give its list values instead (the full set hears it as it is)")
        if isinstance(slot_list, RangeSlotList):
            if slot_list.start < 0 or slot_list.stop > MAX_NUMBER or slot_list.fraction_type is not None:
                raise NotExpressible(f"the range {{{ref.list_name}}} ({slot_list.start}..{slot_list.stop}"
                                     f"{', with fractions' if slot_list.fraction_type else ''}): the low-power "
                                     f"grammar says whole numbers 0..{MAX_NUMBER}")
            alts = [self.numbers(int(n)) for n in slot_list.get_numbers()]
        elif isinstance(slot_list, TextSlotList):
            alts = [self.expansion(v.text_in, lists, rules) for v in slot_list.values]
        else:
            raise NotExpressible(f"the list {{{ref.list_name}}}")
        name = f"cs_{len(self._names)}"
        self._names[key] = name
        self.out.rules[name] = list(dict.fromkeys(a for a in alts if a))
        return name


def custom_grammar(custom: CustomSentences, spoken: Callable[[str], str], numbers: Callable[[int], str]) -> CustomGrammar:
    """The templates of ``custom`` as JSGF. ``spoken(text)``: text as grammar words (lower case,
    digits as words); ``numbers(n)``: 0..100 as words. Problems (a wildcard, a range the grammar
    cannot say) are collected as ``file:line path: message``, one per template."""
    def where(text: str, intent: str) -> str:
        return str(custom.sentences.where.get(text, f"intents.{intent}"))

    return intents_grammar(custom.sentences.intents, where, spoken, numbers, custom.lists)


def intents_grammar(intents: Intents, where: Callable[[str, str], str], spoken: Callable[[str], str],
                    numbers: Callable[[int], str], lists: dict[str, SlotList] | None = None,
                    given: dict[str, str] | None = None) -> CustomGrammar:
    """The templates of hassil ``intents`` as JSGF (see :func:`custom_grammar`). ``where(template
    text, intent name)``: the template's place for problems; ``lists``: slot lists beside the
    intents' own; ``given``: list name -> the name of a JSGF rule the caller defines, so such a
    list (a wildcard) becomes ``<rule>`` instead of a problem."""
    b = _Builder(spoken, numbers, given or {})
    for intent in intents.intents.values():
        for data in intent.data:
            slot_lists = {**intents.slot_lists, **(lists or {}), **data.slot_lists}
            rules = {**intents.expansion_rules, **data.expansion_rules}
            for sentence in data.sentences:
                try:
                    text = b.expansion(sentence.expression, slot_lists, rules)
                except NotExpressible as e:
                    b.out.problems.append(f"{where(sentence.text, intent.name)}: {e}")
                    continue
                if text:
                    b.out.sentences.append((re.sub(r"\s+", " ", text).strip(), where(sentence.text, intent.name)))
    return b.out
