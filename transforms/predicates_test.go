package transforms

import (
	"errors"
	"strings"
	"testing"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
)

func predRecordWithTopic(topic string) *connectors.Record {
	r := sourceRecord(nil, nil, nil, nil)
	r.Topic = topic
	return r
}

func TestTopicNameMatchesConfigErrors(t *testing.T) {
	for _, c := range []struct {
		name  string
		props map[string]string
		want  string
	}{
		{"testPatternRequiredInConfig", map[string]string{},
			`Missing required configuration "pattern" which has no default value.`},
		{"testPatternMayNotBeEmptyInConfig", map[string]string{"pattern": ""},
			"Invalid value  for configuration pattern: String must be non-empty"},
		{"testPatternIsValidRegexInConfig", map[string]string{"pattern": "["},
			"Invalid value [ for configuration pattern: Invalid regex: Unclosed character class near index 0\n[\n^"},
	} {
		t.Run(c.name, func(t *testing.T) {
			// SimpleConfig on the definition, then configure itself.
			_, perr := parseConfig(topicNameMatchesConfigDef, c.props)
			err := NewTopicNameMatches().Configure(c.props)
			var ce *configdef.ConfigError
			if !errors.As(err, &ce) || err.Error() != c.want || perr == nil || perr.Error() != c.want {
				t.Errorf("got %v / %v, want %q", perr, err, c.want)
			}
		})
	}
}

// testConfig: the validate endpoint's view.
func TestTopicNameMatchesValidate(t *testing.T) {
	def := NewTopicNameMatches().Config()
	if cv := def.Validate(map[string]string{"pattern": "my-prefix-.*"}); len(cv) != 1 || len(cv[0].Errors) != 0 {
		t.Errorf("valid pattern: %+v", cv)
	}
	cv := def.Validate(map[string]string{"pattern": "*"})
	if len(cv) != 1 || len(cv[0].Errors) != 1 || !strings.Contains(cv[0].Errors[0], "Invalid regex") {
		t.Fatalf("invalid pattern: %+v", cv)
	}
	if want := "Invalid value * for configuration pattern: Invalid regex: Dangling meta character '*' near index 0\n*\n^"; cv[0].Errors[0] != want {
		t.Errorf("error %q, want %q", cv[0].Errors[0], want)
	}
	keys := def.Keys()
	if len(keys) != 1 || keys[0].Name != "pattern" || keys[0].Type != configdef.TypeString || keys[0].HasDefault() ||
		keys[0].Importance != configdef.Medium || keys[0].Doc != "A Java regular expression for matching against the name of a record's topic." ||
		keys[0].Validator.String() != "non-empty string, valid regex" {
		t.Errorf("config def %+v (validator %v)", keys, keys[0].Validator)
	}
}

func TestTopicNameMatchesTest(t *testing.T) {
	p := configured(t, NewTopicNameMatches(), map[string]string{"pattern": "my-prefix-.*"})
	for _, c := range []struct {
		topic string
		want  bool
	}{
		{"my-prefix-", true},
		{"my-prefix-foo", true},
		{"x-my-prefix-", false},
		{"x-my-prefix-foo", false},
		{"your-prefix-", false},
		{"your-prefix-foo", false},
		{"", false}, // SourceRecord with a null topic
	} {
		if got := p.Test(predRecordWithTopic(c.topic)); got != c.want {
			t.Errorf("Test(%q) = %v, want %v", c.topic, got, c.want)
		}
	}
	// Java syntax: possessive quantifiers, class intersections, \p{..}.
	p = configured(t, NewTopicNameMatches(), map[string]string{"pattern": `[\p{Lower}&&[^x]]++\.\d{2}`})
	if !p.Test(predRecordWithTopic("abc.12")) || p.Test(predRecordWithTopic("xbc.12")) || p.Test(predRecordWithTopic("abc.123")) {
		t.Error("Java-syntax pattern")
	}
	if err := p.Close(); err != nil {
		t.Error(err)
	}
}

