package converters

import (
	"math/big"

	"github.com/connect-go/connect-standalone/connectors/data"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// A minimal JSON reader reproducing what Kafka's JsonDeserializer (Jackson
// ObjectMapper.readTree with ALLOW_LEADING_ZEROS_FOR_NUMBERS) accepts and how
// it types numbers: integers fitting an int are IntNode, fitting a long
// LongNode, else BigIntegerNode; any literal with a fraction or exponent is a
// DecimalNode (USE_BIG_DECIMAL_FOR_FLOATS). Trailing content after the root
// value is ignored, as Jackson does unless FAIL_ON_TRAILING_TOKENS is set.

type jkind uint8

const (
	jMissing jkind = iota
	jNull
	jBool
	jInt    // fits int32
	jLong   // fits int64
	jBigInt // integral, beyond int64
	jDec    // fraction or exponent
	jString
	jArray
	jObject
)

// nodeType is Jackson's JsonNodeType name used in Kafka's messages.
func (k jkind) nodeType() string {
	switch k {
	case jNull:
		return "NULL"
	case jBool:
		return "BOOLEAN"
	case jInt, jLong, jBigInt, jDec:
		return "NUMBER"
	case jString:
		return "STRING"
	case jArray:
		return "ARRAY"
	case jObject:
		return "OBJECT"
	}
	return "MISSING"
}

type jnode struct {
	kind  jkind
	b     bool
	i     int64  // jInt, jLong
	s     string // jString text; number literal for jBigInt/jDec
	kids  []jnode
	keys  []string // jObject, parallel to kids
	start int      // byte span of arrays and objects in the input
	end   int
	lazy  bool // only syntax-checked: kind and span are set, children are not
}

func (n *jnode) isNull() bool { return n == nil || n.kind == jNull || n.kind == jMissing }

func (n *jnode) isNumber() bool { return n.kind >= jInt && n.kind <= jDec }

func (n *jnode) isIntegral() bool { return n.kind >= jInt && n.kind <= jBigInt }

// get is ObjectNode.get(name): nil when absent or not an object.
func (n *jnode) get(name string) *jnode {
	if n == nil || n.kind != jObject {
		return nil
	}
	for i := range n.keys {
		if n.keys[i] == name {
			return &n.kids[i]
		}
	}
	return nil
}

func (n *jnode) bigInt() *big.Int {
	switch n.kind {
	case jInt, jLong:
		return big.NewInt(n.i)
	case jBigInt:
		x, _ := new(big.Int).SetString(n.s, 10)
		return x
	case jDec:
		d, err := data.ParseDecimal(n.s)
		if err != nil {
			return new(big.Int)
		}
		// BigDecimal.toBigInteger truncates toward zero
		u := new(big.Int).Set(d.Unscaled)
		if d.Scale > 0 {
			if d.Scale > 100000 {
				return new(big.Int)
			}
			u.Quo(u, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d.Scale)), nil))
		} else if d.Scale < 0 {
			if d.Scale < -100000 {
				return new(big.Int) // low bits of 10^huge are zero anyway beyond 2^64
			}
			u.Mul(u, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-d.Scale)), nil))
		}
		return u
	}
	return new(big.Int)
}

// longValue is JsonNode.longValue(): numbers narrowed like Java's
// Number.longValue (low 64 bits, fractions truncated), others 0.
func (n *jnode) longValue() int64 {
	switch n.kind {
	case jInt, jLong:
		return n.i
	case jBigInt, jDec:
		x := n.bigInt()
		return lowInt64(x)
	}
	return 0
}

func lowInt64(x *big.Int) int64 {
	m := new(big.Int).And(new(big.Int).Abs(x), new(big.Int).SetUint64(^uint64(0)))
	v := m.Uint64()
	if x.Sign() < 0 {
		v = -v
	}
	return int64(v)
}

func (n *jnode) intValue() int32 { return int32(n.longValue()) }

func (n *jnode) doubleValue() float64 {
	switch n.kind {
	case jInt, jLong:
		return float64(n.i)
	case jBigInt, jDec:
		f, _ := strconv.ParseFloat(n.s, 64) // ±Inf on overflow, like BigDecimal.doubleValue
		return f
	}
	return 0
}

func (n *jnode) floatValue() float32 {
	switch n.kind {
	case jInt, jLong:
		return float32(n.i)
	case jBigInt, jDec:
		f, _ := strconv.ParseFloat(n.s, 32)
		return float32(f)
	}
	return 0
}

