package httpsec

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/connect-go/connect-standalone/runner/workerconfig"
)

func parse(t *testing.T, props map[string]string) *workerconfig.Config {
	t.Helper()
	m := map[string]string{
		"key.converter":                "org.apache.kafka.connect.json.JsonConverter",
		"value.converter":              "org.apache.kafka.connect.json.JsonConverter",
		"offset.storage.file.filename": "/tmp/connect.offsets",
	}
	for k, v := range props {
		m[k] = v
	}
	cfg, err := workerconfig.Parse(m)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func td(name string) string { p, _ := filepath.Abs(filepath.Join("testdata", name)); return p }

// serve binds cfg's listeners and serves a handler answering "ok".
func serve(t *testing.T, cfg *workerconfig.Config, admin bool) []Bound {
	t.Helper()
	bound, err := Listen(context.Background(), cfg, admin)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
			io.WriteString(w, "ok "+r.TLS.PeerCertificates[0].Subject.CommonName)
			return
		}
		io.WriteString(w, "ok")
	}), ErrorLog: log.New(io.Discard, "", 0)}
	for _, b := range bound {
		go srv.Serve(b)
	}
	t.Cleanup(func() { srv.Close() })
	return bound
}

func caPool(t *testing.T) *x509.CertPool {
	t.Helper()
	data, err := os.ReadFile(td("ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		t.Fatal("bad ca.pem")
	}
	return pool
}

func clientCert(t *testing.T) tls.Certificate {
	t.Helper()
	data, err := os.ReadFile(td("client.p12"))
	if err != nil {
		t.Fatal(err)
	}
	key, leaf, cas, err := pkcs12.DecodeChain(data, "clientpass")
	if err != nil {
		t.Fatal(err)
	}
	c := tls.Certificate{PrivateKey: key, Certificate: [][]byte{leaf.Raw}}
	for _, ca := range cas {
		c.Certificate = append(c.Certificate, ca.Raw)
	}
	return c
}

// forceCert presents c even when the server's CA list does not name its
// issuer (Go's client would otherwise send no certificate at all).
func forceCert(t *testing.T, c tls.Certificate) *tls.Config {
	return &tls.Config{RootCAs: caPool(t), GetClientCertificate: func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return &c, nil }}
}

// selfSigned is a client certificate no truststore knows.
func selfSigned(t *testing.T) tls.Certificate {
	t.Helper()
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "intruder"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: k}
}

func get(t *testing.T, url string, tc *tls.Config) (string, error) {
	t.Helper()
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: tc}}
	defer c.CloseIdleConnections()
	resp, err := c.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b), nil
}

func TestListenDefaultIsLoopback(t *testing.T) {
	cfg := parse(t, nil)
	if got := Specs(cfg, false); len(got) != 1 || got[0] != "http://127.0.0.1:8083" {
		t.Fatalf("default listeners %v", got)
	}
	if Specs(cfg, true) != nil {
		t.Fatal("admin listeners should be nil when unset")
	}
	empty := parse(t, map[string]string{"admin.listeners": ""})
	bound, err := Listen(context.Background(), empty, true)
	if err != nil || len(bound) != 0 || empty.AdminListeners == nil {
		t.Fatalf("empty admin.listeners: %v %v %v", bound, err, empty.AdminListeners)
	}
}

func TestListenSeveralHTTPAndPortZero(t *testing.T) {
	cfg := parse(t, map[string]string{"listeners": "http://127.0.0.1:0, HTTP://localhost:0"})
	bound := serve(t, cfg, false)
	if len(bound) != 2 {
		t.Fatalf("bound %d", len(bound))
	}
	for _, b := range bound {
		if b.Port == 0 || b.Protocol != "http" || b.TLS != nil {
			t.Fatalf("bound %+v", b)
		}
		if body, err := get(t, b.URL()+"/", nil); err != nil || body != "ok" {
			t.Fatalf("GET %s: %q %v", b.URL(), body, err)
		}
	}
	u := AdvertisedURL(cfg, bound)
	if u.Scheme != "http" || u.Port() != itoa(bound[0].Port) || u.Hostname() != "127.0.0.1" {
		t.Fatalf("advertised %s", u)
	}
	cfg2 := parse(t, map[string]string{"listeners": "http://127.0.0.1:0", "rest.advertised.host.name": "connect.example",
		"rest.advertised.port": "9999", "rest.advertised.listener": "HTTPS"})
	if u := AdvertisedURL(cfg2, bound[:1]); u.String() != "https://connect.example:9999/" || u.Host != "connect.example:9999" {
		t.Fatalf("advertised %s", u)
	}
}

