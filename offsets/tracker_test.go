package offsets

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/connect-go/connect-standalone/connectors"
)

func part(name string) map[string]any { return map[string]any{"filename": name} }
func pos(p int64) map[string]any      { return map[string]any{"position": p} }

// TestTrackerSemantics replays SubmittedRecordsTest-style scenarios. Each op
// is "s <partition> <pos>" (submit), "a <n>" (ack the n-th submitted record),
// "d <n>" (drop it) or "c <want>" (Committable, want = "partition=pos ..."
// in first-submission order, plus "/pending").
func TestTrackerSemantics(t *testing.T) {
	for _, tc := range []struct {
		name string
		ops  []string
	}{
		{"nothing submitted", []string{"c /0"}},
		{"unacked blocks", []string{"s A 1", "c /1"}},
		{"in order", []string{"s A 1", "s A 2", "a 0", "c A=1 /1", "a 1", "c A=2 /0", "c /0"}},
		{"ack out of order", []string{"s A 1", "s A 2", "s A 3", "a 2", "a 1", "c /3", "a 0", "c A=3 /0"}},
		{"partitions are independent", []string{"s A 1", "s B 10", "s A 2", "s B 11", "a 1", "a 2", "c B=10 /3", "a 0", "c A=2 /1", "a 3", "c B=11 /0"}},
		{"dropped head does not block", []string{"s A 1", "s A 2", "d 0", "c /1", "a 1", "c A=2 /0"}},
		{"dropped record's offset is never committed", []string{"s A 1", "s A 2", "a 0", "d 1", "c A=1 /0"}},
		{"only dropped", []string{"s A 1", "d 0", "c /0"}},
		{"drop in the middle", []string{"s A 1", "s A 2", "s A 3", "d 1", "a 2", "c /2", "a 0", "c A=3 /0"}},
		{"ack after drop and drop after ack are no-ops", []string{"s A 1", "s A 2", "d 0", "a 0", "a 1", "d 1", "a 1", "c A=2 /0"}},
		{"nil offset is committed as a reset", []string{"s A -", "a 0", "c A=nil /0"}},
		{"nil partition", []string{"s - 1", "a 0", "c -=1 /0"}},
		{"committed then resubmitted", []string{"s A 1", "a 0", "c A=1 /0", "s A 2", "c /1", "a 1", "c A=2 /0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := NewTracker()
			var subs []*Submitted
			for _, op := range tc.ops {
				var kind, a, b string
				fmt.Sscan(op, &kind, &a, &b)
				switch kind {
				case "s":
					var p, o map[string]any
					if a != "-" {
						p = part(a)
					}
					if b != "-" {
						var n int64
						fmt.Sscan(b, &n)
						o = pos(n)
					}
					subs = append(subs, tr.Submit(p, o))
				case "a", "d":
					var n int
					fmt.Sscan(a, &n)
					if kind == "a" {
						subs[n].Ack()
					} else {
						subs[n].Drop()
					}
				case "c":
					offs, pending := tr.Committable()
					if got, want := render(offs, pending), op[2:]; got != want {
						t.Fatalf("after %v: Committable = %q, want %q", op, got, want)
					}
				}
			}
		})
	}
}

func render(offs []connectors.PartitionOffset, pending int) string {
	s := ""
	for _, po := range offs {
		name := "-"
		if po.Partition != nil {
			name = po.Partition["filename"].(string)
		}
		if po.Offset == nil {
			s += name + "=nil "
		} else {
			s += fmt.Sprintf("%s=%d ", name, po.Offset["position"])
		}
	}
	return s + fmt.Sprintf("/%d", pending)
}

// Equal partition maps are one partition even when they are different maps
// with keys in another order or other integer types (same JSON key bytes).
func TestTrackerPartitionIdentity(t *testing.T) {
	tr := NewTracker()
	tr.Submit(map[string]any{"a": 1, "b": "x"}, pos(1)).Ack()
	tr.Submit(map[string]any{"b": "x", "a": int64(1)}, pos(2)).Ack()
	tr.Submit(map[string]any{"a": 1.0, "b": "x"}, pos(3)).Ack() // 1.0 is another key in JSON
	offs, _ := tr.Committable()
	if len(offs) != 2 || offs[0].Offset["position"] != int64(2) || offs[1].Offset["position"] != int64(3) {
		t.Errorf("Committable = %v", offs)
	}
}

