package data

import (
	"encoding/base64"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// This file ports org.apache.kafka.connect.data.Values: the string form used
// by SimpleHeaderConverter (ConvertToString) and its inverse with schema
// inference (ParseString), including the conversions (ConvertTo) used to
// align the elements of parsed arrays and maps to their common schema.

// ConvertToString is Values.convertToString: numbers and booleans as Java
// prints them, strings as is, bytes as Base64, lists as [a,b], maps as
// {k:v} and structs as {"f":v} (embedded strings quoted and escaped), dates
// as ISO-8601 in the local zone. Unsupported Go types fall back to JavaString.
func ConvertToString(schema *Schema, value any) string {
	s, err := TryConvertToString(schema, value)
	if err != nil {
		return JavaString(value)
	}
	return s
}

// TryConvertToString is ConvertToString reporting unsupported values
// ("Failed to serialize unexpected value type ...").
func TryConvertToString(schema *Schema, value any) (string, error) {
	if s, ok := value.(string); ok {
		return s, nil
	}
	b, err := appendValuesString(nil, value, false)
	return string(b), err
}

func appendValuesString(b []byte, v any, embedded bool) ([]byte, error) {
	var err error
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case int8, int16, int32, int64, float32, float64, bool, Decimal:
		return AppendJavaString(b, x), nil
	case string:
		if !embedded {
			return append(b, x...), nil
		}
		b = append(b, '"')
		for i := 0; i < len(x); i++ {
			if x[i] == '\\' || x[i] == '"' {
				b = append(b, '\\')
			}
			b = append(b, x[i])
		}
		return append(b, '"'), nil
	case []byte:
		if embedded {
			b = append(b, '"')
		}
		b = base64.StdEncoding.AppendEncode(b, x)
		if embedded {
			b = append(b, '"')
		}
		return b, nil
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = appendValuesString(b, e, true); err != nil {
				return b, err
			}
		}
		return append(b, ']'), nil
	case *Map:
		if x == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '{')
		for i, idx := range x.IterationOrder() {
			if i > 0 {
				b = append(b, ',')
			}
			e := &x.Entries[idx]
			if b, err = appendValuesString(b, e.Key, true); err != nil {
				return b, err
			}
			b = append(b, ':')
			if b, err = appendValuesString(b, e.Value, true); err != nil {
				return b, err
			}
		}
		return append(b, '}'), nil
	case *Struct:
		if x == nil || x.schema == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '{')
		for i := range x.schema.Fields {
			f := &x.schema.Fields[i]
			if i > 0 {
				b = append(b, ',')
			}
			b, _ = appendValuesString(b, f.Name, true)
			b = append(b, ':')
			if b, err = appendValuesString(b, x.GetField(f), true); err != nil {
				return b, err
			}
		}
		return append(b, '}'), nil
	case time.Time:
		ms := x.UnixMilli()
		t := x.In(time.Local)
		switch {
		case ms < millisPerDay:
			return t.AppendFormat(b, "15:04:05.000Z"), nil
		case ms%millisPerDay == 0:
			return t.AppendFormat(b, "2006-01-02"), nil
		}
		return t.AppendFormat(b, "2006-01-02T15:04:05.000Z"), nil
	}
	return b, dataErr("Failed to serialize unexpected value type %s: %s", JavaClassName(v), JavaString(v))
}

type schemaAndValue struct {
	schema *Schema
	value  any
}

// ParseString is Values.parseString: infers a schema and value from the
// string form. "null" gives (nil, nil, nil); "" is an empty STRING.
func ParseString(s string) (*Schema, any, error) {
	sv, err := parseString(s)
	if err != nil || sv == nil {
		return nil, nil, err
	}
	return sv.schema, sv.value, nil
}

func parseString(s string) (*schemaAndValue, error) {
	if s == "" {
		return &schemaAndValue{StringSchema, s}, nil
	}
	p := &vparser{orig: s}
	return p.parse(false)
}

