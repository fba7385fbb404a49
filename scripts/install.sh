#!/usr/bin/env bash
# Install everything hub needs on a fresh Debian/Ubuntu machine (Python 3.11 with pip present).
#   scripts/install.sh          the hub and its runtime system packages
#   scripts/install.sh --test   also the test tools and test-audio sources
set -euo pipefail
cd "$(dirname "$0")/.."
apt_pkgs=(mosquitto libportaudio2)
extras=""
if [ "${1:-}" = "--test" ]; then
  apt_pkgs+=(mosquitto-clients espeak-ng sox pocketsphinx-testdata)
  extras="[test]"
fi
missing=()
for p in "${apt_pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
python3 -m pip install -q -e ".${extras}"
