#!/usr/bin/env bash
# The whole test suite, as CI runs it: format, lints, unit and integration tests on SQLite and
# PostgreSQL, then the mini-program client's tests and the browser tests in Chromium against the
# server binary the tests built.
# PostgreSQL: JISHI_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/test); it is required.
set -euo pipefail
cd "$(dirname "$0")/.."

# each step names itself with the minutes since the start, so a slow step shows in the log
step() { printf '==> %s (at %dm%02ds)\n' "$1" $((SECONDS / 60)) $((SECONDS % 60)); }

scripts/setup.sh --test

# The site (two wasm bundles, each ending in a long single-threaded link) builds beside the
# Rust checks and tests, whose own single-threaded stretches (linking, the test run's waits on
# the databases) leave a core free. Its own process group, so a failure stops all of it.
step "build (site), beside the checks and tests below"
mkdir -p target
setsid scripts/build.sh --site-only > target/site-build.log 2>&1 &
site_build=$!
trap 'kill -- "-$site_build" 2>/dev/null || true' EXIT

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy"
cargo clippy --quiet --all-targets -- -D warnings

step "cargo test (SQLite and PostgreSQL)"
cargo test --quiet

step "build (site): waiting for it"
wait "$site_build" || { cat target/site-build.log >&2; echo "the site build failed" >&2; exit 1; }

# the debug server `cargo test` built (as an integration-test dependency) serves the
# mini-program journeys and the browser tests: a release build would double the compile time
# for the same behaviour
[[ -x target/debug/jishi ]] || { echo "cargo test did not build target/debug/jishi" >&2; exit 1; }
step "mini-program client tests (jest: pages rendered, journeys against the server)"
(cd miniprogram && JISHI_BINARY="$PWD/../target/debug/jishi" npx jest --ci)

step "browser tests (Chromium)"
(cd end2end && JISHI_BINARY="$PWD/../target/debug/jishi" npm test)
step "done"
