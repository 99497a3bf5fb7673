#!/usr/bin/env bash
# Installs the Debian packages hallcast needs to build, run and test. Safe to run
# again: it asks dpkg first and touches apt only when something is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Every package the project needs, in one place: add new ones here.
PACKAGES=(
  # toolchain
  build-essential cmake pkg-config git clang-format
  # GStreamer: headers, tools and the plugins the pipelines use
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev libgstreamer-plugins-bad1.0-dev
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav glib-networking
  # libraries
  libwebsockets-dev libspdlog-dev nlohmann-json3-dev
  # obs-websocket authentication: SHA-256, base64, random challenges (libcrypto)
  libssl-dev
  # tests: gtest, a local RTMP server, ffprobe/ffmpeg to read results back
  libgtest-dev libgmock-dev googletest nginx libnginx-mod-rtmp ffmpeg
  # tests: a TLS front for an RTMPS platform (nginx's stream module)
  libnginx-mod-stream
  # tests: headless Chromium, driven over the DevTools protocol, for the operator panel
  chromium
  # tests: an RTSP camera to connect to
  libgstrtspserver-1.0-dev
  # tests: clang with libFuzzer and the sanitizers, for the control request fuzzer
  clang libclang-rt-dev
  # runtime: caption font, TLS roots for rtmps://
  fonts-dejavu-core ca-certificates
  # captions: text layout and drawing
  libpango1.0-dev libcairo2-dev
  # EBU R128 loudness of the programme tracks
  libebur128-dev
  # the relay's statistics over HTTP (engine), the HLS crowd of the audience tests
  libsoup-3.0-dev
  # tests: promtool checks the alert rules and /metrics (deploy/prometheus)
  prometheus
  # systemd: sd_notify (READY, WATCHDOG, STOPPING); systemd-analyze checks the unit
  libsystemd-dev systemd
  # benchmarks (tests/bench): the scripts' own tools
  curl python3
)

missing=()
for package in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [[ "$status" == installed ]] || missing+=("$package")
done

# npm packages, pinned in each folder's package-lock.json: installed with `npm ci` when
# node_modules is missing or older than the lock file. vendor/ holds what the audience
# page serves (hls.js); tests/obs what the tests use.
npm_folders=(vendor tests/obs)
install_npm() {
  local folder
  for folder in "${npm_folders[@]}"; do
    if [[ ! -d "$folder/node_modules" || "$folder/package-lock.json" -nt "$folder/node_modules" ]]; then
      echo "setup: npm ci in $folder"
      if ! (cd "$folder" && npm ci --no-audit --no-fund --loglevel=error); then
        echo "setup: npm ci failed in $folder" >&2
        exit 1
      fi
      touch "$folder/node_modules"
    fi
  done
  install_web_vendor
}

# The audience page serves hls.js, with its licence, from web/vendor/ (never from the
# internet): copied from vendor/node_modules whenever the copy is missing or older.
install_web_vendor() {
  local from=vendor/node_modules/hls.js to=web/vendor/hls.js file
  mkdir -p "$to"
  for file in dist/hls.min.mjs dist/hls.worker.js LICENSE; do
    if [[ ! -e "$to/${file##*/}" || "$from/$file" -nt "$to/${file##*/}" ]]; then
      cp "$from/$file" "$to/"
    fi
  done
}

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#PACKAGES[@]} packages present"
  install_npm
  exit 0
fi

if ((EUID == 0)); then
  as_root=()
elif command -v sudo >/dev/null; then
  as_root=(sudo)
else
  echo "setup: missing ${missing[*]}; run as root or install sudo" >&2
  exit 1
fi

log=$(mktemp)
cleanup() {
  rm -f "$log"
  if [[ -n "${policy_added:-}" ]]; then "${as_root[@]}" rm -f /usr/sbin/policy-rc.d; fi
}
trap cleanup EXIT

# Installing nginx would start the system's nginx on port 80 where services start
# (the tests run their own private ones). policy-rc.d exit 101 tells the package
# scripts not to start services; add one only for this run if there is none.
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
  "${as_root[@]}" sh -c 'printf "#!/bin/sh\nexit 101\n" >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d'
  policy_added=1
fi

echo "setup: installing ${missing[*]}"
apt() { "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "$@" >>"$log" 2>&1; }
if ! apt update || ! apt install -y --no-install-recommends "${missing[@]}"; then
  tail -n 40 "$log" >&2
  echo "setup: apt-get failed" >&2
  exit 1
fi
install_npm
echo "setup: done"
