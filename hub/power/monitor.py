"""Runs the model-set scheduler while the hub runs: polls power and load, applies the CPU
frequency policy, and tells the hub when to switch sets.

The hub gives a callback that swaps the model set between utterances (an utterance in flight
finishes on the set it started with) and publishes the new set and reason on MQTT.
"""

from __future__ import annotations

import logging
import threading
from typing import Callable

from hub.errors import HubError
from hub.power.cpufreq import CpuFreqPolicy
from hub.power.rules import PowerRules
from hub.power.scheduler import ModelSetScheduler, Switch

log = logging.getLogger(__name__)


class PowerMonitor:
    """Polls every ``rules.poll_s`` seconds in a daemon thread; calls ``on_switch(switch)`` from
    that thread after each change of set (after the cpufreq policy, if any, was applied).

    A garbled reading or a cpufreq file that cannot be written is logged and the set is kept;
    the hub never stops for it. Raises :class:`HubError` at construction if ``rules.cpufreq`` is
    set but its sysfs root has no cpufreq policy.
    """

    def __init__(self, rules: PowerRules, on_switch: Callable[[Switch], None]):
        self.scheduler = ModelSetScheduler(rules)
        self.cpufreq = CpuFreqPolicy(rules.cpufreq) if rules.cpufreq is not None else None
        self._on_switch = on_switch
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def model_set(self) -> str:
        """The set the hub should run now: "full" or "low-power"."""
        return self.scheduler.model_set

    def poll_once(self, now_s: float | None = None) -> Switch | None:
        """One reading and decision; the switch it caused, if any."""
        with self._lock:
            try:
                switch = self.scheduler.poll(now_s)
            except HubError as e:
                log.warning("power reading failed, keeping %s: %s", self.scheduler.model_set, e)
                return None
            return self._announce(switch)

    def set_override(self, value: str) -> Switch | None:
        """The MQTT/Home Assistant switch: "auto", "full" or "low-power" (else :class:`HubError`)."""
        with self._lock:
            return self._announce(self.scheduler.set_override(value))

    def _announce(self, switch: Switch | None) -> Switch | None:
        if switch is None:
            return None
        log.info("model set -> %s (%s)", switch.model_set, switch.reason)
        self._apply_cpufreq(switch.model_set)
        self._on_switch(switch)
        return switch

    def _apply_cpufreq(self, model_set: str) -> None:
        if self.cpufreq is None:
            return
        try:
            for path, value in self.cpufreq.apply(model_set).items():
                log.info("cpufreq: %s = %s", path, value)
        except HubError as e:
            log.warning("%s", e)

    def start(self) -> None:
        """Poll once now, then every ``poll_s`` seconds until :meth:`stop`. The hub reads
        :attr:`model_set` after this to pick the set it starts with."""
        if self.poll_once() is None and self.model_set == "low-power":
            self._apply_cpufreq("low-power")   # started in low-power by config: no switch to announce
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="power-monitor", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.scheduler.rules.poll_s):
            self.poll_once()

    def stop(self) -> None:
        """Stop polling and wait for the thread; restores the full-set CPU policy."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._apply_cpufreq("full")
