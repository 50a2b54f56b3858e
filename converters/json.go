package converters

import (
	"encoding/base64"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/connect-go/connect-standalone/connectors/data"
)

var sprintf = fmt.Sprintf

// JSON converter settings (JsonConverterConfig).
const (
	JSONSchemasEnableConfig          = "schemas.enable"
	JSONSchemasCacheSizeConfig       = "schemas.cache.size"
	JSONDecimalFormatConfig          = "decimal.format"
	JSONReplaceNullWithDefaultConfig = "replace.null.with.default"
)

// JSONConverter is org.apache.kafka.connect.json.JsonConverter (also a
// HeaderConverter). The zero value behaves like Kafka's defaults
// (schemas.enable=true, decimal.format=BASE64, replace.null.with.default=true,
// schemas.cache.size=1000). Safe for concurrent use after Configure.
type JSONConverter struct {
	schemasDisabled     bool
	decimalNumeric      bool
	keepNullOverDefault bool // replace.null.with.default=false
	asWritten           bool // nulls stay null: no default, no required check
	cacheSize           int

	once        sync.Once
	toJSONCache *lru[*data.Schema, []byte]
	toConnCache *lru[string, *data.Schema]
	bufPool     sync.Pool
}

// NewJSONConverter returns a JSONConverter with Kafka's defaults.
func NewJSONConverter() *JSONConverter { return &JSONConverter{} }

// NewAsWrittenJSONConverter returns a schemas-enabled JSONConverter that
// reads and writes envelopes as written: a null stays null whatever the
// schema says (no default substitution, no rejection under a required
// schema). The transform dry-run uses it to show records exactly.
func NewAsWrittenJSONConverter() *JSONConverter {
	return &JSONConverter{keepNullOverDefault: true, asWritten: true}
}

// Configure implements Converter.
func (c *JSONConverter) Configure(props map[string]string, isKey bool) error {
	return c.configure(props)
}

func (c *JSONConverter) configure(props map[string]string) error {
	if err := checkConverterType(props); err != nil {
		return err
	}
	se, err := boolProp(props, JSONSchemasEnableConfig, true)
	if err != nil {
		return err
	}
	size, err := intProp(props, JSONSchemasCacheSizeConfig, 1000)
	if err != nil {
		return err
	}
	df := props[JSONDecimalFormatConfig]
	numeric := false
	if _, ok := props[JSONDecimalFormatConfig]; ok {
		switch strings.ToUpper(strings.TrimSpace(df)) {
		case "BASE64":
		case "NUMERIC":
			numeric = true
		default:
			return &ConfigError{Key: JSONDecimalFormatConfig, Value: strings.TrimSpace(df), Msg: "String must be one of (case insensitive): BASE64, NUMERIC"}
		}
	}
	rn, err := boolProp(props, JSONReplaceNullWithDefaultConfig, true)
	if err != nil {
		return err
	}
	c.schemasDisabled = !se
	c.decimalNumeric = numeric
	c.keepNullOverDefault = !rn
	c.cacheSize = size
	c.toJSONCache = newLRU[*data.Schema, []byte](size)
	c.toConnCache = newLRU[string, *data.Schema](size)
	c.once.Do(func() {}) // caches are set
	return nil
}

func (c *JSONConverter) caches() {
	c.once.Do(func() {
		c.cacheSize = 1000
		c.toJSONCache = newLRU[*data.Schema, []byte](1000)
		c.toConnCache = newLRU[string, *data.Schema](1000)
	})
}

// FromConnectHeader implements HeaderConverter (same as FromConnectData).
func (c *JSONConverter) FromConnectHeader(topic, headerKey string, schema *data.Schema, value any) ([]byte, error) {
	return c.FromConnectData(topic, schema, value)
}

// ToConnectHeader implements HeaderConverter (same as ToConnectData).
func (c *JSONConverter) ToConnectHeader(topic, headerKey string, b []byte) (*data.Schema, any, error) {
	return c.ToConnectData(topic, b)
}

