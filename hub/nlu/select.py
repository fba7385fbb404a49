"""Which devices a clause acts on: the names, type words and rooms it says, read against the home.

The parser (hub/nlu/parser.py) reads a clause's intent and its names (hub/nlu/resolve.py); the
:class:`Selector` turns those into the devices meant, or refuses: a name the home lacks, a room
without such a device, or several that fit where the words do not say which (the speaker is asked).
What it knows of words is the language's data (intents/<lang>/); it knows no English word itself.
"""

from __future__ import annotations

from functools import cached_property
from typing import NamedTuple

from hub.config import Config, Device, normalize_name
from hub.errors import CommandRefused
from hub.nlu.actions import Actions, Slots
from hub.nlu.generate import PLACEHOLDERS
from hub.nlu.language import Language, QueryRule
from hub.nlu.model import ALT_MIN
from hub.nlu.normalize import is_number
from hub.nlu.options import OptionReader
from hub.nlu.resolve import ClauseTargets, HomeIndex, Mention
from hub.types import GroupQuestion

STAND_IN_SCORE = 0.85
"""Match score of a device of no room standing in for the speaker's room, as of a home's sole device."""


class UnknownName(CommandRefused):
    """A clause refused for a name the home lacks ("turn his lamp"); ``name`` is its words as said."""

    def __init__(self, reason: str, name: str = ""):
        super().__init__(reason)
        self.name = name


def unknown_name(say, name: str) -> UnknownName:
    """The refusal of ``name`` (words as said), in ``say``'s language (hub.nlu.language.Language.say)."""
    return UnknownName(say("unknown_device", name=name), name)


class UnknownPlace(UnknownName):
    """A clause refused for a room the home lacks ("the lights in were room")."""


class Selection(NamedTuple):
    """The devices a clause acts on (Selector.select)."""

    devices: list[Device]
    explicit: bool
    """The clause named them (a name, type or area), rather than the room or an earlier clause."""
    score: float
    """How well the names matched (1.0 exact)."""
    by_unknown: bool = False
    """The words read as an unknown name turned out to be the devices' own ("run the dishwasher")."""
    stand_in: bool = False
    """A device of no room stands in for the speaker's, which has none of its kind ("it's freezing
    in here": the home's one thermostat)."""
    unknown: str | None = None
    """A name the home lacks, said beside the devices named ("tama's lamp and churis lamp")."""


class Ambiguous(CommandRefused):
    """Several devices fit and the words do not say which: the reason is the question to ask."""

    def __init__(self, reason: str, candidates: tuple[str, ...]):
        super().__init__(reason)
        self.candidates = candidates


