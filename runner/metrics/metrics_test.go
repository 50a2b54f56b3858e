package metrics

import (
	"io"
	"math"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

type clock struct{ ms atomic.Int64 }

func (c *clock) now() time.Time          { return time.UnixMilli(c.ms.Load()) }
func (c *clock) advance(d time.Duration) { c.ms.Add(d.Milliseconds()) }

func newTest(t *testing.T) (*Registry, *clock) {
	c := &clock{}
	c.ms.Store(1_700_000_000_000)
	return New(Options{Window: 30 * time.Second, Samples: 2, Now: c.now, NoRuntimeMetrics: true}), c
}

// scrape serves GET /metrics and returns "name{labels} value" lines.
func scrape(t *testing.T, r *Registry) map[string]float64 {
	t.Helper()
	w := httptest.NewRecorder()
	r.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	if w.Code != 200 {
		t.Fatalf("status %d", w.Code)
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Fatalf("content type %q", ct)
	}
	body, _ := io.ReadAll(w.Body)
	// The exposition must parse.
	parser := expfmt.NewTextParser(model.UTF8Validation)
	if _, err := parser.TextToMetricFamilies(strings.NewReader(string(body))); err != nil {
		t.Fatalf("unparsable exposition: %v\n%s", err, body)
	}
	out := map[string]float64{}
	for _, line := range strings.Split(string(body), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("line %q", line)
		}
		out[line[:i]] = v
	}
	return out
}

func want(t *testing.T, got map[string]float64, series string, v float64) {
	t.Helper()
	g, ok := got[series]
	if !ok {
		t.Errorf("missing %s", series)
		return
	}
	if g != v && !(math.IsNaN(v) && math.IsNaN(g)) && math.Abs(g-v) > 1e-9 {
		t.Errorf("%s = %v, want %v", series, g, v)
	}
}

func absent(t *testing.T, got map[string]float64, prefix string) {
	t.Helper()
	for k := range got {
		if strings.HasPrefix(k, prefix) {
			t.Errorf("unexpected %s", k)
		}
	}
}

const st = `{connector="src",task="0"}`
const sk = `{connector="snk",task="1"}`

func TestSourceTaskMetrics(t *testing.T) {
	r, c := newTest(t)
	active := 3
	r.Connector("src").SetStatus("RUNNING")
	r.Connector("src").SetInfo("org.apache.kafka.connect.file.FileStreamSourceConnector", "source", "4.0.0")
	task := r.SourceTask("src", 0, func() int { return active })
	task.SetStatus("RUNNING")
	task.SourcePoll(10, 20*time.Millisecond)
	c.advance(time.Second)
	task.SourcePoll(30, 40*time.Millisecond)
	task.SourceWrite(25)
	task.OffsetCommit(true, 5*time.Millisecond)
	task.OffsetCommit(false, 15*time.Millisecond)
	task.OffsetCommit(true, 10*time.Millisecond)
	task.OffsetCommit(true, 10*time.Millisecond)
	c.advance(time.Second)

	got := scrape(t, r)
	want(t, got, "kafka_connect_source_task_source_record_poll_total"+st, 40)
	want(t, got, "kafka_connect_source_task_source_record_write_total"+st, 25)
	// Kafka's Rate: 2 s elapsed plus (samples-1) - 0 full windows of 30 s.
	want(t, got, "kafka_connect_source_task_source_record_poll_rate"+st, 40.0/32)
	want(t, got, "kafka_connect_source_task_source_record_write_rate"+st, 25.0/32)
	want(t, got, "kafka_connect_source_task_poll_batch_avg_time_ms"+st, 30)
	want(t, got, "kafka_connect_source_task_poll_batch_max_time_ms"+st, 40)
	want(t, got, "kafka_connect_source_task_source_record_active_count"+st, 3)
	want(t, got, "kafka_connect_source_task_source_record_active_count_max"+st, 3)
	want(t, got, "kafka_connect_connector_task_batch_size_avg"+st, 20)
	want(t, got, "kafka_connect_connector_task_batch_size_max"+st, 30)
	want(t, got, "kafka_connect_connector_task_offset_commit_avg_time_ms"+st, 10)
	want(t, got, "kafka_connect_connector_task_offset_commit_max_time_ms"+st, 15)
	want(t, got, "kafka_connect_connector_task_offset_commit_success_percentage"+st, 0.75)
	want(t, got, "kafka_connect_connector_task_offset_commit_failure_percentage"+st, 0.25)
	want(t, got, `kafka_connect_connector_task_status{connector="src",status="running",task="0"}`, 1)
	want(t, got, "kafka_connect_connector_task_running_ratio"+st, 1)
	want(t, got, "kafka_connect_connector_task_pause_ratio"+st, 0)
	want(t, got, `kafka_connect_connector_status{connector="src",status="running"}`, 1)
	want(t, got, `kafka_connect_connector_info{connector="src",connector_class="org.apache.kafka.connect.file.FileStreamSourceConnector",connector_type="source",connector_version="4.0.0"}`, 1)
	want(t, got, `kafka_connect_worker_connector_running_task_count{connector="src"}`, 1)
	want(t, got, `kafka_connect_worker_connector_total_task_count{connector="src"}`, 1)
	want(t, got, `kafka_connect_worker_connector_failed_task_count{connector="src"}`, 0)
	want(t, got, "kafka_connect_worker_connector_count", 1)
	want(t, got, "kafka_connect_worker_task_count", 1)
	want(t, got, "kafka_connect_task_error_total_record_failures"+st, 0)
	want(t, got, "kafka_connect_task_error_last_error_timestamp"+st, 0)
	absent(t, got, "kafka_connect_sink_task_")

	// Windows expire: after 60 s of silence the sampled values are gone
	// (NaN, as Kafka reports them), totals stay.
	c.advance(61 * time.Second)
	got = scrape(t, r)
	want(t, got, "kafka_connect_source_task_source_record_poll_total"+st, 40)
	want(t, got, "kafka_connect_source_task_source_record_poll_rate"+st, 0)
	want(t, got, "kafka_connect_source_task_poll_batch_avg_time_ms"+st, math.NaN())
	want(t, got, "kafka_connect_connector_task_offset_commit_success_percentage"+st, 0)
}

