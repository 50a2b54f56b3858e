package transforms

import (
	"testing"

	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
)

func TestReplaceFieldConfigDef(t *testing.T) {
	smtaWantKeys(t, NewReplaceFieldValue().Config(), []configdef.Key{
		{Name: "exclude", Type: configdef.TypeList, Default: []string{}, Importance: configdef.Medium,
			Doc: "Fields to exclude. This takes precedence over the fields to include."},
		{Name: "blacklist", Type: configdef.TypeList, Default: nil, Importance: configdef.Low, Doc: "Deprecated. Use exclude instead."},
		{Name: "include", Type: configdef.TypeList, Default: []string{}, Importance: configdef.Medium,
			Doc: "Fields to include. If specified, only these fields will be used."},
		{Name: "whitelist", Type: configdef.TypeList, Default: nil, Importance: configdef.Low, Doc: "Deprecated. Use include instead."},
		{Name: "renames", Type: configdef.TypeList, Default: []string{}, Importance: configdef.Medium, Doc: "Field rename mappings.",
			Validator: configdef.Func(nil, "list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>")},
		{Name: "replace.null.with.default", Type: configdef.TypeBoolean, Default: true, Importance: configdef.Medium,
			Doc: "Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used."},
	})
	smtaWantPlugins(t, replaceFieldPlugins(), replaceFieldConfigDef,
		"org.apache.kafka.connect.transforms.ReplaceField$Key", "org.apache.kafka.connect.transforms.ReplaceField$Value")
}

func TestReplaceFieldRenameMappingErrors(t *testing.T) {
	cases := []struct {
		renames string
		want    string // "" = valid
	}{
		{"abc:xyz,foo:bar", ""},
		{"a:b:", ""},  // trailing empty part dropped by String.split
		{":b", ""},    // leading empty part kept: renames "" to b
		{"a:b::", ""}, // several trailing empty parts dropped
		{"foo", "Invalid value [foo] for configuration renames: Invalid rename mapping: foo"},
		{"abc:xyz,foo", "Invalid value [abc:xyz, foo] for configuration renames: Invalid rename mapping: foo"},
		{"a:b:c", "Invalid value [a:b:c] for configuration renames: Invalid rename mapping: a:b:c"},
		{"a:", "Invalid value [a:] for configuration renames: Invalid rename mapping: a:"},
		{"::", "Invalid value [::] for configuration renames: Invalid rename mapping: ::"},
		{"a:b,,c:d", "Invalid value [a:b, , c:d] for configuration renames: Invalid rename mapping: "},
	}
	for _, c := range cases {
		t.Run(c.renames, func(t *testing.T) {
			err := NewReplaceFieldValue().Configure(map[string]string{"renames": c.renames})
			if c.want == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			smtaWantConfigError(t, err, c.want)
			// The same check runs when the definition validates a connector config.
			var msgs []string
			for _, cv := range replaceFieldConfigDef.Validate(map[string]string{"renames": c.renames}) {
				msgs = append(msgs, cv.Errors...)
			}
			if len(msgs) != 1 || msgs[0] != c.want {
				t.Fatalf("validate: got %q, want [%q]", msgs, c.want)
			}
		})
	}
}

// Kafka: tombstoneSchemaless.
func TestReplaceFieldTombstoneSchemaless(t *testing.T) {
	xform := configured(t, NewReplaceFieldValue(), map[string]string{"include": "abc,foo", "renames": "abc:xyz,foo:bar"})
	record := sinkRecord(nil, nil, nil, nil, 0)
	out := smtaApply(t, xform, record)
	if out != record || out.Value != nil || out.ValueSchema != nil {
		t.Fatal("tombstone must pass unchanged")
	}
}

