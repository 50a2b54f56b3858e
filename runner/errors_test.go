package runner

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/data"
	"github.com/connect-go/connect-standalone/converters"
	"github.com/connect-go/connect-standalone/runner/kafka"
	"github.com/connect-go/connect-standalone/transforms"
)

// fakeClock is MockTime plus the exit latch of RetryWithToleranceOperatorTest:
// Wait records the requested delay and advances time by it.
type fakeClock struct {
	now    time.Time
	waits  []time.Duration
	onWait func(n int) // called after the n-th wait (1-based)
}

func (c *fakeClock) Now() time.Time { return c.now }

func (c *fakeClock) Wait(d time.Duration, stop <-chan struct{}) {
	c.waits = append(c.waits, d)
	select {
	case <-stop:
		return
	default:
	}
	c.now = c.now.Add(d)
	if c.onWait != nil {
		c.onWait(len(c.waits))
	}
}

func testOperator(retryTimeout, maxDelay time.Duration, tol Tolerance) (*Operator, *fakeClock) {
	op := NewOperator(retryTimeout, maxDelay, tol)
	clk := &fakeClock{now: time.UnixMilli(0)}
	op.clock = clk
	return op, clk
}

type recordingReporter struct {
	reports  []ProcessingContext
	closeErr error
	closed   bool
}

func (r *recordingReporter) Report(pc *ProcessingContext) { r.reports = append(r.reports, *pc) }
func (r *recordingReporter) Close() error                 { r.closed = true; return r.closeErr }

var errRetriable = fmt.Errorf("Test: %w", connectors.ErrRetriable)

func ms(v ...int64) []time.Duration {
	out := make([]time.Duration, len(v))
	for i, x := range v {
		out[i] = time.Duration(x) * time.Millisecond
	}
	return out
}

func TestExecuteFailed(t *testing.T) {
	op, _ := testOperator(0, time.Minute, ToleranceAll)
	pc := &ProcessingContext{Consumed: &kafka.ConsumedMessage{Topic: "t"}}
	if err := op.ExecuteFailed(pc, StageTaskPut, "SinkTask", errors.New("boom")); err != nil {
		t.Fatalf("tolerance all: %v", err)
	}
	op, _ = testOperator(0, time.Minute, ToleranceNone)
	err := op.ExecuteFailed(pc, StageTaskPut, "SinkTask", errors.New("boom"))
	if err == nil || !strings.HasPrefix(err.Error(), "Tolerance exceeded in Source Worker error handler") {
		t.Fatalf("tolerance none: %v", err)
	}
}

// testHandleExceptionInStage: with tolerance all, errors of tolerable stages
// and retriable errors of any stage mark the record failed without an error;
// non-retriable errors of other stages escape.
func TestHandleExceptionInStage(t *testing.T) {
	plain := errors.New("plain")
	tests := []struct {
		stage   Stage
		err     error
		wantErr string
	}{
		{StageTransformation, plain, ""},
		{StageHeaderConverter, plain, ""},
		{StageValueConverter, plain, ""},
		{StageKeyConverter, plain, ""},
		{StageTaskPut, errRetriable, ""},
		{StageTaskPoll, errRetriable, ""},
		{StageTaskPut, plain, "Unhandled exception in error handler"},
		{StageTaskPoll, plain, "Unhandled exception in error handler"},
		{StageKafkaConsume, plain, "Unhandled exception in error handler"},
		{StageKafkaProduce, plain, "Unhandled exception in error handler"},
	}
	for _, tt := range tests {
		op, _ := testOperator(0, time.Minute, ToleranceAll)
		pc := &ProcessingContext{Consumed: &kafka.ConsumedMessage{}}
		_, err := Execute(op, pc, tt.stage, "Class", func() (int, error) { return 0, tt.err })
		if !pc.Failed() {
			t.Errorf("%s/%v: context not failed", tt.stage, tt.err)
		}
		if got := ""; err != nil {
			got = err.(*ConnectError).Msg
			if got != tt.wantErr {
				t.Errorf("%s/%v: error %q, want %q", tt.stage, tt.err, got, tt.wantErr)
			}
		} else if tt.wantErr != "" {
			t.Errorf("%s/%v: no error, want %q", tt.stage, tt.err, tt.wantErr)
		}
	}
}

