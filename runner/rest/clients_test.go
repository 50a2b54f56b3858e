package rest

import (
	"fmt"
	"net/http"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	gokafka "github.com/go-kafka/connect"
	ricardo "github.com/ricardo-ch/go-kafka-connect/v3/lib/connectors"
)

// TestGoKafkaConnectClient drives the server with github.com/go-kafka/connect.
func TestGoKafkaConnectClient(t *testing.T) {
	e := newEnv(t, envOpts{})
	c := gokafka.NewClient(e.base)
	out := filepath.Join(e.dir, "out.txt")
	conn := &gokafka.Connector{Name: "gk", Config: gokafka.ConnectorConfig{
		"connector.class": "FileStreamSink", "topics": "gk", "file": out, "tasks.max": "1"}}
	if res, err := c.CreateConnector(conn); err != nil || res.StatusCode != http.StatusCreated {
		t.Fatalf("create: %v %v", res, err)
	}
	if len(conn.Tasks) != 1 || conn.Tasks[0].ConnectorName != "gk" {
		t.Fatalf("create filled in %+v", conn)
	}
	if _, _, err := c.GetConnector("nope"); err == nil {
		t.Fatal("getting an unknown connector succeeded")
	} else if apiErr, ok := err.(gokafka.APIError); !ok || apiErr.Code != 404 || apiErr.Message != "Connector nope not found" {
		t.Fatalf("unknown connector error %#v", err)
	}
	names, _, err := c.ListConnectors()
	if err != nil || !slices.Equal(names, []string{"gk"}) {
		t.Fatalf("list: %v %v", names, err)
	}
	got, _, err := c.GetConnector("gk")
	if err != nil || got.Config["topics"] != "gk" {
		t.Fatalf("get: %+v %v", got, err)
	}
	cfg, _, err := c.GetConnectorConfig("gk")
	if err != nil || cfg["file"] != out {
		t.Fatalf("config: %v %v", cfg, err)
	}
	tasks, _, err := c.GetConnectorTasks("gk")
	if err != nil || len(tasks) != 1 || tasks[0].Config["task.class"] != "org.apache.kafka.connect.file.FileStreamSinkTask" {
		t.Fatalf("tasks: %+v %v", tasks, err)
	}
	e.waitFor("gk running", func() bool {
		st, _, err := c.GetConnectorStatus("gk")
		return err == nil && st.Connector.State == "RUNNING" && len(st.Tasks) == 1 && st.Tasks[0].State == "RUNNING"
	})
	if res, err := c.PauseConnector("gk"); err != nil || res.StatusCode != http.StatusAccepted {
		t.Fatalf("pause: %v %v", res, err)
	}
	e.waitFor("gk paused", func() bool {
		st, _, err := c.GetConnectorStatus("gk")
		return err == nil && st.Connector.State == "PAUSED"
	})
	if res, err := c.ResumeConnector("gk"); err != nil || res.StatusCode != http.StatusAccepted {
		t.Fatalf("resume: %v %v", res, err)
	}
	if res, err := c.RestartConnector("gk"); err != nil || res.StatusCode != http.StatusNoContent {
		t.Fatalf("restart: %v %v", res, err)
	}
	updated, _, err := c.UpdateConnectorConfig("gk", gokafka.ConnectorConfig{"connector.class": "FileStreamSink", "topics": "gk2", "file": out})
	if err != nil || updated.Config["topics"] != "gk2" {
		t.Fatalf("update: %+v %v", updated, err)
	}
	if res, err := c.DeleteConnector("gk"); err != nil || res.StatusCode != http.StatusNoContent {
		t.Fatalf("delete: %v %v", res, err)
	}
	if names, _, _ := c.ListConnectors(); len(names) != 0 {
		t.Fatalf("after delete: %v", names)
	}
}

