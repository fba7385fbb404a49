"""The Wyoming server against the real protocol: the wyoming package's own AsyncTcpClient talks to
a running `hub serve` server on 127.0.0.1 at a free port; the sample recordings go through the real
wake word engines and whisper; handled commands reach a real mosquitto."""

from __future__ import annotations

import asyncio
import importlib.metadata
import json

import numpy as np
import pytest
import soxr
from wyoming.asr import Transcribe, Transcript
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.client import AsyncTcpClient
from wyoming.error import Error
from wyoming.event import Event, async_read_event
from wyoming.handle import Handled, NotHandled
from wyoming.info import Describe, Info, SelectProgram
from wyoming.ping import Ping, Pong
from wyoming.wake import Detect, Detection, NotDetected

from hub.app import Session
from hub.audio.wav import read_wav
from hub.config import BrokerConfig
from hub.config_load import load_config
from hub.mqtt.link import MqttLink
from hub.wyoming.server import WyomingServer

pytestmark = pytest.mark.slow

SAMPLES = "samples"
WAIT_S = 60.0
"""Upper bound for any answer (whisper on a busy 2-core machine); tests never assert on time."""


@pytest.fixture(scope="module")
def server(module_broker):
    cfg = load_config("config.yaml")
    link = MqttLink(BrokerConfig(host=module_broker.host, port=module_broker.port), cfg.hub.options,
                    client_id="wyoming-test")
    link.connect()
    session = Session(cfg, link, cfg.hub.area, model_set="full")
    srv = WyomingServer(session, cfg.wyoming.model_copy(update={"host": "127.0.0.1", "port": 0,
                                                                  "max_payload_bytes": 64 * 1024,
                                                                  "max_connections": 6}))
    srv.start()
    yield srv
    srv.stop()
    session.close()
    link.close()


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, WAIT_S))


async def answer(client: AsyncTcpClient, *types: str) -> Event:
    """The next event of one of ``types`` (a ``detection`` may come before ``not-detected``...)."""
    while True:
        event = await client.read_event()
        assert event is not None, f"connection closed while waiting for {types}"
        if event.type in types:
            return event


def sample(name: str, from_ms: int = 0) -> np.ndarray:
    audio = read_wav(f"{SAMPLES}/{name}")
    return audio[from_ms * 16:]


def pcm(audio: np.ndarray, rate: int = 16000, width: int = 2, channels: int = 1) -> bytes:
    """16 kHz int16 audio as Wyoming PCM of another format (resampled with soxr)."""
    x = audio.astype(np.float32) / 32768.0
    if rate != 16000:
        x = soxr.resample(x, 16000, rate)
    x = np.repeat(x[:, None], channels, axis=1).reshape(-1)
    if width == 2:
        return (x * 32767).astype("<i2").tobytes()
    if width == 4:
        return (x * 2147483000).astype("<i4").tobytes()
    if width == 3:
        v = (x * 8388000).astype("<i4").tobytes()
        return b"".join(v[i:i + 3] for i in range(0, len(v), 4))
    return ((x * 127) + 128).astype(np.uint8).tobytes()


async def stream(client: AsyncTcpClient, raw: bytes, rate=16000, width=2, channels=1, chunk_samples=1024) -> None:
    await client.write_event(AudioStart(rate=rate, width=width, channels=channels).event())
    step = chunk_samples * width * channels
    for i in range(0, len(raw), step):
        await client.write_event(AudioChunk(rate=rate, width=width, channels=channels, audio=raw[i:i + step]).event())
    await client.write_event(AudioStop().event())


async def transcribe(port: int, raw: bytes, **fmt) -> str:
    async with AsyncTcpClient("127.0.0.1", port) as client:
        await client.write_event(Transcribe(language="en").event())
        await stream(client, raw, **fmt)
        return Transcript.from_event(await answer(client, "transcript")).text


