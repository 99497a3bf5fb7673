#!/usr/bin/env bash
# How many H.264 network cameras one machine carries: `hallcast run` with N SRT cameras
# calling in, at a 1280x720@30 and a 1920x1080@30 programme, with 1280x720@30 (4000
# kbit/s) and 1920x1080@30 (8000 kbit/s) cameras. As in a show: the first camera on air
# with the second as a picture-in-picture, every camera in a grid on the preview bus, a
# microphone, the recording and the HLS output; x264 veryfast at 3000 kbit/s (720p) or
# 6000 kbit/s (1080p programme). Each camera is a 10 s H.264 file (High profile, no
# B-frames, a keyframe a second) sent in a loop in real time by `ffmpeg -c copy` over
# SRT to 127.0.0.1, so that the senders cost next to nothing beside hallcast.
#   tests/bench/capacity.sh [--seconds 20] [--max 16] [--programme 720|1080]
#                           [--camera 720|1080] [--binary build/src/app/hallcast]
# A run carries its N cameras when, over SECONDS after every camera is live and a 5 s
# warm-up, the programme lost no frame (hallcast_frames_dropped_total), ran at 30 fps
# (29.7 to 30.3: exact to the few frames the encoder holds at a time)
# and every camera stayed live. N goes 1, 2, 4, 8… until a run fails, then the largest
# N that carries is found between (N never above --max). --programme and --camera run
# one size only. Prints every run (hallcast's cores, the machine's busy cores, fps,
# frames dropped, cameras live) and the table of largest N.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

seconds=20 max=16 binary=build/src/app/hallcast warmup=5 programmes="720 1080" cameras="720 1080"
usage() { sed -n '2,18s/^# \{0,1\}//p' "$0" >&2; exit 2; }
while (($# >= 2)); do
  case $1 in
    --seconds) seconds=$2 ;;
    --max) max=$2 ;;
    --programme) programmes=$2 ;;
    --camera) cameras=$2 ;;
    --binary) binary=$(realpath -m "$2") ;;
    *) usage ;;
  esac
  shift 2
