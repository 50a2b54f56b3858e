// Package redact keeps secrets out of everything the worker shows: log
// lines, REST responses (bodies of every endpoint, including status traces,
// error messages and /metrics labels).
//
// The REST API already returns configurations as submitted, with
// ${provider:...} variables unresolved, and PASSWORD values print as
// [hidden]. Redaction is the backstop for the places no such rule covers:
// an error message that quotes a resolved value ("Invalid value s3cr3t for
// configuration batch.size", "couldn't open file '/run/secret-path'"), a
// connector's own log line, a topic or header derived from a secret. Every
// value a config provider substitutes, and every PASSWORD value of the
// worker configuration, is registered in a Set; the log writer and the REST
// middleware replace each occurrence with [hidden].
//
// Values shorter than MinLen characters are not registered: replacing "1"
// or "true" everywhere would corrupt every response and log line while
// hiding nothing worth hiding.
package redact

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"sync"
)

// Mask replaces a secret.
const Mask = "[hidden]"

// MinLen is the shortest value that is registered.
const MinLen = 6

// maxValues bounds the set; past it the oldest registrations are dropped
// (a connector config cannot grow memory without bound).
const maxValues = 10000

// Set is a concurrency-safe set of secrets. The zero value is not usable;
// a nil *Set redacts nothing.
type Set struct {
	mu    sync.RWMutex
	seen  map[string]bool
	order []string
	// forms are the byte forms searched for, longest first, so a secret
	// containing another is replaced whole.
	forms []form
}

type form struct {
	b     []byte
	owner string // the registered value it spells
}

// New returns an empty set.
func New() *Set { return &Set{seen: map[string]bool{}} }

// Add registers secrets (values shorter than MinLen are ignored).
func (s *Set) Add(values ...string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range values {
		if len(v) < MinLen || s.seen[v] {
			continue
		}
		s.seen[v] = true
		s.order = append(s.order, v)
		for _, f := range variants(v) {
			// Keep forms sorted longest first (binary insertion).
			i, _ := slices.BinarySearchFunc(s.forms, len(f), func(e form, n int) int { return n - len(e.b) })
			s.forms = slices.Insert(s.forms, i, form{b: []byte(f), owner: v})
		}
		if len(s.order) > maxValues {
			old := s.order[0]
			s.order = s.order[1:]
			delete(s.seen, old)
			s.forms = slices.DeleteFunc(s.forms, func(e form) bool { return e.owner == old })
		}
	}
}

// variants are the spellings a secret takes in output: as is, escaped
// inside a JSON string (zerolog, REST bodies), and Go-quoted (%q in error
// messages).
func variants(v string) []string {
	out := []string{v}
	if b, err := json.Marshal(v); err == nil {
		if e := string(b[1 : len(b)-1]); e != v {
			out = append(out, e)
			// A JSON body that quotes a zerolog line or an error string
			// escapes the escapes once more.
			if b2, err := json.Marshal(e); err == nil && string(b2[1:len(b2)-1]) != e {
				out = append(out, string(b2[1:len(b2)-1]))
			}
		}
	}
	if q := strconv.Quote(v); q[1:len(q)-1] != v {
		out = append(out, q[1:len(q)-1])
	}
	return out
}

// Len is the number of registered secrets.
func (s *Set) Len() int {
	if s == nil {
		return 0
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.order)
}

// Bytes returns b with every secret replaced by Mask; b itself is returned
// when it holds none.
func (s *Set) Bytes(b []byte) []byte {
	if s == nil {
		return b
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, f := range s.forms {
		if bytes.Contains(b, f.b) {
			b = bytes.ReplaceAll(b, f.b, []byte(Mask))
		}
	}
	return b
}

// String is Bytes for strings.
func (s *Set) String(v string) string { return string(s.Bytes([]byte(v))) }

// Writer wraps a log destination. zerolog writes each event with one Write
// call, so a secret never straddles two calls.
func (s *Set) Writer(w io.Writer) io.Writer { return &writer{s: s, w: w} }

type writer struct {
	s *Set
	w io.Writer
}

func (w *writer) Write(p []byte) (int, error) {
	if _, err := w.w.Write(w.s.Bytes(p)); err != nil {
		return 0, err
	}
	return len(p), nil // the caller's bytes were consumed, whatever length was written
}

// Middleware buffers each response body, redacts it and sends it with a
// corrected Content-Length. REST responses are small JSON documents.
func (s *Set) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bw := &bufferedWriter{ResponseWriter: w, code: http.StatusOK}
		next.ServeHTTP(bw, r)
		body := s.Bytes(bw.buf.Bytes())
		h := w.Header()
		if h.Get("Content-Length") != "" || len(body) != bw.buf.Len() {
			h.Set("Content-Length", strconv.Itoa(len(body)))
		}
		w.WriteHeader(bw.code)
		if r.Method != http.MethodHead {
			w.Write(body)
		}
	})
}

type bufferedWriter struct {
	http.ResponseWriter
	code        int
	wroteHeader bool
	buf         bytes.Buffer
}

func (b *bufferedWriter) WriteHeader(code int) {
	if !b.wroteHeader {
		b.code, b.wroteHeader = code, true
	}
}

func (b *bufferedWriter) Write(p []byte) (int, error) {
	b.wroteHeader = true
	return b.buf.Write(p)
}
