package httpsec

import (
	"crypto/tls"
	"fmt"
	"net"
	"strings"

	"github.com/connect-go/connect-standalone/runner/workerconfig"
)

// AllowUnauthenticatedRemoteKey (connect-go) is the explicit opt-in to run
// a REST listener that other hosts can reach without authentication while
// connectors may touch any file (no connector.allowed.paths).
const AllowUnauthenticatedRemoteKey = "rest.allow.unauthenticated.remote"

// PathsKey mirrors pathpolicy.Key for messages (httpsec does not depend on
// the connector packages).
const PathsKey = "connector.allowed.paths"

// ExposedWithoutAuth returns the entries of specs (regular listeners) that
// other hosts can reach and that let requests in without authentication:
// the host is not a loopback address or "localhost" (an empty host means
// every interface; another host name cannot be known to be local), no Basic
// or bearer authentication is configured, and the listener is not https
// with ssl.client.auth=required.
func ExposedWithoutAuth(cfg *workerconfig.Config, specs []string, authenticated bool) []string {
	if authenticated {
		return nil
	}
	var out []string
	for _, spec := range specs {
		spec = strings.TrimSpace(spec)
		if spec == "" {
			continue
		}
		l, err := workerconfig.ParseListener(spec)
		if err != nil {
			continue // binding reports it
		}
		if loopbackHost(l.Host) {
			continue
		}
		if l.Protocol == "https" {
			if tc, err := ServerTLSConfig(cfg, ListenersHTTPSPrefix); err == nil && tc.ClientAuth == tls.RequireAndVerifyClientCert {
				continue
			}
		}
		out = append(out, spec)
	}
	return out
}

func loopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// CheckExposure refuses to start a worker whose REST API other hosts can
// reach without authentication while connectors may read and write any file
// (restricted is false: no connector.allowed.paths), unless the operator set
// rest.allow.unauthenticated.remote=true. Kafka starts such a worker; the
// combination hands every host on the network this process's file access.
func CheckExposure(cfg *workerconfig.Config, specs []string, authenticated, restricted bool) error {
	optIn := false
	if raw, ok := cfg.Originals()[AllowUnauthenticatedRemoteKey]; ok {
		switch strings.ToLower(strings.TrimSpace(raw)) {
		case "true":
			optIn = true
		case "false":
		default:
			return fmt.Errorf("Invalid value %s for configuration %s: Expected value to be either true or false", raw, AllowUnauthenticatedRemoteKey)
		}
	}
	exposed := ExposedWithoutAuth(cfg, specs, authenticated)
	if len(exposed) == 0 || restricted || optIn {
		return nil
	}
	return fmt.Errorf("refusing to start: REST listener %s accepts connections from other hosts without authentication and %s is not set, "+
		"so anyone who can reach it could make connectors read or write any file this process can. "+
		"Bind the listener to 127.0.0.1, configure authentication (rest.extension.classes=%s, %s, or https with ssl.client.auth=required), "+
		"set %s to the directories connectors may use, or set %s=true to accept the risk (docs/security.md)",
		strings.Join(exposed, ", "), PathsKey, BasicAuthExtension, BearerTokenFileKey, PathsKey, AllowUnauthenticatedRemoteKey)
}
