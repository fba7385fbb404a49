"""Self-repairs: a speaker who corrects a word mid-command.

People fix what they say as they say it: "turn on the kitchen no the hall light", "lock the front
door wait no the side door", "set the heating to twenty one sorry twenty two", "open the blinds
actually close them". The words before the repair marker (language.yaml ``repair_markers``, a run
of them: "oh no", "no hang on") are the reparandum, the words after it the repair. The repair
replaces the part of the reparandum of its own kind, the last one said before the marker:

- a name (a device, a room or a type word, with its determiner) replaces the last name;
- a number (with its unit) replaces the last number, a mode, colour or speed the last such word;
- a clause of its own replaces the whole; "it" or "them" in it is what the reparandum named
  ("... actually close them" closes the blinds; "... ah no leave it" leaves them).

"not" and the name it takes back open some repairs ("turn the sprinklers on no not the sprinklers
the drip line"): they are skipped; opening the words, they take that name out of what follows ("no
not the aircon just put the ceiling fan on"). Parsing the repaired words is the parser's (hub.nlu.parser).
"""

from __future__ import annotations

from hub.nlu.language import Language
from hub.nlu.normalize import is_number
from hub.nlu.resolve import HomeIndex

REFUSE: list[str] = []
""":func:`repaired`'s answer for a repair that replaces nothing said before it ("turn on the
lights no twenty" names no number to replace): the whole is refused, never acted on in part."""


def _marker_at(words: list[str], k: int, markers: tuple[tuple[str, ...], ...]) -> int:
    """How many words of the longest repair marker start at ``words[k]``; 0 if none does."""
    return next((len(m) for m in markers if tuple(words[k:k + len(m)]) == m), 0)


def _marker_run(words: list[str], markers: tuple[tuple[str, ...], ...]) -> tuple[int, int] | None:
    """The last run of repair markers (and the commas among them) with words on both sides:
    ``(start, end)``, or None."""
    def marker(k: int) -> int:
        return _marker_at(words, k, markers)

    found = None
    i = 1
    while i < len(words):
        if not (n := marker(i)):
            i += 1
            continue
        start = i - 1 if words[i - 1] == "," else i
        j = i + n
        while j < len(words) and (words[j] == "," or marker(j)):
            j += 1 if words[j] == "," else marker(j)
        if j < len(words) and start > 0:
            found = (start, j)
        i = j
    return found


def _names(words: list[str], lang: Language, index: HomeIndex) -> list[tuple[int, int]]:
    """Spans of names in ``words`` (HomeIndex.spans) but a type word that is a command verb ("lock
    it" is no lock)."""
    return [(s, e) for s, e, _ in index.spans(words) if not (e - s == 1 and words[s] in lang.verbs
                                                             and words[s] in index.type_words)]


def _taken_back(words: list[str], lang: Language, index: HomeIndex) -> int | None:
    """Where the name taken back ends, for ``words`` that open with a ``repair_negations`` word,
    determiners and a name ("not the sprinklers | ..."); None if they do not open so."""
    g = lang.grammar
    if not words or words[0] not in g.repair_negations:
        return None
    return next((e for s, e in _names(words, lang, index) if s >= 1 and all(w in g.determiners for w in words[1:s])), None)


def _excepted_first(words: list[str], lang: Language, index: HomeIndex) -> list[str] | None:
    """ "(no) not the aircon | just put the ceiling fan on": a ``repair_negations`` word and a name
    opening the words (after at most two words that are neither a name nor a verb) take that name
    out of what is asked, as a repair of what was said before would: the words after the name;
    None where the words do not open so or nothing follows the name."""
    g = lang.grammar
    k = next((i for i, w in enumerate(words[:3]) if w in g.repair_negations), None)
    if k is None or any(w in lang.verbs and w not in g.repair_markers for w in words[:k]) or _names(words[:k], lang, index):
        return None
    end = _taken_back(words[k:], lang, index)
    if end is None or k + end >= len(words):
        return None
    rest = words[k + end:]
    return rest[1:] if rest[0] == "," else rest


def unopened(words: list[str], lang: Language) -> list[str]:
    """``words`` without a run of repair markers (and commas) that opens them right before a
    command verb: with nothing said before, "hold on | stop the hurricane shutters" hesitates, it
    repairs nothing (and "hold" is no pause)."""
    k = 0
    while k < len(words) and (step := 1 if words[k] == "," else _marker_at(words, k, lang.repair_marker_phrases)):
        k += step
    return words[k:] if 0 < k < len(words) and words[k] in lang.starters else words


def repaired(words: list[str], lang: Language, index: HomeIndex) -> list[str] | None:
    """The words of a self-repaired command with the repair made ("turn on the hall light"), None
    when no repair marker follows a name or number (the words are read as they are), or
    :data:`REFUSE` when the repair has nothing of its kind to replace. ``words``: normalised
    (hub.nlu.normalize), numbers as digits."""
    g = lang.grammar
    if (rest := _excepted_first(words, lang, index)) is not None:
        return rest
    run = _marker_run(words, lang.repair_marker_phrases)
    if run is None:
        return None
    said, fix = words[:run[0]], words[run[1]:]
    before = _names(said, lang, index)
    numbers = [k for k, w in enumerate(said) if is_number(w)]
    if not before and not numbers:
        return None  # "there's no hot water": no command said before it
    determiners = set(g.determiners)
    if fix[0] in g.repair_negations:
        # "no not the sprinklers | the drip line": the name taken back is skipped
        end = _taken_back(fix, lang, index)
        if end is None or end >= len(fix):
            return REFUSE
        fix = fix[end:]
    names = _names(fix, lang, index)
    content = [k for k, w in enumerate(fix) if w not in determiners]
    covered = {k for s, e in names for k in range(s, e)}
    if names and set(content) <= covered:
        # a name: it takes the place of the last name said before, with that name's determiner
        if not before:
            return REFUSE
        s, e = before[-1]
        if s > 0 and said[s - 1] in determiners:
            s -= 1
        return said[:s] + fix + said[e:]
    units = lang.unit_words
    if content and all(is_number(fix[k]) or fix[k] in units for k in content):
        if not numbers:
            return REFUSE
        k = numbers[-1]
        unit = 1 if k + 1 < len(said) and said[k + 1] in units and any(w in units for w in fix) else 0
        return said[:k] + fix + said[k + 1 + unit:]
    values = [k for k, w in enumerate(said) if w in lang.value_words]
    if content and all(fix[k] in lang.value_words for k in content):
        # a mode, colour or speed: "put the heat pump on heat | sorry i mean | cool"
        if not values:
            return REFUSE
        return said[:values[-1]] + [fix[k] for k in content] + said[values[-1] + 1:]
    pronouns = [k for k, w in enumerate(fix) if w in g.pronouns]
    if names:
        return fix  # "turn on the bug zapper i mean turn on the back porch light"
    if pronouns and before:
        s, e = before[-1]
        if s > 0 and said[s - 1] in determiners:
            s -= 1
        k = pronouns[0]
        return fix[:k] + said[s:e] + fix[k + 1:]
    return None
