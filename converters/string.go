package converters

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/connect-go/connect-standalone/connectors/data"
)

// StringEncodingConfig is StringConverterConfig.ENCODING_CONFIG. Through the
// worker prefixes it is value.converter.converter.encoding.
const StringEncodingConfig = "converter.encoding"

// StringConverter is org.apache.kafka.connect.storage.StringConverter (also a
// HeaderConverter): any value is written as its Java toString
// (data.JavaString) in the configured charset; bytes are read back as an
// OPTIONAL_STRING. The zero value uses UTF-8.
type StringConverter struct {
	enc, dec *charset
}

// Configure implements Converter.
func (c *StringConverter) Configure(props map[string]string, isKey bool) error {
	return c.configureKey(props, isKey)
}

func (c *StringConverter) configure(props map[string]string) error {
	return c.configureKey(props, false)
}

func (c *StringConverter) configureKey(props map[string]string, isKey bool) error {
	if err := checkConverterType(props); err != nil {
		return err
	}
	encoding := stringProp(props, StringEncodingConfig, "UTF-8")
	// StringSerializer prefers key./value.serializer.encoding over the
	// serializer.encoding StringConverter derives from converter.encoding.
	prefix := "value."
	if isKey {
		prefix = "key."
	}
	pick := func(kind string) (*charset, error) {
		name, ok := props[prefix+kind+".encoding"]
		if !ok {
			name = encoding
		}
		cs := lookupCharset(name)
		if cs == nil {
			return nil, &ConfigError{Key: StringEncodingConfig, Value: name, Msg: "Unsupported encoding " + name}
		}
		return cs, nil
	}
	enc, err := pick("serializer")
	if err != nil {
		return err
	}
	dec, err := pick("deserializer")
	if err != nil {
		return err
	}
	c.enc, c.dec = enc, dec
	return nil
}

// AsHeaderConverter returns c as a HeaderConverter.
func (c *StringConverter) AsHeaderConverter() HeaderConverter {
	return headerAdapter[*StringConverter]{c}
}

// FromConnectData implements Converter: nil → nil, else value.toString().
func (c *StringConverter) FromConnectData(topic string, schema *data.Schema, value any) ([]byte, error) {
	if value == nil {
		return nil, nil
	}
	enc := c.enc
	if enc == nil {
		enc = &utf8Charset
	}
	if s, ok := value.(string); ok {
		return enc.encode(make([]byte, 0, len(s)), s), nil
	}
	var buf [64]byte
	s := data.AppendJavaString(buf[:0], value)
	if enc == &utf8Charset {
		return append([]byte(nil), s...), nil
	}
	return enc.encode(nil, string(s)), nil
}

// ToConnectData implements Converter: (OPTIONAL_STRING, decoded text).
func (c *StringConverter) ToConnectData(topic string, b []byte) (*data.Schema, any, error) {
	if b == nil {
		return data.OptionalStringSchema, nil, nil
	}
	dec := c.dec
	if dec == nil {
		dec = &utf8Charset
	}
	return data.OptionalStringSchema, dec.decode(b), nil
}

// FromConnectHeader implements HeaderConverter.
func (c *StringConverter) FromConnectHeader(topic, headerKey string, schema *data.Schema, value any) ([]byte, error) {
	return c.FromConnectData(topic, schema, value)
}

// ToConnectHeader implements HeaderConverter.
func (c *StringConverter) ToConnectHeader(topic, headerKey string, b []byte) (*data.Schema, any, error) {
	return c.ToConnectData(topic, b)
}

// charset is the subset of Java charsets we support, with Java's
// replacement behaviour: '?' for unmappable characters when encoding, U+FFFD
// for malformed input when decoding.
type charset struct {
	name   string
	encode func(dst []byte, s string) []byte
	decode func(b []byte) string
}

var (
	utf8Charset = charset{"UTF-8", func(dst []byte, s string) []byte {
		// Go strings hold no UTF-16 surrogates; bytes are passed through.
		return append(dst, s...)
	}, decodeUTF8}
	latin1Charset = charset{"ISO-8859-1", func(dst []byte, s string) []byte {
		return encodeSingleByte(dst, s, 0xFF)
	}, func(b []byte) string {
		r := make([]rune, len(b))
		for i, c := range b {
			r[i] = rune(c)
		}
		return string(r)
	}}
	asciiCharset = charset{"US-ASCII", func(dst []byte, s string) []byte {
		return encodeSingleByte(dst, s, 0x7F)
	}, func(b []byte) string {
		var sb strings.Builder
		sb.Grow(len(b))
		for _, c := range b {
			if c < 0x80 {
				sb.WriteByte(c)
			} else {
				sb.WriteRune(utf8.RuneError)
			}
		}
		return sb.String()
	}}
	utf16Charset = charset{"UTF-16", func(dst []byte, s string) []byte {
		return encodeUTF16(append(dst, 0xFE, 0xFF), s, true)
	}, func(b []byte) string {
		if len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF {
			return decodeUTF16(b[2:], true)
		}
		if len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE {
			return decodeUTF16(b[2:], false)
		}
		return decodeUTF16(b, true)
	}}
	utf16BECharset = charset{"UTF-16BE", func(dst []byte, s string) []byte { return encodeUTF16(dst, s, true) },
		func(b []byte) string { return decodeUTF16(b, true) }}
	utf16LECharset = charset{"UTF-16LE", func(dst []byte, s string) []byte { return encodeUTF16(dst, s, false) },
		func(b []byte) string { return decodeUTF16(b, false) }}
)

