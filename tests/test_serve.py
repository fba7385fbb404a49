"""`hub serve`: the real HTTP server (uvicorn on 127.0.0.1 at a free port) over a real session
with the real models and a real mosquitto; called over HTTP with urllib and http.client.

One hub per module (the models load once); each test looks at what reached the broker through
a subscriber of its own."""

from __future__ import annotations

import base64
import http.client
import json
import os
import signal
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest
import soxr

from hub.app import Session
from hub.audio.wav import paced, read_wav, wav_frames
from hub.config import BrokerConfig
from hub.config_load import load_config, parse_config
from hub.errors import ConfigError
from hub.mqtt.link import MqttLink
from hub.wake.thresholds import full_set_thresholds
from hub.serve.api import create_app
from hub.serve.hub import ApiServer, ServedHub
from hub.settings.http import HttpSettings, parse_http_address
from hub.types import MqttMessage

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "01_kitchen_light_on.wav"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(module_broker):
    """(hub, server, broker): `hub serve`'s parts on config.yaml, the full model set, no token."""
    cfg = load_config(ROOT / "config.yaml")
    bcfg = BrokerConfig(host=module_broker.host, port=module_broker.port)
    link = MqttLink(bcfg, cfg.hub.options, client_id="hub-serve-test")
    link.connect()
    session = Session(cfg, link, cfg.hub.area, model_set="full")
    settings = HttpSettings(max_wav_mb=1.0, max_audio_s=20.0)
    hub = ServedHub(session, bcfg, recent=settings.recent)
    server = ApiServer(create_app(hub, settings, None), "127.0.0.1", 0).start()
    try:
        yield hub, server, module_broker
    finally:
        server.stop()
        hub.stop()
        session.close()
        link.close()


def call(server: ApiServer, method: str, path: str, body: bytes | dict | None = None,
         headers: dict[str, str] | None = None) -> tuple[int, dict, object]:
    """(status, headers, JSON body or text) of one request; 4xx and 5xx are returned, not raised."""
    headers = dict(headers or {})
    if isinstance(body, dict):
        body = json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(server.url + path, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            status, h, raw = r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        status, h, raw = e.code, dict(e.headers), e.read()
    text = raw.decode("utf-8", "replace")
    return status, h, json.loads(text) if h.get("content-type", "").startswith("application/json") else text


def wav_bytes(samples: np.ndarray, rate: int, channels: int = 1, bits: int = 16, tag: int = 1) -> bytes:
    """A RIFF/WAVE file of float samples in [-1, 1] (frames x channels) as PCM ``bits`` or float."""
    x = samples.reshape(len(samples), -1)
    if tag == 3:
        data = x.astype("<f4").tobytes()
    elif bits == 24:
        v = np.clip(np.rint(x * 8388607), -8388608, 8388607).astype("<i4").tobytes()
        data = b"".join(v[i:i + 3] for i in range(0, len(v), 4))
    else:
        data = np.clip(np.rint(x * 32767), -32768, 32767).astype("<i2").tobytes()
    block = channels * bits // 8
    fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * block, block, bits)
    return (b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt
            + b"data" + struct.pack("<I", len(data)) + data)


def test_status_health_and_the_openapi_document(served):
    hub, server, broker = served
    status, _, health = call(server, "GET", "/api/health")
    assert status == 200 and health == {"status": "ok", "model_set": "full", "mqtt_connected": True}
    status, _, s = call(server, "GET", "/api/status")
    assert status == 200
    assert s["name"] == "Maple House Hub" and s["model_set"] == "full" and s["nlu_version"] == hub.session.stages.registry.active_version()
    assert s["broker"] == {"address": f"mqtt://{broker.host}:{broker.port}", "connected": True}
    assert s["mic"] == {"source": None, "listening": False, "error": None} and s["uptime_s"] >= 0
    status, _, doc = call(server, "GET", "/openapi.json")
    assert status == 200 and {"/api/text", "/api/parse", "/api/speech", "/api/devices/{device_id}/state"} <= set(doc["paths"])


