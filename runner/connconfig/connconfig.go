// Package connconfig holds the connector framework's ConfigDefs
// (ConnectorConfig, SourceConnectorConfig, SinkConnectorConfig) and the
// sink topic rules of SinkConnectorConfig.validate, with Kafka's messages.
// Connector-specific keys, transforms and predicates are added by callers
// with (*configdef.Def).Clone and Embed.
package connconfig

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/connect-go/connect-standalone/connectors/configdef"
)

// Common connector keys.
const (
	Name                     = "name"
	ConnectorClass           = "connector.class"
	TasksMax                 = "tasks.max"
	TasksMaxEnforce          = "tasks.max.enforce"
	KeyConverter             = "key.converter"
	ValueConverter           = "value.converter"
	HeaderConverter          = "header.converter"
	Transforms               = "transforms"
	Predicates               = "predicates"
	ConfigActionReload       = "config.action.reload"
	ErrorsRetryTimeout       = "errors.retry.timeout"
	ErrorsRetryMaxDelayMs    = "errors.retry.delay.max.ms"
	ErrorsTolerance          = "errors.tolerance"
	ErrorsLogEnable          = "errors.log.enable"
	ErrorsLogIncludeMessages = "errors.log.include.messages"
)

// Source-only keys.
const (
	TopicCreationGroups           = "topic.creation.groups"
	ExactlyOnceSupport            = "exactly.once.support"
	TransactionBoundary           = "transaction.boundary"
	TransactionBoundaryIntervalMs = "transaction.boundary.interval.ms"
	OffsetsStorageTopic           = "offsets.storage.topic"
)

// Sink-only keys.
const (
	Topics                         = "topics"
	TopicsRegex                    = "topics.regex"
	DLQTopicName                   = "errors.deadletterqueue.topic.name"
	DLQTopicReplicationFactor      = "errors.deadletterqueue.topic.replication.factor"
	DLQContextHeadersEnable        = "errors.deadletterqueue.context.headers.enable"
	GroupCommon                    = "Common"
	GroupTransforms                = "Transforms"
	GroupPredicates                = "Predicates"
	GroupErrorHandling             = "Error Handling"
	GroupTopicCreation             = "Topic Creation"
	GroupExactlyOnceSupport        = "Exactly Once Support"
	GroupOffsetsTopic              = "offsets.topic"
	transformsAliasesDescription   = "unique transformation aliases"
	predicatesAliasesDescription   = "unique predicate aliases"
	topicCreationGroupsDescription = "unique topic creation groups"
)

type keyBuilder struct {
	d *configdef.Def
}

func (b keyBuilder) def(name string, t configdef.Type, dflt any, v configdef.Validator, imp configdef.Importance,
	doc, group string, order int, w configdef.Width, display string) keyBuilder {
	b.d.Define(configdef.Key{Name: name, Type: t, Default: dflt, Validator: v, Importance: imp, Doc: doc,
		Group: group, OrderInGroup: order, Width: w, DisplayName: display})
	return b
}

func aliases(desc string) configdef.Validator {
	return configdef.Composite(configdef.NonNull(), configdef.UniqueList(desc))
}

