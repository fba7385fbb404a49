"""Collect whisper's confusions on the development recordings into intents/<language>/asr_confusions.yaml.

For each development clip (hub.asr.cases.dev_cases: commands of other homes than the held-out
set's) whisper's best hypothesis is aligned word by word with what was said (Levenshtein over
words, rapidfuzz); each run of differing words is a candidate ``heard -> said`` (up to three words
a side, no digits: number formatting is not a confusion; none whose said words include a word of
that home's device or area names, which would not carry over to another home). A candidate is
kept if, tried as the
recogniser tries it (only on a hypothesis that does not parse, kept only if it then parses), it
turns at least one development clip into its expected commands and none into other commands.

    PYTHONPATH=. python3 -m hub.asr.confusions --decoded dev_tiny.json [--decoded dev_base.json] [--write]

``--decoded``: development clips decoded with ``hub.asr.bench.decode_cases`` (``dev`` cases) and saved
as JSON; without it the clips are decoded here with both models (slow).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from hub.asr.corrections import Confusion, Corrections, confusions_path, words

MAX_WORDS = 3


def differences(said: str, heard: str) -> list[tuple[str, str]]:
    """``(heard words, said words)`` for each run of differing words between the two texts."""
    ref, hyp = words(said), words(heard)
    out, span = [], None
    for op in Levenshtein.opcodes(ref, hyp):
        if op.tag == "equal":
            if span:
                out.append(span)
            span = None
            continue
        r, h = ref[op.src_start : op.src_end], hyp[op.dest_start : op.dest_end]
        span = (span[0] + h, span[1] + r) if span else (h, r)
    if span:
        out.append(span)
    return [(" ".join(h), " ".join(r)) for h, r in out
            if h and r and len(h) <= MAX_WORDS and len(r) <= MAX_WORDS
            and not any(ch.isdigit() or ch == "%" for ch in " ".join(h + r))]


def mine(decoded: list[dict]) -> list[Confusion]:
    """The confusions that help on ``decoded`` development clips (see the module docstring), most
    often seen first."""
    from hub.asr.bench import _key
    from hub.config_load import load_config
    from hub.nlu import load_parser

    from hub.asr.whisper import vocabulary_from_config

    names: dict[str, set[str]] = {}
    for home in {clip["home"] for clip in decoded}:
        names[home] = {w for n in vocabulary_from_config(load_config(home)) for w in words(n)}
    seen = Counter(d for clip in decoded if clip["nbest"]
                   for d in differences(clip["text"], clip["nbest"][0]["text"])
                   if not set(d[1].split()) & names[clip["home"]])
    parsers: dict = {}
    helps: Counter = Counter()
    hurts: Counter = Counter()
    for clip in decoded:
        if not clip["nbest"]:
            continue
        if clip["home"] not in parsers:
            cfg = load_config(clip["home"])
            parsers[clip["home"]] = (cfg.hub.area, load_parser(cfg))
        area, parser = parsers[clip["home"]]
        top = clip["nbest"][0]["text"]
        if parser.parse(top, area).commands:
            continue
        for heard, said in seen:
            one = Corrections((Confusion(heard=heard, said=said),)).variants(top)
            for text, _ in one:
                got = [c.to_json() for c in parser.parse(text, area).commands]
                if got:
                    (helps if _key(got) == _key(clip["commands"]) else hurts)[(heard, said)] += 1
    kept = [k for k in seen if helps[k] and not hurts[k]]
    return [Confusion(heard=h, said=s, seen=seen[(h, s)]) for h, s in sorted(kept, key=lambda k: (-seen[k], k))]


def to_yaml(confusions: list[Confusion], sources: str) -> str:
    lines = ["# Whisper's real confusions on spoken commands: what it wrote (heard) for what was said.",
             "# Collected by `python -m hub.asr.confusions` from " + sources + ";",
             "# kept only where the correction turned a development clip into its expected commands and",
             "# never into others. Tried only on a hypothesis that does not parse; a command that rests on",
             "# a correction waits for a spoken yes (hub.asr.corrections).",
             "confusions:"]
    lines += [f"  - {{heard: {json.dumps(c.heard)}, said: {json.dumps(c.said)}, seen: {c.seen}}}" for c in confusions]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m hub.asr.confusions", description=__doc__.splitlines()[0])
    ap.add_argument("--decoded", type=Path, action="append", default=[])
    ap.add_argument("--write", action="store_true", help=f"write {confusions_path('en')}")
    args = ap.parse_args(argv)
    if args.decoded:
        decoded = [c for f in args.decoded for c in json.loads(f.read_text())]
    else:
        from hub.asr.bench import MODELS, decode_cases
        from hub.asr.cases import dev_cases

        decoded = [c for m in MODELS for c in decode_cases(dev_cases(), m)]
    models = sorted({c["model"] for c in decoded})
    found = mine(decoded)
    text = to_yaml(found, f"whisper {' and '.join(models)} (5-best, home prompt) on "
                          f"{len(decoded) // max(len(models), 1)} development clips")
    print(text, end="")
    if args.write:
        confusions_path("en").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
