package transforms

import (
	"errors"
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
)

const (
	castMillisPerHour = int64(3600 * 1000)
	castMillisPerDay  = 24 * castMillisPerHour
)

func castRecord(keySchema *data.Schema, key any, valueSchema *data.Schema, value any) *connectors.Record {
	r := sourceRecord(keySchema, key, valueSchema, value)
	r.Topic, r.Partition = "topic", 0
	return r
}

func TestCastConfigDef(t *testing.T) {
	def := NewCastValue().Config()
	names := def.Names()
	if len(names) != 2 || names[0] != "spec" || names[1] != "replace.null.with.default" {
		t.Fatalf("keys %v", names)
	}
	k, _ := def.Key("spec")
	if k.Type != configdef.TypeList || k.HasDefault() || k.Importance != configdef.High || k.Doc != castSpecDoc ||
		k.Validator.String() != "list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>" {
		t.Errorf("spec %+v", k)
	}
	plugins := castPlugins()
	if len(plugins) != 2 || plugins[0].Class != "org.apache.kafka.connect.transforms.Cast$Key" ||
		plugins[1].Class != "org.apache.kafka.connect.transforms.Cast$Value" ||
		plugins[0].NewTransformation().(*Cast).side != keySide ||
		plugins[1].NewTransformation().(*Cast).side != valueSide {
		t.Fatalf("plugins %+v", plugins)
	}
}

// CastTest.testConfigEmpty, testConfigInvalidSchemaType,
// testConfigInvalidTargetType, testUnsupportedTargetType,
// testConfigInvalidMap and testConfigMixWholeAndFieldTransformation, with
// Kafka's exact messages.
func TestCastConfigErrors(t *testing.T) {
	outputs := "[INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING]"
	cases := []struct{ spec, msg string }{
		{"", "Must specify at least one field to cast."},
		{"foo:faketype", "Invalid value java.lang.IllegalArgumentException: No enum constant org.apache.kafka.connect.data.Schema.Type.FAKETYPE for configuration Invalid type found in casting spec: faketype"},
		{"foo:array", "Cast transformation does not support casting to ARRAY; supported types are " + outputs},
		{"foo:bytes", "Cast transformation does not support casting to BYTES; supported types are " + outputs},
		{"foo:int8:extra", "Invalid value [foo:int8:extra] for configuration renames: Invalid rename mapping: foo:int8:extra"},
		{"foo:int8,int32", "Cast transformations that specify a type to cast the entire value to may ony specify a single cast in their spec"},
		{"int32,int8", "Cast transformations that specify a type to cast the entire value to may ony specify a single cast in their spec"},
		{"int32,foo:bad", "Invalid value java.lang.IllegalArgumentException: No enum constant org.apache.kafka.connect.data.Schema.Type.BAD for configuration Invalid type found in casting spec: bad"},
		{"a:int8, b:x:y", "Invalid value [a:int8, b:x:y] for configuration renames: Invalid rename mapping: b:x:y"},
		{"struct", "Cast transformation does not support casting to STRUCT; supported types are " + outputs},
		{"faketype", "No enum constant org.apache.kafka.connect.data.Schema.Type.FAKETYPE"},
		{"foo:", "No enum constant org.apache.kafka.connect.data.Schema.Type.FOO"},
		{":", "Index 1 out of bounds for length 0"},
		{"int8,", "No enum constant org.apache.kafka.connect.data.Schema.Type."},
	}
	for _, c := range cases {
		err := NewCastKey().Configure(map[string]string{"spec": c.spec})
		var ce *configdef.ConfigError
		if !errors.As(err, &ce) || err.Error() != c.msg {
			t.Errorf("spec %q: got %v\nwant %q", c.spec, err, c.msg)
		}
	}
	err := NewCastKey().Configure(map[string]string{})
	if err == nil || err.Error() != `Missing required configuration "spec" which has no default value.` {
		t.Errorf("missing spec: %v", err)
	}
	// valid specs: case-insensitive types, trimmed parts, a leading empty field name
	for _, spec := range []string{"Int8", " foo : INT64 , bar:string", ":int8", "a:int8,a:int16"} {
		configured(t, NewCastKey(), map[string]string{"spec": spec})
	}
}

