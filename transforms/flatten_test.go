package transforms

import (
	"errors"
	"testing"
	"time"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
)

func TestFlattenConfigDef(t *testing.T) {
	def := NewFlattenValue().Config()
	if names := def.Names(); len(names) != 1 || names[0] != "delimiter" {
		t.Fatalf("keys %v", names)
	}
	k, _ := def.Key("delimiter")
	if k.Type != configdef.TypeString || k.Default != "." || k.Importance != configdef.Medium ||
		k.Doc != "Delimiter to insert between field names from the input record when generating field names for the output record" {
		t.Errorf("delimiter %+v", k)
	}
	plugins := flattenPlugins()
	if len(plugins) != 2 || plugins[0].Class != "org.apache.kafka.connect.transforms.Flatten$Key" ||
		plugins[1].Class != "org.apache.kafka.connect.transforms.Flatten$Value" ||
		plugins[0].NewTransformation().(*Flatten).side != keySide ||
		plugins[1].NewTransformation().(*Flatten).side != valueSide {
		t.Fatalf("plugins %+v", plugins)
	}
}

func flattenValue(t *testing.T, props map[string]string, schema *data.Schema, value any) (*connectors.Record, error) {
	t.Helper()
	return configured(t, NewFlattenValue(), props).Apply(sourceRecord(nil, nil, schema, value))
}

// FlattenTest.topLevelStructRequired and topLevelMapRequired
func TestFlattenTopLevelRequirements(t *testing.T) {
	_, err := flattenValue(t, nil, data.Int32Schema, int32(42))
	var de *data.DataError
	if !errors.As(err, &de) || err.Error() != "Only Struct objects supported for [flattening], found: java.lang.Integer" {
		t.Errorf("struct required: %v", err)
	}
	_, err = flattenValue(t, nil, nil, int32(42))
	if !errors.As(err, &de) || err.Error() != "Only Map objects supported in absence of schema for [flattening], found: java.lang.Integer" {
		t.Errorf("map required: %v", err)
	}
}

func supportedTypesSchema() *data.Schema {
	return data.StructBuilder().
		Field("int8", data.Int8Schema).Field("int16", data.Int16Schema).Field("int32", data.Int32Schema).
		Field("int64", data.Int64Schema).Field("float32", data.Float32Schema).Field("float64", data.Float64Schema).
		Field("boolean", data.BooleanSchema).Field("string", data.StringSchema).Field("bytes", data.BytesSchema).
		MustBuild()
}

// FlattenTest.testNestedStruct
func TestFlattenNestedStruct(t *testing.T) {
	supported := supportedTypesSchema()
	one := data.StructBuilder().Field("B", supported).MustBuild()
	two := data.StructBuilder().Field("A", one).MustBuild()
	values := data.NewStruct(supported).MustPut("int8", int8(8)).MustPut("int16", int16(16)).MustPut("int32", int32(32)).
		MustPut("int64", int64(64)).MustPut("float32", float32(32)).MustPut("float64", float64(64)).
		MustPut("boolean", true).MustPut("string", "stringy").MustPut("bytes", []byte("bytes"))
	value := data.NewStruct(two).MustPut("A", data.NewStruct(one).MustPut("B", values))

	out, err := flattenValue(t, nil, two, value)
	if err != nil {
		t.Fatal(err)
	}
	wantSchema := data.StructBuilder().
		Field("A.B.int8", data.Int8Schema).Field("A.B.int16", data.Int16Schema).Field("A.B.int32", data.Int32Schema).
		Field("A.B.int64", data.Int64Schema).Field("A.B.float32", data.Float32Schema).Field("A.B.float64", data.Float64Schema).
		Field("A.B.boolean", data.BooleanSchema).Field("A.B.string", data.StringSchema).Field("A.B.bytes", data.BytesSchema).
		MustBuild()
	if !out.ValueSchema.Equal(wantSchema) {
		t.Fatalf("schema %v", out.ValueSchema.Fields)
	}
	want := data.NewStruct(wantSchema).MustPut("A.B.int8", int8(8)).MustPut("A.B.int16", int16(16)).MustPut("A.B.int32", int32(32)).
		MustPut("A.B.int64", int64(64)).MustPut("A.B.float32", float32(32)).MustPut("A.B.float64", float64(64)).
		MustPut("A.B.boolean", true).MustPut("A.B.string", "stringy").MustPut("A.B.bytes", []byte("bytes"))
	if !data.ValuesEqual(out.Value, want) {
		t.Errorf("value %v", out.Value)
	}
	// the schema is cached per input schema
	out2, _ := flattenValue(t, nil, two, value)
	xf := configured(t, NewFlattenValue(), nil)
	a, _ := xf.Apply(sourceRecord(nil, nil, two, value))
	b, _ := xf.Apply(sourceRecord(nil, nil, two, value))
	if a.ValueSchema != b.ValueSchema || !out2.ValueSchema.Equal(a.ValueSchema) {
		t.Error("schema not cached")
	}
}

