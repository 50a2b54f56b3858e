package rest

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func appendLines(t *testing.T, path string, from, to int) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for i := from; i <= to; i++ {
		fmt.Fprintf(f, "line %d\n", i)
	}
}

func countLines(path string) int {
	b, _ := os.ReadFile(path)
	return strings.Count(string(b), "\n")
}

func TestRootAndHealth(t *testing.T) {
	e := newEnv(t, envOpts{notReady: true})
	e.expect("GET", "/", "", 200, `{"version":"3.9.0","commit":"abc","kafka_cluster_id":"test-cluster"}`)
	e.expect("GET", "/health", "", 503, `{"status":"starting","message":"Worker is still starting up."}`)
	e.server.MarkReady()
	e.expect("GET", "/health", "", 200, `{"status":"healthy","message":"Worker has completed startup and is ready to handle requests."}`)
	e.expect("GET", "/nope", "", 404, `{"error_code":404,"message":"HTTP 404 Not Found"}`)
	e.expect("DELETE", "/connector-plugins", "", 405, `{"error_code":405,"message":"HTTP 405 Method Not Allowed"}`)
	e.expect("POST", "/connectors/x/status", "", 405, "")
	e.expect("GET", "/connectors", "", 200, `[]`)
	e.expect("GET", "/connectors/", "", 200, `[]`)
}

