"""Readings corrected toward the home's own names by how they sound.

Whisper writes a name it has never heard as the nearest words it knows: "switch the acabear to
cool" for the Ecobee, "turn on the ratio" for the Rachio, "turn off the mouse and sign" for the
Molson sign. No confusion list (hub.asr.corrections) can hold every home's brands, so a hypothesis
that does not parse is matched against the home's names by sound: each run of one to three of its
words and each name are spelled into phones by the same letter-to-sound rules (hub.asr.g2p), and
a run within ``max_distance`` of a name (a weighted edit distance: vowels and like consonants
cost less, ``intents/<language>/sound_alike.yaml``) gives a reading with the name in its place.
The rescorer keeps it only if it then parses (hub.asr.rescore), and like any corrected reading it
waits for a spoken yes: the words were the model's, the name is our guess.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator
from rapidfuzz.distance import Levenshtein

from hub.asr import g2p
from hub.asr.corrections import words
from hub.errors import HubError
from hub.yamlcheck import load_mapping

MAX_WORDS = 3
"""Longest run of heard words matched to a name ("mouse and sign" -> "molson sign")."""
MAX_VARIANTS = 3
"""Readings offered per hypothesis, nearest first."""
MAX_SPELLED = 5000
"""Words whose phones are kept once spelled (the home's names and what whisper writes)."""
CLASS_STEP = 0.5
"""The least a gap or a substitution across phone classes may cost (:class:`Costs`, checked at load)."""


class Costs(BaseModel):
    model_config = ConfigDict(extra="forbid")
    vowel: float = Field(ge=0, le=1)
    alike: float = Field(ge=0, le=1)
    other: float = Field(ge=0, le=1)
    vowel_gap: float = Field(ge=0, le=1)
    gap: float = Field(ge=0, le=1)


class SoundAlikeFile(BaseModel):
    """intents/<language>/sound_alike.yaml (see its header)."""

    model_config = ConfigDict(extra="forbid")
    vowels: list[str]
    alike: list[list[str]]
    costs: Costs
    max_distance: float = Field(gt=0, lt=1)
    min_phones: int = Field(ge=1)
    same_onset: bool = True
    endings: list[str] = []

    @model_validator(mode="after")
    def _known_phones(self):
        if min(self.costs.other, self.costs.vowel_gap, self.costs.gap) < CLASS_STEP:
            raise ValueError(f"costs: other, vowel_gap and gap must be at least {CLASS_STEP} "
                             "(the quick bound of hub.asr.sound_alike rests on it)")
        bad = sorted({p for p in [*self.vowels, *(p for g in self.alike for p in g)] if p not in g2p.PHONES})
        if bad:
            raise ValueError(f"unknown phones {', '.join(bad)} (ARPABET without stress: hub.asr.g2p.PHONES)")
        return self


def sound_alike_path(language: str) -> Path:
    from hub.nlu.language import INTENTS_ROOT

    return INTENTS_ROOT / language / "sound_alike.yaml"


def load_sound_alike(language: str, path: Path | None = None) -> tuple[SoundAlikeFile, g2p.LetterSounds]:
    """The costs (``path``, default :func:`sound_alike_path`) and the letter-to-sound rules of
    ``language``. Raises HubError listing every problem of either file as ``file:line path: message``."""
    from hub.errors import ConfigError
    from hub.nlu.language import INTENTS_ROOT

    path = path or sound_alike_path(language)
    doc, _, problems = load_mapping(path, SoundAlikeFile)
    if problems or doc is None:
        raise HubError("invalid sound-alike file:\n  " + "\n  ".join(problems.messages() or [f"{path}: empty"]))
    try:
        rules = g2p.load_letter_sounds(INTENTS_ROOT / language / "letter_sounds.yaml")
    except ConfigError as e:
        raise HubError(f"invalid letter-to-sound rules: {e}") from e
    return doc, rules


def costs(spec: SoundAlikeFile) -> tuple[dict[tuple[str, str], float], dict[str, float]]:
    """``spec``'s costs as tables: every pair of phones' substitution, every phone's gap."""
    vowels, c = set(spec.vowels), spec.costs
    sub = {}
    for x in g2p.PHONES:
        for y in g2p.PHONES:
            sub[x, y] = (0.0 if x == y else c.vowel if x in vowels and y in vowels
                         else c.alike if any(x in g and y in g for g in spec.alike) else c.other)
    return sub, {p: c.vowel_gap if p in vowels else c.gap for p in g2p.PHONES}


def distance(a: tuple[str, ...], b: tuple[str, ...], tables: tuple[dict, dict]) -> float:
    """Weighted edit distance between two phone sequences (``tables``: :func:`costs`), divided by
    the longer one's length: 0 the same, 1 nothing alike."""
    if not a or not b:
        return 1.0
    sub, gap = tables
    prev = [0.0]
    for y in b:
        prev.append(prev[-1] + gap[y])
    for x in a:
        gx, row = gap[x], [prev[0] + gap[x]]
        for j, y in enumerate(b, 1):
            row.append(min(prev[j] + gx, row[j - 1] + gap[y], prev[j - 1] + sub[x, y]))
        prev = row
    return prev[-1] / max(len(a), len(b))


class SoundAlike:
    """The home's names (``names``, as hub.asr.whisper.vocabulary_from_config gives them) ready
    to be matched by sound; :meth:`variants` is hub.asr.corrections.Corrections.variants' shape,
    so the rescorer tries both alike."""

    def __init__(self, names: list[str], language: str = "en", path: Path | None = None):
        self.spec, self.rules = load_sound_alike(language, path)
        self._costs = costs(self.spec)
        self._spelled: dict[str, tuple[str, ...]] = {}
        # each phone's class as one character (a vowel, a group of alike consonants, or itself):
        # a substitution across classes or a gap costs at least CLASS_STEP, so half the classes'
        # plain edit distance bounds the weighted one from below and rapidfuzz rules most names out
        classes = {p: "V" for p in self.spec.vowels}
        for g in self.spec.alike:
            classes.update({p: g[0] for p in g if p not in classes})
        symbols = {c: chr(0x100 + i) for i, c in enumerate(sorted(set(classes.values()) | g2p.PHONES))}
        self._class = {p: symbols[classes.get(p, p)] for p in g2p.PHONES}
        self.names: dict[str, tuple[str, ...]] = {}
        for name in names:
            spoken = " ".join(words(name))
            phones = self._phones(tuple(spoken.split()))
            if len(phones) >= self.spec.min_phones:
                self.names.setdefault(spoken, phones)
        self._name_classes = {n: self._classes(p) for n, p in self.names.items()}
        self._name_words = {w for n in self.names for w in n.split()}

    def _bare(self, word: str) -> str:
        """``word`` without an ending (sound_alike.yaml ``endings``) where that leaves a word of the
        home's names: "door's" and "doors" are "door"."""
        for c in self.spec.endings:
            if word.endswith(c) and word[:-len(c)] in self._name_words:
                return word[:-len(c)]
        return word

    def _classes(self, phones: tuple[str, ...]) -> str:
        return "".join(self._class[p] for p in phones)

    def _word(self, word: str) -> tuple[str, ...]:
        if (phones := self._spelled.get(word)) is None:
            letters = "".join(ch for ch in word.lower() if "a" <= ch <= "z")
            phones = tuple(g2p.spell_out(letters, self.rules).split()) if letters else ()
            if len(self._spelled) < MAX_SPELLED:  # a long-running hub hears endless new words
                self._spelled[word] = phones
        return phones

    def _phones(self, run: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(p for w in run for p in self._word(w))

    def near(self, run: list[str]) -> list[tuple[float, str]]:
        """The home's names that ``run`` (heard words, as :func:`hub.asr.corrections.words` gives them)
        may stand for by sound, nearest first: ``(distance, name)`` within ``max_distance``. A run made
        only of words of the home's names gets none, and a run with a word of the home's names gets
        only names with that word or a word it begins (:meth:`_begins`)."""
        bare = {self._bare(w) for w in run}
        if bare <= self._name_words:
            return []
        heard = self._phones(tuple(run))
        if not heard:
            return []
        # a word of the home's names was heard as itself: it may stand only in a name that has
        # it, or begins a word of it ("mouse and sign" -> "molson sign", "room but" -> "roomba"; never
        # "lights a bit" -> "mitsubishi")
        own = bare & self._name_words
        heard_classes, found = self._classes(heard), []
        for name, phones in self.names.items():
            longer = max(len(phones), len(heard))
            if (abs(len(phones) - len(heard)) > len(phones) * self.spec.max_distance
                    or not all(self._begins(w, name) for w in own)
                    # a word's onset is heard best: "lites a bit" is no "mitsubishi"
                    or (self.spec.same_onset and heard_classes[0] != self._name_classes[name][0])
                    or CLASS_STEP * Levenshtein.distance(heard_classes, self._name_classes[name])
                    > self.spec.max_distance * longer):
                continue
            if (d := distance(heard, phones, self._costs)) <= self.spec.max_distance:
                found.append((d, name))
        return sorted(found)

    @cached_property
    def _starts_of_longer(self) -> frozenset[str]:
        """Words of the home's names that sound as the start of a longer word of another name
        ("fridge": "frigidaire")."""
        def starts(w: str, x: str) -> bool:  # two phones or more, and two more in the longer word (not "lights")
            a, b = self._word(w), self._word(x)
            return len(a) >= 2 and len(b) >= len(a) + 2 and b[:len(a)] == a

        return frozenset(w for w in self._name_words for n in self.names for x in n.split() if starts(w, x))

    def may_start_longer(self, text: str) -> bool:
        """Whether ``text`` holds a word of :meth:`part_of_longer`'s kind (a quick test before :meth:`variants`)."""
        return any(self._bare(w) in self._starts_of_longer for w in words(text))

    def part_of_longer(self, run: list[str], name: str) -> bool:
        """Whether ``run`` (heard words) holds a word of the home's names that is no word of
        ``name`` but sounds as the start of a longer one ("fridge it air" -> "frigidaire": a name's
        word written for the start of another's)."""
        said = set(name.split()) | {self._bare(w) for w in name.split()}
        return any((b := self._bare(w)) in self._starts_of_longer and not {w, b} & said and self._begins(b, name)
                   for w in run)

    def _begins(self, word: str, name: str) -> bool:
        """Whether ``word`` is a word of ``name`` or sounds as the start of a longer one."""
        phones = self._word(word)
        return word in name.split() or any(
            len(self._word(w)) > len(phones) and self._word(w)[:len(phones)] == phones for w in name.split())

    def variants(self, text: str, longer_only: bool = False) -> list[tuple[str, tuple[str, ...]]]:
        """Readings of ``text`` with one run of words replaced by the name it sounds most like:
        ``(text, ("heard -> name",))``, nearest first, at most :data:`MAX_VARIANTS`. A run made
        only of words of the home's names, or holding the whole name, is left alone, and a run
        with a word of the home's names goes only to a name with that word or one it begins (:meth:`near`).
        ``longer_only``: only runs with a word that sounds as the start of another name's longer word
        (:meth:`part_of_longer`), read as such a name."""
        ws = words(text)
        found: list[tuple[float, int, int, str]] = []
        for i in range(len(ws)):
            for j in range(i + 1, min(i + MAX_WORDS, len(ws)) + 1):
                run = ws[i:j]
                if longer_only and not any(self._bare(w) in self._starts_of_longer for w in run):
                    continue
                near = self.near(run)
                best = next((x for x in near if not longer_only or self.part_of_longer(run, x[1])), None)
                # a run that holds the name already ("the alarm") is heard right
                if best is not None and not set(best[1].split()) <= {self._bare(w) for w in run}:
                    found.append((best[0], i, j, best[1]))
        out = []
        for _, i, j, name in sorted(found)[:MAX_VARIANTS]:
            out.append((" ".join(ws[:i] + [name] + ws[j:]), (f"{' '.join(ws[i:j])} -> {name}",)))
        return out
