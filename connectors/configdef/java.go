package configdef

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/connect-go/connect-standalone/connectors/data"
)

// JavaString renders a parsed value as Java's toString would, which is how
// values appear inside Kafka's error messages: nil → "null", lists
// "[a, b]", doubles as Double.toString ("1.0", "1.0E10"), passwords
// "[hidden]".
func JavaString(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return JavaDouble(x)
	case float32:
		return data.JavaFloat(x)
	case []string:
		return "[" + strings.Join(x, ", ") + "]"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = JavaString(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case Password:
		return x.String()
	case fmt.Stringer:
		return x.String()
	}
	if n, ok := toInt64(v); ok {
		return strconv.FormatInt(n, 10)
	}
	return fmt.Sprint(v)
}

// JavaDouble is Double.toString: plain notation with at least one fraction
// digit for 1e-3 <= |d| < 1e7, computerized scientific notation otherwise.
// Digits are the shortest round-trip ones (JDK 19+ semantics; JDK 17 may
// print a longer tail for a few values).
func JavaDouble(d float64) string { return data.JavaDouble(d) }

// javaStringHash is String.hashCode over UTF-16 code units.
func javaStringHash(s string) int32 {
	var h int32
	for _, u := range utf16.Encode([]rune(s)) {
		h = 31*h + int32(u)
	}
	return h
}

// javaHashSetOrder returns the distinct strings in the iteration order of a
// java.util.HashSet filled in the given order (default capacity 16, load
// factor 0.75). Kafka prints CaseInsensitiveValidString's choices in this
// order, so reproducing it keeps messages byte-identical.
func javaHashSetOrder(in []string) []string {
	var distinct []string
	seen := map[string]bool{}
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			distinct = append(distinct, s)
		}
	}
	n := 16
	for len(distinct) > n*3/4 {
		n *= 2
	}
	buckets := make([][]string, n)
	for _, s := range distinct {
		h := uint32(javaStringHash(s))
		h ^= h >> 16
		i := h & uint32(n-1)
		buckets[i] = append(buckets[i], s)
	}
	out := make([]string, 0, len(distinct))
	for _, b := range buckets {
		out = append(out, b...)
	}
	return out
}

// isISOControl is Character.isISOControl.
func isISOControl(r rune) bool {
	return r <= 0x1F || (r >= 0x7F && r <= 0x9F)
}
