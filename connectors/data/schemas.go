package data

import (
	"fmt"
	"slices"
	"strconv"
)

// Predefined schemas (Schema.INT8_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA, ...).
// They are shared: never modify them.
var (
	Int8Schema    = &Schema{Type: TypeInt8}
	Int16Schema   = &Schema{Type: TypeInt16}
	Int32Schema   = &Schema{Type: TypeInt32}
	Int64Schema   = &Schema{Type: TypeInt64}
	Float32Schema = &Schema{Type: TypeFloat32}
	Float64Schema = &Schema{Type: TypeFloat64}
	BooleanSchema = &Schema{Type: TypeBoolean}
	StringSchema  = &Schema{Type: TypeString}
	BytesSchema   = &Schema{Type: TypeBytes}

	OptionalInt8Schema    = &Schema{Type: TypeInt8, Optional: true}
	OptionalInt16Schema   = &Schema{Type: TypeInt16, Optional: true}
	OptionalInt32Schema   = &Schema{Type: TypeInt32, Optional: true}
	OptionalInt64Schema   = &Schema{Type: TypeInt64, Optional: true}
	OptionalFloat32Schema = &Schema{Type: TypeFloat32, Optional: true}
	OptionalFloat64Schema = &Schema{Type: TypeFloat64, Optional: true}
	OptionalBooleanSchema = &Schema{Type: TypeBoolean, Optional: true}
	OptionalStringSchema  = &Schema{Type: TypeString, Optional: true}
	OptionalBytesSchema   = &Schema{Type: TypeBytes, Optional: true}
)

// PrimitiveSchema returns the shared predefined schema for a primitive type.
func PrimitiveSchema(t Type, optional bool) *Schema {
	switch t {
	case TypeInt8:
		return pick(optional, OptionalInt8Schema, Int8Schema)
	case TypeInt16:
		return pick(optional, OptionalInt16Schema, Int16Schema)
	case TypeInt32:
		return pick(optional, OptionalInt32Schema, Int32Schema)
	case TypeInt64:
		return pick(optional, OptionalInt64Schema, Int64Schema)
	case TypeFloat32:
		return pick(optional, OptionalFloat32Schema, Float32Schema)
	case TypeFloat64:
		return pick(optional, OptionalFloat64Schema, Float64Schema)
	case TypeBoolean:
		return pick(optional, OptionalBooleanSchema, BooleanSchema)
	case TypeString:
		return pick(optional, OptionalStringSchema, StringSchema)
	case TypeBytes:
		return pick(optional, OptionalBytesSchema, BytesSchema)
	}
	return nil
}

func pick(c bool, a, b *Schema) *Schema {
	if c {
		return a
	}
	return b
}

// ArrayOf returns a required ARRAY schema (SchemaBuilder.array(elem).build()).
func ArrayOf(elem *Schema) *Schema { return &Schema{Type: TypeArray, Value: elem} }

// MapOf returns a required MAP schema (SchemaBuilder.map(k, v).build()).
func MapOf(key, value *Schema) *Schema { return &Schema{Type: TypeMap, Key: key, Value: value} }

// NewStructSchema returns a required, unnamed STRUCT schema with the given
// fields in order; Field.Index is assigned here. Duplicate names panic, like
// SchemaBuilder.field throws; use a SchemaBuilder to get an error instead.
func NewStructSchema(fields ...Field) *Schema {
	b := NewSchemaBuilder(TypeStruct)
	for _, f := range fields {
		b.Field(f.Name, f.Schema)
	}
	return b.MustBuild()
}

// F is shorthand for a Field literal when calling NewStructSchema.
func F(name string, schema *Schema) Field { return Field{Name: name, Schema: schema} }

// Param returns the value of parameter key.
func (s *Schema) Param(key string) (string, bool) {
	if s == nil {
		return "", false
	}
	for _, p := range s.Params {
		if p.Key == key {
			return p.Value, true
		}
	}
	return "", false
}

// Field returns the STRUCT field called name, or nil (Schema.field(name)).
func (s *Schema) Field(name string) *Field {
	if s == nil {
		return nil
	}
	for i := range s.Fields {
		if s.Fields[i].Name == name {
			return &s.Fields[i]
		}
	}
	return nil
}

