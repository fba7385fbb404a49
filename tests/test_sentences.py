"""Custom sentences (hub.sentences): Home Assistant's files as they are, intent_script, bad files
named by file, line and field at `hub check-config` and at load, the parser trying them first.

tests/sentences_home/ holds Home Assistant's documentation examples (media.yaml, voice.yaml) and
files of our own (kitchen.yaml). No model is loaded here: the parser is the low-power template
reader's, which shares the custom sentence hook with the model's.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest

from hub.cli import main
from hub.config_load import load_config
from hub.errors import ConfigError

HOME = Path(__file__).resolve().parent / "sentences_home"


@pytest.fixture(scope="module")
def cfg():
    return load_config(HOME / "config.yaml")


def read(cfg, text, area="kitchen"):
    u = cfg.sentences.recognize(text, area, "failed")
    return u and {"intent": u.intent, "slots": u.slots, "commands": [c.to_json() for c in u.commands],
                  "response": u.response, "messages": [(m.topic, m.payload.decode(), m.qos, m.retain) for m in u.messages],
                  "complete": u.complete}


def test_home_assistant_documentation_example(cfg):
    got = read(cfg, "Set the volume for living room to fifty percent.")
    assert got["intent"] == "SetVolume"
    assert got["slots"] == {"media_player": "tv", "volume": 50}
    assert got["commands"] == [{"device": "tv", "action": "set_volume", "value": 50}]
    assert got["response"] == "Volume changed to 50"
    assert read(cfg, "change bedroom volume to 30")["slots"] == {"media_player": "bedroom_speaker", "volume": 30}
    assert read(cfg, "how is the year of voice going")["response"].startswith("Great!")
    assert read(cfg, "set the volume for the garage to 30") is None, "not a value of the list"
    assert read(cfg, "set bedroom volume to 150") is None, "outside the range"


def test_lists_rules_wildcards_fixed_slots_and_context(cfg):
    got = read(cfg, "brew me a large coffee please")
    assert got["slots"] == {"size": "large", "drink": "espresso"}, "the list's out value, from a template value"
    assert got["messages"] == [("kitchen/barista/order", '{"drink": "espresso", "size": "large", "room": "kitchen"}', 1, False)]
    assert got["commands"] == [{"device": "coffee_maker", "action": "turn_on"}]
    assert got["response"] == "One espresso coming up, large."
    assert read(cfg, "get tea")["response"] == "One tea coming up."
    album = read(cfg, "play the album abbey road by the beatles")
    assert album["slots"] == {"album": "abbey road", "artist": "the beatles"}
    assert album["messages"] == [("music/play", "abbey road - the beatles", 1, True)]
    assert album["complete"] is False, "a wildcard may take more words"
    assert read(cfg, "water the roses")["slots"] == {"zone": "roses", "minutes": 5}, "a fixed slot of the data block"
    assert read(cfg, "water the vegetable garden for ten minutes")["messages"] == [("garden/water/vegetable garden", "10", 1, False)]
    assert read(cfg, "good night")["response"] == "Good night from the kitchen.", "requires_context area, responses:"
    assert read(cfg, "good night", area=None) is None, "no area to give"
    assert read(cfg, "turn on the kitchen light") is None


def _home(tmp_path: Path, files: dict[str, str], script: str = "") -> Path:
    """A copy of the small home with these sentence files (name -> YAML) and intent_script."""
    cfg_text = (HOME / "config.yaml").read_text().split("# custom_sentences/en")[0]
    (tmp_path / "config.yaml").write_text(cfg_text + textwrap.dedent(script))
    folder = tmp_path / "custom_sentences" / "en"
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text))
    return tmp_path / "config.yaml"


def _problems(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as e:
        load_config(path)
    return e.value.problems


BAD = {
    "template": ('language: en\nintents:\n  A:\n    data:\n      - sentences:\n          - "turn (on|off the lamp"\n',
                 "a.yaml:6 intents.A.data[0].sentences[0]: template 'turn (on|off the lamp' does not parse"),
    "list": ('language: en\nintents:\n  A:\n    data:\n      - sentences: ["order {drnk}"]\nlists:\n  drink: {values: [tea]}\n',
             "a.yaml:5 intents.A.data[0].sentences[0]: unknown list {drnk}"),
    "rule": ('language: en\nintents:\n  A:\n    data:\n      - sentences: ["<please> order tea"]\n',
             "a.yaml:5 intents.A.data[0].sentences[0]: unknown expansion rule <please>"),
    "list kind": ('language: en\nintents: {}\nlists:\n  n:\n    range: {from: 1, to: 3}\n    values: [a]\n',
                  "a.yaml:4 lists.n: a list has exactly one of values, range or wildcard"),
    "key": ('language: en\nintents:\n  A:\n    data:\n      - sentence: ["order tea"]\n',
            "a.yaml:5 intents.A.data[0].sentence: unknown key"),
    "yaml": ('language: en\nintents:\n  A: [\n', "a.yaml:4: YAML syntax"),
}


@pytest.mark.parametrize("kind", BAD)
def test_a_bad_sentence_file_names_file_line_and_field(tmp_path, kind):
    text, expected = BAD[kind]
    problems = _problems(_home(tmp_path, {"a.yaml": text}))
    assert any(expected in p for p in problems), problems


GOOD = 'language: en\nintents:\n  Order:\n    data:\n      - sentences: ["order [a] {drink}"]\nlists:\n  drink: {values: [tea, coffee]}\n'


@pytest.mark.parametrize("script, expected", [
    ("intent_script:\n  Order:\n    action:\n      - mqtt: {topic: 'bar/{{ size }}', payload: x}\n",
     "config.yaml:19 intent_script.Order.action[0].mqtt.topic: slot 'size' is never captured by a sentence of Order"),
    ("intent_script:\n  Order:\n    speech: {text: 'One {{ drink }'}\n",
     "config.yaml:18 intent_script.Order.speech.text: template 'One {{ drink }' does not parse"),
    ("intent_script:\n  Ordr:\n    speech: {text: hi}\n",
     "config.yaml:17 intent_script.Ordr: no custom sentence defines intent 'Ordr'"),
    ("intent_script:\n  Order:\n    action:\n      - command: {device: kettle, action: turn_on}\n",
     "config.yaml:19 intent_script.Order.action[0].command.device: unknown device 'kettle'"),
    ("intent_script:\n  Order:\n    action:\n      - command: {device: coffee_maker, action: set_volume}\n",
     "config.yaml:19 intent_script.Order.action[0].command.action: a outlet has no action 'set_volume'"),
    ("intent_script:\n  Order:\n    action:\n      - mqtt: {topic: t}\n        command: {device: tv, action: turn_on}\n",
     "config.yaml:19 intent_script.Order.action[0]: a step is exactly one of mqtt"),
])
def test_a_bad_intent_script_names_line_and_field(tmp_path, script, expected):
    problems = _problems(_home(tmp_path, {"a.yaml": GOOD}, script))
    assert any(p.endswith(expected) or expected in p for p in problems), problems


def test_check_config_reports_every_problem_and_fails(tmp_path, capsys):
    path = _home(tmp_path, {"a.yaml": BAD["list"][0], "b.yaml": BAD["rule"][0]})
    assert main(["check-config", str(path)]) != 0
    err = capsys.readouterr().err
    assert "a.yaml:5 intents.A.data[0].sentences[0]: unknown list {drnk}" in err
    assert "b.yaml:5 intents.A.data[0].sentences[0]: unknown expansion rule <please>" in err


def test_a_named_folder_that_is_missing_is_an_error(tmp_path):
    path = _home(tmp_path, {})
    path.write_text(path.read_text() + "custom_sentences: elsewhere/\n")
    assert any("custom_sentences: folder" in p and "does not exist" in p for p in _problems(path))


def test_no_folder_no_custom_sentences(tmp_path):
    shutil.copy(HOME / "config.yaml", tmp_path / "config.yaml")
    text = (tmp_path / "config.yaml").read_text().split("# custom_sentences/en")[0]
    (tmp_path / "config.yaml").write_text(text)
    assert not load_config(tmp_path / "config.yaml").sentences


def test_the_parser_tries_custom_sentences_first(cfg):
    from hub.nlu import load_template_parser

    parser = load_template_parser(cfg)
    u = parser.parse("Make me a flat white", area="kitchen")
    assert (u.intent, u.slots) == ("OrderDrink", {"drink": "flat_white"})
    assert json.loads(json.dumps(u.to_json()))["slots"] == {"drink": "flat_white"}
    builtin = parser.parse("turn on the kitchen light", area="kitchen")
    assert builtin.slots is None and "slots" not in builtin.to_json()
    assert [c.to_json() for c in builtin.commands] == [{"device": "kitchen_light", "action": "turn_on"}]


def test_new_sentences_for_home_assistant_builtin_intents_act_on_the_devices(cfg):
    from hub.nlu import load_template_parser

    parser = load_template_parser(cfg)

    def act(text):
        u = parser.parse(text, area="kitchen")
        return u.intent, [c.to_json() for c in u.commands], u.response

    assert act("activate the coffee maker") == ("HassTurnOn", [{"device": "coffee_maker", "action": "turn_on"}],
                                                "Turning on the coffee maker.")
    assert act("activate the front door")[1] == [{"device": "front_door", "action": "lock"}], "HassTurnOn on a lock"
    assert act("lights out in the kitchen")[1] == [{"device": "kitchen_light", "action": "turn_off"}]
    assert act("lights out")[1] == [{"device": "kitchen_light", "action": "turn_off"}], "the speaker's area"
    assert act("the kitchen light at 40 percent")[1] == [{"device": "kitchen_light", "action": "set_brightness", "value": 40}]
    assert act("tv at 30") == ("HassLightSet", [], "The tv can't change brightness.")


def test_templates_run_in_the_sandbox_and_a_failing_one_is_a_clear_refusal(tmp_path, caplog):
    from hub.settings.intent_script import render

    with pytest.raises(Exception, match="unsafe|not safely callable|access to attribute"):
        render("{{ ''.__class__.__mro__[1].__subclasses__() }}", {})
    script = ("intent_script:\n  Order:\n    speech: {text: 'Ordered.'}\n"
              "    action:\n      - mqtt: {topic: 'bar/{{ drink }}', payload: x}\n")
    words = 'language: en\nintents:\n  Order:\n    data:\n      - sentences: ["order {drink}"]\nlists:\n  drink: {wildcard: true}\n'
    cfg = load_config(_home(tmp_path, {"a.yaml": words}, script))
    u = cfg.sentences.recognize("order tea", "kitchen", "failed")
    assert [m.topic for m in u.messages] == ["bar/tea"]
    u = cfg.sentences.recognize("order tea + cake", "kitchen", "failed")
    assert (u.intent, u.messages, u.response) == ("Order", (), "failed")
    assert "is not one a message can be published to" in caplog.text


def test_home_assistant_mqtt_publish_action_works_as_it_is(tmp_path):
    script = ("intent_script:\n  Order:\n    speech: {text: 'Ordered.'}\n    action:\n"
              "      service: mqtt.publish\n      data:\n        topic: bar/order\n"
              "        payload: '{{ drink }}'\n        qos: 0\n        retain: true\n")
    cfg = load_config(_home(tmp_path, {"a.yaml": GOOD}, script))
    [m] = cfg.sentences.recognize("order a tea", "kitchen").messages
    assert (m.topic, m.payload, m.qos, m.retain) == ("bar/order", b"tea", 0, True)


def test_other_home_assistant_actions_are_named_as_unknown(tmp_path):
    script = ("intent_script:\n  Order:\n    action:\n      action: light.turn_on\n"
              "      data: {entity_id: light.kitchen}\n")
    problems = _problems(_home(tmp_path, {"a.yaml": GOOD}, script))
    assert any("config.yaml:18 intent_script.Order.action[0]: of Home Assistant's actions only mqtt.publish" in p
               and "not 'light.turn_on'" in p for p in problems), problems
