// Package pathpolicy is the worker's allow-list of directories that
// connectors may read and write on behalf of a connector configuration
// (connector.allowed.paths, a connect-go key). Anyone who can create a
// connector over REST chooses the file names of FileStreamSource,
// FileStreamSink and FileTailSource; the policy keeps them inside the
// directories the operator named.
//
// Semantics follow Kafka's allowed.paths of the file config providers
// (absolute, normalised, component-wise prefix, ".." cannot escape) and
// add symlink resolution on both sides: the real location of a path must
// lie under the real location of an allowed directory. Connectors check at
// validation (CheckConfig) and again when they open a file (CheckOpened),
// so a symlink swapped in after validation is caught too.
//
// A nil *Policy allows everything: Kafka's behaviour when no list is set.
package pathpolicy

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Key is the worker configuration key holding the allow-list.
const Key = "connector.allowed.paths"

// ErrNotAllowed is wrapped by every refusal.
var ErrNotAllowed = errors.New("path not allowed")

// Policy is a parsed allow-list. Create it with Parse.
type Policy struct {
	dirs []string // normalised, as configured
	real []string // symlinks resolved
}

// Parse reads the comma-separated list of directories. An empty or blank
// value gives a nil Policy (no restriction). Each entry must be absolute
// and an existing directory; errors name the key.
func Parse(value string) (*Policy, error) {
	if strings.TrimSpace(value) == "" {
		return nil, nil
	}
	p := &Policy{}
	for _, raw := range strings.Split(value, ",") {
		d := strings.TrimSpace(raw)
		if d == "" {
			continue
		}
		if !filepath.IsAbs(d) {
			return nil, fmt.Errorf("Invalid value %s for configuration %s: path %q is not absolute", value, Key, d)
		}
		d = filepath.Clean(d)
		st, err := os.Stat(d)
		if err != nil || !st.IsDir() {
			return nil, fmt.Errorf("Invalid value %s for configuration %s: %q is not an existing directory", value, Key, d)
		}
		r, err := filepath.EvalSymlinks(d)
		if err != nil {
			return nil, fmt.Errorf("Invalid value %s for configuration %s: %q: %v", value, Key, d, err)
		}
		p.dirs = append(p.dirs, d)
		p.real = append(p.real, r)
	}
	if len(p.dirs) == 0 {
		return nil, nil
	}
	return p, nil
}

// Dirs returns the allowed directories as configured (normalised).
func (p *Policy) Dirs() []string {
	if p == nil {
		return nil
	}
	return append([]string(nil), p.dirs...)
}

// String lists the directories, for messages.
func (p *Policy) String() string { return "[" + strings.Join(p.Dirs(), ", ") + "]" }

// under: p equals base or lies below it, component-wise.
func under(p, base string) bool {
	if p == base {
		return true
	}
	if base == string(filepath.Separator) {
		return strings.HasPrefix(p, base)
	}
	return strings.HasPrefix(p, base+string(filepath.Separator))
}

func anyUnder(p string, bases []string) bool {
	for _, b := range bases {
		if under(p, b) {
			return true
		}
	}
	return false
}

// realPath resolves every symlink of path. For a path that does not exist
// yet (a sink file to be created) the deepest existing ancestor is resolved
// and the rest appended, so a symlinked parent directory cannot lead out.
func realPath(path string) (string, error) {
	rest := ""
	cur := path
	for {
		r, err := filepath.EvalSymlinks(cur)
		if err == nil {
			return filepath.Join(r, rest), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return path, nil
		}
		rest = filepath.Join(filepath.Base(cur), rest)
		cur = parent
	}
}

// Check returns nil when path may be used: its absolute, normalised form
// lies under an allowed directory and so does its real location.
func (p *Policy) Check(path string) error {
	if p == nil {
		return nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNotAllowed, err)
	}
	if !anyUnder(abs, p.dirs) {
		return fmt.Errorf("%w: it is outside %s %s", ErrNotAllowed, Key, p)
	}
	r, err := realPath(abs)
	if err != nil {
		return fmt.Errorf("%w: cannot resolve it: %v", ErrNotAllowed, err)
	}
	if !anyUnder(r, p.real) {
		return fmt.Errorf("%w: it resolves through a symbolic link to a location outside %s %s", ErrNotAllowed, Key, p)
	}
	return nil
}

