"""Audio bombs: a WAV header that claims an absurd rate, channel count, size or length is refused
from the header alone, before any decoding or resampling, naming the file (or request) and the
field. `hub bench audio` measures the time and memory each such file costs."""

import struct

import numpy as np
import pytest

from hub.audio import wav
from hub.audio.wav import check_wav, decode_wav, read_wav
from hub.errors import AudioError, AudioTooLong
from hub.wyoming.audio import audio_format


def header(rate: int, channels: int = 1, bits: int = 16, data_size: int | None = None, body: bytes = b"",
           fmt_size: int = 16, tag: int = wav.PCM) -> bytes:
    """A RIFF/WAVE file: a 'fmt ' chunk with these fields, then a 'data' chunk claiming
    ``data_size`` bytes (default: the body's length) followed by ``body``."""
    block = channels * bits // 8 & 0xFFFF
    fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * block & 0xFFFFFFFF, block, bits)
    fmt = fmt.ljust(fmt_size, b"\0") if fmt_size >= 16 else fmt
    data = b"data" + struct.pack("<I", len(body) if data_size is None else data_size) + body
    chunks = b"WAVE" + b"fmt " + struct.pack("<I", fmt_size) + fmt + data
    return b"RIFF" + struct.pack("<I", len(chunks) & 0xFFFFFFFF) + chunks


NOISE = (np.random.default_rng(0).standard_normal(50_000) * 300).astype("<i2").tobytes()
"""100 kB of 16-bit samples: 6 s at 8 kHz, 50,000 s if the header says 1 Hz."""

BOMBS = [
    ("rate_1hz", header(1, body=NOISE), "sample rate 1 Hz"),
    ("rate_8hz", header(8, body=NOISE), "sample rate 8 Hz"),
    ("rate_just_below", header(7999, body=NOISE), "sample rate 7,999 Hz"),
    ("rate_too_high", header(192_001, body=NOISE), "sample rate 192,001 Hz"),
    ("rate_max_u32", header(0xFFFFFFFF, body=NOISE), "sample rate 4,294,967,295 Hz"),
    ("no_channels", header(16000, channels=0, body=NOISE), "0 channels"),
    ("channels_33", header(16000, channels=33, body=NOISE), "33 channels"),
    ("channels_65535", header(16000, channels=65535, body=NOISE), "65535 channels"),
    ("size_beyond_file", header(16000, data_size=10_000_000, body=NOISE), "cut off.*10,000,000 bytes"),
    ("fmt_chunk_huge", header(16000, fmt_size=0x7FFFFFF0, body=NOISE), "'fmt ' chunk claims"),
]


@pytest.fixture
def no_work(monkeypatch):
    """Fails a test that resamples or decodes: a refused header must cost neither."""
    def forbidden(*args, **kwargs):
        raise AssertionError("decoding or resampling started before the header was refused")
    monkeypatch.setattr(wav.soxr, "ResampleStream", forbidden)
    monkeypatch.setattr(wav, "_decode", forbidden)


@pytest.mark.parametrize("name,data,message", BOMBS, ids=[b[0] for b in BOMBS])
def test_absurd_header_is_refused_before_any_work(tmp_path, no_work, name, data, message):
    path = tmp_path / f"{name}.wav"
    path.write_bytes(data)
    for read in (read_wav, check_wav):
        with pytest.raises(AudioError, match=message) as e:
            read(path)
        assert str(e.value).startswith(f"{path}: ")
    with pytest.raises(AudioError, match=message) as e:
        decode_wav(data, "POST /api/speech body")
    assert str(e.value).startswith("POST /api/speech body: ")


def test_longer_than_the_limit_is_refused_from_the_header(tmp_path, no_work):
    path = tmp_path / "two_hours.wav"
    seconds = 2 * 3600
    path.write_bytes(header(8000, bits=8, data_size=8000 * seconds))
    with open(path, "r+b") as f:  # sparse: the size is real, nothing is written
        f.truncate(len(header(8000, bits=8)) + 8000 * seconds)
    with pytest.raises(AudioTooLong, match=r"7,200.0 s of audio.*'data' chunk of 57,600,000 bytes.*at most 3600 s") as e:
        check_wav(path)
    assert str(e.value).startswith(f"{path}: ")
    with pytest.raises(AudioTooLong):
        read_wav(path)


def test_each_caller_sets_its_own_limit(tmp_path):
    three_seconds = header(8000, body=NOISE[: 8000 * 2 * 3])
    assert len(decode_wav(three_seconds, "body", max_seconds=3.0)) == 3 * 16000
    with pytest.raises(AudioTooLong, match="body: 3.0 s of audio .*at most 2.5 s"):
        decode_wav(three_seconds, "body", max_seconds=2.5)
    path = tmp_path / "three.wav"
    path.write_bytes(three_seconds)
    assert check_wav(path) == 3.0


def test_sane_edges_are_read(tmp_path):
    for rate, channels in ((8000, 1), (192_000, 1), (16000, 32)):
        body = bytes(rate * channels * 2 // 10)  # 0.1 s of silence
        x = decode_wav(header(rate, channels=channels, body=body), "body")
        assert x.dtype == np.int16 and abs(len(x) - 1600) <= 2


def test_a_streamed_size_reads_to_the_end_and_a_cut_off_file_does_not():
    body = NOISE[:16000]
    assert len(decode_wav(header(16000, data_size=0xFFFFFFFF, body=body), "body")) == 8000
    with pytest.raises(AudioError, match="cut off"):
        decode_wav(header(16000, data_size=len(body) + 2, body=body), "body")


@pytest.mark.parametrize("data,message", [({"rate": 8, "width": 2, "channels": 1}, "rate 8 Hz"),
                                          ({"rate": 16000, "width": 2, "channels": 33}, "33 channels")])
def test_wyoming_streams_share_the_limits(data, message):
    with pytest.raises(AudioError, match=message):
        audio_format(data)
