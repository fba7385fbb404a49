"""Silero VAD and the endpointer, with the real model on espeak-ng speech."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from hub.audio.wav import frames, read_wav
from hub.config import Options, WakeWordConfig
from hub.errors import HubError
from hub.types import AudioFrame
from hub.vad.endpointer import PREROLL_MS, Endpointer
from hub.vad.silero import SileroVad
from hub.wake.openwakeword import WakeWordDetector


pytestmark = pytest.mark.slow


def speak(tmp_path, text: str) -> np.ndarray:
    """espeak-ng speech as (n,) int16 at 16 kHz, leading and trailing silence cut off."""
    path = tmp_path / "speech.wav"
    subprocess.run(["espeak-ng", "-w", str(path), text], check=True)
    x = read_wav(path)
    loud = np.flatnonzero(np.abs(x) > 300)
    return x[loud[0] : loud[-1] + 1]


def silence(ms: int) -> np.ndarray:
    return np.zeros(ms * 16, np.int16)


def ms(x: np.ndarray) -> int:
    return len(x) // 16


@pytest.fixture(scope="module")
def vad():
    return SileroVad()


def run(endpointer: Endpointer, audio: np.ndarray, start_ms: int = 0):
    """Feed audio from ``start_ms`` (stream time 0 = audio start); the Utterance, or finish()'s."""
    endpointer.start(start_ms)
    last = 0
    for f in frames(audio):
        last = f.timestamp_ms + 80
        if (u := endpointer.process(f)) is not None:
            return u
    return endpointer.finish(last)


def test_vad_scores_speech_high_and_silence_noise_low(vad, tmp_path):
    vad.reset()
    speech = np.array(vad.process(speak(tmp_path, "turn on the kitchen light")))
    vad.reset()
    quiet = np.array(vad.process(silence(2000)))
    vad.reset()
    noise = np.array(vad.process((np.random.default_rng(0).standard_normal(32000) * 2000).astype(np.int16)))
    assert speech.max() > 0.9 and (speech > 0.5).mean() > 0.5
    assert quiet.max() < 0.1 and noise.max() < 0.2
    assert len(quiet) == 2000 * 16 // 512


def test_vad_streaming_equals_one_call(vad, tmp_path):
    audio = speak(tmp_path, "set the bedroom lights to fifty percent")
    vad.reset()
    whole = vad.process(audio)
    vad.reset()
    pieces = []
    for start in range(0, len(audio), 1280):
        pieces += vad.process(audio[start : start + 1280])
    assert len(pieces) == len(whole) == len(audio) // 512
    np.testing.assert_allclose(pieces, whole, atol=1e-5)


def test_pause_inside_a_command_does_not_cut_it(vad, tmp_path):
    first, second = speak(tmp_path, "skip"), speak(tmp_path, "and space")
    audio = np.concatenate([silence(300), first, silence(500), second, silence(2000)])
    u = run(Endpointer(Options(), vad), audio)
    speech_end = 300 + ms(first) + 500 + ms(second)
    assert u.reason == "silence"
    assert speech_end - 100 <= u.last_voice_ms <= speech_end + 150
    assert u.speech_ms > ms(first) + ms(second) - 200


def test_endpoint_after_the_configured_silence(vad, tmp_path):
    command = speak(tmp_path, "turn on the kitchen light")
    audio = np.concatenate([silence(400), command, silence(3000)])
    u = run(Endpointer(Options(endpoint_silence_ms=700), vad), audio)
    assert u.reason == "silence"
    assert 700 <= u.end_ms - u.last_voice_ms <= 700 + 80 + 32
    assert abs(u.last_voice_ms - (400 + ms(command))) <= 150
    # Samples and times agree; the audio starts with the pre-roll before the first voiced window.
    assert u.end_ms - u.start_ms == ms(u.samples)
    assert 400 - PREROLL_MS - 100 <= u.start_ms <= 400 - PREROLL_MS + 100


def test_a_longer_pause_ends_the_utterance(vad, tmp_path):
    first, second = speak(tmp_path, "skip"), speak(tmp_path, "and space")
    audio = np.concatenate([silence(300), first, silence(1200), second, silence(2000)])
    u = run(Endpointer(Options(endpoint_silence_ms=700), vad), audio)
    assert u.reason == "silence"
    assert u.last_voice_ms < 300 + ms(first) + 150


def test_max_length_cuts_a_long_utterance(vad, tmp_path):
    talk = speak(tmp_path, "one two three four five six seven eight nine ten eleven twelve")
    u = run(Endpointer(Options(max_utterance_ms=2000), vad), np.concatenate([talk, silence(1000)]))
    assert u.reason == "max_length"
    assert 2000 <= u.end_ms <= 2080
    assert u.last_voice_ms is not None and u.speech_ms > 1000


def test_no_speech_after_the_wake_word(vad):
    u = run(Endpointer(Options(no_speech_timeout_ms=3000), vad), silence(5000), start_ms=0)
    assert u.reason == "no_speech"
    assert 3000 <= u.end_ms <= 3080
    assert u.last_voice_ms is None and u.speech_ms == 0


