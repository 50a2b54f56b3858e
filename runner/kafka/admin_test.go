package kafka

import (
	"context"
	"errors"
	"net"
	"slices"
	"strings"
	"testing"
	"time"
)

func adminConfig(t *testing.T, addr string) *ClientConfig {
	return mustConfig(t, KindAdmin, map[string]string{"bootstrap.servers": addr, "client.id": "connector-adminclient-test-0"})
}

func newAdmin(t *testing.T, addr string) *Admin {
	t.Helper()
	a, err := NewAdmin(adminConfig(t, addr))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := a.Close(); err != nil {
			t.Error(err)
		}
	})
	return a
}

func TestAdminClusterID(t *testing.T) {
	b := startBroker(t, 1)
	a := newAdmin(t, b.Addr())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	id, err := a.ClusterID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if id != "connect-standalone-dev-kafka" {
		t.Fatalf("cluster ID %q", id)
	}
}

func TestAdminClusterIDUnreachable(t *testing.T) {
	// a port nobody listens on: connection refused at once, retried until
	// the deadline
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	a := newAdmin(t, addr)
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = a.ClusterID(ctx)
	took := time.Since(start)
	if err == nil {
		t.Fatal("ClusterID of an unreachable cluster succeeded")
	}
	if !errors.Is(err, ErrClusterUnreachable) ||
		!strings.HasPrefix(err.Error(), "Failed to connect to and describe Kafka cluster. Check worker's broker connection and security properties.") {
		t.Fatalf("error: %v", err)
	}
	if took < time.Second || took > 4*time.Second {
		t.Fatalf("ClusterID gave up after %v, the deadline was 1.5s", took)
	}
	t.Log(err)
}

func TestAdminCreateTopicsIdempotent(t *testing.T) {
	b := startBroker(t, 3)
	createTopic(t, b, "pre-existing", 1)
	a := newAdmin(t, b.Addr())
	ctx := context.Background()
	topics := []NewTopic{
		{Name: "t-explicit", Partitions: 5, ReplicationFactor: 1, Configs: map[string]string{"cleanup.policy": "compact"}},
		{Name: "t-defaults", Partitions: -1, ReplicationFactor: -1},
		{Name: "pre-existing", Partitions: 1, ReplicationFactor: 1},
	}
	created, existing, err := a.CreateTopics(ctx, topics)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(created, []string{"t-explicit", "t-defaults"}) || !slices.Equal(existing, []string{"pre-existing"}) {
		t.Fatalf("created %v existing %v", created, existing)
	}
	created, existing, err = a.CreateTopics(ctx, topics)
	if err != nil || len(created) != 0 || len(existing) != 3 {
		t.Fatalf("second CreateTopics: created %v existing %v err %v", created, existing, err)
	}
	list, err := a.ListTopics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if list["t-explicit"].Partitions != 5 || list["t-defaults"].Partitions != 3 || list["t-explicit"].ReplicationFactor != 1 {
		t.Fatalf("topics %+v", list)
	}
	if _, _, err := a.CreateTopics(ctx, []NewTopic{{Name: "bad", Partitions: 0, ReplicationFactor: 1}}); err == nil {
		t.Fatal("topic with 0 partitions created")
	}
}

func TestAdminConsumerGroupOffsets(t *testing.T) {
	b := startBroker(t, 1)
	createTopic(t, b, "offs", 2)
	a := newAdmin(t, b.Addr())
	ctx := context.Background()
	group := uniqueName("connect-sink")

	got, err := a.ConsumerGroupOffsets(ctx, group)
	if err != nil || len(got) != 0 {
		t.Fatalf("offsets of an unknown group: %v, %v", got, err)
	}
	want := map[TopicPartition]int64{{"offs", 0}: 12, {"offs", 1}: 7}
	if err := a.AlterConsumerGroupOffsets(ctx, group, want); err != nil {
		t.Fatal(err)
	}
	got, err = a.ConsumerGroupOffsets(ctx, group)
	if err != nil || len(got) != 2 || got[TopicPartition{"offs", 0}] != 12 || got[TopicPartition{"offs", 1}] != 7 {
		t.Fatalf("offsets after alter: %v, %v", got, err)
	}
	if err := a.DeleteConsumerGroupOffsets(ctx, group, []TopicPartition{{"offs", 1}}); err != nil {
		t.Fatal(err)
	}
	got, err = a.ConsumerGroupOffsets(ctx, group)
	if err != nil || len(got) != 1 || got[TopicPartition{"offs", 0}] != 12 {
		t.Fatalf("offsets after delete: %v, %v", got, err)
	}

	// a group with an active member refuses changes
	c, err := NewConsumer(consumerConfig(t, b.Addr(), group, nil), Subscription{Topics: []string{"offs"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(c.Assignment()) == 0 && time.Now().Before(deadline) {
		if _, err := c.Poll(ctx, 100*time.Millisecond); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.DeleteConsumerGroup(ctx, group); !errors.Is(err, ErrGroupNotEmpty) {
		t.Fatalf("delete of an active group: %v", err)
	}
	closeConsumer(t, c)

	if err := a.DeleteConsumerGroup(ctx, group); err != nil {
		t.Fatal(err)
	}
	got, err = a.ConsumerGroupOffsets(ctx, group)
	if err != nil || len(got) != 0 {
		t.Fatalf("offsets after group delete: %v, %v", got, err)
	}
	if err := a.DeleteConsumerGroup(ctx, group); err != nil {
		t.Fatalf("delete of an unknown group: %v", err)
	}
}
