"""`hub bench wyoming`: the Wyoming speech-recognition round trip of a spoken command.

Method: `hub serve`'s Wyoming server (the full model set, a private mosquitto) on 127.0.0.1 at a
free port; a client of the wyoming package (AsyncTcpClient) sends ``transcribe``, then the command
part of each sample recording with a wake word (samples/samples.yaml: from 300 ms before
``command_start_ms`` to the end, about 2-3 s) as 16 kHz 16-bit ``audio-chunk`` events of 1024
samples, as fast as the socket takes them, then ``audio-stop``, and waits for ``transcript``.
Figures per request: ``round_trip_ms`` from the first chunk sent to the transcript received, and
``after_stop_ms`` from ``audio-stop`` to the transcript (what a speaker waits once done talking,
since Home Assistant streams while the user speaks). ``rounds`` passes over the samples, one
request at a time; the first pass is included (the models are warm after loading).
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import numpy as np
import yaml

from hub.bench.machine import machine_info, machine_line, percentile
from hub.config import Config

CHUNK = 1024
LEAD_MS = 300


def commands(samples_dir: Path) -> list[tuple[str, str, np.ndarray]]:
    """(file, text, (n,) int16 16 kHz command audio) of every sample with a wake word and a command."""
    from hub.audio.wav import read_wav

    meta = yaml.safe_load((samples_dir / "samples.yaml").read_text(encoding="utf-8"))
    out = []
    for s in meta["samples"]:
        if s.get("wake_word") and s.get("text") and s.get("command_start_ms") is not None:
            audio = read_wav(samples_dir / s["file"])
            out.append((s["file"], s["text"], audio[max(0, s["command_start_ms"] - LEAD_MS) * 16:]))
    return out


async def _one(port: int, audio: np.ndarray) -> tuple[float, float, str]:
    from wyoming.asr import Transcribe, Transcript
    from wyoming.audio import AudioChunk, AudioStart, AudioStop
    from wyoming.client import AsyncTcpClient

    async with AsyncTcpClient("127.0.0.1", port) as client:
        await client.write_event(Transcribe(language="en").event())
        await client.write_event(AudioStart(rate=16000, width=2, channels=1).event())
        t0 = time.perf_counter()
        for i in range(0, len(audio), CHUNK):
            await client.write_event(AudioChunk(rate=16000, width=2, channels=1,
                                                audio=audio[i:i + CHUNK].tobytes()).event())
        t1 = time.perf_counter()
        await client.write_event(AudioStop().event())
        while (event := await client.read_event()) is not None and not Transcript.is_type(event.type):
            pass
        t2 = time.perf_counter()
        text = Transcript.from_event(event).text if event is not None else ""
    return (t2 - t0) * 1000, (t2 - t1) * 1000, text


def bench_wyoming(cfg: Config, samples_dir: Path, rounds: int = 3) -> dict:
    """Run the method above; returns the figures and the method as a dict."""
    from hub.app import Session, broker_for
    from hub.mqtt.link import MqttLink
    from hub.wyoming.server import WyomingServer

    cases = commands(samples_dir)
    rows = []
    with broker_for(cfg, None) as (bcfg, _):
        link = MqttLink(bcfg, cfg.hub.options, client_id="bench-wyoming")
        link.wait_connected(5.0)
        session = Session(cfg, link, cfg.hub.area, model_set="full")
        try:
            with WyomingServer(session, cfg.wyoming.model_copy(update={"host": "127.0.0.1", "port": 0})) as server:
                for _ in range(rounds):
                    for file, said, audio in cases:
                        trip, after, heard = asyncio.run(_one(server.port, audio))
                        rows.append({"file": file, "said": said, "heard": heard, "audio_ms": len(audio) / 16,
                                     "round_trip_ms": round(trip, 1), "after_stop_ms": round(after, 1)})
        finally:
            session.close()
            link.close()
    trips = [r["round_trip_ms"] for r in rows]
    after = [r["after_stop_ms"] for r in rows]
    return {
        "method": __doc__.split("Method: ", 1)[1].strip(),
        "machine": machine_info(),
        "asr_model": cfg.asr.model,
        "requests": len(rows),
        "audio_ms_mean": round(float(np.mean([r["audio_ms"] for r in rows])), 0) if rows else None,
        "round_trip_ms": {"p50": percentile(trips, 50, 1), "p95": percentile(trips, 95, 1), "max": max(trips, default=None)},
        "after_stop_ms": {"p50": percentile(after, 50, 1), "p95": percentile(after, 95, 1), "max": max(after, default=None)},
        "rows": rows,
    }


def table(result: dict) -> str:
    r, a = result["round_trip_ms"], result["after_stop_ms"]
    return "\n".join([
        f"Wyoming speech recognition round trip (whisper {result['asr_model']}), {result['requests']} requests "
        f"of {result['audio_ms_mean']:.0f} ms mean audio",
        machine_line(result["machine"]),
        "",
        "| from | p50 ms | p95 ms | max ms |",
        "|---|---|---|---|",
        f"| first audio-chunk to transcript | {r['p50']} | {r['p95']} | {r['max']} |",
        f"| audio-stop to transcript | {a['p50']} | {a['p95']} | {a['max']} |",
        "",
        "Method: " + result["method"],
    ])
