package transforms

import (
	"errors"
	"slices"
	"strconv"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
)

const (
	setSchemaMetadataName    = "schema.name"
	setSchemaMetadataVersion = "schema.version"
	setSchemaMetadataPurpose = "updating schema metadata"
)

var setSchemaMetadataConfigDef = defineReplaceNullWithDefault(configdef.New().
	Define(configdef.Key{Name: setSchemaMetadataName, Type: configdef.TypeString, Default: nil,
		Importance: configdef.High, Doc: "Schema name to set."}).
	Define(configdef.Key{Name: setSchemaMetadataVersion, Type: configdef.TypeInt, Default: nil,
		Importance: configdef.High, Doc: "Schema version to set."}))

// SetSchemaMetadata sets the name and/or version of the key or value schema
// and re-binds Struct values to the new schema
// (org.apache.kafka.connect.transforms.SetSchemaMetadata$Key / $Value).
type SetSchemaMetadata struct {
	side                   side
	schemaName             *string
	schemaVersion          *int32
	replaceNullWithDefault bool
	noClose
}

// NewSetSchemaMetadataKey returns SetSchemaMetadata$Key.
func NewSetSchemaMetadataKey() *SetSchemaMetadata { return &SetSchemaMetadata{side: keySide} }

// NewSetSchemaMetadataValue returns SetSchemaMetadata$Value.
func NewSetSchemaMetadataValue() *SetSchemaMetadata { return &SetSchemaMetadata{side: valueSide} }

func setSchemaMetadataPlugins() []Plugin {
	return []Plugin{
		{Class: classPrefix + "SetSchemaMetadata$Key", NewTransformation: func() Transformation { return NewSetSchemaMetadataKey() }},
		{Class: classPrefix + "SetSchemaMetadata$Value", NewTransformation: func() Transformation { return NewSetSchemaMetadataValue() }},
	}
}

// Config returns SetSchemaMetadata.CONFIG_DEF.
func (t *SetSchemaMetadata) Config() *configdef.Def { return setSchemaMetadataConfigDef }

// Configure requires at least one of schema.name and schema.version.
func (t *SetSchemaMetadata) Configure(props map[string]string) error {
	v, err := parseConfig(setSchemaMetadataConfigDef, props)
	if err != nil {
		return err
	}
	t.schemaName, t.schemaVersion = nil, nil
	if !v.IsNull(setSchemaMetadataName) {
		name := v.String(setSchemaMetadataName)
		t.schemaName = &name
	}
	if !v.IsNull(setSchemaMetadataVersion) {
		version := v.Int(setSchemaMetadataVersion)
		t.schemaVersion = &version
	}
	t.replaceNullWithDefault = v.Bool(replaceNullWithDefaultConfig)
	if t.schemaName == nil && t.schemaVersion == nil {
		return &configdef.ConfigError{Msg: "Neither schema name nor version configured"}
	}
	return nil
}

// Apply replaces the schema's name and/or version, keeping every other
// attribute. A record without schema and value passes unchanged; a value
// without schema fails. As in Kafka, which copies schema.fields()
// unconditionally, only STRUCT schemas can be updated: any other type fails
// with ConnectSchema's "Cannot list fields on non-struct type".
func (t *SetSchemaMetadata) Apply(r *connectors.Record) (*connectors.Record, error) {
	value := t.side.value(r)
	schema := t.side.schema(r)
	if value == nil && schema == nil {
		return r, nil
	}
	if err := requireSchema(schema, setSchemaMetadataPurpose); err != nil {
		return nil, err
	}
	if schema.Type != data.TypeStruct {
		return nil, &data.DataError{Msg: "Cannot list fields on non-struct type"}
	}
	updated := *schema
	updated.Params = slices.Clone(schema.Params)
	updated.Fields = slices.Clone(schema.Fields)
	updated.Key, updated.Value = nil, nil
	if t.schemaName != nil {
		updated.Name = *t.schemaName
	}
	if t.schemaVersion != nil {
		version := *t.schemaVersion
		updated.Version = &version
	}
	newValue, err := t.updateSchemaIn(value, &updated)
	if err != nil {
		return nil, err
	}
	return t.side.newRecord(r, &updated, newValue), nil
}

// updateSchemaIn re-binds a Struct to updatedSchema, which must have the
// same fields; other values are returned as they are (updateSchemaIn).
// Fields are read with or without their defaults per replace.null.with.default.
func (t *SetSchemaMetadata) updateSchemaIn(keyOrValue any, updatedSchema *data.Schema) (any, error) {
	orig, ok := keyOrValue.(*data.Struct)
	if !ok || orig == nil {
		return keyOrValue, nil
	}
	updated := data.NewStruct(updatedSchema)
	n := 0
	if orig.Schema() != nil {
		n = len(orig.Schema().Fields)
	}
	for i := range updatedSchema.Fields {
		f := &updatedSchema.Fields[i]
		var v any
		if t.replaceNullWithDefault {
			// Struct.get(Field) reads by position
			if f.Index < 0 || f.Index >= n {
				return nil, setSchemaMetadataIndexError(f.Index, n)
			}
			v = orig.GetField(f)
		} else {
			var err error
			if v, err = orig.GetWithoutDefault(f.Name); err != nil {
				return nil, err
			}
		}
		if err := updated.PutField(f, v); err != nil {
			return nil, err
		}
	}
	return updated, nil
}

// setSchemaMetadataIndexError is the ArrayIndexOutOfBoundsException Java
// throws when the struct has fewer fields than its new schema.
func setSchemaMetadataIndexError(index, length int) error {
	return errors.New("Index " + strconv.Itoa(index) + " out of bounds for length " + strconv.Itoa(length))
}
