package liveconfig

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/runner"
	"github.com/connect-go/connect-standalone/runner/configfile"
	"github.com/connect-go/connect-standalone/runner/rest"
)

// withREST serves the env's worker over HTTP on a free loopback port.
func (e *env) withREST() string {
	e.t.Helper()
	srv, err := rest.New(rest.Config{Listeners: []string{"http://127.0.0.1:0"}, Logger: zerolog.Nop(), HealthStartupWait: time.Second})
	if err != nil {
		e.t.Fatal(err)
	}
	if err := srv.Listen(); err != nil {
		e.t.Fatal(err)
	}
	srv.Serve(e.worker)
	srv.MarkReady()
	e.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	return "http://" + srv.Addrs()[0].String()
}

func call(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestRESTShowsConfigErrors: a rejected edit appears as an extra
// config_errors field of the connector's status and of GET /health, whose
// other fields and status codes stay Kafka's.
func TestRESTShowsConfigErrors(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.start()
	base := e.withREST()
	p := filepath.Join(e.dir, "shown.properties")
	writeFile(t, p, properties(connector("shown", 1)))
	eventually(t, "create", func() bool { return !e.gone("shown") })
	if code, body := call(t, "GET", base+"/connectors/shown/status", ""); code != 200 || strings.Contains(body, "config_errors") {
		t.Fatalf("status before the bad edit: %d %s", code, body)
	}
	writeFile(t, p, properties(connector("shown", 1, "tasks.max", "x")))
	var st struct {
		Name      string `json:"name"`
		Connector struct {
			State string `json:"state"`
		} `json:"connector"`
		Tasks        []json.RawMessage `json:"tasks"`
		Type         string            `json:"type"`
		ConfigErrors []struct {
			Connector, File, Key, Message string
		} `json:"config_errors"`
	}
	eventually(t, "config_errors in the status", func() bool {
		_, body := call(t, "GET", base+"/connectors/shown/status", "")
		return json.Unmarshal([]byte(body), &st) == nil && len(st.ConfigErrors) > 0
	})
	want := "Invalid value x for configuration tasks.max: Not a number of type INT"
	if ce := st.ConfigErrors[0]; st.Name != "shown" || st.Type != "source" || st.Connector.State != "RUNNING" || len(st.Tasks) != 1 ||
		ce.Connector != "shown" || ce.File != p || ce.Key != "tasks.max" || ce.Message != want {
		t.Fatalf("status = %+v", st)
	}
	code, body := call(t, "GET", base+"/health", "")
	var h struct {
		Status, Message string
		ConfigErrors    []struct{ File, Key string } `json:"config_errors"`
	}
	if err := json.Unmarshal([]byte(body), &h); err != nil || code != 200 || h.Status != "healthy" || len(h.ConfigErrors) == 0 || h.ConfigErrors[0].Key != "tasks.max" {
		t.Fatalf("health = %d %s", code, body)
	}
	writeFile(t, p, properties(connector("shown", 1)))
	eventually(t, "cleared", func() bool {
		_, body := call(t, "GET", base+"/health", "")
		return !strings.Contains(body, "config_errors")
	})
}

// TestRaceRESTAndFileEdits: REST calls and file edits hit the same
// connectors at the same time. No request fails with a server error and,
// once both stop, the worker and connectors.dir agree on every connector,
// its config and its target state.
func TestRaceRESTAndFileEdits(t *testing.T) {
	e := newEnv(t, envOpts{debounce: 10 * time.Millisecond})
	e.start()
	base := e.withREST()
	names := []string{"race-0", "race-1", "race-2", "race-3"}
	for _, n := range names {
		body, _ := json.Marshal(map[string]any{"name": n, "config": connector(n, 0)})
		if code, b := call(t, "POST", base+"/connectors", string(body)); code != 201 {
			t.Fatalf("create %s: %d %s", n, code, b)
		}
	}
	var serverErrors atomic.Int32
	var wg sync.WaitGroup
	const rounds = 80
	// REST clients.
	for c := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(c), 1))
			for i := range rounds {
				n := names[r.IntN(len(names))]
				var code int
				var body string
				switch r.IntN(6) {
				case 0:
					cfg, _ := json.Marshal(connector(n, 100*(c+1)+i))
					code, body = call(t, "PUT", base+"/connectors/"+n+"/config", string(cfg))
				case 1:
					code, body = call(t, "PUT", base+"/connectors/"+n+"/pause", "")
				case 2:
					code, body = call(t, "PUT", base+"/connectors/"+n+"/resume", "")
				case 3:
					code, body = call(t, "PUT", base+"/connectors/"+n+"/stop", "")
				case 4:
					code, body = call(t, "PATCH", base+"/connectors/"+n+"/config", fmt.Sprintf(`{"level":"%d"}`, 1000+i))
				case 5:
					code, body = call(t, "DELETE", base+"/connectors/"+n, "")
				}
				if code >= 500 {
					serverErrors.Add(1)
					t.Errorf("server error %d: %s", code, body)
				}
				call(t, "GET", base+"/connectors?expand=status", "")
			}
		}()
	}
	// A user editing, renaming and removing files in connectors.dir.
	wg.Add(1)
	go func() {
		defer wg.Done()
		r := rand.New(rand.NewPCG(7, 7))
		for i := range rounds {
			n := names[r.IntN(len(names))]
			p := filepath.Join(e.dir, n+".json")
			switch r.IntN(4) {
			case 0, 1:
				body, _ := json.Marshal(map[string]any{"name": n, "config": connector(n, 5000+i), "initial_state": []string{"RUNNING", "PAUSED", "STOPPED"}[r.IntN(3)]})
				writeRename(t, p, string(body))
			case 2:
				os.Remove(p)
			case 3:
				writeFile(t, filepath.Join(e.dir, "extra.properties"), properties(connector("race-extra", i)))
			}
			time.Sleep(time.Duration(r.IntN(8)) * time.Millisecond)
		}
	}()
	wg.Wait()

	// difference describes how the worker and connectors.dir disagree.
	difference := func() string {
		defs := map[string]*configfile.ConnectorFile{}
		entries, _ := os.ReadDir(e.dir)
		for _, en := range entries {
			if !isConnectorFileName(en.Name()) {
				continue
			}
			cf, err := configfile.ParseConnectorFile(filepath.Join(e.dir, en.Name()))
			if err != nil {
				return fmt.Sprintf("%s: %v", en.Name(), err)
			}
			if defs[cf.Name] != nil {
				return fmt.Sprintf("%s: second file for %s", en.Name(), cf.Name)
			}
			defs[cf.Name] = &cf
		}
		if got, want := e.worker.Connectors(), slices.Sorted(maps.Keys(defs)); !slices.Equal(got, want) {
			return fmt.Sprintf("worker runs %v, directory defines %v", got, want)
		}
		for name, cf := range defs {
			ts, _ := runner.ParseInitialState(cf.InitialState)
			if cfg, _ := e.worker.ConnectorConfig(name); !maps.Equal(cfg, cf.Config) || e.target(name) != ts {
				return fmt.Sprintf("%s: worker has level %s %s, file has level %s %s", name, cfg["level"], e.target(name), cf.Config["level"], ts)
			}
		}
		if issues := e.worker.ConfigIssues(); len(issues) > 0 {
			return fmt.Sprintf("issues: %+v", issues)
		}
		return ""
	}
	var last string
	eventually(t, "worker and connectors.dir agree", func() bool {
		last = difference()
		if last != "" {
			t.Log(last)
		}
		return last == ""
	})
	time.Sleep(100 * time.Millisecond) // and stay so: nothing is still pending
	if d := difference(); d != "" {
		t.Fatal("worker and connectors.dir diverged again: " + d)
	}
	t.Logf("after the race: connectors %v", e.worker.Connectors())
}

