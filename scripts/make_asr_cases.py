#!/usr/bin/env python3
"""Render the spoken command cases of `hub bench asr` (see hub/asr/cases.py).

The held-out set (tests/asr_cases: 104 commands of config.yaml's home and a second home, written
blind) and the development set (drawn from tests/nlu_cases, for calibration and for collecting
whisper's confusions), each case spoken by one of eight voices (Piper joe, Hibari US and GB,
espeak-ng variants at 125-195 words a minute), half of them with noise at 10 dB SNR.
Deterministic: a rerun gives the same audio. The audio goes into the cache
($XDG_CACHE_HOME/hub/asr_cases, ~/.cache by default), not into git; `hub bench asr` calls the
same code and reuses what is there.

    PYTHONPATH=. python3 scripts/make_asr_cases.py [--set heldout|dev|both]
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from hub.asr.cases import dev_cases, held_out_cases


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=("heldout", "dev", "both"), default="both")
    args = ap.parse_args()
    for name, make in (("heldout", held_out_cases), ("dev", dev_cases)):
        if args.set in (name, "both"):
            cases = make()
            print(f"{name}: {len(cases)} clips in {Path(cases[0].wav).parent}")
            print("  voices:", dict(Counter(c.voice for c in cases)))
            print("  noise: ", dict(Counter(c.noise for c in cases)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
