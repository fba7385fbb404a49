"""Time phrases in an utterance: "for 10 minutes", "in half an hour", "at 7 am", "until eight",
"every morning". They say when or for how long, never a value (a brightness, a position).

The words are data (language.yaml ``time``); this module only finds them, on normalised words
(numbers already digits) outside the home's names.
"""

from __future__ import annotations

from hub.nlu.language import Language
from hub.nlu.normalize import is_number



def time_phrase(words: list[str], lang: Language, names: set[int] = frozenset()) -> tuple[int, int] | None:
    """The [start, end) word span of the first time phrase, or None. Words at indices ``names``
    (a device or area name: "the morning room") are never part of one."""
    tw = lang.grammar.time
    free = [w if i not in names else "" for i, w in enumerate(words)]
    n = len(free)
    for i, w in enumerate(free):
        if not w:
            continue
        for p in tw.phrases:
            k = p.split()
            if free[i:i + len(k)] == k:
                return i, i + len(k)
        nxt = free[i + 1] if i + 1 < n else ""
        if w in tw.duration_leads:
            j = i + 1
            while j < n and (free[j] in tw.amount_words or is_number(free[j])):
                j += 1
            if j > i + 1 and j < n and free[j] in tw.durations:
                return i, j + 1
        if w in tw.clock_leads and is_number(nxt) and i + 2 < n:
            after = free[i + 2]
            if after in tw.clock_words or (is_number(after) and not is_number(free[i + 3] if i + 3 < n else "")):
                return i, i + 3
        if w in tw.clock_leads and nxt in tw.clock_words:
            return i, i + 2
        if w in tw.until_leads and (is_number(nxt) or nxt in tw.clock_words):
            return i, i + 2
        if w in tw.repeats and (nxt in tw.periods or (is_number(nxt) and i + 2 < n and free[i + 2] in tw.durations)):
            return i, i + 2
    return None
