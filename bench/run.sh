#!/usr/bin/env bash
# Load test of the shop front on loopback (see README.md in this folder).
#   bash bench/run.sh              1,000 products over 10 shops, then 10,000 over 100 shops
#   bash bench/run.sh 1000:10      one size only (products:shops)
# Needs the release build (scripts/build.sh) and wrk (apt-get install wrk).
# Writes bench/results/<size>.md and prints it.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${BENCH_DURATION:-30s}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
if [[ $# -gt 0 ]]; then sizes=("$@"); else sizes=(1000:10 10000:100); fi

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[[ -x target/release/jishi ]] || { echo "build first: bash scripts/build.sh" >&2; exit 1; }
mkdir -p bench/results

source bench/lib.sh

rss_mb() { awk '/VmRSS/ { printf "%.1f", $2/1024 }' "/proc/$1/status"; }
hwm_mb() { awk '/VmHWM/ { printf "%.1f", $2/1024 }' "/proc/$1/status"; }

for size in "${sizes[@]}"; do
  products=${size%%:*}
  shops=${size##*:}
  data=$(mktemp -d)
  export JISHI_DATA_DIR=$data JISHI_DATABASE_URL="sqlite://$data/jishi.db" JISHI_LOG=warn \
         JISHI_SITE_ROOT=target/site
  echo "==> generating $products products over $shops shops" >&2
  target/release/jishi seed-demo >/dev/null
  target/release/jishi seed-bench --merchants "$shops" --products "$products" >&2

  start_servers

  # a product and a search word that exist in the generated data
  product=$(curl -fs "$base/api/mp/v1/products?page=3" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["items"][0]["id"])')
  word=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("辣椒酱"))')
  rss_idle=$(rss_mb "$app_pid")

  declare -a rows=()
  for target in \
    "raw axum static response (baseline)|$static_base/" \
    "API product list (20 items with SKU price and stock)|$base/api/mp/v1/products?page=2" \
    "API product detail|$base/api/mp/v1/products/$product" \
    "SSR product page|$base/product/$product" \
    "SSR search page (q=辣椒酱)|$base/search?q=$word"; do
    name=${target%%|*}
    url=${target#*|}
    echo "==> $name: $url" >&2
    read -r rps p50 p99 bad < <(measure "$url")
    rows+=("| $name | $rps | $p50 | $p99 | $bad |")
  done
  rss_after=$(rss_mb "$app_pid")
  rss_peak=$(hwm_mb "$app_pid")
  kill "$app_pid" "$static_pid"
  wait "$app_pid" "$static_pid" 2>/dev/null || true
  rm -rf "$data"

  out=bench/results/${products}-products.md
  {
    echo "# Shop-front load test: $products generated products over $shops shops"
    echo
    echo "Plus the 64 demo products. wrk, $THREADS threads, $CONNECTIONS connections, $DURATION per row, loopback;"
    echo "release build, embedded SQLite. Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); wrk shares the cores with the server."
    echo "Run: $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)."
    echo
    echo "| endpoint | requests/s | p50 ms | p99 ms | non-2xx |"
    echo "|---|---:|---:|---:|---:|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "Server RSS: ${rss_idle} MB after start-up, ${rss_after} MB after the runs, peak ${rss_peak} MB."
  } >"$out"
  cat "$out"
done
