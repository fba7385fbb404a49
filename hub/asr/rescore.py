"""Choose among whisper's beam hypotheses by how well each parses as a command of this home.

Whisper's best-sounding hypothesis is often a near miss that means nothing here ("open the Mac
gate"), while a lower one is the command ("open the back gate"). Each hypothesis is scored

    score = avg_logprob + parse_weight * parse confidence

where ``avg_logprob`` is whisper's mean token log-probability (natural log, typically -0.1 to -1)
and the parse confidence is the parser's (0..1; 0 when the text gives no command). A confident
command of this home thus wins over a closer-sounding nonsense text, while between two commands
the acoustic score still decides. When the best reading and the best one that means a different
command score within ``margin`` of each other ("and lock the front door" against "unlock the front
door"), the choice is marked as a close call, so the transcript is confirmed rather than acted on;
with :class:`hub.asr.homophones.Homophones`, not where the two say the same sounds ("set to",
"set too"). A best reading that refused a clause beside one that acted gives way to a reading
within the margin, understood word for word, that gives all its commands and more.
With :class:`hub.asr.corrections.Corrections`, a hypothesis that
does not parse is also tried with whisper's known confusions corrected, and with
:class:`hub.asr.sound_alike.SoundAlike` with a run of its words replaced by the home's name they
sound like; a corrected text counts only if it parses and no hypothesis parses as heard, or if it
reads a name that a reading as heard refused beside what it did as the home's name it sounds like
(:meth:`Rescorer.completions`), and carries what was corrected.

The parser is anything with ``parse(text, area) -> Understanding`` (hub.nlu.load_parser).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, NamedTuple, Protocol

from hub.asr.corrections import Corrections, words
from hub.types import Command, Understanding

if TYPE_CHECKING:
    from collections.abc import Callable

    from hub.asr.homophones import Homophones
    from hub.asr.sound_alike import SoundAlike
    from hub.config import Config

PARSE_WEIGHT = 1.0
"""Log-probability per unit of parse confidence: a confident command (0.9) outweighs a mean
token log-probability gap of 0.9. Chosen on the development recordings (hub.asr.cases)."""
MARGIN = 0.2
"""Score difference under which two readings with different commands are a close call, for
whisper tiny.en and base (a model heard otherwise has its own: hub.asr.whisper.MARGINS)."""
SURE = 0.83
"""Parse confidence under which a command read from speech waits for a yes: a name matched
loosely ("switch the boat light off" read as the loft light). Chosen on the 275 development
recordings (hub.asr.cases): the least confident right command of them was read at 0.84."""


class Parser(Protocol):
    def parse(self, text: str, area: str | None) -> Understanding: ...


class Scored(Protocol):
    """What the rescorer reads of a hypothesis (hub.asr.whisper.Hypothesis)."""

    text: str
    avg_logprob: float


@dataclass(frozen=True)
class Choice:
    """The chosen reading."""

    hypothesis: Scored
    text: str
    """The hypothesis' text, or its corrected form."""
    corrected: tuple[str, ...]
    """Corrections applied, each ``"heard -> said"``; empty if none."""
    parse_confidence: float
    """The parser's confidence if the text gives commands, else 0."""
    score: float
    rank: int
    """Position of the hypothesis in whisper's own order (0: whisper's best)."""
    commands: tuple[str, ...] = ()
    """The parse's commands as sorted JSON strings; empty if none."""
    complete: bool = True
    """The parser understood every word of the text (hub.types.Understanding.complete)."""
    rival: str | None = None
    """Set by :meth:`Rescorer.choose`: the text of a reading with other commands that scored
    within the margin of this one; None if there is none."""
    rivals: tuple[str, ...] = ()
    """Set by :meth:`Rescorer.choose`: the texts of every such reading (:attr:`rival` is the first)."""
    rival_complete: bool = False
    """Set by :meth:`Rescorer.choose`: the parser understood every word of one of :attr:`rivals`
    (another whole command, not a garbled reading that some words of gave commands)."""
    partial: bool = False
    """A clause of the text was refused beside one that acted (hub.types.Understanding.partial)."""
    unknown_place: bool = False
    """The text named a room the home lacks and gave no command (hub.types.Understanding.unknown_place)."""
    unknown_name: bool = False
    """The text named a device the home lacks and gave no command (hub.types.Understanding.unknown_name)."""
    unnamed: bool = False
    """A command's devices were named by none of its words (hub.types.Understanding.unnamed)."""
    lacked: tuple[str, ...] = ()
    """Names said that the home lacks (hub.types.Understanding.lacked)."""
    completes: bool = False
    """A corrected reading of a text that refused a name the home lacks beside what it did: this
    one, a name of the home in its place, does all that did and more (:meth:`Rescorer.completions`)."""


