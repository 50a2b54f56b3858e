// Package javaser reads and writes the one Java serialization stream Kafka's
// FileOffsetBackingStore uses: ObjectOutputStream.writeObject of a
// java.util.HashMap<byte[], byte[]> (Java Object Serialization Stream
// Protocol, version 5).
//
// The writer emits exactly what JDK 17 emits for such a map. The reader
// accepts everything a JDK can emit for it (TC_REFERENCE to earlier class
// descriptors or arrays, any capacity, TC_RESET, block data split in any
// way, short or long block headers) and rejects anything else with a
// *FormatError; it never panics and never allocates more than the input
// could describe.
package javaser

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Stream constants (java.io.ObjectStreamConstants).
const (
	streamMagic   = 0xaced
	streamVersion = 5

	tcNull           = 0x70
	tcReference      = 0x71
	tcClassDesc      = 0x72
	tcObject         = 0x73
	tcString         = 0x74
	tcArray          = 0x75
	tcClass          = 0x76
	tcBlockData      = 0x77
	tcEndBlockData   = 0x78
	tcReset          = 0x79
	tcBlockDataLong  = 0x7a
	tcException      = 0x7b
	tcLongString     = 0x7c
	tcProxyClassDesc = 0x7d
	tcEnum           = 0x7e

	baseWireHandle = 0x7e0000

	scWriteMethod  = 0x01
	scSerializable = 0x02
	scExternal     = 0x04
	scEnum         = 0x10

	hashMapClass = "java.util.HashMap"
	hashMapSUID  = 362498820763181265 // 0x0507dac1c31660d1
	byteArrClass = "[B"
	byteArrSUID  = 0xacf317f8060854e0
)

// Entry is one mapping. A nil Key or Value is Java null (TC_NULL); a non-nil
// empty slice is an empty byte[].
type Entry struct {
	Key, Value []byte
}

// ErrTruncated is wrapped by the FormatError returned when the stream ends
// before the object does (Java's EOFException).
var ErrTruncated = errors.New("truncated")

// ErrInvalidHeader is wrapped when the stream does not start with the Java
// serialization magic and version (Java's StreamCorruptedException).
var ErrInvalidHeader = errors.New("invalid stream header")

// ErrNotHashMap is wrapped when the top-level object is not a HashMap.
var ErrNotHashMap = errors.New("not a HashMap")

// FormatError reports where and why a stream was rejected.
type FormatError struct {
	Offset int // byte offset in the stream where the problem was found
	Msg    string
	Err    error // ErrTruncated, ErrInvalidHeader, ErrNotHashMap or nil
}

func (e *FormatError) Error() string {
	if errors.Is(e.Err, ErrTruncated) {
		return fmt.Sprintf("truncated at byte %d", e.Offset)
	}
	return fmt.Sprintf("%s (at byte %d)", e.Msg, e.Offset)
}

func (e *FormatError) Unwrap() error { return e.Err }

// classDesc is the part of a class descriptor the reader needs.
type classDesc struct {
	name   string
	flags  byte
	fields []fieldDesc
	super  *classDesc
}

type fieldDesc struct {
	typeCode byte
	name     string
}

// reader is a cursor over the stream plus the handle table. Handles are
// assigned in stream order to class descriptors, strings, arrays and objects,
// exactly as ObjectInputStream does, so TC_REFERENCE resolves identically.
type reader struct {
	b       []byte
	pos     int
	handles []any
	// Remaining bytes in the current block-data segment (primitive data
	// written by HashMap.writeObject may be split over several segments).
	block int
}

func (r *reader) fail(msg string, args ...any) error {
	return &FormatError{Offset: r.pos, Msg: fmt.Sprintf(msg, args...)}
}

func (r *reader) truncated() error {
	return &FormatError{Offset: len(r.b), Err: ErrTruncated}
}

func (r *reader) need(n int) error {
	if n < 0 || len(r.b)-r.pos < n {
		return r.truncated()
	}
	return nil
}

func (r *reader) u8() (byte, error) {
	if err := r.need(1); err != nil {
		return 0, err
	}
	c := r.b[r.pos]
	r.pos++
	return c, nil
}

func (r *reader) u16() (uint16, error) {
	if err := r.need(2); err != nil {
		return 0, err
	}
	v := binary.BigEndian.Uint16(r.b[r.pos:])
	r.pos += 2
	return v, nil
}

func (r *reader) u32() (uint32, error) {
	if err := r.need(4); err != nil {
		return 0, err
	}
	v := binary.BigEndian.Uint32(r.b[r.pos:])
	r.pos += 4
	return v, nil
}

