"""A manual check against a real Home Assistant (not run by the tests or CI): for every
(entity, action) of tests/test_ha_mqtt.py, what Home Assistant publishes for its own service call
next to what the hub publishes for the same command, and HA's state after its call.

Home Assistant in its own virtualenv, never the hub's (2024.3.3 on Python 3.11):
  python3.11 -m venv /tmp/ha && /tmp/ha/bin/pip install homeassistant==2024.3.3 'josepy<2' \
      paho-mqtt==1.6.1 Pillow==10.2.0 SQLAlchemy==2.0.27 aiohttp-fast-url-dispatcher==0.3.0 \
      aiohttp-zlib-ng==0.3.1 aiohttp_cors==0.7.0 fnv-hash-fast==0.5.0 home-assistant-frontend==20240307.0 \
      ifaddr==0.2.0 janus==1.0.0 psutil-home-assistant==0.0.1 securetar==2024.2.1
(the requirements of its default integrations and mqtt: it starts with --skip-pip). Then, in a
network namespace with loopback only:
  sudo unshare -n sh -c 'ip link set lo up && PYTHONPATH=.:tests .venv/bin/python scripts/ha_check.py /tmp/ha/bin/hass'
It starts a private mosquitto on 127.0.0.1, writes Home Assistant's MQTT config entry into a fresh
config folder's .storage (no onboarding), an automation that turns messages on test/call into
service calls, and mqtt_statestream to read entity states; prints a markdown table.
"""

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from conftest import Collector
from hub.config import BrokerConfig, parse_config
from hub.devices.router import Router
from hub.mqtt.broker import PrivateBroker
from hub.mqtt.importer import import_devices
from hub.mqtt.link import MqttLink
from hub.types import Command, MqttMessage
from test_ha_mqtt import BASE, CASES

SERVICES = {
    ("light", "turn_on"): ("light.turn_on", {}), ("light", "turn_off"): ("light.turn_off", {}),
    ("light", "set_brightness"): ("light.turn_on", "brightness_pct"),
    ("light", "set_color_temp"): ("light.turn_on", "kelvin"),
    ("switch", "turn_on"): ("switch.turn_on", {}),
    ("lock", "lock"): ("lock.lock", {}), ("lock", "unlock"): ("lock.unlock", {}),
    ("cover", "open"): ("cover.open_cover", {}), ("cover", "stop"): ("cover.stop_cover", {}),
    ("cover", "set_position"): ("cover.set_cover_position", "position"),
    ("climate", "turn_on"): ("climate.turn_on", {}), ("climate", "turn_off"): ("climate.turn_off", {}),
    ("climate", "set_temperature"): ("climate.set_temperature", "temperature"),
    ("climate", "set_hvac_mode"): ("climate.set_hvac_mode", "hvac_mode"),
    ("fan", "turn_on"): ("fan.turn_on", {}), ("fan", "set_fan_speed"): ("fan.set_percentage", "percentage"),
    ("valve", "open"): ("valve.open_valve", {}), ("valve", "stop"): ("valve.stop_valve", {}),
    ("humidifier", "set_humidity"): ("humidifier.set_humidity", "humidity"),
    ("siren", "turn_on"): ("siren.turn_on", {}), ("button", "press"): ("button.press", {}),
    ("scene", "activate"): ("scene.turn_on", {}),
    ("alarm_control_panel", "arm_away"): ("alarm_control_panel.alarm_arm_away", {}),
    ("vacuum", "start"): ("vacuum.start", {}),
    ("water_heater", "set_temperature"): ("water_heater.set_temperature", "temperature"),
}

CONFIG_YAML = """
homeassistant:
  name: Test
  unit_system: metric
  time_zone: UTC
  latitude: 0
  longitude: 0
  elevation: 0
  currency: EUR
  country: GB
logger:
  default: warning
mqtt_statestream:
  base_topic: ha_states
automation:
  - alias: call
    trigger: {platform: mqtt, topic: test/call}
    action:
      - service: "{{ trigger.payload_json.service }}"
        target: {entity_id: "{{ trigger.payload_json.entity_id }}"}
        data: "{{ trigger.payload_json.data }}"
"""


def slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text.lower()).strip("_")


def device_msgs(col: Collector) -> list[tuple[str, str]]:
    return [(t, p.decode()) for t, p in col.pairs()
            if not t.startswith(("ha_states/", "homeassistant/", "test/", "hub/"))]


def settle(col: Collector, quiet: float = 0.8, limit: float = 8.0) -> None:
    end, n, last = time.monotonic() + limit, -1, time.monotonic()
    while time.monotonic() < end:
        k = len(col.pairs())
        if k != n:
            n, last = k, time.monotonic()
        elif time.monotonic() - last > quiet:
            return
        time.sleep(0.05)


