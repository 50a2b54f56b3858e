package tail_test

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/connect-go/connect-standalone/runner"
)

// ctl runs a scenario either in process (normal) or in a child process that
// is killed with SIGKILL once, at the scenario's crash point, and restarted.
type ctl struct {
	e      *env
	kill   bool
	props  map[string]string
	w      *runner.Worker // normal mode
	cmd    *exec.Cmd      // kill mode
	killed bool
	atKill map[[2]uint64]commit
}

func (c *ctl) start() {
	if c.kill {
		c.cmd = c.e.startChild(c.props)
	} else {
		c.w, _ = c.e.startWorker(c.props)
	}
}

// settle waits until everything written so far arrived.
func (c *ctl) settle() { c.e.waitAll(60 * time.Second) }

// crash (kill mode only) waits for progress, kills the worker with
// SIGKILL while it is sending, restarts it and waits for progress again.
func (c *ctl) crash() {
	if !c.kill || c.killed {
		return
	}
	c.e.waitCount(c.e.got.count() + 1)
	c.down()
	c.up()
}

func (c *ctl) down() {
	kill9(c.cmd)
	c.killed = true
	c.atKill = c.e.committed()
}

func (c *ctl) up() {
	c.cmd = c.e.startChild(c.props)
}

// whileDown runs fn while the worker is dead (kill mode) or running.
func (c *ctl) whileDown(fn func()) {
	if !c.kill || c.killed {
		fn()
		return
	}
	c.e.waitCount(c.e.got.count() + 1)
	c.down()
	fn()
	c.up()
}

func (c *ctl) check() {
	if !c.kill {
		c.e.checkExactlyOnce()
		return
	}
	dups := c.e.checkAtLeastOnce(c.atKill)
	c.e.t.Logf("%d duplicates after kill -9", dups)
}

type scenario struct {
	name  string
	props func(e *env) map[string]string
	run   func(c *ctl)
	// dupsOK: duplicates are allowed even without a kill (the race of
	// copytruncate between copy and truncate).
	heavy bool
}

func runScenarios(t *testing.T, scs []scenario) {
	for _, sc := range scs {
		for _, kill := range []bool{false, true} {
			name := sc.name
			if kill {
				name += "/kill-9"
			}
			t.Run(name, func(t *testing.T) {
				if sc.heavy && kill && testing.Short() {
					t.Skip("heavy kill -9 case skipped in -short mode")
				}
				e := newEnv(t)
				c := &ctl{e: e, kill: kill, props: e.props(sc.props(e))}
				c.start()
				sc.run(c)
				c.check()
			})
		}
	}
}

func rename(t testing.TB, from, to string) {
	t.Helper()
	if err := os.Rename(from, to); err != nil {
		t.Fatal(err)
	}
}