func TestCastNullRecords(t *testing.T) {
	for _, c := range []struct {
		name string
		xf   *Cast
		rec  *connectors.Record
	}{
		{"castNullValueRecordWithSchema", NewCastValue(), castRecord(data.StringSchema, "key", data.StringSchema, nil)},
		{"castNullValueRecordSchemaless", NewCastValue(), castRecord(data.StringSchema, "key", nil, nil)},
		{"castNullKeyRecordWithSchema", NewCastKey(), castRecord(data.StringSchema, nil, data.StringSchema, "value")},
		{"castNullKeyRecordSchemaless", NewCastKey(), castRecord(nil, nil, data.StringSchema, "value")},
		{"typed nil map", NewCastValue(), castRecord(nil, nil, nil, (*data.Map)(nil))},
	} {
		xf := configured(t, c.xf, map[string]string{"spec": "foo:int64"})
		out, err := xf.Apply(c.rec)
		if err != nil || out != c.rec {
			t.Errorf("%s: %v %v", c.name, out, err)
		}
	}
}

// CastTest.castWholeRecord*: whole key/value casts with and without schema.
func TestCastWholeRecord(t *testing.T) {
	cases := []struct {
		name       string
		key        bool
		spec       string
		schema     *data.Schema
		value      any
		wantSchema *data.Schema
		want       any
	}{
		{"castWholeRecordKeyWithSchema", true, "int8", data.Int32Schema, int32(42), data.Int8Schema, int8(42)},
		{"castWholeRecordValueWithSchemaInt8", false, "int8", data.Int32Schema, int32(42), data.Int8Schema, int8(42)},
		{"castWholeRecordValueWithSchemaInt16", false, "int16", data.Int32Schema, int32(42), data.Int16Schema, int16(42)},
		{"castWholeRecordValueWithSchemaInt32", false, "int32", data.Int32Schema, int32(42), data.Int32Schema, int32(42)},
		{"castWholeRecordValueWithSchemaInt64", false, "int64", data.Int32Schema, int32(42), data.Int64Schema, int64(42)},
		{"castWholeRecordValueWithSchemaFloat32", false, "float32", data.Int32Schema, int32(42), data.Float32Schema, float32(42)},
		{"castWholeRecordValueWithSchemaFloat64", false, "float64", data.Int32Schema, int32(42), data.Float64Schema, float64(42)},
		{"castWholeRecordValueWithSchemaBooleanTrue", false, "boolean", data.Int32Schema, int32(42), data.BooleanSchema, true},
		{"castWholeRecordValueWithSchemaBooleanFalse", false, "boolean", data.Int32Schema, int32(0), data.BooleanSchema, false},
		{"castWholeRecordValueWithSchemaString", false, "string", data.Int32Schema, int32(42), data.StringSchema, "42"},
		// the whole-value schema keeps the basics of the original: a Decimal
		// or Timestamp cast to string keeps its logical name
		{"castWholeBigDecimalRecordValueWithSchemaString", false, "string", data.DecimalSchema(0), data.DecimalFromInt64(42, 0),
			data.NewSchemaBuilder(data.TypeString).Name(data.DecimalName).Version(1).Parameter("scale", "0").MustBuild(), "42"},
		{"castWholeDateRecordValueWithSchemaString", false, "string", data.TimestampSchema, time.UnixMilli(castMillisPerDay + 1).UTC(),
			data.NewSchemaBuilder(data.TypeString).Name(data.TimestampName).Version(1).MustBuild(), "1970-01-02T00:00:00.001Z"},
		{"castWholeRecordKeySchemaless", true, "int8", nil, int32(42), nil, int8(42)},
		{"castWholeRecordValueSchemalessInt8", false, "int8", nil, int32(42), nil, int8(42)},
		{"castWholeRecordValueSchemalessInt16", false, "int16", nil, int32(42), nil, int16(42)},
		{"castWholeRecordValueSchemalessInt32", false, "int32", nil, int32(42), nil, int32(42)},
		{"castWholeRecordValueSchemalessInt64", false, "int64", nil, int32(42), nil, int64(42)},
		{"castWholeRecordValueSchemalessFloat32", false, "float32", nil, int32(42), nil, float32(42)},
		{"castWholeRecordValueSchemalessFloat64", false, "float64", nil, int32(42), nil, float64(42)},
		{"castWholeRecordValueSchemalessBooleanTrue", false, "boolean", nil, int32(42), nil, true},
		{"castWholeRecordValueSchemalessBooleanFalse", false, "boolean", nil, int32(0), nil, false},
		{"castWholeRecordValueSchemalessString", false, "string", nil, int32(42), nil, "42"},
		{"optional schema stays optional", false, "int64", data.OptionalInt32Schema, int32(7), data.OptionalInt64Schema, int64(7)},
	}
	for _, c := range cases {
		var rec *connectors.Record
		var xf *Cast
		if c.key {
			xf = configured(t, NewCastKey(), map[string]string{"spec": c.spec})
			rec = castRecord(c.schema, c.value, data.StringSchema, "bogus")
		} else {
			xf = configured(t, NewCastValue(), map[string]string{"spec": c.spec})
			rec = castRecord(nil, nil, c.schema, c.value)
		}
		out, err := xf.Apply(rec)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		gotSchema, got := out.ValueSchema, out.Value
		if c.key {
			gotSchema, got = out.KeySchema, out.Key
			if out.ValueSchema != data.StringSchema || out.Value != "bogus" {
				t.Errorf("%s: value changed", c.name)
			}
		}
		if !gotSchema.Equal(c.wantSchema) || !data.ValuesEqual(got, c.want) {
			t.Errorf("%s: got %v %#v, want %v %#v", c.name, gotSchema, got, c.wantSchema, c.want)
		}
	}
}

