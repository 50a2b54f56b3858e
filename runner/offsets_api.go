package runner

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/runner/kafka"
	"github.com/connect-go/connect-standalone/runner/plugins"
)

// Offsets API (KIP-875) field names for sink connectors (SinkUtils).
const (
	sinkTopicKey     = "kafka_topic"
	sinkPartitionKey = "kafka_partition"
	sinkOffsetKey    = "kafka_offset"
)

// Messages of a successful offsets modification (ConnectorsResource).
const (
	msgAltered          = "The offsets for this connector have been altered successfully"
	msgAlteredFramework = "The Connect framework-managed offsets for this connector have been altered successfully. However, if this connector manages offsets externally, they will need to be manually altered in the system that the connector uses."
	msgReset            = "The offsets for this connector have been reset successfully"
	msgResetFramework   = "The Connect framework-managed offsets for this connector have been reset successfully. However, if this connector manages offsets externally, they will need to be manually reset in the system that the connector uses."
)

// ConnectorOffsets returns a connector's offsets in any state: source
// offsets from the offsets file, sink offsets from its consumer group.
func (w *Worker) ConnectorOffsets(ctx context.Context, name string) ([]connectors.PartitionOffset, error) {
	w.mu.Lock()
	cr, ok := w.conns[name]
	var kind plugins.Kind
	var group string
	var adminProps map[string]string
	if ok {
		kind = cr.plugin.Kind
		if kind == plugins.KindSink {
			group = w.consumerProps(cr, TaskID{Connector: cr.name})["group.id"]
			adminProps = w.adminProps(cr, "connector-adminclient-"+name)
		}
	}
	w.mu.Unlock()
	if !ok {
		return nil, notFound("Connector %s not found", name)
	}
	out := []connectors.PartitionOffset{}
	if kind != plugins.KindSink {
		for _, p := range w.opts.Offsets.Partitions(name) {
			off, err := w.opts.Offsets.Get(name, p)
			if err != nil {
				return nil, fmt.Errorf("Failed to retrieve source connector offsets for connector %s: %w", name, err)
			}
			if off != nil {
				out = append(out, connectors.PartitionOffset{Partition: p, Offset: off})
			}
		}
		return out, nil
	}
	offs, err := withAdmin(ctx, adminProps, func(a *kafka.Admin) (map[kafka.TopicPartition]int64, error) {
		return a.ConsumerGroupOffsets(ctx, group)
	})
	if err != nil {
		return nil, fmt.Errorf("Failed to retrieve consumer group offsets for sink connector %s: %w", name, err)
	}
	tps := slices.SortedFunc(maps.Keys(offs), func(a, b kafka.TopicPartition) int {
		return cmp.Or(strings.Compare(a.Topic, b.Topic), cmp.Compare(a.Partition, b.Partition))
	})
	for _, tp := range tps {
		out = append(out, connectors.PartitionOffset{
			Partition: map[string]any{sinkTopicKey: tp.Topic, sinkPartitionKey: int64(tp.Partition)},
			Offset:    map[string]any{sinkOffsetKey: offs[tp]},
		})
	}
	return out, nil
}

func withAdmin[T any](ctx context.Context, props map[string]string, fn func(*kafka.Admin) (T, error)) (T, error) {
	var zero T
	cfg, err := kafka.NewClientConfig(kafka.KindAdmin, props)
	if err != nil {
		return zero, err
	}
	a, err := kafka.NewAdmin(cfg)
	if err != nil {
		return zero, err
	}
	defer a.Close()
	return fn(a)
}

// AlterConnectorOffsets writes offsets (a nil Offset resets that partition)
// for a STOPPED connector and returns Kafka's success message.
func (w *Worker) AlterConnectorOffsets(ctx context.Context, name string, offsets []connectors.PartitionOffset) (string, error) {
	if len(offsets) == 0 {
		return "", &BadRequestError{Msg: "Partitions / offsets need to be provided for an alter offsets request"}
	}
	return w.modifyOffsets(ctx, name, offsets)
}

// ResetConnectorOffsets removes every offset of a STOPPED connector.
func (w *Worker) ResetConnectorOffsets(ctx context.Context, name string) (string, error) {
	return w.modifyOffsets(ctx, name, nil)
}

// modifyOffsets alters (offsets != nil) or resets (nil) offsets. The worker
// lock is held throughout, so the connector cannot be resumed meanwhile.
func (w *Worker) modifyOffsets(ctx context.Context, name string, offsets []connectors.PartitionOffset) (string, error) {
	reset := offsets == nil
	w.mu.Lock()
	defer w.mu.Unlock()
	cr, ok := w.conns[name]
	if !ok {
		return "", notFound("Connector %s not found", name)
	}
	if cr.target != TargetStopped || len(cr.tasks) > 0 {
		return "", &BadRequestError{Msg: fmt.Sprintf("Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/%s/stop' endpoint", name)}
	}
	alterer, _ := cr.plugin.New().(connectors.OffsetAlterer)
	alter := func(offs []connectors.PartitionOffset) (bool, error) {
		if alterer == nil {
			return false, nil
		}
		ok, err := alterer.AlterOffsets(maps.Clone(cr.config), offs)
		if err != nil {
			return false, &BadRequestError{Msg: err.Error()}
		}
		return ok, nil
	}
	var managed bool
	var err error
	if cr.plugin.Kind == plugins.KindSink {
		managed, err = w.modifySinkOffsets(ctx, cr, offsets, alter)
	} else {
		if reset {
			for _, p := range w.opts.Offsets.Partitions(name) {
				offsets = append(offsets, connectors.PartitionOffset{Partition: p})
			}
		}
		managed, err = w.modifySourceOffsets(ctx, cr, offsets, alter)
	}
	if err != nil {
		return "", err
	}
	switch {
	case reset && managed:
		return msgReset, nil
	case reset:
		return msgResetFramework, nil
	case managed:
		return msgAltered, nil
	}
	return msgAlteredFramework, nil
}