func itoa(n int) string { return big.NewInt(int64(n)).String() }

func TestListenErrorsCloseEverything(t *testing.T) {
	cfg := parse(t, map[string]string{"listeners": "http://127.0.0.1:0,https://127.0.0.1:0"})
	_, err := Listen(context.Background(), cfg, false)
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.Key != "ssl.keystore.location" {
		t.Fatalf("https without a keystore: %v", err)
	}
	// A taken port: the first listener must be released again.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	free, _ := net.Listen("tcp", "127.0.0.1:0")
	freePort := free.Addr().(*net.TCPAddr).Port
	free.Close()
	cfg = parse(t, map[string]string{"listeners": "http://127.0.0.1:" + itoa(freePort) + ",http://127.0.0.1:" + itoa(port)})
	if _, err := Listen(context.Background(), cfg, false); err == nil || !strings.Contains(err.Error(), "unable to bind") {
		t.Fatalf("taken port: %v", err)
	}
	again, err := net.Listen("tcp", "127.0.0.1:"+itoa(freePort))
	if err != nil {
		t.Fatalf("first listener leaked: %v", err)
	}
	again.Close()
}

func TestHTTPSKeystoreTypes(t *testing.T) {
	pemKey, pemChain := pemServerKey(t)
	cases := map[string]map[string]string{
		"PKCS12": {"ssl.keystore.type": "PKCS12", "ssl.keystore.location": td("server.p12"), "ssl.keystore.password": "storepass"},
		"JKS":    {"ssl.keystore.location": td("server.jks"), "ssl.keystore.password": "storepass", "ssl.key.password": "keypass"},
		// Java reads PKCS12 files through the default JKS type as well.
		"PKCS12 as JKS": {"ssl.keystore.location": td("server.p12"), "ssl.keystore.password": "storepass"},
		"PEM file":      {"ssl.keystore.type": "PEM", "ssl.keystore.location": writeTemp(t, "server.pem", pemChain+pemKey)},
		"PEM inline":    {"ssl.keystore.type": "PEM", "ssl.keystore.certificate.chain": pemChain, "ssl.keystore.key": pemKey},
		"prefixed": {"listeners.https.ssl.keystore.type": "PKCS12", "listeners.https.ssl.keystore.location": td("server.p12"),
			"listeners.https.ssl.keystore.password": "storepass",
			// ignored: the listeners.https. keys are all-or-nothing
			"ssl.keystore.location": "/nonexistent"},
	}
	for name, props := range cases {
		t.Run(name, func(t *testing.T) {
			props["listeners"] = "https://127.0.0.1:0"
			bound := serve(t, parse(t, props), false)
			body, err := get(t, "https://localhost:"+itoa(bound[0].Port)+"/", &tls.Config{RootCAs: caPool(t)})
			if err != nil || body != "ok" {
				t.Fatalf("%q %v", body, err)
			}
			if !strings.HasPrefix(bound[0].URL(), "https://127.0.0.1:") {
				t.Fatalf("url %s", bound[0].URL())
			}
		})
	}
}

// pemServerKey returns the server key (PKCS#8 PEM) and chain from server.p12.
func pemServerKey(t *testing.T) (key, chain string) {
	t.Helper()
	data, _ := os.ReadFile(td("server.p12"))
	k, leaf, cas, err := pkcs12.DecodeChain(data, "storepass")
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(k)
	key = string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	chain = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leaf.Raw}))
	for _, c := range cas {
		chain += string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}))
	}
	return key, chain
}

