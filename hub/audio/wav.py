"""WAV files in, 16 kHz mono int16 audio and 80 ms frames out.

The RIFF/WAVE container is parsed here (a dozen lines) rather than with the
stdlib ``wave`` module, because ``wave`` in Python 3.11 rejects IEEE-float and
WAVE_FORMAT_EXTENSIBLE files, which common tools write for 24-bit, 32-bit and
multi-channel audio. Format reference:
https://www.mmsp.ece.mcgill.ca/Documents/AudioFormats/WAVE/WAVE.html
"""

from __future__ import annotations

import io
import struct
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import soxr

from hub.errors import AudioError, AudioTooLong
from hub.types import FRAME_MS, FRAME_SAMPLES, SAMPLE_RATE, AudioFrame

PCM = 0x0001
IEEE_FLOAT = 0x0003
EXTENSIBLE = 0xFFFE
_BLOCK_SECONDS = 4
"""Source audio converted per step, so a long file never exists as float64 all at once."""
MIN_RATE, MAX_RATE = 8_000, 192_000
"""Hz the hub converts from. Outside, a header is refused before any work: resampling 100 kB
that claim 8 Hz to 16 kHz would make 0.8 GB of audio."""
MAX_CHANNELS = 32
"""Channels of one recording (a microphone array has 4 to 16)."""
MAX_FILE_SECONDS = 3600.0
"""Longest WAV file read (``hub run --wav``): an hour is 115 MB at 16 kHz int16, read whole.
The HTTP API and Wyoming have their own, shorter limits (``http.max_audio_s``,
``wyoming.max_audio_s``)."""
_STREAMED_SIZE = 0x7FFF_F000
"""A 'data' size at or above this that runs past the end of the file is a writer's "unknown
length" (written to a pipe: 0xFFFFFFFF, or near 2**31): read to the end. A smaller size that
runs past the end is a file cut off, and refused."""


def read_wav(path: str | Path, max_seconds: float = MAX_FILE_SECONDS) -> np.ndarray:
    """Read a WAV file as 16 kHz mono int16.

    Accepts PCM at 8 (unsigned), 16, 24 or 32 bits, IEEE float at 32 or 64 bits,
    plain or WAVE_FORMAT_EXTENSIBLE, 8 to 192 kHz, 1 to 32 channels. Channels
    are averaged; other rates are resampled with soxr (HQ).

    Returns (n,) int16 at 16 kHz. Raises AudioError naming the file and the field if it
    is missing, empty, not a WAV, an unsupported encoding, a rate or channel count outside
    those, cut off (a 'data' size beyond the end), or holds no audio; AudioTooLong if it
    holds more than ``max_seconds``. Every check is on the header, before any decoding.
    """
    path = Path(path)
    blocks = list(_converted_blocks(path, max_seconds))
    return np.concatenate(blocks) if blocks else np.zeros(0, np.int16)


def decode_wav(data: bytes, where: str = "WAV body", max_seconds: float = MAX_FILE_SECONDS) -> np.ndarray:
    """:func:`read_wav` for a WAV held in memory (an HTTP request body): the same formats,
    checks and conversion, the same errors, naming ``where`` instead of a file."""
    blocks = list(_blocks(io.BytesIO(data), where, max_seconds))
    return np.concatenate(blocks) if blocks else np.zeros(0, np.int16)


def check_wav(path: str | Path, max_seconds: float = MAX_FILE_SECONDS) -> float:
    """Check a WAV file's header without reading its audio: raises AudioError (or AudioTooLong)
    as :func:`read_wav` would. Returns the audio's length in seconds."""
    path = Path(path)
    with _open(path) as f:
        fmt, size = _header(f, path, max_seconds)
    return size // fmt.block_align / fmt.rate


