"""Microphone capture with sounddevice (PortAudio), as 80 ms frames at 16 kHz mono int16.

The PortAudio callback only copies each block into a bounded queue; when the
pipeline falls behind, the oldest block is dropped and counted rather than
blocking the audio thread. A device that cannot record at 16 kHz records at its
own rate and is resampled with soxr. sounddevice API:
https://python-sounddevice.readthedocs.io/en/0.5.1/api/streams.html#sounddevice.InputStream
"""

from __future__ import annotations

import queue
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import soxr

from hub.errors import AudioError
from hub.types import FRAME_MS, FRAME_SAMPLES, SAMPLE_RATE, AudioFrame

QUEUE_BLOCKS = 50
"""Captured blocks (80 ms each) held for the pipeline: 4 s."""
STALL_S = 2.0
"""No block for this long means the device stopped."""


@dataclass(frozen=True)
class InputDevice:
    """One PortAudio device that can record."""

    index: int
    name: str
    channels: int
    """Maximum input channels."""
    default_samplerate: float
    """Hertz."""
    hostapi: str


def _sounddevice():
    """Import sounddevice, which loads the PortAudio shared library at import time."""
    try:
        import sounddevice
    except OSError as e:
        raise AudioError(f"no microphone support: PortAudio could not be loaded ({e}); install libportaudio2") from e
    return sounddevice


def _all_devices() -> list[dict]:
    sd = _sounddevice()
    try:
        return list(sd.query_devices())
    except sd.PortAudioError as e:
        raise AudioError(f"PortAudio could not list audio devices: {e}") from e


def list_input_devices() -> list[InputDevice]:
    """Every device with at least one input channel, as PortAudio reports it.

    Raises AudioError if PortAudio cannot be loaded.
    """
    return [_input_device(d) for d in _all_devices() if d["max_input_channels"] > 0]


def default_input_index() -> int | None:
    """PortAudio's default input device index, or None if it has none."""
    index = _sounddevice().default.device[0]
    return index if isinstance(index, int) and index >= 0 else None


def _input_device(info: dict) -> InputDevice:
    hostapis = [h["name"] for h in _sounddevice().query_hostapis()]
    return InputDevice(
        index=info["index"],
        name=info["name"],
        channels=info["max_input_channels"],
        default_samplerate=info["default_samplerate"],
        hostapi=hostapis[info["hostapi"]] if info["hostapi"] < len(hostapis) else str(info["hostapi"]),
    )


def _no_device(reason: str) -> AudioError:
    sd = _sounddevice()
    devices = _all_devices()
    if devices:
        found = "; ".join(f"#{d['index']} {d['name']!r} ({d['max_input_channels']} in, {d['max_output_channels']} out)"
                          for d in devices)
    else:
        found = "none"
    return AudioError(
        f"no microphone: {reason}. Devices PortAudio found ({sd.get_portaudio_version()[1].split(',')[0]}): {found}. "
        "Use --wav FILE instead, or pick an input with --device NAME."
    )


class CaptureQueue:
    """Bounded hand-over from the audio thread: ``put`` never blocks; when full,
    the oldest block is dropped and ``dropped`` counts it."""

    def __init__(self, max_blocks: int = QUEUE_BLOCKS):
        self._queue: queue.Queue[np.ndarray] = queue.Queue(max_blocks)
        self.dropped = 0

    def put(self, block: np.ndarray) -> None:
        while True:
            try:
                self._queue.put_nowait(block)
                return
            except queue.Full:
                try:
                    self._queue.get_nowait()
                    self.dropped += 1
                except queue.Empty:
                    pass

    def get(self, timeout_s: float) -> np.ndarray | None:
        """The oldest block, or None after ``timeout_s`` seconds without one."""
        try:
            return self._queue.get(timeout=timeout_s)
        except queue.Empty:
            return None


