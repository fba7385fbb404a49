"""A private mosquitto broker on 127.0.0.1, for the demo and for tests.

Runs the Debian ``mosquitto`` binary (``apt-get install mosquitto``) with a
generated minimal config in a temporary directory, on a free loopback port.
Config reference: https://mosquitto.org/man/mosquitto-conf-5.html
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from hub.errors import BrokerError

START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 5.0


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port on ``host`` that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _accepts(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


class PrivateBroker:
    """mosquitto on ``127.0.0.1:<free port>``, anonymous, as a context manager.

    ``with PrivateBroker() as b: ... b.host, b.port``. ``stop()`` then ``start()``
    restarts it on the same port (to test reconnects).

    ``persistence=True`` keeps retained messages and persistent client sessions
    (clean_session False) across a restart, in the temp dir; mosquitto writes
    its database when it is stopped with SIGTERM. ``password_file`` (made with
    ``mosquitto_passwd``) turns anonymous clients away. ``extra_config`` lines are
    appended to the generated mosquitto.conf verbatim (e.g. ``certfile``/``keyfile``
    for TLS on the listener).

    Raises :class:`BrokerError` if mosquitto is not installed or does not accept
    connections within 10 s (the message includes mosquitto's own output).
    """

    def __init__(
        self,
        port: int | None = None,
        *,
        persistence: bool = False,
        extra_config: Sequence[str] = (),
        binary: str = "mosquitto",
        password_file: str | Path | None = None,
    ) -> None:
        self.host = "127.0.0.1"
        self.port = port or free_port(self.host)
        self.persistence = persistence
        self.extra_config = tuple(extra_config)
        self.binary = binary
        self.password_file = password_file
        self._dir: Path | None = None
        self._proc: subprocess.Popen | None = None

    def _write_config(self) -> Path:
        assert self._dir is not None
        lines = [
            f"listener {self.port} {self.host}",
            f"allow_anonymous {'false' if self.password_file else 'true'}",
            *([f"password_file {self.password_file}"] if self.password_file else []),
            # As root, mosquitto would switch to user "mosquitto", which cannot write our temp dir.
            f"user {pwd.getpwuid(os.getuid()).pw_name}",
            f"persistence {'true' if self.persistence else 'false'}",
        ]
        if self.persistence:
            lines.append(f"persistence_location {self._dir}/")
        lines += ["log_dest stderr", "log_type error", "log_type warning", *self.extra_config]
        path = self._dir / "mosquitto.conf"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> PrivateBroker:
        """Start mosquitto and wait until it accepts TCP connections. Raises BrokerError."""
        if self.running:
            return self
        exe = shutil.which(self.binary) or next(
            (p for p in (f"/usr/sbin/{self.binary}", f"/usr/local/sbin/{self.binary}") if Path(p).exists()),
            None,
        )
        if exe is None:
            raise BrokerError(
                f"cannot start a private MQTT broker: {self.binary!r} is not installed "
                "(apt-get install mosquitto), or give a broker with --broker HOST:PORT"
            )
        if _accepts(self.host, self.port):
            raise BrokerError(f"cannot start mosquitto on {self.host}:{self.port}: the port is already in use")
        if self._dir is None:
            self._dir = Path(tempfile.mkdtemp(prefix="hub-mosquitto-"))
        conf = self._write_config()
        log = open(self._dir / "mosquitto.log", "ab")
        try:
            self._proc = subprocess.Popen(
                [exe, "-c", str(conf)], stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        finally:
            log.close()
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise BrokerError(
                    f"mosquitto exited with code {self._proc.returncode} on "
                    f"{self.host}:{self.port}: {self._log_tail()}"
                )
            if _accepts(self.host, self.port):
                return self
            time.sleep(0.02)
        self._halt()
        raise BrokerError(
            f"mosquitto did not accept connections on {self.host}:{self.port} "
            f"within {START_TIMEOUT_S:.0f} s: {self._log_tail()}"
        )

    def _log_tail(self) -> str:
        try:
            text = (self._dir / "mosquitto.log").read_text(errors="replace").strip()  # type: ignore[operator]
        except OSError:
            return "(no log)"
        return " | ".join(text.splitlines()[-5:]) or "(no output)"

    def _halt(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def stop(self) -> None:
        """Stop mosquitto (SIGTERM, then SIGKILL after 5 s); keep the port and temp dir for start()."""
        self._halt()

    def kill(self) -> None:
        """Kill mosquitto at once (SIGKILL: it saves nothing, as in a power cut or a crash); keep
        the port and temp dir for start()."""
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()

    def close(self) -> None:
        """Stop mosquitto and delete its temp dir."""
        self._halt()
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    @property
    def address(self) -> str:
        """``host:port``, as ``--broker`` takes it."""
        return f"{self.host}:{self.port}"

    def __enter__(self) -> PrivateBroker:
        try:
            return self.start()
        except BaseException:
            self.close()
            raise

    def __exit__(self, *exc: object) -> None:
        self.close()
