"""`hub bench http`: requests per second and latency of ``POST /api/v1/understand`` (text to
understanding, the model-service interface) on this machine.

Method: the real command, `hub serve --config F --http 127.0.0.1:0`, in a process of its own
(its full model set loaded, a private mosquitto when the config names no broker; F is a copy of
the config with ``http.max_requests_per_s: null``, as the clients share one address); this process
is the clients: N threads, each with one keep-alive HTTP/1.1 connection, sending one request
after another (the next once the answer is read), over a list of one command sentence per
device of the config (hub.bench.router's sentences), each with its own ``request_id``. After a
warm-up, each level of N sends ``max(requests, 20 N)`` requests, or as many as it sends in
``MAX_LEVEL_S`` (the loops are bounded in count and time, and only loopback is addressed);
latency is from send to the last byte of the answer, as the
client sees it (so it includes the client threads' own time on the same cores); requests per
second is that count over the level's wall time; the server's CPU seconds per request come
from /proc/<pid>/stat. ``nlu_ms`` is the parser's own time inside the server, from the answers. Every answer's
commands are compared with that sentence's answer when it was sent alone (the warm-up, one
client), and its ``request_id`` with the one sent: concurrency must not change what is
understood, nor whose answer a client gets.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

from hub.bench.router import SENTENCES
from hub.config import Config
from hub.errors import HubError
from hub.figures import machine_info, machine_line, percentile

LEVELS = (1, 8, 50)
"""Concurrent clients per level; the last is the target load."""
ENDPOINT = "/api/v1/understand"
MAX_LEVEL_S = 120.0
"""Longest a level sends requests for, seconds."""


def bench_http(cfg: Config, config_path: str, levels: tuple[int, ...] = LEVELS, requests: int = 300) -> dict:
    """Run the levels against a fresh `hub serve`; returns the figures as a dict (see the module
    doc). Raises HubError if the server does not start or a request fails."""
    texts = [SENTENCES[d.type].format(name=d.spoken_name) for d in cfg.devices if d.type in SENTENCES]
    if not texts:
        raise HubError(f"{config_path}: no device of a type hub.bench.router has a sentence for")
    with tempfile.TemporaryDirectory(prefix="hub-bench-http-") as tmp:
        unlimited = Path(tmp) / "config.yaml"
        source = Path(config_path)
        unlimited.write_text(_without_rate_limit(source.read_text(encoding="utf-8"), source.parent), encoding="utf-8")
        proc = subprocess.Popen([sys.executable, "-m", "hub.cli", "serve", "--config", str(unlimited),
                                 "--http", "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"})
        return _bench(proc, texts, levels, requests)


def _without_rate_limit(text: str, base_dir: Path) -> str:
    """config.yaml text with ``http.max_requests_per_s: null`` (the rest as it was, re-dumped),
    its custom sentences folder named absolutely, since the copy is read from elsewhere."""
    from hub.sentences import folder_for

    data = yaml.safe_load(text) or {}
    data["http"] = {**(data.get("http") or {}), "max_requests_per_s": None}
    folder, named = folder_for(data.get("custom_sentences"), base_dir)
    if named or folder.is_dir():
        data["custom_sentences"] = str(folder.resolve())
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _bench(proc: subprocess.Popen, texts: list[str], levels: tuple[int, ...], requests: int) -> dict:
    try:
        port = _port_of(proc)
        expected: dict[str, list] = {}
        _run_level(port, 1, len(texts), texts, proc.pid, expected)  # warm-up, and each sentence's answer alone
        result = {"machine": machine_info(), "load_average_1min": round(os.getloadavg()[0], 2),
                  "endpoint": f"POST {ENDPOINT}", "sentences": len(texts), "levels": []}
        for n in levels:
            result["levels"].append(_run_level(port, n, max(requests, 20 * n), texts, proc.pid, expected))
        return result
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _port_of(proc: subprocess.Popen) -> int:
    """The port `hub serve` prints once it serves; HubError with its stderr if it never does."""
    for line in proc.stdout:
        if line.startswith("Serving "):
            return int(line.split()[1].rstrip("/").rsplit(":", 1)[1])
    raise HubError(f"hub serve did not start: {proc.stderr.read().strip()[-2000:]}")


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` (fields 14 and 15 of /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _run_level(port: int, clients: int, total: int, texts: list[str], pid: int, expected: dict[str, list]) -> dict:
    """``total`` requests from ``clients`` threads. ``expected``: each text's commands as answered
    alone; a text not in it yet is entered, one answered otherwise counts as ``disagreed``."""
    latency: list[float] = []
    disagreed = 0
    nlu: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(total))
    deadline = time.perf_counter() + MAX_LEVEL_S

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            while True:
                with lock:
                    i = next(counter, None) if time.perf_counter() < deadline else None
                if i is None:
                    return
                body = json.dumps({"request_id": str(i), "text": texts[i % len(texts)]})
                t0 = time.perf_counter()
                conn.request("POST", ENDPOINT, body, {"Content-Type": "application/json"})
                r = conn.getresponse()
                raw = r.read()
                ms = (time.perf_counter() - t0) * 1000
                nonlocal disagreed
                with lock:
                    if r.status != 200:
                        errors.append(f"{r.status} {raw[:200]!r}")
                        continue
                    answer = json.loads(raw)
                    if answer.get("request_id") != str(i):
                        errors.append(f"request {i} answered as {answer.get('request_id')!r}")
                        continue
                    latency.append(ms)
                    nlu.append(answer["nlu_ms"])
                    commands = answer["understanding"]["commands"]
                    disagreed += expected.setdefault(texts[i % len(texts)], commands) != commands
        finally:
            conn.close()

    cpu0, t0 = _cpu_s(pid), time.perf_counter()
    threads = [threading.Thread(target=client, name=f"bench-client-{k}") for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall, cpu = time.perf_counter() - t0, _cpu_s(pid) - cpu0
    if errors:
        raise HubError(f"{len(errors)} of {total} requests failed with {clients} clients, e.g. {errors[0]}")
    done = len(latency)
    return {"clients": clients, "requests": done, "wall_s": round(wall, 3),
            "requests_per_s": round(done / wall, 1),
            "latency_ms": {"p50": percentile(latency, 50), "p95": percentile(latency, 95),
                           "p99": percentile(latency, 99), "max": round(max(latency), 2)},
            "nlu_ms_p50": percentile(nlu, 50), "server_cpu_ms_per_request": round(cpu / done * 1000, 2),
            "disagreed": disagreed}


def table(result: dict) -> str:
    """The figures as Markdown, with the method and the machine."""
    rows = ["| clients | requests | requests/s | p50 ms | p95 ms | p99 ms | max ms | parser p50 ms | "
            "server CPU ms/request | answers unlike the serial one |", "|---|---|---|---|---|---|---|---|---|---|"]
    for lv in result["levels"]:
        la = lv["latency_ms"]
        rows.append(f"| {lv['clients']} | {lv['requests']} | {lv['requests_per_s']} | {la['p50']} | {la['p95']} | "
                    f"{la['p99']} | {la['max']} | {lv['nlu_ms_p50']} | {lv['server_cpu_ms_per_request']} | "
                    f"{lv['disagreed']} |")
    return "\n".join([
        f"# hub bench http: {result['endpoint']} ({result['sentences']} sentences, one per device)", "",
        machine_line(result["machine"]) + f"; 1-minute load average at the start {result['load_average_1min']}", "",
        *rows, "", " ".join((__doc__ or "").split("\n\n", 1)[1].split()),
    ])
