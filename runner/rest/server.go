// Package rest is Kafka Connect's REST API over the standalone worker: the
// same paths, methods, query parameters, JSON bodies, status codes and
// {"error_code": N, "message": "..."} errors as Kafka's ConnectRestServer
// (RootResource, ConnectorsResource, ConnectorPluginsResource,
// LoggingResource), with the deviations listed in docs/compatibility.md.
//
// Security (TLS, authentication, CORS, response headers) and metrics live
// elsewhere and plug in through Config.Listen, Config.Middleware and
// Config.Routes.
package rest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/runner"
	"github.com/connect-go/connect-standalone/runner/loggers"
	"github.com/connect-go/connect-standalone/runner/workerconfig"
)

// DefaultListener is bound when the worker config has no listeners key.
// Kafka binds every interface (http://:8083); we bind loopback only.
const DefaultListener = "http://127.0.0.1:8083"

// DefaultMaxBodyBytes caps request bodies.
const DefaultMaxBodyBytes = 1 << 20

// Config configures a Server.
type Config struct {
	// Worker is the worker config: listeners, admin.listeners,
	// rest.advertised.*, topic tracking.
	Worker *workerconfig.Config
	// Listeners overrides Worker.Listeners (main passes DefaultListener when
	// the key is absent).
	Listeners []string
	// Version, Commit and ClusterID are reported by GET /.
	Version, Commit, ClusterID string
	// Loggers backs /admin/loggers; nil disables the admin endpoints.
	Loggers *loggers.Registry
	Logger  zerolog.Logger

	// Listen binds one listener; admin says it is an admin listener. The
	// default handles http and refuses https.
	Listen func(l workerconfig.Listener, admin bool) (net.Listener, error)
	// Middleware wraps both the regular and the admin handler, outermost
	// first (authentication, CORS, response headers, ...).
	Middleware []func(http.Handler) http.Handler
	// Routes adds routes to the regular mux (e.g. GET /metrics).
	Routes func(mux *http.ServeMux)
	// Authenticated suppresses the warning for non-loopback listeners.
	Authenticated bool

	MaxBodyBytes int64         // default DefaultMaxBodyBytes
	ReadTimeout  time.Duration // default 30 s
	WriteTimeout time.Duration // default 120 s (Kafka's request timeout is 90 s)
	// ReadHeaderTimeout bounds the TLS handshake and request headers
	// (slow clients); default 10 s. IdleTimeout closes idle keep-alive
	// connections; default 2 min.
	ReadHeaderTimeout time.Duration
	IdleTimeout       time.Duration
	// MaxConcurrentRequests (default DefaultMaxConcurrentRequests) and
	// MaxConnections (per listener, default DefaultMaxConnections) bound
	// what clients can hold; negative disables the limit.
	MaxConcurrentRequests int
	MaxConnections        int
	// HealthStartupWait is how long GET /health waits for startup to
	// finish before answering 503 (KIP-1017: 10 s).
	HealthStartupWait time.Duration
	// HealthTimeout bounds the worker check of GET /health (10 s).
	HealthTimeout time.Duration
}

// Server serves the REST API on one or more listeners.
type Server struct {
	cfg     Config
	log     zerolog.Logger
	maxBody int64

	worker *runner.Worker

	listeners      []boundListener
	adminListeners []boundListener
	servers        []*http.Server
	wg             sync.WaitGroup

	ready     chan struct{}
	readyOnce sync.Once
}

type boundListener struct {
	spec workerconfig.Listener
	ln   net.Listener
}

