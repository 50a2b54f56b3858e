package transforms

import (
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
)

// Fixtures of Kafka's MaskFieldTest. java.math.BigInteger has no Connect
// (and no Go data-model) counterpart, so the "bigint" entries are left out.
var maskNow = time.Date(2024, 10, 25, 12, 34, 56, 789e6, time.UTC)

var maskSchema = data.StructBuilder().
	Field("magic", data.Int32Schema).
	Field("bool", data.BooleanSchema).
	Field("byte", data.Int8Schema).
	Field("short", data.Int16Schema).
	Field("int", data.Int32Schema).
	Field("long", data.Int64Schema).
	Field("float", data.Float32Schema).
	Field("double", data.Float64Schema).
	Field("string", data.StringSchema).
	Field("date", data.DateSchema).
	Field("time", data.TimeSchema).
	Field("timestamp", data.TimestampSchema).
	Field("decimal", data.DecimalSchema(0)).
	Field("array", data.ArrayOf(data.Int32Schema)).
	Field("map", data.MapOf(data.StringSchema, data.StringSchema)).
	MustBuild()

func maskValues() *data.Map {
	return mapOf(
		"magic", int32(42),
		"bool", true,
		"byte", int8(42),
		"short", int16(42),
		"int", int32(42),
		"long", int64(42),
		"float", float32(42),
		"double", float64(42),
		"string", "55.121.20.20",
		"date", maskNow,
		"bigdec", data.NewDecimal(big.NewInt(420), 1),
		"list", []any{int32(42)},
		"map", mapOf("key", "value"),
	)
}

func maskValuesWithSchema() *data.Struct {
	return data.NewStruct(maskSchema).
		MustPut("magic", int32(42)).
		MustPut("bool", true).
		MustPut("byte", int8(42)).
		MustPut("short", int16(42)).
		MustPut("int", int32(42)).
		MustPut("long", int64(42)).
		MustPut("float", float32(42)).
		MustPut("double", float64(42)).
		MustPut("string", "hmm").
		MustPut("date", time.Date(2024, 10, 25, 0, 0, 0, 0, time.UTC)).
		MustPut("time", time.UnixMilli(45296789).UTC()).
		MustPut("timestamp", maskNow).
		MustPut("decimal", data.NewDecimal(big.NewInt(42), 0)).
		MustPut("array", []any{int32(1), int32(2), int32(3)}).
		MustPut("map", mapOf("what", "what"))
}

// maskTransform mirrors MaskFieldTest.transform: a MaskField$Value with the
// given fields and replacement (nil = not set).
func maskTransform(t testing.TB, fields []string, replacement *string) *MaskField {
	t.Helper()
	props := map[string]string{"fields": strings.Join(fields, ",")}
	if replacement != nil {
		props["replacement"] = *replacement
	}
	return configured(t, NewMaskFieldValue(), props)
}

func maskRecord(schema *data.Schema, value any) *connectors.Record {
	return sinkRecord(nil, nil, schema, value, 0)
}

func ptr(s string) *string { return &s }

func TestMaskFieldConfigDef(t *testing.T) {
	smtaWantKeys(t, NewMaskFieldValue().Config(), []configdef.Key{
		{Name: "fields", Type: configdef.TypeList, Default: configdef.NoDefault, Validator: nonEmptyList(),
			Importance: configdef.High, Doc: "Names of fields to mask."},
		{Name: "replacement", Type: configdef.TypeString, Default: nil, Validator: configdef.NonEmptyString(), Importance: configdef.Low,
			Doc: "Custom value replacement, that will be applied to all 'fields' values (numeric or non-empty string values only)."},
		{Name: "replace.null.with.default", Type: configdef.TypeBoolean, Default: true, Importance: configdef.Medium,
			Doc: "Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used."},
	})
	smtaWantPlugins(t, maskFieldPlugins(), maskFieldConfigDef,
		"org.apache.kafka.connect.transforms.MaskField$Key", "org.apache.kafka.connect.transforms.MaskField$Value")
}

func TestMaskFieldConfigErrors(t *testing.T) {
	cases := []struct {
		name  string
		props map[string]string
		want  string
	}{
		{"missing fields", map[string]string{}, `Missing required configuration "fields" which has no default value.`},
		{"empty fields", map[string]string{"fields": " "}, "Invalid value [] for configuration fields: Empty list"},
		// Kafka: testEmptyStringReplacementValue.
		{"empty replacement", map[string]string{"fields": "short", "replacement": ""},
			"Invalid value  for configuration replacement: String must be non-empty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			smtaWantConfigError(t, NewMaskFieldValue().Configure(c.props), c.want)
		})
	}
}

