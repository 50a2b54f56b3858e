package transforms

import (
	"errors"
	"reflect"
	"testing"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
)

// hdrRecordBuilder is HeaderFromTest.RecordBuilder: fields of the key or
// value (as a HashMap or a Struct) and headers.
type hdrRecordBuilder struct {
	fields  []string
	schemas []*data.Schema
	values  []any
	headers []connectors.Header
}

func hdrBuilder() *hdrRecordBuilder { return &hdrRecordBuilder{} }

func (b *hdrRecordBuilder) withField(name string, schema *data.Schema, value any) *hdrRecordBuilder {
	b.fields = append(b.fields, name)
	b.schemas = append(b.schemas, schema)
	b.values = append(b.values, value)
	return b
}

func (b *hdrRecordBuilder) addHeader(key string, schema *data.Schema, value any) *hdrRecordBuilder {
	b.headers = append(b.headers, connectors.Header{Key: key, Schema: schema, Value: value})
	return b
}

func (b *hdrRecordBuilder) schemaless(keyTransform bool) *connectors.Record {
	m := data.NewMap(len(b.fields))
	for i, f := range b.fields {
		m.Put(f, b.values[i])
	}
	// Schemaless transformations are not expected to give headers a schema.
	headers := make([]connectors.Header, len(b.headers))
	for i, h := range b.headers {
		headers[i] = connectors.Header{Key: h.Key, Value: h.Value}
	}
	return hdrSourceRecord(keyTransform, nil, m, headers)
}

func (b *hdrRecordBuilder) withSchema(keyTransform bool) *connectors.Record {
	sb := data.StructBuilder()
	for i, f := range b.fields {
		sb.Field(f, b.schemas[i])
	}
	schema := sb.MustBuild()
	s := data.NewStruct(schema)
	for i, f := range b.fields {
		s.MustPut(f, b.values[i])
	}
	return hdrSourceRecord(keyTransform, schema, s, append([]connectors.Header(nil), b.headers...))
}

// hdrSourceRecord is a SourceRecord on "topic" partition 0 at timestamp 0
// whose key or value is the given one (the other being "key" / "value").
func hdrSourceRecord(keyTransform bool, schema *data.Schema, v any, headers []connectors.Header) *connectors.Record {
	r := &connectors.Record{Topic: "topic", Partition: 0, HasTimestamp: true, Timestamp: 0, Headers: headers,
		SourcePartition: map[string]any{"foo": "bar"}, SourceOffset: map[string]any{"baz": "quxx"},
		Key: "key", Value: "value"}
	if keyTransform {
		r.KeySchema, r.Key = schema, v
	} else {
		r.ValueSchema, r.Value = schema, v
	}
	return r
}

// hdrAssertSameRecord is HeaderFromTest.assertSameRecord.
func hdrAssertSameRecord(t *testing.T, want, got *connectors.Record) {
	t.Helper()
	if got == nil {
		t.Fatal("got a nil record")
	}
	if !reflect.DeepEqual(want.SourcePartition, got.SourcePartition) || !reflect.DeepEqual(want.SourceOffset, got.SourceOffset) {
		t.Errorf("source partition/offset %v %v, want %v %v", got.SourcePartition, got.SourceOffset, want.SourcePartition, want.SourceOffset)
	}
	if got.Topic != want.Topic || got.Partition != want.Partition || got.HasTimestamp != want.HasTimestamp || got.Timestamp != want.Timestamp {
		t.Errorf("topic/partition/timestamp %q %d %v %d, want %q %d %v %d", got.Topic, got.Partition, got.HasTimestamp, got.Timestamp,
			want.Topic, want.Partition, want.HasTimestamp, want.Timestamp)
	}
	if !got.KeySchema.Equal(want.KeySchema) || !data.ValuesEqual(got.Key, want.Key) {
		t.Errorf("key %v %v, want %v %v", got.KeySchema, data.JavaString(got.Key), want.KeySchema, data.JavaString(want.Key))
	}
	if !got.ValueSchema.Equal(want.ValueSchema) || !data.ValuesEqual(got.Value, want.Value) {
		t.Errorf("value %v %v, want %v %v", got.ValueSchema, data.JavaString(got.Value), want.ValueSchema, data.JavaString(want.Value))
	}
	hdrAssertHeaders(t, got.Headers, want.Headers)
}

