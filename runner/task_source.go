package runner

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/converters"
	"github.com/connect-go/connect-standalone/offsets"
	"github.com/connect-go/connect-standalone/runner/kafka"
	"github.com/connect-go/connect-standalone/runner/metrics"
	"github.com/connect-go/connect-standalone/transforms"
)

// sourceTaskRunner drives one SourceTask: poll → transform → convert → send,
// acknowledging records as the producer confirms them and committing the
// offsets of the acknowledged prefix of each source partition
// (AbstractWorkerSourceTask + WorkerSourceTask + SubmittedRecords).
type sourceTaskRunner struct {
	w         *Worker
	id        TaskID
	connector string
	log       zerolog.Logger
	task      connectors.SourceTask
	props     map[string]string
	keyConv   converters.Converter
	valConv   converters.Converter
	hdrConv   converters.HeaderConverter
	chain     transforms.Chain
	producer  *kafka.Producer // nil until connected (dialled on the task goroutine)
	dial      func() (*kafka.Producer, error)
	op        *Operator
	classes   converterClasses
	topics    *topicCreator // nil unless topic.creation is active
	tracker   *offsets.Tracker
	store     *offsets.FileStore
	m         *metrics.Task // nil when metrics are disabled

	ctx    context.Context // cancelled to stop polling (soft stop)
	cancel context.CancelFunc
	done   chan struct{}

	paused        atomic.Bool
	resume        chan struct{}
	sendFailed    atomic.Pointer[error] // first asynchronous producer failure
	acks          atomic.Int64          // producer acknowledgements so far
	lastAcks      int64                 // under commitMu: acks when last looked at
	lastAck       time.Time             // under commitMu: when acks was last seen to move
	producerMu    sync.Mutex            // guards producer against a concurrent hard stop
	lastStallWarn time.Time             // commit goroutine only

	activeTopics topicCache        // owned by the task goroutine
	msg          kafka.Message     // owned by the task goroutine: convert's result
	pc           ProcessingContext // owned by the task goroutine: send's, unless tolerance=all

	commitMu  sync.Mutex
	unflushed map[string]connectors.PartitionOffset // committable but not yet durable
	submitted int                                   // records submitted since the last collect
}

// collectEvery bounds how many acknowledged records the tracker holds
// between offset flushes: their offsets are folded into one entry per source
// partition instead of being kept until the next flush interval.
const collectEvery = 4096

func (r *sourceTaskRunner) taskID() TaskID { return r.id }

func (r *sourceTaskRunner) Offset(partition map[string]any) (map[string]any, error) {
	return r.store.Get(r.connector, partition)
}

func (r *sourceTaskRunner) Logger() *zerolog.Logger { return &r.log }

func (r *sourceTaskRunner) stop() {
	r.op.Stop()
	r.cancel()
}

func (r *sourceTaskRunner) currentProducer() *kafka.Producer {
	r.producerMu.Lock()
	defer r.producerMu.Unlock()
	return r.producer
}

func (r *sourceTaskRunner) setPaused(p bool) {
	if r.paused.Swap(p) && !p {
		select {
		case r.resume <- struct{}{}:
		default:
		}
	}
}

func (r *sourceTaskRunner) wait(ctx context.Context) error {
	select {
	case <-r.done:
		return nil
	case <-ctx.Done():
		// Hard stop: abandon in-flight sends; no final commit beyond what
		// the loop manages before the producer is closed under it.
		r.op.Stop()
		if p := r.currentProducer(); p != nil {
			p.Close(ctx)
		}
		<-r.done
		return ctx.Err()
	}
}

// run is the task goroutine; its owner is the connector runtime, which stops
// it with stop() and waits with wait().
func (r *sourceTaskRunner) run() {
	defer close(r.done)
	err := r.execute()
	r.shutdown(err)
}

func (r *sourceTaskRunner) execute() error {
	r.m = r.w.opts.Metrics.SourceTask(r.connector, r.id.Task, r.tracker.Outstanding)
	r.op.setMetrics(r.m)
	if err := r.task.Start(r.ctx, r, r.props); err != nil {
		return fmt.Errorf("task %s failed to start: %w", r.id, err)
	}
	r.w.status.putTask(r.id, StateRunning, nil)
	r.log.Info().Msg("source task started")
	if err := r.connectProducer(); err != nil {
		if r.ctx.Err() != nil {
			return nil
		}
		return err
	}

	var wg sync.WaitGroup
	defer wg.Wait()
	defer r.cancel() // a failing task must stop the committer before waiting for it
	wg.Add(1)
	go func() { // periodic offset commits (SourceTaskOffsetCommitter)
		defer wg.Done()
		interval := r.w.opts.Config.OffsetFlushInterval
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-r.ctx.Done():
				return
			case <-tick.C:
				r.commitOffsets()
				r.warnIfStalled()
			}
		}
	}()

	for r.ctx.Err() == nil {
		if r.paused.Load() {
			select {
			case <-r.ctx.Done():
			case <-r.resume:
			case <-time.After(time.Second):
			}
			continue
		}
		if err := r.sendFailure(); err != nil {
			return err
		}
		pollStart := time.Now()
		recs, err := r.task.Poll(r.ctx)
		if err != nil {
			if r.ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("task %s threw an uncaught and unrecoverable exception during poll: %w", r.id, err)
		}
		if len(recs) > 0 {
			r.m.SourcePoll(len(recs), time.Since(pollStart))
		}
		for _, rec := range recs {
			if err := r.send(rec); err != nil {
				if r.ctx.Err() != nil {
					return nil
				}
				return err
			}
		}
	}
	return r.sendFailure()
}

