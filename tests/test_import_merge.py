"""`hub import` into a home that already has devices: zigbee2mqtt's device list, then every
Home Assistant discovery config on the broker (tests/import_dumps.py, 60+ configs from four
publishers). Nothing is duplicated, areas are set where the source or the name gives one,
names are sayable, and what is written passes check-config and is written atomically."""

from __future__ import annotations

import os
import re

import pytest
import yaml

from hub.cli import main
from hub.config_load import parse_config
from hub.devices.router import Router
from hub.mqtt.importer import IEEE_ADDRESS, from_homeassistant, from_zigbee2mqtt, write_atomically
from hub.types import Command
from import_dumps import AREAS, KNOWN_AREAS, Z2M_DEVICES, ha_discovery

import json

EXISTING = AREAS + """
devices:
  - {id: kitchen_light, name: Kitchen light, area: kitchen, type: light, features: [brightness],
     protocol: zigbee2mqtt, topic: zigbee2mqtt/kitchen/ceiling}
  - id: kitchen_strip
    name: Worktop strip
    area: kitchen
    type: light
    protocol: homeassistant
    topic: esp-kitchen/light/strip
    entity: {unique_id: esp-kitchenstrip, schema: json, command_topic: esp-kitchen/light/strip/command}
"""


@pytest.fixture(scope="module")
def merged() -> tuple[str, str, object, object]:
    """(after zigbee2mqtt, after Home Assistant discovery, the z2m result, the HA result)."""
    z = from_zigbee2mqtt(json.dumps(Z2M_DEVICES).encode(), config=parse_config(EXISTING))
    after_z = z.merged(EXISTING)
    ha = from_homeassistant(ha_discovery(), config=parse_config(after_z), exclude_node="hub")
    return after_z, ha.merged(after_z), z, ha


def test_the_dump_is_the_size_the_issue_asks_for():
    assert len(ha_discovery()) >= 50 and len(Z2M_DEVICES) >= 20


def test_known_devices_are_updated_not_duplicated(merged):
    _, text, z, ha = merged
    cfg = parse_config(text, "merged.yaml")
    assert "kitchen_light" in z.updated and "kitchen_strip" in ha.updated
    by_id = cfg.device_by_id
    assert (by_id["kitchen_light"].name, by_id["kitchen_strip"].name) == ("Kitchen light", "Worktop strip")
    topics: dict[str, str] = {}
    for d in cfg.devices:
        reached = {d.topic} | ({v for k, v in d.entity.model_dump().items() if k.endswith("command_topic") and v}
                               if d.entity else set())
        for t in reached:
            assert t not in topics, f"{d.id} and {topics[t]} both on {t}"
            topics[t] = d.id
    unique = [d.entity.unique_id for d in cfg.devices if d.entity and d.entity.unique_id]
    assert len(unique) == len(set(unique))


def test_a_second_import_adds_nothing(merged):
    _, text, _, _ = merged
    again = from_homeassistant(ha_discovery(), config=parse_config(text), exclude_node="hub")
    z_again = from_zigbee2mqtt(json.dumps(Z2M_DEVICES).encode(), config=parse_config(text))
    assert (again.devices, z_again.devices, again.areas) == ([], [], [])


def test_every_known_area_is_set(merged):
    _, text, _, _ = merged
    cfg = parse_config(text)
    missing = {hint: area for hint, area in KNOWN_AREAS.items()
               if hint in cfg.device_by_id and cfg.device_by_id[hint].area != area}
    assert not missing
    assert len([h for h in KNOWN_AREAS if h in cfg.device_by_id]) >= 25
    assert "garden" in cfg.area_by_id  # a suggested area the config did not have


def test_names_a_person_can_say(merged):
    _, text, _, _ = merged
    for d in parse_config(text).devices:
        assert not IEEE_ADDRESS.search(d.name), d
        assert not re.fullmatch(r"(light|switch|sensor|climate|cover)( \d+)?", d.name.lower()), d


