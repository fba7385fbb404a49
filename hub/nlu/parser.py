"""Text -> Understanding for one home: normalise, split clauses, read each with the model, resolve.

The model (hub/nlu/model.py) gives each clause an intent and BIO slot tags; the resolver
(hub/nlu/resolve.py) finds the home's devices and areas in it; hub/nlu/actions.py turns intent
and device into a command or a refusal. The speaker's area is the room for a command that names
none; a device or area named in the utterance wins over it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import takewhile

from rapidfuzz.distance import Levenshtein

from hub.config import Config, Device, normalize_name
from hub.devices.catalog import Catalog, default_catalog
from hub.errors import CommandRefused, HubError
from hub.nlu.actions import Actions, Slots
from hub.nlu.clauses import hedged, split_clauses
from hub.nlu.framing import Framing
from hub.nlu.generate import NONE_INTENT, PLACEHOLDERS
from hub.nlu.hass_intents import HASS_MAP, hass_understanding, is_hass_intent
from hub.nlu.language import Language, load_language
from hub.nlu.model import ALT_MIN, ClauseReading, IntentModel
from hub.nlu.normalize import drop_phrases, is_number, normalize
from hub.nlu.options import OptionReader
from hub.nlu.repair import repaired, unopened
from hub.nlu.resolve import VALUE_LABELS, ClauseTargets, HomeIndex, Mention, bio_spans, phonetic
from hub.nlu.respond import describe
from hub.nlu.select import (Ambiguous, Selector, UnknownName, UnknownPlace, matched_positions, name_words, option_skip,
                            says)
from hub.nlu.times import time_phrase
from hub.nlu.timing.understand import Timing
from hub.types import Choice, Command, GroupQuestion, Understanding, When

IMPLIED_CONFIDENCE = 0.9
"""Confidence of a command on a device implied by what was asked (implied.yaml)."""
OPTION_CONFIDENCE = 0.9
"""Confidence of a command chosen by one of the device's own options said by name ("on eco")."""
AREA_SLOT = "{area}"
"""Stands for an area's name in implied.yaml's phrases."""
VALUE_ALT_MIN = 0.1
"""A reading that uses a value said with its unit ("40 percent") wins over one that ignores it
if it has at least this probability."""
COMMON_WORD_INTENTS = 4
"""A word of this many intents' templates ("here", "some", "up") tells none of them apart."""
ARM_DEFAULT = "arm_away"
"""The catalog action of an alarm armed with no mode named (commands.yaml: turn_on and arm_away's acts)."""
ADDRESS_KEY_MIN = 3
"""Shortest sound key of a hub's name, and of words heard for it, that may match by sound: "jay" (j)
or "jar" (jr) is too short to be taken for "jarvis"."""
REMARK_DOUBT = 0.9
"""Confidence under which a command is read again without a closing remark (Parser._parse): the
intent model reads the remark's words too, and its doubt is theirs ("... | big mama's at the door")."""
HEARD_CONFIDENCE = 0.8
"""Most confidence of a clause read through a word heard for its direction (language.yaml
``undirected.heard_opening``): under hub.asr.rescore.SURE, so a command read from speech waits for a yes."""
STEP_FAMILIES = frozenset({"up", "down"})
"""The intent families that step a level (the schema's, hub.nlu.language), as against "set"."""


@dataclass
class ClauseResult:
    """What one clause came to: its intent, commands (or the refusal), and the devices it meant."""

    intent: str | None
    commands: list[Command] = field(default_factory=list)
    confidence: float = 0.0
    refusal: str | None = None
    devices: list[Device] = field(default_factory=list)
    question: GroupQuestion | None = None
    complete: bool = False
    """Its commands rest only on words it holds: the target named, every word phrasing or a name."""
    choice: tuple[str, ...] = ()
    """Device ids the speaker is asked to choose among ("Which one: ...?")."""
    stand_in: bool = False
    """Its devices stand in for the speaker's room (Selection.stand_in): said as a statement, another
    clause that acts answers it instead ("it's freezing in here, put the space heater on")."""
    unknown: bool = False
    """It acted on the devices it names and refused a name beside them that the home lacks ("turn off
    tama's lamp and churis lamp"): part of what it asked is not done."""
    refused_name: bool = False
    """It asked something of a name the home lacks and did nothing ("... and turn his lamp")."""
    lacked: str = ""
    """The name the home lacks that it refused (:attr:`unknown` or :attr:`refused_name`), as said: "his lamp"."""
    unknown_place: bool = False
    """... a room the home lacks ("the lights in were room")."""
    unnamed: bool = False
    """Its devices came from the speaker's room (or its one device of the kind): none of its words
    named them ("set it to twenty degrees")."""


