package runner

import "time"

// activeRecords is sink-record-active-count: records consumed but not yet
// committed, over the partitions that have a committed offset (as
// WorkerSinkTask's computeSinkRecordLag). Runs on the task goroutine.
func (r *sinkTaskRunner) activeRecords() int {
	if r.m == nil {
		return 0
	}
	n := int64(0)
	for tp, consumed := range r.delivered {
		if committed, ok := r.committed[tp]; ok {
			n += consumed - committed
		}
	}
	return int(n)
}

// commitMetrics records a sink offset commit attempt begun at start.
func (r *sinkTaskRunner) commitMetrics(start time.Time, ok *bool) {
	if r.m == nil {
		return
	}
	r.m.OffsetCommit(*ok, time.Since(start))
	if *ok {
		r.m.SinkCommitted()
		r.m.SinkActive(r.activeRecords())
	}
}