// vparser is Values.Parser: tokens split at unescaped : , { } [ ] ".
type vparser struct {
	orig    string
	pos     int
	nextTok string
	hasTok  bool
	prevTok string
	depth   int
}

func (p *vparser) mark() int {
	if p.hasTok {
		return p.pos - len(p.nextTok)
	}
	return p.pos
}

func (p *vparser) rewindTo(i int) {
	p.pos = i
	p.hasTok = false
	p.nextTok = ""
	p.prevTok = ""
}

func (p *vparser) hasNext() bool { return p.hasTok || p.pos < len(p.orig) }

func (p *vparser) next() string {
	if p.hasTok {
		p.prevTok = p.nextTok
		p.hasTok = false
	} else {
		p.prevTok = p.consumeNextToken()
	}
	return p.prevTok
}

func (p *vparser) nextN(n int) (string, bool) {
	start := p.mark()
	for i := 0; i < n; i++ {
		if !p.hasNext() {
			p.rewindTo(start)
			return "", false
		}
		p.next()
	}
	return p.orig[start:p.pos], true
}

func (p *vparser) consumeNextToken() string {
	escaped := false
	start := p.pos
	for p.pos < len(p.orig) {
		switch c := p.orig[p.pos]; c {
		case '\\':
			escaped = !escaped
		case ':', ',', '{', '}', '[', ']', '"':
			if !escaped {
				if start < p.pos {
					return p.orig[start:p.pos]
				}
				p.pos++
				return p.orig[start : start+1]
			}
			escaped = false
		default:
			escaped = false
		}
		p.pos++
	}
	return p.orig[start:p.pos]
}

func (p *vparser) canConsume(expected string) bool {
	if !p.hasTok {
		if !p.hasNext() {
			return false
		}
		p.nextTok, p.hasTok = p.consumeNextToken(), true
	}
	for JavaTrim(p.nextTok) == "" && p.pos < len(p.orig) {
		p.nextTok = p.consumeNextToken()
	}
	if JavaTrim(p.nextTok) == expected {
		p.hasTok = false
		p.nextTok = ""
		return true
	}
	return false
}

// JavaTrim is String.trim: strips chars <= ' ' (all ASCII controls, no
// Unicode spaces) at both ends.
func JavaTrim(s string) string {
	i, j := 0, len(s)
	for i < j && s[i] <= ' ' {
		i++
	}
	for j > i && s[j-1] <= ' ' {
		j--
	}
	return s[i:j]
}

func (p *vparser) canParseSingleTokenLiteral(embedded bool, literal string) bool {
	start := p.mark()
	if p.canConsume(literal) && (embedded || !p.hasNext()) {
		return true
	}
	p.rewindTo(start)
	return false
}

var errEmbedded = dataErr("Failed to parse embedded value")

