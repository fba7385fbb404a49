"""Mechanisms of the parser, each on cases of its kind written for a home of their own (Rook
Cottage, below, whose names no training data holds): the quantity a question asks, fractions and
thousands said in words, verbs a recogniser may have written for their opposite, type words a
device's name carries or rules out, a singular type word that says what is wanted of a named
device, a short name that belongs to another room, group questions about lock states, and a room
named by one word of its name, statements and the speaker's own questions, stopping what a phrase
implies, a device's own options said by name, errands no device does, a bare "it" in a room, the
class a cover word names, a socket among several, names before areas, a kind said before a type
word, a name's synonyms, a request said twice, a room to clean, questions about a state or a
quantity, a room on the roof, a word two names share, and a position said in words; and, on
Larkspur and the held-out homes, a verb that names an option ("reverse the fan"), "down in the
basement" said where, not which way, damp air implying a dehumidifier, plugging in and a statement
run on into a command, and "in here" in a room without a thermostat of its own; and, on other
homes, a device the home lacks named in a list beside ones it has (the reading is partial), and
heat or cold said of a room without a climate device of its own (its fan, its heater switch); and,
from the spoken sets of 2026-12-05 afternoon, a state a device is never in, words spelt right,
words of degree, questions about nothing named, reasons and what opens them, a one-word room where
the verb goes, a word of a device's own room, hot water and clean air; and, from blind29 and blind30
(Larose duplex), everything in a room where nothing opens or closes, "i'm" opening a reason, a need
said in a device's own name, a device's name before a room noun, "every" opening a verbless
command, a variety's copula, and a person of the home as a reason's subject."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hub.asr.rescore import SURE
from hub.config_load import load_config, parse_config
from hub.nlu import load_parser

HOME = """
hub: {name: Rook Cottage, language: en}
areas:
  - {id: snug, name: Snug}
  - {id: scullery, name: Scullery}
  - {id: attic_bedroom, name: Attic bedroom}
  - {id: cellar, name: Cellar}
  - {id: yard, name: Cobbled yard, aliases: [the yard]}
  - {id: roof_terrace, name: Roof terrace}
devices:
  - {id: snug_tv, name: Snug TV, area: snug, type: media_player, features: [volume, channel, seek, source, sound_mode], protocol: generic, topic: rook/tv}
  - {id: sonos, name: Sonos speaker, area: snug, type: media_player, features: [volume], protocol: generic, topic: rook/sonos}
  - {id: snug_lamp, name: Snug lamp, area: snug, type: light, features: [brightness], protocol: generic, topic: rook/snug_lamp}
  - {id: scullery_ceiling, name: Scullery ceiling light, area: scullery, type: light, protocol: generic, topic: rook/sc}
  - {id: attic_light, name: Attic bedroom light, area: attic_bedroom, type: light, features: [brightness, color_temp], protocol: generic, topic: rook/al}
  - {id: attic_blind, name: Attic blind, area: attic_bedroom, type: cover, device_class: blind, features: [position, tilt], protocol: generic, topic: rook/ab}
  - {id: yard_heater, name: Yard heater, area: yard, type: switch, protocol: generic, topic: rook/yh}
  - {id: cellar_sensor, name: Cellar sensor, area: cellar, type: sensor, features: [temperature, humidity], protocol: generic, topic: rook/cs}
  - {id: kitchen_radiator, name: Scullery radiator, area: scullery, type: climate, features: [target_temperature], protocol: generic, topic: rook/kr}
  - {id: freezer_plug, name: Freezer plug, area: cellar, type: outlet, features: [power_monitoring], protocol: generic, topic: rook/fp}
  - {id: stable_door, name: Stable door, area: scullery, type: lock, protocol: generic, topic: rook/sd}
  - {id: yard_gate, name: Yard gate lock, area: yard, type: lock, protocol: generic, topic: rook/yg}
  - {id: attic_contact, name: Skylight sensor, area: attic_bedroom, type: binary_sensor, features: [window], protocol: generic, topic: rook/ac}
  - {id: yard_hose, name: Yard hose, area: yard, type: valve, protocol: generic, topic: rook/hose}
  - {id: washer, name: Washing machine, area: scullery, type: switch, protocol: generic, topic: rook/washer}
  - {id: snug_rad, name: Snug radiator, area: snug, type: climate, features: [target_temperature, preset], protocol: generic, topic: rook/sr}
  - {id: attic_shutters, name: Dormer shutters, area: attic_bedroom, type: cover, device_class: shutter, protocol: generic, topic: rook/ds}
  - {id: dehumidifier, name: Dehumidifier, area: cellar, type: outlet, protocol: generic, topic: rook/dh}
  - {id: yard_lights, name: Yard lights, area: yard, type: light, protocol: generic, topic: rook/yl}
  - {id: yard_spot, name: Gable spotlight, area: yard, type: light, protocol: generic, topic: rook/gs}
  - {id: cellar_pendant, name: Cellar pendant, area: cellar, type: light, protocol: generic, topic: rook/cp}
  - {id: rack_light, name: Wine rack light, area: cellar, type: light, protocol: generic, topic: rook/rl}
  - {id: attic_telly, name: Attic telly, area: attic_bedroom, type: media_player, protocol: generic, topic: rook/at}
  - {id: robo, name: Robo, area: scullery, type: vacuum, protocol: generic, topic: rook/robo}
  - {id: terrace_sensor, name: Terrace thermometer, area: roof_terrace, type: sensor, features: [temperature], protocol: generic, topic: rook/tt}
  - {id: terrace_lights, name: Festoon lights, area: roof_terrace, type: light, protocol: generic, topic: rook/fl}
  - {id: bosch, name: Bosch dishwasher, area: scullery, type: switch, protocol: generic, topic: rook/bosch}
  - {id: dish_leak, name: Dishwasher leak sensor, area: scullery, type: binary_sensor, features: [moisture], protocol: generic, topic: rook/dl}
  - {id: cellar_ac, name: Cellar aircon, area: cellar, type: climate, features: [target_temperature, fan_mode], protocol: generic, topic: rook/ca}
  - {id: combi, name: Combi boiler, area: cellar, type: water_heater, features: [target_temperature, operation_mode], protocol: generic, topic: rook/cb}
  - {id: terrace_fan, name: Terrace fan, area: roof_terrace, type: fan, protocol: generic, topic: rook/tf}
  - {id: terrace_ac, name: Terrace heat pump, area: roof_terrace, type: climate, features: [target_temperature, hvac_mode], protocol: generic, topic: rook/ahp}
"""


@pytest.fixture(scope="module")
def parser():
    return load_parser(parse_config(HOME, "rook.yaml"))


NLU_CASES = Path(__file__).resolve().parent / "nlu_cases"


def _cmds(u) -> list[tuple]:
    return [(c.device, c.action, c.value) for c in u.commands]


@pytest.mark.parametrize("text,device,about", [
    ("how damp is it in the cellar", "cellar_sensor", "humidity"),
    ("what's the scullery radiator set at", "kitchen_radiator", "target_temperature"),
    ("how many watts is the freezer plug pulling", "freezer_plug", "power"),
    ("how cold is the cellar sensor", "cellar_sensor", "temperature"),
    ("is the stable door locked", "stable_door", None),
])
def test_a_question_about_a_quantity_says_which(parser, text, device, about):
    u = parser.parse(text, "snug")
    assert [(c.device, c.action, c.about) for c in u.commands] == [(device, "query", about)]
    assert all("about" not in c.to_json() for c in u.commands if c.about is None)


@pytest.mark.parametrize("text,want", [
    ("set the attic bedroom light to two thousand seven hundred kelvin", [("attic_light", "set_color_temp", 2700)]),
    ("open the attic blind two thirds", [("attic_blind", "set_position", 67)]),
    ("attic blind to three quarters", [("attic_blind", "set_position", 75)]),
])
def test_fractions_and_thousands_in_words(parser, text, want):
    assert _cmds(parser.parse(text, "snug")) == want


@pytest.mark.parametrize("text", ["I'm lock the stable door.", "And locked the yard gate lock"])
def test_a_verb_that_may_be_its_opposite_is_refused_never_guessed(parser, text):
    u = parser.parse(text, "snug")
    assert u.commands == () and "unlock" in u.response


def test_type_words_by_name_and_names_that_rule_them_out(parser):
    # a switch called "Yard heater" is a heater; "the speakers" are not the "Snug TV"
    assert _cmds(parser.parse("switch the heater on", "yard")) == [("yard_heater", "turn_on", None)]
    assert _cmds(parser.parse("pause the speakers", "snug")) == [("sonos", "pause", None)]
    # a singular type word next to a named device says what is wanted of it ...
    assert _cmds(parser.parse("play some music on the sonos speaker", "scullery")) == [("sonos", "play", None)]
    # ... but after "and" it is another device
    assert {c.device for c in parser.parse("turn off the sonos speaker and the tv", "snug").commands} == {"sonos", "snug_tv"}


def test_a_short_name_of_another_room_is_this_rooms_device_where_it_has_one(parser):
    assert _cmds(parser.parse("turn on the ceiling light", "attic_bedroom")) == [("attic_light", "turn_on", None)]
    assert _cmds(parser.parse("turn on the ceiling light", "scullery")) == [("scullery_ceiling", "turn_on", None)]


def test_a_group_question_about_locks_asks_only_the_locks(parser):
    u = parser.parse("is everything locked", "snug")
    assert {c.device for c in u.commands} == {"stable_door", "yard_gate"} and u.question is not None


def test_one_word_of_a_rooms_name_is_that_room_and_an_unknown_room_is_refused(parser):
    u = parser.parse("turn on the heater in the yard", "snug")
    assert _cmds(u) == [("yard_heater", "turn_on", None)] and u.response == "Turning on the yard heater."
    u = parser.parse("turn on the lights in the garage", "snug")
    assert u.commands == () and "garage" in u.response


@pytest.mark.parametrize("text", [
    "the stable door is locked", "the attic blind looks broken", "the yard hose was left on",
    "should we open the attic blind", "do I need to unlock the stable door", "sholud I open the yard hose",
    "I open the stable door every night", "I think we locked the stable door", "I left the yard hose on",
])
def test_statements_and_the_speakers_own_questions_ask_nothing(parser, text):
    assert parser.parse(text, "snug").commands == ()


def test_a_statement_then_a_request_is_the_request(parser):
    assert _cmds(parser.parse("the attic blind's closed, open it", "snug")) == [("attic_blind", "open", None)]
    assert _cmds(parser.parse("the snug tv is too loud", "snug")) == [("snug_tv", "volume_down", None)]


def test_stopping_what_a_phrase_implies(parser):
    assert _cmds(parser.parse("water the garden", "snug")) == [("yard_hose", "open", None)]
    assert _cmds(parser.parse("stop watering the garden", "snug")) == [("yard_hose", "close", None)]
    assert _cmds(parser.parse("put a wash on", "snug")) == [("washer", "turn_on", None)]


def test_groups_windows_lamps_and_everything(parser):
    # the blind is no window; the skylight's contact sensor is
    u = parser.parse("are any windows open in the attic bedroom", "snug")
    assert {c.device for c in u.commands} == {"attic_contact"} and u.question is not None
    assert {c.device for c in parser.parse("is everything off in the snug", "scullery").commands} == {
        "snug_tv", "sonos", "snug_lamp", "snug_rad"}
    u = parser.parse("what's on in the snug", "scullery")
    assert u.question is not None and {c.device for c in u.commands} >= {"snug_lamp", "snug_tv"}


def test_a_typo_in_a_time_word_keeps_the_time_phrase(parser):
    u = parser.parse("open the attic blind evrey morning", "snug")
    assert u.commands == ()


@pytest.mark.parametrize("text,want", [
    ("switch the snug tv over to channel 45", [("snug_tv", "set_channel", 45)]),
    ("channel three hundred and two on the tv", [("snug_tv", "set_channel", 302)]),
    ("jump ahead 20 seconds on the snug tv", [("snug_tv", "seek_forward", 20)]),
    ("angle the attic blind slats to 30 percent", [("attic_blind", "set_tilt", 30)]),
    ("make the attic bedroom light 400 kelvin cooler", [("attic_light", "color_temp_up", 400)]),
])
def test_channels_seeking_tilt_and_kelvin_steps(parser, text, want):
    assert _cmds(parser.parse(text, "snug")) == want


@pytest.mark.parametrize("text,device", [
    ("check the stable door is locked", "stable_door"), ("see if the attic blind is open", "attic_blind")])
def test_checking_whether_a_device_is_so_asks_never_acts(parser, text, device):
    assert _cmds(parser.parse(text, "snug")) == [(device, "query", None)]


@pytest.mark.parametrize("text", ["turn off the whole light", "switch on the hole lamp", "dim the hold light"])
def test_an_unknown_word_before_a_type_word_is_a_misheard_name_never_any_device(parser, text):
    u = parser.parse(text, "attic_bedroom")
    assert u.commands == () and "know a device" in u.response


def test_a_name_modifier_is_no_name(parser):
    assert _cmds(parser.parse("turn on the other light", "attic_bedroom")) == [("attic_light", "turn_on", None)]


def test_a_statement_about_the_speaker_then_a_check_asks_about_the_device(parser):
    assert _cmds(parser.parse("I'm sure I closed the attic blind, can you check", "snug")) == [("attic_blind", "query", None)]


@pytest.mark.parametrize("text,want", [
    ("put the combi boiler on eco", [("combi", "set_operation_mode", "eco")]),
    ("switch the combi boiler to heat pump", [("combi", "set_operation_mode", "heat_pump")]),
    ("set the snug radiator to boost", [("snug_rad", "set_preset", "boost")]),
    ("put the snug radiator on holiday", [("snug_rad", "set_preset", "away")]),
    ("turn the combi boiler off", [("combi", "turn_off", None)]),
    ("set the snug radiator to 19", [("snug_rad", "set_temperature", 19)]),
    # a type word ("heat": the heating) that is also an option of the device already named
    ("put the terrace heat pump on heat", [("terrace_ac", "set_hvac_mode", "heat")]),
    ("switch the heat pump on the roof terrace to heat", [("terrace_ac", "set_hvac_mode", "heat")]),
    # ... and not another device of that type ("fan": the mode, not a fan)
    ("put the terrace heat pump on fan", [("terrace_ac", "set_hvac_mode", "fan_only")]),
])
def test_a_devices_own_option_said_by_name_is_that_option(parser, text, want):
    assert _cmds(parser.parse(text, "scullery")) == want


@pytest.mark.parametrize("text", ["order more logs for the yard heater", "buy a new bulb for the snug lamp",
                                  "text my sister that the washing machine is done"])
def test_an_errand_no_device_does_is_refused_never_read_as_the_device(parser, text):
    assert parser.parse(text, "snug").commands == ()


def test_a_thing_asked_of_a_named_device_that_cannot_do_it_is_refused_never_moved(parser):
    u = parser.parse("play some music on the yard heater", "snug")
    assert u.commands == () and "yard heater" in u.response


def test_a_bare_it_in_a_room_is_its_one_movable_device_or_a_question(parser):
    u = parser.parse("turn it up", "snug")
    assert u.commands == () and u.choice is not None and {"snug_tv", "sonos", "snug_lamp"} <= set(u.choice.candidates)
    assert _cmds(parser.parse("turn it down", "attic_bedroom")) == [("attic_light", "brightness_down", None)]


def test_a_cover_word_means_its_own_class_first(parser):
    assert _cmds(parser.parse("close the blinds", "attic_bedroom")) == [("attic_blind", "close", None)]
    assert _cmds(parser.parse("open the shutters", "attic_bedroom")) == [("attic_shutters", "open", None)]


def test_the_socket_among_several_asks_whatever_each_is_called(parser):
    u = parser.parse("switch off the plug", "cellar")
    assert u.commands == () and set(u.choice.candidates) == {"freezer_plug", "dehumidifier"}


@pytest.mark.parametrize("text,want", [
    ("put the snug tv on hdmi 3", [("snug_tv", "select_source", "hdmi 3")]),
    ("switch the snug telly over to youtube", [("snug_tv", "select_source", "youtube")]),
    ("night sound mode on the snug tv", [("snug_tv", "set_sound_mode", "night")]),
    ("put the snug tv on channel 7", [("snug_tv", "set_channel", 7)]),
])
def test_a_tvs_inputs_and_sound_modes_by_name(parser, text, want):
    assert _cmds(parser.parse(text, "scullery")) == want


def test_an_alarm_clock_is_an_errand_not_a_device(parser):
    assert parser.parse("set an alarm for 7", "snug").commands == ()


def test_a_device_name_wins_over_an_area_alias_it_overlaps(parser):
    assert _cmds(parser.parse("switch off the yard lights", "snug")) == [("yard_lights", "turn_off", None)]
    assert {c.device for c in parser.parse("switch off the lights in the yard", "snug").commands} == {"yard_lights", "yard_spot"}


def test_a_kind_said_before_a_type_word_picks_it(parser):
    assert _cmds(parser.parse("turn on the main light", "cellar")) == [("cellar_pendant", "turn_on", None)]


def test_a_synonym_in_a_name_makes_the_type_word_ambiguous(parser):
    u = parser.parse("turn off the tv")
    assert u.commands == () and set(u.choice.candidates) == {"snug_tv", "attic_telly"}


def test_a_request_said_twice_is_done_once(parser):
    assert _cmds(parser.parse("it's cold in here, turn the heating up", "snug")) == [("snug_rad", "temperature_up", None)]


def test_cleaning_a_room_by_name_or_in_here(parser):
    assert _cmds(parser.parse("mop the attic bedroom", "snug")) == [("robo", "clean_room", "attic_bedroom")]
    assert _cmds(parser.parse("clean the floors in here", "snug")) == [("robo", "clean_room", "snug")]


def test_an_option_of_the_kind_but_not_of_this_device_is_refused(parser):
    u = parser.parse("put the scullery radiator on eco", "snug")
    assert u.commands == () and "no presets" in u.response


def test_a_state_word_in_a_question_asks_it(parser):
    assert _cmds(parser.parse("is the attic blind down", "snug")) == [("attic_blind", "query", None)]


@pytest.mark.parametrize("text", ["how warm is it up on the roof", "what's the temperature on the roof"])
def test_a_quantity_asked_of_a_room_named_by_one_word(parser, text):
    assert _cmds(parser.parse(text, "snug")) == [("terrace_sensor", "query", None)]


def test_a_word_two_names_share_is_the_one_that_can(parser):
    assert _cmds(parser.parse("run the dishwasher", "snug")) == [("bosch", "turn_on", None)]
    assert _cmds(parser.parse("is the dishwasher leaking", "snug")) == [("dish_leak", "query", None)]


def test_a_position_said_in_words_after_a_type_word(parser):
    assert _cmds(parser.parse("open the blind halfway", "attic_bedroom")) == [("attic_blind", "set_position", 50)]
    assert _cmds(parser.parse("turn on the big light in the cellar", "snug")) == [("cellar_pendant", "turn_on", None)]


def test_watering_means_the_homes_one_valve_whatever_its_name():
    p = load_parser(parse_config("""
hub: {name: Plot, language: en}
areas: [{id: plot, name: Allotment}]
devices:
  - {id: line, name: Bed line, area: plot, type: valve, protocol: generic, topic: plot/line}
  - {id: shed_light, name: Shed light, area: plot, type: light, protocol: generic, topic: plot/light}
""", "plot.yaml"))
    assert _cmds(p.parse("water the tomatoes")) == [("line", "open", None)]


@pytest.mark.parametrize("text", ["switch after the washing machine", "turn the snug lamp",
                                  # a pause's reading with its last word not yet said: not "louder"
                                  "turn the speaker in the snug", "turn the attic telly"])
def test_a_switch_with_no_direction_heard_is_refused_never_guessed(parser, text):
    u = parser.parse(text, "snug")
    assert u.commands == () and '"on"' in u.response and '"off"' in u.response
    # a reading as a level asks for its directions too (language.yaml undirected.level_options)
    assert ('"up" or "down"' in u.response) == (u.intent not in ("turn_on", "turn_off")), (u.intent, u.response)


@pytest.mark.parametrize("text,want", [
    ("turn the sonos speaker in the snug up", [("sonos", "volume_up", None)]),
    ("turn the snug lamp to 40 percent", [("snug_lamp", "set_brightness", 40)]),
    ("turn the sonos speaker louder", [("sonos", "volume_up", None)]),
])
def test_a_turn_with_its_direction_or_value_said_is_carried_out(parser, text, want):
    assert _cmds(parser.parse(text, "snug")) == want


@pytest.mark.parametrize("text", ["put the combi boiler on echo mode", "turn the combi boiler on in echo mode"])
def test_a_misheard_mode_is_refused_never_the_default(parser, text):
    assert parser.parse(text, "snug").commands == ()


def test_a_temperature_said_in_fahrenheit_keeps_its_scale(parser):
    (c,) = parser.parse("set the snug radiator to 68 degrees fahrenheit", "snug").commands
    assert (c.device, c.action, c.value, c.unit) == ("snug_rad", "set_temperature", 68, "F")


def test_one_word_of_a_name_after_a_or_an_is_a_thing_not_the_device(parser):
    assert parser.parse("I want a combi", "snug").commands == ()


@pytest.mark.parametrize("text,want", [
    ("candlelight on the attic bedroom light", [("attic_light", "set_color_temp", 2000)]),
    ("30 percent on the snug lamp", [("snug_lamp", "set_brightness", 30)]),
])
def test_on_between_a_value_and_the_device_says_where(parser, text, want):
    assert _cmds(parser.parse(text, "cellar")) == want


@pytest.mark.parametrize("text,want", [
    ("set the fan on the cellar aircon to low", [("cellar_ac", "set_fan_mode", "low")]),
    ("put the cellar aircon fan on high", [("cellar_ac", "set_fan_mode", "high")]),
])
def test_a_type_word_that_names_a_part_of_the_device_is_that_part(parser, text, want):
    assert _cmds(parser.parse(text, "snug")) == want


@pytest.mark.parametrize("text", ["is the combi boiler on eco", "is the snug radiator on boost mode", "is the snug tv on hdmi 2"])
def test_a_question_about_an_option_sets_nothing(parser, text):
    assert all(c.action == "query" for c in parser.parse(text, "snug").commands)


@pytest.mark.parametrize("text,area,name", [
    ("is the stable door light", "scullery", "stable door light"), ("turn off the snug tv lamp", "snug", "snug tv lamp"),
    ("is the freezer plug light on", "cellar", "freezer plug light"), ("turn on the robo light", "scullery", "robo light"),
])
def test_a_type_word_right_after_a_devices_name_is_a_longer_name_not_two_devices(parser, text, area, name):
    u = parser.parse(text, area)
    assert u.commands == () and name in u.response.lower()


@pytest.mark.parametrize("text,want", [
    ("turn on the snug lamp", [("snug_lamp", "turn_on", None)]),
    ("turn the snug tv and the lamp off", [("snug_tv", "turn_off", None), ("snug_lamp", "turn_off", None)]),
])
def test_a_device_and_a_type_word_apart_are_still_what_they_say(parser, text, want):
    assert _cmds(parser.parse(text, "snug")) == want


@pytest.mark.parametrize("text,want", [
    ("warm up the attic bedroom light a lot", [("attic_light", "color_temp_down", 1500)]),
    ("cool down the attic bedroom light", [("attic_light", "color_temp_up", None)]),
    ("set the attic bedroom light to a warmer white", [("attic_light", "set_color_temp", 2700)]),
])
def test_warm_up_and_cool_down_are_comparatives_not_white_tones(parser, text, want):
    assert _cmds(parser.parse(text, "snug")) == want


def test_a_vacuums_suction_is_its_set_family_quantity():
    p = load_parser(parse_config("""
hub: {name: Dust, language: en}
areas: [{id: hall, name: Hall}]
devices:
  - {id: bot, name: Dustbot, area: hall, type: vacuum, features: [fan_speed], protocol: generic, topic: d/bot}
""", "dust.yaml"))
    assert _cmds(p.parse("set the dustbot suction to 40 percent")) == [("bot", "set_fan_speed", 40)]


def test_a_one_word_name_said_where_the_verb_goes_is_the_verb():
    p = load_parser(parse_config("""
hub: {name: Sweep, language: en}
areas: [{id: hall, name: Hall}, {id: study, name: Study}]
devices:
  - {id: bot, name: Dustbot, aliases: [hoover, vacuum], area: hall, type: vacuum, protocol: generic, topic: s/bot}
  - {id: lamp, name: Study lamp, area: study, type: light, protocol: generic, topic: s/lamp}
"""))
    assert _cmds(p.parse("hoover the study", "hall")) == [("bot", "clean_room", "study")]
    assert _cmds(p.parse("vacuum the hall", "study")) == [("bot", "clean_room", "hall")]
    assert _cmds(p.parse("turn on the hoover", "study")) == [("bot", "start", None)]
    assert _cmds(p.parse("start the vacuum", "study")) == [("bot", "start", None)]


@pytest.mark.parametrize("text,want", [
    ("water the yard", [("yard_hose", "open", None)]),
    ("give the cobbled yard a drink", [("yard_hose", "open", None)]),
])
def test_an_implied_phrase_may_hold_any_areas_name(parser, text, want):
    assert _cmds(parser.parse(text, "snug")) == want


@pytest.mark.parametrize("text,want", [
    ("have we left the stable door unlocked", [("stable_door", "query", None)]),
    ("did i leave the yard lights on", [("yard_lights", "query", None)]),
])
def test_a_question_about_what_the_speaker_did_asks_the_device(parser, text, want):
    assert _cmds(parser.parse(text, "snug")) == want
    assert parser.parse("we left the stable door unlocked", "snug").commands == ()  # a statement


def test_a_misspelt_question_word_is_corrected():
    p = load_parser(parse_config(HOME))
    assert _cmds(p.parse("wats the temperature in the cellar", "snug")) == [("cellar_sensor", "query", None)]


@pytest.mark.parametrize("text,want", [
    ("the snug lamp needs a new bulb", []),
    ("the yard heater wants fixing", []),
    ("the snug lamp needs turning off", [("snug_lamp", "turn_off", None)]),
    ("the yard heater needs to be switched on", [("yard_heater", "turn_on", None)]),
])
def test_needs_after_a_name_tells_unless_a_command_word_follows(parser, text, want):
    assert _cmds(parser.parse(text, "snug")) == want


def test_a_white_tone_on_a_colour_only_light_is_refused_not_read_as_the_colour_white():
    p = load_parser(parse_config("""
hub: {name: Tones, language: en}
areas: [{id: den, name: Den}]
devices:
  - {id: strip, name: Shelf strip, area: den, type: light, features: [brightness, color], protocol: generic, topic: t/strip}
"""))
    assert _cmds(p.parse("make the shelf strip daylight white", "den")) == []
    assert _cmds(p.parse("make the shelf strip white", "den")) == [("strip", "set_color", "white")]


@pytest.mark.parametrize("text,area,want", [
    ("turn the telly off", "snug", [("snug_tv", "turn_off", None)]),
    ("turn the telly off", "attic_bedroom", [("attic_telly", "turn_off", None)]),
    ("switch the telly over to netflix", "snug", [("snug_tv", "select_source", "netflix")]),
])
def test_a_synonym_of_a_type_word_is_that_type_word_in_the_speakers_room(parser, text, area, want):
    assert _cmds(parser.parse(text, area)) == want


@pytest.mark.parametrize("home,text,want", [
    ("heron_home.yaml", "switch on the sundowner scene", [("sundowner", "activate", None)]),
    ("heron_home.yaml", "put the quiet evening scene on", [("quiet_evening", "activate", None)]),
    ("moor_home.yaml", "turn the fireside scene on", [("fireside", "activate", None)]),
    ("moor_home.yaml", "can you turn on the harvest supper scene", [("harvest_supper", "activate", None)]),
    ("larch_home.yaml", "switch the cinema evening scene on please", [("cinema_evening", "activate", None)]),
    ("heron_home.yaml", "turn the sundowner scene off", []),
])
def test_a_scene_named_with_its_type_word_is_turned_on(home, text, want):
    """"turn on the X scene": the scene's name with "scene" after it, turned on, is activating it
    (a scene cannot be turned off)."""
    p = load_parser(load_config(NLU_CASES / home))
    assert _cmds(p.parse(text)) == want


FERNLEA = """
hub: {name: Fernlea, language: en, area: study}
areas:
  - {id: study, name: Study}
  - {id: loft, name: Loft}
  - {id: kitchen, name: Kitchen}
  - {id: hall, name: Hall}
devices:
  - {id: study_dh, name: Study dehumidifier, area: study, type: humidifier, protocol: generic, topic: f/sdh}
  - {id: loft_dh, name: Loft dehumidifier, area: loft, type: humidifier, protocol: generic, topic: f/ldh}
  - {id: kitchen_dl, name: Kitchen downlights, area: kitchen, type: light, protocol: generic, topic: f/kdl}
  - {id: hall_dl, name: Hall downlights, area: hall, type: light, protocol: generic, topic: f/hdl}
"""


@pytest.mark.parametrize("text,area,want", [
    ("turn off the dehumidifiers", "study", {("study_dh", "turn_off"), ("loft_dh", "turn_off")}),
    ("are either of the dehumidifiers on", "loft", {("study_dh", "query"), ("loft_dh", "query")}),
    ("is either of the dehumidifiers running", "kitchen", {("study_dh", "query"), ("loft_dh", "query")}),
    # the singular is this room's; a name that is itself plural ("downlights") is this room's too
    ("turn off the dehumidifier", "study", {("study_dh", "turn_off")}),
    ("turn off the downlights", "kitchen", {("kitchen_dl", "turn_off")}),
])
def test_a_plural_of_a_name_several_devices_share_is_all_of_them(text, area, want):
    p = load_parser(parse_config(FERNLEA, "fernlea.yaml"))
    assert {(c.device, c.action) for c in p.parse(text, area).commands} == want


@pytest.mark.parametrize("text", [
    "you don't need to unlock the stable door, I've got my key", "there's no need to open the attic blind",
    "no need to switch the yard heater on", "you needn't turn the snug lamp off"])
def test_no_need_to_do_something_asks_nothing(parser, text):
    assert parser.parse(text, "snug").commands == ()


def test_not_needing_a_device_on_is_still_turning_it_off(parser):
    assert _cmds(parser.parse("we don't need the yard heater on", "snug")) == [("yard_heater", "turn_off", None)]


@pytest.mark.parametrize("text,want", [
    ("let the attic blind down a bit", [("attic_blind", "position_down", None)]),
    ("drop the attic blind a little", [("attic_blind", "position_down", None)]),
    ("lift the attic blind down a touch more", [("attic_blind", "position_down", None)]),
    ("bring the attic blind down a bit", [("attic_blind", "position_down", None)]),
    ("pull the attic blind up a bit more", [("attic_blind", "position_up", None)]),
    ("let the dormer shutters down", [("attic_shutters", "close", None)]),
])
def test_a_cover_let_down_or_moved_a_bit_is_a_step(parser, text, want):
    assert _cmds(parser.parse(text, "snug")) == want


@pytest.mark.parametrize("text,area,want", [
    ("i can't see a thing in the cellar", "snug", {("cellar_pendant", "turn_on"), ("rack_light", "turn_on")}),
    ("i cannot see anything in here", "attic_bedroom", {("attic_light", "turn_on")}),
    ("it's pitch black in the scullery", "snug", {("scullery_ceiling", "turn_on")}),
])
def test_not_seeing_a_thing_is_too_dark(parser, text, area, want):
    assert {(c.device, c.action) for c in parser.parse(text, area).commands} == want


@pytest.mark.parametrize("text,want", [
    ("can robo go and mop the attic bedroom", [("robo", "clean_room", "attic_bedroom")]),
    ("could you go and turn the yard lights off", [("yard_lights", "turn_off", None)]),
    ("get robo to go and hoover the snug", [("robo", "clean_room", "snug")]),
])
def test_go_and_do_something_is_doing_it(parser, text, want):
    u = parser.parse(text, "snug")
    assert _cmds(u) == want and not u.partial, u.response


@pytest.mark.parametrize("text,area,want", [
    ("the carpets are filthy", "snug", [("robo", "start", None)]),
    ("the attic bedroom floor is dirty", "snug", [("robo", "clean_room", "attic_bedroom")]),
    ("the floors look grubby", "cellar", [("robo", "start", None)]),
])
def test_dirty_floors_imply_the_vacuum(parser, text, area, want):
    assert _cmds(parser.parse(text, area)) == want


@pytest.mark.parametrize("text,want", [
    ("morning can you nudge the snug radiator up a bit thanks", [("snug_rad", "temperature_up", None)]),
    ("evening could you bump the sonos speaker up a touch cheers", [("sonos", "volume_up", None)]),
    ("hiya nudge the snug lamp down a bit ta", [("snug_lamp", "brightness_down", None)]),
])
def test_a_greeting_and_thanks_around_a_step_up_or_down_a_bit(parser, text, want):
    assert _cmds(parser.parse(text, "snug")) == want


LARKSPUR = """
hub: {name: Larkspur, language: en, area: hall}
areas:
  - {id: hall, name: Hall}
  - {id: den, name: Den}
  - {id: porch, name: Screened porch, aliases: [porch]}
  - {id: sunroom, name: Sunroom}
  - {id: cellar, name: Cellar}
  - {id: attic, name: Attic}
  - {id: nursery, name: Nursery}
  - {id: garage, name: Garage}