func TestConnectorLifecycle(t *testing.T) {
	e := newEnv(t, envOpts{})
	in, out := filepath.Join(e.dir, "in.txt"), filepath.Join(e.dir, "out.txt")
	appendLines(t, in, 1, 100)
	wid := e.server.WorkerID()

	r := e.expect("POST", "/connectors", e.sourceBody("src", in, "lifecycle"), 201,
		`{"name":"src","config":{"connector.class":"FileStreamSource","file":"`+in+`","name":"src","tasks.max":"1","topic":"lifecycle"},"tasks":[{"connector":"src","task":0}],"type":"source"}`)
	if loc := r.header.Get("Location"); loc != e.base+"/connectors/src" {
		t.Fatalf("Location %q", loc)
	}
	e.expectError("POST", "/connectors", e.sourceBody("src", in, "lifecycle"), 409, "Connector src already exists")
	e.expect("POST", "/connectors", e.sinkBody(" snk ", out, "lifecycle"), 201, "") // name trimmed
	e.waitFor("100 lines in the sink file", func() bool { return countLines(out) >= 100 })

	e.expect("GET", "/connectors", "", 200, `["snk","src"]`)
	e.waitState("src", "RUNNING", "RUNNING")
	e.expect("GET", "/connectors/src/status", "", 200,
		`{"name":"src","connector":{"state":"RUNNING","worker_id":"`+wid+`"},"tasks":[{"id":0,"state":"RUNNING","worker_id":"`+wid+`"}],"type":"source"}`)
	e.expect("GET", "/connectors/src/tasks/0/status", "", 200, `{"id":0,"state":"RUNNING","worker_id":"`+wid+`"}`)
	e.expectError("GET", "/connectors/src/tasks/7/status", "", 404, "No status found for task src-7")
	e.expectError("GET", "/connectors/src/tasks/x/status", "", 404, "HTTP 404 Not Found")
	e.expect("GET", "/connectors/src/config", "", 200,
		`{"connector.class":"FileStreamSource","file":"`+in+`","name":"src","tasks.max":"1","topic":"lifecycle"}`)
	e.expect("GET", "/connectors/src/tasks", "", 200,
		`[{"id":{"connector":"src","task":0},"config":{"connector.class":"FileStreamSource","file":"`+in+`","name":"src","task.class":"org.apache.kafka.connect.file.FileStreamSourceTask","tasks.max":"1","topic":"lifecycle"}}]`)
	e.expect("GET", "/connectors/src/tasks-config", "", 200, "")
	e.expect("GET", "/connectors/src/topics", "", 200, `{"src":{"topics":["lifecycle"]}}`)
	e.expect("GET", "/connectors/snk/topics", "", 200, `{"snk":{"topics":["lifecycle"]}}`)
	e.expect("GET", "/connectors/nobody/topics", "", 200, `{"nobody":{"topics":[]}}`)
	e.expect("PUT", "/connectors/src/topics/reset", "", 202, "")
	e.expect("GET", "/connectors/src/topics", "", 200, `{"src":{"topics":[]}}`)

	// expand
	var exp map[string]map[string]any
	e.expect("GET", "/connectors?expand=info&expand=status", "", 200, "").json(t, &exp)
	if len(exp) != 2 || exp["src"]["info"] == nil || exp["src"]["status"] == nil {
		t.Fatalf("expand: %v", exp)
	}
	r = e.expect("GET", "/connectors?expand=status", "", 200, "")
	if !strings.HasPrefix(r.body, `{"snk":{"status":{"name":"snk"`) {
		t.Fatalf("expand=status: %s", r.body)
	}
	e.expect("GET", "/connectors?expand=bogus", "", 200, `{"snk":{},"src":{}}`)

	// pause / resume
	e.expect("PUT", "/connectors/src/pause", "", 202, "")
	e.waitState("src", "PAUSED", "PAUSED")
	e.expect("PUT", "/connectors/src/pause", "", 202, "") // idempotent
	e.expect("PUT", "/connectors/src/resume", "", 202, "")
	e.waitState("src", "RUNNING", "RUNNING")
	appendLines(t, in, 101, 150)
	e.waitFor("150 lines after resume", func() bool { return countLines(out) >= 150 })

	// stop / resume from STOPPED
	e.expect("PUT", "/connectors/src/stop", "", 204, "")
	e.waitState("src", "STOPPED")
	e.expect("GET", "/connectors/src/tasks", "", 200, `[]`)
	e.expectError("GET", "/connectors/src/tasks-config", "", 404, "Connector src not found")
	e.expect("GET", "/connectors/src", "", 200, `{"name":"src","config":{"connector.class":"FileStreamSource","file":"`+in+`","name":"src","tasks.max":"1","topic":"lifecycle"},"tasks":[],"type":"source"}`)
	e.expect("PUT", "/connectors/src/resume", "", 202, "")
	e.waitState("src", "RUNNING", "RUNNING")

	// restarts
	e.expect("POST", "/connectors/src/restart", "", 204, "")
	e.expect("POST", "/connectors/src/restart?includeTasks=true", "", 202,
		`{"name":"src","connector":{"state":"RESTARTING","worker_id":"`+wid+`"},"tasks":[{"id":0,"state":"RESTARTING","worker_id":"`+wid+`"}],"type":"source"}`)
	e.waitState("src", "RUNNING", "RUNNING")
	e.expect("POST", "/connectors/src/restart?includeTasks=true&onlyFailed=true", "", 202,
		`{"name":"src","connector":{"state":"RUNNING","worker_id":"`+wid+`"},"tasks":[{"id":0,"state":"RUNNING","worker_id":"`+wid+`"}],"type":"source"}`)
	e.expect("POST", "/connectors/src/restart?onlyFailed=true", "", 202, "")
	e.expect("POST", "/connectors/src/tasks/0/restart", "", 204, "")
	e.waitState("src", "RUNNING", "RUNNING")
	e.expectError("POST", "/connectors/src/tasks/3/restart", "", 404, "Task src-3 not found")
	e.expectError("POST", "/connectors/nope/tasks/0/restart", "", 404, "Connector nope not found")
	e.expectError("POST", "/connectors/nope/restart", "", 404, "Connector nope not found")
	e.expectError("POST", "/connectors/nope/restart?includeTasks=true", "", 404, "Unknown connector: nope")
	appendLines(t, in, 151, 200)
	e.waitFor("200 lines after restarts", func() bool { return countLines(out) >= 200 })

	// unknown connectors
	for _, c := range []struct{ method, path, msg string }{
		{"GET", "/connectors/nope", "Connector nope not found"},
		{"GET", "/connectors/nope/config", "Connector nope not found"},
		{"GET", "/connectors/nope/tasks", "Connector nope not found"},
		{"GET", "/connectors/nope/status", "No status found for connector nope"},
		{"PUT", "/connectors/nope/pause", "Unknown connector nope"},
		{"PUT", "/connectors/nope/resume", "Unknown connector nope"},
		{"PUT", "/connectors/nope/stop", "Connector nope not found"},
		{"DELETE", "/connectors/nope", "Connector nope not found"},
		{"GET", "/connectors/nope/offsets", "Connector nope not found"},
		{"DELETE", "/connectors/nope/offsets", "Connector nope not found"},
	} {
		e.expectError(c.method, c.path, "", 404, c.msg)
	}
	e.expectError("POST", "/connectors/src/tasks", "[]", 500, "does not support externally setting task configurations")
	e.expectError("PUT", "/connectors/src/fence", "", 500, "does not support exactly-once source connectors")

	e.expect("DELETE", "/connectors/src", "", 204, "")
	e.expect("DELETE", "/connectors/snk", "", 204, "")
	e.expect("GET", "/connectors", "", 200, `[]`)
	e.expectError("GET", "/connectors/src/status", "", 404, "No status found for connector src")
}

