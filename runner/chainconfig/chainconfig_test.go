package chainconfig

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/runner/connconfig"
	"github.com/connect-go/connect-standalone/runner/plugins"
)

// simpleTransformation sets the record's partition to magic.number
// (ConnectorConfigTest.SimpleTransformation).
type simpleTransformation struct{ magic int32 }

func (*simpleTransformation) Config() *configdef.Def {
	return configdef.New().Define(configdef.Key{Name: "magic.number", Type: configdef.TypeInt, Default: configdef.NoDefault,
		Validator: configdef.AtLeast(42), Importance: configdef.High})
}

func (s *simpleTransformation) Configure(props map[string]string) error {
	n, err := strconv.Atoi(props["magic.number"])
	s.magic = int32(n)
	return err
}

func (s *simpleTransformation) Apply(r *connectors.Record) (*connectors.Record, error) {
	return r.NewRecord("", s.magic, nil, nil, nil, nil), nil
}
func (s *simpleTransformation) Close() error { s.magic = 0; return nil }

// testPredicate matches records whose partition equals int (default 80, at least 80).
type testPredicate struct{ param int32 }

func (*testPredicate) Config() *configdef.Def {
	return configdef.New().Define(configdef.Key{Name: "int", Type: configdef.TypeInt, Default: int32(80),
		Validator: configdef.AtLeast(80), Importance: configdef.Medium, Doc: "A test parameter"})
}

func (p *testPredicate) Configure(props map[string]string) error {
	n, err := strconv.Atoi(props["int"])
	p.param = int32(n)
	return err
}
func (p *testPredicate) Test(r *connectors.Record) bool { return r.Partition == p.param }
func (p *testPredicate) Close() error                   { return nil }

// hasDuplicateConfig declares predicate and negate itself; the implicit
// keys must mask them.
type hasDuplicateConfig struct{ simpleTransformation }

func (*hasDuplicateConfig) Config() *configdef.Def {
	return configdef.New().
		Define(configdef.Key{Name: "predicate", Type: configdef.TypeInt, Default: configdef.NoDefault, Importance: configdef.Medium}).
		Define(configdef.Key{Name: "negate", Type: configdef.TypeInt, Default: int32(123), Importance: configdef.Medium}).
		Define(configdef.Key{Name: "must.exist.key", Type: configdef.TypeBoolean, Default: true, Importance: configdef.Medium})
}

const (
	simpleClass = "test.SimpleTransformation"
	predClass   = "test.TestPredicate"
	dupClass    = "test.HasDuplicateConfigTransformation"
	connClass   = "test.TestConnector"
)

func testRegistry() *plugins.Registry {
	return plugins.New([]plugins.Plugin{
		{Class: simpleClass, Kind: plugins.KindTransformation, New: func() any { return &simpleTransformation{} }},
		{Class: dupClass, Kind: plugins.KindTransformation, New: func() any { return &hasDuplicateConfig{} }},
		{Class: "test.KV$Key", Kind: plugins.KindTransformation, New: func() any { return &simpleTransformation{} }},
		{Class: "test.KV$Value", Kind: plugins.KindTransformation, New: func() any { return &simpleTransformation{} }},
		{Class: predClass, Kind: plugins.KindPredicate, New: func() any { return &testPredicate{} }},
		{Class: connClass, Kind: plugins.KindSource, New: func() any { return nil }},
	})
}

