package transforms

import (
	"encoding/base64"
	"strings"
	"time"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
)

const (
	castSpecConfig = "spec"
	castPurpose    = "cast types"
	castSpecDoc    = "List of fields and the type to cast them to of the form field1:type,field2:type to cast fields of " +
		"Maps or Structs. A single type to cast the entire value. Valid types are int8, int16, int32, " +
		"int64, float32, float64, boolean, and string. Note that binary fields can only be cast to string."
)

// Cast's supported types, in EnumSet (declaration) order for messages.
var (
	castInputTypes = []data.Type{data.TypeInt8, data.TypeInt16, data.TypeInt32, data.TypeInt64,
		data.TypeFloat32, data.TypeFloat64, data.TypeBoolean, data.TypeString, data.TypeBytes}
	castOutputTypes = castInputTypes[:len(castInputTypes)-1]
)

var castConfigDef = defineReplaceNullWithDefault(configdef.New().
	Define(configdef.Key{Name: castSpecConfig, Type: configdef.TypeList, Default: configdef.NoDefault,
		Validator: configdef.Func(func(_ string, value any) error {
			list, _ := value.([]string)
			if len(list) == 0 {
				return &configdef.ConfigError{Msg: "Must specify at least one field to cast."}
			}
			_, err := parseCastSpec(list)
			return err
		}, "list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>"),
		Importance: configdef.High, Doc: castSpecDoc}))

// castSpec is the parsed spec: either one type for the whole value or a
// java.util.HashMap of field name to type (its iteration order decides the
// order in which schemaless fields are written).
type castSpec struct {
	whole  data.Type // 0 when casting fields
	fields *data.Map // string → data.Type
}

func (c *castSpec) fieldType(name string) (data.Type, bool) {
	v, ok := c.fields.Get(name)
	if !ok {
		return 0, false
	}
	return v.(data.Type), true
}

// parseCastSpec is Cast.parseFieldTypes. Its errors are ConfigExceptions
// with Kafka's text, including its quirks: more than one colon is reported
// against the configuration "renames", an unknown field type is reported
// through the ConfigException(name, value) constructor, and an unknown
// whole-value type or a bare ":" fail as Java's IllegalArgumentException and
// ArrayIndexOutOfBoundsException do (with their messages).
func parseCastSpec(mappings []string) (*castSpec, error) {
	spec := &castSpec{fields: data.NewMap(len(mappings))}
	isWhole := false
	for _, mapping := range mappings {
		parts := javaSplit(mapping, ":")
		switch len(parts) {
		case 0:
			return nil, &configdef.ConfigError{Msg: "Index 1 out of bounds for length 0"}
		case 1:
			name := strings.ToUpper(data.JavaTrim(parts[0]))
			t, ok := castTypeByName(name)
			if !ok {
				return nil, &configdef.ConfigError{Msg: castNoEnumConstant(name)}
			}
			if err := castValidOutputType(t); err != nil {
				return nil, err
			}
			spec.whole = t
			isWhole = true
		case 2:
			typeName := data.JavaTrim(parts[1])
			t, ok := castTypeByName(strings.ToUpper(typeName))
			if !ok {
				cause := "java.lang.IllegalArgumentException: " + castNoEnumConstant(strings.ToUpper(typeName))
				return nil, configdef.NewConfigError("Invalid type found in casting spec: "+typeName, cause, "")
			}
			if err := castValidOutputType(t); err != nil {
				return nil, err
			}
			spec.fields.Put(data.JavaTrim(parts[0]), t)
		default:
			return nil, configdef.NewConfigError("renames", mappings, "Invalid rename mapping: "+mapping)
		}
	}
	if isWhole && len(mappings) > 1 {
		return nil, &configdef.ConfigError{Msg: "Cast transformations that specify a type to cast the entire value to " +
			"may ony specify a single cast in their spec"}
	}
	return spec, nil
}

// castTypeByName is Schema.Type.valueOf.
func castTypeByName(name string) (data.Type, bool) {
	for t := data.TypeInt8; t <= data.TypeStruct; t++ {
		if t.String() == name {
			return t, true
		}
	}
	return 0, false
}

