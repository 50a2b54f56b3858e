package transforms

import (
	"errors"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
	"github.com/connect-go/connect-standalone/transforms/field"
)

const (
	extractFieldField   = "field"
	extractFieldPurpose = "field extraction"
)

var extractFieldConfigDef = field.AppendConfigTo(defineReplaceNullWithDefault(configdef.New().
	Define(configdef.Key{Name: extractFieldField, Type: configdef.TypeString, Default: configdef.NoDefault,
		Importance: configdef.Medium, Doc: "Field name to extract."})))

// ExtractField replaces the key or value with one of its fields: a Struct
// field when a schema is present, a Map entry otherwise; nulls pass through
// (org.apache.kafka.connect.transforms.ExtractField$Key / $Value). With
// field.syntax.version=V2 the field is a dotted path into nested data.
type ExtractField struct {
	side                   side
	path                   *field.SingleFieldPath
	originalPath           string
	replaceNullWithDefault bool
	noClose
}

// NewExtractFieldKey returns ExtractField$Key.
func NewExtractFieldKey() *ExtractField { return &ExtractField{side: keySide} }

// NewExtractFieldValue returns ExtractField$Value.
func NewExtractFieldValue() *ExtractField { return &ExtractField{side: valueSide} }

func extractFieldPlugins() []Plugin {
	return []Plugin{
		{Class: classPrefix + "ExtractField$Key", NewTransformation: func() Transformation { return NewExtractFieldKey() }},
		{Class: classPrefix + "ExtractField$Value", NewTransformation: func() Transformation { return NewExtractFieldValue() }},
	}
}

// Config returns ExtractField.CONFIG_DEF.
func (t *ExtractField) Config() *configdef.Def { return extractFieldConfigDef }

// Configure parses the field path with the configured syntax version; a V2
// path with an unbalanced backtick is a ConfigException.
func (t *ExtractField) Configure(props map[string]string) error {
	v, err := parseConfig(extractFieldConfigDef, props)
	if err != nil {
		return err
	}
	version, err := field.VersionFromConfig(v)
	if err != nil {
		return err
	}
	original := v.String(extractFieldField)
	path, err := field.NewSingleFieldPath(original, version)
	if err != nil {
		return err
	}
	t.originalPath, t.path = original, path
	t.replaceNullWithDefault = v.Bool(replaceNullWithDefaultConfig)
	return nil
}

// Apply extracts the field. Schemaless: the value must be a Map (or null)
// and a missing entry gives null. With a schema: the value must be a Struct
// (or null), and the path must name a field of the schema, even for a null
// value ("Unknown field: <path>"); the new schema is the field's schema.
func (t *ExtractField) Apply(r *connectors.Record) (*connectors.Record, error) {
	if t.path == nil {
		return nil, smtbErrNotConfigured
	}
	schema := t.side.schema(r)
	value := t.side.value(r)
	if schema == nil {
		m, err := extractFieldRequireMapOrNull(value)
		if err != nil {
			return nil, err
		}
		var extracted any
		if m != nil {
			if extracted, err = t.path.ValueFromMap(m); err != nil {
				return nil, err
			}
		}
		return t.side.newRecord(r, nil, extracted), nil
	}
	s, err := extractFieldRequireStructOrNull(value)
	if err != nil {
		return nil, err
	}
	f, err := t.path.FieldFrom(schema)
	if err != nil {
		return nil, err
	}
	if f == nil {
		// IllegalArgumentException in Kafka
		return nil, errors.New("Unknown field: " + t.originalPath)
	}
	var extracted any
	if s != nil {
		if extracted, err = t.path.ValueFromStruct(s, t.replaceNullWithDefault); err != nil {
			return nil, err
		}
	}
	return t.side.newRecord(r, f.Schema, extracted), nil
}

// extractFieldRequireMapOrNull and extractFieldRequireStructOrNull are
// Requirements.requireMapOrNull / requireStructOrNull.
func extractFieldRequireMapOrNull(v any) (*data.Map, error) {
	if v == nil {
		return nil, nil
	}
	if m, ok := v.(*data.Map); ok && m == nil {
		return nil, nil
	}
	return requireMap(v, extractFieldPurpose)
}

func extractFieldRequireStructOrNull(v any) (*data.Struct, error) {
	if v == nil {
		return nil, nil
	}
	if s, ok := v.(*data.Struct); ok && s == nil {
		return nil, nil
	}
	return requireStruct(v, extractFieldPurpose)
}
