package configdef

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

func testDef() *Def {
	return New().
		Define(Key{Name: "name", Type: TypeString, Default: NoDefault, Validator: NonEmptyStringWithoutControlChars(), Importance: High, Group: "Common"}).
		Define(Key{Name: "tasks.max", Type: TypeInt, Default: 1, Validator: AtLeast(1), Importance: High, Group: "Common"}).
		Define(Key{Name: "topic", Type: TypeString, Default: NoDefault, Importance: High}).
		Define(Key{Name: "errors.log.enable", Type: TypeBoolean, Default: false, Importance: Medium}).
		Define(Key{Name: "transforms", Type: TypeList, Default: []string{}, Validator: Composite(NonNull(), UniqueList("unique transformation aliases")), Importance: Low}).
		Define(Key{Name: "errors.tolerance", Type: TypeString, Default: "none", Validator: In("none", "all"), Importance: Medium}).
		Define(Key{Name: "exactly.once.support", Type: TypeString, Default: "requested", Validator: CaseInsensitiveIn("requested", "required"), Importance: Medium}).
		Define(Key{Name: "rf", Type: TypeShort, Default: "3", Importance: Low}).
		Define(Key{Name: "retry", Type: TypeLong, Default: int64(0), Importance: Low}).
		Define(Key{Name: "ratio", Type: TypeDouble, Default: 0.5, Validator: Between(0.0, 1.0), Importance: Low}).
		Define(Key{Name: "secret", Type: TypePassword, Default: nil, Importance: Low}).
		Define(Key{Name: "key.converter", Type: TypeClass, Default: nil, Importance: Low}).
		Define(Key{Name: "topics.regex", Type: TypeString, Default: "", Validator: Regex(), Importance: Low})
}

func TestParseErrors(t *testing.T) {
	base := map[string]string{"name": "c", "topic": "t"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == "<unset>" {
				delete(m, kv[i])
				continue
			}
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		name  string
		props map[string]string
		want  []string
	}{
		{"ok", with(), nil},
		{"missing", with("topic", "<unset>"), []string{`Missing required configuration "topic" which has no default value.`}},
		{"not int", with("tasks.max", "abc"), []string{"Invalid value abc for configuration tasks.max: Not a number of type INT"}},
		{"int keeps raw value in message", with("tasks.max", " 1x "), []string{"Invalid value  1x  for configuration tasks.max: Not a number of type INT"}},
		{"int overflow", with("tasks.max", "2147483648"), []string{"Invalid value 2147483648 for configuration tasks.max: Not a number of type INT"}},
		{"short overflow", with("rf", "40000"), []string{"Invalid value 40000 for configuration rf: Not a number of type SHORT"}},
		{"long", with("retry", "1.5"), []string{"Invalid value 1.5 for configuration retry: Not a number of type LONG"}},
		{"double", with("ratio", "x"), []string{"Invalid value x for configuration ratio: Not a number of type DOUBLE"}},
		{"double range", with("ratio", "2"), []string{"Invalid value 2.0 for configuration ratio: Value must be no more than 1.0"}},
		{"bool", with("errors.log.enable", "maybe"), []string{"Invalid value maybe for configuration errors.log.enable: Expected value to be either true or false"}},
		{"at least", with("tasks.max", "0"), []string{"Invalid value 0 for configuration tasks.max: Value must be at least 1"}},
		{"duplicate alias", with("transforms", "t, t"), []string{"Invalid value [t, t] for configuration transforms: Duplicate alias provided."}},
		{"valid string case-sensitive", with("errors.tolerance", "ALL"), []string{"Invalid value ALL for configuration errors.tolerance: String must be one of: none, all"}},
		{"case-insensitive", with("exactly.once.support", "maybe"), []string{"Invalid value maybe for configuration exactly.once.support: String must be one of (case insensitive): REQUIRED, REQUESTED"}},
		{"empty name", with("name", "  "), []string{"Invalid value  for configuration name: String may not be empty"}},
		{"control chars", with("name", "a\tb\x7f"), []string{"Invalid value a\tb\x7f for configuration name: String may not contain control sequences but had the following ASCII chars: 9, 127"}},
		{"regex", with("topics.regex", "a("), []string{"Invalid value a( for configuration topics.regex: Invalid regex: error parsing regexp: missing closing ): `a(`"}},
		{"several, definition order", with("topic", "<unset>", "tasks.max", "0", "name", "<unset>"), []string{
			`Missing required configuration "name" which has no default value.`,
			"Invalid value 0 for configuration tasks.max: Value must be at least 1",
			`Missing required configuration "topic" which has no default value.`,
		}},
	}
	d := testDef()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := d.Parse(tt.props)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			var errs *Errors
			if !errors.As(err, &errs) {
				t.Fatalf("error %v is not *Errors", err)
			}
			if got := errs.Messages(); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("messages\n got %q\nwant %q", got, tt.want)
			}
			if errs.First() != tt.want[0] {
				t.Fatalf("First() = %q", errs.First())
			}
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Msg != tt.want[0] {
				t.Fatalf("errors.As *ConfigError = %v", ce)
			}
		})
	}
}

