"""The low-power VAD (pymicro-vad in Silero-sized windows) on real speech, silence and noise."""

import subprocess

import numpy as np

from hub.audio.wav import read_wav
from hub.vad import WINDOW_SAMPLES
from hub.vad.micro import MicroVadWindows


def test_speech_scores_high_silence_and_noise_low(tmp_path):
    subprocess.run(["espeak-ng", "-w", str(tmp_path / "s.wav"), "turn on the kitchen light"], check=True)
    speech = read_wav(tmp_path / "s.wav")
    noise = np.random.default_rng(0).normal(0, 300, 32000).astype(np.int16)
    vad = MicroVadWindows()
    probs = vad.process(np.zeros(16000, np.int16))
    assert len(probs) == 16000 // WINDOW_SAMPLES and max(probs) < 0.2
    assert max(vad.process(speech)) > 0.9
    vad.reset()
    assert max(vad.process(noise)) < 0.5


def test_windows_add_up_across_uneven_calls():
    vad = MicroVadWindows()
    audio = np.zeros(16000, np.int16)
    n = sum(len(vad.process(audio[i:i + 333])) for i in range(0, len(audio), 333))
    assert n == len(audio) // WINDOW_SAMPLES
