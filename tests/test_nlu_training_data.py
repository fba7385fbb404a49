"""Training data of the intent model: Home Assistant's templates, paraphrases, time phrases, slips."""

import collections

import pytest

from hub.nlu.generate import NONE_INTENT, TAGS, Generator, generate, intent_labels

pytest.importorskip("hassil")
pytest.importorskip("home_assistant_intents")

from hub.nlu.hass_data import HassSampler, hass_examples  # noqa: E402


def _check(examples):
    labels = set(intent_labels())
    for e in examples:
        assert e.intent in labels, e
        assert len(e.words) == len(e.tags) and e.words, e
        assert set(e.tags) <= set(TAGS), e
        for prev, tag in zip(("O",) + e.tags, e.tags):
            if tag.startswith("I-"):
                assert prev[2:] == tag[2:], e  # an inside tag continues a slot of its own label


def test_hass_examples_are_tagged_clauses_of_our_intents():
    g = Generator(7, set())
    ex = hass_examples(g, 400, 100)
    _check(ex)
    counts = collections.Counter(e.intent for e in ex)
    assert counts[NONE_INTENT] >= 100  # timers, weather, lists... are not our commands
    assert len(counts) >= 15  # many of our intents are reached


def test_hass_lock_and_cover_intents_map_by_domain():
    s = HassSampler(Generator(3, set()))
    seen = collections.defaultdict(set)
    for _ in range(3000):
        e = s.example(True)
        if e:
            seen[e.intent].add(" ".join(e.words))
    # HassTurnOff on a lock is an unlock, on a cover a close: never a turn_off of them.
    assert any(w.startswith("unlock") for w in seen["unlock"])
    assert not any(w.startswith("unlock") for w in seen["turn_off"])
    assert any("close" in w or "shut" in w or "lower" in w for w in seen["close"])


def test_hass_numbers_are_values_and_names_are_tagged():
    s = HassSampler(Generator(5, set()))
    vals = names = 0
    for _ in range(1500):
        e = s.example(True)
        if e and e.intent in ("set_brightness", "set_position", "set_volume", "set_temperature"):
            vals += any(t == "B-VAL" and w.replace(".", "").isdigit() for w, t in zip(e.words, e.tags))
            names += any(t in ("B-DEV", "B-AREA") for t in e.tags)
    assert vals > 50 and names > 50


def _spans(e):
    out, cur = [], []
    for w, t in zip(e.words, e.tags):
        if t.startswith("B-") or t == "O":
            if cur:
                out.append(" ".join(cur))
            cur = [w] if t.startswith("B-") else []
        else:
            cur.append(w)
    return out + ([" ".join(cur)] if cur else [])


def test_held_out_names_never_appear_in_training_clauses():
    held = {"snug", "sitting room", "kitchen"}
    for e in hass_examples(Generator(11, held), 600, 50) + generate(11, 20, held, 50):
        assert not held & set(_spans(e)), e


def test_time_phrases_and_words_around_a_command_are_phrasing():
    ex = generate(13, 60, set(), 50)
    _check(ex)
    timed = [e for e in ex if "minutes" in e.words or "oclock" in e.words or "every" in e.words]
    assert timed, "some examples carry a time phrase"
    for e in timed:
        for w, t in zip(e.words, e.tags):
            if w in ("minutes", "oclock"):
                assert t == "O"
    # a number right before "minutes" is time, never the command's value
    for e in timed:
        for i, w in enumerate(e.words[:-1]):
            if e.words[i + 1] == "minutes" and w.isdigit():
                assert e.tags[i] == "O", e


def test_generation_is_deterministic():
    a = generate(21, 5, set(), 5) + hass_examples(Generator(21, set()), 50, 10)
    b = generate(21, 5, set(), 5) + hass_examples(Generator(21, set()), 50, 10)
    assert a == b


def test_named_whites_agree_with_the_catalog():
    """The catalog (devices/colors.yaml) owns the kelvin of a named white; the language's words for
    whites (lexicon color_temps) may add synonyms but never another kelvin for the same name."""
    from pathlib import Path

    import yaml

    from hub.nlu.normalize import load_lexicon

    whites = yaml.safe_load((Path(__file__).parent.parent / "devices" / "colors.yaml").read_text())["whites"]
    words = load_lexicon().raw["color_temps"]
    for name, spec in whites.items():
        if name in words:
            assert words[name] == spec["kelvin"], name