class Reading(NamedTuple):
    """What a text means to :meth:`Rescorer.understand`."""

    commands: tuple[str, ...]
    """As :func:`command_keys` gives them."""
    confidence: float
    """The parser's, 0 when there are no commands."""
    complete: bool
    """Every word understood (hub.types.Understanding.complete)."""
    partial: bool
    """A clause refused beside one that acted (hub.types.Understanding.partial)."""
    unknown_place: bool = False
    """Refused for a room the home lacks (hub.types.Understanding.unknown_place)."""
    unknown_name: bool = False
    """Refused for a device the home lacks (hub.types.Understanding.unknown_name)."""
    unnamed: bool = False
    """A command's devices named by none of its words (hub.types.Understanding.unnamed)."""
    lacked: tuple[str, ...] = ()
    """Names said that the home lacks (hub.types.Understanding.lacked)."""


HEDGED = json.dumps({"hedged": True})
"""The key of a reading that negates or takes back a command (hub.types.Understanding.hedged)."""


def command_keys(u: Understanding) -> tuple[str, ...]:
    """An understanding's commands as sorted JSON strings, to compare readings by; a custom intent
    of hub.sentences, which acts with no device command, counts as one, and so does a hedged text
    (:data:`HEDGED`): "don't unlock the front door" is a reading of its own, not the absence of one,
    so it is weighed as a command is and stands as a rival to "go and unlock the front door"."""
    if u.hedged:
        return (HEDGED,)
    custom = (json.dumps({"intent": u.intent, "slots": u.slots}, sort_keys=True),) if u.slots is not None else ()
    return tuple(sorted(json.dumps(c.to_json(), sort_keys=True) for c in u.commands)) + custom


def guarded_keys(cfg: Config) -> Callable[[str], bool]:
    """Whether a command key (:func:`command_keys`) is a command of ``cfg``'s home that waits for a
    spoken yes before it is carried out (hub.devices.router.requires_confirmation: unlock, disarm,
    opening a garage door or gate)."""
    from hub.devices.router import requires_confirmation

    def guarded(key: str) -> bool:
        c = json.loads(key)
        return "device" in c and "action" in c and requires_confirmation(
            Command(c["device"], c["action"]), cfg.device_by_id.get(c["device"]))
    return guarded


