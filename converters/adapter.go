package converters

import "github.com/connect-go/connect-standalone/connectors/data"

// dualConverter is a Converter that Kafka also uses as a HeaderConverter.
type dualConverter interface {
	configure(props map[string]string) error
	FromConnectHeader(topic, headerKey string, schema *data.Schema, value any) ([]byte, error)
	ToConnectHeader(topic, headerKey string, b []byte) (*data.Schema, any, error)
}

// headerAdapter exposes a converter's header methods with the
// HeaderConverter.Configure signature (Kafka passes converter.type=header).
type headerAdapter[T dualConverter] struct{ c T }

func (h headerAdapter[T]) Configure(props map[string]string) error { return h.c.configure(props) }

func (h headerAdapter[T]) FromConnectHeader(topic, headerKey string, schema *data.Schema, value any) ([]byte, error) {
	return h.c.FromConnectHeader(topic, headerKey, schema, value)
}

func (h headerAdapter[T]) ToConnectHeader(topic, headerKey string, b []byte) (*data.Schema, any, error) {
	return h.c.ToConnectHeader(topic, headerKey, b)
}

// Unwrap returns the underlying converter.
func (h headerAdapter[T]) Unwrap() any { return h.c }
