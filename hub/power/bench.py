"""`hub bench power` (stage part): memory, load time and speed of each model set's wake word and
ASR stages on the sample recordings.

Method: each set runs in its own fresh Python process (so peak RSS is that set's alone): load the
wake word detector and the transcriber, stream every sample WAV through the wake word in 80 ms
frames, then transcribe each sample's command (from 0.3 s before ``command_start_ms`` in
samples.yaml to the end of the file). Stage costs are wall-clock compute, not paced to real
time; both transcribers take the whole utterance after the endpoint.

- full: openWakeWord (``hub.wake_word``) + faster-whisper tiny.en;
- low-power: microWakeWord (``power.wake_word``) + pocketsphinx with this home's grammar.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import yaml

from hub.bench.machine import machine_info
from hub.config import Config, load_config
from hub.power.rules import PowerRules
from hub.types import FRAME_SAMPLES, SAMPLE_RATE, AudioFrame

SETS = ("full", "low-power")


def _pct(xs: list[float], q: float) -> float | None:
    return round(float(np.percentile(xs, q)), 2) if xs else None


def _load_stages(model_set: str, cfg: Config, rules: PowerRules):
    if model_set == "full":
        from hub.asr.whisper import WhisperTranscriber, vocabulary_from_config
        from hub.wake.openwakeword import WakeWordDetector

        return (WakeWordDetector(cfg.hub.wake_word),
                WhisperTranscriber(vocabulary_from_config(cfg), beam_size=cfg.hub.options.asr_beam_size))
    from hub.asr.grammar import GrammarTranscriber
    from hub.wake.micro import MicroWakeWordDetector

    return (MicroWakeWordDetector.for_low_power(rules, cfg.hub.wake_word.refractory_ms),
            GrammarTranscriber(cfg))


def measure_set(model_set: str, config_path: str, samples_dir: str, rules: PowerRules) -> dict:
    """Figures of one set, measured in this process (call it in a fresh one; see module doc)."""
    from hub.audio.wav import read_wav

    cfg = load_config(config_path)
    listing = yaml.safe_load((Path(samples_dir) / "samples.yaml").read_text())["samples"]
    t0 = time.perf_counter()
    wake, asr = _load_stages(model_set, cfg, rules)
    load_ms = (time.perf_counter() - t0) * 1000
    wake_ms = audio_s = 0.0
    asr_ms: list[float] = []
    cpu_s: list[float] = []
    transcripts = []
    for s in listing:
        audio = read_wav(Path(samples_dir) / s["file"])
        c0 = time.process_time()
        wake.reset()
        t0 = time.perf_counter()
        for i in range(0, len(audio) - FRAME_SAMPLES + 1, FRAME_SAMPLES):
            wake.process(AudioFrame(audio[i:i + FRAME_SAMPLES], i * 1000 // SAMPLE_RATE))
        wake_ms += (time.perf_counter() - t0) * 1000
        audio_s += len(audio) / SAMPLE_RATE
        if s.get("command_start_ms") is None:
            continue
        command = audio[max(0, s["command_start_ms"] - 300) * SAMPLE_RATE // 1000:]
        t0 = time.perf_counter()
        text = asr.transcribe(command).text
        asr_ms.append((time.perf_counter() - t0) * 1000)
        cpu_s.append(time.process_time() - c0)
        transcripts.append({"file": s["file"], "said": s["text"], "heard": text})
    return {
        "model_set": model_set,
        "load_ms": round(load_ms, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "wake_ms_per_audio_s": round(wake_ms / audio_s, 2) if audio_s else None,
        "asr_ms": {"p50": _pct(asr_ms, 50), "p95": _pct(asr_ms, 95), "n": len(asr_ms)},
        "cpu_s_per_utterance_p50": _pct(cpu_s, 50),
        "transcripts": transcripts,
    }


def bench_power(config_path: str, samples_dir: Path, rules: PowerRules | None = None) -> dict:
    """Run :func:`measure_set` for each set in a fresh process; figures as a dict."""
    rules = rules or PowerRules()
    sets = {}
    for model_set in SETS:
        out = subprocess.run([sys.executable, "-m", "hub.power.bench", model_set, str(config_path),
                              str(samples_dir), rules.model_dump_json()],
                             capture_output=True, text=True, check=True)
        sets[model_set] = json.loads(out.stdout.strip().splitlines()[-1])
    low, full = sets["low-power"], sets["full"]
    return {
        "machine": machine_info(),
        "method": __doc__.strip(),
        "sets": sets,
        "low_power_rss_share_of_full": round(low["peak_rss_mb"] / full["peak_rss_mb"], 3),
        "low_power_exact": sum(t["heard"] == t["said"].lower() for t in low["transcripts"]),
        "low_power_refused": sum(t["heard"] == "" for t in low["transcripts"]),
        "targets": {"low_power_rss_share_of_full": 0.25},
    }


def table(result: dict) -> str:
    """Markdown table of a bench_power result."""
    rows = ["| set | load ms | peak RSS MB | wake ms per audio s | ASR p50 ms | ASR p95 ms | "
            "CPU s per utterance |", "|---|---|---|---|---|---|---|"]
    for s in result["sets"].values():
        rows.append(f"| {s['model_set']} | {s['load_ms']} | {s['peak_rss_mb']} | "
                    f"{s['wake_ms_per_audio_s']} | "
                    f"{s['asr_ms']['p50']} | {s['asr_ms']['p95']} | {s['cpu_s_per_utterance_p50']} |")
    n = len(result["sets"]["low-power"]["transcripts"])
    rows.append("")
    rows.append(f"Low-power RSS is {result['low_power_rss_share_of_full']:.0%} of full (target under 25%). "
                f"Grammar ASR on the samples: {result['low_power_exact']}/{n} exact, "
                f"{result['low_power_refused']} refused, the rest wrong.")
    m = result["machine"]
    rows.append(f"Machine: {m['cpu']}, {m['cores']} cores, {m['python']}, {m['date']}")
    return "\n".join(rows)


if __name__ == "__main__":
    # Child process of bench_power: SET CONFIG SAMPLES_DIR RULES_JSON -> one JSON line.
    model_set, config_path, samples_dir, rules_json = sys.argv[1:5]
    rules = PowerRules.model_validate_json(rules_json)
    print(json.dumps(measure_set(model_set, config_path, samples_dir, rules)))