func TestSinkTaskMetricsAndErrors(t *testing.T) {
	r, c := newTest(t)
	task := r.SinkTask("snk", 1)
	task.SetStatus("RUNNING")
	task.SinkPartitions(3)
	task.SinkPartitions(-1)
	task.SinkRead(100)
	task.SinkPut(90, 7*time.Millisecond)
	task.SinkActive(10)
	task.SinkCommitted()
	task.SinkCommitted()
	task.RecordFailure()
	task.RecordFailure()
	task.RecordError()
	task.RecordSkipped()
	task.Retry()
	task.ErrorLogged()
	task.DLQProduce(false)
	task.DLQProduce(true)
	c.advance(10 * time.Second)
	task.SetStatus("PAUSED")
	c.advance(10 * time.Second)

	got := scrape(t, r)
	want(t, got, "kafka_connect_sink_task_sink_record_read_total"+sk, 100)
	want(t, got, "kafka_connect_sink_task_sink_record_send_total"+sk, 90)
	want(t, got, "kafka_connect_sink_task_partition_count"+sk, 2)
	want(t, got, "kafka_connect_sink_task_put_batch_avg_time_ms"+sk, 7)
	want(t, got, "kafka_connect_sink_task_put_batch_max_time_ms"+sk, 7)
	want(t, got, "kafka_connect_sink_task_sink_record_active_count"+sk, 10)
	want(t, got, "kafka_connect_sink_task_offset_commit_completion_total"+sk, 2)
	want(t, got, "kafka_connect_sink_task_offset_commit_skip_total"+sk, 0)
	want(t, got, "kafka_connect_sink_task_offset_commit_seq_no"+sk, 2)
	want(t, got, "kafka_connect_connector_task_running_ratio"+sk, 0.5)
	want(t, got, "kafka_connect_connector_task_pause_ratio"+sk, 0.5)
	want(t, got, `kafka_connect_connector_task_status{connector="snk",status="paused",task="1"}`, 1)
	want(t, got, "kafka_connect_task_error_total_record_failures"+sk, 2)
	want(t, got, "kafka_connect_task_error_total_record_errors"+sk, 1)
	want(t, got, "kafka_connect_task_error_total_records_skipped"+sk, 1)
	want(t, got, "kafka_connect_task_error_total_retries"+sk, 1)
	want(t, got, "kafka_connect_task_error_total_errors_logged"+sk, 1)
	want(t, got, "kafka_connect_task_error_deadletterqueue_produce_requests"+sk, 2)
	want(t, got, "kafka_connect_task_error_deadletterqueue_produce_failures"+sk, 1)
	want(t, got, "kafka_connect_task_error_last_error_timestamp"+sk, 1_700_000_000_000)
	absent(t, got, "kafka_connect_source_task_")
}

