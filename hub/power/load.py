"""CPU load per core, from the kernel's 1-minute load average.

``/proc/loadavg`` is ``"0.52 0.58 0.59 1/467 12345"``: 1, 5 and 15-minute averages of runnable
tasks (proc(5), https://man7.org/linux/man-pages/man5/proc.5.html). Divided by the cores this
process may run on, 1.0 means every core is busy.
"""

from __future__ import annotations

import os
from pathlib import Path

from hub.errors import HubError


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity), at least 1."""
    return max(1, len(os.sched_getaffinity(0)))


def load_per_core(loadavg_path: str | Path = "/proc/loadavg", cores: int | None = None) -> float:
    """1-minute load average divided by ``cores`` (default: :func:`usable_cores`).

    Falls back to :func:`os.getloadavg` when ``loadavg_path`` does not exist (non-Linux).
    Raises :class:`HubError` if the file does not start with a number.
    """
    path = Path(loadavg_path)
    if path.exists():
        text = path.read_text(encoding="ascii")
        try:
            one_minute = float(text.split()[0])
        except (IndexError, ValueError) as e:
            raise HubError(f"cpu load: {path} starts with {text[:20]!r}, expected a number") from e
    else:
        one_minute = os.getloadavg()[0]
    return one_minute / (cores or usable_cores())
