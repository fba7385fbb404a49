"""Zeroconf (mDNS / DNS-SD) advertising of the Wyoming server as ``_wyoming._tcp.local.``, the
service type Home Assistant's Wyoming integration discovers (as wyoming/zeroconf.py registers it),
with the ``zeroconf`` package.

It advertises on the interface the server listens on only; for a server on ``0.0.0.0`` that is
the interface of the default route (found with a UDP socket's ``connect``, which sends nothing).
"""

from __future__ import annotations

import re
import socket

from zeroconf import IPVersion
from zeroconf.asyncio import AsyncServiceInfo, AsyncZeroconf

SERVICE_TYPE = "_wyoming._tcp.local."
MDNS_GROUP = "224.0.0.251"


def lan_address() -> str:
    """This machine's IPv4 address on its default route."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect((MDNS_GROUP, 1))
        return s.getsockname()[0]


def instance_name(name: str) -> str:
    """A DNS-SD instance label from the hub's name: no dots, at most 63 bytes."""
    return re.sub(r"[.\s]+", "-", name.strip())[:63] or "hub"


class Advertiser:
    """Registers ``<name>._wyoming._tcp.local.`` for ``host``:``port`` while the server runs.
    Use :meth:`register` and :meth:`close` on the server's event loop."""

    def __init__(self, name: str, host: str, port: int):
        self.address = lan_address() if host in ("0.0.0.0", "") else host
        self.info = AsyncServiceInfo(SERVICE_TYPE, f"{instance_name(name)}.{SERVICE_TYPE}",
                                     addresses=[socket.inet_aton(self.address)], port=port)
        self._zc: AsyncZeroconf | None = None

    async def register(self) -> None:
        self._zc = AsyncZeroconf(interfaces=[self.address], ip_version=IPVersion.V4Only)
        # the call returns the broadcast's task: wait for the announcements to be sent
        await (await self._zc.async_register_service(self.info))

    async def close(self) -> None:
        if self._zc is not None:
            await (await self._zc.async_unregister_service(self.info))
            await self._zc.async_close()
            self._zc = None
