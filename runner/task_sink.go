package runner

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/converters"
	"github.com/connect-go/connect-standalone/runner/kafka"
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
	consumer *kafka.Consumer

	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
	paused atomic.Bool

	activeTopics topicCache // owned by the task goroutine

	delivered map[connectors.TopicPartition]int64 // next offset to read, per partition
	committed map[connectors.TopicPartition]int64
}

func (r *sinkTaskRunner) taskID() TaskID          { return r.id }
func (r *sinkTaskRunner) Logger() *zerolog.Logger { return &r.log }
func (r *sinkTaskRunner) stop()                   { r.cancel() }
func (r *sinkTaskRunner) setPaused(p bool)        { r.paused.Store(p) }

func (r *sinkTaskRunner) wait(ctx context.Context) error {
	select {
	case <-r.done:
		return nil
	case <-ctx.Done():
		r.consumer.Close(ctx)
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
	if err := r.task.Start(r.ctx, r, r.props); err != nil {
		return fmt.Errorf("task %s failed to start: %w", r.id, err)
	}
	r.w.status.putTask(r.id, StateRunning, nil)
	r.log.Info().Msg("sink task started")

	interval := r.w.opts.Config.OffsetFlushInterval
	nextCommit := time.Now().Add(interval)
	for r.ctx.Err() == nil {
		if r.paused.Load() {
			sleepCtx(r.ctx, 100*time.Millisecond)
			continue
		}
		wait := max(time.Until(nextCommit), 0)
		msgs, err := r.consumer.Poll(r.ctx, min(wait, time.Second))
		if err != nil {
			if r.ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("task %s failed while polling Kafka: %w", r.id, err)
		}
		if len(msgs) > 0 {
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

// deliver converts and transforms a batch and puts it, redelivering the same
// batch after a backoff while the task reports a retriable error.
func (r *sinkTaskRunner) deliver(msgs []*kafka.ConsumedMessage) error {
	records := make([]*connectors.Record, 0, len(msgs))
	for _, m := range msgs {
		r.activeTopics.record(r.w.topics, r.id.Connector, m.Topic)
		rec, err := r.convert(m)
		if err != nil {
			return err
		}
		out, err := r.chain.Apply(rec)
		if err != nil {
			return toleranceExceeded(r.id, "TRANSFORMATION", err)
		}
		if out != nil {
			records = append(records, out)
		}
	}
	backoff := 100 * time.Millisecond
	for {
		err := r.task.Put(r.ctx, records)
		if err == nil {
			break
		}
		if !errors.Is(err, connectors.ErrRetriable) {
			return fmt.Errorf("task %s threw an uncaught and unrecoverable exception during put: %w", r.id, err)
		}
		r.log.Warn().Err(err).Dur("backoff", backoff).Msg("put failed with a retriable error; redelivering the batch")
		sleepCtx(r.ctx, backoff)
		if r.ctx.Err() != nil {
			return nil
		}
		backoff = min(2*backoff, 10*time.Second)
	}
	// Records dropped by transforms count as consumed.
	for _, m := range msgs {
		r.delivered[connectors.TopicPartition{Topic: m.Topic, Partition: m.Partition}] = m.Offset + 1
	}
	return nil
}

func (r *sinkTaskRunner) convert(m *kafka.ConsumedMessage) (*connectors.Record, error) {
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
	var err error
	if rec.KeySchema, rec.Key, err = r.keyConv.ToConnectData(m.Topic, m.Key); err != nil {
		return nil, toleranceExceeded(r.id, "KEY_CONVERTER", err)
	}
	if rec.ValueSchema, rec.Value, err = r.valConv.ToConnectData(m.Topic, m.Value); err != nil {
		return nil, toleranceExceeded(r.id, "VALUE_CONVERTER", err)
	}
	if len(m.Headers) > 0 {
		rec.Headers = make([]connectors.Header, len(m.Headers))
		for i, h := range m.Headers {
			s, v, err := r.hdrConv.ToConnectHeader(m.Topic, h.Key, h.Value)
			if err != nil {
				return nil, toleranceExceeded(r.id, "HEADER_CONVERTER", err)
			}
			rec.Headers[i] = connectors.Header{Key: h.Key, Schema: s, Value: v}
		}
	}
	return rec, nil
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
	if err := r.task.Flush(ctx, offs); err != nil {
		r.log.Error().Err(err).Msg("sink task flush failed; offsets not committed")
		return
	}
	if err := r.consumer.Commit(ctx, toKafkaOffsets(offs)); err != nil {
		r.log.Warn().Err(err).Msg("offset commit failed; will retry at the next interval")
		return
	}
	for tp, off := range offs {
		r.committed[tp] = off
	}
}

// Assigned is called on the task goroutine (inside Poll) after a rebalance.
func (r *sinkTaskRunner) Assigned(parts []kafka.TopicPartition) {
	r.log.Info().Int("partitions", len(parts)).Msg("partitions assigned")
}

// Revoked commits what was delivered before the partitions move elsewhere,
// as WorkerSinkTask does on revocation; it runs on the task goroutine.
func (r *sinkTaskRunner) Revoked(parts []kafka.TopicPartition) {
	ctx, cancel := context.WithTimeout(context.Background(), r.w.opts.Config.OffsetFlushTimeout)
	defer cancel()
	r.commit(ctx)
	for _, p := range parts {
		tp := connectors.TopicPartition{Topic: p.Topic, Partition: p.Partition}
		delete(r.delivered, tp)
		delete(r.committed, tp)
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
	if err := r.consumer.Close(ctx); err != nil {
		r.log.Warn().Err(err).Msg("error closing consumer")
	}
	cancel()
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
