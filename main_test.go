package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/IBM/sarama"

	"github.com/connect-go/connect-standalone/runner/devkafka"
)

// The test binary doubles as the connect-standalone binary: with this
// variable set it runs main's run() on its arguments, so process-level
// behaviour (exit codes, signals, kill -9) is tested without a second build.
const beMainEnv = "CONNECT_STANDALONE_TEST_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(beMainEnv) == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// standalone starts the binary with args; output goes to log.
func standalone(t *testing.T, log string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), beMainEnv+"=1")
	f, err := os.Create(log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd
}

func startBroker(t *testing.T) string {
	t.Helper()
	b, err := devkafka.Start(context.Background(), devkafka.Options{Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b.Addr()
}

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func appendLines(t *testing.T, path, format string, from, to int) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b bytes.Buffer
	for i := from; i <= to; i++ {
		fmt.Fprintf(&b, format+"\n", i)
	}
	if _, err := f.Write(b.Bytes()); err != nil {
		t.Fatal(err)
	}
}

func fileLines(path string) []string {
	b, err := os.ReadFile(path)
	if err != nil || len(b) == 0 {
		return nil
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

func waitFor(t *testing.T, what, log string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	out, _ := os.ReadFile(log)
	t.Fatalf("timed out waiting for %s; log:\n%s", what, out)
}

// TestKill9LosesNothing: a kill -9 at an arbitrary moment loses no line that
// was in the source file (at-least-once); the duplicates it causes are bounded
// by what was sent since the last offset flush.
func TestKill9LosesNothing(t *testing.T) {
	broker := startBroker(t)
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.txt"), filepath.Join(dir, "out.txt")
	worker := writeFile(t, filepath.Join(dir, "worker.properties"), fmt.Sprintf(
		"listeners=http://127.0.0.1:0\nbootstrap.servers=%s\nkey.converter=org.apache.kafka.connect.json.JsonConverter\nvalue.converter=org.apache.kafka.connect.json.JsonConverter\n"+
			"offset.storage.file.filename=%s\noffset.flush.interval.ms=100\n"+
			// A killed sink's group member holds its partitions until its session
			// expires (as with the JVM worker); keep that short for the test.
			"consumer.session.timeout.ms=6000\nconsumer.heartbeat.interval.ms=1000\n", broker, filepath.Join(dir, "connect.offsets")))
	source := writeFile(t, filepath.Join(dir, "source.properties"), "name=local-file-source\nconnector.class=FileStreamSource\ntasks.max=1\nfile="+in+"\ntopic=connect-test\n")
	sink := writeFile(t, filepath.Join(dir, "sink.json"), `{"name":"local-file-sink","config":{"connector.class":"FileStreamSink","tasks.max":1,"file":"`+out+`","topics":"connect-test"}}`)
	log := filepath.Join(dir, "run.log")

	appendLines(t, in, "first %d", 1, 5000)
	cmd := standalone(t, log, worker, source, sink)
	waitFor(t, "the first lines", log, func() bool { return len(fileLines(out)) >= 1000 })
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()

	appendLines(t, in, "second %d", 1, 1000)
	cmd = standalone(t, log+".2", worker, source, sink)
	want := fileLines(in)
	waitFor(t, "every line after the restart", log+".2", func() bool { return containsAll(fileLines(out), want) })
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("SIGTERM exit: %v", err)
	}
	got := fileLines(out)
	if dups := len(got) - len(want); dups < 0 || dups > len(want) {
		t.Fatalf("%d lines written for %d input lines", len(got), len(want))
	}
	t.Logf("%d duplicates after kill -9", len(got)-len(want))

	// The topic holds Kafka's JSON envelope for every line, read with sarama.
	values := consumeAll(t, broker, "connect-test")
	envelopes := make([]string, len(want))
	for i, l := range want {
		envelopes[i] = `{"schema":{"type":"string","optional":false},"payload":"` + l + `"}`
	}
	if !containsAll(values, envelopes) {
		t.Fatalf("the topic's %d records lack some of the %d lines", len(values), len(want))
	}
	if wantFirst := `{"schema":{"type":"string","optional":false},"payload":"first 1"}`; values[0] != wantFirst {
		t.Fatalf("first record %s, want %s", values[0], wantFirst)
	}
}

func containsAll(have, want []string) bool {
	set := make(map[string]bool, len(have))
	for _, l := range have {
		set[l] = true
	}
	for _, l := range want {
		if !set[l] {
			return false
		}
	}
	return true
}

func consumeAll(t *testing.T, broker, topic string) []string {
	t.Helper()
	cfg := sarama.NewConfig()
	cfg.Version = sarama.V2_8_0_0
	c, err := sarama.NewConsumer([]string{broker}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	client, err := sarama.NewClient([]string{broker}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	hw, err := client.GetOffset(topic, 0, sarama.OffsetNewest)
	if err != nil {
		t.Fatal(err)
	}
	pc, err := c.ConsumePartition(topic, 0, sarama.OffsetOldest)
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	var out []string
	for int64(len(out)) < hw {
		select {
		case m := <-pc.Messages():
			out = append(out, string(m.Value))
		case <-time.After(10 * time.Second):
			t.Fatalf("consumed %d of %d records", len(out), hw)
		}
	}
	return out
}

// TestExitCodes: Kafka's exit codes (1 usage, 2 worker/startup, 3 connector).
func TestExitCodes(t *testing.T) {
	broker := startBroker(t)
	dir := t.TempDir()
	worker := writeFile(t, filepath.Join(dir, "w.properties"), fmt.Sprintf(
		"listeners=http://127.0.0.1:0\nbootstrap.servers=%s\nkey.converter=StringConverter\nvalue.converter=StringConverter\noffset.storage.file.filename=%s\n", broker, filepath.Join(dir, "o")))
	unreachable := writeFile(t, filepath.Join(dir, "unreachable.properties"),
		"bootstrap.servers=127.0.0.1:1\nkey.converter=StringConverter\nvalue.converter=StringConverter\noffset.storage.file.filename=/tmp/x\ndefault.api.timeout.ms=1500\n")
	noConverter := writeFile(t, filepath.Join(dir, "noconv.properties"), "bootstrap.servers="+broker+"\noffset.storage.file.filename=/tmp/x\n")
	badClass := writeFile(t, filepath.Join(dir, "bad.properties"), "name=bad\nconnector.class=NoSuchConnector\n")
	noName := writeFile(t, filepath.Join(dir, "noname.properties"), "connector.class=FileStreamSink\ntopics=t\n")
	badJSON := writeFile(t, filepath.Join(dir, "bad.json"), `{"name": "x", "config": [1,2]}`)
	corrupt := writeFile(t, filepath.Join(dir, "corrupt.offsets"), "\xac\xed\x00\x05garbage")
	corruptWorker := writeFile(t, filepath.Join(dir, "cw.properties"), fmt.Sprintf(
		"listeners=http://127.0.0.1:0\nbootstrap.servers=%s\nkey.converter=StringConverter\nvalue.converter=StringConverter\noffset.storage.file.filename=%s\n", broker, corrupt))

	tests := []struct {
		name string
		args []string
		code int
		want string // in the output
	}{
		{"no args", nil, 1, "Usage:"},
		{"help", []string{worker, "--help"}, 1, "Usage:"},
		{"version", []string{"--version"}, 0, "connect-standalone"},
		{"missing worker file", []string{filepath.Join(dir, "nope.properties")}, 2, "nope.properties"},
		{"worker without converters", []string{noConverter}, 2, "key.converter"},
		{"kafka unreachable", []string{unreachable}, 2, "Failed to connect to and describe Kafka cluster"},
		{"unknown connector class", []string{worker, badClass}, 3, "Failed to find any class that implements Connector and which name matches NoSuchConnector"},
		{"connector without name", []string{worker, noName}, 3, "is missing the mandatory 'name' configuration"},
		{"malformed connector json", []string{worker, badJSON}, 3, "bad.json"},
		{"missing connector file", []string{worker, filepath.Join(dir, "absent.properties")}, 3, "absent.properties"},
		{"corrupt offsets file", []string{corruptWorker}, 3, "corrupt.offsets"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := filepath.Join(t.TempDir(), "log")
			cmd := standalone(t, log, tt.args...)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				t.Fatal("did not exit")
			}
			out, _ := os.ReadFile(log)
			if code := cmd.ProcessState.ExitCode(); code != tt.code {
				t.Fatalf("exit code %d, want %d; output:\n%s", code, tt.code, out)
			}
			if !strings.Contains(string(out), tt.want) {
				t.Fatalf("output lacks %q:\n%s", tt.want, out)
			}
		})
	}
}

func TestParseArgs(t *testing.T) {
	tests := []struct {
		args  []string
		files []string
		level string
		err   bool
	}{
		{[]string{"w.properties"}, []string{"w.properties"}, "info", false},
		{[]string{"--log-level", "debug", "w", "c1", "c2.json"}, []string{"w", "c1", "c2.json"}, "debug", false},
		{[]string{"--log-level=warn", "w"}, []string{"w"}, "warn", false},
		{[]string{"--bogus", "w"}, nil, "", true},
		{[]string{"-daemon", "w"}, nil, "", true},
		{[]string{"--log-level"}, nil, "", true},
	}
	for _, tt := range tests {
		o, err := parseArgs(tt.args)
		if (err != nil) != tt.err {
			t.Errorf("parseArgs(%q) error = %v", tt.args, err)
			continue
		}
		if err == nil {
			got := append([]string(nil), o.files...)
			sort.Strings(got)
			want := append([]string(nil), tt.files...)
			sort.Strings(want)
			if strings.Join(got, ",") != strings.Join(want, ",") || o.logLevel != tt.level {
				t.Errorf("parseArgs(%q) = %+v", tt.args, o)
			}
		}
	}
}

// TestRESTWithoutConnectorFiles: with only a worker file the process serves
// the REST API (on an ephemeral port, logged), accepts a connector over REST
// and exits 0 on SIGTERM.
func TestRESTWithoutConnectorFiles(t *testing.T) {
	broker := startBroker(t)
	dir := t.TempDir()
	worker := writeFile(t, filepath.Join(dir, "w.properties"), fmt.Sprintf(
		"listeners=http://127.0.0.1:0\nbootstrap.servers=%s\nkey.converter=StringConverter\nvalue.converter=StringConverter\noffset.storage.file.filename=%s\n",
		broker, filepath.Join(dir, "o")))
	log := filepath.Join(dir, "run.log")
	cmd := standalone(t, log, "--log-format", "json", worker)
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
	get := func(path string) (int, string) {
		res, err := http.Get(base + path)
		if err != nil {
			return 0, err.Error()
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	waitFor(t, "healthy", log, func() bool { code, _ := get("/health"); return code == 200 })
	body := `{"name":"s","config":{"connector.class":"FileStreamSink","topics":"t","file":"` + filepath.Join(dir, "out") + `"}}`
	res, err := http.Post(base+"/connectors", "application/json", strings.NewReader(body))
	if err != nil || res.StatusCode != 201 {
		t.Fatalf("create: %v %v", res, err)
	}
	res.Body.Close()
	if code, b := get("/connectors"); code != 200 || b != `["s"]` {
		t.Fatalf("list: %d %s", code, b)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		out, _ := os.ReadFile(log)
		t.Fatalf("exit after SIGTERM: %v\n%s", err, out)
	}
}
