"""Config validation: one test per kind of bad config; each message names file, line and field."""

from pathlib import Path

import pytest

from hub.cli import main
from hub.config_load import load_config
from hub.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent

GOOD = """\
hub:
  name: Test
  area: kitchen
areas:
  - {id: kitchen, name: Kitchen, aliases: [downstairs]}
  - {id: hall, name: Hall, aliases: [downstairs]}
devices:
  - {id: lamp, name: Lamp, area: kitchen, type: light, features: [brightness], protocol: zigbee2mqtt, topic: zigbee2mqtt/lamp}
  - {id: plug, name: Plug, type: switch, protocol: tasmota, topic: plug}
"""


def problems(tmp_path: Path, text: str) -> list[str]:
    f = tmp_path / "config.yaml"
    f.write_text(text)
    with pytest.raises(ConfigError) as e:
        load_config(f)
    return e.value.problems


def test_default_and_example_homes_load():
    cfg = load_config(ROOT / "config.yaml")
    assert len(cfg.devices) >= 25 and len(cfg.areas) >= 8
    assert cfg.hub.area in cfg.area_by_id


def test_good_config_and_shared_alias(tmp_path):
    f = tmp_path / "config.yaml"
    f.write_text(GOOD)
    cfg = load_config(f)
    assert cfg.device_by_id["plug"].area is None
    assert [a.id for a in cfg.areas if "downstairs" in a.aliases] == ["kitchen", "hall"]


@pytest.mark.parametrize(
    "old,new,expected",
    [
        ("area: kitchen, type: light", "area: kichen, type: light", ":8 devices[0].area: unknown area 'kichen'"),
        ("type: switch", "type: toaster", ":9 devices[1].type: unknown type 'toaster'"),
        ("features: [brightness]", "features: [brightness, speed]", ":8 devices[0].features[1]: feature 'speed' is not one a light can have"),
        ("protocol: tasmota", "protocol: knx", ":9 devices[1].protocol: unknown protocol 'knx'"),
        ("{id: plug,", "{id: lamp,", ":9 devices[1].id: duplicate device id 'lamp'"),
        ("name: Plug", "name: LAMP", ":9 devices[1].name: duplicate device name 'LAMP'"),
        ("{id: hall, name: Hall", "{id: kitchen, name: Hall", ":6 areas[1].id: duplicate area id 'kitchen'"),
        ("  area: kitchen\n", "  area: attic\n", ":3 hub.area: unknown area 'attic'"),
        ("  name: Test\n", "  name: Test\n  colour: red\n", ":3 hub.colour: unknown key"),
        ("topic: plug}", "topic: plug, colour: red}", ":9 devices[1].colour: unknown key"),
        ("topic: plug}", "topic: plug/#}", ":9 devices[1].topic: invalid MQTT topic 'plug/#'"),
        ("devices:\n", "devices:\n  - {id: x, name: X, type: light, protocol: generic}\n", ":8 devices[0].topic: Field required"),
        ("  name: Test\n", "  name: Test\n  name: Again\n", ":3 hub.name: duplicate key"),
        ("protocol: tasmota, topic: plug}", "protocol: zigbee2mqtt, topic: zigbee2mqtt/lamp}",
         ":9 devices[1].topic: topic 'zigbee2mqtt/lamp' is already used by devices[0]"),
        ("  area: kitchen\n", "  area: kitchen\n  options: {endpoint_pause_ms: 800}\n",
         ":4 hub.options: endpoint_pause_ms (800) must be below endpoint_silence_ms (700)"),
        ("  area: kitchen\n", "  area: kitchen\n  options: {endpoint_early_ms: 900}\n",
         ":4 hub.options: endpoint_early_ms (900) must not exceed endpoint_silence_ms (700)"),
    ],
)
def test_bad_config_names_file_line_field(tmp_path, old, new, expected):
    assert old in GOOD
    found = problems(tmp_path, GOOD.replace(old, new, 1))
    assert any(p.startswith(str(tmp_path / "config.yaml")) and expected in p for p in found), found


def test_every_problem_is_listed_at_once(tmp_path):
    text = GOOD.replace("area: kitchen, type", "area: kichen, type").replace("protocol: tasmota", "protocol: knx")
    assert len(problems(tmp_path, text)) == 2


def test_yaml_syntax_error(tmp_path):
    found = problems(tmp_path, "hub:\n  name: [unclosed\n")
    assert "YAML syntax" in found[0] and "config.yaml:" in found[0]
    # PyYAML finds an unclosed bracket or quote where the next line begins; the line it opened on is named too
    found = problems(tmp_path, "hub:\n  wake_word: {model: alexa\nareas: []\n")
    assert "config.yaml:3: YAML syntax" in found[0] and "flow mapping on line 2" in found[0], found


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="nope.yaml: cannot read"):
        load_config(tmp_path / "nope.yaml")


def test_check_config_command(tmp_path, capsys):
    assert main(["check-config", str(ROOT / "config.yaml")]) == 0
    assert "OK" in capsys.readouterr().out
    bad = tmp_path / "config.yaml"
    bad.write_text(GOOD.replace("type: switch", "type: toaster"))
    assert main(["check-config", str(bad)]) == 2
    assert "devices[1].type: unknown type 'toaster'" in capsys.readouterr().err


def test_sync_enabled_needs_a_loopback_or_https_endpoint(tmp_path):
    found = problems(tmp_path, GOOD + "sync: {enabled: true, endpoint: 'http://example.com/u', public_key: abc}\n")
    assert any(":10 sync: " in p and "https" in p for p in found), found
    found = problems(tmp_path, GOOD + "sync: {enabled: true}\n")
    assert any("endpoint and public_key are required" in p for p in found), found



def test_a_config_without_devices_says_so(tmp_path, capsys):
    f = tmp_path / "config.yaml"
    f.write_text("hub: {name: Empty}\n")
    assert main(["check-config", str(f)]) == 0
    assert "0 devices (none yet: nothing to control)" in capsys.readouterr().out
