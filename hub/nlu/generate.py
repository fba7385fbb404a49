"""Training utterances for the intent model, generated from intents/*.yaml over synthetic homes.

Each example is one clause in normalised form (what :func:`hub.nlu.normalize.normalize` returns)
with its intent and a BIO tag per word. Device and area names are drawn from
intents/en/synthetic_homes.yaml, never from the homes the parser is tested on, so the model has to
find names from their context; a share of examples gets speech-recogniser noise (typos, split and
joined words, dropped articles).
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from pathlib import Path

import yaml

from hub.config import normalize_name
from hub.config_load import load_config
from hub.nlu.language import load_language
from hub.nlu.normalize import INTENTS_DIR, load_lexicon
from hub.nlu.templates import parse_template, sample

SLOT_LABELS = ("DEV", "AREA", "TYPE", "VAL", "COLOR", "CT", "MODE", "SCENE")
TAGS = ("O",) + tuple(f"{p}-{s}" for s in SLOT_LABELS for p in ("B", "I"))
NONE_INTENT = "none"
PLACEHOLDERS = {"DEV": "[DEV]", "AREA": "[AREA]", "SCENE": "[SCENE]"}
"""Names the resolver already found are shown to the model as these tokens, so the intent comes from
the wording around a name, never from the words inside it ("turn on the basement lights" is not "dock")."""
MASK_RATE = 0.5
PARAPHRASES = INTENTS_DIR / "paraphrases.yaml"
"""Training-only phrasings, implied objects, words around a command, time phrases, ASR slips."""
AROUND_RATE = 0.12
"""Share of examples with words before (an assistant's name, politeness) or after the command."""
TIME_RATE = 0.06
"""Share of examples with a time phrase ("for 10 minutes"): phrasing, never a value."""

_COVER_TYPES = {"cover", "garage"}


@dataclass(frozen=True)
class Example:
    words: tuple[str, ...]
    tags: tuple[str, ...]
    intent: str


def load_intents(path: Path = INTENTS_DIR / "commands.yaml") -> dict[str, dict]:
    """intents/en/commands.yaml -> {intent: {"types": [...], "generic": bool, "templates": [(tree, types)]}}."""
    with open(path, encoding="utf-8") as f:
        raw = yaml.safe_load(f)["intents"]
    out = {}
    for name, spec in raw.items():
        types = list(spec.get("types") or [])
        templates = []
        for t in spec["templates"]:
            if isinstance(t, dict):
                templates.append((parse_template(t["t"]), list(t.get("types") or types)))
            else:
                templates.append((parse_template(t), types))
        out[name] = {"types": types, "generic": bool(spec.get("generic")), "templates": templates}
    return out


def intent_labels() -> list[str]:
    """Model intent labels: those of intents/en/commands.yaml plus ``none`` (not a home command)."""
    return list(load_intents()) + [NONE_INTENT]


def held_out_names(config_paths: list[Path]) -> set[str]:
    """Normalised device and area names/aliases of the given homes plus synthetic_homes.yaml's held_out."""
    with open(INTENTS_DIR / "synthetic_homes.yaml", encoding="utf-8") as f:
        names = {normalize_name(x) for x in yaml.safe_load(f)["held_out"]}
    for p in config_paths:
        cfg = load_config(p)
        for item in (*cfg.areas, *cfg.devices):
            names.add(normalize_name(item.name))
            names.update(normalize_name(a) for a in item.aliases)
    return names


class Generator:
    """Draws training examples; deterministic for a given seed."""

    def __init__(self, seed: int, held_out: set[str], augment: bool = True):
        """``augment``: also paraphrases.yaml's phrasings, words around a command, time phrases,
        recogniser slips and type words tagged in a template's text (the model's training data);
        without, commands.yaml's phrasings alone (what the low-power template reader knows)."""
        self.augment = augment
        self.rng = random.Random(seed)
        with open(INTENTS_DIR / "synthetic_homes.yaml", encoding="utf-8") as f:
            self.vocab = yaml.safe_load(f)
        self.held_out = held_out
        self.lex = load_lexicon().raw
        self.intents = load_intents()
        self.areas = [a for a in self.vocab["areas"] if a not in held_out]
        self.ood = [parse_template(t) for t in self.vocab["out_of_domain"]]
        with open(PARAPHRASES, encoding="utf-8") as f:
            para = yaml.safe_load(f)
        for name, templates in (para["intents"] if augment else {}).items():
            spec = self.intents[name]
            for t in templates:
                text, types = (t["t"], list(t.get("types") or spec["types"])) if isinstance(t, dict) else (t, spec["types"])
                spec["templates"].append((parse_template(text), types))
        self.implied = para["implied"]
        self.before, self.after = para["before"], para["after"]
        self.time_phrases = [parse_template(t) for t in para["time_phrases"]]
        self.slips = {tuple(k.split()): [v.split() for v in vs] for k, vs in para["asr_noise"].items()}
        self.type_words = frozenset(w for w in self.lex["type_words"] if " " not in w)
        self.determiners = frozenset(load_language().grammar.determiners)

    # ---------------------------------------------------------------- names
    def _ok(self, name: str) -> bool:
        return name not in self.held_out

    def device_name(self, dtype: str) -> list[tuple[str, str]]:
        """A synthetic device name of this type, tagged DEV (area words inside it tagged AREA)."""
        r = self.rng
        nouns = self.vocab["nouns"].get(dtype) or self.vocab["nouns"]["switch"]
        for _ in range(20):
            k = r.random()
            area: list[str] = []
            if k < 0.55:
                words = f"{r.choice(self.vocab['descriptors'])} {r.choice(nouns)}".split()
            elif k < 0.72:
                words = r.choice(nouns).split()
            elif k < 0.85:
                area = r.choice(self.areas).split()
                words = r.choice(nouns).split()
            elif k < 0.93:
                words = r.choice(self.vocab["nicknames"]).split()
            else:
                words = f"{r.choice(self.vocab['nicknames'])}s {r.choice(nouns)}".split()
            full = " ".join(area + words)
            if self._ok(full) and self._ok(" ".join(words)):
                return _tag(area, "AREA") + _tag(words, "DEV")
        return _tag(self.noun(dtype).split(), "DEV")

    def noun(self, dtype: str) -> str:
        """A device noun of this type that is not a held-out name."""
        nouns = [n for n in self.vocab["nouns"].get(dtype) or self.vocab["nouns"]["switch"] if self._ok(n)]
        return self.rng.choice(nouns or ["device"])

    def area(self) -> list[tuple[str, str]]:
        return _tag(self.rng.choice(self.areas).split(), "AREA")

    def type_phrase(self, dtype: str) -> list[tuple[str, str]] | None:
        words = self.vocab["type_phrases"].get(dtype) or []
        return _tag(self.rng.choice(words).split(), "TYPE") if words else None

    def target(self, dtype: str) -> list[tuple[str, str]]:
        """A way to name what is acted on: device, area+device, type word in an area, a pronoun..."""
        r = self.rng
        det = r.choice(["the", "the", "the", "my", "our", ""])
        art = [(det, "O")] if det else []
        if dtype == "scene":
            return art + self.fill("scene", dtype)
        k = r.random()
        tp = self.type_phrase(dtype)
        if tp is None and 0.45 <= k < 0.85:
            k = r.random() * 0.45
        if k < 0.30:
            out = art + self.device_name(dtype)
        elif k < 0.38:
            out = art + self.area() + _tag(self.noun(dtype).split(), "DEV")
        elif k < 0.45:
            out = art + self.device_name(dtype) + [("in", "O"), ("the", "O")] + self.area()
        elif k < 0.58:
            out = art + tp
        elif k < 0.68:
            out = [(w, "O") for w in r.choice([["the"], ["all", "the"], ["all"], []])] + tp + [("in", "O"), ("the", "O")] + self.area()
        elif k < 0.76:
            out = art + self.area() + tp
        elif k < 0.82:
            out = [(w, "O") for w in r.choice([["all", "the"], ["all"], ["every"], ["all", "of", "the"]])] + tp
        elif k < 0.85:
            out = art + self.area() + [("and", "O")] + self.area() + tp
        elif k < 0.93:
            a, b = self.device_name(dtype), self.device_name(dtype)
            out = art + a + [("and", "O")] + ([("the", "O")] if art else []) + b
        else:
            out = [(r.choice(["it", "them", "it", "that"]), "O")]
        return out

    # ---------------------------------------------------------------- values
    def fill(self, slot: str, dtype: str) -> list[tuple[str, str]]:
        r = self.rng
        if slot == "target":
            return self.target(dtype)
        if slot == "area":
            return self.area()
        if slot == "pct":
            n = r.choice([r.randrange(0, 101, 5), r.randrange(0, 101, 10), r.randint(1, 100)])
            return [(str(n), "B-VAL")] + ([("percent", "O")] if r.random() < 0.5 else [])
        if slot == "deg":
            n = r.choice([r.randint(15, 28), r.randint(15, 28), r.randint(60, 80), r.randint(16, 24) + 0.5])
            return [(str(n), "B-VAL")] + ([("degrees", "O")] if r.random() < 0.6 else [])
        if slot == "step":
            n = r.choice([5, 10, 15, 20, 25, 30, 50, 2, 3, 1])
            return [(str(n), "B-VAL")] + ([(r.choice(["percent", "degrees"]), "O")] if r.random() < 0.4 else [])
        if slot == "num":
            return [(str(r.randint(1, 60)), "B-VAL")]
        if slot == "chan":
            return [(str(r.choice([r.randint(1, 20), r.randint(1, 200), r.randint(100, 999)])), "B-VAL")]
        if slot == "secs":
            return [(str(r.choice([5, 10, 15, 20, 30, 45, 60, 90, 120])), "B-VAL")]
        if slot == "kstep":
            return [(str(r.choice([100, 200, 250, 300, 500, 800, 1000, 1500, 2000])), "B-VAL")]
        if slot == "color":
            return _tag([r.choice(self.lex["colors"])], "COLOR")
        if slot == "ctemp":
            if r.random() < 0.2:
                return [(str(r.choice([2200, 2700, 3000, 4000, 5000, 6500])), "B-VAL"), ("kelvin", "O")]
            return _tag(r.choice(list(self.lex["color_temps"])).split(), "CT")
        if slot == "mode":
            return _tag(r.choice(list(self.lex["hvac_modes"])).split(), "MODE")
        if slot == "speed":
            if r.random() < 0.3:
                return [(str(r.randrange(10, 101, 10)), "B-VAL"), ("percent", "O")]
            return _tag([r.choice(list(self.lex["fan_speeds"]))], "VAL")
        if slot == "scene":
            return _tag(r.choice([x for x in self.vocab["scenes"] if self._ok(x)]).split(), "SCENE")
        if slot == "implied":
            return _tag(r.choice(self.implied.get(dtype) or self.implied["switch"]).split(), "TYPE")
        raise KeyError(f"unknown slot {{{slot}}}")

    # ---------------------------------------------------------------- examples
    def example(self, intent: str) -> Example:
        r = self.rng
        if intent == NONE_INTENT:
            dtype = r.choice(["light", "switch", "fan", "media_player", "climate", "cover", "lock"])
            # Not a command: a number in it ("a timer for 10 minutes") is no command's value.
            words = [(w, "O" if t.endswith("VAL") else t) for w, t in sample(r.choice(self.ood), r, lambda s: self.fill(s, dtype))]
        else:
            tree, types = r.choice(self.intents[intent]["templates"])
            dtype = r.choice(types)
            if dtype == "cover" and r.random() < 0.25:
                dtype = "garage"
            words = sample(tree, r, lambda s: self.fill(s, dtype))
        words = [(w, t) for w, t in words if w]
        if self.augment and intent != NONE_INTENT:
            words = tag_type_words(words, self.type_words, self.determiners)
        if self.augment:
            words = self.around(words, dtype)
        # Template words the normaliser turns into numbers ("halfway" -> 50) are values.
        nw = self.lex["number_words"]
        words = [(str(nw[w]), "B-VAL") if w in nw and t == "O" else (w, t) for w, t in words]
        words = self.mask(self.noise(words))
        return Example(tuple(w for w, _ in words), tuple(t for _, t in words), intent)

    def around(self, words: list[tuple[str, str]], dtype: str) -> list[tuple[str, str]]:
        """Words a person says around a command: an assistant's name or politeness before it,
        chatter after it, a time phrase at either end; all phrasing (O)."""
        r = self.rng
        if r.random() < AROUND_RATE:
            words = [(w, "O") for w in r.choice(self.before).split()] + words
        if r.random() < AROUND_RATE / 2:
            words = words + [(w, "O") for w in r.choice(self.after).split()]
        if r.random() < TIME_RATE:
            phrase = [(w, "O") for w, _ in sample(r.choice(self.time_phrases), r, lambda s: self.fill(s, dtype))]
            words = words + phrase if r.random() < 0.75 else phrase + words
        return words

    def mask(self, words: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """Replace some names by placeholders: a device name (with any area words inside it) by
        [DEV], an area by [AREA], a scene by [SCENE], as the parser does with names it knows."""
        r = self.rng
        out: list[tuple[str, str]] = []
        i = 0
        while i < len(words):
            label = words[i][1][2:]
            if label not in ("DEV", "AREA", "SCENE"):
                out.append(words[i])
                i += 1
                continue
            j = i + 1
            while j < len(words) and words[j][1] != "O" and words[j][1][2:] in (label, "DEV", "AREA") and \
                    not (words[j][1].startswith("B-") and words[j][1][2:] == label and label != "AREA"):
                j += 1
            run = words[i:j]
            labels = {t[2:] for _, t in run}
            if r.random() < MASK_RATE:
                kind = "SCENE" if "SCENE" in labels else "DEV" if "DEV" in labels else "AREA"
                out.append((PLACEHOLDERS[kind], f"B-{kind}"))
            else:
                out.extend(run)
            i = j
        return out

    def noise(self, words: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """Speech-recogniser noise: dropped articles, typos, split and joined words in names."""
        r = self.rng
        if r.random() > 0.3:
            return words
        out: list[tuple[str, str]] = []
        i = 0
        while i < len(words):
            w, t = words[i]
            k = r.random()
            if w in ("the", "a", "my") and t == "O" and k < 0.3:
                i += 1
                continue
            slip = self._slip(words, i) if self.augment and t == "O" and k < 0.5 else None
            if slip:
                n, heard = slip
                out += [(x, "O") for x in heard]
                i += n
                continue
            if t != "O" and len(w) > 4 and k < 0.12:
                out.append((_typo(w, r), t))
            elif t != "O" and len(w) > 6 and k < 0.2:
                cut = r.randint(3, len(w) - 3)
                out += [(w[:cut], t), (w[cut:], "I-" + t[2:])]
            elif t.startswith("B-") and i + 1 < len(words) and words[i + 1][1] == "I-" + t[2:] and k < 0.26:
                out.append((w + words[i + 1][0], t))
                i += 1
            else:
                out.append((w, t))
            i += 1
        return out or words


    def _slip(self, words: list[tuple[str, str]], i: int) -> tuple[int, list[str]] | None:
        """A real recogniser slip of the phrasing at ``i`` (longest first): (words replaced, heard)."""
        for key in sorted(self.slips, key=len, reverse=True):
            n = len(key)
            if tuple(w for w, _ in words[i:i + n]) == key and all(t == "O" for _, t in words[i:i + n]):
                return n, self.rng.choice(self.slips[key])
        return None


def tag_type_words(words: list[tuple[str, str]], type_words: frozenset[str],
                   determiners: frozenset[str]) -> list[tuple[str, str]]:
    """Type words written into a template's text ("lights on in the {area}") tagged TYPE, as the
    ``{target}`` slot tags them, so the tagger learns one answer for "lights". A word that starts
    the clause or comes before a determiner is a verb there ("lock the door"), and stays O."""
    out = list(words)
    for i, (w, t) in enumerate(words):
        if t != "O" or w not in type_words or i == 0:
            continue
        if i + 1 < len(words) and words[i + 1][0] in determiners:
            continue
        prev = out[i - 1][1]
        out[i] = (w, "I-TYPE" if prev in ("B-TYPE", "I-TYPE") else "B-TYPE")
    return out


def _tag(words: list[str], label: str) -> list[tuple[str, str]]:
    return [(w, ("B-" if i == 0 else "I-") + label) for i, w in enumerate(words)]


def _typo(w: str, r: random.Random) -> str:
    i = r.randrange(1, len(w) - 1)
    k = r.random()
    if k < 0.33:
        return w[:i] + w[i + 1:]
    if k < 0.66:
        return w[:i] + w[i + 1] + w[i] + w[i + 2:]
    return w[:i] + r.choice("aeioumnbdlst") + w[i + 1:]


def generate(seed: int, per_intent: int, held_out: set[str], none_count: int, augment: bool = True) -> list[Example]:
    """``per_intent`` examples of every intent plus ``none_count`` out-of-domain ones, shuffled
    (``augment``: see :class:`Generator`)."""
    g = Generator(seed, held_out, augment)
    out = [g.example(i) for i in g.intents for _ in range(per_intent)]
    out += [g.example(NONE_INTENT) for _ in range(none_count)]
    g.rng.shuffle(out)
    return out


def data_hash(examples: list[Example]) -> str:
    """SHA-256 of the examples in order (for the manifest)."""
    h = hashlib.sha256()
    for e in examples:
        h.update(json.dumps([e.words, e.tags, e.intent]).encode())
    return h.hexdigest()
