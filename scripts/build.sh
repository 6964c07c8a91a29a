#!/usr/bin/env bash
# Builds what `jishi serve` serves: the islands bundles (wasm, the shop's and the consoles'), the CSS,
# the public assets, and the release server binary at target/release/jishi. Run scripts/setup.sh first.
#   scripts/build.sh               all of it
#   scripts/build.sh --site-only   without the release server (the tests serve the site with
#                                  the debug binary `cargo test` built: one server build, not two)
set -euo pipefail
cd "$(dirname "$0")/.."

site_only=false
[[ "${1:-}" == "--site-only" ]] && site_only=true

site=target/site
# a bundle's files are named by their content: the previous build's names go
rm -rf "$site/pkg" "$site/bundle-names"
mkdir -p "$site/pkg"

# Two islands bundles: the shop's, and the consoles' (feature `console`: theirs and the shop's
# islands). A page loads only its UI's (app/src/ui/document.rs).
# The rustup toolchain has no wasm32 std here; Debian's rustc-web builds it from source.
# RUSTC_BOOTSTRAP lets that stable compiler accept -Zbuild-std.
for ui in shop console; do
  echo "==> wasm: $ui islands (app as a cdylib, profile wasm-release)"
  features=hydrate
  [[ $ui == console ]] && features=hydrate,console
  PATH="/usr/bin:$PATH" RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-22 \
    /usr/bin/cargo rustc --quiet -p app --lib --crate-type cdylib --target wasm32-unknown-unknown \
    -Zbuild-std=std,panic_abort --profile wasm-release --features "$features"
  wasm-bindgen --target web --out-name "$ui" --no-typescript --remove-name-section \
    --out-dir "$site/pkg" target/wasm32-unknown-unknown/wasm-release/app.wasm
  # The server (LEPTOS_OUTPUT_NAME set at compile time) asks for <bundle>.wasm, not _bg.wasm.
  style/node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types \
    "$site/pkg/${ui}_bg.wasm" -o "$site/pkg/$ui.wasm"
  rm "$site/pkg/${ui}_bg.wasm"
done

echo "==> css (Tailwind)"
style/node_modules/.bin/tailwindcss --input style/main.css --output "$site/pkg/jishi.css" --minify 2>/dev/null

echo "==> public assets"
cp -r public/. "$site/"

echo "==> bundle names and compressed copies"
# Each part's files are named by their content: browsers keep /pkg files for a year
# (server/src/http/caching.rs), so a new build must bring new names, and a change to the
# consoles leaves the shop's name (and the phones' cached copy) as it was. The server reads the
# names from bundle-names and serves the .br or .gz copy the browser accepts.
name_by_content() { # <part> <plain stem> <extensions...>
  local part=$1 plain=$2; shift 2
  local name
  name="$plain.$(for ext in "$@"; do cat "$site/pkg/$plain.$ext"; done | sha256sum | cut -c1-16)"
  for ext in "$@"; do
    mv "$site/pkg/$plain.$ext" "$site/pkg/$name.$ext"
    gzip -9 -k "$site/pkg/$name.$ext"
    brotli -q 11 -k "$site/pkg/$name.$ext"
  done
  echo "$part $name" >> "$site/bundle-names"
}
name_by_content shop shop js wasm
name_by_content console console js wasm
name_by_content style jishi css

if ! $site_only; then
  echo "==> server (release)"
  cargo build --quiet --release -p server
fi

kib() { echo $(($(stat -c %s "$1") / 1024)); }
while read -r part name; do
  [[ $part == style ]] && continue
  wasm=$site/pkg/$name.wasm
  echo "wasm ($part): $(kib "$wasm") KiB ($(kib "$wasm.gz") KiB gzip, $(kib "$wasm.br") KiB brotli)"
done < "$site/bundle-names"