func TestInitialStateAndFailedTasks(t *testing.T) {
	e := newEnv(t, envOpts{})
	in := filepath.Join(e.dir, "in.txt")
	appendLines(t, in, 1, 3)
	body := `{"name":"p","config":{"connector.class":"FileStreamSource","file":"` + in + `","topic":"t"},"initial_state":"paused"}`
	e.expect("POST", "/connectors", body, 201, `{"name":"p","config":{"connector.class":"FileStreamSource","file":"`+in+`","name":"p","topic":"t"},"tasks":[],"type":"source"}`)
	e.waitState("p", "PAUSED")
	body = `{"name":"s","config":{"connector.class":"FileStreamSource","file":"` + in + `","topic":"t"},"initial_state":"STOPPED"}`
	e.expect("POST", "/connectors", body, 201, "")
	e.waitState("s", "STOPPED")
	e.expectError("POST", "/connectors", `{"name":"q","config":{"connector.class":"FileStreamSource","topic":"t"},"initial_state":"SLEEPING"}`, 400, "SLEEPING")
	e.expect("PUT", "/connectors/p/resume", "", 202, "")
	e.waitState("p", "RUNNING", "RUNNING")

	// A task failing at start: a sink file in a directory that does not exist.
	body = `{"name":"f","config":{"connector.class":"FileStreamSink","file":"` + filepath.Join(e.dir, "no", "such", "dir") + `","topics":"t"}}`
	e.expect("POST", "/connectors", body, 201, "")
	e.waitState("f", "RUNNING", "FAILED")
	r := e.expect("GET", "/connectors/f/tasks/0/status", "", 200, "")
	var ts taskState
	r.json(t, &ts)
	if ts.State != "FAILED" || ts.Trace == "" {
		t.Fatalf("failed task status %s", r.body)
	}
	r = e.expect("POST", "/connectors/f/restart?includeTasks=true&onlyFailed=true", "", 202, "")
	var plan connectorStateInfo
	r.json(t, &plan)
	if plan.Connector.State != "RUNNING" || plan.Tasks[0].State != "RESTARTING" {
		t.Fatalf("plan %s", r.body)
	}
	e.waitState("f", "RUNNING", "FAILED")
}