devices:
  - {id: hall_light, name: Hall light, area: hall, type: light, protocol: generic, topic: l/hl}
  - {id: den_fan, name: Den ceiling fan, aliases: [den fan], area: den, type: fan, features: [speed, direction], protocol: generic, topic: l/df}
  - {id: den_lamp, name: Den lamp, area: den, type: light, features: [brightness], protocol: generic, topic: l/dl}
  - {id: porch_fan, name: Porch fan, area: porch, type: fan, protocol: generic, topic: l/pf}
  - {id: sun_fan_1, name: Sunroom fan one, area: sunroom, type: fan, features: [direction], protocol: generic, topic: l/sf1}
  - {id: sun_fan_2, name: Sunroom fan two, area: sunroom, type: fan, features: [direction], protocol: generic, topic: l/sf2}
  - {id: sun_hp, name: Sunroom heat pump, area: sunroom, type: climate, features: [target_temperature], protocol: generic, topic: l/shp}
  - {id: cellar_dh, name: Cellar dehumidifier, area: cellar, type: humidifier, protocol: generic, topic: l/cdh}
  - {id: cellar_tv, name: Cellar telly, area: cellar, type: media_player, features: [volume], protocol: generic, topic: l/ctv}
  - {id: cellar_lights, name: Cellar lights, area: cellar, type: light, protocol: generic, topic: l/cl}
  - {id: attic_lights, name: Attic lights, area: attic, type: light, features: [brightness], protocol: generic, topic: l/al}
  - {id: nursery_hum, name: Nursery humidifier, area: nursery, type: humidifier, protocol: generic, topic: l/nh}
  - {id: garage_lights, name: Garage lights, area: garage, type: light, protocol: generic, topic: l/gl}
  - {id: car_heater, name: Engine heater, aliases: [car], area: garage, type: outlet, protocol: generic, topic: l/eh}
  - {id: nest, name: Nest, type: climate, features: [target_temperature], protocol: generic, topic: l/nest}
"""


@pytest.fixture(scope="module")
def larkspur():
    return load_parser(parse_config(LARKSPUR, "larkspur.yaml"))


@pytest.mark.parametrize("text,want", [
    ("reverse the ceiling fan in the den", [("den_fan", "set_direction", "reverse")]),
    ("could you reverse the den fan", [("den_fan", "set_direction", "reverse")]),
    ("put the den fan in reverse", [("den_fan", "set_direction", "reverse")]),
    ("reverse the sunroom fans", [("sun_fan_1", "set_direction", "reverse"), ("sun_fan_2", "set_direction", "reverse")]),
    # a fan that cannot reverse is refused, never toggled
    ("reverse the porch fan", []),
    ("turn the den fan on", [("den_fan", "turn_on", None)]),
    ("toggle the den fan", [("den_fan", "toggle", None)]),
    ("set the den fan to forward", [("den_fan", "set_direction", "forward")]),
])
def test_a_verb_that_names_an_option_is_that_option(larkspur, text, want):
    """language.yaml option_verbs: "reverse the fan" is its direction, as "put the fan in reverse"."""
    assert _cmds(larkspur.parse(text, "hall")) == want


@pytest.mark.parametrize("text,want", [
    ("turn the telly on down in the cellar", [("cellar_tv", "turn_on", None)]),
    ("switch on the lights up in the attic", [("attic_lights", "turn_on", None)]),
    ("turn the lights off out in the garage", [("garage_lights", "turn_off", None)]),
    ("turn on the lights out in the garage", [("garage_lights", "turn_on", None)]),
    ("put the telly on down in the cellar", [("cellar_tv", "turn_on", None)]),
    ("it's dark down in the cellar", [("cellar_lights", "turn_on", None)]),
    # alone, the word is the way
    ("turn the lights down in the attic", [("attic_lights", "brightness_down", None)]),
    ("turn the attic lights up in the attic", [("attic_lights", "brightness_up", None)]),
])
def test_down_or_up_before_a_room_says_where_when_the_way_is_said(larkspur, text, want):
    """language.yaml place_adverbs: "down in the cellar" is where, not dimmer, beside another direction
    or in a statement."""
    assert _cmds(larkspur.parse(text, "hall")) == want


@pytest.mark.parametrize("text,area,want", [
    ("it's so damp in the cellar", "hall", [("cellar_dh", "turn_on", None)]),
    ("it's really muggy in here", "cellar", [("cellar_dh", "turn_on", None)]),
    ("it's getting musty down in the cellar", "hall", [("cellar_dh", "turn_on", None)]),
    # never a humidifier, never the dehumidifier of another room, never for a question
    ("it's humid in the nursery", "hall", []),
    ("it's really muggy in here", "attic", []),
    ("how humid is it in the cellar", "hall", [("cellar_dh", "query", None)]),
])
def test_damp_air_implies_a_dehumidifier(larkspur, text, area, want):
    assert _cmds(larkspur.parse(text, area)) == want


@pytest.mark.parametrize("text,want", [
    ("plug in the car", [("car_heater", "turn_on", None)]),
    ("plug the engine heater in", [("car_heater", "turn_on", None)]),
    ("unplug the engine heater", [("car_heater", "turn_off", None)]),
    # a statement run on into a command that names its device: the command alone
    ("it's minus twenty outside plug in the car", [("car_heater", "turn_on", None)]),
    ("it's freezing tonight plug in the engine heater", [("car_heater", "turn_on", None)]),
    ("there's a storm coming unplug the engine heater", [("car_heater", "turn_off", None)]),
    ("it is what it is turn off the hall light", [("hall_light", "turn_off", None)]),
    ("it's dark in the cellar turn on the telly", [("cellar_tv", "turn_on", None)]),
    # too early to do it is not doing it
    ("it's too early to plug in the car", []),
    ("it's too soon to turn on the garage lights", []),
])
def test_plugging_in_and_a_statement_run_on_into_a_command(larkspur, text, want):
    """commands.yaml "plug in {target}", "unplug {target}"; language.yaml statement_starts and
    run_on_not_after; needless "too early to"."""
    assert _cmds(larkspur.parse(text, "hall")) == want


@pytest.mark.parametrize("text,area,want", [
    ("it's freezing in here", "hall", [("nest", "temperature_up", None)]),
    ("it's boiling in here", "hall", [("nest", "temperature_down", None)]),
    ("turn up the heat in here", "den", [("nest", "temperature_up", None)]),
    ("what's the temperature in here", "attic", [("nest", "query", None)]),
    # a room with its own is its own
    ("it's freezing in here", "sunroom", [("sun_hp", "turn_on", None)]),
    # a named room is not "in here": the whole home's device does not stand in for it
    ("it's freezing in the attic", "hall", []),
    ("turn on the lights in here", "nursery", []),
    # a clause that acts answers the complaint: the stand-in is only a guess
    ("it's freezing in here, plug in the car", "hall", [("car_heater", "turn_on", None)]),
    ("make it warmer in here and turn on the hall light", "hall",
     [("nest", "temperature_up", None), ("hall_light", "turn_on", None)]),
])
def test_in_here_without_a_device_of_its_own_is_the_whole_homes_one(larkspur, text, area, want):
    """A device of no room stands in for the speaker's room that has none of its kind (a complaint
    another clause answers is not guessed at)."""
    assert _cmds(larkspur.parse(text, area)) == want


def test_in_here_with_several_devices_of_no_room_is_no_guess():
    p = load_parser(parse_config("""
hub: {name: Twin zones, language: en}
areas: [{id: hall, name: Hall}, {id: loft, name: Loft}]
devices:
  - {id: up, name: Upstairs thermostat, type: climate, features: [target_temperature], protocol: generic, topic: t/up}
  - {id: down, name: Downstairs thermostat, type: climate, features: [target_temperature], protocol: generic, topic: t/dn}
  - {id: lamp, name: Hall lamp, area: hall, type: light, protocol: generic, topic: t/lamp}
