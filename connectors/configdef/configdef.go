// Package configdef declares and validates configuration keys the way Kafka's
// org.apache.kafka.common.config.ConfigDef does: typed keys with defaults,
// validators, trimming and list splitting, and Kafka's exact error messages.
package configdef

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

// Importance is ConfigDef.Importance.
type Importance int

const (
	High Importance = iota + 1
	Medium
	Low
)

// Width is ConfigDef.Width.
type Width int

const (
	WidthNone Width = iota
	WidthShort
	WidthMedium
	WidthLong
)

// NoDefault marks a required key (ConfigDef.NO_DEFAULT_VALUE).
var NoDefault = noDefault{}

type noDefault struct{}

// Validator checks a parsed value; the returned error's message is used
// verbatim after "Invalid value <v> for configuration <name>: ".
type Validator interface {
	Validate(name string, value any) error
	String() string // shown in the validate endpoint's documentation
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
}

// Def is an ordered set of keys (ConfigDef).
type Def struct {
	keys  []Key
	index map[string]int
}
