#!/usr/bin/env bash
# End-to-end checks of the built binary with real clients nobody here wrote:
# kcat (librdkafka) reads what our source wrote and writes what our sink reads.
set -euo pipefail
bin=$(realpath "${BIN:-bin/connect-standalone}")
work=$(mktemp -d "${TMPDIR:-/tmp}/connect-e2e.XXXXXX")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 19092)
broker=127.0.0.1:$port
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 -- "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
passed=0 failed=0
ok()   { echo "PASS: $*"; passed=$((passed+1)); }
fail() { echo "FAIL: $*"; failed=$((failed+1)); }
waitfor() { # waitfor SECONDS CMD...: poll until CMD succeeds
  local n=$(( $1 * 10 )); shift
  for _ in $(seq "$n"); do "$@" && return 0; sleep 0.1; done; return 1
}
lines() { [ -f "$1" ] && wc -l < "$1" || echo 0; }
atleast() { [ "$(lines "$1")" -ge "$2" ]; } # atleast FILE N: FILE has N lines or more

"$bin" dev-kafka --listen "$broker" > "$work/dev-kafka.out" 2> "$work/dev-kafka.log" &
pids+=($!)
waitfor 10 grep -q bootstrap.servers= "$work/dev-kafka.out" || { cat "$work/dev-kafka.log"; exit 1; }

restport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 18083)
rest=http://127.0.0.1:$restport
worker() { # worker FILE CONVERTER SCHEMAS
  cat > "$1" <<PROPS
listeners=$rest
bootstrap.servers=$broker
key.converter=$2
value.converter=$2
key.converter.schemas.enable=$3
value.converter.schemas.enable=$3
offset.storage.file.filename=$work/$(basename "$1" .properties).offsets
offset.flush.interval.ms=500
# a killed sink's group member holds its partitions until its session expires
consumer.session.timeout.ms=6000
consumer.heartbeat.interval.ms=1000
PROPS
}
connector() { # connector FILE NAME CLASS FILE TOPICKEY TOPIC
  printf 'name=%s\nconnector.class=%s\ntasks.max=1\nfile=%s\n%s=%s\n' "$2" "$3" "$4" "$5" "$6" > "$1"
}
start() { # start LOG ARGS...: run the binary in the background
  local log=$1; shift
  "$bin" --log-format json "$@" > "$log" 2>&1 &
  pid=$!; pids+=($pid)
}

# 1. Kafka's example configs (JsonConverter, schemas on): file -> topic -> file.
seq -f 'line %g of the e2e source file' 1 2000 > "$work/in1.txt"
worker "$work/w1.properties" org.apache.kafka.connect.json.JsonConverter true
connector "$work/src1.properties" local-file-source FileStreamSource "$work/in1.txt" topic e2e-json
connector "$work/snk1.properties" local-file-sink FileStreamSink "$work/out1.txt" topics e2e-json
start "$work/run1.log" "$work/w1.properties" "$work/src1.properties" "$work/snk1.properties"
if waitfor 30 atleast "$work/out1.txt" 2000 && cmp -s "$work/in1.txt" "$work/out1.txt"; then
  ok "JsonConverter round trip: sink file byte-identical to the source file"
else fail "JsonConverter round trip (see $work/run1.log)"; fi

kcat -C -b "$broker" -t e2e-json -e -q -f '%s\n' > "$work/kcat1.txt" 2> "$work/kcat1.err" || true
expected=$(head -1 "$work/in1.txt")
if [ "$(wc -l < "$work/kcat1.txt")" -eq 2000 ] && \
   [ "$(head -1 "$work/kcat1.txt")" = "{\"schema\":{\"type\":\"string\",\"optional\":false},\"payload\":\"$expected\"}" ]; then
  ok "kcat reads 2000 records with Kafka's JSON envelope"
else fail "kcat content: $(head -1 "$work/kcat1.txt") ($(wc -l < "$work/kcat1.txt") records)"; fi
if kcat -C -b "$broker" -t e2e-json -e -q -f '%k|\n' | head -1 | grep -qx '|'; then ok "record keys are null"; else fail "record keys not null"; fi

