#!/usr/bin/env bash
# CPU (in cores) and memory of `hallcast run` on a config (default: the demo at
# 1280x720@30), measured from /proc over a steady stretch after a warm-up.
#   tests/bench/demo_load.sh [CONFIG] [SECONDS]
# Prints: cores used (user+system CPU time / wall time), RSS at the end and its peak.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

config=${1:-config/demo.json}
seconds=${2:-30}
warmup=5
binary=build/src/app/hallcast
[[ -x $binary ]] || scripts/build.sh >/dev/null

work=$(mktemp -d)
trap 'kill -INT $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
# Recordings go to a scratch folder: run from there with an absolute config path.
config=$(realpath "$config")
# The demo's destinations go live by its cue list: rehearsed so that they do at once.
(cd "$work" && exec "$OLDPWD/$binary" run --config "$config" --log-level warn --first-cue-in 0s) &
pid=$!

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }

sleep "$warmup"
start_cpu=$(cpu_ticks)
start_ns=$(date +%s%N)
sleep "$seconds"
end_cpu=$(cpu_ticks)
end_ns=$(date +%s%N)
rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
hwm_kb=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")

awk -v c=$((end_cpu - start_cpu)) -v t="$ticks" -v ns=$((end_ns - start_ns)) \
    -v rss="$rss_kb" -v hwm="$hwm_kb" -v cfg="$config" 'BEGIN {
  printf "config: %s\n", cfg
  printf "cpu: %.2f cores (over %.1f s after a %d s warm-up)\n", (c / t) / (ns / 1e9), ns / 1e9, '"$warmup"'
  printf "memory: rss %.0f MiB, peak %.0f MiB\n", rss / 1024, hwm / 1024
}'
