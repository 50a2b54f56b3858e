// Package configfile reads the files connect-standalone is given: worker and
// connector .properties files (java.util.Properties syntax) and connector
// JSON files, tried in Kafka's order.
package configfile

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Why not magiconair/properties: it is a different dialect (${} expansion,
// UTF-8 only, its own comment/continuation/escape rules) and making it match
// java.util.Properties needs more patching than a port of Java's ~100-line
// LineReader/loadConvert. The parser below follows Properties.load step by
// step and is checked against goldens produced by a JDK 17.

// LoadProperties reads a .properties file with java.util.Properties.load
// rules. Errors name the file (and the line for malformed escapes).
//
// Encoding: Kafka's Utils.loadProps hands Properties.load an InputStream,
// i.e. ISO-8859-1, so UTF-8 text turns into mojibake there. We decode valid
// UTF-8 as UTF-8 (what every user means) and fall back to ISO-8859-1 —
// Java's exact result — for files that are not valid UTF-8.
func LoadProperties(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err // *PathError already names the file
	}
	props, err := ParseProperties(data)
	if err != nil {
		return nil, fmt.Errorf("%s:%w", path, err)
	}
	return props, nil
}

// MalformedEscapeError is Properties.load's IllegalArgumentException for a
// bad \uXXXX escape.
type MalformedEscapeError struct {
	Line int // 1-based line where the logical line starts
}

func (e *MalformedEscapeError) Error() string {
	return fmt.Sprintf("%d: Malformed \\uxxxx encoding.", e.Line)
}

// ParseProperties parses properties text (see LoadProperties for the encoding).
func ParseProperties(data []byte) (map[string]string, error) {
	var units []uint16
	if utf8.Valid(data) {
		units = utf16.Encode([]rune(string(data)))
	} else {
		units = make([]uint16, len(data))
		for i, b := range data {
			units[i] = uint16(b)
		}
	}
	return parseUnits(units)
}

// lineReader is java.util.Properties.LineReader over UTF-16 code units.
type lineReader struct {
	in   []uint16
	pos  int
	line int // current natural line, 1-based
}

// readLine returns the next logical line (continuations joined, leading
// whitespace of every natural line dropped, comments and blank lines
// skipped), the line it starts on, and false at the end of input.
func (lr *lineReader) readLine() ([]uint16, int, bool) {
	var buf []uint16
	skipWhiteSpace := true
	appendedLineBegin := false
	precedingBackslash := false
	isNewLine := true
	isCommentLine := false
	start := lr.line
	for {
		if lr.pos >= len(lr.in) {
			if len(buf) == 0 || isCommentLine {
				return nil, 0, false
			}
			if precedingBackslash {
				buf = buf[:len(buf)-1] // a trailing '\' at EOF is dropped
			}
			return buf, start, true
		}
		c := lr.in[lr.pos]
		lr.pos++
		if skipWhiteSpace {
			if c == ' ' || c == '\t' || c == '\f' {
				continue
			}
			if !appendedLineBegin && (c == '\r' || c == '\n') {
				lr.newline(c)
				start = lr.line
				continue
			}
			skipWhiteSpace = false
			appendedLineBegin = false
		}
		if isNewLine {
			isNewLine = false
			if c == '#' || c == '!' {
				isCommentLine = true
				continue
			}
		}
		if c != '\n' && c != '\r' {
			buf = append(buf, c)
			if c == '\\' {
				precedingBackslash = !precedingBackslash
			} else {
				precedingBackslash = false
			}
			continue
		}
		// End of a natural line.
		lr.newline(c)
		if isCommentLine || len(buf) == 0 {
			isCommentLine = false
			isNewLine = true
			skipWhiteSpace = true
			buf = buf[:0]
			start = lr.line
			continue
		}
		if lr.pos >= len(lr.in) {
			if precedingBackslash {
				buf = buf[:len(buf)-1]
			}
			return buf, start, true
		}
		if !precedingBackslash {
			return buf, start, true
		}
		buf = buf[:len(buf)-1]
		skipWhiteSpace = true
		appendedLineBegin = true
		precedingBackslash = false
	}
}

