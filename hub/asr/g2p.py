"""Pronunciations for words the pronouncing dictionary lacks (names such as "Roomba", "underfloor").

The grammar recogniser (:mod:`hub.asr.grammar`) can only listen for words it can pronounce. A
word missing from pocketsphinx's CMU dictionary is built, in order of preference, from:

1. a dictionary word plus a plural or possessive ending ("pendants", "amelias", "lilys");
2. dictionary words end to end, fewest pieces first ("under floor", "down lights", "room ba");
3. a dictionary word for its longest start or end, the rest spelled out by letter-to-sound rules;
4. letter-to-sound rules alone.

The rules are language data: ``intents/<language>/letter_sounds.yaml`` (validated with pydantic,
problems reported as ``file:line``). Phones are those of pocketsphinx's en-us acoustic model
(ARPABET without stress marks, https://github.com/cmusphinx/cmudict).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Callable, Iterator

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, field_validator

from hub.errors import ConfigError
from hub.yamlcheck import parse_yaml, validate

PHONES = frozenset("AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH "
                   "UH UW V W Y Z ZH".split())
"""The phone set of pocketsphinx's en-us model."""
MIN_PIECE = 2
"""Shortest dictionary word used as a piece of a longer word ("hi" + "fi")."""
MIN_ANCHOR = 3
"""Shortest dictionary word kept beside spelled-out letters (rule 3)."""
MAX_PIECES = 3


