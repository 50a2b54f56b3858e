package runner

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/data"
	"github.com/connect-go/connect-standalone/converters"
	"github.com/connect-go/connect-standalone/runner/kafka"
	"github.com/connect-go/connect-standalone/runner/metrics"
	"github.com/connect-go/connect-standalone/transforms"
)

// sinkTaskRunner drives one SinkTask: poll Kafka → convert → transform → put,
// committing consumer offsets of delivered records every
// offset.flush.interval.ms and at stop (WorkerSinkTask).
type sinkTaskRunner struct {
	w        *Worker
	id       TaskID
	log      zerolog.Logger
	task     connectors.SinkTask
	props    map[string]string
	keyConv  converters.Converter
	valConv  converters.Converter
	hdrConv  converters.HeaderConverter
	chain    transforms.Chain
	consumer *kafka.Consumer // nil until connected (dialled on the task goroutine)
	dial     func() (*kafka.Consumer, error)
	conMu    sync.Mutex // guards consumer against a concurrent hard stop
	op       *Operator
	classes  converterClasses
	newDLQ   func(context.Context) (*dlqReporter, error) // nil without a DLQ topic
	dlq      *dlqReporter                                // set once the task runs
	m        *metrics.Task                               // nil when metrics are disabled

	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
	paused atomic.Bool

	activeTopics topicCache // owned by the task goroutine

	delivered map[connectors.TopicPartition]int64 // next offset to read, per partition
	committed map[connectors.TopicPartition]int64

	// A batch put failed with a retriable error: it is redelivered after
	// a backoff, all partitions paused meanwhile (WorkerSinkTask).
	batch         []*connectors.Record
	batchOffsets  map[connectors.TopicPartition]int64
	redelivering  bool
	redeliverAt   time.Time
	redeliverWait time.Duration
}

func (r *sinkTaskRunner) taskID() TaskID          { return r.id }
func (r *sinkTaskRunner) Logger() *zerolog.Logger { return &r.log }
func (r *sinkTaskRunner) stop() {
	r.op.Stop()
	r.cancel()
}

func (r *sinkTaskRunner) currentConsumer() *kafka.Consumer {
	r.conMu.Lock()
	defer r.conMu.Unlock()
	return r.consumer
}
func (r *sinkTaskRunner) setPaused(p bool) { r.paused.Store(p) }

func (r *sinkTaskRunner) wait(ctx context.Context) error {
	select {
	case <-r.done:
		return nil
	case <-ctx.Done():
		r.op.Stop()
		if c := r.currentConsumer(); c != nil {
			c.Close(ctx)
		}
		<-r.done
		return ctx.Err()
	}
}

func (r *sinkTaskRunner) run() {
	defer close(r.done)
	err := r.execute()
	r.shutdown(err)
}

func (r *sinkTaskRunner) execute() error {
	r.m = r.w.opts.Metrics.SinkTask(r.id.Connector, r.id.Task)
	r.op.setMetrics(r.m)
	if r.newDLQ != nil {
		dlq, err := r.newDLQ(r.ctx)
		if err != nil {
			if r.ctx.Err() != nil {
				return nil
			}
			return err
		}
		r.dlq = dlq
		r.op.addReporter(dlq)
	}
	if err := r.task.Start(r.ctx, r, r.props); err != nil {
		return fmt.Errorf("task %s failed to start: %w", r.id, err)
	}
	r.w.status.putTask(r.id, StateRunning, nil)
	r.log.Info().Msg("sink task started")
	c, err := dialKafka(r.ctx, r.log, "consumer", r.dial)
	if err != nil {
		if r.ctx.Err() != nil {
			return nil
		}
		return &ConnectError{Msg: "Failed to create consumer for " + r.id.String(), Cause: err}
	}
	r.conMu.Lock()
	r.consumer = c
	r.conMu.Unlock()

	interval := r.w.opts.Config.OffsetFlushInterval
	nextCommit := time.Now().Add(interval)
	for r.ctx.Err() == nil {
		if r.paused.Load() {
			sleepCtx(r.ctx, 100*time.Millisecond)
			continue
		}
		if r.redelivering && !time.Now().Before(r.redeliverAt) {
			if err := r.put(); err != nil {
				if r.ctx.Err() != nil {
					return nil
				}
				return err
			}
		}
		wait := max(time.Until(nextCommit), 0)
		if r.redelivering {
			wait = min(wait, max(time.Until(r.redeliverAt), 0))
		}
		msgs, err := r.consumer.Poll(r.ctx, min(wait, time.Second))
		if err != nil {
			if r.ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("task %s failed while polling Kafka: %w", r.id, err)
		}
		if len(msgs) > 0 {
			r.m.SinkRead(len(msgs))
			if err := r.deliver(msgs); err != nil {
				if r.ctx.Err() != nil {
					return nil
				}
				return err
			}
		}
		if !time.Now().Before(nextCommit) {
			r.commit(r.ctx)
			nextCommit = time.Now().Add(interval)
		}
	}
	return nil
}