func (r *reader) u64() (uint64, error) {
	if err := r.need(8); err != nil {
		return 0, err
	}
	v := binary.BigEndian.Uint64(r.b[r.pos:])
	r.pos += 8
	return v, nil
}

// utf reads a modified-UTF-8 string with a 2-byte length (class and field
// names). Names are compared, not displayed, so bytes are kept as they are.
func (r *reader) utf() (string, error) {
	n, err := r.u16()
	if err != nil {
		return "", err
	}
	if err := r.need(int(n)); err != nil {
		return "", err
	}
	s := string(r.b[r.pos : r.pos+int(n)])
	r.pos += int(n)
	return s, nil
}

// peekSkipReset returns the next type code, consuming any TC_RESET first
// (ObjectInputStream handles resets transparently between objects).
func (r *reader) peekSkipReset() (byte, error) {
	for {
		if err := r.need(1); err != nil {
			return 0, err
		}
		tc := r.b[r.pos]
		if tc != tcReset {
			return tc, nil
		}
		r.pos++
		r.handles = r.handles[:0]
	}
}

func (r *reader) newHandle(v any) int {
	r.handles = append(r.handles, v)
	return len(r.handles) - 1
}

func (r *reader) reference() (any, error) {
	at := r.pos
	h, err := r.u32()
	if err != nil {
		return nil, err
	}
	idx := int64(h) - baseWireHandle
	if idx < 0 || idx >= int64(len(r.handles)) {
		r.pos = at
		return nil, r.fail("invalid handle 0x%x", h)
	}
	return r.handles[idx], nil
}

// classDesc reads a class descriptor: TC_CLASSDESC, TC_REFERENCE or TC_NULL.
func (r *reader) classDesc(depth int) (*classDesc, error) {
	if depth > 16 {
		return nil, r.fail("class hierarchy too deep")
	}
	tc, err := r.peekSkipReset()
	if err != nil {
		return nil, err
	}
	switch tc {
	case tcNull:
		r.pos++
		return nil, nil
	case tcReference:
		r.pos++
		at := r.pos
		v, err := r.reference()
		if err != nil {
			return nil, err
		}
		cd, ok := v.(*classDesc)
		if !ok {
			r.pos = at
			return nil, r.fail("reference to a non-class-descriptor where a class descriptor was expected")
		}
		return cd, nil
	case tcClassDesc:
		r.pos++
	case tcProxyClassDesc:
		return nil, r.fail("unsupported proxy class descriptor")
	default:
		return nil, r.fail("unexpected type code 0x%02x where a class descriptor was expected", tc)
	}
	cd := &classDesc{}
	if cd.name, err = r.utf(); err != nil {
		return nil, err
	}
	if _, err = r.u64(); err != nil { // serialVersionUID: not checked, as with any JDK that has the class
		return nil, err
	}
	r.newHandle(cd)
	if cd.flags, err = r.u8(); err != nil {
		return nil, err
	}
	nf, err := r.u16()
	if err != nil {
		return nil, err
	}
	// Each field takes at least 3 bytes; bound the allocation by the input.
	if err := r.need(3 * int(nf)); err != nil {
		return nil, err
	}
	cd.fields = make([]fieldDesc, 0, nf)
	for range int(nf) {
		var f fieldDesc
		if f.typeCode, err = r.u8(); err != nil {
			return nil, err
		}
		if f.name, err = r.utf(); err != nil {
			return nil, err
		}
		switch f.typeCode {
		case 'B', 'C', 'D', 'F', 'I', 'J', 'S', 'Z':
		case 'L', '[':
			// The field's class name is a String object (new or referenced).
			if _, err := r.stringObject(); err != nil {
				return nil, err
			}
		default:
			r.pos--
			return nil, r.fail("invalid field type code 0x%02x", f.typeCode)
		}
		cd.fields = append(cd.fields, f)
	}
	if err := r.skipAnnotation(); err != nil {
		return nil, err
	}
	if cd.super, err = r.classDesc(depth + 1); err != nil {
		return nil, err
	}
	return cd, nil
}

