"""Issue 9's kinds on the Willow home (tests/nlu_cases/willow_home.yaml, which training never saw):
time phrases, group questions, colour temperature, relative amounts, numbers, implied devices,
type words, refusals and ambiguity questions."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.config_load import load_config
from hub.nlu import load_parser
from hub.nlu.language import load_language
from hub.nlu.normalize import normalize
from hub.nlu.times import time_phrase

HOME = Path(__file__).parent / "nlu_cases" / "willow_home.yaml"


@pytest.fixture(scope="module")
def parser():
    return load_parser(load_config(HOME))


def _cmds(u) -> list[tuple]:
    return [(c.device, c.action, c.value) for c in u.commands]


@pytest.mark.parametrize("text", [
    "turn off the lights in ten minutes", "turn on the pendant for 10 minutes", "set the bedroom blind to open at 7 am",
    "turn on the hall light until eight", "open the lounge curtains every morning", "switch the television off in half an hour",
    "turn on the desk lamp at half past six", "in 5 minutes turn off the kettle", "dim the pendant to 20 percent for an hour",
    "Turn on the hall light at 7 a.m.",
])
def test_a_time_phrase_is_never_a_value_the_command_carries_it_or_is_refused_with_why(parser, text):
    u = parser.parse(text, "lounge")
    assert u.intent is not None
    timed = (*u.commands, *u.scheduled)
    assert all(c.when is not None and c.action in ("turn_on", "turn_off", "open") for c in timed)
    assert all(c.when.later for c in u.scheduled) and not any(c.when.later for c in u.commands)
    # "every morning" is no time the hub keeps; "dim ... for an hour" has no undo
    assert timed or "did nothing" in u.response


@pytest.mark.parametrize("text", ["set the pendant to 10 percent", "put the pendant at 40", "turn on the lights in the study",
                                  "turn up the volume by 20 percent"])
def test_numbers_and_places_are_not_time_phrases(text):
    lang = load_language()
    assert time_phrase(normalize(text, lang), lang) is None


@pytest.mark.parametrize("text,area,devices", [
    ("which lights are on", "lounge", {"kitchen_ceiling", "pendant", "lounge_ceiling", "bed_lamp", "bedside", "desk_lamp",
                                       "garage_light", "hall_light"}),
    ("how many windows are open upstairs", "lounge", {"bed_window", "study_window"}),
    ("are any doors unlocked", "lounge", {"front_door", "back_door"}),
    ("is everything off in the garage", "lounge", {"garage_light", "freezer"}),
    ("is anything on in here", "study", {"desk_lamp", "study_plug", "speaker"}),
])
def test_a_group_question_queries_every_matching_device(parser, text, area, devices):
    u = parser.parse(text, area)
    assert {c.device for c in u.commands} == devices and {c.action for c in u.commands} == {"query"}
    assert u.question is not None


def test_a_group_answer_counts_and_names_from_the_state_store(parser):
    from hub.devices.catalog import Catalog
    from hub.devices.router import Router
    from hub.devices.state import StateStore
    from hub.execute import Executor

    cfg = parser.cfg
    state = StateStore(cfg)
    for topic in ("w/d", "w/x"):
        state.handle(f"{topic}/state", b'{"state": "ON"}')
    for topic in ("w/a", "w/e", "w/j", "w/k", "w/o"):
        state.handle(f"{topic}/state", b'{"state": "OFF"}')
    ex = Executor(cfg, Router(cfg, Catalog.load()), None, state)
    out = ex.execute(parser.parse("which lights are on", "lounge"))
    assert out.reply == "The pendant and the hall light are on. I haven't heard from the garage light yet."
    out = ex.execute(parser.parse("how many lights are on in the bedroom", "lounge"))
    assert out.reply == "None of them is on."
    state.handle("w/v/state", b'{"state": "UNLOCKED"}')
    state.handle("w/w/state", b'{"state": "LOCKED"}')
    out = ex.execute(parser.parse("are any doors unlocked", "lounge"))
    assert out.reply == "The front door is unlocked."


@pytest.mark.parametrize("text,want", [
    ("set the pendant to 2700 kelvin", [("pendant", "set_color_temp", 2700)]),
    ("make the bedside lamp warm white", [("bedside", "set_color_temp", 2700)]),
    ("make the pendant candle light", [("pendant", "set_color_temp", 2000)]),
    ("make the bedside lamp warmer", [("bedside", "color_temp_down", None)]),
    ("make the kitchen ceiling light cooler", [("kitchen_ceiling", "color_temp_up", None)]),
    ("make it warmer in here", [("thermostat", "temperature_up", None)]),
    ("raise the television volume by 20 percent", [("telly", "volume_up", 20)]),
    ("turn the heat up two degrees", [("thermostat", "temperature_up", 2)]),
    ("turn the thermostat down a couple of degrees", [("thermostat", "temperature_down", 2)]),
    ("turn the television up a lot", [("telly", "volume_up", 30)]),
    ("dim the pendant a little", [("pendant", "brightness_down", None)]),
    ("set the pendant to maximum", [("pendant", "set_brightness", 100)]),
    ("set the thermostat to nineteen and a half", [("thermostat", "set_temperature", 19.5)]),
    ("set the pendant to seventy five percent", [("pendant", "set_brightness", 75)]),
    ("set the television volume to a hundred", [("telly", "set_volume", 100)]),
])
def test_colour_temperature_relative_amounts_and_numbers(parser, text, want):
    assert _cmds(parser.parse(text, "lounge")) == want


def test_a_value_word_never_picks_another_device_by_name(parser):
    # the thermostat is aliased "heating": "heat" is the mode asked of the radiator
    assert _cmds(parser.parse("set the bedroom radiator to heat", "lounge")) == [("radiator", "set_hvac_mode", "heat")]


@pytest.mark.parametrize("text,area,want", [
    ("brew me an espresso", "kitchen", [("coffee", "turn_on", None)]),
    ("make me a coffee", "lounge", [("coffee", "turn_on", None)]),
    ("could I get a hot drink going", "lounge", [("kettle", "turn_on", None)]),
    ("turn off the coffee", "lounge", [("coffee", "turn_off", None)]),
    ("give the lawn a drink", "lounge", [("sprinkler", "open", None)]),
    ("do the hoovering in the study", "lounge", [("robo", "clean_room", "study")]),
    ("do the hoovering", "lounge", [("robo", "start", None)]),
    ("hey google turn on the desk lamp", "lounge", [("desk_lamp", "turn_on", None)]),
    ("alexa, would you kindly switch off the hall light", "lounge", [("hall_light", "turn_off", None)]),
    ("good morning, I'd like you to open the lounge curtains", "lounge", [("curtains", "open", None)]),
    ("turn off the plug", "study", [("study_plug", "turn_off", None)]),
    ("turn off the plug", "lounge", []),
    ("switch off the socket in the kitchen", "lounge", [("kettle", "turn_off", None)]),
    ("turn on the overhead light", "lounge", [("lounge_ceiling", "turn_on", None)]),
    ("turn on the main light", "kitchen", [("kitchen_ceiling", "turn_on", None)]),
    ("turn off the room lights", "bedroom", [("bed_lamp", "turn_off", None), ("bedside", "turn_off", None)]),
    ("turn off everything in here", "study", [("desk_lamp", "turn_off", None), ("study_plug", "turn_off", None),
                                               ("speaker", "turn_off", None)]),
])
def test_implied_devices_type_words_and_words_before_the_command(parser, text, area, want):
    assert sorted(_cmds(parser.parse(text, area)), key=str) == sorted(want, key=str)


def test_a_coffee_is_never_another_switch():
    """A home with no coffee maker: "make me a coffee" is not its only switch."""
    from hub.config_load import parse_config

    home = """
