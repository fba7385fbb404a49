#!/usr/bin/env bash
# Install the hub as a systemd service (packaging/systemd/hub.service) on Debian/Ubuntu, as root:
#   sudo scripts/install-service.sh              everything below, then `systemctl enable hub`
#   sudo scripts/install-service.sh --skip-venv  the same, but keep the virtualenv as it is
#                                                (after editing the unit or the files only)
#   DESTDIR=/tmp/stage scripts/install-service.sh --skip-venv
#                                                stage the files under /tmp/stage to look at them:
#                                                no user, no apt, no systemctl
# What it puts where:
#   /opt/hub/src        a copy of this checkout (models/, intents/, devices/ are read from it)
#   /opt/hub/venv       the hub and its pinned dependencies (pip, with its progress bars)
#   /usr/local/bin/hub  a link to /opt/hub/venv/bin/hub
#   /etc/hub/           config.yaml (packaging/systemd/config.yaml, only if there is none yet)
#                       and hub.env (the broker password, `hub serve` arguments; mode 0640)
#   /var/lib/hub/       state: models/nlu/ (the NLU model registry, seeded from models/nlu/),
#                       timers.json; owned by the system user `hub`
#   /etc/systemd/system/hub.service
# Running it again updates /opt/hub and the unit and keeps /etc/hub and /var/lib/hub.
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
root="${DESTDIR:-}"
prefix=/opt/hub
skip_venv=0
case "${1:-}" in
  --skip-venv) skip_venv=1 ;;
  "") ;;
  *) echo "usage: $0 [--skip-venv]" >&2; exit 2 ;;
esac
step() { echo "==> $*"; }
if [ -z "$root" ] && [ "$(id -u)" -ne 0 ]; then
  echo "$0: run as root (sudo), or set DESTDIR to stage the files elsewhere" >&2; exit 1
fi

if [ -z "$root" ]; then
  step "system packages: mosquitto, PortAudio, python3-venv"
  missing=()
  for p in mosquitto libportaudio2 python3-venv; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
  fi
  if ! getent passwd hub >/dev/null; then
    step "system user hub (home /var/lib/hub, no login shell)"
    useradd --system --user-group --home-dir /var/lib/hub --no-create-home --shell /usr/sbin/nologin hub
  fi
fi

step "source: $src -> $root$prefix/src"
# a fresh copy moved into place, so files removed from the checkout do not linger
mkdir -p "$root$prefix"
rm -rf "$root$prefix/src.new" "$root$prefix/src.old"
mkdir "$root$prefix/src.new"
tar -C "$src" --exclude=./.git --exclude=./.venv --exclude=./bench-out --exclude=__pycache__ \
  --exclude='*.egg-info' --exclude=.pytest_cache -cf - . | tar -C "$root$prefix/src.new" -xf -
[ ! -e "$root$prefix/src" ] || mv "$root$prefix/src" "$root$prefix/src.old"
mv "$root$prefix/src.new" "$root$prefix/src"
rm -rf "$root$prefix/src.old"

if [ "$skip_venv" -eq 0 ]; then
  step "virtualenv $root$prefix/venv: the hub and its pinned dependencies"
  [ -x "$root$prefix/venv/bin/python" ] || python3 -m venv "$root$prefix/venv"
  "$root$prefix/venv/bin/python" -m pip install --upgrade pip
  "$root$prefix/venv/bin/python" -m pip install -e "$root$prefix/src"
fi
mkdir -p "$root/usr/local/bin"
ln -sfn "$prefix/venv/bin/hub" "$root/usr/local/bin/hub"

step "config: $root/etc/hub"
install -d -m 0755 "$root/etc/hub"
if [ -e "$root/etc/hub/config.yaml" ]; then
  echo "    keeping $root/etc/hub/config.yaml"
else
  install -m 0644 "$src/packaging/systemd/config.yaml" "$root/etc/hub/config.yaml"
fi
if [ ! -e "$root/etc/hub/hub.env" ]; then
  install -m 0640 /dev/null "$root/etc/hub/hub.env"
  cat >"$root/etc/hub/hub.env" <<'ENV'
# Read by hub.service (EnvironmentFile=); readable by root and the group hub only.
# The broker password, for `password_env: HUB_BROKER_PASSWORD` under hub.broker in config.yaml:
HUB_BROKER_PASSWORD=
# More arguments of `hub serve`, split at spaces: the microphone (`hub mics` lists them), e.g.
# --mic --device USB (one word of its name, or its number)
HUB_ARGS=--mic
ENV
fi

step "state: $root/var/lib/hub (the NLU model registry and timers)"
install -d -m 0750 "$root/var/lib/hub" "$root/var/lib/hub/models" "$root/var/lib/hub/models/nlu"
if [ -z "$(ls -A "$root/var/lib/hub/models/nlu")" ]; then
  cp -a "$src/models/nlu/." "$root/var/lib/hub/models/nlu/"
else
  echo "    keeping the model versions in $root/var/lib/hub/models/nlu"
fi

step "unit: $root/etc/systemd/system/hub.service"
install -D -m 0644 "$src/packaging/systemd/hub.service" "$root/etc/systemd/system/hub.service"

if [ -z "$root" ]; then
  chown root:hub /etc/hub/hub.env
  chown -R hub:hub /var/lib/hub
  if [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    systemctl enable hub.service
    step "enabled; start it with: systemctl start hub  (logs: journalctl -u hub -f)"
  else
    step "systemd is not running here: the unit is installed but not enabled"
  fi
fi
step "next: add your devices to /etc/hub/config.yaml (README \"Set up your own home\")"
