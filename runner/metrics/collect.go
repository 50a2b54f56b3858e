package metrics

import (
	"strings"

	"github.com/prometheus/client_golang/prometheus"
)

var (
	connLabels = []string{"connector"}
	taskLabels = []string{"connector", "task"}
	allDescs   []*prometheus.Desc
)

// desc names a metric after its Kafka group and name:
// kafka_connect_<group>_<name>, dashes turned into underscores.
func desc(group, name, help string, labels ...string) *prometheus.Desc {
	fq := "kafka_connect_" + strings.ReplaceAll(group+"_"+name, "-", "_")
	d := prometheus.NewDesc(fq, help, labels, nil)
	allDescs = append(allDescs, d)
	return d
}

// connect-worker-metrics
var (
	dConnectorCount    = desc("worker", "connector-count", "The number of connectors run in this worker.")
	dTaskCount         = desc("worker", "task-count", "The number of tasks run in this worker.")
	dConnStartAttempts = desc("worker", "connector-startup-attempts-total", "The total number of connector startups that this worker has attempted.")
	dConnStartOK       = desc("worker", "connector-startup-success-total", "The total number of connector starts that succeeded.")
	dConnStartOKPct    = desc("worker", "connector-startup-success-percentage", "The average percentage of this worker's connectors starts that succeeded.")
	dConnStartFail     = desc("worker", "connector-startup-failure-total", "The total number of connector starts that failed.")
	dConnStartFailPct  = desc("worker", "connector-startup-failure-percentage", "The average percentage of this worker's connectors starts that failed.")
	dTaskStartAttempts = desc("worker", "task-startup-attempts-total", "The total number of task startups that this worker has attempted.")
	dTaskStartOK       = desc("worker", "task-startup-success-total", "The total number of task starts that succeeded.")
	dTaskStartOKPct    = desc("worker", "task-startup-success-percentage", "The average percentage of this worker's tasks starts that succeeded.")
	dTaskStartFail     = desc("worker", "task-startup-failure-total", "The total number of task starts that failed.")
	dTaskStartFailPct  = desc("worker", "task-startup-failure-percentage", "The average percentage of this worker's tasks starts that failed.")

	// Per connector, in connect-worker-metrics; one series per task state.
	dConnTaskCounts = map[string]*prometheus.Desc{
		"":           desc("worker", "connector-total-task-count", "The number of tasks of the connector on the worker.", connLabels...),
		"running":    desc("worker", "connector-running-task-count", "The number of running tasks of the connector on the worker.", connLabels...),
		"paused":     desc("worker", "connector-paused-task-count", "The number of paused tasks of the connector on the worker.", connLabels...),
		"failed":     desc("worker", "connector-failed-task-count", "The number of failed tasks of the connector on the worker.", connLabels...),
		"unassigned": desc("worker", "connector-unassigned-task-count", "The number of unassigned tasks of the connector on the worker.", connLabels...),
		"destroyed":  desc("worker", "connector-destroyed-task-count", "The number of destroyed tasks of the connector on the worker.", connLabels...),
		"restarting": desc("worker", "connector-restarting-task-count", "The number of restarting tasks of the connector on the worker.", connLabels...),
	}
)

// connector-metrics
var (
	dConnStatus = desc("connector", "status", "The status of the connector (value 1, state in the status label): unassigned, running, paused, stopped, failed or restarting.", "connector", "status")
	dConnInfo   = desc("connector", "info", "The connector's connector-class, connector-type and connector-version (value 1).", "connector", "connector_class", "connector_type", "connector_version")
)

