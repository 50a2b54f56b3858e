package tail

import (
	"bytes"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// encoding splits a byte stream into lines and decodes them.
type encoding struct {
	name string
	// unit is the size of a code unit: 1, or 2 for UTF-16.
	unit int
	// newline is the line terminator ('\n' in this encoding); a '\r' unit
	// right before it is dropped from the line.
	newline, cr []byte
	decode      func([]byte) string
	// bom is the byte order mark skipped at the start of a file.
	bom []byte
}

var encodings = map[string]encoding{
	"utf-8": {name: "utf-8", unit: 1, newline: []byte{'\n'}, cr: []byte{'\r'}, decode: func(b []byte) string { return string(b) },
		bom: []byte{0xEF, 0xBB, 0xBF}},
	"iso-8859-1": {name: "iso-8859-1", unit: 1, newline: []byte{'\n'}, cr: []byte{'\r'}, decode: decodeLatin1},
	"utf-16le": {name: "utf-16le", unit: 2, newline: []byte{'\n', 0}, cr: []byte{'\r', 0}, decode: func(b []byte) string { return decodeUTF16(b, false) },
		bom: []byte{0xFF, 0xFE}},
	"utf-16be": {name: "utf-16be", unit: 2, newline: []byte{0, '\n'}, cr: []byte{0, '\r'}, decode: func(b []byte) string { return decodeUTF16(b, true) },
		bom: []byte{0xFE, 0xFF}},
}

var encodingAliases = map[string]string{
	"utf8": "utf-8", "us-ascii": "utf-8", "ascii": "utf-8",
	"latin1": "iso-8859-1", "latin-1": "iso-8859-1", "iso8859-1": "iso-8859-1",
	"utf16le": "utf-16le", "utf16be": "utf-16be",
}

func lookupEncoding(name string) (encoding, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	if a, ok := encodingAliases[n]; ok {
		n = a
	}
	e, ok := encodings[n]
	return e, ok
}

func encodingNames() []string {
	var out []string
	for n := range encodings {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// indexNewline returns the index of the first terminator in b that starts
// on a code unit boundary, or -1.
func (e encoding) indexNewline(b []byte) int {
	if e.unit == 1 {
		return bytes.IndexByte(b, '\n')
	}
	for i := 0; i+1 < len(b); i += 2 {
		if b[i] == e.newline[0] && b[i+1] == e.newline[1] {
			return i
		}
	}
	return -1
}

// trimCR drops a trailing carriage return.
func (e encoding) trimCR(line []byte) []byte {
	if bytes.HasSuffix(line, e.cr) && len(line)%e.unit == 0 {
		return line[:len(line)-len(e.cr)]
	}
	return line
}

// cut returns the longest prefix of b of at most n bytes that does not split
// a character.
func (e encoding) cut(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	b = b[:n-n%e.unit]
	switch e.name {
	case "utf-8":
		// Back off over a partial multi-byte sequence at the end.
		for i := 1; i <= utf8.UTFMax && i <= len(b); i++ {
			c := b[len(b)-i]
			if c < utf8.RuneSelf {
				break
			}
			if utf8.RuneStart(c) {
				if !utf8.FullRune(b[len(b)-i:]) {
					b = b[:len(b)-i]
				}
				break
			}
		}
	case "utf-16le", "utf-16be":
		if len(b) >= 2 {
			var u uint16
			if e.name == "utf-16le" {
				u = uint16(b[len(b)-2]) | uint16(b[len(b)-1])<<8
			} else {
				u = uint16(b[len(b)-1]) | uint16(b[len(b)-2])<<8
			}
			if u >= 0xD800 && u < 0xDC00 { // high surrogate without its pair
				b = b[:len(b)-2]
			}
		}
	}
	return b
}

func decodeLatin1(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b))
	for _, c := range b {
		sb.WriteRune(rune(c))
	}
	return sb.String()
}

func decodeUTF16(b []byte, bigEndian bool) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
		}
	}
	return string(utf16.Decode(u))
}
