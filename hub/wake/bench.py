"""`hub bench wake`: detection rate against false accepts per hour, for both wake word engines.

Method. Every set is one continuous 16 kHz stream scored frame by frame (80 ms) by each engine
from a fresh state, so nothing is reset between clips; the score traces are cached
(``~/.cache/hub/wake/traces``) by a hash of the audio. The decisions are then made by the
hub's own code on those traces: :class:`hub.wake.trigger.Trigger` for the threshold, smoothing,
rising edge and 2 s refractory period, and :mod:`hub.wake.confirm` for the VAD gate and the
second stage, which look at the 2 s before each candidate, from the VAD's per-window trace and
the other engine's per-frame trace over the same stream, exactly as
:class:`hub.wake.confirm.WakeStage` does while listening.

- Positives, real: the wake-word benchmark's "alexa" recordings (alexa is packaged in both
  engines), as recorded, 2-3 s of silence apart; a recording is detected if a detection ends
  inside it or up to 1 s after it. Conditions: clean; household noise (see
  :func:`hub.wake.benchdata.household_noise`) at 10 dB SNR; background talk at 10 dB SNR (a
  continuous stream of other speakers: the benchmark's other keywords and LibriVox).
  SNR = active speech power of the recording (20 ms windows within 30 dB of its loudest) over
  the mean power of the added sound in the stretch ending with it.
- Positives, synthetic: "hey jarvis" and "alexa", each followed by a command, in the voices of
  :func:`hub.wake.benchdata.voices` (Piper joe, Hibari, espeak-ng), clean and with household
  noise at 10 dB, scored with the matching model: detection per voice family.
- Negatives (false accepts per hour of audio): conversation (every benchmark keyword's
  recordings and pocketsphinx-testdata's LibriVox and cards, shuffled, 0.2-1 s apart; the
  model's own keyword is left out: alexa for alexa, jarvis for hey_jarvis), synthetic TV
  (licence texts read by the synthetic voices over a music bed 15 dB down, with music
  interludes), music alone and household noise alone. "TV and conversation" pools the first
  two.

Split. Thresholds are chosen on a development half and reported on the other half beside the
full figure. The benchmark gives no speaker labels, but its alexa files are numbered in
recording order, one speaker's takes together (consecutive numbers sound alike: see
:func:`neighbour_likeness`, measured on every run), so the real recordings are split by number: the
lower half (0-164 of 0-328) is the development half, the upper half held out; only the speaker
at the boundary can be on both sides (:func:`speaker_halves`). Negative streams are split in
time: false accepts in the first half of each (the conversation stream is a shuffle of every
clip, so its first half is a random half of them) are the development half's. Synthetic voices
are not split (no choice is fitted on them except hey_jarvis's, which has no real recordings).

Variants: ``smoothing_frames`` (mean over frames), the VAD gate (Silero for openWakeWord, as
in the full set; pymicro-vad for microWakeWord, as in the low-power set; at least
``GATE_MS`` or ``GATE_LOW_MS`` voiced in the window), the second stage (the other engine's same
model, best frame in the window at least ``SECOND_THRESHOLD``), and either engine proposing (the
other engine's same model at ``EITHER_THRESHOLD``, beside the swept one; one candidate per refractory period, as :class:`hub.wake.confirm.EitherEngine`),
alone and together; the checks may pass up to ``WAIT_MS`` after a candidate. For openWakeWord
first (the full set) also a grid: every gate in ``GATE_SWEEP``, smoothing 1 and 2, with
microWakeWord proposing at every threshold of ``EITHER_SWEEP`` and a candidate both engines
proposed within the window skipping the gate (``both_engines_skip_gate``): the per-model
thresholds of both engines are chosen from it (:data:`CHOICE_RULE`). The shipped stage is also
decided with the gate on every candidate, for comparison.

Front end (``--noise-suppression``, ``--auto-gain-dbfs``): every stream goes through WebRTC's noise
suppression and auto gain (:class:`hub.wake.frontend.NoiseFrontEnd`) before the engines and VADs.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from hub.errors import HubError
from hub.figures import machine_info, machine_line
from hub.types import FRAME_MS, FRAME_SAMPLES, SAMPLE_RATE, AudioFrame
from hub.vad import WINDOW_SAMPLES
from hub.wake import benchdata as bd
from hub.wake.confirm import VAD_SPEECH_PROB, VAD_WINDOW_MS, gate_windows, stage_frames
from hub.wake.trigger import Trigger

ENGINES = ("openwakeword", "micro")
MODELS = ("alexa", "hey_jarvis")
OWN_KEYWORD = {"alexa": "alexa", "hey_jarvis": "jarvis"}
"""The benchmark keyword each model listens for: left out of its negatives."""
THRESHOLDS = (0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97,
              0.98, 0.99, 0.995, 0.998, 0.999)
WINDOW_MS = 2000
WAIT_MS = 400
GATE_MS = 200
GATE_LOW_MS = 64
EITHER_THRESHOLD = 0.995
SECOND_THRESHOLD = 0.5
GATE_SWEEP = (0, 64, 128, 200)
"""VAD gates of the grid (ms voiced in the window)."""
EITHER_SWEEP = (0.5, 0.7, 0.8, 0.9, 0.95, 0.97, 0.98, 0.99, 0.995, 0.998)
"""microWakeWord thresholds of the grid, beside openWakeWord's swept one."""
REFRACTORY_MS = 2000
SNR_DB = 10.0
HIT_AFTER_S = 1.0
TARGETS = {"clean": 0.97, "noise": 0.97, "talk": 0.85, "fa_per_hour": 0.5}
CONDS = ("clean", "noise", "talk")
POOLED = ("talk", "tv")
"""Negative sets pooled as "TV and conversation"."""
PARTS = ("dev", "held")
"""Halves of every count: development (thresholds are chosen here) and held out."""


@dataclass(frozen=True)
class Variant:
    """One way of deciding: smoothing frames, VAD gate (min voiced ms, 0 off), second stage
    (threshold, 0 off), the other engine proposing too (its threshold, 0 off), and whether a
    candidate both engines proposed skips the gate (``agree``)."""

    name: str
    smoothing: int = 1
    gate_ms: int = 0
    second: float = 0.0
    either: float = 0.0
    agree: bool = False


def shipped(model: str) -> tuple[Variant, float]:
    """The decision the hub ships for ``model`` (``hub.config.WakeWordConfig``'s defaults, each
    engine's threshold from models/wake/thresholds.yaml) and openWakeWord's threshold."""
    from hub.config import WakeWordConfig
    from hub.wake.thresholds import full_set_thresholds

    cfg = WakeWordConfig(model=model)
    own = full_set_thresholds(model)
    second = cfg.second_stage.threshold if cfg.second_stage else 0.0
    either = 0.0
    if cfg.either_engine:
        either = cfg.either_engine.threshold if cfg.either_engine.threshold is not None else own.microwakeword
    threshold = cfg.threshold if cfg.threshold is not None else own.openwakeword
    agree = bool(either) and cfg.both_engines_skip_gate
    return Variant("shipped", cfg.smoothing_frames, cfg.vad_gate_ms, second, either, agree), threshold


