"""Timers and commands in time in a hub session: the real intent model, the demo home, a real
mosquitto, and a fake clock (tests/fake_clock.py) moved by the test, so nothing sleeps. What ends
is announced (the session's notices) and published as JSON on hub/timer and hub/schedule; the
device commands go to the broker when their time comes, not before."""

from __future__ import annotations

import json
import queue
from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from conftest import WAIT_S
from fake_clock import FakeClock
from hub.app import Session
from hub.config import BrokerConfig
from hub.config_load import load_config, parse_config
from hub.mqtt.link import MqttLink

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def hub(broker, collector):
    cfg = load_config(ROOT / "config.yaml")
    link = MqttLink(BrokerConfig(host=broker.host, port=broker.port), cfg.hub.options)
    assert link.wait_connected(WAIT_S)
    clock, notices = FakeClock(), queue.Queue()
    session = Session(cfg, link, cfg.hub.area, nlu_only=True, on_notice=notices.put, clock=clock)
    seen = collector(broker, "#")

    def say(text: str, **kw) -> str:
        u = session.stages.parser.parse(text, area=cfg.hub.area)
        return session.stages.executor.execute(u, **kw).reply

    def tick(seconds: float) -> list[str]:
        clock.advance(seconds)
        session.agenda.tick()
        out = []
        while not notices.empty():
            out.append(notices.get())
        return out

    yield say, tick, seen, session
    session.close()
    link.close(0)


def _events(seen, topic: str, n: int) -> list[dict]:
    return [json.loads(m.payload) for m in seen.wait_for(n, topic=topic)]


def test_named_timers_count_down_pause_and_end_with_an_event(hub):
    say, tick, seen, _ = hub
    assert say("set a 5 minute pasta timer") == "The pasta timer is set for 5 minutes."
    assert say("set a timer for 10 minutes") == "The timer is set for 10 minutes."
    tick(60)
    assert say("how much time is left on the pasta timer") == "The pasta timer has 4 minutes left."
    assert say("what timers are running") == "2 timers: the pasta timer with 4 minutes left and the timer with 9 minutes left."
    assert say("cancel the timer").startswith("Which timer: the pasta timer or the timer?")
    assert say("pause the pasta timer") == "The pasta timer is paused with 4 minutes left."
    assert tick(600) == ["Time's up: the timer of 10 minutes is done."]
    assert say("add 2 minutes") == "The pasta timer now has 6 minutes left."
    assert say("resume the timer") == "The pasta timer is running again with 6 minutes left."
    assert tick(359) == []
    assert tick(1) == ["Time's up: the pasta timer of 7 minutes is done."]
    finished = _events(seen, "hub/timer", 2)
    assert [(e["event"], e["name"], e["duration_s"]) for e in finished] == [("finished", None, 600), ("finished", "pasta", 420)]
    assert say("how much time is left") == "No timers are running."


def test_a_delayed_command_waits_for_its_time(hub):
    say, tick, seen, _ = hub
    assert say("turn off the hall light in ten minutes") == "Turning off the hall light in 10 minutes."
    assert say("what's scheduled") == "Scheduled: turning off the hall light at 18:10."
    assert tick(599) == []
    assert not [m for m in seen.pairs() if m[0].startswith("cmnd/hall_light")]
    assert tick(1) == ["As planned: Turning off the hall light."]
    assert seen.wait_for(1, topic="cmnd/hall_light/POWER")[0].payload == b"OFF"
    ran = _events(seen, "hub/schedule", 1)[0]
    assert (ran["device"], ran["action"], ran["undo"]) == ("hall_light", "turn_off", False)


def test_for_a_while_is_done_now_and_undone_after(hub):
    say, tick, seen, _ = hub
    assert say("turn on the hall light for 10 minutes") == "Turning on the hall light for 10 minutes."
    assert seen.wait_for(1, topic="cmnd/hall_light/POWER")[0].payload == b"ON"
    assert tick(600) == ["As planned: Turning off the hall light."]
    assert [m.payload for m in seen.wait_for(2, topic="cmnd/hall_light/POWER")] == [b"ON", b"OFF"]


def test_at_a_clock_time_is_the_next_one(hub):
    say, tick, seen, _ = hub
    assert say("open the bedroom curtains at 7 am") == "Opening the bedroom curtains at 07:00."
    assert tick(12 * 3600 + 59 * 60) == []  # the fake clock starts at 18:00
    assert tick(60) == ["As planned: Opening the bedroom curtains."]


def test_scheduled_commands_are_cancelled_by_voice(hub):
    say, tick, seen, _ = hub
    say("turn off the hall light in ten minutes")
    say("turn off the kitchen light in 20 minutes")
    assert say("cancel that") == "Cancelled: turning off the kitchen light at 18:20."
    assert say("cancel the hall light") == "Cancelled: turning off the hall light at 18:10."
    assert say("cancel the hall light") == "Nothing like that is scheduled."
    assert tick(3600) == []


def test_a_security_sensitive_command_in_time_waits_for_yes(hub):
    say, tick, seen, _ = hub
    assert say("unlock the front door in ten minutes") == "Unlocking the front door in 10 minutes: say yes to confirm."
    assert say("what's scheduled") == "Nothing is scheduled."
    assert say("unlock the front door in ten minutes") .endswith("say yes to confirm.")
    assert say("yes") == "Unlocking the front door in 10 minutes."
    assert tick(600) == ["As planned: Unlocking the front door."]  # not asked again when it runs
    assert json.loads(seen.wait_for(1, topic="zigbee2mqtt/front_door/set")[0].payload) == {"state": "UNLOCK"}


