package tail_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"strings"
	"testing"
	"time"

	"github.com/connect-go/connect-standalone/connectors/tail"
	"github.com/connect-go/connect-standalone/offsets"
	"github.com/connect-go/connect-standalone/runner/plugins"
)

func TestAppendAndRestart(t *testing.T) {
	e := newEnv(t)
	props := e.props(map[string]string{"paths": e.path("*.log")})
	e.write("a.log", numbered("a", 0, 1000)...)
	_, stop := e.startWorker(props)
	e.waitAll(20 * time.Second)
	e.write("a.log", numbered("a", 1000, 1000)...)
	e.write("b.log", numbered("b", 0, 10)...)
	e.waitAll(20 * time.Second)
	stop()
	e.write("a.log", numbered("a", 2000, 10)...)
	_, stop = e.startWorker(props)
	defer stop()
	e.checkExactlyOnce()
}

func TestAliases(t *testing.T) {
	r := plugins.New(plugins.Builtins())
	for _, name := range []string{"FileTailSource", "FileTailSourceConnector", tail.Class} {
		p, err := r.Connector(name)
		if err != nil || p.Class != tail.Class || p.Kind != plugins.KindSource {
			t.Errorf("%s: %v, %v", name, p, err)
		}
	}
}

// TestHeadersKeyAndOffsets: key=path, headers.enable, the truncation
// headers, and the partition/offset shape in the offsets store.
func TestHeadersKeyAndOffsets(t *testing.T) {
	e := newEnv(t)
	e.got.mu.Lock()
	e.got.keep = true
	e.got.mu.Unlock()
	props := e.props(map[string]string{"paths": e.path("*.log"), "key": "path", "headers.enable": "true", "max.line.bytes": "100"})
	long := strings.Repeat("é", 80) // 160 bytes: cut to 100 bytes, 50 characters
	e.writeRaw("h.log", []string{"short", long}, []string{"short", strings.Repeat("é", 50)})
	_, stop := e.startWorker(props)
	e.checkExactlyOnce()
	stop()

	e.got.mu.Lock()
	recs := e.got.records
	e.got.mu.Unlock()
	for _, m := range recs {
		if string(m.Key) != e.path("h.log") {
			t.Errorf("key %q", m.Key)
		}
		h := map[string]string{}
		for _, rh := range m.Headers {
			h[string(rh.Key)] = string(rh.Value)
		}
		if h["file.path"] != e.path("h.log") || h["host"] == "" {
			t.Errorf("headers %v", h)
		}
		if cut := len(m.Value) < 160 && string(m.Value) != "short"; cut {
			if h["file.line.truncated"] != "true" || h["file.line.bytes"] != "160" {
				t.Errorf("cut line headers %v", h)
			}
		} else if _, ok := h["file.line.truncated"]; ok {
			t.Errorf("uncut line flagged: %v", h)
		}
	}

	store, err := offsets.OpenFile(e.offsets)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	parts := store.Partitions(e.name)
	if len(parts) != 1 {
		t.Fatalf("partitions %v", parts)
	}
	off, _ := store.Get(e.name, parts[0])
	if _, ok := parts[0]["inode"].(int64); !ok || off["position"] != int64(len("short\n")+len(long)+1) || off["path"] != e.path("h.log") {
		t.Errorf("partition %v offset %v", parts[0], off)
	}
}

// TestUTF16 reads a UTF-16LE file with a byte order mark and CRLF lines.
func TestUTF16(t *testing.T) {
	e := newEnv(t)
	var b bytes.Buffer
	b.Write([]byte{0xFF, 0xFE})
	for _, l := range []string{"grüße\r\n", "zwei\r\n"} {
		for _, r := range l {
			binary.Write(&b, binary.LittleEndian, uint16(r))
		}
	}
	if err := writeBytes(e.path("u.log"), b.Bytes()); err != nil {
		t.Fatal(err)
	}
	e.want = []string{"grüße", "zwei"}
	_, stop := e.startWorker(e.props(map[string]string{"paths": e.path("*.log"), "encoding": "utf-16le"}))
	defer stop()
	e.checkExactlyOnce()
}

// TestReadFromEnd: read.from=end skips what existing files hold on the
// first run only; files created later are read from their start.
func TestReadFromEnd(t *testing.T) {
	e := newEnv(t)
	writeBytes(e.path("old.log"), []byte("skipped 1\nskipped 2\n"))
	props := e.props(map[string]string{"paths": e.path("*.log"), "read.from": "end"})
	_, stop := e.startWorker(props)
	time.Sleep(300 * time.Millisecond)
	e.write("old.log", "after 1")
	e.write("new.log", "new 1")
	e.waitAll(20 * time.Second)
	stop()
	e.write("new2.log", "new 2") // created while down: read from its start
	_, stop = e.startWorker(props)
	defer stop()
	e.checkExactlyOnce()
}

func TestInvalidConfigFailsCreate(t *testing.T) {
	e := newEnv(t)
	w, stop := e.startWorker(e.props(map[string]string{"paths": e.path("*.log")}))
	defer stop()
	bad := e.props(map[string]string{"paths": e.path("*.log"), "multiline.match": "after"})
	_, err := w.PutConnectorConfig(context.Background(), "bad", bad, "", false)
	if err == nil || !strings.Contains(err.Error(), "only applies with multiline.pattern") {
		t.Fatalf("error %v", err)
	}
	bad = e.props(map[string]string{"paths": e.path("**")})
	_, err = w.PutConnectorConfig(context.Background(), "bad2", bad, "", false)
	if err == nil || !strings.Contains(err.Error(), "must end in a file name pattern") {
		t.Fatalf("error %v", err)
	}
}
