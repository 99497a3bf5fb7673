# shellcheck shell=bash
# Pieces the benchmark scripts share; sourced, not run. A script sets `pid` to the
# hallcast it started and `port` to its control port.

pid=
port=

# /metrics wants the operator token unless the server is open; give it one, so that a
# bench runs the server as a show would.
export HALLCAST_BENCH_TOKEN="bench-$RANDOM$RANDOM"

# A free TCP port on the loopback.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Stops the hallcast at $pid as an operator would (SIGINT) and waits for it.
stop_hallcast() {
  if [[ -n $pid ]]; then
    kill -INT "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=
  fi
}

metrics() {
  curl -sf -H "Authorization: Bearer $HALLCAST_BENCH_TOKEN" "http://127.0.0.1:$port/metrics"
}
# The value of one unlabelled metric.
metric() { metrics | awk -v name="$1" '$1 == name {print $2}'; }

# User plus system CPU time of process $1 so far, in clock ticks (see `ticks`).
# shellcheck disable=SC2034  # read by the scripts that source this
ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