# 2. Clean restart (SIGTERM) appends only new lines: no duplicates.
kill -TERM "$pid"; wait "$pid" 2>/dev/null; rc=$?
[ "$rc" -eq 0 ] && ok "SIGTERM exits 0" || fail "SIGTERM exit code $rc"
seq -f 'after restart %g' 1 100 >> "$work/in1.txt"
start "$work/run1b.log" "$work/w1.properties" "$work/src1.properties" "$work/snk1.properties"
if waitfor 30 atleast "$work/out1.txt" 2100 && sleep 1.5 && cmp -s "$work/in1.txt" "$work/out1.txt"; then
  ok "clean restart resumes without duplicates"
else fail "clean restart: $(lines "$work/out1.txt") lines (see $work/run1b.log)"; fi

# 3. kill -9 then restart loses nothing (duplicates allowed, bounded by the flush interval).
seq -f 'before crash %g' 1 500 >> "$work/in1.txt"
waitfor 30 atleast "$work/out1.txt" 2600 || true
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
seq -f 'after crash %g' 1 100 >> "$work/in1.txt"
start "$work/run1c.log" "$work/w1.properties" "$work/src1.properties" "$work/snk1.properties"
waitfor 30 grep -q 'after crash 100$' "$work/out1.txt" || true
sleep 1
if diff <(sort -u "$work/in1.txt") <(sort -u "$work/out1.txt") > /dev/null; then
  ok "kill -9 restart loses no line ($(lines "$work/out1.txt") written for $(lines "$work/in1.txt") lines)"
else fail "kill -9 restart lost lines"; fi
kill -TERM "$pid"; wait "$pid" 2>/dev/null || true

# 4. Records produced by kcat reach FileStreamSink (StringConverter), in order.
worker "$work/w2.properties" org.apache.kafka.connect.storage.StringConverter false
seq -f 'kcat line %g' 1 1000 > "$work/in2.txt"
kcat -P -b "$broker" -t e2e-kcat -l "$work/in2.txt"
connector "$work/snk2.properties" kcat-sink FileStreamSink "$work/out2.txt" topics e2e-kcat
start "$work/run2.log" "$work/w2.properties" "$work/snk2.properties"
if waitfor 30 atleast "$work/out2.txt" 1000 && cmp -s "$work/in2.txt" "$work/out2.txt"; then
  ok "kcat-produced records written by FileStreamSink byte-identically"
else fail "kcat -> sink (see $work/run2.log)"; fi
kill -TERM "$pid"; wait "$pid" 2>/dev/null || true

# 5. Error handling: kcat produces good and malformed JSON; with errors.tolerance=all the
#    sink writes the good ones and the bad one lands in the DLQ with its context headers.
worker "$work/w3.properties" org.apache.kafka.connect.json.JsonConverter false
printf '%s\n' '{"n":1}' '{"n":' '{"n":3}' | kcat -P -b "$broker" -t e2e-errors -H origin=kcat
connector "$work/snk3.properties" dlq-sink FileStreamSink "$work/out3.txt" topics e2e-errors
printf 'errors.tolerance=all\nerrors.deadletterqueue.topic.name=e2e-dlq\nerrors.deadletterqueue.topic.replication.factor=1\nerrors.deadletterqueue.context.headers.enable=true\nerrors.log.enable=true\n' >> "$work/snk3.properties"
start "$work/run3.log" "$work/w3.properties" "$work/snk3.properties"
if waitfor 30 atleast "$work/out3.txt" 2 && [ "$(cat "$work/out3.txt")" = "$(printf '{n=1}\n{n=3}')" ]; then
  ok "tolerance=all skips the malformed record"
