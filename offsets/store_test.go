package offsets

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/offsets/javaser"
)

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func mapsEqual(a, b map[string]any) bool {
	if (a == nil) != (b == nil) {
		return false
	}
	return reflect.DeepEqual(a, b)
}

func fileSource(name string, pos int64) connectors.PartitionOffset {
	return connectors.PartitionOffset{
		Partition: map[string]any{"filename": name},
		Offset:    map[string]any{"position": pos},
	}
}

var bg = context.Background()

func TestStoreRoundTrip(t *testing.T) {
	for _, format := range []Format{FormatNative, FormatJava} {
		t.Run(format.String(), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "connect.offsets")
			s, err := OpenFileWithFormat(path, format)
			must(t, err)
			if got, _ := s.Get("c", map[string]any{"filename": "a"}); got != nil {
				t.Fatalf("Get on new store = %v", got)
			}
			if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
				t.Fatalf("OpenFile created the file: %v", err)
			}
			must(t, s.Set(bg, "c", []connectors.PartitionOffset{fileSource("a", 1), fileSource("b", 2)}))
			must(t, s.Set(bg, "c", []connectors.PartitionOffset{fileSource("a", 3)}))
			must(t, s.Set(bg, "c", []connectors.PartitionOffset{{Partition: map[string]any{"filename": "b"}}}))
			must(t, s.Set(bg, "d", []connectors.PartitionOffset{{
				Partition: map[string]any{"z": int32(1), "a": true, "m": 2.5},
				Offset:    map[string]any{"f": 1.0, "i": int64(-7), "s": "x\ny", "n": nil, "b": []byte{1, 2}},
			}}))
			must(t, s.Close())
			if err := s.Set(bg, "c", nil); !errors.Is(err, ErrClosed) {
				t.Errorf("Set after Close = %v, want ErrClosed", err)
			}

			s, err = OpenFile(path) // the existing file's format wins
			must(t, err)
			defer s.Close()
			if s.Format() != format {
				t.Errorf("reopened format = %v, want %v", s.Format(), format)
			}
			for _, tc := range []struct {
				conn string
				part map[string]any
				want map[string]any
			}{
				{"c", map[string]any{"filename": "a"}, map[string]any{"position": int64(3)}},
				{"c", map[string]any{"filename": "b"}, nil},
				{"c", map[string]any{"filename": "zz"}, nil},
				{"d", map[string]any{"a": true, "m": 2.5, "z": int64(1)}, map[string]any{"f": 1.0, "i": int64(-7), "s": "x\ny", "n": nil, "b": "AQI="}},
			} {
				got, err := s.Get(tc.conn, tc.part)
				if err != nil || !mapsEqual(got, tc.want) {
					t.Errorf("Get(%s, %v) = %#v, %v; want %#v", tc.conn, tc.part, got, err, tc.want)
				}
			}
			if got := s.Partitions("c"); !reflect.DeepEqual(got, []map[string]any{{"filename": "a"}}) {
				t.Errorf("Partitions(c) = %v", got)
			}
			if got := s.Partitions("nope"); len(got) != 0 {
				t.Errorf("Partitions(nope) = %v", got)
			}
		})
	}
}

// TestNativeGolden pins the native format byte for byte.
func TestNativeGolden(t *testing.T) {
	path := filepath.Join(t.TempDir(), "offsets.json")
	s, err := OpenFile(path)
	must(t, err)
	must(t, s.Set(bg, "local-file-source", []connectors.PartitionOffset{
		fileSource("/tmp/test.txt", 12),
		{Partition: map[string]any{"filename": "/tmp/old.txt"}},
	}))
	must(t, s.Set(bg, "jdbc", []connectors.PartitionOffset{{
		Partition: map[string]any{"table": "orders", "db": "shop"},
		Offset:    map[string]any{"ts": 1.5e-7, "id": int64(42), "note": "tab\there \"q\" é"},
	}}))
	must(t, s.Close())
	got, _ := os.ReadFile(path)
	golden := "testdata/native-v1.json"
	if *update {
		must(t, os.WriteFile(golden, got, 0o644))
	}
	want, err := os.ReadFile(golden)
	must(t, err)
	if !bytes.Equal(got, want) {
		t.Errorf("native file differs from %s:\n%s", golden, got)
	}
	// And the golden file loads.
	copyFile(t, golden, path)
	s, err = OpenFile(path)
	must(t, err)
	if off, _ := s.Get("jdbc", map[string]any{"db": "shop", "table": "orders"}); off["id"] != int64(42) || off["ts"] != 1.5e-7 {
		t.Errorf("golden Get = %v", off)
	}
}

