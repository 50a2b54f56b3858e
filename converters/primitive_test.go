package converters

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/connect-go/connect-standalone/connectors/data"
)

func TestNumberConverters(t *testing.T) {
	for _, tc := range []struct {
		c     *NumberConverter
		value any
		hex   string
	}{
		{NewShortConverter(), int16(-2), "fffe"},
		{NewIntegerConverter(), int32(305419896), "12345678"},
		{NewLongConverter(), int64(-1), "ffffffffffffffff"},
		{NewFloatConverter(), float32(1.5), "3fc00000"},
		{NewDoubleConverter(), 1.5, "3ff8000000000000"},
	} {
		out, err := tc.c.FromConnectData("t", nil, tc.value)
		if err != nil || hex.EncodeToString(out) != tc.hex {
			t.Errorf("%s: %x %v", tc.c.kind.class, out, err)
		}
		s, v, err := tc.c.ToConnectData("t", out)
		if err != nil || v != tc.value || s != tc.c.kind.schema {
			t.Errorf("%s back: %v %#v %v", tc.c.kind.class, s, v, err)
		}
		if s, v, err := tc.c.ToConnectData("t", nil); err != nil || v != nil || s != tc.c.kind.schema {
			t.Errorf("%s null: %v %v %v", tc.c.kind.class, s, v, err)
		}
		if b, err := tc.c.FromConnectData("t", nil, nil); b != nil || err != nil {
			t.Errorf("null serialize: %v %v", b, err)
		}
	}
	_, _, err := NewIntegerConverter().ToConnectData("t", []byte{1, 2})
	if err == nil || !strings.Contains(err.Error(), "Failed to deserialize integer: Size of data received by IntegerDeserializer is not 4") {
		t.Error(err)
	}
	_, err = NewLongConverter().FromConnectData("t", nil, int32(1))
	var de *data.DataError
	if !errors.As(err, &de) || de.Msg != "Failed to serialize to long (was class java.lang.Integer): " {
		t.Error(err)
	}
	_, _, err = NewDoubleConverter().ToConnectData("t", []byte{1})
	if err == nil || !strings.Contains(err.Error(), "Size of data received by Deserializer is not 8") {
		t.Error(err)
	}
}

func TestBooleanConverter(t *testing.T) {
	c := BooleanConverter{}
	if b, _ := c.FromConnectData("t", data.BooleanSchema, true); !bytes.Equal(b, []byte{1}) {
		t.Error(b)
	}
	if _, v, _ := c.ToConnectData("t", []byte{0}); v != false {
		t.Error(v)
	}
	_, err := c.FromConnectData("t", data.Int32Schema, true)
	var de *data.DataError
	if !errors.As(err, &de) || de.Msg != "Invalid schema type for BooleanConverter: INT32" {
		t.Error(err)
	}
	_, err = c.FromConnectData("t", nil, "true")
	if !errors.As(err, &de) || de.Msg != "BooleanConverter is not compatible with objects of type class java.lang.String" {
		t.Error(err)
	}
	for _, in := range [][]byte{{2}, {}, {0, 1}} {
		if _, _, err := c.ToConnectData("t", in); !errors.As(err, &de) || de.Msg != "Failed to deserialize boolean: " {
			t.Errorf("%x: %v", in, err)
		}
	}
}

func TestByteArrayConverter(t *testing.T) {
	c := ByteArrayConverter{}
	if b, err := c.FromConnectData("t", data.OptionalBytesSchema, []byte("x")); err != nil || string(b) != "x" {
		t.Error(b, err)
	}
	_, err := c.FromConnectData("t", data.StringSchema, []byte("x"))
	if err == nil || !strings.Contains(err.Error(), "Invalid schema type for ByteArrayConverter: STRING") {
		t.Error(err)
	}
	_, err = c.FromConnectData("t", nil, "x")
	if err == nil || !strings.Contains(err.Error(), "ByteArrayConverter is not compatible with objects of type class java.lang.String") {
		t.Error(err)
	}
	if s, v, _ := c.ToConnectData("t", []byte{1}); s != data.OptionalBytesSchema || !bytes.Equal(v.([]byte), []byte{1}) {
		t.Error(s, v)
	}
}

