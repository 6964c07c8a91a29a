#!/usr/bin/env bash
# Installs what building and testing Jishi needs, skipping what is already there.
#   scripts/setup.sh          build tools (wasm compiler, wasm-bindgen, Tailwind)
#   scripts/setup.sh --test   the same plus Chromium and Playwright for browser tests, and
#                             schemathesis for fuzzing the API
# Everything comes from Debian packages, crates.io, npm or PyPI: no step downloads a binary.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=false
[[ "${1:-}" == "--test" ]] && want_test=true

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

# Debian's rustc-web ships a Rust that can target wasm32 (std is built from its sources);
# lld-22 provides the wasm linker; brotli compresses the bundle once, at build time.
apt_packages=(rustc-web cargo-web rust-web-src lld-22 brotli)
$want_test && apt_packages+=(chromium python3-venv)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "==> apt-get install ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# wasm-bindgen CLI at exactly the version of the wasm-bindgen crate in Cargo.lock.
wb_version=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
if [[ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $wb_version" ]]; then
  echo "==> cargo install wasm-bindgen-cli $wb_version"
  cargo install --quiet wasm-bindgen-cli --version "$wb_version"
fi

# Tailwind CSS and wasm-opt from npm, pinned by the lockfile. `npm install` rather than `npm ci`:
# the lockfile lacks the other platforms' optional binaries, which `npm ci` insists on.
if [[ ! -x style/node_modules/.bin/tailwindcss || style/package-lock.json -nt style/node_modules ]]; then
  echo "==> npm install (style)"
  (cd style && npm install --no-audit --no-fund --loglevel=error && touch node_modules)
fi
if $want_test && [[ ! -d end2end/node_modules/playwright-core || end2end/package-lock.json -nt end2end/node_modules ]]; then
  echo "==> npm install (end2end)"
  (cd end2end && npm install --no-audit --no-fund --loglevel=error && touch node_modules)
fi

if $want_test && [[ ! -d miniprogram/node_modules/jest || miniprogram/package-lock.json -nt miniprogram/node_modules ]]; then
  echo "==> npm install (miniprogram tests)"
  (cd miniprogram && npm install --no-audit --no-fund --loglevel=error && touch node_modules)
fi

# schemathesis (PyPI, pinned) for fuzzing the mini-program API against its OpenAPI document.
fuzz_version=4.32.5
if $want_test && [[ "$(target/fuzz-venv/bin/schemathesis --version 2>/dev/null || true)" != *"$fuzz_version" ]]; then
  echo "==> pip install schemathesis $fuzz_version"
  python3 -m venv target/fuzz-venv
  target/fuzz-venv/bin/pip install --quiet --disable-pip-version-check "schemathesis==$fuzz_version"
fi