// TestNativeEdgeEntries covers entries only imported data can have.
func TestNativeEdgeEntries(t *testing.T) {
	path := filepath.Join(t.TempDir(), "o")
	for _, tc := range []struct {
		name    string
		entries []javaser.Entry
	}{
		{"binary key and value", []javaser.Entry{{Key: []byte{0xff, 0}, Value: []byte{0xfe}}}},
		{"non-compact JSON", []javaser.Entry{{Key: []byte(`[ "c", {"a":1} ]`), Value: []byte(`{ "p": 1 }`)}}},
		{"value literally null text", []javaser.Entry{{Key: []byte(`["c",{"a":1}]`), Value: []byte(`null`)}}},
		{"empty value", []javaser.Entry{{Key: []byte(`["c",{"a":1}]`), Value: []byte{}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			must(t, os.WriteFile(path, encodeNative(tc.entries, nil), 0o644))
			s, err := OpenFile(path)
			must(t, err)
			if len(s.entries) != len(tc.entries) {
				t.Fatalf("loaded %d entries", len(s.entries))
			}
			for i, e := range s.entries {
				if !bytes.Equal(e.key, tc.entries[i].Key) || !bytes.Equal(e.value, tc.entries[i].Value) || (e.value == nil) != (tc.entries[i].Value == nil) {
					t.Errorf("entry %d = %q/%q, want %q/%q", i, e.key, e.value, tc.entries[i].Key, tc.entries[i].Value)
				}
			}
		})
	}
}

// TestJavaKeyOrder: a JVM worker may have written a multi-key partition in
// any key order; lookups must hit it and writes must keep its bytes.
func TestJavaKeyOrder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "o")
	javaKey := []byte(`["jdbc",{"table":"t1","db":"d","shard":3}]`)
	must(t, os.WriteFile(path, javaser.WriteHashMap([]javaser.Entry{
		{Key: javaKey, Value: []byte(`{"id":1}`)},
		{Key: []byte(`not json`), Value: []byte(`{"x":1}`)},
		{Key: nil, Value: []byte(`{"nullkey":1}`)},
	}), 0o644))
	s, err := OpenFile(path)
	must(t, err)
	part := map[string]any{"db": "d", "shard": int32(3), "table": "t1"}
	if got, _ := s.Get("jdbc", part); got["id"] != int64(1) {
		t.Fatalf("Get = %v", got)
	}
	must(t, s.Set(bg, "jdbc", []connectors.PartitionOffset{{Partition: part, Offset: map[string]any{"id": int64(2)}}}))
	if got := s.Partitions("jdbc"); !reflect.DeepEqual(got, []map[string]any{{"db": "d", "shard": int64(3), "table": "t1"}}) {
		t.Errorf("Partitions = %v", got)
	}
	must(t, s.Close())
	raw, _ := os.ReadFile(path)
	entries, err := javaser.ReadHashMap(raw)
	must(t, err)
	want := []javaser.Entry{
		{Key: javaKey, Value: []byte(`{"id":2}`)},
		{Key: []byte(`not json`), Value: []byte(`{"x":1}`)},
		{Key: nil, Value: []byte(`{"nullkey":1}`)},
	}
	if !reflect.DeepEqual(entries, want) {
		t.Errorf("rewritten entries = %q, want %q", entries, want)
	}
}

func TestDuplicateCanonicalKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "o")
	k1, k2 := []byte(`["c",{"a":1,"b":2}]`), []byte(`["c",{"b":2,"a":1}]`)
	must(t, os.WriteFile(path, javaser.WriteHashMap([]javaser.Entry{
		{Key: k2, Value: []byte(`{"p":1}`)},
		{Key: k1, Value: []byte(`{"p":2}`)},
		{Key: k1, Value: []byte(`{"p":3}`)}, // same bytes twice: the later wins, as in Kafka's load
	}), 0o644))
	s, err := OpenFile(path)
	must(t, err)
	part := map[string]any{"a": 1, "b": 2}
	if got, _ := s.Get("c", part); got["p"] != int64(3) {
		t.Errorf("Get = %v, want the exact-bytes entry p=3", got)
	}
	must(t, s.Set(bg, "c", []connectors.PartitionOffset{{Partition: part, Offset: map[string]any{"p": int64(9)}}}))
	for _, e := range s.entries {
		if string(e.value) != `{"p":9}` {
			t.Errorf("entry %s = %s; every spelling of the key must be updated", e.key, e.value)
		}
	}
	if got := s.Partitions("c"); len(got) != 1 {
		t.Errorf("Partitions = %v, want one", got)
	}
}

func TestOpenErrors(t *testing.T) {
	valid := javaser.WriteHashMap([]javaser.Entry{{Key: []byte(`["c",{"f":"a"}]`), Value: []byte(`{"position":1}`)}})
	nativeValid := encodeNative([]javaser.Entry{{Key: []byte(`["c",{"f":"a"}]`), Value: []byte(`{"position":1}`)}}, nil)
	javaString := []byte{0xac, 0xed, 0, 5, 0x74, 0, 2, 'h', 'i'}
	for _, tc := range []struct {
		name    string
		content []byte
		want    []string
	}{
		{"zero length", []byte{}, []string{"is empty (0 bytes)", "move it away"}},
		{"truncated java", valid[:len(valid)-10], []string{"is truncated", "truncated at byte", "restore it from a backup"}},
		{"truncated java header", valid[:3], []string{"is truncated"}},
		{"bad java header", []byte{0xac, 0xed, 0, 4, 0x73}, []string{"invalid stream header: ACED0004"}},
		{"wrong class", javaString, []string{"expected HashMap but found java.lang.String"}},
		{"garbage", []byte("hello world"), []string{"invalid stream header 68656C6C"}},
		{"truncated native", nativeValid[:len(nativeValid)-6], []string{"is truncated"}},
		{"native wrong format name", []byte(`{"format":"other","version":1,"entries":[]}`), []string{`"format"`}},
		{"native other JSON", []byte(`{"a":1}`), []string{`"format"`}},
		{"native future version", []byte(`{"format":"connect-standalone-offsets","version":2,"entries":[]}`), []string{"unsupported format version 2"}},
		{"native trailing data", append(bytes.Clone(nativeValid), "x"...), []string{"unexpected data after"}},
		{"native entry without key", []byte(`{"format":"connect-standalone-offsets","version":1,"entries":[{"value":null}]}`), []string{"entry 0 needs exactly one of \"key\""}},
		{"native entry without value", []byte(`{"format":"connect-standalone-offsets","version":1,"entries":[{"key":"k"}]}`), []string{"entry 0 needs exactly one of \"value\""}},
		{"native bad JSON", []byte(`{"format":"connect-standalone-offsets",,}`), []string{"invalid JSON"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "my.offsets")
			must(t, os.WriteFile(path, tc.content, 0o644))
			_, err := OpenFile(path)
			if err == nil {
				t.Fatal("OpenFile succeeded")
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error does not name the file: %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if !errors.Is(err, ErrCorrupt) {
				t.Errorf("error is not ErrCorrupt: %v", err)
			}
			// Never a silent reset: the file is untouched.
			if b, _ := os.ReadFile(path); !bytes.Equal(b, tc.content) {
				t.Error("file was modified")
			}
		})
	}

	t.Run("directory", func(t *testing.T) {
		dir := t.TempDir()
		if _, err := OpenFile(dir); err == nil || !strings.Contains(err.Error(), dir) {
			t.Errorf("OpenFile(dir) = %v", err)
		}
	})
	t.Run("unreadable", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root can read any file")
		}
		path := filepath.Join(t.TempDir(), "o")
		must(t, os.WriteFile(path, valid, 0o000))
		if _, err := OpenFile(path); err == nil || !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), path) {
			t.Errorf("OpenFile(unreadable) = %v", err)
		}
	})
}

