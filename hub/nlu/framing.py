"""What frames a command in an utterance, by language.yaml's grammar: an exclamation or address
before it, a polite lead, a statement it runs on from, a reason or remark after it, a purpose at its
end, and a statement a question tag or particle makes a question.

The parser (hub/nlu/parser.py) asks these where a clause begins and ends before it reads the
command; each works on normalised words (hub.nlu.normalize) and knows no English word itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property

from hub.config import normalize_name
from hub.nlu.language import Language
from hub.nlu.normalize import is_number, normalize
from hub.nlu.resolve import HomeIndex, Mention


class Framing:
    """The frame readers for one home: its language and its names (:class:`HomeIndex`)."""

    def __init__(self, lang: Language, index: HomeIndex, said_words: frozenset[str]):
        """``said_words``: the words of the home's phrasing and names; a word outside them may be
        an exclamation or an address ("chale", "aiyo")."""
        self.lang = lang
        self.index = index
        self.said_words = said_words
        self.determiners = frozenset(lang.grammar.determiners)

    @cached_property
    def run_on_verbs(self) -> frozenset[str]:
        """Command verbs a statement may run on into: the starters but the verbs of being and
        asking ("it is what it is" holds no command "is")."""
        g = self.lang.grammar
        return self.lang.starters - set(g.statement_verbs) - set(g.question_auxiliaries)

    def statement_opening(self, words: list[str]) -> int | None:
        """How many words of language.yaml ``statement_starts`` open ``words`` ("it's ..." says how
        things are), None if none does."""
        return next((len(s.split()) for s in self.lang.grammar.statement_starts if words[:len(s.split())] == s.split()), None)

    def dangling_name(self, words: list[str]) -> int | None:
        """Where a name the home lacks ends in a part said apart from a command, None if there is
        none: the part opens with a determiner and words that are no word of the home's phrasing
        or names, right before a statement's own subject (language.yaml ``reason_pronouns``, at
        most ``reason_subject_words`` words in): "turn all the lights off | and the staple food
        we're off up" (whisper's "in the stafell fyw") -> 3. Those words stand where a name would,
        so they are a name misheard, not the statement's."""
        g = self.lang.grammar
        if len(words) < 3 or words[0] not in self.determiners:
            return None
        s = next((k for k in range(2, min(len(words), g.reason_subject_words + 2)) if words[k] in g.reason_pronouns), None)
        known = s is None or any(w in self.said_words or w in self.determiners or is_number(w) for w in words[1:s])
        return None if known else s

    def interjected(self, words: list[str]) -> int:
        """How many words of an exclamation open a statement or a question (language.yaml
        ``interjections``, ``interjection_words``): "eish it's dark in the kitchen" -> 1, "oh man
        it's like an oven in here" -> 2, "aiyo | is there a gas leak in the kussiya" -> 1, "uff | so
        hot ..." (:meth:`complains`) -> 1, "kale | off the study lamp" (a command) -> 1; each word one
        of ``interjections`` or no word of the home's phrasing or names; 0 if none does."""
        g = self.lang.grammar
        # "is" opens a question before what it asks about ("is there", "is the gate"), not after a
        # subject ("grandad is napping"), and no command follows ("mum has a headache | dim ...")
        subjects = set(g.determiners) | set(g.pronouns) | {s.split()[0] for s in g.statement_starts}
        for k in range(1, min(self._greeting(words) + g.interjection_words, len(words) - 1) + 1):
            if not self._exclamation(words[:k]):
                continue
            # "haibo | is the garage door still open": a state word ("open") is no command verb;
            # "ow bist | is kyle's xbox still on": a device's name is what "is" asks about
            asks = words[k] in self.lang.question_openers and (
                words[k] not in g.statement_verbs or bool(set(words[k + 1:k + 2]) & subjects)
                or any(m.start == k + 1 and m.kind == "device" for m in self.index.exact(words))) \
                and not any(w in self.lang.verbs and w not in self.state_words for w in words[k + 1:])
            # ... or a statement that runs on into a command ("what is this | nobody is watching | switch off the tv")
            if asks or self.statement_opening(words[k:]) is not None or self.complains(words[k:]) \
                    or self._commands_at(words, k) or len(self.after_statement(words[k:])) < len(words) - k:
                return k
        return 0

    def _commands_at(self, words: list[str], k: int) -> bool:
        """Whether a command opens at ``words[k]`` with its way said as the verb, right before a
        determiner or a device's name ("kale | off the study lamp", Ugandan; whisper's "escibo | off the
        kettle" for "ssebo"). Another verb after a word nobody knows may be a statement misheard
        ("feeders lock the garage door open", whisper's "faither's left ..."), so it is none."""
        u = self.lang.grammar.undirected
        if words[k] in u.opening:  # ... or a word opening a clause for it ("good evening | catch the light")
            return self.opens_on_target(words, k, self.device_starts(words))
        return words[k] in u.options and self.way_as_verb(words, k, self.device_starts(words))

    def opens_on_target(self, words: list[str], k: int, starts: set[int] | None = None) -> bool:
        """Whether what ``words[k]`` (a way said as the verb) is done to begins right after it: a
        determiner, a whole-home quantifier ("out | everything in de boys room") or a name (``starts``:
        where names begin; by default any of the home's)."""
        if k + 1 >= len(words):
            return False
        if words[k + 1] in self.determiners or words[k + 1] in self.lang.grammar.whole_home_quantifiers:
            return True
        return k + 1 in ({m.start for m in self.index.exact(words)} if starts is None else starts)

    def complains(self, words: list[str]) -> bool:
        """Whether ``words`` open with a complaint said without a verb: a ``complaint_words`` word and
        one of ``complaint_worse`` ("too loud"; the normaliser has made "so hot" after an exclamation
        "too hot"), as after an exclamation ("wah | so hot make it cooler in here")."""
        g = self.lang.grammar
        return len(words) > 1 and words[0] in g.complaint_words and words[1] in g.complaint_worse

    def _exclamation(self, words: list[str]) -> bool:
        """Whether ``words`` are a greeting (language.yaml ``greetings``: "where y'at", "how are you")
        and then, or else, words each one of ``interjections``, of :attr:`owner_words` or no word of
        the home's phrasing or names (nor a number or a pause): an exclamation or an address."""
        g = self.lang.grammar
        greeting = self._greeting(words)
        return bool(greeting or words) and all(
            w in g.interjections or w in self.owner_words
            or (w not in self.said_words and not is_number(w) and w != ",") for w in words[greeting:])

    def _owner_runs(self) -> Iterator[list[tuple[list[str], int, int]]]:
        """For each device and room, for each of its names: its lower-case words, where its owner
        starts (after a determiner) and the index of the word that ends in a possessive
        (language.yaml ``possessive_endings``; -1 for none): "kuya jr's room" -> 0, 1."""
        cfg, endings = self.index.cfg, tuple(self.lang.grammar.possessive_endings)
        for x in (*cfg.devices, *cfg.areas):
            runs = []
            for name in (x.name, *x.aliases):
                ws = name.lower().split()
                end = max((i for i, w in enumerate(ws) if endings and w.endswith(endings)), default=-1)
                start = next((i for i, w in enumerate(ws[:end + 1]) if w not in self.determiners), 0)
                runs.append((ws, start, end))
            yield runs

    def _bare(self, word: str) -> str:
        """``word`` without its possessive ending, as names are compared ("keoni's" -> "keoni")."""
        ending = next((e for e in self.lang.grammar.possessive_endings if word.endswith(e)), "")
        return normalize_name(word[:len(word) - len(ending)])

    @cached_property
    def owner_words(self) -> frozenset[str]:
        """Words that name only whose a device or room is: the words before a possessive in the
        home's names ("Kuya JR's room", "Lola's fan" -> kuya, jr, lola) or a last word after an
        ``owner_markers`` word ("Heater of Nanna"), none a type word nor said elsewhere in a name.
        An owner of one of a thing's names is its owner in the others too, where a language puts
        the owner after the noun with no mark ("Cerys's room", "llofft Cerys": Welsh). Said before
        a command verb they address someone ("kuya | close the aircon"), as an unknown name does."""
        owners, elsewhere = set(), set()
        markers = self.lang.grammar.owner_markers
        for runs in self._owner_runs():
            own, rest = set(), set()
            for ws, start, end in runs:
                own |= {self._bare(w) for w in ws[start:end + 1]}
                # "heater of nanna": the last word after a marker is an owner's, as before "'s"
                last = len(ws) - 1 if len(ws) > 2 and ws[-2] in markers else len(ws)
                own |= {normalize_name(w) for w in ws[last:]}
                rest |= {normalize_name(w) for w in ws[end + 1:last]}
            owners |= own
            elsewhere |= rest - own
        g = self.lang.grammar
        elsewhere |= self.lang.phrasing_words | set(g.stop_words) | set(g.pronouns)
        return frozenset(owners - elsewhere - set(self.index.type_words))

    @cached_property
    def owners_said(self) -> frozenset[str]:
        """:attr:`owner_words` and their possessives as the normaliser says them ("jade's" -> "jades"):
        a subject of a statement of why ("turn the marshall down | jade's got it on full blast")."""
        return self.owner_words | frozenset(self._possessives.values())

    def _greeting(self, words: list[str]) -> int:
        """How many words of the longest language.yaml ``greetings`` phrase that opens ``words``; 0
        if none does."""
        return max((len(p.split()) for p in self.lang.grammar.greetings if words[:len(p.split())] == p.split()), default=0)

    @cached_property
    def state_words(self) -> frozenset[str]:
        """The state words of group questions ("open", "on", "locked") and their forms."""
        states = self.lang.grammar.group_questions.states
        return frozenset(set(states) | {w for ws in states.values() for w in ws})

    def exclaimed(self, words: list[str]) -> int:
        """How many words of an exclamation or address open a command (at most
        ``interjection_words``, each one of ``interjections`` or no word of the home's phrasing or
        names, then a command verb and more; a greeting may come first): "chale | set the ac to
        eighteen", "jaldi | turn on the geyser" -> 1, "where y'at dawlin | cut on the porch light" -> 3;
        a way alone before a command verb whose clause says its own way, as whisper writes "uff" ("off |
        switch on the fan") -> 1; 0 if none does."""
        g = self.lang.grammar
        ways = set(g.undirected.options)
        if len(words) > 2 and words[0] in ways and words[1] in self.lang.verbs and words[1] not in g.statement_verbs \
                and set(words[2:]) & ways:
            return 1
        names = {m.start for m in self.index.exact(words)}
        if len(words) > 2 and words[0] in g.run_on_questions and (
                words[1] in g.undirected.opening or words[1] in ways) and self.opens_on_target(words, 1):
            return 1  # ... or a question's "is" or "are" before it, which asks nothing so (whisper's "are | out the fan")
        # ... or a few words that end on one, no command of their own ("npa don cut | switch on the
        # generator", Krio: the power company has cut it)
        for k in range(2, min(g.interjection_words, len(words) - 2) + 1):
            if words[k - 1] in g.polar_words and words[k] in self.lang.verbs and words[k] not in g.statement_verbs \
                    and set(words[k + 1:]) & ways and words[0] not in self.lang.starters \
                    and not any(i in names or w in self.index.type_words or is_number(w) or w in g.negations
                                for i, w in enumerate(words[:k])):
                return k
        for k in range(1, min(self._greeting(words) + g.interjection_words, len(words) - 2) + 1):
            # "shred | light off": a misheard name before a type word, no exclamation; but a type word
            # that is a command verb before what it is done to is the verb ("bwana | lock the front door"),
            # where no other polar word follows: "feeders lock the garage door open again" is whisper's
            # "faither's left ...", a statement misheard (_commands_at)
            verb = words[k] in self.lang.verbs and self.opens_on_target(words, k, self.device_starts(words)) \
                and not set(words[k + 1:]) & g.polar_words
            if k in names or words[k] in self.index.type_words and not verb:
                break
            if words[k] in self.lang.verbs and words[k] not in g.statement_verbs and self._exclamation(words[:k]):
                return k
        return 0

    def polite_lead(self, words: list[str]) -> int:
        """How many words of a polite lead come before the command verb (language.yaml
        ``polite_joints``): "i was wondering if you could possibly | close the conservatory
        blinds" -> 7; 0 if none does."""
        g = self.lang.grammar
        # "reckon you could | cut ...": a joint that is a verb too ("could") is the lead's; a way said
        # as the verb is one ("help me | on the kitchen light", Singlish)
        k = next((k for k, w in enumerate(words) if w in self.lang.verbs and w not in g.polite_joints
                  or self.way_as_verb(words, k)), 0)
        lead = words[:k]
        if k < 2 or lead[-1] not in g.polite_joints or any(m.start < k for m in self.index.exact(words)):
            return 0
        if any(is_number(w) or w in self.lang.value_words or w in g.polar_words or w in g.negations
               or w in g.impolite_leads or w in self.index.type_words for w in lead):
            return 0
        opens = [p.split() for p in (*g.self_questions, *g.errand_starts)]
        if any(lead[:len(p)] == p for p in opens) or (
                lead[0] in g.question_auxiliaries and lead[1] in g.asked_subjects):
            return 0  # "should i unlock ...", "remind me to ...", "did you turn off ..."
        return k

    def statement_said(self, words: list[str]) -> int | None:
        """How many words of a whole statement of language.yaml ``statements`` open ``words`` (the
        longest: "eneo don cut light again"); None if none does."""
        said = tuple(words)
        return next((len(s) for s in self.lang.statements_by_first.get(words[0], ()) if said[:len(s)] == s),
                    None) if words else None

    def after_statement(self, words: list[str]) -> list[str]:
        """ "it's minus thirty out there plug in the truck": an utterance that opens with a
        statement (language.yaml ``statement_starts``, a whole one of ``statements``, or a short
        subject and a ``statement_verbs`` word: "mummy is cooking") and runs on, with no pause word, into a
        command verb (:attr:`run_on_verbs`, not after ``run_on_not_after``) whose words name a
        device or a room -> the command's words alone; ``words`` if the statement names a device or room
        ("it's dark in the garage ...": the room would be lost), a pause word ends it (its own
        clause) or no such command follows."""
        g = self.lang.grammar
        # "the light has gone | start the generator": a whole statement, the command at once after it
        whole = self.statement_said(words)
        opening = whole or self.statement_opening(words)
        if opening is None:
            # "mummy is cooking | put on the faber chimney": a subject of a few words that are no
            # name, no number and no question or command word, then a statement verb
            k = next((k for k in range(1, min(g.reason_subject_words, len(words) - 2) + 1)
                      if words[k] in g.statement_verbs), None)
            # ("nobody is watching | switch off the tv": a statement's pronoun, though a template opens so)
            if k is None or any(is_number(w) or w in self.lang.openers and w not in g.reason_pronouns
                                or w in g.question_auxiliaries or w in self.index.type_words for w in words[:k]):
                return words
            opening = k + 1
        exact = self.index.exact(words)
        for k in range(opening + (whole is None), len(words)):
            # a room said in the statement is the command's ("it's dark in the garage ..."); a device
            # is, unless the command names one of its own ("the wifi's dead | switch the router back on")
            told = [m for m in exact if m.start < k]
            if any(m.kind != "device" for m in told) or told and not any(m.start > k and m.kind == "device" for m in exact) \
                    or words[k - 1] == "," or words[k - 1] in g.split_words:
                return words
            # ... or, after a whole one, a way that opens a command ("the light is back | off the gen")
            led = whole is not None and self.way_as_verb(words, k)
            # ... into a command on a device or a room ("sister comfort has travelled | off everything in the bq")
            # (or a kind: "karthik is sleeping | switch off the fan"; or a quantity of one: "the
            # children are sleeping | reduce the volume to ten")
            if (words[k] in self.run_on_verbs or led) and words[k - 1] not in g.run_on_not_after \
                    and words[k - 1] not in self.determiners and (
                        any(m.kind in ("device", "area") for m in exact)
                        or any(w in self.index.type_words or w in self.lang.lexicon.quantity_words for w in words[k + 1:])):
                return words[k:]
            # ... or into a question of a device named at once ("the askari has gone for lunch | is the gate closed")
            if whole is None and words[k] in self.lang.question_openers and k + 2 < len(words) \
                    and words[k + 1] in self.determiners and any(m.start == k + 2 and m.kind == "device" for m in exact):
                return words[k:]
        return words

    def told_then_asked(self, words: list[str]) -> int | None:
        """ "the back kitchen light is after being left on | shut it off", "bubba done went and left
        the shop lights on again | turn em off": a statement about a device (a subject, then a
        language.yaml ``statement_verbs`` word, the device named after the subject) that runs on,
        with no pause word, into a command verb (:attr:`run_on_verbs`) whose object is a pronoun
        -> where that command begins, so that it is read as its own clause on the device told of;
        None if there is none, or the statement is a complaint that asks the command itself ("kavin's
        ac is too cold increase it by two degrees" is one command)."""
        g = self.lang.grammar
        told = next((j for j, w in enumerate(words) if w in g.statement_verbs), None)
        if not told or words[0] in self.lang.verbs or set(words[told:]) & set(g.complaint_words):
            return None
        named = [m.end for m in self.index.exact(words) if m.kind == "device"]
        for k in range(told + 1, len(words) - 1):
            if words[k] in (",", *g.split_words) and any(e <= k for e in named):
                return None  # a pause word after the device ends what is told ("went and left" does not)
            # ... or into a way said as the verb, not right after the name ("... left the kitchen light
            # on again | off it": East African English)
            verb = words[k] in self.run_on_verbs or words[k] in g.undirected.options and k not in named
            if verb and words[k + 1] in g.pronouns and any(e <= k for e in named) \
                    and words[k - 1] not in g.run_on_not_after and words[k - 1] not in self.determiners:
                return k
        return None

    def device_starts(self, words: list[str]) -> set[int]:
        """Where the names of devices said in ``words`` begin (:meth:`HomeIndex.exact`)."""
        return {m.start for m in self.index.exact(words) if m.kind == "device"}

    def way_as_verb(self, words: list[str], k: int, names: set[int] = frozenset()) -> bool:
        """Whether ``words[k]`` is a way (language.yaml ``undirected.options``) said as a command's
        verb: before a determiner or a name (``names``: where the clause's names start), "off the gen"."""
        return k + 1 < len(words) and words[k] in self.lang.grammar.undirected.options \
            and (words[k + 1] in self.determiners or k + 1 in names)

    def reason(self, words: list[str], said: int = 0) -> tuple[int, int] | None:
        """The [start, end) of a statement of why that runs on, with no pause word, after a command
        naming its device (language.yaml ``reason_subjects``): "switch off the garage light | the kids
        have gone to sleep", "turn the electric blanket on | my wife is cold"; None if none does. Its
        subject is at most ``reason_subject_words`` words, none of a device's or room's name ("check
        the front door is locked" asks about the door), before a ``statement_verbs`` word, or a
        ``reason_pronouns`` word; a ``wanting_verbs``, ``negations`` or ``negated_modals`` word (or a
        ``negating_particles`` one right after a name or pronoun) is such
        a verb here ("turn the radio off | you need to finish your homework", "turn on the tank heater |
        the cattle's water don't freeze", "turn up the hisense | jaja can't hear"). It ends where a split
        word and a command verb begin another
        command ("arm the alarm | we're going out | and close the garage door"), else at the end."""
        g = self.lang.grammar
        verbs = {*g.statement_verbs, *g.wanting_verbs, *g.reason_pronouns, *g.negations, *g.negated_modals}
        ks = [k for k in range(said + 2, len(words)) if words[k] in verbs]
        if set(words) & set(g.negating_particles):
            named = {m.end for m in self.index.exact(words) if m.kind == "device"}
            ks = sorted(ks + [k for k in range(said + 2, len(words)) if words[k] in g.negating_particles
                              and (k in named or words[k - 1] in g.pronouns or words[k - 1] in g.reason_pronouns)])
        leads = [k for k in range(said + 2, len(words)) if self._reason_lead(words, k)]
        if not ks and not leads:
            return None  # most utterances: the names are not looked up again
        # "turn the playstation off how is | he no in his bed": the first verb or pronoun that opens one
        exact = self.index.exact(words)
        said_why = next((r for k in ks if (r := self._reason_at(words, said, k, exact)) is not None), None)
        # "close the blinds | so nobody can see in": a word that opens one, after what the command names
        led = next(((k, self._reason_end(words, k)) for k in leads
                    if any(m.kind == "device" and m.end <= k for m in exact)
                    or any(w in self.index.type_words for w in words[said:k])), None)
        return min((r for r in (said_why, led) if r is not None), default=None)

    def _reason_lead(self, words: list[str], k: int) -> bool:
        """Whether ``words[k:]`` opens with a reason lead (language.yaml ``reason_leads``, or one of
        ``subject_reason_leads`` before a reason's subject or pronoun)."""
        g = self.lang.grammar
        if any(words[k:k + len(p.split())] == p.split() for p in g.reason_leads):
            return True
        return (words[k] in g.subject_reason_leads and k + 1 < len(words)
                and (words[k + 1] in g.reason_subjects or words[k + 1] in g.reason_pronouns or words[k + 1] in g.possessed))

    def _reason_end(self, words: list[str], s: int) -> int:
        """Where a reason begun at ``s`` ends: where a split word and a command verb begin another
        command ("arm the alarm | we're going out | and close the garage door"), or a command verb
        whose device's name follows at once, after its way and article ("send the robovac back to |
        its dock | switch off the pendant lights"), else the end."""
        g = self.lang.grammar
        starts = self.device_starts(words)

        def commands(j: int) -> bool:
            k = j + 1 + (words[j + 1] in g.run_on_enders)
            k += k < len(words) and words[k] in self.determiners
            return words[j] in self.lang.verbs and k in starts

        return next((j for j in range(s + 1, len(words) - 1) if (words[j] in g.split_words or words[j] == ",")
                     and words[j + 1] in self.lang.starters or commands(j)), len(words))

    def _reason_at(self, words: list[str], said: int, k: int, exact: list[Mention]) -> tuple[int, int] | None:
        """:meth:`reason` for the statement verb or reason pronoun at ``words[k]`` (``exact``: the
        names found in ``words``)."""
        g = self.lang.grammar
        before = [m for m in exact if m.start < k]
        typed = [i + 1 for i in range(said, k) if words[i] in self.index.type_words]
        last, subject = (before[-1] if before and before[-1].end == k else None), None
        if last is not None and last.kind == "area" and last.start > 1 and \
                words[last.start - 1 - (words[last.start - 1] in self.determiners)] in g.location_words:
            last = None  # "open the aircon in the sala | it's so hot": the room is where, no subject
        if last is not None:
            # "switch off the borehole pump | the tank is full": a device named right before the verb,
            # after what the command names, is the statement's subject, no second target; so is a
            # room ("turn the meaco on | the landing is wringing wet")
            s0 = last.start - (last.start > 0 and words[last.start - 1] in g.reason_subjects)
            first = [m.end for m in before[:-1] if m.kind == "device"] + [i for i in typed if i <= s0]
            # ... also a room said bare right after the command's way ("... on | cellar's wringing wet")
            bare = last.kind == "area" and s0 == last.start > 0 and words[s0 - 1] in g.polar_words
            if (words[s0] in g.reason_subjects or bare) and first and \
                    not set(words[max(first):s0]) & ({","} | set(g.split_words)):
                before, subject = before[:-1], s0
        # a pronoun stands for a device named before it ("the booster pump, switch it on | the county
        # water has come"), but not as the statement's own subject ("... | it's too cold")
        meant = [i + 1 for i in range(said, k - 1) if words[i] in g.pronouns and (before or typed)]
        if not typed and not before:
            return None  # a device, a type word or a room ("switch everything off in granny's room | she is away")
        # "... light in the kitchen | the kids are asleep"; after a device named in full, a type word
        # may be the subject ("start the dehumidifier | the windows are running wet")
        full = any(m.kind == "device" for m in before)
        named = max([m.end for m in before] + ([] if full else typed) + meant)
        if words[k] in g.reason_pronouns:  # "... | he already went to school"
            s = k if k >= named else None
        else:
            # a subject holds no number: "make it 26 | it is too cold"
            # ... or a person of the home ("put the mitsubishi on 24 | mom is cold"), or is one word
            # the home never uses ("off the gen | ecg has brought the light", "... | dinner is ready")
            s = next((i for i in range(max(named, k - g.reason_subject_words), k)
                      if (words[i] in g.reason_subjects or words[i] in self.owners_said or i == subject
                          or (i == k - 1 and (words[i] not in self.said_words or words[i] in g.possessed)))
                      and not any(is_number(w) for w in words[i:k])), None)
        # a pause right before a pronoun is the reason's own ("put the ceiling fan on hon, | it's stuffy
        # up there"); before a noun it may end a misheard name ("switch off the bedroom room, | the tank
        # is now full", whisper's "the pedrollo")
        paused = s is not None and words[s - 1] == "," and words[k] in g.reason_pronouns
        if s is None or s == said or set(words[named:s - paused]) & ({","} | set(g.split_words)) \
                or words[s - 1] in g.location_words:
            # "off the tv and | on the jhoola | dinner is ready": another command's; "the lights on
            # in | we're room" (whisper's "wor room"): the room is still to come
            return None
        if not typed and s == named and all(m.kind == "area" for m in before) \
                and all(w in self.determiners for w in words[said:before[0].start]):
            return None  # a room said first and alone: "the bathroom | mirror is all steamed up" is one statement
        return s, self._reason_end(words, s)

    @cached_property
    def remark_words(self) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
        """For :meth:`remark_starts`: the words after which a type word names a device (a
        determiner, a verb, "and", "in": "nepa has taken light" names none); the words a remark
        never opens with nor follows (a split, location, value or open-end word, but a determiner:
        "... | the pastor's stopping by"; or a word heard for a location word: "put the lights on an
        has room"); an option's words, which no remark holds ("put the dimplex on | cool mode" asks
        what it cannot do)."""
        g = self.lang.grammar
        leads = self.determiners | self.lang.starters | set(g.split_words) | set(g.location_words)
        on = set(g.split_words) | set(g.location_words) | set(g.loose_location_words) | set(g.place_adverbs) | {","} \
            | set(g.value_prepositions) | set(g.heard_locations) | set(g.open_ends) - self.determiners
        return frozenset(leads), frozenset(on), frozenset(w for t in g.option_tails for w in t.split())

    def heard_location(self, words: list[str]) -> list[str]:
        """``words`` with a word a speech recogniser writes for a location word (language.yaml
        ``heard_locations``: "and" for "in") made that word where a room's name, after it and a
        determiner at most, ends the clause and a device or type word comes before it: "off the
        geyser and ajji's bathroom" is the geyser in Ajji's bathroom; so is a way of going there
        (``path_locations``) right after the command's one way: "on | down the basement"."""
        g = self.lang.grammar
        heard, paths = g.heard_locations, g.path_locations
        ways = set(g.undirected.options) | set(g.undirected.heard)  # "put the light out | up the loft"
        if not (heard.keys() | paths) & set(words):
            return words
        exact = self.index.exact(words)
        for m in exact:
            i = m.start - 1 - (words[m.start - 1] in self.determiners) if m.start > 1 else -1
            if m.kind != "area" or m.end != len(words) or i <= 0:
                continue
            if words[i] in heard and (any(n.end <= i and n.kind == "device" for n in exact)
                                      or any(w in self.index.type_words for w in words[:i])):
                return words[:i] + [heard[words[i]]] + words[i + 1:]
            if words[i] in paths and words[i - 1] in ways and words[i - 1] not in words[:i - 1]:
                return words[:i] + [paths[words[i]]] + words[i + 1:]
        return words

    def asked(self, words: list[str]) -> list[str]:
        """A question of where a device is (language.yaml ``where_leads``) as what it is doing; one
        of what it says (``reading_leads``, ``reading_verbs``) as "what is ... reading"; a statement
        with a question tag or particle (``question_tails``, ``question_particles``) as the question it is: "motor is running or not", "shey the gen is
        still on" -> "is motor running", "is the gen still on" (its first statement verb put first);
        a state with "still" or "yet" and no verb too ("the velux still open" -> "is the velux still
        open", "the back door locked yet" -> "is the back door locked").
        Other words are returned as they are; so is a command ("turn it off or not" stays)."""
        g = self.lang.grammar
        where = next((len(p.split()) for p in g.where_leads if words[:len(p.split())] == p.split()), None)
        if where is not None and not set(words) & g.locating_words:
            k = where + (where < len(words) and words[where] in self.determiners)
            named = next((m for m in self.index.exact(words) if m.kind == "device" and m.start == k), None)
            if named is not None:
                # "where's rosie to now" (Newfoundland): what the vacuum is doing, not a call to beep
                return _framed(g.where_as, words[where:named.end])
        said = next((p.split() for p in g.reading_leads if words[:len(p.split())] == p.split()), None)
        if said and len(words) > len(said) + 1 and words[-1] in g.reading_verbs:
            # "what does the thermometer say", "weh di flood sensor seh": what it is reading
            return _framed(g.reading_as, words[len(said):-1])
        lead = next((p for p in g.question_particles if words[:len(p.split())] == p.split()), None)
        tail = next((t for t in g.question_tails if len(words) > len(t.split()) and words[-len(t.split()):] == t.split()), None)
        if tail is None and (alt := g.question_alternatives):
            # "de gen still running | or it cut off", "the inverter is on | or it has tripped": the
            # other state offered, in a few words that say a way or a state
            k = next((k for k in range(len(words) - 2, max(len(words) - alt.words - 2, 0), -1)
                      if words[k] == alt.lead), None)
            said = set(words[k + 1:]) if k else set()
            if said & (set(g.undirected.options) | set(g.undirected.opening) | self.state_words | set(alt.states)):
                tail = " ".join(words[k:])
        # "the velux still open", "the back door locked yet": a state said with "still" (language.yaml
        # aspect_words) or before one of state_tails, and no verb, asks as a tag does
        verbless = lead is None and tail is None and len(words) > 2 and words[-2] in g.aspect_words \
            and words[-1] in self.state_words
        if tail is None and len(words) > 2 and words[-1] in g.state_tails and words[-2] in self.state_words:
            tail, verbless = words[-1], True
        if lead is None and tail is None and not verbless:
            return self._verbless_question(words)
        core = words[len(lead.split()) if lead else 0:len(words) - len(tail.split()) if tail else None]
        core = core[:-1] if core and core[-1] == "," else core
        v = next((i for i, w in enumerate(core) if w in g.statement_verbs), None)
        if not core or v == 0 or core[0] in self.lang.starters or core[0] in g.question_auxiliaries:
            return words
        if v is None and tail is not None and core[-1] in g.bare_states:
            # "di front door lock | or no" (Belizean Kriol): a bare verb after what it is said of, the state
            core = [*core[:-1], g.bare_states[core[-1]]]
        if v is None:
            # "the burglar proof locked ent": a state said with no verb (Caribbean, Malaysian English)
            return [g.asked_copula, *core] if core[-1] in self.state_words and g.asked_copula else words
        return words if verbless else [core[v], *core[:v], *core[v + 1:]]

    def _verbless_question(self, words: list[str]) -> list[str]:
        """"what channel the flow box set on" -> "what channel is the flow box set on": a question word
        (language.yaml ``verbless_question_words``) and at most two words, then a determiner and a
        device's name, and no verb, asked with ``asked_copula``; other words as they are."""
        g = self.lang.grammar
        if not words or words[0] not in g.verbless_question_words or not g.asked_copula \
                or any(w in g.statement_verbs or w in g.question_auxiliaries for w in words):
            return words
        names = self.device_starts(words)
        k = next((k for k in range(1, min(4, len(words) - 1)) if words[k] in self.determiners and k + 1 in names), None)
        # ... what is asked is a noun ("what channel"), never a command ("how | turn on the can lights")
        if k is None or any(w in g.polar_words for w in words[1:k]):
            return words
        return [*words[:k], g.asked_copula, *words[k:]]

    def subject_as(self, words: list[str]) -> list[str] | None:
        """A statement whose subject is a room or a person whose things the home names
        (:attr:`owner_words`), read as language.yaml ``room_subject_as`` or ``person_subject_as`` puts
        it: "mwilas room is too hot" -> "its too hot in mwilas room", "ba bana is feeling cold" ->
        "they are feeling cold" (the ``statement_verbs`` word after the subject dropped); None where
        ``words`` open with neither and such a verb, or say how things are ("the lounge is on")."""
        g = self.lang.grammar
        # "shame | aachi's freezing in the flatlet": an exclamation before the subject says nothing
        words = words[next((i for i, w in enumerate(words) if w not in g.interjections), len(words)):]
        # "poor tama's shivering", "the poor child is freezing": pity says nothing of who
        k = next((i for i, w in enumerate(words) if w not in self.determiners and w not in g.pity_words), len(words))
        words = words[k:] if k and words[k - 1] in g.pity_words else words
        start = next((i for i, w in enumerate(words) if w not in self.determiners), len(words))
        m = next(iter(self.index.exact(words)), None)
        if m is not None and m.start <= start and m.kind == "area":
            form, end = g.room_subject_as, m.end
        else:
            form, end = g.person_subject_as, next((i for i, w in enumerate(words) if w not in self.owner_words), 0)
            if end == 0 and start < len(words) and words[start] in g.possessed:
                end = start + 1  # ... or one of the people (or beasts) a home has: "the dogs are shivering"
        if (form is None or end == 0 or end + 1 >= len(words) or words[end] not in g.statement_verbs
                # "the lounge is on", "the garage is still open" say how things are, not what to do
                or any(w in self.state_words or w in g.polar_words or w in g.still_words for w in words[end + 1:])):
            return None
        return form.format(room=" ".join(words[:end]), rest=" ".join(words[end + 1:])).split()

    @cached_property
    def _possessives(self) -> dict[str, str]:
        """Each of :attr:`owner_words` said with its possessive in the home's names, as the normalised
        words read it ("Keoni's fan": "keoni" -> "keonis")."""
        out = {}
        for ws, _, end in (r for runs in self._owner_runs() for r in runs):
            if end >= 0 and (owner := self._bare(ws[end])) in self.owner_words:
                out[owner] = " ".join(w for w in normalize(ws[end], self.lang) if w != ",")
        return out

    def owned(self, words: list[str]) -> list[str]:
        """A possessive pronoun (language.yaml ``possessive_pronouns``) as the one person said before it
        whose things the home names (:attr:`owner_words`), where that makes the words after it a name
        of the home: "turn off keoni's light strip and his fan" -> "... and keonis fan", "ba bana is
        cold in her room" -> "... in banas room". Where no such person, or more than one, gives a
        name, the words are returned as they are."""
        out = list(words)
        for i, w in enumerate(words):
            if w not in self.lang.grammar.possessive_pronouns:
                continue
            said = {o for o, poss in self._possessives.items() if o in out[:i] or poss in out[:i]}
            named = []
            for o in said:
                trial = out[:i] + [self._possessives[o]] + out[i + 1:]
                if any(m.start == i and m.end > i + 1 for m in self.index.exact(trial)):
                    named.append(trial)
            if len(named) == 1:
                out = named[0]
        return out

    def owner_unsaid(self, words: list[str]) -> bool:
        """Whether a possessive pronoun stands before a type word in ``words`` as :meth:`owned` left
        them (no one said before it whose things the home names) in a home that names people's
        things: someone's device, but whose is not said, so the device the room gives is a guess
        ("turn out his light off", whisper's "turn alfie's light off")."""
        return bool(self.owner_words) and any(
            w in self.lang.grammar.possessive_pronouns and any(x in self.index.type_words for x in words[i + 1:i + 3])
            for i, w in enumerate(words))

    def heard_article(self, words: list[str]) -> list[str]:
        """``words`` with each language.yaml ``heard_articles`` word right before a name of the home
        or a type word, after another word, read as its article ("put tea kettle on" -> "put the
        kettle on"); where it begins a name itself ("the tea urn") it stays."""
        heard = self.lang.grammar.heard_articles
        if not heard.keys() & set(words[1:]):
            return words
        exact = self.index.exact(words)
        starts = {m.start for m in exact} | {k for k, w in enumerate(words) if w in self.index.type_words}
        inside = {k for m in exact for k in range(m.start, m.end)}
        return [heard[w] if k > 0 and w in heard and k + 1 in starts and k not in inside else w
                for k, w in enumerate(words)]

    def caused(self, words: list[str]) -> list[str]:
        """``words`` without the causative verb (language.yaml ``causatives``) that opens them before a
        device's name and a command verb: "let the roborock clean the floor" is "the roborock clean
        the floor", the device named and what it is to do ("let the blinds down" stays: "down" is no verb)."""
        if len(words) < 3 or words[0] not in self.lang.grammar.causatives:
            return words
        ends = [m.end for m in self.index.exact(words) if m.kind == "device"
                and (m.start == 1 or m.start == 2 and words[1] in self.determiners)]
        # ... a verb, not a value ("make the floor lamp warm white")
        return words[1:] if any(e < len(words) and words[e] in self.lang.verbs and words[e] not in self.lang.value_words
                                for e in ends) else words

    def _joined_statement(self, words: list[str], s: int) -> bool:
        """Whether ``words[s:]`` is a statement: a subject of at most ``reason_subject_words`` words that
        are no verb, kind or number, then a ``statement_verbs`` word, and nothing of the home named
        (nor a name misheard before the subject, :meth:`dangling_name`: "and the pow law | she's off to bed")."""
        g = self.lang.grammar
        j = next((j for j in range(s + 1, min(len(words), s + g.reason_subject_words + 1)) if words[j] in g.statement_verbs), None)
        return j is not None and not any(w in self.lang.verbs or w in self.index.type_words or is_number(w) for w in words[s:j]) \
            and not any(m.end > s for m in self.index.exact(words)) and self.dangling_name(words[s:]) is None

    def remark_starts(self, words: list[str], after_comma: bool = False) -> list[int]:
        """Where a closing remark may begin: after the last device, room or type word said, at a
        word that is no split, location, value or open-end word but a determiner, and follows none
        of those words but a way ("... on | ah'm having a bath"), before no number (there the command
        goes on: "... in the blorp room", "... and the zoppy", "... to 20 by 6") nor at a number's
        ``quantity_units`` word; with
        ``after_comma``, also right after the first comma there ("open the roof window, | it's
        stuffy"), and nowhere after it; where nothing is named, a place said as "here" is ("make it
        cooler in here | dawlin"). [] if neither is."""
        g = self.lang.grammar
        leads, on, valued = self.remark_words
        ends = [m.end for m in self.index.exact(words)] + [i + 1 for i, w in enumerate(words) if w in self.index.type_words
                                                           and (i == 0 or words[i - 1] in leads)]
        # ... or a name without its room's words ("close the persianas | mami wants a siesta")
        ends += [j for i in range(len(words)) for j in range(i + 1, min(i + 3, len(words)) + 1)
                 if " ".join(words[i:j]) in self.index.short_dev and (i == 0 or words[i - 1] in leads)]
        ends = ends or self.placed_ends(words)  # "it's stuffy in here" may be the remark itself
        if not ends:
            return []
        out = []
        for k in range(max(ends), len(words)):
            if words[k] == "," and after_comma and k + 1 < len(words) and words[k + 1] not in on \
                    and not any(is_number(w) or w in valued for w in words[k + 1:]):
                out.append(k + 1)
            if words[k] in g.split_words and self._joined_statement(words, k + 1):
                out.append(k)  # "it's pitch dark in here | and beau's scared": said of someone, no command
            if words[k] in g.split_words or words[k] == ",":
                break  # "... and the zoppy": another command, misheard
            after = words[k - 1] in g.run_on_enders or (words[k - 1] not in on and words[k - 1] not in g.open_ends)
            # ... and never between a number and its unit ("set the media to 25 | degrees ..." would
            # leave a volume where a temperature was said)
            unit = words[k] in g.quantity_units and is_number(words[k - 1])
            if words[k] not in on and after and not unit \
                    and not any(is_number(w) or w in valued for w in words[k:]):
                out.append(k)
        return out

    def placed(self, words: list[str]) -> bool:
        """Whether ``words`` end on where the command is done: a ``here_words`` phrase ("make it
        cooler in here") or a room's name after a location word and determiners ("off everything in
        jason's room"). Nothing of a name goes on after such an end, so a word the home does not
        know there is said to someone ("... | dawlin", "... | la"), not a name misheard."""
        return len(words) in self.placed_ends(words)

    def placed_ends(self, words: list[str]) -> list[int]:
        """Each k for which ``words[:k]`` ends on a place (:meth:`placed`)."""
        g = self.lang.grammar
        out = [k for p in g.here_words for k in range(len(p.split()), len(words) + 1)
               if words[k - len(p.split()):k] == p.split()]
        for m in self.index.exact(words):
            i = m.start - 1
            while i > 0 and words[i] in self.determiners:
                i -= 1
            if m.kind == "area" and i >= 0 and words[i] in g.location_words:
                out.append(m.end)
        return out

    def number_lost(self, words: list[str]) -> bool:
        """A unit word right after a ``lost_number_after`` word, a word that is no number where a
        level is said after a way ("turn the radio up to ad": whisper's "to eighty"), or a
        ``numbered_words`` word after a ``value_leads`` one with neither a number nor a way after it
        ("on channel | fine"): its number was not heard."""
        g = self.lang.grammar
        lost = g.lost_number_after
        def unheard(k: int) -> bool:  # after "to" (and an article: "up to a d"), no number
            k += k < len(words) - 1 and words[k] in self.determiners
            return not is_number(words[k]) and words[k] not in self.lang.unit_words

        return any(w in self.lang.unit_words and words[i - 1] in lost for i, w in enumerate(words) if i) or any(
            g.step_leads.get(words[i - 2]) and words[i - 1] == g.level_lead and unheard(i) for i in range(2, len(words))) or any(
            w in g.numbered_words and words[i - 1] in g.value_leads
            and (i + 1 == len(words) or not is_number(words[i + 1]) and words[i + 1] not in g.particles)
            for i, w in enumerate(words) if i)

    def for_owner(self, words: list[str]) -> int | None:
        """Where a closing "for whom" begins (language.yaml ``purpose_leads``) whose words, but for
        determiners, are at most ``purpose_words`` of :attr:`owner_words` said bare: "put the wireless
        on | for gran" in a home with "Gran's lamp" is done for her, not to her lamp as well. None
        if the words do not end so."""
        k = self._purpose_lead(words)
        said = [w for w in words[k + 1:] if w not in self.determiners] if k is not None else []
        return k if said and len(said) <= self.lang.grammar.purpose_words and all(w in self.owner_words for w in said) else None

    def _purpose_lead(self, words: list[str]) -> int | None:
        """Where the last of language.yaml ``purpose_leads`` stands, with a word after it and two
        before; None if there is none."""
        return next((k for k in range(len(words) - 2, 1, -1) if words[k] in self.lang.grammar.purpose_leads), None)

    def before_purpose(self, words: list[str]) -> int | None:
        """Where a closing "for whom or what" begins (language.yaml ``purpose_leads``): "turn on the
        dino lamp | for oisin"; None if the words do not end so. The words after the lead are at
        most ``purpose_words``, no number and no part of a device's or room's name (nor is the
        lead: "the light for the hens" is a name)."""
        g = self.lang.grammar
        k = self._purpose_lead(words)
        if k is None or len(words) - k - 1 > g.purpose_words or any(is_number(w) for w in words[k + 1:]):
            return None
        return None if any(m.end > k for m in self.index.exact(words)) else k


def _framed(form: str, rest: list[str]) -> list[str]:
    """The words of ``form`` (language.yaml, "what is {rest} reading") with ``rest`` for "{rest}"."""
    return [x for w in form.split() for x in (rest if w == "{rest}" else [w])]
