package kafka

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/IBM/sarama"
)

// Java's Utils.murmur2 results from kafka's UtilsTest.testMurmur2; the
// partition is Utils.toPositive(murmur2(key)) % n (BuiltInPartitioner).
var javaMurmur2 = map[string]int32{
	"21":                         -973932308,
	"foobar":                     -790332482,
	"a-little-bit-long-string":   -985981536,
	"a-little-bit-longer-string": -1486304829,
	"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8": -58897971,
	"abc": 479470107,
}

func javaPartition(key string, n int32) int32 {
	return int32(uint32(javaMurmur2[key])&0x7fffffff) % n
}

func TestPartitionerMatchesJava(t *testing.T) {
	part := newConnectPartitioner(sarama.NewMurmur2Partitioner)("t")
	for key := range javaMurmur2 {
		for _, n := range []int32{1, 3, 7, 10, 100} {
			m := &sarama.ProducerMessage{Key: sarama.StringEncoder(key), Metadata: &pending{partition: -1}}
			got, err := part.Partition(m, n)
			if err != nil {
				t.Fatal(err)
			}
			if want := javaPartition(key, n); got != want {
				t.Errorf("key %q n=%d: partition %d, Java %d", key, n, got, want)
			}
		}
	}
	// an explicit partition wins; out of range is an error
	m := &sarama.ProducerMessage{Key: sarama.StringEncoder("21"), Metadata: &pending{partition: 2}}
	if got, _ := part.Partition(m, 3); got != 2 {
		t.Errorf("explicit partition: got %d", got)
	}
	if _, err := part.Partition(m, 2); err == nil {
		t.Error("partition 2 of 2 accepted")
	}
}

func TestProducerKeyedRecordsLandWhereJavaPutsThem(t *testing.T) {
	b := startBroker(t, 1)
	topic := uniqueName("murmur")
	createTopic(t, b, topic, 7)
	p, err := NewProducer(producerConfig(t, b.Addr(), nil))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for key := range javaMurmur2 {
		wg.Add(1)
		m := &Message{Topic: topic, Partition: -1, Key: []byte(key), Value: []byte("v-" + key),
			Headers: []Header{{Key: "h", Value: []byte("x")}, {Key: "null", Value: nil}}}
		if err := p.Send(context.Background(), m, func(err error) {
			defer wg.Done()
			if err != nil {
				t.Error(err)
			}
		}); err != nil {
			t.Fatal(err)
		}
	}
	// explicit partition and null key / null value
	wg.Add(1)
	if err := p.Send(context.Background(), &Message{Topic: topic, Partition: 5, Timestamp: time.UnixMilli(1234)}, func(err error) {
		defer wg.Done()
		if err != nil {
			t.Error(err)
		}
	}); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if err := p.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, m := range readAll(t, b.Addr(), topic, len(javaMurmur2)+1) {
		if m.Key == nil {
			if m.Partition != 5 || m.Value != nil || m.Timestamp.UnixMilli() != 1234 {
				t.Errorf("null record: partition %d value %v ts %v", m.Partition, m.Value, m.Timestamp)
			}
			continue
		}
		if want := javaPartition(string(m.Key), 7); m.Partition != want {
			t.Errorf("key %q in partition %d, Java puts it in %d", m.Key, m.Partition, want)
		}
		if len(m.Headers) != 2 || string(m.Headers[0].Key) != "h" || string(m.Headers[0].Value) != "x" ||
			string(m.Headers[1].Key) != "null" || m.Headers[1].Value != nil {
			t.Errorf("headers of %q: %+v", m.Key, m.Headers)
		}
	}
}

