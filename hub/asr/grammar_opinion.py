"""The home's grammar recogniser as the full set's last opinion, after whisper tiny.en and base.

Whisper hears open vocabulary, so an accent it cannot place comes out as other words ("you must
not have a vision" for "mute the television") and both whisper models refuse it. pocketsphinx with
this home's JSGF grammar (:mod:`hub.asr.grammar`, the low-power set's recogniser) can only hear
this home's commands, and says how well the audio fits the one it found. The two fail on
different utterances: on the 275 development clips (hub.asr.cases.dev_cases, other homes)
whisper left 50 without a sure command, and the grammar read 11 of them right and 1 wrong at
any confidence, 7 right and none wrong at :data:`MIN_CONFIDENCE` and above.

So when whisper (with its second opinion) gives no sure command, the same audio goes to the
grammar, and its reading stands only if the grammar scored it at least ``min_confidence`` and
the parser understands it as a command with at least the rescorer's ``sure`` confidence;
otherwise whisper's transcript stands as it was. About 40-140 ms of CPU, only for those
utterances; the grammar is built from the config at load (0.4-0.7 s).
"""

from __future__ import annotations

from typing import Callable, Protocol

import numpy as np

from hub.types import Transcript, Understanding

MIN_CONFIDENCE = 0.6
"""Grammar confidence (hub.asr.grammar.GrammarTranscriber) a reading needs to stand in for whisper's.
On the development clips whisper left without a sure command: 0.5 -> 9 right, 1 wrong (an alarm
armed at home for away); 0.6 -> 5 right, 0 wrong; 0.65 (the low-power set's threshold) -> 2, 0."""


class _Recogniser(Protocol):
    def transcribe(self, samples: np.ndarray) -> Transcript: ...


class GrammarOpinion:
    """``grammar``: a :class:`hub.asr.grammar.GrammarTranscriber` of this home (built not
    ``strict``); ``parse``: text -> Understanding in the hub's area; ``sure``: the parse confidence
    a command needs (hub.asr.rescore.SURE). Not thread-safe beyond the grammar recogniser's own
    turn-taking (one utterance at a time)."""

    def __init__(self, grammar: _Recogniser, parse: Callable[[str], Understanding], sure: float,
                 min_confidence: float = MIN_CONFIDENCE):
        self.grammar = grammar
        self.parse = parse
        self.sure = sure
        self.min_confidence = min_confidence

    def hear(self, samples: np.ndarray) -> Transcript | None:
        """The grammar's transcript of ``(n,) int16`` 16 kHz audio if it is a sure command of this
        home (see the module docstring), else None. Raises AudioError for audio of the wrong shape."""
        t = self.grammar.transcribe(samples)
        if not t.text or t.confidence < self.min_confidence:
            return None
        u = self.parse(t.text)
        # a custom intent (hub.sentences) acts with no device command: it counts as one
        if not (u.commands or u.slots is not None) or u.confidence < self.sure:
            return None
        return t
