package runner

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/runner/kafka"
)

// Dead letter queue context header names (DeadLetterQueueReporter).
const (
	dlqHeaderPrefix         = "__connect.errors."
	dlqHeaderTopic          = dlqHeaderPrefix + "topic"
	dlqHeaderPartition      = dlqHeaderPrefix + "partition"
	dlqHeaderOffset         = dlqHeaderPrefix + "offset"
	dlqHeaderConnectorName  = dlqHeaderPrefix + "connector.name"
	dlqHeaderTaskID         = dlqHeaderPrefix + "task.id"
	dlqHeaderStage          = dlqHeaderPrefix + "stage"
	dlqHeaderExecutingClass = dlqHeaderPrefix + "class.name"
	dlqHeaderException      = dlqHeaderPrefix + "exception.class.name"
	dlqHeaderExceptionMsg   = dlqHeaderPrefix + "exception.message"
	dlqHeaderStackTrace     = dlqHeaderPrefix + "exception.stacktrace"
)

// dlqSetupTimeout bounds listing and creating the DLQ topic at task start
// (the admin client's default.api.timeout.ms).
const dlqSetupTimeout = 60 * time.Second

// dlqReporter writes the original consumed record of each failure to the
// connector's dead letter queue topic (DeadLetterQueueReporter).
type dlqReporter struct {
	topic          string
	id             TaskID
	contextHeaders bool
	producer       *kafka.Producer
	op             *Operator
	log            zerolog.Logger
}

// newDLQReporter makes sure the topic exists (one partition, the configured
// replication factor) and connects the DLQ producer, which is configured like
// the task's producers (producer.* and producer.override.*).
func (w *Worker) newDLQReporter(ctx context.Context, cr *connectorRuntime, id TaskID, ec errorsConfig, op *Operator, log zerolog.Logger) (*dlqReporter, error) {
	topic := ec.dlqTopic
	fail := func(err error) error {
		return &ConnectError{Msg: "Could not initialize dead letter queue with topic=" + topic, Cause: err}
	}
	ctx, cancel := context.WithTimeout(ctx, dlqSetupTimeout)
	defer cancel()

	acfg, err := kafka.NewClientConfig(kafka.KindAdmin, w.adminProps(cr, "connector-dlq-adminclient-"))
	if err != nil {
		return nil, fail(err)
	}
	admin, err := kafka.NewAdmin(acfg)
	if err != nil {
		return nil, fail(err)
	}
	defer admin.Close()
	topics, err := admin.ListTopics(ctx)
	if err != nil {
		return nil, fail(err)
	}
	if _, ok := topics[topic]; !ok {
		log.Error().Str("topic", topic).Msgf("Topic %s doesn't exist. Will attempt to create topic.", topic)
		_, _, err := admin.CreateTopics(ctx, []kafka.NewTopic{{Name: topic, Partitions: 1, ReplicationFactor: ec.dlqReplication}})
		if err != nil {
			return nil, fail(err)
		}
	}

	pcfg, err := kafka.NewClientConfig(kafka.KindProducer, w.dlqProducerProps(cr, id))
	if err != nil {
		return nil, fail(err)
	}
	pcfg.Logger = log
	producer, err := dialKafka(ctx, log, "dead letter queue producer", func() (*kafka.Producer, error) { return kafka.NewProducer(pcfg) })
	if err != nil {
		return nil, fail(err)
	}
	return &dlqReporter{topic: topic, id: id, contextHeaders: ec.dlqContextHeaders, producer: producer, op: op, log: log}, nil
}

// dlqProducerProps: the task producer's settings with the DLQ client id
// (Worker.sinkTaskReporters → baseProducerConfigs).
func (w *Worker) dlqProducerProps(cr *connectorRuntime, id TaskID) map[string]string {
	p := map[string]string{"bootstrap.servers": strings.Join(w.opts.Config.BootstrapServers, ",")}
	maps.Copy(p, kafka.ProducerDefaults(cr.name, id.Task))
	p["client.id"] = "connector-dlq-producer-" + id.String()
	maps.Copy(p, subConfig(w.opts.Config.Originals(), "producer."))
	maps.Copy(p, subConfig(cr.config, "producer.override."))
	return p
}

