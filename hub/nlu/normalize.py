"""Text clean-up before the intent model: what a speech recogniser returns -> plain words.

Lower case, punctuation dropped, fillers removed ("um", "please", "could you"), common ASR slips
fixed ("turn of" -> "turn off"), number words and symbols turned into digits ("twenty one" -> 21,
"nineteen point five" -> 19.5, "half" -> "50 percent", "40%" -> "40 percent", "21°" -> "21 degrees").
Every word is data of the :class:`~hub.nlu.language.Language` (intents/<language>/lexicon.yaml and
language.yaml); this module only applies them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Callable, Iterable

from hub.nlu.language import INTENTS_ROOT, Language, load_language

INTENTS_DIR = INTENTS_ROOT / "en"
"""The English data folder, which the training-data generator (hub/nlu/generate.py) reads."""

SPELL_MIN = 85.0
"""rapidfuzz ratio above which a misheard word is read as the command word it is closest to."""


@dataclass(frozen=True)
class LexiconView:
    """lexicon.yaml as read (``raw["colors"]``...), for the training-data generator."""

    raw: dict


def load_lexicon() -> LexiconView:
    """The English lexicon.yaml as a dict (validated with the rest of the language)."""
    return LexiconView(load_language("en").raw["lexicon"])


def _number_run(words: list[str], i: int, lang: Language) -> tuple[float, int]:
    """Longest number-word run starting at ``i`` -> (value, index after it); (0, i) if none.
    "nineteen and a half" -> 19.5 (language.yaml numbers.fractions after the joiner);
    "two thousand five hundred" -> 2500; whisper's mixed "2 hundred and 3" -> 203 (a count in digits
    before hundred/thousand, and digits under 100 after them)."""
    num = lang.grammar.numbers
    units, tens = num.units, num.tens
    scales = (num.hundred, num.thousand)

    def small(w: str) -> bool:  # digits whisper writes under 100 ("2 hundred and 3")
        return w.isdigit() and int(w) < 100

    thousands = 0
    cur = 0
    j = i
    n = len(words)
    while j < n:
        x = words[j]
        if x == num.article and j == i and j + 1 < n and words[j + 1] in scales:
            cur = 1
        elif x.isdigit() and 0 < int(x) < 1000 and j + 1 < n and words[j + 1] in scales and (
                j == i or thousands and not cur and words[j + 1] == num.hundred):
            cur = int(x)
        elif small(x) and j > i and cur >= 100 and cur % 100 == 0 or small(x) and thousands and not cur:
            cur += int(x)
            j += 1
            break  # a number in digits ends the run
        elif x == num.thousand and not thousands and cur < 1000 and (cur or j == i + 1):
            thousands, cur = (cur or 1) * 1000, 0
        elif x == num.hundred and cur < 100 and j > i - 1:
            cur = (cur or 1) * 100
        elif x in tens and cur % 100 == 0:
            cur += tens[x]
        elif x in units and (cur % 100 == 0 or (cur % 100 >= 20 and cur % 10 == 0 and units[x] < 10)):
            if j > i and cur % 100 == 0 and cur < 100 and not (thousands and cur == 0):
                break  # "zero five": two numbers, not one
            cur += units[x]
        elif x == num.joiner and (cur >= 100 and cur % 100 == 0 or thousands and not cur) and j + 1 < n and (
                words[j + 1] in units or words[j + 1] in tens or small(words[j + 1])):
            pass
        else:
            break
        j += 1
    if j == i or (j == i + 1 and words[i] == num.article):
        return 0, i
    return thousands + cur, j


def _fraction(words: list[str], j: int, lang: Language) -> tuple[float, int]:
    """ "and a half" at ``j`` -> (0.5, index after it); (0, j) if none."""
    num = lang.grammar.numbers
    if j < len(words) and words[j] == num.joiner:
        for phrase, x in sorted(num.fractions.items(), key=lambda p: -len(p[0])):
            k = phrase.split()
            if words[j + 1:j + 1 + len(k)] == k:
                return x, j + 1 + len(k)
    return 0, j


def _words_to_numbers(words: list[str], lang: Language) -> list[str]:
    """Replace runs of number words by one digit string; "point five" gives decimals."""
    num = lang.grammar.numbers
    number_words = lang.lexicon.number_words
    timed, durations = lang.timed_shares
    percent = lang.grammar.units.percent
    out: list[str] = []
    i = 0
    n = len(words)
    while i < n:
        if any(words[i - j:i - j + len(p.split())] == p.split() for p in lang.lexicon.not_numbers
               for j in range(1, len(p.split())) if i >= j and p.split()[j] == words[i]):
            out.append(words[i])  # "the one | tucks are coming" (whisper's "the wantoks"): no 1
            i += 1
            continue
        k = i
        while k < n and num.units.get(words[k], 10) < 10:
            k += 1
        if num.digit_run and k - i >= num.digit_run and (k == n or words[k] not in (num.hundred, num.thousand)):
            # "channel one nine one": a number said digit by digit
            out.append("".join(str(num.units[w]) for w in words[i:k]))
            i = k
            continue
        if out and out[-1] in lang.grammar.numbered_words and 0 < num.units.get(words[i], 0) < 10 and i + 1 < n \
                and (words[i + 1] in num.tens or 10 <= num.units.get(words[i + 1], 0) < 20):
            # "channel two forty five" is 245, "channel three eighteen" 318: a digit, then the rest
            rest, j = _number_run(words, i + 1, lang)
            if j > i + 1 and 10 <= rest < 100:
                out.append(_fmt(num.units[words[i]] * 100 + rest))
                i = j
                continue
        value, j = _number_run(words, i, lang)
        if j > i:
            if j + 1 < n and words[j] == num.point and (words[j + 1] in num.units or words[j + 1].isdigit()):
                frac = words[j + 1] if words[j + 1].isdigit() else str(num.units[words[j + 1]])
                out.append(f"{value}.{frac}")
                i = j + 2
            else:
                extra, j = _fraction(words, j, lang)
                out.append(_fmt(value + extra))
                i = j
            continue
        w = words[i]
        if w.isdigit() and i + 2 < n and words[i + 1] == num.point and words[i + 2].isdigit():
            out.append(f"{w}.{words[i + 2]}")
            i += 3
            continue
        if is_number(w):
            extra, j = _fraction(words, i + 1, lang)
            if extra:
                out.append(_fmt(float(w) + extra))
                i = j
                continue
        if any(words[i:i + len(p.split())] == p.split() for p in lang.lexicon.not_numbers):
            out.append(w)  # "the kitchen full of smoke": no 100 percent
            i += 1
            continue
        share = w in lang.lexicon.proportion_words and (i + 1 == n or not (words[i + 1] in timed or words[i + 1].isdigit())) \
            and not set(words[max(0, i - 3):i]) & durations
        if share and out and lang.grammar.step_leads.get(out[-1]):
            out.append(lang.grammar.level_lead)  # "bring the blind down halfway": to halfway, never by half
        out.append(_fmt(number_words[w]) if w in number_words else w)
        if share:
            out.append(percent)  # "half" is 50 percent: a share, never 50 degrees
        i += 1
    return out


def _level_phrases(words: list[str], lang: Language) -> list[str]:
    """A phrase of language.yaml ``level_phrases`` and its hedges before a number (its words not yet
    read) said as the level lead ("lower the blind till it's only a quarter open" -> "... to quarter
    open", read on as "to 25 percent open")."""
    g = lang.grammar
    out: list[str] = []
    i = 0
    while i < len(words):
        p = next((p for p in g.level_phrases if words[i:i + len(p.split())] == p.split()), None)
        if p is not None:
            j = i + len(p.split())
            while j < len(words) and words[j] in g.level_hedges:
                j += 1
            k = j + (j + 1 < len(words) and words[j] == g.numbers.article)  # "a third", never "a bit"
            if k < len(words) and (is_number(words[k]) or words[k] in lang.number_vocab and words[k] != g.numbers.article):
                out.append(g.level_lead)
                i = j
                continue
        out.append(words[i])
        i += 1
    return out


def is_number(w: str) -> bool:
    """Whether a normalised word is a number ("21", "19.5"); "nan" (a grandmother) and "inf" are words."""
    try:
        return math.isfinite(float(w))
    except ValueError:
        return False


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _apply_phrases(words: list[str], table: dict[str, str]) -> list[str]:
    text = " " + " ".join(words) + " "
    for src, dst in table.items():
        text = text.replace(f" {src} ", f" {dst} ")
        text = text.replace(f" {src} ", f" {dst} ")
    return text.split()


def _off_heard(words: list[str], lang: Language, keep: frozenset[str]) -> list[str]:
    """Each phrase of lexicon ``off_heard`` as its form, unless a determiner or a word of the home's
    names (of ``keep``, no word of the phrasing) follows it: "turn the lights of" -> "... off",
    "close the lights of the sala" stays."""
    g = lang.grammar

    def named(w: str) -> bool:
        return w in g.determiners or (w in keep and w not in lang.phrasing_words and w not in g.stop_words)

    out = list(words)
    for src, dst in lang.lexicon.off_heard.items():
        s, d = src.split(), dst.split()
        i = 0
        while i + len(s) <= len(out):
            if out[i:i + len(s)] == s and (i + len(s) == len(out) or not named(out[i + len(s)])):
                out[i:i + len(s)] = d
                i += len(d)
            else:
                i += 1
    return out


def _rewrite(words: list[str], rewrites: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]) -> list[str]:
    """Each phrase of ``rewrites`` (longest first) said as its form, in one pass (amounts,
    ``Language.amount_rewrites``: "a wee bit", "a tad" -> "a bit")."""
    out: list[str] = []
    i = 0
    while i < len(words):
        hit = next(((src, dst) for src, dst in rewrites if tuple(words[i:i + len(src)]) == src), None)
        if hit is None:
            out.append(words[i])
            i += 1
        else:
            out += hit[1]
            i += len(hit[0])
    return out


