package httpsec

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/runner/configfile"
	"github.com/connect-go/connect-standalone/runner/workerconfig"
)

// BasicAuthExtension is the rest.extension.classes entry that turns on HTTP
// Basic authentication (Kafka's BasicAuthSecurityRestExtension).
const BasicAuthExtension = "org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension"

// BearerTokenFileKey is connect-go's worker key for bearer-token
// authentication: a file holding the accepted tokens, one per line (blank
// lines and lines starting with # are ignored). Not a Kafka key.
const BearerTokenFileKey = "rest.auth.bearer.token.file"

// unauthorizedBody is what Kafka's JaasBasicAuthFilter answers.
const unauthorizedBody = "User cannot access the resource."

// AuthOptions tunes NewAuth.
type AuthOptions struct {
	// Env reads environment variables; nil means os.LookupEnv.
	Env LookupEnv
	// Exempt, when set, lets matching requests through unauthenticated
	// (for example GET /health for a liveness probe). Kafka exempts nothing
	// in standalone mode; CORS preflights never reach the authenticator
	// when CORS is enabled (see CORS).
	Exempt func(*http.Request) bool
	Log    zerolog.Logger
}

// Auth authenticates REST requests with HTTP Basic credentials checked
// against Kafka's KafkaConnect JAAS entry (PropertyFileLoginModule), with
// bearer tokens, or with either.
type Auth struct {
	basic       []loginModule                // the KafkaConnect entry; nil = Basic disabled
	users       map[string]map[string][]byte // credentials file -> user -> SHA-256(password)
	tokens      [][32]byte                   // SHA-256 of each bearer token; nil = bearer disabled
	exempt      func(*http.Request) bool
	log         zerolog.Logger
	description []string

	// Failed attempts with credentials are logged at WARN, at most one per
	// failWarnEvery; the others at DEBUG, counted in the next WARN.
	lastFailWarn atomic.Int64 // unix nanoseconds
	suppressed   atomic.Int64
}

// failWarnEvery bounds the WARN lines a password-guessing client causes.
const failWarnEvery = time.Second

// logFailure logs a rejected request: method, path, client address and
// the reason (which names the user, never a password or token).
func (a *Auth) logFailure(r *http.Request, why string, hadCredentials bool) {
	now := time.Now().UnixNano()
	last := a.lastFailWarn.Load()
	if hadCredentials && now-last >= int64(failWarnEvery) && a.lastFailWarn.CompareAndSwap(last, now) {
		a.log.Warn().Str("method", r.Method).Str("path", r.URL.Path).Str("remote", r.RemoteAddr).Str("reason", why).
			Int64("suppressed_since_last", a.suppressed.Swap(0)).Msg("Request failed authentication")
		return
	}
	if hadCredentials {
		a.suppressed.Add(1)
	}
	a.log.Debug().Str("method", r.Method).Str("path", r.URL.Path).Str("remote", r.RemoteAddr).Str("reason", why).Msg("Request failed authentication")
}

type userKey struct{}

// User returns the authenticated user name ("" for bearer tokens and
// unauthenticated requests) and whether the request was authenticated.
func User(ctx context.Context) (string, bool) {
	u, ok := ctx.Value(userKey{}).(string)
	return u, ok
}

// NewAuth builds the authenticator from rest.extension.classes and
// rest.auth.bearer.token.file. It returns nil, nil when neither enables
// authentication. Credentials files are read once, here: a change needs a
// restart (Kafka caches them for the life of the JVM as well).
func NewAuth(cfg *workerconfig.Config, opts AuthOptions) (*Auth, error) {
	env := opts.Env
	if env == nil {
		env = os.LookupEnv
	}
	a := &Auth{exempt: opts.Exempt, log: opts.Log, users: map[string]map[string][]byte{}}
	for _, class := range cfg.RestExtensionClasses {
		if class != BasicAuthExtension {
			return nil, &ConfigError{Key: workerconfig.RestExtensionClasses, Value: class,
				Reason: "not supported by connect-go: REST extensions are Java classes; the only built-in one is " + BasicAuthExtension}
		}
		if a.basic == nil {
			if err := a.loadBasic(env); err != nil {
				return nil, err
			}
		}
	}
	if file := strings.TrimSpace(cfg.Originals()[BearerTokenFileKey]); file != "" {
		if err := a.loadTokens(file); err != nil {
			return nil, err
		}
	}
	if a.basic == nil && a.tokens == nil {
		return nil, nil
	}
	return a, nil
}

