"""`hub say` beside a running hub: it publishes its commands and nothing of the hub's own (status,
switches, discovery), and concurrent calls do not take each other's connection. Real mosquitto,
`hub say` run as a user runs it, in separate processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hub.mqtt.broker import PrivateBroker

ROOT = Path(__file__).resolve().parent.parent
CONCURRENT = 4
HUB_RETAINED = {"hub/status": b"online", "hub/low_power": b"ON", "hub/model_set": b"low-power"}


@pytest.fixture
def noticing_broker():
    """mosquitto that logs notices, among them a client id taking over another's connection."""
    with PrivateBroker(extra_config=["log_type notice"]) as b:
        yield b


def test_concurrent_says_publish_only_their_commands(noticing_broker, collector):
    b = noticing_broker
    running_hub = collector(b, "hub/#")  # stands in for the hub's own retained topics
    for topic, payload in HUB_RETAINED.items():
        running_hub.client.publish(topic, payload, qos=1, retain=True).wait_for_publish(20)
    commands = collector(b, "cmnd/kitchen_light/#")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-m", "hub.cli", "say", "turn on the kitchen light", "--broker",
                               b.address, "--config", str(ROOT / "config.yaml")], env=env, cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for _ in range(CONCURRENT)]
    outputs = [p.communicate(timeout=300)[0] for p in procs]
    assert [p.returncode for p in procs] == [0] * CONCURRENT, outputs
    assert len(commands.wait_for(CONCURRENT)) == CONCURRENT
    late = collector(b, "hub/#")  # joins after: sees the retained values only
    retained = {m.topic: m.payload for m in late.wait_for(len(HUB_RETAINED)) if m.retain}
    assert retained == HUB_RETAINED, "the running hub's status and switches are untouched"
    assert not any(m.topic.startswith("homeassistant/") for m in running_hub.messages)
    log = (b._dir / "mosquitto.log").read_text()
    assert "already connected" not in log, "no client took over another's connection"