class FrameAssembler:
    """Device blocks ((n, channels) int16 at ``rate`` Hz) -> 80 ms 16 kHz mono AudioFrames.

    Channels are averaged, other rates resampled with soxr. Timestamps count the
    samples delivered (stream time), so audio dropped on overflow is not in it.
    """

    def __init__(self, rate: int, channels: int):
        self.channels = channels
        self._resampler = None if rate == SAMPLE_RATE else soxr.ResampleStream(rate, SAMPLE_RATE, 1, dtype="int16")
        self._pending = np.zeros(0, np.int16)
        self._emitted = 0

    def push(self, block: np.ndarray) -> list[AudioFrame]:
        """Add one block; returns the frames it completes (often one, maybe none)."""
        mono = block.reshape(-1, self.channels)
        mono = mono[:, 0] if self.channels == 1 else mono.mean(axis=1).astype(np.int16)
        if self._resampler is not None:
            mono = self._resampler.resample_chunk(mono)
        self._pending = np.concatenate([self._pending, mono])
        out = []
        while len(self._pending) >= FRAME_SAMPLES:
            out.append(AudioFrame(samples=self._pending[:FRAME_SAMPLES].copy(), timestamp_ms=self._emitted * FRAME_MS))
            self._pending = self._pending[FRAME_SAMPLES:]
            self._emitted += 1
        return out


class Microphone:
    """One input device, opened lazily by :meth:`frames`.

    ``device``: None for PortAudio's default input, a device index ("3"), or a
    substring of its name. Raises AudioError, at construction, if there is no such
    input device or none at all (the message lists what PortAudio found), or if
    PortAudio is missing.
    """

    def __init__(self, device: str | None = None, max_blocks: int = QUEUE_BLOCKS):
        sd = _sounddevice()
        wanted: int | str | None = int(device) if device is not None and device.isdigit() else device
        try:
            info = sd.query_devices(wanted, kind="input" if wanted is None else None)
        except (sd.PortAudioError, ValueError) as e:
            what = "there is no default input device" if wanted is None else f"no device matches {device!r} ({e})"
            raise _no_device(what) from e
        if info["max_input_channels"] < 1:
            raise _no_device(f"device #{info['index']} {info['name']!r} has no input channels")
        self.device = _input_device(info)
        self.rate, self.channels = self._settings(sd)
        self.queue = CaptureQueue(max_blocks)
        self.overflows = 0
        """Times PortAudio itself reported lost input (the callback ran too late)."""

    def _settings(self, sd) -> tuple[int, int]:
        """16 kHz mono if the device takes it, else its default rate (and stereo if mono is refused)."""
        native = int(self.device.default_samplerate)
        for rate, channels in ((SAMPLE_RATE, 1), (native, 1), (native, min(2, self.device.channels))):
            try:
                sd.check_input_settings(device=self.device.index, channels=channels, dtype="int16", samplerate=rate)
                return rate, channels
            except (sd.PortAudioError, ValueError):
                continue
        raise _no_device(f"device #{self.device.index} {self.device.name!r} accepts neither 16 kHz nor {native} Hz int16")

    @property
    def dropped_blocks(self) -> int:
        """Blocks (80 ms each) dropped because the pipeline fell behind."""
        return self.queue.dropped

    def _callback(self, indata: np.ndarray, frame_count: int, time_info, status) -> None:
        if status.input_overflow:
            self.overflows += 1
        self.queue.put(indata.copy())

    def frames(self) -> Iterator[AudioFrame]:
        """Record until the iterator is closed; yields 80 ms frames from stream time 0.

        Raises AudioError if the stream cannot be opened or delivers nothing for 2 s.
        """
        sd = _sounddevice()
        assembler = FrameAssembler(self.rate, self.channels)
        try:
            stream = sd.InputStream(device=self.device.index, samplerate=self.rate, channels=self.channels,
                                    dtype="int16", blocksize=self.rate * FRAME_MS // 1000, callback=self._callback)
        except sd.PortAudioError as e:
            raise AudioError(f"cannot open microphone #{self.device.index} {self.device.name!r}: {e}") from e
        with stream:
            while True:
                block = self.queue.get(STALL_S)
                if block is None:
                    raise AudioError(f"microphone {self.device.name!r} delivered no audio for {STALL_S:.0f} s")
                yield from assembler.push(block)


def mic_frames(device: str | None = None) -> Iterator[AudioFrame]:
    """Frames from the microphone (see :class:`Microphone`); the device is checked now,
    so a missing microphone raises AudioError here, not at the first frame."""
    return Microphone(device).frames()
