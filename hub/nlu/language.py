"""The language the hub understands, as data: intents/<language>/*.yaml loaded once into typed objects.

Files (each checked with pydantic; every problem reported as ``file:line path: message``):

- ``commands.yaml``: intents, their phrasing templates (hassil syntax, hub/nlu/templates.py) and
  what each does on each device type (``acts``, ``family``, ``needs``, ``prefers``).
- ``lexicon.yaml``: fillers, speech-recogniser fixes, value words (colours, whites, modes, speeds),
  type words, quantity words.
- ``language.yaml``: grammar words (stop words, pronouns, numbers, units, clause splitting).
- ``responses.yaml``: every sentence the hub says (loaded and checked by :mod:`hub.reply.responses`).
- ``template_extras.yaml``: phrasings only the template reader adds.

:func:`load_language` returns one :class:`Language` per folder (cached): the parser, the template
reader and the normaliser take it and never read a file themselves.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hub.errors import ConfigError, TemplateError
from hub.nlu.templates import Alt, Seq, Slot, Word, expand, parse_template, phrasings
from hub.reply.responses import Responses, read_responses
from hub.yamlcheck import LineMap, parse_yaml, validate

INTENTS_ROOT = Path(__file__).resolve().parent.parent.parent / "intents"
"""intents/: one folder per language (config ``hub.language``)."""


class LanguageError(ConfigError):
    """intents/<language>/ is invalid; ``problems`` holds one ``file:line path: message`` each."""

    def __init__(self, problems: list[str]):
        super().__init__(problems)
        self.args = ("invalid language data:\n  " + "\n  ".join(problems),)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Value = Union[float, str]


# ---------------------------------------------------------------- commands.yaml
class Alternative(_Strict):
    """One way an intent acts on a device type; the first one the device can do is taken."""

    action: str
    """A catalog action of the type (devices/<type>.yaml)."""
    when: Value | None = None
    """Only when the value said is this (``0`` brightness is off; mode ``off`` is off)."""
    value: Value | None = None
    """Sent instead of the value said (``mute`` without mute: volume 0)."""
    partial: bool = False
    """Only with a number strictly inside 0..100 ("open the blind halfway")."""
    without_number: bool = False
    """Only when no number was said ("raise the blinds" opens them)."""
    amount: bool = False
    """Only when an amount was said ("lower the blind a bit" is a step, not a full close)."""
    safe: bool = False
    """Never where the catalog asks for a confirmation (a garage door is not "raised")."""


ActsRaw = dict[str, Union[str, Alternative, list[Union[str, Alternative]]]]


def _acts(raw: ActsRaw) -> dict[str, tuple[Alternative, ...]]:
    out = {}
    for t, v in raw.items():
        items = v if isinstance(v, list) else [v]
        out[t] = tuple(Alternative(action=x) if isinstance(x, str) else x for x in items)
    return out


class TemplateEntry(_Strict):
    t: str
    types: list[str] | None = None


class IntentEntry(_Strict):
    types: list[str] = []
    generic: bool = False
    templates: list[Union[str, TemplateEntry]]
    family: Literal["set", "up", "down"] | None = None
    needs: Literal["color", "kelvin", "mode", "number"] | None = None
    prefers: list[str] = []
    everything: list[str] = []
    named_only: bool = False
    asks: bool = False
    acts: ActsRaw = {}


class Copula(_Strict):
    """How a variety's copula reads (language.yaml ``copulas``: Hawaii Pidgin's "stay")."""

    reads: str
    """What it is after a subject ("da door stay locked" -> "is")."""
    alone: str
    """What it is with no subject before it, or only an interjection ("ho stay dark" -> "its")."""
    before: list[str]
    """The words before which it is a copula at all (states and degrees, never "on" or "off")."""


class FamilyEntry(_Strict):
    acts: ActsRaw


class CommandsFile(_Strict):
    families: dict[Literal["set", "up", "down"], FamilyEntry] = {}
    intents: dict[str, IntentEntry]


class ExtrasFile(_Strict):
    intents: dict[str, IntentEntry]


# ---------------------------------------------------------------- lexicon.yaml
class TypeWordEntry(_Strict):
    types: list[str]
    classes: list[str | None] | None = None
    plural: bool | None = None
    """Whether the word means every device of its kind; default: it ends like a plural."""
    named: list[str] = []
    """Types covered only when the device's name holds the word (a switch named "Kettle plug")."""
    unless_named: list[str] = []
    """A device whose name holds one of these words is not covered ("the speakers" are not the "Sony TV")."""
    featured: dict[str, list[str]] = {}
    """Types covered when the device has one of these features ("windows": a window contact sensor)."""
    named_first: bool = False
    """In a home where some devices of the kind are named with the word, it means only those ("the
    lamps" are the ones called lamp, not every light); elsewhere every device of the kind."""
    class_first: bool = False
    """Among the devices meant, those of the class the word names (or named with it) are meant when
    there are any: "the blinds" in a room with blinds and plantation shutters are the blinds."""
    prefer_named: bool = True
    """Said in the singular, a device whose name holds the word is the one meant among several of
    its kind (the "Kitchen light" over the under-cabinet strip). False for a word every device of
    the kind is: any outlet is a socket, whatever it powers, so "the socket" among several asks."""


class LexiconFile(_Strict):
    fillers: list[str]
    closing_vocatives: list[str] = []
    """Words a command may end on that call the one spoken to ("... for me baby"): dropped there
    unless a name of the home holds them ("the baby monitor" keeps its "baby")."""
    addressed: list[str] = []
    """An assistant's names said to it, read as a pause ("kalimera jarvis | open our shades")."""
    address_openers: list[str] = []
    """Words said before an assistant's name to call it ("hey", "ok"): the home's own hub name
    and wake word make more ``addressed`` names with them (:meth:`Language.addressed_with`)."""
    asr_fixes: dict[str, str]
    off_heard: dict[str, str] = {}
    """Phrases whisper writes for "... off" ("lights of"), read so unless a determiner or a word
    of the home's names follows ("the lights of the sala")."""
    here_phrases: list[str]
    outside_here_phrases: list[str] = []
    """Phrases of "here" said outside ("out here"): the home's outdoor rooms are meant, not the hub's."""
    outdoor_words: list[str] = []
    """Words that make a room one outdoors, said in any of its names ("Back yard", "the gallery")."""
    outbuilding_words: list[str] = []
    """Words that make a room a building apart from the house ("Barn"): "out here" said there is it."""
    passage_words: list[str] = []
    """Words that make a room one between the others ("Landing", "Hall"): "out here" said there is it."""
    darkness_words: list[str]
    """Words and phrases that say it is too dark: the lights are meant."""
    quantity_words: dict[str, str]
    number_words: dict[str, float]
    proportion_words: list[str] = []
    """Words of ``number_words`` that say a share of a range: normalised with the percent unit."""
    not_numbers: list[str] = []
    """Phrases whose number word is a word, not a number ("full of smoke", "the tank full up")."""
    post_number_fixes: dict[str, str] = {}
    thing_phrases: list[str] = []
    """Things named in words that hold a type word, no device of it ("the light bill"): never a type said."""
    type_words: dict[str, TypeWordEntry]
    synonyms: list[list[str]] = []
    """Words that name the same thing; a type word's synonyms are type words of the same kinds."""
    named_values: dict[str, list[str]] = {}
    """Catalog action -> names people give the values of its text parameter (a TV's inputs)."""
    named_actions: dict[str, list[str]] = {}
    """Catalog action that takes no value -> names that say it as a device's option (an alarm's "home")."""
    kind_verbs: dict[str, dict[str, str]] = {}
    """Verb -> device type -> the action the verb alone says to devices of that type ("set" an alarm)."""
    kind_modifiers: dict[str, list[str]] = {}
    """A word before a type word that says which of its kind is meant ("the main light"): words one
    of which a device's names hold to be that one (a pendant, a chandelier)."""
    colors: list[str]
    color_temps: dict[str, int]
    hvac_modes: dict[str, str]
    fan_speeds: dict[str, float]

    @model_validator(mode="after")
    def _synonyms_of_type_words(self) -> "LexiconFile":
        # "the telly" is a TV as "the tv" is: a synonym group's type word lends its entry to the rest
        for group in self.synonyms:
            entry = next((self.type_words[w] for w in group if w in self.type_words), None)
            for w in group:
                if entry is not None and w not in self.type_words:
                    self.type_words[w] = entry
        return self

    @model_validator(mode="after")
    def _proportions_are_numbers(self) -> "LexiconFile":
        if stray := [w for w in self.proportion_words if w not in self.number_words]:
            raise ValueError(f"proportion_words {stray} are not in number_words")
        return self


