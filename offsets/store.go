// Package offsets stores source connector offsets (Kafka's
// FileOffsetBackingStore, offset.storage.file.filename) and tracks which
// submitted records may have their offsets committed (SubmittedRecords).
//
// # Keys and values
//
// Each entry maps key bytes to value bytes exactly as Kafka stores them: the
// key is the compact JSON of ["<connector>",{partition}] (see KeyBytes), the
// value the compact JSON of the offset map, or null once the offset has been
// reset (the key stays, as in Kafka). Kafka compares keys byte-wise; a
// multi-key partition written by a JVM worker may list its keys in any order,
// so the store indexes entries by a canonical form of the parsed key while
// keeping, and re-writing, the original bytes.
//
// # File formats
//
// The format is detected from the content, never from the name:
//
//   - FormatJava: Kafka's own format, one Java-serialized
//     java.util.HashMap<byte[],byte[]> (see package javaser). An existing
//     file in this format keeps it, so users can switch back to the JVM worker.
//
//   - FormatNative: a UTF-8 JSON document, one entry per line:
//
//     {"format":"connect-standalone-offsets","version":1,"entries":[
//     {"key":["local-file-source",{"filename":"/tmp/test.txt"}],"value":{"position":12}},
//     {"key":["local-file-source",{"filename":"/tmp/old.txt"}],"value":null}
//     ]}
//
//     "key" and "value" hold the exact stored bytes as JSON text (always
//     compact, so byte-exact); value null is a reset offset. Bytes that are
//     not compact JSON (only possible for data imported from elsewhere) are
//     written as "key_base64" / "value_base64" instead. Readers reject other
//     "format" strings and versions other than 1; unknown fields are ignored
//     so that version 1 can gain optional fields.
//
// New files use the format given to OpenFileWithFormat (FormatNative for
// OpenFile).
//
// # Durability
//
// Every write replaces the whole file atomically: a temporary file in the same
// directory is written and fsynced, renamed over the offsets file, and the
// directory is fsynced. A crash at any instant leaves either the old or the
// new complete file. Unlike Kafka, a zero-length or truncated file is an
// error at start (Kafka silently starts with no offsets), because it can only
// come from outside damage and would otherwise replay all data.
package offsets

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"sync"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/offsets/javaser"
)

// Format is an on-disk format of the offsets file.
type Format int

const (
	// FormatNative is connect-standalone's versioned JSON format.
	FormatNative Format = iota
	// FormatJava is Kafka's Java-serialized HashMap<byte[],byte[]>.
	FormatJava
)