func (p *vparser) parse(embedded bool) (*schemaAndValue, error) {
	if !p.hasNext() {
		return nil, nil
	}
	if p.depth > 500 {
		// Java would overflow its stack long before; refuse deep nesting
		return nil, dataErr("Values nesting too deep")
	}
	if embedded && p.canConsume(`"`) {
		var sb strings.Builder
		for p.hasNext() {
			if p.canConsume(`"`) {
				break
			}
			sb.WriteString(p.next())
		}
		content := sb.String()
		parsed, err := parseString(content)
		if err != nil {
			return nil, err
		}
		if parsed != nil && parsed.schema != nil {
			switch parsed.schema.Name {
			case DateName, TimeName, TimestampName:
				return parsed, nil
			}
		}
		return &schemaAndValue{StringSchema, content}, nil
	}
	if p.canParseSingleTokenLiteral(embedded, "null") {
		return nil, nil
	}
	if p.canParseSingleTokenLiteral(embedded, "true") {
		return &schemaAndValue{BooleanSchema, true}, nil
	}
	if p.canParseSingleTokenLiteral(embedded, "false") {
		return &schemaAndValue{BooleanSchema, false}, nil
	}
	start := p.mark()
	p.depth++
	sv, err := p.parseComposite()
	p.depth--
	if err == nil && sv != nil {
		return sv, nil
	}
	if err != nil {
		p.rewindTo(start) // not an array or map after all: treat as a string
	}

	token := p.next()
	if JavaTrim(token) == "" {
		return &schemaAndValue{StringSchema, token}, nil
	}
	token = JavaTrim(token)
	first := []rune(token[:min(len(token), 4)])[0]
	firstIsDigit := unicode.IsDigit(first)
	if firstIsDigit {
		// time and timestamp literals are split at their unescaped colons
		pos := p.mark()
		if rest, ok := p.nextN(4); ok {
			if t := parseAsTemporal(token + rest); t != nil {
				return t, nil
			}
		}
		p.rewindTo(pos)
		if t := parseAsTemporal(token); t != nil {
			return t, nil
		}
	}
	if firstIsDigit || first == '+' || first == '-' {
		if d, err := ParseDecimal(token); err == nil {
			return numberSchemaAndValue(token, d), nil
		}
	}
	if embedded {
		return nil, errEmbedded
	}
	return &schemaAndValue{StringSchema, p.orig}, nil
}

// parseComposite parses an array or a map at the current position; (nil,
// nil) when the next token starts neither.
func (p *vparser) parseComposite() (*schemaAndValue, error) {
	if p.canConsume("[") {
		var result []any
		var elemSchema *Schema
		for p.hasNext() {
			if p.canConsume("]") {
				if elemSchema == nil {
					return &schemaAndValue{&Schema{Type: TypeArray}, nonNil(result)}, nil
				}
				ls := &Schema{Type: TypeArray, Value: elemSchema}
				aligned := make([]any, len(result))
				for i, v := range result {
					c, err := ConvertTo(elemSchema, nil, v)
					if err != nil {
						return nil, err
					}
					aligned[i] = c
				}
				return &schemaAndValue{ls, aligned}, nil
			}
			if p.canConsume(",") {
				return nil, dataErr("Unable to parse an empty array element: %s", p.orig)
			}
			elem, err := p.parse(true)
			if err != nil {
				return nil, err
			}
			elemSchema = commonSchemaFor(elemSchema, elem)
			if elem != nil {
				result = append(result, elem.value)
			} else {
				result = append(result, nil)
			}
			cur := p.mark()
			if p.canConsume("]") {
				p.rewindTo(cur)
			} else if !p.canConsume(",") {
				return nil, dataErr("Array elements missing ',' delimiter")
			}
		}
		if p.prevTok == "," {
			return nil, dataErr("Array is missing element after ',': %s", p.orig)
		}
		return nil, dataErr("Array is missing terminating ']': %s", p.orig)
	}
	if p.canConsume("{") {
		result := &Map{Linked: true}
		var keySchema, valueSchema *Schema
		for p.hasNext() {
			if p.canConsume("}") {
				switch {
				case keySchema != nil && valueSchema != nil:
					aligned := &Map{Linked: true, Entries: make([]MapEntry, 0, len(result.Entries))}
					for _, e := range result.Entries {
						k, err := ConvertTo(keySchema, nil, e.Key)
						if err != nil {
							return nil, err
						}
						v, err := ConvertTo(valueSchema, nil, e.Value)
						if err != nil {
							return nil, err
						}
						aligned.Put(k, v)
					}
					return &schemaAndValue{&Schema{Type: TypeMap, Key: keySchema, Value: valueSchema}, aligned}, nil
				case keySchema != nil:
					aligned := &Map{Linked: true, Entries: make([]MapEntry, 0, len(result.Entries))}
					for _, e := range result.Entries {
						k, err := ConvertTo(keySchema, nil, e.Key)
						if err != nil {
							return nil, err
						}
						aligned.Put(k, e.Value)
					}
					return &schemaAndValue{&Schema{Type: TypeMap, Key: keySchema}, aligned}, nil
				}
				return &schemaAndValue{&Schema{Type: TypeMap}, result}, nil
			}
			if p.canConsume(",") {
				return nil, dataErr("Unable to parse a map entry with no key or value: %s", p.orig)
			}
			key, err := p.parse(true)
			if err != nil {
				return nil, err
			}
			if key == nil || key.value == nil {
				return nil, dataErr("Map entry may not have a null key: %s", p.orig)
			}
			if !p.canConsume(":") {
				return nil, dataErr("Map entry is missing ':' at %d in %s", p.pos, p.orig)
			}
			val, err := p.parse(true)
			if err != nil {
				return nil, err
			}
			var ev any
			if val != nil {
				ev = val.value
			}
			result.Put(key.value, ev)
			p.canConsume(",")
			keySchema = commonSchemaFor(keySchema, key)
			valueSchema = commonSchemaFor(valueSchema, val)
		}
		if p.prevTok == "," {
			return nil, dataErr("Map is missing element after ',': %s", p.orig)
		}
		return nil, dataErr("Map is missing terminating '}': %s", p.orig)
	}
	return nil, nil
}

