#!/usr/bin/env bash
# Builds and runs the demo show (test sources, no hardware, no network); extra
# arguments go to `hallcast run`, e.g. scripts/demo.sh --log-level debug.
#
# The demo is the real event, whose date has passed: it is rehearsed now. Its schedule
# moves so that the first cue (going live, five minutes before the start) runs 20 s
# after launch; the countdown runs down to the start 5 min 20 s after launch, when the
# opening scene is taken. To rehearse at another moment, give --event-start yourself.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/build.sh
rehearsal=(--first-cue-in 20s)
for arg in "$@"; do
  [[ $arg == --event-start* || $arg == --first-cue-in* ]] && rehearsal=()
done
exec build/src/app/hallcast run --config config/demo.json "${rehearsal[@]}" "$@"
