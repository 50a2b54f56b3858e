package offsets

import (
	"context"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/connect-go/connect-standalone/connectors"
)

// Tracker follows records from submission to the producer until their
// offsets may be committed (Kafka's SubmittedRecords, reference §5.2 rule 4):
// per source partition, records are committable in submission order, and an
// unacknowledged record holds back every later offset of its partition.
//
// Submit, Committable and Drop may be called from any goroutine (they share a
// mutex); Ack is lock-free and meant for producer callbacks.
type Tracker struct {
	mu     sync.Mutex
	parts  map[string]*partQueue // by canonical partition JSON
	order  []*partQueue          // first-submission order, for stable output
	keyBuf []byte                // scratch for the canonical key
	keys   []string              // scratch for sorting partition keys
	slab   []Submitted           // records are allocated in chunks
	queued int                   // records in queues, including dropped ones
	// The queue of the last partition map submitted, by identity: sources
	// reuse one map per partition, and the maps must not change once
	// submitted, so the canonical key need not be rebuilt per record.
	lastMap   reflect.Value
	lastQueue *partQueue

	dropped     atomic.Int64 // dropped records still sitting in queues
	outstanding atomic.Int64 // submitted, neither acked nor dropped

	waitMu    sync.Mutex
	waitCh    chan struct{} // closed when outstanding reaches zero
	hasWaiter atomic.Bool
}

type partQueue struct {
	key       string
	partition map[string]any
	recs      []*Submitted
	head      int
}

const (
	statePending uint32 = iota
	stateAcked
	stateDropped
)

// Submitted is one tracked record.
type Submitted struct {
	t      *Tracker
	offset map[string]any
	state  atomic.Uint32
}

const slabSize = 256

// NewTracker returns an empty Tracker.
func NewTracker() *Tracker {
	return &Tracker{parts: make(map[string]*partQueue)}
}

// Submit registers a record about to be sent, in poll order. The maps are
// kept, not copied: callers must not modify them afterwards. Partitions are
// told apart by their JSON form (the bytes Kafka would key the offset by).
func (t *Tracker) Submit(partition, offset map[string]any) *Submitted {
	t.mu.Lock()
	var q *partQueue
	var id reflect.Value
	if partition != nil {
		id = reflect.ValueOf(partition)
		if t.lastQueue != nil && t.lastMap.UnsafePointer() == id.UnsafePointer() {
			q = t.lastQueue
		}
	}
	if q == nil {
		t.keyBuf = t.keyBuf[:0]
		if partition == nil {
			t.keyBuf = append(t.keyBuf, "null"...)
		} else {
			t.keyBuf = appendObject(t.keyBuf, partition, &t.keys)
		}
		var ok bool
		q, ok = t.parts[string(t.keyBuf)] // no allocation for the lookup
		if !ok {
			q = &partQueue{key: string(t.keyBuf), partition: partition}
			t.parts[q.key] = q
			t.order = append(t.order, q)
		}
		if partition != nil {
			t.lastMap, t.lastQueue = id, q
		}
	}
	if len(t.slab) == 0 {
		t.slab = make([]Submitted, slabSize)
	}
	s := &t.slab[0]
	t.slab = t.slab[1:]
	s.t, s.offset = t, offset
	q.recs = append(q.recs, s)
	t.queued++
	t.outstanding.Add(1)
	t.mu.Unlock()
	return s
}

// Ack marks the record as delivered. Safe from any goroutine; repeated calls
// and calls after Drop are no-ops.
func (s *Submitted) Ack() {
	if s.state.CompareAndSwap(statePending, stateAcked) {
		s.t.done()
	}
}

// Drop stops tracking a record that was never sent (Kafka's remove): its
// offset is never committed and it no longer holds back later records. A
// no-op once the record was acked.
func (s *Submitted) Drop() {
	if s.state.CompareAndSwap(statePending, stateDropped) {
		s.t.dropped.Add(1)
		s.t.done()
	}
}

func (t *Tracker) done() {
	if t.outstanding.Add(-1) == 0 && t.hasWaiter.Load() {
		t.waitMu.Lock()
		if t.waitCh != nil && t.outstanding.Load() == 0 {
			close(t.waitCh)
			t.waitCh = nil
			t.hasWaiter.Store(false)
		}
		t.waitMu.Unlock()
	}
}

// Committable removes the fully acknowledged prefix of every partition's
// records and returns, per partition, the offset of the last acked record
// in it (partitions in first-submission order; a nil Offset is a record that
// carried a nil offset, as in Kafka). pending counts the records still
// tracked: unacknowledged ones and acked ones held back behind them.
func (t *Tracker) Committable() (offsets []connectors.PartitionOffset, pending int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	offsets = make([]connectors.PartitionOffset, 0, len(t.order))
	live := t.order[:0]
	droppedPopped := 0
	for _, q := range t.order {
		var off map[string]any
		have := false
		i := q.head
		for ; i < len(q.recs); i++ {
			r := q.recs[i]
			st := r.state.Load()
			if st == statePending {
				break
			}
			if st == stateAcked {
				off, have = r.offset, true
			} else {
				droppedPopped++
			}
			q.recs[i] = nil // let the record (and its slab) be collected
		}
		t.queued -= i - q.head
		q.head = i
		if have {
			offsets = append(offsets, connectors.PartitionOffset{Partition: q.partition, Offset: off})
		}
		if q.head == len(q.recs) {
			delete(t.parts, q.key)
			if q == t.lastQueue {
				t.lastMap, t.lastQueue = reflect.Value{}, nil
			}
			continue
		}
		if q.head > len(q.recs)/2 { // compact so the backing array does not grow without bound
			n := copy(q.recs, q.recs[q.head:])
			clear(q.recs[n:])
			q.recs, q.head = q.recs[:n], 0
		}
		live = append(live, q)
	}
	clear(t.order[len(live):])
	t.order = live
	if cap(t.order) > 64 && len(t.order) < cap(t.order)/4 {
		t.order = slices.Clip(slices.Clone(t.order))
	}
	d := t.dropped.Add(-int64(droppedPopped))
	return offsets, t.queued - int(d)
}

// Outstanding is the number of submitted records neither acked nor dropped.
func (t *Tracker) Outstanding() int { return int(t.outstanding.Load()) }

// AwaitAll waits until every submitted record is acked or dropped (Kafka's
// awaitAllMessages before the final commit), or ctx is done.
func (t *Tracker) AwaitAll(ctx context.Context) error {
	for {
		t.waitMu.Lock()
		if t.waitCh == nil {
			t.waitCh = make(chan struct{})
		}
		ch := t.waitCh
		t.hasWaiter.Store(true)
		t.waitMu.Unlock()
		// Checked after announcing the waiter: a concurrent done() either sees
		// hasWaiter or its decrement is visible here.
		if t.outstanding.Load() == 0 {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
