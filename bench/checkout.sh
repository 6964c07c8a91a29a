#!/usr/bin/env bash
# Checkout load test on loopback, on SQLite and then PostgreSQL (see README.md in this folder).
#   bash bench/checkout.sh               both databases
#   bash bench/checkout.sh sqlite        one of them
#   BENCH_PROMOTIONS=1 bash bench/checkout.sh
#                                        every shop runs a full-reduction and every buyer holds
#                                        platform coupons (results: checkout-<database>-promotions.md)
# Needs the release build (scripts/build.sh). PostgreSQL: JISHI_BENCH_PG (default
# postgres://postgres@127.0.0.1:5432), where a database jishi_bench is made afresh.
# Writes bench/results/checkout-<database>.md and prints it.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_RUN=${BENCH_SECONDS:-30}
BUYERS=${BENCH_BUYERS:-64}
promotions=() suffix=""
if [[ -n ${BENCH_PROMOTIONS:-} ]]; then promotions=(--promotions) suffix="-promotions"; fi
PG=${JISHI_BENCH_PG:-postgres://postgres@127.0.0.1:5432}
if [[ $# -gt 0 ]]; then backends=("$@"); else backends=(sqlite postgres); fi

[[ -x target/release/jishi ]] || { echo "build first: bash scripts/build.sh" >&2; exit 1; }
echo "==> building the load generator" >&2
cargo build --quiet --release -p server --example checkout_load
mkdir -p bench/results

source bench/lib.sh

for backend in "${backends[@]}"; do
  data=$(mktemp -d)
  url=$(fresh_database "$backend" "$data")
  port=$(free_port)
  export JISHI_DATA_DIR=$data JISHI_DATABASE_URL=$url JISHI_LOG=warn JISHI_SITE_ROOT=target/site \
         JISHI_LISTEN=127.0.0.1:$port
  echo "==> $backend: demo data and 30 generated shops" >&2
  target/release/jishi seed-demo >/dev/null
  target/release/jishi seed-bench --merchants 30 --products 600 >&2
  target/release/jishi serve >/dev/null 2>&1 &
  app_pid=$!
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  status=0
  target/release/examples/checkout_load --url "http://127.0.0.1:$port" --buyers "$BUYERS" \
    --seconds "$SECONDS_PER_RUN" --label "$backend$suffix" --out "bench/results/checkout-$backend$suffix.md" \
    "${promotions[@]}" || status=$?
  kill "$app_pid"; wait "$app_pid" 2>/dev/null || true
  rm -rf "$data"
  [[ $backend == postgres ]] && psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS jishi_bench"
  [[ $status -eq 0 ]] || exit "$status"
done