# ---------------------------------------------------------------- language.yaml
class Numbers(_Strict):
    units: dict[str, int]
    tens: dict[str, int]
    hundred: str
    thousand: str
    article: str
    joiner: str
    point: str
    fractions: dict[str, float] = {}
    phrases: dict[str, float] = {}
    digit_run: int = 0
    """This many single digits or more said in a row are one number, digit by digit; 0: never."""
    digit_words: dict[str, int] = {}
    """Words for a digit between two single digits only ("one oh one" is 101; "oh" alone is no 0)."""


class QueryRule(_Strict):
    """A question about a quantity: the words (or phrases) that ask it, the types that measure it,
    and the catalog's query action that answers it on a device that has it."""

    words: list[str]
    phrases: list[str] = []
    types: list[str]
    action: str | None = None
    features: list[str] = []
    """Only devices of ``types`` with one of these features sense it: with none named, the one in
    the place said (or the speaker's room), else the home's only one ("is it raining": the rain
    sensor in the garden)."""
    names: list[str] = []
    """Of those, the ones whose name holds one of these words are meant first (a "Rain sensor" for
    "is it raining" where a leak sensor senses moisture too)."""
    silent: list[str] = []
    """Types whose state says nothing of the quantity: asked of a device of one of them it is
    refused ("how cold is the big light"), where a switch's on or off may answer ("how hot is the
    hot tub")."""

    def matches(self, words: list[str]) -> bool:
        text = f" {' '.join(words)} "
        return any(w in self.words for w in words) or any(f" {p} " in text for p in self.phrases)


class QueryTypes(_Strict):
    rules: list[QueryRule]
    default: list[str]

    def silent(self, action: str) -> frozenset[str]:
        """The :attr:`QueryRule.silent` types of the rules answered by the query ``action``."""
        return frozenset(t for r in self.rules if r.action == action for t in r.silent)


class Units(_Strict):
    percent: str
    degrees: str
    kelvin: str


class Undirected(_Strict):
    """Verbs that say no direction by themselves ("switch the kettle"): with no other polar word,
    a reading as one of ``intents`` is a guess at on or off, and is refused as unclear."""

    verbs: frozenset[str] = frozenset()
    sides: list[list[str]] = []
    """The intents of each direction ("on": turn_on, start; "off": turn_off, stop): a word of one
    side's phrasing that the other sides' lack says that direction."""
    options: list[str] = []
    """The directions the speaker is asked to choose between ("on", "off")."""
    level_options: list[str] = []
    """Said too when the reading is not one of ``intents`` but a level ("up", "down")."""
    heard: dict[str, str] = {}
    """Words written for a direction word (``{"in": "on"}``), which count as it right before a
    device's name or at a clause's end ("switch in the piano lamp", "the carriage lamps of")."""
    opening: dict[str, str] = {}
    """A word that opens a clause for a direction (``{"out": "off"}``: Caribbean "out the light"),
    before a determiner or a name."""
    heard_opening: dict[str, str] = {}
    """A word a recogniser writes for such a direction there (``{"and": "on"}``): read as it, as a guess."""
    heard_verbs: dict[str, str] = {}
    """A word a recogniser writes for one of :attr:`verbs` where it opens a clause before what is
    done to, which one way (:attr:`options`) follows and no statement verb (``{"check": "turn"}``:
    whisper's "check the lounge fan on" for Australian "chuck"): read as it, as a guess."""
    bare: dict[str, str] = {}
    """A verb that, said with no direction at all where the clause would be refused as unclear, says
    this way (:attr:`options`; ``{"put": "on"}``: Indian English "put the fan"): read so, as a guess."""
    opening_articles: dict[str, str] = {}
    """A word a recogniser writes for the article after such a word, before a name (``{"to": "the"}``:
    "out de kettle" heard "out to kettle")."""
    verbless_subjects: frozenset[str] = frozenset()
    """A clause opening with one of these and saying one direction, with no verb ("everything in
    the lounge off"), is said with ``verbless_verb`` ("turn off everything in the lounge")."""
    verbless_verb: str = ""
    either: frozenset[str] = frozenset()
    """Intents of no direction (a toggle) that a direction said replaces ("flip on the lights")."""
    between: frozenset[str] = frozenset()
    """Words said between an undirected verb and its direction that add nothing to it ("turn back
    on the freezer" is "turn on the freezer")."""

    @property
    def intents(self) -> frozenset[str]:
        """Every intent of :attr:`sides`: a reading as one of them is a guess at a direction."""
        return frozenset().union(*self.sides)

    def on_side(self, intent: str, way: str) -> str | None:
        """``intent``'s counterpart on the side of ``way`` (one of :attr:`options`): ``turn_off`` on
        "on"'s side is ``turn_on``. None for an intent of no side or a way of none."""
        if way not in self.options:
            return None
        side = self.sides[self.options.index(way)]
        return next((side[k] for s in self.sides for k, i in enumerate(s) if i == intent and k < len(side)), None)


class QuestionAlternatives(_Strict):
    """A tag offering the other state: ``lead`` and at most ``words`` more that say a way
    (:attr:`Undirected.options`, ``opening``) or a state: "de gen still running | or it cut off"."""

    lead: str
    words: int = Field(ge=1)
    states: frozenset[str] = frozenset()
    """Words of a state the alternative may say besides the ways and the group questions' states ("tripped")."""


class TimeWords(_Strict):
    duration_leads: frozenset[str]
    amount_words: frozenset[str]
    durations: frozenset[str]
    clock_leads: frozenset[str]
    clock_words: frozenset[str]
    until_leads: frozenset[str]
    repeats: frozenset[str]
    periods: frozenset[str]
    phrases: list[str]


