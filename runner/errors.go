package runner

import (
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/runner/kafka"
	"github.com/connect-go/connect-standalone/runner/metrics"
)

// Stage is the step of the record pipeline an operation belongs to
// (org.apache.kafka.connect.runtime.errors.Stage).
type Stage int

const (
	StageTaskPoll Stage = iota
	StageTaskPut
	StageTransformation
	StageKeyConverter
	StageValueConverter
	StageHeaderConverter
	StageKafkaProduce
	StageKafkaConsume
)

var stageNames = [...]string{"TASK_POLL", "TASK_PUT", "TRANSFORMATION", "KEY_CONVERTER", "VALUE_CONVERTER", "HEADER_CONVERTER", "KAFKA_PRODUCE", "KAFKA_CONSUME"}

// String is the Java enum constant name, as logs and DLQ headers show it.
func (s Stage) String() string {
	if s >= 0 && int(s) < len(stageNames) {
		return stageNames[s]
	}
	return "Stage(" + strconv.Itoa(int(s)) + ")"
}

// tolerable reports whether any error of the stage may be tolerated; in
// other stages only retriable errors are (and those never escape retries).
func (s Stage) tolerable() bool {
	switch s {
	case StageTransformation, StageKeyConverter, StageValueConverter, StageHeaderConverter:
		return true
	}
	return false
}

// Tolerance is errors.tolerance (ToleranceType).
type Tolerance int

const (
	ToleranceNone Tolerance = iota
	ToleranceAll
)

func (t Tolerance) String() string {
	if t == ToleranceAll {
		return "all"
	}
	return "none"
}

// retryDelayMin is the first retry's backoff (RETRIES_DELAY_MIN_MS).
const retryDelayMin = 300 * time.Millisecond

// Java class names of the executing "classes" that are not plugins.
const (
	classWorkerSourceTask = "org.apache.kafka.connect.runtime.WorkerSourceTask"
	classWorkerSinkTask   = "org.apache.kafka.connect.runtime.WorkerSinkTask"
)

// ProcessingContext describes one record's trip through the pipeline and,
// once an operation failed, where and why (ProcessingContext). Exactly one of
// Consumed (sink) and Source (source, before transformations) is set.
type ProcessingContext struct {
	Consumed *kafka.ConsumedMessage
	Source   *connectors.Record

	Stage   Stage
	Class   string // FQCN of the executing converter, transformation or task class
	Attempt int
	Err     error
}

// Failed reports whether an operation on this record failed.
func (pc *ProcessingContext) Failed() bool { return pc.Err != nil }

// Describe is ProcessingContext.toString(includeMessage): the stage and
// class, and with includeRecord the record's coordinates (sink) or the whole
// source record.
func (pc *ProcessingContext) Describe(includeRecord bool) string {
	var b strings.Builder
	b.WriteString("Executing stage '")
	b.WriteString(pc.Stage.String())
	b.WriteString("' with class '")
	if pc.Class == "" {
		b.WriteString("null")
	} else {
		b.WriteString(pc.Class)
	}
	b.WriteByte('\'')
	switch {
	case includeRecord && pc.Source != nil:
		b.WriteString(", where source record is = ")
		b.WriteString(pc.Source.JavaString())
	case includeRecord && pc.Consumed != nil:
		m := pc.Consumed
		b.WriteString(", where consumed record is {topic='")
		b.WriteString(m.Topic)
		b.WriteString("', partition=")
		b.WriteString(strconv.FormatInt(int64(m.Partition), 10))
		b.WriteString(", offset=")
		b.WriteString(strconv.FormatInt(m.Offset, 10))
		if m.TimestampType == kafka.CreateTime || m.TimestampType == kafka.LogAppendTime {
			b.WriteString(", timestamp=")
			b.WriteString(strconv.FormatInt(m.Timestamp.UnixMilli(), 10))
			b.WriteString(", timestampType=")
			b.WriteString(m.TimestampType.String())
		}
		b.WriteByte('}')
	}
	b.WriteByte('.')
	return b.String()
}

// ErrorReporter receives the context of every failed record
// (ErrorReporter): the log and the dead letter queue.
type ErrorReporter interface {
	Report(pc *ProcessingContext)
	Close() error
}

// ErrorMetrics are the task-error-metrics counters.
type ErrorMetrics struct {
	RecordFailures    int64 // total-record-failures: failed attempts, retries included
	RecordErrors      int64 // total-record-errors: records that ended in an error
	RecordsSkipped    int64 // total-records-skipped
	Retries           int64 // total-retries
	ErrorsLogged      int64 // total-errors-logged
	DLQProduceRequest int64 // deadletterqueue-produce-requests
	DLQProduceFailure int64 // deadletterqueue-produce-failures
	LastErrorUnixMs   int64 // last-error-timestamp (0: none)
}

