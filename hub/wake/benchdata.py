"""Audio for `hub bench wake`: real recordings, synthetic voices, household noise, music and TV.

Sources (nothing is downloaded here; each missing one is named with how to get it):

- Picovoice wake-word-benchmark (Apache-2.0, https://github.com/Picovoice/wake-word-benchmark):
  ``audio/<keyword>/*.{flac,wav}``, 16 kHz mono crowd-sourced recordings of alexa, computer,
  jarvis, smart mirror, snowboy and view glass (330-410 each, 50+ speakers). ``--data`` is
  either a checkout (or extracted folder) holding ``audio/``, or a bare git directory of it, whose
  ``audio/`` is extracted once into the cache.
- Debian pocketsphinx-testdata: LibriVox and spoken-cards recordings under
  /usr/share/pocketsphinx/test/data/ (apt-get install pocketsphinx-testdata).
- Synthetic voices (Piper joe-us, Hibari, espeak-ng), household noise, music and TV made here
  from seeded generators, so every run hears the same audio.

Arrays are (n,) float32 at 16 kHz in [-1, 1] unless said otherwise.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import wave
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from hub.bench.gitdata import extract, is_bare_git
from hub.errors import HubError
from hub.types import SAMPLE_RATE

KEYWORDS = ("alexa", "computer", "jarvis", "smart mirror", "snowboy", "view glass")
"""Keyword folders of the wake-word benchmark's audio/."""
POCKETSPHINX_DATA = Path("/usr/share/pocketsphinx/test/data")
LICENSE_TEXTS = Path("/usr/share/common-licenses")
"""English prose present on every Debian system: the TV's script."""


def cache_dir() -> Path:
    """Where extracted and generated bench audio lives: ``$XDG_CACHE_HOME/hub/wake`` (default
    ``~/.cache/hub/wake``); never inside the repository."""
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return root / "hub" / "wake"


def benchmark_audio(data: Path, cache: Path) -> Path:
    """The ``audio/`` folder of the wake-word benchmark given as ``data``.

    ``data`` is a folder holding ``audio/<keyword>/`` (a checkout or an extracted copy), that
    ``audio/`` folder itself, or a bare git directory (what the ``fetch`` tool returns), whose
    ``audio/`` is extracted with ``git archive`` into ``cache`` once. Raises HubError naming what
    is missing and how to get it.
    """
    data = Path(data)
    for audio in (data / "audio", data):
        if (audio / "alexa").is_dir():
            return audio
    if is_bare_git(data):
        target = extract(data, ("audio",), cache, "wake-word-benchmark", "audio/alexa")
        return target / "audio"
    raise HubError(f"{data}: not the Picovoice wake-word-benchmark (no audio/alexa/ and not a bare git "
                   "directory of it); get it with `git clone https://github.com/Picovoice/wake-word-benchmark` "
                   "and pass that folder as --data")


def decode(path: Path) -> np.ndarray:
    """One recording as float32 at 16 kHz mono, decoded by sox (a few of the benchmark's FLAC
    files confuse libsndfile). Raises HubError if sox is missing or fails."""
    if shutil.which("sox") is None:
        raise HubError("sox is needed to decode the benchmark's FLAC files: apt-get install sox")
    out = subprocess.run(["sox", str(path), "-t", "raw", "-r", str(SAMPLE_RATE), "-e", "signed", "-b", "16",
                          "-c", "1", "-"], capture_output=True, check=False)
    if out.returncode != 0:
        raise HubError(f"{path}: sox could not decode it: {out.stderr.decode().strip()}")
    return np.frombuffer(out.stdout, np.int16).astype(np.float32) / 32768.0


def keyword_files(audio_dir: Path, keyword: str) -> list[Path]:
    """The recordings of ``keyword`` (.flac/.wav), sorted by file name. Raises HubError if none."""
    folder = audio_dir / keyword
    files = sorted(p for p in folder.iterdir() if p.suffix in (".flac", ".wav")) if folder.is_dir() else []
    if not files:
        raise HubError(f"{folder}: no recordings (.flac/.wav) of {keyword!r}")
    return files


def keyword_clips(audio_dir: Path, keyword: str, cache: Path) -> list[np.ndarray]:
    """Every recording of ``keyword`` (in :func:`keyword_files` order), decoded once and cached as .npz."""
    files = keyword_files(audio_dir, keyword)
    key = hashlib.sha256("\n".join(f"{p.name}:{p.stat().st_size}" for p in files).encode()).hexdigest()[:12]
    npz = cache / f"clips-{keyword.replace(' ', '_')}-{key}.npz"
    if npz.is_file():
        with np.load(npz) as z:
            return [z[f"a{i}"] for i in range(len(files))]
    clips = [decode(p) for p in files]
    cache.mkdir(parents=True, exist_ok=True)
    np.savez(npz, **{f"a{i}": c for i, c in enumerate(clips)})
    return clips


