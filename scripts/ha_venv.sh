#!/usr/bin/env bash
# Build Home Assistant core's own virtualenv for tests/test_real_ha.py and print its `hass` path.
#   scripts/ha_venv.sh [DIR]      DIR defaults to $HUB_HA_VENV or ~/.cache/hub/ha-2024.3.3
# The requirements are scripts/ha-requirements.txt (every package pinned). A virtualenv whose marker
# file (DIR/.hub-requirements: the list's SHA-256 and the Python version) matches is reused as it is;
# anything else at DIR is rebuilt from PyPI. The interpreter is $HUB_HA_PYTHON_BIN, else python3.11,
# else python3 (it must be 3.11 or 3.12: what Home Assistant 2024.3 runs on).
# Progress goes to stderr; stdout is only the path of `hass`, for `export HUB_HASS=$(scripts/ha_venv.sh)`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
reqs="$here/ha-requirements.txt"
dir="${1:-${HUB_HA_VENV:-$HOME/.cache/hub/ha-2024.3.3}}"
py="${HUB_HA_PYTHON_BIN:-$(command -v python3.11 || command -v python3)}"
version="$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
case "$version" in
  3.11|3.12) ;;
  *) echo "ha_venv.sh: $py is Python $version; Home Assistant 2024.3 needs 3.11 or 3.12 (set HUB_HA_PYTHON_BIN)" >&2; exit 1 ;;
esac
marker="$(sha256sum "$reqs" | cut -d' ' -f1) python$version"
if [ -x "$dir/bin/hass" ] && [ "$(cat "$dir/.hub-requirements" 2>/dev/null)" = "$marker" ]; then
  echo "==> Home Assistant's virtualenv $dir is up to date" >&2
else
  echo "==> Home Assistant's virtualenv into $dir (Python $version, $(grep -c '==' "$reqs") pinned packages)" >&2
  # the marker is written last: an interrupted build has none and is built again
  if [ -e "$dir" ] && [ ! -e "$dir/pyvenv.cfg" ] && [ -n "$(ls -A "$dir")" ]; then
    echo "ha_venv.sh: $dir is not a virtualenv; not replacing it" >&2; exit 1
  fi
  rm -rf "$dir"
  mkdir -p "$(dirname "$dir")"
  "$py" -m venv "$dir"
  "$dir/bin/python" -m pip install -q --upgrade pip >&2
  "$dir/bin/python" -m pip install -q -r "$reqs" >&2
  echo "$marker" > "$dir/.hub-requirements"
fi
echo "$dir/bin/hass"
