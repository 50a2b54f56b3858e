// Package metrics keeps Kafka Connect's worker, connector and task metrics
// and serves them in the Prometheus text format.
//
// Names follow the convention of the Prometheus JMX exporter rules most
// Kafka Connect dashboards are built for (Strimzi's): the JMX group without
// "-metrics" (connect-worker-metrics → worker), then the Kafka metric name,
// dashes turned into underscores, under kafka_connect_. So
// source-task-metrics/source-record-poll-total becomes
// kafka_connect_source_task_source_record_poll_total{connector,task} and
// the connector status becomes kafka_connect_connector_status
// {connector,status="running"} 1. docs/metrics.md lists them all.
//
// Recorders are nil-safe: with a nil *Registry every method is a no-op, so
// callers need no "metrics enabled?" checks.
package metrics

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Options configure the sampled statistics (Kafka's MetricConfig).
type Options struct {
	// Window is metrics.sample.window.ms (default 30 s).
	Window time.Duration
	// Samples is metrics.num.samples (default 2).
	Samples int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// NoRuntimeMetrics leaves out the Go runtime and process collectors.
	NoRuntimeMetrics bool

	window int64 // ms
}

// Kind is a task's kind.
type Kind int32

const (
	kindUnknown Kind = iota
	// Source tasks add the source-task-metrics group.
	Source
	// Sink tasks add the sink-task-metrics group.
	Sink
)

// Registry holds every metric of one worker. Safe for concurrent use.
type Registry struct {
	opts Options
	prom *prometheus.Registry

	mu         sync.RWMutex
	connectors map[string]*Connector
	tasks      map[taskKey]*Task

	connStartOK, connStartFail atomic.Int64
	taskStartOK, taskStartFail atomic.Int64
}

type taskKey struct {
	connector string
	task      int
}

// New returns an empty registry.
func New(opts Options) *Registry {
	if opts.Window <= 0 {
		opts.Window = 30 * time.Second
	}
	if opts.Samples < 1 {
		opts.Samples = 2
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	opts.window = max(opts.Window.Milliseconds(), 1)
	r := &Registry{
		opts:       opts,
		prom:       prometheus.NewRegistry(),
		connectors: map[string]*Connector{},
		tasks:      map[taskKey]*Task{},
	}
	r.prom.MustRegister(collector{r})
	if !opts.NoRuntimeMetrics {
		r.prom.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	return r
}

func (r *Registry) now() int64 { return r.opts.Now().UnixMilli() }

// Handler serves GET /metrics in the Prometheus text format.
func (r *Registry) Handler() http.Handler {
	return promhttp.HandlerFor(r.prom, promhttp.HandlerOpts{})
}

// Gatherer exposes the underlying registry, e.g. to merge it with others.
func (r *Registry) Gatherer() prometheus.Gatherer { return r.prom }

// ConnectorStartup counts a connector start attempt (Worker.startConnector).
func (r *Registry) ConnectorStartup(ok bool) {
	if r == nil {
		return
	}
	if ok {
		r.connStartOK.Add(1)
	} else {
		r.connStartFail.Add(1)
	}
}

// TaskStartup counts a task start attempt (Worker.startTask).
func (r *Registry) TaskStartup(ok bool) {
	if r == nil {
		return
	}
	if ok {
		r.taskStartOK.Add(1)
	} else {
		r.taskStartFail.Add(1)
	}
}

// Connector returns the connector's recorder, creating it on first use.
func (r *Registry) Connector(name string) *Connector {
	if r == nil {
		return nil
	}
	r.mu.RLock()
	c := r.connectors[name]
	r.mu.RUnlock()
	if c != nil {
		return c
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if c = r.connectors[name]; c == nil {
		c = &Connector{name: name}
		r.connectors[name] = c
	}
	return c
}

// RemoveConnector drops the connector's series and those of its tasks.
func (r *Registry) RemoveConnector(name string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.connectors, name)
	for k := range r.tasks {
		if k.connector == name {
			delete(r.tasks, k)
		}
	}
}

// Task returns the task's recorder, creating it on first use. Its kind is
// set by SourceTask or SinkTask.
func (r *Registry) Task(connector string, task int) *Task {
	if r == nil {
		return nil
	}
	k := taskKey{connector, task}
	r.mu.RLock()
	t := r.tasks[k]
	r.mu.RUnlock()
	if t != nil {
		return t
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if t = r.tasks[k]; t == nil {
		t = newTask(r, connector, task)
		r.tasks[k] = t
	}
	return t
}

// SourceTask is Task for a source task. active, if not nil, reports the
// records handed to the producer and not yet acknowledged
// (source-record-active-count); it is called at scrape time and per poll.
func (r *Registry) SourceTask(connector string, task int, active func() int) *Task {
	t := r.Task(connector, task)
	if t != nil {
		t.kind.Store(int32(Source))
		if active != nil {
			t.activeFn.Store(&active)
		}
	}
	return t
}

// SinkTask is Task for a sink task.
func (r *Registry) SinkTask(connector string, task int) *Task {
	t := r.Task(connector, task)
	if t != nil {
		t.kind.Store(int32(Sink))
	}
	return t
}

// RemoveTask drops one task's series.
func (r *Registry) RemoveTask(connector string, task int) {
	if r == nil {
		return
	}
	r.mu.Lock()
	delete(r.tasks, taskKey{connector, task})
	r.mu.Unlock()
}

// RemoveTasks drops the series of every task of connector.
func (r *Registry) RemoveTasks(connector string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for k := range r.tasks {
		if k.connector == connector {
			delete(r.tasks, k)
		}
	}
}

// snapshot returns the live recorders in a stable order.
func (r *Registry) snapshot() ([]*Connector, []*Task) {
	r.mu.RLock()
	conns := slices.Collect(maps.Values(r.connectors))
	tasks := slices.Collect(maps.Values(r.tasks))
	r.mu.RUnlock()
	slices.SortFunc(conns, func(a, b *Connector) int { return strings.Compare(a.name, b.name) })
	slices.SortFunc(tasks, func(a, b *Task) int {
		if c := strings.Compare(a.connector, b.connector); c != 0 {
			return c
		}
		return a.task - b.task
	})
	return conns, tasks
}

// normState turns a status (RUNNING, PAUSED, ...) into Kafka's metric
// value (running, paused, ...).
func normState(s string) string { return strings.ToLower(s) }

// Connector records one connector's metrics (connector-metrics).
type Connector struct {
	name string
	mu   sync.Mutex
	// status is the lower-case state; class, typ and version describe it.
	status, class, typ, version string
}

// SetStatus records the connector's state (RUNNING, PAUSED, FAILED, ...).
func (c *Connector) SetStatus(state string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.status = normState(state)
	c.mu.Unlock()
}

// SetInfo records connector-class, connector-type (source or sink) and
// connector-version.
func (c *Connector) SetInfo(class, typ, version string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.class, c.typ, c.version = class, typ, version
	c.mu.Unlock()
}

// Task records one task's metrics: connector-task-metrics, plus
// source-task-metrics or sink-task-metrics, plus task-error-metrics.
// Methods are safe for concurrent use; those marked "per batch" take a
// short lock, the others are atomic adds.
type Task struct {
	reg       *Registry
	connector string
	task      int
	label     string
	kind      atomic.Int32

	mu                    sync.Mutex // status bookkeeping
	status                string
	since, created        int64
	runningMs, pausedMs   int64
	batchSize, commitTime windowed
	commitOK              windowed // 1 per successful commit, 0 per failure

	// source-task-metrics
	poll, write counter
	pollTime    windowed
	activeFn    atomic.Pointer[func() int]
	activeStat  windowed

	// sink-task-metrics
	read, send                        counter
	putTime                           windowed
	commitCompleted, commitSkip       counter
	commitSeq, partitions, sinkActive atomic.Int64
	sinkActiveStat                    windowed

	// task-error-metrics
	failures, errorsTotal, skipped, retries, logged, dlqRequests, dlqFailures atomic.Int64
	lastError                                                                 atomic.Int64
}

func newTask(r *Registry, connector string, task int) *Task {
	now := r.now()
	t := &Task{reg: r, connector: connector, task: task, label: strconv.Itoa(task), status: "unassigned", since: now, created: now}
	n := r.opts.Samples
	for _, w := range []*windowed{&t.batchSize, &t.commitTime, &t.commitOK, &t.pollTime, &t.activeStat, &t.putTime, &t.sinkActiveStat} {
		w.init(n, now)
	}
	for _, c := range []*counter{&t.poll, &t.write, &t.read, &t.send, &t.commitCompleted, &t.commitSkip} {
		c.init(n, now)
	}
	return t
}

// SetStatus records the task's state (UNASSIGNED, RUNNING, PAUSED, FAILED,
// RESTARTING, ...); running-ratio and pause-ratio follow it.
func (t *Task) SetStatus(state string) {
	if t == nil {
		return
	}
	now := t.reg.now()
	t.mu.Lock()
	t.accrueLocked(now)
	t.status = normState(state)
	t.mu.Unlock()
}

func (t *Task) accrueLocked(now int64) {
	switch t.status {
	case "running":
		t.runningMs += now - t.since
	case "paused":
		t.pausedMs += now - t.since
	}
	t.since = now
}

// ratios returns running-ratio and pause-ratio: the share of the task's
// lifetime spent in each state (Kafka's StateTracker).
func (t *Task) ratios(now int64) (status string, running, paused float64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.accrueLocked(now)
	life := now - t.created
	if life <= 0 {
		return t.status, 0, 0
	}
	return t.status, float64(t.runningMs) / float64(life), float64(t.pausedMs) / float64(life)
}

// OffsetCommit records an offset commit attempt and its duration (per
// commit).
func (t *Task) OffsetCommit(ok bool, d time.Duration) {
	if t == nil {
		return
	}
	now := t.reg.now()
	o := &t.reg.opts
	t.commitTime.record(ms(d), now, o)
	v := 0.0
	if ok {
		v = 1
	}
	t.commitOK.record(v, now, o)
}

// SourcePoll records a poll that returned n records after d (per batch).
func (t *Task) SourcePoll(n int, d time.Duration) {
	if t == nil {
		return
	}
	now := t.reg.now()
	o := &t.reg.opts
	t.poll.add(int64(n))
	t.poll.tick(now, o)
	t.write.tick(now, o)
	t.pollTime.record(ms(d), now, o)
	t.batchSize.record(float64(n), now, o)
	if fn := t.activeFn.Load(); fn != nil {
		t.activeStat.record(float64((*fn)()), now, o)
	}
}

// SourceWrite counts records acknowledged by Kafka (one atomic add).
func (t *Task) SourceWrite(n int) {
	if t != nil {
		t.write.add(int64(n))
	}
}

// SinkRead counts records read from Kafka (per batch).
func (t *Task) SinkRead(n int) {
	if t == nil {
		return
	}
	now := t.reg.now()
	t.read.add(int64(n))
	t.read.tick(now, &t.reg.opts)
}

// SinkPut records a successful SinkTask.put of n records taking d (per
// batch).
func (t *Task) SinkPut(n int, d time.Duration) {
	if t == nil {
		return
	}
	now := t.reg.now()
	o := &t.reg.opts
	t.send.add(int64(n))
	t.send.tick(now, o)
	t.putTime.record(ms(d), now, o)
	t.batchSize.record(float64(n), now, o)
}

// SinkCommitted records a completed consumer offset commit.
func (t *Task) SinkCommitted() {
	if t == nil {
		return
	}
	t.commitSeq.Add(1)
	t.commitCompleted.add(1)
	t.commitCompleted.tick(t.reg.now(), &t.reg.opts)
}

// SinkCommitSkipped records a commit completion that came too late and was
// ignored (asynchronous commits only).
func (t *Task) SinkCommitSkipped() {
	if t == nil {
		return
	}
	t.commitSkip.add(1)
	t.commitSkip.tick(t.reg.now(), &t.reg.opts)
}

// SinkPartitions adjusts partition-count by delta (assigned: +n, revoked: -n).
func (t *Task) SinkPartitions(delta int) {
	if t != nil {
		t.partitions.Add(int64(delta))
	}
}

// SinkActive sets sink-record-active-count: records read but not yet
// committed (per batch).
func (t *Task) SinkActive(n int) {
	if t == nil {
		return
	}
	t.sinkActive.Store(int64(n))
	t.sinkActiveStat.record(float64(n), t.reg.now(), &t.reg.opts)
}

// RecordFailure counts a failed attempt of an operation on a record
// (total-record-failures), retries included.
func (t *Task) RecordFailure() {
	if t != nil {
		t.failures.Add(1)
		t.lastError.Store(t.reg.now())
	}
}

// RecordError counts a record whose processing finally failed
// (total-record-errors).
func (t *Task) RecordError() {
	if t != nil {
		t.errorsTotal.Add(1)
		t.lastError.Store(t.reg.now())
	}
}

// RecordSkipped counts a record skipped because errors.tolerance=all.
func (t *Task) RecordSkipped() {
	if t != nil {
		t.skipped.Add(1)
	}
}

// Retry counts a retried operation (total-retries).
func (t *Task) Retry() {
	if t != nil {
		t.retries.Add(1)
	}
}

// ErrorLogged counts an error written by the errors.log.enable reporter.
func (t *Task) ErrorLogged() {
	if t != nil {
		t.logged.Add(1)
	}
}

// DLQProduce counts a write to the dead letter queue, and whether it failed.
func (t *Task) DLQProduce(failed bool) {
	t.DLQRequest()
	if failed {
		t.DLQFailure()
	}
}

// DLQRequest counts a write to the dead letter queue
// (deadletterqueue-produce-requests).
func (t *Task) DLQRequest() {
	if t != nil {
		t.dlqRequests.Add(1)
	}
}

// DLQFailure counts a failed dead letter queue write, which may be known
// only when the producer answers (deadletterqueue-produce-failures).
func (t *Task) DLQFailure() {
	if t != nil {
		t.dlqFailures.Add(1)
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