func castNoEnumConstant(name string) string {
	return "No enum constant org.apache.kafka.connect.data.Schema.Type." + name
}

func castTypeList(types []data.Type) string {
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = t.String()
	}
	return "[" + strings.Join(names, ", ") + "]"
}

func castValidOutputType(t data.Type) error {
	for _, s := range castOutputTypes {
		if s == t {
			return nil
		}
	}
	return &configdef.ConfigError{Msg: "Cast transformation does not support casting to " + t.String() +
		"; supported types are " + castTypeList(castOutputTypes)}
}

func castValidInputType(t data.Type) error {
	for _, s := range castInputTypes {
		if s == t {
			return nil
		}
	}
	return &data.DataError{Msg: "Cast transformation does not support casting from " + t.String() +
		"; supported types are " + castTypeList(castInputTypes)}
}

// Cast casts fields, or the whole key or value, to primitive types
// (org.apache.kafka.connect.transforms.Cast$Key / $Value).
type Cast struct {
	side                   side
	spec                   *castSpec
	replaceNullWithDefault bool
	cache                  *schemaCache
	noClose
}

// NewCastKey returns Cast$Key.
func NewCastKey() *Cast { return &Cast{side: keySide, cache: &schemaCache{}} }

// NewCastValue returns Cast$Value.
func NewCastValue() *Cast { return &Cast{side: valueSide, cache: &schemaCache{}} }

func castPlugins() []Plugin {
	return []Plugin{
		{Class: classPrefix + "Cast$Key", NewTransformation: func() Transformation { return NewCastKey() }},
		{Class: classPrefix + "Cast$Value", NewTransformation: func() Transformation { return NewCastValue() }},
	}
}

// Config returns Cast.CONFIG_DEF.
func (t *Cast) Config() *configdef.Def { return castConfigDef }

// Configure parses the spec (already checked by the spec validator).
func (t *Cast) Configure(props map[string]string) error {
	v, err := parseConfig(castConfigDef, props)
	if err != nil {
		return err
	}
	spec, err := parseCastSpec(v.List(castSpecConfig))
	if err != nil {
		return err
	}
	t.spec = spec
	t.replaceNullWithDefault = v.Bool(replaceNullWithDefaultConfig)
	t.cache = &schemaCache{}
	return nil
}

// Apply casts the configured fields or the whole key/value; a null one
// passes unchanged.
func (t *Cast) Apply(r *connectors.Record) (*connectors.Record, error) {
	value := t.side.value(r)
	if smtbIsNull(value) {
		return r, nil
	}
	if t.spec == nil || t.cache == nil {
		return nil, smtbErrNotConfigured
	}
	if t.side.schema(r) == nil {
		return t.applySchemaless(r, value)
	}
	return t.applyWithSchema(r, value)
}

func (t *Cast) applySchemaless(r *connectors.Record, value any) (*connectors.Record, error) {
	if t.spec.whole != 0 {
		cast, err := castValue(nil, value, t.spec.whole)
		if err != nil {
			return nil, err
		}
		return t.side.newRecord(r, nil, cast), nil
	}
	m, err := requireMap(value, castPurpose)
	if err != nil {
		return nil, err
	}
	// new HashMap<>(value), then every configured field is put, so fields
	// missing from the value are added with null
	updated := data.NewMap(m.Len() + t.spec.fields.Len())
	for _, i := range m.IterationOrder() {
		updated.Put(m.Entries[i].Key, m.Entries[i].Value)
	}
	for _, i := range t.spec.fields.IterationOrder() {
		e := t.spec.fields.Entries[i]
		orig, _ := m.Get(e.Key)
		cast, err := castValue(nil, orig, e.Value.(data.Type))
		if err != nil {
			return nil, err
		}
		updated.Put(e.Key, cast)
	}
	return t.side.newRecord(r, nil, updated), nil
}

