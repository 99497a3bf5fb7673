#!/usr/bin/env bash
# The job an operator compares hallcast with, done by `hallcast run` and by one ffmpeg
# command side by side: two 1280x720@30 H.264 cameras decoded, the second as a
# picture-in-picture over the first, x264 veryfast zerolatency at 3000 kbit/s with a
# keyframe every 2 s, AAC at 128 kbit/s, five RTMP destinations on a private nginx-rtmp
# on 127.0.0.1, a recording and an HLS output. hallcast runs as in a show: the preview
# bus holds the next shot, the meters and loudness measurement run. Runs alternate
# (hallcast×5, ffmpeg×5, hallcast×1, ffmpeg×1, then again each round).
#   tests/bench/ffmpeg_job.sh [--seconds 15] [--warmup 5] [--rounds 3] [--profile DIR]
#                             [--binary build/src/app/hallcast] [--before OTHER_BINARY]
# --before: another build of hallcast (the one before a change) run beside this one,
# each round, as the third contender "before"; its ratios to this build are printed.
# --profile DIR: in the first round, `perf record -g` of hallcast×5 and of ffmpeg×5
# over the window into DIR, and each one's context switches per second by thread.
# A run in which a destination got no stream (or too little) is done again, at most
# twice; then the script fails. A missed target only prints "target missed".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

seconds=15 warmup=5 rounds=3 profile="" binary=build/src/app/hallcast before=""
usage() { sed -n '2,15s/^# \{0,1\}//p' "$0" >&2; exit 2; }
while (($# >= 2)); do
  case $1 in
    --seconds) seconds=$2 ;;
    --warmup) warmup=$2 ;;
    --rounds) rounds=$2 ;;
    --profile) profile=$(realpath -m "$2") ;;
    --binary) binary=$(realpath -m "$2") ;;
    --before) before=$(realpath -m "$2") ;;
    *) usage ;;
  esac
  shift 2
