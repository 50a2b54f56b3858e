package transforms

import (
	"errors"
	"testing"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
)

func TestExtractFieldConfigDef(t *testing.T) {
	def := NewExtractFieldKey().Config()
	names := def.Names()
	want := []string{"field", "replace.null.with.default", "field.syntax.version"}
	if len(names) != len(want) {
		t.Fatalf("keys %v", names)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("keys %v", names)
		}
	}
	k, _ := def.Key("field")
	if k.HasDefault() || k.Type != configdef.TypeString || k.Importance != configdef.Medium || k.Doc != "Field name to extract." {
		t.Errorf("field key %+v", k)
	}
	k, _ = def.Key("field.syntax.version")
	if k.Default != "V1" || k.Importance != configdef.High {
		t.Errorf("field.syntax.version key %+v", k)
	}
	k, _ = def.Key("replace.null.with.default")
	if k.Default != true || k.Type != configdef.TypeBoolean {
		t.Errorf("replace.null.with.default key %+v", k)
	}
	plugins := extractFieldPlugins()
	if len(plugins) != 2 || plugins[0].Class != "org.apache.kafka.connect.transforms.ExtractField$Key" ||
		plugins[1].Class != "org.apache.kafka.connect.transforms.ExtractField$Value" {
		t.Fatalf("plugins %+v", plugins)
	}
	if plugins[0].NewTransformation().(*ExtractField).side != keySide || plugins[1].NewTransformation().(*ExtractField).side != valueSide {
		t.Error("plugin sides")
	}
}

func TestExtractFieldConfigErrors(t *testing.T) {
	cases := []struct {
		props map[string]string
		msg   string
	}{
		{map[string]string{}, `Missing required configuration "field" which has no default value.`},
		{map[string]string{"field": "a", "field.syntax.version": "v3"},
			"Invalid value v3 for configuration field.syntax.version: String must be one of (case insensitive): V1, V2"},
		{map[string]string{"field": "a.`b", "field.syntax.version": "V2"},
			"Incomplete backtick pair in path: [a.`b], consider adding a backslash before backtick at position 2 to escape it"},
		{map[string]string{"field": "a", "replace.null.with.default": "maybe"},
			"Invalid value maybe for configuration replace.null.with.default: Expected value to be either true or false"},
	}
	for _, c := range cases {
		err := NewExtractFieldValue().Configure(c.props)
		var ce *configdef.ConfigError
		if !errors.As(err, &ce) || err.Error() != c.msg {
			t.Errorf("%v: got %v, want %q", c.props, err, c.msg)
		}
	}
	// V1 keeps backticks as part of the name
	configured(t, NewExtractFieldValue(), map[string]string{"field": "a.`b"})
}

