package httpsec

import (
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/connect-go/connect-standalone/runner/workerconfig"
)

// Jetty CrossOriginFilter defaults that Kafka leaves untouched.
const (
	corsDefaultMethods = "GET,POST,HEAD"
	corsAllowedHeaders = "X-Requested-With,Content-Type,Accept,Origin"
	corsMaxAge         = "1800"
)

type cors struct {
	anyOrigin bool
	exact     []string
	patterns  []*regexp.Regexp
	methods   []string
	methodsH  string
	headers   []string
}

// CORS returns the cross-origin middleware configured by
// access.control.allow.origin and access.control.allow.methods, or nil when
// the origin setting is blank (CORS disabled, as in Kafka).
//
// It behaves as the Jetty CrossOriginFilter Kafka installs: origins are a
// comma-separated list where "*" allows any origin and other entries may
// use "*" as a wildcard (e.g. https://*.example.com); allowed methods
// default to GET,POST,HEAD; allowed request headers are
// X-Requested-With, Content-Type, Accept and Origin; credentials are allowed
// and the request's origin is echoed; preflight results may be cached for
// 1800 s.
//
// Unlike Kafka's Jetty 9 filter, which passed preflight requests on to the
// application (where authentication rejected them, since browsers send no
// credentials in a preflight), a preflight is answered here with 204
// directly, as Jetty 12's CrossOriginHandler does.
func CORS(cfg *workerconfig.Config) func(http.Handler) http.Handler {
	origins := strings.TrimSpace(cfg.AccessControlAllowOrigin)
	if origins == "" {
		return nil
	}
	c := &cors{}
	for _, o := range strings.Split(origins, ",") {
		o = strings.TrimSpace(o)
		switch {
		case o == "":
		case o == "*":
			c.anyOrigin = true
		case strings.Contains(o, "*"):
			re := "^" + strings.ReplaceAll(regexp.QuoteMeta(o), `\*`, ".*") + "$"
			c.patterns = append(c.patterns, regexp.MustCompile(re))
		default:
			c.exact = append(c.exact, o)
		}
	}
	methods := cfg.AccessControlAllowMethods
	if strings.TrimSpace(methods) == "" {
		methods = corsDefaultMethods
	}
	for _, m := range strings.Split(methods, ",") {
		if m = strings.TrimSpace(m); m != "" {
			c.methods = append(c.methods, m)
		}
	}
	c.methodsH = strings.Join(c.methods, ",")
	c.headers = strings.Split(corsAllowedHeaders, ",")
	return c.middleware
}

// originMatches: the Origin header may list several origins separated by
// spaces; any allowed one matches.
func (c *cors) originMatches(origin string) bool {
	if c.anyOrigin {
		return true
	}
	for _, o := range strings.Fields(origin) {
		if slices.Contains(c.exact, o) {
			return true
		}
		for _, p := range c.patterns {
			if p.MatchString(o) {
				return true
			}
		}
	}
	return false
}

func (c *cors) headersAllowed(requested string) bool {
	if strings.TrimSpace(requested) == "" {
		return true
	}
	for _, h := range strings.Split(requested, ",") {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		if !slices.ContainsFunc(c.headers, func(a string) bool { return strings.EqualFold(a, h) }) {
			return false
		}
	}
	return true
}

func (c *cors) allowOrigin(h http.Header, origin string) {
	h.Set("Access-Control-Allow-Origin", origin)
	if !c.anyOrigin {
		h.Add("Vary", "Origin")
	}
	h.Set("Access-Control-Allow-Credentials", "true")
}

func (c *cors) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" || isWebSocketUpgrade(r) || !c.originMatches(origin) {
			next.ServeHTTP(w, r)
			return
		}
		reqMethod := r.Header.Get("Access-Control-Request-Method")
		if r.Method == http.MethodOptions && reqMethod != "" { // preflight
			if slices.Contains(c.methods, reqMethod) && c.headersAllowed(r.Header.Get("Access-Control-Request-Headers")) {
				h := w.Header()
				c.allowOrigin(h, origin)
				h.Set("Access-Control-Max-Age", corsMaxAge)
				h.Set("Access-Control-Allow-Methods", c.methodsH)
				h.Set("Access-Control-Allow-Headers", corsAllowedHeaders)
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
		c.allowOrigin(w.Header(), origin)
		next.ServeHTTP(w, r)
	})
}

func isWebSocketUpgrade(r *http.Request) bool {
	for _, v := range r.Header.Values("Connection") {
		for _, tok := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(tok), "upgrade") && strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
				return true
			}
		}
	}
	return false
}
