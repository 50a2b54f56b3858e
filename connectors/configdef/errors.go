package configdef

import (
	"errors"
	"strings"
)

// ConfigError is one Kafka ConfigException: Error() is its exact message.
type ConfigError struct {
	Name string // key the problem belongs to ("" if none)
	Msg  string // the full Kafka message
}

func (e *ConfigError) Error() string { return e.Msg }

// NewConfigError builds ConfigException(name, value, message):
// "Invalid value <value> for configuration <name>[: <message>]", value
// rendered with Java's toString (nil → "null", lists "[a, b]").
func NewConfigError(name string, value any, message string) *ConfigError {
	msg := "Invalid value " + JavaString(value) + " for configuration " + name
	if message != "" {
		msg += ": " + message
	}
	return &ConfigError{Name: name, Msg: msg}
}

func missingError(name string) *ConfigError {
	return &ConfigError{Name: name, Msg: `Missing required configuration "` + name + `" which has no default value.`}
}

// asConfigError wraps a validator's plain error into Kafka's full message,
// keeping a *ConfigError the validator built itself.
func asConfigError(name string, value any, err error) *ConfigError {
	var ce *ConfigError
	if errors.As(err, &ce) {
		return ce
	}
	return NewConfigError(name, value, err.Error())
}

func runValidator(v Validator, name string, value any) *ConfigError {
	if err := v.Validate(name, value); err != nil {
		return asConfigError(name, value, err)
	}
	return nil
}

// Errors lists every problem found by Parse, in key definition order.
type Errors struct {
	List []*ConfigError
}

// Error joins the messages with newlines; with one problem it is exactly
// Kafka's message.
func (e *Errors) Error() string {
	msgs := e.Messages()
	return strings.Join(msgs, "\n")
}

// Messages returns the individual Kafka messages.
func (e *Errors) Messages() []string {
	out := make([]string, len(e.List))
	for i, ce := range e.List {
		out[i] = ce.Msg
	}
	return out
}

// First is the message Kafka's ConfigDef.parse would have thrown.
func (e *Errors) First() string {
	if len(e.List) == 0 {
		return ""
	}
	return e.List[0].Msg
}

// Unwrap exposes the individual *ConfigError values to errors.As/Is.
func (e *Errors) Unwrap() []error {
	out := make([]error, len(e.List))
	for i, ce := range e.List {
		out[i] = ce
	}
	return out
}
