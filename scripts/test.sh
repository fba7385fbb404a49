#!/usr/bin/env bash
# Install the hub with its test extras, then run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh --test
python3 -m pytest "$@"
