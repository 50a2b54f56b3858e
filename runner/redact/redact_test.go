package redact

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rs/zerolog"
)

func TestBytes(t *testing.T) {
	s := New()
	s.Add("short", "canary-s3cr3t", `pa"ss\word`, "canary-s3cr3t-longer")
	for _, tc := range []struct{ in, want string }{
		{"nothing here", "nothing here"},
		{"short stays", "short stays"}, // below MinLen
		{"x canary-s3cr3t y canary-s3cr3t", "x [hidden] y [hidden]"},
		{"canary-s3cr3t-longer", "[hidden]"}, // longest form first
		{`raw pa"ss\word`, "raw [hidden]"},
		{`{"msg":"pa\"ss\\word"}`, `{"msg":"[hidden]"}`},                         // JSON-escaped
		{`{"m":"{\"e\":\"pa\\\"ss\\\\word\"}"}`, `{"m":"{\"e\":\"[hidden]\"}"}`}, // escaped twice
	} {
		if got := s.String(tc.in); got != tc.want {
			t.Errorf("String(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
	var nilSet *Set
	if nilSet.String("canary-s3cr3t") != "canary-s3cr3t" || nilSet.Len() != 0 {
		t.Error("nil set changed its input")
	}
}

func TestBounded(t *testing.T) {
	s := New()
	for i := 0; i < maxValues+10; i++ {
		s.Add(fmt.Sprintf("secret-%06d", i))
	}
	if s.Len() != maxValues {
		t.Fatalf("Len = %d, want %d", s.Len(), maxValues)
	}
	if s.String("secret-000000") != "secret-000000" || s.String(fmt.Sprintf("secret-%06d", maxValues+9)) != Mask {
		t.Fatal("oldest not dropped or newest not kept")
	}
}

func TestLogWriter(t *testing.T) {
	s := New()
	var out bytes.Buffer
	log := zerolog.New(s.Writer(&out))
	s.Add(`top"secret`)
	log.Error().Err(fmt.Errorf("could not open %q", `top"secret`)).Str("value", `top"secret`).Msg(`top"secret`)
	if strings.Contains(out.String(), "secret") {
		t.Fatalf("secret logged: %s", out.String())
	}
	var m map[string]any
	if err := json.Unmarshal(out.Bytes(), &m); err != nil {
		t.Fatalf("redacted line is not JSON: %v: %s", err, out.String())
	}
}

func TestMiddleware(t *testing.T) {
	s := New()
	s.Add("canary-s3cr3t")
	h := s.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "52")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"error_code":400,"message":"bad canary-s3cr3t"}   `)
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != 400 || rec.Body.String() != `{"error_code":400,"message":"bad [hidden]"}   ` {
		t.Fatalf("got %d %s", rec.Code, rec.Body)
	}
	if cl := rec.Header().Get("Content-Length"); cl != fmt.Sprint(rec.Body.Len()) {
		t.Fatalf("Content-Length %s for %d bytes", cl, rec.Body.Len())
	}
}
