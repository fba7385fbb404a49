"""An utterance that nearly says a custom intent (a recogniser's slip in a list value, a word the
templates lack) is not acted on as another, built-in command (hub.sentences.nearmiss); digits
are read as the words a list holds. Homes: tests/asr_cases/barista (the speech-to-intent
benchmark's grammar) and tests/sentences_home (Home Assistant's documentation examples)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.config_load import load_config
from hub.nlu import load_parser
from hub.sentences.nearmiss import spell_numbers, words_of

ROOT = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def barista():
    return load_parser(load_config(ROOT / "asr_cases" / "barista" / "config.yaml"))


@pytest.fixture(scope="module")
def kitchen():
    return load_parser(load_config(ROOT / "sentences_home" / "config.yaml"))


def _acts(u) -> list:
    return [c.to_json() for c in (*u.commands, *u.scheduled)]


@pytest.mark.parametrize("text", [
    "Make me a light roast, eight ounce, ice mocha.",          # "ice" for "iced"
    "Brew a single shot light roasted drip coffee with brown sugar and some whole milk.",
    "Gonna have a single shot iced mocha with cream.",         # a lead the grammar lacks
    "Brew and iced coffee.",
])
def test_an_order_misheard_turns_nothing_on(barista, text):
    u = barista.parse(text, "kitchen")
    assert _acts(u) == [] and u.slots is None and u.intent is None


@pytest.mark.parametrize("text,want", [
    ("turn on the coffee maker", [{"device": "coffee_maker", "action": "turn_on"}]),
    ("switch the coffee machine off", [{"device": "coffee_maker", "action": "turn_off"}]),
])
def test_the_device_itself_is_still_commanded(barista, text, want):
    assert _acts(barista.parse(text, "kitchen")) == want


def test_digits_are_read_as_the_list_writes_them(barista):
    u = barista.parse("Can I get a 20 ounce mocha with a lot of skim milk?", "kitchen")
    assert (u.intent, u.slots) == ("orderDrink", {"size": "twenty ounce", "coffeeDrink": "mocha",
                                                  "milkAmount": "a lot of skim milk"})
    assert spell_numbers("a 12 ounce latte", "en") == "a twelve ounce latte"
    assert spell_numbers("no digits", "xx") == "no digits"
    assert words_of("I'd like a twenty-ounce, please!") == ["i'd", "like", "a", "twenty", "ounce", "please"]


@pytest.mark.parametrize("text", [
    "brew me a flat whites please",                          # a plural slip in the drink
    "get me a large espressos",
])
def test_another_homes_order_misheard_does_not_brew(kitchen, text):
    assert _acts(kitchen.parse(text, "kitchen")) == []


def test_other_homes_commands_are_untouched(kitchen):
    assert _acts(kitchen.parse("turn on the kitchen light", "kitchen")) == [{"device": "kitchen_light", "action": "turn_on"}]
    assert _acts(kitchen.parse("turn on the coffee machine", "kitchen")) == [{"device": "coffee_maker", "action": "turn_on"}]


@pytest.mark.parametrize("home,text", [
    ("barista", "Blue or dark roast coffee?"),                 # too garbled to be nearly the order
    ("kitchen", "i'd love an espresso right now"),             # "espresso" is a value of its drink list
])
def test_a_value_of_a_custom_list_implies_no_device(barista, kitchen, home, text):
    """implied.yaml's "a coffee is the coffee maker" yields to the home's own sentences about coffee."""
    assert _acts({"barista": barista, "kitchen": kitchen}[home].parse(text, "kitchen")) == []
