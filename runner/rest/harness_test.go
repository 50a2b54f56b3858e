package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/connectors/pathpolicy"
	"github.com/connect-go/connect-standalone/offsets"
	"github.com/connect-go/connect-standalone/runner"
	"github.com/connect-go/connect-standalone/runner/devkafka"
	"github.com/connect-go/connect-standalone/runner/loggers"
	"github.com/connect-go/connect-standalone/runner/metrics"
	"github.com/connect-go/connect-standalone/runner/plugins"
	"github.com/connect-go/connect-standalone/runner/providers"
	"github.com/connect-go/connect-standalone/runner/redact"
	"github.com/connect-go/connect-standalone/runner/workerconfig"
)

// env is a running worker with its REST server and a dev-kafka broker.
type env struct {
	t      *testing.T
	broker string
	dir    string
	worker *runner.Worker
	server *Server
	base   string // http://host:port of the first listener
	admin  string // of the first admin listener, if any
	client *http.Client
}

type envOpts struct {
	props    map[string]string // extra worker properties
	notReady bool              // do not call MarkReady
	tweak    func(*Config)
	// Security hardening under test.
	paths         *pathpolicy.Policy
	maxConnectors int
	secrets       *redact.Set      // redaction of logs and responses, as standalone wires it
	plugins       []plugins.Plugin // installed next to the built-ins
	logTo         io.Writer        // also receives the log lines (after redaction)
}

var sharedBroker string

func startBroker(t *testing.T) string {
	t.Helper()
	b, err := devkafka.Start(context.Background(), devkafka.Options{Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b.Addr()
}

func newEnv(t *testing.T, o envOpts) *env {
	t.Helper()
	broker := startBroker(t)
	dir := t.TempDir()
	props := map[string]string{
		"bootstrap.servers":                 broker,
		"key.converter":                     "org.apache.kafka.connect.storage.StringConverter",
		"value.converter":                   "org.apache.kafka.connect.storage.StringConverter",
		"offset.storage.file.filename":      filepath.Join(dir, "connect.offsets"),
		"offset.flush.interval.ms":          "200",
		"task.shutdown.graceful.timeout.ms": "5000",
		"listeners":                         "http://127.0.0.1:0",
		"consumer.session.timeout.ms":       "6000",
		"consumer.heartbeat.interval.ms":    "1000",
	}
	for k, v := range o.props {
		props[k] = v
	}
	cfg, err := workerconfig.Parse(props)
	if err != nil {
		t.Fatal(err)
	}
	store, err := offsets.OpenFile(cfg.OffsetStorageFile)
	if err != nil {
		t.Fatal(err)
	}
	var transformer *providers.Transformer
	if props["config.providers"] != "" {
		if transformer, err = providers.FromWorkerConfig(props); err != nil {
			t.Fatal(err)
		}
		if o.secrets != nil {
			transformer.Observe(o.secrets.Add)
		}
	}
	var logOut io.Writer = zerolog.NewTestWriter(t)
	if o.logTo != nil {
		logOut = io.MultiWriter(logOut, o.logTo)
	}
	if o.secrets != nil {
		logOut = o.secrets.Writer(logOut)
	}
	base := zerolog.New(logOut).Level(zerolog.InfoLevel)
	logs := loggers.New(base)
	scfg := Config{Worker: cfg, Version: "3.9.0", Commit: "abc", ClusterID: "test-cluster", Loggers: logs, Logger: base,
		HealthStartupWait: 200 * time.Millisecond}
	var reg *metrics.Registry
	if o.secrets != nil {
		scfg.Middleware = append(scfg.Middleware, o.secrets.Middleware)
		reg = metrics.New(metrics.Options{Window: cfg.MetricsSampleWindow, Samples: cfg.MetricsNumSamples})
		scfg.Routes = func(mux *http.ServeMux) { mux.Handle("GET /metrics", reg.Handler()) }
	}
	if o.tweak != nil {
		o.tweak(&scfg)
	}
	srv, err := New(scfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	w := runner.New(runner.Options{Config: cfg, Registry: plugins.New(append(plugins.Builtins(), o.plugins...)), Offsets: store,
		Providers: transformer, Logger: base, WorkerID: srv.WorkerID(), Loggers: logs, Paths: o.paths, MaxConnectors: o.maxConnectors, Metrics: reg})
	srv.Serve(w)
	if !o.notReady {
		srv.MarkReady()
	}
	e := &env{t: t, broker: broker, dir: dir, worker: w, server: srv, client: &http.Client{Timeout: 60 * time.Second}}
	if addrs := srv.Addrs(); len(addrs) > 0 {
		e.base = "http://" + addrs[0].String()
	}
	if addrs := srv.AdminAddrs(); len(addrs) > 0 {
		e.admin = "http://" + addrs[0].String()
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		w.Stop(context.Background())
		store.Close()
		e.client.CloseIdleConnections()
	})
	return e
}

type resp struct {
	code   int
	body   string
	header http.Header
}

// json decodes the body into v.
func (r resp) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("decoding %q: %v", r.body, err)
	}
}

