package tail

import (
	"errors"
	"fmt"
	"hash/crc64"
	"io"
	"os"
	"strconv"
	"syscall"
)

// fingerprintBytes is how many leading bytes of a file its fingerprint
// covers once the file is that long. Shorter files are fingerprinted over
// what they have, and the fingerprint grows with them: they are read at once
// instead of waiting for 1 KiB as Filebeat does.
const fingerprintBytes = 1024

// fileID is a file's device and inode: stable across renames, but reused
// by the file system once the file is deleted.
type fileID struct {
	Dev, Ino uint64
}

func (id fileID) String() string { return fmt.Sprintf("%d:%d", id.Dev, id.Ino) }

// idOf returns the identity of a stat result.
func idOf(fi os.FileInfo) (fileID, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fileID{}, false
	}
	return fileID{Dev: uint64(st.Dev), Ino: st.Ino}, true
}

// fingerprint is a CRC-64 of a file's first Len bytes. Together with the
// fileID it tells one generation of a file from another that reuses its
// inode: a stored offset applies only while the fingerprint still matches.
type fingerprint struct {
	Sum uint64
	Len int64
}

var crcTable = crc64.MakeTable(crc64.ECMA)

func (fp fingerprint) String() string { return fmt.Sprintf("%016x", fp.Sum) }

// full reports whether the fingerprint covers fingerprintBytes.
func (fp fingerprint) full() bool { return fp.Len >= fingerprintBytes }

// fingerprintOf computes the fingerprint of the first min(n, size) bytes of f.
func fingerprintOf(f io.ReaderAt, n int64) (fingerprint, error) {
	n = min(n, fingerprintBytes)
	if n <= 0 {
		return fingerprint{}, nil
	}
	buf := make([]byte, n)
	got, err := f.ReadAt(buf, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return fingerprint{}, err
	}
	return fingerprint{Sum: crc64.Checksum(buf[:got], crcTable), Len: int64(got)}, nil
}

// matches reports whether f still starts with the bytes fp was computed on.
// A file now shorter than fp.Len does not match.
func (fp fingerprint) matches(f io.ReaderAt) (bool, error) {
	if fp.Len == 0 {
		return true, nil
	}
	got, err := fingerprintOf(f, fp.Len)
	if err != nil {
		return false, err
	}
	return got == fp, nil
}

// Source partition and offset keys. The partition is the file's identity
// (device and inode); the offset holds the byte position just past the last
// line delivered, and the fingerprint that validates the identity, plus the
// path it was last read under (for people reading the offsets).
const (
	PartitionDevice = "device"
	PartitionInode  = "inode"

	OffsetPosition         = "position"
	OffsetFingerprint      = "fingerprint"
	OffsetFingerprintBytes = "fingerprint.bytes"
	OffsetPath             = "path"
)

func partitionOf(id fileID) map[string]any {
	return map[string]any{PartitionDevice: int64(id.Dev), PartitionInode: int64(id.Ino)}
}

// storedOffset is a parsed committed offset.
type storedOffset struct {
	position int64
	fp       fingerprint
	path     string
}

// parseOffset reads an offset map written by this connector (or given
// through the offsets API).
func parseOffset(m map[string]any) (storedOffset, error) {
	var so storedOffset
	pos, ok := m[OffsetPosition].(int64)
	if !ok || pos < 0 {
		return so, fmt.Errorf("offset %v: %q must be a non-negative integer", m, OffsetPosition)
	}
	so.position = pos
	if s, ok := m[OffsetFingerprint].(string); ok {
		sum, err := strconv.ParseUint(s, 16, 64)
		if err != nil {
			return so, fmt.Errorf("offset %v: %q must be 16 hex digits", m, OffsetFingerprint)
		}
		so.fp.Sum = sum
		n, ok := m[OffsetFingerprintBytes].(int64)
		if !ok || n < 0 || n > fingerprintBytes {
			return so, fmt.Errorf("offset %v: %q must be an integer between 0 and %d", m, OffsetFingerprintBytes, fingerprintBytes)
		}
		so.fp.Len = n
	} else if m[OffsetFingerprint] != nil {
		return so, fmt.Errorf("offset %v: %q must be a string", m, OffsetFingerprint)
	}
	so.path, _ = m[OffsetPath].(string)
	return so, nil
}

// owner returns which of count tasks reads the file.
func (id fileID) owner(count int) int {
	if count <= 1 {
		return 0
	}
	h := id.Ino*0x9E3779B97F4A7C15 ^ id.Dev
	return int(h % uint64(count))
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

// readHead returns the first min(size, fingerprintBytes) bytes of f.
func readHead(f io.ReaderAt, size int64) ([]byte, error) {
	n := min(size, fingerprintBytes)
	if n <= 0 {
		return nil, nil
	}
	buf := make([]byte, n)
	got, err := f.ReadAt(buf, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return buf[:got], nil
}

func fingerprintOfHead(head []byte) fingerprint {
	if len(head) == 0 {
		return fingerprint{}
	}
	return fingerprint{Sum: crc64.Checksum(head, crcTable), Len: int64(len(head))}
}
