#!/usr/bin/env bash
# Sound and picture after an hour: `hallcast run` at 1280x720@30 with a camera that
# flashes white once a second and a microphone that beeps on the same beat, recording
# in 5-minute files and pushing to a private nginx-rtmp. A player (ffmpeg) takes 20 s of
# the destination right after the start and again at the end; the first and the last
# whole recorded file are measured too (hallcast_test_av_offset: beep minus flash for
# every flash, on each file's own timeline). Memory and dropped frames are read at both
# ends.
#   tests/bench/av_drift.sh [--minutes 60]
# Prints each measurement and whether every offset lies within one frame (33 ms).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

minutes=60
usage() { sed -n '2,10s/^# \{0,1\}//p' "$0" >&2; exit 2; }
while (($# >= 2)); do
  case $1 in
    --minutes) minutes=$2 ;;
    *) usage ;;
  esac
  shift 2
done
if (($#)) || ! [[ $minutes =~ ^[0-9]+$ ]] || ((minutes < 2)); then usage; fi

readonly width=1280 height=720 fps=30 take_s=20
readonly binary=build/src/app/hallcast measure=build/tests/hallcast_test_av_offset
source tests/bench/common.sh
[[ -x $binary && -x $measure ]] ||
  cmake --build build -j2 --target hallcast hallcast_test_av_offset >/dev/null
for need in "$nginx" "$rtmp_module" ffmpeg curl ss; do
  [[ -e $need ]] || command -v "$need" >/dev/null || { echo "av_drift: no $need (scripts/setup.sh)" >&2; exit 1; }
done

work=$(mktemp -d)
cleanup() {
  stop_hallcast
  if [[ -n $nginx_pid ]]; then kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
die() { echo "av_drift: FAILED: $*" >&2; exit 1; }

start_nginx_rtmp "$work" || die "nginx did not start: $(cat "$work/nginx-error.log")"
port=$control_port
# Files of 5 minutes, or a quarter of a shorter run, so that the first and the last are
# an hour (or the run) apart.
segment_s=$((minutes >= 20 ? 300 : minutes * 15))
export AV_DRIFT_KEY=drift
mkdir -p "$work/rec"
cat >"$work/show.json" <<EOF
{ "video": { "width": $width, "height": $height, "fps": $fps, "bitrate_kbps": 2500,
             "keyframe_interval_s": 2 },
  "sources": [
    { "id": "cam", "kind": "video", "uri": "test:video?pattern=black&flash_s=1" },
    { "id": "mic", "kind": "audio", "uri": "test:audio?freq=1000&volume=0.5&on_s=0.1&off_s=0.9" } ],
  "scenes": [ { "id": "cam", "layers": [ { "source": "cam" } ] } ],
  "outputs": [
    { "id": "rec", "type": "record", "path": "rec", "segment_s": $segment_s },
    { "id": "live", "type": "rtmp", "url": "rtmp://127.0.0.1:$rtmp_port/live",
      "key_env": "AV_DRIFT_KEY" } ],
  "control": { "listen": "127.0.0.1:$port", "token_env": "HALLCAST_BENCH_TOKEN" } }
EOF
(cd "$work" && exec "$OLDPWD/$binary" run --config show.json --log-level warn) \
  >"$work/run.log" 2>&1 &
pid=$!
started=$(date +%s)

# A player on the destination for $take_s seconds, keeping what it received as is.
take() {
  ffmpeg -nostdin -loglevel error -i "rtmp://127.0.0.1:$rtmp_port/live/$AV_DRIFT_KEY" \
    -t "$take_s" -c copy -y "$work/$1.flv" || die "no stream at the destination ($1)"
}
# "RSS MiB, frames encoded, frames dropped" now.
health() {
  local rss
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  echo "$((rss / 1024)) $(metric hallcast_frames_encoded_total) $(metric hallcast_frames_dropped_total)"
}

for _ in {1..100}; do metrics >/dev/null 2>&1 && break; sleep 0.1; done
metrics >/dev/null || die "hallcast did not start: $(tail -n 20 "$work/run.log")"
sleep 5
read -r rss0 encoded0 dropped0 <<<"$(health)"
take start
echo "av_drift: ${width}x$height@$fps for $minutes min, recording in ${segment_s} s files"
remaining=$((started + minutes * 60 - take_s - $(date +%s)))
sleep "$remaining"
kill -0 "$pid" 2>/dev/null || die "hallcast ended: $(tail -n 20 "$work/run.log")"
read -r rss1 encoded1 dropped1 <<<"$(health)"
take end
reconnects=$(metrics | awk '$1 ~ /^hallcast_output_reconnects_total/ {n += $2} END {print n + 0}')
stop_hallcast

# The first file and the last whole one: the run ends just after a file begins.
mapfile -t files < <(ls "$work"/rec/*.mkv)
((${#files[@]} >= 3)) || die "expected several recorded files, found ${#files[@]}"
echo
echo "beep minus flash (one frame is $((1000 / fps)) ms):"
results=$("$measure" "$work/start.flv" "$work/end.flv" "${files[0]}" "${files[-2]}" 2>&1) ||
  failed=1
sed -e "s|$work/||" <<<"$results"
[[ -z ${failed:-} ]] || die "a file could not be measured"
echo
awk -v s="$rss0" -v e="$rss1" -v f0="$encoded0" -v f1="$encoded1" -v d0="$dropped0" \
  -v d1="$dropped1" -v r="$reconnects" -v m="$minutes" 'BEGIN {
    printf "RSS %d MiB after 5 s, %d MiB after %d min\n", s, e, m
    printf "frames encoded between: %d, dropped: %d; destination reconnects: %d\n",
      f1 - f0, d1 - d0, r }'
worst=$(sed -n 's/.*worst |\([0-9.]*\)|.*/\1/p' <<<"$results" | sort -g | tail -n 1)
awk -v w="$worst" -v limit="$(awk -v f=$fps 'BEGIN {print 1000 / f}')" 'BEGIN {
  printf "worst offset %.1f ms: %s\n", w, w <= limit ? "within one frame" : "MORE THAN ONE FRAME" }'
