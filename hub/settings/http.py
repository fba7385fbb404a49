"""The ``http:`` section of config.yaml: where `hub serve` listens and what it accepts."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hub.errors import ConfigError

LOOPBACK_NAMES = ("localhost",)


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``: addresses only this machine can reach."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class HttpSettings(BaseModel):
    """`hub serve`'s HTTP API and status page (hub.serve.api)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    host: str = "127.0.0.1"
    """Address to listen on; anything but loopback needs ``token_file``."""
    port: int = Field(12101, ge=0, le=65535)
    """TCP port (Rhasspy's HTTP port); 0 picks a free one."""
    token_file: str | None = None
    """A file whose first line is the bearer token every request must carry
    (``Authorization: Bearer <token>``; a browser may give it as the password of HTTP Basic)."""
    max_wav_mb: float = Field(4.0, gt=0, le=64)
    """Largest WAV body of ``POST /api/speech``, MiB."""
    max_audio_s: float = Field(30.0, gt=0, le=300)
    """Longest audio of ``POST /api/speech``, seconds (after decoding)."""
    speech_slots: int = Field(2, ge=1, le=16)
    """Spoken commands (``POST /api/speech``) transcribed at once; one more is refused with 503
    and Retry-After, so a burst of recordings cannot starve the microphone on a small machine."""
    max_json_kb: int = Field(64, ge=1, le=4096)
    """Largest JSON or form body, KiB."""
    recent: int = Field(50, ge=1, le=1000)
    """Exchanges (spoken, typed, sent over HTTP) kept for ``GET /api/status`` and the page."""
    max_requests_per_s: float | None = Field(50.0, gt=0, le=100000)
    """Requests per second one client address may send, as a token bucket holding one second's
    worth (a burst of that many, then that rate); one more gets 429 ``rate_limited`` with
    Retry-After. null: no limit (`hub bench http` measures the server so)."""

    @model_validator(mode="after")
    def _token_file_exists(self) -> "HttpSettings":
        if self.token_file is not None and not Path(self.token_file).is_file():
            raise ValueError(f"token_file: no such file {self.token_file!r}")
        if self.token_file is None and not is_loopback(self.host):
            raise ValueError(f"host {self.host!r} lets other machines send commands: set token_file, "
                             "or listen on 127.0.0.1")
        return self

    def token(self) -> str | None:
        """The bearer token from ``token_file`` (None: no token asked). Raises ConfigError naming
        the file (never the token) if it cannot be read or its first line is empty."""
        if self.token_file is None:
            return None
        try:
            token = Path(self.token_file).read_text(encoding="utf-8").splitlines()[0].strip()
        except (OSError, UnicodeDecodeError, IndexError) as e:
            raise ConfigError([f"http.token_file: cannot read a token from {self.token_file!r} "
                               f"({type(e).__name__})"]) from e
        if not token:
            raise ConfigError([f"http.token_file: the first line of {self.token_file!r} is empty"])
        return token


def parse_http_address(text: str) -> tuple[str, int]:
    """``HOST:PORT``, ``HOST`` (port 12101), ``:PORT`` (127.0.0.1) or ``[::1]:PORT`` -> (host,
    port). Raises ValueError saying what is wrong."""
    host, sep, port = text.rpartition(":") if not text.endswith("]") else (text, "", "")
    if not sep:
        host, port = text, ""
    host = host.strip("[]") or "127.0.0.1"
    if port and not (port.isdigit() and 0 <= int(port) <= 65535):
        raise ValueError(f"--http {text!r}: port {port!r} is not a number from 0 to 65535")
    if any(c in host for c in "/@ "):
        raise ValueError(f"--http {text!r}: expected HOST:PORT (e.g. 127.0.0.1:12101)")
    return host, int(port) if port else HttpSettings.model_fields["port"].default
