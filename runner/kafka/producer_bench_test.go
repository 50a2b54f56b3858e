package kafka

import (
	"context"
	"sync/atomic"
	"testing"
)

// BenchmarkProducerSend: one 120-byte record through Send to its callback,
// with Connect's producer settings, against the in-process broker. allocs/op
// is the producer's per-record allocation (sarama's included); ns/op
// includes the broker, which shares the CPUs.
func BenchmarkProducerSend(b *testing.B) {
	br := startBroker(b, 1)
	props := ProducerDefaults("bench", 0)
	p, err := NewProducer(producerConfig(b, br.Addr(), props))
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close(context.Background())
	value := make([]byte, 120)
	var acked atomic.Int64
	done := func(err error) {
		if err != nil {
			b.Error(err)
		}
		acked.Add(1)
	}
	ctx := context.Background()
	msg := &Message{Topic: "bench", Partition: -1, Value: value}
	b.SetBytes(int64(len(value)))
	b.ReportAllocs()
	for b.Loop() {
		if err := p.Send(ctx, msg, done); err != nil {
			b.Fatal(err)
		}
	}
	if err := p.Flush(ctx); err != nil {
		b.Fatal(err)
	}
}