class Parser:
    """Understands utterances for one home. Build once (loads the model), then call :meth:`parse`."""

    def __init__(self, cfg: Config, model: IntentModel | None = None, lang: Language | None = None,
                 catalog: Catalog | None = None):
        """``lang`` defaults to intents/<hub.language>/, ``catalog`` to devices/.

        Raises ModelIntegrityError if the model files fail their manifest check, LanguageError if
        the language data is invalid."""
        self.cfg = cfg
        self.model = model or IntentModel()
        self.lang = lang = lang or load_language(cfg.hub.language)
        self.actions = Actions(lang, catalog or default_catalog())
        self.timing = Timing(cfg, lang, self.actions.catalog)
        self.sensitive = frozenset(d.id for d in cfg.devices if self.actions.sensitive(d))
        self.index = HomeIndex(cfg, lang, self.sensitive)
        self.min_confidence = cfg.hub.options.min_confidence
        self.named_types = frozenset(lang.grammar.name_only)
        g = lang.grammar
        gq = g.group_questions
        self.known_words = (lang.phrasing_words | set(g.stop_words) | set(self.index.type_words)
                            | {w for s in gq.starts for w in s.split()} | set(gq.states)
                            | {w for ws in gq.states.values() for w in ws} | {w for a in g.amounts for w in a.split()}
                            | {w for r in g.query_types.rules for x in (*r.words, *r.phrases) for w in x.split()}
                            | set(g.name_modifiers) | set(g.temperature_scales))
        known = (*self.index.exact_dev, *self.index.exact_area)
        names = {w for k in known for w in k.split()} | {k.replace(" ", "") for k in known}
        # Only distinctive command words are spelling targets: a verb, a type or value word.
        quantities = set(g.quantities.values())
        # time words too: "for 20 minuets" must stay a time phrase, never an open-ended "open"
        tw = g.time
        times = tw.durations | tw.clock_words | tw.repeats | tw.periods | tw.amount_words
        self.spell_vocab = frozenset(w for w in lang.openers | set(self.index.type_words) | lang.value_words
                                     | lang.unit_words | quantities | times
                                     | {w for q in g.self_questions for w in q.split()} if w.isalpha())
        self.options = OptionReader(cfg, lang, self.actions.catalog)
        # an exclamation is said as it is spelt ("arre" is no misspelt "are")
        self.name_words = frozenset(names | self.known_words | set(g.split_words) | set(g.interjections)
                                    | {w for o in self.options.names for w in o.split()})
        self.home_words = frozenset(names)
        """Words of the home's device and area names (and their run-together forms)."""
        self.addressed = lang.addressed_with(self._own_names())
        """The names the hub is called by, read as a pause: the language's, config.yaml's hub.name
        and the wake word's ("hey mycroft", "mycroft")."""
        self.name_words |= {w for n in self.addressed for w in n}
        self._addressed_keys = frozenset(k for n in self.addressed if len(k := phonetic(" ".join(n))) >= ADDRESS_KEY_MIN)
        """The sound keys of those names, for a name misheard (:meth:`_heard_addressed`)."""
        self._said_words = frozenset(self.known_words | self.home_words)
        """Words this home's phrasing or names hold: a word outside them before "mode" is misheard."""
        self.framing = Framing(lang, self.index, self._said_words)
        """What frames a command: exclamations, leads, statements, reasons and remarks."""
        self.spell_nouns = frozenset(w for w in set(self.index.type_words) | lang.value_words if w.isalpha())
        _ = lang.spelt_words  # the dictionary is read (0.3 s) as the parser loads, not on the first utterance
        self.pronouns = frozenset(g.pronouns)
        lx = lang.lexicon
        self.value_enders = frozenset(p.split()[-1] for p in (*lx.colors, *lx.color_temps, *lx.hvac_modes, *lx.fan_speeds)) \
            | set(lang.unit_words)
        """Last words of value phrases ("candlelight", "white", "percent"): a value ends there."""
        self.determiners = frozenset(g.determiners)
        self.selector = Selector(cfg, lang, self.index, self.actions, self.options, self.sensitive,
                                 self.known_words, self.home_words)
        """Which devices a clause means (hub/nlu/select.py)."""
        self._degree_words = frozenset(g.degree_words)
        self.custom = cfg.sentences
        """The home's custom sentences (hub.sentences), tried before the built-in understanding."""
        self._custom_values = self.custom.list_values() if self.custom else frozenset()
        """Their lists' values: an implied.yaml phrase among them is theirs, not a device's."""

    # ---------------------------------------------------------------- public
    def parse(self, text: str, area: str | None = None, pending: Choice | None = None) -> Understanding:
        """Utterance text (any casing/punctuation, as an ASR returns it) and the speaker's area id
        -> Understanding with zero or more commands, a calibrated confidence and a reply. When the
        hub asked which device was meant (``Understanding.choice``), pass that as ``pending`` with
        the answer ("the bedside one", "both", "never mind"); text that is no answer is read as a
        new utterance. A custom sentence that matches the whole text wins; text that nearly says a
        custom intent and matches none is not understood (hub.sentences.nearmiss), never read as
        a built-in command.

        Raises HubError if ``area`` is not an area id of this home."""
        if area is not None and area not in self.cfg.area_by_id:
            raise HubError(f"area {area!r} is not an area of {self.cfg.source} (known: {', '.join(self.cfg.area_by_id)})")
        if self.custom and (u := self.custom.recognize(text, area, self.lang.say("failed"))) is not None:
            # a custom sentence that matches all the words wins over the built-in phrasing
            hass = self.lang.dir / HASS_MAP
            if u.intent not in self.custom.scripts and is_hass_intent(u.intent, hass):
                return hass_understanding(u, self, hass)
            return u
        if pending is None and self.custom and self.custom.nearly(text):
            # "brew a light roast ice mocha": an order misheard, not the coffee maker to turn on
            return Understanding(text, None, (), 0.0, self.lang.say("not_understood"), area)
        u = self.builtin(text, area, pending)
        return self._to_extreme(text, area, u) if pending is None else u

    def _to_extreme(self, text: str, area: str | None, u: Understanding) -> Understanding:
        """``u``, or, where it is one step (devices/*.yaml ``relative``) or no command and ``text``
        says a phrase of language.yaml ``extremes``, ``text`` read with the words that phrase
        stands for, if that is one command setting what a step of its device changes: "turn the
        kitchen light all the way up" -> "... up to max", 100 %. A step is read with "all the way"
        dropped as a filler first, so this is the one place the phrase is looked for; "pull the
        blinds all the way up" opens them, no step, and stays."""
        extremes = self.lang.grammar.extremes
        if len(u.commands) > 1 or not extremes or u.commands and not self._is_step(u.commands[0]):
            return u
        phrase = next((p for p in extremes if re.search(rf"\b{re.escape(p)}\b", text, re.IGNORECASE)), None)
        if phrase is None:
            return u
        v = self.builtin(re.sub(rf"\b{re.escape(phrase)}\b", extremes[phrase], text, flags=re.IGNORECASE), area)
        if len(v.commands) != 1 or u.commands and v.commands[0].device != u.commands[0].device:
            return u
        device = self.cfg.device_by_id[v.commands[0].device]
        stepped = any(s.relative is not None and s.relative.to == v.commands[0].action
                      for s in self.actions.catalog.commands(device.type))
        return replace(v, text=u.text) if stepped else u

    def _is_step(self, c: Command) -> bool:
        """Whether ``c`` is a step ("brightness_up"), one the catalog gives a ``relative`` target."""
        device = self.cfg.device_by_id.get(c.device)
        spec = self.actions.catalog.get(device.type, c.action) if device is not None else None
        return spec is not None and spec.relative is not None

    def builtin(self, text: str, area: str | None = None, pending: Choice | None = None) -> Understanding:
        """:meth:`parse` without the custom sentences: the built-in understanding alone."""
        words = self._words(text)
        if pending is not None:
            chosen = self._answer(words, pending)
            if chosen == frozenset():
                return Understanding(text, None, (), 1.0, self.lang.say("cancelled"), area)
            if chosen is not None:
                return self._parse(pending.text, self._words(pending.text), pending.area, chosen)
            if not any(w in self.lang.starters for w in words):
                # "the kitchen one" when neither is: ask again rather than read it as a command
                names = [self.lang.the(self.cfg.device_by_id[c].name, self.cfg.device_by_id[c].type) for c in pending.candidates
                         if c in self.cfg.device_by_id]
                return Understanding(text, None, (), 0.0, self.lang.say("ambiguous", options=self.lang.join_or(names)),
                                     area, choice=pending)
        if (placed := self.framing.subject_as(self.framing.owned(words))) is not None:
            # "mwila's room is too hot": what "it's too hot in mwila's room" asks, before the room as a
            # subject is read ("nanna's room is so damp": its dehumidifier, not its heater turned
            # down); "ba bana is cold": what "they are cold" says
            if (v := self._parse(text, placed, area)).commands:
                return v
        return self._parse(text, words, area)

    def _words(self, text: str) -> list[str]:
        return normalize(text, self.lang, vocab=self.spell_vocab, keep=self.name_words, nouns=self.spell_nouns,
                         addressed=self.addressed, heard=self._heard_addressed)

    def _heard_addressed(self, run: tuple[str, ...]) -> bool:
        """Whether ``run`` sounds like a name the hub is called by: a sound key (hub.nlu.resolve.phonetic)
        at least :data:`ADDRESS_KEY_MIN` long, one edit from a name's, with the same first sound
        ("javis" jfs, "jar bus" jrps, "jarmis" jrms for "jarvis" jrfs; "travis" trfs is no call)."""
        key = phonetic(" ".join(run))
        return len(key) >= ADDRESS_KEY_MIN and any(k[0] == key[0] and Levenshtein.distance(k, key) <= 1
                                                  for k in self._addressed_keys)

    def _own_names(self) -> list[tuple[str, ...]]:
        """This hub's names as normalised words: hub.name, and the wake word model's phrase
        ("hey_mycroft") with and without its opening call. A name that shares a word with a device
        or room of the home is left out ("Hub" beside the "hub lamp")."""
        wake = tuple(self.cfg.hub.wake_word.model.split("_"))
        said = [tuple(w for w in normalize(self.cfg.hub.name, self.lang) if w != ","), wake]
        if len(wake) > 1 and wake[0] in self.lang.lexicon.address_openers:
            said.append(wake[1:])
        return [n for n in said if n and not set(n) & self.home_words]

    def _answer(self, words: list[str], pending: Choice) -> frozenset[str] | None:
        """The devices an answer to "Which one: ...?" chooses: all of them ("both"), none ("never
        mind": the empty set), the n-th ("the first one") or the one whose name holds every other
        word said ("the bedside one"); None when the words are no answer."""
        ans = self.lang.grammar.answers
        cands = [c for c in pending.candidates if c in self.cfg.device_by_id]
        if says(words, ans.none):
            return frozenset()
        if says(words, ans.all):
            return frozenset(cands)
        # as the normaliser reads them ("one" is "1"; "please", a filler, is gone already)
        fillers = [f for f in (" ".join(normalize(x, self.lang)) for x in ans.fillers) if f]
        rest, _ = self._strip(words, fillers)
        while (nxt := self._strip(rest, fillers))[1] is not None:
            rest = nxt[0]
        content = [w for w in rest if w not in self.lang.grammar.stop_words]
        ordinal = [ans.ordinals[w] for w in content if w in ans.ordinals]
        if ordinal and len(content) == 1 and abs(ordinal[0]) <= len(cands):
            k = ordinal[0]
            return frozenset([cands[k - 1 if k > 0 else k]])
        if not content:
            return None
        fit = [c for c in cands if set(content) <= self.selector.device_words[c]]
        return frozenset(fit) if fit else None

    def _parse(self, text: str, words: list[str], area: str | None, chosen: frozenset[str] = frozenset()) -> Understanding:
        say = self.lang.say
        if not words:
            return Understanding(text, None, (), 0.0, say("nothing_heard"), area)
        words = unopened(words, self.lang)
        if (fixed := repaired(words, self.lang, self.index)) is not None:
            # "turn on the kitchen no the hall light": the hall light, as the speaker put it right;
            # an unlock, a gate opened or an alarm disarmed on a repair is asked again instead
            u = self._parse(text, fixed, area, chosen) if fixed else None
            if u is not None and not any(self.actions.needs_confirmation(self.cfg.device_by_id[c.device], c.action)
                                         for c in u.commands):
                return u
            return Understanding(text, None, (), 0.0, say("hedged"), area, hedged=True)
        words = self.framing.caused(self.framing.owned(self.framing.asked(self.framing.heard_article(words))))
        if (k := self.framing.told_then_asked(words)) is not None:
            # "the stage light is on | shut it off": what is told ends where the command begins
            words = [*words[:k], ",", *words[k:]]
        # "pull the barn door to | hit's fixing to come a storm": the particle before a reason is cut
        words = self._plugged(self._separable(words))
        if words[0] in self.lang.grammar.present_questions or (
                words[0] in self.lang.question_openers and self.selector.asks_a_quantity(words)):
            # "how hot is the pool tonight", "how cold is it outside today": a question asks now, and
            # the time it is said in (language.yaml present_times) is nothing to wait for; so does
            # one of a quantity ("what's the temperature outside today"; "what's on tv tonight" asks later)
            words = drop_phrases(words, self.lang.present_time_phrases) or words
        elif not set(words[self.framing.interjected(words):]) & (self.lang.grammar.polar_words | self.lang.verbs):
            # "the sheets are like ice tonight", "it's kinda stuffy in here this morning": a need
            # told with no command word in it holds now, and its time is nothing to wait for
            words = drop_phrases(words, self.lang.present_time_phrases) or words
        # "eish it's dark in the kitchen", "chale set the ac to eighteen": the exclamation is not the
        # command's; "it's minus thirty out there tonight plug in the truck": nor the statement's words,
        # its time phrases too; "reckon you could | cut the ceiling fan on": nor a polite lead, before
        # its words are taken for an exclamation and the verb's particle is no longer right after it
        # ("eneo don cut light again | on the groupe": a whole statement is read as one, never as an
        # exclamation before "light again on the groupe")
        said = self.framing.polite_lead(words) or self.framing.interjected(words) or (
            0 if self.framing.statement_said(words) else self.framing.exclaimed(words))
        said += len(words[said:]) - len(self.framing.after_statement(words[said:]))
        # ... and "switch off the garage light the kids have gone to sleep": nor a reason's after it,
        # whose "don't" is no change of mind ("... | the cattle's water don't freeze")
        reason = self.framing.reason(words, said)
        if hedged(words if reason is None else [*words[:reason[0]], *words[reason[1]:]], self.lang):
            return Understanding(text, None, (), 0.0, say("hedged"), area, hedged=True)
        if (timer := self.timing.sentence(text, area, words)) is not None:
            # "turn off the egg timer" is a device's when the home has one of that name
            named = set(str((timer.slots or {}).get("name", "")).split())
            if not any(m.kind == "device" and not set(m.text.split()) <= named for m in self.index.exact(words)):
                return timer
        rest, whens, bare = self._cut_time_phrases(text, words, said=said, reason=reason)
        u = self._understand(text, rest, area, chosen)
        if said and not u.commands:
            # "aiyo the floor so dusty can | clean it or not": what was taken for a lead says what
            # the command is on; read with it, if that gives a whole command
            kept = self._cut_time_phrases(text, words, reason=reason)
            if (whole := self._understand(text, kept[0], area, chosen)).commands and not whole.partial:
                u, (rest, whens, bare) = whole, kept
        if u.commands and u.partial and (k := self.framing.before_purpose(rest)) is not None:
            # "turn on the dino lamp | for oisin": the same commands, no name refused; or more, the
            # clause it closes whole too ("on the tv and change to channel eight | for ah ma"); words
            # the home does not know still leave it no whole command ("put the alarm on for mud" is
            # no rival of "... on home mode")
            whole = self._understand(text, rest[:k], area, chosen)
            if set(u.commands) <= set(whole.commands) and not whole.partial:
                u = replace(whole, complete=whole.complete and u.complete)
        if len(u.commands) != 1 and (k := self.framing.for_owner(rest)) is not None:
            # "put the wireless on | for gran" where the home names "Gran's lamp": the commands
            # without hers, if they are the others; "put the light on in the bathroom | for cerys"
            # refused for "Cerys's light" elsewhere: the command without her, where it names a
            # device or a room ("put the light on | for cerys" is no light of the speaker's room)
            whole = self._understand(text, rest[:k], area, chosen)
            if whole.commands and not whole.partial and (any(self.index.exact(rest[:k])) if not u.commands else (
                    len(whole.commands) < len(u.commands) and all(c in u.commands for c in whole.commands))):
                u = replace(whole, complete=whole.complete and (u.complete or not u.commands))
        # "open the roof window | but it's stuffy": a remark the model read with the command leaves
        # it unsure of what it is sure of without it
        loose = bool(u.commands) and not u.partial and u.confidence < REMARK_DOUBT
        # ... but a room the home lacks is no remark: cut off, the speaker's own room would be meant
        # ("cut the lights off | an amma and a pass room", whisper's "in ama and apa's room")
        if ((u.commands and u.partial) or not u.commands or loose) and not u.unknown_place:
            # "turn the pellet smoker on | i'm fixing to put a brisket on": a closing remark that
            # names nothing of the home, after a command whole without it, refuses no name; where
            # the remark left no command or another ("shut the picture window blinds | the sun's in
            # my eyes", "on the generator | nepa has taken light" read as a question), a remark after
            # a whole command that names what it acts on (:meth:`_closed_before`) is no part of it
            state = self._asked_state(rest, set())
            exact = self.index.exact(rest)
            lost = self.framing.number_lost(rest)
            for k in self.framing.remark_starts(rest, after_comma=loose or not u.commands):
                if self._amount_at(rest, k):
                    continue  # "turn the tv off | a bit": an amount is the command's, no remark
                if rest[k] in self.lang.grammar.undirected.options:
                    continue  # "put the piazza light | off it daytime now": the way said is the command's
                if state and self._asked_state(rest[:k], set()) is None:
                    continue  # "has the freezer plug | been armed": the state asked is no remark
                if lost and k > 1 and (self.lang.grammar.level_lead in rest[k - 2:k + 1]):
                    continue  # "turn the radio up | to ad": the level said, its number not heard
                if u.commands and any(m.kind == "device" and m.end == k for m in exact) and self._lacked_name(rest, k):
                    continue  # "off the hall tv | the dikoda", read with it: a name the home lacks, no remark
                whole = self._understand(text, rest[:k], area, chosen)
                placed = self.framing.placed(rest[:k])
                if whole.commands and not whole.partial and (whole.commands == u.commands or not loose and (
                        (whole.complete or placed) and self._closed_before(rest, k, placed)
                        or self._asked_before(whole, rest[k:]))):
                    u = replace(whole, complete=False)
                    # ... and a time that says no when is the remark's ("cut on the porch fan and the
                    # bug zapper | the skeeters bad tonight"), where it was cut off after the command
                    whens = [w for w in whens if w is not None] if self._time_after(words, rest[k - 1]) else whens
                    break
        if bare:
            # "set the heating at 21": a bare number the command takes as its value is no time
            kept, kept_whens, _ = self._cut_time_phrases(text, words, bare=False, said=said, reason=reason)
            valued = self._understand(text, kept, area, chosen)
            if any(c.value in bare for c in valued.commands):
                u, whens = valued, kept_whens
        u = self._occasioned(u, words)
        if whens and u.commands:
            # "turn off the lights in ten minutes": not now, so the commands carry when
            return self.timing.in_time(u, whens)
        return u

    def _occasioned(self, u: Understanding, words: list[str]) -> Understanding:
        """``u`` with an alarm armed away, no mode named, armed in the mode ``words`` say the
        occasion of (language.yaml ``arm_occasions``: "put the alarm on | for the night"), where the
        panel has that mode; words of no occasion or of two leave ``u`` as it is."""
        said = f" {' '.join(words)} "
        modes = {mode for mode, phrases in self.lang.grammar.arm_occasions.items() if any(f" {p} " in said for p in phrases)}
        named = set(self.lang.lexicon.named_actions.get(ARM_DEFAULT, ()))
        if len(modes) != 1 or named & set(words) or not any(c.action == ARM_DEFAULT for c in u.commands):
            return u
        mode = modes.pop()

        def armed(c: Command) -> Command:
            d = self.cfg.device_by_id[c.device]
            spec = self.actions.catalog.get(d.type, mode)
            able = c.action == ARM_DEFAULT and spec is not None and all(d.has(f) for f in spec.features)
            return replace(c, action=mode) if able else c
        commands = tuple(armed(c) for c in u.commands)
        said_before, said_now = describe(list(u.commands), self.cfg, self.lang), describe(list(commands), self.cfg, self.lang)
        return replace(u, commands=commands, response=u.response.replace(said_before, said_now, 1),
                       intent=mode if u.intent == ARM_DEFAULT else u.intent)

    def _time_after(self, words: list[str], last: str) -> bool:
        """Whether a time phrase (hub.nlu.times.time_phrase) begins after the last occurrence of
        ``last``, the command's last word before a closing remark, in ``words`` as said."""
        k = max((i for i, w in enumerate(words) if w == last), default=None)
        return k is not None and time_phrase(words[k + 1:], self.lang) is not None

    def _asked_before(self, whole: Understanding, remark: list[str]) -> bool:
        """Whether ``whole``, the words before a closing ``remark``, only asks (every command a
        query) and the remark holds no word of the home's names nor a type word: a tag after a
        question ("what's the temperature outside | bor"). A question changes nothing, so a word it
        leaves unread is no name misheard to wait on; "did samsung lock | the big door" (whisper's
        "someone", "back") asks of the door."""
        return all(c.action == self.lang.query_intent for c in whole.commands) and not any(
            w in self.home_words or w in self.index.type_words for w in remark)

    def _closed_before(self, words: list[str], k: int, placed: bool) -> bool:
        """Whether the command in ``words[:k]`` names what it acts on so that ``words[k:]`` is a
        remark after it, not a name misheard: a device named in full, the place it is done in
        (:meth:`Framing.placed`: "make it cooler in here | dawlin"), or a command verb and a type
        word (or a type word and its way, no verb) before any room begun ("close the tv | m goi"; "we are heating | to bed", whisper's
        "heading", and "turn the lights off in we're | room" are none). One word after it must
        also be none the home or the language knows, nor a device's option, said after the way,
        the place or the value ("turn the cafetera on | mija", "off everything in jason's room |
        la", "put the heating up to twenty one | bab"), or after a type word that ends every name of
        the home it is in ("turn on the heater | mo chroí", where no name goes on after "heater" as
        "lamp fach" does after "lamp"). ``placed``: :meth:`Framing.placed` of ``words[:k]``."""
        g, said = self.lang.grammar, words[:k]
        last = words[k - 2] if k > 1 and words[k - 1] == "," else words[k - 1]  # "... heater, | mo chroí"
        ended = last in g.run_on_enders or placed or is_number(last) or last in self.lang.unit_words \
            or (last in self.index.type_words and last in self._name_final_words)
        if len(words) - k == 1 and not (ended and words[k] not in self._said_words and words[k] not in self.options.any_words):
            return False
        # ... a way said as the verb is one ("off the light | sian", Singlish)
        verb = (said[0] in self.lang.verbs and said[0] not in g.self_subjects) or self.framing.way_as_verb(said, 0)
        # ... before any room begun: a word heard for "in" that opens another command is its "and"
        # ("off the aircon and | on the fan | can save electricity")
        located = any(w in g.location_words or w in g.heard_locations and not (
            i + 1 < len(said) and (said[i + 1] in self.lang.starters or self.framing.way_as_verb(said, i + 1)))
            for i, w in enumerate(said))
        # ... or a type word and then its way, with nothing else before it but names and determiners
        # ("light off | cooking ho gaya", Hyderabad; not "i can't see a fan on | these tears")
        exact = self.index.exact(said)
        named = {i for m in exact for i in range(m.start, m.end)}
        verbless = said[-1] in g.undirected.options and any(w in self.index.type_words for w in said[:-1]) and all(
            i in named or w in self.determiners or w in self.index.type_words for i, w in enumerate(said[:-1]))
        return placed or any(m.kind == "device" for m in exact) or (
            (verb and any(w in self.index.type_words for w in said[1:]) or verbless)
            and not located)

    def _cut_time_phrases(self, text: str, words: list[str], bare: bool = True, said: int = 0,
                          reason: tuple[int, int] | None = None) -> tuple[list[str], list[When | None], set[float]]:
        """``words`` after their first ``said`` (a statement the command runs on from, dropped) and
        outside the span ``reason`` (a statement of why run on after it) without their time
        phrases, what each says (a When; None if it cannot be read), and the numbers of the bare
        "at 11" among them (cut only if ``bare``). The phrases are found on
        ``words`` (a time of day hub/timers reads, hub/nlu/times.py, or any duration hub/timers
        reads) outside the home's names, and read on the time reader's words, aligned with them."""
        def kept(ws: list[str]) -> list[str]:
            return ws[said:reason[0]] + ws[reason[1]:] if reason else ws[said:]
        rest, whens, cut_bare = kept(words), [], set()
        alt = (self.timing.words(text, vocab=self.spell_vocab, keep=self.name_words, nouns=self.spell_nouns)
               if self.timing.leads & set(words) else [])
        alt = kept(alt) if len(alt) == len(words) else []
        while True:
            names = {k for m in self.index.exact(rest) for k in range(m.start, m.end)}
            aligned = len(alt) == len(rest)
            clock = self.timing.clock_phrase(alt, names, bare) if aligned else None
            if clock and clock[2]:
                cut_bare.add(float(alt[clock[0] + 1]))
            span = (clock[:2] if clock else None) or time_phrase(rest, self.lang, names) or (
                self.timing.duration_phrase(alt, names) if aligned else None)
            if span is None:
                return rest, whens, cut_bare
            read = self.timing.phrase(alt, span[0]) if aligned else None
            end = max(span[1], read[1]) if read else span[1]
            rest, alt = rest[:span[0]] + rest[end:], alt[:span[0]] + alt[end:]
            whens.append(read[0] if read else None)

    def _understand(self, text: str, words: list[str], area: str | None,
                    chosen: frozenset[str] = frozenset()) -> Understanding:
        """Normalised words of an utterance -> Understanding."""
        say = self.lang.say
        results: list[ClauseResult] = []
        prev: list[Device] = []
        clauses = split_clauses(words, self.lang, self.index.spans(words))
        for clause in clauses:
            r = self._clause(clause, area, prev, chosen)
            if r.commands and r.intent in self.lang.grammar.amountless and clause[0] in self.lang.verbs \
                    and self._amount_said(clause):
                # "turn the tv off a bit": an amount of no way on or off, "up" or "down" misheard
                # ("it's a bit damp" is a complaint's degree)
                options = [f"\"{clause[0]} {p}\"" for p in self.lang.grammar.particles]
                r = ClauseResult(None, refusal=say("unclear", options=self.lang.join_or(options)))
            if r.commands and (clause[0] in self.lang.grammar.undirected.heard_opening and self._opening_way(clause) != clause
                               or self._heard_verb(clause) != clause):
                r = replace(r, confidence=min(r.confidence, HEARD_CONFIDENCE))  # "and the meza light": a guess
            if r.commands and self.framing.owner_unsaid(clause):
                r = replace(r, confidence=min(r.confidence, HEARD_CONFIDENCE))
            if results and self._topic(clauses[len(results) - 1], results[-1], clause, r):
                results[-1] = ClauseResult(None)  # "the booster pump, | switch it on": its topic
            results.append(r)
            if r.devices:
                prev = r.devices
        if any(r.commands for r in results):
            # "turn all the lights off | and the staple food we're off up" (whisper's "in the
            # stafell fyw"): words where a name would be, before a statement, are a name the home
            # lacks, not chatter beside the command
            for n, (c, r) in enumerate(zip(clauses, results)):
                if r.intent is None and not r.commands and (k := self.framing.dangling_name(c)) is not None:
                    results[n] = replace(r, refused_name=True, lacked=" ".join(c[1:k]),
                                         refusal=say("unknown_device", name=" ".join(c[1:k])))
        intent = next((r.intent for r in results if r.intent), None)
        lacked = tuple(r.lacked for r in results if r.lacked)
        # "turn on the light and ...", "turn the fan on for ...": more is coming
        g = self.lang.grammar
        complete = words[-1] not in g.split_words | g.open_ends and all(r.complete for r in results if r.intent) \
            and not any(r.refused_name for r in results)
        acted = any(r.commands for r in results)
        # "I'm off to bed, lock the door": the chatter around a command needs no reply of its own.
        refusals = [r.refusal for r in results if r.refusal and not (acted and r.intent is None and not r.refused_name)]
        # "it's freezing in here, put the space heater on": a device of no room standing in for the
        # speaker's is a guess at what a complaint asks, which another clause acting answers
        answered = any(r.commands and not r.stand_in for r in results)
        results = [replace(r, commands=[]) if r.stand_in and answered and self.framing.statement_opening(c) else r
                   for c, r in zip(clauses, results)]
        # A clause below the threshold is refused on its own; the others still act.
        sure = [r for r in results if r.commands and r.confidence >= self.min_confidence]
        unsure = [r for r in results if r.commands and r.confidence < self.min_confidence]
        refusals += [say("low_confidence")] * bool(unsure)
        commands: list[Command] = []
        for c in (c for r in sure for c in r.commands):
            if c not in commands:  # "it's chilly in here, turn the heat up": one request said twice
                commands.append(c)
        confidence = min((r.confidence for r in sure), default=max((r.confidence for r in results), default=0.0))
        if not commands:
            reply = refusals[-1] if unsure else (refusals[0] if refusals else say("not_understood"))
            asked = next((r for r in results if r.choice), None)
            if asked is not None and not unsure:
                # "Which one: the bedroom lamp or the bedside lamp?": the answer comes back as ``pending``
                return Understanding(text, intent, (), confidence, asked.refusal, area, choice=Choice(text, asked.choice, area))
            return Understanding(text, intent, (), confidence, reply, area, complete=complete,
                                 unknown_place=any(r.unknown_place for r in results),
                                 unknown_name=any(r.refused_name for r in results), lacked=lacked)
        reply = " ".join([describe(commands, self.cfg, self.lang)] + refusals)
        question = next((r.question for r in sure if r.question), None)
        # "look the front door and set the alarm": a device named and nothing done with it; "it's
        # chilly in the summer house, can you put the heater on" names none, and the next clause is its answer;
        # "turn off tama's lamp and churis lamp": a name the home lacks beside those it acted on, in
        # its clause or in one of its own ("... and turn his lamp")
        # ("put on your curtains shut and turn the fan on", whisper's "tonya's": a type word too)
        partial = any(r.intent and not (r.commands and r.confidence >= self.min_confidence)
                      and (any(m.kind == "device" for m in self.index.exact(c)) or any(w in self.index.type_words for w in c))
                      for c, r in zip(clauses, results)) \
            or any(r.unknown for r in sure) or any(r.refused_name for r in results) \
            or any(r.choice for r in results)  # "turn the machine off | and put the meaco on": which machine?
        # the intent people (and Home Assistant) see is what was done, not the model's generic label
        return Understanding(text, commands[0].action, tuple(commands), confidence, reply, area, question, complete,
                             partial=partial, unnamed=any(r.unnamed for r in sure), lacked=lacked)

    def _topic(self, words: list[str], said: ClauseResult, then: list[str], done: ClauseResult) -> bool:
        """Whether clause ``words`` only names devices (and determiners) that the next clause,
        ``then``, acts on through a pronoun: "the booster pump, switch it on" (whisper's comma after
        a name said first) is one command, not a name refused as unclear and a command."""
        names = [m for m in self.index.exact(words) if m.kind == "device"]
        inside = {k for m in names for k in range(m.start, m.end)}
        ids = {d.id for d in said.devices}
        return bool(names and ids and done.commands) and all(k in inside or w in self.determiners for k, w in enumerate(words)) \
            and bool(set(then) & self.pronouns) and all(c.device in ids for c in done.commands)

    # ---------------------------------------------------------------- one clause
    def _clause(self, words: list[str], area: str | None, prev: list[Device],
                chosen: frozenset[str] = frozenset()) -> ClauseResult:
        say = self.lang.say
        # The amount is a slot; its words stay for the model ("open the blind a bit" is a step).
        amount = self._amount(words)[1]
        words, whole = self._strip(self._verbless(self._opening_way(self._separable(self._heard_verb(words)))) if words else words,
                                   self.lang.grammar.whole_home_phrases)
        words = self._without_between(self._without_place_adverbs(self.framing.heard_location(words)))
        if not words:
            return ClauseResult(None, refusal=say("not_understood"))
        if (split := self._named_after_statement(words)) is not None:
            return self._clause(words[:split], area, prev, chosen)
        unclear = next((v for k, v in self.lang.grammar.unclear_starts.items() if words[:len(k.split())] == k.split()), None)
        if unclear:
            return ClauseResult(None, refusal=say("unclear", options=self.lang.join_or([f"\"{v}\"" for v in unclear])))
        g = self.lang.grammar
        # "I left the back door open" tells of the speaker's doing; "have I left any lights on" asks
        tells = words[0] not in g.question_auxiliaries and any(
            a in g.self_subjects and b in g.self_subject_verbs for a, b in zip(words, words[1:]))
        if tells or any(words[:len(q.split())] == q.split() for q in g.self_questions):
            said = [self.cfg.device_by_id[m.ids[0]] for m in self.index.exact(words) if m.kind == "device" and len(m.ids) == 1]
            return ClauseResult(None, refusal=say("not_a_request"), devices=said)
        if any(words[:len(e.split())] == e.split() for e in g.errand_starts):
            return ClauseResult(None, refusal=say("out_of_domain"))
        # "hoover the kitchen" with a vacuum called "Hoover", "close the bay blinds" in a home with a
        # stair called "Close": a one-word name said where the verb goes, that is a verb of the
        # phrasing, is the verb
        exact = [m for m in self.index.exact(words) if not (
            m.start == 0 and m.end == 1 < len(words) and words[0] in self.lang.starters)]
        masked, spans = _mask(words, exact, self.cfg, self.named_types)
        reading = self._read_plain(masked)
        tags = _unmask_tags(reading.tags, spans, len(words))
        targets = self.index.find(words, tags, exact)
        targets.all_words = targets.all_words or whole
        if runs := frozenset().union(*(self.lang.type_phrases(i) for i, p in reading.ranked if p >= ALT_MIN)):
            # "open the blinds let some light in": a type word the phrasing of an intent the model
            # reads it as says is no target, nor a name's part that is one ("light" of the "Gaslight");
            # ("let a bit of light in", read as a step up beside opening, lights nothing)
            said = {k for r in runs for i in range(len(words) - len(r) + 1) if tuple(words[i:i + len(r)]) == r
                    for k in range(i, i + len(r))}
            targets.types = [m for m in targets.types if m.start not in said]
            targets.devices = [m for m in targets.devices if not (m.short and m.type_word and m.start in said)]
        # "I want a shower": one word of a name after "a" is a thing, not the "Shower fan"
        targets.devices = [m for m in targets.devices if not (m.short and m.type_word is None and m.start > 0
                                                               and words[m.start - 1] in self.lang.grammar.indefinite_articles)]
        g = self.lang.grammar
        # "master bedroom light thirty percent pe | ammi parh rahi hain" ("ammi's parday" heard): a name
        # said after the value set on one named before it, with no "and" or place between, is a remark's
        value = next((i for i, w in enumerate(words) if is_number(w)), None)
        if value is not None and any(m.end <= value for m in targets.devices):
            targets.devices = [m for m in targets.devices if m.start < value or set(words[value:m.start]) & (
                set(g.split_words) | g.location_words | g.loose_location_words)]
        # ... and so is one said after the state a question asks of one named before it ("is the water
        # pump still on | the tank go overflow", Krio)
        asked = next((i for i, w in enumerate(words) if w in self.framing.state_words
                      and any(m.end <= i for m in targets.devices)), None) if words[0] in g.run_on_questions else None
        if asked is not None:
            targets.devices = [m for m in targets.devices if m.start < asked or set(words[asked + 1:m.start]) & (
                set(g.split_words) | g.location_words | ({g.question_alternatives.lead} if g.question_alternatives else set()))]
        lead = min(targets.devices, key=lambda m: m.start, default=None)
        wants = lead is not None and lead.end < len(words) and words[lead.end] in g.wanting_verbs \
            and not set(words[lead.end + 1:]) & (g.polar_words | self.lang.starters)
        # ... and no command verb on a device named after it follows ("the wifi is dead | switch the
        # router back on": the household's two names of one router), nor is it a need said
        # ("the rashers have the kitchen full of smoke": "rashers" is no washer; "the tank needs to be
        # filled": the tank pump)
        commanded = any(words[k] in self.lang.verbs and any(m.start > k for m in targets.devices)
                        for k in range(lead.end + 1, len(words))) if lead is not None else False
        if lead is not None and lead.end < len(words) and (words[lead.end] in g.statement_verbs or wants) \
                and not set(words[lead.end:]) & set(g.complaint_words) and not commanded \
                and not self._named_in_states(words, targets) and not self._named_in_phrase(words, targets):
            before = " ".join(w for w in words[:lead.start] if w not in self.determiners)
            said = [self.cfg.device_by_id[x] for x in lead.ids] if len(lead.ids) == 1 else []
            if not before:
                # "the side gate is open": how things are, not a request; "it" next means that device
                return ClauseResult(None, refusal=say("out_of_domain"), devices=said)
            if before in g.checking_leads:
                # "check the street door is locked": a question about it, never the lock itself; "check
                # the fan is on", of several fans: a question, of the one the speaker's room says
                asks = self.lang.query_intent
                if said:
                    return ClauseResult(asks, [Command(said[0].id, "query")], 0.95, None, said, complete=True)
                reading = ClauseReading(asks, 0.95, reading.tags, ((asks, 0.95),))
        fuzzy = [m for m in (*targets.devices, *targets.areas) if m.score < 1.0 and not m.short]
        if fuzzy:
            # Read again with the misheard names masked too: their words say nothing about the intent.
            masked, _ = _mask(words, sorted(exact + fuzzy, key=lambda m: m.start), self.cfg, self.named_types)
            reading = self.model.read(masked)
        kind = min(targets.types, key=lambda m: m.start, default=None)
        if lead is None and kind is not None and kind.end < len(words) and words[kind.end] in g.statement_verbs \
                and " ".join(w for w in words[:kind.start] if w not in self.determiners) in g.checking_leads:
            # "check the fan is on" (a kind, as "check the street door is locked" names one): a question
            asks = self.lang.query_intent
            reading = ClauseReading(asks, 0.95, reading.tags, ((asks, 0.95),))
        question = self._group_question(words)
        if question:
            # "which lights are on": a question about every matching device in the home (or the area)
            asks = self.lang.query_intent
            reading = ClauseReading(asks, 0.95, reading.tags, ((asks, 0.95),))
            targets.all_words = True
        # ... a need said, unless asked ("it have mosquito biting we", read as a question, opens with
        # no question word)
        elif (not self._asks(reading.intent) or words[0] not in self.lang.question_openers) \
                and (not targets.devices or self._named_in_phrase(words, targets) or self._named_in_states(words, targets)
                     or self._named_doing(words, targets)):
            implied = self._implied(words, reading, targets, area, chosen)
            if implied is not None:
                # "kick the fridge a dare on | it's hot in that garage": a word nobody knows where the
                # command's object stands may be what was meant: not all of it is understood
                lacks = len(words) > 2 and words[1] in self.determiners and words[2] not in self._said_words \
                    and words[2] not in self.name_words and not is_number(words[2])
                return replace(implied, unknown=lacks and bool(implied.commands), lacked=words[2] if lacks else "")
        if reading.intent == NONE_INTENT and (option := self._named_option(words, targets, reading)):
            # "put the snug radiator on holiday" read as no command: the named option says it is one
            return option
        if reading.intent == NONE_INTENT:
            # "movie night": a clause that is only the name of a scene means activating it
            named = [m for m in targets.devices if m.score == 1.0
                     and len({self.cfg.device_by_id[x].type for x in m.ids}) == 1
                     and self.cfg.device_by_id[m.ids[0]].type in self.named_types]
            if not (named and sum(m.end - m.start for m in named) >= len(words) - 1):
                # Not a command, but a device it names is what a following "it" means; one that
                # opens as a command and names a device is a command not understood ("... and on
                # the jhoola dinner is ready", whisper's "jhoomar"): a part of what was asked is lost;
                # so is one whose verb is a word nobody knows before a name ("luck the front door
                # and set the alarm", whisper's "lock"); a word before another word is the subject
                # of what is told ("yow left the hall light on | switch it off")
                said = [self.cfg.device_by_id[m.ids[0]] for m in targets.devices if len(m.ids) == 1 and not m.short]
                opens = words[0] in self.lang.starters or words[0] in g.undirected.options
                misheard = bool(said) and words[0] not in self.name_words and not is_number(words[0]) and (
                    words[1:2] == [] or words[1] in self.determiners or any(m.start == 1 for m in targets.devices))
                refused = bool(targets.devices or targets.unknown) and (opens or misheard)
                return ClauseResult(None, confidence=reading.confidence, refusal=say("out_of_domain"), devices=said,
                                    refused_name=refused, lacked=" ".join(targets.unknown) if refused else "")
            meant = self.lang.grammar.name_only[self.cfg.device_by_id[named[0].ids[0]].type]
            reading = ClauseReading(meant, 0.9, reading.tags, ((meant, 0.9),))
        slots = self._slots(words, tags, targets, amount)
        said = {k for m in (*targets.devices, *targets.areas) for k in range(m.start, m.end)}
        said |= {k for k, tag in enumerate(tags) if tag[2:] in VALUE_LABELS}
        # Intents that need a value nobody said ("set the X to ...") are ruled out; so are levels
        # when the number is a step ("turn the heat up two degrees").
        # A reading contradicted by a polar word said ("turn the movie scene off" is no activation)
        # is ruled out too, but a question: there it is the state asked about ("is the alarm armed").
        # "candlelight on the chandelier": "on" between a value and the device says where, not on/off
        # ... but before a name that opens on a way of going ("turn the dehumidifier on | down the
        # basement", an alias) it is the way
        where = {i for i, w in enumerate(words) if w in g.value_prepositions and i > 0
                 and (i - 1 in said or words[i - 1] in self.value_enders or is_number(words[i - 1]))
                 and i + 1 < len(words) and (words[i + 1] in self.determiners
                                             or i + 1 in said and words[i + 1] not in g.polar_words)}
        # "bring the shutter down to 50 percent": the way to a level said is no way of its own
        where |= self._ways_to_level(words)
        # "open the lights on the back porch" (Louisiana "open": on): a preposition before a room named
        # says where, after a verb with a way of its own (never "turn the lights on | the back porch")
        rooms = {m.start for m in targets.areas}
        where |= {i for i, w in enumerate(words) if w in g.value_prepositions and i > 1 and words[0] not in g.undirected.verbs
                  and (i + 1 in rooms or i + 2 in rooms and words[i + 1] in self.determiners)}
        polar = self._polar(words, said | where)
        steps = self._step_families(words, slots) if slots.step else set()
        # "the sound bar is too quiet": never muted
        complaints = [b for a, b in zip(words, words[1:]) if a in g.complaint_words]
        worse = {i for b in complaints for i in g.complaint_worse.get(b, ())}
        # "cut on the box fan" (US South): the particle said decides the way, whatever the verb
        way = self._particle_way(words, said)
        if way:
            # "set the roomba off": a reading said in a phrasing of its own, up to the particle ("(send|set)
            # {target} off" starts a vacuum), keeps its way ("cut the fan on": "cut {target}" is no "cut {target} on")
            way = {i: j for i, j in way.items() if not self._phrased_to_particle(words, i, targets)}
        if way and words[0] not in g.undirected.options:
            polar = polar - {words[0]}  # "cut" is an off word of its own; "off the drip line" says its way
        # ... and "too quiet" read as quieter is louder
        means = {i: g.complaint_means[b] for b in complaints if b in g.complaint_means for i in g.complaint_worse.get(b, ())}
        way = {**way, **means}
        worse -= set(means)
        if (kind_act := self._kind_verb(words, targets, polar)) is not None:
            # "set the burglar alarm", "extend the garage door" (Ugandan): the verb says what a device
            # of that kind does, where no word of another reading is said ("set the alarm to night")
            way = {**way, **{i: kind_act for i, _ in reading.ranked if not self._says_own_word(words, i, said | {0})}}
        merged: dict[str, float] = {}
        for i, p in reading.ranked:  # each reading as the way said has it, likeliest first
            merged[way.get(i, i)] = merged.get(way.get(i, i), 0.0) + p
        readings = sorted(merged.items(), key=lambda x: -x[1])
        # ... and a question is ruled out where a command verb opens the clause ("switch do the
        # electric blanket on | it's bitterly cold", whisper's "do", asked nothing)
        # ... as does a way said as the verb ("out the carport light | did you reach home already")
        verb_first = words[0] in self.lang.verbs or self.framing.way_as_verb(words, 0, {m.start for m in targets.devices})
        # ... and so is one that would do the opposite of the way said to the devices named, unless
        # the intent says that way of their type: "a bag off the hall light" (whisper's "abeg off")
        # is no "start", whose "set ... off" is a vacuum's
        named = frozenset(self.cfg.device_by_id[x].type for m in targets.devices for x in m.ids)
        consistent = [(i, p) for i, p in readings if i != NONE_INTENT and self._needs(i, slots)
                      and not (slots.step and self.lang.family(i) not in steps) and i not in worse
                      and (polar <= self.lang.intent_words(i) or self.lang.intents[i].asks)
                      and not self._opposes(i, polar, named) and not self._negated_otherwise(i, words, named)
                      and not (verb_first and self.lang.intents[i].asks)]
        ranked = [(i, p) for i, p in consistent if p >= ALT_MIN or p == readings[0][1]]
        if not ranked:
            if option := self._named_option(words, targets, reading):
                return option  # "night sound mode on the tv": no reading fits, the option does
            return ClauseResult(reading.intent, confidence=reading.confidence,
                                refusal=self._why_not(words, reading, slots, said, targets, area, prev) or say("not_understood"),
                                refused_name=bool(targets.unknown), lacked=" ".join(targets.unknown))
        intent = ranked[0][0]
        # A value said is meant: "can I have the lamp at 40 percent", "turn down the colour
        # temperature to warm white". A plausible reading that uses it wins over one that ignores it.
        # ... and so is a number said of a quantity named with no way up or down ("keep the bhajan
        # speaker volume at thirty hai": a level, never a step of thirty)
        leveled = slots.number is not None and not slots.step and (
            slots.unit_said or slots.quantity is not None and not polar & STEP_FAMILIES)
        users = {i for i, s in self.lang.intents.items()
                 if (s.needs and slots.of(s.needs) is not None) or (s.family == "set" and leveled)}
        if users and intent not in users:
            # (a step read where no way is said has nothing to go on: any reading that sets the level wins)
            unled = leveled and self.lang.family(intent) in STEP_FAMILIES and not polar & STEP_FAMILIES
            uses = next((i for i, p in ranked if i in users and (p >= VALUE_ALT_MIN or unled)), None)
            intent = uses or intent
        try:
            targets = self._reread(words, targets)
            devices, explicit, score, by_unknown, stand_in, beside = self.selector.select(intent, words, targets, area, prev,
                                                                                  ranked, question, chosen)
        except Ambiguous as e:
            return ClauseResult(intent, confidence=reading.confidence, refusal=e.reason, choice=e.candidates)
        except CommandRefused as e:
            return ClauseResult(intent, confidence=reading.confidence, refusal=e.reason,
                                refused_name=isinstance(e, UnknownName) or bool(targets.unknown),
                                lacked=e.name if isinstance(e, UnknownName) and e.name else " ".join(targets.unknown),
                                unknown_place=isinstance(e, UnknownPlace))
        state = self._asked_state(words, said)
        if self._asks(intent) and state:
            able = self._in_state(state, devices)
            if not able:
                # "is the air fryer locked" (whisper's "is the air locked" for "is the yale locked"):
                # nothing asked of the air fryer, which is never locked ("which lights are locked": the
                # kind said, not every light)
                kind = next((" ".join(words[m.start:m.end]) for m in targets.types), None) if len(devices) > 1 else None
                return ClauseResult(intent, confidence=reading.confidence, devices=devices, refusal=say(
                    "cannot_be", device=kind or self.lang.join([d.name.lower() for d in devices]), state=state))
            devices = able
        commands, refusal = self._commands(intent, devices, slots, explicit)
        if not commands:
            # A reading the devices can't do ("shutting the curtains" read as turn_off): the most
            # likely one they can, never an unsafe one.
            for alt, p in ranked:
                if alt == intent:
                    continue
                if not self._polar_fits(words, alt, said):
                    continue  # "turn the movie scene off" is never an activation
                if self._asks(alt) and state and not self._in_state(state, devices):
                    continue  # "has the freezer plug been armed" read as arming: no question about it either
                alt_cmds, _ = self._commands(alt, devices, slots, explicit)
                if p >= ALT_MIN and alt_cmds and not any(
                        self.actions.needs_confirmation(self.cfg.device_by_id[c.device], c.action) for c in alt_cmds):
                    intent, commands, refusal = alt, alt_cmds, None
                    break
        family = self.lang.family(intent)
        if not commands and family == "set" and slots.quantity is None:
            # "bring the shutter down to 50 percent" read as a volume: a level of no quantity named is
            # the devices' own (the family's generic intent: a cover's position)
            generic = next((i for i, s in self.lang.intents.items() if s.family == family and s.generic), None)
            if generic and generic != intent and (alt_cmds := self._commands(generic, devices, slots, explicit)[0]) \
                    and not any(self.actions.needs_confirmation(self.cfg.device_by_id[c.device], c.action) for c in alt_cmds):
                intent, commands, refusal = generic, alt_cmds, None
        if any(c.action in worse for c in commands):
            # ... nor turned down as another intent's "down" ("temperature_down" of a sound bar)
            return ClauseResult(intent, confidence=reading.confidence, refusal=say("not_understood"))
        if devices and not self._asks(intent):
            # "put the megaflo on eco", "set the tado to boost", "put the tv on hdmi 2": one of the
            # device's own options, said by name, is what is asked, whatever verb or number carries it
            # (but "is the tado on boost" asks); "reverse the fans": each that has it, never a toggle
            options, lacking = [], None
            for d in devices:
                try:
                    option = self.options.of_device(words, d, option_skip(targets))
                except CommandRefused as e:
                    lacking = lacking or e.reason
                    continue
                if option is not None:
                    options.append(option)
            if lacking and (len(devices) == 1 or not options):
                return ClauseResult(intent, confidence=reading.confidence, refusal=lacking, devices=devices)
            if options:
                return ClauseResult(intent, options, max(reading.confidence, OPTION_CONFIDENCE), None, devices, complete=True)
        if not commands:
            return ClauseResult(intent, confidence=reading.confidence, refusal=refusal or say("no_target"))
        und = self.lang.grammar.undirected
        guessed = False
        # ("light the diya": a verb that says what the kind does says its way, lexicon.yaml kind_verbs)
        if intent != kind_act and self._direction_unheard(words, intent, polar, slots, targets, said):
            # "put the fan" (Indian English): a verb that says its way where none is said, as a guess
            bare = und.on_side(intent, und.bare.get(words[0], ""))
            cmds = self._commands(bare, devices, slots, explicit)[0] if bare else []
            if not cmds or any(self.actions.needs_confirmation(self.cfg.device_by_id[c.device], c.action) for c in cmds):
                options = und.options + (und.level_options if intent not in und.intents else [])
                return ClauseResult(intent, confidence=reading.confidence, devices=devices,
                                    refusal=say("unclear", options=self.lang.join_or([f"\"{o}\"" for o in options])))
            intent, commands, guessed = bare, cmds, True
        misheard = self.options.misheard(words, option_skip(targets), self._said_words)
        if misheard:
            # "arm the house alarm info mode": a mode nobody has; never the default one instead
            return ClauseResult(intent, confidence=reading.confidence, refusal=say("unknown_option", name=misheard))
        # Calibrated confidence of these commands: the probability of every reading that gives
        # them, among the readings these devices can do.
        same = feasible = 0.0
        for i, p in consistent:
            cmds, _ = self._commands(i, devices, slots, explicit)
            if cmds:
                feasible += p
                same += p if cmds == commands else 0.0
        conf = same / feasible if feasible else 0.0
        if commands and slots.number is not None and self.lang.family(intent) in STEP_FAMILIES \
                and not any(w in words for w, way in self.lang.grammar.step_leads.items() if way is None) \
                and (level := self._level_said(devices, slots, explicit, commands)) is not None:
            intent, commands = level  # as sure as the step it was read as
        unknown = beside or (targets.unknown[0] if targets.unknown and not by_unknown else None)
        if unknown and not beside and len(targets.unknown) == 1 and (k := self._owner_of_name(words, unknown, targets, devices)) \
                and self._clause(words[:k] + words[k + len(unknown.split()):], area, prev, chosen).commands == commands:
            # "switch on the scooter mister" (whisper's "skeeter"): said of the name after it, and
            # what is done rests on no word of it ("the food's dark byre lights": "dark" asks for light)
            unknown = None
        # "lock the grill on the kk alarm" (whisper's "... and arm the kk alarm"): a device named
        # that cannot do it is a part of what was asked left undone, as a name the home lacks is
        refused = bool(commands and refusal)
        if unknown:
            refusal = say("unknown_device", name=unknown)
        # Complete: the target came from words of this clause (a name, type or area, or "it" after
        # an earlier clause), not a guess from the speaker's room, and no word is left unexplained.
        named = bool(targets.devices or targets.areas or targets.types) or bool(prev and set(devices) <= set(prev))
        lost = self.framing.number_lost(words)
        complete = named and not self.selector.unexplained(words, targets) and not lost and not refused
        if lost or guessed:
            # "turn the radio up to ad" (whisper's "to eighty"): what is done without the number heard
            # is a guess, so speech waits for a yes; so is a way no word said ("put the fan")
            conf = min(conf, HEARD_CONFIDENCE)
        if len(commands) == 1 and (room := self._room_to_do(words, intent, devices[0], targets)):
            # "get rosie to hoover the kitchen": the named vacuum cleans that room, as "hoover the
            # kitchen" alone would have it (implied.yaml in_area)
            commands = [Command(devices[0].id, *room)]
        return ClauseResult(intent, commands, conf * score, refusal, devices, question, complete, stand_in=stand_in,
                            unknown=bool(unknown) or refused, unnamed=not named, lacked=unknown or "")

    def _reread(self, words: list[str], t: ClauseTargets) -> ClauseTargets:
        """The clause's names read again with what the model's tags missed, as a new ClauseTargets:
        "the big light" tagged as a name is a type word and the words that say which; an unknown
        word after a location word is the area whose name holds it ("in the yard"); an option
        ("comfort mode") or a temperature scale is no unknown name. Raises CommandRefused for a
        location word before a word no area holds."""
        lang = self.lang
        t = replace(t, devices=list(t.devices), areas=list(t.areas), types=list(t.types), unknown=list(t.unknown))
        for u in list(t.unknown):
            said = u.split()
            tw = self.index.type_words.get(said[-1])
            k = next((i for i in range(len(words) - len(said) + 1) if words[i:i + len(said)] == said), None)
            if tw and k is not None and all(w in lang.grammar.name_modifiers for w in said[:-1]):
                # "the big light" read as a name: a type word and the words that say which
                t.unknown.remove(u)
                t.types.append(Mention("type", k + len(said) - 1, k + len(said), said[-1], type_word=tw))
        if not (t.devices or t.areas or t.types or t.unknown):
            # "put the telly on five" with no word tagged: a type word after a determiner is what the
            # clause acts on, never the speaker's room's lights found by the value alone
            k = next((k for k in range(1, len(words)) if words[k] in self.index.type_words
                      and words[k - 1] in self.determiners), None)
            if k is not None:
                t.types.append(Mention("type", k, k + 1, words[k], type_word=self.index.type_words[words[k]]))
        # "turn on the floor lamp | by the tv": a name said after a landmark word that follows another
        # says where that one is, nothing to act on
        t.devices = [m for m in t.devices if not self._landmark(words, m, t)]
        t.types = [m for m in t.types if not self._landmark(words, m, t)]
        # "out the pump | the vat overflowing", "close the garage door | the rain coming" (of "Rain
        # Bird"): a name said in part, loosely or as a type word right after a device named in full,
        # with no word joining them, is what a remark is about
        t.devices = [m for m in t.devices if not self._remark_subject(words, m, t)]
        t.types = [m for m in t.types if not self._remark_subject(words, m, t)]
        place, word = self._place_word(words, t)
        if word is not None:
            # "in the yard" read as a name is the room (a word of its name)
            k = words.index(word)
            t.areas.append(Mention("area", k, k + 1, word, tuple(place)))
        t.unknown = [u for u in t.unknown if u != word and u not in self.options.names and u not in lang.grammar.temperature_scales]
        # the rest of a name the tags split ("the robot" | "hoover" of the alias "robot hoover") is no
        # name the home lacks, nor is a word of its room's name ("alfie's star projector" in
        # "Alfie's room")
        rooms = self.selector.room_words
        named = {w for m in t.devices for i in m.ids
                 for w in (*name_words(self.cfg.device_by_id[i]), *rooms.get(self.cfg.device_by_id[i].area, ()))}
        t.unknown = [u for u in t.unknown if not set(u.split()) <= named and not self._said_of_other(words, u)]
        last = max(t.devices, key=lambda m: m.end, default=None)
        if last is not None and (run := self._lacked_name(words, last.end)) and run not in t.unknown:
            t.unknown.append(run)
        return t

    @cached_property
    def _joints(self) -> frozenset[str]:
        """Words that join a second target to the first, or open another part (:meth:`_remark_subject`)."""
        g = self.lang.grammar
        return frozenset({*g.split_words, *g.purpose_leads, *self.lang.verbs, ","})

    def _remark_subject(self, words: list[str], m: Mention, t: ClauseTargets) -> bool:
        """Whether mention ``m`` of clause ``words`` is a remark's subject, not a second target:
        a type word, a part of a name or a name matched loosely, after a device of ``t`` named in
        full and exactly with no split word, verb, purpose lead or comma between them, nor a location
        word before a name ("shut off the big screen | in the hands sign", whisper's "in" for "and the
        neon sign", may be two; "the cat | in the window" is where), and no split word after it. A type
        word right after the name goes on with it ("is the stable door light", "turn off the snug tv
        lamp": a longer name the home lacks)."""
        if m.kind == "device" and m.score == 1.0 and not m.short:
            return False
        g = self.lang.grammar
        if any(w in g.split_words for w in words[m.end:]):
            return False  # "turn off the yard light | the dark lights and the pole barn lights": a list
        # ... nor said after a verb ("did samsung | lock the big door") or for whom ("put the geyser on
        # | for aachi", whisper's "geyser" for "heater": Aachi's heater may be meant)
        joints = self._joints | (g.location_words if m.kind == "device" else frozenset())
        typed = any(w in self.index.type_words for w in words[m.start:m.end])
        return any(f.score == 1.0 and not f.short and (f.end < m.start or f.end == m.start and not typed)
                   and not any(w in joints for w in words[f.end:m.start]) and not self._object_asked(words, f, m)
                   for f in t.devices)

    def _object_asked(self, words: list[str], f: Mention, m: Mention) -> bool:
        """Whether mention ``m`` is the object of the verb of a question that opens with an auxiliary
        (language.yaml ``question_auxiliaries``) and ``f`` as its subject: one word, the verb, stands
        between them but for determiners and ``name_modifiers`` ("did samsung | like the big door",
        whisper's "did someone lock ..."; "has the eufy picked anybody up | at the door" says where)."""
        g = self.lang.grammar
        between = [w for w in words[f.end:m.start] if w not in g.determiners and w not in g.name_modifiers]
        return words[0] in g.question_auxiliaries and len(between) == 1 and \
            all(w in g.determiners for w in words[1:f.start])

    def _kind_verb(self, words: list[str], targets: ClauseTargets, polar: set[str]) -> str | None:
        """The action lexicon ``kind_verbs`` gives the verb opening ``words`` for the one kind
        (``type/device_class``, else ``type``) of the devices it names ("set the burglar alarm":
        arm_away), where no other polar word is said (``polar``: those said outside names and
        values: "set the alarm off" is no arming); else None."""
        acts = self.lang.lexicon.kind_verbs.get(words[0]) if words else None
        if not acts or polar - {words[0]}:
            return None
        if words[0] in self.index.type_words and not (len(words) > 2 and words[1] in self.determiners
                                                       and any(m.start in (1, 2) for m in targets.devices)):
            # a type word said as the verb only before an article and a device's name ("light the diya"):
            # "light chandelier activate ..." (whisper's Hindi "light chali gayi": the power went), "... |
            # light that we're going to eat" are the noun
            return None
        devices = [self.cfg.device_by_id[x] for m in targets.devices for x in m.ids]
        kinds = {acts.get(f"{d.type}/{d.device_class}", acts.get(d.type)) for d in devices} | \
            {acts.get(t) for m in targets.types if m.type_word for t in m.type_word.types}
        return kinds.pop() if len(kinds) == 1 else None

    def _owner_of_name(self, words: list[str], unknown: str, t: ClauseTargets, devices: list[Device]) -> int | None:
        """Where words nobody knows (``unknown``, as said, no word of the home's names) start if they
        stand right before the name of one of ``devices`` that the clause acts on, a name no other
        device's name or alias ends in: they say whose or which it is ("jabi's night light", "the burg
        zapper"), misheard or not. None if they do not, or stand before a type word ("churis lamp":
        another lamp, one the home lacks) or hold a word of another name ("nell's den lamp")."""
        said = unknown.split()
        if any(w in self.home_words for w in said):
            return None  # "turn off nell's den lamp": a word of another room or device's name
        k = next((i for i in range(len(words) - len(said) + 1) if words[i:i + len(said)] == said), None)
        acted = {d.id for d in devices}
        m = next((m for m in t.devices if k is not None and m.start == k + len(said) and len(m.ids) == 1
                  and m.ids[0] in acted), None)
        if m is None:
            return None
        tail = words[m.start:m.end]
        longer = any(did != m.ids[0] and not short and len(n := name.split()) > len(tail) and n[-len(tail):] == tail
                     for name, did, short in self.index.dev_names)
        return None if longer else k

    def _said_of_other(self, words: list[str], unknown: str) -> bool:
        """Whether a word the tags read as a name the home lacks is something else the clause
        ``words`` says: the subject of a question, right after its auxiliary (and a determiner) and
        before its verb ("did our ciara | leave the immersion on"), an amount said before what it
        is of (language.yaml ``portion_words``, ``portion_link``: "a cup | of coffee"), someone
        said to be in a state (``subject_copulas`` and a word of ``is_before``: "tama | is scared"),
        the state said of "it" (``state_subjects``: "is it | baltic"), or one word alone at the end
        after an ``address_after`` word, the person spoken to ("lights off | arjun")."""
        g, said = self.lang.grammar, unknown.split()
        if any(words[k:k + len(said)] == said and words[k + len(said)] in g.subject_copulas
               and words[k + len(said) + 1] in g.is_before for k in range(len(words) - len(said) - 1)):
            return True  # "it's too dark in here | tama is scared": the subject (no "Tama's heater")
        if len(said) == 1 and len(words) > 2 and words[-1] == said[0] and words[-2] in g.address_after:
            return True  # "lights off | arjun": the person spoken to (no device called "arjun")
        if any(words[k:k + len(said)] == said and words[k - 2] in g.subject_copulas and words[k - 1] in g.state_subjects
               for k in range(2, len(words) - len(said) + 1)):
            return True  # "how cold is it outside | is it baltic": how it is (no device called "baltic")
        if len(said) == 1 and said[0] in g.portion_words and any(
                words[k:k + 2] == [said[0], g.portion_link] for k in range(len(words) - 1)):
            return True
        if not words or words[0] not in g.question_auxiliaries:
            return False
        starts = self.framing.device_starts(words)
        return any(words[k:k + len(said)] == said and all(w in self.determiners for w in words[1:k])
                   and words[k + len(said)] not in self.determiners and k + len(said) not in starts
                   for k in range(1, len(words) - len(said)))

    def _landmark(self, words: list[str], m: Mention, t: ClauseTargets) -> bool:
        """Whether the name ``m`` follows (after a determiner) a language.yaml ``landmark_words`` phrase
        said right after another device's or type's name in the clause ("the floor lamp | by the tv")."""
        k = m.start - 1 if m.start > 0 and words[m.start - 1] in self.determiners else m.start
        for p in self.lang.grammar.landmark_words:
            s = k - len(p.split())
            if s > 0 and words[s:k] == p.split() and any(o.end == s for o in (*t.devices, *t.types) if o is not m):
                return True
        return False

    @cached_property
    def _name_final_words(self) -> frozenset[str]:
        """Words that end every name of the home's devices and rooms that holds them (the index's
        normalised names: "storage heater", "grannys heater"): no name goes on after one of them."""
        names = [n.split() for n, _, short in self.index.dev_names if not short] + [n.split() for n, _ in self.index.area_names]
        return frozenset({ws[-1] for ws in names if ws} - {w for ws in names for w in ws[:-1]})

    def _lacked_name(self, words: list[str], k: int) -> str | None:
        """ "off the hall tv | the dikoda" (whisper's "the decoder"): the name a determiner at
        ``words[k]`` opens when the words after it, up to a split word, another determiner or the end,
        are words nobody knows, one of them no word of the language's dictionary (a name misheard,
        not a remark: "pause the big tv | the phone ringing", Jamaican English), another name of a
        list (one the home lacks, as "and the dikoda" is); None if there is none."""
        if k + 1 >= len(words) or words[k] not in self.determiners:
            return None
        g = self.lang.grammar
        run = list(takewhile(lambda w: w not in g.split_words and w not in self.determiners, words[k + 1:]))
        known = any(w in self.name_words or is_number(w) for w in run)  # name_words holds _said_words
        unspelt = any(w not in self.lang.spelt_words for w in run)
        return " ".join(run) if run and unspelt and not known else None

    def _named_option(self, words: list[str], t: ClauseTargets, reading: ClauseReading) -> ClauseResult | None:
        """The option of the one device the clause names in full, said by name, as a clause result;
        None if there is no such device or option (or the device lacks it), or the clause reads as
        a question ("is the tado on boost" sets nothing)."""
        if any(self._asks(i) for i, p in reading.ranked if p >= ALT_MIN):
            return None
        named = [self.cfg.device_by_id[m.ids[0]] for m in t.devices if len(m.ids) == 1 and not m.short and m.score == 1.0]
        if len(named) != 1:
            return None
        try:
            option = self.options.of_device(words, named[0], option_skip(t))
        except CommandRefused:
            return None
        return ClauseResult(None, [option], OPTION_CONFIDENCE, None, named, complete=True) if option else None

    def _place_word(self, words: list[str], t: ClauseTargets) -> tuple[set[str], str | None]:
        """ "the lights in the garage": an unmatched word after a location word is the one area whose
        name holds it ("Double garage"): (that area's id, the word); none or several: the room is
        unknown (CommandRefused; after a loose location word, or before an option no room holds,
        "in reverse", no room was meant); no such word: (empty set, None), unless a room the home
        lacks is said (:meth:`_lacked_room` raises, also for a word no room holds before a room noun:
        "in were room")."""
        g = self.lang.grammar
        inside = matched_positions(t)
        unknown = {w for u in t.unknown for w in u.split()}  # read as a name, even if a phrasing word ("roof")
        for i, w in enumerate(words):
            if i in inside or (w in self.known_words and w not in unknown) or is_number(w) or w in PLACEHOLDERS.values():
                continue
            j = i - 1
            while j >= 0 and words[j] in g.determiners:
                j -= 1
            if j < 0 or words[j] not in g.location_words | g.loose_location_words:
                continue
            holders = set(self._area_holders.get(w, ()))
            if len(holders) == 1:
                return holders, w
            if not holders and w in self._device_place_words and j < i - 1:
                continue  # "the light in the greenhouse": a place only devices are named for
            if not holders and (i + 1 < len(words) and words[i + 1] in self._room_nouns
                                or any(x in self._room_nouns and x not in self.lang.lexicon.here_phrases
                                       for x in words[i + 2:i + 4])):
                # "in were room", "in tia and tio's room": a room the home lacks (:meth:`_lacked_room`);
                # "here" further on is no room noun of it ("at hot and here", whisper's "it hot in here")
                continue
            if words[j] in g.location_words and (holders or j < i - 1 or w not in self.options.names):
                raise CommandRefused(self.lang.say("unknown_area", name=w))
        self._lacked_room(words, inside, {m.end: m.start for m in t.devices})
        return set(), None

    @cached_property
    def _room_nouns(self) -> frozenset[str]:
        """The nouns the speaker's own room is said with (lexicon.yaml here_phrases: "my room")."""
        return frozenset(p.split()[-1] for p in self.lang.lexicon.here_phrases if len(p.split()) > 1)

    def _lacked_room(self, words: list[str], inside: set[int], devices: dict[int, int]) -> None:
        """Raises UnknownPlace for a room said after a location word (or, right after a name, a word
        whisper writes for one: language.yaml ``heard_locations``) with up to three words before
        its room noun (:attr:`_room_nouns`) that are no name, no determiner and not the speaker's
        ("the ac in aha's room", "the lights on in we're room": whisper's "aiya's", "wor"), or that
        are a device's name right before the noun ("everything in play's room", whisper's "chloé's",
        where "the Play" is the console: whose room, not the console), and CommandRefused for "in a
        room": a room the home lacks is never the speaker's. ``inside``: indices of the clause's
        names; ``devices``: where each device name the clause says ends -> where it starts."""
        g = self.lang.grammar
        here = self.lang.lexicon.here_phrases
        # ... or after a name (and its way), a word whisper writes for one ("the ac an aha's room",
        # "the lights on an has room": heard_locations)
        places = g.location_words | set(g.heard_locations)
        stops = places | set(g.split_words)
        for i in range(2, len(words)):
            if words[i] not in self._room_nouns or i in inside:
                continue
            owner = set(range(devices.get(i, i), i))
            # the nearest name, place or split word within three words before the noun
            j = next((j for j in range(i - 1, max(-1, i - 5), -1) if (j in inside and j not in owner)
                      or words[j] in stops), None)
            if j is not None and words[j] in g.split_words and words[i] not in here:
                # ... and a split word there may be inside the room's name ("the lights off an amma and
                # a pass room", whisper's "in ama and apa's room"): a place word up to two words further
                j = next((k for k in range(j - 1, max(-1, j - 3), -1) if k in inside or words[k] in places), j)
            if j is None or j in inside or words[j] not in places:
                continue
            if words[j] not in g.location_words and not (j > 0 and (j - 1 in inside or words[j - 1] in g.run_on_enders)):
                continue
            # "in a room" is some room, not the speaker's
            said = [w for w in words[j + 1:i] if w not in g.determiners or w in g.indefinite_articles]
            if said and f"{said[-1]} {words[i]}" not in here:
                # a word there is a room whisper heard ("were room"); an article alone is none
                named = any(w not in g.indefinite_articles for w in said)
                raise (UnknownPlace if named else CommandRefused)(
                    self.lang.say("unknown_area", name=" ".join([*said, words[i]])))

    def _why_not(self, words: list[str], reading: ClauseReading, slots: Slots, said: set[int],
                 t: ClauseTargets, area: str | None, prev: list[Device]) -> str | None:
        """Why the least unlikely reading the words allow cannot be done ("The movie time can't be
        turned off."), or None. Nothing is done."""
        fit = next((i for i, _ in reading.ranked if i != NONE_INTENT and self._needs(i, slots)
                    and self._polar_fits(words, i, said)), None)
        if fit is None:
            return None
        try:
            devices = self.selector.select(fit, words, self._reread(words, t), area, prev, [(fit, 1.0)]).devices
        except CommandRefused as e:
            return e.reason
        return self._commands(fit, devices, slots, True)[1]

    def _asks(self, intent: str) -> bool:
        spec = self.lang.intents.get(intent)
        return bool(spec and spec.asks)

    def _polar_fits(self, words: list[str], intent: str, skip: set[int] = frozenset()) -> bool:
        """Whether every polar word said ("off", "stop", "unlock"; not at indices ``skip``: names
        and values) is one of ``intent``'s template words: "turn the movie scene off" is not an
        activation."""
        return self._polar(words, skip) <= self.lang.intent_words(intent)

    def _says_own_word(self, words: list[str], intent: str, skip: set[int]) -> bool:
        """Whether a word of ``intent``'s own templates is said outside ``skip`` (names, values),
        beyond the undirected verbs and the words any phrasing holds ("the", "in")."""
        return any(w in self.lang.intent_words(intent) and w not in self._plain_words
                   for i, w in enumerate(words) if i not in skip)

    def _direction_unheard(self, words: list[str], intent: str, polar: set[str], slots: Slots,
                           targets: ClauseTargets, said: set[int]) -> bool:
        """Whether the clause says no direction for ``intent`` (language.yaml ``undirected``), so the
        reading is a guess: no polar word beyond the undirected verbs (``polar``: those said outside
        names and values) and none written for one (:meth:`_heard_direction`), and either it opens
        with an undirected verb and reads as on/off, or as anything with no word of its own and no
        value ("switch after the kettle"; "turn the speaker in our room", its "off" lost to a pause),
        or it reads as on/off with no word of that side ("so I'll have the lights", whisper's "turn
        off the lights": a wish and a name say neither)."""
        und = self.lang.grammar.undirected
        skip = matched_positions(targets) | said
        if polar - und.verbs or self._heard_direction(words, intent, skip, targets) or self._portion_asked(words, intent):
            return False
        # a number or an amount is the size of an up or down step, never its way ("turned the
        # thermostat out a couple of degrees", whisper's "down")
        size = self.lang.family(intent) in STEP_FAMILIES
        values = (None if size else slots.number, slots.color, slots.kelvin, slots.mode,
                  None if size else slots.amount, slots.comparative)
        if words[0] in self._undirected_verbs and (intent in und.intents or not (
                self._says_own_word(words, intent, skip) or any(v is not None for v in values))):
            return True
        return intent in und.intents and not self._polar(words, skip) - und.verbs \
            and not self._says_direction(words, intent, skip)

    def _particle_way(self, words: list[str], skip: set[int]) -> dict[str, str]:
        """Each intent of the other sides (language.yaml ``undirected.sides``) -> its counterpart on
        the side of the one direction particle (``undirected.options``, in the sides' order) said
        right after the command verb that opens the clause, as that verb, right after a name or value
        (``skip``) or at the clause's end, with no negation: "cut on the box fan", "cut the fan on" turn it on,
        though "cut" alone turns off; an intent of ``undirected.either`` (a toggle) -> the first of
        that side ("flip on the lights" is no toggle). {} when no such particle is said."""
        und, g = self.lang.grammar.undirected, self.lang.grammar
        # ("knock off the dimplex": a verb no template opens with, its particle right after it)
        verb = words[0] in self.lang.starters if len(words) > 2 else False
        verb = verb or (len(words) > 2 and words[1] in und.options and words[2] in self.determiners
                        and words[0] not in self.index.type_words and not self.index.exact(words[:1]))
        # ... or a word the home's phrasing and names lack, before an article ("chop the telly on":
        # whisper's "chuck"; the model's guess at its way is no way said)
        verb = verb or (len(words) > 2 and words[0] not in self._said_words and words[1] in self.determiners)
        # ... or the way said as the verb ("off the drip line | the garden get enough water": never
        # the garden's watering)
        opening = words[0] in und.options and self.framing.way_as_verb(words, 0, self.framing.device_starts(words))
        if not (verb or opening) or set(words) & set(g.negations):
            return {}
        # right after the verb, right after a name ("cut the hunter fan on | it's stuffy") or last
        at = {1, len(words) - 1} | {k for k in range(2, len(words)) if k - 1 in skip} | ({0} if opening else set())
        said = {words[k] for k in at if k not in skip} & set(und.options)
        # ... or a word written for one right after the verb, before a name ("cut in the night light":
        # whisper's "in" for "on", undirected.heard)
        if verb and len(words) > 2 and words[1] in und.heard and 1 not in skip \
                and (words[2] in self.determiners or any(m.start == 2 for m in self.index.exact(words))):
            said.add(und.heard[words[1]])
        if len(said) != 1:
            return {}
        side = list(und.sides[und.options.index(said.pop())])
        return {i: side[k] for other in und.sides if list(other) != side
                for k, i in enumerate(other) if k < len(side)} | {i: side[0] for i in und.either}

    def _phrased_to_particle(self, words: list[str], intent: str, t: ClauseTargets) -> bool:
        """Whether ``words`` (one clause) open with a whole phrasing of ``intent``'s templates for the
        devices named that runs to an on or off said after the first word (language.yaml ``undirected``
        ``options``): each device's name, with its article, read as ``{target}`` (:meth:`Language.phrased`)."""
        said, k = [], 0
        for m in sorted(t.devices, key=lambda m: m.start):
            start = m.start - 1 if m.start > k and words[m.start - 1] in self.determiners else m.start
            said += [*words[k:start], "{target}"]
            k = m.end
        said += words[k:]
        options = self.lang.grammar.undirected.options
        end = next((n for n, w in enumerate(said) if n > 0 and w in options), None)
        if end is None or "{target}" not in said[:end]:
            return False
        types = frozenset(self.cfg.device_by_id[x].type for m in t.devices for x in m.ids)
        return self.lang.phrased(intent, types, tuple(said[:end + 1]))

    def _separable(self, words: list[str]) -> list[str]:
        """ "let the blinds down half way" -> "lower the blinds half way", "pull the barn door to" ->
        "close the barn door": a verb that opens the clause and its particle right after the device
        it names (language.yaml ``separable_verbs``), read as the one verb they make; a particle that
        leads a level ("pull the blind to 50 percent") stays."""
        g = self.lang.grammar
        for m in self.index.exact(words):
            begins = m.start - 1 if m.start > 1 and words[m.start - 1] in self.determiners else m.start
            full = g.separable_verbs.get(f"{words[0]} {words[m.end]}") if begins == 1 and m.end < len(words) else None
            if full is None or m.kind != "device":
                continue
            nxt = words[m.end + 1:m.end + 2]
            if words[m.end] == g.level_lead and nxt and (is_number(nxt[0]) or nxt[0] in self.lang.value_words):
                continue
            return [*full.split(), *words[1:m.end], *words[m.end + 1:]]
        return words

    def _plugged(self, words: list[str]) -> list[str]:
        """ "plug in the truck" -> "turn on the truck plug": a verb of language.yaml ``plug_verbs`` that
        opens the utterance, before a thing whose plug (``plug_nouns``) the home names ("Truck plug"),
        read as the command on that plug by its name; ``words`` if the home names no such plug."""
        g = self.lang.grammar
        for phrase, verb in g.plug_verbs.items():
            p = phrase.split()
            if words[:len(p)] != p:
                continue
            rest = words[len(p):]
            k = 1 if rest and rest[0] in self.determiners else 0
            for n in range(min(len(rest) - k, 3), 0, -1):  # the longest thing first
                noun = next((w for w in g.plug_nouns if " ".join([*rest[k:k + n], w]) in self.index.exact_dev), None)
                if noun:
                    return [*verb.split(), *rest[:k + n], noun, *rest[k + n:]]
        return words

    def _heard_verb(self, words: list[str]) -> list[str]:
        """ "check the lounge fan on" -> "turn the lounge fan on": ``undirected.heard_verbs`` (a
        recogniser's word for a verb with no direction of its own, whisper's for "chuck") where it
        opens the clause before what is done to, one way (``options``) follows and no statement
        verb does ("check the fan is on" asks)."""
        u, g = self.lang.grammar.undirected, self.lang.grammar
        verb = u.heard_verbs.get(words[0]) if words else None
        # (never the way right after it: "check on the kettle" is English for a look at it)
        if verb is None or not self.framing.opens_on_target(words, 0) or set(words) & set(g.statement_verbs) \
                or sum(w in u.options for w in words[1:]) != 1:
            return words
        return [verb, *words[1:]]

    def _opening_way(self, words: list[str]) -> list[str]:
        """ "out the tube light" -> "off the tube light": ``undirected.opening`` (or
        ``heard_opening``: whisper's "and the meza light") said for its direction where it opens the
        clause, before a determiner, a whole-home quantifier ("out everything in de boys room") or a name."""
        u = self.lang.grammar.undirected
        way = (u.opening.get(words[0]) or u.heard_opening.get(words[0])) if len(words) > 1 else None
        if not way:
            return words
        if self.framing.opens_on_target(words, 0):
            return [way, *words[1:]]
        if words[1] in u.opening_articles and any(m.start == 2 for m in self.index.exact(words)):
            return [way, u.opening_articles[words[1]], *words[2:]]
        return words

    def _verbless(self, words: list[str]) -> list[str]:
        """ "everything in mano's room off" -> "turn off everything in mano's room": a clause
        opening with ``undirected.verbless_subjects`` and saying one direction (``options``) and no
        statement verb, said with ``verbless_verb`` (the intent model reads it as a question)."""
        und, g = self.lang.grammar.undirected, self.lang.grammar
        if not words or words[0] not in und.verbless_subjects or not und.verbless_verb or set(words) & set(g.statement_verbs):
            return words
        at = [k for k, w in enumerate(words) if w in und.options]
        if len(at) != 1:
            return words
        return [und.verbless_verb, words[at[0]], *words[:at[0]], *words[at[0] + 1:]]

    def _without_between(self, words: list[str]) -> list[str]:
        """ "turn back on the freezer" -> "turn on the freezer": an ``undirected.between`` word
        after an undirected verb and before its direction says no more than the direction (the
        intent model reads "turn back" as the previous track)."""
        und = self.lang.grammar.undirected
        k = 1
        while k < len(words) - 1 and words[k] in und.between:
            k += 1
        if k > 1 and words[0] in self._undirected_verbs and words[k] in und.options:
            return [words[0], *words[k:]]
        return words

    def _says_direction(self, words: list[str], intent: str, skip: set[int]) -> bool:
        """Whether a word said outside ``skip`` (names, values) tells ``intent`` (one of
        language.yaml ``undirected.sides``) from the other sides' (:attr:`_direction_words`)."""
        own = self._direction_words.get(intent, frozenset())
        return any(w in own for i, w in enumerate(words) if i not in skip)

    def _portion_asked(self, words: list[str], intent: str) -> bool:
        """Whether a portion (language.yaml ``portion_words`` and ``portion_link``) is asked of
        what an implied.yaml entry of ``intent`` asks with its words: "make me a cup of coffee" in a
        home whose "Coffee pot" makes "coffee" a name's word, not a direction's."""
        g = self.lang.grammar
        things = self._implied_words.get(intent, frozenset())
        return any(words[i] in g.portion_words and words[i + 1] == g.portion_link and words[i + 2] in things
                   for i in range(len(words) - 2))

    @cached_property
    def _implied_words(self) -> dict[str, frozenset[str]]:
        """Each intent -> the words of the implied.yaml phrases that ask for it."""
        out: dict[str, set[str]] = {}
        for e in self.lang.implied:
            out.setdefault(e.intent, set()).update(w for p in e.said for w in p.split())
        return {i: frozenset(ws) for i, ws in out.items()}

    @cached_property
    def _phrase_particles(self) -> frozenset[tuple[str, str]]:
        """Pairs of words of the implied.yaml phrases whose second is a place adverb (language.yaml
        ``place_adverbs``): ("steamed", "up") is a particle of what is said, no place."""
        adverbs = set(self.lang.grammar.place_adverbs)
        return frozenset(pair for e in self.lang.implied for p in e.said
                         for pair in zip(p.split(), p.split()[1:]) if pair[1] in adverbs)

    def _level_said(self, devices: list[Device], slots: Slots, explicit: bool,
                    steps: list[Command]) -> tuple[str, list[Command]] | None:
        """ "knock the heating down (to) eighteen" (whisper's "down two eighteen"), "turn the air up
        seventy two": a step, said with no "by", larger than any the catalog takes (devices/*.yaml:
        10 °C) is the setting said without its "to" -> the set intent and its commands, where every
        device may be set so (its range); None where the number may be a step ("down five")."""
        if not all(isinstance(c.value, (int, float)) and (top := self.actions.largest_step(
                self.cfg.device_by_id[c.device], c.action, c.unit)) is not None and c.value > top for c in steps):
            return None
        for intent, spec in self.lang.intents.items():
            if spec.family == "set" and (commands := self._commands(intent, devices, slots, explicit)[0]):
                return intent, commands
        return None

    def _heard_direction(self, words: list[str], intent: str, skip: set[int], targets: ClauseTargets) -> bool:
        """Whether a word written for a direction word of ``intent`` (language.yaml
        ``undirected.heard``: "in" for "on") is said outside ``skip`` right before a device's name
        or at the clause's end ("switch in the piano lamp", "the carriage lamps of"), but an amount's
        link (language.yaml ``portion_words``, ``portion_link``)."""
        g = self.lang.grammar
        heard = g.undirected.heard
        names = {m.start for m in targets.devices}
        for i, w in enumerate(words):
            if i in skip or heard.get(w) not in self.lang.intent_words(intent):
                continue
            if i and words[i - 1] in g.portion_words and w == g.portion_link:
                continue  # "a cup | of coffee": an amount's "of", never "off"
            j = i + 1
            while j < len(words) and j not in names and words[j] in self.determiners:
                j += 1
            if j == len(words) or j in names:
                return True
        return False

    @cached_property
    def _device_place_words(self) -> frozenset[str]:
        """Words of two or more devices' names, no room's and no type word, said after a location
        word and a determiner: a place the home has no room for but names devices for ("Greenhouse heater",
        "Greenhouse light": "the light in the greenhouse"), which the names themselves say."""
        return frozenset(w for w, ids in self.index.word_devices.items() if len(ids) > 1 and w not in self._area_holders
                         and w not in self.index.type_words and w not in self.index.stop_words)

    @cached_property
    def _area_holders(self) -> dict[str, frozenset[str]]:
        """Each word of an area's name or alias -> the ids of the areas whose names hold it."""
        out: dict[str, set[str]] = {}
        for a in self.cfg.areas:
            for n in (a.name, *a.aliases):
                for w in normalize_name(n).split():
                    out.setdefault(w, set()).add(a.id)
        return {w: frozenset(ids) for w, ids in out.items()}

    @cached_property
    def _undirected_verbs(self) -> frozenset[str]:
        """language.yaml ``undirected.verbs`` and their other forms (``verb_endings``): whisper
        writes "turned" for "turn"."""
        g = self.lang.grammar
        return frozenset(v + e for v in g.undirected.verbs for e in ("", *g.verb_endings))

    @cached_property
    def _direction_words(self) -> dict[str, frozenset[str]]:
        """For each intent of language.yaml ``undirected.sides``, the words of its side's templates
        and of the implied.yaml phrases that ask for one of them ("kill", "illuminate", "brew",
        "water") that the other sides' lack, beyond the words of a wish ("can I have"), those any
        phrasing holds and those of :data:`COMMON_WORD_INTENTS` or more intents' templates ("here",
        "some", "up")."""
        g, lang = self.lang.grammar, self.lang
        sides = [set().union(*(lang.intent_words(i) for i in side)) for side in g.undirected.sides]
        wanting = set(g.wanting_verbs)
        for e in self.lang.implied:
            for side, ws in zip(g.undirected.sides, sides):
                if e.intent in side:
                    # a need's words ask only with the need: "dusty cleaned the sitting room" is no
                    # start for "the floors need cleaned"
                    ws |= {w for phrase in e.said if not set(phrase.split()) & wanting
                           for w in phrase.split() if not w.startswith("{")}
        plain = self._plain_words | {w for wish in g.wishes for w in wish.split()}
        plain |= {w for ws in sides for w in ws
                  if sum(w in lang.intent_words(i) for i in lang.intents) >= COMMON_WORD_INTENTS}
        return {i: frozenset(ws - plain - set().union(*(o for o in sides if o is not ws)))
                for side, ws in zip(g.undirected.sides, sides) for i in side}

    @cached_property
    def _plain_words(self) -> frozenset[str]:
        """Words that say no action by themselves: the undirected verbs, lead and stop words and
        determiners."""
        g = self.lang.grammar
        return frozenset(set(g.undirected.verbs) | set(g.lead_words) | set(g.stop_words) | self.determiners)

    def _without_place_adverbs(self, words: list[str]) -> list[str]:
        """``words`` without the place adverbs (language.yaml ``place_adverbs``) said right before a
        location word and a room or "here" ("turn the tv on down in the basement": the basement is
        down, the tv goes on), when the clause says another direction outside names (not an
        undirected verb: "turn the heating down in the den" is its way), a comparative ("make it
        cooler up here") or the dark (lexicon.yaml ``darkness_words``), or opens with a
        ``statement_starts`` ("it's so muggy down in the basement")."""
        g = self.lang.grammar
        exact = self.index.exact(words)
        rooms = {m.start for m in exact if m.kind == "area"}
        here = {p.split()[-1] for p in g.here_words}
        lead = g.location_words | g.loose_location_words

        def before_place(i: int) -> bool:
            j = i + 1
            if j < len(words) and words[j] in here:
                return True  # "down here"
            if j >= len(words) or words[j] not in lead:
                return False
            j += 1
            while j < len(words) and words[j] in self.determiners and j not in rooms:
                j += 1
            # "up on the roof": a word of one room's name only ("Roof terrace") is that room too
            return j in rooms or (j < len(words) and (words[j] in here or len(self._area_holders.get(words[j], ())) == 1))

        # ... but "out here" says which rooms (lexicon.yaml outside_here_phrases): kept whole
        outside = {i for p in self.lang.lexicon.outside_here_phrases for i in range(len(words))
                   if words[i:i + len(p.split())] == p.split()}
        # "i can't see a thing down the cellar": right before "the" and a room, always where (place_lead),
        # but right after a verb its particle ("light up the balcony")
        bare = [i for i, w in enumerate(words) if w in g.place_adverbs and g.place_lead and i not in outside
                and 0 < i < len(words) - 2 and words[i - 1] not in self.lang.verbs
                and words[i + 1] in self.determiners and i + 2 in rooms]
        if bare:
            words = [g.place_lead if i in bare else w for i, w in enumerate(words)]
            exact = self.index.exact(words)
        # ("it's all steamed up in here": the "up" of a phrase of a need stays with it)
        places = [i for i, w in enumerate(words) if w in g.place_adverbs and before_place(i) and i not in outside
                  and (words[i - 1] if i else "", w) not in self._phrase_particles]
        if not places:
            return words
        # the location word after each is no direction either ("up on the deck" says no "on")
        skip = {k for m in exact for k in range(m.start, m.end)} | {k for i in places for k in (i, i + 1)}
        # ... or a comparative says it ("make it cooler up here"), or the dark asks for light ("can't see
        # a thing down at the dock")
        comparative = any(w in g.comparatives for i, w in enumerate(words) if i not in skip)
        if self.framing.statement_opening(words) is None and not self._polar(words, skip) - g.undirected.verbs \
                and not comparative and not says(words, self.lang.lexicon.darkness_words):
            return words
        return [w for i, w in enumerate(words) if i not in places]

    def _negated_otherwise(self, intent: str, words: list[str], types: frozenset[str]) -> bool:
        """Whether ``intent``, a switching on or off (language.yaml ``undirected`` ``sides``), is read
        from a clause whose negation (``negations``) comes before a word no phrasing of it has after
        one: "the light don't go again on the tiger" (whisper's Pidgin "don go": the mains went) turns
        nothing off, where "we don't need the heater on" does."""
        und, g = self.lang.grammar.undirected, self.lang.grammar
        if not any(intent in side for side in und.sides):
            return False
        return any(w in g.negations and words[k + 1] not in self.lang.said_after(intent, types, w)
                   and not any(x in self.lang.verbs for x in words[k + 1:])  # "i don't suppose you could turn ..."
                   for k, w in enumerate(words[:-1]))

    def _opposes(self, intent: str, polar: set[str], types: frozenset[str]) -> bool:
        """Whether ``intent`` would switch a device of ``types`` the way opposite to the one way said
        (language.yaml ``undirected``: ``sides`` and their ``options``), where none of its phrasings
        for those types says that way ("set the robot off" starts a vacuum)."""
        und = self.lang.grammar.undirected
        for side, way in enumerate(und.options):
            other = und.options[1 - side]
            if way not in polar or other in polar:
                continue
            does = {a.action for t in types for a in self.lang.intents[intent].alternatives(t)}
            if does & set(und.sides[1 - side]) and way not in self.lang.intent_words(intent, types):
                return True
        return False

    def _polar(self, words: list[str], skip: set[int] = frozenset()) -> set[str]:
        """The polar words said outside ``skip``, without a particle verb whose particle follows
        ("let the blind down" says only "down")."""
        g = self.lang.grammar
        said = [(i, w) for i, w in enumerate(words) if i not in skip]
        polar = {w for i, w in said if w in g.polar_words
                 and not (w in g.particle_verbs and any(j > i and x in g.particles for j, x in said))}
        opening = g.undirected.opening
        if any(w in opening for _, w in said):
            # "day clean already | out the security lights": a word that opens a clause for a way
            # says it before a device named, wherever the clause was cut
            starts = self.framing.device_starts(words)
            polar |= {opening[w] for i, w in said if w in opening
                      and (i + 1 in starts or i + 2 in starts and words[i + 1] in self.determiners)}
        return polar

    def _implied(self, words: list[str], reading: ClauseReading, t: ClauseTargets,
                 area: str | None, chosen: frozenset[str] = frozenset()) -> ClauseResult | None:
        """ "brew me an espresso": a clause naming no device (or only the one the need implies: "get
        the robot to do the kitchen"), holding a phrase of implied.yaml -> the commands on the device
        it implies; None when no phrase is said or no device fits."""
        cfg, lang, g = self.cfg, self.lang, self.lang.grammar
        texts = self._phrase_texts(words, t)
        named_areas = {a for m in t.areas for a in m.ids}
        things = lang.with_singulars(set(words))
        for e in lang.implied:
            asked = [p for p in e.said if self._says_phrase(texts, p)]
            said = asked or [p for p in (e.states_said(things),) if p]
            if not said or all(p in self._custom_values for p in said):
                continue  # "a dark roast coffee" in a home whose order sentences list "coffee": theirs
            if words[0] in lang.verbs and any(m.type_word is not None and not m.type_word.types & set(e.types)
                                              and not any(m.text in p for p in said) for m in t.types):
                continue  # "put the media on | brew": a command verb's type word says what is meant
            cands = [d for d in cfg.devices if d.type in e.types and d.id not in self.sensitive
                     and not name_words(d) & set(e.not_names)]
            # "get the robot to do the kitchen": the device named, when it is one the need implies
            named = [d for d in cands if any(d.id in m.ids for m in t.devices)]
            cands = named if named and len(named) == len({x for m in t.devices for x in m.ids}) else cands
            by_name = [d for d in cands if name_words(d) & set(e.names)]
            sole = [d for d in cands if d.type in e.sole]
            where: set[int] = set()  # "on" that says where ("up on the roof"), no polar word
            if e.room_only:
                # "it's roasting in the den": whatever the den has of these, named or not; the
                # speaker's room when no other place is said ("up on the roof" may be one unread)
                try:
                    place, place_word = self._place_word(words, t)
                except CommandRefused:
                    continue  # "in the garage" in a home without one
                meant = named_areas or place
                starts = {m.start for m in t.areas} | {i for i, w in enumerate(words) if w == place_word}
                where = {i for i, w in enumerate(words) if w in lang.grammar.loose_location_words and any(
                    j in starts for j in range(i + 1, len(words)) if all(x in self.determiners for x in words[i + 1:j]))}
                placed = bool(set(words) & (lang.grammar.location_words | lang.grammar.loose_location_words))
                meant = meant or self.selector.here_rooms(words, area) or ({area} if not placed else set())
                pool = [d for d in (by_name if e.names else cands) if d.area is not None and d.area in meant]
            elif e.whole_home:
                # ... never for a room named ("it's freezing in the attic": the hall's thermostat
                # may not reach it), as the selector's stand-in is only for "in here"
                pool = [] if named_areas else self.selector.whole_home(cands)
            elif e.names:
                # those of the entry's own kind whose names hold its words, or a word of the phrase
                # said: "no hot water" is the geyser or the "Hot water tank", never the kennel heater
                phrased = {w for p in said for w in p.split()}
                typed = [d for d in by_name if d.type in e.sole] or [d for d in sole if name_words(d) & phrased]
                pool = typed or by_name or (sole if len(sole) == 1 else [])
            else:
                pool = cands if len(cands) == 1 else []
            rooms = named_areas or self.selector.here_rooms(words, area)
            if e.in_room and rooms:
                pool = [d for d in pool if d.area is None or d.area in rooms]
            if e.own_room:
                pool = [d for d in pool if d.area is not None and d.area in (named_areas or {area})]
            there = [d for d in pool if d.area in named_areas]
            pool = there or pool
            if len(pool) > 1:
                mine = [d for d in pool if area is not None and d.area == area]
                pool = mine if len(mine) == 1 else pool
            # "it's all steamed up in here": the phrase's own words say no way
            phrased = {x for p in asked for x in p.split()}
            where |= {i for i, w in enumerate(words) if w in phrased}
            if (e.room_only or e.whole_home) and not self._polar_fits(words, e.intent, where):
                continue  # "it's roasting with the heating on": no guess at what the complaint asks
            if not pool:
                continue
            try:
                pool = self.selector.one_of(pool, chosen) if len(pool) > 1 else pool
            except Ambiguous as err:
                return ClauseResult(e.intent, refusal=err.reason, choice=err.candidates)
            d = pool[0]
            # "turn off the coffee": what was said wins over what the phrase implies
            intent = reading.intent if reading.intent in lang.intents and not self._polar_fits(words, e.intent, where) \
                else e.intent
            if e.undo and any(words[:len(s.split())] == s.split() for s in lang.grammar.implied_stops):
                intent = e.undo  # "stop watering the lawn"
            if not asked:
                # ... but a state complained of ("the whole kitchen is smelling of shutki", whisper's
                # "off the whole kitchen ..." for "uff") asks what mends it, never the opposite
                intent = e.intent
            if e.in_area and rooms and self.actions.catalog.get(d.type, e.in_area) and intent == e.intent:
                # "do the hoovering in the study", "clean the floor in here": clean that room (by
                # its id, as config and the API name areas)
                return ClauseResult(intent, [Command(d.id, e.in_area, sorted(rooms)[0])], IMPLIED_CONFIDENCE, None, [d])
            slots = self._slots(words, ["O"] * len(words), t)
            if intent == e.intent and lang.family(intent) in STEP_FAMILIES and self._ways_to_level(words):
                # "it's freezing in here, turn it up to twenty": a level said after the way is the
                # level to leave it at, never a step of twenty
                intent = next((i for i, _ in reading.ranked if lang.family(i) == "set"
                               and all(self._action_of(i, x, slots) for x in pool)), intent)
            try:
                cmds = [self.actions.command(intent, x, slots) for x in pool]
            except CommandRefused as err:
                if intent == e.intent or intent == e.undo:
                    return ClauseResult(intent, refusal=err.reason)
                # "ah ma's plant set the back all dry" (whisper's "plants at") read as setting a
                # mode: what the device cannot do was no reading of the need
                try:
                    intent, cmds = e.intent, [self.actions.command(e.intent, x, slots) for x in pool]
                except CommandRefused:
                    return ClauseResult(intent, refusal=err.reason)
            if e.if_off and intent == e.intent:
                cmds = [replace(c, if_off=self._action_of(e.if_off, d, slots)) for c, d in zip(cmds, pool)]
            if e.if_on and intent == e.intent:
                cmds = [replace(c, if_on=self._action_of(e.if_on, d, slots)) for c, d in zip(cmds, pool)]
            # the whole home's heating stands in for the room, as the selector's stand-in does
            return ClauseResult(intent, cmds, IMPLIED_CONFIDENCE, None, pool, stand_in=e.whole_home)
        return None

    def _action_of(self, intent: str, device: Device, slots: Slots) -> str | None:
        """The catalog action ``intent`` asks of ``device``, or None if it cannot."""
        try:
            return self.actions.command(intent, device, slots).action
        except CommandRefused:
            return None

    def _named_doing(self, words: list[str], t: ClauseTargets) -> bool:
        """Every device the clause names is of a type an implied.yaml entry acts on in a room, and the
        clause says that entry's phrase with the room named, one its intent's templates do not say:
        "get the robot to do the kitchen" ("do the {area}", the vacuum), which names no direction of
        its own ("dusty clean the sitting room" is the template's)."""
        if not t.areas or not t.devices:
            return False
        types = {self.cfg.device_by_id[x].type for m in t.devices for x in m.ids}
        texts = self._phrase_texts(words, t)
        return any(e.in_area and types <= set(e.types) and any(
            AREA_SLOT in p and self._says_phrase(texts, p)
            and not set(p.split()) - {AREA_SLOT} <= self.lang.intent_words(e.intent) for p in e.said)
            for e in self.lang.implied)

    def _named_in_phrase(self, words: list[str], t: ClauseTargets) -> bool:
        """Every device name the clause says is inside one implied.yaml phrase it says: "no hot water"
        where the water heater is named "Hot water" (or the hot plate and the water pump are "the hot"
        and "the water") tells of the need, as in a home whose heater is only "the geyser"; the
        entry then says which device (never "turn off the hot water", which is no such phrase)."""
        said = set(words)
        for ps in self._implied_phrases:
            if ps[0] in said:
                spans = [(i, i + len(ps)) for i in range(len(words) - len(ps) + 1) if words[i:i + len(ps)] == list(ps)]
                # ... and says more than the names ("send the mop back to its dock" names the robot)
                if spans and all(any(a <= m.start and m.end <= b and m.end - m.start < b - a for a, b in spans)
                                 for m in t.devices):
                    return True
        return False

    def _read_plain(self, masked: list[str]) -> ClauseReading:
        """The model's reading of ``masked``, "out" of lexicon.yaml outside_here_phrases unread ("it's
        pitch black out here" reads as "... here" does; the rooms are the parser's); when it reads no
        command, the reading without language.yaml ``aspect_words`` too, if that reads a question ("is
        the fridge still working": the model knows "is the fridge working"; never a command: "here is
        the immersion still on" asks). Words left unread are tagged O."""
        outside = {i + k for p in self.lang.lexicon.outside_here_phrases for i in range(len(masked))
                   if masked[i:i + len(p.split())] == p.split() for k in range(len(p.split()) - 1)}
        kept = [i for i in range(len(masked)) if i not in outside]
        reading = self._read_kept(masked, kept)
        aspect = set(self.lang.grammar.aspect_words)
        plain = [i for i in kept if masked[i] not in aspect]
        if reading.intent != NONE_INTENT or len(plain) == len(kept) or not plain:
            return reading
        again = self._read_kept(masked, plain)
        return again if self._asks(again.intent) else reading

    def _read_kept(self, masked: list[str], kept: list[int]) -> ClauseReading:
        """The model's reading of the words of ``masked`` at ``kept``, tagged O elsewhere."""
        if len(kept) == len(masked):
            return self.model.read(masked)
        reading = self.model.read([masked[i] for i in kept])
        tags = ["O"] * len(masked)
        for i, t in zip(kept, reading.tags):
            tags[i] = t
        return replace(reading, tags=tuple(tags))

    def _ways_to_level(self, words: list[str]) -> set[int]:
        """Where a way is said right before a level (language.yaml ``step_leads``, then ``level_lead``
        and a number: "bring the shutter down to 50 percent", "turn it up to twenty"): no step of its own."""
        g = self.lang.grammar
        return {i for i, w in enumerate(words[:-2]) if g.step_leads.get(w) and words[i + 1] == g.level_lead
                and is_number(words[i + 2])}

    def _named_after_statement(self, words: list[str]) -> int | None:
        """Where a clause that opens as a statement (language.yaml ``statement_starts``), with no
        command verb, is split before the devices it names, all after that split word: they are
        another statement's subjects ("it's pitch dark in here | and bose scared", whisper's "beau's"),
        and the first says the need; None where it does not."""
        g = self.lang.grammar
        split = next((i for i, w in enumerate(words) if w in g.split_words), None)
        if self.framing.statement_opening(words) is None or split is None \
                or any(w in self.lang.verbs and w not in g.statement_verbs for w in words):
            return None
        named = [m for m in self.index.exact(words) if m.kind == "device"]
        return split if named and all(m.start > split for m in named) else None

    def _named_in_states(self, words: list[str], t: ClauseTargets) -> bool:
        """Every device the clause names is a word of what an implied.yaml entry's ``about`` and
        ``states`` say, or a name guessed from a word nobody knows: "the rashers have the kitchen full
        of smoke" names no "Smoke detector" and no washer (a guess at "rashers")."""
        things = self.lang.with_singulars(set(words))
        for e in self.lang.implied:
            if e.states_said(things) and all(m.score < 1.0 or set(m.text.split()) <= {*e.about, *e.states}
                                           for m in t.devices):
                return True
        return False

    @cached_property
    def _implied_phrases(self) -> tuple[tuple[str, ...], ...]:
        """The words of every implied.yaml phrase that names no area, each once."""
        return tuple(dict.fromkeys(tuple(p.split()) for e in self.lang.implied for p in e.said if AREA_SLOT not in p))

    def _phrase_texts(self, words: list[str], t: ClauseTargets) -> tuple[frozenset[str], frozenset[str]]:
        """The clause's runs of words, spaced, as said and with each named area as ``{area}`` (to
        find an implied.yaml phrase in either: "water the orchard" says "water the {area}"), and the
        same without articles and words of degree (:meth:`_says_phrase`)."""
        placed = list(words)
        for m in sorted(t.areas, key=lambda m: m.start, reverse=True):
            # an alias said with its article ("the yard") keeps the article before the slot
            start = m.start + 1 if m.end - m.start > 1 and words[m.start] in self.determiners else m.start
            placed[start:m.end] = [AREA_SLOT]
        return self._runs(words) | self._runs(placed), self._runs(self._bare(words)) | self._runs(self._bare(placed))

    def _runs(self, words: list[str]) -> frozenset[str]:
        """Every run of ``words`` as long as an implied.yaml phrase may be, spaced (" a b ")."""
        longest = self._longest_phrase
        return frozenset(f" {' '.join(words[i:j])} " for i in range(len(words))
                         for j in range(i + 1, min(len(words), i + longest) + 1))

    def _bare(self, words: list[str]) -> list[str]:
        """``words`` without articles and words of degree (language.yaml ``degree_words``)."""
        return [w for w in words if w not in self.determiners and w not in self._degree_words]

    @cached_property
    def _phrase_forms(self) -> dict[str, tuple[str, str]]:
        """Each implied.yaml phrase spaced as written and bare (:meth:`_bare`), worked out once: a
        clause is tried against thousands of them."""
        return {p: (f" {p} ", f" {' '.join(self._bare(p.split()))} ") for e in self.lang.implied for p in e.said}

    @cached_property
    def _longest_phrase(self) -> int:
        """The most words an implied.yaml phrase has."""
        return max((len(p.split()) for p in self._phrase_forms), default=1)

    def _says_phrase(self, texts: tuple[frozenset[str], frozenset[str]], phrase: str) -> bool:
        """``phrase`` is in the clause (:meth:`_phrase_texts`) as written or, both without their
        articles, as whisper often hears it: "dusty clean sitting room" says "clean the {area}"."""
        spaced, bare = self._phrase_forms[phrase]
        return spaced in texts[0] or bare in texts[1]

    def _room_to_do(self, words: list[str], intent: str, d: Device, t: ClauseTargets) -> tuple[str, str] | None:
        """``(action, area id)`` when the clause names one room and says a phrase of an implied.yaml
        entry with an ``in_area`` action for ``intent`` that ``d`` can do ("hoover the kitchen",
        "clean the {area}"), else None."""
        rooms = {a for m in t.areas for a in m.ids}
        if len(rooms) != 1:
            return None
        texts = self._phrase_texts(words, t)
        for e in self.lang.implied:
            if e.in_area and e.intent == intent and d.type in e.types and self.actions.catalog.get(d.type, e.in_area) \
                    and any(self._says_phrase(texts, p) for p in e.said):
                return e.in_area, next(iter(rooms))
        return None

    def _group_question(self, words: list[str]) -> GroupQuestion | None:
        """ "which lights are on", "are any doors unlocked": a question start and a state word
        (language.yaml group_questions) and no quantity asked (query_types), else None."""
        gq = self.lang.grammar.group_questions
        text = " ".join(words)
        start = next((s for s in sorted(gq.starts, key=len, reverse=True) if text == s or text.startswith(s + " ")), None)
        if start is None:
            return None
        state = next((w for k, w in enumerate(words) if k >= len(start.split()) and w in gq.states
                      and words[k - 1] not in gq.not_after), None)
        if state is None or self.selector.asks_a_quantity(words):
            return None  # "what's the temp on the roof" asks a quantity, not who is on
        return GroupQuestion(state, tuple(gq.states[state]), start in gq.counting)

    def _asked_state(self, words: list[str], skip: set[int]) -> str | None:
        """The state word a question asks that only some types have (language.yaml
        group_questions ``state_types``: "locked", "armed"), said outside ``skip`` (names and
        values), or None."""
        kinds = self.lang.grammar.group_questions.state_types
        return next((w for i, w in enumerate(words) if i not in skip and w in kinds), None)

    def _in_state(self, state: str, devices: list[Device]) -> list[Device]:
        """Of ``devices``, those that can be in ``state`` (``state_types``), or that a question
        about them answers with their nearest state (``state_near``: a garage door's open or closed)."""
        gq = self.lang.grammar.group_questions
        kinds = {*gq.state_types[state], *gq.state_near.get(state, ())}
        return [d for d in devices if d.type in kinds]

    def _amount_phrase(self, words: list[str], i: int) -> str | None:
        """The longest amount phrase (language.yaml ``amounts``) opening ``words[i:]`` as an amount of
        the action: not after a word of ``amount_not_after`` ("for a bit" is a time), nor before the
        ``portion_link`` ("let a bit | of light in": an amount of what follows). None if none does."""
        g = self.lang.grammar
        if i > 0 and words[i - 1] in g.amount_not_after:
            return None
        said = [p for p in g.amounts if words[i:i + len(p.split())] == p.split()]
        said = [p for p in said if words[i + len(p.split()):i + len(p.split()) + 1] != [g.portion_link]]
        return max(said, key=len) if said else None

    def _amount_at(self, words: list[str], i: int) -> bool:
        """Whether an amount phrase opens ``words[i:]`` as an amount (:meth:`_amount_phrase`)."""
        return self._amount_phrase(words, i) is not None

    def _amount_said(self, words: list[str]) -> bool:
        """Whether an amount phrase is said anywhere in ``words`` as an amount (:meth:`_amount_at`)."""
        return any(self._amount_at(words, i) for i in range(len(words)))

    def _amount(self, words: list[str]) -> tuple[list[str], float | None]:
        """Words without their first amount phrase said as an amount outside a name ("a bit", "a
        lot": :meth:`_amount_phrase`), and the amount in default steps."""
        names = {k for m in self.index.exact(words) for k in range(m.start, m.end)}
        for i in range(len(words)):
            if i not in names and (phrase := self._amount_phrase(words, i)):
                return words[:i] + words[i + len(phrase.split()):], self.lang.grammar.amounts[phrase]
        return words, None

    def _strip(self, words: list[str], phrases: list[str]) -> tuple[list[str], str | None]:
        """Words without the first (longest) of ``phrases`` said outside a name, and that phrase."""
        names = {k for m in self.index.exact(words) for k in range(m.start, m.end)}
        for phrase in sorted(phrases, key=len, reverse=True):
            k = phrase.split()
            for i in range(len(words) - len(k) + 1):
                if words[i:i + len(k)] == k and not names & set(range(i, i + len(k))):
                    return words[:i] + words[i + len(k):], phrase
        return words, None

    def _step_families(self, words: list[str], slots: Slots) -> set[str | None]:
        """The families a step may belong to: the direction its lead word says, else up or down."""
        leads = self.lang.grammar.step_leads
        said = {leads[w] for w in words if w in leads and leads[w]}
        return said or set(STEP_FAMILIES)

    def _slots(self, words: list[str], tags: list[str], t: ClauseTargets, amount: float | None = None) -> Slots:
        """Number, colour, colour temperature and mode said in the clause (outside device names)."""
        inside = set()
        for m in (*t.devices, *t.areas):
            inside.update(range(m.start, m.end))
        number = None
        step = False
        led = False  # the number follows a value lead (language.yaml value_leads)
        for i, w in enumerate(words):
            if i in inside or not is_number(w):
                continue
            x = float(w)
            after = i > 0 and words[i - 1] in self.lang.grammar.value_leads
            if number is None or (tags[i] == "B-VAL" and (after or not led)):
                number, led = x, after
                step = i > 0 and words[i - 1] in self.lang.grammar.step_leads
        free = [w if i not in inside else "" for i, w in enumerate(words)]
        text = " " + " ".join(free) + " "
        lx, units = self.lang.lexicon, self.lang.grammar.units
        color = next((c for c in lx.colors if f" {c} " in text), None)
        comparative = next((c for c in sorted(self.lang.grammar.comparatives, key=len, reverse=True) if f" {c} " in text), None)
        kelvin = None
        for phrase, k in sorted(lx.color_temps.items(), key=lambda x: -len(x[0])):
            if f" {phrase} " in text:
                if comparative and f" {phrase} " in f" {comparative} ":
                    break  # "warm up the lamp": the comparative's "warm" is no white tone
                kelvin = int(k)
                if comparative and f" {comparative} " in f" {phrase} ":
                    comparative = None  # "a warmer white" is a white tone
                if color and f" {color} " in f" {phrase} ":
                    color = None  # "daylight white" is a white tone, not the colour white
                break
        if units.kelvin in free and number is not None:
            kelvin = int(number)
        mode = None
        for s, e, label in bio_spans(tags):
            if label == "MODE":
                mode = lx.hvac_modes.get(" ".join(words[s:e]))
        if mode is None:
            for phrase, m in sorted(lx.hvac_modes.items(), key=lambda x: -len(x[0])):
                if f" {phrase} " in text:
                    mode = m
                    break
        if number is None:
            for w in free:
                if w in lx.fan_speeds:
                    number = float(lx.fan_speeds[w])
        quantity = next((lx.quantity_words[w] for w in free if w in lx.quantity_words), None)
        if any(f" {p} " in text for p in self.lang.grammar.not_quantity_phrases):
            quantity = None
        unit_said = any(w in (units.percent, units.degrees) for w in free)
        # "how humid is the greenhouse": the quantity asked, read outside the names ("the temperature
        # sensor" asks nothing)
        measure = next((r.action for r in self.lang.grammar.query_types.rules if r.action and r.matches(free)), None)
        scale = next((self.lang.grammar.temperature_scales[w] for w in free if w in self.lang.grammar.temperature_scales), None)
        unit_said = unit_said or scale is not None
        verb = next((w for w in free if w in self.lang.grammar.type_verbs), None)
        if any(w in self.lang.verbs and w != verb and w not in self.lang.grammar.polite_joints
               and w not in self.index.type_words for w in free):
            verb = None  # "make close fan oscillate" (whisper's "chloe's fan"): "close" is not the verb
        return Slots(number, color, kelvin, mode, quantity, unit_said, units.percent in free, step and number is not None,
                     amount, comparative, measure, scale, verb)

    def _commands(self, intent: str, devices: list[Device], slots: Slots, explicit: bool) -> tuple[list[Command], str | None]:
        """Commands of ``intent`` on each device; a named device that can't gives the reason, a device
        swept in by "the lights" is skipped."""
        out: list[Command] = []
        refusal = None
        for d in devices:
            try:
                out.append(self.actions.command(intent, d, slots, named=explicit))
            except CommandRefused as e:
                if explicit or len(devices) == 1:
                    refusal = refusal or e.reason
        return out, refusal

    def _needs(self, intent: str, slots: Slots) -> bool:
        """Whether the clause holds the value the intent needs (a number, colour, kelvin, mode)."""
        spec = self.lang.intents[intent]
        if spec.family == "set" or spec.needs:
            return slots.of(spec.needs) is not None
        return True