async def detect(port: int, raw: bytes, names=None, program=None) -> Event:
    async with AsyncTcpClient("127.0.0.1", port) as client:
        if program:
            await client.write_event(SelectProgram(name=program).event())
        await client.write_event(Detect(names=names).event())
        await stream(client, raw)
        return await answer(client, "detection", "not-detected")


async def handle(port: int, text: str, context=None) -> Event:
    async with AsyncTcpClient("127.0.0.1", port) as client:
        await client.write_event(Transcript(text=text, context=context).event())
        return await answer(client, "handled", "not-handled", "error")


def words(text: str) -> str:
    return " ".join("".join(c for c in text.lower() if c.isalnum() or c == " ").split())


# ---------------------------------------------------------------- describe


def test_every_whisper_a_config_may_name_is_described():
    import typing

    from hub.config import AsrConfig
    from hub.wyoming import info

    assert set(typing.get_args(AsrConfig.model_fields["model"].annotation)) <= set(info._ASR_MODELS)


def test_describe_lists_the_models_the_hub_runs(server):
    async def go():
        async with AsyncTcpClient("127.0.0.1", server.port) as client:
            await client.write_event(Describe().event())
            return Info.from_event(await answer(client, "info"))

    info = run(go())
    asr = info.asr[0]
    assert [m.name for m in asr.models] == ["tiny.en-home"]  # the default: in models/, so hub's version
    assert asr.models[0].languages == ["en"] and asr.models[0].installed
    assert asr.models[0].version == importlib.metadata.version("hub")
    wake = {p.name: p for p in info.wake}
    assert set(wake) == {"openwakeword", "microwakeword"}
    assert {"hey_jarvis", "alexa", "hey_mycroft", "hey_rhasspy"} <= {m.name for m in wake["openwakeword"].models}
    assert "okay_nabu" in {m.name for m in wake["microwakeword"].models}
    assert all(m.installed for p in info.wake for m in p.models)
    assert wake["openwakeword"].version == importlib.metadata.version("openwakeword")
    handle_program = info.handle[0]
    assert handle_program.supports_home_control and handle_program.models[0].languages == ["en"]
    assert handle_program.models[0].version == server.hub.stages.nlu_version


def test_ping_is_answered(server):
    async def go():
        async with AsyncTcpClient("127.0.0.1", server.port) as client:
            await client.write_event(Ping(text="x").event())
            return await answer(client, "pong")

    assert Pong.from_event(run(go())).text == "x"


# ---------------------------------------------------------------- speech recognition


def test_a_recorded_command_is_transcribed(server):
    heard = run(transcribe(server.port, pcm(sample("01_kitchen_light_on.wav", 1500))))
    assert "kitchen light" in words(heard)


@pytest.mark.parametrize("rate,width,channels", [(44100, 3, 2), (8000, 1, 1), (48000, 4, 1)])
def test_other_rates_widths_and_channels_are_converted(server, rate, width, channels):
    raw = pcm(sample("02_bedroom_light_off.wav", 1500), rate, width, channels)
    heard = run(transcribe(server.port, raw, rate=rate, width=width, channels=channels))
    assert "bedroom light" in words(heard)


# ---------------------------------------------------------------- wake word


def test_the_wake_word_is_detected_and_its_absence_said(server):
    hit = run(detect(server.port, pcm(sample("01_kitchen_light_on.wav"))))
    assert hit.type == "detection" and Detection.from_event(hit).name == "hey_jarvis"
    miss = run(detect(server.port, pcm(sample("17_no_wake_word.wav"))))
    assert NotDetected.is_type(miss.type)


def test_the_second_engine_is_chosen_with_select_program(server):
    hit = run(detect(server.port, pcm(sample("01_kitchen_light_on.wav")), names=["hey_jarvis"], program="microwakeword"))
    assert hit.type == "detection" and Detection.from_event(hit).name == "hey_jarvis"


