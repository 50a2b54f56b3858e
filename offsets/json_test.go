package offsets

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/connect-go/connect-standalone/connectors/data"
	"github.com/connect-go/connect-standalone/offsets/javaser"
)

func TestKeyBytes(t *testing.T) {
	for _, tc := range []struct {
		conn string
		part map[string]any
		want string
	}{
		{"local-file-source", map[string]any{"filename": "/tmp/test.txt"}, `["local-file-source",{"filename":"/tmp/test.txt"}]`},
		{"c", map[string]any{"z": int8(1), "a": int16(2), "m": int32(3), "b": int64(4), "i": 5, "u": uint16(6)}, `["c",{"a":2,"b":4,"i":5,"m":3,"u":6,"z":1}]`},
		{"c", map[string]any{"t": true, "f": false, "n": nil}, `["c",{"f":false,"n":null,"t":true}]`},
		{"c", map[string]any{"d": 1.0, "e": 1e-5, "g": float32(0.1)}, `["c",{"d":1.0,"e":1.0E-5,"g":0.1}]`},
		{"c", map[string]any{"b": []byte("hi")}, `["c",{"b":"aGk="}]`},
		{"c", map[string]any{}, `["c",{}]`},
		{"c", nil, `["c",null]`},
		// Jackson escaping: no HTML escaping, raw non-ASCII and U+2028, \u00XX upper case.
		{"<&>", map[string]any{"s": "q\"b\\s/\b\f\n\r\t\x01\x1f\x7fé\u2028"}, `["<&>",{"s":"q\"b\\s/\b\f\n\r\t\u0001\u001F` + "\x7fé\u2028" + `"}]`},
		{"c", map[string]any{"bad": "a\xffb"}, `["c",{"bad":"a` + "\uFFFD" + `b"}]`},
	} {
		got, err := KeyBytes(tc.conn, tc.part)
		if err != nil || string(got) != tc.want {
			t.Errorf("KeyBytes(%q, %v) = %s, %v\n want %s", tc.conn, tc.part, got, err, tc.want)
		}
		// The canonical form of a parsed key is the key itself, so lookups
		// of keys we wrote never need the slow path.
		conn, part, ok := parseKey(got)
		if !ok || string(appendKey(nil, conn, part)) != tc.want {
			t.Errorf("canonical(%s) = %s, %v", got, appendKey(nil, conn, part), ok)
		}
	}
}

func TestKeyBytesValidation(t *testing.T) {
	for _, tc := range []struct {
		v    any
		want string
	}{
		{[]any{1}, "contains ARRAY"},
		{map[string]any{}, "contains MAP"},
		{&data.Map{}, "contains MAP"},
		{&data.Struct{}, "contains STRUCT"},
		{data.Decimal{}, "contains data.Decimal"},
		{struct{}{}, "contains struct {}"},
	} {
		_, err := KeyBytes("c", map[string]any{"f": tc.v})
		if !errors.Is(err, ErrInvalidOffset) || !strings.Contains(err.Error(), "Offsets may only contain primitive types as values, but field f "+tc.want) {
			t.Errorf("KeyBytes(%T) = %v", tc.v, err)
		}
	}
}

// Expected strings are JDK 17's Double.toString / Float.toString output.
func TestJavaFloat(t *testing.T) {
	for _, tc := range []struct {
		f    float64
		bits int
		want string
	}{
		{0.1, 64, "0.1"}, {1, 64, "1.0"}, {1e7, 64, "1.0E7"}, {9999999, 64, "9999999.0"},
		{1e-3, 64, "0.001"}, {9.99e-4, 64, "9.99E-4"}, {1.5e-7, 64, "1.5E-7"}, {123456.789, 64, "123456.789"},
		{1e21, 64, "1.0E21"}, {1e-5, 64, "1.0E-5"}, {-2.5, 64, "-2.5"}, {100, 64, "100.0"}, {2e-3, 64, "0.002"},
		{5e-324, 64, "4.9E-324"}, {math.MaxFloat64, 64, "1.7976931348623157E308"}, {12345678.9, 64, "1.23456789E7"},
		{0.30000000000000004, 64, "0.30000000000000004"}, {1234567, 64, "1234567.0"}, {2e22, 64, "2.0E22"},
		{9007199254740993, 64, "9.007199254740992E15"}, {0, 64, "0.0"}, {math.Copysign(0, -1), 64, "-0.0"},
		{float64(float32(0.1)), 32, "0.1"}, {1e10, 32, "1.0E10"}, {float64(float32(math.MaxFloat32)), 32, "3.4028235E38"},
		{16777216, 32, "1.6777216E7"}, {float64(float32(0.3)), 32, "0.3"}, {float64(float32(1e-3)), 32, "0.001"},
		{math.NaN(), 64, `"NaN"`}, {math.Inf(1), 64, `"Infinity"`}, {math.Inf(-1), 64, `"-Infinity"`},
	} {
		if got := string(appendJavaFloat(nil, tc.f, tc.bits)); got != tc.want {
			t.Errorf("appendJavaFloat(%v, %d) = %s, want %s", tc.f, tc.bits, got, tc.want)
		}
	}
}

