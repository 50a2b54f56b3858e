// Package httpsec is the security layer of the embedded REST server:
// binding listeners and admin.listeners (HTTP and HTTPS with Kafka's
// ssl.* keys, client certificates), HTTP Basic authentication compatible
// with Kafka's BasicAuthSecurityRestExtension, bearer tokens, CORS
// (access.control.allow.*), response.http.headers.config, a request body
// limit, and the startup warning for an exposed, unauthenticated listener.
// docs/security.md describes the behaviour for users.
//
// The REST server uses it as:
//
//	sec, err := httpsec.New(cfg, httpsec.Options{Log: log})
//	bound, err := httpsec.Listen(ctx, cfg, false)   // and true for admin.listeners
//	sec.Announce(bound)                              // logs listeners, auth, warnings
//	handler := sec.Wrap(mux)
//	for _, b := range bound { go srv.Serve(b) }      // b is a net.Listener
package httpsec

import (
	"fmt"
	"net"
	"net/http"
	"strconv"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/runner/workerconfig"
)

// DefaultMaxBodyBytes bounds request bodies unless Options.MaxBodyBytes says
// otherwise. Kafka sets no limit; connector configurations are far smaller.
const DefaultMaxBodyBytes = 4 << 20

// Options tunes New.
type Options struct {
	// MaxBodyBytes limits request bodies; 0 means DefaultMaxBodyBytes,
	// negative means no limit.
	MaxBodyBytes int64
	// Env reads environment variables (JAAS file discovery); nil means
	// os.LookupEnv.
	Env LookupEnv
	// Exempt, when set, lets matching requests skip authentication.
	Exempt func(*http.Request) bool
	Log    zerolog.Logger
}

// Security is the configured middleware of one worker.
type Security struct {
	Auth     *Auth // nil when no authentication is configured
	headers  func(http.Handler) http.Handler
	cors     func(http.Handler) http.Handler
	maxBytes int64
	log      zerolog.Logger
}

// New validates the security settings of cfg and reads the credentials
// files. Errors name the offending key or file.
func New(cfg *workerconfig.Config, opts Options) (*Security, error) {
	s := &Security{maxBytes: opts.MaxBodyBytes, log: opts.Log}
	if s.maxBytes == 0 {
		s.maxBytes = DefaultMaxBodyBytes
	}
	var err error
	if s.headers, err = ResponseHeaders(cfg); err != nil {
		return nil, err
	}
	s.cors = CORS(cfg)
	if s.Auth, err = NewAuth(cfg, AuthOptions{Env: opts.Env, Exempt: opts.Exempt, Log: opts.Log}); err != nil {
		return nil, err
	}
	return s, nil
}

// Wrap applies, outermost first, response headers, CORS, authentication and
// the body limit to h: the order of Kafka's servlet filters and Jersey's
// authentication filter, so 401 responses carry the configured and CORS
// headers too.
func (s *Security) Wrap(h http.Handler) http.Handler {
	h = MaxBody(s.maxBytes)(h)
	h = s.Auth.Middleware(h)
	if s.cors != nil {
		h = s.cors(h)
	}
	if s.headers != nil {
		h = s.headers(h)
	}
	return h
}

// MaxBody rejects requests whose declared Content-Length exceeds limit with
// 413 and Kafka's error shape, and caps the body read by the handler at
// limit (reads past it fail with *http.MaxBytesError, which the handler
// should answer with 413). limit < 0 disables the check.
func MaxBody(limit int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		if limit < 0 {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ContentLength > limit {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Connection", "close")
				w.WriteHeader(http.StatusRequestEntityTooLarge)
				fmt.Fprintf(w, `{"error_code":413,"message":"Request body is larger than the limit of %d bytes"}`, limit)
				return
			}
			if r.Body != nil && r.Body != http.NoBody {
				r.Body = http.MaxBytesReader(w, r.Body, limit)
			}
			next.ServeHTTP(w, r)
		})
	}
}

// Announce logs, at INFO, every bound listener and the authentication in
// effect (never a secret), then the WarnIfExposed warnings, which it
// returns.
func (s *Security) Announce(bound []Bound) []string {
	for i := range bound {
		b := &bound[i]
		ev := s.log.Info().Str("listener", b.Spec).Str("url", b.URL()).Bool("admin", b.Admin)
		if b.TLS != nil {
			ev = ev.Bool("client_cert_required", b.ClientCertRequired())
		}
		ev.Msg("REST listener bound")
	}
	s.log.Info().Str("authentication", s.Auth.Describe()).Msg("REST authentication")
	return s.WarnIfExposed(bound)
}

// WarnIfExposed logs a warning for every listener reachable from other
// hosts (not bound to a loopback address) that lets requests in without
// authentication (neither Basic/bearer authentication nor a required client
// certificate), and for plain-HTTP listeners reachable from other hosts
// that carry passwords or tokens in clear text. It returns the messages.
func (s *Security) WarnIfExposed(bound []Bound) []string {
	var out []string
	for i := range bound {
		b := &bound[i]
		if isLoopback(b) {
			continue
		}
		var msg string
		switch {
		case s.Auth == nil && !b.ClientCertRequired():
			msg = "REST listener " + b.Spec + " (port " + strconv.Itoa(b.Port) + ") accepts connections from other hosts without authentication: " +
				"anyone who can reach it can create connectors, which read and write files and topics with this process's rights. " +
				"Bind it to 127.0.0.1, or configure rest.extension.classes=" + BasicAuthExtension + ", " + BearerTokenFileKey +
				" or https with ssl.client.auth=required (docs/security.md)"
		case s.Auth != nil && b.TLS == nil:
			msg = "REST listener " + b.Spec + " (port " + strconv.Itoa(b.Port) + ") accepts connections from other hosts over plain HTTP: " +
				"credentials cross the network in clear text; prefer an https listener"
		default:
			continue
		}
		s.log.Warn().Str("listener", b.Spec).Msg(msg)
		out = append(out, msg)
	}
	return out
}

// isLoopback: the listener's bound address is a loopback address.
func isLoopback(b *Bound) bool {
	if addr, ok := b.Addr().(*net.TCPAddr); ok && addr.IP != nil && !addr.IP.IsUnspecified() {
		return addr.IP.IsLoopback()
	}
	return false
}