class Selector:
    """The devices a clause means, for one home. Built once by the parser, which shares its index,
    actions and options, and the words the home's phrasing and names hold."""

    def __init__(self, cfg: Config, lang: Language, index: HomeIndex, actions: Actions, options: OptionReader,
                 sensitive: frozenset[str], known_words: frozenset[str], home_words: frozenset[str]):
        """``sensitive``: ids of the devices whose actions the catalog guards (a lock, a gate); a word of
        their names is never a guess at them. ``known_words``: the phrasing words of the language and
        the home's type words; ``home_words``: the words of the home's device and area names."""
        self.cfg, self.lang, self.index, self.actions, self.options = cfg, lang, index, actions, options
        self.sensitive = sensitive
        self.known_words = known_words
        self.home_words = home_words
        g = lang.grammar
        self.determiners = frozenset(g.determiners)
        self.pronouns = frozenset(g.pronouns)
        self.device_words: dict[str, set[str]] = {}
        """Each device id -> the words of its names in every form (synonyms swapped in)."""
        self._last_words: dict[str, set[str]] = {}
        """Each device id -> the last words of those forms."""
        for forms, ids in (*index.exact_dev.items(), *index.short_dev.items()):
            for i in ids:
                self.device_words.setdefault(i, set()).update(forms.split())
                self._last_words.setdefault(i, set()).add(forms.split()[-1])
        self._numbered = frozenset(w for forms in index.exact_dev for w, nxt in zip(forms.split(), forms.split()[1:])
                                   if is_number(nxt))
        """Words a device name has a number after ("Speaker 2"): such a word and a number is a name."""

    def select(self, intent: str, words: list[str], t: ClauseTargets, area: str | None,
                prev: list[Device], ranked: list[tuple[str, float]], question: GroupQuestion | None = None,
                chosen: frozenset[str] = frozenset()) -> Selection:
        """The devices a clause acts on, whether they were named, and the match score (``question``:
        a question about a group), read from ``t`` as :meth:`_reread` gives it (``t`` is not changed).
        Raises CommandRefused (unknown name, ambiguous, nothing there)."""
        cfg, lang, say = self.cfg, self.lang, self.lang.say
        spec = lang.intents[intent]
        group = question is not None
        # "is everything locked": only the types that can be in the state asked
        everything = tuple(lang.grammar.group_questions.state_types.get(question.state, spec.everything)
                           if question else spec.everything)
        named_areas = {a for m in t.areas for a in m.ids}
        rooms = set() if named_areas else self.here_rooms(words, area)
        here = bool(rooms)
        if here:
            named_areas = rooms
        score = min([m.score for m in (*t.devices, *t.areas)], default=1.0)
        devices: list[Device] = []
        away: list[tuple[Mention, set[str]]] = []
        unplaced: list[tuple[Mention, set[str]]] = []
        """Names the model read that fit devices only outside the place meant."""
        # "put the thermostat on fan": a type word said as an option of a device named in full is
        # that option, not the fans
        optioned: set[int] = set()
        if t.types or any(m.short for m in t.devices):
            full = [cfg.device_by_id[m.ids[0]] for m in t.devices if len(m.ids) == 1 and not m.short]
            optioned = {k for d in full for k in self.options.positions(words, d, option_skip(t))}
        type_mentions = [m for m in t.types if m.start not in optioned]
        quantifiers = self.lang.grammar.whole_home_quantifiers
        for m in (*t.types, *t.devices):
            if m.start > 1 and words[m.start - 1] in quantifiers and words[m.start - 2] in self.determiners:
                # "turn off the all light": no whole home after "the", but whisper's "hall light"
                raise unknown_name(say, f"{words[m.start - 1]} {m.text}")
        unknown: str | None = None
        for m in t.devices:
            if m.short and m.start in optioned:
                continue
            cands = [cfg.device_by_id[x] for x in m.ids]
            if m.short and m.start > 0 and words[m.start - 1] not in self.determiners and any(d.id in self.sensitive for d in cands) \
                    and not any(am.start <= m.start - 1 < am.end for am in t.areas):
                # "open the garden gate" in a home whose only gate is the courtyard gate: a word we
                # cannot place before part of a lock's or gate's name is never a guess at that device
                raise unknown_name(say, f"{words[m.start - 1]} {m.text}")
            if m.short and m.type_word is not None:
                # "the lights" is every light here even if one is called "Open plan lights";
                # "the light" still prefers the one called "<area> light" (see _by_type).
                type_mentions.append(Mention("type", m.start, m.end, m.text, type_word=m.type_word, tagged=m.tagged))
                continue
            scope = named_areas or ({area} if area else set())
            kind = self.index.type_words.get(m.text) if not m.short else None
            if kind is not None and scope and not any(d.area in scope for d in cands) and len(
                    [d for d in cfg.devices if d.area in scope and kind.covers(d) and kind.own(d)]) == 1:
                # "turn off da tv" in mudda's room, whose own is the "Mudda TV": a name that is only
                # its kind ("TV", the front room's) says the one of that kind here first
                type_mentions.append(Mention("type", m.start, m.end, m.text, type_word=kind, tagged=m.tagged))
                continue
            # "lola's room poste" (whisper's "po" after a room named in full) when the lamp posts are in
            # the yard: a room said right before a name says where it is; one that lacks it, no device
            before = {a for am in t.areas if am.end == m.start and am.score >= 1.0 for a in am.ids}
            if before and not any(d.area in before for d in cands):
                away.append((m, before))
                continue
            inside = [d for d in cands if d.area in scope]
            # "are either of the air cons on" with one of the two "... air con"s in this room: a name
            # said in the plural is more than one device, so every one of that name unless the room
            # has several or a room is named
            several = not named_areas and len(inside) < 2 and self._plural_of_name(m.text, cands)
            if (len(cands) > 1 or m.short) and not several:
                if inside:
                    cands = inside
                elif m.short and m.type_word is not None:
                    type_mentions.append(Mention("type", m.start, m.end, m.text, type_word=m.type_word, tagged=m.tagged))
                    continue
                elif m.short and scope and (k := next((k for k in (m.end - 1, m.end) if k < len(words)
                                                       and words[k] in self.index.type_words), None)) is not None \
                        and any(self.index.type_words[words[k]].covers(d) and d.area in scope for d in cfg.devices):
                    # "the ceiling light" said in the parents' room, where the TV room's is called that
                    # but this room has a light of its own: this room's light
                    if not any(tm.start == k for tm in type_mentions):
                        tw = self.index.type_words[words[k]]
                        type_mentions.append(Mention("type", k, k + 1, tw.word, type_word=tw, tagged=m.tagged))
                    continue
                elif m.short and not (m.tagged and len(cands) == 1):
                    if m.score < 1.0:
                        # "open the widnow" in a room without one: a misheard name is never
                        # replaced by whatever this room has
                        raise CommandRefused(say("no_device_here", what=m.text, area=cfg.area_by_id[area].name.lower())
                                             if area else say("no_target"))
                    if m.tagged and scope:
                        unplaced.append((m, scope))
                    continue  # "temperature" is not "Office temperature" outside the office
            # "the tv in the bedroom" when the tv is in the living room: not that tv
            elsewhere = {a for am in t.areas if 0 <= am.start - m.end <= 3
                         and any(w in lang.grammar.location_words for w in words[m.end:am.start]) for a in am.ids}
            if elsewhere:
                there = [d for d in cands if d.area is None or d.area in elsewhere]
                if not there and m.short:
                    # "the sprinklers in the front yard" where "the sprinklers" is short for the back
                    # yard's: the device there whose name holds the words said
                    said = [w for w in m.text.split() if w not in self.determiners]
                    there = [d for d in self._holders(said, intent) if d.area in elsewhere]
                tw = self.index.type_words.get(m.text)
                if not there and tw is not None and any(tw.covers(d) and d.area in elsewhere for d in cfg.devices):
                    # "the tv in the back house" where "tv" is the front room's TV's alias: the
                    # back house's own TV, as the type word says
                    type_mentions.append(Mention("type", m.start, m.end, m.text, type_word=tw, tagged=m.tagged))
                    continue
                if not there:
                    away.append((m, elsewhere))
                    continue
                cands = there
            if len(cands) > 1 and not lang.plural(m.text):
                cands = self._one_able(cands, intent, words, chosen)
            devices += [d for d in cands if d not in devices]
        if t.unknown and devices and self._put_on(words, t):
            # "put tvm on the decoder": what is put on a device named is no second device
            raise unknown_name(say, t.unknown[0])
        if t.unknown and not devices:
            able = self._holders(t.unknown[0].split(), intent, words)
            kind = [d for d in self._holders(t.unknown[0].split(), intent, words, fitting=False)
                    if any(m.type_word.covers(d) for m in type_mentions)] if self._placed(words, t.unknown[0]) and not named_areas else []
            if kind and len(t.unknown) == 1:
                # "the light in the greenhouse": of the devices whose names hold the words, the kind
                # said (with a room named, "the lights in the carport | daddy ...", no other room's)
                return Selection(kind if len(kind) == 1 else self.one_of(kind, chosen), True, score, by_unknown=True)
            if able and len(t.unknown) == 1 and not type_mentions:
                # the unknown words were the name after all: no "I don't know the ..." reply; of
                # several, a room named says which ("the sprinklers in the front yard")
                able = [d for d in able if d.area in named_areas] or able
                return Selection(able if len(able) == 1 else self.one_of(able, chosen), True, score, by_unknown=True)
            raise unknown_name(say, t.unknown[0])
        if away and not devices:
            m, areas = away[0]
            names = lang.join([cfg.area_by_id[a].name.lower() for a in sorted(areas)])
            raise CommandRefused(say("not_in_area", name=" ".join(without_determiner(m.text.split(), self.determiners)),
                                     area=names))
        if unplaced and not devices and not type_mentions:
            # "open the winodw" in the lounge, whose windows are elsewhere: never the lounge's
            # other devices instead
            m, scope = unplaced[0]
            names = lang.join([cfg.area_by_id[a].name.lower() for a in sorted(scope)])
            raise CommandRefused(say("no_device_here", what=m.text, area=names))
        devices += [d for d in self._area_and_named(words, t) if d not in devices]
        # "play music on the bose speakers": a singular type word a device named in the same
        # phrase (no "and" between) already is, or cannot be ("play music on the hot tub"), or has
        # as a part ("the fan on the ecobee": its fan mode) says what is wanted of it, not which
        # other devices
        # ... and a plural one right after a device's whole name that it covers is its kind ("kemar's
        # neon lights": the light "Kemar's neon", no other lights)
        type_mentions = [m for m in type_mentions if not m.type_word.plural or not any(
            dm.end == m.start and not dm.short and all(m.type_word.covers(self.cfg.device_by_id[i]) for i in dm.ids) for dm in t.devices)]
        type_mentions = [m for m in type_mentions if m.type_word.plural or not any(
            (m.type_word.covers(self.cfg.device_by_id[i]) or (not dm.short and not self.fits(intent, self.cfg.device_by_id[i]))
             or (not dm.short and self._part_of(m.text, self.cfg.device_by_id[i])))
            and self.cfg.device_by_id[i] in devices
            and not set(words[min(m.end, dm.end):max(m.start, dm.start)]) & self.lang.grammar.split_words
            for dm in t.devices for i in dm.ids)]
        if glued := self._glued(words, t, type_mentions):
            # "is the shed door light" (whisper's "locked"), "the solar fan" (the "sala fan"): one
            # longer name this home does not have, never that device and a light besides
            raise unknown_name(say, glued)
        if type_mentions:
            unexplained = self.unexplained(words, t)
            for m in type_mentions:
                nxt = words[m.end:m.end + 2]
                if nxt and is_number(nxt[0]) and not (len(nxt) > 1 and nxt[1] in lang.unit_words) \
                        and m.text in self._numbered:
                    # "speaker 3" in a home with only "speaker 2": a name, not a value (in a home that
                    # numbers no blind, "open the blind halfway", read "blind 50", is a position).
                    raise unknown_name(say, f"{m.text} {nxt[0]}")
            # where each misheard name begins: the word before the type word, or one further back
            begins = {m.start: m.start - 1 if words[m.start - 1] in unexplained or self._odd_modifier(words, m.start - 1)
                      else self._misheard_before(words, m.start, unexplained) for m in type_mentions if m.start > 0}
            misheard = [m for m in type_mentions if begins.get(m.start) is not None]
            if misheard:
                # "the ifnrared heater": a name we could not match, not any heater; beside devices
                # named ("tama's lamp and churis lamp") those still act, and the name is refused
                unknown = " ".join(words[begins[misheard[0].start]:misheard[0].end])
                if not devices:
                    raise unknown_name(say, unknown)
                type_mentions = [m for m in type_mentions if m not in misheard]
            typed = self._by_type(type_mentions, named_areas, area, t.all_words, words, chosen, here, intent) \
                if type_mentions else []
            # "let some light in" is about the blinds: an untagged type word no device of it can
            # act on is not the target.
            if devices or any(self.fits(intent, d) for d in typed) or any(m.tagged for m in type_mentions):
                devices += [d for d in typed if d not in devices]
                # none of the speaker's room's own: a device of no room stands in
                stand_in = here and any(d.area is None for d in typed)
                return Selection(devices, False, STAND_IN_SCORE if stand_in else score, stand_in=stand_in,
                                 unknown=unknown)
        if devices and spec.asks and not group and (sensing := self._sensed_by(devices, words, named_areas)):
            # "is there somebody by the gate": what the gate does not sense, a sensor where it is does
            return Selection(sensing, True, score, unknown=unknown)
        if devices:
            return Selection(devices, True, score, unknown=unknown)
        if spec.asks and not group and not type_mentions and (sensing := self._sensing(words, named_areas, area)):
            # "is it raining ah the clothes still outside": what senses it, whatever else is said
            return Selection(sensing if len(sensing) == 1 else self.one_of(sensing, chosen), False, 0.9)
        unexplained = self.unexplained(words, t)
        # "I want a shower": one word of a name after "a" is a thing, not the "Shower fan"
        unexplained = [w for i, w in enumerate(words) if w in unexplained
                       and not (i > 0 and words[i - 1] in lang.grammar.indefinite_articles)] if unexplained else unexplained
        owners = {self.index.part_dev.get(w) for w in unexplained} - {None}
        if len(owners) == 1 and set(unexplained) <= self.index.part_words[next(iter(owners))]:
            # "turn on the radio" read untagged: every word left over is of the one device whose
            # names alone hold one of them (never "the swimming pool" for the "Pool pump")
            return Selection([cfg.device_by_id[next(iter(owners))]], True, score)
        able = self._holders(unexplained, intent, words)
        if able:
            return Selection((able if len(able) == 1 else self.one_of(able, chosen)), True, score)
        if unexplained:
            # "close the garage" in a home without one: never fall back on the room's devices.
            raise unknown_name(say, " ".join(unexplained))
        types = spec.prefers
        family = spec.family
        if family:
            # "set the bedroom to 50 percent": the types of every plausible set/up/down reading,
            # most likely first; the first one the place has wins.
            types = tuple(dict.fromkeys(x for i, p in ranked if lang.family(i) == family and p >= ALT_MIN
                                        for x in lang.intents[i].prefers))
            own = set(spec.prefers)
            says_own_type = any(w in self.index.type_words and self.index.type_words[w].types & own for w in words)
            if family == "set" and not says_own_type and not any(w in lang.lexicon.quantity_words for w in words):
                # "set the bedroom to 50%": what the family's generic intent prefers (its lights)
                first = next((s.prefers for s in lang.intents.values() if s.family == family and s.generic), ())
                types = first + tuple(x for x in types if x not in first)
        if t.all_words and everything and not named_areas and not type_mentions and not group \
                and says(words, lang.grammar.whole_home_words):
            # "turn everything off everywhere": every device of the kinds "everything" means
            return Selection([d for d in cfg.devices if d.type in everything], False, score)
        if spec.named_only and not named_areas:
            # "turn it off" with nothing before it, or "turn on the sauna": not a guess at the lights.
            dark = says(words, lang.lexicon.darkness_words)
            if not dark and not (prev and any(w in self.pronouns for w in words)):
                raise CommandRefused(say("no_target"))
        if spec.asks:
            types = self._query_types(words)
            if group and not named_areas:
                # "is anything on": every device that can be on, in the whole home
                return Selection([d for d in cfg.devices if d.type in everything], False, score)
            if not group and not devices and not type_mentions and not prev and not self.asks_a_quantity(words):
                # "is the at arm" (whisper's "is the adt armed"): a question about nothing named is
                # none about the room's thermostat ("is it warm in here" asks a quantity)
                raise CommandRefused(say("no_target"))
        if named_areas:
            sweep = bool(t.all_words and everything)
            if sweep:
                types = everything  # "everything in the kitchen"
            found = []
            for ty in types:
                found = found or [d for d in cfg.devices if d.area in named_areas and d.type == ty]
            if sweep:
                found = [d for d in cfg.devices if d.area in named_areas and d.type in types]
            if t.all_words and not found:
                # "close everything in the kitchen" where nothing there closes: what the verb asks of
                # the kinds it switches (type_verbs, as for "close the light"); a sensitive action
                # is never taken for a device not named (hub.nlu.actions)
                instead = next((lang.grammar.type_verbs[w] for w in words if w in lang.grammar.type_verbs), {})
                found = [d for d in cfg.devices if d.area in named_areas and d.type in instead]
            if not found and here and not sweep:
                # "it's freezing in here" in a room without a thermostat: the whole home's one
                found = self._stand_in([d for ty in types for d in cfg.devices if d.type == ty and not self._risky(intent, d)])
                if found:
                    return Selection(found, False, STAND_IN_SCORE, stand_in=True)
            if not found:
                raise CommandRefused(say("no_target"))
            if spec.asks and (rule := self._query_rule(words)) is not None and rule.action:
                # "what's the humidity in the living room": the room's devices that measure it, if any do
                found = [d for d in found if self.actions.measures(d, rule.action)] or found
            return Selection(found, False, score)
        if prev:
            # "... and set it to 40": what the clause before acted on, if it can do this.
            fits = [d for d in prev if self.fits(intent, d)]
            if fits:
                return Selection(fits, True, 0.95)
        bare = len(words) > 1 and words[1] in self.pronouns and not self.says_here(words)
        if bare and not family:
            # "open it" with nothing said before: not a guess ("make it warmer in here" is the room),
            # unless what is asked is of one kind of device and the home has one that can ("send him
            # back to his base": the robot vacuum)
            able = [d for d in cfg.devices if self.fits(intent, d) and not self._risky(intent, d)]
            if len(able) == 1 and len(spec.acts) == 1 and "*" not in spec.acts:
                return Selection(able, True, 0.95)
            raise CommandRefused(say("no_target"))
        if bare and area and not any(w in lang.lexicon.quantity_words for w in words):
            # "turn it up", "set it to 50" with nothing said before and no quantity named: any
            # device of the room the family moves may be meant: the one there is, or the speaker is
            # asked which (never a device of another room).
            movable = [d for d in cfg.devices if d.area == area and self.fits(intent, d) and not self._risky(intent, d)]
            if movable:
                return Selection(movable if len(movable) == 1 else self.one_of(movable, chosen), True, 0.95)
        here: list[Device] = []
        for ty in types:
            here = here or [d for d in cfg.devices if d.type == ty and area is not None and d.area == area
                            and not self._risky(intent, d)]
        if here:
            if len(here) > 1 and here[0].type not in lang.grammar.group_types:
                here = self.one_of(here, chosen)
            return Selection(here, False, 0.95)
        for ty in types:
            anywhere = [d for d in cfg.devices if d.type == ty and not self._risky(intent, d)]
            if len(anywhere) == 1 and ty in lang.grammar.sole_types:
                return Selection(anywhere, False, 0.85)
            if anywhere:
                break
        raise CommandRefused(say("no_target"))

    def _by_type(self, mentions: list[Mention], named_areas: set[str], area: str | None, all_words: bool,
                 words: list[str], chosen: frozenset[str] = frozenset(), here: bool = False,
                 intent: str | None = None) -> list[Device]:
        """Devices the type words stand for, in the named areas, else the speaker's, else the home
        (``here``: the named area is the speaker's, said "in here", where a device of no room
        stands in for one the room lacks, :meth:`_stand_in`); of one asked which, the one that can do
        ``intent`` where a number is said (:meth:`_one_able`)."""
        cfg = self.cfg
        out: list[Device] = []
        for m in mentions:
            tw = m.type_word
            of_type = [d for d in cfg.devices if tw.covers(d)]
            called = self.index.generic.get(m.text, set())  # "the lamp" as an alias
            room = [d for d in of_type if area and d.area == area]
            aliased = [d for d in of_type if d.id in called]
            if aliased and not any(m.text in self.device_words.get(d.id, ()) for d in room):
                # "the heating" the household calls the boiler, said in the room of a gas fire no
                # name of which holds the word: the boiler ("the lamp" in a room with a lamp: that)
                room = []
            if named_areas:
                found = [d for d in of_type if d.area in named_areas] or (self._stand_in(of_type) if here else [])
            elif room and not all_words:
                found = room
            elif all_words or len(of_type) == 1 or not area:
                found = of_type
            elif aliased:
                found = aliased  # "the lamp" said where there is none: the one the household calls so
            else:
                raise CommandRefused(self.lang.say("no_device_here", what=m.text, area=cfg.area_by_id[area].name.lower()))
            if tw.class_first and any(tw.own(d) for d in found):
                found = [d for d in found if tw.own(d)]
            kind = self.lang.lexicon.kind_modifiers.get(words[m.start - 1]) if m.start > 0 else None
            if kind and not tw.plural and len(found) > 1 and any(self.device_words.get(d.id, set()) & set(kind) for d in found):
                # "the main light": the pendant, not the reading light
                found = [d for d in found if self.device_words.get(d.id, set()) & set(kind)]
            # "all the aircon upstairs": a quantifier before a type word said in the singular
            every = set(words[max(m.start - 2, 0):m.start]) & set(self.lang.grammar.whole_home_quantifiers)
            if not tw.plural and len(found) > 1 and not every:
                # "the light in the kitchen": the one called "<area> light" if no other is called
                # "... light" too, "the tv" the one called "Sony TV"; else the speaker is asked which one.
                # (a name's synonyms count: "the tv" is the "Bedroom telly" too)
                named = [d for d in found if m.text in self.device_words.get(d.id, ())] if tw.prefer_named else []
                alike = [d for d in found if tw.stems & {self.lang.singular(w) for w in self._last_words.get(d.id, ())}]
                one = m.start > 0 and words[m.start - 1] in self.lang.grammar.one_determiners
                aliased = [d for d in found if d.id in called]
                if len(named) == 1 and alike == named:
                    found = named
                elif len(aliased) == 1:
                    found = aliased  # "the fan" of several: the one the household calls so
                elif one:
                    found = self._one_able(named if len(named) > 1 else found, intent, words, chosen)  # "the tv": which TV
            out += [d for d in found if d not in out]
        if not out:
            raise CommandRefused(self.lang.say("no_target"))
        return out

    def _area_and_named(self, words: list[str], t: ClauseTargets) -> list[Device]:
        """ "the basement and garage lights": the area before "and" takes the type word that ends
        the device name after it."""
        out: list[Device] = []
        for am in t.areas:
            if am.end < len(words) and words[am.end] in self.lang.grammar.split_words:
                nxt = next((m for m in t.devices if m.start in (am.end + 1, am.end + 2)), None)
                last = nxt.text.split()[-1] if nxt else ""
                tw = self.index.type_words.get(last)
                if tw is not None and tw.plural:
                    out += [d for d in self.cfg.devices if d.area in am.ids and tw.covers(d)]
        return out

    def whole_home(self, cands: list[Device]) -> list[Device]:
        """Those of ``cands`` that serve the whole home: of no room, or else (none being so) named so
        wherever they hang (language.yaml ``whole_home_names``: the thermostat in the hall)."""
        return [d for d in cands if d.area is None] or [
            d for d in cands if name_words(d) & self.lang.grammar.whole_home_names]

    def _stand_in(self, cands: list[Device]) -> list[Device]:
        """The one device of no room, or else the one whose name says it is the whole home's
        (language.yaml ``whole_home_names``), among ``cands``, of the first type that has one, if
        that type's one device is meant when none is named (language.yaml ``sole_types``): it
        stands in for a room without one of its own ("it's freezing in here": the home's Ecobee);
        [] if there is none or several."""
        for ty in dict.fromkeys(d.type for d in cands):
            roomless = self.whole_home([d for d in cands if d.type == ty])
            if roomless:
                return roomless if len(roomless) == 1 and ty in self.lang.grammar.sole_types else []
        return []

    def _plural_of_name(self, said: str, cands: list[Device]) -> bool:
        """Whether ``said`` is the plural of a name (or short name) every one of ``cands``, two or
        more, has in the singular ("air cons" of "Lounge air con" and "Bedroom air con"); a name
        that is itself plural ("Kitchen downlights") is not."""
        one = self.lang.singular(said)
        if len(cands) < 2 or one == said or not self.lang.plural(said):
            return False
        ix = self.index
        holders = ix.exact_dev.get(one, set()) | ix.short_dev.get(one, set())
        as_said = ix.exact_dev.get(said, set()) | ix.short_dev.get(said, set())
        return all(d.id in holders for d in cands) and not as_said & {d.id for d in cands}

    def _part_of(self, word: str, d: Device) -> bool:
        """Whether ``d`` has a feature named with ``word`` (a thermostat's ``fan_mode``: "the fan
        on the ecobee" is its fan, not another device)."""
        return any(self.lang.singular(word) in f.split("_") for f in d.features)

    def _placed(self, words: list[str], name: str) -> bool:
        """Whether ``name`` is said as a place: right after a location word and a determiner ("in
        the | greenhouse"; whisper's "the lights on out | big" is none)."""
        said = name.split()
        k = next((k for k in range(2, len(words)) if words[k:k + len(said)] == said), None)
        return k is not None and words[k - 1] in self.determiners and words[k - 2] in self.lang.grammar.location_words

    def _holders(self, said: list[str], intent: str, words: list[str] = (), fitting: bool = True) -> list[Device]:
        """ "run the dishwasher" with a dishwasher and a dishwasher leak detector: the devices whose
        names hold every word of ``said`` and that can do ``intent`` (any, unless ``fitting``: "open the
        light", language.yaml type_verbs, is the actions' to read); none if any of them is sensitive (a
        word of a lock's name is never a guess at it)."""
        def holds(d: Device, w: str) -> bool:
            tw = self.index.type_words.get(w)  # "the reading light": a reading lamp is a light too
            return w in self.device_words.get(d.id, set()) or (tw is not None and tw.covers(d))

        able = [d for d in self.cfg.devices if said and all(holds(d, w) for w in said) and (not fitting or self.fits(intent, d))
                and not all(w in self.index.type_words for w in said)]
        if self.lang.intents[intent].asks and words:
            # "is the dishwasher leaking": the one that measures what is asked, if one does
            asked = [d for d in able if d.type in self._query_types(words)[:1]]
            able = asked or able
        return [] if any(d.id in self.sensitive for d in able) else able

    def _one_able(self, cands: list[Device], intent: str | None, words: list[str],
                  chosen: frozenset[str]) -> list[Device]:
        """Of ``cands``, which one word of the clause ``words`` names, the one that can do ``intent``
        where a number is said: "set the heater to ten degrees" by a garage heater and a block heater (an
        outlet) is the garage heater's; of several that can (or none), the one chosen, else
        :meth:`one_of` asks which. With no number, or no ``intent``, it always asks: what a reading with
        no value asks of a word for several devices may be misheard ("put the media unbrew", whisper's
        "put the midea on bru", read as unmuting the one TV that mutes)."""
        valued = intent is not None and any(is_number(w) for w in words)
        able = [d for d in cands if not valued or self.fits(intent, d)] or cands
        return able if len(able) == 1 else self.one_of(able, chosen)

    def one_of(self, cands: list[Device], chosen: frozenset[str]) -> list[Device]:
        """The candidates the speaker chose in answer to a question (``chosen``); raises Ambiguous
        asking which when that does not settle it."""
        picked = [d for d in cands if d.id in chosen]
        if picked:
            return picked
        lang = self.lang
        raise Ambiguous(lang.say("ambiguous", options=lang.join_or([lang.the(d.name, d.type) for d in cands])),
                        tuple(d.id for d in cands))

    def _put_on(self, words: list[str], t: ClauseTargets) -> bool:
        """Whether the clause's first unknown name is said right after its opening verb, and every
        device it names after an option lead (language.yaml ``option_leads``) after that name: "put
        tvm | on | the decoder", where the unknown words are what is put on it."""
        said = t.unknown[0].split()
        if len(words) < 2 or words[0] not in self.lang.verbs or words[1:1 + len(said)] != said:
            return False
        leads = [k for k, w in enumerate(words) if k > len(said) and w in self.lang.grammar.option_leads]
        return bool(leads) and all(m.start > leads[0] for m in t.devices)

    def _glued(self, words: list[str], t: ClauseTargets, type_mentions: list[Mention]) -> str | None:
        """The words of a device's name and a type word right after it that make no name of the home
        (:meth:`select`'s ``glued``), or None: a type word after a whole name ("the shed door light"),
        or after a short one of a device it is no kind of; and, as the tagger may leave it, a short
        name that is a type word ("fan": the home's fans) after a name of a device of another kind
        (whisper's "the solar fan" for the "sala fan")."""
        def covered(m: Mention, dm: Mention) -> bool:  # ... or has as a part ("the aircon fan": its fan mode)
            return any(m.type_word.covers(d) or self._part_of(m.text, d) for d in map(self.cfg.device_by_id.get, dm.ids))

        for dm in t.devices:
            for m in type_mentions:
                if m.start == dm.end and (not dm.short or not covered(m, dm)):
                    return " ".join(words[dm.start:m.end])
            for m in t.devices:
                if m.short and m.type_word is not None and m.start == dm.end and not set(dm.ids) & set(m.ids) \
                        and not covered(m, dm):
                    return " ".join(words[dm.start:m.end])
        return None

    def _misheard_before(self, words: list[str], k: int, unexplained: list[str]) -> int | None:
        """ "turn on the yogic on lamp" (whisper's "unicorn lamp"): where a word no phrasing or name
        holds stands right after a determiner, one or two words before the type word at ``k``, a
        name was misheard (never the room's lamp): that word's index; else None."""
        for i in range(k - 1, max(k - 3, 0), -1):
            if words[i] in self.determiners:
                return None
            if words[i] in unexplained and words[i - 1] in self.determiners:
                return i
        return None

    def _odd_modifier(self, words: list[str], i: int) -> bool:
        """ "turn off the whole light" (whisper's "hall light"): a word between a determiner and a
        type word that no name, area, value or name modifier (language.yaml) of this home holds is
        a misheard name, never "any light"."""
        g = self.lang.grammar
        w = words[i]
        if i > 0 and words[i - 1] in self.determiners and w in g.name_modifiers and self.index.sounds_named(words[i:i + 2]):
            return True  # ... nor is a modifier that sounds like a name's own word: "the big door", the "Back door"
        return (i > 0 and words[i - 1] in self.determiners and w not in self.home_words and w not in self.index.type_words
                and w not in self.lang.value_words and w not in g.name_modifiers and w not in g.whole_home_words
                and w not in self.determiners and w not in g.pronouns and not is_number(w) and w not in PLACEHOLDERS.values())

    def unexplained(self, words: list[str], t: ClauseTargets) -> list[str]:
        """Words that are neither phrasing (intents/*.yaml), a known name, a number nor a value word."""
        inside = matched_positions(t)
        out = []
        for i, w in enumerate(words):
            if not (i in inside or w in self.known_words or w in PLACEHOLDERS.values() or is_number(w)):
                out.append(w)
        return out

    def _sensing(self, words: list[str], named_areas: set[str], area: str | None) -> list[Device]:
        """ "is it raining", "is there water down cellar": the devices that sense what a question
        asks (language.yaml query_types ``features``, those named for it first), in the place said,
        else in the speaker's room, else the home's one; [] when no rule of features is asked, none
        senses it there or several elsewhere."""
        rule = self._query_rule(words)
        if rule is None or not rule.features:
            return []
        sensing = [d for d in self.cfg.devices if d.type in rule.types and set(d.features) & set(rule.features)]
        sensing = [d for d in sensing if name_words(d) & set(rule.names)] or sensing
        if named_areas:
            return [d for d in sensing if d.area in named_areas]
        return [d for d in sensing if area is not None and d.area == area] or (sensing if len(sensing) == 1 else [])

    def _sensed_by(self, devices: list[Device], words: list[str], named_areas: set[str]) -> list[Device]:
        """A question of what none of the ``devices`` named senses (language.yaml query_types
        ``features``) asks the devices that sense it in the rooms said, else in the devices' rooms:
        "is there somebody moving by the gate" -> the gate's motion sensor; [] when a device named
        senses it, or none there does."""
        rule = self._query_rule(words)
        if rule is None or not rule.features or any(set(d.features) & set(rule.features) for d in devices):
            return []
        return self._sensing(words, named_areas or {d.area for d in devices if d.area is not None}, None)

    def _query_rule(self, words: list[str]) -> QueryRule | None:
        """The first language.yaml query_types rule a question ``words`` says, if any."""
        return next((r for r in self.lang.grammar.query_types.rules if r.matches(words)), None)

    def _query_types(self, words: list[str]) -> tuple[str, ...]:
        """A question about a quantity asks what measures it (language.yaml query_types)."""
        rule = self._query_rule(words)
        return tuple(rule.types if rule else self.lang.grammar.query_types.default)

    def asks_a_quantity(self, words: list[str]) -> bool:
        """Whether a question asks a quantity (language.yaml query_types: "is it warm in here",
        "what's it set to"), which the room's thermostat or sensor may answer unnamed."""
        return any(r.matches(words) for r in self.lang.grammar.query_types.rules)

    def says_here(self, words: list[str]) -> bool:
        """Whether the clause says the speaker's room (lexicon.yaml here_phrases) and no place outside
        it (outside_here_phrases: "the skeeters are eating us alive out here" is said in the yard)."""
        lex = self.lang.lexicon
        return says(words, lex.here_phrases) and not says(words, lex.outside_here_phrases)

    def here_rooms(self, words: list[str], area: str | None) -> set[str]:
        """The rooms "here" means in the clause: the speaker's (``area``) for lexicon.yaml here_phrases,
        the home's rooms outdoors for outside_here_phrases ("it's pitch black out here": the yard's
        light, not the kitchen's where the hub's speaker sits; "out the back": those whose names hold
        "back", if any do; "out here" said in a room outdoors or a building apart from the house: that
        one, the verandah's light and not the pool's, the barn's and not the dooryard's; so too in a
        room between the others, the landing's), none if neither is said."""
        said = next((p for p in self.lang.lexicon.outside_here_phrases if says(words, [p])), None)
        if said is not None:
            side = set(said.split()) - self._unsided_words
            if not side and area in self._out_here_itself:
                return {area}
            which = {a for a in self._outdoor_areas if side & self.room_words.get(a, frozenset())}
            return which or set(self._outdoor_areas)
        return {area} if area and self.says_here(words) else set()

    @cached_property
    def _unsided_words(self) -> frozenset[str]:
        """Words of lexicon.yaml outside_here_phrases that say no side: those every such phrase
        holds, determiners and here_phrases' words ("out", "the", "here"), which a room called "out
        the back" shares with "out here"."""
        lex = self.lang.lexicon
        common = set.intersection(*(set(p.split()) for p in lex.outside_here_phrases)) if lex.outside_here_phrases else set()
        return frozenset(common | set(self.determiners) | {w for p in lex.here_phrases for w in p.split()})

    def _areas_named_with(self, words: list[str]) -> frozenset[str]:
        """The areas one of whose names holds one of ``words``."""
        said = set(words)
        return frozenset(a for a, ws in self.room_words.items() if ws & said)

    @cached_property
    def _out_here_itself(self) -> frozenset[str]:
        """The areas where "out here" is said of that one: outdoors, a building apart from the house
        (lexicon.yaml outbuilding_words: "Barn") or a room between the others (passage_words: "Landing")."""
        lex = self.lang.lexicon
        return self._outdoor_areas | self._areas_named_with([*lex.outbuilding_words, *lex.passage_words])

    @cached_property
    def _outdoor_areas(self) -> frozenset[str]:
        """The areas one of whose names holds a word of lexicon.yaml outdoor_words ("Back yard")."""
        return self._areas_named_with(self.lang.lexicon.outdoor_words)

    @cached_property
    def room_words(self) -> dict[str, frozenset[str]]:
        """Each area id -> the words of its names as utterances say them (HomeIndex.exact_area's forms:
        "alfies room" of "Alfie's room")."""
        out: dict[str, set[str]] = {}
        for k, ids in self.index.exact_area.items():
            for a in ids:
                out.setdefault(a, set()).update(k.split())
        return {a: frozenset(ws) for a, ws in out.items()}

    def fits(self, intent: str, d: Device) -> bool:
        """Whether ``d`` can do ``intent`` (or, for a family intent, the same thing on its own quantity)."""
        lx = self.lang.lexicon
        # a number the device takes: 50 is out of an aircon's 16-30 (and its Fahrenheit reading too)
        ranged = d.min_value is not None and d.max_value is not None
        probe = Slots(number=(d.min_value + d.max_value) / 2 if ranged else 50.0, color=lx.colors[0],
                      kelvin=next(iter(lx.color_temps.values())), mode=next(iter(lx.hvac_modes.values())))
        try:
            self.actions.command(intent, d, probe)
            return True
        except CommandRefused:
            return False

    def _risky(self, intent: str, d: Device) -> bool:
        """Whether ``intent`` could do on ``d`` something the catalog asks a yes for (a turn_off
        that disarms, an open of a gate): never applied to a device the utterance did not name."""
        alts = self.lang.intents[intent].alternatives(d.type)
        return any(not a.safe and self.actions.needs_confirmation(d, a.action) for a in alts)


