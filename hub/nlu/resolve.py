"""Slot spans -> this home's devices and areas.

Names are matched exactly first (device names and aliases, area names and aliases, with or
without spaces: "bed side lamp" = "bedside lamp"), then the spans the model tagged are matched
fuzzily with rapidfuzz (https://rapidfuzz.github.io/RapidFuzz/) and a phonetic key. A device
named after its area ("Office main light" in Office) also answers to the rest of its name when
the area is known ("main light" said in the office). Type words ("the lights", "the blinds")
expand to every device of that type in the areas meant. Nothing in the home's names needs retraining.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property

from rapidfuzz import fuzz

from hub.config import Config, Device, normalize_name
from hub.nlu.language import Language
from hub.nlu.normalize import is_number, normalize

FUZZY_MIN = 80.0
"""Lowest fuzzy score (0..100) that names a device or area."""
SENSITIVE_MIN = 90.0
"""Locks, garage doors, gates and alarms need a closer match: never guess them."""
SHORT_MIN = 90.0
"""A word of five letters or fewer needs this score: one letter is a large share of it."""
REST_MIN = 60.0
"""A name misheard after a room's name ("kitchen sealing light") has its own words at least this
alike (rapidfuzz ratio) to the device's name without the room's: "porch lite" (67) is the porch
light, "upstairs coco" (33 against "ac") no "upstairs AC"."""


def _nospace(s: str) -> str:
    return s.replace(" ", "")


PHONETIC_OWN = 3
"""Sound-key letters a misheard name must have outside its type words ("light") for the sound key
alone to match it."""


def phonetic(s: str) -> str:
    """A rough sound key (vowels dropped after the first letter, similar consonants merged):
    "desk lamb" and "desk lamp" share "dsklmp"."""
    s = _nospace(s)
    if not s:
        return s
    s = re.sub(r"ph", "f", s)
    s = re.sub(r"ck|q", "k", s)
    s = s.translate(str.maketrans("bpvfgkcqdtszmnl", "ppffkkkkttssmnl"))
    head, rest = s[0], re.sub(r"[aeiouyhw]", "", s[1:])
    return re.sub(r"(.)\1+", r"\1", head + rest)


@dataclass(frozen=True)
class TypeWord:
    """What a type word ("lights", "blinds") stands for."""

    word: str
    types: frozenset[str]
    classes: frozenset[str | None] | None
    plural: bool
    named: frozenset[str] = frozenset()
    """Types a device of which is covered only when its name holds the word ("Kettle plug", a switch)."""
    stems: frozenset[str] = frozenset()
    """The word and its singular, as they appear in names."""
    unless_named: frozenset[str] = frozenset()
    """Words that, in a device's name, put it outside the word's reach ("speakers" is no "Sony TV")."""
    featured: tuple[tuple[str, frozenset[str]], ...] = ()
    """(type, features): a device of that type with one of the features is covered too."""
    only: frozenset[str] | None = None
    """Device ids the word is limited to in this home (lexicon ``named_first``), None: no limit."""
    class_first: bool = False
    """Devices of the class the word names (or named with it) first, where there are any (lexicon)."""
    prefer_named: bool = True
    """Singular: the one device named with the word is meant among several (lexicon)."""

    def own(self, d: Device) -> bool:
        """The device is of the class the word names, or is named with the word."""
        return d.device_class in self.stems or bool(self.stems & _words_of(d))

    def covers(self, d: Device) -> bool:
        if self.only is not None and d.id not in self.only:
            return False
        if d.type in self.types:
            if self.unless_named and self.unless_named & _words_of(d) and not self.stems & _words_of(d):
                return False
            return self.classes is None or d.device_class in self.classes
        if d.type in self.named and self.stems & _words_of(d):
            return True
        return any(d.type == ty and fs & set(d.features) for ty, fs in self.featured)


def _words_of(d: Device) -> set[str]:
    """Every word of a device's names, normalised."""
    return {w for n in (d.name, *d.aliases) for w in normalize_name(n).split()}


@dataclass
class Mention:
    """A span of the clause that names something in the home."""

    kind: str
    """``device``, ``area`` or ``type``."""
    start: int
    end: int
    """Word span [start, end)."""
    text: str
    ids: tuple[str, ...] = ()
    """Device ids (device) or area ids (area) it may mean."""
    type_word: TypeWord | None = None
    score: float = 1.0
    """1.0 for an exact name; the fuzzy score / 100 otherwise."""
    short: bool = False
    tagged: bool = True
    """The model tagged these words as a name or type (False: only the lexicon knows them)."""
    """Matched a device by its name without the area words; needs the area to be known."""


