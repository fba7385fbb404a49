"""Home Assistant's custom sentence files, read as they are: ``custom_sentences/<language>/*.yaml``.

Format (https://www.home-assistant.io/voice_control/custom_sentences_yaml/ and hassil's README,
https://github.com/home-assistant/hassil#yaml-format)::

    language: "en"
    intents:
      SetVolume:
        data:
          - sentences:
              - "(set|change) {media_player} volume to {volume} [percent]"
            slots: {domain: media_player}          # fixed slot values (optional)
            requires_context: {area: {slot: true}} # optional
    lists:
      media_player:
        values:
          - in: "living room"
            out: "media_player.living_room"
          - "bedroom"                              # in and out the same
      volume: {range: {from: 0, to: 100}}
      album: {wildcard: true}
    expansion_rules:
      name: "[the] {name}"

Every file of the folder is merged (as Home Assistant and hassil do). Each file is checked with
pydantic and each template parsed by hassil; problems are reported together, as
``file:line path: message``. The lists ``name`` (this home's device names and aliases -> device
id) and ``area`` (area names and aliases -> area id) are given, as Home Assistant gives its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hassil.expression import Expression, Group, ListReference, RuleReference, Sentence
from hassil.intents import Intents, TextSlotList
from hassil.parse_expression import parse_sentence
from hassil.util import merge_dict
from pydantic import BaseModel, ConfigDict, Field, model_validator

from hub.settings.intent_script import variables_of
from hub.yamlcheck import Problems, fmt_path, parse_yaml, read_text, validate

BUILTIN_LISTS = ("name", "area")
"""Lists this hub fills from config.yaml: device names and aliases (out: device id) and area names
and aliases (out: area id)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ListValue(_Strict):
    """One value of a text list: the words said (a template) and the slot value."""

    in_: str = Field(alias="in", min_length=1)
    out: Any = None
    """None: the words as said."""
    context: dict[str, Any] | None = None
    metadata: dict[str, Any] | None = None


class RangeDef(_Strict):
    from_: int = Field(alias="from")
    to: int
    step: int = Field(1, ge=1)
    type: str = "number"
    fractions: str | None = None
    multiplier: float | None = None
    digits: bool = True
    words: bool = True
    words_language: str | None = None

    @model_validator(mode="after")
    def _order(self) -> "RangeDef":
        if self.from_ > self.to:
            raise ValueError(f"from ({self.from_}) is above to ({self.to})")
        if not (self.digits or self.words):
            raise ValueError("digits and words are both false: nothing could be said")
        return self


class ListDef(_Strict):
    """A slot list: text values, a number range, or a wildcard (any words)."""

    values: tuple[str | ListValue, ...] | None = None
    range: RangeDef | None = None
    wildcard: bool = False

    @model_validator(mode="after")
    def _one_kind(self) -> "ListDef":
        kinds = [k for k, on in (("values", self.values is not None), ("range", self.range is not None),
                                 ("wildcard", self.wildcard)) if on]
        if len(kinds) != 1:
            raise ValueError(f"a list has exactly one of values, range or wildcard: true (found: {', '.join(kinds) or 'none'})")
        return self


class DataBlock(_Strict):
    sentences: tuple[str, ...] = Field(min_length=1)
    slots: dict[str, Any] = {}
    requires_context: dict[str, Any] = {}
    excludes_context: dict[str, Any] = {}
    expansion_rules: dict[str, str] = {}
    lists: dict[str, ListDef] = {}
    response: str | None = None
    metadata: dict[str, Any] | None = None
    required_keywords: tuple[str, ...] | None = None
    inferred_domain: str | None = None
    name_domains: tuple[str, ...] | None = None
    settings: dict[str, Any] = {}


class IntentBlock(_Strict):
    data: tuple[DataBlock, ...] = Field(min_length=1)


class Responses(BaseModel):
    """``responses:``: ``intents: <Name>: <key>: "<template>"`` (Home Assistant's other keys,
    such as ``errors:``, are allowed and not used)."""

    model_config = ConfigDict(extra="allow", frozen=True)
    intents: dict[str, dict[str, str]] = {}