func nonNil(l []any) []any {
	if l == nil {
		return []any{}
	}
	return l
}

var (
	big10  = big.NewInt(10)
	minI64 = big.NewInt(math.MinInt64)
	maxI64 = big.NewInt(math.MaxInt64)
)

// numberSchemaAndValue picks the smallest integral type holding d exactly,
// else FLOAT32, FLOAT64 or Decimal (Values.parse).
func numberSchemaAndValue(token string, d Decimal) *schemaAndValue {
	if v, ok := exactInt64(d); ok {
		switch {
		case v >= math.MinInt8 && v <= math.MaxInt8:
			return &schemaAndValue{Int8Schema, int8(v)}
		case v >= math.MinInt16 && v <= math.MaxInt16:
			return &schemaAndValue{Int16Schema, int16(v)}
		case v >= math.MinInt32 && v <= math.MaxInt32:
			return &schemaAndValue{Int32Schema, int32(v)}
		}
		return &schemaAndValue{Int64Schema, v}
	}
	if d.Scale != 0 {
		if f, _ := strconv.ParseFloat(token, 32); !math.IsInf(f, 0) {
			return &schemaAndValue{Float32Schema, float32Of(f)}
		}
		if f, _ := strconv.ParseFloat(token, 64); !math.IsInf(f, 0) {
			return &schemaAndValue{Float64Schema, f}
		}
	}
	return &schemaAndValue{DecimalSchema(int(d.Scale)), d}
}

func float32Of(f float64) float32 { return float32(f) }

// exactInt64 is BigDecimal.longValueExact: d without a non-zero fraction, in range.
func exactInt64(d Decimal) (int64, bool) {
	u := d.unscaled()
	if u.Sign() == 0 {
		return 0, true
	}
	x := new(big.Int).Set(u)
	if d.Scale > 0 {
		if int(d.Scale) > len(u.String()) {
			return 0, false
		}
		q, r := new(big.Int).QuoRem(x, new(big.Int).Exp(big10, big.NewInt(int64(d.Scale)), nil), new(big.Int))
		if r.Sign() != 0 {
			return 0, false
		}
		x = q
	} else if d.Scale < 0 {
		if -d.Scale > 19 {
			return 0, false
		}
		x.Mul(x, new(big.Int).Exp(big10, big.NewInt(int64(-d.Scale)), nil))
	}
	if x.Cmp(minI64) < 0 || x.Cmp(maxI64) > 0 {
		return 0, false
	}
	return x.Int64(), true
}

// temporal patterns as SimpleDateFormat pieces: digits fields and literals.
var (
	timePattern      = []string{"H", ":", "m", ":", "s", ".", "S", "Z"}
	timestampPattern = []string{"y", "-", "M", "-", "d", "T", "H", ":", "m", ":", "s", ".", "S", "Z"}
	datePattern      = []string{"y", "-", "M", "-", "d"}
)

