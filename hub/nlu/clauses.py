"""Clauses: where one utterance holds several commands, and when it asks for nothing at all.

Every word comes from the :class:`~hub.nlu.language.Language` (language.yaml split_words,
negations, corrections, value_words; the command verbs are the first words of commands.yaml's
templates).
"""

from __future__ import annotations

from hub.nlu.language import Language
from hub.nlu.normalize import is_number


def _is_value(word: str, lang: Language) -> bool:
    """on/off, a number, a unit or a colour name: the value a command ends with."""
    return word in lang.grammar.value_words or word in lang.unit_words or word in lang.color_words or is_number(word)


def hedged(words: list[str], lang: Language) -> bool:
    """True if the utterance negates a command verb ("don't turn off ...", "no need to open ...")
    or corrects or excepts itself ("no wait", "except"): acting on part of it could do the
    opposite of what was meant."""
    for i, w in enumerate(words[:-1]):
        if w in lang.grammar.negations and words[i + 1] in lang.starters:
            return True
    for phrase in lang.grammar.needless:
        k = phrase.split()
        if any(words[i:i + len(k)] == k and i + len(k) < len(words) and words[i + len(k)] in lang.starters
               for i in range(len(words))):
            return True
    return any(tuple(words[i:i + len(c)]) == c for c in lang.correction_phrases for i in range(len(words)))


def split_clauses(words: list[str], lang: Language, names: list[tuple[int, int, bool]] = ()) -> list[list[str]]:
    """Cut at "and"/"then"/punctuation when a command verb follows: "turn off the light and lock
    the door" is two clauses, "turn off the kitchen and dining room lights" one, "I'm off to bed,
    lock the door" two. Punctuation that does not end a clause is dropped. With ``names`` (spans
    of the home's names in ``words``: start, end and whether it names devices, not a room),
    commands run on with no word between are cut too (:func:`_run_on`): "pool pump off | pool
    lights on", "pause the tv | mute the speaker"."""
    split = set(lang.grammar.split_words)
    clauses: list[list[str]] = [[]]
    i = begun = 0
    while i < len(words):
        w = words[i]
        if clauses[-1] and _joined(words, begun, i, lang, names):
            w = lang.grammar.heard_joints[w]  # "turn the playstation | in | callum's light off": "and"
        elif clauses[-1] and _run_on(words, begun, i, lang, names):
            clauses.append([])
            begun = i
        if (w in split or w == ",") and clauses[-1]:
            j = i
            while j < len(words) and (words[j] in split or words[j] == ","):
                j += 1
            # "the kitchen light off and the hall light on", "the strip to purple and the lamp to
            # 30 percent": when each part carries its own value, each is its own command
            values = _is_value(clauses[-1][-1], lang) and any(_is_value(x, lang) for x in words[j:])
            # ... or its own way: "turn the dreamland on and the heating up a bit"
            enders = lang.grammar.run_on_enders
            values = values or (clauses[-1][-1] in enders and any(x in enders for x in words[j + 1:]))
            # "off the tv and on the floor lamp": on or off said as the verb of the next part, as is
            # a way said so where it opens one ("... and out she lamp": Trinidadian "out", "her lamp"),
            # or before a pronoun ("dada has left the kitchen light on, | off it")
            g = lang.grammar
            polar = j + 1 < len(words) and (words[j] in g.run_on_enders or words[j] in g.undirected.opening) and (
                words[j + 1] in g.determiners or words[j + 1] in g.pronouns
                or any(s in (j + 1, j + 2) and device for s, _, device in names))
            if j < len(words) and (words[j] in lang.starters or values or polar):
                clauses.append([])
                i = begun = j
                continue
        if w != ",":
            clauses[-1].append(w)
        i += 1
    return [c for c in clauses if c]


def _joined(words: list[str], begun: int, i: int, lang: Language, names: list[tuple[int, int, bool]]) -> bool:
    """Whether ``words[i]``, a word whisper writes for "and" (language.yaml ``heard_joints``), joins
    two devices' names of one command: the command from ``words[begun]`` opened with a verb, has no
    way of its own yet and ends on a device's name, and another device's name follows, whose way
    comes after it ("turn the playstation | in | callum's light off": both go off). With a way
    before it, the joint begins a command of its own (:func:`_run_on`)."""
    g = lang.grammar
    if words[i] not in g.heard_joints or words[begun] not in lang.verbs \
            or not any(e == i and device for _, e, device in names) \
            or any(w in g.run_on_enders or _is_value(w, lang) for w in words[begun:i]):
        return False
    k = i + 2 if i + 1 < len(words) and words[i + 1] in g.determiners else i + 1
    name = next((e for s, e, device in names if s == k and device), None)
    return name is not None and any(w in g.run_on_enders or _is_value(w, lang) for w in words[name:])


