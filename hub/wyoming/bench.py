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

from hub.config import Config
from hub.figures import machine_info, machine_line, percentile

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


SATELLITE_CLIPS = ("01_kitchen_light_on.wav", "02_bedroom_light_off.wav", "05_blinds_halfway.wav",
                   "07_thermostat_21.wav", "09_ceiling_fan_on.wav", "14_desk_lamp_dim.wav")
"""Sample recordings the simulated satellites say (plain commands: no question back)."""
GAP_S = 2.0
"""Silence streamed after each recording, seconds."""
TRANSCRIPT_WAIT_S = 60.0
"""How long after its recordings a satellite's transcripts may still come before they count as missed."""


def _satellite_method() -> str:
    return (f"`hub serve`'s Wyoming server with the full model set and a private mosquitto; N simulated "
            f"satellites (the wyoming package's AsyncTcpServer/AsyncEventHandler on 127.0.0.1, no wake word of "
            f"their own) each stream sample recordings ({', '.join(SATELLITE_CLIPS)}, rotated per satellite) at "
            f"real time in 1024-sample chunks with {GAP_S:g} s of silence after each, and answer the reply "
            f"audio with `played` at once. The hub drives them as their controller: wake word, endpointing, "
            f"whisper, understanding, MQTT, Piper reply. Latency: wall time from sending the chunk holding the "
            f"end of the command (samples.yaml command_end_ms) to receiving its `transcript`. Missed: "
            f"recordings with no transcript within {TRANSCRIPT_WAIT_S:g} s of the satellite's last. CPU: the "
            f"process's CPU seconds over the wall seconds from the first chunk to the last transcript "
            f"(1.0 = one core busy).")


def bench_satellites(cfg: Config, samples_dir: Path, counts: tuple[int, ...] = (1, 2, 4, 8),
                     clips_per_satellite: int = 3) -> dict:
    """Run :func:`_satellite_method`'s method for each satellite count; figures as a dict."""
    from hub.app import Session, broker_for
    from hub.audio.wav import read_wav
    from hub.mqtt.link import MqttLink

    meta = {s["file"]: s for s in yaml.safe_load((samples_dir / "samples.yaml").read_text(encoding="utf-8"))["samples"]}
    clips = [(f, read_wav(samples_dir / f), meta[f]["command_end_ms"]) for f in SATELLITE_CLIPS]
    levels = []
    with broker_for(cfg, None) as (bcfg, _):
        link = MqttLink(bcfg, cfg.hub.options, client_id="bench-satellites")
        link.wait_connected(5.0)
        session = Session(cfg, link, cfg.hub.area, model_set="full")
        try:
            for n in counts:
                scripts = [[clips[(i + k) % len(clips)] for k in range(clips_per_satellite)] for i in range(n)]
                levels.append(asyncio.run(_run_level(session, cfg, scripts)))
        finally:
            session.close()
            link.close()
    return {"method": _satellite_method(), "machine": machine_info(), "asr_model": cfg.asr.model,
            "clips_per_satellite": clips_per_satellite, "levels": levels}


