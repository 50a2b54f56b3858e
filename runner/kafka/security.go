package kafka

import (
	"bytes"
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/IBM/sarama"
	keystore "github.com/pavlo-v-chernykh/keystore-go/v4"
	"software.sslmate.com/src/go-pkcs12"
)

// security holds security.protocol, sasl.* and ssl.* values until build.
type security struct {
	protocol      string
	saslMechanism string
	jaas          string

	truststoreLocation string
	truststorePassword string
	truststoreType     string
	truststoreCerts    string
	keystoreLocation   string
	keystorePassword   string
	keystoreType       string
	keystoreChain      string
	keystoreKey        string
	keyPassword        string
	endpointIdentify   string
	enabledProtocols   []string
	sslProtocol        string
	cipherSuites       []uint16
}

func (sec *security) apply(c *sarama.Config) error {
	if sec.protocol == "SSL" || sec.protocol == "SASL_SSL" {
		tc, err := sec.tlsConfig()
		if err != nil {
			return err
		}
		c.Net.TLS.Enable = true
		c.Net.TLS.Config = tc
	}
	if sec.protocol == "SASL_PLAINTEXT" || sec.protocol == "SASL_SSL" {
		return sec.applySASL(c)
	}
	return nil
}

func (sec *security) applySASL(c *sarama.Config) error {
	var mech sarama.SASLMechanism
	var newSCRAM func() sarama.SCRAMClient
	switch sec.saslMechanism {
	case "PLAIN":
		mech = sarama.SASLTypePlaintext
	case "SCRAM-SHA-256":
		mech = sarama.SASLTypeSCRAMSHA256
		newSCRAM = func() sarama.SCRAMClient { return newSCRAMClient(scramSHA256) }
	case "SCRAM-SHA-512":
		mech = sarama.SASLTypeSCRAMSHA512
		newSCRAM = func() sarama.SCRAMClient { return newSCRAMClient(scramSHA512) }
	default:
		reason := "not supported by connect-go: supported mechanisms are PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512"
		if sec.saslMechanism == "GSSAPI" {
			reason += " (GSSAPI is Kafka's default when sasl.mechanism is not set)"
		}
		return &ConfigError{Key: "sasl.mechanism", Value: sec.saslMechanism, Reason: reason}
	}
	if sec.jaas == "" {
		return &ConfigError{Key: "sasl.jaas.config", Value: "", Reason: "required for sasl.mechanism=" + sec.saslMechanism +
			" (JAAS files through java.security.auth.login.config are not supported)"}
	}
	module, opts, err := parseJAAS(sec.jaas)
	if err != nil {
		return &ConfigError{Key: "sasl.jaas.config", Value: sec.jaas, Reason: err.Error()}
	}
	short := module[strings.LastIndex(module, ".")+1:]
	if short != "PlainLoginModule" && short != "ScramLoginModule" {
		return &ConfigError{Key: "sasl.jaas.config", Value: sec.jaas,
			Reason: "not supported by connect-go: login module " + module + " (supported: PlainLoginModule, ScramLoginModule)"}
	}
	if strings.EqualFold(opts["tokenauth"], "true") {
		return &ConfigError{Key: "sasl.jaas.config", Value: sec.jaas, Reason: "not supported by connect-go: delegation token authentication (tokenauth=true)"}
	}
	user, okU := opts["username"]
	pass, okP := opts["password"]
	if !okU || !okP || user == "" {
		return &ConfigError{Key: "sasl.jaas.config", Value: sec.jaas, Reason: "username and password options are required"}
	}
	c.Net.SASL.Enable = true
	c.Net.SASL.Handshake = true
	c.Net.SASL.Version = sarama.SASLHandshakeV1
	c.Net.SASL.Mechanism = mech
	c.Net.SASL.User = user
	c.Net.SASL.Password = pass
	c.Net.SASL.SCRAMClientGeneratorFunc = newSCRAM
	return nil
}

