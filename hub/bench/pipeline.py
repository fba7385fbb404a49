"""`hub bench pipeline`: latency of the full audio loop on the sample recordings, with and without
ending an utterance by meaning.

Method: every sample WAV is streamed through the same Pipeline as `hub run`, against a private
mosquitto on 127.0.0.1, with the full model set.

- Accuracy: each sample once, frames fed as fast as the stages take them (the loop then waits for
  each look-ahead, so the result does not depend on the machine's speed), first with
  ``endpoint_by_meaning`` off (the utterance ends after ``endpoint_silence_ms``: before), then on
  (after). A sample is right when its commands are exactly the expected (device, action) pairs.
- Latency: frames fed in real time, as a microphone gives them (hub.audio.wav.paced), so the
  look-ahead's recognition runs while the audio goes on, as it does live: ``rounds`` rounds with
  ending by meaning, and one round without it for comparison on the same machine and moment.
  Two end-to-end figures per utterance:
  - after endpoint: wall ms from the endpoint decision to the broker's PUBACK of the last message
    (with a reading reused from a pause, the recognition happened before the decision);
  - after last voice: wall ms from the moment the last voiced window was heard (the stream start's
    wall time plus the window's stream time) to the broker's PUBACK: what a speaker waits after
    the last word, endpointing silence and recognition included.
  Stage figures (asr, nlu, ...) are wall ms per utterance; asr is the recognition whose transcript
  was used. The 1-minute load average before and after is recorded: other work on the machine
  slows the recogniser.
"""

from __future__ import annotations

import os
import resource
import time
from collections import Counter
from pathlib import Path
from typing import Iterator

import numpy as np
import yaml

from hub.config import Config
from hub.figures import machine_info, machine_line, percentile
from hub.types import FRAME_MS, AudioFrame

STAGES = ("wake_per_frame", "vad", "asr", "nlu", "route", "publish")


def bench_pipeline(cfg: Config, samples_dir: Path, rounds: int = 3) -> dict:
    """Run the samples through the pipeline; return figures as a dict (see module doc)."""
    from hub.app import broker_for
    from hub.audio.wav import read_wav
    from hub.mqtt.link import MqttLink
    from hub.pipeline import Pipeline
    from hub.stages import load_stages
    from hub.vad.endpointer import Endpointer

    listing = yaml.safe_load((samples_dir / "samples.yaml").read_text())
    expected = {s["file"]: sorted((c["device"], c["action"]) for c in s.get("commands") or [])
                for s in listing["samples"]}
    audio = {name: read_wav(samples_dir / name) for name in expected}
    load_before = os.getloadavg()[0]
    with broker_for(cfg, None) as (bcfg, _):
        link = MqttLink(bcfg, cfg.hub.options, client_id="hub-bench")
        try:
            stages = load_stages(cfg, link)
            pipe = Pipeline(stages.wake, stages.endpointer, stages.transcriber,
                            stages.parser, stages.executor, cfg.hub.area)
            by_silence = Endpointer(cfg.hub.options.model_copy(update={"endpoint_by_meaning": False}),
                                    vad=stages.endpointer.vad)
            by_meaning = Endpointer(cfg.hub.options.model_copy(update={"endpoint_by_meaning": True}),
                                    vad=stages.endpointer.vad)
            accuracy = {}
            for label, endpointer in (("before", by_silence), ("after", by_meaning)):
                pipe.replace(endpointer=endpointer)
                accuracy[label] = _accuracy(pipe, audio, expected)
            live = {}
            for label, endpointer, n in (("without_meaning", by_silence, 1), ("with_meaning", by_meaning, rounds)):
                pipe.replace(endpointer=endpointer)
                live[label] = _live(pipe, audio, expected, n)
        finally:
            link.close()
    return {
        "machine": machine_info(),
        "load_avg_1min": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
        "method": __doc__.strip(),
        "options": {k: v for k, v in cfg.hub.options.model_dump().items() if k.startswith("endpoint_")},
        "asr": {k: getattr(cfg.asr, k) for k in ("model", "second_model", "grammar_opinion", "hypotheses", "window_s",
                                                 "ahead_window_s")},
        "samples": len(audio),
        "rounds": rounds,
        "accuracy": accuracy,
        "live": live,
        "model_load_ms": {k: round(v, 1) for k, v in stages.load_ms.items()},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "targets": {"after_last_voice_p50_ms": 500, "after_endpoint_p50_ms": 400, "rss_mb": 600},
    }