func TestHasHeaderKeyConfig(t *testing.T) {
	for _, c := range []struct {
		name  string
		props map[string]string
		want  string
	}{
		{"testNameRequiredInConfig", map[string]string{}, `Missing required configuration "name" which has no default value.`},
		{"testNameMayNotBeEmptyInConfig", map[string]string{"name": ""}, "Invalid value  for configuration name: String must be non-empty"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := NewHasHeaderKey().Configure(c.props)
			var ce *configdef.ConfigError
			if !errors.As(err, &ce) || err.Error() != c.want {
				t.Errorf("Configure = %v, want %q", err, c.want)
			}
		})
	}
	// testConfig
	def := NewHasHeaderKey().Config()
	if cv := def.Validate(map[string]string{"name": "foo"}); len(cv) != 1 || len(cv[0].Errors) != 0 {
		t.Errorf("valid name: %+v", cv)
	}
	cv := def.Validate(map[string]string{"name": ""})
	if len(cv) != 1 || len(cv[0].Errors) != 1 || cv[0].Errors[0] != "Invalid value  for configuration name: String must be non-empty" {
		t.Errorf("empty name: %+v", cv)
	}
	keys := def.Keys()
	if len(keys) != 1 || keys[0].Name != "name" || keys[0].Type != configdef.TypeString || keys[0].HasDefault() ||
		keys[0].Importance != configdef.Medium || keys[0].Doc != "The header name." {
		t.Errorf("config def %+v", keys)
	}
}

func predRecordWithHeaders(keys ...string) *connectors.Record {
	r := sourceRecord(nil, nil, nil, nil)
	for _, k := range keys {
		r.Headers = append(r.Headers, connectors.Header{Key: k})
	}
	return r
}

func TestHasHeaderKeyTest(t *testing.T) {
	p := configured(t, NewHasHeaderKey(), map[string]string{"name": "foo"})
	for _, c := range []struct {
		headers []string
		want    bool
	}{
		{[]string{"foo"}, true},
		{[]string{"foo", "bar"}, true},
		{[]string{"bar", "foo", "bar", "foo"}, true},
		{[]string{"bar"}, false},
		{[]string{"bar", "bar"}, false},
		{[]string{}, false},
		{nil, false},
		{[]string{"Foo", "foo "}, false},
	} {
		if got := p.Test(predRecordWithHeaders(c.headers...)); got != c.want {
			t.Errorf("Test(%v) = %v, want %v", c.headers, got, c.want)
		}
	}
}

func TestRecordIsTombstone(t *testing.T) {
	p := configured(t, NewRecordIsTombstone(), map[string]string{"anything": "ignored"})
	schema := data.StructBuilder().Field("f", data.StringSchema).MustBuild()
	for _, c := range []struct {
		name string
		r    *connectors.Record
		want bool
	}{
		{"null value, null key", sourceRecord(nil, nil, nil, nil), true},
		{"null value with key and schema", sinkRecord(data.StringSchema, "k", data.OptionalStringSchema, nil, 1), true},
		{"string value", sourceRecord(nil, nil, nil, "v"), false},
		{"empty string value", sourceRecord(nil, nil, nil, ""), false},
		{"struct value, null key", sourceRecord(nil, nil, schema, data.NewStruct(schema).MustPut("f", "x")), false},
	} {
		if got := p.Test(c.r); got != c.want {
			t.Errorf("%s: Test = %v, want %v", c.name, got, c.want)
		}
	}
	if n := len(p.Config().Keys()); n != 0 {
		t.Errorf("RecordIsTombstone defines %d keys", n)
	}
}

func TestPredicatePlugins(t *testing.T) {
	want := []string{
		"org.apache.kafka.connect.transforms.predicates.TopicNameMatches",
		"org.apache.kafka.connect.transforms.predicates.HasHeaderKey",
		"org.apache.kafka.connect.transforms.predicates.RecordIsTombstone",
	}
	ps := predicatesPlugins()
	if len(ps) != len(want) {
		t.Fatalf("plugins %+v", ps)
	}
	for i, p := range ps {
		if p.Class != want[i] || p.NewPredicate == nil || p.NewTransformation != nil || p.NewPredicate() == nil {
			t.Errorf("plugin %d = %+v, want class %s", i, p, want[i])
		}
	}
}
