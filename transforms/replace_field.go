package transforms

import (
	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
)

// ReplaceField config keys. blacklist and whitelist are the deprecated
// names of exclude and include that Kafka 2.x/3.x still honour
// (ConfigUtils.translateDeprecatedConfigs); 4.0 removed them.
const (
	replaceFieldExclude   = "exclude"
	replaceFieldInclude   = "include"
	replaceFieldRenames   = "renames"
	replaceFieldBlacklist = "blacklist"
	replaceFieldWhitelist = "whitelist"

	replaceFieldPurpose = "field replacement"
)

var replaceFieldConfigDef = defineReplaceNullWithDefault(configdef.New().
	Define(configdef.Key{Name: replaceFieldExclude, Type: configdef.TypeList, Default: []string{}, Importance: configdef.Medium,
		Doc: "Fields to exclude. This takes precedence over the fields to include."}).
	Define(configdef.Key{Name: replaceFieldBlacklist, Type: configdef.TypeList, Default: nil, Importance: configdef.Low,
		Doc: "Deprecated. Use " + replaceFieldExclude + " instead."}).
	Define(configdef.Key{Name: replaceFieldInclude, Type: configdef.TypeList, Default: []string{}, Importance: configdef.Medium,
		Doc: "Fields to include. If specified, only these fields will be used."}).
	Define(configdef.Key{Name: replaceFieldWhitelist, Type: configdef.TypeList, Default: nil, Importance: configdef.Low,
		Doc: "Deprecated. Use " + replaceFieldInclude + " instead."}).
	Define(configdef.Key{Name: replaceFieldRenames, Type: configdef.TypeList, Default: []string{},
		Validator: configdef.Func(func(_ string, value any) error {
			l, _ := value.([]string)
			_, err := parseRenameMappings(l)
			return err
		}, "list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>"),
		Importance: configdef.Medium, Doc: "Field rename mappings."}))

// renameMap is a java.util.HashMap<String, String>: lookups plus Java's
// iteration order, which decides ties when inverting.
type renameMap struct{ m *data.Map }

func (r renameMap) get(k string) (string, bool) {
	v, ok := r.m.Get(k)
	if !ok {
		return "", false
	}
	return v.(string), true
}

// parseRenameMappings is ReplaceField.parseRenameMappings: each mapping
// must split on ':' (Java String.split, trailing empty parts dropped) into
// exactly two parts; later mappings of the same name win.
func parseRenameMappings(mappings []string) (renameMap, error) {
	m := data.NewMap(len(mappings))
	for _, mapping := range mappings {
		parts := javaSplit(mapping, ":")
		if len(parts) != 2 {
			return renameMap{}, configdef.NewConfigError(replaceFieldRenames, mappings, "Invalid rename mapping: "+mapping)
		}
		m.Put(parts[0], parts[1])
	}
	return renameMap{m}, nil
}

// invert is ReplaceField.invert: iterating the HashMap, so when two names
// are renamed to the same target the later one in Java iteration order wins.
func (r renameMap) invert() renameMap {
	inv := data.NewMap(r.m.Len())
	for _, i := range r.m.IterationOrder() {
		e := r.m.Entries[i]
		inv.Put(e.Value, e.Key)
	}
	return renameMap{inv}
}

// ReplaceField filters and renames fields of the key or value
// (org.apache.kafka.connect.transforms.ReplaceField$Key / $Value).
type ReplaceField struct {
	side side

	exclude, include       map[string]bool
	renames, reverse       renameMap
	replaceNullWithDefault bool

	cache *schemaCache
	noClose
}

// NewReplaceFieldKey returns ReplaceField$Key.
func NewReplaceFieldKey() *ReplaceField { return newReplaceField(keySide) }

// NewReplaceFieldValue returns ReplaceField$Value.
func NewReplaceFieldValue() *ReplaceField { return newReplaceField(valueSide) }

func newReplaceField(s side) *ReplaceField {
	empty := renameMap{data.NewMap(0)}
	return &ReplaceField{side: s, renames: empty, reverse: empty, cache: &schemaCache{}}
}

func replaceFieldPlugins() []Plugin {
	return []Plugin{
		{Class: classPrefix + "ReplaceField$Key", NewTransformation: func() Transformation { return NewReplaceFieldKey() }},
		{Class: classPrefix + "ReplaceField$Value", NewTransformation: func() Transformation { return NewReplaceFieldValue() }},
	}
}

