package workerconfig

import (
	"fmt"
	"maps"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/runner/providers"
)

// Config is a parsed standalone worker configuration.
type Config struct {
	BootstrapServers []string
	ClientDNSLookup  string

	// Converter class names (FQCN or alias, as given); resolving them is the
	// plugin registry's job. Their sub-configs: SubConfig("key.converter.").
	KeyConverter    string
	ValueConverter  string
	HeaderConverter string

	OffsetStorageFile           string
	OffsetFlushInterval         time.Duration
	OffsetFlushTimeout          time.Duration
	TaskShutdownGracefulTimeout time.Duration

	// PluginPath is the raw (unresolved) value, as Kafka uses it; nil when
	// unset. PluginPathResolved is the value after variable resolution: when
	// they differ Kafka warns, and so should the caller.
	PluginPath         []string
	PluginPathResolved []string
	PluginDiscovery    string

	ConfigProviders                     []string
	ConnectorClientConfigOverridePolicy string
	TopicCreationEnable                 bool
	TopicTrackingEnable                 bool
	TopicTrackingAllowReset             bool

	MetricsSampleWindow   time.Duration
	MetricsNumSamples     int
	MetricsRecordingLevel string
	MetricReporters       []string

	ConnectorsDir string // "" when unset

	Listeners              []string
	RestAdvertisedHostName string // "" when unset
	RestAdvertisedPort     int    // 0 when unset
	RestAdvertisedListener string // "" when unset
	// AdminListeners: nil = admin endpoints on the regular listeners,
	// empty non-nil = admin endpoints disabled, else separate listeners.
	AdminListeners            []string
	AccessControlAllowOrigin  string
	AccessControlAllowMethods string
	ResponseHTTPHeadersConfig string
	RestExtensionClasses      []string
	SSLClientAuth             string

	// Values are the typed values of every defined key (resolved).
	Values *configdef.Values
	// ResolvedKeys are the keys whose value came from a config provider.
	ResolvedKeys map[string]bool

	originals    map[string]string // resolved
	rawOriginals map[string]string // as read from the file
}

// Parse resolves config-provider variables using the providers declared in
// props (as AbstractConfig does), then parses and validates every worker
// key. Unknown keys are allowed and kept in Originals. Validation problems
// come back as *configdef.Errors with Kafka's messages; provider problems
// as the provider's error.
func Parse(props map[string]string, opts ...providers.Option) (*Config, error) {
	resolved, resolvedKeys, err := providers.ResolveWorkerConfig(props, opts...)
	if err != nil {
		return nil, err
	}
	v, err := def.Parse(resolved)
	if err != nil {
		return nil, err
	}
	c := &Config{
		BootstrapServers:                    v.List(BootstrapServers),
		ClientDNSLookup:                     v.String(ClientDNSLookup),
		KeyConverter:                        v.Class(KeyConverter),
		ValueConverter:                      v.Class(ValueConverter),
		HeaderConverter:                     v.Class(HeaderConverter),
		OffsetStorageFile:                   v.String(OffsetStorageFileFilename),
		OffsetFlushInterval:                 ms(v.Long(OffsetFlushIntervalMs)),
		OffsetFlushTimeout:                  ms(v.Long(OffsetFlushTimeoutMs)),
		TaskShutdownGracefulTimeout:         ms(v.Long(TaskShutdownGracefulTimeoutMs)),
		PluginPathResolved:                  v.List(PluginPath),
		PluginDiscovery:                     v.String(PluginDiscovery),
		ConfigProviders:                     v.List(ConfigProviders),
		ConnectorClientConfigOverridePolicy: v.String(ConnectorClientConfigOverridePolicy),
		TopicCreationEnable:                 v.Bool(TopicCreationEnable),
		TopicTrackingEnable:                 v.Bool(TopicTrackingEnable),
		TopicTrackingAllowReset:             v.Bool(TopicTrackingAllowReset),
		MetricsSampleWindow:                 ms(v.Long(MetricsSampleWindowMs)),
		MetricsNumSamples:                   int(v.Int(MetricsNumSamples)),
		MetricsRecordingLevel:               v.String(MetricsRecordingLevel),
		MetricReporters:                     v.List(MetricReporters),
		ConnectorsDir:                       v.String(ConnectorsDir),
		Listeners:                           v.List(Listeners),
		RestAdvertisedHostName:              v.String(RestAdvertisedHostName),
		RestAdvertisedPort:                  int(v.Int(RestAdvertisedPort)),
		RestAdvertisedListener:              v.String(RestAdvertisedListener),
		AdminListeners:                      v.List(AdminListeners),
		AccessControlAllowOrigin:            v.String(AccessControlAllowOrigin),
		AccessControlAllowMethods:           v.String(AccessControlAllowMethods),
		ResponseHTTPHeadersConfig:           v.String(ResponseHTTPHeadersConfig),
		RestExtensionClasses:                v.List(RestExtensionClasses),
		SSLClientAuth:                       v.String(SSLClientAuth),
		Values:                              v,
		ResolvedKeys:                        resolvedKeys,
		originals:                           resolved,
		rawOriginals:                        maps.Clone(props),
	}
	if raw, ok := props[PluginPath]; ok {
		c.PluginPath = configdef.SplitList(raw)
	}
	return c, nil
}