// parseError is a JSON syntax error at a byte offset.
type parseError struct {
	Offset int
	Msg    string
}

func (e *parseError) Error() string { return e.Msg + " at byte " + strconv.Itoa(e.Offset) }

const (
	maxDepth     = 1000 // Jackson StreamReadConstraints default nesting depth
	maxNumberLen = 1000 // Jackson StreamReadConstraints default number length
)

type jparser struct {
	in      []byte
	pos     int
	depth   int
	buf     []byte
	discard bool // validate without building nodes
	lazyKey string
}

// parseJSON reads the root value; empty or blank input gives a jMissing node
// (Jackson's MissingNode).
func parseJSON(in []byte) (jnode, error) { return parseJSONLazy(in, "") }

// parseJSONLazy is parseJSON leaving the root object's member lazyKey
// unbuilt (only validated): the envelope's schema, usually found in the cache
// by its text.
func parseJSONLazy(in []byte, lazyKey string) (jnode, error) {
	p := jparser{in: in, lazyKey: lazyKey}
	if len(in) >= 3 && in[0] == 0xEF && in[1] == 0xBB && in[2] == 0xBF {
		p.pos = 3 // UTF-8 BOM
	}
	p.skipWS()
	if p.pos >= len(p.in) {
		return jnode{kind: jMissing}, nil
	}
	var root jnode
	if err := p.value(&root); err != nil {
		return jnode{}, err
	}
	if root.isNumber() && p.pos < len(p.in) {
		// Jackson requires whitespace after a root-level number
		switch p.in[p.pos] {
		case ' ', '\t', '\r', '\n':
		default:
			return jnode{}, p.fail("Unexpected character %q: Expected space separating root-level values", p.in[p.pos])
		}
	}
	return root, nil
}

func (p *jparser) fail(format string, args ...any) error {
	return &parseError{Offset: p.pos, Msg: sprintf(format, args...)}
}

func (p *jparser) skipWS() {
	for p.pos < len(p.in) {
		switch p.in[p.pos] {
		case ' ', '\t', '\r', '\n':
			p.pos++
		default:
			return
		}
	}
}

func (p *jparser) value(n *jnode) error {
	if p.pos >= len(p.in) {
		return p.fail("Unexpected end-of-input")
	}
	c := p.in[p.pos]
	switch {
	case c == '{':
		return p.object(n)
	case c == '[':
		return p.array(n)
	case c == '"':
		s, err := p.str()
		if err != nil {
			return err
		}
		n.kind, n.s = jString, s
		return nil
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number(n)
	case c == 't':
		n.kind, n.b = jBool, true
		return p.literal("true")
	case c == 'f':
		n.kind = jBool
		return p.literal("false")
	case c == 'n':
		n.kind = jNull
		return p.literal("null")
	}
	return p.fail("Unexpected character %q: expected a valid value", c)
}

func (p *jparser) literal(word string) error {
	if len(p.in)-p.pos < len(word) || string(p.in[p.pos:p.pos+len(word)]) != word {
		return p.fail("Unrecognized token")
	}
	p.pos += len(word)
	if p.pos < len(p.in) {
		c := p.in[p.pos]
		if c == '_' || c == '$' || (c >= '0' && c <= '9') || (c|0x20 >= 'a' && c|0x20 <= 'z') || c >= 0x80 {
			return p.fail("Unrecognized token '%s%c'", word, c)
		}
	}
	return nil
}

func (p *jparser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return p.fail("Document nesting depth exceeds the maximum allowed (%d)", maxDepth)
	}
	return nil
}

func (p *jparser) array(n *jnode) error {
	if err := p.enter(); err != nil {
		return err
	}
	n.kind, n.start = jArray, p.pos
	p.pos++
	p.skipWS()
	if p.pos < len(p.in) && p.in[p.pos] == ']' {
		p.pos++
		n.end = p.pos
		p.depth--
		return nil
	}
	for {
		p.skipWS()
		if p.discard {
			if _, err := p.skipValue(); err != nil {
				return err
			}
		} else {
			n.kids = append(n.kids, jnode{})
			if err := p.value(&n.kids[len(n.kids)-1]); err != nil {
				return err
			}
		}
		p.skipWS()
		if p.pos >= len(p.in) {
			return p.fail("Unexpected end-of-input: expected close marker for ARRAY")
		}
		switch p.in[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			n.end = p.pos
			p.depth--
			return nil
		default:
			return p.fail("Unexpected character %q: was expecting comma to separate Array entries", p.in[p.pos])
		}
	}
}

