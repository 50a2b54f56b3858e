package kafka

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/IBM/sarama"
)

// batchOverhead is the size of a v2 record batch header
// (DefaultRecordBatch.RECORD_BATCH_OVERHEAD).
const batchOverhead = 61

// topicState is the accumulator's view of one topic.
type topicState struct {
	name  string
	parts []*partState // index = partition id
	// sticky partitioning (KIP-480): the partition null-key records go to,
	// and the batch they went into; once that batch is no longer the
	// partition's open batch (full or drained) the next record moves on.
	sticky      int32
	stickyBatch *batch
	rr          uint32 // RoundRobinPartitioner's counter
}

// partState is one partition: its queue of batches, oldest first; the last
// one is open for appends unless closed.
type partState struct {
	topic    *topicState
	id       int32
	leader   int32 // broker id; -1 while unknown
	queue    []*batch
	inFlight bool  // a batch of this partition is in a request: ordering allows one
	nextSeq  int32 // idempotence: the next batch's base sequence
}

func (ps *partState) openBatch() *batch {
	if n := len(ps.queue); n > 0 && !ps.queue[n-1].closed {
		return ps.queue[n-1]
	}
	return nil
}

// batch is one record batch of a partition. rb is what the request encodes;
// recs holds the same records with their callbacks, in order.
type batch struct {
	part    *partState
	rb      sarama.RecordBatch
	recs    []*pending
	slab    []pending // where recs live (the last chunk; reused with the batch)
	bytes   int       // estimated encoded size (uncompressed), header included
	firstMs int64
	maxMs   int64
	created time.Time // first Send: linger.ms and delivery.timeout.ms count from here
	closed  bool      // no more appends (full, or drained)
	// retries
	attempts int
	retryAt  time.Time
	sent     bool // written to a broker at least once
	// idempotence: base sequence and the producer id generation it was
	// assigned under (-1: not assigned yet)
	seq    int32
	pidGen uint64
}

var batchPool = sync.Pool{New: func() any { return new(batch) }}

func (p *Producer) newBatch(ps *partState, firstMs int64, now time.Time) *batch {
	b := batchPool.Get().(*batch)
	b.part, b.bytes, b.firstMs, b.maxMs, b.created = ps, batchOverhead, firstMs, firstMs, now
	b.rb.Version = 2
	b.rb.Codec, b.rb.CompressionLevel = p.cfg.codec, p.cfg.compressionLevel
	b.rb.FirstTimestamp = time.UnixMilli(firstMs)
	b.rb.ProducerID, b.rb.ProducerEpoch, b.rb.FirstSequence = -1, -1, -1
	b.seq = -1
	return b
}

// recycle returns a completed batch to the pool. Only batches whose request
// is finished may be recycled (sarama no longer reads them).
func recycle(b *batch) {
	recs, records, slab := b.recs, b.rb.Records, b.slab
	clear(recs)
	clear(records)
	clear(slab) // drop the callbacks and payloads
	*b = batch{recs: recs[:0], slab: slab[:0]}
	b.rb.Records = records[:0] // the zero RecordBatch also drops sarama's cached compressed records
	batchPool.Put(b)
}

// slot copies src into b's slab and returns the copy.
func (b *batch) slot(src *pending) *pending {
	if len(b.slab) == cap(b.slab) {
		// A new chunk (the records already in the old one keep it alive).
		b.slab = make([]pending, 0, max(16, 2*cap(b.slab)))
	}
	b.slab = append(b.slab, *src)
	return &b.slab[len(b.slab)-1]
}

// append adds pd to b; size is its recordSize at the end of b.
func (b *batch) append(pd *pending, size int) {
	pd.rec.OffsetDelta = int64(len(b.recs))
	pd.rec.TimestampDelta = time.Duration(pd.tsMs-b.firstMs) * time.Millisecond
	b.recs = append(b.recs, pd)
	b.rb.Records = append(b.rb.Records, &pd.rec)
	b.bytes += size
	b.maxMs = max(b.maxMs, pd.tsMs)
}