def _reduplicated(words: list[str], lang: Language) -> list[str]:
    """ "the yard dark dark" -> "the yard so dark": a complaint (``grammar.complaint_worse``) said
    twice (Caribbean, West African, South Asian English) is said strongly, as with the first of
    ``grammar.complaint_forms``."""
    g = lang.grammar
    if not g.complaint_forms:
        return words
    return [g.complaint_forms[0] if i + 1 < len(words) and w == words[i + 1] and w in g.complaint_worse else w
            for i, w in enumerate(words)]


def _endings_read(words: list[str], lang: Language) -> list[str]:
    """ "the wee toilet's honkin" -> "... honking": a word no dictionary spelling holds (language
    ``spelt_words``) whose ending said short (``grammar.dropped_endings``) made full is one; "cabin",
    a word, stays. Without a dictionary, ``words`` as they are."""
    ends = lang.grammar.dropped_endings
    if not ends or not lang.spelt_words:
        return words
    spelt = lang.spelt_words

    def full(w: str) -> str:
        for short, whole in ends.items():
            if len(w) > len(short) + 2 and w.endswith(short) and w not in spelt and (f := w[:-len(short)] + whole) in spelt:
                return f
        return w

    return [full(w) for w in words]


def _joints_read(words: list[str], lang: Language) -> list[str]:
    """ "pit on granny's electric blanket an set ..." -> "... and set ...": a word said for "and"
    (``grammar.joint_forms``) right before a command verb (``lang.starters``)."""
    forms = lang.grammar.joint_forms
    return [forms.get(w, w) if i + 1 < len(words) and words[i + 1] in lang.starters else w for i, w in enumerate(words)]