else fail "tolerance=all sink output (see $work/run3.log)"; fi
kcat -C -b "$broker" -t e2e-dlq -e -q -f '%s|%h\n' > "$work/dlq.txt" 2>/dev/null || true
if grep -q '^{"n":|origin=kcat,__connect.errors.topic=e2e-errors,__connect.errors.partition=0,__connect.errors.offset=1,__connect.errors.connector.name=dlq-sink,__connect.errors.task.id=0,__connect.errors.stage=VALUE_CONVERTER,__connect.errors.class.name=org.apache.kafka.connect.json.JsonConverter,__connect.errors.exception.class.name=org.apache.kafka.connect.errors.DataException,' "$work/dlq.txt" \
   && [ "$(wc -l < "$work/dlq.txt")" -ge 1 ]; then
  ok "kcat reads the malformed record from the DLQ with the __connect.errors.* headers"
else fail "DLQ content: $(head -c 400 "$work/dlq.txt")"; fi
kill -TERM "$pid"; wait "$pid" 2>/dev/null || true

# 5b. REST API with curl: no connector files; create, status, delete over REST.
start "$work/run4.log" "$work/w2.properties"
if waitfor 30 curl -sf "$rest/health" -o /dev/null; then ok "GET /health is 200 with zero connector files"; else fail "health (see $work/run4.log)"; fi
seq -f 'rest line %g' 1 50 > "$work/in4.txt"
code=$(curl -s -o "$work/create.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' "$rest/connectors" \
  -d "{\"name\":\"rest-src\",\"config\":{\"connector.class\":\"FileStreamSource\",\"tasks.max\":\"1\",\"file\":\"$work/in4.txt\",\"topic\":\"e2e-rest\"}}")
if [ "$code" = 201 ] && grep -q '"tasks":\[{"connector":"rest-src","task":0}\],"type":"source"}' "$work/create.json"; then
  ok "POST /connectors creates a connector (201)"
else fail "POST /connectors: $code $(cat "$work/create.json")"; fi
curl -s -X POST -H 'Content-Type: application/json' "$rest/connectors" \
  -d "{\"name\":\"rest-snk\",\"config\":{\"connector.class\":\"FileStreamSink\",\"file\":\"$work/out4.txt\",\"topics\":\"e2e-rest\"}}" > /dev/null
running() { curl -s "$rest/connectors/rest-src/status" | grep -q '"connector":{"state":"RUNNING".*"tasks":\[{"id":0,"state":"RUNNING"'; }
if waitfor 30 running; then ok "GET /connectors/rest-src/status shows RUNNING"; else fail "status: $(curl -s "$rest/connectors/rest-src/status")"; fi
if waitfor 30 atleast "$work/out4.txt" 50 && cmp -s "$work/in4.txt" "$work/out4.txt"; then ok "connectors created over REST move the data"; else fail "REST-created connectors (see $work/run4.log)"; fi
code=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "$rest/connectors/rest-src")
body=$(curl -s "$rest/connectors/rest-src")
if [ "$code" = 204 ] && [ "$body" = '{"error_code":404,"message":"Connector rest-src not found"}' ]; then
  ok "DELETE /connectors/rest-src (204), then 404 with Kafka's error body"
else fail "delete: $code $body"; fi
kill -TERM "$pid"; wait "$pid" 2>/dev/null || true

# 6. Exit codes as Kafka's.
set +e
"$bin" > /dev/null 2>&1; rc=$?; [ "$rc" -eq 1 ] && ok "no arguments exits 1" || fail "no arguments exit $rc"
"$bin" "$work/missing.properties" > /dev/null 2>&1; rc=$?; [ "$rc" -eq 2 ] && ok "missing worker file exits 2" || fail "missing worker file exit $rc"
printf 'name=bad\nconnector.class=NoSuchConnector\n' > "$work/bad.properties"
"$bin" "$work/w2.properties" "$work/bad.properties" > "$work/bad.log" 2>&1; rc=$?
[ "$rc" -eq 3 ] && grep -q 'Failed to find any class that implements Connector' "$work/bad.log" && ok "unknown connector class exits 3 naming the problem" || fail "unknown connector exit $rc"
set -e