def test_bad_times_are_refused(hub):
    say, tick, seen, _ = hub
    assert say("turn off the hall light in three years") == "That's too long: I can keep time for up to 24 hours."
    assert say("set a timer for 0 seconds") == "That's no time to count down."
    assert say("cancel the pasta timer") == "There's no pasta timer."
    assert "did nothing" in say("turn on the hall light at 25 o'clock")


def test_hub_say_keeps_nothing_for_later(broker):
    cfg = load_config(ROOT / "config.yaml")
    link = MqttLink(BrokerConfig(host=broker.host, port=broker.port), cfg.hub.options)
    session = Session(cfg, link, cfg.hub.area, one_shot=True)
    try:
        u = session.stages.parser.parse("turn off the hall light in ten minutes", area=None)
        assert session.agenda is None
        assert "did nothing" in session.stages.executor.execute(u).reply
    finally:
        session.close()
        link.close(0)


def test_timers_survive_a_restart_and_what_was_missed_is_said_once(broker, tmp_path):
    raw = yaml.safe_load((ROOT / "config.yaml").read_text())
    raw["hub"].setdefault("options", {})["timers_file"] = "state/timers.json"
    cfg = parse_config(yaml.safe_dump(raw), str(tmp_path / "config.yaml"))
    link = MqttLink(BrokerConfig(host=broker.host, port=broker.port), cfg.hub.options)
    sessions = []

    def start(clock):
        notices = queue.Queue()
        s = Session(cfg, link, cfg.hub.area, nlu_only=True, on_notice=notices.put, clock=clock)
        sessions.append(s)
        said = lambda text: s.stages.executor.execute(s.stages.parser.parse(text, area=cfg.hub.area)).reply
        return s, said, notices

    try:
        first = FakeClock()
        s, said, _ = start(first)
        said("set a 10 minute pasta timer")
        said("turn off the hall light in 2 minutes")
        said("turn off the kitchen light in 20 minutes")
        s.close()  # the process ends: nothing is saved at the end, every change was
        assert (tmp_path / "state" / "timers.json").exists()

        later = FakeClock(first.wall + timedelta(minutes=5))  # a new process: its own monotonic origin
        later.t = 42.0
        s, said, notices = start(later)
        assert notices.get(timeout=WAIT_S) == "While I was off, turning off the hall light was due at 18:02; I didn't do it."
        assert said("how much time is left on the pasta timer") == "The pasta timer has 5 minutes left."
        assert said("what's scheduled") == "Scheduled: turning off the kitchen light at 18:20."
        later.advance(300)
        assert s.agenda.tick() == ["Time's up: the pasta timer of 10 minutes is done."]
        s.close()

        again = FakeClock(later.wall)
        s, said, notices = start(again)
        assert said("what timers are running") == "No timers are running."
        assert notices.empty()  # nothing is said twice
    finally:
        for s in sessions:
            s.close()
        link.close(0)


def test_a_bad_state_file_is_named(tmp_path):
    from hub.timers.store import AgendaStore, TimerStateError
    from hub.timers.schedule import CommandSchedule
    from hub.timers.service import TimerService

    (tmp_path / "t.json").write_text('{"version": 1, "timers": "no"}')
    clock = FakeClock()
    with pytest.raises(TimerStateError, match=r"t\.json: not a timer state file"):
        AgendaStore(tmp_path / "t.json", clock).load(TimerService(clock), CommandSchedule(clock))


def test_an_unlock_for_a_while_is_confirmed_once_then_undone(hub):
    say, tick, seen, _ = hub
    assert say("unlock the front door for 5 minutes") == "Unlocking the front door for 5 minutes: say yes to confirm."
    assert say("yes") == "Unlocking the front door for 5 minutes."
    assert json.loads(seen.wait_for(1, topic="zigbee2mqtt/front_door/set")[0].payload) == {"state": "UNLOCK"}
    assert tick(300) == ["As planned: Locking the front door."]
    assert [json.loads(m.payload) for m in seen.wait_for(2, topic="zigbee2mqtt/front_door/set")] == [
        {"state": "UNLOCK"}, {"state": "LOCK"}]


def test_a_killed_process_leaves_its_timers_in_the_state_file(tmp_path):
    """SIGKILL right after a change: the file holds the timer (atomic writes), on the wall clock."""
    import os
    import signal
    import subprocess
    import sys

    from hub.clock import SystemClock
    from hub.timers.schedule import CommandSchedule
    from hub.timers.service import TimerService
    from hub.timers.store import AgendaStore

    script = (
        "import sys, time\n"
        "from hub.clock import SystemClock\n"
        "from hub.timers.schedule import CommandSchedule\n"
        "from hub.timers.service import TimerService\n"
        "from hub.timers.store import AgendaStore\n"
        "clock = SystemClock(); store = AgendaStore(sys.argv[1], clock)\n"
        "t, s = TimerService(clock), CommandSchedule(clock)\n"
        "t.on_change = s.on_change = lambda: store.save(t, s)\n"
        "t.start(3600, 'bread'); print('ready', flush=True); time.sleep(60)\n")
    path = tmp_path / "timers.json"
    p = subprocess.Popen([sys.executable, "-c", script, str(path)], stdout=subprocess.PIPE, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert p.stdout.readline().strip() == "ready"
    finally:
        p.send_signal(signal.SIGKILL)
        p.wait(WAIT_S)
    clock = SystemClock()
    timers = TimerService(clock)
    assert AgendaStore(path, clock).load(timers, CommandSchedule(clock)) == ([], [])
    t, left = timers.remaining("bread")
    assert 3600 - WAIT_S < left <= 3600
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind
