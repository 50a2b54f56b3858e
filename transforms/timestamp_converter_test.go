package transforms

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
)

// The instants of TimestampConverterTest.
var (
	tscTime             = time.UnixMilli(1234).UTC()     // 1970-01-01T00:00:01.234Z
	tscDate             = time.UnixMilli(86400000).UTC() // 1970-01-02T00:00:00Z
	tscDatePlusTime     = time.UnixMilli(86401234).UTC() // 1970-01-02T00:00:01.234Z
	tscDatePlusTimeUnix = int64(86401234)
	tscUnixMicros       = int64(86401234123)
	tscUnixNanos        = int64(86401234123456)
	tscUnixSeconds      = int64(86401)
)

const (
	tscStringFormat = "yyyy MM dd HH mm ss SSS z"
	tscString       = "1970 01 02 00 00 01 234 UTC"
)

// tscProps builds a config: target type, then key/value pairs.
func tscProps(target string, kv ...string) map[string]string {
	p := map[string]string{"target.type": target}
	for i := 0; i+1 < len(kv); i += 2 {
		p[kv[i]] = kv[i+1]
	}
	return p
}

func TestTimestampConverterPlugins(t *testing.T) {
	plugins := timestampConverterPlugins()
	want := []string{"org.apache.kafka.connect.transforms.TimestampConverter$Key", "org.apache.kafka.connect.transforms.TimestampConverter$Value"}
	if len(plugins) != len(want) {
		t.Fatalf("plugins = %v", plugins)
	}
	for i, p := range plugins {
		tr, ok := p.NewTransformation().(*TimestampConverter)
		if p.Class != want[i] || !ok || p.NewPredicate != nil || tr.Config() != timestampConverterConfigDef {
			t.Errorf("plugin %d = %+v", i, p)
		}
		if (tr.side == keySide) != (i == 0) {
			t.Errorf("plugin %s operates on the wrong side", p.Class)
		}
	}
	names := timestampConverterConfigDef.Names()
	if strings.Join(names, ",") != "field,target.type,format,unix.precision,replace.null.with.default" {
		t.Errorf("config keys = %v", names)
	}
	k, _ := timestampConverterConfigDef.Key("unix.precision")
	if k.Default != "milliseconds" || k.Importance != configdef.Low || k.Validator.String() != "[nanoseconds, microseconds, milliseconds, seconds]" {
		t.Errorf("unix.precision key = %+v", k)
	}
	k, _ = timestampConverterConfigDef.Key("target.type")
	if k.HasDefault() || k.Importance != configdef.High || k.Validator.String() != "[string, unix, Date, Time, Timestamp]" {
		t.Errorf("target.type key = %+v", k)
	}
}

// Ports testConfigNoTargetType, testConfigInvalidTargetType,
// testConfigInvalidUnixPrecision, testConfigValidUnixPrecision,
// testConfigMissingFormat and testConfigInvalidFormat.
func TestTimestampConverterConfig(t *testing.T) {
	tests := []struct {
		name  string
		props map[string]string
		want  string // "" for success
	}{
		{"no target type", map[string]string{}, `Missing required configuration "target.type" which has no default value.`},
		{"invalid target type", tscProps("invalid"),
			"Invalid value invalid for configuration target.type: String must be one of: string, unix, Date, Time, Timestamp"},
		{"target type is case-sensitive", tscProps("timestamp"),
			"Invalid value timestamp for configuration target.type: String must be one of: string, unix, Date, Time, Timestamp"},
		{"invalid unix precision", tscProps("unix", "unix.precision", "invalid"),
			"Invalid value invalid for configuration unix.precision: String must be one of: nanoseconds, microseconds, milliseconds, seconds"},
		{"valid unix precision", tscProps("unix", "unix.precision", "seconds"), ""},
		{"missing format", tscProps("string"), "TimestampConverter requires format option to be specified when using string timestamps"},
		{"blank format", tscProps("string", "format", "  "), "TimestampConverter requires format option to be specified when using string timestamps"},
		{"invalid format", tscProps("string", "format", "bad-format"),
			"Invalid value java.lang.IllegalArgumentException: Illegal pattern character 'b' for configuration " +
				"TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: bad-format"},
		{"invalid format for another target", tscProps("Timestamp", "format", "yyyy'"),
			"Invalid value java.lang.IllegalArgumentException: Unterminated quote for configuration " +
				"TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: yyyy'"},
		{"bad replace.null.with.default", tscProps("Date", "replace.null.with.default", "maybe"),
			"Invalid value maybe for configuration replace.null.with.default: Expected value to be either true or false"},
	}
	for _, tt := range tests {
		err := NewTimestampConverterValue().Configure(tt.props)
		if tt.want == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		var ce *configdef.ConfigError
		if !errors.As(err, &ce) || ce.Error() != tt.want {
			t.Errorf("%s: error = %v, want ConfigError %q", tt.name, err, tt.want)
		}
	}
}

type tscCase struct {
	name       string
	props      map[string]string
	schema     *data.Schema
	value      any
	wantSchema *data.Schema
	wantValue  any
}

func tscRun(t *testing.T, tests []tscCase) {
	t.Helper()
	for _, tt := range tests {
		xf := configured(t, NewTimestampConverterValue(), tt.props)
		in := sourceRecord(nil, nil, tt.schema, tt.value)
		out, err := xf.Apply(in)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !out.ValueSchema.Equal(tt.wantSchema) {
			t.Errorf("%s: schema = %v, want %v", tt.name, out.ValueSchema, tt.wantSchema)
		}
		if !data.ValuesEqual(out.Value, tt.wantValue) {
			t.Errorf("%s: value = %#v, want %#v", tt.name, out.Value, tt.wantValue)
		}
		if tm, ok := out.Value.(time.Time); ok && tm.Location() != time.UTC {
			t.Errorf("%s: time not in UTC: %v", tt.name, tm)
		}
	}
}

// Ports the schemaless conversions from and to Timestamp
// (testSchemaless{Identity,TimestampTo*,*ToTimestamp}) and
// testSchemalessStringToUnix_{Micros,Nanos,Seconds}.
func TestTimestampConverterSchemaless(t *testing.T) {
	tscRun(t, []tscCase{
		{"Identity", tscProps("Timestamp"), nil, tscDatePlusTime, nil, tscDatePlusTime},
		{"TimestampToDate", tscProps("Date"), nil, tscDatePlusTime, nil, tscDate},
		{"TimestampToTime", tscProps("Time"), nil, tscDatePlusTime, nil, tscTime},
		{"TimestampToUnix", tscProps("unix"), nil, tscDatePlusTime, nil, tscDatePlusTimeUnix},
		{"TimestampToString", tscProps("string", "format", tscStringFormat), nil, tscDatePlusTime, nil, tscString},
		{"DateToTimestamp", tscProps("Timestamp"), nil, tscDate, nil, tscDate},
		{"TimeToTimestamp", tscProps("Timestamp"), nil, tscTime, nil, tscTime},
		{"UnixToTimestamp", tscProps("Timestamp"), nil, tscDatePlusTimeUnix, nil, tscDatePlusTime},
		{"StringToTimestamp", tscProps("Timestamp", "format", tscStringFormat), nil, tscString, nil, tscDatePlusTime},
		// Sub-millisecond parts are lost: the pivot is a java.util.Date.
		{"StringToUnix_Micros", tscProps("unix", "unix.precision", "microseconds", "format", tscStringFormat), nil, tscString, nil, int64(86401234000)},
		{"StringToUnix_Nanos", tscProps("unix", "unix.precision", "nanoseconds", "format", tscStringFormat), nil, tscString, nil, int64(86401234000000)},
		{"StringToUnix_Seconds", tscProps("unix", "unix.precision", "seconds", "format", tscStringFormat), nil, tscString, nil, tscUnixSeconds},
	})
}

