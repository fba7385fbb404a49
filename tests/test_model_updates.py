"""Model updates an attacker or an accident could bring: a signed but older version (downgrade or
replay) is refused, a version whose hashes match but whose files are broken is rolled back
instead of crashing the hub or its threads, `hub models activate` always self-tests, and a
plaintext copy never silently replaces an encrypted model."""

from __future__ import annotations

import time

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from test_registry_helpers import make_bad_model, make_version, rehash
from test_sync import UpdateServer

from hub.config_load import load_config
from hub.errors import ModelIntegrityError
from hub.nlu import load_parser
from hub.registry.cli import cli_models
from hub.registry.crypto import encrypt_version
from hub.registry.swap import HotSwapper, load_active, self_test_cases
from hub.registry.sync import SyncClient, pack_version, sign_update

ROOT_CONFIG = "config.yaml"


@pytest.fixture(scope="module")
def cfg():
    return load_config(ROOT_CONFIG)


@pytest.fixture
def server():
    s = UpdateServer()
    yield s
    s.close()


def broken_labels(dest, version):
    """A version whose manifest hashes match its files, but labels.json is not JSON."""
    make_version(dest, version)
    (dest / "labels.json").write_text("{ not json")
    rehash(dest)
    return dest


def test_a_signed_older_version_is_refused_as_a_downgrade_or_replay(server, reg, tmp_path):
    signer = Ed25519PrivateKey.generate()

    def offer(version):
        tarball = pack_version(make_version(tmp_path / "build" / version, version))
        server.publish(version, tarball, **sign_update(tarball, signer))

    client = SyncClient(server.url, signer.public_key(), reg, sleep=lambda s: None)
    offer("v5")
    assert client.sync_once().installed == ["v5"]
    offer("v3")  # signed by the right key, but older than what the hub has held
    result = client.sync_once()
    assert result.installed == [] and "v3" in result.refused, result
    assert "v3" not in {v.version for v in reg.list()}


def test_hashes_match_but_labels_are_not_json_the_switch_rolls_back_without_raising(reg, cfg, tmp_path):
    reg.install(broken_labels(tmp_path / "b" / "v2", "v2"))
    running = []
    swapper = HotSwapper(running.append, lambda d: load_parser(cfg, d), reg, self_test_cases(cfg), current_version="v1")
    result = swapper.switch("v2")
    assert not result.ok and reg.active_version() == "v1" and running == []
    assert any("load" in f for f in result.failures), result.failures


def test_a_broken_active_version_at_start_rolls_back(reg, cfg, tmp_path):
    reg.install(broken_labels(tmp_path / "b" / "v2", "v2"))
    reg.activate("v2")
    parser, version = load_active(reg, lambda d: load_parser(cfg, d), self_test_cases(cfg))
    assert version == "v1" and reg.active_version() == "v1" and "v2" in reg.failed()


def test_the_registry_watcher_survives_a_broken_version(reg, cfg, tmp_path):
    running = []
    swapper = HotSwapper(running.append, lambda d: load_parser(cfg, d), reg, self_test_cases(cfg), current_version="v1")
    swapper.start_watching(0.05)
    try:
        reg.install(broken_labels(tmp_path / "b" / "v2", "v2"))
        reg.activate("v2")  # as `hub models activate` from a process that skipped the self-test
        deadline = time.monotonic() + 20
        while reg.active_version() != "v1" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert reg.active_version() == "v1"
        reg.install(make_version(tmp_path / "g" / "v3", "v3"))
        reg.activate("v3")
        while swapper.version != "v3" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert swapper.version == "v3" and running, "the watcher still follows the registry"
    finally:
        swapper.stop_watching()


def test_activate_always_self_tests(reg, tmp_path, monkeypatch):
    reg.install(make_bad_model(tmp_path / "bad" / "v2", "v2"))
    monkeypatch.chdir(tmp_path)  # another folder: no config.yaml here
    assert cli_models("activate", "v2", root=reg.root, load=load_parser, config="config.yaml") == 1
    assert reg.active_version() == "v1"
    reg.install(broken_labels(tmp_path / "b" / "v3", "v3"))
    assert cli_models("activate", "v3", root=reg.root, load=load_parser, config=str(_repo_config())) == 1
    assert reg.active_version() == "v1"


def test_a_plaintext_copy_does_not_replace_an_encrypted_model(reg, tmp_path):
    plain = make_version(tmp_path / "plain" / "v2", "v2")
    reg.install(encrypt_version(plain, tmp_path / "enc" / "v2", bytes(range(32))))
    with pytest.raises(ModelIntegrityError, match="encrypted"):
        reg.install(plain)
    assert next(v for v in reg.list() if v.version == "v2").encrypted


def _repo_config():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / ROOT_CONFIG
