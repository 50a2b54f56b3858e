package connectors

import (
	"testing"

	"github.com/connect-go/connect-standalone/connectors/data"
)

func TestRecordJavaString(t *testing.T) {
	person := data.StructBuilder().Name("com.example.Person").
		Field("name", data.StringSchema).Field("age", data.OptionalInt32Schema).MustBuild()
	value := data.NewStruct(person).MustPut("name", "x").MustPut("age", int32(3))
	untyped := data.NewStruct(data.NewStructSchema(data.F("a", data.Int8Schema))).MustPut("a", int8(7))
	schemaless := data.NewMap(1)
	schemaless.Put("k", int64(1))

	tests := []struct {
		name string
		r    *Record
		want string
	}{
		{
			name: "bare source record (TimestampRouterTest's)",
			r:    &Record{Topic: "test", Partition: 0},
			want: "SourceRecord{sourcePartition=null, sourceOffset=null} ConnectRecord{topic='test', kafkaPartition=0, " +
				"key=null, keySchema=null, value=null, valueSchema=null, timestamp=null, headers=ConnectHeaders(headers=)}",
		},
		{
			name: "FileStreamSource record",
			r: &Record{Topic: "connect-test", Partition: NoPartition, ValueSchema: data.StringSchema, Value: "hello",
				Timestamp: 1700000000000, HasTimestamp: true,
				SourcePartition: map[string]any{"filename": "/tmp/in.txt"}, SourceOffset: map[string]any{"position": int64(42)}},
			want: "SourceRecord{sourcePartition={filename=/tmp/in.txt}, sourceOffset={position=42}} ConnectRecord{topic='connect-test', " +
				"kafkaPartition=null, key=null, keySchema=null, value=hello, valueSchema=Schema{STRING}, timestamp=1700000000000, " +
				"headers=ConnectHeaders(headers=)}",
		},
		{
			name: "source maps in HashMap order, nested maps",
			r: &Record{Topic: "t", Partition: NoPartition, Value: schemaless,
				SourcePartition: map[string]any{"c": int32(3), "a": int32(1), "b": int32(2)},
				SourceOffset:    map[string]any{"n": map[string]any{"x": true}, "z": nil, "m": map[string]any(nil)}},
			want: "SourceRecord{sourcePartition={a=1, b=2, c=3}, sourceOffset={z=null, m=null, n={x=true}}} ConnectRecord{topic='t', " +
				"kafkaPartition=null, key=null, keySchema=null, value={k=1}, valueSchema=null, timestamp=null, headers=ConnectHeaders(headers=)}",
		},
		{
			name: "sink record with struct and headers",
			r: &Record{Topic: "test", Partition: 0, Sink: true, KafkaOffset: 5, TimestampType: CreateTime,
				Timestamp: 1, HasTimestamp: true, KeySchema: data.Int32Schema, Key: int32(1), ValueSchema: person, Value: value,
				Headers: []Header{{Key: "h1", Schema: data.StringSchema, Value: "v"}, {Key: "h2"}}},
			want: "SinkRecord{kafkaOffset=5, timestampType=CreateTime, originalTopic=test, originalKafkaPartition=0, originalKafkaOffset=5} " +
				"ConnectRecord{topic='test', kafkaPartition=0, key=1, keySchema=Schema{INT32}, value=Struct{name=x,age=3}, " +
				"valueSchema=Schema{com.example.Person:STRUCT}, timestamp=1, headers=ConnectHeaders(headers=[" +
				"ConnectHeader(key=h1, value=v, schema=Schema{STRING}), ConnectHeader(key=h2, value=null, schema=null)])}",
		},
		{
			name: "sink record without timestamp, emptied headers, struct header without schema",
			r: &Record{Topic: "t2", Partition: 3, Sink: true, KafkaOffset: 0, TimestampType: NoTimestampType,
				Value: []any{int8(1), "a", nil}, Headers: []Header{}},
			want: "SinkRecord{kafkaOffset=0, timestampType=NoTimestampType, originalTopic=t2, originalKafkaPartition=3, originalKafkaOffset=0} " +
				"ConnectRecord{topic='t2', kafkaPartition=3, key=null, keySchema=null, value=[1, a, null], valueSchema=null, " +
				"timestamp=null, headers=ConnectHeaders(headers=[])}",
		},
		{
			name: "header schema taken from a struct value",
			r: &Record{Topic: "t", Partition: NoPartition, Sink: true, TimestampType: LogAppendTime, Timestamp: -5, HasTimestamp: true,
				Headers: []Header{{Key: "s", Value: untyped}, {Key: "f", Schema: data.Float64Schema, Value: 1.0}}},
			want: "SinkRecord{kafkaOffset=0, timestampType=LogAppendTime, originalTopic=t, originalKafkaPartition=null, originalKafkaOffset=0} " +
				"ConnectRecord{topic='t', kafkaPartition=null, key=null, keySchema=null, value=null, valueSchema=null, timestamp=-5, " +
				"headers=ConnectHeaders(headers=[ConnectHeader(key=s, value=Struct{a=7}, schema=Schema{STRUCT}), " +
				"ConnectHeader(key=f, value=1.0, schema=Schema{FLOAT64})])}",
		},
	}
	for _, tt := range tests {
		if got := tt.r.JavaString(); got != tt.want {
			t.Errorf("%s:\n got  %s\n want %s", tt.name, got, tt.want)
		}
	}
}
