package runner

import (
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/runner/connconfig"
)

// errorsConfig is a connector's errors.* settings.
type errorsConfig struct {
	retryTimeout       time.Duration // < 0: forever
	maxDelay           time.Duration
	tolerance          Tolerance
	logEnable          bool
	logIncludeMessages bool
	dlqTopic           string // sinks only; empty: no DLQ
	dlqReplication     int16
	dlqContextHeaders  bool
}

// parseErrorsConfig reads errors.* from a validated connector config
// (validation already rejected bad values; defaults apply to the rest).
func parseErrorsConfig(cfg map[string]string, sink bool) errorsConfig {
	ec := errorsConfig{
		retryTimeout:   0,
		maxDelay:       60 * time.Second,
		dlqReplication: 3,
	}
	if v, ok := parseLong(cfg[connconfig.ErrorsRetryTimeout]); ok {
		ec.retryTimeout = msDuration(v)
	}
	if v, ok := parseLong(cfg[connconfig.ErrorsRetryMaxDelayMs]); ok {
		ec.maxDelay = max(msDuration(v), 0)
	}
	if strings.TrimSpace(cfg[connconfig.ErrorsTolerance]) == "all" {
		ec.tolerance = ToleranceAll
	}
	ec.logEnable = parseBool(cfg[connconfig.ErrorsLogEnable])
	ec.logIncludeMessages = parseBool(cfg[connconfig.ErrorsLogIncludeMessages])
	if sink {
		ec.dlqTopic = strings.TrimSpace(cfg[connconfig.DLQTopicName])
		if v, ok := parseLong(cfg[connconfig.DLQTopicReplicationFactor]); ok && v >= -1 && v <= 32767 {
			ec.dlqReplication = int16(v)
		}
		ec.dlqContextHeaders = parseBool(cfg[connconfig.DLQContextHeadersEnable])
	}
	return ec
}

func parseLong(s string) (int64, bool) {
	v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return v, err == nil
}

func parseBool(s string) bool { return strings.EqualFold(strings.TrimSpace(s), "true") }

// msDuration converts milliseconds, negative values to -1 (forever) and
// values beyond time.Duration's range to its maximum.
func msDuration(ms int64) time.Duration {
	const maxMs = int64(1<<63-1) / int64(time.Millisecond)
	switch {
	case ms < 0:
		return -1
	case ms > maxMs:
		return time.Duration(1<<63 - 1)
	}
	return time.Duration(ms) * time.Millisecond
}

// newOperator builds a task's operator and its log reporter; the DLQ
// reporter of a sink is added when its task starts.
func newOperator(ec errorsConfig, id TaskID, log zerolog.Logger) *Operator {
	op := NewOperator(ec.retryTimeout, ec.maxDelay, ec.tolerance)
	if ec.logEnable {
		op.SetReporters(&logReporter{id: id, log: log, includeMessages: ec.logIncludeMessages, op: op})
	}
	return op
}

// logReporter logs failed records at ERROR (LogReporter).
type logReporter struct {
	id              TaskID
	log             zerolog.Logger
	includeMessages bool
	op              *Operator
}

func (r *logReporter) Report(pc *ProcessingContext) {
	if !pc.Failed() {
		return
	}
	r.log.Error().Err(pc.Err).Str("stage", pc.Stage.String()).Msg(r.message(pc))
	r.op.countLogged()
}

// message is "Error encountered in task <id>. Executing stage ...".
func (r *logReporter) message(pc *ProcessingContext) string {
	return "Error encountered in task " + r.id.String() + ". " + pc.Describe(r.includeMessages)
}

func (r *logReporter) Close() error { return nil }
