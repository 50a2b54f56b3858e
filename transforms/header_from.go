package transforms

import (
	"slices"
	"time"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
)

// HeaderFrom moves or copies fields of the key ($Key) or value ($Value)
// into headers (org.apache.kafka.connect.transforms.HeaderFrom).
type HeaderFrom struct {
	noClose
	side                   side
	fields, headers        []string
	move                   bool
	replaceNullWithDefault bool
	moveSchemas            *schemaCache
}

const (
	headerFromFieldsConfig    = "fields"
	headerFromHeadersConfig   = "headers"
	headerFromOperationConfig = "operation"
	headerFromMove            = "move"
	headerFromCopy            = "copy"
)

// headerFromConfigDef is HeaderFrom.CONFIG_DEF.
var headerFromConfigDef = defineReplaceNullWithDefault(configdef.New().
	Define(configdef.Key{Name: headerFromFieldsConfig, Type: configdef.TypeList, Default: configdef.NoDefault,
		Validator: nonEmptyList(), Importance: configdef.High,
		Doc: "Field names in the record whose values are to be copied or moved to headers."}).
	Define(configdef.Key{Name: headerFromHeadersConfig, Type: configdef.TypeList, Default: configdef.NoDefault,
		Validator: nonEmptyList(), Importance: configdef.High,
		Doc: "Header names, in the same order as the field names listed in the fields configuration property."}).
	Define(configdef.Key{Name: headerFromOperationConfig, Type: configdef.TypeString, Default: configdef.NoDefault,
		Validator: configdef.In(headerFromMove, headerFromCopy), Importance: configdef.High,
		Doc: "Either <code>move</code> if the fields are to be moved to the headers (removed from the key/value), " +
			"or <code>copy</code> if the fields are to be copied to the headers (retained in the key/value)."}))

// NewHeaderFromKey returns HeaderFrom$Key.
func NewHeaderFromKey() *HeaderFrom { return &HeaderFrom{side: keySide} }

// NewHeaderFromValue returns HeaderFrom$Value.
func NewHeaderFromValue() *HeaderFrom { return &HeaderFrom{side: valueSide} }

// Config implements Transformation.
func (*HeaderFrom) Config() *configdef.Def { return headerFromConfigDef }

// Configure implements Transformation.
func (t *HeaderFrom) Configure(props map[string]string) error {
	v, err := parseConfig(headerFromConfigDef, props)
	if err != nil {
		return err
	}
	fields, headers := v.List(headerFromFieldsConfig), v.List(headerFromHeadersConfig)
	if len(fields) != len(headers) {
		return &configdef.ConfigError{Msg: "'fields' config must have the same number of elements as 'headers' config."}
	}
	t.fields, t.headers = fields, headers
	t.move = v.String(headerFromOperationConfig) == headerFromMove
	t.replaceNullWithDefault = v.Bool(replaceNullWithDefaultConfig)
	t.moveSchemas = &schemaCache{}
	return nil
}

// operation is the Operation's toString, used in error purposes.
func (t *HeaderFrom) operation() string {
	if t.move {
		return headerFromMove
	}
	return headerFromCopy
}

// Apply implements Transformation.
func (t *HeaderFrom) Apply(r *connectors.Record) (*connectors.Record, error) {
	if schema := t.side.schema(r); schema != nil {
		return t.applyWithSchema(r, schema)
	}
	return t.applySchemaless(r)
}

func (t *HeaderFrom) applyWithSchema(r *connectors.Record, schema *data.Schema) (*connectors.Record, error) {
	headers := slices.Clone(r.Headers)
	value, err := requireStruct(t.side.value(r), "header "+t.operation())
	if err != nil {
		return nil, err
	}
	updatedSchema, updatedValue := schema, value
	if t.move {
		if updatedSchema, err = t.moveSchema(schema); err != nil {
			return nil, err
		}
		updatedValue = data.NewStruct(updatedSchema)
		for i := range updatedSchema.Fields {
			f := &updatedSchema.Fields[i]
			v, err := getField(value, f.Name, t.replaceNullWithDefault)
			if err != nil {
				return nil, err
			}
			if err := updatedValue.PutField(f, v); err != nil {
				return nil, err
			}
		}
	}
	for i, fieldName := range t.fields {
		var fieldValue any
		if value.Schema().Field(fieldName) != nil {
			if fieldValue, err = getField(value, fieldName, t.replaceNullWithDefault); err != nil {
				return nil, err
			}
		}
		if schema.Type != data.TypeStruct {
			return nil, &data.DataError{Msg: "Cannot look up fields on non-struct type"}
		}
		field := schema.Field(fieldName)
		if field == nil {
			// Kafka dereferences the missing field and fails with a
			// NullPointerException.
			return nil, headerFromMissingFieldNPE
		}
		if err := headerCheckSchemaMatches(field.Schema, fieldValue); err != nil {
			return nil, err
		}
		headers = append(headers, connectors.Header{Key: t.headers[i], Schema: field.Schema, Value: fieldValue})
	}
	out := t.side.newRecord(r, updatedSchema, updatedValue)
	out.Headers = headers
	return out, nil
}