func TestParseValues(t *testing.T) {
	v, err := testDef().Parse(map[string]string{
		"name": " conn ", "topic": "t\t", "tasks.max": " +3 ", "errors.log.enable": " TRUE ",
		"transforms": " a , b,,c ", "rf": "2", "retry": "-1", "ratio": "1e-1", "secret": " pw ",
		"key.converter": " org.X$Y ", "unknown": "kept",
	})
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		got, want any
	}{
		{v.String("name"), "conn"},
		{v.String("topic"), "t"},
		{v.Int("tasks.max"), int32(3)},
		{v.Bool("errors.log.enable"), true},
		{v.List("transforms"), []string{"a", "b", "", "c"}},
		{v.Short("rf"), int16(2)},
		{v.Long("retry"), int64(-1)},
		{v.Double("ratio"), 0.1},
		{v.Class("key.converter"), "org.X$Y"},
		{v.String("errors.tolerance"), "none"},
		{v.Originals()["unknown"], "kept"},
		{v.IsNull("secret"), false},
	}
	for i, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("check %d: got %#v, want %#v", i, c.got, c.want)
		}
	}
	p, ok := v.Password("secret")
	if !ok || p.Value() != "pw" || p.String() != "[hidden]" {
		t.Errorf("password = %v %q", ok, p.Value())
	}
	if raw, _ := v.Raw("name"); raw != " conn " {
		t.Errorf("Raw = %q", raw)
	}
	b, _ := json.Marshal(map[string]any{"p": p})
	if string(b) != `{"p":"[hidden]"}` {
		t.Errorf("json = %s", b)
	}
	v2, _ := testDef().Parse(map[string]string{"name": "n", "topic": "t", "transforms": ""})
	if l := v2.List("transforms"); l == nil || len(l) != 0 {
		t.Errorf("empty list = %#v", l)
	}
	if !v2.IsNull("key.converter") || v2.Class("key.converter") != "" {
		t.Errorf("null class")
	}
}

