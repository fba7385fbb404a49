"""Wake word decisions: the Trigger's smoothing, the VAD gate and second stage, the config options,
and that `hub bench wake` decides exactly as the running stage does (real models, short audio)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from hub.audio.wav import frames, read_wav
from hub.config import WakeWordConfig
from hub.config_load import load_config
from hub.errors import ConfigError, HubError
from hub.types import FRAME_MS, AudioFrame, WakeDetection
from hub.wake import bench as b
from hub.wake import benchdata as bd
from hub.wake.confirm import EitherEngine, SecondStage, VoiceGate, WakeStage, full_set_stage
from hub.wake.micro import MicroWakeWordDetector
from hub.wake.openwakeword import WakeWordDetector
from hub.wake.trigger import Trigger

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def fire_frames(trigger: Trigger, scores: list[float]) -> list[int]:
    return [i for i, s in enumerate(scores) if trigger.update(s, (i + 1) * FRAME_MS) is not None]


# ---------------------------------------------------------------- logic (no model)


def test_smoothing_damps_a_one_frame_spike_but_not_a_wake_word():
    spike = [0.0, 0.0, 0.9, 0.0, 0.0]
    word = [0.0, 0.6, 0.95, 0.99, 0.9, 0.2]
    assert fire_frames(Trigger(0.5, 1), spike) == [2]
    assert fire_frames(Trigger(0.5, 2), spike) == []
    assert fire_frames(Trigger(0.5, 2), word) == [2]  # mean(0.6, 0.95) >= 0.5, one frame later than raw


def test_rising_edge_and_refractory():
    scores = [0.9, 0.9, 0.1, 0.9, 0.1] + [0.0] * 30 + [0.9]
    assert fire_frames(Trigger(0.5, 1, refractory_ms=0), scores) == [0, 3, 35]
    assert fire_frames(Trigger(0.5, 1, refractory_ms=2000), scores) == [0, 35]


def test_trigger_rejects_bad_settings():
    with pytest.raises(ValueError, match="threshold"):
        Trigger(1.0)
    with pytest.raises(ValueError, match="smoothing_frames"):
        Trigger(0.5, 0)


class FakeDetector:
    """A fake first stage: fires on the frames listed, nothing else."""

    name = "fake"
    last_score = 0.0
    threshold = 0.5

    def __init__(self, fire_at_ms: set[int], score: float = 0.9):
        self.fire_at_ms = fire_at_ms
        self.score = score
        self.resets = 0

    def process(self, frame: AudioFrame) -> WakeDetection | None:
        end = frame.timestamp_ms + FRAME_MS
        return WakeDetection("fake", self.score, end) if end in self.fire_at_ms else None

    def reset(self) -> None:
        self.resets += 1


class FakeCheck:
    """A fake check that passes from a given stream time on."""

    def __init__(self, passes_from_ms: int):
        self.passes_from_ms = passes_from_ms
        self.now = 0

    def process(self, frame: AudioFrame) -> None:
        self.now = frame.timestamp_ms + FRAME_MS

    def passes(self) -> bool:
        return self.now >= self.passes_from_ms

    def reset(self) -> None:
        self.now = 0


def run(stage, n_frames: int) -> list[WakeDetection]:
    zero = np.zeros(1280, np.int16)
    return [d for i in range(n_frames) if (d := stage.process(AudioFrame(zero, i * FRAME_MS)))]


def test_stage_waits_for_a_late_check_then_reports_on_its_frame():
    stage = WakeStage(FakeDetector({800}), second=FakeCheck(passes_from_ms=1040), wait_ms=400)
    found = run(stage, 20)
    assert [d.timestamp_ms for d in found] == [1040] and stage.rejected == 0


def test_stage_drops_a_candidate_the_checks_never_confirm():
    stage = WakeStage(FakeDetector({800}), gate=FakeCheck(passes_from_ms=10_000), wait_ms=400)
    assert run(stage, 20) == [] and stage.rejected == 1
    stage = WakeStage(FakeDetector({800}), second=FakeCheck(passes_from_ms=1280), wait_ms=400)
    assert run(stage, 20) == [] and stage.rejected == 1  # 1280 is 480 ms after the candidate


def test_either_engine_reports_each_engines_words_once_per_refractory_period():
    first = FakeDetector({800, 9600}, score=0.9)
    other = FakeDetector({960, 4000}, score=0.99)
    other.name = "other"
    either = EitherEngine(first, other, refractory_ms=2000)
    found = run(either, 130)
    # 800: first; 960: the same word heard by the other engine, inside the refractory period;
    # 4000: the other engine alone (reported under the first's name); 9600: first.
    assert [(d.timestamp_ms, d.name, d.score) for d in found] == [(800, "fake", 0.9), (4000, "fake", 0.99),
                                                                   (9600, "fake", 0.9)]
    assert either.threshold == 0.5 and either.name == "fake"
    either.reset()
    assert first.resets == other.resets == 1
    assert [d.timestamp_ms for d in run(either, 20)] == [800]  # the refractory period was forgotten


def test_either_engine_candidates_pass_the_gate_like_any_other():
    stage = WakeStage(EitherEngine(FakeDetector(set()), FakeDetector({800}), 2000),
                      gate=FakeCheck(passes_from_ms=960), wait_ms=400)
    assert [d.timestamp_ms for d in run(stage, 20)] == [960]


def test_a_candidate_both_engines_proposed_skips_the_gate():
    """Both engines firing within ``agree_ms`` pass a gate that hears no voice; one engine alone,
    or both too far apart, or the option off, does not; the bench's frames say the same."""
    def stage(first_ms: set[int], other_ms: set[int], agree_ms: int | None) -> WakeStage:
        return WakeStage(EitherEngine(FakeDetector(first_ms), FakeDetector(other_ms), 2000),
                         gate=FakeCheck(passes_from_ms=10**9), wait_ms=400, agree_ms=agree_ms)

    assert [d.timestamp_ms for d in run(stage({800}, {960}, 2000), 40)] == [960]  # when the second fires
    assert run(stage({800}, set(), 2000), 40) == []
    assert run(stage({800}, {960}, None), 40) == []
    far = stage({800}, {3200}, 2000)  # 3200: a candidate of its own, 2.4 s after the first
    assert run(far, 60) == [] and far.rejected == 2
    assert run(stage({800}, {960}, 2000), 40) == run(stage({960}, {800}, 2000), 40)
    # the bench's view of the same frames (frame f ends at (f + 1) * 80 ms)
    window = b.stage_frames(b.WINDOW_MS)
    both = b.both_heard([9], [11], 60)
    assert not both[10] and both[11] and both[9 + window - 1] and not both[9 + window]
    assert not b.both_heard([9], [9 + window], 60).any()


