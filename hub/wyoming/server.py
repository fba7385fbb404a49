"""The Wyoming server of `hub serve`: a TCP socket on its own thread and event loop, optionally
advertised with zeroconf as ``_wyoming._tcp`` for Home Assistant's discovery.

The listening socket is asyncio's (``start_server``) rather than wyoming's ``AsyncTcpServer``, so
the bound port is known when the config asks for port 0, the header line limit is ours, and
stopping closes every open connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from wyoming.error import Error
from wyoming.event import async_write_event

from hub.errors import HubError
from hub.settings.wyoming import WyomingSettings
from hub.wyoming.handler import FollowUps, HubEventHandler, Workers
from hub.wyoming.protocol import HEADER_LIMIT
from hub.wyoming.wake import DetectorPool

log = logging.getLogger(__name__)

WAKE_THREADS = 2
"""Wake word streams scored at once (the hub targets 2 cores)."""


class WyomingServer:
    """Serves ``hub`` (a :class:`hub.app.Session`) over the Wyoming protocol at ``settings.host``
    and ``settings.port``. :meth:`start` returns once the socket listens (``port`` is then the
    bound port); :meth:`stop` closes it and every connection. Raises HubError from :meth:`start`
    if the address cannot be bound."""

    def __init__(self, hub, settings: WyomingSettings):
        self.hub, self.settings = hub, settings
        self.port: int | None = None
        self.workers = Workers(asr=ThreadPoolExecutor(1, "wyoming-asr"), handle=ThreadPoolExecutor(1, "wyoming-handle"),
                               wake=ThreadPoolExecutor(WAKE_THREADS, "wyoming-wake"), follow_ups=FollowUps())
        self.pool = DetectorPool(hub.cfg)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="wyoming", daemon=True)
        self._server: asyncio.AbstractServer | None = None
        self._handlers: set[asyncio.Task] = set()
        self._zeroconf = None
        self.satellites: list = []
        """One :class:`hub.wyoming.satellite.SatelliteController` per ``wyoming.satellites`` entry."""
        self._satellite_tasks: list[asyncio.Task] = []

    def start(self) -> None:
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self._listen(), self._loop)
        try:
            future.result(timeout=10)
        except OSError as e:
            self.stop()
            raise HubError(f"wyoming: cannot listen on {self.settings.host}:{self.settings.port}: "
                           f"{e.strerror or e}") from e
        log.info("wyoming: serving on %s:%d", self.settings.host, self.port)
        if self.settings.satellites:
            self._start_satellites()
        if self.settings.zeroconf:
            from hub.wyoming.advertise import Advertiser

            self._zeroconf = Advertiser(self.settings.zeroconf_name or self.hub.cfg.hub.name, self.settings.host,
                                        self.port)
            asyncio.run_coroutine_threadsafe(self._zeroconf.register(), self._loop).result(timeout=10)

    def _start_satellites(self) -> None:
        from hub.reply.tts import PiperSpeaker
        from hub.wyoming.satellite import SatelliteController

        speaker, lock = PiperSpeaker(), threading.Lock()
        self.satellites = [SatelliteController(s, self.hub, self.pool, speaker, lock, self.settings.max_payload_bytes)
                           for s in self.settings.satellites]

        async def launch() -> None:
            self._satellite_tasks = [asyncio.create_task(c.run(), name=f"satellite {c.settings.label}")
                                     for c in self.satellites]

        asyncio.run_coroutine_threadsafe(launch(), self._loop).result(timeout=10)

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._connected, self.settings.host, self.settings.port,
                                                  limit=HEADER_LIMIT)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _connected(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        s = self.settings
        if len(self._handlers) >= s.max_connections:
            log.warning("wyoming: refusing %s: %d clients already", writer.get_extra_info("peername"), len(self._handlers))
            error = Error(text=f"the hub serves {s.max_connections} clients at once (wyoming.max_connections); "
                               f"try again later", code="too-many-connections")
            with contextlib.suppress(ConnectionError):
                await async_write_event(error.event(), writer)
            writer.close()
            return
        handler = HubEventHandler(reader, writer, self.hub, self.workers, self.pool, s.max_payload_bytes, s.max_audio_s)
        task = asyncio.current_task()
        self._handlers.add(task)
        try:
            await handler.run()
        except Exception:  # one client's failure must not reach the others
            log.exception("wyoming %s: connection failed", handler.peer)
        finally:
            self._handlers.discard(task)

    async def _close(self) -> None:
        for task in self._satellite_tasks:
            task.cancel()
        await asyncio.gather(*self._satellite_tasks, return_exceptions=True)
        await asyncio.gather(*(c.close() for c in self.satellites))
        if self._zeroconf is not None:
            await self._zeroconf.close()
        if self._server is not None:
            self._server.close()
        for task in list(self._handlers):
            task.cancel()
        await asyncio.gather(*self._handlers, return_exceptions=True)

    def stop(self) -> None:
        if self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(self._close(), self._loop).result(timeout=30)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
        for pool in (self.workers.asr, self.workers.handle, self.workers.wake):
            pool.shutdown(wait=False, cancel_futures=True)

    def __enter__(self) -> WyomingServer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
