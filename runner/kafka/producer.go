package kafka

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/IBM/sarama"
	"github.com/rs/zerolog"
)

// Header is one record header; a nil Value is Kafka's null.
type Header struct {
	Key   string
	Value []byte
}

// Message is one record to produce.
type Message struct {
	Topic     string
	Partition int32 // -1: chosen by the partitioner (murmur2 of the key)
	Key       []byte
	Value     []byte // nil: Kafka null (a tombstone)
	Headers   []Header
	Timestamp time.Time // zero: the producer's current time (CreateTime)
}

// recordOverhead approximates the per-record bytes beyond key, value and
// headers (Kafka's DefaultRecord.MAX_RECORD_OVERHEAD).
const recordOverhead = 21

func (m *Message) size() int64 {
	n := int64(len(m.Key) + len(m.Value) + recordOverhead)
	for _, h := range m.Headers {
		n += int64(len(h.Key) + len(h.Value))
	}
	return n
}

// Producer sends records for a source task. Results are reported through
// per-record callbacks run by two drain goroutines (successes, errors) that
// the Producer owns; sarama's input is fed only by Send's caller, never by
// the drainers, which avoids the known AsyncProducer deadlock.
type Producer struct {
	log    zerolog.Logger
	client sarama.Client
	ap     sarama.AsyncProducer
	buf    *byteSem
	// maxBlock bounds waiting for buffer space (max.block.ms).
	maxBlock time.Duration

	mu      sync.RWMutex // Send holds R while feeding Input; Close takes W to stop feeding
	closed  bool
	closing chan struct{} // closed first by Close: wakes blocked Sends
	once    sync.Once
	drained chan struct{} // closed when both drain goroutines have exited

	pmu      sync.Mutex
	inflight pending // sentinel of the ring of records in flight, for force-close
}

// pending is one record in flight: the sarama message, its encoders and the
// bookkeeping share one allocation. It travels in ProducerMessage.Metadata,
// which sarama never reads.
type pending struct {
	pm         sarama.ProducerMessage
	key, value sarama.ByteEncoder
	done       func(error)
	size       int64
	partition  int32 // requested partition, -1 for the partitioner
	completed  atomic.Bool
	prev, next *pending // ring under Producer.pmu
}

// NewProducer connects to the cluster and starts the drain goroutines.
func NewProducer(cfg *ClientConfig) (*Producer, error) {
	if cfg.Kind != KindProducer {
		return nil, fmt.Errorf("kafka: NewProducer needs a %s config, got %s", KindProducer, cfg.Kind)
	}
	client, err := sarama.NewClient(cfg.Brokers, cfg.sarama)
	if err != nil {
		return nil, fmt.Errorf("kafka: producer %s: connect to %v: %w", cfg.sarama.ClientID, cfg.Brokers, err)
	}
	patient := &patientClient{Client: client, log: cfg.Logger, backoff: max(cfg.RetryBackoff, 10*time.Millisecond), backoffMax: max(cfg.RetryBackoffMax, cfg.RetryBackoff, 10*time.Millisecond)}
	ap, err := sarama.NewAsyncProducerFromClient(patient)
	if err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("kafka: producer %s: %w", cfg.sarama.ClientID, err)
	}
	p := &Producer{
		log:      cfg.Logger,
		client:   client,
		ap:       ap,
		buf:      newByteSem(cfg.BufferMemory),
		maxBlock: cfg.MaxBlock,
		closing:  make(chan struct{}),
		drained:  make(chan struct{}),
	}
	p.inflight.prev, p.inflight.next = &p.inflight, &p.inflight
	var wg sync.WaitGroup
	wg.Go(func() {
		for m := range ap.Successes() {
			p.complete(m, nil)
		}
	})
	wg.Go(func() {
		for pe := range ap.Errors() {
			p.complete(pe.Msg, fmt.Errorf("kafka: send to %s-%d failed: %w", pe.Msg.Topic, pe.Msg.Partition, pe.Err))
		}
	})
	go func() {
		wg.Wait()
		close(p.drained)
	}()
	return p, nil
}

