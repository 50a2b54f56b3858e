package data

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"time"
)

// DataError is org.apache.kafka.connect.errors.DataException: the data does
// not fit its schema or cannot be converted. Runners treat it as a per-record
// (tolerable) failure; find it with errors.As.
type DataError struct {
	Msg   string // Kafka's message text
	Cause error  // optional underlying error
}

func (e *DataError) Error() string {
	if e.Cause != nil {
		if strings.HasSuffix(e.Msg, " ") { // Kafka messages like "...error: " expect the cause appended
			return e.Msg + e.Cause.Error()
		}
		return e.Msg + ": " + e.Cause.Error()
	}
	return e.Msg
}

func (e *DataError) Unwrap() error { return e.Cause }

func dataErr(format string, args ...any) *DataError {
	return &DataError{Msg: fmt.Sprintf(format, args...)}
}

// JavaClassName returns the Java class Kafka would report for a Go value in
// its messages ("java.lang.Integer", "[B", ...); unknown Go types are given
// by their Go type.
func JavaClassName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case int8:
		return "java.lang.Byte"
	case int16:
		return "java.lang.Short"
	case int32:
		return "java.lang.Integer"
	case int64:
		return "java.lang.Long"
	case float32:
		return "java.lang.Float"
	case float64:
		return "java.lang.Double"
	case bool:
		return "java.lang.Boolean"
	case string:
		return "java.lang.String"
	case []byte:
		return "[B"
	case []any:
		return "java.util.ArrayList"
	case *Map:
		return "java.util.HashMap"
	case *Struct:
		return "org.apache.kafka.connect.data.Struct"
	case Decimal, *Decimal:
		return "java.math.BigDecimal"
	case time.Time:
		return "java.util.Date"
	}
	return fmt.Sprintf("%T", v)
}

// javaClass is what Java's Class.toString prints: "class java.lang.Long".
func javaClass(v any) string { return "class " + JavaClassName(v) }

// JavaClass is the "class X" form used in Kafka messages.
func JavaClass(v any) string { return javaClass(v) }

// ValuesEqual compares two Connect values like Java's Objects.deepEquals /
// equals on the Java representations: floats by bit pattern (NaN equals NaN,
// 0.0 differs from -0.0), BigDecimal including its scale, maps regardless of
// order, times by instant.
func ValuesEqual(a, b any) bool {
	switch av := a.(type) {
	case nil:
		return b == nil
	case float32:
		bv, ok := b.(float32)
		return ok && math.Float32bits(canonF32(av)) == math.Float32bits(canonF32(bv))
	case float64:
		bv, ok := b.(float64)
		return ok && math.Float64bits(canonF64(av)) == math.Float64bits(canonF64(bv))
	case []byte:
		bv, ok := b.([]byte)
		return ok && string(av) == string(bv)
	case Decimal:
		bv, ok := b.(Decimal)
		return ok && av.Equal(bv)
	case time.Time:
		bv, ok := b.(time.Time)
		return ok && av.UnixMilli() == bv.UnixMilli()
	case []any:
		bv, ok := b.([]any)
		if !ok || len(av) != len(bv) {
			return false
		}
		for i := range av {
			if !ValuesEqual(av[i], bv[i]) {
				return false
			}
		}
		return true
	case *Map:
		bv, ok := b.(*Map)
		if !ok {
			return false
		}
		if av == nil || bv == nil {
			return av == bv
		}
		if av.Len() != bv.Len() {
			return false
		}
		for _, e := range av.Entries {
			v, found := bv.Get(e.Key)
			if !found || !ValuesEqual(e.Value, v) {
				return false
			}
		}
		return true
	case *Struct:
		bv, ok := b.(*Struct)
		return ok && av.Equal(bv)
	case int8, int16, int32, int64, bool, string:
		return a == b
	}
	return reflect.DeepEqual(a, b)
}

func canonF32(f float32) float32 {
	if f != f {
		return float32(math.NaN())
	}
	return f
}

func canonF64(f float64) float64 {
	if f != f {
		return math.NaN()
	}
	return f
}
