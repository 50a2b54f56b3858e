package liveconfig

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/connect-go/connect-standalone/runner"
	"github.com/connect-go/connect-standalone/runner/configfile"
)

// TestCommandLineFileEdits: in-place edits, rename-writes, an unchanged
// rewrite, a delete and a re-creation of command-line files; only the
// edited connector restarts.
func TestCommandLineFileEdits(t *testing.T) {
	root := t.TempDir()
	a := writeFile(t, filepath.Join(root, "edits-a.properties"), properties(connector("edits-a", 1)))
	b := writeFile(t, filepath.Join(root, "edits-b.properties"), properties(connector("edits-b", 1)))
	e := newEnv(t, envOpts{root: root, files: []string{a, b}, noDir: true})
	e.start()
	if !e.hasConfig("edits-a", connector("edits-a", 1)) || !e.hasConfig("edits-b", connector("edits-b", 1)) {
		t.Fatal("connectors not created from the command-line files")
	}
	bStarts := startCount("edits-b")

	steps := []struct {
		name  string
		edit  func()
		level int
	}{
		{"in place", func() { writeFile(t, a, properties(connector("edits-a", 2))) }, 2},
		{"rename over", func() { writeRename(t, a, properties(connector("edits-a", 3))) }, 3},
	}
	for _, s := range steps {
		before := startCount("edits-a")
		s.edit()
		eventually(t, s.name, func() bool { return e.hasConfig("edits-a", connector("edits-a", s.level)) })
		if got := startCount("edits-a"); got != before+1 {
			t.Errorf("%s: connector started %d times, want once", s.name, got-before)
		}
	}

	// The same content again restarts nothing. An edit of b afterwards is a
	// barrier: once it is applied, the rewrite of a has been handled too.
	aStarts := startCount("edits-a")
	writeRename(t, a, properties(connector("edits-a", 3)))
	writeFile(t, b, properties(connector("edits-b", 7)))
	eventually(t, "edit of b", func() bool { return e.hasConfig("edits-b", connector("edits-b", 7)) })
	if startCount("edits-a") != aStarts {
		t.Error("an unchanged file restarted its connector")
	}
	if startCount("edits-b") != bStarts+1 {
		t.Errorf("b started %d times, want once", startCount("edits-b")-bStarts)
	}

	if err := os.Remove(a); err != nil {
		t.Fatal(err)
	}
	eventually(t, "delete", func() bool { return e.gone("edits-a") })
	if !e.hasConfig("edits-b", connector("edits-b", 7)) {
		t.Error("deleting a's file touched b")
	}
	writeFile(t, a, properties(connector("edits-a", 4)))
	eventually(t, "re-creation", func() bool { return e.hasConfig("edits-a", connector("edits-a", 4)) })
}

// TestCommandLineFileKeepsRESTTarget: an edited command-line file applies
// like PUT (the connector stays paused) unless its own initial_state changes.
func TestCommandLineFileKeepsRESTTarget(t *testing.T) {
	root := t.TempDir()
	body := func(level int, state string) string {
		b, _ := json.Marshal(map[string]any{"name": "keep", "config": connector("keep", level), "initial_state": state})
		return string(b)
	}
	f := writeFile(t, filepath.Join(root, "keep.json"), body(1, "RUNNING"))
	e := newEnv(t, envOpts{root: root, files: []string{f}, noDir: true})
	e.start()
	if err := e.worker.SetTargetState(context.Background(), "keep", runner.TargetPaused); err != nil {
		t.Fatal(err)
	}
	writeFile(t, f, body(2, "RUNNING"))
	eventually(t, "edit", func() bool { return e.hasConfig("keep", connector("keep", 2)) })
	if got := e.target("keep"); got != runner.TargetPaused {
		t.Fatalf("target after edit = %s, want PAUSED (as PUT keeps it)", got)
	}
	writeFile(t, f, body(2, "STOPPED"))
	eventually(t, "initial_state change", func() bool { return e.target("keep") == runner.TargetStopped })
}