// TestRESTWriteFailureChangesNothing: when connectors.dir cannot be
// written, REST changes fail with 500 and the connector is left as it was.
func TestRESTWriteFailureChangesNothing(t *testing.T) {
	e := newEnv(t, envOpts{debounce: time.Hour})
	e.start()
	base := e.withREST()
	body, _ := json.Marshal(map[string]any{"name": "wf", "config": connector("wf", 1)})
	if code, b := call(t, "POST", base+"/connectors", string(body)); code != 201 {
		t.Fatalf("create: %d %s", code, b)
	}
	// The directory is replaced by a plain file: every write fails.
	if err := os.RemoveAll(e.dir); err != nil {
		t.Fatal(err)
	}
	writeFile(t, e.dir, "not a directory")
	cfg, _ := json.Marshal(connector("wf", 2))
	for _, req := range []struct{ method, path, body string }{
		{"PUT", "/connectors/wf/pause", ""},
		{"PUT", "/connectors/wf/stop", ""},
		{"PUT", "/connectors/wf/config", string(cfg)},
		{"POST", "/connectors", `{"name":"wf2","config":` + mustJSON(t, connector("wf2", 1)) + `}`},
	} {
		code, b := call(t, req.method, base+req.path, req.body)
		if code != 500 || !strings.Contains(b, "cannot write connector") {
			t.Errorf("%s %s: %d %s, want 500", req.method, req.path, code, b)
		}
	}
	if e.target("wf") != runner.TargetStarted || !e.hasConfig("wf", connector("wf", 1)) || !e.gone("wf2") {
		t.Fatal("a change that could not be stored was applied")
	}
}