""", "twin.yaml"))
    assert p.parse("it's freezing in here", "hall").commands == ()


@pytest.mark.parametrize("home,text,want", [
    ("moor_home.yaml", "reverse the hayloft fan", [("hayloft_fan", "set_direction", "reverse")]),
    ("moor_home.yaml", "put the hayloft fan in reverse", [("hayloft_fan", "set_direction", "reverse")]),
    ("home_b.yaml", "reverse the bedroom fan", []),  # it has no direction: never a toggle
    ("home_b.yaml", "it's so damp down in the basement", [("basement_dehumidifier", "turn_on", None)]),
    ("home_b.yaml", "it's really muggy in the rec room", [("basement_dehumidifier", "turn_on", None)]),
    ("home_b.yaml", "turn the projector on down in the basement", [("projector", "turn_on", None)]),
    ("heron_home.yaml", "it's a bit damp in the twin room", [("ebac", "turn_on", None)]),
])
def test_option_verbs_place_adverbs_and_damp_air_on_held_out_homes(home, text, want):
    p = load_parser(load_config(NLU_CASES / home))
    assert _cmds(p.parse(text)) == want


def _home(name: str) -> Path:
    root = Path(__file__).resolve().parent
    return {"config.yaml": root.parent / "config.yaml", "cottage.yaml": root / "asr_cases" / "cottage.yaml"}.get(
        name, NLU_CASES / name)


@pytest.mark.parametrize("home,text,area,want,unknown", [
    (None, "turn off the snug lamp and the glimmer lamp", "snug", [("snug_lamp", "turn_off", None)], "glimmer lamp"),
    (None, "switch off the yard lights and priya's lamp", "yard", [("yard_lights", "turn_off", None)], "priya"),
    ("config.yaml", "turn off the desk lamp and mia's lamp", "office", [("desk_lamp", "turn_off", None)], "mia"),
    ("config.yaml", "turn off the hall light, the desk lamp and tom's lamp", "office",
     [("hall_light", "turn_off", None), ("desk_lamp", "turn_off", None)], "tom"),
    ("cottage.yaml", "turn on the porch light and jacob's lamp", "porch", [("porch_light", "turn_on", None)], "jacob"),
])
def test_an_unknown_device_in_a_list_beside_known_ones_makes_the_reading_partial(parser, home, text, area, want, unknown):
    """A name the home lacks, said in one clause beside names it has ("turn off tama's lamp and
    churis lamp", from the blind speech set): the known ones act (typed text), the reply says which
    is unknown, and the reading is partial, so from speech the hub asks before doing half."""
    p = parser if home is None else load_parser(load_config(_home(home)))
    u = p.parse(text, area)
    assert _cmds(u) == want and unknown in u.response.lower() and u.partial, (u.response, u.partial)


@pytest.mark.parametrize("home,text,area", [
    (None, "turn off the snug lamp and the snug tv", "snug"),
    ("config.yaml", "turn off the desk lamp and the hall light", "office"),
    ("cottage.yaml", "turn on the porch light and the sofa lamp", "porch"),
])
def test_a_list_of_known_devices_is_not_partial(parser, home, text, area):
    p = parser if home is None else load_parser(load_config(_home(home)))
    u = p.parse(text, area)
    assert len(u.commands) == 2 and not u.partial, (u.response, u.partial)


@pytest.mark.parametrize("home,text,area,want", [
    # a room with a fan and no climate device of its own: its fan
    (None, "it's roasting out on the porch", "hall", [("porch_fan", "turn_on", None)]),
    (None, "it's baking in the den", "hall", [("den_fan", "turn_on", None)]),
    (None, "it's so stuffy in here", "den", [("den_fan", "turn_on", None)]),
    (None, "it's far too hot in here", "porch", [("porch_fan", "turn_on", None)]),
    (None, "it's absolutely sweltering in the den", "hall", [("den_fan", "turn_on", None)]),
    ("home_a.yaml", "it's sweltering in the guest bedroom", None, [("tower_fan", "turn_on", None)]),
    ("quay_home.yaml", "it's boiling in the loft bedroom", None, [("desk_fan", "turn_on", None)]),
    # a room with a climate device (a fan or not): the climate device, as before
    (None, "it's boiling in the sunroom", "hall", [("sun_hp", "turn_on", None)]),
    (None, "it's sweltering in the sunroom", "hall", [("sun_hp", "turn_on", None)]),
    (None, "it's boiling in here", "hall", [("nest", "temperature_down", None)]),
    ("config.yaml", "it's boiling in the bedroom", "living_room", [("bedroom_heater", "temperature_down", None)]),
    ("config.yaml", "it's roasting in the bedroom", "living_room", [("bedroom_heater", "temperature_down", None)]),
    # a fan that heats or cleans the air is no answer to heat, nor is a room with nothing
    ("cottage.yaml", "it's roasting in the sitting room", None, []),
    ("heron_home.yaml", "it's boiling in the principal bedroom", None, []),
    (None, "it's roasting in the cellar", "hall", []),
])
def test_too_hot_in_a_room_without_a_climate_device_is_its_fan(larkspur, home, text, area, want):
    """implied.yaml: heat said of a room (roasting, boiling, sweltering, stuffy ...) with a fan and
    no climate device of its own turns the fan on; a room with one lowers its temperature."""
    p = larkspur if home is None else load_parser(load_config(_home(home)))
    assert _cmds(p.parse(text, area)) == want


@pytest.mark.parametrize("text,area,want", [
    ("it's freezing in the yard", "snug", [("yard_heater", "turn_on", None)]),
    ("it's freezing in here", "snug", [("snug_rad", "temperature_up", None)]),
    # found while fixing: "up" before a room named by one word of its name is where, not which way
    ("it's boiling up on the roof", "snug", [("terrace_ac", "turn_on", None)]),
    ("it's freezing up on the roof", "snug", [("terrace_ac", "turn_on", None)]),
])
def test_cold_in_a_room_with_a_heater_switch(parser, text, area, want):
    """implied.yaml: cold said of a room with no climate device of its own and a switch or socket
    named a heater turns the heater on; a room with a climate device raises its temperature (and
    lowers it for heat, whichever way "up on the roof" points)."""
    assert _cmds(parser.parse(text, area)) == want


@pytest.mark.parametrize("home,text,want", [
    # the tags read "the robot" as Dusty and left "hoover" over, a word of Dusty's own alias "robot hoover"
    ("asr_cases/blind4/foxglove.yaml", "send the robot hoover back to its dock", [("dusty", "dock", None)]),
])
def test_the_rest_of_a_name_the_tags_split_is_no_name_the_home_lacks(home, text, want):
    cfg = load_config(Path(__file__).resolve().parent / home)
    u = load_parser(cfg).parse(text, cfg.hub.area)
    assert _cmds(u) == want and not u.partial and "know" not in u.response, (u.response, u.partial)


BLIND = Path(__file__).parent / "mechanism_cases" / "blind_2026-12-04.jsonl"
"""Written blind by a helper who read only the homes (2026-12-04): small amounts said many ways,
questions about a state ("is the tv muted", "has the alarm been disarmed"), commands cut off on a
word that needs more, and a mode's name garbled before "mode". First run, before the mechanisms
they test: 49 of 66 as labelled."""
BLIND2 = Path(__file__).parent / "mechanism_cases" / "blind2_2026-12-04.jsonl"
"""Written blind by a helper who read only the homes and the catalog (2026-12-04, after blind9's
first run): a reason run on after a command ("switch off the garage light the kids have gone to
sleep") and look-alikes that are one request ("check the front door is locked"); open, close or
shut said of a device that switches ("close the light", "open the tv") and of covers, valves and
locks. First run, before the mechanisms: 18 of 46."""
BLIND3 = Path(__file__).parent / "mechanism_cases" / "blind3_2026-12-04.jsonl"
"""Written blind by a helper who read only the homes and the catalog (2026-12-04, after blind9's
"shoo it's like an oven in the lounge"): an exclamation before a statement or a command, and the
statements alone. First run, before the mechanism: 24 of 36 as labelled (interjection and
statement 8 of 18); after it 29 (13 of 18): the rest are statements not understood with or without
an exclamation ("it's proper stuffy", "like a sauna", "all steamed up")."""
BLIND4 = Path(__file__).parent / "mechanism_cases" / "blind4_2026-12-04.jsonl"
"""Written blind by a helper who read only the homes and the catalog (2026-12-04, after blind10's
first run), with four small homes of its own (mechanism_cases/homes4): a command that ends with
whom or what it is for ("turn on the night light for oisin", misheard "for rushing") and controls
whose "for" matters (a duration, a room, an alias "the heater for the dog"); a full name whose
first words are another name with its article ("the hen house" beside "Hen house light"); aliases
that are a determiner and a type word ("our light", "the lamp") beside other rooms' devices of that
type. First run, after the mechanisms, counted whole and sure: 44 of 50 (all 6 misses generic
aliases and the dog's heater); before them: 24 of 50."""
LEFT = {
    "turn the orangery speaker down by a couple of notches": "a plural of an amount word is not read",
    "open the front door": "a lock that cannot unlatch is never unlocked by 'open' (home_c's label)",
}


def _blind(kind: str, path: Path = BLIND) -> list:
    cases = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [pytest.param(c, id=c["text"], marks=[pytest.mark.xfail(reason=LEFT[c["text"]], strict=True)]
                         if c["text"] in LEFT else []) for c in cases if c["kind"] in kind.split(",")]


@pytest.fixture(scope="module")
def homes():
    parsers = {}

    def get(path: str):
        if path not in parsers:
            cfg = load_config(Path(__file__).parent.parent / path)
            parsers[path] = (cfg, load_parser(cfg))
        return parsers[path]
    return get


def _said(homes, case):
    cfg, parser = homes(case["home"])
    u = parser.parse(case["text"], case["area"] or cfg.hub.area)
    return sorted((c.device, c.action) for c in u.commands), u.complete


@pytest.mark.parametrize("case", _blind("small,state_question,cut_off,bad_mode"))
def test_blind_cases_of_amounts_state_questions_cut_off_commands_and_garbled_modes(homes, case):
    """A whole command gives its commands and is understood word for word; a cut-off one is never
    a whole command (its words so far may give commands, as typed text would: the endpoint waits
    and a rival reading that stops there holds no whole one); a garbled mode does nothing."""
    got, complete = _said(homes, case)
    if case["complete"]:
        assert (got, complete) == (sorted((c["device"], c["action"]) for c in case["commands"]), True)
    elif case["kind"] == "bad_mode":
        assert got == []
    else:
        assert not (got and complete)


@pytest.mark.parametrize("case", _blind("reason_after,reason_control,open_close_switch,open_close_cover", BLIND2))
def test_blind_cases_of_reasons_after_a_command_and_open_or_close_said_of_a_switch(homes, case):
    """A reason run on after a command is not the command's; open and close of a device that only
    switches turn it on and off; of covers, valves and locks they keep their meaning."""
    got, _ = _said(homes, case)
    assert got == sorted((c["device"], c["action"]) for c in case["commands"])


def test_an_alias_that_says_its_room_lends_no_bare_type_word_to_other_rooms():
    """An alias "the light in our room" in the room aliased "our room" leaves "the light in" once
    the room's words are taken out: no name of its own, or "close the light in the study" (blind9)
    is that light, not the study's lamp."""
    cfg = parse_config("""
hub: {name: Test, language: en, area: kitchen}
areas:
  - {id: kitchen, name: Kitchen}
  - {id: bedroom, name: Main bedroom, aliases: [our room]}
  - {id: den, name: Den}
devices:
  - {id: bed_light, name: Bedroom light, aliases: [the light in our room], area: bedroom, type: light, protocol: generic, topic: t/b}
  - {id: den_lamp, name: Den lamp, area: den, type: light, protocol: generic, topic: t/d}
""")
    parser = load_parser(cfg)
    assert _cmds(parser.parse("turn off the light in the den", "kitchen")) == [("den_lamp", "turn_off", None)]
    assert _cmds(parser.parse("close the light in the den", "kitchen")) == [("den_lamp", "turn_off", None)]
    assert _cmds(parser.parse("turn off the light in our room", "kitchen")) == [("bed_light", "turn_off", None)]


@pytest.mark.parametrize("text,want", [
    ("put the snug tv on channel one nine one", [("snug_tv", "set_channel", 191)]),
    ("switch the snug tv to channel one zero one", [("snug_tv", "set_channel", 101)]),
    ("snug tv channel four five six please", [("snug_tv", "set_channel", 456)]),
    ("put the snug tv on channel one hundred and one", [("snug_tv", "set_channel", 101)]),
    ("put the snug tv on channel twenty two", [("snug_tv", "set_channel", 22)]),
    # whisper mixes digits and words: "2 hundred and three" had been read as 103
    ("Put the snug tv on channel 2 hundred and three.", [("snug_tv", "set_channel", 203)]),
    ("snug tv channel 3 hundred", [("snug_tv", "set_channel", 300)]),
    ("put the snug tv on channel 1 hundred and 12", [("snug_tv", "set_channel", 112)]),
    # "oh" between two digits is zero (training/asr's "put the sky on channel one oh one" had been 1)
    ("put the snug tv on channel one oh one", [("snug_tv", "set_channel", 101)]),
])
def test_a_number_said_digit_by_digit_is_one_number(parser, text, want):
    """blind9's "put the tv on channel one nine one" had set channel 9: three single digits or
    more in a row are one number (language.yaml numbers.digit_run); fewer stay apart. blind18's
    "channel two hundred and three", heard "channel 2 hundred and three", had been 103: a count in
    digits before hundred or thousand, and digits under 100 after them, belong to the number."""
    assert _cmds(parser.parse(text, "snug")) == want


@pytest.mark.parametrize("case", [c for c in _blind("interjection_statement", BLIND3) if " it's " in c.values[0]["text"]])
def test_an_exclamation_before_a_statement_changes_nothing(homes, case):
    """ "eish it's dark in the kitchen" means what "it's dark in the kitchen" means (language.yaml
    interjections): the exclamation had kept the statement from being read at all."""
    cfg, parser = homes(case["home"])
    area = case["area"] or cfg.hub.area
    statement = case["text"][case["text"].index("it's"):]
    assert _cmds(parser.parse(case["text"], area)) == _cmds(parser.parse(statement, area))


@pytest.mark.parametrize("case", _blind("interjection_command", BLIND3))
def test_an_exclamation_before_a_command(homes, case):
    got, _ = _said(homes, case)
    assert got == sorted((c["device"], c["action"]) for c in case["commands"])


@pytest.mark.parametrize("case", _blind("purpose_tail,overlapping_names,determiner_alias", BLIND4))
def test_blind_cases_of_a_closing_purpose_overlapping_names_and_generic_aliases(homes, case):
    """Whom a command is for refuses no name beside it (language.yaml purpose_leads; words the
    home does not know, "for koro", still leave it no whole command); the most words of a name win
    over a shorter name with its article (HomeIndex.exact); "the lamp" as an alias is the lamp where
    the room does not decide (language.yaml generic_determiners)."""
    cfg, parser = homes(case["home"])
    u = parser.parse(case["text"], case["area"] or cfg.hub.area)
    got = sorted((c.device, c.action, c.value, c.when.duration_s if c.when else None) for c in u.commands)
    want = sorted((c["device"], c["action"], c.get("value"), c.get("duration_s")) for c in case["commands"])
    whole = u.complete or not got or case["kind"] == "purpose_tail"
    assert (got, whole, u.partial) == (want, True, False)


@pytest.mark.parametrize("text,whole", [
    ("turn the snug radiator up to degrees", False),
    ("turn the snug radiator down degrees", False),
    ("set the attic bedroom light to percent", False),
    ("turn the snug radiator up two degrees", True),
    ("turn the snug radiator up a couple of degrees", True),
    ("set the attic bedroom light to forty percent", True),
])
def test_a_unit_without_its_number_is_no_whole_command(parser, text, whole):
    """blind5's "turn the heating up two degrees" was held against its own rival "... up to
    degrees": a unit word right after "to", "by", "up" ... says a number not heard (language.yaml
    lost_number_after), so that reading is no whole command and holds no close call."""
    u = parser.parse(text, "snug")
    assert bool(u.commands and u.complete) == whole


@pytest.mark.parametrize("text,want", [
    ("turn the snug radiator down two degrees it is like a sauna in here", [("snug_rad", "temperature_down", 2)]),
    ("switch the dehumidifier off it is far too noisy", [("dehumidifier", "turn_off", None)]),
    ("put the yard lights on it's getting dark", [("yard_lights", "turn_on", None)]),
])
def test_a_reason_run_on_may_open_with_it(parser, text, want):
    """blind10's "turn the heating down two degrees it is like a sauna in here" had refused "sauna"
    as a device beside the command: "it" opens a statement of why too (language.yaml reason_subjects)."""
    assert _cmds(parser.parse(text, "snug")) == want


def test_a_name_refused_in_a_clause_of_its_own_leaves_the_rest_unsure(homes):
    """blind8's "turn off tama's lamp and sarah's lamp" heard "... and turn his lamp": the second
    clause refused "his lamp" and the first acted with nothing to say part was lost (partial), so
    speech acted on half of it; now it waits for a yes as "... and churis lamp" does."""
    cfg, parser = homes("tests/asr_cases/blind8/kowhai.yaml")
    u = parser.parse("turn off tama's lamp and turn his lamp", cfg.hub.area)
    assert [(c.device, c.action) for c in u.commands] == [("tamas_lamp", "turn_off")] and u.partial


SPOKEN = Path(__file__).parent / "mechanism_cases" / "spoken_2026-12-04.jsonl"
"""Written blind by a helper who read only the homes and the catalog (2026-12-04, after blind10's
first run), with two homes of its own (homes5: a Bengaluru flat, a Savannah bungalow): 120 things
people really say to a speaker (fillers, self-repairs, polite wrappers, needs, run-on commands,
regional words, changes by feel, casual questions, things that must do nothing). First run: 79 of
120 by commands, with 6 wrong actions among the 14 self-repairs alone."""
SPOKEN2 = Path(__file__).parent / "mechanism_cases" / "spoken2_2026-12-04.jsonl"
"""Written blind by another helper after the self-repair, run-on and polite-lead mechanisms, with a
home of its own (homes6/pentreath): 30 self-repairs (5 that end on an unlock, a disarm or an
opening, to be asked again), 22 run-on commands and look-alikes that are one, 18 polite wrappers.
First run: 61 of 70."""
SPOKEN3 = Path(__file__).parent / "mechanism_cases" / "spoken3_2026-12-06.jsonl"
"""Written blind by a helper (2026-12-06, after blind33's and blind34's first runs) with two homes
of its own (homes7: a Shawlands semi, Glasgow; a Joondalup house, Perth): three cases each, per home,
of eight kinds those sets had shown: a feeling said with a regional intensifier ("pure baltic"),
a need naming no device (a dusty floor, a cooking smell, thirsty plants), a question about what a
sensor senses ("is it bucketing down"), a cover moved with a way and an amount ("down halfway",
"till it's a quarter open"), a value then a reason like a way, a remark holding a word of a name,
three commands run on, "all the X" in a word naming several rooms. First run, on the code of
0367260: 31 of 48 (3 wrong); with the mechanisms of that round written before it came: 32 (4
wrong: "it's stinking hot" had turned the rangehood on, a cooking smell's word alone, since taken out)."""
SPOKEN4 = Path(__file__).parent / "mechanism_cases" / "spoken4_2026-12-06.jsonl"
"""Written blind by a helper (2026-12-06, after blind35's and blind36's first runs) with two homes of
its own (homes8: a Havendale house, Kingston; a Westport farmhouse, Mayo): three cases each, per
home, of six kinds those sets had shown: "put out" / "turn out" for off, a state asked with a tag and
no verb ("the back door locked or not"), a second command opening with its way and a possessive
("... and off har fan"), insects that bite, cold water, cooking smoke. First run, on the code of
18ec9bf: 5 of 36 (8 wrong); after the round's mechanisms: 31."""
SPOKEN5 = Path(__file__).parent / "mechanism_cases" / "spoken5_2026-12-06.jsonl"
"""Written blind by a helper (2026-12-06 morning, after blind37's and blind38's first runs) with two
homes of its own (homes9: a Hartlepool terrace; an Acadian house outside Lafayette): three cases
each, per home, of ten kinds those sets had shown: a term of address between two parts ("open the
blinds pet it's a lovely day"), a need said "out here", where someone went after a command, "knock"
and "whack" on and off, steam or condensation, a vacuum asked to "do" a room, a room then a person
where a device's alias begins with the room's word, "some" before a word of a name, a title spelled
out in a brand ("mister coffee"), "still" in a question. First run, on the code of 805875a: 35 of 60
(5 wrong); with that round's mechanisms written before it came (a6a05bd): 47 (2 wrong); after
its own: 56, none wrong."""
SPOKEN6 = Path(__file__).parent / "mechanism_cases" / "spoken6_2026-12-06.jsonl"
"""Written blind by a helper (2026-12-06 morning, after blind39's and blind40's first runs) with two
homes of its own (homes10: a Montego Bay house; a McKeesport frame house): three cases each, per
home, of six kinds those sets had shown: a dialect's spellings of small words ("put on de fan"), a
complaint said twice, covers let down, a need said as "needs + past participle", a room whose name
holds "house", a command then a statement with "got" or "gone". First run, on the code of b2222b4:
18 of 36 (1 wrong); with that round's mechanisms written before it came (72dafec): 23, none wrong;
after its own: 31, none wrong."""
SPOKEN7 = Path(__file__).parent / "mechanism_cases" / "spoken7_2026-12-06.jsonl"
"""Written blind by a helper (2026-12-06, after blind41's and blind42's first runs as text) with two
homes of its own (homes11: a Cape Breton farmhouse; an Ozarks farm): three cases each, per home, of
eight kinds those sets had shown: an interjection before the command ("yes b'y ..."), a statement in
the dialect's own aspect run on into a command on "it" ("the porch light is after being left on again
shut it off"), a regional verb ("mash", "pull the barn door to"), a reason with place or time words
after a command, a need said with the dialect's intensifiers ("it's some stuffy"), a polite lead
("reckon you could ..."), "plug in" the thing a plug is named for, a level said the dialect's way.
First run, on the code of 5d6239b: 36 of 48 (1 wrong); after the round's mechanisms: 48."""
SPOKEN8 = Path(__file__).parent / "mechanism_cases" / "spoken8_2026-12-06.jsonl"
"""Written blind by a helper (2026-12-06, after blind43's and blind44's first runs as text) with two
homes of its own (homes12: a Fife council house; a west-side San Antonio house): three cases each,
per home, of eight kinds those sets had shown: the dialect's spellings of small words ("pit the big
light aff"), Spanish words inside English ("prende", "el", "vamos"), a smell, steam or damp in a room,
a reason whose person begins a device's alias ("abuelita's already asleep"), a level said with "tae",
a polite tail ("would ye"), a need with an intensifier ("the tomatoes are pure gaspin"), a question in
the dialect. First run, on the code of 8072863: 37 of 48 (none wrong); after the round's mechanisms: 48."""
SPOKEN9 = Path(__file__).parent / "mechanism_cases" / "spoken9_2026-12-06.jsonl"
"""Written blind by a helper (2026-12-06, after blind47-blind50's first runs) with two homes of its
own (homes13: a Bristol terrace; a Cebu City house): three cases each, per home, of eight kinds those
sets had shown: a command done "for" a person a device is named after ("put the telly on for nan"), a
state asked with "yet" or "still" and no verb ("the back door locked yet"), the alarm's mode said by the
occasion, a vocative before a reason ("start the rice cooker day the fish is almost done"), a place
only devices are named for ("in the greenhouse"), the dialect's small words, "open" and "close" for on
and off, "set ... going". First run, on the code of ef48c24: 33 of 48 (3 wrong); after the round's
mechanisms: 43 (1 wrong: an alarm's mode said as "we're just inside the house only")."""
SPOKEN11 = Path(__file__).parent / "mechanism_cases" / "spoken11_2026-12-06.jsonl"
"""Written blind by a helper (2026-12-06, after blind55 and blind56's first runs) with two homes of its
own (homes15: a house in Diego Martin, Trinidad; a flat in Kothrud, Pune): six cases each of eight kinds
those sets had shown: "out" before "everything" or "all", "catch" (Guyanese "ketch") a light for on, the
assistant's name said after a greeting, a state offered with "or" and the other state, what a device is
set on, Hindi and Trinidadian interjections, "no body" as a recogniser splits it, and mixes of them.
First run, on the code of 5a8c730 (before the round): 26 of 48 (5 wrong); on the code that the round had
built when it was written: 35 (4 wrong); after the round: 45 (1 wrong)."""
SPOKEN10 = Path(__file__).parent / "mechanism_cases" / "spoken10_2026-12-06.jsonl"
"""Written blind by a helper (2026-12-06, after blind51-blind54's first runs as text) with two homes of
its own (homes14: a Bolton terrace; a house in Mikocheni, Dar es Salaam): six cases each of ten kinds
those sets had shown: a word beside a command that names no device (a question's subject, "a cup of",
the person who left it on), Lancashire "t'", a verb that alone says the action ("set the burglar
alarm"), a simile ("dark as pitch"), having a device do it ("let the robot clean the kitchen"), a
statement run on into a question, one quantity asked in a room of two sensors, a reason with "can't",
"down the cellar" after the way, a hot shower wanted. First run, on the code of 1c9646c: 33 of 60 (6
wrong); after the round's mechanisms: 52 (2 wrong)."""
SPOKEN_LEFT = {
    "ark at that rain the velux still open": "'ark at that rain' before a question is not cut",
    "kindly arm the alarm we're just inside the house only": "'inside the house' is no occasion arm_occasions lists",
    "mek de kettle boil fi mi": "'mek' (make or let) is left unread",
    "de floor dem need to be swept": "the plural 'dem' after a noun breaks the phrase",
    "de clothes dem need to be washed": "the plural 'dem' after a noun breaks the phrase",
    "tun off de playstation jamal got school tomorrow": "a time word in the statement is read as the command's",
    "jeez it's cold cold down the basement": "'down the basement' (in the basement) is not read as a room said",
    "the bairns want some popcorn for the film": "'some' makes 'popcorn' a thing; nothing implies its maker",
    "we need some ice for the ice chest": "'ice chest' is read as an unknown device",
    "put on some rice baby": "'some rice': nothing implies the rice cooker for 'put on'",
    "set the mister cool to seventy two": "the alias 'mister' (the mosquito mister) wins over 'Mr Cool mini split'",
    "put the big light out inna the living room": "'out' before a place is not read as the way",
    "granny fan still a run or wha": "'a run' (Jamaican progressive) is no state",
    "turn down granny radio and off har fan": "'har' (her) is no determiner",
    "mosquito a nyam the boys dem alive inna dem room": "'dem room' names the boys' room only by 'dem'",
    "the dog's left hair all over the lounge get the robot onto it": "a need and 'get the robot onto it'",
    "naledi's scared of the dark": "a need: no implied.yaml phrase",
    "lights off in the lounge telly off too and lock up": "'lights off in the lounge' after the kitchen's; 'lock up'",
    "i'm fixing to go to bed cut the box fan on": "'cut ... on' (US South) is not read",
    "nudge the heat pump up by a degree and a half": "'a degree and a half' read as 50",
    "did the boys leave their playstation on again": "a question about others' doing",
    "heating down two degrees fan on": "a verbless 'heating down two degrees' is read as a close",
    "bedside lamp off fan off": "'fan' is read as a climate mode",
    "the visitors want three cups of chai on the kettle": "a wish for chai 'on the kettle' is not read",
    "it's cold as charity in the loft": "a heater is turned up for the cold (the set says turned on)",
    "have the robot hoover go round the back kitchen": "'go round' a room is no cleaning phrase",
    "have the washing machine do a load of whites": "'do a load' is no phrase of the washer",
    "make the sitting room fan blow harder": "'blow harder' is no speed phrase",
    "put the light out up the loft": "'out' before a place is not read as the way",
    "morning jarvis ketch de light in granny room": "'the light' of a room with a light and a night light asks which",
}


def _spoken(path: Path) -> list:
    cases = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [pytest.param(c, id=c["text"], marks=[pytest.mark.xfail(reason=SPOKEN_LEFT[c["text"]], strict=True)]
                         if c["text"] in SPOKEN_LEFT else []) for c in cases]


@pytest.mark.parametrize("case", _spoken(SPOKEN) + _spoken(SPOKEN2) + _spoken(SPOKEN3) + _spoken(SPOKEN4)
                         + _spoken(SPOKEN5) + _spoken(SPOKEN6) + _spoken(SPOKEN7) + _spoken(SPOKEN8)
                         + _spoken(SPOKEN9) + _spoken(SPOKEN10) + _spoken(SPOKEN11))
def test_blind_spoken_phrasing(homes, case):
    """What people say, as the shared eval scores it (device, action, value; a timed command's
    time aside); self-repairs (hub/nlu/repair.py), run-on commands (clauses._run_on), polite leads
    (Framing.polite_lead) and complaints made worse (language.yaml complaint_worse) among them."""
    cfg, parser = homes(case["home"])
    u = parser.parse(case["text"], case["area"] or cfg.hub.area)
    got = sorted((c.device, c.action, c.value) for c in (*u.commands, *u.scheduled))
    assert got == sorted((c["device"], c["action"], c.get("value")) for c in case["commands"])


@pytest.mark.parametrize("home,text,want", [
    ("tests/asr_cases/blind48/penzance.yaml", "put the telly on for gran", [("tv", "turn_on", None)]),
    ("tests/asr_cases/blind48/penzance.yaml", "turn the conservatory heater on for gran she's feeling the cold",
     [("conservatory_heater", "turn_on", None)]),
    ("tests/asr_cases/blind50/dudley.yaml", "the front door locked yet", [("front_door", "query", None)]),
    ("tests/asr_cases/blind50/dudley.yaml", "the garage door still open", [("garage_door", "query", None)]),
    ("tests/asr_cases/blind50/dudley.yaml", "ow warm is it in the box room", [("gro_egg", "query", None)]),
    ("tests/asr_cases/blind47/louisiana.yaml", "cut the den fan off cher the baby's sleeping", [("den_fan", "turn_off", None)]),
    ("tests/asr_cases/blind50/dudley.yaml", "set the washing machine going", [("washing_machine", "turn_on", None)]),
    ("tests/asr_cases/blind50/dudley.yaml", "turn the heater off in the greenhouse", [("greenhouse_heater", "turn_off", None)]),
    ("tests/asr_cases/blind50/dudley.yaml", "is it cold in the greenhouse", [("greenhouse_thermometer", "query", None)]),
    ("tests/asr_cases/blind36/san_fernando.yaml", "switch on the lights in the carport daddy reaching home now",
     [("carport_light", "turn_on", None), ("floodlight", "turn_on", None)]),
    ("tests/asr_cases/blind50/dudley.yaml", "put the burglar alarm on we're off to bed", [("burglar_alarm", "arm_night", None)]),
    ("tests/asr_cases/blind50/dudley.yaml", "put the burglar alarm on we're going out", [("burglar_alarm", "arm_away", None)]),
])
def test_cajun_cornish_and_black_country_english_of_blind47_to_blind50(homes, home, text, want):
    """blind47 to blind50 (Breaux Bridge, Penzance, Quezon City, Dudley), first runs as text 61, 58, 61
    and 58 of 64: "for gran" had turned Gran's lamp on as well (Framing.for_owner), "the back door locked
    yet" had locked it (question_tails "yet"; a state with "still" and no verb asks too), "cher" before a
    reason had left no command (normalize._vocatives_read), "set the roomba going" (separable_verbs)
    and the Black Country's "ow", "cor", "can yer" (asr_fixes); "the temperature in the greenhouse", a
    place only devices are named for, had been an unknown room (Parser._device_place_words; of the
    devices holding the word, the kind said); "put the alarm on for the night" had armed it away
    (language.yaml arm_occasions). Cases of those kinds other than the sets' own."""
    cfg, parser = homes(home)
    u = parser.parse(text, cfg.hub.area)
    assert sorted((c.device, c.action, c.value) for c in u.commands) == sorted(want)

@pytest.mark.parametrize("home,text,want", [
    ("tests/asr_cases/blind51/barnsley.yaml", "switch t'standard lamp off in t'front room", [("standard_lamp", "turn_off", None)]),
    ("tests/asr_cases/blind51/barnsley.yaml", "put tea telly on", [("telly", "turn_on", None)]),
    ("tests/asr_cases/blind51/barnsley.yaml", "set t'alarm we're off to bingo", [("yale_alarm", "arm_away", None)]),
    ("tests/asr_cases/blind51/barnsley.yaml", "ey up is t'back door locked", [("back_door", "query", None)]),
    ("tests/asr_cases/blind51/barnsley.yaml", "it's dark as a coal hole down t'cellar", [("cellar_light", "turn_on", None)]),
    ("tests/asr_cases/blind51/barnsley.yaml", "we could do with a brew let's mash the tea", [("kettle", "turn_on", None)]),
    ("tests/asr_cases/blind52/kowloon.yaml", "make the roborock clean the hall", [("vacuum", "clean_room", "living_room")]),
    ("tests/asr_cases/blind52/kowloon.yaml", "how humid is it in the living room", [("living_sensor", "query", None)]),
    ("tests/asr_cases/blind52/kowloon.yaml", "i need a warm shower", [("water_heater", "turn_on", None)]),
    ("tests/asr_cases/blind53/baltimore.yaml", "turn the tv off down the basement", [("basement_tv", "turn_off", None)]),
    ("tests/asr_cases/blind53/baltimore.yaml", "turn the dehumidifier off hon, it's dry as a bone down there",
     [("dehumidifier", "turn_off", None)]),
    ("tests/asr_cases/blind54/kampala.yaml", "extend the gate the visitors have left", [("gate", "close", None)]),
    ("tests/asr_cases/blind54/kampala.yaml", "the watchman is at the gate is the front door locked", [("front_door", "query", None)]),
    ("tests/asr_cases/blind54/kampala.yaml", "reduce the woofer jaja won't sleep", [("home_theatre", "volume_down", None)]),
    ("tests/asr_cases/blind54/kampala.yaml", "fill for us the tank", [("water_pump", "turn_on", None)]),
])
def test_yorkshire_hong_kong_baltimore_and_ugandan_english_of_blind51_to_blind54(homes, home, text, want):
    """blind51 to blind54 (Barnsley, Kowloon Tong, Highlandtown, Ntinda), first runs as text 45, 60, 59
    and 59 of 64: Yorkshire "t'" (language.yaml proclitics) and what a recogniser writes for it ("tea":
    heard_articles), "set the burglar alarm" and Ugandan "extend the garage door", which had opened it
    (lexicon kind_verbs), "ey up" (greetings), a simile ("black as pitch": normalize._similes_read),
    "mash the tea", "let the roborock clean" (causatives), "what's the humidity in the living room" of
    two sensors there (the one that measures it), "on | down the basement" (a name opening on a way,
    and path_locations), a reason with "can't" (negated_modals) or after a vocative's pause, a
    statement run on into a question, a hot shower wanted. Cases of those kinds other than the sets' own."""
    cfg, parser = homes(home)
    u = parser.parse(text, cfg.hub.area)
    assert sorted((c.device, c.action, c.value) for c in u.commands) == sorted(want)


@pytest.mark.parametrize("home,text,want", [
    ("tests/asr_cases/blind45/brainerd.yaml", "did the kids lock the front door", ("front_door", "query")),
    ("tests/asr_cases/blind37/east_belfast.yaml", "did our sean leave the immersion on", ("immersion", "query")),
    ("tests/asr_cases/blind12/magnolia_lane.yaml", "i could murder a cup of coffee", ("coffee_pot", "turn_on")),
    ("tests/asr_cases/blind50/dudley.yaml", "our kid left the hall light on again turn it off", ("hall_light", "turn_off")),
    ("tests/asr_cases/blind42/holler.yaml", "pappy left the cellar light on shut it off", ("cellar_light", "turn_off")),
])
def test_a_word_beside_a_command_that_names_no_device_is_no_part_refused(homes, home, text, want):
    """A spoken command with a part refused waits for a yes (hub.asr.rescore: "a part of it was
    refused"), so a word that names nothing of the home must not count as a name it lacks: a question's
    subject ("did our sean | leave ..."), an amount ("a cup | of coffee": language.yaml portion_words),
    the person who left it on before the command ("our kid left the hall light on | turn it off"). Over
    the forty-eight older blind sets' texts in English, 28 of 3,002 right commands had been partial (14
    of 3,007 after this round's mechanisms)."""
    cfg, parser = homes(home)
    u = parser.parse(text, cfg.hub.area)
    assert [(c.device, c.action) for c in u.commands] == [want] and not u.partial


def test_words_of_a_need_are_no_way(homes):
    """A phrase of implied.yaml makes its words its intent's own (a way said); "fill for us the tank"
    had made "me" turn_on's, so whisper's "the shed lights, me mam's lights, me mam's lights" turned
    the shed light on where it had been asked which way. East African "for us" before the object is
    read away instead (language.yaml benefactives)."""
    cfg, parser = homes("tests/asr_cases/blind46/levenshulme.yaml")
    assert parser.parse("the shed lights, me mam's lights, me mam's lights", cfg.hub.area).commands == ()
    cfg, parser = homes("tests/asr_cases/blind54/kampala.yaml")
    assert [(c.device, c.action) for c in parser.parse("fill for us the tank", cfg.hub.area).commands] == [
        ("water_pump", "turn_on")]


def test_an_amounts_of_is_never_a_heard_off(homes):
    """whisper's "dix me the cup of coffee please" (blind12, "fix me a cup ..."): "of" before the coffee
    pot's name had been read as "off" and the pot turned off once "cup" was no name refused; after an
    amount (language.yaml portion_words) it is a preposition, and the clause says no way."""
    cfg, parser = homes("tests/asr_cases/blind12/magnolia_lane.yaml")
    assert parser.parse("dix me the mug of coffee please", cfg.hub.area).commands == ()
    assert [(c.device, c.action) for c in parser.parse("switch of the coffee pot", cfg.hub.area).commands] == [
        ("coffee_pot", "turn_off")]


@pytest.mark.parametrize("text,want", [
    ("off the tv and on the floor lamp", [("floor_lamp", "turn_on", None), ("tv", "turn_off", None)]),
    ("on the living room aircon and off the tv", [("living_aircon", "turn_on", None), ("tv", "turn_off", None)]),
    ("make close fan oscillate", []),
    ("turn on the yogic on lamp", []),
    ("turn on the floor lamp", [("floor_lamp", "turn_on", None)]),
])
def test_on_or_off_said_as_a_verb_after_and_and_a_type_verb_only_as_the_verb(homes, text, want):
    """blind11 (Singapore): "off the tv and on the floor lamp" had turned the lamp off too (one
    clause, its "off"); "make chloe's fan oscillate", heard "make close fan oscillate", had turned the
    fan off (type_verbs' "close"), where another command verb is the clause's; "turn on the unicorn
    lamp", heard "the yogic on lamp", had turned on the room's lamp (Selector._misheard_before)."""
    cfg, parser = homes("tests/asr_cases/blind11/kovan.yaml")
    assert sorted(_cmds(parser.parse(text, cfg.hub.area))) == want


@pytest.mark.parametrize("home,text,want", [
    # blind11's, read after its first run
    ("blind11/kovan", "on the master bedroom aircon and set it to twenty six",
     [("master_aircon", "set_temperature", 26), ("master_aircon", "turn_on", None)]),
    ("blind11/kovan", "off ethan's aircon he already went to school", [("ethan_aircon", "turn_off", None)]),
    ("blind11/kovan", "turn off the lights in ah ma's room she's sleeping", [("ah_ma_light", "turn_off", None)]),
    ("blind11/kovan", "pause the tv for a while", [("tv", "pause", None)]),
    # the same kinds on other homes, written after the mechanisms
    ("blind6/ashgrove", "turn on the bedroom air con and set it to twenty two",
     [("bedroom_aircon", "set_temperature", 22), ("bedroom_aircon", "turn_on", None)]),
    ("blind10/carrowbeg", "switch on the immersion she wants a bath", [("immersion", "turn_on", None)]),
    ("blind10/carrowbeg", "turn the telly off for a bit", [("tv", "turn_off", None)]),
    ("blind8/kowhai", "arm the alarm we're going out and close the garage door",
     [("alarm", "arm_away", None), ("garage_door", "close", None)]),
])
def test_a_ranged_device_takes_it_a_reason_after_a_pronoun_and_a_stretch_of_time(homes, text, home, want):
    """blind11 (Singapore): "... and set it to twenty six" had set the living room's aircon (or asked
    which device): a device whose own range leaves out 50 was never what "it" meant (Selector.fits
    probed with 50); a reason run on after the command opens with a pronoun, whatever its verb
    (language.yaml ``reason_pronouns``: "he already went to school"), and a pronoun's contraction is
    its subject and verb (``contractions``: "she's sleeping"); the reason ends where "and" and
    a command verb begin another command; "for a while", "for a bit" are no time to undo it in."""
    cfg, parser = homes(f"tests/asr_cases/{home}.yaml")
    assert sorted(_cmds(parser.parse(text, cfg.hub.area))) == want


@pytest.mark.parametrize("text,want", [
    ("cut on the bathroom fan", [("bathroom_fan", "turn_on", None)]),
    ("cut the telly on", [("tv", "turn_on", None)]),
    ("cut the bathroom fan", [("bathroom_fan", "turn_off", None)]),
    ("the kitchen radio is too quiet", [("kitchen_speaker", "volume_up", None)]),
    ("the telly's far too loud", [("tv", "volume_down", None)]),
    ("turn the telly up a tad", [("tv", "volume_up", None)]),
    ("the bathroom is steamy", [("bathroom_fan", "turn_on", None)]),
    ("the ev is almost flat", [("car_charger", "turn_on", None)]),
    ("let me see oh yes turn on the zappi", [("car_charger", "turn_on", None)]),
])
def test_particle_way_complaint_means_amount_forms_and_needs(homes, text, want):
    """The spoken sets' misses, as mechanisms, on a home none of those cases used for them: a
    particle right after the verb or at the end decides the way ("cut on", US South; language.yaml
    ``undirected.options``); a complaint read the worse way is read as what it asks
    (``complaint_means``: "too quiet" is louder); a name's "'s" before a degree word is "is"
    (``is_before``); an amount is read as the model's form of its size (``amount_forms``: "a tad"
    is "a bit"); a room steamed up, a car nearly flat (implied.yaml); thinking aloud (fillers)."""
    cfg, parser = homes("tests/asr_cases/blind10/carrowbeg.yaml")
    assert sorted(_cmds(parser.parse(text, cfg.hub.area))) == want


@pytest.mark.parametrize("text,want,partial", [
    ("switch on the immersion granny wants a soak", [("immersion", "turn_on", None)], False),
    ("turn off the landing light love", [("landing_light", "turn_off", None)], False),
    # another command misheard after "and" is still a part refused: asked, not done silently
    ("turn off the bedside lamp and the zoppy", [("bedside_lamp", "turn_off", None)], True),
])
def test_a_closing_remark_or_vocative_refuses_no_name(homes, text, want, partial):
    """blind12 (Georgia): "turn the pellet smoker on i'm fixing to put a brisket on" had been held
    for a yes ("I don't know a device called brisket"): a closing remark that names no device, room
    or type word, after a command whole without it, refuses no name (Framing.remark_starts); a
    closing "baby", "honey", "love" calls the one spoken to (lexicon.yaml closing_vocatives)."""
    cfg, parser = homes("tests/asr_cases/blind10/carrowbeg.yaml")
    u = parser.parse(text, cfg.hub.area)
    assert (sorted(_cmds(u)), u.partial) == (want, partial)


@pytest.mark.parametrize("text,want,partial", [
    ("close the patio blind sun straight in my eyes", [("patio_blind", "close", None)], False),
    ("cut the immersion on granny wants a soak", [("immersion", "turn_on", None)], False),
    ("turn the heating up to twenty it is freezing", [("heating", "set_temperature", 20)], False),
    # a room the home lacks is never the speaker's: no remark starts after "in"
    ("switch on the lights in the blorp room", [], False),
    # the second command's own reason is cut from it alone
    ("turn off the tv and on the hen house dinner is ready",
     [("hen_house_light", "turn_on", None), ("tv", "turn_off", None)], False),
    # a clause that opens as a command, names a device and is read as none: a part lost
    ("turn off the tv and on the blorp lamp dinner is ready", [("tv", "turn_off", None)], True),
])
def test_a_remark_that_left_no_command_and_a_lost_clause(homes, text, want, partial):
    """blind12/blind13 (Georgia, Bengaluru): "shut the picture window blinds the sun's in my eyes",
    "close the hall drapes sun is falling straight on the sofa" had done nothing: a closing remark
    of two words or more after a whole command naming its device is no part of it, even where it
    left no command; the particle after a name decides the way ("cut the hunter fan on | it's
    stuffy"); a reason's subject holds no number ("make it 26 | it's too cold"), and no reason
    crosses an "and" ("off the mi tv and | on the jhoola dinner is ready", whose second clause,
    lost, now leaves the whole partial: asked, not done in half)."""
    cfg, parser = homes("tests/asr_cases/blind10/carrowbeg.yaml")
    u = parser.parse(text, cfg.hub.area)
    assert (sorted(_cmds(u)), u.partial) == (want, partial)


@pytest.mark.parametrize("home,text,want,partial", [
    # whisper's "in" for "and" before a device, "and" for "in" before a room ending the clause
    ("blind13/koramangala", "ajji's tube light off in the zero bulb on",
     [("ajji_tubelight", "turn_off", None), ("zero_bulb", "turn_on", None)], False),
    ("blind13/koramangala", "off the geyser and ajji's bathroom", [("ajji_geyser", "turn_off", None)], False),
    ("blind10/carrowbeg", "bedside lamp off in the night light on",
     [("bedside_lamp", "turn_off", None), ("night_light", "turn_on", None)], False),
    ("blind10/carrowbeg", "switch off the bedside lamp in the night light on",
     [("bedside_lamp", "turn_off", None), ("night_light", "turn_on", None)], False),
    ("blind10/carrowbeg", "turn off the lights and the kitchen",
     [("island_lights", "turn_off", None), ("kitchen_spotlights", "turn_off", None)], False),
    # whisper's "in" for "and" between two devices in one clause: both (blind7's "turn on the hot tub
    # in the deck lights", blind10's "close the gate in the shed door")
    ("blind10/carrowbeg", "turn on the tv in the standing lamp", [("standing_lamp", "turn_on", None), ("tv", "turn_on", None)], False),
    # "geyser", "immersion" are the water heater's type words
    ("blind13/koramangala", "turn off the geyser in ajji's bathroom", [("ajji_geyser", "turn_off", None)], False),
])
def test_and_and_in_as_whisper_writes_them_and_a_device_after_in(homes, home, text, want, partial):
    """blind13 (Bengaluru): "ajji's tube light off and the zero bulb on", heard "... off in the zero
    bulb on", had turned both off (language.yaml ``heard_joints``); "off the geyser in ajji's
    bathroom", heard "... and ajji's bathroom", had turned off another room's (``heard_locations``).
    Between two devices "in" is "and" (so "put match mode india is batting", heard "... in diya is
    batting", lights the diya too: the other sets' "in" for "and" are many more)."""
    cfg, parser = homes(f"tests/asr_cases/{home}.yaml")
    u = parser.parse(text, cfg.hub.area)
    assert (sorted(_cmds(u)), u.partial) == (want, partial)


@pytest.mark.parametrize("home,text,want", [
    ("blind10/carrowbeg", "switch the immersion on i'm having a bath", [("immersion", "turn_on", None)]),
    ("blind10/carrowbeg", "turn the telly off how is he still up", [("tv", "turn_off", None)]),
    ("blind10/carrowbeg", "switch everything off in the box room she is away", None),
    ("blind10/carrowbeg", "turn the telly doon a wee bit", [("tv", "volume_down", None)]),
    ("blind10/carrowbeg", "put the telly aff", [("tv", "turn_off", None)]),
    ("blind10/carrowbeg", "switch on the immersion the power has taken light", [("immersion", "turn_on", None)]),
    # an option the device lacks is no remark: refused, never turned on without it
    ("blind10/carrowbeg", "put the immersion on cool mode", []),
])
def test_remarks_after_a_way_a_room_or_a_question_and_scots_spellings(homes, home, text, want):
    """blind14 and blind15 (Glasgow, Lagos): "switch the towel rail on ah'm having a bath" (heard
    "... on arm having a bath"), "turn the playstation off how is he no in his bed", "switch
    everything off in granny's room she's away hame", "on the generator nepa has taken light" had
    done nothing or asked: a remark may follow the way said ("on"), a room's command has its
    reason too, a question word opens one, and a type word after no determiner or verb ("taken
    light") names nothing; Scots spellings ("doon", "aff") are read as English."""
    cfg, parser = homes(f"tests/asr_cases/{home}.yaml")
    got = sorted(_cmds(parser.parse(text, cfg.hub.area)))
    if want is None:  # every device of the room that turns off
        assert got and all(a == "turn_off" for _, a, _ in got)
    else:
        assert got == want


@pytest.mark.parametrize("home,text,want", [
    ("blind10/carrowbeg", "the immersion is on or not", [("immersion", "query", None)]),
    ("blind10/carrowbeg", "the telly's not still on is it", [("tv", "query", None)]),
    ("blind10/carrowbeg", "shey the car charger is still on", [("car_charger", "query", None)]),
    # a command with a tag stays a command
    ("blind10/carrowbeg", "turn off the telly or not", [("tv", "turn_off", None)]),
])
def test_a_statement_with_a_question_tag_or_particle_asks(homes, home, text, want):
    """The spoken sets' "motor is running or not", "the washing machine's not still going is it"
    and blind15's "shey the gen is still on" (Lagos) had been read as statements: a question tag
    or particle (language.yaml ``question_tails``, ``question_particles``) makes one a question."""
    cfg, parser = homes(f"tests/asr_cases/{home}.yaml")
    assert sorted(_cmds(parser.parse(text, cfg.hub.area))) == want


@pytest.mark.parametrize("text,want", [
    ("turn the heating up to twenty one", [("worcester", "set_temperature", 21)]),
    ("turn the dreamland on and the heating up a bit", [("dreamland", "turn_on", None), ("worcester", "temperature_up", None)]),
    ("switch the box off and dad's lamp we're off to bed", [("bampi_lamp", "turn_off", None), ("panasonic", "turn_off", None)]),
])
def test_an_alias_beats_a_room_device_not_so_named_and_each_part_keeps_its_way(homes, text, want):
    """blind16 (Rhondda), first run: "the heating" (the boiler's alias) said in the middle room had
    set its gas fire, whose names do not hold "heating" (a room decides "the lamp" only among its
    devices so named); "... on and the heating up" was one clause (both on); a reason after "and"
    is the reason of the whole ("... and dad's lamp | we're off to bed")."""
    cfg, parser = homes("tests/asr_cases/blind16/treorchy.yaml")
    assert sorted(_cmds(parser.parse(text, cfg.hub.area))) == sorted(want)


@pytest.mark.parametrize("text,want", [
    ("turn back on the snug tv", [("snug_tv", "turn_on", None)]),
    ("turn back on the freezer plug", [("freezer_plug", "turn_on", None)]),
    ("switch back off the yard lights", [("yard_lights", "turn_off", None)]),
    ("flip on the festoon lights", [("terrace_lights", "turn_on", None)]),
    ("flip the festoon lights off", [("terrace_lights", "turn_off", None)]),
    # no direction said: still a toggle, or a previous track
    ("toggle the yard lights", [("yard_lights", "toggle", None)]),
    ("go back on the snug tv", [("snug_tv", "previous", None)]),
])
def test_a_direction_said_after_back_or_with_a_toggle_verb_decides(parser, text, want):
    """blind17's "turn back on the deep freeze" was refused, and "turn back on the tv" went back a
    track (the intent model reads "turn back" as previous): an ``undirected.between`` word before
    the direction adds nothing to it. "flip on the lights" had toggled them (off, were they on):
    a direction said replaces a toggle (``undirected.either``)."""
    assert _cmds(parser.parse(text, "snug")) == want


@pytest.mark.parametrize("text,want", [
    ("the cellar is so dark i cant see the steps", [("cellar_pendant", "turn_on", None), ("rack_light", "turn_on", None)]),
    ("the snug tv is so loud", [("snug_tv", "volume_down", None)]),
    ("the sonos is really quiet", [("sonos", "volume_up", None)]),
    ("the attic bedroom is very bright", [("attic_light", "brightness_down", None)]),
    # "so" opening what is said stays a filler, "dim" a verb
    ("so dim the snug lamp", [("snug_lamp", "brightness_down", None)]),
])
def test_so_very_and_really_before_a_complaint_say_too(parser, text, want):
    """blind18's "the staircase is so dark i can't see the steps" was refused ("I don't know a
    device called dark"): "so" (a filler) had left "the staircase is dark", a statement. Before a
    complaint, language.yaml ``complaint_forms`` are said as "too"."""
    assert sorted(_cmds(parser.parse(text, "snug"))) == sorted(want)


@pytest.mark.parametrize("home,text,want", [
    ("blind17/montego", "put on a load of washing", [("wash_machine", "turn_on", None)]),
    ("blind13/koramangala", "kindly put the clothes for washing na", [("ifb_machine", "turn_on", None)]),
])
def test_laundry_said_many_ways_starts_the_washing_machine(homes, home, text, want):
    """blind17's "put on a load of washing" (its "Wash machine") and blind13's "put the clothes
    for washing" (its "IFB machine", "the clothes machine") were refused: implied.yaml's laundry
    phrases and the words of a washing machine's names."""
    cfg, parser = homes(f"tests/asr_cases/{home}.yaml")
    assert _cmds(parser.parse(text, cfg.hub.area)) == want


@pytest.mark.parametrize("text", ["run a load of laundry", "put the washing on please", "do the laundry"])
def test_laundry_phrases_on_a_home_not_looked_at(parser, text):
    assert _cmds(parser.parse(text, "snug")) == [("washer", "turn_on", None)]


@pytest.mark.parametrize("text,want", [
    # no verb: "everything ... off" had been refused, "all the lights off in ..." read as a question
    ("all the lights off in the yard", [("yard_lights", "turn_off", None), ("yard_spot", "turn_off", None)]),
    ("everything in the attic bedroom off", [("attic_light", "turn_off", None), ("attic_telly", "turn_off", None)]),
    ("is everything off in the yard", [("yard_heater", "query", None), ("yard_lights", "query", None),
                                        ("yard_spot", "query", None)]),
    # an exclamation or address before the verb, a reason after
    ("chale turn on the yard lights", [("yard_lights", "turn_on", None)]),
    ("jaldi turn on the wine rack light im getting late", [("rack_light", "turn_on", None)]),
    # ... but a word nobody knows before a type word is a misheard name (blind16's "shed" heard "shred")
    ("shred light off", []),
    # Caribbean "out the light"
    ("out the festoon lights", [("terrace_lights", "turn_off", None)]),
    ("out all the lights in the cellar", [("cellar_pendant", "turn_off", None), ("rack_light", "turn_off", None)]),
    # a statement tagged "on or off" asks
    ("the yard heater is on or off", [("yard_heater", "query", None)]),
    # one word nobody knows after a command closed on its way is an address; an option word is not
    ("turn the snug lamp off mija", [("snug_lamp", "turn_off", None)]),
    # Yorkshire "knock off the dimplex there it's gone mild" had turned it on: a particle right
    # after a verb no template opens with still says the way; Texan "go on and ..." opens
    ("knock off the yard heater its gone mild", [("yard_heater", "turn_off", None)]),
    ("go on and turn off the yard lights", [("yard_lights", "turn_off", None)]),
    ("put the snug radiator on eco", [("snug_rad", "set_preset", "eco")]),
])
def test_regional_shapes_of_a_command(parser, text, want):
    """The regional training homes (training/asr, read as understanding cases once, 714/800 right,
    16 wrong) showed shapes no mechanism knew: "everything in mano's room off" (Lahore), "chale set
    the ac to eighteen" (Accra), "jaldi turn on the geyser i'm getting late", "out the tube light"
    (Trinidad; blind17's "out the moon lamp"), "dadi's heater is on or off", "turn the cafetera on
    for me mija" (Texas): language.yaml ``undirected.verbless_subjects``, ``undirected.opening``,
    ``question_tails``, ``Framing.exclaimed`` and the one-word address after a closed command."""
    assert sorted(_cmds(parser.parse(text, "snug"))) == sorted(want)


@pytest.mark.parametrize("text,want", [
    # a verb closing its clause before "and" begins no command: had opened the blind, then closed it
    ("pull the attic blind shut and turn the snug lamp on", [("attic_blind", "close", None), ("snug_lamp", "turn_on", None)]),
    ("pause the snug tv mute the sonos speaker", [("snug_tv", "pause", None), ("sonos", "set_volume", 0)]),
    # a name said first, then a command on "it" (whisper's comma between)
    ("The yard hose, turn it on.", [("yard_hose", "open", None)]),
    ("the snug lamp, switch it off", [("snug_lamp", "turn_off", None)]),
])
def test_a_closing_verb_and_a_topic_said_first(parser, text, want):
    """blind12's "pull tonya's curtains shut and turn the back bedroom fan on", heard right by the
    regionally trained tiny.en-home, opened the curtains and closed them (an unsafe open): "shut"
    after the name had begun a command of its own, since a name came later, after "and"; now the
    name must come before the next split. blind18's "the booster pump, switch it on" had been
    partial (the name alone refused as unclear): a clause of names only, acted on through a pronoun
    by the next, is its topic (``Parser._topic``)."""
    assert sorted(_cmds(parser.parse(text, "snug"))) == sorted(want)


def test_a_need_beside_a_name_the_home_lacks_is_not_all_understood(parser):
    """blind12's "kick the frigidaire on it's hot as fish grease in that garage", heard "kick the
    fridge a dare on ...", turned on the garage's fan as if the need were all that was said: the
    name nobody knows may be what was meant, so the whole is partial (the speech gate holds it)."""
    u = parser.parse("kick the zorp on its roasting up on the roof terrace", "snug")
    assert u.partial and _cmds(u) == [("terrace_ac", "turn_on", None)]
    assert not parser.parse("its roasting up on the roof terrace", "snug").partial


@pytest.mark.parametrize("text,want", [
    ("grandad is napping turn the snug tv down", [("snug_tv", "volume_down", None)]),
    ("mum has a headache dim the snug lamp", [("snug_lamp", "brightness_down", None)]),
    # "the light" is no verb (Accra's "ecg has taken the light activate dumsor mode")
    ("the grid has taken the light turn on the festoon lights", [("terrace_lights", "turn_on", None)]),
    # a name in the subject keeps the statement its own ("the snug tv is loud" says how it is)
    ("is the yard heater on", [("yard_heater", "query", None)]),
])
def test_a_statement_with_a_subject_runs_on_into_a_command(parser, text, want):
    """blind13's "saroja akka is doing tadka put on the faber chimney" was read as a question about
    the chimney: a subject of a few words, no name, number or question word, and a statement verb,
    run on into a command naming its device, is the command's reason (``Framing.after_statement``); and
    an exclamation before the verb needs a command verb after it, not "is" (``Framing.exclaimed``)."""
    assert _cmds(parser.parse(text, "snug")) == want


@pytest.mark.parametrize("text,want", [
    ("turn off the all light", []),
    ("turn off all the lights in the cellar", [("cellar_pendant", "turn_off", None), ("rack_light", "turn_off", None)]),
])
def test_no_whole_home_after_a_determiner(parser, text, want):
    """samples/19's hesitant "turn off the hall light" was held for a yes with the third pass:
    its rival "turn off the all light" read as every light in the home. A whole-home quantifier
    right after a determiner (language.yaml ``whole_home_quantifiers``) is a misheard name."""
    assert sorted(_cmds(parser.parse(text, "snug"))) == sorted(want)


@pytest.mark.parametrize("text,want,refusal", [
    ("set the snug radiator to half", [], "The snug radiator is set in degrees, not percent, so I did nothing."),
    ("snug radiator to twenty in and a half", [], "The snug radiator is set in degrees, not percent, so I did nothing."),
    ("turn the cellar aircon up 10 percent", [], "The cellar aircon is set in degrees, not percent, so I did nothing."),
    ("snug radiator to twenty and a half", [("snug_rad", "set_temperature", 20.5)], None),
    ("put the snug lamp on half", [("snug_lamp", "set_brightness", 50)], None),
    ("open the attic blind halfway", [("attic_blind", "set_position", 50)], None),
    ("sonos to max", [("sonos", "set_volume", 100)], None),
])
def test_a_share_of_a_range_is_a_percent_never_a_temperature(parser, text, want, refusal):
    """blind5's "heating to nineteen and a half", heard right, was held for a yes: its rival
    "heating to ninety in and a half" set 50 degrees ("half" was the number 50, read as
    Fahrenheit). "half", "full", "max" (lexicon.yaml ``proportion_words``) are percents, and a
    percent never sets a temperature; "in half an hour" and "half past six" stay times."""
    u = parser.parse(text, "snug")
    assert _cmds(u) == want
    if refusal:
        assert u.response == refusal


def test_half_in_a_time_stays_a_time(parser):
    assert parser.parse("turn on the snug lamp in half an hour", "snug").response == "Turning on the snug lamp in 30 minutes."


@pytest.mark.parametrize("text,want", [
    ("lick the stable door and switch off the yard lights", [("yard_lights", "turn_off", None)]),
    ("blonk the attic telly and put the sonos on", [("sonos", "turn_on", None)]),
])
def test_a_verb_nobody_knows_before_a_name_leaves_the_command_unsure(parser, text, want):
    """blind4's "lock the front door and set the alarm for the night", heard right, was held for a
    yes: its rival "luck the front door and ..." was read as a remark about the door and the alarm
    alone, complete. A clause that names a device after a first word neither the language nor the
    home knows is a command misheard: the whole is partial and not complete, and so no rival of a
    reading understood word for word."""
    u = parser.parse(text, "snug")
    assert _cmds(u) == want and u.partial and not u.complete
    whole = parser.parse(text.replace(text.split()[0], "lock" if "door" in text else "turn off", 1), "snug")
    assert whole.complete and not whole.partial


@pytest.mark.parametrize("home,text,want", [
    ("tests/asr_cases/blind16/treorchy.yaml", "open the roof window, it's stuffy", [("velux", "open", None)]),
    ("tests/asr_cases/blind16/treorchy.yaml", "open the roof window it's stuffy in here", [("velux", "open", None)]),
    # read as no command at all (0.51, 0.39: "can't tilt its slats"), now the command without it
    (None, "open the attic blind, it's stuffy", [("attic_blind", "open", None)]),
    (None, "turn the festoon lights on, the neighbours are round", [("terrace_lights", "turn_on", None)]),
])
def test_a_closing_remark_does_not_make_a_command_loose(parser, homes, home, text, want):
    """blind16's "open the roof window but it's stuffy" was read at 0.80 (the model read the
    remark's words too) and held for a yes as a loose reading: a command read under
    ``REMARK_DOUBT`` is read again without a closing remark, after a comma too (these had been
    0.75 and 0.82)."""
    p, area = (parser, "snug") if home is None else (homes(home)[1], homes(home)[0].hub.area)
    u = p.parse(text, area)
    assert _cmds(u) == want and u.confidence >= 0.9


def test_a_named_device_that_cannot_do_it_leaves_the_command_partial(parser):
    """blind18's "lock the grill and arm the kk alarm for the night", heard right, was held for a
    yes: its rival "lock the grill on the kk alarm ..." locked the grill and refused the alarm
    ("can't lock") yet was complete. A device named that cannot do what its clause asks is a part
    left undone: partial, not complete, as a name the home lacks is."""
    u = parser.parse("lock the stable door and the yard heater", "snug")
    assert _cmds(u) == [("stable_door", "lock", None)] and u.partial and not u.complete
    u = parser.parse("lock the stable door and the yard gate lock", "snug")
    assert len(u.commands) == 2 and u.complete and not u.partial


@pytest.mark.parametrize("text,want,reply", [
    ("put the snug lamp on in has room", [], "I don't know a room called has room."),
    ("switch the festoon lights off in were room", [], "I don't know a room called were room."),
    # no reason run on right after "in": the room is still to come
    ("turn the lights off in we're room", [], "I don't know a room called we are room."),
    ("turn the lights off in a room", [], "I don't know a room called a room."),
    # whisper's "an" or "and" for "in", right after a name
    ("switch the cellar aircon an gran's room on", [], "I don't know a room called grans room."),
    ("put the lights on an has room", [], "I don't know a room called has room."),
    ("put the snug lamp and the yard lights on", [("snug_lamp", "turn_on", None), ("yard_lights", "turn_on", None)], None),
    ("put the snug lamp on in my room", [("snug_lamp", "turn_on", None)], None),
    ("turn the attic bedroom light off in the attic bedroom", [("attic_light", "turn_off", None)], None),
])
def test_a_room_with_a_word_no_room_holds_is_not_the_speakers(parser, text, want, reply):
    """blind20's "put the lights on in wor room" (heard "were room") and blind19's "on the ac in
    aiya's room" (heard "aha's": "has") lit the speaker's room and turned on its AC: "in" and a
    room said with a word that is no determiner, no "my" and no room's name (the room nouns of
    lexicon.yaml here_phrases) is a room the home lacks."""
    u = parser.parse(text, "snug")
    assert _cmds(u) == want
    if reply:
        assert u.response == reply


def test_a_sound_key_must_hold_beyond_the_type_word():
    """blind19's "turn off achchi's light", heard "a chai's light", turned off the "Kussiya light":
    "chais light" and "kussiya light" share a sound key only through "light" ("chais" is "ks")."""
    home = parse_config("""
hub: {name: Lane House, language: en}
areas: [{id: back, name: Back kitchen}, {id: gran, name: Gran's room}]
devices:
  - {id: back_light, name: Kussiya light, area: back, type: light, protocol: generic, topic: l/k}
  - {id: gran_light, name: Nana light, area: gran, type: light, protocol: generic, topic: l/n}
  - {id: drip, name: Sukuma wiki, area: back, type: valve, protocol: generic, topic: l/d}
""", "lane.yaml")
    p = load_parser(home)
    assert _cmds(p.parse("turn off the chais light", "back")) != [("back_light", "turn_off", None)]
    # a name's own words sound alike: still that name
    assert _cmds(p.parse("water the sukuma waky", "back")) == [("drip", "open", None)]


@pytest.mark.parametrize("text,want", [
    # whisper's "in" for "and" between two names before their shared way
    ("turn the snug tv in the sonos speaker off", [("snug_tv", "turn_off", None), ("sonos", "turn_off", None)]),
    # a way before it: a command of its own
    ("switch off the snug lamp in the yard lights on", [("snug_lamp", "turn_off", None), ("yard_lights", "turn_on", None)]),
    ("turn the lights off in the cellar", [("cellar_pendant", "turn_off", None), ("rack_light", "turn_off", None)]),
    # a type word after a device named in full may be a reason's subject
    ("switch the dehumidifier on the walls are damp again", [("dehumidifier", "turn_on", None)]),
])
def test_a_joint_heard_for_and_and_a_type_word_as_a_reasons_subject(parser, text, want):
    """blind20's "turn the playstation and callum's light off he's got school" (heard "... in
    callum's light off") turned off the light only: "in" before a device's name, after a command
    with no way yet, joins the two names (language.yaml ``heard_joints``); its "start the
    dehumidifier the windows are running wet", heard right, was refused: after a device named in
    full, a type word may open a reason run on."""
    assert sorted(_cmds(parser.parse(text, "snug"))) == sorted(want)


@pytest.mark.parametrize("text", ["aiyo is", "crikey is it", "oi are"])
def test_an_exclamation_before_a_last_word_that_could_ask(parser, text):
    """A blind15 decode had raised IndexError: "is" may end the words."""
    assert _cmds(parser.parse(text, "snug")) == []


@pytest.mark.parametrize("text,want", [
    ("crikey is the yard gate lock locked", [("yard_gate", "query", None)]),
    ("jarvis's the stable door locked", [("stable_door", "query", None)]),
])
def test_an_exclamation_before_a_question_and_a_name_s_before_the(parser, text, want):
    """blind19's "aiyo is there a gas leak in the kussiya" was refused ("I don't know a device
    called ayo"): an exclamation may open a question too; blind18's "jarvis is the grill door
    locked", heard "javi's the grill door locked", locked it: "'s" before "the" is "is" (a
    possessive is never followed by an article), and the question asks."""
    assert _cmds(parser.parse(text, "snug")) == want


def test_mosquitoes_said_mean_the_repellent_plug():
    """blind18's "the mosquitoes are finishing us in mum and dad's room" and blind19's "aiyo the
    mosquitoes are biting in amma's room" were refused: the need is implied.yaml's, and names the
    home's repellent plug or zapper in the room said."""
    home = parse_config("""
hub: {name: Bach, language: en, area: lounge}
areas: [{id: lounge, name: Lounge}, {id: bunk, name: Bunk room}]
devices:
  - {id: zap, name: Mozzie zapper, area: bunk, type: outlet, protocol: generic, topic: b/z}
  - {id: fan, name: Bunk fan, area: bunk, type: fan, protocol: generic, topic: b/f}
""", "bach.yaml")
    p = load_parser(home)
    assert _cmds(p.parse("the mozzies are eating us in the bunk room", "lounge")) == [("zap", "turn_on", None)]
    assert _cmds(p.parse("we're getting bitten by mosquitoes", "lounge")) == [("zap", "turn_on", None)]


@pytest.mark.parametrize("text,want", [
    # a word said to someone after the place ("here", "in" and a room) or after a verb and a type word
    ("make it warmer in here pet", [("snug_rad", "temperature_up", None)]),
    ("make it cooler up here habibi", [("snug_rad", "temperature_down", None)]),
    ("turn the lights off in the cellar boss", [("cellar_pendant", "turn_off", None), ("rack_light", "turn_off", None)]),
    ("switch the festoon lights off in the roof terrace abeg", [("terrace_lights", "turn_off", None)]),
    ("turn off the telly mo chara", [("snug_tv", "turn_off", None)]),
    # an exclamation before a complaint said without a verb
    ("jeepers so cold put the heating up", [("snug_rad", "temperature_up", None)]),
    ("ay caramba too hot make it cooler in here", [("snug_rad", "temperature_down", None)]),
    # "open" and "close" said of an air conditioner or heat pump switch it
    ("open the cellar aircon", [("cellar_ac", "turn_on", None)]),
    ("close the terrace heat pump", [("terrace_ac", "turn_off", None)]),
    # the light let in is no light to turn on
    ("open the attic blind let the light in", [("attic_blind", "open", None)]),
    ("pull the dormer shutters up let some light come in", [("attic_shutters", "open", None)]),
    # a greeting, then a command or a question; an exclamation before "is" and a device's name
    ("how are you doing switch the snug lamp on", [("snug_lamp", "turn_on", None)]),
    ("good morning is the stable door locked", [("stable_door", "query", None)]),
    ("yerra is the cellar aircon still on", [("cellar_ac", "query", None)]),
    # a word said to someone after the value
    ("set the snug radiator to twenty two degrees pet", [("snug_rad", "set_temperature", 22)]),
    ("put the heating up to nineteen chief", [("snug_rad", "set_temperature", 19)]),
    # ... and still: no room begun, no "we" for a verb
    ("turn the lights off in we're room", []),
    ("we are heating to bed", []),
])
def test_regional_closers_and_openers(parser, text, want):
    """The fourth pass's training homes read as text (training/asr, 2026-12-05) failed most on what
    opens and closes a command: "make it cooler in here dawlin", "close the tv m goi", "off
    everything in jason's room la" (a closing word said to someone: ``Framing.placed``),
    "uff so hot make it cooler in here na" (``Framing.complains``), "close the big room aircon"
    (language.yaml ``type_verbs``) and "open the porda let some light come in", which lit the room
    (``Language.type_phrases``); "where y'at dawlin cut on the porch light" turned it off (language.yaml
    ``greetings``), "haibo is the garage door still open" and "put the heating up to twenty one bab"
    were refused. These are other homes' words for the same mechanisms."""
    assert _cmds(parser.parse(text, "snug")) == want


@pytest.mark.parametrize("text,want,sure", [
    # whisper's "and" for a clause-opening "on" (blind18's "on the meza light", blind19's "on the wet
    # grinder"): read so, under the speech gate's 0.83, so it waits for a yes
    ("and the snug lamp", [("snug_lamp", "turn_on", None)], False),
    ("switch off the snug tv and the snug lamp", [("snug_lamp", "turn_off", None), ("snug_tv", "turn_off", None)], True),
    # a pronoun for the topic before a reason (blind18's "the booster pump, switch it on the county water
    # has come")
    ("the dehumidifier, turn it on the walls are sweating", [("dehumidifier", "turn_on", None)], True),
    ("the yard lights, switch them off the neighbours are complaining", [("yard_lights", "turn_off", None)], True),
    # a double negative and "on" a room (blind21's "i can't see nothing on the landing")
    ("i can't see nothing in the cellar", [("cellar_pendant", "turn_on", None), ("rack_light", "turn_on", None)], True),
    ("i cant see a thing on the roof terrace", [("terrace_lights", "turn_on", None)], True),
])
def test_what_the_twenty_two_sets_still_refused(parser, text, want, sure):
    """Heard right and refused on the spoken sets after blind21's and blind22's first runs; other
    homes' words for the same mechanisms (language.yaml ``undirected.heard_opening``, Framing.reason's
    pronoun, the "can't see" phrasing)."""
    u = parser.parse(text, "snug")
    assert sorted(_cmds(u)) == sorted(want) and (u.confidence >= 0.83) == sure


@pytest.mark.parametrize("text, want", [
    # a state only some kinds of device are ever in, asked of another (blind21's "is the yale locked",
    # heard "is the air locked", had answered for the air fryer)
    ("is the washing machine locked", []),
    ("has the freezer plug been armed", []),
    ("is the yard heater muted", []),
    ("did i leave the dehumidifier unlocked", []),
    ("is the gable spotlight docked", []),
    ("which lights are locked", []),
    # ... asked of one that is, or that answers it nearly (a cover or a contact sensor: open or closed)
    ("is the stable door locked", [("stable_door", "query", None)]),
    ("is robo docked", [("robo", "query", None)]),
    ("is the attic telly muted", [("attic_telly", "query", None)]),
    ("are the dormer shutters locked", [("attic_shutters", "query", None)]),
    ("is the skylight sensor locked", [("attic_contact", "query", None)]),
])
def test_a_state_asked_of_a_device_never_in_it(parser, text, want):
    """A question about a state (language.yaml group_questions ``state_types``, ``state_near``) asks
    nothing of a device that is never in it: refused with why, so a recogniser's other reading can win."""
    u = parser.parse(text, "snug")
    assert sorted(_cmds(u)) == sorted(want)
    if not want:
        assert "can't be" in u.response


@pytest.mark.parametrize("text, want", [
    # words of degree in a phrase that implies a device (language.yaml degree_words; blind23's
    # "these floors are gert mucky")
    ("the floors are proper filthy", [("robo", "start", None)]),
    ("these carpets are dead grubby", [("robo", "start", None)]),
    # an English word is spelt right: no number, no command word made of it (language.yaml
    # dictionary: "the plants are proper thirsty" had set the lights to 30 percent); thirsty
    # tomatoes ask for the hose (implied.yaml about and states)
    ("the tomatoes are proper thirsty", [("yard_hose", "open", None)]),
    ("set the snug lamp to fourty percent", [("snug_lamp", "set_brightness", 40)]),
    ("togle the snug lamp", [("snug_lamp", "toggle", None)]),
    # a question about nothing named is none about the room's thermostat (blind24's "is the adt
    # armed", heard "is the at arm", had asked the panel heater); a quantity asked still is
    ("is the at on", []),
    ("is the of open", []),
    ("is it warm in the cellar", [("cellar_sensor", "query", None)]),
    # a command verb opening the clause is no question (blind24's "switch do the electric blanket
    # on | it's bitterly cold", whisper's "do", had asked about the blanket)
    ("switch do the snug lamp on it's bitterly dark", [("snug_lamp", "turn_on", None)]),
    ("turn do the yard heater on it's perishing", [("yard_heater", "turn_on", None)]),
])
def test_degree_words_spelt_words_unnamed_questions_and_verbs_first(parser, text, want):
    """Mechanisms from blind23's and blind24's first runs, on cases of their kind here."""
    u = parser.parse(text, "snug")
    assert sorted(_cmds(u)) == sorted(want)


@pytest.mark.parametrize("text, want", [
    # a reason whose subject is someone unnamed ("pause the hisense tv | somebody's at the door",
    # blind24: "the door" had been read as a device the room lacks); "'s" before where someone is
    ("pause the attic telly somebody's at the door", [("attic_telly", "pause", None)]),
    ("switch the yard lights off everyone's gone to bed", [("yard_lights", "turn_off", None)]),
    ("put the snug lamp on nobody can see the stairs", [("snug_lamp", "turn_on", None)]),
    # ... or a device named after the command's own, right before the verb (blind22's "switch off
    # the borehole pump | the tank is full" had refused the tank as a second target)
    ("turn the yard heater off the washing machine is going", [("yard_heater", "turn_off", None)]),
    ("shut the dormer shutters the attic telly is too bright", [("attic_shutters", "close", None)]),
    ("turn off the snug lamp and the yard lights", [("snug_lamp", "turn_off", None), ("yard_lights", "turn_off", None)]),
    # what a garden grows, given a drink (blind24's "give the garden a drink" in a home whose
    # garden is no room of its config)
    ("give the roses a drink", [("yard_hose", "open", None)]),
    ("the seedlings need a drink water the veggies", [("yard_hose", "open", None)]),
])
def test_unnamed_reasons_and_a_garden_given_a_drink(parser, text, want):
    u = parser.parse(text, "snug")
    assert sorted(_cmds(u)) == sorted(want)


def test_a_word_of_the_devices_own_room_is_no_name_the_home_lacks():
    """blind23's "make alfie's star projector blue" (the projector in "Alfie's room") refused
    "alfies" as a device the home lacks beside the command; a name's room said before it is no such
    name, another room's word still is."""
    home = parse_config("""
hub: {name: Nell's, language: en}
areas:
  - {id: nell_room, name: Nell's room}
  - {id: den, name: Den}
devices:
  - {id: moon_lamp, name: Moon lamp, area: nell_room, type: light, features: [brightness, color], protocol: generic, topic: n/ml}
  - {id: den_lamp, name: Den lamp, area: den, type: light, protocol: generic, topic: n/dl}
  - {id: nell_fan, name: Nell's fan, area: nell_room, type: fan, protocol: generic, topic: n/nf}
""", "nell.yaml")
    p = load_parser(home)
    u = p.parse("make nell's moon lamp green", "den")
    assert _cmds(u) == [("moon_lamp", "set_color", "green")] and not u.partial
    u = p.parse("turn off nell's den lamp", "den")
    assert _cmds(u) == [("den_lamp", "turn_off", None)] and u.partial


@pytest.mark.parametrize("text, want", [
    ("shut the dormer shutters it's starting to rain", [("attic_shutters", "close", None)]),
    ("put the yard lights on there's someone at the gate", [("yard_lights", "turn_on", None)]),
    ("turn the attic telly off that's enough for today", [("attic_telly", "turn_off", None)]),
])
def test_a_reason_opened_by_its_theres_or_thats_leaves_the_command_whole(parser, text, want):
    """ "close the velux | it's starting to rain" (blind21) was read as a remark, so the command was
    not whole and a name whisper misheard ("valox") could not be found again by sound, which needs
    the corrected reading to explain every word: "it's", "there's" and "that's" open a reason
    (language.yaml ``reason_pronouns``)."""
    u = parser.parse(text, "snug")
    assert sorted(_cmds(u)) == sorted(want) and u.complete


@pytest.mark.parametrize("text, want", [
    # a word that opens a reason or purpose after the command (language.yaml reason_leads,
    # subject_reason_leads; blind14's "close the bay window blinds | so naebody can see in" had been
    # refused, and "... so the neighbours can't see in" opened them)
    ("shut the dormer shutters so the neighbours can't see in", [("attic_shutters", "close", None)]),
    ("turn the snug tv down because the baby's asleep", [("snug_tv", "volume_down", None)]),
    ("put the snug lamp on so i can read", [("snug_lamp", "turn_on", None)]),
    ("switch the yard heater off cos it's warm enough", [("yard_heater", "turn_off", None)]),
    ("the snug tv is so loud", [("snug_tv", "volume_down", None)]),
])
def test_a_reason_or_purpose_led_by_its_word(parser, text, want):
    u = parser.parse(text, "snug")
    assert sorted(_cmds(u)) == sorted(want)


def test_a_one_word_room_said_where_the_verb_goes_is_the_verb():
    """blind14's Glasgow tenement calls its shared stair "the close": "close the bay window blinds"
    read "close" as that room and understood nothing."""
    p = load_parser(parse_config("""
hub: {name: Tenement, language: en}
areas:
  - {id: close, name: Close, aliases: [the stair]}
  - {id: front_room, name: Front room}
devices:
  - {id: stair_door, name: Stair door, area: close, type: lock, protocol: generic, topic: t/sd}
  - {id: front_curtains, name: Front room curtains, area: front_room, type: cover, device_class: curtain, protocol: generic, topic: t/fc}
  - {id: stair_light, name: Close light, area: close, type: light, protocol: generic, topic: t/cl}
""", "tenement.yaml"))
    assert _cmds(p.parse("close the front room curtains", "front_room")) == [("front_curtains", "close", None)]
    assert _cmds(p.parse("turn on the light in the close", "front_room")) == [("stair_light", "turn_on", None)]


def test_hot_water_to_bathe_and_air_to_clean():
    """blind15's "i want to bathe with hot water" and blind13's "kindly clean the air in his room"
    (implied.yaml): the water heater, and the room's air purifier, never the drinking water filter."""
    p = load_parser(parse_config("""
hub: {name: Flat, language: en}
areas:
  - {id: lounge, name: Lounge}
  - {id: nan_room, name: Nan's room}
  - {id: kitchen, name: Kitchen}
devices:
  - {id: cylinder, name: Hot water cylinder, area: kitchen, type: water_heater, protocol: generic, topic: f/c}
  - {id: purifier, name: Air purifier, area: nan_room, type: switch, protocol: generic, topic: f/p}
  - {id: ro_filter, name: Water purifier, area: kitchen, type: switch, protocol: generic, topic: f/w}
""", "flat.yaml"))
    for text in ("i want to shower with hot water", "we need hot water for our bath"):
        assert _cmds(p.parse(text, "lounge")) == [("cylinder", "turn_on", None)], text
    for text in ("please clean the air in nan's room", "freshen the air"):
        assert _cmds(p.parse(text, "lounge")) == [("purifier", "turn_on", None)], text


def test_a_household_member_named_before_the_command_is_addressed_and_his_or_her_is_no_name():
    """blind26's "kuya paki close the sala aircon ..." read "kuya paki" as a device the home lacks:
    "Kuya" is a word only of whose room it is ("Kuya JR's room"). A word before a possessive in the
    home's names, said before a command verb, addresses someone (Framing.owner_words); said with
    the name it stays the name."""
    home = parse_config("""
hub: {name: Okafor house, language: en}
areas:
  - {id: tomasz_room, name: Tomasz's room}
  - {id: nana_room, name: Nana Joy's room}
  - {id: kitchen, name: Kitchen}
devices:
  - {id: tomasz_lamp, name: Tomasz's lamp, area: tomasz_room, type: light, protocol: generic, topic: o/tl}
  - {id: nana_heater, name: Nana Joy's heater, area: nana_room, type: switch, protocol: generic, topic: o/nh}
  - {id: kitchen_light, name: Kitchen light, area: kitchen, type: light, protocol: generic, topic: o/kl}
  - {id: kettle, name: Kettle, area: kitchen, type: switch, protocol: generic, topic: o/k}
""", "okafor.yaml")
    p = load_parser(home)
    # "her", "his", "their" before a name are no part of it (language.yaml stop_words; blind24's
    # "switch on ouma's lamp and turn down her wireless" had refused "her" as a device the home lacks)
    for text, want in [("switch the kettle off and her heater on", [("kettle", "turn_off", None), ("nana_heater", "turn_on", None)]),
                       ("turn off their kettle", [("kettle", "turn_off", None)]),
                       ("put his lamp on", [("tomasz_lamp", "turn_on", None)])]:
        u = p.parse(text, "kitchen")
        assert sorted(_cmds(u)) == sorted(want) and not u.partial, text
    for text, want in [("tomasz switch the kitchen light off", [("kitchen_light", "turn_off", None)]),
                       ("nana joy turn on the kettle please", [("kettle", "turn_on", None)]),
                       ("nana switch off nana joy's heater", [("nana_heater", "turn_off", None)]),
                       ("tomasz's lamp off", [("tomasz_lamp", "turn_off", None)]),
                       ("turn on tomasz's lamp", [("tomasz_lamp", "turn_on", None)])]:
        u = p.parse(text, "kitchen")
        assert _cmds(u) == want and u.complete, text


@pytest.mark.parametrize("text, want", [
    ("put the snug lamp at seventy this one is too dim", [("snug_lamp", "set_brightness", 70)]),
    ("turn the sonos up to twenty five the two of us can't hear it", [("sonos", "set_volume", 25)]),
    ("set the snug lamp to thirty", [("snug_lamp", "set_brightness", 30)]),
])
def test_the_number_after_a_value_lead_is_the_value(parser, text, want):
    """blind25's "turn the bose up to sixty | this tune's boss", heard "... this two is boss", set the
    volume to 2: a number after a value lead (language.yaml ``value_leads``) wins over another."""
    assert _cmds(parser.parse(text, "snug")) == want


@pytest.mark.parametrize("text, want", [
    # written with the others and failing on its first run for another reason: the tagger reads
    # "cellar sonos" as one room and the sonos is found again with no mention to place
    pytest.param("turn on the cellar sonos", [], marks=pytest.mark.xfail(
        strict=True, reason="a short name the tagger joins to the room before it is found with no mention")),
    ("switch off the scullery snug lamp", []),
    ("turn on the snug sonos", [("sonos", "turn_on", None)]),
    ("switch off the snug lamp in the snug", [("snug_lamp", "turn_off", None)]),
])
def test_a_room_named_right_before_a_device_it_lacks_is_no_way_to_that_device(parser, text, want):
    """blind26's "on the fan in lola's room po", heard "... and lola's room poste", switched on the
    lamp posts of the yard ("the poste"): a room named in full right before a device's name says where
    it is, as "the sonos in the cellar" does; a room that lacks it names no device."""
    u = parser.parse(text, "snug")
    assert _cmds(u) == want
    if not want:
        assert "can't find" in u.response


@pytest.fixture(scope="module")
def family_parser():
    return load_parser(parse_config("""
hub: {name: Moyo house, language: en, area: lounge}
areas:
  - {id: lounge, name: Lounge}
  - {id: tendai_room, name: Tendai's room}
  - {id: grandpa_room, name: Grandpa's room, aliases: [grandpa's bedroom]}
  - {id: nursery, name: Nursery}
  - {id: study, name: Study}
  - {id: kitchen, name: Kitchen}
  - {id: garage, name: Garage}
devices:
  - {id: lounge_lamp, name: Lounge lamp, area: lounge, type: light, protocol: generic, topic: m/ll}
  - {id: tendai_lamp, name: Tendai's lamp, area: tendai_room, type: light, protocol: generic, topic: m/tl}
  - {id: tendai_heater, name: Tendai's heater, area: tendai_room, type: switch, protocol: generic, topic: m/th}
  - {id: tendai_fan, name: Tendai's fan, area: tendai_room, type: fan, protocol: generic, topic: m/tf}
  - {id: grandpa_fan, name: Grandpa's fan, area: grandpa_room, type: fan, protocol: generic, topic: m/gf}
  - {id: grandpa_radio, name: Grandpa's radio, area: grandpa_room, type: media_player, features: [volume], protocol: generic, topic: m/gr}
  - {id: kitchen_radio, name: Kitchen radio, area: kitchen, type: media_player, features: [volume], protocol: generic, topic: m/kr}
  - {id: nursery_heater, name: Nursery heater, area: nursery, type: switch, protocol: generic, topic: m/nh}
  - {id: study_lamp, name: Study lamp, area: study, type: light, protocol: generic, topic: m/sl}
  - {id: back_door, name: Back door, area: kitchen, type: lock, protocol: generic, topic: m/bd}
  - {id: rice_cooker, name: Rice cooker, area: kitchen, type: outlet, protocol: generic, topic: m/rc}
  - {id: garage_door, name: Garage door, area: garage, type: cover, device_class: garage, protocol: generic, topic: m/gd}
""", "moyo.yaml"))


@pytest.mark.parametrize("text, want", [
    ("switch off tendai's heater and her lamp", [("tendai_heater", "turn_off", None), ("tendai_lamp", "turn_off", None)]),
    ("turn on grandpa's fan and his radio", [("grandpa_fan", "turn_on", None), ("grandpa_radio", "turn_on", None)]),
    ("turn on tendai's lamp and grandpa's fan and his radio",
     [("tendai_lamp", "turn_on", None), ("grandpa_fan", "turn_on", None), ("grandpa_radio", "turn_on", None)]),
    ("turn off the lounge lamp and the kitchen radio", [("lounge_lamp", "turn_off", None), ("kitchen_radio", "turn_off", None)]),
])
def test_a_possessive_pronoun_is_the_person_said_before_it(family_parser, text, want):
    """blind27's "turn off keoni's light strip and his fan" turned off the lounge's fan, and blind28's
    "ba bana is feeling cold in her room" knew no room "her room": "his", "her", "their"
    (language.yaml ``possessive_pronouns``) stand for the one person said before them whose things
    the home names, where that makes a name of the home (Framing.owned)."""
    u = family_parser.parse(text, "lounge")
    assert sorted(_cmds(u)) == sorted(want), text
    # a name that says whose it is takes no article (language.yaml possessive_endings)
    assert "the tendai's" not in u.response and "the grandpa's" not in u.response


@pytest.mark.parametrize("text, want", [
    ("the nursery is freezing", [("nursery_heater", "turn_on", None)]),
    ("tendai's room is really stuffy", [("tendai_fan", "turn_on", None)]),
    ("the study is dark", [("study_lamp", "turn_on", None)]),
    ("the lounge is on", []),
    ("the garage is still open", []),
    ("tendai is freezing in her room", [("tendai_heater", "turn_on", None)]),
    ("grandpa is sweltering in his bedroom", [("grandpa_fan", "turn_on", None)]),
    ("tendai is sleeping", []),
])
def test_a_room_or_a_person_as_the_subject_of_a_statement(family_parser, text, want):
    """blind28's "mwila's room is like an oven" and "mwila's room is too hot" gave no command while
    "it's too hot in mwila's room" did, and "ba bana is feeling cold in her room" none: a statement
    whose subject is a room reads as one of the place (language.yaml ``room_subject_as``), one whose
    subject is a person the home's names own as one of a pronoun (``person_subject_as``), but not
    one of how things are ("the lounge is on")."""
    assert _cmds(family_parser.parse(text, "lounge")) == want, text


@pytest.mark.parametrize("text, want", [
    ("is the back door locked or what", [("back_door", "query", None)]),
    ("the back door is locked or what", [("back_door", "query", None)]),
    ("can you cook the rice", [("rice_cooker", "turn_on", None)]),
    ("put the rice on for dinner", [("rice_cooker", "turn_on", None)]),
])
def test_a_question_tag_or_what_and_cooking_the_rice(family_parser, text, want):
    """blind27's "eh da front door stay locked or what" locked the door and "can cook the rice
    already" was refused: "or what" is a question tail (language.yaml ``question_tails``), cooking
    rice asks for the rice cooker (implied.yaml)."""
    assert _cmds(family_parser.parse(text, "lounge")) == want, text


@pytest.mark.parametrize("alias", ["", ", aliases: [the drippers out back]"])
def test_a_room_named_says_which_of_two_devices_a_shared_name_word_means(alias):
    """blind27's "turn on the sprinklers in the front yard", with the Mauka sprinklers out back and
    the Makai ones in front, asked which or found none in the front yard ("the sprinklers" short for
    the back ones only): of the devices whose names hold the words said, the one in the room named."""
    p = load_parser(parse_config(f"""
hub: {{name: Orchard house, language: en, area: kitchen}}
areas:
  - {{id: kitchen, name: Kitchen}}
  - {{id: orchard, name: Orchard}}
  - {{id: vege, name: Vege garden}}
  - {{id: garage, name: Garage}}
devices:
  - {{id: orchard_drip, name: Orchard drippers, area: orchard, type: valve, protocol: generic, topic: o/od}}
  - {{id: vege_drip, name: Vege drippers{alias}, area: vege, type: valve, protocol: generic, topic: o/vd}}
  - {{id: kitchen_light, name: Kitchen light, area: kitchen, type: light, protocol: generic, topic: o/kl}}
""", "orchard.yaml"))
    assert _cmds(p.parse("turn on the drippers in the orchard", "kitchen")) == [("orchard_drip", "open", None)]
    assert _cmds(p.parse("switch the drippers on in the vege garden", "kitchen")) == [("vege_drip", "open", None)]
    u = p.parse("turn on the drippers in the garage", "kitchen")
    assert _cmds(u) == [] and "the the" not in u.response


def test_a_type_word_the_tagger_missed_is_what_a_clause_with_no_target_acts_on():
    """blind25's home read "put the telly on five" (no word tagged) as the back room's lights at 5 %:
    a clause whose words the model tagged as no name, room or type acts on the type word said after a
    determiner, never on whatever the speaker's room has that takes the value."""
    p = load_parser(parse_config("""
hub: {name: Anfield terrace, language: en, area: front_room}
areas:
  - {id: front_room, name: Front room}
  - {id: kitchen, name: Kitchen}
devices:
  - {id: big_telly, name: Big telly, area: front_room, type: media_player, features: [volume], protocol: generic, topic: a/bt}
  - {id: front_lamp, name: Front room lamp, area: front_room, type: light, features: [brightness], protocol: generic, topic: a/fl}
  - {id: standard_lamp, name: Standard lamp, area: front_room, type: light, features: [brightness], protocol: generic, topic: a/sl}
  - {id: kitchen_light, name: Kitchen light, area: kitchen, type: light, features: [brightness], protocol: generic, topic: a/kl}
""", "anfield.yaml"))
    for text in ("put the telly on five", "stick the telly on ten"):
        got = _cmds(p.parse(text, "front_room"))
        assert got and {d for d, _, _ in got} == {"big_telly"}, (text, got)


@pytest.fixture(scope="module")
def duplex_parser():
    return load_parser(parse_config("""
hub: {name: Larose duplex, language: en, area: hall}
areas:
  - {id: hall, name: Hall}
  - {id: study, name: Study}
  - {id: bedroom, name: Bedroom}
  - {id: garage, name: Garage}
  - {id: shed, name: Shed}
  - {id: basement, name: Basement}
devices:
  - {id: hall_light, name: Hall light, area: hall, type: light, protocol: generic, topic: l/hl}
  - {id: front_door, name: Front door, area: hall, type: lock, protocol: generic, topic: l/fd}
  - {id: study_lamp, name: Study lamp, area: study, type: light, protocol: generic, topic: l/sl}
  - {id: study_fan, name: Study fan, area: study, type: fan, protocol: generic, topic: l/sf}
  - {id: desk_speaker, name: Desk speaker, area: study, type: media_player, features: [volume], protocol: generic, topic: l/ds}
  - {id: bedroom_blinds, name: Bedroom blinds, area: bedroom, type: cover, device_class: blind, protocol: generic, topic: l/bb}
  - {id: bedroom_lamp, name: Bedroom lamp, area: bedroom, type: light, protocol: generic, topic: l/bl}
  - {id: garage_light, name: Garage light, area: garage, type: light, protocol: generic, topic: l/gl}
  - {id: shed_light, name: Shed light, area: shed, type: light, protocol: generic, topic: l/shl}
  - {id: tank, name: Hot water tank, area: basement, type: water_heater, protocol: generic, topic: l/t}
  - {id: space_heater, name: Space heater, area: study, type: switch, protocol: generic, topic: l/sh}
  - {id: fountain, name: Water feature, area: garage, type: outlet, protocol: generic, topic: l/wf}
  - {id: radio, name: Radio, aliases: [the bose], area: study, type: media_player, protocol: generic, topic: l/r}
""", "larose.yaml"))


@pytest.mark.parametrize("text, want", [
    ("shut everything in the study", [("study_lamp", "turn_off", None), ("study_fan", "turn_off", None),
                                      ("desk_speaker", "turn_off", None), ("space_heater", "turn_off", None),
                                      ("radio", "turn_off", None)]),
    ("open everything in the hall", [("hall_light", "turn_on", None)]),
    ("close everything in the bedroom", [("bedroom_blinds", "close", None)]),
])
def test_everything_in_a_room_where_nothing_opens_or_closes(duplex_parser, text, want):
    """blind29's "close everything in the kitchen we're leaving for the chalet" (Montreal English)
    asked which device in a kitchen with nothing that closes: there "everything" is what the verb
    asks of the kinds it switches (language.yaml ``type_verbs``), never a lock opened unnamed, and a
    room with blinds still closes them."""
    assert sorted(_cmds(duplex_parser.parse(text, "hall"))) == sorted(want), text


@pytest.mark.parametrize("text, want", [
    ("switch on the garage light i'm taking the bike out to the shed", [("garage_light", "turn_on", None)]),
    ("turn off the hall light i'm heading up to the study", [("hall_light", "turn_off", None)]),
])
def test_a_reason_opened_by_i_m(duplex_parser, text, want):
    """blind30's "put the lights on downstairs i'm going to get fish from the freezer" turned the
    freezer on too: "i'm" opens a statement after a command as "i" does (language.yaml
    ``reason_pronouns``)."""
    assert _cmds(duplex_parser.parse(text, "hall")) == want, text


@pytest.mark.parametrize("text, want", [
    ("there's no hot water", [("tank", "turn_on", None)]),
    ("we need hot water for a shower", [("tank", "turn_on", None)]),
    ("no hot water again", [("tank", "turn_on", None)]),
    ("turn off the hot water tank", [("tank", "turn_off", None)]),
])
def test_a_need_whose_words_are_a_devices_name(duplex_parser, text, want):
    """blind30's "isa no hot water in the shower again" where the water heater is named "Hot water":
    a phrase of implied.yaml that holds the words of a device's name still says the need (the hot
    water tank here, never the water feature or the space heater)."""
    assert _cmds(duplex_parser.parse(text, "hall")) == want, text


@pytest.mark.parametrize("text, want", [
    ("turn off the lights in bose's room", []),
    ("switch off everything in the radio room", []),
    ("turn off the bose in the study", [("radio", "turn_off", None)]),
])
def test_a_devices_name_before_a_room_noun_is_a_room_the_home_lacks(duplex_parser, text, want):
    """blind29's "turn off everything in chloé's room", heard "... in play's room" where "the Play" is
    the console, turned the console off: a device's name right before a room noun after a location
    word says whose room, a room the home lacks (refused, and a doubt of hearing), not the device."""
    assert _cmds(duplex_parser.parse(text, "hall")) == want, text


def test_every_opening_a_verbless_command(duplex_parser):
    """headingley's "every light in the house off i'm not made of brass", its remark cut off by "i'm",
    was read as a question: "every" opens a verbless command as "everything" and "all" do
    (language.yaml ``verbless_subjects``); asked with "is", it stays a question."""
    lights = {"hall_light", "study_lamp", "bedroom_lamp", "garage_light", "shed_light"}
    u = duplex_parser.parse("every light in the house off", "hall")
    assert {c.device for c in u.commands} == lights and {c.action for c in u.commands} == {"turn_off"}
    u = duplex_parser.parse("is every light off", "hall")
    assert {c.device for c in u.commands} == lights and {c.action for c in u.commands} == {"query"}


@pytest.mark.parametrize("text, want", [
    ("ho stay dark in the garage", [("garage_light", "turn_on", None)]),
    ("the front door stay locked or what", [("front_door", "query", None)]),
    ("chee stay so hot in the study", [("study_fan", "turn_on", None)]),
])
def test_a_varietys_copula(duplex_parser, text, want):
    """blind27's "eh da front door stay locked or what" locked the door and "ho stay dark on the lanai"
    was refused: Hawaii Pidgin's "stay" is "is" before a state or a degree, and "it's" where no
    subject comes before it (language.yaml ``copulas``)."""
    assert _cmds(duplex_parser.parse(text, "hall")) == want, text


def test_a_copula_after_a_wish_is_a_verb():
    """... but not after a wish ("let the back door stay open": ``copula_not_after``), nor before
    "on" or "off" ("so the lights stay on")."""
    from hub.nlu.normalize import normalize
    assert "stay" in normalize("let the back door stay open")
    assert "stay" in normalize("keep the porch light on so the lights stay on")
    assert normalize("the gate stay open or what")[:4] == ["the", "gate", "is", "open"]


def test_a_person_of_the_home_as_a_reasons_subject():
    """blind27's "put the mitsubishi on twenty four mom stay cold" (its "stay" now "is") read the remark
    as a complaint and turned the aircon up by 24: a person the home's names own ("mom and dad's room")
    opens a reason as "my wife" does (Framing.reason)."""
    p = load_parser(parse_config("""
hub: {name: Flat, language: en, area: lounge}
areas:
  - {id: lounge, name: Lounge}
  - {id: nana_room, name: Nana's room}
  - {id: main_room, name: Mum and dad's room}
devices:
  - {id: heat_pump, name: Nana's heat pump, area: nana_room, type: climate, features: [target_temperature], protocol: generic, topic: f/hp}
  - {id: lounge_lamp, name: Lounge lamp, area: lounge, type: light, protocol: generic, topic: f/ll}
  - {id: main_ac, name: Mum and dad's aircon, aliases: [the daikin], area: main_room, type: climate, features: [target_temperature], protocol: generic, topic: f/ac}
""", "flat.yaml"))
    assert _cmds(p.parse("put the heat pump on twenty four nana is cold", "lounge")) == [("heat_pump", "set_temperature", 24)]
    assert _cmds(p.parse("put the daikin on twenty two mum is cold", "lounge")) == [("main_ac", "set_temperature", 22)]
    assert _cmds(p.parse("turn off the lounge lamp nana is sleeping", "lounge")) == [("lounge_lamp", "turn_off", None)]


@pytest.mark.parametrize("text, want", [
    ("switch off the garage light y'all need to get to bed", [("garage_light", "turn_off", None)]),
    ("turn the radio off you need to finish your homework", [("radio", "turn_off", None)]),
    ("put the study fan on the kids need some air", [("study_fan", "turn_on", None)]),
    ("shut the bedroom blinds my husband wants a nap", [("bedroom_blinds", "close", None)]),
    ("turn off the shed light youse are letting the moths in", [("shed_light", "turn_off", None)]),
])
def test_a_reason_of_need_or_want_after_a_command(duplex_parser, text, want):
    """blind12's "cut the vizio off y'all need to do your homework" acted but was not understood
    word for word, so a name guessed by sound for a misheard "vizio" could not stand: a statement
    of what someone needs or wants (language.yaml ``statement_verbs``), or one opened by a pronoun
    that names nobody in the home ("y'all", "youse": ``reason_pronouns``), is the command's reason."""
    u = duplex_parser.parse(text, "hall")
    assert _cmds(u) == want, text
    assert u.complete, text


@pytest.mark.parametrize("text, want", [
    ("switch off the garage light dinner is ready", [("garage_light", "turn_off", None)]),
    ("turn the space heater off kplc has brought the power back", [("space_heater", "turn_off", None)]),
    ("turn off the radio grandpa has a headache", [("radio", "turn_off", None)]),
    ("put the hall light on eskom has brought the light back", [("hall_light", "turn_on", None)]),
])
def test_a_reason_whose_subject_is_a_word_the_home_does_not_use(duplex_parser, text, want):
    """blind31's "off the gen ecg has brought the light" (Accra: the power company has restored
    power) asked which light: a word that is no word of the home's names or phrasing, right before
    a statement verb after a command naming its device, is a reason's subject as "my wife" is (a
    person, a company, a meal), and the light it speaks of is not the command's."""
    u = duplex_parser.parse(text, "hall")
    assert _cmds(u) == want, text
    assert u.complete, text


@pytest.fixture(scope="module")
def borehole_parser():
    """A house with a borehole pump beside a pool pump, a geyser and a mosquito zapper."""
    return load_parser(parse_config("""
hub: {name: Plot, language: en, area: lounge}
areas:
  - {id: lounge, name: Lounge}
  - {id: patio, name: Patio}
  - {id: yard, name: Yard}
devices:
  - {id: borehole, name: Borehole pump, area: yard, type: switch, protocol: generic, topic: p/b}
  - {id: pool_pump, name: Pool pump, area: yard, type: switch, protocol: generic, topic: p/p}
  - {id: geyser, name: Geyser, type: water_heater, protocol: generic, topic: p/g}
  - {id: zapper, name: Mosquito zapper, area: patio, type: outlet, protocol: generic, topic: p/z}
  - {id: lounge_lamp, name: Lounge lamp, area: lounge, type: light, protocol: generic, topic: p/l}
""", "plot.yaml"))


@pytest.mark.parametrize("text, want", [
    ("the tank is empty", [("borehole", "turn_on", None)]),
    ("there's no water coming from the taps", [("borehole", "turn_on", None)]),
    ("no water in the taps again", [("borehole", "turn_on", None)]),
    ("there's no hot water", [("geyser", "turn_on", None)]),
    ("the mosquitoes are plenty on the patio", [("zapper", "turn_on", None)]),
])
def test_dry_taps_ask_for_the_pump(borehole_parser, text, want):
    """blind19's "the overhead tank is empty no water in the taps" (Colombo) and blind31's "there's no
    water in the taps the polytank is empty" (Accra) were refused: dry taps or an empty tank ask for
    the pump that fills it (implied.yaml), never the pool's; mosquitoes "plenty" (West African
    English) ask for the zapper as "many" does."""
    assert _cmds(borehole_parser.parse(text, "lounge")) == want, text


@pytest.mark.parametrize("text, want", [
    ("grandpa has gone out turn off everything in the study",
     [("study_lamp", "turn_off", None), ("study_fan", "turn_off", None), ("desk_speaker", "turn_off", None),
      ("space_heater", "turn_off", None), ("radio", "turn_off", None)]),
    ("mum has left switch off the lights in the bedroom", [("bedroom_lamp", "turn_off", None)]),
])
def test_a_statement_run_on_into_a_command_on_a_room(duplex_parser, text, want):
    """blind31's "sister comfort has travelled off everything in the bq" was refused: a statement
    runs on into a command that names a room as it does into one that names a device."""
    assert sorted(_cmds(duplex_parser.parse(text, "hall"))) == sorted(want), text


@pytest.mark.parametrize("text", [
    "a bag off the hall light",
    "set the study lamp off",
    "send the garage light off",
    "the bag off the bedroom lamp",
])
def test_an_off_said_of_a_light_never_starts_it(duplex_parser, text):
    """blind31's "abeg off the hall light", heard "a bag off the hall light", was read as "start"
    (whose "set ... off" is a vacuum's phrasing) and turned the light on: a polar word rules out a
    reading unless the intent says it of the named device's type (commands.yaml template types)."""
    assert all(a != "turn_on" for _, a, _ in _cmds(duplex_parser.parse(text, "hall"))), text


def test_a_vacuums_off_and_start_are_still_its_own():
    """... while the words of a vacuum's own phrasings still read as its commands."""
    p = load_parser(parse_config("""
hub: {name: Flat, language: en, area: lounge}
areas:
  - {id: lounge, name: Lounge}
devices:
  - {id: robot, name: Robot vacuum, aliases: [dixie], area: lounge, type: vacuum, protocol: generic, topic: f/r}
  - {id: lamp, name: Lounge lamp, area: lounge, type: light, protocol: generic, topic: f/l}
""", "flat.yaml"))
    assert _cmds(p.parse("turn the robot vacuum off", "lounge")) == [("robot", "dock", None)]
    assert _cmds(p.parse("start dixie", "lounge")) == [("robot", "start", None)]
    assert _cmds(p.parse("switch the lounge lamp off", "lounge")) == [("lamp", "turn_off", None)]


@pytest.mark.parametrize("text, want", [
    ("make the study lamp thing", []),
    ("make the hall light stuff", []),
    ("make the radio on", [("radio", "turn_on", None)]),
    ("make the bedroom lamp off", [("bedroom_lamp", "turn_off", None)]),
])
def test_make_says_no_way_of_its_own(duplex_parser, text, want):
    """blind31's "make efua's led strip pink", heard "... led strip thing", turned the strip on:
    "make" says no way (language.yaml ``undirected``), so with no way, value or state said after it
    nothing is switched."""
    assert _cmds(duplex_parser.parse(text, "hall")) == want, text


@pytest.mark.parametrize("text, want, partial", [
    ("turn off the radio the blorpa", [("radio", "turn_off", None)], True),
    ("switch off the study lamp the flimbo and the desk speaker",
     [("study_lamp", "turn_off", None), ("desk_speaker", "turn_off", None)], True),
    ("turn off the hall light the kids are asleep", [("hall_light", "turn_off", None)], False),
    ("switch off the study lamp the desk speaker and the study fan",
     [("study_lamp", "turn_off", None), ("desk_speaker", "turn_off", None), ("study_fan", "turn_off", None)], False),
    # ... but words of the dictionary are a remark (blind17's Jamaican "pause the big tv the phone
    # ringing" was held by the first version of this rule)
    ("pause the radio the phone ringing", [("radio", "pause", None)], False),
])
def test_a_word_nobody_knows_after_a_name_and_its_determiner_is_a_name_the_home_lacks(duplex_parser, text, want, partial):
    """blind31's "off the hall tv the decoder and the home theatre", heard "... the hall tv the dikoda
    and the home pier to", turned the tv alone off as if all was said: "the" and words nobody knows
    right after a device's name are another name in the list, one the home lacks (as "and the
    dikoda" is), so the reading is partial and speech waits for a yes."""
    u = duplex_parser.parse(text, "hall")
    assert sorted(_cmds(u)) == sorted(want), text
    assert u.partial == partial, text


@pytest.mark.parametrize("text", ["open the bedroom blinds let some light enter",
                                  "open the bedroom blinds to let the light enter"])
def test_light_let_in_is_no_light_to_switch(duplex_parser, text):
    """blind31's "open the master bedroom curtains let some light enter" (Ghanaian English) turned
    on the hall's lights too: light let in, or let enter, is what opening the cover is for
    (commands.yaml open: a phrase with a type word of no type it acts on)."""
    assert _cmds(duplex_parser.parse(text, "hall")) == [("bedroom_blinds", "open", None)], text


@pytest.fixture(scope="module")
def gen_parser():
    """A house on a grid that fails: a generator and an inverter beside the lights."""
    return load_parser(parse_config("""
hub: {name: Compound, language: en, area: parlour}
areas:
  - {id: parlour, name: Parlour}
  - {id: kitchen, name: Kitchen}
  - {id: yard, name: Yard}
devices:
  - {id: generator, name: Generator, aliases: [the gen], area: yard, type: switch, protocol: generic, topic: c/g}
  - {id: inverter, name: Inverter, area: yard, type: switch, protocol: generic, topic: c/i}
  - {id: parlour_light, name: Parlour light, area: parlour, type: light, protocol: generic, topic: c/pl}
  - {id: kitchen_light, name: Kitchen light, area: kitchen, type: light, protocol: generic, topic: c/kl}
""", "compound.yaml"))


@pytest.mark.parametrize("text, want", [
    ("the light has gone start the generator", [("generator", "turn_on", None)]),
    ("light is gone on the gen", [("generator", "turn_on", None)]),
    ("the power has gone switch on the inverter", [("inverter", "turn_on", None)]),
    ("the light is back off the gen", [("generator", "turn_off", None)]),
    ("the light has come back switch off the generator", [("generator", "turn_off", None)]),
    ("is the light on in the kitchen", [("kitchen_light", "query", None)]),
])
def test_the_light_that_goes_and_comes_is_the_mains(gen_parser, text, want):
    """blind32's "the light has gone yaar start the generator please" (Karachi) was refused: where
    the grid fails often (South Asia, West Africa), "the light" or "the power" that has gone or come
    back is the mains supply (language.yaml ``statement_starts``), said before the command, never a
    lamp to switch."""
    assert _cmds(gen_parser.parse(text, "parlour")) == want, text


@pytest.mark.parametrize("text, want", [
    # what someone says is a reason (language.yaml statement_verbs "says")
    ("put the kids room aircon at twenty four ethan says too hot", [("kids_aircon", "set_temperature", 24)]),
    ("switch off the hall fan kak yanti says she cold", [("hall_fan", "turn_off", None)]),
    # after a verb that says its way, "off the X" begins a command (language.yaml own_way_verbs)
    ("lock the front door off the porch light", [("front_door", "lock", None), ("porch_light", "turn_off", None)]),
    # a lead that says what the command is on is read with it (Parser._parse)
    ("eh the floor so sandy can vacuum or not", [("vacuum", "start", None)]),
    # a need said in any words around it (implied.yaml about and states)
    ("aiyo the kitchen smell of frying fish", [("cooker_hood", "turn_on", None)]),
    # what senses the thing asked (language.yaml query_types features)
    ("is it pouring", [("rain_sensor", "query", None)]),
    # a share after a way is a level (language.yaml level_lead)
    ("bring the hall curtains down halfway", [("hall_curtains", "set_position", 50)]),
    # "all the X" said in the singular (Selector._by_type)
    ("off all the aircon upstairs", [("kids_aircon", "turn_off", None), ("master_aircon", "turn_off", None),
                                     ("middle_aircon", "turn_off", None)]),
    # a remark's word of a name after a device named in full (HomeIndex.find)
    ("on the kdk fan instead save electric", [("hall_fan", "turn_on", None)]),
])
def test_malaysian_english_of_blind33(homes, text, want):
    """blind33 (SS2, Petaling Jaya) as text, first run 56 of 64: "daddy says too cold" after a set had
    turned it into a step, "lock the front door off the hall light ..." lost the lock, the floor's dust,
    the house's cooking smell and the plants' dryness asked for nothing, "is it raining" for no sensor,
    "off all the aircon upstairs" asked which, "save electric" turned the electric kettle on. Cases of
    those kinds, other than the set's."""
    cfg, parser = homes("tests/asr_cases/blind33/ss2.yaml")
    assert sorted(_cmds(parser.parse(text, cfg.hub.area))) == sorted(want)


@pytest.mark.parametrize("home, text, want, sure", [
    # a level said after a way whose number whisper lost is a guess: it waits for a yes
    ("tests/asr_cases/blind35/east_end.yaml", "turn the sonos up to a d", [("kitchen_radio", "volume_up", None)], False),
    ("tests/asr_cases/blind35/east_end.yaml", "turn the sonos up to thirty", [("kitchen_radio", "set_volume", 30)], True),
    # a way said as the verb rules out a question later in the clause
    ("tests/asr_cases/blind36/san_fernando.yaml", "out the gallery light did you lock up", [("gallery_light", "turn_off", None)], True),
    # "full of" and "full up" are no 100 percent
    ("tests/asr_cases/blind36/san_fernando.yaml", "the kitchen full of smoke from the fry bake", [("exhaust_fan", "turn_on", None)], True),
])
def test_caribbean_and_newfoundland_english_of_blind35_and_blind36(homes, home, text, want, sure):
    """blind35 (St. John's) and blind36 (San Fernando), first runs 54 and 47 of 64 spoken: "turn the
    radio up to eighty", heard "up to a d", turned it up a step (wrong); "out the carport light daddy
    reach home already", heard "did you reach home", was read as a question about the light (wrong).
    Cases of those kinds, other than the sets'."""
    cfg, parser = homes(home)
    u = parser.parse(text, cfg.hub.area)
    assert sorted(_cmds(u)) == sorted(want)
    assert (u.confidence >= 0.83) == sure


@pytest.mark.parametrize("home, text, want", [
    # a term of address between a command and a statement is a comma
    ("tests/asr_cases/blind37/east_belfast.yaml", "knock on the big light love it's dark as pitch",
     [("living_room_light", "turn_on", None)]),
    ("tests/asr_cases/blind38/bywater.yaml", "turn the gallery fan on cher it's hot", [("gallery_fan", "turn_on", None)]),
    # "out here" is the home's rooms outdoors, not the hub's kitchen
    ("tests/asr_cases/blind38/bywater.yaml", "the mosquitoes are biting out here", [("mister", "turn_on", None)]),
    # a room, then a person: no "upstairs AC" guessed from "upstairs" and a name
    ("tests/asr_cases/blind38/bywater.yaml", "turn off the lights upstairs tee ray is sleeping", [("tee_light", "turn_off", None)]),
    # a need said as "need + past participle"
    ("tests/asr_cases/blind39/polish_hill.yaml", "the rugs need vacuumed", [("roomba", "start", None)]),
    # "it" as the object of a verb is no dropped copula
    ("tests/asr_cases/blind39/polish_hill.yaml", "set the thermostat to sixty eight joey likes it warm",
     [("thermostat", "set_temperature", 68)]),
    # "house" of a room's name is no whole home
    ("tests/asr_cases/blind40/st_philip.yaml", "how cold it is in de front house", [("front_house_sensor", "query", None)]),
])
def test_belfast_new_orleans_pittsburgh_and_bajan_english_of_blind37_to_blind40(homes, home, text, want):
    """blind37 to blind40, first runs 58, 52, 49 and 49 of 64 spoken; blind40's texts 33 of 64 (its
    "de" for "the"). Cases of the kinds they showed, other than the sets'."""
    cfg, parser = homes(home)
    assert sorted(_cmds(parser.parse(text, cfg.hub.area))) == sorted(want)


@pytest.mark.parametrize("home,text,want", [
    # "b'y" (boy) is no "by"
    ("tests/asr_cases/blind41/outport.yaml", "yes b'y switch on the stage light", [("stage_light", "turn_on", None)]),
    # a statement about a device run on into a command on "it"
    ("tests/asr_cases/blind41/outport.yaml", "the shed heater is after being left on all day turn it off",
     [("shed_heater", "turn_off", None)]),
    ("tests/asr_cases/blind42/holler.yaml", "the well pump's been a running all night cut it off", [("well_pump", "turn_off", None)]),
    # "plug in" and "unplug" the thing a plug is named for
    ("tests/asr_cases/blind41/outport.yaml", "unplug the truck", [("block_heater", "turn_off", None)]),
    # "out on" a room says where, not the way
    ("tests/asr_cases/blind41/outport.yaml", "light up the porch light out on the bridge", [("porch_light", "turn_on", None)]),
    # a device after "by" another is where that one is ("plug in the truck by tea ...", whisper's "b'y 'tis")
    ("tests/asr_cases/blind41/outport.yaml", "turn on the floor lamp by the tv", [("front_room_lamp", "turn_on", None)]),
    ("tests/asr_cases/blind42/holler.yaml", "cut on the lamp next to the roku", [("front_room_lamp", "turn_on", None)]),
    # "nan" is a person, no number
    ("tests/asr_cases/blind41/outport.yaml", "put on the kettle nan is up", [("kettle", "turn_on", None)]),
    ("tests/asr_cases/blind42/holler.yaml", "turn off the front porch light mamaw's gone to bed",
     [("front_porch_light", "turn_off", None)]),
    # the particle after the device: "haul ... to" closes, "let ... down" lowers
    ("tests/asr_cases/blind42/holler.yaml", "haul the big barn door to", [("barn_door", "close", None)]),
    ("tests/asr_cases/blind42/holler.yaml", "let the winder blinds down a little", [("front_room_blinds", "position_down", None)]),
    ("tests/asr_cases/blind42/holler.yaml", "mash the supper bell", [("dinner_bell", "press", None)]),
    # a polite lead before a verb whose particle gives the way
    ("tests/asr_cases/blind42/holler.yaml", "reckon you could cut the pole light on", [("security_light", "turn_on", None)]),
    # intensifiers before a complaint
    ("tests/asr_cases/blind42/holler.yaml", "it's plumb dark in the root cellar", [("cellar_light", "turn_on", None)]),
    # a reason's "don't" is no change of mind
    ("tests/asr_cases/blind42/holler.yaml", "turn off the water heater so the tank don't boil over", [("water_heater", "turn_off", None)]),
])
def test_newfoundland_and_appalachian_english_of_blind41_and_blind42(homes, home, text, want):
    """blind41 (a Newfoundland outport) and blind42 (an eastern Kentucky holler), first runs 53 and 54
    of 64 spoken, 56 and 59 as text (blind42's "pull the barn door to" opened it). Cases of the kinds
    they showed, other than the sets'."""
    cfg, parser = homes(home)
    assert sorted(_cmds(parser.parse(text, cfg.hub.area))) == sorted(want)


@pytest.mark.parametrize("home,text,want", [
    # north-east Scots spellings: "pit", "aff", "doon tae", "aw the"
    ("tests/asr_cases/blind43/aberdeen.yaml", "pit the hall light aff", [("hall_light", "turn_off", None)]),
    ("tests/asr_cases/blind43/aberdeen.yaml", "turn the kitchen radio doon tae ten", [("kitchen_radio", "set_volume", 10)]),
    ("tests/asr_cases/blind43/aberdeen.yaml", "switch aff aw the lights in the kitchie",
     [("kitchen_light", "turn_off", None), ("worktop_lights", "turn_off", None)]),
    # a smell in a room: its extractor
    ("tests/asr_cases/blind43/aberdeen.yaml", "there's a bad smell in the cludgie", [("extractor_fan", "turn_on", None)]),
    # a misheard name never runs on over a statement verb ("papa's | got", no "Papa's telly")
    ("tests/asr_cases/blind43/aberdeen.yaml", "switch on the slow cooker papa's got the cauld", [("slow_cooker", "turn_on", None)]),
    # Spanish verbs and words inside Tejano English
    ("tests/asr_cases/blind44/rio_grande.yaml", "apaga the tele in the sala", [("sala_tv", "turn_off", None)]),
    ("tests/asr_cases/blind44/rio_grande.yaml", "prende the porch light ahorita", [("porch_light", "turn_on", None)]),
    ("tests/asr_cases/blind44/rio_grande.yaml", "ay i want a cafecito", [("coffee_maker", "turn_on", None)]),
    # whisper's "lucy cedas" (lucecitas) shares its sound key with "lights" alone, the carport light's
    # short name, which has no sound of its own: the string lights only
    ("tests/asr_cases/blind44/rio_grande.yaml", "turn off the lucy cedas", [("string_lights", "turn_off", None)]),
    # a room the home lacks is never cut off as a remark: nothing is done, not the speaker's room's lights
    ("tests/asr_cases/blind44/rio_grande.yaml", "cut the lights off in tia and tio's room", []),
    ("tests/asr_cases/blind44/rio_grande.yaml", "switch the lights off an nina and pepe's room", []),
    # "'s already" is "is already": a statement of why, no "abuela's AC"
    ("tests/asr_cases/blind44/rio_grande.yaml", "turn off the patio light abuela's already inside", [("patio_light", "turn_off", None)]),
])
def test_north_east_scots_and_tejano_english_of_blind43_and_blind44(homes, home, text, want):
    """blind43 (outside Aberdeen) and blind44 (McAllen), first runs as text 48 and 58 of 64 (7 and 2
    wrong: Scots "tae" for "to" had made "up tae twenty twa" a step of 20). Cases of the kinds they
    showed, other than the sets'."""
    cfg, parser = homes(home)
    assert sorted(_cmds(parser.parse(text, cfg.hub.area))) == sorted(want)


@pytest.mark.parametrize("home,text,want", [
    # a place adverb right before "the" and a room says where ("down the cellar": in the cellar), no way
    ("tests/asr_cases/blind46/levenshulme.yaml", "it's pitch black down the cellar", [("cellar_light", "turn_on", None)]),
    # a brew in a home with no coffee maker is tea
    ("tests/asr_cases/blind46/levenshulme.yaml", "i'm spitting feathers for a brew", [("kettle", "turn_on", None)]),
    # a person whose things the home names, said with a possessive, opens a statement of why ("kyle's got
    # it on full whack": no level of 100)
    ("tests/asr_cases/blind46/levenshulme.yaml", "turn the roberts down kyle's got it on full whack",
     [("kitchen_radio", "volume_down", None)]),
    # "this is ..." after a command is a statement of why: its "one" is no value
    ("tests/asr_cases/blind45/brainerd.yaml", "turn the bose down a little this is a long one", [("kitchen_radio", "volume_down", None)]),
])
def test_upper_midwest_and_mancunian_english_of_blind45_and_blind46(homes, home, text, want):
    """blind45 (a lake outside Brainerd) and blind46 (Levenshulme), first runs as text 61 and 58 of 64
    (blind46's "i can't see a thing down the cellar" had turned the cellar light off). Cases of the
    kinds they showed, other than the sets'."""
    cfg, parser = homes(home)
    assert sorted(_cmds(parser.parse(text, cfg.hub.area))) == sorted(want)


@pytest.mark.parametrize("home,text,want", [
    # whisper's Guyanese: "catch" for "ketch", "to" for "de" after "out", "no body" for "nobody"
    ("tests/asr_cases/blind56/campbellville.yaml", "Jarvis catch the gallery light na.", [("gallery_lights", "turn_on", None)]),
    ("tests/asr_cases/blind56/campbellville.yaml", "Out to kitchen light mami don't cook.", [("kitchen_light", "turn_off", None)]),
    ("tests/asr_cases/blind56/campbellville.yaml", "Out to panasonic no body ain't watching it.", [("tv", "turn_off", None)]),
    ("tests/asr_cases/blind56/campbellville.yaml", "out everything in nani room she sleeping now",
     [("nani_light", "turn_off", None), ("nani_fan", "turn_off", None), ("nani_radio", "turn_off", None)]),
    ("tests/asr_cases/blind56/campbellville.yaml", "arre out de fan in nani room she feeling cold", [("nani_fan", "turn_off", None)]),
    ("tests/asr_cases/blind56/campbellville.yaml", "de gen still running or it cut off", [("generator", "query", None)]),
    # the assistant's name after a greeting, and whisper's garbled greeting before it
    ("tests/asr_cases/blind55/astoria.yaml", "kandili my jarvis open our shades halfway", [("bedroom_shades", "set_position", 50)]),
    ("tests/asr_cases/blind55/astoria.yaml", "kalimera jarvis open our shades halfway", [("bedroom_shades", "set_position", 50)]),
    # a setting asked is no question of the whole home
    ("tests/asr_cases/blind55/astoria.yaml", "what's the eight set on", []),
    ("tests/asr_cases/blind55/astoria.yaml", "what's the heat set on", [("thermostat", "query", None)]),
    # a question word and a noun before a device named with no verb ("what channel the flow box set on")
    # ask; a command after a question word does not (whisper's "how could you turn on ..." for "hey")
    ("tests/mechanism_cases/homes15/linden.yaml", "what channel the flow box on", [("decoder", "query", None)]),
    ("tests/asr_cases/blind45/brainerd.yaml", "How could you turn on the can lights real quick?", [("can_lights", "turn_on", None)]),
    # a remark never begins between a number and a unit that says its quantity: whisper's "media" (the
    # Midea) had its volume set to 25 for "twenty five degrees"
    ("tests/asr_cases/blind56/campbellville.yaml", "Set the media to twenty five degrees it too cold in the hole.", []),
    ("tests/asr_cases/blind55/astoria.yaml", "put the sonos on sixty eight degrees it mad cold in the hut", []),
    ("tests/asr_cases/blind46/levenshulme.yaml", "put the bay blind half way down", [("bay_blind", "set_position", 50)]),
])
def test_queens_and_guyanese_english_of_blind55_and_blind56(homes, home, text, want):
    """blind55 and blind56 (Astoria, Queens; Campbellville, Georgetown), first runs as text 61 and 44 of
    64, spoken 54 and 34: Guyanese "ketch" (undirected.opening), "out" before "everything", whisper's
    "to" for "de" after it (opening_articles), split "no body", "arre" kept from the spelling corrector,
    a state offered with "or" (question_alternatives), the assistant's name as a pause (lexicon
    addressed), a state word after "set" (group_questions.not_after): whisper's "what's the eight set
    on" had asked every device of the home."""
    cfg, parser = homes(home)
    u = parser.parse(text, cfg.hub.area)
    assert sorted((c.device, c.action, c.value) for c in u.commands) == sorted(want)


@pytest.mark.parametrize("name,wake,text,want", [
    # the home's own names for its hub are a pause, like "jarvis" (whisper's "kandili my jarvis ...")
    ("Nova", "hey_mycroft", "kandili my nova open our shades halfway", [("bedroom_shades", "set_position", 50)]),
    ("Nova", "hey_mycroft", "kandili my mycroft open our shades halfway", [("bedroom_shades", "set_position", 50)]),
    ("Nova", "hey_mycroft", "okay nova turn off the kandili", [("kandili", "turn_off", None)]),
    # a name the home's devices or rooms hold stays a name
    ("Kandili", "hey_jarvis", "turn off the kandili", [("kandili", "turn_off", None)]),
])
def test_the_hubs_own_name_and_wake_word_are_read_as_an_address(name, wake, text, want):
    """lexicon.yaml ``addressed`` knows "jarvis"; a hub named otherwise in config.yaml (hub.name),
    or woken by another wake word, is called by those names, with ``address_openers`` before them."""
    src = (Path(__file__).parent / "asr_cases/blind55/astoria.yaml").read_text()
    cfg = parse_config(src.replace("  name: Jarvis", f"  name: {name}\n  wake_word: {wake}", 1), "astoria.yaml")
    u = load_parser(cfg).parse(text, cfg.hub.area)
    assert sorted((c.device, c.action, c.value) for c in u.commands) == sorted(want)


@pytest.mark.parametrize("home,text,want", [
    # "of" says whose or where, unless it ends the command (whisper's "turn the lights of")
    ("tests/asr_cases/blind57/birkirkara.yaml", "close the lights of the sala we're going upstairs",
     [("sala_light", "turn_off", None), ("sala_lamp", "turn_off", None)]),
    ("tests/asr_cases/blind55/astoria.yaml", "switch off the lights of the kitchen",
     [("kitchen_light", "turn_off", None), ("counter_lights", "turn_off", None)]),
    ("tests/asr_cases/blind55/astoria.yaml", "turn the kitchen lights of", [("kitchen_light", "turn_off", None), ("counter_lights", "turn_off", None)]),
    # an owner after "of" ("heater of Nanna") is an owner, whom "her" stands for
    ("tests/asr_cases/blind57/birkirkara.yaml", "nanna is cold in her room", [("nanna_heater", "turn_on", None)]),
    # a sensor of what a question asks, where none is named or the one named does not sense it
    ("tests/asr_cases/blind57/birkirkara.yaml", "is there something moving in the yard i heard a noise", [("yard_motion", "query", None)]),
    ("tests/asr_cases/blind58/chatsworth.yaml", "is there somebody moving by the gate", [("gate_motion", "query", None)]),
    ("tests/asr_cases/blind56/campbellville.yaml", "any movement in the bottom house", [("motion_sensor", "query", None)]),
    ("tests/asr_cases/blind39/polish_hill.yaml", "did somebody lock the front door or what", [("front_door", "query", None)]),
    # "let's" opens a remark whatever verb follows, unless it is a command's
    ("tests/asr_cases/blind57/birkirkara.yaml", "put the alarm on night mode u ejja let's go to sleep", [("alarm", "arm_night", None)]),
    ("tests/asr_cases/blind57/birkirkara.yaml", "turn off the tv let's go to mass", [("tv", "turn_off", None)]),
    ("tests/asr_cases/blind57/birkirkara.yaml", "turn off the tv let's close the shutter", [("tv", "turn_off", None), ("garage_door", "close", None)]),
    # a room as the subject of a complaint is read as the place of it first
    ("tests/asr_cases/blind57/birkirkara.yaml", "nanna's room is so damp the walls are sweating", [("dehumidifier", "turn_on", None)]),
    # an interjection is no name: a vocative after a command ("... man"), an exclamation before a subject
    ("tests/asr_cases/blind58/chatsworth.yaml", "aiyo the geyser's still on put it off man", [("geyser", "turn_off", None)]),
    ("tests/asr_cases/blind58/chatsworth.yaml", "shame aachi's freezing in the flatlet", [("oil_heater", "turn_on", None)]),
    # a likening says the complaint ("like an oven": boiling)
    ("tests/asr_cases/blind58/chatsworth.yaml", "pree's room is like an oven hey what", [("pedestal_fan", "turn_on", None)]),
    ("tests/asr_cases/blind28/kabulonga.yaml", "mwila's room is like an oven she can't study", [("mwila_fan", "turn_on", None)]),
    ("tests/asr_cases/blind46/levenshulme.yaml", "the bathroom's like a sauna after our jade's shower", [("extractor", "turn_on", None)]),
    # a question of a device run on after other words is one of its own
    ("tests/asr_cases/blind57/birkirkara.yaml", "enemalta cut the power again is the freezer still on", [("freezer", "query", None)]),
    ("tests/asr_cases/blind57/birkirkara.yaml", "turn off the tv is the freezer still on", [("tv", "turn_off", None), ("freezer", "query", None)]),
    ("tests/asr_cases/blind57/birkirkara.yaml", "what channel is the tv on", [("tv", "query", None)]),
    # an amount said with on or off says a way they lack (whisper's "off" for "up"): asked again
    ("tests/asr_cases/blind58/chatsworth.yaml", "Turn the tv off a bit orch i can't hear.", []),
    ("tests/asr_cases/blind58/chatsworth.yaml", "Turn the tv off a bit arch i can't hear.", []),
    ("tests/asr_cases/blind58/chatsworth.yaml", "put the heater on for a bit", [("oil_heater", "turn_on", None)]),
    # a command verb's type word says what is meant, not a need's phrase after it ("brew" for "bru")
    ("tests/asr_cases/blind58/chatsworth.yaml", "Put the media on brew it's boiling in here.", []),
    ("tests/asr_cases/blind58/chatsworth.yaml", "i want a brew", [("kettle", "turn_on", None)]),
    # a type word after a short name of a device of another kind makes no name (whisper's "solar" for "sala")
    ("tests/asr_cases/blind57/birkirkara.yaml", "open the samsung ac close the solar fan", [("sala_ac", "turn_on", None)]),
    ("tests/asr_cases/blind57/birkirkara.yaml", "close the sala fan", [("sala_fan", "turn_off", None)]),
    # what is put on a device named is no second device: an unknown name there refuses the whole
    ("tests/asr_cases/blind57/birkirkara.yaml", "put tvm on the decoder nanna wants the news", []),
    ("tests/asr_cases/blind57/birkirkara.yaml", "put the decoder on channel five", [("go_decoder", "set_channel", 5)]),
    # ... and an option said there is what is put on it ("hdmi 2": its input, never its volume)
    ("tests/asr_cases/blind12/magnolia_lane.yaml", "put hdmi two on the tv", [("den_tv", "select_source", "hdmi 2")]),
    ("tests/asr_cases/blind57/birkirkara.yaml", "put hdmi two on the tv", [("tv", "select_source", "hdmi 2")]),
    # "not" and a name opening the words take it out of what is asked
    ("tests/asr_cases/blind58/chatsworth.yaml", "ma gee not the aircon just put the ceiling fan on", [("ceiling_fan", "turn_on", None)]),
    ("tests/asr_cases/blind58/chatsworth.yaml", "no not the aircon , the ceiling fan", []),
])
def test_maltese_and_durban_english_of_blind57_and_blind58(homes, home, text, want):
    """blind57 and blind58 (Birkirkara, Malta; Chatsworth, Durban), first runs as text 54 and 57 of
    64: "of" before a name (lexicon off_heard) and an owner after it (owner_markers), questions of
    motion (query_types, a sensor where the device named is), "let's" (reason_pronouns), a room's
    complaint read as its place first, interjections ("shame", "aiyo", "man"), likenings ("like an
    oven"), "not the aircon" opening a command, and a question run on after a command or a
    statement (run_on_questions): "turn off the tv is the freezer still on" had turned both off."""
    cfg, parser = homes(home)
    u = parser.parse(text, cfg.hub.area)
    assert sorted((c.device, c.action, c.value) for c in u.commands) == sorted(want)


@pytest.mark.parametrize("home,text,want", [
    # an owner of one of a thing's names is its owner in the others ("Cerys's room", "llofft Cerys"):
    # the subject of a remark after a question, and a closing "for whom" where the command names its
    # own target
    ("tests/asr_cases/blind59/caernarfon.yaml", "how warm is it in the parlwr nain wants to know", [("parlwr_sensor", "query", None)]),
    ("tests/asr_cases/blind59/caernarfon.yaml", "put the light on in the bathrwm for cerys she can't reach the switch",
     [("bathroom_light", "turn_on", None)]),
    ("tests/asr_cases/blind59/caernarfon.yaml", "put the light on for cerys", []),
    ("tests/asr_cases/blind17/montego.yaml", "turn on the kitchen light for kemar", [("tube_light", "turn_on", None), ("counter_lights", "turn_on", None)]),
    # a plural type word after a device's whole name that it covers is its kind, no other device
    ("tests/asr_cases/blind17/montego.yaml", "turn off kemar's neon lights", [("kemar_neon", "turn_off", None)]),
    # a pronoun with nothing before it is the one device that can do what is asked of one kind of
    # device ("him": a device with a pet name); never an open
    ("tests/asr_cases/blind59/caernarfon.yaml", "send him back to his base", [("robot_hoover", "dock", None)]),
    ("tests/asr_cases/blind40/st_philip.yaml", "send him back to his base", [("roomba", "dock", None)]),
    ("tests/asr_cases/blind40/st_philip.yaml", "open it", []),
    # "uff", "offo": exclamations
    ("tests/asr_cases/blind60/dhanmondi.yaml", "uff ki gorom turn on the ac in the drawing room", [("drawing_ac", "turn_on", None)]),
    ("tests/asr_cases/blind58/chatsworth.yaml", "offo switch off the geyser", [("geyser", "turn_off", None)]),
    # needs said in any words: a smell "smelling", the tank empty with a modal, dust or pollution
    ("tests/asr_cases/blind60/dhanmondi.yaml", "uff the whole kitchen is smelling of shutki", [("exhaust", "turn_on", None)]),
    ("tests/asr_cases/blind13/koramangala.yaml", "offo the whole house is smelling of fish curry", [("chimney", "turn_on", None)]),
    ("tests/asr_cases/blind14/dennistoun.yaml", "the kitchen's smelling of burnt toast", [("range_extractor", "turn_on", None)]),
    # ... and a state complained of asks what mends it, whatever way opens the words (whisper's
    # "off" for "uff")
    ("tests/asr_cases/blind60/dhanmondi.yaml", "Off the whole kitchen the smelling of shakhi.", [("exhaust", "turn_on", None)]),
    ("tests/asr_cases/blind14/dennistoun.yaml", "off the kitchen's smelling of burnt toast", [("range_extractor", "turn_on", None)]),
    ("tests/asr_cases/blind60/dhanmondi.yaml", "there's no water coming in the bathroom the tank must be empty", [("water_pump", "turn_on", None)]),
    ("tests/asr_cases/blind18/kileleshwa.yaml", "i think the tank might be empty", [("booster_pump", "turn_on", None)]),
    ("tests/asr_cases/blind60/dhanmondi.yaml", "the dust in dhaka today is terrible i can't breathe properly", [("purifier", "turn_on", None)]),
    ("tests/asr_cases/blind13/koramangala.yaml", "the pollution today is terrible my throat is paining", [("air_purifier", "turn_on", None)]),
])
def test_welsh_and_bangladeshi_english_of_blind59_and_blind60(homes, home, text, want):
    """blind59 and blind60 (Caernarfon, North Wales; Dhanmondi, Dhaka), first runs as text 61 and 60
    of 64: an owner said after the noun with no mark (Welsh "llofft Nain"), South Asian exclamations,
    and needs the implied table missed in other words ("smelling", "the tank must be empty", "the
    dust is terrible")."""
    cfg, parser = homes(home)
    u = parser.parse(text, cfg.hub.area)
    assert sorted((c.device, c.action, c.value) for c in u.commands) == sorted(want)


@pytest.mark.parametrize("home,text,want", [
    # "'s" before a verb's -ing form no name holds is "is": the statement is a remark, the command whole
    ("tests/asr_cases/blind59/caernarfon.yaml", "how warm is it in the llofft fach the baby's sleeping in there", [("nursery_sensor", "query", None)]),
    # (before, "big mama's napping" also slowed Big Mama's fan)
    ("tests/asr_cases/blind12/magnolia_lane.yaml", "turn the big tv down big mama's napping", [("den_tv", "volume_down", None)]),
    # ... and a room said after the command, with or without its article, is the statement's subject
    ("tests/asr_cases/blind48/penzance.yaml", "turn the meaco on the landing's wringing wet", [("dehumidifier", "turn_on", None)]),
    ("tests/asr_cases/blind51/barnsley.yaml", "turn t'dehumidifier on cellar's wringing wet again", [("dehumidifier", "turn_on", None)]),
    # ... but a room said after a location word is where the command is done, no subject
    ("tests/asr_cases/blind49/quezon_city.yaml", "Turn off the tv and open the aircon in the sala it's so hot.",
     [("sala_tv", "turn_off", None), ("sala_aircon", "turn_on", None)]),
])
def test_a_remark_after_the_command_leaves_it_whole(homes, home, text, want):
    """blind59's "... the baby's sleeping in there" (whisper's "loft fash" read by sound as "llofft
    fach") was refused: a corrected reading must be whole, and "baby's sleeping" was read as a name
    left unexplained (language.yaml ``is_before_endings``)."""
    cfg, parser = homes(home)
    u = parser.parse(text, cfg.hub.area)
    assert sorted((c.device, c.action, c.value) for c in u.commands) == sorted(want)
    assert u.complete


@pytest.mark.parametrize("home,text,want", [
    # Southern "crank" starts what has no level to turn up (language.yaml type_verbs)
    ("tests/asr_cases/blind61/st_helena.yaml", "crank up the generac the power gone out", [("generator", "turn_on", None)]),
    ("tests/asr_cases/blind15/lekki.yaml", "crank the gen nepa don take light", [("generator", "turn_on", None)]),
    # the perfect "done" is a statement's verb: "the lights done come back on" is why, no second target
    ("tests/asr_cases/blind61/st_helena.yaml", "cut off the generator the lights done come back on", [("generator", "turn_off", None)]),
    # in the dark, "down" before a place is where, not the way (it had dimmed or turned off the lights)
    ("tests/asr_cases/blind61/st_helena.yaml", "can't see a thing down at the dock", [("dock_light", "turn_on", None)]),
    ("tests/asr_cases/blind12/magnolia_lane.yaml", "can't see nothing down in the den",
     [("den_track_lights", "turn_on", None), ("recliner_lamp", "turn_on", None)]),
    # a repair marker opening the words repairs nothing ("hold" is no pause)
    ("tests/asr_cases/blind61/st_helena.yaml", "hold on stop the hurricane shutters", [("storm_shutters", "stop", None)]),
    ("tests/asr_cases/blind12/magnolia_lane.yaml", "hold up turn off the porch light", [("string_lights", "turn_off", None)]),
    # "home" said as a mode is no whole home, "we all" no "all": a room's lights, not everything in it
    # (whisper's "put the yard on home" for "the adt" had started the generator)
    ("tests/asr_cases/blind61/st_helena.yaml", "Put the yard on home we all in the house now.", [("yard_light", "turn_on", None)]),
    ("tests/asr_cases/blind12/magnolia_lane.yaml", "put the den on home", [("den_track_lights", "turn_on", None), ("recliner_lamp", "turn_on", None)]),
])
def test_lowcountry_english_of_blind61(homes, home, text, want):
    """blind61 (St. Helena Island, South Carolina), first run as text 54 of 64 with 4 wrong actions."""
    cfg, parser = homes(home)
    u = parser.parse(text, cfg.hub.area)
    assert sorted((c.device, c.action, c.value) for c in u.commands) == sorted(want)


@pytest.mark.parametrize("home,text,want", [
    # "'s" before an adverb in -ly is "is" ("bubba's finally asleep"; before, Big Mama's tv went down too)
    ("tests/asr_cases/blind62/rotorua.yaml", "turn the light in the nursery off bubba's finally asleep", [("pepi_light", "turn_off", None)]),
    ("tests/asr_cases/blind12/magnolia_lane.yaml", "turn the big tv down big mama's finally sleep", [("den_tv", "volume_down", None)]),
    # a question of how things are said with the time it is asks now (language.yaml present_times)
    ("tests/asr_cases/blind62/rotorua.yaml", "how hot is the pool tonight", [("pool_sensor", "query", None)]),
    ("tests/asr_cases/blind12/magnolia_lane.yaml", "is the front door locked tonight", [("front_deadbolt", "query", None)]),
    ("tests/nlu_cases/birch_home.yaml", "what's on tv tonight", []),
    # "all" before a person is "all that", never every device (whisper's "all i'm getting for a cup of"
    # for "aue i'm gagging for a cuppa" had turned on all 27)
    ("tests/asr_cases/blind62/rotorua.yaml", "All i'm getting for a cup of.", []),
    ("tests/asr_cases/blind12/magnolia_lane.yaml", "All i'm getting for a cup of.", []),
])
def test_new_zealand_english_of_blind62(homes, home, text, want):
    """blind62 (Rotorua, New Zealand), first run as text 60 of 64."""
    cfg, parser = homes(home)
    u = parser.parse(text, cfg.hub.area)
    assert sorted((c.device, c.action, c.value) for c in u.commands) == sorted(want)


@pytest.mark.parametrize("home,text,partial", [
    # words where a name would be, cut off for a way said after them, before a statement's own
    # subject: a name misheard, so what was done on every light is held for a yes from speech
    # (whisper's "and the staple food" for "in the stafell fyw" had turned off every light)
    ("tests/asr_cases/blind59/caernarfon.yaml", "Turn all the lights off and the staple food we're off up.", True),
    ("tests/asr_cases/blind62/rotorua.yaml", "turn all the lights off and the wari koko we're off to bed", True),
    ("tests/asr_cases/blind12/magnolia_lane.yaml", "turn all the lights off and the pow law she's off to bed", True),
    # ... a statement whose subject is said in full is chatter beside the command
    ("tests/asr_cases/blind62/rotorua.yaml", "turn all the lights off and the kids are off to bed", False),
])
def test_unknown_words_before_a_statement_are_a_name_misheard(homes, home, text, partial):
    """blind59's one wrong action spoken: every light turned off for a room misheard after "and"."""
    cfg, parser = homes(home)
    u = parser.parse(text, cfg.hub.area)
    assert u.commands and u.partial == partial and u.complete != partial, u.response


@pytest.mark.parametrize("home,area,text,want", [
    # a name said whole and then other words is no misspelling of it: "heater mo" (an address after
    # the command, Irish "mo chroí") had fuzzily named another room's heater, whose name in its room
    # is "heater"; the speaker's room's heater is meant
    ("tests/asr_cases/blind64/cork.yaml", "granny_room", "dia dhuit turn on the heater mo chroí", [("granny_heater", "turn_on", None)]),
    ("tests/asr_cases/blind23/bedminster.yaml", "drive", "turn on the heater mo chroi", [("van_heater", "turn_on", None)]),
    # "out here" said in a room outdoors is that room: the verandah's light, not the pool's as well
    ("tests/asr_cases/blind63/townsville.yaml", "verandah", "it's pitch black out here i can't see the steps", [("verandah_light", "turn_on", None)]),
    ("tests/asr_cases/blind61/st_helena.yaml", "porch", "it's pitch black out here", [("porch_light", "turn_on", None)]),
    # ... said indoors, the home's rooms outdoors; "out the back" names none of them by "out"
    ("tests/asr_cases/blind61/st_helena.yaml", "front_room", "it's pitch black out here", [("porch_light", "turn_on", None), ("yard_light", "turn_on", None)]),
    ("tests/asr_cases/blind63/townsville.yaml", "lounge", "it's pitch black out the back", [("pool_light", "turn_on", None)]),
])
def test_irish_and_north_queensland_english_of_blind63_and_blind64(homes, home, area, text, want):
    """blind63 (Townsville) and blind64 (Cork), first runs as text 63 and 62 of 64, one wrong action each."""
    cfg, parser = homes(home)
    u = parser.parse(text, area)
    assert sorted((c.device, c.action, c.value) for c in u.commands) == sorted(want), u.response


@pytest.mark.parametrize("home,text,want,whole", [
    # words that sound like the hub's name right before a command verb are its name said to it
    # (whisper's "javi's", "jarvas" for "jarvis"): a pause, not a name the home lacks
    ("tests/asr_cases/blind62/rotorua.yaml", "We're on javi's turn the alarm off.", [("alarm", "disarm", None)], True),
    ("tests/asr_cases/blind61/st_helena.yaml", "jarvas cut the porch light off", [("porch_light", "turn_off", None)], True),
    # ... never where a name stands: "javi's lamp" is a device the home lacks
    ("tests/asr_cases/blind61/st_helena.yaml", "turn off javi's lamp", [], False),
])
def test_the_hubs_name_misheard_before_a_command(homes, home, text, want, whole):
    """blind62's "we're home jarvis turn the alarm off", heard "we're on javi's ...", was held for a yes."""
    cfg, parser = homes(home)
    u = parser.parse(text, cfg.hub.area)
    assert sorted((c.device, c.action, c.value) for c in u.commands) == sorted(want) and u.complete == whole, u.response


@pytest.mark.parametrize("home,text,want,guess", [
    # whisper's "check" for "chuck" opening a clause before what is done to and one way: "turn", a
    # guess (under hub.asr.rescore.SURE: from speech it waits for a yes), never a question
    ("tests/asr_cases/blind63/townsville.yaml", "Check the lounge fan on would ya.", [("lounge_fan", "turn_on", None)], True),
    # ... never "check on", English for a look at it (blind64's "chuck on the kettle", heard so, is asked)
    ("tests/asr_cases/blind64/cork.yaml", "Check on the kettle there boy.", [("kettle", "query", None)], False),
    ("tests/asr_cases/blind12/magnolia_lane.yaml", "check the porch light off", [("string_lights", "turn_off", None)], True),
    # ... a check with no way, or of a state said with a verb, asks
    ("tests/asr_cases/blind63/townsville.yaml", "check the lounge fan", [("lounge_fan", "query", None)], False),
    ("tests/asr_cases/blind64/cork.yaml", "check if the kettle is on", [("kettle", "query", None)], False),
])
def test_check_heard_for_chuck(homes, home, text, want, guess):
    """blind63 and blind64 first runs spoken: three of five wrong actions were "chuck ... on" heard "check"."""
    cfg, parser = homes(home)
    u = parser.parse(text, cfg.hub.area)
    assert sorted((c.device, c.action, c.value) for c in u.commands) == sorted(want), u.response
    assert (u.confidence < 0.83) == guess


@pytest.mark.parametrize("home,text,want", [
    # a word no phrasing or name holds, opening a clause before an article, with one way said after
    # the device: the way is the particle's, not the model's guess at the unknown verb (whisper's
    # "chop the telly on" for "chuck" had turned the telly off)
    ("tests/asr_cases/blind63/townsville.yaml", "Chop the telly on the car by snap lane.", [("tv", "turn_on", None)]),
    ("tests/asr_cases/blind45/brainerd.yaml", "chop the blower on", [("stove_blower", "turn_on", None)]),
    ("tests/asr_cases/blind45/brainerd.yaml", "bung the blower off", [("stove_blower", "turn_off", None)]),
])
def test_an_unknown_verb_takes_the_way_of_its_particle(homes, home, text, want):
    """blind63's first run spoken: "chuck the telly on the cowboys are playing" turned the telly off."""
    cfg, parser = homes(home)
    u = parser.parse(text, cfg.hub.area)
    assert sorted((c.device, c.action, c.value) for c in u.commands) == sorted(want), u.response


@pytest.mark.parametrize("home,text,want", [
    # a quantity asked of a device whose on or off says nothing of it is refused, not answered with
    # its state (language.yaml query_types `silent`): whisper's "out the big" for "out the back"
    ("tests/asr_cases/blind64/cork.yaml", "How cold is it out the big?", []),
    ("tests/asr_cases/blind62/rotorua.yaml", "how warm is the lounge light", []),
    # ... a switch's or a water heater's may answer it
    ("tests/nlu_cases/birch_home.yaml", "how hot is the hot tub", [("hot_tub", "query", None)]),
    ("tests/asr_cases/blind64/cork.yaml", "how cold is the kettle", [("kettle", "query", None)]),
])
def test_a_quantity_asked_of_a_device_that_has_none_of_it(homes, home, text, want):
    """blind64's first run spoken: "how cold is it out the back", heard "... out the big", asked the big light."""
    cfg, parser = homes(home)
    u = parser.parse(text, cfg.hub.area)
    assert sorted((c.device, c.action, c.value) for c in u.commands) == sorted(want), u.response
    assert want or "measure" in u.response


@pytest.mark.parametrize("home,area,text,want", [
    # one word nobody knows after a type word that ends every name holding it is said to someone
    # ("... | mo chroí", Cork; whisper's "mokroy"), not a name the home lacks, with a comma or without
    ("tests/asr_cases/blind64/cork.yaml", "granny_room", "turn on the heater mokroy", [("granny_heater", "turn_on", None)]),
    ("tests/asr_cases/blind64/cork.yaml", "granny_room", "turn on the heater, mokroy", [("granny_heater", "turn_on", None)]),
    ("tests/asr_cases/blind16/treorchy.yaml", None, "turn on the telly bach", [("panasonic", "turn_on", None)]),
    # ... but where a name goes on after it ("the heater up the loft", Welsh "lamp fach"), the word
    # may be that name misheard
    ("tests/asr_cases/blind23/bedminster.yaml", "drive", "turn on the heater bach", []),
    ("tests/asr_cases/blind59/caernarfon.yaml", None, "turn on the lamp thick", []),
])
def test_a_word_said_to_someone_after_a_type_word(homes, home, area, text, want):
    """blind64's first run spoken: "dia dhuit turn on the heater mo chroí" heard "... the heater mokroy"."""
    cfg, parser = homes(home)
    u = parser.parse(text, area or cfg.hub.area)
    assert sorted((c.device, c.action, c.value) for c in u.commands) == sorted(want), u.response


@pytest.mark.parametrize("home,text,want", [
    # a portion of what an implied.yaml entry asks for says its direction where "make" says none
    # and the thing's word is a word of the device's name ("Coffee pot")
    ("tests/asr_cases/blind42/holler.yaml", "Reckon you can make me the pot of coffee.", [("coffee_pot", "turn_on", None)]),
    ("tests/asr_cases/blind55/astoria.yaml", "make us a pot of coffee would ya", [("coffee_maker", "turn_on", None)]),
    # ... of nothing the home makes, a name it lacks
    ("tests/asr_cases/blind42/holler.yaml", "make me a pot of tea", []),
])
def test_a_portion_asked_says_its_direction(homes, home, text, want):
    """blind42's "reckon you could make me a pot of coffee", refused as text and spoken as "on or off"."""
    cfg, parser = homes(home)
    u = parser.parse(text, cfg.hub.area)
    assert sorted((c.device, c.action, c.value) for c in u.commands) == sorted(want), u.response


@pytest.mark.parametrize("home,area,text,want,whole", [
    # "help me | on the kitchen light": a way said as the verb ends a polite lead, and "me" is its joint
    ("tests/asr_cases/blind65/tampines.yaml", None, "help me on the kitchen light the aunty want to cook dinner", [("kitchen_light", "turn_on", None)], True),
    ("tests/asr_cases/blind33/ss2.yaml", None, "help me off the hall fan", [("hall_fan", "turn_off", None)], True),
    # a way said as the verb names what it acts on, so a word after the type word is said to someone
    ("tests/asr_cases/blind65/tampines.yaml", "ryan_room", "off the light sian i want to sleep", [("ryan_light", "turn_off", None)], False),
    ("tests/asr_cases/blind33/ss2.yaml", None, "off the fan sien i want to nap", [("hall_fan", "turn_off", None)], False),
    # the closing "can or not" is a please, never a question's "or not"
    ("tests/asr_cases/blind65/tampines.yaml", "kitchen", "on the light can or not", [("kitchen_light", "turn_on", None)], True),
    ("tests/asr_cases/blind65/tampines.yaml", "kitchen", "is the light on or not", [("kitchen_light", "query", None)], True),
    # a complaint of the room said with no verb ("walao | so hot in here"), where the room has a fan alone
    ("tests/asr_cases/blind65/tampines.yaml", "study", "walao so hot in here i cannot concentrate", [("study_fan", "turn_on", None)], False),
])
def test_singapore_english_of_blind65(homes, home, area, text, want, whole):
    """blind65 (Tampines, Singapore), first run as text 56 of 64 with 2 wrong actions."""
    cfg, parser = homes(home)
    u = parser.parse(text, area or cfg.hub.area)
    assert sorted((c.device, c.action, c.value) for c in u.commands) == sorted(want), u.response
    assert u.complete == whole


@pytest.mark.parametrize("home,area,text,want", [
    # Shetland spellings (lexicon.yaml asr_fixes): "da" the article before a name (heard_articles),
    # "ta" a level's "to" before a number only (number_leads), "whit's", "hit's", "daek", "caald"
    ("tests/asr_cases/blind66/shetland.yaml", None, "pit da peerie light doon ta ten percent", [("night_light", "set_brightness", 10)]),
    ("tests/asr_cases/blind66/shetland.yaml", None, "whit's da temperature in da polytunnel", [("tunnel_sensor", "query", None)]),
    ("tests/asr_cases/blind66/shetland.yaml", "peat_shed", "hit's fairly daek in here i canna see da peats", [("peat_shed_light", "turn_on", None)]),
    ("tests/asr_cases/blind43/aberdeen.yaml", None, "pit oot da shed light", [("shed_light", "turn_off", None)]),
    ("tests/asr_cases/blind43/aberdeen.yaml", None, "set da heat pump ta nineteen", [("heat_pump", "set_temperature", 19)]),
    ("tests/asr_cases/blind43/aberdeen.yaml", None, "it's fairly dark in the shed", [("shed_light", "turn_on", None)]),
    # ... a closing "ta" thanks, and is no lead
    ("tests/asr_cases/blind43/aberdeen.yaml", None, "switch off the shed light ta", [("shed_light", "turn_off", None)]),
])
def test_shetland_english_of_blind66(homes, home, area, text, want):
    """blind66 (a croft near Scalloway, Shetland), first run as text 50 of 64 with 6 wrong actions."""
    cfg, parser = homes(home)
    u = parser.parse(text, area or cfg.hub.area)
    assert sorted((c.device, c.action, c.value) for c in u.commands) == sorted(want), u.response


@pytest.mark.parametrize("home,text,want", [
    # a question of a quantity asks now, whatever word opens it; Scots "the day" is today
    ("tests/asr_cases/blind66/shetland.yaml", "What's the temperature outside the day.", [("weather_station", "query", None)]),
    ("tests/asr_cases/blind66/shetland.yaml", "whit's da temperature ootside da day", [("weather_station", "query", None)]),
    ("tests/asr_cases/blind62/rotorua.yaml", "what's the temperature of the pool tonight", [("pool_sensor", "query", None)]),
    ("tests/nlu_cases/birch_home.yaml", "what's on tv tonight", []),
])
def test_a_question_of_a_quantity_asks_now(homes, home, text, want):
    """blind66's first run spoken: "whit's da temperature ootside da day" was refused."""
    cfg, parser = homes(home)
    u = parser.parse(text, cfg.hub.area)
    assert sorted((c.device, c.action, c.value) for c in u.commands) == sorted(want), u.response


@pytest.mark.parametrize("home,area,text,want", [
    # a word heard for "in" that opens another command is its "and", no room begun: the remark after
    # the second command is cut as after the first ("... | can save electricity", Singlish)
    ("tests/asr_cases/blind65/tampines.yaml", "master_bedroom", "Off the aircon and on the fan can save electricity.",
     [("master_aircon", "turn_off", None), ("master_fan", "turn_on", None)]),
    ("tests/asr_cases/blind33/ss2.yaml", None, "off the aircon and on the fan can save electricity",
     [("hall_aircon", "turn_off", None), ("hall_fan", "turn_on", None)]),
])
def test_a_remark_after_the_second_of_two_commands(homes, home, area, text, want):
    """blind65's one wrong action spoken (and as text): the fan left off for "electricity", a name it lacks."""
    cfg, parser = homes(home)
    u = parser.parse(text, area or cfg.hub.area)
    assert sorted((c.device, c.action, c.value) for c in u.commands) == sorted(want), u.response
    assert not u.partial


@pytest.mark.parametrize("home,text,want", [
    # whisper's "t15" for "to fifteen" after a way: the lead apart from its number (language.yaml glued_leads)
    ("tests/asr_cases/blind66/shetland.yaml", "Put the telly volume down t15.", [("tv", "set_volume", 15)]),
    ("tests/asr_cases/blind43/aberdeen.yaml", "Turn the bedroom light down t10 percent i'm reading.", [("bedroom_light", "set_brightness", 10)]),
])
def test_a_lead_glued_to_its_number(homes, home, text, want):
    """blind66's first run spoken: "put the telly volume doon tae fifteen", heard "... down t15", was turned down a step."""
    cfg, parser = homes(home)
    u = parser.parse(text, cfg.hub.area)
    assert sorted((c.device, c.action, c.value) for c in u.commands) == sorted(want), u.response


def _acts(homes, home, area, text):
    cfg, parser = homes(home)
    u = parser.parse(text, area or cfg.hub.area)
    return sorted((c.device, c.action, c.value) for c in u.commands), u


@pytest.mark.parametrize("home,area,text,want", [
    # Indian English "put the X": on, where no way is said at all (language.yaml undirected.bare)
    ("tests/asr_cases/blind68/kochi.yaml", None, "put the water motor ammachi wants to wash clothes", [("motor", "turn_on", None)]),
    ("tests/asr_cases/blind13/koramangala.yaml", None, "put the atomberg", [("atomberg_fan", "turn_on", None)]),
    # ... never where one is said, after the words a remark would be cut at either
    ("tests/asr_cases/blind68/kochi.yaml", None, "put the fan off", [("hall_fan", "turn_off", None)]),
    ("tests/asr_cases/blind70/monrovia.yaml", "bedroom", "put the piazza light off it daytime now",
     [("piazza_light", "turn_off", None)]),
])
def test_a_verb_that_says_its_way_where_none_is_said(homes, home, area, text, want):
    """blind68's first run as text: four "put the ..." with no way said were asked "on or off"."""
    from hub.nlu.parser import HEARD_CONFIDENCE

    got, u = _acts(homes, home, area, text)
    assert got == want, u.response
    if "off" not in text.split():
        assert u.confidence <= HEARD_CONFIDENCE  # a guess: speech waits for a yes


PHRASING_67_70 = [
    # a need's own particle ("steamed up") is no place adverb before "in here"
    ("tests/asr_cases/blind69/southphilly.yaml", "bathroom", "it's all steamed up in here i can't see the mirror",
     [("bathroom_fan", "turn_on", None)]),
    ("tests/asr_cases/blind43/aberdeen.yaml", "bathroom", "it's all misted up in here", [("extractor_fan", "turn_on", None)]),
    # "me" for "my" before the people it is said of: no "for me"
    ("tests/asr_cases/blind67/scouse.yaml", None, "go 'ed put the electric fire on for me nan", [("electric_fire", "turn_on", None)]),
    ("tests/asr_cases/blind51/barnsley.yaml", None, "put the kettle on for me mam", [("kettle", "turn_on", None)]),
    ("tests/asr_cases/blind67/scouse.yaml", None, "put the kettle on la giz a brew me mam's dying for one", [("kettle", "turn_on", None)]),
    # "'s" before a word no possessive takes is "is": a remark, no way of the command
    ("tests/asr_cases/blind69/southphilly.yaml", None,
     "turn off the night light and turn on the sound machine the baby's down",
     [("night_light", "turn_off", None), ("sound_machine", "turn_on", None)]),
    ("tests/asr_cases/blind12/magnolia_lane.yaml", None, "turn the den fan on the baby's down", [("den_fan", "turn_on", None)]),
    # ... but before a level said it is whisper's plural of a name
    ("tests/asr_cases/blind46/levenshulme.yaml", None, "Kitchen spot's down to thirty percent please.",
     [("kitchen_spots", "set_brightness", 30)]),
    # a vocative after "my" opening a command
    ("tests/asr_cases/blind70/monrovia.yaml", None, "my man put the piazza light off it daytime now", [("piazza_light", "turn_off", None)]),
    ("tests/asr_cases/blind54/kampala.yaml", None, "my dear off the tv", [("tv", "turn_off", None)]),
    # an empty tank said with "no water": the pump that fills it, never off
    ("tests/asr_cases/blind68/kochi.yaml", None, "there's no water in the tank", [("motor", "turn_on", None)]),
    ("tests/asr_cases/blind13/koramangala.yaml", None, "no water in the overhead tank", [("pressure_pump", "turn_on", None)]),
    # a statement's pronoun ("nobody"), after an exclamation, running on into a command
    ("tests/asr_cases/blind68/kochi.yaml", None, "what is this nobody is watching switch off the tv", [("tv", "turn_off", None)]),
    ("tests/asr_cases/blind31/east_legon.yaml", None, "nobody is watching switch off the big tv", [("hall_tv", "turn_off", None)]),
    # American "the air": the air conditioning
    ("tests/asr_cases/blind69/southphilly.yaml", "front_bedroom", "put the air on hon", [("bedroom_ac", "turn_on", None)]),
    ("tests/asr_cases/blind7/rossmere.yaml", None, "turn the air up", [("thermostat", "temperature_up", None)]),
    # Philadelphia's "wooder"
    ("tests/asr_cases/blind69/southphilly.yaml", None, "is there any wooder in the basement", [("flood_sensor", "query", None)]),
]
"""blind67 to blind70's first runs as text (Liverpool, Kochi, South Philadelphia, Monrovia)."""


PHRASING_71_74 = [
    # a step larger than any the catalog takes, within the device's settings: the setting, its "to" lost
    ("tests/asr_cases/blind67/scouse.yaml", None, "Knock the heating down two eighteen it's like a sauna in here.",
     [("heating", "set_temperature", 18)]),
    ("tests/asr_cases/blind69/southphilly.yaml", "front_bedroom", "turn the air up seventy two", [("bedroom_ac", "set_temperature", 72)]),
    ("tests/asr_cases/blind67/scouse.yaml", None, "turn the heating down five", [("heating", "temperature_down", 5)]),
    ("tests/asr_cases/blind67/scouse.yaml", None, "turn the heating up by 20", [("heating", "temperature_up", 20)]),
    # the speaker's own past doing ("I did ..."): no request
    ("tests/asr_cases/blind67/scouse.yaml", None, "I did our kid lock the front door.", []),
    ("tests/asr_cases/blind7/rossmere.yaml", None, "I did lock the side door", []),
    # an exclamation of disbelief before a command
    ("tests/asr_cases/blind71/capebreton.yaml", None, "go way with ya turn off the samsung and go to bed", [("tv", "turn_off", None)]),
    ("tests/asr_cases/blind64/cork.yaml", None, "go way with you turn off the telly", [("telly", "turn_off", None)]),
    ("tests/asr_cases/blind71/capebreton.yaml", None, "Go away with your it's some damp down in the cellar.",
     [("dehumidifier", "turn_on", None)]),
    # a statement running on into a command that names only a kind
    ("tests/asr_cases/blind72/chennai.yaml", "kids_room", "karthik is sleeping switch off the fan", [("kids_fan", "turn_off", None)]),
    ("tests/asr_cases/blind13/koramangala.yaml", "big_bedroom", "paati is sleeping switch off the fan", [("crompton_fan", "turn_off", None)]),
    # "check the fan is on", of several fans: a question, never the fan switched on
    ("tests/asr_cases/blind63/townsville.yaml", None, "check the fan is on", [("kitchen_fan", "query", None)]),
    ("tests/asr_cases/blind54/kampala.yaml", None, "check the fan is on", [("standing_fan", "query", None)]),
    # Southern "cut" with a level's way
    ("tests/asr_cases/blind73/mobile.yaml", None, "cut the central air down to sixty eight it's hot as blue blazes",
     [("thermostat", "set_temperature", 68)]),
    ("tests/asr_cases/blind12/magnolia_lane.yaml", None, "cut the den tv up", [("den_tv", "volume_up", None)]),
    # a statement of someone joined on with "and" after a complaint
    ("tests/asr_cases/blind73/mobile.yaml", "kids_room", "it's pitch dark in here and beau's scared", [("night_light", "turn_on", None)]),
    ("tests/asr_cases/blind43/aberdeen.yaml", "ewans_room", "it's pitch dark in here and the loon is scared", [("ewans_lights", "turn_on", None)]),
    # what the speaker does not know, before a command
    ("tests/asr_cases/blind74/cardiff.yaml", None, "i dunno where to is the remote just turn the telly off", [("telly", "turn_off", None)]),
    ("tests/asr_cases/blind64/cork.yaml", None, "i don't know where the remote is turn off the telly", [("telly", "turn_off", None)]),
]
"""blind67's first run spoken and blind71 to blind74's as text (Cape Breton, Chennai, Mobile, Cardiff)."""


@pytest.mark.parametrize("home,area,text,want", PHRASING_67_70 + PHRASING_71_74)
def test_the_phrasing_of_blind67_to_blind74(homes, home, area, text, want):
    """The phrasing blind67 to blind74 showed, each with a case of the same kind from another home."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


def test_a_complaint_switches_on_a_heater_known_to_be_off(homes):
    """ "it's freezing in here" switches the room's heater on (asked blind, people expect it on: 19
    of 20 spoken complaints of 2026-12-07's count), but one the state store knows is on already is
    turned up, and the reply says so: switching on what is on warms nothing (implied.yaml ``if_on``).
    Known off, or never heard from: on."""
    from hub.devices.router import Router
    from hub.devices.state import StateStore
    from hub.execute import Executor

    cfg, parser = homes("tests/nlu_cases/den_home.yaml")
    for state, reply in ((b"OFF", "turning on"), (b"ON", "turning up"), (None, "turning on")):
        store = StateStore(cfg)
        if state is not None:
            store.handle("home/loft_heater/state", state)
        u = parser.parse("it's freezing in here", "loft")
        assert [(c.device, c.action) for c in u.commands] == [("loft_heater", "turn_on")]
        out = Executor(cfg, Router(cfg), None, store).execute(u)
        assert reply in out.reply.lower(), (state, out.reply, [m.payload for m in out.published])


@pytest.mark.parametrize("home,area,text,want", [
    # a way alone before a command verb whose clause says its own (whisper's "off" for "uff")
    ("tests/asr_cases/blind75/hyderabad.yaml", None, "off switch on the fan yar", [("hall_fan", "turn_on", None)]),
    ("tests/asr_cases/blind13/koramangala.yaml", None, "off switch on the atomberg fan", [("atomberg_fan", "turn_on", None)]),
    ("tests/asr_cases/blind60/dhanmondi.yaml", None, "on turn off the exhaust fan", [("exhaust", "turn_off", None)]),
    # a type word and its way, no verb, then a remark in words the home does not know
    ("tests/asr_cases/blind75/hyderabad.yaml", "kitchen", "light off karo cooking ho gaya", [("kitchen_light", "turn_off", None)]),
    ("tests/asr_cases/blind60/dhanmondi.yaml", "kitchen", "light off khana ho gaya", [("kitchen_light", "turn_off", None)]),
    # ... but not after other words (whisper's "i can't see a fan on | these tears" for "a thing on these stairs")
    ("tests/asr_cases/blind67/scouse.yaml", None, "i can't see a fan on these tears", []),
    # Hindi and Urdu "karo", "kar do" after the way: its verb
    ("tests/asr_cases/blind60/dhanmondi.yaml", None, "dining light on karo", [("dining_light", "turn_on", None)]),
    ("tests/asr_cases/blind13/koramangala.yaml", None, "chimney on kar do", [("chimney", "turn_on", None)]),
    # a name said after the value set on one named before it, with no "and": a remark's
    ("tests/asr_cases/blind32/gulshan.yaml", None, "master bedroom light thirty percent pe kar do ammi parh rahi hain",
     [("master_light", "set_brightness", 30)]),
    ("tests/asr_cases/blind60/dhanmondi.yaml", None, "bedroom light thirty percent dadi is sleeping", [("master_light", "set_brightness", 30)]),
    # a name that is only its kind, said in a room with its own of that kind: the one here
    ("tests/asr_cases/blind78/nassau.yaml", "mudda_room", "turn off da tv she sleep", [("mudda_tv", "turn_off", None)]),
    ("tests/asr_cases/blind42/holler.yaml", "mamaws_trailer", "turn off the tv mamaw's sleeping", [("mamaw_tv", "turn_off", None)]),
    # an owner's word and one unlike the rest of any name of theirs: no name misheard (whisper's
    # "abuela's hot" for "... abanico que it's hot")
    ("tests/asr_cases/blind76/miami.yaml", None, "we turn on the abuela's hot", []),
    ("tests/asr_cases/blind27/kaimuki.yaml", None, "turn on tutu's hot", []),
    # whisper's "dot" and "dah" for "da"; "be" for "bey" before a verb
    ("tests/asr_cases/blind78/nassau.yaml", None, "be cut on dot porch light", [("porch_light", "turn_on", None)]),
    ("tests/asr_cases/blind56/campbellville.yaml", None, "switch on dah generator", [("generator", "turn_on", None)]),
    ("tests/asr_cases/blind40/st_philip.yaml", None, "be turn on the front house light", [("front_house_light", "turn_on", None)]),
    # ... and "die" for Belizean "di"
    ("tests/asr_cases/blind81/belize.yaml", None, "turn on die rice cooker five die rice and beans", [("rice_cooker", "turn_on", None)]),
    ("tests/asr_cases/blind56/campbellville.yaml", None, "switch on die generator", [("generator", "turn_on", None)]),
    # East Anglian "wholly" (very)
    ("tests/asr_cases/blind77/norfolk.yaml", "front_room", "it's wholly cold in here", [("electric_fire", "turn_on", None)]),
    # a room's alias written with its article ("the bedroom") is in its devices' names without it:
    # "the persianas", said in that room, is its own
    ("tests/asr_cases/blind79/gibraltar.yaml", "dormitorio", "close the persianas mami wants a siesta",
     [("bedroom_persianas", "close", None)]),
    ("tests/asr_cases/blind79/gibraltar.yaml", "dormitorio", "oye put the aire on", [("bedroom_aire", "turn_on", None)]),
    ("tests/asr_cases/blind27/kaimuki.yaml", "lanai", "close the jalousies", [("lanai_jalousies", "close", None)]),
    # a power cut said before a command is no "cut"; nor "off" in "the power is off"
    ("tests/asr_cases/blind82/port_moresby.yaml", None, "power cut again turn on the generator and the tank pump",
     [("generator", "turn_on", None), ("tank_pump", "turn_on", None)]),
    ("tests/asr_cases/blind15/lekki.yaml", None, "the power is off put on the generator", [("generator", "turn_on", None)]),
    ("tests/asr_cases/blind31/east_legon.yaml", None, "there's a power cut start the generator", [("generator", "turn_on", None)]),
    # a bare verb said after what it is said of, before a question tag: its state asked
    ("tests/asr_cases/blind81/belize.yaml", None, "di front door lock or no", [("front_door", "query", None)]),
    ("tests/asr_cases/blind40/st_philip.yaml", None, "de front door lock or not", [("front_door", "query", None)]),
    # what a device "says" is what it reads
    ("tests/asr_cases/blind81/belize.yaml", None, "weh di flood sensor seh", [("flood_sensor", "query", None)]),
    ("tests/asr_cases/blind31/east_legon.yaml", None, "what does nana's thermometer say", [("nana_thermometer", "query", None)]),
    ("tests/asr_cases/blind57/birkirkara.yaml", None, "what's the humidity sensor in nanna's room say", [("nanna_humidity", "query", None)]),
    # "the one" is no number (whisper's "the one tucks" for "the wantoks")
    ("tests/asr_cases/blind82/port_moresby.yaml", None, "turn on the haus win light the one tucks are coming for storium",
     [("hauswin_light", "turn_on", None)]),
    ("tests/asr_cases/blind60/dhanmondi.yaml", None, "turn on the dining light the one over the table", [("dining_light", "turn_on", None)]),
    # where a device is: its state, unless a word of locating asks it to call out
    ("tests/asr_cases/blind61/st_helena.yaml", None, "where's the little robot to now", [("roomba", "query", None)]),
    ("tests/asr_cases/blind40/st_philip.yaml", None, "where is the roomba", [("roomba", "query", None)]),
    ("tests/asr_cases/blind14/dennistoun.yaml", None, "where's the eufy make it beep", [("eufy", "locate", None)]),
    # Belizean Kriol "eena" (in), "kyaan" (can't)
    ("tests/asr_cases/blind81/belize.yaml", None, "tun on di fan eena di pikni room", [("box_fan", "turn_on", None)]),
    ("tests/asr_cases/blind81/belize.yaml", "kitchen", "ah kyaan see notn eena yah", [("kitchen_light", "turn_on", None)]),
])
def test_the_phrasing_of_blind75_to_blind78(homes, home, area, text, want):
    """The phrasing blind75 to blind78 showed (Hyderabad, Miami, Norfolk, Nassau), each with a case
    of the same kind from another home."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,want", [
    # an exclamation of how things are, its subject before its verb, before a command
    ("tests/asr_cases/blind40/st_philip.yaml", None, "wunna cuh how dark it get in here put on de front house light",
     [("front_house_light", "turn_on", None)]),
    ("tests/asr_cases/blind15/lekki.yaml", None, "see how hot it is in here put on the lg", [("parlour_ac", "turn_on", None)]),
    ("tests/asr_cases/blind25/walton.yaml", None, "how loud it is in here turn the bose down", [("bose", "volume_down", None)]),
    # the power out, its "'s" on the noun
    ("tests/asr_cases/blind86/down_east.yaml", None, "the power's out turn on the generator and the sump pump",
     [("generator", "turn_on", None), ("sump_pump", "turn_on", None)]),
    ("tests/asr_cases/blind15/lekki.yaml", None, "the power's gone put on the big gen", [("generator", "turn_on", None)]),
    ("tests/asr_cases/blind86/down_east.yaml", None, "power's back on you can shut off the genny", [("generator", "turn_off", None)]),
    ("tests/asr_cases/blind15/lekki.yaml", None, "the power's back on off the gen", [("generator", "turn_off", None)]),
    # a few words ending on a way, before a command verb whose clause says its own
    ("tests/asr_cases/blind83/freetown.yaml", None, "npa don cut switch on the generator and the water pump",
     [("generator", "turn_on", None), ("water_pump", "turn_on", None)]),
    ("tests/asr_cases/blind15/lekki.yaml", None, "nepa don cut put on the gen", [("generator", "turn_on", None)]),
    # a question's "is" or "are" before a way said as the verb asks nothing (whisper's "are | out the fan")
    ("tests/asr_cases/blind56/campbellville.yaml", None, "are out the fan in nani's room she feeling cold",
     [("nani_fan", "turn_off", None)]),
    ("tests/asr_cases/blind40/st_philip.yaml", None, "are out de front house light", [("front_house_light", "turn_off", None)]),
    ("tests/asr_cases/blind15/lekki.yaml", None, "is off the gen", [("generator", "turn_off", None)]),
    # a command said name first, with no verb, that runs on into one with a verb
    ("tests/asr_cases/blind15/lekki.yaml", None, "dami's light off switch on the ring light",
     [("dami_light", "turn_off", None), ("ring_light", "turn_on", None)]),
    # a person said alone before a statement of why
    ("tests/asr_cases/blind83/freetown.yaml", None, "switch on the kitchen radio mammy want hear the news",
     [("kitchen_radio", "turn_on", None)]),
    ("tests/asr_cases/blind15/lekki.yaml", None, "put on the plasma daddy want watch the news", [("plasma", "turn_on", None)]),
    # a level said after the way of a complaint's command, and a level said of a quantity named
    # with no way: never a step of that many
    ("tests/asr_cases/blind51/barnsley.yaml", None, "it were perishing last night put t'heating up to twenty one",
     [("hive", "set_temperature", 21)]),
    ("tests/asr_cases/blind15/lekki.yaml", "dami_room", "it's freezing in here put it up to twenty five",
     [("dami_ac", "set_temperature", 25)]),
    ("tests/asr_cases/blind85/kathmandu.yaml", None, "keep the bhajan speaker volume at thirty hai",
     [("bhajan_speaker", "set_volume", 30)]),
    ("tests/asr_cases/blind15/lekki.yaml", None, "keep the plasma volume at twenty jare", [("plasma", "set_volume", 20)]),
    # a word that says which ("big") and sounds like a name's own word ("Back door"): a name misheard,
    # never the room's door
    ("tests/asr_cases/blind82/port_moresby.yaml", None, "did someone lock the big door", []),
    ("tests/asr_cases/blind16/treorchy.yaml", None, "lock the big door", []),
    ("tests/asr_cases/blind2/ferry.yaml", None, "unlock the big door", []),
    # Krio and Pidgin "no" before a verb opens a statement of why, as "can't" does
    ("tests/asr_cases/blind83/freetown.yaml", None, "turn off the parlour ac and turn on the ceiling fan the gen no go carry am",
     [("parlour_ac", "turn_off", None), ("parlour_fan", "turn_on", None)]),
    ("tests/asr_cases/blind15/lekki.yaml", None, "off the lg the gen no fit carry am", [("parlour_ac", "turn_off", None)]),
    # a name said after the state a question asks of one named before it is a remark's
    ("tests/asr_cases/blind83/freetown.yaml", None, "is the water pump still on the tank go overflow", [("water_pump", "query", None)]),
    ("tests/asr_cases/blind15/lekki.yaml", None, "is the pumping machine still on the overhead tank don full",
     [("pumping_machine", "query", None)]),
    # how warm a tap or a fan is: its on or off is no answer
    ("tests/asr_cases/blind51/barnsley.yaml", None, "how warm is outside tap pigeon loft", []),
    ("tests/asr_cases/blind21/peckham.yaml", None, "how warm is the garden tap", []),
    ("tests/asr_cases/blind15/lekki.yaml", None, "how hot is the parlour fan", []),
    # ... but a word nobody knows before such a verb and another way is a statement misheard (whisper's
    # "feeders lock" for "faither's left"): never the garage door opened
    ("tests/asr_cases/blind43/aberdeen.yaml", None, "feeders lock the garage door open again can you shut it", []),
    # Krio and Pidgin "wetin" (what)
    ("tests/asr_cases/blind83/freetown.yaml", None, "wetin de level for the water tank", [("water_tank", "query", None)]),
    ("tests/asr_cases/blind15/lekki.yaml", None, "wetin de level for the overhead tank", [("overhead_tank", "query", None)]),
    # West Country "us" for "we" opens a statement of why
    ("tests/asr_cases/blind48/penzance.yaml", None, "set the roomba going us is off down the beach", [("roomba", "start", None)]),
    ("tests/asr_cases/blind23/bedminster.yaml", None, "turn the hisense off us is going down the pub",
     [("big_screen", "turn_off", None)]),
    # "out here" said in a building apart from the house: that one
    ("tests/asr_cases/blind86/down_east.yaml", "barn", "shut the lights off out here i'm headin' in",
     [("barn_lights", "turn_off", None)]),
    ("tests/asr_cases/blind43/aberdeen.yaml", "shed", "it's awfy dark oot here", [("shed_light", "turn_on", None)]),
    ("tests/asr_cases/blind43/aberdeen.yaml", "garage", "put the light on out here", [("garage_light", "turn_on", None)]),
    # the people (or beasts) of a home as a complaint's subject
    ("tests/asr_cases/blind28/kabulonga.yaml", None, "the baby is shivering", [("lounge_aircon", "temperature_up", None)]),
    ("tests/asr_cases/blind15/lekki.yaml", "mama_room", "the children are shivering", [("mama_ac", "temperature_up", None)]),
])
def test_the_phrasing_of_blind83_to_blind86(homes, home, area, text, want):
    """The phrasing blind83 to blind86 showed (Freetown, Dar es Salaam, Kathmandu, Down East Maine)
    and the wrong actions of older sets' decodes, each with a case of the same kind from another home."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,text,want", [
    ("tests/asr_cases/blind84/dar_es_salaam.yaml", "bwana lock the front door it's late", [("front_door", "lock", None)]),
    ("tests/asr_cases/blind15/lekki.yaml", "oga lock the security door", [("security_door", "lock", None)]),
    ("tests/asr_cases/blind80/soweto.yaml", "bra lock the front door", [("front_door", "lock", None)]),
])
def test_an_address_before_a_verb_that_is_a_type_word_is_no_name(homes, home, text, want):
    """A word of address before a command verb that is also a type word ("lock") is no name misheard
    ("bwana lock" is no lock of the home): the command is whole, with nothing refused beside it."""
    got, u = _acts(homes, home, None, text)
    assert got == want and not u.partial, u.response


@pytest.mark.parametrize("home,area,text,device", [
    ("tests/asr_cases/blind73/mobile.yaml", "kids_room", "it's pitch dark in here and bose scared", "radio"),
    ("tests/asr_cases/blind25/walton.yaml", None, "it's pitch black in here and the roberts is on", "kitchen_radio"),
    ("tests/asr_cases/blind15/lekki.yaml", None, "it's too dark in here and the plasma is showing football", "plasma"),
])
def test_a_name_after_a_statement_and_a_split_word_is_another_statements(homes, home, area, text, device):
    """A clause that opens as a statement and names a device only after "and" ("it's pitch dark in
    here and | bose scared", whisper's "beau's") says the need first; the device named after is the
    subject of another statement, never what the need is done to."""
    got, u = _acts(homes, home, area, text)
    assert device not in {d for d, _, _ in got}, u.response


@pytest.mark.parametrize("home,text,want", [
    ("tests/asr_cases/blind80/soweto.yaml", "switch on thabo's electric blanket", [("electric_blanket", "turn_on", None)]),
    ("tests/asr_cases/blind43/aberdeen.yaml", "put on kerr's towel rail", [("towel_rail", "turn_on", None)]),
    ("tests/asr_cases/blind84/dar_es_salaam.yaml", "switch off mzee's water heater", [("water_heater", "turn_off", None)]),
    ("tests/asr_cases/blind15/lekki.yaml", "turn off chidi's playstation", [("playstation", "turn_off", None)]),
])
def test_words_nobody_knows_before_a_devices_whole_name_say_whose_it_is(homes, home, text, want):
    """Words nobody knows right before the whole name of the one device acted on ("the burg zapper",
    "jabi's night light": whisper's mishearing of its owner or maker) ask for nothing more: the
    command is whole, not a part done beside a name refused."""
    got, u = _acts(homes, home, None, text)
    assert got == want and not u.partial, u.response


@pytest.mark.parametrize("home,text,device", [
    ("tests/asr_cases/blind58/chatsworth.yaml", "switch off the zebby kitchen light", "kitchen_light"),
    ("tests/asr_cases/blind55/astoria.yaml", "turn on papou's kitchen light", "kitchen_light"),
    ("tests/asr_cases/blind42/holler.yaml", "cut off the tater porch light", "front_porch_light"),
])
def test_words_nobody_knows_before_a_name_another_name_ends_in_stay_refused(homes, home, text, device):
    """... unless another device's name ends in that name ("kitchen light" and "outside kitchen
    light"): the unknown words may be the rest of the other's, so what was done is partial."""
    got, u = _acts(homes, home, None, text)
    assert device not in {d for d, _, _ in got} or u.partial, u.response


@pytest.mark.parametrize("home,area,text,want", [
    # the whole home's heating stands in for a room with nothing of its own, wherever it hangs
    ("tests/asr_cases/blind10/carrowbeg.yaml", "kitchen", "it's nithering in here", [("heating", "temperature_up", None)]),
    ("tests/asr_cases/blind21/peckham.yaml", "front_room", "it's parky in here", [("hive", "temperature_up", None)]),
    ("tests/asr_cases/blind47/louisiana.yaml", "kitchen", "lord it's cold in here", [("thermostat", "temperature_up", None)]),
    ("tests/asr_cases/blind61/st_helena.yaml", "kitchen", "my hands are frozen", [("thermostat", "temperature_up", None)]),
    # ... never for a room named: the hall's thermostat may not reach it
    ("tests/asr_cases/blind10/carrowbeg.yaml", "hall", "it's freezing in the kitchen", []),
    # a cold bed: its electric blanket; a need told with no command word holds now
    ("tests/asr_cases/blind16/treorchy.yaml", "front_bedroom", "the sheets are like ice", [("dreamland", "turn_on", None)]),
    # left: "the bed's" is read first as the people in it ("they are freezing": language.yaml
    # possessed), so the whole home's heating is turned up, not the blanket
    pytest.param("tests/asr_cases/blind46/levenshulme.yaml", "front_bedroom", "the bed's freezing tonight",
                 [("electric_blanket", "turn_on", None)], marks=pytest.mark.xfail(strict=True, reason="bed read as its people")),
])
def test_complaints_of_cold_in_rooms_without_a_heater_and_of_a_cold_bed(homes, home, area, text, want):
    """Written after the complaint cases of 2026-12-07 (four homes written blind), before they were
    run: each a home that set never saw (one of seven failed on its first run, left as an xfail)."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,want", [
    ("tests/asr_cases/blind10/carrowbeg.yaml", "main_bedroom", "the sun's in my eyes", [("bedroom_blind", "close", None)]),
    ("tests/asr_cases/blind14/dennistoun.yaml", "front_room", "the neighbours can see right in", [("bay_blinds", "close", None)]),
    ("tests/asr_cases/blind17/montego.yaml", "big_room", "the sun is in mi eye dem", [("big_room_blinds", "close", None)]),
    ("tests/asr_cases/blind21/peckham.yaml", "front_bedroom", "the streetlight is shining right in",
     [("front_bedroom_curtains", "close", None)]),
    # the weather asked about is no glare
    ("tests/asr_cases/blind20/heaton.yaml", "front_room", "is the sun shining", []),
])
def test_glare_and_eyes_from_outside_draw_the_rooms_own_blinds(homes, home, area, text, want):
    """The sun (or a streetlight) in someone's eyes, or people outside seeing in, draws the blinds or
    curtains of the room said in (implied.yaml), never another room's; written after the needs sets
    of 2026-12-07, from homes they never saw. On its first run the neighbours' case closed the big
    bedroom's curtains: "window" had ruled out the "Bay window blinds", and the entry took a
    device of any room. The understanding sets then showed that "outside" in a phrase had made it
    phrasing ("how hot is it outside" lost its place)."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,want", [
    # the noise a room makes is its media player's volume, never its lights' level
    ("tests/asr_cases/blind43/aberdeen.yaml", "front_room", "turn the noise down", [("telly", "volume_down", None)]),
    ("tests/asr_cases/blind20/heaton.yaml", "front_room", "the baby's asleep turn the noise down", [("hisense_tv", "volume_down", None)]),
    # a statement of someone before a command on a quantity, with no device named
    ("tests/asr_cases/blind43/aberdeen.yaml", "front_room", "the bairns are sleeping turn the volume down", [("telly", "volume_down", None)]),
])
def test_noise_is_volume_and_a_statement_runs_on_into_a_quantity(homes, home, area, text, want):
    """From the needs sets of 2026-12-07 (Glasgow's "get the noise doon tae fifteen" had set the
    lights to 15 %; Lagos's "the children don sleep | reduce the volume to ten" was refused), with
    homes they never saw."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,want", [
    # a name said only in part after a device named in full is a remark's subject
    ("tests/asr_cases/blind34/dorchester.yaml", "parlor", "turn off the parlor tv the christmas special is over",
     [("parlor_tv", "turn_off", None)]),
    ("tests/asr_cases/blind34/dorchester.yaml", "kids_room", "turn the mini split on the space is roasting",
     [("mini_split", "turn_on", None)]),
    ("tests/asr_cases/blind34/dorchester.yaml", "kitchen", "switch on the coffee maker the leak guy is coming at nine",
     [("coffee_maker", "turn_on", None)]),
    # ... but one joined by "and", and a second name said in full, are more to act on
    ("tests/asr_cases/blind34/dorchester.yaml", "parlor", "turn off the parlor tv and the christmas lights",
     [("christmas_lights", "turn_off", None), ("parlor_tv", "turn_off", None)]),
    ("tests/asr_cases/blind34/dorchester.yaml", "kitchen", "turn off the kitchen light the counter lights too",
     [("counter_lights", "turn_off", None), ("kitchen_light", "turn_off", None)]),
])
def test_a_name_said_in_part_after_a_whole_one_is_what_a_remark_is_about(homes, home, area, text, want):
    """Written before it was run, from a home none of the cases it comes from uses: blind88's "out the
    pump | the vat overflowing" had also closed the "Vat tap", blind90's "close the garage door | the
    rain coming" the "Rain Bird" sprinklers, and blind78's "cut on da water pump | mudda wan bathe"
    turned on "Mudda's fan". Its first run gave every case the right commands (two listed out of
    the sorted order, mended in the test)."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,want", [
    ("tests/asr_cases/blind34/dorchester.yaml", "parlor", "is the heat on bub", [("tstat", "query", None)]),
    ("tests/asr_cases/blind34/dorchester.yaml", "kitchen", "is the front door locked guy", [("front_door", "query", None)]),
    ("tests/asr_cases/blind34/dorchester.yaml", "kitchen", "what's the temperature on the back porch is it wicked cold",
     [("outside_temp", "query", None)]),
    ("tests/asr_cases/blind34/dorchester.yaml", "parlor", "is the roku on kid", [("parlor_tv", "query", None)]),
    # "outside" and the tag are read as one name the home lacks: a question's place word is not yet
    # told from the start of a name
    pytest.param("tests/asr_cases/blind34/dorchester.yaml", "parlor", "what's the temperature outside guy",
                 [("outside_temp", "query", None)], marks=pytest.mark.xfail(strict=True)),
    pytest.param("tests/asr_cases/blind34/dorchester.yaml", "parlor", "how's the temperature outside kid",
                 [("outside_temp", "query", None)], marks=pytest.mark.xfail(strict=True)),
])
def test_a_tag_after_a_question_is_no_name(homes, home, area, text, want):
    """A question changes nothing, so words after it that hold none of the home's names are a tag
    (blind77's "what's the temperature outside | bor" had been refused as a device called "bor").
    Written before it was run, from a home blind77 is not: on its first run the heat's case was
    refused ("a device called bub") before this and acted on after; the two "outside" cases were
    refused either way; the other three were right before it too."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,want", [
    # "like" leads a simile after the state it heightens, as "as" does
    ("tests/asr_cases/blind36/san_fernando.yaml", "boys_room", "it hot like fire in the boys room", [("boys_fan", "turn_on", None)]),
    ("tests/asr_cases/blind36/san_fernando.yaml", "living_room", "it dark like night in here", [("living_light", "turn_on", None)]),
    # ... while "like an oven" still says the complaint itself
    ("tests/asr_cases/blind46/levenshulme.yaml", "loft", "it's like an oven in the loft", [("loft_fan", "turn_on", None)]),
    # "out here" said in a hall or on a landing is that room; said in a room within, it is outdoors
    ("tests/asr_cases/blind21/peckham.yaml", "passage", "it's pitch black out here", [("passage_light", "turn_on", None)]),
    ("tests/asr_cases/blind46/levenshulme.yaml", "hall", "it's dark out here", [("hall_light", "turn_on", None)]),
    # (the shed's alias "yard shed" makes it a room outdoors too, so its light goes on as well)
    pytest.param("tests/asr_cases/blind46/levenshulme.yaml", "lounge", "it's pitch black out here",
                 [("yard_light", "turn_on", None)], marks=pytest.mark.xfail(strict=True)),
])
def test_a_simile_with_like_and_out_here_in_a_hall(homes, home, area, text, want):
    """From blind88's "it hot like fire in the pickney room" (the light put on, "like fire" read as a
    command) and blind89's "it's pitch black out here", said on the landing (the garden lights put
    on), with homes neither set has; written before it was run. Its first run: 6 of 7 right, and
    the channel's case below right; the miss is the outdoor reading of before, left."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


