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
