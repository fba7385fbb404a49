"""Encryption at rest: an AES-256-GCM copy of the real model installs, decrypts in RAM and loads;
a wrong key, a missing key and an altered file are refused with a clear error."""

from __future__ import annotations

import base64
import json
import os

import pytest
from test_registry_helpers import flip_byte, make_version

from hub.config_load import load_config
from hub.errors import ModelIntegrityError
from hub.nlu import load_parser
from hub.registry import Registry
from hub.registry.crypto import KEY_ENV, ModelKeyError, encrypt_version, is_encrypted, load_key, opened, parse_key

KEY = bytes(range(32))


@pytest.fixture
def encrypted(tmp_path):
    plain = make_version(tmp_path / "plain" / "v2", "v2")
    return encrypt_version(plain, tmp_path / "enc" / "v2", KEY)


@pytest.fixture(scope="module")
def cfg():
    return load_config("config.yaml")


def test_no_plaintext_model_file_is_stored(encrypted):
    names = sorted(p.name for p in encrypted.iterdir())
    assert names == ["labels.json.enc", "manifest.json", "model.onnx.enc", "tokenizer.json.enc"]
    manifest = json.loads((encrypted / "manifest.json").read_text())
    assert manifest["encryption"]["algorithm"] == "AES-256-GCM"
    assert b"intents" not in (encrypted / "labels.json.enc").read_bytes()


def test_round_trip_through_the_registry_loads_the_real_model(tmp_path, encrypted, cfg):
    reg = Registry(tmp_path / "nlu")
    make_version(reg.root / "v1", "v1")
    reg.install(encrypted)
    reg.activate("v2")
    assert is_encrypted(reg.active())
    assert [v.encrypted for v in reg.list()] == [False, True]
    with opened(reg.active(), KEY) as plain:
        assert plain != reg.active()
        parser = load_parser(cfg, plain)
    assert not plain.exists()  # the plaintext lived only while loading
    u = parser.parse("lock the front door", area=None)
    assert (u.intent, [c.device for c in u.commands]) == ("lock", ["front_door"])


def test_wrong_key_is_a_clear_error(encrypted):
    with pytest.raises(ModelKeyError, match="wrong model key"):
        with opened(encrypted, bytes(32)):
            pass


def test_key_from_env_hex_and_base64(encrypted, tmp_path):
    for text in (KEY.hex(), base64.b64encode(KEY).decode(), base64.urlsafe_b64encode(KEY).decode()):
        assert load_key(environ={KEY_ENV: text}) == KEY
    key_file = tmp_path / "model.key"
    key_file.write_text(KEY.hex() + "\n")
    with opened(encrypted, key_file=key_file) as plain:
        assert (plain / "model.onnx").stat().st_size > 0


def test_missing_or_malformed_key(monkeypatch, encrypted):
    monkeypatch.delenv(KEY_ENV, raising=False)
    with pytest.raises(ModelKeyError, match=KEY_ENV):
        with opened(encrypted):
            pass
    with pytest.raises(ModelKeyError, match="32 bytes"):
        parse_key("abcd", KEY_ENV)


def test_altered_ciphertext_is_refused(encrypted):
    flip_byte(encrypted / "model.onnx.enc")
    with pytest.raises(ModelIntegrityError, match=r"model\.onnx\.enc: SHA-256"):
        with opened(encrypted, KEY):
            pass


def test_ciphertext_altered_with_a_matching_manifest_fails_authentication(encrypted):
    import hashlib

    flip_byte(encrypted / "labels.json.enc")
    manifest = json.loads((encrypted / "manifest.json").read_text())
    manifest["encryption"]["files"]["labels.json.enc"] = hashlib.sha256(
        (encrypted / "labels.json.enc").read_bytes()).hexdigest()
    (encrypted / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelIntegrityError, match="authentication failed"):
        with opened(encrypted, KEY):
            pass


def test_encrypted_copy_replaces_the_plain_one_of_the_same_version(tmp_path):
    reg = Registry(tmp_path / "nlu")
    make_version(reg.root / "v1", "v1")
    reg.install(encrypt_version(reg.root / "v1", tmp_path / "enc" / "v1", KEY))
    assert sorted(os.listdir(reg.root / "v1")) == ["labels.json.enc", "manifest.json", "model.onnx.enc", "tokenizer.json.enc"]
    assert reg.active_version() == "v1"
