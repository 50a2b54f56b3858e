package transforms

import (
	"errors"
	"strings"

	"github.com/connect-go/connect-standalone/connectors/data"
)

// Helpers shared by ExtractField, Flatten, Cast and SetSchemaMetadata. Names
// carry the smtb prefix so that they cannot clash with helpers written for
// other SMTs of this package.

// smtbIsNull reports whether v is Java null: nil or a typed nil map or
// struct.
func smtbIsNull(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case *data.Map:
		return x == nil
	case *data.Struct:
		return x == nil
	}
	return false
}

// smtbSchemaBasics starts a builder of src's type carrying its name, version,
// doc and parameters, and for ARRAY and MAP its element schemas
// (SchemaUtil.copySchemaBasics(Schema)). The result is required and has no
// default.
func smtbSchemaBasics(src *data.Schema) *data.SchemaBuilder {
	var b *data.SchemaBuilder
	switch src.Type {
	case data.TypeArray:
		b = data.ArrayBuilder(src.Value)
	case data.TypeMap:
		b = data.MapBuilder(src.Key, src.Value)
	default:
		b = data.NewSchemaBuilder(src.Type)
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

// smtbClassCastError is the ClassCastException of a JDK 17 casting v to the
// class target (a plain RuntimeException in Kafka, not a DataException).
func smtbClassCastError(v any, target string) error {
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
