"""A time of day said without am/pm ("at 11", "at 12"), or with a day part ("at 7 tonight", "at 6
in the morning", "tonight at 8"), read as a user means it at several times of day: the parser's
clock is a fake one (tests/fake_clock.py) set by each case. The reading goes into `hub parse`'s
contract (``"at": "HH:MM"``, the next such local time) and the reply says which it is ("at 11:00
pm"). The real intent model on tests/timer_cases/home.yaml; `hub parse --jsonl` itself on the
machine's clock."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from fake_clock import FakeClock
from hub.config_load import load_config
from hub.nlu import load_parser
from hub.nlu.timing.when import next_time
from hub.types import ClockTime

ROOT = Path(__file__).resolve().parent.parent
HOME = ROOT / "tests" / "timer_cases" / "home.yaml"


@pytest.fixture(scope="module")
def parser():
    return load_parser(load_config(HOME))


def at(parser, now: str, text: str) -> tuple[list[dict], str]:
    """(commands of `hub parse`'s object, reply) of ``text`` said at ``now`` ("HH:MM", local)."""
    h, m = map(int, now.split(":"))
    parser.timing.clock = FakeClock(datetime(2026, 12, 3, h, m).astimezone())
    u = parser.parse(text).to_json()
    return u["commands"], u["response"]


@pytest.mark.parametrize("now, text, hhmm, said", [
    ("08:00", "turn on the porch light at 11", "11:00", "at 11:00 am"),
    ("11:30", "turn on the porch light at 11", "23:00", "at 11:00 pm"),
    ("15:00", "turn on the porch light at 11", "23:00", "at 11:00 pm"),
    ("23:30", "turn on the porch light at 11", "11:00", "at 11:00 am"),
    ("09:00", "turn on the porch light at 12", "12:00", "at 12:00 pm"),
    ("13:00", "turn on the porch light at 12", "00:00", "at 12:00 am"),
    ("00:10", "turn on the porch light at 12", "12:00", "at 12:00 pm"),
    ("06:00", "open the gate at 7 30", "07:30", "at 7:30 am"),
    ("08:00", "open the gate at 7 30", "19:30", "at 7:30 pm"),
])
def test_a_time_without_am_or_pm_is_the_one_that_comes_first(parser, now, text, hhmm, said):
    commands, reply = at(parser, now, text)
    assert [c["at"] for c in commands] == [hhmm], reply
    assert said in reply


@pytest.mark.parametrize("now", ["06:00", "14:00", "21:00"])
@pytest.mark.parametrize("text, hhmm, said", [
    ("turn on the porch light at 7 tonight", "19:00", "at 7:00 pm"),
    ("turn on the porch light tonight at 8", "20:00", "at 8:00 pm"),
    ("turn on the porch light at 12 tonight", "00:00", "at 12:00 am"),
    ("open the gate at 6 in the morning", "06:00", "at 6:00 am"),
    ("open the gate at half past 3 in the afternoon", "15:30", "at 3:30 pm"),
    ("turn off the den lamp at 9 in the evening", "21:00", "at 9:00 pm"),
])
def test_a_day_part_says_which_reading(parser, now, text, hhmm, said):
    commands, reply = at(parser, now, text)
    assert [c["at"] for c in commands] == [hhmm], reply
    assert said in reply


@pytest.mark.parametrize("now", ["06:00", "18:00"])
def test_am_pm_and_24_hour_times_are_kept_as_said(parser, now):
    assert at(parser, now, "turn on the den lamp at 7 am") == (
        [{"device": "den_lamp", "action": "turn_on", "at": "07:00"}], "Turning on the den lamp at 07:00.")
    assert at(parser, now, "turn on the den lamp at 11 pm")[0][0]["at"] == "23:00"
    assert at(parser, now, "turn on the den lamp at 19 15")[0][0]["at"] == "19:15"


def test_an_end_is_read_after_the_start(parser):
    commands, reply = at(parser, "09:00", "turn on the porch light at 7 until 11")
    assert (commands[0]["at"], commands[0]["until"]) == ("19:00", "23:00")
    assert reply == "Turning on the porch light at 7:00 pm until 11:00 pm."
    commands, _ = at(parser, "15:00", "turn off the porch light until 11")
    assert commands[0]["until"] == "23:00"


def test_a_bare_number_a_command_takes_as_its_value_is_no_time(parser):
    assert at(parser, "09:00", "set the loft heater at 21")[0] == [
        {"device": "loft_heater", "action": "set_temperature", "value": 21}]
    assert at(parser, "09:00", "set the stereo volume at 10")[0] == [
        {"device": "stereo", "action": "set_volume", "value": 10}]
    assert at(parser, "09:00", "set the loft heater to 21 at 7")[0] == [
        {"device": "loft_heater", "action": "set_temperature", "value": 21, "at": "19:00"}]
    assert at(parser, "09:00", "turn up the stereo by 10")[0] == [{"device": "stereo", "action": "volume_up", "value": 10}]


def test_a_time_outside_its_day_part_or_a_day_part_alone_is_refused(parser):
    for text in ("turn off the porch light at 3 in the evening", "turn on the porch light tonight"):
        commands, reply = at(parser, "12:00", text)
        assert commands == [] and "did nothing" in reply, text


def test_hub_parse_jsonl_gives_the_reading_that_comes_first_on_the_machines_clock():
    lines = ["turn on the porch light at 11", "turn on the porch light at 7 tonight", "open the gate at 6 in the morning"]
    before = datetime.now().astimezone()
    r = subprocess.run([sys.executable, "-m", "hub.cli", "parse", "--config", str(HOME), "--jsonl"], input="\n".join(lines),
                       capture_output=True, text=True, timeout=300, cwd=ROOT)
    after = datetime.now().astimezone()
    assert r.returncode == 0, r.stderr
    out = [json.loads(line) for line in r.stdout.splitlines()]
    # the sooner of 11:00 and 23:00 from when it ran (either end of the run, should it cross one)
    sooner = {min(("11:00", "23:00"), key=lambda t: next_time(ClockTime(*map(int, t.split(":"))), now))
              for now in (before, after)}
    assert out[0]["commands"][0]["at"] in sooner
    assert out[0]["response"].endswith((" at 11:00 am.", " at 11:00 pm."))
    assert [o["commands"][0]["at"] for o in out[1:]] == ["19:00", "06:00"]


def test_bad_clock_data_is_named_with_file_and_line(tmp_path):
    from hub.nlu.language import LanguageError
    from hub.nlu.timing.data import load_timer_language

    src = Path(load_timer_language().path).read_text()
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "timers.yaml").write_text(
        src.replace("tonight: {from: 17, to: 5}", "tonight: {from: 30, to: 5}").replace("{am: 0, pm: 12}", "{am: 0, pm: 11}"))
    with pytest.raises(LanguageError) as e:
        load_timer_language("en", tmp_path)
    text = str(e.value)
    assert "timers.yaml:" in text and "clock.day_parts.tonight.from" in text
    assert "clock.meridiem: needs a word for 0 (before noon) and one for 12 (after noon)" in text