func (t *Cast) applyWithSchema(r *connectors.Record, value any) (*connectors.Record, error) {
	schema := t.side.schema(r)
	updatedSchema, err := t.updatedSchema(schema)
	if err != nil {
		return nil, err
	}
	if t.spec.whole != 0 {
		cast, err := castValue(schema, value, t.spec.whole)
		if err != nil {
			return nil, err
		}
		return t.side.newRecord(r, updatedSchema, cast), nil
	}
	s, err := requireStruct(value, castPurpose)
	if err != nil {
		return nil, err
	}
	updated := data.NewStruct(updatedSchema)
	fields := s.Schema().Fields
	for i := range fields {
		f := &fields[i]
		orig, err := getField(s, f.Name, t.replaceNullWithDefault)
		if err != nil {
			return nil, err
		}
		newValue := orig
		if target, ok := t.spec.fieldType(f.Name); ok {
			if newValue, err = castValue(f.Schema, orig, target); err != nil {
				return nil, err
			}
		}
		if err := updated.PutField(updatedSchema.Field(f.Name), newValue); err != nil {
			return nil, err
		}
	}
	return t.side.newRecord(r, updatedSchema, updated), nil
}

// updatedSchema is getOrBuildSchema: the whole-value target type with the
// basics (name, version, doc, parameters) of the original schema, or a
// struct whose cast fields get fresh primitive schemas keeping their
// optionality and cast defaults. Optionality and a cast default of the
// original schema carry over. Cached per input schema.
func (t *Cast) updatedSchema(schema *data.Schema) (*data.Schema, error) {
	if cached := t.cache.get(schema); cached != nil {
		return cached, nil
	}
	var b *data.SchemaBuilder
	if t.spec.whole != 0 {
		b = copySchemaBasics(schema, t.spec.whole)
	} else {
		if schema.Type != data.TypeStruct {
			return nil, &data.DataError{Msg: "Cannot list fields on non-struct type"}
		}
		b = copySchemaBasics(schema, data.TypeStruct)
		for i := range schema.Fields {
			f := &schema.Fields[i]
			target, ok := t.spec.fieldType(f.Name)
			if !ok {
				b.Field(f.Name, f.Schema)
				continue
			}
			fb := data.NewSchemaBuilder(target)
			if f.Schema.Optional {
				fb.Optional()
			}
			if f.Schema.Default != nil {
				d, err := castValue(f.Schema, f.Schema.Default, target)
				if err != nil {
					return nil, err
				}
				fb.Default(d)
			}
			fs, err := fb.Build()
			if err != nil {
				return nil, err
			}
			b.Field(f.Name, fs)
		}
	}
	if schema.Optional {
		b.Optional()
	}
	if schema.Default != nil {
		target := t.spec.whole
		if target == 0 {
			target = data.TypeStruct
		}
		d, err := castValue(schema, schema.Default, target)
		if err != nil {
			return nil, err
		}
		b.Default(d)
	}
	updated, err := b.Build()
	if err != nil {
		return nil, err
	}
	t.cache.put(schema, updated)
	return updated, nil
}

// castValue is castValueToType: the input type comes from the schema, or
// from the value when schemaless; logical Date/Time/Timestamp values become
// their int/long encoding unless cast to string.
func castValue(schema *data.Schema, value any, target data.Type) (any, error) {
	if smtbIsNull(value) {
		return nil, nil
	}
	var inferred data.Type
	if schema != nil {
		inferred = schema.Type
	} else {
		var ok bool
		if inferred, ok = data.InferSchemaType(value); !ok {
			return nil, &data.DataError{Msg: "Cast transformation was passed a value of type " + data.JavaClass(value) +
				" which is not supported by Connect's data API"}
		}
	}
	if err := castValidInputType(inferred); err != nil {
		return nil, err
	}
	if schema != nil && schema.Name != "" && target != data.TypeString {
		var err error
		if value, err = castEncodeLogical(schema, value); err != nil {
			return nil, err
		}
	}
	switch target {
	case data.TypeInt8, data.TypeInt16, data.TypeInt32, data.TypeInt64:
		return castToInteger(value, target)
	case data.TypeFloat32:
		if f, ok := smtbJavaFloat(value); ok {
			return f, nil
		}
		return castFromOther(value, target)
	case data.TypeFloat64:
		if f, ok := smtbJavaDouble(value); ok {
			return f, nil
		}
		return castFromOther(value, target)
	case data.TypeBoolean:
		if l, ok := smtbJavaLong(value); ok {
			return l != 0, nil
		}
		return castFromOther(value, target)
	case data.TypeString:
		return castToString(value), nil
	}
	return nil, &data.DataError{Msg: target.String() + " is not supported in the Cast transformation."}
}

