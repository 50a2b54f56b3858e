package kafka

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/IBM/sarama"

	"github.com/connect-go/connect-standalone/runner/devkafka"
)

func TestKeyPartitionMatchesJava(t *testing.T) {
	for key := range javaMurmur2 {
		for _, n := range []int32{1, 3, 7, 10, 100} {
			if got, want := keyPartition([]byte(key), n), javaPartition(key, n); got != want {
				t.Errorf("key %q n=%d: partition %d, Java %d", key, n, got, want)
			}
		}
	}
}

// sendAll sends n records made by mk, pacing them by every, flushes, and
// returns the callbacks' errors (nil entries for successes) once all have
// run.
func sendAll(t *testing.T, p *Producer, n int, every time.Duration, mk func(i int) *Message) []error {
	t.Helper()
	errs := make([]error, n)
	var calls []atomic.Int32 = make([]atomic.Int32, n)
	var wg sync.WaitGroup
	wg.Add(n)
	for i := range n {
		if err := p.Send(context.Background(), mk(i), func(err error) {
			defer wg.Done()
			errs[i] = err
			if calls[i].Add(1) != 1 {
				t.Errorf("record %d: callback called twice", i)
			}
		}); err != nil {
			t.Fatalf("Send %d: %v", i, err)
		}
		if every > 0 {
			time.Sleep(every)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := p.Flush(ctx); err != nil { // the last batch need not wait for linger.ms
		t.Fatal(err)
	}
	waitGroup(t, &wg, 60*time.Second)
	return errs
}

func waitGroup(t *testing.T, wg *sync.WaitGroup, d time.Duration) {
	t.Helper()
	ch := make(chan struct{})
	go func() { wg.Wait(); close(ch) }()
	select {
	case <-ch:
	case <-time.After(d):
		t.Fatalf("callbacks still missing after %v", d)
	}
}

// checkInOrder reads the topic back and checks that every value "i" of
// 0..n-1 is present, in send order per partition, once (exactly) or at
// least once.
func checkInOrder(t *testing.T, addr, topic string, n int, exactlyOnce bool) {
	t.Helper()
	msgs := readAll(t, addr, topic, -1)
	last := map[int32]int{}
	seen := make([]int, n)
	for _, m := range msgs {
		v, err := strconv.Atoi(string(m.Value))
		if err != nil || v < 0 || v >= n {
			t.Fatalf("unexpected value %q", m.Value)
		}
		seen[v]++
		if prev, ok := last[m.Partition]; ok && v <= prev && exactlyOnce {
			t.Fatalf("partition %d: %d after %d", m.Partition, v, prev)
		}
		last[m.Partition] = max(last[m.Partition], v)
	}
	for i, c := range seen {
		if c == 0 || (exactlyOnce && c != 1) {
			t.Fatalf("record %d read %d times (%d records in all)", i, c, len(msgs))
		}
	}
}

// Faults during a stream of records: every record is acknowledged and in
// the topic once, in order per partition, with the idempotent producer.
func TestProducerFaultsDuringStream(t *testing.T) {
	for _, tc := range []struct {
		name       string
		fault      devkafka.Fault
		idempotent bool
	}{
		{"leader-unavailable", devkafka.FaultProduceLeaderUnavailable, true},
		{"drop-connection", devkafka.FaultProduceDropConnection, true},
		{"down", devkafka.FaultDown, true},
		{"down-not-idempotent", devkafka.FaultDown, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := startBroker(t, 1)
			topic := uniqueName("fault-" + tc.name)
			createTopic(t, b, topic, 3)
			p, err := NewProducer(producerConfig(t, b.Addr(), map[string]string{
				"enable.idempotence": strconv.FormatBool(tc.idempotent), "retry.backoff.ms": "20", "retry.backoff.max.ms": "200",
				"request.timeout.ms": "5000"}))
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close(context.Background())
			const n = 3000
			go func() {
				time.Sleep(300 * time.Millisecond)
				b.InjectFault(tc.fault, 1500*time.Millisecond)
			}()
			errs := sendAll(t, p, n, 500*time.Microsecond, func(i int) *Message {
				return &Message{Topic: topic, Partition: -1, Key: []byte(strconv.Itoa(i % 17)), Value: []byte(strconv.Itoa(i))}
			})
			for i, err := range errs {
				if err != nil {
					t.Fatalf("record %d: %v", i, err)
				}
			}
			checkInOrder(t, b.Addr(), topic, n, tc.idempotent)
		})
	}
}

// The cluster is down for longer than delivery.timeout.ms: the records
// fail with a timeout instead of staying queued.
func TestProducerDeliveryTimeout(t *testing.T) {
	b := startBroker(t, 1)
	topic := uniqueName("expire")
	createTopic(t, b, topic, 1)
	p, err := NewProducer(producerConfig(t, b.Addr(), map[string]string{
		"delivery.timeout.ms": "700", "retry.backoff.ms": "20", "retry.backoff.max.ms": "100"}))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(context.Background())
	if err := b.InjectFault(devkafka.FaultDown, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	errs := sendAll(t, p, 20, 0, func(i int) *Message { return &Message{Topic: topic, Partition: -1, Value: []byte(strconv.Itoa(i))} })
	for i, err := range errs {
		if !errors.Is(err, ErrDeliveryTimeout) || !strings.Contains(err.Error(), "has passed since batch creation") {
			t.Fatalf("record %d: %v", i, err)
		}
		if c, _ := JavaExceptionClass(err); c != "org.apache.kafka.common.errors.TimeoutException" {
			t.Errorf("Java class %s", c)
		}
	}
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("records failed after %v, delivery.timeout.ms is 700 ms", d)
	}
}

// batch.size closes batches without waiting for linger.ms; linger.ms holds
// a partial batch; Flush sends it at once.
func TestProducerBatchSizeAndLinger(t *testing.T) {
	b := startBroker(t, 1)
	topic := uniqueName("batching")
	createTopic(t, b, topic, 1)
	// 100-byte values: 108-byte records, so 8 fit in 1000 bytes with the
	// 61-byte batch header; a batch closes when the next record does not fit.
	p, err := NewProducer(producerConfig(t, b.Addr(), map[string]string{"batch.size": "1000", "linger.ms": "60000"}))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(context.Background())
	value := make([]byte, 100)
	var acked atomic.Int32
	for range 100 {
		if err := p.Send(context.Background(), &Message{Topic: topic, Partition: 0, Value: value}, func(err error) {
			if err != nil {
				t.Error(err)
			}
			acked.Add(1)
		}); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	for acked.Load() < 96 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	if got, n := p.batchesSent.Load(), acked.Load(); got != 12 || n != 96 {
		t.Fatalf("%d batches, %d records acknowledged; want 12 full batches of 8 and 4 records lingering", got, n)
	}
	if err := p.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, n := p.batchesSent.Load(), acked.Load(); got != 13 || n != 100 {
		t.Fatalf("after Flush: %d batches, %d records acknowledged", got, n)
	}
	readAll(t, b.Addr(), topic, 100)
}

// linger.ms gathers records sent within it into one batch.
func TestProducerLingerGathers(t *testing.T) {
	b := startBroker(t, 1)
	topic := uniqueName("linger")
	createTopic(t, b, topic, 1)
	p, err := NewProducer(producerConfig(t, b.Addr(), map[string]string{"linger.ms": "400"}))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(context.Background())
	start := time.Now()
	var wg sync.WaitGroup
	wg.Add(10)
	for i := range 10 {
		if err := p.Send(context.Background(), &Message{Topic: topic, Partition: -1, Value: []byte(strconv.Itoa(i))}, func(err error) {
			defer wg.Done()
			if err != nil {
				t.Error(err)
			}
		}); err != nil {
			t.Fatal(err)
		}
	}
	waitGroup(t, &wg, 20*time.Second)
	if d := time.Since(start); d < 350*time.Millisecond {
		t.Errorf("acknowledged after %v, before linger.ms", d)
	}
	if got := p.batchesSent.Load(); got != 1 {
		t.Errorf("%d batches, want 1", got)
	}
	checkInOrder(t, b.Addr(), topic, 10, true)
}

// Null-key records stick to one partition per batch and move on when it is
// full (KIP-480): they spread over the partitions, in runs of whole batches.
func TestProducerStickyPartitioner(t *testing.T) {
	b := startBroker(t, 1)
	topic := uniqueName("sticky")
	createTopic(t, b, topic, 6)
	p, err := NewProducer(producerConfig(t, b.Addr(), map[string]string{"batch.size": "1000", "linger.ms": "60000"}))
	if err != nil {
		t.Fatal(err)
	}
	const n = 400 // 50 batches of 8
	value := []byte(strings.Repeat("x", 97))
	errs := sendAll(t, p, n, 0, func(i int) *Message {
		return &Message{Topic: topic, Partition: -1, Value: fmt.Appendf(nil, "%03d%s", i, value)}
	})
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	where := make([]int32, n)
	parts := map[int32]int{}
	for _, m := range readAll(t, b.Addr(), topic, n) {
		i, _ := strconv.Atoi(string(m.Value[:3]))
		where[i] = m.Partition
		parts[m.Partition]++
	}
	if len(parts) < 3 {
		t.Fatalf("null-key records in %d partitions: %v", len(parts), parts)
	}
	for i := 0; i < n; i += 8 { // each batch of 8 stays together
		for j := i + 1; j < i+8; j++ {
			if where[j] != where[i] {
				t.Fatalf("records %d and %d in partitions %d and %d", i, j, where[i], where[j])
			}
		}
		if i > 0 && where[i] == where[i-1] {
			t.Fatalf("record %d stayed in partition %d after a full batch", i, where[i])
		}
	}
}

func TestProducerAcksZero(t *testing.T) {
	b := startBroker(t, 1)
	topic := uniqueName("acks0")
	createTopic(t, b, topic, 2)
	p, err := NewProducer(producerConfig(t, b.Addr(), map[string]string{"acks": "0", "enable.idempotence": "false"}))
	if err != nil {
		t.Fatal(err)
	}
	errs := sendAll(t, p, 500, 0, func(i int) *Message {
		return &Message{Topic: topic, Partition: int32(i % 2), Value: []byte(strconv.Itoa(i))}
	})
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second) // nothing tells when the broker wrote them
	for len(readAll(t, b.Addr(), topic, -1)) < 500 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	checkInOrder(t, b.Addr(), topic, 500, true)
}

func TestProducerRecordTooLarge(t *testing.T) {
	b := startBroker(t, 1)
	topic := uniqueName("large")
	createTopic(t, b, topic, 1)
	p, err := NewProducer(producerConfig(t, b.Addr(), map[string]string{"max.request.size": "1000"}))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(context.Background())
	err = p.Send(context.Background(), &Message{Topic: topic, Partition: -1, Value: make([]byte, 1000)}, func(error) { t.Error("callback called") })
	if !IsRecordTooLarge(err) || !strings.Contains(err.Error(), "bytes when serialized which is larger than 1000, which is the value of the max.request.size configuration") {
		t.Fatalf("Send: %v", err)
	}
	if c, _ := JavaExceptionClass(err); c != "org.apache.kafka.common.errors.RecordTooLargeException" {
		t.Errorf("Java class %s", c)
	}
	if p.InFlightBytes() != 0 {
		t.Errorf("in-flight bytes %d", p.InFlightBytes())
	}
	// a record larger than batch.size gets a batch of its own
	p2, err := NewProducer(producerConfig(t, b.Addr(), map[string]string{"batch.size": "100"}))
	if err != nil {
		t.Fatal(err)
	}
	errs := sendAll(t, p2, 3, 0, func(int) *Message { return &Message{Topic: topic, Partition: 0, Value: make([]byte, 500)} })
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := p2.batchesSent.Load(); got != 3 {
		t.Errorf("%d batches, want 3", got)
	}
	if err := p2.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := p.Send(context.Background(), &Message{Topic: topic, Partition: 3, Value: []byte("x")}, nil); err == nil ||
		!strings.Contains(err.Error(), "invalid partition") {
		t.Fatalf("Send to partition 3 of 1: %v", err)
	}
}

// Close while the broker does not answer: the records awaiting a response
// and those queued behind them fail with ErrClosed, each callback once.
func TestProducerForceCloseInFlight(t *testing.T) {
	b := startBroker(t, 1)
	topic := uniqueName("force-inflight")
	createTopic(t, b, topic, 2)
	p, err := NewProducer(producerConfig(t, b.Addr(), map[string]string{"request.timeout.ms": "60000"}))
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	defer close(release)
	if err := b.InjectFault(devkafka.FaultProduceLeaderUnavailable, time.Hour); err != nil {
		t.Fatal(err)
	}
	const n = 200
	var calls, closed atomic.Int32
	for i := range n {
		if err := p.Send(context.Background(), &Message{Topic: topic, Partition: int32(i % 2), Value: []byte(strconv.Itoa(i))}, func(err error) {
			calls.Add(1)
			if errors.Is(err, ErrClosed) {
				closed.Add(1)
			}
		}); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(200 * time.Millisecond) // retrying now
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := p.Close(ctx); err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Close: %v", err)
	}
	if calls.Load() != n || closed.Load() != n {
		t.Fatalf("%d callbacks, %d with ErrClosed, want %d", calls.Load(), closed.Load(), n)
	}
	if err := p.Send(context.Background(), &Message{Topic: topic, Partition: 0}, nil); !errors.Is(err, ErrClosed) {
		t.Fatalf("Send after Close: %v", err)
	}
}

// A batch the broker finds too large (MESSAGE_TOO_LARGE) is split and its
// halves retried, in order (Java's ProducerBatch.split); a single record
// the broker refuses fails with the broker's error.
func TestProducerSplitsBatchTooLarge(t *testing.T) {
	b := startBroker(t, 1)
	topic := uniqueName("split")
	cfg := sarama.NewConfig()
	cfg.Version = saramaVersion
	adm, err := sarama.NewClusterAdmin([]string{b.Addr()}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	limit := "2000"
	if err := adm.CreateTopic(topic, &sarama.TopicDetail{NumPartitions: 1, ReplicationFactor: 1,
		ConfigEntries: map[string]*string{"max.message.bytes": &limit}}, false); err != nil {
		t.Fatal(err)
	}
	adm.Close()
	p, err := NewProducer(producerConfig(t, b.Addr(), map[string]string{"enable.idempotence": "true", "linger.ms": "50"}))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(context.Background())
	const n = 100 // ~11 KB: one batch of batch.size=16384, five times the topic's limit
	errs := sendAll(t, p, n, 0, func(i int) *Message {
		return &Message{Topic: topic, Partition: 0, Value: fmt.Appendf(nil, "%d%s", i, strings.Repeat(" ", 100))}
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
	}
	if got := p.batchesSent.Load(); got < 8 {
		t.Errorf("%d batches sent, want the first and its splits", got)
	}
	for i, m := range readAll(t, b.Addr(), topic, n) {
		if v := strings.TrimSpace(string(m.Value)); v != strconv.Itoa(i) {
			t.Fatalf("record %d: %q", i, v)
		}
	}
	errs = sendAll(t, p, 1, 0, func(int) *Message { return &Message{Topic: topic, Partition: 0, Value: make([]byte, 3000)} })
	if !errors.Is(errs[0], sarama.ErrMessageSizeTooLarge) || !strings.Contains(errs[0].Error(), topic+"-0") {
		t.Fatalf("a record over the topic's limit: %v", errs[0])
	}
}

// RoundRobinPartitioner cycles over the partitions whatever the key;
// partitioner.ignore.keys=true makes keyed records sticky like null-key ones.
func TestProducerPartitionerSettings(t *testing.T) {
	b := startBroker(t, 1)
	for _, tc := range []struct {
		name  string
		props map[string]string
		check func(t *testing.T, perPart map[int32][]int)
	}{
		{"round-robin", map[string]string{"partitioner.class": "org.apache.kafka.clients.producer.RoundRobinPartitioner"},
			func(t *testing.T, perPart map[int32][]int) {
				for part, idx := range perPart {
					if len(idx) != 10 {
						t.Errorf("partition %d has %d records, want 10", part, len(idx))
					}
				}
			}},
		{"ignore-keys", map[string]string{"partitioner.ignore.keys": "true", "linger.ms": "60000"},
			func(t *testing.T, perPart map[int32][]int) {
				if len(perPart) != 1 {
					t.Errorf("one batch's records in %d partitions", len(perPart))
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			topic := uniqueName("partitioner-" + tc.name)
			createTopic(t, b, topic, 3)
			p, err := NewProducer(producerConfig(t, b.Addr(), tc.props))
			if err != nil {
				t.Fatal(err)
			}
			for _, err := range sendAll(t, p, 30, 0, func(i int) *Message {
				return &Message{Topic: topic, Partition: -1, Key: []byte(strconv.Itoa(i)), Value: []byte(strconv.Itoa(i))}
			}) {
				if err != nil {
					t.Fatal(err)
				}
			}
			if err := p.Close(context.Background()); err != nil {
				t.Fatal(err)
			}
			perPart := map[int32][]int{}
			for _, m := range readAll(t, b.Addr(), topic, 30) {
				i, _ := strconv.Atoi(string(m.Value))
				perPart[m.Partition] = append(perPart[m.Partition], i)
			}
			tc.check(t, perPart)
		})
	}
}
