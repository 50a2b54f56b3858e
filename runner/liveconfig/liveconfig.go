// Package liveconfig keeps the worker's connectors in step with connector
// files while it runs: the files named on the command line and every
// *.properties or *.json file in connectors.dir are watched, edits are
// applied as PUT /connectors/{c}/config would apply them, removed files
// delete their connectors, and REST changes are written through to
// connectors.dir so that they survive a restart (docs/live-config.md).
//
// One goroutine owns the watcher and applies file changes. REST changes
// reach Persist on the REST goroutine with the worker's lock held; the
// index of which file defines which connector is shared between the two
// under mu, which is never held while calling into the worker.
package liveconfig

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/runner"
)

// Defaults for Options.
const (
	DefaultDebounce = 250 * time.Millisecond
	// maxDelayFactor bounds how long a steady stream of events can delay
	// applying them: at most this many debounce periods.
	maxDelayFactor = 8
)

// Options configure a Manager.
type Options struct {
	Worker *runner.Worker
	// Files are the connector files named on the command line, in order.
	Files []string
	// Dir is connectors.dir; "" disables it.
	Dir string
	// Debounce is the quiet period after the last file event before the
	// changes are applied (default DefaultDebounce).
	Debounce time.Duration
	// Reload re-reads every file when it receives (SIGHUP); nil = never.
	Reload <-chan os.Signal
	Logger zerolog.Logger
}

// Manager watches connector files and applies them to the worker.
type Manager struct {
	w        *runner.Worker
	log      zerolog.Logger
	debounce time.Duration
	reload   <-chan os.Signal
	dir      string   // absolute; "" when not configured
	cli      []string // absolute command-line files, in order
	cliSet   map[string]bool

	watcher *fsnotify.Watcher
	cancel  context.CancelFunc
	done    chan struct{}

	mu    sync.Mutex
	files map[string]*fileState // by absolute path; guarded by mu
}

// fileState is what the manager knows of one file.
type fileState struct {
	good   *def                 // last valid content; nil if never valid
	issues []runner.ConfigIssue // why the current content is not applied
}

// New prepares a manager: it resolves paths and, when Dir is set, creates
// the directory if needed and removes write-throughs a crash left behind.
// Nothing is read or watched until Start.
func New(opts Options) (*Manager, error) {
	if opts.Debounce <= 0 {
		opts.Debounce = DefaultDebounce
	}
	m := &Manager{w: opts.Worker, log: opts.Logger, debounce: opts.Debounce, reload: opts.Reload,
		cliSet: map[string]bool{}, files: map[string]*fileState{}}
	for _, f := range opts.Files {
		abs, err := filepath.Abs(f)
		if err != nil {
			return nil, err
		}
		m.cli = append(m.cli, abs)
		m.cliSet[abs] = true
	}
	if opts.Dir != "" {
		abs, err := filepath.Abs(opts.Dir)
		if err != nil {
			return nil, err
		}
		if err := os.MkdirAll(abs, 0o750); err != nil {
			return nil, fmt.Errorf("connectors.dir: %w", err)
		}
		removed, err := removeTempFiles(abs)
		if err != nil {
			return nil, fmt.Errorf("connectors.dir: %w", err)
		}
		for _, p := range removed {
			m.log.Warn().Str("file", p).Msg("removed an unfinished write-through left by a crash")
		}
		m.dir = abs
		// Index the directory now: REST may write through before Start.
		for _, p := range m.dirFiles() {
			fs := &fileState{}
			if cf, target, err := parseFile(p); err == nil {
				fs.good = &def{Name: cf.Name, Config: cf.Config, Target: target}
			}
			m.files[p] = fs
		}
	}
	return m, nil
}

