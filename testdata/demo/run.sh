#!/usr/bin/env bash
# The demo: dev-kafka, then Kafka's shipped file-source/file-sink example
# configs run by connect-standalone: lines go test.txt -> Kafka -> test.sink.txt.
set -euo pipefail
bin=${BIN:-bin/connect-standalone}
port=${DEMO_PORT:-9092}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/connect-demo.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

echo "== work dir: $work"
sed -e "s#^bootstrap.servers=.*#bootstrap.servers=127.0.0.1:$port#" \
    -e "s#^offset.storage.file.filename=.*#offset.storage.file.filename=$work/connect.offsets#" \
    "$here/connect-standalone.properties" > "$work/connect-standalone.properties"
cp "$here/connect-file-source.properties" "$here/connect-file-sink.properties" "$work/"

echo "== starting dev-kafka on 127.0.0.1:$port"
"$bin" dev-kafka --listen "127.0.0.1:$port" > "$work/dev-kafka.out" 2> "$work/dev-kafka.log" &
pids+=($!)
for _ in $(seq 100); do grep -q bootstrap.servers= "$work/dev-kafka.out" 2>/dev/null && break; sleep 0.1; done
grep bootstrap.servers= "$work/dev-kafka.out" || { echo "dev-kafka did not start:"; cat "$work/dev-kafka.log"; exit 1; }

printf 'foo\nbar\n' > "$work/test.txt"
echo "== starting connect-standalone with the shipped example configs"
(cd "$work" && exec "$OLDPWD/$bin" --log-format console connect-standalone.properties connect-file-source.properties connect-file-sink.properties) \
  > "$work/connect.log" 2>&1 &
pids+=($!)

wait_lines() { # wait until the sink file has $1 lines
  for _ in $(seq 150); do
    [ -f "$work/test.sink.txt" ] && [ "$(wc -l < "$work/test.sink.txt")" -ge "$1" ] && return 0
    sleep 0.1
  done
  echo "timed out waiting for $1 lines in test.sink.txt; connect log:"; cat "$work/connect.log"; return 1
}
wait_lines 2
echo "== test.sink.txt after start:"; cat "$work/test.sink.txt"
printf 'baz\nhello from the demo\n' >> "$work/test.txt"
wait_lines 4
echo "== test.sink.txt after appending two lines to test.txt:"; cat "$work/test.sink.txt"
if cmp -s "$work/test.txt" "$work/test.sink.txt"; then echo "== OK: sink file is byte-identical to the source file"; else echo "== MISMATCH"; exit 1; fi
