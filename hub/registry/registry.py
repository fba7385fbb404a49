"""Versioned NLU model sets under models/nlu/<version>/, an active pointer and the good history.

Each version directory holds its model files and ``manifest.json`` (written by hub/nlu/train.py):
``version``, ``metrics`` and ``files`` (file name -> SHA-256 hex of the plaintext file). An
encrypted version (hub/registry/crypto.py) stores ``<name>.enc`` files and adds ``encryption``
with the SHA-256 of each encrypted file, so its integrity is checked without the key.

``registry.json`` beside the versions records::

    {"active": "v2", "good": ["v1", "v2"], "failed": {"v3": "self-test: ..."}}

``good`` lists the versions that were activated and not rolled back, oldest first. The last
:data:`KEEP_GOOD` good versions (and the active one) are kept; older good versions and failed
ones are pruned after an install or an activation. Without a registry.json (a fresh checkout),
every version directory counts as good and the newest (natural order: v2 < v10) is active.

Writes are atomic (a temporary file or directory, then ``os.replace``) and serialised between
processes with an advisory lock on ``.registry.lock``, so ``hub models activate`` and a running
hub can share the folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from hub.errors import ModelIntegrityError

STATE_FILE = "registry.json"
MANIFEST = "manifest.json"
KEEP_GOOD = 3
"""Good versions kept on disk for rollback: the last 3."""
VERSION_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_TMP_PREFIX = ".install-"


def natural_key(version: str) -> tuple:
    """Sort key that orders v2 before v10."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", version))


def read_manifest(version_dir: Path) -> dict:
    """Parse ``version_dir/manifest.json`` and check its shape (version name, file names).

    Returns the manifest dict. Raises ModelIntegrityError naming the file and the problem.
    """
    path = Path(version_dir) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise ModelIntegrityError(f"{path}: cannot read the model manifest: {e.strerror or e}") from e
    except ValueError as e:
        raise ModelIntegrityError(f"{path}: not JSON: {e}") from e
    version = manifest.get("version") if isinstance(manifest, dict) else None
    if not isinstance(version, str) or not VERSION_PATTERN.match(version):
        raise ModelIntegrityError(f"{path}: 'version' must be a name like v2 (letters, digits, . _ -), got {version!r}")
    for section in ("files", *(("encryption",) if "encryption" in manifest else ())):
        files = manifest[section] if section == "files" else manifest[section].get("files")
        if not isinstance(files, dict) or not files:
            raise ModelIntegrityError(f"{path}: '{section}' must map file names to SHA-256 digests")
        for name, digest in files.items():
            if Path(name).name != name or name in (".", "..", MANIFEST) or not re.fullmatch(r"[0-9a-f]{64}", str(digest)):
                raise ModelIntegrityError(f"{path}: {section} entry {name!r}: {digest!r} is not a plain file name "
                                          f"with a lower-case SHA-256 hex digest")
    return manifest


def file_sha256(path: Path) -> str:
    """SHA-256 hex of a file, hashed afresh every time: unlike hub.modelset.sha256_of there is no
    cache keyed by mtime, because an install must not trust a file that was touched back."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def stored_files(manifest: dict) -> dict[str, str]:
    """The files as stored on disk (encrypted names when the version is encrypted) -> SHA-256."""
    return manifest["encryption"]["files"] if "encryption" in manifest else manifest["files"]


def check_version_dir(version_dir: Path) -> dict:
    """Verify every stored file of a version directory against its manifest.

    Returns the manifest. Raises ModelIntegrityError listing every missing or mismatching file
    (path, expected and actual digest).
    """
    version_dir = Path(version_dir)
    manifest = read_manifest(version_dir)
    problems = []
    for name, want in stored_files(manifest).items():
        p = version_dir / name
        try:
            got = file_sha256(p)
        except OSError as e:
            problems.append(f"{p}: missing or unreadable ({e.strerror or e})")
            continue
        if got != want:
            problems.append(f"{p}: SHA-256 {got} does not match the manifest ({want})")
    if problems:
        raise ModelIntegrityError("model version refused:\n  " + "\n  ".join(problems))
    return manifest


@dataclass(frozen=True)
class VersionInfo:
    """One installed version, as ``Registry.list()`` reports it."""

    version: str
    path: Path
    status: str
    """``active``, ``good`` (may be rolled back to), ``installed`` (never activated) or ``failed``."""
    metrics: dict
    """The manifest's ``metrics`` (e.g. intent_accuracy), empty if none."""
    encrypted: bool
    note: str = ""
    """Why a failed version failed."""


