package tail_test

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/crc64"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/IBM/sarama"
	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/offsets"
	"github.com/connect-go/connect-standalone/runner"
	"github.com/connect-go/connect-standalone/runner/devkafka"
	"github.com/connect-go/connect-standalone/runner/plugins"
	"github.com/connect-go/connect-standalone/runner/workerconfig"
)

// The test binary doubles as a worker process (for kill -9 tests): with
// childEnv set to a JSON childSpec it runs one connector until SIGTERM.
const childEnv = "TAIL_TEST_WORKER"

type childSpec struct {
	Broker, Offsets, Name string
	Connector             map[string]string
}

func TestMain(m *testing.M) {
	if spec := os.Getenv(childEnv); spec != "" {
		os.Exit(childMain(spec))
	}
	os.Exit(m.Run())
}

func childMain(raw string) int {
	var spec childSpec
	if err := json.Unmarshal([]byte(raw), &spec); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	log := zerolog.New(os.Stderr).Level(zerolog.InfoLevel).With().Timestamp().Logger()
	w, store, err := newWorker(spec.Broker, spec.Offsets, log)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	if _, err := w.PutConnectorConfig(context.Background(), spec.Name, spec.Connector, runner.TargetStarted, false); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	<-sig
	w.Stop(context.Background())
	store.Close()
	return 0
}

func newWorker(broker, offsetsFile string, log zerolog.Logger) (*runner.Worker, *offsets.FileStore, error) {
	cfg, err := workerconfig.Parse(map[string]string{
		"bootstrap.servers":                 broker,
		"key.converter":                     "org.apache.kafka.connect.storage.StringConverter",
		"value.converter":                   "org.apache.kafka.connect.storage.StringConverter",
		"offset.storage.file.filename":      offsetsFile,
		"offset.flush.interval.ms":          "100",
		"task.shutdown.graceful.timeout.ms": "5000",
	})
	if err != nil {
		return nil, nil, err
	}
	store, err := offsets.OpenFile(offsetsFile)
	if err != nil {
		return nil, nil, err
	}
	w := runner.New(runner.Options{Config: cfg, Registry: plugins.New(plugins.Builtins()), Offsets: store, Logger: log, WorkerID: "127.0.0.1:8083"})
	return w, store, nil
}

// env is one test's broker, directory, topic and consumer.
type env struct {
	t       testing.TB
	dir     string
	logDir  string // outside dir, which the globs watch
	broker  *devkafka.Broker
	offsets string
	topic   string
	name    string
	got     *collector

	mu    sync.Mutex
	want  []string
	where map[string]lineAt // line -> where it was written
	gens  map[[2]uint64]*generation
}

type lineAt struct {
	id  [2]uint64
	end int64
	gen *generation
}

// generation is the content of one file from its creation or last
// truncation: its first bytes tell which generation a committed offset's
// fingerprint belongs to.
type generation struct{ head []byte }

// commit is a committed offset read from the offsets file.
type commit struct {
	pos   int64
	fp    string
	fpLen int64
}

func (g *generation) fingerprint(n int64) string {
	if int64(len(g.head)) < n {
		return ""
	}
	return fmt.Sprintf("%016x", crc64.Checksum(g.head[:n], crc64.MakeTable(crc64.ECMA)))
}

