"""Text -> Understanding for one home: normalise, split clauses, read each with the model, resolve.

The model (hub/nlu/model.py) gives each clause an intent and BIO slot tags; the resolver
(hub/nlu/resolve.py) finds the home's devices and areas in it; hub/nlu/actions.py turns intent
and device into a command or a refusal. The speaker's area is the room for a command that names
none; a device or area named in the utterance wins over it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hub.config import Config, Device
from hub.errors import CommandRefused, HubError
from hub.nlu.actions import LEVEL_DOWN, LEVEL_SET, LEVEL_UP, PREFERRED_TYPES, Slots, to_command
from hub.nlu.clauses import SPLIT_WORDS, clause_starters, hedged, phrasing_words, split_clauses
from hub.nlu.generate import NONE_INTENT, PLACEHOLDERS
from hub.nlu.model import ClauseReading, IntentModel
from hub.nlu.normalize import load_lexicon, normalize
from hub.nlu.resolve import STOP_WORDS, ClauseTargets, HomeIndex, Mention, bio_spans, is_sensitive
from hub.nlu.respond import describe, join_names, say
from hub.types import Command, Understanding

PRONOUNS = {"it", "them", "that", "those", "these", "this", "both"}
DETERMINERS = {"the", "a", "an", "my", "our", "this", "that", "your", "all"}
UNSAFE = {"unlock", "open", "disarm"}
"""Actions never chosen as a fallback reading: they must be what the model read first."""
UNSAFE_INTENTS = {"unlock", "open", "disarm", "turn_off", "set_position", "set_level"}
"""Intents that can unlock or open something: never applied to a lock, garage door, gate or
alarm that the utterance did not name."""
ALT_MIN = 0.05
"""A fallback reading needs at least this probability."""
SOLE_DEVICE_TYPES = {"climate", "water_heater", "vacuum", "media_player"}
"""Types whose only device in the home is meant when none is named ("set the temperature to 20");
never a scene, alarm, lock, cover, light or fan."""
VALUE_ALT_MIN = 0.1
"""A reading that uses a value said with its unit ("40 percent") wins over one that ignores it
if it has at least this probability."""


@dataclass
class ClauseResult:
    """What one clause came to: its intent, commands (or the refusal), and the devices it meant."""

    intent: str | None
    commands: list[Command] = field(default_factory=list)
    confidence: float = 0.0
    refusal: str | None = None
    devices: list[Device] = field(default_factory=list)
    complete: bool = False
    """Its commands rest only on words it holds: the target named, every word phrasing or a name."""


class Parser:
    """Understands utterances for one home. Build once (loads the model), then call :meth:`parse`."""

    def __init__(self, cfg: Config, model: IntentModel | None = None):
        """Raises ModelIntegrityError if the model files fail their manifest check."""
        self.cfg = cfg
        self.model = model or IntentModel()
        self.lex = load_lexicon().raw
        values = {w for key in ("colors", "color_temps", "hvac_modes", "fan_speeds") for x in self.lex[key] for w in str(x).split()}
        self.index = HomeIndex(cfg, self.lex["type_words"], values | {"kelvin", "percent", "degrees"})
        self.starters = clause_starters()
        self.min_confidence = cfg.hub.options.min_confidence
        self.scene_ids = {d.id for d in cfg.devices if d.type == "scene"}
        self.known_words = phrasing_words() | set(STOP_WORDS) | set(self.index.type_words)
        names = {w for item in (*cfg.areas, *cfg.devices) for n in (item.name, *item.aliases) for w in normalize(n)}
        names |= {"".join(normalize(n)) for item in (*cfg.areas, *cfg.devices) for n in (item.name, *item.aliases)}
        # Only distinctive command words are spelling targets: a verb, a type or value word.
        values = {w for key in ("colors", "color_temps", "hvac_modes", "fan_speeds") for x in self.lex[key] for w in str(x).split()}
        self.spell_vocab = frozenset(w for w in self.starters | set(self.index.type_words) | values
                                     | {"kelvin", "percent", "degrees", "brightness", "volume", "temperature"} if w.isalpha())
        self.name_words = frozenset(names | self.known_words | SPLIT_WORDS)
        self.spell_nouns = frozenset(w for w in set(self.index.type_words) | values if w.isalpha())

    # ---------------------------------------------------------------- public
    def parse(self, text: str, area: str | None = None) -> Understanding:
        """Utterance text (any casing/punctuation, as an ASR returns it) and the speaker's area id
        -> Understanding with zero or more commands, a calibrated confidence and a reply.

        Raises HubError if ``area`` is not an area id of this home."""
        if area is not None and area not in self.cfg.area_by_id:
            raise HubError(f"area {area!r} is not an area of {self.cfg.source} (known: {', '.join(self.cfg.area_by_id)})")
        words = normalize(text, vocab=self.spell_vocab, keep=self.name_words, nouns=self.spell_nouns)
        if not words:
            return Understanding(text, None, (), 0.0, say("nothing_heard"), area)
        if hedged(words, self.starters):
            return Understanding(text, None, (), 0.0, say("hedged"), area)
        results: list[ClauseResult] = []
        prev: list[Device] = []
        for clause in split_clauses(words, self.starters):
            r = self._clause(clause, area, prev)
            results.append(r)
            if r.devices:
                prev = r.devices
        intent = next((r.intent for r in results if r.intent), None)
        # "turn on the light and ...", "turn on the light and turn off the ...": more is coming
        complete = words[-1] not in SPLIT_WORDS and all(r.complete for r in results if r.intent)
        acted = any(r.commands for r in results)
        # "I'm off to bed, lock the door": the chatter around a command needs no reply of its own.
        refusals = [r.refusal for r in results if r.refusal and not (acted and r.intent is None)]
        # A clause below the threshold is refused on its own; the others still act.
        sure = [r for r in results if r.commands and r.confidence >= self.min_confidence]
        unsure = [r for r in results if r.commands and r.confidence < self.min_confidence]
        refusals += [say("low_confidence")] * bool(unsure)
        commands = [c for r in sure for c in r.commands]
        confidence = min((r.confidence for r in sure), default=max((r.confidence for r in results), default=0.0))
        if not commands:
            reply = refusals[-1] if unsure else (refusals[0] if refusals else say("not_understood"))
            return Understanding(text, intent, (), confidence, reply, area, complete)
        reply = " ".join([describe(commands, self.cfg)] + refusals)
        # the intent people (and Home Assistant) see is what was done, not the model's generic label
        return Understanding(text, commands[0].action, tuple(commands), confidence, reply, area, complete)

    # ---------------------------------------------------------------- one clause
    def _clause(self, words: list[str], area: str | None, prev: list[Device]) -> ClauseResult:
        exact = self.index.exact(words)
        masked, spans = _mask(words, exact, self.cfg)
        reading = self.model.read(masked)
        tags = _unmask_tags(reading.tags, spans, len(words))
        targets = self.index.find(words, tags, exact)
        fuzzy = [m for m in (*targets.devices, *targets.areas) if m.score < 1.0 and not m.short]
        if fuzzy:
            # Read again with the misheard names masked too: their words say nothing about the intent.
            masked, _ = _mask(words, sorted(exact + fuzzy, key=lambda m: m.start), self.cfg)
            reading = self.model.read(masked)
        if reading.intent == NONE_INTENT:
            scenes = [m for m in targets.devices if set(m.ids) <= self.scene_ids and m.score == 1.0]
            if not (scenes and sum(m.end - m.start for m in scenes) >= len(words) - 1):
                # Not a command, but a device it names is what a following "it" means.
                named = [self.cfg.device_by_id[m.ids[0]] for m in targets.devices if len(m.ids) == 1 and not m.short]
                return ClauseResult(None, confidence=reading.confidence, refusal=say("out_of_domain"), devices=named)
            reading = ClauseReading("activate", 0.9, reading.tags, (("activate", 0.9),))
        slots = self._slots(words, tags, targets)
        # Intents that need a value nobody said ("set the X to ...") are ruled out.
        consistent = [(i, p) for i, p in reading.ranked if i != NONE_INTENT and _needs(i, slots)]
        ranked = [(i, p) for i, p in consistent if p >= ALT_MIN or p == reading.ranked[0][1]]
        if not ranked:
            return ClauseResult(reading.intent, confidence=reading.confidence, refusal=say("not_understood"))
        intent = ranked[0][0]
        # A value said is meant: "can I have the lamp at 40 percent", "turn down the colour
        # temperature to warm white". A plausible reading that uses it wins over one that ignores it.
        users = set()
        if slots.number is not None and slots.unit_said:
            users |= LEVEL_SET
        if slots.kelvin is not None:
            users.add("set_color_temp")
        if slots.color is not None:
            users.add("set_color")
        if slots.mode is not None:
            users.add("set_hvac_mode")
        if users and intent not in users:
            uses = next((i for i, p in ranked if i in users and p >= VALUE_ALT_MIN), None)
            intent = uses or intent
        try:
            devices, explicit, score, named = self._select(intent, words, targets, area, prev, ranked)
        except CommandRefused as e:
            return ClauseResult(intent, confidence=reading.confidence, refusal=e.reason)
        commands, refusal = _commands(intent, devices, slots, explicit)
        if not commands:
            # A reading the devices can't do ("shutting the curtains" read as turn_off): the most
            # likely one they can, never an unsafe one.
            for alt, p in ranked:
                if alt == intent:
                    continue
                alt_cmds, _ = _commands(alt, devices, slots, explicit)
                if p >= ALT_MIN and alt_cmds and not any(
                        c.action in UNSAFE and is_sensitive(self.cfg.device_by_id[c.device]) for c in alt_cmds):
                    intent, commands, refusal = alt, alt_cmds, None
                    break
        if not commands:
            return ClauseResult(intent, confidence=reading.confidence, refusal=refusal or say("no_target"))
        # Calibrated confidence of these commands: the probability of every reading that gives
        # them, among the readings these devices can do.
        same = feasible = 0.0
        for i, p in consistent:
            cmds, _ = _commands(i, devices, slots, explicit)
            if cmds:
                feasible += p
                same += p if cmds == commands else 0.0
        conf = same / feasible if feasible else 0.0
        if targets.unknown:
            refusal = say("unknown_device", name=targets.unknown[0])
        complete = named and not self._unexplained(words, targets)
        return ClauseResult(intent, commands, conf * score, refusal, devices, complete)

    def _select(self, intent: str, words: list[str], t: ClauseTargets, area: str | None,
                prev: list[Device], ranked: list[tuple[str, float]]) -> tuple[list[Device], bool, float, bool]:
        """The devices a clause acts on, whether they were named by name, the match score, and
        whether any words of the utterance chose them (a name, type, area or an earlier clause)
        rather than a guess from the speaker's room or the home's only device of a type.
        Raises CommandRefused (unknown name, ambiguous, nothing there)."""
        cfg = self.cfg
        named_areas = {a for m in t.areas for a in m.ids}
        if area and not named_areas and _says(words, self.lex["here_phrases"]):
            named_areas = {area}
        score = min([m.score for m in (*t.devices, *t.areas)], default=1.0)
        devices: list[Device] = []
        away: list[tuple[Mention, set[str]]] = []
        type_mentions = list(t.types)
        for m in t.devices:
            cands = [cfg.device_by_id[x] for x in m.ids]
            if m.short and m.start > 0 and words[m.start - 1] not in DETERMINERS and any(map(is_sensitive, cands)) \
                    and not any(am.start <= m.start - 1 < am.end for am in t.areas):
                # "open the garden gate" in a home whose only gate is the courtyard gate: a word we
                # cannot place before part of a lock's or gate's name is never a guess at that device
                raise CommandRefused(say("unknown_device", name=f"{words[m.start - 1]} {m.text}"))
            if m.short and m.type_word is not None:
                # "the lights" is every light here even if one is called "Open plan lights";
                # "the light" still prefers the one called "<area> light" (see _by_type).
                type_mentions.append(Mention("type", m.start, m.end, m.text, type_word=m.type_word, tagged=m.tagged))
                continue
            if len(cands) > 1 or m.short:
                scope = named_areas or ({area} if area else set())
                inside = [d for d in cands if d.area in scope]
                if inside:
                    cands = inside
                elif m.short and m.type_word is not None:
                    type_mentions.append(Mention("type", m.start, m.end, m.text, type_word=m.type_word, tagged=m.tagged))
                    continue
                elif m.short and not (m.tagged and len(cands) == 1):
                    continue  # "temperature" is not "Office temperature" outside the office
            # "the tv in the bedroom" when the tv is in the living room: not that tv
            elsewhere = {a for am in t.areas if 0 <= am.start - m.end <= 3
                         and any(w in ("in", "at", "from") for w in words[m.end:am.start]) for a in am.ids}
            if elsewhere:
                there = [d for d in cands if d.area is None or d.area in elsewhere]
                if not there:
                    away.append((m, elsewhere))
                    continue
                cands = there
            if len(cands) > 1 and not _plural(m.text):
                raise CommandRefused(say("ambiguous", options=join_names([f"the {d.name.lower()}" for d in cands])))
            devices += [d for d in cands if d not in devices]
        if t.unknown and not devices:
            raise CommandRefused(say("unknown_device", name=t.unknown[0]))
        if away and not devices:
            m, areas = away[0]
            names = join_names([cfg.area_by_id[a].name.lower() for a in sorted(areas)])
            raise CommandRefused(say("not_in_area", name=m.text, area=names))
        devices += [d for d in self._area_and_named(words, t) if d not in devices]
        if type_mentions:
            unexplained = self._unexplained(words, t)
            for m in type_mentions:
                nxt = words[m.end:m.end + 2]
                if nxt and _number(nxt[0]) and not (len(nxt) > 1 and nxt[1] in ("percent", "degrees", "kelvin")):
                    # "speaker 3" in a home with only "speaker 2": a name, not a value.
                    raise CommandRefused(say("unknown_device", name=f"{m.text} {nxt[0]}"))
            if any(m.start > 0 and words[m.start - 1] in unexplained for m in type_mentions):
                # "the ifnrared heater": a name we could not match, not any heater.
                raise CommandRefused(say("unknown_device", name=" ".join(unexplained + [type_mentions[0].text])))
            typed = self._by_type(type_mentions, named_areas, area, t.all_words)
            # "let some light in" is about the blinds: an untagged type word no device of it can
            # act on is not the target.
            if devices or any(_fits(intent, d) for d in typed) or any(m.tagged for m in type_mentions):
                devices += [d for d in typed if d not in devices]
                return devices, False, score, True
        if devices:
            return devices, True, score, True
        unexplained = self._unexplained(words, t)
        if unexplained:
            # "close the garage" in a home without one: never fall back on the room's devices.
            raise CommandRefused(say("unknown_device", name=" ".join(unexplained)))
        types = PREFERRED_TYPES.get(intent, ())
        family = next((f for f in (LEVEL_SET, LEVEL_UP, LEVEL_DOWN) if intent in f), None)
        if family:
            # "set the bedroom to 50 percent": the types of every plausible set/up/down reading,
            # most likely first; the first one the place has wins.
            types = tuple(dict.fromkeys(x for i, p in ranked if i in family and p >= ALT_MIN
                                        for x in PREFERRED_TYPES.get(i, ())))
            own = set(PREFERRED_TYPES.get(intent, ()))
            says_own_type = any(w in self.index.type_words and self.index.type_words[w].types & own for w in words)
            if family is LEVEL_SET and not says_own_type and not any(w in self.lex["quantity_words"] for w in words):
                types = ("light",) + tuple(x for x in types if x != "light")  # "set the bedroom to 50%": its lights
        if intent in ("turn_on", "turn_off", "toggle") and not named_areas:
            # "turn it off" with nothing before it, or "turn on the sauna": not a guess at the lights.
            dark = intent == "turn_on" and any(w in self.lex["darkness_words"] for w in words)
            if not dark and not (prev and any(w in PRONOUNS for w in words)):
                raise CommandRefused(say("no_target"))
        if intent == "query":
            types = self._query_types(words)
        if named_areas:
            if t.all_words and intent in ("turn_on", "turn_off"):
                types = ("light", "switch", "outlet", "fan", "media_player")  # "everything in the kitchen"
            found = []
            for ty in types:
                found = found or [d for d in cfg.devices if d.area in named_areas and d.type == ty]
            if t.all_words and intent in ("turn_on", "turn_off"):
                found = [d for d in cfg.devices if d.area in named_areas and d.type in types]
            if not found:
                raise CommandRefused(say("no_target"))
            return found, False, score, True
        if prev:
            # "... and set it to 40": what the clause before acted on, if it can do this.
            fits = [d for d in prev if _fits(intent, d)]
            if fits:
                return fits, True, 0.95, True
        if len(words) > 1 and words[1] in PRONOUNS and "here" not in words and not family:
            # "open it" with nothing said before: not a guess ("make it warmer in here" is the room).
            raise CommandRefused(say("no_target"))
        here: list[Device] = []
        for ty in types:
            here = here or [d for d in cfg.devices if d.type == ty and area is not None and d.area == area
                            and not (intent in UNSAFE_INTENTS and is_sensitive(d))]
        if here:
            if len(here) > 1 and here[0].type != "light":
                raise CommandRefused(say("ambiguous", options=join_names([f"the {d.name.lower()}" for d in here])))
            return here, False, 0.95, False
        for ty in types:
            anywhere = [d for d in cfg.devices if d.type == ty and not (intent in UNSAFE_INTENTS and is_sensitive(d))]
            if len(anywhere) == 1 and ty in SOLE_DEVICE_TYPES:
                return anywhere, False, 0.85, False
            if anywhere:
                break
        raise CommandRefused(say("no_target"))

    def _unexplained(self, words: list[str], t: ClauseTargets) -> list[str]:
        """Words that are neither phrasing (intents/*.yaml), a known name, a number nor a value word."""
        inside = {k for m in (*t.devices, *t.areas, *t.types) for k in range(m.start, m.end)}
        out = []
        for i, w in enumerate(words):
            if i in inside or w in self.known_words or w in PLACEHOLDERS.values():
                continue
            try:
                float(w)
            except ValueError:
                out.append(w)
        return out

    def _query_types(self, words: list[str]) -> tuple[str, ...]:
        """A question about a quantity asks a sensor that measures it, else the thermostat."""
        if any(w in ("humidity", "humid") for w in words):
            return ("sensor", "humidifier")
        if any(w in ("temperature", "warm", "cold", "hot") for w in words):
            return ("sensor", "climate")  # what it is, not what it is set to
        return ("climate", "sensor")

    def _area_and_named(self, words: list[str], t: ClauseTargets) -> list[Device]:
        """ "the basement and garage lights": the area before "and" takes the type word that ends
        the device name after it."""
        out: list[Device] = []
        for am in t.areas:
            if am.end < len(words) and words[am.end] == "and":
                nxt = next((m for m in t.devices if m.start in (am.end + 1, am.end + 2)), None)
                last = nxt.text.split()[-1] if nxt else ""
                tw = self.index.type_words.get(last)
                if tw is not None and tw.plural:
                    out += [d for d in self.cfg.devices if d.area in am.ids and tw.covers(d)]
        return out

    def _by_type(self, mentions: list[Mention], named_areas: set[str], area: str | None, all_words: bool) -> list[Device]:
        """Devices the type words stand for, in the named areas, else the speaker's, else the home."""
        cfg = self.cfg
        out: list[Device] = []
        for m in mentions:
            tw = m.type_word
            of_type = [d for d in cfg.devices if tw.covers(d)]
            if named_areas:
                found = [d for d in of_type if d.area in named_areas]
            elif area and not all_words and any(d.area == area for d in of_type):
                found = [d for d in of_type if d.area == area]
            elif all_words or len(of_type) == 1 or not area:
                found = of_type
            else:
                raise CommandRefused(say("no_device_here", what=m.text, area=cfg.area_by_id[area].name.lower()))
            if not tw.plural and len(found) > 1:
                # "the light in the kitchen": the one called "<area> light" if there is one.
                named = [d for d in found if d.area and m.text in _short_words(d, cfg)]
                if len(named) == 1:
                    found = named
            out += [d for d in found if d not in out]
        if not out:
            raise CommandRefused(say("no_target"))
        return out

    def _slots(self, words: list[str], tags: list[str], t: ClauseTargets) -> Slots:
        """Number, colour, colour temperature and mode said in the clause (outside device names)."""
        inside = set()
        for m in (*t.devices, *t.areas):
            inside.update(range(m.start, m.end))
        number = None
        for i, w in enumerate(words):
            if i in inside:
                continue
            try:
                x = float(w)
            except ValueError:
                continue
            if number is None or tags[i] == "B-VAL":
                number = x
        free = [w if i not in inside else "" for i, w in enumerate(words)]
        text = " " + " ".join(free) + " "
        color = next((c for c in self.lex["colors"] if f" {c} " in text), None)
        kelvin = None
        for phrase, k in sorted(self.lex["color_temps"].items(), key=lambda x: -len(x[0])):
            if f" {phrase} " in text:
                kelvin = int(k)
                break
        if "kelvin" in free and number is not None:
            kelvin = int(number)
        mode = None
        for s, e, label in bio_spans(tags):
            if label == "MODE":
                mode = self.lex["hvac_modes"].get(" ".join(words[s:e]))
        if mode is None:
            for phrase, m in sorted(self.lex["hvac_modes"].items(), key=lambda x: -len(x[0])):
                if f" {phrase} " in text:
                    mode = m
                    break
        if number is None:
            for w in free:
                if w in self.lex["fan_speeds"]:
                    number = float(self.lex["fan_speeds"][w])
        quantity = next((self.lex["quantity_words"][w] for w in free if w in self.lex["quantity_words"]), None)
        if " color temperature " in text:
            quantity = None  # a light's colour temperature, not a thermostat's
        unit_said = any(w in ("percent", "degrees") for w in free)
        return Slots(number, color, kelvin, mode, quantity, unit_said)


def _mask(words: list[str], exact: list[Mention], cfg: Config) -> tuple[list[str], list[tuple[int, int, int]]]:
    """Replace names found exactly by placeholders (as in training, hub/nlu/generate.py).
    Returns the masked words and (masked index, start, end) of each replaced span."""
    out: list[str] = []
    spans = []
    i = 0
    for m in exact:
        out += words[i:m.start]
        if m.kind == "area":
            token = PLACEHOLDERS["AREA"]
        elif all(cfg.device_by_id[x].type == "scene" for x in m.ids):
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


def _commands(intent: str, devices: list[Device], slots: Slots, explicit: bool) -> tuple[list[Command], str | None]:
    """Commands of ``intent`` on each device; a named device that can't gives the reason, a device
    swept in by "the lights" is skipped."""
    out: list[Command] = []
    refusal = None
    for d in devices:
        try:
            out.append(to_command(intent, d, slots))
        except CommandRefused as e:
            if explicit or len(devices) == 1:
                refusal = refusal or e.reason
    return out, refusal


def _needs(intent: str, slots: Slots) -> bool:
    """Whether the clause holds the value the intent needs (a number, colour, kelvin, mode)."""
    if intent in LEVEL_SET:
        return slots.number is not None
    if intent == "set_color":
        return slots.color is not None
    if intent == "set_color_temp":
        return slots.kelvin is not None
    if intent == "set_hvac_mode":
        return slots.mode is not None
    return True




def _fits(intent: str, d: Device) -> bool:
    """Whether ``d`` can do ``intent`` (or, for a generic set/up/down, the same thing on its own quantity)."""
    family = next((f for f in (LEVEL_SET, LEVEL_UP, LEVEL_DOWN) if intent in f), {intent})
    for i in family:
        try:
            to_command(i, d, Slots(number=50.0, color="red", kelvin=2700, mode="heat"))
            return True
        except CommandRefused:
            pass
    return False


def _number(w: str) -> bool:
    try:
        float(w)
        return True
    except ValueError:
        return False


def _says(words: list[str], phrases: list[str]) -> bool:
    text = f" {' '.join(words)} "
    return any(f" {p} " in text for p in phrases)


def _plural(text: str) -> bool:
    return text.endswith("s") and not text.endswith("ss")


def _short_words(d: Device, cfg: Config) -> set[str]:
    from hub.config import normalize_name

    names = {normalize_name(n) for n in (d.name, *d.aliases)}
    a = cfg.area_by_id[d.area]
    out = set()
    for n in names:
        for an in (a.name, *a.aliases):
            an = normalize_name(an)
            if n.startswith(an + " "):
                out.add(n[len(an) + 1:])
    return out
