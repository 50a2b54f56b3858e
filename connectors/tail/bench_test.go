package tail_test

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/IBM/sarama"
)

// BenchmarkAppendLatency appends b.N lines at 10,000 lines/s (10 lines every
// millisecond) to a tailed file and measures, for each line, the time from
// its write to its arrival at a consumer of the topic: an upper bound of
// append-to-Kafka latency.
func BenchmarkAppendLatency(b *testing.B) {
	const rate = 10000
	e := newEnv(b)
	path := e.path("app.log")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	_, stop := e.startWorker(e.props(map[string]string{"paths": path}))
	defer stop()

	lat := make([]time.Duration, 0, b.N)
	var mu sync.Mutex
	done := make(chan struct{})
	go consumeLatencies(b, e, b.N, func(d time.Duration) {
		mu.Lock()
		lat = append(lat, d)
		mu.Unlock()
	}, done)
	time.Sleep(200 * time.Millisecond) // the task has opened the file

	b.ResetTimer()
	start := time.Now()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	var buf []byte
	for sent := 0; sent < b.N; {
		<-tick.C
		// Catch up with the schedule when a tick was late.
		due := min(int(time.Since(start)*rate/time.Second)+1, b.N)
		buf = buf[:0]
		for ; sent < due; sent++ {
			buf = strconv.AppendInt(append(buf, "t="...), time.Now().UnixNano(), 10)
			buf = append(buf, " payload payload payload payload payload payload payload\n"...)
		}
		if _, err := f.Write(buf); err != nil {
			b.Fatal(err)
		}
	}
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		b.Fatal("not every line arrived")
	}
	b.StopTimer()
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))]) / float64(time.Millisecond) }
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(q(1), "max-ms")
}

func consumeLatencies(b *testing.B, e *env, n int, add func(time.Duration), done chan struct{}) {
	defer close(done)
	cfg := sarama.NewConfig()
	cfg.Version = sarama.V2_8_0_0
	cfg.Consumer.MaxWaitTime = 5 * time.Millisecond
	c, err := sarama.NewConsumer([]string{e.broker.Addr()}, cfg)
	if err != nil {
		b.Error(err)
		return
	}
	defer c.Close()
	pc, err := c.ConsumePartition(e.topic, 0, sarama.OffsetOldest)
	if err != nil {
		b.Error(err)
		return
	}
	defer pc.Close()
	for got := 0; got < n; got++ {
		select {
		case m := <-pc.Messages():
			v := string(m.Value)
			ts, err := strconv.ParseInt(v[2:strings.IndexByte(v, ' ')], 10, 64)
			if err != nil {
				b.Error(err)
				return
			}
			add(time.Since(time.Unix(0, ts)))
		case <-time.After(30 * time.Second):
			return
		}
	}
}

// BenchmarkCatchUp starts the connector on a backlog (TAIL_BENCH_MB, default
// 200 MB of 100-byte lines) and measures how fast it reaches Kafka.
func BenchmarkCatchUp(b *testing.B) {
	mb := 200
	if s := os.Getenv("TAIL_BENCH_MB"); s != "" {
		mb, _ = strconv.Atoi(s)
	}
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		e := newEnv(b)
		path := e.path("backlog.log")
		lines := writeBacklog(b, path, int64(mb)<<20)
		client, err := sarama.NewClient([]string{e.broker.Addr()}, sarama.NewConfig())
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		_, stop := e.startWorker(e.props(map[string]string{"paths": path}))
		for {
			hw, err := client.GetOffset(e.topic, 0, sarama.OffsetNewest)
			if err != nil {
				b.Fatal(err)
			}
			if hw >= lines {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		el := time.Since(start)
		b.StopTimer()
		stop()
		client.Close()
		b.ReportMetric(float64(mb)/el.Seconds(), "MB/s")
		b.ReportMetric(float64(lines)/el.Seconds(), "lines/s")
	}
}

func writeBacklog(b *testing.B, path string, size int64) int64 {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	pad := strings.Repeat("x", 80)
	var n, lines int64
	for n < size {
		k, _ := fmt.Fprintf(w, "%010d %s\n", lines, pad)
		n += int64(k)
		lines++
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	return lines
}
