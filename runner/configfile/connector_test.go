package configfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestParseConnectorFileGolden runs every file in testdata/connectors and
// compares the outcome with testdata/connectors.golden.json.
func TestParseConnectorFileGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/connectors/*")
	type result struct {
		Name         string            `json:"name,omitempty"`
		Config       map[string]string `json:"config,omitempty"`
		InitialState string            `json:"initial_state,omitempty"`
		NullKeys     []string          `json:"null_keys,omitempty"`
		Error        string            `json:"error,omitempty"`
	}
	got := map[string]result{}
	for _, f := range files {
		cf, err := ParseConnectorFile(f)
		r := result{Name: cf.Name, Config: cf.Config, InitialState: cf.InitialState, NullKeys: cf.NullKeys}
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Errorf("%s: error %T is not *FileError", f, err)
			}
			r.Error = err.Error()
		}
		got[filepath.Base(f)] = r
	}
	b, _ := json.MarshalIndent(got, "", "  ")
	b = append(b, '\n')
	const golden = "testdata/connectors.golden.json"
	if *update {
		os.WriteFile(golden, b, 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, want) {
		t.Errorf("mismatch with %s:\n%s", golden, b)
	}
}

func TestParseConnectorJSON(t *testing.T) {
	tests := []struct {
		in      string
		name    string
		state   string
		errMsg  string
		notJSON bool
	}{
		{in: `{"name":"a"}`, name: "a"},
		{in: `{"name":"a","config":{"k":"v"},"initial_state":"running"}`, name: "a", state: "RUNNING"},
		{in: `{"name":"a","config":{"k":"v"},"initial_state":null}`, name: "a"},
		{in: `{"name":"a","config":{"name":"b"}}`, errMsg: "Connector name configuration in 'config' doesn't match the one specified in 'name' at 'body'"},
		{in: `{"config":{"k":"v"},"x":{}}`, errMsg: "Connector configuration at 'body' is missing the mandatory 'name' configuration"},
		{in: `{"name":"a","config":{"k":"v"},"initial_state":"nope"}`, notJSON: true},
		{in: `[1]`, notJSON: true},
		{in: `name=a`, notJSON: true},
	}
	for _, tt := range tests {
		cf, err := ParseConnectorJSON([]byte(tt.in), "body")
		switch {
		case tt.notJSON:
			if !IsNotJSON(err) {
				t.Errorf("%s: err = %v, want not-JSON", tt.in, err)
			}
		case tt.errMsg != "":
			if err == nil || err.Error() != tt.errMsg {
				t.Errorf("%s: err = %v, want %q", tt.in, err, tt.errMsg)
			}
		default:
			if err != nil || cf.Name != tt.name || cf.InitialState != tt.state || cf.Config["name"] != tt.name {
				t.Errorf("%s: got %+v, %v", tt.in, cf, err)
			}
		}
	}
	var ise *InvalidInitialStateError
	if _, err := DecodeCreateRequest([]byte(`{"name":"a","initial_state":"x"}`)); !errors.As(err, &ise) ||
		err.Error() != "No enum constant org.apache.kafka.connect.runtime.rest.entities.CreateConnectorRequest.InitialState.X" {
		t.Errorf("DecodeCreateRequest: %v", err)
	}
}