// New validates the listener configuration; nothing is bound yet.
func New(cfg Config) (*Server, error) {
	if cfg.Listen == nil {
		cfg.Listen = listenHTTP
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.ReadTimeout <= 0 {
		cfg.ReadTimeout = 30 * time.Second
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = 120 * time.Second
	}
	if cfg.ReadHeaderTimeout <= 0 {
		cfg.ReadHeaderTimeout = 10 * time.Second
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 2 * time.Minute
	}
	if cfg.MaxConcurrentRequests == 0 {
		cfg.MaxConcurrentRequests = DefaultMaxConcurrentRequests
	}
	if cfg.MaxConnections == 0 {
		cfg.MaxConnections = DefaultMaxConnections
	}
	if cfg.HealthStartupWait <= 0 {
		cfg.HealthStartupWait = 10 * time.Second
	}
	if cfg.HealthTimeout <= 0 {
		cfg.HealthTimeout = 10 * time.Second
	}
	if cfg.Listeners == nil && cfg.Worker != nil {
		cfg.Listeners = cfg.Worker.Listeners
	}
	if len(cfg.Listeners) == 0 {
		cfg.Listeners = []string{DefaultListener}
	}
	log := cfg.Logger
	if cfg.Loggers != nil {
		log = cfg.Loggers.Logger(loggers.RestServer)
	}
	return &Server{cfg: cfg, log: log, maxBody: cfg.MaxBodyBytes, ready: make(chan struct{})}, nil
}

func listenHTTP(l workerconfig.Listener, _ bool) (net.Listener, error) {
	if l.Protocol != "http" {
		return nil, fmt.Errorf("listener protocol %s needs TLS settings, which this server was not given", l.Protocol)
	}
	return net.Listen("tcp", net.JoinHostPort(l.Host, strconv.Itoa(l.Port)))
}

// Listen binds every listener (and admin listener); port 0 takes a free port.
func (s *Server) Listen() error {
	bind := func(specs []string, admin bool) ([]boundListener, error) {
		var out []boundListener
		for _, raw := range specs {
			spec, err := workerconfig.ParseListener(raw)
			if err != nil {
				return out, fmt.Errorf("invalid listener %q: %w", raw, err)
			}
			ln, err := s.cfg.Listen(spec, admin)
			if err != nil {
				return out, fmt.Errorf("failed to bind listener %s: %w", raw, err)
			}
			out = append(out, boundListener{spec: spec, ln: ln})
			kind := "REST"
			if admin {
				kind = "admin REST"
			}
			s.log.Info().Str("listener", raw).Str("address", ln.Addr().String()).Msgf("%s listener bound", kind)
			if !s.cfg.Authenticated && !isLoopback(spec.Host) {
				s.log.Warn().Str("listener", raw).Msg("the REST API is reachable from other hosts and has no authentication; bind 127.0.0.1 or configure authentication")
			}
		}
		return out, nil
	}
	var err error
	if s.listeners, err = bind(s.cfg.Listeners, false); err != nil {
		s.closeListeners()
		return err
	}
	if s.cfg.Worker != nil && len(s.cfg.Worker.AdminListeners) > 0 {
		if s.adminListeners, err = bind(s.cfg.Worker.AdminListeners, true); err != nil {
			s.closeListeners()
			return err
		}
	}
	return nil
}

func (s *Server) closeListeners() {
	for _, l := range append(s.listeners, s.adminListeners...) {
		l.ln.Close()
	}
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Addrs are the bound addresses of the regular listeners.
func (s *Server) Addrs() []net.Addr {
	var out []net.Addr
	for _, l := range s.listeners {
		out = append(out, l.ln.Addr())
	}
	return out
}

// AdminAddrs are the bound addresses of the admin listeners.
func (s *Server) AdminAddrs() []net.Addr {
	var out []net.Addr
	for _, l := range s.adminListeners {
		out = append(out, l.ln.Addr())
	}
	return out
}

// WorkerID is the advertised host:port (RestServer.advertisedUrl without
// the scheme): rest.advertised.host.name, else the listener's host, else
// this machine's IP address; rest.advertised.port, else the listener's
// port, else the bound port. Call after Listen.
func (s *Server) WorkerID() string {
	if len(s.listeners) == 0 {
		return ""
	}
	l := s.listeners[0]
	proto := ""
	if s.cfg.Worker != nil {
		proto = s.cfg.Worker.RestAdvertisedListener
	}
	for _, c := range s.listeners {
		if proto != "" && c.spec.Protocol == proto {
			l = c
			break
		}
	}
	host, port := l.spec.Host, l.spec.Port
	if port <= 0 {
		if ta, ok := l.ln.Addr().(*net.TCPAddr); ok {
			port = ta.Port
		}
	}
	if s.cfg.Worker != nil {
		if s.cfg.Worker.RestAdvertisedHostName != "" {
			host = s.cfg.Worker.RestAdvertisedHostName
		}
		if s.cfg.Worker.RestAdvertisedPort > 0 {
			port = s.cfg.Worker.RestAdvertisedPort
		}
	}
	if host == "" {
		host = localIP()
	}
	return net.JoinHostPort(host, strconv.Itoa(port))
}

func localIP() string {
	addrs, err := net.InterfaceAddrs()
	if err == nil {
		for _, a := range addrs {
			if ipn, ok := a.(*net.IPNet); ok && !ipn.IP.IsLoopback() && ipn.IP.To4() != nil {
				return ipn.IP.String()
			}
		}
	}
	return "127.0.0.1"
}

// Serve starts serving on the bound listeners; it returns at once. Until
// MarkReady, GET /health answers 503.
func (s *Server) Serve(w *runner.Worker) {
	s.worker = w
	adminSeparate := s.cfg.Worker != nil && s.cfg.Worker.AdminListeners != nil
	main := s.handler(!adminSeparate, true)
	for _, l := range s.listeners {
		s.serve(l, main)
	}
	if len(s.adminListeners) > 0 {
		admin := s.handler(true, false)
		for _, l := range s.adminListeners {
			s.serve(l, admin)
		}
	}
}

func (s *Server) serve(l boundListener, h http.Handler) {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          nil,
	}
	if s.cfg.MaxConnections > 0 {
		srv.ConnState = (&connLimiter{max: int64(s.cfg.MaxConnections)}).state
	}
	s.servers = append(s.servers, srv)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := srv.Serve(l.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error().Err(err).Str("address", l.ln.Addr().String()).Msg("REST listener failed")
		}
	}()
}

