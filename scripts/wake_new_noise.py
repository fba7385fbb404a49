"""The shipped wake word stage on noise it was not chosen on: the benchmark's real "alexa"
recordings under household noise drawn with seeds ``hub bench wake`` never uses, at 10 dB and
5 dB SNR, decided as the hub decides (a candidate both engines proposed skips the VAD gate) and
with the gate on every candidate, as before ``both_engines_skip_gate``.

Written before its first run, as a check of that mechanism on sound it was not found on (the
benchmark's own noise condition, whose held-out half showed the Silero gate refusing speakers
both engines scored near 1). Prints detection per half (development / held out) and all.

    PYTHONPATH=. python scripts/wake_new_noise.py --data PATH_TO_wake-word-benchmark
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from hub.types import FRAME_MS, FRAME_SAMPLES, SAMPLE_RATE
from hub.wake import bench as b
from hub.wake import benchdata as bd

SEEDS = (7_301, 7_302)
"""Noise seeds of this check only (the bench's are 2026 and its per-condition streams)."""


def detected(stream: bd.Stream, scorers: b.Scorers, cache: Path, v: b.Variant, threshold: float) -> np.ndarray:
    """(n_spans,) bool: each recording detected by the decision ``v`` at openWakeWord ``threshold``."""
    audio16 = bd.to_int16(stream.audio)
    first = b.trace(scorers, stream, audio16, "openwakeword", "alexa", cache)
    micro = b.trace(scorers, stream, audio16, "micro", "alexa", cache)
    checks = b.Checks(b.vad_trace(scorers, stream, audio16, "openwakeword", cache), micro)
    proposed, other = b.candidates(first, threshold, v.smoothing), b.candidates(micro, v.either, v.smoothing)
    both = b.both_heard(proposed, other, len(first)) if v.agree else None
    ends = np.array([(f + 1) * FRAME_SAMPLES for f in b.accepted(b.either_candidates(proposed, other), checks, v,
                                                                  both)], np.int64)
    hit = np.zeros(len(stream.spans), bool)
    for i, (s, e, _) in enumerate(stream.spans):
        hit[i] = bool(((ends >= s) & (ends <= e + b.HIT_AFTER_S * SAMPLE_RATE)).any())
    return hit


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True, help="the Picovoice wake-word-benchmark (as for hub bench wake)")
    args = ap.parse_args()
    cache = bd.cache_dir()
    sets = b.Sets(bd.benchmark_audio(Path(args.data), cache), cache, None, 15.0)
    scorers = b.Scorers()
    shipped, threshold = b.shipped("alexa")
    decisions = {"shipped": shipped, "gate on every candidate": b.shipped_gate_always("alexa")}
    print(f"alexa, openWakeWord {threshold:g}, microWakeWord {shipped.either:g}, gate {shipped.gate_ms} ms; "
          f"{len(sets.clips['alexa'])} recordings; frames of {FRAME_MS} ms")
    for seed in SEEDS:
        for snr in (10.0, 5.0):
            rng = np.random.default_rng([seed, int(snr)])
            audio, spans = bd.concat([(c, "alexa") for c in sets.clips["alexa"]], (2.0, 3.0), rng)
            audio = b.mix_at_snr(audio, spans, bd.household_noise(len(audio), rng), snr)
            stream = bd.Stream(f"alexa/new-noise-{seed}-{snr:g}dB", audio, spans)
            for name, v in decisions.items():
                hit = detected(stream, scorers, cache, v, threshold)
                dev = sets.alexa_dev
                print(f"seed {seed} noise {snr:g} dB, {name}: {hit.mean():.1%} "
                      f"({hit[dev].mean():.1%} / {hit[~dev].mean():.1%}), missed {int((~hit).sum())}", flush=True)


if __name__ == "__main__":
    main()
