"""Phrasings where acting on part of what was said would do what the speaker did not ask for."""

from pathlib import Path

import pytest

from hub.config_load import load_config
from hub.nlu import load_parser

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def parse():
    parser = load_parser(load_config(ROOT / "config.yaml"))
    return lambda text, area="living_room": [(c.device, c.action) for c in parser.parse(text, area).commands]


@pytest.mark.parametrize("text", [
    "don't turn off the kitchen light",
    "please do not turn on the tv",
    "never open the garage door",
    "turn off all the lights except the hall light",
    "turn off the lights but keep the floor lamp on",
    "unlock the front door i mean the back door",
    "turn off the tv in the bedroom",
    "open the curtains in the living room",
])
def test_negations_corrections_and_exceptions_do_nothing(parse, text):
    """A repaired unlock ("... i mean the back door") is asked again, never done on a repair."""
    assert parse(text) == []


@pytest.mark.parametrize("text,want", [
    ("turn on the kitchen light, no wait, the hall light", [("hall_light", "turn_on")]),
    ("turn on the kitchen light no the hall light", [("hall_light", "turn_on")]),
    ("set the floor lamp to thirty sorry forty percent", [("floor_lamp", "set_brightness")]),
    ("open the living room blinds actually close them", [("living_blinds", "close")]),
    ("switch off the floor lamp oh no leave it", []),
])
def test_a_self_repair_is_read_as_the_speaker_put_it_right(parse, text, want):
    """hub/nlu/repair.py: "no the hall light" had turned the hall light off (the "no"), and "wait"
    refused the whole; the repair takes the place of the word it corrects."""
    assert parse(text) == want


@pytest.mark.parametrize("text,want", [
    ("turn the kitchen light off and the hall light on", [("kitchen_light", "turn_off"), ("hall_light", "turn_on")]),
    ("turn the hall light on and the kitchen light off", [("hall_light", "turn_on"), ("kitchen_light", "turn_off")]),
    ("kitchen light off, hall light on", [("kitchen_light", "turn_off"), ("hall_light", "turn_on")]),
    ("turn off the kitchen light and the hall light", [("kitchen_light", "turn_off"), ("hall_light", "turn_off")]),
    ("we dont need the lights anymore", [("living_ceiling", "turn_off"), ("floor_lamp", "turn_off")]),
])
def test_each_part_keeps_its_own_on_or_off(parse, text, want):
    assert parse(text) == want


def test_intent_is_what_was_done():
    parser = load_parser(load_config(ROOT / "config.yaml"))
    u = parser.parse("set the floor lamp to 40%", "living_room")
    assert u.intent == u.commands[0].action == "set_brightness"


def test_a_named_device_in_the_named_room_still_works(parse):
    assert parse("lock the back door in the kitchen") == [("back_door", "lock")]
    assert parse("turn on the lights in the kitchen and the hall light") == [
        ("hall_light", "turn_on"), ("kitchen_light", "turn_on"), ("kitchen_counter", "turn_on")]


FARM = """
hub: {name: Farm, area: snug}
areas:
  - {id: snug, name: Snug}
  - {id: yard, name: Courtyard}
devices:
  - {id: gate, name: Courtyard gate, aliases: [side gate], area: yard, type: cover, device_class: gate, protocol: generic, topic: farm/gate}
  - {id: arc, name: Arc lamp, area: snug, type: light, features: [brightness], protocol: zigbee2mqtt, topic: z/arc}
  - {id: strip, name: Strip, area: snug, type: light, features: [brightness, color], protocol: zigbee2mqtt, topic: z/strip}
  - {id: fan, name: Log burner fan, area: snug, type: fan, features: [speed], protocol: tasmota, topic: fan}
  - {id: boot, name: Boot room light, area: snug, type: light, protocol: tasmota, topic: boot}
"""


@pytest.fixture(scope="module")
def farm():
    from hub.config_load import parse_config

    parser = load_parser(parse_config(FARM, "farm.yaml"))
    return lambda text: [(c.device, c.action, c.value) for c in parser.parse(text, "snug").commands]


@pytest.mark.parametrize("text", ["open the garden gate", "open the front gate", "open the stable gate"])
def test_an_unknown_word_before_part_of_a_gates_name_is_not_that_gate(farm, text):
    assert farm(text) == []


def test_the_gate_itself_still_opens(farm):
    assert farm("open the side gate") == [("gate", "open", None)]


def test_a_fan_named_by_its_type_word_is_not_the_lights(farm):
    assert farm("set the fan to 80 percent") == [("fan", "set_fan_speed", 80)]


def test_each_part_keeps_its_own_value(farm):
    assert farm("set the strip to purple and the arc lamp to 30 percent") == [
        ("strip", "set_color", "purple"), ("arc", "set_brightness", 30)]


def test_part_of_a_name_is_not_a_misspelling_of_it(farm):
    assert farm("turn off the dining room lights") == []
