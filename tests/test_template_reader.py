"""The template reader (hub/nlu/template_reader.py): the parser with no model, on real homes and data."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from hub.config import normalize_name
from hub.errors import CommandRefused
from hub.config_load import load_config
from hub.devices.catalog import default_catalog
from hub.nlu.actions import Actions, Slots
from hub.nlu.generate import NONE_INTENT, TAGS, generate
from hub.nlu.language import load_language
from hub.nlu.model import IntentModel
from hub.nlu.parser import Parser
from nlu_sets import FLOORS, HOMES
from hub.nlu.template_bench import compare
from hub.nlu.template_reader import TemplateReader

REPO = Path(__file__).parent.parent
OPPOSITE = {"lock": "unlock", "unlock": "lock", "open": "close", "close": "open", "turn_on": "turn_off",
            "turn_off": "turn_on", "disarm": "arm_away", "arm_away": "disarm", "arm_home": "disarm",
            "arm_night": "disarm", "mute": "unmute", "unmute": "mute"}


@pytest.fixture(scope="module")
def reader() -> TemplateReader:
    return TemplateReader()


@pytest.fixture(scope="module")
def model() -> IntentModel:
    return IntentModel()


@pytest.fixture(scope="module")
def examples():
    return generate(seed=11, per_intent=30, held_out=set(), none_count=60, augment=False)


def _cases(home: str) -> list[dict]:
    return [json.loads(x) for x in HOMES[home][1].read_text().splitlines() if x.strip()]


def _cmds(u) -> set[tuple]:
    return {(c.device, c.action, None if c.value is None else round(float(c.value), 1)
             if isinstance(c.value, (int, float)) else c.value) for c in u.commands}


def test_every_template_is_compiled_without_onnxruntime(reader):
    lang = load_language()
    n = sum(len(spec.templates) for specs in (lang.intents, lang.extras) for spec in specs.values())
    assert len(reader.templates) == n
    assert reader.version == "templates" and reader.dir == REPO / "intents" / "en"
    code = ("import sys; from hub.config_load import load_config; from hub.nlu.parser import Parser; "
            "from hub.nlu.template_reader import TemplateReader; "
            "p = Parser(load_config('config.yaml'), TemplateReader()); p.parse('turn on the floor lamp', None); "
            "print(sorted(m for m in ('onnxruntime', 'tokenizers', 'torch') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_reading_has_the_model_contract(reader, model):
    words = "turn off the [DEV] in the [AREA]".split()
    got, ref = reader.read(words), model.read(words)
    assert len(got.tags) == len(words) and set(got.tags) <= set(TAGS)
    assert {i for i, _ in got.ranked} == {i for i, _ in ref.ranked}
    assert got.intent == ref.intent == "turn_off"
    assert got.tags == ref.tags
    assert abs(sum(p for _, p in got.ranked) - 1.0) < 1e-6
    nothing = reader.read("tell me a joke".split())
    assert nothing.intent == NONE_INTENT and nothing.tags == ("O",) * 4


def test_generated_clauses_read_as_their_intent_with_the_models_tags(reader, examples):
    right = tags_right = words_right = words = 0
    for e in examples:
        r = reader.read(list(e.words))
        top = {i for i, p in r.ranked if p >= r.ranked[0][1] - 1e-9}
        right += e.intent in top
        # Opposite actions never swap, even on noisy or unmatched clauses.
        assert OPPOSITE.get(e.intent) not in top or e.intent in top, (e.words, e.intent, r.intent)
        tags_right += r.tags == e.tags
        words += len(e.words)
        words_right += sum(a[2:] == b[2:] for a, b in zip(r.tags, e.tags))
    assert right / len(examples) > 0.95
    assert words_right / words > 0.9
    assert tags_right / len(examples) > 0.75


@pytest.mark.parametrize("home", sorted(set(HOMES) - set(FLOORS)))
def test_held_out_cases_no_wrong_action(home, reader):
    """The low-power reader on the sets fixed against (the blind sets' phrasing is beyond a
    closed grammar: the low-power issue's work)."""
    cfg = load_config(HOMES[home][0])
    (ours,) = compare(_cases(home), cfg, {"templates": reader})
    assert ours["wrong_actions"] == 0 and ours["unsafe_actions"] == 0
    assert ours["accuracy"] > 0.93


SAFETY = [
    ("unlock the front door", {("front_door", "unlock", None)}),
    ("lock the front door", {("front_door", "lock", None)}),
    ("um unlock the front door", {("front_door", "unlock", None)}),
    ("unbolt the front door", {("front_door", "unlock", None)}),
    ("unlock the frnt door", {("front_door", "unlock", None)}),
    ("lock the bak door", {("back_door", "lock", None)}),
    ("the front door lock", {("front_door", "lock", None)}),
    ("the front door unlock", {("front_door", "unlock", None)}),
    ("don't unlock the front door", set()),
    ("do not lock the back door", set()),
    ("unlock", set()),
    ("open the garage door", {("garage_door", "open", None)}),
    ("close the garage door", {("garage_door", "close", None)}),
    ("open the garaje door", {("garage_door", "open", None)}),
    ("shut the garage door", {("garage_door", "close", None)}),
    ("open it", set()),
    ("arm the alarm", {("alarm", "arm_away", None)}),
    ("disarm the alarm", {("alarm", "disarm", None)}),
    ("arm the alarm in night mode", {("alarm", "arm_night", None)}),
    ("turn on the tv", {("tv", "turn_on", None)}),
    ("turn off the tv", {("tv", "turn_off", None)}),
    ("turn the tv off", {("tv", "turn_off", None)}),
    ("do not turn on the tv", set()),
    ("mute the tv", {("tv", "mute", None)}),
    # "warm white" is one colour temperature, never a name ending in "warm" and the colour white.
    ("make the bedside lamp warm white", set()),
    ("the bedside lamp warm white", set()),
    ("make the floor lamp warm white", {("floor_lamp", "set_color_temp", 2700.0)}),
    ("unmute the tv", {("tv", "unmute", None)}),
]


@pytest.mark.parametrize(("text", "want"), SAFETY)
def test_opposite_actions_never_swap_nor_values_split(text, want, reader):
    cfg = load_config(REPO / "config.yaml")
    got = _cmds(Parser(cfg, reader).parse(text, cfg.hub.area))
    assert got == want


# ------------------------------------------------------------------ the grammar ASR's sentences
def _expand(expansion: str, rules: dict[str, list[str]]):
    """JSGF expansion -> every (words, [(rule, filler)]) it can say."""
    tokens = re.findall(r"<[\w.]+>|[()\[\]|]|[^\s()\[\]|<>]+", expansion)

    def seq(i):
        parts = []
        while i < len(tokens) and tokens[i] not in ")]|":
            t = tokens[i]
            if t in "([":
                close = ")" if t == "(" else "]"
                opts = []
                i += 1
                while True:
                    s, i = seq(i)
                    opts.append(s)
                    if tokens[i] == close:
                        i += 1
                        break
                    i += 1
                if close == "]":
                    opts.append([([], [])])
                parts.append([x for o in opts for x in o])
                continue
            if t.startswith("<"):
                parts.append([(f.split(), [(t[1:-1], f)]) for f in rules[t[1:-1]]])
            else:
                parts.append([([t], [])])
            i += 1
        out = [(sum((w for w, _ in combo), []), sum((f for _, f in combo), [])) for combo in itertools.product(*parts)]
        return out, i

    return seq(0)[0]


def _grammar_sentences(cfg):
    """Every sentence form of hub/asr/grammar.py filled with this home's names -> (text, device ids
    of the name said or None, fillers)."""
    grammar = pytest.importorskip("hub.asr.grammar", reason="hub/asr/grammar.py (the power work) not merged")
    rules: dict[str, list[str]] = {}
    owners: dict[tuple[str, str], list[str]] = {}
    for rule, (types, feats) in grammar.NAME_RULES.items():
        for d in cfg.devices:
            if d.type in types and (not feats or any(d.has(f) for f in feats)):
                for n in (d.name, *d.aliases):
                    s = normalize_name(n)
                    rules.setdefault(rule, [])
                    if s not in rules[rule]:
                        rules[rule].append(s)
                    owners.setdefault((rule, s), []).append(d.id)
    rules["area"] = sorted({normalize_name(n) for a in cfg.areas for n in (a.name, *a.aliases)})
    heated = {d.area for d in cfg.devices if d.has("target_temperature")}
    rules["heat_area"] = sorted({normalize_name(n) for a in cfg.areas if a.id in heated for n in (a.name, *a.aliases)})
    rules["number"] = ["twenty"]
    rules["colour"] = ["red", "blue"]
    out = []
    for form in grammar.SENTENCES:
        if not all(r[1:-1] in rules for r in re.findall(r"<[\w.]+>", form)):
            continue
        for words, fills in _expand(form, rules):
            ids = next((owners[f] for f in fills if f in owners), None)
            out.append((form, " ".join(words), ids, fills))
    return out


def _expected(form: str, words: list[str], device) -> set[tuple]:
    """The command a grammar sentence naming ``device`` asks for: its intent and values, turned
    into a command by hub/nlu/actions.py (so "turn on" a vacuum is ``start``)."""
    w = set(words)
    slots = Slots(number=20.0 if "twenty" in w else None)
    if "halfway" in w:
        intent, slots = "set_position", Slots(number=50.0)
    elif words[0] in ("turn", "switch") and ("on" in w or "off" in w):
        intent = "turn_on" if "on" in w else "turn_off"
    else:
        table = [
            ("<light_level> [brightness] to", "set_brightness"), ("(dim | brighten)", None),
            ("<light_colour>", "set_color"), ("<light_white>", "set_color_temp"), ("<cover_pos>", "set_position"),
            ("<cover_stop>", "stop"), ("is [the] <lock>", "query"), ("<heat>", "set_temperature"),
            ("<fan_speed>", "set_fan_speed"), ("<humidity>", "set_level"), ("volume to", "set_volume"),
            ("<scene>", "activate"), ("<vacuum_home>", "dock"), ("<sensor>", "query"),
        ]
        intent = next((a for key, a in table if key in form), "?")
        if intent is None:
            intent = "brightness_down" if words[0] == "dim" else "brightness_up"
        elif intent == "set_color":
            slots = Slots(color=next(x for x in words if x in ("red", "blue")))
        elif intent == "set_color_temp":
            slots = Slots(kelvin=2700 if "warm" in w else 4000)
        elif intent == "?":
            first = words[0]
            intent = {"resume": "play", "stop": "stop" if "<vacuum>" in form else "pause"}.get(first, first)
            if first == "arm":
                intent = next((f"arm_{m}" for m in ("home", "night") if m in w), "arm_away")
            if first in ("turn", "bring"):
                # the up/down family: on a light brightness, on heating the temperature (commands.yaml)
                intent = "volume_up" if "up" in w else "volume_down"
            if first == "make":
                intent = "brightness_up" if "brighter" in w else "brightness_down"
    try:
        c = Actions(load_language(), default_catalog()).command(intent, device, slots)
    except CommandRefused:
        return set()  # "set the water heater to twenty degrees": a value it cannot take, refused
    return {(c.device, c.action, None if c.value is None else round(float(c.value), 1)
             if isinstance(c.value, (int, float)) else c.value)}


def test_every_grammar_sentence_parses_to_its_command(reader):
    """Each sentence form of the closed-grammar ASR (hub/asr/grammar.py SENTENCES), filled with
    every name of config.yaml that the form takes, gives the command it says; forms without a
    device name give what the trained model's parser gives."""
    cfg = load_config(REPO / "config.yaml")
    ours = Parser(cfg, reader)
    ref = None
    wrong = []
    forms = set()
    for form, text, ids, fills in _grammar_sentences(cfg):
        forms.add(form)
        got = _cmds(ours.parse(text, cfg.hub.area))
        if ids is not None and len(ids) == 1:
            want = _expected(form, text.split(), cfg.device_by_id[ids[0]])
        else:
            ref = ref or Parser(cfg, IntentModel())
            want = _cmds(ref.parse(text, cfg.hub.area))
        if got != want:
            wrong.append((text, sorted(want), sorted(got)))
    assert forms
    assert not wrong, wrong[:40]
