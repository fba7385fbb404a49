"""Intent matching from the phrasing templates of intents/en/commands.yaml, with no model at all.

:class:`TemplateReader` is a drop-in for :class:`hub.nlu.model.IntentModel` in
:class:`hub.nlu.parser.Parser` for the low-power model set (issue 6): every template is compiled
once into a regular expression over the normalised, space-joined words of a clause, each slot a
capturing group (``{target}``/``{area}`` a lazy run of words, ``{scene}`` a scene the parser
found by name, ``{pct}``/``{deg}``/
``{step}`` a number with its optional unit, ``{color}``/``{ctemp}``/``{mode}``/``{speed}`` the
value words of intents/en/lexicon.yaml); any template may follow a wish ("i need") and precede a
place ("in the kitchen"). A name slot never holds an action word ("unlock", "off"), so opposite
actions cannot swap. The best template is the one that explains the most words
itself (fewest words left to the name slots); its slot words get the BIO tags the trained model is
taught by hub/nlu/generate.py, so the parser's resolver works unchanged. It imports neither
onnxruntime nor tokenizers.
"""

from __future__ import annotations

import bisect
import math
import re
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from hub.nlu.generate import NONE_INTENT, PLACEHOLDERS, load_intents
from hub.nlu.model import ClauseReading
from hub.nlu.normalize import INTENTS_DIR, load_lexicon
from hub.nlu.templates import Seq, Slot, Word

EXTRAS = INTENTS_DIR / "template_extras.yaml"
"""Phrasings of the closed-grammar ASR that intents/en/commands.yaml lacks ("what is the office temperature")."""
NAME_SLOTS = {"target": "DEV", "area": "AREA", "scene": "SCENE", "name": "DEV"}
"""Slots filled by a name and the tag of an unknown word in them. ``{name}`` (template_extras.yaml
only) is a device or area the parser found by name, never unknown words."""
ARTICLES = frozenset({"the", "a"})
"""Template words that may be missing from what is heard."""
POLAR_WORDS = frozenset({
    "on", "off", "up", "down", "not", "dont", "never",
    "lock", "locked", "unlock", "unlocked", "bolt", "unbolt", "secure", "let",
    "open", "opened", "close", "closed", "shut", "raise", "lower", "lift", "roll", "pull", "draw",
    "turn", "switch", "power", "kill", "cut", "enable", "disable", "activate", "deactivate", "start", "stop",
    "arm", "armed", "disarm", "disarmed", "mute", "unmute"})
"""Words a name slot never swallows (but as its last word when a type word: "the back door lock"),
so "unbolt the retro lock" can't be read as "{target} lock" and opposite actions never swap; a
real name holding one is masked as a placeholder before the reader sees it."""
LEAD_WORDS = frozenset({"the", "a", "an", "my", "our", "all", "every", "of", "in", "and", "on", "to", "at",
                        "it", "them", "that", "this", "those", "these", "both", "everything", "with"})
"""Words of a name slot that are tagged O, as hub/nlu/generate.py's target() writes them."""
QUANTITY_TYPES = {"brightness": {"light"}, "volume": {"media_player"}, "speed": {"fan"},
                  "temperature": {"climate", "water_heater"}, "humidity": {"humidifier", "sensor"}}
"""Device types a quantity word of intents/en/lexicon.yaml is about ("the volume" -> media players)."""
_NUMBER = r"\d+(?:\.\d+)? "
VALUE_PENALTY = 1.0
"""A number or value word read as part of a name costs one more word ("the lamp warm" + "white")."""
EMPTY_PENALTY = 0.25
"""A template whose {target} is empty ("pause") loses to one that explains the same words with it."""
WISH = r"(?:(?:i|we) (?:need|want) |id like |i would like |(?:can|could) (?:i|we) have |lets )?"
"""A wish before any command ("i need more light in the den"): explains its words."""
WHERE = r"(?:(in here |here )|((?:in|on) (?:the )?(?:[^ ]+ )+?))?"
"""A place after any command ("turn everything off in the kitchenette"), tagged as an area; its
words are none of the templates' own words (not "in the alarm night": that is arm_night's)."""
SHARPNESS = 2.0
"""An intent whose best template explains one word fewer gets e^-2 (0.14) of the best one's weight."""
TYPE_BONUS = 0.5
"""Extra score when a type word in the name slot is one of the template's device types."""
CONF_KNOWN = 0.92
"""Probability mass of the intents when every name-slot word is a placeholder, type or stop word."""
CONF_UNKNOWN = 0.8
"""... when the name slot holds unknown words (a misheard name)."""
CONF_NONE = 0.7
"""Confidence of ``none`` when no template matches."""


