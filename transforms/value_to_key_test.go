package transforms

import (
	"testing"

	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
)

func TestValueToKeyConfigDef(t *testing.T) {
	smtaWantKeys(t, NewValueToKey().Config(), []configdef.Key{
		{Name: "fields", Type: configdef.TypeList, Default: configdef.NoDefault, Validator: nonEmptyList(),
			Importance: configdef.High, Doc: "Field names on the record value to extract as the record key."},
		{Name: "replace.null.with.default", Type: configdef.TypeBoolean, Default: true, Importance: configdef.Medium,
			Doc: "Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used."},
	})
	smtaWantPlugins(t, valueToKeyPlugins(), valueToKeyConfigDef, "org.apache.kafka.connect.transforms.ValueToKey")
}

func TestValueToKeyConfigErrors(t *testing.T) {
	smtaWantConfigError(t, NewValueToKey().Configure(map[string]string{}),
		`Missing required configuration "fields" which has no default value.`)
	smtaWantConfigError(t, NewValueToKey().Configure(map[string]string{"fields": ""}),
		"Invalid value [] for configuration fields: Empty list")
}

// Kafka: schemaless.
func TestValueToKeySchemaless(t *testing.T) {
	xform := configured(t, NewValueToKey(), map[string]string{"fields": "a,b"})
	value := mapOf("a", int32(1), "b", int32(2), "c", int32(3))
	record := sinkRecord(nil, nil, nil, value, 0)
	out := smtaApply(t, xform, record)

	if out.KeySchema != nil {
		t.Fatal("key schema must be null")
	}
	smtaWantEqual(t, "key", out.Key, mapOf("a", int32(1), "b", int32(2)))
	if out.Key.(*data.Map).Linked {
		t.Fatal("want a java.util.HashMap key")
	}
	if out.Value != value || out.ValueSchema != nil || out.Topic != record.Topic || out.Partition != record.Partition {
		t.Fatal("value and routing must be kept")
	}
}

// Kafka: withSchema.
func TestValueToKeyWithSchema(t *testing.T) {
	xform := configured(t, NewValueToKey(), map[string]string{"fields": "a,b"})
	valueSchema := data.NewStructSchema(data.F("a", data.Int32Schema), data.F("b", data.Int32Schema), data.F("c", data.Int32Schema))
	value := data.NewStruct(valueSchema).MustPut("a", int32(1)).MustPut("b", int32(2)).MustPut("c", int32(3))

	out := smtaApply(t, xform, sinkRecord(nil, nil, valueSchema, value, 0))

	expectedKeySchema := data.NewStructSchema(data.F("a", data.Int32Schema), data.F("b", data.Int32Schema))
	expectedKey := data.NewStruct(expectedKeySchema).MustPut("a", int32(1)).MustPut("b", int32(2))
	smtaWantSchema(t, "key schema", out.KeySchema, expectedKeySchema)
	smtaWantEqual(t, "key", out.Key, expectedKey)
	if out.Value != value || out.ValueSchema != valueSchema {
		t.Fatal("value must be kept")
	}

	again := smtaApply(t, xform, sinkRecord(nil, nil, valueSchema, value, 1))
	if again.KeySchema != out.KeySchema {
		t.Fatal("key schema not cached")
	}
}

// Kafka: nonExistingField.
func TestValueToKeyNonExistingField(t *testing.T) {
	xform := configured(t, NewValueToKey(), map[string]string{"fields": "not_exist"})
	valueSchema := data.NewStructSchema(data.F("a", data.Int32Schema))
	value := data.NewStruct(valueSchema).MustPut("a", int32(1))
	_, err := xform.Apply(sinkRecord(nil, nil, valueSchema, value, 0))
	smtaWantDataError(t, err, "Field does not exist: not_exist")
}

func TestValueToKeyFieldOrderAndMissing(t *testing.T) {
	// Key struct fields follow the configured order, not the value's.
	xform := configured(t, NewValueToKey(), map[string]string{"fields": "c,a"})
	valueSchema := data.NewStructSchema(data.F("a", data.Int32Schema), data.F("b", data.Int32Schema), data.F("c", data.OptionalStringSchema))
	value := data.NewStruct(valueSchema).MustPut("a", int32(1)).MustPut("b", int32(2))
	out := smtaApply(t, xform, sinkRecord(nil, nil, valueSchema, value, 0))
	smtaWantSchema(t, "key schema", out.KeySchema, data.NewStructSchema(data.F("c", data.OptionalStringSchema), data.F("a", data.Int32Schema)))

	// Schemaless: a missing field becomes a null entry.
	out = smtaApply(t, xform, sinkRecord(nil, nil, nil, mapOf("a", int32(1)), 0))
	smtaWantEqual(t, "key", out.Key, mapOf("c", nil, "a", int32(1)))
	if _, ok := smtaMapEntry(t, out.Key, "c"); !ok {
		t.Fatal("missing field must be put with null")
	}

	// A field listed twice cannot be added twice to the key schema.
	dup := configured(t, NewValueToKey(), map[string]string{"fields": "a,a"})
	_, err := dup.Apply(sinkRecord(nil, nil, valueSchema, value, 0))
	smtaWantDataError(t, err, "Cannot create field because of field name duplication a")
}

func TestValueToKeyRequirements(t *testing.T) {
	xform := configured(t, NewValueToKey(), map[string]string{"fields": "a"})
	_, err := xform.Apply(sinkRecord(nil, nil, nil, nil, 0))
	smtaWantDataError(t, err, "Only Map objects supported in absence of schema for [copying fields from value to key], found: null")
	schema := data.NewStructSchema(data.F("a", data.OptionalInt32Schema))
	_, err = xform.Apply(sinkRecord(nil, nil, schema, nil, 0))
	smtaWantDataError(t, err, "Only Struct objects supported for [copying fields from value to key], found: null")
	_, err = xform.Apply(sinkRecord(nil, nil, nil, []any{int32(1)}, 0))
	smtaWantDataError(t, err, "Only Map objects supported in absence of schema for [copying fields from value to key], found: java.util.ArrayList")
}

// KIP-1040: replace.null.with.default when copying into the key.
func TestValueToKeyReplaceNullWithDefault(t *testing.T) {
	schema := data.NewStructSchema(data.F("abc", data.NewSchemaBuilder(data.TypeInt32).Optional().Default(int32(42)).MustBuild()))
	value := data.NewStruct(schema).MustPut("abc", nil)
	for _, c := range []struct {
		replace string
		want    any
	}{{"false", nil}, {"true", int32(42)}} {
		t.Run(c.replace, func(t *testing.T) {
			xform := configured(t, NewValueToKey(), map[string]string{"fields": "abc", "replace.null.with.default": c.replace})
			out := smtaApply(t, xform, sinkRecord(nil, nil, schema, value, 0))
			got, err := out.Key.(*data.Struct).GetWithoutDefault("abc")
			if err != nil {
				t.Fatal(err)
			}
			smtaWantEqual(t, "abc", got, c.want)
		})
	}
}
