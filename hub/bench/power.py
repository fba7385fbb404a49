"""`hub bench power`: memory, CPU, latency and accuracy of each model set on the sample recordings.

Method: each set runs in its own fresh Python process (so peak RSS is that set's alone) against a
private mosquitto on 127.0.0.1: load the set's stages (hub.stages.load_audio_stages), stream
every sample WAV through its wake word in 80 ms frames (wall ms per second of audio), then for
each sample command take the utterance the endpointer would (0.3 s before ``command_start_ms`` to
700 ms after ``command_end_ms`` in samples.yaml) and time transcribe -> parse -> route -> publish
until the broker's PUBACK: the end-of-speech→publish latency after the endpoint. The samples'
wake word is "hey jarvis", which the low-power set's microWakeWord model (alexa by default)
does not listen for, so the utterance is cut from the known timings rather than after a
detection. Accuracy: the commands equal those in samples.yaml. CPU seconds are process time
per utterance; the wake word's CPU is process time per second of audio (the always-on part: the
low-power set's VAD runs only after a wake word). RSS: after loading (idle), right after the
first utterance whisper heard (after a fallback), and the peak (ru_maxrss). Latency is also
given per recogniser that gave the transcript (``grammar``, ``whisper``), with the p50 of its
process CPU ms (on a shared machine the wall figure waits for other processes; the CPU one
much less).

- full: openWakeWord (``hub.wake_word``) + faster-whisper tiny.en-home (with base and the grammar
  as second opinions) + the trained intent model;
- low-power: microWakeWord (``power.wake_word``) + pocketsphinx with this home's grammar, and
  whisper tiny.en-home when the grammar is unsure (hub.asr.hybrid; loaded on the first fallback, so
  its load counts in that utterance's latency and its memory in the peak RSS) + intents/ templates.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import yaml

from hub.config_load import load_config
from hub.figures import machine_info, machine_line, percentile
from hub.power.rules import PowerRules
from hub.types import FRAME_SAMPLES, SAMPLE_RATE, AudioFrame

SETS = ("full", "low-power")



def _rss_now_mb() -> float:
    """Resident set size of this process now, MB (/proc/self/statm, Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return round(pages * resource.getpagesize() / 2**20, 1)


def measure_set(model_set: str, config_path: str, samples_dir: str, rules: PowerRules) -> dict:
    """Figures of one set, measured in this process (call it in a fresh one; see module doc)."""
    from hub.app import broker_for
    from hub.audio.wav import read_wav
    from hub.devices.catalog import default_catalog
    from hub.devices.router import Router
    from hub.errors import CommandRefused
    from hub.mqtt.link import MqttLink
    from hub.nlu import load_parser
    from hub.stages import load_audio_stages

    cfg = load_config(config_path).model_copy(update={"power": rules})
    listing = yaml.safe_load((Path(samples_dir) / "samples.yaml").read_text())["samples"]
    t0 = time.perf_counter()
    stages = load_audio_stages(cfg, model_set)
    parser = stages.parser or load_parser(cfg)
    load_ms = (time.perf_counter() - t0) * 1000
    idle_rss = _rss_now_mb()
    fallback_rss = None
    router = Router(cfg, default_catalog())
    wake, asr = stages.wake, stages.transcriber
    wake_ms = wake_cpu_ms = audio_s = 0.0
    after_endpoint: list[float] = []
    by_recogniser: dict[str, list[float]] = {}
    cpu_by_recogniser: dict[str, list[float]] = {}
    cpu_s: list[float] = []
    transcripts = []
    correct = 0
    with broker_for(cfg, None) as (bcfg, _):
        link = MqttLink(bcfg, cfg.hub.options, client_id=f"hub-bench-{model_set}")
        link.connect()
        try:
            for s in listing:
                audio = read_wav(Path(samples_dir) / s["file"])
                wake.reset()
                t0, c0 = time.perf_counter(), time.process_time()
                for i in range(0, len(audio) - FRAME_SAMPLES + 1, FRAME_SAMPLES):
                    wake.process(AudioFrame(audio[i:i + FRAME_SAMPLES], i * 1000 // SAMPLE_RATE))
                wake_ms += (time.perf_counter() - t0) * 1000
                wake_cpu_ms += (time.process_time() - c0) * 1000
                audio_s += len(audio) / SAMPLE_RATE
                if s.get("command_start_ms") is None or s.get("wake_detect_ms") is None:
                    continue  # nothing to hear, or no wake word: the hub would not listen
                start = max(0, s["command_start_ms"] - 300) * SAMPLE_RATE // 1000
                end = (s["command_end_ms"] + 700) * SAMPLE_RATE // 1000
                c0, t0 = time.process_time(), time.perf_counter()
                heard = asr.transcribe(audio[start:end])
                text = heard.text
                commands = parser.parse(text, cfg.hub.area).commands if text else ()
                for c in commands:
                    try:
                        for m in router.route(c):
                            link.publish_and_wait(m, timeout=5.0)
                    except CommandRefused:
                        pass
                after_endpoint.append((time.perf_counter() - t0) * 1000)
                cpu_s.append(time.process_time() - c0)
                by_recogniser.setdefault(heard.recogniser or "none", []).append(after_endpoint[-1])
                cpu_by_recogniser.setdefault(heard.recogniser or "none", []).append(cpu_s[-1] * 1000)
                if heard.recogniser == "whisper" and fallback_rss is None:
                    fallback_rss = _rss_now_mb()
                got = sorted((c.device, c.action) for c in commands)
                ok = got == sorted((c["device"], c["action"]) for c in s.get("commands") or [])
                correct += ok
                transcripts.append({"file": s["file"], "said": s["text"], "heard": text, "correct": ok,
                                    "recogniser": heard.recogniser})
        finally:
            link.close()
    return {
        "model_set": model_set,
        "load_ms": round(load_ms, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "idle_rss_mb": idle_rss,
        "rss_after_fallback_mb": fallback_rss,
        "wake_ms_per_audio_s": round(wake_ms / audio_s, 2) if audio_s else None,
        "wake_cpu_ms_per_audio_s": round(wake_cpu_ms / audio_s, 2) if audio_s else None,
        "after_endpoint_ms": {"p50": percentile(after_endpoint, 50), "p95": percentile(after_endpoint, 95), "n": len(after_endpoint)},
        "after_endpoint_ms_by_recogniser": {r: {"p50": percentile(v, 50), "n": len(v),
                                                "cpu_p50": percentile(cpu_by_recogniser[r], 50)}
                                            for r, v in by_recogniser.items()},
        "cpu_s_per_utterance_p50": percentile(cpu_s, 50),
        "commands_correct": f"{correct}/{len(transcripts)}",
        "transcripts": transcripts,
    }


def bench_power(config_path: str, samples_dir: Path, rules: PowerRules | None = None) -> dict:
    """Run :func:`measure_set` for each set in a fresh process; figures as a dict."""
    rules = rules or PowerRules()
    sets = {}
    for model_set in SETS:
        out = subprocess.run([sys.executable, "-m", "hub.bench.power", model_set, str(config_path),
                              str(samples_dir), rules.model_dump_json()],
                             capture_output=True, text=True, check=True)
        sets[model_set] = json.loads(out.stdout.strip().splitlines()[-1])
    low, full = sets["low-power"], sets["full"]
    return {
        "machine": machine_info(),
        "method": __doc__.strip(),
        "sets": sets,
        "low_power_rss_share_of_full": round(low["peak_rss_mb"] / full["peak_rss_mb"], 3),
        "low_power_refused": sum(t["heard"] == "" for t in low["transcripts"]),
        "targets": {"low_power_rss_share_of_full": 0.25, "low_power_idle_rss_mb": 120,
                    "low_power_rss_after_fallback_mb": 250, "low_power_grammar_after_endpoint_p50_ms": 120,
                    "low_power_wake_cpu_ms_per_audio_s": 3},
    }


def table(result: dict) -> str:
    """Markdown table of a bench_power result."""
    rows = ["| set | load ms | RSS idle MB | after a fallback | peak | wake word CPU ms per audio s | "
            "endpoint→PUBACK p50 ms | p95 ms | p50 by recogniser | CPU s per utterance | commands correct |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    for s in result["sets"].values():
        by = ", ".join(f"{r} {v['p50']} ms ({v['n']}; CPU {v['cpu_p50']} ms)"
                       for r, v in s["after_endpoint_ms_by_recogniser"].items())
        rows.append(f"| {s['model_set']} | {s['load_ms']} | {s['idle_rss_mb']} | {s['rss_after_fallback_mb'] or '-'} | "
                    f"{s['peak_rss_mb']} | {s['wake_cpu_ms_per_audio_s']} | "
                    f"{s['after_endpoint_ms']['p50']} | {s['after_endpoint_ms']['p95']} | {by} | "
                    f"{s['cpu_s_per_utterance_p50']} | {s['commands_correct']} |")
    rows.append("")
    rows.append(f"Low-power RSS is {result['low_power_rss_share_of_full']:.0%} of full (target under 25%); "
                f"the grammar refused {result['low_power_refused']} sample commands (no command is sent for those).")
    m = result["machine"]
    rows.append(machine_line(m))
    return "\n".join(rows)


if __name__ == "__main__":
    # Child process of bench_power: SET CONFIG SAMPLES_DIR RULES_JSON -> one JSON line.
    model_set, config_path, samples_dir, rules_json = sys.argv[1:5]
    rules = PowerRules.model_validate_json(rules_json)
    print(json.dumps(measure_set(model_set, config_path, samples_dir, rules)))