def test_config_options_are_validated(tmp_path):
    base = "hub:\n  wake_word: {model: %s, %s}\n"

    def problems(model: str, extra: str) -> list[str]:
        f = tmp_path / "config.yaml"
        f.write_text(base % (model, extra))
        with pytest.raises(ConfigError) as e:
            load_config(f)
        return e.value.problems

    assert any(":2 hub.wake_word" in p and "microWakeWord has no model 'hey_rhasspy'" in p
               for p in problems("hey_rhasspy", "second_stage: {threshold: 0.5}"))
    assert any("smoothing_frames" in p for p in problems("hey_jarvis", "smoothing_frames: 0"))
    assert any("vad_gate_ms (1500) cannot exceed window_ms (1000)" in p
               for p in problems("hey_jarvis", "vad_gate_ms: 1500, window_ms: 1000"))
    assert any("second_stage.threshold" in p for p in problems("hey_jarvis", "second_stage: {threshold: 1.5}"))
    assert any(":2 hub.wake_word.either_engine.threshold" in p
               for p in problems("hey_jarvis", "either_engine: {threshold: 0}"))


def test_thresholds_are_per_model_and_engine_from_the_data_file():
    """Each engine's threshold comes from models/wake/thresholds.yaml unless the config sets it;
    a model without an entry takes the file's default."""
    from hub.wake.thresholds import load_thresholds

    data = load_thresholds()
    alexa, rhasspy = data.of("alexa"), data.of("hey_rhasspy")
    assert "alexa" in data.models and "hey_rhasspy" not in data.models and rhasspy == data.default
    cfg = WakeWordConfig(model="alexa")
    stage = full_set_stage(WakeWordDetector(cfg), cfg)
    assert isinstance(stage.detector, EitherEngine)
    assert (stage.detector.detector.threshold, stage.detector.other.threshold) == (alexa.openwakeword,
                                                                                alexa.microwakeword)
    own = WakeWordConfig(model="alexa", threshold=0.42, either_engine={"threshold": 0.77})
    stage = full_set_stage(WakeWordDetector(own), own)
    assert (stage.detector.detector.threshold, stage.detector.other.threshold) == (0.42, 0.77)
    assert WakeWordDetector(WakeWordConfig(model="hey_rhasspy")).threshold == rhasspy.openwakeword