func TestCreateErrors(t *testing.T) {
	e := newEnv(t, envOpts{})
	src := func(cfg string) string { return `{"name":"a","config":{` + cfg + `}}` }
	cases := []struct {
		name, body string
		code       int
		msg        string
	}{
		{"malformed JSON", `{"name":`, 400, "Cannot deserialize"},
		{"not an object", `[]`, 400, "Cannot deserialize"},
		{"unknown field", `{"name":"a","config":{},"bogus":1}`, 400, "unknown field"},
		{"trailing data", `{"name":"a","config":{}} {}`, 400, "unexpected data"},
		{"missing config", `{"name":"a"}`, 400, "Connector config is missing"},
		{"array value", src(`"connector.class":["x"]`), 400, "connector.class"},
		{"null value", src(`"connector.class":null`), 400, "may not be null"},
		{"no class", src(`"topic":"t"`), 400, "Connector config {name=a, topic=t} contains no connector type"},
		{"unknown class", src(`"connector.class":"Nope"`), 400, "Failed to find any class that implements Connector and which name matches Nope"},
		{"name mismatch", src(`"name":"b","connector.class":"FileStreamSource"`), 400, "Connector name configuration (b) doesn't match connector name in the URL (a)"},
		{"invalid config", src(`"connector.class":"FileStreamSource","tasks.max":"0"`), 400,
			"Connector configuration is invalid and contains the following 2 error(s):\nInvalid value 0 for configuration tasks.max: Value must be at least 1\nMissing required configuration \"topic\" which has no default value.\nYou can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`"},
		{"empty name", `{"name":"  ","config":{"connector.class":"FileStreamSource","topic":"t"}}`, 400, "name"},
		{"empty body", ``, 400, "Request body is missing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { e.expectError("POST", "/connectors", c.body, c.code, c.msg) })
	}
	// numbers and booleans are coerced to strings, as Jackson does
	e.expect("POST", "/connectors", `{"name":"n","config":{"connector.class":"FileStreamSink","topics":"t","tasks.max":1,"errors.log.enable":true,"file":"`+filepath.Join(e.dir, "o")+`"}}`, 201, "")
	e.expect("GET", "/connectors/n/config", "", 200, `{"connector.class":"FileStreamSink","errors.log.enable":"true","file":"`+filepath.Join(e.dir, "o")+`","name":"n","tasks.max":"1","topics":"t"}`)

	if r := e.doURL("POST", e.base+"/connectors", `{}`, "text/plain"); r.code != 415 || r.body != `{"error_code":415,"message":"HTTP 415 Unsupported Media Type"}` {
		t.Fatalf("wrong content type: %d %s", r.code, r.body)
	}
	big := `{"name":"big","config":{"x":"` + strings.Repeat("a", DefaultMaxBodyBytes) + `"}}`
	e.expectError("POST", "/connectors", big, 413, "larger than the limit")
	e.expect("GET", "/connectors", "", 200, `["n"]`)
}

func TestPutAndPatchConfig(t *testing.T) {
	e := newEnv(t, envOpts{})
	out := filepath.Join(e.dir, "out.txt")
	cfg := `{"connector.class":"FileStreamSink","topics":"t1","file":"` + out + `"}`
	r := e.expect("PUT", "/connectors/k/config", cfg, 201, `{"name":"k","config":{"connector.class":"FileStreamSink","file":"`+out+`","name":"k","topics":"t1"},"tasks":[{"connector":"k","task":0}],"type":"sink"}`)
	if r.header.Get("Location") == "" {
		t.Fatal("no Location on create")
	}
	e.expect("PUT", "/connectors/k/pause", "", 202, "")
	e.expect("PUT", "/connectors/k/config", `{"connector.class":"FileStreamSink","topics":"t2","file":"`+out+`","name":"k"}`, 200, "")
	e.waitState("k", "PAUSED", "PAUSED") // the target state survives an update, and the paused task stays
	e.expectError("PUT", "/connectors/k/config", `{"connector.class":"FileStreamSink","name":"other"}`, 400, "Connector name configuration (other) doesn't match connector name in the URL (k)")
	e.expectError("PUT", "/connectors/k/config", `{"connector.class":"FileStreamSink"}`, 400, "Must configure one of topics or topics.regex")
	e.expectError("PUT", "/connectors/k/config", `not json`, 400, "Cannot deserialize")

	e.expect("PUT", "/connectors/k/resume", "", 202, "")
	e.expect("PATCH", "/connectors/k/config", `{"topics":"t3","tasks.max":"1","file":null}`, 200,
		`{"name":"k","config":{"connector.class":"FileStreamSink","name":"k","tasks.max":"1","topics":"t3"},"tasks":[{"connector":"k","task":0}],"type":"sink"}`)
	e.expectError("PATCH", "/connectors/nope/config", `{"topics":"x"}`, 404, "Connector nope not found")
	e.expectError("PATCH", "/connectors/k/config", `{"tasks.max":"-1"}`, 400, "Invalid value -1 for configuration tasks.max")
}

func TestConfigProvidersStayUnresolved(t *testing.T) {
	secrets := filepath.Join(t.TempDir(), "secrets.properties")
	if err := os.WriteFile(secrets, []byte("topic=resolved-topic\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, envOpts{props: map[string]string{
		"config.providers":            "file",
		"config.providers.file.class": "org.apache.kafka.common.config.provider.FileConfigProvider",
	}})
	in := filepath.Join(e.dir, "in.txt")
	appendLines(t, in, 1, 1)
	ref := "${file:" + secrets + ":topic}"
	e.expect("POST", "/connectors", e.sourceBody("v", in, ref), 201, "")
	r := e.expect("GET", "/connectors/v/config", "", 200, "")
	if !strings.Contains(r.body, `"topic":"`+ref+`"`) || strings.Contains(r.body, "resolved-topic") {
		t.Fatalf("config echoes a resolved value: %s", r.body)
	}
	r = e.expect("GET", "/connectors/v/tasks", "", 200, "")
	if strings.Contains(r.body, "resolved-topic") {
		t.Fatalf("task config echoes a resolved value: %s", r.body)
	}
	r = e.expect("PUT", "/connector-plugins/FileStreamSource/config/validate",
		`{"connector.class":"FileStreamSource","file":"x","topic":"`+ref+`"}`, 200, "")
	if !strings.Contains(r.body, `"value":{"name":"topic","value":"`+ref+`"`) || strings.Contains(r.body, "resolved-topic") {
		t.Fatalf("validate echoes a resolved value: %s", r.body)
	}
	var last string
	e.waitFor("the resolved topic in use", func() bool {
		last = e.do("GET", "/connectors/v/topics", "").body
		return last == `{"v":{"topics":["resolved-topic"]}}`
	}, &last)
}