// Ports the schema'd conversions (testWithSchema{Identity,TimestampTo*,*ToTimestamp}).
func TestTimestampConverterWithSchema(t *testing.T) {
	tscRun(t, []tscCase{
		{"Identity", tscProps("Timestamp"), data.TimestampSchema, tscDatePlusTime, data.TimestampSchema, tscDatePlusTime},
		{"TimestampToDate", tscProps("Date"), data.TimestampSchema, tscDatePlusTime, data.DateSchema, tscDate},
		{"TimestampToTime", tscProps("Time"), data.TimestampSchema, tscDatePlusTime, data.TimeSchema, tscTime},
		{"TimestampToUnix", tscProps("unix"), data.TimestampSchema, tscDatePlusTime, data.Int64Schema, tscDatePlusTimeUnix},
		{"TimestampToString", tscProps("string", "format", tscStringFormat), data.TimestampSchema, tscDatePlusTime, data.StringSchema, tscString},
		{"DateToTimestamp", tscProps("Timestamp"), data.DateSchema, tscDate, data.TimestampSchema, tscDate},
		{"TimeToTimestamp", tscProps("Timestamp"), data.TimeSchema, tscTime, data.TimestampSchema, tscTime},
		{"UnixToTimestamp", tscProps("Timestamp"), data.Int64Schema, tscDatePlusTimeUnix, data.TimestampSchema, tscDatePlusTime},
		{"StringToTimestamp", tscProps("Timestamp", "format", tscStringFormat), data.StringSchema, tscString, data.TimestampSchema, tscDatePlusTime},
	})
}

// Ports testSchemalessNullValueTo{String,Date,Timestamp,Unix,Time}: a null
// value, with and without a field configured, stays null.
func TestTimestampConverterSchemalessNull(t *testing.T) {
	var tests []tscCase
	for _, target := range []string{"string", "Date", "Timestamp", "unix", "Time"} {
		tests = append(tests,
			tscCase{"null value to " + target, tscProps(target, "format", tscStringFormat), nil, nil, nil, nil},
			tscCase{"null value with field to " + target, tscProps(target, "format", tscStringFormat, "field", "ts"), nil, nil, nil, nil})
	}
	tscRun(t, tests)
}

// Ports testWithSchemaNullValueTo* and testWithSchemaNullFieldTo* for every
// target type and source schema.
func TestTimestampConverterWithSchemaNull(t *testing.T) {
	sources := []*data.Schema{data.OptionalInt64Schema, data.OptionalTimeSchema, data.OptionalDateSchema,
		data.OptionalStringSchema, data.OptionalTimestampSchema}
	targets := map[string]*data.Schema{
		"Timestamp": data.OptionalTimestampSchema, "unix": data.OptionalInt64Schema, "Time": data.OptionalTimeSchema,
		"Date": data.OptionalDateSchema, "string": data.OptionalStringSchema,
	}
	for target, expected := range targets {
		for _, source := range sources {
			name := target + " from " + source.String()
			// testWithSchemaNullValueConversion
			tscRun(t, []tscCase{{name + ": null value", tscProps(target, "format", tscStringFormat), source, nil, expected, nil}})

			// testWithSchemaNullFieldConversion
			xf := configured(t, NewTimestampConverterValue(), tscProps(target, "format", tscStringFormat, "field", "ts"))
			structSchema := data.StructBuilder().Field("ts", source).Field("other", data.StringSchema)
			expectedSchema := data.StructBuilder().Field("ts", expected).Field("other", data.StringSchema)
			original := data.NewStruct(structSchema.MustBuild()).MustPut("ts", nil).MustPut("other", "test")
			out, err := xf.Apply(sourceRecord(nil, nil, original.Schema(), original))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !out.ValueSchema.Equal(expectedSchema.MustBuild()) {
				t.Errorf("%s: schema = %+v", name, out.ValueSchema)
			}
			ts, err := requireStruct(out.Value, "")
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if v, _ := ts.Get("ts"); v != nil {
				t.Errorf("%s: ts = %v, want null", name, v)
			}
			if v, _ := ts.Get("other"); v != "test" {
				t.Errorf("%s: other = %v", name, v)
			}

			// the entire struct is null
			out, err = xf.Apply(sourceRecord(nil, nil, structSchema.Optional().MustBuild(), nil))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !out.ValueSchema.Equal(expectedSchema.Optional().MustBuild()) || out.Value != nil {
				t.Errorf("%s: null struct gave %+v, %#v", name, out.ValueSchema, out.Value)
			}
		}
	}
}