type errorCounters struct {
	failures, errors, skipped, retries, logged, dlqRequests, dlqFailures, lastError atomic.Int64
}

// opClock is the operator's notion of time; tests substitute a fake.
type opClock interface {
	Now() time.Time
	// Wait waits d, returning early when stop is closed.
	Wait(d time.Duration, stop <-chan struct{})
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Wait(d time.Duration, stop <-chan struct{}) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-stop:
	}
}

// Operator runs a task's per-record operations with errors.retry.* and
// errors.tolerance, and hands failed records to the reporters
// (RetryWithToleranceOperator). Safe for concurrent use: the task goroutine
// executes operations while producer callbacks report send failures.
type Operator struct {
	retryTimeout time.Duration // < 0: retry forever
	maxDelay     time.Duration
	tolerance    Tolerance
	clock        opClock
	randN        func(n int64) int64 // uniform in [0, n)

	mu            sync.Mutex // serialises failure accounting and reports
	reporters     []ErrorReporter
	totalFailures int64

	stopOnce sync.Once
	stopCh   chan struct{}
	stopping atomic.Bool

	counters errorCounters
	m        atomic.Pointer[metrics.Task] // the task's error metrics; nil when disabled
}

// NewOperator returns an operator; retryTimeout < 0 retries forever.
func NewOperator(retryTimeout, maxDelay time.Duration, tolerance Tolerance) *Operator {
	return &Operator{
		retryTimeout: retryTimeout,
		maxDelay:     maxDelay,
		tolerance:    tolerance,
		clock:        realClock{},
		randN:        rand.Int64N,
		stopCh:       make(chan struct{}),
	}
}

// SetReporters installs the error reporters (before the task runs).
func (o *Operator) SetReporters(r ...ErrorReporter) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.reporters = r
}

func (o *Operator) addReporter(r ErrorReporter) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.reporters = append(o.reporters, r)
}

// Tolerance is the configured errors.tolerance.
func (o *Operator) Tolerance() Tolerance { return o.tolerance }

// Stop aborts retries in progress and those to come (triggerStop): the
// operation in retry is marked failed.
func (o *Operator) Stop() {
	o.stopOnce.Do(func() {
		o.stopping.Store(true)
		close(o.stopCh)
	})
}

// setMetrics forwards the error counters to the task's metrics (Kafka's
// task-error-metrics group) from now on.
func (o *Operator) setMetrics(m *metrics.Task) { o.m.Store(m) }

func (o *Operator) countFailure() { o.counters.failures.Add(1); o.m.Load().RecordFailure() }
func (o *Operator) countError()   { o.counters.errors.Add(1); o.m.Load().RecordError() }
func (o *Operator) countSkipped() { o.counters.skipped.Add(1); o.m.Load().RecordSkipped() }
func (o *Operator) countRetry()   { o.counters.retries.Add(1); o.m.Load().Retry() }
func (o *Operator) countLogged()  { o.counters.logged.Add(1); o.m.Load().ErrorLogged() }

func (o *Operator) countDLQRequest() { o.counters.dlqRequests.Add(1); o.m.Load().DLQRequest() }
func (o *Operator) countDLQFailure() { o.counters.dlqFailures.Add(1); o.m.Load().DLQFailure() }

// Metrics returns a snapshot of the error counters.
func (o *Operator) Metrics() ErrorMetrics {
	c := &o.counters
	return ErrorMetrics{
		RecordFailures: c.failures.Load(), RecordErrors: c.errors.Load(), RecordsSkipped: c.skipped.Load(),
		Retries: c.retries.Load(), ErrorsLogged: c.logged.Load(), DLQProduceRequest: c.dlqRequests.Load(),
		DLQProduceFailure: c.dlqFailures.Load(), LastErrorUnixMs: c.lastError.Load(),
	}
}

// Close closes every reporter; all are closed even when some fail.
func (o *Operator) Close() error {
	o.mu.Lock()
	reps := o.reporters
	o.reporters = nil
	o.mu.Unlock()
	var errs []error
	for _, r := range reps {
		if err := r.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return &ConnectError{Msg: "Failed to close all reporters", Cause: errors.Join(errs...)}
	}
	return nil
}

