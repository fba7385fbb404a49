"""Intent matching from the phrasing templates of commands.yaml (the Language), with no model at all.

:class:`TemplateReader` is a drop-in for :class:`hub.nlu.model.IntentModel` in
:class:`hub.nlu.parser.Parser` for the low-power model set: every template is compiled
once into a regular expression over the normalised, space-joined words of a clause, each slot a
capturing group (``{target}``/``{area}`` a lazy run of words, ``{scene}`` a scene the parser
found by name, ``{pct}``/``{deg}``/
``{step}`` a number with its optional unit, ``{color}``/``{ctemp}``/``{mode}``/``{speed}`` the
value words of lexicon.yaml); any template may follow a wish ("i need") and precede a
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

from hub.nlu.generate import NONE_INTENT, PLACEHOLDERS
from hub.nlu.language import Language, load_language, template_words
from hub.nlu.normalize import is_number
from hub.nlu.model import ClauseReading
from hub.nlu.templates import Seq, Slot, Word

NAME_SLOTS = {"target": "DEV", "area": "AREA", "scene": "SCENE", "name": "DEV"}
"""Slots filled by a name and the tag of an unknown word in them. ``{name}`` (template_extras.yaml
only) is a device or area the parser found by name, never unknown words."""
_NUMBER = r"\d+(?:\.\d+)? "
VALUE_PENALTY = 1.0
"""A number or value word read as part of a name costs one more word ("the lamp warm" + "white")."""
EMPTY_PENALTY = 0.25
"""A template whose {target} is empty ("pause") loses to one that explains the same words with it."""
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

    def __init__(self, lang: Language | None = None, extras: bool = True):
        """Compile every template of ``lang`` (default: English) commands.yaml and, with
        ``extras``, of its template_extras.yaml (reader-only phrasings).

        Raises LanguageError (invalid language data), KeyError (a slot this reader does not know).
        """
        t0 = time.perf_counter()
        self.lang = lang = lang or load_language()
        self.dir = lang.dir
        """The language's directory (IntentModel's ``dir`` is its model directory)."""
        g, lx = lang.grammar, lang.lexicon
        self._articles = frozenset(g.optional_articles)
        self._polar = frozenset(g.polar_words)
        self._lead = frozenset(g.lead_words)
        self._area_word = g.area_word
        self._fillers = {f for f in lx.fillers if " " not in f}
        self._numbers = dict(lx.number_words)
        self.type_words: dict[str, set[str]] = {w: set(spec.types) for w, spec in lx.type_words.items()}
        for w, types in g.reader_type_words.items():
            self.type_words.setdefault(w, set()).update(types)
        u = g.units
        self._values = {
            "pct": f"{_NUMBER}(?:{u.percent} )?",
            "deg": f"{_NUMBER}(?:{u.degrees} )?",
            "step": f"{_NUMBER}(?:(?:{u.percent}|{u.degrees}) )?",
            "num": _NUMBER,
            "chan": _NUMBER,
            "secs": _NUMBER,
            "kstep": _NUMBER,
            "color": _alts(lx.colors),
            "ctemp": f"(?:{_alts(lx.color_temps)}|{_NUMBER}{u.kelvin} )",
            "mode": _alts(lx.hvac_modes),
            "speed": f"(?:{_alts(lx.fan_speeds)}|{_NUMBER}(?:{u.percent} )?)",
        }
        polar = "|".join(sorted(self._polar))
        nouns = "|".join(sorted(re.escape(w) for w in self._polar if w in self.type_words))
        self._name_re = rf"((?:(?!(?:{polar}) )[^ ]+ )*?(?:(?<=[^ ] )(?:{nouns}) )?)"
        dets = "|".join(map(re.escape, g.name_determiners))
        self._known_name = {slot: rf"((?:(?:{dets}) )?\[(?:{kinds})\] )" for slot, kinds in
                            (("name", "DEV|AREA"), ("scene", "SCENE"))}
        self._value_words = set(lang.value_words)
        self._quantity = {w: {t for t, q2 in g.quantities.items() if q2 == q} for w, q in lx.quantity_words.items()}
        self._phrases = [tuple(str(x).split()) for src in (lx.color_temps, lx.hvac_modes) for x in src if " " in str(x)]
        # A wish before any command ("i need more light in the den") explains its words; so does a
        # place after it ("turn everything off in the kitchenette"), tagged as an area.
        wish = "(?:" + "|".join(re.escape(w) + " " for w in sorted(g.wishes, key=len, reverse=True)) + ")?"
        here = "|".join(re.escape(w) + " " for w in g.here_words)
        places = "|".join(map(re.escape, g.place_words))
        arts = "|".join(map(re.escape, g.optional_articles))
        where = rf"(?:({here})|((?:{places}) (?:(?:{arts}) )?(?:[^ ]+ )+?))?"
        self.templates: list[_Template] = []
        specs = [lang.intents] + ([lang.extras] if extras else [])
        self._literal = {w for sp in specs for spec in sp.values() for tree, _ in spec.templates
                         for w in template_words(tree)} - self._articles | self._polar
        for intent, spec in ((i, s) for sp in specs for i, s in sp.items()):
            for tree, types in spec.templates:
                groups: list[str] = []
                body = wish + self._compile(tree, groups) + where
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
            if w in self._articles:
                return f"(?:{w} )?"  # a recogniser drops them ("let some light in kitchen")
            if w in self._numbers:
                groups.append("#")
                return f"({_num(self._numbers[w])} )"
            return re.escape(w) + " "
        if isinstance(node, Slot):
            groups.append(node.name)
            if node.name in self._known_name:
                # Only a name the parser found: "{scene} [scene]" would match anything.
                return self._known_name[node.name]
            if node.name in NAME_SLOTS:
                return self._name_re
            if node.name not in self._values:
                raise KeyError(f"unknown slot {{{node.name}}} in {self.lang.dir}/commands.yaml")
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
                free += VALUE_PENALTY * sum(w in self._value_words or is_number(w) for w in span)
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
            if w in self._lead or w in self._quantity:
                if w == self._area_word and slot == "target":
                    label = "AREA"
                i += 1
                continue
            j = i
            while j < len(span) and span[j] not in self._lead and span[j] not in placeholder \
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
        if is_number(span[0]):
            return ["B-VAL"] + ["O"] * (len(span) - 1)
        label = {"color": "COLOR", "ctemp": "CT", "mode": "MODE", "speed": "VAL"}[slot]
        return ["B-" + label] + ["I-" + label] * (len(span) - 1)


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



def _none_ranked(intents: list[str]) -> tuple[tuple[str, float], ...]:
    return ((NONE_INTENT, CONF_NONE),) + tuple((i, 0.0) for i in intents if i != NONE_INTENT)
