#!/usr/bin/env bash
# What one more network camera costs: `hallcast run` at 1280x720@30 (one test camera on
# air, a microphone, the recording on) with 0, 1 and 2 SRT cameras calling in, each
# sent by a gst-launch encoder of its own (a moving ball, x264 ultrafast, MPEG-TS over
# SRT to 127.0.0.1), at 1280x720@30 (4000 kb/s) and at 1920x1080@30 (8000 kb/s). Each
# camera is decoded and converted to the programme format in its own ingest pipeline,
# and composed on the preview bus.
#   tests/bench/network_cameras.sh [SECONDS]
# For each run, over SECONDS after the cameras are live and a warm-up: the cores used
# by the hallcast process alone (user+system CPU time / wall time, from /proc), its RSS
# at the end and its peak, the programme's video frames per second and frames dropped
# (from /metrics), and the cores the senders used (for the record: they share the
# machine). Then the CPU per decoded camera at each camera size, against no camera.
# Fails (exit 1) if a camera is not live (hallcast_source_up) or the programme is not
# at ~30 fps.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

seconds=${1:-20}
warmup=5
binary=build/src/app/hallcast
[[ -x $binary ]] || scripts/build.sh >/dev/null
# shellcheck source=tests/bench/common.sh
source tests/bench/common.sh
need_tools network_cameras.sh jq curl python3 gst-launch-1.0
work=$(mktemp -d)
trap 'stop_senders; stop_hallcast; rm -rf "$work"' EXIT

# How many of the SRT cameras hallcast_source_up says are live.
cameras_up() {
  metrics | awk '$1 ~ /^hallcast_source_up\{source="srt[0-9]+"/ && $2 == 1 {n++} END {print n + 0}'
}

senders_ticks() {
  local total=0
  for sender in "${senders[@]}"; do
    total=$((total + $(cpu_ticks "$sender")))
  done
  echo "$total"
}

