package transforms

import (
	"errors"
	"testing"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
)

// smtaApply applies tr to r and fails the test on error.
func smtaApply(t testing.TB, tr Transformation, r *connectors.Record) *connectors.Record {
	t.Helper()
	out, err := tr.Apply(r)
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	if out == nil {
		t.Fatal("apply returned no record")
	}
	return out
}

// smtaWantDataError asserts that err is a DataException whose own message
// (without any cause) is msg.
func smtaWantDataError(t testing.TB, err error, msg string) {
	t.Helper()
	var de *data.DataError
	if !errors.As(err, &de) {
		t.Fatalf("error %v (%T): want DataException %q", err, err, msg)
	}
	if de.Msg != msg {
		t.Fatalf("DataException message:\n got %q\nwant %q", de.Msg, msg)
	}
}

// smtaWantConfigError asserts that err is a ConfigException with message msg.
func smtaWantConfigError(t testing.TB, err error, msg string) {
	t.Helper()
	var ce *configdef.ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("error %v (%T): want ConfigException %q", err, err, msg)
	}
	if ce.Msg != msg {
		t.Fatalf("ConfigException message:\n got %q\nwant %q", ce.Msg, msg)
	}
}

// smtaField returns a struct field value (Struct.get) and fails on unknown names.
func smtaField(t testing.TB, v any, name string) any {
	t.Helper()
	s, ok := v.(*data.Struct)
	if !ok || s == nil {
		t.Fatalf("want a Struct, got %T", v)
	}
	fv, err := s.Get(name)
	if err != nil {
		t.Fatal(err)
	}
	return fv
}

// smtaMapEntry returns a schemaless map value and fails if it is not a map.
func smtaMapEntry(t testing.TB, v any, key string) (any, bool) {
	t.Helper()
	m, ok := v.(*data.Map)
	if !ok || m == nil {
		t.Fatalf("want a Map, got %T", v)
	}
	return m.Get(key)
}

// smtaWantEqual compares two Connect values with Java equals semantics.
func smtaWantEqual(t testing.TB, what string, got, want any) {
	t.Helper()
	if !data.ValuesEqual(got, want) {
		t.Fatalf("%s: got %s (%T), want %s (%T)", what, data.JavaString(got), got, data.JavaString(want), want)
	}
}

// smtaWantSchema compares schemas with ConnectSchema.equals.
func smtaWantSchema(t testing.TB, what string, got, want *data.Schema) {
	t.Helper()
	if !got.Equal(want) {
		t.Fatalf("%s: got %#v, want %#v", what, got, want)
	}
}

// smtaWantKeys checks a config definition's key names, types, defaults,
// importance and docs against Kafka's CONFIG_DEF.
func smtaWantKeys(t *testing.T, def *configdef.Def, want []configdef.Key) {
	t.Helper()
	got := def.Keys()
	if len(got) != len(want) {
		t.Fatalf("config keys: got %v, want %d keys", def.Names(), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Name != w.Name || g.Type != w.Type || g.Importance != w.Importance || g.Doc != w.Doc || g.HasDefault() != w.HasDefault() {
			t.Errorf("key %d: got %+v, want %+v", i, g, w)
			continue
		}
		if w.HasDefault() {
			gs, gok := configdef.ConvertToString(g.Default, g.Type)
			ws, wok := configdef.ConvertToString(w.Default, w.Type)
			if gs != ws || gok != wok {
				t.Errorf("key %s default: got %v, want %v", w.Name, g.Default, w.Default)
			}
		}
		if (g.Validator == nil) != (w.Validator == nil) || (g.Validator != nil && g.Validator.String() != w.Validator.String()) {
			t.Errorf("key %s validator: got %v, want %v", w.Name, g.Validator, w.Validator)
		}
	}
}

// smtaWantPlugins checks the classes a plugin function returns and that
// each one builds a fresh transformation with the given config definition.
func smtaWantPlugins(t *testing.T, plugins []Plugin, def *configdef.Def, classes ...string) {
	t.Helper()
	if len(plugins) != len(classes) {
		t.Fatalf("plugins: got %d, want %v", len(plugins), classes)
	}
	for i, p := range plugins {
		if p.Class != classes[i] {
			t.Errorf("plugin %d: class %q, want %q", i, p.Class, classes[i])
		}
		if p.NewTransformation == nil || p.NewPredicate != nil {
			t.Fatalf("plugin %s: want a transformation factory only", p.Class)
		}
		a, b := p.NewTransformation(), p.NewTransformation()
		if a == b {
			t.Errorf("plugin %s: factory returns a shared instance", p.Class)
		}
		if a.Config() != def {
			t.Errorf("plugin %s: unexpected config definition", p.Class)
		}
	}
}

func TestSmtaHashSetOrder(t *testing.T) {
	// "a".."c" hash to buckets 1..3 of 16; "Aa" and "BB" collide (2112) and keep insertion order.
	got := smtaHashSetOrder([]string{"c", "BB", "a", "Aa", "b", "a"})
	want := []string{"BB", "Aa", "a", "b", "c"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}

func TestSmtaClassCastError(t *testing.T) {
	cases := []struct {
		v    any
		want string
	}{
		{int32(1), "class java.lang.Integer cannot be cast to class java.lang.String (java.lang.Integer and java.lang.String are in module java.base of loader 'bootstrap')"},
		{data.NewStruct(data.NewStructSchema()), "class org.apache.kafka.connect.data.Struct cannot be cast to class java.lang.String (org.apache.kafka.connect.data.Struct is in unnamed module of loader 'app'; java.lang.String is in module java.base of loader 'bootstrap')"},
	}
	for _, c := range cases {
		if got := classCastError(c.v, "java.lang.String").Error(); got != c.want {
			t.Errorf("got %q\nwant %q", got, c.want)
		}
	}
}
