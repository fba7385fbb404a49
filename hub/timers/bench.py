"""`hub bench timers`: what timers and commands in time cost a running hub.

Method: (1) the home's parser reads a fixed list of utterances (plain commands, commands in time,
timer sentences), ``rounds`` times each; per utterance the whole parse is timed, and apart from it
the timer layer's own two calls (the hassil timer-sentence match and the time-phrase words), so
the layer's share of a parse is measured, not inferred. (2) An agenda holding N timers and N
scheduled commands, none due, is ticked ``rounds`` times for each N (the cost the ticker thread
pays each time it wakes), and the state file is written once at N (atomic JSON, fsync included).
Wall-clock figures of a possibly shared machine: see the machine line.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from hub.config import Config
from hub.figures import machine_info, machine_line, percentile

UTTERANCES = {
    "command": ["turn on the {name}", "turn off the {name} please"],
    "command in time": ["turn off the {name} in ten minutes", "turn on the {name} for half an hour",
                        "turn on the {name} at 7 am"],
    "timer sentence": ["set a 5 minute pasta timer", "how much time is left on the pasta timer",
                       "add 2 minutes to the timer", "what timers are running"],
}
PENDING = (0, 100, 10_000)
"""Timers and scheduled commands held, each (the hub's own limits are far lower: 50 and 200)."""


def bench_timers(cfg: Config, rounds: int = 20) -> dict:
    """Measure parse cost with the timer layer and agenda tick cost; figures as a dict."""
    from hub.nlu import load_parser
    from hub.timers.agenda import Agenda
    from hub.clock import SystemClock
    from hub.timers.executor import _timing
    from hub.timers.schedule import CommandSchedule
    from hub.timers.service import TimerService
    from hub.timers.store import AgendaStore
    from hub.types import Command

    parser = load_parser(cfg)
    name = next(d.spoken_name for d in cfg.devices if d.type in ("light", "switch", "outlet"))
    spell = dict(vocab=parser.spell_vocab, keep=parser.name_words, nouns=parser.spell_nouns)
    parse: dict[str, list[float]] = {}
    layer: dict[str, list[float]] = {}
    for kind, texts in UTTERANCES.items():
        for text in (t.format(name=name) for t in texts):
            parser.parse(text)  # warm
            said = parser._words(text)  # the parser's own words, which it hands the layer
            for _ in range(rounds):
                t0 = time.perf_counter()
                parser.parse(text)
                t1 = time.perf_counter()
                parser.timing.sentence(text, None, said)
                if parser.timing.leads & set(text.split()):  # as the parser: time words only then
                    parser.timing.words(text, **spell)
                t2 = time.perf_counter()
                parse.setdefault(kind, []).append((t1 - t0) * 1000)
                layer.setdefault(kind, []).append((t2 - t1) * 1000)
    timing = _timing(cfg)
    clock = SystemClock()
    ticks = {}
    save_ms = None
    for n in PENDING:
        agenda = Agenda(clock, timing.tl, timing.reader, cfg.hub.options.base_topic)
        agenda.timers = TimerService(clock, max_timers=max(n, 1))
        agenda.schedule = CommandSchedule(clock, max_items=max(n, 1))
        for i in range(n):
            agenda.timers.start(3600 + i, f"t{i}")
        agenda.schedule.add([(Command("bench", "turn_off"), 3600 + i, False) for i in range(n)], "bench")
        samples = []
        for _ in range(rounds):
            t0 = time.perf_counter()
            agenda.tick()
            samples.append((time.perf_counter() - t0) * 1000)
        ticks[n] = samples
        if n == PENDING[-1]:
            with tempfile.TemporaryDirectory() as d:
                store = AgendaStore(Path(d) / "timers.json", clock)
                t0 = time.perf_counter()
                store.save(agenda.timers, agenda.schedule)
                save_ms = round((time.perf_counter() - t0) * 1000, 2)
    return {
        "method": __doc__.split("Method: ", 1)[1].strip(),
        "machine": machine_info(),
        "rounds": rounds,
        "parse_ms": {k: {"p50": percentile(v, 50, 3), "p95": percentile(v, 95, 3), "n": len(v)} for k, v in parse.items()},
        "timer_layer_ms": {k: {"p50": percentile(v, 50, 3), "p95": percentile(v, 95, 3)} for k, v in layer.items()},
        "tick_ms": {str(n): {"p50": percentile(v, 50, 3), "p95": percentile(v, 95, 3)} for n, v in ticks.items()},
        "save_ms_at_max": save_ms,
    }


def table(r: dict) -> str:
    """The figures as a Markdown table."""
    lines = ["# hub bench timers", "", r["method"], "", "| figure | p50 / p95 ms |", "|---|---|"]
    for kind, v in r["parse_ms"].items():
        t = r["timer_layer_ms"][kind]
        lines.append(f"| parse, {kind} (n={v['n']}) | {v['p50']} / {v['p95']} |")
        lines.append(f"| of which the timer layer | {t['p50']} / {t['p95']} |")
    for n, v in r["tick_ms"].items():
        lines.append(f"| agenda tick, {n} timers + {n} scheduled, none due | {v['p50']} / {v['p95']} |")
    lines.append(f"| state file write at {PENDING[-1]} + {PENDING[-1]} | {r['save_ms_at_max']} (once) |")
    lines += ["", machine_line(r["machine"])]
    return "\n".join(lines)
