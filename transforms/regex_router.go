package transforms

import (
	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/transforms/internal/javaregex"
)

// RegexRouter renames the topic of records whose topic the regular
// expression matches entirely (org.apache.kafka.connect.transforms.RegexRouter):
// the new topic is Matcher.replaceFirst(replacement), with Java's $n,
// ${name} and \ escapes.
type RegexRouter struct {
	noClose
	regex       *javaregex.Pattern
	replacement string
}

const (
	regexRouterRegexConfig       = "regex"
	regexRouterReplacementConfig = "replacement"
)

// javaRegexValidator is Kafka's RegexValidator ("Invalid regex: <cause>")
// compiling with Java regex syntax.
func javaRegexValidator() configdef.Validator {
	return configdef.RegexWith(func(s string) error {
		_, err := javaregex.Compile(s)
		return err
	})
}

// regexRouterConfigDef is RegexRouter.CONFIG_DEF.
var regexRouterConfigDef = configdef.New().
	Define(configdef.Key{Name: regexRouterRegexConfig, Type: configdef.TypeString, Default: configdef.NoDefault,
		Validator: javaRegexValidator(), Importance: configdef.High, Doc: "Regular expression to use for matching."}).
	Define(configdef.Key{Name: regexRouterReplacementConfig, Type: configdef.TypeString, Default: configdef.NoDefault,
		Importance: configdef.High, Doc: "Replacement string."})

// NewRegexRouter returns an unconfigured RegexRouter.
func NewRegexRouter() *RegexRouter { return &RegexRouter{} }

// Config implements Transformation.
func (*RegexRouter) Config() *configdef.Def { return regexRouterConfigDef }

// Configure implements Transformation.
func (t *RegexRouter) Configure(props map[string]string) error {
	v, err := parseConfig(regexRouterConfigDef, props)
	if err != nil {
		return err
	}
	re, err := javaregex.Compile(v.String(regexRouterRegexConfig))
	if err != nil {
		return err
	}
	t.regex, t.replacement = re, v.String(regexRouterReplacementConfig)
	return nil
}

// Apply returns r itself when the topic does not match, else a copy on the
// new topic. A replacement referring to a missing group fails here, with
// Java's IllegalArgumentException / IndexOutOfBoundsException text; a match
// running past javaregex.MatchTimeout fails too.
func (t *RegexRouter) Apply(r *connectors.Record) (*connectors.Record, error) {
	ok, err := t.regex.MatchesFully(r.Topic)
	if err != nil {
		return nil, err
	}
	if !ok {
		return r, nil
	}
	topic, err := t.regex.ReplaceFirst(r.Topic, t.replacement)
	if err != nil {
		return nil, err
	}
	return r.NewRecord(topic, r.Partition, r.KeySchema, r.Key, r.ValueSchema, r.Value), nil
}

func regexRouterPlugins() []Plugin {
	return []Plugin{{Class: classPrefix + "RegexRouter", NewTransformation: func() Transformation { return NewRegexRouter() }}}
}