func TestStringConverter(t *testing.T) {
	utcLocal(t)
	c := &StringConverter{}
	m := data.NewMap(3)
	m.Put("some_key", int64(0))
	m.Put("b", "x")
	m.Put("n", 1.0)
	s := data.StructBuilder().Field("a", data.Int32Schema).Field("b", data.OptionalStringSchema).MustBuild()
	for _, tc := range []struct {
		v    any
		want string
	}{
		{"héllo", "héllo"},
		{int32(12), "12"},
		{1e10, "1.0E10"},
		{m, "{b=x, some_key=0, n=1.0}"},
		{data.NewStruct(s).MustPut("a", int32(1)), "Struct{a=1}"},
		{time.UnixMilli(0), "Thu Jan 01 00:00:00 UTC 1970"},
	} {
		out, err := c.FromConnectData("t", nil, tc.v)
		if err != nil || string(out) != tc.want {
			t.Errorf("%#v -> %q %v", tc.v, out, err)
		}
	}
	if out, _ := c.FromConnectData("t", data.StringSchema, nil); out != nil {
		t.Error("null must stay null")
	}
	sch, v, _ := c.ToConnectData("t", nil)
	if sch != data.OptionalStringSchema || v != nil {
		t.Error(sch, v)
	}
}

func TestStringConverterCharsets(t *testing.T) {
	for _, tc := range []struct {
		enc  string
		in   string
		want string // hex
	}{
		{"UTF-8", "é€", "c3a9e282ac"},
		{"utf8", "é", "c3a9"},
		{"UTF-16", "é", "feff00e9"},
		{"UTF-16BE", "😀", "d83dde00"},
		{"UTF-16LE", "a", "6100"},
		{"ISO-8859-1", "é€", "e93f"},
		{"latin1", "é", "e9"},
		{"US-ASCII", "aé", "613f"},
	} {
		c := &StringConverter{}
		if err := c.Configure(map[string]string{"converter.encoding": tc.enc}, false); err != nil {
			t.Fatal(err)
		}
		out, _ := c.FromConnectData("t", nil, tc.in)
		if hex.EncodeToString(out) != tc.want {
			t.Errorf("%s(%q) = %x, want %s", tc.enc, tc.in, out, tc.want)
		}
		_, back, _ := c.ToConnectData("t", out)
		// lossy charsets (ASCII, Latin-1) map unmappable characters to '?'
		if !strings.Contains(tc.enc, "ASCII") && !strings.Contains(tc.enc, "8859") && tc.enc != "latin1" && back != tc.in {
			t.Errorf("%s round trip %q -> %q", tc.enc, tc.in, back)
		}
	}
	err := (&StringConverter{}).Configure(map[string]string{"converter.encoding": "EBCDIC-XYZ"}, false)
	if err == nil || !strings.Contains(err.Error(), "Unsupported encoding EBCDIC-XYZ") {
		t.Error(err)
	}
	c := &StringConverter{}
	_ = c.Configure(map[string]string{"converter.encoding": "US-ASCII"}, false)
	if _, v, _ := c.ToConnectData("t", []byte{'a', 0xC3}); v != "a\uFFFD" {
		t.Errorf("%q", v)
	}
}

// java_utf8decode.tsv: JDK 17 new String(bytes, UTF_8) code points for malformed input.
func TestUTF8DecodeGolden(t *testing.T) {
	f, err := os.Open("testdata/java_utf8decode.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		in, want, _ := strings.Cut(sc.Text(), "\t")
		b, _ := hex.DecodeString(in)
		var cps []string
		for _, r := range decodeUTF8(b) {
			cps = append(cps, fmt.Sprintf("%04X", r))
		}
		if got := strings.Join(cps, " "); got != want {
			t.Errorf("decode %s = %s, want %s", in, got, want)
		}
	}
}

