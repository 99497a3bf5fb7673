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

# A private nginx-rtmp on the loopback, live relay only: no recording, so that the
# server's disk writes do not load the machine. One process (master_process off), as the
# test harness runs it (tests/support/nginx_rtmp.cpp). `start_nginx_rtmp DIR` picks three
# neighbouring ports no socket uses (nginx's RTMP and statistics, and one for hallcast's
# control server), below 32768 where the kernel picks the local ports of outgoing
# connections; another program may take one first, and nginx or hallcast then fail to
# start, which the caller catches. It sets rtmp_port, stat_port, control_port and
# nginx_pid, and returns non-zero if nginx does not answer within 5 s.
readonly nginx=/usr/sbin/nginx rtmp_module=/usr/lib/nginx/modules/ngx_rtmp_module.so
rtmp_port= stat_port= control_port= nginx_pid=
stats() { curl -sf "http://127.0.0.1:$stat_port/stat"; }
port_in_use() { [[ -n $(ss -Htan "sport = :$1") ]]; }
start_nginx_rtmp() {
  local dir=$1 _
  rtmp_port=$((10000 + RANDOM % 20000))
  while port_in_use $rtmp_port || port_in_use $((rtmp_port + 1)) ||
    port_in_use $((rtmp_port + 2)); do
    rtmp_port=$((10000 + RANDOM % 20000))
  done
  stat_port=$((rtmp_port + 1)) control_port=$((rtmp_port + 2))
  cat >"$dir/nginx.conf" <<EOF
load_module $rtmp_module;
daemon off;
master_process off;
error_log $dir/nginx-error.log warn;
pid $dir/nginx.pid;
events { worker_connections 256; }
rtmp { server { listen 127.0.0.1:$rtmp_port; chunk_size 4096; application live { live on; } } }
http {
  access_log off;
  client_body_temp_path $dir/body; proxy_temp_path $dir/proxy; fastcgi_temp_path $dir/fcgi;
  uwsgi_temp_path $dir/uwsgi; scgi_temp_path $dir/scgi;
  server { listen 127.0.0.1:$stat_port; location /stat { rtmp_stat all; } }
}
EOF
  "$nginx" -p "$dir/" -c "$dir/nginx.conf" -e "$dir/nginx-error.log" &
  nginx_pid=$!
  for _ in {1..50}; do stats >/dev/null && return 0; sleep 0.1; done
  return 1
}

# Runs `hallcast run` on config $1 as $pid, logging to $2, and waits up to 5 s for its
# control server on $port. If it does not come up: says so naming $3, shows the log, and
# exits the script.
run_hallcast() {
  # A state folder of its own: each run starts as its config says.
  "$binary" run --config "$1" --log-level warn --state-dir "$2.state" >"$2" 2>&1 &
  pid=$!
  local _
  for _ in {1..50}; do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return 0
    sleep 0.1
  done
  echo "hallcast did not come up with $3:" >&2
  cat "$2" >&2
  exit 1
}
