package kafka

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"
)

func consumerConfig(t *testing.T, addr, group string, extra map[string]string) *ClientConfig {
	props := ConsumerDefaults("test", 0)
	props["bootstrap.servers"] = addr
	props["group.id"] = group
	props["session.timeout.ms"] = "6000"
	props["heartbeat.interval.ms"] = "100"
	props["max.poll.interval.ms"] = "10000"
	props["fetch.max.wait.ms"] = "100"
	for k, v := range extra {
		props[k] = v
	}
	return mustConfig(t, KindConsumer, props)
}

// produce writes n records "<topic>-<i>" round robin over the partitions.
func produce(t *testing.T, addr, topic string, parts, n int) {
	t.Helper()
	p, err := NewProducer(producerConfig(t, addr, nil))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(n)
	for i := range n {
		m := &Message{Topic: topic, Partition: int32(i % parts), Key: []byte(fmt.Sprint(i)), Value: []byte(fmt.Sprintf("%s-%d", topic, i)),
			Headers: []Header{{Key: "i", Value: []byte(fmt.Sprint(i))}}}
		if err := p.Send(context.Background(), m, func(err error) {
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
}

// recListener records rebalance callbacks; onRevoke runs inside Revoked.
type recListener struct {
	mu       sync.Mutex
	assigned [][]TopicPartition
	revoked  [][]TopicPartition
	onRevoke func([]TopicPartition)
}

func (l *recListener) Assigned(p []TopicPartition) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.assigned = append(l.assigned, p)
}

func (l *recListener) Revoked(p []TopicPartition) {
	l.mu.Lock()
	l.revoked = append(l.revoked, p)
	f := l.onRevoke
	l.mu.Unlock()
	if f != nil {
		f(p)
	}
}

func (l *recListener) last() []TopicPartition {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.assigned) == 0 {
		return nil
	}
	return l.assigned[len(l.assigned)-1]
}

// pollN polls until n records arrived or the deadline passes.
func pollN(t *testing.T, c *Consumer, n int, within time.Duration) []*ConsumedMessage {
	t.Helper()
	var out []*ConsumedMessage
	deadline := time.Now().Add(within)
	for len(out) < n && time.Now().Before(deadline) {
		msgs, err := c.Poll(context.Background(), 200*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, msgs...)
	}
	if len(out) != n {
		t.Fatalf("polled %d records, want %d", len(out), n)
	}
	return out
}

func closeConsumer(t *testing.T, c *Consumer) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := c.Close(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestConsumerPollCommitRestart(t *testing.T) {
	b := startBroker(t, 1)
	topic := uniqueName("poll")
	createTopic(t, b, topic, 2)
	produce(t, b.Addr(), topic, 2, 100)
	group := uniqueName("group")

	l := &recListener{}
	c, err := NewConsumer(consumerConfig(t, b.Addr(), group, map[string]string{"max.poll.records": "7"}), Subscription{Topics: []string{topic}}, l)
	if err != nil {
		t.Fatal(err)
	}
	var got []*ConsumedMessage
	for len(got) < 100 {
		ms, err := c.Poll(context.Background(), 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) == 0 {
			t.Fatalf("no records after %d", len(got))
		}
		if len(ms) > 7 {
			t.Fatalf("Poll returned %d records, max.poll.records is 7", len(ms))
		}
		got = append(got, ms...)
	}
	if want := []TopicPartition{{topic, 0}, {topic, 1}}; !slices.Equal(l.last(), want) {
		t.Fatalf("assigned %v, want %v", l.last(), want)
	}
	next := map[int32]int64{}
	for _, m := range got {
		if m.Offset != next[m.Partition] {
			t.Fatalf("%s-%d: offset %d, want %d", m.Topic, m.Partition, m.Offset, next[m.Partition])
		}
		next[m.Partition]++
		if len(m.Headers) != 1 || m.Headers[0].Key != "i" || m.TimestampType != CreateTime || m.Timestamp.IsZero() {
			t.Fatalf("record %+v", m)
		}
	}
	// commit 30 of each partition, plus a partition we do not own (dropped)
	if err := c.Commit(context.Background(), map[TopicPartition]int64{{topic, 0}: 30, {topic, 1}: 30, {"other", 0}: 5}); err != nil {
		t.Fatal(err)
	}
	closeConsumer(t, c)
	if _, err := c.Poll(context.Background(), time.Millisecond); err == nil {
		t.Fatal("Poll after Close succeeded")
	}

	c2, err := NewConsumer(consumerConfig(t, b.Addr(), group, nil), Subscription{Topics: []string{topic}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closeConsumer(t, c2)
	rest := pollN(t, c2, 40, 20*time.Second)
	for _, m := range rest {
		if m.Offset < 30 {
			t.Fatalf("restarted consumer re-read %s-%d@%d below the committed offset", m.Topic, m.Partition, m.Offset)
		}
	}
	if ms, _ := c2.Poll(context.Background(), 300*time.Millisecond); len(ms) != 0 {
		t.Fatalf("extra records %d", len(ms))
	}
}

func TestConsumerPauseResume(t *testing.T) {
	b := startBroker(t, 1)
	topic := uniqueName("pause")
	createTopic(t, b, topic, 1)
	produce(t, b.Addr(), topic, 1, 10)
	c, err := NewConsumer(consumerConfig(t, b.Addr(), uniqueName("group"), nil), Subscription{Topics: []string{topic}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closeConsumer(t, c)
	first := pollN(t, c, 10, 20*time.Second)
	_ = first
	produce(t, b.Addr(), topic, 1, 10)
	c.Pause()
	if ms, err := c.Poll(context.Background(), 500*time.Millisecond); err != nil || len(ms) != 0 {
		t.Fatalf("paused Poll: %d records, %v", len(ms), err)
	}
	c.Resume()
	pollN(t, c, 10, 10*time.Second)
}

func TestConsumerRegexPicksUpNewTopic(t *testing.T) {
	b := startBroker(t, 1)
	prefix := uniqueName("rx")
	createTopic(t, b, prefix+"-a", 1)
	createTopic(t, b, "not-"+prefix+"-b", 1) // must not match: the match is on the whole name
	produce(t, b.Addr(), prefix+"-a", 1, 5)
	produce(t, b.Addr(), "not-"+prefix+"-b", 1, 5)
	l := &recListener{}
	c, err := NewConsumer(consumerConfig(t, b.Addr(), uniqueName("group"), map[string]string{"metadata.max.age.ms": "200"}),
		Subscription{Regex: regexp.MustCompile(regexp.QuoteMeta(prefix) + "-.*")}, l)
	if err != nil {
		t.Fatal(err)
	}
	defer closeConsumer(t, c)
	for _, m := range pollN(t, c, 5, 20*time.Second) {
		if m.Topic != prefix+"-a" {
			t.Fatalf("record of %s", m.Topic)
		}
	}
	if err := c.Commit(context.Background(), map[TopicPartition]int64{{prefix + "-a", 0}: 5}); err != nil {
		t.Fatal(err)
	}
	createTopic(t, b, prefix+"-c", 1)
	produce(t, b.Addr(), prefix+"-c", 1, 5)
	for _, m := range pollN(t, c, 5, 20*time.Second) {
		if m.Topic != prefix+"-c" {
			t.Fatalf("record of %s", m.Topic)
		}
	}
	if want := []TopicPartition{{prefix + "-a", 0}, {prefix + "-c", 0}}; !slices.Equal(l.last(), want) {
		t.Fatalf("assigned %v, want %v", l.last(), want)
	}
}

func TestConsumerRebalanceTwoMembers(t *testing.T) {
	b := startBroker(t, 1)
	topic := uniqueName("rebal")
	createTopic(t, b, topic, 4)
	produce(t, b.Addr(), topic, 4, 40)
	group := uniqueName("group")

	var c1 *Consumer
	l1 := &recListener{}
	revokeCommitErr := make(chan error, 10)
	l1.onRevoke = func(parts []TopicPartition) {
		offs := map[TopicPartition]int64{}
		for _, tp := range parts {
			offs[tp] = 10 // everything produced so far: 10 per partition
		}
		revokeCommitErr <- c1.Commit(context.Background(), offs)
	}
	var err error
	c1, err = NewConsumer(consumerConfig(t, b.Addr(), group, nil), Subscription{Topics: []string{topic}}, l1)
	if err != nil {
		t.Fatal(err)
	}
	defer closeConsumer(t, c1)
	pollN(t, c1, 40, 20*time.Second)
	if len(l1.last()) != 4 {
		t.Fatalf("first member assigned %v", l1.last())
	}

	l2 := &recListener{}
	c2, err := NewConsumer(consumerConfig(t, b.Addr(), group, nil), Subscription{Topics: []string{topic}}, l2)
	if err != nil {
		t.Fatal(err)
	}
	defer closeConsumer(t, c2)

	// both members must keep polling for the rebalance to complete
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := map[string]int{}
	for _, c := range []*Consumer{c1, c2} {
		wg.Go(func() {
			for ctx.Err() == nil {
				ms, err := c.Poll(ctx, 100*time.Millisecond)
				if err != nil && ctx.Err() == nil {
					t.Error(err)
					return
				}
				mu.Lock()
				for _, m := range ms {
					got[string(m.Value)]++
				}
				mu.Unlock()
			}
		})
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && (len(l2.last()) != 2 || len(c1.Assignment()) != 2) {
		time.Sleep(50 * time.Millisecond)
	}
	if len(l2.last()) != 2 || len(c1.Assignment()) != 2 {
		cancel()
		wg.Wait()
		t.Fatalf("after rebalance: member 1 owns %v, member 2 was assigned %v", c1.Assignment(), l2.last())
	}
	if err := <-revokeCommitErr; err != nil {
		t.Fatalf("commit in Revoked: %v", err)
	}
	// nothing committed below 10 is re-read: new records only, each once
	produce(t, b.Addr(), topic, 4, 40)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if n >= 40 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	wg.Wait()
	if len(got) != 40 {
		t.Fatalf("after rebalance the group read %d distinct records, want 40", len(got))
	}
	for v, n := range got {
		if n != 1 {
			t.Errorf("%s read %d times", v, n)
		}
	}
	both := append(slices.Clone(c1.Assignment()), l2.last()...)
	sortParts(both)
	if want := []TopicPartition{{topic, 0}, {topic, 1}, {topic, 2}, {topic, 3}}; !slices.Equal(both, want) {
		t.Fatalf("assignments %v", both)
	}
}