func TestSplitList(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", []string{}},
		{"  ", []string{}},
		{"a", []string{"a"}},
		{" a ,\tb\x0B,c ", []string{"a", "b", "c"}},
		{"a,", []string{"a", ""}},
		{",a", []string{"", "a"}},
		{"a b", []string{"a b"}},
	}
	for _, tt := range tests {
		if got := SplitList(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SplitList(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseNumbers(t *testing.T) {
	tests := []struct {
		typ  Type
		in   string
		want any // nil = error
	}{
		{TypeInt, "-2147483648", int32(-2147483648)},
		{TypeInt, "0x10", nil},
		{TypeInt, "1_000", nil},
		{TypeInt, "", nil},
		{TypeLong, "9223372036854775807", int64(9223372036854775807)},
		{TypeDouble, "1", 1.0},
		{TypeDouble, "1.5f", 1.5},
		{TypeDouble, ".5", 0.5},
		{TypeDouble, "1.", 1.0},
		{TypeDouble, "-1E2d", -100.0},
		{TypeDouble, "0x1p3", 8.0},
		{TypeDouble, "inf", nil},
		{TypeDouble, "nan", nil},
		{TypeDouble, "1_0", nil},
		{TypeBoolean, "FaLsE", false},
		{TypeBoolean, "1", nil},
	}
	for _, tt := range tests {
		got, err := parseType("k", tt.in, tt.typ)
		if tt.want == nil {
			if err == nil {
				t.Errorf("%s %q: expected error, got %#v", tt.typ, tt.in, got)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s %q = %#v, %v; want %#v", tt.typ, tt.in, got, err, tt.want)
		}
	}
}

func TestDefinePanics(t *testing.T) {
	tests := []struct {
		name string
		fn   func()
		want string
	}{
		{"duplicate", func() {
			New().Define(Key{Name: "a", Type: TypeInt, Default: 1}).Define(Key{Name: "a", Type: TypeInt, Default: 1})
		}, "Configuration a is defined twice."},
		{"bad default", func() { New().Define(Key{Name: "a", Type: TypeInt, Default: "x"}) }, "Invalid value x for configuration a: Not a number of type INT"},
		{"default fails validator", func() { New().Define(Key{Name: "a", Type: TypeInt, Default: 0, Validator: AtLeast(1)}) }, "Invalid value 0 for configuration a: Value must be at least 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != tt.want {
					t.Fatalf("panic = %v, want %q", r, tt.want)
				}
			}()
			tt.fn()
		})
	}
}

func TestValidatorStrings(t *testing.T) {
	tests := []struct {
		v    Validator
		want string
	}{
		{AtLeast(1), "[1,...]"},
		{AtLeast(0.0), "[0.0,...]"},
		{Between(1, 10), "[1,...,10]"},
		{AtMost(int64(5)), "[...,5]"},
		{In("none", "all"), "[none, all]"},
		{ListIn("a", "b"), "[a, b]"},
		{CaseInsensitiveIn("poll", "interval", "connector"), "(case insensitive) [INTERVAL, POLL, CONNECTOR]"},
		{NonEmptyString(), "non-empty string"},
		{NonEmptyStringWithoutControlChars(), "non-empty string without ISO control characters"},
		{NonNull(), "non-null string"},
		{Composite(NonNull(), UniqueList("unique transformation aliases")), "non-null string, unique transformation aliases"},
		{Regex(), "valid regex"},
	}
	for _, tt := range tests {
		if got := tt.v.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

func TestValidatorMessages(t *testing.T) {
	tests := []struct {
		v     Validator
		value any
		want  string
	}{
		{AtLeast(1), nil, "Invalid value null for configuration k: Value must be non-null"},
		{NonNull(), nil, "Invalid value null for configuration k: entry must be non null"},
		{ListIn("a", "b"), []string{"a", "c"}, "Invalid value c for configuration k: String must be one of: a, b"},
		{In("a"), nil, "Invalid value null for configuration k: String must be one of: a"},
		{CaseInsensitiveIn("a"), nil, "Invalid value null for configuration k: String must be one of (case insensitive): A"},
		{Composite(NonNull(), UniqueList("u")), nil, "Invalid value null for configuration k: entry must be non null"},
		{Func(func(string, any) error { return errors.New("nope") }, "d"), "v", "Invalid value v for configuration k: nope"},
	}
	for _, tt := range tests {
		err := runValidator(tt.v, "k", tt.value)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s(%#v) = %v, want %q", tt.v, tt.value, err, tt.want)
		}
	}
	for _, ok := range []struct {
		v     Validator
		value any
	}{
		{NonEmptyString(), nil}, {NonEmptyStringWithoutControlChars(), nil}, {CaseInsensitiveIn("Poll"), "pOLL"},
		{UniqueList("u"), []string{"a", "b"}}, {Between(1, 3), int64(3)},
	} {
		if err := runValidator(ok.v, "k", ok.value); err != nil {
			t.Errorf("%s(%#v): unexpected %v", ok.v, ok.value, err)
		}
	}
}

func TestEmbed(t *testing.T) {
	child := New().
		Define(Key{Name: "regex", Type: TypeString, Default: NoDefault, Validator: Regex(), Importance: High, Dependents: []string{"replacement"}}).
		Define(Key{Name: "replacement", Type: TypeString, Default: NoDefault, Importance: High})
	d := New().Define(Key{Name: "transforms", Type: TypeList, Default: []string{}, Importance: Low, Group: "Transforms"})
	d.Embed("transforms.r.", "Transforms: r", 1, child)
	k, ok := d.Key("transforms.r.regex")
	if !ok || k.Group != "Transforms: r" || k.OrderInGroup != 1 || !reflect.DeepEqual(k.Dependents, []string{"transforms.r.replacement"}) {
		t.Fatalf("embedded key = %+v", k)
	}
	if got, want := d.Groups(), []string{"Transforms", "Transforms: r"}; !reflect.DeepEqual(got, want) {
		t.Errorf("groups = %q", got)
	}
	_, err := d.Parse(map[string]string{"transforms.r.regex": "(", "transforms.r.replacement": "x"})
	// Kafka quirk: the embedded validator reports the un-prefixed name.
	if err == nil || !strings.HasPrefix(err.Error(), "Invalid value ( for configuration regex: Invalid regex: ") {
		t.Errorf("err = %v", err)
	}
	c := d.Clone().Define(Key{Name: "extra", Type: TypeInt, Default: 1})
	if _, ok := d.Key("extra"); ok || len(c.Keys()) != 4 {
		t.Errorf("Clone is not independent")
	}
}

func TestConvertToString(t *testing.T) {
	tests := []struct {
		v    any
		t    Type
		want string
		ok   bool
	}{
		{nil, TypeString, "", false},
		{[]string{"a", "b"}, TypeList, "a,b", true},
		{[]string{}, TypeList, "", true},
		{"org.a.InsertField$Value", TypeClass, "org.a.InsertField.Value", true},
		{NewPassword("x"), TypePassword, "[hidden]", true},
		{int32(1), TypeInt, "1", true},
		{60000.0, TypeDouble, "60000.0", true},
	}
	for _, tt := range tests {
		got, ok := ConvertToString(tt.v, tt.t)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ConvertToString(%#v) = %q,%v want %q,%v", tt.v, got, ok, tt.want, tt.ok)
		}
	}
}

type rec struct{}

func (rec) ValidValues(name string, parsed map[string]any) ([]any, error) {
	return []any{"none", "all"}, nil
}
func (rec) Visible(name string, parsed map[string]any) (bool, error) {
	return parsed["errors.log.enable"] == true, nil
}

// TestValidateGolden pins the ConfigValue shape for the REST validate endpoint.
func TestValidateGolden(t *testing.T) {
	d := testDef().Define(Key{Name: "with.rec", Type: TypeString, Default: "none", Recommender: rec{}, Dependents: []string{"not.defined"}})
	got := d.Validate(map[string]string{"tasks.max": "abc", "transforms": "a,a", "secret": "s", "errors.log.enable": "true"})
	type view struct {
		Name        string   `json:"name"`
		Value       *string  `json:"value"`
		Recommended []string `json:"recommended_values"`
		Errors      []string `json:"errors"`
		Visible     bool     `json:"visible"`
	}
	var out []view
	for _, cv := range got {
		k, _ := d.Key(cv.Name)
		vw := view{Name: cv.Name, Errors: cv.Errors, Visible: cv.Visible, Recommended: []string{}}
		if s, ok := ConvertToString(cv.Value, k.Type); ok {
			vw.Value = &s
		}
		for _, r := range cv.RecommendedValues {
			vw.Recommended = append(vw.Recommended, JavaString(r))
		}
		out = append(out, vw)
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "testdata/validate.golden.json", append(b, '\n'))
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if string(want) != string(got) {
		t.Errorf("%s mismatch:\n got %s\nwant %s", path, got, want)
	}
}