@dataclass(frozen=True)
class _Template:
    intent: str
    regex: re.Pattern
    groups: tuple[str, ...]
    """Slot name of each capturing group, in group order; "#" for a number-word literal ("halfway")."""
    types: frozenset[str]


class TemplateReader:
    """Reads a clause's intent and slot tags by template matching; same ``read`` as IntentModel."""

    version = "templates"
    """What the benches and the model-set manifest report as this reader's version."""

    @property
    def manifest(self) -> dict:
        """The manifest fields IntentModel has (no model files: nothing to hash)."""
        return {"version": self.version, "files": {}}

    def __init__(self, intents: Path | None = None, extras: Path | None = EXTRAS):
        """Compile every template of ``intents`` (default: intents/en/commands.yaml) and of ``extras``
        (intents/en/template_extras.yaml: reader-only phrasings; None for none).

        Raises TemplateError (a template that does not parse), OSError / yaml.YAMLError (missing
        or broken file), KeyError (a slot this reader does not know).
        """
        t0 = time.perf_counter()
        path = Path(intents) if intents else INTENTS_DIR / "commands.yaml"
        self.dir = path.parent
        """The intents directory (IntentModel's ``dir`` is its model directory)."""
        lex = load_lexicon().raw
        self._fillers = {f for f in lex["fillers"] if " " not in f}
        self._numbers = dict(lex["number_words"])
        with open(INTENTS_DIR / "synthetic_homes.yaml", encoding="utf-8") as f:
            phrases = yaml.safe_load(f)["type_phrases"]
        self.type_words: dict[str, set[str]] = {w: set(spec["types"]) for w, spec in lex["type_words"].items()}
        for dtype, words in phrases.items():
            for w in words:
                self.type_words.setdefault(w, set()).add("cover" if dtype == "garage" else dtype)
        self._values = {
            "pct": f"{_NUMBER}(?:percent )?",
            "deg": f"{_NUMBER}(?:degrees )?",
            "step": f"{_NUMBER}(?:(?:percent|degrees) )?",
            "num": _NUMBER,
            "color": _alts(lex["colors"]),
            "ctemp": f"(?:{_alts(lex['color_temps'])}|{_NUMBER}kelvin )",
            "mode": _alts(lex["hvac_modes"]),
            "speed": f"(?:{_alts(lex['fan_speeds'])}|{_NUMBER}(?:percent )?)",
        }
        polar = "|".join(sorted(POLAR_WORDS))
        nouns = "|".join(sorted(re.escape(w) for w in POLAR_WORDS if w in self.type_words))
        self._name_re = rf"((?:(?!(?:{polar}) )[^ ]+ )*?(?:(?<=[^ ] )(?:{nouns}) )?)"
        self._value_words = {w for key in ("colors", "color_temps", "hvac_modes", "fan_speeds")
                             for x in lex[key] for w in str(x).split()}
        self._quantity = {w: QUANTITY_TYPES.get(q, set()) for w, q in lex["quantity_words"].items()}
        self._phrases = [tuple(str(x).split()) for key in ("color_temps", "hvac_modes") for x in lex[key]
                         if " " in str(x)]
        self.templates: list[_Template] = []
        specs = [load_intents(path)] + ([load_intents(Path(extras))] if extras else [])
        self._literal = {w for sp in specs for spec in sp.values() for tree, _ in spec["templates"]
                         for w in _words(tree)} - ARTICLES | POLAR_WORDS
        for intent, spec in ((i, s) for sp in specs for i, s in sp.items()):
            for tree, types in spec["templates"]:
                groups: list[str] = []
                body = WISH + self._compile(tree, groups) + WHERE
                groups += ["#here", "where"]
                self.templates.append(_Template(intent, re.compile(body), tuple(groups), frozenset(types)))
        self.intents = list(dict.fromkeys(t.intent for t in self.templates)) + [NONE_INTENT]
        self.compile_s = time.perf_counter() - t0

    # ---------------------------------------------------------------- compile
    def _compile(self, node, groups: list[str]) -> str:
        """Template tree -> regex over words each followed by one space; appends group slot names."""
        if isinstance(node, Word):
            w = node.text
            if w in self._fillers:
                return ""  # the normaliser removes it from what is said
            if w in ARTICLES:
                return f"(?:{w} )?"  # a recogniser drops them ("let some light in kitchen")
            if w in self._numbers:
                groups.append("#")
                return f"({_num(self._numbers[w])} )"
            return re.escape(w) + " "
        if isinstance(node, Slot):
            groups.append(node.name)
            if node.name == "name":
                return r"((?:(?:the|my|our) )?\[(?:DEV|AREA)\] )"
            if node.name == "scene":
                # Only a scene the parser found by name: "{scene} [scene]" would match anything.
                return r"((?:(?:the|my|our) )?\[SCENE\] )"
            if node.name in NAME_SLOTS:
                return self._name_re
            if node.name not in self._values:
                raise KeyError(f"unknown slot {{{node.name}}} in intents/en/commands.yaml")
            return f"({self._values[node.name]})"
        if isinstance(node, Seq):
            return "".join(self._compile(x, groups) for x in node.items)
        body = "|".join(self._compile(o, groups) for o in node.options)
        return f"(?:{body})" + ("?" if node.optional else "")

    # ---------------------------------------------------------------- read
    def read(self, words: list[str]) -> ClauseReading:
        """Intent and one BIO tag per word for a clause of normalised words (as IntentModel.read).

        ``ranked`` holds every intent some template matches, weighted e^(2 x score difference)
        from the best, then ``none``; ``none`` first (confidence 0.7) when nothing matches.
        """
        text = "".join(w + " " for w in words)
        starts = []
        pos = 0
        for w in words:
            starts.append(pos)
            pos += len(w) + 1
        # "warm white" said: no reading may end a name on "warm" and take "white" as a colour.
        inside = {i + k for ph in self._phrases for i in range(len(words) - len(ph) + 1)
                  if tuple(words[i:i + len(ph)]) == ph for k in range(1, len(ph))}
        best: dict[str, tuple[float, list[str]]] = {}
        for t in self.templates:
            m = t.regex.fullmatch(text)
            if m is None:
                continue
            score, tags = self._score(t, m, words, starts, inside)
            if score is None:
                continue
            if t.intent not in best or score > best[t.intent][0]:
                best[t.intent] = (score, tags)
        if not best:
            placeholder = {v: k for k, v in PLACEHOLDERS.items()}
            tags = ["B-" + placeholder[w] if w in placeholder else "O" for w in words]
            return ClauseReading(NONE_INTENT, CONF_NONE, tuple(tags), _none_ranked(self.intents))
        order = sorted(best, key=lambda i: (-best[i][0], self.intents.index(i)))
        top = best[order[0]][0]
        weights = {i: math.exp(SHARPNESS * (best[i][0] - top)) for i in order}
        tags = best[order[0]][1]
        # A name the parser did not find (misheard) leaves the reading less sure.
        known = all(w in PLACEHOLDERS.values() or t[2:] not in ("DEV", "AREA", "SCENE") for w, t in zip(words, tags))
        mass = CONF_KNOWN if known else CONF_UNKNOWN
        total = sum(weights.values())
        ranked = [(i, mass * weights[i] / total) for i in order]
        ranked.append((NONE_INTENT, 1.0 - mass))
        ranked += [(i, 0.0) for i in self.intents if i not in best and i != NONE_INTENT]
        ranked.sort(key=lambda x: -x[1])
        return ClauseReading(ranked[0][0], ranked[0][1], tuple(tags), tuple(ranked))

    def _score(self, t: _Template, m: re.Match, words: list[str], starts: list[int],
               inside: set[int]) -> tuple[float | None, list[str]]:
        """(words the template explains itself or by a value slot [+ type bonus], tags); score None
        if a name slot begins or ends inside a value phrase (word indices ``inside``) or a trailing
        place holds a template's own word."""
        tags = ["O"] * len(words)
        free = 0
        bonus = 0.0
        for g, slot in enumerate(t.groups, start=1):
            s, e = m.span(g)
            if s < 0:
                continue
            if s == e:
                if slot == "target":
                    bonus -= EMPTY_PENALTY
                continue
            i, j = _word_range(starts, s, e)
            span = words[i:j]
            if slot == "#":
                tags[i] = "B-VAL"
            elif slot == "#here":
                free += j - i  # a place no template has: explained by none
            elif slot == "where":
                if any(w in self._literal for w in span[1:]):
                    return None, tags
                free += j - i
                tags[i + 1:j] = self._name_tags(span[1:], "area")
            elif slot in NAME_SLOTS:
                if i in inside or j in inside:
                    return None, tags
                free += j - i
                free += VALUE_PENALTY * sum(w in self._value_words or _is_number(w) for w in span)
                tags[i:j] = self._name_tags(span, slot)
                if any(t.types & (self.type_words.get(w) or self._quantity.get(w) or set()) for w in span):
                    bonus += TYPE_BONUS
            else:
                tags[i:j] = self._value_tags(span, slot)
        return len(words) - free + bonus, tags

    def _name_tags(self, span: list[str], slot: str) -> list[str]:
        """Tags of a name slot's words, as generate.py's target(): determiners and "in the" O, a
        placeholder its own label, a run of type words TYPE, any other run the slot's label
        (AREA after "in")."""
        placeholder = {v: k for k, v in PLACEHOLDERS.items()}
        tags = ["O"] * len(span)
        label = NAME_SLOTS[slot]
        i = 0
        while i < len(span):
            w = span[i]
            if w in placeholder:
                tags[i] = "B-" + placeholder[w]
                i += 1
                continue
            if w in LEAD_WORDS or w in self._quantity:
                if w == "in" and slot == "target":
                    label = "AREA"
                i += 1
                continue
            j = i
            while j < len(span) and span[j] not in LEAD_WORDS and span[j] not in placeholder \
                    and span[j] not in self._quantity:
                j += 1
            run = span[i:j]
            k = len(run)
            while k > 0 and run[k - 1] in self.type_words:
                k -= 1
            if k == 0 or (0 < k < len(run) and label == "DEV"):
                # "the larder bulbs": an unknown place before a type word, as generate.py tags it.
                head = "AREA" if k else None
                tags[i:i + k] = _bio(head, k)
                tags[i + k:j] = _bio("TYPE", len(run) - k)
            else:
                tags[i:j] = _bio(label, len(run))
            i = j
        return tags

    def _value_tags(self, span: list[str], slot: str) -> list[str]:
        """Tags of a value slot: a number VAL (its unit O), a colour COLOR, a colour temperature
        CT, a mode MODE, a fan speed word VAL."""
        if _is_number(span[0]):
            return ["B-VAL"] + ["O"] * (len(span) - 1)
        label = {"color": "COLOR", "ctemp": "CT", "mode": "MODE", "speed": "VAL"}[slot]
        return ["B-" + label] + ["I-" + label] * (len(span) - 1)


def _words(node) -> set[str]:
    """Every literal word of a template tree."""
    if isinstance(node, Word):
        return {node.text}
    if isinstance(node, Slot):
        return set()
    return {w for x in (node.items if isinstance(node, Seq) else node.options) for w in _words(x)}


def _bio(label: str | None, n: int) -> list[str]:
    return ["B-" + label] + ["I-" + label] * (n - 1) if label and n else []


def _alts(words) -> str:
    """Alternation of phrases (longest first), each word followed by a space."""
    phrases = sorted((str(w) for w in words), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(p) + " " for p in phrases) + ")"


def _num(x: float) -> str:
    return re.escape(str(int(x)) if float(x).is_integer() else str(x))


def _word_range(starts: list[int], s: int, e: int) -> tuple[int, int]:
    """Character span of the joined text -> word index range."""
    return bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)


def _is_number(w: str) -> bool:
    try:
        float(w)
    except ValueError:
        return False
    return True


def _none_ranked(intents: list[str]) -> tuple[tuple[str, float], ...]:
    return ((NONE_INTENT, CONF_NONE),) + tuple((i, 0.0) for i in intents if i != NONE_INTENT)
