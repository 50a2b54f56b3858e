package data

import "time"

// ValidateValue checks that value may be used with schema
// (ConnectSchema.validateValue); messages are Kafka's. A nil schema accepts
// anything.
func ValidateValue(schema *Schema, value any) error {
	return validateValue(schema, value, "value")
}

// ValidateFieldValue is ValidateValue naming a struct field in messages.
func ValidateFieldValue(field string, schema *Schema, value any) error {
	return validateValue(schema, value, "field: \""+field+"\"")
}

func validateValue(schema *Schema, value any, location string) error {
	if schema == nil {
		return nil
	}
	if value == nil {
		if !schema.Optional {
			return dataErr("Invalid value: null used for required %s, schema type: %s", location, schema.Type)
		}
		return nil
	}
	if !classMatches(schema, value) {
		msg := "Invalid Java object for schema"
		if schema.Name != "" {
			msg += " \"" + schema.Name + "\""
		}
		msg += " with type " + schema.Type.String() + ": " + javaClass(value) + " for " + location
		return &DataError{Msg: msg}
	}
	// A logical name on a container type (e.g. a STRUCT named
	// org.apache.kafka.connect.data.Timestamp) passes the class check with
	// the logical type's class; Kafka then fails with a ClassCastException.
	castErr := func() error {
		return &DataError{Msg: "Invalid Java object for schema with type " + schema.Type.String() + ": " + javaClass(value) + " for " + location}
	}
	switch schema.Type {
	case TypeStruct:
		st, ok := value.(*Struct)
		if !ok {
			return castErr()
		}
		if !st.schema.Equal(schema) {
			return dataErr("Struct schemas do not match.")
		}
		return st.Validate()
	case TypeArray:
		loc := "element of array " + location
		if schema.Value == nil {
			return dataErr("No schema defined for %s", loc)
		}
		arr, ok := value.([]any)
		if !ok {
			return castErr()
		}
		for _, e := range arr {
			if err := validateValue(schema.Value, e, loc); err != nil {
				return err
			}
		}
	case TypeMap:
		kloc, vloc := "key of map "+location, "value of map "+location
		if schema.Key == nil {
			return dataErr("No schema defined for %s", kloc)
		}
		if schema.Value == nil {
			return dataErr("No schema defined for %s", vloc)
		}
		m, ok := value.(*Map)
		if !ok {
			return castErr()
		}
		if m == nil {
			return nil
		}
		for _, e := range m.Entries {
			if err := validateValue(schema.Key, e.Key, kloc); err != nil {
				return err
			}
			if err := validateValue(schema.Value, e.Value, vloc); err != nil {
				return err
			}
		}
	}
	return nil
}

// classMatches is the expectedClassesFor check: logical names first, then the
// schema type's Go representation.
func classMatches(schema *Schema, v any) bool {
	switch schema.Name {
	case DecimalName:
		_, ok := v.(Decimal)
		return ok
	case DateName, TimeName, TimestampName:
		_, ok := v.(time.Time)
		return ok
	}
	t, ok := InferSchemaType(v)
	if !ok {
		return false
	}
	if t == TypeStruct {
		// a typed nil *Struct is no Struct at all
		return schema.Type == t && v.(*Struct) != nil
	}
	return t == schema.Type
}

// InferSchemaType is ConnectSchema.schemaType(value.getClass()): the schema
// type whose Go representation v has. Logical values (Decimal, time.Time) have
// none, as in Kafka.
func InferSchemaType(v any) (Type, bool) {
	switch v.(type) {
	case int8:
		return TypeInt8, true
	case int16:
		return TypeInt16, true
	case int32:
		return TypeInt32, true
	case int64:
		return TypeInt64, true
	case float32:
		return TypeFloat32, true
	case float64:
		return TypeFloat64, true
	case bool:
		return TypeBoolean, true
	case string:
		return TypeString, true
	case []byte:
		return TypeBytes, true
	case []any:
		return TypeArray, true
	case *Map:
		return TypeMap, true
	case *Struct:
		return TypeStruct, true
	}
	return 0, false
}
