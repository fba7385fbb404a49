"""A real Home Assistant core for tests/test_real_ha.py: a loopback-only network namespace, the
``hass`` process, and its REST API (onboarding, config flows, states, services, templates).

Home Assistant runs from its own virtualenv (scripts/ha_venv.sh), never the hub's. REST API:
https://developers.home-assistant.io/docs/api/rest/ ; onboarding and config flows as the frontend
drives them (homeassistant/components/onboarding/views.py, config/config_entries.py of 2024.3).
"""

from __future__ import annotations

import ctypes
import fcntl
import json
import os
import re
import socket
import struct
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CLONE_NEWNET = 0x40000000
"""<sched.h>: unshare(2) / setns(2) flag of the network namespace."""
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
"""<linux/sockios.h>, <net/if.h>: read and write an interface's flags (struct ifreq, 40 bytes)."""


@contextmanager
def loopback_namespace() -> Iterator[None]:
    """Run the calling thread in a fresh network namespace whose only interface is loopback, up.

    A network namespace belongs to a thread: everything this thread starts inside the block
    (subprocesses, paho's network threads, sockets) stays in it, and the thread goes back to its
    own namespace at the end. Needs CAP_SYS_ADMIN (root). Raises OSError when the kernel refuses.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    own = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    try:
        if libc.unshare(CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"unshare(CLONE_NEWNET): {os.strerror(err)}")
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                flags = struct.unpack_from("16sH", fcntl.ioctl(s, SIOCGIFFLAGS, struct.pack("16sH22x", b"lo", 0)))[1]
                fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack("16sH22x", b"lo", flags | IFF_UP))
            yield
        finally:
            if libc.setns(own, CLONE_NEWNET) != 0:
                err = ctypes.get_errno()
                raise OSError(err, f"setns back to the test's network namespace: {os.strerror(err)}")
    finally:
        os.close(own)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


CONFIGURATION = """\
# No default_config: only what Home Assistant always loads (frontend, http, api, onboarding...)
# and MQTT from its config flow. Location, units and country are set, so nothing is looked up.
homeassistant:
  name: Hub test
  unit_system: metric
  time_zone: UTC
  latitude: 0
  longitude: 0
  elevation: 0
  currency: EUR
  country: GB
  language: en
http:
  server_host: 127.0.0.1
  server_port: {port}
logger:
  default: warning