@dataclass
class ClauseTargets:
    """Everything the clause names."""

    devices: list[Mention] = field(default_factory=list)
    areas: list[Mention] = field(default_factory=list)
    types: list[Mention] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    """Spans the model tagged as a device or area that match nothing in the home."""
    all_words: bool = False
    """A word meaning the whole home was said ("all", "every", "house"...)."""


class HomeIndex:
    """Name lookups for one home; built once per config."""

    def __init__(self, cfg: Config, lang: Language, sensitive: frozenset[str]):
        """``lang``: the language (type words, stop words, value words: a value tag on any other
        word is a name); ``sensitive``: ids of devices a wrong guess at is unsafe (locks, gates)."""
        self.cfg = cfg
        self.lang = lang
        self.stop_words = frozenset(lang.grammar.stop_words)
        self.whole_home = frozenset(lang.grammar.whole_home_words)
        self.option_leads = lang.grammar.option_leads
        self.quantifiers = lang.grammar.whole_home_quantifiers
        self.persons = frozenset(lang.grammar.reason_pronouns)
        self.sensitive = sensitive
        self.value_words = set(lang.value_words) | set(lang.unit_words)
        lx = lang.lexicon
        self.value_phrases = [tuple(p.split()) for p in (*lx.color_temps, *lx.colors, *lx.hvac_modes, *lx.fan_speeds)
                              if " " in p]
        """Values said in several words ("candle light", "warm white"): never a name or a type."""
        self.thing_phrases = [tuple(p.split()) for p in lx.thing_phrases]
        """Things named in words that hold a type word ("the light bill"): never a name or a type either."""
        self.devices = {d.id: d for d in cfg.devices}
        self.exact_dev: dict[str, set[str]] = {}
        self.exact_area: dict[str, set[str]] = {}
        self.short_dev: dict[str, set[str]] = {}
        self.dev_names: list[tuple[str, str, bool]] = []
        """(normalised name, device id, is short name)."""
        self.area_names: list[tuple[str, str]] = []
        for a in cfg.areas:
            for k in _forms((a.name, *a.aliases), lang):
                self.exact_area.setdefault(k, set()).add(a.id)
                self.exact_area.setdefault(_nospace(k), set()).add(a.id)
                self.area_names.append((k, a.id))
        self.generic: dict[str, set[str]] = {}
        """Type word -> devices aliased by it with a generic determiner ("the lamp"): no names."""
        generic = lang.grammar.generic_determiners
        for d in cfg.devices:
            names = []
            for n in (d.name, *d.aliases):
                said = normalize_name(n).split()
                if len(said) == 2 and said[0] in generic and said[1] in lang.lexicon.type_words:
                    self.generic.setdefault(said[1], set()).add(d.id)
                else:
                    names.append(n)
            for k in _forms(names, lang, synonyms=True):
                self.exact_dev.setdefault(k, set()).add(d.id)
                self.exact_dev.setdefault(_nospace(k), set()).add(d.id)
                self.dev_names.append((k, d.id, False))
                for s in self._short_names(k, d):
                    self.short_dev.setdefault(s, set()).add(d.id)
                    self.short_dev.setdefault(_nospace(s), set()).add(d.id)
                    self.dev_names.append((s, d.id, True))
        self.type_words = {
            w: TypeWord(w, frozenset(spec.types), frozenset(spec.classes) if spec.classes is not None else None,
                        lang.plural(w) if spec.plural is None else spec.plural, frozenset(spec.named),
                        frozenset((w, lang.singular(w))), frozenset(spec.unless_named),
                        tuple((ty, frozenset(fs)) for ty, fs in spec.featured.items()),
                        class_first=spec.class_first, prefer_named=spec.prefer_named)
            for w, spec in lang.lexicon.type_words.items()
        }
        for w, spec in lang.lexicon.type_words.items():
            tw = self.type_words[w]
            called = frozenset(d.id for d in cfg.devices if tw.covers(d) and tw.stems & _words_of(d))
            if spec.named_first and called:
                self.type_words[w] = replace(tw, only=called)
        self.max_ngram = max([len(k.split()) for k in (*self.exact_dev, *self.exact_area)] + [1])
        self.word_devices: dict[str, frozenset[str]] = self._word_devices()
        """Each word of the devices' names -> the ids of the devices whose names hold it."""
        self.part_dev = self._parts()
        self.part_words: dict[str, set[str]] = {}
        for name, did, _short in self.dev_names:
            self.part_words.setdefault(did, set()).update(name.split())
        """A word only one device's names hold ("dyson" of "Dyson fan"): that device when tagged."""

    def _word_devices(self) -> dict[str, frozenset[str]]:
        out: dict[str, set[str]] = {}
        for name, did, _short in self.dev_names:
            for w in name.split():
                out.setdefault(w, set()).add(did)
        return {w: frozenset(ids) for w, ids in out.items()}

    def _parts(self) -> dict[str, str]:
        """Distinctive words of device names: in one device's names only, and no type, stop,
        value, number or area word. People call a device by its brand or make ("the bose")."""
        area_words = {w for k in self.exact_area for w in k.split()}
        return {w: next(iter(ids)) for w, ids in self.word_devices.items()
                if len(ids) == 1 and len(w) >= 3 and w not in self.type_words and w not in self.stop_words
                and w not in self.value_words and w not in area_words and not is_number(w)
                and w not in self.exact_dev and w not in self.short_dev}

    def _short_names(self, name: str, d: Device) -> list[str]:
        """The name without its area's words: "office main light" in Office -> "main light"; none
        where that leaves a type word between lead words ("the light in our room" in "our room"
        leaves "the light in": no name, or "the light in the study" is it)."""
        if d.area is None:
            return []
        a = self.cfg.area_by_id[d.area]
        lead, determiners = set(self.lang.grammar.lead_words), set(self.lang.grammar.determiners)
        out = []
        said = [normalize_name(an) for an in (a.name, *a.aliases)]
        # an alias written with its article ("the bedroom") is in a device's name without it ("Bedroom aire")
        said += [" ".join(an.split()[1:]) for an in said if len(an.split()) > 1 and an.split()[0] in determiners]
        for an in dict.fromkeys(said):
            for pat in (f"{an} ", f" {an}"):
                if pat in f" {name} ":
                    rest = " ".join(f" {name} ".replace(pat, " ", 1).split())
                    if rest.split()[:1] and rest.split()[0] in determiners:
                        rest = " ".join(rest.split()[1:])  # "the front room jalousies" in "the front room": "jalousies"
                    core = rest.split()
                    while core and core[0] in lead:
                        core.pop(0)
                    while core and core[-1] in lead:
                        core.pop()
                    framed = core != rest.split()  # the area's words left a lead word at an end
                    if rest and rest != name and rest not in self.stop_words and core and not (
                            framed and len(core) == 1 and core[0] in self.lang.lexicon.type_words):
                        out.append(rest)
        return out

    # ---------------------------------------------------------------- scanning
    def exact(self, words: list[str]) -> list[Mention]:
        """Device and area names said exactly (or with spaces split/joined), the most words that
        are not stop words first ("hen house light" over "the hen house"), then the first said,
        determiners aside ("the kitchen heater | for the dog" over "the heater for the dog"), then
        the one going on further ("box room" over an alias "the box"), then the most words; a
        device name beats an area name of the same length. Non-overlapping, in order."""
        top = min(self.max_ngram, len(words))
        said = [m for n in range(top, 0, -1) for i in range(len(words) - n + 1)
                if " ".join(words[i:i + n]) not in self.stop_words
                and (m := self._exact(" ".join(words[i:i + n]), i, i + n))]
        # of overlapping names of one length, devices first: "the shop lights" is the device
        # called "Shop lights", not the area aliased "the shop"; where two begin at the same word
        # but for a determiner, the one that goes on further first: "the box room" is the room, not
        # the TV aliased "the box" and "room" besides
        determiners = self.lang.grammar.determiners

        def begins(m: Mention) -> int:
            return next((k for k in range(m.start, m.end) if words[k] not in determiners), m.start)
        said.sort(key=lambda m: (-sum(w not in self.stop_words for w in words[m.start:m.end]),
                                 begins(m), -m.end, m.start - m.end, m.kind != "device"))
        taken = [False] * len(words)
        found: list[Mention] = []
        for m in said:
            if not any(taken[m.start:m.end]):
                found.append(m)
                taken[m.start:m.end] = [True] * (m.end - m.start)
        return sorted(found, key=lambda m: m.start)

    def spans(self, words: list[str]) -> list[tuple[int, int, bool]]:
        """Where ``words`` name something of the home: ``(start, end, names devices)`` for each
        exact name (:meth:`exact`; a room's names no devices) and each type word outside them, in order."""
        out = [(m.start, m.end, m.kind == "device") for m in self.exact(words)]
        out += [(k, k + 1, True) for k, w in enumerate(words) if w in self.type_words
                and not any(s <= k < e for s, e, _ in out)]
        return sorted(out)

    def find(self, words: list[str], tags: list[str], exact: list[Mention]) -> ClauseTargets:
        """Everything a clause names, given its exact names and the model's BIO tags (one per word)."""
        # "house" of a room's name ("the front house", Bajan for the living room) is no whole home
        named = {k for m in exact for k in range(m.start, m.end)}
        # ... nor is one said as a mode, right after an option lead ("put the alarm on home"), nor a
        # quantifier before a person ("all i'm getting for is a cuppa": all that)
        moded = {i for i, w in enumerate(words) if i and w not in self.quantifiers and words[i - 1] in self.option_leads}
        moded |= {i for i, w in enumerate(words[:-1]) if w in self.quantifiers and words[i + 1] in self.persons}
        out = ClauseTargets(all_words=any(w in self.whole_home for i, w in enumerate(words) if i not in named | moded))
        # A value tag on a word that is no value ("chandelure" read as a colour temperature) is a name.
        tags = [f"{t[:2]}DEV" if t[2:] in VALUE_LABELS and w not in self.value_words
                and not is_number(w) else t for w, t in zip(words, tags)]
        # "make it candle light": a value phrase the model read as one is not a name ("light")
        value = [t[2:] in VALUE_LABELS for t in tags]
        # ... and so is a value phrase of several words, however the model tagged its words
        # ("candle/CT light/TYPE" is no light)
        for phrase in (*self.value_phrases, *self.thing_phrases):
            n = len(phrase)
            for i in range(len(words) - n + 1):
                if tuple(words[i:i + n]) == phrase:
                    value[i:i + n] = [True] * n
        taken = [False] * len(words)
        found: list[Mention] = []

        def take(m: Mention) -> None:
            found.append(m)
            for k in range(m.start, m.end):
                taken[k] = True

        for m in exact:
            take(m)
        # One distinctive word of a device's name, read as a name by the model ("pause the bose"),
        # when every word of the name the model read is of that device ("front door" is not the
        # "front gate", "swimming pool" not the "pool pump"; adjacent spans are one name).
        named = [t != "O" for t in tags]
        runs = [(i, next((j for j in range(i, len(words)) if not named[j]), len(words)))
                for i in range(len(words)) if named[i] and (i == 0 or not named[i - 1])]
        # ... but not one said after a device named in full with other words between, none of
        # them "and": "on the kdk fan instead | save electric" names no "Electric kettle"
        breaks = {*self.lang.grammar.split_words, *self.lang.grammar.heard_joints, ","}
        for s, e in runs:
            for i in range(s, e):
                did = self.part_dev.get(words[i])
                before = max((m.end for m in exact if m.kind == "device" and m.end <= s), default=s)
                between = set(words[before:s])
                remark = not between & breaks and not between <= self.stop_words
                if did and not remark and not any(taken[s:e]) and not any(value[s:e]) and \
                        set(words[s:e]) <= self.part_words[did] | self.stop_words:
                    take(Mention("device", i, i + 1, words[i], (did,), short=True, tagged=True))
        unknown: list[tuple[int, int]] = []
        last_end = -1
        # Spans the model tagged that no exact name covers: fuzzy names. Adjacent device/type
        # spans are one name ("string/TYPE light/TYPE"); a misheard name may begin with an exact
        # area name ("kitchen sealing light") or end one word after the tagged span ("stove fun").
        pending = list(_runs(tags, taken))
        while pending:
            s, e, label = pending.pop(0)
            while s < e and words[s] in self.stop_words:
                s += 1
            while e > s and words[e - 1] in self.stop_words:
                e -= 1
            if s >= e or any(taken[s:e]):
                continue
            phrase = " ".join(words[s:e])
            modified = e - s > 1 and words[e - 1] in self.type_words \
                and all(w in self.lang.grammar.name_modifiers for w in words[s:e - 1]) \
                and not self.sounds_named(words[s:e])
            if all(w in self.type_words for w in words[s:e]) or phrase in self.short_dev or modified:
                # a type word or a short name: below; so is "the big light", a type word and the words
                # that say which (no fuzzy "night light")
                continue
            # ... never over a statement verb, which says something of the name ("papa's | got his
            # seeds in" is no "Papa's telly")
            ext = e + 1 if e < len(words) and not taken[e] and words[e] not in self.stop_words and label != "AREA" \
                and words[e] not in self.lang.grammar.statement_verbs else e
            left = next((m for m in found if m.kind == "area" and m.end == s), None)
            m = None
            if left is not None and label != "AREA":
                m = self._fuzzy(words, left.start, e, label, whole=True)
                # ... whose own words are alike too: "upstairs coco" is not the "upstairs AC"
                if m is not None and m.kind == "device" and self._alike(words[s:e], m.ids, words[left.start:s]):
                    found.remove(left)
                else:
                    m = None
            m = m or _better(self._fuzzy(words, s, e, label), self._fuzzy(words, s, ext, label, whole=True) if ext > e else None)
            if m:
                take(m)
                continue
            parts = _spans_of(tags, s, e)
            if label == "DEV" and len(parts) > 1:
                # No device by the whole name: maybe an area and a type ("basment lights").
                pending = parts + pending
                continue
            unknown.append((s, e))
            for k in range(s, e):
                taken[k] = True
        # A device's name without its area words ("main light"): only meaningful with the area.
        for n in range(min(self.max_ngram, len(words)), 0, -1):
            for i in range(len(words) - n + 1):
                phrase = " ".join(words[i:i + n])
                ids = self.short_dev.get(phrase) or self.short_dev.get(_nospace(phrase))
                if ids and not any(taken[i:i + n]) and phrase not in self.stop_words and not any(value[i:i + n]):
                    take(Mention("device", i, i + n, phrase, tuple(sorted(ids)), short=True,
                                 type_word=self.type_words.get(phrase),
                                 tagged=any(t != "O" for t in tags[i:i + n])))
        # Type words the model tagged, and plural ones anywhere ("lock" alone is a verb).
        for i, w in enumerate(words):
            tw = self.type_words.get(w)
            # "the kitchen ceiling light light": a type word that repeats the end of the name before it.
            repeat = i > 0 and taken[i - 1] and words[i - 1] in self.type_words
            if tw and not taken[i] and not repeat and not value[i] and (tags[i] != "O" or tw.plural):
                take(Mention("type", i, i + 1, w, type_word=tw, tagged=tags[i] != "O"))
        # Adjacent unknown spans are one name ("swimming pool" tagged as two spans).
        for s, e in unknown:
            if out.unknown and s == last_end:
                out.unknown[-1] += " " + " ".join(words[s:e])
            else:
                out.unknown.append(" ".join(words[s:e]))
            last_end = e
        for m in sorted(found, key=lambda m: m.start):
            {"device": out.devices, "area": out.areas, "type": out.types}[m.kind].append(m)
        return out

    def _exact(self, phrase: str, i: int, j: int) -> Mention | None:
        ns = _nospace(phrase)
        for table, kind in ((self.exact_dev, "device"), (self.exact_area, "area")):
            ids = table.get(phrase) or table.get(ns)
            if ids:
                return Mention(kind, i, j, phrase, tuple(sorted(ids)))
        return None

    # ---------------------------------------------------------------- fuzzy
    def _fuzzy(self, words: list[str], s: int, e: int, label: str, whole: bool = False) -> Mention | None:
        """Best fuzzy device (or area) for any sub-span of words[s:e] (only the whole span if
        ``whole``); None below the thresholds."""
        best: tuple | None = None
        for i in range(s, s + 1 if whole else e):
            for j in range(e if whole else i + 1, e + 1):
                phrase = " ".join(words[i:j])
                if phrase in self.stop_words or phrase in self.type_words:
                    continue
                cands = self._score_devices(phrase)
                cands += [(sc, "area", ids, False) for sc, ids in self._score_areas(phrase)]
                for sc, kind, ids, short in cands:
                    # Prefer covering more of the tagged span.
                    sc_adj = sc - 4.0 * ((e - s) - (j - i))
                    if best is None or sc_adj > best[0]:
                        best = (sc_adj, i, j, kind, ids, short, sc)
        if best is None:
            return None
        _, i, j, kind, ids, short, sc = best
        need = FUZZY_MIN
        if kind == "device" and any(x in self.sensitive for x in ids):
            need = SENSITIVE_MIN
        if len(_nospace(" ".join(words[i:j]))) <= 5:
            need = max(need, SHORT_MIN)  # "room" is not "roomba"
        if sc < need:
            return None
        return Mention(kind, i, j, " ".join(words[i:j]), ids, score=sc / 100.0, short=short)

    def sounds_named(self, said: list[str]) -> bool:
        """Whether the name of a device a wrong guess at is unsafe (:attr:`sensitive`) is ``said``
        but for words of the same sound key before the same last word: whisper's "the big door" is
        the "Back door" misheard, no door called big (where "the big light" is the room's own)."""
        return any(len(n) == len(said) and n[-1] == said[-1] and n[:-1] != said[:-1]
                   and all(phonetic(a) == phonetic(b) for a, b in zip(n[:-1], said[:-1]))
                   for n in self._sensitive_names)

    @cached_property
    def _sensitive_names(self) -> list[list[str]]:
        """The words of every name of a :attr:`sensitive` device."""
        return [k.split() for k, did, _ in self.dev_names if did in self.sensitive]

    def _alike(self, said: list[str], ids: tuple[str, ...], area: list[str]) -> bool:
        """Whether the words ``said`` after a room's name (``area``) are alike (:data:`REST_MIN`) to a
        name of one of ``ids`` without the room's words: "porch lite" is the "Porch light",
        "upstairs coco" no "upstairs AC"."""
        phrase, room = " ".join(said), set(area)
        for name, did, _short in self.dev_names:
            rest = " ".join(w for w in name.split() if w not in room)
            if did in ids and rest and max(fuzz.ratio(phrase, rest), fuzz.ratio(_nospace(phrase), _nospace(rest))) >= REST_MIN:
                return True
        return False

    def _score_devices(self, phrase: str) -> list[tuple[float, str, tuple[str, ...], bool]]:
        scores: dict[tuple[str, bool], float] = {}
        p_ns, p_ph = _nospace(phrase), phonetic(phrase)
        p_own = " ".join(w for w in phrase.split() if w not in self.type_words)
        p_digits = set(re.findall(r"\d+", phrase))
        p_seq = self.lang.singular(phrase).split()
        p_words = set(p_seq)
        p_bare_seq = self.lang.singular(phrase.replace("'", "")).split()  # "abuela's" as names are held
        p_bare = set(p_bare_seq)
        for name, did, short in self.dev_names:
            if p_digits and set(re.findall(r"\d+", name)) != p_digits:
                continue  # "speaker 3" is not "speaker 2"
            n_seq = self.lang.singular(name).split()
            if p_words < set(n_seq) or p_bare < set(n_seq):
                continue  # "room light" is part of "boot room light", not a misspelling of it; "abuela's" of "abuela's tv"
            if len(p_seq) > len(n_seq) and p_seq[:len(n_seq)] == n_seq:
                continue  # ... nor "heater mo" ("... | mo chroí") of a "heater": the whole name, then other words
            if len(p_bare_seq) > 1 and len(n_seq) > 1 and p_bare_seq[0] == n_seq[0] and not _alike_rest(p_bare_seq[1:], n_seq[1:]):
                continue  # ... nor "abuela's hot" (whisper's, "... the abanico que it's hot") an "abuela's tv"
            sc = max(fuzz.ratio(phrase, name), fuzz.ratio(p_ns, _nospace(name)), fuzz.ratio(" ".join(p_seq), " ".join(n_seq)))
            # the sound key must hold beyond the type words: "chais light" (whisper's "a chai's" for
            # "achchi's") and "kussiya light" share "kslkt", but "chais" alone is "ks"
            # ... and a name of type words alone ("lights", a short name) has no sound of its own:
            # "lucy cedas" (whisper's "lucecitas") shares "lkts" with it
            if len(p_ph) >= 4 and p_ph == phonetic(name) and len(phonetic(p_own)) >= PHONETIC_OWN \
                    and not all(w in self.type_words for w in name.split()):
                sc = max(sc, 88.0)
            key = (did, short)
            scores[key] = max(scores.get(key, 0.0), sc)
        if not scores:
            return []
        top = max(scores.values())
        ids = tuple(sorted({d for (d, _s), v in scores.items() if v >= top - 0.01}))
        short = all(s for (d, s), v in scores.items() if v >= top - 0.01)
        return [(top, "device", ids, short)]

    def _score_areas(self, phrase: str) -> list[tuple[float, tuple[str, ...]]]:
        best: dict[str, float] = {}
        for name, aid in self.area_names:
            sc = max(fuzz.ratio(phrase, name), fuzz.ratio(_nospace(phrase), _nospace(name)))
            best[aid] = max(best.get(aid, 0.0), sc)
        if not best:
            return []
        top = max(best.values())
        return [(top, tuple(sorted(a for a, v in best.items() if v >= top - 0.01)))]