// hdrAssertHeaders compares headers as ConnectHeaders.equals does: same
// keys, schemas and values in the same order.
func hdrAssertHeaders(t *testing.T, got, want []connectors.Header) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("headers %v, want %v", hdrString(got), hdrString(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Key != w.Key || !g.Schema.Equal(w.Schema) || !data.ValuesEqual(g.Value, w.Value) {
			t.Fatalf("headers %v, want %v", hdrString(got), hdrString(want))
		}
	}
}

func hdrString(hs []connectors.Header) string {
	s := "["
	for i, h := range hs {
		if i > 0 {
			s += ", "
		}
		s += h.Key + "=" + h.Schema.String() + ":" + data.JavaString(h.Value)
	}
	return s + "]"
}

func hdrFromProps(headers, fields []string, operation string) map[string]string {
	return map[string]string{"headers": hdrJoinList(headers), "fields": hdrJoinList(fields), "operation": operation}
}

func hdrJoinList(l []string) string {
	s := ""
	for i, e := range l {
		if i > 0 {
			s += ","
		}
		s += e
	}
	return s
}

type hdrFromCase struct {
	name            string
	original        *hdrRecordBuilder
	fields, headers []string
	operation       string
	expected        *hdrRecordBuilder
}

// hdrFromCases is HeaderFromTest.data() (run for $Key and $Value).
func hdrFromCases() []hdrFromCase {
	str := data.StringSchema
	nested := data.StructBuilder().Field("foo", str).MustBuild()
	nestedValue := data.NewStruct(nested).MustPut("foo", "foo-value")
	base := func() *hdrRecordBuilder {
		return hdrBuilder().withField("field1", str, "field1-value").withField("field2", str, "field2-value")
	}
	return []hdrFromCase{
		{"basic copy", base().addHeader("header1", str, "existing-value"), []string{"field1"}, []string{"inserted1"}, "copy",
			base().addHeader("header1", str, "existing-value").addHeader("inserted1", str, "field1-value")},
		{"basic move", base().addHeader("header1", str, "existing-value"), []string{"field1"}, []string{"inserted1"}, "move",
			hdrBuilder().withField("field2", str, "field2-value").
				addHeader("header1", str, "existing-value").addHeader("inserted1", str, "field1-value")},
		{"copy with preexisting header", base().addHeader("inserted1", str, "existing-value"), []string{"field1"}, []string{"inserted1"}, "copy",
			base().addHeader("inserted1", str, "existing-value").addHeader("inserted1", str, "field1-value")},
		{"move with preexisting header", base().addHeader("inserted1", str, "existing-value"), []string{"field1"}, []string{"inserted1"}, "move",
			hdrBuilder().withField("field2", str, "field2-value").
				addHeader("inserted1", str, "existing-value").addHeader("inserted1", str, "field1-value")},
		{"copy with struct value",
			hdrBuilder().withField("field1", nested, nestedValue).withField("field2", str, "field2-value").addHeader("header1", str, "existing-value"),
			[]string{"field1"}, []string{"inserted1"}, "copy",
			hdrBuilder().withField("field1", nested, nestedValue).withField("field2", str, "field2-value").
				addHeader("header1", str, "existing-value").addHeader("inserted1", nested, nestedValue)},
		{"move with struct value",
			hdrBuilder().withField("field1", nested, nestedValue).withField("field2", str, "field2-value").addHeader("header1", str, "existing-value"),
			[]string{"field1"}, []string{"inserted1"}, "move",
			hdrBuilder().withField("field2", str, "field2-value").
				addHeader("header1", str, "existing-value").addHeader("inserted1", nested, nestedValue)},
		{"two headers from same field", base().addHeader("header1", str, "existing-value"),
			[]string{"field1", "field1"}, []string{"inserted1", "inserted2"}, "move",
			hdrBuilder().withField("field2", str, "field2-value").addHeader("header1", str, "existing-value").
				addHeader("inserted1", str, "field1-value").addHeader("inserted2", str, "field1-value")},
		{"two fields to same header", base().addHeader("header1", str, "existing-value"),
			[]string{"field1", "field2"}, []string{"inserted1", "inserted1"}, "move",
			hdrBuilder().addHeader("header1", str, "existing-value").
				addHeader("inserted1", str, "field1-value").addHeader("inserted1", str, "field2-value")},
	}
}

func hdrNewHeaderFrom(keyTransform bool) *HeaderFrom {
	if keyTransform {
		return NewHeaderFromKey()
	}
	return NewHeaderFromValue()
}

func hdrSideName(keyTransform bool) string {
	if keyTransform {
		return "Key"
	}
	return "Value"
}

