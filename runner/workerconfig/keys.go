// Package workerconfig defines the standalone worker's configuration keys
// (WorkerConfig, StandaloneConfig and RestServerConfig in Kafka) with
// Kafka's defaults, validators and messages, and parses a worker file into
// a typed Config after resolving config-provider variables.
package workerconfig

import (
	"strings"

	"github.com/connect-go/connect-standalone/connectors/configdef"
)

// Worker configuration keys.
const (
	BootstrapServers                    = "bootstrap.servers"
	ClientDNSLookup                     = "client.dns.lookup"
	KeyConverter                        = "key.converter"
	ValueConverter                      = "value.converter"
	HeaderConverter                     = "header.converter"
	OffsetStorageFileFilename           = "offset.storage.file.filename"
	OffsetFlushIntervalMs               = "offset.flush.interval.ms"
	OffsetFlushTimeoutMs                = "offset.flush.timeout.ms"
	TaskShutdownGracefulTimeoutMs       = "task.shutdown.graceful.timeout.ms"
	PluginPath                          = "plugin.path"
	PluginDiscovery                     = "plugin.discovery"
	ConfigProviders                     = "config.providers"
	ConnectorClientConfigOverridePolicy = "connector.client.config.override.policy"
	TopicCreationEnable                 = "topic.creation.enable"
	TopicTrackingEnable                 = "topic.tracking.enable"
	TopicTrackingAllowReset             = "topic.tracking.allow.reset"
	MetricsSampleWindowMs               = "metrics.sample.window.ms"
	MetricsNumSamples                   = "metrics.num.samples"
	MetricsRecordingLevel               = "metrics.recording.level"
	MetricReporters                     = "metric.reporters"
	// ConnectorsDir is our extension: a directory of connector files applied
	// live and written through by REST changes (docs/live-config.md).
	ConnectorsDir = "connectors.dir"

	Listeners                 = "listeners"
	RestAdvertisedHostName    = "rest.advertised.host.name"
	RestAdvertisedPort        = "rest.advertised.port"
	RestAdvertisedListener    = "rest.advertised.listener"
	AdminListeners            = "admin.listeners"
	AccessControlAllowOrigin  = "access.control.allow.origin"
	AccessControlAllowMethods = "access.control.allow.methods"
	ResponseHTTPHeadersConfig = "response.http.headers.config"
	RestExtensionClasses      = "rest.extension.classes"
	SSLClientAuth             = "ssl.client.auth"
)

// DefaultHeaderConverter is header.converter's default.
const DefaultHeaderConverter = "org.apache.kafka.connect.storage.SimpleHeaderConverter"

const (
	groupCommon = "" // WorkerConfig keys carry no group
	listenersEx = "List of comma-separated URLs, ex: http://localhost:8080,https://localhost:8443."
)

// def is built once; Def returns it.
var def = buildDef()

// Def returns the standalone worker ConfigDef. Do not modify it; Clone first.
func Def() *configdef.Def { return def }

