package field

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
)

// nestedPurpose is what Requirements report for a non-container step.
const nestedPurpose = "nested field access"

// SingleFieldPath is one or more field names (steps) addressing a value in a
// Struct or a schemaless Map (org.apache.kafka.connect.transforms.field.SingleFieldPath).
// It is immutable once built.
type SingleFieldPath struct {
	version SyntaxVersion
	steps   []string
}

// NewSingleFieldPath parses path with the given syntax. V1 keeps the whole
// text as one step; V2 splits it on dots, honouring backtick pairs (a
// backtick counts as closing only when followed by a dot or at the end, and
// "\`" before such a position escapes it). A trailing dot adds an empty last
// step and an empty V2 path has no steps. An unbalanced backtick gives
// Kafka's ConfigException.
func NewSingleFieldPath(path string, version SyntaxVersion) (*SingleFieldPath, error) {
	switch version {
	case V1:
		return &SingleFieldPath{version: V1, steps: []string{path}}, nil
	case V2:
		steps, err := parseV2(path)
		if err != nil {
			return nil, err
		}
		return &SingleFieldPath{version: V2, steps: steps}, nil
	}
	return nil, errors.New("Unknown syntax version: " + version.String())
}

const (
	backtick  = '`'
	dot       = '.'
	backslash = '\\'
)

func parseV2(path string) ([]string, error) {
	steps := []string{}
	idx := 0
	for idx < len(path) {
		if path[idx] != backtick {
			start := idx
			next := strings.IndexByte(path[idx:], dot)
			if next < 0 {
				steps = append(steps, path[start:])
				break
			}
			idx += next
			steps = append(steps, path[start:idx])
			idx++
			continue
		}
		backtickAt := idx
		idx++
		var field strings.Builder
		start := idx
		for {
			next := strings.IndexByte(path[idx:], backtick)
			if next < 0 {
				return nil, incompleteBacktickPair(path, backtickAt)
			}
			idx += next
			escaped := path[idx-1] == backslash
			if idx >= len(path)-1 {
				// the backtick ends the path: it closes the pair unless escaped
				if escaped {
					return nil, incompleteBacktickPair(path, backtickAt)
				}
				field.WriteString(path[start:idx])
				steps = append(steps, field.String())
				idx++
				break
			}
			if path[idx+1] != dot {
				// not followed by a dot: part of the name, keep looking
				idx++
				continue
			}
			if escaped {
				// "\`." is a literal backtick followed by a dot inside the name
				field.WriteString(path[start : idx-1])
				field.WriteByte(backtick)
				idx++
				start = idx
				continue
			}
			field.WriteString(path[start:idx])
			steps = append(steps, field.String())
			idx += 2 // the closing backtick and the dot after it
			break
		}
	}
	if path != "" && path[len(path)-1] == dot {
		steps = append(steps, "")
	}
	return steps, nil
}