def test_a_bad_thresholds_file_names_file_line_and_key(tmp_path):
    from hub.wake.thresholds import load_thresholds

    f = tmp_path / "thresholds.yaml"
    f.write_text("default: {openwakeword: 0.3, microwakeword: 0.9}\nmodels:\n  alexa:\n    openwakeword: 1.5\n"
                 "    microwakeword: 0.7\n    colour: red\n")
    with pytest.raises(ConfigError) as e:
        load_thresholds(f)
    text = "\n".join(e.value.problems)
    assert f"{f}:4 models.alexa.openwakeword" in text and f"{f}:6 models.alexa.colour: unknown key" in text


def test_speaker_halves_split_by_file_number():
    names = ["10.flac", "2.flac", "1.flac", "3.flac", "0.flac"]
    assert b.speaker_halves(names).tolist() == [False, True, True, False, True]  # 0, 1, 2 | 3, 10


def test_choice_is_made_on_the_development_half_only():
    """A made-up result: alexa's development speakers and negatives decide; the held-out half
    (here: false wakes everywhere, every recording missed) changes nothing."""
    def counts(fn):
        return {v.name: {str(t): fn(v, t) for t in b.THRESHOLDS} for v in b.GRID}

    def det(v, t):  # more detection at lower thresholds of either engine
        return [int(100 * (1 - t / 2 - v.either / 4)), 0]

    def fa(v, t):  # the development half is quiet from 0.5 and a microWakeWord threshold of 0.9 on
        return [0 if (t >= 0.5 and v.either >= 0.9) else 3, 9]

    hours = {"dev": 1.0, "held": 1.0, "all": 2.0}
    result = {"counts": {
        "positives": {c: {"n": 200, "n_dev": 100, "n_held": 100, "openwakeword": counts(det)} for c in b.CONDS},
        "negatives": {s: {m: {"hours": hours, "openwakeword": counts(fa)} for m in b.MODELS}
                      for s in (*b.POOLED, *b.QUIET)},
        "voices": {m: {"piper": {"clean": {"n": 10, "openwakeword": counts(lambda v, t: [10, 0])}}}
                   for m in b.MODELS}}}
    choice = b.choose(result)
    assert choice["alexa_best"]["openwakeword"] == 0.5 and choice["alexa_best"]["microwakeword"] == 0.9
    for m in b.MODELS:  # every allowed pair, and the most conservative within the rule
        assert choice["models"][m]["openwakeword"] >= 0.5 and choice["models"][m]["microwakeword"] >= 0.9
    assert choice["models"]["hey_jarvis"]["openwakeword"] == 0.999  # all voices heard: the strictest pair


def test_benchmark_folder_that_is_not_one_says_how_to_get_it(tmp_path):
    with pytest.raises(HubError, match="not the Picovoice wake-word-benchmark.*git clone"):
        bd.benchmark_audio(tmp_path, tmp_path / "cache")


def test_noise_is_mixed_at_the_asked_snr():
    rng = np.random.default_rng(1)
    speech = np.concatenate([np.zeros(8000), 0.1 * np.sin(np.arange(16000) / 5)]).astype(np.float32)
    noise = bd.household_noise(len(speech), rng)
    mixed = bd.scale_to_snr(speech, noise, 10.0)
    assert 10 * np.log10(bd.active_power(speech) / np.mean(mixed ** 2)) == pytest.approx(10.0, abs=0.01)


# ---------------------------------------------------------------- real models


def sample(name: str) -> np.ndarray:
    return read_wav(SAMPLES / name)


def wake_sample() -> tuple[str, dict]:
    doc = yaml.safe_load((SAMPLES / "samples.yaml").read_text())
    return next((s["file"], s) for s in doc["samples"] if s["wake_word"] == "hey jarvis")


@pytest.mark.slow
def test_default_stage_wakes_on_a_real_sample_and_not_on_silence_or_noise():
    cfg = load_config(ROOT / "config.yaml").hub.wake_word
    stage = full_set_stage(WakeWordDetector(cfg), cfg)
    name, entry = wake_sample()
    found = [d for f in frames(sample(name)) if (d := stage.process(f))]
    assert len(found) == 1 and found[0].timestamp_ms <= entry["command_start_ms"] + FRAME_MS
    rng = np.random.default_rng(0)
    for audio in (np.zeros(16000 * 5, np.int16), bd.to_int16(0.1 * bd.household_noise(16000 * 5, rng)),
                  bd.to_int16(0.1 * bd.music(16000 * 5, rng))):
        stage.reset()
        assert [d for f in frames(audio) if (d := stage.process(f))] == []


