"""Optional cloud sync (off by default): pull signed model updates, push anonymous metrics.

The endpoint serves (paths relative to the endpoint URL, which ends with ``/``)::

    GET  index.json   {"updates": [{"version": "v2", "file": "v2.tar.gz", "size": 123456,
                                    "sha256": "<hex>", "signature": "<base64>"}]}
    GET  v2.tar.gz    a gzip tarball of one version directory (manifest.json + its files, at the
                      top level or in one folder)
    POST metrics      the JSON of :meth:`SyncClient.metrics_payload`

``signature`` is Ed25519 (RFC 8032) by the publisher's key over the 32-byte SHA-256 digest of the
tarball; the hub holds only the public key. An update without a signature, with a bad one, or
whose tarball's size or digest differs from the index is refused; a good one is installed through
the registry (which checks every file's SHA-256 again) and handed to ``on_installed`` (e.g. a
HotSwapper's switch). Versions the registry already has or has marked failed are not pulled again.

Metrics are counts, confidences, latencies and intent names per model version: no audio, no
transcripts (unless ``share_transcripts``), no hub name or device. Without a network nothing
breaks: each request is retried with exponential backoff (bounded), then the round gives up until
the next interval. URLs must be https, except http to a loopback host (for tests).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import logging
import random
import tarfile
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from hub.errors import ConfigError, HubError, ModelIntegrityError, NetworkError
from hub.registry.metrics import UsageMetrics
from hub.registry.registry import MANIFEST, Registry, natural_key, read_manifest
from hub.settings.sync import check_url

log = logging.getLogger(__name__)

INDEX = "index.json"
METRICS = "metrics"
SCHEMA = 1
"""Version of the metrics payload."""


def load_public_key(text: str | bytes):
    """An Ed25519 public key from a PEM block, or 32 raw bytes as 64 hex digits or base64.

    Returns ``cryptography``'s Ed25519PublicKey. Raises ConfigError if it is none of these.
    """
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    raw = text.encode() if isinstance(text, str) else text
    try:
        if raw.lstrip().startswith(b"-----BEGIN"):
            key = load_pem_public_key(raw)
            if not isinstance(key, Ed25519PublicKey):
                raise ValueError("not an Ed25519 key")
            return key
        s = raw.strip().decode("ascii")
        data = bytes.fromhex(s) if len(s) == 64 else base64.b64decode(s, validate=True)
        return Ed25519PublicKey.from_public_bytes(data)
    except (ValueError, UnicodeDecodeError, binascii.Error) as e:
        raise ConfigError([f"sync.public_key: not an Ed25519 public key (PEM, or 32 bytes hex/base64): {e}"]) from e


def sign_update(tarball: bytes, private_key) -> dict:
    """The index entry fields a publisher serves for ``tarball``: ``size``, ``sha256`` (hex) and
    ``signature`` (base64 Ed25519 over the digest). ``private_key``: cryptography's
    Ed25519PrivateKey. The version and file name are added by the caller."""
    digest = hashlib.sha256(tarball).digest()
    return {"size": len(tarball), "sha256": digest.hex(), "signature": base64.b64encode(private_key.sign(digest)).decode()}


def pack_version(version_dir: Path) -> bytes:
    """A gzip tarball of a version directory's manifest and files (the format the index points to)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for p in sorted(Path(version_dir).iterdir()):
            if p.is_file():
                tar.add(p, arcname=p.name)
    return buf.getvalue()


@dataclass
class SyncResult:
    """What one sync round did."""

    installed: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    """Version -> why its update was refused (signature, digest, files)."""
    pushed: bool = False
    """Metrics were accepted by the endpoint."""
    error: str | None = None
    """The network problem that ended the round early, if any."""
    attempts: int = 0
    """HTTP requests tried, retries included."""


