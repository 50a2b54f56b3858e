package file

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/connectors/pathpolicy"
)

// TestSourceUnboundedLine: a 100 MB file without a line terminator fails
// the task with a clear error once MaxLineBytes are buffered; memory stays
// bounded by the limit (Kafka's task grows its buffer until the heap dies).
func TestSourceUnboundedLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.bin")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("ok line\n")
	chunk := bytes.Repeat([]byte{'x'}, 1<<20)
	for range 100 {
		f.Write(chunk)
	}
	f.Close()
	task := startSource(t, path, nil, "")
	var got []string
	var perr error
	for range 10000 {
		recs, err := task.Poll(context.Background())
		for _, r := range recs {
			got = append(got, r.Value.(string))
		}
		if err != nil {
			perr = err
			break
		}
	}
	if len(got) != 1 || got[0] != "ok line" {
		t.Fatalf("records before the long line: %q", got)
	}
	want := "the line at byte offset 8 of '" + path + "' is longer than 67108864 bytes without a line terminator"
	if perr == nil || !strings.Contains(perr.Error(), want) {
		t.Fatalf("error %v, want %q", perr, want)
	}
	if c := cap(task.buf); c > MaxLineBytes {
		t.Fatalf("buffer grew to %d bytes, past the %d limit", c, MaxLineBytes)
	}
}

// TestSourceBinaryInput: NUL bytes, invalid UTF-8 and lone CRs are split on
// terminators like any text and passed on byte for byte, never a panic.
func TestSourceBinaryInput(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bin")
	content := "\x00\x01\xff\xfe\n\xc3\x28\xa0\xa1\r\x80\n"
	os.WriteFile(path, []byte(content), 0o644)
	recs := pollAll(t, startSource(t, path, nil, ""))
	if v := values(recs); len(v) != 3 || v[0] != "\x00\x01\xff\xfe" || v[1] != "\xc3\x28\xa0\xa1" || v[2] != "\x80" {
		t.Fatalf("records %q", v)
	}
}

// TestFilePathPolicyAtStart: with connector.allowed.paths in the Start
// context, tasks refuse files outside it, including through a symlink
// created after validation.
func TestFilePathPolicyAtStart(t *testing.T) {
	root := t.TempDir()
	allowed, outside := filepath.Join(root, "allowed"), filepath.Join(root, "outside")
	os.Mkdir(allowed, 0o755)
	os.Mkdir(outside, 0o755)
	os.WriteFile(filepath.Join(outside, "secret"), []byte("s3cret\n"), 0o600)
	os.Symlink(filepath.Join(outside, "secret"), filepath.Join(allowed, "link"))
	os.Symlink(outside, filepath.Join(allowed, "dirlink"))
	p, err := pathpolicy.Parse(allowed)
	if err != nil {
		t.Fatal(err)
	}
	ctx := pathpolicy.NewContext(context.Background(), p)
	tc := &fakeContext{log: zerolog.Nop()}

	for _, file := range []string{filepath.Join(outside, "secret"), filepath.Join(allowed, "link"), filepath.Join(allowed, "..", "outside", "secret")} {
		src := &SourceTask{}
		if err := src.Start(ctx, tc, map[string]string{"file": file, "topic": "t"}); !errors.Is(err, pathpolicy.ErrNotAllowed) {
			t.Errorf("source Start(%s) = %v, want a refusal", file, err)
		}
	}
	for _, file := range []string{filepath.Join(outside, "new"), filepath.Join(allowed, "dirlink", "new")} {
		sink := &SinkTask{}
		if err := sink.Start(ctx, tc, map[string]string{"file": file}); !errors.Is(err, pathpolicy.ErrNotAllowed) {
			t.Errorf("sink Start(%s) = %v, want a refusal", file, err)
		}
		if _, err := os.Stat(file); err == nil {
			t.Errorf("sink created %s", file)
		}
	}

	// Validated while a regular file, swapped for a link before the open.
	name := filepath.Join(allowed, "in.txt")
	os.WriteFile(name, []byte("fine\n"), 0o644)
	src := &SourceTask{}
	if err := src.Start(ctx, tc, map[string]string{"file": name, "topic": "t"}); err != nil {
		t.Fatal(err)
	}
	defer src.Stop()
	os.Remove(name)
	os.Symlink(filepath.Join(outside, "secret"), name)
	if recs, err := src.Poll(context.Background()); !errors.Is(err, pathpolicy.ErrNotAllowed) || len(recs) != 0 {
		t.Fatalf("Poll after the swap = %v, %v; want a refusal", recs, err)
	}

	// Inside: works, and stdin/stdout (no file) are not paths.
	sink := &SinkTask{}
	if err := sink.Start(ctx, tc, map[string]string{"file": filepath.Join(allowed, "out.txt")}); err != nil {
		t.Fatal(err)
	}
	sink.Stop()
	if uses := NewSinkConnector().LocalPaths(map[string]string{}); len(uses) != 0 {
		t.Errorf("stdout declared as a path: %v", uses)
	}
	if uses := NewSourceConnector().LocalPaths(map[string]string{"file": "/x"}); len(uses) != 1 || uses[0].Key != "file" {
		t.Errorf("LocalPaths = %v", uses)
	}
}
