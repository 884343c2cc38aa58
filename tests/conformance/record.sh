#!/usr/bin/env bash
# Re-records the expected output of every conformance script from a real ZooKeeper 3.8
# (Debian's `zookeeper` package): for each scripts/NAME.zkcli it starts a fresh standalone
# server on 127.0.0.1:2181 (fresh data directory, so zxids start at 0x1), runs
#   zkCli.sh -server 127.0.0.1:2181 < scripts/NAME.zkcli
# and writes stdout+stderr, minus the JVM's SLF4J warnings, to scripts/NAME.zk38.out.
#
# Lines starting with `#!` are directives for the harnesses, never sent to zkCli:
#   #! sleep MS                       wait MS milliseconds before sending the next line
#   #! server extendedTypesEnabled    start the server with TTL znodes enabled
#   #! server containerCheckIntervalMs N   check containers and TTLs every N ms (default 60000)
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
# `ruok` answers `imok` and closes; a server still starting may accept and say nothing, so
# the read is bounded.
imok() { (exec 3<>/dev/tcp/127.0.0.1/2181 && echo ruok >&3 && timeout 2 cat <&3) 2>/dev/null | grep -q imok; }

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
  for _ in $(seq 1 120); do imok && return 0; sleep 0.25; done
  echo "record.sh: the server did not start; its log:" >&2; cat "$work/server.log" >&2; exit 1
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
  start_server "${flags[@]}"
  feed "$script" | timeout 120 "${zkcli[@]}" -server 127.0.0.1:2181 2>&1 \
    | grep -v '^SLF4J: ' > "$out_dir/$name.zk38.out" || true
  stop_server
  for _ in $(seq 1 100); do port_open || break; sleep 0.1; done
  echo "recorded $name"
done
