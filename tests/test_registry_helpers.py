"""Helpers (no tests) for the registry tests: copies of the real models/nlu/v1 under other names, intact or altered."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

REAL_V1 = Path(__file__).resolve().parent.parent / "models" / "nlu" / "v1"


def make_version(dest: Path, version: str, *, source: Path = REAL_V1) -> Path:
    """A copy of ``source`` at ``dest`` whose manifest says ``version`` (same model files)."""
    shutil.copytree(source, dest)
    manifest = json.loads((dest / "manifest.json").read_text())
    manifest["version"] = version
    (dest / "manifest.json").write_text(json.dumps(manifest, indent=1))
    return dest


def rehash(version_dir: Path) -> None:
    """Rewrite the manifest's digests from the files as they are now (a consistently built model)."""
    manifest = json.loads((version_dir / "manifest.json").read_text())
    manifest["files"] = {n: hashlib.sha256((version_dir / n).read_bytes()).hexdigest() for n in manifest["files"]}
    (version_dir / "manifest.json").write_text(json.dumps(manifest, indent=1))


def make_bad_model(dest: Path, version: str) -> Path:
    """A well-formed version whose intent labels are rotated: it loads and hashes fine, but reads
    every utterance as the wrong intent (a badly trained model)."""
    make_version(dest, version)
    labels = json.loads((dest / "labels.json").read_text())
    labels["intents"] = labels["intents"][1:] + labels["intents"][:1]
    (dest / "labels.json").write_text(json.dumps(labels))
    rehash(dest)
    return dest


def flip_byte(path: Path) -> None:
    """Corrupt one byte in the middle of a file."""
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