// charsetAliases maps upper-cased Java charset names and aliases.
var charsetAliases = map[string]*charset{
	"UTF-8": &utf8Charset, "UTF8": &utf8Charset, "UNICODE-1-1-UTF-8": &utf8Charset,
	"ISO-8859-1": &latin1Charset, "ISO8859-1": &latin1Charset, "ISO_8859-1": &latin1Charset, "ISO_8859_1": &latin1Charset,
	"ISO8859_1": &latin1Charset, "8859_1": &latin1Charset, "LATIN1": &latin1Charset, "L1": &latin1Charset,
	"ISO-IR-100": &latin1Charset, "ISO_8859-1:1987": &latin1Charset, "IBM819": &latin1Charset, "IBM-819": &latin1Charset,
	"CP819": &latin1Charset, "819": &latin1Charset, "CSISOLATIN1": &latin1Charset,
	"US-ASCII": &asciiCharset, "ASCII": &asciiCharset, "US": &asciiCharset, "ISO646-US": &asciiCharset,
	"ISO-IR-6": &asciiCharset, "ANSI_X3.4-1968": &asciiCharset, "ANSI_X3.4-1986": &asciiCharset, "ISO_646.IRV:1991": &asciiCharset,
	"ISO_646.IRV:1983": &asciiCharset, "IBM367": &asciiCharset, "CP367": &asciiCharset, "CSASCII": &asciiCharset,
	"646": &asciiCharset, "ASCII7": &asciiCharset, "DEFAULT": &asciiCharset,
	"UTF-16": &utf16Charset, "UTF_16": &utf16Charset, "UTF16": &utf16Charset, "UNICODE": &utf16Charset,
	"UTF-16BE": &utf16BECharset, "UTF_16BE": &utf16BECharset, "X-UTF-16BE": &utf16BECharset,
	"ISO-10646-UCS-2": &utf16BECharset, "UNICODEBIGUNMARKED": &utf16BECharset,
	"UTF-16LE": &utf16LECharset, "UTF_16LE": &utf16LECharset, "X-UTF-16LE": &utf16LECharset,
	"UNICODELITTLEUNMARKED": &utf16LECharset,
}

func lookupCharset(name string) *charset { return charsetAliases[strings.ToUpper(name)] }

func encodeSingleByte(dst []byte, s string, max rune) []byte {
	for _, r := range s {
		if r > max {
			r = '?'
		}
		dst = append(dst, byte(r))
	}
	return dst
}

func encodeUTF16(dst []byte, s string, bigEndian bool) []byte {
	put := func(u uint16) {
		if bigEndian {
			dst = append(dst, byte(u>>8), byte(u))
		} else {
			dst = append(dst, byte(u), byte(u>>8))
		}
	}
	for _, r := range s {
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			put(uint16(r1))
			put(uint16(r2))
			continue
		}
		put(uint16(r))
	}
	return dst
}

func decodeUTF16(b []byte, bigEndian bool) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		if bigEndian {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		} else {
			u = append(u, uint16(b[i+1])<<8|uint16(b[i]))
		}
	}
	s := string(utf16.Decode(u)) // unpaired surrogates become U+FFFD
	if len(b)%2 == 1 {
		s += "\uFFFD"
	}
	return s
}

// decodeUTF8 is new String(bytes, UTF_8): each maximal ill-formed subpart
// becomes one U+FFFD (the JDK decoder's behaviour).
func decodeUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b) + 8)
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r != utf8.RuneError || size > 1 {
			sb.Write(b[i : i+size])
			i += size
			continue
		}
		i += maximalSubpart(b[i:])
		sb.WriteRune(utf8.RuneError)
	}
	return sb.String()
}

// maximalSubpart returns the length of the longest prefix of b that starts
// a well-formed UTF-8 sequence but is not complete (at least 1).
func maximalSubpart(b []byte) int {
	c := b[0]
	var need int
	lo, hi := byte(0x80), byte(0xBF)
	switch {
	case c >= 0xC2 && c <= 0xDF:
		need = 1
	case c == 0xE0:
		need, lo = 2, 0xA0
	case c >= 0xE1 && c <= 0xEC, c == 0xEE, c == 0xEF:
		need = 2
	case c == 0xED:
		// the JDK decodes ED A0..BF xx fully and rejects the surrogate as a
		// whole (one U+FFFD), so the second byte may be any continuation
		need = 2
	case c == 0xF0:
		need, lo = 3, 0x90
	case c >= 0xF1 && c <= 0xF3:
		need = 3
	case c == 0xF4:
		need, hi = 3, 0x8F
	default:
		return 1
	}
	n := 1
	for k := 0; k < need && n < len(b); k++ {
		if b[n] < lo || b[n] > hi {
			break
		}
		lo, hi = 0x80, 0xBF
		n++
	}
	return n
}
