"""`hub bench restart`: the broker killed and restarted under a burst of commands: lost / duplicated.

Method: a private mosquitto with persistence (saved after every change, ``autosave_interval 1``
with ``autosave_on_changes``, so a SIGKILL loses no session the broker had acknowledged) and no
per-client queue limit; a device, a paho subscriber with a persistent session (QoS 1) on the
command topic; the hub's MqttLink (queue of ``commands``, expiry 600 s) publishes ``commands``
QoS 1 commands ``{"id": i}`` as fast as it can. At command ``commands * 0.3`` the broker is
stopped (SIGTERM in one run, SIGKILL in the other) and the link waits to notice; at
``commands * 0.6`` it is started again. Then the link is flushed and the subscriber given up to
60 s. Counted: ids never received (lost), copies beyond the first (duplicated), how many of them
the broker flagged as redeliveries (DUP) and how many the link republished (its ``attempts``),
and whether the first copies came in publish order.
"""

from __future__ import annotations

import json
import threading
import time

from hub.figures import machine_info, machine_line

ID_PREFIX = "bench/restart"


def _run(commands: int, how: str) -> dict:
    import paho.mqtt.client as mqtt

    from hub.config import BrokerConfig
    from hub.mqtt.broker import PrivateBroker
    from hub.mqtt.link import MqttLink
    from hub.types import MqttMessage

    topic = f"{ID_PREFIX}/{how}"
    got: list[tuple[int, bool]] = []
    lock = threading.Lock()
    subscribed = threading.Event()

    def on_connect(client, _u, _f, reason, _p) -> None:
        if not reason.is_failure:
            client.subscribe(topic, qos=1)

    def on_message(_c, _u, m) -> None:
        with lock:
            got.append((json.loads(m.payload)["id"], bool(m.dup)))

    extra = ["max_queued_messages 0", "autosave_interval 1", "autosave_on_changes true"]
    with PrivateBroker(persistence=True, extra_config=extra) as b:
        device = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"bench-device-{how}", clean_session=False)
        device.max_inflight_messages_set(0)
        device.reconnect_delay_set(0.1, 0.5)  # type: ignore[arg-type]
        device.on_connect = on_connect
        device.on_subscribe = lambda *a: subscribed.set()
        device.on_message = on_message
        device.connect(b.host, b.port)
        device.loop_start()
        link = MqttLink(BrokerConfig(host=b.host, port=b.port), client_id=f"bench-hub-{how}", status_topic=None,
                        queue_size=commands, expiry_s=600)
        try:
            if not (subscribed.wait(20) and link.wait_connected(20)):
                raise RuntimeError("the bench's device or link could not connect to its broker")
            down_at, up_at = int(commands * 0.3), int(commands * 0.6)
            results, t0 = [], time.perf_counter()
            for i in range(commands):
                if i == down_at:
                    b.kill() if how == "sigkill" else b.stop()
                    while link.connected:
                        time.sleep(0.01)
                if i == up_at:
                    b.start()
                results.append(link.publish(MqttMessage(topic, json.dumps({"id": i}).encode())))
            flushed = link.flush(60)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                with lock:
                    if len({i for i, _ in got}) == commands:
                        break
                time.sleep(0.05)
            seconds = time.perf_counter() - t0
            protocol = link.protocol
        finally:
            link.close()
            device.disconnect()
            device.loop_stop()
    with lock:
        ids = [i for i, _ in got]
        dup_flagged = sum(d for _, d in got)
    firsts = list(dict.fromkeys(ids))
    return {
        "stop": how, "mqtt": protocol, "commands": commands, "broker_down_at": down_at, "broker_up_at": up_at,
        "received_distinct": len(firsts), "lost": commands - len(firsts), "duplicated": len(ids) - len(firsts),
        "duplicates_flagged_dup": dup_flagged, "republished_by_link": sum(r.attempts - 1 for r in results),
        "acked": sum(r.ok for r in results), "flushed": flushed, "in_order": firsts == sorted(firsts),
        "seconds": round(seconds, 2),
    }


def bench_restart(commands: int = 1000) -> dict:
    """Both runs (SIGTERM, SIGKILL) of the module doc; returns the figures as a dict."""
    return {"runs": [_run(commands, how) for how in ("sigterm", "sigkill")], "machine": machine_info()}


def table(r: dict) -> str:
    """Markdown summary of a bench_restart result."""
    rows = [f"| {x['stop']} | {x['mqtt']} | {x['commands']} | {x['received_distinct']} | {x['lost']} | {x['duplicated']} "
            f"({x['duplicates_flagged_dup']} flagged DUP) | {x['republished_by_link']} | "
            f"{'yes' if x['in_order'] else 'no'} | {x['seconds']} s |" for x in r["runs"]]
    return "\n".join([
        "| broker stopped by | MQTT | commands | received | lost | duplicated | republished by the link | first copies in order | time |",
        "|---|---|---|---|---|---|---|---|---|", *rows, "",
        "Method: `hub bench restart` (hub/bench/restart.py): " + (__doc__ or "").split("Method: ", 1)[1].replace("\n", " ").strip(),
        "", machine_line(r["machine"]),
    ])
