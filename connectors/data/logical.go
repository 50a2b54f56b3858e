package data

import (
	"math/big"
	"strconv"
	"strings"
	"time"
)

const millisPerDay = 24 * 60 * 60 * 1000

// NewDecimal returns unscaled × 10^-scale.
func NewDecimal(unscaled *big.Int, scale int32) Decimal {
	return Decimal{Unscaled: unscaled, Scale: scale}
}

// DecimalFromInt64 returns v × 10^-scale.
func DecimalFromInt64(v int64, scale int32) Decimal {
	return Decimal{Unscaled: big.NewInt(v), Scale: scale}
}

func (d Decimal) unscaled() *big.Int {
	if d.Unscaled == nil {
		return new(big.Int)
	}
	return d.Unscaled
}

// Equal is BigDecimal.equals: same unscaled value and same scale (2.0 != 2.00).
func (d Decimal) Equal(o Decimal) bool {
	return d.Scale == o.Scale && d.unscaled().Cmp(o.unscaled()) == 0
}

// String is BigDecimal.toString (scientific notation when the exponent is
// positive or the adjusted exponent is below -6, e.g. 1E+3, 1.5E-7).
func (d Decimal) String() string {
	return string(d.AppendString(nil))
}

// AppendString appends BigDecimal.toString to b.
func (d Decimal) AppendString(b []byte) []byte {
	u := d.unscaled()
	var digits []byte
	if u.Sign() < 0 {
		b = append(b, '-')
		digits = new(big.Int).Neg(u).Append(nil, 10)
	} else {
		digits = u.Append(nil, 10)
	}
	scale := int64(d.Scale)
	if scale == 0 {
		return append(b, digits...)
	}
	adjusted := -scale + int64(len(digits)-1)
	if scale > 0 && adjusted >= -6 {
		pad := scale - int64(len(digits))
		if pad >= 0 {
			b = append(b, '0', '.')
			for ; pad > 0; pad-- {
				b = append(b, '0')
			}
			return append(b, digits...)
		}
		point := int64(len(digits)) - scale
		b = append(b, digits[:point]...)
		b = append(b, '.')
		return append(b, digits[point:]...)
	}
	b = append(b, digits[0])
	if len(digits) > 1 {
		b = append(b, '.')
		b = append(b, digits[1:]...)
	}
	b = append(b, 'E')
	if adjusted >= 0 {
		b = append(b, '+')
	}
	return strconv.AppendInt(b, adjusted, 10)
}

// ParseDecimal parses the java.math.BigDecimal(String) syntax:
// [+-]digits[.digits][(e|E)[+-]digits].
func ParseDecimal(s string) (Decimal, error) {
	bad := func() (Decimal, error) {
		return Decimal{}, &DataError{Msg: "Character array is missing \"exponent\" mark 'e' or 'E'.; invalid BigDecimal: " + s}
	}
	i := 0
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	var digits strings.Builder
	nd, frac := 0, 0
	seenDot := false
	for ; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			digits.WriteByte(c)
			nd++
			if seenDot {
				frac++
			}
			continue
		}
		if c == '.' && !seenDot {
			seenDot = true
			continue
		}
		break
	}
	if nd == 0 {
		return bad()
	}
	exp := int64(0)
	if i < len(s) {
		if s[i] != 'e' && s[i] != 'E' {
			return bad()
		}
		i++
		start := i
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i == len(s) {
			return bad()
		}
		for j := i; j < len(s); j++ {
			if s[j] < '0' || s[j] > '9' {
				return bad()
			}
		}
		e, err := strconv.ParseInt(s[start:], 10, 32)
		if err != nil {
			return bad()
		}
		exp = e
	}
	scale := int64(frac) - exp
	if scale > 1<<31-1 || scale < -1<<31 {
		return bad()
	}
	u, _ := new(big.Int).SetString(digits.String(), 10)
	if neg {
		u.Neg(u)
	}
	return Decimal{Unscaled: u, Scale: int32(scale)}, nil
}

// Float64 returns the nearest float64 (BigDecimal.doubleValue).
func (d Decimal) Float64() float64 {
	f, _ := strconv.ParseFloat(d.String(), 64)
	return f
}

// DecimalScale reads the scale parameter of a Decimal schema.
func DecimalScale(schema *Schema) (int32, error) {
	v, ok := schema.Param(DecimalScaleProp)
	if !ok {
		return 0, dataErr("Invalid Decimal schema: scale parameter not found.")
	}
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil {
		return 0, &DataError{Msg: "Invalid scale parameter found in Decimal schema: ", Cause: err}
	}
	return int32(n), nil
}

