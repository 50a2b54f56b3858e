package runner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connect-go/connect-standalone/runner/devkafka"
	"github.com/connect-go/connect-standalone/runner/kafka"
)

// TestSourceBrokerOutage: a FileStreamSource keeps running through a 10 s
// outage of the broker while lines keep arriving; afterwards every line is
// in the topic, in order (exactly once with the idempotent producer, at
// least once without).
func TestSourceBrokerOutage(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: 10 s outage")
	}
	for _, tc := range []struct {
		name       string
		fault      devkafka.Fault
		idempotent bool
	}{
		{"down", devkafka.FaultDown, false},
		{"down-idempotent", devkafka.FaultDown, true},
		{"leader-unavailable", devkafka.FaultProduceLeaderUnavailable, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := devkafka.Start(context.Background(), devkafka.Options{Listen: "127.0.0.1:0"})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { b.Close() })
			if err := b.CreateTopic(context.Background(), "outage", 1); err != nil {
				t.Fatal(err)
			}
			w, logs := newErrorsTestWorker(t, b.Addr(), map[string]string{
				"value.converter": "org.apache.kafka.connect.storage.StringConverter",
			}, testPlugins(nil))
			in := filepath.Join(t.TempDir(), "in.txt")
			os.WriteFile(in, nil, 0o644)
			src := map[string]string{"name": "src", "connector.class": "FileStreamSource", "file": in, "topic": "outage",
				"producer.override.enable.idempotence": fmt.Sprint(tc.idempotent)}
			if _, err := w.PutConnectorConfig(context.Background(), "src", src, TargetStarted, false); err != nil {
				t.Fatal(err)
			}
			const total = 1200
			var wg sync.WaitGroup
			wg.Go(func() { // 1200 lines over 12 s
				f, _ := os.OpenFile(in, os.O_APPEND|os.O_WRONLY, 0)
				defer f.Close()
				for i := 0; i < total; i++ {
					fmt.Fprintf(f, "line %d\n", i)
					time.Sleep(10 * time.Millisecond)
				}
			})
			time.Sleep(time.Second)
			const outage = 10 * time.Second
			if err := b.InjectFault(tc.fault, outage); err != nil {
				t.Fatal(err)
			}
			end := time.Now().Add(outage)
			for time.Now().Before(end) {
				if st := taskState(t, w, "src"); st.State != StateRunning {
					t.Fatalf("task %s during the outage: %s", st.State, st.Trace)
				}
				time.Sleep(100 * time.Millisecond)
			}
			wg.Wait()
			got := consumeTopic(t, b.Addr(), "outage", total, 0)
			// consumeTopic stops at total; read what duplicates may follow.
			got = append(got, consumeTopicFrom(t, b.Addr(), "outage", len(got))...)
			recovered := time.Since(end)
			seen := map[string]bool{}
			next := 0
			for _, m := range got {
				v := string(m.Value)
				if seen[v] {
					if tc.idempotent {
						t.Fatalf("duplicate %q with the idempotent producer", v)
					}
					continue
				}
				if v != fmt.Sprintf("line %d", next) {
					t.Fatalf("record %q out of order, want line %d", v, next)
				}
				seen[v] = true
				next++
			}
			if next != total {
				t.Fatalf("%d distinct lines, want %d", next, total)
			}
			t.Logf("%s: %d records (%d duplicates), all present %v after the outage ended", tc.name, len(got), len(got)-total, recovered.Round(time.Millisecond))
			if tc.fault == devkafka.FaultDown && !strings.Contains(logs.String(), "Kafka has not acknowledged any record for a while") {
				t.Error("no periodic warning during the outage")
			}
		})
	}
}

// consumeTopicFrom returns the records after the first skip ones, reading
// until the topic is quiet for a second.
func consumeTopicFrom(t *testing.T, broker, topic string, skip int) []*kafka.ConsumedMessage {
	all := consumeTopic(t, broker, topic, -1, time.Second)
	if len(all) <= skip {
		return nil
	}
	return all[skip:]
}

// TestSinkBrokerOutage: a FileStreamSink stays RUNNING while the broker is
// down and resumes consuming, in order, once it is back.
func TestSinkBrokerOutage(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: 8 s outage")
	}
	b, err := devkafka.Start(context.Background(), devkafka.Options{Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	if err := b.CreateTopic(context.Background(), "sink-outage", 1); err != nil {
		t.Fatal(err)
	}
	var values []string
	for i := 0; i < 400; i++ {
		values = append(values, fmt.Sprintf("v%d", i))
	}
	produceValues(t, b.Addr(), "sink-outage", values[:200])
	w, _ := newErrorsTestWorker(t, b.Addr(), map[string]string{"consumer.session.timeout.ms": "30000"}, testPlugins(nil))
	out := filepath.Join(t.TempDir(), "out.txt")
	sink := map[string]string{"name": "snk", "connector.class": "FileStreamSink", "file": out, "topics": "sink-outage",
		"value.converter": "org.apache.kafka.connect.storage.StringConverter"}
	if _, err := w.PutConnectorConfig(context.Background(), "snk", sink, TargetStarted, false); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "200 records", func() bool { return countLines(out) >= 200 })
	const outage = 8 * time.Second
	if err := b.InjectFault(devkafka.FaultDown, outage); err != nil {
		t.Fatal(err)
	}
	end := time.Now().Add(outage)
	for time.Now().Before(end) {
		if st := taskState(t, w, "snk"); st.State != StateRunning {
			t.Fatalf("task %s during the outage: %s", st.State, st.Trace)
		}
		time.Sleep(100 * time.Millisecond)
	}
	produceValues(t, b.Addr(), "sink-outage", values[200:])
	waitFor(t, "the last record", func() bool { // at least once: a re-read prefix may come first
		b, _ := os.ReadFile(out)
		return strings.HasSuffix(string(b), "\nv399\n")
	})
	t.Logf("sink caught up %v after the outage ended", time.Since(end).Round(time.Millisecond))
	got, _ := os.ReadFile(out)
	lines := strings.Split(strings.TrimSuffix(string(got), "\n"), "\n")
	next := 0
	for _, l := range lines { // at least once: a re-read prefix may repeat
		if l == values[next] {
			next++
		} else if idx := slices.Index(values, l); idx < 0 || idx > next {
			t.Fatalf("line %q out of order (next expected %s)", l, values[next])
		}
	}
	if next != 400 {
		t.Fatalf("%d of 400 records in order", next)
	}
}
