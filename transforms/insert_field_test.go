package transforms

import (
	"testing"
	"time"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
)

// insertFieldAllProps is the configuration most of Kafka's InsertFieldTest cases use.
func insertFieldAllProps() map[string]string {
	return map[string]string{
		"topic.field":     "topic_field!",
		"partition.field": "partition_field",
		"timestamp.field": "timestamp_field?",
		"static.field":    "instance_id",
		"static.value":    "my-instance-id",
	}
}

// withTimestamp returns r with a record timestamp.
func withTimestamp(r *connectors.Record, ts int64) *connectors.Record {
	r.Timestamp, r.HasTimestamp = ts, true
	return r
}

func TestInsertFieldConfigDef(t *testing.T) {
	opt := "Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default)."
	smtaWantKeys(t, NewInsertFieldValue().Config(), []configdef.Key{
		{Name: "topic.field", Type: configdef.TypeString, Default: nil, Importance: configdef.Medium, Doc: "Field name for Kafka topic. " + opt},
		{Name: "partition.field", Type: configdef.TypeString, Default: nil, Importance: configdef.Medium, Doc: "Field name for Kafka partition. " + opt},
		{Name: "offset.field", Type: configdef.TypeString, Default: nil, Importance: configdef.Medium, Doc: "Field name for Kafka offset - only applicable to sink connectors.<br/>" + opt},
		{Name: "timestamp.field", Type: configdef.TypeString, Default: nil, Importance: configdef.Medium, Doc: "Field name for record timestamp. " + opt},
		{Name: "static.field", Type: configdef.TypeString, Default: nil, Importance: configdef.Medium, Doc: "Field name for static data field. " + opt},
		{Name: "static.value", Type: configdef.TypeString, Default: nil, Importance: configdef.Medium, Doc: "Static field value, if field name configured."},
		{Name: "replace.null.with.default", Type: configdef.TypeBoolean, Default: true, Importance: configdef.Medium,
			Doc: "Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used."},
	})
	smtaWantPlugins(t, insertFieldPlugins(), insertFieldConfigDef,
		"org.apache.kafka.connect.transforms.InsertField$Key", "org.apache.kafka.connect.transforms.InsertField$Value")
}

func TestInsertFieldConfigErrors(t *testing.T) {
	cases := []struct {
		name  string
		props map[string]string
		want  string
	}{
		{"nothing configured", map[string]string{}, "No field insertion configured"},
		{"only static value", map[string]string{"static.value": "v"}, "No field insertion configured"},
		{"static field without value", map[string]string{"static.field": "instance_id"},
			"Invalid value null for configuration static.value: No value specified for static field: org.apache.kafka.connect.transforms.InsertField$InsertionSpec@82b61905"},
		{"bad boolean", map[string]string{"topic.field": "t", "replace.null.with.default": "maybe"},
			"Invalid value maybe for configuration replace.null.with.default: Expected value to be either true or false"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			smtaWantConfigError(t, NewInsertFieldValue().Configure(c.props), c.want)
		})
	}
}

// Kafka: topLevelStructRequired.
func TestInsertFieldTopLevelStructRequired(t *testing.T) {
	xform := configured(t, NewInsertFieldValue(), map[string]string{"topic.field": "topic_field"})
	_, err := xform.Apply(sourceRecord(nil, nil, data.Int32Schema, int32(42)))
	smtaWantDataError(t, err, "Only Struct objects supported for [field insertion], found: java.lang.Integer")
}

func TestInsertFieldSchemalessRequiresMap(t *testing.T) {
	xform := configured(t, NewInsertFieldValue(), map[string]string{"topic.field": "topic_field"})
	_, err := xform.Apply(sourceRecord(nil, nil, nil, "text"))
	smtaWantDataError(t, err, "Only Map objects supported in absence of schema for [field insertion], found: java.lang.String")
}

