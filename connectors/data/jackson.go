package data

import "unicode/utf8"

const jacksonHex = "0123456789ABCDEF"

// AppendJacksonString quotes s the way Jackson writes it (Kafka's
// JsonConverter and its offsets file): escapes '"', '\\' and control
// characters (short forms for \b \t \n \f \r, else \u00XX with upper-case
// hex); everything else, including '<', '>', '&', '/', U+2028 and non-ASCII,
// is written raw. Invalid UTF-8 becomes U+FFFD.
func AppendJacksonString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x80 {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, s[start:i]...)
				b = append(b, "\uFFFD"...)
				i++
				start = i
				continue
			}
			i += size
			continue
		}
		if c >= 0x20 && c != '"' && c != '\\' {
			i++
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\b':
			b = append(b, '\\', 'b')
		case '\t':
			b = append(b, '\\', 't')
		case '\n':
			b = append(b, '\\', 'n')
		case '\f':
			b = append(b, '\\', 'f')
		case '\r':
			b = append(b, '\\', 'r')
		default:
			b = append(b, '\\', 'u', '0', '0', jacksonHex[c>>4], jacksonHex[c&0xF])
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
