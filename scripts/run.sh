#!/usr/bin/env bash
# The README's *run* command: sets up whatever is missing, builds the page and serves it at
# http://127.0.0.1:8080 (ZOOSCOPE_PORT overrides the port), saying so when it is ready.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/setup.sh
. scripts/env.sh
port=${ZOOSCOPE_PORT:-8080}
url="http://127.0.0.1:$port/"

echo "[run] building the page (release, first build takes a few minutes)…"
# No auto-reload script: dist/ must also work when copied to a static server.
trunk serve --release --no-autoreload --port "$port" &
trunk_pid=$!
trap 'kill "$trunk_pid" 2>/dev/null || true' EXIT INT TERM

# Ready = the served page references the built wasm and that wasm is served.
while kill -0 "$trunk_pid" 2>/dev/null; do
  wasm=$(curl -fsS "$url" 2>/dev/null | grep -o 'zooscope-web[^"]*_bg\.wasm' | head -n 1 || true)
  if [ -n "$wasm" ] && curl -fsS -o /dev/null "$url$wasm" 2>/dev/null; then
    echo "[run] Zooscope is ready at $url"
    break
  fi
  sleep 1
done
wait "$trunk_pid"
