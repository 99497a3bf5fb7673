#!/usr/bin/env bash
# What sending one show to more destinations costs: the CPU of `hallcast run` with 1 and
# with 5 RTMP destinations, next to ffmpeg doing the same job (the same picture, sound,
# x264 and AAC settings; `-f tee` to the same destinations), all into a private
# nginx-rtmp on 127.0.0.1. Runs alternate: hallcast×1, ffmpeg×1, hallcast×5, ffmpeg×5.
#   tests/bench/fanout.sh [--seconds 20] [--warmup 5] [--rounds 1] [--pattern smpte]
# Fails if a destination got no stream; a missed target only prints "target missed".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

seconds=20 warmup=5 rounds=1 pattern=smpte  # pattern: videotestsrc's, as in the config
usage() { sed -n '2,7s/^# \{0,1\}//p' "$0" >&2; exit 2; }
while (($# >= 2)); do
  case $1 in
    --seconds) seconds=$2 ;;
    --warmup) warmup=$2 ;;
    --rounds) rounds=$2 ;;
    --pattern) pattern=$2 ;;
    *) usage ;;
  esac
  shift 2
done
if (($#)) || ! [[ "$seconds$warmup$rounds" =~ ^[0-9]+$ && $pattern =~ ^[a-z0-9-]+$ ]]; then usage; fi

readonly width=1280 height=720 fps=30 video_kbps=4000 keyframe_s=2 audio_kbps=128 rate=48000
readonly binary=build/src/app/hallcast
source tests/bench/common.sh
[[ -x $binary ]] || scripts/build.sh >/dev/null
for need in "$nginx" "$rtmp_module" ffmpeg gst-launch-1.0 curl ss; do
  [[ -e $need ]] || command -v "$need" >/dev/null || { echo "fanout: no $need (scripts/setup.sh)" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()  # what is measured, hallcast or ffmpeg first
cleanup() {
  stop "$player"
  for p in "${pids[@]}"; do stop "$p"; done
  stop "$nginx_pid"
  rm -rf "$work"
}
trap cleanup EXIT
die() { echo "fanout: FAILED: $*" >&2; exit 1; }

start_nginx_rtmp "$work" || die "nginx did not start: $(cat "$work/nginx-error.log")"

start_hallcast() {  # destinations, stream prefix
  local outputs="" i
  for ((i = 1; i <= $1; i++)); do
    export "FANOUT_KEY_$i=$2$i"
    outputs+="${outputs:+, }{ \"id\": \"d$i\", \"type\": \"rtmp\", \"key_env\": \"FANOUT_KEY_$i\","
    outputs+=" \"url\": \"rtmp://127.0.0.1:$rtmp_port/live\", \"language\": \"floor\" }"
  done
  # One camera, one mic: no booths (so one audio track), no overlays, no captions, no
  # recording. volume 0.125 is the amplitude of ffmpeg's sine source.
  cat >"$work/show.json" <<EOF
{ "video": { "width": $width, "height": $height, "fps": $fps, "bitrate_kbps": $video_kbps,
             "keyframe_interval_s": $keyframe_s },
  "audio": { "sample_rate": $rate, "bitrate_kbps": $audio_kbps },
  "sources": [ { "id": "cam", "kind": "video", "uri": "test:video?pattern=$pattern" },
               { "id": "mic", "kind": "audio", "uri": "test:audio?freq=440&volume=0.125" } ],
  "scenes": [ { "id": "cam", "layers": [ { "source": "cam" } ] } ],
  "outputs": [ $outputs ],
  "control": { "listen": "127.0.0.1:$control_port" } }
EOF
  # A fresh state folder: each run starts as its config says, not as the last one ended.
  (cd "$work" && exec "$OLDPWD/$binary" run --config show.json --log-level warn \
    --state-dir "$(mktemp -d -p .)") >"$work/run.log" 2>&1 &
  pids=($!)
}

start_ffmpeg() {  # destinations, stream prefix
  local targets="" i camera
  for ((i = 1; i <= $1; i++)); do
    targets+="${targets:+|}[f=flv:onfail=ignore]rtmp://127.0.0.1:$rtmp_port/live/$2$i"
  done
  # The picture comes from hallcast's own camera pipeline (lavfi has no videotestsrc
  # patterns), run by gst-launch into a FIFO. Its CPU counts as ffmpeg's.
  camera=$(grep -v '^#' pipelines/source-test-video.pipeline | tr '\n' ' ' |
    sed -e "s/{pattern}/$pattern/; s/{width}/$width/; s/{height}/$height/; s/{fps}/$fps/" \
      -e "s|{video_caps}|video/x-raw,format=I420,width=$width,height=$height,framerate=$fps/1|")
  rm -f "$work/camera.yuv" && mkfifo "$work/camera.yuv"
  # -re: lavfi's sine runs as fast as it can otherwise.
  set_ffmpeg_encode "$video_kbps" "$fps" "$keyframe_s" "$audio_kbps"
  ffmpeg -nostdin -hide_banner -loglevel error -f rawvideo -pix_fmt yuv420p \
    -video_size "${width}x$height" -framerate "$fps" -i "$work/camera.yuv" \
    -re -f lavfi -i "sine=frequency=440:sample_rate=$rate" -map 0:v -map 1:a \
    "${ffmpeg_encode[@]}" -f tee "$targets" >"$work/run.log" 2>&1 &
  pids=($!)
  # shellcheck disable=SC2086  # the pipeline is words for gst-launch to parse
  gst-launch-1.0 -q $camera ! filesink location="$work/camera.yuv" >>"$work/run.log" 2>&1 &
  pids+=($!)
}

measure() {  # tool, destinations, run number (names the streams: r<run>d<destination>)
  local tool=$1 n=$2 prefix="r$3d" i p
  "start_$tool" "$n" "$prefix"
  # The frame rate as delivered: a player on the first destination counts video frames.
  # It starts once the stream exists, and its start-up (probing the stream, then handing
  # on at once what it read meanwhile) must be over before the window.
  start_player "${prefix}1" "$work/progress"
  sleep "$warmup"
  for ((i = 0; i < 100; i++)); do (($(frames_played "$work/progress") > 0)) && break; sleep 0.1; done
  for p in "${pids[@]}"; do
    kill -0 "$p" 2>/dev/null || die "$tool×$n ended in the warm-up: $(tail -n 20 "$work/run.log")"
  done
  (($(frames_played "$work/progress") > 0)) ||
    die "$tool×$n: no video reached the player: $(cat "$work/progress.log")"
  local before after c0 c1 m0 m1 t0 t1 f0 f1 rss
  before=$(stream_bytes) f0=$(frames_played "$work/progress") c0=$(cpu_ticks "${pids[@]}") m0=$(machine_ticks)
  t0=$(date +%s%N)
  sleep "$seconds"
  t1=$(date +%s%N)
  c1=$(cpu_ticks "${pids[@]}") m1=$(machine_ticks) f1=$(frames_played "$work/progress") after=$(stream_bytes)
  rss=$(for p in "${pids[@]}"; do cat "/proc/$p/status"; done | awk '/^VmRSS/ {kb += $2} END {print kb}')
  stop "$player" && player=""
  for p in "${pids[@]}"; do stop "$p"; done
  pids=()

  # Every destination must have received the stream during the window, at no less than
  # half the configured bitrate: otherwise the figures would measure nothing.
  local min_bytes=$(((video_kbps + audio_kbps) * 1000 * seconds / 16)) least
  least=$(least_stream_bytes "$before" "$after" "$prefix" "$n")
  ((least >= min_bytes)) || die "$tool×$n: a destination got $least bytes in $seconds s, not $min_bytes"
  ((f1 > f0)) || die "$tool×$n: the player on destination 1 received no video frames"

  awk -v tool="$tool" -v n="$n" -v c=$((c1 - c0)) -v m=$((m1 - m0)) -v t="$ticks" \
    -v ns=$((t1 - t0)) -v rss="$rss" -v f=$((f1 - f0)) -v b="$least" 'BEGIN {
      wall = ns / 1e9
      printf "%-8s %5d %6.3f %6.2f %7.0f %5.1f %7.0f\n", tool, n, c / t / wall,
        (m - c) / t / wall, rss / 1024, f / wall, b * 8 / 1000 / wall }' |
    tee -a "$work/results"
}

echo "fanout: ${width}x$height@$fps $pattern, video $video_kbps kbit/s, audio $audio_kbps kbit/s;" \
  "$warmup s warm-up, $seconds s window, $rounds round(s)"
printf "%-8s %5s %6s %6s %7s %5s %7s\n" run dests cores other "RSS MiB" fps kbit/s
run=0
for ((round = 1; round <= rounds; round++)); do
  for n in 1 5; do
    for tool in hallcast ffmpeg; do
      measure "$tool" "$n" $((++run))
    done
  done
done

# From the means of the cores over the rounds. The cost of each destination past the
# first is printed too: unlike the ratios, it does not depend on what the picture costs
# to encode.
awk '{ cores[$1 "×" $2] += $3; runs[$1 "×" $2]++ }
  function c(k) { return cores[k] / runs[k] }
  function verdict(what, value, limit) {
    printf "%-38s %5.3f  (target ≤ %.1f: target %s)\n", what, value, limit,
      value <= limit ? "met" : "missed" }
  END {
    printf "\n"
    verdict("hallcast 5 destinations / 1", c("hallcast×5") / c("hallcast×1"), 1.1)
    printf "%-38s %5.3f\n", "ffmpeg 5 destinations / 1", c("ffmpeg×5") / c("ffmpeg×1")
    verdict("hallcast / ffmpeg, 1 destination", c("hallcast×1") / c("ffmpeg×1"), 1.0)
    verdict("hallcast / ffmpeg, 5 destinations", c("hallcast×5") / c("ffmpeg×5"), 1.0)
    printf "%-38s %5.3f hallcast, %.3f ffmpeg\n", "cores per destination past the first",
      (c("hallcast×5") - c("hallcast×1")) / 4, (c("ffmpeg×5") - c("ffmpeg×1")) / 4
  }' "$work/results"
