package kafka

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	keystore "github.com/pavlo-v-chernykh/keystore-go/v4"
	"github.com/twmb/franz-go/pkg/kfake"
	"software.sslmate.com/src/go-pkcs12"
)

// testPKI is a CA, a broker certificate and a client certificate.
type testPKI struct {
	ca         *x509.Certificate
	caKey      *ecdsa.PrivateKey
	server     tls.Certificate
	client     *x509.Certificate
	clientKey  *rsa.PrivateKey
	clientPool *x509.CertPool
}

func newTestPKI(t *testing.T, serverNames []string, serverIPs []net.IP) *testPKI {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	leaf := func(serial int64, cn string, pub any, usage x509.ExtKeyUsage) *x509.Certificate {
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment, ExtKeyUsage: []x509.ExtKeyUsage{usage},
			DNSNames: serverNames, IPAddresses: serverIPs,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, pub, caKey)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := x509.ParseCertificate(der)
		return c
	}
	srvKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	srv := leaf(2, "broker", &srvKey.PublicKey, x509.ExtKeyUsageServerAuth)
	cliKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	cli := leaf(3, "client", &cliKey.PublicKey, x509.ExtKeyUsageClientAuth)
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	return &testPKI{
		ca: ca, caKey: caKey,
		server:     tls.Certificate{Certificate: [][]byte{srv.Raw, ca.Raw}, PrivateKey: srvKey},
		client:     cli,
		clientKey:  cliKey,
		clientPool: pool,
	}
}

func pemOf(typ string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// encryptPKCS8 is the inverse of decryptPKCS8 (PBES2, PBKDF2-HMAC-SHA256,
// AES-256-CBC), as `openssl pkcs8 -topk8 -v2 aes-256-cbc` writes.
func encryptPKCS8(t *testing.T, der []byte, password string) []byte {
	t.Helper()
	salt, iv := make([]byte, 16), make([]byte, 16)
	rand.Read(salt)
	rand.Read(iv)
	key, _ := pbkdf2.Key(sha256.New, password, salt, 2048, 32)
	block, _ := aes.NewCipher(key)
	pad := 16 - len(der)%16
	plain := append(append([]byte{}, der...), bytes.Repeat([]byte{byte(pad)}, pad)...)
	enc := make([]byte, len(plain))
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(enc, plain)
	type algo struct {
		Algorithm asn1.ObjectIdentifier
		Params    any `asn1:"optional"`
	}
	kdfParams := struct {
		Salt []byte
		Iter int
		PRF  algo
	}{salt, 2048, algo{asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}, asn1.NullRawValue}}
	params := struct {
		KDF algo
		Enc algo
	}{algo{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}, kdfParams}, algo{asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}, iv}}
	out, err := asn1.Marshal(struct {
		Algo algo
		Data []byte
	}{algo{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}, params}, enc})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// stores writes the PKI as truststores and keystores of every type and
