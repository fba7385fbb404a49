#!/usr/bin/env bash
# Install everything hub needs on a fresh Debian/Ubuntu machine with Python 3.11.
#   scripts/install.sh          the hub (in .venv, unless a virtualenv is already active)
#                               and the system packages it runs with
#   scripts/install.sh --test   also the test tools, the test-audio sources and a headless browser
#   scripts/install.sh --bench  also what `hub bench wake` needs (test audio sources, voices, matplotlib)
# Afterwards `.venv/bin/hub` is the command (or `hub` inside the active virtualenv).
set -euo pipefail
cd "$(dirname "$0")/.."
apt_pkgs=(mosquitto libportaudio2 python3-venv)
extras=""
case "${1:-}" in
  --test) apt_pkgs+=(mosquitto-clients espeak-ng sox pocketsphinx-testdata chromium chromium-driver); extras="[test]" ;;
  --bench) apt_pkgs+=(mosquitto-clients espeak-ng sox pocketsphinx-testdata git); extras="[test,bench]" ;;
esac
missing=()
for p in "${apt_pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> system packages: ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# Debian's own Python refuses system-wide pip installs (PEP 668): use a virtualenv.
if [ -z "${VIRTUAL_ENV:-}" ]; then
  [ -x .venv/bin/python ] || python3 -m venv .venv
  py=.venv/bin/python
else
  py=python
fi
echo "==> the hub and its pinned dependencies into $("$py" -c 'import sys; print(sys.prefix)') (pip shows each download)"
"$py" -m pip install -q --upgrade pip >/dev/null
"$py" -m pip install -e ".${extras}"
echo "==> done: $("$py" -m hub.cli --version)"