def test_an_unknown_wake_word_is_an_error(server):
    async def go():
        async with AsyncTcpClient("127.0.0.1", server.port) as client:
            await client.write_event(Detect(names=["hey_nobody"]).event())
            return Error.from_event(await answer(client, "error"))

    err = run(go())
    assert err.code == "unknown-wake-word" and "hey_nobody" in err.text and "hey_jarvis" in err.text


# ---------------------------------------------------------------- intent handling


def test_a_transcript_is_understood_and_carried_out_over_mqtt(server, module_broker, collector):
    seen = collector(module_broker, "cmnd/kitchen_light/#")
    done = run(handle(server.port, "turn on the kitchen light"))
    assert Handled.is_type(done.type) and Handled.from_event(done).text
    assert [(m.topic, m.payload) for m in seen.wait_for(1)] == [("cmnd/kitchen_light/POWER", b"ON")]


def test_the_context_area_is_the_room_and_a_question_back_is_answered_next(server, module_broker, collector):
    seen = collector(module_broker, "cmnd/#")
    asked = run(handle(server.port, "turn off the light", context={"area": "kitchen"}))
    # two lights in the kitchen: the hub asks which, and the next transcript from there answers
    assert Handled.is_type(asked.type) and "kitchen light" in Handled.from_event(asked).text.lower()
    done = run(handle(server.port, "the kitchen light", context={"area": "kitchen"}))
    assert Handled.is_type(done.type)
    assert ("cmnd/kitchen_light/POWER", b"OFF") in [(m.topic, m.payload) for m in seen.wait_for(1)]


def test_nonsense_is_not_handled_and_says_why(server):
    done = run(handle(server.port, "sing me the song of the flux capacitor"))
    assert NotHandled.is_type(done.type) and NotHandled.from_event(done).text


def test_an_unknown_area_is_an_error(server):
    done = run(handle(server.port, "turn off the light", context={"area": "attic"}))
    assert Error.is_type(done.type) and "attic" in Error.from_event(done).text


# ---------------------------------------------------------------- bad input


