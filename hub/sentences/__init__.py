"""Custom sentences and intents: Home Assistant's ``custom_sentences/<language>/*.yaml`` files,
matched with hassil, and what each custom intent does (``intent_script:`` in config.yaml).

``load_sentences(cfg, base_dir)`` reads and checks them once (hub.config_load calls it while loading
config.yaml, so ``hub check-config`` and every start report the same problems, and nothing starts
half-loaded); ``cfg.sentences.recognize(text, area)`` gives an :class:`hub.types.Understanding`
with ``intent`` the custom intent's name, ``slots``, the hub commands of its ``command`` steps,
the MQTT messages of its ``mqtt`` steps, and its rendered ``speech``, or None when no custom
sentence matches the whole text.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hassil import recognize_best
from hassil.intents import SlotList, TextSlotList
from hassil.sample import sample_expression

from hub.sentences.files import SentenceSet, builtin_lists, read_folder
from hub.sentences.nearmiss import IntentVocabulary, nearly_said, spell_numbers, vocabularies
from hub.settings.intent_script import GIVEN, IntentScript, render, variables_of
from hub.types import Command, MqttMessage, Understanding, Value

if TYPE_CHECKING:
    from hub.config import Config

log = logging.getLogger(__name__)

DEFAULT_FOLDER = "custom_sentences"
"""Beside config.yaml, as Home Assistant's ``config/custom_sentences``."""


class ScriptFailed(Exception):
    """A custom intent's templates gave something the hub cannot do (an unknown device...)."""


@dataclass
class CustomSentences:
    """The custom sentences of one home and what their intents do. Build with :func:`load_sentences`."""

    sentences: SentenceSet
    scripts: dict[str, IntentScript]
    lists: dict[str, SlotList]
    """The built-in ``name`` and ``area`` lists of this home."""
    devices: dict[str, str]
    """Device id, and each normalised name and alias -> device id."""
    language: str

    @property
    def intent_names(self) -> list[str]:
        return sorted(self.sentences.intents.intents)

    def __bool__(self) -> bool:
        return bool(self.sentences.intents.intents)

    def vocabulary(self) -> list[str]:
        """The words of the sentence files' own text lists, each value once as first written
        (``(coffee|espresso)`` gives "coffee"): for the speech recogniser's prompt."""
        intents = self.sentences.intents
        lists = [*intents.slot_lists.values(), *(sl for i in intents.intents.values() for d in i.data
                                                 for sl in d.slot_lists.values())]
        out: list[str] = []
        for sl in lists:
            if isinstance(sl, TextSlotList):
                for v in sl.values:
                    said = next(iter(sample_expression(v.text_in)), "").strip()
                    if said and said not in out:
                        out.append(said)
        return out

    def recognize(self, text: str, area: str | None = None, failed_reply: str = "") -> Understanding | None:
        """The custom intent whose sentence matches all of ``text`` (hassil's best match: fewest
        wildcards, most literal words), or None. ``area``: the speaker's area id, the ``area``
        context of ``requires_context``. A match whose templates fail (a device that is not in
        this home, a sandbox violation) gives no commands and ``failed_reply``; the reason is logged.
        Never raises for text."""
        if not self:
            return None
        context = {"area": area} if area else None
        result = recognize_best(text, self.sentences.intents, slot_lists=self.lists, intent_context=context,
                                language=self.language)
        if result is None and (spelled := spell_numbers(text, self.language)) != text:
            # "a 20 ounce mocha" as the recogniser writes it, "twenty ounce" as the list holds it
            result = recognize_best(spelled, self.sentences.intents, slot_lists=self.lists, intent_context=context,
                                    language=self.language)
        if result is None:
            return None
        name = result.intent.name
        slots = {e.name: _slot_value(e) for e in result.entities_list}
        # a wildcard can always take more words: the speaker may not have finished
        complete = not any(e.is_wildcard for e in result.entities_list)
        variables = {**slots, "slots": slots, "text": text, "area": area}
        try:
            commands, messages, response = self._run(name, result.response, variables)
        except Exception as e:  # any template failure is the user's file, not the hub's: say so, go on
            log.error("custom intent %s (%s): %s", name, self.sentences.intent_where.get(name, "?"), e)
            return Understanding(text, name, (), 1.0, failed_reply, area, complete=complete, slots=slots)
        return Understanding(text, name, commands, 1.0, response, area, complete=complete, slots=slots,
                             messages=messages)

    @cached_property
    def _vocabulary(self) -> list[IntentVocabulary]:
        return vocabularies(self.sentences.intents)

    def list_values(self) -> frozenset[str]:
        """Every way of saying a value of the sentence files' text lists, lower-case words joined by
        spaces: what the home's own sentences are about ("iced coffee", "brown sugar")."""
        return frozenset(" ".join(p) for v in self._vocabulary for phrases in v.lists.values() for p in phrases)

    def nearly(self, text: str) -> str | None:
        """The custom intent ``text`` nearly says though no sentence matches it
        (:mod:`hub.sentences.nearmiss`), or None."""
        return nearly_said(text, self._vocabulary, self.language) if self else None

    def _run(self, name: str, response_key: str | None, variables: dict[str, Any]
             ) -> tuple[tuple[Command, ...], tuple[MqttMessage, ...], str]:
        script = self.scripts.get(name)
        commands: list[Command] = []
        messages: list[MqttMessage] = []
        for step in script.action if script else ():
            if step.mqtt is not None:
                m = step.mqtt
                topic = render(m.topic, variables)
                if not topic or any(c in topic for c in "#+\0"):
                    raise ScriptFailed(f"topic {topic!r} (from {m.topic!r}) is not one a message can be published to")
                messages.append(MqttMessage(topic, m.payload_bytes(variables), m.qos, m.retain))
            else:
                c = step.command
                said = render(c.device, variables)
                device = self.devices.get(said) or self.devices.get(_norm(said))
                if device is None:
                    raise ScriptFailed(f"device {said!r} (from {c.device!r}) is not a device of this home")
                value = render(c.value, variables) if isinstance(c.value, str) else c.value
                commands.append(Command(device, c.action, _number(value)))
        if script is not None and script.speech is not None:
            template = script.speech.text
        else:
            known = self.sentences.responses.get(name, {})
            template = known.get(response_key or "default") or known.get("default", "")
        return tuple(commands), tuple(messages), render(template, variables).strip() if template else ""