// CastTest.castWholeRecordDefaultValue
func TestCastWholeRecordDefaultValue(t *testing.T) {
	schema := data.NewSchemaBuilder(data.TypeFloat32).Default(float32(-42.125)).MustBuild()
	out, err := configured(t, NewCastValue(), map[string]string{"spec": "int32"}).
		Apply(castRecord(nil, nil, schema, float32(42.125)))
	if err != nil {
		t.Fatal(err)
	}
	if out.ValueSchema.Type != data.TypeInt32 || out.Value != int32(42) || out.ValueSchema.Default != int32(-42) {
		t.Errorf("%+v %v", out.ValueSchema, out.Value)
	}
}

// CastTest.castWholeRecordValueSchemalessUnsupportedType and other
// unsupported inputs.
func TestCastUnsupportedInputs(t *testing.T) {
	inputs := "[INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING, BYTES]"
	structSchema := data.StructBuilder().Field("a", data.Int32Schema).MustBuild()
	withDefault := data.StructBuilder().Field("a", data.Int32Schema).MustBuild()
	withDefault.Default = data.NewStruct(withDefault).MustPut("a", int32(1))
	cases := []struct {
		name   string
		spec   string
		schema *data.Schema
		value  any
		msg    string
	}{
		{"castWholeRecordValueSchemalessUnsupportedType", "int8", nil, []any{"foo"},
			"Cast transformation does not support casting from ARRAY; supported types are " + inputs},
		{"schemaless map", "int8", nil, mapOf("a", int32(1)),
			"Cast transformation does not support casting from MAP; supported types are " + inputs},
		{"schemaless decimal", "string", nil, data.DecimalFromInt64(1, 0),
			"Cast transformation was passed a value of type class java.math.BigDecimal which is not supported by Connect's data API"},
		{"schemaless date", "string", nil, time.UnixMilli(0).UTC(),
			"Cast transformation was passed a value of type class java.util.Date which is not supported by Connect's data API"},
		{"whole struct", "string", structSchema, data.NewStruct(structSchema).MustPut("a", int32(1)),
			"Cast transformation does not support casting from STRUCT; supported types are " + inputs},
		{"bytes to int", "int32", data.BytesSchema, []byte{1},
			"Unexpected type in Cast transformation: class [B"},
		{"bytes to float", "float64", data.BytesSchema, []byte{1},
			"Unexpected type in Cast transformation: class [B"},
		{"bytes to boolean", "boolean", data.BytesSchema, []byte{1},
			"Unexpected type in Cast transformation: class [B"},
		{"schema'd field map", "a:int8", nil, []any{int32(1)},
			"Only Map objects supported in absence of schema for [cast types], found: java.util.ArrayList"},
		{"schema'd non-struct schema", "a:int8", data.Int32Schema, int32(1),
			"Cannot list fields on non-struct type"},
		{"schema'd non-struct value", "a:int8", structSchema, int32(1),
			"Only Struct objects supported for [cast types], found: java.lang.Integer"},
		// the struct default of the schema is cast too, which Cast cannot do
		{"struct schema default", "a:int8", withDefault, data.NewStruct(withDefault).MustPut("a", int32(1)),
			"Cast transformation does not support casting from STRUCT; supported types are " + inputs},
		{"bad number string", "int8", nil, "128", "Value (128) was out of range for requested data type"},
		{"bad float string", "float32", data.StringSchema, "1,5", "Value (1,5) was out of range for requested data type"},
		{"bad date", "int32", data.DateSchema, time.UnixMilli(1).UTC(),
			"Kafka Connect Date type should not have any time fields set to non-zero values."},
	}
	for _, c := range cases {
		_, err := configured(t, NewCastValue(), map[string]string{"spec": c.spec}).Apply(castRecord(nil, nil, c.schema, c.value))
		var de *data.DataError
		if !errors.As(err, &de) || err.Error() != c.msg {
			t.Errorf("%s: got %v\nwant %q", c.name, err, c.msg)
		}
	}
}