def main() -> None:
    cfgdir = Path(tempfile.mkdtemp(prefix="ha-check-"))
    (cfgdir / ".storage").mkdir()
    with PrivateBroker() as b:
        (cfgdir / "configuration.yaml").write_text(CONFIG_YAML)
        entry = {"entry_id": "01hubcheckmqtt0000000000000", "version": 1, "minor_version": 1, "domain": "mqtt",
                 "title": "127.0.0.1", "data": {"broker": b.host, "port": b.port, "discovery": True},
                 "options": {}, "pref_disable_new_entities": False, "pref_disable_polling": False,
                 "source": "user", "unique_id": None, "disabled_by": None}
        (cfgdir / ".storage/core.config_entries").write_text(json.dumps(
            {"version": 1, "minor_version": 1, "key": "core.config_entries", "data": {"entries": [entry]}}))
        bc = BrokerConfig(host=b.host, port=b.port)
        with MqttLink(bc, status_topic=None) as pub:
            for obj, (component, cfg, _) in CASES.items():
                pub.publish_and_wait(MqttMessage(f"homeassistant/{component}/{obj}/config",
                                                 json.dumps(cfg).encode(), retain=True), 10)
        hubcfg = parse_config(import_devices("homeassistant", bc, parse_config(BASE)).merged(BASE))
        router = Router(hubcfg)
        states = Collector(b.host, b.port, "ha_states/#")
        log = open(cfgdir / "hass.log", "w")
        t0 = time.monotonic()
        hass = subprocess.Popen([sys.argv[1], "-c", str(cfgdir), "--skip-pip"],
                                stdout=log, stderr=subprocess.STDOUT)
        try:
            want = {f"ha_states/{c}/{slug(cfg['name'])}/state" for c, cfg, _ in CASES.values()}
            last_new, count = time.monotonic(), 0
            while time.monotonic() - t0 < 240:
                have = {t for t, _ in states.pairs()}
                if want <= have or (count >= 10 and time.monotonic() - last_new > 20):
                    break
                if len(have) != count:
                    count, last_new = len(have), time.monotonic()
                time.sleep(1)
            have = {t for t, _ in states.pairs()}
            print(f"HA up, {len(want & have)}/{len(want)} entities seen in {time.monotonic() - t0:.0f} s "
                  f"(missing: {sorted(want - have)}; all: {sorted(t for t in have if t.endswith('/state'))})", flush=True)
            rows = []
            col = Collector(b.host, b.port, "#")
            with MqttLink(bc, status_topic=None) as link:
                for obj, (component, cfg, steps) in CASES.items():
                    # an entity of a device without a name gets a prefix (the MQTT entry's title)
                    topic = next(t for t in sorted(have, key=len) if t.startswith(f"ha_states/{component}/")
                                 and t.endswith(f"{slug(cfg['name'])}/state"))
                    entity_id = f"{component}.{topic.split('/')[2]}"
                    uid = cfg.get("unique_id") or cfg.get("uniq_id")
                    (dev,) = [d for d in hubcfg.devices if d.entity.unique_id == uid]
                    for action, value, _ in steps:
                        service, data = SERVICES[(dev.type if dev.type != "outlet" else "switch", action)]
                        data = {data: value} if isinstance(data, str) else data
                        settle(col)
                        col.clear()
                        link.publish_and_wait(MqttMessage("test/call", json.dumps(
                            {"service": service, "entity_id": entity_id, "data": data}).encode()), 10)
                        settle(col)
                        ha_sent = device_msgs(col)
                        ha_state = [p.decode() for t, p in states.pairs() if t == topic]
                        col.clear()
                        for m in router.route(Command(dev.id, action, value)):
                            link.publish_and_wait(m, 10)
                        settle(col)
                        hub_sent = device_msgs(col)
                        rows.append((entity_id, action, value, ha_sent == hub_sent, ha_sent, hub_sent,
                                     ha_state[-1] if ha_state else None))
                        print(rows[-1], flush=True)
            ok = sum(r[3] for r in rows)
            print(f"\n{ok}/{len(rows)} pairs: hub payload = Home Assistant's payload")
            print("| entity | action | value | same | HA sent | hub sent | HA state after its own call |")
            print("|---|---|---|---|---|---|---|")
            for r in rows:
                print(f"| {r[0]} | {r[1]} | {'' if r[2] is None else r[2]} | {'yes' if r[3] else 'no'} | "
                      f"{' '.join(f'{t} {p}' for t, p in r[4])} | {' '.join(f'{t} {p}' for t, p in r[5])} | {r[6]} |")
        finally:
            hass.terminate()
            try:
                hass.wait(60)
            except subprocess.TimeoutExpired:
                hass.kill()
            log.close()
            print(f"Home Assistant's log: {cfgdir / 'hass.log'}")


if __name__ == "__main__":
    main()
