package transforms

import (
	"fmt"
	"strings"
	"time"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
)

// InsertField config keys.
const (
	insertFieldTopic     = "topic.field"
	insertFieldPartition = "partition.field"
	insertFieldOffset    = "offset.field"
	insertFieldTimestamp = "timestamp.field"
	insertFieldStatic    = "static.field"
	insertFieldStaticVal = "static.value"

	insertFieldPurpose        = "field insertion"
	insertFieldOptionalityDoc = "Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default)."
	insertFieldSpecClass      = "org.apache.kafka.connect.transforms.InsertField$InsertionSpec"
)

var insertFieldConfigDef = defineReplaceNullWithDefault(configdef.New().
	Define(configdef.Key{Name: insertFieldTopic, Type: configdef.TypeString, Default: nil, Importance: configdef.Medium,
		Doc: "Field name for Kafka topic. " + insertFieldOptionalityDoc}).
	Define(configdef.Key{Name: insertFieldPartition, Type: configdef.TypeString, Default: nil, Importance: configdef.Medium,
		Doc: "Field name for Kafka partition. " + insertFieldOptionalityDoc}).
	Define(configdef.Key{Name: insertFieldOffset, Type: configdef.TypeString, Default: nil, Importance: configdef.Medium,
		Doc: "Field name for Kafka offset - only applicable to sink connectors.<br/>" + insertFieldOptionalityDoc}).
	Define(configdef.Key{Name: insertFieldTimestamp, Type: configdef.TypeString, Default: nil, Importance: configdef.Medium,
		Doc: "Field name for record timestamp. " + insertFieldOptionalityDoc}).
	Define(configdef.Key{Name: insertFieldStatic, Type: configdef.TypeString, Default: nil, Importance: configdef.Medium,
		Doc: "Field name for static data field. " + insertFieldOptionalityDoc}).
	Define(configdef.Key{Name: insertFieldStaticVal, Type: configdef.TypeString, Default: nil, Importance: configdef.Medium,
		Doc: "Static field value, if field name configured."}))

// insertionSpec is a configured field name with its optionality suffix
// ('!' required, '?' or none optional) stripped.
type insertionSpec struct {
	name     string
	optional bool
}

// parseInsertionSpec is InsertionSpec.parse; a null config value gives nil.
func parseInsertionSpec(v *configdef.Values, key string) *insertionSpec {
	if v.IsNull(key) {
		return nil
	}
	spec := v.String(key)
	if name, ok := strings.CutSuffix(spec, "?"); ok {
		return &insertionSpec{name: name, optional: true}
	}
	if name, ok := strings.CutSuffix(spec, "!"); ok {
		return &insertionSpec{name: name, optional: false}
	}
	return &insertionSpec{name: spec, optional: true}
}

// javaString mimics Object.toString of Kafka's InsertionSpec, which has no
// toString of its own: class name, '@', hex hash. Java prints the identity
// hash, which cannot be reproduced; the name's String.hashCode stands in.
func (s *insertionSpec) javaString() string {
	return fmt.Sprintf("%s@%x", insertFieldSpecClass, uint32(data.JavaHashCode(s.name)))
}

// InsertField inserts record metadata (topic, partition, offset, timestamp)
// and/or a static value as fields of the key or value
// (org.apache.kafka.connect.transforms.InsertField$Key / $Value).
type InsertField struct {
	side side

	topicField, partitionField, offsetField, timestampField, staticField *insertionSpec
	staticValue                                                          *string
	replaceNullWithDefault                                               bool

	cache *schemaCache
	noClose
}

// NewInsertFieldKey returns InsertField$Key.
func NewInsertFieldKey() *InsertField { return &InsertField{side: keySide, cache: &schemaCache{}} }

// NewInsertFieldValue returns InsertField$Value.
func NewInsertFieldValue() *InsertField { return &InsertField{side: valueSide, cache: &schemaCache{}} }

func insertFieldPlugins() []Plugin {
	return []Plugin{
		{Class: classPrefix + "InsertField$Key", NewTransformation: func() Transformation { return NewInsertFieldKey() }},
		{Class: classPrefix + "InsertField$Value", NewTransformation: func() Transformation { return NewInsertFieldValue() }},
	}
}

// Config returns InsertField.CONFIG_DEF.
func (t *InsertField) Config() *configdef.Def { return insertFieldConfigDef }

