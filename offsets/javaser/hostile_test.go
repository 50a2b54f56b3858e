package javaser

import (
	"strings"
	"testing"
	"time"
)

// TestHostileStreams: malicious offsets files fail fast with a clear error,
// bounded memory and no panic.
func TestHostileStreams(t *testing.T) {
	// A HashMap whose class descriptor claims 10,000 nested superclasses.
	deep := (&stream{}).u16(streamMagic).u16(streamVersion).raw(tcObject)
	for i := range 10000 {
		deep.raw(tcClassDesc).utf("C" + strings.Repeat("x", i%7)).u64(1).raw(scSerializable).u16(0).raw(tcEndBlockData)
	}
	// A byte[] class descriptor annotated with an endless run of block data.
	annot := header().raw(tcBlockData, 8).u32(16).u32(1).raw(tcArray, tcClassDesc).utf(byteArrClass).u64(byteArrSUID).raw(scSerializable).u16(0)
	for range 50000 {
		annot.raw(tcBlockData, 0)
	}
	// Entries that are references to a handle that does not exist.
	refs := header().raw(tcBlockData, 8).u32(16).u32(500)
	for range 1000 {
		refs.arrAt(baseWireHandle + 0x7fffff)
	}
	// A field list claiming 65,535 fields in a few bytes.
	fields := (&stream{}).u16(streamMagic).u16(streamVersion).raw(tcObject, tcClassDesc).utf(hashMapClass).u64(hashMapSUID).raw(scSerializable).u16(0xffff)
	for _, tc := range []struct {
		name string
		in   []byte
		want string
	}{
		{"deep class hierarchy", deep.b, "class hierarchy too deep"},
		{"endless annotation", annot.b, "truncated"},
		{"dangling references", refs.b, "invalid handle"},
		{"huge field count", fields.b, "truncated"},
		{"huge array length", hugeArray(), "truncated"},
		{"garbage", []byte(strings.Repeat("\xac\xed\x00\x05\x73\x72", 1000)), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			_, err := ReadHashMap(tc.in)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Fatalf("took %v", d)
			}
		})
	}
}
