package runner

import (
	"errors"
	"time"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/runner/kafka"
	"github.com/connect-go/connect-standalone/runner/plugins"
	"github.com/connect-go/connect-standalone/transforms"
)

// converterClasses are the FQCNs of a task's converters, the executing
// classes error reports name.
type converterClasses struct{ key, value, header string }

// converterClassesFor resolves the converter classes as newConverter does.
func (w *Worker) converterClassesFor(connCfg map[string]string) converterClasses {
	resolve := func(kind plugins.Kind, key, def string) string {
		class, _ := w.converterConfig(connCfg, key)
		if class == "" {
			class = def
		}
		if p, ok := w.opts.Registry.Lookup(kind, class); ok {
			return p.Class
		}
		return class
	}
	return converterClasses{
		key:    resolve(plugins.KindConverter, "key.converter", ""),
		value:  resolve(plugins.KindConverter, "value.converter", ""),
		header: resolve(plugins.KindHeaderConverter, "header.converter", defaultHeaderConverter),
	}
}

// applyChain runs the transformation chain under the error handler; the
// executing class is the failing stage's transformation.
func applyChain(op *Operator, pc *ProcessingContext, chain transforms.Chain, rec *connectors.Record) (*connectors.Record, error) {
	if len(chain) == 0 || pc.Failed() {
		if pc.Failed() {
			return nil, nil
		}
		return rec, nil
	}
	return Execute(op, pc, StageTransformation, chain[0].Class, func() (*connectors.Record, error) {
		out, err := chain.Apply(rec)
		var se *transforms.StageError
		if errors.As(err, &se) {
			pc.Class = se.Class
		}
		return out, err
	})
}

// connectProducer dials the task's producer, retrying while Kafka is
// unreachable; the task stays RUNNING meanwhile.
func (r *sourceTaskRunner) connectProducer() error {
	if r.currentProducer() != nil {
		return nil
	}
	p, err := dialKafka(r.ctx, r.log, "producer", r.dial)
	if err != nil {
		var cfgErr *kafka.ConfigError
		if errors.As(err, &cfgErr) {
			return &ConnectError{Msg: "Failed to create producer for " + r.id.String(), Cause: err}
		}
		return err
	}
	r.producerMu.Lock()
	r.producer = p
	r.producerMu.Unlock()
	r.commitMu.Lock()
	r.lastAck = time.Now()
	r.commitMu.Unlock()
	return nil
}

// stallWarnAfter is how long records may wait for acknowledgement before
// the task warns that Kafka is not accepting them.
const stallWarnAfter = 10 * time.Second

// warnIfStalled warns, at most every stallWarnAfter, while records are in
// flight and none has been acknowledged for that long: the producer keeps
// retrying (broker down, leader unavailable) and the task keeps running.
func (r *sourceTaskRunner) warnIfStalled() {
	p := r.currentProducer()
	if p == nil {
		return
	}
	inFlight := r.tracker.Outstanding()
	r.commitMu.Lock()
	if n := r.acks.Load(); n != r.lastAcks || inFlight == 0 {
		r.lastAcks, r.lastAck = n, time.Now()
	}
	last := r.lastAck
	r.commitMu.Unlock()
	if inFlight == 0 || time.Since(last) < stallWarnAfter {
		return
	}
	if r.lastStallWarn.IsZero() || time.Since(r.lastStallWarn) >= stallWarnAfter {
		r.lastStallWarn = time.Now()
		r.log.Warn().Int("records_in_flight", inFlight).Dur("since_last_ack", time.Since(last).Round(time.Second)).
			Msg("Kafka has not acknowledged any record for a while; the producer keeps retrying and the task keeps running")
	}
}
