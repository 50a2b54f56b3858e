package kafka

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/IBM/sarama"
	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/runner/devkafka"
)

func TestMain(m *testing.M) {
	lvl := zerolog.Disabled
	if os.Getenv("KAFKA_TEST_DEBUG") != "" {
		lvl = zerolog.DebugLevel
	}
	SetupGlobals(zerolog.New(zerolog.ConsoleWriter{Out: os.Stderr}).Level(lvl))
	os.Exit(m.Run())
}

func testLogger(t testing.TB) zerolog.Logger {
	if os.Getenv("KAFKA_TEST_DEBUG") != "" {
		return zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.DebugLevel)
	}
	return zerolog.Nop()
}

// startBroker runs an in-process Kafka-protocol broker on an ephemeral port.
func startBroker(t testing.TB, partitions int) *devkafka.Broker {
	t.Helper()
	b, err := devkafka.Start(context.Background(), devkafka.Options{Listen: "127.0.0.1:0", Partitions: partitions})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func createTopic(t *testing.T, b *devkafka.Broker, name string, partitions int32) {
	t.Helper()
	if err := b.CreateTopic(context.Background(), name, partitions); err != nil {
		t.Fatal(err)
	}
}

var topicSeq atomic.Int64

func uniqueName(prefix string) string {
	return fmt.Sprintf("%s-%d", prefix, topicSeq.Add(1))
}

func mustConfig(t testing.TB, kind Kind, props map[string]string) *ClientConfig {
	t.Helper()
	cfg, err := NewClientConfig(kind, props)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Logger = testLogger(t)
	return cfg
}

func producerConfig(t testing.TB, addr string, extra map[string]string) *ClientConfig {
	props := ProducerDefaults("test", 0)
	props["bootstrap.servers"] = addr
	props["linger.ms"] = "1"
	for k, v := range extra {
		props[k] = v
	}
	return mustConfig(t, KindProducer, props)
}

// readAll reads every record of a topic with a plain sarama consumer (no
// group), independent of this package's Consumer.
func readAll(t *testing.T, addr, topic string, want int) []*sarama.ConsumerMessage {
	t.Helper()
	cfg := sarama.NewConfig()
	cfg.Version = saramaVersion
	c, err := sarama.NewConsumer([]string{addr}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	parts, err := c.Partitions(topic)
	if err != nil {
		t.Fatal(err)
	}
	var out []*sarama.ConsumerMessage
	deadline := time.After(20 * time.Second)
	for _, p := range parts {
		pc, err := c.ConsumePartition(topic, p, sarama.OffsetOldest)
		if err != nil {
			t.Fatal(err)
		}
		hw := pc.HighWaterMarkOffset()
		for hw > 0 {
			select {
			case m := <-pc.Messages():
				out = append(out, m)
				if m.Offset+1 >= hw {
					hw = 0
				}
			case <-deadline:
				t.Fatalf("timeout reading %s-%d", topic, p)
			}
		}
		pc.Close()
	}
	if want >= 0 && len(out) != want {
		t.Fatalf("read %d records from %s, want %d", len(out), topic, want)
	}
	return out
}