def test_a_channel_with_no_number_heard_after_it_is_a_guess(homes):
    """blind89's "put the telly on channel fine for our man" (whisper's "fine" for "five") was read as
    the next channel: a channel word after "on" with no number after it says a number not heard."""
    cfg, parser = homes("tests/asr_cases/blind46/levenshulme.yaml")
    lost = parser.parse("put the telly on channel fine", "lounge")
    said = parser.parse("put the telly on channel four", "lounge")
    assert lost.confidence < SURE and not lost.complete
    assert [(c.device, c.action, c.value) for c in said.commands] == [("telly", "set_channel", 4)] and said.complete


@pytest.mark.parametrize("home,area,text,want", [
    ("tests/asr_cases/blind34/dorchester.yaml", "parlor", "put the christmas lights on the neighbors are coming tonight",
     [("christmas_lights", "turn_on", None)]),
    ("tests/asr_cases/blind46/levenshulme.yaml", "kitchen", "put the kettle on our kid's back tonight", [("kettle", "turn_on", None)]),
    ("tests/asr_cases/blind21/peckham.yaml", "garden", "switch on the festoon lights the family are coming round tonight",
     [("festoon_lights", "turn_on", None)]),
    # with no remark, a time that says no when still waits to be said again
    ("tests/asr_cases/blind34/dorchester.yaml", "parlor", "turn on the christmas lights tonight", []),
])
def test_a_time_in_a_closing_remark_is_the_remarks(homes, home, area, text, want):
    """blind90's "cut on the porch fan and the bug zapper | the skeeters bad tonight" was refused as
    a time not understood; written before it was run, from homes blind90 is not. Its first run: all
    four right; the code before this rule had refused the kettle's (the other two were read as a
    reason already)."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,first", [
    ("tests/asr_cases/blind34/dorchester.yaml", "parlor", "did roku lick the front door", "parlor_tv"),
    ("tests/asr_cases/blind51/barnsley.yaml", "back_room", "did samsung lack the back door", "telly"),
    ("tests/asr_cases/blind13/koramangala.yaml", "hall", "did carvaan lake the flat door", "carvaan"),
    # (added after the three above passed on the code before the rule too, their names whole, and
    # then two with a type word, which did as well: names heard loosely, as blind82's "big door")
    ("tests/asr_cases/blind34/dorchester.yaml", "parlor", "did roku lick the door", "parlor_tv"),
    ("tests/asr_cases/blind51/barnsley.yaml", "back_room", "did samsung lack the door", "telly"),
    ("tests/asr_cases/blind34/dorchester.yaml", "parlor", "did roku lick the frond door", "parlor_tv"),
    ("tests/asr_cases/blind51/barnsley.yaml", "back_room", "did samsung lack the yard dour", "telly"),
])
def test_the_object_of_a_questions_verb_is_no_remark(homes, home, area, text, first):
    """blind82's "did someone lock the back door", heard "did samsung like the big door" (an alias of
    the TV), asked the TV's state: the name after the question's one verb is what it asks about, no
    remark, so the question is not understood whole (and the hub asks again). Written before it was
    run, from homes blind82 is not."""
    got, u = _acts(homes, home, area, text)
    assert not (got == [(first, "query", None)] and u.complete), u.response


@pytest.mark.parametrize("home,area,text,want", [
    ("tests/asr_cases/blind34/dorchester.yaml", "parlor", "did the roku turn off", [("parlor_tv", "query", None)]),
    ("tests/asr_cases/blind34/dorchester.yaml", "parlor", "is the parlor tv on the christmas special is over",
     [("parlor_tv", "query", None)]),
])
def test_a_question_of_one_device_is_still_read(homes, home, area, text, want):
    """Beside test_the_object_of_a_questions_verb_is_no_remark: questions it must leave alone."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,want", [
    # an amount before "of" is an amount of what follows, not of the opening
    ("tests/asr_cases/blind51/barnsley.yaml", "front_room", "open the big curtains and let a bit of sun in",
     [("front_curtains", "open", None)]),
    ("tests/asr_cases/blind34/dorchester.yaml", "parlor", "raise the parlor shades let a little bit of daylight in",
     [("parlor_shades", "open", None)]),
    ("tests/asr_cases/blind13/koramangala.yaml", "sit_out", "pull up the sunshade let a bit of breeze through",
     [("bamboo_blind", "open", None)]),
    # ... and so is one said as a command of its own after "and", beside lights (written after the
    # three above had passed, from blind92's text: "light" is what is let in, no light brightened)
    ("tests/asr_cases/blind13/koramangala.yaml", "hall", "open the drapes and let a bit of light in", [("hall_drapes", "open", None)]),
    ("tests/asr_cases/blind34/dorchester.yaml", "our_room", "raise the shades in our room and let a little bit of light in",
     [("bedroom_shades", "open", None)]),
    # ... while an amount of the opening is a step
    ("tests/asr_cases/blind51/barnsley.yaml", "front_room", "open the big curtains a bit more", [("front_curtains", "position_up", None)]),
    ("tests/asr_cases/blind34/dorchester.yaml", "parlor", "close the parlor shades some more", [("parlor_shades", "position_down", None)]),
    ("tests/asr_cases/blind13/koramangala.yaml", "sit_out", "lower the sunshade a little bit", [("bamboo_blind", "position_down", None)]),
])
def test_a_bit_of_something_is_no_step_of_a_cover(homes, home, area, text, want):
    """blind89's "open the front room curtains bab | let a bit of light in" (and blind92's, as text)
    opened them only a step: "a bit of light" read as a step up. An amount before language.yaml
    ``portion_link`` is of what follows, and a step up or down of a cover with no amount or number
    said is opening or closing (commands.yaml position_up, position_down). Written before it was
    run, from homes blind89 and blind92 are not."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text", [
    ("tests/asr_cases/blind34/dorchester.yaml", "kitchen", "close the shades and turn on the bose"),
    ("tests/asr_cases/blind13/koramangala.yaml", "hall", "switch on the mi tv and close the blind"),
    # (a name's word, no type word: the first two passed on the code before too; a third, "turn the
    # speaker off and put the telly on" in Barnsley's kitchen, was no case, its speaker the radio)
    ("tests/asr_cases/blind51/barnsley.yaml", "back_room", "turn the machine off and put the kettle on"),
])
def test_a_clause_that_asks_which_one_is_a_part_not_done(homes, home, area, text):
    """blind91's "turn the immersion off and put the meaco on", heard "turn the machine off ...",
    turned on the dehumidifier and asked which machine: the clause that asks is a part not done
    (hub.types.Understanding.partial), so a recogniser holds the rest for a yes. Written before it
    was run, from homes blind91 is not."""
    got, u = _acts(homes, home, area, text)
    assert got and u.partial, u.response


@pytest.mark.parametrize("home,area,text,want", [
    ("tests/asr_cases/blind34/dorchester.yaml", "kitchen", "i need one of those coffees switch on the coffee maker",
     [("coffee_maker", "turn_on", None)]),
    ("tests/asr_cases/blind13/koramangala.yaml", "hall", "it's a big storm i can see one coming close the drapes",
     [("hall_drapes", "close", None)]),
    ("tests/asr_cases/blind51/barnsley.yaml", "kitchen", "i want one of me brews put the kettle on", [("kettle", "turn_on", None)]),
])
def test_one_as_the_object_of_a_verb_is_no_number(homes, home, area, text, want):
    """blind90's "i know a storm when i see one | close the hurricane shutters" closed them by 1 %:
    "one" said as what a verb acts on is a thing (lexicon.yaml ``not_numbers``). Written before it
    was run, from homes blind90 is not."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,guess", [
    ("tests/asr_cases/blind34/dorchester.yaml", "kitchen", "turn off her speaker", True),
    ("tests/asr_cases/blind51/barnsley.yaml", "back_room", "turn his lights off", True),
    # (first written "switch off her radio": the home has none, nor "radio" as a type word)
    ("tests/asr_cases/blind13/koramangala.yaml", "hall", "switch off her fan", True),
    # ... but not where the person is said, nor with no pronoun
    ("tests/asr_cases/blind34/dorchester.yaml", "kitchen", "turn off gabi's speaker", False),
    ("tests/asr_cases/blind51/barnsley.yaml", "back_room", "turn the lights off", False),
])
def test_whose_device_a_pronoun_means_with_no_one_said_is_a_guess(homes, home, area, text, guess):
    """blind89's "turn alfie's light off", heard "turn out his light off", turned off the speaker's
    room light: in a home that names people's things, "his light" with no one said before is
    someone's, and which is a guess (it waits for a yes when heard). Written before it was run,
    from homes blind89 is not."""
    got, u = _acts(homes, home, area, text)
    assert got and (u.confidence < SURE) == guess, u.response


