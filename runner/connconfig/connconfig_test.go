package connconfig

import (
	"flag"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/connect-go/connect-standalone/connectors/configdef"
)

var update = flag.Bool("update", false, "rewrite golden files")

func describe(d *configdef.Def) string {
	var b strings.Builder
	fmt.Fprintf(&b, "groups: %s\n", strings.Join(d.Groups(), " | "))
	for _, k := range d.Keys() {
		dflt := "<required>"
		if k.HasDefault() {
			if s, ok := configdef.ConvertToString(k.Default, k.Type); ok {
				dflt = fmt.Sprintf("%q", s)
			} else {
				dflt = "null"
			}
		}
		valid := ""
		if k.Validator != nil {
			valid = k.Validator.String()
		}
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", k.Name, k.Type, dflt, valid, k.Importance, k.Group, k.OrderInGroup, k.Width, k.DisplayName)
	}
	return b.String()
}

func TestDefsGolden(t *testing.T) {
	for name, d := range map[string]*configdef.Def{"connector": ConnectorConfigDef(), "source": SourceConnectorConfigDef(), "sink": SinkConnectorConfigDef()} {
		path := "testdata/" + name + "_keys.golden"
		got := describe(d)
		if *update {
			os.WriteFile(path, []byte(got), 0o644)
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(want) != got {
			t.Errorf("%s mismatch:\n%s", path, got)
		}
	}
}

// The framework part of connect_rest_test.py's expected definition names
// (the file connectors add file, topic/batch.size themselves).
func TestSystemTestKeySets(t *testing.T) {
	source := []string{"name", "connector.class", "tasks.max", "key.converter", "value.converter", "header.converter",
		"transforms", "config.action.reload", "errors.retry.timeout", "errors.retry.delay.max.ms", "errors.tolerance",
		"errors.log.enable", "errors.log.include.messages", "predicates", "topic.creation.groups", "exactly.once.support",
		"transaction.boundary", "transaction.boundary.interval.ms", "offsets.storage.topic", "tasks.max.enforce"}
	sink := []string{"name", "connector.class", "tasks.max", "key.converter", "value.converter", "header.converter",
		"topics", "transforms", "topics.regex", "config.action.reload", "errors.retry.timeout", "errors.retry.delay.max.ms",
		"errors.tolerance", "errors.log.enable", "errors.log.include.messages", "errors.deadletterqueue.topic.name",
		"errors.deadletterqueue.topic.replication.factor", "errors.deadletterqueue.context.headers.enable", "predicates", "tasks.max.enforce"}
	for _, c := range []struct {
		d    *configdef.Def
		want []string
	}{{SourceConnectorConfigDef(), source}, {SinkConnectorConfigDef(), sink}} {
		got := c.d.Names()
		sort.Strings(got)
		sort.Strings(c.want)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("names %q\nwant %q", got, c.want)
		}
	}
	if got := SinkConnectorConfigDef().Groups(); !reflect.DeepEqual(got, []string{"Common", "Transforms", "Predicates", "Error Handling"}) {
		t.Errorf("sink groups %q", got)
	}
	if got := SourceConnectorConfigDef().Groups(); !reflect.DeepEqual(got, []string{"Common", "Transforms", "Predicates", "Error Handling", "Topic Creation", "Exactly Once Support", "offsets.topic"}) {
		t.Errorf("source groups %q", got)
	}
}

func TestConnectorValidation(t *testing.T) {
	vals := SourceConnectorConfigDef().Validate(map[string]string{
		"name": "", "connector.class": "X", "tasks.max": "0", "transforms": "a,a", "errors.tolerance": "ALL",
		"exactly.once.support": "REQUIRED", "transaction.boundary.interval.ms": "-1",
	})
	got := map[string][]string{}
	for _, v := range vals {
		if len(v.Errors) > 0 {
			got[v.Name] = v.Errors
		}
	}
	want := map[string][]string{
		"name":                             {"Invalid value  for configuration name: String may not be empty"},
		"tasks.max":                        {"Invalid value 0 for configuration tasks.max: Value must be at least 1"},
		"transforms":                       {"Invalid value [a, a] for configuration transforms: Duplicate alias provided."},
		"errors.tolerance":                 {"Invalid value ALL for configuration errors.tolerance: String must be one of: none, all"},
		"transaction.boundary.interval.ms": {"Invalid value -1 for configuration transaction.boundary.interval.ms: Transaction boundary interval may not be negative"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors %q\nwant %q", got, want)
	}
}

func TestValidateSinkTopics(t *testing.T) {
	tests := []struct {
		name  string
		props map[string]string
		want  []TopicError
	}{
		{"topics only", map[string]string{"topics": "a"}, nil},
		{"regex only", map[string]string{"topics.regex": "a.*"}, nil},
		{"both", map[string]string{"topics": "a", "topics.regex": "b"}, []TopicError{
			{"topics", "a", "topics and topics.regex are mutually exclusive options, but both are set."},
			{"topics.regex", "b", "topics and topics.regex are mutually exclusive options, but both are set."}}},
		{"none (blank counts as unset)", map[string]string{"topics": "  "}, []TopicError{
			{"topics", "  ", "Must configure one of topics or topics.regex"},
			{"topics.regex", "", "Must configure one of topics or topics.regex"}}},
		{"dlq in topics", map[string]string{"topics": "a, b,a,", "errors.deadletterqueue.topic.name": " b "}, []TopicError{
			{"topics", "a, b,a,", "The DLQ topic 'b' may not be included in the list of topics ('topics=[a, b]') consumed by the connector"}}},
		{"dlq matches regex fully", map[string]string{"topics.regex": "dl.", "errors.deadletterqueue.topic.name": "dlq"}, []TopicError{
			{"topics.regex", "dl.", "The DLQ topic 'dlq' may not be matched by the regex for the topics ('topics.regex=dl.') consumed by the connector"}}},
		{"dlq partial regex match is fine", map[string]string{"topics.regex": "dl", "errors.deadletterqueue.topic.name": "dlq"}, nil},
	}
	for _, tt := range tests {
		if got := ValidateSinkTopics(tt.props); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %q\nwant %q", tt.name, got, tt.want)
		}
	}
	vals := SinkConnectorConfigDef().Validate(map[string]string{"name": "s", "connector.class": "X"})
	vals = AttachErrors(vals, ValidateSinkTopics(map[string]string{}))
	n := 0
	for _, v := range vals {
		if v.Name == "topics" || v.Name == "topics.regex" {
			if !reflect.DeepEqual(v.Errors, []string{"Must configure one of topics or topics.regex"}) {
				t.Errorf("%s errors %q", v.Name, v.Errors)
			}
			n++
		}
	}
	if n != 2 {
		t.Errorf("attached to %d keys", n)
	}
}