func (r *sourceTaskRunner) sendFailure() error {
	if p := r.sendFailed.Load(); p != nil {
		return *p
	}
	return nil
}

// send transforms, converts and hands one record to the producer, each
// stage under the error handler (AbstractWorkerSourceTask.sendRecords).
func (r *sourceTaskRunner) send(rec *connectors.Record) error {
	// Only errors.tolerance=all keeps the context past this call (a failed
	// send's report); otherwise one per task is reused.
	pc := &r.pc
	if r.op.Tolerance() == ToleranceAll {
		pc = new(ProcessingContext)
	}
	*pc = ProcessingContext{Source: rec}
	out, err := applyChain(r.op, pc, r.chain, rec)
	if err != nil {
		return err
	}
	if out == nil {
		// Dropped by a transform or skipped after a tolerated error: never
		// submitted, so its offset is not committed on its own (Kafka's
		// behaviour, KAFKA-15296).
		return nil
	}
	msg, err := r.convert(pc, out)
	if err != nil || msg == nil {
		return err
	}
	if r.topics != nil {
		if err := r.topics.ensure(r.ctx, msg.Topic); err != nil {
			return err
		}
	}
	if r.submitted++; r.submitted >= collectEvery {
		r.submitted = 0
		r.commitMu.Lock()
		r.collectCommittable()
		r.commitMu.Unlock()
	}
	// The callback keeps only what a failure needs until the broker
	// answers: the processing context (and with it the record) only when a
	// failed send is reported rather than failing the task.
	topic, failPC := msg.Topic, pc
	if r.op.Tolerance() != ToleranceAll {
		failPC = nil
	}
	for {
		sub := r.tracker.Submit(rec.SourcePartition, rec.SourceOffset)
		err = r.producer.Send(r.ctx, msg, func(err error) {
			if err != nil {
				r.producerSendFailed(failPC, topic, err, sub)
				return
			}
			r.acks.Add(1) // no clock read per record: warnIfStalled notices progress
			sub.Ack()
			r.m.SourceWrite(1)
		})
		if err == nil {
			r.activeTopics.record(r.w.topics, r.connector, msg.Topic)
			return nil
		}
		if kafka.IsRecordTooLarge(err) {
			// Java's producer reports this through the callback.
			r.producerSendFailed(pc, msg.Topic, err, sub)
			return nil
		}
		sub.Drop()
		if r.ctx.Err() != nil || !kafka.IsRetriable(err) {
			return &ConnectError{Msg: "Unrecoverable exception trying to send", Cause: err}
		}
		r.log.Warn().Err(err).Str("topic", msg.Topic).Msg("Failed to send record, backing off 100 ms before retrying")
		sleepCtx(r.ctx, 100*time.Millisecond)
	}
}

// producerSendFailed handles a record the producer gave up on: with
// errors.tolerance=all it is reported (stage KAFKA_PRODUCE) and acknowledged
// so its offset commits; otherwise the task fails at its next iteration.
func (r *sourceTaskRunner) producerSendFailed(pc *ProcessingContext, topic string, err error, sub *offsets.Submitted) {
	if r.ctx.Err() != nil && errors.Is(err, kafka.ErrClosed) {
		r.log.Debug().Err(err).Str("topic", topic).Msg("producer closed before the record was acknowledged")
		return
	}
	if r.op.Tolerance() == ToleranceAll {
		r.log.Trace().Err(err).Str("topic", topic).Msg("Ignoring failed record send")
		_ = r.op.ExecuteFailed(pc, StageKafkaProduce, classWorkerSourceTask, err)
		sub.Ack()
		return
	}
	r.log.Error().Err(err).Str("topic", topic).Msgf("%s failed to send record to %s", r.id, topic)
	var fail error = &ConnectError{Msg: "Unrecoverable exception from producer send callback", Cause: err}
	r.sendFailed.CompareAndSwap(nil, &fail)
}

