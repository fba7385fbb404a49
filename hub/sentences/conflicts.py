"""Custom sentences that the built-in understanding would also read as a device command.

The custom sentence wins (it matches exactly), so nothing breaks; but a user who wrote "turn on
the party" as a custom intent while "party" is also a scene's name should hear about it. Each
template is sampled (hassil's sampler: the first alternatives, list values and numbers in order)
and every sample is given to the built-in understanding; the first one it turns into commands
is reported, once per template, as ``file:line path: ...``.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Callable

from hassil.sample import sample_expression

from hub.sentences import CustomSentences
from hub.types import Understanding

log = logging.getLogger(__name__)

SAMPLES_PER_TEMPLATE = 5
"""Sentences tried per template: enough for its main alternatives, cheap at every load."""

_reported: set[str] = set()


def find_conflicts(custom: CustomSentences, parse: Callable[[str], Understanding],
                   builtin: Callable[[str], Understanding], min_confidence: float,
                   samples: int = SAMPLES_PER_TEMPLATE) -> list[str]:
    """One warning per custom template whose samples the built-in understanding (``builtin(text)``,
    e.g. :meth:`hub.nlu.parser.Parser.builtin`) reads as commands with at least ``min_confidence``
    that differ from what the custom sentence does (``parse(text)``, with it: the same commands
    and no MQTT steps of its own are no conflict)."""
    intents = custom.sentences.intents
    out: list[str] = []
    for intent in intents.intents.values():
        for data in intent.data:
            lists = {**intents.slot_lists, **custom.lists, **data.slot_lists}
            rules = {**intents.expansion_rules, **data.expansion_rules}
            for sentence in data.sentences:
                for sample in itertools.islice(sample_expression(sentence.expression, lists, rules,
                                                                 language=custom.language), samples):
                    said = re.sub(r"\{(\w+)\}", r"\1", sample)  # a wildcard samples as its name
                    u = builtin(said)
                    if u.commands and u.confidence >= min_confidence and _differ(parse(said), u):
                        done = ", ".join(f"{c.action} {c.device}" for c in u.commands)
                        out.append(f"{custom.sentences.where.get(sentence.text, '?')}: {said!r} is also a built-in "
                                   f"command ({done}); the custom intent {intent.name} wins")
                        break
    return out


def _differ(custom: Understanding, builtin: Understanding) -> bool:
    def said(u: Understanding) -> set[tuple]:
        return {(c.device, c.action, c.value) for c in u.commands}

    return bool(custom.messages) or said(custom) != said(builtin)


def report_conflicts(custom: CustomSentences | None, parse: Callable[[str], Understanding],
                     builtin: Callable[[str], Understanding], min_confidence: float) -> list[str]:
    """:func:`find_conflicts`, each warning logged once per process (a parser is built several
    times: model swaps, A/B, the recogniser's rescorer). Returns them all."""
    if not custom:
        return []
    found = find_conflicts(custom, parse, builtin, min_confidence)
    for w in found:
        if w not in _reported:
            _reported.add(w)
            log.warning("custom sentence conflict: %s", w)
    return found
