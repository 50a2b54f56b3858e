package pathpolicy

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixture: root/allowed (with a file, a link to outside, a linked dir) and
// root/outside.
func fixture(t *testing.T) (allowed, outside string) {
	t.Helper()
	root := t.TempDir()
	allowed, outside = filepath.Join(root, "allowed"), filepath.Join(root, "outside")
	for _, d := range []string{allowed, outside, filepath.Join(allowed, "sub")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p string) {
		if err := os.WriteFile(p, []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(allowed, "in.txt"))
	write(filepath.Join(outside, "secret.txt"))
	for link, target := range map[string]string{
		"link-out.txt": filepath.Join(outside, "secret.txt"),
		"dir-out":      outside,
		"link-in.txt":  filepath.Join(allowed, "in.txt"),
	} {
		if err := os.Symlink(target, filepath.Join(allowed, link)); err != nil {
			t.Fatal(err)
		}
	}
	return allowed, outside
}

func TestParse(t *testing.T) {
	allowed, _ := fixture(t)
	for _, tc := range []struct {
		value, err string
		dirs       int
	}{
		{"", "", 0},
		{"  ", "", 0},
		{allowed, "", 1},
		{allowed + " , " + allowed + "/sub/", "", 2},
		{"relative/dir", "is not absolute", 0},
		{allowed + "/missing", "is not an existing directory", 0},
		{allowed + "/in.txt", "is not an existing directory", 0},
	} {
		p, err := Parse(tc.value)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), Key) {
				t.Errorf("Parse(%q) error = %v, want one naming %s and containing %q", tc.value, err, Key, tc.err)
			}
			continue
		}
		if err != nil || len(p.Dirs()) != tc.dirs {
			t.Errorf("Parse(%q) = %v, %v; want %d dirs", tc.value, p.Dirs(), err, tc.dirs)
		}
	}
}

func TestCheck(t *testing.T) {
	allowed, outside := fixture(t)
	p, err := Parse(allowed)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		ok   bool
	}{
		{allowed + "/in.txt", true},
		{allowed + "/new-file.txt", true},             // does not exist yet (sink)
		{allowed + "/sub/deeper/new.txt", true},       // missing parents
		{allowed, true},                               // the directory itself
		{allowed + "/link-in.txt", true},              // link staying inside
		{allowed + "/../outside/secret.txt", false},   // .. escape
		{allowed + "/sub/../../outside/x", false},     // .. escape through a subdirectory
		{outside + "/secret.txt", false},              // plainly outside
		{allowed + "/link-out.txt", false},            // file symlink escape
		{allowed + "/dir-out/secret.txt", false},      // directory symlink escape
		{allowed + "/dir-out/not-yet-created", false}, // sink file behind a linked directory
		{allowed + "x/file", false},                   // sibling sharing a name prefix
		{"/etc/passwd", false},
	} {
		err := p.Check(tc.path)
		if (err == nil) != tc.ok {
			t.Errorf("Check(%s) = %v, want ok=%v", tc.path, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrNotAllowed) {
			t.Errorf("Check(%s) error %v does not wrap ErrNotAllowed", tc.path, err)
		}
	}
	var nilPolicy *Policy
	if err := nilPolicy.Check("/etc/shadow"); err != nil {
		t.Errorf("nil policy refused: %v", err)
	}
}

func TestGlobs(t *testing.T) {
	allowed, outside := fixture(t)
	p, _ := Parse(allowed)
	for _, tc := range []struct {
		glob, prefix string
		ok           bool
	}{
		{allowed + "/*.log", allowed, true},
		{allowed + "/**/*.log", allowed, true},
		{allowed + "/sub/app-?.log", allowed + "/sub", true},
		{allowed + "/in.txt", allowed + "/in.txt", true},
		{outside + "/*.log", outside, false},
		{"/*/*.log", "/", false},
		{allowed + "/../*/secret.txt", filepath.Dir(allowed), false},
		{allowed + "/dir-out/*.txt", allowed + "/dir-out", false},
	} {
		if got := GlobPrefix(tc.glob); got != tc.prefix {
			t.Errorf("GlobPrefix(%s) = %s, want %s", tc.glob, got, tc.prefix)
		}
		if err := p.CheckGlob(tc.glob); (err == nil) != tc.ok {
			t.Errorf("CheckGlob(%s) = %v, want ok=%v", tc.glob, err, tc.ok)
		}
	}
}

func TestCheckOpenedSeesSwappedLink(t *testing.T) {
	allowed, outside := fixture(t)
	p, _ := Parse(allowed)
	name := filepath.Join(allowed, "swap.txt")
	if err := os.WriteFile(name, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := p.Check(name); err != nil {
		t.Fatal(err) // validated while it is a regular file...
	}
	os.Remove(name) // ...then replaced by a link before the open
	if err := os.Symlink(filepath.Join(outside, "secret.txt"), name); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := p.CheckOpened(f); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("CheckOpened = %v, want a refusal", err)
	}
	g, _ := os.Open(filepath.Join(allowed, "in.txt"))
	defer g.Close()
	if err := p.CheckOpened(g); err != nil {
		t.Fatalf("CheckOpened(inside) = %v", err)
	}
}

func TestCheckUsesMessages(t *testing.T) {
	allowed, outside := fixture(t)
	p, _ := Parse(allowed)
	uses := []Use{
		{Key: "file", Path: outside + "/secret.txt"},
		{Key: "paths", Path: outside + "/*.log", Glob: true},
		{Key: "other", Path: allowed + "/in.txt"},
	}
	raw := map[string]string{"file": "${file:/etc/secrets.properties:path}", "paths": outside + "/*.log"}
	got := p.CheckUses(uses, raw)
	if len(got) != 2 || len(got["other"]) != 0 {
		t.Fatalf("CheckUses = %v", got)
	}
	want := "Invalid value ${file:/etc/secrets.properties:path} for configuration file: the resolved path is not allowed: it is outside connector.allowed.paths [" + allowed + "]"
	if got["file"][0] != want {
		t.Errorf("file message:\n got %s\nwant %s", got["file"][0], want)
	}
	if strings.Contains(got["file"][0], outside) {
		t.Errorf("message reveals the resolved value: %s", got["file"][0])
	}
	if !strings.Contains(got["paths"][0], "for configuration paths: the directory of the glob, "+outside+",") {
		t.Errorf("paths message: %s", got["paths"][0])
	}
}

func TestContext(t *testing.T) {
	allowed, _ := fixture(t)
	p, _ := Parse(allowed)
	if FromContext(context.Background()) != nil || FromContext(NewContext(context.Background(), p)) != p {
		t.Fatal("context round trip failed")
	}
}