// Execute runs op for the record of pc in the given stage, executed by class:
//   - success: op's value and a nil error;
//   - a retriable error (connectors.ErrRetriable) is retried until
//     errors.retry.timeout; when retries are exhausted or the task stops, the
//     record is marked failed and skipped whatever errors.tolerance says
//     (Kafka's behaviour);
//   - any other error marks the record failed; the task must then fail with
//     the returned error when the stage is not tolerable ("Unhandled
//     exception in error handler") or errors.tolerance=none ("Tolerance
//     exceeded in error handler"); with errors.tolerance=all the zero value
//     and a nil error are returned and the caller skips the record.
//
// A failed record is reported before Execute returns. Once pc has failed,
// later operations on it do not run (the zero value is returned).
func Execute[V any](o *Operator, pc *ProcessingContext, stage Stage, class string, op func() (V, error)) (V, error) {
	var zero V
	pc.Stage, pc.Class = stage, class
	if pc.Failed() {
		return zero, nil
	}
	v, err := execAndHandleError(o, pc, stage.tolerable(), op)
	if pc.Failed() {
		o.countError()
		o.report(pc)
	}
	return v, err
}

// execAndHandleError is execAndRetry plus the tolerance decision.
func execAndHandleError[V any](o *Operator, pc *ProcessingContext, tolerable bool, op func() (V, error)) (V, error) {
	var zero V
	v, err := execAndRetry(o, pc, op)
	if err == nil {
		if pc.Failed() { // retries exhausted or stopped: skipped regardless of tolerance
			o.markAsFailed()
			o.countSkipped()
		}
		return v, nil
	}
	o.countFailure()
	o.markAsFailed()
	pc.Err = err
	if !tolerable {
		return zero, &ConnectError{Msg: "Unhandled exception in error handler", Cause: err}
	}
	if !o.WithinToleranceLimits() {
		return zero, &ConnectError{Msg: "Tolerance exceeded in error handler", Cause: err}
	}
	o.countSkipped()
	return zero, nil
}

// execAndRetry calls op, retrying retriable errors with backoff until the
// deadline; it returns non-retriable errors to the caller. Exhausted
// retries mark pc failed and return a nil error.
func execAndRetry[V any](o *Operator, pc *ProcessingContext, op func() (V, error)) (V, error) {
	var zero V
	// The deadline counts from the first failure: reading the clock before
	// every operation costs more than the conversion on the per-record
	// path, and only a failing operation needs it.
	var deadline time.Time
	forever := o.retryTimeout < 0
	for attempt := 1; ; attempt++ {
		v, err := op()
		pc.Attempt = attempt
		if err == nil {
			return v, nil
		}
		if !errors.Is(err, connectors.ErrRetriable) {
			return zero, err
		}
		if attempt == 1 {
			deadline = o.clock.Now().Add(o.retryTimeout)
		}
		o.countFailure()
		if !forever && !o.clock.Now().Before(deadline) {
			pc.Err = err
			return zero, nil
		}
		o.backoff(attempt, deadline, forever)
		o.countRetry()
		if o.stopping.Load() {
			pc.Err = err
			return zero, nil
		}
	}
}

// backoffDelay is 300ms << (attempt-1); beyond errors.retry.delay.max.ms a
// random delay in [0, max) (the jitter); never past the deadline.
func (o *Operator) backoffDelay(attempt int, deadline time.Time, forever bool) time.Duration {
	delay := retryDelayMin
	for i := 1; i < attempt && delay <= o.maxDelay; i++ {
		delay <<= 1
	}
	if delay > o.maxDelay {
		delay = 0
		if o.maxDelay > 0 {
			delay = time.Duration(o.randN(int64(o.maxDelay/time.Millisecond))) * time.Millisecond
		}
	}
	if !forever {
		if left := deadline.Sub(o.clock.Now()); delay > left {
			delay = max(left, 0)
		}
	}
	return delay
}

func (o *Operator) backoff(attempt int, deadline time.Time, forever bool) {
	o.clock.Wait(o.backoffDelay(attempt, deadline, forever), o.stopCh)
}

// ExecuteFailed records and reports a failure that happened outside
// Execute (a producer send callback); it returns the task-failing error
// when errors.tolerance=none (executeFailed).
func (o *Operator) ExecuteFailed(pc *ProcessingContext, stage Stage, class string, err error) error {
	o.markAsFailed()
	pc.Stage, pc.Class, pc.Err = stage, class, err
	o.countFailure()
	o.report(pc)
	if !o.WithinToleranceLimits() {
		o.countError()
		return &ConnectError{Msg: "Tolerance exceeded in Source Worker error handler", Cause: err}
	}
	return nil
}

func (o *Operator) markAsFailed() {
	o.counters.lastError.Store(o.clock.Now().UnixMilli())
	o.mu.Lock()
	o.totalFailures++
	o.mu.Unlock()
}

// WithinToleranceLimits: with none, no failure at all; with all, always.
func (o *Operator) WithinToleranceLimits() bool {
	if o.tolerance == ToleranceAll {
		return true
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.totalFailures == 0
}

func (o *Operator) report(pc *ProcessingContext) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, r := range o.reporters {
		r.Report(pc)
	}
}