// do sends a request to the regular listener; body is sent as JSON.
func (e *env) do(method, path, body string) resp {
	return e.doURL(method, e.base+path, body, "application/json")
}

func (e *env) doURL(method, url, body, contentType string) resp {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" && contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := e.client.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{code: res.StatusCode, body: string(b), header: res.Header}
}

// expect checks the status and, if want is not empty, the exact body.
func (e *env) expect(method, path, body string, code int, want string) resp {
	e.t.Helper()
	r := e.do(method, path, body)
	if r.code != code {
		e.t.Fatalf("%s %s: status %d, want %d; body %s", method, path, r.code, code, r.body)
	}
	if want != "" && r.body != want {
		e.t.Fatalf("%s %s: body\n%s\nwant\n%s", method, path, r.body, want)
	}
	return r
}

// expectError checks an error response's shape, code and message.
func (e *env) expectError(method, path, body string, code int, msg string) {
	e.t.Helper()
	r := e.do(method, path, body)
	var em struct {
		ErrorCode int    `json:"error_code"`
		Message   string `json:"message"`
	}
	if r.code != code {
		e.t.Fatalf("%s %s: status %d, want %d; body %s", method, path, r.code, code, r.body)
	}
	r.json(e.t, &em)
	if em.ErrorCode != code || (msg != "" && !strings.Contains(em.Message, msg)) {
		e.t.Fatalf("%s %s: error %s, want code %d and a message containing %q", method, path, r.body, code, msg)
	}
}

func (e *env) waitFor(what string, cond func() bool, last ...*string) {
	e.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(last) > 0 {
		what += " (last seen: " + *last[0] + ")"
	}
	e.t.Fatalf("timed out waiting for %s", what)
}

// state returns the connector state and task states from /status.
func (e *env) state(name string) (string, []string) {
	e.t.Helper()
	r := e.do("GET", "/connectors/"+name+"/status", "")
	if r.code != 200 {
		return "", nil
	}
	var st connectorStateInfo
	r.json(e.t, &st)
	var tasks []string
	for _, t := range st.Tasks {
		tasks = append(tasks, t.State)
	}
	return st.Connector.State, tasks
}

func (e *env) waitState(name, conn string, tasks ...string) {
	e.t.Helper()
	var last string
	e.waitFor(name+" "+conn+" "+strings.Join(tasks, ","), func() bool {
		c, ts := e.state(name)
		last = c + " " + strings.Join(ts, ",")
		return c == conn && strings.Join(ts, ",") == strings.Join(tasks, ",")
	}, &last)
}

func mustJSON(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	return strings.TrimSpace(b.String())
}

// sourceBody is a POST /connectors body for a FileStreamSource.
func (e *env) sourceBody(name, file, topic string, extra ...string) string {
	cfg := map[string]any{"connector.class": "FileStreamSource", "tasks.max": "1", "file": file, "topic": topic}
	for i := 0; i+1 < len(extra); i += 2 {
		cfg[extra[i]] = extra[i+1]
	}
	return mustJSON(map[string]any{"name": name, "config": cfg})
}

func (e *env) sinkBody(name, file, topics string, extra ...string) string {
	cfg := map[string]any{"connector.class": "FileStreamSink", "tasks.max": "1", "file": file, "topics": topics}
	for i := 0; i+1 < len(extra); i += 2 {
		cfg[extra[i]] = extra[i+1]
	}
	return mustJSON(map[string]any{"name": name, "config": cfg})
}