// Config returns ReplaceField.CONFIG_DEF.
func (t *ReplaceField) Config() *configdef.Def { return replaceFieldConfigDef }

// Configure parses props.
func (t *ReplaceField) Configure(props map[string]string) error {
	v, err := parseConfig(replaceFieldConfigDef, translateDeprecated(props, [][2]string{
		{replaceFieldInclude, replaceFieldWhitelist}, {replaceFieldExclude, replaceFieldBlacklist}}))
	if err != nil {
		return err
	}
	toSet := func(l []string) map[string]bool {
		s := make(map[string]bool, len(l))
		for _, f := range l {
			s[f] = true
		}
		return s
	}
	t.exclude = toSet(v.List(replaceFieldExclude))
	t.include = toSet(v.List(replaceFieldInclude))
	if t.renames, err = parseRenameMappings(v.List(replaceFieldRenames)); err != nil {
		return err
	}
	t.reverse = t.renames.invert()
	t.replaceNullWithDefault = v.Bool(replaceNullWithDefaultConfig)
	t.cache = &schemaCache{}
	return nil
}

// filter: kept iff not excluded and (no include list or included).
func (t *ReplaceField) filter(name string) bool {
	return !t.exclude[name] && (len(t.include) == 0 || t.include[name])
}

func (t *ReplaceField) renamed(name string) string {
	if n, ok := t.renames.get(name); ok {
		return n
	}
	return name
}

func (t *ReplaceField) reverseRenamed(name string) string {
	if n, ok := t.reverse.get(name); ok {
		return n
	}
	return name
}

// Apply filters and renames; a null key/value passes unchanged.
func (t *ReplaceField) Apply(r *connectors.Record) (*connectors.Record, error) {
	value := t.side.value(r)
	if value == nil {
		return r, nil
	}
	if t.side.schema(r) == nil {
		return t.applySchemaless(r, value)
	}
	return t.applyWithSchema(r, value)
}

func (t *ReplaceField) applySchemaless(r *connectors.Record, value any) (*connectors.Record, error) {
	m, err := requireMap(value, replaceFieldPurpose)
	if err != nil {
		return nil, err
	}
	updated := data.NewMap(m.Len())
	for _, i := range m.IterationOrder() {
		e := m.Entries[i]
		// Map<String, Object>: Kafka casts every key to String.
		name, ok := e.Key.(string)
		if !ok {
			return nil, classCastError(e.Key, "java.lang.String")
		}
		if t.filter(name) {
			updated.Put(t.renamed(name), e.Value)
		}
	}
	return t.side.newRecord(r, nil, updated), nil
}

func (t *ReplaceField) applyWithSchema(r *connectors.Record, value any) (*connectors.Record, error) {
	s, err := requireStruct(value, replaceFieldPurpose)
	if err != nil {
		return nil, err
	}
	updatedSchema := t.cache.get(s.Schema())
	if updatedSchema == nil {
		if updatedSchema, err = t.makeUpdatedSchema(s.Schema()); err != nil {
			return nil, err
		}
		t.cache.put(s.Schema(), updatedSchema)
	}
	updated := data.NewStruct(updatedSchema)
	for _, f := range updatedSchema.Fields {
		fv, err := getField(s, t.reverseRenamed(f.Name), t.replaceNullWithDefault)
		if err != nil {
			return nil, err
		}
		if err := updated.Put(f.Name, fv); err != nil {
			return nil, err
		}
	}
	return t.side.newRecord(r, updatedSchema, updated), nil
}

func (t *ReplaceField) makeUpdatedSchema(schema *data.Schema) (*data.Schema, error) {
	b := copySchemaBasics(schema, data.TypeStruct)
	for _, f := range schema.Fields {
		if t.filter(f.Name) {
			b.Field(t.renamed(f.Name), f.Schema)
		}
	}
	return b.Build()
}

// translateDeprecated is ConfigUtils.translateDeprecatedConfigs for
// (target, deprecated) pairs: a set target wins and the deprecated key is
// dropped; otherwise the deprecated key's value moves to the target.
func translateDeprecated(props map[string]string, pairs [][2]string) map[string]string {
	out := make(map[string]string, len(props))
	for k, v := range props {
		out[k] = v
	}
	for _, p := range pairs {
		target, old := p[0], p[1]
		v, hasOld := out[old]
		if !hasOld {
			continue
		}
		delete(out, old)
		if _, hasTarget := out[target]; !hasTarget {
			out[target] = v
		}
	}
	return out
}