def test_noise_is_no_speech(vad):
    noise = (np.random.default_rng(1).standard_normal(16000 * 5) * 2000).astype(np.int16)
    u = run(Endpointer(Options(), vad), noise)
    assert u.reason == "no_speech" and u.last_voice_ms is None


def test_a_short_burst_is_not_speech(vad, tmp_path):
    burst = speak(tmp_path, "and space")[: 60 * 16]
    u = run(Endpointer(Options(), vad), np.concatenate([silence(500), burst, silence(4000)]))
    assert u.reason == "no_speech"


def test_stream_ending_mid_command(vad, tmp_path):
    command = speak(tmp_path, "turn on the kitchen light")
    e = Endpointer(Options(), vad)
    u = run(e, np.concatenate([silence(200), command]))
    assert u.reason == "end_of_stream" and u.last_voice_ms is not None
    assert not e.listening and e.finish(10_000) is None
    assert run(e, silence(400)).reason == "no_speech"


def test_frames_before_start_are_ignored_and_gaps_refused(vad):
    e = Endpointer(Options(), vad)
    e.start(800)
    zero = np.zeros(1280, np.int16)
    assert e.process(AudioFrame(zero, 640)) is None  # ends at 720, before the start
    e.process(AudioFrame(zero, 800))
    with pytest.raises(HubError, match="not contiguous"):
        e.process(AudioFrame(zero, 1040))


LIBRIVOX = sorted(Path("/usr/share/pocketsphinx/test/data/librivox").glob("*.wav"))


@pytest.mark.skipif(not LIBRIVOX, reason="Debian pocketsphinx-testdata is not installed")
@pytest.mark.parametrize("clip", LIBRIVOX, ids=lambda p: p.stem[-4:])
def test_real_read_sentences_are_one_utterance_each(vad, clip):
    """LibriVox sentences (human speech with natural pauses) are not cut before their end."""
    speech = read_wav(clip)
    audio = np.concatenate([silence(250), speech, silence(2000)])
    e = Endpointer(Options(), vad)
    utterances = []
    for f in frames(audio):
        if not e.listening:
            e.start(f.timestamp_ms)
        if (u := e.process(f)) is not None:
            utterances.append(u)
    assert [u.reason for u in utterances] == ["silence"]
    assert utterances[0].last_voice_ms <= 250 + ms(speech) + 100  # the VAD lags the sound by a window or two
    assert utterances[0].speech_ms > ms(speech) // 2


def test_wake_word_then_command(vad, tmp_path):
    """The stages together: the detector's timestamp starts the endpointer on the same stream."""
    audio = np.concatenate([silence(1000), speak(tmp_path, "hey jarvis, turn on the kitchen light"), silence(2000)])
    detector = WakeWordDetector(WakeWordConfig())
    endpointer = Endpointer(Options(), vad)
    utterances = []
    for f in frames(audio):
        if endpointer.listening:
            if (u := endpointer.process(f)) is not None:
                utterances.append(u)
        elif (d := detector.process(f)) is not None:
            endpointer.start(d.timestamp_ms)
    assert len(utterances) == 1
    u = utterances[0]
    assert u.reason == "silence"
    assert u.start_ms >= 1000 and u.speech_ms >= 800
    assert abs(u.last_voice_ms - (ms(audio) - 2000)) <= 150


def test_a_pause_is_handed_out_once_and_a_stale_early_end_is_ignored(vad, tmp_path):
    first, second = speak(tmp_path, "turn on the"), speak(tmp_path, "kitchen light")
    audio = np.concatenate([silence(300), first, silence(600), second, silence(2000)])
    e = Endpointer(Options(endpoint_pause_ms=150, endpoint_early_ms=250), vad)
    e.start(0)
    pauses, u = [], None
    for f in frames(audio):
        if (u := e.process(f)) is not None:
            break
        if (p := e.pause()) is not None:
            pauses.append(p)
            if len(pauses) == 1:
                assert e.pause() is None  # once per pause
                assert abs(p.last_voice_ms - (300 + ms(first))) <= 150
                assert len(p.samples) // 16 == f.timestamp_ms + 80 - p.start_ms
    assert len(pauses) == 2 and u.reason == "silence"
    assert e.end_early(pauses[0].last_voice_ms) is None  # no longer listening
    # the first pause's words declared complete only after speech resumed: ignored
    e.start(0)
    for f in frames(audio):
        e.process(f)
        if f.timestamp_ms == 300 + ms(first) + 800:
            assert e.end_early(pauses[0].last_voice_ms) is None


def test_an_early_end_waits_for_its_silence(vad, tmp_path):
    command = speak(tmp_path, "turn on the kitchen light")
    audio = np.concatenate([silence(300), command, silence(2000)])
    e = Endpointer(Options(endpoint_pause_ms=150, endpoint_early_ms=400), vad)
    e.start(0)
    for f in frames(audio):
        if (u := e.process(f)) is not None:
            break
        if (p := e.pause()) is not None:
            assert e.end_early(p.last_voice_ms) is None  # 150-230 ms of silence heard: not yet 400
    assert u.reason == "meaning" and 400 <= u.end_ms - u.last_voice_ms <= 400 + 80 + 32
