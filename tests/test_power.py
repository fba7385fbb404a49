"""Low-power scheduling: battery and load readings from files, hysteresis, override, cpufreq."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from hub.errors import HubError
from hub.power.battery import read_power_state
from hub.power.cpufreq import CpuFreqPolicy
from hub.power.load import load_per_core
from hub.power.rules import CpuFreqRules, PowerRules
from hub.power.scheduler import ModelSetScheduler, Switch


def supply(root: Path, name: str, **files: str) -> Path:
    d = root / name
    d.mkdir(parents=True, exist_ok=True)
    for key, value in files.items():
        (d / key).write_text(value + "\n")
    return d


@pytest.fixture
def sysfs(tmp_path):
    """A fake /sys/class/power_supply with one battery and an unplugged AC adapter."""
    root = tmp_path / "power_supply"
    supply(root, "BAT0", type="Battery", capacity="90", status="Discharging")
    supply(root, "AC", type="Mains", online="0")
    return root


def set_battery(root: Path, capacity: int, status: str, ac_online: bool = False) -> None:
    supply(root, "BAT0", capacity=str(capacity), status=status)
    supply(root, "AC", online="1" if ac_online else "0")


def test_no_power_supply_means_mains(tmp_path):
    state = read_power_state(tmp_path / "missing")
    assert not state.on_battery and state.level_pct is None and state.status == "mains"
    supply(tmp_path / "ps", "AC", type="Mains", online="1")
    assert read_power_state(tmp_path / "ps").level_pct is None


def test_battery_reading(sysfs):
    state = read_power_state(sysfs)
    assert state.on_battery and state.level_pct == 90 and state.status == "Discharging"
    set_battery(sysfs, 40, "Discharging", ac_online=True)
    assert not read_power_state(sysfs).on_battery
    set_battery(sysfs, 40, "Charging")
    assert not read_power_state(sysfs).on_battery


def test_garbled_capacity_is_named(sysfs):
    (sysfs / "BAT0" / "capacity").write_text("lots\n")
    with pytest.raises(HubError, match=r"BAT0/capacity holds 'lots'"):
        read_power_state(sysfs)


def test_battery_drop_and_charge_flip_the_set_with_hysteresis(sysfs):
    rules = PowerRules(power_supply_root=str(sysfs), load_high_per_core=None)
    s = ModelSetScheduler(rules)
    assert s.poll(now_s=0) is None and s.model_set == "full"

    seen = []
    for t, level in enumerate([80, 60, 40, 31, 30, 25, 20], start=1):
        set_battery(sysfs, level, "Discharging")
        if (switch := s.poll(now_s=t)) is not None:
            seen.append((level, switch))
    assert [lvl for lvl, _ in seen] == [30]
    assert seen[0][1].model_set == "low-power"
    assert "battery 30% (Discharging)" in seen[0][1].reason and "below 30%" in seen[0][1].reason

    # plugged in at 20 %: mains means full at once
    set_battery(sysfs, 20, "Charging")
    switch = s.poll(now_s=10)
    assert switch == Switch("full", "external power, battery 20% (Charging)")
    model_set, reason = switch
    assert model_set == "full" and "Charging" in reason

    # unplugged at 50 %: the battery latch is still low (below 80 % since it dropped)
    set_battery(sysfs, 50, "Discharging")
    assert s.poll(now_s=11) == ("low-power", "battery 50% (Discharging): at or below 30%, full again at 80%")
    # charged to 85 % and unplugged: latch clears
    set_battery(sysfs, 85, "Discharging")
    switch = s.poll(now_s=12)
    assert switch is not None and switch.model_set == "full" and "85%" in switch.reason
    assert s.poll(now_s=13) is None


def test_mains_not_always_full(sysfs):
    s = ModelSetScheduler(PowerRules(power_supply_root=str(sysfs), load_high_per_core=None,
                                     mains_always_full=False))
    set_battery(sysfs, 20, "Charging")
    assert s.poll(now_s=0).model_set == "low-power"


def test_sustained_load_switches_after_hold_time():
    rules = PowerRules(load_high_per_core=0.9, load_high_for_s=30, load_low_per_core=0.5, load_low_for_s=60)
    s = ModelSetScheduler(rules)
    battery = read_power_state("/nonexistent")
    assert s.update(battery, 1.5, now_s=0) is None
    assert s.update(battery, 0.4, now_s=10) is None       # a dip restarts the clock
    assert s.update(battery, 1.2, now_s=20) is None
    assert s.update(battery, 1.2, now_s=49) is None
    switch = s.update(battery, 1.3, now_s=50)
    assert switch.model_set == "low-power" and "CPU load 1.30 per core" in switch.reason
    assert s.update(battery, 0.7, now_s=60) is None       # between thresholds: stays
    assert s.update(battery, 0.4, now_s=70) is None
    assert s.update(battery, 0.3, now_s=129) is None
    assert s.update(battery, 0.3, now_s=130).model_set == "full"


def test_manual_override_wins_and_auto_resumes(sysfs):
    s = ModelSetScheduler(PowerRules(power_supply_root=str(sysfs), load_high_per_core=None))
    set_battery(sysfs, 90, "Discharging")
    s.poll(now_s=0)
    assert s.set_override("low-power") == ("low-power", "manual override: low-power")
    set_battery(sysfs, 20, "Discharging")
    assert s.poll(now_s=1) is None
    assert s.set_override("full") == ("full", "manual override: full")
    assert s.set_override("auto").model_set == "low-power"
    with pytest.raises(HubError, match="expected one of auto, full, low-power"):
        s.set_override("eco")


def test_rules_from_config_start_state():
    assert ModelSetScheduler(PowerRules(model_set="low-power")).model_set == "low-power"


def test_rules_reject_inverted_thresholds():
    with pytest.raises(ValidationError, match="must be below full_above_pct"):
        PowerRules(low_power_below_pct=50, full_above_pct=40)
    with pytest.raises(ValidationError, match="load_low_per_core"):
        PowerRules(load_high_per_core=0.5, load_low_per_core=0.8)


def test_load_per_core(tmp_path):
    f = tmp_path / "loadavg"
    f.write_text("3.00 2.10 1.00 2/345 6789\n")
    assert load_per_core(f, cores=2) == 1.5
    assert load_per_core(tmp_path / "absent", cores=1) >= 0
    f.write_text("busy\n")
    with pytest.raises(HubError, match="expected a number"):
        load_per_core(f, cores=2)


@pytest.fixture
def cpu_sysfs(tmp_path):
    root = tmp_path / "cpu"
    for i in range(2):
        supply(root / "cpufreq", f"policy{i}", scaling_governor="schedutil",
               scaling_available_governors="performance powersave schedutil",
               scaling_max_freq="2400000", cpuinfo_max_freq="2400000", cpuinfo_min_freq="600000")
    return root


def read(p: Path) -> str:
    return p.read_text().strip()


def test_cpufreq_writes_low_power_and_restores(cpu_sysfs):
    policy = CpuFreqPolicy(CpuFreqRules(sysfs_root=str(cpu_sysfs), low_power_governor="powersave",
                                        low_power_max_freq_pct=50))
    written = policy.apply("low-power")
    assert len(written) == 4
    for i in range(2):
        p = cpu_sysfs / "cpufreq" / f"policy{i}"
        assert read(p / "scaling_governor") == "powersave"
        assert read(p / "scaling_max_freq") == "1200000"
    policy.apply("low-power")          # twice: the originals stay remembered
    policy.apply("full")
    for i in range(2):
        p = cpu_sysfs / "cpufreq" / f"policy{i}"
        assert read(p / "scaling_governor") == "schedutil"
        assert read(p / "scaling_max_freq") == "2400000"
    assert policy.apply("full") == {}


def test_cpufreq_clamps_to_min_and_checks_governor(cpu_sysfs):
    policy = CpuFreqPolicy(CpuFreqRules(sysfs_root=str(cpu_sysfs), low_power_governor=None,
                                        low_power_max_freq_pct=10))
    policy.apply("low-power")
    assert read(cpu_sysfs / "cpufreq" / "policy0" / "scaling_max_freq") == "600000"
    bad = CpuFreqPolicy(CpuFreqRules(sysfs_root=str(cpu_sysfs), low_power_governor="ondemand"))
    with pytest.raises(HubError, match="governor 'ondemand' not offered"):
        bad.apply("low-power")


def test_cpufreq_missing_root(tmp_path):
    with pytest.raises(HubError, match="no policy directories"):
        CpuFreqPolicy(CpuFreqRules(sysfs_root=str(tmp_path)))


def test_the_load_that_switches_is_the_other_programs_not_the_hubs_own(tmp_path):
    from hub.power.load import OthersLoad

    loadavg = tmp_path / "loadavg"
    loadavg.write_text("2.00 1.50 1.00 3/400 123\n")
    rules = PowerRules(load_high_per_core=0.9, load_high_for_s=30, loadavg_path=str(loadavg), power_supply_root="/nonexistent")
    busy_hub = iter(float(t) for t in range(1000))  # the hub itself keeps one core busy: 1 CPU s per s
    s = ModelSetScheduler(rules, OthersLoad(own_cpu=lambda: next(busy_hub)))
    assert s.others_load.per_core(loadavg, 0, cores=2) == 1.0  # first reading: no share of its own known yet
    assert s.others_load.per_core(loadavg, 1, cores=2) == 0.5  # 2.0 busy, 1.0 of it the hub's own
    idle_hub = ModelSetScheduler(rules, OthersLoad(own_cpu=lambda: 0.0))
    assert idle_hub.others_load.per_core(loadavg, 5, cores=2) == 1.0
