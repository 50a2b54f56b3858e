package connectors

import (
	"slices"
	"strconv"

	"github.com/connect-go/connect-standalone/connectors/data"
)

// timestampTypeName is org.apache.kafka.common.record.TimestampType.toString.
func timestampTypeName(t TimestampType) string {
	switch t {
	case CreateTime:
		return "CreateTime"
	case LogAppendTime:
		return "LogAppendTime"
	}
	return "NoTimestampType"
}

// JavaString renders the record exactly like Java's SourceRecord.toString
// or SinkRecord.toString, which Kafka puts in messages such as
// "Timestamp missing on record: <record>" and in error logs:
//
//	SourceRecord{sourcePartition={...}, sourceOffset={...}} ConnectRecord{topic='t', kafkaPartition=null,
//	  key=k, keySchema=Schema{STRING}, value=v, valueSchema=null, timestamp=null, headers=ConnectHeaders(headers=)}
//	SinkRecord{kafkaOffset=5, timestampType=CreateTime, originalTopic=t, originalKafkaPartition=0,
//	  originalKafkaOffset=5} ConnectRecord{...}
//
// Values render with data.JavaString and schemas as ConnectSchema.toString.
// Source partitions and offsets render as java.util.HashMaps filled in key
// order. Headers render as ConnectHeaders does: nil Headers (a record that
// never had any) as "headers=", an empty non-nil slice as "headers=[]".
//
// Record does not keep a sink record's topic, partition and offset from
// before the transformations, so the original* parts show the current ones;
// they differ from Java's only after a transformation has changed them.
func (r *Record) JavaString() string {
	b := make([]byte, 0, 256)
	if r.Sink {
		b = append(b, "SinkRecord{kafkaOffset="...)
		b = strconv.AppendInt(b, r.KafkaOffset, 10)
		b = append(b, ", timestampType="...)
		b = append(b, timestampTypeName(r.TimestampType)...)
		b = append(b, ", originalTopic="...)
		b = append(b, r.Topic...)
		b = append(b, ", originalKafkaPartition="...)
		b = appendPartition(b, r.Partition)
		b = append(b, ", originalKafkaOffset="...)
		b = strconv.AppendInt(b, r.KafkaOffset, 10)
	} else {
		b = append(b, "SourceRecord{sourcePartition="...)
		b = appendJavaMap(b, r.SourcePartition)
		b = append(b, ", sourceOffset="...)
		b = appendJavaMap(b, r.SourceOffset)
	}
	b = append(b, "} ConnectRecord{topic='"...)
	b = append(b, r.Topic...)
	b = append(b, "', kafkaPartition="...)
	b = appendPartition(b, r.Partition)
	b = append(b, ", key="...)
	b = data.AppendJavaString(b, r.Key)
	b = append(b, ", keySchema="...)
	b = append(b, r.KeySchema.String()...)
	b = append(b, ", value="...)
	b = data.AppendJavaString(b, r.Value)
	b = append(b, ", valueSchema="...)
	b = append(b, r.ValueSchema.String()...)
	b = append(b, ", timestamp="...)
	if r.HasTimestamp {
		b = strconv.AppendInt(b, r.Timestamp, 10)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, ", headers=ConnectHeaders(headers="...)
	if r.Headers != nil {
		b = append(b, '[')
		for i := range r.Headers {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = appendHeader(b, &r.Headers[i])
		}
		b = append(b, ']')
	}
	return string(append(b, ")}"...))
}

func appendPartition(b []byte, p int32) []byte {
	if p == NoPartition {
		return append(b, "null"...)
	}
	return strconv.AppendInt(b, int64(p), 10)
}

// appendHeader is ConnectHeader.toString; a header without a schema whose
// value is a Struct reports the struct's schema.
func appendHeader(b []byte, h *Header) []byte {
	b = append(b, "ConnectHeader(key="...)
	b = append(b, h.Key...)
	b = append(b, ", value="...)
	b = data.AppendJavaString(b, h.Value)
	b = append(b, ", schema="...)
	schema := h.Schema
	if s, ok := h.Value.(*data.Struct); ok && schema == nil && s != nil {
		schema = s.Schema()
	}
	b = append(b, schema.String()...)
	return append(b, ')')
}

// appendJavaMap renders a source partition or offset like the HashMap
// connectors build (null for a nil map).
func appendJavaMap(b []byte, m map[string]any) []byte {
	if m == nil {
		return append(b, "null"...)
	}
	return data.AppendJavaString(b, toJavaMap(m))
}

func toJavaMap(m map[string]any) *data.Map {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	jm := data.NewMap(len(keys))
	for _, k := range keys {
		v := m[k]
		if nested, ok := v.(map[string]any); ok {
			if nested == nil {
				v = nil
			} else {
				v = toJavaMap(nested)
			}
		}
		jm.Put(k, v)
	}
	return jm
}
