"""Intent + device -> one command of the device catalog, or the reason it cannot be done.

What an intent does on each device type is data (commands.yaml ``acts``, or its family's table:
"set the X to 40" is brightness on a light, volume on a media player, a position on a cover);
the catalog (devices/<type>.yaml) says which features an action needs, what kind of value it
takes and which actions are safety-sensitive. An action a device cannot do is refused with the
reason, never swapped for another.
"""

from __future__ import annotations

from dataclasses import dataclass

from hub.config import Device
from hub.devices.catalog import Catalog, Parameter
from hub.devices.payloads import c_to_f, f_to_c
from hub.devices.router import requires_confirmation
from hub.errors import CommandRefused
from hub.nlu.language import Alternative, Language
from hub.types import Command


@dataclass(frozen=True)
class Slots:
    """Values read from the clause."""

    number: float | None = None
    color: str | None = None
    kelvin: int | None = None
    mode: str | None = None
    quantity: str | None = None
    """The quantity the clause names ("brightness", "volume", "temperature"...), if any."""
    unit_said: bool = False
    """A unit followed the number ("percent", "degrees")."""
    percent: bool = False
    """The number was said in percent ("40 percent"; "half", lexicon.yaml proportion_words)."""
    step: bool = False
    """The number is a step ("up two degrees", "by 20 percent"), not a level."""
    amount: float | None = None
    """A step said as an amount ("a bit": 1, "a lot": 3), in multiples of the catalog's default step."""
    comparative: str | None = None
    """A comparative word of language.yaml ("warmer"), whose action depends on the device type."""
    measure: str | None = None
    """The catalog query action a question about a quantity asks ("query_humidity"), if any."""
    scale: str | None = None
    """The temperature scale said with the number ("fahrenheit": ``F``), if any."""
    verb: str | None = None
    """A verb of language.yaml ``type_verbs`` said outside the names ("close"), if any."""

    def of(self, need: str | None) -> float | str | int | None:
        """The value of kind ``need`` (color, kelvin, mode; None: the number)."""
        return {"color": self.color, "kelvin": self.kelvin, "mode": self.mode}.get(need or "", self.number)


_SLOT_OF_KIND = {"percent": None, "number": None, "color": "color", "kelvin": "kelvin", "enum": "mode"}
"""Catalog parameter kind -> the slot that fills it (None: the number)."""


def _bounds(param: Parameter, d: Device, scale: str | None) -> tuple[float, float] | None:
    """The values ``d`` takes for a catalog parameter with ``device_range``: the device's own
    ``min_value``/``max_value`` (in its temperature unit), else the parameter's ``range`` (the
    catalog's unit, °C for temperatures); in ``scale`` (``C``/``F``) for a temperature. None
    when neither gives both ends."""
    if d.min_value is not None and d.max_value is not None:
        lo, hi, own = d.min_value, d.max_value, d.temperature_unit
    elif param.range is not None:
        lo, hi, own = param.range[0], param.range[1], "C"
    else:
        return None
    if scale is not None and scale != own:
        convert = c_to_f if scale == "F" else f_to_c
        lo, hi = convert(lo), convert(hi)
    return lo, hi


def _within(x: float, bounds: tuple[float, float] | None) -> bool:
    return bounds is not None and bounds[0] <= x <= bounds[1]


def _num(x: float) -> float | int:
    return int(x) if float(x).is_integer() else x


