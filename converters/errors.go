package converters

import (
	"errors"
	"strconv"
	"strings"

	"github.com/connect-go/connect-standalone/connectors/data"
)

// Error is a per-record conversion failure (Kafka's DataException raised by a
// converter). It wraps a *data.DataError carrying Kafka's message, so both
// errors.As(err, new(*converters.Error)) and errors.As(err, new(*data.DataError))
// identify tolerable record errors.
type Error struct {
	Converter string // Java simple class name, e.g. "JsonConverter"
	Topic     string
	Op        string // "serialize" or "deserialize"
	Detail    string // where it went wrong: input prefix, byte offset, ...
	Err       error  // *data.DataError with Kafka's text
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Converter)
	b.WriteString(" failed to ")
	b.WriteString(e.Op)
	b.WriteString(" data for topic '")
	b.WriteString(e.Topic)
	b.WriteString("': ")
	b.WriteString(e.Err.Error())
	if e.Detail != "" {
		b.WriteString(" (")
		b.WriteString(e.Detail)
		b.WriteByte(')')
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// KafkaMessage returns the DataException message Kafka would report.
func (e *Error) KafkaMessage() string {
	var de *data.DataError
	if errors.As(e.Err, &de) {
		return de.Msg
	}
	return e.Err.Error()
}

func newError(conv, topic, op string, err error, b []byte) *Error {
	e := &Error{Converter: conv, Topic: topic, Op: op, Err: err}
	if b != nil {
		e.Detail = describeInput(b)
	}
	var pe *parseError
	if errors.As(err, &pe) {
		e.Detail = "at byte " + strconv.Itoa(pe.Offset) + " of " + e.Detail
	}
	return e
}

// describeInput summarizes the first bytes of a record for error messages.
func describeInput(b []byte) string {
	const max = 32
	head := b
	if len(head) > max {
		head = head[:max]
	}
	s := strconv.Quote(string(head))
	if len(b) > max {
		s = s[:len(s)-1] + `..."`
	}
	return "input " + strconv.Itoa(len(b)) + " bytes, starting " + s
}

// ConfigError is Kafka's ConfigException for a converter setting.
type ConfigError struct {
	Key   string
	Value string
	Msg   string
}

func (e *ConfigError) Error() string {
	s := "Invalid value " + e.Value + " for configuration " + e.Key
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	return s
}

// boolProp reads a ConfigDef BOOLEAN (trimmed, case-insensitive).
func boolProp(props map[string]string, key string, def bool) (bool, error) {
	v, ok := props[key]
	if !ok {
		return def, nil
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, &ConfigError{Key: key, Value: v, Msg: "Expected value to be either true or false"}
}

// intProp reads a ConfigDef INT (trimmed, Integer.parseInt).
func intProp(props map[string]string, key string, def int) (int, error) {
	v, ok := props[key]
	if !ok {
		return def, nil
	}
	t := strings.TrimSpace(v)
	if strings.HasPrefix(t, "+") && len(t) > 1 && t[1] != '-' && t[1] != '+' {
		t = t[1:]
	}
	n, err := strconv.ParseInt(t, 10, 32)
	if err != nil || strings.ContainsAny(t, "_") {
		return 0, &ConfigError{Key: key, Value: v, Msg: "Not a number of type INT"}
	}
	return int(n), nil
}

// stringProp reads a ConfigDef STRING (trimmed).
func stringProp(props map[string]string, key, def string) string {
	v, ok := props[key]
	if !ok {
		return def
	}
	return strings.TrimSpace(v)
}

// checkConverterType validates converter.type when present (ConverterConfig).
func checkConverterType(props map[string]string) error {
	v, ok := props["converter.type"]
	if !ok {
		return nil
	}
	switch strings.TrimSpace(v) {
	case "key", "value", "header":
		return nil
	}
	return &ConfigError{Key: "converter.type", Value: v, Msg: "String must be one of: key, value, header"}
}

func dataError(format string, args ...any) *data.DataError {
	return &data.DataError{Msg: sprintf(format, args...)}
}