def librivox_and_cards() -> list[np.ndarray]:
    """Real read speech from pocketsphinx-testdata: 5 LibriVox utterances and 5 spoken card
    lists (about 50 s). Raises HubError naming the Debian package if it is not installed."""
    files = sorted((POCKETSPHINX_DATA / "librivox").glob("*.wav")) + sorted((POCKETSPHINX_DATA / "cards").glob("*.wav"))
    if not files:
        raise HubError(f"{POCKETSPHINX_DATA}: no LibriVox recordings; apt-get install pocketsphinx-testdata")
    return [decode(p) for p in files]


def active_power(x: np.ndarray) -> float:
    """Mean power of the 20 ms windows within 30 dB of the loudest: the level of speech without
    its pauses (the SNR reference)."""
    n = len(x) // 320 * 320
    if n == 0:
        return float(np.mean(x ** 2)) if len(x) else 0.0
    p = np.mean(x[:n].reshape(-1, 320) ** 2, axis=1)
    loud = p[p >= p.max() * 1e-3]
    return float(loud.mean())


def scale_to_snr(speech: np.ndarray, noise: np.ndarray, snr_db: float) -> np.ndarray:
    """``noise`` scaled so that ``speech``'s active power is ``snr_db`` above its mean power."""
    pn = float(np.mean(noise ** 2))
    if pn == 0:
        return noise
    return noise * np.sqrt(active_power(speech) / pn / 10 ** (snr_db / 10))


# ---------------------------------------------------------------- synthetic sound


def _colored(n: int, slope: float, rng: np.random.Generator) -> np.ndarray:
    """Unit-RMS noise whose power falls as 1/f**slope (0 white, 1 pink, 2 brown)."""
    freqs = np.fft.rfftfreq(n, 1 / SAMPLE_RATE)
    freqs[0] = freqs[1]
    spec = (rng.standard_normal(freqs.size) + 1j * rng.standard_normal(freqs.size)) / freqs ** (slope / 2)
    x = np.fft.irfft(spec, n)
    return (x / (np.sqrt(np.mean(x ** 2)) + 1e-12)).astype(np.float32)