class Rescorer:
    """Picks the hypothesis that is most likely a command of this home (see the module docstring).
    ``guarded``: which command keys wait for a spoken yes (:func:`guarded_keys`; None: none).
    ``language``: the intents/ language whose words that wait for more (``open_ends``,
    ``split_words``) end no reading in doubt of hearing."""

    def __init__(self, parser: Parser, area: str | None, corrections: Corrections | None = None,
                 parse_weight: float = PARSE_WEIGHT, margin: float = MARGIN, sure: float = SURE,
                 sounds: SoundAlike | None = None, homophones: Homophones | None = None,
                 guarded: Callable[[str], bool] | None = None, language: str = "en"):
        from hub.nlu.language import load_language

        g = load_language(language).grammar
        self.waiting = g.open_ends | g.split_words
        self.parser = parser
        self.area = area
        self.corrections = corrections
        self.sounds = sounds
        self.homophones = homophones
        self.parse_weight = parse_weight
        self.margin = margin
        self.sure = sure
        self.guarded = guarded

    def understand(self, text: str) -> Reading:
        """What ``text`` means in the rescorer's area (:class:`Reading`)."""
        u = self.parser.parse(text, self.area)
        commands = command_keys(u)
        # a hedged text was read as surely as a command (a negation before a command verb)
        confidence = 1.0 if u.hedged else u.confidence if commands else 0.0
        return Reading(commands, confidence, u.complete, u.partial, u.unknown_place, u.unknown_name, u.unnamed,
                       u.lacked)

    def _reading(self, h: Scored, text: str, applied: tuple[str, ...], rank: int) -> Choice:
        r = self.understand(text)
        return Choice(h, text, applied, r.confidence, h.avg_logprob + self.parse_weight * r.confidence, rank,
                      r.commands, r.complete, partial=r.partial, unknown_place=r.unknown_place,
                      unknown_name=r.unknown_name, unnamed=r.unnamed, lacked=r.lacked)

    def candidates(self, hypotheses: list[Scored]) -> list[Choice]:
        """Every reading considered, in whisper's order (corrected readings after their hypothesis);
        hypotheses that differ only in case and punctuation are read once."""
        out, seen = [], set()
        for rank, h in enumerate(hypotheses):
            if (key := " ".join(words(h.text))) in seen:
                continue
            seen.add(key)
            plain = self._reading(h, h.text, (), rank)
            out.append(plain)
            for fixer in (self.corrections, self.sounds) if not plain.commands else ():
                for text, applied in fixer.variants(h.text) if fixer is not None else ():
                    fixed = self._reading(h, text, applied, rank)
                    # a name guessed by sound must explain the whole text: a guess beside garbled
                    # words ("we're oven holiday home alarm invocation mat") is a guess on a guess
                    if fixed.commands and (fixer is self.corrections or fixed.complete):
                        out.append(fixed)
            out += self.completions(plain)
        return out

    def completions(self, plain: Choice) -> list[Choice]:
        """Readings of ``plain`` (a text as heard that acted and refused a name the home lacks) with
        the words of that name read as the home's name they sound like, where that reading is
        understood word for word and does all ``plain`` did and more: "lock the philips and close
        the kotina" gives "... close the kurtina". Empty without sound-alike names or such a name.
        (A name guessed from words the text did read, "i'm heating a bath" for "having", is none.)"""
        if self.sounds is None or not (plain.commands and plain.partial and plain.lacked):
            return []
        lacked = {w for name in plain.lacked for w in name.split()}
        out = []
        for text, applied in self.sounds.variants(plain.text):
            if not lacked & set(applied[0].split(" -> ")[0].split()):
                continue
            fixed = self._reading(plain.hypothesis, text, applied, plain.rank)
            if fixed.complete and not fixed.partial and set(plain.commands) < set(fixed.commands):
                out.append(replace(fixed, completes=True))
        return out

    def name_rivals(self, choice: Choice) -> tuple[str, ...]:
        """What a corrected reading must be heard ahead of for its guess to be the audio's (hub.asr.whisper
        ``settles``): the hypothesis as whisper wrote it and, for a name guessed by sound, the same
        words read as each other name of the home they sound near ("aneja's room" is "amma's room"
        and "aiya's room" alike). Empty for a reading not corrected."""
        if not choice.corrected:
            return ()
        ws = words(choice.hypothesis.text)
        out = [" ".join(ws)]
        if self.sounds is not None and len(choice.corrected) == 1:
            heard, name = (part.split() for part in choice.corrected[0].split(" -> "))
            for i in range(len(ws) - len(heard) + 1):
                if ws[i:i + len(heard)] == heard and ws[:i] + name + ws[i + len(heard):] == choice.text.split():
                    out += [" ".join(ws[:i] + other.split() + ws[i + len(heard):])
                            for _, other in self.sounds.near(heard) if other.split() != name]
                    break
        return tuple(dict.fromkeys(t for t in out if t != choice.text))

    def _sound_rivals(self, best: Choice) -> list[Choice]:
        """Readings of ``best``'s own words with a run that holds a word of the home's names read as
        the longer name it sounds like, where that is a whole command of its own: "turn on the
        fridge it air" (the Frigidaire, a window unit) beside the beer fridge that "fridge" named.
        Empty for a corrected reading or one without commands. (Other words read as a name are only
        a guess beside a command heard as said: no rival.)"""
        if self.sounds is None or not best.commands or best.corrected \
                or not self.sounds.may_start_longer(best.text):
            return []
        out = []
        for text, applied in self.sounds.variants(best.text, longer_only=True)[:1]:  # the nearest: one parse more
            r = self._reading(best.hypothesis, text, applied, best.rank)
            if r.commands and r.complete and r.commands != best.commands:
                out.append(r)
        return out

    def _guarded_apart(self, best: Choice, other: Choice) -> bool:
        """Whether ``best`` gives a command that waits for a spoken yes and ``other`` does not."""
        return self.guarded is not None and any(k not in other.commands and self.guarded(k) for k in best.commands)

    def choose(self, hypotheses: list[Scored], margin: float | None = None) -> Choice:
        """The best-scoring reading (the earliest on a tie), with :attr:`Choice.rival` set from
        rivals within ``margin`` (default :attr:`margin`). Raises ValueError if there is no hypothesis."""
        if not hypotheses:
            raise ValueError("no hypotheses to choose from")
        cands = self.candidates(hypotheses)
        # a name guessed by sound for one a reading as heard refused stands only in that reading's
        # place (below), never beside another reading nor as its rival
        named = [c for c in cands if c.completes]
        cands = [c for c in cands if not c.completes]
        # a correction is a last resort: where any hypothesis means a command as heard, the guesses go
        if any(c.commands and not c.corrected for c in cands):
            cands = [c for c in cands if not c.corrected]
        best = cands[0]
        for c in cands[1:]:
            if c.score > best.score:
                best = c
        margin = self.margin if margin is None else margin
        said = words(best.text)
        if not best.complete and not best.partial and not (said and said[-1] in self.waiting):
            # "closer conservatory blinds, and turn off the delonghi" beside "close the conservatory
            # blinds and ...": a close reading of the same commands understood word for word is the
            # better transcript of them (where a part was refused, below: "mute the visito | and turn
            # the porch speaker up" is no "view the visitoro and ..."); never of words that wait for
            # more ("turn the kitchen light on for", a pause, is no "... on for it"), nor with fewer words
            same = [c for c in cands if c.complete and not c.corrected and not c.partial and c.commands
                    and c.commands == best.commands and best.score - c.score < margin
                    and len(words(c.text)) >= len(said)]
            best = max(same, key=lambda c: c.score, default=best)
        if best.partial:
            # "turn the big screen off and the city lamp on" beside "... the settee lamp on": a close
            # reading understood word for word that does all this one does and what it refused
            whole = [c for c in cands if c.complete and not c.corrected and not c.partial
                     and set(best.commands) < set(c.commands) and best.score - c.score < margin]
            best = max(whole, key=lambda c: c.score, default=best)
        if best.partial:
            # none heard word for word: "close the kotina" read as the kurtina, the home's name it
            # sounds like (a guess that waits for a yes, or a second model hearing it)
            guessed = [c for c in named if set(best.commands) < set(c.commands) and best.score - c.score < margin]
            best = max(guessed, key=lambda c: c.score, default=best)
        rivals = [c for c in cands if c.commands and c.commands != best.commands and best.score - c.score < margin]
        if best.complete and (not best.corrected or best.completes):
            # a reading understood word for word is not in doubt against readings that are not (a
            # guessed name's against the text as heard: hub.asr.whisper weighs those, name_rivals),
            # unless it does what waits for a yes and they do not: "then unlock the front door"
            # beside "una lock the front door" (blind90's Gullah "oonuh lock")
            rivals = [c for c in rivals if c.complete or self._guarded_apart(best, c)]
        # "put the lights on in were room" above "... in the room": a room whisper heard first and
        # the home lacks puts in doubt the reading that acts in a room it has
        rivals += [c for c in cands if c.unknown_place and not c.corrected and c.rank < best.rank
                   and best.hypothesis.avg_logprob - c.hypothesis.avg_logprob < margin]
        if best.commands and best.unnamed and not best.complete:
            # "put the same so you're eighteen degrees" (the speaker's room's aircon) beside "put the
            # sams on eighteen degrees": a device whisper may have heard, which this reading names none of
            rivals += [c for c in cands if c.unknown_name and not c.corrected
                       and abs(best.hypothesis.avg_logprob - c.hypothesis.avg_logprob) < margin]
        rivals += self._sound_rivals(best)
        if self.homophones is not None and best.complete and not best.corrected:
            # "set too" beside "set to": the same sounds spelt otherwise are no doubt of hearing where
            # this reading is understood word for word (the score weighed both spellings' parses);
            # a garbled one that a spelling decides stays in doubt ("coffee son's aircon ...")
            rivals = [c for c in rivals if not self.homophones.same(best.text, c.text)]
        if not rivals:
            return best
        return replace(best, rival=rivals[0].text, rivals=tuple(c.text for c in rivals),
                       rival_complete=any(c.complete for c in rivals))