// GlobPrefix is the static part of a glob: the leading path segments
// before the first one with a pattern character.
func GlobPrefix(glob string) string {
	clean := filepath.Clean(strings.TrimSpace(glob))
	segs := strings.Split(clean, string(filepath.Separator))
	n := 0
	for n < len(segs) && !strings.ContainsAny(segs[n], `*?[\`) {
		n++
	}
	if n == len(segs) { // no pattern: the file itself
		return clean
	}
	prefix := strings.Join(segs[:n], string(filepath.Separator))
	if prefix == "" && filepath.IsAbs(clean) {
		return string(filepath.Separator)
	}
	if prefix == "" {
		return "."
	}
	return prefix
}

// CheckGlob checks a glob's static prefix. Files it matches are checked
// again one by one when they are opened (CheckOpened), since a pattern
// segment can match a symbolic link.
func (p *Policy) CheckGlob(glob string) error {
	if p == nil {
		return nil
	}
	return p.Check(GlobPrefix(glob))
}

// CheckOpened checks the file actually opened: on Linux the kernel's name
// for the descriptor (immune to a symlink swapped in between the check and
// the open), elsewhere the path with symlinks resolved again.
func (p *Policy) CheckOpened(f *os.File) error {
	if p == nil {
		return nil
	}
	name := f.Name()
	if target, err := os.Readlink("/proc/self/fd/" + strconv.Itoa(int(f.Fd()))); err == nil && filepath.IsAbs(target) {
		if !anyUnder(target, p.real) {
			return fmt.Errorf("%w: the opened file %s is outside %s %s", ErrNotAllowed, target, Key, p)
		}
		return nil
	}
	return p.Check(name)
}

// Use is one local path named by a connector configuration.
type Use struct {
	Key  string // the configuration key, e.g. "file"
	Path string // the resolved value (a path or a glob)
	Glob bool
}

// Declarer is implemented by connectors whose configuration names local
// files; the runtime checks every Use against the policy at validation.
type Declarer interface {
	LocalPaths(props map[string]string) []Use
}

// CheckUses checks each use and returns the error messages per key, in
// Kafka's "Invalid value V for configuration K: reason" form. raw is the
// submitted (unresolved) configuration: a value that came from a config
// provider is shown as written, never resolved.
func (p *Policy) CheckUses(uses []Use, raw map[string]string) map[string][]string {
	if p == nil {
		return nil
	}
	out := map[string][]string{}
	for _, u := range uses {
		var err error
		if u.Glob {
			err = p.CheckGlob(u.Path)
		} else {
			err = p.Check(u.Path)
		}
		if err == nil {
			continue
		}
		shown, subject := u.Path, "the path"
		if u.Glob {
			subject = "the directory of the glob, " + GlobPrefix(u.Path) + ","
		}
		if rv, ok := raw[u.Key]; ok && strings.Contains(rv, "${") {
			shown, subject = rv, "the resolved path" // never echo a resolved value
		}
		reason := strings.TrimPrefix(err.Error(), ErrNotAllowed.Error()+": ")
		out[u.Key] = append(out[u.Key], fmt.Sprintf("Invalid value %s for configuration %s: %s is not allowed: %s", shown, u.Key, subject, reason))
	}
	return out
}

type ctxKey struct{}

// NewContext returns ctx carrying p; the runtime passes it to connector and
// task Start.
func NewContext(ctx context.Context, p *Policy) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// FromContext returns the policy carried by ctx, nil when none.
func FromContext(ctx context.Context) *Policy {
	if ctx == nil {
		return nil
	}
	p, _ := ctx.Value(ctxKey{}).(*Policy)
	return p
}
