# Sourced by the project's scripts: puts the project's tools on PATH.
export PATH="$HOME/.cargo/bin:${ZOOSCOPE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}/.tools/node_modules/.bin:$PATH"