def _pronoun_forms(words: list[str], lang: Language) -> list[str]:
    """ "turn em off" -> "turn them off": a pronoun's spoken form (``grammar.pronoun_forms``) right
    after a command verb is the pronoun."""
    forms = lang.grammar.pronoun_forms
    return [forms.get(w, w) if i and words[i - 1] in lang.verbs else w for i, w in enumerate(words)]


def _possessives_read(words: list[str], lang: Language) -> list[str]:
    """ "for me nan" -> "for my nan": a pronoun said for a possessive (``grammar.possessive_forms``)
    right before one of ``grammar.possessed``."""
    g = lang.grammar
    return [g.possessive_forms.get(w, w) if i + 1 < len(words) and words[i + 1] in g.possessed else w
            for i, w in enumerate(words)]


def _degrees_read(words: list[str], lang: Language) -> list[str]:
    """ "it's some stuffy up in our room" -> "it's stuffy up in our room": a word of degree
    (``grammar.degree_words``) right after one of ``grammar.degree_after`` and before a word that
    is no determiner, number or pause says only how much of it."""
    g = lang.grammar
    degree, after, dets = frozenset(g.degree_words), frozenset(g.degree_after), frozenset(g.determiners)
    return [w for i, w in enumerate(words)
            if not (w in degree and 0 < i < len(words) - 1 and words[i - 1] in after
                    and words[i + 1] not in dets and words[i + 1] != "," and not is_number(words[i + 1]))]


