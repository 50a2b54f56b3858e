// Package tlsstore loads the key material named by Kafka's ssl.* keys
// (keystores and truststores of type JKS, PKCS12 and PEM, file-based or
// inline) for the Kafka clients and for the REST server's HTTPS listeners.
package tlsstore

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

	keystore "github.com/pavlo-v-chernykh/keystore-go/v4"
	"software.sslmate.com/src/go-pkcs12"
)

// Stores holds the ssl.* values that locate key material. Types are
// upper-case JKS, PKCS12 or PEM; an empty type means JKS (Kafka's default).
type Stores struct {
	TruststoreType         string // ssl.truststore.type
	TruststoreLocation     string // ssl.truststore.location
	TruststorePassword     string // ssl.truststore.password
	TruststoreCertificates string // ssl.truststore.certificates (inline PEM)

	KeystoreType     string // ssl.keystore.type
	KeystoreLocation string // ssl.keystore.location
	KeystorePassword string // ssl.keystore.password
	KeystoreChain    string // ssl.keystore.certificate.chain (inline PEM)
	KeystoreKey      string // ssl.keystore.key (inline PEM)
	KeyPassword      string // ssl.key.password
}

// Error names the offending ssl.* key (unprefixed). Value is the key's
// value, "(inline)" for inline PEM, or empty for secrets.
type Error struct {
	Key    string
	Value  string
	Reason string
}

func (e *Error) Error() string {
	return fmt.Sprintf("Invalid value %s for configuration %s: %s", e.Value, e.Key, e.Reason)
}

// Versions maps Java's TLS protocol names to Go's versions.
var Versions = map[string]uint16{
	"TLSv1":   tls.VersionTLS10,
	"TLSv1.1": tls.VersionTLS11,
	"TLSv1.2": tls.VersionTLS12,
	"TLSv1.3": tls.VersionTLS13,
}

// CipherSuite maps an IANA/JSSE cipher suite name to Go's identifier.
func CipherSuite(name string) (uint16, bool) {
	for _, cs := range tls.CipherSuites() {
		if cs.Name == name {
			return cs.ID, true
		}
	}
	for _, cs := range tls.InsecureCipherSuites() {
		if cs.Name == name {
			return cs.ID, true
		}
	}
	return 0, false
}

func typeOrDefault(t string) string {
	if t == "" {
		return "JKS"
	}
	return t
}

func readStoreFile(key, path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{Key: key, Value: path, Reason: "Failed to load SSL keystore: " + err.Error()}
	}
	return b, nil
}

// TrustedCerts returns the truststore's certificates, or nil (meaning the
// system roots) when no truststore is configured.
func (s *Stores) TrustedCerts() ([]*x509.Certificate, error) {
	typ := typeOrDefault(s.TruststoreType)
	if s.TruststoreCertificates != "" {
		if typ != "PEM" {
			return nil, &Error{Key: "ssl.truststore.certificates", Value: "(inline)", Reason: "requires ssl.truststore.type=PEM"}
		}
		certs, err := ParsePEMCerts([]byte(s.TruststoreCertificates))
		if err != nil {
			return nil, &Error{Key: "ssl.truststore.certificates", Value: "(inline)", Reason: err.Error()}
		}
		return certs, nil
	}
	if s.TruststoreLocation == "" {
		return nil, nil
	}
	const key = "ssl.truststore.location"
	data, err := readStoreFile(key, s.TruststoreLocation)
	if err != nil {
		return nil, err
	}
	var certs []*x509.Certificate
	switch typ {
	case "PEM":
		certs, err = ParsePEMCerts(data)
	case "PKCS12":
		certs, err = pkcs12TrustStore(data, s.TruststorePassword)
	default: // JKS (Java also reads PKCS12 files through the JKS type)
		if isPKCS12(data) {
			certs, err = pkcs12TrustStore(data, s.TruststorePassword)
		} else {
			certs, err = jksTrustStore(data, s.TruststorePassword)
		}
	}
	if err != nil {
		return nil, &Error{Key: key, Value: s.TruststoreLocation, Reason: "Failed to load SSL truststore of type " + typ + ": " + err.Error()}
	}
	if len(certs) == 0 {
		return nil, &Error{Key: key, Value: s.TruststoreLocation, Reason: "truststore contains no certificates"}
	}
	return certs, nil
}

// Certificate returns the keystore's key and certificate chain, or nil when
// no keystore is configured.
func (s *Stores) Certificate() (*tls.Certificate, error) {
	typ := typeOrDefault(s.KeystoreType)
	if s.KeystoreChain != "" || s.KeystoreKey != "" {
		if typ != "PEM" {
			return nil, &Error{Key: "ssl.keystore.certificate.chain", Value: "(inline)", Reason: "requires ssl.keystore.type=PEM"}
		}
		if s.KeystoreChain == "" || s.KeystoreKey == "" {
			return nil, &Error{Key: "ssl.keystore.key", Value: "(inline)", Reason: "ssl.keystore.key and ssl.keystore.certificate.chain must both be set"}
		}
		chain, err := ParsePEMCerts([]byte(s.KeystoreChain))
		if err != nil {
			return nil, &Error{Key: "ssl.keystore.certificate.chain", Value: "(inline)", Reason: err.Error()}
		}
		k, err := ParsePEMKey([]byte(s.KeystoreKey), s.KeyPassword)
		if err != nil {
			return nil, &Error{Key: "ssl.keystore.key", Value: "", Reason: err.Error()}
		}
		return makeCert(k, chain), nil
	}
	if s.KeystoreLocation == "" {
		return nil, nil
	}
	const key = "ssl.keystore.location"
	data, err := readStoreFile(key, s.KeystoreLocation)
	if err != nil {
		return nil, err
	}
	var k crypto.PrivateKey
	var chain []*x509.Certificate
	switch typ {
	case "PEM":
		chain, err = ParsePEMCerts(data)
		if err == nil {
			k, err = ParsePEMKey(data, s.KeyPassword)
		}
	case "PKCS12":
		k, chain, err = pkcs12KeyStore(data, s.KeystorePassword, s.KeyPassword)
	default:
		if isPKCS12(data) {
			k, chain, err = pkcs12KeyStore(data, s.KeystorePassword, s.KeyPassword)
		} else {
			k, chain, err = jksKeyStore(data, s.KeystorePassword, s.KeyPassword)
		}
	}
	if err != nil {
		return nil, &Error{Key: key, Value: s.KeystoreLocation, Reason: "Failed to load SSL keystore of type " + typ + ": " + err.Error()}
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

// ParsePEMCerts returns every CERTIFICATE block of data.
func ParsePEMCerts(data []byte) ([]*x509.Certificate, error) {
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

// ParsePEMKey returns the first private key of data, decrypting it with
// password when it is encrypted (PKCS#8 PBES2 or legacy OpenSSL).
func ParsePEMKey(data []byte, password string) (crypto.PrivateKey, error) {
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
