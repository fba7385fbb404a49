"""The loop's own logic (order, resets, timings, confirmation), on fake stages named as such.

The real models are exercised in tests/test_e2e.py and each stage's own tests.
"""

import threading
from dataclasses import dataclass

import numpy as np

from hub.config import Options
from hub.config_load import parse_config
from hub.devices.catalog import Catalog
from hub.devices.router import Router
from hub.execute import Executor
from hub.pipeline import Pipeline, strip_wake_word
from hub.vad.endpointer import Endpointer
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
    """Ends each utterance after `length` frames; speech ends 2 frames before; never pauses."""

    options = Options()

    def __init__(self, length: int = 5):
        self.length = length

    def pause(self):
        return None

    def end_early(self, last_voice_ms, now_ms=None):
        return None

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


# ---------------------------------------------------------------- ending by meaning
# The real Endpointer on a fake VAD whose speech probability follows a script, so pauses fall
# exactly where a test puts them; the recogniser and parser are fakes too.


class FakeVad:
    """Speech probability 0.9 inside the scripted voiced spans (stream ms), 0.0 elsewhere."""

    def __init__(self, voiced: list[tuple[int, int]]):
        self.voiced = voiced

    def reset(self):
        self.at, self.pending = 0, 0

    def process(self, samples):
        out = []
        self.pending += len(samples)
        while self.pending >= 512:
            self.pending -= 512
            self.at += 32
            out.append(0.9 if any(a < self.at <= b for a, b in self.voiced) else 0.0)
        return out