class Actions:
    """Turns (intent, device, slots) into commands for one home's language and catalog."""

    def __init__(self, lang: Language, catalog: Catalog):
        self.lang = lang
        self.catalog = catalog

    def measures(self, d: Device, measure: str) -> bool:
        """Whether ``d`` answers the catalog query action ``measure`` ("query_humidity"): its type
        has it and ``d`` has every feature it needs (devices/*.yaml)."""
        measured = self.catalog.get(d.type, measure)
        return measured is not None and measured.query and all(f in d.features for f in measured.features)

    def needs_confirmation(self, d: Device, action: str) -> bool:
        """Whether the catalog asks for a spoken yes before ``action`` on ``d`` (a device's own
        ``confirm: false`` does not make a guess at it safe)."""
        dev = d if d.confirm is not False else d.model_copy(update={"confirm": None})
        return requires_confirmation(Command(d.id, action), dev, self.catalog)

    def sensitive(self, d: Device) -> bool:
        """A device some command of which needs a spoken yes (a lock, an alarm, a garage door or gate)."""
        t = self.catalog.types.get(d.type)
        return bool(t) and any(self.needs_confirmation(d, a) for a in t.commands)

    def largest_step(self, d: Device, action: str, scale: str | None) -> float | None:
        """The largest step the catalog ``action`` takes on ``d`` (its parameter's range), in
        ``scale`` for a temperature (a difference: 10 °C is 18 °F); None for an action of no range."""
        spec = self.catalog.get(d.type, action)
        param = spec.parameter if spec is not None else None
        if param is None or param.kind != "number" or param.range is None:
            return None
        own = (param.unit or "").removeprefix("°") if (param.unit or "").startswith("°") else None
        return param.range[1] * (9 / 5 if own == "C" and scale == "F" else 5 / 9 if own == "F" and scale == "C" else 1)

    def command(self, intent: str, d: Device, slots: Slots, named: bool = True) -> Command:
        """The command ``intent`` means for ``d``; ``named``: the clause named ``d`` itself, not only
        its kind or room. Raises CommandRefused with a short reason."""
        lang = self.lang
        spec = lang.intents.get(intent)
        name = d.name.lower()
        if spec is None:
            raise CommandRefused(lang.say("not_understood"))
        what = lang.responses.cannot_do[spec.family or intent]
        alts = spec.alternatives(d.type)
        turn = lang.grammar.comparatives.get(slots.comparative or "", {}).get(d.type)
        if spec.family and turn:
            # "make the lamp warmer": on a light that is a warmer white, not a higher temperature
            alts = (Alternative(action=turn),)
        elif spec.family and slots.quantity and slots.quantity != lang.grammar.quantities.get(d.type):
            raise CommandRefused(lang.say("cannot_change", device=name, quantity=slots.quantity))
        instead = lang.grammar.type_verbs.get(slots.verb or "", {}).get(d.type)
        if not alts and instead and (named or not self.needs_confirmation(d, instead)):
            # "close the light": the verb's meaning for a device that cannot close; never a
            # security-sensitive one for "the door" ("open the porch door" unlatches it)
            alts = (Alternative(action=instead),)
        if not alts:
            raise CommandRefused(lang.say("cannot", device=name, what=what))
        if spec.asks and slots.measure and self.measures(d, slots.measure):
            # "how humid is it in the lounge": the device's own answer to that quantity, where it has one
            return Command(d.id, "query", about=slots.measure.removeprefix("query_"))
        if spec.asks and slots.measure and d.type in lang.grammar.query_types.silent(slots.measure):
            # "how cold is the big light" (whisper's "... out the big" for "out the back"): a quantity
            # the device has none of, whose on or off is no answer
            raise CommandRefused(lang.say("cannot_measure", device=name, quantity=slots.measure.removeprefix("query_")))
        said = slots.of(spec.needs)
        missing: CommandRefused | None = None
        for alt in alts:
            if not self._applies(alt, d, said, slots.amount):
                continue
            cmd_spec = self.catalog.get(d.type, alt.action)
            if cmd_spec is None:
                continue
            lacking = [f for f in cmd_spec.features if f not in d.features]
            if lacking:
                reason = self.catalog.types[d.type].features.get(lacking[0])
                missing = missing or CommandRefused(lang.say("missing_feature", device=name, reason=reason)
                                                    if reason else lang.say("cannot", device=name, what=what))
                continue
            return self._with_value(alt, cmd_spec.parameter, d, slots)
        raise missing or CommandRefused(lang.say("cannot", device=name, what=what))

    def _applies(self, alt: Alternative, d: Device, said, amount: float | None) -> bool:
        if alt.when is not None and said != alt.when:
            return False
        if alt.amount and amount is None:
            return False
        if alt.partial and not (isinstance(said, float) and 0 < said < 100):
            return False
        if alt.without_number and said is not None:
            return False
        return not (alt.safe and self.needs_confirmation(d, alt.action))

    def _with_value(self, alt: Alternative, param, d: Device, slots: Slots) -> Command:
        lang = self.lang
        if param.kind == "none" or alt.when is not None:
            return Command(d.id, alt.action)
        value = alt.value if alt.value is not None else slots.of(_SLOT_OF_KIND.get(param.kind))
        if value is None and param.optional and slots.amount not in (None, 1) and param.default is not None:
            value = float(param.default) * slots.amount  # "a lot": three of the device's default steps
        if value is None:
            if param.optional:
                return Command(d.id, alt.action)
            raise CommandRefused(lang.responses.missing_value.model_dump()
                                 .get(param.kind, lang.responses.missing_value.percent).format(device=d.name.lower()))
        if param.kind == "percent":
            if not 0 <= float(value) <= 100:
                raise CommandRefused(lang.say("not_a_percentage", value=_num(float(value))))
            return Command(d.id, alt.action, _num(float(value)), param.unit)
        if param.kind == "number":
            # a temperature (the catalog's unit is in degrees) is in the scale said, else the device's own
            degrees = (param.unit or "").startswith("°")
            if degrees and slots.percent:
                raise CommandRefused(lang.say("not_a_temperature", device=d.name.lower()))
            unit = (slots.scale or d.temperature_unit) if degrees else param.unit
            bounds = _bounds(param, d, unit if degrees else None) if param.device_range else None
            if bounds is not None and not _within(float(value), bounds):
                other = {"C": "F", "F": "C"}.get(unit) if degrees and slots.scale is None else None
                if other and _within(float(value), _bounds(param, d, other)):
                    unit = other  # "set the heat pump to sixty eight degrees" in a Celsius home: Fahrenheit
                else:
                    # "turn the thermostat out a couple of degrees": a step misheard, never 2 degrees set
                    raise CommandRefused(lang.say("out_of_range", device=d.name.lower(), value=_num(float(value)),
                                                  low=_num(bounds[0]), high=_num(bounds[1])))
            return Command(d.id, alt.action, _num(float(value)), unit)
        if param.kind == "kelvin":
            return Command(d.id, alt.action, int(value), param.unit)
        return Command(d.id, alt.action, value)