class GroupWords(_Strict):
    starts: list[str]
    counting: list[str]
    states: dict[str, list[str]]
    state_types: dict[str, list[str]] = {}
    """The only device types a state word can be asked of ("is everything locked": the locks; "is
    the air fryer locked" is refused)."""
    state_near: dict[str, list[str]] = {}
    """More types a question about a named device may ask a state of (``state_types``), answered
    with their nearest state: "is the garage door locked" of a cover."""
    not_after: frozenset[str] = frozenset()
    """Words after which a state word is a setting asked, not a state ("what's the heat set | on")."""


class Answers(_Strict):
    all: list[str]
    none: list[str]
    fillers: list[str]
    ordinals: dict[str, int]


class GrammarFile(_Strict):
    numbers: Numbers
    unit_symbols: dict[str, str]
    unit_suffixes: dict[str, str]
    units: Units
    stop_words: frozenset[str]
    determiners: frozenset[str]
    spelling_determiners: frozenset[str]
    pronouns: frozenset[str]
    one_determiners: frozenset[str]
    location_words: frozenset[str]
    loose_location_words: frozenset[str] = frozenset()
    place_lead: str | None = None
    """The location word a place adverb right before "the" and a room is said as ("down the cellar")."""
    place_adverbs: frozenset[str] = frozenset()
    """Said before a location word and a room, where the room is ("down in the basement")."""
    whole_home_words: frozenset[str]
    whole_home_quantifiers: frozenset[str] = frozenset()
    """Of ``whole_home_words``, those that never come right after a determiner: "the all light" is
    a misheard name (whisper's "the hall light"), refused, never every light."""
    whole_home_phrases: list[str]
    split_words: frozenset[str]
    open_ends: frozenset[str] = frozenset()
    """Words a command never ends on ("for", "the"): what follows is still to come."""
    value_words: frozenset[str]
    negations: frozenset[str]
    needless: list[str] = []
    """Phrases that, right before a command verb, say it need not be done ("no need to open the gate")."""
    corrections: list[str]
    not_starters: frozenset[str]
    plural_endings: list[str]
    verb_endings: list[str] = []
    """Endings of a verb's inflected forms: a command word with one is not misspelt."""
    dictionary: str | None = None
    """A pronouncing dictionary the hub carries (a key of models/manifest.json): its words are spelt
    right, never corrected to a command or number word ("thirsty" is no "thirty")."""
    singular_endings: list[str]
    quantities: dict[str, str]
    query_types: QueryTypes
    sole_types: frozenset[str]
    whole_home_names: frozenset[str] = frozenset()
    """Words of a name that say a device of a sole type serves the whole home wherever it hangs ("the
    thermostat" in the hall): it stands in for a room without one of its own (hub.nlu.select)."""
    group_types: frozenset[str]
    not_quantity_phrases: list[str]
    name_only: dict[str, str]
    unclear_starts: dict[str, list[str]] = {}
    self_questions: list[str] = []
    errand_starts: list[str] = []
    option_leads: frozenset[str] = frozenset()
    option_tails: list[str] = []
    option_verbs: frozenset[str] = frozenset()
    """Verbs that name an option said at a clause's start ("reverse the fan")."""
    option_put_verbs: frozenset[str] = frozenset()
    """Verbs that, opening a clause, lead an option said right after them when an option lead
    follows it ("put hdmi 2 | on the tv"): hub.nlu.options.OptionReader."""
    option_negations: list[str] = []
    temperature_scales: dict[str, Literal["C", "F"]] = {}
    undirected: Undirected = Undirected()
    indefinite_articles: frozenset[str] = frozenset()
    generic_determiners: frozenset[str] = frozenset()
    """Before a type word, these make an alias no name of its own ("the lamp"): see language.yaml."""
    value_prepositions: frozenset[str] = frozenset()
    self_subjects: list[str] = []
    self_subject_verbs: list[str] = []
    wanting_verbs: list[str] = []
    """After a device's name, a statement unless a polar or command word follows ("needs a new bulb")."""
    path_locations: dict[str, str] = {}
    """A way of going -> the location word it says before a room that ends the clause, right after
    the command's way ("on | down the basement")."""
    causatives: frozenset[str] = frozenset()
    """Verbs before a device's name and a command verb that have the device do it ("let the roborock | clean")."""
    negated_modals: list[str] = []
    """A modal with its negation ("can't"): as a negation, the verb of a reason's statement."""
    negating_particles: list[str] = []
    """... and these right after a name or a pronoun (Pidgin "the gen | no go carry am")."""
    question_auxiliaries: list[str] = []
    """Words that open a question ("have I left any lights on"): such a clause asks, it does not tell."""
    benefactives: list[str] = []
    """Said for whom between a verb and its object ("fill | for us | the tank"): read away there."""
    proclitics: dict[str, str] = {}
    """Words written run onto the next with an apostrophe ("t'" of "t'back room") -> their words."""
    heard_articles: dict[str, str] = {}
    """What a recogniser writes for a short article ("tea" for Yorkshire "t'") -> the article, read so
    right before a name of the home or a type word."""
    glued_leads: list[str] = []
    """What a recogniser writes for a level's lead glued to its number ("t" of "down t15"), read apart
    from it."""
    number_leads: dict[str, str] = {}
    """A variety's word for a level's lead ("ta" for Shetland "to") -> the lead, read so right before
    a number only ("set da heat pump ta 21"; a closing "ta" thanks)."""
    simile_leads: frozenset[str] = frozenset()
    """After a word of :attr:`degree_after` and the word it heightens, these open a simile that says
    only how much ("black | as pitch"); at most :attr:`simile_words` words, up to a word of
    :attr:`simile_ends`, a pause or the end, after an optional determiner."""
    simile_words: int = 2
    simile_ends: frozenset[str] = frozenset()
    likening_leads: frozenset[str] = frozenset()
    likenings: dict[str, str] = {}
    """A thing a place is likened to after a word of :attr:`degree_after`, a word of
    :attr:`likening_leads` and an indefinite article, and the complaint it says ("is like an
    oven" -> "is boiling")."""
    portion_words: frozenset[str] = frozenset()
    """Amounts said before :attr:`portion_link` and what is meant ("a cup | of coffee"): no name the home lacks."""
    portion_link: str = ""
    """The word between an amount and what it is of ("of")."""
    question_tails: list[str] = []
    """Tags that make a statement before them a question ("motor is running | or not")."""
    state_tails: list[str] = []
    """Tags that make a state said before them with no verb a question ("the back door locked | yet")."""
    where_leads: list[str] = []
    locating_words: frozenset[str] = frozenset()
    """A question opening with one of ``where_leads`` before a device's name, with none of
    ``locating_words``, asks its state ("where's rosie to now": "what is rosie doing"); with one, it
    asks it to call out ("... make her beep")."""
    where_as: str = "{rest}"
    """How such a question is asked instead ("what is {rest} doing")."""
    reading_leads: list[str] = []
    reading_verbs: frozenset[str] = frozenset()
    """A question opening with one of ``reading_leads`` and ending on one of these asks what a device
    reads ("what does the thermometer | say"), asked as :attr:`reading_as`."""
    reading_as: str = "{rest}"
    """How such a question is asked instead ("what is {rest} reading")."""
    bare_states: dict[str, str] = {}
    """A verb's bare form said as its state, last before a question tag -> the state ("di front door
    lock | or no": "locked")."""
    question_alternatives: QuestionAlternatives | None = None
    """A tag offering the other state ("de gen still running | or it cut off")."""
    question_particles: list[str] = []
    """Particles that make a statement after them a question ("shey | the gen is still on")."""
    verbless_question_words: frozenset[str] = frozenset()
    """Question words that, a few words before a device named with no verb, ask with :attr:`asked_copula`."""
    asked_copula: str | None = None
    """The verb a tagged statement with none is asked with ("the burglar proof locked ent": "is ...")."""
    implied_stops: list[str] = []
    statement_verbs: list[str] = []
    is_before: list[str] = []
    """Words after which "'s" is "is" besides group questions' states and ``still_words`` ("way", "too")."""
    s_words: list[str] = []
    """Words whose "'s" stays one word with them, never "is" ("it's": the phrasings' "its")."""
    present_times: list[str] = []
    """Times that hold now ("tonight", "today"): in a question of ``present_questions``, nothing to wait for."""
    present_questions: frozenset[str] = frozenset()
    """First words of a question of how things are ("how", "is"; not "what's on tv tonight")."""
    is_before_unset: list[str] = []
    """Words after which "'s" is "is" unless ``level_lead`` follows them: "the baby's down", but
    whisper's plural "kitchen spot's down to thirty" stays the "Kitchen spots"."""
    is_before_endings: list[str] = []
    """... and endings of a verb's form ("-ing") after which it is, on a word of at least
    ``is_before_letters`` letters no name of the home holds ("the baby's sleeping in there")."""
    is_before_letters: int = 6
    subject_copulas: frozenset[str] = frozenset()
    """A word the home lacks before one of these and a word of ``is_before`` is someone in that
    state, no name ("tama is scared": not "Tama's heater")."""
    address_after: frozenset[str] = frozenset()
    """A word the home lacks, alone at a clause's end right after one of these, is the person spoken
    to, no name ("lights off | arjun", "switch the telly off | zara")."""
    state_subjects: frozenset[str] = frozenset()
    """A word the home lacks after one of ``subject_copulas`` and one of these says how things are,
    no name ("how cold is it outside | is it baltic")."""
    joint_forms: dict[str, str] = {}
    """A word said for "and" right before a command verb, where it joins two commands ("... blanket
    an | set granny's heater ...", :func:`hub.nlu.normalize.normalize`)."""
    extremes: dict[str, str] = {}
    """A phrase that says a step goes to the end of its range, and the words that say that end
    ("all the way up": "up to max"), for :meth:`hub.nlu.parser.Parser.parse`."""
    contractions: dict[str, str] = {}
    """A contraction -> its words ("she's" -> "she is", "b'y" -> "boy"), read before apostrophes are dropped."""
    copulas: dict[str, Copula] = {}
    """A variety's word for "is" -> how it reads and before which words (:class:`Copula`)."""
    copula_not_after: list[str] = []
    """Words that, among the four before the copula, make it a verb of its own ("let the door stay open")."""
    statement_starts: list[str] = []
    """A clause opening with one of these says how things are ("it's minus thirty out there")."""
    statements: list[str] = []
    """Whole statements of how things are, which a command may follow at once ("the light has gone |
    start the generator"); written as templates ("[the] (power|current) is (off|out)"), each read as
    all its phrasings, the longest first."""

    @field_validator("statements")
    @classmethod
    def _statement_phrasings(cls, said: list[str]) -> list[str]:
        try:
            return sorted(dict.fromkeys(p for t in said for p in expand(t)), key=lambda p: -len(p.split()))
        except TemplateError as e:
            raise ValueError(str(e)) from None
    interjections: frozenset[str] = frozenset()
    vocative_leads: frozenset[str] = frozenset()
    """Said before a vocative that opens a command ("my man | put the piazza light off")."""
    """Exclamations that may come before such a clause ("eish", "oh man")."""
    interjection_words: int = 0
    """The most words such an exclamation has."""
    greetings: tuple[str, ...] = ()
    """Greetings said before a command or question ("where y'at", "how are you"): no part of it."""
    run_on_not_after: frozenset[str] = frozenset()
    """Words after which a command verb in a statement is no command of its own ("too early to plug in")."""
    reason_subjects: frozenset[str] = frozenset()
    """Words a statement of why, run on after a command, opens with ("... the kids are asleep")."""
    reason_subject_words: int = 4
    """The most words such a statement's subject has before its verb."""
    reason_pronouns: frozenset[str] = frozenset()
    """Subjects that open such a statement whatever verb follows ("... | he already went to school")."""
    reason_leads: tuple[str, ...] = ()
    """Words that open a statement of why or what for after a command ("... | because it's raining")."""
    subject_reason_leads: frozenset[str] = frozenset()
    """... and words that do so only before a reason's subject or pronoun ("... | so nobody can see in")."""
    run_on_enders: frozenset[str] = frozenset()
    """Words a command may end on before another begins with no "and" ("pool pump off | ...")."""
    run_on_questions: frozenset[str] = frozenset()
    """Words that open a question of its own after words that name something, where a determiner
    and a device's name follow ("turn off the tv | is the freezer still on")."""
    own_way_verbs: frozenset[str] = frozenset()
    """Command verbs that say their way themselves: after one and its device's name, "on" or "off"
    and another device's name begin a command of their own ("lock the front door | off the hall light")."""
    heard_joints: dict[str, str] = {}
    """A word a speech recogniser writes for a split word before a device's name, and that split
    word ("in" for "and": "... off | in the zero bulb on", "turn the playstation in callum's light off")."""
    heard_locations: dict[str, str] = {}
    """A word a speech recogniser writes for a location word before a room's name ("and" for "in")."""
    polite_joints: frozenset[str] = frozenset()
    """Words a polite lead ends on right before the command verb ("... could you | close ...")."""
    asked_subjects: frozenset[str] = frozenset()
    """After a question auxiliary, these make a lead a question ("did you | turn off ...")."""
    impolite_leads: frozenset[str] = frozenset()
    """Words that make a lead no politeness ("how", "remind": "tell me how to close the blinds")."""
    repair_markers: list[str] = []
    """Words between a word said and the word that corrects it ("the kitchen | no | the hall light")."""
    repair_negations: frozenset[str] = frozenset()
    """Words before a name taken back in a repair ("no | not the sprinklers | the drip line")."""
    lost_number_after: frozenset[str] = frozenset()
    """Words after which a unit word says a number that was not heard ("up to degrees")."""
    numbered_words: frozenset[str] = frozenset()
    """Words a number follows when a value leads them ("on channel | five"): with no number after
    them, nor a way, the number was not heard ("put the telly on channel fine")."""
    quantity_units: frozenset[str] = frozenset()
    """Units that say which quantity a number is: no remark begins at one right after its number."""
    value_leads: frozenset[str] = frozenset()
    """Words a clause's value follows ("up to | sixty"): a number after one wins over a number
    elsewhere in the clause ("turn the bose up to sixty | this two is boss", whisper's "tune's")."""
    room_subject_as: str | None = None
    """A statement whose subject is a room, as a statement of the place ("{rest}", "{room}"):
    hub.nlu.framing.Framing.subject_as."""
    person_subject_as: str | None = None
    """A statement whose subject is a person the home's names own, as one a pronoun opens ("{rest}"):
    hub.nlu.framing.Framing.subject_as."""
    pity_words: frozenset[str] = frozenset()
    """Said before that person (after a determiner at most), they say nothing of who: "poor tama's
    shivering"."""
    possessive_endings: tuple[str, ...] = ()
    """How a word ends that says whose a thing is ("Keoni's fan"): hub.nlu.framing.Framing.owner_words,
    and replies name such a thing without an article (:meth:`Language.the`)."""
    owner_markers: tuple[str, ...] = ()
    """Words after which a name's last words are whose it is ("Heater of Nanna"):
    hub.nlu.framing.Framing.owner_words."""
    possessive_pronouns: frozenset[str] = frozenset()
    """Words that say whose a thing is as a person said before them would ("keoni's light strip and
    | his | fan"): hub.nlu.framing.Framing.owned."""

    @field_validator("room_subject_as", "person_subject_as", "where_as", "reading_as")
    @classmethod
    def _subject_forms(cls, form: str | None, info) -> str | None:
        allowed = {"rest", "room"} if info.field_name == "room_subject_as" else {"rest"}
        try:
            fields = {f for _, f, _, _ in string.Formatter().parse(form or "") if f is not None}
        except ValueError as e:
            raise ValueError(f"not a template: {e}") from None
        if fields - allowed or "rest" not in fields and form is not None:
            raise ValueError(f"must say {{rest}}{' and may say {room}' if 'room' in allowed else ''}, "
                             f"and nothing else in braces; it says {sorted(fields)}")
        return form
    purpose_leads: frozenset[str] = frozenset()
    """Words that end a command with whom or what it is for ("... for oisin", "... for the baths")."""
    purpose_words: int = 3
    """The most words after such a lead."""
    complaint_words: list[str] = []
    complaint_forms: list[str] = []
    """Said for the first of ``complaint_words`` before a complaint ("so dark" is "too dark")."""
    degree_words: list[str] = []
    """Words that only say how much ("really", "proper"): an implied phrase is found without them."""
    degree_after: list[str] = []
    """Words after which a ``degree_words`` word is read away ("it's some cold": "it's cold")."""
    dropped_endings: dict[str, str] = {}
    """An ending said short -> the full one ("in" -> "ing"), read where only the full spelling is a word."""
    pronoun_forms: dict[str, str] = {}
    """A pronoun's spoken form -> the pronoun, read so right after a command verb ("turn em off")."""
    possessive_forms: dict[str, str] = {}
    """A pronoun said for a possessive -> the possessive, read so right before one of
    :attr:`possessed` ("put the fire on for me nan": "my nan", no "for me" said for whom)."""
    possessed: frozenset[str] = frozenset()
    collective_pronouns: dict[str, str] = {}
    """A person pronoun with "all" -> the pronoun ("we all in the house now": no device's "all")."""
    separable_verbs: dict[str, str] = {}
    """A verb and the particle after its device ("pull ... to") -> the verb they make ("close")."""
    landmark_words: list[str] = []
    """Words after a name that make a device said next a landmark ("the floor lamp by the tv")."""
    plug_verbs: dict[str, str] = {}
    """A verb that says a plug is meant ("plug in") -> the command verb it is ("turn on")."""
    plug_nouns: list[str] = []
    """The last words of a plug's name ("Truck plug") that :attr:`plug_verbs` complete."""
    complaint_worse: dict[str, list[str]] = {}
    """After a complaint word, the intents that would make each complaint worse ("too quiet": mute)."""
    complaint_means: dict[str, str] = {}
    """A complaint word -> the intent it asks for, which its ``complaint_worse`` readings are read as."""
    checking_leads: list[str] = []
    name_modifiers: list[str] = []
    still_words: list[str] = []
    aspect_words: list[str] = []
    """Words that change nothing a clause asks ("still"): read again without them when it reads as none."""
    optional_articles: frozenset[str]
    polar_words: frozenset[str]
    particle_verbs: frozenset[str] = frozenset()
    """Polar verbs whose way a following particle says instead ("let the blind down")."""
    particles: frozenset[str] = frozenset()
    lead_words: frozenset[str]
    name_determiners: frozenset[str]
    wishes: list[str]
    here_words: list[str]
    place_words: list[str]
    area_word: str
    reader_type_words: dict[str, list[str]]
    time: TimeWords
    step_leads: dict[str, Literal["up", "down"] | None]
    level_lead: str = "to"
    """The word a level is said after ("set the blind to 50 percent"), which the phrases below become."""
    level_phrases: list[str] = []
    """Phrases after which a number is the level to leave a device at ("till it's a quarter open")."""
    level_hedges: list[str] = []
    """Words between such a phrase and its number that say nothing of the level ("just", "only")."""
    amounts: dict[str, float]
    amount_forms: dict[float, str] = {}
    """The one phrase each size of amount is read as ("a wee bit" is read as "a bit")."""
    amountless: frozenset[str] = frozenset()
    """Intents an amount said with makes unclear ("turn the tv off a bit": whisper's "off" for "up")."""
    amount_not_after: frozenset[str] = frozenset()
    """Words before an amount phrase that make it a time, no amount ("for a bit")."""
    comparatives: dict[str, dict[str, str]]
    type_verbs: dict[str, dict[str, str]] = {}
    """A verb -> device type -> the action it asks of that type where the intent has none ("close the light")."""
    arm_occasions: dict[str, list[str]] = {}
    """An alarm mode -> the phrases that say its occasion ("for the night"): with no mode named,
    an alarm armed in such words is armed in that mode (hub.nlu.parser)."""
    group_questions: GroupWords
    answers: Answers
    confirm_words: list[str]


