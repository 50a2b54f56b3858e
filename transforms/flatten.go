package transforms

import (
	"errors"
	"strconv"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
)

const (
	flattenDelimiter        = "delimiter"
	flattenDelimiterDefault = "."
	flattenPurpose          = "flattening"
)

var flattenConfigDef = configdef.New().
	Define(configdef.Key{Name: flattenDelimiter, Type: configdef.TypeString, Default: flattenDelimiterDefault,
		Importance: configdef.Medium,
		Doc: "Delimiter to insert between field names from the input record when generating field names for the " +
			"output record"})

// Flatten flattens nested Structs (with a schema) or Maps (schemaless) into
// a single level, joining the names of nested fields with the delimiter
// (org.apache.kafka.connect.transforms.Flatten$Key / $Value).
type Flatten struct {
	side      side
	delimiter string
	cache     *schemaCache
	noClose
}

// NewFlattenKey returns Flatten$Key.
func NewFlattenKey() *Flatten { return &Flatten{side: keySide, delimiter: ".", cache: &schemaCache{}} }

// NewFlattenValue returns Flatten$Value.
func NewFlattenValue() *Flatten {
	return &Flatten{side: valueSide, delimiter: ".", cache: &schemaCache{}}
}

func flattenPlugins() []Plugin {
	return []Plugin{
		{Class: classPrefix + "Flatten$Key", NewTransformation: func() Transformation { return NewFlattenKey() }},
		{Class: classPrefix + "Flatten$Value", NewTransformation: func() Transformation { return NewFlattenValue() }},
	}
}

// Config returns Flatten.CONFIG_DEF.
func (t *Flatten) Config() *configdef.Def { return flattenConfigDef }

// Configure reads the delimiter.
func (t *Flatten) Configure(props map[string]string) error {
	v, err := parseConfig(flattenConfigDef, props)
	if err != nil {
		return err
	}
	t.delimiter = v.String(flattenDelimiter)
	t.cache = &schemaCache{}
	return nil
}

// Apply flattens the key or value; a null one passes unchanged.
func (t *Flatten) Apply(r *connectors.Record) (*connectors.Record, error) {
	value := t.side.value(r)
	if smtbIsNull(value) {
		return r, nil
	}
	if t.cache == nil {
		return nil, smtbErrNotConfigured
	}
	if t.side.schema(r) == nil {
		return t.applySchemaless(r, value)
	}
	return t.applyWithSchema(r, value)
}

// flattenName is a flattened field name: the key itself at the top level,
// else prefix + delimiter + key. A nil prefix or key is Java null: a null
// key concatenates as "null", a null prefix fails (NullPointerException).
func (t *Flatten) flattenName(prefix, key any) (any, error) {
	p, ok := prefix.(string)
	if !ok {
		return nil, errors.New(`Cannot invoke "String.isEmpty()" because "prefix" is null`)
	}
	if p == "" {
		return key, nil
	}
	k, _ := key.(string)
	if key == nil {
		k = "null"
	}
	return p + t.delimiter + k, nil
}

func (t *Flatten) applySchemaless(r *connectors.Record, value any) (*connectors.Record, error) {
	m, err := requireMap(value, flattenPurpose)
	if err != nil {
		return nil, err
	}
	out := &data.Map{Linked: true}
	if err := t.flattenMap(m, "", out); err != nil {
		return nil, err
	}
	return t.side.newRecord(r, nil, out), nil
}

// flattenMap copies the entries of m into out in m's iteration order: nulls,
// primitives and arrays as they are, nested maps flattened recursively.
func (t *Flatten) flattenMap(m *data.Map, prefix any, out *data.Map) error {
	for _, i := range m.IterationOrder() {
		e := m.Entries[i]
		// the keys of a Map<String, Object> are cast to String when read
		if _, ok := e.Key.(string); !ok && e.Key != nil {
			return classCastError(e.Key, "java.lang.String")
		}
		name, err := t.flattenName(prefix, e.Key)
		if err != nil {
			return err
		}
		if smtbIsNull(e.Value) {
			out.Put(name, nil)
			continue
		}
		typ, ok := data.InferSchemaType(e.Value)
		if !ok {
			return &data.DataError{Msg: "Flatten transformation was passed a value of type " + data.JavaClass(e.Value) +
				" which is not supported by Connect's data API"}
		}
		switch {
		case typ.IsPrimitive() || typ == data.TypeArray:
			out.Put(name, e.Value)
		case typ == data.TypeMap:
			if err := t.flattenMap(e.Value.(*data.Map), name, out); err != nil {
				return err
			}
		default:
			return &data.DataError{Msg: "Flatten transformation does not support " + data.JavaClass(e.Value) +
				" for record without schemas (for field " + data.JavaString(name) + ")."}
		}
	}
	return nil
}