// Kafka: testSchemaless.
func TestMaskFieldSchemaless(t *testing.T) {
	values := maskValues()
	var fields []string
	for _, e := range values.Entries {
		if e.Key != "magic" {
			fields = append(fields, e.Key.(string))
		}
	}
	out := smtaApply(t, maskTransform(t, fields, nil), maskRecord(nil, values))
	want := mapOf(
		"magic", int32(42),
		"bool", false,
		"byte", int8(0),
		"short", int16(0),
		"int", int32(0),
		"long", int64(0),
		"float", float32(0),
		"double", float64(0),
		"string", "",
		"date", time.UnixMilli(0).UTC(),
		"bigdec", data.NewDecimal(big.NewInt(0), 0),
		"list", []any{},
		"map", data.NewMap(0),
	)
	smtaWantEqual(t, "value", out.Value, want)
	if out.Value.(*data.Map).Linked || out.ValueSchema != nil {
		t.Fatal("want a schemaless java.util.HashMap")
	}
	smtaWantEqual(t, "input", values, maskValues())
}

// Kafka: testWithSchema.
func TestMaskFieldWithSchema(t *testing.T) {
	var fields []string
	for _, f := range maskSchema.Fields {
		if f.Name != "magic" {
			fields = append(fields, f.Name)
		}
	}
	input := maskValuesWithSchema()
	out := smtaApply(t, maskTransform(t, fields, nil), maskRecord(maskSchema, input))
	if out.ValueSchema != maskSchema || out.Value.(*data.Struct).Schema() != maskSchema {
		t.Fatal("the schema must be kept")
	}
	epoch := time.UnixMilli(0).UTC()
	for name, want := range map[string]any{
		"magic": int32(42), "bool": false, "byte": int8(0), "short": int16(0), "int": int32(0), "long": int64(0),
		"float": float32(0), "double": float64(0), "string": "", "date": epoch, "time": epoch, "timestamp": epoch,
		"decimal": data.NewDecimal(big.NewInt(0), 0), "array": []any{}, "map": data.NewMap(0),
	} {
		smtaWantEqual(t, name, smtaField(t, out.Value, name), want)
	}
	if !input.Equal(maskValuesWithSchema()) {
		t.Fatal("input struct modified")
	}
}

// Kafka: testSchemalessWithReplacement (checkReplacementSchemaless passes
// String.valueOf(expected) as the replacement).
func TestMaskFieldSchemalessWithReplacement(t *testing.T) {
	cases := []struct {
		field, replacement string
		want               any
	}{
		{"short", "123", int16(123)},
		{"byte", "123", int8(123)},
		{"int", "123", int32(123)},
		{"long", "123", int64(123)},
		{"float", "123.0", float32(123)},
		{"double", "123.0", float64(123)},
		{"string", "123", "123"},
		{"bigdec", "123.0", data.NewDecimal(big.NewInt(1230), 1)},
	}
	for _, c := range cases {
		t.Run(c.field, func(t *testing.T) {
			out := smtaApply(t, maskTransform(t, []string{c.field}, ptr(c.replacement)), maskRecord(nil, maskValues()))
			got, _ := smtaMapEntry(t, out.Value, c.field)
			smtaWantEqual(t, "Invalid replacement for "+c.field+" value", got, c.want)
		})
	}
}

// Kafka: testSchemalessUnsupportedReplacementType.
func TestMaskFieldSchemalessUnsupportedReplacementType(t *testing.T) {
	cases := []struct {
		fields      []string
		replacement string
		want        string
	}{
		{[]string{"date"}, "Fri Oct 25 12:34:56 UTC 2024", "Cannot mask value of type class java.util.Date with custom replacement."},
		{[]string{"int", "date"}, "Fri Oct 25 12:34:56 UTC 2024", "Cannot mask value of type class java.util.Date with custom replacement."},
		{[]string{"bool"}, "false", "Cannot mask value of type class java.lang.Boolean with custom replacement."},
		{[]string{"list"}, "[123]", "Cannot mask value of type class java.util.ArrayList with custom replacement."},
		{[]string{"map"}, "{123=321}", "Cannot mask value of type class java.util.HashMap with custom replacement."},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.fields, ","), func(t *testing.T) {
			_, err := maskTransform(t, c.fields, ptr(c.replacement)).Apply(maskRecord(nil, maskValues()))
			smtaWantDataError(t, err, c.want)
		})
	}
}