func TestTopicTrackingDisabled(t *testing.T) {
	e := newEnv(t, envOpts{props: map[string]string{"topic.tracking.enable": "false"}})
	e.expectError("GET", "/connectors/x/topics", "", 403, "Topic tracking is disabled.")
	e.expectError("PUT", "/connectors/x/topics/reset", "", 403, "Topic tracking is disabled.")
	e2 := newEnv(t, envOpts{props: map[string]string{"topic.tracking.allow.reset": "false"}})
	e2.expect("GET", "/connectors/x/topics", "", 200, `{"x":{"topics":[]}}`)
	e2.expectError("PUT", "/connectors/x/topics/reset", "", 403, "Topic tracking reset is disabled.")
}

func TestPlugins(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.expect("GET", "/connector-plugins", "", 200,
		`[{"class":"org.apache.kafka.connect.file.FileStreamSinkConnector","type":"sink","version":"3.9.0"},{"class":"org.apache.kafka.connect.file.FileStreamSourceConnector","type":"source","version":"3.9.0"},{"class":"org.connectgo.connect.tail.FileTailSourceConnector","type":"source","version":"1.0.0"}]`)
	var all []pluginInfo
	e.expect("GET", "/connector-plugins?connectorsOnly=false", "", 200, "").json(t, &all)
	kinds := map[string]int{}
	for _, p := range all {
		kinds[p.Type]++
	}
	if kinds["sink"] != 1 || kinds["source"] != 2 || kinds["converter"] == 0 || kinds["header_converter"] == 0 ||
		kinds["transformation"] < 25 || kinds["predicate"] != 3 {
		t.Fatalf("plugin kinds %v", kinds)
	}
	if kinds["config_provider"] != 0 || kinds["connector_client_config_override_policy"] != 0 {
		t.Fatalf("internal plugin kinds listed: %v", kinds)
	}

	var keys []configKeyInfo
	e.expect("GET", "/connector-plugins/FileStreamSource/config", "", 200, "").json(t, &keys)
	var names []string
	for _, k := range keys {
		names = append(names, k.Name)
	}
	if len(names) < 5 || names[0] == "name" || !slices.Contains(names, "file") || !slices.Contains(names, "tasks.max") {
		t.Fatalf("source plugin config keys %v", names)
	}
	e.expect("GET", "/connector-plugins/org.apache.kafka.connect.file.FileStreamSinkConnector/config", "", 200, "")
	e.expect("GET", "/connector-plugins/JsonConverter/config", "", 200, "")
	e.expectError("GET", "/connector-plugins/Nope/config", "", 404, "Unknown plugin Nope.")
	e.expectError("GET", "/connector-plugins/org.apache.kafka.connect.connector.policy.AllConnectorClientConfigOverridePolicy/config", "", 400,
		"Invalid plugin class org.apache.kafka.connect.connector.policy.AllConnectorClientConfigOverridePolicy. Valid types are sink, source, converter, header_converter, transformation, predicate.")
}