func (p *jparser) object(n *jnode) error {
	if err := p.enter(); err != nil {
		return err
	}
	n.kind, n.start = jObject, p.pos
	p.pos++
	p.skipWS()
	if p.pos < len(p.in) && p.in[p.pos] == '}' {
		p.pos++
		n.end = p.pos
		p.depth--
		return nil
	}
	var index map[string]int // only for large objects, to find duplicates fast
	for {
		p.skipWS()
		if p.pos >= len(p.in) {
			return p.fail("Unexpected end-of-input: expected close marker for OBJECT")
		}
		if p.in[p.pos] != '"' {
			return p.fail("Unexpected character %q: was expecting double-quote to start field name", p.in[p.pos])
		}
		key, err := p.str()
		if err != nil {
			return err
		}
		p.skipWS()
		if p.pos >= len(p.in) || p.in[p.pos] != ':' {
			return p.fail("Unexpected character: was expecting a colon to separate field name and value")
		}
		p.pos++
		p.skipWS()
		var v jnode
		if p.depth == 1 && p.lazyKey != "" && key == p.lazyKey && !p.discard && p.get(n, key) == nil {
			v.start = p.pos
			kind, err := p.skipValue()
			if err != nil {
				return err
			}
			v.kind, v.end, v.lazy = kind, p.pos, true
		}
		if p.discard {
			if _, err := p.skipValue(); err != nil {
				return err
			}
		} else if v.lazy {
			n.keys = append(n.keys, key)
			n.kids = append(n.kids, v)
		} else {
			// parse in place: a jnode on the stack would escape through value()
			n.keys = append(n.keys, key)
			n.kids = append(n.kids, jnode{})
			last := len(n.kids) - 1
			if err := p.value(&n.kids[last]); err != nil {
				return err
			}
			// duplicate names: the later value replaces the earlier in place (ObjectNode.set)
			dup := -1
			if index != nil {
				if i, ok := index[key]; ok {
					dup = i
				}
			} else {
				for i := range n.keys[:last] {
					if n.keys[i] == key {
						dup = i
						break
					}
				}
			}
			if dup >= 0 && dup != last {
				n.kids[dup] = n.kids[last]
				n.kids, n.keys = n.kids[:last], n.keys[:last]
			} else {
				if index != nil {
					index[key] = len(n.keys) - 1
				} else if len(n.keys) > 32 {
					index = make(map[string]int, 64)
					for i, k := range n.keys {
						index[k] = i
					}
				}
			}
		}
		p.skipWS()
		if p.pos >= len(p.in) {
			return p.fail("Unexpected end-of-input: expected close marker for OBJECT")
		}
		switch p.in[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			n.end = p.pos
			p.depth--
			return nil
		default:
			return p.fail("Unexpected character %q: was expecting comma to separate Object entries", p.in[p.pos])
		}
	}
}

func (p *jparser) number(n *jnode) error {
	start := p.pos
	if p.in[p.pos] == '-' {
		p.pos++
	}
	intStart := p.pos
	for p.pos < len(p.in) && p.in[p.pos] >= '0' && p.in[p.pos] <= '9' {
		p.pos++
	}
	if p.pos == intStart {
		return p.fail("Unexpected character: expected digit (0-9) to follow minus sign, for valid numeric value")
	}
	integral := true
	if p.pos < len(p.in) && p.in[p.pos] == '.' {
		integral = false
		p.pos++
		fs := p.pos
		for p.pos < len(p.in) && p.in[p.pos] >= '0' && p.in[p.pos] <= '9' {
			p.pos++
		}
		if p.pos == fs {
			return p.fail("Unexpected character: Decimal point not followed by a digit")
		}
	}
	if p.pos < len(p.in) && (p.in[p.pos] == 'e' || p.in[p.pos] == 'E') {
		integral = false
		p.pos++
		if p.pos < len(p.in) && (p.in[p.pos] == '+' || p.in[p.pos] == '-') {
			p.pos++
		}
		es := p.pos
		for p.pos < len(p.in) && p.in[p.pos] >= '0' && p.in[p.pos] <= '9' {
			p.pos++
		}
		if p.pos == es {
			return p.fail("Unexpected character: Exponent indicator not followed by a digit")
		}
	}
	if p.pos-start > maxNumberLen {
		return p.fail("Number value length (%d) exceeds the maximum allowed (%d)", p.pos-start, maxNumberLen)
	}
	if p.discard {
		n.kind = jDec
		return nil
	}
	lit := string(p.in[start:p.pos])
	if !integral {
		n.kind, n.s = jDec, lit
		return nil
	}
	if v, err := strconv.ParseInt(lit, 10, 64); err == nil {
		n.i = v
		if v >= -1<<31 && v < 1<<31 {
			n.kind = jInt
		} else {
			n.kind = jLong
		}
		return nil
	}
	// leading zeros are allowed; normalize for big.Int
	n.kind, n.s = jBigInt, lit
	return nil
}

