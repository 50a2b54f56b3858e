package runner

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/pathpolicy"
	"github.com/connect-go/connect-standalone/converters"
	"github.com/connect-go/connect-standalone/offsets"
	"github.com/connect-go/connect-standalone/runner/chainconfig"
	"github.com/connect-go/connect-standalone/runner/kafka"
	"github.com/connect-go/connect-standalone/runner/plugins"
	"github.com/connect-go/connect-standalone/transforms"
)

const defaultHeaderConverter = "org.apache.kafka.connect.storage.SimpleHeaderConverter"

// startTask builds a task with its converters, transform chain and Kafka
// client, then starts its goroutine.
func (w *Worker) startTask(cr *connectorRuntime, id TaskID, props map[string]string) (taskRunner, error) {
	log := cr.log.With().Int("task", id.Task).Logger()
	keyConv, err := w.newConverter(cr.config, "key.converter", true)
	if err != nil {
		return nil, err
	}
	valConv, err := w.newConverter(cr.config, "value.converter", false)
	if err != nil {
		return nil, err
	}
	hdrConv, err := w.newHeaderConverter(cr.config)
	if err != nil {
		return nil, err
	}
	chain, err := w.newChain(cr.config)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(pathpolicy.NewContext(context.Background(), w.opts.Paths))
	sink := cr.plugin.Kind == plugins.KindSink
	errCfg := parseErrorsConfig(cr.config, sink)
	op := newOperator(errCfg, id, log)
	classes := w.converterClassesFor(cr.config)
	switch cr.plugin.Kind {
	case plugins.KindSource:
		conn := cr.instance.(connectors.SourceConnector)
		cfg, err := kafka.NewClientConfig(kafka.KindProducer, w.producerProps(cr, id))
		if err != nil {
			cancel()
			return nil, fmt.Errorf("invalid producer configuration for %s: %w", id, err)
		}
		cfg.Logger = log
		r := &sourceTaskRunner{
			w: w, id: id, connector: cr.name, log: log, task: conn.NewTask(), props: props,
			keyConv: keyConv, valConv: valConv, hdrConv: hdrConv, chain: chain,
			dial: func() (*kafka.Producer, error) { return kafka.NewProducer(cfg) }, op: op, classes: classes,
			tracker: offsets.NewTracker(), store: w.opts.Offsets,
			ctx: ctx, cancel: cancel, done: make(chan struct{}), resume: make(chan struct{}, 1),
			unflushed: map[string]connectors.PartitionOffset{},
		}
		if topicCreationActive(w.opts.Config.TopicCreationEnable, cr.config) {
			tc, err := w.newTopicCreator(cr, id)
			if err != nil {
				cancel()
				return nil, err
			}
			r.topics = tc
		}
		w.status.putTask(id, StateUnassigned, nil)
		go r.run()
		return r, nil
	case plugins.KindSink:
		conn := cr.instance.(connectors.SinkConnector)
		cfg, err := kafka.NewClientConfig(kafka.KindConsumer, w.consumerProps(cr, id))
		if err != nil {
			cancel()
			return nil, fmt.Errorf("invalid consumer configuration for %s: %w", id, err)
		}
		cfg.Logger = log
		sub, err := sinkSubscription(cr.config)
		if err != nil {
			cancel()
			return nil, err
		}
		r := &sinkTaskRunner{
			w: w, id: id, log: log, task: conn.NewTask(), props: props,
			keyConv: keyConv, valConv: valConv, hdrConv: hdrConv, chain: chain,
			op: op, classes: classes,
			ctx: ctx, cancel: cancel, done: make(chan struct{}),
			delivered: map[connectors.TopicPartition]int64{}, committed: map[connectors.TopicPartition]int64{},
		}
		r.dial = func() (*kafka.Consumer, error) { return kafka.NewConsumer(cfg, sub, r) }
		if errCfg.dlqTopic != "" {
			r.newDLQ = func(ctx context.Context) (*dlqReporter, error) {
				return w.newDLQReporter(ctx, cr, id, errCfg, op, log)
			}
		}
		w.status.putTask(id, StateUnassigned, nil)
		go r.run()
		return r, nil
	}
	cancel()
	return nil, fmt.Errorf("plugin %s is neither a source nor a sink connector", cr.plugin.Class)
}

// converterConfig picks the converter class and its sub-config: from the
// connector when it sets the class, otherwise from the worker (no mixing).
func (w *Worker) converterConfig(connCfg map[string]string, key string) (string, map[string]string) {
	if c := strings.TrimSpace(connCfg[key]); c != "" {
		return c, subConfig(connCfg, key+".")
	}
	orig := w.opts.Config.Originals()
	return strings.TrimSpace(orig[key]), subConfig(orig, key+".")
}

