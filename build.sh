#!/usr/bin/env bash
# PO Bridge build script. Idempotent: installs what is missing (cached under $PO_BRIDGE_CACHE),
# then does what the subcommand asks.
#
#   ./build.sh            build the extension into dist/ (and dist.zip)
#   ./build.sh test       fmt and clippy gates, then every suite: native, Chromium, Firefox, web-ext lint
#   ./build.sh demo       the extension against the local sandboxes (a window, or screenshots headless)
#   ./build.sh sandbox    run the sandbox server in the foreground
#   ./build.sh bench      benchmarks (figures, not pass/fail)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
CACHE="${PO_BRIDGE_CACHE:-$HOME/.cache/po-bridge}"
DIST="$ROOT/dist"
WASM_TARGET=wasm32-unknown-unknown
WASM_PROFILE=wasm-release
# Cargo's output folder (a helper's worktree may share one through CARGO_TARGET_DIR).
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
ENTRY_CRATES=(po_bridge_background po_bridge_content po_bridge_popup po_bridge_dialog)
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

log() { printf '\n==> %s\n' "$*" >&2; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- installs (each idempotent)

apt_updated=0
apt_install() {
  # apt_install PACKAGE... : installs the Debian packages that are missing.
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "missing Debian packages: ${missing[*]} (no apt-get here)"
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if [ $apt_updated -eq 0 ]; then log "apt-get update"; $sudo apt-get update -qq; apt_updated=1; fi
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_rust_target() {
  rustup target list --installed 2>/dev/null | grep -qx "$WASM_TARGET" || { log "rustup target add $WASM_TARGET"; rustup target add "$WASM_TARGET"; }
}

wasm_bindgen_version() {
  # The CLI must equal the crate version in Cargo.lock exactly.
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_wasm_bindgen() {
  local v; v="$(wasm_bindgen_version)"; [ -n "$v" ] || die "wasm-bindgen not found in Cargo.lock"
  WASM_BINDGEN="$CACHE/wasm-bindgen-$v/bin/wasm-bindgen"
  if [ ! -x "$WASM_BINDGEN" ]; then
    log "installing wasm-bindgen-cli $v into $CACHE (about 2 minutes, once)"
    # Not --locked: the registry index here lacks one locked transitive version (toolchain notes).
    cargo install wasm-bindgen-cli --version "$v" --no-default-features --root "$CACHE/wasm-bindgen-$v"
  fi
}

ensure_npm() {
  local stamp="$ROOT/node_modules/.po-bridge-stamp" want
  mkdir -p "$CACHE"
  # The stamp holds the lock file's hash: a fresh checkout (newer mtime, same lock) reinstalls nothing.
  want="$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)"
  # One npm at a time: `npm ci` empties node_modules first, which would break a concurrent build.
  (
    flock 9
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
      log "npm ci (playwright-core, selenium-webdriver, web-ext, binaryen; no browser downloads)"
      (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
      echo "$want" > "$stamp"
    fi
  ) 9>"$CACHE/npm.lock"
}

ensure_chromium() { apt_install chromium chromium-driver xvfb; }

ensure_firefox() {
  apt_install firefox-esr
  GECKODRIVER="$CACHE/geckodriver/bin/geckodriver"
  if [ ! -x "$GECKODRIVER" ]; then
    log "installing geckodriver into $CACHE (about 2 minutes, once)"
    cargo install geckodriver --root "$CACHE/geckodriver"
  fi
  export GECKODRIVER
}

TWIGGY_VERSION=0.7.0
ensure_twiggy() {
  # The bench's size profile (the largest functions of each wasm module, by its name section).
  TWIGGY="$CACHE/twiggy-$TWIGGY_VERSION/bin/twiggy"
  if [ ! -x "$TWIGGY" ]; then
    log "installing twiggy $TWIGGY_VERSION into $CACHE (about 2 minutes, once)"
    cargo install twiggy --locked --version "$TWIGGY_VERSION" --root "$CACHE/twiggy-$TWIGGY_VERSION"
  fi
  export TWIGGY
}

ensure_lint_tools() {
  local c
  for c in clippy rustfmt; do
    rustup component list --installed 2>/dev/null | grep -q "^$c" || { log "rustup component add $c"; rustup component add "$c"; }
  done
}

# The gates before any suite: formatting, and clippy with every warning an error, on the host (all
# targets: core, command line, sandboxes, tests) and for wasm32 (the browser crates).
gates() {
  ensure_rust_target
  ensure_lint_tools
  log "gates: cargo fmt --check; cargo clippy -D warnings (host, then wasm32); cargo doc -D warnings"
  cargo fmt --all --check
  cargo clippy --workspace --all-targets -- -D warnings
  cargo clippy --target "$WASM_TARGET" -p po-bridge-background -p po-bridge-content -p po-bridge-ui \
    -p po-bridge-popup -p po-bridge-dialog -p po-bridge-browser -- -D warnings
  # The API docs (host) build without a warning: an intra-doc link that resolves nowhere fails.
  RUSTDOCFLAGS="-D warnings" cargo doc -q --no-deps --workspace
}

# ---------------------------------------------------------------- build

build() {
  ensure_rust_target
  ensure_wasm_bindgen
  ensure_npm
  log "cargo build (wasm, $WASM_PROFILE): ${ENTRY_CRATES[*]}"
  cargo build --profile "$WASM_PROFILE" --target "$WASM_TARGET" \
    -p po-bridge-background -p po-bridge-content -p po-bridge-popup -p po-bridge-dialog
  cargo build -q --bin gen-assets
  local stage; stage="$(mktemp -d "$ROOT/.dist-stage.XXXX")"
  trap 'rm -rf "$stage"' RETURN
  mkdir -p "$stage/pkg"
  # wasm-bindgen's output keeps the name section (wasm-opt drops it): the bench profiles these copies.
  export PROFILE_DIR="$TARGET_DIR/po-bridge-profile"
  mkdir -p "$PROFILE_DIR"
  for crate in "${ENTRY_CRATES[@]}"; do
    "$WASM_BINDGEN" --target web --no-typescript --out-dir "$stage/pkg" \
      "$TARGET_DIR/$WASM_TARGET/$WASM_PROFILE/$crate.wasm"
    cp "$stage/pkg/${crate}_bg.wasm" "$PROFILE_DIR/"
    # --low-memory-unused folds a pointer's small added constant into the access's offset (smaller
    # code); sound while no data lies in the low 1 KiB, which tools/low-memory.mjs checks first.
    # --one-caller-inline-max-function-size: by default wasm-opt inlines every function that has
    # one caller, however large, and the worker's message handler grew into one 131 KB function
    # that V8 compiles on the main thread at each wake before it can answer anything (issue 17).
    node "$ROOT/tools/low-memory.mjs" "$stage/pkg/${crate}_bg.wasm"
    node "$ROOT/node_modules/binaryen/bin/wasm-opt" -Oz \
      --low-memory-unused --one-caller-inline-max-function-size=200 \
      --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-reference-types --enable-multivalue --enable-mutable-globals \
      "$stage/pkg/${crate}_bg.wasm" -o "$stage/pkg/${crate}_bg.wasm"
  done
  cp "$ROOT/manifest.json" "$stage/"
  cp "$ROOT"/extension/static/* "$stage/"
  "$TARGET_DIR/debug/gen-assets" "$stage"
  rm -rf "$DIST"; mv "$stage" "$DIST"; trap - RETURN
  rm -f "$ROOT/dist.zip"
  (cd "$DIST" && python3 -m zipfile -c "$ROOT/dist.zip" $(ls -A))
  log "dist/ ready ($(du -sh "$DIST" | cut -f1)); dist.zip written"
  for crate in "${ENTRY_CRATES[@]}"; do
    local f="$DIST/pkg/${crate}_bg.wasm"
    printf '    %-28s %7d bytes, %6d gzip\n' "$crate" "$(stat -c %s "$f")" "$(gzip -9c "$f" | wc -c)" >&2
  done
}

build_sandbox() {
  cargo build -q -p po-bridge-sandbox
  export SANDBOX_BIN="$TARGET_DIR/debug/po-bridge-sandbox"
}

# ---------------------------------------------------------------- commands

cmd_test() {
  gates
  build
  log "native tests: cargo test (core and sandboxes; no web-sys, js-sys or Leptos on the host)"
  cargo test --workspace
  ensure_chromium
  ensure_firefox
  build_sandbox
  log "browser tests: Chromium (Playwright) and Firefox ESR (Selenium + geckodriver)"
  export DIST
  # A hung browser must fail the run, not stall CI: 10 minutes per test at most.
  node --test --test-concurrency=1 --test-timeout=600000 "$ROOT"/tests/e2e/*.test.mjs
  log "web-ext lint on dist/"
  node "$ROOT/tests/e2e/lint.mjs" "$DIST"
}

cmd_demo() {
  build
  ensure_chromium
  build_sandbox
  export DIST
  node "$ROOT/tests/e2e/demo.mjs" "$@"
}

cmd_sandbox() {
  build_sandbox
  exec "$SANDBOX_BIN"
}

cmd_bench() {
  build
  ensure_twiggy
  ensure_chromium
  build_sandbox
  export DIST
  node "$ROOT/tests/e2e/bench.mjs" "$@"
}

case "${1:-build}" in
  build) build ;;
  test) shift; cmd_test "$@" ;;
  demo) shift; cmd_demo "$@" ;;
  sandbox) shift; cmd_sandbox "$@" ;;
  bench) shift; cmd_bench "$@" ;;
  *) die "unknown command '$1' (use: build | test | demo | sandbox | bench)" ;;
esac