def test_a_typed_command_is_carried_out_on_the_broker_and_parse_does_nothing(served, collector):
    hub, server, broker = served
    sub = collector(broker, "cmnd/#")
    status, _, parsed = call(server, "POST", "/api/parse", {"text": "turn off the bedroom light", "area": "bedroom"})
    assert status == 200 and parsed["model_set"] == "full"
    assert parsed["understanding"]["commands"] == [
        {"device": "bedroom_light", "action": "turn_off", "value": None, "unit": None}]
    status, _, done = call(server, "POST", "/api/text", {"text": "turn off the kitchen light"})
    assert status == 200
    assert done["outcome"]["published"] == [{"topic": "cmnd/kitchen_light/POWER", "payload": "OFF"}]
    assert done["outcome"]["reply"] == "Turning off the kitchen light."
    assert done["channel"] == "text" and set(done["ms"]) == {"nlu", "act"}
    # the first command message the broker saw is the typed one: parsing published nothing
    assert sub.wait_for(1)[0].topic == "cmnd/kitchen_light/POWER" and sub.wait_for(1)[0].payload == b"OFF"
    status, _, s = call(server, "GET", "/api/status")
    assert s["recent"][0]["understanding"]["text"] == "turn off the kitchen light"


def test_a_sensitive_command_waits_for_a_typed_yes(served, collector):
    hub, server, broker = served
    sub = collector(broker, "zigbee2mqtt/front_door/set")
    status, _, asked = call(server, "POST", "/api/text", {"text": "unlock the front door"})
    assert status == 200 and asked["outcome"]["awaiting_confirmation"] and not asked["outcome"]["published"]
    status, _, done = call(server, "POST", "/api/text", {"text": "yes"})
    assert [m["topic"] for m in done["outcome"]["published"]] == ["zigbee2mqtt/front_door/set"]
    assert sub.wait_for(1)[0].payload == b'{"state":"UNLOCK"}'


def test_speech_of_any_rate_and_channels_is_transcribed_and_carried_out(served, collector):
    hub, server, broker = served
    sub = collector(broker, "cmnd/kitchen_light/POWER")
    status, _, done = call(server, "POST", "/api/speech", SAMPLE.read_bytes(), {"Content-Type": "audio/wav"})
    assert status == 200, done
    assert "kitchen light" in done["transcript"]["text"].lower() and done["audio_s"] == pytest.approx(3.8, abs=0.1)
    assert done["outcome"]["published"] == [{"topic": "cmnd/kitchen_light/POWER", "payload": "ON"}]
    assert set(done["ms"]) == {"asr", "nlu", "act"} and done["channel"] == "speech"
    assert sub.wait_for(1)[0].payload == b"ON"
    # the same recording as 44.1 kHz stereo 24-bit, said in the bedroom
    x = read_wav(SAMPLE).astype(np.float32) / 32768
    y = soxr.resample(x, 16000, 44100)
    status, _, done = call(server, "POST", "/api/speech?area=bedroom", wav_bytes(np.stack([y, y], 1), 44100, 2, 24),
                           {"Content-Type": "audio/wav"})
    assert status == 200, done
    assert done["understanding"]["area"] == "bedroom" and done["understanding"]["commands"][0]["device"] == "kitchen_light"


def test_device_state_follows_the_broker(served):
    hub, server, broker = served
    status, _, devices = call(server, "GET", "/api/devices")
    assert status == 200 and len(devices) == len(hub.cfg.devices)
    lamp = next(d for d in devices if d["id"] == "floor_lamp")
    assert lamp["area"] == "living_room" and lamp["protocol"] == "zigbee2mqtt" and lamp["state"]["device"] == "floor_lamp"
    with MqttLink(BrokerConfig(host=broker.host, port=broker.port), status_topic=None, client_id="lamp") as lamp_link:
        lamp_link.connect()
        lamp_link.publish_and_wait(MqttMessage("zigbee2mqtt/floor_lamp", b'{"state":"ON","brightness":127}'))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        status, _, state = call(server, "GET", "/api/devices/floor_lamp/state")
        if state["known"].get("power"):
            break
        time.sleep(0.05)
    assert status == 200 and state["known"]["power"] is True and state["known"]["brightness"] == pytest.approx(50.0, abs=0.5)
    assert "on" in state["said"] and state["last_update"] is not None
    status, _, one = call(server, "GET", "/api/devices/floor_lamp")
    assert one["state"]["known"]["power"] is True and one["name"] == "Floor lamp"