done
if (($#)) || ! [[ "$seconds$warmup$rounds" =~ ^[0-9]+$ ]]; then usage; fi

readonly width=1280 height=720 fps=30 video_kbps=3000 keyframe_s=2 audio_kbps=128 rate=48000
# The picture-in-picture: the second camera at a quarter size, near the top right corner.
readonly pip_x=0.7 pip_y=0.05 pip_w=0.25 pip_h=0.25
# shellcheck source=tests/bench/common.sh
source tests/bench/common.sh
[[ -x $binary || $binary != */build/src/app/hallcast ]] || scripts/build.sh >/dev/null
for need in "$nginx" "$rtmp_module" ffmpeg curl ss; do
  [[ -e $need ]] || command -v "$need" >/dev/null || { echo "ffmpeg_job: no $need (scripts/setup.sh)" >&2; exit 1; }
done
[[ -z $before || -x $before ]] || { echo "ffmpeg_job: $before is not a program" >&2; exit 1; }
[[ -z $profile ]] || command -v perf >/dev/null || { echo "ffmpeg_job: no perf" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
  stop "$player"
  for p in "${pids[@]}"; do stop "$p"; done
  stop "$nginx_pid"
  rm -rf "$work"
}
trap cleanup EXIT
die() { echo "ffmpeg_job: FAILED: $*" >&2; exit 1; }

start_nginx_rtmp "$work" || die "nginx did not start: $(cat "$work/nginx-error.log")"

# The two cameras, made once as 20 s H.264 files (High profile, no B-frames, a keyframe
# a second, 4000 kbit/s, as a network camera sends) that both sides loop and decode with
# libavcodec's H.264 decoder (hallcast through avdec_h264). Moving pictures, so that
# the encoders work as they would on a camera.
make_camera() {  # file, filters after the test source
  ffmpeg -nostdin -loglevel error -f lavfi -i "testsrc2=size=${width}x$height:rate=$fps$2" \
    -t 20 -c:v libx264 -preset veryfast -profile:v high -bf 0 -g "$fps" -b:v 4000k \
    -maxrate 4000k -bufsize 4000k -pix_fmt yuv420p "$1" || die "could not make $1"
}
make_camera "$work/cam1.mp4" ""
make_camera "$work/cam2.mp4" ",hue=H=PI*t/5,hflip"

start_hallcast() {  # destinations, stream prefix, run folder
  local outputs="" i
  for ((i = 1; i <= $1; i++)); do
    export "JOB_KEY_$i=$2$i"
    outputs+="{ \"id\": \"d$i\", \"type\": \"rtmp\", \"key_env\": \"JOB_KEY_$i\","
    outputs+=" \"url\": \"rtmp://127.0.0.1:$rtmp_port/live\", \"language\": \"floor\" }, "
  done
  # As in a show: the picture-in-picture on air, the next shot (the second camera) on
  # the preview bus, a microphone (volume 0.125 is the amplitude of ffmpeg's sine
  # source), the recording and the HLS output beside the destinations.
  cat >"$3/show.json" <<EOF
{ "video": { "width": $width, "height": $height, "fps": $fps, "bitrate_kbps": $video_kbps,
             "keyframe_interval_s": $keyframe_s },
  "audio": { "sample_rate": $rate, "bitrate_kbps": $audio_kbps },
  "sources": [ { "id": "cam1", "kind": "video", "uri": "file://$work/cam1.mp4" },
               { "id": "cam2", "kind": "video", "uri": "file://$work/cam2.mp4" },
               { "id": "mic", "kind": "audio", "uri": "test:audio?freq=440&volume=0.125" } ],
  "scenes": [ { "id": "pip", "layers": [
                { "source": "cam1" },
                { "source": "cam2", "x": $pip_x, "y": $pip_y, "w": $pip_w, "h": $pip_h } ] },
              { "id": "cam2", "layers": [ { "source": "cam2" } ] } ],
  "outputs": [ $outputs
    { "id": "rec", "type": "record", "path": "$3/rec" },
    { "id": "hls", "type": "hls", "path": "$3/hls" } ],
  "control": { "listen": "127.0.0.1:$control_port", "token_env": "HALLCAST_BENCH_TOKEN" } }
EOF
  # A fresh state folder: each run starts as its config says, not as the last one ended.
  "$binary" run --config "$3/show.json" --log-level warn --state-dir "$3/state" \
    >"$3/run.log" 2>&1 &
  pids=($!)
}

start_before() {  # as start_hallcast, with the build given by --before
  local binary=$before
  start_hallcast "$@"
}

start_ffmpeg() {  # destinations, stream prefix, run folder
  local targets="" i x y w h
  for ((i = 1; i <= $1; i++)); do
    targets+="[f=flv:onfail=ignore]rtmp://127.0.0.1:$rtmp_port/live/$2$i|"
  done
  # The recording and HLS as hallcast writes them: Matroska, and MPEG-TS segments of
  # twice the keyframe interval in a sliding playlist of 6.
  mkdir -p "$3/hls"
  targets+="[f=matroska:onfail=ignore]$3/rec.mkv|"
  targets+="[f=hls:onfail=ignore:hls_time=$((2 * keyframe_s)):hls_list_size=6:"
  targets+="hls_flags=delete_segments]$3/hls/index.m3u8"
  read -r x y w h < <(awk -v W=$width -v H=$height \
    "BEGIN {print int($pip_x * W), int($pip_y * H), int($pip_w * W), int($pip_h * H)}")
  set_ffmpeg_encode "$video_kbps" "$fps" "$keyframe_s" "$audio_kbps"
  # -re on every input: files and lavfi's sine run as fast as they can otherwise.
  ffmpeg -nostdin -hide_banner -loglevel error \
    -stream_loop -1 -re -i "$work/cam1.mp4" -stream_loop -1 -re -i "$work/cam2.mp4" \
    -re -f lavfi -i "sine=frequency=440:sample_rate=$rate" \
    -filter_complex "[1:v]scale=$w:${h}[pip];[0:v][pip]overlay=$x:${y}[v]" -map "[v]" -map 2:a \
    "${ffmpeg_encode[@]}" -f tee "$targets" >"$3/run.log" 2>&1 &
  pids=($!)
}

# Whether to profile this run: hallcast×5 and ffmpeg×5 in the first round, if asked.
profiling() { [[ -n $profile && $1 == 1 && $2 == 5 ]]; }  # round, destinations

measure() {  # tool, destinations, run number (names the streams: r<run>d<destination>), round
  local tool=$1 n=$2 prefix="r$3d" dir="$work/run-$3" i p
  mkdir -p "$dir"
  "start_$tool" "$n" "$prefix" "$dir"
  # The frame rate as delivered: a player on the first destination counts video frames.
  # Its start-up (probing the stream, then handing on at once what it read meanwhile)
  # must be over before the window.
  start_player "${prefix}1" "$dir/progress"
  sleep "$warmup"
  for ((i = 0; i < 100; i++)); do (($(frames_played "$dir/progress") > 0)) && break; sleep 0.1; done
  for p in "${pids[@]}"; do
    kill -0 "$p" 2>/dev/null || die "$tool×$n ended in the warm-up: $(tail -n 20 "$dir/run.log")"
  done
  (($(frames_played "$dir/progress") > 0)) ||
    die "$tool×$n: no video reached the player: $(cat "$dir/progress.log")"
  local before after c0 c1 m0 m1 t0 t1 f0 f1 threads perf_pid=""
  if profiling "$4" "$n"; then
    mkdir -p "$profile"
    perf record -q -g -p "${pids[0]}" -o "$profile/$tool.data" -- sleep "$seconds" \
      2>"$profile/$tool.perf.log" &
    perf_pid=$!
  fi
  thread_switches "${pids[@]}" >"$dir/switches0"
  before=$(stream_bytes) f0=$(frames_played "$dir/progress") c0=$(cpu_ticks "${pids[@]}")
  m0=$(machine_ticks) t0=$(date +%s%N)
  sleep "$seconds"
  t1=$(date +%s%N)
  c1=$(cpu_ticks "${pids[@]}") m1=$(machine_ticks) f1=$(frames_played "$dir/progress")
  after=$(stream_bytes)
  thread_switches "${pids[@]}" >"$dir/switches1"
  threads=$(thread_count "${pids[@]}")
  [[ -z $perf_pid ]] || wait "$perf_pid" || true
  stop "$player" && player=""
  for p in "${pids[@]}"; do stop "$p"; done
  pids=()

  # Every destination must have received the stream during the window, at no less than
  # half the configured bitrate: otherwise the figures would measure nothing.
  local min_bytes=$(((video_kbps + audio_kbps) * 1000 * seconds / 16)) least wall
  least=$(least_stream_bytes "$before" "$after" "$prefix" "$n")
  if ((least < min_bytes || f1 <= f0)); then
    echo "$tool×$n: a destination got $least bytes in $seconds s (not $min_bytes) or the player" \
      "no frames ($((f1 - f0))); the run does not count. Its log ends:" >&2
    tail -n 6 "$dir/run.log" >&2
    return 1
  fi
  wall=$(awk -v ns=$((t1 - t0)) 'BEGIN {print ns / 1e9}')
  if profiling "$4" "$n"; then
    switches_per_s "$dir/switches0" "$dir/switches1" "$wall" by-thread >"$profile/$tool.threads"
  fi

  awk -v tool="$tool" -v n="$n" -v c=$((c1 - c0)) -v m=$((m1 - m0)) -v t="$ticks" \
    -v wall="$wall" -v threads="$threads" -v f=$((f1 - f0)) -v b="$least" \
    -v cs="$(switches_per_s "$dir/switches0" "$dir/switches1" "$wall")" 'BEGIN {
      printf "%-8s %5d %6.3f %8.1f %7d %8d %6.2f %5.1f %7.0f\n", tool, n, c / t / wall,
        c / t * 1000 / f, threads, cs, (m - c) / t / wall, f / wall, b * 8 / 1000 / wall }' |
    tee -a "$work/results"
}

echo "ffmpeg_job: 2 cameras ${width}x$height@$fps in picture-in-picture, video $video_kbps kbit/s," \
  "audio $audio_kbps kbit/s, recording and HLS; $warmup s warm-up, $seconds s window," \
  "$rounds round(s); $(uptime | sed 's/.*load/load/')"
printf "%-8s %5s %6s %8s %7s %8s %6s %5s %7s\n" run dests cores ms/frame threads "switch/s" \
  other fps kbit/s
run=0
for ((round = 1; round <= rounds; round++)); do
  for n in 5 1; do
    for tool in hallcast ffmpeg ${before:+before}; do
      for attempt in 1 2 3; do
        measure "$tool" "$n" $((++run)) "$round" && break
        ((attempt < 3)) || die "$tool×$n: no valid run in $attempt attempts"
      done
    done
  done
done

# From the means over the rounds, and from each round alone: the two runs of a ratio
# are minutes apart within a round, so a host whose speed drifts over the run (a shared
# machine's does) moves the round's ratio less than the means; the median of the
# rounds' ratios and their range show how far to trust a difference.
# The ratios are of CPU time per frame delivered: where the machine's other load starves
# one side (fewer frames per second), it compares the same work still.
awk '{ k = $1 "×" $2; cores[k] += $3; ms[k] += $4; threads[k] += $5; cs[k] += $6
       runs[k]++; per_run[k, runs[k]] = $4 }
  function c(k) { return ms[k] / runs[k] }
  # The ratio a / b of the means, then the median of the rounds ratios and their range.
  function ratio(what, a, b, limit,   i, j, n, r, x, text) {
    n = runs[a] < runs[b] ? runs[a] : runs[b]
    for (i = 1; i <= n; i++) {
      x = per_run[a, i] / per_run[b, i]
      for (j = i - 1; j >= 1 && r[j] > x; j--) r[j + 1] = r[j]
      r[j + 1] = x
    }
    text = sprintf("%-36s %5.3f  rounds: median %5.3f, %5.3f to %5.3f", what, c(a) / c(b),
                   n % 2 ? r[(n + 1) / 2] : (r[n / 2] + r[n / 2 + 1]) / 2, r[1], r[n])
    if (limit) text = text sprintf("  (target ≤ %.2f: target %s)", limit,
                                   c(a) / c(b) <= limit ? "met" : "missed")
    print text }
  END {
    printf "\n%-12s %6s %8s %7s %8s\n", "mean", "cores", "ms/frame", "threads", "switch/s"
    n = split("hallcast×5 ffmpeg×5 hallcast×1 ffmpeg×1 before×5 before×1", keys, " ")
    for (i = 1; i <= n; i++)
      if (runs[keys[i]]) printf "%-12s %6.3f %8.1f %7.0f %8.0f\n", keys[i],
        cores[keys[i]] / runs[keys[i]], c(keys[i]), threads[keys[i]] / runs[keys[i]],
        cs[keys[i]] / runs[keys[i]]
    printf "\n"
    ratio("hallcast / ffmpeg, the job", "hallcast×5", "ffmpeg×5", 1.0)
    ratio("hallcast 5 destinations / 1", "hallcast×5", "hallcast×1", 1.05)
    ratio("ffmpeg 5 destinations / 1", "ffmpeg×5", "ffmpeg×1")
    ratio("hallcast / ffmpeg, 1 destination", "hallcast×1", "ffmpeg×1")
    if (runs["before×5"]) {
      ratio("before / ffmpeg, the job", "before×5", "ffmpeg×5")
      ratio("hallcast / before, 5 destinations", "hallcast×5", "before×5")
      ratio("hallcast / before, 1 destination", "hallcast×1", "before×1")
    }
  }' "$work/results"
if [[ -n $profile ]]; then
  echo
  echo "perf data and switches by thread in $profile (hallcast×5 and ffmpeg×5, round 1):"
  echo "  perf report --no-children -i $profile/hallcast.data"
fi
echo "$(uptime | sed 's/.*load/load/') at the end"
