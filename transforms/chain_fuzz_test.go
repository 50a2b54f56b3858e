package transforms

import (
	"errors"
	"testing"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/converters"
)

// fuzzChains are chains of every transformation over the shapes records
// take; each is applied to every fuzzed record.
var fuzzChains = [][]struct {
	class string
	props map[string]string
}{
	{
		{"org.apache.kafka.connect.transforms.InsertField$Value", map[string]string{"topic.field": "t", "partition.field": "p!", "offset.field": "o", "timestamp.field": "ts", "static.field": "s", "static.value": "v"}},
		{"org.apache.kafka.connect.transforms.ReplaceField$Value", map[string]string{"exclude": "a", "renames": "b:c"}},
		{"org.apache.kafka.connect.transforms.MaskField$Value", map[string]string{"fields": "c,d"}},
	},
	{
		{"org.apache.kafka.connect.transforms.ValueToKey", map[string]string{"fields": "a,b"}},
		{"org.apache.kafka.connect.transforms.HoistField$Key", map[string]string{"field": "k"}},
		{"org.apache.kafka.connect.transforms.InsertField$Key", map[string]string{"static.field": "s", "static.value": "v"}},
	},
	{
		{"org.apache.kafka.connect.transforms.MaskField$Value", map[string]string{"fields": "a,b,c", "replacement": "0"}},
		{"org.apache.kafka.connect.transforms.HoistField$Value", map[string]string{"field": "h"}},
		{"org.apache.kafka.connect.transforms.ReplaceField$Value", map[string]string{"include": "h"}},
	},
	{
		{"org.apache.kafka.connect.transforms.Flatten$Value", map[string]string{"delimiter": "_"}},
		{"org.apache.kafka.connect.transforms.Cast$Value", map[string]string{"spec": "a:string,b:int8,c:float32,d_e:boolean"}},
		{"org.apache.kafka.connect.transforms.SetSchemaMetadata$Value", map[string]string{"schema.name": "n", "schema.version": "2"}},
	},
	{
		{"org.apache.kafka.connect.transforms.ExtractField$Value", map[string]string{"field": "d.e", "field.syntax.version": "V2"}},
		{"org.apache.kafka.connect.transforms.Cast$Value", map[string]string{"spec": "string"}},
	},
	{
		{"org.apache.kafka.connect.transforms.Cast$Key", map[string]string{"spec": "int64"}},
		{"org.apache.kafka.connect.transforms.ExtractField$Key", map[string]string{"field": "a"}},
		{"org.apache.kafka.connect.transforms.Flatten$Key", map[string]string{}},
	},
	{
		{"org.apache.kafka.connect.transforms.TimestampConverter$Value", map[string]string{"field": "a", "target.type": "string", "format": "yyyy-MM-dd HH:mm:ss.SSS XXX"}},
		{"org.apache.kafka.connect.transforms.TimestampConverter$Key", map[string]string{"target.type": "Timestamp", "unix.precision": "microseconds"}},
		{"org.apache.kafka.connect.transforms.TimestampRouter", map[string]string{"timestamp.format": "yyyy-ww-EEE"}},
	},
	{
		{"org.apache.kafka.connect.transforms.HeaderFrom$Value", map[string]string{"fields": "a,b", "headers": "ha,hb", "operation": "move"}},
		{"org.apache.kafka.connect.transforms.InsertHeader", map[string]string{"header": "h", "value.literal": "[1, {\"a\": true}]"}},
		{"org.apache.kafka.connect.transforms.DropHeaders", map[string]string{"headers": "ha"}},
		{"org.apache.kafka.connect.transforms.RegexRouter", map[string]string{"regex": "(t)(?<x>.*)", "replacement": "$1-${x}"}},
		{"org.apache.kafka.connect.transforms.Filter", map[string]string{}},
	},
}

func buildFuzzChains(t testing.TB) []Chain {
	byClass := map[string]Plugin{}
	for _, p := range Plugins() {
		byClass[p.Class] = p
	}
	var chains []Chain
	for _, spec := range fuzzChains {
		var c Chain
		for _, st := range spec {
			p, ok := byClass[st.class]
			if !ok {
				continue // not built in this tree yet
			}
			tr := p.NewTransformation()
			if err := tr.Configure(st.props); err != nil {
				t.Fatalf("%s: %v", st.class, err)
			}
			c = append(c, Stage{Alias: st.class, Class: st.class, Transform: tr})
		}
		chains = append(chains, c)
	}
	return chains
}

// FuzzChain feeds records decoded from arbitrary JsonConverter envelopes
// (schema'd and schemaless) through chains of every transformation: a
// transformation may reject a record, never panic.
func FuzzChain(f *testing.F) {
	for _, seed := range []string{
		`{"schema":null,"payload":{"a":1,"b":"x","c":[1,2],"d":{"e":null}}}`,
		`{"schema":null,"payload":null}`,
		`{"schema":null,"payload":"text"}`,
		`{"schema":{"type":"struct","optional":false,"fields":[{"field":"a","type":"int32","optional":false},{"field":"b","type":"string","optional":true},{"field":"c","type":"array","items":{"type":"int8"},"optional":true}]},"payload":{"a":1,"b":null,"c":[1]}}`,
		`{"schema":{"type":"struct","optional":true,"fields":[{"field":"a","type":"struct","optional":true,"fields":[{"field":"x","type":"bytes","optional":false}]}]},"payload":null}`,
		`{"schema":{"type":"map","keys":{"type":"string","optional":false},"values":{"type":"int64","optional":false},"optional":false},"payload":{"a":1}}`,
	} {
		f.Add([]byte(seed), true)
	}
	chains := buildFuzzChains(f)
	conv := converters.NewAsWrittenJSONConverter()
	f.Fuzz(func(t *testing.T, envelope []byte, sink bool) {
		schema, value, err := conv.ToConnectData("t", envelope)
		if err != nil {
			return
		}
		for _, c := range chains {
			rec := &connectors.Record{Topic: "t", Partition: 3, Sink: sink, KafkaOffset: 7, Timestamp: 1, HasTimestamp: true,
				KeySchema: schema, Key: value, ValueSchema: schema, Value: value}
			if _, err := c.Apply(rec); errors.Is(err, ErrPanic) {
				t.Fatalf("panic on %s: %v", envelope, err)
			}
		}
	})
}