class FakeReader:
    """A fake recogniser answering the i-th call with texts[i] (the last one after that); each call
    can wait for ``gate`` (a slow recogniser); records the length in ms of each audio it got."""

    def __init__(self, *texts: str, gate: threading.Event | None = None):
        self.texts, self.gate, self.heard_ms, self.done = texts, gate, [], threading.Event()

    def transcribe(self, samples):
        if self.gate is not None:
            assert self.gate.wait(20)
        self.heard_ms.append(len(samples) // 16)
        self.done.set()
        return Transcript(self.texts[min(len(self.heard_ms) - 1, len(self.texts) - 1)], 0.9)


class FakeMeaningParser:
    """A fake parser: a command, complete unless the text ends with "the"."""

    def parse(self, text, area):
        return Understanding(text, "turn_on", (Command("lamp", "turn_on"),), 0.95, "Turning on the lamp.", area,
                             complete=not text.endswith("the"))


def meaning_pipe(voiced, *texts, gate=None, **options):
    """A pipeline woken at 0 ms, the real Endpointer on FakeVad(voiced), FakeReader(texts)."""
    cfg = parse_config(HOME)
    ex = Executor(cfg, Router(cfg, Catalog.load()), FakeLink(), None)
    reader = FakeReader(*texts, gate=gate)
    endpointer = Endpointer(Options(**options), vad=FakeVad(voiced))
    return Pipeline(FakeWake({0}), endpointer, reader, FakeMeaningParser(), ex, "hall"), reader


def test_a_complete_command_ends_early_and_its_reading_is_used():
    pipe, reader = meaning_pipe([(400, 1600)], "turn on the lamp")
    [t] = pipe.run(frames(60))
    u = t.utterance
    assert u.reason == "meaning" and t.read_ahead
    assert 250 <= u.end_ms - u.last_voice_ms <= 250 + 80
    assert len(reader.heard_ms) == 1 and t.transcript.text == "turn on the lamp"
    assert t.to_json()["endpoint"] == "meaning" and t.to_json()["read_ahead"] is True


def test_an_incomplete_reading_waits_for_the_full_silence_and_is_reused():
    pipe, reader = meaning_pipe([(400, 1600)], "turn on the")
    [t] = pipe.run(frames(60))
    assert t.utterance.reason == "silence" and t.utterance.end_ms - t.utterance.last_voice_ms >= 700
    assert t.read_ahead and len(reader.heard_ms) == 1  # no second recognition of the same words


def test_speech_resuming_discards_the_reading():
    # a 200 ms pause: long enough for a look-ahead (150 ms), shorter than an early end (250 ms)
    pipe, reader = meaning_pipe([(400, 1000), (1200, 2000)], "turn on", "turn on the lamp")
    [t] = pipe.run(frames(60))
    assert t.utterance.reason == "meaning" and t.transcript.text == "turn on the lamp"
    assert len(reader.heard_ms) == 2 and reader.heard_ms[1] > reader.heard_ms[0] + 800
    assert t.pauses_read == 2


def test_without_ending_by_meaning_nothing_is_read_ahead():
    pipe, reader = meaning_pipe([(400, 1600)], "turn on the lamp", endpoint_by_meaning=False)
    [t] = pipe.run(frames(60))
    assert t.utterance.reason == "silence" and not t.read_ahead and len(reader.heard_ms) == 1


def test_live_frames_keep_flowing_while_the_recogniser_runs():
    gate = threading.Event()
    pipe, reader = meaning_pipe([(400, 1600)], "turn on the lamp", gate=gate)
    process, taken = pipe.endpointer.process, []

    def process_and_record(frame):
        u = process(frame)
        taken.append(reader.done.is_set())
        if u is not None:
            gate.set()  # the recogniser answers only once the utterance has ended by silence
        return u

    pipe.endpointer.process = process_and_record
    [t] = pipe.run(frames(60), live=True)
    assert t.utterance.reason == "silence" and t.read_ahead and len(reader.heard_ms) == 1
    assert len(taken) > 20 and not any(taken)  # every frame up to the endpoint, with the recogniser busy


def test_live_early_end_is_decided_between_frames():
    gate, turned = threading.Event(), threading.Event()
    pipe, reader = meaning_pipe([(400, 1600)], "turn on the lamp", gate=gate)
    stalled = []

    def source():
        for f in frames(60):
            yield f
            if f.timestamp_ms == 1600 + 320:  # 400 ms of silence heard: let the recogniser answer
                gate.set()
                stalled.append(turned.wait(20))  # no frame comes until the turn is out

    turns = []
    for t in pipe.run(source(), live=True):
        turns.append(t)
        turned.set()
    assert stalled == [True]
    assert [t.utterance.reason for t in turns] == ["meaning"]
    assert turns[0].utterance.end_ms >= 1600 + 400


class SequenceTranscriber:
    """Returns the given texts in turn (a fake: the stages around it are real or recorded)."""

    def __init__(self, *texts):
        self.texts = list(texts)

    def transcribe(self, samples):
        return Transcript(self.texts.pop(0), 0.9)


class AskingParser:
    """A fake parser that asks which lamp, and records the pending question it is given back."""

    def __init__(self):
        self.pending = []

    def parse(self, text, area, pending=None):
        from hub.types import Choice

        self.pending.append(pending)
        if pending is not None and "bedside" in text:
            return Understanding(text, "turn_on", (Command("lamp", "turn_on"),), 0.9, "Turning on the lamp.", area)
        return Understanding(text, None, (), 0.5, "Which one: the lamp or the bedside lamp?", area,
                             choice=Choice(text, ("lamp", "bedside"), area))


def test_a_question_asked_back_is_answered_without_the_wake_word():
    cfg = parse_config(HOME)
    link = FakeLink()
    parser = AskingParser()
    pipe = Pipeline(FakeWake({160}), FakeEndpointer(), SequenceTranscriber("turn on the lamp", "the bedside one"),
                    parser, Executor(cfg, Router(cfg, Catalog.load()), link, None), "hall")
    turns = list(pipe.run(frames(30)))
    assert [t.wake.name for t in turns] == ["fake", "follow_up"]
    assert parser.pending[0] is None and parser.pending[1].text == "turn on the lamp"
    assert [(m.topic, m.payload) for m in link.sent] == [("cmnd/lamp/POWER", b"ON")]


def test_the_yes_of_a_confirmation_needs_no_wake_word():
    cfg = parse_config(HOME)
    link = FakeLink()
    pipe = Pipeline(FakeWake({160}), FakeEndpointer(), SequenceTranscriber("unlock the front door", "yes"),
                    FakeParser(), Executor(cfg, Router(cfg, Catalog.load()), link, None), "hall")
    turns = list(pipe.run(frames(30)))
    assert [t.wake.name for t in turns] == ["fake", "follow_up"]
    assert [m.topic for m in link.sent] == ["zigbee2mqtt/door/set"]


class FakeFailingParser:
    """A fake parser that raises on the texts it is given (a stage with a bug), else reads as FakeMeaningParser."""

    def __init__(self, *failing: str):
        self.failing = failing

    def parse(self, text, area):
        if text in self.failing:
            raise OverflowError(f"fake failure on {text!r}")
        return FakeMeaningParser().parse(text, area)


def test_a_stage_that_raises_costs_one_turn_with_a_reply_not_the_loop(caplog):
    pipe, link, _ = make(wake_at=(160, 1600))
    pipe.parser = FakeFailingParser("turn on the lamp")
    pipe.transcriber = SequenceTranscriber("turn on the lamp", "turn on the lamp please")
    with caplog.at_level("ERROR", logger="hub.pipeline"):
        turns = list(pipe.run(frames(40)))
    assert [t.outcome.reply for t in turns] == ["Sorry, something went wrong.", "Turning on the lamp."]
    assert turns[0].understanding.commands == () and not turns[0].outcome.published
    assert [(m.topic, m.payload) for m in link.sent] == [("cmnd/lamp/POWER", b"ON")]  # the second turn's alone
    failures = [r for r in caplog.records if r.exc_info]
    assert len(failures) == 1 and "fake failure" in str(failures[0].exc_info[1])


def test_a_pause_whose_reading_raises_is_read_again_when_the_utterance_ends(caplog):
    cfg = parse_config(HOME)
    reader = FakeReader("turn on the lamp", "turn on the lamp now")
    endpointer = Endpointer(Options(), vad=FakeVad([(400, 1600)]))
    pipe = Pipeline(FakeWake({0}), endpointer, reader, FakeFailingParser("turn on the lamp"),
                    Executor(cfg, Router(cfg, Catalog.load()), FakeLink(), None), "hall")
    with caplog.at_level("ERROR", logger="hub.pipeline"):
        [t] = pipe.run(frames(60))
    assert t.utterance.reason == "silence" and not t.read_ahead  # the failed pause ended nothing
    assert t.outcome.reply == "Turning on the lamp." and len(reader.heard_ms) == 2
    assert len([r for r in caplog.records if r.exc_info]) == 1


class FakeFailingExecutor:
    """A fake executor whose execute raises (its own guard bypassed)."""

    def execute(self, understanding, heard=None):
        raise RuntimeError("fake executor failure")


def test_an_executor_that_raises_costs_one_turn():
    pipe, _, _ = make(wake_at=(160, 1600))
    pipe.executor = FakeFailingExecutor()
    turns = list(pipe.run(frames(40)))
    assert [t.outcome.reply for t in turns] == ["Sorry, something went wrong."] * 2
    assert turns[0].transcript.text == "turn on the lamp"
