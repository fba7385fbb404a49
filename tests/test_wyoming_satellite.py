"""The hub as controller of a remote satellite: a fake satellite built on the wyoming package's
server classes (AsyncTcpServer, AsyncEventHandler) listens on 127.0.0.1; the hub connects, sends
``run-satellite``, hears the satellite's real recordings through the real models, sends back the
wake word detection, the transcript and the reply (text and audio), and waits for ``played``.
The satellite's area is the room of its commands, which reach a real mosquitto."""

from __future__ import annotations

import asyncio
import socket

import numpy as np
import pytest
import soxr
from wyoming.asr import Transcript
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.event import Event
from wyoming.pipeline import PipelineStage, RunPipeline
from wyoming.satellite import RunSatellite
from wyoming.server import AsyncEventHandler, AsyncTcpServer
from wyoming.snd import Played
from wyoming.tts import Synthesize

from hub.app import Session
from hub.audio.wav import read_wav
from hub.config import BrokerConfig
from hub.config_load import load_config
from hub.mqtt.link import MqttLink
from hub.reply.tts import PiperSpeaker
from hub.settings.wyoming import SatelliteSettings
from hub.wyoming.server import WyomingServer

pytestmark = pytest.mark.slow

WAIT_S = 90.0
"""Upper bound for a whole exchange on a busy machine; tests never assert on time."""
CHUNK = 1024
"""Samples per audio-chunk, as wyoming-satellite sends them (64 ms at 16 kHz)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FakeSatellite(AsyncEventHandler):
    """A fake satellite: on ``run-satellite`` it streams ``audio`` (16 kHz int16) at real time,
    then silence, with no wake word of its own; it records every event it receives and answers
    the reply audio's ``audio-stop`` with ``played``."""

    def __init__(self, reader, writer, audio: np.ndarray, received: list[Event], done: asyncio.Event,
                 own_wake_word: str | None = None):
        super().__init__(reader, writer)
        self.audio, self.received, self.done = audio, received, done
        self.own_wake_word = own_wake_word
        """Set: the satellite heard this wake word itself, and streams only the command after it."""
        self._streaming: asyncio.Task | None = None

    async def handle_event(self, event: Event) -> bool:
        self.received.append(event)
        if RunSatellite.is_type(event.type) and self._streaming is None:
            self._streaming = asyncio.create_task(self._stream())
        elif AudioStop.is_type(event.type):
            await self.write_event(Played().event())
            self.done.set()
        return True

    async def disconnect(self) -> None:
        if self._streaming is not None:
            self._streaming.cancel()

    async def _stream(self) -> None:
        start = PipelineStage.ASR if self.own_wake_word else PipelineStage.WAKE
        await self.write_event(RunPipeline(start_stage=start, end_stage=PipelineStage.TTS, restart_on_end=True,
                                           wake_word_name=self.own_wake_word).event())
        await self.write_event(AudioStart(rate=16000, width=2, channels=1).event())
        silence = np.zeros(CHUNK, np.int16)
        chunks = [self.audio[i:i + CHUNK] for i in range(0, len(self.audio), CHUNK)]
        try:
            while True:
                chunk = chunks.pop(0) if chunks else silence
                await self.write_event(AudioChunk(rate=16000, width=2, channels=1, audio=chunk.tobytes()).event())
                await asyncio.sleep(CHUNK / 16000)
        except ConnectionError:
            pass  # the hub hung up: the test is over


@pytest.fixture(scope="module")
def session(module_broker):
    cfg = load_config("config.yaml")
    link = MqttLink(BrokerConfig(host=module_broker.host, port=module_broker.port), cfg.hub.options,
                    client_id="satellite-test")
    link.connect()
    s = Session(cfg, link, cfg.hub.area, model_set="full")
    yield s
    s.close()
    link.close()


class FakeSatelliteThatHangsUp(AsyncEventHandler):
    """A fake satellite that closes the connection as soon as ``run-satellite`` arrives."""

    async def handle_event(self, event: Event) -> bool:
        return not RunSatellite.is_type(event.type)


class FakeSatelliteWithBadAudio(AsyncEventHandler):
    """A fake satellite whose microphone says it sends 40-bit samples."""

    async def handle_event(self, event: Event) -> bool:
        if RunSatellite.is_type(event.type):
            await self.write_event(Event("audio-start", {"rate": 16000, "width": 5, "channels": 1}))
        return True


