#!/usr/bin/env bash
# One command to a running mall: install what is missing, build, migrate and seed ./data
# (SQLite), then serve. Set JISHI_LISTEN (default 127.0.0.1:3000) to listen elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/build.sh
target/release/jishi seed-demo --orders --history-days 90
exec target/release/jishi serve