// CastTest.castLogicalToPrimitive
func TestCastLogicalToPrimitive(t *testing.T) {
	spec := "date_to_int32:int32,timestamp_to_int64:int64,time_to_int64:int64,decimal_to_int32:int32," +
		"timestamp_to_float64:float64,null_timestamp_to_int32:int32"
	day := time.UnixMilli(castMillisPerDay).UTC()
	two31 := data.NewDecimal(big.NewInt(math.MaxInt32+1), 0)
	schema := data.StructBuilder().
		Field("date_to_int32", data.DateSchema).
		Field("timestamp_to_int64", data.TimestampSchema).
		Field("time_to_int64", data.TimeSchema).
		Field("decimal_to_int32", data.DecimalSchema(0)).
		Field("timestamp_to_float64", data.TimestampSchema).
		Field("null_timestamp_to_int32", data.OptionalTimestampSchema).
		MustBuild()
	value := data.NewStruct(schema).
		MustPut("date_to_int32", day).
		MustPut("timestamp_to_int64", time.UnixMilli(0).UTC()).
		MustPut("time_to_int64", time.UnixMilli(1).UTC()).
		MustPut("decimal_to_int32", two31).
		MustPut("timestamp_to_float64", time.UnixMilli(math.MaxInt64).UTC()).
		MustPut("null_timestamp_to_int32", nil)
	out, err := configured(t, NewCastValue(), map[string]string{"spec": spec}).Apply(castRecord(nil, nil, schema, value))
	if err != nil {
		t.Fatal(err)
	}
	got := out.Value.(*data.Struct)
	want := map[string]any{
		"date_to_int32":           int32(1),
		"timestamp_to_int64":      int64(0),
		"time_to_int64":           int64(1),
		"decimal_to_int32":        int32(math.MinInt32),
		"timestamp_to_float64":    9.223372036854776e18,
		"null_timestamp_to_int32": nil,
	}
	for name, w := range want {
		if v, _ := got.Get(name); !data.ValuesEqual(v, w) {
			t.Errorf("%s: %#v, want %#v", name, v, w)
		}
	}
	wantSchema := data.StructBuilder().
		Field("date_to_int32", data.Int32Schema).
		Field("timestamp_to_int64", data.Int64Schema).
		Field("time_to_int64", data.Int64Schema).
		Field("decimal_to_int32", data.Int32Schema).
		Field("timestamp_to_float64", data.Float64Schema).
		Field("null_timestamp_to_int32", data.OptionalInt32Schema).
		MustBuild()
	if !got.Schema().Equal(wantSchema) || out.ValueSchema != got.Schema() {
		t.Errorf("schema %+v", got.Schema())
	}
}

