package transforms

import (
	"testing"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/data"
)

// sourceRecord is a SourceRecord on topic "test" with no Kafka partition.
func sourceRecord(keySchema *data.Schema, key any, valueSchema *data.Schema, value any) *connectors.Record {
	return &connectors.Record{Topic: "test", Partition: connectors.NoPartition,
		KeySchema: keySchema, Key: key, ValueSchema: valueSchema, Value: value,
		SourcePartition: map[string]any{}, SourceOffset: map[string]any{}}
}

// sinkRecord is a SinkRecord on test-0 at the given offset.
func sinkRecord(keySchema *data.Schema, key any, valueSchema *data.Schema, value any, offset int64) *connectors.Record {
	return &connectors.Record{Topic: "test", Partition: 0, Sink: true, KafkaOffset: offset,
		KeySchema: keySchema, Key: key, ValueSchema: valueSchema, Value: value}
}

// configured configures tr with props and fails the test on error.
func configured[T interface{ Configure(map[string]string) error }](t testing.TB, tr T, props map[string]string) T {
	t.Helper()
	if err := tr.Configure(props); err != nil {
		t.Fatalf("configure %v: %v", props, err)
	}
	return tr
}

// mapOf builds a schemaless Java HashMap from alternating keys and values.
func mapOf(kv ...any) *data.Map {
	m := data.NewMap(len(kv) / 2)
	for i := 0; i+1 < len(kv); i += 2 {
		m.Put(kv[i], kv[i+1])
	}
	return m
}
