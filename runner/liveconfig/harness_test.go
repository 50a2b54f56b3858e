package liveconfig

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/offsets"
	"github.com/connect-go/connect-standalone/runner"
	"github.com/connect-go/connect-standalone/runner/devkafka"
	"github.com/connect-go/connect-standalone/runner/plugins"
	"github.com/connect-go/connect-standalone/runner/workerconfig"
)

// countingClass is a source connector that counts its starts by connector
// name, so tests can tell which connectors an edit restarted.
const countingClass = "test.liveconfig.CountingSourceConnector"

var starts sync.Map // connector name -> *atomic.Int32

func startCount(name string) int32 {
	if v, ok := starts.Load(name); ok {
		return v.(*atomic.Int32).Load()
	}
	return 0
}

type countingConnector struct{ props map[string]string }

func (c *countingConnector) Version() string { return "1.0" }
func (c *countingConnector) ConfigDef() *configdef.Def {
	return configdef.New().Define(configdef.Key{Name: "level", Type: configdef.TypeInt, Default: int32(0), Importance: configdef.Low, Doc: "test value"})
}
func (c *countingConnector) Start(_ context.Context, props map[string]string) error {
	c.props = props
	v, _ := starts.LoadOrStore(props["name"], new(atomic.Int32))
	v.(*atomic.Int32).Add(1)
	return nil
}
func (c *countingConnector) TaskConfigs(int) ([]map[string]string, error) {
	return []map[string]string{{"level": c.props["level"]}}, nil
}
func (c *countingConnector) Stop() error                    { return nil }
func (c *countingConnector) TaskClass() string              { return "test.liveconfig.IdleTask" }
func (c *countingConnector) NewTask() connectors.SourceTask { return idleTask{} }

type idleTask struct{}

func (idleTask) Start(context.Context, connectors.SourceTaskContext, map[string]string) error {
	return nil
}
func (idleTask) Poll(ctx context.Context) ([]*connectors.Record, error) {
	select {
	case <-ctx.Done():
	case <-time.After(50 * time.Millisecond):
	}
	return nil, nil
}
func (idleTask) Commit(context.Context) error { return nil }
func (idleTask) Stop() error                  { return nil }

func registry() *plugins.Registry {
	return plugins.New(append(plugins.Builtins(), plugins.Plugin{Class: countingClass, Kind: plugins.KindSource, Version: "1.0",
		New: func() any { return &countingConnector{} }}))
}

var (
	brokerOnce sync.Once
	brokerAddr string
	brokerErr  error
)

// broker is one dev-kafka for the package's tests: tasks connect to it
// over TCP with the real client.
func broker(t *testing.T) string {
	t.Helper()
	brokerOnce.Do(func() {
		var b *devkafka.Broker
		b, brokerErr = devkafka.Start(context.Background(), devkafka.Options{Listen: "127.0.0.1:0"})
		if brokerErr == nil {
			brokerAddr = b.Addr()
		}
	})
	if brokerErr != nil {
		t.Fatal(brokerErr)
	}
	return brokerAddr
}

// env is a worker plus a manager over files and a connectors.dir.
type env struct {
	t       *testing.T
	root    string // holds the offsets file and command-line files
	dir     string // connectors.dir
	worker  *runner.Worker
	live    *Manager
	reload  chan os.Signal
	store   *offsets.FileStore
	stopped bool
}

type envOpts struct {
	files    []string // command-line files
	noDir    bool
	debounce time.Duration
	root     string // reuse (restart tests)
}

func newEnv(t *testing.T, o envOpts) *env {
	t.Helper()
	root := o.root
	if root == "" {
		root = t.TempDir()
	}
	props := map[string]string{
		"bootstrap.servers":                 broker(t),
		"key.converter":                     "org.apache.kafka.connect.storage.StringConverter",
		"value.converter":                   "org.apache.kafka.connect.storage.StringConverter",
		"offset.storage.file.filename":      filepath.Join(root, "connect.offsets"),
		"offset.flush.interval.ms":          "60000",
		"task.shutdown.graceful.timeout.ms": "5000",
	}
	e := &env{t: t, root: root, reload: make(chan os.Signal, 1)}
	if !o.noDir {
		e.dir = filepath.Join(root, "connectors.d")
		props["connectors.dir"] = e.dir
	}
	cfg, err := workerconfig.Parse(props)
	if err != nil {
		t.Fatal(err)
	}
	if e.store, err = offsets.OpenFile(cfg.OffsetStorageFile); err != nil {
		t.Fatal(err)
	}
	log := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)
	e.worker = runner.New(runner.Options{Config: cfg, Registry: registry(), Offsets: e.store, Logger: log, WorkerID: "127.0.0.1:8083"})
	debounce := o.debounce
	if debounce == 0 {
		debounce = 30 * time.Millisecond
	}
	e.live, err = New(Options{Worker: e.worker, Files: o.files, Dir: cfg.ConnectorsDir, Debounce: debounce, Reload: e.reload, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ConnectorsDir != "" {
		e.worker.SetPersister(e.live.Persist)
	}
	t.Cleanup(e.stop)
	return e
}

func (e *env) start() {
	e.t.Helper()
	if err := e.live.Start(context.Background()); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) stop() {
	if e.stopped {
		return
	}
	e.stopped = true
	e.live.Stop()
	e.worker.Stop(context.Background())
	e.store.Close()
}

// connector returns a counting connector's config for name.
func connector(name string, level int, extra ...string) map[string]string {
	c := map[string]string{"name": name, "connector.class": countingClass, "tasks.max": "1", "level": fmt.Sprint(level)}
	for i := 0; i+1 < len(extra); i += 2 {
		c[extra[i]] = extra[i+1]
	}
	return c
}

func properties(cfg map[string]string) string {
	s := ""
	for k, v := range cfg {
		s += k + "=" + v + "\n"
	}
	return s
}

// writeRename writes a file the way many editors and Kubernetes do: to a
// temporary name, then renamed over the original.
func writeRename(t *testing.T, path, content string) {
	t.Helper()
	tmp := filepath.Join(filepath.Dir(path), ".edit-"+filepath.Base(path)+"~")
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// eventually polls cond until it holds or 10 s have passed.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// hasConfig says whether the worker runs name with exactly cfg.
func (e *env) hasConfig(name string, cfg map[string]string) bool {
	got, err := e.worker.ConnectorConfig(name)
	return err == nil && maps.Equal(got, cfg)
}

func (e *env) gone(name string) bool {
	_, err := e.worker.ConnectorConfig(name)
	return err != nil
}

func (e *env) target(name string) runner.TargetState {
	ts, _ := e.worker.TargetState(name)
	return ts
}