// CastTest.castLogicalToString
func TestCastLogicalToString(t *testing.T) {
	date := time.UnixMilli(castMillisPerDay).UTC()
	tm := time.UnixMilli(castMillisPerHour).UTC()
	ts := time.UnixMilli(1700000000123).UTC()
	schema := data.StructBuilder().
		Field("date", data.DateSchema).
		Field("decimal", data.DecimalSchema(0)).
		Field("time", data.TimeSchema).
		Field("timestamp", data.TimestampSchema).
		MustBuild()
	value := data.NewStruct(schema).MustPut("date", date).MustPut("decimal", data.DecimalFromInt64(1982, 0)).
		MustPut("time", tm).MustPut("timestamp", ts)
	out, err := configured(t, NewCastValue(), map[string]string{"spec": "date:string,decimal:string,time:string,timestamp:string"}).
		Apply(castRecord(nil, nil, schema, value))
	if err != nil {
		t.Fatal(err)
	}
	want := data.NewStruct(data.StructBuilder().
		Field("date", data.StringSchema).Field("decimal", data.StringSchema).
		Field("time", data.StringSchema).Field("timestamp", data.StringSchema).MustBuild()).
		MustPut("date", "1970-01-02").MustPut("decimal", "1982").
		MustPut("time", "01:00:00.000Z").MustPut("timestamp", "2023-11-14T22:13:20.123Z")
	if !data.ValuesEqual(out.Value, want) {
		t.Errorf("%v", out.Value)
	}
}

// CastTest.castFieldsWithSchema
func TestCastFieldsWithSchema(t *testing.T) {
	day := time.UnixMilli(castMillisPerDay).UTC()
	byteArray := []byte{0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10}
	spec := "int8:int16,int16:int32,int32:int64,int64:boolean,float32:float64,float64:boolean,boolean:int8," +
		"string:int32,bigdecimal:string,date:string,optional:int32,bytes:string,byteArray:string"
	schema := data.StructBuilder().
		Field("int8", data.Int8Schema).
		Field("int16", data.OptionalInt16Schema).
		Field("int32", data.NewSchemaBuilder(data.TypeInt32).Default(int32(2)).MustBuild()).
		Field("int64", data.Int64Schema).
		Field("float32", data.Float32Schema).
		Field("float64", data.NewSchemaBuilder(data.TypeFloat64).Default(-1.125).MustBuild()).
		Field("boolean", data.BooleanSchema).
		Field("string", data.StringSchema).
		Field("bigdecimal", data.DecimalSchema(0)).
		Field("date", data.DateSchema).
		Field("optional", data.OptionalFloat32Schema).
		Field("timestamp", data.TimestampSchema).
		Field("bytes", data.BytesSchema).
		Field("byteArray", data.BytesSchema).
		MustBuild()
	value := data.NewStruct(schema).
		MustPut("int8", int8(8)).MustPut("int16", int16(16)).MustPut("int32", int32(32)).MustPut("int64", int64(64)).
		MustPut("float32", float32(32)).MustPut("float64", -64.0).MustPut("boolean", true).
		MustPut("bigdecimal", data.DecimalFromInt64(42, 0)).MustPut("date", day).MustPut("string", "42").
		MustPut("timestamp", time.UnixMilli(0).UTC()).MustPut("bytes", byteArray).MustPut("byteArray", byteArray)
	// optional field intentionally omitted
	out, err := configured(t, NewCastValue(), map[string]string{"spec": spec}).Apply(castRecord(nil, nil, schema, value))
	if err != nil {
		t.Fatal(err)
	}
	got := out.Value.(*data.Struct)
	wantSchema := data.StructBuilder().
		Field("int8", data.Int16Schema).
		Field("int16", data.OptionalInt32Schema).
		Field("int32", data.NewSchemaBuilder(data.TypeInt64).Default(int64(2)).MustBuild()).
		Field("int64", data.BooleanSchema).
		Field("float32", data.Float64Schema).
		Field("float64", data.NewSchemaBuilder(data.TypeBoolean).Default(true).MustBuild()).
		Field("boolean", data.Int8Schema).
		Field("string", data.Int32Schema).
		Field("bigdecimal", data.StringSchema).
		Field("date", data.StringSchema).
		Field("optional", data.OptionalInt32Schema).
		Field("timestamp", data.TimestampSchema).
		Field("bytes", data.StringSchema).
		Field("byteArray", data.StringSchema).
		MustBuild()
	if !got.Schema().Equal(wantSchema) {
		t.Fatalf("schema %v", got.Schema().Fields)
	}
	want := data.NewStruct(wantSchema).
		MustPut("int8", int16(8)).MustPut("int16", int32(16)).MustPut("int32", int64(32)).MustPut("int64", true).
		MustPut("float32", float64(32)).MustPut("float64", true).MustPut("boolean", int8(1)).MustPut("string", int32(42)).
		MustPut("bigdecimal", "42").MustPut("date", "1970-01-02").MustPut("timestamp", time.UnixMilli(0).UTC()).
		MustPut("bytes", "/ty6mHZUMhA=").MustPut("byteArray", "/ty6mHZUMhA=")
	if !data.ValuesEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	if v, _ := got.Get("optional"); v != nil {
		t.Errorf("optional %v", v)
	}
}

