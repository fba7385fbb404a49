"""Optional CPU frequency policy applied when the model set changes.

Writes the kernel's cpufreq policy files ``<root>/cpufreq/policy*/scaling_governor`` and
``scaling_max_freq`` (kHz), checking ``scaling_available_governors`` and ``cpuinfo_min_freq`` /
``cpuinfo_max_freq`` (https://www.kernel.org/doc/html/latest/admin-guide/pm/cpufreq.html).
The values found before the first low-power switch are restored for the full set. Writing
needs root (or a udev rule granting the files); the root is configurable so tests use a
temporary directory.
"""

from __future__ import annotations

from pathlib import Path

from hub.errors import HubError
from hub.power.rules import CpuFreqRules, ModelSetName


class CpuFreqPolicy:
    """Applies :class:`CpuFreqRules` on each model-set change.

    Raises :class:`HubError` at construction if ``<sysfs_root>/cpufreq`` has no ``policy*``
    directory, and from :meth:`apply` naming the file that could not be read or written, or a
    governor the kernel does not offer.
    """

    def __init__(self, rules: CpuFreqRules):
        self.rules = rules
        self.policies = sorted(Path(rules.sysfs_root, "cpufreq").glob("policy*"))
        if not self.policies:
            raise HubError(f"cpufreq: no policy directories under {Path(rules.sysfs_root, 'cpufreq')}")
        self._saved: dict[Path, str] = {}
        """File -> the value it held before the first low-power write."""

    @staticmethod
    def _read(path: Path) -> str:
        try:
            return path.read_text(encoding="ascii").strip()
        except OSError as e:
            raise HubError(f"cpufreq: cannot read {path}: {e.strerror or e}") from e

    @staticmethod
    def _write(path: Path, value: str) -> None:
        try:
            path.write_text(value + "\n", encoding="ascii")
        except OSError as e:
            raise HubError(f"cpufreq: cannot write {value!r} to {path}: {e.strerror or e}") from e

    def _targets(self, policy: Path) -> dict[Path, str]:
        """The low-power values for one policy, by file."""
        r = self.rules
        out: dict[Path, str] = {}
        if r.low_power_governor is not None:
            available = self._read(policy / "scaling_available_governors").split()
            if r.low_power_governor not in available:
                raise HubError(f"cpufreq: governor {r.low_power_governor!r} not offered by {policy} "
                               f"(available: {', '.join(available)})")
            out[policy / "scaling_governor"] = r.low_power_governor
        if r.low_power_max_freq_pct is not None:
            try:
                top = int(self._read(policy / "cpuinfo_max_freq"))
                bottom = int(self._read(policy / "cpuinfo_min_freq"))
            except ValueError as e:
                raise HubError(f"cpufreq: {policy}/cpuinfo_*_freq is not a number of kHz") from e
            out[policy / "scaling_max_freq"] = str(max(bottom, top * r.low_power_max_freq_pct // 100))
        return out

    def apply(self, model_set: ModelSetName) -> dict[str, str]:
        """Write the policy for ``model_set``; returns ``{file: value}`` as written, for the log.

        low-power: remembers each file's current value (once), then writes the targets.
        full: writes back the remembered values (nothing if none were changed).
        """
        written: dict[str, str] = {}
        if model_set == "low-power":
            for policy in self.policies:
                for path, value in self._targets(policy).items():
                    self._saved.setdefault(path, self._read(path))
                    self._write(path, value)
                    written[str(path)] = value
        else:
            for path, value in self._saved.items():
                self._write(path, value)
                written[str(path)] = value
            self._saved.clear()
        return written