func execAndHandleRetriable(t *testing.T, retryTimeout time.Duration, thrown int, wantWaits []time.Duration, success bool) {
	t.Helper()
	op, clk := testOperator(retryTimeout, 60*time.Second, ToleranceAll)
	calls := 0
	pc := &ProcessingContext{Consumed: &kafka.ConsumedMessage{}}
	got, err := execAndHandleError(op, pc, true, func() (string, error) {
		calls++
		if calls <= thrown {
			return "", errRetriable
		}
		return "Success", nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if success {
		if pc.Failed() || got != "Success" {
			t.Errorf("result %q failed=%v, want success", got, pc.Failed())
		}
	} else if !pc.Failed() {
		t.Error("context not failed")
	}
	if !slices.Equal(clk.waits, wantWaits) {
		t.Errorf("waits %v, want %v", clk.waits, wantWaits)
	}
	want := thrown
	if success {
		want++
	}
	if calls != want {
		t.Errorf("%d calls, want %d", calls, want)
	}
}

func TestExecAndHandleRetriableErrorOnce(t *testing.T) {
	execAndHandleRetriable(t, 6*time.Second, 1, ms(300), true)
}

func TestExecAndHandleRetriableErrorThrice(t *testing.T) {
	execAndHandleRetriable(t, 6*time.Second, 3, ms(300, 600, 1200), true)
}

func TestExecAndHandleRetriableErrorWithInfiniteRetries(t *testing.T) {
	execAndHandleRetriable(t, -1, 8, ms(300, 600, 1200, 2400, 4800, 9600, 19200, 38400), true)
}

func TestExecAndHandleRetriableErrorWithMaxRetriesExceeded(t *testing.T) {
	execAndHandleRetriable(t, 6*time.Second, 6, ms(300, 600, 1200, 2400, 1500), false)
}

func TestExecAndHandleNonRetriableError(t *testing.T) {
	op, clk := testOperator(6*time.Second, 60*time.Second, ToleranceAll)
	pc := &ProcessingContext{Consumed: &kafka.ConsumedMessage{}}
	calls := 0
	got, err := execAndHandleError(op, pc, true, func() (string, error) { calls++; return "", errors.New("Test") })
	if err != nil || got != "" || !pc.Failed() {
		t.Fatalf("got %q, %v, failed=%v", got, err, pc.Failed())
	}
	if calls != 1 || len(clk.waits) != 0 {
		t.Fatalf("%d calls, waits %v", calls, clk.waits)
	}
}

// TestExitLatch: stopping the task during a backoff ends the retries.
func TestExitLatch(t *testing.T) {
	op, clk := testOperator(-1, 60*time.Second, ToleranceAll)
	clk.onWait = func(n int) {
		if n == 4 {
			op.Stop()
		}
	}
	pc := &ProcessingContext{Consumed: &kafka.ConsumedMessage{}}
	_, err := execAndHandleError(op, pc, true, func() (string, error) { return "", errRetriable })
	if err != nil || !pc.Failed() {
		t.Fatalf("err %v, failed=%v", err, pc.Failed())
	}
	if got := clk.now.UnixMilli(); got != 4500 {
		t.Errorf("time %d ms, want 4500", got)
	}
	if !slices.Equal(clk.waits, ms(300, 600, 1200, 2400)) {
		t.Errorf("waits %v", clk.waits)
	}
}

// TestStopAbortsBackoff: Stop wakes a real backoff at once.
func TestStopAbortsBackoff(t *testing.T) {
	op := NewOperator(-1, time.Hour, ToleranceNone)
	go func() { time.Sleep(50 * time.Millisecond); op.Stop() }()
	start := time.Now()
	calls := 0
	pc := &ProcessingContext{Consumed: &kafka.ConsumedMessage{}}
	_, err := Execute(op, pc, StageValueConverter, "C", func() (int, error) {
		calls++
		if calls == 1 {
			return 0, errRetriable
		}
		time.Sleep(time.Hour) // never retried after Stop
		return 0, nil
	})
	// The quirk: retries that end (stop, deadline) skip the record even with
	// tolerance none.
	if err != nil || !pc.Failed() {
		t.Fatalf("err %v, failed=%v", err, pc.Failed())
	}
	if d := time.Since(start); d > 250*time.Millisecond {
		t.Fatalf("stop took %v", d)
	}
}

func TestBackoffLimit(t *testing.T) {
	op, clk := testOperator(5*time.Millisecond, 5*time.Second, ToleranceNone)
	deadline := time.UnixMilli(5000)
	for attempt := 1; attempt <= 5; attempt++ {
		op.backoff(attempt, deadline, false)
	}
	clk.now = clk.now.Add(time.Millisecond) // a little late: the deadline has passed
	op.backoff(6, deadline, false)
	if want := ms(300, 600, 1200, 2400, 500, 0); !slices.Equal(clk.waits, want) {
		t.Fatalf("waits %v, want %v", clk.waits, want)
	}
}

// TestBackoffJitter: beyond errors.retry.delay.max.ms the delay is random in
// [0, max).
func TestBackoffJitter(t *testing.T) {
	op, _ := testOperator(-1, time.Second, ToleranceNone)
	var asked []int64
	op.randN = func(n int64) int64 { asked = append(asked, n); return n - 1 }
	if d := op.backoffDelay(2, time.Time{}, true); d != 600*time.Millisecond {
		t.Fatalf("delay %v", d)
	}
	// 300<<2 = 1200ms > 1000ms: random below 1000 ms.
	if d := op.backoffDelay(3, time.Time{}, true); d != 999*time.Millisecond {
		t.Fatalf("delay %v", d)
	}
	if !slices.Equal(asked, []int64{1000}) {
		t.Fatalf("rand asked %v", asked)
	}
	if d := op.backoffDelay(100, time.Time{}, true); d != 999*time.Millisecond {
		t.Fatalf("no overflow for large attempts: %v", d)
	}
}

func TestToleranceLimit(t *testing.T) {
	op, _ := testOperator(0, time.Minute, ToleranceNone)
	op.markAsFailed()
	if op.WithinToleranceLimits() {
		t.Error("none should not tolerate any errors")
	}
	op, _ = testOperator(0, time.Minute, ToleranceAll)
	op.markAsFailed()
	op.markAsFailed()
	if !op.WithinToleranceLimits() {
		t.Error("all should tolerate all errors")
	}
	op, _ = testOperator(0, time.Minute, ToleranceNone)
	if !op.WithinToleranceLimits() {
		t.Error("no failures is within limits")
	}
}

func TestDefaultAndSetConfigs(t *testing.T) {
	ec := parseErrorsConfig(map[string]string{}, true)
	if ec.retryTimeout != 0 || ec.maxDelay != time.Minute || ec.tolerance != ToleranceNone || ec.dlqReplication != 3 || ec.logEnable || ec.dlqTopic != "" {
		t.Fatalf("defaults %+v", ec)
	}
	ec = parseErrorsConfig(map[string]string{"errors.retry.timeout": "100", "errors.retry.delay.max.ms": "100", "errors.tolerance": "all",
		"errors.deadletterqueue.topic.name": " dlq ", "errors.deadletterqueue.topic.replication.factor": "1"}, true)
	if ec.retryTimeout != 100*time.Millisecond || ec.maxDelay != 100*time.Millisecond || ec.tolerance != ToleranceAll || ec.dlqTopic != "dlq" || ec.dlqReplication != 1 {
		t.Fatalf("set %+v", ec)
	}
	if ec := parseErrorsConfig(map[string]string{"errors.retry.timeout": "-1", "errors.deadletterqueue.topic.name": "x"}, false); ec.retryTimeout >= 0 || ec.dlqTopic != "" {
		t.Fatalf("forever / source %+v", ec)
	}
}

// TestReportBeforeFailing: with tolerance none the failed record reaches the
// reporters before the error propagates, once, with the raw error.
func TestReportBeforeFailing(t *testing.T) {
	op, _ := testOperator(0, time.Minute, ToleranceNone)
	rep := &recordingReporter{}
	op.SetReporters(rep)
	pc := &ProcessingContext{Consumed: &kafka.ConsumedMessage{Topic: "t", Offset: 7}}
	cause := &data.DataError{Msg: "bad"}
	_, err := Execute(op, pc, StageValueConverter, "org.apache.kafka.connect.json.JsonConverter", func() (int, error) { return 0, cause })
	var ce *ConnectError
	if !errors.As(err, &ce) || ce.Msg != "Tolerance exceeded in error handler" || ce.Cause != cause {
		t.Fatalf("error %#v", err)
	}
	if len(rep.reports) != 1 || rep.reports[0].Stage != StageValueConverter || rep.reports[0].Err != cause {
		t.Fatalf("reports %+v", rep.reports)
	}
	// Later stages of a failed record do not run and are not reported.
	ran := false
	Execute(op, pc, StageHeaderConverter, "H", func() (int, error) { ran = true; return 0, nil })
	if ran || len(rep.reports) != 1 {
		t.Fatal("operation ran on a failed context")
	}
	if got := op.Metrics(); got.RecordErrors != 1 || got.RecordFailures != 1 || got.RecordsSkipped != 0 {
		t.Fatalf("metrics %+v", got)
	}
}

func TestCloseErrorReporters(t *testing.T) {
	op, _ := testOperator(0, time.Minute, ToleranceAll)
	a, b := &recordingReporter{}, &recordingReporter{}
	op.SetReporters(a, b)
	if err := op.Close(); err != nil || !a.closed || !b.closed {
		t.Fatalf("close: %v %v %v", err, a.closed, b.closed)
	}
	a, b = &recordingReporter{closeErr: errors.New("a")}, &recordingReporter{closeErr: errors.New("b")}
	op.SetReporters(a, b)
	if err := op.Close(); err == nil || !a.closed || !b.closed {
		t.Fatalf("close with failures: %v %v %v", err, a.closed, b.closed)
	}
}

func TestJavaTrace(t *testing.T) {
	conv := &converters.Error{Converter: "JsonConverter", Topic: "t", Op: "deserialize",
		Err: &data.DataError{Msg: "Converting byte[] to Kafka Connect data failed due to serialization error: ", Cause: errors.New("unexpected end of input")}}
	err := &ConnectError{Msg: "Tolerance exceeded in error handler", Cause: conv}
	want := "org.apache.kafka.connect.errors.ConnectException: Tolerance exceeded in error handler\n" +
		"Caused by: org.apache.kafka.connect.errors.DataException: Converting byte[] to Kafka Connect data failed due to serialization error: \n" +
		"Caused by: org.apache.kafka.common.errors.SerializationException: unexpected end of input"
	if got := trace(err); got != want {
		t.Fatalf("trace\n%s\nwant\n%s", got, want)
	}
	if got := javaExceptionClass(&transforms.StageError{Alias: "a", Err: &data.DataError{Msg: "x"}}); got != javaDataException {
		t.Fatalf("stage error class %s", got)
	}
	if got := javaExceptionClass(errRetriable); got != javaRetriableException {
		t.Fatalf("retriable class %s", got)
	}
	if got := javaExceptionClass(errors.New("x")); got != javaConnectException {
		t.Fatalf("plain class %s", got)
	}
}

func TestLogReporterMessage(t *testing.T) {
	ts := time.UnixMilli(1700000000123)
	pc := &ProcessingContext{Consumed: &kafka.ConsumedMessage{Topic: "test", Partition: 0, Offset: 1, Timestamp: ts, TimestampType: kafka.CreateTime},
		Stage: StageValueConverter, Class: "org.apache.kafka.connect.json.JsonConverter", Err: errors.New("x")}
	r := &logReporter{id: TaskID{"local-file-sink", 0}}
	if got, want := r.message(pc), "Error encountered in task local-file-sink-0. Executing stage 'VALUE_CONVERTER' with class 'org.apache.kafka.connect.json.JsonConverter'."; got != want {
		t.Fatalf("message %q", got)
	}
	r.includeMessages = true
	want := "Error encountered in task local-file-sink-0. Executing stage 'VALUE_CONVERTER' with class 'org.apache.kafka.connect.json.JsonConverter', where consumed record is {topic='test', partition=0, offset=1, timestamp=1700000000123, timestampType=CreateTime}."
	if got := r.message(pc); got != want {
		t.Fatalf("message\n%q\nwant\n%q", got, want)
	}
	pc.Consumed.TimestampType = kafka.NoTimestampType
	if got := r.message(pc); !strings.HasSuffix(got, "{topic='test', partition=0, offset=1}.") {
		t.Fatalf("no timestamp: %q", got)
	}
	src := &ProcessingContext{Source: &connectors.Record{Topic: "t", Partition: connectors.NoPartition, Value: "line",
		ValueSchema: data.StringSchema, SourcePartition: map[string]any{"filename": "f"}, SourceOffset: map[string]any{"position": int64(5)}},
		Stage: StageTransformation, Class: "org.apache.kafka.connect.transforms.Cast$Value"}
	want = "Error encountered in task local-file-sink-0. Executing stage 'TRANSFORMATION' with class 'org.apache.kafka.connect.transforms.Cast$Value', where source record is = " +
		"SourceRecord{sourcePartition={filename=f}, sourceOffset={position=5}} ConnectRecord{topic='t', kafkaPartition=null, key=null, keySchema=null, value=line, valueSchema=Schema{STRING}, timestamp=null, headers=ConnectHeaders(headers=)}."
	if got := r.message(src); got != want {
		t.Fatalf("source message\n%q\nwant\n%q", got, want)
	}
}