// Describe says which mechanisms are active, for the startup log.
func (a *Auth) Describe() string {
	if a == nil {
		return "none"
	}
	return strings.Join(a.description, " and ")
}

// Basic reports whether HTTP Basic authentication is enabled.
func (a *Auth) Basic() bool { return a != nil && a.basic != nil }

func (a *Auth) loadBasic(env LookupEnv) error {
	path, source, err := FindJAASFile(env)
	if err != nil {
		return fmt.Errorf("%s in %s: %w", BasicAuthExtension, workerconfig.RestExtensionClasses, err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("cannot read the JAAS configuration (from %s): %w", source, err)
	}
	entries, err := parseJAASFile(string(data))
	if err != nil {
		return fmt.Errorf("JAAS configuration %s: %w", path, err)
	}
	mods := entries[connectLoginEntry]
	if len(mods) == 0 {
		return fmt.Errorf("JAAS configuration %s (from %s): %w: basic authentication needs "+
			"%s { %s required file=\"<users file>\"; };", path, source, errNoEntry, connectLoginEntry, PropertyFileLoginName)
	}
	var files []string
	for _, m := range mods {
		if m.Class != PropertyFileLoginName {
			return fmt.Errorf("JAAS configuration %s: login module %s is not supported by connect-go (only %s)", path, m.Class, PropertyFileLoginName)
		}
		file := strings.TrimSpace(m.Options["file"])
		if file == "" {
			return fmt.Errorf("JAAS configuration %s: Property Credentials file must be specified (option file of %s)", path, PropertyFileLoginName)
		}
		if _, done := a.users[file]; done {
			continue
		}
		props, err := configfile.LoadProperties(file)
		if err != nil {
			return fmt.Errorf("Error loading Property Credentials file: %w", err)
		}
		if len(props) == 0 {
			// Kafka's PropertyFileLoginModule lets everybody in when the file
			// is empty; an empty file is far more likely a mistake.
			a.log.Warn().Str("file", file).Msg("the basic authentication credentials file has no users: every request will be rejected (Kafka would accept any credentials)")
		}
		warnIfShared(a.log, file)
		users := make(map[string][]byte, len(props))
		for u, p := range props {
			h := sha256.Sum256([]byte(p))
			users[u] = h[:]
		}
		a.users[file] = users
		files = append(files, file)
	}
	a.basic = mods
	a.description = append(a.description, fmt.Sprintf("HTTP Basic (JAAS %s from %s, users from %s)", path, source, strings.Join(files, ", ")))
	return nil
}

func (a *Auth) loadTokens(file string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return &ConfigError{Key: BearerTokenFileKey, Value: file, Reason: err.Error()}
	}
	for line := range strings.Lines(string(data)) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if len(line) < 16 {
			a.log.Warn().Str(BearerTokenFileKey, file).Msg("a bearer token is shorter than 16 characters; use long random tokens")
		}
		a.tokens = append(a.tokens, sha256.Sum256([]byte(line)))
	}
	if len(a.tokens) == 0 {
		return &ConfigError{Key: BearerTokenFileKey, Value: file, Reason: "the file holds no token"}
	}
	warnIfShared(a.log, file)
	a.description = append(a.description, fmt.Sprintf("bearer token (%d from %s)", len(a.tokens), file))
	return nil
}

// warnIfShared warns when a secrets file is readable by other users.
func warnIfShared(log zerolog.Logger, file string) {
	if st, err := os.Stat(file); err == nil && st.Mode().Perm()&0o077 != 0 {
		log.Warn().Str("file", file).Str("mode", st.Mode().Perm().String()).Msg("credentials file is accessible to other users; consider chmod 600")
	}
}