func TestHeaderFromSchemaless(t *testing.T) {
	for _, key := range []bool{true, false} {
		for _, c := range hdrFromCases() {
			t.Run(hdrSideName(key)+"/"+c.name, func(t *testing.T) {
				xform := configured(t, hdrNewHeaderFrom(key), hdrFromProps(c.headers, c.fields, c.operation))
				original := c.original.schemaless(key)
				got, err := xform.Apply(original)
				if err != nil {
					t.Fatal(err)
				}
				hdrAssertSameRecord(t, c.expected.schemaless(key), got)
				// The input record and its map are left alone.
				hdrAssertSameRecord(t, c.original.schemaless(key), original)
				if m := c.original.schemaless(key); got.Key == original.Key && key || got.Value == original.Value && !key {
					t.Errorf("the transformed %v map is the input one (%v)", hdrSideName(key), m)
				}
				if v := got.Value; !key {
					if m, ok := v.(*data.Map); !ok || m.Linked {
						t.Errorf("value %#v is not a java.util.HashMap", v)
					}
				}
			})
		}
	}
}

func TestHeaderFromWithSchema(t *testing.T) {
	for _, key := range []bool{true, false} {
		for _, c := range hdrFromCases() {
			t.Run(hdrSideName(key)+"/"+c.name, func(t *testing.T) {
				xform := configured(t, hdrNewHeaderFrom(key), hdrFromProps(c.headers, c.fields, c.operation))
				original := c.original.withSchema(key)
				got, err := xform.Apply(original)
				if err != nil {
					t.Fatal(err)
				}
				hdrAssertSameRecord(t, c.expected.withSchema(key), got)
				hdrAssertSameRecord(t, c.original.withSchema(key), original)
			})
		}
	}
}

func TestHeaderFromInvalidConfig(t *testing.T) {
	const sizeMismatch = "'fields' config must have the same number of elements as 'headers' config."
	for _, key := range []bool{true, false} {
		for _, c := range []struct {
			name  string
			props map[string]string
			want  string
		}{
			// invalidConfigExtraHeaderConfig
			{"extra header", hdrFromProps([]string{"foo"}, []string{"foo", "bar"}, "copy"), sizeMismatch},
			// invalidConfigExtraFieldConfig
			{"extra field", hdrFromProps([]string{"foo", "bar"}, []string{"foo"}, "copy"), sizeMismatch},
			// invalidConfigEmptyHeadersAndFieldsConfig
			{"empty", hdrFromProps(nil, nil, "copy"), "Invalid value [] for configuration fields: Empty list"},
			{"empty headers", hdrFromProps(nil, []string{"a"}, "copy"), "Invalid value [] for configuration headers: Empty list"},
			{"operation", hdrFromProps([]string{"h"}, []string{"a"}, "Move"),
				"Invalid value Move for configuration operation: String must be one of: move, copy"},
			{"missing operation", map[string]string{"fields": "a", "headers": "h"},
				`Missing required configuration "operation" which has no default value.`},
			{"missing fields", map[string]string{"headers": "h", "operation": "copy"},
				`Missing required configuration "fields" which has no default value.`},
			{"replace.null.with.default", map[string]string{"fields": "a", "headers": "h", "operation": "copy", "replace.null.with.default": "yes"},
				"Invalid value yes for configuration replace.null.with.default: Expected value to be either true or false"},
		} {
			t.Run(hdrSideName(key)+"/"+c.name, func(t *testing.T) {
				err := hdrNewHeaderFrom(key).Configure(c.props)
				var ce *configdef.ConfigError
				if !errors.As(err, &ce) || err.Error() != c.want {
					t.Fatalf("Configure error %T %v, want ConfigError %q", err, err, c.want)
				}
			})
		}
	}
}

