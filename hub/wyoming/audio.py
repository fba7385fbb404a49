"""Wyoming audio (``audio-start`` / ``audio-chunk``: any rate, sample width and channel count) in,
the hub's (n,) int16 mono 16 kHz out, resampled with soxr as it streams.

Wyoming's audio is raw little-endian PCM: ``rate`` Hz, ``width`` bytes per sample (1 is unsigned
8-bit, 2-4 signed), ``channels`` interleaved (wyoming/audio.py, ``AudioFormat``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import soxr

from hub.audio.wav import MAX_CHANNELS, MAX_RATE, MIN_RATE, decode_pcm
from hub.errors import AudioError
from hub.types import SAMPLE_RATE


@dataclass(frozen=True)
class AudioFormat:
    """The format of one Wyoming audio stream."""

    rate: int
    """Hertz."""
    width: int
    """Bytes per sample: 1 (unsigned), 2, 3 or 4 (signed)."""
    channels: int

    @property
    def frame_bytes(self) -> int:
        """Bytes of one sample on every channel."""
        return self.width * self.channels

    def __str__(self) -> str:
        return f"{self.rate} Hz, {self.width * 8}-bit, {self.channels} channel(s)"


def audio_format(data: dict) -> AudioFormat:
    """The format in an ``audio-start`` or ``audio-chunk`` event's data.

    Raises AudioError naming the field for a missing, non-integer or unconvertible value
    (rate outside 8-192 kHz, width not 1-4 bytes, channels not 1-32: hub.audio.wav's limits)."""
    values = {}
    for key in ("rate", "width", "channels"):
        v = data.get(key)
        if isinstance(v, bool) or not isinstance(v, int):
            raise AudioError(f"audio format: {key!r} must be an integer, got {v!r}")
        values[key] = v
    fmt = AudioFormat(**values)
    if not MIN_RATE <= fmt.rate <= MAX_RATE:
        raise AudioError(f"audio format: rate {fmt.rate} Hz is outside {MIN_RATE}-{MAX_RATE} Hz")
    if fmt.width not in (1, 2, 3, 4):
        raise AudioError(f"audio format: width {fmt.width} bytes is not 1, 2, 3 or 4 (8-32-bit PCM)")
    if not 1 <= fmt.channels <= MAX_CHANNELS:
        raise AudioError(f"audio format: {fmt.channels} channels is not 1-{MAX_CHANNELS}")
    return fmt


def _to_float(raw: bytes, fmt: AudioFormat) -> np.ndarray:
    """Interleaved PCM bytes -> (n,) float32 in -1..1, channels averaged (hub.audio.wav's decoder)."""
    x = decode_pcm(raw, fmt.width, fmt.channels)
    return x.mean(axis=1) if fmt.channels > 1 else x[:, 0]


class AudioConverter:
    """One stream: chunks of ``fmt`` in, (n,) int16 16 kHz mono out, resampled with soxr's
    streaming resampler (so chunk boundaries leave no clicks). Call :meth:`convert` per chunk and
    :meth:`flush` at ``audio-stop`` for the resampler's tail."""

    def __init__(self, fmt: AudioFormat):
        self.format = fmt
        self._resampler = None if fmt.rate == SAMPLE_RATE else soxr.ResampleStream(fmt.rate, SAMPLE_RATE, 1, "float32")

    def convert(self, raw: bytes, chunk_format: AudioFormat | None = None) -> np.ndarray:
        """One chunk's bytes -> (n,) int16 at 16 kHz (n may be 0 while the resampler fills).

        Raises AudioError if ``chunk_format`` (the chunk's own fields) differs from the stream's,
        or the bytes are not whole samples of every channel."""
        fmt = self.format
        if chunk_format is not None and chunk_format != fmt:
            raise AudioError(f"audio-chunk is {chunk_format}, but audio-start said {fmt}")
        if len(raw) % fmt.frame_bytes:
            raise AudioError(f"audio-chunk of {len(raw)} bytes is not whole samples of {fmt} "
                             f"({fmt.frame_bytes} bytes each)")
        x = _to_float(raw, fmt)
        if self._resampler is not None:
            x = self._resampler.resample_chunk(x)
        return _to_int16(x)

    def flush(self) -> np.ndarray:
        """The resampler's remaining output, (n,) int16."""
        if self._resampler is None:
            return np.zeros(0, np.int16)
        return _to_int16(self._resampler.resample_chunk(np.zeros(0, np.float32), last=True))


def _to_int16(x: np.ndarray) -> np.ndarray:
    return (np.clip(x, -1.0, 1.0 - 1.0 / 32768) * 32768.0).astype(np.int16)
