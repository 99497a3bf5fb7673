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

# The engine refreshes its counters every 500 ms: wait for the frame counter to move and
# print "frames nanoseconds" at that moment, so that a rate taken from two of these is
# exact to a frame.
frames_tick() {
  local before now
  before=$(metric hallcast_frames_encoded_total)
  for _ in $(seq 100); do
    now=$(metric hallcast_frames_encoded_total)
    if [[ $now != "$before" ]]; then
      echo "$now $(date +%s%N)"
      return
    fi
    sleep 0.01
  done
  echo "$now $(date +%s%N)"
}
# User plus system CPU time so far of the processes given (all their threads, the ones
# that have ended too), in clock ticks (see `ticks`).
# shellcheck disable=SC2034  # read by the scripts that source this
ticks=$(getconf CLK_TCK)
cpu_ticks() { for p in "$@"; do cat "/proc/$p/stat"; done | awk '{t += $14 + $15} END {print t}'; }
# The whole machine's busy time so far, in clock ticks.
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
# Exits unless every tool named is on the PATH: `need_tools SCRIPT TOOL…`.
need_tools() {
  local who=$1 tool
  shift
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$who needs $tool" >&2; exit 1; }
  done
}
# Camera senders a script started (their pids); `stop_senders` ends them all.
senders=()
stop_senders() {
  local sender
  for sender in "${senders[@]}"; do stop "$sender"; done
  senders=()
}
# Ends process $1 with SIGINT and waits for it: hallcast, ffmpeg and gst-launch end
# cleanly on it, nginx at once. Nothing if $1 is empty.
stop() { if [[ -n $1 ]]; then kill -INT "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; fi; }

# "process thread-id name switches ticks" for every thread of the processes given:
# voluntary plus involuntary context switches so far, and user plus system CPU time in
# clock ticks. The kernel counts switches per thread (a process's own status line is
# its first thread's alone), so a rate is the sum over the threads alive at both ends of
# a window (see `switches_per_s`).
thread_switches() {
  local p t
  for p in "$@"; do
    for t in /proc/"$p"/task/*; do
      awk -v p="$p" -v t="${t##*/}" -v name="$(tr ' ' _ 2>/dev/null <"$t/comm")" \
        -v cpu="$(sed 's/.*) //' "$t/stat" 2>/dev/null | awk '{print $12 + $13}')" '
        /^(non)?voluntary_ctxt_switches/ {n += $2}
        END {if (name != "" && cpu != "") print p, t, name, n, cpu}' "$t/status" 2>/dev/null || true
    done
  done
}
# Context switches per second between two `thread_switches` readings, files $1 and $2,
# $3 seconds apart: the total, or with `by-thread` one line per thread name (threads of
# the same name summed, busiest first): switches per second, cores, threads, name.
switches_per_s() {
  awk -v s="$3" -v by="${4:-}" -v hz="$ticks" '
    NR == FNR {before[$1 " " $2] = $4; cpu[$1 " " $2] = $5; next}
    ($1 " " $2) in before {
      d = ($4 - before[$1 " " $2]) / s; total += d; name[$3] += d; n[$3]++
      cores[$3] += ($5 - cpu[$1 " " $2]) / hz / s
    }
    END {
      if (by != "by-thread") {printf "%.0f\n", total; exit}
      for (k in name) printf "%9.0f %6.3f %3d  %s\n", name[k], cores[k], n[k], k | "sort -rn"
    }' "$1" "$2"
}
# How many threads the processes given have now.
thread_count() { for p in "$@"; do cat "/proc/$p/status"; done | awk '/^Threads:/ {t += $2} END {print t}'; }

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

# "stream bytes_in" for every stream being published, from nginx-rtmp's statistics XML.
stream_bytes() {
  stats | tr '<' '\n' | awk -F'>' '
    $1 == "stream" { inside = 1; name = "" }
    inside && $1 == "name" && name == "" { name = $2 }
    inside && $1 == "bytes_in" { print name, $2; inside = 0 }'
}
# The least that streams $3 1..$4 received between two `stream_bytes` readings $1 and
# $2, in bytes (0 for a stream missing from either).
least_stream_bytes() {
  local least="" i b0 b1 got
  for ((i = 1; i <= $4; i++)); do
    b0=$(awk -v s="$3$i" '$1 == s {print $2}' <<<"$1")
    b1=$(awk -v s="$3$i" '$1 == s {print $2}' <<<"$2")
    got=$((${b1:-0} - ${b0:-0}))
    [[ -z $least || $got -lt $least ]] && least=$got
  done
  echo "${least:-0}"
}

# A player on stream $1 of the private nginx-rtmp (`ffmpeg -c copy`, video only) that
# counts the frames it receives into the progress file $2; its pid is `player`. It waits
# up to 10 s for the stream to be published first: the player gives up on a stream that
# does not exist.
player=
start_player() {
  local _
  for _ in {1..100}; do [[ $(stream_bytes) == *"$1 "* ]] && break; sleep 0.1; done
  : >"$2"
  ffmpeg -nostdin -loglevel error -i "rtmp://127.0.0.1:$rtmp_port/live/$1" -map 0:v \
    -c copy -f null - -stats_period 0.1 -progress "$2" 2>"$2.log" &
  player=$!
}
# The player's video frame count at its last complete progress report in file $1.
frames_played() { awk -F= '$1 == "frame" {f = $2} $1 == "progress" {n = f} END {print n + 0}' "$1"; }

# ffmpeg's encoder flags for what pipelines/encode-video.pipeline and
# encode-audio.pipeline do (see "How the comparison is kept fair" in README.md), for
# video at $1 kbit/s, $2 frames per second, a keyframe every $3 s, and audio at $4
# kbit/s; into the array `ffmpeg_encode`. x264enc's default pass=cbr makes the maxrate
# the bitrate, and vbv-buf-capacity=1000 ms a buffer of one second's bits.
# global_header: FLV needs the codec headers up front, which ffmpeg does not ask the
# encoders for when muxing to tee.
ffmpeg_encode=()
set_ffmpeg_encode() {
  ffmpeg_encode=(-c:v libx264 -preset veryfast -tune zerolatency -profile:v high -pix_fmt yuv420p
    -b:v "${1}k" -maxrate "${1}k" -bufsize "${1}k" -g $(($2 * $3)) -sc_threshold 0
    -c:a aac -b:a "${4}k" -ac 2 -flags +global_header)
}
