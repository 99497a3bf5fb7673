#!/usr/bin/env bash
# Beyond one machine (docs/deployment.md), measured:
#  1. audience: hallcast's CPU with no viewers, then with VIEWERS HLS viewers through the
#     audience tier (nginx from `hallcast deploy audience-nginx`), over the same window;
#  2. uplink: the bytes per second leaving the hall for the demo's five platforms,
#     pushed directly, then through the relay (nginx-rtmp from `hallcast deploy
#     relay-nginx`), each language uploaded once.
# The demo's show (config/demo.json: three cameras, two microphones, two booths,
# 1280x720@30 at 3000 kbit/s) on 127.0.0.1; its platforms are one private nginx-rtmp.
#   tests/bench/scale_out.sh [--seconds 60] [--warmup 10] [--viewers 300]
# Fails if a viewer errs or stalls, or a platform gets nothing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

seconds=60 warmup=10 viewers=300
usage() { sed -n '2,11s/^# \{0,1\}//p' "$0" >&2; exit 2; }
while (($# >= 2)); do
  case $1 in
    --seconds) seconds=$2 ;;
    --warmup) warmup=$2 ;;
    --viewers) viewers=$2 ;;
    *) usage ;;
  esac
  shift 2
done
if (($#)) || ! [[ "$seconds$warmup$viewers" =~ ^[0-9]+$ ]]; then usage; fi

readonly binary=build/src/app/hallcast crowd=build/tests/hallcast_test_hls_crowd
source tests/bench/common.sh
[[ -x $binary && -x $crowd ]] || cmake --build build --target hallcast hallcast_test_hls_crowd >/dev/null
for need in "$nginx" "$rtmp_module" curl ss python3; do
  [[ -e $need ]] || command -v "$need" >/dev/null || { echo "scale_out: no $need (scripts/setup.sh)" >&2; exit 1; }
done

work=$(mktemp -d)
chmod 755 "$work"
tier_pid=""
stop() { if [[ -n ${1:-} ]]; then kill -INT "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; fi; }
cleanup() {
  stop_hallcast
  stop "$tier_pid"
  stop "$nginx_pid"
  rm -rf "$work"
}
trap cleanup EXIT
die() { echo "scale_out: FAILED: $*" >&2; exit 1; }

# The platforms: one nginx-rtmp taking every key (rtmp_port, stat_port, control_port).
mkdir -p "$work/platforms"
start_nginx_rtmp "$work/platforms" || die "nginx did not start: $(cat "$work/platforms/nginx-error.log")"
port=$control_port
# Every destination of the demo, with a key, to the local platforms: the rtmps ones as
# plain rtmp (nothing here speaks TLS), which leaves the bytes of the streams the same.
for id in WEBSITE X VK TELEGRAM DZEN; do export "HALLCAST_KEY_$id=bench-$id"; done
export HALLCAST_TOKEN=$HALLCAST_BENCH_TOKEN
show() {  # file, extra top-level JSON (a relay), HLS folder
  python3 - "$1" "$2" "$3" "$rtmp_port" "$control_port" <<'PY'
import json, sys
file, extra, hls, rtmp, control = sys.argv[1:]
config = json.load(open("config/demo.json"))
outputs = []
for output in config["outputs"]:
    if output["type"] == "rtmp":
        output["url"] = f"rtmp://127.0.0.1:{rtmp}/live"
    elif output["type"] == "record":
        continue  # the disk is not what is measured
    elif output["type"] == "hls":
        output["path"] = hls
    output["enabled"] = True  # live at launch, not by the demo's cue list
    outputs.append(output)
config["outputs"] = outputs
config.pop("schedule", None)
config["control"] = {"listen": f"127.0.0.1:{control}", "token_env": "HALLCAST_TOKEN"}
config.update(json.loads(extra or "{}"))
json.dump(config, open(file, "w"), indent=2)
PY
}

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# hallcast's cores over $seconds, now.
cores() {
  local c0 c1 t0 t1
  c0=$(cpu "$pid") t0=$(date +%s%N)
  sleep "$seconds"
  c1=$(cpu "$pid") t1=$(date +%s%N)
  awk -v c=$((c1 - c0)) -v t="$ticks" -v ns=$((t1 - t0)) 'BEGIN {printf "%.3f", c / t / (ns / 1e9)}'
}
# Everything the named nginx has received (its stat's server-wide bytes_in).
bytes_in() { curl -sf "http://127.0.0.1:$1/stat" | tr '<' '\n' | awk -F'>' '$1 == "bytes_in" && !seen {print $2; seen = 1}'; }
rate() {  # stat port: bits per second received over $seconds
  local b0 b1 t0 t1
  b0=$(bytes_in "$1") t0=$(date +%s%N)
  sleep "$seconds"
  b1=$(bytes_in "$1") t1=$(date +%s%N)
  awk -v b=$((b1 - b0)) -v ns=$((t1 - t0)) 'BEGIN {printf "%.0f", b * 8 / (ns / 1e9) / 1000}'
}

echo "scale_out: demo show, $warmup s warm-up, $seconds s windows, $viewers viewers"

# 1. The audience tier.
show "$work/show.json" "" "$work/hls"
run_hallcast "$work/show.json" "$work/run.log" "the demo show"
audience_port=$(free_port)
"$binary" deploy audience-nginx --config "$work/show.json" --listen "127.0.0.1:$audience_port" \
  >"$work/audience.conf"
mkdir -p "$work/audience" && mv "$work/audience.conf" "$work/audience/nginx.conf"
"$nginx" -p "$work/audience/" -c "$work/audience/nginx.conf" -e "$work/audience/error.log" \
  -g "daemon off; master_process off;" &
tier_pid=$!
sleep "$warmup"
idle=$(cores)
"$crowd" --port "$audience_port" --viewers "$viewers" --seconds $((seconds + warmup)) >"$work/crowd.txt" &
crowd_pid=$!
sleep "$warmup"
busy=$(cores)
wait "$crowd_pid" || die "the viewers: $(cat "$work/crowd.txt")"
printf "%-44s %s cores\n" "hallcast, no viewers" "$idle"
printf "%-44s %s cores\n" "hallcast, $viewers viewers through nginx" "$busy"
echo "  viewers: $(cat "$work/crowd.txt")"
stop "$tier_pid" && tier_pid=""
stop_hallcast

# 2. The uplink, direct and through the relay.
show "$work/direct.json" "" "$work/hls"
run_hallcast "$work/direct.json" "$work/direct.log" "five direct pushes"
sleep "$warmup"
direct=$(rate "$stat_port")
stop_hallcast

relay_port=$(free_port) relay_stat=$(free_port)
show "$work/relay.json" "{\"relay\": {\"url\": \"rtmp://127.0.0.1:$relay_port/hall\", \"stat_url\": \"http://127.0.0.1:$relay_stat/stat\"}}" "$work/hls"
mkdir -p "$work/relay"
"$binary" deploy relay-nginx --config "$work/relay.json" --listen "127.0.0.1:$relay_port" \
  -o "$work/relay/nginx.conf"
"$nginx" -p "$work/relay/" -c "$work/relay/nginx.conf" -e "$work/relay/error.log" \
  -g "daemon off; master_process off;" &
tier_pid=$!
run_hallcast "$work/relay.json" "$work/relay.log" "the relay"
sleep "$warmup"
p0=$(bytes_in "$stat_port")
uplink=$(rate "$relay_stat")
p1=$(bytes_in "$stat_port")
((p1 > p0)) || die "the platforms got nothing through the relay: $(tail -n 20 "$work/relay/error.log")"
printf "%-44s %s kbit/s\n" "uplink, five platforms pushed from the hall" "$direct"
printf "%-44s %s kbit/s (platforms received %s kbit/s)\n" "uplink, through the relay" "$uplink" \
  "$(awk -v b=$((p1 - p0)) -v s="$seconds" 'BEGIN {printf "%.0f", b * 8 / s / 1000}')"
awk -v d="$direct" -v r="$uplink" 'BEGIN {printf "%-44s %.2f\n", "relay / direct", r / d}'