// convert runs the header, key and value converters, in Kafka's order; a
// nil message without error means the record was skipped.
func (r *sourceTaskRunner) convert(pc *ProcessingContext, rec *connectors.Record) (*kafka.Message, error) {
	// One Message is reused: the producer keeps none of it but the key,
	// value and header bytes, which are fresh per record.
	msg := &r.msg
	*msg = kafka.Message{Topic: rec.Topic, Partition: rec.Partition}
	var err error
	if len(rec.Headers) > 0 {
		msg.Headers, err = Execute(r.op, pc, StageHeaderConverter, r.classes.header, func() ([]kafka.Header, error) {
			hs := make([]kafka.Header, len(rec.Headers))
			for i, h := range rec.Headers {
				b, err := r.hdrConv.FromConnectHeader(rec.Topic, h.Key, h.Schema, h.Value)
				if err != nil {
					return nil, err
				}
				hs[i] = kafka.Header{Key: h.Key, Value: b}
			}
			return hs, nil
		})
		if err != nil {
			return nil, err
		}
	}
	msg.Key, err = Execute(r.op, pc, StageKeyConverter, r.classes.key, func() ([]byte, error) {
		return r.keyConv.FromConnectData(rec.Topic, rec.KeySchema, rec.Key)
	})
	if err != nil {
		return nil, err
	}
	msg.Value, err = Execute(r.op, pc, StageValueConverter, r.classes.value, func() ([]byte, error) {
		return r.valConv.FromConnectData(rec.Topic, rec.ValueSchema, rec.Value)
	})
	if err != nil || pc.Failed() {
		return nil, err
	}
	if rec.HasTimestamp {
		msg.Timestamp = time.UnixMilli(rec.Timestamp)
	}
	return msg, nil
}

// commitOffsets makes the offsets of acknowledged records durable, then calls
// SourceTask.Commit. A failed write keeps them for the next attempt.
func (r *sourceTaskRunner) commitOffsets() {
	r.commitMu.Lock()
	defer r.commitMu.Unlock()
	r.collectCommittable()
	if len(r.unflushed) > 0 {
		batch := make([]connectors.PartitionOffset, 0, len(r.unflushed))
		for _, po := range r.unflushed {
			batch = append(batch, po)
		}
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), r.w.opts.Config.OffsetFlushTimeout)
		err := r.store.Set(ctx, r.connector, batch)
		cancel()
		r.m.OffsetCommit(err == nil, time.Since(start))
		if err != nil {
			r.log.Error().Err(err).Msg("Flush of offsets threw an unexpected exception; will retry at the next interval")
			return
		}
		clear(r.unflushed)
	}
	if err := r.task.Commit(context.Background()); err != nil {
		r.log.Warn().Err(err).Msg("source task commit failed")
	}
}

// collectCommittable moves the offsets of the acknowledged prefix of each
// source partition from the tracker into unflushed. Caller holds commitMu.
func (r *sourceTaskRunner) collectCommittable() {
	ready, _ := r.tracker.Committable()
	for _, po := range ready {
		k, err := offsets.KeyBytes(r.connector, po.Partition)
		if err != nil {
			r.log.Error().Err(err).Msg("invalid source partition; offset not committed")
			continue
		}
		r.unflushed[string(k)] = po
	}
}

// shutdown waits for in-flight records (offset.flush.timeout.ms), commits
// their offsets once more, stops the task and closes the producer.
func (r *sourceTaskRunner) shutdown(runErr error) {
	r.cancel()
	if runErr != nil {
		r.log.Error().Err(runErr).Msg("source task failed")
	}
	flushCtx, cancel := context.WithTimeout(context.Background(), r.w.opts.Config.OffsetFlushTimeout)
	if err := r.tracker.AwaitAll(flushCtx); err != nil {
		r.log.Warn().Msg("timed out waiting for in-flight records; committing what was acknowledged")
	}
	cancel()
	r.commitOffsets()
	if err := r.task.Stop(); err != nil {
		r.log.Warn().Err(err).Msg("error stopping source task")
	}
	closeCtx, cancel := context.WithTimeout(context.Background(), r.w.opts.Config.OffsetFlushTimeout)
	if p := r.currentProducer(); p != nil {
		if err := p.Close(closeCtx); err != nil {
			r.log.Warn().Err(err).Msg("error closing producer")
		}
	}
	cancel()
	if err := r.op.Close(); err != nil {
		r.log.Warn().Err(err).Msg("error closing error reporters")
	}
	if r.topics != nil {
		r.topics.close()
	}
	r.chain.Close()
	if runErr != nil {
		r.w.status.putTask(r.id, StateFailed, runErr)
	} else {
		r.log.Info().Msg("source task stopped")
	}
}
