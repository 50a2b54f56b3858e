package rest

import (
	"slices"
	"strings"
	"testing"
)

// Transformations and predicates come from the same registry and config
// definitions as connector validation: their config is listed, and a
// connector config with a chain validates each alias's keys.
func TestTransformPluginsAndValidation(t *testing.T) {
	e := newEnv(t, envOpts{})
	var keys []configKeyInfo
	e.expect("GET", "/connector-plugins/org.apache.kafka.connect.transforms.InsertField$Value/config", "", 200, "").json(t, &keys)
	var names []string
	for _, k := range keys {
		names = append(names, k.Name)
	}
	if !slices.Equal(names, []string{"topic.field", "partition.field", "offset.field", "timestamp.field", "static.field", "static.value", "replace.null.with.default"}) {
		t.Fatalf("InsertField$Value config keys %v", names)
	}
	e.expect("GET", "/connector-plugins/TopicNameMatches/config", "", 200, "").json(t, &keys)
	if len(keys) != 1 || keys[0].Name != "pattern" {
		t.Fatalf("TopicNameMatches config keys %+v", keys)
	}

	body := `{"connector.class":"FileStreamSource","name":"x","topic":"t","file":"/tmp/in",` +
		`"transforms":"a,b","transforms.a.type":"org.apache.kafka.connect.transforms.InsertField",` +
		`"transforms.b.type":"org.apache.kafka.connect.transforms.HoistField$Value","transforms.b.predicate":"p",` +
		`"predicates":"p","predicates.p.type":"HasHeaderKey"}`
	var ci configInfos
	e.expect("PUT", "/connector-plugins/FileStreamSource/config/validate", body, 200, "").json(t, &ci)
	errs := map[string][]string{}
	var defs []string
	for _, c := range ci.Configs {
		if c.Definition != nil {
			defs = append(defs, c.Definition.Name)
		}
		if c.Value != nil && len(c.Value.Errors) > 0 {
			errs[c.Value.Name] = c.Value.Errors
		}
	}
	for _, want := range []string{"transforms.a.type", "transforms.b.type", "transforms.b.field", "transforms.b.predicate", "transforms.b.negate", "predicates.p.type", "predicates.p.name"} {
		if !slices.Contains(defs, want) {
			t.Errorf("no definition for %s in %v", want, defs)
		}
	}
	want := map[string]string{
		"transforms.a.type":  "Transformation is abstract and cannot be created. Did you mean org.apache.kafka.connect.transforms.InsertField$Key, org.apache.kafka.connect.transforms.InsertField$Value?",
		"transforms.b.field": `Missing required configuration "transforms.b.field" which has no default value.`,
		"predicates.p.name":  `Missing required configuration "predicates.p.name" which has no default value.`,
	}
	for key, msg := range want {
		if len(errs[key]) == 0 || !strings.Contains(errs[key][0], msg) {
			t.Errorf("%s errors = %q, want %q", key, errs[key], msg)
		}
	}
	if !slices.Contains(ci.Groups, "Transforms: b") || !slices.Contains(ci.Groups, "Predicates: p") {
		t.Errorf("groups %v", ci.Groups)
	}
	// Creating the connector fails with the same messages (400).
	e.expectError("POST", "/connectors", `{"name":"x","config":`+body+`}`, 400, "Transformation is abstract and cannot be created")
}
