"""Readings that differ only in how whisper spelt the same sounds ("what's the heating set to",
"... set too", "... set two"; "channel 1 9 1", "channel one nine one").

The rescorer (:mod:`hub.asr.rescore`) holds a command for a yes when another reading with other
commands scores close to it. Where the two readings say the same sounds, the audio holds no doubt
between them: whisper's choice of spelling is its language model's, and the parse already weighed
it. Two texts sound the same when, after their digits are written as words (the language's number
rules, hassil's RBNF), every run of words in which they differ has a pronunciation in common in
the language's pronouncing dictionary (language.yaml ``dictionary``: the CMU dictionary
pocketsphinx carries, https://github.com/cmusphinx/cmudict). A word the dictionary lacks sounds
like nothing: a name whisper spelt two ways stays a doubt.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from pathlib import Path

from hub.asr.g2p import dictionary_pronunciations
from hub.sentences.nearmiss import spell_numbers, words_of

MAX_WORDS = 20_000
"""Words whose pronunciations are kept between readings (a long-running hub hears endless new ones)."""
MAX_SOUNDS = 64
"""Pronunciations of one differing run at most (each word may have several): past it, no match."""


class Homophones:
    """Says whether two readings sound the same (see the module docstring). ``dictionary``: the
    pronouncing dictionary's path, or None (then only texts equal once their digits are written as
    words sound the same); ``language``: its code, for the number rules. Words are looked up as
    readings need them, one scan of the file (about 0.1 s) per reading with new words."""

    def __init__(self, dictionary: Path | None, language: str):
        self.dictionary = dictionary
        self.language = language
        self._pronounced: dict[str, tuple[str, ...]] = {}
        """Word -> its pronunciations; () for a word the dictionary lacks."""

    def words(self, text: str) -> list[str]:
        """``text`` as lower-case words with its digits written out ("set to 21." -> set, to, twenty, one)."""
        return words_of(spell_numbers(text, self.language))

    def same(self, a: str, b: str) -> bool:
        """True if texts ``a`` and ``b`` say the same sounds."""
        wa, wb = self.words(a), self.words(b)
        if wa == wb:
            return True
        if self.dictionary is None:
            return False
        runs = [(wa[i1:i2], wb[j1:j2]) for tag, i1, i2, j1, j2
                in difflib.SequenceMatcher(a=wa, b=wb, autojunk=False).get_opcodes() if tag != "equal"]
        self._look_up({w for x, y in runs for w in (*x, *y)})
        return all(self._sounds(x) & self._sounds(y) for x, y in runs)

    def _look_up(self, words: set[str]) -> None:
        new = words - self._pronounced.keys()
        if not new:
            return
        if len(self._pronounced) + len(new) > MAX_WORDS:
            self._pronounced.clear()
        found = dictionary_pronunciations(self.dictionary, new)
        self._pronounced.update({w: found.get(w, ()) for w in new})

    def _sounds(self, run: list[str]) -> set[str]:
        """Every pronunciation of ``run`` as one phone string; empty if a word has none (or an
        empty run: a word said in one reading and not the other is a difference)."""
        sounds = {""} if run else set()
        for w in run:
            sounds = {f"{s} {p}".strip() for s in sounds for p in self._pronounced.get(w, ())}
            if len(sounds) > MAX_SOUNDS:
                return set()
        return sounds


@lru_cache(maxsize=8)
def load_homophones(language: str) -> Homophones:
    """The :class:`Homophones` of a language (intents/<language>/language.yaml ``dictionary``), shared
    by every rescorer of the process. Raises ModelIntegrityError if the dictionary is missing or
    differs from the manifest, ConfigError for an unknown language."""
    from hub.modelset import packaged_file
    from hub.nlu.language import load_language

    key = load_language(language).grammar.dictionary
    return Homophones(packaged_file(key) if key is not None else None, language)
