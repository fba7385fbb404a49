"""A device's own options said by name: "put the megaflo on eco", "set the tado to boost", "the tv
on HDMI 2", and the misheard ones ("info mode") that must be refused rather than guessed.

Options are the catalog's enum values and aliases (devices/*.yaml), for a text parameter the
names lexicon.yaml ``named_values`` gives its action (a TV's inputs), and for an action that takes
no value the names ``named_actions`` gives it (an alarm's "home" for arm_home). Where an option may stand
(after an option lead, before an option tail, never after "off eco": option_negations) is
language.yaml's; this module knows no word of its own.
"""

from __future__ import annotations

from collections.abc import Iterator

from hub.config import Config, Device
from hub.devices.catalog import Catalog, CommandSpec
from hub.errors import CommandRefused
from hub.nlu.language import Language
from hub.nlu.normalize import is_number
from hub.types import Command


class OptionReader:
    """Finds the one option of a device said by name in a clause's words (normalised, lower case).
    Build once per home."""

    def __init__(self, cfg: Config, lang: Language, catalog: Catalog):
        self.lang = lang
        self.catalog = catalog
        g = lang.grammar
        self.names = frozenset(v.replace("_", " ") for d in cfg.devices for spec in catalog.commands(d.type)
                               for v in self._values(spec))
        """The named options of the home's devices ("boost", "heat pump", a TV's "netflix"): never
        names, never misspelt."""
        self._option_words = frozenset(w for n in self.names for w in n.split())
        self.any_words = frozenset(w for t in catalog.types for spec in catalog.commands(t)
                                   for v in self._values(spec) for w in v.split())
        """Every word of any device type's named options, in this home or not ("eco", "boost")."""
        self._plain = (frozenset(g.determiners) | frozenset(g.pronouns) | g.polar_words | g.lead_words
                       | frozenset(g.stop_words))
        """Words an option never starts with ("the", "it", "on")."""

    def misheard(self, words: list[str], inside: set[int], known: frozenset[str]) -> str | None:
        """ "info mode": a word before an option tail that no option, name, value or phrasing of the
        home holds (``known``: the home's words; ``inside``: positions of the names the clause
        matched, its type words only where no name was said in full: "put the keypad in light
        mode" is a mode misheard, not the lights), or the home's words between an option lead and
        the tail where none of them names an option or a device ("on for mode", "on for more mode":
        the frame holds a mode's name, whisper's "home"), with the tail, as said; None if none."""
        g = self.lang.grammar
        lead = None  # where the last option lead was said
        for i, w in enumerate(words[:-1]):
            if w in g.option_leads:
                lead = i
            if i in inside or w in self.names or is_number(w):
                continue
            said = [w]
            if w in known:
                # a known word is misheard only in a frame ("on for more mode") none of whose words
                # names an option or a device
                if lead is None or w in g.determiners or w in g.pronouns:
                    continue
                said = words[lead + 1:i + 1]
                if any(x in self._option_words or j in inside for j, x in enumerate(said, lead + 1)):
                    continue
            if any(words[i + 1:i + 1 + len(tail.split())] == tail.split() for tail in g.option_tails):
                return " ".join([*said, words[i + 1]])
        return None

    def of_device(self, words: list[str], d: Device, skip: set[int]) -> Command | None:
        """The one command of ``d``'s catalog whose named options hold words said right after an
        option lead or right before an option tail, outside the positions ``skip`` (the clause's
        names and type words): an enum parameter's values and aliases (a water heater's ``eco``, a
        thermostat's ``boost``) or, for a text parameter, the names ``named_values`` gives it (a
        TV's ``hdmi``, with its number: "hdmi 2"). None if none or several. Raises CommandRefused
        when the options are of the device's kind but it lacks their feature."""
        found = {(action, value) for action, value, _ in self._said(words, d, skip)}
        can = {(a, v) for a, v in found if all(d.has(f) for f in self.catalog.get(d.type, a).features)}
        if len(can) > 1:
            # "set the fan on the ecobee to auto": the option whose name (the catalog's label,
            # "fan mode") the clause says
            labelled = {(a, v) for a, v in can if set(self.catalog.get(d.type, a).parameter.label.split()) & set(words)}
            can = labelled or can
        if len(can) == 1:
            action, value = can.pop()
            return Command(d.id, action, value)
        if found and not can:
            # "put the twins' radiator on eco": an option its kind has, but not this one
            spec = self.catalog.get(d.type, min(found)[0])
            missing = next(f for f in spec.features if not d.has(f))
            raise CommandRefused(self.lang.say("missing_feature", device=d.name.lower(),
                                               reason=self.catalog.types[d.type].features[missing]))
        return None

    def positions(self, words: list[str], d: Device, skip: set[int]) -> set[int]:
        """Word positions outside ``skip`` where an option of ``d`` is said (as :meth:`of_device`
        finds them): "put the thermostat on fan" holds the thermostat's "fan" mode at 4."""
        return {k for _, _, span in self._said(words, d, skip) for k in span}

    def _values(self, spec: CommandSpec) -> dict[str, str | None]:
        """A catalog command's option names -> the value each sends (None for an action that takes none)."""
        lx, p = self.lang.lexicon, spec.parameter
        if p.kind == "enum":
            return {v.replace("_", " "): v for v in p.values} | p.aliases
        if p.kind == "string":
            return {v: v for v in lx.named_values.get(spec.action, ())}
        if p.kind == "none":
            return dict.fromkeys(lx.named_actions.get(spec.action, ()))
        return {}

    def _said(self, words: list[str], d: Device, skip: set[int]) -> Iterator[tuple[str, str | None, range]]:
        """(action, value, positions) of each named option of ``d``'s catalog said right after an
        option lead or right before an option tail, outside ``skip``; none in a clause that leaves
        an option ("turn off eco mode")."""
        g = self.lang.grammar
        if set(words) & set(g.option_negations):
            return
        for spec in self.catalog.commands(d.type):
            values = self._values(spec)
            if not values:
                continue
            p = spec.parameter
            for i in range(len(words)):
                for n in (3, 2, 1):
                    span = words[i:i + n]
                    said = " ".join(span)
                    # "reverse the fan": an option verb opening the clause leads itself; "put hdmi 2 |
                    # on the tv": what is put on a device, after the verb that opens the clause
                    after = i + n + (i + n < len(words) and is_number(words[i + n]))
                    led = (i > 0 and words[i - 1] in g.option_leads) or (i == 0 and said in g.option_verbs) or (
                        i == 1 and words[0] in g.option_put_verbs and after < len(words) and words[after] in g.option_leads)
                    tailed = any(words[i + n:i + n + len(tail.split())] == tail.split() for tail in g.option_tails)
                    if said not in values or not (led or tailed) or skip & set(range(i, i + n)) \
                            or span[0] in self._plain or is_number(span[0]):
                        continue
                    value = values[said]
                    if p.kind == "string" and i + n < len(words) and is_number(words[i + n]):
                        value = f"{value} {words[i + n]}"  # "hdmi 2"
                    yield spec.action, value, range(i, i + n)
