package runner

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
	"github.com/connect-go/connect-standalone/connectors/file"
	"github.com/connect-go/connect-standalone/offsets"
	"github.com/connect-go/connect-standalone/runner/devkafka"
	"github.com/connect-go/connect-standalone/runner/kafka"
	"github.com/connect-go/connect-standalone/runner/plugins"
	"github.com/connect-go/connect-standalone/runner/workerconfig"
)

// failOnBad is a test transformation that fails (DataException) on records
// whose string value contains "bad".
type failOnBad struct{}

const failOnBadClass = "test.connect.FailOnBad"

func (failOnBad) Config() *configdef.Def            { return configdef.New() }
func (failOnBad) Configure(map[string]string) error { return nil }
func (failOnBad) Close() error                      { return nil }
func (failOnBad) Apply(r *connectors.Record) (*connectors.Record, error) {
	if s, ok := r.Value.(string); ok && strings.Contains(s, "bad") {
		return nil, &data.DataError{Msg: "record rejected by FailOnBad: " + s}
	}
	return r, nil
}

// flakySink is FileStreamSink whose put fails with a retriable error the
// first failures times.
type flakySink struct {
	*file.SinkConnector
	failures *atomic.Int32
}

const flakySinkClass = "test.connect.FlakySinkConnector"

func (c flakySink) NewTask() connectors.SinkTask {
	return &flakySinkTask{SinkTask: c.SinkConnector.NewTask(), failures: c.failures}
}

type flakySinkTask struct {
	connectors.SinkTask
	failures *atomic.Int32
	puts     int
}

func (t *flakySinkTask) Put(ctx context.Context, recs []*connectors.Record) error {
	if len(recs) > 0 && t.failures.Add(-1) >= 0 {
		return fmt.Errorf("downstream busy: %w", connectors.ErrRetriable)
	}
	return t.SinkTask.Put(ctx, recs)
}

func testPlugins(flakyFailures *atomic.Int32) *plugins.Registry {
	list := append(plugins.Builtins(),
		plugins.Plugin{Class: failOnBadClass, Kind: plugins.KindTransformation, Version: "1", New: func() any { return failOnBad{} }},
		plugins.Plugin{Class: flakySinkClass, Kind: plugins.KindSink, Version: "1", New: func() any {
			return flakySink{SinkConnector: file.NewSinkConnector(), failures: flakyFailures}
		}})
	return plugins.New(list)
}

// logBuffer collects log output for assertions (and forwards it to t.Log).
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	t   *testing.T
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	return len(p), nil
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func newErrorsTestWorker(t *testing.T, broker string, extra map[string]string, reg *plugins.Registry) (*testWorker, *logBuffer) {
	t.Helper()
	props := map[string]string{
		"bootstrap.servers":                 broker,
		"key.converter":                     "org.apache.kafka.connect.json.JsonConverter",
		"value.converter":                   "org.apache.kafka.connect.json.JsonConverter",
		"offset.storage.file.filename":      filepath.Join(t.TempDir(), "connect.offsets"),
		"offset.flush.interval.ms":          "200",
		"offset.flush.timeout.ms":           "2000",
		"task.shutdown.graceful.timeout.ms": "5000",
	}
	for k, v := range extra {
		props[k] = v
	}
	cfg, err := workerconfig.Parse(props)
	if err != nil {
		t.Fatal(err)
	}
	store, err := offsets.OpenFile(props["offset.storage.file.filename"])
	if err != nil {
		t.Fatal(err)
	}
	logs := &logBuffer{t: t}
	log := zerolog.New(zerolog.MultiLevelWriter(logs, zerolog.NewTestWriter(t))).Level(zerolog.InfoLevel)
	w := New(Options{Config: cfg, Registry: reg, Offsets: store, Logger: log, WorkerID: "127.0.0.1:8083"})
	tw := &testWorker{Worker: w, store: store}
	t.Cleanup(func() { tw.Stop(context.Background()); store.Close() })
	return tw, logs
}

