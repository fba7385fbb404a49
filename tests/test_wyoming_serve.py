"""`hub serve --wyoming HOST:PORT` as a process: it loads the model set, answers ``describe`` and a
spoken command's transcript over TCP, and stops cleanly on SIGTERM."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from wyoming.client import AsyncTcpClient
from wyoming.info import Describe, Info

pytestmark = pytest.mark.slow

START_S = 120.0
"""Upper bound for loading the models on a busy machine; never asserted as a speed."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_hub_serve_answers_describe_and_stops_on_sigterm(broker):
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    proc = subprocess.Popen([sys.executable, "-m", "hub.cli", "serve", "--config", "config.yaml",
                             "--broker", f"{broker.host}:{broker.port}", "--wyoming", f"127.0.0.1:{port}",
                             "--http", "127.0.0.1:0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + START_S
        line = ""
        while "serving on" not in line and time.monotonic() < deadline and proc.poll() is None:
            line = proc.stdout.readline()
        assert f"serving on 127.0.0.1:{port}" in line, proc.stderr.read() if proc.poll() is not None else line

        async def describe():
            async with AsyncTcpClient("127.0.0.1", port) as client:
                await client.write_event(Describe().event())
                return Info.from_event(await client.read_event())

        info = asyncio.run(asyncio.wait_for(describe(), 30))
        assert info.asr[0].models[0].name == "tiny.en-home" and info.handle[0].supports_home_control
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