// Kafka: testWithSchemaAndReplacement.
func TestMaskFieldWithSchemaAndReplacement(t *testing.T) {
	cases := []struct {
		field, replacement string
		want               any
	}{
		{"short", "123", int16(123)},
		{"byte", "123", int8(123)},
		{"int", "123", int32(123)},
		{"long", "123", int64(123)},
		{"float", "123.0", float32(123)},
		{"double", "123.0", float64(123)},
		{"string", "123", "123"},
		{"decimal", "123.0", data.NewDecimal(big.NewInt(1230), 1)},
	}
	for _, c := range cases {
		t.Run(c.field, func(t *testing.T) {
			out := smtaApply(t, maskTransform(t, []string{c.field}, ptr(c.replacement)), maskRecord(maskSchema, maskValuesWithSchema()))
			smtaWantEqual(t, "Invalid replacement for "+c.field+" value", smtaField(t, out.Value, c.field), c.want)
			smtaWantEqual(t, "magic", smtaField(t, out.Value, "magic"), int32(42))
		})
	}
}

// Kafka: testWithSchemaUnsupportedReplacementType.
func TestMaskFieldWithSchemaUnsupportedReplacementType(t *testing.T) {
	cases := []struct {
		field, replacement, want string
	}{
		{"time", "Fri Oct 25 12:34:56 UTC 2024", "Cannot mask value of type class java.util.Date with custom replacement."},
		{"timestamp", "Fri Oct 25 12:34:56 UTC 2024", "Cannot mask value of type class java.util.Date with custom replacement."},
		{"array", "[123]", "Cannot mask value of type class java.util.ArrayList with custom replacement."},
	}
	for _, c := range cases {
		t.Run(c.field, func(t *testing.T) {
			_, err := maskTransform(t, []string{c.field}, ptr(c.replacement)).Apply(maskRecord(maskSchema, maskValuesWithSchema()))
			smtaWantDataError(t, err, c.want)
		})
	}
}

// Kafka: testReplacementTypeMismatch. Values.convertTo* raise their own
// DataException for non-numbers ("... to a number"); only the BigDecimal
// constructor's NumberFormatException gets MaskField's "... to number".
func TestMaskFieldReplacementTypeMismatch(t *testing.T) {
	cases := []struct {
		fields      []string
		replacement string
		want        string
	}{
		{[]string{"byte"}, "foo", "Unable to convert foo (class java.lang.String) to a number"},
		{[]string{"short"}, "foo", "Unable to convert foo (class java.lang.String) to a number"},
		{[]string{"int"}, "foo", "Unable to convert foo (class java.lang.String) to a number"},
		{[]string{"long"}, "foo", "Unable to convert foo (class java.lang.String) to a number"},
		{[]string{"float"}, "foo", "Unable to convert foo (class java.lang.String) to a number"},
		{[]string{"double"}, "foo", "Unable to convert foo (class java.lang.String) to a number"},
		{[]string{"bigdec"}, "foo", "Unable to convert foo (class java.lang.String) to number"},
		{[]string{"int"}, "Fri Oct 25 12:34:56 UTC 2024", "Unable to convert Fri Oct 25 12:34:56 UTC 2024 (class java.lang.String) to a number"},
		{[]string{"int"}, "java.lang.Object@1b6d3586", "Unable to convert java.lang.Object@1b6d3586 (class java.lang.String) to a number"},
		{[]string{"string", "int"}, "foo", "Unable to convert foo (class java.lang.String) to a number"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.fields, ",")+"="+c.replacement, func(t *testing.T) {
			_, err := maskTransform(t, c.fields, ptr(c.replacement)).Apply(maskRecord(nil, maskValues()))
			smtaWantDataError(t, err, c.want)
		})
	}
}

// Kafka: testNullListAndMapReplacementsAreMutable — every masked list and
// map is a fresh value the caller may change.
func TestMaskFieldNullListAndMapReplacementsAreFresh(t *testing.T) {
	xform := maskTransform(t, []string{"array", "map"}, nil)
	first := smtaApply(t, xform, maskRecord(maskSchema, maskValuesWithSchema()))
	second := smtaApply(t, xform, maskRecord(maskSchema, maskValuesWithSchema()))
	m1, m2 := smtaField(t, first.Value, "map").(*data.Map), smtaField(t, second.Value, "map").(*data.Map)
	if m1 == m2 || m1.Linked {
		t.Fatal("masked maps must be distinct java.util.HashMaps")
	}
	m1.Put("k", "v")
	smtaWantEqual(t, "other map", m2, data.NewMap(0))
	l := smtaField(t, first.Value, "array").([]any)
	smtaWantEqual(t, "array", append(l, int32(0)), []any{int32(0)})
}

