package rest

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connect-go/connect-standalone/connectors/pathpolicy"
	"github.com/connect-go/connect-standalone/runner"
	"github.com/connect-go/connect-standalone/runner/redact"
)

// syncBuffer is a log sink written by many goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestCanarySecretNeverShown supplies secrets through a config provider,
// uses them where they end up in errors, task traces, topic names and
// metric labels, then reads every endpoint and the log output: the canary
// never appears, [hidden] does.
func TestCanarySecretNeverShown(t *testing.T) {
	const marker = "7f3a9c"
	dir := t.TempDir()
	secrets := filepath.Join(dir, "secrets.properties")
	in := filepath.Join(dir, "in.txt")
	if err := os.WriteFile(in, []byte("line one\nline two\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "canary-dir-"+marker, "out.txt") // the sink cannot create it
	if err := os.WriteFile(secrets, []byte(strings.Join([]string{
		"topic=canary-topic-" + marker,
		"pw=canary-pw-" + marker,
		"file=" + missing,
		"batch=canary-batch-" + marker,
	}, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	v := func(key string) string { return "${file:" + secrets + ":" + key + "}" }
	logs := &syncBuffer{}
	set := redact.New()
	e := newEnv(t, envOpts{
		props:   map[string]string{"config.providers": "file", "config.providers.file.class": "FileConfigProvider"},
		secrets: set,
		logTo:   logs,
	})

	var bodies []string
	record := func(r resp) resp {
		bodies = append(bodies, r.body)
		for k, vs := range r.header {
			bodies = append(bodies, k+": "+strings.Join(vs, ","))
		}
		return r
	}
	if r := record(e.do("POST", "/connectors", e.sinkBody("leaky", v("file"), v("topic"), "my.password", v("pw")))); r.code != 201 {
		t.Fatalf("create sink: %d %s", r.code, r.body)
	}
	if r := record(e.do("POST", "/connectors", e.sourceBody("src", in, v("topic")))); r.code != 201 {
		t.Fatalf("create source: %d %s", r.code, r.body)
	}
	e.waitState("leaky", "RUNNING", "FAILED")
	e.waitState("src", "RUNNING", "RUNNING")
	e.waitFor("the source's active topic", func() bool {
		return strings.Contains(e.do("GET", "/connectors/src/topics", "").body, `"topics":["`)
	})
	// A validation error quotes the resolved value.
	bad := e.sourceBody("bad", in, "t", "batch.size", v("batch"))
	if r := record(e.do("POST", "/connectors", bad)); r.code != 400 || !strings.Contains(r.body, "[hidden]") {
		t.Fatalf("invalid batch.size: %d %s", r.code, r.body)
	}
	record(e.do("PUT", "/connector-plugins/FileStreamSource/config/validate",
		mustJSON(map[string]string{"connector.class": "FileStreamSource", "file": in, "topic": v("topic"), "batch.size": v("batch")})))
	record(e.do("PUT", "/connectors/leaky/config", mustJSON(map[string]string{
		"connector.class": "FileStreamSink", "topics": v("topic"), "file": v("file"), "my.password": v("pw"), "batch.size": v("batch")})))
	e.waitState("leaky", "RUNNING", "FAILED")

	for _, path := range []string{
		"/", "/connectors", "/connectors?expand=status&expand=info",
		"/connectors/leaky", "/connectors/leaky/config", "/connectors/leaky/status", "/connectors/leaky/tasks",
		"/connectors/leaky/tasks-config", "/connectors/leaky/tasks/0/status", "/connectors/leaky/topics", "/connectors/leaky/offsets",
		"/connectors/src", "/connectors/src/status", "/connectors/src/tasks", "/connectors/src/topics", "/connectors/src/offsets",
		"/connector-plugins", "/connector-plugins/FileStreamSink/config", "/admin/loggers", "/health", "/metrics",
	} {
		record(e.do("GET", path, ""))
	}
	record(e.do("POST", "/connectors/leaky/tasks/0/restart", ""))
	e.waitState("leaky", "RUNNING", "FAILED")
	record(e.do("GET", "/connectors/leaky/tasks/0/status", ""))

	all := strings.Join(bodies, "\n") + "\n" + logs.String()
	if i := strings.Index(all, marker); i >= 0 {
		t.Fatalf("a secret leaked: ...%s...", all[max(0, i-300):min(len(all), i+100)])
	}
	// The paths above really carried the secrets: redaction, not luck.
	if st := e.do("GET", "/connectors/leaky/tasks/0/status", "").body; !strings.Contains(st, "[hidden]") {
		t.Errorf("the failed task's trace shows no [hidden]: %s", st)
	}
	if tp := e.do("GET", "/connectors/src/topics", "").body; tp != `{"src":{"topics":["[hidden]"]}}` {
		t.Errorf("topics = %s", tp)
	}
	if m := e.do("GET", "/metrics", "").body; !strings.Contains(m, `connector="leaky"`) {
		t.Errorf("metrics lack the connectors: %.300s", m)
	}
	if !strings.Contains(logs.String(), "[hidden]") {
		t.Errorf("the logs show no [hidden]")
	}
}

// TestPathPolicyOverREST: files outside connector.allowed.paths are refused
// with 400 naming the key, at create, update and validate.
func TestPathPolicyOverREST(t *testing.T) {
	root := t.TempDir()
	allowed, outside := filepath.Join(root, "allowed"), filepath.Join(root, "outside")
	for _, d := range []string{allowed, outside} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(outside, filepath.Join(allowed, "escape")); err != nil {
		t.Fatal(err)
	}
	policy, err := pathpolicy.Parse(allowed)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, envOpts{paths: policy})
	for _, tc := range []struct {
		name, body, key string
		ok              bool
	}{
		{"sink inside", e.sinkBody("ok-sink", allowed+"/out.txt", "t"), "", true},
		{"source inside", e.sourceBody("ok-src", allowed+"/in.txt", "t"), "", true},
		{"sink outside", e.sinkBody("s1", outside+"/out.txt", "t"), "file", false},
		{"sink dotdot", e.sinkBody("s2", allowed+"/../outside/out.txt", "t"), "file", false},
		{"sink symlinked dir", e.sinkBody("s3", allowed+"/escape/out.txt", "t"), "file", false},
		{"source outside", e.sourceBody("s4", "/etc/passwd", "t"), "file", false},
		{"tail glob outside", mustJSON(map[string]any{"name": "t1", "config": map[string]string{
			"connector.class": "FileTailSource", "topic": "t", "paths": allowed + "/*.log," + outside + "/*.log"}}), "paths", false},
		{"tail glob inside", mustJSON(map[string]any{"name": "t2", "config": map[string]string{
			"connector.class": "FileTailSource", "topic": "t", "paths": allowed + "/**/*.log"}}), "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do("POST", "/connectors", tc.body)
			if tc.ok {
				if r.code != 201 {
					t.Fatalf("%d %s", r.code, r.body)
				}
				return
			}
			if r.code != 400 || !strings.Contains(r.body, "for configuration "+tc.key+":") || !strings.Contains(r.body, "connector.allowed.paths") {
				t.Fatalf("want 400 naming %s and connector.allowed.paths, got %d %s", tc.key, r.code, r.body)
			}
		})
	}
	r := e.do("PUT", "/connector-plugins/FileStreamSink/config/validate",
		mustJSON(map[string]string{"connector.class": "FileStreamSink", "topics": "t", "file": outside + "/x"}))
	if !strings.Contains(r.body, `"error_count":2`) || !strings.Contains(r.body, "for configuration file: the path is not allowed: it is outside connector.allowed.paths") {
		t.Errorf("validate: %s", r.body)
	}
	e.expectError("PUT", "/connectors/ok-sink/config", mustJSON(map[string]string{"connector.class": "FileStreamSink", "topics": "t", "file": "/tmp/x"}), 400, "connector.allowed.paths")
}

// TestSlowClientCannotHoldServer: a client that never finishes its headers
// is cut off after ReadHeaderTimeout, and other clients are served
// meanwhile; connections past MaxConnections are closed at once; requests
// past MaxConcurrentRequests get 429.
func TestSlowClientCannotHoldServer(t *testing.T) {
	e := newEnv(t, envOpts{tweak: func(c *Config) {
		c.ReadHeaderTimeout = 300 * time.Millisecond
		c.MaxConnections = 4
	}})
	addr := strings.TrimPrefix(e.base, "http://")
	var slow []net.Conn
	for range 3 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprint(c, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ") // never finished
		slow = append(slow, c)
	}
	// The fourth slot still serves a real client.
	e.expect("GET", "/", "", 200, "")
	e.client.CloseIdleConnections()
	// Past the limit: closed without an answer.
	extra := make([]net.Conn, 0, 2)
	for range 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		extra = append(extra, c)
	}
	time.Sleep(50 * time.Millisecond)
	closed := 0
	for _, c := range extra {
		fmt.Fprint(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
		c.SetReadDeadline(time.Now().Add(2 * time.Second))
		if _, err := bufio.NewReader(c).ReadString('\n'); err != nil {
			closed++
		}
	}
	if closed == 0 {
		t.Errorf("no connection past MaxConnections was closed")
	}
	// The slow clients are disconnected after the header timeout.
	start := time.Now()
	for _, c := range slow {
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		buf := make([]byte, 512)
		for {
			if _, err := c.Read(buf); err != nil {
				break
			}
		}
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("slow clients held their connections for %v", d)
	}
	e.waitFor("a free slot after the slow clients left", func() bool {
		res, err := e.client.Get(e.base + "/")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == 200
	})
}

func TestConcurrentRequestLimit(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{}, 8)
	h := limitRequests(2, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		<-release
	}))
	srv := &http.Server{Handler: h}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()
	url := "http://" + ln.Addr().String() + "/"
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if res, err := http.Get(url); err == nil {
				res.Body.Close()
			}
		}()
	}
	<-entered
	<-entered
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Errorf("third request: %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	close(release)
	wg.Wait()
}

func TestConnectorBounds(t *testing.T) {
	e := newEnv(t, envOpts{maxConnectors: 2})
	long := strings.Repeat("n", runner.MaxConnectorNameBytes+1)
	e.expectError("POST", "/connectors", e.sinkBody(long, "", "t"), 400, "the limit is 255 bytes")
	e.expect("POST", "/connectors", e.sinkBody("a", "", "t"), 201, "")
	e.expect("POST", "/connectors", e.sinkBody("b", "", "t"), 201, "")
	e.expectError("POST", "/connectors", e.sinkBody("c", "", "t"), 400, "already runs 2 connectors")
	e.expectError("PUT", "/connectors/c/config", mustJSON(map[string]string{"connector.class": "FileStreamSink", "topics": "t"}), 400, "its limit")
	// Replacing an existing connector is not creating one.
	e.expect("PUT", "/connectors/b/config", mustJSON(map[string]string{"connector.class": "FileStreamSink", "topics": "t2"}), 200, "")
}
