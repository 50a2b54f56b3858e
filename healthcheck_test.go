package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHealthcheckSubcommand(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/health":
			w.Write([]byte(`{"status":"healthy"}`))
		case "/starting":
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte(`{"status":"starting"}`))
		case "/hang":
			<-block
		}
	}))
	defer srv.Close()
	defer close(block) // before srv.Close, which waits for the hanging handler
	// A port nothing listens on: bind, note the address, close.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/health"
	ln.Close()

	tests := []struct {
		name           string
		args           []string
		code           int
		stdout, stderr string
	}{
		{"healthy", []string{srv.URL + "/health"}, 0, `200 {"status":"healthy"}`, ""},
		{"starting is a failure", []string{srv.URL + "/starting"}, 1, `503 {"status":"starting"}`, ""},
		{"connection refused", []string{closed}, 1, "", "connection refused"},
		{"timeout", []string{"--timeout", "100ms", srv.URL + "/hang"}, 1, "", "context deadline exceeded"},
		{"not a URL", []string{"127.0.0.1:8083"}, 1, "", `"127.0.0.1:8083" is not an http(s) URL`},
		{"two URLs", []string{srv.URL, srv.URL}, 1, "", "unexpected argument"},
		{"bad flag", []string{"--nope"}, 1, "", "flag provided but not defined: -nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := runHealthcheck(context.Background(), tt.args, &out, &errOut)
			if code != tt.code || !strings.Contains(out.String(), tt.stdout) || !strings.Contains(errOut.String(), tt.stderr) {
				t.Fatalf("code %d stdout %q stderr %q; want %d, %q, %q", code, out.String(), errOut.String(), tt.code, tt.stdout, tt.stderr)
			}
		})
	}
}
