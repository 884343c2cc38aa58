#!/usr/bin/env bash
# Live mode in one command: sets up whatever is missing (the real ZooKeeper 3.8 included),
# builds the page and the zooscope binary, and runs `zooscope live` with the arguments given
# (default: a real ensemble of three servers and five real candidate processes). It prints
# the address to open; Ctrl-C stops every server and process it started.
#   bash scripts/live.sh                              # --start 3 --processes 5
#   bash scripts/live.sh --zk 127.0.0.1:2181 --processes 3
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/setup.sh
. scripts/env.sh
echo "[live] building the page and the zooscope binary (the first build takes a few minutes)…"
trunk build --release
cargo build --release --bin zooscope
[ "$#" -gt 0 ] || set -- --start 3 --processes 5
exec ./target/release/zooscope live --dist dist "$@"