// Send hands m to the producer. done is called exactly once, from a drain
// goroutine, with nil once the broker acknowledged the record or with the
// final error; successes arrive in send order per partition (with Connect's
// max.in.flight.requests.per.connection=1 or idempotence). Send blocks while
// the records in flight hold buffer.memory bytes, until ctx is done or
// max.block.ms passes (ErrBufferTimeout). When Send returns an error, done
// is never called. done must not block for long nor call Send: it runs on a
// drain goroutine, and a blocked drainer stalls every later acknowledgement.
func (p *Producer) Send(ctx context.Context, m *Message, done func(err error)) error {
	size := m.size()
	if size > p.buf.max {
		return fmt.Errorf("kafka: the record is %d bytes, which is larger than the total memory buffer configured with buffer.memory (%d): %w",
			size, p.buf.max, sarama.ErrMessageSizeTooLarge)
	}
	if err := p.buf.acquire(ctx, size, p.maxBlock, p.closing); err != nil {
		return err
	}
	pd := &pending{done: done, size: size, partition: m.Partition}
	pm := &pd.pm
	pm.Topic, pm.Partition, pm.Timestamp, pm.Metadata = m.Topic, max(m.Partition, 0), m.Timestamp, pd
	if m.Key != nil {
		pd.key = m.Key
		pm.Key = &pd.key
	}
	if m.Value != nil {
		pd.value = m.Value
		pm.Value = &pd.value
	}
	if len(m.Headers) > 0 {
		pm.Headers = make([]sarama.RecordHeader, len(m.Headers))
		for i, h := range m.Headers {
			pm.Headers[i] = sarama.RecordHeader{Key: []byte(h.Key), Value: h.Value}
		}
	}

	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.closed {
		p.buf.release(size)
		return ErrClosed
	}
	p.track(pd)
	select {
	case p.ap.Input() <- pm:
		return nil
	case <-ctx.Done():
		p.untrack(pd)
		return ctx.Err()
	case <-p.closing:
		p.untrack(pd)
		return ErrClosed
	}
}

func (p *Producer) track(pd *pending) {
	p.pmu.Lock()
	pd.prev, pd.next = p.inflight.prev, &p.inflight
	pd.prev.next, p.inflight.prev = pd, pd
	p.pmu.Unlock()
}

// unlink removes pd from the ring; it must be in it.
func (p *Producer) unlink(pd *pending) {
	p.pmu.Lock()
	pd.prev.next, pd.next.prev = pd.next, pd.prev
	pd.prev, pd.next = nil, nil
	p.pmu.Unlock()
}

func (p *Producer) untrack(pd *pending) {
	pd.completed.Store(true)
	p.unlink(pd)
	p.buf.release(pd.size)
}

func (p *Producer) complete(m *sarama.ProducerMessage, err error) {
	pd, ok := m.Metadata.(*pending)
	if !ok {
		return
	}
	p.finish(pd, err)
}

func (p *Producer) finish(pd *pending, err error) {
	if !pd.completed.CompareAndSwap(false, true) {
		return // already failed by a force-close
	}
	p.unlink(pd)
	p.buf.release(pd.size)
	if pd.done != nil {
		pd.done(err)
	}
}

// Flush waits until every record sent before the call has its callback run
// (and any sent meanwhile), or ctx is done.
func (p *Producer) Flush(ctx context.Context) error {
	return p.buf.waitEmpty(ctx)
}

// InFlightBytes reports the buffer bytes held by records awaiting their
// callback.
func (p *Producer) InFlightBytes() int64 { return p.buf.inUse() }

// Close stops accepting records, lets sarama deliver those in flight and
// waits for every callback. If ctx ends first the producer is closed
// forcefully: the remaining callbacks get ErrClosed and the connections are
// dropped; Close still waits for the drain goroutines to exit.
func (p *Producer) Close(ctx context.Context) error {
	p.once.Do(func() {
		close(p.closing)
		p.mu.Lock() // no Send is feeding Input after this
		p.closed = true
		p.mu.Unlock()
		p.ap.AsyncClose()
	})
	select {
	case <-p.drained:
		return p.closeClient()
	case <-ctx.Done():
	}
	p.pmu.Lock()
	var left []*pending
	for pd := p.inflight.next; pd != &p.inflight; pd = pd.next {
		left = append(left, pd)
	}
	p.pmu.Unlock()
	p.log.Warn().Int("records", len(left)).Msg("Closing the Kafka producer forcefully: records still in flight will fail")
	for _, pd := range left {
		p.finish(pd, fmt.Errorf("kafka: producer closed forcefully before the record was acknowledged: %w", ErrClosed))
	}
	// Dropping the connections makes sarama fail what it still holds
	// instead of retrying until delivery.timeout.ms.
	_ = p.closeClient()
	<-p.drained
	return fmt.Errorf("kafka: producer closed forcefully, %d records unacknowledged: %w", len(left), ctx.Err())
}