// TestValidate checks the definition names connect_rest_test.py expects.
func TestValidate(t *testing.T) {
	e := newEnv(t, envOpts{})
	source := []string{"name", "connector.class", "tasks.max", "key.converter", "value.converter", "header.converter", "batch.size", "topic", "file", "transforms", "config.action.reload", "errors.retry.timeout", "errors.retry.delay.max.ms", "errors.tolerance", "errors.log.enable", "errors.log.include.messages", "predicates", "topic.creation.groups", "exactly.once.support", "transaction.boundary", "transaction.boundary.interval.ms", "offsets.storage.topic", "tasks.max.enforce"}
	sink := []string{"name", "connector.class", "tasks.max", "key.converter", "value.converter", "header.converter", "topics", "file", "transforms", "topics.regex", "config.action.reload", "errors.retry.timeout", "errors.retry.delay.max.ms", "errors.tolerance", "errors.log.enable", "errors.log.include.messages", "errors.deadletterqueue.topic.name", "errors.deadletterqueue.topic.replication.factor", "errors.deadletterqueue.context.headers.enable", "predicates", "tasks.max.enforce"}
	for _, c := range []struct {
		typ, class, cfg string
		want            []string
	}{
		{"FileStreamSourceConnector", "org.apache.kafka.connect.file.FileStreamSourceConnector", `"name":"x","tasks.max":"1","topic":"t","file":"/tmp/in"`, source},
		{"FileStreamSinkConnector", "org.apache.kafka.connect.file.FileStreamSinkConnector", `"name":"x","tasks.max":"1","topics":"t","file":"/tmp/out"`, sink},
	} {
		r := e.expect("PUT", "/connector-plugins/"+c.typ+"/config/validate", `{"connector.class":"`+c.class+`",`+c.cfg+`}`, 200, "")
		var ci configInfos
		r.json(t, &ci)
		var got []string
		for _, cfg := range ci.Configs {
			if cfg.Definition != nil {
				got = append(got, cfg.Definition.Name)
			}
		}
		slices.Sort(got)
		want := slices.Clone(c.want)
		slices.Sort(want)
		if !slices.Equal(got, want) || ci.ErrorCount != 0 || ci.Name != c.class {
			t.Errorf("%s: name %s, error_count %d, definitions\n%v\nwant\n%v", c.typ, ci.Name, ci.ErrorCount, got, want)
		}
		if !strings.HasPrefix(r.body, `{"name":"`+c.class+`","error_count":0,"groups":["Common","Transforms","Predicates","Error Handling"`) {
			t.Errorf("%s: body starts %s", c.typ, r.body[:min(200, len(r.body))])
		}
	}
	golden(t, "validate_source_errors.json",
		e.expect("PUT", "/connector-plugins/FileStreamSource/config/validate", `{"connector.class":"FileStreamSource","tasks.max":"0"}`, 200, "").body)
	e.expectError("PUT", "/connector-plugins/FileStreamSink/config/validate", `{"connector.class":"FileStreamSource"}`, 400,
		"Included connector type FileStreamSource does not match request type FileStreamSink")
	e.expectError("PUT", "/connector-plugins/FileStreamSink/config/validate", `{"topics":"t"}`, 400, "contains no connector type")
	e.expectError("PUT", "/connector-plugins/Nope/config/validate", `{"connector.class":"Nope"}`, 400, "Failed to find any class")
	e.expectError("PUT", "/connector-plugins/FileStreamSink/config/validate", `{"topics":`, 400, "Cannot deserialize")
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if os.Getenv("UPDATE_GOLDEN") != "" {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with UPDATE_GOLDEN=1 to create it)", err)
	}
	if strings.TrimSuffix(string(want), "\n") != got {
		t.Fatalf("%s differs:\n got %s\nwant %s", name, got, want)
	}
}

