"""Home Assistant MQTT discovery for the hub itself.

Format: https://www.home-assistant.io/integrations/mqtt/#mqtt-discovery — a retained JSON
config on ``<discovery_prefix>/<component>/<node_id>/<object_id>/config`` per entity, all
sharing one ``device`` block and the hub's availability topic. Entity options follow
https://www.home-assistant.io/integrations/sensor.mqtt/, switch.mqtt/, select.mqtt/,
button.mqtt/ and event.mqtt/.

Topics (``<base>`` is ``options.base_topic``, default ``hub``):

======================  =========  ==========================================================
``<base>/status``       retained   ``online`` / ``offline`` (MqttLink birth and last will)
``<base>/transcript``   not ret.   last transcript, plain text (at most 255 characters);
                                   retained with ``options.retain_transcript``
``<base>/last_intent``  retained   name of the last recognised intent
``<base>/intent``       not ret.   one JSON object per recognised intent: ``{"event_type":
                                   intent, "text", "intent", "commands": [{"device", "action",
                                   "value"?}], "confidence", "response", "area"}``
``<base>/low_power``    retained   ``ON`` / ``OFF``; commands on ``<base>/low_power/set``
``<base>/model_set``    retained   ``full`` / ``low-power`` / ``auto``; commands on
                                   ``<base>/model_set/set``
``<base>/model_set/active`` ret.   ``{"model_set", "reason", "override", "wake_word"}`` after
                                   each switch: the "Wake word" sensor (hub.app.Session)
``<base>/reload/set``   command    ``PRESS`` reloads config.yaml
``<base>/timer``        not ret.   a timer ended: ``{"event_type": "finished" | "missed", ...}``
                                   (hub/timers/agenda.py), the "Timer finished" event entity
``<base>/timers``       retained   ``{"count", "timers": [{"name", "remaining_s", ...}]}``: the
                                   "Active timers" sensor (state: count; attributes: the JSON)
``<base>/say/set``      command    a text to execute as spoken (hub/mqtt/say.py)
======================  =========  ==========================================================

Discovery is republished on every (re)connect and whenever Home Assistant announces itself
with its birth message (``<discovery_prefix>/status`` = ``online``).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Sequence

import hub
from hub.coalesce import CoalescingWorker
from hub.config import Config
from hub.mqtt.link import MqttLink, PublishResult
from hub.throttle import ThrottledLog
from hub.types import MqttMessage, Understanding

log = logging.getLogger(__name__)

MODEL_SETS = ("full", "low-power", "auto")
TIMER_EVENTS = ("finished", "missed")
"""event_types of the "Timer finished" entity (the agenda's ``event_type`` values)."""
HA_STATE_MAX = 255
"""Home Assistant rejects sensor states longer than this."""


def node_id_for(base_topic: str) -> str:
    """The hub's discovery node_id: only ``[a-zA-Z0-9_-]`` are allowed in discovery topics."""
    return re.sub(r"[^a-zA-Z0-9_-]+", "_", base_topic).strip("_") or "hub"


def intent_event(understanding: Understanding) -> bytes:
    """The JSON event of ``<base>/intent``: ``{"event_type": intent, "text", "intent", "commands",
    "confidence", "response", "slots"? (custom intents), "area"}``."""
    return json.dumps({"event_type": understanding.intent, **understanding.to_json(), "area": understanding.area}).encode()


class Discovery:
    """The hub as a Home Assistant device: discovery configs, state topics and commands.

    ``Discovery(config, link, intent_names)`` subscribes to its command topics and to Home
    Assistant's birth topic at once. ``intent_names`` are the event entity's ``event_types``.
    The network thread only checks a command's payload and hands the work to ``worker`` (a
    :class:`CoalescingWorker`; by default one of its own), so a flood of commands coalesces:
    the low-power switch and the model-set select are one control (the last value wins), the
    reload button and HA's birth message one job each. On the worker, commands call
    ``on_low_power(bool)``, ``on_model_set(str)`` and ``on_reload()``; when the callback returns
    without raising, the new state is published (retained). The hub reports changes it makes
    itself with :meth:`set_low_power` / :meth:`set_model_set`.
    """

    def __init__(
        self,
        config: Config,
        link: MqttLink,
        intent_names: Sequence[str],
        *,
        on_low_power: Callable[[bool], None] | None = None,
        on_model_set: Callable[[str], None] | None = None,
        on_reload: Callable[[], None] | None = None,
        low_power: bool = False,
        model_set: str = "auto",
        worker: CoalescingWorker | None = None,
    ) -> None:
        if model_set not in MODEL_SETS:
            raise ValueError(f"model set {model_set!r} is not one of {', '.join(MODEL_SETS)}")
        opts = config.hub.options
        self.config = config
        self.link = link
        self.prefix = opts.discovery_prefix
        self.base = opts.base_topic
        self.node_id = node_id_for(self.base)
        self.intent_names = sorted(set(intent_names))
        self.on_low_power = on_low_power
        self.on_model_set = on_model_set
        self.on_reload = on_reload
        self.low_power = low_power
        self.model_set = model_set
        self.worker = worker or CoalescingWorker("discovery")
        self._warnings = ThrottledLog(log)

        self.topic_status = f"{self.base}/status"
        self.topic_transcript = f"{self.base}/transcript"
        self.topic_last_intent = f"{self.base}/last_intent"
        self.topic_intent = f"{self.base}/intent"
        self.topic_low_power = f"{self.base}/low_power"
        self.topic_model_set = f"{self.base}/model_set"
        self.topic_model_set_active = f"{self.base}/model_set/active"
        self.topic_reload = f"{self.base}/reload/set"
        self.topic_ha_status = f"{self.prefix}/status"
        self.topic_timer = f"{self.base}/timer"
        self.topic_timers = f"{self.base}/timers"

        link.subscribe(f"{self.topic_low_power}/set", self._low_power_command)
        link.subscribe(f"{self.topic_model_set}/set", self._model_set_command)
        link.subscribe(self.topic_reload, self._reload_command)
        link.subscribe(self.topic_ha_status, self._ha_status)
        link.add_connect_callback(self.publish_all)

    # ------------------------------------------------------------ discovery

    def device_block(self) -> dict:
        """The ``device`` block every entity shares, so HA groups them under one device."""
        return {
            "identifiers": [f"hub_{self.node_id}"],
            "name": self.config.hub.name,
            "manufacturer": "hub",
            "model": "Offline voice hub",
            "sw_version": hub.__version__,
        }

    def configs(self) -> dict[str, dict]:
        """Discovery topic -> config payload, for every entity of the hub."""
        common = {
            "device": self.device_block(),
            "origin": {"name": "hub", "sw_version": hub.__version__},
            "availability_topic": self.topic_status,
            "payload_available": "online",
            "payload_not_available": "offline",
            "qos": 1,
        }
        entities = {
            ("sensor", "transcript"): {
                "name": "Last transcript", "state_topic": self.topic_transcript, "icon": "mdi:text-to-speech",
            },
            ("sensor", "last_intent"): {
                "name": "Last intent", "state_topic": self.topic_last_intent, "icon": "mdi:head-lightbulb",
            },
            ("switch", "low_power"): {
                "name": "Low-power mode", "state_topic": self.topic_low_power,
                "command_topic": f"{self.topic_low_power}/set", "payload_on": "ON", "payload_off": "OFF",
                "icon": "mdi:leaf",
            },
            ("select", "model_set"): {
                "name": "Model set", "state_topic": self.topic_model_set,
                "command_topic": f"{self.topic_model_set}/set", "options": list(MODEL_SETS),
                "icon": "mdi:brain",
            },
            ("button", "reload_config"): {
                "name": "Reload config", "command_topic": self.topic_reload, "payload_press": "PRESS",
                "icon": "mdi:reload",
            },
            ("event", "intent"): {
                "name": "Intent", "state_topic": self.topic_intent, "event_types": self.intent_names,
                "icon": "mdi:microphone-message",
            },
            ("event", "timer"): {
                "name": "Timer finished", "state_topic": self.topic_timer, "event_types": list(TIMER_EVENTS),
                "icon": "mdi:timer-check-outline",
            },
            ("sensor", "timers"): {
                "name": "Active timers", "state_topic": self.topic_timers, "value_template": "{{ value_json.count }}",
                "json_attributes_topic": self.topic_timers, "state_class": "measurement",
                "icon": "mdi:timer-outline",
            },
            ("sensor", "wake_word"): {
                "name": "Wake word", "state_topic": self.topic_model_set_active,
                "value_template": "{{ value_json.wake_word }}", "json_attributes_topic": self.topic_model_set_active,
                "icon": "mdi:account-voice",
            },
        }
        return {
            f"{self.prefix}/{component}/{self.node_id}/{object_id}/config": {
                **body, "unique_id": f"{self.node_id}_{object_id}", **common,
            }
            for (component, object_id), body in entities.items()
        }

    def publish_all(self) -> list[PublishResult]:
        """Publish every discovery config and the switch/select states, retained. Called on
        every connect and on HA's birth message; safe to call any time."""
        out = [
            self._publish(topic, json.dumps(body, separators=(",", ":")).encode(), retain=True)
            for topic, body in self.configs().items()
        ]
        out.append(self._publish(self.topic_low_power, b"ON" if self.low_power else b"OFF", retain=True))
        out.append(self._publish(self.topic_model_set, self.model_set.encode(), retain=True))
        return out

    def remove_all(self) -> list[PublishResult]:
        """Remove the hub from Home Assistant: an empty retained config deletes an entity."""
        return [self._publish(topic, b"", retain=True) for topic in self.configs()]

    def _publish(self, topic: str, payload: bytes, *, retain: bool) -> PublishResult:
        # State, not a command: it never goes stale in the queue.
        return self.link.publish(MqttMessage(topic, payload, 1, retain), expiry_s=None)

    # ------------------------------------------------------------ hub state out

    def publish_transcript(self, text: str) -> PublishResult:
        """On ``<base>/transcript``, cut to HA's 255-character state limit; retained only with
        ``options.retain_transcript`` (a retained transcript stays on the broker for any client
        that subscribes later to read)."""
        return self._publish(self.topic_transcript, text[:HA_STATE_MAX].encode(),
                             retain=self.config.hub.options.retain_transcript)

    def publish_intent(self, understanding: Understanding) -> PublishResult | None:
        """Publish a recognised intent: the JSON event on ``<base>/intent`` (not retained, so
        HA does not replay it) and its name, retained, on ``<base>/last_intent``. Returns the
        event's PublishResult, or None (nothing published) when nothing was understood."""
        if not understanding.intent:
            return None
        if understanding.intent not in self.intent_names:
            log.warning("intent %r is not in the event entity's event_types", understanding.intent)
        self._publish(self.topic_last_intent, understanding.intent[:HA_STATE_MAX].encode(), retain=True)
        return self._publish(self.topic_intent, intent_event(understanding), retain=False)

    def set_low_power(self, on: bool) -> PublishResult:
        """Report the low-power switch state (retained)."""
        self.low_power = on
        return self._publish(self.topic_low_power, b"ON" if on else b"OFF", retain=True)

    def set_model_set(self, name: str) -> PublishResult:
        """Report the active model set (retained). Raises ValueError for an unknown name."""
        if name not in MODEL_SETS:
            raise ValueError(f"model set {name!r} is not one of {', '.join(MODEL_SETS)}")
        self.model_set = name
        return self._publish(self.topic_model_set, name.encode(), retain=True)

    # ------------------------------------------------------------ commands in (network thread)

    def _low_power_command(self, topic: str, payload: bytes) -> None:
        word = payload[:8].decode("utf-8", "replace").strip().upper()
        if word not in ("ON", "OFF"):
            self._warnings.warning(topic, "%s: expected ON or OFF, got %r; ignored", topic, payload[:40])
            return
        self.worker.submit("model_set", lambda: self._apply_low_power(word == "ON"))

    def _model_set_command(self, topic: str, payload: bytes) -> None:
        name = payload[:16].decode("utf-8", "replace").strip()
        if name not in MODEL_SETS:
            self._warnings.warning(topic, "%s: %r is not one of %s; ignored", topic, payload[:40], ", ".join(MODEL_SETS))
            return
        self.worker.submit("model_set", lambda: self._apply_model_set(name))

    def _reload_command(self, topic: str, payload: bytes) -> None:
        if payload.strip() != b"PRESS":
            self._warnings.warning(topic, "%s: expected PRESS, got %r; ignored", topic, payload[:40])
            return
        if self.on_reload is not None:
            self.worker.submit("reload", self.on_reload)

    def _ha_status(self, _topic: str, payload: bytes) -> None:
        if payload.strip() == b"online":
            self.worker.submit("discovery", self._republish)

    # ------------------------------------------------------------ command work (worker thread)

    def _apply_low_power(self, on: bool) -> None:
        if self.on_low_power is not None:
            self.on_low_power(on)
        self.set_low_power(on)

    def _apply_model_set(self, name: str) -> None:
        if self.on_model_set is not None:
            self.on_model_set(name)
        self.set_model_set(name)

    def _republish(self) -> None:
        log.info("Home Assistant came online; republishing discovery")
        self.publish_all()
