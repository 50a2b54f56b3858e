package rest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/connect-go/connect-standalone/runner"
)

// httpError is an error with its status code (ConnectRestException).
type httpError struct {
	code int
	msg  string
}

func (e *httpError) Error() string { return e.msg }

func errorf(code int, format string, args ...any) error {
	return &httpError{code: code, msg: fmt.Sprintf(format, args...)}
}

func badRequest(format string, args ...any) error {
	return errorf(http.StatusBadRequest, format, args...)
}

// Jersey's messages for its own WebApplicationExceptions.
var (
	errNotFoundRoute    = &httpError{http.StatusNotFound, "HTTP 404 Not Found"}
	errMethodNotAllowed = &httpError{http.StatusMethodNotAllowed, "HTTP 405 Method Not Allowed"}
	errUnsupportedMedia = &httpError{http.StatusUnsupportedMediaType, "HTTP 415 Unsupported Media Type"}
)

// statusOf maps an error to its HTTP status as ConnectExceptionMapper does;
// what it does not know is a 500.
func statusOf(err error) int {
	var he *httpError
	var bre *runner.BadRequestError
	switch {
	case errors.As(err, &he):
		return he.code
	case errors.As(err, &bre):
		return http.StatusBadRequest
	case errors.Is(err, runner.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, runner.ErrAlreadyExists):
		return http.StatusConflict
	case errors.Is(err, runner.ErrTopicTrackingDisabled), errors.Is(err, runner.ErrTopicResetDisabled):
		return http.StatusForbidden
	}
	return http.StatusInternalServerError
}

// writeError writes {"error_code": N, "message": "..."}.
func writeError(w http.ResponseWriter, err error) {
	code := statusOf(err)
	msg := err.Error()
	var he *httpError
	var bre *runner.BadRequestError
	var nfe *runner.NotFoundError
	switch {
	case errors.As(err, &he):
		msg = he.msg
	case errors.As(err, &bre):
		msg = bre.Msg
	case errors.As(err, &nfe):
		msg = nfe.Msg
	}
	writeJSON(w, code, errorMessage{ErrorCode: code, Message: &msg})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := marshal(v)
	if err != nil {
		code = http.StatusInternalServerError
		b = []byte(`{"error_code":500,"message":"failed to encode the response"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	w.Write(b)
}

// notFoundAs gives a runner.ErrNotFound without its own message the
// endpoint's message.
func notFoundAs(err error, format string, args ...any) error {
	var nfe *runner.NotFoundError
	if errors.Is(err, runner.ErrNotFound) && !errors.As(err, &nfe) {
		return errorf(http.StatusNotFound, format, args...)
	}
	return err
}

// readBody reads a JSON request body within the size limit.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || !(mt == "application/json" || strings.HasSuffix(mt, "+json") || mt == "*/*") {
			return nil, errUnsupportedMedia
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, errorf(http.StatusRequestEntityTooLarge, "Request body is larger than the limit of %d bytes", mbe.Limit)
		}
		return nil, badRequest("Failed to read the request body: %v", err)
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil, badRequest("Request body is missing")
	}
	return body, nil
}

// decodeStrict decodes exactly one JSON value into v, refusing unknown
// fields and trailing data (Kafka's ObjectMapper fails on unknown
// properties too, with a 500).
func decodeStrict(body []byte, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return badRequest("Cannot deserialize the request body: %v", err)
	}
	if dec.More() {
		return badRequest("Cannot deserialize the request body: unexpected data after the JSON value")
	}
	var extra json.RawMessage
	if err := dec.Decode(&extra); err != io.EOF {
		return badRequest("Cannot deserialize the request body: unexpected data after the JSON value")
	}
	return nil
}

// stringMap decodes a JSON object whose values Jackson would coerce into a
// Map<String, String>: strings as they are, numbers and booleans as their
// JSON text, null as nil. Arrays and objects are refused.
func stringMap(raw json.RawMessage, what string) (map[string]*string, error) {
	var m map[string]json.RawMessage
	if err := decodeStrict(raw, &m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, badRequest("%s must be a JSON object", what)
	}
	out := make(map[string]*string, len(m))
	for k, v := range m {
		s, err := scalarString(v)
		if err != nil {
			return nil, badRequest("Cannot deserialize the value of %q in %s: %v", k, what, err)
		}
		out[k] = s
	}
	return out, nil
}

func scalarString(v json.RawMessage) (*string, error) {
	t := strings.TrimSpace(string(v))
	switch {
	case t == "null":
		return nil, nil
	case strings.HasPrefix(t, `"`):
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return nil, err
		}
		return &s, nil
	case t == "true" || t == "false":
		return &t, nil
	case strings.HasPrefix(t, "[") || strings.HasPrefix(t, "{"):
		return nil, errors.New("expected a string, number or boolean")
	}
	var n json.Number
	if err := json.Unmarshal(v, &n); err != nil {
		return nil, err
	}
	s := n.String()
	return &s, nil
}

// nonNullStrings refuses null values (a config map for create or replace).
func nonNullStrings(m map[string]*string, what string) (map[string]string, error) {
	out := make(map[string]string, len(m))
	for k, v := range m {
		if v == nil {
			return nil, badRequest("The value of %q in %s may not be null", k, what)
		}
		out[k] = *v
	}
	return out, nil
}

// normalizeJSON turns json.Number values into int64 (integral) or float64,
// as Connect's JsonConverter reads offsets (Long and Double).
func normalizeJSON(v any) any {
	switch x := v.(type) {
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n
		}
		f, _ := x.Float64()
		return f
	case map[string]any:
		for k, e := range x {
			x[k] = normalizeJSON(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = normalizeJSON(e)
		}
		return x
	}
	return v
}