func (t *Flatten) applyWithSchema(r *connectors.Record, value any) (*connectors.Record, error) {
	s, err := requireStruct(value, flattenPurpose)
	if err != nil {
		return nil, err
	}
	schema := s.Schema()
	updated := t.cache.get(schema)
	if updated == nil {
		builder := copySchemaBasics(schema, data.TypeStruct)
		var parentDefault *data.Struct
		if schema.Default != nil {
			d, ok := schema.Default.(*data.Struct)
			if !ok {
				return nil, classCastError(schema.Default, "org.apache.kafka.connect.data.Struct")
			}
			parentDefault = d
		}
		if err := t.buildUpdatedSchema(schema, "", builder, schema.Optional, parentDefault); err != nil {
			return nil, err
		}
		if updated, err = builder.Build(); err != nil {
			return nil, err
		}
		t.cache.put(schema, updated)
	}
	out := data.NewStruct(updated)
	if err := t.buildWithSchema(s, "", out); err != nil {
		return nil, err
	}
	return t.side.newRecord(r, updated, out), nil
}

// flattenFieldName is flattenName for struct fields, whose names are never
// null.
func (t *Flatten) flattenFieldName(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + t.delimiter + name
}

// buildUpdatedSchema adds the flattened fields of schema to b. A flattened
// field is optional when it or any ancestor struct is optional; its default
// is its own, else the value of the field in the ancestors' default struct.
func (t *Flatten) buildUpdatedSchema(schema *data.Schema, prefix string, b *data.SchemaBuilder, optional bool, parentDefault *data.Struct) error {
	for i := range schema.Fields {
		f := &schema.Fields[i]
		name := t.flattenFieldName(prefix, f.Name)
		fieldOptional := optional || f.Schema.Optional
		var fieldDefault any
		if f.Schema.Default != nil {
			fieldDefault = f.Schema.Default
		} else if parentDefault != nil {
			// Struct.get(Field) reads by position
			if n := len(parentDefault.Schema().Fields); f.Index >= n {
				return errors.New("Index " + strconv.Itoa(f.Index) + " out of bounds for length " + strconv.Itoa(n))
			}
			fieldDefault = parentDefault.GetField(f)
		}
		switch {
		case f.Schema.Type.IsPrimitive() || f.Schema.Type == data.TypeArray:
			fs := copySchemaBasics(f.Schema, f.Schema.Type)
			if fieldOptional {
				fs.Optional()
			}
			if fieldDefault != nil {
				fs.Default(fieldDefault)
			}
			built, err := fs.Build()
			if err != nil {
				return err
			}
			b.Field(name, built)
		case f.Schema.Type == data.TypeStruct:
			var sub *data.Struct
			if fieldDefault != nil {
				d, ok := fieldDefault.(*data.Struct)
				if !ok {
					return classCastError(fieldDefault, "org.apache.kafka.connect.data.Struct")
				}
				sub = d
			}
			if err := t.buildUpdatedSchema(f.Schema, name, b, fieldOptional, sub); err != nil {
				return err
			}
		default:
			return flattenUnsupportedWithSchema(f.Schema.Type, name)
		}
	}
	return nil
}

// buildWithSchema copies the leaf values of s (defaults applied) into out
// under their flattened names; a null nested struct contributes nothing.
func (t *Flatten) buildWithSchema(s *data.Struct, prefix string, out *data.Struct) error {
	if s == nil {
		return nil
	}
	schema := s.Schema()
	for i := range schema.Fields {
		f := &schema.Fields[i]
		name := t.flattenFieldName(prefix, f.Name)
		switch {
		case f.Schema.Type.IsPrimitive() || f.Schema.Type == data.TypeArray:
			if err := out.Put(name, s.GetField(f)); err != nil {
				return err
			}
		case f.Schema.Type == data.TypeStruct:
			v := s.GetField(f)
			sub, ok := v.(*data.Struct)
			if !ok && v != nil {
				return classCastError(v, "org.apache.kafka.connect.data.Struct")
			}
			if err := t.buildWithSchema(sub, name, out); err != nil {
				return err
			}
		default:
			return flattenUnsupportedWithSchema(f.Schema.Type, name)
		}
	}
	return nil
}

func flattenUnsupportedWithSchema(typ data.Type, field string) error {
	return &data.DataError{Msg: "Flatten transformation does not support " + typ.String() +
		" for record with schemas (for field " + field + ")."}
}
