"""The running hub's session: Home Assistant's reload button re-reads the config between
utterances, and a broken config file keeps the running one."""

import time

from hub.app import Session
from hub.config import BrokerConfig, load_config
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
        parse = lambda text: [c.device for c in session.stages["parser"].parse(text, "den").commands]  # noqa: E731
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