func writeTemp(t *testing.T, name, data string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestMutualTLS(t *testing.T) {
	for _, ts := range []map[string]string{
		{"ssl.truststore.location": td("truststore.jks"), "ssl.truststore.password": "trustpass"},
		{"ssl.truststore.type": "PKCS12", "ssl.truststore.location": td("truststore.p12"), "ssl.truststore.password": "trustpass"},
		{"ssl.truststore.type": "PEM", "ssl.truststore.location": td("ca.pem")},
	} {
		for _, mode := range []string{"required", "requested"} {
			props := map[string]string{"listeners": "https://127.0.0.1:0", "ssl.client.auth": mode,
				"ssl.keystore.type": "PKCS12", "ssl.keystore.location": td("server.p12"), "ssl.keystore.password": "storepass"}
			for k, v := range ts {
				props[k] = v
			}
			t.Run(mode+"/"+ts["ssl.truststore.location"][strings.LastIndex(ts["ssl.truststore.location"], "/")+1:], func(t *testing.T) {
				bound := serve(t, parse(t, props), false)
				url := "https://127.0.0.1:" + itoa(bound[0].Port) + "/"
				if body, err := get(t, url, &tls.Config{RootCAs: caPool(t), Certificates: []tls.Certificate{clientCert(t)}}); err != nil || body != "ok client" {
					t.Fatalf("trusted client: %q %v", body, err)
				}
				if body, err := get(t, url, forceCert(t, selfSigned(t))); err == nil {
					t.Fatalf("untrusted client accepted: %q", body)
				}
				body, err := get(t, url, &tls.Config{RootCAs: caPool(t)})
				if mode == "required" && err == nil {
					t.Fatalf("client without certificate accepted: %q", body)
				}
				if mode == "requested" && (err != nil || body != "ok") {
					t.Fatalf("requested: client without certificate: %q %v", body, err)
				}
				if bound[0].ClientCertRequired() != (mode == "required") {
					t.Fatal("ClientCertRequired")
				}
			})
		}
	}
}

func TestAdminListenersUseTheirPrefix(t *testing.T) {
	cfg := parse(t, map[string]string{"listeners": "http://127.0.0.1:0", "admin.listeners": "https://127.0.0.1:0",
		"admin.listeners.https.ssl.keystore.type": "PKCS12", "admin.listeners.https.ssl.keystore.location": td("server.p12"),
		"admin.listeners.https.ssl.keystore.password": "storepass", "admin.listeners.https.ssl.client.auth": "required",
		"admin.listeners.https.ssl.truststore.type": "PEM", "admin.listeners.https.ssl.truststore.location": td("ca.pem")})
	bound := serve(t, cfg, true)
	if len(bound) != 1 || !bound[0].Admin || !bound[0].ClientCertRequired() {
		t.Fatalf("admin bound %+v", bound)
	}
	if body, err := get(t, bound[0].URL()+"/", &tls.Config{RootCAs: caPool(t), Certificates: []tls.Certificate{clientCert(t)}}); err != nil || body != "ok client" {
		t.Fatalf("%q %v", body, err)
	}
}

func TestTLSConfigErrors(t *testing.T) {
	ks := func(extra map[string]string) map[string]string {
		m := map[string]string{"ssl.keystore.type": "PKCS12", "ssl.keystore.location": td("server.p12"), "ssl.keystore.password": "storepass"}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	cases := []struct {
		name  string
		props map[string]string
		key   string
	}{
		{"no keystore", nil, "ssl.keystore.location"},
		{"no prefixed keystore", map[string]string{"listeners.https.ssl.client.auth": "required", "ssl.keystore.location": td("server.p12")}, "listeners.https.ssl.keystore.location"},
		{"wrong store password", ks(map[string]string{"ssl.keystore.password": "topsecret"}), "ssl.keystore.location"},
		{"wrong JKS key password", map[string]string{"ssl.keystore.location": td("server.jks"), "ssl.keystore.password": "storepass", "ssl.key.password": "topsecret"}, "ssl.keystore.location"},
		{"missing file", ks(map[string]string{"ssl.keystore.location": "/nonexistent.p12"}), "ssl.keystore.location"},
		{"BCFKS", ks(map[string]string{"ssl.keystore.type": "BCFKS"}), "ssl.keystore.type"},
		{"truststore password", ks(map[string]string{"ssl.truststore.location": td("truststore.jks"), "ssl.truststore.password": "topsecret"}), "ssl.truststore.location"},
		{"SSLv3", ks(map[string]string{"ssl.enabled.protocols": "SSLv3"}), "ssl.enabled.protocols"},
		{"TLSv1.1", ks(map[string]string{"ssl.enabled.protocols": "TLSv1.1,TLSv1.2"}), "ssl.enabled.protocols"},
		{"TLSv1", ks(map[string]string{"ssl.enabled.protocols": "TLSv1"}), "ssl.enabled.protocols"},
		{"insecure cipher", ks(map[string]string{"ssl.cipher.suites": "TLS_ECDHE_RSA_WITH_RC4_128_SHA"}), "ssl.cipher.suites"},
		{"protocol mismatch", ks(map[string]string{"ssl.enabled.protocols": "TLSv1.3", "ssl.protocol": "TLSv1.2"}), "ssl.enabled.protocols"},
		{"cipher", ks(map[string]string{"ssl.cipher.suites": "TLS_DHE_DSS_WITH_AES_128_CBC_SHA"}), "ssl.cipher.suites"},
		{"provider", ks(map[string]string{"ssl.provider": "SunJSSE"}), "ssl.provider"},
		{"client auth", ks(map[string]string{"listeners.https.ssl.client.auth": "maybe", "listeners.https.ssl.keystore.location": td("server.p12"),
			"listeners.https.ssl.keystore.type": "PKCS12", "listeners.https.ssl.keystore.password": "storepass"}), "listeners.https.ssl.client.auth"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ServerTLSConfig(parse(t, tc.props), ListenersHTTPSPrefix)
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Key != tc.key {
				t.Fatalf("error %v, want one for %s", err, tc.key)
			}
			if !strings.Contains(err.Error(), tc.key) || strings.Contains(err.Error(), "topsecret") {
				t.Fatalf("error %q", err)
			}
		})
	}
}

func TestTLSVersionsAndCiphers(t *testing.T) {
	tc, err := ServerTLSConfig(parse(t, map[string]string{"ssl.keystore.type": "PKCS12", "ssl.keystore.location": td("server.p12"),
		"ssl.keystore.password": "storepass", "ssl.enabled.protocols": "TLSv1.2",
		"ssl.cipher.suites": "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"}), ListenersHTTPSPrefix)
	if err != nil {
		t.Fatal(err)
	}
	if tc.MinVersion != tls.VersionTLS12 || tc.MaxVersion != tls.VersionTLS12 || len(tc.CipherSuites) != 1 ||
		tc.CipherSuites[0] != tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 || tc.ClientAuth != tls.NoClientCert {
		t.Fatalf("%+v", tc)
	}
	tc, err = ServerTLSConfig(parse(t, map[string]string{"ssl.keystore.type": "PKCS12", "ssl.keystore.location": td("server.p12"),
		"ssl.keystore.password": "storepass"}), ListenersHTTPSPrefix)
	if err != nil || tc.MinVersion != tls.VersionTLS12 || tc.MaxVersion != tls.VersionTLS13 {
		t.Fatalf("defaults: %+v %v", tc, err)
	}
	for _, id := range tc.CipherSuites { // defaults: ECDHE + AEAD only
		name := tls.CipherSuiteName(id)
		if !strings.Contains(name, "ECDHE") || !(strings.Contains(name, "GCM") || strings.Contains(name, "CHACHA20")) {
			t.Errorf("default suite %s is not modern", name)
		}
	}
	if len(tc.CipherSuites) == 0 {
		t.Error("no default cipher suites")
	}
}
