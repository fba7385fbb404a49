"""End to end with real models: a spoken WAV through `hub run --wav` to a real mosquitto."""

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def espeak_wav(path: Path, text: str, voice: str = "en-us") -> Path:
    subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(path), text], check=True)
    return path


class Subscriber:
    """Collects every (topic, payload) the broker delivers."""

    def __init__(self, host: str, port: int):
        self.messages: list[tuple[str, bytes]] = []
        self.ready = threading.Event()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="e2e-observer")
        self.client.on_connect = lambda c, *_: (c.subscribe("#", qos=1), self.ready.set())
        self.client.on_message = lambda c, u, m: self.messages.append((m.topic, m.payload))
        self.client.connect(host, port)
        self.client.loop_start()
        assert self.ready.wait(5)

    def wait_for(self, topic: str, timeout: float = 5.0) -> list[bytes]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not any(t == topic for t, _ in self.messages):
            time.sleep(0.05)
        return [p for t, p in self.messages if t == topic]

    def close(self):
        self.client.loop_stop()
        self.client.disconnect()


def run_hub(broker, *wavs: Path) -> list[dict]:
    p = subprocess.run(
        [sys.executable, "-m", "hub.cli", "run", "--config", str(ROOT / "config.yaml"),
         "--broker", f"{broker.host}:{broker.port}", "--json", "--wav", *map(str, wavs)],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )
    assert p.returncode == 0, p.stderr
    return [json.loads(line) for line in p.stdout.splitlines() if line.startswith("{")]


def test_spoken_command_reaches_the_broker(broker, tmp_path):
    wav = espeak_wav(tmp_path / "cmd.wav", "hey jarvis, turn on the kitchen light")
    sub = Subscriber(broker.host, broker.port)
    try:
        turns = run_hub(broker, wav)
        received = sub.wait_for("cmnd/kitchen_light/POWER")
    finally:
        sub.close()
    assert len(turns) == 1, turns
    assert turns[0]["wake_word"] == "hey_jarvis"
    assert turns[0]["commands"] == [{"device": "kitchen_light", "action": "turn_on"}]
    assert received == [b"ON"]


def test_no_wake_word_no_message(broker, tmp_path):
    wav = espeak_wav(tmp_path / "nowake.wav", "turn on the kitchen light")
    sub = Subscriber(broker.host, broker.port)
    try:
        turns = run_hub(broker, wav)
    finally:
        sub.close()
    assert turns == []
    assert not [m for m in sub.messages if m[0].startswith("cmnd/")]