// TestDirectoryBurstsInOrder: a burst of edits ends in the last content; a
// file renamed within connectors.dir moves its connector without a restart;
// a removal followed by a re-creation under another name keeps the result.
func TestDirectoryBurstsInOrder(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.start()
	p := filepath.Join(e.dir, "burst.properties")
	for i := 1; i <= 30; i++ {
		writeFile(t, p, properties(connector("burst", i)))
	}
	eventually(t, "last edit of the burst", func() bool { return e.hasConfig("burst", connector("burst", 30)) })
	if n := startCount("burst"); n > 5 {
		t.Errorf("a burst of 30 writes started the connector %d times; debouncing should coalesce them", n)
	}

	// Several files in one burst, then a rename: applied in order.
	for i := range 5 {
		writeFile(t, filepath.Join(e.dir, fmt.Sprintf("multi-%d.json", i)), mustJSON(t, connector(fmt.Sprintf("multi-%d", i), i)))
	}
	eventually(t, "five connectors", func() bool { return !e.gone("multi-4") && !e.gone("multi-0") })
	moved := startCount("multi-2")
	if err := os.Rename(filepath.Join(e.dir, "multi-2.json"), filepath.Join(e.dir, "renamed.json")); err != nil {
		t.Fatal(err)
	}
	// Barrier: an edit after the rename.
	writeFile(t, filepath.Join(e.dir, "multi-0.json"), mustJSON(t, connector("multi-0", 100)))
	eventually(t, "barrier", func() bool { return e.hasConfig("multi-0", connector("multi-0", 100)) })
	if !e.hasConfig("multi-2", connector("multi-2", 2)) {
		t.Fatal("renaming the file lost its connector")
	}
	if startCount("multi-2") != moved {
		t.Error("renaming a file without changing it restarted the connector")
	}
	// Removing the renamed file deletes the connector; the other file's
	// connector is untouched.
	if err := os.Remove(filepath.Join(e.dir, "renamed.json")); err != nil {
		t.Fatal(err)
	}
	eventually(t, "delete after rename", func() bool { return e.gone("multi-2") })
	if e.gone("multi-1") {
		t.Fatal("deleting one file deleted another connector")
	}
}

func mustJSON(t *testing.T, cfg map[string]string) string {
	t.Helper()
	b, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestInvalidEditsKeepRunning: every kind of bad edit leaves the running
// connector on its old config, is reported with file and key in the
// connector's status, and clears once fixed.
func TestInvalidEditsKeepRunning(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.start()
	p := filepath.Join(e.dir, "inv.properties")
	good := connector("inv", 1)
	writeFile(t, p, properties(good))
	eventually(t, "create", func() bool { return e.hasConfig("inv", good) })
	starts := startCount("inv")

	tests := []struct {
		name    string
		content string
		key     string
		msg     string
	}{
		{"type error", properties(connector("inv", 1, "tasks.max", "many")), "tasks.max", "Invalid value many for configuration tasks.max"},
		{"connector key error", properties(connector("inv", 1, "level", "high")), "level", "Invalid value high for configuration level"},
		{"unknown class", properties(connector("inv", 1, "connector.class", "NoSuch")), "connector.class", "NoSuch"},
		{"missing name", "connector.class=" + countingClass + "\n", "name", "is missing the mandatory 'name' configuration"},
		{"null value", `{"name":"inv","connector.class":"` + countingClass + `","level":null}`, "level", "Null value can not be supplied"},
		{"bad initial_state", `{"name":"inv","config":{"connector.class":"` + countingClass + `"},"initial_state":"SLEEPING"}`, "name", "missing the mandatory 'name'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			writeRename(t, p, tt.content)
			eventually(t, "issue reported", func() bool {
				st, err := e.worker.Status("inv")
				return err == nil && len(st.ConfigIssues) > 0 && strings.Contains(st.ConfigIssues[0].Message, tt.msg)
			})
			st, _ := e.worker.Status("inv")
			is := st.ConfigIssues[0]
			if is.File != p || is.Key != tt.key || is.Connector != "inv" {
				t.Errorf("issue = %+v, want file %s key %q", is, p, tt.key)
			}
			if st.Connector.State != runner.StateRunning || !e.hasConfig("inv", good) || startCount("inv") != starts {
				t.Errorf("the invalid edit disturbed the running connector: state %s", st.Connector.State)
			}
		})
	}
	fixed := connector("inv", 2)
	writeFile(t, p, properties(fixed))
	eventually(t, "fix applied", func() bool { return e.hasConfig("inv", fixed) })
	if st, _ := e.worker.Status("inv"); len(st.ConfigIssues) != 0 {
		t.Errorf("issues remain after the fix: %+v", st.ConfigIssues)
	}

	// A new file that is invalid has no connector: the issue is listed
	// worker-wide (GET /health).
	bad := writeFile(t, filepath.Join(e.dir, "broken.json"), `{"name": "broken", "config": {`)
	eventually(t, "worker-wide issue", func() bool {
		return slices.ContainsFunc(e.worker.ConfigIssues(), func(is runner.ConfigIssue) bool { return is.File == bad })
	})
	if err := os.Remove(bad); err != nil {
		t.Fatal(err)
	}
	eventually(t, "issue cleared by removal", func() bool { return len(e.worker.ConfigIssues()) == 0 })
}

