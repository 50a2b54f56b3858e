package dryrun

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connect-go/connect-standalone/runner/configfile"
	"github.com/connect-go/connect-standalone/runner/plugins"
)

var update = flag.Bool("update", false, "rewrite the expected.jsonl golden files")

const examples = "../../testdata/transform"

// TestExamplesGolden runs every example shipped under testdata/transform:
// connector.properties + input.jsonl must produce expected.jsonl.
func TestExamplesGolden(t *testing.T) {
	dirs, err := os.ReadDir(examples)
	if err != nil {
		t.Fatal(err)
	}
	reg := plugins.New(plugins.Builtins())
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		dir := filepath.Join(examples, d.Name())
		t.Run(d.Name(), func(t *testing.T) {
			cf, err := configfile.ParseConnectorFile(filepath.Join(dir, "connector.properties"))
			if err != nil {
				t.Fatal(err)
			}
			chain, err := NewChain(reg, cf.Config)
			if err != nil {
				t.Fatal(err)
			}
			defer chain.Close()
			in, err := os.ReadFile(filepath.Join(dir, "input.jsonl"))
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := Run(context.Background(), chain, bytes.NewReader(in), &out); err != nil {
				t.Fatal(err)
			}
			if got, want := strings.Count(out.String(), "\n"), nonBlankLines(in); got != want {
				t.Errorf("%d output lines for %d input records", got, want)
			}
			golden := filepath.Join(dir, "expected.jsonl")
			if *update {
				if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if out.String() != string(want) {
				t.Errorf("output differs from %s:\n got:\n%s\nwant:\n%s", golden, out.String(), want)
			}
		})
	}
}

func nonBlankLines(b []byte) int {
	n := 0
	for _, l := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(l) != "" {
			n++
		}
	}
	return n
}

func TestConfigErrors(t *testing.T) {
	reg := plugins.New(plugins.Builtins())
	cases := []struct {
		name   string
		config map[string]string
		want   []string
	}{
		{"abstract class", map[string]string{"transforms": "a", "transforms.a.type": "org.apache.kafka.connect.transforms.InsertField"},
			[]string{"Invalid value class org.apache.kafka.connect.transforms.InsertField for configuration transforms.a.type: Transformation is abstract and cannot be created. Did you mean org.apache.kafka.connect.transforms.InsertField$Key, org.apache.kafka.connect.transforms.InsertField$Value?"}},
		{"unknown class", map[string]string{"transforms": "a", "transforms.a.type": "Nope"},
			[]string{"Invalid value Nope for configuration transforms.a.type: Class Nope could not be found."}},
		{"missing key", map[string]string{"transforms": "a", "transforms.a.type": "org.apache.kafka.connect.transforms.HoistField$Value"},
			[]string{`Missing required configuration "transforms.a.field" which has no default value.`}},
		{"alias resolves", map[string]string{"transforms": "f", "transforms.f.type": "Filter", "transforms.f.predicate": "p",
			"predicates": "p", "predicates.p.type": "RecordIsTombstone"}, nil},
		{"negate without predicate", map[string]string{"transforms": "f", "transforms.f.type": "Filter", "transforms.f.negate": "true"},
			[]string{"Config 'transforms.f.negate' was provided but there is no config 'transforms.f.predicate' defining a predicate to be negated."}},
		{"unlisted predicate", map[string]string{"transforms": "f", "transforms.f.type": "Filter", "transforms.f.predicate": "p"},
			[]string{"Invalid value p for configuration transforms.f.predicate: predicate alias p is not listed in predicates"}},
		{"predicate config", map[string]string{"transforms": "f", "transforms.f.type": "Filter", "transforms.f.predicate": "p",
			"predicates": "p", "predicates.p.type": "TopicNameMatches"},
			[]string{`Missing required configuration "predicates.p.pattern" which has no default value.`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			chain, err := NewChain(reg, tc.config)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				chain.Close()
				return
			}
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want ConfigError", err)
			}
			for _, w := range tc.want {
				found := false
				for _, m := range ce.Messages {
					found = found || m == w
				}
				if !found {
					t.Errorf("missing message %q in %q", w, ce.Messages)
				}
			}
		})
	}
}
