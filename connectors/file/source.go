// Package file holds Kafka's FileStream connectors: FileStreamSource reads
// lines from a file (or stdin) and FileStreamSink appends record values to a
// file (or stdout), with Kafka's configs, offsets and output format.
package file

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
	"github.com/connect-go/connect-standalone/connectors/pathpolicy"
)

// Version is reported as the connectors' version (the Kafka release whose
// behaviour they reproduce).
const Version = "3.9.0"

const (
	SourceClass     = "org.apache.kafka.connect.file.FileStreamSourceConnector"
	SourceTaskClass = "org.apache.kafka.connect.file.FileStreamSourceTask"
	SinkClass       = "org.apache.kafka.connect.file.FileStreamSinkConnector"
	SinkTaskClass   = "org.apache.kafka.connect.file.FileStreamSinkTask"

	keyFile      = "file"
	keyTopic     = "topic"
	keyBatchSize = "batch.size"

	// Offset map keys, as Kafka writes them.
	FilenameField = "filename"
	PositionField = "position"

	defaultBatchSize = 2000
	// idleWait is how long Poll waits when no complete line is available.
	// Kafka waits 1 s; a shorter wait costs one read syscall and cuts latency.
	idleWait = 200 * time.Millisecond
	// missingFileWait matches Kafka's 1 s retry for a file not yet created.
	missingFileWait = time.Second
)

var sourceDef = configdef.New().
	Define(configdef.Key{Name: keyFile, Type: configdef.TypeString, Default: nil, Importance: configdef.High,
		Doc: "Source filename. If not specified, the standard input will be used"}).
	Define(configdef.Key{Name: keyTopic, Type: configdef.TypeString, Default: configdef.NoDefault,
		Validator: configdef.NonEmptyString(), Importance: configdef.High, Doc: "The topic to publish data to"}).
	Define(configdef.Key{Name: keyBatchSize, Type: configdef.TypeInt, Default: int32(defaultBatchSize), Importance: configdef.Low,
		Doc: "The maximum number of records the source task can read from the file each time it is polled"})

// SourceConnector is FileStreamSourceConnector.
type SourceConnector struct{ props map[string]string }

func NewSourceConnector() *SourceConnector                { return &SourceConnector{} }
func (c *SourceConnector) Version() string                { return Version }
func (c *SourceConnector) ConfigDef() *configdef.Def      { return sourceDef }
func (c *SourceConnector) TaskClass() string              { return SourceTaskClass }
func (c *SourceConnector) NewTask() connectors.SourceTask { return &SourceTask{} }
func (c *SourceConnector) Stop() error                    { return nil }

func (c *SourceConnector) Start(_ context.Context, props map[string]string) error {
	if _, err := sourceDef.Parse(props); err != nil {
		return err
	}
	c.props = props
	return nil
}

// TaskConfigs returns exactly one task: a file cannot be split.
func (c *SourceConnector) TaskConfigs(int) ([]map[string]string, error) {
	return []map[string]string{copyProps(c.props)}, nil
}

// LocalPaths declares the file read, for the worker's connector.allowed.paths.
func (c *SourceConnector) LocalPaths(props map[string]string) []pathpolicy.Use {
	return fileUse(props)
}

func fileUse(props map[string]string) []pathpolicy.Use {
	if props[keyFile] == "" {
		return nil // stdin / stdout
	}
	return []pathpolicy.Use{{Key: keyFile, Path: props[keyFile]}}
}

// AlterOffsets validates offsets given through the KIP-875 offsets API.
func (c *SourceConnector) AlterOffsets(props map[string]string, offsets []connectors.PartitionOffset) (bool, error) {
	if props[keyFile] == "" {
		return false, errors.New("Offsets cannot be modified if the 'file' configuration is unspecified. This is because stdin is used for input and offsets are not tracked.")
	}
	for _, po := range offsets {
		if po.Offset != nil {
			pos, ok := po.Offset[PositionField]
			if !ok {
				return false, errors.New("Offset objects should either be null or contain the key 'position'")
			}
			n, ok := pos.(int64)
			if !ok {
				return false, errors.New("The value for the 'position' key in the offset is expected to be a Long value")
			}
			if n < 0 {
				return false, errors.New("The value for the 'position' key in the offset should be a non-negative value")
			}
		}
		if po.Partition == nil {
			return false, errors.New("Partition objects cannot be null")
		}
		if _, ok := po.Partition[FilenameField]; !ok {
			return false, errors.New("Partition objects should contain the key 'filename'")
		}
	}
	return true, nil
}