def _alike_rest(said: list[str], name: list[str]) -> bool:
    """Whether the words said after a name's first word are alike to the name's own after it
    (:data:`REST_MIN`, or the same sound key): "porch lite", not "abuela's hot" for "abuela's tv"."""
    a, b = " ".join(said), " ".join(name)
    return max(fuzz.ratio(a, b), fuzz.ratio(_nospace(a), _nospace(b))) >= REST_MIN or phonetic(a) == phonetic(b)


def _forms(names, lang: Language, synonyms: bool = False) -> list[str]:
    """Each name as config compares it and as the normaliser reads speech ("Five bar gate" is
    also "5 bar gate"), so both meet; with ``synonyms``, also with each word of a synonym group
    (lexicon.yaml) swapped for the others ("Lounge ceiling light" is "lounge overhead light")."""
    out: list[str] = []
    determiners = set(lang.grammar.determiners)
    for n in names:
        for k in (normalize_name(n), " ".join(w for w in normalize(n, lang) if w != ",")):
            # an alias written with its article ("the big telly") is said without it too, unless
            # that leaves a bare type word: "our light" is no name of "light" said of any other
            bare = " ".join(k.split()[1:]) if len(k.split()) > 1 and k.split()[0] in determiners else ""
            bare = "" if bare in lang.lexicon.type_words else bare
            for form in (k, bare):
                if form and form not in out:
                    out.append(form)
    if synonyms:
        for k in list(out):
            words = k.split()
            for i, w in enumerate(words):
                for group in lang.lexicon.synonyms:
                    if w in group:
                        out += [v for v in (" ".join(words[:i] + [s] + words[i + 1:]) for s in group) if v not in out]
    return out


