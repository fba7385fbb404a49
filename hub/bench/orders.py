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

    hub bench orders --data DIR [--conditions clean,10] [--every N] [--out DIR]
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

import numpy as np

from hub.bench.gitdata import extract, is_bare_git
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
    if is_bare_git(data):
        return extract(data, PARTS, cache, "speech-to-intent", PARTS[1])
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
    return "right" if ordered and {k: _norm(v) for k, v in slots.items()} == want else "wrong"


def with_noise(samples: np.ndarray, noise: np.ndarray, snr_db: float, rng: np.random.Generator) -> np.ndarray:
    """(n,) int16 ``samples`` with a stretch of ``noise`` (int16, looped if short) added
    ``snr_db`` below the speech's active power (hub.wake.benchdata.scale_to_snr)."""
    from hub.wake.benchdata import scale_to_snr

    speech = samples.astype(np.float32) / 32768
    start = int(rng.integers(0, max(1, len(noise) - len(speech))))
    bit = np.resize(np.roll(noise, -start), len(speech)).astype(np.float32) / 32768
    mixed = speech + scale_to_snr(speech, bit, snr_db)
    return np.clip(mixed * 32768, -32768, 32767).astype(np.int16)


def load_home() -> tuple:
    """(config, transcriber, parser) of the bench's home as `hub run` loads its full set."""
    from hub.config_load import load_config
    from hub.nlu import load_parser
    from hub.stages import load_audio_stages

    cfg = load_config(HOME)
    stages = load_audio_stages(cfg, "full")
    return cfg, stages.transcriber, stages.parser or load_parser(cfg)


def run_orders(data: Path, snr_db: float | None = None, every: int = 1, progress=None, home: tuple | None = None
               ) -> dict:
    """Judge every ``every``-th recording (sorted by file name); ``{"rows", "summary"}``.
    ``home``: :func:`load_home`'s stages, loaded here if not given."""
    from hub.audio.wav import read_wav
    from hub.wake.benchdata import cache_dir

    root = orders_data(data, cache_dir())
    labels = json.loads((root / PARTS[1]).read_text(encoding="utf-8"))
    files = sorted(p for p in (root / PARTS[0]).glob("*.wav") if p.name in labels)[::every]
    noise = read_wav(root / PARTS[2], max_seconds=3600) if snr_db is not None else None
    cfg, transcriber, parser = home or load_home()
    rng = np.random.default_rng(2026)
    rows = []
    for i, f in enumerate(files):
        samples = read_wav(f)
        if noise is not None:
            samples = with_noise(samples, noise, snr_db, rng)
        w0 = time.perf_counter()
        t = transcriber.transcribe(samples)
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
    t = {k: sum(r["outcome"] == k for r in rows) for k in OUTCOMES}
    return t | {"recordings": n, "accuracy": round(t["right"] / n, 4) if n else None,
                "p50_ms": round(statistics.median(r["ms"] for r in rows), 1) if rows else None}


OUTCOMES = ("right", "confirm", "wrong", "refused")


def parse_conditions(text: str) -> list[float | None]:
    """``"clean,10"`` -> ``[None, 10.0]`` (None: clean; a number: kitchen noise at that SNR in dB).
    Raises ValueError naming a bad item."""
    out: list[float | None] = []
    for item in filter(None, (x.strip() for x in text.split(","))):
        try:
            out.append(None if item == "clean" else float(item))
        except ValueError:
            raise ValueError(f"{item!r} is neither 'clean' nor an SNR in dB") from None
    if not out:
        raise ValueError("no condition given")
    return out


def bench_orders(data: Path, conditions: list[float | None], every: int = 1) -> dict:
    """Every condition of :func:`run_orders`, with a tqdm bar per condition."""
    from tqdm import tqdm

    from hub.figures import machine_info
    from hub.wake.benchdata import cache_dir

    orders_data(data, cache_dir())  # a wrong folder is said before any bar is drawn
    t0 = time.time()
    home = load_home()  # once for every condition
    out = {"machine": machine_info(), "method": __doc__.strip(), "every": every, "conditions": {}}
    for snr in conditions:
        name = "clean" if snr is None else f"kitchen noise {snr:g} dB"
        with tqdm(desc=name, unit="order") as bar:
            def progress(done: int, total: int, row: dict) -> None:
                bar.total = total
                bar.update(1)

            out["conditions"][name] = run_orders(data, snr, every, progress, home)
    out["wall_s"] = round(time.time() - t0, 1)
    return out


def table(result: dict) -> str:
    """Markdown: outcomes per condition, then what was heard where an order went wrong."""
    from hub.figures import machine_line

    about = ("Picovoice's speech-to-intent benchmark (real people ordering coffee) through the full set, home "
             f"tests/asr_cases/barista; every {result['every']}. recording; wall {result['wall_s']} s.")
    lines = ["# hub bench orders", "", machine_line(result["machine"]), "", about, "",
             "| condition | recordings | right | confirm (asks for a yes) | wrong | refused | p50 ms |",
             "|---|---|---|---|---|---|---|"]
    for name, rep in result["conditions"].items():
        s = rep["summary"]
        counts = " | ".join(f"{s[k]} ({100 * s[k] / s['recordings']:.1f} %)" for k in OUTCOMES)
        lines.append(f"| {name} | {s['recordings']} | {counts} | {s['p50_ms']} |")
    for name, rep in result["conditions"].items():
        wrong = [r for r in rep["rows"] if r["outcome"] == "wrong"]
        if wrong:
            lines += ["", f"## Wrong, {name}", "", "| heard | ordered or done | labelled |", "|---|---|---|"]
            lines += [f"| {r['heard']} | {r['slots'] or r['commands']} | {r['expected']} |" for r in wrong]
    lines += ["", "## Method", "", result["method"]]
    return "\n".join(lines)