// SourceTask is FileStreamSourceTask. Positions are byte offsets just past a
// line terminator. (Kafka counts UTF-16 chars, which drifts from the byte
// offset it skips on restart for non-ASCII input; for ASCII both agree.)
type SourceTask struct {
	filename  string
	topic     string
	batchSize int
	log       *zerolog.Logger
	tc        connectors.SourceTaskContext
	paths     *pathpolicy.Policy

	in        io.ReadCloser
	stdin     bool
	srcPart   map[string]any // shared by every record: never mutated
	buf       []byte         // read but not yet emitted bytes
	position  int64          // byte offset of buf[0] in the file
	pendingCR bool
	eof       bool
	maxLine   int                 // MaxLineBytes unless a test lowers it
	scanned   int                 // buf[:scanned] holds no line terminator
	slab      []connectors.Record // records are carved from here: one allocation per recordSlab lines
	nowMs     int64               // the records' timestamp: the clock is read once per scan of buf
}

// MaxLineBytes bounds a line. Kafka's task doubles its buffer without limit,
// so a file without line terminators (binary data, a runaway writer) grows
// the JVM heap until it dies; here the task fails with a clear error
// instead. Kafka's producer rejects records above max.request.size (1 MiB by
// default) anyway.
const MaxLineBytes = 64 << 20

func (t *SourceTask) Start(ctx context.Context, tc connectors.SourceTaskContext, props map[string]string) error {
	vals, err := sourceDef.Parse(props)
	if err != nil {
		return err
	}
	t.filename = props[keyFile]
	t.paths = pathpolicy.FromContext(ctx)
	if err := t.paths.Check(t.filename); t.filename != "" && err != nil {
		return fmt.Errorf("FileStreamSourceTask may not read '%s': %w", t.filename, err)
	}
	t.topic = vals.String(keyTopic)
	t.batchSize = int(vals.Int(keyBatchSize))
	if t.batchSize < 1 {
		t.batchSize = 1
	}
	t.tc, t.log = tc, tc.Logger()
	if t.filename == "" {
		t.in, t.stdin = io.NopCloser(os.Stdin), true
		t.srcPart = map[string]any{FilenameField: nil}
	} else {
		t.srcPart = map[string]any{FilenameField: t.filename}
	}
	return nil
}

// open opens the file lazily and seeks to the committed position.
func (t *SourceTask) open() (bool, error) {
	f, err := os.Open(t.filename)
	if errors.Is(err, fs.ErrNotExist) {
		t.log.Warn().Str("file", t.filename).Msg("Couldn't find file for FileStreamSourceTask, sleeping to wait for it to be created")
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("couldn't open file '%s' for FileStreamSourceTask: %w", t.filename, err)
	}
	if err := t.paths.CheckOpened(f); err != nil { // a link swapped in since Start
		f.Close()
		return false, fmt.Errorf("FileStreamSourceTask may not read '%s': %w", t.filename, err)
	}
	offset, err := t.tc.Offset(t.srcPart)
	if err != nil {
		f.Close()
		return false, err
	}
	var pos int64
	if offset != nil {
		v, ok := offset[PositionField].(int64)
		if !ok {
			f.Close()
			return false, errors.New("Offset position is the incorrect type")
		}
		pos = v
	}
	if pos > 0 {
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return false, fmt.Errorf("couldn't stat file '%s': %w", t.filename, err)
		}
		if pos > st.Size() {
			// Kafka spins forever here; a file shorter than the committed
			// position was truncated or replaced, so it is read again.
			t.log.Warn().Str("file", t.filename).Int64("position", pos).Int64("size", st.Size()).
				Msg("committed position is past the end of the file (truncated or replaced); reading it from the beginning")
			pos = 0
		} else if _, err := f.Seek(pos, io.SeekStart); err != nil {
			f.Close()
			return false, fmt.Errorf("couldn't seek file '%s' to %d: %w", t.filename, pos, err)
		}
		t.log.Debug().Str("file", t.filename).Int64("position", pos).Msg("resuming from committed position")
	}
	t.in, t.position = f, pos
	return true, nil
}

func (t *SourceTask) Poll(ctx context.Context) ([]*connectors.Record, error) {
	if t.in == nil {
		ok, err := t.open()
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, sleep(ctx, missingFileWait)
		}
	}
	var records []*connectors.Record
	for len(records) < t.batchSize {
		records = t.extractLines(records)
		if len(records) >= t.batchSize {
			break
		}
		if len(records) == 0 && len(t.buf) >= t.lineLimit() {
			return nil, fmt.Errorf("the line at byte offset %d of %s is longer than %d bytes without a line terminator; FileStreamSource cannot read it (is the file binary?)",
				t.position, t.displayName(), t.lineLimit())
		}
		if len(t.buf) >= t.lineLimit() {
			break // emit what is complete first
		}
		n, err := t.fill()
		if err != nil {
			return records, err
		}
		if n == 0 {
			break
		}
	}
	if len(records) == 0 {
		return nil, sleep(ctx, idleWait)
	}
	return records, nil
}