// 10k records: every callback once, successes in send order per
// partition, and the in-flight bytes never exceed buffer.memory although
// callbacks are slow (Kafka "slower than the source").
func TestProducerManyRecordsOrderAndBackpressure(t *testing.T) {
	b := startBroker(t, 1)
	topic := uniqueName("many")
	createTopic(t, b, topic, 4)
	const n = 10000
	const bufMem = 64 * 1024
	p, err := NewProducer(producerConfig(t, b.Addr(), map[string]string{"buffer.memory": strconv.Itoa(bufMem)}))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(context.Background())

	value := make([]byte, 200)
	var calls [n]atomic.Int32
	var mu sync.Mutex
	seen := map[int32][]int{} // partition -> seq in callback order
	var maxInFlight atomic.Int64
	var wg sync.WaitGroup
	wg.Add(n)
	for i := range n {
		part := int32(i % 4)
		seq := i
		m := &Message{Topic: topic, Partition: part, Key: []byte(strconv.Itoa(i)), Value: value}
		err := p.Send(context.Background(), m, func(err error) {
			defer wg.Done()
			if err != nil {
				t.Errorf("record %d: %v", seq, err)
			}
			calls[seq].Add(1)
			mu.Lock()
			seen[part] = append(seen[part], seq)
			mu.Unlock()
			if seq%500 == 0 {
				time.Sleep(20 * time.Millisecond) // a slow consumer of acks backs everything up
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		if f := p.InFlightBytes(); f > maxInFlight.Load() {
			maxInFlight.Store(f)
		}
	}
	wg.Wait()
	for i := range calls {
		if c := calls[i].Load(); c != 1 {
			t.Fatalf("record %d: callback called %d times", i, c)
		}
	}
	for part, seqs := range seen {
		for j := 1; j < len(seqs); j++ {
			if seqs[j] < seqs[j-1] {
				t.Fatalf("partition %d: callback for %d after %d", part, seqs[j], seqs[j-1])
			}
		}
	}
	if m := maxInFlight.Load(); m > bufMem || m == 0 {
		t.Errorf("max in-flight bytes %d, buffer.memory %d", m, bufMem)
	}
	if p.InFlightBytes() != 0 {
		t.Errorf("in-flight bytes after all callbacks: %d", p.InFlightBytes())
	}
	readAll(t, b.Addr(), topic, n)
}

func TestProducerSendBlocksUntilMaxBlock(t *testing.T) {
	b := startBroker(t, 1)
	topic := uniqueName("block")
	createTopic(t, b, topic, 1)
	p, err := NewProducer(producerConfig(t, b.Addr(), map[string]string{"buffer.memory": "1000", "max.block.ms": "200"}))
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	first := make(chan struct{})
	var once sync.Once
	// the first callback blocks the success drainer, so the second
	// record's bytes are not freed although the broker acknowledged it
	if err := p.Send(context.Background(), &Message{Topic: topic, Partition: -1, Value: make([]byte, 10)}, func(error) {
		once.Do(func() { close(first) })
		<-release
	}); err != nil {
		t.Fatal(err)
	}
	<-first
	if err := p.Send(context.Background(), &Message{Topic: topic, Partition: -1, Value: make([]byte, 900)}, nil); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err = p.Send(context.Background(), &Message{Topic: topic, Partition: -1, Value: make([]byte, 500)}, nil)
	if !errors.Is(err, ErrBufferTimeout) || !IsRetriable(err) {
		t.Fatalf("Send with full buffer: %v", err)
	}
	if d := time.Since(start); d < 150*time.Millisecond || d > 5*time.Second {
		t.Errorf("Send blocked %v, want about max.block.ms", d)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	p.maxBlock = time.Hour
	if err := p.Send(ctx, &Message{Topic: topic, Partition: -1, Value: make([]byte, 500)}, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Send with expiring ctx: %v", err)
	}
	if err := p.Send(context.Background(), &Message{Topic: topic, Value: make([]byte, 2000)}, nil); err == nil {
		t.Fatal("record larger than buffer.memory accepted")
	}
	close(release)
	if err := p.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := p.Send(context.Background(), &Message{Topic: topic, Partition: -1}, nil); !errors.Is(err, ErrClosed) {
		t.Fatalf("Send after Close: %v", err)
	}
}

func TestProducerCloseFlushesInFlight(t *testing.T) {
	b := startBroker(t, 1)
	topic := uniqueName("close")
	createTopic(t, b, topic, 3)
	p, err := NewProducer(producerConfig(t, b.Addr(), map[string]string{"linger.ms": "50"}))
	if err != nil {
		t.Fatal(err)
	}
	const n = 2000
	var ok, failed atomic.Int32
	for i := range n {
		if err := p.Send(context.Background(), &Message{Topic: topic, Partition: -1, Key: []byte(strconv.Itoa(i))}, func(err error) {
			if err != nil {
				failed.Add(1)
			} else {
				ok.Add(1)
			}
		}); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := p.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if ok.Load() != n || p.InFlightBytes() != 0 {
		t.Fatalf("after Flush: %d ok, %d in-flight bytes", ok.Load(), p.InFlightBytes())
	}
	for i := range 100 { // and records still in flight at Close
		if err := p.Send(context.Background(), &Message{Topic: topic, Partition: -1, Key: []byte(strconv.Itoa(i))}, func(err error) {
			if err != nil {
				failed.Add(1)
			} else {
				ok.Add(1)
			}
		}); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Close(ctx); err != nil {
		t.Fatal(err)
	}
	const n2 = n + 100
	if ok.Load() != n2 || failed.Load() != 0 {
		t.Fatalf("after Close: %d ok, %d failed, want %d ok", ok.Load(), failed.Load(), n2)
	}
	readAll(t, b.Addr(), topic, n2)
}

func TestProducerForceClose(t *testing.T) {
	b := startBroker(t, 1)
	topic := uniqueName("force")
	createTopic(t, b, topic, 1)
	p, err := NewProducer(producerConfig(t, b.Addr(), map[string]string{"retry.backoff.ms": "50", "request.timeout.ms": "60000"}))
	if err != nil {
		t.Fatal(err)
	}
	b.Close() // Kafka goes away: records can no longer be acknowledged
	const n = 50
	var calls atomic.Int32
	var failed atomic.Int32
	for i := range n {
		if err := p.Send(context.Background(), &Message{Topic: topic, Partition: -1, Value: []byte(fmt.Sprint(i))}, func(err error) {
			calls.Add(1)
			if err != nil {
				failed.Add(1)
			}
		}); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = p.Close(ctx)
	if err == nil {
		t.Fatal("force-close reported no error")
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("force-close took %v", d)
	}
	if calls.Load() != n || failed.Load() != n {
		t.Fatalf("callbacks: %d calls, %d failed, want %d each", calls.Load(), failed.Load(), n)
	}
}

func TestProducerCompressionCodecs(t *testing.T) {
	b := startBroker(t, 1)
	for _, codec := range []string{"none", "gzip", "snappy", "lz4", "zstd"} {
		t.Run(codec, func(t *testing.T) {
			topic := uniqueName("codec-" + codec)
			createTopic(t, b, topic, 1)
			p, err := NewProducer(producerConfig(t, b.Addr(), map[string]string{"compression.type": codec}))
			if err != nil {
				t.Fatal(err)
			}
			const n = 200
			var wg sync.WaitGroup
			wg.Add(n)
			for i := range n {
				v := []byte(fmt.Sprintf("value %d %s", i, codec))
				if err := p.Send(context.Background(), &Message{Topic: topic, Partition: 0, Value: v}, func(err error) {
					defer wg.Done()
					if err != nil {
						t.Error(err)
					}
				}); err != nil {
					t.Fatal(err)
				}
			}
			wg.Wait()
			if err := p.Close(context.Background()); err != nil {
				t.Fatal(err)
			}
			for i, m := range readAll(t, b.Addr(), topic, n) {
				if want := fmt.Sprintf("value %d %s", i, codec); string(m.Value) != want {
					t.Fatalf("record %d: %q, want %q", i, m.Value, want)
				}
			}
		})
	}
}

func TestProducerIdempotent(t *testing.T) {
	b := startBroker(t, 1)
	topic := uniqueName("idem")
	createTopic(t, b, topic, 2)
	cfg := producerConfig(t, b.Addr(), map[string]string{"enable.idempotence": "true", "max.in.flight.requests.per.connection": "5"})
	p, err := NewProducer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(100)
	for i := range 100 {
		if err := p.Send(context.Background(), &Message{Topic: topic, Partition: -1, Key: []byte(strconv.Itoa(i))}, func(err error) {
			defer wg.Done()
			if err != nil {
				t.Error(err)
			}
		}); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	if err := p.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	readAll(t, b.Addr(), topic, 100)
}