func (w *Worker) newConverter(connCfg map[string]string, key string, isKey bool) (converters.Converter, error) {
	class, props := w.converterConfig(connCfg, key)
	p, ok := w.opts.Registry.Lookup(plugins.KindConverter, class)
	if !ok {
		return nil, fmt.Errorf("Invalid value %s for configuration %s: %w", class, key, plugins.ClassNotFound(class))
	}
	c := p.New().(converters.Converter)
	if err := c.Configure(props, isKey); err != nil {
		return nil, fmt.Errorf("failed to configure %s %s: %w", key, class, err)
	}
	return c, nil
}

func (w *Worker) newHeaderConverter(connCfg map[string]string) (converters.HeaderConverter, error) {
	class, props := w.converterConfig(connCfg, "header.converter")
	if class == "" {
		class = defaultHeaderConverter
	}
	p, ok := w.opts.Registry.Lookup(plugins.KindHeaderConverter, class)
	if !ok {
		return nil, fmt.Errorf("Invalid value %s for configuration header.converter: %w", class, plugins.ClassNotFound(class))
	}
	c := p.New().(converters.HeaderConverter)
	if err := c.Configure(props); err != nil {
		return nil, fmt.Errorf("failed to configure header.converter %s: %w", class, err)
	}
	return c, nil
}

// newChain builds the connector's transformation chain.
func (w *Worker) newChain(connCfg map[string]string) (transforms.Chain, error) {
	return chainconfig.Build(w.opts.Registry, connCfg)
}

func subConfig(props map[string]string, prefix string) map[string]string {
	out := map[string]string{}
	for k, v := range props {
		if strings.HasPrefix(k, prefix) {
			out[k[len(prefix):]] = v
		}
	}
	return out
}

// producerProps builds a source task's producer config as Kafka's
// Worker.baseProducerConfigs does: bootstrap servers, Connect's safe
// defaults, worker producer.* and connector producer.override.*.
func (w *Worker) producerProps(cr *connectorRuntime, id TaskID) map[string]string {
	p := map[string]string{"bootstrap.servers": strings.Join(w.opts.Config.BootstrapServers, ",")}
	maps.Copy(p, kafka.ProducerDefaults(cr.name, id.Task))
	maps.Copy(p, subConfig(w.opts.Config.Originals(), "producer."))
	maps.Copy(p, subConfig(cr.config, "producer.override."))
	return p
}

func (w *Worker) consumerProps(cr *connectorRuntime, id TaskID) map[string]string {
	p := kafka.ConsumerDefaults(cr.name, id.Task)
	p["bootstrap.servers"] = strings.Join(w.opts.Config.BootstrapServers, ",")
	maps.Copy(p, subConfig(w.opts.Config.Originals(), "consumer."))
	maps.Copy(p, subConfig(cr.config, "consumer.override."))
	return p
}

// adminProps: all non-prefixed worker settings, then admin.* and the
// connector's admin.override.* (Worker.adminConfigs).
func (w *Worker) adminProps(cr *connectorRuntime, clientID string) map[string]string {
	p := map[string]string{}
	for k, v := range w.opts.Config.Originals() {
		if !strings.HasPrefix(k, "producer.") && !strings.HasPrefix(k, "consumer.") && !strings.HasPrefix(k, "admin.") {
			p[k] = v
		}
	}
	p["bootstrap.servers"] = strings.Join(w.opts.Config.BootstrapServers, ",")
	p["client.id"] = clientID
	maps.Copy(p, subConfig(w.opts.Config.Originals(), "admin."))
	if cr != nil {
		maps.Copy(p, subConfig(cr.config, "admin.override."))
	}
	return p
}

func sinkSubscription(cfg map[string]string) (kafka.Subscription, error) {
	if re := strings.TrimSpace(cfg["topics.regex"]); re != "" {
		rx, err := compileJavaRegex(re)
		if err != nil {
			return kafka.Subscription{}, fmt.Errorf("Invalid value %s for configuration topics.regex: Invalid regex: %v", re, err)
		}
		return kafka.Subscription{Regex: rx}, nil
	}
	return kafka.Subscription{Topics: splitList(cfg["topics"])}, nil
}

// splitList splits a LIST value as ConfigDef does (on \s*,\s*), dropping
// empty entries and duplicates as SinkConnectorConfig parses topics.
func splitList(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part != "" && !seen[part] {
			seen[part] = true
			out = append(out, part)
		}
	}
	return out
}