func (f Format) String() string {
	switch f {
	case FormatNative:
		return "native"
	case FormatJava:
		return "java"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

const (
	nativeFormatName    = "connect-standalone-offsets"
	nativeFormatVersion = 1
)

// ErrClosed is returned by Set after Close.
var ErrClosed = errors.New("offsets store is closed")

// ErrCorrupt is wrapped by OpenFile errors for files whose content cannot be
// loaded (empty, truncated, unknown format).
var ErrCorrupt = errors.New("corrupt offsets file")

// corruptError is a load error that also matches ErrCorrupt without saying
// so in its text.
type corruptError struct{ err error }

func (e *corruptError) Error() string   { return e.err.Error() }
func (e *corruptError) Unwrap() []error { return []error{e.err, ErrCorrupt} }

func corrupt(format string, args ...any) error {
	return &corruptError{fmt.Errorf(format, args...)}
}

type entry struct {
	key   []byte // nil = Java null key (never written by Kafka, kept as found)
	value []byte // nil = null (reset) offset
	canon string // canonical key; "" when the key is not [connector, partition]
	// compact: key and non-nil value are known to be compact JSON (written by
	// Set or read from "key"/"value"), so the native writer need not check.
	compact bool
}

// FileStore is the offsets file. It is safe for concurrent use; writes are
// serialized and a write persists everything set so far (group commit).
type FileStore struct {
	path   string // as given, for messages
	target string // symlinks resolved: the rename replaces the real file
	fs     fileSystem

	writeSem chan struct{} // one writer at a time; a channel so waiting honours ctx

	mu       sync.Mutex
	format   Format
	entries  []*entry
	byKey    map[string]*entry   // exact key bytes (non-nil keys)
	byCanon  map[string][]*entry // canonical key -> entries (usually one)
	nullKey  *entry
	gen      uint64 // bumped by every change
	savedGen uint64 // gen of the last successful write
	closed   bool
}

// OpenFile loads the offsets file at path (once). A missing file is an empty
// store; a new file is written in FormatNative.
func OpenFile(path string) (*FileStore, error) {
	return OpenFileWithFormat(path, FormatNative)
}

// OpenFileWithFormat is OpenFile with the format used when the file does not
// exist yet. An existing file always keeps the format it has.
func OpenFileWithFormat(path string, newFileFormat Format) (*FileStore, error) {
	return openFile(path, newFileFormat, osFS{})
}

func openFile(path string, newFileFormat Format, fsys fileSystem) (*FileStore, error) {
	if newFileFormat != FormatNative && newFileFormat != FormatJava {
		return nil, fmt.Errorf("offsets file %q: unknown format %v", path, newFileFormat)
	}
	s := &FileStore{
		path:     path,
		target:   path,
		fs:       fsys,
		writeSem: make(chan struct{}, 1),
		format:   newFileFormat,
		byKey:    make(map[string]*entry),
		byCanon:  make(map[string][]*entry),
	}
	if t, err := filepath.EvalSymlinks(path); err == nil {
		s.target = t
	}
	raw, err := fsys.ReadFile(s.target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		s.removeStaleTemps()
		return s, nil
	case err != nil:
		return nil, fmt.Errorf("offsets file %q: %w", path, err)
	}
	if err := s.load(raw); err != nil {
		return nil, err
	}
	s.removeStaleTemps()
	return s, nil
}

const remedy = "move it away to start without offsets (sources will re-read from their beginning), or restore it from a backup"

func (s *FileStore) load(raw []byte) error {
	if len(raw) == 0 {
		return corrupt("offsets file %q is empty (0 bytes), probably truncated by a crash of a previous worker: %s", s.path, remedy)
	}
	if raw[0] == 0xac {
		s.format = FormatJava
		entries, err := javaser.ReadHashMap(raw)
		if err != nil {
			if errors.Is(err, javaser.ErrTruncated) {
				return corrupt("offsets file %q is truncated: Java-serialized HashMap %w (file size %d): %s", s.path, err, len(raw), remedy)
			}
			return corrupt("offsets file %q is not a valid Kafka offsets file: %w: %s", s.path, err, remedy)
		}
		for _, e := range entries {
			s.put(e.Key, e.Value)
		}
		return nil
	}
	if trimmed := bytes.TrimLeft(raw, " \t\r\n"); len(trimmed) > 0 && trimmed[0] == '{' {
		s.format = FormatNative
		return s.loadNative(raw)
	}
	n := min(len(raw), 4)
	return corrupt("offsets file %q: invalid stream header %X: neither a Kafka (Java-serialized) nor a connect-standalone offsets file: %s", s.path, raw[:n], remedy)
}

type nativeFile struct {
	Format  *string       `json:"format"`
	Version int           `json:"version"`
	Entries []nativeEntry `json:"entries"`
}

type nativeEntry struct {
	Key         json.RawMessage `json:"key,omitempty"`
	KeyBase64   []byte          `json:"key_base64,omitempty"`
	Value       json.RawMessage `json:"value,omitempty"`
	ValueBase64 []byte          `json:"value_base64,omitempty"`
}

func (s *FileStore) loadNative(raw []byte) error {
	var f nativeFile
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return corrupt("offsets file %q is truncated (file size %d): %s", s.path, len(raw), remedy)
		}
		return corrupt("offsets file %q: invalid JSON: %v: %s", s.path, err, remedy)
	}
	if rest := bytes.TrimLeft(raw[dec.InputOffset():], " \t\r\n"); len(rest) > 0 {
		return corrupt("offsets file %q: unexpected data after the JSON document (at byte %d): %s", s.path, len(raw)-len(rest), remedy)
	}
	if f.Format == nil || *f.Format != nativeFormatName {
		return corrupt("offsets file %q: JSON without \"format\":%q, not an offsets file", s.path, nativeFormatName)
	}
	if f.Version != nativeFormatVersion {
		return corrupt("offsets file %q: unsupported format version %d (this build reads version %d; was it written by a newer connect-standalone?)", s.path, f.Version, nativeFormatVersion)
	}
	for i, e := range f.Entries {
		var key, value []byte
		switch {
		case e.Key != nil && e.KeyBase64 == nil:
			var buf bytes.Buffer
			_ = json.Compact(&buf, e.Key) // the decoder already validated it
			key = buf.Bytes()
		case e.Key == nil && e.KeyBase64 != nil:
			key = e.KeyBase64
		default:
			return corrupt("offsets file %q: entry %d needs exactly one of \"key\" and \"key_base64\"", s.path, i)
		}
		switch {
		case e.Value != nil && e.ValueBase64 == nil:
			if string(e.Value) != "null" {
				var buf bytes.Buffer
				_ = json.Compact(&buf, e.Value)
				value = buf.Bytes()
			}
		case e.Value == nil && e.ValueBase64 != nil:
			value = e.ValueBase64
		default:
			return corrupt("offsets file %q: entry %d needs exactly one of \"value\" and \"value_base64\"", s.path, i)
		}
		s.put(key, value).compact = e.Key != nil && e.ValueBase64 == nil
	}
	return nil
}