def dictionary_entries(path: Path) -> Iterator[tuple[str, str]]:
    """``(word, phones)`` of each line of a pronouncing dictionary in the CMU format pocketsphinx
    ships (``word phones``, a second one as ``word(2) phones``, ``#`` comments), in the file's order:
    ("to", "T UW"). Read as it goes, so the whole dictionary is never held in memory."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            word, _, phones = line.partition(" ")
            yield word.split("(", 1)[0], phones.split("#")[0].strip()


def dictionary_pronunciations(path: Path, words: set[str]) -> dict[str, tuple[str, ...]]:
    """Pronunciations of ``words`` in a pronouncing dictionary (:func:`dictionary_entries`): word ->
    its phone strings, in the file's order; words it lacks are absent. Scans the file (3 MB: about
    0.1 s)."""
    out: dict[str, list[str]] = {}
    for word, phones in dictionary_entries(path):
        if word in words:
            out.setdefault(word, []).append(phones)
    return {w: tuple(p) for w, p in out.items()}


def _phones(text: str) -> str:
    bad = [p for p in text.split() if p not in PHONES]
    if bad:
        raise ValueError(f"unknown phone(s) {', '.join(bad)} (known: {' '.join(sorted(PHONES))})")
    return " ".join(text.split())


Phones = Annotated[str, AfterValidator(_phones)]
"""Space-separated phones of :data:`PHONES`; "" is silent."""
Spelling = Annotated[str, StringConstraints(pattern=r"^\^?[a-z]+\$?$")]
"""Lower-case letters, optionally "^" first (only at a word's start) or "$" last (only at its end)."""


class PluralRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    voiceless: frozenset[str]
    """Last phones after which the ending is S."""
    hissing: frozenset[str]
    """Last phones after which the ending is IH Z (else Z)."""

    @field_validator("voiceless", "hissing")
    @classmethod
    def _known(cls, v: frozenset[str]) -> frozenset[str]:
        _phones(" ".join(v))
        return v


class LetterSounds(BaseModel):
    """letter_sounds.yaml: spelling -> phones, and the plural ending rule."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sounds: dict[Spelling, Phones]
    plural: PluralRule

    @field_validator("sounds")
    @classmethod
    def _every_letter(cls, v: dict[str, str]) -> dict[str, str]:
        missing = sorted(set("abcdefghijklmnopqrstuvwxyz") - set(v))
        if missing:
            raise ValueError(f"no rule for the letter(s) {', '.join(missing)}: every word must be speakable")
        return v


@lru_cache(maxsize=4)
def load_letter_sounds(path: Path) -> LetterSounds:
    """Read and validate a letter_sounds.yaml. Raises ConfigError listing every problem with
    file:line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError([f"{path}: cannot read: {e.strerror or e}"]) from e
    data, problems = parse_yaml(text, str(path))
    rules = validate(LetterSounds, data, problems) if isinstance(data, dict) else None
    if data is not None and not isinstance(data, dict):
        problems.add_raw(1, "expected a mapping at the top")
    if problems or rules is None:
        raise ConfigError(problems.messages() or [f"{path}: empty"])
    return rules


def spell_out(word: str, rules: LetterSounds) -> str:
    """Phones of ``word`` (lower-case letters) by the letter-to-sound rules alone: the longest
    spelling that matches at each position, left to right."""
    out: list[str] = []
    i = 0
    longest = max(len(k.strip("^$")) for k in rules.sounds)
    while i < len(word):
        for n in range(min(longest, len(word) - i), 0, -1):
            piece = word[i:i + n]
            at_end, at_start = i + n == len(word), i == 0
            for key in ((f"^{piece}",) if at_start else ()) + ((f"{piece}$",) if at_end else ()) + (piece,):
                if key in rules.sounds:
                    out.append(rules.sounds[key])
                    break
            else:
                continue
            i += n
            break
    return " ".join(p for p in out if p)


def pieces_to_look_up(word: str) -> set[str]:
    """Every substring of ``word`` that could be a dictionary piece (for one dictionary scan)."""
    return {word[i:j] for i in range(len(word)) for j in range(i + MIN_PIECE, len(word) + 1)}


def guess(word: str, known: Callable[[str], str | None], rules: LetterSounds) -> str | None:
    """Phones for ``word`` (see the module docstring); ``known(w)`` gives a dictionary word's
    first pronunciation or None. None if ``word`` is not lower-case letters a-z."""
    if not re.fullmatch(r"[a-z]+", word):
        return None
    spelled_as_word = known

    def known(w: str) -> str | None:
        # "ba" is in the dictionary as the letters "b a" (B IY EY): more phones than letters
        # means an abbreviation, never a piece of a spoken word
        phones = spelled_as_word(w)
        return phones if phones and len(phones.split()) <= len(w) else None

    if word.endswith("s") and (stem := known(word[:-1])):
        last = stem.split()[-1]
        ending = "S" if last in rules.plural.voiceless else "IH Z" if last in rules.plural.hissing else "Z"
        return f"{stem} {ending}"
    best = _compound(word, known)
    if best:
        return " ".join(best)
    for n in range(len(word) - 1, MIN_ANCHOR - 1, -1):   # the longest dictionary start or end
        if head := known(word[:n]):
            return f"{head} {spell_out(word[n:], rules)}".strip()
        if tail := known(word[-n:]):
            return f"{spell_out(word[:-n], rules)} {tail}".strip()
    return spell_out(word, rules) or None


def _compound(word: str, known: Callable[[str], str | None]) -> list[str] | None:
    """Phones of the fewest dictionary pieces (at most :data:`MAX_PIECES`) that spell ``word``;
    None if there is no such split."""
    # prefix length -> (phones of each piece, shortest piece's letters) of its best split:
    # fewest pieces, then the longest shortest piece ("side board" over "si deboard")
    best: dict[int, tuple[list[str], int]] = {0: ([], 99)}
    for end in range(1, len(word) + 1):
        options = [(best[start][0] + [p], min(best[start][1], end - start))
                   for start in range(0, end - MIN_PIECE + 1)
                   if start in best and len(best[start][0]) < MAX_PIECES and (p := known(word[start:end]))]
        if options:
            best[end] = min(options, key=lambda o: (len(o[0]), -o[1]))
    return best[len(word)][0] if len(word) in best else None
