package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// restBase waits for the process to log its REST listener and returns its URL.
func restBase(t *testing.T, log string) string {
	t.Helper()
	addr := regexp.MustCompile(`"address":"(127\.0\.0\.1:\d+)".*"REST listener bound"`)
	var base string
	waitFor(t, "the REST listener", log, func() bool {
		b, _ := os.ReadFile(log)
		if m := addr.FindSubmatch(b); m != nil {
			base = "http://" + string(m[1])
			return true
		}
		return false
	})
	return base
}

func httpDo(method, url, body string) (int, string) {
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		return 0, err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestLiveConfigAcrossRestart runs the process: a command-line file edited
// and re-read on SIGHUP, connectors created and paused over REST written to
// connectors.dir, and all of it back after a restart.
func TestLiveConfigAcrossRestart(t *testing.T) {
	broker := startBroker(t)
	dir := t.TempDir()
	cdir := filepath.Join(dir, "connectors.d")
	worker := writeFile(t, filepath.Join(dir, "w.properties"), fmt.Sprintf(
		"listeners=http://127.0.0.1:0\nbootstrap.servers=%s\nkey.converter=StringConverter\nvalue.converter=StringConverter\noffset.storage.file.filename=%s\nconnectors.dir=%s\n",
		broker, filepath.Join(dir, "o"), cdir))
	cli := writeFile(t, filepath.Join(dir, "cli.properties"), "name=cli\nconnector.class=FileStreamSource\ntopic=t1\nfile="+filepath.Join(dir, "in")+"\n")
	log := filepath.Join(dir, "run.log")
	cmd := standalone(t, log, "--log-format", "json", worker, cli)
	base := restBase(t, log)
	waitFor(t, "healthy", log, func() bool { code, _ := httpDo("GET", base+"/health", ""); return code == 200 })

	body := `{"name":"sink","config":{"connector.class":"FileStreamSink","topics":"t1","file":"` + filepath.Join(dir, "out") + `"}}`
	if code, b := httpDo("POST", base+"/connectors", body); code != 201 {
		t.Fatalf("create: %d %s", code, b)
	}
	if code, b := httpDo("PUT", base+"/connectors/sink/pause", ""); code != 202 {
		t.Fatalf("pause: %d %s", code, b)
	}
	stored, err := os.ReadFile(filepath.Join(cdir, "sink.json"))
	if err != nil || !strings.Contains(string(stored), `"initial_state": "PAUSED"`) {
		t.Fatalf("connectors.dir/sink.json = %s, %v", stored, err)
	}
	// A file dropped into connectors.dir starts a connector.
	writeFile(t, filepath.Join(cdir, "dropped.properties"), "name=dropped\nconnector.class=FileStreamSource\ntopic=t2\nfile="+filepath.Join(dir, "in2")+"\n")
	waitFor(t, "the dropped-in connector", log, func() bool { code, _ := httpDo("GET", base+"/connectors/dropped", ""); return code == 200 })

	writeFile(t, cli, "name=cli\nconnector.class=FileStreamSource\ntopic=t3\nfile="+filepath.Join(dir, "in")+"\n")
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the edited command-line file", log, func() bool {
		_, b := httpDo("GET", base+"/connectors/cli/config", "")
		return strings.Contains(b, `"topic":"t3"`)
	})
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}

	log2 := log + ".2"
	cmd = standalone(t, log2, "--log-format", "json", worker, cli)
	base = restBase(t, log2)
	waitFor(t, "healthy after restart", log2, func() bool { code, _ := httpDo("GET", base+"/health", ""); return code == 200 })
	if code, b := httpDo("GET", base+"/connectors", ""); code != 200 || b != `["cli","dropped","sink"]` {
		t.Fatalf("connectors after restart: %d %s", code, b)
	}
	if _, b := httpDo("GET", base+"/connectors/sink/status", ""); !strings.Contains(b, `"connector":{"state":"PAUSED"`) {
		t.Fatalf("sink status after restart: %s", b)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
}