class SentenceFile(_Strict):
    """One ``custom_sentences/<language>/*.yaml`` file."""

    language: str
    intents: dict[str, IntentBlock] = {}
    lists: dict[str, ListDef] = {}
    expansion_rules: dict[str, str] = {}
    skip_words: tuple[str, ...] = ()
    responses: Responses = Responses()
    """The reply of an intent when no intent_script says one."""
    settings: dict[str, Any] = {}


@dataclass(frozen=True)
class Where:
    """The file and line of one sentence template."""

    file: str
    line: int | None
    path: str
    """``intents.SetVolume.data[0].sentences[1]``."""

    def __str__(self) -> str:
        return f"{self.file}:{self.line or '?'} {self.path}"


@dataclass
class SentenceSet:
    """Every custom sentence file of one language folder, merged and checked."""

    intents: Intents
    """hassil's intents, lists and rules (the built-in ``name`` and ``area`` lists not included)."""
    where: dict[str, Where] = field(default_factory=dict)
    """Template text -> where it was written (first occurrence)."""
    slots: dict[str, set[str]] = field(default_factory=dict)
    """Intent -> every slot name some sentence of it can fill (lists, fixed slots, context)."""
    intent_where: dict[str, Where] = field(default_factory=dict)
    """Intent -> where it is first defined."""
    responses: dict[str, dict[str, str]] = field(default_factory=dict)
    """Intent -> response key -> template, from ``responses: intents:``."""


def read_folder(folder: Path, language: str) -> tuple[SentenceSet, list[str]]:
    """``folder/<language>/*.yaml`` (sorted by name) -> (the merged set, problems as
    ``file:line path: message``). A folder without that language gives an empty set."""
    problems: list[str] = []
    merged: dict[str, Any] = {"language": language, "intents": {}}
    checked: list[tuple[SentenceFile, Problems, str]] = []
    paths = sorted((folder / language).glob("*.yaml")) if (folder / language).is_dir() else []
    for path in paths:
        text, pr = read_text(path)
        if text is None:
            problems += pr.messages()
            continue
        data, pr = parse_yaml(text, str(path))
        if data is None and not pr:
            continue
        if not isinstance(data, dict):
            if data is not None:
                pr.add_raw(1, "expected a mapping with language, intents, lists, expansion_rules")
            problems += pr.messages()
            continue
        f = validate(SentenceFile, data, pr)
        if f is not None and f.language != language:
            pr.add(("language",), f"language {f.language!r} in the {language!r} folder")
        if f is not None and not pr:
            try:
                merge_dict(merged, data)
                checked.append((f, pr, str(path)))
            except AssertionError:  # hassil's merge asserts both sides are mappings, or lists
                pr.add_raw(None, "cannot be merged with the files before it: a key is a mapping or list "
                                 "in one and not in the other (a list with both values and range?)")
        problems += pr.messages()
    out = SentenceSet(Intents(language, {}))
    if problems:
        return out, problems
    global_lists = {name for f, _, _ in checked for name in f.lists}
    global_rules = {name for f, _, _ in checked for name in f.expansion_rules}
    for f, pr, path in checked:
        _check_file(f, pr, path, global_lists | set(BUILTIN_LISTS), global_rules, out)
        problems += pr.messages()
    if problems:
        return out, problems
    out.intents = Intents.from_dict(merged)
    return out, problems


def _parse(text: str, loc: tuple, pr: Problems) -> Sentence | None:
    try:
        return parse_sentence(text, keep_text=True)
    except Exception as e:  # hassil raises ParseError, AssertionError and others for a bad template
        pr.add(loc, f"template {text!r} does not parse: {e or type(e).__name__}")
        return None


def _refs(e: Expression) -> tuple[list[ListReference], list[str]]:
    """List references and rule names used directly in an expression (rules not followed)."""
    lists: list[ListReference] = []
    rules: list[str] = []
    stack = [e]
    while stack:
        x = stack.pop()
        if isinstance(x, Group):
            stack.extend(x.items)
        elif isinstance(x, ListReference):
            lists.append(x)
        elif isinstance(x, RuleReference):
            rules.append(x.rule_name)
    return lists, rules