func TestValidation(t *testing.T) {
	s, err := OpenFile(filepath.Join(t.TempDir(), "o"))
	must(t, err)
	for _, tc := range []struct {
		po   connectors.PartitionOffset
		want string
	}{
		{connectors.PartitionOffset{Partition: map[string]any{"a": []any{1}}}, "field a contains ARRAY"},
		{connectors.PartitionOffset{Partition: map[string]any{"a": "x"}, Offset: map[string]any{"m": map[string]any{}}}, "field m contains MAP"},
		{connectors.PartitionOffset{Partition: map[string]any{"a": "x"}, Offset: map[string]any{"t": struct{}{}}}, "field t contains struct {}"},
	} {
		err := s.Set(bg, "c", []connectors.PartitionOffset{fileSource("ok", 1), tc.po})
		if !errors.Is(err, ErrInvalidOffset) || !strings.Contains(err.Error(), "Offsets may only contain primitive types as values, but "+tc.want) {
			t.Errorf("Set(%v) = %v", tc.po, err)
		}
	}
	if got, _ := s.Get("c", map[string]any{"filename": "ok"}); got != nil {
		t.Errorf("a rejected batch was partly applied: %v", got)
	}
	if _, err := s.Get("c", map[string]any{"a": []any{}}); !errors.Is(err, ErrInvalidOffset) {
		t.Errorf("Get with invalid partition = %v", err)
	}
}

func TestGetNonObjectValue(t *testing.T) {
	path := filepath.Join(t.TempDir(), "o")
	must(t, os.WriteFile(path, javaser.WriteHashMap([]javaser.Entry{{Key: []byte(`["c",{"a":"b"}]`), Value: []byte(`[1]`)}}), 0o644))
	s, err := OpenFile(path)
	must(t, err)
	if _, err := s.Get("c", map[string]any{"a": "b"}); err == nil || !strings.Contains(err.Error(), "not an object") || !strings.Contains(err.Error(), path) {
		t.Errorf("Get = %v", err)
	}
}

func TestSymlinkedFile(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.offsets")
	link := filepath.Join(dir, "link.offsets")
	s, err := OpenFile(real)
	must(t, err)
	must(t, s.Set(bg, "c", []connectors.PartitionOffset{fileSource("a", 1)}))
	must(t, os.Symlink(real, link))
	s, err = OpenFile(link)
	must(t, err)
	must(t, s.Set(bg, "c", []connectors.PartitionOffset{fileSource("a", 2)}))
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("the symlink was replaced: %v", err)
	}
	s, err = OpenFile(real)
	must(t, err)
	if got, _ := s.Get("c", map[string]any{"filename": "a"}); got["position"] != int64(2) {
		t.Errorf("Get = %v", got)
	}
}

// faultFS wraps the real file system and fails (or "crashes": stops without
// any cleanup) at a chosen step of a write.
type faultFS struct {
	osFS
	mu     sync.Mutex
	failAt string // step name
	err    error
	crash  bool // simulate process death: leave everything as it is
	dead   bool // crashed: later calls (deferred cleanup) do nothing
	steps  []string
	writes int // completed renames
}

type crashed struct{}

var errDead = errors.New("process is dead")

func (f *faultFS) step(name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.steps = append(f.steps, name)
	if f.dead {
		return errDead
	}
	if f.failAt != name {
		return nil
	}
	if f.crash {
		f.dead = true
		panic(crashed{})
	}
	return f.err
}

func (f *faultFS) CreateTemp(dir, pattern string) (tempFile, error) {
	if err := f.step("create"); err != nil {
		return nil, err
	}
	tf, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return &faultFile{File: tf, fs: f}, nil
}

func (f *faultFS) Rename(o, n string) error {
	if err := f.step("rename"); err != nil {
		return err
	}
	if err := os.Rename(o, n); err != nil {
		return err
	}
	f.mu.Lock()
	f.writes++
	f.mu.Unlock()
	return nil
}