// returns the ssl.* properties for each type.
func (p *testPKI) stores(t *testing.T) map[string]map[string]string {
	t.Helper()
	keyDER, _ := x509.MarshalPKCS8PrivateKey(p.clientKey)
	chainPEM := pemOf("CERTIFICATE", p.client.Raw) + pemOf("CERTIFICATE", p.ca.Raw)
	encKeyPEM := pemOf("ENCRYPTED PRIVATE KEY", encryptPKCS8(t, keyDER, "keypass"))

	p12Trust, err := pkcs12.Modern.EncodeTrustStore([]*x509.Certificate{p.ca}, "storepass")
	if err != nil {
		t.Fatal(err)
	}
	p12Key, err := pkcs12.Modern.Encode(p.clientKey, p.client, []*x509.Certificate{p.ca}, "storepass")
	if err != nil {
		t.Fatal(err)
	}
	jks := func(fill func(ks keystore.KeyStore)) []byte {
		ks := keystore.New()
		fill(ks)
		var buf bytes.Buffer
		if err := ks.Store(&buf, []byte("storepass")); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	jksTrust := jks(func(ks keystore.KeyStore) {
		if err := ks.SetTrustedCertificateEntry("ca", keystore.TrustedCertificateEntry{
			CreationTime: time.Now(), Certificate: keystore.Certificate{Type: "X509", Content: p.ca.Raw}}); err != nil {
			t.Fatal(err)
		}
	})
	jksKey := jks(func(ks keystore.KeyStore) {
		if err := ks.SetPrivateKeyEntry("client", keystore.PrivateKeyEntry{
			CreationTime: time.Now(), PrivateKey: keyDER,
			CertificateChain: []keystore.Certificate{{Type: "X509", Content: p.client.Raw}, {Type: "X509", Content: p.ca.Raw}},
		}, []byte("keypass")); err != nil {
			t.Fatal(err)
		}
	})
	return map[string]map[string]string{
		"PEM": {
			"ssl.truststore.type": "PEM", "ssl.truststore.location": writeFile(t, "trust.pem", []byte(pemOf("CERTIFICATE", p.ca.Raw))),
			"ssl.keystore.type": "PEM", "ssl.keystore.location": writeFile(t, "key.pem", []byte(chainPEM+encKeyPEM)),
			"ssl.key.password": "keypass",
		},
		"PEM-inline": {
			"ssl.truststore.type": "PEM", "ssl.truststore.certificates": pemOf("CERTIFICATE", p.ca.Raw),
			"ssl.keystore.type": "PEM", "ssl.keystore.certificate.chain": chainPEM, "ssl.keystore.key": pemOf("PRIVATE KEY", keyDER),
		},
		"PKCS12": {
			"ssl.truststore.type": "PKCS12", "ssl.truststore.location": writeFile(t, "trust.p12", p12Trust), "ssl.truststore.password": "storepass",
			"ssl.keystore.type": "PKCS12", "ssl.keystore.location": writeFile(t, "key.p12", p12Key), "ssl.keystore.password": "storepass",
		},
		"JKS": {
			"ssl.truststore.location": writeFile(t, "trust.jks", jksTrust), "ssl.truststore.password": "storepass",
			"ssl.keystore.location": writeFile(t, "key.jks", jksKey), "ssl.keystore.password": "storepass", "ssl.key.password": "keypass",
		},
	}
}

// startSecureCluster runs kfake with TLS (client certificates required)
// and/or SASL users.
func startSecureCluster(t *testing.T, p *testPKI, sasl bool) string {
	t.Helper()
	opts := []kfake.Opt{kfake.Ports(0), kfake.NumBrokers(1)}
	if p != nil {
		opts = append(opts, kfake.TLS(&tls.Config{
			Certificates: []tls.Certificate{p.server},
			ClientAuth:   tls.RequireAndVerifyClientCert,
			ClientCAs:    p.clientPool,
		}))
	}
	if sasl {
		opts = append(opts, kfake.EnableSASL(),
			kfake.Superuser("PLAIN", "plainuser", `pl"ain=pass`),
			kfake.Superuser("SCRAM-SHA-256", "alice", "alice-secret"),
			kfake.Superuser("SCRAM-SHA-512", "bob", "bob,secret="))
	}
	c, err := kfake.NewCluster(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c.ListenAddrs()[0]
}

func clusterIDWith(t *testing.T, props map[string]string, within time.Duration) (string, error) {
	t.Helper()
	cfg, err := NewClientConfig(KindAdmin, props)
	if err != nil {
		return "", err
	}
	a, err := NewAdmin(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	id, err := a.ClusterID(ctx)
	if err != nil {
		t.Logf("ClusterID: %v", err)
	}
	return id, err
}

func TestTLSStoresEndToEnd(t *testing.T) {
	p := newTestPKI(t, []string{"localhost"}, []net.IP{net.ParseIP("127.0.0.1")})
	addr := startSecureCluster(t, p, false)
	for typ, ssl := range p.stores(t) {
		t.Run(typ, func(t *testing.T) {
			props := map[string]string{"bootstrap.servers": addr, "security.protocol": "SSL"}
			for k, v := range ssl {
				props[k] = v
			}
			if _, err := clusterIDWith(t, props, 10*time.Second); err != nil {
				t.Fatal(err)
			}
		})
	}
	t.Run("no client certificate", func(t *testing.T) {
		props := map[string]string{"bootstrap.servers": addr, "security.protocol": "SSL",
			"ssl.truststore.type": "PEM", "ssl.truststore.certificates": pemOf("CERTIFICATE", p.ca.Raw)}
		if _, err := clusterIDWith(t, props, 1500*time.Millisecond); err == nil {
			t.Fatal("broker requiring client certificates accepted a client without one")
		}
	})
}

func TestTLSEndpointIdentification(t *testing.T) {
	// the broker certificate names another host: only an empty
	// ssl.endpoint.identification.algorithm accepts it, the chain is still
	// verified
	p := newTestPKI(t, []string{"kafka.example"}, nil)
	addr := startSecureCluster(t, p, false)
	props := func(alg string, trust *x509.Certificate) map[string]string {
		m := map[string]string{"bootstrap.servers": addr, "security.protocol": "SSL"}
		for k, v := range p.stores(t)["PEM-inline"] {
			m[k] = v
		}
		m["ssl.truststore.certificates"] = pemOf("CERTIFICATE", trust.Raw)
		if alg != "https" {
			m["ssl.endpoint.identification.algorithm"] = alg
		}
		return m
	}
	if _, err := clusterIDWith(t, props("https", p.ca), 1500*time.Millisecond); err == nil {
		t.Fatal("host name mismatch accepted with https identification")
	}
	if _, err := clusterIDWith(t, props("", p.ca), 10*time.Second); err != nil {
		t.Fatalf("empty identification: %v", err)
	}
	other := newTestPKI(t, nil, nil)
	if _, err := clusterIDWith(t, props("", other.ca), 1500*time.Millisecond); err == nil {
		t.Fatal("untrusted chain accepted with empty identification")
	}
}

func TestSASLEndToEnd(t *testing.T) {
	p := newTestPKI(t, []string{"localhost"}, []net.IP{net.ParseIP("127.0.0.1")})
	plainAddr := startSecureCluster(t, nil, true)
	tlsAddr := startSecureCluster(t, p, true)
	cases := []struct {
		name, addr, protocol, mech, jaas string
		ok                               bool
	}{
		{"plain", plainAddr, "SASL_PLAINTEXT", "PLAIN",
			`org.apache.kafka.common.security.plain.PlainLoginModule required username="plainuser" password="pl\"ain=pass";`, true},
		{"scram-256", plainAddr, "SASL_PLAINTEXT", "SCRAM-SHA-256",
			`org.apache.kafka.common.security.scram.ScramLoginModule required username="alice" password="alice-secret";`, true},
		{"scram-512 over TLS", tlsAddr, "SASL_SSL", "SCRAM-SHA-512",
			"org.apache.kafka.common.security.scram.ScramLoginModule required\n  username=bob\n  password='bob,secret=';", true},
		{"wrong password", plainAddr, "SASL_PLAINTEXT", "SCRAM-SHA-256",
			`org.apache.kafka.common.security.scram.ScramLoginModule required username="alice" password="nope";`, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			props := map[string]string{"bootstrap.servers": tc.addr, "security.protocol": tc.protocol,
				"sasl.mechanism": tc.mech, "sasl.jaas.config": tc.jaas}
			if tc.protocol == "SASL_SSL" {
				for k, v := range p.stores(t)["PEM-inline"] {
					props[k] = v
				}
			}
			within := 10 * time.Second
			if !tc.ok {
				within = 1500 * time.Millisecond
			}
			_, err := clusterIDWith(t, props, within)
			if (err == nil) != tc.ok {
				t.Fatalf("ClusterID: %v", err)
			}
		})
	}
}

func TestParseJAAS(t *testing.T) {
	cases := []struct {
		in     string
		module string
		opts   map[string]string
		err    string
	}{
		{in: `org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";`,
			module: "org.apache.kafka.common.security.plain.PlainLoginModule", opts: map[string]string{"username": "u", "password": "p"}},
		{in: " /* comment */ ScramLoginModule  REQUIRED\n username = \"a b\" // trailing\n password=\"x\\\\y\\\"z;\" ;  ",
			module: "ScramLoginModule", opts: map[string]string{"username": "a b", "password": `x\y"z;`}},
		{in: `PlainLoginModule required username=u password=p`, module: "PlainLoginModule",
			opts: map[string]string{"username": "u", "password": "p"}},
		{in: `PlainLoginModule required username="u";  PlainLoginModule required username="v";`, err: "only one login module"},
		{in: `PlainLoginModule mandatory username="u";`, err: "control flag"},
		{in: `PlainLoginModule required username "u";`, err: "expected '='"},
		{in: `PlainLoginModule required username="u`, err: "unterminated"},
		{in: ``, err: "login module class"},
	}
	for _, tc := range cases {
		module, opts, err := parseJAAS(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || module != tc.module || len(opts) != len(tc.opts) {
			t.Errorf("%q: %q %v %v", tc.in, module, opts, err)
			continue
		}
		for k, v := range tc.opts {
			if opts[k] != v {
				t.Errorf("%q: option %s = %q, want %q", tc.in, k, opts[k], v)
			}
		}
	}
}

func TestSecurityConfigErrors(t *testing.T) {
	p := newTestPKI(t, nil, nil)
	stores := p.stores(t)
	base := func(extra map[string]string) map[string]string {
		m := map[string]string{"bootstrap.servers": "127.0.0.1:9092"}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	withSSL := func(typ string, over map[string]string) map[string]string {
		m := base(map[string]string{"security.protocol": "SSL"})
		for k, v := range stores[typ] {
			m[k] = v
		}
		for k, v := range over {
			m[k] = v
		}
		return m
	}
	cases := []struct {
		name  string
		props map[string]string
		key   string
		hide  bool // the value is a secret and must not appear
	}{
		{"GSSAPI default", base(map[string]string{"security.protocol": "SASL_PLAINTEXT", "sasl.jaas.config": "x required;"}), "sasl.mechanism", false},
		{"OAUTHBEARER", base(map[string]string{"security.protocol": "SASL_SSL", "sasl.mechanism": "OAUTHBEARER"}), "sasl.mechanism", false},
		{"missing jaas", base(map[string]string{"security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "PLAIN"}), "sasl.jaas.config", false},
		{"kerberos module", base(map[string]string{"security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "PLAIN",
			"sasl.jaas.config": `com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true password="topsecret";`}), "sasl.jaas.config", true},
		{"bad jaas", base(map[string]string{"security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "PLAIN",
			"sasl.jaas.config": `PlainLoginModule required username="topsecret`}), "sasl.jaas.config", true},
		{"no password in jaas", base(map[string]string{"security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "SCRAM-SHA-256",
			"sasl.jaas.config": `ScramLoginModule required username="u";`}), "sasl.jaas.config", false},
		{"BCFKS", withSSL("PEM", map[string]string{"ssl.keystore.type": "BCFKS"}), "ssl.keystore.type", false},
		{"truststore missing", withSSL("PEM", map[string]string{"ssl.truststore.location": "/nonexistent/trust.pem"}), "ssl.truststore.location", false},
		{"wrong key password", withSSL("PEM", map[string]string{"ssl.key.password": "topsecret"}), "ssl.keystore.location", false},
		{"wrong JKS password", withSSL("JKS", map[string]string{"ssl.keystore.password": "topsecret"}), "ssl.keystore.location", false},
		{"wrong PKCS12 password", withSSL("PKCS12", map[string]string{"ssl.keystore.password": "topsecret"}), "ssl.keystore.location", false},
		{"inline certs need PEM", withSSL("PEM-inline", map[string]string{"ssl.truststore.type": "JKS"}), "ssl.truststore.certificates", false},
		{"inline key alone", base(map[string]string{"security.protocol": "SSL", "ssl.keystore.type": "PEM", "ssl.keystore.key": "topsecret"}), "ssl.keystore.key", true},
		{"SSLv3", base(map[string]string{"security.protocol": "SSL", "ssl.enabled.protocols": "SSLv3"}), "ssl.enabled.protocols", false},
		{"protocols vs ssl.protocol", base(map[string]string{"security.protocol": "SSL", "ssl.enabled.protocols": "TLSv1.3", "ssl.protocol": "TLSv1.2"}), "ssl.enabled.protocols", false},
		{"endpoint algorithm", base(map[string]string{"ssl.endpoint.identification.algorithm": "ldap"}), "ssl.endpoint.identification.algorithm", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewClientConfig(KindAdmin, tc.props)
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Key != tc.key {
				t.Fatalf("error %v, want a ConfigError for %s", err, tc.key)
			}
			if !strings.Contains(err.Error(), tc.key) {
				t.Errorf("error %q does not name %s", err, tc.key)
			}
			if strings.Contains(err.Error(), "topsecret") {
				t.Errorf("error %q shows a secret", err)
			}
		})
	}
}

func TestTLSVersions(t *testing.T) {
	cfg := mustConfig(t, KindAdmin, map[string]string{"bootstrap.servers": "x:1", "security.protocol": "ssl",
		"ssl.enabled.protocols": "TLSv1.2", "ssl.cipher.suites": "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"})
	tc := cfg.sarama.Net.TLS.Config
	if !cfg.sarama.Net.TLS.Enable || tc.MinVersion != tls.VersionTLS12 || tc.MaxVersion != tls.VersionTLS12 ||
		len(tc.CipherSuites) != 1 || tc.CipherSuites[0] != tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 || tc.RootCAs != nil {
		t.Fatalf("tls config %+v", tc)
	}
	cfg = mustConfig(t, KindAdmin, map[string]string{"bootstrap.servers": "x:1", "security.protocol": "SASL_SSL",
		"sasl.mechanism": "PLAIN", "sasl.jaas.config": `PlainLoginModule required username="u" password="p";`})
	tc = cfg.sarama.Net.TLS.Config
	if tc.MinVersion != tls.VersionTLS12 || tc.MaxVersion != tls.VersionTLS13 || tc.InsecureSkipVerify {
		t.Fatalf("default tls config %+v", tc)
	}
	if s := cfg.sarama.Net.SASL; !s.Enable || s.Mechanism != "PLAIN" || s.User != "u" || s.Password != "p" {
		t.Fatalf("sasl %+v", s)
	}
}
