package httpsec

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

const basicClass = "org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension"

// jaasEnv writes a users file and a JAAS file naming it and returns an
// environment passing the JAAS file through KAFKA_OPTS.
func jaasEnv(t *testing.T, users string, entry string) LookupEnv {
	t.Helper()
	dir := t.TempDir()
	uf := filepath.Join(dir, "users.properties")
	if err := os.WriteFile(uf, []byte(users), 0o600); err != nil {
		t.Fatal(err)
	}
	if entry == "" {
		entry = `KafkaConnect {
  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required
  file="` + uf + `";
};`
	}
	entry = strings.ReplaceAll(entry, "$USERS", uf)
	jf := filepath.Join(dir, "jaas.conf")
	if err := os.WriteFile(jf, []byte(entry), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"KAFKA_OPTS": "-Xmx256M -Djava.security.auth.login.config=" + jf + " -Dfoo=bar"}
	return func(k string) (string, bool) { v, ok := env[k]; return v, ok }
}

var okHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	u, _ := User(r.Context())
	io.WriteString(w, "hello "+u)
})

func do(h http.Handler, method, path string, hdr map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, nil)
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func basic(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

func TestBasicAuth(t *testing.T) {
	env := jaasEnv(t, "# users\nalice: s3cret\nbob=p:w:d\n", "")
	sec, err := New(parse(t, map[string]string{"rest.extension.classes": basicClass}), Options{Env: env})
	if err != nil {
		t.Fatal(err)
	}
	h := sec.Wrap(okHandler)
	cases := []struct {
		name string
		auth string
		code int
		body string
	}{
		{"alice", basic("alice", "s3cret"), 200, "hello alice"},
		{"bob, colon in password", basic("bob", "p:w:d"), 200, "hello bob"},
		{"lower-case scheme", "basic " + base64.StdEncoding.EncodeToString([]byte("alice:s3cret")), 200, "hello alice"},
		{"no padding", "Basic " + base64.RawStdEncoding.EncodeToString([]byte("alice:s3cret")), 200, "hello alice"},
		{"wrong password", basic("alice", "nope"), 401, unauthorizedBody},
		{"unknown user", basic("mallory", "s3cret"), 401, unauthorizedBody},
		{"no header", "", 401, unauthorizedBody},
		{"not base64", "Basic !!!", 401, unauthorizedBody},
		{"no colon", "Basic " + base64.StdEncoding.EncodeToString([]byte("alice")), 401, unauthorizedBody},
		{"empty user", basic("", "s3cret"), 401, unauthorizedBody},
		{"no space", "Basicabc", 401, unauthorizedBody},
		{"bearer not enabled", "Bearer abc", 401, unauthorizedBody},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := do(h, "GET", "/connectors", map[string]string{"Authorization": tc.auth})
			if w.Code != tc.code || w.Body.String() != tc.body {
				t.Fatalf("%d %q", w.Code, w.Body.String())
			}
			if tc.code == 401 && !strings.HasPrefix(w.Header().Get("WWW-Authenticate"), `Basic realm="KafkaConnect"`) {
				t.Fatalf("challenge %q", w.Header().Values("WWW-Authenticate"))
			}
		})
	}
	if !sec.Auth.Basic() || !strings.Contains(sec.Auth.Describe(), "users.properties") {
		t.Fatal(sec.Auth.Describe())
	}
}

func TestBasicAuthJAASFlags(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "other.properties")
	os.WriteFile(other, []byte("carol=c\n"), 0o600)
	entry := `/* two files */ KafkaConnect {
	org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule sufficient file="$USERS";
	// the second file
	org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule sufficient file="` + other + `";
};
OtherApp { com.example.Module required; };`
	env := jaasEnv(t, "alice=a\n", entry)
	sec, err := New(parse(t, map[string]string{"rest.extension.classes": basicClass}), Options{Env: env})
	if err != nil {
		t.Fatal(err)
	}
	h := sec.Wrap(okHandler)
	for user, pass := range map[string]string{"alice": "a", "carol": "c"} {
		if w := do(h, "GET", "/", map[string]string{"Authorization": basic(user, pass)}); w.Code != 200 {
			t.Fatalf("%s: %d", user, w.Code)
		}
	}
	if w := do(h, "GET", "/", map[string]string{"Authorization": basic("alice", "c")}); w.Code != 401 {
		t.Fatalf("cross-file password accepted: %d", w.Code)
	}
}

