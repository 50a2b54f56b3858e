package field

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
)

func mustPath(t *testing.T, path string, v SyntaxVersion) *SingleFieldPath {
	t.Helper()
	p, err := NewSingleFieldPath(path, v)
	if err != nil {
		t.Fatalf("NewSingleFieldPath(%q, %v): %v", path, v, err)
	}
	return p
}

// FieldPathNotationTest.shouldBuildV1WithDotsAndBacktickPair
func TestParseV1KeepsWholePath(t *testing.T) {
	for _, path := range []string{"foo.bar.baz", "foo`bar`", "foo.`bar.baz`", "", "`unbalanced"} {
		if got := mustPath(t, path, V1).Steps(); !slices.Equal(got, []string{path}) {
			t.Errorf("V1 %q: steps %q", path, got)
		}
	}
}

// FieldPathNotationTest: every V2 parsing case.
func TestParseV2(t *testing.T) {
	cases := []struct {
		name  string
		path  string
		steps []string
	}{
		// shouldIncludeEmptyFieldNames
		{"empty names", "..", []string{"", "", ""}},
		{"empty names", "foo..", []string{"foo", "", ""}},
		{"empty names", ".bar.", []string{"", "bar", ""}},
		{"empty names", "..baz", []string{"", "", "baz"}},
		// shouldBuildV2WithEmptyPath
		{"empty path", "", []string{}},
		// shouldBuildV2WithoutDots
		{"no dots", "foobarbaz", []string{"foobarbaz"}},
		// shouldBuildV2WhenIncludesDots
		{"dots", "foo.bar.baz", []string{"foo", "bar", "baz"}},
		// shouldBuildV2WithoutWrappingBackticks
		{"non-wrapping backticks", "foo`bar`baz", []string{"foo`bar`baz"}},
		// shouldBuildV2WhenIncludesDotsAndBacktickPair
		{"backtick pair", "`foo.bar.baz`", []string{"foo.bar.baz"}},
		{"backtick pair", "foo.`bar.baz`", []string{"foo", "bar.baz"}},
		{"backtick pair", "`foo.bar`.baz", []string{"foo.bar", "baz"}},
		{"backtick pair", "foo.`bar`.baz", []string{"foo", "bar", "baz"}},
		// shouldBuildV2AndIgnoreBackticksThatAreNotWrapping
		{"inner backticks", "foo.``bar.baz`", []string{"foo", "`bar.baz"}},
		{"inner backticks", "foo.`bar.baz``", []string{"foo", "bar.baz`"}},
		{"inner backticks", "foo.`ba`r.baz`", []string{"foo", "ba`r.baz"}},
		{"inner backticks", "foo.ba`r.baz", []string{"foo", "ba`r", "baz"}},
		{"inner backticks", "foo.``bar``.baz", []string{"foo", "`bar`", "baz"}},
		{"inner backticks", "``foo.bar.baz``", []string{"`foo.bar.baz`"}},
		// shouldBuildV2AndEscapeBackticks
		{"escaped", "foo.`bar\\`.baz`", []string{"foo", "bar`.baz"}},
		{"escaped", "foo.`bar.`baz`", []string{"foo", "bar.`baz"}},
		{"escaped", "foo.`bar\\`.`baz`", []string{"foo", "bar`.`baz"}},
		{"escaped", "foo.`bar\\\\`.\\`baz`", []string{"foo", "bar\\`.\\`baz"}},
		// more edges of the same algorithm
		{"single dot", ".", []string{"", ""}},
		{"empty quoted", "``", []string{""}},
		{"quoted then trailing dot", "`a`.", []string{"a", ""}},
		{"multibyte", "ä.`ö.ü`", []string{"ä", "ö.ü"}},
	}
	for _, c := range cases {
		got := mustPath(t, c.path, V2).Steps()
		if !slices.Equal(got, c.steps) || got == nil {
			t.Errorf("%s: V2 %q: steps %q, want %q", c.name, c.path, got, c.steps)
		}
	}
}

// FieldPathNotationTest.shouldFailV2WhenIncompleteBackticks
func TestParseV2IncompleteBackticks(t *testing.T) {
	cases := []struct{ path, msg string }{
		{"`foo.bar.baz", "Incomplete backtick pair in path: [`foo.bar.baz], consider adding a backslash before backtick at position 0 to escape it"},
		{"foo.`bar.baz", "Incomplete backtick pair in path: [foo.`bar.baz], consider adding a backslash before backtick at position 4 to escape it"},
		{"foo.bar.`baz", "Incomplete backtick pair in path: [foo.bar.`baz], consider adding a backslash before backtick at position 8 to escape it"},
		{"foo.bar.`baz\\`", "Incomplete backtick pair in path: [foo.bar.`baz\\`], consider adding a backslash before backtick at position 8 to escape it"},
		{"`", "Incomplete backtick pair in path: [`], consider adding a backslash before backtick at position 0 to escape it"},
		// positions are Java string indices (UTF-16 units)
		{"ä😀.`x", "Incomplete backtick pair in path: [ä😀.`x], consider adding a backslash before backtick at position 4 to escape it"},
	}
	for _, c := range cases {
		_, err := NewSingleFieldPath(c.path, V2)
		var ce *configdef.ConfigError
		if !errors.As(err, &ce) || err.Error() != c.msg {
			t.Errorf("V2 %q: got %v, want ConfigException %q", c.path, err, c.msg)
		}
	}
}

