package javaser

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
)

// The fixtures were written by JDK 17's ObjectOutputStream (see
// offsets.TestJDKInterop, which regenerates them with -update).
func TestReadJDKFixtures(t *testing.T) {
	for _, tc := range []struct {
		file string
		n    int
	}{
		{"testdata/jdk17-empty.ser", 0},
		{"testdata/jdk17-single.ser", 1},
		{"testdata/jdk17-many.ser", 40},
	} {
		t.Run(tc.file, func(t *testing.T) {
			raw, err := os.ReadFile(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			entries, err := ReadHashMap(raw)
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != tc.n {
				t.Fatalf("%d entries, want %d", len(entries), tc.n)
			}
			seen := map[string]string{}
			for _, e := range entries {
				seen[string(e.Key)] = string(e.Value)
			}
			if tc.n == 40 {
				for i := range 40 {
					if got, want := seen[fmt.Sprintf(`["many",{"n":%d}]`, i)], fmt.Sprintf(`{"pos":%d}`, i*10); got != want {
						t.Errorf("entry %d = %q, want %q", i, got, want)
					}
				}
			}
			// Writing the same entries in the same order reproduces the JDK bytes
			// (the JDK's capacity/threshold included).
			if got := WriteHashMap(entries); !bytes.Equal(got, raw) {
				t.Errorf("re-encoding differs from the JDK:\n got %x\nwant %x", got, raw)
			}
		})
	}
}

func TestRoundTrip(t *testing.T) {
	for _, entries := range [][]Entry{
		nil,
		{{Key: []byte("k"), Value: nil}},
		{{Key: nil, Value: []byte("v")}},
		{{Key: []byte{}, Value: []byte{}}},
		func() []Entry {
			var es []Entry
			for i := range 1000 {
				es = append(es, Entry{Key: []byte(fmt.Sprint("key", i)), Value: bytes.Repeat([]byte{byte(i)}, i)})
			}
			return es
		}(),
	} {
		got, err := ReadHashMap(WriteHashMap(entries))
		if err != nil {
			t.Fatalf("%d entries: %v", len(entries), err)
		}
		if len(entries) == 0 {
			entries = []Entry{}
		}
		if !reflect.DeepEqual(got, entries) {
			t.Errorf("round trip of %d entries differs", len(entries))
		}
	}
}

func TestTableSize(t *testing.T) {
	for _, tc := range []struct{ n, capacity, threshold int }{
		{0, 16, 0}, {1, 16, 12}, {12, 16, 12}, {13, 32, 24}, {24, 32, 24}, {25, 64, 48}, {40, 64, 48}, {49, 128, 96},
	} {
		if c, th := tableSize(tc.n); c != tc.capacity || th != tc.threshold {
			t.Errorf("tableSize(%d) = %d, %d; want %d, %d", tc.n, c, th, tc.capacity, tc.threshold)
		}
	}
}

// stream builds hand-made streams for what a JDK may emit but our writer
// does not (resets, long or split block data, references to arrays).
type stream struct{ b []byte }

func (s *stream) raw(b ...byte) *stream { s.b = append(s.b, b...); return s }
func (s *stream) u16(v uint16) *stream  { s.b = binary.BigEndian.AppendUint16(s.b, v); return s }
func (s *stream) u32(v uint32) *stream  { s.b = binary.BigEndian.AppendUint32(s.b, v); return s }
func (s *stream) utf(v string) *stream  { return s.u16(uint16(len(v))).raw([]byte(v)...) }
func (s *stream) u64(v uint64) *stream  { s.b = binary.BigEndian.AppendUint64(s.b, v); return s }
func (s *stream) arr(v string) *stream {
	return s.raw(tcArray, tcReference).u32(baseWireHandle + 2).u32(uint32(len(v))).raw([]byte(v)...)
}
func (s *stream) arrAt(h uint32) *stream { return s.raw(tcArray, tcReference).u32(h) }

// header writes magic, the HashMap class desc and fields (handles 0 and 1).
func header() *stream {
	s := &stream{}
	s.u16(streamMagic).u16(streamVersion).raw(tcObject, tcClassDesc).utf(hashMapClass).u64(hashMapSUID)
	s.raw(scWriteMethod|scSerializable).u16(2).raw('F').utf("loadFactor").raw('I').utf("threshold").raw(tcEndBlockData, tcNull)
	return s.u32(0x3f400000).u32(12)
}

// byteArrDesc writes the first array with a full "[B" descriptor (handle 2).
func (s *stream) firstArr(v string) *stream {
	s.raw(tcArray, tcClassDesc).utf(byteArrClass).u64(byteArrSUID).raw(scSerializable).u16(0).raw(tcEndBlockData, tcNull)
	return s.u32(uint32(len(v))).raw([]byte(v)...)
}

func TestReadTolerance(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    *stream
		want []Entry
	}{
		{
			"block data split over several blocks, long block header, odd capacity",
			header().raw(tcBlockData, 3).u16(0).raw(0).raw(tcBlockDataLong).u32(5).raw(7).u32(1).
				firstArr("k").arr("v").raw(tcBlockData, 0).raw(tcEndBlockData),
			[]Entry{{Key: []byte("k"), Value: []byte("v")}},
		},
		{
			"reference to an earlier array (same byte[] instance twice)",
			header().raw(tcBlockData, 8).u32(16).u32(2).firstArr("k").raw(tcNull).raw(tcReference).u32(baseWireHandle + 3).arr("v").raw(tcEndBlockData),
			[]Entry{{Key: []byte("k")}, {Key: []byte("k"), Value: []byte("v")}},
		},
		{
			"TC_RESET before the object",
			(&stream{}).u16(streamMagic).u16(streamVersion).raw(tcReset).raw(header().b[4:]...).raw(tcBlockData, 8).u32(1).u32(0).raw(tcEndBlockData),
			[]Entry{},
		},
		{
			"TC_RESET between entries re-sends the array class desc",
			header().raw(tcBlockData, 8).u32(16).u32(2).firstArr("a").raw(tcNull).raw(tcReset).firstArr("b").arrAt(baseWireHandle+0).u32(1).raw('c', tcEndBlockData),
			[]Entry{{Key: []byte("a")}, {Key: []byte("b"), Value: []byte("c")}},
		},
		{
			"trailing bytes after the object are ignored",
			(&stream{b: WriteHashMap([]Entry{{Key: []byte("k")}})}).raw(0x42, 0x42),
			[]Entry{{Key: []byte("k")}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadHashMap(tc.s.b)
			if err != nil {
				t.Fatalf("%v\n%x", err, tc.s.b)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// hugeArray claims a 2 GiB byte[] in a tiny stream.
func hugeArray() []byte {
	s := header().raw(tcBlockData, 8).u32(16).u32(1)
	s.raw(tcArray, tcClassDesc).utf(byteArrClass).u64(byteArrSUID).raw(scSerializable).u16(0).raw(tcEndBlockData, tcNull)
	return s.u32(0x7ffffff0).b
}

func TestReadErrors(t *testing.T) {
	valid := WriteHashMap([]Entry{{Key: []byte(`["c",{"a":1}]`), Value: []byte(`{"p":1}`)}})
	other := func(class string) []byte {
		s := (&stream{}).u16(streamMagic).u16(streamVersion).raw(tcObject, tcClassDesc).utf(class).u64(1).raw(scSerializable).u16(0).raw(tcEndBlockData, tcNull)
		return s.b
	}
	for _, tc := range []struct {
		name string
		in   []byte
		want string
		is   error
	}{
		{"empty", nil, "truncated at byte 0", ErrTruncated},
		{"short prefix", []byte{0xac, 0xed}, "truncated at byte 2", ErrTruncated},
		{"short garbage", []byte("{}"), "invalid stream header: 7B7D", ErrInvalidHeader},
		{"bad version", []byte{0xac, 0xed, 0, 4, 0x73}, "invalid stream header: ACED0004", ErrInvalidHeader},
		{"text", []byte("hello world"), "invalid stream header: 68656C6C", ErrInvalidHeader},
		{"truncated in the middle", valid[:60], "truncated at byte 60", ErrTruncated},
		{"truncated before end marker", valid[:len(valid)-1], fmt.Sprintf("truncated at byte %d", len(valid)-1), ErrTruncated},
		{"header only", valid[:4], "truncated at byte 4", ErrTruncated},
		{"string", (&stream{}).u16(streamMagic).u16(streamVersion).raw(tcString).utf("hi").b, "expected HashMap but found java.lang.String", ErrNotHashMap},
		{"null", []byte{0xac, 0xed, 0, 5, tcNull}, "expected HashMap but found null", ErrNotHashMap},
		{"TreeMap", other("java.util.TreeMap"), "expected HashMap but found java.util.TreeMap", ErrNotHashMap},
		{"byte array", (&stream{}).u16(streamMagic).u16(streamVersion).firstArr("x").b, "expected HashMap but found [B", ErrNotHashMap},
		{"HashMap of strings", header().raw(tcBlockData, 8).u32(16).u32(1).raw(tcString).utf("k").raw(tcNull, tcEndBlockData).b, "unexpected type code 0x74 where a byte[] was expected", nil},
		{"HashMap of int[]", header().raw(tcBlockData, 8).u32(16).u32(1).raw(tcArray, tcClassDesc).utf("[I").u64(1).raw(scSerializable).u16(0).raw(tcEndBlockData, tcNull).u32(0).b, "expected byte[] but found [I", nil},
		{"negative size", header().raw(tcBlockData, 8).u32(16).u32(0xffffffff).b, "illegal mappings count: -1", nil},
		{"huge size", header().raw(tcBlockData, 8).u32(16).u32(0x7fffffff).b, "truncated at byte", ErrTruncated},
		{"huge array", hugeArray(), "truncated at byte", ErrTruncated},
		{"bad handle", header().raw(tcBlockData, 8).u32(16).u32(1).arrAt(baseWireHandle + 99).b, "invalid handle 0x7e0063", nil},
		{"missing end marker", append(valid[:len(valid)-1], tcNull), "expected end of HashMap data but found type code 0x70", nil},
		{"bad field type", (&stream{}).u16(streamMagic).u16(streamVersion).raw(tcObject, tcClassDesc).utf(hashMapClass).u64(1).raw(3).u16(1).raw('Q').utf("x").b, "invalid field type code 0x51", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadHashMap(tc.in)
			if err == nil {
				t.Fatal("no error")
			}
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Errorf("error %T is not a *FormatError", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %q is not %v", err, tc.is)
			}
		})
	}
}

func FuzzReadHashMap(f *testing.F) {
	for _, file := range []string{"testdata/jdk17-empty.ser", "testdata/jdk17-single.ser", "testdata/jdk17-many.ser"} {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
	f.Add(WriteHashMap([]Entry{{Key: []byte("k")}, {Key: nil, Value: []byte{}}}))
	f.Add(header().raw(tcBlockData, 3).u16(0).raw(0).raw(tcBlockDataLong).u32(5).raw(7).u32(1).firstArr("k").arr("v").raw(tcEndBlockData).b)
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := ReadHashMap(data)
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %T is not a *FormatError", err)
			}
			return
		}
		// Whatever was accepted re-encodes to a stream that reads back equal.
		again, err := ReadHashMap(WriteHashMap(entries))
		if err != nil {
			t.Fatalf("re-read: %v", err)
		}
		if !reflect.DeepEqual(again, entries) {
			t.Fatalf("round trip differs: %q vs %q", again, entries)
		}
	})
}

func BenchmarkWriteHashMap10k(b *testing.B) {
	es := make([]Entry, 10000)
	for i := range es {
		es[i] = Entry{Key: fmt.Appendf(nil, `["local-file-source",{"filename":"/data/file-%05d.txt"}]`, i), Value: fmt.Appendf(nil, `{"position":%d}`, i*1000)}
	}
	var buf []byte
	for b.Loop() {
		buf = AppendHashMap(buf[:0], es)
	}
	b.SetBytes(int64(len(buf)))
}

func BenchmarkReadHashMap10k(b *testing.B) {
	es := make([]Entry, 10000)
	for i := range es {
		es[i] = Entry{Key: fmt.Appendf(nil, `["local-file-source",{"filename":"/data/file-%05d.txt"}]`, i), Value: fmt.Appendf(nil, `{"position":%d}`, i*1000)}
	}
	raw := WriteHashMap(es)
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := ReadHashMap(raw); err != nil {
			b.Fatal(err)
		}
	}
}
