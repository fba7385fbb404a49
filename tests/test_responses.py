"""intents/<language>/responses.yaml: loaded once, checked with file:line, and what the hub says."""

import shutil

import pytest

from hub.config_load import parse_config
from hub.devices.router import Router
from hub.errors import CommandRefused, ConfigError
from hub.nlu.language import load_language
from hub.types import Command
from hub.reply.responses import INTENTS_ROOT, load_responses


def test_the_shipped_replies_load():
    r = load_responses("en")
    assert r.no_command_heard == "I didn't hear a command."
    assert r.heard_as.format(text="unlock the door") == "I heard 'unlock the door'."


def _broken(tmp_path, old: str, new: str):
    shutil.copytree(INTENTS_ROOT / "en", tmp_path / "xx")
    path = tmp_path / "xx" / "responses.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    with pytest.raises(ConfigError) as e:
        load_responses("xx", root=tmp_path)
    return str(e.value), text.replace(old, new).splitlines()


@pytest.mark.parametrize("old, new, says", [
    ('confirm: "Say yes to {verb} {names}."', 'confirm: "Say yes to {verb} {device}."', "unknown field {device}"),
    ('turn_failed: "Sorry, something went wrong."', 'turn_failed: "Sorry, {oops."', "template does not parse"),
    ('  media_plain: "{media}."', '  media_plain: "{media}."\n  media_loud: "{media}!"', "unknown key"),
    ('  turn_on: "Turning on {devices}."', '  turn_on: "Turning on {device}."', "unknown field {device}"),
    ('  no_value: "No {label} was given for {the}."', '  no_value: "No {label} was given for {name}."',
     "unknown field {name}"),
])
def test_a_bad_template_or_key_is_named_with_its_file_and_line(tmp_path, old, new, says):
    message, lines = _broken(tmp_path, old, new)
    assert says in message
    where = message.split("responses.yaml:")[1].split()[0]
    assert new.splitlines()[-1].strip() == lines[int(where) - 1].strip()


def test_a_missing_sentence_is_named(tmp_path):
    message, _ = _broken(tmp_path, 'no_command_heard: "I didn\'t hear a command."\n', "")
    assert "no_command_heard" in message and "Field required" in message


def test_understanding_and_the_rest_read_one_loaded_file():
    assert load_language("en").responses is load_responses("en")


def test_a_refusal_of_the_router_is_a_sentence_of_the_file():
    cfg = parse_config("devices: [{id: tv, name: TV, type: media_player, protocol: generic, topic: tv}]")
    said = load_responses("en")
    with pytest.raises(CommandRefused) as e:
        Router(cfg).route(Command("tv", "unlock"))
    assert str(e.value) == said.route.cannot.format(the="the TV", The="The TV", action="unlock") == "The TV can't unlock."


def test_a_scene_is_named_by_its_name_alone_and_other_devices_with_the_article():
    from hub.nlu.respond import describe

    cfg = parse_config("""
devices:
  - {id: cosy, name: Cosy evening, type: scene, protocol: generic, topic: s/cosy}
  - {id: lamp, name: Den lamp, type: light, protocol: generic, topic: s/lamp}
""")
    lang = load_language("en")
    assert describe([Command("cosy", "activate")], cfg, lang) == "Activating cosy evening."
    assert describe([Command("lamp", "turn_on")], cfg, lang) == "Turning on the den lamp."
    assert (lang.the("Cosy evening", "scene"), lang.the("Den lamp", "light")) == ("cosy evening", "the den lamp")
    assert (lang.the("TV", "media_player"), lang.the("Kitchen LED strip", "light")) == ("the TV", "the kitchen LED strip")