// incompleteBacktickPair is Kafka's ConfigException; the position counts
// UTF-16 code units, as Java string indices do.
func incompleteBacktickPair(path string, backtickAt int) error {
	return &configdef.ConfigError{Msg: "Incomplete backtick pair in path: [" + path + "]," +
		" consider adding a backslash before backtick at position " + strconv.Itoa(utf16Len(path[:backtickAt])) +
		" to escape it"}
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r > 0xFFFF {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// Version returns the syntax the path was parsed with.
func (p *SingleFieldPath) Version() SyntaxVersion { return p.version }

// Steps returns a copy of the path steps (SingleFieldPath.path()).
func (p *SingleFieldPath) Steps() []string { return slices.Clone(p.steps) }

// IsEmpty reports whether every step is the empty string (true also for a
// path without steps).
func (p *SingleFieldPath) IsEmpty() bool {
	for _, s := range p.steps {
		if s != "" {
			return false
		}
	}
	return true
}

// Equal compares the steps, as SingleFieldPath.equals does (the syntax
// version is ignored).
func (p *SingleFieldPath) Equal(o *SingleFieldPath) bool {
	if p == nil || o == nil {
		return p == o
	}
	return slices.Equal(p.steps, o.steps)
}

// String is SingleFieldPath.toString: SingleFieldPath{version=V2, path=a.b}.
func (p *SingleFieldPath) String() string {
	return "SingleFieldPath{version=" + p.version.String() + ", path=" + strings.Join(p.steps, ".") + "}"
}

// splitLast returns the steps but the last, and the last one. A path without
// steps fails like Java's steps.subList(0, -1).
func (p *SingleFieldPath) splitLast() ([]string, string, error) {
	if len(p.steps) == 0 {
		return nil, "", errors.New("fromIndex(0) > toIndex(-1)")
	}
	n := len(p.steps) - 1
	return p.steps[:n], p.steps[n], nil
}

// FieldFrom returns the field of schema at this path, or nil when a step is
// not found (fieldFrom(Schema)). Looking up a field in a non-struct schema
// fails as ConnectSchema.field does.
func (p *SingleFieldPath) FieldFrom(schema *data.Schema) (*data.Field, error) {
	if schema == nil {
		return nil, nil
	}
	parents, last, err := p.splitLast()
	if err != nil {
		return nil, err
	}
	current := schema
	for _, step := range parents {
		f, err := schemaField(current, step)
		if err != nil {
			return nil, err
		}
		if f == nil {
			return nil, nil
		}
		current = f.Schema
	}
	return schemaField(current, last)
}

func schemaField(s *data.Schema, name string) (*data.Field, error) {
	if s == nil || s.Type != data.TypeStruct {
		return nil, &data.DataError{Msg: "Cannot look up fields on non-struct type"}
	}
	return s.Field(name), nil
}

// ValueFromStruct returns the value at this path in s, or nil when a step is
// not a field of its struct or an intermediate struct is null
// (valueFrom(Struct, withDefault)). withDefault reads fields with Struct.get
// (null becomes the field default), otherwise getWithoutDefault. A non-struct
// intermediate value is a DataException.
func (p *SingleFieldPath) ValueFromStruct(s *data.Struct, withDefault bool) (any, error) {
	if s == nil {
		return nil, nil
	}
	parents, last, err := p.splitLast()
	if err != nil {
		return nil, err
	}
	current := s
	for _, step := range parents {
		f := current.Schema().Field(step)
		if f == nil {
			return nil, nil
		}
		sub, err := requireStructOrNull(structGet(current, f, withDefault))
		if err != nil {
			return nil, err
		}
		if sub == nil {
			return nil, nil
		}
		current = sub
	}
	f := current.Schema().Field(last)
	if f == nil {
		return nil, nil
	}
	return structGet(current, f, withDefault), nil
}

func structGet(s *data.Struct, f *data.Field, withDefault bool) any {
	if withDefault {
		return s.GetField(f)
	}
	return s.Value(f.Index)
}

// ValueFromMap returns the value at this path in a schemaless map, or nil
// when a step is missing or an intermediate value is null (valueFrom(Map)).
// A non-map intermediate value is a DataException.
func (p *SingleFieldPath) ValueFromMap(m *data.Map) (any, error) {
	if m == nil {
		return nil, nil
	}
	parents, last, err := p.splitLast()
	if err != nil {
		return nil, err
	}
	current := m
	for _, step := range parents {
		v, _ := current.Get(step)
		sub, err := requireMapOrNull(v)
		if err != nil {
			return nil, err
		}
		if sub == nil {
			return nil, nil
		}
		current = sub
	}
	v, _ := current.Get(last)
	return v, nil
}

// requireStructOrNull and requireMapOrNull are Kafka's Requirements for the
// intermediate steps of a path.
func requireStructOrNull(v any) (*data.Struct, error) {
	if v == nil {
		return nil, nil
	}
	s, ok := v.(*data.Struct)
	if !ok {
		return nil, &data.DataError{Msg: "Only Struct objects supported for [" + nestedPurpose + "], found: " + data.JavaClassName(v)}
	}
	return s, nil
}

func requireMapOrNull(v any) (*data.Map, error) {
	if v == nil {
		return nil, nil
	}
	m, ok := v.(*data.Map)
	if !ok {
		return nil, &data.DataError{Msg: "Only Map objects supported in absence of schema for [" + nestedPurpose + "], found: " + data.JavaClassName(v)}
	}
	return m, nil
}
