"""Training clauses from Home Assistant's English sentence templates (``hub train`` only).

The home-assistant-intents package holds the largest public record of how people phrase home
commands, as hassil templates with lists and expansion rules (https://github.com/home-assistant/intents,
format: https://github.com/home-assistant/hassil#sentence-templates). We parse its templates with
hassil's parser, walk the expression tree ourselves so every word keeps the tag of the list that
filled it, fill names and areas from the synthetic homes of :mod:`hub.nlu.generate`, and normalise
the result as the parser will see it. Which of its intents is which of ours, and which tag each list
gives, is data: intents/<language>/hass_training.yaml. Its tests/ are never read: they stay
acceptance data.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from hub.nlu.generate import NONE_INTENT, Example, Generator, tag_type_words
from hub.nlu.normalize import INTENTS_DIR, normalize

MAP_FILE = INTENTS_DIR / "hass_training.yaml"
_MARK = "zqslot{}"
_MARK_RE = re.compile(r"zqslot(\d+)")


@dataclass(frozen=True)
class _Block:
    """One data block of an HA intent: its sentences, our intent and the device types of {name}."""

    ha_intent: str
    sentences: tuple
    domains: tuple[str, ...]


class HassSampler:
    """Draws tagged clauses from Home Assistant's templates. Needs hassil and home-assistant-intents
    (the ``train`` extra). Deterministic for the generator's seed."""

    def __init__(self, gen: Generator, language: str = "en", map_file: Path = MAP_FILE):
        from hassil.parse_expression import parse_sentence
        from home_assistant_intents import get_intents

        self.g = gen
        self.rng: random.Random = gen.rng
        with open(map_file, encoding="utf-8") as f:
            self.map = yaml.safe_load(f)
        data = get_intents(language)
        self.rules = {k: parse_sentence(v) for k, v in data["expansion_rules"].items()}
        self.lists = data["lists"]
        self._parsed_values: dict[str, list[tuple[object, object]]] = {}
        self.blocks: dict[str, list[_Block]] = {}
        for name, intent in data["intents"].items():
            for block in intent["data"]:
                domains = self._domains(block)
                sentences = tuple(parse_sentence(s) for s in block["sentences"])
                self.blocks.setdefault(name, []).append(_Block(name, sentences, domains))
        self.mapped = [n for n in self.blocks if n in self.map["intents"]]
        self.unmapped = [n for n in self.blocks if n not in self.map["intents"]]

    def _domains(self, block: dict) -> tuple[str, ...]:
        slots = block.get("slots") or {}
        ctx = (block.get("requires_context") or {}).get("domain")
        found = slots.get("domain") or ctx or []
        return tuple([found] if isinstance(found, str) else found)

    # ------------------------------------------------------------ sampling
    def example(self, mapped: bool = True) -> Example | None:
        """One clause of a mapped HA intent (``mapped``) or of one we train as ``none``.
        None when the drawn template cannot be rendered as a clause of ours."""
        r = self.rng
        name = r.choice(self.mapped if mapped else self.unmapped)
        block = r.choice(self.blocks[name])
        domain = r.choice(block.domains) if block.domains else None
        dtype = self.map["domains"].get(domain) if domain else None
        spec = self.map["intents"].get(name)
        intent = spec["intent"] if spec else NONE_INTENT
        if spec and domain in (spec.get("by_domain") or {}):
            intent = spec["by_domain"][domain]
        if intent != NONE_INTENT and dtype is None:
            dtype = r.choice(self.g.intents[intent]["types"])
        sentence = r.choice(block.sentences)
        fills: list[list[tuple[str, str]]] = []
        used: list[tuple[str, object]] = []
        numbers: list[str] = []
        text = "".join(self._walk(sentence.expression, dtype or "switch", fills, used, numbers))
        for lst, out in used:
            if spec and lst in (spec.get("by_list") or {}):
                intent = spec["by_list"][lst]
            if spec and isinstance(out, str) and out in (spec.get("by_value") or {}):
                intent = spec["by_value"][out]
        words: list[tuple[str, str]] = []
        for w in normalize(text):
            m = _MARK_RE.fullmatch(w)
            if m:
                words.extend(fills[int(m.group(1))])
            elif numbers and w == numbers[0]:
                words.append((numbers.pop(0), "B-VAL"))
            else:
                words.append((w, "O"))
        if not words:
            return None
        if intent != NONE_INTENT:
            words = tag_type_words(words, self.g.type_words, self.g.determiners)
        words = self.g.mask(self.g.noise(words))
        return Example(tuple(w for w, _ in words), tuple(t for _, t in words), intent)

    def _walk(self, exp, dtype: str, fills: list, used: list, numbers: list) -> list[str]:
        from hassil.expression import Alternative, ListReference, Permutation, RuleReference, Sequence, TextChunk

        r = self.rng
        if isinstance(exp, TextChunk):
            return [exp.text]
        if isinstance(exp, RuleReference):
            return self._walk(self.rules[exp.rule_name].expression, dtype, fills, used, numbers)
        if isinstance(exp, ListReference):
            return [self._fill(exp.list_name, dtype, fills, used, numbers)]
        if isinstance(exp, Alternative):
            return self._walk(r.choice(exp.items), dtype, fills, used, numbers)
        if isinstance(exp, Permutation):
            items = list(exp.items)
            r.shuffle(items)
            out: list[str] = []
            for it in items:
                out += [" "] + self._walk(it, dtype, fills, used, numbers) + [" "]
            return out
        if isinstance(exp, Sequence):
            out = []
            for it in exp.items:
                out += self._walk(it, dtype, fills, used, numbers)
            return out
        raise TypeError(f"unknown hassil expression {type(exp).__name__}")

    def _fill(self, list_name: str, dtype: str, fills: list, used: list, numbers: list) -> str:
        """Text standing for one list reference: a marker for tagged words, digits for numbers."""
        r = self.rng
        label = self.map["lists"].get(list_name, "O")
        if list_name == "name":
            words = self.g.device_name(dtype) if dtype != "scene" else self.g.fill("scene", dtype)
        elif list_name in ("area", "floor"):
            words = self.g.area()
        else:
            spec = self.lists.get(list_name, {"wildcard": True})
            if "range" in spec:
                rng = spec["range"]
                lo, hi, step = int(rng.get("from", 0)), int(rng.get("to", 100)), int(rng.get("step", 1))
                n: float = r.randrange(lo, hi + 1, step)
                if rng.get("type") == "temperature":
                    n = r.choice([r.randint(15, 28), r.randint(60, 80), r.randint(16, 24) + 0.5])
                used.append((list_name, n))
                if label != "O":
                    numbers.append(f"{n:g}")
                return f" {n:g} "
            if "values" in spec:
                phrase, out = self._value(list_name, spec["values"])
                used.append((list_name, out))
                words = [(w, "O") for w in normalize(phrase)]
            else:
                words = [(w, "O") for w in normalize(r.choice(self.map["wildcard_fill"]))]
            if label != "O":
                words = [(w, ("B-" if i == 0 else "I-") + label) for i, (w, _) in enumerate(words)]
        fills.append(list(words))
        return " " + _MARK.format(len(fills) - 1) + " "

    def _value(self, list_name: str, values: list) -> tuple[str, object]:
        """A phrase of a value list (its "in" template sampled) and its "out" value."""
        from hassil.parse_expression import parse_sentence

        if list_name not in self._parsed_values:
            parsed = []
            for v in values:
                if isinstance(v, str):
                    parsed.append((parse_sentence(v), v))
                else:
                    parsed.append((parse_sentence(str(v["in"])), v.get("out", v["in"])))
            self._parsed_values[list_name] = parsed
        sent, out = self.rng.choice(self._parsed_values[list_name])
        return "".join(self._walk(sent.expression, "switch", [], [], [])), out


def hass_examples(gen: Generator, count: int, none_count: int) -> list[Example]:
    """``count`` clauses of HA intents that map to ours and ``none_count`` of those that do not."""
    sampler = HassSampler(gen)
    out: list[Example] = []
    for want, mapped in ((count, True), (none_count, False)):
        made = 0
        while made < want:
            ex = sampler.example(mapped)
            if ex is not None:
                out.append(ex)
                made += 1
    return out
