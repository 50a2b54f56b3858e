package converters

import (
	"encoding/binary"
	"math"

	"github.com/connect-go/connect-standalone/connectors/data"
)

// ByteArrayConverter is org.apache.kafka.connect.converters.ByteArrayConverter
// (also a HeaderConverter): bytes pass through unchanged.
type ByteArrayConverter struct{}

// Configure implements Converter.
func (ByteArrayConverter) Configure(props map[string]string, isKey bool) error {
	return checkConverterType(props)
}

func (ByteArrayConverter) configure(props map[string]string) error { return checkConverterType(props) }

// AsHeaderConverter returns c as a HeaderConverter.
func (c ByteArrayConverter) AsHeaderConverter() HeaderConverter {
	return headerAdapter[ByteArrayConverter]{c}
}

// FromConnectData implements Converter.
func (ByteArrayConverter) FromConnectData(topic string, schema *data.Schema, value any) ([]byte, error) {
	if schema != nil && schema.Type != data.TypeBytes {
		return nil, newError("ByteArrayConverter", topic, "serialize",
			dataError("Invalid schema type for ByteArrayConverter: %s", schema.Type), nil)
	}
	if value == nil {
		return nil, nil
	}
	b, ok := value.([]byte)
	if !ok {
		return nil, newError("ByteArrayConverter", topic, "serialize",
			dataError("ByteArrayConverter is not compatible with objects of type %s", data.JavaClass(value)), nil)
	}
	return b, nil
}

// ToConnectData implements Converter: (OPTIONAL_BYTES, b).
func (ByteArrayConverter) ToConnectData(topic string, b []byte) (*data.Schema, any, error) {
	if b == nil {
		return data.OptionalBytesSchema, nil, nil
	}
	return data.OptionalBytesSchema, b, nil
}

// FromConnectHeader implements HeaderConverter.
func (c ByteArrayConverter) FromConnectHeader(topic, headerKey string, schema *data.Schema, value any) ([]byte, error) {
	return c.FromConnectData(topic, schema, value)
}

// ToConnectHeader implements HeaderConverter.
func (c ByteArrayConverter) ToConnectHeader(topic, headerKey string, b []byte) (*data.Schema, any, error) {
	return c.ToConnectData(topic, b)
}

// numberKind describes one of Kafka's NumberConverter subclasses.
type numberKind struct {
	class    string // simple class name
	typeName string // word in "Failed to serialize to <typeName>"
	deser    string // deserializer name in the size message
	size     int
	schema   *data.Schema
}

var (
	shortKind   = &numberKind{"ShortConverter", "short", "ShortDeserializer", 2, data.OptionalInt16Schema}
	integerKind = &numberKind{"IntegerConverter", "integer", "IntegerDeserializer", 4, data.OptionalInt32Schema}
	longKind    = &numberKind{"LongConverter", "long", "LongDeserializer", 8, data.OptionalInt64Schema}
	floatKind   = &numberKind{"FloatConverter", "float", "Deserializer", 4, data.OptionalFloat32Schema}
	doubleKind  = &numberKind{"DoubleConverter", "double", "Deserializer", 8, data.OptionalFloat64Schema}
)

// NumberConverter implements Kafka's ShortConverter, IntegerConverter,
// LongConverter, FloatConverter and DoubleConverter (all also
// HeaderConverters): fixed-size big-endian encodings; the value must have
// the exact Go type (int16, int32, int64, float32, float64); the schema is
// ignored when serializing.
type NumberConverter struct{ kind *numberKind }

// NewShortConverter returns org.apache.kafka.connect.converters.ShortConverter.
func NewShortConverter() *NumberConverter { return &NumberConverter{shortKind} }

// NewIntegerConverter returns org.apache.kafka.connect.converters.IntegerConverter.
func NewIntegerConverter() *NumberConverter { return &NumberConverter{integerKind} }

// NewLongConverter returns org.apache.kafka.connect.converters.LongConverter.
func NewLongConverter() *NumberConverter { return &NumberConverter{longKind} }

// NewFloatConverter returns org.apache.kafka.connect.converters.FloatConverter.
func NewFloatConverter() *NumberConverter { return &NumberConverter{floatKind} }

// NewDoubleConverter returns org.apache.kafka.connect.converters.DoubleConverter.
func NewDoubleConverter() *NumberConverter { return &NumberConverter{doubleKind} }

// Configure implements Converter.
func (c *NumberConverter) Configure(props map[string]string, isKey bool) error {
	return checkConverterType(props)
}

func (c *NumberConverter) configure(props map[string]string) error { return checkConverterType(props) }

// AsHeaderConverter returns c as a HeaderConverter.
func (c *NumberConverter) AsHeaderConverter() HeaderConverter {
	return headerAdapter[*NumberConverter]{c}
}

