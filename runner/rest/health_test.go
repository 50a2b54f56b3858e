package rest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/file"
	"github.com/connect-go/connect-standalone/runner/plugins"
)

// stuckSource is a FileStreamSource whose Start waits for release: while it
// waits, the worker is busy with the create request, as a herder stuck in a
// connector's start() is in Kafka.
type stuckSource struct {
	connectors.SourceConnector
	release <-chan struct{}
}

func (s *stuckSource) Start(ctx context.Context, props map[string]string) error {
	<-s.release
	return s.SourceConnector.Start(ctx, props)
}

// TestHealthUnhealthyWhileWorkerBusy: KIP-1017's 500 answer when the worker
// cannot take a request within the health timeout, and 200 once it can.
func TestHealthUnhealthyWhileWorkerBusy(t *testing.T) {
	release := make(chan struct{})
	stuck := plugins.Plugin{Class: "test.StuckSourceConnector", Kind: plugins.KindSource, Version: "1",
		New: func() any { return &stuckSource{SourceConnector: file.NewSourceConnector(), release: release} }}
	e := newEnv(t, envOpts{plugins: []plugins.Plugin{stuck}, tweak: func(c *Config) { c.HealthTimeout = 300 * time.Millisecond }})
	e.expect("GET", "/health", "", 200, `{"status":"healthy","message":"Worker has completed startup and is ready to handle requests."}`)

	in := filepath.Join(e.dir, "in.txt")
	appendLines(t, in, 1, 1)
	created := make(chan resp, 1)
	go func() {
		body := `{"name":"stuck","config":{"connector.class":"test.StuckSourceConnector","file":"` + in + `","topic":"t"}}`
		created <- e.do("POST", "/connectors", body)
	}()
	e.waitFor("the create request to hold the worker", func() bool {
		r := e.do("GET", "/health", "")
		return r.code == 500
	})
	e.expect("GET", "/health", "", 500, `{"status":"unhealthy","message":"Worker was unable to handle this request and may be unable to handle other requests."}`)

	close(release)
	if r := <-created; r.code != 201 {
		t.Fatalf("create after release: %d %s", r.code, r.body)
	}
	e.expect("GET", "/health", "", 200, `{"status":"healthy","message":"Worker has completed startup and is ready to handle requests."}`)
}
