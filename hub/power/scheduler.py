"""Chooses the model set (full or low-power) from power, CPU load and a manual override.

Pure decision logic over readings, with hysteresis so the hub does not flap: the battery latch
goes low at ``low_power_below_pct`` and clears at ``full_above_pct``; the load latch sets after
``load_high_for_s`` above ``load_high_per_core`` and clears after ``load_low_for_s`` below
``load_low_per_core``. Priority: manual override, then a low battery (ignored on mains power
when ``mains_always_full``), then high load; otherwise full. :meth:`ModelSetScheduler.poll`
reads sysfs/procfs itself; the load is the others' (hub.power.load.OthersLoad), so the hub's own
work never sends it to low power.
"""

from __future__ import annotations

import time
from typing import NamedTuple, get_args

from hub.errors import HubError
from hub.power.battery import PowerState, read_power_state
from hub.power.load import OthersLoad
from hub.power.rules import ModelSetName, Override, PowerRules


class Switch(NamedTuple):
    """A change of model set and why (unpacks as ``(model_set, reason)``)."""

    model_set: ModelSetName
    reason: str


class ModelSetScheduler:
    """Decides which model set should run; reports a :class:`Switch` only when that changes.

    Start state: the full set (or ``rules.model_set`` if it is not "auto"), battery and load
    latches clear. Not thread-safe: call from one thread (the hub's power poller).
    """

    def __init__(self, rules: PowerRules, others_load: OthersLoad | None = None):
        self.rules = rules
        self.others_load = others_load or OthersLoad()
        self.override: Override = rules.model_set
        self.model_set: ModelSetName = "full" if rules.model_set == "auto" else rules.model_set
        self.reason = "start" if rules.model_set == "auto" else f"manual override: {rules.model_set}"
        self._battery_low = False
        self._load_high = False
        self._load_cross_since: float | None = None
        """Monotonic time the load first crossed the threshold that would flip the load latch."""
        self._last_power: PowerState | None = None
        self._last_load: float | None = None

    def set_override(self, value: str) -> Switch | None:
        """Manual choice from the MQTT/Home Assistant switch: "auto", "full" or "low-power".

        Raises :class:`HubError` for any other value. Returns the switch it causes, if any.
        """
        if value not in get_args(Override):
            raise HubError(f"model set override {value!r}: expected one of {', '.join(get_args(Override))}")
        self.override = value
        return self._settle()

    def update(self, power: PowerState, load: float | None, now_s: float) -> Switch | None:
        """Feed one reading; the new :class:`Switch` if the chosen set changed, else None.

        ``load`` is the 1-minute load average per core (None: unknown, latch unchanged);
        ``now_s`` a monotonic time in seconds.
        """
        r = self.rules
        self._last_power = power
        if load is not None:
            self._last_load = load
        if power.level_pct is not None:
            if power.level_pct <= r.low_power_below_pct:
                self._battery_low = True
            elif power.level_pct >= r.full_above_pct:
                self._battery_low = False
        if r.load_high_per_core is not None and load is not None:
            crossing = load < r.load_low_per_core if self._load_high else load > r.load_high_per_core
            if not crossing:
                self._load_cross_since = None
            else:
                if self._load_cross_since is None:
                    self._load_cross_since = now_s
                hold = r.load_low_for_s if self._load_high else r.load_high_for_s
                if now_s - self._load_cross_since >= hold:
                    self._load_high = not self._load_high
                    self._load_cross_since = None
        return self._settle()

    def poll(self, now_s: float | None = None) -> Switch | None:
        """Read the power supply and CPU load at the rules' paths, then :meth:`update`.

        Raises :class:`HubError` if a reading is garbled (the caller logs it and keeps the set).
        """
        now_s = time.monotonic() if now_s is None else now_s
        power = read_power_state(self.rules.power_supply_root)
        load = (self.others_load.per_core(self.rules.loadavg_path, now_s)
                if self.rules.load_high_per_core is not None else None)
        return self.update(power, load, now_s)

    def _decide(self) -> Switch:
        r = self.rules
        power, load = self._last_power, self._last_load
        if self.override != "auto":
            return Switch(self.override, f"manual override: {self.override}")
        external = power is not None and not power.on_battery
        if self._battery_low and power is not None and not (external and r.mains_always_full):
            return Switch("low-power", f"{power.describe()}: at or below {r.low_power_below_pct:g}%, "
                                       f"full again at {r.full_above_pct:g}%")
        if self._load_high:
            return Switch("low-power", f"CPU load {load:.2f} per core: above {r.load_high_per_core:g} "
                                       f"for {r.load_high_for_s:g} s")
        if power is None:
            parts = ["no power reading yet"]
        elif external and power.level_pct is not None:
            parts = [f"external power, {power.describe()}"]
        else:
            parts = [power.describe()]
        if load is not None:
            parts.append(f"CPU load {load:.2f} per core")
        return Switch("full", ", ".join(parts))

    def _settle(self) -> Switch | None:
        decision = self._decide()
        if decision.model_set == self.model_set:
            return None
        self.model_set, self.reason = decision
        return decision