async def raw_exchange(port: int, data: bytes) -> list[Event]:
    """Send raw bytes; collect every event until the server closes the connection."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(data)
    await writer.drain()
    events = []
    while (event := await async_read_event(reader)) is not None:
        events.append(event)
    writer.close()
    return events


def still_serving(server) -> None:
    heard = run(transcribe(server.port, pcm(sample("01_kitchen_light_on.wav", 1500))))
    assert "kitchen" in words(heard)


def test_a_malformed_event_gets_an_error_and_the_connection_closes(server):
    events = run(raw_exchange(server.port, b"this is not json\n"))
    assert [e.type for e in events] == ["error"] and events[0].data["code"] == "malformed-event"
    events = run(raw_exchange(server.port, json.dumps({"data": {}}).encode() + b"\n"))
    assert [e.type for e in events] == ["error"] and "type" in events[0].data["text"]
    still_serving(server)


def test_an_oversized_payload_gets_an_error_and_the_connection_closes(server):
    header = {"type": "audio-chunk", "data": {"rate": 16000, "width": 2, "channels": 1},
              "payload_length": 50 * 1024 * 1024}
    events = run(raw_exchange(server.port, json.dumps(header).encode() + b"\n" + b"\0" * 4096))
    assert [e.type for e in events] == ["error"] and events[0].data["code"] == "payload-too-large"
    events = run(raw_exchange(server.port, b"{" + b" " * 100_000 + b"\n"))
    assert [e.type for e in events] == ["error"] and events[0].data["code"] == "payload-too-large"
    still_serving(server)


def test_a_wrong_audio_format_gets_an_error_and_the_connection_goes_on(server):
    async def go():
        async with AsyncTcpClient("127.0.0.1", server.port) as client:
            await client.write_event(Transcribe().event())
            await client.write_event(AudioStart(rate=16000, width=5, channels=1).event())
            first = Error.from_event(await answer(client, "error"))
            await client.write_event(AudioChunk(rate=16000, width=5, channels=1, audio=b"\0" * 10).event())
            await client.write_event(AudioStop().event())
            # an odd number of bytes is not whole 16-bit samples
            await client.write_event(Transcribe().event())
            await client.write_event(AudioStart(rate=16000, width=2, channels=1).event())
            await client.write_event(AudioChunk(rate=16000, width=2, channels=1, audio=b"\0" * 3).event())
            second = Error.from_event(await answer(client, "error"))
            await client.write_event(AudioStop().event())
            # a chunk in another format than its audio-start
            await client.write_event(AudioStart(rate=16000, width=2, channels=1).event())
            await client.write_event(AudioChunk(rate=22050, width=2, channels=1, audio=b"\0" * 4).event())
            third = Error.from_event(await answer(client, "error"))
            await client.write_event(AudioStop().event())
            # and the same connection still transcribes
            await client.write_event(Transcribe().event())
            await stream(client, pcm(sample("01_kitchen_light_on.wav", 1500)))
            return first, second, third, Transcript.from_event(await answer(client, "transcript")).text

    first, second, third, heard = run(go())
    assert first.code == "bad-audio" and "width 5" in first.text
    assert second.code == "bad-audio" and "3 bytes" in second.text
    assert third.code == "bad-audio" and "22050" in third.text
    assert "kitchen light" in words(heard)


def test_a_client_leaving_mid_stream_does_not_stop_the_others(server):
    async def leave():
        async with AsyncTcpClient("127.0.0.1", server.port) as client:
            await client.write_event(Transcribe().event())
            await client.write_event(AudioStart(rate=16000, width=2, channels=1).event())
            await client.write_event(AudioChunk(rate=16000, width=2, channels=1, audio=b"\0" * 3000).event())
        async with AsyncTcpClient("127.0.0.1", server.port) as client:
            await client.write_event(Detect().event())
            await client.write_event(AudioStart(rate=16000, width=2, channels=1).event())
            await client.write_event(AudioChunk(rate=16000, width=2, channels=1, audio=pcm(sample("01_kitchen_light_on.wav"))[:20000]).event())

    run(leave())
    still_serving(server)
    hit = run(detect(server.port, pcm(sample("01_kitchen_light_on.wav"))))
    assert hit.type == "detection"


def test_several_clients_at_once_each_get_their_own_answer(server):
    async def go():
        return await asyncio.gather(
            transcribe(server.port, pcm(sample("01_kitchen_light_on.wav", 1500))),
            transcribe(server.port, pcm(sample("02_bedroom_light_off.wav", 1500))),
            detect(server.port, pcm(sample("01_kitchen_light_on.wav"))),
            detect(server.port, pcm(sample("17_no_wake_word.wav"))),
        )

    kitchen, bedroom, hit, miss = run(go())
    assert "kitchen" in words(kitchen) and "bedroom" in words(bedroom)
    assert hit.type == "detection" and miss.type == "not-detected"


def test_one_client_too_many_is_told_and_the_others_are_served(server):
    async def go():
        clients = [AsyncTcpClient("127.0.0.1", server.port) for _ in range(6)]
        for c in clients:
            await c.connect()
            await c.write_event(Ping(text="here").event())
        answers = [await answer(c, "pong") for c in clients]
        async with AsyncTcpClient("127.0.0.1", server.port) as extra:
            refused = await extra.read_event()
        for c in clients:
            await c.disconnect()
        return answers, refused

    answers, refused = run(go())
    assert len(answers) == 6
    assert refused.type == "error" and refused.data["code"] == "too-many-connections"

    async def served_again():  # once the server has seen the six leave
        for _ in range(100):
            async with AsyncTcpClient("127.0.0.1", server.port) as client:
                await client.write_event(Ping().event())
                if (await client.read_event()).type == "pong":
                    return True
            await asyncio.sleep(0.1)
        return False

    assert run(served_again())
