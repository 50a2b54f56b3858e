package data

// NewStruct returns an empty Struct for a STRUCT schema. A non-struct schema
// yields a Struct whose every Put fails (Kafka throws "Not a struct schema"
// from the constructor; we keep NewStruct error-free and report it on use).
func NewStruct(schema *Schema) *Struct {
	n := 0
	if schema != nil {
		n = len(schema.Fields)
	}
	return &Struct{schema: schema, values: make([]any, n)}
}

// Schema returns the struct's schema.
func (s *Struct) Schema() *Schema { return s.schema }

func (s *Struct) lookup(name string) (*Field, error) {
	if s.schema == nil || s.schema.Type != TypeStruct {
		return nil, dataErr("Not a struct schema: %s", s.schema)
	}
	f := s.schema.Field(name)
	if f == nil {
		return nil, dataErr("%s is not a valid field name", name)
	}
	return f, nil
}

// Put validates v against the field's schema and stores it (Struct.put).
func (s *Struct) Put(field string, v any) error {
	f, err := s.lookup(field)
	if err != nil {
		return err
	}
	if err := validateFieldValue(f, v); err != nil {
		return err
	}
	s.values[f.Index] = v
	return nil
}

// MustPut is Put for values known to be valid (tests, fixtures); it panics on error.
func (s *Struct) MustPut(field string, v any) *Struct {
	if err := s.Put(field, v); err != nil {
		panic(err)
	}
	return s
}

// PutField stores v at field f without looking it up by name.
func (s *Struct) PutField(f *Field, v any) error {
	if f == nil {
		return dataErr("field cannot be null.")
	}
	if f.Index < 0 || f.Index >= len(s.values) {
		return dataErr("%s is not a valid field name", f.Name)
	}
	if err := validateFieldValue(f, v); err != nil {
		return err
	}
	s.values[f.Index] = v
	return nil
}

// Get returns the field value, or the field schema's default when unset
// (Struct.get). Unknown names return (nil, error).
func (s *Struct) Get(field string) (any, error) {
	f, err := s.lookup(field)
	if err != nil {
		return nil, err
	}
	return s.GetField(f), nil
}

// GetField is Get for a field of this struct's schema.
func (s *Struct) GetField(f *Field) any {
	v := s.values[f.Index]
	if v == nil && f.Schema != nil {
		return f.Schema.Default
	}
	return v
}

// GetWithoutDefault returns the stored value, ignoring defaults.
func (s *Struct) GetWithoutDefault(field string) (any, error) {
	f, err := s.lookup(field)
	if err != nil {
		return nil, err
	}
	return s.values[f.Index], nil
}

// Value returns the stored value of the field at index i (no default).
func (s *Struct) Value(i int) any { return s.values[i] }

// Validate checks every field (Struct.validate): a null is only accepted for
// optional fields or fields with a default.
func (s *Struct) Validate() error {
	if s.schema == nil || s.schema.Type != TypeStruct {
		return dataErr("Not a struct schema: %s", s.schema)
	}
	for i := range s.schema.Fields {
		f := &s.schema.Fields[i]
		v := s.values[f.Index]
		if v == nil && (f.Schema.Optional || f.Schema.Default != nil) {
			continue
		}
		if err := validateFieldValue(f, v); err != nil {
			return err
		}
	}
	return nil
}

// Equal is Struct.equals: equal schemas and deep-equal values.
func (s *Struct) Equal(o *Struct) bool {
	if s == o {
		return true
	}
	if s == nil || o == nil || !s.schema.Equal(o.schema) || len(s.values) != len(o.values) {
		return false
	}
	for i := range s.values {
		if !ValuesEqual(s.values[i], o.values[i]) {
			return false
		}
	}
	return true
}

// String is Struct.toString: Struct{a=1,b=x}, null fields omitted.
func (s *Struct) String() string { return JavaString(s) }

// validateFieldValue skips building the "field: ..." location text for the
// common valid primitive case.
func validateFieldValue(f *Field, v any) error {
	if f.Schema != nil && v != nil && f.Schema.Name == "" && f.Schema.Type.IsPrimitive() {
		if t, ok := InferSchemaType(v); ok && t == f.Schema.Type {
			return nil
		}
	}
	return validateValue(f.Schema, v, "field: \""+f.Name+"\"")
}
