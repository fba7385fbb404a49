#!/usr/bin/env bash
# Install the hub with its test extras (scripts/install.sh --test), then run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh --test
if [ -z "${VIRTUAL_ENV:-}" ]; then py=.venv/bin/python; else py=python; fi
exec "$py" -m pytest "$@"