func TestLoggers(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.expect("GET", "/admin/loggers", "", 200, `{"root":{"level":"INFO","last_modified":null}}`)
	e.expect("GET", "/admin/loggers/ROOT", "", 200, `{"level":"INFO","last_modified":null}`)
	e.expect("GET", "/admin/loggers/org.apache.kafka.connect.runtime.Worker", "", 200, `{"level":"INFO","last_modified":null}`)
	e.expectError("GET", "/admin/loggers/com.example.Nope", "", 404, "Logger com.example.Nope not found.")
	e.expect("PUT", "/admin/loggers/org.apache.kafka.connect.runtime", `{"level":"debug"}`, 200,
		`["org.apache.kafka.connect.runtime","org.apache.kafka.connect.runtime.Worker","org.apache.kafka.connect.runtime.rest.RestServer"]`)
	var lv loggerLevel
	e.expect("GET", "/admin/loggers/org.apache.kafka.connect.runtime.Worker", "", 200, "").json(t, &lv)
	if lv.Level != "DEBUG" || lv.LastModified == nil || *lv.LastModified < time.Now().Add(-time.Minute).UnixMilli() {
		t.Fatalf("after PUT: %+v", lv)
	}
	e.expect("PUT", "/admin/loggers/org.apache.kafka.connect.runtime?scope=cluster", `{"level":"TRACE"}`, 204, "")
	e.expectError("PUT", "/admin/loggers/x", `{"level":"LOUD"}`, 404, "invalid log level 'LOUD'.")
	e.expectError("PUT", "/admin/loggers/x", `{"lvl":"INFO"}`, 400, "Desired 'level' parameter was not specified in request.")
	e.expect("PUT", "/admin/loggers/root", `{"level":"WARN"}`, 200, "")
	e.expect("GET", "/admin/loggers/root", "", 200, "")
	var all map[string]loggerLevel
	e.expect("GET", "/admin/loggers", "", 200, "").json(t, &all)
	if all["root"].Level != "WARN" || all["org.apache.kafka.connect.runtime.Worker"].Level != "WARN" {
		t.Fatalf("after PUT root: %v", all)
	}
}

func TestAdminListeners(t *testing.T) {
	e := newEnv(t, envOpts{props: map[string]string{"admin.listeners": "http://127.0.0.1:0"}})
	if e.admin == "" {
		t.Fatal("no admin listener")
	}
	if r := e.doURL("GET", e.admin+"/admin/loggers", "", ""); r.code != 200 {
		t.Fatalf("admin listener: %d %s", r.code, r.body)
	}
	e.expectError("GET", "/admin/loggers", "", 404, "HTTP 404 Not Found")
	if r := e.doURL("GET", e.admin+"/connectors", "", ""); r.code != 404 {
		t.Fatalf("connectors on the admin listener: %d", r.code)
	}
	d := newEnv(t, envOpts{props: map[string]string{"admin.listeners": ""}})
	d.expectError("GET", "/admin/loggers", "", 404, "HTTP 404 Not Found")
	d.expect("GET", "/connectors", "", 200, "[]")
}

