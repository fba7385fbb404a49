"""The home's grammar recogniser as the full set's last opinion (hub.asr.grammar_opinion), with the
real pocketsphinx grammar, parser and whisper tiny.en."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from hub.asr import load_transcriber
from hub.asr.grammar import GrammarTranscriber, build_grammar
from hub.asr.grammar_opinion import GrammarOpinion, Heard
from hub.asr.rescore import Rescorer
from hub.asr.whisper import Hypothesis, WhisperTranscriber, vocabulary_from_config
from hub.config_load import load_config
from hub.errors import ConfigError
from hub.nlu import load_parser
from hub.types import Transcript

ROOT = Path(__file__).resolve().parent.parent
HOME = ROOT / "config.yaml"
COMMAND = "lock the front door"
CHAT = "what a lovely afternoon it is"


@pytest.fixture(scope="module")
def cfg():
    return load_config(HOME)


@pytest.fixture(scope="module")
def parser(cfg):
    return load_parser(cfg)


@pytest.fixture(scope="module")
def rescorer(cfg, parser):
    return Rescorer(parser, cfg.hub.area)


@pytest.fixture(scope="module")
def opinion(cfg, rescorer):
    return GrammarOpinion(GrammarTranscriber(cfg, strict=False), rescorer)


def test_the_grammar_reading_stands_only_as_a_sure_command(opinion, rescorer, piper):
    heard = opinion.hear(piper(COMMAND))
    assert heard is not None and heard.transcript.recogniser == "grammar" and heard.transcript.text == COMMAND
    assert heard.commands == rescorer.understand(COMMAND)[0]
    # above any score the grammar gives: whisper's transcript stands
    assert GrammarOpinion(opinion.grammar, rescorer, min_confidence=1.01).hear(piper(COMMAND)) is None
    # ... unless it gives the very commands of an unsure whisper reading: two recognisers agree
    agreed = GrammarOpinion(opinion.grammar, rescorer, min_confidence=1.01).hear(piper(COMMAND), frozenset({heard.commands}))
    assert agreed is not None and (agreed.transcript.text, agreed.commands) == (COMMAND, heard.commands)
    # a reading the parser is not sure enough of stands neither way
    doubting = Rescorer(rescorer.parser, rescorer.area, sure=1.01)
    assert GrammarOpinion(opinion.grammar, doubting).hear(piper(COMMAND), frozenset({heard.commands})) is None


class FakeOpinion:
    """A fake grammar opinion: records what it was asked and answers with a fixed reading."""

    def __init__(self, answer: Heard | None):
        self.answer, self.asked = answer, 0

    def hear(self, samples: np.ndarray, agree: frozenset = frozenset()) -> Heard | None:
        self.asked += 1
        return self.answer


@pytest.fixture(scope="module")
def tiny(cfg, parser):
    return WhisperTranscriber(vocabulary_from_config(cfg), model="tiny.en", hypotheses=5,
                              rescorer=Rescorer(parser, cfg.hub.area), min_avg_logprob=cfg.asr.min_avg_logprob)


def test_whisper_asks_the_grammar_only_when_it_has_no_sure_command(tiny, rescorer, piper):
    said = Transcript(text="turn on the kitchen light", confidence=0.7, recogniser="grammar")
    tiny.grammar = fake = FakeOpinion(Heard(said, rescorer.understand(said.text)[0]))
    try:
        t = tiny.transcribe(piper(COMMAND))
        assert fake.asked == 0 and t.recogniser == "whisper tiny.en"
        t = tiny.transcribe(piper(CHAT))
        assert fake.asked == 1 and t.text == said.text and t.recogniser == "grammar" and t.ms > 0
        # the quick reading of a pause never waits for another opinion
        tiny.transcribe_ahead(piper(CHAT))
        assert fake.asked == 1
        fake.answer = None  # the grammar found no sure command either: whisper's reading stands
        t = tiny.transcribe(piper(CHAT))
        assert fake.asked == 2 and t.recogniser == "whisper tiny.en"
    finally:
        tiny.grammar = None


def test_a_command_whisper_did_not_rank_first_is_checked_by_the_grammar(tiny, rescorer, piper):
    # a fake decode: whisper's beam as it was for "pause the radio" (tests/asr_cases heldout-029)
    beam = [Hypothesis("Ours the radio.", -0.595, 0.01, 1.0), Hypothesis("Off the radio.", -0.586, 0.01, 1.0),
            Hypothesis("Lost the radio.", -0.658, 0.01, 1.0)]
    real_decode, tiny.decode = tiny.decode, lambda audio, **kw: beam
    pause = Transcript(text="pause the radio", confidence=0.74, recogniser="grammar")
    try:
        tiny.grammar = fake = FakeOpinion(Heard(pause, rescorer.understand(pause.text)[0]))
        t = tiny.transcribe(piper("pause the radio"))
        assert fake.asked == 1 and t.text == "Off the radio." and "pause the radio" in t.unsure
        fake.answer = Heard(pause, rescorer.understand("turn off the radio")[0])  # the same command: it stands
        assert tiny.transcribe(piper("pause the radio")).unsure is None
        tiny.decode = lambda audio, **kw: beam[1:]  # whisper's own best: not checked
        assert tiny.transcribe(piper("pause the radio")).unsure is None and fake.asked == 2
    finally:
        tiny.decode, tiny.grammar = real_decode, None


def test_a_wildcard_sentence_is_left_out_of_the_full_sets_grammar():
    home = load_config(ROOT / "tests" / "sentences_home" / "config.yaml")
    with pytest.raises(ConfigError, match=r"kitchen\.yaml:11 .*\{album\}"):
        build_grammar(home)
    grammar = build_grammar(home, strict=False)
    assert any("{album}" in s for s in grammar.skipped)
    assert "album" not in grammar.jsgf


def test_the_second_opinion_hears_with_the_names_alone(cfg):
    """The first model's prompt opens with the verbs; base's names the home only, so that the two
    err differently (intents/en/asr_prompt.yaml)."""
    from hub.asr.prompt import load_prompts, prompt_path
    from hub.asr.whisper import prompt_names_of, vocabulary_from_config

    prompts = load_prompts(prompt_path(cfg.hub.language))
    asr = load_transcriber(cfg.model_copy(update={"asr": cfg.asr.model_copy(update={"grammar_opinion": False})}))
    assert asr.prompt.startswith(prompts.template.split("{names}")[0])
    names_only = prompts.names.split("{names}")[0]
    assert asr.second.prompt == asr.second.ahead_prompt and asr.second.prompt.startswith(names_only)
    assert asr.ahead_prompt.startswith(names_only)
    # ... those the first's prompt has no room for first (hub.asr.prompt.second_vocabulary), as the
    # first's tokenizer alone counts them (hub.asr.whisper.prompt_names_of)
    names = vocabulary_from_config(cfg)
    assert prompt_names_of(cfg.asr.model, names, cfg.hub.language) == asr.prompt_names
    left = [n.lower() for n in names if n.lower() not in asr.prompt_names]
    assert asr.second.prompt_names[:len(left)] == left[:len(asr.second.prompt_names)]


def test_the_full_set_loads_the_grammar_opinion_unless_turned_off(cfg):
    lean = cfg.model_copy(update={"asr": cfg.asr.model_copy(update={"second_model": None})})
    assert isinstance(load_transcriber(lean).grammar, GrammarOpinion)
    off = lean.model_copy(update={"asr": lean.asr.model_copy(update={"grammar_opinion": False})})
    assert load_transcriber(off).grammar is None


def test_a_home_whose_grammar_cannot_be_built_is_heard_by_whisper_alone(cfg, monkeypatch, caplog):
    import hub.asr.grammar as grammar_module

    def fake_grammar(*args, **kwargs):  # a fake: as build_grammar refuses a home with no sayable name
        raise ConfigError("devices: no device has a name the grammar can say")

    monkeypatch.setattr(grammar_module, "GrammarTranscriber", fake_grammar)
    lean = cfg.model_copy(update={"asr": cfg.asr.model_copy(update={"second_model": None})})
    assert load_transcriber(lean).grammar is None
    assert "no grammar opinion" in caplog.text
