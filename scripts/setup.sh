#!/usr/bin/env bash
# Installs, idempotently, every tool Zooscope needs (see ../shared/toolchain.md for the verified
# recipe). Fast when everything is present; prints one line per tool either way.
#
#   scripts/setup.sh            everything (build, browser tests, conformance recording)
#
# Tools land in the usual places: cargo binaries in ~/.cargo/bin, wasm-opt (npm binaryen) in
# .tools/node_modules/.bin, Debian packages system-wide. Source scripts/env.sh for PATH.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=versions.env
. scripts/versions.env
# shellcheck source=env.sh
. scripts/env.sh

say() { printf '[setup] %s\n' "$*"; }
# A failure stops the installs still running beside it.
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
started=$SECONDS
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

command -v cargo >/dev/null || die "cargo is missing. Install Rust with rustup (https://rustup.rs), then rerun."
command -v rustup >/dev/null || die "rustup is missing: the wasm32 target is installed with it. Install Rust with rustup, then rerun."
command -v npm >/dev/null || die "npm is missing (needed for wasm-opt from binaryen). Install Node.js and npm (apt-get install nodejs npm), then rerun."

# has_version CMD VERSION: CMD exists and its --version mentions VERSION.
has_version() { command -v "$1" >/dev/null && "$1" --version 2>/dev/null | grep -qF " $2"; }

# --- Rust target -----------------------------------------------------------------------------
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "wasm32-unknown-unknown target: present"
else
  say "wasm32-unknown-unknown target: installing"
  rustup target add wasm32-unknown-unknown
fi

# --- npm tools, installed into .tools/ while cargo builds --------------------------------------
# wasm-opt: Debian's binaryen is too old for Rust 1.95's wasm. axe-core: the accessibility
# audit the test command runs in headless Chromium.
axe=.tools/node_modules/axe-core/axe.min.js
npm_tools() {
  local wanted=()
  if has_version wasm-opt "$BINARYEN_VERSION"; then
    say "wasm-opt $BINARYEN_VERSION: present"
  else
    wanted+=("binaryen@$BINARYEN_VERSION")
  fi
  if [ -f "$axe" ] && grep -q "\"version\": \"$AXE_CORE_VERSION\"" .tools/node_modules/axe-core/package.json; then
    say "axe-core $AXE_CORE_VERSION: present"
  else
    wanted+=("axe-core@$AXE_CORE_VERSION")
  fi
  [ ${#wanted[@]} -gt 0 ] || return 0
  say "installing ${wanted[*]} from npm into .tools/"
  mkdir -p .tools
  npm install --silent --no-audit --no-fund --prefix .tools "${wanted[@]}" >/dev/null
  has_version wasm-opt "$BINARYEN_VERSION" || die "wasm-opt $BINARYEN_VERSION did not install"
  [ -f "$axe" ] || die "axe-core $AXE_CORE_VERSION did not install"
  say "npm tools installed"
}
npm_tools &
npm_job=$!

# --- cargo-installed tools -------------------------------------------------------------------

# The tools are built for this machine, not shipped: without fat LTO, with many codegen units
# and LLVM's quick optimisations (opt-level 1) `cargo install` takes half the time on two
# cores, and the tools are the same versions with the same features (what they spend their
# time on is reading files, running cargo and wasm-opt). The two builds run side by side (each
# in a target directory of its own), so that one's serial steps leave the other a core.
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=64 \
  CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=false \
  CARGO_PROFILE_RELEASE_INCREMENTAL=false
tool_target="$root/target/tools"

cargo_tool() { # cargo_tool BIN VERSION CRATE [cargo install args...]
  local bin=$1 version=$2 crate=$3; shift 3
  if has_version "$bin" "$version"; then
    say "$bin $version: present"
  else
    say "$bin $version: installing with cargo install (a few minutes)"
    cargo install --quiet --target-dir "$tool_target/$bin" "$crate@$version" "$@"
    has_version "$bin" "$version" || die "$bin $version did not install"
    say "$bin $version: installed"
  fi
}

wasm_bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock 2>/dev/null || true)
[ -n "$wasm_bindgen_version" ] || die "could not read the wasm-bindgen version from Cargo.lock"

cargo_tool trunk "$TRUNK_VERSION" trunk --locked --no-default-features --features rustls &
trunk_job=$!
# `--locked` fails for wasm-bindgen-cli here: the registry lacks one locked dependency version.
# It brings wasm-bindgen-test-runner, which runs the browser tests (.cargo/config.toml).
cargo_tool wasm-bindgen "$wasm_bindgen_version" wasm-bindgen-cli
wait "$trunk_job" || die "trunk did not install (see above)"
command -v wasm-bindgen-test-runner >/dev/null || die "wasm-bindgen-test-runner is missing: reinstall wasm-bindgen-cli $wasm_bindgen_version"
rm -rf "$tool_target"

# --- Debian packages: headless browser and the real ZooKeeper --------------------------------
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
[ -x /usr/share/zookeeper/bin/zkCli.sh ] && [ -f /usr/share/java/zookeeper.jar ] || missing+=(zookeeper)
# The real server and zkCli run on java: Debian's zookeeper pulls in a JRE, but check.
command -v java >/dev/null || missing+=(default-jre-headless)
if [ ${#missing[@]} -eq 0 ]; then
  say "chromium, chromium-driver, zookeeper, java: present"
else
  say "installing Debian packages: ${missing[*]} (about a minute)"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  command -v apt-get >/dev/null || die "apt-get not found: install ${missing[*]} with your package manager, then rerun."
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

wait "$npm_job" || die "the npm tools did not install (see above)"
say "all tools present ($((SECONDS - started)) s)"
