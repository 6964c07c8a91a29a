#!/usr/bin/env bash
# 秒杀 load test on loopback, on SQLite and then PostgreSQL (see README.md in this folder):
# 10,000 distinct buyers, 500 at a time, for one SKU with 100 units of activity stock.
#   bash bench/flash_sale.sh               both databases
#   bash bench/flash_sale.sh sqlite        one of them
#   BENCH_BUYERS=2000 BENCH_CONNECTIONS=200 bash bench/flash_sale.sh
# Needs the release build (scripts/build.sh). PostgreSQL: JISHI_BENCH_PG (default
# postgres://postgres@127.0.0.1:5432), where a database jishi_bench is made afresh.
# Writes bench/results/flash-sale-<database>.md and prints it; fails when anything oversold,
# went missing or answered 5xx.
set -euo pipefail
cd "$(dirname "$0")/.."

BUYERS=${BENCH_BUYERS:-10000}
CONNECTIONS=${BENCH_CONNECTIONS:-500}
STOCK=${BENCH_STOCK:-100}
PG=${JISHI_BENCH_PG:-postgres://postgres@127.0.0.1:5432}
if [[ $# -gt 0 ]]; then backends=("$@"); else backends=(sqlite postgres); fi

[[ -x target/release/jishi ]] || { echo "build first: bash scripts/build.sh" >&2; exit 1; }
echo "==> building the load generator" >&2
cargo build --quiet --release -p server --example flash_sale_load
mkdir -p bench/results
# 500 connections from the generator and as many accepted by the server
ulimit -n 65536 2>/dev/null || ulimit -n 4096 || true

source bench/lib.sh

for backend in "${backends[@]}"; do
  data=$(mktemp -d)
  url=$(fresh_database "$backend" "$data")
  # every buyer comes from 127.0.0.1 here, as every shopper would from a load balancer's address
  export JISHI_DATA_DIR=$data JISHI_DATABASE_URL=$url JISHI_LOG=warn JISHI_SITE_ROOT=target/site \
    JISHI_CONNECTIONS_PER_ADDRESS=$((CONNECTIONS * 2 + 64))
  echo "==> $backend: demo data" >&2
  target/release/jishi seed-demo >/dev/null
  start_servers
  status=0
  target/release/examples/flash_sale_load --url "$base" --buyers "$BUYERS" \
    --connections "$CONNECTIONS" --stock "$STOCK" --label "$backend" \
    --out "bench/results/flash-sale-$backend.md" || status=$?
  kill "$app_pid" "$static_pid"
  wait "$app_pid" "$static_pid" 2>/dev/null || true
  rm -rf "$data"
  [[ $backend == postgres ]] && psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS jishi_bench"
  [[ $status -eq 0 ]] || exit "$status"
done