failures=()
results=$work/results
: >"$results"
# "cameras width height bitrate": the runs, the one without cameras first.
runs=("0 0 0 0" "1 1280 720 4000" "2 1280 720 4000" "1 1920 1080 8000" "2 1920 1080 8000")
for run in "${runs[@]}"; do
  read -r cameras width height bitrate <<<"$run"
  label="$cameras@${height}p"
  port=$(free_port)
  srt_ports=()
  for ((i = 0; i < cameras; ++i)); do
    srt_ports+=("$(free_port)")
  done
  config=$work/show-$cameras-$height.json
  # One test camera on air; the SRT cameras side by side on the preview scene.
  jq -n --arg port "$port" --arg recordings "$work/recordings-$cameras-$height" \
     --argjson srt "$(printf '%s\n' "${srt_ports[@]}" | jq -sc 'map(select(. != null))')" '
    ($srt | length) as $n
    | {
      event: {title: "network cameras", speakers: []},
      video: {width: 1280, height: 720, fps: 30, bitrate_kbps: 3000, keyframe_interval_s: 2},
      audio: {sample_rate: 48000, bitrate_kbps: 128},
      sources: ([{id: "cam0", kind: "video", uri: "test:video?pattern=smpte", label: "Test"},
                 {id: "mic1", kind: "audio", uri: "test:audio?freq=440&volume=0.3",
                  label: "Floor"}]
                + [range($n) as $i | {id: "srt\($i + 1)", kind: "video",
                                      uri: "srt://:\($srt[$i])", label: "Camera \($i + 1)"}]),
      scenes: ([{id: "wide", name: "Wide", layers: [{source: "cam0", x: 0, y: 0, w: 1, h: 1}]}]
               + (if $n > 0 then
                    [{id: "cameras", name: "Cameras",
                      layers: [range($n) as $i | {source: "srt\($i + 1)", x: ($i / $n), y: 0,
                                                  w: (1 / $n), h: 1}]}]
                  else [] end)),
      overlays: [],
      outputs: [{id: "rec", name: "Recording", type: "record", path: $recordings}],
      control: {listen: ("127.0.0.1:" + $port), token_env: "HALLCAST_BENCH_TOKEN"}
    }' >"$config"
  "$binary" check --config "$config" >/dev/null

  run_hallcast "$config" "$work/log-$label" "$label"

  for srt_port in "${srt_ports[@]}"; do
    gst-launch-1.0 -q videotestsrc is-live=true pattern=ball \
      ! "video/x-raw,width=$width,height=$height,framerate=30/1" \
      ! x264enc tune=zerolatency speed-preset=ultrafast bitrate="$bitrate" key-int-max=60 \
      ! mpegtsmux ! srtsink uri="srt://127.0.0.1:$srt_port" >"$work/sender-$srt_port" 2>&1 &
    senders+=($!)
  done
  for _ in $(seq 150); do
    (($(cameras_up) == cameras)) && break
    sleep 0.1
  done
  if (($(cameras_up) != cameras)); then
    failures+=("$label: only $(cameras_up) of $cameras cameras live after 15 s")
  fi

  sleep "$warmup"
  read -r start_frames start_frames_ns <<<"$(frames_tick)"
  start_dropped=$(metric hallcast_frames_dropped_total)
  start_cpu=$(cpu_ticks "$pid")
  start_senders=$(senders_ticks)
  start_ns=$(date +%s%N)
  sleep "$seconds"
  end_cpu=$(cpu_ticks "$pid")
  end_senders=$(senders_ticks)
  end_ns=$(date +%s%N)
  read -r end_frames end_frames_ns <<<"$(frames_tick)"
  end_dropped=$(metric hallcast_frames_dropped_total)
  up_at_end=$(cameras_up)
  rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  hwm_kb=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
  stop_senders
  stop_hallcast

  if ((up_at_end != cameras)); then
    failures+=("$label: only $up_at_end of $cameras cameras live at the end of the window")
  fi
  fps=$(awk -v f=$((end_frames - start_frames)) -v ns=$((end_frames_ns - start_frames_ns)) \
          'BEGIN { printf "%.1f", f / (ns / 1e9) }')
  if awk -v fps="$fps" 'BEGIN { exit !(fps < 29 || fps > 31) }'; then
    failures+=("$label: the programme ran at $fps fps, not 30")
  fi
  awk -v n="$cameras" -v h="$height" -v c=$((end_cpu - start_cpu)) -v t="$ticks" \
      -v s=$((end_senders - start_senders)) -v ns=$((end_ns - start_ns)) -v rss="$rss_kb" \
      -v hwm="$hwm_kb" -v fps="$fps" -v dropped=$((end_dropped - start_dropped)) \
      -v up="$up_at_end" \
      'BEGIN { printf "%d %d %.3f %.0f %.0f %s %d %d %.2f\n", n, h, (c / t) / (ns / 1e9),
               rss / 1024, hwm / 1024, fps, dropped, up, (s / t) / (ns / 1e9) }' >>"$results"
done

echo "hallcast $(git describe --always --dirty 2>/dev/null || echo '?'), programme 1280x720@30," \
     "$seconds s per run after the cameras were live and a $warmup s warm-up, $(nproc) cores," \
     "load average $(cut -d' ' -f1-3 /proc/loadavg)"
awk '
  BEGIN {
    printf "%-8s %-10s %-15s %-8s %-9s %-10s %-8s %-11s %s\n", "cameras", "camera", "hallcast cores",
           "rss MiB", "peak MiB", "video fps", "dropped", "cameras up", "sender cores"
  }
  {
    size = $1 == 0 ? "-" : ($2 == 720 ? "1280x720" : "1920x1080")
    printf "%-8d %-10s %-15.2f %-8d %-9d %-10.1f %-8d %-11d %.2f\n", $1, size, $3, $4, $5, $6,
           $7, $8, $9
    if ($1 == 0) { base = $3; base_rss = $4 } else { cpu[$2, $1] = $3; mem[$2, $1] = $4 }
  }
  END {
    for (h = 720; h <= 1080; h += 360) {
      printf "per decoded %s camera (against none): 1 camera %+.3f cores, 2 cameras %+.3f" \
             " cores each; rss %+.0f MiB each\n", h == 720 ? "1280x720" : "1920x1080",
             cpu[h, 1] - base, (cpu[h, 2] - base) / 2, (mem[h, 2] - base_rss) / 2
    }
  }' "$results"

if ((${#failures[@]} > 0)); then
  printf 'FAILED: %s\n' "${failures[@]}" >&2
  exit 1
fi