func TestBasicAuthSetupErrors(t *testing.T) {
	cfg := parse(t, map[string]string{"rest.extension.classes": basicClass})
	noEnv := func(string) (string, bool) { return "", false }
	if _, err := New(cfg, Options{Env: noEnv}); err == nil || !strings.Contains(err.Error(), "KAFKA_OPTS") {
		t.Fatalf("no JAAS file: %v", err)
	}
	for name, entry := range map[string]string{
		"no entry":       `Other { x required; };`,
		"other module":   `KafkaConnect { com.example.LdapLoginModule required url="ldap://x"; };`,
		"no file option": `KafkaConnect { org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required; };`,
		"syntax":         `KafkaConnect { org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required file="$USERS" };`,
		"bad flag":       `KafkaConnect { org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule always file="$USERS"; };`,
		"missing users":  `KafkaConnect { org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required file="/nonexistent"; };`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := New(cfg, Options{Env: jaasEnv(t, "a=b\n", entry)}); err == nil {
				t.Fatal("accepted")
			}
		})
	}
	_, err := New(parse(t, map[string]string{"rest.extension.classes": "com.example.MyExtension"}), Options{Env: noEnv})
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.Key != "rest.extension.classes" {
		t.Fatalf("unknown extension: %v", err)
	}
}

func TestEmptyUsersFileRejectsEveryone(t *testing.T) {
	var logs bytes.Buffer
	sec, err := New(parse(t, map[string]string{"rest.extension.classes": basicClass}),
		Options{Env: jaasEnv(t, "# nobody\n", ""), Log: zerolog.New(&logs)})
	if err != nil {
		t.Fatal(err)
	}
	if w := do(sec.Wrap(okHandler), "GET", "/", map[string]string{"Authorization": basic("any", "thing")}); w.Code != 401 {
		t.Fatalf("%d", w.Code)
	}
	if !strings.Contains(logs.String(), "no users") {
		t.Fatalf("no warning: %s", logs.String())
	}
}

func TestFindJAASFile(t *testing.T) {
	env := func(m map[string]string) LookupEnv {
		return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
	}
	home := t.TempDir()
	cases := []struct {
		env  map[string]string
		want string
		err  bool
	}{
		{map[string]string{"KAFKA_OPTS": `-Djava.security.auth.login.config=/etc/kafka/jaas.conf`}, "/etc/kafka/jaas.conf", false},
		{map[string]string{"KAFKA_OPTS": `-Da=b "-Djava.security.auth.login.config=/my dir/j.conf"`}, "/my dir/j.conf", false},
		{map[string]string{"KAFKA_OPTS": `-Djava.security.auth.login.config==file:/x/j.conf`}, "/x/j.conf", false},
		{map[string]string{"KAFKA_OPTS": `-Djava.security.auth.login.config=/a -Djava.security.auth.login.config=/b`}, "/b", false},
		{map[string]string{"JAVA_SECURITY_AUTH_LOGIN_CONFIG": "${user.home}/j.conf", "HOME": "/home/u"}, "/home/u/j.conf", false},
		{map[string]string{"JAVA_SECURITY_AUTH_LOGIN_CONFIG": "/a", "KAFKA_OPTS": "-Djava.security.auth.login.config=/a"}, "/a", false},
		{map[string]string{"JAVA_SECURITY_AUTH_LOGIN_CONFIG": "/a", "KAFKA_OPTS": "-Djava.security.auth.login.config=/b"}, "", true},
		{map[string]string{"HOME": home}, "", true},
	}
	for _, tc := range cases {
		got, _, err := FindJAASFile(env(tc.env))
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("%v: %q %v", tc.env, got, err)
		}
	}
	os.WriteFile(filepath.Join(home, ".java.login.config"), []byte("x"), 0o600)
	if got, _, err := FindJAASFile(env(map[string]string{"HOME": home})); err != nil || got != filepath.Join(home, ".java.login.config") {
		t.Errorf("home fallback: %q %v", got, err)
	}
}

