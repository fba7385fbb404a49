"""A temperature the device cannot take is refused, never clamped; said without a scale, the other
scale is meant when only it fits (home_a of tests/nlu_cases: a °C home, no min/max on its heaters);
starting a valve opens it; a named vacuum told to clean a room cleans that room."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.config_load import load_config, parse_config
from hub.nlu import load_parser

HOME = Path(__file__).resolve().parent / "nlu_cases" / "home_a.yaml"


@pytest.fixture(scope="module")
def parser():
    return load_parser(load_config(HOME))


@pytest.mark.parametrize("text", [
    "set the panel heater to three degrees",
    "turn the heat pump out a couple of degrees",  # whisper's "down": a step, never 2 degrees set
    "set the hot water cylinder to two hundred degrees",
])
def test_a_temperature_the_device_cannot_take_is_refused(parser, text):
    u = parser.parse(text, "living_area")
    assert u.commands == () and "degrees, not" in u.response, (text, u.commands, u.response)


@pytest.mark.parametrize("text,value,unit", [
    ("set the panel heater to seventy two degrees", 72, "F"),  # only Fahrenheit fits
    ("set the hot water cylinder to sixty degrees", 60, "C"),
    ("set the heat pump to twenty one", 21, "C"),
])
def test_a_temperature_in_the_scale_that_fits(parser, text, value, unit):
    (c,) = parser.parse(text, "living_area").commands
    assert (c.value, c.unit) == (value, unit)


def test_the_devices_own_range_rules():
    p = load_parser(parse_config("""
hub: {name: Range, language: en}
areas: [{id: hall, name: Hall}]
devices:
  - {id: tado, name: Tado, area: hall, type: climate, features: [target_temperature], protocol: generic,
     topic: h/tado, min_value: 16, max_value: 24}
""", "range.yaml"))
    assert p.parse("set the tado to twelve degrees").commands == ()
    assert "16 to 24 degrees" in p.parse("set the tado to twelve degrees").response
    assert [c.value for c in p.parse("set the tado to twenty degrees").commands] == [20]


GARDEN = """
hub: {name: Whole, language: en, area: study}
areas: [{id: study, name: Study}]
devices:
  - {id: study_lamp, name: Study lamp, area: study, type: light, protocol: generic, topic: h/lamp}
  - {id: irrigation, name: Irrigation, type: valve, protocol: generic, topic: h/irrigation}
"""


def test_starting_a_valve_opens_it():
    p = load_parser(parse_config(GARDEN, "garden.yaml"))
    assert [(c.device, c.action) for c in p.parse("start the irrigation").commands] == [("irrigation", "open")]


@pytest.mark.parametrize("text,want", [
    ("get the roborock to hoover the kitchenette", ("clean_room", "kitchenette")),
    ("have the robot cleaner vacuum the bathroom", ("clean_room", "bath")),
    ("start the roborock", ("start", None)),
    # "clean" with a room is the room's cleaning too, the vacuum named or not
    ("roborock clean the bathroom", ("clean_room", "bath")),
    ("clean the kitchenette", ("clean_room", "kitchenette")),
    # ... and "clean up the {area}" said to the vacuum named is implied.yaml's (the model reads no
    # intent in "to clean up")
    ("can you get the robot cleaner to clean up the kitchenette", ("clean_room", "kitchenette")),
    ("start cleaning the bathroom", ("clean_room", "bath")),
])
def test_a_named_vacuum_told_to_clean_a_room_cleans_that_room(parser, text, want):
    (c,) = parser.parse(text, "living_area").commands
    assert (c.device, c.action, c.value) == ("roborock", *want)
