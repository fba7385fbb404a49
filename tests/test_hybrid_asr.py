"""Hybrid recognition of the low-power set (hub.asr.hybrid): which recogniser's transcript is kept,
whisper loaded lazily and released after its idle time. The recognisers here are fakes (named so):
the logic around them is under test; the real pair is measured by hub.bench.heldout."""

from __future__ import annotations

import time

import numpy as np

from hub.asr.hybrid import HybridTranscriber
from hub.types import Command, Transcript, Understanding

AUDIO = np.zeros(1600, dtype=np.int16)


class FakeRecogniser:
    def __init__(self, text: str, confidence: float):
        self.text, self.confidence, self.calls = text, confidence, 0

    def transcribe(self, samples):
        self.calls += 1
        return Transcript(text=self.text, confidence=self.confidence, recogniser="grammar")


def fake_parse(text: str) -> Understanding:
    """A fake parser: a command, a command with words it did not understand, a timer, a
    command for later; nothing else."""
    if text == "turn on the lamp":
        return Understanding(text, "turn_on", (Command("lamp", "turn_on"),), 1.0)
    if text == "turn on the lamp info mode":
        return Understanding(text, "turn_on", (Command("lamp", "turn_on"),), 1.0, complete=False)
    if text == "set a timer for ten minutes":
        return Understanding(text, "timer_start", (), 1.0, slots={"duration_s": 600})
    if text == "turn on the lamp in ten minutes":
        return Understanding(text, "turn_on", (), 1.0, scheduled=(Command("lamp", "turn_on"),))
    return Understanding(text, None, (), 0.3)


def hybrid(grammar, whisper, idle_s=None):
    loads = []

    def load():
        loads.append(1)
        return whisper

    h = HybridTranscriber(grammar, fake_parse, load, grammar_min_confidence=0.65, parse_min_confidence=0.6,
                          idle_s=idle_s)
    return h, loads


def test_a_sure_grammar_transcript_never_loads_whisper():
    whisper = FakeRecogniser("turn off the lamp", 0.9)
    h, loads = hybrid(FakeRecogniser("turn on the lamp", 0.8), whisper)
    t = h.transcribe(AUDIO)
    assert (t.text, t.recogniser) == ("turn on the lamp", "grammar")
    assert loads == [] and not h.fallback_loaded


def test_refused_low_confidence_or_unparsed_goes_to_whisper_loaded_once():
    for grammar in (FakeRecogniser("", 0.0), FakeRecogniser("turn on the lamp", 0.6),
                    FakeRecogniser("dim the lamp", 0.9)):
        whisper = FakeRecogniser("turn on the lamp", 0.9)
        h, loads = hybrid(grammar, whisper)
        assert h.transcribe(AUDIO).recogniser == "whisper"
        h.transcribe(AUDIO)
        assert loads == [1] and whisper.calls == 2


def test_whisper_is_released_after_its_idle_time_and_loaded_again():
    h, loads = hybrid(FakeRecogniser("", 0.0), FakeRecogniser("x", 0.9), idle_s=0.05)
    h.transcribe(AUDIO)
    assert h.fallback_loaded
    deadline = time.monotonic() + 5
    while h.fallback_loaded and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not h.fallback_loaded
    h.transcribe(AUDIO)
    assert loads == [1, 1]
    h.release()


def test_an_unsure_grammar_reading_is_held_for_a_yes_when_whisper_makes_nothing_of_it():
    h, _ = hybrid(FakeRecogniser("turn on the lamp", 0.6), FakeRecogniser("turn on the whole lamp", 0.9))
    t = h.transcribe(AUDIO)
    assert (t.text, t.recogniser) == ("turn on the lamp", "grammar")
    assert t.unsure and "whole lamp" in t.unsure


def test_a_timer_or_a_command_for_later_from_the_grammar_stands():
    for said in ("set a timer for ten minutes", "turn on the lamp in ten minutes"):
        h, loads = hybrid(FakeRecogniser(said, 0.8), FakeRecogniser("", 0.0))
        assert (h.transcribe(AUDIO).recogniser, loads) == ("grammar", [])


def test_whisper_acted_on_without_every_word_understood_is_held_for_a_yes():
    h, _ = hybrid(FakeRecogniser("", 0.0), FakeRecogniser("turn on the lamp info mode", 0.9))
    t = h.transcribe(AUDIO)
    assert (t.text, t.recogniser) == ("turn on the lamp info mode", "whisper")
    assert t.unsure and "not every word" in t.unsure
    h, _ = hybrid(FakeRecogniser("", 0.0), FakeRecogniser("turn on the lamp", 0.9))
    assert h.transcribe(AUDIO).unsure is None
