package runner

import (
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/offsets"
	"github.com/connect-go/connect-standalone/runner/metrics"
	"github.com/connect-go/connect-standalone/runner/plugins"
	"github.com/connect-go/connect-standalone/runner/workerconfig"
)

// scrapeMetrics returns the value of every series of the /metrics page.
func scrapeMetrics(t *testing.T, m *metrics.Registry) map[string]float64 {
	t.Helper()
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(w.Body)
	out := map[string]float64{}
	for _, line := range strings.Split(string(body), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, _ := strconv.ParseFloat(line[i+1:], 64)
		out[line[:i]] = v
	}
	return out
}

func TestWorkerRecordsMetrics(t *testing.T) {
	broker := startBroker(t)
	dir := t.TempDir()
	in, out, offs := filepath.Join(dir, "in.txt"), filepath.Join(dir, "out.txt"), filepath.Join(dir, "connect.offsets")
	appendLines(t, in, 1, 300)
	cfg, err := workerconfig.Parse(map[string]string{
		"bootstrap.servers": broker, "offset.storage.file.filename": offs, "offset.flush.interval.ms": "100",
		"key.converter": "org.apache.kafka.connect.storage.StringConverter", "value.converter": "org.apache.kafka.connect.storage.StringConverter",
	})
	if err != nil {
		t.Fatal(err)
	}
	store, err := offsets.OpenFile(offs)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	reg := metrics.New(metrics.Options{NoRuntimeMetrics: true})
	w := New(Options{Config: cfg, Registry: plugins.New(plugins.Builtins()), Offsets: store,
		Logger: zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel), WorkerID: "127.0.0.1:8083", Metrics: reg})
	defer w.Stop(context.Background())
	ctx := context.Background()
	if _, err := w.PutConnectorConfig(ctx, "src", map[string]string{"name": "src", "connector.class": "FileStreamSource", "file": in, "topic": "m"}, TargetStarted, false); err != nil {
		t.Fatal(err)
	}
	if _, err := w.PutConnectorConfig(ctx, "snk", map[string]string{"name": "snk", "connector.class": "FileStreamSink", "file": out, "topics": "m"}, TargetStarted, false); err != nil {
		t.Fatal(err)
	}
	const src, snk = `{connector="src",task="0"}`, `{connector="snk",task="0"}`
	var got map[string]float64
	waitFor(t, "metrics of 300 records", func() bool {
		got = scrapeMetrics(t, reg)
		return got["kafka_connect_source_task_source_record_write_total"+src] == 300 &&
			got["kafka_connect_sink_task_sink_record_send_total"+snk] == 300 &&
			got["kafka_connect_sink_task_offset_commit_completion_total"+snk] > 0 &&
			got["kafka_connect_connector_task_offset_commit_success_percentage"+src] == 1
	})
	for series, v := range map[string]float64{
		"kafka_connect_source_task_source_record_poll_total" + src:                       300,
		"kafka_connect_sink_task_sink_record_read_total" + snk:                           300,
		"kafka_connect_sink_task_partition_count" + snk:                                  1,
		`kafka_connect_connector_status{connector="src",status="running"}`:               1,
		`kafka_connect_connector_task_status{connector="snk",status="running",task="0"}`: 1,
		"kafka_connect_worker_connector_count":                                           2,
		"kafka_connect_worker_task_count":                                                2,
		"kafka_connect_worker_connector_startup_success_total":                           2,
		"kafka_connect_worker_task_startup_success_total":                                2,
	} {
		if got[series] != v {
			t.Errorf("%s = %v, want %v", series, got[series], v)
		}
	}
	if got["kafka_connect_source_task_poll_batch_max_time_ms"+src] < 0 || got["kafka_connect_connector_task_batch_size_max"+snk] < 1 {
		t.Errorf("batch stats: %v %v", got["kafka_connect_source_task_poll_batch_max_time_ms"+src], got["kafka_connect_connector_task_batch_size_max"+snk])
	}
	if err := w.SetTargetState(ctx, "src", TargetPaused); err != nil {
		t.Fatal(err)
	}
	if got = scrapeMetrics(t, reg); got[`kafka_connect_connector_task_status{connector="src",status="paused",task="0"}`] != 1 {
		t.Error("paused status not reported")
	}
	if err := w.DeleteConnector(ctx, "snk"); err != nil {
		t.Fatal(err)
	}
	for k := range scrapeMetrics(t, reg) {
		if strings.Contains(k, `connector="snk"`) {
			t.Errorf("series left after delete: %s", k)
		}
	}
}

// The operator's task-error counters reach the /metrics page.
func TestOperatorFeedsErrorMetrics(t *testing.T) {
	reg := metrics.New(metrics.Options{})
	op, _ := testOperator(300*time.Millisecond, time.Minute, ToleranceAll)
	op.setMetrics(reg.SinkTask("c", 0))
	fail := func() (int, error) { return 0, errors.New("bad record") }
	retriable := func() (int, error) { return 0, errRetriable }
	for i := 0; i < 3; i++ {
		Execute(op, &ProcessingContext{}, StageValueConverter, "JsonConverter", fail)
	}
	Execute(op, &ProcessingContext{}, StageValueConverter, "JsonConverter", retriable)
	snap := op.Metrics()
	got := scrapeMetrics(t, reg)
	labels := `{connector="c",task="0"}`
	for name, want := range map[string]int64{
		"total_record_failures": snap.RecordFailures, "total_record_errors": snap.RecordErrors,
		"total_records_skipped": snap.RecordsSkipped, "total_retries": snap.Retries,
	} {
		if v := got["kafka_connect_task_error_"+name+labels]; int64(v) != want || want == 0 {
			t.Errorf("%s = %v, operator counted %d", name, v, want)
		}
	}
}
