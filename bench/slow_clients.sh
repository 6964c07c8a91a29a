#!/usr/bin/env bash
# Slow and stalled clients on loopback (see README.md in this folder).
#   bash bench/slow_clients.sh
# Needs the release build (scripts/build.sh). Writes bench/results/slow-clients.md and prints it.
set -euo pipefail
cd "$(dirname "$0")/.."

[[ -x target/release/jishi ]] || { echo "build first: bash scripts/build.sh" >&2; exit 1; }
echo "==> building the slow-client generator" >&2
cargo build --quiet --release -p server --example slow_clients
mkdir -p bench/results

source bench/lib.sh

data=$(mktemp -d)
port=$(free_port)
export JISHI_DATA_DIR=$data JISHI_DATABASE_URL="sqlite://$data/jishi.db" JISHI_LOG=warn \
       JISHI_SITE_ROOT=target/site JISHI_LISTEN=127.0.0.1:$port
target/release/jishi seed-demo >/dev/null
target/release/jishi serve >/dev/null 2>&1 &
app_pid=$!
trap 'kill "$app_pid" 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
target/release/examples/slow_clients --url "http://127.0.0.1:$port" \
  --probes "${BENCH_PROBES:-40}" --out bench/results/slow-clients.md
