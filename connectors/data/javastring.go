package data

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/big"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// JavaString renders v exactly like Java's String.valueOf(value) on the Java
// representation Kafka would hold (what FileStreamSink and StringConverter
// write):
//
//   - nil → "null"; numbers and booleans like their Java toString, floats with
//     Double/Float.toString ("1.0", "1.0E10", "1.0E-4", "NaN", "Infinity");
//   - []any → "[a, b]"; *Map → "{k=v, k2=v2}" in java.util.HashMap iteration
//     order (insertion order when Map.Linked); *Struct → "Struct{a=1,b=x}" with
//     unset fields omitted;
//   - Decimal → BigDecimal.toString; time.Time → java.util.Date.toString in the
//     local zone ("Thu Jan 01 00:00:00 UTC 1970");
//   - []byte → "[B@" + hex. Java prints an identity hash code there, which
//     cannot be reproduced; we print the FNV-1a 32-bit hash of the content so
//     the output is stable.
func JavaString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return string(AppendJavaString(make([]byte, 0, 32), v))
}

// AppendJavaString appends JavaString(v) to b.
func AppendJavaString(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case string:
		return append(b, x...)
	case bool:
		return strconv.AppendBool(b, x)
	case int8:
		return strconv.AppendInt(b, int64(x), 10)
	case int16:
		return strconv.AppendInt(b, int64(x), 10)
	case int32:
		return strconv.AppendInt(b, int64(x), 10)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case float32:
		return AppendJavaFloat(b, x)
	case float64:
		return AppendJavaDouble(b, x)
	case []byte:
		b = append(b, "[B@"...)
		return strconv.AppendUint(b, uint64(bytesHash(x)), 16)
	case Decimal:
		return x.AppendString(b)
	case time.Time:
		return x.In(time.Local).AppendFormat(b, "Mon Jan 02 15:04:05 MST 2006")
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = AppendJavaString(b, e)
		}
		return append(b, ']')
	case *Map:
		if x == nil {
			return append(b, "null"...)
		}
		b = append(b, '{')
		for i, idx := range x.IterationOrder() {
			if i > 0 {
				b = append(b, ", "...)
			}
			e := &x.Entries[idx]
			b = AppendJavaString(b, e.Key)
			b = append(b, '=')
			b = AppendJavaString(b, e.Value)
		}
		return append(b, '}')
	case *Struct:
		if x == nil {
			return append(b, "null"...)
		}
		b = append(b, "Struct{"...)
		first := true
		if x.schema != nil {
			for i := range x.schema.Fields {
				f := &x.schema.Fields[i]
				if f.Index >= len(x.values) || x.values[f.Index] == nil {
					continue
				}
				if !first {
					b = append(b, ',')
				}
				first = false
				b = append(b, f.Name...)
				b = append(b, '=')
				b = AppendJavaString(b, x.values[f.Index])
			}
		}
		return append(b, '}')
	case fmt.Stringer:
		return append(b, x.String()...)
	}
	return fmt.Append(b, v)
}

func bytesHash(b []byte) uint32 {
	h := fnv.New32a()
	h.Write(b)
	return h.Sum32()
}

// JavaDouble is Double.toString(f).
func JavaDouble(f float64) string { return string(AppendJavaDouble(nil, f)) }

// JavaFloat is Float.toString(f).
func JavaFloat(f float32) string { return string(AppendJavaFloat(nil, f)) }

// AppendJavaDouble appends Double.toString(f): the shortest decimal that
// reads back as f (JDK 19+ algorithm), plain for 10^-3 <= |f| < 10^7,
// otherwise computerized scientific notation (1.0E10).
func AppendJavaDouble(b []byte, f float64) []byte { return appendJavaFloat(b, f, 64) }

// AppendJavaFloat appends Float.toString(f).
func AppendJavaFloat(b []byte, f float32) []byte { return appendJavaFloat(b, float64(f), 32) }

func appendJavaFloat(b []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, "NaN"...)
	case math.IsInf(f, 1):
		return append(b, "Infinity"...)
	case math.IsInf(f, -1):
		return append(b, "-Infinity"...)
	case f == 0:
		if math.Signbit(f) {
			return append(b, "-0.0"...)
		}
		return append(b, "0.0"...)
	}
	var tmp [32]byte
	e := strconv.AppendFloat(tmp[:0], f, 'e', -1, bits)
	// Java always prints at least two significant digits and picks the
	// closest such decimal when the shortest one has a single digit
	// (Double.toString(Double.MIN_VALUE) is 4.9E-324, not 5.0E-324).
	if m := mantissaDigits(e); m == 1 {
		e2 := strconv.AppendFloat(tmp[16:16], f, 'e', 1, bits)
		if r, err := strconv.ParseFloat(string(e2), bits); err == nil && r == f {
			e = e2
		}
	}
	neg := e[0] == '-'
	if neg {
		b = append(b, '-')
		e = e[1:]
	}
	var digits [24]byte
	nd := 0
	i := 0
	for ; i < len(e) && e[i] != 'e'; i++ {
		if e[i] != '.' {
			digits[nd] = e[i]
			nd++
		}
	}
	exp, _ := strconv.Atoi(string(e[i+1:]))
	for nd > 1 && digits[nd-1] == '0' {
		nd--
	}
	d := digits[:nd]
	abs := math.Abs(f)
	if abs >= 1e-3 && abs < 1e7 {
		if exp >= 0 {
			if nd > exp+1 {
				b = append(b, d[:exp+1]...)
				b = append(b, '.')
				return append(b, d[exp+1:]...)
			}
			b = append(b, d...)
			for k := nd; k < exp+1; k++ {
				b = append(b, '0')
			}
			return append(b, ".0"...)
		}
		b = append(b, "0."...)
		for k := 0; k < -exp-1; k++ {
			b = append(b, '0')
		}
		return append(b, d...)
	}
	b = append(b, d[0], '.')
	if nd > 1 {
		b = append(b, d[1:]...)
	} else {
		b = append(b, '0')
	}
	b = append(b, 'E')
	return strconv.AppendInt(b, int64(exp), 10)
}

