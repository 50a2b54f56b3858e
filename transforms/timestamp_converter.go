package transforms

import (
	"errors"
	"math"
	"strings"
	"time"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
	"github.com/connect-go/connect-standalone/transforms/internal/simpledate"
)

// TimestampConverter config keys, types and precisions.
const (
	tsConvField         = "field"
	tsConvTargetType    = "target.type"
	tsConvFormat        = "format"
	tsConvUnixPrecision = "unix.precision"

	tsConvPurpose = "converting timestamp formats"

	tsConvTypeString    = "string"
	tsConvTypeUnix      = "unix"
	tsConvTypeDate      = "Date"
	tsConvTypeTime      = "Time"
	tsConvTypeTimestamp = "Timestamp"

	tsConvMillis  = "milliseconds"
	tsConvMicros  = "microseconds"
	tsConvNanos   = "nanoseconds"
	tsConvSeconds = "seconds"

	tsConvMillisPerDay = 24 * 60 * 60 * 1000
)

var timestampConverterConfigDef = defineReplaceNullWithDefault(configdef.New().
	Define(configdef.Key{Name: tsConvField, Type: configdef.TypeString, Default: "", Importance: configdef.High,
		Doc: "The field containing the timestamp, or empty if the entire value is a timestamp"}).
	Define(configdef.Key{Name: tsConvTargetType, Type: configdef.TypeString, Default: configdef.NoDefault,
		Validator:  configdef.In(tsConvTypeString, tsConvTypeUnix, tsConvTypeDate, tsConvTypeTime, tsConvTypeTimestamp),
		Importance: configdef.High, Doc: "The desired timestamp representation: string, unix, Date, Time, or Timestamp"}).
	Define(configdef.Key{Name: tsConvFormat, Type: configdef.TypeString, Default: "", Importance: configdef.Medium,
		Doc: "A SimpleDateFormat-compatible format for the timestamp. Used to generate the output when type=string " +
			"or used to parse the input if the input is a string."}).
	Define(configdef.Key{Name: tsConvUnixPrecision, Type: configdef.TypeString, Default: tsConvMillis,
		Validator:  configdef.In(tsConvNanos, tsConvMicros, tsConvMillis, tsConvSeconds),
		Importance: configdef.Low,
		Doc: "The desired Unix precision for the timestamp: seconds, milliseconds, microseconds, or nanoseconds. " +
			"Used to generate the output when type=unix or used to parse the input if the input is a Long." +
			"Note: This SMT will cause precision loss during conversions from, and to, values with sub-millisecond components."}))

// TimestampConverter converts timestamps between strings, Unix epoch
// numbers and the Date, Time and Timestamp logical types, for the whole key
// or value or one of its fields
// (org.apache.kafka.connect.transforms.TimestampConverter$Key / $Value).
type TimestampConverter struct {
	side side

	field                  string
	targetType             string
	format                 *simpledate.Format // nil unless a format is configured
	unixPrecision          string
	replaceNullWithDefault bool

	cache *schemaCache
	noClose
}

// NewTimestampConverterKey returns TimestampConverter$Key.
func NewTimestampConverterKey() *TimestampConverter {
	return &TimestampConverter{side: keySide, cache: &schemaCache{}}
}

// NewTimestampConverterValue returns TimestampConverter$Value.
func NewTimestampConverterValue() *TimestampConverter {
	return &TimestampConverter{side: valueSide, cache: &schemaCache{}}
}

func timestampConverterPlugins() []Plugin {
	return []Plugin{
		{Class: classPrefix + "TimestampConverter$Key", NewTransformation: func() Transformation { return NewTimestampConverterKey() }},
		{Class: classPrefix + "TimestampConverter$Value", NewTransformation: func() Transformation { return NewTimestampConverterValue() }},
	}
}

// Config returns TimestampConverter.CONFIG_DEF.
func (t *TimestampConverter) Config() *configdef.Def { return timestampConverterConfigDef }

// tsConvIsBlank is Utils.isBlank: empty after String.trim.
func tsConvIsBlank(s string) bool {
	return strings.TrimFunc(s, func(r rune) bool { return r <= ' ' }) == ""
}

// Configure parses props; a string target needs a format, and a format
// must be a valid SimpleDateFormat pattern (evaluated in UTC).
func (t *TimestampConverter) Configure(props map[string]string) error {
	v, err := parseConfig(timestampConverterConfigDef, props)
	if err != nil {
		return err
	}
	t.field = v.String(tsConvField)
	t.targetType = v.String(tsConvTargetType)
	pattern := v.String(tsConvFormat)
	t.unixPrecision = v.String(tsConvUnixPrecision)
	t.replaceNullWithDefault = v.Bool(replaceNullWithDefaultConfig)
	t.cache = &schemaCache{}

	if t.targetType == tsConvTypeString && tsConvIsBlank(pattern) {
		return &configdef.ConfigError{Msg: "TimestampConverter requires format option to be specified when using string timestamps"}
	}
	t.format = nil
	if !tsConvIsBlank(pattern) {
		f, err := simpledate.Compile(pattern)
		if err != nil {
			// Kafka passes the message and the exception to the
			// ConfigException(name, value) constructor, so the message reads
			// "Invalid value <exception> for configuration <message>".
			return &configdef.ConfigError{Msg: "Invalid value java.lang.IllegalArgumentException: " + err.Error() +
				" for configuration TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: " + pattern}
		}
		t.format = f
	}
	return nil
}