func (p *Producer) closeClient() error {
	if p.client.Closed() {
		return nil
	}
	if err := p.client.Close(); err != nil && err != sarama.ErrClosedClient {
		return fmt.Errorf("kafka: close producer client: %w", err)
	}
	return nil
}

// connectPartitioner honours an explicit Message.Partition and otherwise
// delegates (murmur2 by default, as Java's BuiltInPartitioner for keyed
// records).
type connectPartitioner struct{ inner sarama.Partitioner }

func newConnectPartitioner(inner sarama.PartitionerConstructor) sarama.PartitionerConstructor {
	return func(topic string) sarama.Partitioner { return connectPartitioner{inner(topic)} }
}

func (c connectPartitioner) Partition(m *sarama.ProducerMessage, n int32) (int32, error) {
	if pd, ok := m.Metadata.(*pending); ok && pd.partition >= 0 {
		if pd.partition >= n {
			return -1, fmt.Errorf("kafka: invalid partition given with record: %d is not in the range [0...%d): %w",
				pd.partition, n, sarama.ErrInvalidPartition)
		}
		return pd.partition, nil
	}
	return c.inner.Partition(m, n)
}

func (c connectPartitioner) RequiresConsistency() bool { return true }

func (c connectPartitioner) MessageRequiresConsistency(m *sarama.ProducerMessage) bool {
	if pd, ok := m.Metadata.(*pending); ok && pd.partition >= 0 {
		return true
	}
	if d, ok := c.inner.(sarama.DynamicConsistencyPartitioner); ok {
		return d.MessageRequiresConsistency(m)
	}
	return c.inner.RequiresConsistency()
}

// byteSem is a byte-weighted semaphore whose waiters honour a context, a
// timeout and a close signal. Releases signal only when someone waits, so
// the uncontended path is a mutex and two additions.
type byteSem struct {
	max     int64
	mu      sync.Mutex
	used    int64
	waiters int
	changed chan struct{} // closed and replaced on a release while waiters > 0
}

func newByteSem(max int64) *byteSem {
	return &byteSem{max: max, changed: make(chan struct{})}
}

// wait returns the channel the next release closes; the caller must call
// unwait once woken or gone. Caller holds mu.
func (s *byteSem) wait() <-chan struct{} {
	s.waiters++
	return s.changed
}

func (s *byteSem) unwait() {
	s.mu.Lock()
	s.waiters--
	s.mu.Unlock()
}

func (s *byteSem) acquire(ctx context.Context, n int64, timeout time.Duration, closing <-chan struct{}) error {
	var timer <-chan time.Time
	for {
		s.mu.Lock()
		// A record always fits into an empty buffer, so one larger than
		// what is left never starves.
		if s.used == 0 || s.used+n <= s.max {
			s.used += n
			s.mu.Unlock()
			return nil
		}
		ch := s.wait()
		s.mu.Unlock()
		if timer == nil && timeout < time.Duration(1<<62) {
			t := time.NewTimer(timeout)
			defer t.Stop()
			timer = t.C
		}
		var err error
		select {
		case <-ch:
		case <-ctx.Done():
			err = ctx.Err()
		case <-closing:
			err = ErrClosed
		case <-timer:
			err = ErrBufferTimeout
		}
		s.unwait()
		if err != nil {
			return err
		}
	}
}

func (s *byteSem) release(n int64) {
	s.mu.Lock()
	s.used -= n
	if s.waiters > 0 {
		close(s.changed)
		s.changed = make(chan struct{})
	}
	s.mu.Unlock()
}

func (s *byteSem) inUse() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.used
}

func (s *byteSem) waitEmpty(ctx context.Context) error {
	for {
		s.mu.Lock()
		if s.used == 0 {
			s.mu.Unlock()
			return nil
		}
		ch := s.wait()
		s.mu.Unlock()
		var err error
		select {
		case <-ch:
		case <-ctx.Done():
			err = ctx.Err()
		}
		s.unwait()
		if err != nil {
			return err
		}
	}
}