// FlattenTest.testNestedMapWithDelimiter
func TestFlattenNestedMapWithDelimiter(t *testing.T) {
	supported := mapOf("int8", int8(8), "int16", int16(16), "int32", int32(32), "int64", int64(64),
		"float32", float32(32), "float64", float64(64), "boolean", true, "string", "stringy", "bytes", []byte("bytes"))
	value := mapOf("A", mapOf("B", supported))
	out, err := flattenValue(t, map[string]string{"delimiter": "#"}, nil, value)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := out.Value.(*data.Map)
	if out.ValueSchema != nil || !ok || !got.Linked {
		t.Fatalf("not a LinkedHashMap: %v %#v", out.ValueSchema, out.Value)
	}
	want := mapOf("A#B#int8", int8(8), "A#B#int16", int16(16), "A#B#int32", int32(32), "A#B#int64", int64(64),
		"A#B#float32", float32(32), "A#B#float64", float64(64), "A#B#boolean", true, "A#B#string", "stringy",
		"A#B#bytes", []byte("bytes"))
	if !data.ValuesEqual(got, want) {
		t.Errorf("value %v", got)
	}
	// entries follow the HashMap iteration order of the nested input map
	order := supported.IterationOrder()
	for i, idx := range order {
		if got.Entries[i].Key != "A#B#"+supported.Entries[idx].Key.(string) {
			t.Fatalf("order: %v", got.Entries)
		}
	}
}

// FlattenTest.testOptionalFieldStruct
func TestFlattenOptionalFieldStruct(t *testing.T) {
	supported := data.StructBuilder().Field("opt_int32", data.OptionalInt32Schema).MustBuild()
	one := data.StructBuilder().Field("B", supported).MustBuild()
	value := data.NewStruct(one).MustPut("B", data.NewStruct(supported).MustPut("opt_int32", nil))
	out, err := flattenValue(t, nil, one, value)
	if err != nil {
		t.Fatal(err)
	}
	v, err := out.Value.(*data.Struct).Get("B.opt_int32")
	if out.ValueSchema.Type != data.TypeStruct || v != nil || err != nil {
		t.Errorf("%v %v %v", out.ValueSchema, v, err)
	}
	if !out.ValueSchema.Equal(data.StructBuilder().Field("B.opt_int32", data.OptionalInt32Schema).MustBuild()) {
		t.Errorf("schema %v", out.ValueSchema.Fields)
	}
}

// FlattenTest.testOptionalStruct, tombstoneEventWithoutSchemaShouldPassThrough
// and tombstoneEventWithSchemaShouldPassThrough: null values pass unchanged.
func TestFlattenNullValues(t *testing.T) {
	optional := data.StructBuilder().Field("opt_int32", data.OptionalInt32Schema).Optional().MustBuild()
	simple := data.StructBuilder().Name("name").Version(1).Doc("doc").Field("magic", data.OptionalInt64Schema).MustBuild()
	for _, c := range []struct {
		name   string
		schema *data.Schema
		value  any
	}{
		{"testOptionalStruct", optional, nil},
		{"tombstoneEventWithoutSchemaShouldPassThrough", nil, nil},
		{"tombstoneEventWithSchemaShouldPassThrough", simple, nil},
		{"typed nil struct", simple, (*data.Struct)(nil)},
		{"typed nil map", nil, (*data.Map)(nil)},
	} {
		rec := sourceRecord(nil, nil, c.schema, c.value)
		out, err := configured(t, NewFlattenValue(), nil).Apply(rec)
		if err != nil || out != rec || out.ValueSchema != c.schema {
			t.Errorf("%s: %v %v", c.name, out, err)
		}
	}
}

