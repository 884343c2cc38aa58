#!/usr/bin/env bash
# Re-records the expected output of every conformance script from a real ZooKeeper 3.8
# (Debian's `zookeeper` package): for each scripts/NAME.zkcli it starts a fresh standalone
# server on 127.0.0.1:2181 (fresh data directory, so zxids start at 0x1), runs
#   zkCli.sh -server 127.0.0.1:2181 < scripts/NAME.zkcli
# and writes stdout+stderr, minus the JVM's SLF4J warnings, to scripts/NAME.zk38.out.
#
# A recording is refused and made again (up to 3 attempts) when it cannot be trusted: when
# the sentinel that ends every script (`printwatches`, which answers even when disconnected)
# did not answer — zkCli died or timed out and the recording is truncated — or when it shows a
# `ConnectionLoss` the script did not ask for (a server not ready yet). Each script runs on a
# fresh server that answers `srvr` with its mode first. The sentinel's answer is not kept.
#
# Lines starting with `#!` are directives for the harnesses, never sent to zkCli:
#   #! sleep MS                       wait MS milliseconds before sending the next line
#   #! server extendedTypesEnabled    start the server with TTL znodes enabled
#   #! server containerCheckIntervalMs N   check containers and TTLs every N ms (default 60000)
#   #! expect ConnectionLoss          the script itself makes the server drop the connection
#                                     (follow each such command with `#! sleep 1000`: zkCli
#                                     fails a command sent before it has noticed the drop)
#   #! expect exit N                  the script makes zkCli itself exit with status N (zkCli
#                                     3.8 dies on some bad input; no sentinel then)
# and `{{C*N}}` in a line stands for the character C repeated N times (for data-size limits).
#
#   tests/conformance/record.sh [NAME...]     record all scripts, or only the named ones
#                                             (a NAME may also be the path of a script)
#   ZK_RECORD_DIR=DIR ...                     write the outputs to DIR instead (for diffing)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out_dir=${ZK_RECORD_DIR:-$here/scripts}
jar=/usr/share/java/zookeeper.jar
# ZKCLI overrides the client command (e.g. "java -cp $jar org.apache.zookeeper.ZooKeeperMain").
read -r -a zkcli <<< "${ZKCLI:-/usr/share/zookeeper/bin/zkCli.sh}"
[ -f "$jar" ] && command -v "${zkcli[0]}" >/dev/null || { echo "record.sh: ZooKeeper is not installed (run scripts/setup.sh)" >&2; exit 1; }
command -v java >/dev/null || { echo "record.sh: java is missing" >&2; exit 1; }

work=$(mktemp -d)
server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
trap 'stop_server; rm -rf "$work"' EXIT

port_open() { (exec 3<>/dev/tcp/127.0.0.1/2181) 2>/dev/null; }
# `srvr` names the server's mode only once it serves requests (`ruok` says `imok` earlier); a
# server still starting may accept and say nothing, so the read is bounded.
serving() { (exec 3<>/dev/tcp/127.0.0.1/2181 && echo srvr >&3 && timeout 2 cat <&3) 2>/dev/null | grep -q '^Mode: '; }

start_server() {
  local jvm_flags=("$@")
  rm -rf "$work/data" && mkdir -p "$work/data"
  cat > "$work/zoo.cfg" <<CFG
tickTime=2000
dataDir=$work/data
clientPort=2181
clientPortAddress=127.0.0.1
admin.enableServer=false
4lw.commands.whitelist=*
CFG
  if port_open; then echo "record.sh: 127.0.0.1:2181 is already in use" >&2; exit 1; fi
  java "${jvm_flags[@]}" -cp "/etc/zookeeper/conf:$jar" org.apache.zookeeper.server.ZooKeeperServerMain \
    "$work/zoo.cfg" > "$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 240); do serving && return 0; sleep 0.25; done
  echo "record.sh: the server did not start serving; its log:" >&2; cat "$work/server.log" >&2; exit 1
}

