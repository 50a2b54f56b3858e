package transforms

import (
	"errors"
	"testing"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
	"github.com/connect-go/connect-standalone/transforms/internal/simpledate"
)

func TestTimestampRouterPlugins(t *testing.T) {
	plugins := timestampRouterPlugins()
	if len(plugins) != 1 || plugins[0].Class != "org.apache.kafka.connect.transforms.TimestampRouter" || plugins[0].NewPredicate != nil {
		t.Fatalf("plugins = %+v", plugins)
	}
	tr, ok := plugins[0].NewTransformation().(*TimestampRouter)
	if !ok || tr.Config() != timestampRouterConfigDef {
		t.Fatalf("transformation = %#v", tr)
	}
	for _, want := range []configdef.Key{
		{Name: "topic.format", Default: "${topic}-${timestamp}"},
		{Name: "timestamp.format", Default: "yyyyMMdd"},
	} {
		k, ok := timestampRouterConfigDef.Key(want.Name)
		if !ok || k.Type != configdef.TypeString || k.Default != want.Default || k.Importance != configdef.High || k.Validator != nil {
			t.Errorf("key %s = %+v", want.Name, k)
		}
	}
	if n := len(timestampRouterConfigDef.Names()); n != 2 {
		t.Errorf("%d keys", n)
	}
}

// Ports TimestampRouterTest.defaultConfiguration, then goes beyond it.
func TestTimestampRouter(t *testing.T) {
	tests := []struct {
		name  string
		props map[string]string
		topic string
		ts    int64
		want  string
	}{
		{"defaultConfiguration", map[string]string{}, "test", 1483425001864, "test-20170103"},
		{"custom formats", map[string]string{"topic.format": "${timestamp}.${topic}.${topic}", "timestamp.format": "yyyy-MM-dd'T'HH:mm:ss.SSSX"},
			"orders", 1483425001864, "2017-01-03T06:30:01.864Z.orders.orders"},
		{"no placeholders", map[string]string{"topic.format": "fixed"}, "t", 0, "fixed"},
		{"timestamp placeholder inside the topic name is replaced too", map[string]string{"timestamp.format": "yyyy"},
			"a-${timestamp}", 0, "a-1970-1970"},
		{"replacement text is literal", map[string]string{"timestamp.format": "'$1\\'"}, "x$0", -1, "x$0-$1\\"},
		{"before 1970", map[string]string{"timestamp.format": "yyyyMMddHH"}, "t", -1, "t-1969123123"},
		{"week-based", map[string]string{"timestamp.format": "YYYY-ww"}, "t", 1609027200000, "t-2021-01"}, // 2020-12-27
	}
	for _, tt := range tests {
		xf := configured(t, NewTimestampRouter(), tt.props)
		in := &connectors.Record{Topic: tt.topic, Partition: 0, KeySchema: data.StringSchema, Key: "k", Value: int64(5),
			Timestamp: tt.ts, HasTimestamp: true, SourcePartition: map[string]any{}, SourceOffset: map[string]any{},
			Headers: []connectors.Header{{Key: "h", Value: "v"}}}
		out, err := xf.Apply(in)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if out.Topic != tt.want {
			t.Errorf("%s: topic = %q, want %q", tt.name, out.Topic, tt.want)
		}
		if in.Topic != tt.topic || out.Partition != 0 || out.Key != "k" || out.KeySchema != data.StringSchema || out.Value != int64(5) ||
			out.Timestamp != tt.ts || !out.HasTimestamp || len(out.Headers) != 1 || &out.Headers[0] == &in.Headers[0] {
			t.Errorf("%s: record = %+v", tt.name, out)
		}
	}
}

func TestTimestampRouterMissingTimestamp(t *testing.T) {
	xf := configured(t, NewTimestampRouter(), map[string]string{})
	tests := []struct {
		r    *connectors.Record
		want string
	}{
		{&connectors.Record{Topic: "test", Partition: 0},
			"Timestamp missing on record: SourceRecord{sourcePartition=null, sourceOffset=null} ConnectRecord{topic='test', " +
				"kafkaPartition=0, key=null, keySchema=null, value=null, valueSchema=null, timestamp=null, headers=ConnectHeaders(headers=)}"},
		{sinkRecord(nil, nil, data.StringSchema, "v", 7),
			"Timestamp missing on record: SinkRecord{kafkaOffset=7, timestampType=NoTimestampType, originalTopic=test, " +
				"originalKafkaPartition=0, originalKafkaOffset=7} ConnectRecord{topic='test', kafkaPartition=0, key=null, " +
				"keySchema=null, value=v, valueSchema=Schema{STRING}, timestamp=null, headers=ConnectHeaders(headers=)}"},
	}
	for _, tt := range tests {
		out, err := xf.Apply(tt.r)
		var de *data.DataError
		if out != nil || !errors.As(err, &de) || err.Error() != tt.want {
			t.Errorf("Apply = %v, %v; want DataException %q", out, err, tt.want)
		}
	}
}

// Kafka creates the SimpleDateFormat in apply: an invalid pattern passes
// configure and fails every record with the IllegalArgumentException.
func TestTimestampRouterInvalidPattern(t *testing.T) {
	xf := configured(t, NewTimestampRouter(), map[string]string{"timestamp.format": "yyyy-bb"})
	r := sourceRecord(nil, nil, nil, nil)
	r.Timestamp, r.HasTimestamp = 0, true
	for range 2 {
		out, err := xf.Apply(r)
		var pe *simpledate.PatternError
		if out != nil || !errors.As(err, &pe) || err.Error() != "Illegal pattern character 'b'" {
			t.Errorf("Apply = %v, %v", out, err)
		}
		var de *data.DataError
		if errors.As(err, &de) {
			t.Errorf("an IllegalArgumentException is no DataException")
		}
	}
	// The missing timestamp is reported first.
	if _, err := xf.Apply(sourceRecord(nil, nil, nil, nil)); err == nil || err.Error()[:29] != "Timestamp missing on record: " {
		t.Errorf("Apply = %v", err)
	}
	// Reconfiguring with a valid pattern recovers.
	xf = configured(t, xf, map[string]string{"timestamp.format": "yyyy"})
	if out, err := xf.Apply(r); err != nil || out.Topic != "test-1970" {
		t.Errorf("after reconfigure: %v, %v", out, err)
	}
}
