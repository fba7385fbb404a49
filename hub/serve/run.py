"""`hub serve`: start the hub (broker, model set, microphone when asked) and serve the HTTP API
and status page until SIGINT or SIGTERM."""

from __future__ import annotations

import sys

from hub.config import Config
from hub.errors import HubError


def serve(cfg: Config, *, broker: str | None, mic: bool, device: str | None, http: str | None,
          area: str | None, model_set: str | None, wyoming: tuple[str, int] | None = None) -> int:
    """Run until stopped: the HTTP API and page, and the Wyoming server (hub.wyoming) with its
    satellites, on one loaded model set. ``http``: ``HOST:PORT`` over the config's ``http.host``/``http.port``;
    ``wyoming``: (host, port) over ``wyoming.host``/``wyoming.port``;
    ``broker``: as `hub run` (None: hub.broker, else a private mosquitto). Raises HubError before
    any model loads for a missing microphone, an unreadable token file or a non-loopback address
    without a token."""
    from hub.app import Notices, Session, broker_for, open_sources
    from hub.mqtt.link import MqttLink
    from hub.serve.api import create_app
    from hub.serve.hub import ApiServer, ServedHub
    from hub.settings.http import is_loopback, parse_http_address
    from hub.wyoming.server import WyomingServer

    wsettings = cfg.wyoming
    if wyoming is not None:
        wsettings = wsettings.model_copy(update={"host": wyoming[0], "port": wyoming[1]})
    settings = cfg.http
    if http is not None:
        try:
            host, port = parse_http_address(http)
        except ValueError as e:
            raise HubError(str(e)) from None
        settings = settings.model_copy(update={"host": host, "port": port})
    token = settings.token()
    if token is None and not is_loopback(settings.host):
        raise HubError(f"listening on {settings.host} lets other machines send commands: set http.token_file "
                       "in the config (a file whose first line is the token), or listen on 127.0.0.1")
    sources = open_sources(None, device) if mic else []
    out = sys.stdout

    def show(text: str) -> None:
        print(text, file=out, flush=True)

    notices = Notices(lambda s: show(f"notice     {s}"))
    with broker_for(cfg, broker) as (bcfg, private):
        if private:
            show(f"No broker configured: started a private mosquitto on {bcfg.host}:{bcfg.port}.")
        link = MqttLink(bcfg, cfg.hub.options, client_id=f"hub-{cfg.hub.name}")
        session = hub = server = wserver = None
        try:
            if not link.wait_connected(5.0):
                print(f"warning: no MQTT broker answering at {bcfg.host}:{bcfg.port}; commands wait in a queue "
                      f"for {cfg.hub.options.command_expiry_s:g} s each until it comes", file=sys.stderr)
            session = Session(cfg, link, area, model_set=model_set, on_notice=notices.put)
            hub = ServedHub(session, bcfg, recent=settings.recent, show=show)
            server = ApiServer(create_app(hub, settings, token), settings.host, settings.port)
            loads = ", ".join(f"{k} {v:.0f} ms" for k, v in session.stages.load_ms.items())
            show(f"Model set {session.model_set}, loaded ({loads}).")
            for source, frames, _live in sources:
                hub.listen(source, frames)
                show(f"Listening on {source}.")
            wserver = WyomingServer(session, wsettings)
            wserver.start()
            show(f"Wyoming: serving on {wsettings.host}:{wserver.port}.")
            show(f"Serving {server.url}/ (API: {server.url}/openapi.json); Ctrl-C stops.")
            server.run()
        finally:
            if wserver is not None:
                wserver.stop()
            if hub is not None:
                hub.stop()
            if server is not None:
                server.socket.close()
            if session is not None:
                session.close()
            link.close()
            notices.close()
    return 0