func props(kv ...string) map[string]string {
	m := map[string]string{"name": "test", "connector.class": connClass}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

// validate returns every error message of the enriched validation, as the
// validate endpoint and connector creation see them.
func validate(t *testing.T, p map[string]string) []string {
	t.Helper()
	def, err := Enrich(testRegistry(), connconfig.ConnectorConfigDef(), p, false)
	if err != nil {
		t.Fatalf("enrich: %v", err)
	}
	var msgs []string
	for _, cv := range def.Validate(p) {
		msgs = append(msgs, cv.Errors...)
	}
	for _, m := range CheckPredicateAliases(p) {
		msgs = append(msgs, m...)
	}
	return msgs
}

// Ported from ConnectorConfigTest: each case lists the messages validation
// must report (exact), or none.
func TestValidation(t *testing.T) {
	cases := []struct {
		name  string
		props map[string]string
		want  []string
	}{
		{"noTransforms", props(), nil},
		{"danglingTransformAlias", props("transforms", "dangler"), []string{
			`Missing required configuration "transforms.dangler.type" which has no default value.`,
			"Invalid value null for configuration transforms.dangler.type: Not a Transformation"}},
		{"wrongTransformationType", props("transforms", "a", "transforms.a.type", "uninstantiable"), []string{
			"Invalid value uninstantiable for configuration transforms.a.type: Class uninstantiable could not be found."}},
		{"unconfiguredTransform", props("transforms", "a", "transforms.a.type", simpleClass), []string{
			`Missing required configuration "transforms.a.magic.number" which has no default value.`,
			"Invalid value null for configuration magic.number: Value must be non-null"}},
		{"misconfiguredTransform", props("transforms", "a", "transforms.a.type", simpleClass, "transforms.a.magic.number", "40"), []string{
			"Invalid value 40 for configuration magic.number: Value must be at least 42"}},
		{"singleTransform", props("transforms", "a", "transforms.a.type", simpleClass, "transforms.a.magic.number", "42"), nil},
		{"multipleTransformsOneDangling", props("transforms", "a, b", "transforms.a.type", simpleClass, "transforms.a.magic.number", "42"), []string{
			`Missing required configuration "transforms.b.type" which has no default value.`,
			"Invalid value null for configuration transforms.b.type: Not a Transformation"}},
		{"abstractKeyValueTransform", props("transforms", "a", "transforms.a.type", "test.KV"), []string{
			"Invalid value class test.KV for configuration transforms.a.type: Transformation is abstract and cannot be created. Did you mean test.KV$Key, test.KV$Value?"}},
		{"wrongPredicateType", props("transforms", "a", "transforms.a.type", simpleClass, "transforms.a.magic.number", "42",
			"transforms.a.predicate", "my-pred", "predicates", "my-pred", "predicates.my-pred.type", connClass), []string{
			"Invalid value class test.TestConnector for configuration predicates.my-pred.type: Not a Predicate"}},
		{"transformAsPredicate", props("transforms", "a", "transforms.a.type", simpleClass, "transforms.a.magic.number", "42",
			"transforms.a.predicate", "p", "predicates", "p", "predicates.p.type", simpleClass), []string{
			"Invalid value class test.SimpleTransformation for configuration predicates.p.type: Not a Predicate"}},
		{"misconfiguredPredicate", props("transforms", "a", "transforms.a.type", simpleClass, "transforms.a.magic.number", "42",
			"transforms.a.predicate", "my-pred", "transforms.a.negate", "true", "predicates", "my-pred",
			"predicates.my-pred.type", predClass, "predicates.my-pred.int", "79"), []string{
			"Invalid value 79 for configuration int: Value must be at least 80"}},
		{"missingPredicateConfig", props("transforms", "a", "transforms.a.type", simpleClass, "transforms.a.magic.number", "42",
			"transforms.a.predicate", "my-pred", "predicates", "my-pred"), []string{
			`Missing required configuration "predicates.my-pred.type" which has no default value.`,
			"Invalid value null for configuration predicates.my-pred.type: Not a Predicate"}},
		{"negatedButNoPredicate", props("transforms", "a", "transforms.a.type", simpleClass, "transforms.a.magic.number", "42",
			"transforms.a.negate", "true"), []string{
			"Config 'transforms.a.negate' was provided but there is no config 'transforms.a.predicate' defining a predicate to be negated."}},
		{"predicateAliasNotListed", props("transforms", "a", "transforms.a.type", simpleClass, "transforms.a.magic.number", "42",
			"transforms.a.predicate", "nope"), []string{
			"Invalid value nope for configuration transforms.a.predicate: predicate alias nope is not listed in predicates"}},
		{"duplicateAlias", props("transforms", "a,a", "transforms.a.type", simpleClass, "transforms.a.magic.number", "42"), []string{
			"Invalid value [a, a] for configuration transforms: Duplicate alias provided."}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := validate(t, tc.props)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Fatalf("errors:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestEnrichRequireFullReturnsFirstError(t *testing.T) {
	_, err := Enrich(testRegistry(), connconfig.ConnectorConfigDef(), props("transforms", "a", "transforms.a.type", "nope"), true)
	var ce *configdef.ConfigError
	if !errors.As(err, &ce) || ce.Msg != "Invalid value nope for configuration transforms.a.type: Class nope could not be found." {
		t.Fatalf("err = %v", err)
	}
}

// testEnrichedConfigDef: the implicit predicate/negate keys mask the
// transformation's own keys of the same name, and its other keys appear.
func TestEnrichedConfigDef(t *testing.T) {
	def, err := Enrich(testRegistry(), configdef.New(), map[string]string{"transforms": "hdt", "transforms.hdt.type": dupClass}, false)
	if err != nil {
		t.Fatal(err)
	}
	for name, typ := range map[string]configdef.Type{"must.exist.key": configdef.TypeBoolean, "predicate": configdef.TypeString, "negate": configdef.TypeBoolean} {
		if _, ok := def.Key(name); ok {
			t.Errorf("un-prefixed %s defined", name)
		}
		k, ok := def.Key("transforms.hdt." + name)
		if !ok || k.Type != typ {
			t.Errorf("transforms.hdt.%s = %+v, %v; want type %v", name, k, ok, typ)
		}
	}
	k, _ := def.Key("transforms.hdt.type")
	if k.Group != "Transforms: hdt" || k.DisplayName != "Transformation type for hdt" {
		t.Errorf("type key = %+v", k)
	}
}

func TestBuild(t *testing.T) {
	dummy := &connectors.Record{Sink: true}
	cases := []struct {
		name       string
		props      map[string]string
		partitions []int32 // result partition per stage for the dummy record
	}{
		{"single", props("transforms", "a", "transforms.a.type", simpleClass, "transforms.a.magic.number", "42"), []int32{42}},
		{"multiple", props("transforms", "a, b", "transforms.a.type", simpleClass, "transforms.a.magic.number", "42",
			"transforms.b.type", simpleClass, "transforms.b.magic.number", "84"), []int32{42, 84}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			chain, err := Build(testRegistry(), tc.props)
			if err != nil {
				t.Fatal(err)
			}
			defer chain.Close()
			if len(chain) != len(tc.partitions) {
				t.Fatalf("%d stages", len(chain))
			}
			for i, want := range tc.partitions {
				out, _ := chain[i : i+1].Apply(dummy)
				if out.Partition != want || chain[i].Class != simpleClass {
					t.Errorf("stage %d: partition %d class %s", i, out.Partition, chain[i].Class)
				}
			}
		})
	}
}

// singleConditionalTransform / predicateNegationDefaultsToFalse.
func TestBuildWithPredicate(t *testing.T) {
	for _, negate := range []bool{true, false} {
		p := props("transforms", "a", "transforms.a.type", simpleClass, "transforms.a.magic.number", "42",
			"transforms.a.predicate", "my-pred", "predicates", "my-pred", "predicates.my-pred.type", predClass, "predicates.my-pred.int", "84")
		if negate {
			p["transforms.a.negate"] = "true"
		}
		chain, err := Build(testRegistry(), p)
		if err != nil {
			t.Fatal(err)
		}
		dummy := &connectors.Record{Sink: true}
		out, _ := chain.Apply(dummy)
		want := int32(0)
		if negate {
			want = 42
		}
		if out.Partition != want {
			t.Errorf("negate=%v: non-matching record partition %d, want %d", negate, out.Partition, want)
		}
		matching := &connectors.Record{Sink: true, Partition: 84}
		out, _ = chain.Apply(matching)
		want = 42
		if negate {
			want = 84
		}
		if out.Partition != want {
			t.Errorf("negate=%v: matching record partition %d, want %d", negate, out.Partition, want)
		}
		chain.Close()
	}
}

func TestBuildConfigureErrorClosesStages(t *testing.T) {
	_, err := Build(testRegistry(), props("transforms", "a,b", "transforms.a.type", simpleClass, "transforms.a.magic.number", "42",
		"transforms.b.type", simpleClass, "transforms.b.magic.number", "x"))
	if err == nil || !strings.Contains(err.Error(), "transformation b (test.SimpleTransformation)") {
		t.Fatalf("err = %v", err)
	}
}