func TestSimpleHeaderConverter(t *testing.T) {
	utcLocal(t)
	c := &SimpleHeaderConverter{}
	for _, tc := range []struct {
		in     string
		schema *data.Schema
		value  any
	}{
		{"", data.StringSchema, ""},
		{"hello", data.StringSchema, "hello"},
		{"42", data.Int8Schema, int8(42)},
		{"true", data.BooleanSchema, true},
		{"1.5", data.Float32Schema, float32(1.5)},
	} {
		s, v, err := c.ToConnectHeader("t", "h", []byte(tc.in))
		if err != nil || !s.Equal(tc.schema) || !data.ValuesEqual(v, tc.value) {
			t.Errorf("%q -> %v %#v %v", tc.in, s, v, err)
		}
		out, err := c.FromConnectHeader("t", "h", s, v)
		if err != nil || string(out) != tc.in {
			t.Errorf("%#v -> %q %v", v, out, err)
		}
	}
	if s, v, err := c.ToConnectHeader("t", "h", []byte("null")); s != nil || v != nil || err != nil {
		t.Error(s, v, err)
	}
	if s, v, err := c.ToConnectHeader("t", "h", nil); s != nil || v != nil || err != nil {
		t.Error(s, v, err)
	}
	m := &data.Map{Linked: true}
	m.Put("a", int32(1))
	m.Put("b", "x")
	if out, _ := c.FromConnectHeader("t", "h", nil, m); string(out) != `{"a":1,"b":"x"}` {
		t.Errorf("%s", out)
	}
}

func TestPluginsCatalog(t *testing.T) {
	want := map[string][2]bool{
		"org.apache.kafka.connect.json.JsonConverter":            {true, true},
		"org.apache.kafka.connect.storage.StringConverter":       {true, true},
		"org.apache.kafka.connect.converters.ByteArrayConverter": {true, true},
		"org.apache.kafka.connect.converters.IntegerConverter":   {true, true},
		"org.apache.kafka.connect.converters.LongConverter":      {true, true},
		"org.apache.kafka.connect.converters.ShortConverter":     {true, true},
		"org.apache.kafka.connect.converters.FloatConverter":     {true, true},
		"org.apache.kafka.connect.converters.DoubleConverter":    {true, true},
		"org.apache.kafka.connect.converters.BooleanConverter":   {true, true},
		"org.apache.kafka.connect.storage.SimpleHeaderConverter": {false, true},
	}
	got := Plugins()
	if len(got) != len(want) {
		t.Fatalf("%d plugins", len(got))
	}
	for _, p := range got {
		w, ok := want[p.Class]
		if !ok || (p.NewConverter != nil) != w[0] || (p.NewHeaderConverter != nil) != w[1] {
			t.Errorf("%s", p.Class)
			continue
		}
		if p.NewConverter != nil {
			if err := p.NewConverter().Configure(map[string]string{"converter.type": "value"}, false); err != nil {
				t.Errorf("%s: %v", p.Class, err)
			}
		}
		h := p.NewHeaderConverter()
		if err := h.Configure(map[string]string{"converter.type": "header"}); err != nil {
			t.Errorf("%s: %v", p.Class, err)
		}
		// every header converter handles null both ways
		if b, err := h.FromConnectHeader("t", "k", nil, nil); b != nil || err != nil {
			t.Errorf("%s: null header -> %v %v", p.Class, b, err)
		}
	}
}

func TestNoPanicOnOddValues(t *testing.T) {
	odd := []any{math.NaN(), []any{nil}, (*data.Map)(nil), (*data.Struct)(nil), struct{}{}, uint(3), data.Decimal{}}
	for _, p := range Plugins() {
		for _, v := range odd {
			if p.NewConverter != nil {
				c := p.NewConverter()
				_, _ = c.FromConnectData("t", nil, v)
				_, _ = c.FromConnectData("t", data.StructBuilder().MustBuild(), v)
			}
			_, _ = p.NewHeaderConverter().FromConnectHeader("t", "k", nil, v)
		}
	}
}

func BenchmarkStringConverter(b *testing.B) {
	c := &StringConverter{}
	in := []byte("a typical line of text read by FileStreamSource, about sixty bytes")
	b.Run("encode", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			_, _ = c.FromConnectData("t", data.StringSchema, "a typical line of text read by FileStreamSource")
		}
	})
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			_, _, _ = c.ToConnectData("t", in)
		}
	})
}
