package kafka

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/IBM/sarama"
)

// ErrDeliveryTimeout is wrapped by the callback error of records that were
// not acknowledged within delivery.timeout.ms of their Send (Java's
// TimeoutException "Expiring N record(s)").
var ErrDeliveryTimeout = errors.New("kafka: delivery.timeout.ms passed before the record was acknowledged")

// errStopping ends a patient retry loop when the producer stops.
var errStopping = errors.New("kafka: producer stopping")

// sender drains the ready batches of the partitions one broker leads.
type sender struct {
	id      int32
	wake    chan struct{} // buffered: a wake-up is never lost nor blocks
	start   int           // rotates the scan so every partition gets its turn first
	drained []*batch      // reused between requests
}

func (s *sender) nudge() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// startSenderLocked starts the goroutine of broker id, unless the producer
// is stopping.
func (p *Producer) startSenderLocked(id int32) {
	if p.senders[id] != nil || p.stopping {
		return
	}
	s := &sender{id: id, wake: make(chan struct{}, 1)}
	p.senders[id] = s
	p.wg.Go(func() { p.runSender(s) })
}

// runSender is one broker's sender: drain, send one request, wait for its
// response, repeat. One request at a time keeps the batches of a partition
// in order without sequence bookkeeping across requests (Connect's
// max.in.flight.requests.per.connection=1; larger values are honoured as 1,
// see docs/compatibility.md). The callbacks of a request run once the next
// request is on its way (or nothing is ready), so that the broker works
// while they run; they still run in order, on this goroutine.
func (p *Producer) runSender(s *sender) {
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	var done []completion // the previous request's, not run yet
	for {
		p.mu.Lock()
		batches, wait := p.drainLocked(s, time.Now())
		p.mu.Unlock()
		if len(batches) > 0 {
			req := p.send(s, batches)
			p.complete(done)
			done = p.await(req)
			clear(batches)
			s.drained = batches[:0]
			continue
		}
		s.drained = batches
		p.complete(done)
		done = nil
		if wait > 0 {
			timer.Reset(wait)
		}
		select {
		case <-s.wake:
		case <-timer.C:
		case <-p.stop:
			timer.Stop()
			return
		}
		timer.Stop()
	}
}

type produceResult struct {
	resp *sarama.ProduceResponse
	err  error
}

// request is one ProduceRequest on its way.
type request struct {
	batches []*batch
	broker  *sarama.Broker
	ch      chan produceResult // nil: no response is coming (err, or acks=0)
	err     error              // the request could not be sent
}

// send writes batches to broker s.id as one ProduceRequest; the response
// is awaited by await.
func (p *Producer) send(s *sender, batches []*batch) *request {
	r := &request{batches: batches}
	p.mu.Lock()
	r.err = p.fatal
	p.mu.Unlock()
	if r.err != nil {
		return r
	}
	req := &sarama.ProduceRequest{
		RequiredAcks: p.cfg.acks,
		Timeout:      int32(min(p.cfg.requestTimeout.Milliseconds(), math.MaxInt32)),
		Version:      p.version,
	}
	for _, b := range batches {
		b.rb.LastOffsetDelta = int32(len(b.recs) - 1)
		b.rb.MaxTimestamp = time.UnixMilli(b.maxMs)
		b.sent = true
		req.AddBatch(b.part.topic.name, b.part.id, &b.rb)
	}
	r.broker, r.err = p.client.Broker(s.id)
	if r.err != nil {
		return r
	}
	p.requestsSent.Add(1)
	p.batchesSent.Add(int64(len(batches)))
	if p.cfg.acks == sarama.NoResponse {
		// acks=0: no response; a record is done once written.
		r.err = r.broker.AsyncProduce(req, nil)
		return r
	}
	// AsyncProduce, not Produce: the broker's lock is held only while
	// writing, so a force-close can abandon the wait and drop the
	// connection.
	ch := make(chan produceResult, 1)
	if r.err = r.broker.AsyncProduce(req, func(res *sarama.ProduceResponse, e error) { ch <- produceResult{res, e} }); r.err == nil {
		r.ch = ch
	}
	return r
}

// await waits for r's response and settles its batches; it returns the
// completions to run.
func (p *Producer) await(r *request) []completion {
	var resp *sarama.ProduceResponse
	err := r.err
	if r.ch != nil {
		select {
		case res := <-r.ch:
			resp, err = res.resp, res.err
			if resp == nil && err == nil {
				err = sarama.ErrIncompleteResponse
			}
		case <-p.abort:
			return p.handle(r.batches, nil, errForceClosed)
		}
	}
	var kerr sarama.KError
	if err != nil && r.broker != nil && !errors.As(err, &kerr) {
		// a broken connection: reconnect for the next request (as sarama's
		// producer abandons the broker connection)
		_ = r.broker.Close()
	}
	return p.handle(r.batches, resp, err)
}

