package transforms

import (
	"testing"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/data"
)

// benchChain is a typical 3-stage chain: rename/drop fields, tag the record,
// mask a field.
func benchChain(b *testing.B) Chain {
	byClass := map[string]Plugin{}
	for _, p := range Plugins() {
		byClass[p.Class] = p
	}
	stages := []struct {
		class string
		props map[string]string
	}{
		{"ReplaceField$Value", map[string]string{"exclude": "internal", "renames": "uid:id"}},
		{"InsertField$Value", map[string]string{"topic.field": "topic", "static.field": "source", "static.value": "bench"}},
		{"MaskField$Value", map[string]string{"fields": "email"}},
	}
	var c Chain
	for _, s := range stages {
		tr := byClass[classPrefix+s.class].NewTransformation()
		if err := tr.Configure(s.props); err != nil {
			b.Fatal(err)
		}
		c = append(c, Stage{Transform: tr})
	}
	return c
}

// BenchmarkChain3 measures one record through a 3-transform chain, for a
// schema'd (Struct) and a schemaless (Map) value.
func BenchmarkChain3(b *testing.B) {
	schema := data.StructBuilder().Name("User").
		Field("uid", data.Int64Schema).Field("email", data.OptionalStringSchema).
		Field("score", data.Float64Schema).Field("internal", data.BooleanSchema).MustBuild()
	st := data.NewStruct(schema).MustPut("uid", int64(7)).MustPut("email", "a@example.com").MustPut("score", 99.5).MustPut("internal", true)
	m := mapOf("uid", int64(7), "email", "a@example.com", "score", 99.5, "internal", true)
	for _, tc := range []struct {
		name   string
		schema *data.Schema
		value  any
	}{{"struct", schema, st}, {"map", nil, m}} {
		b.Run(tc.name, func(b *testing.B) {
			c := benchChain(b)
			rec := &connectors.Record{Topic: "users", Partition: connectors.NoPartition, ValueSchema: tc.schema, Value: tc.value}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Apply(rec); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
