#!/usr/bin/env bash
# The whole test suite, as CI runs it: format, lints, unit and integration tests on SQLite and
# PostgreSQL, then the mini-program client's tests and the browser tests in Chromium against the
# server binary the tests built.
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

echo "==> build (site)"
scripts/build.sh --site-only

# the debug server `cargo test` built (as an integration-test dependency) serves the
# mini-program journeys and the browser tests: a release build would double the compile time
# for the same behaviour
[[ -x target/debug/jishi ]] || { echo "cargo test did not build target/debug/jishi" >&2; exit 1; }
echo "==> mini-program client tests (jest: pages rendered, journeys against the server)"
(cd miniprogram && JISHI_BINARY="$PWD/../target/debug/jishi" npx jest --ci)

echo "==> browser tests (Chromium)"
(cd end2end && JISHI_BINARY="$PWD/../target/debug/jishi" npm test)