func parseAsTemporal(token string) *schemaAndValue {
	token = strings.ReplaceAll(token, `\:`, ":")
	switch len(token) {
	case 13: // HH:mm:ss.SSS'Z'
		if t, ok := lenientParse(token, timePattern); ok {
			return &schemaAndValue{TimeSchema, t}
		}
	case 24: // yyyy-MM-dd'T'HH:mm:ss.SSS'Z'
		if t, ok := lenientParse(token, timestampPattern); ok {
			return &schemaAndValue{TimestampSchema, t}
		}
	case 10: // yyyy-MM-dd
		if t, ok := lenientParse(token, datePattern); ok {
			return &schemaAndValue{DateSchema, t}
		}
	}
	return nil
}

// lenientParse emulates a lenient SimpleDateFormat in the local zone:
// numeric fields take as many digits as present (after skipping blanks),
// out-of-range values roll over, and trailing text is ignored.
func lenientParse(s string, pattern []string) (time.Time, bool) {
	f := map[string]int{"y": 1970, "M": 1, "d": 1}
	i := 0
	for _, el := range pattern {
		switch el {
		case "y", "M", "d", "H", "m", "s", "S":
			for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
				i++
			}
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' && j-i < 9 {
				j++
			}
			if j == i {
				return time.Time{}, false
			}
			n, _ := strconv.Atoi(s[i:j])
			f[el] = n
			i = j
		default:
			if i >= len(s) || s[i] != el[0] {
				return time.Time{}, false
			}
			i++
		}
	}
	t := time.Date(f["y"], time.Month(f["M"]), f["d"], f["H"], f["m"], f["s"], 0, time.Local)
	return t.Add(time.Duration(f["S"]) * time.Millisecond).UTC(), true
}

// commonSchemaFor is Values.commonSchemaFor: numeric types widen, other type
// changes give no common schema (nil).
func commonSchemaFor(previous *Schema, latest *schemaAndValue) *Schema {
	if latest == nil {
		return previous
	}
	if previous == nil {
		return latest.schema
	}
	ns := latest.schema
	if ns == nil {
		return nil
	}
	pt, nt := previous.Type, ns.Type
	if pt != nt {
		rank := func(t Type) int {
			switch t {
			case TypeInt8, TypeInt16, TypeInt32, TypeInt64, TypeFloat32, TypeFloat64:
				return int(t)
			}
			return -1
		}
		rp, rn := rank(pt), rank(nt)
		if rp < 0 || rn < 0 {
			return nil
		}
		if rn > rp {
			return ns
		}
		return previous
	}
	if previous.Optional == ns.Optional {
		if previous.Optional {
			return previous
		}
		return ns
	}
	if !previous.Equal(ns) {
		return nil
	}
	return previous
}

