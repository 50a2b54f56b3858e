// Package converters turns Connect data into bytes and back, byte-compatible
// with Kafka's converters (org.apache.kafka.connect.storage.Converter and
// HeaderConverter implementations).
package converters

import "github.com/connect-go/connect-standalone/connectors/data"

// Converter converts record keys or values.
type Converter interface {
	// Configure receives the converter's sub-config (prefix stripped);
	// isKey tells whether it converts keys (converter.type=key) or values.
	Configure(props map[string]string, isKey bool) error
	// FromConnectData serializes; nil bytes mean a Kafka null.
	FromConnectData(topic string, schema *data.Schema, value any) ([]byte, error)
	// ToConnectData deserializes; nil bytes yield (nil, nil) or the converter's
	// optional schema with a nil value, as Kafka's does.
	ToConnectData(topic string, b []byte) (*data.Schema, any, error)
}

// HeaderConverter converts header values.
type HeaderConverter interface {
	Configure(props map[string]string) error
	FromConnectHeader(topic, headerKey string, schema *data.Schema, value any) ([]byte, error)
	ToConnectHeader(topic, headerKey string, b []byte) (*data.Schema, any, error)
}
