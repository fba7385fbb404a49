"""Describe the machine a benchmark ran on, so figures can be compared."""

from __future__ import annotations

import datetime
import os
import platform


def machine_info() -> dict:
    """CPU model, core count, memory, Python, OS and the date (UTC)."""
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_gb = None
    try:
        mem_gb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError):
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": mem_gb,
        "python": platform.python_version(),
        "os": platform.platform(),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def machine_line(m: dict) -> str:
    """One line naming the machine of a :func:`machine_info` dict, for benchmark tables."""
    return f"Machine: {m['cpu']}, {m['cores']} cores, {m['python']}, {m['date']}"


def percentile(xs: list[float], q: float, digits: int = 2) -> float | None:
    """The q-th percentile (0-100) of ``xs`` rounded to ``digits``; None for no samples."""
    import numpy as np

    return round(float(np.percentile(xs, q)), digits) if xs else None
