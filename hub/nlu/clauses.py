"""Clauses and phrasing words: where one utterance holds several commands, and which words are
phrasing (from intents/*.yaml) rather than names."""

from __future__ import annotations

import functools

from hub.nlu.generate import load_intents
from hub.nlu.normalize import load_lexicon
from hub.nlu.templates import Alt, Seq, Word

SPLIT_WORDS = {"and", "then", "also", "plus"}
ON_OFF = {"on", "off"}
NEGATIONS = {"dont", "not", "never", "nt"}
"""Said right before a command verb ("don't turn off ..."), these ask for nothing to be done."""
CORRECTIONS = (("no", "wait"), ("i", "mean"), ("scratch", "that"), ("or", "rather"), ("actually", "no"),
               ("except",), ("apart", "from"), ("other", "than"), ("but", "keep"), ("but", "not"),
               ("but", "leave"), ("without",))
"""A speaker correcting or excepting part of a command: acting on part of it could do the
opposite of what was meant, so the whole utterance is refused and the speaker asked again."""


def _is_value(word: str) -> bool:
    """on/off, a number, a unit or a colour name: the value a command ends with."""
    if word in ON_OFF or word in VALUE_WORDS or word in _colors():
        return True
    try:
        float(word)
    except ValueError:
        return False
    return True


VALUE_WORDS = {"percent", "%", "degrees", "degree", "°", "kelvin"}


@functools.cache
def _colors() -> frozenset[str]:
    return frozenset(w for c in load_lexicon().raw["colors"] for w in str(c).split())


def hedged(words: list[str], starters: set[str]) -> bool:
    """True if the utterance negates a command verb or corrects/excepts itself (see above)."""
    for i, w in enumerate(words[:-1]):
        if w in NEGATIONS and words[i + 1] in starters:
            return True
    return any(tuple(words[i:i + len(c)]) == c for c in CORRECTIONS for i in range(len(words)))
_NOT_STARTERS = {"i", "it", "its", "the", "a", "my", "our", "can", "lets", "let", "whats", "what", "how",
                 "did", "has", "hold", "nobody", "warmer", "cooler", "louder", "quieter", "softer", "more",
                 "less", "status", "state", "previous", "next", "scene", "temperature", "volume", "brightness",
                 "lights", "color", "go", "skip", "replay"}
"""First words of templates that also occur mid-command, so an "and" before them does not split."""


def phrasing_words() -> set[str]:
    """Every word of the phrasing templates and the lexicon: words a command may hold besides names."""
    out: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, Word):
            out.add(node.text)
        elif isinstance(node, Seq):
            for x in node.items:
                walk(x)
        elif isinstance(node, Alt):
            for x in node.options:
                walk(x)

    for spec in load_intents().values():
        for tree, _types in spec["templates"]:
            walk(tree)
    lex = load_lexicon().raw
    for key in ("colors", "darkness_words"):
        out.update(w for x in lex[key] for w in str(x).split())
    for key in ("color_temps", "hvac_modes", "fan_speeds", "quantity_words", "type_words", "number_words"):
        out.update(w for x in lex[key] for w in str(x).split())
    out.update(w for x in lex["fillers"] for w in x.split())
    return out


def clause_starters() -> set[str]:
    """Words that begin a command in intents/en/commands.yaml ("turn", "lock", "dim"...): an "and"
    before one of them starts a new clause."""
    out: set[str] = set()

    def first(node) -> None:
        if isinstance(node, Word):
            out.add(node.text)
        elif isinstance(node, Seq) and node.items:
            first(node.items[0])
            if isinstance(node.items[0], Alt) and node.items[0].optional and len(node.items) > 1:
                first(node.items[1])
        elif isinstance(node, Alt):
            for o in node.options:
                first(o)

    for spec in load_intents().values():
        for tree, _types in spec["templates"]:
            first(tree)
    return out - _NOT_STARTERS


def split_clauses(words: list[str], starters: set[str]) -> list[list[str]]:
    """Cut at "and"/"then"/punctuation when a command verb follows: "turn off the light and lock
    the door" is two clauses, "turn off the kitchen and dining room lights" one, "I'm off to bed,
    lock the door" two. Punctuation that does not end a clause is dropped."""
    clauses: list[list[str]] = [[]]
    i = 0
    while i < len(words):
        w = words[i]
        if (w in SPLIT_WORDS or w == ",") and clauses[-1]:
            j = i
            while j < len(words) and (words[j] in SPLIT_WORDS or words[j] == ","):
                j += 1
            # "the kitchen light off and the hall light on", "the strip to purple and the lamp to
            # 30 percent": when each part carries its own value, each is its own command
            values = _is_value(clauses[-1][-1]) and any(map(_is_value, words[j:]))
            if j < len(words) and (words[j] in starters or values):
                clauses.append([])
                i = j
                continue
        if w != ",":
            clauses[-1].append(w)
        i += 1
    return [c for c in clauses if c]
