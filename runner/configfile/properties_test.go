package configfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestPropertiesJavaGolden compares with testdata/props/*.golden.json, which
// testdata/GenGolden.java produced with JDK 17's Properties.load.
func TestPropertiesJavaGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/props/*.properties")
	if len(files) == 0 {
		t.Fatal("no inputs")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			golden, err := os.ReadFile(strings.TrimSuffix(f, ".properties") + ".golden.json")
			if err != nil {
				t.Fatal(err)
			}
			got, err := LoadProperties(f)
			var want map[string]string
			if err := json.Unmarshal(golden, &want); err != nil {
				t.Fatal(err)
			}
			if msg, isErr := want["error"]; isErr && len(want) == 1 {
				var me *MalformedEscapeError
				if !errors.As(err, &me) || !strings.HasSuffix(err.Error(), msg) || !strings.HasPrefix(err.Error(), f+":") {
					t.Fatalf("err = %v, want ...%s", err, msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %q\nwant %q", got, want)
			}
		})
	}
}

func TestPropertiesCases(t *testing.T) {
	tests := []struct {
		in   string
		want map[string]string
	}{
		{"a=b", map[string]string{"a": "b"}},
		{"a = b  ", map[string]string{"a": "b  "}},
		{"a\\\n\n b=c", map[string]string{"a": "", "b": "c"}},
		{"a=1\\\r\n\nb=2", map[string]string{"a": "1", "b": "2"}},
		// Expectations below were checked against JDK 17.
		{"  \\\n", map[string]string{"": ""}},
		{"\\", map[string]string{"": ""}},
		{"a\\", map[string]string{"a": ""}},
		{"#c\\\nx=1", map[string]string{"x": "1"}},
		{"  \\\n  \\\n k=v", map[string]string{"k": "v"}},
		{"x=\\u0000", map[string]string{"x": "\x00"}},
		{"x=\\uD800", map[string]string{"x": "\uFFFD"}}, // lone surrogate: Go strings cannot hold it
	}
	for _, tt := range tests {
		got, err := ParseProperties([]byte(tt.in))
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseProperties(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	_, err := ParseProperties([]byte("a=1\n\n# c\nb=\\uzzzz\n"))
	if err == nil || err.Error() != "4: Malformed \\uxxxx encoding." {
		t.Errorf("line number: %v", err)
	}
	if _, err := LoadProperties("testdata/does-not-exist.properties"); err == nil || !strings.Contains(err.Error(), "does-not-exist.properties") {
		t.Errorf("missing file: %v", err)
	}
}

func TestWritePropertiesRoundTrip(t *testing.T) {
	in := map[string]string{
		" lead key": " lead value", "a=b": "c:d", "#x": "!y", "tab\t": "nl\ncr\r", "uni": "é中😀\u0085",
		"back\\slash": "trail\\", "": "empty key", "e": "",
	}
	var buf bytes.Buffer
	if err := WriteProperties(&buf, in); err != nil {
		t.Fatal(err)
	}
	got, err := ParseProperties(buf.Bytes())
	if err != nil || !reflect.DeepEqual(got, in) {
		t.Fatalf("round trip:\n%s\ngot %q, %v", buf.String(), got, err)
	}
}