hub: {name: Flat, area: den}
areas: [{id: den, name: Den}]
devices:
  - {id: dehum, name: Dehumidifier, area: den, type: switch, protocol: generic, topic: f/d}
"""
    u = load_parser(parse_config(home, "flat.yaml")).parse("make me a coffee", "den")
    assert u.commands == ()


def test_whole_house(parser):
    lights = {"kitchen_ceiling", "pendant", "lounge_ceiling", "bed_lamp", "bedside", "desk_lamp", "garage_light", "hall_light"}
    for text in ("turn on the lights in the whole house", "turn off the lights everywhere"):
        assert {c.device for c in parser.parse(text, "study").commands} == lights


def test_an_action_a_device_cannot_do_is_refused_never_swapped(parser):
    for text in ("turn the movie time scene off", "turn off the movie time"):
        u = parser.parse(text, "lounge")
        assert u.commands == () and u.response == "The movie time can't be turned off."


@pytest.mark.parametrize("answer,want", [
    ("the bedside one", [("bedside", "turn_on", None)]),
    ("I mean the bedroom lamp please", [("bed_lamp", "turn_on", None)]),
    ("both", [("bed_lamp", "turn_on", None), ("bedside", "turn_on", None)]),
    ("the last one", [("bedside", "turn_on", None)]),
    ("never mind", []),
])
def test_ambiguity_asks_and_the_answer_resolves_it(parser, answer, want):
    u = parser.parse("turn on the lamp", "bedroom")
    assert u.commands == () and u.response == "Which one: the bedroom lamp or the bedside lamp?"
    assert u.choice is not None and u.choice.candidates == ("bed_lamp", "bedside")
    assert _cmds(parser.parse(answer, "bedroom", pending=u.choice)) == want


def test_an_answer_that_fits_neither_asks_again_and_a_new_command_is_read(parser):
    u = parser.parse("turn on the lamp", "bedroom")
    again = parser.parse("the kitchen one", "bedroom", pending=u.choice)
    assert again.commands == () and again.choice == u.choice
    assert _cmds(parser.parse("turn off the hall light", "bedroom", pending=u.choice)) == [("hall_light", "turn_off", None)]


def test_a_lamp_alone_in_its_room_needs_no_question(parser):
    assert _cmds(parser.parse("turn on the lamp", "study")) == [("desk_lamp", "turn_on", None)]
