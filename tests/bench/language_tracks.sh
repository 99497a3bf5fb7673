#!/usr/bin/env bash
# What each interpretation language costs: `hallcast run` on the demo's show at
# 1280x720@30 (three cameras, two microphones, the recording on, no network
# destinations) with 0, 1, 2 and 4 booths. Each booth adds a language track: its mixer,
# ducking, limiter, meter, loudness meter, AAC encoder and one more track in the file.
#   tests/bench/language_tracks.sh [SECONDS]
# For each run, over SECONDS after a warm-up: cores used (user+system CPU time / wall
# time, from /proc), RSS at the end and its peak, and the programme's video frames
# encoded per second with the frames it dropped (from /metrics), which must not move
# with the number of languages. Then the CPU cost of one more language track.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

seconds=${1:-20}
warmup=5
binary=build/src/app/hallcast
[[ -x $binary ]] || scripts/build.sh >/dev/null
for tool in jq curl python3 ffprobe; do
  command -v "$tool" >/dev/null || { echo "language_tracks.sh needs $tool" >&2; exit 1; }
done

# shellcheck source=tests/bench/common.sh
source tests/bench/common.sh
work=$(mktemp -d)
trap 'stop_hallcast; rm -rf "$work"' EXIT

# The booths, in the order they are added; codes the validator accepts (ISO 639, two
# or three lowercase letters). Each speaks in turns, as the demo's booths do.
booths='[
  {"id": "booth-en", "kind": "interpretation", "language": "en",
   "uri": "test:audio?freq=1000&volume=0.3&on_s=2&off_s=3", "label": "English booth"},
  {"id": "booth-ru", "kind": "interpretation", "language": "ru",
   "uri": "test:audio?freq=800&volume=0.3&on_s=3&off_s=4", "label": "Russian booth"},
  {"id": "booth-ja", "kind": "interpretation", "language": "ja",
   "uri": "test:audio?freq=1200&volume=0.3&on_s=2.5&off_s=3.5", "label": "Japanese booth"},
  {"id": "booth-zh", "kind": "interpretation", "language": "zh",
   "uri": "test:audio?freq=1400&volume=0.3&on_s=1.5&off_s=2.5", "label": "Chinese booth"}
]'


results=$work/results
: >"$results"
for languages in 0 1 2 4; do
  port=$(free_port)
  config=$work/show-$languages.json
  # The demo's show, its booths replaced by the first $languages of the list above and
  # its destinations by one recording (live at launch), without the cue list.
  jq --argjson booths "$booths" --argjson n "$languages" --arg port "$port" \
     --arg recordings "$work/recordings-$languages" '
    .video = {width: 1280, height: 720, fps: 30, bitrate_kbps: 3000, keyframe_interval_s: 2}
    | .sources = [.sources[] | select(.kind != "interpretation")] + $booths[0:$n]
    | .outputs = [{id: "rec", name: "Recording", type: "record", path: $recordings}]
    | del(.schedule)
    | .control = {listen: ("127.0.0.1:" + $port), token_env: "HALLCAST_BENCH_TOKEN"}
  ' config/demo.json >"$config"
  "$binary" check --config "$config" >/dev/null

  run_hallcast "$config" "$work/log-$languages" "$languages languages"

  sleep "$warmup"
  start_cpu=$(cpu_ticks "$pid")
  start_frames=$(metric hallcast_frames_encoded_total)
  start_dropped=$(metric hallcast_frames_dropped_total)
  start_ns=$(date +%s%N)
  sleep "$seconds"
  end_cpu=$(cpu_ticks "$pid")
  end_frames=$(metric hallcast_frames_encoded_total)
  end_dropped=$(metric hallcast_frames_dropped_total)
  end_ns=$(date +%s%N)
  rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  hwm_kb=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
  stop_hallcast

  tracks=$(ffprobe -v error -select_streams a -show_entries stream=index -of csv=p=0 \
             "$(ls "$work/recordings-$languages"/*.mkv | head -1)" | wc -l)
  # The engine refreshes its frame counter every 500 ms: the rate is good to about one
  # frame over the window.
  awk -v n="$languages" -v tracks="$tracks" -v c=$((end_cpu - start_cpu)) -v t="$ticks" \
      -v ns=$((end_ns - start_ns)) -v rss="$rss_kb" -v hwm="$hwm_kb" \
      -v frames=$((end_frames - start_frames)) -v dropped=$((end_dropped - start_dropped)) \
      'BEGIN { printf "%d %d %.3f %.0f %.0f %.2f %d\n", n, tracks, (c / t) / (ns / 1e9),
               rss / 1024, hwm / 1024, frames / (ns / 1e9), dropped }' >>"$results"
done

echo "hallcast $(git describe --always --dirty 2>/dev/null || echo '?'), 1280x720@30," \
     "$seconds s per run after a $warmup s warm-up, $(nproc) cores," \
     "load average $(cut -d' ' -f1-3 /proc/loadavg)"
awk '
  BEGIN {
    printf "%-9s %-13s %-7s %-8s %-9s %-13s %s\n", "languages", "audio tracks", "cores",
           "rss MiB", "peak MiB", "video fps", "dropped"
  }
  {
    printf "%-9d %-13d %-7.2f %-8d %-9d %-13.1f %d\n", $1, $2, $3, $4, $5, $6, $7
    n[NR] = $1; cpu[NR] = $3; sx += $1; sy += $3; sxx += $1 * $1; sxy += $1 * $3
  }
  END {
    slope = (NR * sxy - sx * sy) / (NR * sxx - sx * sx)
    printf "cpu per extra language track: %.3f cores (least squares over all runs);", slope
    for (i = 2; i <= NR; ++i) {
      printf " %d->%d: %+.3f", n[i - 1], n[i], (cpu[i] - cpu[i - 1]) / (n[i] - n[i - 1])
    }
    printf " per track\n"
  }' "$work/results"
