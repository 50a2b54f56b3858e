package tail

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
)

// pattern is one compiled path glob. Segments are matched with
// filepath.Match, except "**", which matches zero or more directories.
type pattern struct {
	raw  string
	segs []string // cleaned path split on '/'; "" first for absolute paths
}

// hasMeta reports whether a segment needs filepath.Match.
func hasMeta(s string) bool { return strings.ContainsAny(s, `*?[\`) }

// compilePattern checks a glob's syntax. "**" must be a whole segment.
func compilePattern(raw string) (pattern, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return pattern{}, errors.New("empty glob")
	}
	clean := filepath.ToSlash(filepath.Clean(s))
	segs := strings.Split(clean, "/")
	for _, seg := range segs {
		if strings.Contains(seg, "**") && seg != "**" {
			return pattern{}, fmt.Errorf("glob %q: '**' must be a whole path segment, as in dir/**/*.log", raw)
		}
		if _, err := filepath.Match(seg, ""); err != nil {
			return pattern{}, fmt.Errorf("glob %q: malformed segment %q", raw, seg)
		}
	}
	if segs[len(segs)-1] == "**" {
		return pattern{}, fmt.Errorf("glob %q must end in a file name pattern (e.g. **/*.log), not '**'", raw)
	}
	return pattern{raw: s, segs: segs}, nil
}

// match reports whether path (cleaned, slash-separated) matches the pattern.
func (p pattern) match(path string) bool {
	return matchSegs(p.segs, strings.Split(filepath.ToSlash(filepath.Clean(path)), "/"))
}

func matchSegs(pat, path []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for skip := 0; skip <= len(path); skip++ {
				if matchSegs(pat[1:], path[skip:]) {
					return true
				}
			}
			return false
		}
		if len(path) == 0 {
			return false
		}
		if ok, _ := filepath.Match(pat[0], path[0]); !ok {
			return false
		}
		pat, path = pat[1:], path[1:]
	}
	return len(path) == 0
}

// matcher excludes paths: a pattern with a '/' matches the whole path, one
// without matches the file name alone (so "*.gz" excludes compressed files
// in every directory).
type matcher struct {
	full []pattern
	base []string
}

func newMatcher(globs []string) (*matcher, error) {
	m := &matcher{}
	for _, g := range globs {
		g = strings.TrimSpace(g)
		if g == "" {
			continue
		}
		if !strings.Contains(g, "/") {
			if _, err := filepath.Match(g, ""); err != nil {
				return nil, fmt.Errorf("glob %q is malformed", g)
			}
			m.base = append(m.base, g)
			continue
		}
		p, err := compilePattern(g)
		if err != nil {
			return nil, err
		}
		m.full = append(m.full, p)
	}
	return m, nil
}

func (m *matcher) match(path string) bool {
	if m == nil {
		return false
	}
	name := filepath.Base(path)
	for _, b := range m.base {
		if ok, _ := filepath.Match(b, name); ok {
			return true
		}
	}
	for _, p := range m.full {
		if p.match(path) {
			return true
		}
	}
	return false
}

// expansion is the result of expanding globs.
type expansion struct {
	files []string // regular files (or symlinks to them), sorted, unique
	dirs  []string // existing directories that were looked into: watching
	// them reports new files that would match
}

// expand lists the regular files matching any of the patterns. Symbolic
// links are followed (a symlink to a file is returned under its own path);
// "**" does not enter a directory twice, so symlink loops terminate.
func expand(pats []pattern) expansion {
	e := &expander{files: map[string]bool{}, dirs: map[string]bool{}}
	for _, p := range pats {
		root := "."
		segs := p.segs
		if segs[0] == "" { // absolute
			root, segs = "/", segs[1:]
		}
		e.visited = map[[2]uint64]bool{}
		e.walk(root, segs)
	}
	out := expansion{}
	for f := range e.files {
		out.files = append(out.files, f)
	}
	for d := range e.dirs {
		out.dirs = append(out.dirs, d)
	}
	sort.Strings(out.files)
	sort.Strings(out.dirs)
	return out
}

type expander struct {
	files   map[string]bool
	dirs    map[string]bool
	visited map[[2]uint64]bool // directories entered through "**"
}

func (e *expander) walk(dir string, segs []string) {
	if len(segs) == 0 {
		if st, err := os.Stat(dir); err == nil && st.Mode().IsRegular() {
			e.files[dir] = true
		}
		return
	}
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return
	}
	e.dirs[dir] = true
	seg := segs[0]
	switch {
	case seg == "**":
		if sys, ok := st.Sys().(*syscall.Stat_t); ok {
			key := [2]uint64{uint64(sys.Dev), sys.Ino}
			if e.visited[key] {
				return
			}
			e.visited[key] = true
		}
		e.walk(dir, segs[1:]) // zero directories
		for _, name := range readDirNames(dir) {
			child := filepath.Join(dir, name)
			if cst, err := os.Stat(child); err == nil && cst.IsDir() {
				e.walk(child, segs) // one more directory
			}
		}
	case !hasMeta(seg):
		e.walk(filepath.Join(dir, seg), segs[1:])
	default:
		for _, name := range readDirNames(dir) {
			if ok, _ := filepath.Match(seg, name); ok {
				e.walk(filepath.Join(dir, name), segs[1:])
			}
		}
	}
}

func readDirNames(dir string) []string {
	f, err := os.Open(dir)
	if err != nil {
		return nil
	}
	defer f.Close()
	names, _ := f.Readdirnames(-1)
	sort.Strings(names)
	return names
}