@pytest.mark.parametrize("home,area,text,want", [
    ("tests/asr_cases/blind29/montreal.yaml", "chloe_room", "the air is so dry in here chloe's lips are cracked",
     [("chloe_humidifier", "turn_on", None)]),
    ("tests/asr_cases/blind86/down_east.yaml", "back_chamber", "it's wicked dry in here", [("humidifier", "turn_on", None)]),
    ("tests/nlu_cases/home_b.yaml", "lily", "lily's skin is all dry and itchy", [("lily_humidifier", "turn_on", None)]),
    # ... never a dehumidifier, which would make it worse
    ("tests/nlu_cases/rowan_home.yaml", "scullery", "it's very dry in here", []),
])
def test_dry_air_is_a_humidifiers_need(homes, home, area, text, want):
    """blind93's "oh geez it's awful dry in the house my lips are all cracked" was refused as text: dry
    air, or dry lips, skin or throat, asks for a humidifier (implied.yaml). Written before it was
    run, from homes blind93 is not."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,want", [
    ("tests/asr_cases/blind10/carrowbeg.yaml", "kitchen", "set the robot hoover off", [("robot_hoover", "start", None)]),
    ("tests/asr_cases/blind20/heaton.yaml", "back_room", "set the roborock off the floor's a state", [("roborock", "start", None)]),
    ("tests/asr_cases/blind23/bedminster.yaml", "front_room", "set gromit off", [("gromit", "start", None)]),
    # ... but "off" after another verb sends it home, and "on" never docks it
    ("tests/asr_cases/blind20/heaton.yaml", "back_room", "turn the roborock off", [("roborock", "dock", None)]),
    ("tests/asr_cases/blind10/carrowbeg.yaml", "kitchen", "switch the robot hoover on", [("robot_hoover", "start", None)]),
])
def test_setting_a_vacuum_off_starts_it(homes, home, area, text, want):
    """blind98's "set the roomba off it's mucky under the table" (and blind25's "set dixie off") sent
    it to its dock: British "set it off" starts it, a phrasing of its own (commands.yaml start's
    "(send|set) {target} off"), which the particle "off" must not turn into its opposite. Written
    before it was run, from homes neither set is."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,want", [
    ("tests/asr_cases/blind15/lekki.yaml", None, "nepa don take light again on the gen", [("generator", "turn_on", None)]),
    ("tests/asr_cases/blind31/east_legon.yaml", None, "ecg have cut the light put on the gen", [("generator", "turn_on", None)]),
    ("tests/asr_cases/blind83/freetown.yaml", None, "light don come back off the gen", [("generator", "turn_off", None)]),
])
def test_the_grids_light_gone_or_back_is_no_lamp(homes, home, area, text, want):
    """blind96's "eneo don cut light again | abeg on the groupe" switched the parlour light on beside
    the generator: in West African Pidgin "light" that the company cut, or that "don go" or "don come
    back", is the mains (language.yaml ``statements``), read as a whole statement before any
    exclamation. Written before it was run, from homes blind96 is not."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,want", [
    ("tests/asr_cases/blind73/mobile.yaml", "den", "lord have mercy it's dark in here", [("den_fan_light", "turn_on", None), ("den_lamp", "turn_on", None)]),
    ("tests/asr_cases/blind42/holler.yaml", None, "have mercy turn the kitchen light on", [("kitchen_light", "turn_on", None)]),
])
def test_an_exclamation_of_mercy_is_no_name(homes, home, area, text, want):
    """blind97's and blind90's "lord have mercy it's dark as pitch in here" were refused ("I don't know a
    device called lord mercy"): an exclamation (lexicon.yaml fillers). Written before it was run,
    from homes neither set is."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,want", [
    ("tests/asr_cases/blind18/kileleshwa.yaml", None, "how cold is it outside is it nippy", [("weather_sensor", "query", None)]),
    ("tests/asr_cases/blind19/wellawatte.yaml", None, "how hot is it outside is it scorching", [("weather_sensor", "query", None)]),
])
def test_a_state_asked_of_it_is_no_name(homes, home, area, text, want):
    """blind67's "how cold is it outside is it baltic" was refused ("I don't know a device called
    baltic"), as blind55's and blind95's questions with more after them: a word the home lacks after
    "is it" is how it is (language.yaml ``state_subjects``). Written before it was run, from homes
    neither set is."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,want", [
    ("tests/asr_cases/blind21/peckham.yaml", "front_room", "put the lg on channel one oh four", [("front_room_tv", "set_channel", 104)]),
    ("tests/asr_cases/blind21/peckham.yaml", "front_room", "put the big screen on channel three twelve", [("front_room_tv", "set_channel", 312)]),
    ("tests/asr_cases/blind21/peckham.yaml", "front_room", "put the big screen on channel two", [("front_room_tv", "set_channel", 2)]),
])
def test_a_channel_said_as_a_digit_and_a_pair_is_one_number(homes, home, area, text, want):
    """blind95's "put the tv on channel two forty five" set channel 45: after "channel" (language.yaml
    ``numbered_words``) a digit and then ten to ninety-nine are one number, as Americans and Canadians
    say three-digit channels. Written before it was run, from a home blind95 is not."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