// castEncodeLogical is encodeLogicalType.
func castEncodeLogical(schema *data.Schema, value any) (any, error) {
	switch schema.Name {
	case data.DateName, data.TimeName, data.TimestampName:
	default:
		return value, nil
	}
	tv, ok := value.(time.Time)
	if !ok {
		return nil, classCastError(value, "java.util.Date")
	}
	switch schema.Name {
	case data.DateName:
		return data.DateFromLogical(schema, tv)
	case data.TimeName:
		return data.TimeFromLogical(schema, tv)
	}
	return data.TimestampFromLogical(schema, tv)
}

// castToInteger is castToInt8/16/32/64: Java narrowing for numbers, 1/0 for
// booleans, Byte.parseByte and friends for strings.
func castToInteger(value any, target data.Type) (any, error) {
	bits := 64
	switch target {
	case data.TypeInt8:
		bits = 8
	case data.TypeInt16:
		bits = 16
	case data.TypeInt32:
		bits = 32
	}
	var n int64
	switch x := value.(type) {
	case bool:
		if x {
			n = 1
		}
	case string:
		parsed, ok := smtbParseJavaInt(x, bits)
		if !ok {
			return nil, castOutOfRange(x)
		}
		n = parsed
	default:
		if target == data.TypeInt64 {
			l, ok := smtbJavaLong(value)
			if !ok {
				return castFromOther(value, target)
			}
			n = l
		} else {
			// byteValue() and shortValue() narrow intValue()
			i, ok := smtbJavaInt(value)
			if !ok {
				return castFromOther(value, target)
			}
			n = int64(i)
		}
	}
	switch target {
	case data.TypeInt8:
		return int8(n), nil
	case data.TypeInt16:
		return int16(n), nil
	case data.TypeInt32:
		return int32(n), nil
	}
	return n, nil
}

// castFromOther handles booleans and strings for the floating-point and
// boolean targets and rejects anything else.
func castFromOther(value any, target data.Type) (any, error) {
	switch x := value.(type) {
	case bool:
		switch target {
		case data.TypeFloat32:
			if x {
				return float32(1), nil
			}
			return float32(0), nil
		case data.TypeFloat64:
			if x {
				return float64(1), nil
			}
			return float64(0), nil
		case data.TypeBoolean:
			return x, nil
		}
	case string:
		switch target {
		case data.TypeFloat32:
			f, ok := smtbParseJavaFloat(x, 32)
			if !ok {
				return nil, castOutOfRange(x)
			}
			return float32(f), nil
		case data.TypeFloat64:
			f, ok := smtbParseJavaFloat(x, 64)
			if !ok {
				return nil, castOutOfRange(x)
			}
			return f, nil
		case data.TypeBoolean:
			// Boolean.parseBoolean
			return strings.EqualFold(x, "true"), nil
		}
	}
	return nil, &data.DataError{Msg: "Unexpected type in Cast transformation: " + data.JavaClass(value)}
}

// castOutOfRange is the DataException wrapping a NumberFormatException.
func castOutOfRange(s string) error {
	return &data.DataError{Msg: "Value (" + s + ") was out of range for requested data type"}
}

// castToString: dates in Values.dateFormatFor's format, bytes in Base64,
// everything else with its Java toString.
func castToString(value any) string {
	switch x := value.(type) {
	case time.Time:
		return smtbDateFormat(x)
	case []byte:
		return base64.StdEncoding.EncodeToString(x)
	}
	return data.JavaString(value)
}
