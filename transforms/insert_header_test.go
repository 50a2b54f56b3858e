package transforms

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
)

// hdrSourceWithHeaders is InsertHeaderTest/DropHeadersTest.sourceRecord:
// schemaless key "key" and value "value" on "topic" partition 0.
func hdrSourceWithHeaders(headers ...connectors.Header) *connectors.Record {
	return &connectors.Record{Topic: "topic", Partition: 0, HasTimestamp: true, Timestamp: 0,
		SourcePartition: map[string]any{"foo": "bar"}, SourceOffset: map[string]any{"baz": "quxx"},
		Key: "key", Value: "value", Headers: headers}
}

func hdrStrHeader(key, value string) connectors.Header {
	return connectors.Header{Key: key, Schema: data.StringSchema, Value: value}
}

// hdrAssertNonHeaders is assertNonHeaders: everything but the headers is kept.
func hdrAssertNonHeaders(t *testing.T, original, xformed *connectors.Record) {
	t.Helper()
	want := *original
	got := *xformed
	want.Headers, got.Headers = nil, nil
	if !reflect.DeepEqual(want, got) {
		t.Errorf("record changed beyond its headers: %+v, want %+v", got, want)
	}
}

func TestInsertHeader(t *testing.T) {
	for _, c := range []struct {
		name            string
		header, literal string
		existing, want  []connectors.Header
	}{
		{"insertionWithExistingOtherHeader", "inserted", "inserted-value",
			[]connectors.Header{hdrStrHeader("existing", "existing-value")},
			[]connectors.Header{hdrStrHeader("existing", "existing-value"), hdrStrHeader("inserted", "inserted-value")}},
		{"insertionWithExistingSameHeader", "existing", "inserted-value",
			[]connectors.Header{hdrStrHeader("existing", "preexisting-value")},
			[]connectors.Header{hdrStrHeader("existing", "preexisting-value"), hdrStrHeader("existing", "inserted-value")}},
		{"insertionWithByteHeader", "inserted", "1",
			[]connectors.Header{hdrStrHeader("existing", "existing-value")},
			[]connectors.Header{hdrStrHeader("existing", "existing-value"), {Key: "inserted", Schema: data.Int8Schema, Value: int8(1)}}},
		// Values.parseString typing of the literal.
		{"int16", "h", "300", nil, []connectors.Header{{Key: "h", Schema: data.Int16Schema, Value: int16(300)}}},
		{"boolean", "h", "true", nil, []connectors.Header{{Key: "h", Schema: data.BooleanSchema, Value: true}}},
		{"float", "h", "1.5", nil, []connectors.Header{{Key: "h", Schema: data.Float32Schema, Value: float32(1.5)}}},
		{"null", "h", "null", nil, []connectors.Header{{Key: "h"}}},
		{"empty", "h", "", nil, []connectors.Header{{Key: "h", Schema: data.StringSchema, Value: ""}}},
		{"date", "h", "2019-08-23", nil, []connectors.Header{{Key: "h", Schema: data.DateSchema,
			Value: time.Date(2019, 8, 23, 0, 0, 0, 0, time.UTC)}}},
		{"array", "h", "[1,2]", nil, []connectors.Header{{Key: "h", Schema: data.ArrayOf(data.Int8Schema), Value: []any{int8(1), int8(2)}}}},
		{"string with spaces", "h", "a b", nil, []connectors.Header{hdrStrHeader("h", "a b")}},
	} {
		t.Run(c.name, func(t *testing.T) {
			xform := configured(t, NewInsertHeader(), map[string]string{"header": c.header, "value.literal": c.literal})
			original := hdrSourceWithHeaders(c.existing...)
			xformed, err := xform.Apply(original)
			if err != nil {
				t.Fatal(err)
			}
			hdrAssertNonHeaders(t, original, xformed)
			hdrAssertHeaders(t, xformed.Headers, c.want)
			hdrAssertHeaders(t, original.Headers, c.existing)
		})
	}
}

func TestInsertHeaderConfigErrors(t *testing.T) {
	// configRejectsNullHeaderKey / configRejectsNullHeaderValue: Java
	// passes null; a properties map can only leave the key out.
	for _, c := range []struct {
		props map[string]string
		want  string
	}{
		{map[string]string{"value.literal": "1"}, `Missing required configuration "header" which has no default value.`},
		{map[string]string{"header": "inserted"}, `Missing required configuration "value.literal" which has no default value.`},
	} {
		err := NewInsertHeader().Configure(c.props)
		var ce *configdef.ConfigError
		if !errors.As(err, &ce) || err.Error() != c.want {
			t.Errorf("Configure(%v) = %v, want %q", c.props, err, c.want)
		}
	}
	// The NonNullValidator itself, for a null value.
	for _, name := range []string{"header", "value.literal"} {
		k, _ := insertHeaderConfigDef.Key(name)
		err := k.Validator.Validate(name, nil)
		if want := "Invalid value null for configuration " + name + ": entry must be non null"; err == nil || err.Error() != want {
			t.Errorf("%s validator on null: %v, want %q", name, err, want)
		}
	}
}

func TestInsertHeaderConfigDef(t *testing.T) {
	keys := NewInsertHeader().Config().Keys()
	want := []configdef.Key{
		{Name: "header", Type: configdef.TypeString, Importance: configdef.High, Doc: "The name of the header."},
		{Name: "value.literal", Type: configdef.TypeString, Importance: configdef.High,
			Doc: "The literal value that is to be set as the header value on all records."},
	}
	if len(keys) != len(want) {
		t.Fatalf("keys %+v", keys)
	}
	for i, w := range want {
		k := keys[i]
		if k.Name != w.Name || k.Type != w.Type || k.Importance != w.Importance || k.Doc != w.Doc || k.HasDefault() ||
			k.Validator == nil || k.Validator.String() != "non-null string" {
			t.Errorf("key %+v, want %+v", k, w)
		}
	}
	if ps := insertHeaderPlugins(); len(ps) != 1 || ps[0].Class != "org.apache.kafka.connect.transforms.InsertHeader" ||
		ps[0].NewTransformation() == nil {
		t.Errorf("plugins %+v", ps)
	}
}

// The sink side keeps its offset and timestamp type, and tombstones pass.
func TestInsertHeaderSinkTombstone(t *testing.T) {
	xform := configured(t, NewInsertHeader(), map[string]string{"header": "h", "value.literal": "v"})
	r := sinkRecord(nil, "k", nil, nil, 42)
	r.TimestampType = connectors.CreateTime
	got, err := xform.Apply(r)
	if err != nil {
		t.Fatal(err)
	}
	hdrAssertNonHeaders(t, r, got)
	hdrAssertHeaders(t, got.Headers, []connectors.Header{hdrStrHeader("h", "v")})
	if len(r.Headers) != 0 {
		t.Error("input record got headers")
	}
}
