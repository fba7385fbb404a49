"""`hub bench nlu`: our parser and Home Assistant's (hassil) side by side on the same cases."""

from __future__ import annotations

import json
from pathlib import Path

from hub.config_load import load_config
from hub.nlu.bench import bench_nlu, format_report

CASES = Path(__file__).parent / "nlu_cases"


def test_bench_reports_both_parsers_on_the_same_cases():
    cases = [json.loads(x) for x in (CASES / "home_b_cases.jsonl").read_text().splitlines() if x.strip()][::6]
    report = bench_nlu(cases, load_config(CASES / "home_b.yaml"))
    ours, hassil, fuzzy = report["results"]
    assert [r["parser"] for r in report["results"]] == ["ours", "hassil", "hassil+fuzzy"]
    assert report["cases"] == len(cases)
    for r in report["results"]:
        assert set(r["per_kind"]) == {c["kind"] for c in cases}
        assert r["p50_ms"] <= r["p99_ms"]
    assert ours["accuracy"] > hassil["accuracy"]
    assert ours["unsafe_actions"] == 0
    assert 0 < ours["model_bytes"] < 30_000_000
    assert "hassil+fuzzy" in format_report(report)