// ConnectorConfigDef returns a new ConnectorConfig.configDef() (§3.1):
// groups Common, Transforms, Predicates, Error Handling.
// Converter class validity is checked by the plugin registry, not here.
func ConnectorConfigDef() *configdef.Def {
	b := keyBuilder{configdef.New()}
	o, e := 0, 0
	next := func(n *int) int { *n++; return *n }
	b.def(Name, configdef.TypeString, configdef.NoDefault, configdef.NonEmptyStringWithoutControlChars(), configdef.High,
		"Globally unique name to use for this connector.", GroupCommon, next(&o), configdef.WidthMedium, "Connector name").
		def(ConnectorClass, configdef.TypeString, configdef.NoDefault, nil, configdef.High,
			"Name or alias of the class for this connector. Must be a subclass of org.apache.kafka.connect.connector.Connector.",
			GroupCommon, next(&o), configdef.WidthLong, "Connector class").
		def(TasksMax, configdef.TypeInt, int32(1), configdef.AtLeast(1), configdef.High,
			"Maximum number of tasks to use for this connector.", GroupCommon, next(&o), configdef.WidthShort, "Tasks max").
		def(TasksMaxEnforce, configdef.TypeBoolean, true, nil, configdef.Low,
			"(Deprecated) Whether to fail a connector that generates more tasks than tasks.max.",
			GroupCommon, next(&o), configdef.WidthShort, "Enforce tasks max").
		def(KeyConverter, configdef.TypeClass, nil, nil, configdef.Low,
			"Converter class for record keys; overrides the worker's key.converter.",
			GroupCommon, next(&o), configdef.WidthShort, "Key converter class").
		def(ValueConverter, configdef.TypeClass, nil, nil, configdef.Low,
			"Converter class for record values; overrides the worker's value.converter.",
			GroupCommon, next(&o), configdef.WidthShort, "Value converter class").
		def(HeaderConverter, configdef.TypeClass, nil, nil, configdef.Low,
			"HeaderConverter class for record headers; overrides the worker's header.converter.",
			GroupCommon, next(&o), configdef.WidthShort, "Header converter class").
		def(Transforms, configdef.TypeList, []string{}, aliases(transformsAliasesDescription), configdef.Low,
			"Aliases for the transformations to apply to records, in order.",
			GroupTransforms, next(&o), configdef.WidthLong, "Transforms").
		def(Predicates, configdef.TypeList, []string{}, aliases(predicatesAliasesDescription), configdef.Low,
			"Aliases for the predicates used by transformations.",
			GroupPredicates, next(&o), configdef.WidthLong, "Predicates").
		def(ConfigActionReload, configdef.TypeString, "restart", configdef.In("none", "restart"), configdef.Low,
			"Action when external configuration providers' data changes: 'none' or 'restart'.",
			GroupCommon, next(&o), configdef.WidthMedium, "Reload Action").
		def(ErrorsRetryTimeout, configdef.TypeLong, int64(0), nil, configdef.Medium,
			"Maximum duration in milliseconds a failed operation is retried; 0 = no retries, -1 = forever.",
			GroupErrorHandling, next(&e), configdef.WidthMedium, "Retry Timeout for Errors").
		def(ErrorsRetryMaxDelayMs, configdef.TypeLong, int64(60000), nil, configdef.Medium,
			"Maximum delay in milliseconds between consecutive retries.",
			GroupErrorHandling, next(&e), configdef.WidthMedium, "Maximum Delay Between Retries for Errors").
		def(ErrorsTolerance, configdef.TypeString, "none", configdef.In("none", "all"), configdef.Medium,
			"Behaviour on errors: 'none' fails the task, 'all' skips problematic records.",
			GroupErrorHandling, next(&e), configdef.WidthShort, "Error Tolerance").
		def(ErrorsLogEnable, configdef.TypeBoolean, false, nil, configdef.Medium,
			"Whether to log errors, failed operations and problematic records.",
			GroupErrorHandling, next(&e), configdef.WidthShort, "Log Errors").
		def(ErrorsLogIncludeMessages, configdef.TypeBoolean, false, nil, configdef.Medium,
			"Whether logged errors include the records that caused them.",
			GroupErrorHandling, next(&e), configdef.WidthShort, "Log Error Details")
	return b.d
}

// SourceConnectorConfigDef returns SourceConnectorConfig.configDef() (§3.2):
// the common keys plus Topic Creation, Exactly Once Support and offsets.topic groups.
func SourceConnectorConfigDef() *configdef.Def {
	b := keyBuilder{ConnectorConfigDef()}
	o := 0
	next := func() int { o++; return o }
	b.def(TopicCreationGroups, configdef.TypeList, []string{}, aliases(topicCreationGroupsDescription), configdef.Low,
		"Groups of topic creation settings (topic.creation.<group>.*) besides 'default'.",
		GroupTopicCreation, next(), configdef.WidthLong, "Topic Creation Groups").
		def(ExactlyOnceSupport, configdef.TypeString, "requested", configdef.CaseInsensitiveIn("requested", "required"), configdef.Medium,
			"Whether exactly-once delivery is required for the connector (no effect in standalone mode).",
			GroupExactlyOnceSupport, next(), configdef.WidthShort, "Exactly once support").
		def(TransactionBoundary, configdef.TypeString, "poll", configdef.CaseInsensitiveIn("poll", "interval", "connector"), configdef.Medium,
			"Transaction boundaries for exactly-once source connectors (no effect in standalone mode).",
			GroupExactlyOnceSupport, next(), configdef.WidthShort, "Transaction Boundary").
		def(TransactionBoundaryIntervalMs, configdef.TypeLong, nil, configdef.Func(func(name string, v any) error {
			if n, ok := v.(int64); ok && n < 0 {
				return fmt.Errorf("Transaction boundary interval may not be negative")
			}
			return nil
		}, "[0,...]"), configdef.Low,
			"Transaction commit interval when transaction.boundary is 'interval' (no effect in standalone mode).",
			GroupExactlyOnceSupport, next(), configdef.WidthShort, "Transaction boundary interval").
		def(OffsetsStorageTopic, configdef.TypeString, nil, configdef.NonEmptyString(), configdef.Low,
			"Only applicable in distributed mode; in standalone mode, setting this property will have no effect.",
			GroupOffsetsTopic, next(), configdef.WidthLong, "Offsets topic")
	return b.d
}

