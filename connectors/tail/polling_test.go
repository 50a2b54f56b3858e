package tail_test

import (
	"os"
	"strings"
	"testing"
	"time"
)

// TestPollingOnly runs without fsnotify (watch.enable=false), as on file
// systems whose events never arrive: appends, a rename rotation and a file
// appearing later are all found by polling alone.
func TestPollingOnly(t *testing.T) {
	e := newEnv(t)
	props := e.props(map[string]string{"paths": e.path("*.log*"), "watch.enable": "false",
		"poll.interval.ms": "50", "glob.refresh.interval.ms": "100"})
	e.write("a.log", numbered("a", 0, 500)...)
	_, stop := e.startWorker(props)
	defer stop()
	e.waitAll(20 * time.Second)
	e.write("a.log", numbered("a", 500, 100)...)
	if err := os.Rename(e.path("a.log"), e.path("a.log.1")); err != nil {
		t.Fatal(err)
	}
	e.write("a.log", numbered("a2", 0, 100)...)
	e.write("late.log", numbered("late", 0, 50)...)
	e.checkExactlyOnce()
}

// TestIgnoreOlder skips files not modified within ignore.older.ms and
// reads the others.
func TestIgnoreOlder(t *testing.T) {
	e := newEnv(t)
	old := e.path("old.log")
	if err := os.WriteFile(old, []byte(strings.Join(numbered("old", 0, 20), "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	hourAgo := time.Now().Add(-time.Hour)
	if err := os.Chtimes(old, hourAgo, hourAgo); err != nil {
		t.Fatal(err)
	}
	e.write("new.log", numbered("new", 0, 20)...) // the only expected values
	_, stop := e.startWorker(e.props(map[string]string{"paths": e.path("*.log"), "ignore.older.ms": "60000"}))
	defer stop()
	e.waitAll(20 * time.Second)
	time.Sleep(500 * time.Millisecond) // several poll intervals: old.log stays unread
	e.checkExactlyOnce()
}
