// Package connectors is the plugin SPI: records, connectors, tasks and the
// contexts the runtime hands them. It mirrors org.apache.kafka.connect.{connector,
// source,sink} and imports no Kafka client.
package connectors

import "github.com/connect-go/connect-standalone/connectors/data"

// NoPartition marks a record whose Kafka partition is left to the partitioner
// (a null kafkaPartition in Java).
const NoPartition int32 = -1

// Header is one record header (ConnectHeader).
type Header struct {
	Key    string
	Schema *data.Schema
	Value  any
}

// Record is a ConnectRecord: a SourceRecord on the source path (SourcePartition
// and SourceOffset set) or a SinkRecord on the sink path (KafkaOffset set).
type Record struct {
	Topic        string
	Partition    int32 // NoPartition when unset
	KeySchema    *data.Schema
	Key          any
	ValueSchema  *data.Schema
	Value        any
	Timestamp    int64 // ms since epoch; meaningful only when HasTimestamp
	HasTimestamp bool
	Headers      []Header

	// Source records.
	SourcePartition map[string]any
	SourceOffset    map[string]any

	// Sink records (Sink is true: a SinkRecord in Java terms).
	Sink          bool
	KafkaOffset   int64
	TimestampType TimestampType
}

// TimestampType is the Kafka record timestamp type of a sink record.
type TimestampType int8

const (
	NoTimestampType TimestampType = iota
	CreateTime
	LogAppendTime
)

// NewRecord returns a copy of r with the given routing and payload, keeping
// source/sink metadata and a copy of the headers (ConnectRecord.newRecord).
func (r *Record) NewRecord(topic string, partition int32, keySchema *data.Schema, key any, valueSchema *data.Schema, value any) *Record {
	c := *r
	c.Topic, c.Partition = topic, partition
	c.KeySchema, c.Key = keySchema, key
	c.ValueSchema, c.Value = valueSchema, value
	if r.Headers != nil {
		c.Headers = append([]Header(nil), r.Headers...)
	}
	return &c
}