// Start watches the files, creates the connectors of the command-line
// files in order (any failure is returned, as Kafka stops then), applies
// connectors.dir (problems there are reported, not fatal) and starts the
// goroutine that applies later changes. Stop must be called if Start
// returns nil.
func (m *Manager) Start(ctx context.Context) error {
	watcher, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("cannot watch connector files: %w", err)
	}
	// Watch before reading so that no edit made meanwhile is missed.
	for _, d := range m.watchedDirs() {
		if err := watcher.Add(d); err != nil {
			watcher.Close()
			return fmt.Errorf("cannot watch directory %s: %w", d, err)
		}
	}
	m.watcher = watcher
	if err := m.startCLI(ctx); err != nil {
		watcher.Close()
		return err
	}
	m.sync(ctx, m.dirFiles())
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	m.cancel, m.done = cancel, make(chan struct{})
	go m.run(rctx)
	return nil
}

// Stop stops watching and waits for an apply in progress to finish.
func (m *Manager) Stop() {
	if m.cancel == nil {
		return
	}
	m.cancel()
	<-m.done
	m.watcher.Close()
	m.cancel = nil
}

func (m *Manager) watchedDirs() []string {
	var dirs []string
	for _, f := range m.cli {
		dirs = append(dirs, filepath.Dir(f))
	}
	if m.dir != "" {
		dirs = append(dirs, m.dir)
	}
	slices.Sort(dirs)
	return slices.Compact(dirs)
}

// startCLI creates the connectors of the command-line files in order, with
// Kafka's failure semantics: the first problem stops the worker.
func (m *Manager) startCLI(ctx context.Context) error {
	seen := map[string]bool{}
	for _, path := range m.cli {
		cf, target, err := parseFile(path)
		if err != nil {
			return &FileError{Path: path, Err: err}
		}
		if seen[cf.Name] {
			return &FileError{Path: path, Err: fmt.Errorf("Connector %s already exists", cf.Name)}
		}
		seen[cf.Name] = true
		d := &def{Name: cf.Name, Config: cf.Config, Target: target}
		if _, err := m.w.ApplyDeclared(ctx, runner.Declared{Name: d.Name, Config: d.Config, Target: d.Target}); err != nil {
			return &FileError{Path: path, Err: err}
		}
		m.mu.Lock()
		m.files[path] = &fileState{good: d}
		m.mu.Unlock()
	}
	return nil
}

// FileError is a command-line connector file that could not be applied at
// startup.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string { return e.Err.Error() }
func (e *FileError) Unwrap() error { return e.Err }

