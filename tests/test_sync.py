"""Cloud sync against a small HTTP server on 127.0.0.1 started here: a signed update is installed,
unsigned / badly signed / mismatching / unsafe ones are refused, a server that is down means
bounded backoff and no crash, and pushed metrics hold no transcript unless the user opted in."""

from __future__ import annotations

import io
import json
import tarfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from test_registry_helpers import make_version

from hub.errors import ConfigError
from hub.registry.metrics import UsageMetrics
from hub.registry.sync import SyncClient, check_url, load_public_key, pack_version, sign_update
from hub.types import Command, Understanding


class UpdateServer:
    """Serves ``files`` (path -> bytes) and records POSTed bodies, on 127.0.0.1 at a free port."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.posts: list[tuple[str, bytes]] = []
        self.fail_next = 0
        """Answer this many next GETs with 503 (a server having trouble)."""
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                if server.fail_next:
                    server.fail_next -= 1
                    self.send_error(503)
                    return
                body = server.files.get(self.path.lstrip("/"))
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def do_POST(self):
                server.posts.append((self.path, self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/updates"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def publish(self, version: str, tarball: bytes, **entry) -> None:
        index = json.loads(self.files.get("updates/index.json", b'{"updates": []}'))
        index["updates"].append({"version": version, "file": f"{version}.tar.gz", **entry})
        self.files["updates/index.json"] = json.dumps(index).encode()
        self.files[f"updates/{version}.tar.gz"] = tarball

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = UpdateServer()
    yield s
    s.close()


@pytest.fixture
def signer():
    return Ed25519PrivateKey.generate()


@pytest.fixture
def tarball(tmp_path):
    return pack_version(make_version(tmp_path / "build" / "v2", "v2"))


def _client(server, signer, reg, **kw) -> SyncClient:
    waits = []
    kw.setdefault("sleep", waits.append)
    client = SyncClient(server.url, signer.public_key(), reg, backoff_s=0.5, max_backoff_s=2.0, timeout_s=5.0, **kw)
    client.waits = waits
    return client


def _understanding(text: str) -> Understanding:
    return Understanding(text, "unlock", (Command("front_door", "unlock"),), 0.93)


def test_signed_update_is_installed_and_metrics_pushed(server, signer, reg, tarball):
    server.publish("v2", tarball, **sign_update(tarball, signer))
    installed = []
    client = _client(server, signer, reg, on_installed=installed.append)
    result = client.sync_once()
    assert result.error is None and result.installed == ["v2"] and installed == ["v2"] and result.pushed
    assert {v.version for v in reg.list()} == {"v1", "v2"} and reg.active_version() == "v1"
    assert client.sync_once().installed == []  # already there: not pulled again
    assert [path for path, _ in server.posts] == ["/updates/metrics", "/updates/metrics"]


def test_signed_update_switches_the_running_parser(server, signer, reg, tarball):
    from hub.config_load import load_config
    from hub.nlu import load_parser
    from hub.registry.swap import HotSwapper, self_test_cases

    cfg = load_config("config.yaml")
    running = []
    swapper = HotSwapper(running.append, lambda d: load_parser(cfg, d), reg, self_test_cases(cfg), current_version="v1")
    server.publish("v2", tarball, **sign_update(tarball, signer))
    assert _client(server, signer, reg, on_installed=swapper.switch).sync_once().installed == ["v2"]
    assert reg.active_version() == "v2" and running[-1].model.version == "v2"


def test_bad_signature_is_refused(server, signer, reg, tarball):
    server.publish("v2", tarball, **sign_update(tarball, Ed25519PrivateKey.generate()))
    result = _client(server, signer, reg).sync_once()
    assert result.installed == [] and "bad signature" in result.refused["v2"]
    assert [v.version for v in reg.list()] == ["v1"]


def test_unsigned_update_is_refused(server, signer, reg, tarball):
    entry = sign_update(tarball, signer)
    del entry["signature"]
    server.publish("v2", tarball, **entry)
    result = _client(server, signer, reg).sync_once()
    assert "unsigned" in result.refused["v2"] and [v.version for v in reg.list()] == ["v1"]


def test_tarball_swapped_after_signing_is_refused(server, signer, reg, tarball, tmp_path):
    server.publish("v2", tarball, **sign_update(tarball, signer))
    server.files["updates/v2.tar.gz"] = pack_version(make_version(tmp_path / "other" / "v2", "v2")) + b"\0"
    result = _client(server, signer, reg).sync_once()
    assert "does not match the index" in result.refused["v2"]


def test_signed_update_under_another_version_name_is_refused(server, signer, reg, tmp_path):
    blob = pack_version(make_version(tmp_path / "build" / "v3", "v3"))
    server.publish("v2", blob, **sign_update(blob, signer))
    result = _client(server, signer, reg).sync_once()
    assert "says version v3" in result.refused["v2"] and [v.version for v in reg.list()] == ["v1"]


def test_signed_tarball_escaping_its_folder_is_refused(server, signer, reg):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        info = tarfile.TarInfo("../../evil.txt")
        info.size = 4
        tar.addfile(info, io.BytesIO(b"evil"))
    blob = buf.getvalue()
    server.publish("v3", blob, **sign_update(blob, signer))
    result = _client(server, signer, reg).sync_once()
    assert "v3" in result.refused and [v.version for v in reg.list()] == ["v1"]


def test_server_down_backs_off_and_does_not_crash(signer, reg):
    s = UpdateServer()
    s.close()  # the port is now closed: connection refused
    client = SyncClient(s.url, signer.public_key(), reg, max_attempts=5, backoff_s=0.5, max_backoff_s=2.0,
                        sleep=(waits := []).append)
    result = client.sync_once()
    assert result.error and "unreachable after 5 attempts" in result.error
    assert result.attempts == 5 and not result.pushed
    assert len(waits) == 4
    for wait, base in zip(waits, [0.5, 1.0, 2.0, 2.0]):  # doubling, capped at max_backoff_s, 10% jitter
        assert base <= wait <= base * 1.1
    assert reg.active_version() == "v1"


def test_server_errors_are_retried(server, signer, reg, tarball):
    server.publish("v2", tarball, **sign_update(tarball, signer))
    server.fail_next = 2
    client = _client(server, signer, reg)
    result = client.sync_once()
    assert result.installed == ["v2"] and result.error is None
    assert len(client.waits) == 2 and client.waits[1] > client.waits[0]


def test_background_thread_survives_no_network(signer, reg):
    s = UpdateServer()
    s.close()
    client = SyncClient(s.url, signer.public_key(), reg, max_attempts=2, backoff_s=0.01, interval_s=3600)
    client.start()
    client.stop()
    assert reg.active_version() == "v1"


def test_metrics_hold_no_transcript(server, signer, reg):
    client = _client(server, signer, reg)
    client.metrics.record("v1", _understanding("unlock the front door for the plumber"), 12.5)
    assert client.sync_once().pushed
    [(_, body)] = server.posts
    payload = json.loads(body)
    assert b"plumber" not in body and "transcripts" not in payload
    assert payload["model_version"] == "v1"
    figures = payload["versions"]["v1"]
    assert figures["count"] == 1 and figures["mean_confidence"] == pytest.approx(0.93)
    assert figures["latency_ms_p50"] == pytest.approx(12.5) and figures["intents"] == {"unlock": 1}
    assert client.metrics.snapshot()["versions"] == {}  # cleared once accepted


def test_transcripts_only_when_opted_in(server, signer, reg):
    client = _client(server, signer, reg, share_transcripts=True)
    client.metrics.record("v1", _understanding("unlock the front door for the plumber"), 12.5)
    client.sync_once()
    assert json.loads(server.posts[0][1])["transcripts"] == ["unlock the front door for the plumber"]


def test_metrics_kept_when_the_push_fails(signer, reg):
    s = UpdateServer()
    s.close()
    metrics = UsageMetrics()
    metrics.record("v1", _understanding("x"), 1.0)
    SyncClient(s.url, signer.public_key(), reg, metrics=metrics, max_attempts=1).sync_once()
    assert metrics.snapshot()["versions"]["v1"]["count"] == 1


@pytest.mark.parametrize("url", ["https://models.example.com/hub", "http://127.0.0.1:8080/", "http://localhost/x",
                                 "http://[::1]:9/"])
def test_https_or_loopback_http_accepted(url):
    assert check_url(url) == url


@pytest.mark.parametrize("url", ["http://models.example.com/hub", "http://192.168.1.5/", "ftp://127.0.0.1/", "models"])
def test_other_urls_refused(url):
    with pytest.raises(ConfigError, match="sync.endpoint"):
        check_url(url)


def test_public_key_formats(signer):
    raw = signer.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    pem = signer.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    import base64

    for text in (raw.hex(), base64.b64encode(raw).decode(), pem.decode()):
        assert load_public_key(text).public_bytes(Encoding.Raw, PublicFormat.Raw) == raw
    with pytest.raises(ConfigError, match="sync.public_key"):
        load_public_key("not a key")
