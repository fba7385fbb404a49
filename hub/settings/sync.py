"""SyncConfig: the ``sync:`` section of config.yaml (optional cloud sync of model updates, read by
hub.registry.sync), and the rule its URLs follow.

Kept apart from hub/config.py, as ``power:`` is, so the sync client does not import the whole
config; the config embeds it.
"""

from __future__ import annotations

import ipaddress
import urllib.parse

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hub.errors import ConfigError


def check_url(url: str, where: str = "sync.endpoint") -> str:
    """Accept an https URL, or http only to a loopback host (127.0.0.0/8, ::1, localhost).

    Returns the URL. Raises ConfigError naming ``where`` otherwise.
    """
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme == "https" and host:
        return url
    if parts.scheme == "http" and host:
        try:
            loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if loopback:
            return url
        raise ConfigError([f"{where}: {url}: plain http is allowed only to a loopback host; use https"])
    raise ConfigError([f"{where}: {url!r} is not an https URL"])


class SyncConfig(BaseModel):
    """Optional cloud sync (hub.registry.sync): off by default; the hub never needs it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = False
    endpoint: str | None = None
    """https URL of the update index (http only to a loopback host)."""
    public_key: str | None = None
    """Ed25519 key that signs updates: PEM, or 32 bytes hex/base64."""
    interval_s: float = Field(3600, ge=10)
    share_transcripts: bool = False
    auto_activate: bool = True
    """Switch to a pulled update once it passes its self-test."""
    max_attempts: int = Field(4, ge=1, le=10)
    backoff_s: float = Field(2.0, gt=0)
    max_backoff_s: float = Field(60.0, gt=0)
    timeout_s: float = Field(10.0, gt=0)
    max_download_mb: int = Field(200, ge=1)

    @model_validator(mode="after")
    def _complete_when_enabled(self) -> "SyncConfig":
        if self.enabled:
            if not self.endpoint or not self.public_key:
                raise ValueError("sync is enabled: endpoint and public_key are required")
            try:
                check_url(self.endpoint)
            except ConfigError as e:
                raise ValueError(str(e).split(":", 1)[-1].strip()) from None
        return self
