"""`hub bench pipeline`: per-stage latency of the full audio loop on the sample recordings.

Method: every sample WAV is streamed through the same Pipeline as `hub run --wav`, against a
private mosquitto on 127.0.0.1, ``rounds`` times. Frames are fed as fast as the stages take them
(not paced to real time), so stage costs are wall-clock compute. Two end-to-end figures:

- after endpoint: wall ms from the endpoint decision to the broker's PUBACK of the last message;
- after last voice: the stream ms between the last voiced frame and the endpoint decision (the
  endpointing silence a speaker waits in real time) plus the after-endpoint wall ms.
"""

from __future__ import annotations

import json
import resource
from pathlib import Path

import yaml

from hub.bench.machine import machine_info, machine_line, percentile
from hub.config import Config



def bench_pipeline(cfg: Config, samples_dir: Path, rounds: int = 3) -> dict:
    """Run the samples through the pipeline; return figures as a dict (see module doc)."""
    from hub.app import broker_for
    from hub.audio.wav import frames, read_wav
    from hub.mqtt.link import MqttLink
    from hub.pipeline import Pipeline, load_stages

    listing = yaml.safe_load((samples_dir / "samples.yaml").read_text())
    files = [samples_dir / s["file"] for s in listing["samples"]]
    expected = {s["file"]: s.get("commands") or [] for s in listing["samples"]}
    audio = {f.name: read_wav(f) for f in files}

    per: dict[str, list[float]] = {k: [] for k in ("wake_per_frame", "vad", "asr", "nlu", "route", "publish",
                                                   "after_endpoint", "after_last_voice")}
    rtf: list[float] = []
    correct = total = 0
    with broker_for(cfg, None) as (bcfg, _):
        link = MqttLink(bcfg, cfg.hub.options, client_id="hub-bench")
        try:
            stages = load_stages(cfg, link)
            pipe = Pipeline(stages["wake"], stages["endpointer"], stages["transcriber"],
                            stages["parser"], stages["executor"], cfg.hub.area)
            for r in range(rounds):
                for name, samples in audio.items():
                    turns = list(pipe.run(frames(samples), source=name))
                    if r == 0:
                        got = sorted((c.device, c.action) for t in turns for c in t.understanding.commands)
                        want = sorted((c["device"], c["action"]) for c in expected[name])
                        correct += got == want
                        total += 1
                    for t in turns:
                        for k in ("wake_per_frame", "vad", "asr", "nlu", "route", "publish"):
                            per[k].append(getattr(t.times, "wake" if k == "wake_per_frame" else k))
                        per["after_endpoint"].append(t.after_endpoint_ms)
                        if t.after_last_voice_ms is not None:
                            per["after_last_voice"].append(t.after_last_voice_ms)
                        if t.transcript.text and t.utterance.samples.size:
                            rtf.append(t.times.asr / (t.utterance.samples.size / 16.0))
        finally:
            link.close()
    return {
        "machine": machine_info(),
        "method": __doc__.strip(),
        "samples": len(files),
        "rounds": rounds,
        "commands_correct": f"{correct}/{total}",
        "stages_ms": {k: {"p50": percentile(v, 50), "p95": percentile(v, 95), "n": len(v)} for k, v in per.items()},
        "asr_rtf_p50": percentile(rtf, 50),
        "model_load_ms": {k: round(v, 1) for k, v in stages["load_ms"].items()},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "targets": {"after_endpoint_p50_ms": 400, "after_last_voice_p50_ms": 1000, "rss_mb": 800},
    }


def table(result: dict) -> str:
    """Markdown table of a bench_pipeline result."""
    rows = ["| stage | p50 ms | p95 ms | n |", "|---|---|---|---|"]
    for k, v in result["stages_ms"].items():
        rows.append(f"| {k} | {v['p50']} | {v['p95']} | {v['n']} |")
    rows.append("")
    rows.append(f"ASR real-time factor p50: {result['asr_rtf_p50']}; peak RSS {result['peak_rss_mb']} MB; "
                f"model load ms: {result['model_load_ms']}; commands correct on samples: {result['commands_correct']}")
    m = result["machine"]
    rows.append(machine_line(m))
    return "\n".join(rows)


def write(result: dict, out_dir: Path, name: str, text: str) -> tuple[Path, Path]:
    """Write ``<name>.json`` and ``<name>.md`` into out_dir; return both paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    j, md = out_dir / f"{name}.json", out_dir / f"{name}.md"
    j.write_text(json.dumps(result, indent=2) + "\n")
    md.write_text(text + "\n")
    return j, md