// stringObject reads a TC_STRING / TC_LONGSTRING / TC_REFERENCE to a string.
func (r *reader) stringObject() (string, error) {
	tc, err := r.peekSkipReset()
	if err != nil {
		return "", err
	}
	switch tc {
	case tcString:
		r.pos++
		s, err := r.utf()
		if err != nil {
			return "", err
		}
		r.newHandle(s)
		return s, nil
	case tcLongString:
		r.pos++
		n, err := r.u64()
		if err != nil {
			return "", err
		}
		if n > uint64(len(r.b)-r.pos) {
			return "", r.truncated()
		}
		s := string(r.b[r.pos : r.pos+int(n)])
		r.pos += int(n)
		r.newHandle(s)
		return s, nil
	case tcReference:
		r.pos++
		at := r.pos
		v, err := r.reference()
		if err != nil {
			return "", err
		}
		s, ok := v.(string)
		if !ok {
			r.pos = at
			return "", r.fail("reference to a non-string where a string was expected")
		}
		return s, nil
	default:
		return "", r.fail("unexpected type code 0x%02x where a string was expected", tc)
	}
}

// skipAnnotation skips class annotations up to TC_ENDBLOCKDATA. A JDK writes
// none for HashMap and byte[]; block data is tolerated, objects are not.
func (r *reader) skipAnnotation() error {
	for {
		tc, err := r.u8()
		if err != nil {
			return err
		}
		switch tc {
		case tcEndBlockData:
			return nil
		case tcBlockData:
			n, err := r.u8()
			if err != nil {
				return err
			}
			if err := r.need(int(n)); err != nil {
				return err
			}
			r.pos += int(n)
		case tcBlockDataLong:
			n, err := r.u32()
			if err != nil {
				return err
			}
			if n > math.MaxInt32 || r.need(int(n)) != nil {
				return r.truncated()
			}
			r.pos += int(n)
		case tcReset:
			r.handles = r.handles[:0]
		default:
			r.pos--
			return r.fail("unsupported class annotation (type code 0x%02x)", tc)
		}
	}
}

// blockBytes reads n bytes of primitive data from block-data segments.
func (r *reader) blockBytes(n int) ([]byte, error) {
	out := make([]byte, 0, n)
	for len(out) < n {
		if r.block == 0 {
			tc, err := r.u8()
			if err != nil {
				return nil, err
			}
			switch tc {
			case tcBlockData:
				l, err := r.u8()
				if err != nil {
					return nil, err
				}
				r.block = int(l)
			case tcBlockDataLong:
				l, err := r.u32()
				if err != nil {
					return nil, err
				}
				if l > math.MaxInt32 {
					return nil, r.truncated()
				}
				r.block = int(l)
			case tcReset:
				r.handles = r.handles[:0]
			default:
				r.pos--
				return nil, r.fail("expected block data but found type code 0x%02x", tc)
			}
			continue
		}
		take := min(n-len(out), r.block)
		if err := r.need(take); err != nil {
			return nil, err
		}
		out = append(out, r.b[r.pos:r.pos+take]...)
		r.pos += take
		r.block -= take
	}
	return out, nil
}

func (r *reader) blockInt() (int32, error) {
	b, err := r.blockBytes(4)
	if err != nil {
		return 0, err
	}
	return int32(binary.BigEndian.Uint32(b)), nil
}

// byteArray reads one key or value: TC_NULL, TC_ARRAY of "[B" or a
// TC_REFERENCE to an earlier byte array.
func (r *reader) byteArray() ([]byte, error) {
	if r.block > 0 {
		return nil, r.fail("unexpected %d bytes of block data where an object was expected", r.block)
	}
	tc, err := r.peekSkipReset()
	if err != nil {
		return nil, err
	}
	switch tc {
	case tcNull:
		r.pos++
		return nil, nil
	case tcReference:
		r.pos++
		at := r.pos
		v, err := r.reference()
		if err != nil {
			return nil, err
		}
		a, ok := v.(byteArr)
		if !ok {
			r.pos = at
			return nil, r.fail("reference to a non-byte[] object where a byte[] was expected")
		}
		return a, nil
	case tcArray:
		r.pos++
		at := r.pos
		cd, err := r.classDesc(0)
		if err != nil {
			return nil, err
		}
		if cd == nil || cd.name != byteArrClass {
			r.pos = at
			return nil, r.fail("expected byte[] but found %s", descName(cd))
		}
		h := r.newHandle(nil)
		n, err := r.u32()
		if err != nil {
			return nil, err
		}
		if int32(n) < 0 {
			return nil, r.fail("negative array length %d", int32(n))
		}
		if err := r.need(int(n)); err != nil {
			return nil, err
		}
		a := make([]byte, n)
		copy(a, r.b[r.pos:])
		r.pos += int(n)
		r.handles[h] = byteArr(a)
		return a, nil
	default:
		return nil, r.fail("unexpected type code 0x%02x where a byte[] was expected", tc)
	}
}