// newline counts a line terminator and consumes the '\n' of a "\r\n" pair.
// Java reads that '\n' separately but always discards it (skipLF or blank
// line skipping), so consuming it here is equivalent.
func (lr *lineReader) newline(c uint16) {
	if c == '\r' && lr.pos < len(lr.in) && lr.in[lr.pos] == '\n' {
		lr.pos++
	}
	lr.line++
}

func parseUnits(in []uint16) (map[string]string, error) {
	lr := &lineReader{in: in, line: 1}
	props := map[string]string{}
	for {
		line, lineNo, ok := lr.readLine()
		if !ok {
			return props, nil
		}
		limit := len(line)
		keyLen, valueStart := 0, limit
		hasSep, precedingBackslash := false, false
		for keyLen < limit {
			c := line[keyLen]
			if (c == '=' || c == ':') && !precedingBackslash {
				valueStart = keyLen + 1
				hasSep = true
				break
			} else if (c == ' ' || c == '\t' || c == '\f') && !precedingBackslash {
				valueStart = keyLen + 1
				break
			}
			if c == '\\' {
				precedingBackslash = !precedingBackslash
			} else {
				precedingBackslash = false
			}
			keyLen++
		}
		for valueStart < limit {
			c := line[valueStart]
			if c != ' ' && c != '\t' && c != '\f' {
				if !hasSep && (c == '=' || c == ':') {
					hasSep = true
				} else {
					break
				}
			}
			valueStart++
		}
		key, err := loadConvert(line[:keyLen])
		if err != nil {
			return nil, &MalformedEscapeError{Line: lineNo}
		}
		value, err := loadConvert(line[valueStart:])
		if err != nil {
			return nil, &MalformedEscapeError{Line: lineNo}
		}
		props[key] = value
	}
}

var errMalformed = fmt.Errorf("malformed")

// loadConvert is Properties.loadConvert: \uXXXX, \t \n \r \f, and "\x" → x.
func loadConvert(in []uint16) (string, error) {
	out := make([]uint16, 0, len(in))
	for off := 0; off < len(in); {
		c := in[off]
		off++
		if c != '\\' {
			out = append(out, c)
			continue
		}
		if off >= len(in) {
			// Unreachable from readLine (an odd trailing '\' is dropped or
			// escapes the separator), kept for direct callers.
			break
		}
		c = in[off]
		off++
		switch c {
		case 'u':
			if off > len(in)-4 {
				return "", errMalformed
			}
			var v uint16
			for i := 0; i < 4; i++ {
				h := in[off]
				off++
				switch {
				case h >= '0' && h <= '9':
					v = v<<4 + h - '0'
				case h >= 'a' && h <= 'f':
					v = v<<4 + 10 + h - 'a'
				case h >= 'A' && h <= 'F':
					v = v<<4 + 10 + h - 'A'
				default:
					return "", errMalformed
				}
			}
			out = append(out, v)
		case 't':
			out = append(out, '\t')
		case 'r':
			out = append(out, '\r')
		case 'n':
			out = append(out, '\n')
		case 'f':
			out = append(out, '\f')
		default:
			out = append(out, c)
		}
	}
	return string(utf16.Decode(out)), nil
}

// WriteProperties writes props sorted by key, escaped like Properties.store
// (UTF-8 output, control characters as \uXXXX) so that ParseProperties — and
// java.util.Properties reading UTF-8 — returns the same map.
func WriteProperties(w io.Writer, props map[string]string) error {
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	bw := bufio.NewWriter(w)
	for _, k := range keys {
		bw.WriteString(saveConvert(k, true))
		bw.WriteByte('=')
		bw.WriteString(saveConvert(props[k], false))
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// saveConvert is Properties.saveConvert: keys escape every space, values
// only a leading one.
func saveConvert(s string, isKey bool) string {
	var b strings.Builder
	for i, r := range s {
		switch r {
		case ' ':
			if i == 0 || isKey {
				b.WriteString(`\ `)
			} else {
				b.WriteByte(' ')
			}
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\f':
			b.WriteString(`\f`)
		case '=', ':', '#', '!', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			if r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == utf8.RuneError {
				for _, u := range utf16.Encode([]rune{r}) {
					fmt.Fprintf(&b, `\u%04X`, u)
				}
			} else {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}
