"""Encryption at rest of a model version: AES-256-GCM with a 32-byte key from a file or the environment.

An encrypted version directory stores each model file ``<name>`` as ``<name>.enc`` = 12-byte
random nonce + ciphertext + 16-byte tag (``cryptography``'s AESGCM, NIST SP 800-38D; see
https://cryptography.io/en/latest/hazmat/primitives/aead/#cryptography.hazmat.primitives.ciphers.aead.AESGCM).
The associated data is ``<version>/<name>``, so a file moved between versions or renamed fails
to decrypt. manifest.json stays readable and gains::

    "encryption": {"algorithm": "AES-256-GCM", "key_id": "<16 hex>", "files": {"<name>.enc": "<sha256>"}}

``key_id`` (HMAC-SHA256 of a fixed label under the key, first 8 bytes) tells a wrong key apart
from a damaged file without revealing the key. At load, :func:`opened` decrypts into a private
temporary directory in RAM (/dev/shm when present), checks the plaintext SHA-256 of every file
against ``files``, and deletes it after the model is loaded.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator, Mapping

from hub.errors import ModelIntegrityError, ModelKeyError
from hub.registry.registry import MANIFEST, check_version_dir, file_sha256, read_manifest

KEY_ENV = "HUB_MODEL_KEY"
ALGORITHM = "AES-256-GCM"
_NONCE_BYTES = 12


def parse_key(text: str, where: str) -> bytes:
    """32 key bytes from 64 hex digits or base64 (standard or URL-safe). ``where`` names the source
    for the error. Raises ModelKeyError if it is neither or not 32 bytes long."""
    text = text.strip()
    try:
        if len(text) == 64:
            key = bytes.fromhex(text)
        else:
            key = base64.b64decode(text.replace("-", "+").replace("_", "/"), validate=True)
    except (ValueError, binascii.Error):
        key = b""
    if len(key) != 32:
        raise ModelKeyError(f"{where}: the model key must be 32 bytes written as 64 hex digits or base64")
    return key


def load_key(key_file: Path | None = None, environ: Mapping[str, str] = os.environ) -> bytes:
    """The model key: from ``key_file`` if given, else the HUB_MODEL_KEY environment variable.

    Returns 32 bytes. Raises ModelKeyError if neither is set, the file is unreadable, or the
    value is malformed.
    """
    if key_file is not None:
        try:
            return parse_key(Path(key_file).read_text(encoding="ascii"), str(key_file))
        except (OSError, UnicodeDecodeError) as e:
            raise ModelKeyError(f"{key_file}: cannot read the model key ({getattr(e, 'strerror', None) or e})") from e
    if environ.get(KEY_ENV):
        return parse_key(environ[KEY_ENV], KEY_ENV)
    raise ModelKeyError(f"this model version is encrypted: set {KEY_ENV} or give a key file")


def key_id(key: bytes) -> str:
    """A public fingerprint of the key (16 hex digits)."""
    return hmac.new(key, b"hub model key id", hashlib.sha256).hexdigest()[:16]


def is_encrypted(version_dir: Path) -> bool:
    """True if the version's manifest has an ``encryption`` section."""
    return "encryption" in read_manifest(version_dir)


def encrypt_version(source: Path, dest: Path, key: bytes) -> Path:
    """Write an encrypted copy of the plaintext version ``source`` to the new directory ``dest``.

    ``source`` is verified first. Returns ``dest``, ready for ``Registry.install``. Raises
    ModelIntegrityError if ``source`` fails its check or is already encrypted, FileExistsError if
    ``dest`` exists.
    """
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    source, dest = Path(source), Path(dest)
    manifest = check_version_dir(source)
    if "encryption" in manifest:
        raise ModelIntegrityError(f"{source}: already encrypted")
    dest.mkdir(parents=True)
    aead = AESGCM(key)
    stored = {}
    for name in manifest["files"]:
        nonce = os.urandom(_NONCE_BYTES)
        blob = nonce + aead.encrypt(nonce, (source / name).read_bytes(), f"{manifest['version']}/{name}".encode())
        (dest / f"{name}.enc").write_bytes(blob)
        stored[f"{name}.enc"] = hashlib.sha256(blob).hexdigest()
    out = {**manifest, "encryption": {"algorithm": ALGORITHM, "key_id": key_id(key), "files": stored}}
    (dest / MANIFEST).write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return dest


def decrypt_version(source: Path, dest: Path, key: bytes) -> Path:
    """Decrypt the encrypted version ``source`` into the existing empty directory ``dest`` and
    verify every plaintext file against the manifest. Returns ``dest``.

    Raises ModelKeyError if ``key`` is not the version's key, ModelIntegrityError if a file is
    missing, altered (GCM tag or SHA-256 mismatch), or the version is not encrypted.
    """
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    source, dest = Path(source), Path(dest)
    manifest = check_version_dir(source)
    enc = manifest.get("encryption")
    if enc is None:
        raise ModelIntegrityError(f"{source}: not an encrypted model version")
    if enc.get("algorithm") != ALGORITHM:
        raise ModelIntegrityError(f"{source}: unsupported encryption {enc.get('algorithm')!r} (known: {ALGORITHM})")
    if enc.get("key_id") != key_id(key):
        raise ModelKeyError(f"{source}: wrong model key (key id {key_id(key)}; this version was encrypted "
                            f"with key id {enc.get('key_id')})")
    aead = AESGCM(key)
    for name, want in manifest["files"].items():
        blob = (source / f"{name}.enc").read_bytes()
        try:
            plain = aead.decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], f"{manifest['version']}/{name}".encode())
        except InvalidTag as e:
            raise ModelIntegrityError(f"{source / (name + '.enc')}: authentication failed (file altered)") from e
        (dest / name).write_bytes(plain)
        if file_sha256(dest / name) != want:
            raise ModelIntegrityError(f"{source / (name + '.enc')}: decrypted SHA-256 does not match the manifest")
    plain_manifest = {k: v for k, v in manifest.items() if k != "encryption"}
    (dest / MANIFEST).write_text(json.dumps(plain_manifest, indent=1) + "\n", encoding="utf-8")
    return dest


@contextlib.contextmanager
def opened(version_dir: Path, key: bytes | None = None, key_file: Path | None = None) -> Iterator[Path]:
    """A plaintext directory of ``version_dir`` for the duration of the block.

    A plaintext version yields itself. An encrypted one is decrypted into a private temporary
    directory in RAM (/dev/shm if present, else the system temp dir), removed on exit; the key is
    ``key``, else :func:`load_key` (``key_file`` or HUB_MODEL_KEY). Raises as
    :func:`decrypt_version` and :func:`load_key`.
    """
    version_dir = Path(version_dir)
    if not is_encrypted(version_dir):
        yield version_dir
        return
    key = key if key is not None else load_key(key_file)
    shm = Path("/dev/shm")
    tmp = Path(tempfile.mkdtemp(prefix="hub-model-", dir=shm if shm.is_dir() and os.access(shm, os.W_OK) else None))
    try:
        yield decrypt_version(version_dir, tmp, key)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