// completion is a batch's outcome, its callbacks not run yet.
type completion struct {
	b       *batch
	err     error
	recycle bool
}

func (p *Producer) complete(cs []completion) {
	for _, c := range cs {
		p.completeBatch(c.b, c.err, c.recycle)
	}
}

// handle settles each batch of one request according to reqErr or its
// partition's response: re-queued (retry, split) or returned as a
// completion, whose callbacks the caller runs outside the lock, in order.
func (p *Producer) handle(batches []*batch, resp *sarama.ProduceResponse, reqErr error) []completion {
	now := time.Now()
	var done []completion
	var retried error
	p.mu.Lock()
	for _, b := range batches {
		ps := b.part
		ps.inFlight = false
		err := reqErr
		if err == nil && resp != nil {
			blk := resp.GetBlock(ps.topic.name, ps.id)
			switch {
			case blk == nil:
				err = sarama.ErrIncompleteResponse
			case blk.Err == sarama.ErrNoError:
			case blk.Err == sarama.ErrDuplicateSequenceNumber && p.cfg.idempotent:
				// the broker has it already (a retry of a written batch)
			default:
				err = blk.Err
			}
		}
		switch {
		case err == nil:
			done = append(done, completion{b, nil, true})
		case p.aborted || errors.Is(err, ErrClosed):
			done = append(done, completion{b, errForceClosed, false})
		case errors.Is(err, sarama.ErrMessageSizeTooLarge) && len(b.recs) > 1:
			// Java splits the batch and retries the halves; their sequences
			// are assigned afresh, so give back this batch's range.
			p.rollbackSequenceLocked(b)
			// The halves point into b's slab: b is left to the garbage
			// collector rather than recycled.
			p.requeueLocked(ps, p.split(b)...)
		case p.cfg.idempotent && (errors.Is(err, sarama.ErrOutOfOrderSequenceNumber) || errors.Is(err, sarama.ErrUnknownProducerID)) &&
			now.Sub(b.created) < p.cfg.deliveryTimeout && int64(b.attempts) < p.cfg.retries:
			// The broker lost or disagrees about our sequence state: take a
			// new producer id and restart every partition's sequences, then
			// resend. A batch the broker had written under the old id is
			// then written again: duplicates are possible here, as with
			// sarama's producer (Java bumps the epoch instead, KIP-360).
			p.log.Warn().Err(err).Str("topic", ps.topic.name).Int32("partition", ps.id).
				Msg("Kafka producer sequence error: resetting the producer id; records may be duplicated")
			p.resetPIDLocked()
			b.attempts++
			b.retryAt = now.Add(p.backoff(b.attempts))
			p.requeueLocked(ps, b)
		case IsRetriable(err) && now.Sub(b.created) < p.cfg.deliveryTimeout && int64(b.attempts) < p.cfg.retries:
			b.attempts++
			b.retryAt = now.Add(p.backoff(b.attempts))
			p.requeueLocked(ps, b)
			p.metaRefresh = true
			retried = err
		case IsRetriable(err) && now.Sub(b.created) >= p.cfg.deliveryTimeout:
			p.unresolvedLocked(b)
			done = append(done, completion{b, p.expiredErr(b, now, err), true})
		default:
			if IsRetriable(err) {
				p.unresolvedLocked(b) // retries used up: it may have been written
			} else {
				p.rollbackSequenceLocked(b) // refused: not written
			}
			done = append(done, completion{b, fmt.Errorf("kafka: send to %s-%d failed: %w", ps.topic.name, ps.id, err), true})
		}
	}
	if retried != nil {
		p.kickMeta()
	}
	p.mu.Unlock()
	if retried != nil && p.warnDue() {
		p.log.Warn().Err(retried).Msg("Kafka producer got a retriable error; records stay queued and are retried")
	}
	return done
}

// completeBatch runs the callbacks of b's records in order.
func (p *Producer) completeBatch(b *batch, err error, reuse bool) {
	for _, pd := range b.recs {
		p.finish(pd, err)
	}
	if reuse {
		recycle(b)
	}
}

func (p *Producer) backoff(attempts int) time.Duration {
	return expBackoff(p.cfg.retryBackoff, p.cfg.retryBackoffMax)(attempts-1, 0)
}