// CastTest.castFieldsSchemaless
func TestCastFieldsSchemaless(t *testing.T) {
	spec := "int8:int16,int16:int32,int32:int64,int64:boolean,float32:float64,float64:boolean,boolean:int8,string:int32"
	value := mapOf("int8", int8(8), "int16", int16(16), "int32", int32(32), "int64", int64(64),
		"float32", float32(32), "float64", -64.0, "boolean", true, "string", "42")
	out, err := configured(t, NewCastValue(), map[string]string{"spec": spec}).Apply(castRecord(nil, nil, nil, value))
	if err != nil {
		t.Fatal(err)
	}
	want := mapOf("int8", int16(8), "int16", int32(16), "int32", int64(32), "int64", true,
		"float32", float64(32), "float64", true, "boolean", int8(1), "string", int32(42))
	if out.ValueSchema != nil || !data.ValuesEqual(out.Value, want) || out.Value.(*data.Map).Linked {
		t.Errorf("%v", out.Value)
	}
	if v, _ := value.Get("int8"); v != int8(8) {
		t.Error("input modified")
	}
}

// Schemaless: listed fields missing from the map are added with null; the
// result is a HashMap even for a LinkedHashMap input.
func TestCastSchemalessMissingField(t *testing.T) {
	value := &data.Map{Linked: true}
	value.Put("b", "1")
	value.Put("a", "x")
	out, err := configured(t, NewCastValue(), map[string]string{"spec": "b:int8,missing:int32"}).Apply(castRecord(nil, nil, nil, value))
	if err != nil {
		t.Fatal(err)
	}
	got := out.Value.(*data.Map)
	if v, found := got.Get("missing"); !found || v != nil || got.Len() != 3 || got.Linked {
		t.Errorf("%#v", got)
	}
	if v, _ := got.Get("b"); v != int8(1) {
		t.Errorf("b %v", v)
	}
}