// Kafka: tombstoneWithSchema.
func TestReplaceFieldTombstoneWithSchema(t *testing.T) {
	xform := configured(t, NewReplaceFieldValue(), map[string]string{"include": "abc,foo", "renames": "abc:xyz,foo:bar"})
	schema := data.NewStructSchema(data.F("dont", data.StringSchema), data.F("abc", data.Int32Schema),
		data.F("foo", data.BooleanSchema), data.F("etc", data.StringSchema))
	record := sinkRecord(nil, nil, schema, nil, 0)
	out := smtaApply(t, xform, record)
	if out.Value != nil {
		t.Fatal("tombstone value changed")
	}
	smtaWantSchema(t, "value schema", out.ValueSchema, schema)
}

// Kafka: schemaless.
func TestReplaceFieldSchemaless(t *testing.T) {
	xform := configured(t, NewReplaceFieldValue(), map[string]string{"exclude": "dont", "renames": "abc:xyz,foo:bar"})
	value := mapOf("dont", "whatever", "abc", int32(42), "foo", true, "etc", "etc")
	out := smtaApply(t, xform, sinkRecord(nil, nil, nil, value, 0))
	smtaWantEqual(t, "value", out.Value, mapOf("xyz", int32(42), "bar", true, "etc", "etc"))
	if out.Value.(*data.Map).Linked || out.ValueSchema != nil {
		t.Fatal("want a schemaless java.util.HashMap")
	}
	smtaWantEqual(t, "input", value, mapOf("dont", "whatever", "abc", int32(42), "foo", true, "etc", "etc"))
}

// Kafka: withSchema.
func TestReplaceFieldWithSchema(t *testing.T) {
	xform := configured(t, NewReplaceFieldValue(), map[string]string{"include": "abc,foo", "renames": "abc:xyz,foo:bar"})
	schema := data.StructBuilder().Name("n").Version(3).Doc("d").Parameter("p", "v").
		Field("dont", data.StringSchema).Field("abc", data.Int32Schema).
		Field("foo", data.BooleanSchema).Field("etc", data.StringSchema).MustBuild()
	value := data.NewStruct(schema).MustPut("dont", "whatever").MustPut("abc", int32(42)).MustPut("foo", true).MustPut("etc", "etc")

	out := smtaApply(t, xform, sinkRecord(nil, nil, schema, value, 0))
	smtaWantSchema(t, "value schema", out.ValueSchema, data.StructBuilder().Name("n").Version(3).Doc("d").Parameter("p", "v").
		Field("xyz", data.Int32Schema).Field("bar", data.BooleanSchema).MustBuild())
	smtaWantEqual(t, "xyz", smtaField(t, out.Value, "xyz"), int32(42))
	smtaWantEqual(t, "bar", smtaField(t, out.Value, "bar"), true)

	// The derived schema is cached per input schema.
	again := smtaApply(t, xform, sinkRecord(nil, nil, schema, value, 1))
	if again.ValueSchema != out.ValueSchema {
		t.Fatal("schema not cached")
	}
}

func TestReplaceFieldExcludeWinsOverInclude(t *testing.T) {
	xform := configured(t, NewReplaceFieldValue(), map[string]string{"include": "a,b", "exclude": "b,c"})
	out := smtaApply(t, xform, sinkRecord(nil, nil, nil, mapOf("a", int32(1), "b", int32(2), "c", int32(3), "d", int32(4)), 0))
	smtaWantEqual(t, "value", out.Value, mapOf("a", int32(1)))
}

func TestReplaceFieldRequirements(t *testing.T) {
	xform := configured(t, NewReplaceFieldValue(), map[string]string{"exclude": "a"})
	_, err := xform.Apply(sinkRecord(nil, nil, nil, int64(3), 0))
	smtaWantDataError(t, err, "Only Map objects supported in absence of schema for [field replacement], found: java.lang.Long")
	_, err = xform.Apply(sinkRecord(nil, nil, data.Int64Schema, int64(3), 0))
	smtaWantDataError(t, err, "Only Struct objects supported for [field replacement], found: java.lang.Long")

	m := mapOf(int32(1), "x")
	_, err = xform.Apply(sinkRecord(nil, nil, nil, m, 0))
	if err == nil || err.Error() != "class java.lang.Integer cannot be cast to class java.lang.String (java.lang.Integer and java.lang.String are in module java.base of loader 'bootstrap')" {
		t.Fatalf("non-string key: got %v", err)
	}
}

