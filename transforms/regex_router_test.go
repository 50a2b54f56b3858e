package transforms

import (
	"errors"
	"testing"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
)

func regexRouterApply(t *testing.T, regex, replacement, topic string) (*connectors.Record, *connectors.Record, error) {
	t.Helper()
	router := configured(t, NewRegexRouter(), map[string]string{"regex": regex, "replacement": replacement})
	defer router.Close()
	r := sinkRecord(nil, nil, nil, nil, 0)
	r.Topic = topic
	got, err := router.Apply(r)
	return r, got, err
}

func TestRegexRouter(t *testing.T) {
	for _, c := range []struct {
		name, regex, replacement, topic, want string
	}{
		{"staticReplacement", "foo", "bar", "foo", "bar"},
		{"doesntMatch", "foo", "bar", "orig", "orig"},
		{"identity", "(.*)", "$1", "orig", "orig"},
		{"addPrefix", "(.*)", "prefix-$1", "orig", "prefix-orig"},
		{"addSuffix", "(.*)", "$1-suffix", "orig", "orig-suffix"},
		{"slice", `(.*)-(\d\d\d\d\d\d\d\d)`, "$1", "index-20160117", "index"},
		// The regex must match the whole topic ...
		{"partial match", "foo", "bar", "foobar", "foobar"},
		// ... but replaceFirst then replaces the first match find() sees.
		{"replaceFirst finds", "a|ab", "X", "ab", "Xb"},
		{"named groups", `(?<env>\w+)\.(?<name>\w+)`, "${name}-${env}", "prod.orders", "orders-prod"},
		{"escaped dollar", "(.*)", `\$$1`, "t", "$t"},
		{"greedy group number", "(a)", "$10", "a", "a0"},
		{"unmatched group is empty", "(a)|(b)", "[$1]", "b", "[]"},
		{"java class syntax", `[a-z&&[^aeiou]]+\.v\d++`, "consonants", "xyz.v2", "consonants"},
		{"quoting", `\Q.*\E(\d)`, "star$1", ".*7", "star7"},
		{"case-insensitive flag", "(?i)LOGS-(.*)", "logs.$1", "logs-app", "logs.app"},
	} {
		t.Run(c.name, func(t *testing.T) {
			original, got, err := regexRouterApply(t, c.regex, c.replacement, c.topic)
			if err != nil {
				t.Fatal(err)
			}
			if got.Topic != c.want {
				t.Errorf("topic %q, want %q", got.Topic, c.want)
			}
			if original.Topic != c.topic {
				t.Error("input record modified")
			}
			if c.want == c.topic && c.name != "identity" && got != original {
				t.Error("no match should return the record itself")
			}
		})
	}
}

func TestRegexRouterKeepsEverythingButTopic(t *testing.T) {
	router := configured(t, NewRegexRouter(), map[string]string{"regex": "test", "replacement": "routed"})
	schema := data.StructBuilder().Field("f", data.StringSchema).MustBuild()
	r := sourceRecord(data.StringSchema, "k", schema, data.NewStruct(schema).MustPut("f", "v"))
	r.Partition, r.HasTimestamp, r.Timestamp = 3, true, 1234
	r.Headers = []connectors.Header{hdrStrHeader("h", "x")}
	got, err := router.Apply(r)
	if err != nil {
		t.Fatal(err)
	}
	want := *r
	want.Topic = "routed"
	hdrAssertSameRecord(t, &want, got)
	if &got.Headers[0] == &r.Headers[0] {
		t.Error("headers not duplicated")
	}
}

func TestRegexRouterReplacementErrors(t *testing.T) {
	for _, c := range []struct{ regex, replacement, want string }{
		{"(.*)", "$2", "No group 2"},
		{"(.*)", "${missing}", "No group with name {missing}"},
		{"(.*)", "${", "named capturing group has 0 length name"},
		{"(?<n>.*)", "${n", "named capturing group is missing trailing '}'"},
		{"(.*)", "x\\", "character to be escaped is missing"},
		{"(.*)", "x$", "Illegal group reference: group index is missing"},
		{"(.*)", "$x", "Illegal group reference"},
	} {
		_, got, err := regexRouterApply(t, c.regex, c.replacement, "topic")
		if err == nil || err.Error() != c.want || got != nil {
			t.Errorf("%q / %q: Apply = %v, %v; want error %q", c.regex, c.replacement, got, err, c.want)
		}
	}
	// A bad replacement only matters when the topic matches.
	if _, got, err := regexRouterApply(t, "foo", "$9", "bar"); err != nil || got.Topic != "bar" {
		t.Errorf("unmatched topic: %v, %v", got, err)
	}
}

func TestRegexRouterConfig(t *testing.T) {
	for _, c := range []struct {
		props map[string]string
		want  string
	}{
		{map[string]string{"regex": "*", "replacement": "x"},
			"Invalid value * for configuration regex: Invalid regex: Dangling meta character '*' near index 0\n*\n^"},
		{map[string]string{"regex": "(a", "replacement": "x"},
			"Invalid value (a for configuration regex: Invalid regex: Unclosed group near index 2\n(a"},
		{map[string]string{"regex": `\p{InGreek}`, "replacement": "x"},
			"Invalid value \\p{InGreek} for configuration regex: Invalid regex: \\p{InGreek} (Unicode block) is not supported by this regex engine near index 10\n\\p{InGreek}\n          ^"},
		{map[string]string{"replacement": "x"}, `Missing required configuration "regex" which has no default value.`},
		{map[string]string{"regex": "x"}, `Missing required configuration "replacement" which has no default value.`},
	} {
		err := NewRegexRouter().Configure(c.props)
		var ce *configdef.ConfigError
		if !errors.As(err, &ce) || err.Error() != c.want {
			t.Errorf("Configure(%v):\n got %v\nwant %q", c.props, err, c.want)
		}
	}
	keys := NewRegexRouter().Config().Keys()
	if len(keys) != 2 ||
		keys[0].Name != "regex" || keys[0].Type != configdef.TypeString || keys[0].HasDefault() || keys[0].Importance != configdef.High ||
		keys[0].Doc != "Regular expression to use for matching." || keys[0].Validator.String() != "valid regex" ||
		keys[1].Name != "replacement" || keys[1].Type != configdef.TypeString || keys[1].HasDefault() || keys[1].Importance != configdef.High ||
		keys[1].Doc != "Replacement string." || keys[1].Validator != nil {
		t.Errorf("config def %+v", keys)
	}
	if ps := regexRouterPlugins(); len(ps) != 1 || ps[0].Class != "org.apache.kafka.connect.transforms.RegexRouter" {
		t.Errorf("plugins %+v", ps)
	}
}
