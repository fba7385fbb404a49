"""Real people's spoken orders through the full set: Picovoice's speech-to-intent benchmark.

Data: https://github.com/Picovoice/speech-to-intent-benchmark (Apache-2.0): 619 crowd-sourced
recordings (16 kHz WAV) of people ordering coffee, with each one's intent and slots in
``data/label/label.json``, and the kitchen noise of ``data/noise/kitchen.wav``. The home is
``tests/asr_cases/barista``: a kitchen whose custom sentences are that benchmark's own grammar
(``data/rhino/coffee_maker.yaml``) in Home Assistant's format, so its lists join the whisper
prompt and the parser reads the orders as a custom intent.

Method: each recording, whole (a few hundred ms of room sound either side of the words), clean
or with the kitchen noise added at ``snr_db`` (the noise's mean power that far below the
recording's active speech, from a seeded random offset), goes through the full set's
transcriber and the home's parser in this process. An order is right when the intent and every
slot equal the label (words compared lower-case, single-spaced); wrong when the hub would place
another order (a slot missing, extra or different); confirm when the transcript was unsure
(``Transcript.unsure``), which holds the order for a spoken yes; refused when nothing is
ordered. Per recording: what was heard, the slots, wall ms of recognition plus understanding.

    PYTHONPATH=. python -m hub.bench.orders --data DIR [--snr 10] [--every N] [--out F.json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import time
from pathlib import Path

import numpy as np

from hub.errors import HubError

HOME = Path(__file__).resolve().parents[2] / "tests" / "asr_cases" / "barista" / "config.yaml"
PARTS = ("data/speech/clean", "data/label/label.json", "data/noise/kitchen.wav")


def orders_data(data: Path, cache: Path) -> Path:
    """The folder holding the benchmark's ``data/`` given as ``data``: a checkout, or a bare
    git directory (what the ``fetch`` tool returns), whose needed files are extracted with
    ``git archive`` into ``cache`` once. Raises HubError naming what is missing."""
    data = Path(data)
    if (data / PARTS[1]).is_file():
        return data
    if (data / "HEAD").is_file() and (data / "objects").is_dir():
        digest = hashlib.sha256(str(data.resolve()).encode()).hexdigest()[:12]
        target = cache / f"speech-to-intent-{digest}"
        if not (target / PARTS[1]).is_file():
            target.mkdir(parents=True, exist_ok=True)
            archive = subprocess.run(["git", f"--git-dir={data}", "archive", "HEAD", *PARTS],
                                     capture_output=True, check=False)
            if archive.returncode:
                raise HubError(f"{data}: git archive failed: {archive.stderr.decode(errors='replace').strip()}")
            subprocess.run(["tar", "x", "-C", str(target)], input=archive.stdout, check=True)
        return target
    raise HubError(f"{data}: not Picovoice's speech-to-intent-benchmark (no {PARTS[1]}); get it with "
                   "`git clone https://github.com/Picovoice/speech-to-intent-benchmark` and pass that folder as --data")


def _norm(value) -> str:
    return " ".join(str(value).lower().split())


def judge(label: dict, intent: str | None, slots: dict | None, commands: list, unsure: bool) -> str:
    """right / wrong / confirm / refused (see the module docstring) for one recording: ``intent``
    and ``slots`` as parsed, ``commands`` the device commands the parse gave instead."""
    ordered = intent == label["intent"] and slots is not None
    if not ordered and not commands:
        return "refused"
    if unsure:
        return "confirm"
    want = {k: _norm(v) for k, v in label.get("slots", {}).items()}
    return "right" if ordered and not commands and {k: _norm(v) for k, v in slots.items()} == want else "wrong"


def with_noise(samples: np.ndarray, noise: np.ndarray, snr_db: float, rng: np.random.Generator) -> np.ndarray:
    """(n,) int16 ``samples`` with a stretch of ``noise`` (int16, looped if short) added
    ``snr_db`` below the speech's active power (hub.wake.benchdata.scale_to_snr)."""
    from hub.wake.benchdata import scale_to_snr

    speech = samples.astype(np.float32) / 32768
    start = int(rng.integers(0, max(1, len(noise) - len(speech))))
    bit = np.resize(np.roll(noise, -start), len(speech)).astype(np.float32) / 32768
    mixed = speech + scale_to_snr(speech, bit, snr_db)
    return np.clip(mixed * 32768, -32768, 32767).astype(np.int16)


def run_orders(data: Path, snr_db: float | None = None, every: int = 1, progress=None) -> dict:
    """Judge every ``every``-th recording (sorted by file name); ``{"rows", "summary"}``."""
    from hub.audio.wav import read_wav
    from hub.config_load import load_config
    from hub.nlu import load_parser
    from hub.stages import load_audio_stages
    from hub.wake.benchdata import cache_dir

    root = orders_data(data, cache_dir())
    labels = json.loads((root / PARTS[1]).read_text(encoding="utf-8"))
    files = sorted(p for p in (root / PARTS[0]).glob("*.wav") if p.name in labels)[::every]
    noise = read_wav(root / PARTS[2], max_seconds=3600) if snr_db is not None else None
    cfg = load_config(HOME)
    stages = load_audio_stages(cfg, "full")
    parser = stages.parser or load_parser(cfg)
    rng = np.random.default_rng(2026)
    rows = []
    for i, f in enumerate(files):
        samples = read_wav(f)
        if noise is not None:
            samples = with_noise(samples, noise, snr_db, rng)
        w0 = time.perf_counter()
        t = stages.transcriber.transcribe(samples)
        u = parser.parse(t.text, cfg.hub.area) if t.text else None
        ms = (time.perf_counter() - w0) * 1000
        intent, slots = (u.intent, u.slots) if u else (None, None)
        commands = [c.to_json() for c in (*u.commands, *u.scheduled)] if u else []
        label = labels[f.name]
        rows.append({"file": f.name, "heard": t.text, "unsure": t.unsure, "intent": intent, "slots": slots,
                     "expected": label.get("slots", {}), "commands": commands,
                     "outcome": judge(label, intent, slots, commands, t.unsure is not None), "ms": round(ms, 1)})
        if progress:
            progress(i + 1, len(files), rows[-1])
    return {"snr_db": snr_db, "rows": rows, "summary": summarise(rows)}


def summarise(rows: list[dict]) -> dict:
    n = len(rows)
    t = {k: sum(r["outcome"] == k for r in rows) for k in ("right", "confirm", "wrong", "refused")}
    return t | {"recordings": n, "accuracy": round(t["right"] / n, 4) if n else None,
                "p50_ms": round(statistics.median(r["ms"] for r in rows), 1) if rows else None}


def main(argv: list[str] | None = None) -> int:
    from tqdm import tqdm

    ap = argparse.ArgumentParser(prog="python -m hub.bench.orders", description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, required=True, help="Picovoice's speech-to-intent-benchmark (checkout or bare git)")
    ap.add_argument("--snr", type=float, help="add the benchmark's kitchen noise this many dB below the speech")
    ap.add_argument("--every", type=int, default=1, help="judge every N-th recording only")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    bar = tqdm(unit="order")

    def progress(done: int, total: int, row: dict) -> None:
        bar.total = total
        bar.update(1)
        bar.set_postfix_str(row["outcome"])

    report = run_orders(args.data, args.snr, args.every, progress)
    bar.close()
    print(json.dumps(report["summary"], indent=1))
    if args.out:
        args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