@pytest.mark.slow
def test_gate_and_second_stage_on_real_models():
    from hub.vad.silero import SileroVad

    name, entry = wake_sample()
    wake = sample(name)[:(entry["wake_detect_ms"] + 400) * 16]  # up to just after the wake word
    noise = bd.to_int16(0.2 * bd.household_noise(16000 * 2, np.random.default_rng(3)))
    gate = VoiceGate(SileroVad(), 200, 2000)
    second = SecondStage(MicroWakeWordDetector(WakeWordConfig(model="hey_jarvis")), 0.5, 2000)
    for f in frames(wake):
        gate.process(f)
        second.process(f)
    assert gate.passes() and second.passes()
    gate.reset()
    second.reset()
    for f in frames(noise):
        gate.process(f)
        second.process(f)
    assert gate.speech_ms() < 200 and second.score() < 0.5


@pytest.mark.slow
def test_either_engine_on_real_models():
    """hey_jarvis with microWakeWord beside openWakeWord wakes once on a real sample; a model
    microWakeWord does not ship (hey_rhasspy) runs openWakeWord alone; silence wakes neither."""
    name, entry = wake_sample()
    cfg = WakeWordConfig(model="hey_jarvis", either_engine={"threshold": 0.5})
    stage = full_set_stage(WakeWordDetector(cfg), cfg)
    assert isinstance(stage, WakeStage) and isinstance(stage.detector, EitherEngine)
    found = [d for f in frames(sample(name)) if (d := stage.process(f))]
    assert len(found) == 1 and found[0].name == "hey_jarvis"
    assert found[0].timestamp_ms <= entry["command_start_ms"] + FRAME_MS
    stage.reset()
    assert [d for f in frames(np.zeros(16000 * 3, np.int16)) if (d := stage.process(f))] == []
    rhasspy = WakeWordConfig(model="hey_rhasspy", either_engine={"threshold": 0.5}, vad_gate_ms=0)
    assert isinstance(full_set_stage(WakeWordDetector(rhasspy), rhasspy), WakeWordDetector)


@pytest.mark.slow
def test_bench_decides_as_the_running_stage(tmp_path):
    """The bench's decisions from traces equal WakeStage's on the same audio: a wake word sample,
    then the same sample under loud talk-like noise."""
    from hub.vad.silero import SileroVad

    name, _ = wake_sample()
    clean = sample(name).astype(np.float32) / 32768
    noisy = clean + bd.scale_to_snr(clean, bd.household_noise(len(clean), np.random.default_rng(5)), 0.0)
    audio = np.concatenate([clean, noisy, clean])
    stream = bd.Stream("check", audio)
    audio16 = bd.to_int16(audio)
    scorers = b.Scorers()
    scores = b.trace(scorers, stream, audio16, "openwakeword", "hey_jarvis", tmp_path)
    checks = b.Checks(b.vad_trace(scorers, stream, audio16, "openwakeword", tmp_path),
                      b.trace(scorers, stream, audio16, "micro", "hey_jarvis", tmp_path))
    micro = b.trace(scorers, stream, audio16, "micro", "hey_jarvis", tmp_path)
    found = {}
    for v in (b.Variant("base"), b.Variant("all", smoothing=2, gate_ms=300, second=0.9),
              b.Variant("either", either=0.5), b.Variant("gated either", gate_ms=64, either=0.3),
              b.Variant("strict gate", gate_ms=1500, either=0.3),
              b.Variant("strict gate, both skip it", gate_ms=1500, either=0.3, agree=True)):
        for threshold in (0.3, 0.9):
            cfg = WakeWordConfig(model="hey_jarvis", threshold=threshold, smoothing_frames=v.smoothing,
                                 vad_gate_ms=v.gate_ms, confirm_wait_ms=b.WAIT_MS, both_engines_skip_gate=v.agree,
                                 second_stage={"threshold": v.second} if v.second else None,
                                 either_engine={"threshold": v.either} if v.either else None)
            stage = full_set_stage(WakeWordDetector(cfg), cfg)
            live = [d.timestamp_ms for f in frames(audio16) if (d := stage.process(f))]
            proposed, both = b.candidates(scores, threshold, v.smoothing), None
            if v.either:
                other = b.candidates(micro, v.either, v.smoothing)
                if v.agree:
                    both = b.both_heard(proposed, other, len(scores))
                proposed = b.either_candidates(proposed, other)
            offline = [(e + 1) * FRAME_MS for e in b.accepted(proposed, checks, v, both)]
            assert live == offline, (v, threshold)
            found[v.name, threshold] = len(live)
    # the strict gate refused a word both engines heard, and skipping it kept the word
    assert found["strict gate, both skip it", 0.3] > found["strict gate", 0.3]