async def _run_level(session, cfg: Config, scripts: list[list[tuple[str, np.ndarray, int]]]) -> dict:
    from wyoming.server import AsyncTcpServer

    from hub.settings.wyoming import SatelliteSettings
    from hub.wyoming.server import WyomingServer

    loop = asyncio.get_running_loop()
    sims, servers, settings = [], [], []
    for i, script in enumerate(scripts):
        sim = _SimulatedSatellite(script)
        fake = AsyncTcpServer("127.0.0.1", _free_port())
        await fake.start(sim.handler)
        sims.append(sim)
        servers.append(fake)
        settings.append(SatelliteSettings(host="127.0.0.1", port=fake.port, area=cfg.hub.area or cfg.areas[0].id,
                                          name=f"sim{i}"))
    wy = cfg.wyoming.model_copy(update={"host": "127.0.0.1", "port": 0, "satellites": tuple(settings)})
    server = WyomingServer(session, wy)
    await loop.run_in_executor(None, server.start)
    cpu0, t0 = time.process_time(), time.perf_counter()
    try:
        longest = max(sum(len(a) / 16000 + GAP_S for _, a, _ in s) for s in scripts)
        await asyncio.wait_for(asyncio.gather(*(s.finished.wait() for s in sims)), longest + TRANSCRIPT_WAIT_S)
    except asyncio.TimeoutError:
        pass  # what did not arrive counts as missed
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    await loop.run_in_executor(None, server.stop)
    for fake in servers:
        await fake.stop()
    latencies = [x for s in sims for x in s.latencies_ms]
    said = sum(len(s) for s in scripts)
    return {"satellites": len(scripts), "recordings": said, "missed": said - len(latencies),
            "latency_ms": {"p50": percentile(latencies, 50, 0), "p95": percentile(latencies, 95, 0),
                           "max": round(max(latencies), 0) if latencies else None},
            "cpu_cores": round(cpu / wall, 2), "wall_s": round(wall, 1),
            "dropped_frames": sum(c.dropped_frames for c in server.satellites)}


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _SimulatedSatellite:
    """Streams its script at real time once the hub sends ``run-satellite``; notes when each
    command ended and when its transcript came."""

    def __init__(self, script: list[tuple[str, np.ndarray, int]]):
        self.script = script
        self.latencies_ms: list[float] = []
        self.finished = asyncio.Event()
        self._ends: list[float] = []
        """perf_counter when each command's end was sent, in order."""

    def handler(self, reader, writer):
        from wyoming.server import AsyncEventHandler

        sim = self

        class Handler(AsyncEventHandler):
            async def handle_event(self, event) -> bool:
                from wyoming.audio import AudioStop
                from wyoming.satellite import RunSatellite
                from wyoming.snd import Played

                if RunSatellite.is_type(event.type):
                    asyncio.create_task(sim.stream(self))
                elif event.type == "transcript" and sim._ends:
                    sim.latencies_ms.append((time.perf_counter() - sim._ends.pop(0)) * 1000)
                    if len(sim.latencies_ms) == len(sim.script):
                        sim.finished.set()
                elif AudioStop.is_type(event.type):
                    await self.write_event(Played().event())
                return True

        return Handler(reader, writer)

    async def stream(self, handler) -> None:
        from wyoming.audio import AudioChunk, AudioStart

        await handler.write_event(AudioStart(rate=16000, width=2, channels=1).event())
        gap = np.zeros(int(GAP_S * 16000), np.int16)
        start = time.perf_counter()
        sent = 0
        try:
            for _, audio, end_ms in self.script:
                end_sample = sent + end_ms * 16
                for chunk in (audio, gap):
                    for i in range(0, len(chunk), CHUNK):
                        part = chunk[i:i + CHUNK]
                        await handler.write_event(AudioChunk(rate=16000, width=2, channels=1,
                                                             audio=part.tobytes()).event())
                        before, sent = sent, sent + len(part)
                        if before < end_sample <= sent:
                            self._ends.append(time.perf_counter())
                        # real time: sleep until this chunk's end in stream time
                        await asyncio.sleep(max(0.0, start + sent / 16000 - time.perf_counter()))
            # silence goes on while the last transcripts come, as a satellite's microphone does
            while not self.finished.is_set():
                await handler.write_event(AudioChunk(rate=16000, width=2, channels=1, audio=gap[:CHUNK].tobytes()).event())
                await asyncio.sleep(CHUNK / 16000)
        except ConnectionError:
            pass


def satellites_table(result: dict) -> str:
    lines = [f"Satellites streaming at real time (whisper {result['asr_model']}), "
             f"{result['clips_per_satellite']} recordings each",
             machine_line(result["machine"]), "",
             "| satellites | recordings | missed | p50 ms | p95 ms | max ms | CPU cores | dropped frames |",
             "|---|---|---|---|---|---|---|---|"]
    for lv in result["levels"]:
        la = lv["latency_ms"]
        lines.append(f"| {lv['satellites']} | {lv['recordings']} | {lv['missed']} | {la['p50']} | {la['p95']} | "
                     f"{la['max']} | {lv['cpu_cores']} | {lv['dropped_frames']} |")
    return "\n".join(lines + ["", "Method: " + result["method"]])