def test_radiator_valve_with_only_current_heating_setpoint(merged):
    _, text, _, _ = merged
    cfg = parse_config(text)
    trv = cfg.device_by_id["studio_radiator"]
    (m,) = Router(cfg).route(Command("studio_radiator", "set_temperature", 21))
    assert (m.topic, m.payload) == ("zigbee2mqtt/studio/radiator/set/current_heating_setpoint", b"21.0")
    assert trv.area == "studio"
    # one that has occupied_heating_setpoint stays a zigbee2mqtt device
    (m,) = Router(cfg).route(Command("bedroom_radiator", "set_temperature", 21))
    assert (m.topic, m.payload) == ("zigbee2mqtt/bedroom/radiator/set", b'{"occupied_heating_setpoint":21}')


def test_what_cannot_be_honoured_is_noted_not_imported(merged):
    _, _, _, ha = merged
    assert any("template" in n and "tpl-light" not in n for n in ha.notes if "template/x" in n)
    assert any("'select'" in n for n in ha.notes)


def test_cli_dry_run_shows_the_diff_and_output_is_written_atomically(tmp_path, broker, capsys):
    from hub.config import BrokerConfig
    from hub.mqtt.link import MqttLink
    from hub.types import MqttMessage

    with MqttLink(BrokerConfig(host=broker.host, port=broker.port), status_topic=None) as pub:
        assert pub.publish_and_wait(MqttMessage("zigbee2mqtt/bridge/devices", json.dumps(Z2M_DEVICES).encode(),
                                                retain=True), 20).ok
    cfg = tmp_path / "config.yaml"
    cfg.write_text(EXISTING, encoding="utf-8")
    args = ["import", "zigbee2mqtt", "--config", str(cfg), "--broker", f"{broker.host}:{broker.port}"]
    assert main(args + ["--dry-run"]) == 0
    diff = capsys.readouterr().out
    assert diff.startswith("---") and "zigbee2mqtt/studio/radiator" in diff
    assert cfg.read_text(encoding="utf-8") == EXISTING  # a dry run writes nothing
    assert main(args + ["-o", str(cfg)]) == 0
    written = yaml.safe_load(cfg.read_text(encoding="utf-8"))
    assert len(written["devices"]) == 2 + len(Z2M_DEVICES) - 2  # coordinator and the known one
    assert [p.name for p in tmp_path.iterdir()] == ["config.yaml"]  # no temporary file left


def test_write_atomically_leaves_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "config.yaml"
    target.write_text("old\n", encoding="utf-8")

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write_atomically(target, "new\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["config.yaml"]


def test_a_feature_the_entity_cannot_carry_is_left_out_with_a_note():
    configs = {"homeassistant/valve/v/tap/config": json.dumps(
        {"name": "Garden tap", "command_topic": "tap/set", "unique_id": "tap"}).encode()}
    result = from_homeassistant(configs, config=parse_config(AREAS))
    (tap,) = result.devices
    assert "features" not in tap  # stop: no payload_stop, Home Assistant has no default for a valve
    assert any("payload_stop" in n for n in result.notes)
    parse_config(result.merged(AREAS))


@pytest.mark.parametrize("component, config, features", [
    ("lock", {"payload_open": "UNLATCH"}, ["open"]),
    ("lock", {}, None),  # Home Assistant's lock opens only with payload_open in its config
    ("vacuum", {}, ["return_home", "spot"]),  # its default supported_features
    ("vacuum", {"supported_features": ["start", "clean_spot", "locate"]}, ["locate", "spot"]),
])
def test_features_as_home_assistant_gives_them(component, config, features):
    configs = {f"homeassistant/{component}/x/config": json.dumps(
        {"name": "Thing", "command_topic": "x/set", "unique_id": "x", **config}).encode()}
    result = from_homeassistant(configs, config=parse_config(AREAS))
    (device,) = result.devices
    assert device.get("features") == features
    parse_config(result.merged(AREAS))