// FromConnectData implements Converter.
func (c *NumberConverter) FromConnectData(topic string, schema *data.Schema, value any) ([]byte, error) {
	if value == nil {
		return nil, nil
	}
	k := c.kind
	var out []byte
	switch x := value.(type) {
	case int16:
		if k == shortKind {
			out = binary.BigEndian.AppendUint16(nil, uint16(x))
		}
	case int32:
		if k == integerKind {
			out = binary.BigEndian.AppendUint32(nil, uint32(x))
		}
	case int64:
		if k == longKind {
			out = binary.BigEndian.AppendUint64(nil, uint64(x))
		}
	case float32:
		if k == floatKind {
			out = binary.BigEndian.AppendUint32(nil, math.Float32bits(x))
		}
	case float64:
		if k == doubleKind {
			out = binary.BigEndian.AppendUint64(nil, math.Float64bits(x))
		}
	}
	if out == nil {
		return nil, newError(k.class, topic, "serialize", &data.DataError{
			Msg:   "Failed to serialize to " + k.typeName + " (was " + data.JavaClass(value) + "): ",
			Cause: dataError("class %s cannot be cast to class %s", data.JavaClassName(value), javaNumberClass(k)),
		}, nil)
	}
	return out, nil
}

func javaNumberClass(k *numberKind) string {
	switch k {
	case shortKind:
		return "java.lang.Short"
	case integerKind:
		return "java.lang.Integer"
	case longKind:
		return "java.lang.Long"
	case floatKind:
		return "java.lang.Float"
	}
	return "java.lang.Double"
}

// ToConnectData implements Converter.
func (c *NumberConverter) ToConnectData(topic string, b []byte) (*data.Schema, any, error) {
	k := c.kind
	if b == nil {
		return k.schema, nil, nil
	}
	if len(b) != k.size {
		return nil, nil, newError(k.class, topic, "deserialize", &data.DataError{
			Msg:   "Failed to deserialize " + k.typeName + ": ",
			Cause: dataError("Size of data received by %s is not %d", k.deser, k.size),
		}, b)
	}
	switch k {
	case shortKind:
		return k.schema, int16(binary.BigEndian.Uint16(b)), nil
	case integerKind:
		return k.schema, int32(binary.BigEndian.Uint32(b)), nil
	case longKind:
		return k.schema, int64(binary.BigEndian.Uint64(b)), nil
	case floatKind:
		return k.schema, math.Float32frombits(binary.BigEndian.Uint32(b)), nil
	}
	return k.schema, math.Float64frombits(binary.BigEndian.Uint64(b)), nil
}

// FromConnectHeader implements HeaderConverter.
func (c *NumberConverter) FromConnectHeader(topic, headerKey string, schema *data.Schema, value any) ([]byte, error) {
	return c.FromConnectData(topic, schema, value)
}

// ToConnectHeader implements HeaderConverter.
func (c *NumberConverter) ToConnectHeader(topic, headerKey string, b []byte) (*data.Schema, any, error) {
	return c.ToConnectData(topic, b)
}

// BooleanConverter is org.apache.kafka.connect.converters.BooleanConverter
// (also a HeaderConverter): one byte, 0x01 or 0x00.
type BooleanConverter struct{}

// Configure implements Converter.
func (BooleanConverter) Configure(props map[string]string, isKey bool) error {
	return checkConverterType(props)
}

func (BooleanConverter) configure(props map[string]string) error { return checkConverterType(props) }

// AsHeaderConverter returns c as a HeaderConverter.
func (c BooleanConverter) AsHeaderConverter() HeaderConverter {
	return headerAdapter[BooleanConverter]{c}
}

// FromConnectData implements Converter.
func (BooleanConverter) FromConnectData(topic string, schema *data.Schema, value any) ([]byte, error) {
	if schema != nil && schema.Type != data.TypeBoolean {
		return nil, newError("BooleanConverter", topic, "serialize",
			dataError("Invalid schema type for BooleanConverter: %s", schema.Type), nil)
	}
	switch x := value.(type) {
	case nil:
		return nil, nil
	case bool:
		if x {
			return []byte{1}, nil
		}
		return []byte{0}, nil
	}
	return nil, newError("BooleanConverter", topic, "serialize",
		dataError("BooleanConverter is not compatible with objects of type %s", data.JavaClass(value)), nil)
}

// ToConnectData implements Converter: (OPTIONAL_BOOLEAN, value).
func (BooleanConverter) ToConnectData(topic string, b []byte) (*data.Schema, any, error) {
	if b == nil {
		return data.OptionalBooleanSchema, nil, nil
	}
	var cause error
	switch {
	case len(b) != 1:
		cause = dataError("Size of data received by BooleanDeserializer is not 1")
	case b[0] == 1:
		return data.OptionalBooleanSchema, true, nil
	case b[0] == 0:
		return data.OptionalBooleanSchema, false, nil
	default:
		cause = dataError("Unexpected byte received by BooleanDeserializer: %d", int8(b[0]))
	}
	return nil, nil, newError("BooleanConverter", topic, "deserialize",
		&data.DataError{Msg: "Failed to deserialize boolean: ", Cause: cause}, b)
}

// FromConnectHeader implements HeaderConverter.
func (c BooleanConverter) FromConnectHeader(topic, headerKey string, schema *data.Schema, value any) ([]byte, error) {
	return c.FromConnectData(topic, schema, value)
}

// ToConnectHeader implements HeaderConverter.
func (c BooleanConverter) ToConnectHeader(topic, headerKey string, b []byte) (*data.Schema, any, error) {
	return c.ToConnectData(topic, b)
}
