"""CPU load per core, from the kernel's 1-minute load average.

``/proc/loadavg`` is ``"0.52 0.58 0.59 1/467 12345"``: 1, 5 and 15-minute averages of runnable
tasks (proc(5), https://man7.org/linux/man-pages/man5/proc.5.html). Divided by the cores this
process may run on, 1.0 means every core is busy. :class:`OthersLoad` leaves out this process's
own share: the hub working through a batch of WAV files is busy, not the machine it shares.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable
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


LOAD_SPAN_S = 60.0
"""The span of the 1-minute load average, over which this process's own CPU use is averaged."""


class OthersLoad:
    """The load per core of everything but this process: the 1-minute load average less the cores
    this process kept busy over the last :data:`LOAD_SPAN_S` (its CPU seconds per wall second,
    from ``own_cpu``: seconds, default :func:`time.process_time`), divided by the cores.
    Call :meth:`per_core` at each poll, with the poll's monotonic time."""

    def __init__(self, own_cpu: Callable[[], float] = time.process_time):
        self.own_cpu = own_cpu
        self._marks: deque[tuple[float, float]] = deque()

    def own_share(self, now_s: float) -> float:
        """Cores this process kept busy since the oldest mark within the span (0 at the first call)."""
        cpu = self.own_cpu()
        self._marks.append((now_s, cpu))
        while len(self._marks) > 2 and now_s - self._marks[1][0] >= LOAD_SPAN_S:
            self._marks.popleft()
        t0, c0 = self._marks[0]
        return max(0.0, (cpu - c0) / (now_s - t0)) if now_s > t0 else 0.0

    def per_core(self, loadavg_path: str | Path, now_s: float, cores: int | None = None) -> float:
        """:func:`load_per_core` without this process's share (never below 0). Raises
        :class:`HubError` as :func:`load_per_core` does."""
        cores = cores or usable_cores()
        return max(0.0, load_per_core(loadavg_path, cores) * cores - self.own_share(now_s)) / cores
