"""The home's grammar recogniser beside whisper in the full set: its last opinion, and a check.

Whisper hears open vocabulary, so an accent it cannot place comes out as other words ("you must
not have a vision" for "mute the television") and both whisper models refuse it. pocketsphinx with
this home's JSGF grammar (:mod:`hub.asr.grammar`, the low-power set's recogniser) can only hear
this home's commands, and says how well the audio fits the one it found. The two fail on
different utterances, so the full set asks the grammar twice (hub.asr.whisper.WhisperTranscriber):

- **last opinion**: when whisper (with its second opinion) gives no sure command, the grammar's
  reading stands if it is a sure command, or if it gives the very commands one of whisper's unsure
  readings gave (two recognisers that fail differently agreeing; :meth:`GrammarOpinion.hear`);
- **check**: when the command whisper settled on is not whisper's own best hypothesis (the
  rescorer chose a lower one because it parses: "off the radio" over "ours the radio"), a sure
  grammar reading of other commands makes it a close call, confirmed rather than acted on.

A grammar reading is sure when the grammar scored it at least ``min_confidence`` and the parser
understands it as commands with at least the rescorer's ``sure`` confidence; one that agrees with
whisper needs only the parser's. On the 275 development clips agreeing added 1 right command
(3 at any grammar confidence, 2 of them above ``min_confidence``) and no wrong one. About 40-140 ms of
CPU, only for those utterances; the grammar is built from the config at load (about 0.7 s, 26 MB).
"""

from __future__ import annotations

from typing import NamedTuple, Protocol

import numpy as np

from hub.asr.rescore import Rescorer
from hub.types import Transcript

MIN_CONFIDENCE = 0.6
"""Grammar confidence (hub.asr.grammar.GrammarTranscriber) a reading needs to count. Chosen on the
275 development clips (hub.asr.cases.dev_cases, other homes): of the 50 whisper tiny.en and base
left without a sure command, the grammar read 9 right and 1 wrong (an alarm armed at home for
away) at any confidence and at 0.5; 0.6 -> 5 right, none wrong; 0.65 (the low-power set's own
threshold) -> 2, none."""


class _Recogniser(Protocol):
    def transcribe(self, samples: np.ndarray) -> Transcript: ...


class Heard(NamedTuple):
    """A sure grammar reading."""

    transcript: Transcript
    commands: tuple[str, ...]
    """As :meth:`hub.asr.rescore.Rescorer.understand` gives them (sorted JSON strings)."""


class GrammarOpinion:
    """``grammar``: a :class:`hub.asr.grammar.GrammarTranscriber` of this home (built not
    ``strict``, so custom sentences with a wildcard are left out rather than refused);
    ``rescorer``: whisper's, whose parser, area and ``sure`` confidence judge the grammar's text.
    One utterance at a time (the grammar recogniser's decoder is shared)."""

    def __init__(self, grammar: _Recogniser, rescorer: Rescorer, min_confidence: float = MIN_CONFIDENCE):
        self.grammar = grammar
        self.rescorer = rescorer
        self.min_confidence = min_confidence

    def hear(self, samples: np.ndarray, agree: frozenset[tuple[str, ...]] = frozenset()) -> Heard | None:
        """The grammar's reading of ``(n,) int16`` 16 kHz audio if it is a sure command of this
        home, or one whose commands are among ``agree`` (whisper's unsure readings', as
        :meth:`hub.asr.rescore.Rescorer.understand` gives them) at any grammar confidence; else
        None. Raises AudioError for audio of the wrong shape."""
        t = self.grammar.transcribe(samples)
        if not t.text:
            return None
        r = self.rescorer.understand(t.text)
        if not r.commands or r.confidence < self.rescorer.sure:
            return None
        return Heard(t, r.commands) if t.confidence >= self.min_confidence or r.commands in agree else None