def shipped_gate_always(model: str) -> Variant:
    """The shipped decision with the VAD gate on every candidate (before both_engines_skip_gate)."""
    v = shipped(model)[0]
    return Variant("shipped, gate always", v.smoothing, v.gate_ms, v.second, v.either)


VARIANTS = (
    Variant("base"),
    Variant("smooth2", smoothing=2),
    Variant("smooth3", smoothing=3),
    Variant("vad64", gate_ms=GATE_LOW_MS),
    Variant("vad", gate_ms=GATE_MS),
    Variant("second0.2", second=0.2),
    Variant("second", second=SECOND_THRESHOLD),
    Variant("second0.8", second=0.8),
    Variant("vad+second0.2", gate_ms=GATE_MS, second=0.2),
    Variant("vad+second", gate_ms=GATE_MS, second=SECOND_THRESHOLD),
    Variant("smooth2+vad+second", smoothing=2, gate_ms=GATE_MS, second=SECOND_THRESHOLD),
    Variant("either", either=EITHER_THRESHOLD),
    Variant("vad+either", gate_ms=GATE_MS, either=EITHER_THRESHOLD),
)
"""Each mechanism alone and a few together, for both engines (the other engine is the second
stage or the other proposer)."""
GRID = tuple(Variant(f"gate{g}{'+smooth2' if sm == 2 else ''}+either{e:g}", smoothing=sm, gate_ms=g, either=e,
                     agree=True) for sm in (1, 2) for g in GATE_SWEEP for e in EITHER_SWEEP)
"""openWakeWord with microWakeWord proposing beside it: the full set's stage, swept (a candidate
both engines proposed skips the gate, as ``both_engines_skip_gate``)."""


def variants_for(engine: str, model: str) -> tuple[Variant, ...]:
    """What ``evaluate`` decides for an engine's model: the shipped stage and the grid for
    openWakeWord (the full set's first engine), the named variants for both."""
    if engine == "openwakeword":
        return (shipped(model)[0], shipped_gate_always(model), *VARIANTS, *GRID)
    return VARIANTS


def thresholds_for(engine: str, model: str) -> list[float]:
    extra = {shipped(model)[1]} if engine == "openwakeword" else set()
    return sorted(set(THRESHOLDS) | extra)


def file_number(name: str) -> tuple[int, str]:
    """Sort key of a benchmark file by its number (``17.flac`` -> 17); others after, by name."""
    stem = Path(name).stem
    return (int(stem), name) if stem.isdigit() else (1 << 62, name)


