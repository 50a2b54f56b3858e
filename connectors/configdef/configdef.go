// Package configdef declares and validates configuration keys the way Kafka's
// org.apache.kafka.common.config.ConfigDef does: typed keys with defaults,
// validators, trimming and list splitting, and Kafka's exact error messages.
//
// Parsed values have these Go types (nil = Java null):
//
//	BOOLEAN  bool        STRING  string     INT   int32     SHORT int16
//	LONG     int64       DOUBLE  float64    LIST  []string
//	CLASS    string (the class name as given, trimmed; resolving it is the plugin registry's job)
//	PASSWORD Password
//
// Key.Default may be given either in that Go type (int and other integer
// kinds are converted) or as a string, which is parsed like a user value —
// as Kafka parses defaults at define time.
package configdef

import (
	"fmt"
	"slices"
	"strconv"
)

// Type is a ConfigDef.Type.
type Type int

const (
	TypeBoolean Type = iota + 1
	TypeString
	TypeInt
	TypeShort
	TypeLong
	TypeDouble
	TypeList
	TypeClass
	TypePassword
)

var typeNames = [...]string{"", "BOOLEAN", "STRING", "INT", "SHORT", "LONG", "DOUBLE", "LIST", "CLASS", "PASSWORD"}

// String is the Java enum name (BOOLEAN, STRING, ...), used in messages and
// in the REST config-definition JSON.
func (t Type) String() string {
	if t > 0 && int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "Type(" + strconv.Itoa(int(t)) + ")"
}

// Importance is ConfigDef.Importance.
type Importance int

const (
	High Importance = iota + 1
	Medium
	Low
)

// String is the Java enum name (HIGH, MEDIUM, LOW).
func (i Importance) String() string {
	switch i {
	case High:
		return "HIGH"
	case Medium:
		return "MEDIUM"
	case Low:
		return "LOW"
	}
	return "Importance(" + strconv.Itoa(int(i)) + ")"
}

// Width is ConfigDef.Width.
type Width int

const (
	WidthNone Width = iota
	WidthShort
	WidthMedium
	WidthLong
)

// String is the Java enum name (NONE, SHORT, MEDIUM, LONG).
func (w Width) String() string {
	switch w {
	case WidthNone:
		return "NONE"
	case WidthShort:
		return "SHORT"
	case WidthMedium:
		return "MEDIUM"
	case WidthLong:
		return "LONG"
	}
	return "Width(" + strconv.Itoa(int(w)) + ")"
}

// NoDefault marks a required key (ConfigDef.NO_DEFAULT_VALUE).
var NoDefault = noDefault{}

type noDefault struct{}

// Validator checks a parsed value; the returned error's message is used
// verbatim after "Invalid value <v> for configuration <name>: ".
// A validator that needs to control the whole message (another value or
// name, as Kafka's ValidList and embedded validators do) returns a
// *ConfigError, which is used as is.
type Validator interface {
	Validate(name string, value any) error
	String() string // shown in the validate endpoint's documentation
}

// Recommender is ConfigDef.Recommender: valid values and visibility of a key
// given the other parsed values. Used by Validate only.
type Recommender interface {
	ValidValues(name string, parsed map[string]any) ([]any, error)
	Visible(name string, parsed map[string]any) (bool, error)
}

// Key is one configuration key (ConfigDef.ConfigKey).
type Key struct {
	Name         string
	Type         Type
	Default      any // NoDefault for required keys; nil for a null default
	Validator    Validator
	Importance   Importance
	Doc          string
	Group        string
	OrderInGroup int
	Width        Width
	DisplayName  string
	Dependents   []string
	Recommender  Recommender
	// Internal keys are left out of generated documentation (ConfigKey.internalConfig).
	Internal bool
}

// HasDefault reports whether the key is optional.
func (k Key) HasDefault() bool {
	_, required := k.Default.(noDefault)
	return !required
}

// Def is an ordered set of keys (ConfigDef).
type Def struct {
	keys   []Key
	index  map[string]int
	groups []string
}

// New returns an empty Def.
func New() *Def {
	return &Def{index: map[string]int{}}
}

// Define adds a key and returns d for chaining. Like Kafka it panics when the
// name is already defined, the default does not parse, or the default fails
// the validator: all three are programming errors caught at init.
func (d *Def) Define(k Key) *Def {
	if d.index == nil {
		d.index = map[string]int{}
	}
	if _, dup := d.index[k.Name]; dup {
		panic(fmt.Sprintf("Configuration %s is defined twice.", k.Name))
	}
	if k.HasDefault() && k.Default != nil {
		v, err := normalizeDefault(k.Name, k.Default, k.Type)
		if err != nil {
			panic(err.Error())
		}
		k.Default = v
	}
	if k.HasDefault() && k.Validator != nil {
		if err := runValidator(k.Validator, k.Name, k.Default); err != nil {
			panic(err.Error())
		}
	}
	if k.Group != "" && !slices.Contains(d.groups, k.Group) {
		d.groups = append(d.groups, k.Group)
	}
	k.Dependents = slices.Clone(k.Dependents)
	d.index[k.Name] = len(d.keys)
	d.keys = append(d.keys, k)
	return d
}

