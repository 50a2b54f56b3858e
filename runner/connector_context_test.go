package runner

import (
	"context"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/offsets"
	"github.com/connect-go/connect-standalone/runner/plugins"
	"github.com/connect-go/connect-standalone/runner/workerconfig"
)

// reconfConnector returns `tasks` task configs and lets the test ask for a
// reconfiguration through its ConnectorContext.
type reconfConnector struct {
	mu    sync.Mutex
	cc    connectors.ConnectorContext
	tasks int
	gen   string // part of every task config; a change restarts the tasks
}

var reconfInstance atomic.Pointer[reconfConnector]

func (c *reconfConnector) Version() string                           { return "1" }
func (c *reconfConnector) ConfigDef() *configdef.Def                 { return configdef.New() }
func (c *reconfConnector) Initialize(cc connectors.ConnectorContext) { c.cc = cc }
func (c *reconfConnector) Start(context.Context, map[string]string) error {
	reconfInstance.Store(c)
	return nil
}
func (c *reconfConnector) Stop() error                    { return nil }
func (c *reconfConnector) TaskClass() string              { return "test.ReconfTask" }
func (c *reconfConnector) NewTask() connectors.SourceTask { return &idleTask{} }
func (c *reconfConnector) TaskConfigs(max int) ([]map[string]string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]map[string]string, min(c.tasks, max))
	for i := range out {
		out[i] = map[string]string{"i": strconv.Itoa(i), "gen": c.gen}
	}
	return out, nil
}

func (c *reconfConnector) set(tasks int, gen string) {
	c.mu.Lock()
	c.tasks, c.gen = tasks, gen
	c.mu.Unlock()
	c.cc.RequestTaskReconfiguration()
}

type idleTask struct{}

func (t *idleTask) Start(context.Context, connectors.SourceTaskContext, map[string]string) error {
	taskStarts.Add(1)
	return nil
}
func (t *idleTask) Poll(ctx context.Context) ([]*connectors.Record, error) {
	<-ctx.Done()
	return nil, nil
}
func (t *idleTask) Commit(context.Context) error { return nil }
func (t *idleTask) Stop() error                  { return nil }

var taskStarts atomic.Int32

// TestRequestTaskReconfiguration: a connector's request recomputes the task
// configs; tasks restart only when the configs changed (StandaloneHerder).
func TestRequestTaskReconfiguration(t *testing.T) {
	taskStarts.Store(0)
	broker := startBroker(t)
	dir := t.TempDir()
	cfg, err := workerconfig.Parse(map[string]string{
		"bootstrap.servers": broker, "key.converter": "StringConverter", "value.converter": "StringConverter",
		"offset.storage.file.filename": filepath.Join(dir, "o"),
	})
	if err != nil {
		t.Fatal(err)
	}
	store, err := offsets.OpenFile(filepath.Join(dir, "o"))
	if err != nil {
		t.Fatal(err)
	}
	list := append(plugins.Builtins(), plugins.Plugin{Class: "test.ReconfConnector", Kind: plugins.KindSource, Version: "1",
		New: func() any { return &reconfConnector{tasks: 1, gen: "a"} }})
	w := New(Options{Config: cfg, Registry: plugins.New(list), Offsets: store, Logger: zerolog.New(zerolog.NewTestWriter(t)), WorkerID: "w"})
	defer func() { w.Stop(context.Background()); store.Close() }()
	ctx := context.Background()
	if _, err := w.PutConnectorConfig(ctx, "r", map[string]string{"name": "r", "connector.class": "test.ReconfConnector", "tasks.max": "3", "topic": "t"}, TargetStarted, false); err != nil {
		t.Fatal(err)
	}
	tasks := func() int {
		st, err := w.Status("r")
		if err != nil {
			return -1
		}
		return len(st.Tasks)
	}
	waitFor(t, "1 task", func() bool { return tasks() == 1 && taskStarts.Load() == 1 })
	c := reconfInstance.Load()

	c.set(5, "a") // capped at tasks.max
	waitFor(t, "3 tasks", func() bool { return tasks() == 3 && taskStarts.Load() == 4 })

	c.set(5, "a") // same configs: nothing restarts
	c.set(2, "b")
	waitFor(t, "2 tasks", func() bool { return tasks() == 2 && taskStarts.Load() == 6 })

	c.set(2, "b")
	if err := w.SetTargetState(ctx, "r", TargetPaused); err != nil {
		t.Fatal(err)
	}
	c.set(1, "c") // ignored: the connector is not running
	if err := w.SetTargetState(ctx, "r", TargetStarted); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "1 task after resume", func() bool { return tasks() == 1 })
}
