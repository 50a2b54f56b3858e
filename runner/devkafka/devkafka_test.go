package devkafka

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/IBM/sarama"
	"github.com/rs/zerolog"
)

func startBroker(t *testing.T, opts Options) *Broker {
	t.Helper()
	if opts.Listen == "" {
		opts.Listen = "127.0.0.1:0"
	}
	b, err := Start(context.Background(), opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func saramaConfig(v sarama.KafkaVersion) *sarama.Config {
	cfg := sarama.NewConfig()
	cfg.Version = v
	cfg.ClientID = "devkafka-test"
	cfg.Producer.RequiredAcks = sarama.WaitForAll
	cfg.Producer.Partitioner = sarama.NewMurmur2Partitioner
	cfg.Producer.Return.Successes = true
	cfg.Producer.Retry.Backoff = 20 * time.Millisecond
	cfg.Metadata.Retry.Backoff = 20 * time.Millisecond
	cfg.Consumer.Offsets.Initial = sarama.OffsetOldest
	cfg.Consumer.Offsets.AutoCommit.Interval = 100 * time.Millisecond
	cfg.Consumer.MaxWaitTime = 100 * time.Millisecond // the default 500ms only slows the tests
	cfg.Net.DialTimeout = 2 * time.Second
	cfg.Net.ReadTimeout = 5 * time.Second
	cfg.Net.WriteTimeout = 5 * time.Second
	return cfg
}

func newClient(t *testing.T, addr string, cfg *sarama.Config) sarama.Client {
	t.Helper()
	c, err := sarama.NewClient([]string{addr}, cfg)
	if err != nil {
		t.Fatalf("sarama.NewClient: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

type produced struct {
	key, value string
	headers    map[string]string
	partition  int32
	offset     int64
}

// produceAsync sends n keyed records with headers through an AsyncProducer and
// returns them with the partition and offset the broker acknowledged.
func produceAsync(t *testing.T, client sarama.Client, topic string, n int) []produced {
	t.Helper()
	p, err := sarama.NewAsyncProducerFromClient(client)
	if err != nil {
		t.Fatalf("NewAsyncProducerFromClient: %v", err)
	}
	for i := range n {
		p.Input() <- &sarama.ProducerMessage{
			Topic: topic,
			Key:   sarama.StringEncoder(fmt.Sprintf("key-%d", i)),
			Value: sarama.StringEncoder(fmt.Sprintf("value-%d", i)),
			Headers: []sarama.RecordHeader{
				{Key: []byte("index"), Value: []byte(fmt.Sprint(i))},
				{Key: []byte("empty"), Value: []byte{}},
			},
			Metadata: i,
		}
	}
	out := make([]produced, n)
	timeout := time.After(10 * time.Second)
	for range n {
		select {
		case m := <-p.Successes():
			i := m.Metadata.(int)
			out[i] = produced{
				key: fmt.Sprintf("key-%d", i), value: fmt.Sprintf("value-%d", i),
				headers:   map[string]string{"index": fmt.Sprint(i), "empty": ""},
				partition: m.Partition, offset: m.Offset,
			}
		case err := <-p.Errors():
			t.Fatalf("produce: %v", err)
		case <-timeout:
			t.Fatal("timed out waiting for produce acks")
		}
	}
	if err := p.Close(); err != nil {
		t.Fatalf("producer close: %v", err)
	}
	return out
}

// consumeAll reads want records from every partition of topic from the oldest
// offset and returns them keyed by "partition/offset".
func consumeAll(t *testing.T, client sarama.Client, topic string, want int) map[string]*sarama.ConsumerMessage {
	t.Helper()
	c, err := sarama.NewConsumerFromClient(client)
	if err != nil {
		t.Fatalf("NewConsumerFromClient: %v", err)
	}
	defer c.Close()
	parts, err := c.Partitions(topic)
	if err != nil {
		t.Fatalf("Partitions(%s): %v", topic, err)
	}
	msgs := make(chan *sarama.ConsumerMessage, want)
	for _, p := range parts {
		pc, err := c.ConsumePartition(topic, p, sarama.OffsetOldest)
		if err != nil {
			t.Fatalf("ConsumePartition(%s, %d): %v", topic, p, err)
		}
		defer pc.Close()
		go func() {
			for m := range pc.Messages() {
				msgs <- m
			}
		}()
	}
	got := make(map[string]*sarama.ConsumerMessage, want)
	timeout := time.After(10 * time.Second)
	for len(got) < want {
		select {
		case m := <-msgs:
			got[fmt.Sprintf("%d/%d", m.Partition, m.Offset)] = m
		case <-timeout:
			t.Fatalf("consumed %d of %d records", len(got), want)
		}
	}
	return got
}

func checkRoundTrip(t *testing.T, sent []produced, got map[string]*sarama.ConsumerMessage) {
	t.Helper()
	keyPart := map[string]int32{}
	for _, s := range sent {
		m, ok := got[fmt.Sprintf("%d/%d", s.partition, s.offset)]
		if !ok {
			t.Fatalf("record %s not consumed at %d/%d", s.key, s.partition, s.offset)
		}
		if string(m.Key) != s.key || string(m.Value) != s.value {
			t.Errorf("at %d/%d got %q=%q, want %q=%q", s.partition, s.offset, m.Key, m.Value, s.key, s.value)
		}
		hs := map[string]string{}
		for _, h := range m.Headers {
			hs[string(h.Key)] = string(h.Value)
		}
		if fmt.Sprint(hs) != fmt.Sprint(s.headers) {
			t.Errorf("headers of %s = %v, want %v", s.key, hs, s.headers)
		}
		keyPart[s.key] = s.partition
	}
	// murmur2 places by key, so the same key must land where it did before.
	if p := sarama.NewMurmur2Partitioner(""); len(sent) > 0 {
		k := sent[0].key
		want, _ := p.Partition(&sarama.ProducerMessage{Key: sarama.StringEncoder(k)}, 3)
		if keyPart[k] != want {
			t.Errorf("key %s in partition %d, murmur2 says %d", k, keyPart[k], want)
		}
	}
}

func TestProduceConsumeCompression(t *testing.T) {
	b := startBroker(t, Options{Partitions: 3})
	tests := []struct {
		name  string
		codec sarama.CompressionCodec
	}{
		{"none", sarama.CompressionNone},
		{"gzip", sarama.CompressionGZIP},
		{"snappy", sarama.CompressionSnappy},
		{"lz4", sarama.CompressionLZ4},
		{"zstd", sarama.CompressionZSTD},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := saramaConfig(sarama.V2_8_0_0)
			cfg.Producer.Compression = tt.codec
			client := newClient(t, b.Addr(), cfg)
			topic := "compress-" + tt.name // auto-created with 3 partitions
			sent := produceAsync(t, client, topic, 30)
			parts, err := client.Partitions(topic)
			if err != nil || len(parts) != 3 {
				t.Fatalf("auto-created topic has partitions %v (err %v), want 3", parts, err)
			}
			checkRoundTrip(t, sent, consumeAll(t, client, topic, len(sent)))
		})
	}
}

// TestSaramaVersions pins the minimum sarama Version that works with kfake.
func TestSaramaVersions(t *testing.T) {
	b := startBroker(t, Options{Partitions: 3})
	tests := []struct {
		name    string
		version sarama.KafkaVersion
		wantErr bool
	}{
		{"0.10.2 legacy message sets rejected", sarama.V0_10_2_0, true},
		{"0.11 minimum", sarama.V0_11_0_0, false},
		{"1.0 minimum with SASL", sarama.V1_0_0_0, false},
		{"2.8 recommended", sarama.V2_8_0_0, false},
		{"3.0 OffsetFetch v8", sarama.V3_0_0_0, false},
		{"max", sarama.MaxVersion, false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := saramaConfig(tt.version)
			cfg.Producer.Retry.Max = 1
			cfg.Metadata.Retry.Max = 1
			topic := fmt.Sprintf("versions-%d", i)
			if tt.wantErr {
				// Pre-0.11 Metadata (v0-3) does not auto-create on kfake; make
				// sure the failure we see is the produce format rejection.
				if err := b.CreateTopic(context.Background(), topic, 0); err != nil {
					t.Fatal(err)
				}
			}
			client, err := sarama.NewClient([]string{b.Addr()}, cfg)
			if err == nil {
				defer client.Close()
				var p sarama.SyncProducer
				if p, err = sarama.NewSyncProducerFromClient(client); err == nil {
					_, _, err = p.SendMessage(&sarama.ProducerMessage{Topic: topic, Value: sarama.StringEncoder("v")})
					p.Close()
				}
			}
			if tt.wantErr {
				// kfake closes the connection on Produce < v3.
				if !errors.Is(err, io.EOF) {
					t.Fatalf("produce error %v, want EOF", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("produce: %v", err)
			}
			if got := consumeAll(t, client, topic, 1); len(got) != 1 {
				t.Fatalf("consumed %d records", len(got))
			}
		})
	}
}

func TestOffsetFetchNeverCommittedGroup(t *testing.T) {
	b := startBroker(t, Options{Partitions: 2})
	tests := []struct {
		name    string
		version sarama.KafkaVersion
	}{
		{"OffsetFetch v3", sarama.V0_11_0_0},
		{"OffsetFetch v7", sarama.V2_8_0_0},
		{"OffsetFetch v8", sarama.MaxVersion},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			topic := fmt.Sprintf("offsets-%d", i)
			group := fmt.Sprintf("never-committed-%d", i)
			if err := b.CreateTopic(context.Background(), topic, 0); err != nil {
				t.Fatal(err)
			}
			cfg := saramaConfig(tt.version)
			client := newClient(t, b.Addr(), cfg)
			admin, err := sarama.NewClusterAdminFromClient(client)
			if err != nil {
				t.Fatal(err)
			}

			checkAdmin := func(want int64) {
				t.Helper()
				res, err := admin.ListConsumerGroupOffsets(group, map[string][]int32{topic: {0, 1}})
				if err != nil {
					t.Fatalf("ListConsumerGroupOffsets: %v", err)
				}
				if res.Err != sarama.ErrNoError {
					t.Fatalf("ListConsumerGroupOffsets error code: %v", res.Err)
				}
				for _, p := range []int32{0, 1} {
					blk := res.GetBlock(topic, p)
					if blk == nil {
						t.Fatalf("no block for %s/%d", topic, p)
					}
					w := int64(-1)
					if p == 0 {
						w = want
					}
					if blk.Err != sarama.ErrNoError || blk.Offset != w {
						t.Errorf("%s/%d: offset %d err %v, want %d", topic, p, blk.Offset, blk.Err, w)
					}
				}
			}

			checkAdmin(-1)
			// Null topics: "all committed", of which there are none yet.
			res, err := admin.ListConsumerGroupOffsets(group, nil)
			if err != nil || res.Err != sarama.ErrNoError || len(res.Blocks) != 0 {
				t.Fatalf("all-topics fetch: blocks %v err %v / %v, want none", res, err, res.Err)
			}

			om, err := sarama.NewOffsetManagerFromClient(group, client)
			if err != nil {
				t.Fatal(err)
			}
			pom, err := om.ManagePartition(topic, 0)
			if err != nil {
				t.Fatalf("ManagePartition: %v", err)
			}
			if off, _ := pom.NextOffset(); off != sarama.OffsetOldest {
				t.Errorf("NextOffset = %d, want initial %d", off, sarama.OffsetOldest)
			}
			pom.MarkOffset(7, "meta")
			om.Commit()
			if err := pom.Close(); err != nil {
				t.Fatal(err)
			}
			if err := om.Close(); err != nil {
				t.Fatal(err)
			}
			checkAdmin(7)

			om2, err := sarama.NewOffsetManagerFromClient(group, client)
			if err != nil {
				t.Fatal(err)
			}
			defer om2.Close()
			pom2, err := om2.ManagePartition(topic, 0)
			if err != nil {
				t.Fatalf("ManagePartition after commit: %v", err)
			}
			defer pom2.Close()
			if off, meta := pom2.NextOffset(); off != 7 || meta != "meta" {
				t.Errorf("NextOffset after commit = %d %q, want 7 \"meta\"", off, meta)
			}
		})
	}
}

type groupHandler struct {
	msgs chan<- *sarama.ConsumerMessage
}

func (groupHandler) Setup(sarama.ConsumerGroupSession) error   { return nil }
func (groupHandler) Cleanup(sarama.ConsumerGroupSession) error { return nil }
func (h groupHandler) ConsumeClaim(s sarama.ConsumerGroupSession, c sarama.ConsumerGroupClaim) error {
	for m := range c.Messages() {
		s.MarkMessage(m, "")
		h.msgs <- m
	}
	return nil
}

func TestConsumerGroupFromEarliest(t *testing.T) {
	b := startBroker(t, Options{Partitions: 2})
	cfg := saramaConfig(sarama.V2_8_0_0)
	client := newClient(t, b.Addr(), cfg)
	const topic, group, n = "group-topic", "group-earliest", 20
	sent := produceAsync(t, client, topic, n)

	gcfg := saramaConfig(sarama.V2_8_0_0)
	gcfg.Consumer.Offsets.Initial = sarama.OffsetOldest
	cg, err := sarama.NewConsumerGroup([]string{b.Addr()}, group, gcfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	msgs := make(chan *sarama.ConsumerMessage, n)
	done := make(chan error, 1)
	go func() {
		var err error
		for ctx.Err() == nil && err == nil {
			err = cg.Consume(ctx, []string{topic}, groupHandler{msgs})
		}
		done <- err
	}()
	got := map[string]bool{}
	for len(got) < n {
		select {
		case m := <-msgs:
			got[string(m.Key)] = true
		case <-ctx.Done():
			t.Fatalf("consumed %d of %d", len(got), n)
		}
	}
	cancel()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		t.Fatalf("Consume: %v", err)
	}
	if err := cg.Close(); err != nil { // commits marked offsets
		t.Fatalf("consumer group close: %v", err)
	}

	want := map[int32]int64{}
	for _, s := range sent {
		want[s.partition] = max(want[s.partition], s.offset+1)
	}
	admin, err := sarama.NewClusterAdminFromClient(client)
	if err != nil {
		t.Fatal(err)
	}
	res, err := admin.ListConsumerGroupOffsets(group, map[string][]int32{topic: {0, 1}})
	if err != nil {
		t.Fatal(err)
	}
	for p, w := range want {
		if blk := res.GetBlock(topic, p); blk == nil || blk.Offset != w {
			t.Errorf("committed offset of partition %d = %+v, want %d", p, blk, w)
		}
	}
}

func TestPersistence(t *testing.T) {
	dir := t.TempDir()
	const topic = "persisted"

	b1, err := Start(context.Background(), Options{Listen: "127.0.0.1:0", DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := b1.CreateTopic(context.Background(), topic, 2); err != nil {
		t.Fatal(err)
	}
	client := newClient(t, b1.Addr(), saramaConfig(sarama.V2_8_0_0))
	sent := produceAsync(t, client, topic, 10)
	om, err := sarama.NewOffsetManagerFromClient("persisted-group", client)
	if err != nil {
		t.Fatal(err)
	}
	pom, err := om.ManagePartition(topic, 1)
	if err != nil {
		t.Fatal(err)
	}
	pom.MarkOffset(3, "")
	_ = pom.Close()
	if err := om.Close(); err != nil { // commits
		t.Fatal(err)
	}
	_ = client.Close()
	if err := b1.Close(); err != nil {
		t.Fatal(err)
	}

	b2 := startBroker(t, Options{DataDir: dir})
	client2 := newClient(t, b2.Addr(), saramaConfig(sarama.V2_8_0_0))
	got := consumeAll(t, client2, topic, len(sent))
	for _, s := range sent {
		m := got[fmt.Sprintf("%d/%d", s.partition, s.offset)]
		if m == nil || string(m.Value) != s.value {
			t.Errorf("after restart %d/%d = %v, want %s", s.partition, s.offset, m, s.value)
		}
	}
	admin, err := sarama.NewClusterAdminFromClient(client2)
	if err != nil {
		t.Fatal(err)
	}
	res, err := admin.ListConsumerGroupOffsets("persisted-group", map[string][]int32{topic: {1}})
	if err != nil {
		t.Fatal(err)
	}
	if blk := res.GetBlock(topic, 1); blk == nil || blk.Offset != 3 {
		t.Errorf("committed offset after restart = %+v, want 3", blk)
	}
}

func TestCreateTopicExists(t *testing.T) {
	b := startBroker(t, Options{})
	ctx := context.Background()
	if err := b.CreateTopic(ctx, "t", 0); err != nil {
		t.Fatal(err)
	}
	if err := b.CreateTopic(ctx, "t", 0); err == nil {
		t.Fatal("second CreateTopic succeeded, want topic-exists error")
	}
}

func TestStartErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if _, err := Start(context.Background(), Options{Listen: ln.Addr().String()}); err == nil {
		t.Fatal("Start on a busy port succeeded")
	}
	b := startBroker(t, Options{Listen: ":0"})
	if !strings.HasPrefix(b.Addr(), "127.0.0.1:") || strings.HasSuffix(b.Addr(), ":0") {
		t.Fatalf("Addr() = %q, want a dialable 127.0.0.1:PORT", b.Addr())
	}
}

// syncBuffer is an io.Writer safe to read while Run writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

func TestMemoryOnlyWarning(t *testing.T) {
	var logs syncBuffer
	log := zerolog.New(&logs)
	startBroker(t, Options{Logger: &log})
	if s := logs.String(); !strings.Contains(s, `"level":"warn"`) || !strings.Contains(s, "IN MEMORY ONLY") {
		t.Fatalf("no in-memory WARN logged: %s", s)
	}
}

func TestRun(t *testing.T) {
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Options{Listen: "127.0.0.1:0"}, pw)
		pw.Close()
	}()

	sc := bufio.NewScanner(pr)
	if !sc.Scan() {
		t.Fatalf("no line printed: %v", sc.Err())
	}
	line := sc.Text()
	if !strings.Contains(line, "for development only") || !strings.Contains(line, "in-memory") {
		t.Errorf("line %q does not say it is an in-memory development broker", line)
	}
	_, addr, ok := strings.Cut(line, "bootstrap.servers=")
	if !ok {
		t.Fatalf("line %q has no bootstrap.servers=", line)
	}
	client := newClient(t, addr, saramaConfig(sarama.V2_8_0_0))
	if len(client.Brokers()) != 1 {
		t.Errorf("brokers = %d, want 1", len(client.Brokers()))
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if sc.Scan() {
		t.Errorf("extra output after the address line: %q", sc.Text())
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Error("broker still accepts connections after Run returned")
	}
}
