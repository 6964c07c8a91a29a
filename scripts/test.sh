#!/usr/bin/env bash
# The whole test suite, as CI runs it: format, lints, unit and integration tests on SQLite and
# PostgreSQL, then the browser tests in Chromium against a release build.
# PostgreSQL: JISHI_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/test); it is required.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --test

echo "==> cargo fmt --check"
cargo fmt --all --check

echo "==> cargo clippy"
cargo clippy --quiet --all-targets -- -D warnings

echo "==> cargo test (SQLite and PostgreSQL)"
cargo test --quiet

echo "==> build"
scripts/build.sh

echo "==> browser tests (Chromium)"
(cd end2end && npm test)