def exchange(session, audio: np.ndarray, area: str, own_wake_word: str | None = None, hang_ups: int = 0,
             first=FakeSatelliteThatHangsUp) -> tuple[list[Event], WyomingServer]:
    """Run one fake satellite in ``area`` streaming ``audio`` until the hub's reply was played;
    its first ``hang_ups`` connections are served by ``first`` instead."""

    async def go():
        received: list[Event] = []
        done = asyncio.Event()
        port = free_port()
        fake = AsyncTcpServer("127.0.0.1", port)
        connections = []

        def satellite(r, w):
            connections.append(w)
            if len(connections) <= hang_ups:
                return first(r, w)
            return FakeSatellite(r, w, audio, received, done, own_wake_word)

        await fake.start(satellite)
        settings = session.cfg.wyoming.model_copy(update={
            "host": "127.0.0.1", "port": 0,
            "satellites": (SatelliteSettings(host="127.0.0.1", port=port, area=area, name="fake"),)})
        server = WyomingServer(session, settings)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, server.start)
        try:
            await asyncio.wait_for(done.wait(), WAIT_S)
            # the controller counts the played event once it has read it
            for _ in range(100):
                if server.satellites[0].played:
                    break
                await asyncio.sleep(0.05)
        finally:
            await loop.run_in_executor(None, server.stop)
            await fake.stop()
        return received, server

    return asyncio.run(go())


def test_a_satellite_is_heard_answered_and_its_reply_played(session, module_broker, collector):
    seen = collector(module_broker, "cmnd/kitchen_light/#")
    audio = read_wav("samples/01_kitchen_light_on.wav")
    received, server = exchange(session, audio, "kitchen")
    types = [e.type for e in received]
    assert types[0] == "run-satellite"
    assert "detection" in types
    transcript = Transcript.from_event(next(e for e in received if e.type == "transcript"))
    assert "kitchen light" in transcript.text.lower()
    reply = Synthesize.from_event(next(e for e in received if e.type == "synthesize"))
    assert reply.text
    start = types.index("audio-start")
    assert types.index("detection") < types.index("transcript") < types.index("synthesize") < start
    assert types[start + 1:].count("audio-chunk") > 10 and "audio-stop" in types[start:]
    assert AudioStart.from_event(received[start]).rate == 22050
    assert server.satellites[0].played == 1 and server.satellites[0].turns == 1
    assert [(m.topic, m.payload) for m in seen.wait_for(1)] == [("cmnd/kitchen_light/POWER", b"ON")]


def test_the_satellite_area_is_the_room_of_its_commands(session, module_broker, collector):
    seen = collector(module_broker, "zigbee2mqtt/+/set")
    wake = read_wav("samples/01_kitchen_light_on.wav")[: 1400 * 16]  # "hey jarvis" and a breath
    spoken, rate = PiperSpeaker(noise_scale=0.0, noise_w_scale=0.0).synthesize("Turn on the lights.")
    command = (soxr.resample(spoken.astype(np.float32) / 32768, rate, 16000) * 32767).astype(np.int16)
    received, _ = exchange(session, np.concatenate([wake, command]), "bedroom")
    assert "transcript" in [e.type for e in received]
    topics = {m.topic for m in seen.wait_for(2)}
    assert topics == {"zigbee2mqtt/bedroom_light/set", "zigbee2mqtt/bedside_lamp/set"}


def test_a_satellite_with_its_own_wake_word_streams_only_the_command(session, module_broker, collector):
    seen = collector(module_broker, "zigbee2mqtt/bedroom_light/set")
    command = read_wav("samples/02_bedroom_light_off.wav")[1500 * 16:]  # after "hey jarvis"
    received, server = exchange(session, command, "bedroom", own_wake_word="okay_nabu")
    types = [e.type for e in received]
    assert "detection" not in types  # the satellite's own: the hub does not announce one
    assert "bedroom light" in Transcript.from_event(received[types.index("transcript")]).text.lower()
    assert server.satellites[0].played == 1
    assert b"OFF" in seen.wait_for(1)[0].payload


def test_a_satellite_that_hangs_up_is_reconnected(session):
    received, server = exchange(session, read_wav("samples/01_kitchen_light_on.wav"), "kitchen", hang_ups=1)
    assert "kitchen light" in Transcript.from_event(next(e for e in received if e.type == "transcript")).text.lower()
    assert server.satellites[0].played == 1


def test_a_satellite_sending_audio_that_cannot_be_converted_is_dropped_and_reconnected(session):
    received, server = exchange(session, read_wav("samples/01_kitchen_light_on.wav"), "kitchen", hang_ups=1,
                                first=FakeSatelliteWithBadAudio)
    assert "kitchen light" in Transcript.from_event(next(e for e in received if e.type == "transcript")).text.lower()
