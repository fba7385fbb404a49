"""Spoken replies with the real Piper joe voice, checked by the real whisper model."""

from __future__ import annotations

import wave

import numpy as np
import pytest
import soxr

from hub.asr.bench import word_error_rate
from hub.asr.whisper import WhisperTranscriber
from hub.errors import AudioError, HubError
from hub.reply.tts import PiperSpeaker
from hub.types import SAMPLE_RATE

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def speaker() -> PiperSpeaker:
    return PiperSpeaker()


@pytest.fixture(scope="module")
def repeatable() -> PiperSpeaker:
    return PiperSpeaker(noise_scale=0.0, noise_w_scale=0.0)


@pytest.fixture(scope="module")
def asr() -> WhisperTranscriber:
    return WhisperTranscriber([])


def test_synthesize_gives_int16_speech_at_22050(speaker):
    samples, rate = speaker.synthesize("The kitchen light is on.")
    assert rate == 22050 and samples.dtype == np.int16 and samples.ndim == 1
    assert 0.8 < len(samples) / rate < 4.0
    assert np.abs(samples).max() > 10_000


def test_blank_text_gives_no_audio(speaker):
    samples, rate = speaker.synthesize("   ")
    assert samples.size == 0 and samples.dtype == np.int16 and rate == 22050


REPLIES = [
    "The kitchen light is on.",
    "Setting the thermostat to 21 degrees.",
    "The front door is locked.",
    "Movie night is on.",
    "The garage door is open.",
]


def _hear(speaker: PiperSpeaker, asr: WhisperTranscriber, text: str) -> str:
    samples, rate = speaker.synthesize(text)
    return asr.transcribe(soxr.resample(samples, rate, SAMPLE_RATE)).text


@pytest.mark.parametrize("reply", REPLIES)
def test_repeatable_reply_is_heard_back_exactly(asr, repeatable, reply):
    assert word_error_rate(reply, _hear(repeatable, asr, reply)) == 0


def test_repeatable_voice_is_bit_identical(repeatable):
    assert np.array_equal(repeatable.synthesize(REPLIES[0])[0], repeatable.synthesize(REPLIES[0])[0])


def test_natural_replies_are_heard_back(speaker, asr):
    """The voice's own variation is random (the model draws it; it cannot be seeded), so the odd
    word may be misheard (measured over 48 natural replies: 7 had one word wrong, e.g. "what
    device" for "a device"; in one CI run a whole "Movie night is on." was): the bound is on the
    mean word error rate over each reply said twice."""
    replies = 2 * (REPLIES + ["Sorry, I don't know a device called the sauna."])
    wers = [word_error_rate(r, _hear(speaker, asr, r)) for r in replies]
    assert sum(wers) / len(wers) <= 0.15, wers


def test_to_wav_writes_mono_16_bit(speaker, tmp_path):
    path = speaker.to_wav("Movie night is on.", tmp_path / "reply.wav")
    with wave.open(str(path), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 22050)
        assert w.getnframes() > 22050 // 2


def test_to_wav_into_missing_directory_is_a_clear_error(speaker, tmp_path):
    with pytest.raises(AudioError, match="cannot write"):
        speaker.to_wav("hello", tmp_path / "no" / "such" / "dir" / "reply.wav")


def test_missing_voice_file_is_a_clear_error(tmp_path):
    with pytest.raises(HubError, match="does not exist"):
        PiperSpeaker(model_path=tmp_path / "missing.onnx")


def test_play_on_a_missing_device_names_the_devices_found(speaker):
    with pytest.raises(AudioError, match="output devices found"):
        speaker.play("hello", device="no such speaker 42")