# 7. The README's 5-minute tour, command for command: the sh blocks between the
#    tour markers, with only the ports and the scratch paths substituted.
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
tkafka=$(freeport) trest=$(freeport)
awk '/^<!-- tour/{t=1;next} /^<!-- \/tour -->/{t=0} t && /^ *```sh/{c=1;next} t && /^ *```$/{c=0;next} t&&c{sub(/^   /,""); print}' \
  README.md > "$work/tour.md.sh"
tour_ok=1
for want in 'bin/connect-standalone dev-kafka ' localhost:9092 localhost:8083 examples/tour/ /tmp/connect-tour; do
  grep -qF -- "$want" "$work/tour.md.sh" || { tour_ok=0; fail "README tour no longer contains '$want': update .ci/e2e.sh"; }
done
mkdir -p "$work/tour"
cp examples/tour/* "$work/tour/"
subst() { sed -e "s#bin/connect-standalone dev-kafka #bin/connect-standalone dev-kafka --listen 127.0.0.1:$tkafka #" \
  -e "s#bin/connect-standalone#$bin#g" -e "s#localhost:9092#127.0.0.1:$tkafka#g" -e "s#localhost:8083#127.0.0.1:$trest#g" \
  -e "s#examples/tour/#$work/tour/#g" -e "s#/tmp/connect-tour#$work/tour-run#g" "$@"; }
subst "$work/tour.md.sh" > "$work/tour.sh"
for f in examples/tour/*.properties; do subst "$f" > "$work/tour/$(basename "$f")"; done
echo "listeners=http://127.0.0.1:$trest" >> "$work/tour/worker.properties"
if [ "$tour_ok" = 1 ]; then
  # Its own session, so that whatever the tour leaves running can be stopped.
  (cd "$work" && setsid bash -c 'echo $$ > tour.sid; exec timeout 90 bash -euo pipefail tour.sh' > tour.out 2> tour.err) \
    && rc=0 || rc=$?
  tsid=$(cat "$work/tour.sid"); pids+=("-$tsid")
  out=$(cat "$work/tour.out")
  [ "$rc" -eq 0 ] && ok "README tour runs (exit 0)" || fail "README tour exit $rc: $(tail -5 "$work/tour.err")"
  grep -qx 'transform chain OK' <<<"$out" && ok "tour: transform chain matches expected.jsonl" || fail "tour: transform chain"
  grep -q '"status":"healthy"' <<<"$out" && ok "tour: worker healthy" || fail "tour: health"
  if grep -qxF '{"line":"GET /checkout 200 12ms","service":"checkout"}' <<<"$out" && \
     grep -qxF '{"line":"POST /cart 201 48ms","service":"checkout"}' <<<"$out"; then
    ok "tour: kcat shows the shipped lines as in the README"
  else fail "tour: kcat output: $out"; fi
  grep -q '"connector":{"state":"RUNNING"' <<<"$out" && ok "tour: status RUNNING" || fail "tour: status"
  grep -qx 'kafka_connect_source_task_source_record_poll_total{connector="app-logs",task="0"} 2' <<<"$out" \
    && ok "tour: /metrics counts the 2 polled records" || fail "tour: metrics"
  # kill %2 %1 is SIGTERM: both exit and the worker commits the offsets.
  if waitfor 15 bash -c "! kill -0 -- -$tsid 2>/dev/null" && [ -s "$work/tour-run/connect.offsets" ]; then
    ok "tour: kill %2 %1 stops both; offsets committed"
  else fail "tour: processes left or no offsets file"; fi
fi

# 8. Release binaries (make release): checksums, static, trimmed, stamped.
dist=${DIST:-dist}
rbin=$dist/connect-standalone-$(go env GOOS)-$(go env GOARCH)
if [ ! -f "$dist/SHA256SUMS" ] || [ ! -x "$rbin" ]; then
  fail "no release in $dist (run make release)"; rbin=$bin
else
  rbin=$(realpath "$rbin")
  (cd "$dist" && sha256sum -c --quiet SHA256SUMS) && [ "$(wc -l < "$dist/SHA256SUMS")" -eq 3 ] \
    && ok "SHA256SUMS verifies the 3 release binaries" || fail "SHA256SUMS"
  for p in linux/amd64 linux/arm64 darwin/arm64; do
    f=$dist/connect-standalone-${p%/*}-${p#*/}; m=$(go version -m "$f" 2>&1 || true)
    if grep -q 'CGO_ENABLED=0' <<<"$m" && grep -q -- '-trimpath=true' <<<"$m" && grep -q "GOOS=${p%/*}" <<<"$m" \
       && grep -q "GOARCH=${p#*/}" <<<"$m"; then
      ok "$p: no cgo, trimmed paths (go version -m)"
    else fail "$p build info: $m"; fi
    case $p in linux/*)
      if file "$f" | grep -q 'statically linked.*stripped' && ! readelf -lW "$f" | grep -q INTERP \
         && readelf -d "$f" | grep -q 'no dynamic section'; then
        ok "$p: static ELF, no interpreter, no dynamic section, stripped"
      else fail "$p not static: $(file "$f")"; fi;;
    esac
  done
fi
vline=$("$rbin" --version)
if [[ $vline =~ ^connect-standalone\ ([^ ]+)\ \(commit\ ([0-9a-f]{7,}),\ built\ [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z\)$ ]] \
   && [ "${BASH_REMATCH[1]}" != dev ]; then
  rversion=${BASH_REMATCH[1]} rcommit=${BASH_REMATCH[2]}; ok "--version: $vline"
else fail "--version: $vline"; rversion=x rcommit=x; fi

# 9. The Kubernetes example: the manifest parses and is consistent (k8s_example.py), and its
#    worker and connector files run the release binary as the sidecar would: empty environment
#    (no HOME), every file system read-only but the offsets directory, the log directory
#    read-only, the probe command from the manifest, records read back with kcat.
yamlpy=$(for p in python3 /usr/bin/python3; do "$p" -c 'import yaml' 2>/dev/null && { echo "$p"; break; }; done)
k8s=$work/k8s; mkdir -p "$k8s/root" "$k8s/log" "$k8s/offsets" "$k8s/cfg"
if [ -z "$yamlpy" ]; then fail "no python3 with yaml (apt-get install python3-yaml)"
elif "$yamlpy" .ci/k8s_example.py examples/kubernetes/app-with-log-shipper.yaml Dockerfile "$k8s/cfg" > "$k8s/check.out" 2>&1; then
  ok "$(cat "$k8s/check.out")"
  . "$k8s/cfg/env.sh"
  krest=127.0.0.1:$(freeport)
  remap() { sed -e "s#$K8S_CONNECTORS_DIR#$k8s/cfg/connectors#g" -e "s#$K8S_LOG_DIR#$k8s/log#g" \
    -e "s#$(dirname "$K8S_OFFSETS")#$k8s/offsets#g" -e "s#$K8S_LISTENER#$krest#g" -e "s#$K8S_BINARY#$rbin#g" \
    -e "s#^bootstrap.servers=.*#bootstrap.servers=$broker#" "$@"; }
  remap "$k8s/cfg/worker.properties" > "$k8s/root/worker.properties"
  for f in "$k8s/cfg/connectors"/*; do remap -i --follow-symlinks "$f"; done
  probe=$(remap <<<"$K8S_PROBE")
  echo "first line before start" > "$k8s/log/app.log"
  sandbox() { # sandbox RWDIR CMD...: exec CMD with an empty environment, all read-only but RWDIR
    local ns=(unshare --mount --propagation private)
    [ "$(id -u)" -eq 0 ] || ns=(unshare --user --map-root-user --mount --propagation private)
    cd "$k8s/root" && exec "${ns[@]}" sh -c '
      rw=$1; shift
      mount --bind "$rw" "$rw" || exit 97
      findmnt -rno TARGET | while read -r m; do
        case $m in /proc|/proc/*|/sys|/sys/*|/dev|/dev/*|"$rw") ;; *) mount -o remount,bind,ro "$m" 2>/dev/null;; esac
      done
      for d in / /tmp "$PWD" "${HOME:-/root}" "$(dirname "$rw")"; do
        (: > "$d/.rw-probe") 2>/dev/null && { echo "$d is writable" >&2; exit 98; }
      done
      exec env -i "$@"' sh "$@"
  }
  probe_ok() { (sandbox "$k8s/offsets" $probe); }
  sidecar() { # sidecar LOG [CONNECTOR FILES]: the worker, as the manifest runs it
    local log=$1; shift
    (sandbox "$k8s/offsets" "$rbin" --log-format json "$k8s/root/worker.properties" "$@") > "$log" 2>&1 &
    pid=$!; pids+=($pid) # the subshell execs: this is the worker's pid
  }
  sidecar "$k8s/run.log"
  if waitfor 30 probe_ok > "$k8s/probe.out" 2>&1; then
    ok "sidecar: the manifest's probe passes ($(tail -1 "$k8s/probe.out" | head -c 40)...) in a read-only sandbox, env -i"
  else fail "sidecar probe: $(cat "$k8s/probe.out") (see $k8s/run.log)"; fi
  if curl -s "http://$krest/connectors" | grep -q '"app-logs"'; then
    ok "sidecar: the connector comes from connectors.dir (the ConfigMap layout)"
  else fail "sidecar: connectors.dir not loaded (see $k8s/run.log)"; fi
  printf '%s\n' "second line" "third line" >> "$k8s/log/app.log"
  kcat -C -b "$broker" -t app-logs -c 3 -q -f '%s|%h\n' -X allow.auto.create.topics=true > "$k8s/kcat.txt" 2>&1 &
  kpid=$!; pids+=($kpid)
  waitfor 30 atleast "$k8s/kcat.txt" 3 || true
  if [ "$(cut -d'|' -f1 "$k8s/kcat.txt")" = "$(cat "$k8s/log/app.log")" ] && \
     grep -q "^second line|file.path=$k8s/log/app.log,host=" "$k8s/kcat.txt"; then
    ok "sidecar: FileTailSource ships the log lines with file.path and host headers"
  else fail "sidecar records: $(cat "$k8s/kcat.txt") (see $k8s/run.log)"; fi
  root=$(curl -s "http://$krest/")
  grep -q "\"version\":\"$rversion\",\"commit\":\"$rcommit\"" <<<"$root" && ok "GET / reports the stamped version and commit" \
    || fail "GET /: $root (--version: $vline)"
  kill -TERM "$pid"; wait "$pid" 2>/dev/null; rc=$?
  if [ "$rc" -eq 0 ] && [ -s "$k8s/offsets/$(basename "$K8S_OFFSETS")" ] && ! grep -q '"level":"error"' "$k8s/run.log"; then
    ok "sidecar: clean stop, offsets written on the only writable path, no error logged"
  else fail "sidecar stop: exit $rc, offsets $(ls "$k8s/offsets"), errors: $(grep '"level":"error"' "$k8s/run.log" | head -3)"; fi
else fail "$(cat "$k8s/check.out")"; fi

# 10. The Dockerfile: multi-stage, static build, distroless non-root runtime, the REST port,
#     no HEALTHCHECK, the offsets volume (no Docker engine here to build it).
df=Dockerfile
if [ "$(grep -c '^FROM ' $df)" -eq 2 ] && grep -q '^FROM gcr.io/distroless/static' $df && grep -q 'CGO_ENABLED=0 go build -trimpath' $df \
   && grep -qx 'USER 65532:65532' $df && grep -qx 'EXPOSE 8083' $df && ! grep -q '^HEALTHCHECK' $df \
   && grep -q '^VOLUME \["/var/lib/connect"\]' $df && grep -qx 'ENTRYPOINT \["/usr/local/bin/connect-standalone"\]' $df; then
  ok "Dockerfile: multi-stage, static, distroless non-root, EXPOSE 8083, no HEALTHCHECK, offsets volume"
else fail "Dockerfile shape"; fi

# 11. docs/migration.md: moving a connector with its offsets (the recipe block, run as written
#     with HERE/THERE/C set here), and a Java-format offsets file seeded as the page says.
mig=$work/migration; mkdir -p "$mig"
awk '/^<!-- recipe/{t=1;next} /^<!-- \/recipe -->/{t=0} t && /^```sh/{c=1;next} t && /^```$/{c=0;next} t&&c' docs/migration.md > "$mig/recipe.md.sh"
seed=$(awk '/^```sh/{c=1;b="";next} /^```$/{if (b ~ /base64 -d/) print b; c=0;next} c{b=b $0 "\n"}' docs/migration.md)
if ! head -1 "$mig/recipe.md.sh" | grep -q '^HERE=.* THERE=.* C=local-file-source$' || [ -z "$seed" ]; then
  fail "docs/migration.md: recipe or seed block not found"
else
  here=127.0.0.1:$(freeport) there=127.0.0.1:$(freeport)
  # "here" starts on a Java-format file seeded with the page's command.
  sed "s#/var/lib/connect/connect.offsets#$mig/here.offsets#" <<<"$seed" | bash
  for side in here there; do
    worker "$mig/$side.properties" org.apache.kafka.connect.storage.StringConverter false
    sed -i -e "s#^listeners=.*#listeners=http://${!side}#" -e "s#^offset.storage.file.filename=.*#offset.storage.file.filename=$mig/$side.offsets#" "$mig/$side.properties"
  done
  seq -f 'moved line %g' 1 300 > "$mig/in.txt"
  connector "$mig/src.properties" local-file-source FileStreamSource "$mig/in.txt" topic e2e-move
  start "$mig/here.log" "$mig/here.properties" "$mig/src.properties"; herepid=$pid
  start "$mig/there.log" "$mig/there.properties"; therepid=$pid
  moved() { kcat -C -b "$broker" -t e2e-move -e -q -f '%s\n' 2>/dev/null > "$mig/topic.txt"; atleast "$mig/topic.txt" "$1"; }
  waitfor 30 moved 300 || true
  waitfor 30 curl -sf "http://$there/health" -o /dev/null || true
  sed "1s#.*#HERE=$here THERE=$there C=local-file-source#" "$mig/recipe.md.sh" > "$mig/recipe.sh"
  (cd "$mig" && bash -euo pipefail recipe.sh) > "$mig/recipe.out" 2>&1 && ok "migration recipe runs" || fail "migration recipe: $(tail -3 "$mig/recipe.out")"
  seq -f 'after the move %g' 1 200 >> "$mig/in.txt"
  waitfor 30 moved 500 || true; sleep 1; moved 500 || true
  if cmp -s "$mig/in.txt" "$mig/topic.txt"; then
    ok "migration: the connector continues on the other worker from its offsets (no loss, no duplicate)"
  else fail "migration: topic has $(lines "$mig/topic.txt") lines for $(lines "$mig/in.txt") (see $mig/*.log)"; fi
  kill -TERM "$herepid" "$therepid"; wait "$herepid" "$therepid" 2>/dev/null || true
  # Java reads the file the seeded worker wrote: it kept Java's format.
  cat > "$mig/ReadOffsets.java" <<'JAVA'
import java.io.*;
import java.util.*;
public class ReadOffsets {
  public static void main(String[] a) throws Exception {
    try (ObjectInputStream in = new ObjectInputStream(new FileInputStream(a[0]))) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) in.readObject()).entrySet())
        System.out.println(new String((byte[]) e.getKey(), "UTF-8") + " " + new String((byte[]) e.getValue(), "UTF-8"));
    }
  }
}
JAVA
  if [ "$(java "$mig/ReadOffsets.java" "$mig/here.offsets" 2>&1)" = "[\"local-file-source\",{\"filename\":\"$mig/in.txt\"}] {\"position\":$(head -300 "$mig/in.txt" | wc -c)}" ]; then
    ok "migration: a seeded offsets file stays Java-serialized; the JDK reads the committed position"
  else fail "migration: JDK read of $mig/here.offsets: $(java "$mig/ReadOffsets.java" "$mig/here.offsets" 2>&1 | head -3)"; fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