// add places pd into the open batch of its partition. It may wait for the
// topic's metadata (outside the lock).
func (p *Producer) add(ctx context.Context, m *Message, pd *pending, now time.Time) error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return ErrClosed
	}
	t := p.topics[m.Topic]
	if t == nil {
		p.mu.Unlock()
		n, err := p.waitPartitions(ctx, m.Topic)
		if err != nil {
			return err
		}
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			return ErrClosed
		}
		if t = p.topics[m.Topic]; t == nil {
			t = &topicState{name: m.Topic, sticky: -1}
			p.topics[m.Topic] = t
			p.growLocked(t, n)
			p.kickMeta() // leaders, senders
		}
	}
	sticky := m.Partition < 0 && (p.cfg.partitioner == partitionIgnoreKeys || (p.cfg.partitioner == partitionDefault && m.Key == nil))
	var ps *partState
	var b *batch
	size := 0
	var timer <-chan time.Time
	for {
		part, err := p.partitionLocked(t, m)
		if err != nil {
			p.mu.Unlock()
			return err
		}
		ps = t.parts[part]
		if len(ps.queue) > maxQueuedBatches {
			// Enough is waiting for this partition: hold the record back
			// (see maxQueuedBatches) until the sender takes a batch.
			ch := p.spaceWaitLocked()
			p.mu.Unlock()
			if timer == nil && p.maxBlock < time.Duration(1<<62) {
				tm := time.NewTimer(p.maxBlock)
				defer tm.Stop()
				timer = tm.C
			}
			select {
			case <-ch:
			case <-ctx.Done():
				err = ctx.Err()
			case <-p.closing:
				err = ErrClosed
			case <-timer:
				err = ErrBufferTimeout
			}
			p.mu.Lock()
			p.spaceWaiters--
			if err == nil && p.closed {
				err = ErrClosed
			}
			if err != nil {
				p.mu.Unlock()
				return err
			}
			continue
		}
		if b = ps.openBatch(); b == nil {
			break
		}
		size = recordSize(&pd.rec, len(b.recs), pd.tsMs-b.firstMs)
		if b.bytes+size <= p.cfg.batchSize {
			break
		}
		b.closed = true // full: ready; the record opens the next batch
		p.wakeLocked(ps)
		b = nil
		if !sticky {
			break
		}
		// KIP-480: a full batch moves the sticky partition on; choose again.
	}
	fresh := b == nil
	if fresh {
		if now.IsZero() {
			now = time.Now()
		}
		b = p.newBatch(ps, pd.tsMs, now)
		size = recordSize(&pd.rec, 0, 0)
		ps.queue = append(ps.queue, b)
	}
	b.append(b.slot(pd), size)
	if sticky {
		t.stickyBatch = b
	}
	if b.bytes >= p.cfg.batchSize {
		b.closed = true
	}
	p.pendingRecords.Add(1)
	// The sender needs to know about a batch that is ready or whose linger
	// deadline starts now; appending to a lingering batch changes neither.
	if fresh || b.closed {
		p.wakeLocked(ps)
	}
	p.mu.Unlock()
	return nil
}

// waitPartitions returns the partition count of topic, waiting while the
// cluster is unreachable or the topic has no metadata yet, as Java's send
// waits for metadata up to max.block.ms.
func (p *Producer) waitPartitions(ctx context.Context, topic string) (int32, error) {
	backoff := p.cfg.retryBackoff
	var deadline <-chan time.Time
	for {
		parts, err := p.client.Partitions(topic)
		if err == nil && len(parts) > 0 {
			return int32(len(parts)), nil
		}
		if err == nil {
			err = sarama.ErrLeaderNotAvailable
		}
		if !IsRetriable(err) {
			return 0, fmt.Errorf("kafka: metadata for topic %s: %w", topic, err)
		}
		if deadline == nil && p.maxBlock < time.Duration(1<<62) {
			t := time.NewTimer(p.maxBlock)
			defer t.Stop()
			deadline = t.C
		}
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-p.closing:
			return 0, ErrClosed
		case <-deadline:
			return 0, fmt.Errorf("kafka: topic %s not present in metadata after %d ms (%v): %w", topic, p.maxBlock.Milliseconds(), err, ErrBufferTimeout)
		}
		backoff = min(2*backoff, p.cfg.retryBackoffMax)
	}
}

// maxQueuedBatches bounds the batches a partition holds besides the one in
// flight and the open one: Send waits (like a full buffer.memory, and
// within max.block.ms) while a partition has more. Java bounds the
// accumulator by buffer.memory alone, which counts serialized bytes; here a
// queued record also keeps its Connect-side state (source record, offsets,
// callback), several times its size, and a partition cannot send faster
// than one batch per request anyway. A few batches ready behind the one in
// flight keep the sender busy through the source's bursts (reading the file,
// garbage collection); more only cost memory.
const maxQueuedBatches = 16

// spaceWaitLocked registers a Send waiting for a partition's queue to
// shrink and returns the channel closed when a sender takes batches.
func (p *Producer) spaceWaitLocked() <-chan struct{} {
	p.spaceWaiters++
	if p.spaceFreed == nil {
		p.spaceFreed = make(chan struct{})
	}
	return p.spaceFreed
}

// spaceFreedLocked wakes the Sends waiting for queue space.
func (p *Producer) spaceFreedLocked() {
	if p.spaceWaiters > 0 && p.spaceFreed != nil {
		close(p.spaceFreed)
		p.spaceFreed = nil
	}
}

// growLocked extends t to n partitions.
func (p *Producer) growLocked(t *topicState, n int32) {
	for i := int32(len(t.parts)); i < n; i++ {
		ps := &partState{topic: t, id: i, leader: -1}
		t.parts = append(t.parts, ps)
		p.parts = append(p.parts, ps)
	}
}