// put adds or replaces one loaded entry (a later duplicate wins, as in
// Kafka's load into a HashMap keyed by the bytes).
func (s *FileStore) put(key, value []byte) *entry {
	if key == nil {
		if s.nullKey == nil {
			s.nullKey = &entry{}
			s.entries = append(s.entries, s.nullKey)
		}
		s.nullKey.value = value
		return s.nullKey
	}
	if e, ok := s.byKey[string(key)]; ok {
		e.value = value
		return e
	}
	e := &entry{key: key, value: value}
	if conn, part, ok := parseKey(key); ok {
		e.canon = string(appendKey(nil, conn, part))
		s.byCanon[e.canon] = append(s.byCanon[e.canon], e)
	}
	s.byKey[string(key)] = e
	s.entries = append(s.entries, e)
	return e
}

// Format is the format the file has or, for a new file, will have.
func (s *FileStore) Format() Format {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.format
}

// Path is the offsets file name as given to OpenFile.
func (s *FileStore) Path() string { return s.path }

// Get returns the stored offset of a source partition, or nil when there is
// none or it was reset. JSON integers come back as int64, other numbers as
// float64.
func (s *FileStore) Get(connector string, partition map[string]any) (map[string]any, error) {
	key, err := KeyBytes(connector, partition)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	e := s.lookup(key)
	var value []byte
	if e != nil {
		value = e.value
	}
	s.mu.Unlock()
	off, err := parseOffset(value)
	if err != nil {
		return nil, fmt.Errorf("offsets file %q: offset stored for %s: %w", s.path, key, err)
	}
	return off, nil
}

// lookup prefers the entry with exactly these bytes, else any entry with the
// same canonical key (written by Java with another key order).
func (s *FileStore) lookup(key []byte) *entry {
	if e, ok := s.byKey[string(key)]; ok {
		return e
	}
	if es := s.byCanon[string(key)]; len(es) > 0 {
		return es[len(es)-1]
	}
	return nil
}

// Set stores offsets for partitions of a connector (a nil Offset resets the
// partition: the key is kept with a null value, as in Kafka) and returns once
// the file on disk holds them. On error the offsets stay in memory (Get sees
// them) and the next Set, Flush or Close writes them again. Nothing is
// written when nothing changed since the last successful write.
func (s *FileStore) Set(ctx context.Context, connector string, offsets []connectors.PartitionOffset) error {
	type kv struct{ key, value []byte }
	kvs := make([]kv, 0, len(offsets))
	var scratch []string
	for _, po := range offsets {
		key, err := KeyBytes(connector, po.Partition)
		if err != nil {
			return err
		}
		var value []byte
		if po.Offset != nil {
			if err := validateFormat(po.Offset); err != nil {
				return err
			}
			value = appendObject(make([]byte, 0, 16+16*len(po.Offset)), po.Offset, &scratch)
		}
		kvs = append(kvs, kv{key, value})
	}

	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return fmt.Errorf("offsets file %q: %w", s.path, ErrClosed)
	}
	changed := false
	for _, p := range kvs {
		if s.set(p.key, p.value) {
			changed = true
		}
	}
	if changed {
		s.gen++
	}
	s.mu.Unlock()
	return s.Flush(ctx)
}

