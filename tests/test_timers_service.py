"""Timers and the command schedule on a fake clock (tests/fake_clock.py): no sleeping."""

from __future__ import annotations

import pytest

from hub.timers.schedule import CommandSchedule
from hub.timers.service import TimerError, TimerService
from hub.types import Command
from fake_clock import FakeClock


def test_timers_count_down_and_end_in_order():
    clock = FakeClock()
    s = TimerService(clock)
    s.start(600, "pasta")
    s.start(300)
    assert [t.name for t in s.timers()] == [None, "pasta"]
    clock.advance(299)
    assert s.due() == []
    assert s.remaining("pasta")[1] == pytest.approx(301)
    clock.advance(1)
    assert [t.name for t in s.due()] == [None]
    assert s.remaining()[0].name == "pasta"  # the only one left needs no name
    clock.advance(400)
    assert [t.name for t in s.due()] == ["pasta"]
    assert len(s) == 0 and s.next_due() is None


def test_pause_resume_add_and_take_off():
    clock = FakeClock()
    s = TimerService(clock)
    s.start(120, "eggs")
    clock.advance(20)
    s.pause()
    clock.advance(1000)
    assert s.due() == [] and s.remaining("eggs")[1] == pytest.approx(100)
    s.resume("eggs")
    s.add(60, "eggs")
    assert s.remaining()[1] == pytest.approx(160)
    s.add(-200)
    clock.advance(0)
    assert [t.name for t in s.due()] == ["eggs"]


def test_which_timer_is_asked_when_several_run():
    clock = FakeClock()
    s = TimerService(clock)
    s.start(60, "tea")
    s.start(90, "rice")
    with pytest.raises(TimerError) as e:
        s.cancel()
    assert e.value.key == "which_timer" and set(e.value.fields["names"]) == {"tea", "rice"}
    s.pause("tea")
    assert s.resume().name == "tea"  # the only paused one
    assert s.cancel("rice").name == "rice"


def test_bad_requests_are_refused_with_a_reason():
    clock = FakeClock()
    s = TimerService(clock, max_duration_s=3600, max_timers=1)
    for seconds, key in ((0, "too_short"), (-5, "too_short"), (3601, "too_long")):
        with pytest.raises(TimerError) as e:
            s.start(seconds)
        assert e.value.key == key
    s.start(10, "a")
    for call, key in ((lambda: s.start(10, "a"), "timer_exists"), (lambda: s.start(10, "b"), "too_many"),
                      (lambda: s.cancel("zzz"), "no_timer")):
        with pytest.raises(TimerError) as e:
            call()
        assert e.value.key == key


def test_schedule_runs_due_commands_and_cancels_by_group_or_device():
    clock = FakeClock()
    sched = CommandSchedule(clock)
    on, off = Command("sofa_lamp", "turn_on"), Command("sofa_lamp", "turn_off")
    sched.add([(off, 600, True)], "turn on the sofa lamp for 10 minutes")
    sched.add([(Command("den_lamp", "turn_off"), 60, False), (Command("hall", "turn_off"), 60, False)], "x")
    assert [i.command.device for i in sched.cancel()] == ["den_lamp", "hall"]  # "cancel that": the last group
    sched.add([(on, 30, False)], "y")
    assert sched.items()[0].wall.strftime("%H:%M:%S") == "18:00:30"
    clock.advance(30)
    assert [i.command for i in sched.due()] == [on]
    assert [i.command for i in sched.cancel({"sofa_lamp"})] == [off]
    with pytest.raises(TimerError) as e:
        sched.cancel()
    assert e.value.key == "nothing_scheduled"
    with pytest.raises(TimerError):
        sched.add([(on, 10**9, False)], "z")


def test_cancel_within_one_group():
    clock = FakeClock()
    sched = CommandSchedule(clock)
    first = sched.add([(Command("a", "turn_off"), 60, True), (Command("b", "turn_off"), 60, True)], "x")
    sched.add([(Command("a", "turn_on"), 90, False)], "y")
    assert [i.command.device for i in sched.cancel({"a"}, group=first[0].group)] == ["a"]
    assert sorted(i.command.device for i in sched.items()) == ["a", "b"]