// TestRicardoClient drives the server with github.com/ricardo-ch/go-kafka-connect.
func TestRicardoClient(t *testing.T) {
	e := newEnv(t, envOpts{})
	c := ricardo.NewClient(e.base)
	out := filepath.Join(e.dir, "out.txt")
	req := ricardo.CreateConnectorRequest{ConnectorRequest: ricardo.ConnectorRequest{Name: "rc"},
		Config: map[string]interface{}{"connector.class": "FileStreamSink", "topics": "rc", "file": out, "tasks.max": 1}}
	res, err := c.CreateConnector(req, true)
	if err != nil || res.Code != http.StatusCreated || res.Name != "rc" {
		t.Fatalf("create: %+v %v", res, err)
	}
	all, err := c.GetAll()
	if err != nil || !slices.Equal(all.Connectors, []string{"rc"}) {
		t.Fatalf("get all: %+v %v", all, err)
	}
	got, err := c.GetConnector(ricardo.ConnectorRequest{Name: "rc"})
	if err != nil || got.Config["tasks.max"] != "1" {
		t.Fatalf("get: %+v %v", got, err)
	}
	upToDate, err := c.IsUpToDate("rc", req.Config)
	if err != nil || !upToDate {
		t.Fatalf("up to date: %v %v", upToDate, err)
	}
	e.waitFor("rc running", func() bool {
		st, err := c.GetConnectorStatus(ricardo.ConnectorRequest{Name: "rc"})
		return err == nil && st.ConnectorStatus["state"] == "RUNNING"
	})
	if res, err := c.PauseConnector(ricardo.ConnectorRequest{Name: "rc"}, true); err != nil || res.Code != http.StatusAccepted {
		t.Fatalf("pause: %+v %v", res, err)
	}
	if res, err := c.ResumeConnector(ricardo.ConnectorRequest{Name: "rc"}, true); err != nil || res.Code != http.StatusAccepted {
		t.Fatalf("resume: %+v %v", res, err)
	}
	if res, err := c.DeleteConnector(ricardo.ConnectorRequest{Name: "rc"}, true); err != nil || res.Code != http.StatusNoContent {
		t.Fatalf("delete: %+v %v", res, err)
	}
	if all, err := c.GetAll(); err != nil || len(all.Connectors) != 0 {
		t.Fatalf("after delete: %+v %v", all, err)
	}
}

// TestConcurrentLifecycle creates, restarts, pauses and deletes the same and
// different connectors from many goroutines; afterwards nothing is left
// running and no goroutine leaked.
func TestConcurrentLifecycle(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.expect("GET", "/connectors", "", 200, "[]")
	e.client.CloseIdleConnections()
	time.Sleep(100 * time.Millisecond)
	before := runtime.NumGoroutine()

	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 6 {
				name := fmt.Sprintf("c%d", (g+i)%4) // shared names collide on purpose
				body := e.sinkBody(name, filepath.Join(e.dir, name+".txt"), "conc-"+name)
				for _, req := range []struct{ method, path, body string }{
					{"POST", "/connectors", body},
					{"GET", "/connectors?expand=status&expand=info", ""},
					{"POST", "/connectors/" + name + "/restart?includeTasks=true", ""},
					{"PUT", "/connectors/" + name + "/pause", ""},
					{"POST", "/connectors/" + name + "/tasks/0/restart", ""},
					{"PUT", "/connectors/" + name + "/resume", ""},
					{"PUT", "/connectors/" + name + "/stop", ""},
					{"DELETE", "/connectors/" + name, ""},
				} {
					r := e.do(req.method, req.path, req.body)
					if r.code >= 500 {
						t.Errorf("%s %s: %d %s", req.method, req.path, r.code, r.body)
					}
				}
			}
		}()
	}
	wg.Wait()
	for _, name := range e.worker.Connectors() {
		e.expect("DELETE", "/connectors/"+name, "", 204, "")
	}
	e.expect("GET", "/connectors", "", 200, "[]")
	e.client.CloseIdleConnections()
	var after int
	e.waitFor("goroutines to wind down", func() bool {
		after = runtime.NumGoroutine()
		return after <= before+2
	})
	if after > before+2 {
		buf := make([]byte, 1<<20)
		t.Fatalf("goroutines: %d before, %d after\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}
}
