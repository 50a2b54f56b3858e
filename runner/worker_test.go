package runner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/offsets"
	"github.com/connect-go/connect-standalone/runner/devkafka"
	"github.com/connect-go/connect-standalone/runner/plugins"
	"github.com/connect-go/connect-standalone/runner/workerconfig"
)

// startBroker runs a dev-kafka broker for one test.
func startBroker(t *testing.T) string {
	t.Helper()
	b, err := devkafka.Start(context.Background(), devkafka.Options{Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b.Addr()
}

type testWorker struct {
	*Worker
	store *offsets.FileStore
}

func newTestWorker(t *testing.T, broker, offsetsFile string, extra map[string]string) *testWorker {
	t.Helper()
	props := map[string]string{
		"bootstrap.servers":                 broker,
		"key.converter":                     "org.apache.kafka.connect.json.JsonConverter",
		"value.converter":                   "org.apache.kafka.connect.json.JsonConverter",
		"offset.storage.file.filename":      offsetsFile,
		"offset.flush.interval.ms":          "200",
		"task.shutdown.graceful.timeout.ms": "5000",
	}
	for k, v := range extra {
		props[k] = v
	}
	cfg, err := workerconfig.Parse(props)
	if err != nil {
		t.Fatal(err)
	}
	store, err := offsets.OpenFile(offsetsFile)
	if err != nil {
		t.Fatal(err)
	}
	log := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.InfoLevel)
	w := New(Options{Config: cfg, Registry: plugins.New(plugins.Builtins()), Offsets: store, Logger: log, WorkerID: "127.0.0.1:8083"})
	return &testWorker{Worker: w, store: store}
}

func (tw *testWorker) stop(t *testing.T) {
	t.Helper()
	tw.Stop(context.Background())
	if err := tw.store.Close(); err != nil {
		t.Fatal(err)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

func appendLines(t *testing.T, path string, from, to int) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for i := from; i <= to; i++ {
		fmt.Fprintf(f, "line %d\r\n", i) // \r\n: terminators are not part of the value
	}
}

func countLines(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	return strings.Count(string(b), "\n")
}

// TestFileRoundTrip is Kafka's ConnectStandaloneFileTest in-process: source
// file -> Kafka -> sink file, then a clean restart appends only new lines.
func TestFileRoundTrip(t *testing.T) {
	for _, schemas := range []string{"true", "false"} {
		t.Run("schemas.enable="+schemas, func(t *testing.T) {
			broker := startBroker(t)
			dir := t.TempDir()
			in, out, offs := filepath.Join(dir, "in.txt"), filepath.Join(dir, "out.txt"), filepath.Join(dir, "connect.offsets")
			appendLines(t, in, 1, 500)
			extra := map[string]string{"key.converter.schemas.enable": schemas, "value.converter.schemas.enable": schemas}
			source := map[string]string{"name": "local-file-source", "connector.class": "FileStreamSource", "tasks.max": "1", "file": in, "topic": "connect-test"}
			sink := map[string]string{"name": "local-file-sink", "connector.class": "FileStreamSink", "tasks.max": "1", "file": out, "topics": "connect-test"}

			run := func(wantLines int) {
				w := newTestWorker(t, broker, offs, extra)
				ctx := context.Background()
				if _, err := w.PutConnectorConfig(ctx, "local-file-source", source, TargetStarted, false); err != nil {
					t.Fatal(err)
				}
				if _, err := w.PutConnectorConfig(ctx, "local-file-sink", sink, TargetStarted, false); err != nil {
					t.Fatal(err)
				}
				waitFor(t, fmt.Sprintf("%d lines in the sink file", wantLines), func() bool { return countLines(out) >= wantLines })
				st, err := w.Status("local-file-source")
				if err != nil || st.Connector.State != StateRunning || len(st.Tasks) != 1 || st.Tasks[0].State != StateRunning {
					t.Fatalf("source status = %+v, %v", st, err)
				}
				w.stop(t)
			}
			run(500)
			appendLines(t, in, 501, 600)
			run(600)
			time.Sleep(300 * time.Millisecond)
			var want strings.Builder
			for i := 1; i <= 600; i++ {
				fmt.Fprintf(&want, "line %d\n", i)
			}
			got, _ := os.ReadFile(out)
			if string(got) != want.String() {
				t.Fatalf("sink file has %d lines, want 600 without duplicates", countLines(out))
			}
		})
	}
}

func TestCreateErrors(t *testing.T) {
	broker := startBroker(t)
	w := newTestWorker(t, broker, filepath.Join(t.TempDir(), "o"), nil)
	defer w.stop(t)
	ctx := context.Background()
	tests := []struct {
		name   string
		config map[string]string
		want   string
	}{
		{"no class", map[string]string{"name": "a"}, "Connector config {name=a} contains no connector type"},
		{"unknown class", map[string]string{"name": "a", "connector.class": "Nope"}, "Failed to find any class that implements Connector and which name matches Nope"},
		{"missing topic", map[string]string{"name": "a", "connector.class": "FileStreamSource"},
			"Connector configuration is invalid and contains the following 1 error(s):\nMissing required configuration \"topic\" which has no default value."},
		{"bad tasks.max", map[string]string{"name": "a", "connector.class": "FileStreamSource", "topic": "t", "tasks.max": "0"},
			"Invalid value 0 for configuration tasks.max: Value must be at least 1"},
		{"sink without topics", map[string]string{"name": "a", "connector.class": "FileStreamSink"},
			"Must configure one of topics or topics.regex"},
	}
	for _, tt := range tests {
		_, err := w.PutConnectorConfig(ctx, tt.config["name"], tt.config, TargetStarted, false)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want it to contain %q", tt.name, err, tt.want)
		}
	}
	ok := map[string]string{"name": "dup", "connector.class": "FileStreamSink", "topics": "t", "file": filepath.Join(t.TempDir(), "x")}
	if _, err := w.PutConnectorConfig(ctx, "dup", ok, TargetStarted, false); err != nil {
		t.Fatal(err)
	}
	if _, err := w.PutConnectorConfig(ctx, "dup", ok, TargetStarted, false); err == nil || !strings.Contains(err.Error(), "Connector dup already exists") {
		t.Errorf("duplicate create: %v", err)
	}
}
