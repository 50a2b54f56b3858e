package file

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/data"
)

type fakeContext struct {
	offsets map[string]any // position for the file, if any
	log     zerolog.Logger
}

func (f *fakeContext) Offset(map[string]any) (map[string]any, error) { return f.offsets, nil }
func (f *fakeContext) Logger() *zerolog.Logger                       { return &f.log }

func startSource(t *testing.T, path string, offset map[string]any, batch string) *SourceTask {
	t.Helper()
	task := &SourceTask{}
	props := map[string]string{"file": path, "topic": "t"}
	if batch != "" {
		props["batch.size"] = batch
	}
	if err := task.Start(context.Background(), &fakeContext{offsets: offset, log: zerolog.Nop()}, props); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { task.Stop() })
	return task
}

// pollAll polls until a poll returns nothing.
func pollAll(t *testing.T, task *SourceTask) []*connectors.Record {
	t.Helper()
	var out []*connectors.Record
	for {
		recs, err := task.Poll(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) == 0 {
			return out
		}
		out = append(out, recs...)
	}
}

func TestSourceLineSplitting(t *testing.T) {
	tests := []struct {
		name      string
		content   string
		lines     []string
		positions []int64
	}{
		{"lf", "a\nbb\n", []string{"a", "bb"}, []int64{2, 5}},
		{"crlf", "a\r\nbb\r\n", []string{"a", "bb"}, []int64{3, 7}},
		{"lone cr", "a\rb\n", []string{"a", "b"}, []int64{2, 4}},
		{"empty lines", "\n\n", []string{"", ""}, []int64{1, 2}},
		{"no final terminator is held back", "a\nrest", []string{"a"}, []int64{2}},
		{"cr at end is held back", "a\nb\r", []string{"a"}, []int64{2}},
		{"utf-8 positions are bytes", "é\nü\n", []string{"é", "ü"}, []int64{3, 6}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "in.txt")
			os.WriteFile(path, []byte(tt.content), 0o644)
			recs := pollAll(t, startSource(t, path, nil, ""))
			if len(recs) != len(tt.lines) {
				t.Fatalf("got %d records, want %d", len(recs), len(tt.lines))
			}
			for i, r := range recs {
				if r.Value != tt.lines[i] || r.SourceOffset["position"] != tt.positions[i] {
					t.Errorf("record %d = %q@%v, want %q@%d", i, r.Value, r.SourceOffset["position"], tt.lines[i], tt.positions[i])
				}
				if r.Topic != "t" || r.ValueSchema != data.StringSchema || r.SourcePartition["filename"] != path || r.Partition != connectors.NoPartition || !r.HasTimestamp {
					t.Errorf("record %d metadata = %+v", i, r)
				}
			}
		})
	}
}

func TestSourceHeldBackTerminatorCompletes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.txt")
	os.WriteFile(path, []byte("a\r"), 0o644)
	task := startSource(t, path, nil, "")
	if recs := pollAll(t, task); len(recs) != 0 {
		t.Fatalf("a lone trailing CR emitted %d records", len(recs))
	}
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("\nb\n")
	f.Close()
	recs := pollAll(t, task)
	if len(recs) != 2 || recs[0].Value != "a" || recs[0].SourceOffset["position"] != int64(3) || recs[1].Value != "b" {
		t.Fatalf("after completing CRLF: %v", values(recs))
	}
}

func TestSourceResumeAndBatch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.txt")
	os.WriteFile(path, []byte("one\ntwo\nthree\nfour\n"), 0o644)
	task := startSource(t, path, map[string]any{"position": int64(4)}, "2")
	recs, err := task.Poll(context.Background())
	if err != nil || len(recs) != 2 || recs[0].Value != "two" || recs[1].Value != "three" {
		t.Fatalf("first batch: %v %v", values(recs), err)
	}
	if rest := pollAll(t, task); len(rest) != 1 || rest[0].Value != "four" {
		t.Fatalf("rest: %v", values(rest))
	}
}

func TestSourcePositionPastEndRereads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.txt")
	os.WriteFile(path, []byte("new\n"), 0o644)
	recs := pollAll(t, startSource(t, path, map[string]any{"position": int64(1000)}, ""))
	if len(recs) != 1 || recs[0].Value != "new" {
		t.Fatalf("truncated file: %v", values(recs))
	}
}

func TestSourceBadOffsetType(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.txt")
	os.WriteFile(path, []byte("x\n"), 0o644)
	task := startSource(t, path, map[string]any{"position": "12"}, "")
	if _, err := task.Poll(context.Background()); err == nil || err.Error() != "Offset position is the incorrect type" {
		t.Fatalf("err = %v", err)
	}
}

func TestSourceMissingFileWaits(t *testing.T) {
	path := filepath.Join(t.TempDir(), "later.txt")
	task := startSource(t, path, nil, "")
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if recs, err := task.Poll(ctx); err != nil || recs != nil {
		t.Fatalf("missing file: %v %v", recs, err)
	}
	os.WriteFile(path, []byte("here\n"), 0o644)
	if recs := pollAll(t, task); len(recs) != 1 || recs[0].Value != "here" {
		t.Fatalf("after creation: %v", values(recs))
	}
}

func TestSourceConfigErrors(t *testing.T) {
	task := &SourceTask{}
	err := task.Start(context.Background(), &fakeContext{log: zerolog.Nop()}, map[string]string{"file": "x"})
	if err == nil || !strings.Contains(err.Error(), `Missing required configuration "topic" which has no default value.`) {
		t.Fatalf("err = %v", err)
	}
}