func TestScenarios(t *testing.T) {
	runScenarios(t, []scenario{
		{
			name:  "rotate-create",
			props: func(e *env) map[string]string { return map[string]string{"paths": e.path("app.log*")} },
			run: func(c *ctl) {
				e := c.e
				e.write("app.log", numbered("gen1", 0, 20000)...)
				c.crash()
				rename(e.t, e.path("app.log"), e.path("app.log.1"))
				e.write("app.log.1", numbered("late", 0, 100)...) // the writer still has the old file open
				e.write("app.log", numbered("gen2", 0, 20000)...)
				c.settle()
				rename(e.t, e.path("app.log.1"), e.path("app.log.2"))
				rename(e.t, e.path("app.log"), e.path("app.log.1"))
				e.write("app.log", numbered("gen3", 0, 1000)...)
			},
		},
		{
			name:  "rotate-create-while-down",
			props: func(e *env) map[string]string { return map[string]string{"paths": e.path("app.log*")} },
			run: func(c *ctl) {
				e := c.e
				e.write("app.log", numbered("gen1", 0, 20000)...)
				c.whileDown(func() {
					rename(e.t, e.path("app.log"), e.path("app.log.1"))
					e.write("app.log.1", numbered("late", 0, 100)...)
					e.write("app.log", numbered("gen2", 0, 5000)...)
				})
				e.write("app.log", numbered("gen2b", 0, 5000)...)
			},
		},
		{
			name:  "rotate-copytruncate",
			props: func(e *env) map[string]string { return map[string]string{"paths": e.path("app.log*")} },
			run: func(c *ctl) {
				e := c.e
				e.write("app.log", numbered("gen1", 0, 20000)...)
				if c.kill {
					c.crash()
				} else {
					c.settle()
				}
				copyTruncate(e.t, e.path("app.log"), e.path("app.log.1"))
				e.write("app.log", numbered("gen2", 0, 20000)...)
			},
		},
		{
			name:  "copytruncate-while-down",
			props: func(e *env) map[string]string { return map[string]string{"paths": e.path("app.log*")} },
			run: func(c *ctl) {
				e := c.e
				e.write("app.log", numbered("gen1", 0, 20000)...)
				if !c.kill {
					c.settle()
				}
				c.whileDown(func() {
					copyTruncate(e.t, e.path("app.log"), e.path("app.log.1"))
					e.write("app.log", numbered("gen2", 0, 5000)...)
				})
			},
		},
		{
			name:  "truncate",
			props: func(e *env) map[string]string { return map[string]string{"paths": e.path("app.log")} },
			run: func(c *ctl) {
				e := c.e
				e.write("app.log", numbered("gen1", 0, 5000)...)
				c.settle()
				if err := os.Truncate(e.path("app.log"), 0); err != nil {
					e.t.Fatal(err)
				}
				e.write("app.log", numbered("gen2", 0, 20000)...)
				c.crash()
				e.write("app.log", numbered("gen2b", 0, 100)...)
			},
		},
		{
			name: "delete-while-reading",
			props: func(e *env) map[string]string {
				return map[string]string{"paths": e.path("*.log"), "batch.size": "500"}
			},
			run: func(c *ctl) {
				e := c.e
				e.write("big.log", numbered("big", 0, 30000)...)
				c.crash()
				e.waitCount(e.got.count() + 1)
				if err := os.Remove(e.path("big.log")); err != nil {
					e.t.Fatal(err)
				}
				e.write("other.log", numbered("other", 0, 10)...)
			},
		},
		{
			name: "multiline",
			props: func(e *env) map[string]string {
				return map[string]string{"paths": e.path("*.log"), "multiline.pattern": `^\d{4}-`, "multiline.negate": "true", "multiline.timeout.ms": "200"}
			},
			run: func(c *ctl) {
				e := c.e
				writeTraces(e, "java.log", 0, 2000)
				c.crash()
				writeTraces(e, "java.log", 2000, 2000)
			},
		},
		{
			name: "long-lines",
			props: func(e *env) map[string]string {
				return map[string]string{"paths": e.path("*.log"), "max.line.bytes": "1000"}
			},
			run: func(c *ctl) {
				e := c.e
				writeLong(e, "long.log", 0, 3000)
				c.crash()
				writeLong(e, "long.log", 3000, 3000)
			},
		},
		{
			name:  "1000-files",
			heavy: true,
			props: func(e *env) map[string]string {
				return map[string]string{"paths": e.path("**/*.log"), "tasks.max": "4", "glob.refresh.interval.ms": "200"}
			},
			run: func(c *ctl) {
				e := c.e
				e.write("d0/f0000.log", numbered("f0000", 0, 20)...)
				c.settle()
				for i := 1; i < 1000; i++ {
					e.write(fmt.Sprintf("d%d/f%04d.log", i%10, i), numbered(fmt.Sprintf("f%04d", i), 0, 20)...)
				}
				c.crash()
				for i := 0; i < 1000; i++ {
					e.write(fmt.Sprintf("d%d/f%04d.log", i%10, i), numbered(fmt.Sprintf("f%04d", i), 20, 20)...)
				}
				if !c.kill {
					c.settle()
					st, err := c.w.Status(e.name)
					if err != nil || len(st.Tasks) != 4 {
						e.t.Fatalf("status %+v, %v: want 4 tasks after the files appeared", st, err)
					}
				}
			},
		},
	})
}

// copyTruncate does what logrotate's copytruncate does.
func copyTruncate(t testing.TB, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(from, 0); err != nil {
		t.Fatal(err)
	}
}

// writeTraces writes n Java-style log events of 8 lines each.
func writeTraces(e *env, name string, from, n int) {
	var lines, values []string
	for i := from; i < from+n; i++ {
		ev := []string{
			fmt.Sprintf("2024-05-01 12:00:%02d ERROR request %d failed", i%60, i),
			fmt.Sprintf("java.lang.IllegalStateException: bad state %d", i),
			"\tat com.example.Service.handle(Service.java:42)",
			"\tat com.example.Server.dispatch(Server.java:117)",
			"\tat java.base/java.lang.Thread.run(Thread.java:833)",
			fmt.Sprintf("Caused by: java.io.IOException: disk %d", i),
			"\tat com.example.Store.write(Store.java:9)",
			"\t... 3 more",
		}
		lines = append(lines, ev...)
		values = append(values, strings.Join(ev, "\n"))
	}
	e.writeRaw(name, lines, values)
}

// writeLong writes n lines; every third is 5,000 bytes and expected cut to 1,000.
func writeLong(e *env, name string, from, n int) {
	var lines, values []string
	for i := from; i < from+n; i++ {
		l := fmt.Sprintf("line-%07d ", i)
		if i%3 == 0 {
			l += strings.Repeat(fmt.Sprintf("<%07d>", i), 5000/9)
			lines, values = append(lines, l), append(values, l[:1000])
			continue
		}
		lines, values = append(lines, l), append(values, l)
	}
	e.writeRaw(name, lines, values)
}
