"""Home Assistant MQTT entities as their discovery configs say: topics, payloads, scales, schema.

Each expected message is what Home Assistant 2024.3's MQTT platform publishes for the same
service call (homeassistant/components/mqtt/<platform>.py), e.g. light.turn_on with
brightness_pct 50 on a ``brightness_scale: 100`` light sends ``50`` to brightness_command_topic
and then ``ON`` to command_topic.
"""

from __future__ import annotations

import pytest
import yaml

from hub.config import Config
from hub.config_load import parse_config
from hub.devices.router import Router
from hub.errors import CommandRefused, ConfigError
from hub.hass.template import Template, TemplateRenderError, TemplateSyntaxError
from hub.types import Command

HOME = """
areas: [{id: studio, name: Studio}]
devices:
  - id: json_lamp
    name: Json lamp
    type: light
    features: [brightness, color, color_temp, effect]
    protocol: homeassistant
    topic: z2m/json_lamp
    entity:
      schema: json
      command_topic: z2m/json_lamp/set
      state_topic: z2m/json_lamp
      brightness: true
      supported_color_modes: [xy, color_temp]
      effect_list: [blink, colorloop]
  - id: dim100
    name: Dim lamp
    type: light
    features: [brightness, color_temp]
    protocol: homeassistant
    topic: shelly/dim
    entity:
      command_topic: shelly/dim/light/0/set
      brightness_command_topic: shelly/dim/light/0/brightness
      brightness_scale: 100
      color_temp_command_topic: shelly/dim/light/0/ct
      payload_on: "1"
      payload_off: "0"
      on_command_type: first
  - id: onoff
    name: Plain bulb
    type: light
    features: [brightness]
    protocol: homeassistant
    topic: plain/bulb
    entity: {command_topic: plain/bulb/cmd}
  - id: door
    name: Front door
    type: lock
    protocol: homeassistant
    topic: door
    entity: {command_topic: door/cmd, payload_lock: 1, payload_unlock: 0, command_template: '{"lock": {{ value }}}'}
  - id: studio_thermostat
    name: Studio thermostat
    area: studio
    type: climate
    features: [target_temperature, hvac_mode, preset]
    protocol: homeassistant
    topic: studio/trv
    entity:
      mode_command_topic: studio/trv/mode/set
      temperature_command_topic: studio/trv/target/set
      current_temperature_topic: studio/trv/state
      current_temperature_template: "{{ value_json.local_temperature }}"
      modes: ["off", heat]
      preset_modes: [eco, comfort]
  - id: blind
    name: Blind
    type: cover
    features: [position, stop, tilt]
    protocol: homeassistant
    topic: blind
    entity: {command_topic: blind/cmd, set_position_topic: blind/pos, position_open: 255, position_closed: 0,
             payload_stop: null, tilt_command_topic: blind/tilt, tilt_min: 0, tilt_max: 180}
  - id: tap
    name: Garden tap
    type: valve
    features: [stop]
    protocol: homeassistant
    topic: tap
    entity: {command_topic: tap/set, payload_stop: HALT}
  - id: drip
    name: Drip valve
    type: valve
    protocol: homeassistant
    topic: drip
    entity: {command_topic: drip/set, reports_position: true, position_open: 255}
  - id: fan
    name: Ceiling fan
    type: fan
    features: [speed, preset]
    protocol: homeassistant
    topic: fan
    entity: {command_topic: fan/on/set, percentage_command_topic: fan/speed/set, speed_range_min: 1, speed_range_max: 3,
             preset_mode_command_topic: fan/preset/set, preset_modes: [breeze]}
  - id: alarm
    name: Alarm
    type: alarm_control_panel
    features: [arm_away]
    protocol: homeassistant
    topic: alarm
    entity: {command_topic: alarm/set, command_template: '{"action": "{{ action }}", "code": "{{ code }}"}'}
"""


def unchecked(text: str) -> Config:
    """The config without check-config's cross checks, which refuse the features some of these
    entities cannot carry (test_home_s_uncarried_features): the router refuses them again."""
    return Config.model_validate(yaml.safe_load(text))


@pytest.fixture(scope="module")
def router() -> Router:
    return Router(unchecked(HOME))