// Kafka: copySchemaAndInsertConfiguredFields.
func TestInsertFieldCopySchemaAndInsertConfiguredFields(t *testing.T) {
	xform := configured(t, NewInsertFieldValue(), insertFieldAllProps())

	simpleStructSchema := data.StructBuilder().Name("name").Version(1).Doc("doc").Field("magic", data.OptionalInt64Schema).MustBuild()
	simpleStruct := data.NewStruct(simpleStructSchema).MustPut("magic", int64(42))

	record := withTimestamp(sourceRecord(nil, nil, simpleStructSchema, simpleStruct), 789)
	record.Partition = 0
	transformed := smtaApply(t, xform, record)

	got := transformed.ValueSchema
	if got.Name != "name" || got.Version == nil || *got.Version != 1 || got.Doc != "doc" || got.Optional {
		t.Fatalf("schema basics not copied: %#v", got)
	}
	wantSchema := data.StructBuilder().Name("name").Version(1).Doc("doc").
		Field("magic", data.OptionalInt64Schema).
		Field("topic_field", data.StringSchema).
		Field("partition_field", data.OptionalInt32Schema).
		Field("timestamp_field", data.TimestampBuilder().Optional().MustBuild()).
		Field("instance_id", data.OptionalStringSchema).
		MustBuild()
	smtaWantSchema(t, "value schema", got, wantSchema)

	v := transformed.Value
	smtaWantEqual(t, "magic", smtaField(t, v, "magic"), int64(42))
	smtaWantEqual(t, "topic_field", smtaField(t, v, "topic_field"), "test")
	smtaWantEqual(t, "partition_field", smtaField(t, v, "partition_field"), int32(0))
	ts, ok := smtaField(t, v, "timestamp_field").(time.Time)
	if !ok || ts.UnixMilli() != 789 || ts.Location() != time.UTC {
		t.Fatalf("timestamp_field: got %v", smtaField(t, v, "timestamp_field"))
	}
	smtaWantEqual(t, "instance_id", smtaField(t, v, "instance_id"), "my-instance-id")

	// Exercise caching.
	record2 := sourceRecord(nil, nil, simpleStructSchema, data.NewStruct(simpleStructSchema))
	record2.Partition = 1
	transformed2 := smtaApply(t, xform, record2)
	if transformed2.ValueSchema != transformed.ValueSchema {
		t.Fatal("updated schema not cached")
	}
	// No timestamp on the second record: the optional field stays null.
	smtaWantEqual(t, "timestamp_field", smtaField(t, transformed2.Value, "timestamp_field"), nil)
	smtaWantEqual(t, "partition_field", smtaField(t, transformed2.Value, "partition_field"), int32(1))

	// The input is untouched.
	if simpleStruct.Schema() != simpleStructSchema || len(simpleStructSchema.Fields) != 1 {
		t.Fatal("input struct or schema modified")
	}
}

// Kafka: schemalessInsertConfiguredFields.
func TestInsertFieldSchemalessInsertConfiguredFields(t *testing.T) {
	xform := configured(t, NewInsertFieldValue(), insertFieldAllProps())

	value := mapOf("magic", int64(42))
	record := withTimestamp(sourceRecord(nil, nil, nil, value), 123)
	record.Partition = 0
	transformed := smtaApply(t, xform, record)

	want := mapOf("magic", int64(42), "topic_field", "test", "partition_field", int32(0),
		"timestamp_field", int64(123), "instance_id", "my-instance-id")
	smtaWantEqual(t, "value", transformed.Value, want)
	if transformed.ValueSchema != nil {
		t.Fatal("schemaless result has a schema")
	}
	if out := transformed.Value.(*data.Map); out == value || out.Linked {
		t.Fatal("want a new java.util.HashMap")
	}
	smtaWantEqual(t, "input", value, mapOf("magic", int64(42)))
}

// Kafka: insertConfiguredFieldsIntoTombstoneEventWithoutSchemaLeavesValueUnchanged.
func TestInsertFieldTombstoneWithoutSchema(t *testing.T) {
	xform := configured(t, NewInsertFieldValue(), insertFieldAllProps())
	record := sourceRecord(nil, nil, nil, nil)
	record.Partition = 0
	transformed := smtaApply(t, xform, record)
	if transformed.Value != nil || transformed.ValueSchema != nil {
		t.Fatalf("tombstone changed: %v %v", transformed.ValueSchema, transformed.Value)
	}
}

