"""The phrasing-template language of intents/*.yaml: ``(a|b)`` one of, ``[a|b]`` optional, ``{slot}``.

The same syntax as hassil's sentence templates (https://github.com/home-assistant/hassil#sentence-templates),
without its lists and rules: slots are filled by the training-data generator.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from hub.errors import TemplateError


@dataclass(frozen=True)
class Word:
    text: str


@dataclass(frozen=True)
class Slot:
    name: str


@dataclass(frozen=True)
class Seq:
    items: tuple


@dataclass(frozen=True)
class Alt:
    options: tuple[Seq, ...]
    optional: bool = False


_TOKEN = re.compile(r"\s*(\(|\)|\[|\]|\||\{[a-z_]+\}|[^\s()\[\]|{}]+)")


def parse_template(text: str) -> Seq:
    """Template text -> tree. Raises TemplateError on unbalanced brackets or stray characters."""
    tokens: list[str] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise TemplateError(f"template {text!r}: cannot read at column {pos}")
        tokens.append(m.group(1))
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1

    def seq(i: int, stop: set[str]) -> tuple[Seq, int]:
        items: list = []
        while i < len(tokens) and tokens[i] not in stop:
            t = tokens[i]
            if t in "([":
                close = ")" if t == "(" else "]"
                options = []
                i += 1
                while True:
                    s, i = seq(i, {"|", close})
                    options.append(s)
                    if i >= len(tokens):
                        raise TemplateError(f"template {text!r}: missing {close!r}")
                    if tokens[i] == close:
                        i += 1
                        break
                    i += 1
                items.append(Alt(tuple(options), optional=(t == "[")))
            elif t in ")]|":
                raise TemplateError(f"template {text!r}: unexpected {t!r}")
            elif t.startswith("{"):
                items.append(Slot(t[1:-1]))
                i += 1
            else:
                items.append(Word(t))
                i += 1
        return Seq(tuple(items)), i

    tree, i = seq(0, set())
    if i != len(tokens):
        raise TemplateError(f"template {text!r}: unexpected {tokens[i]!r}")
    return tree


EXPANSIONS_MAX = 1000
"""Most phrasings :func:`expand` gives of one template: a phrase list, not a grammar."""


def phrasings(node, text: str = "") -> list[tuple[str, ...]]:
    """Every phrasing of a parsed template (``node``, from :func:`parse_template`) as its words, a
    slot kept as ``{name}``. Raises TemplateError (naming ``text``, the template) for more than
    :data:`EXPANSIONS_MAX` phrasings."""
    if isinstance(node, Word):
        return [(node.text,)]
    if isinstance(node, Slot):
        return [(f"{{{node.name}}}",)]
    if isinstance(node, Seq):
        out: list[tuple[str, ...]] = [()]
        for it in node.items:
            out = [a + b for a in out for b in phrasings(it, text)]
            if len(out) > EXPANSIONS_MAX:
                raise TemplateError(f"template {text!r}: more than {EXPANSIONS_MAX} phrasings")
        return out
    return [w for o in node.options for w in phrasings(o, text)] + ([()] if node.optional else [])


def expand(text: str) -> list[str]:
    """Every phrasing of a template, a slot kept as ``{name}``: "(floor|floors) (is|are) dirty" ->
    ["floor is dirty", "floor are dirty", "floors is dirty", "floors are dirty"]. Raises
    TemplateError if the template does not parse or has more than :data:`EXPANSIONS_MAX` phrasings."""
    return list(dict.fromkeys(" ".join(p) for p in phrasings(parse_template(text), text) if p))


def sample(node, rng: random.Random, fill) -> list[tuple[str, str]]:
    """One random phrasing: list of (word, BIO tag). ``fill(slot_name)`` returns the slot's (word, tag) list."""
    if isinstance(node, Word):
        return [(node.text, "O")]
    if isinstance(node, Slot):
        return list(fill(node.name))
    if isinstance(node, Seq):
        out: list[tuple[str, str]] = []
        for it in node.items:
            out.extend(sample(it, rng, fill))
        return out
    if node.optional and rng.random() < 0.5:
        return []
    return sample(rng.choice(node.options), rng, fill)