func ms(n int64) time.Duration { return time.Duration(n) * time.Millisecond }

// Originals returns every worker property after variable resolution.
func (c *Config) Originals() map[string]string { return maps.Clone(c.originals) }

// RawOriginals returns the worker properties as read, variables unresolved.
func (c *Config) RawOriginals() map[string]string { return maps.Clone(c.rawOriginals) }

// SubConfig returns the resolved originals starting with prefix, prefix
// stripped (AbstractConfig.originalsWithPrefix), e.g. "key.converter." or
// "producer.".
func (c *Config) SubConfig(prefix string) map[string]string {
	out := map[string]string{}
	for k, v := range c.originals {
		if rest, ok := strings.CutPrefix(k, prefix); ok {
			out[rest] = v
		}
	}
	return out
}

// PluginPathWarning returns Kafka's warning text when variables in
// plugin.path would have changed it, "" otherwise.
func (c *Config) PluginPathWarning() string {
	raw, rawOK := c.rawOriginals[PluginPath]
	res := c.originals[PluginPath]
	if !rawOK || raw == res {
		return ""
	}
	return fmt.Sprintf("Variables cannot be used in the 'plugin.path' property, since the property is used by plugin scanning before the config providers that replace the variables are initialized. The raw value '%s' was used for plugin scanning, as opposed to the transformed value '%s', and this may cause unexpected results.", raw, res)
}

// LogValues logs every defined key with its value at INFO, passwords
// hidden (AbstractConfig.logAll: "<Class> values: ...").
func (c *Config) LogValues(log zerolog.Logger) {
	var b strings.Builder
	b.WriteString("StandaloneConfig values: \n")
	names := def.Names()
	sort.Strings(names)
	for _, n := range names {
		k, _ := def.Key(n)
		s, ok := configdef.ConvertToString(c.Values.Get(n), k.Type)
		if !ok {
			s = "null"
		} else if k.Type == configdef.TypeList {
			s = configdef.JavaString(c.Values.Get(n))
		}
		fmt.Fprintf(&b, "\t%s = %s\n", n, s)
	}
	log.Info().Msg(b.String())
}

// Listener is one parsed entry of listeners / admin.listeners.
type Listener struct {
	Protocol string // "http" or "https", lower-cased
	Host     string // "" = all interfaces
	Port     int    // 0 = ephemeral
}

var listenerPattern = regexp.MustCompile(`^(.*)://\[?([0-9a-zA-Z\-%._:]*)\]?:(-?[0-9]+)`)

// ParseListener parses protocol://host:port as RestServer does, with its messages.
func ParseListener(s string) (Listener, error) {
	m := listenerPattern.FindStringSubmatch(s)
	if m == nil {
		return Listener{}, fmt.Errorf("Listener doesn't have the right format (protocol://hostname:port).")
	}
	proto := strings.ToLower(m[1])
	if proto != "http" && proto != "https" {
		return Listener{}, fmt.Errorf(`Listener protocol must be either "http" or "https".`)
	}
	port, err := strconv.Atoi(m[3])
	if err != nil {
		return Listener{}, fmt.Errorf("Listener doesn't have the right format (protocol://hostname:port).")
	}
	return Listener{Protocol: proto, Host: m[2], Port: port}, nil
}