# ---------------------------------------------------------------- implied.yaml
class ImpliedDevice(_Strict):
    said: list[str] = []
    """Phrases that imply the device; ``{area}`` stands for any area's name ("water the {area}").
    Written as templates ("(floor|floors) (is|are) dirty"), each is read as all its phrasings."""
    about: list[str] = []
    states: list[str] = []
    """A word of ``about`` and one of ``states`` anywhere in the clause imply it too, whatever is said
    around them: "the floors are manky wi dog hair", "the grass is gasping it's been awfy dry"."""
    names: list[str] = []
    types: list[str]
    intent: str
    if_off: str | None = None
    """What is asked instead of a device known to be off (the heating's thermostat turned up for the
    cold is switched on if it is off): :attr:`hub.types.Command.if_off`."""
    if_on: str | None = None
    """What is asked instead of a device known to be on (a room heater switched on for the cold is
    turned up if it is on already): :attr:`hub.types.Command.if_on`."""
    undo: str | None = None
    in_area: str | None = None
    sole: list[str] = []
    """Types whose one device in the home is meant when none is named for it (the home's one valve)."""
    in_room: bool = False
    """With a room said (or "in here"), only a device of that room, or of none (the whole home), is
    meant: "it's damp in the attic" is no dehumidifier of the cellar."""
    room_only: bool = False
    """The devices of ``types`` (and ``names``, if any) in the room meant, the one said or else the
    speaker's, and never one of another room or of none: "it's roasting in the den" is the den's
    fan. With none there the entry is passed over, for the next one or the clause's own reading."""
    own_room: bool = False
    """Only a device of the room named, or else of the speaker's, never one of another room or of
    none: "the sun's in my eyes" draws the blinds where it is said ("in my eyes" names no room, so
    no place is read from the clause as ``room_only`` reads one)."""
    whole_home: bool = False
    """The device of ``types`` that serves the whole home wherever it hangs: of no room, or named so
    (language.yaml ``whole_home_names``): "it's parky in here", said in a kitchen with nothing of
    its own (an entry after the ``room_only`` ones), is the thermostat in the hall."""
    not_names: list[str] = []
    """Words of a device's name or alias that rule it out (a "Wood stove fan" is no answer to heat)."""


    @field_validator("said")
    @classmethod
    def _phrasings(cls, said: list[str]) -> list[str]:
        try:
            return list(dict.fromkeys(p for t in said for p in expand(t)))
        except TemplateError as e:
            raise ValueError(str(e)) from None

    @model_validator(mode="after")
    def _said_somehow(self) -> "ImpliedDevice":
        if not self.said and not (self.about and self.states):
            raise ValueError("needs `said` phrases, or both `about` and `states` words")
        if bool(self.about) != bool(self.states):
            raise ValueError("`about` and `states` go together: a word of each implies the device")
        return self

    def states_said(self, things: set[str]) -> str | None:
        """The ``about`` and ``states`` words a clause holds, as one phrase, or None. ``things`` is
        the clause's words with their singulars (:meth:`Language.with_singulars`): a thing may be
        said with "'s" ("the lawn's looking pretty crook", normalised "lawns"), and so may a state
        ("the kitchen's full of smoke")."""
        thing = next((w for w in self.about if w in things), None)
        state = next((w for w in self.states if w in things), None)
        return f"{thing} {state}" if thing and state else None