// TestWriteThrough: REST changes (through the worker's methods, as the REST
// handlers call them) land in connectors.dir in the JSON form with
// initial_state, and a .properties file is replaced by its .json form.
func TestWriteThrough(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.start()
	ctx := context.Background()
	w := e.worker
	if _, err := w.PutConnectorConfig(ctx, "wt", connector("wt", 1), runner.TargetStarted, false); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(e.dir, "wt.json")
	check := func(level int, state string) {
		t.Helper()
		cf, err := configfile.ParseConnectorFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if cf.Name != "wt" || !maps.Equal(cf.Config, connector("wt", level)) || cf.InitialState != state {
			t.Fatalf("stored %+v, want level %d state %s", cf, level, state)
		}
	}
	check(1, "RUNNING")
	for _, st := range []struct {
		target runner.TargetState
		state  string
	}{{runner.TargetPaused, "PAUSED"}, {runner.TargetStopped, "STOPPED"}, {runner.TargetStarted, "RUNNING"}, {runner.TargetPaused, "PAUSED"}} {
		if err := w.SetTargetState(ctx, "wt", st.target); err != nil {
			t.Fatal(err)
		}
		check(1, st.state)
	}
	if _, err := w.PutConnectorConfig(ctx, "wt", connector("wt", 2), runner.TargetStarted, true); err != nil {
		t.Fatal(err)
	}
	check(2, "PAUSED") // PUT keeps the target state
	patch := "5"
	if _, err := w.PatchConnectorConfig(ctx, "wt", map[string]*string{"level": &patch}); err != nil {
		t.Fatal(err)
	}
	check(5, "PAUSED")
	if err := w.DeleteConnector(ctx, "wt"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(file); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("file after delete: %v", err)
	}

	// A connector from a .properties file is paused through REST: the file
	// becomes <base>.json and the .properties file goes.
	props := writeFile(t, filepath.Join(e.dir, "legacy.properties"), properties(connector("legacy", 1)))
	eventually(t, "legacy created", func() bool { return e.hasConfig("legacy", connector("legacy", 1)) })
	if err := w.SetTargetState(ctx, "legacy", runner.TargetPaused); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(props); !errors.Is(err, os.ErrNotExist) {
		t.Errorf(".properties file still there: %v", err)
	}
	cf, err := configfile.ParseConnectorFile(filepath.Join(e.dir, "legacy.json"))
	if err != nil || cf.InitialState != "PAUSED" {
		t.Fatalf("legacy.json = %+v, %v", cf, err)
	}
	// The watcher sees our own writes and leaves the connector alone.
	time.Sleep(150 * time.Millisecond)
	if e.target("legacy") != runner.TargetPaused || e.gone("legacy") {
		t.Fatal("the watcher undid a write-through")
	}

	// Names that cannot be file names are refused before anything changes
	// (control characters already by Kafka's validation of 'name').
	for _, tt := range []struct{ name, msg string }{
		{"a/b", "path separator"}, {`a\b`, "path separator"}, {".hidden", "starts with '.'"},
		{"tab\there", "may not contain control sequences"}, {strings.Repeat("x", MaxNameBytes+1), "longer than 200 bytes"},
	} {
		name := tt.name
		_, err := w.PutConnectorConfig(ctx, name, connector(name, 1), runner.TargetStarted, false)
		var bad *runner.BadRequestError
		if !errors.As(err, &bad) || !strings.Contains(bad.Msg, tt.msg) {
			t.Errorf("create %q: err = %v, want a bad request", name, err)
		}
		if !e.gone(name) {
			t.Errorf("create %q: connector exists after the refusal", name)
		}
	}
	entries, _ := os.ReadDir(e.dir)
	var names []string
	for _, en := range entries {
		names = append(names, en.Name())
	}
	if !slices.Equal(names, []string{"legacy.json"}) {
		t.Errorf("connectors.dir holds %v, want only legacy.json", names)
	}
}