// Ports testSchemalessFieldConversion.
func TestTimestampConverterSchemalessFieldConversion(t *testing.T) {
	xf := configured(t, NewTimestampConverterValue(), tscProps("Date", "field", "ts"))
	in := mapOf("ts", tscDatePlusTime)
	in.Linked = true
	out, err := xf.Apply(sourceRecord(nil, nil, nil, in))
	if err != nil {
		t.Fatal(err)
	}
	got, ok := out.Value.(*data.Map)
	if out.ValueSchema != nil || !ok || !data.ValuesEqual(got, mapOf("ts", tscDate)) || got.Linked {
		t.Errorf("got %v %#v", out.ValueSchema, out.Value)
	}
	if v, _ := in.Get("ts"); !data.ValuesEqual(v, tscDatePlusTime) {
		t.Errorf("input map modified: %v", in)
	}
}

// Ports testWithSchemaFieldConversion and its _Micros, _Nanos and _Seconds
// variants.
func TestTimestampConverterWithSchemaFieldConversion(t *testing.T) {
	tests := []struct {
		precision string
		ts        int64
		want      time.Time
		withOther bool
	}{
		{"", tscDatePlusTimeUnix, tscDatePlusTime, true},
		{"microseconds", tscUnixMicros, tscDatePlusTime, false},
		{"nanoseconds", tscUnixNanos, tscDatePlusTime, false},
		{"seconds", tscUnixSeconds, time.UnixMilli(86401000).UTC(), false},
	}
	for _, tt := range tests {
		props := tscProps("Timestamp", "field", "ts")
		if tt.precision != "" {
			props["unix.precision"] = tt.precision
		}
		xf := configured(t, NewTimestampConverterValue(), props)
		b := data.StructBuilder().Field("ts", data.Int64Schema)
		eb := data.StructBuilder().Field("ts", data.TimestampSchema)
		if tt.withOther {
			b.Field("other", data.StringSchema)
			eb.Field("other", data.StringSchema)
		}
		schema := b.MustBuild()
		original := data.NewStruct(schema).MustPut("ts", tt.ts)
		if tt.withOther {
			original.MustPut("other", "test")
		}
		out, err := xf.Apply(sourceRecord(nil, nil, schema, original))
		if err != nil {
			t.Fatalf("%s: %v", tt.precision, err)
		}
		if !out.ValueSchema.Equal(eb.MustBuild()) {
			t.Errorf("%s: schema = %+v", tt.precision, out.ValueSchema)
		}
		s := out.Value.(*data.Struct)
		if v, _ := s.Get("ts"); !data.ValuesEqual(v, tt.want) {
			t.Errorf("%s: ts = %v, want %v", tt.precision, v, tt.want)
		}
		if tt.withOther {
			if v, _ := s.Get("other"); v != "test" {
				t.Errorf("other = %v", v)
			}
		}
	}
}

// Ports testKey.
func TestTimestampConverterKey(t *testing.T) {
	xf := configured(t, NewTimestampConverterKey(), tscProps("Timestamp"))
	in := &connectors.Record{Topic: "topic", Partition: 0, Key: tscDatePlusTime}
	out, err := xf.Apply(in)
	if err != nil {
		t.Fatal(err)
	}
	if out.KeySchema != nil || !data.ValuesEqual(out.Key, tscDatePlusTime) {
		t.Errorf("key = %v %v", out.KeySchema, out.Key)
	}
	// The key side converts the key only.
	xf = configured(t, NewTimestampConverterKey(), tscProps("unix", "unix.precision", "seconds"))
	out, err = xf.Apply(sourceRecord(data.TimestampSchema, tscDatePlusTime, data.TimestampSchema, tscDate))
	if err != nil {
		t.Fatal(err)
	}
	if out.KeySchema != data.Int64Schema || out.Key != tscUnixSeconds || out.ValueSchema != data.TimestampSchema || out.Value != tscDate {
		t.Errorf("key side: %v %v %v %v", out.KeySchema, out.Key, out.ValueSchema, out.Value)
	}
}