func TestTrackerConcurrentAcks(t *testing.T) {
	tr := NewTracker()
	const n = 10000
	subs := make(chan *Submitted, 100)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for s := range subs {
				s.Ack()
			}
		})
	}
	last := int64(-1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			offs, pending := tr.Committable()
			for _, po := range offs {
				p := po.Offset["position"].(int64)
				if p <= last {
					t.Errorf("offset went backwards: %d after %d", p, last)
				}
				last = p
			}
			if last == n-1 && pending == 0 {
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	for i := range n {
		subs <- tr.Submit(part("f"), pos(int64(i)))
	}
	close(subs)
	wg.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := tr.AwaitAll(ctx); err != nil {
		t.Fatal(err)
	}
	<-done
}

func TestTrackerAwaitAll(t *testing.T) {
	tr := NewTracker()
	if err := tr.AwaitAll(context.Background()); err != nil {
		t.Fatalf("AwaitAll with nothing submitted = %v", err)
	}
	a := tr.Submit(part("a"), pos(1))
	b := tr.Submit(part("a"), pos(2))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := tr.AwaitAll(ctx); err != context.DeadlineExceeded {
		t.Fatalf("AwaitAll with unacked records = %v", err)
	}
	res := make(chan error)
	go func() { res <- tr.AwaitAll(context.Background()) }()
	a.Ack()
	select {
	case err := <-res:
		t.Fatalf("AwaitAll returned %v with a record outstanding", err)
	case <-time.After(20 * time.Millisecond):
	}
	if tr.Outstanding() != 1 {
		t.Errorf("Outstanding = %d", tr.Outstanding())
	}
	b.Drop()
	if err := <-res; err != nil {
		t.Fatal(err)
	}
	offs, pending := tr.Committable()
	if !reflect.DeepEqual(offs, []connectors.PartitionOffset{{Partition: part("a"), Offset: pos(1)}}) || pending != 0 {
		t.Errorf("Committable = %v, %d", offs, pending)
	}
}

// BenchmarkTrackerSubmitAck is the per-record cost on the task's hot path:
// Submit, Ack (as from a producer callback), and a commit every 1000 records.
func BenchmarkTrackerSubmitAck(b *testing.B) {
	for _, bc := range []struct {
		name string
		p    map[string]any
	}{
		{"1key", part("/var/log/app.log")},
		{"3keys", map[string]any{"db": "shop", "table": "orders", "shard": int64(3)}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			tr := NewTracker()
			offs := make([]map[string]any, 1000)
			for i := range offs {
				offs[i] = pos(int64(i))
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				tr.Submit(bc.p, offs[i%1000]).Ack()
				i++
				if i%1000 == 0 {
					tr.Committable()
				}
			}
		})
	}
}

// BenchmarkTrackerCommit10kPartitions: one Committable over 10,000 partitions
// with 10 acked records each.
func BenchmarkTrackerCommit10kPartitions(b *testing.B) {
	parts := make([]map[string]any, 10000)
	for i := range parts {
		parts[i] = part(fmt.Sprintf("/data/file-%05d.txt", i))
	}
	off := pos(1)
	tr := NewTracker()
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		for r := range 10 {
			for _, p := range parts {
				s := tr.Submit(p, off)
				if r < 9 {
					s.Ack()
				}
			}
		}
		b.StartTimer()
		if offs, pending := tr.Committable(); len(offs) != 10000 || pending != 10000 {
			b.Fatalf("%d offsets, %d pending", len(offs), pending)
		}
		b.StopTimer()
		for _, q := range tr.order {
			q.recs[q.head].Ack()
		}
		tr.Committable()
		b.StartTimer()
	}
}
