package httpsec

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/connect-go/connect-standalone/runner/workerconfig"
)

type headerRule struct {
	name  string
	value string
	add   bool
	date  bool
	ms    int64 // offset from now, for date rules
}

// ResponseHeaders returns the middleware applying response.http.headers.config
// to every response (Jetty's HeaderFilter, which Kafka installs), or nil
// when the setting is blank. Rules are "[action] [name]:[value]":
//
//	set     replaces the header with value
//	add     adds value to the header
//	setDate replaces the header with the HTTP date now + value milliseconds
//	addDate adds such a date
//
// The headers are written before the request is handled, so a header the
// endpoint sets itself (Content-Type, say) takes precedence over a set rule,
// as with Jetty. Actions are matched case-insensitively, as Kafka's validator
// accepts them (Jetty itself would treat "ADD" as set).
func ResponseHeaders(cfg *workerconfig.Config) (func(http.Handler) http.Handler, error) {
	conf := cfg.ResponseHTTPHeadersConfig
	if strings.TrimSpace(conf) == "" {
		return nil, nil
	}
	var rules []headerRule
	for _, raw := range workerconfig.HeaderRules(conf) {
		if err := workerconfig.ValidateHeaderRule(raw); err != nil {
			return nil, &ConfigError{Key: workerconfig.ResponseHTTPHeadersConfig, Value: conf, Reason: err.Error()}
		}
		trimmed := strings.TrimSpace(raw)
		i := strings.IndexAny(trimmed, " \t\n\v\f\r") // > 0: the rule is valid
		action, header := trimmed[:i], strings.TrimSpace(trimmed[i:])
		name, value, _ := strings.Cut(header, ":")
		action = strings.ToLower(strings.TrimSpace(action))
		rule := headerRule{
			name:  http.CanonicalHeaderKey(strings.TrimSpace(name)),
			value: strings.TrimSpace(value),
			add:   strings.HasPrefix(action, "add"),
			date:  strings.HasSuffix(action, "date"),
		}
		if rule.date {
			ms, err := strconv.ParseInt(rule.value, 10, 64)
			if err != nil {
				return nil, &ConfigError{Key: workerconfig.ResponseHTTPHeadersConfig, Value: conf,
					Reason: "the value of " + action + " rule '" + raw + "' must be a number of milliseconds"}
			}
			rule.ms = ms
		}
		rules = append(rules, rule)
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			var now time.Time
			for _, rule := range rules {
				v := rule.value
				if rule.date {
					if now.IsZero() {
						now = time.Now()
					}
					v = now.Add(time.Duration(rule.ms) * time.Millisecond).UTC().Format(http.TimeFormat)
				}
				if rule.add {
					h.Add(rule.name, v)
				} else {
					h.Set(rule.name, v)
				}
			}
			next.ServeHTTP(w, r)
		})
	}, nil
}