// headerFromMissingFieldNPE is the JDK's NullPointerException text for a field name
// missing from the record schema.
var headerFromMissingFieldNPE = headerFromNPE(`Cannot invoke "org.apache.kafka.connect.data.Field.schema()" because the return value of "org.apache.kafka.connect.data.Schema.field(String)" is null`)

type headerFromNPE string

func (e headerFromNPE) Error() string { return string(e) }

// moveSchema is the operating schema without the moved fields, cached per
// input schema.
func (t *HeaderFrom) moveSchema(schema *data.Schema) (*data.Schema, error) {
	if cached := t.moveSchemas.get(schema); cached != nil {
		return cached, nil
	}
	if schema.Type != data.TypeStruct {
		return nil, &data.DataError{Msg: "Cannot list fields on non-struct type"}
	}
	b := copySchemaBasics(schema, data.TypeStruct)
	for _, f := range schema.Fields {
		if !slices.Contains(t.fields, f.Name) {
			b.Field(f.Name, f.Schema)
		}
	}
	out, err := b.Build()
	if err != nil {
		return nil, err
	}
	t.moveSchemas.put(schema, out)
	return out, nil
}

func (t *HeaderFrom) applySchemaless(r *connectors.Record) (*connectors.Record, error) {
	headers := slices.Clone(r.Headers)
	value, err := requireMap(t.side.value(r), "header "+t.operation())
	if err != nil {
		return nil, err
	}
	updated := data.NewMap(value.Len()) // new HashMap<>(value)
	updated.Entries = append(updated.Entries, value.Entries...)
	for i, fieldName := range t.fields {
		fieldValue, _ := value.Get(fieldName)
		if t.move {
			updated.Delete(fieldName)
		}
		headers = append(headers, connectors.Header{Key: t.headers[i], Value: fieldValue})
	}
	out := t.side.newRecord(r, nil, updated)
	out.Headers = headers
	return out, nil
}

// headerCheckSchemaMatches is ConnectHeaders.checkSchemaMatches, run when
// a header is added with a schema: a null needs an optional schema, and
// the value's class must suit the schema type.
func headerCheckSchemaMatches(schema *data.Schema, value any) error {
	if schema == nil {
		return nil
	}
	if value == nil {
		if !schema.Optional {
			return &data.DataError{Msg: "A null value requires an optional schema but was " + schema.String()}
		}
		return nil
	}
	ok := false
	switch value.(type) {
	case []byte:
		ok = schema.Type == data.TypeBytes
	case data.Decimal:
		ok = schema.Type == data.TypeBytes && schema.Name == data.DecimalName
	case string:
		ok = schema.Type == data.TypeString
	case bool:
		ok = schema.Type == data.TypeBoolean
	case int8:
		ok = schema.Type == data.TypeInt8
	case int16:
		ok = schema.Type == data.TypeInt16
	case int32:
		ok = schema.Type == data.TypeInt32
	case int64:
		ok = schema.Type == data.TypeInt64
	case time.Time:
		ok = schema.Type == data.TypeInt32 && (schema.Name == data.DateName || schema.Name == data.TimeName) ||
			schema.Type == data.TypeInt64 && schema.Name == data.TimestampName
	case float32:
		ok = schema.Type == data.TypeFloat32
	case float64:
		ok = schema.Type == data.TypeFloat64
	case []any:
		ok = schema.Type == data.TypeArray
	case *data.Map:
		ok = schema.Type == data.TypeMap
	case *data.Struct:
		ok = schema.Type == data.TypeStruct
	}
	if !ok {
		return &data.DataError{Msg: "The value " + data.JavaString(value) + " is not compatible with the schema " + schema.String()}
	}
	return nil
}

func headerFromPlugins() []Plugin {
	return []Plugin{
		{Class: classPrefix + "HeaderFrom$Key", NewTransformation: func() Transformation { return NewHeaderFromKey() }},
		{Class: classPrefix + "HeaderFrom$Value", NewTransformation: func() Transformation { return NewHeaderFromValue() }},
	}
}
