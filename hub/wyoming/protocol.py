"""Reading Wyoming events from a socket, with limits and a reason for every refusal.

The wire format (wyoming/event.py): one JSON line ``{"type", "data"?, "data_length"?,
"payload_length"?, "version"?}``, then ``data_length`` bytes of JSON merged into ``data``, then
``payload_length`` bytes of payload. The package's own ``async_read_event`` returns None for a
bad line (the server then just hangs up) and reads any payload length it is told; a hub on the
network needs to say what was wrong and to refuse a payload too big to buffer.
"""

from __future__ import annotations

import asyncio
import json

from wyoming.event import Event

HEADER_LIMIT = 64 * 1024
"""Bytes; the longest event header line (the stream reader's limit, asyncio's default)."""


class ProtocolError(Exception):
    """The byte stream is not Wyoming events, or breaks a limit; the connection cannot go on.
    ``code`` is the Wyoming ``error`` event's machine-readable code."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


def _length(header: dict, key: str, limit: int) -> int:
    value = header.get(key)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ProtocolError(f"event {key} must be a non-negative integer, got {value!r}", "malformed-event")
    if value > limit:
        raise ProtocolError(f"event {header.get('type')!r}: {key} {value} bytes is over the limit of {limit} bytes",
                            "payload-too-large")
    return value


async def read_event(reader: asyncio.StreamReader, max_bytes: int) -> Event | None:
    """The next event, or None at a clean end of stream (between events).

    ``max_bytes``: the largest data block or payload accepted. The header line is bounded by the
    reader's own limit (:data:`HEADER_LIMIT` for
    the server's connections). Raises ProtocolError for a line that is not
    a JSON object with a string ``type``, a bad or too large length, or a stream that ends inside
    an event (``code``: ``malformed-event``, ``payload-too-large``, ``truncated-event``)."""
    try:
        line = await reader.readline()
    except ValueError as e:  # asyncio's LimitOverrunError, re-raised by readline as ValueError
        raise ProtocolError("event header line is longer than the stream's limit", "payload-too-large") from e
    if not line:
        return None
    if not line.endswith(b"\n"):
        raise ProtocolError("the stream ended inside an event header line", "truncated-event")
    try:
        header = json.loads(line)
    except ValueError as e:
        raise ProtocolError(f"event header is not JSON ({e}): {line[:80]!r}", "malformed-event") from None
    if not isinstance(header, dict) or not isinstance(header.get("type"), str) or not header["type"]:
        raise ProtocolError(f"event header must be a JSON object with a string 'type': {line[:80]!r}",
                            "malformed-event")
    data = header.get("data") or {}
    if not isinstance(data, dict):
        raise ProtocolError(f"event {header['type']!r}: 'data' must be a JSON object", "malformed-event")
    data_length = _length(header, "data_length", max_bytes)
    payload_length = _length(header, "payload_length", max_bytes)
    try:
        if data_length:
            extra = json.loads(await reader.readexactly(data_length))
            if not isinstance(extra, dict):
                raise ProtocolError(f"event {header['type']!r}: its data block is not a JSON object",
                                    "malformed-event")
            data = {**data, **extra}
        payload = await reader.readexactly(payload_length) if payload_length else None
    except asyncio.IncompleteReadError as e:
        raise ProtocolError(f"the stream ended inside event {header['type']!r} "
                            f"({len(e.partial)} of {e.expected} bytes)", "truncated-event") from None
    except ValueError as e:
        raise ProtocolError(f"event {header['type']!r}: its data block is not JSON ({e})", "malformed-event") from None
    return Event(type=header["type"], data=data, payload=payload)
