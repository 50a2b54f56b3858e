package configdef

import (
	"fmt"
	"maps"
	"strings"
)

// Password is a PASSWORD value (org.apache.kafka.common.config.types.Password):
// every rendering (fmt, JSON, text) prints "[hidden]"; Value reveals it.
type Password struct {
	value string
}

// NewPassword wraps a secret.
func NewPassword(v string) Password { return Password{value: v} }

// Value returns the secret.
func (p Password) Value() string { return p.value }

// String hides the secret.
func (p Password) String() string { return "[hidden]" }

// GoString hides the secret from %#v too.
func (p Password) GoString() string { return "[hidden]" }

// MarshalText hides the secret from encoders (JSON, zerolog).
func (p Password) MarshalText() ([]byte, error) { return []byte("[hidden]"), nil }

// Values holds parsed values (AbstractConfig's values plus originals).
type Values struct {
	def       *Def
	values    map[string]any
	originals map[string]string
}

// Def returns the definition the values were parsed with.
func (v *Values) Def() *Def { return v.def }

// Get returns the parsed value of a defined key (nil = Java null). It panics
// on an undefined key, as AbstractConfig.get throws: that is a programming error.
func (v *Values) Get(name string) any {
	val, ok := v.values[name]
	if !ok {
		if _, defined := v.def.index[name]; !defined {
			panic(fmt.Sprintf("Unknown configuration '%s'", name))
		}
	}
	return val
}

// IsNull reports whether a defined key's value is Java null (unset with a
// null default).
func (v *Values) IsNull(name string) bool { return v.Get(name) == nil }

func typed[T any](v *Values, name string, t Type) T {
	var zero T
	k, ok := v.def.Key(name)
	if !ok {
		panic(fmt.Sprintf("Unknown configuration '%s'", name))
	}
	if k.Type != t {
		panic(fmt.Sprintf("configdef: %s is %s, not %s", name, k.Type, t))
	}
	val := v.values[name]
	if val == nil {
		return zero
	}
	return val.(T)
}

// String returns a STRING value ("" for null).
func (v *Values) String(name string) string { return typed[string](v, name, TypeString) }

// Int returns an INT value (0 for null).
func (v *Values) Int(name string) int32 { return typed[int32](v, name, TypeInt) }

// Short returns a SHORT value (0 for null).
func (v *Values) Short(name string) int16 { return typed[int16](v, name, TypeShort) }

// Long returns a LONG value (0 for null).
func (v *Values) Long(name string) int64 { return typed[int64](v, name, TypeLong) }

// Double returns a DOUBLE value (0 for null).
func (v *Values) Double(name string) float64 { return typed[float64](v, name, TypeDouble) }

// Bool returns a BOOLEAN value (false for null).
func (v *Values) Bool(name string) bool { return typed[bool](v, name, TypeBoolean) }

// List returns a copy of a LIST value (nil for null).
func (v *Values) List(name string) []string {
	l := typed[[]string](v, name, TypeList)
	if l == nil {
		return nil
	}
	return append([]string{}, l...)
}

// Password returns a PASSWORD value; ok is false for null.
func (v *Values) Password(name string) (p Password, ok bool) {
	if v.IsNull(name) {
		return Password{}, false
	}
	return typed[Password](v, name, TypePassword), true
}

// Class returns a CLASS value: the class name as configured (trimmed), "" for null.
func (v *Values) Class(name string) string { return typed[string](v, name, TypeClass) }

// Raw returns the original, unparsed string given for name.
func (v *Values) Raw(name string) (string, bool) {
	s, ok := v.originals[name]
	return s, ok
}

// Originals returns a copy of every given property, defined or not.
func (v *Values) Originals() map[string]string { return maps.Clone(v.originals) }

// OriginalsWithPrefix returns the originals starting with prefix, with the
// prefix stripped (AbstractConfig.originalsWithPrefix).
func (v *Values) OriginalsWithPrefix(prefix string) map[string]string {
	out := map[string]string{}
	for k, val := range v.originals {
		if rest, ok := strings.CutPrefix(k, prefix); ok {
			out[rest] = val
		}
	}
	return out
}

// Parsed returns a copy of all parsed values keyed by name (AbstractConfig.values()).
func (v *Values) Parsed() map[string]any { return maps.Clone(v.values) }
