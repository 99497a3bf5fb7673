#!/usr/bin/env bash
# Builds and runs the demo show (test sources, no hardware, no network); extra
# arguments go to `hallcast run`, e.g. scripts/demo.sh --log-level debug.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/build.sh
exec build/src/app/hallcast run --config config/demo.json "$@"