def _similes_read(words: list[str], lang: Language) -> list[str]:
    """ "it's black as pitch down the cellar" -> "it's black down the cellar": a simile
    (``grammar.simile_leads``, a determiner and up to ``simile_words`` words) after a word that one of
    ``grammar.degree_after`` comes before says only how much; it ends at a word of ``simile_ends``,
    a pause or the end, or it is no simile and stays. Its other form, "the garage is as dark as a
    tunnel", loses its first lead too."""
    g = lang.grammar
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w in g.simile_leads and out and out[-1] in g.degree_after and i + 2 < len(words) and words[i + 2] in g.simile_leads:
            i += 1  # "is | as | dark as a tunnel"
            continue
        if w in g.simile_leads and len(out) >= 2 and out[-2] in g.degree_after:
            k = i + 1 + (i + 1 < len(words) and words[i + 1] in g.determiners)
            end = next((e for e in range(k + 1, min(k + g.simile_words, len(words)) + 1)
                        if e == len(words) or words[e] in g.simile_ends or words[e] == ","), None)
            if end is not None and all(not is_number(x) for x in words[k:end]):
                i = end
                continue
        out.append(w)
        i += 1
    return out


def _likenings_read(words: list[str], lang: Language) -> list[str]:
    """ "mwila's room is like an oven" -> "... is boiling": a likening (``grammar.likening_leads``, an
    indefinite article and a word of ``grammar.likenings``) right after a word of
    ``grammar.degree_after`` is the complaint it says."""
    g = lang.grammar
    out: list[str] = []
    i = 0
    while i < len(words):
        if (words[i] in g.likening_leads and out and out[-1] in g.degree_after and i + 2 < len(words)
                and words[i + 1] in g.indefinite_articles and words[i + 2] in g.likenings):
            out.append(g.likenings[words[i + 2]])
            i += 3
            continue
        out.append(words[i])
        i += 1
    return out


def _benefactives_read(words: list[str], lang: Language) -> list[str]:
    """ "fill for us the tank" -> "fill the tank": a ``grammar.benefactives`` phrase after a word and
    before a determiner says for whom, no word of the command."""
    g = lang.grammar
    for phrase in g.benefactives:
        p = phrase.split()
        k = next((k for k in range(1, len(words) - len(p)) if words[k:k + len(p)] == p
                  and words[k + len(p)] in g.determiners), None)
        if k is not None:
            words = words[:k] + words[k + len(p):]
    return words