// Keys returns the keys in definition order.
func (d *Def) Keys() []Key {
	return slices.Clone(d.keys)
}

// Names returns the key names in definition order.
func (d *Def) Names() []string {
	out := make([]string, len(d.keys))
	for i, k := range d.keys {
		out[i] = k.Name
	}
	return out
}

// Key returns the named key.
func (d *Def) Key(name string) (Key, bool) {
	i, ok := d.index[name]
	if !ok {
		return Key{}, false
	}
	return d.keys[i], true
}

// Groups returns the group names in order of first appearance (ConfigDef.groups()).
func (d *Def) Groups() []string {
	return slices.Clone(d.groups)
}

// Clone returns an independent copy, e.g. to enrich a base definition per
// connector as ConnectorConfig.enrich does with new ConfigDef(base).
func (d *Def) Clone() *Def {
	c := New()
	c.keys = slices.Clone(d.keys)
	c.groups = slices.Clone(d.groups)
	for k, v := range d.index {
		c.index[k] = v
	}
	return c
}

// Embed defines every key of child under keyPrefix (ConfigDef.embed), in the
// child's documentation order, with group groupPrefix[": "+child group] and
// orders from startingOrd. As in Kafka the embedded validators see the
// un-prefixed name, so their messages name the child's key.
func (d *Def) Embed(keyPrefix, groupPrefix string, startingOrd int, child *Def) *Def {
	ord := startingOrd
	for _, k := range child.sortedKeys() {
		nk := k
		nk.Name = keyPrefix + k.Name
		if k.Group == "" {
			nk.Group = groupPrefix
		} else {
			nk.Group = groupPrefix + ": " + k.Group
		}
		nk.OrderInGroup = ord
		ord++
		if k.Validator != nil {
			nk.Validator = embeddedValidator{prefix: keyPrefix, base: k.Validator}
		}
		nk.Dependents = nil
		for _, dep := range k.Dependents {
			nk.Dependents = append(nk.Dependents, keyPrefix+dep)
		}
		if k.Recommender != nil {
			nk.Recommender = embeddedRecommender{prefix: keyPrefix, base: k.Recommender}
		}
		d.Define(nk)
	}
	return d
}

// sortedKeys is ConfigDef.sortedConfigs: by group order, order in group,
// required first, importance, name.
func (d *Def) sortedKeys() []Key {
	groupOrd := map[string]int{}
	for i, g := range d.groups {
		groupOrd[g] = i
	}
	keys := slices.Clone(d.keys)
	slices.SortStableFunc(keys, func(a, b Key) int {
		var c int
		switch {
		case a.Group == "" && b.Group == "":
		case a.Group == "":
			c = -1
		case b.Group == "":
			c = 1
		default:
			c = groupOrd[a.Group] - groupOrd[b.Group]
		}
		if c != 0 {
			return c
		}
		if c = a.OrderInGroup - b.OrderInGroup; c != 0 {
			return c
		}
		if !a.HasDefault() && b.HasDefault() {
			return -1
		}
		if a.HasDefault() && !b.HasDefault() {
			return 1
		}
		if c = int(a.Importance) - int(b.Importance); c != 0 {
			return c
		}
		switch {
		case a.Name < b.Name:
			return -1
		case a.Name > b.Name:
			return 1
		}
		return 0
	})
	return keys
}

type embeddedValidator struct {
	prefix string
	base   Validator
}

func (e embeddedValidator) Validate(name string, value any) error {
	inner := name[len(e.prefix):]
	if err := e.base.Validate(inner, value); err != nil {
		return asConfigError(inner, value, err)
	}
	return nil
}

func (e embeddedValidator) String() string { return e.base.String() }

type embeddedRecommender struct {
	prefix string
	base   Recommender
}

func (e embeddedRecommender) unprefixed(parsed map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range parsed {
		if len(k) >= len(e.prefix) && k[:len(e.prefix)] == e.prefix {
			out[k[len(e.prefix):]] = v
		}
	}
	return out
}

func (e embeddedRecommender) ValidValues(name string, parsed map[string]any) ([]any, error) {
	return e.base.ValidValues(name[len(e.prefix):], e.unprefixed(parsed))
}

func (e embeddedRecommender) Visible(name string, parsed map[string]any) (bool, error) {
	return e.base.Visible(name[len(e.prefix):], e.unprefixed(parsed))
}