def _commands(turns) -> list[tuple[str, str]]:
    return sorted((c.device, c.action) for t in turns for c in t.understanding.commands)


def _accuracy(pipe, audio: dict[str, np.ndarray], expected: dict[str, list]) -> dict:
    """Each sample once, fed as fast as it goes: how many give exactly the expected commands."""
    from hub.audio.wav import frames

    wrong = {}
    ended: Counter = Counter()
    for name, samples in audio.items():
        turns = list(pipe.run(frames(samples), source=name))
        ended.update(t.utterance.reason for t in turns)
        if _commands(turns) != expected[name]:
            wrong[name] = [t.transcript.text for t in turns]
    return {"correct": f"{len(audio) - len(wrong)}/{len(audio)}", "wrong": wrong, "ended_by": dict(ended)}


def _live(pipe, audio: dict[str, np.ndarray], expected: dict[str, list], rounds: int) -> dict:
    """``rounds`` passes over the samples in real time: latencies, how utterances ended, accuracy."""
    per: dict[str, list[float]] = {k: [] for k in (*STAGES, "after_endpoint", "after_last_voice")}
    ended: Counter = Counter()
    read_ahead = pauses_read = correct = total = 0
    for _ in range(rounds):
        for name, samples in audio.items():
            clock: list[float] = []
            for t in pipe.run(_heard(samples, clock), source=name, live=True):
                done = time.perf_counter()
                ended[t.utterance.reason] += 1
                read_ahead += t.read_ahead
                pauses_read += t.pauses_read
                for k in STAGES:
                    per[k].append(getattr(t.times, "wake" if k == "wake_per_frame" else k))
                per["after_endpoint"].append(t.after_endpoint_ms)
                if t.utterance.last_voice_ms is not None:
                    per["after_last_voice"].append((done - clock[0]) * 1000 - t.utterance.last_voice_ms)
                correct += _commands([t]) == expected[name]
                total += 1
    return {
        "stages_ms": {k: {"p50": percentile(v, 50), "p95": percentile(v, 95), "n": len(v)} for k, v in per.items()},
        "ended_by": dict(ended),
        "read_ahead": read_ahead,
        "pauses_read": pauses_read,
        "utterances": total,
        "turns_with_expected_commands": f"{correct}/{total}",
    }


def _heard(samples: np.ndarray, clock: list[float]) -> Iterator[AudioFrame]:
    """The samples' frames in real time; ``clock`` gets the wall time (perf_counter s) of stream time 0."""
    from hub.audio.wav import frames, paced

    for frame in paced(frames(samples)):
        if not clock:
            clock.append(time.perf_counter() - (frame.timestamp_ms + FRAME_MS) / 1000)
        yield frame


def table(result: dict) -> str:
    """Markdown tables of a bench_pipeline result."""
    live = result["live"]
    rows = ["| stage (real-time feed) | with meaning p50 ms | p95 ms | n | without meaning p50 ms | p95 ms | n |",
            "|---|---|---|---|---|---|---|"]
    for k, v in live["with_meaning"]["stages_ms"].items():
        w = live["without_meaning"]["stages_ms"][k]
        rows.append(f"| {k} | {v['p50']} | {v['p95']} | {v['n']} | {w['p50']} | {w['p95']} | {w['n']} |")
    rows.append("")
    for label, r in live.items():
        rows.append(f"Real-time, {label.replace('_', ' ')}: ended by {r['ended_by']}, "
                    f"{r['read_ahead']}/{r['utterances']} read during a pause ({r['pauses_read']} pauses read in all); "
                    f"turns with the expected commands "
                    f"{r['turns_with_expected_commands']}.")
    for label, a in result["accuracy"].items():
        wrong = "; ".join(f"{k}: {v}" for k, v in a["wrong"].items()) or "none"
        rows.append(f"Accuracy {label} (ending by meaning {'on' if label == 'after' else 'off'}): "
                    f"{a['correct']} samples right, ended by {a['ended_by']}; wrong: {wrong}.")
    rows.append(f"Peak RSS {result['peak_rss_mb']} MB; model load ms: {result['model_load_ms']}; "
                f"1-min load average {result['load_avg_1min']['before']} before, {result['load_avg_1min']['after']} after.")
    rows.append(f"Options: {result['options']}; speech recognition: {result['asr']}")
    rows.append(machine_line(result["machine"]))
    return "\n".join(rows)