def _complaint_forms(words: list[str], lang: Language) -> list[str]:
    """ "the staircase is so dark" -> "... too dark": a ``grammar.complaint_forms`` word before a
    complaint (``grammar.complaint_worse``) is the first complaint word, but where it opens what is
    said ("so dim the lamp": "so" opens, "dim" is the verb)."""
    g = lang.grammar
    if not g.complaint_words:
        return words
    return [g.complaint_words[0] if w in g.complaint_forms and 0 < i < len(words) - 1 and words[i - 1] != ","
            and words[i + 1] in g.complaint_worse else w for i, w in enumerate(words)]


def _digit_words(words: list[str], lang: Language) -> list[str]:
    """ "one oh one" -> "one zero one": a ``numbers.digit_words`` word between two single digits is
    the digit it says (before "oh", a filler, is dropped)."""
    num = lang.grammar.numbers
    said = {v: w for w, v in num.units.items()}

    def digit(w: str) -> bool:
        return num.units.get(w, 10) < 10

    return [said.get(num.digit_words[w], w) if w in num.digit_words and 0 < i < len(words) - 1
            and digit(words[i - 1]) and digit(words[i + 1]) else w for i, w in enumerate(words)]


def _vocatives_read(words: list[str], vocatives: frozenset[str], openers: list[tuple[str, ...]],
                    verbs: frozenset[str], subjects: frozenset[str] = frozenset(),
                    determiners: frozenset[str] = frozenset(), ways: frozenset[str] = frozenset(),
                    leads: frozenset[str] = frozenset()) -> list[str]:
    """``words`` without the ``vocatives`` they end on, punctuation after them too ("the coorie
    mode on pal ." -> "the coorie mode on"); one said between two parts, before a statement
    (``openers``: "open the front shutters cher | it's morning") or a command verb with words after it
    ("where y'at baby | turn on the den lamp"; not "... it's good ma dim", whisper's "ma heid in"), is
    a comma there; one before a statement of why's subject (``subjects``: "start the rice cooker cher
    the gravy's almost ready") is dropped, so the reason runs on from the command as it is read
    without it. A way said as the verb (``ways``: "it's getting dark chale | on the floodlights") is a
    command verb here; one that opens ``words`` before a command verb is dropped ("ssebo | off the
    kettle"), with a word of ``leads`` before it ("my man | put the piazza light off"). At least two
    words stay. After a determiner the word is no vocative ("did the kids |
    lock the front door")."""
    commands = verbs | ways
    k = 1 if len(words) > 3 and words[0] in leads and words[1] in vocatives else 0
    if len(words) > k + 2 and words[k] in vocatives and words[k + 1] in commands:
        words = words[k + 1:]
    words = ["," if 2 <= i < len(words) - 1 and w in vocatives and words[i - 1] not in determiners
             and (any(tuple(words[i + 1:i + 1 + len(o)]) == o for o in openers)
                  or (words[i + 1] in commands and i + 2 < len(words))) else w
             for i, w in enumerate(words)]
    words = [w for i, w in enumerate(words) if not (2 <= i < len(words) - 2 and w in vocatives and words[i + 1] in subjects
                                                    and words[i - 1] not in determiners)]
    end = len(words)
    while end and words[end - 1] == ",":
        end -= 1
    cut = end
    while cut > 2 and words[cut - 1] in vocatives:
        cut -= 1
        while cut and words[cut - 1] == ",":
            cut -= 1
    return words[:cut] if cut < end else words