// AsHeaderConverter returns c as a HeaderConverter (whose Configure takes no isKey).
func (c *JSONConverter) AsHeaderConverter() HeaderConverter { return headerAdapter[*JSONConverter]{c} }

// FromConnectData implements Converter. Only a nil schema with a nil value
// yields nil bytes (a Kafka tombstone).
func (c *JSONConverter) FromConnectData(topic string, schema *data.Schema, value any) ([]byte, error) {
	if schema == nil && value == nil {
		return nil, nil
	}
	c.caches()
	bp, _ := c.bufPool.Get().(*[]byte)
	if bp == nil {
		bp = new([]byte)
	}
	b := (*bp)[:0]
	var err error
	if !c.schemasDisabled {
		b = append(b, `{"schema":`...)
		if b, err = c.appendSchema(b, schema); err == nil {
			b = append(b, `,"payload":`...)
			if b, err = c.appendValue(b, schema, value); err == nil {
				b = append(b, '}')
			}
		}
	} else {
		b, err = c.appendValue(b, schema, value)
	}
	var out []byte
	if err == nil {
		out = append(make([]byte, 0, len(b)), b...)
	}
	if cap(b) <= 1<<16 {
		*bp = b
		c.bufPool.Put(bp)
	}
	if err != nil {
		return nil, newError("JsonConverter", topic, "serialize", err, nil)
	}
	return out, nil
}

// appendSchema writes asJsonSchema(schema), cached per schema pointer.
func (c *JSONConverter) appendSchema(b []byte, s *data.Schema) ([]byte, error) {
	if s == nil {
		return append(b, "null"...), nil
	}
	if cached, ok := c.toJSONCache.get(s); ok {
		return append(b, cached...), nil
	}
	start := len(b)
	b, err := c.buildSchema(b, s)
	if err != nil {
		return b, err
	}
	c.toJSONCache.put(s, append([]byte(nil), b[start:]...))
	return b, nil
}

var jsonTypeNames = [...]string{
	data.TypeInt8: "int8", data.TypeInt16: "int16", data.TypeInt32: "int32", data.TypeInt64: "int64",
	data.TypeFloat32: "float", data.TypeFloat64: "double", data.TypeBoolean: "boolean",
	data.TypeString: "string", data.TypeBytes: "bytes", data.TypeArray: "array",
	data.TypeMap: "map", data.TypeStruct: "struct",
}

// jsonSchemaType maps a schema JSON "type" name back to its Connect type
// (0 when unknown).
func jsonSchemaType(name string) data.Type {
	for t, n := range jsonTypeNames {
		if n == name && n != "" {
			return data.Type(t)
		}
	}
	return 0
}