func TestWorkerMetricsAndRemoval(t *testing.T) {
	r, _ := newTest(t)
	r.ConnectorStartup(true)
	r.ConnectorStartup(true)
	r.ConnectorStartup(false)
	r.TaskStartup(true)
	r.Connector("a").SetStatus("RUNNING")
	r.Connector("b").SetStatus("FAILED")
	r.SourceTask("a", 0, nil).SetStatus("RUNNING")
	r.SourceTask("a", 1, nil).SetStatus("FAILED")
	r.SinkTask("b", 0)

	got := scrape(t, r)
	want(t, got, "kafka_connect_worker_connector_startup_attempts_total", 3)
	want(t, got, "kafka_connect_worker_connector_startup_success_total", 2)
	want(t, got, "kafka_connect_worker_connector_startup_failure_total", 1)
	want(t, got, "kafka_connect_worker_connector_startup_success_percentage", 2.0/3)
	want(t, got, "kafka_connect_worker_connector_startup_failure_percentage", 1.0/3)
	want(t, got, "kafka_connect_worker_task_startup_attempts_total", 1)
	want(t, got, "kafka_connect_worker_task_startup_success_percentage", 1)
	want(t, got, "kafka_connect_worker_connector_count", 2)
	want(t, got, "kafka_connect_worker_task_count", 3)
	want(t, got, `kafka_connect_worker_connector_failed_task_count{connector="a"}`, 1)
	want(t, got, `kafka_connect_worker_connector_unassigned_task_count{connector="b"}`, 1)
	want(t, got, `kafka_connect_connector_status{connector="b",status="failed"}`, 1)

	r.RemoveTask("a", 1)
	r.RemoveConnector("b")
	got = scrape(t, r)
	want(t, got, "kafka_connect_worker_connector_count", 1)
	want(t, got, "kafka_connect_worker_task_count", 1)
	absent(t, got, `kafka_connect_connector_status{connector="b"`)
	for k := range got {
		if strings.Contains(k, `connector="b"`) || strings.Contains(k, `connector="a",task="1"`) {
			t.Errorf("left behind: %s", k)
		}
	}
	r.RemoveTasks("a")
	if got := scrape(t, r); got["kafka_connect_worker_task_count"] != 0 {
		t.Error("tasks left")
	}
}

func TestNilRegistryIsDisabled(t *testing.T) {
	var r *Registry
	r.ConnectorStartup(true)
	r.TaskStartup(false)
	r.Connector("x").SetStatus("RUNNING")
	r.Connector("x").SetInfo("a", "b", "c")
	task := r.SourceTask("x", 0, nil)
	task.SetStatus("RUNNING")
	task.SourcePoll(1, time.Millisecond)
	task.SourceWrite(1)
	task.OffsetCommit(true, 0)
	s := r.SinkTask("x", 1)
	s.SinkRead(1)
	s.SinkPut(1, 0)
	s.SinkCommitted()
	s.SinkCommitSkipped()
	s.SinkPartitions(1)
	s.SinkActive(1)
	s.RecordFailure()
	s.RecordError()
	s.RecordSkipped()
	s.Retry()
	s.ErrorLogged()
	s.DLQProduce(true)
	r.RemoveTask("x", 0)
	r.RemoveTasks("x")
	r.RemoveConnector("x")
}

func TestConcurrentRecordingAndScraping(t *testing.T) {
	r := New(Options{Window: 10 * time.Millisecond, Samples: 3})
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			task := r.SourceTask("c", i, func() int { return i })
			for range 2000 {
				task.SourcePoll(2, time.Microsecond)
				task.SourceWrite(2)
				task.OffsetCommit(true, time.Microsecond)
			}
			s := r.SinkTask("d", i)
			for range 2000 {
				s.SinkRead(1)
				s.SinkPut(1, time.Microsecond)
				s.SinkCommitted()
			}
		}()
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 20 {
			scrape(t, r)
		}
	}()
	wg.Wait()
	<-done
	got := scrape(t, r)
	for i := range 4 {
		l := `{connector="c",task="` + strconv.Itoa(i) + `"}`
		want(t, got, "kafka_connect_source_task_source_record_poll_total"+l, 4000)
		want(t, got, "kafka_connect_source_task_source_record_write_total"+l, 4000)
	}
	if _, ok := got[`go_goroutines`]; !ok {
		t.Error("runtime metrics missing")
	}
}

func TestHotPathDoesNotAllocate(t *testing.T) {
	r, _ := newTest(t)
	task := r.SourceTask("c", 0, func() int { return 1 })
	sink := r.SinkTask("s", 0)
	if n := testing.AllocsPerRun(100, func() {
		task.SourcePoll(10, time.Millisecond)
		task.SourceWrite(1)
		task.OffsetCommit(true, time.Millisecond)
		sink.SinkRead(10)
		sink.SinkPut(10, time.Millisecond)
		sink.SinkActive(3)
		sink.SinkCommitted()
	}); n != 0 {
		t.Fatalf("%v allocations per batch", n)
	}
}