// IsOptional reports whether a nil value is allowed; a nil schema (schemaless)
// accepts anything.
func (s *Schema) IsOptional() bool { return s == nil || s.Optional }

// String renders like ConnectSchema.toString: Schema{NAME:TYPE} or Schema{TYPE}.
func (s *Schema) String() string {
	if s == nil {
		return "null"
	}
	if s.Name != "" {
		return "Schema{" + s.Name + ":" + s.Type.String() + "}"
	}
	return "Schema{" + s.Type.String() + "}"
}

// Equal implements ConnectSchema.equals: every attribute, recursively,
// parameters compared as a map. Nil and empty parameter lists are equal (Java
// distinguishes null from an empty map; we cannot tell them apart).
func (s *Schema) Equal(o *Schema) bool {
	if s == o {
		return true
	}
	if s == nil || o == nil {
		return false
	}
	if s.Type != o.Type || s.Optional != o.Optional || s.Name != o.Name || s.Doc != o.Doc {
		return false
	}
	if (s.Version == nil) != (o.Version == nil) || (s.Version != nil && *s.Version != *o.Version) {
		return false
	}
	if !paramsEqual(s.Params, o.Params) {
		return false
	}
	if len(s.Fields) != len(o.Fields) {
		return false
	}
	for i := range s.Fields {
		a, b := &s.Fields[i], &o.Fields[i]
		if a.Name != b.Name || a.Index != b.Index || !a.Schema.Equal(b.Schema) {
			return false
		}
	}
	if !s.Key.Equal(o.Key) || !s.Value.Equal(o.Value) {
		return false
	}
	return ValuesEqual(s.Default, o.Default)
}

func paramsEqual(a, b []Param) bool {
	if len(a) != len(b) {
		return false
	}
	for _, p := range a {
		v, ok := (&Schema{Params: b}).Param(p.Key)
		if !ok || v != p.Value {
			return false
		}
	}
	return true
}

// SchemaBuilder builds a Schema (org.apache.kafka.connect.data.SchemaBuilder).
// Errors (duplicate field, invalid default, field on a non-struct) are kept
// and reported by Build, so calls can be chained.
type SchemaBuilder struct {
	s   Schema
	err error
}

// NewSchemaBuilder starts a schema of type t.
func NewSchemaBuilder(t Type) *SchemaBuilder { return &SchemaBuilder{s: Schema{Type: t}} }

// ArrayBuilder starts an ARRAY schema of elem.
func ArrayBuilder(elem *Schema) *SchemaBuilder {
	return &SchemaBuilder{s: Schema{Type: TypeArray, Value: elem}}
}

// MapBuilder starts a MAP schema.
func MapBuilder(key, value *Schema) *SchemaBuilder {
	return &SchemaBuilder{s: Schema{Type: TypeMap, Key: key, Value: value}}
}

// StructBuilder starts a STRUCT schema.
func StructBuilder() *SchemaBuilder { return NewSchemaBuilder(TypeStruct) }

// From starts a builder copying every attribute of s (fields are shared).
func From(s *Schema) *SchemaBuilder {
	c := *s
	c.Params = slices.Clone(s.Params)
	c.Fields = slices.Clone(s.Fields)
	return &SchemaBuilder{s: c}
}

func (b *SchemaBuilder) fail(format string, args ...any) {
	if b.err == nil {
		b.err = &DataError{Msg: fmt.Sprintf(format, args...)}
	}
}

// Optional marks the schema optional.
func (b *SchemaBuilder) Optional() *SchemaBuilder { b.s.Optional = true; return b }

// Required marks the schema required (the default).
func (b *SchemaBuilder) Required() *SchemaBuilder { b.s.Optional = false; return b }

// Name sets the schema name.
func (b *SchemaBuilder) Name(n string) *SchemaBuilder { b.s.Name = n; return b }

// Version sets the schema version.
func (b *SchemaBuilder) Version(v int32) *SchemaBuilder { b.s.Version = &v; return b }

// Doc sets the documentation.
func (b *SchemaBuilder) Doc(d string) *SchemaBuilder { b.s.Doc = d; return b }

