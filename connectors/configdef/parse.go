package configdef

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/connect-go/connect-standalone/connectors/data"
)

// listSep is Java's "\\s*,\\s*"; Java's \s includes \x0B, Go's does not.
var listSep = regexp.MustCompile(`[ \t\n\x0B\f\r]*,[ \t\n\x0B\f\r]*`)

// SplitList splits a LIST value like ConfigDef: trimmed, empty → empty list,
// otherwise split on "\s*,\s*" keeping empty elements ("a,,b" → [a  b]).
func SplitList(s string) []string {
	t := data.JavaTrim(s)
	if t == "" {
		return []string{}
	}
	return listSep.Split(t, -1)
}

// javaDouble is the grammar of Double.parseDouble (after trimming).
var javaDouble = regexp.MustCompile(`^[+-]?(NaN|Infinity|(([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?|0[xX]([0-9a-fA-F]+\.?|[0-9a-fA-F]*\.[0-9a-fA-F]+)[pP][+-]?[0-9]+)[fFdD]?)$`)

func parseJavaDouble(s string) (float64, bool) {
	if !javaDouble.MatchString(s) {
		return 0, false
	}
	neg := strings.HasPrefix(s, "-")
	body := strings.TrimLeft(s, "+-")
	switch body {
	case "NaN":
		return math.NaN(), true
	case "Infinity":
		if neg {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	}
	// Only hex digits precede the binary exponent, so a trailing f/F/d/D is
	// always the float-type suffix.
	if strings.ContainsAny(body[len(body)-1:], "fFdD") {
		s = s[:len(s)-1]
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true // Java saturates to ±Infinity / 0 as well
		}
		return 0, false
	}
	return f, true
}

// parseType is ConfigDef.parseType for string input.
func parseType(name, value string, t Type) (any, *ConfigError) {
	trimmed := data.JavaTrim(value)
	notNumber := func() *ConfigError { return NewConfigError(name, value, "Not a number of type "+t.String()) }
	switch t {
	case TypeBoolean:
		switch {
		case strings.EqualFold(trimmed, "true"):
			return true, nil
		case strings.EqualFold(trimmed, "false"):
			return false, nil
		}
		return nil, NewConfigError(name, value, "Expected value to be either true or false")
	case TypePassword:
		return NewPassword(trimmed), nil
	case TypeString:
		return trimmed, nil
	case TypeInt:
		n, err := strconv.ParseInt(trimmed, 10, 32)
		if err != nil {
			return nil, notNumber()
		}
		return int32(n), nil
	case TypeShort:
		n, err := strconv.ParseInt(trimmed, 10, 16)
		if err != nil {
			return nil, notNumber()
		}
		return int16(n), nil
	case TypeLong:
		n, err := strconv.ParseInt(trimmed, 10, 64)
		if err != nil {
			return nil, notNumber()
		}
		return n, nil
	case TypeDouble:
		f, ok := parseJavaDouble(trimmed)
		if !ok {
			return nil, notNumber()
		}
		return f, nil
	case TypeList:
		return SplitList(value), nil
	case TypeClass:
		// Class.forName is the plugin registry's job; keep the name.
		return trimmed, nil
	}
	panic("configdef: unknown type " + t.String())
}

// normalizeDefault converts a Go default to the type's canonical Go type.
func normalizeDefault(name string, d any, t Type) (any, error) {
	if s, ok := d.(string); ok && t != TypeString && t != TypeClass {
		v, err := parseType(name, s, t)
		if err != nil {
			return nil, err
		}
		return v, nil
	}
	bad := func() error {
		return fmt.Errorf("configdef: default %#v of %s does not fit type %s", d, name, t)
	}
	switch t {
	case TypeBoolean:
		if b, ok := d.(bool); ok {
			return b, nil
		}
	case TypeString, TypeClass:
		if s, ok := d.(string); ok {
			return data.JavaTrim(s), nil
		}
	case TypePassword:
		if p, ok := d.(Password); ok {
			return p, nil
		}
	case TypeInt, TypeShort, TypeLong:
		n, ok := toInt64(d)
		if !ok {
			return nil, bad()
		}
		switch t {
		case TypeInt:
			if n < math.MinInt32 || n > math.MaxInt32 {
				return nil, bad()
			}
			return int32(n), nil
		case TypeShort:
			if n < math.MinInt16 || n > math.MaxInt16 {
				return nil, bad()
			}
			return int16(n), nil
		}
		return n, nil
	case TypeDouble:
		switch v := d.(type) {
		case float64:
			return v, nil
		case float32:
			return float64(v), nil
		}
		if n, ok := toInt64(d); ok {
			return float64(n), nil
		}
	case TypeList:
		if l, ok := d.([]string); ok {
			return append([]string{}, l...), nil
		}
	}
	return nil, bad()
}

func toInt64(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int8:
		return int64(n), true
	case int16:
		return int64(n), true
	case int32:
		return int64(n), true
	case int64:
		return n, true
	case uint8:
		return int64(n), true
	case uint16:
		return int64(n), true
	case uint32:
		return int64(n), true
	}
	return 0, false
}

func toFloat64(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case float32:
		return float64(n), true
	}
	if i, ok := toInt64(v); ok {
		return float64(i), true
	}
	return 0, false
}
