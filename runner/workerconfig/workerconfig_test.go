package workerconfig

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/connect-go/connect-standalone/connectors/configdef"
)

var update = flag.Bool("update", false, "rewrite golden files")

func checkGolden(t *testing.T, path string, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s mismatch:\n%s", path, got)
	}
}

// DescribeDef renders a Def the way the docs table does (name, type,
// default, valid values, importance), for golden comparisons.
func describeDef(d *configdef.Def) string {
	var b strings.Builder
	for _, k := range d.Keys() {
		dflt := "<required>"
		if k.HasDefault() {
			s, ok := configdef.ConvertToString(k.Default, k.Type)
			switch {
			case !ok:
				dflt = "null"
			case s == "":
				dflt = `""`
			default:
				dflt = s
			}
		}
		valid := ""
		if k.Validator != nil {
			valid = k.Validator.String()
		}
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%s\n", k.Name, k.Type, dflt, valid, k.Importance)
	}
	return b.String()
}

func TestDefGolden(t *testing.T) {
	checkGolden(t, "testdata/worker_keys.golden", describeDef(Def()))
}

func base() map[string]string {
	return map[string]string{
		"key.converter":                "org.apache.kafka.connect.json.JsonConverter",
		"value.converter":              "JsonConverter",
		"offset.storage.file.filename": "/tmp/connect.offsets",
	}
}

func TestParseDefaults(t *testing.T) {
	c, err := Parse(base())
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"bootstrap", c.BootstrapServers, []string{"localhost:9092"}},
		{"header converter", c.HeaderConverter, DefaultHeaderConverter},
		{"flush interval", c.OffsetFlushInterval, time.Minute},
		{"flush timeout", c.OffsetFlushTimeout, 5 * time.Second},
		{"graceful", c.TaskShutdownGracefulTimeout, 5 * time.Second},
		{"listeners", c.Listeners, []string{"http://:8083"}},
		{"admin listeners unset", c.AdminListeners == nil, true},
		{"plugin path unset", c.PluginPath == nil, true},
		{"policy", c.ConnectorClientConfigOverridePolicy, "All"},
		{"topic creation", c.TopicCreationEnable, true},
		{"discovery", c.PluginDiscovery, "hybrid_warn"},
		{"providers", c.ConfigProviders, []string{}},
		{"adv port", c.RestAdvertisedPort, 0},
		{"metrics samples", c.MetricsNumSamples, 2},
	}
	for _, ch := range checks {
		if !reflect.DeepEqual(ch.got, ch.want) {
			t.Errorf("%s = %#v, want %#v", ch.name, ch.got, ch.want)
		}
	}
}

