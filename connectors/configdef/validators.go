package configdef

import (
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// rangeValidator is ConfigDef.Range.
type rangeValidator struct {
	min, max any // Java Numbers; nil = unbounded
}

// AtLeast is Range.atLeast(min); min is any Go number. Its Java type shows in
// messages: integers print as "1", float64 as "1.0".
func AtLeast(min any) Validator { return rangeValidator{min: min} }

// AtMost is Range.between(null, max) (Kafka has no named constructor).
func AtMost(max any) Validator { return rangeValidator{max: max} }

// Between is Range.between(min, max).
func Between(min, max any) Validator { return rangeValidator{min: min, max: max} }

func (r rangeValidator) Validate(name string, value any) error {
	if value == nil {
		return errors.New("Value must be non-null")
	}
	n, ok := toFloat64(value)
	if !ok {
		return errors.New("Value must be a number")
	}
	if r.min != nil {
		if m, _ := toFloat64(r.min); n < m {
			return errors.New("Value must be at least " + JavaString(r.min))
		}
	}
	if r.max != nil {
		if m, _ := toFloat64(r.max); n > m {
			return errors.New("Value must be no more than " + JavaString(r.max))
		}
	}
	return nil
}

func (r rangeValidator) String() string {
	switch {
	case r.min == nil:
		return "[...," + JavaString(r.max) + "]"
	case r.max == nil:
		return "[" + JavaString(r.min) + ",...]"
	}
	return "[" + JavaString(r.min) + ",...," + JavaString(r.max) + "]"
}

// validString is ConfigDef.ValidString (case-sensitive).
type validString struct{ valid []string }

// In is ValidString.in(...): the value must be one of valid, case-sensitively.
func In(valid ...string) Validator { return validString{valid: slices.Clone(valid)} }

func (v validString) Validate(name string, value any) error {
	s, ok := value.(string)
	if !ok || !slices.Contains(v.valid, s) {
		return errors.New("String must be one of: " + strings.Join(v.valid, ", "))
	}
	return nil
}

func (v validString) String() string { return "[" + strings.Join(v.valid, ", ") + "]" }

// validList is ConfigDef.ValidList: every element must be one of valid.
type validList struct{ vs validString }

// ListIn is ValidList.in(...).
func ListIn(valid ...string) Validator { return validList{validString{valid: slices.Clone(valid)}} }

func (v validList) Validate(name string, value any) error {
	l, _ := value.([]string)
	for _, s := range l {
		if err := v.vs.Validate(name, s); err != nil {
			// Kafka reports the offending element, not the list.
			return NewConfigError(name, s, err.Error())
		}
	}
	return nil
}

func (v validList) String() string { return v.vs.String() }

// caseInsensitive is ConfigDef.CaseInsensitiveValidString.
type caseInsensitive struct{ upper []string }

// CaseInsensitiveIn is CaseInsensitiveValidString.in(...). Kafka keeps the
// choices upper-cased in a HashSet, and messages list them in that set's
// iteration order, which is reproduced here.
func CaseInsensitiveIn(valid ...string) Validator {
	up := make([]string, len(valid))
	for i, s := range valid {
		up[i] = strings.ToUpper(s)
	}
	return caseInsensitive{upper: javaHashSetOrder(up)}
}

func (c caseInsensitive) Validate(name string, value any) error {
	s, ok := value.(string)
	if !ok || !slices.Contains(c.upper, strings.ToUpper(s)) {
		return errors.New("String must be one of (case insensitive): " + strings.Join(c.upper, ", "))
	}
	return nil
}

func (c caseInsensitive) String() string {
	return "(case insensitive) [" + strings.Join(c.upper, ", ") + "]"
}

type nonEmptyString struct{}

// NonEmptyString is ConfigDef.NonEmptyString (null is allowed).
func NonEmptyString() Validator { return nonEmptyString{} }

func (nonEmptyString) Validate(name string, value any) error {
	if s, ok := value.(string); ok && s == "" {
		return errors.New("String must be non-empty")
	}
	return nil
}

func (nonEmptyString) String() string { return "non-empty string" }

type nonEmptyNoControl struct{}

// NonEmptyStringWithoutControlChars is ConfigDef.NonEmptyStringWithoutControlChars
// (null is allowed: a missing required key is reported separately).
func NonEmptyStringWithoutControlChars() Validator { return nonEmptyNoControl{} }

func (nonEmptyNoControl) Validate(name string, value any) error {
	s, ok := value.(string)
	if !ok {
		return nil
	}
	if s == "" {
		return errors.New("String may not be empty")
	}
	var found []string
	for _, r := range s {
		if isISOControl(r) {
			found = append(found, strconv.Itoa(int(r)))
		}
	}
	if len(found) > 0 {
		return errors.New("String may not contain control sequences but had the following ASCII chars: " + strings.Join(found, ", "))
	}
	return nil
}

func (nonEmptyNoControl) String() string { return "non-empty string without ISO control characters" }

type nonNull struct{}

// NonNull is ConfigDef.NonNullValidator.
func NonNull() Validator { return nonNull{} }

// NonNullList is NonNull under the name used for LIST keys.
func NonNullList() Validator { return nonNull{} }

func (nonNull) Validate(name string, value any) error {
	if value == nil {
		return NewConfigError(name, "null", "entry must be non null")
	}
	return nil
}

func (nonNull) String() string { return "non-null string" }

// uniqueList rejects duplicate list entries (ConnectorConfig's alias checks).
type uniqueList struct{ desc string }

// UniqueList rejects lists with duplicates with Kafka's "Duplicate alias
// provided."; desc is the String() form, e.g. "unique transformation aliases".
// Kafka combines it with NonNull: Composite(NonNull(), UniqueList(desc)).
func UniqueList(desc string) Validator { return uniqueList{desc: desc} }

func (u uniqueList) Validate(name string, value any) error {
	l, _ := value.([]string)
	seen := make(map[string]bool, len(l))
	for _, s := range l {
		if seen[s] {
			return errors.New("Duplicate alias provided.")
		}
		seen[s] = true
	}
	return nil
}

func (u uniqueList) String() string { return u.desc }

// regexValidator is Connect's RegexValidator.
type regexValidator struct{ compile func(string) error }

// Regex is org.apache.kafka.connect.util.RegexValidator: "Invalid regex: <cause>".
// It compiles with Go's regexp (RE2): Java-only constructs (lookaround,
// backreferences, possessive quantifiers) are rejected and the cause text
// is Go's, not java.util.regex's. RegexWith plugs in another compiler.
func Regex() Validator {
	return regexValidator{compile: func(s string) error { _, err := regexp.Compile(s); return err }}
}

// RegexWith is Regex with a custom compiler (e.g. a Java-regex translator).
func RegexWith(compile func(string) error) Validator { return regexValidator{compile: compile} }

func (r regexValidator) Validate(name string, value any) error {
	s, ok := value.(string)
	if !ok {
		return errors.New("Invalid regex: null")
	}
	if err := r.compile(s); err != nil {
		return errors.New("Invalid regex: " + err.Error())
	}
	return nil
}

func (regexValidator) String() string { return "valid regex" }

type composite []Validator

// Composite is CompositeValidator.of(...): the first failure wins.
func Composite(vs ...Validator) Validator { return composite(slices.Clone(vs)) }

func (c composite) Validate(name string, value any) error {
	for _, v := range c {
		if err := v.Validate(name, value); err != nil {
			return asConfigError(name, value, err)
		}
	}
	return nil
}

func (c composite) String() string {
	parts := make([]string, len(c))
	for i, v := range c {
		parts[i] = v.String()
	}
	return strings.Join(parts, ", ")
}

type lambda struct {
	fn   func(name string, value any) error
	desc string
}

// Func is LambdaValidator.with(fn, toString).
func Func(fn func(name string, value any) error, desc string) Validator {
	return lambda{fn: fn, desc: desc}
}

func (l lambda) Validate(name string, value any) error { return l.fn(name, value) }
func (l lambda) String() string                        { return l.desc }