// parseJAAS parses the single login module entry of sasl.jaas.config:
//
//	<LoginModule> <flag> key=value ... ;
//
// Values are bare words or double-quoted strings with backslash escapes;
// /* */ and // comments are skipped (Java's JaasConfig uses a
// StreamTokenizer with those settings). Errors never contain values.
func parseJAAS(s string) (module string, opts map[string]string, err error) {
	t := &jaasTokenizer{s: s}
	module, kind := t.next()
	if kind != tokWord {
		return "", nil, errors.New("expected a login module class name")
	}
	flag, kind := t.next()
	if kind != tokWord {
		return "", nil, errors.New("expected a login module control flag after " + module)
	}
	switch strings.ToLower(flag) {
	case "required", "requisite", "sufficient", "optional":
	default:
		return "", nil, fmt.Errorf("invalid login module control flag %q", flag)
	}
	opts = map[string]string{}
	for {
		key, kind := t.next()
		switch kind {
		case tokEOF:
			return module, opts, nil // Java requires ';', we tolerate its absence
		case tokSemi:
			if _, k := t.next(); k != tokEOF {
				return "", nil, errors.New("only one login module may be specified")
			}
			return module, opts, nil
		case tokWord:
		default:
			return "", nil, errors.New("expected an option name")
		}
		if _, k := t.next(); k != tokEquals {
			return "", nil, fmt.Errorf("expected '=' after option %s", key)
		}
		val, k := t.next()
		if k == tokErr {
			return "", nil, fmt.Errorf("unterminated quoted value for option %s", key)
		}
		if k != tokWord && k != tokQuoted {
			return "", nil, fmt.Errorf("value not specified for option %s", key)
		}
		opts[key] = val
	}
}

type tokKind int

const (
	tokEOF tokKind = iota
	tokWord
	tokQuoted
	tokEquals
	tokSemi
	tokErr
)

type jaasTokenizer struct {
	s string
	i int
}

func (t *jaasTokenizer) skip() {
	for t.i < len(t.s) {
		switch {
		case t.s[t.i] == ' ' || t.s[t.i] == '\t' || t.s[t.i] == '\n' || t.s[t.i] == '\r':
			t.i++
		case strings.HasPrefix(t.s[t.i:], "//"):
			for t.i < len(t.s) && t.s[t.i] != '\n' {
				t.i++
			}
		case strings.HasPrefix(t.s[t.i:], "/*"):
			end := strings.Index(t.s[t.i+2:], "*/")
			if end < 0 {
				t.i = len(t.s)
			} else {
				t.i += end + 4
			}
		default:
			return
		}
	}
}

func (t *jaasTokenizer) next() (string, tokKind) {
	t.skip()
	if t.i >= len(t.s) {
		return "", tokEOF
	}
	switch c := t.s[t.i]; c {
	case '=':
		t.i++
		return "=", tokEquals
	case ';':
		t.i++
		return ";", tokSemi
	case '"', '\'':
		t.i++
		var b strings.Builder
		for t.i < len(t.s) {
			ch := t.s[t.i]
			t.i++
			switch {
			case ch == c:
				return b.String(), tokQuoted
			case ch == '\\' && t.i < len(t.s):
				esc := t.s[t.i]
				t.i++
				switch esc {
				case 'n':
					b.WriteByte('\n')
				case 't':
					b.WriteByte('\t')
				case 'r':
					b.WriteByte('\r')
				default:
					b.WriteByte(esc)
				}
			default:
				b.WriteByte(ch)
			}
		}
		return "", tokErr
	}
	start := t.i
	for t.i < len(t.s) && !strings.ContainsRune(" \t\r\n=;\"'", rune(t.s[t.i])) {
		t.i++
	}
	return t.s[start:t.i], tokWord
}