func TestParseValues(t *testing.T) {
	p := base()
	for k, v := range map[string]string{
		"bootstrap.servers":            " a:1 , b:2 ",
		"offset.flush.interval.ms":     "10000",
		"key.converter.schemas.enable": "false",
		"admin.listeners":              "",
		"plugin.path":                  "/opt/a, /opt/b",
		"rest.advertised.port":         "9000",
		"listeners":                    "http://localhost:8083",
		"response.http.headers.config": `set X-Frame-Options:DENY,"add Cache-Control: no-cache, no-store"`,
		"ssl.truststore.password":      "secret",
		"unknown.key":                  "kept",
		"consumer.max.poll.records":    "10",
		"topic.tracking.allow.reset":   "FALSE",
		"plugin.discovery":             "ONLY_SCAN",
	} {
		p[k] = v
	}
	c, err := Parse(p)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.BootstrapServers, []string{"a:1", "b:2"}) || c.OffsetFlushInterval != 10*time.Second ||
		c.AdminListeners == nil || len(c.AdminListeners) != 0 || !reflect.DeepEqual(c.PluginPath, []string{"/opt/a", "/opt/b"}) ||
		c.RestAdvertisedPort != 9000 || c.TopicTrackingAllowReset || c.PluginDiscovery != "ONLY_SCAN" {
		t.Errorf("parsed %+v", c)
	}
	if got := c.SubConfig("key.converter."); !reflect.DeepEqual(got, map[string]string{"schemas.enable": "false"}) {
		t.Errorf("SubConfig = %v", got)
	}
	if c.Originals()["unknown.key"] != "kept" || c.SubConfig("consumer.")["max.poll.records"] != "10" {
		t.Error("originals lost")
	}
	if pw, ok := c.Values.Password("ssl.truststore.password"); !ok || pw.Value() != "secret" || fmt.Sprint(pw) != "[hidden]" {
		t.Error("password")
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		set  map[string]string
		drop []string
		want []string
	}{
		{"empty worker file", nil, []string{"key.converter", "value.converter", "offset.storage.file.filename"}, []string{
			`Missing required configuration "key.converter" which has no default value.`,
			`Missing required configuration "value.converter" which has no default value.`,
			`Missing required configuration "offset.storage.file.filename" which has no default value.`,
		}},
		{"bad long", map[string]string{"offset.flush.interval.ms": "1m"}, nil, []string{"Invalid value 1m for configuration offset.flush.interval.ms: Not a number of type LONG"}},
		{"bad bool", map[string]string{"topic.creation.enable": "yes"}, nil, []string{"Invalid value yes for configuration topic.creation.enable: Expected value to be either true or false"}},
		{"listeners empty", map[string]string{"listeners": ""}, nil, []string{"Invalid value for listeners, at least one URL is expected, ex: http://localhost:8080,https://localhost:8443."}},
		{"listeners blank entry", map[string]string{"listeners": "http://:1,"}, nil, []string{"Empty URL found when parsing listeners list."}},
		{"admin blank entry", map[string]string{"admin.listeners": ",http://:1"}, nil, []string{"Empty URL found when parsing admin.listeners list."}},
		{"dns", map[string]string{"client.dns.lookup": "default"}, nil, []string{"Invalid value default for configuration client.dns.lookup: String must be one of: use_all_dns_ips, resolve_canonical_bootstrap_servers_only"}},
		{"discovery", map[string]string{"plugin.discovery": "x"}, nil, []string{"Invalid value x for configuration plugin.discovery: String must be one of (case insensitive): ONLY_SCAN, SERVICE_LOAD, HYBRID_WARN, HYBRID_FAIL"}},
		{"metrics samples", map[string]string{"metrics.num.samples": "0"}, nil, []string{"Invalid value 0 for configuration metrics.num.samples: Value must be at least 1"}},
		{"header rule", map[string]string{"response.http.headers.config": "put X:1"}, nil, []string{"Invalid header config action: 'put'. Expected one of [set, add, setDate, addDate]"}},
		{"header pair", map[string]string{"response.http.headers.config": "set X"}, nil, []string{"Invalid format of header name and header value pair 'X'. Expected: '[header name]:[header value]'"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := base()
			for _, k := range tt.drop {
				delete(p, k)
			}
			for k, v := range tt.set {
				p[k] = v
			}
			_, err := Parse(p)
			var errs *configdef.Errors
			if !errors.As(err, &errs) || !reflect.DeepEqual(errs.Messages(), tt.want) {
				t.Fatalf("err = %v\nwant %q", err, tt.want)
			}
		})
	}
}

func TestParseResolvesProviders(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "secrets.properties")
	if err := os.WriteFile(f, []byte("file=/var/offsets\npath=/opt/plugins\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p := base()
	p["config.providers"] = "file"
	p["config.providers.file.class"] = "org.apache.kafka.common.config.provider.FileConfigProvider"
	p["offset.storage.file.filename"] = "${file:" + f + ":file}"
	p["plugin.path"] = "${file:" + f + ":path}"
	c, err := Parse(p)
	if err != nil {
		t.Fatal(err)
	}
	if c.OffsetStorageFile != "/var/offsets" || !c.ResolvedKeys["offset.storage.file.filename"] {
		t.Errorf("offsets file = %q", c.OffsetStorageFile)
	}
	if !reflect.DeepEqual(c.PluginPath, []string{"${file:" + f + ":path}"}) || !reflect.DeepEqual(c.PluginPathResolved, []string{"/opt/plugins"}) || c.PluginPathWarning() == "" {
		t.Errorf("plugin.path raw %q resolved %q", c.PluginPath, c.PluginPathResolved)
	}
	if c.RawOriginals()["offset.storage.file.filename"] != p["offset.storage.file.filename"] {
		t.Error("raw originals")
	}
	p["config.providers.file.class"] = "com.example.Nope"
	if _, err := Parse(p); err == nil || err.Error() != "Invalid value com.example.Nope for configuration config.providers.file.class: Could not load config provider class or one of its dependencies" {
		t.Errorf("unknown provider: %v", err)
	}
}

func TestParseListener(t *testing.T) {
	tests := []struct {
		in   string
		want Listener
		err  string
	}{
		{"http://:8083", Listener{"http", "", 8083}, ""},
		{"HTTPS://[::1]:0", Listener{"https", "::1", 0}, ""},
		{"http://localhost", Listener{}, "Listener doesn't have the right format (protocol://hostname:port)."},
		{"ftp://h:1", Listener{}, `Listener protocol must be either "http" or "https".`},
	}
	for _, tt := range tests {
		got, err := ParseListener(tt.in)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("%s: err %v", tt.in, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s: %+v %v", tt.in, got, err)
		}
	}
}
