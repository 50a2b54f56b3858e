package rest

import (
	"net"
	"net/http"
	"sync/atomic"
)

// Defaults of the resource limits (connect-go; Kafka's Jetty has a thread
// pool of 200 and no request limit of its own).
const (
	// DefaultMaxConcurrentRequests bounds requests being handled at once;
	// more get 429 at once instead of queueing behind the worker's lock.
	DefaultMaxConcurrentRequests = 64
	// DefaultMaxConnections bounds open connections per listener; further
	// connections are closed at once. Slow clients are cut off by
	// ReadHeaderTimeout and idle ones by IdleTimeout, so they cannot hold
	// the slots for long.
	DefaultMaxConnections = 256
)

// limitRequests answers 429 when max requests are already in progress.
func limitRequests(max int, next http.Handler) http.Handler {
	if max <= 0 {
		return next
	}
	sem := make(chan struct{}, max)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case sem <- struct{}{}:
			defer func() { <-sem }()
			next.ServeHTTP(w, r)
		default:
			w.Header().Set("Retry-After", "1")
			writeError(w, errorf(http.StatusTooManyRequests, "Too many concurrent requests (limit %d); retry later", max))
		}
	})
}

// connLimiter closes connections beyond max as soon as they are accepted
// (http.Server.ConnState), whatever the listener (TLS included).
type connLimiter struct {
	max  int64
	open atomic.Int64
}

func (l *connLimiter) state(c net.Conn, st http.ConnState) {
	switch st {
	case http.StateNew:
		if l.open.Add(1) > l.max {
			c.Close() // the server then reports StateClosed
		}
	case http.StateClosed, http.StateHijacked:
		l.open.Add(-1)
	}
}