// Kafka: insertConfiguredFieldsIntoTombstoneEventWithSchemaLeavesValueUnchanged.
func TestInsertFieldTombstoneWithSchema(t *testing.T) {
	xform := configured(t, NewInsertFieldValue(), insertFieldAllProps())
	simpleStructSchema := data.StructBuilder().Name("name").Version(1).Doc("doc").Field("magic", data.OptionalInt64Schema).MustBuild()
	record := sourceRecord(nil, nil, simpleStructSchema, nil)
	record.Partition = 0
	transformed := smtaApply(t, xform, record)
	if transformed.Value != nil {
		t.Fatalf("tombstone value changed: %v", transformed.Value)
	}
	smtaWantSchema(t, "value schema", transformed.ValueSchema, simpleStructSchema)
}

// Kafka: insertKeyFieldsIntoTombstoneEvent.
func TestInsertFieldKeyFieldsIntoTombstoneEvent(t *testing.T) {
	xform := configured(t, NewInsertFieldKey(), insertFieldAllProps())
	record := sourceRecord(nil, mapOf("magic", int64(42)), nil, nil)
	record.Partition = 0
	transformed := smtaApply(t, xform, record)

	want := mapOf("magic", int64(42), "topic_field", "test", "partition_field", int32(0), "instance_id", "my-instance-id")
	smtaWantEqual(t, "key", transformed.Key, want)
	if _, ok := smtaMapEntry(t, transformed.Key, "timestamp_field"); ok {
		t.Fatal("timestamp inserted without a record timestamp")
	}
	if transformed.Value != nil || transformed.KeySchema != nil {
		t.Fatal("value or key schema changed")
	}
}

// Kafka: insertIntoNullKeyLeavesRecordUnchanged.
func TestInsertFieldIntoNullKeyLeavesRecordUnchanged(t *testing.T) {
	xform := configured(t, NewInsertFieldKey(), insertFieldAllProps())
	record := sourceRecord(nil, nil, nil, mapOf("magic", int64(42)))
	record.Partition = 0
	transformed := smtaApply(t, xform, record)
	if transformed != record {
		t.Fatal("want the same record back")
	}
}

func TestInsertFieldOffset(t *testing.T) {
	props := map[string]string{"offset.field": "offset_field!"}
	t.Run("source record schemaless", func(t *testing.T) {
		xform := configured(t, NewInsertFieldValue(), props)
		_, err := xform.Apply(sourceRecord(nil, nil, nil, mapOf("a", int32(1))))
		smtaWantDataError(t, err, "Only SinkRecord supported for [field insertion], found: org.apache.kafka.connect.source.SourceRecord")
	})
	t.Run("source record with schema", func(t *testing.T) {
		xform := configured(t, NewInsertFieldValue(), props)
		schema := data.NewStructSchema(data.F("a", data.Int32Schema))
		_, err := xform.Apply(sourceRecord(nil, nil, schema, data.NewStruct(schema).MustPut("a", int32(1))))
		smtaWantDataError(t, err, "Only SinkRecord supported for [field insertion], found: org.apache.kafka.connect.source.SourceRecord")
	})
	t.Run("sink record schemaless", func(t *testing.T) {
		xform := configured(t, NewInsertFieldValue(), props)
		out := smtaApply(t, xform, sinkRecord(nil, nil, nil, mapOf("a", int32(1)), 77))
		smtaWantEqual(t, "value", out.Value, mapOf("a", int32(1), "offset_field", int64(77)))
	})
	t.Run("sink record with schema", func(t *testing.T) {
		xform := configured(t, NewInsertFieldValue(), props)
		schema := data.NewStructSchema(data.F("a", data.Int32Schema))
		out := smtaApply(t, xform, sinkRecord(nil, nil, schema, data.NewStruct(schema).MustPut("a", int32(1)), 77))
		smtaWantSchema(t, "schema", out.ValueSchema, data.NewStructSchema(data.F("a", data.Int32Schema), data.F("offset_field", data.Int64Schema)))
		smtaWantEqual(t, "offset_field", smtaField(t, out.Value, "offset_field"), int64(77))
	})
}