func TestHeaderFromConfigDef(t *testing.T) {
	want := []configdef.Key{
		{Name: "fields", Type: configdef.TypeList, Importance: configdef.High,
			Doc: "Field names in the record whose values are to be copied or moved to headers."},
		{Name: "headers", Type: configdef.TypeList, Importance: configdef.High,
			Doc: "Header names, in the same order as the field names listed in the fields configuration property."},
		{Name: "operation", Type: configdef.TypeString, Importance: configdef.High,
			Doc: "Either <code>move</code> if the fields are to be moved to the headers (removed from the key/value), or <code>copy</code> if the fields are to be copied to the headers (retained in the key/value)."},
		{Name: "replace.null.with.default", Type: configdef.TypeBoolean, Default: true, Importance: configdef.Medium,
			Doc: "Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used."},
	}
	keys := NewHeaderFromValue().Config().Keys()
	if len(keys) != len(want) {
		t.Fatalf("%d keys, want %d", len(keys), len(want))
	}
	for i, w := range want {
		k := keys[i]
		if k.Name != w.Name || k.Type != w.Type || k.Importance != w.Importance || k.Doc != w.Doc {
			t.Errorf("key %d = %+v, want %+v", i, k, w)
		}
		if i < 3 && k.HasDefault() || i == 3 && k.Default != true {
			t.Errorf("key %s default %v", k.Name, k.Default)
		}
	}
	if v := keys[0].Validator; v == nil || v.String() != "non-empty list" {
		t.Errorf("fields validator %v", v)
	}
	if v := keys[2].Validator; v == nil || v.String() != "[move, copy]" {
		t.Errorf("operation validator %v", v)
	}
}

func TestHeaderFromApplyErrors(t *testing.T) {
	str := data.StringSchema
	schema := data.StructBuilder().Field("a", str).MustBuild()
	for _, c := range []struct {
		name   string
		xform  *HeaderFrom
		props  map[string]string
		record *connectors.Record
		want   string
	}{
		{"schemaless tombstone copy", NewHeaderFromValue(), hdrFromProps([]string{"h"}, []string{"a"}, "copy"),
			sourceRecord(nil, nil, nil, nil), "Only Map objects supported in absence of schema for [header copy], found: null"},
		{"schemaless string key move", NewHeaderFromKey(), hdrFromProps([]string{"h"}, []string{"a"}, "move"),
			sourceRecord(nil, "k", nil, nil), "Only Map objects supported in absence of schema for [header move], found: java.lang.String"},
		{"schema'd null value", NewHeaderFromValue(), hdrFromProps([]string{"h"}, []string{"a"}, "copy"),
			sourceRecord(nil, nil, schema, nil), "Only Struct objects supported for [header copy], found: null"},
		{"schema'd missing field", NewHeaderFromValue(), hdrFromProps([]string{"h"}, []string{"b"}, "copy"),
			sourceRecord(nil, nil, schema, data.NewStruct(schema).MustPut("a", "x")),
			`Cannot invoke "org.apache.kafka.connect.data.Field.schema()" because the return value of "org.apache.kafka.connect.data.Schema.field(String)" is null`},
		{"schema'd missing field move", NewHeaderFromValue(), hdrFromProps([]string{"h"}, []string{"b"}, "move"),
			sourceRecord(nil, nil, schema, data.NewStruct(schema).MustPut("a", "x")),
			`Cannot invoke "org.apache.kafka.connect.data.Field.schema()" because the return value of "org.apache.kafka.connect.data.Schema.field(String)" is null`},
	} {
		t.Run(c.name, func(t *testing.T) {
			xform := configured(t, c.xform, c.props)
			got, err := xform.Apply(c.record)
			if err == nil || err.Error() != c.want || got != nil {
				t.Fatalf("Apply = %v, %v; want error %q", got, err, c.want)
			}
		})
	}
}

