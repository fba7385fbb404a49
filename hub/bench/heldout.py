"""The low-power set's recognition and understanding on the held-out spoken commands.

Method: every clip of :func:`hub.asr.cases.held_out_cases` (104 commands of two homes, eight
voices of three families, half with room noise at 10 dB SNR; the clip is what the endpointer cuts)
goes through the set's transcriber and its parser in this process, one home's stages loaded
once; each clip is judged as ``hub bench asr`` judges it (:func:`hub.asr.bench.outcome`: right,
confirm, wrong, refused). Per clip: which recogniser gave the transcript (``grammar``, ``whisper``
or none), wall and CPU ms of recognition plus understanding. No wake word is involved (the clips
hold the command only); wake word detection is measured by ``hub bench wake``.

``--cases dev`` judges the development clips instead (hub.asr.cases.dev_cases: other homes, for
calibrating thresholds, never for scoring); ``blind2`` to ``blind86`` the second to
eighty-sixth held-out sets (hub.asr.cases: other homes, other voices).

    PYTHONPATH=. python -m hub.bench.heldout [--set low-power|full] [--every N] [--cases held|dev|blind2|...|blind86]
        [--out F.json]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
from pathlib import Path

from hub.asr.bench import UNSAFE, canonical, outcome
from hub.config_load import load_config


def _rss_mb() -> float:
    """Peak resident set size of this process so far, MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_heldout(model_set: str = "low-power", every: int = 1, case_set: str = "held") -> dict:
    """Judge every ``every``-th clip of a spoken set (hub.asr.cases.held_out_set: ``held``, ``dev``,
    ``blind2``, ``blind3``, ``blind4``) with ``model_set``'s stages; returns ``{"rows": [...], "summary":
    {...}}`` (see the module docstring). Raises ValueError for an unknown set."""
    from hub.asr.cases import held_out_set
    from hub.nlu import load_parser
    from hub.stages import load_audio_stages

    cases, texts = held_out_set(case_set)
    cases = cases[::every]
    # the rendered clips' cache may have been written from another checkout: read this one's homes
    homes = {home.name: home for home, _ in texts}
    stages: dict = {}
    rows = []
    for case in cases:
        if case.home not in stages:
            cfg = load_config(homes[Path(case.home).name])
            s = load_audio_stages(cfg, model_set)
            stages[case.home] = (cfg, s.transcriber, s.parser or load_parser(cfg))
        cfg, asr, parser = stages[case.home]
        samples = case.samples()
        w0, c0 = time.perf_counter(), time.process_time()
        t = asr.transcribe(samples)
        u = parser.parse(t.text, case.area or cfg.hub.area) if t.text else None  # read in the speaker's room
        wall, cpu = (time.perf_counter() - w0) * 1000, (time.process_time() - c0) * 1000
        got = canonical([c.to_json() for c in (*u.commands, *u.scheduled)], cfg) if u else []
        expected = canonical(case.commands, cfg)
        rows.append({"id": case.id, "voice": case.voice, "family": case.family, "noise": case.noise,
                     "said": case.text, "heard": t.text, "recogniser": t.recogniser if t.text else None,
                     "expected": expected, "commands": got, "unsure": t.unsure,
                     "outcome": outcome(expected, got, t.unsure), "ms": round(wall, 1),
                     "cpu_ms": round(cpu, 1), "rss_mb": round(_rss_mb(), 1)})
    return {"model_set": model_set, "rows": rows, "summary": summarise(rows)}


def _tally(rows: list[dict]) -> dict:
    n = len(rows)
    t = {k: sum(r["outcome"] == k for r in rows) for k in ("right", "confirm", "wrong", "refused")}
    t["unsafe"] = sum(r["outcome"] == "wrong" and any(c["action"] in UNSAFE for c in r["commands"]) for r in rows)
    t["clips"] = n
    t["accuracy"] = round(t["right"] / n, 4) if n else None
    return t


def summarise(rows: list[dict]) -> dict:
    """Outcome counts overall, by voice family and by recogniser; p50 wall/CPU ms by recogniser."""
    by_rec = {}
    for rec in sorted({str(r["recogniser"]) for r in rows}):
        sel = [r for r in rows if str(r["recogniser"]) == rec]
        by_rec[rec] = _tally(sel) | {"p50_ms": round(statistics.median(r["ms"] for r in sel), 1),
                                     "p50_cpu_ms": round(statistics.median(r["cpu_ms"] for r in sel), 1)}
    return _tally(rows) | {
        "by_family": {f: _tally([r for r in rows if r["family"] == f]) for f in sorted({r["family"] for r in rows})},
        "by_recogniser": by_rec,
        "peak_rss_mb": round(max(r["rss_mb"] for r in rows), 1) if rows else None,
    }


def main(argv: list[str] | None = None) -> int:
    from hub.asr.cases import CASE_SETS

    ap = argparse.ArgumentParser(prog="python -m hub.bench.heldout", description=__doc__.splitlines()[0])
    ap.add_argument("--set", default="low-power", choices=["low-power", "full"])
    ap.add_argument("--every", type=int, default=1, help="judge every N-th clip only")
    ap.add_argument("--cases", default="held", choices=["dev", *CASE_SETS],
                    help="held-out spoken commands (tests/asr_cases and its blind2, blind3, blind4) or the development clips")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    report = run_heldout(args.set, args.every, args.cases)
    s = report["summary"]
    print(json.dumps({k: v for k, v in s.items()}, indent=1))
    if args.out:
        args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