// SinkConnectorConfigDef returns SinkConnectorConfig.configDef() (§3.3).
// topics.regex is checked with Go's regexp (RE2), not java.util.regex.
func SinkConnectorConfigDef() *configdef.Def {
	b := keyBuilder{ConnectorConfigDef()}
	b.def(Topics, configdef.TypeList, "", nil, configdef.High,
		"List of topics to consume, separated by commas.", GroupCommon, 4, configdef.WidthLong, "Topics").
		def(TopicsRegex, configdef.TypeString, "", configdef.Regex(), configdef.High,
			"Regular expression giving the topics to consume; mutually exclusive with topics.",
			GroupCommon, 4, configdef.WidthLong, "Topics regex").
		def(DLQTopicName, configdef.TypeString, "", nil, configdef.Medium,
			"Topic to use as dead letter queue for records that fail processing; empty = none.",
			GroupErrorHandling, 6, configdef.WidthMedium, "Dead Letter Queue Topic Name").
		def(DLQTopicReplicationFactor, configdef.TypeShort, int16(3), nil, configdef.Medium,
			"Replication factor used when the dead letter queue topic is created.",
			GroupErrorHandling, 7, configdef.WidthMedium, "Dead Letter Queue Topic Replication Factor").
		def(DLQContextHeadersEnable, configdef.TypeBoolean, false, nil, configdef.Medium,
			"Whether records sent to the dead letter queue carry headers describing the error.",
			GroupErrorHandling, 8, configdef.WidthMedium, "Enable Error Context Headers")
	return b.d
}

// ParseTopicsList is SinkConnectorConfig.parseTopicsList: the topics LIST
// without empty entries and duplicates, in order.
func ParseTopicsList(props map[string]string) []string {
	raw, ok := props[Topics]
	if !ok {
		return []string{}
	}
	seen := map[string]bool{}
	out := []string{}
	for _, t := range configdef.SplitList(raw) {
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// TopicError is one SinkConnectorConfig.validate problem and the key it belongs to.
type TopicError struct {
	Key     string
	Value   string // the raw value of Key ("" if unset)
	Message string
}

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }

// ValidateSinkTopics applies SinkConnectorConfig.validate: topics vs
// topics.regex exclusivity and the DLQ topic rules. Errors are returned in
// Kafka's order, each tied to its key; the "both"/"none" cases yield one
// error on each key. Merge them into Validate's results with AttachErrors.
func ValidateSinkTopics(props map[string]string) []TopicError {
	topics, topicsRegex := props[Topics], props[TopicsRegex]
	dlq := strings.TrimSpace(props[DLQTopicName])
	hasTopics, hasRegex := !isBlank(topics), !isBlank(topicsRegex)
	var out []TopicError
	add := func(key, value, msg string) { out = append(out, TopicError{Key: key, Value: value, Message: msg}) }
	if hasTopics && hasRegex {
		msg := Topics + " and " + TopicsRegex + " are mutually exclusive options, but both are set."
		add(Topics, topics, msg)
		add(TopicsRegex, topicsRegex, msg)
	}
	if !hasTopics && !hasRegex {
		msg := "Must configure one of " + Topics + " or " + TopicsRegex
		add(Topics, topics, msg)
		add(TopicsRegex, topicsRegex, msg)
	}
	if dlq != "" {
		if hasTopics {
			list := ParseTopicsList(props)
			for _, t := range list {
				if t == dlq {
					add(Topics, topics, fmt.Sprintf("The DLQ topic '%s' may not be included in the list of topics ('%s=%s') consumed by the connector",
						dlq, Topics, configdef.JavaString(list)))
					break
				}
			}
		}
		if hasRegex {
			// An invalid regex is already reported by the key's validator.
			if re, err := regexp.Compile(`^(?:` + topicsRegex + `)$`); err == nil && re.MatchString(dlq) {
				add(TopicsRegex, topicsRegex, fmt.Sprintf("The DLQ topic '%s' may not be matched by the regex for the topics ('%s=%s') consumed by the connector",
					dlq, TopicsRegex, topicsRegex))
			}
		}
	}
	return out
}

// AttachErrors appends errs to the matching ConfigValues, adding a value
// (name, raw value, no recommendations) for keys not present — as
// SinkConnectorConfig.addErrorMessage does with computeIfAbsent.
func AttachErrors(values []configdef.ConfigValue, errs []TopicError) []configdef.ConfigValue {
	for _, e := range errs {
		found := false
		for i := range values {
			if values[i].Name == e.Key {
				values[i].Errors = append(values[i].Errors, e.Message)
				found = true
				break
			}
		}
		if !found {
			values = append(values, configdef.ConfigValue{Name: e.Key, Value: e.Value, RecommendedValues: []any{}, Errors: []string{e.Message}, Visible: true})
		}
	}
	return values
}
