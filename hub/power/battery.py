"""Battery and mains state from the kernel's power_supply class in sysfs.

Each supply is a directory ``<root>/<name>/`` with ``type`` (Battery, Mains, USB, ...), and for a
battery ``capacity`` (0-100 %) and ``status`` (Charging, Discharging, Not charging, Full,
Unknown); for mains/USB ``online`` (0/1). Format:
https://www.kernel.org/doc/Documentation/ABI/testing/sysfs-class-power
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hub.errors import HubError

EXTERNAL_STATUSES = {"Charging", "Full", "Not charging"}
"""Battery statuses that mean external power is connected ("Not charging": plugged in, held)."""


@dataclass(frozen=True)
class PowerState:
    """What powers the hub right now."""

    on_battery: bool
    """True when running from the battery alone (no mains, not charging)."""
    level_pct: float | None
    """Battery charge 0..100 %, the mean over batteries; None when there is no battery."""
    status: str
    """Battery status as the kernel says it (e.g. ``Discharging``), or ``mains`` without a battery."""

    def describe(self) -> str:
        """Short text for logs and switch reasons, e.g. ``battery 25% (Discharging)``."""
        if self.level_pct is None:
            return "on mains power (no battery)"
        return f"battery {self.level_pct:.0f}% ({self.status})"


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as e:
        raise HubError(f"power supply: cannot read {path}: {e}") from e


def read_power_state(root: str | Path = "/sys/class/power_supply") -> PowerState:
    """Read every supply under ``root``.

    A directory with a ``capacity`` file counts as a battery even without a ``type`` file. No
    battery, or a missing ``root``, means mains power. Raises :class:`HubError` naming the file
    when a capacity is not a number in 0..100 or a file cannot be read.
    """
    root = Path(root)
    levels: list[float] = []
    statuses: list[str] = []
    mains_online = False
    supplies = sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
    for supply in supplies:
        kind = _read(supply / "type")
        capacity = _read(supply / "capacity")
        if kind == "Battery" or (kind is None and capacity is not None):
            if capacity is None:
                continue
            try:
                level = float(capacity)
            except ValueError:
                level = -1.0
            if not 0 <= level <= 100:
                raise HubError(f"power supply: {supply / 'capacity'} holds {capacity!r}, "
                               "expected a percentage 0..100")
            levels.append(level)
            statuses.append(_read(supply / "status") or "Unknown")
        elif _read(supply / "online") == "1":
            mains_online = True
    if not levels:
        return PowerState(on_battery=False, level_pct=None, status="mains")
    external = mains_online or any(s in EXTERNAL_STATUSES for s in statuses)
    status = next((s for s in statuses if s in EXTERNAL_STATUSES), statuses[0])
    return PowerState(on_battery=not external, level_pct=sum(levels) / len(levels), status=status)