def _band(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    from scipy.signal import butter, sosfilt

    sos = butter(4, [lo, hi], btype="band", fs=SAMPLE_RATE, output="sos")
    y = sosfilt(sos, x).astype(np.float32)
    return y / (np.sqrt(np.mean(y ** 2)) + 1e-12)


def _rms1(x: np.ndarray) -> np.ndarray:
    return (x / (np.sqrt(np.mean(x ** 2)) + 1e-12)).astype(np.float32)


def household_noise(n: int, rng: np.random.Generator) -> np.ndarray:
    """Unit-RMS kitchen and living-room sound: a running tap (band-passed noise that swells and
    stops), dishes and cutlery (short decaying high tones), an extractor fan or fridge (mains
    harmonics over brown rumble) and, now and then, a vacuum cleaner (motor whine with hiss),
    changing every few seconds. A stand-in for recorded household noise (e.g. DEMAND's
    kitchen), which no installed package ships."""
    t = np.arange(n) / SAMPLE_RATE
    out = np.zeros(n, np.float32)
    pos = 0
    while pos < n:
        seg = min(n - pos, int(rng.uniform(3, 8) * SAMPLE_RATE))
        ts = t[:seg]
        mains = rng.choice([50.0, 60.0])
        fan = _colored(seg, 2.0, rng) + sum(a * np.sin(2 * np.pi * k * mains * ts + rng.uniform(0, 6.3))
                                            for k, a in ((2, 0.8), (4, 0.4), (6, 0.2)))
        parts = [0.5 * _rms1(fan)]
        if rng.uniform() < 0.6:  # tap running, swelling
            swell = 0.6 + 0.4 * np.sin(2 * np.pi * rng.uniform(0.2, 1.0) * ts + rng.uniform(0, 6.3))
            parts.append(1.0 * _band(_colored(seg, 0.0, rng), 400, 5000) * swell)
        if rng.uniform() < 0.2:  # vacuum cleaner
            f0 = rng.uniform(180, 260)
            whine = sum(np.sin(2 * np.pi * k * f0 * ts) / k for k in range(1, 6))
            parts.append(1.5 * _rms1(whine + 2 * _band(_colored(seg, 0.0, rng), 1000, 7000)))
        clatter = np.zeros(seg, np.float32)
        for start in rng.uniform(0, seg, int(rng.poisson(seg / SAMPLE_RATE * 0.8))).astype(int):
            length = min(seg - start, int(0.15 * SAMPLE_RATE))
            tt = np.arange(length) / SAMPLE_RATE
            ring = sum(np.sin(2 * np.pi * rng.uniform(2000, 6000) * tt) for _ in range(3))
            clatter[start:start + length] += (rng.uniform(2, 6) * ring * np.exp(-tt / rng.uniform(0.01, 0.05))).astype(np.float32)
        parts.append(clatter)
        out[pos:pos + seg] = sum(parts)
        pos += seg
    return _rms1(out)


def music(n: int, rng: np.random.Generator) -> np.ndarray:
    """Unit-RMS music: chords and a melody of harmonic tones with note envelopes over a kick and
    hi-hat beat, a new key and tempo every 20-40 s."""
    out = np.zeros(n, np.float32)
    pos = 0
    while pos < n:
        seg = min(n - pos, int(rng.uniform(20, 40) * SAMPLE_RATE))
        beat = int(SAMPLE_RATE * 60 / rng.uniform(80, 140))
        root = 110 * 2 ** (rng.integers(0, 12) / 12)
        scale = np.array([0, 2, 4, 5, 7, 9, 11, 12])
        x = np.zeros(seg, np.float32)
        for b, start in enumerate(range(0, seg, beat)):
            length = min(seg - start, beat)
            tt = np.arange(length) / SAMPLE_RATE
            env = np.exp(-tt * 3).astype(np.float32)
            if b % 4 == 0:  # a chord every bar
                degree = rng.choice([0, 3, 4, 5])
                for step in (0, 2, 4):
                    f = root * 2 ** (scale[(degree + step) % 8] / 12)
                    x[start:start + length] += 0.3 * env * sum(np.sin(2 * np.pi * k * f * tt) / k for k in (1, 2, 3))
            f = 2 * root * 2 ** (scale[rng.integers(0, 8)] / 12)
            x[start:start + length] += 0.4 * env * (np.sin(2 * np.pi * f * tt) + 0.3 * np.sin(4 * np.pi * f * tt))
            kick = min(length, 1600)
            x[start:start + kick] += 0.8 * np.sin(2 * np.pi * 60 * tt[:kick]) * np.exp(-tt[:kick] * 30)
            hat = min(length, 600)
            x[start + length // 2:start + length // 2 + hat] += 0.1 * rng.standard_normal(min(hat, length - length // 2)) \
                * np.exp(-tt[:min(hat, length - length // 2)] * 80)
        out[pos:pos + seg] = x
        pos += seg
    return _rms1(out)


# ---------------------------------------------------------------- synthetic voices


@dataclass(frozen=True)
class Voice:
    """One synthetic voice: ``family`` (piper, hibari, espeak) and its settings."""

    family: str
    name: str
    setting: float
    """Piper length scale, Hibari speed, or espeak words per minute."""


def voices() -> list[Voice]:
    """The voices the per-family figures use: 5 Piper joe speeds, 5 Hibari speeds and 8 espeak-ng
    variants at 3 speeds."""
    out = [Voice("piper", "joe", s) for s in (0.8, 0.9, 1.0, 1.15, 1.3)]
    out += [Voice("hibari", "heart", s) for s in (0.8, 0.9, 1.0, 1.1, 1.2)]
    out += [Voice("espeak", v, s) for v in ("en-us", "en", "en-gb-x-rp", "en-gb-scotland", "en-us+f2", "en+f3",
                                            "en-us+m3", "en-gb-x-rp+m1") for s in (130, 160, 190)]
    return out


class Speakers:
    """Text to speech for :class:`Voice` s, loading Piper and Hibari once. ``say`` returns
    float32 at 16 kHz with leading and trailing silence cut. Raises HubError naming what to
    install when a voice's package or program is missing."""

    def __init__(self) -> None:
        self._piper: dict[float, object] = {}
        self._hibari = None

    def say(self, voice: Voice, text: str) -> np.ndarray:
        import soxr

        if voice.family == "piper":
            from hub.reply.tts import PiperSpeaker

            if voice.setting not in self._piper:
                self._piper[voice.setting] = PiperSpeaker(length_scale=voice.setting, noise_scale=0.0, noise_w_scale=0.0)
            samples, rate = self._piper[voice.setting].synthesize(text)
        elif voice.family == "hibari":
            try:
                from hibari import SAMPLE_RATE as rate, Hibari
            except ImportError:
                raise HubError("the Hibari voice needs hibari-tts: pip install -e '.[test]'") from None
            if self._hibari is None:
                self._hibari = Hibari()
            samples = np.asarray(self._hibari(text, speed=voice.setting, seed=0), np.float32)
        else:
            if shutil.which("espeak-ng") is None:
                raise HubError("the espeak voices need espeak-ng: apt-get install espeak-ng")
            wav = subprocess.run(["espeak-ng", "-v", voice.name, "-s", str(int(voice.setting)), "--stdout", text],
                                 capture_output=True, check=True).stdout
            with wave.open(io.BytesIO(wav)) as w:
                rate = w.getframerate()
                samples = np.frombuffer(w.readframes(w.getnframes()), np.int16)
        x = np.asarray(samples, np.float32)
        if np.asarray(samples).dtype == np.int16:
            x = x / 32768.0
        if rate != SAMPLE_RATE:
            x = soxr.resample(x, rate, SAMPLE_RATE).astype(np.float32)
        return trim(x)


def trim(x: np.ndarray, floor_db: float = -40.0) -> np.ndarray:
    """Cut leading and trailing 10 ms windows quieter than ``floor_db`` below the loudest."""
    n = len(x) // 160 * 160
    if n == 0:
        return x
    level = np.sqrt(np.mean(x[:n].reshape(-1, 160) ** 2, axis=1)) + 1e-12
    loud = np.nonzero(20 * np.log10(level / level.max()) > floor_db)[0]
    return x[loud[0] * 160:(loud[-1] + 1) * 160]


def tv_script(max_sentences: int) -> list[str]:
    """Sentences of English prose for the synthetic TV: the licence texts every Debian system
    has in /usr/share/common-licenses (read aloud they sound like a news reader). Raises
    HubError if the folder is missing."""
    files = sorted(p for p in LICENSE_TEXTS.glob("*") if p.is_file()) if LICENSE_TEXTS.is_dir() else []
    if not files:
        raise HubError(f"{LICENSE_TEXTS}: no texts for the synthetic TV (Debian's base-files has them)")
    sentences: list[str] = []
    for p in files:
        text = " ".join(p.read_text(errors="replace").split())
        for s in text.replace("?", ".").replace("!", ".").split(". "):
            words = [w for w in s.split() if w.isascii() and any(c.isalpha() for c in w)]
            if 6 <= len(words) <= 30:
                sentences.append(" ".join(words))
    rng = np.random.default_rng(7)
    rng.shuffle(sentences)
    return sentences[:max_sentences]


@dataclass
class Stream:
    """Audio to score as one continuous stream, with where its parts came from.

    ``audio`` is (n,) float32 at 16 kHz. ``spans`` are (start, end, label) sample ranges: the wake
    words of a positive stream, or the source of each part of a negative one (a negative stream
    leaves out the spans whose label is the wake word's own keyword).
    """

    name: str
    audio: np.ndarray
    spans: list[tuple[int, int, str]] = field(default_factory=list)

    @property
    def hours(self) -> float:
        return len(self.audio) / SAMPLE_RATE / 3600

    def key(self) -> str:
        """A short hash of the audio: the cache key of its score traces."""
        return hashlib.sha256(self.audio.tobytes()).hexdigest()[:16]


def concat(parts: list[tuple[np.ndarray, str]], gap_s: tuple[float, float], rng: np.random.Generator,
           lead_s: float = 1.5) -> tuple[np.ndarray, list[tuple[int, int, str]]]:
    """Clips one after another with a random silent gap (``gap_s`` range, seconds) between them
    and ``lead_s`` of silence first; returns the audio and each clip's (start, end, label)."""
    chunks = [np.zeros(int(lead_s * SAMPLE_RATE), np.float32)]
    spans = []
    pos = len(chunks[0])
    for clip, label in parts:
        spans.append((pos, pos + len(clip), label))
        gap = np.zeros(int(rng.uniform(*gap_s) * SAMPLE_RATE), np.float32)
        chunks += [clip.astype(np.float32), gap]
        pos += len(clip) + len(gap)
    return np.concatenate(chunks), spans


def normalise(clip: np.ndarray, dbfs: float) -> np.ndarray:
    """``clip`` with its active level (see :func:`active_power`) set to ``dbfs``."""
    p = active_power(clip)
    return clip if p == 0 else (clip * np.sqrt(10 ** (dbfs / 10) / p)).astype(np.float32)


def to_int16(x: np.ndarray) -> np.ndarray:
    """float audio to int16, clipped."""
    return np.clip(np.round(x * 32767), -32768, 32767).astype(np.int16)