// byteArr distinguishes arrays from other handle-table entries.
type byteArr []byte

func descName(cd *classDesc) string {
	if cd == nil {
		return "null"
	}
	return cd.name
}

// ReadHashMap decodes a serialized java.util.HashMap<byte[], byte[]>.
// Entries are returned in stream order. Bytes after the map are ignored, as
// ObjectInputStream.readObject ignores them.
func ReadHashMap(data []byte) ([]Entry, error) {
	r := &reader{b: data}
	if len(data) < 4 {
		// Say "invalid header" for short garbage, "truncated" for a short prefix.
		if data := data[:min(len(data), 2)]; len(data) > 0 && (data[0] != 0xac || len(data) == 2 && data[1] != 0xed) {
			return nil, &FormatError{Offset: 0, Msg: fmt.Sprintf("invalid stream header: %X", data), Err: ErrInvalidHeader}
		}
		return nil, r.truncated()
	}
	if binary.BigEndian.Uint16(data) != streamMagic || binary.BigEndian.Uint16(data[2:]) != streamVersion {
		return nil, &FormatError{Offset: 0, Msg: fmt.Sprintf("invalid stream header: %X", data[:4]), Err: ErrInvalidHeader}
	}
	r.pos = 4

	tc, err := r.peekSkipReset()
	if err != nil {
		return nil, err
	}
	if tc != tcObject {
		at := r.pos
		found, err := r.describeNonObject(tc)
		if err != nil {
			return nil, err
		}
		return nil, &FormatError{Offset: at, Msg: "expected HashMap but found " + found, Err: ErrNotHashMap}
	}
	r.pos++
	at := r.pos
	cd, err := r.classDesc(0)
	if err != nil {
		return nil, err
	}
	if cd == nil || cd.name != hashMapClass {
		return nil, &FormatError{Offset: at, Msg: "expected HashMap but found " + descName(cd), Err: ErrNotHashMap}
	}
	if cd.flags&(scSerializable|scWriteMethod) != scSerializable|scWriteMethod || cd.flags&(scExternal|scEnum) != 0 {
		return nil, r.fail("unexpected HashMap class descriptor flags 0x%02x", cd.flags)
	}
	if cd.super != nil {
		return nil, r.fail("unexpected superclass %s of java.util.HashMap", cd.super.name)
	}
	r.newHandle(nil) // the HashMap object itself

	// Serializable fields (loadFactor, threshold), in descriptor order.
	for _, f := range cd.fields {
		var size int
		switch f.typeCode {
		case 'B', 'Z':
			size = 1
		case 'C', 'S':
			size = 2
		case 'I', 'F':
			size = 4
		case 'D', 'J':
			size = 8
		default:
			return nil, r.fail("unsupported object field %q in HashMap", f.name)
		}
		if err := r.need(size); err != nil {
			return nil, err
		}
		r.pos += size
	}

	// HashMap.writeObject: int capacity, int size, then key/value objects.
	if _, err := r.blockInt(); err != nil { // capacity: ignored, like HashMap.readObject
		return nil, err
	}
	sizeAt := r.pos
	size, err := r.blockInt()
	if err != nil {
		return nil, err
	}
	if size < 0 {
		r.pos = sizeAt
		return nil, r.fail("illegal mappings count: %d", size)
	}
	// Every key and value takes at least one byte (TC_NULL).
	if int64(size)*2 > int64(len(r.b)-r.pos) {
		return nil, r.truncated()
	}
	entries := make([]Entry, 0, size)
	for range int(size) {
		var e Entry
		if e.Key, err = r.byteArray(); err != nil {
			return nil, err
		}
		if e.Value, err = r.byteArray(); err != nil {
			return nil, err
		}
		entries = append(entries, e)
	}
	// End of HashMap's custom data: optional empty blocks, then TC_ENDBLOCKDATA.
	if r.block > 0 {
		return nil, r.fail("unexpected %d bytes of block data after the HashMap entries", r.block)
	}
	if err := r.endBlock(); err != nil {
		return nil, err
	}
	return entries, nil
}

func (r *reader) endBlock() error {
	for {
		tc, err := r.u8()
		if err != nil {
			return err
		}
		switch tc {
		case tcEndBlockData:
			return nil
		case tcBlockData:
			n, err := r.u8()
			if err != nil {
				return err
			}
			if n != 0 {
				r.pos -= 2
				return r.fail("unexpected block data after the HashMap entries")
			}
		case tcReset:
			r.handles = r.handles[:0]
		default:
			r.pos--
			return r.fail("expected end of HashMap data but found type code 0x%02x", tc)
		}
	}
}

