"""Benchmark data kept in a bare git directory (what the ``fetch`` tool returns, or a mirror):
the paths a bench needs, extracted once into the cache with ``git archive``."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

from hub.errors import HubError


def is_bare_git(data: Path) -> bool:
    return (data / "HEAD").is_file() and (data / "objects").is_dir()


def extract(data: Path, paths: tuple[str, ...], cache: Path, name: str, done: str) -> Path:
    """The folder ``cache/<name>-<digest of data's path>`` holding ``paths`` of ``data``'s HEAD,
    extracted on the first call (into a ``.part`` folder, renamed when whole, so an interrupted
    extraction is never taken for one); ``done`` is the path inside it that says it is whole.
    Raises HubError with git's message if ``git archive`` fails."""
    digest = hashlib.sha256(str(data.resolve()).encode()).hexdigest()[:12]
    target = cache / f"{name}-{digest}"
    if not (target / done).exists():
        tmp = target.with_suffix(".part")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        archive = subprocess.run(["git", "--git-dir", str(data), "archive", "HEAD", *paths],
                                 capture_output=True, check=False)
        if archive.returncode != 0:
            raise HubError(f"{data}: git archive HEAD {' '.join(paths)} failed: "
                           f"{archive.stderr.decode(errors='replace').strip()}")
        subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive.stdout, check=True)
        shutil.rmtree(target, ignore_errors=True)
        tmp.rename(target)
    return target
