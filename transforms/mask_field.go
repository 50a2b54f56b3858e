package transforms

import (
	"math/big"
	"time"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
)

// MaskField config keys.
const (
	maskFieldFields      = "fields"
	maskFieldReplacement = "replacement"

	maskFieldPurpose = "mask fields"
)

var maskFieldConfigDef = defineReplaceNullWithDefault(configdef.New().
	Define(configdef.Key{Name: maskFieldFields, Type: configdef.TypeList, Default: configdef.NoDefault,
		Validator: nonEmptyList(), Importance: configdef.High, Doc: "Names of fields to mask."}).
	Define(configdef.Key{Name: maskFieldReplacement, Type: configdef.TypeString, Default: nil,
		Validator: configdef.NonEmptyString(), Importance: configdef.Low,
		Doc: "Custom value replacement, that will be applied to all 'fields' values (numeric or non-empty string values only)."}))

// MaskField replaces the listed fields of the key or value by the "null"
// value of their type, or by a configured replacement
// (org.apache.kafka.connect.transforms.MaskField$Key / $Value).
type MaskField struct {
	side side

	masked                 map[string]bool
	maskedOrder            []string // java.util.HashSet iteration order
	replacement            *string
	replaceNullWithDefault bool

	noClose
}

// NewMaskFieldKey returns MaskField$Key.
func NewMaskFieldKey() *MaskField { return &MaskField{side: keySide} }

// NewMaskFieldValue returns MaskField$Value.
func NewMaskFieldValue() *MaskField { return &MaskField{side: valueSide} }

func maskFieldPlugins() []Plugin {
	return []Plugin{
		{Class: classPrefix + "MaskField$Key", NewTransformation: func() Transformation { return NewMaskFieldKey() }},
		{Class: classPrefix + "MaskField$Value", NewTransformation: func() Transformation { return NewMaskFieldValue() }},
	}
}

// Config returns MaskField.CONFIG_DEF.
func (t *MaskField) Config() *configdef.Def { return maskFieldConfigDef }

// Configure parses props.
func (t *MaskField) Configure(props map[string]string) error {
	v, err := parseConfig(maskFieldConfigDef, props)
	if err != nil {
		return err
	}
	t.maskedOrder = smtaHashSetOrder(v.List(maskFieldFields))
	t.masked = make(map[string]bool, len(t.maskedOrder))
	for _, f := range t.maskedOrder {
		t.masked[f] = true
	}
	t.replacement = nil
	if !v.IsNull(maskFieldReplacement) {
		s := v.String(maskFieldReplacement)
		t.replacement = &s
	}
	t.replaceNullWithDefault = v.Bool(replaceNullWithDefaultConfig)
	return nil
}

// Apply masks the configured fields. There is no tombstone shortcut: a null
// key/value fails the Map/Struct requirement, as in Kafka.
func (t *MaskField) Apply(r *connectors.Record) (*connectors.Record, error) {
	if t.side.schema(r) == nil {
		return t.applySchemaless(r)
	}
	return t.applyWithSchema(r)
}

func (t *MaskField) applySchemaless(r *connectors.Record) (*connectors.Record, error) {
	m, err := requireMap(t.side.value(r), maskFieldPurpose)
	if err != nil {
		return nil, err
	}
	updated := smtaCopyMap(m)
	// Every listed field is put, so a name missing from the map is added
	// with null (Kafka does the same).
	for _, f := range t.maskedOrder {
		mv, err := t.mask(smtaGet(m, f))
		if err != nil {
			return nil, err
		}
		updated.Put(f, mv)
	}
	return t.newRecord(r, updated), nil
}

func (t *MaskField) applyWithSchema(r *connectors.Record) (*connectors.Record, error) {
	s, err := requireStruct(t.side.value(r), maskFieldPurpose)
	if err != nil {
		return nil, err
	}
	updated := data.NewStruct(s.Schema())
	for i := range s.Schema().Fields {
		f := &s.Schema().Fields[i]
		v, err := getField(s, f.Name, t.replaceNullWithDefault)
		if err != nil {
			return nil, err
		}
		if t.masked[f.Name] {
			if v, err = t.mask(v); err != nil {
				return nil, err
			}
		}
		if err := updated.PutField(f, v); err != nil {
			return nil, err
		}
	}
	return t.newRecord(r, updated), nil
}

// newRecord keeps the operating schema and replaces only the value.
func (t *MaskField) newRecord(r *connectors.Record, value any) *connectors.Record {
	return t.side.newRecord(r, t.side.schema(r), value)
}

func (t *MaskField) mask(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if t.replacement == nil {
		return maskWithNullValue(v)
	}
	return maskWithReplacement(v, *t.replacement)
}

// maskWithNullValue is MaskField's PRIMITIVE_VALUE_MAPPING plus empty
// (mutable) lists and maps.
func maskWithNullValue(v any) (any, error) {
	switch v.(type) {
	case bool:
		return false, nil
	case int8:
		return int8(0), nil
	case int16:
		return int16(0), nil
	case int32:
		return int32(0), nil
	case int64:
		return int64(0), nil
	case float32:
		return float32(0), nil
	case float64:
		return float64(0), nil
	case data.Decimal:
		return data.Decimal{Unscaled: new(big.Int), Scale: 0}, nil
	case time.Time:
		return time.UnixMilli(0).UTC(), nil
	case string:
		return "", nil
	case []any:
		return []any{}, nil
	case *data.Map:
		return data.NewMap(0), nil
	}
	return nil, &data.DataError{Msg: "Cannot mask value of type: " + data.JavaClass(v)}
}

// maskWithReplacement converts the replacement to the value's type:
// numbers through Values.convertTo*, strings as is, BigDecimal parsed.
func maskWithReplacement(v any, replacement string) (any, error) {
	var to *data.Schema
	switch v.(type) {
	case int8:
		to = data.OptionalInt8Schema
	case int16:
		to = data.OptionalInt16Schema
	case int32:
		to = data.OptionalInt32Schema
	case int64:
		to = data.OptionalInt64Schema
	case float32:
		to = data.OptionalFloat32Schema
	case float64:
		to = data.OptionalFloat64Schema
	case string:
		return replacement, nil
	case data.Decimal:
		d, err := data.ParseDecimal(replacement)
		if err != nil {
			// new BigDecimal(String) throws NumberFormatException.
			return nil, &data.DataError{Msg: "Unable to convert " + replacement + " (class java.lang.String) to number"}
		}
		return d, nil
	default:
		return nil, &data.DataError{Msg: "Cannot mask value of type " + data.JavaClass(v) + " with custom replacement."}
	}
	// Values.convertToByte & co. report a non-numeric string as a
	// DataException of their own ("... to a number"), not as the
	// NumberFormatException MaskField catches.
	return data.ConvertTo(to, nil, replacement)
}