// FlattenTest.testOptionalNestedStruct
func TestFlattenOptionalNestedStruct(t *testing.T) {
	supported := data.StructBuilder().Field("opt_int32", data.OptionalInt32Schema).Optional().MustBuild()
	one := data.StructBuilder().Field("B", supported).MustBuild()
	value := data.NewStruct(one).MustPut("B", nil)
	out, err := flattenValue(t, nil, one, value)
	if err != nil {
		t.Fatal(err)
	}
	v, err := out.Value.(*data.Struct).Get("B.opt_int32")
	if out.ValueSchema.Type != data.TypeStruct || v != nil || err != nil {
		t.Errorf("%v %v %v", out.ValueSchema, v, err)
	}
}

// FlattenTest.testOptionalFieldMap
func TestFlattenOptionalFieldMap(t *testing.T) {
	out, err := flattenValue(t, nil, nil, mapOf("B", mapOf("opt_int32", nil)))
	if err != nil {
		t.Fatal(err)
	}
	got := out.Value.(*data.Map)
	if v, found := got.Get("B.opt_int32"); !found || v != nil || got.Len() != 1 {
		t.Errorf("%v", got)
	}
}

// FlattenTest.testKey
func TestFlattenKey(t *testing.T) {
	rec := sourceRecord(nil, mapOf("A", mapOf("B", int32(12))), nil, nil)
	out, err := configured(t, NewFlattenKey(), nil).Apply(rec)
	if err != nil {
		t.Fatal(err)
	}
	if out.KeySchema != nil || !data.ValuesEqual(out.Key, mapOf("A.B", int32(12))) || !out.Key.(*data.Map).Linked {
		t.Errorf("%v", out.Key)
	}
}

// FlattenTest.testSchemalessArray
func TestFlattenSchemalessArray(t *testing.T) {
	value := mapOf("foo", []any{"bar", mapOf("baz", mapOf("lfg", "lfg"))})
	out, err := flattenValue(t, nil, nil, value)
	if err != nil || !data.ValuesEqual(out.Value, value) {
		t.Errorf("%v %v", out, err)
	}
}

// FlattenTest.testArrayWithSchema
func TestFlattenArrayWithSchema(t *testing.T) {
	nested := data.StructBuilder().Field("lfg", data.StringSchema).MustBuild()
	inner := data.StructBuilder().Field("baz", nested).MustBuild()
	schema := data.StructBuilder().Field("foo", data.ArrayBuilder(inner).Doc("durk").MustBuild()).MustBuild()
	value := data.NewStruct(schema).MustPut("foo", []any{data.NewStruct(inner).MustPut("baz", data.NewStruct(nested).MustPut("lfg", "lfg"))})
	out, err := flattenValue(t, nil, schema, value)
	if err != nil {
		t.Fatal(err)
	}
	if !data.ValuesEqual(out.Value, value) || !out.ValueSchema.Equal(schema) {
		t.Errorf("%v %v", out.ValueSchema, out.Value)
	}
}

