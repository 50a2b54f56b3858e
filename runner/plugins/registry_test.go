package plugins

import (
	"strings"
	"testing"
)

func testRegistry() *Registry {
	mk := func(class string, k Kind) Plugin {
		return Plugin{Class: class, Kind: k, Version: "1", New: func() any { return class }}
	}
	return New([]Plugin{
		mk("org.apache.kafka.connect.file.FileStreamSourceConnector", KindSource),
		mk("org.apache.kafka.connect.file.FileStreamSinkConnector", KindSink),
		mk("org.apache.kafka.connect.json.JsonConverter", KindConverter),
		mk("org.apache.kafka.connect.json.JsonConverter", KindHeaderConverter),
		mk("org.apache.kafka.connect.storage.SimpleHeaderConverter", KindHeaderConverter),
		mk("org.apache.kafka.connect.transforms.InsertField$Key", KindTransformation),
		mk("org.apache.kafka.connect.transforms.InsertField$Value", KindTransformation),
		mk("org.apache.kafka.connect.transforms.ReplaceField$Key", KindTransformation),
		mk("org.apache.kafka.connect.transforms.ReplaceField$Value", KindTransformation),
		mk("org.apache.kafka.connect.transforms.Filter", KindTransformation),
	})
}

func TestLookupAliases(t *testing.T) {
	r := testRegistry()
	tests := []struct {
		kind  Kind
		name  string
		class string // "" = not found
	}{
		{KindConverter, "org.apache.kafka.connect.json.JsonConverter", "org.apache.kafka.connect.json.JsonConverter"},
		{KindConverter, "JsonConverter", "org.apache.kafka.connect.json.JsonConverter"},
		{KindConverter, "Json", "org.apache.kafka.connect.json.JsonConverter"},
		{KindHeaderConverter, "Json", "org.apache.kafka.connect.json.JsonConverter"},
		{KindHeaderConverter, "Simple", "org.apache.kafka.connect.storage.SimpleHeaderConverter"},
		{KindHeaderConverter, "SimpleHeaderConverter", "org.apache.kafka.connect.storage.SimpleHeaderConverter"},
		{KindConverter, "SimpleHeaderConverter", ""}, // not a Converter
		{KindTransformation, "Filter", "org.apache.kafka.connect.transforms.Filter"},
		{KindTransformation, "org.apache.kafka.connect.transforms.InsertField$Value", "org.apache.kafka.connect.transforms.InsertField$Value"},
		// "Value" and "Key" are claimed by several nested classes: no alias.
		{KindTransformation, "Value", ""},
		{KindTransformation, "Key", ""},
		{KindConverter, "json", ""}, // aliases are case-sensitive
	}
	for _, tt := range tests {
		p, ok := r.Lookup(tt.kind, tt.name)
		got := ""
		if ok {
			got = p.Class
		}
		if got != tt.class {
			t.Errorf("Lookup(%v, %q) = %q, want %q", tt.kind, tt.name, got, tt.class)
		}
	}
}

func TestConnectorResolution(t *testing.T) {
	r := testRegistry()
	for _, name := range []string{
		"FileStreamSource", "FileStreamSourceConnector", "org.apache.kafka.connect.file.FileStreamSourceConnector",
	} {
		p, err := r.Connector(name)
		if err != nil || p.Class != "org.apache.kafka.connect.file.FileStreamSourceConnector" || p.Kind != KindSource {
			t.Errorf("Connector(%q) = %v, %v", name, p, err)
		}
	}
	p, err := r.Connector("FileStreamSink")
	if err != nil || p.Kind != KindSink {
		t.Errorf("Connector(FileStreamSink) = %v, %v", p, err)
	}
	_, err = r.Connector("NoSuchConnector")
	if err == nil {
		t.Fatal("unknown connector resolved")
	}
	msg := err.Error()
	for _, want := range []string{
		"Failed to find any class that implements Connector and which name matches NoSuchConnector, available connectors are: ",
		"PluginDesc{klass=class org.apache.kafka.connect.file.FileStreamSinkConnector, name='org.apache.kafka.connect.file.FileStreamSinkConnector', version='1', encodedVersion=1, type=sink, typeName='sink', location='classpath'}",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
}

func TestBuiltinsHaveUniqueClassesPerKind(t *testing.T) {
	r := New(Builtins()) // panics on a duplicate
	if _, err := r.Connector("FileStreamSource"); err != nil {
		t.Fatal(err)
	}
	for _, alias := range []string{"StringConverter", "String", "JsonConverter", "ByteArrayConverter"} {
		if _, ok := r.Lookup(KindConverter, alias); !ok {
			t.Errorf("converter alias %s missing", alias)
		}
	}
}
