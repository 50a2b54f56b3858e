#!/usr/bin/env bash
# make bench: connect-standalone side by side with kcat (and a bare sarama
# producer) on one dev-kafka, each scenario RUNS times alternating the order,
# then a table of medians and ratios. See docs/performance.md.
#
#   RUNS=3 LINES=1000000 LINE_BYTES=120 S5_SECONDS=5 SCENARIOS="S1 S2 S3 S4 S5" .ci/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-bin/connect-standalone}
runs=${RUNS:-3}
lines=${LINES:-1000000}
line_bytes=${LINE_BYTES:-120}
s5_seconds=${S5_SECONDS:-5}
scenarios=${SCENARIOS:-S1 S2 S3 S4 S5}

command -v kcat >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kcat > /dev/null
}
[ -x "$bin" ] || { echo "build $bin first (make build)"; exit 1; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

work=$(mktemp -d "${TMPDIR:-/tmp}/connect-bench.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
tool=$work/benchtool
go build -o "$tool" ./runner/kafka/internal/benchtool
tsv=$work/results.tsv
: > "$tsv"

read -r kport rport < <("$tool" freeport 2 | paste -sd' ')
brokers=127.0.0.1:$kport
echo "== work dir $work, dev-kafka on $brokers, REST on 127.0.0.1:$rport"
"$bin" dev-kafka --listen "$brokers" > "$work/dev-kafka.out" 2> "$work/dev-kafka.log" &
pids+=($!)
for _ in $(seq 100); do grep -q bootstrap.servers= "$work/dev-kafka.out" 2>/dev/null && break; sleep 0.1; done
grep -q bootstrap.servers= "$work/dev-kafka.out" || { echo "dev-kafka did not start"; cat "$work/dev-kafka.log"; exit 1; }

input=$work/input.txt
"$tool" gen -n "$lines" -size "$line_bytes" > "$input"
bytes=$(stat -c %s "$input")
echo "== input: $lines lines, $bytes bytes"

# worker FILE RUN-TAG CONVERTER [extra lines...]: a worker config with the
# shipped defaults but for the converters, paths and REST port.
worker() {
  local f=$1 tag=$2 conv=$3; shift 3
  {
    echo "bootstrap.servers=$brokers"
    echo "key.converter=$conv"
    echo "value.converter=$conv"
    echo "offset.storage.file.filename=$work/offsets-$tag"
    echo "offset.flush.interval.ms=10000"
    echo "listeners=http://127.0.0.1:$rport"
    printf '%s\n' "$@"
  } > "$f"
}
string=org.apache.kafka.connect.storage.StringConverter
json=org.apache.kafka.connect.json.JsonConverter
m() { "$tool" measure -tsv "$tsv" -stderr "$work/ours.log" "$@" || echo "   (run failed, excluded from the medians)"; }
order() { if [ $(($1 % 2)) -eq 1 ]; then echo "$2 $3"; else echo "$3 $2"; fi; }
want() { [[ " $scenarios " == *" $1 "* ]]; }

if want S1; then
  echo "== S1 source: $lines lines, FileStreamSource + StringConverter vs kcat -P -l vs bare sarama"
  for r in $(seq "$runs"); do
    for impl in $(order "$r" kcat ours) ours-batch1m sarama; do
      t=s1-$impl-$r
      case $impl in
        kcat) m -scenario S1 -impl kcat -run "$r" -brokers "$brokers" -topic "$t" -expect "$lines" -bytes "$bytes" \
                -- kcat -P -b "$brokers" -t "$t" -l "$input" ;;
        sarama) m -scenario S1 -impl sarama -run "$r" -brokers "$brokers" -topic "$t" -expect "$lines" -bytes "$bytes" \
                -- "$tool" produce -brokers "$brokers" -topic "$t" -file "$input" ;;
        ours|ours-batch1m)
          # ours-batch1m: the same with producer.batch.size=1048576, to show
          # how far Connect's 16 KB batches (one request in flight) bound S1.
          extra=()
          [ "$impl" = ours-batch1m ] && extra=(producer.batch.size=1048576)
          worker "$work/w-$t.properties" "$t" "$string" "${extra[@]}"
          printf 'name=src-%s\nconnector.class=FileStreamSource\ntasks.max=1\nfile=%s\ntopic=%s\n' "$t" "$input" "$t" > "$work/c-$t.properties"
          m -scenario S1 -impl "$impl" -run "$r" -brokers "$brokers" -topic "$t" -expect "$lines" -bytes "$bytes" \
            -- "$bin" --log-level warn "$work/w-$t.properties" "$work/c-$t.properties" ;;
      esac
      "$tool" deltopic -brokers "$brokers" "$t"
    done
  done
fi

if want S2; then
  echo "== S2 sink: topic -> FileStreamSink vs kcat -C -e"
  kcat -P -b "$brokers" -t s2-input -l "$input"
  for r in $(seq "$runs"); do
    for impl in $(order "$r" kcat ours); do
      out=$work/s2-$impl-$r.txt
      case $impl in
        kcat) m -scenario S2 -impl kcat -run "$r" -bytes "$bytes" -expect "$lines" -stdout "$out" \
                -- kcat -C -q -b "$brokers" -t s2-input -o beginning -e -f '%s\n' ;;
        ours)
          worker "$work/w-s2-$r.properties" "s2-$r" "$string"
          printf 'name=sink-%s\nconnector.class=FileStreamSink\ntasks.max=1\nfile=%s\ntopics=s2-input\n' "$r" "$out" > "$work/c-s2-$r.properties"
          m -scenario S2 -impl ours -run "$r" -bytes "$bytes" -expect "$lines" -size-file "$out" -size "$bytes" \
            -- "$bin" --log-level warn "$work/w-s2-$r.properties" "$work/c-s2-$r.properties" ;;
      esac
      if ! cmp -s "$input" "$out"; then
        echo "   S2 $impl run $r: output differs from the input"; printf 'S2\t%s\t%s\tfail\t1\n' "$impl" "$r" >> "$tsv"
      fi
      rm -f "$out"
    done
  done
  "$tool" deltopic -brokers "$brokers" s2-input