def _norm(text: str) -> str:
    from hub.config import normalize_name

    return normalize_name(text)


def _number(value: Value) -> Value:
    """A rendered value as the router takes it: a number when it reads as one, None when empty."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    try:
        f = float(text)
    except ValueError:
        return text
    return int(f) if f.is_integer() else f


def _slot_value(entity) -> Value:
    """A slot's value: the list's ``out`` (numbers as ints when whole), else the words as said."""
    v = entity.value
    if entity.is_wildcard or v is None:
        return entity.text_clean
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v if isinstance(v, (int, float, str)) else str(v)


def folder_for(cfg_value: str | None, base_dir: Path) -> tuple[Path, bool]:
    """(the custom sentences folder, whether config.yaml named it)."""
    if cfg_value is None:
        return base_dir / DEFAULT_FOLDER, False
    p = Path(cfg_value).expanduser()
    return (p if p.is_absolute() else base_dir / p), True


def load_sentences(cfg: Config, base_dir: Path) -> tuple[CustomSentences, list[str], list[tuple[tuple, str]]]:
    """Read ``<folder>/<hub.language>/*.yaml`` and check ``intent_script:`` against it.

    Returns (the custom sentences, problems in the sentence files as ``file:line path: message``,
    problems of config.yaml as ``(path in config.yaml, message)``). Checked: YAML and schema of
    every file, every template parses, every list and expansion rule named exists, every
    intent_script names an intent some sentence defines, every variable its templates use is a
    slot one of the intent's sentences can fill, every ``command`` step names a device of this
    home (unless a template chooses it) and an action of the catalog that device type has.
    """
    folder, named = folder_for(cfg.custom_sentences, base_dir)
    cfg_problems: list[tuple[tuple, str]] = []
    if named and not folder.is_dir():
        cfg_problems.append((("custom_sentences",), f"folder {str(folder)!r} does not exist"))
    lang = cfg.hub.language
    sentences, file_problems = read_folder(folder, lang)
    devices = {d.id: d.id for d in cfg.devices}
    for d in cfg.devices:
        for n in (d.name, *d.aliases):
            devices.setdefault(_norm(n), d.id)
    given = builtin_lists([(d.id, [d.name, *d.aliases]) for d in cfg.devices],
                          [(a.id, [a.name, *a.aliases]) for a in cfg.areas])
    # a file's own list of the same name wins, as a user's list does in Home Assistant
    lists = {k: v for k, v in given.items() if k not in sentences.intents.slot_lists}
    custom = CustomSentences(sentences, dict(cfg.intent_script), lists, devices, lang)
    if not file_problems:
        cfg_problems += _check_scripts(cfg, custom, folder / lang)
    return custom, file_problems, cfg_problems


def _check_scripts(cfg: Config, custom: CustomSentences, where: Path) -> list[tuple[tuple, str]]:
    from hub.devices.catalog import default_catalog

    catalog = default_catalog()
    actions = {a for t in catalog.types.values() for a in t.commands}
    out: list[tuple[tuple, str]] = []
    for name, script in custom.scripts.items():
        base = ("intent_script", name)
        if name not in custom.sentences.slots:
            out.append((base, f"no custom sentence defines intent {name!r} (in {where}/*.yaml; "
                              f"defined: {', '.join(custom.intent_names) or 'none'})"))
            continue
        slots = custom.sentences.slots[name]
        for path, template in script.templates().items():
            for var in sorted(variables_of(template) - GIVEN - slots):
                out.append((base + path, f"slot {var!r} is never captured by a sentence of {name} "
                                         f"(its slots: {', '.join(sorted(slots)) or 'none'})"))
        for i, step in enumerate(script.action):
            c = step.command
            if c is None:
                continue
            loc = base + ("action", i, "command")
            if c.action not in actions:
                out.append((loc + ("action",), f"unknown action {c.action!r} (see `hub commands`)"))
                continue
            if "{" in c.device:
                continue
            device = cfg.device_by_id.get(custom.devices.get(c.device) or custom.devices.get(_norm(c.device), ""))
            if device is None:
                out.append((loc + ("device",), f"unknown device {c.device!r} (a device id or name of this config)"))
            elif catalog.get(device.type, c.action) is None:
                out.append((loc + ("action",), f"a {device.type} has no action {c.action!r}"))
    return out
