package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// runToExit runs the binary and returns its exit code and output.
func runToExit(t *testing.T, args ...string) (int, string) {
	t.Helper()
	log := filepath.Join(t.TempDir(), "log")
	cmd := standalone(t, log, args...)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("did not exit")
	}
	out, _ := os.ReadFile(log)
	return cmd.ProcessState.ExitCode(), string(out)
}

// TestRefuseExposedUnrestrictedREST: a REST listener other hosts can reach,
// without authentication and without connector.allowed.paths, stops the
// worker before anything is bound, unless the operator opts in. The
// accepted cases go on to the Kafka check, which fails against a closed
// port: proof that the refusal did not happen. Nothing is ever bound.
func TestRefuseExposedUnrestrictedREST(t *testing.T) {
	dir := t.TempDir()
	tokens := writeFile(t, filepath.Join(dir, "tokens"), "0123456789abcdef0123456789abcdef\n")
	os.Chmod(tokens, 0o600)
	base := "bootstrap.servers=127.0.0.1:1\ndefault.api.timeout.ms=500\nkey.converter=StringConverter\nvalue.converter=StringConverter\noffset.storage.file.filename=" + filepath.Join(dir, "o") + "\n"
	const refused = "refusing to start: REST listener"
	const passed = "Failed to connect to and describe Kafka cluster"
	for _, tc := range []struct {
		name, extra, want string
	}{
		{"all interfaces, nothing else", "listeners=http://:8083\n", refused},
		{"0.0.0.0", "listeners=http://0.0.0.0:8083\n", refused},
		{"one of two listeners exposed", "listeners=http://127.0.0.1:8083,http://[::]:8084\n", refused},
		{"explicit opt-in", "listeners=http://:8083\nrest.allow.unauthenticated.remote=true\n", passed},
		{"bad opt-in value", "listeners=http://:8083\nrest.allow.unauthenticated.remote=yes\n", "for configuration rest.allow.unauthenticated.remote"},
		{"path list", "listeners=http://:8083\nconnector.allowed.paths=" + dir + "\n", passed},
		{"bearer tokens", "listeners=http://:8083\nrest.auth.bearer.token.file=" + tokens + "\n", passed},
		{"loopback", "listeners=http://127.0.0.1:8083\n", passed},
		{"default listener", "", passed},
		{"relative path list", "listeners=http://127.0.0.1:8083\nconnector.allowed.paths=data\n", "Invalid value data for configuration connector.allowed.paths"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := writeFile(t, filepath.Join(t.TempDir(), "w.properties"), base+tc.extra)
			code, out := runToExit(t, w)
			if code != exitStartup || !strings.Contains(out, tc.want) {
				t.Fatalf("exit %d, want %d with %q; output:\n%s", code, exitStartup, tc.want, out)
			}
			if tc.want == refused {
				for _, key := range []string{"connector.allowed.paths", "rest.allow.unauthenticated.remote", "rest.auth.bearer.token.file"} {
					if !strings.Contains(out, key) {
						t.Errorf("the refusal does not name %s", key)
					}
				}
			}
		})
	}
}

// TestConnectorFileOutsideAllowedPaths: a connector file naming a path
// outside connector.allowed.paths (directly, through "..", or through a
// symlink) stops startup with exit 3 and a message naming the key.
func TestConnectorFileOutsideAllowedPaths(t *testing.T) {
	broker := startBroker(t)
	dir := t.TempDir()
	allowed := filepath.Join(dir, "allowed")
	os.Mkdir(allowed, 0o755)
	os.Symlink("/etc", filepath.Join(allowed, "etc"))
	worker := writeFile(t, filepath.Join(dir, "w.properties"), fmt.Sprintf(
		"listeners=http://127.0.0.1:0\nbootstrap.servers=%s\nkey.converter=StringConverter\nvalue.converter=StringConverter\noffset.storage.file.filename=%s\nconnector.allowed.paths=%s\n",
		broker, filepath.Join(dir, "o"), allowed))
	for _, tc := range []struct{ name, conn, key string }{
		{"sink outside", "connector.class=FileStreamSink\ntopics=t\nfile=/tmp/elsewhere.txt\n", "file"},
		{"source dotdot", "connector.class=FileStreamSource\ntopic=t\nfile=" + allowed + "/../w.properties\n", "file"},
		{"source symlink", "connector.class=FileStreamSource\ntopic=t\nfile=" + allowed + "/etc/passwd\n", "file"},
		{"tail glob", "connector.class=FileTailSource\ntopic=t\npaths=/var/log/*.log\n", "paths"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := writeFile(t, filepath.Join(t.TempDir(), "c.properties"), "name=c\n"+tc.conn)
			code, out := runToExit(t, worker, c)
			if code != exitConnectorError || !strings.Contains(out, "for configuration "+tc.key+":") || !strings.Contains(out, "connector.allowed.paths") {
				t.Fatalf("exit %d, want 3 naming %s; output:\n%s", code, tc.key, out)
			}
		})
	}
}

// TestCanaryNotInProcessLogs: the binary's own wiring (log writer, REST
// middleware, provider observer, worker passwords) hides a secret supplied
// through a config provider, both in the log and over REST.
func TestCanaryNotInProcessLogs(t *testing.T) {
	const marker = "c4n4ry91"
	broker := startBroker(t)
	dir := t.TempDir()
	secrets := writeFile(t, filepath.Join(dir, "secrets.properties"),
		"file="+filepath.Join(dir, "no-such-dir-"+marker, "out.txt")+"\n")
	worker := writeFile(t, filepath.Join(dir, "w.properties"), fmt.Sprintf(
		"listeners=http://127.0.0.1:0\nbootstrap.servers=%s\nkey.converter=StringConverter\nvalue.converter=StringConverter\noffset.storage.file.filename=%s\n"+
			"config.providers=file\nconfig.providers.file.class=FileConfigProvider\nproducer.ssl.key.password=pw-%s\n",
		broker, filepath.Join(dir, "o"), marker))
	conn := writeFile(t, filepath.Join(dir, "c.properties"),
		"name=leaky\nconnector.class=FileStreamSink\ntopics=t\nfile=${file:"+secrets+":file}\n")
	log := filepath.Join(dir, "run.log")
	standalone(t, log, "--log-format", "json", "--log-level", "debug", worker, conn)
	addr := regexp.MustCompile(`"address":"(127\.0\.0\.1:\d+)".*"REST listener bound"`)
	var base string
	waitFor(t, "the failed sink task", log, func() bool {
		b, _ := os.ReadFile(log)
		if m := addr.FindSubmatch(b); m != nil {
			base = "http://" + string(m[1])
		}
		return base != "" && strings.Contains(string(b), "sink task failed")
	})
	res, err := http.Get(base + "/connectors/leaky/tasks/0/status")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	out, _ := os.ReadFile(log)
	all := string(out) + string(body)
	if strings.Contains(all, marker) {
		t.Fatalf("the canary leaked:\n%s\n%s", body, out)
	}
	if !strings.Contains(string(body), "[hidden]") || !strings.Contains(string(out), "[hidden]") {
		t.Fatalf("no [hidden] where the secret was:\n%s\n%s", body, out)
	}
}
