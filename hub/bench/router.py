"""`hub bench router`: how fast text becomes an acknowledged MQTT publish.

Method: a private mosquitto on 127.0.0.1; for each device of the config, one command sentence
("turn on the <name>", "set the <name> to 40 percent", ...) chosen by its type. Each sentence is
parsed, routed and published with QoS 1, waiting for the broker's PUBACK: that is one text→publish
latency sample. Then the router alone: every (device, action) pair the sentences produced is
routed ``repeat`` times without publishing (commands/second routed), and all their messages are
published back to back and counted when acknowledged (messages/second published).
"""

from __future__ import annotations

import time


from hub.config import Config
from hub.figures import machine_info, machine_line, percentile

SENTENCES = {
    "light": "turn on the {name}", "switch": "turn off the {name}", "outlet": "turn on the {name}",
    "cover": "close the {name}", "lock": "lock the {name}", "climate": "set the {name} to 21 degrees",
    "fan": "turn on the {name}", "media_player": "pause the {name}", "vacuum": "start the {name}",
    "scene": "activate {name}", "humidifier": "turn on the {name}", "water_heater": "turn on the {name}",
    "valve": "close the {name}", "siren": "turn off the {name}",
}



def bench_router(cfg: Config, rounds: int = 20, repeat: int = 2000) -> dict:
    """Measure text→publish latency and router/publish throughput; returns figures as a dict."""
    from hub.app import broker_for
    from hub.devices.catalog import default_catalog
    from hub.devices.router import Router
    from hub.errors import CommandRefused
    from hub.mqtt.link import MqttLink
    from hub.nlu import load_parser

    parser = load_parser(cfg)
    router = Router(cfg, default_catalog())
    texts = [SENTENCES[d.type].format(name=d.spoken_name) for d in cfg.devices if d.type in SENTENCES]
    latency: list[float] = []
    parse_ms: list[float] = []
    commands = []
    with broker_for(cfg, None) as (bcfg, _):
        link = MqttLink(bcfg, cfg.hub.options, client_id="hub-bench-router")
        try:
            link.connect()
            for r in range(rounds):
                for text in texts:
                    t0 = time.perf_counter()
                    u = parser.parse(text, area=None)
                    t1 = time.perf_counter()
                    msgs = []
                    for c in u.commands:
                        try:
                            msgs += router.route(c)
                        except CommandRefused:
                            continue
                    for m in msgs:
                        link.publish_and_wait(m, timeout=5.0)
                    if msgs:
                        latency.append((time.perf_counter() - t0) * 1000)
                        parse_ms.append((t1 - t0) * 1000)
                    if r == 0:
                        commands += list(u.commands)
            routable = []
            for c in commands:
                try:
                    routable.append((c, router.route(c)))
                except CommandRefused:
                    pass
            t0 = time.perf_counter()
            for _ in range(repeat // max(len(routable), 1) + 1):
                for c, _m in routable:
                    router.route(c)
            n_routed = (repeat // max(len(routable), 1) + 1) * len(routable)
            route_s = time.perf_counter() - t0
            burst = [m for _c, ms in routable for m in ms] * max(1, repeat // max(len(routable), 1))
            t0 = time.perf_counter()
            results = [link.publish(m) for m in burst]
            acked = sum(1 for res in results if res.wait(30.0))
            publish_s = time.perf_counter() - t0
        finally:
            link.close()
    return {
        "machine": machine_info(),
        "method": __doc__.strip(),
        "sentences": len(texts),
        "text_to_puback_ms": {"p50": percentile(latency, 50, 3), "p99": percentile(latency, 99, 3), "n": len(latency)},
        "parse_ms": {"p50": percentile(parse_ms, 50, 3), "p99": percentile(parse_ms, 99, 3)},
        "routed_per_s": round(n_routed / route_s) if route_s else None,
        "published_per_s": round(acked / publish_s) if publish_s else None,
        "published_acked": f"{acked}/{len(burst)}",
    }


def table(result: dict) -> str:
    """Markdown summary of a bench_router result."""
    lat, parse = result["text_to_puback_ms"], result["parse_ms"]
    m = result["machine"]
    return "\n".join([
        "| figure | value |", "|---|---|",
        f"| text→PUBACK p50 / p99 ms | {lat['p50']} / {lat['p99']} (n={lat['n']}) |",
        f"| of which parsing p50 / p99 ms | {parse['p50']} / {parse['p99']} |",
        f"| commands routed per second | {result['routed_per_s']} |",
        f"| messages published and acked per second | {result['published_per_s']} ({result['published_acked']}) |",
        "",
        machine_line(m),
    ])