// Parse parses and validates props against d. Unknown keys are ignored (they
// stay in Originals). Unlike Kafka, which stops at the first problem, every
// key's first problem is collected into the returned *Errors, in definition
// order; Errors.First() is the message Kafka would have thrown.
func (d *Def) Parse(props map[string]string) (*Values, error) {
	vals := &Values{def: d, values: make(map[string]any, len(d.keys)), originals: make(map[string]string, len(props))}
	for k, v := range props {
		vals.originals[k] = v
	}
	var errs Errors
	for _, k := range d.keys {
		var value any
		if raw, set := props[k.Name]; set {
			v, err := parseType(k.Name, raw, k.Type)
			if err != nil {
				errs.List = append(errs.List, err)
				continue
			}
			value = v
		} else if !k.HasDefault() {
			errs.List = append(errs.List, missingError(k.Name))
			continue
		} else {
			value = k.Default
		}
		if k.Validator != nil {
			if err := runValidator(k.Validator, k.Name, value); err != nil {
				errs.List = append(errs.List, err)
				continue
			}
		}
		vals.values[k.Name] = value
	}
	if len(errs.List) > 0 {
		return nil, &errs
	}
	return vals, nil
}

// ConfigValue is the validation result for one key (org.apache.kafka.common.config.ConfigValue).
type ConfigValue struct {
	Name              string
	Value             any // parsed value; nil when unset without default or unparsable
	RecommendedValues []any
	Errors            []string
	Visible           bool
}

// Validate reports every key as ConfigDef.validateAll does, in definition
// order (followed by undefined dependents, which carry an error). Parse
// failures are followed by the validator's verdict on null, exactly as in
// Kafka (e.g. "Invalid value null ...: Value must be non-null").
func (d *Def) Validate(props map[string]string) []ConfigValue {
	out := make([]ConfigValue, 0, len(d.keys))
	parsed := make(map[string]any, len(d.keys))
	for _, k := range d.keys {
		cv := ConfigValue{Name: k.Name, Visible: true, RecommendedValues: []any{}, Errors: []string{}}
		var value any
		if raw, set := props[k.Name]; set {
			v, err := parseType(k.Name, raw, k.Type)
			if err != nil {
				cv.Errors = append(cv.Errors, err.Error())
			} else {
				value = v
			}
		} else if !k.HasDefault() {
			cv.Errors = append(cv.Errors, missingError(k.Name).Error())
		} else {
			value = k.Default
		}
		if k.Validator != nil {
			if err := runValidator(k.Validator, k.Name, value); err != nil {
				cv.Errors = append(cv.Errors, err.Error())
			}
		}
		cv.Value = value
		parsed[k.Name] = value
		out = append(out, cv)
	}
	for i, k := range d.keys {
		if k.Recommender == nil {
			continue
		}
		rec, err := k.Recommender.ValidValues(k.Name, parsed)
		if err == nil {
			var vis bool
			vis, err = k.Recommender.Visible(k.Name, parsed)
			if err == nil {
				if rec == nil {
					rec = []any{}
				}
				out[i].RecommendedValues = rec
				out[i].Visible = vis
			}
		}
		if err != nil {
			out[i].Errors = append(out[i].Errors, err.Error())
		}
	}
	var undefined []string
	for _, k := range d.keys {
		for _, dep := range k.Dependents {
			if _, ok := d.index[dep]; !ok && !slices.Contains(undefined, dep) {
				undefined = append(undefined, dep)
			}
		}
	}
	for _, u := range undefined {
		out = append(out, ConfigValue{Name: u, RecommendedValues: []any{},
			Errors: []string{u + " is referred in the dependents, but not defined."}})
	}
	return out
}

// ConvertToString renders a parsed value as ConfigDef.convertToString does
// (REST default_value and validation values): LIST comma-joined without
// spaces, CLASS as its canonical name ('$' becomes '.'), PASSWORD
// "[hidden]". ok is false for nil (Java null).
func ConvertToString(value any, t Type) (s string, ok bool) {
	if value == nil {
		return "", false
	}
	switch t {
	case TypeList:
		if l, isList := value.([]string); isList {
			return joinStrings(l, ","), true
		}
	case TypeClass:
		if c, isStr := value.(string); isStr {
			return canonicalClassName(c), true
		}
	}
	return JavaString(value), true
}

func canonicalClassName(c string) string {
	b := []byte(c)
	for i := range b {
		if b[i] == '$' {
			b[i] = '.'
		}
	}
	return string(b)
}

func joinStrings(l []string, sep string) string {
	n := 0
	for _, s := range l {
		n += len(s) + len(sep)
	}
	b := make([]byte, 0, n)
	for i, s := range l {
		if i > 0 {
			b = append(b, sep...)
		}
		b = append(b, s...)
	}
	return string(b)
}
