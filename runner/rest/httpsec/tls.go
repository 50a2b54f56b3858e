package httpsec

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"

	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/runner/internal/tlsstore"
	"github.com/connect-go/connect-standalone/runner/workerconfig"
)

// Prefixes of the HTTPS settings of listeners and admin.listeners
// (RestServerConfig.LISTENERS_HTTPS_CONFIGS_PREFIX and
// ADMIN_LISTENERS_HTTPS_CONFIGS_PREFIX).
const (
	ListenersHTTPSPrefix      = "listeners.https."
	AdminListenersHTTPSPrefix = "admin.listeners.https."
)

// ConfigError is an invalid or unsupported setting; Key is the full key as
// the user wrote it (with its listeners.https. prefix, if any). Secret
// values are never included.
type ConfigError struct {
	Key    string
	Value  string
	Reason string
}

func (e *ConfigError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("Invalid configuration %s: %s", e.Key, e.Reason)
	}
	return fmt.Sprintf("Invalid value %s for configuration %s: %s", e.Value, e.Key, e.Reason)
}

// sslValues is AbstractConfig.valuesWithPrefixAllOrNothing for the ssl.*
// keys: when any original key starts with prefix, only the prefixed keys
// count (prefix stripped, unset ones take Kafka's defaults); otherwise the
// plain ssl.* keys do. used is the prefix actually in effect ("" or prefix).
func sslValues(originals map[string]string, prefix string) (vals map[string]string, used string) {
	vals = map[string]string{}
	for k, v := range originals {
		if rest, ok := strings.CutPrefix(k, prefix); ok {
			vals[rest] = v
			used = prefix
		}
	}
	if used == "" {
		for k, v := range originals {
			if strings.HasPrefix(k, "ssl.") {
				vals[k] = v
			}
		}
	}
	return vals, used
}

