"""The running hub's session: Home Assistant's reload button re-reads the config between
utterances, and a broken config file keeps the running one."""

import time

from hub.app import Session
from hub.config import BrokerConfig
from hub.config_load import load_config
from hub.mqtt.link import MqttLink
from hub.types import MqttMessage

HOME = """
hub: {name: Reload Test, area: den}
areas: [{id: den, name: Den}]
devices:
  - {id: lamp, name: Lamp, area: den, type: light, protocol: tasmota, topic: lamp}
"""


def wait_until(check, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not check() and time.monotonic() < deadline:
        time.sleep(0.05)
    return check()


def test_reload_button_reads_the_new_config_and_a_bad_one_is_refused(broker, tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text(HOME)
    cfg = load_config(path)
    link = MqttLink(BrokerConfig(host=broker.host, port=broker.port), cfg.hub.options, client_id="session-test")
    link.connect()
    session = Session(cfg, link, "den", nlu_only=True)
    try:
        parse = lambda text: [c.device for c in session.stages.parser.parse(text, "den").commands]  # noqa: E731
        assert parse("turn on the heater") == []
        path.write_text(HOME + "  - {id: heater, name: Heater, area: den, type: switch, protocol: tasmota, topic: heater}\n")
        link.publish_and_wait(MqttMessage("hub/reload/set", b"PRESS"))
        assert wait_until(lambda: parse("turn on the heater") == ["heater"])

        path.write_text(HOME + "  - {id: broken, name: Broken, area: nowhere, type: light, protocol: tasmota, topic: b}\n")
        session.reload()
        assert parse("turn on the heater") == ["heater"]  # still the last good config
    finally:
        session.close()
        link.close()


def test_a_flood_of_reloads_is_handed_over_coalesced_and_keeps_one_callback_and_the_state(broker, tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text(HOME)
    cfg = load_config(path)
    link = MqttLink(BrokerConfig(host=broker.host, port=broker.port), cfg.hub.options, client_id="flood-test")
    link.connect()
    session = Session(cfg, link, "den", nlu_only=True)
    flood = MqttLink(BrokerConfig(host=broker.host, port=broker.port), status_topic=None, client_id="flooder")
    flood.connect()
    try:
        flood.publish_and_wait(MqttMessage("stat/lamp/POWER", b"ON"))
        assert wait_until(lambda: session.stages.state.get("lamp") is not None)
        parse = lambda text: [c.device for c in session.stages.parser.parse(text, "den").commands]  # noqa: E731
        path.write_text(HOME + "  - {id: heater, name: Heater, area: den, type: switch, protocol: tasmota, topic: heater}\n")
        presses = [flood.publish(MqttMessage("hub/reload/set", b"PRESS")) for _ in range(1000)]
        assert all(p.wait(20) for p in presses)
        # paho's network thread only handed the presses over: a publish now is acknowledged
        assert link.publish_and_wait(MqttMessage("probe/x", b"1"), timeout=20).ok
        assert wait_until(lambda: parse("turn on the heater") == ["heater"])
        assert session.worker.wait_idle(20)
        # coalesced: a handful of reloads (how many depends on how the presses fall in time), never 1,000
        assert session.worker.runs <= 10, f"1,000 presses ran {session.worker.runs} reloads"
        assert all(len(cbs) == 1 for cbs in link._subs.values()), "a reload replaces, never adds, callbacks"
        assert "stat/heater/+" in link._subs
        assert session.stages.state.get("lamp").power is True, "the lamp's state survives the reload"
    finally:
        flood.close()
        session.close()
        link.close()