func TestUnknownSyntaxVersion(t *testing.T) {
	_, err := NewSingleFieldPath("a", SyntaxVersion(9))
	if err == nil || err.Error() != "Unknown syntax version: SyntaxVersion(9)" {
		t.Fatalf("got %v", err)
	}
}

func TestPathStringAndEquality(t *testing.T) {
	p := mustPath(t, "foo.`bar.baz`", V2)
	if got := p.String(); got != "SingleFieldPath{version=V2, path=foo.bar.baz}" {
		t.Errorf("String: %q", got)
	}
	if got := mustPath(t, "a.b", V1).String(); got != "SingleFieldPath{version=V1, path=a.b}" {
		t.Errorf("String V1: %q", got)
	}
	if !mustPath(t, "a.b", V2).Equal(mustPath(t, "a.`b`", V2)) {
		t.Error("equal steps should be equal")
	}
	if mustPath(t, "a.b", V2).Equal(mustPath(t, "a.b", V1)) {
		t.Error("different steps should differ")
	}
	// equality ignores the version, as in Java
	if !mustPath(t, "a", V2).Equal(mustPath(t, "a", V1)) {
		t.Error("same single step in V1 and V2 should be equal")
	}
	if !mustPath(t, "..", V2).IsEmpty() || !mustPath(t, "", V2).IsEmpty() || mustPath(t, ".a", V2).IsEmpty() {
		t.Error("IsEmpty")
	}
	if mustPath(t, "a", V2).Version() != V2 {
		t.Error("Version")
	}
}

// FieldSyntaxVersionTest.shouldAppendConfigToDef
func TestAppendConfigTo(t *testing.T) {
	def := AppendConfigTo(configdef.New())
	if names := def.Names(); !slices.Equal(names, []string{"field.syntax.version"}) {
		t.Fatalf("keys %v", names)
	}
	k, _ := def.Key("field.syntax.version")
	if k.Default != "V1" || k.Type != configdef.TypeString || k.Importance != configdef.High || k.Doc != SyntaxVersionDoc {
		t.Errorf("key %+v", k)
	}
	if got := k.Validator.String(); got != "(case insensitive) [V1, V2]" {
		t.Errorf("validator %q", got)
	}
}

// FieldSyntaxVersionTest.shouldFailWhenAppendConfigToDefAgain
func TestAppendConfigToTwice(t *testing.T) {
	def := AppendConfigTo(configdef.New())
	defer func() {
		if r := recover(); r == nil || r != "Configuration field.syntax.version is defined twice." {
			t.Fatalf("recovered %v", r)
		}
	}()
	AppendConfigTo(def)
}

// FieldSyntaxVersionTest.shouldGetVersionFromConfig
func TestVersionFromConfig(t *testing.T) {
	for input, want := range map[string]SyntaxVersion{"v1": V1, "v2": V2, "V1": V1, "V2": V2} {
		vals, err := AppendConfigTo(configdef.New()).Parse(map[string]string{"field.syntax.version": input})
		if err != nil {
			t.Fatalf("%s: %v", input, err)
		}
		if got, err := VersionFromConfig(vals); err != nil || got != want {
			t.Errorf("%s: got %v %v", input, got, err)
		}
	}
	vals, _ := AppendConfigTo(configdef.New()).Parse(map[string]string{})
	if got, _ := VersionFromConfig(vals); got != V1 {
		t.Errorf("default: %v", got)
	}
	_, err := ParseSyntaxVersion("v3")
	if err == nil || err.Error() != "Invalid value v3 for configuration field.syntax.version: Unrecognized field syntax version" {
		t.Errorf("ParseSyntaxVersion: %v", err)
	}
}

// FieldSyntaxVersionTest.shouldFailWhenWrongVersionIsPassed
func TestWrongVersion(t *testing.T) {
	for _, input := range []string{"v3", "V 1", "v", "V 2", "2", "1"} {
		_, err := AppendConfigTo(configdef.New()).Parse(map[string]string{"field.syntax.version": input})
		var errs *configdef.Errors
		if !errors.As(err, &errs) {
			t.Fatalf("%q: %v", input, err)
		}
		want := "Invalid value " + input + " for configuration field.syntax.version: String must be one of (case insensitive): V1, V2"
		if errs.First() != want {
			t.Errorf("%q: %q", input, errs.First())
		}
	}
}

