package kafka

import (
	"context"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

// After Close, no goroutine of the producer, consumer or admin survives.
func TestNoGoroutineLeak(t *testing.T) {
	b := startBroker(t, 1)
	topic := uniqueName("leak")
	createTopic(t, b, topic, 2)
	time.Sleep(100 * time.Millisecond)
	before := runtime.NumGoroutine()

	produce(t, b.Addr(), topic, 2, 20)
	c, err := NewConsumer(consumerConfig(t, b.Addr(), uniqueName("group"), map[string]string{"metadata.max.age.ms": "100"}),
		Subscription{Regex: regexp.MustCompile(regexp.QuoteMeta(topic))}, nil)
	if err != nil {
		t.Fatal(err)
	}
	pollN(t, c, 20, 20*time.Second)
	if err := c.Commit(context.Background(), map[TopicPartition]int64{{topic, 0}: 10}); err != nil {
		t.Fatal(err)
	}
	closeConsumer(t, c)
	a, err := NewAdmin(adminConfig(t, b.Addr()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.ClusterID(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}

	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<20)
		stacks := string(buf[:runtime.Stack(buf, true)])
		var ours []string
		for _, g := range strings.Split(stacks, "\n\n") {
			if strings.Contains(g, "sarama") || strings.Contains(g, "runner/kafka.") {
				ours = append(ours, g)
			}
		}
		t.Fatalf("%d goroutines before, %d after Close:\n%s", before, n, strings.Join(ours, "\n\n"))
	}
}