def test_home_s_uncarried_features_fail_check_config():
    with pytest.raises(ConfigError) as e:
        parse_config(HOME, "home.yaml")
    assert [p.split(": ", 1)[1] for p in e.value.problems] == [
        "feature 'brightness': set brightness is refused: its discovery config has no brightness_command_topic",
        "feature 'preset': set preset is refused: its discovery config has no preset_mode_command_topic",
        "feature 'stop': stop is refused: its discovery config has no payload_stop",
    ]


def sent(router: Router, *args) -> list[tuple[str, str]]:
    return [(m.topic, m.payload.decode()) for m in router.route(Command(*args))]


@pytest.mark.parametrize("command, expected", [
    # json schema: one JSON command on command_topic, state first, brightness on 0..255
    (("json_lamp", "turn_on"), [("z2m/json_lamp/set", '{"state":"ON"}')]),
    (("json_lamp", "turn_off"), [("z2m/json_lamp/set", '{"state":"OFF"}')]),
    (("json_lamp", "set_brightness", 50), [("z2m/json_lamp/set", '{"state":"ON","brightness":128}')]),
    (("json_lamp", "set_brightness", 0), [("z2m/json_lamp/set", '{"state":"OFF"}')]),
    (("json_lamp", "set_color_temp", 2700), [("z2m/json_lamp/set", '{"state":"ON","color_temp":370}')]),
    (("json_lamp", "set_color", "red"), [("z2m/json_lamp/set", '{"state":"ON","color":{"x":0.6401,"y":0.33}}')]),
    (("json_lamp", "set_effect", "blink"), [("z2m/json_lamp/set", '{"state":"ON","effect":"blink"}')]),
    # default schema, brightness_scale 100, on_command_type first, own payloads
    (("dim100", "turn_on"), [("shelly/dim/light/0/set", "1")]),
    (("dim100", "set_brightness", 50), [("shelly/dim/light/0/set", "1"), ("shelly/dim/light/0/brightness", "50")]),
    (("dim100", "set_brightness", 33), [("shelly/dim/light/0/set", "1"), ("shelly/dim/light/0/brightness", "33")]),
    (("dim100", "set_color_temp", 6500), [("shelly/dim/light/0/set", "1"), ("shelly/dim/light/0/ct", "153")]),
    # lock with numeric payloads and a JSON command template
    (("door", "lock"), [("door/cmd", '{"lock": 1}')]),
    # climate without a power topic: on/off through its mode topic; temperatures as HA floats
    (("studio_thermostat", "turn_on"), [("studio/trv/mode/set", "heat")]),
    (("studio_thermostat", "turn_off"), [("studio/trv/mode/set", "off")]),
    (("studio_thermostat", "set_temperature", 21), [("studio/trv/target/set", "21.0")]),
    (("studio_thermostat", "set_temperature", 21.5), [("studio/trv/target/set", "21.5")]),
    # cover on a 0..255 position range and a 0..180 tilt range
    (("blind", "set_position", 50), [("blind/pos", "128")]),
    (("blind", "set_tilt", 50), [("blind/tilt", "90")]),
    (("blind", "open"), [("blind/cmd", "OPEN")]),
    (("tap", "stop"), [("tap/set", "HALT")]),
    (("tap", "open"), [("tap/set", "OPEN")]),
    # a valve that reports its position is opened and closed by it (ValveEntity.async_handle_open_valve)
    (("drip", "open"), [("drip/set", "255")]),
    (("drip", "close"), [("drip/set", "0")]),
    (("fan", "set_fan_speed", 50), [("fan/speed/set", "2")]),
    (("alarm", "arm_away"), [("alarm/set", '{"action": "ARM_AWAY", "code": ""}')]),
])
def test_payloads_as_home_assistant_sends_them(router, command, expected):
    assert sent(router, *command) == expected


