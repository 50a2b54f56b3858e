package runner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestChainsInBothPaths runs the quickstart's transform example end to end:
// the source chain (after poll, before conversion) wraps and tags each line
// and routes the topic; the sink chain (after conversion, before put)
// extracts the line again.
func TestChainsInBothPaths(t *testing.T) {
	broker := startBroker(t)
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.txt"), filepath.Join(dir, "out.txt")
	appendLines(t, in, 1, 200)
	w := newTestWorker(t, broker, filepath.Join(dir, "offsets"), map[string]string{"value.converter.schemas.enable": "false"})
	defer w.stop(t)
	ctx := context.Background()
	source := map[string]string{"name": "src", "connector.class": "FileStreamSource", "file": in, "topic": "raw",
		"transforms":                  "hoist,tag,route",
		"transforms.hoist.type":       "org.apache.kafka.connect.transforms.HoistField$Value",
		"transforms.hoist.field":      "line",
		"transforms.tag.type":         "org.apache.kafka.connect.transforms.InsertField$Value",
		"transforms.tag.static.field": "data_source", "transforms.tag.static.value": "test-file-source",
		"transforms.route.type": "RegexRouter", "transforms.route.regex": "r(a)w", "transforms.route.replacement": "routed-$1"}
	sink := map[string]string{"name": "snk", "connector.class": "FileStreamSink", "file": out, "topics": "routed-a",
		"transforms": "extract", "transforms.extract.type": "org.apache.kafka.connect.transforms.ExtractField$Value",
		"transforms.extract.field": "line"}
	for _, c := range []map[string]string{source, sink} {
		if _, err := w.PutConnectorConfig(ctx, c["name"], c, TargetStarted, false); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "200 lines in the sink file", func() bool { return countLines(out) >= 200 })
	got, _ := os.ReadFile(out)
	var want strings.Builder
	for i := 1; i <= 200; i++ {
		fmt.Fprintf(&want, "line %d\n", i)
	}
	if string(got) != want.String() {
		t.Fatalf("sink file:\n%s", got)
	}
}

// TestDroppedSourceRecordsCommitNoOffset checks Kafka's rule (reference
// §5.2 item 6): records dropped by a transform are never submitted, so their
// offsets are not committed.
func TestDroppedSourceRecordsCommitNoOffset(t *testing.T) {
	broker := startBroker(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "in.txt")
	appendLines(t, in, 1, 50)
	w := newTestWorker(t, broker, filepath.Join(dir, "offsets"), nil)
	ctx := context.Background()
	cfg := map[string]string{"name": "drop-all", "connector.class": "FileStreamSource", "file": in, "topic": "t",
		"transforms": "drop", "transforms.drop.type": "Filter"}
	if _, err := w.PutConnectorConfig(ctx, "drop-all", cfg, TargetStarted, false); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the task running", func() bool {
		st, err := w.Status("drop-all")
		return err == nil && len(st.Tasks) == 1 && st.Tasks[0].State == StateRunning
	})
	time.Sleep(600 * time.Millisecond) // several flush intervals
	w.stop(t)
	if parts := w.store.Partitions("drop-all"); len(parts) != 0 {
		t.Fatalf("offsets committed for dropped records: %v", parts)
	}
}