// Configure parses props; at least one field must be configured and a
// static field needs a static value.
func (t *InsertField) Configure(props map[string]string) error {
	v, err := parseConfig(insertFieldConfigDef, props)
	if err != nil {
		return err
	}
	t.topicField = parseInsertionSpec(v, insertFieldTopic)
	t.partitionField = parseInsertionSpec(v, insertFieldPartition)
	t.offsetField = parseInsertionSpec(v, insertFieldOffset)
	t.timestampField = parseInsertionSpec(v, insertFieldTimestamp)
	t.staticField = parseInsertionSpec(v, insertFieldStatic)
	t.staticValue = nil
	if !v.IsNull(insertFieldStaticVal) {
		s := v.String(insertFieldStaticVal)
		t.staticValue = &s
	}
	t.replaceNullWithDefault = v.Bool(replaceNullWithDefaultConfig)

	if t.topicField == nil && t.partitionField == nil && t.offsetField == nil && t.timestampField == nil && t.staticField == nil {
		return &configdef.ConfigError{Msg: "No field insertion configured"}
	}
	if t.staticField != nil && t.staticValue == nil {
		return configdef.NewConfigError(insertFieldStaticVal, nil, "No value specified for static field: "+t.staticField.javaString())
	}
	t.cache = &schemaCache{}
	return nil
}

// Apply inserts the configured fields; a null key/value passes unchanged.
func (t *InsertField) Apply(r *connectors.Record) (*connectors.Record, error) {
	value := t.side.value(r)
	if value == nil {
		return r, nil
	}
	if t.side.schema(r) == nil {
		return t.applySchemaless(r, value)
	}
	return t.applyWithSchema(r, value)
}

func (t *InsertField) applySchemaless(r *connectors.Record, value any) (*connectors.Record, error) {
	m, err := requireMap(value, insertFieldPurpose)
	if err != nil {
		return nil, err
	}
	updated := smtaCopyMap(m)
	if t.topicField != nil {
		updated.Put(t.topicField.name, r.Topic)
	}
	if t.partitionField != nil && r.Partition != connectors.NoPartition {
		updated.Put(t.partitionField.name, r.Partition)
	}
	if t.offsetField != nil {
		if err := requireSinkRecord(r, insertFieldPurpose); err != nil {
			return nil, err
		}
		updated.Put(t.offsetField.name, r.KafkaOffset)
	}
	if t.timestampField != nil && r.HasTimestamp {
		updated.Put(t.timestampField.name, r.Timestamp)
	}
	if t.staticField != nil && t.staticValue != nil {
		updated.Put(t.staticField.name, *t.staticValue)
	}
	return t.side.newRecord(r, nil, updated), nil
}

func (t *InsertField) applyWithSchema(r *connectors.Record, value any) (*connectors.Record, error) {
	s, err := requireStruct(value, insertFieldPurpose)
	if err != nil {
		return nil, err
	}
	updatedSchema := t.cache.get(s.Schema())
	if updatedSchema == nil {
		if updatedSchema, err = t.makeUpdatedSchema(s.Schema()); err != nil {
			return nil, err
		}
		t.cache.put(s.Schema(), updatedSchema)
	}

	updated := data.NewStruct(updatedSchema)
	for _, f := range s.Schema().Fields {
		fv, err := getField(s, f.Name, t.replaceNullWithDefault)
		if err != nil {
			return nil, err
		}
		if err := updated.Put(f.Name, fv); err != nil {
			return nil, err
		}
	}
	put := func(spec *insertionSpec, v any) error { return updated.Put(spec.name, v) }
	if t.topicField != nil {
		if err := put(t.topicField, r.Topic); err != nil {
			return nil, err
		}
	}
	if t.partitionField != nil && r.Partition != connectors.NoPartition {
		if err := put(t.partitionField, r.Partition); err != nil {
			return nil, err
		}
	}
	if t.offsetField != nil {
		if err := requireSinkRecord(r, insertFieldPurpose); err != nil {
			return nil, err
		}
		if err := put(t.offsetField, r.KafkaOffset); err != nil {
			return nil, err
		}
	}
	if t.timestampField != nil && r.HasTimestamp {
		if err := put(t.timestampField, time.UnixMilli(r.Timestamp).UTC()); err != nil {
			return nil, err
		}
	}
	if t.staticField != nil && t.staticValue != nil {
		if err := put(t.staticField, *t.staticValue); err != nil {
			return nil, err
		}
	}
	return t.side.newRecord(r, updatedSchema, updated), nil
}

// makeUpdatedSchema appends the inserted fields, in the fixed order topic,
// partition, offset, timestamp, static, to a copy of the struct schema.
func (t *InsertField) makeUpdatedSchema(schema *data.Schema) (*data.Schema, error) {
	b := copySchemaBasics(schema, data.TypeStruct)
	for _, f := range schema.Fields {
		b.Field(f.Name, f.Schema)
	}
	add := func(spec *insertionSpec, optional, required *data.Schema) {
		if spec == nil {
			return
		}
		if spec.optional {
			b.Field(spec.name, optional)
		} else {
			b.Field(spec.name, required)
		}
	}
	add(t.topicField, data.OptionalStringSchema, data.StringSchema)
	add(t.partitionField, data.OptionalInt32Schema, data.Int32Schema)
	add(t.offsetField, data.OptionalInt64Schema, data.Int64Schema)
	add(t.timestampField, data.OptionalTimestampSchema, data.TimestampSchema)
	add(t.staticField, data.OptionalStringSchema, data.StringSchema)
	return b.Build()
}