// MarkReady tells GET /health that startup (the connector files) is done.
func (s *Server) MarkReady() { s.readyOnce.Do(func() { close(s.ready) }) }

// Shutdown stops accepting requests and waits for those in flight until ctx
// ends, then closes what is left.
func (s *Server) Shutdown(ctx context.Context) error {
	var errs []error
	for _, srv := range s.servers {
		if err := srv.Shutdown(ctx); err != nil {
			errs = append(errs, err)
			srv.Close()
		}
	}
	if len(s.servers) == 0 {
		s.closeListeners()
	}
	s.wg.Wait()
	return errors.Join(errs...)
}

// handler builds the mux: regular endpoints and/or admin endpoints, the
// JSON 404/405 fallback, request logging and the middleware chain.
func (s *Server) handler(withAdmin, withRegular bool) http.Handler {
	mux := http.NewServeMux()
	if withRegular {
		s.regularRoutes(mux)
		if s.cfg.Routes != nil {
			s.cfg.Routes(mux)
		}
	}
	if withAdmin && s.cfg.Loggers != nil {
		s.adminRoutes(mux)
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		// Nothing matched this method and path: 405 if another method
		// would have matched, else 404.
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
			if m == r.Method {
				continue
			}
			r2 := r.Clone(r.Context())
			r2.Method = m
			if _, pattern := mux.Handler(r2); pattern != "/" && pattern != "" {
				writeError(w, errMethodNotAllowed)
				return
			}
		}
		writeError(w, errNotFoundRoute)
	})
	var h http.Handler = s.logRequests(s.recoverPanics(mux))
	for i := len(s.cfg.Middleware) - 1; i >= 0; i-- {
		h = s.cfg.Middleware[i](h)
	}
	return limitRequests(s.cfg.MaxConcurrentRequests, h)
}

type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.code == 0 {
		r.code = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.code == 0 {
			rec.code = http.StatusOK
		}
		s.log.Debug().Str("method", r.Method).Str("uri", r.URL.RequestURI()).Int("status", rec.code).
			Str("remote", r.RemoteAddr).Dur("took", time.Since(start)).Msg("REST request")
	})
}

func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error().Interface("panic", v).Str("uri", r.URL.RequestURI()).Msg("REST handler panicked")
				writeError(w, fmt.Errorf("%v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// handle adapts a handler that returns an error.
func handle(fn func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			writeError(w, err)
		}
	}
}