class ImpliedFile(_Strict):
    implied: list[ImpliedDevice]


# ---------------------------------------------------------------- the loaded language
@dataclass(frozen=True)
class Intent:
    """One intent of commands.yaml with its templates parsed."""

    name: str
    types: tuple[str, ...]
    generic: bool
    templates: tuple[tuple[Seq, tuple[str, ...]], ...]
    """(template tree, device types its {target} is drawn from)."""
    family: str | None
    needs: str | None
    prefers: tuple[str, ...]
    everything: tuple[str, ...]
    named_only: bool
    asks: bool
    acts: dict[str, tuple[Alternative, ...]]
    """Device type ("*": any) -> alternatives; for a family intent, the family's table."""

    def alternatives(self, device_type: str) -> tuple[Alternative, ...]:
        """What this intent may do to a device of ``device_type`` (:attr:`acts`, else its ``"*"``)."""
        return self.acts.get(device_type) or self.acts.get("*") or ()


@dataclass(frozen=True)
class Language:
    """Everything of one intents/<language>/ folder, validated. Build with :func:`load_language`."""

    dir: Path
    intents: dict[str, Intent]
    """commands.yaml, in file order."""
    extras: dict[str, Intent]
    """template_extras.yaml (template reader only)."""
    lexicon: LexiconFile
    grammar: GrammarFile
    responses: Responses
    """responses.yaml: every sentence the hub says (:mod:`hub.reply.responses`)."""
    implied: tuple[ImpliedDevice, ...]
    """implied.yaml: devices implied by what is asked."""
    raw: dict[str, Any]
    """Each file's YAML as read, by file stem (``raw["lexicon"]["colors"]``); responses.yaml is
    :attr:`responses` alone."""

    def say(self, key: str, **fields: Any) -> str:
        """The reply sentence ``key`` of responses.yaml with its fields filled."""
        return getattr(self.responses, key).format(**fields)

    def join(self, names: list[str]) -> str:
        """["a", "b", "c"] -> "a, b and c" (responses.yaml list words)."""
        r = self.responses
        return names[0] if len(names) == 1 else r.list_separator.join(names[:-1]) + r.list_last + names[-1]

    def join_or(self, names: list[str]) -> str:
        """["a", "b", "c"] -> "a, b or c" (a question's options)."""
        r = self.responses
        return names[0] if len(names) == 1 else r.list_separator.join(names[:-1]) + r.list_or + names[-1]

    def the(self, name: str, kind: str | None = None) -> str:
        """A device or area as replies name it: "the den lamp"; a device of a ``kind`` (type) in
        responses.yaml ``bare_names`` by its name alone ("movie night"), and so a name that says whose
        it is (language.yaml ``possessive_endings``: "keoni's fan"). A name is lower-cased for the
        middle of a sentence but its initialisms stay ("the TV", "the LED strip")."""
        name = " ".join(w if len(w) > 1 and w.isupper() else w.lower() for w in name.split())
        first = name.split()[0] if name.split() else ""
        endings = tuple(self.grammar.possessive_endings)
        if kind in self.responses.bare_names or (endings and first.endswith(endings)):
            return name
        return self.responses.device.format(name=name)

    def family(self, intent: str) -> str | None:
        spec = self.intents.get(intent)
        return spec.family if spec else None

    def members(self, family: str) -> frozenset[str]:
        """The intents of a family (set / up / down)."""
        return frozenset(i for i, s in self.intents.items() if s.family == family)

    @cached_property
    def value_words(self) -> frozenset[str]:
        """Every word of a colour, white, mode or fan speed."""
        lx = self.lexicon
        return frozenset(w for src in (lx.colors, lx.color_temps, lx.hvac_modes, lx.fan_speeds)
                         for x in src for w in str(x).split())

    @cached_property
    def addressed_phrases(self) -> tuple[tuple[str, ...], ...]:
        """An assistant's names (lexicon.yaml ``addressed``) as word tuples, longest first."""
        return self.addressed_with(())

    def addressed_with(self, names: Iterable[tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
        """:attr:`addressed_phrases` and a home's own names for its hub (normalised word tuples,
        e.g. ``("nova",)`` from config.yaml's hub.name), each also after an ``address_openers``
        word ("hey nova"); longest first."""
        lx, names = self.lexicon, tuple(names)
        own = {(o, *n) for n in names if n[0] not in lx.address_openers for o in lx.address_openers} | set(names)
        return tuple(sorted({tuple(x.split()) for x in lx.addressed} | own, key=len, reverse=True))

    @cached_property
    def repair_marker_phrases(self) -> tuple[tuple[str, ...], ...]:
        """language.yaml ``repair_markers`` as word tuples, longest first."""
        return tuple(sorted((tuple(x.split()) for x in self.grammar.repair_markers), key=len, reverse=True))

    @cached_property
    def present_time_phrases(self) -> tuple[tuple[str, ...], ...]:
        """language.yaml ``present_times`` as word tuples, longest first."""
        return tuple(sorted((tuple(x.split()) for x in self.grammar.present_times), key=len, reverse=True))

    @cached_property
    def filler_phrases(self) -> tuple[tuple[str, ...], ...]:
        """Fillers as word tuples, longest first."""
        return tuple(sorted((tuple(x.split()) for x in self.lexicon.fillers), key=len, reverse=True))

    @cached_property
    def color_words(self) -> frozenset[str]:
        return frozenset(w for c in self.lexicon.colors for w in c.split())

    @cached_property
    def correction_phrases(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(c.split()) for c in self.grammar.corrections)

    @cached_property
    def unit_words(self) -> frozenset[str]:
        u = self.grammar.units
        return frozenset((u.percent, u.degrees, u.kelvin))

    @cached_property
    def spelt_words(self) -> frozenset[str]:
        """The words of ``grammar.dictionary`` (CMU dictionary format: a word, its alternates marked
        "word(2)", then its phones), lower case; empty without one. Raises ModelIntegrityError if the
        file is missing or differs from the manifest."""
        if self.grammar.dictionary is None:
            return frozenset()
        from hub.modelset import packaged_file

        with packaged_file(self.grammar.dictionary).open(encoding="utf-8") as f:
            return frozenset(line.split(" ", 1)[0].split("(", 1)[0].lower() for line in f if line.strip())

    @cached_property
    def number_vocab(self) -> frozenset[str]:
        """Words the number reader knows (for spelling correction)."""
        n = self.grammar.numbers
        return frozenset([*n.units, *n.tens, n.hundred, n.thousand, n.point, *self.lexicon.number_words,
                          *(w for p in n.phrases for w in p.split())])

    @cached_property
    def amount_rewrites(self) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
        """Each amount phrase (``grammar.amounts``) whose size has a form (``grammar.amount_forms``)
        -> that form, as words, longest phrase first ("a wee bit" -> "a bit")."""
        g = self.grammar
        pairs = ((tuple(p.split()), tuple(g.amount_forms[v].split())) for p, v in g.amounts.items() if v in g.amount_forms)
        return tuple(sorted(pairs, key=lambda x: -len(x[0])))

    @cached_property
    def timed_shares(self) -> tuple[frozenset[str], frozenset[str]]:
        """For the normaliser's ``proportion_words``: the words after which such a word is a time's
        share, not a percent ("half an hour", "half past six", "half six", and the percent unit
        itself), and the durations that, just before, make it one too ("an hour and a half")."""
        t, num = self.grammar.time, self.grammar.numbers
        after = {self.grammar.units.percent, *t.amount_words, *t.durations, *t.clock_words, *num.units, *num.tens}
        return frozenset(after), frozenset(t.durations)

    @cached_property
    def contracted_is_before(self) -> tuple[str, ...]:
        """Words after which "'s" is "is" ("the gate's open"): the state words of group questions,
        ``still_words``, ``is_before`` and ``degree_words`` ("our room's absolutely roasting")."""
        gq = self.grammar.group_questions
        return tuple(sorted({*gq.states, *(w for ws in gq.states.values() for w in ws), *self.grammar.still_words,
                             *self.grammar.is_before, *self.grammar.degree_words}))

    @cached_property
    def phrasing_words(self) -> frozenset[str]:
        """Every word of the templates, of the lexicon and of implied.yaml's phrases: words a command
        may hold besides names (never "corrected" to another: "musty" is no "must")."""
        out = {w for spec in self.intents.values() for tree, _ in spec.templates for w in template_words(tree)}
        lx = self.lexicon
        for src in (lx.colors, lx.darkness_words, lx.color_temps, lx.hvac_modes, lx.fan_speeds,
                    lx.quantity_words, lx.type_words, lx.number_words, lx.fillers):
            out.update(w for x in src for w in str(x).split())
        out.update(w for e in self.implied for p in e.said for w in p.split() if not w.startswith("{"))
        out.update(self.grammar.degree_words)  # "gert" is no misspelt "get"
        return frozenset(out)

    @cached_property
    def starters(self) -> frozenset[str]:
        """Words that begin a command ("turn", "lock", "dim"...): an "and" before one starts a new clause."""
        return self.openers - set(self.grammar.not_starters)

    @cached_property
    def verbs(self) -> frozenset[str]:
        """Starters no question begins with ("turn", "mute", not "are", "which"): a command verb."""
        return self.starters - self.question_openers

    @cached_property
    def query_intent(self) -> str:
        """The intent that asks about a device's state (commands.yaml's one with ``asks``)."""
        return next(i for i, s in self.intents.items() if s.asks)

    @cached_property
    def question_openers(self) -> frozenset[str]:
        """Words a question of commands.yaml can begin with ("is", "whats")."""
        return self._openers_of(s for s in self.intents.values() if s.asks)

    @cached_property
    def openers(self) -> frozenset[str]:
        """Every word a template of commands.yaml can begin with (questions' "whats" too)."""
        return self._openers_of(self.intents.values())

    @staticmethod
    def _openers_of(specs) -> frozenset[str]:
        out: set[str] = set()

        def first(node) -> None:
            if isinstance(node, Word):
                out.add(node.text)
            elif isinstance(node, Seq) and node.items:
                first(node.items[0])
                if isinstance(node.items[0], Alt) and node.items[0].optional and len(node.items) > 1:
                    first(node.items[1])
            elif isinstance(node, Alt):
                for o in node.options:
                    first(o)

        for spec in specs:
            for tree, _ in spec.templates:
                first(tree)
        return frozenset(out)

    def intent_words(self, intent: str, types: frozenset[str] | None = None) -> frozenset[str]:
        """Every literal word of an intent's templates; with ``types``, of those that act on one of
        them ("set ... off" starts a vacuum, never a light)."""
        if types is None:
            return self._intent_words.get(intent, frozenset())
        spec = self.intents.get(intent)
        return frozenset(w for tree, ts in (spec.templates if spec else ()) if set(ts) & types
                         for w in template_words(tree))

    def type_phrases(self, intent: str) -> frozenset[tuple[str, ...]]:
        """Runs of two or more literal words of an intent's templates that hold a type word of no
        type the template acts on: "let some light in" (open: covers) says "light" as the thing let
        in, no light to open; "lights on" (turn_on of lights) is not one."""
        return self._type_phrases.get(intent, frozenset())

    @cached_property
    def _type_phrases(self) -> dict[str, frozenset[tuple[str, ...]]]:
        words = self.lexicon.type_words
        out: dict[str, frozenset[tuple[str, ...]]] = {}
        for name, spec in self.intents.items():
            runs = {run for tree, types in spec.templates for run in literal_runs(tree)
                    if len(run) > 1 and any(w in words and not set(words[w].types) & set(types) for w in run)}
            if runs:
                out[name] = frozenset(runs)
        return out

    @cached_property
    def statements_by_first(self) -> dict[str, tuple[tuple[str, ...], ...]]:
        """language.yaml ``statements`` as words, by their first word, the longest first: what
        :meth:`hub.nlu.framing.Framing.statement_said` looks up once per utterance."""
        out: dict[str, list[tuple[str, ...]]] = {}
        for st in self.grammar.statements:
            ws = tuple(st.split())
            out.setdefault(ws[0], []).append(ws)
        return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in out.items()}

    def phrased(self, intent: str, types: frozenset[str], said: tuple[str, ...]) -> bool:
        """Whether ``said`` (a clause's words, each device's name as ``{target}``) is a whole phrasing
        of a template of ``intent`` that acts on one of ``types``: ("set", "{target}", "off") is one
        of start's for a vacuum ("(send|set) {target} (off|cleaning|to clean)"), of no type's turn_off."""
        return any(said in ps for ps, ts in self._phrasings.get(intent, ()) if set(ts) & types)

    def said_after(self, intent: str, types: frozenset[str], word: str) -> frozenset[str]:
        """The words right after ``word`` in the phrasings of ``intent``'s templates that act on one of
        ``types`` (any, if empty; ``{target}`` for a name): "need" after "dont" in turn_off's "(we|i) (dont|do
        not) need {target}"."""
        return frozenset(p[k + 1] for ps, ts in self._phrasings.get(intent, ()) if not types or set(ts) & types
                         for p in ps for k in range(len(p) - 1) if p[k] == word)

    @cached_property
    def _phrasings(self) -> dict[str, tuple[tuple[frozenset[tuple[str, ...]], tuple[str, ...]], ...]]:
        return {name: tuple((frozenset(phrasings(tree)), ts) for tree, ts in spec.templates)
                for name, spec in self.intents.items()}

    @cached_property
    def _intent_words(self) -> dict[str, frozenset[str]]:
        return {name: frozenset(w for tree, _ in spec.templates for w in template_words(tree))
                for name, spec in self.intents.items()}

    def plural(self, word: str) -> bool:
        """Whether a word ends like a plural (language.yaml plural_endings / singular_endings)."""
        g = self.grammar
        return any(word.endswith(e) for e in g.plural_endings) and not any(word.endswith(e) for e in g.singular_endings)

    def with_singulars(self, words: set[str]) -> set[str]:
        """``words`` and the singular of each (:meth:`singular`)."""
        return words | {self.singular(w) for w in words}

    def singular(self, phrase: str) -> str:
        """Each word of 4+ letters without its plural ending ("lamps" -> "lamp")."""
        out = []
        for w in phrase.split():
            if len(w) > 3 and self.plural(w):
                w = w[:-len(next(e for e in self.grammar.plural_endings if w.endswith(e)))]
            out.append(w)
        return " ".join(out)


def literal_runs(node) -> set[tuple[str, ...]]:
    """The runs of literal words between slots in each phrasing of a template tree: "let some light
    in [the {area}]" -> {("let", "some", "light", "in"), ("let", "some", "light", "in", "the")}."""
    runs = set()
    for phrasing in phrasings(node):
        run: list[str] = []
        for w in (*phrasing, "{}"):
            if w.startswith("{"):
                if run:
                    runs.add(tuple(run))
                run = []
            else:
                run.append(w)
    return runs


def template_words(node) -> set[str]:
    """Every literal word of a template tree."""
    if isinstance(node, Word):
        return {node.text}
    if isinstance(node, Slot):
        return set()
    return {w for x in (node.items if isinstance(node, Seq) else node.options) for w in template_words(x)}


def _load(path: Path, model: type[BaseModel], problems: list[str]) -> tuple[Any, Any, LineMap]:
    """(validated object or None, raw data, line map) of one file; problems appended."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        problems.append(f"{path}: cannot read: {e.strerror or e}")
        return None, None, LineMap()
    data, found = parse_yaml(text, str(path))
    obj = validate(model, data, found) if isinstance(data, dict) else None
    if data is not None and not isinstance(data, dict):
        found.add_raw(1, "expected a mapping at the top")
    problems += found.messages()
    return (obj if not found else None), data, found.lines


def _intents(entries: dict[str, IntentEntry], families: dict[str, FamilyEntry], path: Path,
             lines: LineMap, problems: list[str]) -> dict[str, Intent]:
    out = {}
    for name, e in entries.items():
        templates = []
        for k, t in enumerate(e.templates):
            text, types = (t, e.types) if isinstance(t, str) else (t.t, t.types or e.types)
            try:
                templates.append((parse_template(text), tuple(types)))
            except TemplateError as err:
                problems.append(f"{path}:{lines.line(('intents', name, 'templates', k)) or '?'} "
                                f"intents.{name}.templates[{k}]: {err}")
        acts = _acts(families[e.family].acts) if e.family and e.family in families else _acts(e.acts)
        if e.family and e.family not in families:
            problems.append(f"{path}:{lines.line(('intents', name, 'family')) or '?'} intents.{name}.family: "
                            f"no family {e.family!r} under families")
        out[name] = Intent(name, tuple(e.types), e.generic, tuple(templates), e.family, e.needs,
                           tuple(e.prefers), tuple(e.everything),
                           e.named_only, e.asks, acts)
    return out


def load_language(code: str = "en", root: Path = INTENTS_ROOT) -> Language:
    """Load and check ``root/<code>/`` once per process (later calls share the object). Raises
    :class:`LanguageError` listing every problem with file:line (a missing file or key, a wrong
    kind of value, a template that does not parse, an intent without its refusal words in
    responses.yaml)."""
    return _load_language((Path(root) / code).resolve())


@lru_cache(maxsize=8)
def _load_language(d: Path) -> Language:
    problems: list[str] = []
    commands, raw_commands, c_lines = _load(d / "commands.yaml", CommandsFile, problems)
    extras, raw_extras, e_lines = _load(d / "template_extras.yaml", ExtrasFile, problems)
    lexicon, raw_lexicon, _ = _load(d / "lexicon.yaml", LexiconFile, problems)
    grammar, raw_grammar, _ = _load(d / "language.yaml", GrammarFile, problems)
    responses, r_found = read_responses(d / "responses.yaml")
    problems += r_found.messages()
    r_lines = r_found.lines
    implied, raw_implied, i_lines = _load(d / "implied.yaml", ImpliedFile, problems)
    intents = _intents(commands.intents, commands.families, d / "commands.yaml", c_lines, problems) if commands else {}
    extra = _intents(extras.intents, {}, d / "template_extras.yaml", e_lines, problems) if extras else {}
    if responses and commands:
        missing = [i.family or n for n, i in intents.items() if (i.family or n) not in responses.cannot_do]
        for key in dict.fromkeys(missing):
            problems.append(f"{d / 'responses.yaml'}:{r_lines.line(('cannot_do',)) or '?'} cannot_do: "
                            f"no words for {key!r} (an intent or family of commands.yaml)")
    if implied and commands:
        for k, e in enumerate(implied.implied):
            for key in ("intent", "if_off", "if_on", "undo"):
                if getattr(e, key) is not None and getattr(e, key) not in intents:
                    problems.append(f"{d / 'implied.yaml'}:{i_lines.line(('implied', k, key)) or '?'} "
                                    f"implied[{k}].{key}: {getattr(e, key)!r} is no intent of commands.yaml")
    if problems:
        raise LanguageError(problems)
    raw = {"commands": raw_commands, "template_extras": raw_extras, "lexicon": raw_lexicon,
           "language": raw_grammar, "implied": raw_implied}
    return Language(d, intents, extra, lexicon, grammar, responses, tuple(implied.implied), raw)
