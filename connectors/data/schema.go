// Package data is the Connect data model: schemas, structs, ordered maps and
// logical types, mirroring org.apache.kafka.connect.data. Converters,
// transforms and connectors all speak it.
//
// Go representation of Connect values (the contract every package relies on):
//
//	INT8 int8, INT16 int16, INT32 int32, INT64 int64
//	FLOAT32 float32, FLOAT64 float64, BOOLEAN bool, STRING string, BYTES []byte
//	ARRAY []any, MAP *Map (ordered, any key type), STRUCT *Struct
//	Decimal logical type: Decimal; Date, Time, Timestamp logical types: time.Time (UTC)
//
// Schemaless values use the same Go types; a schemaless JSON object is a *Map
// with string keys (Java HashMap semantics, insertion order kept so that Java
// HashMap iteration order can be reproduced when rendering).
package data

import "fmt"

// Type is a Connect schema type (Schema.Type in Java).
type Type int8

const (
	TypeInt8 Type = iota + 1
	TypeInt16
	TypeInt32
	TypeInt64
	TypeFloat32
	TypeFloat64
	TypeBoolean
	TypeString
	TypeBytes
	TypeArray
	TypeMap
	TypeStruct
)

var typeNames = [...]string{"", "INT8", "INT16", "INT32", "INT64", "FLOAT32", "FLOAT64", "BOOLEAN", "STRING", "BYTES", "ARRAY", "MAP", "STRUCT"}

// String returns the Java enum name (INT8, STRUCT, ...).
func (t Type) String() string {
	if t > 0 && int(t) < len(typeNames) {
		return typeNames[t]
	}
	return fmt.Sprintf("Type(%d)", int8(t))
}

// IsPrimitive reports whether the type is not ARRAY, MAP or STRUCT.
func (t Type) IsPrimitive() bool { return t >= TypeInt8 && t <= TypeBytes }

// Param is one schema parameter; parameters keep insertion order because the
// JSON schema envelope writes them in that order.
type Param struct{ Key, Value string }

// Field is a named, positioned member of a STRUCT schema.
type Field struct {
	Name   string
	Index  int
	Schema *Schema
}

// Schema mirrors ConnectSchema. A nil *Schema means "no schema" (schemaless).
// Schemas are treated as immutable once built and shared between records.
type Schema struct {
	Type     Type
	Optional bool
	Default  any // nil = no default
	Name     string
	Version  *int32
	Doc      string
	Params   []Param
	Key      *Schema // MAP keys
	Value    *Schema // MAP values and ARRAY items
	Fields   []Field // STRUCT
}