// DecimalFromLogical encodes a Decimal as the big-endian two's-complement
// unscaled value (Decimal.fromLogical); the scale must match the schema's.
func DecimalFromLogical(schema *Schema, d Decimal) ([]byte, error) {
	scale, err := DecimalScale(schema)
	if err != nil {
		return nil, err
	}
	if d.Scale != scale {
		return nil, dataErr("Decimal value has mismatching scale for given Decimal schema. Schema has scale %d, value has scale %d.", scale, d.Scale)
	}
	return TwosComplement(d.unscaled()), nil
}

// DecimalToLogical decodes Decimal.toLogical.
func DecimalToLogical(schema *Schema, b []byte) (Decimal, error) {
	scale, err := DecimalScale(schema)
	if err != nil {
		return Decimal{}, err
	}
	u, err := FromTwosComplement(b)
	if err != nil {
		return Decimal{}, err
	}
	return Decimal{Unscaled: u, Scale: scale}, nil
}

// TwosComplement is BigInteger.toByteArray: minimal big-endian two's complement.
func TwosComplement(x *big.Int) []byte {
	if x.Sign() >= 0 {
		b := x.Bytes()
		if len(b) == 0 || b[0]&0x80 != 0 {
			b = append([]byte{0}, b...)
		}
		return b
	}
	y := new(big.Int).Neg(x)
	y.Sub(y, big.NewInt(1)) // -x-1 >= 0
	n := y.BitLen()/8 + 1
	m := new(big.Int).Lsh(big.NewInt(1), uint(8*n))
	m.Add(m, x)
	b := m.Bytes()
	for len(b) < n {
		b = append([]byte{0}, b...)
	}
	return b
}

// FromTwosComplement is new BigInteger(byte[]).
func FromTwosComplement(b []byte) (*big.Int, error) {
	if len(b) == 0 {
		return nil, dataErr("Zero length BigInteger")
	}
	x := new(big.Int).SetBytes(b)
	if b[0]&0x80 != 0 {
		x.Sub(x, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	return x, nil
}

// DateFromLogical is Date.fromLogical: days since the epoch of a UTC midnight.
func DateFromLogical(schema *Schema, t time.Time) (int32, error) {
	if schema == nil || schema.Name != DateName {
		return 0, dataErr("Requested conversion of Date object but the schema does not match.")
	}
	ms := t.UnixMilli()
	if ms%millisPerDay != 0 {
		return 0, dataErr("Kafka Connect Date type should not have any time fields set to non-zero values.")
	}
	return int32(ms / millisPerDay), nil
}

// DateToLogical is Date.toLogical.
func DateToLogical(schema *Schema, days int32) (time.Time, error) {
	if schema == nil || schema.Name != DateName {
		return time.Time{}, dataErr("Requested conversion of Date object but the schema does not match.")
	}
	return time.UnixMilli(int64(days) * millisPerDay).UTC(), nil
}

// TimeFromLogical is Time.fromLogical: milliseconds since midnight of 1970-01-01 UTC.
func TimeFromLogical(schema *Schema, t time.Time) (int32, error) {
	if schema == nil || schema.Name != TimeName {
		return 0, dataErr("Requested conversion of Time object but the schema does not match.")
	}
	ms := t.UnixMilli()
	if ms < 0 || ms > millisPerDay {
		return 0, dataErr("Kafka Connect Time type should not have any date fields set to non-zero values.")
	}
	return int32(ms), nil
}

// TimeToLogical is Time.toLogical.
func TimeToLogical(schema *Schema, ms int32) (time.Time, error) {
	if schema == nil || schema.Name != TimeName {
		return time.Time{}, dataErr("Requested conversion of Time object but the schema does not match.")
	}
	if ms < 0 || ms > millisPerDay {
		return time.Time{}, dataErr("Time values must use number of milliseconds greater than 0 and less than 86400000")
	}
	return time.UnixMilli(int64(ms)).UTC(), nil
}

// TimestampFromLogical is Timestamp.fromLogical: milliseconds since the epoch.
func TimestampFromLogical(schema *Schema, t time.Time) (int64, error) {
	if schema == nil || schema.Name != TimestampName {
		return 0, dataErr("Requested conversion of Timestamp object but the schema does not match.")
	}
	return t.UnixMilli(), nil
}

// TimestampToLogical is Timestamp.toLogical.
func TimestampToLogical(schema *Schema, ms int64) (time.Time, error) {
	if schema == nil || schema.Name != TimestampName {
		return time.Time{}, dataErr("Requested conversion of Timestamp object but the schema does not match.")
	}
	return time.UnixMilli(ms).UTC(), nil
}
