package liveconfig

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/runner"
	"github.com/connect-go/connect-standalone/runner/configfile"
)

const crashHelperEnv = "LIVECONFIG_CRASH_HELPER_DIR"

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashHelperEnv); dir != "" {
		crashHelper(dir)
		return
	}
	os.Exit(m.Run())
}

// bigConfig makes write-throughs large enough (about 256 KiB) that a kill
// lands in the middle of one.
func bigConfig(name string, version int) map[string]string {
	c := connector(name, version)
	c["padding"] = strings.Repeat(fmt.Sprintf("v%d-", version), 64<<10/len(fmt.Sprintf("v%d-", version)))
	for i := range 3 {
		c[fmt.Sprintf("padding.%d", i)] = c["padding"]
	}
	return c
}

// crashHelper is the child process: it writes connectors through until it
// is killed. The first round goes through Persist; later rounds write
// pre-encoded versions with the same atomic write, so that nearly all the
// time is spent writing and kills land mid-write (JSON encoding dominates
// otherwise, above all under the race detector).
func crashHelper(dir string) {
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	m, err := New(Options{Dir: dir, Logger: zerolog.Nop()})
	if err != nil {
		fail(err)
	}
	m.w = runner.New(runner.Options{Logger: zerolog.Nop()}) // only for issue bookkeeping
	names := []string{"crash-a", "crash-b"}
	var versions [][]byte
	for v := range 4 {
		for _, name := range names {
			target := []runner.TargetState{runner.TargetStarted, runner.TargetPaused, runner.TargetStopped}[v%3]
			if v == 0 {
				if err := m.Persist(context.Background(), runner.Change{Name: name, Config: bigConfig(name, v), Target: target}); err != nil {
					fail(err)
				}
			}
			data, err := encodeConnector(name, bigConfig(name, v), target)
			if err != nil {
				fail(err)
			}
			versions = append(versions, data)
		}
	}
	fmt.Println("ready") // both files exist from here on
	for i := 0; ; i++ {
		data := versions[i%len(versions)]
		if err := writeFileAtomic(filepath.Join(dir, names[i%2]+".json"), data); err != nil {
			fail(err)
		}
	}
}

// TestCrashDuringWriteThrough kills a process that is writing connectors
// through at random moments: every connector file left behind is complete
// (one of the versions written), and the next start removes the unfinished
// temporary files.
func TestCrashDuringWriteThrough(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// Rounds go on until three kills have hit a write in progress (a
	// temporary file was left), which takes a handful on this machine.
	torn := 0
	for round := 0; torn < 3; round++ {
		if round == 60 {
			t.Fatalf("only %d of %d kills hit a write in progress", torn, round)
		}
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), crashHelperEnv+"="+dir)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 6)
		if _, err := out.Read(buf); err != nil {
			t.Fatalf("helper did not start: %v %s", err, stderr.String())
		}
		time.Sleep(time.Duration(5+rand.IntN(40)) * time.Millisecond)
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		if strings.TrimSpace(stderr.String()) != "" {
			t.Fatalf("helper failed: %s", stderr.String())
		}

		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		complete := 0
		for _, e := range entries {
			p := filepath.Join(dir, e.Name())
			if !isConnectorFileName(e.Name()) {
				if !isTempName(e.Name()) {
					t.Fatalf("round %d: unexpected file %s", round, e.Name())
				}
				torn++
				continue
			}
			cf, err := configfile.ParseConnectorFile(p)
			if err != nil {
				t.Fatalf("round %d: %s is not a complete connector file: %v", round, e.Name(), err)
			}
			v := 0
			fmt.Sscan(cf.Config["level"], &v)
			if !maps.Equal(cf.Config, bigConfig(cf.Name, v)) || e.Name() != cf.Name+".json" {
				t.Fatalf("round %d: %s holds a mixture of versions", round, e.Name())
			}
			complete++
		}
		if complete != 2 {
			t.Fatalf("round %d: %d complete connector files, want 2", round, complete)
		}
		// Starting again sweeps the temporary files away.
		if _, err := New(Options{Dir: dir, Logger: zerolog.Nop()}); err != nil {
			t.Fatal(err)
		}
		entries, _ = os.ReadDir(dir)
		for _, e := range entries {
			if isTempName(e.Name()) {
				t.Fatalf("round %d: temporary file %s survived a restart", round, e.Name())
			}
		}
	}
}
