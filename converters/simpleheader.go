package converters

import (
	"github.com/connect-go/connect-standalone/connectors/data"
)

// SimpleHeaderConverter is org.apache.kafka.connect.storage.SimpleHeaderConverter,
// Kafka's default header.converter: values are written as
// data.ConvertToString in UTF-8 and read back with data.ParseString.
type SimpleHeaderConverter struct{}

// Configure implements HeaderConverter (no settings).
func (*SimpleHeaderConverter) Configure(props map[string]string) error { return nil }

// FromConnectHeader implements HeaderConverter.
func (*SimpleHeaderConverter) FromConnectHeader(topic, headerKey string, schema *data.Schema, value any) ([]byte, error) {
	if value == nil {
		return nil, nil
	}
	s, err := data.TryConvertToString(schema, value)
	if err != nil {
		return nil, newError("SimpleHeaderConverter", topic, "serialize", err, nil)
	}
	return []byte(s), nil
}

// ToConnectHeader implements HeaderConverter. Text that cannot be parsed at
// all falls back to (BYTES, raw bytes), as Kafka does after logging a warning.
func (*SimpleHeaderConverter) ToConnectHeader(topic, headerKey string, b []byte) (*data.Schema, any, error) {
	if b == nil {
		return nil, nil, nil
	}
	str := decodeUTF8(b)
	if str == "" {
		return data.StringSchema, str, nil
	}
	s, v, err := data.ParseString(str)
	if err != nil {
		return data.BytesSchema, b, nil
	}
	return s, v, nil
}
