package runner

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/connect-go/connect-standalone/runner/devkafka"
)

// TestTailSourceMemoryBoundedWhileBrokerDown: a FileTailSource facing a
// backlog far larger than buffer.memory while Kafka is down holds about
// buffer.memory of records, not the backlog (it reads only as fast as the
// producer takes records), and delivers everything once Kafka is back.
func TestTailSourceMemoryBoundedWhileBrokerDown(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: 8 s outage and a 32 MB backlog")
	}
	b, err := devkafka.Start(context.Background(), devkafka.Options{Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	if err := b.CreateTopic(context.Background(), "tail-backlog", 1); err != nil {
		t.Fatal(err)
	}
	w, _ := newErrorsTestWorker(t, b.Addr(), map[string]string{
		"value.converter": "org.apache.kafka.connect.storage.StringConverter",
	}, testPlugins(nil))
	in := filepath.Join(t.TempDir(), "app.log")
	if err := os.WriteFile(in, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	const bufferMemory = 2 << 20
	src := map[string]string{"name": "tail", "connector.class": "FileTailSource", "paths": in, "topic": "tail-backlog",
		"producer.override.buffer.memory": fmt.Sprint(bufferMemory)}
	if _, err := w.PutConnectorConfig(context.Background(), "tail", src, TargetStarted, false); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the tail task to run", func() bool { return taskState(t, w, "tail").State == StateRunning })
	time.Sleep(500 * time.Millisecond)
	before := heapInUse()

	const outage = 8 * time.Second
	if err := b.InjectFault(devkafka.FaultDown, outage); err != nil {
		t.Fatal(err)
	}
	end := time.Now().Add(outage)
	const lines, lineBytes = 250_000, 128 // 32 MB
	f, err := os.OpenFile(in, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	pad := make([]byte, lineBytes-len("line 0000000 ")-1)
	for i := range pad {
		pad[i] = 'x'
	}
	for i := 0; i < lines; i++ {
		fmt.Fprintf(bw, "line %07d %s\n", i, pad)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	time.Sleep(time.Until(end.Add(-time.Second))) // the source has had seconds to read the backlog
	during := heapInUse()
	growth := int64(during) - int64(before)
	t.Logf("heap in use: %.1f MB before, %.1f MB with a %d MB backlog and Kafka down (buffer.memory %d MB)",
		float64(before)/1e6, float64(during)/1e6, lines*lineBytes>>20, bufferMemory>>20)
	if limit := int64(6 * bufferMemory); growth > limit {
		t.Fatalf("heap grew by %.1f MB while Kafka was down, want under %.1f MB: the backlog is being buffered",
			float64(growth)/1e6, float64(limit)/1e6)
	}
	if st := taskState(t, w, "tail"); st.State != StateRunning {
		t.Fatalf("task %s during the outage: %s", st.State, st.Trace)
	}

	time.Sleep(time.Until(end.Add(200 * time.Millisecond)))
	got := consumeTopic(t, b.Addr(), "tail-backlog", lines, 0)
	for i, m := range got {
		if want := fmt.Sprintf("line %07d ", i); string(m.Value[:len(want)]) != want {
			t.Fatalf("record %d is %.20q, want it to start with %q", i, m.Value, want)
		}
	}
}

func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}
