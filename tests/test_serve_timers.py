"""Timers and commands in time asked over `hub serve`'s HTTP API go to the hub's one agenda, as
spoken ones do: kept in its state file, listed, cancelled, carried across a restart, and run on
the broker when their time comes; a security-sensitive one is never confirmed over HTTP (a yes
said at a speaker is the only yes). The real `hub serve` process (real models) on a real
mosquitto, called over HTTP on 127.0.0.1; real time, on durations of seconds."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from test_serve_v1 import said_by_piper

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow

AT_SPEAKER = "Only a yes said at a speaker of the hub confirms something for later; a yes sent over HTTP does not."


class ServeProcess:
    """`hub serve --config CONFIG` on ``broker`` (HTTP and Wyoming on free loopback ports), its
    output read by a thread into ``lines``. :meth:`restart` stops it with SIGTERM and starts it again."""

    def __init__(self, config: Path, broker):
        self.config, self.broker = config, broker
        self.proc: subprocess.Popen | None = None
        self.lines: list[str] = []
        self.url = ""
        self.start()

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "hub.cli", "serve", "--config", str(self.config), "--model-set", "full",
             "--broker", f"{self.broker.host}:{self.broker.port}", "--http", "127.0.0.1:0", "--wyoming", "127.0.0.1:0"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
        serving = threading.Event()

        def read(out) -> None:
            for line in out:
                self.lines.append(line.rstrip("\n"))
                if line.startswith("Serving "):
                    self.url = line.split()[1].rstrip("/")
                    serving.set()
            serving.set()

        threading.Thread(target=read, args=(self.proc.stdout,), daemon=True).start()
        assert serving.wait(180) and self.url, "\n".join(self.lines)

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=60)

    def restart(self) -> None:
        assert self.stop() == 0
        self.url = ""
        self.start()

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def post(self, path: str, body: dict | bytes, content_type: str = "application/json") -> dict:
        data = json.dumps(body).encode() if isinstance(body, dict) else body
        req = urllib.request.Request(self.url + path, data=data, method="POST", headers={"Content-Type": content_type})
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                return json.loads(r.read())
        except urllib.error.HTTPError as e:
            raise AssertionError(f"{path}: {e.code} {e.read()!r}") from None

    def reply(self, text: str, **extra) -> str:
        """The reply of ``text`` sent to ``POST /api/text``."""
        return self.post("/api/text", {"text": text, **extra})["outcome"]["reply"]


@pytest.fixture(scope="module")
def state_file(tmp_path_factory) -> Path:
    """config.yaml with a timers state file, in a folder of its own; the file's path."""
    folder = tmp_path_factory.mktemp("serve_timers")
    raw = yaml.safe_load((ROOT / "config.yaml").read_text())
    raw["hub"].setdefault("options", {})["timers_file"] = "timers.json"
    (folder / "config.yaml").write_text(yaml.safe_dump(raw, sort_keys=False))
    return folder / "timers.json"


@pytest.fixture(scope="module")
def served(module_broker, state_file):
    hub = ServeProcess(state_file.parent / "config.yaml", module_broker)
    try:
        yield hub
    finally:
        hub.kill()


def test_a_command_in_time_over_the_api_waits_then_runs_on_the_broker(served, module_broker, collector, state_file):
    lamp = collector(module_broker, "zigbee2mqtt/desk_lamp/set")
    ran = collector(module_broker, "hub/schedule")
    r = served.post("/api/v1/understand", {"request_id": "later-1", "text": "turn on the desk lamp in 3 seconds",
                                           "execute": True})
    assert r["understanding"]["commands"] == [{"device": "desk_lamp", "action": "turn_on", "delay_s": 3}]
    assert (r["published"], r["reply"], r["request_id"]) == ([], "Turning on the desk lamp in 3 seconds.", "later-1")
    assert lamp.messages == []  # not now
    kept = json.loads(state_file.read_text())["scheduled"]
    assert [(i["device"], i["action"]) for i in kept] == [("desk_lamp", "turn_on")]
    assert served.reply("what's scheduled").startswith("Scheduled: turning on the desk lamp at ")
    assert json.loads(lamp.wait_for(1)[0].payload)["state"] == "ON"
    event = json.loads(ran.wait_for(1)[0].payload)
    assert (event["event"], event["device"], event["text"]) == ("ran", "desk_lamp", "turn on the desk lamp in 3 seconds")
    assert json.loads(state_file.read_text())["scheduled"] == []


