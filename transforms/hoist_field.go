package transforms

import (
	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
)

const hoistFieldField = "field"

var hoistFieldConfigDef = configdef.New().
	Define(configdef.Key{Name: hoistFieldField, Type: configdef.TypeString, Default: configdef.NoDefault,
		Importance: configdef.Medium,
		Doc:        "Field name for the single field that will be created in the resulting Struct or Map."})

// HoistField wraps the key or value in a single-field struct (with a
// schema) or map (schemaless)
// (org.apache.kafka.connect.transforms.HoistField$Key / $Value).
type HoistField struct {
	side  side
	field string

	cache *schemaCache
	noClose
}

// NewHoistFieldKey returns HoistField$Key.
func NewHoistFieldKey() *HoistField { return &HoistField{side: keySide, cache: &schemaCache{}} }

// NewHoistFieldValue returns HoistField$Value.
func NewHoistFieldValue() *HoistField { return &HoistField{side: valueSide, cache: &schemaCache{}} }

func hoistFieldPlugins() []Plugin {
	return []Plugin{
		{Class: classPrefix + "HoistField$Key", NewTransformation: func() Transformation { return NewHoistFieldKey() }},
		{Class: classPrefix + "HoistField$Value", NewTransformation: func() Transformation { return NewHoistFieldValue() }},
	}
}

// Config returns HoistField.CONFIG_DEF.
func (t *HoistField) Config() *configdef.Def { return hoistFieldConfigDef }

// Configure parses props.
func (t *HoistField) Configure(props map[string]string) error {
	v, err := parseConfig(hoistFieldConfigDef, props)
	if err != nil {
		return err
	}
	t.field = v.String(hoistFieldField)
	t.cache = &schemaCache{}
	return nil
}

// Apply wraps the operating value, null included.
func (t *HoistField) Apply(r *connectors.Record) (*connectors.Record, error) {
	schema, value := t.side.schema(r), t.side.value(r)
	if schema == nil {
		m := data.NewMap(1)
		m.Put(t.field, value)
		return t.side.newRecord(r, nil, m), nil
	}
	updatedSchema := t.cache.get(schema)
	if updatedSchema == nil {
		var err error
		if updatedSchema, err = data.StructBuilder().Field(t.field, schema).Build(); err != nil {
			return nil, err
		}
		t.cache.put(schema, updatedSchema)
	}
	updated := data.NewStruct(updatedSchema)
	if err := updated.Put(t.field, value); err != nil {
		return nil, err
	}
	return t.side.newRecord(r, updatedSchema, updated), nil
}