// requeueLocked puts bs back at the head of ps's queue, in order.
func (p *Producer) requeueLocked(ps *partState, bs ...*batch) {
	ps.queue = append(ps.queue, bs...)
	copy(ps.queue[len(bs):], ps.queue[:len(ps.queue)-len(bs)])
	copy(ps.queue, bs)
}

// rollbackSequenceLocked gives back the sequence range of a batch the
// broker did not write, so the next batch of its partition takes it.
func (p *Producer) rollbackSequenceLocked(b *batch) {
	if !p.cfg.idempotent || b.seq < 0 || b.pidGen != p.pidGen {
		return
	}
	if b.part.nextSeq == incrementSequence(b.seq, int32(len(b.recs))) {
		b.part.nextSeq = b.seq
	}
	b.seq = -1
}

// unresolvedLocked handles an idempotent batch given up while its fate is
// unknown: later sequences cannot follow it, so the producer takes a new id.
func (p *Producer) unresolvedLocked(b *batch) {
	if p.cfg.idempotent && b.sent && b.seq >= 0 && b.pidGen == p.pidGen {
		p.resetPIDLocked()
	}
}

func (p *Producer) resetPIDLocked() {
	if p.pid < 0 {
		return
	}
	p.pid, p.epoch = -1, -1
	for _, ps := range p.parts {
		ps.nextSeq = 0
	}
	p.kickMeta()
}

func (p *Producer) expiredErr(b *batch, now time.Time, last error) error {
	ps := b.part
	if last != nil {
		return fmt.Errorf("kafka: expiring %d record(s) for %s-%d: %d ms has passed since batch creation (last error: %v): %w",
			len(b.recs), ps.topic.name, ps.id, now.Sub(b.created).Milliseconds(), last, ErrDeliveryTimeout)
	}
	return fmt.Errorf("kafka: expiring %d record(s) for %s-%d: %d ms has passed since batch creation: %w",
		len(b.recs), ps.topic.name, ps.id, now.Sub(b.created).Milliseconds(), ErrDeliveryTimeout)
}

// expire fails the queued batches older than delivery.timeout.ms (those in
// a request are judged when it answers).
func (p *Producer) expire(now time.Time) {
	var expired []*batch
	p.mu.Lock()
	for _, ps := range p.parts {
		k := 0
		for k < len(ps.queue) && now.Sub(ps.queue[k].created) >= p.cfg.deliveryTimeout {
			p.unresolvedLocked(ps.queue[k])
			k++
		}
		if k > 0 {
			expired = append(expired, ps.queue[:k]...)
			n := copy(ps.queue, ps.queue[k:])
			clear(ps.queue[n:])
			ps.queue = ps.queue[:n]
		}
	}
	p.mu.Unlock()
	for _, b := range expired {
		p.completeBatch(b, p.expiredErr(b, now, nil), true)
	}
}

// kickMeta wakes the metadata goroutine.
func (p *Producer) kickMeta() {
	select {
	case p.metaCh <- struct{}{}:
	default:
	}
}

// warnDue spaces warnings while the cluster misbehaves.
func (p *Producer) warnDue() bool {
	p.warnMu.Lock()
	defer p.warnMu.Unlock()
	if time.Since(p.lastWarn) < warnEvery {
		return false
	}
	p.lastWarn = time.Now()
	return true
}

// warnEvery spaces the warnings while the cluster stays unreachable.
const warnEvery = 10 * time.Second

// metaLoop is the metadata goroutine: it obtains the idempotent producer
// id, refreshes metadata after errors, keeps each partition's leader (and
// the senders) current, and expires queued batches.
func (p *Producer) metaLoop() {
	tickEvery := time.Second
	if d := p.cfg.deliveryTimeout / 4; d < tickEvery {
		tickEvery = max(d, 10*time.Millisecond)
	}
	tick := time.NewTicker(tickEvery)
	defer tick.Stop()
	var retry <-chan time.Time
	backoff := p.cfg.retryBackoff
	for {
		select {
		case <-p.metaCh:
		case <-tick.C:
		case <-retry:
		case <-p.stop:
			return
		}
		retry = nil
		p.expire(time.Now())
		p.mu.Lock()
		needPID := p.cfg.idempotent && p.pid < 0 && p.fatal == nil && !p.aborted
		refresh := p.metaRefresh
		p.metaRefresh = false
		topics := make([]string, 0, len(p.topics))
		for name := range p.topics {
			topics = append(topics, name)
		}
		p.mu.Unlock()
		if needPID {
			if err := p.initPID(); errors.Is(err, errStopping) {
				continue
			}
		}
		if refresh && len(topics) > 0 {
			err := p.patiently(topics, func() error { return p.client.RefreshMetadata(topics...) })
			if errors.Is(err, errStopping) {
				continue
			}
		}
		if p.updateLeaders() {
			p.mu.Lock()
			p.metaRefresh = true
			p.mu.Unlock()
			retry = time.After(backoff)
			backoff = min(2*backoff, p.cfg.retryBackoffMax)
		} else {
			backoff = p.cfg.retryBackoff
		}
	}
}