def _addressed(words: list[str], names: tuple[tuple[str, ...], ...], keep: frozenset[str],
               heard: Callable[[tuple[str, ...]], bool] | None = None, verbs: frozenset[str] = frozenset()) -> list[str]:
    """An assistant's name said to it (lexicon.yaml ``addressed``, longest first) -> a pause, and
    the words before it since the last pause with it where none is a word of ``keep`` (the home's
    names and phrasing): "sasa jarvis switch on ..." -> "switch on ...", whisper's "kandili my jarvis
    open our shades" -> "kandili my , open our shades". With ``heard`` (whether a run of words
    sounds like one of the names), so is a run of one or two words outside ``keep`` that does,
    right before one of ``verbs``: whisper's "we're on javi's | turn the alarm off", "jarmi's | turn
    on the hitachi"."""
    out: list[str] = []
    i = 0
    while i < len(words):
        name = next((n for n in names if tuple(words[i:i + len(n)]) == n), None)
        n = len(name) if name is not None else 0
        if not n and heard is not None:
            n = next((k for k in (2, 1) if i + k < len(words) and words[i + k] in verbs
                      and not set(words[i:i + k]) & keep and heard(tuple(words[i:i + k]))), 0)
        if not n:
            out.append(words[i])
            i += 1
            continue
        start = max((k + 1 for k, w in enumerate(out) if w == ","), default=0)
        if not any(w in keep for w in out[start:]):
            del out[start:]
        out.append(",")
        i += n
    return out


def drop_phrases(words: list[str], phrases: Iterable[tuple[str, ...]]) -> list[str]:
    """``words`` without each of ``phrases`` (word tuples, longest first) wherever it stands."""
    out: list[str] = []
    i = 0
    while i < len(words):
        for f in phrases:
            if tuple(words[i:i + len(f)]) == f:
                i += len(f)
                break
        else:
            out.append(words[i])
            i += 1
    return out


NUMBER_SPELL_MIN_LEN = 5
"""A misheard word becomes a number word only from this many letters: a short one is too easily
another word ("tone" is not "one", it is "turn")."""


def correct_spelling(words: list[str], vocab: frozenset[str], keep: frozenset[str],
                     nouns: frozenset[str], determiners: frozenset[str],
                     numbers: frozenset[str] = frozenset(), endings: tuple[str, ...] = (),
                     spelt: frozenset[str] = frozenset()) -> list[str]:
    """Words of 4+ letters that are in neither ``vocab`` (command words) nor ``keep`` (the home's
    name words, also as pieces: "thermo stat") -> the closest ``vocab`` word if it scores >= SPELL_MIN
    ("togle" -> "toggle"), or of ``numbers`` from NUMBER_SPELL_MIN_LEN letters ("smventy" ->
    "seventy"); names are never touched, nor a ``vocab`` word with one of ``endings`` ("switched"
    is not "switches"), nor a word of ``spelt`` (the language's dictionary: "thirsty" is no
    "thirty"). After one of ``determiners`` only ``nouns`` (and numbers) are candidates ("the sart
    tv" is not "the start tv")."""
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import OSA

    out: list[str] = []
    for w in words:
        inflected = any(w.endswith(e) and w[:-len(e)] in vocab for e in endings)
        if len(w) >= 4 and w.isalpha() and w not in vocab | numbers and w not in keep and not inflected \
                and w not in spelt and not any(w in k for k in keep):
            choices = nouns if out and out[-1] in determiners else vocab
            if len(w) >= NUMBER_SPELL_MIN_LEN:
                choices = choices | numbers
            best = process.extractOne(w, choices, scorer=fuzz.ratio, score_cutoff=SPELL_MIN)
            if best is not None:
                w = best[0]
            else:
                # two letters swapped, the commonest typing slip ("evrey"), scores under SPELL_MIN
                swapped = [c for c in choices if len(c) == len(w) and OSA.distance(w, c) == 1 and sorted(c) == sorted(w)]
                if len(swapped) == 1:
                    w = swapped[0]
        out.append(w)
    return out