func TestAlterOffsets(t *testing.T) {
	c := NewSourceConnector()
	props := map[string]string{"file": "f", "topic": "t"}
	tests := []struct {
		offsets []connectors.PartitionOffset
		want    string
	}{
		{[]connectors.PartitionOffset{{Partition: map[string]any{"filename": "f"}, Offset: map[string]any{"position": int64(3)}}}, ""},
		{[]connectors.PartitionOffset{{Partition: map[string]any{"filename": "f"}, Offset: nil}}, ""},
		{[]connectors.PartitionOffset{{Partition: map[string]any{"filename": "f"}, Offset: map[string]any{"x": int64(3)}}}, "Offset objects should either be null or contain the key 'position'"},
		{[]connectors.PartitionOffset{{Partition: map[string]any{"filename": "f"}, Offset: map[string]any{"position": "3"}}}, "The value for the 'position' key in the offset is expected to be a Long value"},
		{[]connectors.PartitionOffset{{Partition: map[string]any{"filename": "f"}, Offset: map[string]any{"position": int64(-1)}}}, "The value for the 'position' key in the offset should be a non-negative value"},
		{[]connectors.PartitionOffset{{Partition: nil, Offset: nil}}, "Partition objects cannot be null"},
		{[]connectors.PartitionOffset{{Partition: map[string]any{"file": "f"}, Offset: nil}}, "Partition objects should contain the key 'filename'"},
	}
	for i, tt := range tests {
		_, err := c.AlterOffsets(props, tt.offsets)
		if got := errString(err); got != tt.want {
			t.Errorf("case %d: error %q, want %q", i, got, tt.want)
		}
	}
	if _, err := c.AlterOffsets(map[string]string{"topic": "t"}, nil); err == nil || !strings.HasPrefix(err.Error(), "Offsets cannot be modified if the 'file' configuration is unspecified.") {
		t.Errorf("stdin: %v", err)
	}
}

func TestSinkWritesJavaStrings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.txt")
	os.WriteFile(path, []byte("existing\n"), 0o644) // appended to, never truncated
	task := &SinkTask{}
	if err := task.Start(context.Background(), &fakeContext{log: zerolog.Nop()}, map[string]string{"file": path}); err != nil {
		t.Fatal(err)
	}
	m := data.NewMap(3)
	m.Put("some_key", int64(0))
	m.Put("b", "x")
	m.Put("n", nil)
	recs := []*connectors.Record{{Value: "plain"}, {Value: nil}, {Value: int64(42)}, {Value: 1.0}, {Value: true}, {Value: m}, {Value: []any{"a", int64(1)}}}
	if err := task.Put(context.Background(), recs); err != nil {
		t.Fatal(err)
	}
	if err := task.Stop(); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	want := "existing\nplain\nnull\n42\n1.0\ntrue\n{b=x, some_key=0, n=null}\n[a, 1]\n"
	if string(got) != want {
		t.Fatalf("sink file:\n%q\nwant\n%q", got, want)
	}
}

func TestSinkTaskConfigs(t *testing.T) {
	c := NewSinkConnector()
	c.Start(context.Background(), map[string]string{"file": "x", "topics": "t"})
	cfgs, _ := c.TaskConfigs(3)
	if len(cfgs) != 3 || cfgs[2]["file"] != "x" {
		t.Fatalf("task configs: %v", cfgs)
	}
	s := NewSourceConnector()
	if err := s.Start(context.Background(), map[string]string{"file": "x", "topic": "t"}); err != nil {
		t.Fatal(err)
	}
	if cfgs, _ := s.TaskConfigs(5); len(cfgs) != 1 {
		t.Fatalf("source must have one task, got %d", len(cfgs))
	}
}

func values(recs []*connectors.Record) []any {
	out := make([]any, len(recs))
	for i, r := range recs {
		out[i] = r.Value
	}
	return out
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// Random mixes of '\n', '\r' and text, some larger than a read, split as
// the reference splitter does.
func TestSourceLineSplittingRandom(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		var b []byte
		for range rnd.IntN(200_000) {
			switch r := rnd.IntN(40); {
			case r == 0:
				b = append(b, '\r')
			case r < 3:
				b = append(b, '\n')
			default:
				b = append(b, 'x')
			}
		}
		b = append(b, '\n')
		var lines []string
		var positions []int64
		start := 0
		for i := 0; i < len(b); i++ {
			if b[i] != '\n' && b[i] != '\r' {
				continue
			}
			end := i + 1
			if b[i] == '\r' && i+1 < len(b) && b[i+1] == '\n' {
				end = i + 2
			}
			lines, positions = append(lines, string(b[start:i])), append(positions, int64(end))
			start, i = end, end-1
		}
		path := filepath.Join(t.TempDir(), "in.txt")
		os.WriteFile(path, b, 0o644)
		recs := pollAll(t, startSource(t, path, nil, ""))
		if len(recs) != len(lines) {
			t.Fatalf("got %d records, want %d", len(recs), len(lines))
		}
		for i, r := range recs {
			if r.Value != lines[i] || r.SourceOffset["position"] != positions[i] {
				t.Fatalf("record %d = %q@%v, want %q@%d", i, r.Value, r.SourceOffset["position"], lines[i], positions[i])
			}
		}
	}
}
