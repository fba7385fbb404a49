"""Our openWakeWord runner against the library itself: the same scores frame by frame.

The library is imported here only, as the reference; the hub runs the ONNX files without it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from hub import modelset
from hub.audio.wav import frames, read_wav
from hub.config import WakeWordConfig
from hub.wake.openwakeword import WakeWordDetector
from hub.wake.trigger import Trigger

pytestmark = pytest.mark.slow

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
NAMES = ("hey_jarvis", "alexa", "hey_mycroft", "hey_rhasspy")


@pytest.fixture(scope="module")
def ours():
    return WakeWordDetector(WakeWordConfig(model="hey_jarvis"), also=NAMES[1:])


def library(names):
    from openwakeword.model import Model

    return Model(wakeword_models=[str(modelset.packaged_file(f"wake/{n}")) for n in names],
                 inference_framework="onnx",
                 melspec_model_path=str(modelset.packaged_file("openwakeword/melspectrogram")),
                 embedding_model_path=str(modelset.packaged_file("openwakeword/embedding")))


def both_scores(ours, reference, audio: np.ndarray, names=NAMES) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """(frames, models) scores of ours and of ``Model.predict``, both from our reset state (the
    library seeds its embedding history with unseeded noise, so it gets ours); and the end (ms)
    of each frame where ours detected its wake word."""
    ours.reset()
    reference.reset()
    pre = reference.preprocessor
    pre.raw_data_buffer.clear()
    pre.melspectrogram_buffer = np.ones((76, 32))
    pre.accumulated_samples, pre.raw_data_remainder = 0, np.empty(0)
    pre.feature_buffer = ours._features.embeddings.copy()
    a, b, found = [], [], []
    for f in frames(audio):
        if d := ours.process(f):
            found.append(d.timestamp_ms)
        a.append([ours.last_scores[n] for n in names])
        scores = reference.predict(f.samples)
        b.append([float(scores[f"{n}_v0.1"]) for n in names])
    return np.array(a), np.array(b), found


def test_scores_equal_the_library_on_samples_noise_and_silence(ours):
    reference = library(NAMES)
    rng = np.random.default_rng(1)
    clips = [read_wav(p) for p in sorted(SAMPLES.glob("*.wav"))]
    clips += [np.zeros(16000 * 3, np.int16), (rng.standard_normal(16000 * 5) * 3000).astype(np.int16)]
    peak = np.zeros(len(NAMES))
    for audio in clips:
        a, b, _ = both_scores(ours, reference, audio)
        np.testing.assert_allclose(a, b, atol=1e-5, rtol=0)
        peak = np.maximum(peak, a.max(axis=0))
    assert peak[0] > 0.9  # the samples say "hey jarvis"; the other models are scored too
    assert (peak[1:] > 0).all()


def test_shipped_detector_fires_as_on_the_library_scores():
    """The shipped config (hey_jarvis alone, its threshold and smoothing): the same detections as
    the library's scores through the same trigger, on every sample that says the wake word only."""
    cfg = WakeWordConfig()
    ours, reference = WakeWordDetector(cfg), library(["hey_jarvis"])
    theirs = Trigger(ours.threshold, cfg.smoothing_frames, cfg.refractory_ms)
    for s in yaml.safe_load((SAMPLES / "samples.yaml").read_text())["samples"]:
        theirs.reset()
        _, b, found = both_scores(ours, reference, read_wav(SAMPLES / s["file"]), names=["hey_jarvis"])
        expected = [80 * (i + 1) for i, score in enumerate(b[:, 0]) if theirs.update(score, 80 * (i + 1)) is not None]
        assert found == expected and len(found) == (s["wake_word"] is not None), s["file"]


def test_reset_restores_the_seeded_start_state():
    audio = read_wav(SAMPLES / "01_kitchen_light_on.wav")

    def run(detector):
        detector.reset()
        return [detector.score(f) for f in frames(audio)]

    one, two = WakeWordDetector(WakeWordConfig()), WakeWordDetector(WakeWordConfig())
    first = run(one)
    assert first[:5] == [0.0] * 5 and first[5] > 0  # openWakeWord's warm-up frames for one model
    assert run(one) == first == run(two)


def test_the_full_set_loads_neither_openwakeword_nor_sklearn():
    code = ("import sys\nfrom hub.config import WakeWordConfig\nfrom hub.wake.confirm import full_set_stage\n"
            "from hub.wake.openwakeword import WakeWordDetector\n"
            "cfg = WakeWordConfig()\nfull_set_stage(WakeWordDetector(cfg), cfg)\n"
            "print(sorted(m for m in ('openwakeword', 'sklearn', 'scipy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