// ConvertTo is Values.convertTo: converts value (described by fromSchema,
// which may be nil) to the type of toSchema.
func ConvertTo(toSchema, fromSchema *Schema, value any) (any, error) {
	if value == nil {
		if toSchema.Optional {
			return nil, nil
		}
		return nil, dataErr("Unable to convert a null value to a schema that requires a value")
	}
	switch toSchema.Type {
	case TypeBytes:
		if toSchema.Name == DecimalName {
			switch x := value.(type) {
			case []byte:
				return DecimalToLogical(toSchema, x)
			case Decimal:
				return x, nil
			case int8, int16, int32, int64, float32, float64:
				f, _ := asDouble(value, nil)
				return decimalValueOf(f), nil
			case string:
				d, err := ParseDecimal(x)
				if err != nil {
					return nil, err
				}
				return d.Float64(), nil // Kafka returns a Double here
			}
		}
		switch x := value.(type) {
		case []byte:
			return x, nil
		case Decimal:
			return DecimalFromLogical(toSchema, x)
		}
	case TypeString:
		return TryConvertToString(fromSchema, value)
	case TypeBoolean:
		if b, ok := value.(bool); ok {
			return b, nil
		}
		if s, ok := value.(string); ok {
			if sv, err := parseString(s); err == nil && sv != nil {
				if b, ok := sv.value.(bool); ok {
					return b, nil
				}
			}
		}
		n, err := asLong(value, fromSchema)
		if err != nil {
			return nil, err
		}
		return n != 0, nil
	case TypeInt8:
		if v, ok := value.(int8); ok {
			return v, nil
		}
		n, err := asLong(value, fromSchema)
		return int8(n), err
	case TypeInt16:
		if v, ok := value.(int16); ok {
			return v, nil
		}
		n, err := asLong(value, fromSchema)
		return int16(n), err
	case TypeInt32:
		switch toSchema.Name {
		case DateName:
			value = parsedTemporal(value)
			if t, ok := value.(time.Time); ok {
				if fromSchema == nil || fromSchema.Name == DateName {
					return t, nil
				}
				if fromSchema.Name == TimestampName {
					return DateToLogical(toSchema, int32(t.UnixMilli()/millisPerDay))
				}
			}
			n, err := asLong(value, fromSchema)
			if err != nil {
				return nil, err
			}
			return DateToLogical(toSchema, int32(n))
		case TimeName:
			value = parsedTemporal(value)
			if t, ok := value.(time.Time); ok {
				if fromSchema == nil || fromSchema.Name == TimeName {
					return t, nil
				}
				if fromSchema.Name == TimestampName {
					ms := t.UnixMilli() % millisPerDay
					if ms < 0 {
						ms += millisPerDay
					}
					return TimeToLogical(toSchema, int32(ms))
				}
			}
			n, err := asLong(value, fromSchema)
			if err != nil {
				return nil, err
			}
			return TimeToLogical(toSchema, int32(n))
		}
		if v, ok := value.(int32); ok {
			return v, nil
		}
		n, err := asLong(value, fromSchema)
		return int32(n), err
	case TypeInt64:
		if toSchema.Name == TimestampName {
			value = parsedTemporal(value)
			if t, ok := value.(time.Time); ok {
				if fromSchema == nil {
					return t, nil
				}
				switch fromSchema.Name {
				case DateName:
					days, err := DateFromLogical(fromSchema, t)
					if err != nil {
						return nil, err
					}
					return TimestampToLogical(toSchema, int64(days)*millisPerDay)
				case TimeName:
					ms, err := TimeFromLogical(fromSchema, t)
					if err != nil {
						return nil, err
					}
					return TimestampToLogical(toSchema, int64(ms))
				case TimestampName:
					return t, nil
				}
			}
			n, err := asLong(value, fromSchema)
			if err != nil {
				return nil, err
			}
			return TimestampToLogical(toSchema, n)
		}
		if v, ok := value.(int64); ok {
			return v, nil
		}
		return asLong(value, fromSchema)
	case TypeFloat32:
		if v, ok := value.(float32); ok {
			return v, nil
		}
		f, err := asDouble(value, fromSchema)
		return float32(f), err
	case TypeFloat64:
		if v, ok := value.(float64); ok {
			return v, nil
		}
		return asDouble(value, fromSchema)
	case TypeArray:
		if s, ok := value.(string); ok {
			sv, err := parseString(s)
			if err != nil {
				return nil, err
			}
			value = nil
			if sv != nil {
				value = sv.value
			}
		}
		if l, ok := value.([]any); ok {
			return l, nil
		}
	case TypeMap:
		if s, ok := value.(string); ok {
			sv, err := parseString(s)
			if err != nil {
				return nil, err
			}
			value = nil
			if sv != nil {
				value = sv.value
			}
		}
		if m, ok := value.(*Map); ok {
			return m, nil
		}
	case TypeStruct:
		if st, ok := value.(*Struct); ok {
			return st, nil
		}
	}
	return nil, dataErr("Unable to convert %s (%s) to %s", JavaString(value), javaClass(value), toSchema)
}

