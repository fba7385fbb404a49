"""Hallucination guard: decide whether Whisper's output is speech or invention.

Whisper was trained on subtitles, so on silence, hum or noise it writes what
subtitles say when nobody talks ("Thanks for watching!", "you", "."). The guard
rejects such output from four independent signals, so it holds without the
pipeline's VAD in front of it:

1. the input's RMS energy (too quiet to be a spoken command),
2. each segment's ``no_speech_prob`` and ``avg_logprob``,
3. each segment's gzip ``compression_ratio`` (repetition loops),
4. a list of phrases Whisper is known to invent.

The segment fields are those of ``faster_whisper.transcribe.Segment``
(https://github.com/SYSTRAN/faster-whisper/blob/master/faster_whisper/transcribe.py).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Protocol

import numpy as np


class SegmentScores(Protocol):
    """The fields of a faster-whisper ``Segment`` the guard reads."""

    text: str
    avg_logprob: float
    no_speech_prob: float
    compression_ratio: float


# Whisper's usual inventions on non-speech, normalised (lower case, no punctuation).
# Collected from the faster-whisper / openai-whisper issue trackers and from our own
# noise tests; a real home command is never one of these on its own.
HALLUCINATIONS = frozenset({
    "you", "thank you", "thanks", "thank you very much", "thanks for watching",
    "thank you for watching", "thanks for watching and see you next time",
    "thank you so much for watching", "please subscribe", "subscribe",
    "like and subscribe", "bye", "bye bye", "goodbye", "oh", "uh", "um", "hmm", "mm",
    "ah", "huh", "so", "okay", "ok", "the", "i", "a", "music", "applause", "laughter",
    "silence", "blank audio", "no speech", "inaudible", "foreign", "sigh", "beep", "beeping",
    "see you next time", "see you in the next video", "i'll see you next time",
    "subtitles by the amara org community", "transcribed by",
})


def normalize_text(text: str) -> str:
    """Lower case, words only: how output is compared with :data:`HALLUCINATIONS`."""
    return " ".join(re.sub(r"[^a-z0-9']+", " ", text.lower()).split())


def rms_dbfs(samples: np.ndarray) -> float:
    """RMS level of ``(n,) int16`` audio in dB relative to full scale; -inf if empty or all zero."""
    if samples.size == 0:
        return -math.inf
    x = samples.astype(np.float64) / 32768.0
    rms = math.sqrt(float(np.mean(x * x)))
    return 20.0 * math.log10(rms) if rms > 0 else -math.inf


@dataclass(frozen=True)
class GuardThresholds:
    """Limits beyond which output counts as invented. Defaults tuned on the
    samples/ recordings, the LibriVox clips and synthetic noise (tests/test_asr.py)."""

    min_rms_dbfs: float = -55.0
    """Input quieter than this (dBFS) is not transcribed at all. A quiet command
    at a microphone is around -40 dBFS; a quiet room around -60."""
    max_no_speech_prob: float = 0.6
    """A segment whose no-speech probability exceeds this ..."""
    low_logprob: float = -0.7
    """... is dropped when its mean token log-probability is also below this."""
    min_avg_logprob: float = -1.0
    """A segment below this mean token log-probability is dropped whatever no_speech_prob says."""
    max_compression_ratio: float = 2.4
    """gzip ratio above which a segment is a repetition loop."""


class HallucinationGuard:
    """Filters Whisper segments; see the module docstring for the signals."""

    def __init__(self, thresholds: GuardThresholds = GuardThresholds(),
                 phrases: frozenset[str] = HALLUCINATIONS):
        self.thresholds = thresholds
        self.phrases = phrases

    def loud_enough(self, samples: np.ndarray) -> bool:
        """True if ``(n,) int16`` audio is loud enough to hold a spoken command."""
        return rms_dbfs(samples) >= self.thresholds.min_rms_dbfs

    def keep(self, seg: SegmentScores) -> bool:
        """True if one segment looks like real speech."""
        t = self.thresholds
        if seg.no_speech_prob > t.max_no_speech_prob and seg.avg_logprob < t.low_logprob:
            return False
        if seg.avg_logprob < t.min_avg_logprob or seg.compression_ratio > t.max_compression_ratio:
            return False
        return normalize_text(seg.text) not in self.phrases and bool(normalize_text(seg.text))

    def filter(self, segments: list[SegmentScores]) -> list[SegmentScores]:
        """The segments to keep; none if what is left is only a known invented phrase."""
        kept = [s for s in segments if self.keep(s)]
        if normalize_text(" ".join(s.text for s in kept)) in self.phrases:
            return []
        return kept