func (c *JSONConverter) buildSchema(b []byte, s *data.Schema) ([]byte, error) {
	if s.Type < data.TypeInt8 || s.Type > data.TypeStruct {
		return b, dataError("Couldn't translate unsupported schema type %s.", s)
	}
	var err error
	b = append(b, `{"type":"`...)
	b = append(b, jsonTypeNames[s.Type]...)
	b = append(b, '"')
	switch s.Type {
	case data.TypeArray:
		b = append(b, `,"items":`...)
		if b, err = c.appendSchema(b, s.Value); err != nil {
			return b, err
		}
	case data.TypeMap:
		b = append(b, `,"keys":`...)
		if b, err = c.appendSchema(b, s.Key); err != nil {
			return b, err
		}
		b = append(b, `,"values":`...)
		if b, err = c.appendSchema(b, s.Value); err != nil {
			return b, err
		}
	case data.TypeStruct:
		b = append(b, `,"fields":[`...)
		for i := range s.Fields {
			if i > 0 {
				b = append(b, ',')
			}
			f := &s.Fields[i]
			if f.Schema == nil {
				return b, dataError("Couldn't translate unsupported schema type null.")
			}
			if b, err = c.appendSchema(b, f.Schema); err != nil {
				return b, err
			}
			b = b[:len(b)-1] // reopen the field schema object to add "field"
			b = append(b, `,"field":`...)
			b = data.AppendJacksonString(b, f.Name)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"optional":`...)
	b = strconv.AppendBool(b, s.Optional)
	if s.Name != "" {
		b = append(b, `,"name":`...)
		b = data.AppendJacksonString(b, s.Name)
	}
	if s.Version != nil {
		b = append(b, `,"version":`...)
		b = strconv.AppendInt(b, int64(*s.Version), 10)
	}
	if s.Doc != "" {
		b = append(b, `,"doc":`...)
		b = data.AppendJacksonString(b, s.Doc)
	}
	if s.Params != nil {
		b = append(b, `,"parameters":{`...)
		for i, p := range s.Params {
			if i > 0 {
				b = append(b, ',')
			}
			b = data.AppendJacksonString(b, p.Key)
			b = append(b, ':')
			b = data.AppendJacksonString(b, p.Value)
		}
		b = append(b, '}')
	}
	if s.Default != nil {
		b = append(b, `,"default":`...)
		if b, err = c.appendValue(b, s, s.Default); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

// appendValue is JsonConverter.convertToJson.
func (c *JSONConverter) appendValue(b []byte, s *data.Schema, v any) ([]byte, error) {
	if v == nil {
		if s == nil {
			return append(b, "null"...), nil
		}
		if s.Default != nil && !c.keepNullOverDefault {
			return c.appendValue(b, s, s.Default)
		}
		if s.Optional || c.asWritten {
			return append(b, "null"...), nil
		}
		return b, dataError("Conversion error: null value for field that is required and has no default value")
	}
	if s != nil {
		switch s.Name {
		case data.DecimalName:
			d, ok := v.(data.Decimal)
			if !ok {
				return b, dataError("Invalid type for Decimal, expected BigDecimal but was %s", data.JavaClass(v))
			}
			if c.decimalNumeric {
				return d.AppendString(b), nil
			}
			raw, err := data.DecimalFromLogical(s, d)
			if err != nil {
				return b, err
			}
			return appendBase64(b, raw), nil
		case data.DateName, data.TimeName, data.TimestampName:
			t, ok := v.(time.Time)
			if !ok {
				kind := strings.TrimPrefix(s.Name, "org.apache.kafka.connect.data.")
				return b, dataError("Invalid type for %s, expected Date but was %s", kind, data.JavaClass(v))
			}
			var n int64
			var err error
			switch s.Name {
			case data.DateName:
				var d int32
				d, err = data.DateFromLogical(s, t)
				n = int64(d)
			case data.TimeName:
				var d int32
				d, err = data.TimeFromLogical(s, t)
				n = int64(d)
			default:
				n, err = data.TimestampFromLogical(s, t)
			}
			if err != nil {
				return b, err
			}
			return strconv.AppendInt(b, n, 10), nil
		}
	}
	var t data.Type
	if s != nil {
		t = s.Type
	} else {
		var ok bool
		if t, ok = data.InferSchemaType(v); !ok {
			return b, dataError("Java class %s does not have corresponding schema type.", data.JavaClass(v))
		}
	}
	bad := func() ([]byte, error) {
		name := "unknown schema"
		if s != nil {
			name = s.Type.String()
		}
		return b, dataError("Invalid type for %s: %s", name, data.JavaClass(v))
	}
	switch t {
	case data.TypeInt8:
		x, ok := v.(int8)
		if !ok {
			return bad()
		}
		return strconv.AppendInt(b, int64(x), 10), nil
	case data.TypeInt16:
		x, ok := v.(int16)
		if !ok {
			return bad()
		}
		return strconv.AppendInt(b, int64(x), 10), nil
	case data.TypeInt32:
		x, ok := v.(int32)
		if !ok {
			return bad()
		}
		return strconv.AppendInt(b, int64(x), 10), nil
	case data.TypeInt64:
		x, ok := v.(int64)
		if !ok {
			return bad()
		}
		return strconv.AppendInt(b, x, 10), nil
	case data.TypeFloat32:
		x, ok := v.(float32)
		if !ok {
			return bad()
		}
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			b = append(b, '"')
			return append(data.AppendJavaFloat(b, x), '"'), nil
		}
		return data.AppendJavaFloat(b, x), nil
	case data.TypeFloat64:
		x, ok := v.(float64)
		if !ok {
			return bad()
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			b = append(b, '"')
			return append(data.AppendJavaDouble(b, x), '"'), nil
		}
		return data.AppendJavaDouble(b, x), nil
	case data.TypeBoolean:
		x, ok := v.(bool)
		if !ok {
			return bad()
		}
		return strconv.AppendBool(b, x), nil
	case data.TypeString:
		x, ok := v.(string)
		if !ok {
			return bad()
		}
		return data.AppendJacksonString(b, x), nil
	case data.TypeBytes:
		x, ok := v.([]byte)
		if !ok {
			return b, dataError("Invalid type for bytes type: %s", data.JavaClass(v))
		}
		return appendBase64(b, x), nil
	case data.TypeArray:
		x, ok := v.([]any)
		if !ok {
			return bad()
		}
		var es *data.Schema
		if s != nil {
			es = s.Value
		}
		b = append(b, '[')
		var err error
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = c.appendValue(b, es, e); err != nil {
				return b, err
			}
		}
		return append(b, ']'), nil
	case data.TypeMap:
		m, ok := v.(*data.Map)
		if !ok || m == nil {
			return bad()
		}
		return c.appendMap(b, s, m)
	case data.TypeStruct:
		st, ok := v.(*data.Struct)
		if !ok || st == nil || (st.Schema() != s && !st.Schema().Equal(s)) {
			return b, dataError("Mismatching schema.")
		}
		b = append(b, '{')
		var err error
		for i := range s.Fields {
			f := &s.Fields[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = data.AppendJacksonString(b, f.Name)
			b = append(b, ':')
			if b, err = c.appendValue(b, f.Schema, st.Value(f.Index)); err != nil {
				return b, err
			}
		}
		return append(b, '}'), nil
	}
	return bad()
}

func (c *JSONConverter) appendMap(b []byte, s *data.Schema, m *data.Map) ([]byte, error) {
	var ks, vs *data.Schema
	objectMode := true
	if s != nil {
		ks, vs = s.Key, s.Value
		if ks == nil {
			return b, dataError("Map schema did not specify the key type")
		}
		objectMode = ks.Type == data.TypeString
	} else {
		for i := range m.Entries {
			if _, ok := m.Entries[i].Key.(string); !ok {
				objectMode = false
				break
			}
		}
	}
	// Kafka iterates the Java map: HashMap order unless it is a LinkedHashMap.
	var order []int
	if len(m.Entries) > 1 && !m.Linked {
		order = m.IterationOrder()
	}
	var err error
	if objectMode {
		b = append(b, '{')
		for i := range m.Entries {
			e := &m.Entries[i]
			if order != nil {
				e = &m.Entries[order[i]]
			}
			if i > 0 {
				b = append(b, ',')
			}
			switch k := e.Key.(type) {
			case string:
				b = data.AppendJacksonString(b, k)
			case nil:
				// convertToJson(keySchema, null).asText()
				kb, err := c.appendValue(nil, ks, nil)
				if err != nil {
					return b, err
				}
				if len(kb) > 1 && kb[0] == '"' {
					b = append(b, kb...)
				} else {
					b = data.AppendJacksonString(b, string(kb))
				}
			default:
				return b, dataError("Invalid type for STRING: %s", data.JavaClass(k))
			}
			b = append(b, ':')
			if b, err = c.appendValue(b, vs, e.Value); err != nil {
				return b, err
			}
		}
		return append(b, '}'), nil
	}
	b = append(b, '[')
	for i := range m.Entries {
		e := &m.Entries[i]
		if order != nil {
			e = &m.Entries[order[i]]
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		if b, err = c.appendValue(b, ks, e.Key); err != nil {
			return b, err
		}
		b = append(b, ',')
		if b, err = c.appendValue(b, vs, e.Value); err != nil {
			return b, err
		}
		b = append(b, ']')
	}
	return append(b, ']'), nil
}

func appendBase64(b []byte, raw []byte) []byte {
	b = append(b, '"')
	b = base64.StdEncoding.AppendEncode(b, raw)
	return append(b, '"')
}

const envelopeMsg = `JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.`

// ToConnectData implements Converter. Nil bytes yield (nil, nil).
func (c *JSONConverter) ToConnectData(topic string, b []byte) (*data.Schema, any, error) {
	if b == nil {
		return nil, nil, nil
	}
	c.caches()
	lazy := ""
	if !c.schemasDisabled {
		lazy = "schema"
	}
	root, err := parseJSONLazy(b, lazy)
	if err != nil {
		return nil, nil, newError("JsonConverter", topic, "deserialize",
			&data.DataError{Msg: "Converting byte[] to Kafka Connect data failed due to serialization error: ", Cause: err}, b)
	}
	var schema *data.Schema
	payload := &root
	if !c.schemasDisabled {
		if root.kind != jObject || len(root.keys) != 2 || root.get("schema") == nil || root.get("payload") == nil {
			return nil, nil, newError("JsonConverter", topic, "deserialize", dataError(envelopeMsg), b)
		}
		sn := root.get("schema")
		payload = root.get("payload")
		if schema, err = c.schemaFromJSON(b, sn); err != nil {
			return nil, nil, newError("JsonConverter", topic, "deserialize", err, b)
		}
	}
	v, err := c.toConnect(schema, payload)
	if err != nil {
		return nil, nil, newError("JsonConverter", topic, "deserialize", err, b)
	}
	return schema, v, nil
}

// schemaFromJSON is asConnectSchema with the cache keyed by the schema's JSON text.
func (c *JSONConverter) schemaFromJSON(in []byte, n *jnode) (*data.Schema, error) {
	if n.kind == jNull {
		return nil, nil
	}
	span := in[n.start:n.end]
	cacheable := n.kind == jObject
	if cacheable {
		if s, ok := c.toConnCache.get(string(span)); ok {
			return s, nil
		}
	}
	if n.lazy {
		full, err := parseJSON(span)
		if err != nil {
			return nil, err
		}
		n = &full
	}
	s, err := c.asConnectSchema(n)
	if err != nil {
		return nil, err
	}
	if cacheable {
		c.toConnCache.put(string(span), s)
	}
	return s, nil
}

func (c *JSONConverter) asConnectSchema(n *jnode) (*data.Schema, error) {
	if n.kind == jNull {
		return nil, nil
	}
	tn := n.get("type")
	if tn == nil || tn.kind != jString {
		return nil, dataError("Schema must contain 'type' field")
	}
	var b *data.SchemaBuilder
	switch t := jsonSchemaType(tn.s); {
	case t.IsPrimitive():
		b = data.NewSchemaBuilder(t)
	case tn.s == "array":
		en := n.get("items")
		if en.isNull() {
			return nil, dataError("Array schema did not specify the element type")
		}
		es, err := c.asConnectSchema(en)
		if err != nil {
			return nil, err
		}
		b = data.ArrayBuilder(es)
	case tn.s == "map":
		kn := n.get("keys")
		if kn == nil {
			return nil, dataError("Map schema did not specify the key type")
		}
		vn := n.get("values")
		if vn == nil {
			return nil, dataError("Map schema did not specify the value type")
		}
		ks, err := c.asConnectSchema(kn)
		if err != nil {
			return nil, err
		}
		vs, err := c.asConnectSchema(vn)
		if err != nil {
			return nil, err
		}
		if ks == nil {
			return nil, dataError("keySchema cannot be null.")
		}
		if vs == nil {
			return nil, dataError("valueSchema cannot be null.")
		}
		b = data.MapBuilder(ks, vs)
	case tn.s == "struct":
		b = data.StructBuilder()
		fn := n.get("fields")
		if fn == nil || fn.kind != jArray {
			return nil, dataError(`Struct schema's "fields" argument is not an array.`)
		}
		for i := range fn.kids {
			f := &fn.kids[i]
			name := f.get("field")
			if name == nil || name.kind != jString {
				return nil, dataError("Struct schema's field name not specified properly")
			}
			fs, err := c.asConnectSchema(f)
			if err != nil {
				return nil, err
			}
			b.Field(name.s, fs)
		}
	default:
		return nil, dataError("Unknown schema type: %s", tn.s)
	}
	if o := n.get("optional"); o != nil && o.kind == jBool && o.b {
		b.Optional()
	}
	if nm := n.get("name"); nm != nil && nm.kind == jString {
		b.Name(nm.s)
	}
	if v := n.get("version"); v != nil && v.isIntegral() {
		b.Version(v.intValue())
	}
	if d := n.get("doc"); d != nil && d.kind == jString {
		b.Doc(d.s)
	}
	if p := n.get("parameters"); p != nil && p.kind == jObject {
		for i := range p.keys {
			if p.kids[i].kind != jString {
				return nil, dataError("Schema parameters must have string values.")
			}
			b.Parameter(p.keys[i], p.kids[i].s)
		}
	}
	s, err := b.Build()
	if err != nil {
		return nil, err
	}
	if p := n.get("parameters"); p != nil && p.kind == jObject && len(p.keys) == 0 {
		s.Params = []data.Param{} // "parameters":{} round-trips
	}
	return c.withDefault(n, s)
}

func (c *JSONConverter) withDefault(n *jnode, s *data.Schema) (*data.Schema, error) {
	dn := n.get("default")
	if dn == nil {
		return s, nil
	}
	v, err := c.toConnect(s, dn)
	if err != nil {
		return nil, err
	}
	if v != nil {
		if err := data.ValidateValue(s, v); err != nil {
			return nil, &data.DataError{Msg: "Invalid default value", Cause: err}
		}
	}
	s.Default = v
	return s, nil
}

// toConnect is JsonConverter.convertToConnect.
func (c *JSONConverter) toConnect(s *data.Schema, n *jnode) (any, error) {
	var t data.Type
	if s != nil {
		t = s.Type
		if n.isNull() {
			if c.asWritten {
				return nil, nil
			}
			if s.Default != nil && !c.keepNullOverDefault {
				return s.Default, nil
			}
			if s.Optional {
				return nil, nil
			}
			return nil, dataError("Invalid null value for required %s field", t)
		}
	} else {
		switch n.kind {
		case jNull, jMissing:
			return nil, nil
		case jBool:
			return n.b, nil
		case jInt, jLong, jBigInt:
			return n.longValue(), nil
		case jDec:
			return n.doubleValue(), nil
		case jString:
			return n.s, nil
		case jArray:
			out := make([]any, len(n.kids))
			for i := range n.kids {
				v, err := c.toConnect(nil, &n.kids[i])
				if err != nil {
					return nil, err
				}
				out[i] = v
			}
			return out, nil
		case jObject:
			m := &data.Map{Entries: make([]data.MapEntry, len(n.kids))}
			for i := range n.kids {
				v, err := c.toConnect(nil, &n.kids[i])
				if err != nil {
					return nil, err
				}
				m.Entries[i] = data.MapEntry{Key: n.keys[i], Value: v}
			}
			return m, nil
		}
		return nil, dataError("Unknown schema type: null")
	}
	switch s.Name {
	case data.DecimalName:
		if n.isNumber() {
			if n.kind == jDec {
				d, err := data.ParseDecimal(n.s)
				if err != nil {
					return nil, err
				}
				return d, nil
			}
			return data.NewDecimal(n.bigInt(), 0), nil
		}
		if n.kind == jString {
			raw, err := decodeBase64(n.s)
			if err == nil {
				var d data.Decimal
				if d, err = data.DecimalToLogical(s, raw); err == nil {
					return d, nil
				}
			}
			return nil, &data.DataError{Msg: "Invalid bytes for Decimal field", Cause: err}
		}
		return nil, dataError("Invalid type for Decimal, underlying representation should be numeric or bytes but was %s", n.kind.nodeType())
	case data.DateName:
		if n.kind != jInt {
			return nil, dataError("Invalid type for Date, underlying representation should be integer but was %s", n.kind.nodeType())
		}
		return data.DateToLogical(s, int32(n.i))
	case data.TimeName:
		if n.kind != jInt {
			return nil, dataError("Invalid type for Time, underlying representation should be integer but was %s", n.kind.nodeType())
		}
		return data.TimeToLogical(s, int32(n.i))
	case data.TimestampName:
		if !n.isIntegral() {
			return nil, dataError("Invalid type for Timestamp, underlying representation should be integral but was %s", n.kind.nodeType())
		}
		return data.TimestampToLogical(s, n.longValue())
	}
	// Jackson's lenient accessors: mismatched JSON types read as 0/false/null.
	switch t {
	case data.TypeBoolean:
		return n.kind == jBool && n.b, nil
	case data.TypeInt8:
		return int8(n.intValue()), nil
	case data.TypeInt16:
		return int16(n.intValue()), nil
	case data.TypeInt32:
		return n.intValue(), nil
	case data.TypeInt64:
		return n.longValue(), nil
	case data.TypeFloat32:
		return n.floatValue(), nil
	case data.TypeFloat64:
		return n.doubleValue(), nil
	case data.TypeString:
		if n.kind != jString {
			return nil, nil
		}
		return n.s, nil
	case data.TypeBytes:
		if n.kind != jString {
			return nil, nil
		}
		raw, err := decodeBase64(n.s)
		if err != nil {
			return nil, &data.DataError{Msg: "Invalid bytes field", Cause: err}
		}
		return raw, nil
	case data.TypeArray:
		var kids []jnode
		if n.kind == jArray || n.kind == jObject {
			kids = n.kids // iterating an ObjectNode yields its values
		}
		out := make([]any, len(kids))
		for i := range kids {
			v, err := c.toConnect(s.Value, &kids[i])
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	case data.TypeMap:
		if s.Key == nil || s.Key.Type == data.TypeString {
			if n.kind != jObject {
				return nil, dataError("Maps with string fields should be encoded as JSON objects, but found %s", n.kind.nodeType())
			}
			m := &data.Map{Entries: make([]data.MapEntry, len(n.kids))}
			for i := range n.kids {
				v, err := c.toConnect(s.Value, &n.kids[i])
				if err != nil {
					return nil, err
				}
				m.Entries[i] = data.MapEntry{Key: n.keys[i], Value: v}
			}
			return m, nil
		}
		if n.kind != jArray {
			return nil, dataError("Maps with non-string fields should be encoded as JSON array of tuples, but found %s", n.kind.nodeType())
		}
		m := data.NewMap(len(n.kids))
		for i := range n.kids {
			e := &n.kids[i]
			if e.kind != jArray {
				return nil, dataError("Found invalid map entry instead of array tuple: %s", e.kind.nodeType())
			}
			if len(e.kids) != 2 {
				return nil, dataError("Found invalid map entry, expected length 2 but found :%d", len(e.kids))
			}
			k, err := c.toConnect(s.Key, &e.kids[0])
			if err != nil {
				return nil, err
			}
			v, err := c.toConnect(s.Value, &e.kids[1])
			if err != nil {
				return nil, err
			}
			m.Put(k, v)
		}
		return m, nil
	case data.TypeStruct:
		if n.kind != jObject {
			return nil, dataError("Structs should be encoded as JSON objects, but found %s", n.kind.nodeType())
		}
		st := data.NewStruct(s)
		for i := range s.Fields {
			f := &s.Fields[i]
			v, err := c.toConnect(f.Schema, n.get(f.Name))
			if err != nil {
				return nil, err
			}
			if err := st.PutField(f, v); err != nil {
				return nil, err
			}
		}
		return st, nil
	}
	return nil, dataError("Unknown schema type: %s", t)
}

// decodeBase64 reads Jackson's default (MIME-no-linefeeds) Base64: standard
// alphabet with padding; whitespace is skipped.
func decodeBase64(s string) ([]byte, error) {
	if strings.ContainsAny(s, " \t\r\n") {
		s = strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
				return -1
			}
			return r
		}, s)
	}
	return base64.StdEncoding.DecodeString(s)
}