func parsedTemporal(v any) any {
	if s, ok := v.(string); ok {
		sv, err := parseString(s)
		if err != nil || sv == nil {
			return nil
		}
		return sv.value
	}
	return v
}

// decimalValueOf is BigDecimal.valueOf(double): the Double.toString digits.
func decimalValueOf(f float64) any {
	d, err := ParseDecimal(JavaDouble(f))
	if err != nil {
		return f
	}
	return d
}

func asLong(value any, fromSchema *Schema) (int64, error) {
	var cause error
	switch x := value.(type) {
	case int8:
		return int64(x), nil
	case int16:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case int64:
		return x, nil
	case float32:
		return JavaD2L(float64(x)), nil
	case float64:
		return JavaD2L(x), nil
	case Decimal:
		return decimalLong(x), nil
	case string:
		d, err := ParseDecimal(x)
		if err == nil {
			return decimalLong(d), nil
		}
		cause = err
	}
	if fromSchema != nil {
		if t, ok := value.(time.Time); ok {
			switch fromSchema.Name {
			case DateName:
				n, err := DateFromLogical(fromSchema, t)
				return int64(n), err
			case TimeName:
				n, err := TimeFromLogical(fromSchema, t)
				return int64(n), err
			case TimestampName:
				return TimestampFromLogical(fromSchema, t)
			}
		}
		return 0, &DataError{Msg: "Unable to convert " + JavaString(value) + " (" + javaClass(value) + ") to " + fromSchema.String(), Cause: cause}
	}
	return 0, &DataError{Msg: "Unable to convert " + JavaString(value) + " (" + javaClass(value) + ") to a number", Cause: cause}
}

func asDouble(value any, schema *Schema) (float64, error) {
	switch x := value.(type) {
	case int8:
		return float64(x), nil
	case int16:
		return float64(x), nil
	case int32:
		return float64(x), nil
	case int64:
		return float64(x), nil
	case float32:
		return float64(x), nil
	case float64:
		return x, nil
	case Decimal:
		return x.Float64(), nil
	case string:
		if d, err := ParseDecimal(x); err == nil {
			return d.Float64(), nil
		}
	}
	n, err := asLong(value, schema)
	return float64(n), err
}

// JavaD2L is Java's (long) cast of a double: NaN → 0, saturating.
func JavaD2L(f float64) int64 {
	switch {
	case f != f:
		return 0
	case f >= math.MaxInt64:
		return math.MaxInt64
	case f <= math.MinInt64:
		return math.MinInt64
	}
	return int64(f)
}

// JavaD2I is Java's (int) cast of a double: NaN → 0, saturating.
func JavaD2I(f float64) int32 {
	switch {
	case f != f:
		return 0
	case f >= math.MaxInt32:
		return math.MaxInt32
	case f <= math.MinInt32:
		return math.MinInt32
	}
	return int32(f)
}

// LongValue is BigDecimal.longValue: truncated toward zero, low 64 bits.
func (d Decimal) LongValue() int64 { return decimalLong(d) }

// decimalLong is BigDecimal.longValue: truncated, low 64 bits.
func decimalLong(d Decimal) int64 {
	u := d.unscaled()
	x := new(big.Int).Set(u)
	if d.Scale > 0 {
		if int(d.Scale) > len(u.String()) {
			return 0
		}
		x.Quo(x, new(big.Int).Exp(big10, big.NewInt(int64(d.Scale)), nil))
	} else if d.Scale < 0 {
		if -d.Scale > 64 {
			return 0 // 10^64 is a multiple of 2^64
		}
		x.Mul(x, new(big.Int).Exp(big10, big.NewInt(int64(-d.Scale)), nil))
	}
	m := new(big.Int).And(new(big.Int).Abs(x), new(big.Int).SetUint64(math.MaxUint64)).Uint64()
	if x.Sign() < 0 {
		m = -m
	}
	return int64(m)
}