// dirFiles lists connectors.dir's connector files together with every dir
// file known so far, so that removals are noticed too.
func (m *Manager) dirFiles() []string {
	if m.dir == "" {
		return nil
	}
	var out []string
	if entries, err := os.ReadDir(m.dir); err != nil {
		m.log.Error().Err(err).Str("connectors.dir", m.dir).Msg("cannot list connectors.dir")
	} else {
		for _, e := range entries {
			if p := filepath.Join(m.dir, e.Name()); isConnectorFileName(e.Name()) && !m.cliSet[p] {
				out = append(out, p)
			}
		}
	}
	m.mu.Lock()
	for p := range m.files {
		if !m.cliSet[p] && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	m.mu.Unlock()
	slices.SortFunc(out, comparePaths)
	return out
}

// comparePaths orders connectors.dir files for ownership: .json before
// .properties (a write-through replaces a .properties file by a .json one,
// and a crash between the two steps must not bring the old one back), then
// by name.
func comparePaths(a, b string) int {
	ja, jb := filepath.Ext(a) == ".json", filepath.Ext(b) == ".json"
	if ja != jb {
		if ja {
			return -1
		}
		return 1
	}
	return cmp.Compare(a, b)
}

// ownersLocked maps each connector to the file that defines it: the
// command-line files first, in order, then connectors.dir in comparePaths
// order. losers are files whose connector another file already defines.
func (m *Manager) ownersLocked() (owners map[string]string, losers map[string]string) {
	owners, losers = map[string]string{}, map[string]string{}
	claim := func(p string) {
		fs := m.files[p]
		if fs == nil || fs.good == nil {
			return
		}
		if _, taken := owners[fs.good.Name]; taken {
			losers[p] = owners[fs.good.Name]
			return
		}
		owners[fs.good.Name] = p
	}
	for _, p := range m.cli {
		claim(p)
	}
	var dir []string
	for p := range m.files {
		if !m.cliSet[p] {
			dir = append(dir, p)
		}
	}
	slices.SortFunc(dir, comparePaths)
	for _, p := range dir {
		claim(p)
	}
	return owners, losers
}

// apply is one connector change that sync decided on.
type apply struct {
	path string
	d    runner.Declared
}

// sync re-reads paths (in order) and brings the worker in line: connectors
// no file defines any more are deleted, then the connectors of changed
// files are applied. An invalid file keeps its connector's last good
// config and is reported until fixed.
func (m *Manager) sync(ctx context.Context, paths []string) {
	results := make([]readResult, len(paths))
	for i, p := range paths {
		results[i] = readFile(ctx, m.w, p)
	}

	m.mu.Lock()
	before, _ := m.ownersLocked()
	prev := map[string]*def{}
	for i, p := range paths {
		fs := m.files[p]
		if fs != nil {
			prev[p] = fs.good
		}
		r := results[i]
		switch {
		case r.missing:
			delete(m.files, p)
		case r.def != nil:
			m.files[p] = &fileState{good: r.def}
		default:
			if fs == nil {
				fs = &fileState{}
				m.files[p] = fs
			}
			fs.issues = r.issues
			if fs.good != nil {
				for j := range fs.issues {
					fs.issues[j].Connector = fs.good.Name
				}
			}
		}
	}
	after, losers := m.ownersLocked()
	var deletes []string
	for name, p := range before {
		if _, ok := after[name]; !ok {
			deletes = append(deletes, name)
			m.log.Info().Str("file", p).Str("connector", name).Msg("connector file removed; deleting the connector")
		}
	}
	slices.Sort(deletes)
	dirty := map[string]bool{}
	for _, p := range paths {
		dirty[p] = true
	}
	var applies []apply
	for name, p := range after {
		if !dirty[p] && before[name] == p {
			continue
		}
		fs := m.files[p]
		if len(fs.issues) > 0 && before[name] == p {
			continue // rejected edit: the last good config keeps running
		}
		// A command-line file is applied like PUT: the connector keeps the
		// target state REST gave it unless the file's own state changed.
		keep := m.cliSet[p] && before[name] == p && prev[p] != nil && prev[p].Target == fs.good.Target
		applies = append(applies, apply{path: p, d: runner.Declared{Name: name, Config: fs.good.Config, Target: fs.good.Target, KeepTarget: keep}})
	}
	order := map[string]int{}
	for i, p := range paths {
		order[p] = i
	}
	slices.SortFunc(applies, func(a, b apply) int { return cmp.Compare(order[a.path], order[b.path]) })
	published := m.publishLocked(paths, losers)
	m.mu.Unlock()

	for _, is := range published {
		m.log.Error().Str("file", is.File).Str("key", is.Key).Str("connector", is.Connector).
			Msg("connector file not applied: " + is.Message)
	}
	for _, name := range deletes {
		if _, err := m.w.DeleteDeclared(ctx, name); err != nil {
			m.log.Error().Err(err).Str("connector", name).Msg("failed to delete connector")
		}
	}
	for _, a := range applies {
		changed, err := m.w.ApplyDeclared(ctx, a.d)
		var bad *runner.BadRequestError
		switch {
		case errors.As(err, &bad):
			// Validation passed when the file was read but not now (a
			// config provider changed, say): same treatment as an invalid edit.
			is := runner.ConfigIssue{Connector: a.d.Name, File: a.path, Message: bad.Msg}
			m.mu.Lock()
			if fs := m.files[a.path]; fs != nil {
				fs.issues = []runner.ConfigIssue{is} // kept until the file is read again
			}
			m.w.SetConfigIssues(a.path, []runner.ConfigIssue{is})
			m.mu.Unlock()
			m.log.Error().Str("file", a.path).Str("connector", a.d.Name).Msg("connector file not applied: " + bad.Msg)
		case errors.Is(err, runner.ErrStopping):
			return
		case err != nil:
			// The config is applied; the connector failed to start and its
			// status says why.
			m.log.Error().Err(err).Str("file", a.path).Str("connector", a.d.Name).Msg("connector file applied but the connector failed")
		case changed:
			m.log.Info().Str("file", a.path).Str("connector", a.d.Name).Msg("connector file applied")
		}
	}
}

// publishLocked hands the current issues of paths, and the ownership
// conflicts of every file, to the worker for the REST API. It returns the
// new issues of paths, for logging.
func (m *Manager) publishLocked(paths []string, losers map[string]string) []runner.ConfigIssue {
	var fresh []runner.ConfigIssue
	for _, p := range paths {
		if fs := m.files[p]; fs != nil {
			fresh = append(fresh, fs.issues...)
		}
	}
	for p, fs := range m.files {
		issues := slices.Clone(fs.issues)
		if owner, lost := losers[p]; lost {
			issues = append(issues, runner.ConfigIssue{Connector: fs.good.Name, File: p, Key: "name",
				Message: fmt.Sprintf("connector %s is already defined by %s, which takes precedence; this file is ignored", fs.good.Name, owner)})
			if slices.Contains(paths, p) {
				fresh = append(fresh, issues[len(issues)-1])
			}
		}
		m.w.SetConfigIssues(p, issues)
	}
	for _, p := range paths {
		if m.files[p] == nil {
			m.w.SetConfigIssues(p, nil)
		}
	}
	return fresh
}

// run is the owner goroutine: it debounces file events and applies them.
func (m *Manager) run(ctx context.Context) {
	defer close(m.done)
	var (
		pending []string // in order of first event
		first   time.Time
		timer   = time.NewTimer(time.Hour)
	)
	timer.Stop()
	defer timer.Stop()
	mark := func(paths ...string) {
		if len(paths) == 0 {
			return
		}
		now := time.Now()
		if len(pending) == 0 {
			first = now
		}
		for _, p := range paths {
			if !slices.Contains(pending, p) {
				pending = append(pending, p)
			}
		}
		deadline := now.Add(m.debounce)
		if limit := first.Add(maxDelayFactor * m.debounce); limit.Before(deadline) {
			deadline = limit
		}
		timer.Reset(time.Until(deadline))
	}
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-m.watcher.Events:
			if !ok {
				return
			}
			mark(m.relevant(ev)...)
		case err, ok := <-m.watcher.Errors:
			if !ok {
				return
			}
			// An overflow loses events: look at everything again.
			m.log.Warn().Err(err).Msg("file watcher error; re-reading every connector file")
			mark(m.allFiles()...)
		case <-m.reload:
			m.log.Info().Msg("SIGHUP: re-reading every connector file")
			m.sync(ctx, m.allFiles())
		case <-timer.C:
			batch := pending
			pending = nil
			m.sync(ctx, batch)
		}
	}
}

func (m *Manager) allFiles() []string {
	return append(slices.Clone(m.cli), m.dirFiles()...)
}

// relevant maps a file event to the connector files it may have changed.
// Names starting with ".." are Kubernetes' atomic ConfigMap updates, which
// swap a ..data symlink without touching the visible files.
func (m *Manager) relevant(ev fsnotify.Event) []string {
	dir, base := filepath.Dir(ev.Name), filepath.Base(ev.Name)
	k8s := strings.HasPrefix(base, "..")
	var out []string
	for _, f := range m.cli {
		if filepath.Dir(f) == dir && (k8s || filepath.Base(f) == base) {
			out = append(out, f)
		}
	}
	if dir == m.dir && m.dir != "" {
		switch {
		case k8s:
			out = append(out, m.dirFiles()...)
		case isConnectorFileName(base) && !m.cliSet[ev.Name]:
			out = append(out, ev.Name)
		}
	}
	return out
}
