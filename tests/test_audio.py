"""Audio capture: WAV reading and conversion, framing, microphone errors and hand-over."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest

from hub.audio.mic import CaptureQueue, FrameAssembler, list_input_devices, mic_frames
from hub.audio.wav import IEEE_FLOAT, PCM, frames, read_wav, wav_frames
from hub.errors import AudioError
from hub.types import FRAME_SAMPLES, SAMPLE_RATE

TONE_HZ = 440
REPO = Path(__file__).resolve().parent.parent


def tone(seconds: float, rate: int, amplitude: float = 0.5) -> np.ndarray:
    """(n,) float64 sine in [-1, 1]."""
    t = np.arange(int(seconds * rate)) / rate
    return amplitude * np.sin(2 * np.pi * TONE_HZ * t)


def write_wav(path, audio: np.ndarray, rate: int, bits: int = 16, tag: int = PCM) -> None:
    """Write (n,) or (n, ch) float audio in [-1, 1] as a RIFF/WAVE file with the given encoding."""
    audio = audio if audio.ndim == 2 else audio[:, None]
    channels = audio.shape[1]
    if tag == IEEE_FLOAT:
        data = audio.astype("<f4" if bits == 32 else "<f8").tobytes()
    elif bits == 8:
        data = np.clip(audio * 128 + 128, 0, 255).astype(np.uint8).tobytes()
    elif bits == 24:
        ints = np.clip(audio * 2**23, -(2**23), 2**23 - 1).astype("<i4")
        data = ints.view(np.uint8).reshape(-1, 4)[:, :3].tobytes()
    else:
        dtype = {16: "<i2", 32: "<i4"}[bits]
        scale = 2 ** (bits - 1)
        data = np.clip(audio * scale, -scale, scale - 1).astype(dtype).tobytes()
    block = channels * bits // 8
    fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * block, block, bits)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)


def dominant_hz(x: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(x.astype(np.float64)))
    return float(np.argmax(spectrum) * SAMPLE_RATE / len(x))


@pytest.mark.parametrize(
    "rate,channels,bits,tag",
    [
        (16000, 1, 16, PCM),
        (8000, 1, 8, PCM),
        (22050, 1, 24, PCM),
        (44100, 1, 32, PCM),
        (48000, 2, 16, PCM),
        (48000, 2, 32, IEEE_FLOAT),
        (16000, 1, 64, IEEE_FLOAT),
        (11025, 6, 16, PCM),
    ],
)
def test_any_format_becomes_16k_mono_int16(tmp_path, rate, channels, bits, tag):
    path = tmp_path / "tone.wav"
    write_wav(path, np.repeat(tone(1.0, rate)[:, None], channels, axis=1), rate, bits, tag)
    x = read_wav(path)
    assert x.dtype == np.int16 and x.ndim == 1
    assert abs(len(x) - SAMPLE_RATE) <= 2
    assert abs(dominant_hz(x) - TONE_HZ) < 2
    assert 0.4 < np.abs(x).max() / 32768 < 0.6


def test_channels_are_averaged(tmp_path):
    path = tmp_path / "stereo.wav"
    left = tone(0.5, 16000)
    write_wav(path, np.stack([left, np.zeros_like(left)], axis=1), 16000)
    x = read_wav(path)
    assert 0.2 < np.abs(x).max() / 32768 < 0.3


def test_stdlib_wave_file_is_exact(tmp_path):
    path = tmp_path / "pcm16.wav"
    samples = (tone(0.3, 16000) * 32767).astype(np.int16)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(samples.tobytes())
    np.testing.assert_array_equal(read_wav(path), samples)


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "empty file"),
        (b"hello, this is a text file\n", "not a WAV file"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "not a WAV file"),
        (b"RIFF\x04\x00\x00\x00WAVE", "truncated"),
    ],
)
def test_not_audio_is_a_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(AudioError, match=message) as e:
        read_wav(path)
    assert str(path) in str(e.value)


def test_zero_length_data_is_a_clear_error(tmp_path):
    path = tmp_path / "nothing.wav"
    write_wav(path, np.zeros((0, 1)), 16000)
    with pytest.raises(AudioError, match="no audio") as e:
        read_wav(path)
    assert str(path) in str(e.value)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(AudioError, match="no such file"):
        read_wav(tmp_path / "missing.wav")
    with pytest.raises(AudioError, match="directory"):
        read_wav(tmp_path)


def test_unsupported_encoding_names_it(tmp_path):
    path = tmp_path / "mulaw.wav"
    fmt = struct.pack("<HHIIHH", 7, 1, 8000, 8000, 1, 8)
    body = b"WAVEfmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", 4) + bytes(4)
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    with pytest.raises(AudioError, match="unsupported WAV encoding.*0x0007"):
        read_wav(path)


def test_streamed_wav_with_oversized_data_length_reads_to_end(tmp_path):
    path = tmp_path / "streamed.wav"
    write_wav(path, tone(0.5, 16000), 16000)
    raw = bytearray(path.read_bytes())
    raw[40:44] = struct.pack("<I", 0xFFFFFFFF)  # what writers to a pipe leave in the data size
    path.write_bytes(bytes(raw))
    assert len(read_wav(path)) == 8000


def test_silence_reads_as_zeros(tmp_path):
    path = tmp_path / "silence.wav"
    write_wav(path, np.zeros(48000 * 2), 48000, 16)
    x = read_wav(path)
    assert len(x) == 32000 and not x.any()


def test_frames_cut_pad_and_timestamp():
    x = np.arange(3000, dtype=np.int16)
    out = list(frames(x, start_ms=1000))
    assert [f.timestamp_ms for f in out] == [1000, 1080, 1160]
    assert all(f.samples.shape == (FRAME_SAMPLES,) and f.samples.dtype == np.int16 for f in out)
    np.testing.assert_array_equal(np.concatenate([f.samples for f in out])[:3000], x)
    assert not out[-1].samples[3000 - 2 * FRAME_SAMPLES :].any()
    assert list(frames(np.zeros(0, np.int16))) == []
    with pytest.raises(AudioError, match="int16"):
        list(frames(np.zeros(10, np.float32)))


def test_ten_minute_file_streams(tmp_path):
    path = tmp_path / "long.wav"
    rng = np.random.default_rng(0)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        for _ in range(10):  # a minute at a time, as a recorder would write it
            w.writeframes((rng.standard_normal(16000 * 60) * 300).astype(np.int16).tobytes())
    count, last = 0, None
    for f in wav_frames(path):
        count += 1
        last = f.timestamp_ms
    assert count == 600 * 1000 // 80
    assert last == 600_000 - 80


def test_long_48k_stereo_file_converts(tmp_path):
    path = tmp_path / "long48.wav"
    minutes = 2
    noise = (np.random.default_rng(1).standard_normal((48000 * 6, 2)) * 300).astype("<i2").tobytes()
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(48000)
        for _ in range(minutes * 10):
            w.writeframes(noise)
    x = read_wav(path)
    assert abs(len(x) - minutes * 60 * SAMPLE_RATE) <= 16


def test_no_input_device_lists_what_was_found():
    if list_input_devices():
        pytest.skip("this machine has an input device")
    with pytest.raises(AudioError) as e:
        mic_frames()
    msg = str(e.value)
    assert "no microphone" in msg and "Devices PortAudio found" in msg and "--wav" in msg


def test_unknown_device_name_is_refused():
    with pytest.raises(AudioError, match="no-such-device-xyz"):
        mic_frames("no-such-device-xyz")


MIC_SCRIPT = """
import itertools
from hub.audio.mic import Microphone
mic = Microphone()
got = list(itertools.islice(mic.frames(), 12))
print(mic.device.name, mic.rate, mic.channels)
print(" ".join(str(f.timestamp_ms) for f in got))
print(all(f.samples.shape == (1280,) and str(f.samples.dtype) == "int16" for f in got))
"""


def test_mic_streams_frames_from_a_real_portaudio_device(tmp_path):
    """The whole capture path (InputStream, callback, queue, frames) on ALSA's null
    device, which PortAudio sees as an ordinary input; in a subprocess because
    PortAudio reads the ALSA configuration once, at import."""
    conf = tmp_path / "asound.conf"
    conf.write_text("pcm.!default { type null }\nctl.!default { type hw card 0 }\n")
    env = {**os.environ, "ALSA_CONFIG_PATH": str(conf), "PYTHONPATH": str(REPO)}
    run = subprocess.run([sys.executable, "-c", MIC_SCRIPT], env=env, capture_output=True, text=True, timeout=60)
    if "no microphone" in run.stderr:
        pytest.skip("PortAudio here has no ALSA host API")
    assert run.returncode == 0, run.stderr
    name, timestamps, shapes_ok = run.stdout.strip().splitlines()
    assert name.startswith("default ")
    assert timestamps == " ".join(str(80 * i) for i in range(12))
    assert shapes_ok == "True"


def test_capture_queue_drops_oldest_and_counts():
    q = CaptureQueue(max_blocks=3)
    for i in range(5):
        q.put(np.full(4, i, np.int16))
    assert q.dropped == 2
    assert [int(q.get(0.01)[0]) for _ in range(3)] == [2, 3, 4]
    assert q.get(0.01) is None


def test_frame_assembler_resamples_device_blocks():
    rate = 48000
    stereo = np.repeat((tone(1.0, rate) * 32767).astype(np.int16)[:, None], 2, axis=1)
    asm = FrameAssembler(rate, channels=2)
    out = []
    for start in range(0, len(stereo), 3840):  # 80 ms device blocks
        out += asm.push(stereo[start : start + 3840])
    assert [f.timestamp_ms for f in out] == [80 * i for i in range(len(out))]
    assert len(out) >= 11  # 12.5 frames of audio, minus the resampler's delay
    x = np.concatenate([f.samples for f in out])
    assert abs(dominant_hz(x[2000:]) - TONE_HZ) < 3
