package rest

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/offsets"
	"github.com/connect-go/connect-standalone/runner"
	"github.com/connect-go/connect-standalone/runner/loggers"
	"github.com/connect-go/connect-standalone/runner/plugins"
	"github.com/connect-go/connect-standalone/runner/workerconfig"
)

// FuzzRequestBodies feeds arbitrary bytes to the JSON request decoding of
// every endpoint with a body: nothing panics, and a body that cannot be
// decoded is a 4xx with the error shape. Endpoints that would change the
// worker are exercised through their decoders only; the validate, offsets
// (of an unknown connector) and logger endpoints run end to end on a worker
// without Kafka.
func FuzzRequestBodies(f *testing.F) {
	for _, seed := range []string{
		``, `{}`, `[]`, `null`, `"x"`, `1`, `{"name":`, `{"name":"a","config":{}}`,
		`{"name":"a","config":{"connector.class":"FileStreamSource","topic":"t"},"initial_state":"STOPPED"}`,
		`{"name":"a","config":{"k":1.5e300,"b":true,"n":null}}`, `{"name":"a","config":[1]}`,
		`{"connector.class":"FileStreamSink","topics":"t","tasks.max":"x"}`,
		`{"offsets":[{"partition":{"filename":"f"},"offset":{"position":1}}]}`,
		`{"offsets":[{"partition":{"kafka_topic":"t","kafka_partition":"0"},"offset":null}]}`,
		`{"offsets":[{"partition":{"a":{"b":[1,2,{"c":1e999}]}}}]}`, `{"level":"DEBUG"}`, `{"level":null}`,
		"{\"name\":\"\\u0000\",\"config\":{\"\\ud800\":\"x\"}}", `{"a":1} {"b":2}`,
	} {
		f.Add([]byte(seed))
	}

	dir := f.TempDir()
	cfg, err := workerconfig.Parse(map[string]string{
		"bootstrap.servers": "127.0.0.1:1", "key.converter": "StringConverter", "value.converter": "StringConverter",
		"offset.storage.file.filename": filepath.Join(dir, "offsets"),
	})
	if err != nil {
		f.Fatal(err)
	}
	store, err := offsets.OpenFile(cfg.OffsetStorageFile)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { store.Close() })
	logs := loggers.New(zerolog.Nop())
	srv, err := New(Config{Worker: cfg, Loggers: logs, Logger: zerolog.Nop()})
	if err != nil {
		f.Fatal(err)
	}
	srv.worker = runner.New(runner.Options{Config: cfg, Registry: plugins.New(plugins.Builtins()), Offsets: store, Logger: zerolog.Nop(), WorkerID: "127.0.0.1:8083"})
	srv.MarkReady()
	h := srv.handler(true, true)

	f.Fuzz(func(t *testing.T, body []byte) {
		is4xx := func(err error) {
			if err != nil {
				if code := statusOf(err); code < 400 || code > 499 {
					t.Fatalf("decoding %q: status %d (%v)", body, code, err)
				}
			}
		}
		_, _, _, err := decodeCreateRequest(body)
		is4xx(err)
		_, err = decodeOffsets(body)
		is4xx(err)
		if m, err := stringMap(body, "config"); err == nil {
			_, err = nonNullStrings(m, "config")
			is4xx(err)
		} else {
			is4xx(err)
		}

		for _, c := range []struct{ method, path string }{
			{"PUT", "/connector-plugins/FileStreamSink/config/validate"},
			{"PUT", "/connector-plugins/FileStreamSource/config/validate"},
			{"PATCH", "/connectors/unknown/offsets"},
			{"PUT", "/admin/loggers/fuzz.logger"},
		} {
			req := httptest.NewRequest(c.method, c.path, strings.NewReader(string(body)))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("%s %s with %q: %d %s", c.method, c.path, body, rec.Code, rec.Body)
			}
			if rec.Code >= 400 && !strings.HasPrefix(rec.Body.String(), `{"error_code":`) {
				t.Fatalf("%s %s with %q: error body %s", c.method, c.path, body, rec.Body)
			}
			if rec.Code == http.StatusOK && c.path == "/connectors/unknown/offsets" {
				t.Fatalf("offsets of an unknown connector altered")
			}
		}
	})
}
