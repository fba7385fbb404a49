"""WyomingSettings: the ``wyoming:`` section of config.yaml (ports, limits, zeroconf, satellites).

Kept apart from hub/config.py, as ``power:`` is, so the Wyoming server does not import the whole
config; the config embeds it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_PORT = 10300
"""Wyoming's usual service port (wyoming-faster-whisper, wyoming-openwakeword use 10300/10400)."""
SATELLITE_PORT = 10700
"""wyoming-satellite's default listening port."""


class SatelliteSettings(BaseModel):
    """One remote Wyoming satellite the hub drives as controller."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    host: str = Field(min_length=1)
    port: int = Field(SATELLITE_PORT, ge=1, le=65535)
    area: str
    """Area id of the room it stands in: the room context of what is said to it."""
    name: str | None = None
    """For logs and messages; default ``host:port``."""

    @property
    def label(self) -> str:
        return self.name or f"{self.host}:{self.port}"


class WyomingSettings(BaseModel):
    """The Wyoming server of ``hub serve`` (https://github.com/rhasspy/wyoming)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    host: str = "127.0.0.1"
    """Address the server listens on; ``0.0.0.0`` for Home Assistant on another machine."""
    port: int = Field(DEFAULT_PORT, ge=0, le=65535)
    """TCP port (0: any free port, for tests)."""
    zeroconf: bool = False
    """Advertise the server as ``_wyoming._tcp`` on the local network (mDNS) for Home Assistant."""
    zeroconf_name: str | None = None
    """Service instance name; default the hub's name."""
    max_payload_bytes: int = Field(1 << 20, ge=1024, le=64 << 20)
    """Largest event payload (audio chunk) or data block accepted; a bigger one closes the connection."""
    max_audio_s: float = Field(30.0, gt=0, le=300)
    """Longest audio stream transcribed (whisper hears 30 s); longer is refused with an error."""
    max_connections: int = Field(16, ge=1, le=1024)
    """Clients served at once; one more is told so (an ``error`` event) and disconnected."""
    satellites: tuple[SatelliteSettings, ...] = ()


def parse_listen(text: str) -> tuple[str, int]:
    """``HOST:PORT`` (``--wyoming``) -> (host, port). Raises ValueError with what is wrong."""
    host, sep, port = text.rpartition(":")
    if not sep or not host or not (port.isdigit() and 0 <= int(port) <= 65535):
        raise ValueError(f"--wyoming {text!r}: expected HOST:PORT with a port from 0 to 65535")
    return host, int(port)