fi

if want S3; then
  echo "== S3 chain: S1 with JsonConverter (schemas on) and HoistField, InsertField, ReplaceField"
  for r in $(seq "$runs"); do
   for impl in ours+chain ours-batch1m; do
    t=s3-$impl-$r
    extra=()
    [ "$impl" = ours-batch1m ] && extra=(producer.batch.size=1048576)
    worker "$work/w-$t.properties" "$t" "$json" key.converter.schemas.enable=true value.converter.schemas.enable=true "${extra[@]}"
    cat > "$work/c-$t.properties" <<EOF
name=src-$t
connector.class=FileStreamSource
file=$input
topic=$t
transforms=hoist,insert,rename
transforms.hoist.type=org.apache.kafka.connect.transforms.HoistField\$Value
transforms.hoist.field=line
transforms.insert.type=org.apache.kafka.connect.transforms.InsertField\$Value
transforms.insert.static.field=source
transforms.insert.static.value=bench
transforms.rename.type=org.apache.kafka.connect.transforms.ReplaceField\$Value
transforms.rename.renames=line:message
EOF
    m -scenario S3 -impl "$impl" -run "$r" -brokers "$brokers" -topic "$t" -expect "$lines" -bytes "$bytes" \
      -- "$bin" --log-level warn "$work/w-$t.properties" "$work/c-$t.properties"
    "$tool" deltopic -brokers "$brokers" "$t"
   done
  done
fi

if want S4; then
  echo "== S4 startup and idle: exec -> GET /health 200 with a file source and a file sink, RSS after 5 s idle;"
  echo "   reference: the smallest Go net/http program answering /health (the Go runtime's own floor)"
  go build -trimpath -ldflags '-s -w' -o "$work/idlehttp" ./runner/kafka/internal/benchtool/idlehttp
  printf 'one\ntwo\n' > "$work/s4-in.txt"
  for r in $(seq "$runs"); do
    worker "$work/w-s4-$r.properties" "s4-$r" "$string"
    printf 'name=s4-src-%s\nconnector.class=FileStreamSource\nfile=%s\ntopic=s4-%s\n' "$r" "$work/s4-in.txt" "$r" > "$work/c1-s4-$r.properties"
    printf 'name=s4-sink-%s\nconnector.class=FileStreamSink\nfile=%s\ntopics=s4-%s\n' "$r" "$work/s4-out-$r.txt" "$r" > "$work/c2-s4-$r.properties"
    for impl in $(order "$r" go-http ours); do
      if [ "$impl" = ours ]; then
        m -scenario S4 -impl ours -run "$r" -health "http://127.0.0.1:$rport/health" -idle 5s \
          -- "$bin" --log-level warn "$work/w-s4-$r.properties" "$work/c1-s4-$r.properties" "$work/c2-s4-$r.properties"
      else
        m -scenario S4 -impl go-http -run "$r" -health "http://127.0.0.1:$rport/health" -idle 5s \
          -- "$work/idlehttp" "127.0.0.1:$rport"
      fi
    done
  done
fi

if want S5; then
  echo "== S5 tail latency: append -> consumed, 10,000 lines/s for ${s5_seconds}s: FileTailSource vs tail -F | kcat -P"
  for r in $(seq "$runs"); do
    for impl in $(order "$r" kcat ours); do
      log=$work/s5-$impl-$r.log t=s5-$impl-$r
      : > "$log"
      # created first: librdkafka may wait long for an auto-created topic
      "$tool" mktopic -brokers "$brokers" "$t"
      if [ "$impl" = ours ]; then
        worker "$work/w-$t.properties" "$t" "$string"
        printf 'name=%s\nconnector.class=FileTailSource\npaths=%s\ntopic=%s\n' "$t" "$log" "$t" > "$work/c-$t.properties"
        "$bin" --log-level warn "$work/w-$t.properties" "$work/c-$t.properties" 2>> "$work/ours.log" &
        p=$!
        for _ in $(seq 200); do curl -fs "http://127.0.0.1:$rport/health" >/dev/null 2>&1 && break; sleep 0.05; done
      else
        (exec > /dev/null 2>> "$work/kcat.log"; tail -F -n0 "$log" | kcat -P -b "$brokers" -t "$t") &
        p=$!
      fi
      "$tool" latency -tsv "$tsv" -impl "$impl" -run "$r" -brokers "$brokers" -topic "$t" -file "$log" \
        -rate 10000 -duration "${s5_seconds}s" || echo "   (run failed)"
      if [ "$impl" = ours ]; then kill "$p"; else pkill -P "$p" || true; fi
      wait "$p" 2>/dev/null || true
      "$tool" deltopic -brokers "$brokers" "$t"
      rm -f "$log"
    done
  done
fi

echo
echo "== medians of $runs runs ($(nproc) CPUs, $(go version | cut -d' ' -f3), $(kcat -V 2>&1 | sed -n 's/^Version \([^ ]*\).*librdkafka \([^ ]*\).*/kcat \1, librdkafka \2/p' || true))"
"$tool" table -tsv "$tsv" -ref S1=kcat -ref S2=kcat -ref S3=S1/ours -ref S4=go-http -ref S5=kcat
cp "$tsv" "${BENCH_TSV:-bin/bench-results.tsv}" 2>/dev/null || true
