"""Readings that differ only in how whisper spelt the same sounds ("what's the heating set to",
"... set too", "... set two"; "channel 1 9 1", "channel one nine one").

The rescorer (:mod:`hub.asr.rescore`) holds a command for a yes when another reading with other
commands scores close to it. Where the two readings say the same sounds, the audio holds no doubt
between them: whisper's choice of spelling is its language model's, and the parse already weighed
it. Two texts sound the same when, after their digits are written as words (the language's number
rules, hassil's RBNF), every run of words in which they differ has a pronunciation in common among
the homophones of the language's pronouncing dictionary (language.yaml ``dictionary``: the CMU
dictionary pocketsphinx carries, https://github.com/cmusphinx/cmudict): the words that share a
pronunciation with another word (about 34,000 of its 126,000, read once as the hub loads, about
0.15 s). A word with no homophone sounds like nothing: a name whisper spelt two ways stays a doubt.
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

from hub.asr.g2p import dictionary_entries
from hub.sentences.nearmiss import spell_numbers, words_of

MAX_SOUNDS = 64
"""Pronunciations of one differing run at most (each word may have several): past it, no match."""


def homophone_pronunciations(dictionary: Path) -> dict[str, tuple[str, ...]]:
    """Each word of a pronouncing dictionary (hub.asr.g2p.dictionary_entries) that sounds like
    another word there -> the pronunciations it shares ("to" -> ("T UW",), with "too" and "two")."""
    # two passes: counting the sounds first holds far less than every word by its sound (about 20 MB
    # at the peak, not 50; a word listed twice with one sound is no homophone of anything but itself)
    words_of_sound = Counter(phones for _, phones in dictionary_entries(dictionary))
    out: dict[str, list[str]] = defaultdict(list)
    for word, phones in dictionary_entries(dictionary):
        if words_of_sound[phones] > 1 and phones not in out[word]:
            out[word].append(phones)
    return {w: tuple(p) for w, p in out.items()}


class Homophones:
    """Says whether two readings sound the same (see the module docstring). ``pronounced``: word ->
    its shared pronunciations (:func:`homophone_pronunciations`; empty: only texts equal once their
    digits are written as words sound the same); ``language``: its code, for the number rules."""

    def __init__(self, pronounced: dict[str, tuple[str, ...]], language: str):
        self.pronounced = pronounced
        self.language = language

    def words(self, text: str) -> list[str]:
        """``text`` as lower-case words with its digits written out ("set to 21." -> set, to, twenty, one)."""
        return words_of(spell_numbers(text, self.language))

    def same(self, a: str, b: str) -> bool:
        """True if texts ``a`` and ``b`` say the same sounds."""
        wa, wb = self.words(a), self.words(b)
        if wa == wb:
            return True
        runs = [(wa[i1:i2], wb[j1:j2]) for tag, i1, i2, j1, j2
                in difflib.SequenceMatcher(a=wa, b=wb, autojunk=False).get_opcodes() if tag != "equal"]
        return all(self._sounds(x) & self._sounds(y) for x, y in runs)

    def _sounds(self, run: list[str]) -> set[str]:
        """Every pronunciation of ``run`` as one phone string; empty if a word has none (or an
        empty run: a word said in one reading and not the other is a difference)."""
        sounds = {""} if run else set()
        for w in run:
            sounds = {f"{s} {p}".strip() for s in sounds for p in self.pronounced.get(w, ())}
            if len(sounds) > MAX_SOUNDS:
                return set()
        return sounds


@lru_cache(maxsize=8)
def load_homophones(language: str) -> Homophones:
    """The :class:`Homophones` of a language (intents/<language>/language.yaml ``dictionary``), read
    once and shared by every rescorer of the process. Raises ModelIntegrityError if the dictionary
    is missing or differs from the manifest, ConfigError for an unknown language."""
    from hub.modelset import packaged_file
    from hub.nlu.language import load_language

    key = load_language(language).grammar.dictionary
    return Homophones(homophone_pronunciations(packaged_file(key)) if key is not None else {}, language)