"""


class HomeAssistantError(AssertionError):
    """Home Assistant answered something else than expected; the message says what and where."""


class HomeAssistant:
    """One ``hass`` process on a fresh config folder, driven through its REST API.

    ``HomeAssistant(hass, config_dir)``; :meth:`start` waits for HTTP, :meth:`onboard` creates the
    owner and keeps its access token for every later call. Log: ``config_dir/hass.log``; what it
    prints: ``config_dir/hass.out``.
    """

    def __init__(self, hass: str, config_dir: Path):
        self.hass = hass
        self.dir = config_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.client_id = f"{self.url}/"
        self.log = config_dir / "hass.log"
        self.console = config_dir / "hass.out"
        """what hass prints before its log file is set up (a failed start)"""
        self.token: str | None = None
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float) -> float:
        """Start ``hass --skip-pip`` (no package installs) and wait until its HTTP API answers.
        Returns the seconds it took. Raises HomeAssistantError with the log's tail if it exits or
        does not answer within ``timeout``."""
        (self.dir / "configuration.yaml").write_text(CONFIGURATION.format(port=self.port))
        t0 = time.monotonic()
        with open(self.console, "wb") as console:
            self.process = subprocess.Popen(
                [self.hass, "-c", str(self.dir), "--skip-pip", "--log-no-color", "--log-file", str(self.log)],
                stdout=console, stderr=subprocess.STDOUT)
        while time.monotonic() - t0 < timeout:
            if self.process.poll() is not None:
                raise HomeAssistantError(f"hass exited with {self.process.returncode}:\n"
                                         f"{self.console.read_text(errors='replace')[-4000:]}")
            try:
                self.request("GET", "/api/onboarding", auth=False)
                return time.monotonic() - t0
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        raise HomeAssistantError(f"hass did not answer on {self.url} in {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def log_problems(self) -> list[str]:
        """Every WARNING, ERROR or CRITICAL record of the log, with its traceback lines."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        records: list[str] = []
        for line in text.splitlines():
            if re.match(r"\d{4}-\d\d-\d\d ", line):
                records.append(line)
            elif records:
                records[-1] += "\n" + line
        return [r for r in records if re.match(r"\S+ \S+ (WARNING|ERROR|CRITICAL) ", r)]

    # ------------------------------------------------------------------ REST

    def request(self, method: str, path: str, body: Any = None, *, auth: bool = True, form: bool = False,
                raw: bool = False) -> Any:
        """One REST call; the decoded JSON answer (its text with ``raw``). Raises HomeAssistantError on an HTTP error
        (with the answer's text) and urllib.error.URLError when nothing listens."""
        headers = {}
        data = None
        if body is not None and form:
            data = urllib.parse.urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if auth:
            headers["Authorization"] = f"Bearer {self.token}"
        req = urllib.request.Request(self.url + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                text = r.read().decode()
        except urllib.error.HTTPError as e:
            raise HomeAssistantError(f"{method} {path} -> HTTP {e.code}: {e.read().decode(errors='replace')}") from None
        return text if raw else json.loads(text) if text else None

    def onboard(self) -> list[str]:
        """Home Assistant's onboarding as its frontend does it: the owner user (its auth code
        exchanged for an access token), then the analytics step (nothing shared) and the integration
        step. The core_config step is left out on purpose: finishing it sets up met.no weather,
        Google Translate speech and Radio Browser, which go online. Returns the steps done."""
        user = self.request("POST", "/api/onboarding/users", {
            "client_id": self.client_id, "name": "Owner", "username": "owner",
            "password": "hub-test-owner", "language": "en"}, auth=False)
        token = self.request("POST", "/auth/token", {
            "grant_type": "authorization_code", "code": user["auth_code"], "client_id": self.client_id},
            auth=False, form=True)
        self.token = token["access_token"]
        self.request("POST", "/api/onboarding/analytics", {})
        self.request("POST", "/api/onboarding/integration",
                     {"client_id": self.client_id, "redirect_uri": f"{self.url}/?auth_callback=1"})
        return [s["step"] for s in self.request("GET", "/api/onboarding", auth=False) if s["done"]]

    def config_flow(self, handler: str, *answers: dict) -> dict:
        """Add an integration through its config flow (``/api/config/config_entries/flow``),
        answering its forms in order; the flow's last result, which must create the entry."""
        result = self.request("POST", "/api/config/config_entries/flow",
                              {"handler": handler, "show_advanced_options": False})
        for answer in answers:
            if result.get("type") != "form":
                raise HomeAssistantError(f"{handler} config flow: expected a form, got {result}")
            result = self.request("POST", f"/api/config/config_entries/flow/{result['flow_id']}", answer)
        if result.get("type") != "create_entry":
            raise HomeAssistantError(f"{handler} config flow did not create an entry: {result}")
        return result

    def states(self) -> list[dict]:
        return self.request("GET", "/api/states")

    def state(self, entity_id: str) -> dict:
        return self.request("GET", f"/api/states/{entity_id}")

    def call(self, service: str, entity_id: str | None = None, **data: Any) -> None:
        """A service call (``light.turn_on``), as the frontend makes it; it returns once done."""
        domain, name = service.split(".")
        body = {**({"entity_id": entity_id} if entity_id else {}), **data}
        self.request("POST", f"/api/services/{domain}/{name}", body)

    def template(self, text: str) -> str:
        """``text`` rendered by Home Assistant's template engine (``/api/template``)."""
        return self.request("POST", "/api/template", {"template": text}, raw=True)

    def wait(self, what: str, check, timeout: float, every: float = 0.2) -> Any:
        """Poll ``check()`` until it returns something true; that. HomeAssistantError naming
        ``what`` (and the log's tail) after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            got = check()
            if got:
                return got
            if time.monotonic() > deadline:
                raise HomeAssistantError(f"Home Assistant: {what} not within {timeout:.0f} s\n{self.log_tail()}")
            time.sleep(every)