done
if (($#)) || ! [[ "$seconds$max" =~ ^[0-9]+$ && "$programmes $cameras" =~ ^(720|1080|[ ])+$ ]]; then
  usage
fi
[[ -x $binary || $binary != */build/src/app/hallcast ]] || scripts/build.sh >/dev/null
# shellcheck source=tests/bench/common.sh
source tests/bench/common.sh
need_tools capacity.sh jq curl python3 ffmpeg
work=$(mktemp -d)
trap 'stop_senders; stop_hallcast; rm -rf "$work"' EXIT
die() { echo "capacity.sh: FAILED: $*" >&2; exit 1; }

make_camera() {  # height, kbit/s
  local width=$(($1 * 16 / 9))
  ffmpeg -nostdin -loglevel error -f lavfi -i "testsrc2=size=${width}x$1:rate=30" -t 10 \
    -c:v libx264 -preset veryfast -profile:v high -bf 0 -g 30 -b:v "${2}k" -maxrate "${2}k" \
    -bufsize "${2}k" -pix_fmt yuv420p -f mpegts "$work/cam$1.ts" || die "could not make a camera"
}
make_camera 720 4000
make_camera 1080 8000

cameras_up() {
  metrics | awk '$1 ~ /^hallcast_source_up\{source="cam[0-9]+"/ && $2 == 1 {n++} END {print n + 0}'
}

# "ok|fail cores busy fps dropped up" for one run.
measure() {  # programme height, camera height, cameras
  local prog=$1 cam=$2 n=$3 i
  local width=$((prog * 16 / 9)) kbps=$((prog == 720 ? 3000 : 6000))
  local dir="$work/run-$prog-$cam-$n" srt_ports=()
  mkdir -p "$dir"
  port=$(free_port)
  for ((i = 0; i < n; ++i)); do srt_ports+=("$(free_port)"); done
  jq -n --arg port "$port" --arg dir "$dir" --argjson w "$width" --argjson h "$prog" \
     --argjson kbps "$kbps" --argjson srt "$(printf '%s\n' "${srt_ports[@]}" | jq -sc .)" '
    ($srt | length) as $n | ([1, ($n | sqrt | ceil)] | max) as $cols
    | (($n + $cols - 1) / $cols | floor) as $rows
    | {
      video: {width: $w, height: $h, fps: 30, bitrate_kbps: $kbps, keyframe_interval_s: 2},
      audio: {sample_rate: 48000, bitrate_kbps: 128},
      sources: ([range($n) as $i | {id: "cam\($i + 1)", kind: "video",
                                    uri: "srt://:\($srt[$i])", label: "Camera \($i + 1)"}]
                + [{id: "mic", kind: "audio", uri: "test:audio?freq=440&volume=0.3"}]),
      scenes: [{id: "pip", layers: ([{source: "cam1"}]
                  + (if $n > 1 then [{source: "cam2", x: 0.7, y: 0.05, w: 0.25, h: 0.25}]
                     else [] end))},
               {id: "grid", layers: [range($n) as $i
                  | {source: "cam\($i + 1)", x: (($i % $cols) / $cols),
                     y: (($i / $cols | floor) / $rows), w: (1 / $cols), h: (1 / $rows)}]}],
      outputs: [{id: "rec", type: "record", path: ($dir + "/rec")},
                {id: "hls", type: "hls", path: ($dir + "/hls")}],
      control: {listen: ("127.0.0.1:" + $port), token_env: "HALLCAST_BENCH_TOKEN"}
    }' >"$dir/show.json"
  "$binary" check --config "$dir/show.json" >/dev/null
  "$binary" run --config "$dir/show.json" --log-level warn --state-dir "$dir/state" \
    >"$dir/run.log" 2>&1 &
  pid=$!
  for ((i = 0; i < 100; ++i)); do metrics >/dev/null 2>&1 && break; sleep 0.1; done
  for srt_port in "${srt_ports[@]}"; do
    ffmpeg -nostdin -loglevel error -re -stream_loop -1 -i "$work/cam$cam.ts" -c copy \
      -f mpegts "srt://127.0.0.1:$srt_port?mode=caller" >>"$dir/senders.log" 2>&1 &
    senders+=($!)
  done
  for ((i = 0; i < 200; ++i)); do (($(cameras_up) == n)) && break; sleep 0.1; done
  sleep "$warmup"
  local f0 f1 fns0 fns1 d0 d1 c0 c1 m0 m1 t0 t1 up_min=$n up
  read -r f0 fns0 <<<"$(frames_tick)"
  d0=$(metric hallcast_frames_dropped_total)
  c0=$(cpu_ticks "$pid") m0=$(machine_ticks) t0=$(date +%s%N)
  for ((i = 0; i < seconds; ++i)); do
    sleep 1
    up=$(cameras_up)
    ((up >= up_min)) || up_min=$up
  done
  t1=$(date +%s%N) c1=$(cpu_ticks "$pid") m1=$(machine_ticks)
  read -r f1 fns1 <<<"$(frames_tick)"
  d1=$(metric hallcast_frames_dropped_total)
  stop_senders
  stop_hallcast
  awk -v c=$((c1 - c0)) -v m=$((m1 - m0)) -v t="$ticks" -v ns=$((t1 - t0)) \
      -v f=$((f1 - f0)) -v fns=$((fns1 - fns0)) -v d=$((d1 - d0)) -v up="$up_min" \
      -v n="$n" 'BEGIN {
    wall = ns / 1e9; fps = f / (fns / 1e9)
    ok = d == 0 && fps >= 29.7 && fps <= 30.3 && up == n
    printf "%s %.2f %.2f %.1f %d %d\n", ok ? "ok" : "fail", c / t / wall, m / t / wall, fps, d, up
  }'
}

echo "capacity.sh: hallcast $(git describe --always --dirty 2>/dev/null || echo '?'), $(nproc)" \
  "cores, $seconds s per run after a $warmup s warm-up; $(uptime | sed 's/.*load/load/')"
printf "%-10s %-8s %7s %-5s %8s %10s %5s %8s %10s\n" programme cameras count ok "hallcast" \
  "machine" fps dropped "live (min)"
table=()
for prog in $programmes; do
  for cam in $cameras; do
    best=0 worst=$((max + 1)) n=1
    while ((n < worst && n <= max)); do
      read -r ok cores busy fps dropped up <<<"$(measure "$prog" "$cam" "$n")"
      printf "%-10s %-8s %7d %-5s %8s %10s %5s %8s %10s\n" "${prog}p30" "${cam}p" "$n" "$ok" \
        "$cores" "$busy" "$fps" "$dropped" "$up"
      if [[ $ok == ok ]]; then
        best=$n
        if ((worst > max)); then n=$((n * 2 > max ? max : n * 2)); else n=$(((n + worst) / 2)); fi
        ((n > best)) || n=$((best + 1))
      else
        worst=$n
        n=$(((best + worst) / 2))
        ((n > best)) || break
      fi
    done
    table+=("$(printf "%-12s %-12s %s" "${prog}p30" "${cam}p30" \
      "$best$( ((best >= max)) && echo "+" )")")
  done
done
echo
printf "%-12s %-12s %s\n" programme cameras "carried with no frame lost"
printf '%s\n' "${table[@]}"
