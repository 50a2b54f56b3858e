package kafka

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"strings"

	"github.com/IBM/sarama"

	"github.com/connect-go/connect-standalone/runner/internal/jaas"
	"github.com/connect-go/connect-standalone/runner/internal/tlsstore"
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

// parseJAAS parses the single login module entry of sasl.jaas.config.
func parseJAAS(s string) (module string, opts map[string]string, err error) {
	m, err := jaas.ParseEntry(s)
	return m.Class, m.Options, err
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

// stores returns the key material settings for tlsstore.
func (sec *security) stores() *tlsstore.Stores {
	return &tlsstore.Stores{
		TruststoreType: sec.truststoreType, TruststoreLocation: sec.truststoreLocation,
		TruststorePassword: sec.truststorePassword, TruststoreCertificates: sec.truststoreCerts,
		KeystoreType: sec.keystoreType, KeystoreLocation: sec.keystoreLocation,
		KeystorePassword: sec.keystorePassword, KeystoreChain: sec.keystoreChain,
		KeystoreKey: sec.keystoreKey, KeyPassword: sec.keyPassword,
	}
}

// trustedCerts returns nil (system roots) when no truststore is configured.
func (sec *security) trustedCerts() ([]*x509.Certificate, error) {
	certs, err := sec.stores().TrustedCerts()
	return certs, storeError(err)
}

func (sec *security) clientCert() (*tls.Certificate, error) {
	cert, err := sec.stores().Certificate()
	return cert, storeError(err)
}

// storeError turns a tlsstore error into this package's ConfigError.
func storeError(err error) error {
	var se *tlsstore.Error
	if errors.As(err, &se) {
		return &ConfigError{Key: se.Key, Value: se.Value, Reason: se.Reason}
	}
	return err
}