// describeNonObject names the Java class of a top-level non-TC_OBJECT item,
// for the "expected HashMap but found <class>" message.
func (r *reader) describeNonObject(tc byte) (string, error) {
	switch tc {
	case tcNull:
		return "null", nil
	case tcString, tcLongString:
		return "java.lang.String", nil
	case tcArray:
		r.pos++
		cd, err := r.classDesc(0)
		if err != nil {
			return "", err
		}
		return descName(cd), nil
	case tcEnum:
		r.pos++
		cd, err := r.classDesc(0)
		if err != nil {
			return "", err
		}
		return descName(cd), nil
	case tcClass, tcClassDesc, tcProxyClassDesc:
		return "java.lang.Class", nil
	case tcReference:
		return "a back reference", nil
	case tcException:
		return "an exception", nil
	case tcBlockData, tcBlockDataLong:
		return "primitive block data", nil
	default:
		return "", r.fail("invalid type code 0x%02x", tc)
	}
}

// WriteHashMap encodes entries as a java.util.HashMap<byte[], byte[]>, byte for
// byte what JDK 17's ObjectOutputStream.writeObject produces for a HashMap
// built by put()-ing the entries in this order (Java's own iteration order
// depends on identity hash codes, so only the order of entries may differ).
func WriteHashMap(entries []Entry) []byte {
	return AppendHashMap(nil, entries)
}

// AppendHashMap is WriteHashMap appending to dst.
func AppendHashMap(dst []byte, entries []Entry) []byte {
	n := 4 + 64 + 10
	for _, e := range entries {
		n += len(e.Key) + len(e.Value) + 20
	}
	b := dst
	if cap(b)-len(b) < n {
		b = make([]byte, len(dst), len(dst)+n)
		copy(b, dst)
	}
	b = binary.BigEndian.AppendUint16(b, streamMagic)
	b = binary.BigEndian.AppendUint16(b, streamVersion)
	b = append(b, tcObject, tcClassDesc)
	b = appendUTF(b, hashMapClass)
	b = binary.BigEndian.AppendUint64(b, hashMapSUID)
	b = append(b, scWriteMethod|scSerializable)
	b = binary.BigEndian.AppendUint16(b, 2)
	b = append(b, 'F')
	b = appendUTF(b, "loadFactor")
	b = append(b, 'I')
	b = appendUTF(b, "threshold")
	b = append(b, tcEndBlockData, tcNull)
	// Handles: 0 = HashMap class desc, 1 = the HashMap, 2 = [B class desc.
	capacity, threshold := tableSize(len(entries))
	b = binary.BigEndian.AppendUint32(b, math.Float32bits(0.75))
	b = binary.BigEndian.AppendUint32(b, uint32(threshold))
	b = append(b, tcBlockData, 8)
	b = binary.BigEndian.AppendUint32(b, uint32(capacity))
	b = binary.BigEndian.AppendUint32(b, uint32(len(entries)))
	wroteArrayDesc := false
	writeArr := func(a []byte) {
		if a == nil {
			b = append(b, tcNull)
			return
		}
		b = append(b, tcArray)
		if !wroteArrayDesc {
			wroteArrayDesc = true
			b = append(b, tcClassDesc)
			b = appendUTF(b, byteArrClass)
			b = binary.BigEndian.AppendUint64(b, byteArrSUID)
			b = append(b, scSerializable)
			b = binary.BigEndian.AppendUint16(b, 0)
			b = append(b, tcEndBlockData, tcNull)
		} else {
			b = append(b, tcReference)
			b = binary.BigEndian.AppendUint32(b, baseWireHandle+2)
		}
		b = binary.BigEndian.AppendUint32(b, uint32(len(a)))
		b = append(b, a...)
	}
	for _, e := range entries {
		writeArr(e.Key)
		writeArr(e.Value)
	}
	return append(b, tcEndBlockData)
}

// tableSize returns the capacity and threshold a HashMap has after n put()s
// into a new HashMap<>(): the table starts at 16 and doubles whenever size
// exceeds 0.75*capacity. An empty, never-used map reports threshold 0.
func tableSize(n int) (capacity, threshold int) {
	if n == 0 {
		return 16, 0
	}
	capacity = 16
	for n > capacity/4*3 && capacity < 1<<30 {
		capacity <<= 1
	}
	return capacity, capacity / 4 * 3
}

func appendUTF(b []byte, s string) []byte {
	b = binary.BigEndian.AppendUint16(b, uint16(len(s)))
	return append(b, s...)
}
