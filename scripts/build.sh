#!/usr/bin/env bash
# Builds what `jishi serve` serves: the wasm bundle (hydration), the CSS, the public assets, and
# the release server binary at target/release/jishi. Run scripts/setup.sh first.
#   scripts/build.sh               all of it
#   scripts/build.sh --site-only   without the release server (the tests serve the site with
#                                  the debug binary `cargo test` built: one server build, not two)
set -euo pipefail
cd "$(dirname "$0")/.."

site_only=false
[[ "${1:-}" == "--site-only" ]] && site_only=true

site=target/site
# a bundle's files are named by their content: the previous build's names go
rm -rf "$site/pkg" "$site/bundle-name"
mkdir -p "$site/pkg"

echo "==> wasm (frontend, profile wasm-release)"
# The rustup toolchain has no wasm32 std here; Debian's rustc-web builds it from source.
# RUSTC_BOOTSTRAP lets that stable compiler accept -Zbuild-std.
PATH="/usr/bin:$PATH" RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-22 \
  /usr/bin/cargo build --quiet -p frontend --lib --target wasm32-unknown-unknown \
  -Zbuild-std=std,panic_abort --profile wasm-release

wasm-bindgen --target web --out-name jishi --no-typescript --remove-name-section \
  --out-dir "$site/pkg" target/wasm32-unknown-unknown/wasm-release/frontend.wasm
# The server (LEPTOS_OUTPUT_NAME=jishi at compile time) asks for jishi.wasm.
style/node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types \
  "$site/pkg/jishi_bg.wasm" -o "$site/pkg/jishi.wasm"
rm "$site/pkg/jishi_bg.wasm"

echo "==> css (Tailwind)"
style/node_modules/.bin/tailwindcss --input style/main.css --output "$site/pkg/jishi.css" --minify 2>/dev/null

echo "==> public assets"
cp -r public/. "$site/"

echo "==> bundle names and compressed copies"
# One name for the bundle's three files, from their content: browsers keep /pkg files for a year
# (server/src/http/caching.rs), so a new build must bring new names. The server reads the name
# from bundle-name and serves the .br or .gz copy the browser accepts.
name="jishi.$(cat "$site/pkg/jishi.js" "$site/pkg/jishi.wasm" "$site/pkg/jishi.css" | sha256sum | cut -c1-16)"
for ext in js wasm css; do mv "$site/pkg/jishi.$ext" "$site/pkg/$name.$ext"; done
for f in "$site/pkg/$name".*; do
  gzip -9 -k "$f"
  brotli -q 11 -k "$f"
done
echo "$name" > "$site/bundle-name"

if ! $site_only; then
  echo "==> server (release)"
  cargo build --quiet --release -p server
fi

kib() { echo $(($(stat -c %s "$1") / 1024)); }
wasm=$site/pkg/$name.wasm
echo "wasm: $(kib "$wasm") KiB ($(kib "$wasm.gz") KiB gzip, $(kib "$wasm.br") KiB brotli)"