def _check_refs(sentence: Sentence, loc: tuple, pr: Problems, lists: set[str], rules: set[str]) -> list[ListReference]:
    refs, rule_names = _refs(sentence.expression)
    for r in refs:
        if not r.is_inline_range and r.list_name not in lists:
            pr.add(loc, f"unknown list {{{r.list_name}}} (known: {', '.join(sorted(lists)) or 'none'})")
    for name in rule_names:
        if name not in rules:
            pr.add(loc, f"unknown expansion rule <{name}> (known: {', '.join(sorted(rules)) or 'none'})")
    return refs


def _check_file(f: SentenceFile, pr: Problems, path: str, lists: set[str], rules: set[str], out: SentenceSet) -> None:
    """Templates parse; every list and rule they name exists; note where each sentence is."""
    rule_slots: dict[str, set[str]] = {}
    for name, body in f.expansion_rules.items():
        s = _parse(body, ("expansion_rules", name), pr)
        if s is not None:
            rule_slots[name] = {r.slot_name for r in _check_refs(s, ("expansion_rules", name), pr, lists, rules)}
    for name, lst in f.lists.items():
        _check_values(lst, ("lists", name), pr)
    for intent, block in f.intents.items():
        for i, d in enumerate(block.data):
            base = ("intents", intent, "data", i)
            local_lists = lists | set(d.lists)
            local_rules = rules | set(d.expansion_rules)
            for name, lst in d.lists.items():
                _check_values(lst, base + ("lists", name), pr)
            for name, body in d.expansion_rules.items():
                s = _parse(body, base + ("expansion_rules", name), pr)
                if s is not None:
                    _check_refs(s, base + ("expansion_rules", name), pr, local_lists, local_rules)
            slots = out.slots.setdefault(intent, set())
            slots |= set(d.slots)
            slots |= {k for k, v in d.requires_context.items() if isinstance(v, dict) and v.get("slot")}
            for j, text in enumerate(d.sentences):
                loc = base + ("sentences", j)
                s = _parse(text, loc, pr)
                if s is None:
                    continue
                refs = _check_refs(s, loc, pr, local_lists, local_rules)
                slots |= {r.slot_name for r in refs if not r.is_capture}
                # a rule's lists fill slots too ("<name>" -> "{name}")
                slots |= {x for r in _refs(s.expression)[1] for x in rule_slots.get(r, ())}
                where = Where(path, pr.lines.line(loc), fmt_path(loc))
                out.where.setdefault(text, where)
                out.intent_where.setdefault(intent, where)
    for intent, keys in f.responses.intents.items():
        for key, template in keys.items():
            try:
                variables_of(template)
            except Exception as e:
                pr.add(("responses", "intents", intent, key), f"template {template!r} does not parse: {e}")
        out.responses.setdefault(intent, {}).update(keys)


def _check_values(lst: ListDef, loc: tuple, pr: Problems) -> None:
    for k, v in enumerate(lst.values or ()):
        text = v if isinstance(v, str) else v.in_
        if any(c in text for c in "()[]{}<>|;"):
            s = _parse(text, loc + ("values", k), pr)
            if s is not None and any(_refs(s.expression)):
                pr.add(loc + ("values", k), f"a list value cannot name a list or rule: {text!r}")


def builtin_lists(devices: list[tuple[str, list[str]]], areas: list[tuple[str, list[str]]]) -> dict[str, TextSlotList]:
    """The ``name`` and ``area`` lists: ``[(id, [name, alias...])]`` -> hassil lists whose values
    are the ids."""
    def make(name: str, things: list[tuple[str, list[str]]]) -> TextSlotList:
        return TextSlotList.from_tuples([(n, i) for i, names in things for n in names], allow_template=False, name=name)

    return {"name": make("name", devices), "area": make("area", areas)}