// connector-task-metrics
var (
	dTaskStatus       = desc("connector-task", "status", "The status of the connector task (value 1, state in the status label): unassigned, running, paused, failed or restarting.", "connector", "task", "status")
	dRunningRatio     = desc("connector-task", "running-ratio", "The fraction of time this task has spent in the running state.", taskLabels...)
	dPauseRatio       = desc("connector-task", "pause-ratio", "The fraction of time this task has spent in the pause state.", taskLabels...)
	dCommitMax        = desc("connector-task", "offset-commit-max-time-ms", "The maximum time in milliseconds taken by this task to commit offsets.", taskLabels...)
	dCommitAvg        = desc("connector-task", "offset-commit-avg-time-ms", "The average time in milliseconds taken by this task to commit offsets.", taskLabels...)
	dBatchMax         = desc("connector-task", "batch-size-max", "The maximum size of the batches processed by the connector.", taskLabels...)
	dBatchAvg         = desc("connector-task", "batch-size-avg", "The average size of the batches processed by the connector.", taskLabels...)
	dCommitFailurePct = desc("connector-task", "offset-commit-failure-percentage", "The average percentage of this task's offset commit attempts that failed.", taskLabels...)
	dCommitSuccessPct = desc("connector-task", "offset-commit-success-percentage", "The average percentage of this task's offset commit attempts that succeeded.", taskLabels...)
)

// source-task-metrics
var (
	dPollRate     = desc("source-task", "source-record-poll-rate", "The average per-second number of records produced/polled (before transformation) by this task belonging to the named source connector in this worker.", taskLabels...)
	dPollTotal    = desc("source-task", "source-record-poll-total", "The total number of records produced/polled (before transformation) by this task belonging to the named source connector in this worker.", taskLabels...)
	dWriteRate    = desc("source-task", "source-record-write-rate", "The average per-second number of records written to Kafka for this task belonging to the named source connector in this worker, after transformations and excluding records they filtered out.", taskLabels...)
	dWriteTotal   = desc("source-task", "source-record-write-total", "The number of records output from the transformations and written to Kafka for this task belonging to the named source connector in this worker, since the task was last restarted.", taskLabels...)
	dPollTimeMax  = desc("source-task", "poll-batch-max-time-ms", "The maximum time in milliseconds taken by this task to poll for a batch of source records.", taskLabels...)
	dPollTimeAvg  = desc("source-task", "poll-batch-avg-time-ms", "The average time in milliseconds taken by this task to poll for a batch of source records.", taskLabels...)
	dSrcActive    = desc("source-task", "source-record-active-count", "The number of records that have been produced by this task but not yet completely written to Kafka.", taskLabels...)
	dSrcActiveMax = desc("source-task", "source-record-active-count-max", "The maximum number of records that have been produced by this task but not yet completely written to Kafka.", taskLabels...)
	dSrcActiveAvg = desc("source-task", "source-record-active-count-avg", "The average number of records that have been produced by this task but not yet completely written to Kafka.", taskLabels...)
)

// sink-task-metrics
var (
	dReadRate       = desc("sink-task", "sink-record-read-rate", "The average per-second number of records read from Kafka for this task belonging to the named sink connector in this worker. This is before transformations are applied.", taskLabels...)
	dReadTotal      = desc("sink-task", "sink-record-read-total", "The total number of records read from Kafka by this task belonging to the named sink connector in this worker, since the task was last restarted.", taskLabels...)
	dSendRate       = desc("sink-task", "sink-record-send-rate", "The average per-second number of records output from the transformations and sent/put to this task belonging to the named sink connector in this worker, excluding records filtered out by the transformations.", taskLabels...)
	dSendTotal      = desc("sink-task", "sink-record-send-total", "The total number of records output from the transformations and sent/put to this task belonging to the named sink connector in this worker, since the task was last restarted.", taskLabels...)
	dPartitionCount = desc("sink-task", "partition-count", "The number of topic partitions assigned to this task belonging to the named sink connector in this worker.", taskLabels...)
	dCommitSeq      = desc("sink-task", "offset-commit-seq-no", "The current sequence number for offset commits.", taskLabels...)
	dCompletionRate = desc("sink-task", "offset-commit-completion-rate", "The average per-second number of offset commit completions that were completed successfully.", taskLabels...)
	dCompletion     = desc("sink-task", "offset-commit-completion-total", "The total number of offset commit completions that were completed successfully.", taskLabels...)
	dSkipRate       = desc("sink-task", "offset-commit-skip-rate", "The average per-second number of offset commit completions that were received too late and skipped/ignored.", taskLabels...)
	dSkip           = desc("sink-task", "offset-commit-skip-total", "The total number of offset commit completions that were received too late and skipped/ignored.", taskLabels...)
	dPutTimeMax     = desc("sink-task", "put-batch-max-time-ms", "The maximum time taken by this task to put a batch of sinks records.", taskLabels...)
	dPutTimeAvg     = desc("sink-task", "put-batch-avg-time-ms", "The average time taken by this task to put a batch of sinks records.", taskLabels...)
	dSinkActive     = desc("sink-task", "sink-record-active-count", "The number of records that have been read from Kafka but not yet completely committed/flushed/acknowledged by the sink task.", taskLabels...)
	dSinkActiveMax  = desc("sink-task", "sink-record-active-count-max", "The maximum number of records that have been read from Kafka but not yet completely committed/flushed/acknowledged by the sink task.", taskLabels...)
	dSinkActiveAvg  = desc("sink-task", "sink-record-active-count-avg", "The average number of records that have been read from Kafka but not yet completely committed/flushed/acknowledged by the sink task.", taskLabels...)
)