func TestSeveralListenersAndWorkerID(t *testing.T) {
	e := newEnv(t, envOpts{props: map[string]string{
		"listeners":                 "http://127.0.0.1:0,http://localhost:0",
		"rest.advertised.host.name": "connect.example",
		"rest.advertised.port":      "9999",
	}})
	if len(e.server.Addrs()) != 2 {
		t.Fatalf("addresses %v", e.server.Addrs())
	}
	if got := e.server.WorkerID(); got != "connect.example:9999" {
		t.Fatalf("worker id %q", got)
	}
	r := e.doURL("GET", "http://"+e.server.Addrs()[1].String()+"/", "", "")
	if r.code != 200 {
		t.Fatalf("second listener: %d", r.code)
	}
	f := newEnv(t, envOpts{})
	if got, want := f.server.WorkerID(), f.server.Addrs()[0].String(); got != want {
		t.Fatalf("worker id %q, want the bound address %q", got, want)
	}
}

// TestExtensionPoints: middleware wraps every response (also errors) and
// extra routes are served next to Kafka's.
func TestExtensionPoints(t *testing.T) {
	e := newEnv(t, envOpts{tweak: func(c *Config) {
		c.Middleware = []func(http.Handler) http.Handler{func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Test", "1")
				next.ServeHTTP(w, r)
			})
		}}
		c.Routes = func(mux *http.ServeMux) {
			mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("# metrics\n")) })
		}
	}})
	if r := e.expect("GET", "/metrics", "", 200, "# metrics\n"); r.header.Get("X-Test") != "1" {
		t.Fatal("middleware not applied")
	}
	if r := e.do("GET", "/nope", ""); r.code != 404 || r.header.Get("X-Test") != "1" {
		t.Fatalf("404: %d %v", r.code, r.header)
	}
}

// TestReconfigureWhilePaused: as StandaloneHerder, a config update of a
// paused connector restarts only the connector; its tasks stay PAUSED with
// their old configs, and resume regenerates them under the new config.
func TestReconfigureWhilePaused(t *testing.T) {
	e := newEnv(t, envOpts{})
	in := filepath.Join(e.dir, "in.txt")
	oldOut, newOut := filepath.Join(e.dir, "old.txt"), filepath.Join(e.dir, "new.txt")
	appendLines(t, in, 1, 10)
	e.expect("POST", "/connectors", e.sourceBody("src", in, "before"), 201, "")
	e.expect("POST", "/connectors", e.sinkBody("old", oldOut, "before"), 201, "")
	e.expect("POST", "/connectors", e.sinkBody("new", newOut, "after"), 201, "")
	e.waitFor("10 lines on the old topic", func() bool { return countLines(oldOut) >= 10 })

	e.expect("PUT", "/connectors/src/pause", "", 202, "")
	e.waitState("src", "PAUSED", "PAUSED")
	cfg := `{"connector.class":"FileStreamSource","tasks.max":"1","file":"` + in + `","topic":"after"}`
	e.expect("PUT", "/connectors/src/config", cfg, 200, "")
	e.waitState("src", "PAUSED", "PAUSED")
	r := e.expect("GET", "/connectors/src/tasks", "", 200, "")
	if !strings.Contains(r.body, `"topic":"before"`) {
		t.Fatalf("a paused connector's tasks keep their configs until resume: %s", r.body)
	}
	appendLines(t, in, 11, 20)

	e.expect("PUT", "/connectors/src/resume", "", 202, "")
	e.waitState("src", "RUNNING", "RUNNING")
	r = e.expect("GET", "/connectors/src/tasks", "", 200, "")
	if !strings.Contains(r.body, `"topic":"after"`) {
		t.Fatalf("resume regenerates the task configs: %s", r.body)
	}
	e.waitFor("lines 11-20 on the new topic", func() bool { return countLines(newOut) >= 10 })
	if n := countLines(oldOut); n != 10 {
		t.Fatalf("the old topic got %d lines, want 10 (nothing moved while paused)", n)
	}
}