def _first_live(collector):
    """The first message published while the collector listened (not the retained one it found)."""
    n = 1
    while not (live := [m for m in collector.wait_for(n) if not m.retain]):
        n += 1
    return live[0]


def test_a_timer_over_the_api_is_the_hubs_own(served, module_broker, collector, state_file):
    active = collector(module_broker, "hub/timers")
    r = served.post("/api/v1/understand", {"text": "set a 10 minute pasta timer", "execute": True})
    assert (r["understanding"]["intent"], r["understanding"]["slots"]) == ("timer_start", {"duration_s": 600, "name": "pasta"})
    assert r["reply"] == "The pasta timer is set for 10 minutes."
    sensor = json.loads(_first_live(active).payload)
    assert [(t["name"], t["duration_s"]) for t in sensor["timers"]] == [("pasta", 600)]
    assert [t["name"] for t in json.loads(state_file.read_text())["timers"]] == ["pasta"]
    assert served.reply("how much time is left on the pasta timer").startswith("The pasta timer has ")
    assert served.reply("cancel the pasta timer") == "The pasta timer is cancelled."
    assert json.loads(state_file.read_text())["timers"] == []


def test_a_spoken_timer_sent_as_a_wav_lands_in_the_same_agenda(served):
    r = served.post("/api/v1/recognize", said_by_piper("Set a timer for five minutes."), "audio/wav")
    assert (r["understanding"]["intent"], r["understanding"]["slots"]) == ("timer_start", {"duration_s": 300}), r
    assert r["reply"] == "The timer is set for 5 minutes."
    assert served.reply("what timers are running").startswith("The timer has ")
    assert served.reply("cancel the timer") == "The timer is cancelled."


def test_an_unlock_for_later_over_http_is_never_confirmed_there(served, module_broker, collector):
    door = collector(module_broker, "zigbee2mqtt/front_door/set")
    r = served.post("/api/v1/understand", {"text": "unlock the front door in ten minutes", "execute": True})
    assert r["reply"] == f"Unlocking the front door in 10 minutes: say yes to confirm. {AT_SPEAKER}"
    assert r["published"] == []
    served.reply("yes")  # a typed yes is the API's own conversation: nothing of the voice loop's
    done = served.post("/api/text", {"text": "unlock the front door in ten minutes", "confirmed": True})
    assert done["outcome"]["awaiting_confirmation"] and done["outcome"]["reply"].endswith(AT_SPEAKER)
    assert served.reply("what's scheduled") == "Nothing is scheduled."
    assert door.messages == []


def test_what_the_api_scheduled_survives_a_restart_and_is_cancelled_after_it(served, module_broker, collector, state_file):
    hall = collector(module_broker, "cmnd/hall_light/POWER")
    assert served.reply("turn off the hall light in 20 minutes") == "Turning off the hall light in 20 minutes."
    assert served.reply("set a 30 minute bread timer") == "The bread timer is set for 30 minutes."
    served.restart()
    assert served.reply("what timers are running").startswith("The bread timer has ")
    assert served.reply("what's scheduled").startswith("Scheduled: turning off the hall light at ")
    assert served.reply("cancel that").startswith("Cancelled: turning off the hall light at ")
    assert served.reply("cancel the bread timer") == "The bread timer is cancelled."
    state = json.loads(state_file.read_text())
    assert (state["timers"], state["scheduled"]) == ([], [])
    assert served.stop() == 0
    assert hall.messages == []
    assert not any(line.startswith("notice     As planned") and "hall light" in line for line in served.lines)