def test_the_page_shows_the_hub_and_its_box_sends_a_command(served, collector):
    hub, server, broker = served
    sub = collector(broker, "zigbee2mqtt/living_blinds/set")
    status, h, page = call(server, "GET", "/")
    assert status == 200 and h["content-type"].startswith("text/html")
    assert "Maple House Hub" in page and "<h3>Garage</h3>" in page and "Floor lamp" in page and 'name="text"' in page
    assert "http://" not in page.replace(server.url, "") and "https://" not in page  # nothing from elsewhere
    assert '<svg id="wake-graph"' in page and 'fetch("/api/wake_scores"' in page
    req = urllib.request.Request(server.url + "/", data=b"text=close+the+blinds", method="POST",
                                 headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": server.url})
    with urllib.request.urlopen(req, timeout=60) as r:  # follows the 303 to the page
        assert r.status == 200 and "close the blinds" in r.read().decode()
    assert sub.wait_for(1)[0].topic == "zigbee2mqtt/living_blinds/set"
    assert hub.recent()[0].channel == "page"


def test_a_live_source_is_heard_like_the_microphone(served, collector):
    hub, server, broker = served
    sub = collector(broker, "cmnd/kitchen_light/POWER")
    seen = len(hub.recent())
    hub.listen("sample", lambda: paced(wav_frames(SAMPLE)))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (len(hub.recent()) == seen or hub.recent()[0].channel != "mic"):
        time.sleep(0.05)
    e = hub.recent()[0]
    assert e.channel == "mic" and [c.device for c in e.understanding.commands] == ["kitchen_light"]
    assert sub.wait_for(1)[0].payload == b"ON"
    status, _, s = call(server, "GET", "/api/status")
    assert s["mic"]["source"] == "sample" and s["recent"][0]["transcript"]["text"]
    # the page's live graph: one score per frame heard, the wake word among them
    status, _, w = call(server, "GET", "/api/wake_scores")
    assert status == 200 and w["wake_word"] == "hey_jarvis" and w["threshold"] == full_set_thresholds("hey_jarvis").openwakeword
    assert len(w["scores"]) > 20 and max(score for _, score in w["scores"]) >= w["threshold"]
    assert [t for t, _ in w["scores"]] == sorted(t for t, _ in w["scores"])


def test_a_microphone_that_fails_is_shown_and_the_api_keeps_serving(served):
    from hub.errors import AudioError
    from hub.types import AudioFrame

    hub, server, broker = served
    served_hub = ServedHub(hub.session, hub.broker)

    def unplugged():
        for k in range(5):
            yield AudioFrame(np.zeros(1280, np.int16), k * 80)
        raise AudioError("mic:usb: the input device went away")

    served_hub.listen("mic:usb", unplugged)
    deadline = time.monotonic() + 20
    while served_hub.listening and time.monotonic() < deadline:
        time.sleep(0.05)
    from hub.serve.resources import status_of
    from hub.serve.page import render_page

    status = status_of(served_hub)
    assert status.mic.model_dump() == {"source": "mic:usb", "listening": False,
                                       "error": "AudioError: mic:usb: the input device went away"}
    assert "stopped: AudioError: mic:usb: the input device went away" in render_page(served_hub, status)
    assert call(server, "GET", "/api/health")[0] == 200


def _raw_request(server: ApiServer, method: str, path: str, body: bytes, headers: dict[str, str],
                 chunked: bool = False) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        if chunked:
            conn.putrequest(method, path)
            for k, v in headers.items():
                conn.putheader(k, v)
            conn.putheader("Transfer-Encoding", "chunked")
            conn.endheaders()
            for i in range(0, len(body), 65536):
                part = body[i:i + 65536]
                try:
                    conn.send(b"%x\r\n%s\r\n" % (len(part), part))
                except (BrokenPipeError, ConnectionResetError):
                    break
            else:
                conn.send(b"0\r\n\r\n")
        else:
            conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        return r.status, json.loads(r.read())
    finally:
        conn.close()


def _pcm16(seconds: float) -> bytes:
    return wav_bytes(np.zeros(int(16000 * seconds), np.float32), 16000)


@pytest.mark.parametrize("method, path, body, headers, status, code, where", [
    ("POST", "/api/text", b'{"text": "turn on the lamp",}', {"Content-Type": "application/json"}, 400, "invalid_json", "body"),
    ("POST", "/api/text", b'"turn on the lamp"', {"Content-Type": "application/json"}, 422, "invalid_request", "body"),
    ("POST", "/api/text", {"txt": "turn on the lamp"}, {}, 422, "invalid_request", "body.text"),
    ("POST", "/api/text", {"text": ""}, {}, 422, "invalid_request", "body.text"),
    ("POST", "/api/text", {"text": "x" * 501}, {}, 422, "invalid_request", "body.text"),
    ("POST", "/api/text", {"text": "turn on the lamp", "confirmed": "maybe"}, {}, 422, "invalid_request", "body.confirmed"),
    ("POST", "/api/text", {"text": "turn on the lamp", "area": "attic"}, {}, 422, "unknown_area", "body.area"),
    ("POST", "/api/parse", b"text=turn on the lamp", {"Content-Type": "text/plain"}, 415, "unsupported_media_type", "header.content-type"),
    ("POST", "/api/parse", {"text": "y" * 70000}, {}, 413, "too_large", "body"),
    ("GET", "/api/devices/attic_fan/state", None, {}, 404, "unknown_device", "path.device_id"),
    ("GET", "/api/devices/attic_fan", None, {}, 404, "unknown_device", "path.device_id"),
    ("GET", "/api/nothing", None, {}, 404, "not_found", None),
    ("DELETE", "/api/text", None, {}, 405, "method_not_allowed", None),
    ("POST", "/api/speech", b"ID3\x04 an mp3", {"Content-Type": "audio/wav"}, 415, "not_wav", "body"),
    ("POST", "/api/speech", b"", {"Content-Type": "audio/wav"}, 415, "not_wav", "body"),
    ("POST", "/api/speech", _pcm16(1.0), {"Content-Type": "application/json"}, 415, "unsupported_media_type", "header.content-type"),
    ("POST", "/api/speech", _pcm16(1.0)[:40], {"Content-Type": "audio/wav"}, 422, "bad_audio", "body"),
    ("POST", "/api/speech", wav_bytes(np.zeros(1600, np.float32), 16000, bits=12), {"Content-Type": "audio/wav"}, 422, "bad_audio", "body"),
    ("POST", "/api/speech", wav_bytes(np.zeros(1600, np.float32), 8000, tag=7, bits=8), {"Content-Type": "audio/wav"}, 422, "bad_audio", "body"),
    ("POST", "/api/speech", _pcm16(25.0), {"Content-Type": "audio/wav"}, 413, "too_long", "body"),
    # declared over the limit: refused on the header, before a byte of the body is read
    ("POST", "/api/speech", b"RIFF", {"Content-Type": "audio/wav", "Content-Length": str(2**21)}, 413, "too_large", "body"),
    ("POST", "/api/speech?area=attic", _pcm16(1.0), {"Content-Type": "audio/wav"}, 422, "unknown_area", "query.area"),
    ("GET", "/api/health", None, {"Host": "rebound.example.com"}, 400, "bad_host", "header.host"),
    ("POST", "/", b"text=unlock+the+front+door", {"Content-Type": "application/x-www-form-urlencoded",
                                                  "Origin": "http://evil.example.com"}, 403, "cross_origin", "header.origin"),
    ("POST", "/", b"text=", {"Content-Type": "application/x-www-form-urlencoded"}, 422, "invalid_request", "body.text"),
])
def test_bad_requests_get_a_clear_json_error(served, method, path, body, headers, status, code, where):
    hub, server, broker = served
    if isinstance(body, dict):
        body, headers = json.dumps(body).encode(), {"Content-Type": "application/json", **headers}
    got, answer = _raw_request(server, method, path, body or b"", headers)
    assert (got, answer["error"]["code"], answer["error"]["where"]) == (status, code, where), answer
    assert answer["error"]["message"] and "Traceback" not in answer["error"]["message"]


def test_speech_beyond_its_slots_is_refused_busy(served):
    hub, server, broker = served
    slots = server.app.state.speech_slots
    taken = [slots.acquire(blocking=False) for _ in range(2)]  # as two transcriptions in progress
    try:
        assert taken == [True, True]
        got, answer = _raw_request(server, "POST", "/api/speech", _pcm16(1.0), {"Content-Type": "audio/wav"})
        assert got == 503 and answer["error"]["code"] == "busy"
    finally:
        for _ in taken:
            slots.release()


def test_an_oversized_chunked_body_is_cut_off(served):
    hub, server, broker = served
    got, answer = _raw_request(server, "POST", "/api/speech", _pcm16(40.0), {"Content-Type": "audio/wav"}, chunked=True)
    assert got == 413 and answer["error"]["code"] == "too_large"
    status, _, _ = call(server, "GET", "/api/health")  # and it keeps serving
    assert status == 200


def test_with_a_token_every_request_but_health_must_carry_it(served, tmp_path):
    hub, _, broker = served
    (tmp_path / "token").write_text("s3cret-token\n")
    settings = HttpSettings(token_file=str(tmp_path / "token"))
    server = ApiServer(create_app(hub, settings, settings.token()), "127.0.0.1", 0).start()
    try:
        assert call(server, "GET", "/api/health")[0] == 200
        status, h, answer = call(server, "GET", "/api/status")
        assert status == 401 and answer["error"]["code"] == "unauthorized" and h["www-authenticate"].startswith("Bearer")
        assert call(server, "GET", "/api/status", headers={"Authorization": "Bearer wrong"})[0] == 401
        assert call(server, "GET", "/api/status", headers={"Authorization": "Bearer s3cret-token"})[0] == 200
        status, h, _ = call(server, "GET", "/")
        assert status == 401 and h["www-authenticate"].startswith("Basic")  # a browser asks for it
        basic = base64.b64encode(b"me:s3cret-token").decode()
        assert call(server, "GET", "/", headers={"Authorization": f"Basic {basic}"})[0] == 200
    finally:
        server.stop()


def test_http_settings_and_address_are_checked():
    with pytest.raises(ConfigError) as e:
        parse_config("hub: {name: Test}\nhttp: {port: 70000, colour: blue}\n", "home.yaml")
    assert "home.yaml:2 http.port" in str(e.value) and "home.yaml:2 http.colour: unknown key" in str(e.value)
    with pytest.raises(ConfigError, match="home.yaml:1 http.*token_file: no such file '/no/such/file'"):
        parse_config("http: {token_file: /no/such/file}\n", "home.yaml")
    assert parse_http_address("0.0.0.0:8080") == ("0.0.0.0", 8080)
    assert parse_http_address(":0") == ("127.0.0.1", 0)
    assert parse_http_address("[::1]:9000") == ("::1", 9000)
    with pytest.raises(ValueError, match="port 'x'"):
        parse_http_address("127.0.0.1:x")


def test_the_cli_refuses_an_open_address_without_a_token():
    r = subprocess.run([sys.executable, "-m", "hub.cli", "serve", "--config", str(ROOT / "config.yaml"),
                        "--http", "0.0.0.0:0"], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert r.returncode == 2 and "set http.token_file" in r.stderr


def test_hub_serve_runs_until_interrupted(module_broker, collector):
    """The command itself: it serves on the address it prints, acts on the broker, and shuts down
in order on SIGTERM (as systemd stops it), leaving "offline" as its retained status."""
    sub = collector(module_broker, "zigbee2mqtt/desk_lamp/set")
    proc = subprocess.Popen(
        [sys.executable, "-m", "hub.cli", "serve", "--config", str(ROOT / "config.yaml"),
         "--broker", f"{module_broker.host}:{module_broker.port}", "--http", "127.0.0.1:0", "--wyoming", "127.0.0.1:0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        url = None
        for line in proc.stdout:
            if line.startswith("Serving "):
                url = line.split()[1].rstrip("/")
                break
        assert url, proc.stderr.read()
        req = urllib.request.Request(url + "/api/text", data=json.dumps({"text": "turn on the desk lamp"}).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(req, timeout=60) as r:
            done = json.loads(r.read())
        assert done["outcome"]["published"] and sub.wait_for(1)[0].topic == done["outcome"]["published"][0]["topic"]
        status = collector(module_broker, "hub/status")
        assert status.wait_for(1)[-1].payload == b"online"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
        assert status.wait_for(2)[-1].payload == b"offline"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_wav_in_memory_decodes_as_the_file_does():
    from hub.audio.wav import decode_wav
    from hub.errors import AudioError

    assert np.array_equal(decode_wav(SAMPLE.read_bytes()), read_wav(SAMPLE))
    with pytest.raises(AudioError, match="^upload: not a WAV file"):
        decode_wav(b"OggS....", "upload")


def test_the_low_power_set_serves_concurrent_speech_one_decoder_at_a_time(module_broker):
    """pocketsphinx's one decoder: concurrent /api/speech requests take turns and agree."""
    from concurrent.futures import ThreadPoolExecutor

    cfg = load_config(ROOT / "config.yaml")
    bcfg = BrokerConfig(host=module_broker.host, port=module_broker.port)
    link = MqttLink(bcfg, cfg.hub.options, client_id="hub-serve-low-power-test")
    link.connect()
    session = Session(cfg, link, cfg.hub.area, model_set="low-power")
    hub = ServedHub(session, bcfg)
    server = ApiServer(create_app(hub, HttpSettings(speech_slots=4), None), "127.0.0.1", 0).start()
    try:
        status, _, parsed = call(server, "POST", "/api/parse", {"text": "turn on the kitchen light"})
        assert status == 200 and parsed["model_set"] == "low-power"
        # /api/v1: the full set's parser (the trained model) stays loaded, so a request may ask for it
        for level, ran in (("high", "full"), ("low_power", "low-power"), ("balanced", "low-power")):
            status, _, r = call(server, "POST", "/api/v1/understand",
                                {"text": "turn on the kitchen light", "preferences": {"accuracy_level": level}})
            assert status == 200 and r["model_set"] == ran and "model_set_note" not in r, (level, r)
            assert r["understanding"]["commands"] == [{"device": "kitchen_light", "action": "turn_on"}]
        status, _, m = call(server, "GET", "/api/v1/models")
        assert m["model_set"] == "low-power" and m["understand_sets"] == ["full", "low-power"]
        assert m["asr"]["engine"] == "pocketsphinx" and m["wake_word"]["engine"] == "microwakeword"
        command = wav_bytes(read_wav(SAMPLE)[1200 * 16:].astype(np.float32) / 32768, 16000)  # after "hey jarvis"
        speak = lambda _: call(server, "POST", "/api/speech", command, {"Content-Type": "audio/wav"})  # noqa: E731
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(speak, range(4)))
        assert [a[0] for a in answers] == [200] * 4
        heard = {a[2]["transcript"]["text"] for a in answers}
        assert len(heard) == 1 and "kitchen light" in heard.pop()
    finally:
        server.stop()
        hub.stop()
        session.close()
        link.close()