def _better(a: Mention | None, b: Mention | None) -> Mention | None:
    if a is None or (b is not None and b.score > a.score):
        return b
    return a


NAME_LABELS = ("DEV", "TYPE", "SCENE", "AREA")
VALUE_LABELS = ("COLOR", "CT", "MODE", "VAL")
"""Tags of the model's slot labels (hub/nlu/generate.py SLOT_LABELS) that are names, and values."""


def _runs(tags: list[str], taken: list[bool]) -> list[tuple[int, int, str]]:
    """Maximal runs of free words the model tagged as names. A run with any device/type/scene
    word is one device name (label DEV: "kitchen/AREA sealing/AREA light/DEV"); else AREA."""
    out = []
    i = 0
    while i < len(tags):
        if taken[i] or tags[i][2:] not in NAME_LABELS:
            i += 1
            continue
        j = i + 1
        while j < len(tags) and not taken[j] and tags[j][2:] in NAME_LABELS:
            j += 1
        label = "DEV" if any(t[2:] != "AREA" for t in tags[i:j]) else "AREA"
        out.append((i, j, label))
        i = j
    return out


def _spans_of(tags: list[str], s: int, e: int) -> list[tuple[int, int, str]]:
    """Words s..e split where the tag's kind changes (area vs device/type/scene)."""
    out = []
    i = s
    while i < e:
        kind = tags[i][2:] == "AREA"
        j = i + 1
        while j < e and (tags[j][2:] == "AREA") == kind:
            j += 1
        out.append((i, j, "AREA" if kind else "DEV"))
        i = j
    return out


def bio_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """BIO tags -> [(start, end, label)]; an I- without its B- starts a span."""
    out = []
    i = 0
    while i < len(tags):
        t = tags[i]
        if t == "O":
            i += 1
            continue
        label = t[2:]
        j = i + 1
        while j < len(tags) and tags[j] == f"I-{label}":
            j += 1
        out.append((i, j, label))
        i = j
    return out
