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
    if text == "turn on the lamp":
        return Understanding(text, "turn_on", (Command("lamp", "turn_on"),), 1.0)
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
