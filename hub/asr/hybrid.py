"""Hybrid recognition for the low-power set: the grammar recogniser first, whisper when it is unsure.

pocketsphinx with the home's JSGF grammar (:mod:`hub.asr.grammar`) decodes a command in about
100 ms in a few MB; it refuses what is outside its grammar and forces some of it onto a wrong
sentence. Its transcript is kept when it is a sentence of the grammar with at least
``grammar_min_confidence`` and the parser reads it as a complete command with at least
``parse_min_confidence``. Otherwise the same audio goes to whisper tiny.en-home (:mod:`hub.asr.whisper`,
greedy, prompted with the home's names, unsure below ``asr.min_avg_logprob``): the tiny.en fine-tuned
on spoken home commands (models/whisper_tiny_home), the same size as the packaged tiny.en, which on
blind4 and blind6 gave 65 right, 5 wrong and 1 unsafe of 128 where tiny.en-home gave 94, 5 and 0; when whisper's
text means no command but the grammar's unsure one does, the grammar's is returned marked
``unsure`` (its commands wait for a spoken yes), and so is whisper's when the parser acts on it
without understanding every word (on the 246 development clips: 4 of 6 wrong actions held,
1 of 155 right ones). Whisper is loaded on first
need and released again after ``fallback_idle_s`` without a fallback, so a hub that is rarely
misunderstood holds only the grammar recogniser's memory.
"""

from __future__ import annotations

import gc
import threading
import time
from dataclasses import replace
from typing import Callable, Protocol

import numpy as np

from hub.memory import release_freed_memory
from hub.types import Transcript, Understanding


class _Recogniser(Protocol):
    def transcribe(self, samples: np.ndarray) -> Transcript: ...


class HybridTranscriber:
    """Grammar first, whisper when the grammar's reading is unsure (see the module docstring).

    ``grammar``: a :class:`hub.asr.grammar.GrammarTranscriber`; ``parse``: text -> Understanding
    (the set's parser in the hub's area); ``load_fallback``: builds the whisper transcriber (about
    0.5 s, +100 MB RSS); ``idle_s``: seconds without a fallback after which whisper is released
    (None: kept once loaded). ``transcribe`` takes ``(n,) int16`` at 16 kHz like every transcriber
    and returns the chosen :class:`Transcript` (``recogniser`` says which), ``ms`` covering both
    recognisers. Not thread-safe for concurrent ``transcribe`` calls (one utterance at a time);
    the idle release runs on a timer thread and waits for a running fallback.
    """

    def __init__(self, grammar: _Recogniser, parse: Callable[[str], Understanding],
                 load_fallback: Callable[[], _Recogniser], *, grammar_min_confidence: float,
                 parse_min_confidence: float, idle_s: float | None):
        self.grammar = grammar
        self._parse = parse
        self._load_fallback = load_fallback
        self.grammar_min_confidence = grammar_min_confidence
        self.parse_min_confidence = parse_min_confidence
        self.idle_s = idle_s
        self._fallback: _Recogniser | None = None
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._last_use = 0.0
        """time.monotonic() of the last fallback."""
        self.fallback_loads = 0
        """How many times whisper was loaded (for the bench and tests)."""

    @property
    def fallback_loaded(self) -> bool:
        return self._fallback is not None

    def grammar_is_sure(self, heard: Transcript) -> bool:
        """True if the grammar's transcript may stand without a second opinion."""
        if not heard.text or heard.confidence < self.grammar_min_confidence:
            return False
        u = self._parse(heard.text)
        return _means_something(u) and u.complete and u.confidence >= self.parse_min_confidence

    def transcribe(self, samples: np.ndarray) -> Transcript:
        """``(n,) int16`` at 16 kHz -> Transcript (see the class docstring). Raises AudioError for
        audio that is not 1-D int16, HubError if whisper cannot be loaded."""
        t0 = time.perf_counter()
        heard = self.grammar.transcribe(samples)
        if self.grammar_is_sure(heard):
            return heard
        with self._lock:
            if self._fallback is None:
                self._fallback = self._load_fallback()
                self.fallback_loads += 1
            second = self._fallback.transcribe(samples)
            self._last_use = time.monotonic()
            self._arm_release()
        ms = (time.perf_counter() - t0) * 1000
        understood = self._parse(second.text)
        if heard.text and not _means_something(understood) and _means_something(self._parse(heard.text)):
            # whisper made nothing of it either: offer the grammar's reading, held for a spoken yes
            return replace(heard, ms=ms, unsure=f"grammar recogniser unsure (confidence {heard.confidence:.2f}) "
                                                f"and whisper heard {second.text!r}")
        if second.unsure is None and _means_something(understood) and not understood.complete:
            # words of the transcript that are neither phrasing nor names: the template reader
            # acted on the rest ("arm house alarm info mode" -> arm away), a guess
            return replace(second, recogniser="whisper", ms=ms,
                           unsure=f"whisper heard {second.text!r}, of which not every word was understood")
        return replace(second, recogniser="whisper", ms=ms)

    def release(self) -> None:
        """Drop whisper now (it is loaded again on the next fallback)."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            self._fallback = None
        gc.collect()

    def _arm_release(self) -> None:
        """(Re)start the idle timer; called with the lock held."""
        if self.idle_s is None:
            return
        if self._timer is not None:
            self._timer.cancel()
        self._timer = threading.Timer(self.idle_s, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def _expire(self) -> None:
        """The idle timer fired: release whisper unless a fallback ran since it was armed."""
        with self._lock:
            if self._fallback is None or time.monotonic() - self._last_use < self.idle_s:
                return
            self._fallback = None
            self._timer = None
        _give_back_memory()


def _means_something(u: Understanding) -> bool:
    """True if ``u`` does or asks something: commands now or later, or a timer's or custom
    intent's slots (hub.timers, hub.sentences)."""
    return bool(u.commands or u.scheduled) or u.slots is not None


def _give_back_memory() -> None:
    """Free the released model and hand glibc's freed pages back to the system: without
    malloc_trim(3) the process keeps them (measured: 190 MB after release, 133 MB after a trim)."""
    gc.collect()
    release_freed_memory()


def load_hybrid(cfg, grammar: _Recogniser, parser) -> HybridTranscriber:
    """The low-power set's :class:`HybridTranscriber` for ``cfg`` (a :class:`hub.config.Config`):
    ``grammar`` first, judged by ``parser`` (a :class:`hub.nlu.Parser`) in ``hub.area``, whisper
    tiny.en-home (greedy, home prompt, ``asr.min_avg_logprob``) when unsure, thresholds and idle time
    from ``power:``. Loads nothing heavy: whisper waits for the first fallback."""
    from hub.asr.whisper import WhisperTranscriber, vocabulary_from_config

    def whisper() -> WhisperTranscriber:
        return WhisperTranscriber(vocabulary_from_config(cfg), beam_size=cfg.hub.options.asr_beam_size,
                                  model="tiny.en-home", language=cfg.hub.language,
                                  min_avg_logprob=cfg.asr.min_avg_logprob)

    p = cfg.power
    return HybridTranscriber(grammar, lambda text: parser.parse(text, cfg.hub.area), whisper,
                             grammar_min_confidence=p.grammar_min_confidence,
                             parse_min_confidence=p.grammar_min_parse_confidence, idle_s=p.fallback_idle_s)
