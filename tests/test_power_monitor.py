"""PowerMonitor: polling glue between sysfs readings, cpufreq and the hub's switch callback."""

import logging
import threading

from hub.power.monitor import PowerMonitor
from hub.power.rules import CpuFreqRules, PowerRules


def write(d, **files):
    d.mkdir(parents=True, exist_ok=True)
    for k, v in files.items():
        (d / k).write_text(v + "\n")


def make_rules(tmp_path, **extra):
    write(tmp_path / "ps" / "BAT0", type="Battery", capacity="90", status="Discharging")
    write(tmp_path / "cpu" / "cpufreq" / "policy0", scaling_governor="schedutil",
          scaling_available_governors="powersave schedutil", scaling_max_freq="2000000",
          cpuinfo_max_freq="2000000", cpuinfo_min_freq="400000")
    return PowerRules(power_supply_root=str(tmp_path / "ps"), load_high_per_core=None,
                      cpufreq=CpuFreqRules(sysfs_root=str(tmp_path / "cpu"), low_power_max_freq_pct=50),
                      **extra)


def test_switch_applies_cpufreq_then_calls_back(tmp_path):
    policy = tmp_path / "cpu" / "cpufreq" / "policy0"
    seen = []

    def on_switch(switch):
        # the CPU policy is already in place when the hub hears of the switch
        seen.append((switch, (policy / "scaling_governor").read_text().strip()))

    monitor = PowerMonitor(make_rules(tmp_path), on_switch)
    assert monitor.poll_once(now_s=0) is None and monitor.model_set == "full"
    (tmp_path / "ps" / "BAT0" / "capacity").write_text("12\n")
    switch = monitor.poll_once(now_s=1)
    assert switch.model_set == "low-power" and monitor.model_set == "low-power"
    assert seen == [(switch, "powersave")]
    assert (policy / "scaling_max_freq").read_text().strip() == "1000000"
    assert monitor.set_override("full").model_set == "full"
    assert (policy / "scaling_governor").read_text().strip() == "schedutil"


def test_garbled_reading_keeps_the_set(tmp_path, caplog):
    monitor = PowerMonitor(make_rules(tmp_path), lambda s: None)
    (tmp_path / "ps" / "BAT0" / "capacity").write_text("???\n")
    with caplog.at_level(logging.WARNING):
        assert monitor.poll_once(now_s=0) is None
    assert monitor.model_set == "full"
    assert "power reading failed, keeping full" in caplog.text and "capacity" in caplog.text


def test_thread_polls_and_stop_restores_cpu(tmp_path):
    policy = tmp_path / "cpu" / "cpufreq" / "policy0"
    switched = threading.Event()
    monitor = PowerMonitor(make_rules(tmp_path, poll_s=0.05), lambda s: switched.set())
    monitor.start()
    assert monitor.model_set == "full"
    (tmp_path / "ps" / "BAT0" / "capacity").write_text("10\n")
    assert switched.wait(10), "the polling thread never saw the battery drop"
    assert monitor.model_set == "low-power"
    assert (policy / "scaling_governor").read_text().strip() == "powersave"
    monitor.stop()
    assert (policy / "scaling_governor").read_text().strip() == "schedutil"


def test_start_in_configured_low_power_applies_cpu_policy(tmp_path):
    policy = tmp_path / "cpu" / "cpufreq" / "policy0"
    monitor = PowerMonitor(make_rules(tmp_path, model_set="low-power"), lambda s: None)
    monitor.start()
    assert monitor.model_set == "low-power"
    assert (policy / "scaling_governor").read_text().strip() == "powersave"
    monitor.stop()
    assert (policy / "scaling_governor").read_text().strip() == "schedutil"
