"""The loop's own logic (order, resets, timings, confirmation), on fake stages named as such.

The real models are exercised in tests/test_e2e.py and each stage's own tests.
"""

from dataclasses import dataclass

import numpy as np

from hub.config import parse_config
from hub.devices.catalog import Catalog
from hub.devices.router import Router
from hub.execute import Executor
from hub.pipeline import Pipeline, strip_wake_word
from hub.types import AudioFrame, Command, Transcript, Understanding, Utterance, WakeDetection

HOME = """
hub: {name: Test, area: hall}
areas: [{id: hall, name: Hall}]
devices:
  - {id: lamp, name: Lamp, area: hall, type: light, protocol: tasmota, topic: lamp}
  - {id: door, name: Front door, area: hall, type: lock, protocol: zigbee2mqtt, topic: zigbee2mqtt/door}
"""


def frames(n: int):
    for i in range(n):
        yield AudioFrame(np.zeros(1280, np.int16), i * 80)


class FakeWake:
    """Fires on the listed frame timestamps."""

    def __init__(self, at: set[int]):
        self.at, self.resets = at, 0

    def process(self, frame):
        return WakeDetection("fake", 0.9, frame.timestamp_ms) if frame.timestamp_ms in self.at else None

    def reset(self):
        self.resets += 1


class FakeEndpointer:
    """Ends each utterance after `length` frames; speech ends 2 frames before."""

    def __init__(self, length: int = 5):
        self.length = length

    def start(self, ts):
        self.t0, self.n = ts, 0

    def process(self, frame):
        self.n += 1
        if self.n == self.length:
            return Utterance(np.ones(self.n * 1280, np.int16), self.t0, frame.timestamp_ms + 80,
                             frame.timestamp_ms - 80, "silence", speech_ms=240)
        return None

    def finish(self, ts):
        return Utterance(np.ones(1280, np.int16), self.t0, ts, None, "end_of_stream", 0)


class FakeTranscriber:
    def __init__(self, text):
        self.text = text

    def transcribe(self, samples):
        return Transcript(self.text, 0.9)


class FakeParser:
    def parse(self, text, area):
        if "unlock" in text and "lamp" in text:
            return Understanding(text, "unlock", (Command("door", "unlock"), Command("lamp", "turn_on")), 0.9,
                                 "Unlocking the front door. Turning on the lamp.", area)
        if "unlock" in text:
            return Understanding(text, "unlock", (Command("door", "unlock"),), 0.9, "Unlocking the front door.", area)
        if text.startswith("yes"):
            return Understanding(text, None, (), 0.0, "Sorry?", area)
        return Understanding(text, "turn_on", (Command("lamp", "turn_on"),), 0.9, "Turning on the lamp.", area)


@dataclass
class FakeResult:
    """A message the broker acknowledged at once."""

    message: object
    status: str = "acked"
    ok: bool = True
    done: bool = True


class FakeLink:
    """Records publishes instead of talking to a broker."""

    def __init__(self):
        self.sent = []

    def publish(self, msg):
        self.sent.append(msg)
        return FakeResult(msg)


def make(text="Jarvis, turn on the lamp", wake_at=(160,)):
    cfg = parse_config(HOME)
    link = FakeLink()
    ex = Executor(cfg, Router(cfg, Catalog.load()), link, None)
    wake = FakeWake(set(wake_at))
    return Pipeline(wake, FakeEndpointer(), FakeTranscriber(text), FakeParser(), ex, "hall"), link, wake


def test_one_turn_per_wake_word_and_publish():
    pipe, link, wake = make(wake_at=(160, 1600))
    turns = list(pipe.run(frames(40)))
    assert len(turns) == 2
    t = turns[0]
    assert t.transcript.text == "turn on the lamp"
    assert [(m.topic, m.payload) for m in link.sent][:1] == [("cmnd/lamp/POWER", b"ON")]
    assert t.after_last_voice_ms >= 160 and t.after_endpoint_ms >= 0
    assert wake.resets == 3  # start of stream, after each utterance


def test_wake_word_at_end_of_stream_is_finished():
    pipe, link, _ = make(wake_at=(3 * 80,))
    turns = list(pipe.run(frames(5)))
    assert len(turns) == 1 and turns[0].utterance.reason == "end_of_stream"
    assert turns[0].transcript.text == "" and link.sent == []


def test_unlock_waits_for_spoken_yes():
    pipe, link, _ = make(text="unlock the front door")
    t = next(pipe.run(frames(10)))
    assert t.outcome.awaiting_confirmation and "Say yes" in t.outcome.reply and link.sent == []
    pipe.transcriber = FakeTranscriber("yes")
    t = next(pipe.run(frames(10)))
    assert [m.topic for m in link.sent] == ["zigbee2mqtt/door/set"]
    assert t.outcome.reply == "Unlocking the front door."


def test_strip_wake_word():
    assert strip_wake_word("Hey Jarvis, turn on the lamp.") == "turn on the lamp."
    assert strip_wake_word("Jarvis.") == ""
    assert strip_wake_word("turn on the lamp") == "turn on the lamp"


def test_only_the_sensitive_part_waits_for_yes():
    pipe, link, _ = make(text="unlock the front door and turn on the lamp")
    t = next(pipe.run(frames(10)))
    assert [m.topic for m in link.sent] == ["cmnd/lamp/POWER"]
    assert t.outcome.awaiting_confirmation and t.outcome.reply.endswith("Say yes to unlock the front door.")
    pipe.transcriber = FakeTranscriber("yes")
    next(pipe.run(frames(10)))
    assert [m.topic for m in link.sent] == ["cmnd/lamp/POWER", "zigbee2mqtt/door/set"]
