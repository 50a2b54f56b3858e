package kafka

import (
	"context"
	"errors"
	"fmt"
	"math"
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

// Producer sends records for a source task. It is Java's KafkaProducer in
// miniature: Send appends each record, under one lock and without a
// goroutine hop, to the open batch of its partition (the record
// accumulator, accumulator.go); one sender goroutine per broker drains the
// ready batches of the partitions that broker leads into a ProduceRequest,
// waits for the answer and runs the callbacks in order (sender.go); one
// metadata goroutine keeps leaders and the idempotent producer id current
// and expires batches past delivery.timeout.ms. sarama provides the client
// (metadata, connections) and the wire format (RecordBatch encoding,
// compression, CRCs); its AsyncProducer is not used.
type Producer struct {
	log      zerolog.Logger
	client   sarama.Client
	cfg      producerSettings
	buf      *byteSem
	maxBlock time.Duration // bounds waiting for buffer space (max.block.ms)
	version  int16         // ProduceRequest version before negotiation

	mu sync.Mutex // guards everything below up to the channels
	// closed: Close was called; Send refuses records and every batch is
	// ready. aborted: the close turned forceful.
	closed, aborted bool
	stopping        bool // no goroutine may be started any more
	flushing        int  // Flush calls waiting: every batch is ready
	topics          map[string]*topicState
	parts           []*partState // every partition of every topic, for the senders' scans
	senders         map[int32]*sender
	metaRefresh     bool          // the metadata goroutine should refresh from the cluster
	spaceWaiters    int           // Sends waiting for a partition's queue to shrink
	spaceFreed      chan struct{} // closed when a sender takes batches while spaceWaiters > 0
	// idempotence: the producer id and epoch (-1 until InitProducerId
	// answered); pidGen counts ids, so a batch knows whether its sequence
	// belongs to the current one.
	pid    int64
	epoch  int16
	pidGen uint64
	fatal  error // InitProducerId failed for good: every batch fails with it

	closing chan struct{} // closed first by Close: wakes blocked Sends
	metaCh  chan struct{} // wakes the metadata goroutine
	abort   chan struct{} // closed when Close turns forceful
	stop    chan struct{} // closed when the goroutines must exit
	wg      sync.WaitGroup
	once    sync.Once // Close's first phase
	endOnce sync.Once // stopping the goroutines and the client

	warnMu   sync.Mutex
	lastWarn time.Time

	pendingRecords atomic.Int64 // records between Send and their callback
	// counters for tests and diagnostics
	batchesSent  atomic.Int64
	requestsSent atomic.Int64
}

// pending is one record from Send to its callback: the sarama record (which
// the request encodes directly) and the bookkeeping. Pendings live in their
// batch's slab, which is reused with the batch: no allocation per record.
type pending struct {
	rec       sarama.Record
	done      func(error)
	size      int64 // buffer.memory bytes held
	tsMs      int64 // CreateTime, Unix ms
	partition int32 // requested partition, -1 for the partitioner
}

// NewProducer connects to the cluster and starts the metadata goroutine;
// sender goroutines start as brokers become leaders of partitions written
// to.
func NewProducer(cfg *ClientConfig) (*Producer, error) {
	if cfg.Kind != KindProducer {
		return nil, fmt.Errorf("kafka: NewProducer needs a %s config, got %s", KindProducer, cfg.Kind)
	}
	client, err := sarama.NewClient(cfg.Brokers, cfg.sarama)
	if err != nil {
		return nil, fmt.Errorf("kafka: producer %s: connect to %v: %w", cfg.sarama.ClientID, cfg.Brokers, err)
	}
	ps := cfg.producer
	ps.retryBackoff = max(ps.retryBackoff, time.Millisecond)
	ps.retryBackoffMax = max(ps.retryBackoffMax, ps.retryBackoff)
	if ps.batchSize <= 0 {
		ps.batchSize = 1 // batch.size=0: one record per batch, as Java
	}
	p := &Producer{
		log:      cfg.Logger,
		client:   client,
		cfg:      ps,
		buf:      newByteSem(cfg.BufferMemory),
		maxBlock: cfg.MaxBlock,
		version:  produceVersion(cfg.sarama.Version),
		topics:   map[string]*topicState{},
		senders:  map[int32]*sender{},
		pid:      -1,
		epoch:    -1,
		closing:  make(chan struct{}),
		metaCh:   make(chan struct{}, 1),
		abort:    make(chan struct{}),
		stop:     make(chan struct{}),
	}
	p.wg.Go(p.metaLoop)
	if ps.idempotent {
		p.kickMeta()
	}
	return p, nil
}

// produceVersion is the ProduceRequest version sarama's own producer uses for
// the configured Kafka version; sarama lowers it to what the broker
// advertises when sending.
func produceVersion(v sarama.KafkaVersion) int16 {
	switch {
	case v.IsAtLeast(sarama.V3_7_0_0):
		return 10
	case v.IsAtLeast(sarama.V2_8_0_0):
		return 9
	case v.IsAtLeast(sarama.V2_4_0_0):
		return 8
	case v.IsAtLeast(sarama.V2_1_0_0):
		return 7
	case v.IsAtLeast(sarama.V2_0_0_0):
		return 6
	case v.IsAtLeast(sarama.V1_0_0_0):
		return 5
	}
	return 3 // record batches (v2) need at least 0.11
}

// recordTooLargeError is Java's RecordTooLargeException for a record beyond
// max.request.size, raised by Send.
type recordTooLargeError struct{ size, limit int }

func (e *recordTooLargeError) Error() string {
	return fmt.Sprintf("The message is %d bytes when serialized which is larger than %d, which is the value of the max.request.size configuration.", e.size, e.limit)
}

func (e *recordTooLargeError) Unwrap() error { return sarama.ErrMessageSizeTooLarge }

// Send hands m to the producer. done is called exactly once, from a
// producer goroutine, with nil once the broker acknowledged the record or
// with the final error; successes arrive in send order per partition (one
// batch per partition is in flight at a time). Send blocks while the records
// in flight hold buffer.memory bytes or the record's partition has
// maxQueuedBatches batches waiting, until ctx is done or max.block.ms
// passes (ErrBufferTimeout), and, for a topic it has no metadata for yet,
// until the cluster answers (as Java waits for metadata). A record larger
// than max.request.size or buffer.memory, or an explicit partition out of
// range, is an error. When Send returns an error, done is never called. done
// must not block for long nor call Send: it runs on the sender goroutine of
// the partition's leader, and a blocked callback stalls every later
// acknowledgement from that broker.
func (p *Producer) Send(ctx context.Context, m *Message, done func(err error)) error {
	if n := batchOverhead + recordSizeUpperBound(m); n > p.cfg.maxRequestSize {
		return &recordTooLargeError{size: n, limit: p.cfg.maxRequestSize}
	}
	size := m.size()
	if size > p.buf.max {
		return fmt.Errorf("kafka: the record is %d bytes, which is larger than the total memory buffer configured with buffer.memory (%d): %w",
			size, p.buf.max, sarama.ErrMessageSizeTooLarge)
	}
	if err := p.buf.acquire(ctx, size, p.maxBlock, p.closing); err != nil {
		return err
	}
	// The clock is read only when needed: for CreateTime, or by add for a
	// new batch.
	var now time.Time
	// Filled here, outside the lock; add copies it into its batch's slab.
	var rec pending
	pd := &rec
	pd.done, pd.size, pd.partition = done, size, m.Partition
	if m.Timestamp.IsZero() {
		now = time.Now()
		pd.tsMs = now.UnixMilli()
	} else {
		pd.tsMs = m.Timestamp.UnixMilli()
	}
	pd.rec.Key, pd.rec.Value = m.Key, m.Value
	if len(m.Headers) > 0 {
		hs := make([]sarama.RecordHeader, len(m.Headers))
		pd.rec.Headers = make([]*sarama.RecordHeader, len(m.Headers))
		for i, h := range m.Headers {
			hs[i] = sarama.RecordHeader{Key: []byte(h.Key), Value: h.Value}
			pd.rec.Headers[i] = &hs[i]
		}
	}
	if err := p.add(ctx, m, pd, now); err != nil {
		p.buf.release(size)
		return err
	}
	return nil
}

// finish completes one record: runs its callback, then frees its buffer
// bytes (so that Flush and Close return after the callbacks ran).
func (p *Producer) finish(pd *pending, err error) {
	if pd.done != nil {
		pd.done(err)
	}
	p.pendingRecords.Add(-1)
	p.buf.release(pd.size)
}

// Flush makes every batch ready at once (as if linger.ms had passed) and
// waits until every record sent before the call has its callback run (and
// any sent meanwhile), or ctx is done.
func (p *Producer) Flush(ctx context.Context) error {
	p.mu.Lock()
	p.flushing++
	p.wakeAllLocked()
	p.mu.Unlock()
	err := p.buf.waitEmpty(ctx)
	p.mu.Lock()
	p.flushing--
	p.mu.Unlock()
	return err
}

// InFlightBytes reports the buffer bytes held by records awaiting their
// callback.
func (p *Producer) InFlightBytes() int64 { return p.buf.inUse() }

// Close stops accepting records, sends every batch at once and waits for
// every callback. If ctx ends first the producer is closed forcefully:
// queued records and those awaiting a response get an error wrapping
// ErrClosed and the connections are dropped. Either way Close waits for the
// producer's goroutines to exit.
func (p *Producer) Close(ctx context.Context) error {
	p.once.Do(func() {
		p.mu.Lock()
		p.closed = true
		p.wakeAllLocked()
		p.mu.Unlock()
		close(p.closing)
	})
	if p.buf.waitEmpty(ctx) == nil {
		return p.end()
	}
	left := p.pendingRecords.Load()
	p.log.Warn().Int64("records", left).Msg("Closing the Kafka producer forcefully: records still in flight will fail")
	var queued []*batch
	p.mu.Lock()
	if !p.aborted {
		p.aborted = true
		close(p.abort) // senders waiting for a response fail their batches
		for _, ps := range p.parts {
			queued = append(queued, ps.queue...)
			clear(ps.queue)
			ps.queue = ps.queue[:0]
		}
	}
	p.mu.Unlock()
	for _, b := range queued {
		p.completeBatch(b, errForceClosed, true)
	}
	_ = p.end()
	return fmt.Errorf("kafka: producer closed forcefully, %d records unacknowledged: %w", left, ctx.Err())
}

var errForceClosed = fmt.Errorf("kafka: producer closed forcefully before the record was acknowledged: %w", ErrClosed)

// end stops the goroutines, waits for them and closes the client.
func (p *Producer) end() error {
	var err error
	p.endOnce.Do(func() {
		p.mu.Lock()
		p.stopping = true
		p.mu.Unlock()
		close(p.stop)
		if p.isAborted() {
			// Dropping the connections fails what is still being written.
			err = p.closeClient()
		}
		p.wg.Wait()
		if e := p.closeClient(); err == nil {
			err = e
		}
	})
	return err
}

func (p *Producer) isAborted() bool {
	select {
	case <-p.abort:
		return true
	default:
		return false
	}
}

func (p *Producer) closeClient() error {
	if p.client.Closed() {
		return nil
	}
	if err := p.client.Close(); err != nil && !errors.Is(err, sarama.ErrClosedClient) {
		return fmt.Errorf("kafka: close producer client: %w", err)
	}
	return nil
}

// recordSizeUpperBound is DefaultRecord.recordSizeUpperBound: the record's
// size with the largest offset and timestamp deltas.
func recordSizeUpperBound(m *Message) int {
	body := 1 + 10 + 5 + bytesSize(m.Key) + bytesSize(m.Value) + varintSize(int64(len(m.Headers)))
	for _, h := range m.Headers {
		body += varintSize(int64(len(h.Key))) + len(h.Key) + bytesSize(h.Value)
	}
	return varintSize(int64(body)) + body
}

// recordSize is DefaultRecord.sizeInBytes of the record at offsetDelta with
// tsDelta ms from the batch's first timestamp.
func recordSize(r *sarama.Record, offsetDelta int, tsDelta int64) int {
	body := 1 + varintSize(tsDelta) + varintSize(int64(offsetDelta)) + bytesSize(r.Key) + bytesSize(r.Value) +
		varintSize(int64(len(r.Headers)))
	for _, h := range r.Headers {
		body += bytesSize(h.Key) + bytesSize(h.Value)
	}
	return varintSize(int64(body)) + body
}

// bytesSize is the size of a varint-length-prefixed byte string (-1 for
// null).
func bytesSize(b []byte) int {
	if b == nil {
		return 1
	}
	return varintSize(int64(len(b))) + len(b)
}

// varintSize is the zig-zag varint length of v.
func varintSize(v int64) int {
	u := uint64((v << 1) ^ (v >> 63))
	n := 1
	for u >= 0x80 {
		u >>= 7
		n++
	}
	return n
}

// incrementSequence adds n to a producer sequence, wrapping at
// Integer.MAX_VALUE as DefaultRecordBatch.incrementSequence does.
func incrementSequence(seq int32, n int32) int32 {
	if seq > math.MaxInt32-n {
		return n - (math.MaxInt32 - seq) - 1
	}
	return seq + n
}