// deliver converts and transforms a batch under the error handler, then
// puts it. Records skipped after tolerated errors, and those dropped by
// transforms, count as consumed: their offsets are committed.
func (r *sinkTaskRunner) deliver(msgs []*kafka.ConsumedMessage) error {
	records := make([]*connectors.Record, 0, len(msgs))
	offs := make(map[connectors.TopicPartition]int64, 1)
	if r.redelivering {
		// Every partition is paused meanwhile, so these can only come from
		// a partition that was not: they join the batch awaiting
		// redelivery, after it.
		records, offs = r.batch, r.batchOffsets
	}
	for _, m := range msgs {
		r.activeTopics.record(r.w.topics, r.id.Connector, m.Topic)
		rec, err := r.convertAndTransform(m)
		if err != nil {
			return err
		}
		offs[connectors.TopicPartition{Topic: m.Topic, Partition: m.Partition}] = m.Offset + 1
		if rec != nil {
			records = append(records, rec)
		}
	}
	r.batch, r.batchOffsets = records, offs
	if r.redelivering {
		return nil
	}
	return r.put()
}

// put hands the pending batch to the task. A retriable error schedules a
// redelivery of the same batch with every partition paused; any other error
// fails the task.
func (r *sinkTaskRunner) put() error {
	putStart := time.Now()
	err := r.task.Put(r.ctx, r.batch)
	if err == nil {
		r.m.SinkPut(len(r.batch), time.Since(putStart))
		for tp, off := range r.batchOffsets {
			r.delivered[tp] = off
		}
		r.m.SinkActive(r.activeRecords())
		r.batch, r.batchOffsets = nil, nil
		if r.redelivering {
			r.redelivering = false
			r.redeliverWait = 0
			r.consumer.Resume()
		}
		return nil
	}
	if !errors.Is(err, connectors.ErrRetriable) {
		r.log.Error().Err(err).Msg("Task threw an uncaught and unrecoverable exception. Task is being killed and will not recover until manually restarted.")
		return &ConnectError{Msg: "Exiting WorkerSinkTask due to unrecoverable exception.", Cause: err}
	}
	if r.redeliverWait == 0 {
		r.redeliverWait = 100 * time.Millisecond
	} else {
		r.redeliverWait = min(2*r.redeliverWait, 10*time.Second)
	}
	r.log.Error().Err(err).Dur("backoff", r.redeliverWait).Msg("RetriableException from SinkTask; the batch will be redelivered")
	if !r.redelivering {
		r.redelivering = true
		r.consumer.Pause()
	}
	r.redeliverAt = time.Now().Add(r.redeliverWait)
	return nil
}

// convertAndTransform runs key, value and header conversion and then the
// transformation chain for one record, in Kafka's order; nil without error
// means the record is skipped or dropped.
func (r *sinkTaskRunner) convertAndTransform(m *kafka.ConsumedMessage) (*connectors.Record, error) {
	pc := &ProcessingContext{Consumed: m}
	rec := &connectors.Record{
		Topic:         m.Topic,
		Partition:     m.Partition,
		Sink:          true,
		KafkaOffset:   m.Offset,
		TimestampType: timestampType(m.TimestampType),
	}
	if !m.Timestamp.IsZero() {
		rec.Timestamp, rec.HasTimestamp = m.Timestamp.UnixMilli(), true
	}
	type schemaAndValue struct {
		schema *data.Schema
		value  any
	}
	sv, err := Execute(r.op, pc, StageKeyConverter, r.classes.key, func() (schemaAndValue, error) {
		s, v, err := r.keyConv.ToConnectData(m.Topic, m.Key)
		return schemaAndValue{s, v}, err
	})
	if err != nil {
		return nil, err
	}
	rec.KeySchema, rec.Key = sv.schema, sv.value
	sv, err = Execute(r.op, pc, StageValueConverter, r.classes.value, func() (schemaAndValue, error) {
		s, v, err := r.valConv.ToConnectData(m.Topic, m.Value)
		return schemaAndValue{s, v}, err
	})
	if err != nil {
		return nil, err
	}
	rec.ValueSchema, rec.Value = sv.schema, sv.value
	if len(m.Headers) > 0 {
		rec.Headers, err = Execute(r.op, pc, StageHeaderConverter, r.classes.header, func() ([]connectors.Header, error) {
			hs := make([]connectors.Header, len(m.Headers))
			for i, h := range m.Headers {
				s, v, err := r.hdrConv.ToConnectHeader(m.Topic, h.Key, h.Value)
				if err != nil {
					return nil, err
				}
				hs[i] = connectors.Header{Key: h.Key, Schema: s, Value: v}
			}
			return hs, nil
		})
		if err != nil {
			return nil, err
		}
	}
	if pc.Failed() {
		return nil, nil
	}
	return applyChain(r.op, pc, r.chain, rec)
}

