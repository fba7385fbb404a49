"""Text clean-up before the intent model: what a speech recogniser returns -> plain words.

Lower case, punctuation dropped, fillers removed ("um", "please", "could you"), common ASR slips
fixed ("turn of" -> "turn off"), number words and symbols turned into digits ("twenty one" -> 21,
"nineteen point five" -> 19.5, "half" -> 50, "40%" -> "40 percent", "21°" -> "21 degrees").
The word lists are data in intents/en/lexicon.yaml; this module only applies them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

INTENTS_DIR = Path(__file__).resolve().parent.parent.parent / "intents" / "en"

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
         "seventy": 70, "eighty": 80, "ninety": 90}


@dataclass(frozen=True)
class Lexicon:
    """Word lists from intents/en/lexicon.yaml (fillers, fixes, value words)."""

    fillers: tuple[tuple[str, ...], ...]
    """Multi-word fillers first, each as a word tuple."""
    fixes: dict[str, str]
    """Phrase -> replacement, applied on whole words."""
    number_words: dict[str, float]
    """Words that stand for a number ("half" -> 50)."""
    raw: dict


@lru_cache(maxsize=4)
def load_lexicon(path: Path = INTENTS_DIR / "lexicon.yaml") -> Lexicon:
    """Read intents/en/lexicon.yaml. Raises OSError / yaml.YAMLError if it is missing or broken."""
    with open(path, encoding="utf-8") as f:
        raw = yaml.safe_load(f)
    fillers = sorted((tuple(x.split()) for x in raw["fillers"]), key=len, reverse=True)
    return Lexicon(
        fillers=tuple(fillers),
        fixes={k: v for k, v in raw["asr_fixes"].items()},
        number_words={k: float(v) for k, v in raw["number_words"].items()},
        raw=raw,
    )


def _number_run(words: list[str], i: int) -> tuple[int, int]:
    """Longest number-word run starting at ``i`` -> (value, index after it); (0, i) if none."""
    cur = 0
    j = i
    n = len(words)
    while j < n:
        x = words[j]
        if x == "a" and j == i and j + 1 < n and words[j + 1] == "hundred":
            cur = 1
        elif x == "hundred" and cur < 100 and j > i - 1:
            cur = (cur or 1) * 100
        elif x in _TENS and cur % 100 == 0:
            cur += _TENS[x]
        elif x in _UNITS and (cur % 100 == 0 or (cur % 100 >= 20 and cur % 10 == 0 and _UNITS[x] < 10)):
            if j > i and cur % 100 == 0 and cur < 100:
                break  # "zero five": two numbers, not one
            cur += _UNITS[x]
        elif x == "and" and cur >= 100 and cur % 100 == 0 and j + 1 < n and (words[j + 1] in _UNITS or words[j + 1] in _TENS):
            pass
        else:
            break
        j += 1
    if j == i or (j == i + 1 and words[i] == "a"):
        return 0, i
    return cur, j


def _words_to_numbers(words: list[str], lex: Lexicon) -> list[str]:
    """Replace runs of number words by one digit string; "point five" gives decimals."""
    out: list[str] = []
    i = 0
    n = len(words)
    while i < n:
        value, j = _number_run(words, i)
        if j > i:
            if j + 1 < n and words[j] == "point" and (words[j + 1] in _UNITS or words[j + 1].isdigit()):
                frac = words[j + 1] if words[j + 1].isdigit() else str(_UNITS[words[j + 1]])
                out.append(f"{value}.{frac}")
                i = j + 2
            else:
                out.append(str(value))
                i = j
            continue
        w = words[i]
        if w.isdigit() and i + 2 < n and words[i + 1] == "point" and words[i + 2].isdigit():
            out.append(f"{w}.{words[i + 2]}")
            i += 3
            continue
        out.append(_fmt(lex.number_words[w]) if w in lex.number_words else w)
        i += 1
    return out


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _apply_phrases(words: list[str], table: dict[str, str]) -> list[str]:
    text = " " + " ".join(words) + " "
    for src, dst in table.items():
        text = text.replace(f" {src} ", f" {dst} ")
        text = text.replace(f" {src} ", f" {dst} ")
    return text.split()


def _drop_fillers(words: list[str], lex: Lexicon) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(words):
        for f in lex.fillers:
            if tuple(words[i:i + len(f)]) == f:
                i += len(f)
                break
        else:
            out.append(words[i])
            i += 1
    return out


SPELL_MIN = 85.0
"""rapidfuzz ratio above which a misheard word is read as the command word it is closest to."""
NUMBER_WORDS = frozenset([*_UNITS, *_TENS, "hundred", "point"])


DETERMINERS = frozenset({"the", "my", "our", "a", "your", "this", "that"})


def correct_spelling(words: list[str], vocab: frozenset[str], keep: frozenset[str],
                     nouns: frozenset[str] = frozenset()) -> list[str]:
    """Words of 4+ letters that are in neither ``vocab`` (command words) nor ``keep`` (the home's
    name words, also as pieces: "thermo stat") -> the closest ``vocab`` word if it scores >= SPELL_MIN
    ("togle" -> "toggle", "smventy" -> "seventy"); names are never touched. After a determiner
    only ``nouns`` are candidates ("the sart tv" is not "the start tv")."""
    from rapidfuzz import fuzz, process

    out: list[str] = []
    for w in words:
        if len(w) >= 4 and w.isalpha() and w not in vocab and w not in keep and not any(w in k for k in keep):
            choices = nouns if out and out[-1] in DETERMINERS else vocab
            best = process.extractOne(w, choices, scorer=fuzz.ratio, score_cutoff=SPELL_MIN)
            if best is not None:
                w = best[0]
        out.append(w)
    return out


def normalize(text: str, lex: Lexicon | None = None, vocab: frozenset[str] = frozenset(),
              keep: frozenset[str] = frozenset(), nouns: frozenset[str] = frozenset()) -> list[str]:
    """Utterance text -> list of normalised words (digits for numbers, no fillers); "," marks
    punctuation between words, where a clause may end. With ``vocab``, misspelt command and
    number words are corrected first (see :func:`correct_spelling`).

    ``"Um, could you set the den lamp to seventy %?"`` -> ``[",", "set", "the", "den", "lamp", "to", "70", "percent"]``
    minus the leading ",": ``["set", "the", "den", "lamp", "to", "70", "percent"]``.
    """
    lex = lex or load_lexicon()
    t = text.lower().replace("’", "'")
    t = re.sub(r"(\d),(\d{3})", r"\1\2", t)
    t = re.sub(r"(\d)\s*%", r"\1 percent ", t)
    t = t.replace("%", " percent ")
    t = re.sub(r"(\d)\s*°\s*([cf])\b", r"\1 degrees", t)
    t = t.replace("°", " degrees ")
    t = re.sub(r"(\d)\s*k\b", r"\1 kelvin", t)
    t = re.sub(r"'s\b", "s", t)
    t = t.replace("'", "")
    t = re.sub(r"(\d)-(\d)", r"\1 \2", t)
    # A comma, semicolon or full stop may end a clause: keep it as the word "," (see split_clauses).
    t = re.sub(r"(?<!\d)\.|\.(?!\d)|[,;!?]", " , ", t)
    t = re.sub(r"[^\w\s.,]+", " ", t).replace("_", " ")
    t = re.sub(r"(\d)([a-z])", r"\1 \2", t)
    words = t.split()
    if vocab:
        numbers = NUMBER_WORDS | frozenset(lex.number_words)
        words = correct_spelling(words, vocab | numbers, keep, nouns | numbers)
    words = _apply_phrases(words, lex.fixes)
    words = _drop_fillers(words, lex)
    words = _words_to_numbers(words, lex)
    words = _apply_phrases(words, lex.raw.get("post_number_fixes", {}))
    while words and words[-1] == ",":
        words.pop()
    while words and words[0] == ",":
        words.pop(0)
    return words
