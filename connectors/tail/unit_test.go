package tail

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

func mkfiles(t *testing.T, root string, names ...string) {
	t.Helper()
	for _, n := range names {
		p := filepath.Join(root, n)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestGlobExpand(t *testing.T) {
	root := t.TempDir()
	mkfiles(t, root, "a.log", "b.txt", "sub/c.log", "sub/deep/d.log", "sub/deep/e.txt", "other/f.log", ".hidden.log")
	if err := os.Symlink(filepath.Join(root, "sub"), filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(root, filepath.Join(root, "sub", "loop")); err != nil { // a cycle
		t.Fatal(err)
	}
	rel := func(files []string) []string {
		var out []string
		for _, f := range files {
			r, _ := filepath.Rel(root, f)
			out = append(out, r)
		}
		return out
	}
	tests := []struct {
		glob string
		want []string
	}{
		{"*.log", []string{".hidden.log", "a.log"}},
		{"sub/*.log", []string{"sub/c.log"}},
		{"sub/**/*.log", []string{"sub/c.log", "sub/deep/d.log", "sub/loop/a.log", "sub/loop/other/f.log"}},
		{"link/deep/*.log", []string{"link/deep/d.log"}},
		{"*/deep/?.txt", []string{"link/deep/e.txt", "sub/deep/e.txt"}},
		{"nothing/*.log", nil},
	}
	for _, tt := range tests {
		p, err := compilePattern(filepath.Join(root, tt.glob))
		if err != nil {
			t.Fatal(err)
		}
		got := rel(expand([]pattern{p}).files)
		// "**" follows symlinked directories but visits each directory once.
		if tt.glob == "sub/**/*.log" {
			for _, w := range tt.want[:2] {
				if !slices.Contains(got, w) {
					t.Errorf("%s: %v lacks %s", tt.glob, got, w)
				}
			}
			continue
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.glob, got, tt.want)
		}
	}
	p, _ := compilePattern(filepath.Join(root, "sub/*.log"))
	if dirs := expand([]pattern{p}).dirs; !slices.Contains(dirs, filepath.Join(root, "sub")) {
		t.Errorf("watched dirs %v lack sub", dirs)
	}
}

func TestGlobMatchAndErrors(t *testing.T) {
	for _, tt := range []struct {
		glob, path string
		want       bool
	}{
		{"/var/log/**/*.log", "/var/log/a.log", true},
		{"/var/log/**/*.log", "/var/log/x/y/a.log", true},
		{"/var/log/**/*.log", "/var/log/x/a.txt", false},
		{"/var/log/*.log", "/var/log/x/a.log", false},
		{"/var/**/app/*.log", "/var/log/app/a.log", true},
	} {
		p, err := compilePattern(tt.glob)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.match(tt.path); got != tt.want {
			t.Errorf("%s ~ %s = %v", tt.glob, tt.path, got)
		}
	}
	for _, bad := range []string{"/var/log/a**.log", "/var/log/**", "/var/[.log", " "} {
		if _, err := compilePattern(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	m, err := newMatcher([]string{"*.gz", "/var/log/secret/**/*"})
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]bool{"/var/log/a.log.1.gz": true, "/var/log/secret/x/y": true, "/var/log/a.log": false} {
		if m.match(path) != want {
			t.Errorf("exclude %s: %v", path, !want)
		}
	}
}

func TestFingerprint(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	write := func(s string) *os.File {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	f := write("hello\n")
	small, _ := fingerprintOf(f, 6)
	if small.Len != 6 || small.full() {
		t.Fatalf("small fingerprint %+v", small)
	}
	// The file grows: the old, shorter fingerprint still matches.
	g := write("hello\n" + strings.Repeat("x", 5000))
	if ok, _ := small.matches(g); !ok {
		t.Fatal("a grown file no longer matches its short fingerprint")
	}
	big, _ := fingerprintOf(g, 5006)
	if big.Len != fingerprintBytes || !big.full() {
		t.Fatalf("fingerprint of a large file %+v", big)
	}
	// Same length, other content (an inode reused by another file).
	h := write("world\n" + strings.Repeat("x", 5000))
	if ok, _ := big.matches(h); ok {
		t.Fatal("different content matches")
	}
	// Truncated below the fingerprint.
	i := write("hel")
	if ok, _ := small.matches(i); ok {
		t.Fatal("a truncated file matches")
	}
	if ok, _ := (fingerprint{}).matches(i); !ok {
		t.Fatal("the empty fingerprint must match everything")
	}
	// Offsets round trip.
	so, err := parseOffset(map[string]any{OffsetPosition: int64(42), OffsetFingerprint: big.String(), OffsetFingerprintBytes: big.Len, OffsetPath: p})
	if err != nil || so.position != 42 || so.fp != big || so.path != p {
		t.Fatalf("parseOffset = %+v, %v", so, err)
	}
	for _, bad := range []map[string]any{
		{OffsetPosition: "x"},
		{OffsetPosition: int64(-1)},
		{OffsetPosition: int64(1), OffsetFingerprint: "zz", OffsetFingerprintBytes: int64(3)},
		{OffsetPosition: int64(1), OffsetFingerprint: "00", OffsetFingerprintBytes: int64(5000)},
	} {
		if _, err := parseOffset(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	// Identities spread over tasks.
	counts := make([]int, 4)
	for ino := uint64(1000); ino < 2000; ino++ {
		counts[fileID{Dev: 2049, Ino: ino}.owner(4)]++
	}
	for i, n := range counts {
		if n < 150 {
			t.Errorf("task %d gets %d of 1000 files", i, n)
		}
	}
}

func TestMultiline(t *testing.T) {
	run := func(pattern string, negate, before bool, lines ...string) []string {
		m := &multiline{re: regexp.MustCompile(pattern), negate: negate, before: before, timeout: time.Second, maxBytes: 1 << 20}
		var out []string
		emit := func(l line) { out = append(out, l.text) }
		for i, s := range lines {
			m.add(line{text: s, end: int64(i), size: int64(len(s))}, time.Now(), emit)
		}
		m.flush(emit)
		return out
	}
	trace := []string{"2024-01-01 ERROR x", "java.lang.Exception: boom", "\tat a.B(B.java:1)", "2024-01-01 INFO y", "2024-01-01 ERROR z", "\tat c.D(D.java:2)"}
	want := []string{"2024-01-01 ERROR x\njava.lang.Exception: boom\n\tat a.B(B.java:1)", "2024-01-01 INFO y", "2024-01-01 ERROR z\n\tat c.D(D.java:2)"}
	if got := run(`^\d{4}-`, true, false, trace...); !slices.Equal(got, want) {
		t.Errorf("negate/after: %q", got)
	}
	if got := run(`^\s`, false, false, "a", " b", " c", "d", " e"); !slices.Equal(got, []string{"a\n b\n c", "d\n e"}) {
		t.Errorf("after: %q", got)
	}
	if got := run(`\\$`, false, true, `a \`, `b \`, "c", "d", `e \`, "f"); !slices.Equal(got, []string{"a \\\nb \\\nc", "d", "e \\\nf"}) {
		t.Errorf("before: %q", got)
	}
	if got := run(`^\s`, false, false, " orphan", "a"); !slices.Equal(got, []string{" orphan", "a"}) {
		t.Errorf("leading continuation: %q", got)
	}

	// Cut at maxBytes, flagged, with the full size counted.
	m := &multiline{re: regexp.MustCompile(`^\s`), timeout: time.Second, maxBytes: 10}
	var got []line
	emit := func(l line) { got = append(got, l) }
	now := time.Now()
	m.add(line{text: "abcdef", end: 7, size: 6}, now, emit)
	m.add(line{text: " ghijkl", end: 15, size: 7}, now, emit)
	if d := m.deadline(); !d.Equal(now.Add(time.Second)) {
		t.Errorf("deadline %v", d)
	}
	m.flush(emit)
	if len(got) != 1 || got[0].text != "abcdef\n gh" || !got[0].truncated || got[0].size != 14 || got[0].end != 15 {
		t.Errorf("cut event %+v", got)
	}
}

func TestEncodings(t *testing.T) {
	u16, _ := lookupEncoding("UTF-16LE")
	b := []byte{'h', 0, 'i', 0, '\r', 0, '\n', 0, 'x', 0}
	i := u16.indexNewline(b)
	if i != 6 || u16.decode(u16.trimCR(b[:i])) != "hi" {
		t.Errorf("utf-16le newline at %d", i)
	}
	l1, _ := lookupEncoding("latin1")
	if s := l1.decode([]byte{'c', 0xE9}); s != "cé" {
		t.Errorf("latin1 %q", s)
	}
	u8, _ := lookupEncoding("utf8")
	if s := string(u8.cut([]byte("aé"), 2)); s != "a" {
		t.Errorf("utf-8 cut inside a character: %q", s)
	}
	if _, ok := lookupEncoding("ebcdic"); ok {
		t.Error("ebcdic accepted")
	}
}

func TestConfigValidation(t *testing.T) {
	base := map[string]string{"paths": "/var/log/*.log", "topic": "logs"}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range base {
			m[a] = b
		}
		if v == "<unset>" {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	if _, err := parseConfig(base); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ key, value, want string }{
		{"paths", "<unset>", `Missing required configuration "paths"`},
		{"paths", "/var/log/a**b", "'**' must be a whole path segment"},
		{"paths", "/var/log/[", "malformed"},
		{"topic", "", "Invalid value  for configuration topic"},
		{"read.from", "middle", "Invalid value middle for configuration read.from: String must be one of: beginning, end"},
		{"batch.size", "0", "Invalid value 0 for configuration batch.size: Value must be at least 1"},
		{"max.line.bytes", "abc", "Invalid value abc for configuration max.line.bytes: Not a number of type INT"},
		{"encoding", "ebcdic", "unsupported encoding; supported: iso-8859-1, utf-16be, utf-16le, utf-8"},
		{"multiline.pattern", "(", "Invalid regex"},
		{"multiline.match", "around", "String must be one of: after, before"},
		{"multiline.negate", "true", "only applies with multiline.pattern"},
		{"key", "offset", "String must be one of: none, path"},
		{"rotate.wait.ms", "-1", "Value must be at least 0"},
		{"glob.refresh.interval.ms", "0", "Value must be at least 1"},
		{"exclude.paths", "/x/[", "malformed"},
	} {
		_, err := parseConfig(with(tt.key, tt.value))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s=%s: error %v, want %q", tt.key, tt.value, err, tt.want)
		}
	}
}