func buildDef() *configdef.Def {
	d := configdef.New()
	k := func(name string, t configdef.Type, dflt any, v configdef.Validator, imp configdef.Importance, doc string) {
		d.Define(configdef.Key{Name: name, Type: t, Default: dflt, Validator: v, Importance: imp, Doc: doc, Group: groupCommon})
	}
	// WorkerConfig.baseConfigDef
	k(BootstrapServers, configdef.TypeList, "localhost:9092", configdef.NonNull(), configdef.High,
		"Kafka brokers (host:port list) used for the initial connection; also given to connector clients.")
	k(ClientDNSLookup, configdef.TypeString, "use_all_dns_ips",
		configdef.In("use_all_dns_ips", "resolve_canonical_bootstrap_servers_only"), configdef.Medium,
		"How clients use DNS lookups.")
	k(KeyConverter, configdef.TypeClass, configdef.NoDefault, nil, configdef.High,
		"Converter class for record keys, used when a connector does not set its own.")
	k(ValueConverter, configdef.TypeClass, configdef.NoDefault, nil, configdef.High,
		"Converter class for record values, used when a connector does not set its own.")
	k(HeaderConverter, configdef.TypeClass, DefaultHeaderConverter, nil, configdef.Low,
		"HeaderConverter class for record headers, used when a connector does not set its own.")
	k(TaskShutdownGracefulTimeoutMs, configdef.TypeLong, int64(5000), nil, configdef.Low,
		"Total time to wait for tasks to stop gracefully before they are cancelled.")
	k(OffsetFlushIntervalMs, configdef.TypeLong, int64(60000), nil, configdef.Low,
		"Interval at which to commit task offsets.")
	k(OffsetFlushTimeoutMs, configdef.TypeLong, int64(5000), nil, configdef.Low,
		"Maximum time to wait for records to be flushed and offsets committed before cancelling the attempt.")
	k(PluginPath, configdef.TypeList, nil, nil, configdef.Low,
		"Directories and archives to scan for plugins.")
	k(PluginDiscovery, configdef.TypeString, "hybrid_warn",
		configdef.CaseInsensitiveIn("only_scan", "hybrid_warn", "hybrid_fail", "service_load"), configdef.Low,
		"Method used to discover plugins.")
	k(MetricsSampleWindowMs, configdef.TypeLong, int64(30000), configdef.AtLeast(0), configdef.Low,
		"Window of time a metrics sample is computed over.")
	k(MetricsNumSamples, configdef.TypeInt, int32(2), configdef.AtLeast(1), configdef.Low,
		"Number of samples maintained to compute metrics.")
	k(MetricsRecordingLevel, configdef.TypeString, "INFO", configdef.In("INFO", "DEBUG"), configdef.Low,
		"Highest recording level for metrics.")
	k(MetricReporters, configdef.TypeList, "org.apache.kafka.common.metrics.JmxReporter", nil, configdef.Low,
		"Classes used as metrics reporters.")
	k(ConfigProviders, configdef.TypeList, []string{}, nil, configdef.Low,
		"Names of ConfigProvider instances, configured with config.providers.<name>.class and .param.*")
	k(ConnectorClientConfigOverridePolicy, configdef.TypeString, "All", nil, configdef.Medium,
		"Policy (class name or alias All, None, Principal) for connector overrides of client configs.")
	k(TopicCreationEnable, configdef.TypeBoolean, true, nil, configdef.Low,
		"Whether source connectors may create their topics (topic.creation.* connector keys).")
	k(TopicTrackingEnable, configdef.TypeBoolean, true, nil, configdef.Low,
		"Whether the worker tracks the topics each connector uses.")
	k(TopicTrackingAllowReset, configdef.TypeBoolean, true, nil, configdef.Low,
		"Whether active topics of a connector may be reset through the REST API.")
	// StandaloneConfig
	k(OffsetStorageFileFilename, configdef.TypeString, configdef.NoDefault, nil, configdef.High,
		"File in which source connector offsets are stored.")
	// Our extension (not in Kafka).
	k(ConnectorsDir, configdef.TypeString, "", nil, configdef.Medium,
		"Directory in which every *.properties or *.json file defines one connector. Files added, changed or removed are applied while the worker runs, and connectors created, reconfigured, deleted, paused, resumed or stopped through the REST API are written back to it, so they survive a restart. Empty (the default) disables it.")
	// RestServerConfig (public and internal keys)
	k(Listeners, configdef.TypeList, "http://:8083", listenersValidator{}, configdef.Low,
		"REST listeners as protocol://host:port (http or https).")
	k(RestAdvertisedHostName, configdef.TypeString, nil, nil, configdef.Low,
		"Host name advertised to other workers and used in the worker id.")
	k(RestAdvertisedPort, configdef.TypeInt, nil, nil, configdef.Low,
		"Port advertised to other workers and used in the worker id.")
	k(RestAdvertisedListener, configdef.TypeString, nil, nil, configdef.Low,
		"Listener protocol (http or https) to advertise.")
	k(AccessControlAllowOrigin, configdef.TypeString, "", nil, configdef.Low,
		"Value of Access-Control-Allow-Origin for REST responses; empty disables CORS.")
	k(AccessControlAllowMethods, configdef.TypeString, "", nil, configdef.Low,
		"Methods allowed for cross-origin requests.")
	k(AdminListeners, configdef.TypeList, nil, adminListenersValidator{}, configdef.Low,
		"Listeners for the admin REST endpoints; unset = the regular listeners, empty = disabled.")
	k(ResponseHTTPHeadersConfig, configdef.TypeString, "", headersValidator{}, configdef.Low,
		"Rules for REST response headers.")
	k(RestExtensionClasses, configdef.TypeList, "", nil, configdef.Low,
		"ConnectRestExtension classes to load.")
	k(SSLClientAuth, configdef.TypeString, "none", configdef.In("required", "requested", "none"), configdef.Low,
		"Client authentication for HTTPS listeners.")
	addClientSSL(d)
	return d
}