// Beyond TimestampConverterTest: unix output precisions, which truncate
// toward zero when coarser and saturate when finer.
func TestTimestampConverterUnixPrecision(t *testing.T) {
	tscRun(t, []tscCase{
		{"to seconds", tscProps("unix", "unix.precision", "seconds"), data.TimestampSchema, tscDatePlusTime, data.Int64Schema, tscUnixSeconds},
		{"to micros", tscProps("unix", "unix.precision", "microseconds"), data.TimestampSchema, tscDatePlusTime, data.Int64Schema, int64(86401234000)},
		{"to nanos", tscProps("unix", "unix.precision", "nanoseconds"), data.OptionalTimestampSchema, tscDatePlusTime, data.OptionalInt64Schema, int64(86401234000000)},
		{"negative to seconds", tscProps("unix", "unix.precision", "seconds"), nil, time.UnixMilli(-1500).UTC(), nil, int64(-1)},
		{"negative micros in", tscProps("Timestamp", "unix.precision", "microseconds"), nil, int64(-1999), nil, time.UnixMilli(-1).UTC()},
		{"huge seconds in saturate", tscProps("unix", "unix.precision", "seconds"), data.Int64Schema, int64(1) << 62, data.Int64Schema, int64(1<<63-1) / 1000},
		{"Date before 1970", tscProps("Date"), nil, time.UnixMilli(-1).UTC(), nil, time.UnixMilli(-86400000).UTC()},
		{"Time before 1970", tscProps("Time"), nil, time.UnixMilli(-1).UTC(), nil, time.UnixMilli(86399999).UTC()},
		{"string to string", tscProps("string", "format", "yyyy-MM-dd'T'HH:mm:ssXXX"), data.StringSchema, "2020-01-01T10:00:00+02:00", data.StringSchema, "2020-01-01T08:00:00Z"},
		{"lenient parse", tscProps("Date", "format", "yyyy-MM-dd"), data.OptionalStringSchema, "2020-13-45 and more", data.OptionalDateSchema, time.Date(2021, 2, 14, 0, 0, 0, 0, time.UTC)},
	})
}

// Beyond TimestampConverterTest: apply errors with Kafka's messages.
func TestTimestampConverterErrors(t *testing.T) {
	person := data.StructBuilder().Field("ts", data.Int32Schema).MustBuild()
	tests := []struct {
		name     string
		props    map[string]string
		schema   *data.Schema
		value    any
		want     string
		dataErr  bool
		keyValue bool
	}{
		{"schemaless unsupported type", tscProps("Date"), nil, int32(5),
			"TimestampConverter does not support class java.lang.Integer objects as timestamps", true, false},
		{"schema of no timestamp type", tscProps("Date"), data.Int32Schema, int32(5),
			"Schema Schema{INT32} does not correspond to a known timestamp type format", false, false},
		{"schema of no timestamp type, null value", tscProps("Date"), data.OptionalInt32Schema, nil,
			"Schema Schema{INT32} does not correspond to a known timestamp type format", false, false},
		{"field of no timestamp type", tscProps("Date", "field", "ts"), person, data.NewStruct(person).MustPut("ts", int32(1)),
			"Schema Schema{INT32} does not correspond to a known timestamp type format", false, false},
		{"unparseable string", tscProps("Timestamp", "format", "yyyy-MM-dd"), nil, "2020.01.01",
			"Could not parse timestamp: value (2020.01.01) does not match pattern (yyyy-MM-dd)", true, false},
		{"string without format", tscProps("Timestamp"), data.StringSchema, "2020",
			`Cannot invoke "java.text.SimpleDateFormat.parse(String)" because "config.format" is null`, false, false},
		{"string schema, other value", tscProps("Timestamp", "format", "yyyy"), data.StringSchema, int64(5),
			"Expected string timestamp to be a String, but found class java.lang.Long", true, false},
		{"int64 schema, other value", tscProps("Timestamp"), data.Int64Schema, int32(5),
			"Expected Unix timestamp to be a Long, but found class java.lang.Integer", true, false},
		{"Date schema, other value", tscProps("Timestamp"), data.DateSchema, int32(5),
			"Expected Date to be a java.util.Date, but found class java.lang.Integer", true, false},
		{"Time schema, other value", tscProps("Timestamp"), data.TimeSchema, "x",
			"Expected Time to be a java.util.Date, but found class java.lang.String", true, false},
		{"Timestamp schema, other value", tscProps("Date"), data.TimestampSchema, int64(1),
			"Expected Timestamp to be a java.util.Date, but found class java.lang.Long", true, false},
		{"schemaless field needs a map", tscProps("Date", "field", "ts"), nil, "x",
			"Only Map objects supported in absence of schema for [converting timestamp formats], found: java.lang.String", true, false},
		{"schema'd field needs a struct", tscProps("Date", "field", "ts"), data.StringSchema, "x",
			"Only Struct objects supported for [converting timestamp formats], found: java.lang.String", true, false},
		{"field of a null non-struct value", tscProps("Date", "field", "ts"), data.OptionalInt64Schema, nil,
			"Cannot list fields on non-struct type", true, false},
		{"key side", tscProps("Date"), nil, true,
			"TimestampConverter does not support class java.lang.Boolean objects as timestamps", true, true},
	}
	for _, tt := range tests {
		var xf *TimestampConverter
		var in *connectors.Record
		if tt.keyValue {
			xf = configured(t, NewTimestampConverterKey(), tt.props)
			in = sourceRecord(tt.schema, tt.value, nil, nil)
		} else {
			xf = configured(t, NewTimestampConverterValue(), tt.props)
			in = sourceRecord(nil, nil, tt.schema, tt.value)
		}
		out, err := xf.Apply(in)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: got %v, %v; want error %q", tt.name, out, err, tt.want)
			continue
		}
		var de *data.DataError
		if errors.As(err, &de) != tt.dataErr {
			t.Errorf("%s: DataException = %v, want %v", tt.name, !tt.dataErr, tt.dataErr)
		}
	}
}