// Middleware rejects unauthenticated requests with 401 and Kafka's body
// "User cannot access the resource.", plus WWW-Authenticate challenges
// (RFC 9110 requires them; Kafka sends none).
func (a *Auth) Middleware(next http.Handler) http.Handler {
	if a == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.exempt != nil && a.exempt(r) {
			next.ServeHTTP(w, r)
			return
		}
		user, ok, why := a.authenticate(r.Header.Get("Authorization"))
		if !ok {
			a.logFailure(r, why, r.Header.Get("Authorization") != "")
			if a.basic != nil {
				w.Header().Add("WWW-Authenticate", `Basic realm="`+connectLoginEntry+`", charset="UTF-8"`)
			}
			if a.tokens != nil {
				w.Header().Add("WWW-Authenticate", `Bearer realm="`+connectLoginEntry+`"`)
			}
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(unauthorizedBody))
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey{}, user)))
	})
}

var errMalformed = errors.New("malformed credentials")

// authenticate checks an Authorization header value. why explains a
// failure for the debug log; it never contains credentials.
func (a *Auth) authenticate(header string) (user string, ok bool, why string) {
	if header == "" {
		return "", false, "no Authorization header"
	}
	scheme, cred, found := strings.Cut(header, " ")
	if !found || scheme == "" {
		return "", false, "malformed Authorization header"
	}
	switch {
	case strings.EqualFold(scheme, "basic") && a.basic != nil:
		u, p, err := decodeBasic(cred)
		if err != nil {
			return "", false, "malformed Basic credentials"
		}
		if !a.login(u, p) {
			if len(u) > 64 { // an attacker's user name does not get to fill the log
				u = u[:64] + "..."
			}
			return "", false, "invalid user or password for user " + u
		}
		return u, true, ""
	case strings.EqualFold(scheme, "bearer") && a.tokens != nil:
		sum := sha256.Sum256([]byte(strings.TrimSpace(cred)))
		match := 0
		for _, t := range a.tokens {
			match |= subtle.ConstantTimeCompare(sum[:], t[:])
		}
		if match == 1 {
			return "", true, ""
		}
		return "", false, "invalid bearer token"
	}
	return "", false, "unsupported authentication scheme " + scheme
}

// decodeBasic is BasicAuthCredentials: base64 (padding optional, as Java's
// decoder) of user:password, split at the first colon; the user must not be
// empty.
func decodeBasic(cred string) (user, pass string, err error) {
	raw, err := base64.StdEncoding.DecodeString(cred)
	if err != nil {
		if raw, err = base64.RawStdEncoding.DecodeString(cred); err != nil {
			return "", "", errMalformed
		}
	}
	user, pass, found := strings.Cut(string(raw), ":")
	if !found || user == "" {
		return "", "", errMalformed
	}
	return user, pass, nil
}

// login runs the KafkaConnect entry with JAAS control-flag semantics; each
// module is a PropertyFileLoginModule.
func (a *Auth) login(user, pass string) bool {
	sum := sha256.Sum256([]byte(pass))
	check := func(m loginModule) bool {
		want, ok := a.users[strings.TrimSpace(m.Options["file"])][user]
		if !ok {
			want = make([]byte, sha256.Size) // keep the timing of unknown users alike
		}
		return subtle.ConstantTimeCompare(sum[:], want) == 1 && ok
	}
	requiredFailed, anyRequired, anySucceeded := false, false, false
	for _, m := range a.basic {
		ok := check(m)
		anySucceeded = anySucceeded || ok
		switch m.Flag {
		case "required":
			anyRequired = true
			requiredFailed = requiredFailed || !ok
		case "requisite":
			anyRequired = true
			if !ok {
				return false
			}
		case "sufficient":
			if ok && !requiredFailed {
				return true
			}
		}
	}
	if anyRequired {
		return !requiredFailed
	}
	return anySucceeded
}