// Report sends the failed record's original bytes, headers and timestamp to
// the DLQ; a failed send is only logged.
func (r *dlqReporter) Report(pc *ProcessingContext) {
	r.op.countDLQRequest()
	orig := pc.Consumed
	if orig == nil {
		r.op.countDLQFailure()
		return
	}
	msg := &kafka.Message{Topic: r.topic, Partition: -1, Key: orig.Key, Value: orig.Value}
	if orig.TimestampType != kafka.NoTimestampType {
		msg.Timestamp = orig.Timestamp
	}
	msg.Headers = append(make([]kafka.Header, 0, len(orig.Headers)+10), orig.Headers...)
	if r.contextHeaders {
		msg.Headers = r.contextHeadersFor(msg.Headers, pc)
	}
	failed := func(err error) {
		r.log.Error().Err(err).Str("topic", r.topic).Msg("Could not produce message to dead letter queue. topic=" + r.topic)
		r.op.countDLQFailure()
	}
	// Send blocks only while the producer buffer is full; the reporter runs
	// on the task goroutine, which is what Kafka's send does too.
	if err := r.producer.Send(context.Background(), msg, func(err error) {
		if err != nil {
			failed(err)
		}
	}); err != nil {
		failed(err)
	}
}

// contextHeadersFor appends the __connect.errors.* headers; a name the
// record already carries is left alone, as Kafka does.
func (r *dlqReporter) contextHeadersFor(h []kafka.Header, pc *ProcessingContext) []kafka.Header {
	add := func(key, value string) {
		for _, x := range h {
			if x.Key == key {
				r.log.Error().Msg("Header already contains the '" + key + "' key.")
				return
			}
		}
		h = append(h, kafka.Header{Key: key, Value: []byte(value)})
	}
	topic, partition, offset := "", int64(-1), int64(-1)
	if m := pc.Consumed; m != nil {
		topic, partition, offset = m.Topic, int64(m.Partition), m.Offset
	}
	add(dlqHeaderTopic, topic)
	add(dlqHeaderPartition, strconv.FormatInt(partition, 10))
	add(dlqHeaderOffset, strconv.FormatInt(offset, 10))
	add(dlqHeaderConnectorName, r.id.Connector)
	add(dlqHeaderTaskID, strconv.Itoa(r.id.Task))
	add(dlqHeaderStage, pc.Stage.String())
	add(dlqHeaderExecutingClass, pc.Class)
	if pc.Err != nil {
		add(dlqHeaderException, javaExceptionClass(pc.Err))
		add(dlqHeaderExceptionMsg, javaMessage(pc.Err))
		add(dlqHeaderStackTrace, javaTrace(pc.Err))
	}
	return h
}

// flush waits until every record reported so far has been acknowledged or
// has failed (before sink offsets are committed).
func (r *dlqReporter) flush(ctx context.Context) error {
	return r.producer.Flush(ctx)
}

func (r *dlqReporter) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return r.producer.Close(ctx)
}

// dialWarnEvery spaces the warnings while Kafka stays unreachable.
const dialWarnEvery = 10 * time.Second

// dialKafka calls dial until it succeeds or ctx ends, backing off from 100ms
// to 5s and warning periodically: Java clients connect lazily and keep
// retrying, so a cluster that is down when a task starts must not fail it.
func dialKafka[T any](ctx context.Context, log zerolog.Logger, what string, dial func() (T, error)) (T, error) {
	backoff := 100 * time.Millisecond
	start := time.Now()
	var lastWarn time.Time
	for attempt := 1; ; attempt++ {
		c, err := dial()
		if err == nil {
			if attempt > 1 {
				log.Info().Dur("after", time.Since(start)).Int("attempts", attempt).Msgf("Kafka %s connected", what)
			}
			return c, nil
		}
		var cfgErr *kafka.ConfigError
		if errors.As(err, &cfgErr) {
			return c, err
		}
		if time.Since(lastWarn) >= dialWarnEvery {
			lastWarn = time.Now()
			log.Warn().Err(err).Int("attempts", attempt).Dur("unreachable_for", time.Since(start).Round(time.Millisecond)).
				Msgf("Kafka is unreachable: the %s cannot connect yet; retrying with backoff, the task keeps running", what)
		}
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return c, fmt.Errorf("%s: %w (last error: %v)", what, ctx.Err(), err)
		case <-t.C:
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}