// replace.null.with.default (KIP-1040): struct fields are read with or
// without their defaults.
func TestCastReplaceNullWithDefault(t *testing.T) {
	schema := data.StructBuilder().
		Field("opt", data.NewSchemaBuilder(data.TypeInt32).Optional().Default(int32(42)).MustBuild()).
		Field("other", data.NewSchemaBuilder(data.TypeString).Optional().Default("d").MustBuild()).
		MustBuild()
	value := data.NewStruct(schema)
	for _, c := range []struct {
		replace   string
		opt       any
		other     any
		optSchema *data.Schema
	}{
		{"true", int64(42), "d", nil},
		{"false", nil, nil, nil},
	} {
		out, err := configured(t, NewCastValue(), map[string]string{"spec": "opt:int64", "replace.null.with.default": c.replace}).
			Apply(castRecord(nil, nil, schema, value))
		if err != nil {
			t.Fatal(err)
		}
		got := out.Value.(*data.Struct)
		opt, _ := got.GetWithoutDefault("opt")
		other, _ := got.GetWithoutDefault("other")
		if !data.ValuesEqual(opt, c.opt) || !data.ValuesEqual(other, c.other) {
			t.Errorf("replace=%s: opt=%v other=%v", c.replace, opt, other)
		}
		wantOpt := data.NewSchemaBuilder(data.TypeInt64).Optional().Default(int64(42)).MustBuild()
		if !got.Schema().Field("opt").Schema.Equal(wantOpt) || got.Schema().Field("other").Schema != schema.Field("other").Schema {
			t.Errorf("replace=%s: schema %v", c.replace, got.Schema().Fields)
		}
	}
}

// Java's number conversions: narrowing wraps, floating-point saturates,
// BigDecimal truncates, strings parse strictly.
func TestCastConversions(t *testing.T) {
	big64 := data.NewDecimal(new(big.Int).Lsh(big.NewInt(1), 64), 0)
	cases := []struct {
		value  any
		target string
		want   any
	}{
		{int32(300), "int8", int8(44)},
		{int32(-129), "int8", int8(127)},
		{int64(1 << 40), "int32", int32(0)},
		{int64(70000), "int16", int16(4464)},
		{float64(1e10), "int32", int32(math.MaxInt32)},
		{float64(1e10), "int8", int8(-1)}, // (byte)(int)1e10 = (byte)0x7fffffff
		{float64(-1e10), "int16", int16(0)},
		{math.NaN(), "int64", int64(0)},
		{math.Inf(1), "int64", int64(math.MaxInt64)},
		{float32(-3.9), "int32", int32(-3)},
		{float64(0.5), "boolean", false},
		{float64(-0.5), "boolean", false},
		{float64(1.5), "boolean", true},
		{int8(0), "boolean", false},
		{true, "int64", int64(1)},
		{false, "float32", float32(0)},
		{true, "float64", float64(1)},
		{true, "boolean", true},
		{true, "string", "true"},
		{int64(16777217), "float32", float32(16777216)},
		{float64(0.1), "float32", float32(0.1)},
		{float32(0.1), "float64", float64(float32(0.1))},
		{float64(1e20), "string", "1.0E20"},
		{float32(32), "string", "32.0"},
		{data.NewDecimal(big.NewInt(-1999), 2), "int32", int32(-19)},
		{data.NewDecimal(big.NewInt(-1999), 2), "float64", -19.99},
		{data.NewDecimal(big.NewInt(5), 1), "boolean", false},
		{data.NewDecimal(big.NewInt(15), -1), "int64", int64(150)},
		{big64, "int64", int64(0)},
		{data.NewDecimal(big.NewInt(123), 5), "string", "0.00123"},
		{data.NewDecimal(big.NewInt(1), -3), "string", "1E+3"},
		{"127", "int8", int8(127)},
		{"-128", "int8", int8(-128)},
		{"+42", "int16", int16(42)},
		{"٤٢", "int32", int32(42)}, // Arabic-Indic digits are digits for Character.digit
		{"9223372036854775807", "int64", int64(math.MaxInt64)},
		{"-9223372036854775808", "int64", int64(math.MinInt64)},
		{" 1.5 ", "float64", 1.5},
		{"1e400", "float64", math.Inf(1)},
		{"-Infinity", "float32", float32(math.Inf(-1))},
		{"NaN", "float64", math.NaN()},
		{"0x1.8p1", "float64", 3.0},
		{"1.5f", "float32", float32(1.5)},
		{"2D", "float64", 2.0},
		{".5", "float64", 0.5},
		{"5.", "float64", 5.0},
		{"TRUE", "boolean", true},
		{"yes", "boolean", false},
		{"x", "string", "x"},
	}
	for _, c := range cases {
		var schema *data.Schema
		if d, ok := c.value.(data.Decimal); ok {
			schema = data.DecimalSchema(int(d.Scale)) // schemaless BigDecimals are rejected
		}
		out, err := configured(t, NewCastValue(), map[string]string{"spec": c.target}).Apply(castRecord(nil, nil, schema, c.value))
		if err != nil {
			t.Errorf("%#v to %s: %v", c.value, c.target, err)
			continue
		}
		if !data.ValuesEqual(out.Value, c.want) {
			t.Errorf("%#v to %s: got %#v, want %#v", c.value, c.target, out.Value, c.want)
		}
	}
	bad := []struct{ value, target string }{
		{"128", "int8"}, {"-129", "int8"}, {"32768", "int16"}, {"2147483648", "int32"},
		{"9223372036854775808", "int64"}, {" 1", "int32"}, {"1.0", "int32"}, {"", "int32"}, {"+", "int32"},
		{"-", "int64"}, {"0x10", "int32"}, {"1_000", "int32"}, {"𝟏", "int32"},
		{"", "float64"}, {"inf", "float64"}, {"nan", "float64"}, {"Infinityx", "float64"}, {"1e", "float64"},
		{".", "float64"}, {"1.5ff", "float32"}, {"0x1.8", "float64"}, {"0x_1p0", "float64"}, {"1_0", "float64"},
		{"e5", "float64"}, {"--1", "float64"},
	}
	for _, c := range bad {
		_, err := configured(t, NewCastValue(), map[string]string{"spec": c.target}).Apply(castRecord(nil, nil, nil, c.value))
		if err == nil || err.Error() != "Value ("+c.value+") was out of range for requested data type" {
			t.Errorf("%q to %s: %v", c.value, c.target, err)
		}
	}
}