func (sec *security) tlsConfig() (*tls.Config, error) {
	tc := &tls.Config{CipherSuites: sec.cipherSuites}
	tc.MinVersion, tc.MaxVersion = tls.VersionTLS13, tls.VersionTLS10
	for _, p := range sec.enabledProtocols {
		v := tlsVersions[p]
		tc.MinVersion = min(tc.MinVersion, v)
		tc.MaxVersion = max(tc.MaxVersion, v)
	}
	if v, ok := tlsVersions[sec.sslProtocol]; ok && v < tc.MaxVersion {
		tc.MaxVersion = v // an SSLContext for TLSv1.2 cannot speak 1.3
	}
	if tc.MinVersion > tc.MaxVersion {
		return nil, &ConfigError{Key: "ssl.enabled.protocols", Value: strings.Join(sec.enabledProtocols, ","),
			Reason: "no enabled protocol is allowed by ssl.protocol=" + sec.sslProtocol}
	}

	roots, err := sec.trustedCerts()
	if err != nil {
		return nil, err
	}
	if roots != nil {
		tc.RootCAs = x509.NewCertPool()
		for _, c := range roots {
			tc.RootCAs.AddCert(c)
		}
	}
	cert, err := sec.clientCert()
	if err != nil {
		return nil, err
	}
	if cert != nil {
		tc.Certificates = []tls.Certificate{*cert}
	}
	if sec.endpointIdentify == "" {
		// Java still validates the chain, only the host name check is off;
		// Go can only express that as "skip all" plus our own chain check.
		tc.InsecureSkipVerify = true
		pool := tc.RootCAs
		tc.VerifyConnection = func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("kafka: broker presented no certificate")
			}
			inter := x509.NewCertPool()
			for _, c := range cs.PeerCertificates[1:] {
				inter.AddCert(c)
			}
			_, err := cs.PeerCertificates[0].Verify(x509.VerifyOptions{Roots: pool, Intermediates: inter})
			return err
		}
	}
	return tc, nil
}

func readStoreFile(key, path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &ConfigError{Key: key, Value: path, Reason: "Failed to load SSL keystore: " + err.Error()}
	}
	return b, nil
}

// trustedCerts returns nil (system roots) when no truststore is configured.
func (sec *security) trustedCerts() ([]*x509.Certificate, error) {
	if sec.truststoreCerts != "" {
		if sec.truststoreType != "PEM" {
			return nil, &ConfigError{Key: "ssl.truststore.certificates", Value: "(inline)", Reason: "requires ssl.truststore.type=PEM"}
		}
		certs, err := parsePEMCerts([]byte(sec.truststoreCerts))
		if err != nil {
			return nil, &ConfigError{Key: "ssl.truststore.certificates", Value: "(inline)", Reason: err.Error()}
		}
		return certs, nil
	}
	if sec.truststoreLocation == "" {
		return nil, nil
	}
	const key = "ssl.truststore.location"
	data, err := readStoreFile(key, sec.truststoreLocation)
	if err != nil {
		return nil, err
	}
	var certs []*x509.Certificate
	switch sec.truststoreType {
	case "PEM":
		certs, err = parsePEMCerts(data)
	case "PKCS12":
		certs, err = pkcs12TrustStore(data, sec.truststorePassword)
	default: // JKS (Java also reads PKCS12 files through the JKS type)
		if isPKCS12(data) {
			certs, err = pkcs12TrustStore(data, sec.truststorePassword)
		} else {
			certs, err = jksTrustStore(data, sec.truststorePassword)
		}
	}
	if err != nil {
		return nil, &ConfigError{Key: key, Value: sec.truststoreLocation, Reason: "Failed to load SSL truststore of type " + sec.truststoreType + ": " + err.Error()}
	}
	if len(certs) == 0 {
		return nil, &ConfigError{Key: key, Value: sec.truststoreLocation, Reason: "truststore contains no certificates"}
	}
	return certs, nil
}