func TestParseJSONNumbers(t *testing.T) {
	got, err := parseJSON([]byte(`{"i":12,"neg":-3,"f":1.0,"e":1e3,"big":9223372036854775808,"s":"x","a":[1,2.5],"o":{"n":1}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"i": int64(12), "neg": int64(-3), "f": 1.0, "e": 1000.0, "big": 9223372036854775808.0, "s": "x",
		"a": []any{int64(1), 2.5}, "o": map[string]any{"n": int64(1)}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseJSON = %#v", got)
	}
	for _, bad := range []string{``, `{`, `{} x`, `nul`} {
		if _, err := parseJSON([]byte(bad)); err == nil {
			t.Errorf("parseJSON(%q) succeeded", bad)
		}
	}
}

// FuzzLoadNative: our format's reader never panics, and whatever it accepts
// is written back as a file that loads to the same entries.
func FuzzLoadNative(f *testing.F) {
	if b, err := os.ReadFile("testdata/native-v1.json"); err == nil {
		f.Add(b)
	}
	f.Add(encodeNative([]javaser.Entry{{Key: []byte{0xff}, Value: []byte(`{ "a" : 1 }`)}, {Key: []byte(`"k"`)}}, nil))
	f.Add([]byte(`{"format":"connect-standalone-offsets","version":1,"entries":[{"key_base64":"AA==","value_base64":""}]}`))
	f.Fuzz(func(t *testing.T, content []byte) {
		dir := t.TempDir()
		path := filepath.Join(dir, "o")
		if err := os.WriteFile(path, content, 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := OpenFile(path)
		if err != nil {
			if !strings.Contains(err.Error(), path) {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		before := snapshot(s)
		s.mu.Lock()
		s.gen++ // force a rewrite in the same format
		s.mu.Unlock()
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		s2, err := OpenFile(path)
		if err != nil {
			t.Fatalf("reload of a rewritten file: %v", err)
		}
		after := snapshot(s2)
		if s.Format() == FormatNative {
			// The native format cannot hold a Java null key.
			before = slicesDeleteNilKeys(before)
		}
		if !reflect.DeepEqual(before, after) {
			t.Fatalf("entries changed across a rewrite:\n%q\n%q", before, after)
		}
		for _, e := range s2.entries {
			if e.canon != "" {
				conn, part, _ := parseKey(e.key)
				_, _ = s2.Get(conn, part) // must not panic
			}
		}
	})
}

func snapshot(s *FileStore) []javaser.Entry {
	var out []javaser.Entry
	for _, e := range s.entries {
		out = append(out, javaser.Entry{Key: e.key, Value: e.value})
	}
	return out
}

func slicesDeleteNilKeys(es []javaser.Entry) []javaser.Entry {
	var out []javaser.Entry
	for _, e := range es {
		if e.Key != nil {
			out = append(out, e)
		}
	}
	return out
}

// FuzzLoadJava drives the store's Java path (ReadHashMap is fuzzed in javaser).
func FuzzLoadJava(f *testing.F) {
	if b, err := os.ReadFile("testdata/jdk17-offsets.ser"); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, content []byte) {
		path := filepath.Join(t.TempDir(), "o")
		if err := os.WriteFile(path, content, 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := OpenFile(path)
		if err != nil {
			return
		}
		for _, e := range s.entries {
			if e.canon != "" {
				conn, part, _ := parseKey(e.key)
				_, _ = s.Get(conn, part)
				_ = s.Partitions(conn)
			}
		}
	})
}
