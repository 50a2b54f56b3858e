package offsets

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/connect-go/connect-standalone/connectors/data"
)

// ErrInvalidOffset is wrapped by the validation errors of KeyBytes, Get and
// Set (Kafka's DataException from OffsetUtils.validateFormat).
var ErrInvalidOffset = errors.New("invalid offset data")

// KeyBytes returns the offset key Kafka stores for a source partition: the
// compact JSON of ["<connector>",{partition}] as the worker's internal
// JsonConverter (schemas.enable=false, Jackson) writes it. Partition keys are
// sorted: Kafka uses the Java map's iteration order, which is only defined
// for single-key maps; lookups of multi-key keys written by Java go through
// the store's canonical index instead. A nil partition encodes as null.
func KeyBytes(connector string, partition map[string]any) ([]byte, error) {
	if err := validateFormat(partition); err != nil {
		return nil, err
	}
	b := make([]byte, 0, 16+len(connector)+24*len(partition))
	return appendKey(b, connector, partition), nil
}

func appendKey(b []byte, connector string, partition map[string]any) []byte {
	b = append(b, '[')
	b = data.AppendJacksonString(b, connector)
	b = append(b, ',')
	if partition == nil {
		b = append(b, "null"...)
	} else {
		b = appendObject(b, partition, nil)
	}
	return append(b, ']')
}

// validateFormat is OffsetUtils.validateFormat: values must be primitive
// (Go map keys are always strings, so Kafka's "Offsets may only use String
// keys" cannot occur here). Go's int and unsigned kinds are accepted as
// integers for convenience; they encode exactly like int64.
func validateFormat(m map[string]any) error {
	for k, v := range m {
		switch v.(type) {
		case nil, int8, int16, int32, int64, int, uint8, uint16, uint32, uint64, uint,
			float32, float64, bool, string, []byte:
			continue
		case []any:
			return invalidField(k, "ARRAY")
		case map[string]any, map[any]any, *data.Map:
			return invalidField(k, "MAP")
		case *data.Struct:
			return invalidField(k, "STRUCT")
		default:
			return invalidField(k, fmt.Sprintf("%T", v))
		}
	}
	return nil
}

func invalidField(k, what string) error {
	return fmt.Errorf("%w: Offsets may only contain primitive types as values, but field %s contains %s", ErrInvalidOffset, k, what)
}

// appendObject writes m with sorted keys. scratch (may be nil) is reused for
// sorting so hot callers do not allocate.
func appendObject(b []byte, m map[string]any, scratch *[]string) []byte {
	b = append(b, '{')
	if len(m) == 1 {
		for k, v := range m {
			b = data.AppendJacksonString(b, k)
			b = append(b, ':')
			b = appendValue(b, v)
		}
		return append(b, '}')
	}
	var keys []string
	if scratch != nil {
		keys = (*scratch)[:0]
	}
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if scratch != nil {
		*scratch = keys
	}
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = data.AppendJacksonString(b, k)
		b = append(b, ':')
		b = appendValue(b, m[k])
	}
	return append(b, '}')
}

// appendValue writes v as Jackson does for the Java value the Go value stands
// for. Types validateFormat rejects still get a deterministic encoding so the
// Tracker can key partitions by it.
func appendValue(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case string:
		return data.AppendJacksonString(b, x)
	case bool:
		return strconv.AppendBool(b, x)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case int32:
		return strconv.AppendInt(b, int64(x), 10)
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	case int16:
		return strconv.AppendInt(b, int64(x), 10)
	case int8:
		return strconv.AppendInt(b, int64(x), 10)
	case uint8:
		return strconv.AppendUint(b, uint64(x), 10)
	case uint16:
		return strconv.AppendUint(b, uint64(x), 10)
	case uint32:
		return strconv.AppendUint(b, uint64(x), 10)
	case uint64:
		return strconv.AppendUint(b, x, 10)
	case uint:
		return strconv.AppendUint(b, uint64(x), 10)
	case float64:
		return appendJavaFloat(b, x, 64)
	case float32:
		return appendJavaFloat(b, float64(x), 32)
	case []byte:
		// JsonConverter writes BYTES as a base64 string.
		b = append(b, '"')
		b = base64.StdEncoding.AppendEncode(b, x)
		return append(b, '"')
	case map[string]any:
		return appendObject(b, x, nil)
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendValue(b, e)
		}
		return append(b, ']')
	default:
		return data.AppendJacksonString(b, fmt.Sprintf("%T(%v)", v, v))
	}
}

const hexDigits = "0123456789ABCDEF"

// appendJavaFloat formats like Java's Double.toString / Float.toString, as
// Jackson writes numbers; non-finite values are quoted, as Jackson's
// QUOTE_NON_NUMERIC_NUMBERS does.
func appendJavaFloat(b []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, `"NaN"`...)
	case math.IsInf(f, 1):
		return append(b, `"Infinity"`...)
	case math.IsInf(f, -1):
		return append(b, `"-Infinity"`...)
	case bits == 32:
		return data.AppendJavaFloat(b, float32(f))
	}
	return data.AppendJavaDouble(b, f)
}

// parseJSON decodes one JSON document the way the worker's JsonConverter
// does for schemaless data: integral numbers become int64, other numbers
// float64 (integers too large for int64 also become float64).
func parseJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if len(bytes.TrimLeft(b[dec.InputOffset():], " \t\r\n")) > 0 {
		return nil, errors.New("unexpected data after the JSON value")
	}
	return convertNumbers(v), nil
}

func convertNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		s := string(x)
		if !bytes.ContainsAny([]byte(s), ".eE") {
			if i, err := strconv.ParseInt(s, 10, 64); err == nil {
				return i
			}
		}
		f, _ := strconv.ParseFloat(s, 64)
		return f
	case map[string]any:
		for k, e := range x {
			x[k] = convertNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = convertNumbers(e)
		}
	}
	return v
}

// parseKey splits a stored key into connector and partition. ok is false for
// keys that are not ["<string>", {object} or null] (Kafka only warns about
// those and keeps them in the file).
func parseKey(key []byte) (connector string, partition map[string]any, ok bool) {
	v, err := parseJSON(key)
	if err != nil {
		return "", nil, false
	}
	l, isList := v.([]any)
	if !isList || len(l) != 2 {
		return "", nil, false
	}
	connector, isStr := l[0].(string)
	if !isStr {
		return "", nil, false
	}
	if l[1] == nil {
		return connector, nil, true
	}
	partition, isMap := l[1].(map[string]any)
	if !isMap {
		return "", nil, false
	}
	return connector, partition, true
}

// parseOffset decodes a stored value; nil bytes are a reset (null) offset.
func parseOffset(value []byte) (map[string]any, error) {
	if value == nil {
		return nil, nil
	}
	v, err := parseJSON(value)
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("offset is a JSON %s, not an object", jsonKind(v))
	}
	return m, nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case []any:
		return "array"
	case string:
		return "string"
	case bool:
		return "boolean"
	case int64, float64:
		return "number"
	}
	return "value"
}