func (f *faultFS) SyncDir(dir string) error {
	if err := f.step("syncdir"); err != nil {
		return err
	}
	return f.osFS.SyncDir(dir)
}

func (f *faultFS) Remove(name string) error {
	if err := f.step("remove"); err != nil {
		return err
	}
	return os.Remove(name)
}

type faultFile struct {
	*os.File
	fs *faultFS
}

func (f *faultFile) Write(p []byte) (int, error) {
	if f.fs.failAt == "write" {
		// A torn write: half the data reaches the temp file first.
		n, _ := f.File.Write(p[:len(p)/2])
		if err := f.fs.step("write"); err != nil {
			return n, err
		}
	}
	_ = f.fs.step("write")
	return f.File.Write(p)
}

func (f *faultFile) Chmod(m fs.FileMode) error {
	if err := f.fs.step("chmod"); err != nil {
		return err
	}
	return f.File.Chmod(m)
}

func (f *faultFile) Sync() error {
	if err := f.fs.step("sync"); err != nil {
		return err
	}
	return f.File.Sync()
}

func (f *faultFile) Close() error {
	if err := f.fs.step("close"); err != nil {
		_ = f.File.Close()
		return err
	}
	return f.File.Close()
}

var writeSteps = []string{"create", "write", "chmod", "sync", "close", "rename", "syncdir"}

// TestWriteFaults fails every step of a write: the error names the file, the
// file on disk is the old or the new complete one, no temp file is left, and
// the next write succeeds with all data.
func TestWriteFaults(t *testing.T) {
	for _, crash := range []bool{false, true} {
		for _, step := range writeSteps {
			t.Run(fmt.Sprintf("%s/crash=%v", step, crash), func(t *testing.T) {
				dir := t.TempDir()
				path := filepath.Join(dir, "connect.offsets")
				ffs := &faultFS{err: syscall.ENOSPC, crash: crash}
				s, err := openFile(path, FormatJava, ffs)
				must(t, err)
				must(t, s.Set(bg, "c", []connectors.PartitionOffset{fileSource("a", 1)}))
				old, _ := os.ReadFile(path)

				ffs.failAt = step
				func() {
					defer func() {
						if r := recover(); r != nil && r != (crashed{}) {
							panic(r)
						}
					}()
					err = s.Set(bg, "c", []connectors.PartitionOffset{fileSource("a", 2), fileSource("b", 3)})
					if crash {
						t.Fatal("no crash")
					}
				}()
				if !crash {
					if err == nil || !strings.Contains(err.Error(), path) || !errors.Is(err, syscall.ENOSPC) {
						t.Errorf("Set error = %v; want ENOSPC naming %s", err, path)
					}
					if got, _ := s.Get("c", map[string]any{"filename": "b"}); got == nil {
						t.Error("a failed write lost the data in memory")
					}
				}

				// The file on disk is old or new, and loads.
				now, _ := os.ReadFile(path)
				isNew := step == "syncdir" // only the directory sync comes after the rename
				if !isNew && !bytes.Equal(now, old) {
					t.Errorf("file changed although the write failed at %s", step)
				}
				s2, err := openFile(path, FormatJava, osFS{})
				must(t, err)
				want := int64(1)
				if isNew {
					want = 2
				}
				if got, _ := s2.Get("c", map[string]any{"filename": "a"}); got["position"] != want {
					t.Errorf("reloaded position = %v, want %d", got, want)
				}
				// No temp file survives (a crashed writer's is removed at open).
				if m, _ := filepath.Glob(filepath.Join(dir, ".connect.offsets.tmp-*")); len(m) != 0 {
					t.Errorf("temp files left: %v", m)
				}

				if !crash {
					// The data kept in memory is written by the next attempt.
					ffs.failAt = ""
					must(t, s.Flush(bg))
					s3, err := OpenFile(path)
					must(t, err)
					if got, _ := s3.Get("c", map[string]any{"filename": "b"}); got["position"] != int64(3) {
						t.Errorf("after retry: b = %v", got)
					}
				}
			})
		}
	}
}

