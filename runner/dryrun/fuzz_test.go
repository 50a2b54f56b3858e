package dryrun

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/connect-go/connect-standalone/runner/configfile"
	"github.com/connect-go/connect-standalone/runner/plugins"
	"github.com/connect-go/connect-standalone/transforms"
)

// FuzzDryRunInput feeds arbitrary input lines (garbage envelopes, invalid
// UTF-8, deep nesting) through every example chain of testdata/transform:
// Run never fails or panics and answers each non-blank line with exactly one
// JSON line (a record, null, or {"error": ...}).
func FuzzDryRunInput(f *testing.F) {
	dirs, err := os.ReadDir(examples)
	if err != nil {
		f.Fatal(err)
	}
	reg := plugins.New(plugins.Builtins())
	var chains []transforms.Chain
	for _, d := range dirs {
		dir := filepath.Join(examples, d.Name())
		cf, err := configfile.ParseConnectorFile(filepath.Join(dir, "connector.properties"))
		if err != nil {
			f.Fatal(err)
		}
		chain, err := NewChain(reg, cf.Config)
		if err != nil {
			f.Fatal(err)
		}
		f.Cleanup(func() { chain.Close() })
		chains = append(chains, chain)
		in, _ := os.ReadFile(filepath.Join(dir, "input.jsonl"))
		for _, line := range bytes.Split(in, []byte("\n")) {
			f.Add(uint8(len(chains)-1), line)
		}
	}
	for _, s := range []string{`{}`, `[]`, `null`, `{"value": {"schema": {"type": "struct"}, "payload": 1}}`, `{"topic": 7}`,
		`{"value": {"schema": {"type": "array", "items": {"type": "array"}}, "payload": [[[[[]]]]]}}`, "\xff\xfe{", `{"headers": [{"key": null}]}`} {
		f.Add(uint8(0), []byte(s))
	}
	f.Fuzz(func(t *testing.T, which uint8, line []byte) {
		line = bytes.ReplaceAll(bytes.ReplaceAll(line, []byte("\n"), nil), []byte("\r"), nil) // one record
		var out bytes.Buffer
		if err := Run(context.Background(), chains[int(which)%len(chains)], bytes.NewReader(line), &out); err != nil {
			t.Fatalf("Run: %v", err)
		}
		sc := bufio.NewScanner(&out)
		sc.Buffer(nil, 1<<26)
		n := 0
		for sc.Scan() {
			n++
			if !json.Valid(sc.Bytes()) {
				t.Fatalf("output line is not JSON: %q", sc.Bytes())
			}
		}
		want := 1
		if len(bytes.TrimSpace(line)) == 0 {
			want = 0
		}
		if n != want {
			t.Fatalf("%d output lines for input %q, want %d", n, line, want)
		}
	})
}
