"""How the encoder window of the quick reading of a pause (``asr.ahead_window_s``) changes what
ends an utterance early, on the held-out and development spoken commands (hub.asr.cases).

Each clip is cut as a pause hands it over (the command and 150 ms after it: the clip's 700 ms of
trailing silence less 550 ms) and read by the full set's transcriber as the look-ahead reads it
(:meth:`hub.asr.whisper.WhisperTranscriber.transcribe_ahead`, no second opinion), then understood
by the home's parser. A reading "ends early" when :func:`hub.lookahead.ends_command` accepts it at
``hub.options.endpoint_early_confidence``; it is right when its commands are the expected ones
(compared as ``hub bench asr`` does). Prints per set and window: clips, early ends, right and wrong
among them, p50 wall ms of the reading; ``--out`` writes every clip's reading as JSON lines.

    PYTHONPATH=. python scripts/ahead_window.py [--windows 20,15,10] [--sets held,dev] [--out F.jsonl]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import time
from pathlib import Path

from tqdm import tqdm

from hub.asr import load_transcriber
from hub.asr.bench import _key
from hub.asr.cases import dev_cases, held_out_cases
from hub.config_load import load_config
from hub.lookahead import Reading, ends_command
from hub.nlu import load_parser
from hub.types import SAMPLE_RATE

AFTER_PAUSE_S = 0.55
"""The clip's trailing silence (700 ms) less the pause after which the look-ahead reads (150 ms)."""


def read_clips(windows: list[float], sets: list[str]):
    """One dict per clip: set, id, noise, text, and per window its reading (heard, ends, right, ms)."""
    for name in sets:
        cases = held_out_cases() if name == "held" else dev_cases()
        loaded = {}
        for case in tqdm(cases, desc=name, unit="clip"):
            if case.home not in loaded:
                cfg = load_config(case.home)
                parser = load_parser(cfg)
                loaded[case.home] = cfg, parser, load_transcriber(cfg.model_copy(update={
                    "asr": cfg.asr.model_copy(update={"second_model": None})}), parser=parser)
            cfg, parser, asr = loaded[case.home]
            samples = case.samples()[: -int(AFTER_PAUSE_S * SAMPLE_RATE)]
            row = {"set": name, "id": case.id, "noise": case.noise, "text": case.text}
            for w in windows:
                asr.ahead_window_s = w
                t0 = time.perf_counter()
                heard = asr.transcribe_ahead(samples)
                ms = (time.perf_counter() - t0) * 1000
                u = parser.parse(heard.text, cfg.hub.area) if heard.text else None
                got = [{k: v for k, v in dataclasses.asdict(c).items() if v is not None} for c in u.commands] if u else []
                ends = u is not None and ends_command(Reading(heard, u, ms, 0.0, quick=True),
                                                      cfg.hub.options.endpoint_early_confidence)
                row[str(w)] = {"heard": heard.text, "ends": ends, "right": _key(got) == _key(case.commands), "ms": round(ms)}
            yield row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--windows", default="20,15,10")
    ap.add_argument("--sets", default="held,dev")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    windows = [float(w) for w in args.windows.split(",")]
    rows = list(read_clips(windows, args.sets.split(",")))
    if args.out:
        args.out.write_text("".join(json.dumps(r) + "\n" for r in rows))
    for name in args.sets.split(","):
        clips = [r for r in rows if r["set"] == name]
        for w in map(str, windows):
            early = [r[w] for r in clips if r[w]["ends"]]
            print(f"{name} window {w} s: {len(clips)} clips, {len(early)} end early "
                  f"({sum(e['right'] for e in early)} right, {sum(not e['right'] for e in early)} wrong), "
                  f"p50 {statistics.median(r[w]['ms'] for r in clips):.0f} ms")


if __name__ == "__main__":
    main()