def _symbols(t: str, lang: Language) -> str:
    """Unit symbols and letters after a digit -> unit words ("40%" -> "40 percent ")."""
    g = lang.grammar
    for sym, word in sorted(g.unit_symbols.items(), key=lambda p: -len(p[0])):
        pat = r"\s*".join(re.escape(c) for c in sym)
        t = re.sub(rf"(\d)\s*{pat}" + (r"\b" if sym[-1].isalpha() else ""), rf"\1 {word} ", t)
    for sym, word in g.unit_symbols.items():
        if not sym[-1].isalpha():
            t = t.replace(sym, f" {word} ")
    for suffix, word in g.unit_suffixes.items():
        t = re.sub(rf"(\d)\s*{re.escape(suffix)}\b", rf"\1 {word}", t)
    return t


def _copulas(t: str, lang: Language) -> str:
    """A variety's copula (language.yaml ``copulas``) -> what it ``reads`` as before one of its words,
    or as ``alone`` where it opens the text or a clause or follows an interjection: "da front door
    stay locked or what" -> "da front door is locked or what", "ho stay dark" -> "ho its dark"; left
    as it is after a wish (``copula_not_after``: "let the back door stay open")."""
    g = lang.grammar
    for word, copula in g.copulas.items():
        pattern = re.compile(rf"\b{re.escape(word)}\s+(?=(?:{'|'.join(map(re.escape, copula.before))})\b)")
        out, last = [], 0
        for m in pattern.finditer(t):
            before = t[:m.start()]
            said = re.findall(r"[\w']+|[,.!?;]", before)
            clause = said[len(said) - next((k for k, w in enumerate(reversed(said)) if w in ",.!?;"), len(said)):]
            if set(clause[-4:]) & set(g.copula_not_after):
                continue
            subjectless = not clause or all(w in g.interjections for w in clause)
            out += [t[last:m.start()], (copula.alone if subjectless else copula.reads) + " "]
            last = m.end()
        t = "".join(out) + t[last:]
    return t