// patiently repeats op while it fails with a retriable error (the cluster
// is unreachable or electing leaders), warning at most every warnEvery, as
// Java's producer keeps records queued until delivery.timeout.ms. It
// returns op's last non-retriable error, or errStopping.
func (p *Producer) patiently(topics []string, op func() error) error {
	backoff := p.cfg.retryBackoff
	start := time.Now()
	for {
		err := op()
		if err == nil || !IsRetriable(err) || p.client.Closed() {
			return err
		}
		if p.warnDue() {
			p.log.Warn().Err(err).Strs("topics", topics).Dur("waiting", time.Since(start).Round(time.Millisecond)).
				Msg("Kafka producer cannot reach the cluster or a partition leader; records stay queued and are retried")
		}
		p.expire(time.Now())
		select {
		case <-time.After(backoff):
		case <-p.stop:
			return errStopping
		case <-p.abort:
			return errStopping
		}
		backoff = min(2*backoff, p.cfg.retryBackoffMax)
	}
}

// initPID obtains a producer id for idempotence (InitProducerId without a
// transactional id), retrying while the cluster is unreachable.
func (p *Producer) initPID() error {
	version := int16(0)
	switch v := p.client.Config().Version; {
	case v.IsAtLeast(sarama.V2_7_0_0):
		version = 4
	case v.IsAtLeast(sarama.V2_5_0_0):
		version = 3
	case v.IsAtLeast(sarama.V2_4_0_0):
		version = 2
	case v.IsAtLeast(sarama.V2_0_0_0):
		version = 1
	}
	err := p.patiently(nil, func() error {
		b := p.client.LeastLoadedBroker()
		if b == nil {
			return sarama.ErrOutOfBrokers
		}
		resp, err := b.InitProducerID(&sarama.InitProducerIDRequest{Version: version, ProducerID: -1, ProducerEpoch: -1})
		if err != nil {
			return err
		}
		if resp.Err != sarama.ErrNoError {
			return resp.Err
		}
		p.mu.Lock()
		p.pid, p.epoch = resp.ProducerID, resp.ProducerEpoch
		p.pidGen++
		for _, ps := range p.parts {
			ps.nextSeq = 0
		}
		p.wakeAllLocked()
		p.mu.Unlock()
		return nil
	})
	if err != nil && !errors.Is(err, errStopping) {
		p.mu.Lock()
		p.fatal = fmt.Errorf("kafka: idempotent producer: InitProducerId failed: %w", err)
		p.wakeAllLocked()
		p.mu.Unlock()
	}
	return err
}

// updateLeaders syncs partition counts and leaders from the client's
// metadata cache, starts senders for new leaders and wakes them; it reports
// whether some partition has no leader.
func (p *Producer) updateLeaders() (missing bool) {
	p.mu.Lock()
	topics := make([]*topicState, 0, len(p.topics))
	for _, t := range p.topics {
		topics = append(topics, t)
	}
	p.mu.Unlock()
	counts := make([]int32, len(topics))
	for i, t := range topics {
		if parts, err := p.client.Partitions(t.name); err == nil {
			counts[i] = int32(len(parts))
		}
	}
	p.mu.Lock()
	for i, t := range topics {
		p.growLocked(t, counts[i])
	}
	parts := append([]*partState(nil), p.parts...)
	p.mu.Unlock()

	leaders := make([]int32, len(parts))
	failed := map[string]bool{}
	for i, ps := range parts {
		leaders[i] = -1
		if failed[ps.topic.name] {
			missing = true
			continue
		}
		if b, err := p.client.Leader(ps.topic.name, ps.id); err == nil {
			leaders[i] = b.ID()
		} else {
			missing = true
			failed[ps.topic.name] = true // one metadata attempt per topic and round
		}
	}
	p.mu.Lock()
	for i, ps := range parts {
		ps.leader = leaders[i]
		if ps.leader >= 0 {
			p.startSenderLocked(ps.leader)
		}
	}
	p.wakeAllLocked()
	p.mu.Unlock()
	return missing
}