def _mask(words: list[str], exact: list[Mention], cfg: Config,
          scene_types: frozenset[str]) -> tuple[list[str], list[tuple[int, int, int]]]:
    """Replace names found exactly by placeholders (as in training, hub/nlu/generate.py): a device
    of ``scene_types`` by the scene placeholder. Returns the masked words and (masked index,
    start, end) of each replaced span."""
    out: list[str] = []
    spans = []
    i = 0
    for m in exact:
        out += words[i:m.start]
        if m.kind == "area":
            token = PLACEHOLDERS["AREA"]
        elif all(cfg.device_by_id[x].type in scene_types for x in m.ids):
            token = PLACEHOLDERS["SCENE"]
        else:
            token = PLACEHOLDERS["DEV"]
        spans.append((len(out), m.start, m.end))
        out.append(token)
        i = m.end
    out += words[i:]
    return out, spans


def _unmask_tags(tags: tuple[str, ...], spans: list[tuple[int, int, int]], n: int) -> list[str]:
    """Tags of the masked words -> tags of the original words (a placeholder's tag spans its name)."""
    out: list[str] = []
    j = 0
    for k, s, e in spans:
        out += list(tags[j:k])
        label = tags[k][2:] if tags[k] != "O" else "DEV"
        out += [f"B-{label}"] + [f"I-{label}"] * (e - s - 1)
        j = k + 1
    out += list(tags[j:])
    return out[:n] + ["O"] * (n - len(out))