func TestExtractField(t *testing.T) {
	magic42 := mapOf("magic", int32(42))
	nested := mapOf("magic", mapOf("foo", int32(42)))
	v2 := func(path string) map[string]string {
		return map[string]string{"field": path, "field.syntax.version": "V2"}
	}
	v1 := func(path string) map[string]string { return map[string]string{"field": path} }

	fooSchema := data.StructBuilder().Field("foo", data.Int32Schema).MustBuild()
	nestedSchema := data.StructBuilder().Field("magic", fooSchema).MustBuild()
	nestedStruct := data.NewStruct(nestedSchema).MustPut("magic", data.NewStruct(fooSchema).MustPut("foo", int32(42)))
	magicSchema := data.StructBuilder().Field("magic", data.Int32Schema).MustBuild()
	magicStruct := data.NewStruct(magicSchema).MustPut("magic", int32(42))
	optionalMagicSchema := data.StructBuilder().Field("magic", data.Int32Schema).Optional().MustBuild()

	cases := []struct {
		name       string
		props      map[string]string
		keySchema  *data.Schema
		key        any
		wantSchema *data.Schema
		want       any
		err        string
	}{
		{name: "schemaless", props: v1("magic"), key: magic42, want: int32(42)},
		{name: "schemalessAndNestedPath", props: v2("magic.foo"), key: nested, want: int32(42)},
		{name: "nullSchemaless", props: v1("magic"), key: nil, want: nil},
		{name: "nullSchemaless typed nil map", props: v1("magic"), key: (*data.Map)(nil), want: nil},
		{name: "withSchema", props: v1("magic"), keySchema: magicSchema, key: magicStruct, wantSchema: data.Int32Schema, want: int32(42)},
		{name: "withSchemaAndNestedPath", props: v2("magic.foo"), keySchema: nestedSchema, key: nestedStruct,
			wantSchema: data.Int32Schema, want: int32(42)},
		{name: "testNullWithSchema", props: v1("magic"), keySchema: optionalMagicSchema, key: nil, wantSchema: data.Int32Schema, want: nil},
		{name: "nonExistentFieldSchemalessShouldReturnNull", props: v1("nonexistent"), key: magic42, want: nil},
		{name: "nonExistentNestedFieldSchemalessShouldReturnNull", props: v2("magic.nonexistent"), key: nested, want: nil},
		{name: "nonExistentFieldWithSchemaShouldFail", props: v1("nonexistent"), keySchema: magicSchema, key: magicStruct,
			err: "Unknown field: nonexistent"},
		{name: "nonExistentNestedFieldWithSchemaShouldFail", props: v2("magic.nonexistent"), keySchema: nestedSchema, key: nestedStruct,
			err: "Unknown field: magic.nonexistent"},
		// the schema is checked even for a null value
		{name: "unknown field with null value", props: v1("nonexistent"), keySchema: optionalMagicSchema, key: nil,
			err: "Unknown field: nonexistent"},
		// V1 does not split on dots
		{name: "V1 dotted name", props: v1("magic.foo"), key: mapOf("magic.foo", "x", "magic", mapOf("foo", "y")), want: "x"},
		{name: "V2 backticks", props: v2("`magic.foo`"), key: mapOf("magic.foo", "x", "magic", mapOf("foo", "y")), want: "x"},
		{name: "schemaless non-map", props: v1("magic"), key: int32(42),
			err: "Only Map objects supported in absence of schema for [field extraction], found: java.lang.Integer"},
		{name: "schemaless nested non-map", props: v2("magic.foo"), key: magic42,
			err: "Only Map objects supported in absence of schema for [nested field access], found: java.lang.Integer"},
		{name: "schema'd non-struct", props: v1("magic"), keySchema: magicSchema, key: int32(42),
			err: "Only Struct objects supported for [field extraction], found: java.lang.Integer"},
		{name: "non-struct schema", props: v1("magic"), keySchema: data.Int32Schema, key: nil,
			err: "Cannot look up fields on non-struct type"},
		{name: "V2 empty path", props: v2(""), key: magic42, err: "fromIndex(0) > toIndex(-1)"},
	}
	for _, c := range cases {
		xf := configured(t, NewExtractFieldKey(), c.props)
		rec := sinkRecord(c.keySchema, c.key, data.StringSchema, "v", 0)
		rec.Headers = []connectors.Header{{Key: "h", Value: "x"}}
		out, err := xf.Apply(rec)
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("%s: got %v, want error %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !out.KeySchema.Equal(c.wantSchema) || !data.ValuesEqual(out.Key, c.want) {
			t.Errorf("%s: got %v %v, want %v %v", c.name, out.KeySchema, out.Key, c.wantSchema, c.want)
		}
		if out.ValueSchema != data.StringSchema || out.Value != "v" || len(out.Headers) != 1 || out.Topic != "test" || !out.Sink {
			t.Errorf("%s: other record parts changed: %+v", c.name, out)
		}
	}
}

func TestExtractFieldSchemaErrorKinds(t *testing.T) {
	xf := configured(t, NewExtractFieldKey(), map[string]string{"field": "nonexistent"})
	schema := data.StructBuilder().Field("magic", data.Int32Schema).MustBuild()
	_, err := xf.Apply(sinkRecord(schema, data.NewStruct(schema).MustPut("magic", int32(1)), nil, nil, 0))
	var de *data.DataError
	if err == nil || errors.As(err, &de) {
		t.Errorf("Unknown field must be an IllegalArgumentException, not a DataException: %v", err)
	}
	_, err = xf.Apply(sinkRecord(nil, int32(1), nil, nil, 0))
	if !errors.As(err, &de) {
		t.Errorf("requirement failure must be a DataException: %v", err)
	}
}

// ExtractFieldTest.testUnsetOptionalKey and testUnsetOptionalField.
func TestExtractFieldReplaceNullWithDefault(t *testing.T) {
	schema := data.StructBuilder().
		Field("optional_with_default", data.NewSchemaBuilder(data.TypeInt32).Optional().Default(int32(42)).MustBuild()).
		MustBuild()
	value := data.NewStruct(schema).MustPut("optional_with_default", nil)
	for _, c := range []struct {
		replace string
		want    any
	}{{"false", nil}, {"true", int32(42)}} {
		props := map[string]string{"field": "optional_with_default", "replace.null.with.default": c.replace}

		key := configured(t, NewExtractFieldKey(), props)
		out, err := key.Apply(sinkRecord(schema, value, nil, nil, 0))
		if err != nil || !data.ValuesEqual(out.Key, c.want) {
			t.Errorf("key replace=%s: %v %v", c.replace, out.Key, err)
		}

		val := configured(t, NewExtractFieldValue(), props)
		out, err = val.Apply(sinkRecord(nil, nil, schema, value, 0))
		if err != nil || !data.ValuesEqual(out.Value, c.want) {
			t.Errorf("value replace=%s: %v %v", c.replace, out.Value, err)
		}
	}
	// the default of a nested path step applies too
	props := map[string]string{"field": "outer.optional_with_default", "field.syntax.version": "v2"}
	outer := data.StructBuilder().Field("outer", schema).MustBuild()
	out, err := configured(t, NewExtractFieldValue(), props).Apply(sinkRecord(nil, nil, outer, data.NewStruct(outer).MustPut("outer", value), 0))
	if err != nil || !data.ValuesEqual(out.Value, int32(42)) || !out.ValueSchema.Equal(schema.Field("optional_with_default").Schema) {
		t.Errorf("nested default: %v %v %v", out.ValueSchema, out.Value, err)
	}
}