func nestedSchemas() (bar, schema *data.Schema) {
	bar = data.StructBuilder().Field("bar", data.Int32Schema).MustBuild()
	schema = data.StructBuilder().Field("foo", bar).MustBuild()
	return
}

// SingleFieldPathTest.shouldFindField
func TestFieldFrom(t *testing.T) {
	bar, schema := nestedSchemas()
	f, err := mustPath(t, "foo.bar", V2).FieldFrom(schema)
	if err != nil || f != bar.Field("bar") {
		t.Errorf("foo.bar: %v %v", f, err)
	}
	f, err = mustPath(t, "foo", V2).FieldFrom(schema)
	if err != nil || f != schema.Field("foo") {
		t.Errorf("foo: %v %v", f, err)
	}
}

// SingleFieldPathTest.shouldReturnNullFieldWhenFieldNotFound
func TestFieldFromNotFound(t *testing.T) {
	_, schema := nestedSchemas()
	for _, p := range []string{"un.known", "foo.unknown", "unknown"} {
		if f, err := mustPath(t, p, V2).FieldFrom(schema); f != nil || err != nil {
			t.Errorf("%s: %v %v", p, f, err)
		}
	}
	if f, err := mustPath(t, "test", V2).FieldFrom(nil); f != nil || err != nil {
		t.Errorf("nil schema: %v %v", f, err)
	}
}

// Schema.field on a non-struct schema throws in Kafka.
func TestFieldFromNonStruct(t *testing.T) {
	_, schema := nestedSchemas()
	for _, c := range []struct {
		path   string
		schema *data.Schema
	}{{"foo.bar.baz", schema}, {"x", data.Int32Schema}} {
		_, err := mustPath(t, c.path, V2).FieldFrom(c.schema)
		var de *data.DataError
		if !errors.As(err, &de) || err.Error() != "Cannot look up fields on non-struct type" {
			t.Errorf("%s: %v", c.path, err)
		}
	}
}

func TestEmptyPathLookupsFail(t *testing.T) {
	p := mustPath(t, "", V2)
	_, schema := nestedSchemas()
	const msg = "fromIndex(0) > toIndex(-1)"
	if _, err := p.FieldFrom(schema); err == nil || err.Error() != msg {
		t.Errorf("FieldFrom: %v", err)
	}
	if _, err := p.ValueFromMap(data.NewMap(0)); err == nil || err.Error() != msg {
		t.Errorf("ValueFromMap: %v", err)
	}
	if _, err := p.ValueFromStruct(data.NewStruct(schema), true); err == nil || err.Error() != msg {
		t.Errorf("ValueFromStruct: %v", err)
	}
	// null containers are checked first
	if v, err := p.ValueFromMap(nil); v != nil || err != nil {
		t.Errorf("nil map: %v %v", v, err)
	}
}

func fooMap() *data.Map {
	foo := data.NewMap(2)
	foo.Put("bar", int32(42))
	foo.Put("baz", nil)
	m := data.NewMap(1)
	m.Put("foo", foo)
	return m
}

// SingleFieldPathTest.shouldFindValueInMap and
// shouldReturnNullValueWhenFieldNotFoundInMap
func TestValueFromMap(t *testing.T) {
	m := fooMap()
	cases := []struct {
		path string
		want any
	}{
		{"foo.bar", int32(42)},
		{"foo.baz", nil},
		{"un.known", nil},
		{"foo.unknown", nil},
		{"unknown", nil},
		{"foo.baz.inner", nil},
	}
	for _, c := range cases {
		got, err := mustPath(t, c.path, V2).ValueFromMap(m)
		if err != nil || !data.ValuesEqual(got, c.want) {
			t.Errorf("%s: %v %v", c.path, got, err)
		}
	}
	// V1 does not walk nested maps
	if got, _ := mustPath(t, "foo.bar", V1).ValueFromMap(m); got != nil {
		t.Errorf("V1 foo.bar: %v", got)
	}
	// a non-map intermediate value fails
	_, err := mustPath(t, "foo.bar.x", V2).ValueFromMap(m)
	if err == nil || err.Error() != "Only Map objects supported in absence of schema for [nested field access], found: java.lang.Integer" {
		t.Errorf("non-map step: %v", err)
	}
}

