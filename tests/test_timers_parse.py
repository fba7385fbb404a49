"""Timer sentences and commands in time, read by the parser (the real intent model, `hub parse`'s
contract): tests/timer_cases/cases.jsonl on tests/timer_cases/home.yaml, and the readers of
durations and clock times."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from fake_clock import FakeClock
from hub.config_load import load_config
from hub.nlu import load_parser
from hub.nlu.language import LanguageError, load_language
from hub.nlu.timing.data import load_timer_language
from hub.nlu.timing.when import TimeReader, next_time
from hub.types import ClockTime

CASES = Path(__file__).parent / "timer_cases"


@pytest.fixture(scope="module")
def parser():
    """The cases' parser, its clock at 06:00 local: "until eight" is 08:00 (the first eight after it)."""
    cfg = load_config(CASES / "home.yaml")
    p = load_parser(cfg)
    p.timing.clock = FakeClock(datetime(2026, 12, 3, 6, 0).astimezone())
    return p


@pytest.fixture(scope="module")
def reader():
    return TimeReader(load_language(), load_timer_language())


def _cases():
    return [json.loads(line) for line in (CASES / "cases.jsonl").read_text().splitlines() if line.strip()]


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["text"])
def test_case(parser, case):
    u = parser.parse(case["text"]).to_json()
    key = lambda c: json.dumps(c, sort_keys=True)
    assert sorted(map(key, u["commands"])) == sorted(map(key, case["commands"])), u["response"]
    if "intent" in case:
        assert (u["intent"], u.get("slots", {})) == (case["intent"], case["slots"])


def test_a_command_in_time_says_when(parser):
    u = parser.parse("turn off the den lamp in ten minutes")
    assert u.commands == () and u.scheduled[0].when.delay_s == 600
    assert u.response == "Turning off the den lamp in 10 minutes."
    u = parser.parse("turn on the den lamp for 10 minutes")
    assert u.commands[0].when.duration_s == 600 and u.response == "Turning on the den lamp for 10 minutes."


def test_what_has_no_undo_is_not_done_for_a_while(parser):
    u = parser.parse("set the den lamp to 40 percent for 10 minutes")
    assert u.commands == () and "undo" in u.response


@pytest.mark.parametrize("text, seconds", [
    ("10 minutes", 600), ("one and a half hours", 5400), ("half an hour", 1800), ("a quarter of an hour", 900),
    ("an hour and a half", 5400), ("1 hour and 30 minutes", 5400), ("2 hours 15 minutes", 8100),
    ("ninety seconds", 90), ("a couple of minutes", 120), ("5 minute pasta", None), ("minutes", None)])
def test_durations(reader, text, seconds):
    assert reader.whole_duration(text) == seconds


@pytest.mark.parametrize("text, hhmm, twelve", [
    ("7 am", "07:00", False), ("7", "07:00", True), ("7:30 pm", "19:30", False), ("half past six", "06:30", True),
    ("twenty to eight", "07:40", True), ("noon", "12:00", False), ("19 15", "19:15", False), ("12 am", "00:00", False)])
def test_clock_times(reader, text, hhmm, twelve):
    t, _ = reader.clock(reader.words(text), 0)
    assert (t.hhmm(), t.twelve_hour) == (hhmm, twelve)


@pytest.mark.parametrize("text", ["25 oclock", "13 pm", "7 75"])
def test_impossible_clock_times(reader, text):
    assert reader.clock(reader.words(text), 0) is None


def test_next_time_is_the_next_one(reader):
    now = datetime(2026, 12, 3, 18, 0, tzinfo=timezone.utc)
    assert next_time(ClockTime(7, 0), now) == datetime(2026, 12, 4, 7, 0, tzinfo=timezone.utc)
    assert next_time(ClockTime(18, 0), now) == datetime(2026, 12, 4, 18, 0, tzinfo=timezone.utc)
    assert reader.resolve(ClockTime(8, 0, twelve_hour=True), now) == ClockTime(20, 0, chosen=True)


def test_spoken_durations(reader):
    assert [reader.say_duration(s) for s in (1, 60, 3725, 0.2)] == [
        "1 second", "1 minute", "1 hour, 2 minutes and 5 seconds", "1 second"]


def test_bad_timer_files_name_file_and_line(tmp_path):
    src = (Path(load_timer_language().path)).read_text()
    bad = src.replace('"(pause|hold|freeze) [the|my] timer"', '"(pause|hold [the timer"').replace(
        '"(resume|continue|unpause|restart) [the|my] timer"', '"resume the {whatever} timer"')
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "timers.yaml").write_text(bad)
    with pytest.raises(LanguageError) as e:
        load_timer_language("en", tmp_path, actions=frozenset({"turn_on", "turn_off"}) | set(load_timer_language().file.undo))
    text = str(e.value)
    assert "timers.yaml:" in text and "intents.timer_pause.data[0].sentences[0]: template does not parse" in text
    assert "intents.timer_resume.data[0].sentences[0]: unknown list {whatever}" in text
    (tmp_path / "en" / "timers.yaml").write_text(src.replace("undo: {turn_on: turn_off,", "undo: {turn_on: switch_off,"))
    with pytest.raises(LanguageError) as e:
        load_timer_language("en", tmp_path, actions=frozenset({"turn_on", "turn_off"}) | set(load_timer_language().file.undo.values()))
    assert "undo.turn_on: 'switch_off' is no action of the device catalog" in str(e.value)


def test_a_device_named_like_a_timer_is_the_device(tmp_path):
    raw = (CASES / "home.yaml").read_text() + (
        "  - {id: egg_timer, name: Egg timer, area: den, type: switch, protocol: tasmota, topic: egg_timer}\n"
        "  - {id: oven, name: Oven, area: den, type: switch, protocol: tasmota, topic: oven}\n")
    (tmp_path / "home.yaml").write_text(raw)
    p = load_parser(load_config(tmp_path / "home.yaml"))
    u = p.parse("turn off the egg timer")
    assert [(c.device, c.action) for c in u.commands] == [("egg_timer", "turn_off")]
    u = p.parse("set an oven timer for 10 minutes")
    assert (u.intent, u.slots) == ("timer_start", {"duration_s": 600, "name": "oven"})