// set updates every entry with this canonical key (so a file with the same
// partition under several key orders stays consistent) or adds one.
func (s *FileStore) set(key, value []byte) (changed bool) {
	es := s.byCanon[string(key)]
	if len(es) == 0 {
		if e, ok := s.byKey[string(key)]; ok {
			es = []*entry{e}
		}
	}
	if len(es) == 0 {
		e := &entry{key: key, value: value, canon: string(key), compact: true}
		s.byKey[e.canon] = e
		s.byCanon[e.canon] = []*entry{e}
		s.entries = append(s.entries, e)
		return true
	}
	for _, e := range es {
		if (e.value == nil) != (value == nil) || !bytes.Equal(e.value, value) {
			e.value = value
			changed = true
		}
	}
	return changed
}

// Flush writes the file if anything changed since the last successful write.
// Waiting for another writer honours ctx; a write in progress is not aborted.
func (s *FileStore) Flush(ctx context.Context) error {
	select {
	case s.writeSem <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("offsets file %q: waiting for the previous write: %w", s.path, ctx.Err())
	}
	defer func() { <-s.writeSem }()

	s.mu.Lock()
	if s.savedGen == s.gen {
		s.mu.Unlock()
		return nil // nothing changed, or another writer persisted our data
	}
	gen, format := s.gen, s.format
	snap := make([]javaser.Entry, len(s.entries))
	compact := make([]bool, len(s.entries))
	for i, e := range s.entries {
		snap[i] = javaser.Entry{Key: e.key, Value: e.value} // stored slices are never mutated
		compact[i] = e.compact
	}
	s.mu.Unlock()

	var data []byte
	if format == FormatJava {
		data = javaser.WriteHashMap(snap)
	} else {
		data = encodeNative(snap, compact)
	}
	if err := s.writeFile(data); err != nil {
		return err
	}
	s.mu.Lock()
	s.savedGen = max(s.savedGen, gen)
	s.mu.Unlock()
	return nil
}

// Partitions lists the partitions of a connector that have a non-null offset
// (Kafka's connectorPartitions), in file order. The maps are fresh copies.
func (s *FileStore) Partitions(connector string) []map[string]any {
	s.mu.Lock()
	type kc struct {
		key   []byte
		canon string
	}
	var keys []kc
	for _, e := range s.entries {
		if e.value != nil && e.canon != "" {
			keys = append(keys, kc{e.key, e.canon})
		}
	}
	s.mu.Unlock()
	var out []map[string]any
	seen := make(map[string]bool)
	for _, k := range keys {
		conn, part, ok := parseKey(k.key)
		if !ok || conn != connector || part == nil || seen[k.canon] {
			continue
		}
		seen[k.canon] = true
		out = append(out, part)
	}
	return out
}

// Close writes pending changes (left by a failed write) and stops further
// Sets. Get keeps working.
func (s *FileStore) Close() error {
	err := s.Flush(context.Background())
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	return err
}

// encodeNative writes the FormatNative document. compact[i] (optional) says
// entry i is known to be compact JSON already.
func encodeNative(entries []javaser.Entry, compact []bool) []byte {
	n := 80
	for _, e := range entries {
		n += len(e.Key) + len(e.Value) + 32
	}
	b := make([]byte, 0, n)
	b = append(b, `{"format":"`+nativeFormatName+`","version":1,"entries":[`...)
	first := true
	for i, e := range entries {
		known := i < len(compact) && compact[i]
		if e.Key == nil {
			continue // a Java null key has no JSON form; Kafka never writes one
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, '\n', '{')
		if known || isCompactJSON(e.Key) {
			b = append(b, `"key":`...)
			b = append(b, e.Key...)
		} else {
			b = append(b, `"key_base64":`...)
			b = appendBase64Field(b, e.Key)
		}
		b = append(b, ',')
		switch {
		case e.Value == nil:
			b = append(b, `"value":null`...)
		case string(e.Value) != "null" && (known || isCompactJSON(e.Value)):
			b = append(b, `"value":`...)
			b = append(b, e.Value...)
		default:
			b = append(b, `"value_base64":`...)
			b = appendBase64Field(b, e.Value)
		}
		b = append(b, '}')
	}
	return append(b, "\n]}\n"...)
}

func appendBase64Field(b, data []byte) []byte {
	b = append(b, '"')
	b = base64.StdEncoding.AppendEncode(b, data)
	return append(b, '"')
}

// isCompactJSON reports whether b is one JSON value without insignificant
// whitespace, i.e. it survives the reader's json.Compact byte for byte.
func isCompactJSON(b []byte) bool {
	if !json.Valid(b) {
		return false
	}
	var buf bytes.Buffer
	if json.Compact(&buf, b) != nil {
		return false
	}
	return bytes.Equal(buf.Bytes(), b)
}