func fooStruct() *data.Struct {
	baz := data.StructBuilder().Field("inner", data.StringSchema).Optional().MustBuild()
	bar := data.StructBuilder().Field("bar", data.Int32Schema).Field("baz", baz).MustBuild()
	schema := data.StructBuilder().Field("foo", bar).MustBuild()
	foo := data.NewStruct(bar).MustPut("bar", int32(42)).MustPut("baz", nil)
	return data.NewStruct(schema).MustPut("foo", foo)
}

// SingleFieldPathTest.shouldFindValueInStruct and
// shouldReturnNullValueWhenFieldNotFoundInStruct
func TestValueFromStruct(t *testing.T) {
	s := fooStruct()
	cases := []struct {
		path string
		want any
	}{
		{"foo.bar", int32(42)},
		{"foo.baz", nil},
		{"un.known", nil},
		{"foo.unknown", nil},
		{"unknown", nil},
		{"foo.baz.inner", nil},
	}
	for _, c := range cases {
		got, err := mustPath(t, c.path, V2).ValueFromStruct(s, true)
		if err != nil || !data.ValuesEqual(got, c.want) {
			t.Errorf("%s: %v %v", c.path, got, err)
		}
	}
	if got, err := mustPath(t, "x", V2).ValueFromStruct(nil, true); got != nil || err != nil {
		t.Errorf("nil struct: %v %v", got, err)
	}
	_, err := mustPath(t, "foo.bar.x", V2).ValueFromStruct(s, true)
	if err == nil || err.Error() != "Only Struct objects supported for [nested field access], found: java.lang.Integer" {
		t.Errorf("non-struct step: %v", err)
	}
}

// valueFrom(Struct, withDefault): defaults apply to every step only when
// asked for.
func TestValueFromStructDefaults(t *testing.T) {
	inner := data.StructBuilder().Field("x", data.NewSchemaBuilder(data.TypeInt32).Optional().Default(int32(7)).MustBuild()).Optional().MustBuild()
	// A struct default refers to its own schema (new Struct(builder) in Java).
	innerWithDefault := data.StructBuilder().Field("x", inner.Field("x").Schema).Optional().MustBuild()
	innerWithDefault.Default = data.NewStruct(innerWithDefault).MustPut("x", int32(9))
	schema := data.StructBuilder().Field("a", inner).Field("b", innerWithDefault).MustBuild()
	innerWithDefaultValue := data.NewStruct(innerWithDefault)
	s := data.NewStruct(schema).MustPut("a", data.NewStruct(inner))

	cases := []struct {
		path        string
		withDefault bool
		want        any
	}{
		{"a.x", true, int32(7)},
		{"a.x", false, nil},
		{"b.x", true, int32(9)}, // parent struct default, then its value
		{"b.x", false, nil},
	}
	for _, c := range cases {
		got, err := mustPath(t, c.path, V2).ValueFromStruct(s, c.withDefault)
		if err != nil || !data.ValuesEqual(got, c.want) {
			t.Errorf("%s withDefault=%v: %v %v", c.path, c.withDefault, got, err)
		}
	}
	s2 := data.NewStruct(schema).MustPut("a", data.NewStruct(inner)).MustPut("b", innerWithDefaultValue)
	if got, _ := mustPath(t, "b.x", V2).ValueFromStruct(s2, true); !data.ValuesEqual(got, int32(7)) {
		t.Errorf("b.x set struct: %v", got)
	}
}

// FuzzParsePath: parsing never panics; V1 keeps the text; paths without
// backticks split exactly on dots; failures are the backtick message.
func FuzzParsePath(f *testing.F) {
	for _, s := range []string{"", ".", "..", "a.b", "`a.b`.c", "foo.`bar\\`.baz`", "`", "``", "a`b", "\\`", "`\\`", "ä.`😀", "`a`.`b`."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, path string) {
		p1, err := NewSingleFieldPath(path, V1)
		if err != nil || !slices.Equal(p1.Steps(), []string{path}) {
			t.Fatalf("V1 %q: %v %v", path, p1, err)
		}
		p2, err := NewSingleFieldPath(path, V2)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "Incomplete backtick pair in path: ["+path+"], consider adding a backslash before backtick at position ") {
				t.Fatalf("V2 %q: unexpected error %v", path, err)
			}
			if !strings.Contains(path, "`") {
				t.Fatalf("V2 %q: error without backtick", path)
			}
			return
		}
		steps := p2.Steps()
		if !strings.Contains(path, "`") {
			want := strings.Split(path, ".")
			if path == "" {
				want = []string{}
			}
			if !slices.Equal(steps, want) {
				t.Fatalf("V2 %q: steps %q, want %q", path, steps, want)
			}
		}
		_ = p2.String()
		m := data.NewMap(0)
		if len(steps) > 0 {
			if _, err := p2.ValueFromMap(m); err != nil {
				t.Fatalf("V2 %q: lookup in empty map: %v", path, err)
			}
		}
	})
}