@pytest.mark.parametrize("command, reason", [
    (("onoff", "set_brightness", 50), "no brightness_command_topic"),
    (("blind", "stop"), "no payload_stop"),
    (("studio_thermostat", "set_hvac_mode", "cool"), "accepts only off, heat"),
    (("studio_thermostat", "set_preset", "eco"), "no preset_mode_command_topic"),
    (("fan", "set_preset", "eco"), "no preset called eco"),
    (("json_lamp", "set_effect", "breathe"), "accepts only blink, colorloop"),
])
def test_what_the_entity_does_not_declare_is_refused(router, command, reason):
    with pytest.raises(CommandRefused) as e:
        router.route(Command(*command))
    assert reason in e.value.reason


@pytest.mark.parametrize("entity, message", [
    ("{command_topic: a/set, bogus_key: 1}", "bogus_key"),
    ("{command_topic: a/set, value_template: '{{ value_json.x if 1 }}'}", "value_template"),
    ("{schema: template, command_topic: a/set}", "schema"),
    ("{schema: json, command_topic: a/set, brightness_command_topic: a/b}", "brightness_command_topic"),
])
def test_bad_entity_is_refused_at_check_config_with_its_line(entity, message):
    text = f"devices:\n  - id: x\n    name: X\n    type: light\n    protocol: homeassistant\n    topic: a\n    entity: {entity}\n"
    with pytest.raises(ConfigError) as e:
        parse_config(text, "c.yaml")
    assert any(p.startswith("c.yaml:7") and message in p for p in e.value.problems), e.value.problems


def test_entity_only_for_homeassistant_protocol():
    text = "devices:\n  - {id: x, name: X, type: light, protocol: generic, topic: a, entity: {command_topic: a/set}}\n"
    with pytest.raises(ConfigError, match="only a device of protocol homeassistant"):
        parse_config(text)


@pytest.mark.parametrize("text, variables, out", [
    ("{{ value_json.temperature }}", {"value": '{"temperature": 21.5}'}, "21.5"),
    ("{{ value_json['state'] | lower }}", {"value": '{"state": "ON"}'}, "on"),
    ("{{ value_json.a.b[1] | int }}", {"value": '{"a": {"b": [0, "7.9"]}}'}, "7"),
    ("{{ value | float | round(1) }}", {"value": "21.46"}, "21.5"),
    ("{{ value_json.missing | default('x') }}", {"value": "{}"}, "x"),
    ('{"t": {{ value }}}', {"value": "21.0"}, '{"t": 21.0}'),
])
def test_template_subset(text, variables, out):
    assert Template(text).render(variables) == out


@pytest.mark.parametrize("text", ["{{ value * 2 }}", "{% if value %}1{% endif %}", "{{ states('x') }}",
                                  "{{ value.__class__ }}x", "{{ value_json.x | map }}", "{{ other }}"])
def test_template_outside_the_subset_is_refused(text):
    with pytest.raises(TemplateSyntaxError):
        Template(text)


@pytest.mark.parametrize("payload", ["not json", '{"a": 1}', "[1,2]", '{"local_temperature": "x"}'])
def test_template_render_errors_are_typed(payload):
    with pytest.raises(TemplateRenderError):
        Template("{{ value_json.local_temperature | float }}").render({"value": payload})


# ------------------------------------------------------------------ state from every state topic

