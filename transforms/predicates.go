package transforms

import (
	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/transforms/internal/javaregex"
)

// TopicNameMatches is true for records whose topic the configured Java
// regular expression matches entirely
// (org.apache.kafka.connect.transforms.predicates.TopicNameMatches).
type TopicNameMatches struct {
	noClose
	pattern *javaregex.Pattern
}

const topicNameMatchesPatternConfig = "pattern"

// topicNameMatchesConfigDef is TopicNameMatches.CONFIG_DEF.
var topicNameMatchesConfigDef = configdef.New().
	Define(configdef.Key{Name: topicNameMatchesPatternConfig, Type: configdef.TypeString, Default: configdef.NoDefault,
		Validator:  configdef.Composite(configdef.NonEmptyString(), javaRegexValidator()),
		Importance: configdef.Medium, Doc: "A Java regular expression for matching against the name of a record's topic."})

// NewTopicNameMatches returns an unconfigured TopicNameMatches.
func NewTopicNameMatches() *TopicNameMatches { return &TopicNameMatches{} }

// Config implements Predicate.
func (*TopicNameMatches) Config() *configdef.Def { return topicNameMatchesConfigDef }

// Configure implements Predicate.
func (p *TopicNameMatches) Configure(props map[string]string) error {
	v, err := parseConfig(topicNameMatchesConfigDef, props)
	if err != nil {
		return err
	}
	value := v.String(topicNameMatchesPatternConfig)
	re, err := javaregex.Compile(value)
	if err != nil {
		return configdef.NewConfigError(topicNameMatchesPatternConfig, value,
			"entry must be a Java-compatible regular expression: "+err.Error())
	}
	p.pattern = re
	return nil
}

// Test reports whether the topic fully matches. An empty topic stands for
// Kafka's null topic, which never matches. A match exceeding
// javaregex.MatchTimeout counts as no match.
func (p *TopicNameMatches) Test(r *connectors.Record) bool {
	if r.Topic == "" {
		return false
	}
	ok, err := p.pattern.MatchesFully(r.Topic)
	return err == nil && ok
}

// HasHeaderKey is true for records with at least one header with the
// configured key (org.apache.kafka.connect.transforms.predicates.HasHeaderKey).
type HasHeaderKey struct {
	noClose
	name string
}

const hasHeaderKeyNameConfig = "name"

// hasHeaderKeyConfigDef is HasHeaderKey.CONFIG_DEF.
var hasHeaderKeyConfigDef = configdef.New().
	Define(configdef.Key{Name: hasHeaderKeyNameConfig, Type: configdef.TypeString, Default: configdef.NoDefault,
		Validator: configdef.NonEmptyString(), Importance: configdef.Medium, Doc: "The header name."})

// NewHasHeaderKey returns an unconfigured HasHeaderKey.
func NewHasHeaderKey() *HasHeaderKey { return &HasHeaderKey{} }

// Config implements Predicate.
func (*HasHeaderKey) Config() *configdef.Def { return hasHeaderKeyConfigDef }

// Configure implements Predicate.
func (p *HasHeaderKey) Configure(props map[string]string) error {
	v, err := parseConfig(hasHeaderKeyConfigDef, props)
	if err != nil {
		return err
	}
	p.name = v.String(hasHeaderKeyNameConfig)
	return nil
}

// Test implements Predicate.
func (p *HasHeaderKey) Test(r *connectors.Record) bool {
	for _, h := range r.Headers {
		if h.Key == p.name {
			return true
		}
	}
	return false
}

// RecordIsTombstone is true for records with a null value
// (org.apache.kafka.connect.transforms.predicates.RecordIsTombstone).
type RecordIsTombstone struct{ noClose }

// recordIsTombstoneConfigDef is RecordIsTombstone.CONFIG_DEF: no keys.
var recordIsTombstoneConfigDef = configdef.New()

// NewRecordIsTombstone returns a RecordIsTombstone.
func NewRecordIsTombstone() *RecordIsTombstone { return &RecordIsTombstone{} }

// Config implements Predicate.
func (*RecordIsTombstone) Config() *configdef.Def { return recordIsTombstoneConfigDef }

// Configure implements Predicate; like Kafka's it reads nothing.
func (*RecordIsTombstone) Configure(map[string]string) error { return nil }

// Test implements Predicate: the key plays no part.
func (*RecordIsTombstone) Test(r *connectors.Record) bool { return r.Value == nil }

func predicatesPlugins() []Plugin {
	return []Plugin{
		{Class: predicateClassPrefix + "TopicNameMatches", NewPredicate: func() Predicate { return NewTopicNameMatches() }},
		{Class: predicateClassPrefix + "HasHeaderKey", NewPredicate: func() Predicate { return NewHasHeaderKey() }},
		{Class: predicateClassPrefix + "RecordIsTombstone", NewPredicate: func() Predicate { return NewRecordIsTombstone() }},
	}
}