def normalize(text: str, lang: Language | None = None, vocab: frozenset[str] = frozenset(),
              keep: frozenset[str] = frozenset(), nouns: frozenset[str] = frozenset(),
              addressed: tuple[tuple[str, ...], ...] | None = None,
              heard: Callable[[tuple[str, ...]], bool] | None = None) -> list[str]:
    """Utterance text -> list of normalised words (digits for numbers, no fillers); "," marks
    punctuation between words, where a clause may end. With ``vocab``, misspelt command and
    number words are corrected first (see :func:`correct_spelling`). ``lang`` defaults to English.
    ``addressed``: the names the hub is called by (:meth:`Language.addressed_with`), read as a
    pause; the language's own by default; ``heard``: whether a run of words sounds like one of
    them, which is read so right before a command verb (:func:`_addressed`).

    ``"Um, could you set the den lamp to seventy %?"`` -> ``["set", "the", "den", "lamp", "to", "70", "percent"]``.
    """
    lang = lang or load_language()
    t = text.lower().replace("’", "'")
    t = re.sub(r"(\d),(\d{3})", r"\1\2", t)
    t = _symbols(t, lang)
    for short, full in lang.grammar.contractions.items():
        t = re.sub(rf"\b{re.escape(short)}\b", full, t)
    for short, full in lang.grammar.proclitics.items():
        t = re.sub(rf"(?<![\w']){re.escape(short)}(?=\w\w)", full + " ", t)  # "t'oil", never whisper's "t's"
    t = _copulas(t, lang)
    g = lang.grammar
    # "the gate's open" is "the gate is open"; "Priya's room" is a name; "it's" stays the word "its"
    # the phrasings say ("it's plumb dark": language.yaml s_words)
    states = "|".join(re.escape(w) for w in lang.contracted_is_before)
    word = "".join(rf"(?<!\b{re.escape(w)})" for w in g.s_words)
    t = re.sub(rf"{word}'s (?=(?:{states})\b)", " is ", t)
    if g.is_before_unset:  # "the baby's down", not whisper's "kitchen spot's down to thirty" for the "spots"
        ways = "|".join(re.escape(w) for w in g.is_before_unset)
        t = re.sub(rf"{word}'s (?=(?:{ways})\b(?!\s+{re.escape(g.level_lead)}\b))", " is ", t)
    if g.is_before_endings:  # "the baby's sleeping", not "dad's reading lamp" where a name holds "reading"
        ends = "|".join(re.escape(e) for e in g.is_before_endings)
        t = re.sub(rf"{word}'s (?=(\w{{{max(g.is_before_letters - 3, 1)},}}(?:{ends}))\b)",
                   lambda m: "'s " if m.group(1) in keep else " is ", t)
    t = re.sub(r"'s\b", "s", t)
    t = t.replace("'", "")
    t = re.sub(r"(\d)-(\d)", r"\1 \2", t)
    # A comma, semicolon or full stop may end a clause: keep it as the word "," (see split_clauses).
    t = re.sub(r"(?<!\d)\.|\.(?!\d)|[,;!?]", " , ", t)
    t = re.sub(r"[^\w\s.,]+", " ", t).replace("_", " ")
    t = re.sub(r"(\d)([a-z])", r"\1 \2", t)
    if g.glued_leads:  # whisper's "down t15" for "down to fifteen": the lead and its number apart
        t = re.sub(rf"\b({'|'.join(re.escape(x) for x in g.glued_leads)})(\d)", r"\1 \2", t)
    words = t.split()
    if vocab:
        numbers = lang.number_vocab
        words = correct_spelling(words, vocab, keep, nouns, frozenset(lang.grammar.spelling_determiners), numbers,
                                 tuple(lang.grammar.verb_endings), lang.spelt_words)
    words = _apply_phrases(_endings_read(words, lang), lang.lexicon.asr_fixes)
    words = _off_heard(words, lang, keep)
    words = _joints_read(words, lang)
    words = _reduplicated(words, lang)
    words = _pronoun_forms(words, lang)
    words = _possessives_read(words, lang)
    words = _apply_phrases(words, lang.grammar.collective_pronouns)
    words = _complaint_forms(words, lang)  # before "so", a filler, is dropped
    words = _degrees_read(words, lang)  # ... and after "really quiet" is "too quiet"
    words = _likenings_read(words, lang)  # ... before a simile's "like" reads "like an oven" away
    words = _similes_read(words, lang)
    words = _benefactives_read(words, lang)
    words = _level_phrases(words, lang)  # ... and before "so it's three quarters open" loses it
    words = _digit_words(words, lang)  # ... and "oh"
    words = _addressed(words, lang.addressed_phrases if addressed is None else addressed, keep, heard, lang.starters)
    words = drop_phrases(words, lang.filler_phrases)
    # an interjection is kept from the spelling corrector, yet ends a command as a vocative ("... man")
    words = _vocatives_read(words, frozenset(lang.lexicon.closing_vocatives) - (keep - lang.grammar.interjections),
                            [tuple(o.split()) for o in lang.grammar.statement_starts], lang.verbs,
                            lang.grammar.reason_subjects | lang.grammar.reason_pronouns, frozenset(lang.grammar.determiners),
                            frozenset(lang.grammar.undirected.options), frozenset(lang.grammar.vocative_leads))
    words = _rewrite(words, lang.amount_rewrites)
    words = _apply_phrases(words, {k: _fmt(v) for k, v in sorted(lang.grammar.numbers.phrases.items(), key=lambda p: -len(p[0]))})
    words = _words_to_numbers(words, lang)
    # "set da heat pump ta 21": a variety's "to", read so right before a number only
    words = [lang.grammar.number_leads.get(w, w) if i + 1 < len(words) and is_number(words[i + 1]) else w
             for i, w in enumerate(words)]
    words = _apply_phrases(words, lang.lexicon.post_number_fixes)
    while words and words[-1] == ",":
        words.pop()
    while words and words[0] == ",":
        words.pop(0)
    return words