func (sec *security) clientCert() (*tls.Certificate, error) {
	if sec.keystoreChain != "" || sec.keystoreKey != "" {
		if sec.keystoreType != "PEM" {
			return nil, &ConfigError{Key: "ssl.keystore.certificate.chain", Value: "(inline)", Reason: "requires ssl.keystore.type=PEM"}
		}
		if sec.keystoreChain == "" || sec.keystoreKey == "" {
			return nil, &ConfigError{Key: "ssl.keystore.key", Value: "(inline)", Reason: "ssl.keystore.key and ssl.keystore.certificate.chain must both be set"}
		}
		chain, err := parsePEMCerts([]byte(sec.keystoreChain))
		if err != nil {
			return nil, &ConfigError{Key: "ssl.keystore.certificate.chain", Value: "(inline)", Reason: err.Error()}
		}
		k, err := parsePEMKey([]byte(sec.keystoreKey), sec.keyPassword)
		if err != nil {
			return nil, &ConfigError{Key: "ssl.keystore.key", Value: "", Reason: err.Error()}
		}
		return makeCert(k, chain), nil
	}
	if sec.keystoreLocation == "" {
		return nil, nil
	}
	const key = "ssl.keystore.location"
	data, err := readStoreFile(key, sec.keystoreLocation)
	if err != nil {
		return nil, err
	}
	var k crypto.PrivateKey
	var chain []*x509.Certificate
	switch sec.keystoreType {
	case "PEM":
		chain, err = parsePEMCerts(data)
		if err == nil {
			k, err = parsePEMKey(data, sec.keyPassword)
		}
	case "PKCS12":
		k, chain, err = pkcs12KeyStore(data, sec.keystorePassword, sec.keyPassword)
	default:
		if isPKCS12(data) {
			k, chain, err = pkcs12KeyStore(data, sec.keystorePassword, sec.keyPassword)
		} else {
			k, chain, err = jksKeyStore(data, sec.keystorePassword, sec.keyPassword)
		}
	}
	if err != nil {
		return nil, &ConfigError{Key: key, Value: sec.keystoreLocation, Reason: "Failed to load SSL keystore of type " + sec.keystoreType + ": " + err.Error()}
	}
	return makeCert(k, chain), nil
}

func makeCert(k crypto.PrivateKey, chain []*x509.Certificate) *tls.Certificate {
	c := &tls.Certificate{PrivateKey: k, Leaf: chain[0]}
	for _, x := range chain {
		c.Certificate = append(c.Certificate, x.Raw)
	}
	return c
}

func parsePEMCerts(data []byte) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("invalid certificate: %w", err)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, errors.New("no PEM certificate found")
	}
	return out, nil
}

func parsePEMKey(data []byte, password string) (crypto.PrivateKey, error) {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return nil, errors.New("no PEM private key found")
		}
		der := b.Bytes
		switch b.Type {
		case "ENCRYPTED PRIVATE KEY":
			if password == "" {
				return nil, errors.New("the private key is encrypted: set ssl.key.password")
			}
			var err error
			if der, err = decryptPKCS8(der, []byte(password)); err != nil {
				return nil, err
			}
			return parseDERKey(der)
		case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY":
			//nolint:staticcheck // legacy OpenSSL encryption is still found in the wild
			if x509.IsEncryptedPEMBlock(b) {
				var err error
				if der, err = x509.DecryptPEMBlock(b, []byte(password)); err != nil { //nolint:staticcheck
					return nil, fmt.Errorf("cannot decrypt private key: %w", err)
				}
			}
			return parseDERKey(der)
		}
	}
}

func parseDERKey(der []byte) (crypto.PrivateKey, error) {
	if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		return k, nil
	}
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, nil
	}
	if k, err := x509.ParseECPrivateKey(der); err == nil {
		return k, nil
	}
	return nil, errors.New("unsupported or corrupt private key (wrong ssl.key.password?)")
}

// isPKCS12 tells a DER PKCS#12 file (ASN.1 SEQUENCE) from a JKS one (magic
// 0xFEEDFEED).
func isPKCS12(b []byte) bool { return len(b) > 0 && b[0] == 0x30 }