// replace.null.with.default (KIP-1040) decides whether a null field with a
// default is moved/copied as its default or as null; a null for a
// required header schema fails as ConnectHeaders.add does.
func TestHeaderFromReplaceNullWithDefault(t *testing.T) {
	optWithDefault := data.NewSchemaBuilder(data.TypeString).Optional().Default("dflt").MustBuild()
	schema := data.StructBuilder().Field("a", optWithDefault).Field("b", data.Int32Schema).MustBuild()
	value := data.NewStruct(schema).MustPut("b", int32(7))
	for _, c := range []struct {
		replace   string
		op        string
		wantValue any
	}{
		{"true", "copy", "dflt"},
		{"false", "copy", nil},
		{"true", "move", "dflt"},
		{"false", "move", nil},
	} {
		t.Run(c.op+"/"+c.replace, func(t *testing.T) {
			props := hdrFromProps([]string{"h"}, []string{"a"}, c.op)
			props["replace.null.with.default"] = c.replace
			xform := configured(t, NewHeaderFromValue(), props)
			got, err := xform.Apply(sourceRecord(nil, nil, schema, value))
			if err != nil {
				t.Fatal(err)
			}
			hdrAssertHeaders(t, got.Headers, []connectors.Header{{Key: "h", Schema: optWithDefault, Value: c.wantValue}})
			if c.op == "copy" {
				if got.Value != value || got.ValueSchema != schema {
					t.Errorf("copy changed the value: %v", got.Value)
				}
				return
			}
			wantSchema := data.StructBuilder().Field("b", data.Int32Schema).MustBuild()
			if !got.ValueSchema.Equal(wantSchema) || !data.ValuesEqual(got.Value, data.NewStruct(wantSchema).MustPut("b", int32(7))) {
				t.Errorf("moved value %v %v", got.ValueSchema, got.Value)
			}
		})
	}

	// A required field with a default, left null: Struct.get gives the
	// default; without replacement the null cannot go into the header.
	reqWithDefault := data.NewSchemaBuilder(data.TypeString).Default("dflt").MustBuild()
	schema2 := data.StructBuilder().Field("a", reqWithDefault).MustBuild()
	value2 := data.NewStruct(schema2)
	props := hdrFromProps([]string{"h"}, []string{"a"}, "copy")
	props["replace.null.with.default"] = "false"
	_, err := configured(t, NewHeaderFromValue(), props).Apply(sourceRecord(nil, nil, schema2, value2))
	if err == nil || err.Error() != "A null value requires an optional schema but was Schema{STRING}" {
		t.Errorf("copy of null required field: %v", err)
	}
	props["replace.null.with.default"] = "true"
	got, err := configured(t, NewHeaderFromValue(), props).Apply(sourceRecord(nil, nil, schema2, value2))
	if err != nil {
		t.Fatal(err)
	}
	hdrAssertHeaders(t, got.Headers, []connectors.Header{{Key: "h", Schema: reqWithDefault, Value: "dflt"}})
}

// The schema without the moved fields keeps the original's name, version,
// doc and parameters, is required, and is built once per input schema.
func TestHeaderFromMoveSchemaCached(t *testing.T) {
	schema := data.StructBuilder().Name("n").Version(3).Doc("d").Parameter("p", "v").Optional().
		Field("a", data.StringSchema).Field("b", data.OptionalInt64Schema).MustBuild()
	xform := configured(t, NewHeaderFromKey(), hdrFromProps([]string{"h"}, []string{"a"}, "move"))
	var schemas []*data.Schema
	for range 2 {
		r := sourceRecord(schema, data.NewStruct(schema).MustPut("a", "x").MustPut("b", int64(5)), nil, nil)
		got, err := xform.Apply(r)
		if err != nil {
			t.Fatal(err)
		}
		schemas = append(schemas, got.KeySchema)
		want := data.StructBuilder().Name("n").Version(3).Doc("d").Parameter("p", "v").
			Field("b", data.OptionalInt64Schema).MustBuild()
		if !got.KeySchema.Equal(want) {
			t.Fatalf("key schema %+v, want %+v", got.KeySchema, want)
		}
		if !data.ValuesEqual(got.Key, data.NewStruct(want).MustPut("b", int64(5))) {
			t.Errorf("key %v", got.Key)
		}
		hdrAssertHeaders(t, got.Headers, []connectors.Header{{Key: "h", Schema: data.StringSchema, Value: "x"}})
	}
	if schemas[0] != schemas[1] {
		t.Error("move schema not cached")
	}
}

// Schemaless: a field missing from the map gives a null header (and a move
// of it changes nothing); other map entries are kept.
func TestHeaderFromSchemalessMissingField(t *testing.T) {
	xform := configured(t, NewHeaderFromValue(), hdrFromProps([]string{"h"}, []string{"missing"}, "move"))
	got, err := xform.Apply(sourceRecord(nil, nil, nil, mapOf("a", int32(1))))
	if err != nil {
		t.Fatal(err)
	}
	hdrAssertHeaders(t, got.Headers, []connectors.Header{{Key: "h"}})
	if !data.ValuesEqual(got.Value, mapOf("a", int32(1))) || got.ValueSchema != nil {
		t.Errorf("value %v", got.Value)
	}
}

func TestHeaderFromPlugins(t *testing.T) {
	ps := headerFromPlugins()
	if len(ps) != 2 || ps[0].Class != "org.apache.kafka.connect.transforms.HeaderFrom$Key" ||
		ps[1].Class != "org.apache.kafka.connect.transforms.HeaderFrom$Value" {
		t.Fatalf("plugins %+v", ps)
	}
	if k := ps[0].NewTransformation().(*HeaderFrom); k.side != keySide {
		t.Error("$Key is not the key side")
	}
	if v := ps[1].NewTransformation().(*HeaderFrom); v.side != valueSide {
		t.Error("$Value is not the value side")
	}
}
