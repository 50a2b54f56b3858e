package transforms

import (
	"errors"
	"strings"
	"sync"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
)

// Package prefixes of Kafka's class names.
const (
	classPrefix          = "org.apache.kafka.connect.transforms."
	predicateClassPrefix = "org.apache.kafka.connect.transforms.predicates."
)

// side selects the part of a record a $Key or $Value variant operates on.
type side bool

const (
	keySide   side = true
	valueSide side = false
)

func (s side) schema(r *connectors.Record) *data.Schema {
	if s == keySide {
		return r.KeySchema
	}
	return r.ValueSchema
}

func (s side) value(r *connectors.Record) any {
	if s == keySide {
		return r.Key
	}
	return r.Value
}

// newRecord rebuilds r with a new key or value (ConnectRecord.newRecord),
// keeping topic, partition, timestamp and a copy of the headers.
func (s side) newRecord(r *connectors.Record, schema *data.Schema, value any) *connectors.Record {
	if s == keySide {
		return r.NewRecord(r.Topic, r.Partition, schema, value, r.ValueSchema, r.Value)
	}
	return r.NewRecord(r.Topic, r.Partition, r.KeySchema, r.Key, schema, value)
}

// sideClass is the FQCN suffix of a variant: "$Key" or "$Value".
func (s side) sideClass() string {
	if s == keySide {
		return "$Key"
	}
	return "$Value"
}

// Requirements (org.apache.kafka.connect.transforms.util.Requirements).

func requireSchema(schema *data.Schema, purpose string) error {
	if schema == nil {
		return &data.DataError{Msg: "Schema required for [" + purpose + "]"}
	}
	return nil
}

func requireMap(v any, purpose string) (*data.Map, error) {
	m, ok := v.(*data.Map)
	if !ok || m == nil {
		return nil, &data.DataError{Msg: "Only Map objects supported in absence of schema for [" + purpose + "], found: " + nullSafeClassName(v)}
	}
	return m, nil
}

func requireStruct(v any, purpose string) (*data.Struct, error) {
	s, ok := v.(*data.Struct)
	if !ok || s == nil {
		return nil, &data.DataError{Msg: "Only Struct objects supported for [" + purpose + "], found: " + nullSafeClassName(v)}
	}
	return s, nil
}

func requireSinkRecord(r *connectors.Record, purpose string) error {
	if !r.Sink {
		return &data.DataError{Msg: "Only SinkRecord supported for [" + purpose + "], found: " + recordClassName(r)}
	}
	return nil
}

func nullSafeClassName(v any) string {
	switch x := v.(type) {
	case *data.Map:
		if x == nil {
			return "null"
		}
	case *data.Struct:
		if x == nil {
			return "null"
		}
	}
	return data.JavaClassName(v)
}

func recordClassName(r *connectors.Record) string {
	if r.Sink {
		return "org.apache.kafka.connect.sink.SinkRecord"
	}
	return "org.apache.kafka.connect.source.SourceRecord"
}

// copySchemaBasics starts a builder of the given type with the name,
// version, doc and parameters of src (SchemaUtil.copySchemaBasics); the
// result is required unless the caller says otherwise.
//
// For src's own type, ARRAY and MAP builders keep src's element schemas
// (SchemaUtil.copySchemaBasics(Schema)).
func copySchemaBasics(src *data.Schema, t data.Type) *data.SchemaBuilder {
	var b *data.SchemaBuilder
	switch {
	case t == src.Type && t == data.TypeArray:
		b = data.ArrayBuilder(src.Value)
	case t == src.Type && t == data.TypeMap:
		b = data.MapBuilder(src.Key, src.Value)
	default:
		b = data.NewSchemaBuilder(t)
	}
	b.Name(src.Name).Doc(src.Doc)
	if src.Version != nil {
		b.Version(*src.Version)
	}
	for _, p := range src.Params {
		b.Parameter(p.Key, p.Value)
	}
	return b
}