def without_determiner(words: list[str], determiners: frozenset[str]) -> list[str]:
    """``words`` without the determiner they open with ("the sprinklers" -> "sprinklers"), as a
    reply that puts its own before a name says it."""
    return words[1:] if len(words) > 1 and words[0] in determiners else words


def says(words: list[str], phrases: list[str]) -> bool:
    text = f" {' '.join(words)} "
    return any(f" {p} " in text for p in phrases)


def name_words(d: Device) -> set[str]:
    """Every word of a device's name and aliases, as config compares them."""
    return {w for n in (d.name, *d.aliases) for w in normalize_name(n).split()}


def matched_positions(t: ClauseTargets) -> set[int]:
    """Word positions of the names, areas and type words a clause matched."""
    return {k for m in (*t.devices, *t.areas, *t.types) for k in range(m.start, m.end)}


def option_skip(t: ClauseTargets) -> set[int]:
    """Word positions where no option is read: the names and areas, and the type words and short
    names unless a name said in full already says which device ("put the heating on heat": the
    mode, not the heating again; "put the thermostat on fan": not the fans)."""
    full = [m for m in t.devices if not m.short]
    rest = () if full else (*t.types, *t.devices)
    return {k for m in (*full, *t.areas, *rest) for k in range(m.start, m.end)}