def frames(samples: np.ndarray, start_ms: int = 0) -> Iterator[AudioFrame]:
    """Cut (n,) int16 16 kHz audio into consecutive 80 ms frames.

    Yields AudioFrame of (1280,) int16; frame k starts at ``start_ms + 80*k`` ms
    of stream time. The last frame is zero-padded; no audio gives no frame.
    Frames are views of ``samples`` (no copy) except the padded last one.
    Raises AudioError if ``samples`` is not 1-D int16.
    """
    if samples.ndim != 1 or samples.dtype != np.int16:
        raise AudioError(f"frames() needs (n,) int16 audio, got {samples.dtype} of shape {samples.shape}")
    for offset in range(0, len(samples), FRAME_SAMPLES):
        chunk = samples[offset : offset + FRAME_SAMPLES]
        if len(chunk) < FRAME_SAMPLES:
            chunk = np.concatenate([chunk, np.zeros(FRAME_SAMPLES - len(chunk), np.int16)])
        yield AudioFrame(samples=chunk, timestamp_ms=start_ms + offset * 1000 // SAMPLE_RATE)


def wav_frames(path: str | Path, start_ms: int = 0) -> Iterator[AudioFrame]:
    """:func:`read_wav` then :func:`frames`: a WAV file as a stream of 80 ms frames.

    The whole file is read and checked first, so a bad file raises AudioError
    here, at the call, never mid-stream. (n,) int16 at 16 kHz is 32 kB per second.
    """
    return frames(read_wav(path), start_ms)


def paced(stream: Iterable[AudioFrame]) -> Iterator[AudioFrame]:
    """The frames of ``stream`` in real time, as a microphone gives them: each one once its last
    sample would have been heard (80 ms after its start, counted from the first frame's start).
    A consumer slower than real time gets the late frames at once, never skipped."""
    t0 = first_ms = None
    for frame in stream:
        if t0 is None:
            t0, first_ms = time.perf_counter(), frame.timestamp_ms
        due = t0 + (frame.timestamp_ms - first_ms + FRAME_MS) / 1000
        wait = due - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        yield frame


@dataclass(frozen=True)
class _Format:
    """The fields of a WAVE ``fmt `` chunk that decoding needs."""

    tag: int
    """Format tag: PCM or IEEE_FLOAT (an EXTENSIBLE file's SubFormat)."""
    channels: int
    rate: int
    """Hertz."""
    bits: int
    """Bits per sample."""
    block_align: int
    """Bytes per frame of all channels."""

    def describe(self) -> str:
        kind = {PCM: "PCM", IEEE_FLOAT: "float"}.get(self.tag, f"format 0x{self.tag:04x}")
        return f"{kind} {self.bits}-bit, {self.channels} ch, {self.rate} Hz"


def _open(path: Path) -> BinaryIO:
    try:
        f = open(path, "rb")
    except FileNotFoundError:
        raise AudioError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise AudioError(f"{path}: is a directory, not a WAV file") from None
    except OSError as e:
        raise AudioError(f"{path}: cannot open: {e.strerror or e}") from e
    return f


def _parse_header(f: BinaryIO, path: Path) -> tuple[_Format, int]:
    """Walk the RIFF chunks up to ``data``; returns the format and the data size in bytes."""
    head = f.read(12)
    if not head:
        raise AudioError(f"{path}: empty file (0 bytes), not a WAV file")
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise AudioError(f"{path}: not a WAV file (starts with {head[:12]!r}, expected b'RIFF....WAVE')")
    fmt: _Format | None = None
    while True:
        chunk = f.read(8)
        if len(chunk) < 8:
            what = "no 'fmt ' chunk" if fmt is None else "no 'data' chunk"
            raise AudioError(f"{path}: truncated or malformed WAV ({what})")
        cid, size = chunk[:4], struct.unpack("<I", chunk[4:])[0]
        if cid == b"fmt ":
            if size > _MAX_FMT_BYTES:
                raise AudioError(f"{path}: malformed WAV ('fmt ' chunk claims {size:,} bytes; it has 16 to 40)")
            body = f.read(size + (size & 1))
            if len(body) < 16:
                raise AudioError(f"{path}: malformed WAV ('fmt ' chunk of {len(body)} bytes)")
            tag, channels, rate, _byte_rate, block_align, bits = struct.unpack("<HHIIHH", body[:16])
            if tag == EXTENSIBLE and len(body) >= 26:
                tag = struct.unpack("<H", body[24:26])[0]  # first two bytes of the SubFormat GUID
            fmt = _Format(tag, channels, rate, bits, block_align)
        elif cid == b"data":
            if fmt is None:
                raise AudioError(f"{path}: malformed WAV ('data' before 'fmt ')")
            return fmt, size
        else:
            f.seek(size + (size & 1), 1)


_MAX_FMT_BYTES = 1024


def _header(f: BinaryIO, path: Path | str, max_seconds: float) -> tuple[_Format, int]:
    """The checked format and the bytes of audio to read (whole frames), from the header alone.
    Raises AudioError naming ``path`` and the field, or AudioTooLong."""
    fmt, size = _parse_header(f, path)
    _check(fmt, path)
    start = f.tell()
    left = f.seek(0, io.SEEK_END) - start
    f.seek(start)
    if size > left:
        if size < _STREAMED_SIZE:
            raise AudioError(f"{path}: WAV cut off: its 'data' chunk claims {size:,} bytes, the file has "
                             f"{left:,} after the header")
        size = left
    size -= size % fmt.block_align
    if size == 0:
        raise AudioError(f"{path}: WAV holds no audio (empty 'data' chunk; {fmt.describe()})")
    seconds = size // fmt.block_align / fmt.rate
    if seconds > max_seconds:
        raise AudioTooLong(f"{path}: {seconds:,.1f} s of audio ({fmt.describe()}, 'data' chunk of "
                           f"{size:,} bytes); at most {max_seconds:g} s")
    return fmt, size


def _check(fmt: _Format, path: Path | str) -> None:
    if not 1 <= fmt.channels <= MAX_CHANNELS:
        raise AudioError(f"{path}: WAV header: {fmt.channels} channels; 1 to {MAX_CHANNELS} are read")
    if not MIN_RATE <= fmt.rate <= MAX_RATE:
        raise AudioError(f"{path}: WAV header: sample rate {fmt.rate:,} Hz; {MIN_RATE:,} to {MAX_RATE:,} Hz are read")
    supported = (fmt.tag == PCM and fmt.bits in (8, 16, 24, 32)) or (fmt.tag == IEEE_FLOAT and fmt.bits in (32, 64))
    if not supported or fmt.block_align != fmt.channels * fmt.bits // 8:
        raise AudioError(
            f"{path}: unsupported WAV encoding ({fmt.describe()}); "
            "expected PCM 8/16/24/32-bit or IEEE float 32/64-bit"
        )


def _decode(raw: bytes, fmt: _Format) -> np.ndarray:
    """Interleaved sample bytes -> (frames, channels) float32 in [-1, 1]."""
    if fmt.tag == IEEE_FLOAT:
        x = np.frombuffer(raw, "<f4" if fmt.bits == 32 else "<f8").astype(np.float32)
        np.clip(x, -1.0, 1.0, out=x)
        return x.reshape(-1, fmt.channels)
    return decode_pcm(raw, fmt.bits // 8, fmt.channels)


def decode_pcm(raw: bytes, width: int, channels: int) -> np.ndarray:
    """Interleaved little-endian integer PCM (``width`` 1-4 bytes a sample; 8-bit unsigned, as in
    WAV) -> (frames, channels) float32 in [-1, 1]."""
    if width == 1:
        x = (np.frombuffer(raw, np.uint8).astype(np.float32) - 128.0) / 128.0
    elif width == 2:
        x = np.frombuffer(raw, "<i2").astype(np.float32) / 32768.0
    elif width == 3:
        b = np.frombuffer(raw, np.uint8).reshape(-1, 3).astype(np.int32)
        x = ((b[:, 0] << 8 | b[:, 1] << 16 | b[:, 2] << 24) >> 8).astype(np.float32) / 8388608.0
    else:
        x = (np.frombuffer(raw, "<i4").astype(np.float64) / 2147483648.0).astype(np.float32)
    return x.reshape(-1, channels)


def _to_int16(x: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(x * 32768.0), -32768, 32767).astype(np.int16)


def _converted_blocks(path: Path, max_seconds: float) -> Iterator[np.ndarray]:
    """The file's audio as consecutive (k,) int16 16 kHz blocks; header errors raise before the first."""
    with _open(path) as f:
        yield from _blocks(f, path, max_seconds)


def _blocks(f: BinaryIO, path: Path | str, max_seconds: float) -> Iterator[np.ndarray]:
    """:func:`_converted_blocks` of an open WAV; ``path`` names it in errors."""
    fmt, size = _header(f, path, max_seconds)
    native = fmt.tag == PCM and fmt.bits == 16 and fmt.channels == 1 and fmt.rate == SAMPLE_RATE
    resampler = None if fmt.rate == SAMPLE_RATE else soxr.ResampleStream(fmt.rate, SAMPLE_RATE, 1, dtype="float32")
    block_bytes = fmt.block_align * fmt.rate * _BLOCK_SECONDS
    remaining = size
    got_any = False
    while True:
        raw = f.read(min(block_bytes, remaining)) if remaining > 0 else b""
        remaining -= len(raw)
        last = remaining <= 0 or len(raw) < block_bytes
        raw = raw[: len(raw) - len(raw) % fmt.block_align]
        got_any = got_any or bool(raw)
        if native:
            block = np.frombuffer(raw, "<i2").astype(np.int16)
        else:
            mono = _decode(raw, fmt).mean(axis=1, dtype=np.float32)
            if resampler is not None:
                mono = resampler.resample_chunk(mono, last=last)
            block = _to_int16(mono)
        if len(block):
            yield block
        if last:
            break
    if not got_any:
        raise AudioError(f"{path}: WAV holds no audio ('data' chunk is empty or cut off; {fmt.describe()})")