// ServerTLSConfig builds the TLS configuration of HTTPS listeners from the
// worker's ssl.* keys, or from the keys under prefix
// (ListenersHTTPSPrefix or AdminListenersHTTPSPrefix) when any is set, as
// Kafka's SSLUtils.createServerSideSslContextFactory does.
//
// Supported: ssl.keystore.{type,location,password} (JKS, PKCS12, PEM),
// ssl.keystore.certificate.chain + ssl.keystore.key (inline PEM),
// ssl.key.password, ssl.truststore.{type,location,password,certificates},
// ssl.client.auth (none, requested, required), ssl.enabled.protocols,
// ssl.protocol, ssl.cipher.suites. ssl.keymanager.algorithm,
// ssl.trustmanager.algorithm, ssl.secure.random.implementation and
// ssl.endpoint.identification.algorithm have no server-side meaning here and
// are ignored; a non-empty ssl.provider is an error.
func ServerTLSConfig(cfg *workerconfig.Config, prefix string) (*tls.Config, error) {
	vals, used := sslValues(cfg.Originals(), prefix)
	get := func(k, def string) string {
		if v, ok := vals[k]; ok {
			return v
		}
		return def
	}
	keyErr := func(k, v, reason string) error { return &ConfigError{Key: used + k, Value: v, Reason: reason} }

	if p := strings.TrimSpace(get("ssl.provider", "")); p != "" {
		return nil, keyErr("ssl.provider", p, "not supported by connect-go: JVM security providers are not available")
	}
	storeType := func(k string) (string, error) {
		t := strings.ToUpper(strings.TrimSpace(get(k, "JKS")))
		switch t {
		case "JKS", "PKCS12", "PEM":
			return t, nil
		}
		return "", keyErr(k, get(k, ""), "not supported by connect-go: store type (supported: JKS, PKCS12, PEM)")
	}
	ksType, err := storeType("ssl.keystore.type")
	if err != nil {
		return nil, err
	}
	tsType, err := storeType("ssl.truststore.type")
	if err != nil {
		return nil, err
	}
	stores := &tlsstore.Stores{
		KeystoreType: ksType, KeystoreLocation: get("ssl.keystore.location", ""),
		KeystorePassword: get("ssl.keystore.password", ""), KeyPassword: get("ssl.key.password", ""),
		KeystoreChain: get("ssl.keystore.certificate.chain", ""), KeystoreKey: get("ssl.keystore.key", ""),
		TruststoreType: tsType, TruststoreLocation: get("ssl.truststore.location", ""),
		TruststorePassword: get("ssl.truststore.password", ""), TruststoreCertificates: get("ssl.truststore.certificates", ""),
	}
	storeErr := func(err error) error {
		var se *tlsstore.Error
		if errors.As(err, &se) {
			return keyErr(se.Key, se.Value, se.Reason)
		}
		return err
	}
	cert, err := stores.Certificate()
	if err != nil {
		return nil, storeErr(err)
	}
	if cert == nil {
		return nil, keyErr("ssl.keystore.location", "", "an https listener needs a keystore: set "+used+"ssl.keystore.location "+
			"(or "+used+"ssl.keystore.certificate.chain and "+used+"ssl.keystore.key with ssl.keystore.type=PEM)")
	}
	tc := &tls.Config{
		Certificates: []tls.Certificate{*cert},
		NextProtos:   []string{"http/1.1"}, // Kafka's Jetty connectors speak HTTP/1.1 only
	}

	switch ca := get("ssl.client.auth", "none"); ca {
	case "none":
		tc.ClientAuth = tls.NoClientCert
	case "requested":
		tc.ClientAuth = tls.VerifyClientCertIfGiven
	case "required":
		tc.ClientAuth = tls.RequireAndVerifyClientCert
	default:
		return nil, keyErr("ssl.client.auth", ca, "String must be one of: required, requested, none")
	}
	roots, err := stores.TrustedCerts()
	if err != nil {
		return nil, storeErr(err)
	}
	if roots != nil { // nil: the system roots, as the JVM's default truststore
		tc.ClientCAs = x509.NewCertPool()
		for _, c := range roots {
			tc.ClientCAs.AddCert(c)
		}
	}

	const protoKey = "ssl.enabled.protocols"
	protocols := configdef.SplitList(get(protoKey, "TLSv1.2,TLSv1.3"))
	if len(protocols) == 0 {
		return nil, keyErr(protoKey, "", "at least one protocol is required")
	}
	tc.MinVersion, tc.MaxVersion = tls.VersionTLS13, tls.VersionTLS10
	for _, p := range protocols {
		v, ok := tlsstore.Versions[p]
		if !ok {
			return nil, keyErr(protoKey, strings.Join(protocols, ","), "not supported by connect-go: protocol "+p+" (supported: TLSv1, TLSv1.1, TLSv1.2, TLSv1.3)")
		}
		if v < tls.VersionTLS12 {
			// Kafka accepts TLSv1 and TLSv1.1 when listed; both are broken.
			return nil, keyErr(protoKey, strings.Join(protocols, ","), "not allowed by connect-go: protocol "+p+" is insecure; the REST listeners need TLSv1.2 or later")
		}
		tc.MinVersion = min(tc.MinVersion, v)
		tc.MaxVersion = max(tc.MaxVersion, v)
	}
	if p := get("ssl.protocol", "TLSv1.3"); p != "TLS" {
		v, ok := tlsstore.Versions[p]
		if !ok {
			return nil, keyErr("ssl.protocol", p, "not supported by connect-go: protocol (supported: TLS, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3)")
		}
		tc.MaxVersion = min(tc.MaxVersion, v) // an SSLContext for TLSv1.2 cannot speak 1.3
	}
	if tc.MinVersion > tc.MaxVersion {
		return nil, keyErr(protoKey, strings.Join(protocols, ","), "no enabled protocol is allowed by "+used+"ssl.protocol="+get("ssl.protocol", ""))
	}
	for _, name := range configdef.SplitList(get("ssl.cipher.suites", "")) {
		id, ok := tlsstore.CipherSuite(name)
		if !ok {
			return nil, keyErr("ssl.cipher.suites", name, "not supported by connect-go: cipher suite")
		}
		if insecureSuite(id) {
			return nil, keyErr("ssl.cipher.suites", name, "not allowed by connect-go: insecure cipher suite")
		}
		tc.CipherSuites = append(tc.CipherSuites, id)
	}
	if tc.CipherSuites == nil {
		tc.CipherSuites = modernSuites // TLS 1.2 only; TLS 1.3 suites are all AEAD
	}
	return tc, nil
}

// modernSuites are the TLS 1.2 suites used when ssl.cipher.suites is not
// set: forward secrecy (ECDHE) and AEAD ciphers only. Go's defaults would
// also offer CBC-mode and static-RSA suites.
var modernSuites = []uint16{
	tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
	tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
	tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
	tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
}

// insecureSuite: Go lists the suite as insecure (RC4, 3DES, NULL, CBC-SHA256).
func insecureSuite(id uint16) bool {
	for _, cs := range tls.InsecureCipherSuites() {
		if cs.ID == id {
			return true
		}
	}
	return false
}