func (p *jparser) str() (string, error) {
	p.pos++ // opening quote
	start := p.pos
	// fast path: no escapes
	for p.pos < len(p.in) {
		c := p.in[p.pos]
		if c == '"' {
			s := p.in[start:p.pos]
			if !utf8.Valid(s) {
				return "", p.fail("Invalid UTF-8 in string")
			}
			p.pos++
			if p.discard {
				return "", nil
			}
			return string(s), nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", p.fail("Illegal unquoted character (CTRL-CHAR, code %d): has to be escaped using backslash to be included in string value", c)
		}
		p.pos++
	}
	b := append(p.buf[:0], p.in[start:p.pos]...)
	for p.pos < len(p.in) {
		c := p.in[p.pos]
		switch {
		case c == '"':
			p.pos++
			p.buf = b
			if !utf8.Valid(b) {
				return "", p.fail("Invalid UTF-8 in string")
			}
			return string(b), nil
		case c < 0x20:
			return "", p.fail("Illegal unquoted character (CTRL-CHAR, code %d): has to be escaped using backslash to be included in string value", c)
		case c == '\\':
			p.pos++
			if p.pos >= len(p.in) {
				return "", p.fail("Unexpected end-of-input in character escape sequence")
			}
			e := p.in[p.pos]
			p.pos++
			switch e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := p.hex4()
				if !ok {
					return "", p.fail("Unexpected character in character escape sequence: expected a hex-digit")
				}
				if utf16.IsSurrogate(r) {
					// a high surrogate followed by an escaped low one forms a pair
					if r < 0xDC00 && p.pos+1 < len(p.in) && p.in[p.pos] == '\\' && p.in[p.pos+1] == 'u' {
						save := p.pos
						p.pos += 2
						r2, ok := p.hex4()
						if ok && r2 >= 0xDC00 && r2 <= 0xDFFF {
							b = utf8.AppendRune(b, utf16.DecodeRune(r, r2))
							continue
						}
						p.pos = save
					}
					r = utf8.RuneError // lone surrogate: no UTF-8 form
				}
				b = utf8.AppendRune(b, r)
			default:
				return "", p.fail("Unrecognized character escape %q", e)
			}
		default:
			b = append(b, c)
			p.pos++
		}
	}
	return "", p.fail("Unexpected end-of-input: was expecting closing quote for a string value")
}

func (p *jparser) hex4() (rune, bool) {
	if len(p.in)-p.pos < 4 {
		return 0, false
	}
	var r rune
	for i := 0; i < 4; i++ {
		c := p.in[p.pos+i]
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c|0x20 >= 'a' && c|0x20 <= 'f':
			r = r<<4 | rune(c|0x20-'a'+10)
		default:
			return 0, false
		}
	}
	p.pos += 4
	return r, true
}

// get finds an already parsed member of the object being built.
func (p *jparser) get(n *jnode, key string) *jnode {
	for i := range n.keys {
		if n.keys[i] == key {
			return &n.kids[i]
		}
	}
	return nil
}

// skipValue validates one value without building nodes and returns its kind.
func (p *jparser) skipValue() (jkind, error) {
	saved := p.discard
	p.discard = true
	defer func() { p.discard = saved }()
	if p.pos >= len(p.in) {
		return 0, p.fail("Unexpected end-of-input")
	}
	var n jnode // containers only record kind and span when discarding
	switch c := p.in[p.pos]; {
	case c == '{':
		err := p.object(&n)
		return jObject, err
	case c == '[':
		err := p.array(&n)
		return jArray, err
	}
	err := p.value(&n)
	return n.kind, err
}