def _run_on(words: list[str], begun: int, i: int, lang: Language, names: list[tuple[int, int, bool]]) -> bool:
    """Whether a new command begins at ``words[i]`` with no word between it and the command said
    from ``words[begun]``, which names something: after a clause that ends on a value or a
    language.yaml ``run_on_enders`` word, a device's name followed later by one of them or a value
    ("pool pump off | pool lights on", "heating down two degrees | fan on"; "the lights on | the
    landing" is a place); a question of a device's state (language.yaml ``run_on_questions``: "turn
    off the tv | is the freezer still on"); after a command verb's clause that ends on one of them
    or on a name, another command verb with a name after it ("put the kettle on | turn the radio up", "pause the
    barn tv | mute the cosy room speaker"). A device's name may follow a word written for "and"
    (language.yaml ``heard_joints``: "ajji's tube light off | in the zero bulb on")."""
    g = lang.grammar
    if words[i] in g.run_on_questions and i - begun >= 2 and i + 2 < len(words) and words[i + 1] in g.determiners:
        # "enemalta cut the power again | is the freezer still on"; "what channel is the tv on" asks once
        asked = words[begun] in g.verbless_question_words or any(w in g.run_on_questions for w in words[begun:i])
        return not asked and not any(s < i < e for s, e, _ in names) and any(s == i + 2 and device for s, _, device in names)
    if i - begun < 2 or any(s < i < e for s, e, _ in names) or not any(begun <= s and e <= i for s, e, _ in names):
        return False
    ended = words[i - 1] in g.run_on_enders or _is_value(words[i - 1], lang)
    # a device's name right after (a way and) an article: "... | switch off the pendant lights"
    k = i + 1 + (i + 1 < len(words) and words[i + 1] in g.run_on_enders)
    k = k + 1 if k < len(words) and words[k] in g.determiners else k
    named_next = k > i + 1 and any(s == k and device for s, _, device in names)
    if words[i] in lang.verbs:
        # with a name of its own after it, before any "and": "is the gate shut", "put the tv on
        # channel 5", "pull tonya's curtains shut | and turn the fan on" go on; after a device's
        # name and more words, a verb whose device's name follows at once begins a command too
        # ("send the robovac back to its dock | switch off the pendant lights")
        stop = next((j for j in range(i + 1, len(words)) if words[j] in g.split_words or words[j] == ","), len(words))
        named_before = any(begun < s and e < i and device for s, e, device in names)
        # ... and after a command said with no verb, its name first, that ends on its way ("kitchen
        # light off | switch on the fan")
        first = begun + (words[begun] in g.determiners)
        verbless = ended and any(s == first and device for s, _, device in names)
        return (words[begun] in lang.verbs and (ended or any(e == i for _, e, _ in names) or (named_before and named_next))
                or verbless) and any(i < s < stop for s, _, _ in names)
    if words[i] in g.undirected.options and words[begun] in g.own_way_verbs and named_next \
            and any(e == i and device for _, e, device in names):
        return True  # "lock the front door | off the hall light"
    joint = words[i] in g.heard_joints  # "... tube light off | in the zero bulb on": "and"
    k = i + 1 if joint else i
    k = k + 1 if k < len(words) and words[k] in g.determiners else k
    name = next((e for s, e, device in names if s == k and device), None)
    # after such a joint the clause before may end on its name ("switch off the bedside lamp | in
    # the night light on"): the second part's own way makes it a command of its own
    ended = ended or (joint and any(e == i for _, e, _ in names))
    if not ended or name is None:
        return False
    placed = {j for k in range(name, len(words)) if _placed(words, k, lang, names) for j in (k, k + 1)}
    return any(k not in placed and (w in g.run_on_enders or _is_value(w, lang)) for k, w in enumerate(words[name:], name))


def _placed(words: list[str], k: int, lang: Language, names: list[tuple[int, int, bool]]) -> bool:
    """Whether ``words[k]`` is a place adverb (language.yaml ``place_adverbs``) before a location word
    and a room's name, which says where, not which way: "light up | the floodlight down on the slip"
    is one command on the floodlight, not a second that turns it down."""
    g = lang.grammar
    if words[k] not in g.place_adverbs or k + 1 >= len(words) or words[k + 1] not in g.location_words | g.loose_location_words:
        return False
    j = k + 2
    while j < len(words) and words[j] in g.determiners:
        j += 1
    return any(s == j and not device for s, _, device in names)
