package transforms

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/connect-go/connect-standalone/connectors/data"
)

// Helpers shared by ExtractField, Flatten, Cast and SetSchemaMetadata. Names
// carry the smtb prefix so that they cannot clash with helpers written for
// other SMTs of this package.

// smtbErrNotConfigured is returned by Apply before Configure (a
// NullPointerException in Kafka).
var smtbErrNotConfigured = errors.New("transformation used before it was configured")

// smtbIsNull reports whether v is Java null: nil or a typed nil map or
// struct.
func smtbIsNull(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case *data.Map:
		return x == nil
	case *data.Struct:
		return x == nil
	}
	return false
}

// smtbJavaDigit is Character.digit(ch, 10) for one UTF-16 unit: the value of
// an ASCII or other Unicode decimal digit of the Basic Multilingual Plane.
func smtbJavaDigit(r rune) (int, bool) {
	if r >= '0' && r <= '9' {
		return int(r - '0'), true
	}
	if r < 0x80 || r > 0xFFFF || !unicode.Is(unicode.Nd, r) {
		return 0, false
	}
	// decimal digits come in runs of ten starting at zero
	for _, rg := range unicode.Nd.R16 {
		if rune(rg.Lo) <= r && r <= rune(rg.Hi) && rg.Stride == 1 {
			return int(r-rune(rg.Lo)) % 10, true
		}
	}
	return 0, false
}

// smtbParseJavaInt is Byte.parseByte, Short.parseShort, Integer.parseInt or
// Long.parseLong (bits 8, 16, 32, 64): an optional sign and decimal digits,
// no blanks, in range. ok is false where Java throws NumberFormatException.
func smtbParseJavaInt(s string, bits int) (n int64, ok bool) {
	if s == "" {
		return 0, false
	}
	neg := false
	rest := s
	switch s[0] {
	case '-':
		neg = true
		rest = s[1:]
	case '+':
		rest = s[1:]
	}
	if rest == "" {
		return 0, false
	}
	limit := uint64(1) << (bits - 1) // magnitude of the most negative value
	var acc uint64
	for _, r := range rest {
		d, ok := smtbJavaDigit(r)
		if !ok || acc > (limit-uint64(d))/10 {
			return 0, false
		}
		acc = acc*10 + uint64(d)
	}
	if !neg {
		if acc == limit {
			return 0, false
		}
		return int64(acc), true
	}
	return int64(-acc), true // two's complement, also for -2^63
}

// smtbParseJavaFloat is Double.parseDouble (bits 64) or Float.parseFloat
// (bits 32): surrounding chars <= ' ' are ignored; accepted are an optional
// sign followed by "NaN", "Infinity", a decimal number with optional
// exponent, or a hexadecimal one with a binary exponent, the numbers with an
// optional f/F/d/D suffix. Overflow gives an infinity, as in Java. ok is
// false where Java throws NumberFormatException.
func smtbParseJavaFloat(s string, bits int) (f float64, ok bool) {
	s = data.JavaTrim(s)
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	neg := i > 0 && s[0] == '-'
	switch rest := s[i:]; {
	case rest == "NaN":
		return math.NaN(), true
	case rest == "Infinity":
		if neg {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	case strings.HasPrefix(rest, "0x") || strings.HasPrefix(rest, "0X"):
		if !smtbHexFloatSyntax(rest[2:]) {
			return 0, false
		}
	default:
		if !smtbDecimalFloatSyntax(rest) {
			return 0, false
		}
	}
	core := s
	if last := core[len(core)-1]; last == 'f' || last == 'F' || last == 'd' || last == 'D' {
		core = core[:len(core)-1]
	}
	v, err := strconv.ParseFloat(core, bits)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, false
	}
	return v, true
}

func isDecDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHexDigit(c byte) bool {
	return isDecDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// smtbDecimalFloatSyntax checks digits[.digits][(e|E)[sign]digits][fFdD]
// with at least one mantissa digit.
func smtbDecimalFloatSyntax(s string) bool {
	i, digits := 0, 0
	for i < len(s) && isDecDigit(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDecDigit(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		start := i
		for i < len(s) && isDecDigit(s[i]) {
			i++
		}
		if i == start {
			return false
		}
	}
	return smtbFloatSuffixOnly(s[i:])
}

// smtbHexFloatSyntax checks what follows "0x": (hex+ .? | hex* . hex+)
// (p|P)[sign]digits[fFdD].
func smtbHexFloatSyntax(s string) bool {
	i, digits := 0, 0
	for i < len(s) && isHexDigit(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isHexDigit(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 || i >= len(s) || (s[i] != 'p' && s[i] != 'P') {
		return false
	}
	i++
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	start := i
	for i < len(s) && isDecDigit(s[i]) {
		i++
	}
	if i == start {
		return false
	}
	return smtbFloatSuffixOnly(s[i:])
}

func smtbFloatSuffixOnly(s string) bool {
	return s == "" || (len(s) == 1 && strings.ContainsAny(s, "fFdD"))
}

// Java's narrowing of numbers (Number.byteValue() and friends): integers
// wrap, floating-point values go through a saturating conversion to int or
// long (NaN gives 0), BigDecimal truncates its fraction and keeps the
// low-order bits.

// smtbJavaLong is Number.longValue for a Connect number; ok is false for
// non-numbers.
func smtbJavaLong(v any) (int64, bool) {
	switch x := v.(type) {
	case int8:
		return int64(x), true
	case int16:
		return int64(x), true
	case int32:
		return int64(x), true
	case int64:
		return x, true
	case float32:
		return data.JavaD2L(float64(x)), true
	case float64:
		return data.JavaD2L(x), true
	case data.Decimal:
		return x.LongValue(), true
	}
	return 0, false
}

// smtbJavaInt is Number.intValue.
func smtbJavaInt(v any) (int32, bool) {
	switch x := v.(type) {
	case float32:
		return data.JavaD2I(float64(x)), true
	case float64:
		return data.JavaD2I(x), true
	}
	l, ok := smtbJavaLong(v)
	return int32(l), ok
}

// smtbJavaDouble is Number.doubleValue.
func smtbJavaDouble(v any) (float64, bool) {
	switch x := v.(type) {
	case float32:
		return float64(x), true
	case float64:
		return x, true
	case data.Decimal:
		f, _ := strconv.ParseFloat(x.String(), 64)
		return f, true
	}
	l, ok := smtbJavaLong(v)
	return float64(l), ok
}

// smtbJavaFloat is Number.floatValue, rounding once to float precision.
func smtbJavaFloat(v any) (float32, bool) {
	switch x := v.(type) {
	case float32:
		return x, true
	case float64:
		return float32(x), true
	case data.Decimal:
		f, _ := strconv.ParseFloat(x.String(), 32)
		return float32(f), true
	}
	l, ok := smtbJavaLong(v)
	if !ok {
		return 0, false
	}
	f, _ := strconv.ParseFloat(strconv.FormatInt(l, 10), 32)
	return float32(f), true
}

const smtbMillisPerDay = 24 * 60 * 60 * 1000

// smtbDateFormat formats t as Values.dateFormatFor(t).format(t) with the
// formatter in UTC: "HH:mm:ss.SSS'Z'" below one day after the epoch (so any
// instant before 1970 prints as a time of day), "yyyy-MM-dd" on a whole day,
// "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'" otherwise.
func smtbDateFormat(t time.Time) string {
	ms := t.UnixMilli()
	tod := ms % smtbMillisPerDay
	if tod < 0 {
		tod += smtbMillisPerDay
	}
	clock := fmt.Sprintf("%02d:%02d:%02d.%03dZ", tod/3600000, tod/60000%60, tod/1000%60, tod%1000)
	if ms < smtbMillisPerDay {
		return clock
	}
	g := time.UnixMilli(ms).UTC()
	date := fmt.Sprintf("%04d-%02d-%02d", g.Year(), int(g.Month()), g.Day())
	if tod == 0 {
		return date
	}
	return date + "T" + clock
}
