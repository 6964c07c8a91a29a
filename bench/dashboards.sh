#!/usr/bin/env bash
# Dashboards at scale: a year of 1,000,000 paid orders and 100,000 shoppers, on SQLite and then
# PostgreSQL (see README.md in this folder).
#   bash bench/dashboards.sh               both databases
#   bash bench/dashboards.sh sqlite        one of them
#   BENCH_ORDERS=200000 bash bench/dashboards.sh
# Needs the release build (scripts/build.sh) and wrk. PostgreSQL: JISHI_BENCH_PG (default
# postgres://postgres@127.0.0.1:5432), where a database jishi_bench is made afresh.
# Writes bench/results/dashboards-<database>.md and prints it.
set -euo pipefail
cd "$(dirname "$0")/.."

ORDERS=${BENCH_ORDERS:-1000000}
SHOPPERS=${BENCH_SHOPPERS:-100000}
DURATION=${BENCH_DURATION:-20s}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
THREADS=2
PG=${JISHI_BENCH_PG:-postgres://postgres@127.0.0.1:5432}
if [[ $# -gt 0 ]]; then backends=("$@"); else backends=(sqlite postgres); fi

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[[ -x target/release/jishi ]] || { echo "build first: bash scripts/build.sh" >&2; exit 1; }
mkdir -p bench/results

source bench/lib.sh

# the session cookie of a sign-in, as `name=value`
session_of() {
  local base=$1 realm=$2 login=$3 jar
  jar=$(mktemp)
  curl -fs -c "$jar" -H "Origin: $base" -H 'Accept: application/json' \
    --data "realm=$realm&login=$login&password=jishi2026" "$base/api/auth/sign-in" >/dev/null
  # HttpOnly cookies are the jar's lines starting `#HttpOnly_`
  awk '(!/^#/ || /^#HttpOnly_/) && NF >= 7 { print $6 "=" $7 }' "$jar" | tail -1
  rm -f "$jar"
}

seconds() { python3 -c 'import sys, time; print(f"{time.time() - float(sys.argv[1]):.1f}")' "$1"; }

for backend in "${backends[@]}"; do
  data=$(mktemp -d)
  url=$(fresh_database "$backend" "$data")
  export JISHI_DATA_DIR=$data JISHI_DATABASE_URL=$url JISHI_LOG=warn JISHI_SITE_ROOT=target/site
  echo "==> $backend: demo data, 30 generated shops, $ORDERS orders of $SHOPPERS shoppers" >&2
  target/release/jishi seed-demo >/dev/null
  target/release/jishi seed-bench --merchants 30 --products 600 >&2
  t=$(date +%s.%N)
  target/release/jishi seed-orders --orders "$ORDERS" --shoppers "$SHOPPERS" --days 365 >&2
  seed_s=$(seconds "$t")
  t=$(date +%s.%N)
  target/release/jishi rebuild-stats >&2
  rebuild_s=$(seconds "$t")
  case $backend in
    sqlite) size_mb=$(du -sm "$data" | cut -f1) ;;
    postgres) size_mb=$(psql "$PG/jishi_bench" -Atc "SELECT pg_database_size('jishi_bench') / 1048576") ;;
  esac

  start_servers
  admin=$(session_of "$base" admin admin)
  shop=$(session_of "$base" merchant bench_001)
  [[ -n $admin && -n $shop ]] || { echo "sign-in failed" >&2; exit 1; }

  declare -a rows=()
  for target in \
    "raw axum static response (baseline)||$static_base/" \
    "platform 概览, 30 days|$admin|$base/admin" \
    "platform 概览, 90 days|$admin|$base/admin?days=90" \
    "platform 概览, custom year|$admin|$base/admin?from=$(date -u -d '-364 days' +%F)&to=$(date -u +%F)" \
    "shop 概览 (bench_001), 30 days|$shop|$base/merchant" \
    "shop 概览 (bench_001), 90 days|$shop|$base/merchant?days=90"; do
    name=${target%%|*}
    rest=${target#*|}
    cookie=${rest%%|*}
    url=${rest#*|}
    echo "==> $name: $url" >&2
    # the first read of a page counts its figures (nothing kept yet); wrk then reads what the
    # server keeps for dashboards.cache_seconds, recounting whenever it expires
    first=$(curl -fs -o /dev/null -w '%{time_total}' ${cookie:+-H "Cookie: $cookie"} "$url" |
      python3 -c 'import sys; print(f"{float(sys.stdin.read()) * 1000:.0f}")')
    read -r rps p50 p99 bad < <(measure "$url" "$cookie")
    rows+=("| $name | $first | $rps | $p50 | $p99 | $bad |")
  done
  kill "$app_pid" "$static_pid"
  wait "$app_pid" "$static_pid" 2>/dev/null || true
  rm -rf "$data"
  [[ $backend == postgres ]] && psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS jishi_bench"

  out=bench/results/dashboards-$backend.md
  {
    echo "# Dashboards at scale: $ORDERS orders, $SHOPPERS shoppers, $backend"
    echo
    echo "A year of generated history (\`jishi seed-orders\`: one line per order over 600 products of 30"
    echo "shops, one order in 33 refunded, one in 4 reviewed) on top of the demo. Release build, loopback;"
    echo "wrk, 2 threads, $CONNECTIONS connections, $DURATION per row, sharing the machine's $(nproc) cores"
    echo "with the server. Run: $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)."
    echo
    echo "| step | value |"
    echo "|---|---:|"
    echo "| writing the history (\`seed-orders\`) | $seed_s s |"
    echo "| rebuilding every day's aggregates (\`rebuild-stats\`) | $rebuild_s s |"
    echo "| database size after both | $size_mb MiB |"
    echo
    echo "Each page is the whole server-rendered 概览 (KPIs against the period before, trends, hourly,"
    echo "category share, top shops or buyers, funnel and sources, to-dos; the shop's adds its score"
    echo "trend): closed days from the aggregates, today live from the orders. *First read* is one"
    echo "request on a fresh server, which counts every figure; the wrk columns are the page under"
    echo "load, served from the computed 概览 the server keeps for \`dashboards.cache_seconds\` (60 s)"
    echo "per reader and range (the to-dos are always counted live)."
    echo
    echo "| page | first read ms | requests/s | p50 ms | p99 ms | non-2xx |"
    echo "|---|---:|---:|---:|---:|---:|"
    printf '%s\n' "${rows[@]}"
  } >"$out"
  cat "$out"
done