func pkcs12TrustStore(data []byte, password string) ([]*x509.Certificate, error) {
	certs, err := pkcs12.DecodeTrustStore(data, password)
	if err == nil {
		return certs, nil
	}
	// Not a Java-style trust store (certificates without the trusted
	// attribute): accept any certificates the file holds.
	blocks, err2 := pkcs12.ToPEM(data, password)
	if err2 != nil {
		return nil, err
	}
	for _, b := range blocks {
		if b.Type == "CERTIFICATE" {
			if c, err := x509.ParseCertificate(b.Bytes); err == nil {
				certs = append(certs, c)
			}
		}
	}
	return certs, nil
}

func pkcs12KeyStore(data []byte, storePass, keyPass string) (crypto.PrivateKey, []*x509.Certificate, error) {
	k, leaf, cas, err := pkcs12.DecodeChain(data, storePass)
	if err != nil && keyPass != "" && keyPass != storePass {
		k, leaf, cas, err = pkcs12.DecodeChain(data, keyPass)
	}
	if err != nil {
		return nil, nil, err
	}
	return k, append([]*x509.Certificate{leaf}, cas...), nil
}

func loadJKS(data []byte, password string) (keystore.KeyStore, error) {
	ks := keystore.New()
	err := ks.Load(bytes.NewReader(data), []byte(password))
	if err != nil && password == "" && strings.Contains(err.Error(), "invalid digest") {
		// Java reads a JKS trust store without a password, skipping the
		// integrity check; the entries are already loaded.
		err = nil
	}
	return ks, err
}

func jksTrustStore(data []byte, password string) ([]*x509.Certificate, error) {
	ks, err := loadJKS(data, password)
	if err != nil {
		return nil, err
	}
	var out []*x509.Certificate
	for _, alias := range ks.Aliases() {
		var ders [][]byte
		if ks.IsTrustedCertificateEntry(alias) {
			e, err := ks.GetTrustedCertificateEntry(alias)
			if err != nil {
				return nil, err
			}
			ders = append(ders, e.Certificate.Content)
		} else if chain, err := ks.GetPrivateKeyEntryCertificateChain(alias); err == nil && len(chain) > 0 {
			ders = append(ders, chain[0].Content) // Java trusts key entries' certificates too
		}
		for _, d := range ders {
			c, err := x509.ParseCertificate(d)
			if err != nil {
				return nil, fmt.Errorf("entry %s: %w", alias, err)
			}
			out = append(out, c)
		}
	}
	return out, nil
}

func jksKeyStore(data []byte, storePass, keyPass string) (crypto.PrivateKey, []*x509.Certificate, error) {
	ks, err := loadJKS(data, storePass)
	if err != nil {
		return nil, nil, err
	}
	if keyPass == "" {
		keyPass = storePass // Java: ssl.key.password defaults to the store password
	}
	aliases := ks.Aliases()
	sort.Strings(aliases)
	for _, alias := range aliases {
		if !ks.IsPrivateKeyEntry(alias) {
			continue
		}
		e, err := ks.GetPrivateKeyEntry(alias, []byte(keyPass))
		if err != nil {
			return nil, nil, fmt.Errorf("entry %s: %w (check ssl.key.password)", alias, err)
		}
		k, err := parseDERKey(e.PrivateKey)
		if err != nil {
			return nil, nil, fmt.Errorf("entry %s: %w", alias, err)
		}
		var chain []*x509.Certificate
		for _, c := range e.CertificateChain {
			x, err := x509.ParseCertificate(c.Content)
			if err != nil {
				return nil, nil, fmt.Errorf("entry %s: %w", alias, err)
			}
			chain = append(chain, x)
		}
		if len(chain) == 0 {
			return nil, nil, fmt.Errorf("entry %s has no certificate chain", alias)
		}
		return k, chain, nil
	}
	return nil, nil, errors.New("keystore contains no private key entry")
}