// Beyond TimestampConverterTest: replace.null.with.default (KIP-1040)
// decides whether null fields read as their default.
func TestTimestampConverterReplaceNullWithDefault(t *testing.T) {
	def := time.UnixMilli(86400000 * 3).UTC()
	schema := data.StructBuilder().
		Field("ts", data.TimestampBuilder().Optional().Default(def).MustBuild()).
		Field("other", data.NewSchemaBuilder(data.TypeString).Optional().Default("dflt").MustBuild()).
		MustBuild()
	value := data.NewStruct(schema) // both fields null
	wantSchema := data.StructBuilder().Field("ts", data.OptionalInt64Schema).
		Field("other", data.NewSchemaBuilder(data.TypeString).Optional().Default("dflt").MustBuild()).MustBuild()

	for _, tt := range []struct {
		setting          string
		wantTs, wantOthr any
	}{
		{"", int64(86400000 * 3), "dflt"},
		{"true", int64(86400000 * 3), "dflt"},
		{"false", nil, nil},
	} {
		props := tscProps("unix", "field", "ts")
		if tt.setting != "" {
			props["replace.null.with.default"] = tt.setting
		}
		out, err := configured(t, NewTimestampConverterValue(), props).Apply(sourceRecord(nil, nil, schema, value))
		if err != nil {
			t.Fatalf("%q: %v", tt.setting, err)
		}
		if !out.ValueSchema.Equal(wantSchema) {
			t.Errorf("%q: schema = %+v", tt.setting, out.ValueSchema)
		}
		s := out.Value.(*data.Struct)
		if v, _ := s.GetWithoutDefault("ts"); !data.ValuesEqual(v, tt.wantTs) {
			t.Errorf("%q: ts = %v, want %v", tt.setting, v, tt.wantTs)
		}
		if v, _ := s.GetWithoutDefault("other"); !data.ValuesEqual(v, tt.wantOthr) {
			t.Errorf("%q: other = %v, want %v", tt.setting, v, tt.wantOthr)
		}
	}
}

