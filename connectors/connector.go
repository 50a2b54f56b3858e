package connectors

import (
	"context"
	"errors"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/connectors/configdef"
)

// ErrRetriable marks an error after which the same operation may succeed
// (Kafka's RetriableException). Wrap it: fmt.Errorf("...: %w", ErrRetriable).
var ErrRetriable = errors.New("retriable")

// Connector is the part of a plugin that validates configuration and splits
// work into tasks (org.apache.kafka.connect.connector.Connector).
type Connector interface {
	Version() string
	ConfigDef() *configdef.Def
	Start(ctx context.Context, props map[string]string) error
	// TaskConfigs returns at most maxTasks task configurations.
	TaskConfigs(maxTasks int) ([]map[string]string, error)
	Stop() error
}

// ConnectorContext is what the runtime offers a connector
// (org.apache.kafka.connect.connector.ConnectorContext).
type ConnectorContext interface {
	// RequestTaskReconfiguration asks the runtime to call TaskConfigs again
	// and to restart the tasks if their configs changed. It returns at once;
	// the reconfiguration runs asynchronously and may be skipped if the
	// connector is no longer running.
	RequestTaskReconfiguration()
	// RaiseError fails the connector with err (its tasks keep running, as in
	// Kafka).
	RaiseError(err error)
	Logger() *zerolog.Logger
}

// Initializer is implemented by connectors that want their ConnectorContext
// (Connector.initialize). The runtime calls Initialize once, before Start.
type Initializer interface {
	Initialize(cc ConnectorContext)
}

// SourceConnector produces SourceTasks.
type SourceConnector interface {
	Connector
	NewTask() SourceTask
	// TaskClass is the Java FQCN reported as task.class in task configs.
	TaskClass() string
}

// SinkConnector produces SinkTasks.
type SinkConnector interface {
	Connector
	NewTask() SinkTask
	TaskClass() string
}

// OffsetAlterer is implemented by connectors that accept the KIP-875 offsets
// API; it returns true when the connector manages no offsets of its own.
type OffsetAlterer interface {
	AlterOffsets(props map[string]string, offsets []PartitionOffset) (bool, error)
}

// PartitionOffset is one source partition and its offset (nil = reset).
type PartitionOffset struct {
	Partition map[string]any
	Offset    map[string]any
}

// SourceTask reads from an external system.
type SourceTask interface {
	Start(ctx context.Context, tc SourceTaskContext, props map[string]string) error
	// Poll returns the next batch, or (nil, nil) when nothing is ready. It must
	// return promptly once ctx is done.
	Poll(ctx context.Context) ([]*Record, error)
	// Commit is called after the offsets of acknowledged records are durable.
	Commit(ctx context.Context) error
	Stop() error
}

// SourceTaskContext is what the runtime offers a source task.
type SourceTaskContext interface {
	// Offset returns the last committed offset of a source partition, or nil.
	Offset(partition map[string]any) (map[string]any, error)
	Logger() *zerolog.Logger
}

// TopicPartition names one Kafka partition.
type TopicPartition struct {
	Topic     string
	Partition int32
}

// SinkTask writes records to an external system.
type SinkTask interface {
	Start(ctx context.Context, tc SinkTaskContext, props map[string]string) error
	// Put delivers a batch; an error wrapping ErrRetriable redelivers it.
	Put(ctx context.Context, records []*Record) error
	// Flush makes everything put so far durable (preCommit/flush).
	Flush(ctx context.Context, offsets map[TopicPartition]int64) error
	Stop() error
}

// SinkTaskContext is what the runtime offers a sink task.
type SinkTaskContext interface {
	Logger() *zerolog.Logger
}
