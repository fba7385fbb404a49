"""The ``wyoming:`` section of config.yaml: defaults, limits and satellite areas, checked at load."""

import pytest

from hub.config_load import parse_config
from hub.errors import ConfigError

HOME = """
hub: {name: Test, area: den}
areas: [{id: den, name: Den}]
"""


def test_defaults_serve_on_loopback_without_zeroconf():
    w = parse_config(HOME).wyoming
    assert (w.host, w.port, w.zeroconf, w.satellites) == ("127.0.0.1", 10300, False, ())


def test_a_satellite_in_an_unknown_area_is_reported_with_its_line():
    text = HOME + "wyoming:\n  satellites:\n    - {host: 10.0.0.5, area: den}\n    - {host: 10.0.0.6, area: attic}\n"
    with pytest.raises(ConfigError) as e:
        parse_config(text, "home.yaml")
    assert any(p.startswith("home.yaml:7 wyoming.satellites[1].area") and "attic" in p for p in e.value.problems)


def test_bad_ports_and_unknown_keys_are_refused():
    text = HOME + "wyoming: {port: 70000, zerocon: true}\n"
    with pytest.raises(ConfigError) as e:
        parse_config(text, "home.yaml")
    assert len(e.value.problems) == 2