func produceValues(t *testing.T, broker, topic string, values []string) {
	t.Helper()
	cfg, err := kafka.NewClientConfig(kafka.KindProducer, map[string]string{"bootstrap.servers": broker})
	if err != nil {
		t.Fatal(err)
	}
	p, err := kafka.NewProducer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(context.Background())
	var failed atomic.Pointer[error]
	for i, v := range values {
		m := &kafka.Message{Topic: topic, Partition: -1, Value: []byte(v), Headers: []kafka.Header{{Key: "seq", Value: []byte(fmt.Sprint(i))}}}
		if err := p.Send(context.Background(), m, func(err error) {
			if err != nil {
				failed.CompareAndSwap(nil, &err)
			}
		}); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := p.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if e := failed.Load(); e != nil {
		t.Fatal(*e)
	}
}

// consumeTopic reads a topic from the beginning until want records arrived
// (or, with want < 0, until nothing arrives for quiet).
func consumeTopic(t *testing.T, broker, topic string, want int, quiet time.Duration) []*kafka.ConsumedMessage {
	t.Helper()
	cfg, err := kafka.NewClientConfig(kafka.KindConsumer, map[string]string{
		"bootstrap.servers": broker, "group.id": fmt.Sprintf("check-%s-%d", topic, time.Now().UnixNano()),
		"auto.offset.reset": "earliest", "enable.auto.commit": "false",
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := kafka.NewConsumer(cfg, kafka.Subscription{Topics: []string{topic}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	var out []*kafka.ConsumedMessage
	deadline := time.Now().Add(30 * time.Second)
	last := time.Now()
	for time.Now().Before(deadline) {
		msgs, err := c.Poll(context.Background(), 200*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) > 0 {
			last = time.Now()
		}
		out = append(out, msgs...)
		if want >= 0 && len(out) >= want {
			break
		}
		if want < 0 && len(out) > 0 && time.Since(last) > quiet {
			break
		}
	}
	if want >= 0 && len(out) < want {
		t.Fatalf("topic %s: %d records, want %d", topic, len(out), want)
	}
	return out
}

func headerValue(m *kafka.ConsumedMessage, key string) (string, bool) {
	for _, h := range m.Headers {
		if h.Key == key {
			return string(h.Value), true
		}
	}
	return "", false
}

func taskState(t *testing.T, w *testWorker, conn string) Status {
	t.Helper()
	st, err := w.Status(conn)
	if err != nil || len(st.Tasks) != 1 {
		return Status{}
	}
	return st.Tasks[0].Status
}

// TestSkipAndLogToDLQ re-creates Kafka's ConnectStandaloneFileTest
// .test_skip_and_log_to_dlq: a FileStreamSink with JsonConverter
// (schemas.enable=false) reads 1000 records, the odd ones malformed JSON.
func TestSkipAndLogToDLQ(t *testing.T) {
	for _, tolerance := range []string{"all", "none"} {
		t.Run(tolerance, func(t *testing.T) {
			b, err := devkafka.Start(context.Background(), devkafka.Options{Listen: "127.0.0.1:0"})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { b.Close() })
			broker := b.Addr()
			if err := b.CreateTopic(context.Background(), "test", 1); err != nil {
				t.Fatal(err)
			}
			var values []string
			for i := 0; i < 1000; i++ {
				if i%2 == 0 {
					values = append(values, fmt.Sprintf(`{"some_key":%d}`, i))
				} else {
					values = append(values, fmt.Sprintf(`{"some_key:%d}`, i))
				}
			}
			produceValues(t, broker, "test", values)

			w, logs := newErrorsTestWorker(t, broker, nil, testPlugins(nil))
			out := filepath.Join(t.TempDir(), "connect.output")
			sink := map[string]string{
				"name": "local-file-sink", "connector.class": "org.apache.kafka.connect.file.FileStreamSinkConnector", "tasks.max": "1",
				"file": out, "topics": "test",
				"key.converter": "org.apache.kafka.connect.json.JsonConverter", "key.converter.schemas.enable": "False",
				"value.converter": "org.apache.kafka.connect.json.JsonConverter", "value.converter.schemas.enable": "False",
				"errors.tolerance": tolerance, "errors.log.enable": "true", "errors.log.include.messages": "true",
				"errors.deadletterqueue.topic.name": "my-connector-errors", "errors.deadletterqueue.topic.replication.factor": "1",
				"errors.deadletterqueue.context.headers.enable": "true",
			}
			if _, err := w.PutConnectorConfig(context.Background(), "local-file-sink", sink, TargetStarted, false); err != nil {
				t.Fatal(err)
			}

			if tolerance == "all" {
				var want strings.Builder
				for i := 0; i < 1000; i += 2 {
					fmt.Fprintf(&want, "{some_key=%d}\n", i)
				}
				waitFor(t, "500 good records in the sink file", func() bool { return countLines(out) >= 500 })
				if got, _ := os.ReadFile(out); string(got) != want.String() {
					t.Fatalf("sink file:\n%.300s", got)
				}
				dlq := consumeTopic(t, broker, "my-connector-errors", 500, 0)
				for k, m := range dlq {
					i := 2*k + 1
					if string(m.Value) != values[i] || m.Key != nil {
						t.Fatalf("DLQ record %d: key %q value %q, want value %q", k, m.Key, m.Value, values[i])
					}
				}
				checkDLQHeaders(t, dlq[0], 1)
				if st := taskState(t, w, "local-file-sink"); st.State != StateRunning {
					t.Fatalf("task %+v", st)
				}
				if !strings.Contains(logs.String(), "Error encountered in task local-file-sink-0. Executing stage 'VALUE_CONVERTER' with class 'org.apache.kafka.connect.json.JsonConverter', where consumed record is {topic='test', partition=0, offset=1, timestamp=") {
					t.Fatal("log reporter line missing")
				}
				// Skipped records' offsets are committed with the others.
				waitFor(t, "offsets committed past the last record", func() bool {
					return committedOffset(t, broker, "connect-local-file-sink", "test") == 1000
				})
				return
			}

			waitFor(t, "task FAILED", func() bool { return taskState(t, w, "local-file-sink").State == StateFailed })
			st := taskState(t, w, "local-file-sink")
			for _, want := range []string{
				"org.apache.kafka.connect.errors.ConnectException: Tolerance exceeded in error handler\nCaused by: org.apache.kafka.connect.errors.DataException: Converting byte[] to Kafka Connect data failed due to serialization error: ",
			} {
				if !strings.HasPrefix(st.Trace, want) {
					t.Fatalf("trace:\n%s\nwant prefix:\n%s", st.Trace, want)
				}
			}
			dlq := consumeTopic(t, broker, "my-connector-errors", -1, 2*time.Second)
			if len(dlq) != 1 || string(dlq[0].Value) != `{"some_key:1}` {
				t.Fatalf("DLQ has %d records, want only the first malformed one", len(dlq))
			}
			checkDLQHeaders(t, dlq[0], 1)
			time.Sleep(500 * time.Millisecond)
			if got, _ := os.ReadFile(out); len(got) > 0 && string(got) != "{some_key=0}\n" {
				t.Fatalf("records after the failure were delivered: %q", got)
			}
		})
	}
}

func checkDLQHeaders(t *testing.T, m *kafka.ConsumedMessage, offset int) {
	t.Helper()
	if v, _ := headerValue(m, "seq"); v != fmt.Sprint(offset) || m.Headers[0].Key != "seq" {
		t.Fatalf("original header not preserved first: %+v", m.Headers)
	}
	if m.TimestampType != kafka.CreateTime || m.Timestamp.IsZero() {
		t.Fatalf("timestamp %v %v", m.Timestamp, m.TimestampType)
	}
	want := map[string]string{
		"__connect.errors.topic":                "test",
		"__connect.errors.partition":            "0",
		"__connect.errors.offset":               fmt.Sprint(offset),
		"__connect.errors.connector.name":       "local-file-sink",
		"__connect.errors.task.id":              "0",
		"__connect.errors.stage":                "VALUE_CONVERTER",
		"__connect.errors.class.name":           "org.apache.kafka.connect.json.JsonConverter",
		"__connect.errors.exception.class.name": "org.apache.kafka.connect.errors.DataException",
		"__connect.errors.exception.message":    "Converting byte[] to Kafka Connect data failed due to serialization error: ",
	}
	for k, v := range want {
		if got, ok := headerValue(m, k); !ok || got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
	if st, _ := headerValue(m, "__connect.errors.exception.stacktrace"); !strings.HasPrefix(st, "org.apache.kafka.connect.errors.DataException: Converting byte[] to Kafka Connect data failed due to serialization error: \nCaused by: org.apache.kafka.common.errors.SerializationException: ") {
		t.Errorf("stacktrace header %q", st)
	}
}

func committedOffset(t *testing.T, broker, group, topic string) int64 {
	t.Helper()
	cfg, err := kafka.NewClientConfig(kafka.KindAdmin, map[string]string{"bootstrap.servers": broker})
	if err != nil {
		t.Fatal(err)
	}
	a, err := kafka.NewAdmin(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	offs, err := a.ConsumerGroupOffsets(ctx, group)
	if err != nil {
		return -1
	}
	return offs[kafka.TopicPartition{Topic: topic, Partition: 0}]
}

// TestSourceTransformationErrors: a transformation failing on some records
// of a FileStreamSource: with all they are skipped (and logged), with none
// the task fails at the first one and nothing after it is sent.
func TestSourceTransformationErrors(t *testing.T) {
	for _, tolerance := range []string{"all", "none"} {
		t.Run(tolerance, func(t *testing.T) {
			broker := startBroker(t)
			w, logs := newErrorsTestWorker(t, broker, map[string]string{
				"key.converter": "org.apache.kafka.connect.storage.StringConverter", "value.converter": "org.apache.kafka.connect.storage.StringConverter",
			}, testPlugins(nil))
			in := filepath.Join(t.TempDir(), "in.txt")
			var lines []string
			for i := 0; i < 100; i++ {
				if i%10 == 5 {
					lines = append(lines, fmt.Sprintf("bad %d", i))
				} else {
					lines = append(lines, fmt.Sprintf("good %d", i))
				}
			}
			os.WriteFile(in, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
			src := map[string]string{"name": "src", "connector.class": "FileStreamSource", "file": in, "topic": "src-out",
				"transforms": "fail", "transforms.fail.type": failOnBadClass,
				"errors.tolerance": tolerance, "errors.log.enable": "true", "errors.log.include.messages": "true"}
			if _, err := w.PutConnectorConfig(context.Background(), "src", src, TargetStarted, false); err != nil {
				t.Fatal(err)
			}
			if tolerance == "all" {
				got := consumeTopic(t, broker, "src-out", 90, 0)
				var k int
				for _, l := range lines {
					if strings.HasPrefix(l, "good") {
						if string(got[k].Value) != l {
							t.Fatalf("record %d = %q, want %q", k, got[k].Value, l)
						}
						k++
					}
				}
				if st := taskState(t, w, "src"); st.State != StateRunning {
					t.Fatalf("task %+v", st)
				}
				for _, want := range []string{
					"Error encountered in task src-0. Executing stage 'TRANSFORMATION' with class 'test.connect.FailOnBad', where source record is = SourceRecord{sourcePartition={filename=" + in + "}, sourceOffset={position=41}} ConnectRecord{topic='src-out', kafkaPartition=null, key=null, keySchema=null, value=bad 5, valueSchema=Schema{STRING}, timestamp=",
					", headers=ConnectHeaders(headers=)}.",
				} {
					if !strings.Contains(logs.String(), want) {
						t.Fatalf("log line missing:\n%s", want)
					}
				}
				return
			}
			waitFor(t, "task FAILED", func() bool { return taskState(t, w, "src").State == StateFailed })
			st := taskState(t, w, "src")
			if !strings.HasPrefix(st.Trace, "org.apache.kafka.connect.errors.ConnectException: Tolerance exceeded in error handler\nCaused by: org.apache.kafka.connect.errors.DataException: record rejected by FailOnBad: bad 5") {
				t.Fatalf("trace %q", st.Trace)
			}
			got := consumeTopic(t, broker, "src-out", -1, 2*time.Second)
			if len(got) != 5 || string(got[4].Value) != "good 4" {
				t.Fatalf("%d records sent, want the 5 before the failure", len(got))
			}
		})
	}
}

// TestSinkTransformationErrors: the same on the sink side (after
// conversion, before put).
func TestSinkTransformationErrors(t *testing.T) {
	for _, tolerance := range []string{"all", "none"} {
		t.Run(tolerance, func(t *testing.T) {
			broker := startBroker(t)
			var values []string
			for i := 0; i < 50; i++ {
				if i%10 == 3 {
					values = append(values, fmt.Sprintf("bad %d", i))
				} else {
					values = append(values, fmt.Sprintf("good %d", i))
				}
			}
			produceValues(t, broker, "sink-in", values)
			w, _ := newErrorsTestWorker(t, broker, nil, testPlugins(nil))
			out := filepath.Join(t.TempDir(), "out.txt")
			sink := map[string]string{"name": "snk", "connector.class": "FileStreamSink", "file": out, "topics": "sink-in",
				"value.converter": "org.apache.kafka.connect.storage.StringConverter",
				"transforms":      "fail", "transforms.fail.type": failOnBadClass, "errors.tolerance": tolerance,
				"errors.deadletterqueue.topic.name": "snk-dlq", "errors.deadletterqueue.topic.replication.factor": "1",
				"errors.deadletterqueue.context.headers.enable": "true"}
			if _, err := w.PutConnectorConfig(context.Background(), "snk", sink, TargetStarted, false); err != nil {
				t.Fatal(err)
			}
			if tolerance == "all" {
				waitFor(t, "45 records", func() bool { return countLines(out) >= 45 })
				dlq := consumeTopic(t, broker, "snk-dlq", 5, 0)
				if v, _ := headerValue(dlq[0], "__connect.errors.stage"); v != "TRANSFORMATION" || string(dlq[0].Value) != "bad 3" {
					t.Fatalf("DLQ record %q stage %q", dlq[0].Value, v)
				}
				if v, _ := headerValue(dlq[0], "__connect.errors.class.name"); v != failOnBadClass {
					t.Fatalf("class header %q", v)
				}
				return
			}
			waitFor(t, "task FAILED", func() bool { return taskState(t, w, "snk").State == StateFailed })
			dlq := consumeTopic(t, broker, "snk-dlq", -1, 2*time.Second)
			if len(dlq) != 1 || string(dlq[0].Value) != "bad 3" {
				t.Fatalf("DLQ: %d records", len(dlq))
			}
			if got, _ := os.ReadFile(out); strings.Contains(string(got), "good 4") {
				t.Fatalf("records after the failure delivered: %q", got)
			}
		})
	}
}

// TestSinkPutRetriable: a put failing with a retriable error redelivers the
// same batch, without loss or duplicates, and the task keeps running.
func TestSinkPutRetriable(t *testing.T) {
	broker := startBroker(t)
	var values []string
	for i := 0; i < 20; i++ {
		values = append(values, fmt.Sprintf("v%d", i))
	}
	produceValues(t, broker, "flaky-in", values)
	failures := &atomic.Int32{}
	failures.Store(3)
	w, logs := newErrorsTestWorker(t, broker, nil, testPlugins(failures))
	out := filepath.Join(t.TempDir(), "out.txt")
	sink := map[string]string{"name": "flaky", "connector.class": flakySinkClass, "file": out, "topics": "flaky-in",
		"value.converter": "org.apache.kafka.connect.storage.StringConverter"}
	if _, err := w.PutConnectorConfig(context.Background(), "flaky", sink, TargetStarted, false); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "20 records", func() bool { return countLines(out) >= 20 })
	time.Sleep(300 * time.Millisecond)
	got, _ := os.ReadFile(out)
	if want := strings.Join(values, "\n") + "\n"; string(got) != want {
		t.Fatalf("sink file %q", got)
	}
	if n := strings.Count(logs.String(), "RetriableException from SinkTask"); n != 3 {
		t.Fatalf("%d redelivery warnings, want 3", n)
	}
	if st := taskState(t, w, "flaky"); st.State != StateRunning {
		t.Fatalf("task %+v", st)
	}
}

// TestSourceRecordTooLarge: a record beyond max.request.size follows
// errors.tolerance instead of wedging the task.
func TestSourceRecordTooLarge(t *testing.T) {
	for _, tolerance := range []string{"all", "none"} {
		t.Run(tolerance, func(t *testing.T) {
			broker := startBroker(t)
			w, logs := newErrorsTestWorker(t, broker, map[string]string{
				"value.converter": "org.apache.kafka.connect.storage.StringConverter",
			}, testPlugins(nil))
			in := filepath.Join(t.TempDir(), "in.txt")
			os.WriteFile(in, []byte("small 1\n"+strings.Repeat("x", 5000)+"\nsmall 2\n"), 0o644)
			src := map[string]string{"name": "big", "connector.class": "FileStreamSource", "file": in, "topic": "big-out",
				"producer.override.max.request.size": "2000", "errors.tolerance": tolerance, "errors.log.enable": "true"}
			if _, err := w.PutConnectorConfig(context.Background(), "big", src, TargetStarted, false); err != nil {
				t.Fatal(err)
			}
			if tolerance == "all" {
				got := consumeTopic(t, broker, "big-out", 2, 0)
				if string(got[0].Value) != "small 1" || string(got[1].Value) != "small 2" {
					t.Fatalf("records %q %q", got[0].Value, got[1].Value)
				}
				if !strings.Contains(logs.String(), "Error encountered in task big-0. Executing stage 'KAFKA_PRODUCE' with class 'org.apache.kafka.connect.runtime.WorkerSourceTask'.") {
					t.Fatal("KAFKA_PRODUCE failure not logged")
				}
				// Acked: its offset commits, so the final position is the end.
				waitFor(t, "offset committed past the large record", func() bool {
					off, _ := w.store.Get("big", map[string]any{"filename": in})
					return off != nil && fmt.Sprint(off["position"]) == fmt.Sprint(8+5001+8)
				})
				return
			}
			waitFor(t, "task FAILED", func() bool { return taskState(t, w, "big").State == StateFailed })
			if st := taskState(t, w, "big"); !strings.Contains(st.Trace, "Unrecoverable exception from producer send callback") ||
				!strings.Contains(st.Trace, "org.apache.kafka.common.errors.RecordTooLargeException") {
				t.Fatalf("trace %q", st.Trace)
			}
		})
	}
}
