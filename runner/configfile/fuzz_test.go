package configfile

import (
	"bytes"
	"reflect"
	"testing"
	"unicode/utf8"
)

func FuzzLoadProperties(f *testing.F) {
	for _, s := range []string{"a=b", "a b\\\n c", "#x\n!y\nk:v", "k=\\u0041\\t", "\\ k\\=x = v  ", "\r\n\\", "caf\xe9=1"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		props, err := ParseProperties(data)
		if err != nil {
			return
		}
		for k, v := range props {
			// Java would round-trip lone surrogates; Go strings replaced them
			// with U+FFFD, which round-trips as itself, so all keys qualify.
			if !utf8.ValidString(k) || !utf8.ValidString(v) {
				t.Fatalf("invalid UTF-8 in %q=%q", k, v)
			}
		}
		var buf bytes.Buffer
		if err := WriteProperties(&buf, props); err != nil {
			t.Fatal(err)
		}
		again, err := ParseProperties(buf.Bytes())
		if err != nil {
			t.Fatalf("re-parse: %v\n%s", err, buf.Bytes())
		}
		if !reflect.DeepEqual(props, again) {
			t.Fatalf("round trip changed\n%q\n%q", props, again)
		}
	})
}

func FuzzParseConnectorJSON(f *testing.F) {
	for _, s := range []string{`{"name":"a","x":1}`, `{"name":"a","config":{"k":"v"},"initial_state":"paused"}`, `{"name":null}`, `[]`, `{"name":"a","config":{"name":"a"}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cf, err := ParseConnectorJSON(data, "fuzz")
		if err != nil {
			return
		}
		if cf.Config == nil {
			t.Fatalf("nil config for %q", data)
		}
		if got, ok := cf.Config["name"]; ok && got != cf.Name {
			t.Fatalf("name %q != config name %q", cf.Name, got)
		}
		switch cf.InitialState {
		case "", StateRunning, StatePaused, StateStopped:
		default:
			t.Fatalf("bad state %q", cf.InitialState)
		}
	})
}