func TestMaskFieldNullsAndTombstones(t *testing.T) {
	xform := maskTransform(t, []string{"a", "missing"}, nil)

	// Null field values stay null; a listed field absent from the map is added with null.
	out := smtaApply(t, xform, maskRecord(nil, mapOf("a", nil, "b", int32(1))))
	smtaWantEqual(t, "value", out.Value, mapOf("a", nil, "b", int32(1), "missing", nil))
	if _, ok := smtaMapEntry(t, out.Value, "missing"); !ok {
		t.Fatal("missing field not added")
	}

	// No tombstone shortcut.
	_, err := xform.Apply(maskRecord(nil, nil))
	smtaWantDataError(t, err, "Only Map objects supported in absence of schema for [mask fields], found: null")
	schema := data.NewStructSchema(data.F("a", data.OptionalInt32Schema))
	_, err = xform.Apply(maskRecord(schema, nil))
	smtaWantDataError(t, err, "Only Struct objects supported for [mask fields], found: null")

	out = smtaApply(t, xform, maskRecord(schema, data.NewStruct(schema)))
	smtaWantEqual(t, "a", smtaField(t, out.Value, "a"), nil)
}

func TestMaskFieldUnsupportedTypes(t *testing.T) {
	inner := data.NewStructSchema(data.F("x", data.Int32Schema))
	schema := data.NewStructSchema(data.F("bytes", data.BytesSchema), data.F("struct", inner))
	value := data.NewStruct(schema).MustPut("bytes", []byte{1}).MustPut("struct", data.NewStruct(inner).MustPut("x", int32(1)))

	_, err := maskTransform(t, []string{"bytes"}, nil).Apply(maskRecord(schema, value))
	smtaWantDataError(t, err, "Cannot mask value of type: class [B")
	_, err = maskTransform(t, []string{"struct"}, nil).Apply(maskRecord(schema, value))
	smtaWantDataError(t, err, "Cannot mask value of type: class org.apache.kafka.connect.data.Struct")
	_, err = maskTransform(t, []string{"bytes"}, ptr("1")).Apply(maskRecord(schema, value))
	smtaWantDataError(t, err, "Cannot mask value of type class [B with custom replacement.")
}

// Several failing fields: the first in java.util.HashSet order is reported.
func TestMaskFieldErrorOrder(t *testing.T) {
	// "bool" (hash 3029738) lands in bucket 4 of 16, "date" (3076014) in bucket 0.
	_, err := maskTransform(t, []string{"bool", "date"}, ptr("x")).Apply(maskRecord(nil, maskValues()))
	smtaWantDataError(t, err, "Cannot mask value of type class java.util.Date with custom replacement.")
}

func TestMaskFieldKey(t *testing.T) {
	xform := configured(t, NewMaskFieldKey(), map[string]string{"fields": "id"})
	schema := data.NewStructSchema(data.F("id", data.Int64Schema))
	out := smtaApply(t, xform, sinkRecord(schema, data.NewStruct(schema).MustPut("id", int64(9)), data.StringSchema, "v", 3))
	smtaWantEqual(t, "id", smtaField(t, out.Key, "id"), int64(0))
	if out.KeySchema != schema || out.Value != "v" || out.ValueSchema != data.StringSchema || out.KafkaOffset != 3 {
		t.Fatalf("record not preserved: %+v", out)
	}
}

// KIP-1040: replace.null.with.default when reading the struct fields.
func TestMaskFieldReplaceNullWithDefault(t *testing.T) {
	schema := data.NewStructSchema(
		data.F("masked", data.NewSchemaBuilder(data.TypeInt32).Optional().Default(int32(42)).MustBuild()),
		data.F("kept", data.NewSchemaBuilder(data.TypeString).Optional().Default("dflt").MustBuild()))
	value := data.NewStruct(schema)
	for _, c := range []struct {
		replace      string
		masked, kept any
	}{{"true", int32(0), "dflt"}, {"false", nil, nil}} {
		t.Run(c.replace, func(t *testing.T) {
			xform := configured(t, NewMaskFieldValue(), map[string]string{"fields": "masked", "replace.null.with.default": c.replace})
			out := smtaApply(t, xform, maskRecord(schema, value)).Value.(*data.Struct)
			for name, want := range map[string]any{"masked": c.masked, "kept": c.kept} {
				got, err := out.GetWithoutDefault(name)
				if err != nil {
					t.Fatal(err)
				}
				smtaWantEqual(t, name, got, want)
			}
		})
	}
}
