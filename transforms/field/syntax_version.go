// Package field ports Kafka Connect's field paths for transforms
// (org.apache.kafka.connect.transforms.field, KIP-821): the syntax version
// configuration and SingleFieldPath, which addresses a field of a Struct or
// schemaless Map either at the root (V1) or nested with dotted notation (V2).
package field

import (
	"strconv"
	"strings"

	"github.com/connect-go/connect-standalone/connectors/configdef"
)

// SyntaxVersion is FieldSyntaxVersion: how a configured field path is read.
type SyntaxVersion int

const (
	// V1 treats the whole path as one root-level field name (before KIP-821).
	V1 SyntaxVersion = iota + 1
	// V2 splits the path on dots, with backtick pairs wrapping names that
	// contain dots.
	V2
)

// String is the Java enum name.
func (v SyntaxVersion) String() string {
	switch v {
	case V1:
		return "V1"
	case V2:
		return "V2"
	}
	return "SyntaxVersion(" + strconv.Itoa(int(v)) + ")"
}

// Configuration of the syntax version (FieldSyntaxVersion constants).
const (
	SyntaxVersionConfig  = "field.syntax.version"
	SyntaxVersionDefault = "V1"
	SyntaxVersionDoc     = "Defines the version of the syntax to access fields. " +
		"If set to <code>V1</code>, then the field paths are limited to access the elements at the root level of the struct or map. " +
		"If set to <code>V2</code>, the syntax will support accessing nested elements. " +
		"To access nested elements, dotted notation is used. " +
		"If dots are already included in the field name, " +
		"then backtick pairs can be used to wrap field names containing dots. " +
		"E.g. to access the subfield <code>baz</code> from a field named \"foo.bar\" in a struct/map " +
		"the following format can be used to access its elements: \"<code>foo.bar</code>.baz\"."
)

// AppendConfigTo defines field.syntax.version on d and returns d
// (FieldSyntaxVersion.appendConfigTo). Like ConfigDef.define it panics when
// the key is already defined.
func AppendConfigTo(d *configdef.Def) *configdef.Def {
	return d.Define(configdef.Key{
		Name:       SyntaxVersionConfig,
		Type:       configdef.TypeString,
		Default:    SyntaxVersionDefault,
		Validator:  configdef.CaseInsensitiveIn(V1.String(), V2.String()),
		Importance: configdef.High,
		Doc:        SyntaxVersionDoc,
	})
}

// VersionFromConfig reads field.syntax.version from parsed values
// (FieldSyntaxVersion.fromConfig), case-insensitively.
func VersionFromConfig(v *configdef.Values) (SyntaxVersion, error) {
	return ParseSyntaxVersion(v.String(SyntaxVersionConfig))
}

// ParseSyntaxVersion is FieldSyntaxVersion.valueOf on the upper-cased text;
// unknown names give Kafka's ConfigException.
func ParseSyntaxVersion(s string) (SyntaxVersion, error) {
	switch strings.ToUpper(s) {
	case "V1":
		return V1, nil
	case "V2":
		return V2, nil
	}
	return 0, configdef.NewConfigError(SyntaxVersionConfig, s, "Unrecognized field syntax version")
}
