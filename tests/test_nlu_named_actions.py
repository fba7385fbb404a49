"""An action that takes no value said as a device's option (lexicon.yaml named_actions): an alarm's
arming mode said as "<mode> mode" or after an option lead is the mode armed, whatever verb carries
it. Written before the mechanism, on homes of the understanding sets (heron_home's "alarm" alone
is also its smoke alarm, so there the panel is named)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.config_load import load_config
from hub.nlu import load_parser

HOMES = Path(__file__).parent / "nlu_cases"


@pytest.fixture(scope="module")
def parsers():
    out = {}
    for home in ("heron_home", "home_a", "larch_home"):
        cfg = load_config(HOMES / f"{home}.yaml")
        out[home] = (load_parser(cfg), cfg.hub.area)
    return out


@pytest.mark.parametrize("home,text,want", [
    ("heron_home", "put the yale alarm on home mode", [("yale_alarm", "arm_home")]),
    ("heron_home", "switch the yale alarm to night mode", [("yale_alarm", "arm_night")]),
    ("heron_home", "turn the yale alarm on in holiday mode", [("yale_alarm", "arm_vacation")]),
    ("heron_home", "put the yale alarm in stay mode", [("yale_alarm", "arm_home")]),
    ("larch_home", "put the verisure alarm on away mode", [("verisure", "arm_away")]),
    ("larch_home", "set the home alarm to home mode", [("verisure", "arm_home")]),
    # without a mode said, or turned off, as before
    ("heron_home", "turn the yale alarm on", [("yale_alarm", "arm_away")]),
    ("heron_home", "turn the yale alarm off", [("yale_alarm", "disarm")]),
    # a mode the panel lacks is refused, never another mode armed
    ("home_a", "put the security on night mode", []),
])
def test_an_arming_mode_said_as_an_option_is_the_mode_armed(parsers, home, text, want):
    parser, area = parsers[home]
    assert [(c.device, c.action) for c in parser.parse(text, area).commands] == want


@pytest.mark.parametrize("home,text,want", [
    # "on ... mode" frames a mode's name: a word there that names no option is a mode misheard
    # ("put the house alarm on for mode", whisper's "home mode"), refused, never the default armed
    ("heron_home", "put the yale alarm on for mode", []),
    ("heron_home", "set the split unit to at mode", []),
    ("larch_home", "put the verisure alarm on by mode", []),
    ("larch_home", "set the home alarm to with mode", []),
    # a mode that is one, in the same frame
    ("heron_home", "set the split unit to cool mode", [("split_unit", "set_hvac_mode", "cool")]),
    ("larch_home", "put the verisure alarm on night mode", [("verisure", "arm_night", None)]),
])
def test_a_word_in_a_modes_frame_that_names_none_is_a_mode_misheard(parsers, home, text, want):
    parser, area = parsers[home]
    u = parser.parse(text, area)
    assert [(c.device, c.action, c.value) for c in u.commands] == want, u.response