const readChunk = 64 << 10

func (t *SourceTask) lineLimit() int {
	if t.maxLine > 0 {
		return t.maxLine
	}
	return MaxLineBytes
}

func (t *SourceTask) displayName() string {
	if t.stdin {
		return "stdin"
	}
	return "'" + t.filename + "'"
}

// fill appends up to readChunk bytes to buf; 0 means nothing available now.
func (t *SourceTask) fill() (int, error) {
	if len(t.buf) == cap(t.buf) {
		nb := make([]byte, len(t.buf), max(2*cap(t.buf), readChunk))
		copy(nb, t.buf)
		t.buf = nb
	}
	end := min(cap(t.buf), len(t.buf)+readChunk, t.lineLimit())
	n, err := t.in.Read(t.buf[len(t.buf):end])
	t.buf = t.buf[:len(t.buf)+n]
	if err == io.EOF || (err == nil && n == 0) {
		return n, nil
	}
	if err != nil {
		return n, fmt.Errorf("error reading file '%s': %w", t.filename, err)
	}
	return n, nil
}

// extractLines emits every complete line in buf. A '\r' at the end of buf is
// held back until the next byte shows whether it starts "\r\n".
//
// Scanning resumes where the previous call stopped (t.scanned), so a long
// line arriving in many reads costs linear, not quadratic, time.
func (t *SourceTask) extractLines(records []*connectors.Record) []*connectors.Record {
	// Java's task stamps each record with System.currentTimeMillis(); the
	// lines of one buffer were read at the same moment, and a clock read
	// per line costs more than the rest of the line's handling here.
	t.nowMs = time.Now().UnixMilli()
	start := 0
	i := t.scanned
	// Without a '\r' in sight, the '\n's are found with IndexByte (SIMD).
	noCR := bytes.IndexByte(t.buf[i:], '\r') < 0
	for i < len(t.buf) && len(records) < t.batchSize {
		if noCR {
			j := bytes.IndexByte(t.buf[i:], '\n')
			if j < 0 {
				i = len(t.buf)
				break
			}
			i += j
		}
		c := t.buf[i]
		if c != '\n' && c != '\r' {
			i++
			continue
		}
		end := i + 1
		if c == '\r' {
			if i+1 == len(t.buf) {
				break // wait for the next byte
			}
			if t.buf[i+1] == '\n' {
				end = i + 2
			}
		}
		line := string(t.buf[start:i])
		next := t.position + int64(end)
		records = append(records, t.record(line, next))
		start, i = end, end
	}
	t.scanned = i - start
	if start > 0 {
		n := copy(t.buf, t.buf[start:])
		t.buf = t.buf[:n]
		t.position += int64(start)
	}
	return records
}

func (t *SourceTask) record(line string, next int64) *connectors.Record {
	var offset map[string]any
	if t.stdin {
		offset = map[string]any{PositionField: nil}
	} else {
		offset = map[string]any{PositionField: next}
	}
	if len(t.slab) == 0 {
		t.slab = make([]connectors.Record, recordSlab)
	}
	r := &t.slab[0]
	t.slab = t.slab[1:]
	*r = connectors.Record{
		Topic:           t.topic,
		Partition:       connectors.NoPartition,
		ValueSchema:     data.StringSchema,
		Value:           line,
		Timestamp:       t.nowMs,
		HasTimestamp:    true,
		SourcePartition: t.srcPart,
		SourceOffset:    offset,
	}
	return r
}

// recordSlab is how many records one allocation holds: a slab stays in
// memory until its last record is acknowledged, records are acknowledged
// roughly in order, so this only bounds the waste.
const recordSlab = 128

func (t *SourceTask) Commit(context.Context) error { return nil }

func (t *SourceTask) Stop() error {
	if t.in != nil && !t.stdin {
		return t.in.Close()
	}
	return nil
}

func sleep(ctx context.Context, d time.Duration) error {
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-ctx.Done():
	case <-tm.C:
	}
	return nil
}

func copyProps(p map[string]string) map[string]string {
	c := make(map[string]string, len(p))
	for k, v := range p {
		c[k] = v
	}
	return c
}

// Ensure interface conformance at compile time.
var (
	_ connectors.SourceConnector = (*SourceConnector)(nil)
	_ connectors.OffsetAlterer   = (*SourceConnector)(nil)
	_ pathpolicy.Declarer        = (*SourceConnector)(nil)
	_ pathpolicy.Declarer        = (*SinkConnector)(nil)
)