func mantissaDigits(e []byte) int {
	n := 0
	for _, c := range e {
		if c == 'e' {
			break
		}
		if c >= '0' && c <= '9' {
			n++
		}
	}
	return n
}

// IterationOrder returns the entry indices in the order Java iterates the
// map: insertion order for a LinkedHashMap (Linked), otherwise the order of a
// java.util.HashMap built with new HashMap<>() and filled in entry order.
//
// HashMap iterates bucket by bucket; bucket = spread(hashCode) & (cap-1) with
// spread(h) = h ^ (h >>> 16); the table starts at 16 buckets and doubles when
// size exceeds 0.75 × capacity, or when a bucket reaches 9 entries while the
// table is smaller than 64. Entries sharing a bucket keep insertion order
// (tree bins, only possible with 9+ colliding keys in a table of 64+, are not
// emulated).
func (m *Map) IterationOrder() []int {
	n := m.Len()
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	if m == nil || m.Linked || n < 2 {
		return idx
	}
	hashes := make([]uint32, n)
	for i := range m.Entries {
		h := uint32(JavaHashCode(m.Entries[i].Key))
		hashes[i] = h ^ (h >> 16)
	}
	capacity := uint32(16)
	counts := make([]int, capacity)
	resize := func(upto int) {
		capacity *= 2
		counts = make([]int, capacity)
		for j := 0; j <= upto; j++ {
			counts[hashes[j]&(capacity-1)]++
		}
	}
	for i := 0; i < n; i++ {
		bucket := hashes[i] & (capacity - 1)
		treeify := counts[bucket] >= 8 && capacity < 64
		counts[bucket]++
		if treeify {
			resize(i)
		}
		if i+1 > int(capacity*3/4) {
			resize(i)
		}
	}
	mask := capacity - 1
	slices.SortStableFunc(idx, func(a, b int) int {
		return int(hashes[a]&mask) - int(hashes[b]&mask)
	})
	return idx
}

// JavaHashCode returns Object.hashCode of the Java representation of v:
// String.hashCode over UTF-16 units, Long/Integer/Double/Boolean/BigDecimal/
// Date/List/Map rules. Byte arrays and structs use identity or enum hashes in
// Java, which are not reproducible; they get a stable content hash here.
func JavaHashCode(v any) int32 {
	switch x := v.(type) {
	case nil:
		return 0
	case string:
		var h int32
		for i := 0; i < len(x); {
			r, size := utf8.DecodeRuneInString(x[i:])
			i += size
			if r >= 0x10000 {
				r -= 0x10000
				h = 31*h + int32(0xD800+(r>>10))
				h = 31*h + int32(0xDC00+(r&0x3FF))
				continue
			}
			h = 31*h + int32(r)
		}
		return h
	case int8:
		return int32(x)
	case int16:
		return int32(x)
	case int32:
		return x
	case int64:
		return int32(x ^ int64(uint64(x)>>32))
	case bool:
		if x {
			return 1231
		}
		return 1237
	case float32:
		return int32(math.Float32bits(canonF32(x)))
	case float64:
		bits := math.Float64bits(canonF64(x))
		return int32(bits ^ bits>>32)
	case time.Time:
		ms := x.UnixMilli()
		return int32(ms ^ int64(uint64(ms)>>32))
	case Decimal:
		return 31*bigIntHash(x.unscaled()) + x.Scale
	case []byte:
		return int32(bytesHash(x))
	case []any:
		h := int32(1)
		for _, e := range x {
			h = 31*h + JavaHashCode(e)
		}
		return h
	case *Map:
		var h int32
		if x != nil {
			for _, e := range x.Entries {
				h += JavaHashCode(e.Key) ^ JavaHashCode(e.Value)
			}
		}
		return h
	case *Struct:
		h := int32(1)
		if x != nil {
			for _, e := range x.values {
				h = 31*h + JavaHashCode(e)
			}
		}
		return 31*31 + h
	}
	return int32(bytesHash([]byte(fmt.Sprint(v))))
}

// bigIntHash is BigInteger.hashCode: over the big-endian 32-bit words of the
// magnitude, times the signum.
func bigIntHash(x *big.Int) int32 {
	mag := new(big.Int).Abs(x).Bytes()
	for len(mag)%4 != 0 {
		mag = append([]byte{0}, mag...)
	}
	var h int32
	for i := 0; i < len(mag); i += 4 {
		w := uint32(mag[i])<<24 | uint32(mag[i+1])<<16 | uint32(mag[i+2])<<8 | uint32(mag[i+3])
		h = 31*h + int32(w)
	}
	return h * int32(x.Sign())
}