// commit flushes the task and commits what it has made durable.
func (r *sinkTaskRunner) commit(ctx context.Context) {
	if len(r.delivered) == 0 {
		return
	}
	changed := false
	for tp, off := range r.delivered {
		if r.committed[tp] != off {
			changed = true
			break
		}
	}
	if !changed {
		return
	}
	offs := make(map[connectors.TopicPartition]int64, len(r.delivered))
	for tp, off := range r.delivered {
		offs[tp] = off
	}
	ok, start := false, time.Now()
	defer r.commitMetrics(start, &ok)
	if err := r.task.Flush(ctx, offs); err != nil {
		r.log.Error().Err(err).Msg("sink task flush failed; offsets not committed")
		return
	}
	if r.dlq != nil {
		// Records reported to the DLQ must be there before their offsets
		// are committed.
		if err := r.dlq.flush(ctx); err != nil {
			r.log.Warn().Err(err).Msg("dead letter queue records not yet acknowledged; offsets not committed")
			return
		}
	}
	c := r.currentConsumer()
	if c == nil {
		return
	}
	if err := c.Commit(ctx, toKafkaOffsets(offs)); err != nil {
		r.log.Warn().Err(err).Msg("offset commit failed; will retry at the next interval")
		return
	}
	for tp, off := range offs {
		r.committed[tp] = off
	}
	ok = true
}

// Assigned is called on the task goroutine (inside Poll) after a rebalance.
func (r *sinkTaskRunner) Assigned(parts []kafka.TopicPartition) {
	r.log.Info().Int("partitions", len(parts)).Msg("partitions assigned")
	if r.redelivering {
		r.consumer.Pause(parts...)
	}
	r.m.SinkPartitions(len(parts))
}

// Revoked commits what was delivered before the partitions move elsewhere,
// as WorkerSinkTask does on revocation; it runs on the task goroutine.
func (r *sinkTaskRunner) Revoked(parts []kafka.TopicPartition) {
	r.m.SinkPartitions(-len(parts))
	ctx, cancel := context.WithTimeout(context.Background(), r.w.opts.Config.OffsetFlushTimeout)
	defer cancel()
	r.commit(ctx)
	for _, p := range parts {
		tp := connectors.TopicPartition{Topic: p.Topic, Partition: p.Partition}
		delete(r.delivered, tp)
		delete(r.committed, tp)
	}
	if r.batch != nil {
		// The batch awaiting redelivery: its records of revoked partitions
		// go to their new owner.
		revoked := map[connectors.TopicPartition]bool{}
		for _, p := range parts {
			revoked[connectors.TopicPartition{Topic: p.Topic, Partition: p.Partition}] = true
		}
		r.batch = slices.DeleteFunc(r.batch, func(rec *connectors.Record) bool {
			return revoked[connectors.TopicPartition{Topic: rec.Topic, Partition: rec.Partition}]
		})
		maps.DeleteFunc(r.batchOffsets, func(tp connectors.TopicPartition, _ int64) bool { return revoked[tp] })
	}
}

func toKafkaOffsets(in map[connectors.TopicPartition]int64) map[kafka.TopicPartition]int64 {
	out := make(map[kafka.TopicPartition]int64, len(in))
	for tp, off := range in {
		out[kafka.TopicPartition{Topic: tp.Topic, Partition: tp.Partition}] = off
	}
	return out
}

func (r *sinkTaskRunner) shutdown(runErr error) {
	r.cancel()
	if runErr != nil {
		r.log.Error().Err(runErr).Msg("sink task failed")
	}
	ctx, cancel := context.WithTimeout(context.Background(), r.w.opts.Config.OffsetFlushTimeout)
	r.commit(ctx) // flushes first: only what the task made durable is committed
	if err := r.task.Stop(); err != nil {
		r.log.Warn().Err(err).Msg("error stopping sink task")
	}
	if c := r.currentConsumer(); c != nil {
		if err := c.Close(ctx); err != nil {
			r.log.Warn().Err(err).Msg("error closing consumer")
		}
	}
	cancel()
	if err := r.op.Close(); err != nil { // flushes and closes the DLQ producer
		r.log.Warn().Err(err).Msg("error closing error reporters")
	}
	r.chain.Close()
	if runErr != nil {
		r.w.status.putTask(r.id, StateFailed, runErr)
	} else {
		r.log.Info().Msg("sink task stopped")
	}
}

func timestampType(t kafka.TimestampType) connectors.TimestampType {
	switch t {
	case kafka.CreateTime:
		return connectors.CreateTime
	case kafka.LogAppendTime:
		return connectors.LogAppendTime
	}
	return connectors.NoTimestampType
}
