package httpsec

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rs/zerolog"
)

// TestFailedAuthLogging: a wrong password is logged at WARN with the user,
// path and client, never the password; a burst of failures gives one WARN
// (the rest at DEBUG, counted); requests without credentials stay at DEBUG.
func TestFailedAuthLogging(t *testing.T) {
	var logs bytes.Buffer
	sec, err := New(parse(t, map[string]string{"rest.extension.classes": basicClass}),
		Options{Env: jaasEnv(t, "alice: s3cret\n", ""), Log: zerolog.New(&logs).Level(zerolog.DebugLevel)})
	if err != nil {
		t.Fatal(err)
	}
	h := sec.Wrap(okHandler)
	do(h, "GET", "/connectors", nil)
	if strings.Contains(logs.String(), `"level":"warn"`) {
		t.Fatalf("a request without credentials logged a warning: %s", logs.String())
	}
	for range 5 {
		if w := do(h, "GET", "/connectors", map[string]string{"Authorization": basic("alice", "guess-Pa55word")}); w.Code != 401 {
			t.Fatalf("status %d", w.Code)
		}
	}
	out := logs.String()
	if strings.Contains(out, "guess-Pa55word") || strings.Contains(out, "s3cret") {
		t.Fatalf("a password was logged: %s", out)
	}
	if n := strings.Count(out, `"level":"warn"`); n != 1 {
		t.Fatalf("%d WARN lines for a burst, want 1: %s", n, out)
	}
	if !strings.Contains(out, `"reason":"invalid user or password for user alice"`) || !strings.Contains(out, `"path":"/connectors"`) {
		t.Fatalf("the WARN line lacks the user or path: %s", out)
	}
	if strings.Count(out, "Request failed authentication") != 6 {
		t.Fatalf("every failure is logged (WARN or DEBUG): %s", out)
	}
}
