"""The hub as a system service: the systemd unit, scripts/install-service.sh (staged under
DESTDIR), the service's starting config, and the commands a user sets it up with."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from hub.cli import build_parser, main
from hub.config_load import load_config
from hub.nlu.model import registry_root
from hub.registry.registry import Registry

REPO = Path(__file__).resolve().parent.parent
UNIT = REPO / "packaging" / "systemd" / "hub.service"
SERVICE_CONFIG = REPO / "packaging" / "systemd" / "config.yaml"
INSTALL = REPO / "scripts" / "install-service.sh"


def unit_entries(path: Path = UNIT) -> dict[str, dict[str, list[str]]]:
    """A unit file as section -> key -> values (a key may repeat; systemd.syntax(7))."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, sep, value = line.partition("=")
        assert sep and current is not None, f"{path}: not a key=value line in a section: {line!r}"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def test_unit_runs_the_long_running_hub_as_its_own_user_with_state_in_var_lib():
    service = unit_entries()["Service"]
    one = {k: v[-1] for k, v in service.items()}
    argv = shlex.split(one["ExecStart"])
    assert argv[0] == "/opt/hub/venv/bin/hub" and argv[-1] == "$HUB_ARGS"
    args = build_parser().parse_args(argv[1:-1])
    assert args.cmd == "serve" and args.config == "/etc/hub/config.yaml"
    assert one["User"] == "hub" and "audio" in one["SupplementaryGroups"].split()
    assert one["Restart"] == "on-failure"
    assert (one["StateDirectory"], one["ConfigurationDirectory"], one["CacheDirectory"]) == ("hub", "hub", "hub")
    assert one["EnvironmentFile"].lstrip("-") == "/etc/hub/hub.env"
    assert "XDG_CACHE_HOME=/var/cache/hub" in one["Environment"].split()
    for key in ("NoNewPrivileges", "ProtectHome", "PrivateTmp"):
        assert one[key] == "yes", key
    assert one["ProtectSystem"] == "strict"
    assert set(one["ReadWritePaths"].split()) == {"/var/lib/hub", "/var/cache/hub"}
    assert unit_entries()["Install"]["WantedBy"] == ["multi-user.target"]


def test_service_config_keeps_everything_the_hub_writes_in_its_state_folder():
    cfg = load_config(SERVICE_CONFIG)
    state = Path("/var/lib/hub")
    assert cfg.path_of(cfg.hub.options.timers_file).parent == state
    assert registry_root(cfg).is_relative_to(state)
    assert cfg.hub.broker is not None and cfg.devices == ()


def test_models_dir_is_beside_the_config_file_and_hub_models_uses_it(tmp_path, capsys):
    reg = tmp_path / "state" / "nlu"
    reg.mkdir(parents=True)
    shutil.copytree(REPO / "models" / "nlu" / "v1", reg / "v1")
    config = tmp_path / "config.yaml"
    config.write_text("models: {dir: state/nlu}\n", encoding="utf-8")
    assert registry_root(load_config(config)) == reg
    assert main(["models", "list", "--config", str(config)]) == 0
    assert capsys.readouterr().out.split()[:2] == ["*", "v1"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_analyze_verifies_the_unit(tmp_path):
    # a root with systemd's own units, the unit, and an executable where the venv's hub will be
    system = Path("/lib/systemd/system")
    if not system.is_dir():
        pytest.skip("no systemd units on this machine to verify against")
    shutil.copytree(system, tmp_path / "usr/lib/systemd/system", symlinks=True)
    hub = tmp_path / "opt/hub/venv/bin/hub"
    hub.parent.mkdir(parents=True)
    hub.write_text("#!/bin/sh\n")
    hub.chmod(0o755)
    (tmp_path / "etc/systemd/system").mkdir(parents=True)
    shutil.copy(UNIT, tmp_path / "etc/systemd/system/hub.service")
    done = subprocess.run(["systemd-analyze", "verify", "--man=no", f"--root={tmp_path}", "hub.service"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr


def _stage(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(INSTALL), "--skip-venv"], env={**os.environ, "DESTDIR": str(root)},
                          capture_output=True, text=True, timeout=120, check=True)


def test_install_script_stages_source_config_secrets_state_and_unit(tmp_path):
    _stage(tmp_path)
    assert (tmp_path / "opt/hub/src/hub/cli.py").is_file()
    assert (tmp_path / "opt/hub/src/models/manifest.json").is_file()
    assert not (tmp_path / "opt/hub/src/.git").exists()
    assert os.readlink(tmp_path / "usr/local/bin/hub") == "/opt/hub/venv/bin/hub"
    assert (tmp_path / "etc/systemd/system/hub.service").read_bytes() == UNIT.read_bytes()
    config = tmp_path / "etc/hub/config.yaml"
    assert config.read_bytes() == SERVICE_CONFIG.read_bytes()
    env = tmp_path / "etc/hub/hub.env"
    assert env.stat().st_mode & 0o777 == 0o640
    assert "HUB_BROKER_PASSWORD=" in env.read_text() and "HUB_ARGS=" in env.read_text()
    # the registry the service config names, seeded with the shipped versions
    registry = Registry(tmp_path / "var/lib/hub/models/nlu")
    assert registry.active() == registry.root / Registry(REPO / "models" / "nlu").active().name


def test_install_script_again_keeps_the_config_and_the_registry(tmp_path):
    _stage(tmp_path)
    config = tmp_path / "etc/hub/config.yaml"
    config.write_text(config.read_text() + "# edited\n")
    shutil.rmtree(tmp_path / "var/lib/hub/models/nlu/v1")
    stale = tmp_path / "opt/hub/src/hub/removed_since.py"
    stale.write_text("")
    out = _stage(tmp_path).stdout
    assert config.read_text().endswith("# edited\n") and "keeping" in out
    assert not (tmp_path / "var/lib/hub/models/nlu/v1").exists()
    assert not stale.exists() and (tmp_path / "opt/hub/src/hub/cli.py").is_file()


def test_version_comes_from_the_package_metadata(capsys):
    from importlib.metadata import version

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"hub {version('hub')}"


def test_mics_lists_input_devices_and_marks_the_default(capsys, monkeypatch):
    from hub.audio.mic import InputDevice

    fake = [InputDevice(0, "Fake USB mic", 1, 48000.0, "ALSA"), InputDevice(3, "Fake array", 4, 16000.0, "ALSA")]
    monkeypatch.setattr("hub.audio.mic.list_input_devices", lambda: fake)
    monkeypatch.setattr("hub.audio.mic.default_input_index", lambda: 3)
    assert main(["mics"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("    0  Fake USB mic") and lines[1].startswith("*   3  Fake array")


def test_mics_without_any_input_says_so(capsys, monkeypatch):
    monkeypatch.setattr("hub.audio.mic.list_input_devices", lambda: [])
    assert main(["mics"]) == 1
    assert "no microphone" in capsys.readouterr().out
