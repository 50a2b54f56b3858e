package httpsec

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/connect-go/connect-standalone/runner/workerconfig"
)

// DefaultListener is bound when the worker configuration has no listeners
// key. Kafka's default is http://:8083 (all interfaces); connect-go binds
// the loopback interface only, so an unconfigured worker is not reachable
// from the network (docs/security.md).
const DefaultListener = "http://127.0.0.1:8083"

// Bound is one bound listener. Listener is already TLS-wrapped for https:
// serve it with http.Server.Serve, not ServeTLS.
type Bound struct {
	net.Listener
	Spec     string      // the configured entry, e.g. "https://:8443"
	Protocol string      // "http" or "https"
	Host     string      // configured host; "" = all interfaces
	Port     int         // the bound port (the real one when 0 was configured)
	Admin    bool        // from admin.listeners
	TLS      *tls.Config // nil for http
}

// URL is the listener's base URL with the bound port; an empty or
// unspecified host is shown as the loopback address, which always reaches it.
func (b *Bound) URL() string {
	host := b.Host
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
		if ip != nil && ip.To4() == nil {
			host = "::1"
		}
	}
	return b.Protocol + "://" + net.JoinHostPort(host, strconv.Itoa(b.Port))
}

// ClientCertRequired reports whether the listener only accepts clients with
// a certificate its truststore verifies (ssl.client.auth=required).
func (b *Bound) ClientCertRequired() bool {
	return b.TLS != nil && b.TLS.ClientAuth == tls.RequireAndVerifyClientCert
}

// Specs returns the listener entries to bind: listeners (DefaultListener
// when the key is absent), or for admin admin.listeners, which is nil when
// the admin endpoints share the regular listeners and empty when they are
// disabled.
func Specs(cfg *workerconfig.Config, admin bool) []string {
	if admin {
		return cfg.AdminListeners
	}
	if _, ok := cfg.Originals()[workerconfig.Listeners]; !ok {
		return []string{DefaultListener}
	}
	return cfg.Listeners
}

// Listen binds the listeners of listeners (admin=false) or admin.listeners
// (admin=true), as RestServer.createConnectors does: http and https entries,
// several of each, port 0 for an ephemeral port. HTTPS settings come from
// listeners.https.ssl.* (admin.listeners.https.ssl.* for admin listeners)
// when any such key is set, else from ssl.*; see ServerTLSConfig.
//
// For admin=true, nil is returned when admin.listeners is unset (serve the
// admin endpoints on the regular listeners) or empty (admin endpoints
// disabled); tell the two apart with cfg.AdminListeners == nil.
// On error nothing is left bound.
func Listen(ctx context.Context, cfg *workerconfig.Config, admin bool) (_ []Bound, err error) {
	specs := Specs(cfg, admin)
	var out []Bound
	defer func() {
		if err != nil {
			for _, b := range out {
				b.Close()
			}
		}
	}()
	var tc *tls.Config
	prefix := ListenersHTTPSPrefix
	if admin {
		prefix = AdminListenersHTTPSPrefix
	}
	var lc net.ListenConfig
	for _, spec := range specs {
		spec = strings.TrimSpace(spec)
		if spec == "" {
			continue
		}
		l, err := workerconfig.ParseListener(spec)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", spec, err)
		}
		if l.Port < 0 || l.Port > 65535 {
			return nil, fmt.Errorf("%s: port out of range", spec)
		}
		if l.Protocol == "https" && tc == nil {
			if tc, err = ServerTLSConfig(cfg, prefix); err != nil {
				return nil, fmt.Errorf("%s: %w", spec, err)
			}
		}
		ln, err := lc.Listen(ctx, "tcp", net.JoinHostPort(l.Host, strconv.Itoa(l.Port)))
		if err != nil {
			return nil, fmt.Errorf("unable to bind REST listener %s: %w", spec, err)
		}
		b := Bound{Listener: ln, Spec: spec, Protocol: l.Protocol, Host: l.Host, Admin: admin}
		if addr, ok := ln.Addr().(*net.TCPAddr); ok {
			b.Port = addr.Port
		}
		if l.Protocol == "https" {
			b.TLS = tc
			b.Listener = tls.NewListener(ln, tc)
		}
		out = append(out, b)
	}
	return out, nil
}

// AdvertisedURL is RestServer.advertisedUrl for the bound regular
// listeners: the protocol is rest.advertised.listener, else the first of
// "http://" / "https://" found in the listeners value (http when absent);
// the host is rest.advertised.host.name, else the listener's host, else this
// machine's address; the port is rest.advertised.port, else the bound port
// of the first listener of that protocol. worker_id is its Host.
func AdvertisedURL(cfg *workerconfig.Config, bound []Bound) *url.URL {
	proto := strings.ToLower(cfg.RestAdvertisedListener)
	if proto == "" {
		proto = "http"
		if raw, ok := cfg.Originals()[workerconfig.Listeners]; ok {
			raw = strings.ToLower(raw)
			if !strings.Contains(raw, "http://") && strings.Contains(raw, "https://") {
				proto = "https"
			}
		}
	}
	var chosen *Bound
	for i := range bound {
		if bound[i].Protocol == proto {
			chosen = &bound[i]
			break
		}
	}
	if chosen == nil && len(bound) > 0 {
		chosen = &bound[0] // Jetty's Server.getURI uses the first connector
	}
	host, port := "", 0
	if chosen != nil {
		host, port = chosen.Host, chosen.Port
	}
	if cfg.RestAdvertisedHostName != "" {
		host = cfg.RestAdvertisedHostName
	} else if host == "" {
		host = localAddress()
	}
	if cfg.RestAdvertisedPort != 0 {
		port = cfg.RestAdvertisedPort
	}
	return &url.URL{Scheme: proto, Host: net.JoinHostPort(host, strconv.Itoa(port)), Path: "/"}
}

// localAddress is InetAddress.getLocalHost().getHostAddress(): the first
// address the host name resolves to, the loopback address as a last resort.
func localAddress() string {
	if name, err := os.Hostname(); err == nil {
		if ips, err := net.LookupIP(name); err == nil {
			for _, ip := range ips {
				if ip.To4() != nil {
					return ip.String()
				}
			}
			if len(ips) > 0 {
				return ips[0].String()
			}
		}
	}
	return "127.0.0.1"
}