// Beyond TimestampConverterTest: the updated struct schema keeps the
// original's name, version, doc, parameters and optionality, converts a
// default struct, and is cached per input schema.
func TestTimestampConverterSchemaUpdate(t *testing.T) {
	base := data.StructBuilder().Name("com.example.Event").Version(3).Doc("an event").Parameter("p", "v").
		Field("id", data.Int32Schema).Field("at", data.TimestampSchema).Optional()
	noDefault := base.MustBuild()
	defStruct := data.NewStruct(noDefault).MustPut("id", int32(0)).MustPut("at", tscDatePlusTime)
	// As with Java's SchemaBuilder, the default struct is built on the
	// schema before the default is set.
	withDefault := *noDefault
	withDefault.Default = defStruct
	schema := &withDefault

	wantBase := data.StructBuilder().Name("com.example.Event").Version(3).Doc("an event").Parameter("p", "v").
		Field("id", data.Int32Schema).Field("at", data.StringSchema).Optional().MustBuild()
	want := *wantBase
	want.Default = data.NewStruct(wantBase).MustPut("id", int32(0)).MustPut("at", "1970-01-02")

	xf := configured(t, NewTimestampConverterValue(), tscProps("string", "field", "at", "format", "yyyy-MM-dd"))
	in := data.NewStruct(schema).MustPut("id", int32(7)).MustPut("at", tscDate)
	r := sourceRecord(nil, nil, schema, in)
	out, err := xf.Apply(r)
	if err != nil {
		t.Fatal(err)
	}
	if !out.ValueSchema.Equal(&want) {
		t.Errorf("schema = %+v, want %+v", out.ValueSchema, &want)
	}
	wantValue := data.NewStruct(out.ValueSchema).MustPut("id", int32(7)).MustPut("at", "1970-01-02")
	if !data.ValuesEqual(out.Value, wantValue) {
		t.Errorf("value = %v", out.Value)
	}
	if v, _ := in.Get("at"); v != tscDate || r.ValueSchema != schema {
		t.Errorf("input modified")
	}
	out2, err := xf.Apply(sourceRecord(nil, nil, schema, nil))
	if err != nil {
		t.Fatal(err)
	}
	if out2.ValueSchema != out.ValueSchema || out2.Value != nil {
		t.Errorf("schema not cached or null value converted: %p %p %v", out2.ValueSchema, out.ValueSchema, out2.Value)
	}
}

// Beyond TimestampConverterTest: the rest of the record is kept.
func TestTimestampConverterKeepsRecord(t *testing.T) {
	in := sinkRecord(data.StringSchema, "k", data.Int64Schema, tscDatePlusTimeUnix, 42)
	in.Timestamp, in.HasTimestamp, in.TimestampType = 99, true, connectors.CreateTime
	in.Headers = []connectors.Header{{Key: "h", Schema: data.StringSchema, Value: "v"}}
	out, err := configured(t, NewTimestampConverterValue(), tscProps("Date")).Apply(in)
	if err != nil {
		t.Fatal(err)
	}
	if out == in || out.Topic != "test" || out.Partition != 0 || !out.Sink || out.KafkaOffset != 42 || out.Timestamp != 99 ||
		!out.HasTimestamp || out.Key != "k" || out.KeySchema != data.StringSchema || len(out.Headers) != 1 || out.Headers[0].Value != "v" {
		t.Errorf("record = %+v", out)
	}
	if out.ValueSchema != data.DateSchema || !data.ValuesEqual(out.Value, tscDate) || in.Value != tscDatePlusTimeUnix {
		t.Errorf("value = %v %v (input %v)", out.ValueSchema, out.Value, in.Value)
	}
}

// Beyond TimestampConverterTest: parsing a zone name switches the shared
// format to that zone, so Kafka formats later records in it.
func TestTimestampConverterParsedZoneSticks(t *testing.T) {
	xf := configured(t, NewTimestampConverterValue(), tscProps("string", "format", "yyyy-MM-dd HH:mm z"))
	out, err := xf.Apply(sourceRecord(nil, nil, nil, "2020-07-01 10:00 PDT"))
	if err != nil || out.Value != "2020-07-01 10:00 PDT" {
		t.Fatalf("string to string = %v, %v", out, err)
	}
	out, err = xf.Apply(sourceRecord(nil, nil, nil, time.UnixMilli(0).UTC()))
	if err != nil || out.Value != "1969-12-31 16:00 PST" {
		t.Errorf("next record = %v, %v", out.Value, err)
	}
}