func TestBearerToken(t *testing.T) {
	file := filepath.Join(t.TempDir(), "tokens")
	os.WriteFile(file, []byte("# sidecar tokens\n0123456789abcdef0123\n\nsecond-token-rotated-in\n"), 0o600)
	sec, err := New(parse(t, map[string]string{"rest.auth.bearer.token.file": file}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := sec.Wrap(okHandler)
	for auth, code := range map[string]int{
		"Bearer 0123456789abcdef0123":      200,
		"bearer second-token-rotated-in":   200,
		"Bearer 0123456789abcdef012":       401,
		"Bearer ":                          401,
		"Bearer":                           401,
		basic("a", "0123456789abcdef0123"): 401,
		"":                                 401,
	} {
		w := do(h, "GET", "/connectors", map[string]string{"Authorization": auth})
		if w.Code != code {
			t.Errorf("%q: %d", auth, w.Code)
		}
		if code == 401 && w.Header().Get("WWW-Authenticate") != `Bearer realm="KafkaConnect"` {
			t.Errorf("%q: challenge %q", auth, w.Header().Values("WWW-Authenticate"))
		}
	}
	empty := filepath.Join(t.TempDir(), "empty")
	os.WriteFile(empty, []byte("# none\n"), 0o600)
	if _, err := New(parse(t, map[string]string{"rest.auth.bearer.token.file": empty}), Options{}); err == nil {
		t.Fatal("empty token file accepted")
	}
}

func TestBasicAndBearerTogether(t *testing.T) {
	file := filepath.Join(t.TempDir(), "tokens")
	os.WriteFile(file, []byte("0123456789abcdef0123\n"), 0o600)
	sec, err := New(parse(t, map[string]string{"rest.extension.classes": basicClass, "rest.auth.bearer.token.file": file}),
		Options{Env: jaasEnv(t, "alice=a\n", "")})
	if err != nil {
		t.Fatal(err)
	}
	h := sec.Wrap(okHandler)
	if w := do(h, "GET", "/", map[string]string{"Authorization": basic("alice", "a")}); w.Code != 200 {
		t.Fatal(w.Code)
	}
	if w := do(h, "GET", "/", map[string]string{"Authorization": "Bearer 0123456789abcdef0123"}); w.Code != 200 {
		t.Fatal(w.Code)
	}
	if w := do(h, "GET", "/", nil); w.Code != 401 || len(w.Header().Values("WWW-Authenticate")) != 2 {
		t.Fatal(w.Code, w.Header())
	}
}

func TestExempt(t *testing.T) {
	file := filepath.Join(t.TempDir(), "tokens")
	os.WriteFile(file, []byte("0123456789abcdef0123\n"), 0o600)
	sec, err := New(parse(t, map[string]string{"rest.auth.bearer.token.file": file}),
		Options{Exempt: func(r *http.Request) bool { return r.Method == "GET" && r.URL.Path == "/health" }})
	if err != nil {
		t.Fatal(err)
	}
	h := sec.Wrap(okHandler)
	if w := do(h, "GET", "/health", nil); w.Code != 200 {
		t.Fatal(w.Code)
	}
	if w := do(h, "GET", "/connectors", nil); w.Code != 401 {
		t.Fatal(w.Code)
	}
}

func TestCORS(t *testing.T) {
	file := filepath.Join(t.TempDir(), "tokens")
	os.WriteFile(file, []byte("0123456789abcdef0123\n"), 0o600)
	sec, err := New(parse(t, map[string]string{"access.control.allow.origin": "https://ui.example.com, https://*.corp.example",
		"access.control.allow.methods": "GET,POST,PUT,DELETE", "rest.auth.bearer.token.file": file}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := sec.Wrap(okHandler)

	// Preflight: answered before authentication (browsers send no credentials).
	w := do(h, "OPTIONS", "/connectors/x", map[string]string{"Origin": "https://ui.example.com",
		"Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "content-type, accept"})
	if w.Code != 204 || w.Header().Get("Access-Control-Allow-Origin") != "https://ui.example.com" ||
		w.Header().Get("Access-Control-Allow-Methods") != "GET,POST,PUT,DELETE" ||
		w.Header().Get("Access-Control-Allow-Headers") != "X-Requested-With,Content-Type,Accept,Origin" ||
		w.Header().Get("Access-Control-Max-Age") != "1800" || w.Header().Get("Access-Control-Allow-Credentials") != "true" ||
		w.Header().Get("Vary") != "Origin" {
		t.Fatalf("preflight %d %v", w.Code, w.Header())
	}
	// Wildcard origin, disallowed method / header / origin: no CORS headers.
	if w := do(h, "OPTIONS", "/", map[string]string{"Origin": "https://a.b.corp.example", "Access-Control-Request-Method": "GET"}); w.Header().Get("Access-Control-Allow-Origin") != "https://a.b.corp.example" {
		t.Fatalf("wildcard %v", w.Header())
	}
	for _, hdr := range []map[string]string{
		{"Origin": "https://ui.example.com", "Access-Control-Request-Method": "PATCH"},
		{"Origin": "https://ui.example.com", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "Authorization"},
	} {
		if w := do(h, "OPTIONS", "/", hdr); w.Code != 204 || w.Header().Get("Access-Control-Allow-Origin") != "" {
			t.Fatalf("%v: %d %v", hdr, w.Code, w.Header())
		}
	}
	// An unknown origin's preflight goes to the application (here: 401).
	if w := do(h, "OPTIONS", "/", map[string]string{"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}); w.Code != 401 || w.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("evil preflight %d %v", w.Code, w.Header())
	}
	// Actual requests get the origin echoed, 401s included.
	w = do(h, "GET", "/connectors", map[string]string{"Origin": "https://ui.example.com"})
	if w.Code != 401 || w.Header().Get("Access-Control-Allow-Origin") != "https://ui.example.com" {
		t.Fatalf("simple %d %v", w.Code, w.Header())
	}
	w = do(h, "GET", "/connectors", map[string]string{"Origin": "https://ui.example.com", "Authorization": "Bearer 0123456789abcdef0123"})
	if w.Code != 200 || w.Header().Get("Access-Control-Allow-Origin") != "https://ui.example.com" {
		t.Fatalf("simple %d %v", w.Code, w.Header())
	}

	// Any origin, default methods.
	any, err := New(parse(t, map[string]string{"access.control.allow.origin": "*"}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	w = do(any.Wrap(okHandler), "OPTIONS", "/", map[string]string{"Origin": "http://x", "Access-Control-Request-Method": "POST"})
	if w.Header().Get("Access-Control-Allow-Origin") != "http://x" || w.Header().Get("Access-Control-Allow-Methods") != "GET,POST,HEAD" || w.Header().Get("Vary") != "" {
		t.Fatalf("any %v", w.Header())
	}
	// CORS off: OPTIONS reaches the application.
	off, _ := New(parse(t, nil), Options{})
	if w := do(off.Wrap(okHandler), "OPTIONS", "/", map[string]string{"Origin": "http://x", "Access-Control-Request-Method": "POST"}); w.Code != 200 || w.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("off %d %v", w.Code, w.Header())
	}
}

func TestResponseHeaders(t *testing.T) {
	sec, err := New(parse(t, map[string]string{"response.http.headers.config": `set X-Frame-Options: DENY, add Cache-Control: no-cache, ` +
		`"add Cache-Control: no-store, must-revalidate", setDate Expires: 31540000000, addDate Last-Modified: 0, set Content-Type: text/plain`}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := sec.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, "{}")
	}))
	before := time.Now().Add(-time.Second)
	w := do(h, "GET", "/", nil)
	hd := w.Header()
	if hd.Get("X-Frame-Options") != "DENY" || strings.Join(hd.Values("Cache-Control"), "|") != "no-cache|no-store, must-revalidate" ||
		hd.Get("Content-Type") != "application/json" {
		t.Fatalf("%v", hd)
	}
	exp, err := http.ParseTime(hd.Get("Expires"))
	if err != nil || exp.Sub(before) < 31539999*time.Second || exp.Sub(before) > 31540002*time.Second {
		t.Fatalf("Expires %q %v", hd.Get("Expires"), err)
	}
	if lm, err := http.ParseTime(hd.Get("Last-Modified")); err != nil || time.Since(lm) > 2*time.Second {
		t.Fatalf("Last-Modified %q", hd.Get("Last-Modified"))
	}
	if _, err := New(parse(t, map[string]string{"response.http.headers.config": "setDate Expires: tomorrow"}), Options{}); err == nil {
		t.Fatal("non-numeric date accepted")
	}
}

func TestMaxBody(t *testing.T) {
	h := MaxBody(10)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := io.ReadAll(r.Body)
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			w.WriteHeader(413)
			return
		}
		io.WriteString(w, "ok")
	}))
	for body, code := range map[string]int{"short": 200, "much too long for the limit": 413} {
		r := httptest.NewRequest("POST", "/connectors", strings.NewReader(body))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != code {
			t.Errorf("%q: %d", body, w.Code)
		}
		if code == 413 && !strings.Contains(w.Body.String(), `"error_code":413`) {
			t.Errorf("body %q", w.Body.String())
		}
		// Without Content-Length the reader enforces the limit.
		r = httptest.NewRequest("POST", "/connectors", io.MultiReader(strings.NewReader(body)))
		r.ContentLength = -1
		w = httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != code {
			t.Errorf("chunked %q: %d", body, w.Code)
		}
	}
}

func TestWarnIfExposed(t *testing.T) {
	bind := func(props map[string]string) []Bound {
		b, err := Listen(context.Background(), parse(t, props), false)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			for _, x := range b {
				x.Close()
			}
		})
		return b
	}
	open, _ := New(parse(t, nil), Options{})
	if msgs := open.WarnIfExposed(bind(map[string]string{"listeners": "http://127.0.0.1:0,http://localhost:0"})); len(msgs) != 0 {
		t.Fatalf("loopback warned: %v", msgs)
	}
	var logs bytes.Buffer
	open.log = zerolog.New(&logs)
	if msgs := open.Announce(bind(map[string]string{"listeners": "http://:0"})); len(msgs) != 1 || !strings.Contains(msgs[0], "without authentication") {
		t.Fatalf("all interfaces: %v", msgs)
	}
	if !strings.Contains(logs.String(), `"authentication":"none"`) || !strings.Contains(logs.String(), `"level":"warn"`) {
		t.Fatalf("announce log: %s", logs.String())
	}
	file := filepath.Join(t.TempDir(), "tokens")
	os.WriteFile(file, []byte("0123456789abcdef0123\n"), 0o600)
	authed, _ := New(parse(t, map[string]string{"rest.auth.bearer.token.file": file}), Options{})
	if msgs := authed.WarnIfExposed(bind(map[string]string{"listeners": "http://0.0.0.0:0"})); len(msgs) != 1 || !strings.Contains(msgs[0], "clear text") {
		t.Fatalf("authenticated plain http: %v", msgs)
	}
	mtls := bind(map[string]string{"listeners": "https://0.0.0.0:0", "ssl.client.auth": "required", "ssl.keystore.type": "PKCS12",
		"ssl.keystore.location": td("server.p12"), "ssl.keystore.password": "storepass"})
	if msgs := open.WarnIfExposed(mtls); len(msgs) != 0 {
		t.Fatalf("mTLS warned: %v", msgs)
	}
}

func TestParseJAASFile(t *testing.T) {
	got, err := parseJAASFile(`
// comment
KafkaConnect {
   org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule REQUIRED
      file="/mnt/secret/credentials.properties" debug=true other='x\"y';
};
Client { a.B optional; };`)
	if err != nil {
		t.Fatal(err)
	}
	m := got["KafkaConnect"]
	if len(m) != 1 || m[0].Flag != "required" || m[0].Options["file"] != "/mnt/secret/credentials.properties" ||
		m[0].Options["debug"] != "true" || m[0].Options["other"] != `x"y` || len(got["Client"]) != 1 {
		t.Fatalf("%+v", got)
	}
	for _, bad := range []string{`KafkaConnect { a required }`, `KafkaConnect { a required; }`, `KafkaConnect a required; };`,
		`KafkaConnect { a required file="x; };`, `KafkaConnect { a required file=; };`} {
		if _, err := parseJAASFile(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
