"""A/B routing: the candidate gets the configured share of 1,000 utterances, deterministically,
and each version's figures (count, confidence, refusals, latency) are reported."""

from __future__ import annotations

import pytest

from hub.config_load import load_config
from hub.nlu import load_parser
from hub.registry.ab import ABParser
from hub.types import Command, Understanding

UTTERANCES = [f"turn on light number {i % 37}" for i in range(1000)]


class FakeParser:
    """Answers every utterance with one fixed understanding (no model: this tests the routing)."""

    def __init__(self, confidence: float, refuse_every: int = 0):
        self.confidence, self.refuse_every, self.calls = confidence, refuse_every, 0

    def parse(self, text: str, area: str | None) -> Understanding:
        self.calls += 1
        refused = self.refuse_every and self.calls % self.refuse_every == 0
        commands = () if refused else (Command("light", "turn_on"),)
        return Understanding(text, None if refused else "turn_on", commands, self.confidence)


def _run(share: float, seed: int) -> tuple[ABParser, list[str]]:
    ab = ABParser(FakeParser(0.9), FakeParser(0.6, refuse_every=4), share, seed,
                  control_version="v1", candidate_version="v2")
    routes = []
    for text in UTTERANCES:
        before = ab.candidate.calls
        ab.parse(text, area=None)
        routes.append("candidate" if ab.candidate.calls > before else "control")
    return ab, routes


@pytest.mark.parametrize("share", [0.0, 0.1, 0.25, 0.5, 1.0])
def test_share_within_tolerance_over_1000_utterances(share):
    ab, routes = _run(share, seed=7)
    report = ab.report()
    # 4 binomial standard deviations at n = 1000: at most 0.064 at share 0.5.
    tolerance = 4 * (share * (1 - share) / 1000) ** 0.5
    assert abs(report["realised_share"] - share) <= tolerance
    assert report["control"]["count"] + report["candidate"]["count"] == 1000
    assert routes.count("candidate") == report["candidate"]["count"]


def test_routing_is_deterministic_per_seed():
    assert _run(0.3, seed=1)[1] == _run(0.3, seed=1)[1]
    assert _run(0.3, seed=1)[1] != _run(0.3, seed=2)[1]


def test_per_version_figures():
    report = _run(0.5, seed=3)[0].report()
    control, candidate = report["control"], report["candidate"]
    assert (control["version"], candidate["version"]) == ("v1", "v2")
    assert control["mean_confidence"] == pytest.approx(0.9) and candidate["mean_confidence"] == pytest.approx(0.6)
    assert control["refusals"] == 0
    assert candidate["refusals"] == candidate["count"] // 4
    assert candidate["latency_ms_p50"] >= 0 and control["latency_ms_p95"] >= control["latency_ms_p50"]


def test_bad_share_is_refused():
    with pytest.raises(ValueError, match="between 0 and 1"):
        ABParser(FakeParser(1.0), FakeParser(1.0), 1.5)


def test_real_parsers_report_their_model_versions():
    cfg = load_config("config.yaml")
    parser = load_parser(cfg)
    ab = ABParser(parser, parser, 0.5, seed=0)
    for text in ("turn on the kitchen light", "lock the front door", "what time is it", "open the blinds halfway"):
        ab.parse(text, area=None)
    report = ab.report()
    assert report["control"]["version"] == report["candidate"]["version"] == parser.model.version
    assert report["control"]["count"] + report["candidate"]["count"] == 4