# Sends a script's lines to zkCli, acting on the `#!` directives and expanding `{{C*N}}`.
feed() {
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
      '#! sleep '*) sleep "$(awk '{ print $3 / 1000 }' <<< "$line")" ;;
      '#!'*) ;;
      *) perl -pe 's/\{\{(.)\*(\d+)\}\}/$1 x $2/ge' <<< "$line" ;;
    esac
  done < "$1"
  echo "$sentinel"
}

# The sentinel ends every script: zkCli answers it only if it read and ran everything before.
sentinel=printwatches
sentinel_answer='^printwatches is o(n|ff)$'

# record_once SCRIPT OUT: one attempt; succeeds only with a recording that can be trusted.
record_once() {
  local script=$1 out=$2 raw="$work/raw.out" status=0
  feed "$script" | timeout 120 "${zkcli[@]}" -server 127.0.0.1:2181 > "$raw" 2>&1 || status=$?
  grep -v '^SLF4J: ' "$raw" > "$work/filtered.out" || true
  local expected_exit
  expected_exit=$(sed -n 's/^#! expect exit \([0-9]*\)$/\1/p' "$script")
  if [ -n "$expected_exit" ]; then
    # The script kills zkCli on purpose: its exit status is the proof it got that far.
    [ "$status" -eq "$expected_exit" ] || { echo "record.sh: $(basename "$script"): zkCli exited with status $status, not $expected_exit" >&2; return 1; }
    cp "$work/filtered.out" "$out"
  elif grep -q '^quit$' "$script"; then
    # zkCli stops reading at `quit`: the sentinel never runs; a clean exit is the proof.
    [ "$status" -eq 0 ] || { echo "record.sh: $(basename "$script"): zkCli exited with status $status" >&2; return 1; }
    cp "$work/filtered.out" "$out"
  else
    local last
    last=$(grep -nE "$sentinel_answer" "$work/filtered.out" | tail -1 | cut -d: -f1)
    if [ -z "$last" ]; then
      echo "record.sh: $(basename "$script"): truncated (zkCli exit status $status, no answer to the sentinel)" >&2
      return 1
    fi
    # Keep everything but the sentinel's answer.
    sed "${last}d" "$work/filtered.out" > "$out"
  fi
  if grep -q 'ConnectionLoss' "$out" && ! grep -q '^#! expect ConnectionLoss' "$script"; then
    echo "record.sh: $(basename "$script"): a ConnectionLoss the script did not ask for" >&2
    return 1
  fi
}

if [ $# -gt 0 ]; then names=("$@"); else
  names=(); for f in "$here"/scripts/*.zkcli; do names+=("$(basename "$f" .zkcli)"); done
fi
mkdir -p "$out_dir"
for name in "${names[@]}"; do
  script="$here/scripts/$name.zkcli"
  if [ -f "$name" ]; then script=$name; name=$(basename "$name" .zkcli); fi
  [ -f "$script" ] || { echo "record.sh: no script $script" >&2; exit 1; }
  flags=()
  while read -r _ _ key value; do
    case "$key" in
      extendedTypesEnabled) flags+=(-Dzookeeper.extendedTypesEnabled=true) ;;
      containerCheckIntervalMs) flags+=("-Dznode.container.checkIntervalMs=$value") ;;
      *) echo "record.sh: $script: unknown server directive '$key'" >&2; exit 1 ;;
    esac
  done < <(grep '^#! server ' "$script" || true)
  recorded=0
  for attempt in 1 2 3; do
    start_server "${flags[@]}"
    if record_once "$script" "$work/$name.out"; then recorded=1; fi
    stop_server
    for _ in $(seq 1 100); do port_open || break; sleep 0.1; done
    [ "$recorded" -eq 1 ] && break
    echo "record.sh: $name: recording again (attempt $((attempt + 1)) of 3)" >&2
  done
  [ "$recorded" -eq 1 ] || { echo "record.sh: $name: no trustworthy recording in 3 attempts" >&2; exit 1; }
  mv "$work/$name.out" "$out_dir/$name.zk38.out"
  echo "recorded $name"
done
