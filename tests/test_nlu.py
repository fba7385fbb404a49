"""Understanding (hub/nlu) with the real INT8 ONNX model on two homes training never saw."""

from __future__ import annotations

import collections
import json
import shutil
from pathlib import Path

import pytest

from hub.config_load import load_config
from hub.errors import HubError, ModelIntegrityError
from hub.nlu import load_parser
from hub.nlu.generate import generate, held_out_names
from hub.nlu.model import IntentModel, latest_model_dir
from hub.nlu.normalize import normalize
from hub.nlu.clauses import split_clauses
from hub.nlu.language import load_language
from hub.nlu.parser import Parser
from hub.nlu.templates import TemplateError, parse_template
from nlu_sets import FLOORS, HOMES

CASES = Path(__file__).parent / "nlu_cases"
UNSAFE = {"unlock", "open", "disarm"}


@pytest.fixture(scope="module")
def model() -> IntentModel:
    return IntentModel()


@pytest.fixture(scope="module")
def parsers(model) -> dict[str, Parser]:
    return {h: Parser(load_config(home), model) for h, (home, _cases) in HOMES.items()}


def _cases(home: str) -> list[dict]:
    return [json.loads(line) for line in HOMES[home][1].read_text().splitlines() if line.strip()]


def _key(c: dict) -> tuple:
    a, v = c["action"], c.get("value")
    if a == "mute":
        a, v = "set_volume", 0
    if isinstance(v, (int, float)):
        v = round(float(v), 1)
    return c["device"], a, v


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Um, could you set the den lamp to seventy %?", "set the den lamp to 70 percent"),
        ("turn of the lights please", "turn off the lights"),
        ("set it to twenty one degrees", "set it to 21 degrees"),
        ("nineteen point five", "19.5"),
        ("a hundred percent", "100 percent"),
        ("one hundred percent", "100 percent"),
        ("100%", "100 percent"),
        ("open it halfway", "open it 50 percent"),
        ("21°", "21 degrees"),
        ("full brightness", "100 percent brightness"),
        ("", ""),
    ],
)
def test_normalize(text, words):
    assert " ".join(normalize(text)) == words


def test_split_clauses_only_before_a_command_verb():
    lang = load_language()
    assert split_clauses("turn off the kitchen light and lock the back door".split(), lang) == [
        "turn off the kitchen light".split(), "lock the back door".split()]
    assert len(split_clauses("turn off the kitchen and dining room lights".split(), lang)) == 1


def test_template_errors_say_where():
    with pytest.raises(TemplateError, match="missing"):
        parse_template("turn (on|off {target}")


@pytest.mark.parametrize("home", sorted(HOMES))
def test_own_cases_accuracy_and_no_unsafe_actions(parsers, home):
    """Every kind of case is mostly right, and nothing unsafe is ever done that was not asked."""
    p = parsers[home]
    per = collections.defaultdict(lambda: [0, 0])
    unsafe = []
    for case in _cases(home):
        u = p.parse(case["text"], case.get("area") or p.cfg.hub.area)
        got = u.to_json()["commands"]
        ok = sorted(map(_key, got), key=str) == sorted(map(_key, case["commands"]), key=str)
        per[case["kind"]][0] += ok
        per[case["kind"]][1] += 1
        want = set(map(_key, case["commands"]))
        unsafe += [case["text"] for c in got if _key(c) not in want and c["action"] in UNSAFE]
    assert not unsafe
    total = sum(a for a, _ in per.values()) / sum(n for _, n in per.values())
    assert total >= FLOORS.get(home, 0.9), dict(per)
    if home in FLOORS:
        return  # a blind set: its kinds are measured by `hub bench nlu`, not fixed one by one
    for kind, (a, n) in per.items():
        assert a / n >= 0.7, (kind, a, n)


def test_refusals_say_why(parsers):
    p = parsers["a"]
    u = p.parse("make the island pendant red", None)
    assert not u.commands and "colour" in u.response
    u = p.parse("turn on the swimming pool", None)
    assert not u.commands and "swimming pool" in u.response
    u = p.parse("what's the capital of France", None)
    assert not u.commands and u.intent is None


def test_room_context_and_named_area_wins(parsers):
    p = parsers["b"]
    u = p.parse("turn off the lights", "garage")
    assert [c.device for c in u.commands] == ["garage_lights"]
    u = p.parse("turn off the lights in the basement", "garage")
    assert [c.device for c in u.commands] == ["basement_lights"]


def test_unknown_speaker_area_is_an_error(parsers):
    with pytest.raises(HubError, match="kitchn"):
        parsers["b"].parse("turn on the lights", "kitchn")


def test_response_names_what_was_done(parsers):
    u = parsers["a"].parse("turn off the sofa lamp and the downlights", None)
    assert u.response == "Turning off the sofa lamp and the living area downlights."


def test_confidence_threshold_refuses(model):
    cfg = load_config(CASES / "home_a.yaml")
    strict = Parser(cfg.model_copy(update={"hub": cfg.hub.model_copy(update={"options": cfg.hub.options.model_copy(update={"min_confidence": 1.0})})}), model)
    u = strict.parse("turn on the sofa lamp", None)
    assert not u.commands and u.confidence < 1.0


def test_load_parser_uses_the_committed_model():
    p = load_parser(load_config(CASES / "home_a.yaml"))
    assert p.parse("lock the entry door", None).commands[0].action == "lock"


def test_corrupt_model_is_refused(tmp_path):
    copy = tmp_path / "v"
    shutil.copytree(latest_model_dir(), copy)
    data = bytearray((copy / "model.onnx").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (copy / "model.onnx").write_bytes(bytes(data))
    with pytest.raises(ModelIntegrityError, match="model.onnx"):
        IntentModel(copy)
    (copy / "tokenizer.json").unlink()
    with pytest.raises(ModelIntegrityError):
        IntentModel(copy)


def test_training_data_holds_out_test_home_names():
    """Names of config.yaml and the test homes never appear as a whole name in training data."""
    held = held_out_names([home for home, _cases in HOMES.values()])
    for ex in generate(7, 30, held, 30):
        spans, cur = [], []
        # only names: a value phrase ("air conditioning", an HVAC mode) may be a test home's alias too
        tags = [t if t[2:] in ("DEV", "AREA", "TYPE", "SCENE") else "O" for t in ex.tags]
        for w, t in zip(ex.words, tags):
            if t.startswith("B-"):
                if cur:
                    spans.append(" ".join(cur))
                cur = [w]
            elif t.startswith("I-"):
                cur.append(w)
            else:
                if cur:
                    spans.append(" ".join(cur))
                cur = []
        if cur:
            spans.append(" ".join(cur))
        multi = [s for s in spans if " " in s]
        assert not (set(multi) & held), (ex.words, set(multi) & held)


def test_misheard_words_never_unlock_or_open(parsers):
    """A typo in any content word (as a recogniser or a person makes them) may cost a miss, never
    an unlock, open or disarm that was not asked for."""
    import random

    rng = random.Random(5)
    for home in sorted(HOMES):
        p = parsers[home]
        for case in _cases(home):
            words = case["text"].split()
            spots = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
            if not spots:
                continue
            i = rng.choice(spots)
            w = words[i]
            k = rng.randrange(1, len(w) - 1)
            words[i] = w[:k] + w[k + 1] + w[k] + w[k + 2:]
            u = p.parse(" ".join(words), case.get("area") or p.cfg.hub.area)
            want = set(map(_key, case["commands"]))
            assert not [c for c in u.commands if c.action in UNSAFE and _key(c.to_json()) not in want], words
