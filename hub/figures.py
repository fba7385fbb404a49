"""What every benchmark (`hub bench ...` and each stage's bench.py) reports beside its figures: the
machine it ran on, so figures can be compared, percentiles, and its bench-out/<what>.json and .md."""

from __future__ import annotations

import datetime
import json
import os
import platform
from pathlib import Path


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


def write(result: dict, out_dir: Path, name: str, text: str) -> tuple[Path, Path]:
    """Write ``<name>.json`` and ``<name>.md`` into out_dir; return both paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    j, md = out_dir / f"{name}.json", out_dir / f"{name}.md"
    j.write_text(json.dumps(result, indent=2) + "\n")
    md.write_text(text + "\n")
    return j, md