func TestCastDateFormat(t *testing.T) {
	cases := []struct {
		ms   int64
		want string
	}{
		{0, "00:00:00.000Z"},
		{castMillisPerHour, "01:00:00.000Z"},
		{castMillisPerDay - 1, "23:59:59.999Z"},
		{-1, "23:59:59.999Z"}, // before one day: time format, even when negative
		{-castMillisPerDay, "00:00:00.000Z"},
		{castMillisPerDay, "1970-01-02"},
		{castMillisPerDay + 1, "1970-01-02T00:00:00.001Z"},
		{1700000000123, "2023-11-14T22:13:20.123Z"},
		{253402300800000, "10000-01-01"},
		{-12219292800000, "00:00:00.000Z"}, // 1582-10-15
		{-62135596800000 - 1, "23:59:59.999Z"},
	}
	for _, c := range cases {
		if got := smtbDateFormat(time.UnixMilli(c.ms)); got != c.want {
			t.Errorf("%d: %q, want %q", c.ms, got, c.want)
		}
	}
}

// Using a transformation before Configure fails instead of panicking.
func TestSMTBUnconfigured(t *testing.T) {
	rec := castRecord(nil, nil, nil, mapOf("a", int32(1)))
	for name, tr := range map[string]Transformation{
		"Cast": &Cast{}, "ExtractField": &ExtractField{}, "Flatten": &Flatten{},
		"CastValue": NewCastValue(), "ExtractFieldValue": NewExtractFieldValue(),
	} {
		if _, err := tr.Apply(rec); err == nil || err.Error() != "transformation used before it was configured" {
			t.Errorf("%s: %v", name, err)
		}
		if err := tr.Close(); err != nil {
			t.Errorf("%s: close %v", name, err)
		}
	}
}