// task-error-metrics
var (
	dFailures    = desc("task-error", "total-record-failures", "The number of record processing failures in this task.", taskLabels...)
	dErrors      = desc("task-error", "total-record-errors", "The number of record processing errors in this task.", taskLabels...)
	dSkipped     = desc("task-error", "total-records-skipped", "The number of records skipped due to errors.", taskLabels...)
	dRetries     = desc("task-error", "total-retries", "The number of operations retried.", taskLabels...)
	dLogged      = desc("task-error", "total-errors-logged", "The number of errors that were logged.", taskLabels...)
	dDLQRequests = desc("task-error", "deadletterqueue-produce-requests", "The number of attempted writes to the dead letter queue.", taskLabels...)
	dDLQFailures = desc("task-error", "deadletterqueue-produce-failures", "The number of failed writes to the dead letter queue.", taskLabels...)
	dLastError   = desc("task-error", "last-error-timestamp", "The epoch timestamp (ms) when this task last encountered an error.", taskLabels...)
)

type collector struct{ r *Registry }

func (c collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range allDescs {
		ch <- d
	}
}

func pct(part, total int64) float64 {
	if total == 0 {
		return 0
	}
	return float64(part) / float64(total)
}

func (c collector) Collect(ch chan<- prometheus.Metric) {
	r := c.r
	now := r.now()
	o := &r.opts
	conns, tasks := r.snapshot()
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	count := func(d *prometheus.Desc, v int64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
	}

	// Worker
	gauge(dConnectorCount, float64(len(conns)))
	gauge(dTaskCount, float64(len(tasks)))
	cOK, cFail := r.connStartOK.Load(), r.connStartFail.Load()
	count(dConnStartAttempts, cOK+cFail)
	count(dConnStartOK, cOK)
	count(dConnStartFail, cFail)
	gauge(dConnStartOKPct, pct(cOK, cOK+cFail))
	gauge(dConnStartFailPct, pct(cFail, cOK+cFail))
	tOK, tFail := r.taskStartOK.Load(), r.taskStartFail.Load()
	count(dTaskStartAttempts, tOK+tFail)
	count(dTaskStartOK, tOK)
	count(dTaskStartFail, tFail)
	gauge(dTaskStartOKPct, pct(tOK, tOK+tFail))
	gauge(dTaskStartFailPct, pct(tFail, tOK+tFail))

	// Task states, needed for the per-connector task counts.
	type taskState struct {
		status          string
		running, paused float64
	}
	states := make([]taskState, len(tasks))
	perConn := map[string]map[string]int{}
	for i, t := range tasks {
		s, run, pause := t.ratios(now)
		states[i] = taskState{s, run, pause}
		m := perConn[t.connector]
		if m == nil {
			m = map[string]int{}
			perConn[t.connector] = m
		}
		m[s]++
		m[""]++
	}

	// Connectors
	for _, cn := range conns {
		cn.mu.Lock()
		status, class, typ, version := cn.status, cn.class, cn.typ, cn.version
		cn.mu.Unlock()
		if status != "" {
			gauge(dConnStatus, 1, cn.name, status)
		}
		if class != "" || typ != "" {
			gauge(dConnInfo, 1, cn.name, class, typ, version)
		}
		for state, d := range dConnTaskCounts {
			gauge(d, float64(perConn[cn.name][state]), cn.name)
		}
	}

	// Tasks
	for i, t := range tasks {
		l := []string{t.connector, t.label}
		st := states[i]
		gauge(dTaskStatus, 1, t.connector, t.label, st.status)
		gauge(dRunningRatio, st.running, l...)
		gauge(dPauseRatio, st.paused, l...)
		avg, mx, _ := t.commitTime.measure(now, o)
		gauge(dCommitAvg, avg, l...)
		gauge(dCommitMax, mx, l...)
		avg, mx, _ = t.batchSize.measure(now, o)
		gauge(dBatchAvg, avg, l...)
		gauge(dBatchMax, mx, l...)
		okAvg, _, n := t.commitOK.measure(now, o)
		if n == 0 {
			gauge(dCommitSuccessPct, 0, l...)
			gauge(dCommitFailurePct, 0, l...)
		} else {
			gauge(dCommitSuccessPct, okAvg, l...)
			gauge(dCommitFailurePct, 1-okAvg, l...)
		}

		switch Kind(t.kind.Load()) {
		case Source:
			count(dPollTotal, t.poll.total.Load(), l...)
			gauge(dPollRate, t.poll.rate(now, o), l...)
			count(dWriteTotal, t.write.total.Load(), l...)
			gauge(dWriteRate, t.write.rate(now, o), l...)
			avg, mx, _ = t.pollTime.measure(now, o)
			gauge(dPollTimeAvg, avg, l...)
			gauge(dPollTimeMax, mx, l...)
			active := 0.0
			if fn := t.activeFn.Load(); fn != nil {
				active = float64((*fn)())
			}
			gauge(dSrcActive, active, l...)
			avg, mx, _ = t.activeStat.measure(now, o)
			gauge(dSrcActiveAvg, avg, l...)
			gauge(dSrcActiveMax, mx, l...)
		case Sink:
			count(dReadTotal, t.read.total.Load(), l...)
			gauge(dReadRate, t.read.rate(now, o), l...)
			count(dSendTotal, t.send.total.Load(), l...)
			gauge(dSendRate, t.send.rate(now, o), l...)
			gauge(dPartitionCount, float64(t.partitions.Load()), l...)
			gauge(dCommitSeq, float64(t.commitSeq.Load()), l...)
			count(dCompletion, t.commitCompleted.total.Load(), l...)
			gauge(dCompletionRate, t.commitCompleted.rate(now, o), l...)
			count(dSkip, t.commitSkip.total.Load(), l...)
			gauge(dSkipRate, t.commitSkip.rate(now, o), l...)
			avg, mx, _ = t.putTime.measure(now, o)
			gauge(dPutTimeAvg, avg, l...)
			gauge(dPutTimeMax, mx, l...)
			gauge(dSinkActive, float64(t.sinkActive.Load()), l...)
			avg, mx, _ = t.sinkActiveStat.measure(now, o)
			gauge(dSinkActiveAvg, avg, l...)
			gauge(dSinkActiveMax, mx, l...)
		}

		count(dFailures, t.failures.Load(), l...)
		count(dErrors, t.errorsTotal.Load(), l...)
		count(dSkipped, t.skipped.Load(), l...)
		count(dRetries, t.retries.Load(), l...)
		count(dLogged, t.logged.Load(), l...)
		count(dDLQRequests, t.dlqRequests.Load(), l...)
		count(dDLQFailures, t.dlqFailures.Load(), l...)
		gauge(dLastError, float64(t.lastError.Load()), l...) // 0 before the first error, as in Kafka
	}
}
