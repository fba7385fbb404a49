"""Switch time of the NLU hot swap: ``python -m hub.bench.switch [--rounds 100] [--config config.yaml]``.

Builds a temporary registry with two versions of the real model (the active one and a copy under
another name), a Pipeline holding the parser, and alternates between them with HotSwapper. The
switch is the reference swap alone (``Pipeline.replace``); load, self-test and the whole
switch() call are reported beside it, and ``apply_ms``: the next audio frame through the pipeline,
which takes the new parser and frees the old one (as between two utterances in the hub). The
target: switch under 50 ms.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from hub.config import Config
from hub.config_load import load_config
from hub.nlu import load_parser
from hub.pipeline import Pipeline
from hub.registry.registry import MANIFEST, Registry, read_manifest, stored_files
from hub.registry.swap import HotSwapper, self_test_cases
from hub.types import AudioFrame

TARGET_MS = 50.0


def _stats(values: list[float]) -> dict:
    a = np.asarray(values)
    return {"p50": round(float(np.percentile(a, 50)), 4), "max": round(float(a.max()), 4)}


class _Silence:
    """Wake stage that never fires: one frame through the pipeline applies a pending swap."""

    def process(self, frame: AudioFrame) -> None:
        return None

    def reset(self) -> None:
        pass


def bench_switch(cfg: Config, rounds: int = 100, source: Path | None = None) -> dict:
    """Switch ``rounds`` times between two versions of the model at ``source`` (default: the
    active version of models/nlu/). Returns ``{"rounds", "switch_ms": {p50, max}, "load_ms",
    "self_test_ms", "apply_ms", "total_ms", "target_ms", "ok"}``; every figure is wall ms.
    Raises ModelIntegrityError if the model fails its check, HubError if a switch is refused."""
    from hub.errors import HubError
    from hub.nlu.model import MODELS_DIR

    source = Path(source) if source else Registry(MODELS_DIR).active()
    with tempfile.TemporaryDirectory(prefix="hub-swap-bench-") as tmp:
        reg = Registry(Path(tmp))
        manifest = read_manifest(source)
        for version in ("a", "b"):
            dest = reg.root / version
            dest.mkdir()
            for name in stored_files(manifest):
                shutil.copyfile(source / name, dest / name)
            (dest / MANIFEST).write_text(json.dumps({**manifest, "version": version}), encoding="utf-8")
        reg.activate("a")
        pipeline = Pipeline(_Silence(), None, None, load_parser(cfg, reg.path("a")), None, area=None)
        frame = [AudioFrame(np.zeros(1280, np.int16), 0)]
        swapper = HotSwapper(lambda parser: pipeline.replace(parser=parser), lambda d: load_parser(cfg, d), reg,
                             self_test_cases(cfg), current=pipeline.parser, current_version="a")
        results, apply_ms = [], []
        for i in range(rounds):
            r = swapper.switch("b" if i % 2 == 0 else "a")
            if not r.ok:
                raise HubError(f"switch to {r.version} refused: {r.failures}")
            t0 = time.perf_counter()
            list(pipeline.run(frame))
            apply_ms.append((time.perf_counter() - t0) * 1000)
            results.append(r)
    switch = _stats([r.switch_ms for r in results])
    return {
        "rounds": rounds,
        "switch_ms": switch,
        "load_ms": _stats([r.load_ms for r in results]),
        "self_test_ms": _stats([r.self_test_ms for r in results]),
        "apply_ms": _stats(apply_ms),
        "total_ms": _stats([r.load_ms + r.self_test_ms + r.switch_ms for r in results]),
        "target_ms": TARGET_MS,
        "ok": switch["max"] < TARGET_MS and max(apply_ms) < TARGET_MS,
    }


def table(out: dict) -> str:
    """Markdown table of a :func:`bench_switch` result."""
    rows = ["| figure, ms | p50 | max |", "|---|---|---|"]
    for key in ("switch_ms", "apply_ms", "load_ms", "self_test_ms", "total_ms"):
        if isinstance(out.get(key), dict):
            rows.append(f"| {key} | {out[key].get('p50')} | {out[key].get('max')} |")
    rows.append(f"\n{out['rounds']} switches; target for the switch itself: under {out['target_ms']} ms")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m hub.bench.switch", description=__doc__.splitlines()[0])
    ap.add_argument("--config", default="config.yaml")
    ap.add_argument("--rounds", type=int, default=100)
    args = ap.parse_args(argv)
    out = bench_switch(load_config(args.config), args.rounds)
    print(json.dumps(out, indent=1))
    return 0 if out["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