@dataclass
class _State:
    active: str | None = None
    good: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    newest: str | None = None
    """The newest version (natural order) ever installed here, pruned or not: the floor under
    which a synced update is a downgrade or a replay."""

    def to_json(self) -> dict:
        return {"active": self.active, "good": self.good, "failed": self.failed, "newest": self.newest}


class Registry:
    """The versions under ``root`` (normally models/nlu/) and which one is active.

    Every method that changes something verifies the files it relies on first and leaves the
    registry unchanged when it raises.
    """

    def __init__(self, root: Path):
        self.root = Path(root)

    # -- reading -------------------------------------------------------------------------------

    def _dirs(self) -> list[str]:
        if not self.root.is_dir():
            return []
        found = [p.parent.name for p in self.root.glob(f"*/{MANIFEST}") if not p.parent.name.startswith(".")]
        return sorted(found, key=natural_key)

    def _load(self) -> _State:
        path = self.root / STATE_FILE
        dirs = self._dirs()
        if not path.exists():
            return _State(active=dirs[-1] if dirs else None, good=list(dirs), newest=dirs[-1] if dirs else None)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            state = _State(active=raw.get("active"), good=[str(v) for v in raw.get("good", [])],
                           failed={str(k): str(v) for k, v in raw.get("failed", {}).items()},
                           newest=None if raw.get("newest") is None else str(raw["newest"]))
        except (OSError, ValueError, AttributeError, TypeError) as e:
            raise ModelIntegrityError(f"{path}: unreadable model registry ({e}); fix or delete it") from e
        state.good = [v for v in state.good if v in dirs]
        return state

    def list(self) -> list[VersionInfo]:
        """Every installed version, oldest first (natural order). Reads manifests, hashes nothing."""
        state = self._load()
        out = []
        for v in self._dirs():
            try:
                manifest = read_manifest(self.root / v)
            except ModelIntegrityError as e:
                out.append(VersionInfo(v, self.root / v, "failed", {}, False, str(e)))
                continue
            if v == state.active:
                status = "active"
            elif v in state.failed:
                status = "failed"
            elif v in state.good:
                status = "good"
            else:
                status = "installed"
            out.append(VersionInfo(v, self.root / v, status, dict(manifest.get("metrics", {})),
                                   "encryption" in manifest, state.failed.get(v, "")))
        return out

    def active_version(self) -> str:
        """Name of the active version. Raises ModelIntegrityError if none is installed."""
        state = self._load()
        if state.active is None or not (self.root / state.active / MANIFEST).exists():
            raise ModelIntegrityError(f"no active NLU model in {self.root} (install one: hub models install PATH)")
        return state.active

    def active(self) -> Path:
        """Directory of the active version (not verified here: loading verifies it)."""
        return self.root / self.active_version()

    def path(self, version: str) -> Path:
        """Directory of an installed version. Raises ModelIntegrityError if it is not installed."""
        if not VERSION_PATTERN.match(version) or not (self.root / version / MANIFEST).exists():
            raise ModelIntegrityError(f"no model version {version!r} in {self.root} "
                                      f"(installed: {', '.join(self._dirs()) or 'none'})")
        return self.root / version

    def newest_held(self) -> str | None:
        """The newest version this registry has ever installed (natural order), even if pruned since."""
        state = self._load()
        return max([v for v in (state.newest, *self._dirs()) if v], key=natural_key, default=None)

    def failed(self) -> dict[str, str]:
        """Versions refused by a self-test or rolled back -> why (sync does not pull them again)."""
        return dict(self._load().failed)

    # -- changing ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[_State]:
        """Hold the registry lock; yields the state, written back atomically if the block succeeds."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".registry.lock", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            state = self._load()
            before = json.dumps(state.to_json())
            yield state
            if json.dumps(state.to_json()) != before or not (self.root / STATE_FILE).exists():
                tmp = self.root / f".{STATE_FILE}.tmp"
                tmp.write_text(json.dumps(state.to_json(), indent=1) + "\n", encoding="utf-8")
                os.replace(tmp, self.root / STATE_FILE)

    def install(self, source: Path) -> str:
        """Copy the version directory ``source`` into the registry; it is not activated.

        Every file is verified against the source's manifest before anything is copied, and the
        copy again before it is moved into place with ``os.replace``: a failure leaves nothing
        half-installed. Installing a version already present with the same files does nothing;
        an encrypted copy of an installed plaintext version (same plaintext digests) replaces it.
        Returns the version name. Raises ModelIntegrityError on a missing or mismatching file, or
        if the version is already installed with different files.
        """
        source = Path(source)
        manifest = check_version_dir(source)
        version = manifest["version"]
        with self._locked() as state:
            for stale in self.root.glob(f"{_TMP_PREFIX}*"):
                shutil.rmtree(stale, ignore_errors=True)
            dest = self.root / version
            old = None
            if dest.exists():
                try:
                    existing = read_manifest(dest)
                except ModelIntegrityError:
                    existing = {}
                if existing.get("files") != manifest["files"]:
                    raise ModelIntegrityError(
                        f"{source}: version {version} is already installed in {dest} with different files; "
                        "give the new model another version name")
                if "encryption" in existing and "encryption" not in manifest:
                    raise ModelIntegrityError(
                        f"{source}: version {version} is installed encrypted in {dest}; a plaintext copy "
                        "would undo that (remove the installed version first if that is what you want)")
                if stored_files(existing) == stored_files(manifest):
                    return version
                old = dest
            tmp = Path(tempfile.mkdtemp(prefix=f"{_TMP_PREFIX}{version}-", dir=self.root))
            try:
                for name in [*stored_files(manifest), MANIFEST]:
                    shutil.copyfile(source / name, tmp / name)
                if check_version_dir(tmp) != manifest:
                    raise ModelIntegrityError(f"{source}: its manifest changed while it was being installed")
                if old is not None:
                    # A directory cannot be replaced in one rename: move the old one aside first.
                    aside = Path(tempfile.mkdtemp(prefix=f"{_TMP_PREFIX}old-", dir=self.root))
                    os.replace(old, aside / version)
                    os.replace(tmp, dest)
                    shutil.rmtree(aside, ignore_errors=True)
                else:
                    os.replace(tmp, dest)
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
            state.failed.pop(version, None)
            state.newest = max([v for v in (state.newest, version) if v], key=natural_key)
            self._prune(state, keep=version)
        return version

    def activate(self, version: str) -> str:
        """Make ``version`` the active one after verifying its files.

        Returns the previously active version (None if there was none). Raises
        ModelIntegrityError if it is not installed or a file fails its check; the active version
        is then unchanged.
        """
        check_version_dir(self.path(version))
        with self._locked() as state:
            previous = state.active
            if version in state.good:
                state.good.remove(version)
            state.good.append(version)
            state.active = version
            state.failed.pop(version, None)
            self._prune(state, keep=version)
        return previous

    def rollback(self, reason: str = "rolled back") -> str:
        """Leave the active version for the newest earlier good version whose files verify.

        The version left is marked failed with ``reason``. Returns the new active version.
        Raises ModelIntegrityError if no earlier good version verifies (nothing changes then).
        """
        with self._locked() as state:
            current = state.active
            problems = []
            for candidate in reversed([v for v in state.good if v != current]):
                try:
                    check_version_dir(self.root / candidate)
                except ModelIntegrityError as e:
                    problems.append(str(e))
                    continue
                if current is not None:
                    if current in state.good:
                        state.good.remove(current)
                    state.failed[current] = reason
                state.active = candidate
                return candidate
            raise ModelIntegrityError(f"no earlier good model version to roll back to in {self.root}"
                                      + ("".join("\n  " + p for p in problems)))

    def reject(self, version: str, reason: str) -> str:
        """Record that ``version`` failed (e.g. its self-test); roll back if it is the active one.

        Returns the active version afterwards. Raises ModelIntegrityError as :meth:`rollback`.
        """
        if self._load().active == version:
            return self.rollback(reason)
        with self._locked() as state:
            if version in state.good:
                state.good.remove(version)
            state.failed[version] = reason
            active = state.active
        return active

    def _prune(self, state: _State, keep: str) -> None:
        """Delete good versions older than the last KEEP_GOOD and failed ones (never ``keep`` or the active)."""
        spared = {keep, state.active, *state.good[-KEEP_GOOD:]}
        doomed = [v for v in state.good if v not in spared]
        doomed += [v for v in state.failed if v not in spared and (self.root / v).exists()]
        for v in doomed:
            shutil.rmtree(self.root / v, ignore_errors=True)
        state.good = [v for v in state.good if v not in doomed]