_WORKSHOP = """
hub: {name: Test hub, language: en, area: workshop}
areas:
  - {id: workshop, name: Workshop}
  - {id: den, name: Den}
devices:
  - {id: workshop_heater, name: Workshop heater, area: workshop, type: climate, features: [target_temperature], protocol: zigbee2mqtt, topic: zigbee2mqtt/workshop_heater}
  - {id: glue_heater, name: Glue pot heater, area: workshop, type: outlet, protocol: tasmota, topic: glue_heater}
  - {id: den_lamp, name: Den lamp, area: den, type: light, protocol: tasmota, topic: den_lamp}
"""


@pytest.mark.parametrize("text,want", [
    ("set the heater to eighteen degrees", [("workshop_heater", "set_temperature", 18)]),
    # (first written expecting the workshop heater; after the judge the choice was kept to a number
    # said, as a reading with none may be misheard: "put the media unbrew" read as unmuting the one TV)
    ("turn the heater up a bit", []),
    # ... and where both can, which one is asked
    ("switch the heater off", []),
])
def test_of_the_devices_a_word_says_the_one_that_can_is_meant(homes, tmp_path, text, want):
    """blind95's "set the heater to ten degrees" in a garage with a garage heater and a block heater
    (an outlet) asked which: only one of them has a temperature to set, which the number said asks
    for. Written before it was run, in a home of no set."""
    home = tmp_path / "workshop.yaml"
    home.write_text(_WORKSHOP)
    got, u = _acts(homes, str(home), "workshop", text)
    assert got == want, u.response
    assert (u.choice is not None) == (not want), u.response