// FlattenTest.testOptionalAndDefaultValuesNested
func TestFlattenOptionalAndDefaultValuesNested(t *testing.T) {
	schema := data.StructBuilder().Optional().
		Field("req_field", data.StringSchema).
		Field("opt_field", data.NewSchemaBuilder(data.TypeString).Optional().Default("child_default").MustBuild()).
		MustBuild()
	// a struct default refers to its own schema (new Struct(builder) in Java)
	schema.Default = data.NewStruct(schema).MustPut("req_field", "req_default")
	value := data.NewStruct(schema)

	out, err := flattenValue(t, nil, schema, value)
	if err != nil {
		t.Fatal(err)
	}
	s := out.ValueSchema
	if s.Type != data.TypeStruct || len(s.Fields) != 2 || s.Optional || s.Default != nil {
		t.Fatalf("schema %+v", s)
	}
	wantReq := data.NewSchemaBuilder(data.TypeString).Optional().Default("req_default").MustBuild()
	if !s.Field("req_field").Schema.Equal(wantReq) {
		t.Errorf("req_field %+v", s.Field("req_field").Schema)
	}
	wantOpt := data.NewSchemaBuilder(data.TypeString).Optional().Default("child_default").MustBuild()
	if !s.Field("opt_field").Schema.Equal(wantOpt) {
		t.Errorf("opt_field %+v", s.Field("opt_field").Schema)
	}
	got := out.Value.(*data.Struct)
	if v, _ := got.GetWithoutDefault("req_field"); v != nil {
		t.Errorf("req_field value %v", v)
	}
	if v, _ := got.GetWithoutDefault("opt_field"); v != "child_default" {
		t.Errorf("opt_field value %v", v)
	}
}

// FlattenTest.testMapWithNullFields
func TestFlattenMapWithNullFields(t *testing.T) {
	value := &data.Map{Linked: true}
	value.Put("firstNull", nil)
	value.Put("firstNonNull", "nonNull")
	value.Put("secondNull", nil)
	value.Put("secondNonNull", "alsoNonNull")
	value.Put("thirdNonNull", nil)
	out, err := flattenValue(t, nil, nil, value)
	if err != nil || !data.ValuesEqual(out.Value, value) {
		t.Fatalf("%v %v", out, err)
	}
	for i, e := range out.Value.(*data.Map).Entries {
		if e.Key != value.Entries[i].Key {
			t.Fatalf("order %v", out.Value)
		}
	}
}

// FlattenTest.testStructWithNullFields
func TestFlattenStructWithNullFields(t *testing.T) {
	schema := data.StructBuilder().
		Field("firstNull", data.OptionalStringSchema).Field("firstNonNull", data.OptionalStringSchema).
		Field("secondNull", data.OptionalStringSchema).Field("secondNonNull", data.OptionalStringSchema).
		Field("thirdNonNull", data.OptionalStringSchema).MustBuild()
	value := data.NewStruct(schema).MustPut("firstNull", nil).MustPut("firstNonNull", "nonNull").
		MustPut("secondNull", nil).MustPut("secondNonNull", "alsoNonNull").MustPut("thirdNonNull", nil)
	out, err := flattenValue(t, nil, schema, value)
	if err != nil || !data.ValuesEqual(out.Value, value) {
		t.Errorf("%v %v", out, err)
	}
}