func newEnv(t testing.TB) *env {
	t.Helper()
	b, err := devkafka.Start(context.Background(), devkafka.Options{Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	e := &env{t: t, dir: t.TempDir(), logDir: t.TempDir(), broker: b, topic: "logs", name: "tail", where: map[string]lineAt{}, gens: map[[2]uint64]*generation{}}
	e.offsets = filepath.Join(e.logDir, "connect.offsets")
	if err := b.CreateTopic(context.Background(), e.topic, 1); err != nil {
		t.Fatal(err)
	}
	e.got = startCollector(t, b.Addr(), e.topic)
	return e
}

func (e *env) path(name string) string { return filepath.Join(e.dir, name) }

func (e *env) props(extra map[string]string) map[string]string {
	p := map[string]string{
		"name":             e.name,
		"connector.class":  "FileTailSource",
		"tasks.max":        "1",
		"topic":            e.topic,
		"poll.interval.ms": "100",
		"rotate.wait.ms":   "1000",
	}
	for k, v := range extra {
		p[k] = v
	}
	return p
}

// startWorker runs the connector in this process; the returned func stops it.
func (e *env) startWorker(props map[string]string) (*runner.Worker, func()) {
	e.t.Helper()
	log := zerolog.New(zerolog.NewTestWriter(e.t)).Level(zerolog.WarnLevel)
	w, store, err := newWorker(e.broker.Addr(), e.offsets, log)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := w.PutConnectorConfig(context.Background(), e.name, props, runner.TargetStarted, false); err != nil {
		e.t.Fatal(err)
	}
	var once sync.Once
	stop := func() {
		once.Do(func() {
			w.Stop(context.Background())
			store.Close()
		})
	}
	e.t.Cleanup(stop)
	return w, stop
}

// startChild runs the connector in a child process (to be killed).
func (e *env) startChild(props map[string]string) *exec.Cmd {
	e.t.Helper()
	spec, _ := json.Marshal(childSpec{Broker: e.broker.Addr(), Offsets: e.offsets, Name: e.name, Connector: props})
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+string(spec))
	logf, err := os.OpenFile(filepath.Join(e.logDir, "child.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		e.t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait(); logf.Close() })
	return cmd
}

func kill9(cmd *exec.Cmd) {
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
}

// write appends lines to a file and records them as expected values.
func (e *env) write(name string, lines ...string) {
	e.t.Helper()
	e.writeRaw(name, lines, lines)
}

// writeRaw appends the lines and expects the given record values.
func (e *env) writeRaw(name string, lines, values []string) {
	e.t.Helper()
	if err := os.MkdirAll(filepath.Dir(e.path(name)), 0o755); err != nil {
		e.t.Fatal(err)
	}
	f, err := os.OpenFile(e.path(name), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		e.t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	id := statID(st)
	pos := st.Size()
	var sb strings.Builder
	for _, l := range lines {
		sb.WriteString(l)
		sb.WriteByte('\n')
	}
	if _, err := f.WriteString(sb.String()); err != nil {
		e.t.Fatal(err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	g := e.gens[id]
	if g == nil || pos == 0 {
		g = &generation{}
		e.gens[id] = g
	}
	if len(g.head) < 1024 {
		b := []byte(sb.String())
		g.head = append(g.head, b[:min(len(b), 1024-len(g.head))]...)
	}
	for _, l := range lines {
		pos += int64(len(l)) + 1
		e.where[l] = lineAt{id: id, end: pos, gen: g}
	}
	e.want = append(e.want, values...)
}

// numbered returns n lines "prefix-i".
func numbered(prefix string, from, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s-%07d", prefix, from+i)
	}
	return out
}

func statID(st os.FileInfo) [2]uint64 {
	s := st.Sys().(*syscall.Stat_t)
	return [2]uint64{uint64(s.Dev), s.Ino}
}

func (e *env) wanted() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.want...)
}

// waitAll waits until every expected value arrived.
func (e *env) waitAll(timeout time.Duration) {
	e.t.Helper()
	want := e.wanted()
	deadline := time.Now().Add(timeout)
	for {
		missing := e.got.missing(want)
		if len(missing) == 0 {
			return
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(e.logDir, "child.log"))
			if len(log) > 20000 {
				log = log[len(log)-20000:]
			}
			e.t.Fatalf("%d of %d values missing, e.g. %q; child log tail:\n%s", len(missing), len(want), missing[0], log)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitCount waits until at least n records arrived.
func (e *env) waitCount(n int) {
	e.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for e.got.count() < n {
		if time.Now().After(deadline) {
			e.t.Fatalf("only %d of %d records arrived", e.got.count(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// checkExactlyOnce: every expected value arrived once, nothing else did.
func (e *env) checkExactlyOnce() {
	e.t.Helper()
	e.waitAll(30 * time.Second)
	time.Sleep(100 * time.Millisecond)
	counts := e.got.counts()
	want := e.wanted()
	if n := e.got.count(); n != len(want) {
		extra := []string{}
		wantSet := map[string]bool{}
		for _, w := range want {
			wantSet[w] = true
		}
		for v, c := range counts {
			if !wantSet[v] || c > 1 {
				extra = append(extra, fmt.Sprintf("%q x%d", trunc(v), c))
			}
			if len(extra) > 5 {
				break
			}
		}
		e.t.Fatalf("%d records for %d expected values; unexpected: %v", n, len(want), extra)
	}
}

func trunc(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

// committed reads the committed positions of the offsets file (after a kill).
func (e *env) committed() map[[2]uint64]commit {
	e.t.Helper()
	store, err := offsets.OpenFile(e.offsets)
	if err != nil {
		e.t.Fatal(err)
	}
	defer store.Close()
	out := map[[2]uint64]commit{}
	for _, p := range store.Partitions(e.name) {
		off, err := store.Get(e.name, p)
		if err != nil || off == nil {
			continue
		}
		id := [2]uint64{uint64(p["device"].(int64)), uint64(p["inode"].(int64))}
		out[id] = commit{pos: off["position"].(int64), fp: off["fingerprint"].(string), fpLen: off["fingerprint.bytes"].(int64)}
	}
	return out
}

// checkAtLeastOnce: every value arrived; a value arrived twice only if it
// was written past the position committed when the worker was killed.
func (e *env) checkAtLeastOnce(atKill map[[2]uint64]commit) int {
	e.t.Helper()
	e.waitAll(60 * time.Second)
	counts := e.got.counts()
	dups := 0
	e.mu.Lock()
	defer e.mu.Unlock()
	for v, c := range counts {
		if c == 1 {
			continue
		}
		dups += c - 1
		if c > 2 {
			e.t.Errorf("%q arrived %d times after one kill", trunc(v), c)
			continue
		}
		at, ok := e.where[v]
		if !ok {
			continue // a joined event: checked by count only
		}
		// A commit of another generation of the file says nothing about this line.
		if c, ok := atKill[at.id]; ok && at.end <= c.pos && at.gen.fingerprint(c.fpLen) == c.fp {
			e.t.Errorf("%q (ends at %d) arrived twice though %d was committed before the kill", trunc(v), at.end, c.pos)
		}
	}
	return dups
}

// collector consumes the topic from the start for the whole test.
type collector struct {
	mu      sync.Mutex
	values  map[string]int
	n       int
	records []*sarama.ConsumerMessage
	keep    bool
}

func startCollector(t testing.TB, broker, topic string) *collector {
	t.Helper()
	cfg := sarama.NewConfig()
	cfg.Version = sarama.V2_8_0_0
	c, err := sarama.NewConsumer([]string{broker}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	pc, err := c.ConsumePartition(topic, 0, sarama.OffsetOldest)
	if err != nil {
		t.Fatal(err)
	}
	col := &collector{values: map[string]int{}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m := range pc.Messages() {
			col.mu.Lock()
			col.values[string(m.Value)]++
			col.n++
			if col.keep {
				col.records = append(col.records, m)
			}
			col.mu.Unlock()
		}
	}()
	t.Cleanup(func() { pc.Close(); c.Close(); <-done })
	return col
}

func (c *collector) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

func (c *collector) counts() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.values))
	for k, v := range c.values {
		out[k] = v
	}
	return out
}

func (c *collector) missing(want []string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, w := range want {
		if c.values[w] == 0 {
			out = append(out, w)
		}
	}
	return out
}

func writeBytes(path string, b []byte) error { return os.WriteFile(path, b, 0o644) }