def speaker_halves(names: list[str]) -> np.ndarray:
    """(n,) bool, True for the development half of recordings named ``names`` (e.g. ``17.flac``):
    the lower half by number (the larger half when odd). The benchmark numbers one speaker's
    takes together, so a split by number is a split by speaker but at the boundary."""
    order = sorted(range(len(names)), key=lambda i: file_number(names[i]))
    dev = np.zeros(len(names), bool)
    dev[order[:(len(names) + 1) // 2]] = True
    return dev


def _detector(engine: str, model: str):
    from hub.config import WakeWordConfig

    cfg = WakeWordConfig(model=model)
    if engine == "openwakeword":
        from hub.wake.openwakeword import WakeWordDetector

        return WakeWordDetector(cfg, also=tuple(m for m in MODELS if m != model))
    from hub.wake.micro import MicroWakeWordDetector

    return MicroWakeWordDetector(cfg)


def _vad(engine: str):
    if engine == "openwakeword":
        from hub.vad.silero import SileroVad

        return SileroVad()
    from hub.vad.micro import MicroVadWindows

    return MicroVadWindows()


def other(engine: str) -> str:
    return ENGINES[1 - ENGINES.index(engine)]


def _voice_print(x: np.ndarray) -> np.ndarray:
    """A recording's long-term spectrum: mean log power of its loudest 30 % of 25 ms windows in 20
    bands, less its mean (so level does not count), and its room's in 10 bands (quietest 20 %)."""
    n = len(x) // 400 * 400
    spec = np.abs(np.fft.rfft(x[:n].reshape(-1, 400) * np.hanning(400), axis=1)) ** 2
    energy = spec.sum(axis=1)

    def bands(rows: np.ndarray, k: int) -> np.ndarray:
        v = np.array([b.mean() for b in np.array_split(np.log(rows.mean(axis=0) + 1e-10), k)])
        return v - v.mean()

    return np.concatenate([bands(spec[energy >= np.percentile(energy, 70)], 20),
                           0.5 * bands(spec[energy <= np.percentile(energy, 20)], 10)])


def neighbour_likeness(clips: list[np.ndarray], names: list[str], seed: int = 0) -> dict[str, float]:
    """How alike recordings with neighbouring file numbers are, against random pairs: the median
    distance between standardised :func:`_voice_print` s of each file and the next by number,
    and of 2,000 random pairs. Much closer neighbours mean the numbering keeps one speaker's takes
    together, which is what makes :func:`speaker_halves` a speaker split."""
    order = sorted(range(len(names)), key=lambda i: file_number(names[i]))
    prints = np.array([_voice_print(clips[i]) for i in order])
    prints = (prints - prints.mean(axis=0)) / (prints.std(axis=0) + 1e-9)
    rng = np.random.default_rng(seed)
    pairs = [rng.choice(len(prints), 2, replace=False) for _ in range(2000)]
    return {"neighbours": round(float(np.median(np.linalg.norm(prints[1:] - prints[:-1], axis=1))), 2),
            "random": round(float(np.median([np.linalg.norm(prints[a] - prints[b]) for a, b in pairs])), 2)}


class Scorers:
    """One loaded detector per (engine, model) and one VAD per engine, reused."""

    def __init__(self) -> None:
        self._det: dict = {}
        self._vad: dict = {}

    def detector(self, engine: str, model: str):
        if (engine, model) not in self._det:
            self._det[engine, model] = _detector(engine, model)
        return self._det[engine, model]

    def vad(self, engine: str):
        if engine not in self._vad:
            self._vad[engine] = _vad(engine)
        return self._vad[engine]


def trace(scorers: Scorers, stream: bd.Stream, audio16: np.ndarray, engine: str, model: str, cache: Path) -> np.ndarray:
    """Per-frame scores (n_frames,) float32 of ``engine``'s ``model`` over the stream, cached.
    openWakeWord scores every model of :data:`MODELS` in the same pass (they share its audio
    features) and caches each."""
    def path(m: str) -> Path:
        return cache / "traces" / f"{stream.key()}-{engine}-{m}.npy"

    if path(model).is_file():
        return np.load(path(model))
    det = scorers.detector(engine, model)
    det.reset()
    n = len(audio16) // FRAME_SAMPLES
    names = list(MODELS) if engine == "openwakeword" else [model]
    out = {m: np.empty(n, np.float32) for m in names}
    for i in range(n):
        score = det.score(AudioFrame(audio16[i * FRAME_SAMPLES:(i + 1) * FRAME_SAMPLES], i * FRAME_MS))
        for m in names:
            out[m][i] = det.last_scores[m] if engine == "openwakeword" else score
    path(model).parent.mkdir(parents=True, exist_ok=True)
    for m, scores in out.items():
        np.save(path(m), scores)
    return out[model]


def candidates(scores: np.ndarray, threshold: float, smoothing: int) -> list[int]:
    """Frame indices where :class:`Trigger` fires."""
    if scores.size == 0 or scores.max() < threshold:  # the mean of scores never exceeds their max
        return []
    trig = Trigger(threshold, smoothing, REFRACTORY_MS)
    return [i for i, s in enumerate(scores.tolist()) if trig.update(s, (i + 1) * FRAME_MS) is not None]


def either_candidates(first: list[int], other: list[int]) -> list[int]:
    """Candidate frames of two engines merged as :class:`hub.wake.confirm.EitherEngine` merges
    them: any engine's, then none for ``REFRACTORY_MS``."""
    out: list[int] = []
    for f in sorted(set(first) | set(other)):
        if not out or (f - out[-1]) * FRAME_MS >= REFRACTORY_MS:
            out.append(f)
    return out


def both_heard(first: list[int], other: list[int], n: int) -> np.ndarray:
    """(n,) bool: per frame, whether both engines' triggers fired (``first``, ``other``: their
    candidate frames) within the stage window ending with it, as
    :meth:`hub.wake.confirm.EitherEngine.both_heard_after` answers it."""
    def last_fired(frames: list[int]) -> np.ndarray:
        marks = np.full(n, -(10**9), np.int64)
        marks[[f for f in frames if f < n]] = [f for f in frames if f < n]
        return np.maximum.accumulate(marks)

    window = stage_frames(WINDOW_MS)
    now = np.arange(n)
    return (now - last_fired(first) < window) & (now - last_fired(other) < window)


def vad_trace(scorers: Scorers, stream: bd.Stream, audio16: np.ndarray, engine: str, cache: Path) -> np.ndarray:
    """Speech probability per 32 ms window (n_windows,) float32 of the engine's set's VAD, cached."""
    path = cache / "traces" / f"{stream.key()}-vad-{engine}.npy"
    if path.is_file():
        return np.load(path)
    vad = scorers.vad(engine)
    vad.reset()
    step = FRAME_SAMPLES * 100
    out = np.array([p for i in range(0, len(audio16), step) for p in vad.process(audio16[i:i + step])], np.float32)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, out)
    return out


class Checks:
    """What :class:`hub.wake.confirm.VoiceGate` and :class:`hub.wake.confirm.SecondStage` answer
    at a candidate frame, from the stream's VAD trace and the other engine's score trace."""

    def __init__(self, vad: np.ndarray, second: np.ndarray):
        self.voiced = vad >= VAD_SPEECH_PROB
        self.second = second
        self.n_windows = gate_windows(WINDOW_MS)
        self.n_frames = stage_frames(WINDOW_MS)
        n = len(second)
        # per frame f: voiced ms in the VAD windows complete by its end, within the window
        done = (np.arange(n) + 1) * FRAME_SAMPLES // WINDOW_SAMPLES
        cum = np.concatenate([[0], np.cumsum(self.voiced, dtype=np.int64)])
        hi = np.minimum(done, len(self.voiced))
        lo = np.minimum(np.maximum(0, done - self.n_windows), hi)
        self.speech_ms = VAD_WINDOW_MS * (cum[hi] - cum[lo])
        # per frame f: the other engine's best score in the frames of the window ending with f
        padded = np.concatenate([np.zeros(self.n_frames - 1, np.float32), second.astype(np.float32)])
        self.second_best = (np.lib.stride_tricks.sliding_window_view(padded, self.n_frames).max(axis=1)
                            if n else np.zeros(0, np.float32))

    def at(self, frame: int) -> tuple[int, float]:
        """(voiced ms, second-stage score) when the frame ``frame`` has been processed."""
        return int(self.speech_ms[frame]), float(self.second_best[frame])


def accepted(events: list[int], checks: Checks, v: Variant, both: np.ndarray | None = None) -> list[int]:
    """The frames at which candidates pass the variant's gate and second stage together, within
    ``WAIT_MS`` of the first stage (as :class:`hub.wake.confirm.WakeStage` decides); ``both``
    (:func:`both_heard`) passes the gate where it is true."""
    if not (v.gate_ms or v.second) or not events:
        return events
    last = len(checks.speech_ms) - 1
    frames = np.minimum(np.asarray(events)[:, None] + np.arange(WAIT_MS // FRAME_MS + 1), last)
    gate = checks.speech_ms[frames] >= v.gate_ms
    if both is not None:
        gate |= both[frames]
    ok = gate & (checks.second_best[frames] >= v.second)
    found = ok.any(axis=1)
    return frames[found, ok[found].argmax(axis=1)].tolist()


def evaluate(scorers: Scorers, stream: bd.Stream, engine: str, model: str, cache: Path,
             dev: np.ndarray | None) -> dict:
    """Per variant (:func:`variants_for`), per threshold: [development, held-out] counts of
    recordings detected (a positive stream: ``dev`` marks each span's half) or of false accepts
    (a negative one, ``dev`` None: the first half of the stream in time is the development one)."""
    audio16 = bd.to_int16(stream.audio)
    scores = trace(scorers, stream, audio16, engine, model, cache)
    second = trace(scorers, stream, audio16, other(engine), model, cache)
    checks = Checks(vad_trace(scorers, stream, audio16, engine, cache), second)
    own = [(s, e) for s, e, lab in stream.spans if lab == OWN_KEYWORD[model]]
    out: dict[str, dict[str, list[int]]] = {}
    fired: dict[tuple[str, int, float], list[int]] = {}

    def fire(which: str, smoothing: int, t: float) -> list[int]:
        if (which, smoothing, t) not in fired:
            fired[which, smoothing, t] = candidates(scores if which == "first" else second, t, smoothing)
        return fired[which, smoothing, t]

    if dev is not None:
        starts = np.array([s for s, _, _ in stream.spans])
        stops = np.array([e for _, e, _ in stream.spans]) + HIT_AFTER_S * SAMPLE_RATE
    for v in variants_for(engine, model):
        counts = {}
        for t in thresholds_for(engine, model):
            proposed, both = fire("first", v.smoothing, t), None
            if v.either:
                if v.agree:
                    both = both_heard(proposed, fire("other", v.smoothing, v.either), len(scores))
                proposed = either_candidates(proposed, fire("other", v.smoothing, v.either))
            ends = np.array([(e + 1) * FRAME_SAMPLES for e in accepted(proposed, checks, v, both)], np.int64)
            if dev is not None:
                hit = np.zeros(len(starts), bool)
                if ends.size:  # a span is detected if a detection ends in [start, end + HIT_AFTER_S]
                    first_end = np.searchsorted(ends, starts)
                    ok = first_end < ends.size
                    hit[ok] = ends[first_end[ok]] <= stops[ok]
                counts[str(t)] = [int((hit & dev).sum()), int((hit & ~dev).sum())]
            else:
                false = [x for x in ends.tolist() if not any(s <= x <= e for s, e in own)]
                half = len(stream.audio) // 2
                counts[str(t)] = [sum(x < half for x in false), sum(x >= half for x in false)]
        out[v.name] = counts
    return out


def negative_hours(stream: bd.Stream, model: str) -> dict[str, float]:
    """Hours of each half of a negative stream (and both), less the model's own keyword."""
    half = len(stream.audio) // 2
    own = [(s, e) for s, e, lab in stream.spans if lab == OWN_KEYWORD[model]]
    out = {}
    for part, (lo, hi) in (("dev", (0, half)), ("held", (half, len(stream.audio)))):
        kept = (hi - lo) - sum(max(0, min(e, hi) - max(s, lo)) for s, e in own)
        out[part] = round(kept / SAMPLE_RATE / 3600, 4)
    out["all"] = round(out["dev"] + out["held"], 4)
    return out


# ---------------------------------------------------------------- the sets


def mix_at_snr(stream_audio: np.ndarray, spans: list[tuple[int, int, str]], sound: np.ndarray,
               snr_db: float) -> np.ndarray:
    """``sound`` (as long as the stream) added, scaled per stretch (previous span end .. this
    span end) to ``snr_db`` below that span's speech."""
    out = stream_audio.copy()
    prev = 0
    for i, (s, e, _) in enumerate(spans):
        end = len(out) if i == len(spans) - 1 else e
        out[prev:end] += bd.scale_to_snr(stream_audio[s:e], sound[prev:end], snr_db)
        prev = end
    return out


def _babble(pool: list[np.ndarray], n: int, rng: np.random.Generator) -> np.ndarray:
    """A continuous stream of other speakers (``pool`` clips back to back, trimmed, level-matched)."""
    parts, total = [], 0
    while total < n:
        c = bd.normalise(bd.trim(pool[rng.integers(len(pool))]), -26.0)
        parts.append(c)
        total += len(c)
    return np.concatenate(parts)[:n]


def _subset(n: int, limit: int | None, rng: np.random.Generator) -> list[int]:
    """Indices of a seeded random subset of ``limit`` of ``n`` (all if no limit)."""
    if limit is None or limit >= n:
        return list(range(n))
    return sorted(rng.choice(n, limit, replace=False).tolist())


class Sets:
    """Builds each stream on demand (a few hundred MB each at full size, so one at a time)."""

    def __init__(self, audio_dir: Path, cache: Path, limit: int | None, tv_minutes: float, seed: int = 2026):
        self.cache = cache
        self.limit = limit
        self.tv_minutes = tv_minutes
        self.seed = seed
        rng = np.random.default_rng(seed)
        self.clips, self.names = {}, {}
        for k in bd.KEYWORDS:
            clips, files = bd.keyword_clips(audio_dir, k, cache), bd.keyword_files(audio_dir, k)
            keep = _subset(len(clips), limit, rng)
            self.clips[k] = [clips[i] for i in keep]
            self.names[k] = [files[i].name for i in keep]
        self.alexa_dev = speaker_halves(self.names["alexa"])
        """(n_alexa,) bool: the development half of the real recordings, in clip order."""
        self.librivox = bd.librivox_and_cards()
        others = [c for k in bd.KEYWORDS if k not in ("alexa", "jarvis") for c in self.clips[k]]
        self.talk_pool = others + self.librivox

    def _rng(self, name: str) -> np.random.Generator:
        return np.random.default_rng([self.seed, sum(map(ord, name))])

    def positives(self) -> Iterator[tuple[str, bd.Stream]]:
        for cond in ("clean", "noise", "talk"):
            rng = self._rng("alexa/" + cond)
            audio, spans = bd.concat([(c, "alexa") for c in self.clips["alexa"]], (2.0, 3.0), rng)
            if cond == "noise":
                audio = mix_at_snr(audio, spans, bd.household_noise(len(audio), rng), SNR_DB)
            elif cond == "talk":
                audio = mix_at_snr(audio, spans, _babble(self.talk_pool, len(audio), rng), SNR_DB)
            yield cond, bd.Stream(f"alexa/{cond}", audio, spans)

    def negatives(self) -> Iterator[tuple[str, bd.Stream]]:
        rng = self._rng("talk")
        parts = [(c, k) for k in bd.KEYWORDS for c in self.clips[k]] + [(c, "librivox") for c in self.librivox]
        order = rng.permutation(len(parts))
        audio, spans = bd.concat([parts[i] for i in order], (0.2, 1.0), rng)
        yield "talk", bd.Stream("talk", audio, spans)
        del audio
        yield "tv", self.tv()
        minutes = 10 if self.limit is None else 5
        n = int(minutes * 60 * SAMPLE_RATE)
        yield "music", bd.Stream("music", 0.05 * bd.music(n, self._rng("music")))
        yield "noise", bd.Stream("noise", 0.05 * bd.household_noise(n, self._rng("noise")))

    def tv(self) -> bd.Stream:
        """Synthetic TV: sentences read by the synthetic voices in turn, over music 15 dB down,
        with a 10-20 s music interlude every ten sentences; cached."""
        path = self.cache / f"tv-{self.tv_minutes:g}min-{self.seed}.npy"
        if path.is_file():
            return bd.Stream("tv", np.load(path))
        rng = self._rng("tv")
        speakers = bd.Speakers()
        voices = bd.voices()
        chunks = [np.zeros(SAMPLE_RATE, np.float32)]
        for i, sentence in enumerate(bd.tv_script(2000)):
            if sum(map(len, chunks)) >= self.tv_minutes * 60 * SAMPLE_RATE:
                break
            speech = bd.normalise(speakers.say(voices[rng.integers(len(voices))], sentence), -26.0)
            bed = bd.scale_to_snr(speech, bd.music(len(speech), rng), 15.0)
            chunks += [speech + bed, np.zeros(int(rng.uniform(0.3, 1.0) * SAMPLE_RATE), np.float32)]
            if i % 10 == 9:
                chunks.append(0.05 * bd.music(int(rng.uniform(10, 20) * SAMPLE_RATE), rng))
        audio = np.concatenate(chunks).astype(np.float32)
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, audio)
        return bd.Stream("tv", audio)

    def voices(self) -> Iterator[tuple[str, str, str, bd.Stream]]:
        """(model, family, condition, stream) of the synthetic voices saying the wake words."""
        path = self.cache / f"voices-{self.seed}.npz"
        phrases = {"hey_jarvis": "hey jarvis", "alexa": "alexa"}
        commands = ("turn on the kitchen light", "what is the temperature in the bedroom")
        voices = bd.voices()
        if path.is_file():
            with np.load(path) as z:
                said = {k: z[k] for k in z.files}
        else:
            speakers = bd.Speakers()
            said = {f"{m}|{v.family}|{v.name}|{v.setting}|{c}": speakers.say(v, f"{p}, {c}")
                    for m, p in phrases.items() for v in voices for c in commands}
            path.parent.mkdir(parents=True, exist_ok=True)
            np.savez(path, **said)
        for model in phrases:
            for family in ("piper", "hibari", "espeak"):
                clips = [bd.normalise(x, -26.0) for k, x in said.items() if k.startswith(f"{model}|{family}|")]
                for cond in ("clean", "noise"):
                    rng = self._rng(f"{model}/{family}/{cond}")
                    audio, spans = bd.concat([(c, model) for c in clips], (2.0, 3.0), rng)
                    if cond == "noise":
                        audio = mix_at_snr(audio, spans, bd.household_noise(len(audio), rng), SNR_DB)
                    yield model, family, cond, bd.Stream(f"{model}/{family}/{cond}", audio, spans)


# ---------------------------------------------------------------- the run


def through(front_end: tuple[int, int] | None, stream: bd.Stream) -> bd.Stream:
    """The stream as the engines hear it behind :class:`hub.wake.frontend.NoiseFrontEnd`
    (noise suppression level, auto gain dBFS) from a fresh state; unchanged for None."""
    if front_end is None:
        return stream
    from hub.wake.frontend import CHUNK_SAMPLES, NoiseFrontEnd

    audio16 = bd.to_int16(stream.audio)
    audio16 = audio16[:len(audio16) // CHUNK_SAMPLES * CHUNK_SAMPLES]
    out = NoiseFrontEnd(*front_end).process(audio16).astype(np.float32) / 32767
    return bd.Stream(stream.name, out, stream.spans)


def bench_wake(data: Path, limit: int | None = None, tv_minutes: float = 15.0,
               progress: Callable[[str], None] = print, front_end: tuple[int, int] | None = None) -> dict:
    """Score every set with both engines and return the counts and rates (see module doc).
    ``limit`` takes that many recordings per benchmark keyword (a seeded random subset);
    ``front_end`` (noise suppression 0-4, auto gain dBFS 0-31) puts every stream through
    :class:`hub.wake.frontend.NoiseFrontEnd` first. Raises HubError naming any missing source."""
    cache = bd.cache_dir()
    audio_dir = bd.benchmark_audio(Path(data), cache)
    sets = Sets(audio_dir, cache, limit, tv_minutes)
    scorers = Scorers()
    t0 = time.time()
    res: dict = {"positives": {}, "negatives": {}, "voices": {}}
    for cond, stream in sets.positives():
        stream = through(front_end, stream)
        progress(f"alexa {cond}: {len(stream.spans)} recordings, {stream.hours * 60:.1f} min")
        res["positives"][cond] = {"n": len(stream.spans), "n_dev": int(sets.alexa_dev.sum()),
                                  "n_held": int((~sets.alexa_dev).sum()), "minutes": round(stream.hours * 60, 2),
                                  **{e: evaluate(scorers, stream, e, "alexa", cache, sets.alexa_dev) for e in ENGINES}}
    for name, stream in sets.negatives():
        stream = through(front_end, stream)
        progress(f"negatives {name}: {stream.hours * 60:.1f} min")
        res["negatives"][name] = {
            m: {"hours": negative_hours(stream, m),
                **{e: evaluate(scorers, stream, e, m, cache, None) for e in ENGINES}} for m in MODELS}
    for model, family, cond, stream in sets.voices():
        stream = through(front_end, stream)
        progress(f"voices {model} {family} {cond}: {len(stream.spans)} utterances")
        every = np.ones(len(stream.spans), bool)  # not split: all count as development
        res["voices"].setdefault(model, {}).setdefault(family, {})[cond] = {
            "n": len(stream.spans), **{e: evaluate(scorers, stream, e, model, cache, every) for e in ENGINES}}
    alexa = sets.names["alexa"]
    result = {
        "machine": machine_info(),
        "method": __doc__.strip(),
        "data": str(audio_dir),
        "limit_per_keyword": limit,
        "recordings": {k: len(v) for k, v in sets.clips.items()} | {"librivox+cards": len(sets.librivox)},
        "split": {"dev": sorted((n for n, d in zip(alexa, sets.alexa_dev) if d), key=file_number),
                  "held": sorted((n for n, d in zip(alexa, sets.alexa_dev) if not d), key=file_number),
                  "voice_print_distance": neighbour_likeness(sets.clips["alexa"], alexa)},
        "tv_minutes": tv_minutes,
        "thresholds": list(THRESHOLDS),
        "variants": {v.name: {"smoothing_frames": v.smoothing, "vad_gate_ms": v.gate_ms, "second_stage": v.second,
                              "either_engine": v.either, "both_engines_skip_gate": v.agree}
                      for m in MODELS for e in ENGINES for v in variants_for(e, m)
                     if v.name != "shipped"},
        "shipped": {m: {"threshold": shipped(m)[1], **shipped(m)[0].__dict__} for m in MODELS},
        "front_end": None if front_end is None else {"noise_suppression": front_end[0],
                                                      "auto_gain_dbfs": front_end[1]},
        "shipped_stage": stage_cost(sets, front_end),
        "window_ms": WINDOW_MS,
        "wait_ms": WAIT_MS,
        "targets": TARGETS,
        "wall_s": round(time.time() - t0, 1),
        "counts": res,
    }
    result["choice"] = choose(result)
    return result


def stage_cost(sets: Sets, front_end: tuple[int, int] | None = None, seconds: float = 60.0) -> dict:
    """CPU and wall milliseconds per audio second of the shipped hey_jarvis stage
    (:func:`hub.wake.confirm.full_set_stage` with ``WakeWordConfig()``'s defaults), behind the
    noise front end if given, over the first ``seconds`` of the clean alexa stream, as the hub
    runs it frame by frame."""
    from hub.config import WakeWordConfig
    from hub.wake.confirm import full_set_stage
    from hub.wake.frontend import NoiseFrontEnd
    from hub.wake.openwakeword import WakeWordDetector

    cfg = WakeWordConfig()
    stage = full_set_stage(WakeWordDetector(cfg), cfg)
    front = None if front_end is None else NoiseFrontEnd(*front_end)
    _, stream = next(sets.positives())
    audio16 = bd.to_int16(stream.audio[:int(seconds * SAMPLE_RATE)])
    n = len(audio16) // FRAME_SAMPLES
    cpu, wall = time.process_time(), time.perf_counter()
    for i in range(n):
        samples = audio16[i * FRAME_SAMPLES:(i + 1) * FRAME_SAMPLES]
        stage.process(AudioFrame(samples if front is None else front.process(samples), i * FRAME_MS))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    audio_s = n * FRAME_MS / 1000
    return {"audio_s": audio_s, "cpu_ms_per_audio_s": round(1000 * cpu / audio_s, 2),
            "wall_ms_per_audio_s": round(1000 * wall / audio_s, 2)}


# ---------------------------------------------------------------- curves and choice


def _part(pair: list[int], part: str) -> int:
    return sum(pair) if part == "all" else pair[PARTS.index(part)]


def fa_per_hour(result: dict, model: str, engine: str, variant: str, sets: tuple[str, ...] = POOLED,
                part: str = "all") -> dict[str, float]:
    """Threshold -> false accepts per hour pooled over ``sets``, in ``part`` (dev, held, all)."""
    neg = result["counts"]["negatives"]
    sets = tuple(s for s in sets if s in neg)  # a set that was not measured counts for nothing
    if not sets or variant not in neg[sets[0]][model][engine]:
        return {}
    hours = sum(neg[s][model]["hours"][part] for s in sets)
    return {t: sum(_part(neg[s][model][engine][variant][t], part) for s in sets) / hours
            for t in neg[sets[0]][model][engine][variant]}


def detection(result: dict, cond: str, engine: str, variant: str, part: str = "all") -> dict[str, float]:
    """Threshold -> share of the real alexa recordings of ``part`` detected in ``cond``."""
    pos = result["counts"]["positives"][cond]
    n = pos["n" if part == "all" else f"n_{part}"]
    return {t: _part(c, part) / n for t, c in pos[engine][variant].items()}


def voice_detection(result: dict, model: str, family: str, cond: str, engine: str, variant: str) -> dict[str, float]:
    v = result["counts"]["voices"][model][family][cond]
    return {t: _part(c, "all") / v["n"] for t, c in v[engine][variant].items()}


def voices_mean(result: dict, model: str, engine: str, variant: str) -> dict[str, float]:
    """Threshold -> mean detection over the synthetic voice families, clean and in noise."""
    fams = result["counts"]["voices"][model]
    rates = [voice_detection(result, model, f, c, engine, variant) for f in fams for c in fams[f]]
    return {t: sum(r[t] for r in rates) / len(rates) for t in rates[0]}


QUIET = ("music", "noise")
"""Negative sets without a voice, held to the same false-accept target on their own."""


def allowed(result: dict, model: str, engine: str, variant: str, part: str = "dev") -> list[str]:
    """Thresholds whose false accepts per hour in ``part`` are at most the target both in TV and
    conversation and in music and noise."""
    fa = fa_per_hour(result, model, engine, variant, POOLED, part)
    quiet = fa_per_hour(result, model, engine, variant, QUIET, part)
    return [t for t in fa if fa[t] <= TARGETS["fa_per_hour"] and quiet.get(t, 0.0) <= TARGETS["fa_per_hour"]]


def operating_point(result: dict, model: str, engine: str, variant: str, part: str = "dev") -> str | None:
    """The lowest :func:`allowed` threshold (the most detection the false-accept target allows);
    None if none is."""
    ok = allowed(result, model, engine, variant, part)
    return min(ok, key=float) if ok else None


CHOICE_RULE = (
    "on the development half only: openWakeWord first with microWakeWord proposing beside it (the grid), one "
    "setting (smoothing, VAD gate) for every model and each engine's threshold per model. A pair of thresholds "
    "is allowed for a model when its false accepts per hour in the development half of the negatives are at "
    "most the target, both in TV and conversation and in music and household noise. The setting is the one "
    "whose best allowed alexa pair detects most development recordings (summed over clean, noise and talk) "
    "and where hey_jarvis has an allowed pair too. Within it, alexa takes the most conservative allowed pair "
    "(the largest sum of both thresholds' places in their sweeps) that detects within one standard error of "
    "that best (Breiman's one-standard-error rule: a pair at the edge of the development half's false-accept "
    "region gains a recording or two there and shows its false wakes on the held-out half); hey_jarvis (no "
    "real recordings) the most conservative allowed pair among those that detect most synthetic voices.")


def _margin(v: Variant, t: str) -> int:
    """How far a pair sits from the permissive end: both thresholds' places in their sweeps."""
    return sorted(set(THRESHOLDS) | {float(t)}).index(float(t)) + EITHER_SWEEP.index(v.either)


def _dev_sum(result: dict, v: str, t: str) -> float:
    return sum(detection(result, c, "openwakeword", v, "dev")[t] for c in CONDS)


def _dev_se(result: dict, v: str, t: str) -> float:
    """Standard error of :func:`_dev_sum` (binomial, the conditions independent)."""
    n = result["counts"]["positives"]["clean"]["n_dev"]
    return float(np.sqrt(sum(p * (1 - p) for p in (detection(result, c, "openwakeword", v, "dev")[t]
                                                   for c in CONDS)) / n))


def choose(result: dict) -> dict | None:
    """Per-model thresholds of both engines and the shared setting by :data:`CHOICE_RULE`:
    ``{"smoothing_frames", "vad_gate_ms", "models": {model: {"openwakeword", "microwakeword",
    "variant"}}, "alexa_best": {...}}``, or None if no setting lets every model meet the
    false-accept target."""
    best, best_sum = None, -1.0
    for sm in (1, 2):
        for g in GATE_SWEEP:
            group = [v for v in GRID if v.smoothing == sm and v.gate_ms == g]
            ok = {m: [(v, t) for v in group for t in allowed(result, m, "openwakeword", v.name)] for m in MODELS}
            if not all(ok.values()):
                continue
            top = max(ok["alexa"], key=lambda p: (round(_dev_sum(result, p[0].name, p[1]), 6), _margin(*p)))
            top_sum = _dev_sum(result, top[0].name, top[1])
            if top_sum <= best_sum:
                continue
            best_sum = top_sum
            floor = top_sum - _dev_se(result, top[0].name, top[1])
            alexa = max((p for p in ok["alexa"] if _dev_sum(result, p[0].name, p[1]) >= floor - 1e-9),
                        key=lambda p: (_margin(*p), _dev_sum(result, p[0].name, p[1])))
            voices = {p: round(voices_mean(result, "hey_jarvis", "openwakeword", p[0].name)[p[1]], 6)
                      for p in ok["hey_jarvis"]}
            jarvis = max(voices, key=lambda p: (voices[p], _margin(*p)))
            best = {"smoothing_frames": sm, "vad_gate_ms": g,
                    "models": {m: {"openwakeword": float(t), "microwakeword": v.either, "variant": v.name}
                               for m, (v, t) in (("alexa", alexa), ("hey_jarvis", jarvis))},
                    "alexa_best": {"openwakeword": float(top[1]), "microwakeword": top[0].either,
                                   "variant": top[0].name}}
    return best


def thresholds_yaml(choice: dict) -> str:
    """The choice as models/wake/thresholds.yaml's ``models:`` entries."""
    lines = ["models:"]
    for m, c in choice["models"].items():
        lines += [f"  {m}:", f"    openwakeword: {c['openwakeword']:g}", f"    microwakeword: {c['microwakeword']:g}"]
    return "\n".join(lines)


def plot(result: dict, out: Path) -> list[Path]:
    """PNG curves into ``out``: wake_curves.png (base decision, alexa, each engine and
    condition), wake_addons.png (each variant per engine and condition), wake_voices.png (per
    voice family, both models). Raises HubError if matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise HubError("hub bench wake draws its plots with matplotlib: pip install -e '.[bench]'") from None
    paths = []
    conds = ("clean", "noise", "talk")
    labels = {"clean": "clean", "noise": "household noise 10 dB", "talk": "background talk 10 dB"}

    def axes_style(ax, title):
        ax.set_xscale("symlog", linthresh=0.1)
        ax.set_xlim(0, 200)
        ax.set_xlabel("false accepts per hour (TV and conversation)")
        ax.set_ylabel("detection rate")
        ax.axvline(TARGETS["fa_per_hour"], color="grey", ls=":", lw=1)
        ax.grid(alpha=0.3)
        ax.set_title(title, fontsize=10)

    fig, axs = plt.subplots(1, 2, figsize=(12, 4.8), sharey=True)
    for ax, engine in zip(axs, ENGINES):
        fa = fa_per_hour(result, "alexa", engine, "base")
        for cond in conds:
            det = detection(result, cond, engine, "base")
            ts = sorted(det, key=float)
            ax.plot([fa[t] for t in ts], [det[t] for t in ts], marker=".", label=labels[cond])
            ax.axhline(TARGETS[cond], color=ax.lines[-1].get_color(), ls=":", lw=0.8)
        axes_style(ax, f"{engine} alexa: threshold swept {THRESHOLDS[0]}..{THRESHOLDS[-1]}")
        ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    paths.append(out / "wake_curves.png")
    fig.savefig(paths[-1], dpi=110)
    plt.close(fig)

    fig, axs = plt.subplots(2, 3, figsize=(16, 9), sharey=True)
    for row, engine in enumerate(ENGINES):
        for col, cond in enumerate(conds):
            ax = axs[row][col]
            for v in VARIANTS:
                fa = fa_per_hour(result, "alexa", engine, v.name)
                det = detection(result, cond, engine, v.name)
                ts = sorted(det, key=float)
                ax.plot([fa[t] for t in ts], [det[t] for t in ts], marker=".", label=v.name)
            if engine == "openwakeword":  # the shipped stage: one point, its own thresholds
                t = str(shipped("alexa")[1])
                ax.plot([fa_per_hour(result, "alexa", engine, "shipped")[t]],
                        [detection(result, cond, engine, "shipped")[t]], "k*", ms=12, label="shipped")
            ax.axhline(TARGETS[cond], color="grey", ls=":", lw=0.8)
            axes_style(ax, f"{engine} alexa, {labels[cond]}")
            ax.set_ylim(max(0.0, ax.get_ylim()[0]), 1.01)
            ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    paths.append(out / "wake_addons.png")
    fig.savefig(paths[-1], dpi=110)
    plt.close(fig)

    fig, axs = plt.subplots(2, 2, figsize=(12, 9), sharey=True)
    for row, model in enumerate(MODELS):
        for col, engine in enumerate(ENGINES):
            ax = axs[row][col]
            fa = fa_per_hour(result, model, engine, "base")
            for family in ("piper", "hibari", "espeak"):
                for cond, ls in (("clean", "-"), ("noise", "--")):
                    det = voice_detection(result, model, family, cond, engine, "base")
                    ts = sorted(det, key=float)
                    ax.plot([fa[t] for t in ts], [det[t] for t in ts], ls=ls, marker=".", label=f"{family} {cond}")
            axes_style(ax, f"{engine} {model}: synthetic voices")
            ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    paths.append(out / "wake_voices.png")
    fig.savefig(paths[-1], dpi=110)
    plt.close(fig)
    return paths


def _json(obj, indent: str = "") -> str:
    """JSON with a mapping of plain values (a variant's counts by threshold) on one line: a tenth
    of the size of ``indent=1``, one line per variant."""
    if not isinstance(obj, dict) or not any(isinstance(v, dict) for v in obj.values()):
        return json.dumps(obj, separators=(",", ":"))
    inner = indent + " "
    items = [f"{inner}{json.dumps(k)}: {_json(v, inner)}" for k, v in obj.items()]
    return "{\n" + ",\n".join(items) + "\n" + indent + "}"


def write(result: dict, out: Path, text: str) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    (out / "wake.json").write_text(_json(result) + "\n")
    (out / "wake.md").write_text(text)
    return [out / "wake.json", out / "wake.md"] + plot(result, out)


def _fa(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f} %"


def _three(result: dict, cond: str, engine: str, variant: str, t: str) -> str:
    """``all (dev / held)`` detection of the real recordings."""
    d = {part: detection(result, cond, engine, variant, part)[t] for part in ("all", *PARTS)}
    return f"{_pct(d['all'])} ({_pct(d['dev'])} / {_pct(d['held'])})"


def _fa3(result: dict, model: str, engine: str, variant: str, t: str, sets: tuple[str, ...] = POOLED) -> str:
    f = {part: fa_per_hour(result, model, engine, variant, sets, part).get(t) for part in ("all", *PARTS)}
    return f"{_fa(f['all'])} ({_fa(f['dev'])} / {_fa(f['held'])})"


def table(result: dict) -> str:
    """Markdown: the shipped stage with held-out figures, the choice, each variant at its
    operating point, key points of each curve, per voice family."""
    lines = ["# hub bench wake", "", machine_line(result["machine"]), "",
             f"Recordings per keyword: {result['recordings']} (limit {result['limit_per_keyword']}); "
             f"synthetic TV {result['tv_minutes']:g} min; wall {result['wall_s']} s (a shared 2-core machine).", ""]
    front = result.get("front_end")
    if front:
        lines += [f"Every stream went through WebRTC's noise front end first (hub.wake.frontend): noise suppression "
                  f"{front['noise_suppression']}, auto gain {front['auto_gain_dbfs'] or 'off'}"
                  f"{' dBFS' if front['auto_gain_dbfs'] else ''}; the stage cost below includes it.", ""]
    neg = result["counts"]["negatives"]
    lines += ["Negative audio, hours (development / held-out half): " + ", ".join(
        f"{s} {neg[s]['alexa']['hours']['all']:.2f} ({neg[s]['alexa']['hours']['dev']:.2f} / "
        f"{neg[s]['alexa']['hours']['held']:.2f}; hey_jarvis {neg[s]['hey_jarvis']['hours']['all']:.2f})"
        for s in neg), ""]
    split = result["split"]
    lines += ["## Split", "", f"Real alexa recordings: development half {len(split['dev'])} "
              f"({split['dev'][0]} .. {split['dev'][-1]}), held out {len(split['held'])} ({split['held'][0]} .. "
              f"{split['held'][-1]}); the "
              "figures below are `all (development / held out)`. How: see Method (speaker_halves). Median "
              "distance between the voice prints of recordings with neighbouring numbers "
              f"{split['voice_print_distance']['neighbours']}, of random pairs "
              f"{split['voice_print_distance']['random']} (neighbour_likeness).", ""]
    lines += ["## Shipped defaults (hub.config.WakeWordConfig, models/wake/thresholds.yaml)", ""]
    for m in MODELS:
        v, t = shipped(m)
        lines.append(f"- {m}: openWakeWord {t:g}, microWakeWord {v.either or 'off'}, smoothing_frames {v.smoothing}, "
                     f"vad_gate_ms {v.gate_ms} ({'skipped' if v.agree else 'also'} where both engines proposed), "
                     f"second stage {v.second or 'off'}")
    cost = result["shipped_stage"]
    lines += ["", f"(window {WINDOW_MS} ms, wait {WAIT_MS} ms). The hey_jarvis stage costs "
              f"{cost['cpu_ms_per_audio_s']} ms of CPU per audio second ({cost['audio_s']} s of audio, contended). "
              "Detection is on the real alexa recordings; hey_jarvis has none in the benchmark (its synthetic "
              "voices are below); false accepts are each model's own.", "",
              "| model | clean | noise 10 dB | talk 10 dB | FA/h TV+talk | FA/h talk | FA/h TV | FA/h music | FA/h noise |",
              "|---|---|---|---|---|---|---|---|---|"]
    for m in MODELS:
        t = str(shipped(m)[1])
        for variant, label in (("shipped", m), ("shipped, gate always", f"{m}, gate on every candidate")):
            if variant not in result["counts"]["negatives"]["talk"][m]["openwakeword"]:
                continue  # a result from before the variant existed
            det = [_three(result, c, "openwakeword", variant, t) if m == "alexa" else "-" for c in CONDS]
            fas = [_fa3(result, m, "openwakeword", variant, t, sets)
                   for sets in (POOLED, ("talk",), ("tv",), ("music",), ("noise",))]
            lines.append(f"| {label} | " + " | ".join(det + fas) + " |")
    choice = result.get("choice")
    lines += ["", "## Per-model thresholds", "", f"Rule: {CHOICE_RULE}", ""]
    if choice is None:
        lines.append("No setting meets the false-accept target for every model.")
    else:
        same = all((shipped(m)[1], shipped(m)[0].either) == (c["openwakeword"], c["microwakeword"])
                   and (shipped(m)[0].smoothing, shipped(m)[0].gate_ms) == (choice["smoothing_frames"],
                                                                          choice["vad_gate_ms"])
                   for m, c in choice["models"].items())
        best = choice["alexa_best"]
        lines += [f"It picks smoothing_frames {choice['smoothing_frames']}, vad_gate_ms {choice['vad_gate_ms']}, and "
                  "for models/wake/thresholds.yaml:", "", "```yaml", thresholds_yaml(choice), "```", "",
                  f"The shipped defaults {'are' if same else 'are not'} this choice. alexa's best allowed pair on the "
                  f"development half, before the one-standard-error rule: openWakeWord {best['openwakeword']:g}, "
                  f"microWakeWord {best['microwakeword']:g}.", "",
                  "| model | variant | openWakeWord | microWakeWord | clean | noise 10 dB | talk 10 dB | synthetic voices | "
                  "FA/h TV+talk | FA/h music | FA/h noise |", "|---|---|---|---|---|---|---|---|---|---|---|"]
        for label, c in [*choice["models"].items(), ("alexa, best before the rule", best)]:
            m, t = label.split(",")[0], str(c["openwakeword"])
            det = [_three(result, cond, "openwakeword", c["variant"], t) if m == "alexa" else "-" for cond in CONDS]
            lines.append(f"| {label} | {c['variant']} | {c['openwakeword']:g} | {c['microwakeword']:g} | " + " | ".join(det)
                         + f" | {_pct(voices_mean(result, m, 'openwakeword', c['variant'])[t])} | "
                         + " | ".join(_fa3(result, m, "openwakeword", c["variant"], t, sets)
                                      for sets in (POOLED, ("music",), ("noise",))) + " |")
    lines += ["", "## Each mechanism alone: the lowest threshold with at most "
              f"{TARGETS['fa_per_hour']} false accepts per hour of TV and conversation, and of music and noise "
              "(development half)", "",
              "alexa; detection `all (development / held out)`; the other engine is the second stage or the other "
              "proposer.", "",
              "| engine | variant | threshold | clean | noise 10 dB | talk 10 dB | FA/h TV+talk | FA/h music | FA/h noise |",
              "|---|---|---|---|---|---|---|---|---|"]
    for engine in ENGINES:
        for v in VARIANTS:
            t = operating_point(result, "alexa", engine, v.name)
            if t is None:
                lines.append(f"| {engine} | {v.name} | none reaches it | | | | | | |")
                continue
            lines.append(f"| {engine} | {v.name} | {t} | " + " | ".join(_three(result, c, engine, v.name, t) for c in CONDS)
                         + " | " + " | ".join(_fa3(result, "alexa", engine, v.name, t, sets)
                                              for sets in (POOLED, ("music",), ("noise",))) + " |")
    lines += ["", "## Curves (alexa, base decision): detection / false accepts per hour by threshold (all)", ""]
    for engine in ENGINES:
        lines += [f"### {engine}", "", "| threshold | clean | noise 10 dB | talk 10 dB | FA/h TV+talk | FA/h talk | "
                  "FA/h TV |", "|---|---|---|---|---|---|---|"]
        fa = {s: fa_per_hour(result, "alexa", engine, "base", s) for s in (POOLED, ("talk",), ("tv",))}
        for t in map(str, THRESHOLDS):
            d = {c: detection(result, c, engine, "base")[t] for c in CONDS}
            lines.append(f"| {t} | {_pct(d['clean'])} | {_pct(d['noise'])} | {_pct(d['talk'])} | "
                         + " | ".join(_fa(fa[s].get(t)) for s in fa) + " |")
        lines.append("")
    lines += ["## Synthetic voices: detection at each engine's default threshold and at the operating point "
              "(base decision), and the shipped stage", "",
              "| model | engine | threshold | piper clean | piper noise | hibari clean | hibari noise | espeak clean | "
              "espeak noise | FA/h TV+talk |", "|---|---|---|---|---|---|---|---|---|---|"]
    for model in MODELS:
        for engine in ENGINES:
            pts = {"0.5", operating_point(result, model, engine, "base") or "0.999"}
            rows = [("base", t) for t in sorted(pts, key=float)]
            if engine == "openwakeword":
                rows.append(("shipped", str(shipped(model)[1])))
            for variant, t in rows:
                cells = [_pct(voice_detection(result, model, f, c, engine, variant)[t])
                         for f in ("piper", "hibari", "espeak") for c in ("clean", "noise")]
                lines.append(f"| {model} | {engine} | {t}{' shipped' if variant == 'shipped' else ''} | "
                             + " | ".join(cells) + f" | {_fa(fa_per_hour(result, model, engine, variant).get(t))} |")
    lines += ["", "## Method", "", result["method"], ""]
    return "\n".join(lines)