STATE_HOME = HOME + """
  - id: lounge
    name: Lounge lamp
    type: light
    features: [brightness, color_temp]
    protocol: homeassistant
    topic: lounge
    entity:
      command_topic: lounge/set
      state_topic: lounge/status
      state_value_template: "{{ value_json.POWER }}"
      brightness_state_topic: lounge/status
      brightness_value_template: "{{ value_json.Dimmer }}"
      brightness_scale: 100
      color_temp_state_topic: lounge/ct
      availability_topic: lounge/lwt
      payload_available: Online
      payload_not_available: Offline
  - id: shed
    name: Shed lock
    type: lock
    protocol: homeassistant
    topic: shed
    entity: {command_topic: shed/set, state_topic: shed/state, state_locked: "1", state_unlocked: "0"}
  - id: awning
    name: Awning
    type: cover
    features: [position]
    protocol: homeassistant
    topic: awning
    entity: {command_topic: awning/set, set_position_topic: awning/pos/set, position_topic: awning/pos,
             position_open: 255, position_closed: 0, tilt_command_topic: awning/tilt/set,
             tilt_status_topic: awning/tilt, tilt_min: 0, tilt_max: 180}
  - id: loft_fan
    name: Loft fan
    type: fan
    features: [speed]
    protocol: homeassistant
    topic: loft_fan
    entity: {command_topic: loft_fan/set, percentage_command_topic: loft_fan/speed/set,
             percentage_state_topic: loft_fan/speed, speed_range_min: 1, speed_range_max: 3}
  - id: chime
    name: Chime
    type: siren
    protocol: homeassistant
    topic: chime
    entity: {command_topic: chime/set, state_topic: chime/state, state_on: Ringing}
  - id: robot
    name: Robot
    type: vacuum
    protocol: homeassistant
    topic: robot
    entity: {command_topic: robot/cmd, state_topic: robot/state}
  - id: tap
    name: Tap
    type: valve
    features: [position]
    protocol: homeassistant
    topic: tap
    entity: {command_topic: tap/set, state_topic: tap/state, reports_position: true}
  - id: ac
    name: Bedroom AC
    type: climate
    features: [target_temperature, hvac_mode]
    protocol: homeassistant
    topic: ac
    temperature_unit: F
    entity: {mode_command_topic: ac/mode/set, mode_state_topic: ac/mode, temperature_command_topic: ac/t/set,
             temperature_state_topic: ac/t, current_temperature_topic: ac/now, temperature_unit: F}
"""


@pytest.fixture
def store():
    from hub.devices.state import StateStore

    return StateStore(unchecked(STATE_HOME))


def test_every_declared_state_topic_is_subscribed(store):
    topics = set(store.topics())
    assert {"studio/trv/state", "lounge/status", "lounge/ct", "lounge/lwt", "shed/state", "awning/pos",
            "ac/mode", "ac/t", "ac/now", "z2m/json_lamp"} <= topics
    assert "studio/trv/state/state" not in topics and "lounge/state" not in topics


def test_thermostat_question_answered_from_its_current_temperature_topic(store):
    store.handle("studio/trv/state", b'{"local_temperature": 21.5, "battery": 80}')
    assert store.get("studio_thermostat").current_temperature == 21.5
    assert "21.5" in store.describe("studio_thermostat")
    assert store.describe("studio_thermostat", "temperature") == "It is 21.5 degrees at the studio thermostat."


def test_state_read_in_the_entity_s_own_terms(store):
    store.handle("lounge/status", b'{"POWER": "ON", "Dimmer": 40}')
    store.handle("lounge/ct", b"370")
    store.handle("lounge/lwt", b"Offline")
    s = store.get("lounge")
    # 370 mired is 2702 K as Home Assistant reads it (it floors 1e6 / 370 = 2702.7)
    assert (s.power, s.brightness, s.color_temp, s.available) == (True, 40.0, 2702, False)
    store.handle("shed/state", b"1")
    assert store.get("shed").locked is True
    store.handle("awning/pos", b"51")
    assert store.get("awning").position == 20.0
    store.handle("ac/mode", b"cool")
    store.handle("ac/t", b"72.0")
    store.handle("ac/now", b"77")
    s = store.get("ac")
    assert (s.hvac_mode, round(s.target_temperature, 2), s.current_temperature) == ("cool", 22.22, 25.0)
    store.handle("z2m/json_lamp", b'{"state": "ON", "brightness": 128}')
    assert store.get("json_lamp").brightness == 50.2


def test_tilt_speed_json_and_position_states_read_as_home_assistant_reads_them(store):
    store.handle("awning/tilt", b"90")
    assert store.get("awning").tilt == 50.0
    store.handle("loft_fan/speed", b"2")  # ranged_value_to_percentage((1, 3), 2) = 200 // 3
    assert store.get("loft_fan").fan_speed == 66.0
    store.handle("chime/state", b'{"state": "Ringing", "volume_level": 0.5, "tone": "ding"}')
    assert (store.get("chime").power, store.get("chime").volume) == (True, 50.0)
    store.handle("chime/state", b"OFF")
    assert store.get("chime").state == "off"
    store.handle("robot/state", b'{"state": "docked", "battery_level": 61, "fan_speed": "max"}')
    assert (store.get("robot").state, store.get("robot").battery) == ("docked", 61.0)
    store.handle("tap/state", b"0")
    assert (store.get("tap").position, store.get("tap").state) == (0.0, "closed")
    store.handle("tap/state", b"30")
    assert (store.get("tap").position, store.get("tap").state) == (30.0, "open")


