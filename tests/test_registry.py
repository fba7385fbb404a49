"""Model registry: install (verified, atomic), activate, rollback, prune to the last 3 good versions,
corrupted files refused while the registry stays on the old version, and `hub models` output."""

from __future__ import annotations

import io
import json

import pytest
from test_registry_helpers import REAL_V1, flip_byte, make_version, rehash

from hub.config_load import load_config
from hub.errors import ModelIntegrityError
from hub.nlu import load_parser
from hub.registry import Registry
from hub.registry.cli import cli_models


@pytest.fixture
def staged(tmp_path):
    """``staged(version)``: a copy of the real model, outside the registry, named ``version``."""
    return lambda version: make_version(tmp_path / "staging" / version, version)


def _dirs(reg: Registry) -> list[str]:
    return sorted(p.name for p in reg.root.iterdir() if p.is_dir())


def test_fresh_checkout_has_v1_active(reg):
    assert reg.active() == reg.root / "v1"
    [info] = reg.list()
    assert (info.version, info.status, info.encrypted) == ("v1", "active", False)
    assert info.metrics["intent_accuracy"] > 0.9


def test_install_does_not_activate(reg, staged):
    src = staged("v2")
    assert reg.install(src) == "v2"
    assert reg.active_version() == "v1"
    assert {v.version: v.status for v in reg.list()} == {"v1": "active", "v2": "installed"}
    assert reg.install(src) == "v2"  # the same files again: nothing to do


def test_activate_then_rollback(reg, staged):
    reg.install(staged("v2"))
    assert reg.activate("v2") == "v1"
    assert reg.active() == reg.root / "v2"
    assert reg.rollback() == "v1"
    status = {v.version: v.status for v in reg.list()}
    assert status == {"v1": "active", "v2": "failed"}
    assert reg.failed() == {"v2": "rolled back"}
    state = json.loads((reg.root / "registry.json").read_text())
    assert state["active"] == "v1" and state["good"] == ["v1"]


def test_rollback_without_an_earlier_version_is_refused(reg):
    with pytest.raises(ModelIntegrityError, match="no earlier good model version"):
        reg.rollback()
    assert reg.active_version() == "v1"


def test_last_three_good_versions_are_kept(reg, staged):
    for v in ("v2", "v3", "v4", "v5"):
        reg.install(staged(v))
        reg.activate(v)
    assert _dirs(reg) == ["v3", "v4", "v5"]
    assert json.loads((reg.root / "registry.json").read_text())["good"] == ["v3", "v4", "v5"]
    assert reg.rollback() == "v4"
    assert reg.rollback() == "v3"
    with pytest.raises(ModelIntegrityError):
        reg.rollback()


def test_natural_version_order(tmp_path):
    root = tmp_path / "nlu"
    for v in ("v2", "v10", "v9"):
        make_version(root / v, v)
    assert Registry(root).active_version() == "v10"


def test_corrupted_file_is_refused_at_install_and_nothing_is_left(reg, staged):
    bad = staged("v2")
    flip_byte(bad / "model.onnx")
    with pytest.raises(ModelIntegrityError, match=r"model\.onnx: SHA-256 .* does not match"):
        reg.install(bad)
    assert _dirs(reg) == ["v1"]
    assert reg.active_version() == "v1"


def test_missing_file_is_refused(reg, staged):
    bad = staged("v2")
    (bad / "tokenizer.json").unlink()
    with pytest.raises(ModelIntegrityError, match="tokenizer.json: missing"):
        reg.install(bad)
    assert _dirs(reg) == ["v1"]


def test_same_version_with_other_files_is_refused(reg, staged):
    other = staged("v1")
    (other / "labels.json").write_text(json.dumps({"changed": True}))
    rehash(other)
    with pytest.raises(ModelIntegrityError, match="already installed .* with different files"):
        reg.install(other)


@pytest.mark.parametrize("version", ["../escape", "", "a/b", 7])
def test_unsafe_version_names_are_refused(reg, staged, version):
    src = staged("v2")
    manifest = json.loads((src / "manifest.json").read_text())
    manifest["version"] = version
    (src / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelIntegrityError, match="'version' must be a name"):
        reg.install(src)


def test_installed_file_corrupted_later_cannot_be_activated(reg, staged):
    reg.install(staged("v2"))
    flip_byte(reg.root / "v2" / "model.onnx")
    with pytest.raises(ModelIntegrityError, match="v2/model.onnx"):
        reg.activate("v2")
    assert reg.active_version() == "v1"


def test_rollback_skips_a_corrupted_good_version(reg, staged):
    for v in ("v2", "v3"):
        reg.install(staged(v))
        reg.activate(v)
    flip_byte(reg.root / "v2" / "labels.json")
    assert reg.rollback() == "v1"


def test_the_active_version_loads_with_the_real_model(reg, staged):
    reg.install(staged("v2"))
    reg.activate("v2")
    parser = load_parser(load_config("config.yaml"), reg.active())
    assert parser.model.version == "v2"
    u = parser.parse("turn on the kitchen light", area=None)
    assert [c.device for c in u.commands] == ["kitchen_light"]


def test_cli_models(reg, staged, capsys):
    out = io.StringIO()
    assert cli_models("install", str(staged("v2")), root=reg.root, load=load_parser, out=out) == 0
    assert cli_models("activate", "v2", root=reg.root, load=load_parser, config="config.yaml", out=out) == 0
    assert cli_models("list", root=reg.root, load=load_parser, out=out) == 0
    assert cli_models("rollback", root=reg.root, load=load_parser, out=out) == 0
    text = out.getvalue()
    assert "installed v2" in text and "active: v2 (was v1)" in text and "rolled back from v2 to v1" in text
    assert "* v2" in text and "intent_accuracy" in text
    assert cli_models("activate", "v9", root=reg.root, load=load_parser, config="config.yaml", out=out) == 1
    assert "no model version 'v9'" in capsys.readouterr().err


def test_real_models_folder_is_a_valid_registry():
    reg = Registry(REAL_V1.parent)
    assert reg.active_version() in {v.version for v in reg.list()}