@pytest.mark.parametrize("home,area,text,want", [
    ("tests/asr_cases/blind42/holler.yaml", None, "on ca the kitchen light", [("kitchen_light", "turn_on", None)]),
    ("tests/asr_cases/blind15/lekki.yaml", None, "off ca the gen we don get light", [("generator", "turn_off", None)]),
])
def test_francanglais_ca_after_the_way_is_it(homes, home, area, text, want):
    """blind96's "on ca la pompe no water for tap" turned the pump off, the way said as the verb lost
    before "ça" (it), a word the home lacks: Cameroonian Francanglais "on ça", "off ça" (lexicon.yaml
    fillers). Written before it was run, from homes blind96 is not."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,want", [
    ("tests/asr_cases/blind23/bedminster.yaml", "bathroom", "it's all steam in here", [("bathroom_extractor", "turn_on", None)]),
    ("tests/asr_cases/blind10/carrowbeg.yaml", "bathroom", "the place is all condensation after the bath", [("bathroom_fan", "turn_on", None)]),
])
def test_a_room_all_steam_asks_for_its_extractor(homes, home, area, text, want):
    """blind95's "it's all steamy in here after simran's shower", heard "it's all steam in here ...",
    was refused ("I don't know a device called steam"): a room all steam or condensation is one
    steamed up (implied.yaml). Written before it was run, from homes blind95 is not."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,want", [
    ("tests/asr_cases/blind36/san_fernando.yaml", None, "the light bill too high off the lg", [("living_ac", "turn_off", None)]),
    ("tests/asr_cases/blind73/mobile.yaml", "den", "cut off the window unit the light bill's sky high", [("window_unit", "turn_off", None)]),
])
def test_the_light_bill_is_no_light(homes, home, area, text, want):
    """blind56's "light bill high bad | out de midea and put on de standard fan" also turned the
    gallery lights off: the light bill is a thing (lexicon.yaml ``thing_phrases``), no light. Written
    before it was run, from homes blind56 is not."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,want", [
    ("tests/asr_cases/blind45/brainerd.yaml", None, "throw the deadbolt would ya", [("front_door", "lock", None)]),
    # (failed on its first run: "on" after "the bolt" is read as a way, which a lock has none of)
    pytest.param("tests/asr_cases/blind53/baltimore.yaml", None, "throw the bolt on the back door hon",
                 [("back_door", "lock", None)], marks=pytest.mark.xfail(strict=True, reason="'on' after a noun read as a way")),
    # ... never what no lock is
    ("tests/asr_cases/blind73/mobile.yaml", "den", "throw the lamp", []),
])
def test_a_bolt_thrown_is_locked(homes, home, area, text, want):
    """blind39's "throw the deadbolt would ya" was refused as text: a lock's bolt thrown is locked
    (lexicon.yaml ``kind_verbs``). Written before it was run, from homes blind39 is not."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,want", [
    ("tests/asr_cases/blind13/koramangala.yaml", None, "light the deepa amma is doing pooja", [("diya_lamp", "turn_on", None)]),
    ("tests/asr_cases/blind55/astoria.yaml", None, "light the kandili for yiayia", [("kandili", "turn_on", None)]),
    ("tests/asr_cases/blind68/kochi.yaml", None, "light the nilavilakku", [("pooja_lamp", "turn_on", None)]),
])
def test_a_lamp_lit_is_switched_on(homes, home, area, text, want):
    """blind58's "light the diya for aachi please" was refused as text ("I'm not sure whether you said
    on or off"): a lamp lit is switched on, the verb saying its way (lexicon.yaml ``kind_verbs``).
    Written before it was run, from homes blind58 is not."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,want", [
    ("tests/asr_cases/blind89/kings_heath.yaml", None, "switch the telly off tyler it's gone ten", [("telly", "turn_off", None)]),
    ("tests/asr_cases/blind64/cork.yaml", "kitchen", "kitchen light off siobhan", [("kitchen_light", "turn_off", None)]),
    ("tests/asr_cases/blind89/kings_heath.yaml", "front_room", "telly off tyler", [("telly", "turn_off", None)]),
    ("tests/asr_cases/blind64/cork.yaml", "kitchen", "lights off ciaran", [("kitchen_light", "turn_off", None), ("press_lights", "turn_off", None)]),
    # (the four above passed before the rule too; added after them: blind95's "arjun" is a word of a
    # room's name, "Arjun's room", as these two are, which the code before refused)
    ("tests/asr_cases/blind8/kowhai.yaml", "lounge", "lights off mereana it's bedtime",
     [("lounge_light", "turn_off", None), ("standard_lamp", "turn_off", None)]),
    ("tests/asr_cases/blind23/bedminster.yaml", "kitchen_diner", "switch the lights off alfie",
     [("diner_pendant", "turn_off", None), ("kitchen_spots", "turn_off", None)]),
    # ... but a word the home lacks before the way is still a name it lacks
    ("tests/asr_cases/blind64/cork.yaml", "kitchen", "turn the zorbex light off", []),
])
def test_a_name_alone_after_off_is_the_one_spoken_to(homes, home, area, text, want):
    """blind95's "lights off arjun it's a school night" was refused ("I don't know a device called
    arjun"): one word the home lacks alone after "off" at a clause's end is the person spoken to
    (language.yaml ``address_after``). Written before it was run, from homes blind95 is not."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,want", [
    ("tests/asr_cases/blind57/birkirkara.yaml", None, "close the light on the roof we're going down", [("bejt_light", "turn_off", None)]),
    ("tests/asr_cases/blind12/magnolia_lane.yaml", None, "open the lights on the back porch", [("string_lights", "turn_on", None)]),
    ("tests/asr_cases/blind12/magnolia_lane.yaml", None, "cut off the lights on the porch", [("string_lights", "turn_off", None)]),
    # (the three above passed before the rule too; added after: "open the lights", plural, which the
    # model reads as opening, as it did blind47's)
    ("tests/asr_cases/blind57/birkirkara.yaml", None, "open the lights on the roof", [("bejt_light", "turn_on", None)]),
])
def test_on_before_a_room_after_a_verb_with_its_own_way_is_where(homes, home, area, text, want):
    """blind47's "open the lights on the back porch the band's setting up" was refused as text: "on"
    before a room named says where, after a verb whose way is its own ("open" the lights: on), and is
    no way said against it. Written before it was run, from homes blind47 is not."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,want", [
    ("tests/asr_cases/blind15/lekki.yaml", None, "the light don't go again on the gen", []),
    ("tests/asr_cases/blind83/freetown.yaml", None, "the power don't come back on the gen", []),
    # ... but a negation a phrasing of switching off has after it still switches off
    ("tests/asr_cases/blind42/holler.yaml", None, "we don't need the kitchen light on", [("kitchen_light", "turn_off", None)]),
])
def test_a_negation_before_no_word_of_a_switchings_phrasing_switches_nothing(homes, home, area, text, want):
    """blind96's "the light don go again | on the tiger", heard "the light don't go again on the tiger",
    switched the generator and the parlour light off: a negation before a word that no phrasing of
    switching on or off has after one says no switching. Written before it was run, from homes
    blind96 is not."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,want", [
    ("tests/asr_cases/blind29/montreal.yaml", None, "allume the kitchen light", [("kitchen_light", "turn_on", None)]),
    ("tests/asr_cases/blind29/montreal.yaml", None, "éteins the basement tv les enfants sont couchés",
     [("basement_tv", "turn_off", None)]),
    ("tests/asr_cases/blind29/montreal.yaml", None, "ferme the bedroom curtains", [("bedroom_curtains", "close", None)]),
    ("tests/asr_cases/blind29/montreal.yaml", None, "turn on the floor lamp s'il vous plait", [("floor_lamp", "turn_on", None)]),
    ("tests/asr_cases/blind47/louisiana.yaml", None, "ouvre the driveway gate cher", [("driveway_gate", "open", None)]),
    ("tests/asr_cases/blind47/louisiana.yaml", None, "eteint the den fan and the den light",
     [("den_fan", "turn_off", None), ("den_light", "turn_off", None)]),
    ("tests/asr_cases/blind96/douala.yaml", None, "est ce que the pump is on", [("pump", "query", None)]),
    ("tests/asr_cases/blind96/douala.yaml", None, "get sa allume the veranda light", [("veranda_light", "turn_on", None)]),
])
def test_french_and_creole_verbs_inside_english(homes, home, area, text, want):
    """blind100 (Curepipe, Mauritius) said its switching in Kreol and French verbs inside English:
    "allume the salon light", "eteint the clim", "ouver portail", "ferm the shutters", "eski the gate
    is closed", and got 32 of 64 as text (lexicon.yaml asr_fixes, fillers; language.yaml
    question_particles). Written before it was run, from homes blind100 is not: Quebec, Louisiana
    and Cameroon say them too."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,want", [
    ("tests/asr_cases/blind51/barnsley.yaml", "kitchen", "the kitchen's full of smoke", [("cooker_hood", "turn_on", None)]),
    ("tests/asr_cases/blind29/montreal.yaml", "kitchen", "the pan's smoking something awful", [("kitchen_hood", "turn_on", None)]),
    ("tests/asr_cases/blind29/montreal.yaml", "kitchen", "the bacon's smoking up the place", [("kitchen_hood", "turn_on", None)]),
])
def test_a_state_word_said_with_s_is_the_state(homes, home, area, text, want):
    """blind102's "the kitchen's full of smoke from the vaghar" did nothing: normalised "kitchens",
    the word of cooking ("kitchen") was not found as "the kitchen is full of smoke"'s is. A state
    word is read with its "'s" as a thing is (implied.yaml ``states``, :meth:`ImpliedDevice.states_said`).
    Written before it was run, from homes blind102 is not."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,want", [
    ("tests/asr_cases/blind42/holler.yaml", "root_cellar", "i can't see nothin down here", [("cellar_light", "turn_on", None)]),
    ("tests/asr_cases/blind47/louisiana.yaml", None, "it's so dark in the den i can't see nothin",
     [("den_light", "turn_on", None), ("papere_lamp", "turn_on", None)]),  # as "it's so dark in the den"
])
def test_nothin_is_nothing(homes, home, area, text, want):
    """blind99's "i can't see nothin in here" did nothing: "nothin" is a word of the pronouncing
    dictionary, so its dropped ending is not read full (language.yaml ``dropped_endings``), and it
    was taken for a name. lexicon.yaml asr_fixes spells it "nothing". Written before it was run,
    from homes blind99 is not."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,want", [
    ("tests/asr_cases/blind47/louisiana.yaml", None, "turn the reading lamp all the way up", [("papere_lamp", "set_brightness", 100)]),
    ("tests/asr_cases/blind47/louisiana.yaml", None, "turn the porch speaker all the way up cher",
     [("porch_speaker", "set_volume", 100)]),
    ("tests/asr_cases/blind29/montreal.yaml", None, "turn the kitchen speaker all the way down", [("kitchen_speaker", "set_volume", 1)]),
    # a cover raised or lowered all the way opens or closes, as before
    ("tests/asr_cases/blind47/louisiana.yaml", None, "raise the den blinds all the way up", [("den_blinds", "open", None)]),
    ("tests/asr_cases/blind47/louisiana.yaml", None, "pull the den blinds all the way down", [("den_blinds", "close", None)]),
])
def test_a_step_all_the_way_is_the_end_of_the_range(homes, home, area, text, want):
    """blind103's "turn the kitchen light all the way up" stepped it 10 % brighter: "all the way" is
    dropped as a filler ("open the skylight all the way"). A step said so is read as language.yaml
    ``extremes`` puts it ("up to max", "down to minimum"), where that sets what the step would
    change. Written before it was run, from homes blind103 is not."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,want", [
    ("tests/asr_cases/blind42/holler.yaml", None, "outen the porch light", [("front_porch_light", "turn_off", None)]),
    ("tests/asr_cases/blind42/holler.yaml", "kitchen", "outen the sink light and the kitchen light",
     [("kitchen_light", "turn_off", None), ("sink_light", "turn_off", None)]),
    ("tests/asr_cases/blind47/louisiana.yaml", None, "outen the den fan", [("den_fan", "turn_off", None)]),
])
def test_outen_is_off(homes, home, area, text, want):
    """blind103 (Lancaster County) said "outen the light", Pennsylvania Dutch English and the US
    Midland's "put out", and 8 of its 9 text failures were it (lexicon.yaml asr_fixes). Written
    before it was run, from homes blind103 is not."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,want", [
    ("tests/asr_cases/blind46/levenshulme.yaml", None, "the bathroom mirror's all steamed up", [("extractor", "turn_on", None)]),
    ("tests/asr_cases/blind51/barnsley.yaml", None, "the kitchen window's all steamed up", [("cooker_hood", "turn_on", None)]),
])
def test_a_room_said_with_no_command_before_a_statement_is_no_command_and_reason(homes, home, area, text, want):
    """blind106's "the bathroom mirror's all steamed up" asked which device: "the bathroom" was taken
    for a command and "mirror is all steamed up" for why it was given (:meth:`Framing.reason`). A
    room said first and alone, right before the statement's subject, is no command. Written before
    it was run, from homes blind106 is not."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,want", [
    ("tests/asr_cases/blind62/rotorua.yaml", None, "put the jug on uce nanny wants a cuppa", [("jug", "turn_on", None)]),
    ("tests/asr_cases/blind62/rotorua.yaml", None, "uce turn the tv off the game's finished", [("tv", "turn_off", None)]),
    ("tests/asr_cases/blind62/rotorua.yaml", None, "put the tv on uce the league's starting", [("tv", "turn_on", None)]),
    ("tests/asr_cases/blind62/rotorua.yaml", None, "switch the kitchen speaker on uce", [("kitchen_speaker", "turn_on", None)]),
])
def test_uce_is_said_to_someone(homes, home, area, text, want):
    """blind105 (Samoan South Auckland): "chuck the samsung on uce the warriors are playing" did
    nothing, "uce" (brother) read as a misheard option of its telly; it is said to someone, as "bro"
    and "mate" are (lexicon.yaml fillers). Written before it was run, from a home blind105 is not
    (these four passed before too: their devices have no option "uce" sounds like)."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,want", [
    ("tests/asr_cases/blind43/aberdeen.yaml", None, "pit the caravan light on an switch the caravan heater aff",
     [("caravan_heater", "turn_off", None), ("caravan_light", "turn_on", None)]),
    ("tests/asr_cases/blind14/dennistoun.yaml", None, "shut the bay window blinds an put the big telly on",
     [("bay_blinds", "close", None), ("big_telly", "turn_on", None)]),
    ("tests/asr_cases/blind14/dennistoun.yaml", None, "switch the air fryer off n turn the strip light on",
     [("air_fryer", "turn_off", None), ("strip_light", "turn_on", None)]),
    # ... never before a room: "an" is still "in" there
    ("tests/asr_cases/blind14/dennistoun.yaml", None, "switch the light off an the box room", [("box_room_light", "turn_off", None)]),
])
def test_an_before_a_command_verb_is_and(homes, home, area, text, want):
    """blind66's "pit on granny's electric blanket an set granny's heater ta twenty two" and "shut da
    tunnel vent an pit oot da boat shed light" (Shetland, as text) did only their second command:
    "an" before a command verb is "and" (language.yaml ``joint_forms``), whose clause ends the first.
    Written before it was run, from homes blind66 is not."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,want", [
    ("tests/asr_cases/blind62/rotorua.yaml", None, "turn on the tv and change to channel three for nanny",
     [("tv", "set_channel", 3), ("tv", "turn_on", None)]),
    ("tests/asr_cases/blind47/louisiana.yaml", None, "turn on the den tv and change to channel four for tante",
     [("den_tv", "set_channel", 4), ("den_tv", "turn_on", None)]),
    ("tests/asr_cases/blind29/montreal.yaml", None, "open the living room blinds and turn on the floor lamp for ti-guy",
     [("floor_lamp", "turn_on", None), ("salon_blinds", "open", None)]),
])
def test_a_person_said_after_a_second_command_is_who_it_is_for(homes, home, area, text, want):
    """blind65's "on the tv and change to channel eight for ah ma" (as text) turned the TV on and
    refused "a device called ma": read without "for ah ma", both commands are whole, and a reading
    that keeps every command and adds the one refused is taken (the parser's before_purpose cut).
    Written before it was run, from homes blind65 is not."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,want", [
    ("tests/asr_cases/blind46/levenshulme.yaml", None, "the bathroom's all steaming after the bath", [("extractor", "turn_on", None)]),
    ("tests/asr_cases/blind46/levenshulme.yaml", "bathroom", "it's all steaming in here", [("extractor", "turn_on", None)]),
])
def test_a_room_all_steaming_asks_for_its_extractor(homes, home, area, text, want):
    """blind105's "it's all steamy in here after junior's shower", heard "it's all steaming in here
    ...", was refused: a room "all steaming" is "all steam" (implied.yaml). Written before it was run,
    from a home blind105 is not."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response


@pytest.mark.parametrize("home,area,text,want", [
    ("tests/asr_cases/blind62/rotorua.yaml", None, "how warm is it in the lounge eh", [("lounge_sensor", "query", None)]),
    ("tests/asr_cases/blind29/montreal.yaml", None, "is the leak sensor dry eh", [("leak_sensor", "query", None)]),
])
def test_eh_closing_a_question_is_no_word_of_it(homes, home, area, text, want):
    """blind95's "how cold is it outside eh ..." refused "a device called outside eh": Canadian and
    New Zealand "eh" closing a request or a question is dropped as "innit" and "lah" are (lexicon.yaml
    fillers). Written before it was run, from homes blind95 is not."""
    got, u = _acts(homes, home, area, text)
    assert got == want, u.response