// addClientSSL is ConfigDef.withClientSslSupport: typed so that passwords
// print as [hidden]; values are passed on to clients and the HTTPS listener.
func addClientSSL(d *configdef.Def) {
	type sk struct {
		name string
		t    configdef.Type
		dflt any
	}
	for _, s := range []sk{
		{"ssl.protocol", configdef.TypeString, "TLSv1.3"},
		{"ssl.provider", configdef.TypeString, nil},
		{"ssl.cipher.suites", configdef.TypeList, nil},
		{"ssl.enabled.protocols", configdef.TypeList, "TLSv1.2,TLSv1.3"},
		{"ssl.keystore.type", configdef.TypeString, "JKS"},
		{"ssl.keystore.location", configdef.TypeString, nil},
		{"ssl.keystore.password", configdef.TypePassword, nil},
		{"ssl.key.password", configdef.TypePassword, nil},
		{"ssl.keystore.key", configdef.TypePassword, nil},
		{"ssl.keystore.certificate.chain", configdef.TypePassword, nil},
		{"ssl.truststore.certificates", configdef.TypePassword, nil},
		{"ssl.truststore.type", configdef.TypeString, "JKS"},
		{"ssl.truststore.location", configdef.TypeString, nil},
		{"ssl.truststore.password", configdef.TypePassword, nil},
		{"ssl.keymanager.algorithm", configdef.TypeString, "SunX509"},
		{"ssl.trustmanager.algorithm", configdef.TypeString, "PKIX"},
		{"ssl.endpoint.identification.algorithm", configdef.TypeString, "https"},
		{"ssl.secure.random.implementation", configdef.TypeString, nil},
		{"ssl.engine.factory.class", configdef.TypeClass, nil},
	} {
		d.Define(configdef.Key{Name: s.name, Type: s.t, Default: s.dflt, Importance: configdef.Medium, Doc: "TLS client setting (" + s.name + ")."})
	}
}

// listenersValidator is RestServerConfig.ListenersValidator; its messages
// are whole ConfigException texts, not "Invalid value ..." ones.
type listenersValidator struct{}

func (listenersValidator) Validate(name string, value any) error {
	items, ok := value.([]string)
	if !ok {
		return &configdef.ConfigError{Name: name, Msg: "Invalid value type for listeners (expected list of URLs , ex: http://localhost:8080,https://localhost:8443)."}
	}
	if len(items) == 0 {
		return &configdef.ConfigError{Name: name, Msg: "Invalid value for listeners, at least one URL is expected, ex: http://localhost:8080,https://localhost:8443."}
	}
	for _, it := range items {
		if strings.TrimSpace(it) == "" {
			return &configdef.ConfigError{Name: name, Msg: "Empty URL found when parsing listeners list."}
		}
	}
	return nil
}

func (listenersValidator) String() string { return listenersEx }

// adminListenersValidator is RestServerConfig.AdminListenersValidator: null
// and empty are both fine (they mean different things).
type adminListenersValidator struct{}

func (adminListenersValidator) Validate(name string, value any) error {
	if value == nil {
		return nil
	}
	for _, it := range value.([]string) {
		if strings.TrimSpace(it) == "" {
			return &configdef.ConfigError{Name: name, Msg: "Empty URL found when parsing admin.listeners list."}
		}
	}
	return nil
}

func (adminListenersValidator) String() string { return listenersEx }
