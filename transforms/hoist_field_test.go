package transforms

import (
	"testing"

	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
)

func TestHoistFieldConfigDef(t *testing.T) {
	smtaWantKeys(t, NewHoistFieldKey().Config(), []configdef.Key{
		{Name: "field", Type: configdef.TypeString, Default: configdef.NoDefault, Importance: configdef.Medium,
			Doc: "Field name for the single field that will be created in the resulting Struct or Map."},
	})
	smtaWantPlugins(t, hoistFieldPlugins(), hoistFieldConfigDef,
		"org.apache.kafka.connect.transforms.HoistField$Key", "org.apache.kafka.connect.transforms.HoistField$Value")
	smtaWantConfigError(t, NewHoistFieldValue().Configure(map[string]string{}),
		`Missing required configuration "field" which has no default value.`)
}

// Kafka: schemaless.
func TestHoistFieldSchemaless(t *testing.T) {
	xform := configured(t, NewHoistFieldKey(), map[string]string{"field": "magic"})
	out := smtaApply(t, xform, sinkRecord(nil, int32(42), nil, nil, 0))
	if out.KeySchema != nil {
		t.Fatal("key schema must be null")
	}
	smtaWantEqual(t, "key", out.Key, mapOf("magic", int32(42)))
}

// Kafka: withSchema.
func TestHoistFieldWithSchema(t *testing.T) {
	xform := configured(t, NewHoistFieldKey(), map[string]string{"field": "magic"})
	record := sinkRecord(data.Int32Schema, int32(42), nil, nil, 0)
	out := smtaApply(t, xform, record)
	smtaWantSchema(t, "key schema", out.KeySchema, data.NewStructSchema(data.F("magic", data.Int32Schema)))
	if out.KeySchema.Field("magic").Schema != record.KeySchema {
		t.Fatal("field schema must be the original key schema")
	}
	smtaWantEqual(t, "magic", smtaField(t, out.Key, "magic"), int32(42))

	again := smtaApply(t, xform, sinkRecord(data.Int32Schema, int32(7), nil, nil, 1))
	if again.KeySchema != out.KeySchema {
		t.Fatal("schema not cached")
	}
}

// Kafka: testSchemalessMapIsMutable — the result is a java.util.HashMap of
// its own.
func TestHoistFieldSchemalessMapIsMutable(t *testing.T) {
	xform := configured(t, NewHoistFieldKey(), map[string]string{"field": "magic"})
	out := smtaApply(t, xform, sinkRecord(nil, int32(420), nil, nil, 0))
	if out.KeySchema != nil {
		t.Fatal("key schema must be null")
	}
	key := out.Key.(*data.Map)
	if key.Linked {
		t.Fatal("want a java.util.HashMap")
	}
	key.Put("k", "v")
	smtaWantEqual(t, "key", key, mapOf("k", "v", "magic", int32(420)))
}

func TestHoistFieldValueAndNulls(t *testing.T) {
	xform := configured(t, NewHoistFieldValue(), map[string]string{"field": "line"})

	// Schemaless null is wrapped too.
	out := smtaApply(t, xform, sourceRecord(nil, "k", nil, nil))
	smtaWantEqual(t, "value", out.Value, mapOf("line", nil))
	if _, ok := smtaMapEntry(t, out.Value, "line"); !ok {
		t.Fatal("null must be wrapped")
	}
	if out.Key != "k" {
		t.Fatal("key must be kept")
	}

	// Optional schema: null is a valid field value.
	out = smtaApply(t, xform, sourceRecord(nil, nil, data.OptionalStringSchema, nil))
	smtaWantSchema(t, "schema", out.ValueSchema, data.NewStructSchema(data.F("line", data.OptionalStringSchema)))
	smtaWantEqual(t, "line", smtaField(t, out.Value, "line"), nil)

	// Required schema: Struct.put rejects null.
	_, err := xform.Apply(sourceRecord(nil, nil, data.StringSchema, nil))
	smtaWantDataError(t, err, `Invalid value: null used for required field: "line", schema type: STRING`)

	// A value that does not match its schema fails too.
	_, err = xform.Apply(sourceRecord(nil, nil, data.StringSchema, int32(1)))
	smtaWantDataError(t, err, `Invalid Java object for schema with type STRING: class java.lang.Integer for field: "line"`)
}

func TestHoistFieldEmptyName(t *testing.T) {
	xform := configured(t, NewHoistFieldValue(), map[string]string{"field": ""})
	_, err := xform.Apply(sourceRecord(nil, nil, data.StringSchema, "x"))
	smtaWantDataError(t, err, "fieldName cannot be null.")
	out := smtaApply(t, xform, sourceRecord(nil, nil, nil, "x"))
	smtaWantEqual(t, "value", out.Value, mapOf("", "x"))
}
