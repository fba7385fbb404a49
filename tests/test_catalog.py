"""Catalog: loads, covers the vocabulary contract, counts 200+ commands, reports bad YAML with file:line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hub.config import DEVICE_TYPES
from hub.devices import payloads
from hub.devices.catalog import DEVICES_DIR, Catalog
from hub.errors import ConfigError


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


def test_count_and_types(catalog):
    assert catalog.count() >= 200
    assert set(catalog.types) == set(DEVICE_TYPES)
    assert all(catalog.commands(t) for t in DEVICE_TYPES)
    rows = catalog.table()
    assert len(rows) == catalog.count()
    assert set(rows[0]) == {"type", "action", "parameter", "features", "protocols", "with_known_state", "description"}
    toggle = next(r for r in rows if (r["type"], r["action"]) == ("light", "toggle"))
    assert toggle["with_known_state"] == ["homeassistant"]
    assert catalog.render_table().endswith(f"{catalog.count()} commands over {len(DEVICE_TYPES)} device types")


VOCABULARY = [
    # (type, action, kind, range) from the command vocabulary of issue 4
    ("light", "turn_on", "none", None), ("light", "turn_off", "none", None), ("light", "toggle", "none", None),
    ("light", "set_brightness", "percent", (0, 100)), ("light", "brightness_up", "percent", None),
    ("light", "brightness_down", "percent", None), ("light", "set_color", "color", None),
    ("light", "set_color_temp", "kelvin", None), ("cover", "open", "none", None), ("cover", "close", "none", None),
    ("cover", "stop", "none", None), ("cover", "set_position", "percent", (0, 100)), ("lock", "lock", "none", None),
    ("lock", "unlock", "none", None), ("climate", "set_temperature", "number", None),
    ("climate", "temperature_up", "number", None), ("climate", "temperature_down", "number", None),
    ("climate", "set_hvac_mode", "enum", None), ("fan", "set_fan_speed", "percent", (0, 100)),
    ("media_player", "play", "none", None), ("media_player", "pause", "none", None),
    ("media_player", "next", "none", None), ("media_player", "previous", "none", None),
    ("media_player", "set_volume", "percent", (0, 100)), ("media_player", "volume_up", "percent", None),
    ("media_player", "volume_down", "percent", None), ("media_player", "mute", "none", None),
    ("media_player", "unmute", "none", None), ("vacuum", "start", "none", None), ("vacuum", "dock", "none", None),
    ("vacuum", "pause", "none", None), ("scene", "activate", "none", None),
]


@pytest.mark.parametrize("type_, action, kind, range_", VOCABULARY)
def test_vocabulary_contract(catalog, type_, action, kind, range_):
    c = catalog.get(type_, action)
    assert c is not None, f"{type_}.{action} missing"
    assert c.parameter.kind == kind
    if range_ is not None:
        assert c.parameter.range == range_


def test_step_commands_are_optional_and_hvac_modes(catalog):
    for t, a in [("light", "brightness_up"), ("climate", "temperature_down"), ("media_player", "volume_up")]:
        assert catalog.get(t, a).parameter.optional
    assert {"heat", "cool", "auto", "dry", "fan_only", "off"} <= set(catalog.get("climate", "set_hvac_mode").parameter.values)
    assert catalog.get("climate", "set_temperature").parameter.unit == "°C"


def test_every_stateful_type_answers_query(catalog):
    for t in DEVICE_TYPES:
        if t not in ("scene", "button"):
            assert catalog.get(t, "query").query


def test_colours(catalog):
    assert catalog.color("Purple") == payloads.Rgb(0x80, 0, 0x80)
    assert catalog.color("warm white") == payloads.Rgb.from_hex("#ffa757")
    assert catalog.color("plaid") is None
    assert catalog.white_kelvin("warm white") == 2700
    assert catalog.white_kelvin("red") is None


# ------------------------------------------------------------------ validation errors

@pytest.fixture
def devices_copy(tmp_path: Path) -> Path:
    d = tmp_path / "devices"
    shutil.copytree(DEVICES_DIR, d)
    return d


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(directory: Path) -> list[str]:
    with pytest.raises(ConfigError) as e:
        Catalog.load(directory)
    return e.value.problems


def line_of(path: Path, needle: str) -> int:
    return next(i for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in ln)


def test_bad_kind_names_file_line_and_field(devices_copy):
    light = devices_copy / "light.yaml"
    edit(light, 'parameter: {kind: percent, label: brightness, unit: "%", step: 1}',
         'parameter: {kind: percentage, label: brightness, unit: "%", step: 1}')
    (p,) = problems(devices_copy)
    assert p.startswith(f"{light}:{line_of(light, 'kind: percentage')} commands.set_brightness.parameter.kind:")


@pytest.mark.parametrize("file, old, new, message", [
    ("light.yaml", "    features: [color]\n    white_via", "    features: [colour]\n    white_via",
     "light has no feature 'colour' in types.yaml"),
    ("light.yaml", "      to: set_brightness\n      state: brightness\n      sign: 1",
     "      to: set_dimness\n      state: brightness\n      sign: 1", "relative.to 'set_dimness' is not a command of light"),
    ("light.yaml", "scale: {homeassistant: 255,", "scale: {homeassistant_xml: 255,", "homeassistant_xml"),
    ("light.yaml", '{json: {brightness: "{value|pct254}"}}', '{json: {brightness: "{value|pct100}"}}',
     "unknown filter 'pct100'"),
    ("lock.yaml", "      zigbee2mqtt: {json: {state: LOCK}}", "      zigbee2mqtt: {json: {state: LOCK}, bogus: 1}", "unknown key"),
    ("cover.yaml", "      tasmota: {cmnd: \"ShutterOpen{index}\", text: \"\"}", "      tasmota: {text: \"\"}",
     "a tasmota payload needs cmnd"),
    ("fan.yaml", "  turn_on:\n    description: Switch on.\n", "  turn_on:\n    description: Switch on.\n  turn_on:\n    description: Again.\n",
     "duplicate key"),
])
def test_cross_checks(devices_copy, file, old, new, message):
    edit(devices_copy / file, old, new)
    found = problems(devices_copy)
    assert any(message in p and p.startswith(str(devices_copy / file) + ":") for p in found), found


def test_missing_type_file(devices_copy):
    (devices_copy / "siren.yaml").unlink()
    assert any("siren.yaml: cannot read" in p for p in problems(devices_copy))


# ------------------------------------------------------------------ conversions

def test_scales_and_levels():
    assert [payloads.pct_to_scale(p, 254) for p in (0, 50, 100)] == [0, 127, 254]
    assert payloads.kelvin_to_mired(2700) == 370
    assert payloads.tidy(21.0) == 21 and isinstance(payloads.tidy(21.0), int)
    assert payloads.tidy(21.26, 0.5) == 21.5
    names = ["off", "low", "medium", "high"]
    assert [payloads.level(p, names) for p in (0, 1, 33, 34, 66, 67, 100)] == \
        ["off", "low", "low", "medium", "medium", "high", "high"]
    assert round(payloads.f_to_c(payloads.c_to_f(21.5)), 6) == 21.5


def test_rgb():
    red = payloads.Rgb.from_hex("#ff0000")
    assert red.xy() == (0.6401, 0.33)
    assert payloads.Rgb(0x80, 0, 0x80).full().hex() == "#ff00ff"
    ctx = payloads.RenderContext(topic="t", index=None, temperature_unit="C", action="set_color", value=red)
    assert payloads.render_tree({"color": "{value|xy}"}, ctx) == {"color": {"x": 0.6401, "y": 0.33}}
    with pytest.raises(ValueError):
        payloads.Rgb.from_hex("purple")