func TestInsertFieldPartitionAndTimestampOnlyWhenPresent(t *testing.T) {
	props := map[string]string{"partition.field": "p", "timestamp.field": "ts!", "topic.field": "t?"}
	xform := configured(t, NewInsertFieldValue(), props)

	out := smtaApply(t, xform, sourceRecord(nil, nil, nil, mapOf()))
	smtaWantEqual(t, "schemaless", out.Value, mapOf("t", "test"))

	// With a schema the fields exist; a required timestamp field without a
	// record timestamp is simply left unset (Struct.put is never called).
	schema := data.NewStructSchema(data.F("a", data.OptionalInt32Schema))
	out = smtaApply(t, xform, sourceRecord(nil, nil, schema, data.NewStruct(schema)))
	smtaWantSchema(t, "schema", out.ValueSchema, data.NewStructSchema(
		data.F("a", data.OptionalInt32Schema), data.F("t", data.OptionalStringSchema),
		data.F("p", data.OptionalInt32Schema), data.F("ts", data.TimestampSchema)))
	smtaWantEqual(t, "p", smtaField(t, out.Value, "p"), nil)
	smtaWantEqual(t, "ts", smtaField(t, out.Value, "ts"), nil)
}

func TestInsertFieldKeySide(t *testing.T) {
	xform := configured(t, NewInsertFieldKey(), map[string]string{"topic.field": "topic"})
	keySchema := data.StructBuilder().Name("k").Field("id", data.Int64Schema).MustBuild()
	record := sourceRecord(keySchema, data.NewStruct(keySchema).MustPut("id", int64(5)), data.StringSchema, "v")
	record.Headers = []connectors.Header{{Key: "h", Schema: data.StringSchema, Value: "x"}}
	out := smtaApply(t, xform, record)
	smtaWantSchema(t, "key schema", out.KeySchema,
		data.StructBuilder().Name("k").Field("id", data.Int64Schema).Field("topic", data.OptionalStringSchema).MustBuild())
	smtaWantEqual(t, "topic", smtaField(t, out.Key, "topic"), "test")
	smtaWantEqual(t, "id", smtaField(t, out.Key, "id"), int64(5))
	if out.ValueSchema != data.StringSchema || out.Value != "v" || len(out.Headers) != 1 || out.Headers[0].Key != "h" {
		t.Fatalf("value or headers not preserved: %+v", out)
	}
}

func TestInsertFieldDuplicateFieldName(t *testing.T) {
	xform := configured(t, NewInsertFieldValue(), map[string]string{"topic.field": "a"})
	schema := data.NewStructSchema(data.F("a", data.Int32Schema))
	_, err := xform.Apply(sourceRecord(nil, nil, schema, data.NewStruct(schema).MustPut("a", int32(1))))
	smtaWantDataError(t, err, "Cannot create field because of field name duplication a")
}

// KIP-1040: replace.null.with.default when copying the existing fields.
func TestInsertFieldReplaceNullWithDefault(t *testing.T) {
	for _, c := range []struct {
		replace string
		want    any
	}{{"false", nil}, {"true", int32(42)}} {
		t.Run(c.replace, func(t *testing.T) {
			schema := data.NewStructSchema(data.F("abc", data.NewSchemaBuilder(data.TypeInt32).Optional().Default(int32(42)).MustBuild()))
			value := data.NewStruct(schema).MustPut("abc", nil)
			for _, xform := range []*InsertField{NewInsertFieldValue(), NewInsertFieldKey()} {
				configured(t, xform, map[string]string{"topic.field": "topic_field", "replace.null.with.default": c.replace})
				record := sinkRecord(nil, nil, schema, value, 0)
				if xform.side == keySide {
					record = sinkRecord(schema, value, nil, nil, 0)
				}
				out := smtaApply(t, xform, record)
				got, err := xform.side.value(out).(*data.Struct).GetWithoutDefault("abc")
				if err != nil {
					t.Fatal(err)
				}
				smtaWantEqual(t, "abc", got, c.want)
			}
		})
	}
}
