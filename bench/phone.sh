#!/usr/bin/env bash
# Phone benchmark (see README.md in this folder): Chromium at 375 px on slow 4G (1.6 Mbps down,
# 750 kbps up, 150 ms round trip) with the CPU slowed 4×, over the shopper's pages cold and warm,
# and the consoles on fast 4G; then the size of every wasm bundle the site serves.
#   bash bench/phone.sh [label]      writes bench/results/phone[-label].md and prints it
# Needs the release build (scripts/build.sh) and the browser test set-up (scripts/setup.sh --test).
# Another build: JISHI_BINARY=<its jishi> JISHI_SITE_ROOT=<its target/site> BUILD=<its commit>.
set -euo pipefail
cd "$(dirname "$0")/.."

out=bench/results/phone${1:+-$1}.md
binary=${JISHI_BINARY:-target/release/jishi}
site=${JISHI_SITE_ROOT:-target/site}
[[ -x $binary ]] || { echo "build first: bash scripts/build.sh" >&2; exit 1; }
mkdir -p bench/results

pages=$(node bench/phone.mjs)
{
  echo "# Phone benchmark"
  echo
  echo "Release build ${BUILD:-$(git rev-parse --short HEAD)}, $(date -u +%F). Chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'),"
  echo "375 px; slow 4G = 1.6 Mbps down, 750 kbps up, 150 ms RTT; fast 4G = 9 Mbps, 1.5 Mbps, 40 ms;"
  echo "CPU slowed 4× in both. Cold: a fresh browser profile. Warm: the same page again. Bytes are"
  echo "what crossed the network (compressed); interactive = the page's islands are hydrated (before islands: the whole page)."
  echo "Server, browser and throttling share this machine's $(nproc) cores."
  echo
  echo "$pages"
  echo
  echo "## wasm bundles"
  echo
  echo "| bundle | raw KiB | gzip KiB | brotli KiB |"
  echo "|---|---:|---:|---:|"
  for f in "$site"/pkg/*.wasm; do
    raw=$(stat -c %s "$f")
    gz=$(gzip -9 -c "$f" | wc -c)
    br=$(brotli -c -q 11 "$f" | wc -c)
    echo "| $(basename "$f") | $((raw / 1024)) | $((gz / 1024)) | $((br / 1024)) |"
  done
} > "$out"
cat "$out"