// getField reads a struct field honouring replace.null.with.default:
// Struct.get (null becomes the field default) or getWithoutDefault.
func getField(s *data.Struct, name string, replaceNullWithDefault bool) (any, error) {
	if replaceNullWithDefault {
		return s.Get(name)
	}
	return s.GetWithoutDefault(name)
}

// schemaCache maps input schemas to derived output schemas
// (SynchronizedCache(LRUCache(16)) in Kafka). Keyed by identity: schemas are
// immutable and shared between records of one stream, and equal schemas
// derive equal results anyway.
type schemaCache struct {
	mu      sync.Mutex
	entries []schemaCacheEntry // most recently used last
}

type schemaCacheEntry struct{ in, out *data.Schema }

const schemaCacheSize = 16

func (c *schemaCache) get(in *data.Schema) *data.Schema {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := len(c.entries) - 1; i >= 0; i-- {
		if e := c.entries[i]; e.in == in {
			if i != len(c.entries)-1 {
				copy(c.entries[i:], c.entries[i+1:])
				c.entries[len(c.entries)-1] = e
			}
			return e.out
		}
	}
	return nil
}

func (c *schemaCache) put(in, out *data.Schema) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) == schemaCacheSize {
		copy(c.entries, c.entries[1:])
		c.entries = c.entries[:len(c.entries)-1]
	}
	c.entries = append(c.entries, schemaCacheEntry{in, out})
}

// Config-definition helpers shared by the SMTs.

const (
	replaceNullWithDefaultConfig = "replace.null.with.default"
	replaceNullWithDefaultDoc    = "Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used."
)

func defineReplaceNullWithDefault(d *configdef.Def) *configdef.Def {
	return d.Define(configdef.Key{Name: replaceNullWithDefaultConfig, Type: configdef.TypeBoolean, Default: true,
		Importance: configdef.Medium, Doc: replaceNullWithDefaultDoc})
}

// parseConfig parses props against def (SimpleConfig); the error is the
// ConfigException message Kafka throws from configure().
func parseConfig(def *configdef.Def, props map[string]string) (*configdef.Values, error) {
	v, err := def.Parse(props)
	if err != nil {
		if errs, ok := err.(*configdef.Errors); ok {
			return nil, &configdef.ConfigError{Msg: errs.First()}
		}
		return nil, err
	}
	return v, nil
}

// noClose is embedded by transforms and predicates that hold no resources.
type noClose struct{}

func (noClose) Close() error { return nil }

// Plugin is one built-in transformation or predicate class. Exactly one of
// NewTransformation and NewPredicate is set.
type Plugin struct {
	Class             string // Java FQCN, nested classes with '$'
	NewTransformation func() Transformation
	NewPredicate      func() Predicate
}

// nonEmptyList is transforms.util.NonEmptyListValidator:
// "Invalid value [] for configuration <name>: Empty list".
func nonEmptyList() configdef.Validator {
	return configdef.Func(func(name string, value any) error {
		if l, ok := value.([]string); !ok || len(l) == 0 {
			return configdef.NewConfigError(name, value, "Empty list")
		}
		return nil
	}, "non-empty list")
}

// classCastError is the ClassCastException a JDK 17 throws when v is cast
// to class target (a plain RuntimeException in Kafka, not a DataException).
func classCastError(v any, target string) error {
	from := data.JavaClassName(v)
	module := func(class string) string {
		if strings.HasPrefix(class, "java.") || strings.HasPrefix(class, "[") {
			return "in module java.base of loader 'bootstrap'"
		}
		return "in unnamed module of loader 'app'"
	}
	var detail string
	if module(from) == module(target) {
		detail = from + " and " + target + " are " + module(from)
	} else {
		detail = from + " is " + module(from) + "; " + target + " is " + module(target)
	}
	return errors.New("class " + from + " cannot be cast to class " + target + " (" + detail + ")")
}

// javaSplit is String.split for a separator without regex meaning: no
// match gives the whole string, otherwise trailing empty strings are
// removed (":" split on ":" gives no parts).
func javaSplit(s, sep string) []string {
	parts := strings.Split(s, sep)
	if len(parts) == 1 {
		return parts
	}
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}