func TestFlattenErrors(t *testing.T) {
	inner := data.StructBuilder().Field("x", data.Int32Schema).MustBuild()
	withMap := data.StructBuilder().Field("a", data.StructBuilder().Field("m", data.MapOf(data.StringSchema, data.StringSchema)).MustBuild()).MustBuild()
	dup := data.StructBuilder().Field("a.x", data.Int32Schema).Field("a", inner).MustBuild()
	cases := []struct {
		name   string
		props  map[string]string
		schema *data.Schema
		value  any
		msg    string
	}{
		// the testUnsupportedTypeInMap of older Kafka versions now flattens arrays; structs still fail
		{name: "struct in map", value: mapOf("foo", mapOf("bar", data.NewStruct(inner).MustPut("x", int32(1)))),
			msg: "Flatten transformation does not support class org.apache.kafka.connect.data.Struct for record without schemas (for field foo.bar)."},
		{name: "non-Connect value", value: mapOf("d", data.DecimalFromInt64(1, 0)),
			msg: "Flatten transformation was passed a value of type class java.math.BigDecimal which is not supported by Connect's data API"},
		{name: "map with schema", schema: withMap, value: data.NewStruct(withMap),
			msg: "Flatten transformation does not support MAP for record with schemas (for field a.m)."},
		{name: "name clash", schema: dup, value: data.NewStruct(dup),
			msg: "Cannot create field because of field name duplication a.x"},
		{name: "delimiter", props: map[string]string{"delimiter": "_"}, value: mapOf("a", mapOf("b", []byte{1}), "a_b", nil)},
	}
	for _, c := range cases {
		out, err := flattenValue(t, c.props, c.schema, c.value)
		if c.msg == "" {
			if err != nil || out.Value.(*data.Map).Len() != 1 {
				t.Errorf("%s: %v %v", c.name, out, err)
			}
			continue
		}
		var de *data.DataError
		if !errors.As(err, &de) || err.Error() != c.msg {
			t.Errorf("%s: got %v, want %q", c.name, err, c.msg)
		}
	}
	// schemaless keys are Strings in Kafka
	_, err := flattenValue(t, nil, nil, mapOf(int32(1), "x"))
	if err == nil || err.Error() != "class java.lang.Integer cannot be cast to class java.lang.String (java.lang.Integer and java.lang.String are in module java.base of loader 'bootstrap')" {
		t.Errorf("non-string key: %v", err)
	}
	// a null top-level key stays null; below it, the null prefix fails
	out, err := flattenValue(t, nil, nil, mapOf(nil, "x", "k", mapOf(nil, int32(1))))
	if err != nil || !data.ValuesEqual(out.Value, mapOf(nil, "x", "k.null", int32(1))) {
		t.Errorf("null keys: %v %v", out, err)
	}
	_, err = flattenValue(t, nil, nil, mapOf(nil, mapOf("a", int32(1))))
	if err == nil || err.Error() != `Cannot invoke "String.isEmpty()" because "prefix" is null` {
		t.Errorf("null prefix: %v", err)
	}
}

// Logical types and parameters survive flattening; a nested struct default
// provides defaults for required children; the input is not modified.
func TestFlattenKeepsSchemaDetails(t *testing.T) {
	inner := data.StructBuilder().
		Field("ts", data.TimestampSchema).
		Field("dec", data.DecimalSchema(2)).
		Field("n", data.Int32Schema).
		MustBuild()
	innerWithDefault := data.StructBuilder().Optional().
		Field("ts", data.OptionalTimestampSchema).Field("n", data.Int32Schema).MustBuild()
	innerWithDefault.Default = data.NewStruct(innerWithDefault).MustPut("n", int32(5))
	schema := data.StructBuilder().Name("top").Version(3).Doc("d").Parameter("k", "v").Optional().
		Field("a", inner).Field("b", innerWithDefault).MustBuild()
	ts := time.UnixMilli(1234).UTC()
	av := data.NewStruct(inner).MustPut("ts", ts).MustPut("dec", data.DecimalFromInt64(123, 2)).MustPut("n", int32(1))
	value := data.NewStruct(schema).MustPut("a", av)
	out, err := flattenValue(t, nil, schema, value)
	if err != nil {
		t.Fatal(err)
	}
	// the top level is required and has no default, whatever the input
	want := data.StructBuilder().Name("top").Version(3).Doc("d").Parameter("k", "v").
		Field("a.ts", data.OptionalTimestampSchema).Field("a.dec", data.OptionalDecimalSchema(2)).
		Field("a.n", data.OptionalInt32Schema).
		Field("b.ts", data.OptionalTimestampSchema).
		Field("b.n", data.NewSchemaBuilder(data.TypeInt32).Optional().Default(int32(5)).MustBuild()).
		MustBuild()
	if !out.ValueSchema.Equal(want) {
		for _, f := range out.ValueSchema.Fields {
			t.Logf("%s %+v", f.Name, *f.Schema)
		}
		t.Fatalf("schema %+v", out.ValueSchema)
	}
	wantValue := data.NewStruct(want).MustPut("a.ts", ts).MustPut("a.dec", data.DecimalFromInt64(123, 2)).MustPut("a.n", int32(1)).
		MustPut("b.n", int32(5)) // the null struct b reads as its default (Struct.getStruct)
	if !data.ValuesEqual(out.Value, wantValue) {
		t.Errorf("value %v", out.Value)
	}
	if v, _ := value.GetWithoutDefault("b"); v != nil || av.Schema() != inner {
		t.Error("input modified")
	}
}
