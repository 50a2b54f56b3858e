package transforms

import (
	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
)

// ValueToKey config keys.
const (
	valueToKeyFields  = "fields"
	valueToKeyPurpose = "copying fields from value to key"
)

var valueToKeyConfigDef = defineReplaceNullWithDefault(configdef.New().
	Define(configdef.Key{Name: valueToKeyFields, Type: configdef.TypeList, Default: configdef.NoDefault,
		Validator: nonEmptyList(), Importance: configdef.High,
		Doc: "Field names on the record value to extract as the record key."}))

// ValueToKey replaces the record key with a struct or map of fields taken
// from the value (org.apache.kafka.connect.transforms.ValueToKey).
type ValueToKey struct {
	fields                 []string
	replaceNullWithDefault bool

	cache *schemaCache
	noClose
}

// NewValueToKey returns ValueToKey.
func NewValueToKey() *ValueToKey { return &ValueToKey{cache: &schemaCache{}} }

func valueToKeyPlugins() []Plugin {
	return []Plugin{
		{Class: classPrefix + "ValueToKey", NewTransformation: func() Transformation { return NewValueToKey() }},
	}
}

// Config returns ValueToKey.CONFIG_DEF.
func (t *ValueToKey) Config() *configdef.Def { return valueToKeyConfigDef }

// Configure parses props.
func (t *ValueToKey) Configure(props map[string]string) error {
	v, err := parseConfig(valueToKeyConfigDef, props)
	if err != nil {
		return err
	}
	t.fields = v.List(valueToKeyFields)
	t.replaceNullWithDefault = v.Bool(replaceNullWithDefaultConfig)
	t.cache = &schemaCache{}
	return nil
}

// Apply builds the new key. A null value fails the Map/Struct requirement.
func (t *ValueToKey) Apply(r *connectors.Record) (*connectors.Record, error) {
	if r.ValueSchema == nil {
		return t.applySchemaless(r)
	}
	return t.applyWithSchema(r)
}

func (t *ValueToKey) applySchemaless(r *connectors.Record) (*connectors.Record, error) {
	m, err := requireMap(r.Value, valueToKeyPurpose)
	if err != nil {
		return nil, err
	}
	key := data.NewMap(len(t.fields))
	for _, f := range t.fields {
		key.Put(f, smtaGet(m, f))
	}
	return r.NewRecord(r.Topic, r.Partition, nil, key, r.ValueSchema, r.Value), nil
}

func (t *ValueToKey) applyWithSchema(r *connectors.Record) (*connectors.Record, error) {
	value, err := requireStruct(r.Value, valueToKeyPurpose)
	if err != nil {
		return nil, err
	}
	keySchema := t.cache.get(value.Schema())
	if keySchema == nil {
		b := data.StructBuilder()
		for _, name := range t.fields {
			f := value.Schema().Field(name)
			if f == nil {
				return nil, &data.DataError{Msg: "Field does not exist: " + name}
			}
			b.Field(name, f.Schema)
		}
		if keySchema, err = b.Build(); err != nil {
			return nil, err
		}
		t.cache.put(value.Schema(), keySchema)
	}
	key := data.NewStruct(keySchema)
	for _, name := range t.fields {
		v, err := getField(value, name, t.replaceNullWithDefault)
		if err != nil {
			return nil, err
		}
		if err := key.Put(name, v); err != nil {
			return nil, err
		}
	}
	return r.NewRecord(r.Topic, r.Partition, keySchema, key, value.Schema(), value), nil
}
