// Package providers implements Kafka config providers and the variable
// substitution that uses them: ${provider:[path:]key} in worker and
// connector configurations (org.apache.kafka.common.config.ConfigTransformer
// and the built-in org.apache.kafka.common.config.provider classes).
package providers

import (
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"
)

// Provider is a ConfigProvider.
type Provider interface {
	// Configure receives the config.providers.<name>.param.* entries, prefix stripped.
	Configure(params map[string]string) error
	// Get returns the values of keys found at path; keys that do not exist
	// are simply absent (the variable then stays unresolved).
	Get(path string, keys []string) (map[string]string, error)
	Close() error
}

// TTLProvider is implemented by providers whose data expires (ConfigData.ttl).
// A negative TTL means none.
type TTLProvider interface {
	Provider
	GetWithTTL(path string, keys []string) (map[string]string, time.Duration, error)
}

// Loggable providers accept the logger for their warnings.
type Loggable interface {
	SetLogger(zerolog.Logger)
}

// Built-in class names.
const (
	FileProviderClass      = "org.apache.kafka.common.config.provider.FileConfigProvider"
	DirectoryProviderClass = "org.apache.kafka.common.config.provider.DirectoryConfigProvider"
	EnvVarProviderClass    = "org.apache.kafka.common.config.provider.EnvVarConfigProvider"
)

type registration struct {
	class   string
	factory func() Provider
}

var (
	regMu    sync.RWMutex
	registry = map[string]registration{} // FQCN and aliases → provider
)

// Register adds a provider class under its FQCN and aliases (Kafka's alias
// rules: simple class name and the name without the "ConfigProvider" suffix).
func Register(class string, factory func() Provider, aliases ...string) {
	regMu.Lock()
	defer regMu.Unlock()
	r := registration{class: class, factory: factory}
	registry[class] = r
	for _, a := range aliases {
		registry[a] = r
	}
}

func init() {
	Register(FileProviderClass, func() Provider { return &FileConfigProvider{} }, "FileConfigProvider", "File")
	Register(DirectoryProviderClass, func() Provider { return &DirectoryConfigProvider{} }, "DirectoryConfigProvider", "Directory")
	Register(EnvVarProviderClass, func() Provider { return &EnvVarConfigProvider{} }, "EnvVarConfigProvider", "EnvVar")
}

// New instantiates a provider by FQCN or alias.
func New(class string) (Provider, bool) {
	regMu.RLock()
	r, ok := registry[class]
	regMu.RUnlock()
	if !ok {
		return nil, false
	}
	return r.factory(), true
}

// Classes returns the registered FQCNs, sorted.
func Classes() []string {
	regMu.RLock()
	defer regMu.RUnlock()
	seen := map[string]bool{}
	var out []string
	for _, r := range registry {
		if !seen[r.class] {
			seen[r.class] = true
			out = append(out, r.class)
		}
	}
	sort.Strings(out)
	return out
}

const configProvidersKey = "config.providers"

// ConfigError is a Kafka ConfigException; Error() is its message.
type ConfigError struct{ Msg string }

func (e *ConfigError) Error() string { return e.Msg }

// instantiate builds and configures the named providers, reading
// config.providers.<n>.class and config.providers.<n>.param.* from props.
// Names without a .class key are skipped, as in Kafka.
func instantiate(names []string, props map[string]string, log zerolog.Logger) (map[string]Provider, error) {
	out := map[string]Provider{}
	for _, name := range names {
		classKey := configProvidersKey + "." + name + ".class"
		class, ok := props[classKey]
		if !ok {
			continue
		}
		p, ok := New(class)
		if !ok {
			closeAll(out)
			return nil, &ConfigError{Msg: "Invalid value " + class + " for configuration " + classKey +
				": Could not load config provider class or one of its dependencies"}
		}
		if l, ok := p.(Loggable); ok {
			l.SetLogger(log.With().Str("config_provider", name).Logger())
		}
		prefix := configProvidersKey + "." + name + ".param."
		params := map[string]string{}
		for k, v := range props {
			if rest, ok := strings.CutPrefix(k, prefix); ok {
				params[rest] = v
			}
		}
		if err := p.Configure(params); err != nil {
			closeAll(out)
			return nil, err
		}
		out[name] = p
	}
	return out, nil
}

func closeAll(ps map[string]Provider) {
	for _, p := range ps {
		p.Close()
	}
}

// Option configures FromWorkerConfig and ResolveWorkerConfig.
type Option func(*options)

type options struct{ log zerolog.Logger }

// WithLogger sets the logger for provider warnings (default: discard).
func WithLogger(l zerolog.Logger) Option { return func(o *options) { o.log = l } }

func buildOptions(opts []Option) options {
	o := options{log: zerolog.Nop()}
	for _, f := range opts {
		f(&o)
	}
	return o
}

// FromWorkerConfig builds the transformer used for connector configurations
// (Worker.initConfigTransformer): provider names from the config.providers
// LIST (trimmed, comma-separated), classes by FQCN or alias. props are the
// worker's (already resolved) originals. Close the transformer when done.
func FromWorkerConfig(props map[string]string, opts ...Option) (*Transformer, error) {
	o := buildOptions(opts)
	var names []string
	for _, n := range splitList(props[configProvidersKey]) {
		if n != "" {
			names = append(names, n)
		}
	}
	ps, err := instantiate(names, props, o.log)
	if err != nil {
		return nil, err
	}
	return NewTransformer(ps), nil
}

// ResolveWorkerConfig resolves variables in a worker file the way
// AbstractConfig.resolveConfigVariables does: providers are declared in the
// same props, config.providers is split on "," without trimming, and
// providers are closed afterwards. It returns the resolved map and the keys
// whose values came (partly) from a provider.
//
// Unlike Kafka, which only takes FQCNs here (Utils.newInstance), aliases are
// accepted too, and there is no org.apache.kafka.automatic.config.providers
// system property to restrict classes.
func ResolveWorkerConfig(props map[string]string, opts ...Option) (map[string]string, map[string]bool, error) {
	o := buildOptions(opts)
	raw := props[configProvidersKey]
	if raw == "" {
		return cloneMap(props), map[string]bool{}, nil
	}
	ps, err := instantiate(javaSplitComma(raw), props, o.log)
	if err != nil {
		return nil, nil, err
	}
	t := NewTransformer(ps)
	defer t.Close()
	res, err := t.TransformResult(props)
	if err != nil {
		return nil, nil, err
	}
	return res.Data, res.Resolved, nil
}

// javaSplitComma is String.split(","): trailing empty strings removed.
func javaSplitComma(s string) []string {
	parts := strings.Split(s, ",")
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}

// splitList is ConfigDef's LIST parsing (trim, split on \s*,\s*).
func splitList(s string) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

func cloneMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