@pytest.mark.parametrize("topic, payload", [
    ("studio/trv/state", b"not json"), ("studio/trv/state", b'{"local_temperature": "hot"}'),
    ("studio/trv/state", b'{"local_temperature": 1e400}'), ("studio/trv/state", b'{"local_temperature": NaN}'),
    ("studio/trv/state", b"[" * 100_000), ("studio/trv/state", b'{"other": 1}'),
    ("lounge/status", b'{"POWER": {"nested": 1}, "Dimmer": 900}'), ("lounge/ct", b"0"),
    ("lounge/lwt", b"maybe"), ("awning/pos", b"-5"), ("ac/t", b"9999"), ("shed/state", b"\xff\xfe"),
    ("ac/mode", b""), ("ac/mode", "x" * 100), ("lounge/ct", b"1e999"), ("awning/tilt", b"200"),
    ("loft_fan/speed", b"1.5"), ("loft_fan/speed", b"fast"), ("chime/state", b'{"state": ["on"]}'),
    ("chime/state", b"{not json"), ("robot/state", b'{"state": 3}'), ("tap/state", b"150"),
])
def test_hostile_state_payloads_never_crash_and_change_nothing(store, topic, payload):
    payload = payload.encode() if isinstance(payload, str) else payload
    assert store.handle(topic, payload) == []
    assert all(store.get(d) is None for d in ("studio_thermostat", "lounge", "awning", "ac", "shed", "loft_fan",
                                              "chime", "robot", "tap"))


def test_on_command_type_brightness_turns_on_by_brightness():
    cfg = unchecked(HOME + """
  - id: mirror
    name: Mirror light
    type: light
    features: [brightness]
    protocol: homeassistant
    topic: mirror
    entity: {command_topic: m/POWER, brightness_command_topic: m/Dimmer, brightness_scale: 100, on_command_type: brightness}
  - id: vanity
    name: Vanity light
    type: light
    features: [brightness]
    protocol: homeassistant
    topic: vanity
    entity: {command_topic: v/set, brightness_command_topic: v/bri, on_command_type: brightness}
""")
    r = Router(cfg)
    assert [(m.topic, m.payload) for m in r.route(Command("mirror", "turn_on"))] == [("m/Dimmer", b"100")]
    assert [(m.topic, m.payload) for m in r.route(Command("mirror", "turn_on"), {"brightness": 40})] == \
        [("m/Dimmer", b"40")]
    assert [(m.topic, m.payload) for m in r.route(Command("mirror", "set_brightness", 60))] == [("m/Dimmer", b"60")]
    assert [(m.topic, m.payload) for m in r.route(Command("mirror", "turn_off"))] == [("m/POWER", b"OFF")]
    # its last brightness goes back as read (154 of 255 is 60.4 %), not rounded to a whole percent first
    assert [(m.topic, m.payload) for m in r.route(Command("vanity", "turn_on"), {"brightness": 60.4})] == \
        [("v/bri", b"154")]


def test_a_feature_the_entity_cannot_carry_fails_check_config_with_its_line():
    text = """devices:
  - id: bulb
    name: Bulb
    type: light
    features: [brightness, color_temp]
    protocol: homeassistant
    topic: bulb
    entity: {command_topic: bulb/set, brightness_command_topic: bulb/b}
  - id: tap
    name: Tap
    type: valve
    features: [stop]
    protocol: homeassistant
    topic: tap
    entity: {command_topic: tap/set}
"""
    with pytest.raises(ConfigError) as e:
        parse_config(text, "c.yaml")
    assert e.value.problems == [
        "c.yaml:5 devices[0].features[1]: feature 'color_temp': set color temp is refused: "
        "its discovery config has no color_temp_command_topic",
        "c.yaml:12 devices[1].features[0]: feature 'stop': stop is refused: its discovery config has no payload_stop",
    ]
