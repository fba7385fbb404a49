"""Hot swap with the real model: a good version switches after its self-test; a badly trained one,
a corrupted one, or one activated from the command line that fails its self-test is rolled back
and the running parser stays."""

from __future__ import annotations

import time

import numpy as np
import pytest
from conftest import WAIT_S
from test_registry_helpers import flip_byte, make_bad_model, make_version

from hub.config_load import load_config
from hub.errors import ModelIntegrityError
from hub.nlu import load_parser
from hub.pipeline import Pipeline
from hub.registry.crypto import KEY_ENV, ModelKeyError, encrypt_version
from hub.registry.swap import HotSwapper, SelfTestCase, load_active, run_self_test, self_test_cases
from hub.types import AudioFrame


@pytest.fixture(scope="module")
def cfg():
    return load_config("config.yaml")


@pytest.fixture(scope="module")
def v1_parser(cfg):
    return load_parser(cfg)


@pytest.fixture
def swapper(reg, cfg, v1_parser):
    """A swapper that hands new parsers to a list (what the pipeline would receive)."""
    received = []
    sw = HotSwapper(received.append, lambda d: load_parser(cfg, d), reg, self_test_cases(cfg),
                    current=v1_parser, current_version="v1")
    sw.received = received
    return sw


def test_self_test_covers_opposite_actions(cfg, v1_parser):
    cases = self_test_cases(cfg)
    intents = {c.intent for c in cases}
    assert {"turn_on", "turn_off", "lock", "unlock", None} <= intents
    report = run_self_test(v1_parser, cases)
    assert report.passed and report.correct == report.total


def test_opposite_action_fails_the_self_test_outright(v1_parser):
    cases = [SelfTestCase("unlock the front door", "lock", "front_door")] + [
        SelfTestCase("turn on the kitchen light", "turn_on", "kitchen_light")] * 20
    report = run_self_test(v1_parser, cases)
    assert report.correct == 20 and not report.passed


def test_good_version_switches(swapper, reg, tmp_path):
    reg.install(make_version(tmp_path / "v2", "v2"))
    result = swapper.switch("v2")
    assert result.ok and result.active == "v2" and result.switch_ms is not None
    assert reg.active_version() == "v2"
    [parser] = swapper.received
    assert parser.model.version == "v2" and swapper.current is parser
    assert swapper.follow_registry() is None


def test_badly_trained_version_is_refused_and_the_old_parser_stays(swapper, reg, tmp_path, v1_parser):
    reg.install(make_bad_model(tmp_path / "v2", "v2"))
    result = swapper.switch("v2")
    assert not result.ok and result.active == "v1"
    assert any("expected '" in f for f in result.failures)  # wrong intents: the self-test names them
    assert swapper.received == [] and swapper.current is v1_parser
    assert reg.active_version() == "v1" and "v2" in reg.failed()


def test_cli_activated_version_failing_its_self_test_rolls_back(swapper, reg, tmp_path):
    reg.install(make_bad_model(tmp_path / "v2", "v2"))
    reg.activate("v2")  # as `hub models activate v2` from another process would
    result = swapper.follow_registry()
    assert result is not None and not result.ok
    assert reg.active_version() == "v1"
    assert swapper.received == [] and swapper.version == "v1"


def test_corrupted_version_is_refused(swapper, reg, tmp_path):
    reg.install(make_version(tmp_path / "v2", "v2"))
    flip_byte(reg.root / "v2" / "tokenizer.json")
    result = swapper.switch("v2")
    assert not result.ok and result.failures[0].startswith("load: ")
    assert reg.active_version() == "v1" and swapper.received == []


def test_encrypted_version_switches(swapper, reg, tmp_path):
    key = bytes(range(32))
    plain = make_version(tmp_path / "plain" / "v2", "v2")
    reg.install(encrypt_version(plain, tmp_path / "enc" / "v2", key))
    swapper.key = key
    assert swapper.switch("v2").ok
    assert swapper.received[0].parse("lock the front door", area=None).intent == "lock"


class FakeWake:
    """Never hears the wake word: lets one frame through the pipeline so pending swaps apply."""

    def process(self, frame):
        return None

    def reset(self):
        pass


def test_pipeline_takes_the_new_parser_between_utterances(reg, cfg, v1_parser, tmp_path):
    pipeline = Pipeline(FakeWake(), None, None, v1_parser, None, area=None)
    sw = HotSwapper(lambda parser: pipeline.replace(parser=parser), lambda d: load_parser(cfg, d), reg,
                    self_test_cases(cfg), current=v1_parser, current_version="v1")
    reg.install(make_version(tmp_path / "v2", "v2"))
    assert sw.switch("v2").ok
    assert pipeline.parser is v1_parser  # nothing changes mid-utterance
    list(pipeline.run([AudioFrame(np.zeros(1280, np.int16), 0)]))
    assert pipeline.parser.model.version == "v2"


def test_start_falls_back_from_a_corrupted_active_version(reg, cfg, tmp_path):
    reg.install(make_version(tmp_path / "v2", "v2"))
    reg.activate("v2")
    flip_byte(reg.root / "v2" / "model.onnx")
    parser, version = load_active(reg, lambda d: load_parser(cfg, d), self_test_cases(cfg))
    assert version == "v1" and parser.model.version == "v1"
    assert reg.active_version() == "v1" and "model.onnx" in reg.failed()["v2"]


def test_start_refuses_when_no_good_version_is_left(reg, cfg):
    flip_byte(reg.root / "v1" / "labels.json")
    with pytest.raises(ModelIntegrityError, match="no earlier good model version"):
        load_active(reg, lambda d: load_parser(cfg, d), self_test_cases(cfg))


def test_missing_key_is_not_blamed_on_the_model(swapper, reg, tmp_path, monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)
    plain = make_version(tmp_path / "plain" / "v2", "v2")
    reg.install(encrypt_version(plain, tmp_path / "enc" / "v2", bytes(range(32))))
    with pytest.raises(ModelKeyError, match=KEY_ENV):
        swapper.switch("v2")
    assert reg.failed() == {} and reg.active_version() == "v1"


def test_watcher_follows_a_command_line_activation(swapper, reg, tmp_path):
    reg.install(make_version(tmp_path / "v2", "v2"))
    swapper.start_watching(interval_s=0.05)
    try:
        reg.activate("v2")  # as `hub models activate v2` from another process would
        deadline = time.monotonic() + WAIT_S
        while swapper.version != "v2" and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        swapper.stop_watching()
    assert swapper.version == "v2" and swapper.received[-1].model.version == "v2"