func TestSkipUnchangedWrite(t *testing.T) {
	ffs := &faultFS{}
	s, err := openFile(filepath.Join(t.TempDir(), "o"), FormatNative, ffs)
	must(t, err)
	must(t, s.Set(bg, "c", []connectors.PartitionOffset{fileSource("a", 1), {Partition: map[string]any{"filename": "r"}}}))
	must(t, s.Set(bg, "c", []connectors.PartitionOffset{fileSource("a", 1), {Partition: map[string]any{"filename": "r"}}}))
	must(t, s.Set(bg, "c", nil))
	must(t, s.Close())
	if ffs.writes != 1 {
		t.Errorf("%d writes, want 1", ffs.writes)
	}
	if err := s.Set(bg, "c", []connectors.PartitionOffset{{Partition: map[string]any{"filename": "a"}}}); !errors.Is(err, ErrClosed) {
		t.Errorf("Set after Close = %v", err)
	}
	if ffs.writes != 1 {
		t.Errorf("Set after Close wrote")
	}
}

func TestWriteErrorsNameFile(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "no", "such", "dir", "connect.offsets")
	s, err := OpenFile(missing)
	must(t, err)
	err = s.Set(bg, "c", []connectors.PartitionOffset{fileSource("a", 1)})
	if err == nil || !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing dir: %v", err)
	}
	if os.Geteuid() != 0 {
		ro := filepath.Join(dir, "ro")
		must(t, os.Mkdir(ro, 0o555))
		s, err := OpenFile(filepath.Join(ro, "o"))
		must(t, err)
		err = s.Set(bg, "c", []connectors.PartitionOffset{fileSource("a", 1)})
		if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), filepath.Join(ro, "o")) {
			t.Errorf("read-only dir: %v", err)
		}
	}
}

func TestKeepsFileMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "o")
	must(t, os.WriteFile(path, javaser.WriteHashMap(nil), 0o600))
	s, err := OpenFile(path)
	must(t, err)
	must(t, s.Set(bg, "c", []connectors.PartitionOffset{fileSource("a", 1)}))
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", fi.Mode())
	}
}

func TestConcurrentSet(t *testing.T) {
	path := filepath.Join(t.TempDir(), "o")
	s, err := OpenFile(path)
	must(t, err)
	var wg sync.WaitGroup
	for task := range 8 {
		wg.Go(func() {
			for i := range 30 {
				if err := s.Set(bg, "c", []connectors.PartitionOffset{fileSource(fmt.Sprint("task", task), int64(i))}); err != nil {
					t.Error(err)
					return
				}
				if got, err := s.Get("c", map[string]any{"filename": fmt.Sprint("task", task)}); err != nil || got["position"] != int64(i) {
					t.Errorf("Get = %v, %v", got, err)
				}
			}
		})
	}
	wg.Wait()
	must(t, s.Close())
	s, err = OpenFile(path)
	must(t, err)
	if n := len(s.Partitions("c")); n != 8 {
		t.Errorf("%d partitions, want 8", n)
	}
	for task := range 8 {
		if got, _ := s.Get("c", map[string]any{"filename": fmt.Sprint("task", task)}); got["position"] != int64(29) {
			t.Errorf("task %d: %v", task, got)
		}
	}
}

func TestFlushHonoursContext(t *testing.T) {
	s, err := OpenFile(filepath.Join(t.TempDir(), "o"))
	must(t, err)
	s.writeSem <- struct{}{} // a write in progress
	ctx, cancel := context.WithCancel(bg)
	cancel()
	if err := s.Set(ctx, "c", []connectors.PartitionOffset{fileSource("a", 1)}); !errors.Is(err, context.Canceled) {
		t.Errorf("Set = %v, want context.Canceled", err)
	}
	<-s.writeSem
	must(t, s.Close()) // writes what the cancelled Set left in memory
	s, err = OpenFile(s.Path())
	must(t, err)
	if got, _ := s.Get("c", map[string]any{"filename": "a"}); got == nil {
		t.Error("data of a cancelled Set not written by Close")
	}
}
