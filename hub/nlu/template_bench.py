"""Template reader vs the trained model behind the same parser, on the same cases.

``python -m hub.nlu.template_bench CASES.jsonl HOME.yaml [...]`` prints, per pair and in total,
accuracy per kind, wrong and unsafe actions and p50 latency of ``Parser(cfg, TemplateReader())``
and ``Parser(cfg, IntentModel())``. Cases are in the format of tests/nlu_cases/README.md
(``{"kind", "text", "commands", "area"?}``), scored as hub/nlu/bench.py scores them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from hub.config import Config
from hub.config_load import load_config
from hub.nlu.bench import _score
from hub.nlu.parser import Parser
from hub.nlu.template_reader import TemplateReader


def compare(cases: list[dict], home: Config, readers: dict | None = None) -> list[dict]:
    """Score the parser with each reader on ``cases`` (a case without "area" uses ``home.hub.area``).

    ``readers``: name -> reader (TemplateReader or IntentModel); default both, the model loaded
    here. Returns one dict per reader: parser, accuracy, per_kind, per_kind_counts,
    wrong_actions, unsafe_actions, p50_ms, p99_ms (see hub/nlu/bench.py's _score).
    """
    if readers is None:
        from hub.nlu.model import IntentModel

        readers = {"templates": TemplateReader(), "model": IntentModel()}
    cases = [dict(c, area=c.get("area") or home.hub.area) for c in cases]
    types = {d.id: d.type for d in home.devices}
    out = []
    for name, reader in readers.items():
        p = Parser(home, reader)
        p.parse("warm up", None)
        out.append(_score(name, lambda t, a, p=p: p.parse(t, a).to_json()["commands"], cases, types))
    return out


def compare_readings(examples: list, readers: dict) -> dict[str, dict]:
    """Clause-level agreement with hub/nlu/generate.py's gold on generated ``examples``.

    Per reader name: ``intent`` (share whose top intent is the gold one), ``intent_tied`` (gold
    among the intents tied for top), ``tags`` (share whose tag sequence equals the gold one),
    ``tag_words`` (share of words with the gold label, B/I ignored); with two readers also
    ``agree_tags`` (share where the two readers' tag sequences are equal) under "both".
    """
    out: dict[str, dict] = {}
    seqs: dict[str, list] = {}
    words = sum(len(e.words) for e in examples)
    for name, reader in readers.items():
        c = dict(intent=0, intent_tied=0, tags=0, tag_words=0)
        seqs[name] = []
        for e in examples:
            r = reader.read(list(e.words))
            top = {i for i, p in r.ranked if p >= r.ranked[0][1] - 1e-9}
            c["intent"] += r.intent == e.intent
            c["intent_tied"] += e.intent in top
            c["tags"] += r.tags == e.tags
            c["tag_words"] += sum(a[2:] == b[2:] for a, b in zip(r.tags, e.tags))
            seqs[name].append(r.tags)
        out[name] = {k: round(v / (words if k == "tag_words" else len(examples)), 4) for k, v in c.items()}
    if len(seqs) == 2:
        a, b = seqs.values()
        out["both"] = {"agree_tags": round(sum(x == y for x, y in zip(a, b)) / len(examples), 4)}
    return out


def format_compare(results: list[dict]) -> str:
    """A side-by-side table of :func:`compare`'s result."""
    kinds = sorted({k for r in results for k in r["per_kind"]})
    lines = [f"{'':14s}" + "".join(f"{r['parser']:>14s}" for r in results)]
    for k in kinds:
        lines.append(f"{k:14s}" + "".join(f"{'%d/%d' % tuple(r['per_kind_counts'].get(k, [0, 0])):>14s}" for r in results))
    for field, fmt in (("accuracy", "{:.1%}"), ("wrong_actions", "{}"), ("unsafe_actions", "{}"),
                       ("p50_ms", "{:.2f} ms"), ("p99_ms", "{:.2f} ms")):
        lines.append(f"{field:14s}" + "".join(f"{fmt.format(r[field]):>14s}" for r in results))
    return "\n".join(lines)


def _merge(parts: list[list[dict]]) -> list[dict]:
    """Sum the counts of several :func:`compare` results (latency: the median of the medians)."""
    out = []
    for col in zip(*parts):
        counts: dict[str, list[int]] = {}
        for r in col:
            for k, (a, m) in r["per_kind_counts"].items():
                c = counts.setdefault(k, [0, 0])
                c[0] += a
                c[1] += m
        n = sum(m for _, m in counts.values())
        p50 = sorted(r["p50_ms"] for r in col)[len(col) // 2]
        p99 = max(r["p99_ms"] for r in col)
        out.append({"parser": col[0]["parser"], "per_kind_counts": counts,
                    "per_kind": {k: a / m for k, (a, m) in counts.items()},
                    "accuracy": sum(a for a, _ in counts.values()) / n if n else 0.0,
                    "wrong_actions": sum(r["wrong_actions"] for r in col),
                    "unsafe_actions": sum(r["unsafe_actions"] for r in col), "p50_ms": p50, "p99_ms": p99})
    return out


def main(argv: list[str] | None = None) -> int:
    """Print the table for each (cases, home) pair, then the totals."""
    from hub.nlu.model import IntentModel

    args = argv if argv is not None else sys.argv[1:]
    readers = {"templates": TemplateReader(), "model": IntentModel()}
    parts = []
    for cases_path, home_path in zip(args[::2], args[1::2]):
        cases = [json.loads(x) for x in Path(cases_path).read_text().splitlines() if x.strip()]
        parts.append(compare(cases, load_config(home_path), readers))
        print(f"== {cases_path} on {home_path}")
        print(format_compare(parts[-1]))
    if len(parts) > 1:
        print("== all")
        print(format_compare(_merge(parts)))
    from hub.nlu.generate import generate

    examples = generate(seed=7, per_intent=40, held_out=set(), none_count=100)
    print(f"== {len(examples)} generated clauses (hub/nlu/generate.py, seed 7): agreement with their gold")
    for name, row in compare_readings(examples, readers).items():
        print(f"{name:10s} " + "  ".join(f"{k} {v:.1%}" for k, v in row.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