// TestRestartRestoresConnectors: everything done through REST is there
// again, with its target state, after a restart.
func TestRestartRestoresConnectors(t *testing.T) {
	root := t.TempDir()
	e := newEnv(t, envOpts{root: root})
	e.start()
	ctx := context.Background()
	want := map[string]runner.TargetState{
		"rs-running": runner.TargetStarted, "rs-paused": runner.TargetPaused,
		"rs-stopped": runner.TargetStopped, "rs-created-paused": runner.TargetPaused,
	}
	for name := range want {
		initial := runner.TargetStarted
		if name == "rs-created-paused" {
			initial = runner.TargetPaused
		}
		if _, err := e.worker.PutConnectorConfig(ctx, name, connector(name, 1), initial, false); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.worker.PutConnectorConfig(ctx, "rs-running", connector("rs-running", 9), "", true); err != nil {
		t.Fatal(err)
	}
	for name, ts := range map[string]runner.TargetState{"rs-paused": runner.TargetPaused, "rs-stopped": runner.TargetStopped} {
		if err := e.worker.SetTargetState(ctx, name, ts); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.worker.PutConnectorConfig(ctx, "rs-deleted", connector("rs-deleted", 1), "", false); err != nil {
		t.Fatal(err)
	}
	if err := e.worker.DeleteConnector(ctx, "rs-deleted"); err != nil {
		t.Fatal(err)
	}
	e.stop()

	e2 := newEnv(t, envOpts{root: root})
	e2.start()
	if got := e2.worker.Connectors(); !slices.Equal(got, slices.Sorted(maps.Keys(want))) {
		t.Fatalf("connectors after restart = %v", got)
	}
	for name, ts := range want {
		if got := e2.target(name); got != ts {
			t.Errorf("%s: target %s after restart, want %s", name, got, ts)
		}
	}
	if !e2.hasConfig("rs-running", connector("rs-running", 9)) {
		t.Error("reconfiguration lost across the restart")
	}
	st, _ := e2.worker.Status("rs-stopped")
	if st.Connector.State != runner.StateStopped {
		t.Errorf("rs-stopped status %s", st.Connector.State)
	}
}

// TestCommandLineWinsOverDirectory: the same connector in a command-line
// file and in connectors.dir: the command-line file wins, the directory
// file is reported, and REST changes to it are not written to the directory.
func TestCommandLineWinsOverDirectory(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "connectors.d")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	dup := writeFile(t, filepath.Join(dir, "both.json"), mustJSON(t, connector("both", 2)))
	cli := writeFile(t, filepath.Join(root, "both.properties"), properties(connector("both", 1)))
	e := newEnv(t, envOpts{root: root, files: []string{cli}})
	e.start()
	if !e.hasConfig("both", connector("both", 1)) {
		t.Fatal("the command-line file did not win")
	}
	issues := e.worker.ConfigIssues()
	if len(issues) != 1 || issues[0].File != dup || !strings.Contains(issues[0].Message, "already defined by "+cli) {
		t.Fatalf("issues = %+v", issues)
	}
	before, _ := os.ReadFile(dup)
	if err := e.worker.SetTargetState(context.Background(), "both", runner.TargetPaused); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(dup)
	if string(before) != string(after) {
		t.Error("a REST change to a command-line connector was written to connectors.dir")
	}
	// Once the command-line file is gone, the directory's definition applies.
	if err := os.Remove(cli); err != nil {
		t.Fatal(err)
	}
	eventually(t, "directory definition takes over", func() bool { return e.hasConfig("both", connector("both", 2)) })
	if len(e.worker.ConfigIssues()) != 0 {
		t.Errorf("issues remain: %+v", e.worker.ConfigIssues())
	}
}

// TestReloadOnSignal: with events effectively never debounced in time,
// the reload signal alone applies an edit.
func TestReloadOnSignal(t *testing.T) {
	root := t.TempDir()
	f := writeFile(t, filepath.Join(root, "hup.properties"), properties(connector("hup", 1)))
	e := newEnv(t, envOpts{root: root, files: []string{f}, noDir: true, debounce: time.Hour})
	e.start()
	writeFile(t, f, properties(connector("hup", 2)))
	e.reload <- syscall.SIGHUP
	eventually(t, "reload", func() bool { return e.hasConfig("hup", connector("hup", 2)) })
}

func TestValidName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"my-connector", true},
		{"with space and ünïcode", true},
		{strings.Repeat("x", MaxNameBytes), true},
		{"", false},
		{strings.Repeat("x", MaxNameBytes+1), false},
		{"a/b", false},
		{`a\b`, false},
		{".", false},
		{"..", false},
		{".hidden", false},
		{"new\nline", false},
		{"nul\x00", false},
		{"del\x7f", false},
		{"\xff\xfe", false},
	}
	for _, tt := range tests {
		if err := ValidName(tt.name); (err == nil) != tt.ok {
			t.Errorf("ValidName(%q) = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}

// TestWriteThroughMeetsUnindexedFile: a REST create of a connector whose
// file a user has just written (not yet picked up) overwrites that file
// instead of adding a second one; a file for another connector is left
// alone.
func TestWriteThroughMeetsUnindexedFile(t *testing.T) {
	e := newEnv(t, envOpts{debounce: time.Hour})
	e.start()
	writeFile(t, filepath.Join(e.dir, "fresh.json"), mustJSON(t, connector("fresh", 1)))
	other := writeFile(t, filepath.Join(e.dir, "taken.json"), mustJSON(t, connector("somebody-else", 1)))
	ctx := context.Background()
	for _, name := range []string{"fresh", "taken"} {
		if _, err := e.worker.PutConnectorConfig(ctx, name, connector(name, 2), runner.TargetStarted, false); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(e.dir)
	var names []string
	for _, en := range entries {
		names = append(names, en.Name())
	}
	if want := []string{"fresh.json", "taken.1.json", "taken.json"}; !slices.Equal(names, want) {
		t.Fatalf("connectors.dir = %v, want %v", names, want)
	}
	if cf, err := configfile.ParseConnectorFile(other); err != nil || cf.Name != "somebody-else" {
		t.Fatalf("the other connector's file was overwritten: %+v %v", cf, err)
	}
	if cf, err := configfile.ParseConnectorFile(filepath.Join(e.dir, "fresh.json")); err != nil || cf.Config["level"] != "2" {
		t.Fatalf("fresh.json = %+v %v", cf, err)
	}
}