// Two names renamed to the same target: the inverse mapping keeps the one
// Java's HashMap iterates last, so the schema'd copy reads that field.
func TestReplaceFieldRenameCollision(t *testing.T) {
	// "a" and "b" hash to buckets 1 and 2: b is iterated last and wins.
	xform := configured(t, NewReplaceFieldValue(), map[string]string{"renames": "b:x,a:x"})
	schema := data.NewStructSchema(data.F("a", data.Int32Schema))
	_, err := xform.Apply(sinkRecord(nil, nil, schema, data.NewStruct(schema).MustPut("a", int32(1)), 0))
	smtaWantDataError(t, err, "b is not a valid field name")

	both := data.NewStructSchema(data.F("a", data.Int32Schema), data.F("b", data.Int32Schema))
	_, err = xform.Apply(sinkRecord(nil, nil, both, data.NewStruct(both).MustPut("a", int32(1)).MustPut("b", int32(2)), 0))
	smtaWantDataError(t, err, "Cannot create field because of field name duplication x")
}

// Kafka: testReplaceNullWithDefaultConfigOnValue / testReplaceNullWithDefaultConfigOnKey.
func TestReplaceFieldReplaceNullWithDefault(t *testing.T) {
	for _, c := range []struct {
		replace string
		want    any
	}{{"false", nil}, {"true", int32(42)}} {
		for _, key := range []bool{false, true} {
			name := "value/" + c.replace
			if key {
				name = "key/" + c.replace
			}
			t.Run(name, func(t *testing.T) {
				props := map[string]string{"include": "abc", "renames": "abc:optional_with_default", "replace.null.with.default": c.replace}
				schema := data.NewStructSchema(data.F("abc", data.NewSchemaBuilder(data.TypeInt32).Optional().Default(int32(42)).MustBuild()))
				s := data.NewStruct(schema).MustPut("abc", nil)
				var updated *data.Struct
				if key {
					out := smtaApply(t, configured(t, NewReplaceFieldKey(), props), sinkRecord(schema, s, nil, nil, 0))
					updated = out.Key.(*data.Struct)
				} else {
					out := smtaApply(t, configured(t, NewReplaceFieldValue(), props), sinkRecord(nil, nil, schema, s, 0))
					updated = out.Value.(*data.Struct)
				}
				if n := len(updated.Schema().Fields); n != 1 {
					t.Fatalf("fields: %d", n)
				}
				got, err := updated.GetWithoutDefault("optional_with_default")
				if err != nil {
					t.Fatal(err)
				}
				smtaWantEqual(t, "optional_with_default", got, c.want)
			})
		}
	}
}

// The deprecated 2.x/3.x names blacklist/whitelist act as exclude/include
// unless the new name is also set (ConfigUtils.translateDeprecatedConfigs).
func TestReplaceFieldDeprecatedAliases(t *testing.T) {
	value := mapOf("a", int32(1), "b", int32(2), "c", int32(3))
	cases := []struct {
		name  string
		props map[string]string
		want  *data.Map
	}{
		{"blacklist", map[string]string{"blacklist": "a"}, mapOf("b", int32(2), "c", int32(3))},
		{"whitelist", map[string]string{"whitelist": "a,b"}, mapOf("a", int32(1), "b", int32(2))},
		{"exclude wins over blacklist", map[string]string{"exclude": "b", "blacklist": "a"}, mapOf("a", int32(1), "c", int32(3))},
		{"include wins over whitelist", map[string]string{"include": "c", "whitelist": "a"}, mapOf("c", int32(3))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			xform := configured(t, NewReplaceFieldValue(), tc.props)
			out := smtaApply(t, xform, sinkRecord(nil, nil, nil, value, 0))
			smtaWantEqual(t, "value", out.Value, tc.want)
		})
	}
	if k, ok := replaceFieldConfigDef.Key("blacklist"); !ok || k.Importance != configdef.Low {
		t.Fatalf("blacklist key = %+v, %v", k, ok)
	}
}