// partitionLocked picks m's partition: explicit, murmur2 of the key, round
// robin, or sticky for records without key.
func (p *Producer) partitionLocked(t *topicState, m *Message) (int32, error) {
	n := int32(len(t.parts))
	if m.Partition >= 0 {
		if m.Partition >= n {
			return -1, invalidPartition(m.Partition, n)
		}
		return m.Partition, nil
	}
	switch p.cfg.partitioner {
	case partitionRoundRobin:
		// RoundRobinPartitioner cycles over the available partitions.
		t.rr++
		return p.availableLocked(t, int(t.rr)), nil
	case partitionDefault:
		if m.Key != nil {
			return keyPartition(m.Key, n), nil
		}
	}
	if t.sticky >= 0 && (t.stickyBatch == nil || t.parts[t.sticky].openBatch() == t.stickyBatch) {
		return t.sticky, nil
	}
	// Move on (KIP-480): a random available partition other than the
	// previous one.
	prev := t.sticky
	next := p.availableLocked(t, rand.IntN(int(n)))
	if next == prev && n > 1 {
		next = p.availableLocked(t, int(prev)+1+rand.IntN(int(n)-1))
		if next == prev {
			next = (prev + 1) % n
		}
	}
	t.sticky, t.stickyBatch = next, nil
	return next, nil
}

// availableLocked maps i onto the partitions with a known leader (all of
// them when none is known).
func (p *Producer) availableLocked(t *topicState, i int) int32 {
	n := len(t.parts)
	avail := 0
	for _, ps := range t.parts {
		if ps.leader >= 0 {
			avail++
		}
	}
	if avail == 0 || avail == n {
		return int32(i % n)
	}
	k := i % avail
	for _, ps := range t.parts {
		if ps.leader >= 0 {
			if k == 0 {
				return ps.id
			}
			k--
		}
	}
	return int32(i % n)
}

// wakeLocked nudges the sender of ps's leader.
func (p *Producer) wakeLocked(ps *partState) {
	if s := p.senders[ps.leader]; s != nil {
		s.nudge()
	}
}

func (p *Producer) wakeAllLocked() {
	for _, s := range p.senders {
		s.nudge()
	}
}

// readyLocked says whether b, the head of its partition, may be sent now,
// and otherwise in how long it may.
func (p *Producer) readyLocked(b *batch, now time.Time) (bool, time.Duration) {
	if now.Before(b.retryAt) {
		return false, b.retryAt.Sub(now)
	}
	if b.closed || p.flushing > 0 || p.closed {
		return true, 0
	}
	if wait := b.created.Add(p.cfg.linger).Sub(now); wait > 0 {
		return false, wait
	}
	return true, 0
}

// drainLocked takes, for the sender of broker id, the ready head batch of
// each partition it leads that has nothing in flight, up to
// max.request.size in all; wait is how long until another batch may
// become ready (0: only a wake-up tells).
func (p *Producer) drainLocked(s *sender, now time.Time) (out []*batch, wait time.Duration) {
	out = s.drained[:0]
	if p.aborted {
		return out, 0
	}
	if p.cfg.idempotent && p.pid < 0 && p.fatal == nil {
		p.kickMeta() // sequences need the producer id first
		return out, 0
	}
	total := 0
	n := len(p.parts)
	for i := range n {
		ps := p.parts[(s.start+i)%n]
		if ps.leader != s.id || ps.inFlight || len(ps.queue) == 0 {
			continue
		}
		b := ps.queue[0]
		ready, w := p.readyLocked(b, now)
		if !ready {
			if wait == 0 || w < wait {
				wait = w
			}
			continue
		}
		if total > 0 && total+b.bytes > p.cfg.maxRequestSize {
			wait = time.Nanosecond // the rest goes in the next request
			break
		}
		ps.queue[0] = nil
		ps.queue = ps.queue[1:]
		b.closed = true
		ps.inFlight = true
		if p.cfg.idempotent && p.fatal == nil && (b.seq < 0 || b.pidGen != p.pidGen) {
			// the sequence is assigned when the batch is first drained and
			// kept across retries (reassigned under a new producer id)
			b.seq, b.pidGen = ps.nextSeq, p.pidGen
			ps.nextSeq = incrementSequence(ps.nextSeq, int32(len(b.recs)))
		}
		if p.cfg.idempotent {
			b.rb.ProducerID, b.rb.ProducerEpoch, b.rb.FirstSequence = p.pid, p.epoch, b.seq
		}
		out = append(out, b)
		total += b.bytes
	}
	s.start++
	if len(out) > 0 {
		p.spaceFreedLocked()
	}
	return out, wait
}

// split divides a batch the broker found too large into batches of at most
// batch.size (at least one record each), in order (Java's
// ProducerBatch.split on MESSAGE_TOO_LARGE).
func (p *Producer) split(b *batch) []*batch {
	var out []*batch
	var cur *batch
	for _, pd := range b.recs {
		if cur != nil {
			size := recordSize(&pd.rec, len(cur.recs), pd.tsMs-cur.firstMs)
			if cur.bytes+size > p.cfg.batchSize || len(cur.recs)*2 >= len(b.recs) {
				cur.closed = true
				cur = nil
			} else {
				cur.append(pd, size)
				continue
			}
		}
		cur = p.newBatch(b.part, pd.tsMs, b.created)
		cur.append(pd, recordSize(&pd.rec, 0, 0))
		out = append(out, cur)
	}
	cur.closed = true
	for _, nb := range out {
		nb.attempts = b.attempts
		nb.closed = true
	}
	return out
}
