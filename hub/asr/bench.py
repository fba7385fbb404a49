"""Measure the speech recogniser: word error rate and latency on recorded speech.

The repository's samples/ (synthetic voices saying this home's commands, listed in
samples/samples.yaml), and real human speech from Debian's pocketsphinx-testdata
(/usr/share/pocketsphinx/test/data, CMU, BSD-2): 5 LibriVox sentences, 5 spoken
card names ("eight of spades four of clubs ...") and "go forward ten meters".

    PYTHONPATH=. python3 -m hub.asr.bench [--samples samples] [--config config.yaml] [--beam 1] [--no-prompt]
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import yaml
from rapidfuzz.distance import Levenshtein

from hub.audio.wav import read_wav
from hub.types import SAMPLE_RATE

POCKETSPHINX_DATA = Path("/usr/share/pocketsphinx/test/data")

_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen " \
        "sixteen seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()


_TITLES = {"mr": "mister", "mrs": "missus", "dr": "doctor"}


def _number_words(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10 - 2] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        return _ONES[n // 100] + " hundred" + ("" if n % 100 == 0 else " " + _number_words(n % 100))
    return str(n)


def normalize_words(text: str) -> list[str]:
    """Words for scoring: lower case, no punctuation, "%" as "percent", whole numbers
    below 1000 spelled out ("21" -> "twenty one"), "Mr." as "mister", hyphens and
    apostrophes dropped ("ill-disposed" == "ill disposed")."""
    text = text.lower().replace("%", " percent").replace("-", " ").replace("'", "")
    text = re.sub(r"\b(mr|mrs|dr)\b\.?", lambda m: _TITLES[m.group(1)], text)
    text = re.sub(r"\d+", lambda m: " " + _number_words(int(m.group())) + " ", text)
    return re.sub(r"[^a-z ]+", " ", text).split()


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / reference words, after :func:`normalize_words`."""
    ref, hyp = normalize_words(reference), normalize_words(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return Levenshtein.distance(ref, hyp) / len(ref)


@dataclass(frozen=True)
class Clip:
    """One utterance to recognise with the text it should give."""

    name: str
    samples: np.ndarray
    """(n,) int16 at 16 kHz."""
    reference: str


def sample_clips(samples_dir: Path) -> list[Clip]:
    """The spoken commands of samples/, cut as the pipeline's endpointer cuts them: from
    150 ms before the command (never before the wake word detection) to 700 ms after it
    (the default endpoint silence). Samples without a command are left out."""
    doc = yaml.safe_load((samples_dir / "samples.yaml").read_text(encoding="utf-8"))
    clips = []
    for s in doc["samples"]:
        if not s["text"] or s["wake_detect_ms"] is None:
            continue
        audio = read_wav(samples_dir / s["file"])
        start = max(s["wake_detect_ms"], s["command_start_ms"] - 150) * SAMPLE_RATE // 1000
        end = (s["command_end_ms"] + 700) * SAMPLE_RATE // 1000
        clips.append(Clip(s["file"], audio[start:end], s["text"]))
    return clips


def transcribed_clips(directory: Path) -> list[Clip]:
    """The WAV files of a pocketsphinx test directory with their ``transcription`` file
    (one ``<s> words </s> (file id)`` per line; ``librivox`` and ``cards`` have one)."""
    clips = []
    listing = next(directory.glob("*transcription"))
    for line in listing.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\s*(?:<s>)?(.*?)(?:</s>)?\s*\((\S+)\)\s*$", line)
        if m:
            clips.append(Clip(m.group(2), read_wav(directory / f"{m.group(2)}.wav"), m.group(1).strip()))
    return clips


def human_speech_sets(data: Path = POCKETSPHINX_DATA) -> dict[str, list[Clip]]:
    """Real recorded speech by set name: ``librivox``, ``cards``, ``goforward``."""
    goforward = np.fromfile(data / "goforward.raw", dtype="<i2")  # raw 16 kHz s16le mono
    return {
        "librivox": transcribed_clips(data / "librivox"),
        "cards": transcribed_clips(data / "cards"),
        # The text is the first rule of goforward.gram, the grammar it was recorded for.
        "goforward": [Clip("goforward", goforward, "go forward ten meters")],
    }


@dataclass(frozen=True)
class Result:
    name: str
    reference: str
    text: str
    wer: float
    ms: float
    """Wall time."""
    cpu_ms: float
    """CPU time of this process (all threads): unlike wall time, not inflated by other
    processes competing for the cores."""
    audio_ms: float
    confidence: float


def run(transcriber, clips: list[Clip]) -> list[Result]:
    """Transcribe each clip once; ``transcriber`` is a :class:`hub.asr.whisper.WhisperTranscriber`."""
    out = []
    for c in clips:
        cpu0 = time.process_time()
        t = transcriber.transcribe(c.samples)
        cpu_ms = (time.process_time() - cpu0) * 1000
        out.append(Result(c.name, c.reference, t.text, word_error_rate(c.reference, t.text), t.ms, cpu_ms,
                          len(c.samples) * 1000 / SAMPLE_RATE, t.confidence))
    return out


def summary(results: list[Result]) -> dict:
    """Corpus WER (errors over all reference words), p50 wall and CPU ms per utterance,
    real-time factor (wall time / audio time)."""
    words = sum(len(normalize_words(r.reference)) for r in results)
    errors = sum(r.wer * len(normalize_words(r.reference)) for r in results)
    return {
        "utterances": len(results),
        "wer": round(errors / words, 4) if words else 0.0,
        "p50_ms": round(statistics.median(r.ms for r in results), 1),
        "max_ms": round(max(r.ms for r in results), 1),
        "p50_cpu_ms": round(statistics.median(r.cpu_ms for r in results), 1),
        "rtf": round(sum(r.ms for r in results) / sum(r.audio_ms for r in results), 3),
    }


def bench_asr(cfg, samples_dir: Path, beam: int = 1, prompt: bool = True) -> dict:
    """Transcribe the samples and Debian's recorded human speech (if installed) with whisper
    tiny.en; returns ``{"load_ms", "beam_size", "prompt", <set>: summary, "clips": [...]}``."""
    from hub.asr.whisper import WhisperTranscriber, vocabulary_from_config

    t0 = time.perf_counter()
    asr = WhisperTranscriber(vocabulary_from_config(cfg) if prompt else [], beam_size=beam)
    load_ms = (time.perf_counter() - t0) * 1000
    sets = {"samples": sample_clips(samples_dir)}
    if POCKETSPHINX_DATA.is_dir():
        sets |= human_speech_sets()
    report: dict = {"load_ms": round(load_ms, 1), "beam_size": beam, "prompt": asr.prompt is not None, "clips": []}
    for name, clips in sets.items():
        results = run(asr, clips)
        report["clips"] += [{"set": name} | asdict(r) for r in results]
        report[name] = summary(results)
    return report


def table(report: dict) -> str:
    """Markdown table of a :func:`bench_asr` report."""
    rows = ["| set | utterances | WER | p50 ms | max ms | p50 CPU ms | RTF |", "|---|---|---|---|---|---|---|"]
    for name, s in report.items():
        if isinstance(s, dict) and "wer" in s:
            rows.append(f"| {name} | {s['utterances']} | {s['wer']} | {s['p50_ms']} | {s['max_ms']} | "
                        f"{s['p50_cpu_ms']} | {s['rtf']} |")
    rows.append(f"\nwhisper tiny.en int8, beam {report['beam_size']}, home prompt {report['prompt']}, "
                f"load {report['load_ms']} ms")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    from hub.config import load_config

    ap = argparse.ArgumentParser(prog="python -m hub.asr.bench", description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=Path, default=Path("samples"))
    ap.add_argument("--config", type=Path, default=Path("config.yaml"))
    ap.add_argument("--beam", type=int, default=1)
    ap.add_argument("--no-prompt", action="store_true", help="no home vocabulary prompt (to measure its effect)")
    args = ap.parse_args(argv)
    report = bench_asr(load_config(args.config), args.samples, args.beam, not args.no_prompt)
    for c in report["clips"]:
        print(f"{c['set']:8s} {c['name']:44s} wer {c['wer']:4.2f} {c['ms']:6.0f} ms  {c['text']!r}  (ref {c['reference']!r})")
    print(table(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