// Apply converts the configured field, or the whole key or value.
func (t *TimestampConverter) Apply(r *connectors.Record) (*connectors.Record, error) {
	if t.side.schema(r) == nil {
		return t.applySchemaless(r)
	}
	return t.applyWithSchema(r)
}

func (t *TimestampConverter) applyWithSchema(r *connectors.Record) (*connectors.Record, error) {
	schema := t.side.schema(r)
	if t.field == "" {
		sourceType, err := tsConvTypeFromSchema(schema)
		if err != nil {
			return nil, err
		}
		converted, err := t.convert(t.side.value(r), sourceType)
		if err != nil {
			return nil, err
		}
		return t.side.newRecord(r, tsConvTypeSchema(t.targetType, schema.IsOptional()), converted), nil
	}

	var value *data.Struct
	if raw := t.side.value(r); raw != nil {
		s, err := requireStruct(raw, tsConvPurpose)
		if err != nil {
			return nil, err
		}
		value = s
	}
	updatedSchema := t.cache.get(schema)
	if updatedSchema == nil {
		var err error
		if updatedSchema, err = t.updatedSchema(schema); err != nil {
			return nil, err
		}
		t.cache.put(schema, updatedSchema)
	}
	updated, err := t.convertStruct(value, updatedSchema)
	if err != nil {
		return nil, err
	}
	if updated == nil {
		return t.side.newRecord(r, updatedSchema, nil), nil
	}
	return t.side.newRecord(r, updatedSchema, updated), nil
}

// updatedSchema copies a struct schema with the configured field's schema
// replaced by the target type's, converting a default struct too.
func (t *TimestampConverter) updatedSchema(schema *data.Schema) (*data.Schema, error) {
	if schema.Type != data.TypeStruct {
		return nil, &data.DataError{Msg: "Cannot list fields on non-struct type"}
	}
	b := copySchemaBasics(schema, data.TypeStruct)
	for _, f := range schema.Fields {
		if f.Name == t.field {
			b.Field(f.Name, tsConvTypeSchema(t.targetType, f.Schema.IsOptional()))
		} else {
			b.Field(f.Name, f.Schema)
		}
	}
	if schema.Optional {
		b.Optional()
	}
	updated, err := b.Build()
	if err != nil {
		return nil, err
	}
	if schema.Default == nil {
		return updated, nil
	}
	// Kafka builds the default struct on the schema builder, so its schema
	// is the updated schema without the default; so is it here.
	def, ok := schema.Default.(*data.Struct)
	if !ok {
		return nil, errors.New("class " + data.JavaClassName(schema.Default) + " cannot be cast to class org.apache.kafka.connect.data.Struct")
	}
	converted, err := t.convertStruct(def, updated)
	if err != nil {
		return nil, err
	}
	withDefault := *updated
	withDefault.Default = converted
	return &withDefault, nil
}

// convertStruct copies value onto the updated schema, converting the
// configured field (applyValueWithSchema).
func (t *TimestampConverter) convertStruct(value *data.Struct, updatedSchema *data.Schema) (*data.Struct, error) {
	if value == nil {
		return nil, nil
	}
	updated := data.NewStruct(updatedSchema)
	for i := range value.Schema().Fields {
		f := &value.Schema().Fields[i]
		fv, err := getField(value, f.Name, t.replaceNullWithDefault)
		if err != nil {
			return nil, err
		}
		if f.Name == t.field {
			sourceType, err := tsConvTypeFromSchema(f.Schema)
			if err != nil {
				return nil, err
			}
			if fv, err = t.convert(fv, sourceType); err != nil {
				return nil, err
			}
		}
		if err := updated.Put(f.Name, fv); err != nil {
			return nil, err
		}
	}
	return updated, nil
}

func (t *TimestampConverter) applySchemaless(r *connectors.Record) (*connectors.Record, error) {
	raw := t.side.value(r)
	if raw == nil || t.field == "" {
		converted, err := t.convert(raw, "")
		if err != nil {
			return nil, err
		}
		return t.side.newRecord(r, nil, converted), nil
	}
	m, err := requireMap(raw, tsConvPurpose)
	if err != nil {
		return nil, err
	}
	current, _ := m.Get(t.field)
	converted, err := t.convert(current, "")
	if err != nil {
		return nil, err
	}
	updated := &data.Map{Entries: make([]data.MapEntry, len(m.Entries), len(m.Entries)+1)} // new HashMap<>(value)
	copy(updated.Entries, m.Entries)
	updated.Put(t.field, converted)
	return t.side.newRecord(r, nil, updated), nil
}