class SyncClient:
    """Pulls signed model updates into ``registry`` and pushes anonymous ``metrics``.

    ``endpoint_url``: https (or loopback http) base URL, with or without a trailing ``/``.
    ``public_key``: the publisher's Ed25519 key (see :func:`load_public_key`). ``max_attempts``
    requests per call, waiting ``backoff_s`` * 2^n (capped at ``max_backoff_s``, with up to 10%
    jitter) between them; ``timeout_s`` per request; ``max_download_bytes`` caps a tarball.
    ``sleep(seconds)`` waits between attempts (default: until :meth:`stop`); tests pass a recorder. Raises ConfigError for a bad URL or key.
    """

    def __init__(self, endpoint_url: str, public_key, registry: Registry, *, metrics: UsageMetrics | None = None,
                 share_transcripts: bool = False, on_installed: Callable[[str], object] | None = None,
                 interval_s: float = 3600.0, max_attempts: int = 4, backoff_s: float = 2.0, max_backoff_s: float = 60.0,
                 timeout_s: float = 10.0, max_download_bytes: int = 200 * 2**20,
                 sleep: Callable[[float], object] | None = None):
        self.endpoint = check_url(endpoint_url.rstrip("/") + "/")
        self.public_key = public_key if hasattr(public_key, "verify") else load_public_key(public_key)
        self.registry = registry
        self.metrics = metrics if metrics is not None else UsageMetrics(keep_transcripts=share_transcripts)
        self.share_transcripts = share_transcripts
        self.on_installed = on_installed
        self.interval_s, self.max_attempts = interval_s, max_attempts
        self.backoff_s, self.max_backoff_s, self.timeout_s = backoff_s, max_backoff_s, timeout_s
        self.max_download_bytes = max_download_bytes
        self._stop = threading.Event()
        # By default a backoff wait ends early when stop() is called.
        self.sleep = sleep if sleep is not None else self._stop.wait
        self.delays: list[float] = []
        """Every backoff wait so far, in seconds (for logs and tests)."""
        self._thread: threading.Thread | None = None

    # -- HTTP with retries ---------------------------------------------------------------------

    def _request(self, path: str, result: SyncResult, body: bytes | None = None) -> bytes:
        url = check_url(urllib.parse.urljoin(self.endpoint, path), "sync update URL")
        req = urllib.request.Request(url, data=body, method="POST" if body is not None else "GET",
                                     headers={"Content-Type": "application/json"} if body is not None else {})
        last = ""
        for attempt in range(self.max_attempts):
            if attempt:
                delay = min(self.backoff_s * 2 ** (attempt - 1), self.max_backoff_s) * (1 + 0.1 * random.random())
                self.delays.append(delay)
                self.sleep(delay)
                if self._stop.is_set():
                    break
            result.attempts += 1
            try:
                with urllib.request.urlopen(req, timeout=self.timeout_s) as resp:
                    data = resp.read(self.max_download_bytes + 1)
                if len(data) > self.max_download_bytes:
                    raise ModelIntegrityError(f"{url}: larger than {self.max_download_bytes} bytes")
                return data
            except urllib.error.HTTPError as e:
                if e.code < 500:
                    raise NetworkError(f"{url}: HTTP {e.code} {e.reason}", unreachable=False) from e
                last = f"HTTP {e.code} {e.reason}"
            except (urllib.error.URLError, OSError) as e:
                last = str(getattr(e, "reason", None) or e)
        raise NetworkError(f"{url}: unreachable after {self.max_attempts} attempts ({last})", unreachable=True)

    # -- pull ----------------------------------------------------------------------------------

    def pull(self, result: SyncResult | None = None) -> SyncResult:
        """Fetch the index and install every new, correctly signed update (oldest first).

        Raises NetworkError if the endpoint cannot be reached; a refused update is recorded in
        ``result.refused`` and does not stop the others.
        """
        result = result if result is not None else SyncResult()
        try:
            index = json.loads(self._request(INDEX, result))
            updates = [u for u in index["updates"] if isinstance(u, dict)]
        except (ValueError, KeyError, TypeError) as e:
            raise NetworkError(f"{self.endpoint}{INDEX}: malformed update index ({e})", unreachable=False) from e
        have = {v.version for v in self.registry.list()} | set(self.registry.failed())
        for entry in sorted(updates, key=lambda u: natural_key(str(u.get("version", "")))):
            version = str(entry.get("version", ""))
            if version in have:
                continue
            newest = self.registry.newest_held()
            if newest is not None and natural_key(version) <= natural_key(newest):
                # signed once by us, but not newer than what this hub has held: a downgrade or a replay
                result.refused[version] = f"update {version}: older than {newest}, the newest this hub has held"
                log.warning("model update %s refused: %s", version, result.refused[version])
                continue
            try:
                self._install(entry, result)
            except ModelIntegrityError as e:
                result.refused[version] = str(e)
                log.error("model update %s refused: %s", version, e)
                continue
            result.installed.append(version)
            log.info("model update %s installed", version)
            if self.on_installed is not None:
                try:
                    self.on_installed(version)
                except HubError as e:  # e.g. a switch that needs a missing key: the update stays installed
                    log.error("model update %s installed but not switched to: %s", version, e)
        return result

    def _install(self, entry: dict, result: SyncResult) -> None:
        from cryptography.exceptions import InvalidSignature

        version, name = entry.get("version"), entry.get("file")
        if not entry.get("signature"):
            raise ModelIntegrityError(f"update {version}: unsigned (no 'signature' in the index)")
        if not isinstance(name, str) or not name:
            raise ModelIntegrityError(f"update {version}: no 'file' in the index")
        blob = self._request(name, result)
        digest = hashlib.sha256(blob).digest()
        if digest.hex() != str(entry.get("sha256", "")).lower() or len(blob) != entry.get("size", len(blob)):
            raise ModelIntegrityError(f"update {version}: {name} does not match the index's size and SHA-256")
        try:
            self.public_key.verify(base64.b64decode(entry["signature"], validate=True), digest)
        except (InvalidSignature, ValueError, binascii.Error) as e:
            raise ModelIntegrityError(f"update {version}: bad signature on {name}") from e
        with tempfile.TemporaryDirectory(prefix="hub-update-") as tmp:
            root = Path(tmp)
            try:
                with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as tar:
                    unpacked = sum(m.size for m in tar.getmembers())
                    if unpacked > self.max_download_bytes:
                        raise ModelIntegrityError(f"update {version}: {name} unpacks to {unpacked} bytes, "
                                                  f"more than {self.max_download_bytes}")
                    tar.extractall(root, filter="data")  # refuses links and paths outside root
            except (tarfile.TarError, OSError) as e:
                raise ModelIntegrityError(f"update {version}: {name} is not a readable tarball ({e})") from e
            found = [p.parent for p in root.rglob(MANIFEST)]
            if len(found) != 1:
                raise ModelIntegrityError(f"update {version}: {name} must hold exactly one {MANIFEST}, found {len(found)}")
            named = read_manifest(found[0])["version"]
            if named != version:
                raise ModelIntegrityError(f"update {version}: the tarball's manifest says version {named}")
            self.registry.install(found[0])

    # -- push ----------------------------------------------------------------------------------

    def metrics_payload(self, clear: bool = False) -> dict:
        """The anonymous metrics: ``schema``, ``model_version`` (active), ``versions`` (per
        version: count, mean_confidence, refusals, latency p50/p95 ms, intent counts) and, only
        with ``share_transcripts``, ``transcripts``."""
        snap = self.metrics.snapshot(clear=clear)
        try:
            active = self.registry.active_version()
        except ModelIntegrityError:
            active = None
        payload = {"schema": SCHEMA, "model_version": active, "versions": snap["versions"]}
        if self.share_transcripts:
            payload["transcripts"] = snap.get("transcripts", [])
        return payload

    def push(self, result: SyncResult | None = None) -> SyncResult:
        """POST the metrics; they are cleared only once the endpoint accepted them.
        Raises NetworkError if it cannot be reached."""
        result = result if result is not None else SyncResult()
        payload = self.metrics_payload()
        self._request(METRICS, result, json.dumps(payload).encode())
        self.metrics.snapshot(clear=True)
        result.pushed = True
        return result

    # -- rounds --------------------------------------------------------------------------------

    def sync_once(self) -> SyncResult:
        """One round: pull, then push (skipped if the endpoint proved unreachable). Never raises
        a HubError (network, bad update, registry): it is in the result (``error``, ``refused``)."""
        result = SyncResult()
        errors = []
        for step in (self.pull, self.push):
            try:
                step(result)
            except HubError as e:  # network, an oversized index, an unwritable registry
                errors.append(str(e))
                if isinstance(e, NetworkError) and e.unreachable:
                    break
        if errors:
            result.error = "; ".join(errors)
            log.warning("model sync: %s (next round in %.0f s)", result.error, self.interval_s)
        return result

    def start(self) -> None:
        """Run :meth:`sync_once` now and every ``interval_s`` in a daemon thread until :meth:`stop`."""
        if self._thread is not None:
            return
        self._stop.clear()

        def loop() -> None:
            while not self._stop.is_set():
                try:
                    self.sync_once()
                except Exception:  # the thread must outlive any one bad round
                    log.exception("model sync round failed")
                self._stop.wait(self.interval_s)

        self._thread = threading.Thread(target=loop, name="model-sync", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the background thread (waits for a round in progress)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