func (w *Worker) modifySourceOffsets(ctx context.Context, cr *connectorRuntime, offsets []connectors.PartitionOffset, alter func([]connectors.PartitionOffset) (bool, error)) (bool, error) {
	for _, po := range offsets {
		if po.Partition == nil {
			return false, &BadRequestError{Msg: "Source partitions may not be null"}
		}
	}
	managed, err := alter(offsets)
	if err != nil {
		return false, err
	}
	if len(offsets) == 0 {
		return managed, nil
	}
	if err := w.opts.Offsets.Set(ctx, cr.name, offsets); err != nil {
		if strings.Contains(err.Error(), "may only") {
			return false, &BadRequestError{Msg: err.Error()}
		}
		return false, fmt.Errorf("Failed to write offsets for connector %s: %w", cr.name, err)
	}
	return managed, nil
}

const zombieSinkHint = " either because its tasks haven't stopped completely yet or the connector was resumed before the request to %s its offsets could be successfully completed. If the connector is in a stopped state, this operation can be safely retried. If it doesn't eventually succeed, the Connect cluster may need to be restarted to get rid of the zombie sink tasks."

func (w *Worker) modifySinkOffsets(ctx context.Context, cr *connectorRuntime, offsets []connectors.PartitionOffset, alter func([]connectors.PartitionOffset) (bool, error)) (bool, error) {
	group := w.consumerProps(cr, TaskID{Connector: cr.name})["group.id"]
	props := w.adminProps(cr, "connector-adminclient-"+cr.name)
	if offsets == nil { // reset: delete the whole group
		managed, err := alter(nil)
		if err != nil {
			return false, err
		}
		_, err = withAdmin(ctx, props, func(a *kafka.Admin) (struct{}, error) {
			return struct{}{}, a.DeleteConsumerGroup(ctx, group)
		})
		if errors.Is(err, kafka.ErrGroupNotEmpty) {
			return false, fmt.Errorf("Failed to reset consumer group offsets for connector %s"+zombieSinkHint, cr.name, "reset")
		}
		if err != nil {
			return false, fmt.Errorf("Failed to reset consumer group offsets for connector %s: %w", cr.name, err)
		}
		return managed, nil
	}
	toAlter := map[kafka.TopicPartition]int64{}
	var toDelete []kafka.TopicPartition
	for _, po := range offsets {
		tp, off, err := parseSinkOffset(po)
		if err != nil {
			return false, err
		}
		if off == nil {
			toDelete = append(toDelete, tp)
		} else {
			toAlter[tp] = *off
		}
	}
	managed, err := alter(offsets)
	if err != nil {
		return false, err
	}
	_, err = withAdmin(ctx, props, func(a *kafka.Admin) (struct{}, error) {
		if err := a.AlterConsumerGroupOffsets(ctx, group, toAlter); err != nil {
			return struct{}{}, err
		}
		return struct{}{}, a.DeleteConsumerGroupOffsets(ctx, group, toDelete)
	})
	if errors.Is(err, kafka.ErrGroupNotEmpty) {
		return false, fmt.Errorf("Failed to alter consumer group offsets for connector %s"+zombieSinkHint, cr.name, "alter")
	}
	if err != nil {
		return false, fmt.Errorf("Failed to alter consumer group offsets for connector %s: %w", cr.name, err)
	}
	return managed, nil
}

// parseSinkOffset checks one sink offset as SinkUtils.parseSinkConnectorOffsets
// does; numbers may be given as JSON numbers or strings.
func parseSinkOffset(po connectors.PartitionOffset) (kafka.TopicPartition, *int64, error) {
	bad := func(msg string) (kafka.TopicPartition, *int64, error) {
		return kafka.TopicPartition{}, nil, &BadRequestError{Msg: msg}
	}
	if po.Partition == nil {
		return bad("The partition for a sink connector offset cannot be null or missing")
	}
	topicV, hasTopic := po.Partition[sinkTopicKey]
	partV, hasPart := po.Partition[sinkPartitionKey]
	if !hasTopic || !hasPart {
		return bad("The partition for a sink connector offset must contain the keys 'kafka_topic' and 'kafka_partition'")
	}
	topic, ok := topicV.(string)
	if !ok {
		return bad("Kafka topic names must be valid strings and may not be null")
	}
	if partV == nil {
		return bad("Kafka partitions must be valid numbers and may not be null")
	}
	part, ok := integral(partV)
	if !ok || part < -1<<31 || part > 1<<31-1 {
		return bad(fmt.Sprintf("Failed to parse the following Kafka partition value in the provided offsets: '%v'. Partition values for sink connectors need to be integers.", partV))
	}
	tp := kafka.TopicPartition{Topic: topic, Partition: int32(part)}
	if po.Offset == nil {
		return tp, nil, nil
	}
	offV, ok := po.Offset[sinkOffsetKey]
	if !ok {
		return bad("The offset for a sink connector should either be null or contain the key 'kafka_offset'")
	}
	if offV == nil {
		return bad("Kafka offsets must be valid numbers and may not be null")
	}
	off, ok := integral(offV)
	if !ok {
		return bad(fmt.Sprintf("Failed to parse the following Kafka offset value in the provided offsets: '%v'. Offset values for sink connectors need to be integers.", offV))
	}
	return tp, &off, nil
}

func integral(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int:
		return int64(x), true
	case int32:
		return int64(x), true
	case float64:
		if x == float64(int64(x)) {
			return int64(x), true
		}
	case string:
		n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
		return n, err == nil
	}
	return 0, false
}