// Parameter sets a parameter, keeping first-insertion order.
func (b *SchemaBuilder) Parameter(k, v string) *SchemaBuilder {
	for i := range b.s.Params {
		if b.s.Params[i].Key == k {
			b.s.Params[i].Value = v
			return b
		}
	}
	b.s.Params = append(b.s.Params, Param{k, v})
	return b
}

// Default sets the default value; it is validated at Build (SchemaBuilder
// validates immediately and throws "Invalid default value").
func (b *SchemaBuilder) Default(v any) *SchemaBuilder { b.s.Default = v; return b }

// Field appends a STRUCT field.
func (b *SchemaBuilder) Field(name string, schema *Schema) *SchemaBuilder {
	if b.s.Type != TypeStruct {
		b.fail("Cannot create fields on type %s", b.s.Type)
		return b
	}
	if name == "" {
		b.fail("fieldName cannot be null.")
		return b
	}
	if schema == nil {
		b.fail("fieldSchema for field %s cannot be null.", name)
		return b
	}
	if b.s.Field(name) != nil {
		b.fail("Cannot create field because of field name duplication %s", name)
		return b
	}
	b.s.Fields = append(b.s.Fields, Field{Name: name, Index: len(b.s.Fields), Schema: schema})
	return b
}

// Build returns the schema or the first error met while building.
func (b *SchemaBuilder) Build() (*Schema, error) {
	if b.err != nil {
		return nil, b.err
	}
	s := b.s
	if s.Default != nil {
		if err := ValidateValue(&s, s.Default); err != nil {
			return nil, &DataError{Msg: "Invalid default value", Cause: err}
		}
	}
	return &s, nil
}

// MustBuild is Build for schemas known to be valid; it panics on error.
func (b *SchemaBuilder) MustBuild() *Schema {
	s, err := b.Build()
	if err != nil {
		panic(err)
	}
	return s
}

// Logical type names and the Decimal scale parameter.
const (
	DecimalName      = "org.apache.kafka.connect.data.Decimal"
	DateName         = "org.apache.kafka.connect.data.Date"
	TimeName         = "org.apache.kafka.connect.data.Time"
	TimestampName    = "org.apache.kafka.connect.data.Timestamp"
	DecimalScaleProp = "scale"
)

var one = int32(1)

// DecimalBuilder mirrors Decimal.builder(scale).
func DecimalBuilder(scale int) *SchemaBuilder {
	return NewSchemaBuilder(TypeBytes).Name(DecimalName).Parameter(DecimalScaleProp, strconv.Itoa(scale)).Version(1)
}

// DecimalSchema mirrors Decimal.schema(scale).
func DecimalSchema(scale int) *Schema { return DecimalBuilder(scale).MustBuild() }

// OptionalDecimalSchema is DecimalSchema(scale) made optional.
func OptionalDecimalSchema(scale int) *Schema { return DecimalBuilder(scale).Optional().MustBuild() }

// Date, Time and Timestamp schemas (Date.SCHEMA, ...) and optional variants.
var (
	DateSchema              = &Schema{Type: TypeInt32, Name: DateName, Version: &one}
	TimeSchema              = &Schema{Type: TypeInt32, Name: TimeName, Version: &one}
	TimestampSchema         = &Schema{Type: TypeInt64, Name: TimestampName, Version: &one}
	OptionalDateSchema      = &Schema{Type: TypeInt32, Name: DateName, Version: &one, Optional: true}
	OptionalTimeSchema      = &Schema{Type: TypeInt32, Name: TimeName, Version: &one, Optional: true}
	OptionalTimestampSchema = &Schema{Type: TypeInt64, Name: TimestampName, Version: &one, Optional: true}
)

// DateBuilder, TimeBuilder and TimestampBuilder mirror Date.builder() etc.
func DateBuilder() *SchemaBuilder { return NewSchemaBuilder(TypeInt32).Name(DateName).Version(1) }

// TimeBuilder mirrors Time.builder().
func TimeBuilder() *SchemaBuilder { return NewSchemaBuilder(TypeInt32).Name(TimeName).Version(1) }

// TimestampBuilder mirrors Timestamp.builder().
func TimestampBuilder() *SchemaBuilder {
	return NewSchemaBuilder(TypeInt64).Name(TimestampName).Version(1)
}
