"""PowerRules: the config section that decides when the hub runs its low-power model set.

Kept apart from hub/config.py so the power package does not import the whole config; the config
embeds it (``power:`` in config.yaml).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hub.modelset import MicroWakeWord

ModelSetName = Literal["full", "low-power"]
Override = Literal["auto", "full", "low-power"]


class CpuFreqRules(BaseModel):
    """What to write to the kernel's cpufreq policies while the low-power set runs.

    Files: ``<sysfs_root>/cpufreq/policy*/scaling_governor`` and ``scaling_max_freq``
    (https://www.kernel.org/doc/html/latest/admin-guide/pm/cpufreq.html). The values found before
    the first switch are restored when the full set comes back.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    sysfs_root: str = "/sys/devices/system/cpu"
    low_power_governor: str | None = "powersave"
    """Governor while in low-power (must be in scaling_available_governors); None: leave it."""
    low_power_max_freq_pct: int | None = Field(60, ge=10, le=100)
    """scaling_max_freq as % of cpuinfo_max_freq while in low-power; None: leave it."""


class PowerRules(BaseModel):
    """Thresholds (with hysteresis) that choose the full or low-power model set.

    Battery: low-power once the level is at or below ``low_power_below_pct``; full again only once
    it is at or above ``full_above_pct`` (or on mains). CPU load (1-minute load average per core):
    low-power once it stays above ``load_high_per_core`` for ``load_high_for_s``; full again once
    it stays below ``load_low_per_core`` for ``load_low_for_s``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    wake_word: MicroWakeWord = "alexa"
    """microWakeWord model of the low-power set (pymicro-wakeword 2.5.0 ships these four). alexa:
    chosen from ``hub bench wake``'s curves, it hears every voice family (hub.wake.micro
    .MEASURED_THRESHOLDS); hey_jarvis missed most espeak-ng speech at every threshold."""
    wake_threshold: float | None = Field(None, gt=0, lt=1)
    """None: the measured threshold of the model (alexa 0.2), else the model card's own
    probability_cutoff (0.85-0.97)."""
    fallback: bool = True
    """Hybrid recognition: whisper tiny.en (with the template reader) hears what the grammar
    recogniser is unsure of (hub.asr.hybrid); False: the grammar alone."""
    fallback_idle_s: float | None = Field(300, gt=0)
    """Seconds without a fallback after which whisper is released (None: kept once loaded)."""
    grammar_min_confidence: float = Field(0.65, ge=0, le=1)
    """A grammar transcript below this confidence goes to whisper. On the development clips
    (hub.asr.cases.dev_cases, 208): 0.6 -> grammar keeps 65, 143 right and 14 wrong in all; 0.65 ->
    51, 142 and 9; 0.7 -> 29, 137 and 9 (whisper alone: 136 and 7)."""
    grammar_in_time: bool = True
    """Decode an unsure first reading again with the grammar of timers and commands in time
    (hub.asr.grammar_time). Measured (contended): about 200 ms more CPU for each command the
    grammar is unsure of (before whisper's 0.9-1.2 s), and Piper's "set a timer for ten
    minutes", "cancel the timer", "how much time is left" stand without whisper; commands with a
    time phrase mostly score below ``grammar_min_confidence`` and go to whisper all the same.
    False: whisper hears all of them."""
    grammar_min_parse_confidence: float = Field(0.6, ge=0, le=1)
    """...and so does one the template reader understands below this confidence or not completely
    (a grammar sentence almost always parses at 1.0: a guard, not a filter)."""
    model_set: Override = "auto"
    """Start-up choice; "auto" lets the scheduler decide. An MQTT/HA switch overrides it at run time."""
    full_above_pct: float = Field(80, gt=0, le=100)
    low_power_below_pct: float = Field(30, ge=0, lt=100)
    mains_always_full: bool = True
    """On mains power (or charging) a low battery does not force low-power (CPU load still can)."""
    load_high_per_core: float | None = Field(0.9, gt=0)
    """None: CPU load never switches the set."""
    load_high_for_s: float = Field(30, ge=0)
    load_low_per_core: float = Field(0.6, gt=0)
    load_low_for_s: float = Field(60, ge=0)
    power_supply_root: str = "/sys/class/power_supply"
    """Where the kernel lists power supplies (``*/type``, ``capacity``, ``status``, ``online``)."""
    loadavg_path: str = "/proc/loadavg"
    poll_s: float = Field(10, gt=0)
    """How often the hub reads battery and load."""
    cpufreq: CpuFreqRules | None = None
    """None: never touch CPU frequency."""

    @model_validator(mode="after")
    def _hysteresis(self) -> "PowerRules":
        if self.low_power_below_pct >= self.full_above_pct:
            raise ValueError(f"low_power_below_pct ({self.low_power_below_pct:g}) must be below "
                             f"full_above_pct ({self.full_above_pct:g})")
        if self.load_high_per_core is not None and self.load_low_per_core >= self.load_high_per_core:
            raise ValueError(f"load_low_per_core ({self.load_low_per_core:g}) must be below "
                             f"load_high_per_core ({self.load_high_per_core:g})")
        return self