// tsConvTypeFromSchema determines the source type from a schema
// (timestampTypeFromSchema).
func tsConvTypeFromSchema(schema *data.Schema) (string, error) {
	switch {
	case schema.Name == data.TimestampName:
		return tsConvTypeTimestamp, nil
	case schema.Name == data.DateName:
		return tsConvTypeDate, nil
	case schema.Name == data.TimeName:
		return tsConvTypeTime, nil
	case schema.Type == data.TypeString:
		return tsConvTypeString, nil
	case schema.Type == data.TypeInt64:
		return tsConvTypeUnix, nil
	}
	return "", errors.New("Schema " + schema.String() + " does not correspond to a known timestamp type format")
}

// tsConvInferType determines the source type from a schemaless value
// (inferTimestampType).
func tsConvInferType(v any) (string, error) {
	switch v.(type) {
	case time.Time:
		return tsConvTypeTimestamp, nil
	case int64:
		return tsConvTypeUnix, nil
	case string:
		return tsConvTypeString, nil
	}
	return "", &data.DataError{Msg: "TimestampConverter does not support " + data.JavaClass(v) + " objects as timestamps"}
}

// tsConvTypeSchema is the output schema of a target type.
func tsConvTypeSchema(targetType string, optional bool) *data.Schema {
	switch targetType {
	case tsConvTypeString:
		return data.PrimitiveSchema(data.TypeString, optional)
	case tsConvTypeUnix:
		return data.PrimitiveSchema(data.TypeInt64, optional)
	case tsConvTypeDate:
		if optional {
			return data.OptionalDateSchema
		}
		return data.DateSchema
	case tsConvTypeTime:
		if optional {
			return data.OptionalTimeSchema
		}
		return data.TimeSchema
	}
	if optional {
		return data.OptionalTimestampSchema
	}
	return data.TimestampSchema
}

// convert converts a timestamp of sourceType ("" to infer it from the
// value) to the target type (convertTimestamp); null stays null.
func (t *TimestampConverter) convert(v any, sourceType string) (any, error) {
	if v == nil {
		return nil, nil
	}
	if sourceType == "" {
		var err error
		if sourceType, err = tsConvInferType(v); err != nil {
			return nil, err
		}
	}
	ms, err := t.toRaw(v, sourceType)
	if err != nil {
		return nil, err
	}
	return t.toType(ms), nil
}

// toRaw converts to epoch milliseconds (java.util.Date).
func (t *TimestampConverter) toRaw(v any, sourceType string) (int64, error) {
	switch sourceType {
	case tsConvTypeString:
		s, ok := v.(string)
		if !ok {
			return 0, &data.DataError{Msg: "Expected string timestamp to be a String, but found " + data.JavaClass(v)}
		}
		if t.format == nil {
			// No format configured: Kafka dereferences the null formatter.
			return 0, errors.New(`Cannot invoke "java.text.SimpleDateFormat.parse(String)" because "config.format" is null`)
		}
		parsed, err := t.format.Parse(s)
		if err != nil {
			return 0, &data.DataError{Msg: "Could not parse timestamp: value (" + s + ") does not match pattern (" + t.format.Pattern() + ")"}
		}
		return parsed.UnixMilli(), nil
	case tsConvTypeUnix:
		n, ok := v.(int64)
		if !ok {
			return 0, &data.DataError{Msg: "Expected Unix timestamp to be a Long, but found " + data.JavaClass(v)}
		}
		switch t.unixPrecision {
		case tsConvSeconds:
			return tsConvScale(n, 1000), nil
		case tsConvMicros:
			return n / 1000, nil
		case tsConvNanos:
			return n / 1000000, nil
		}
		return n, nil
	}
	tm, ok := v.(time.Time)
	if !ok {
		return 0, &data.DataError{Msg: "Expected " + sourceType + " to be a java.util.Date, but found " + data.JavaClass(v)}
	}
	return tm.UnixMilli(), nil
}

// toType converts epoch milliseconds to the target type's value.
func (t *TimestampConverter) toType(ms int64) any {
	switch t.targetType {
	case tsConvTypeString:
		return t.format.FormatMillis(ms)
	case tsConvTypeUnix:
		switch t.unixPrecision {
		case tsConvSeconds:
			return ms / 1000
		case tsConvMicros:
			return tsConvScale(ms, 1000)
		case tsConvNanos:
			return tsConvScale(ms, 1000000)
		}
		return ms
	case tsConvTypeDate:
		// Midnight UTC of the same day.
		return time.UnixMilli(floorDivInt64(ms, tsConvMillisPerDay) * tsConvMillisPerDay).UTC()
	case tsConvTypeTime:
		// The UTC time of day on 1970-01-01.
		return time.UnixMilli(ms - floorDivInt64(ms, tsConvMillisPerDay)*tsConvMillisPerDay).UTC()
	}
	return time.UnixMilli(ms).UTC()
}

// tsConvScale multiplies like TimeUnit conversions to finer units:
// saturating at the int64 limits.
func tsConvScale(n, factor int64) int64 {
	switch {
	case n > math.MaxInt64/factor:
		return math.MaxInt64
	case n < -(math.MaxInt64 / factor):
		return math.MinInt64
	}
	return n * factor
}

func floorDivInt64(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
