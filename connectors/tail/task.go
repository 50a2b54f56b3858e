package tail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/data"
	"github.com/connect-go/connect-standalone/connectors/pathpolicy"
)

// readChunk is the size of one read from a file.
const readChunk = 64 << 10

// rescanDebounce is the least time between two rescans triggered by
// file-system events: a burst of creates and renames costs one rescan.
const rescanDebounce = 20 * time.Millisecond

// copyMemory is how long the identity of a truncated file is remembered,
// so that its copy (copytruncate) found later resumes where it stopped.
const copyMemory = 10 * time.Minute

// Task tails the files of one task: every file matched by the globs whose
// identity hashes to this task's index.
type Task struct {
	cfg   *config
	tc    connectors.SourceTaskContext
	log   *zerolog.Logger
	index int
	count int
	host  string

	files    map[fileID]*tailedFile
	order    []*tailedFile // round-robin order
	next     int
	byPath   map[string]*tailedFile
	closed   map[fileID]storedOffset // positions of files closed by this task
	recent   []truncation            // truncated generations, for copy detection
	deferred map[fileID]time.Time    // copies still being written: first seen
	others   map[string]bool         // matched paths that other tasks read
	refused  map[string]bool         // matched paths outside connector.allowed.paths (warned once)
	watch    *watcher
	scratch  []byte

	started      bool
	firstRun     bool // no matched file had a committed offset at start
	lastScan     time.Time
	lastSweep    time.Time
	rescanWanted bool
	truncLines   int64 // lines cut at max.line.bytes since start
}

// tailedFile is one open file.
type tailedFile struct {
	id       fileID
	path     string
	realPath string
	f        *os.File
	part     map[string]any
	head     []byte // the first bytes, which fp is computed on
	fp       fingerprint

	readPos  int64  // bytes consumed from the file
	buf      []byte // the current incomplete line (at most max.line.bytes + CR)
	lineSize int64  // full length of the incomplete line, dropped bytes included
	ml       *multiline

	gone     time.Time // when it stopped matching the globs; zero while it matches
	lastData time.Time
	eof      bool // the last read reached the end of the file
	dirty    bool // an event reported a write
}

// truncation remembers where a file generation stopped.
type truncation struct {
	fp   fingerprint
	head []byte // nil when only the fingerprint is known (from an offset)
	pos  int64
	at   time.Time
}

func (t *Task) Start(ctx context.Context, tc connectors.SourceTaskContext, props map[string]string) error {
	cfg, err := parseConfig(props)
	if err != nil {
		return err
	}
	cfg.policy = pathpolicy.FromContext(ctx)
	t.cfg, t.tc, t.log = cfg, tc, tc.Logger()
	t.index, t.count = atoi(props[keyTaskIndex], 0), max(atoi(props[keyTaskCount], 1), 1)
	if t.index < 0 || t.index >= t.count {
		return fmt.Errorf("task.index %d is out of range for task.count %d", t.index, t.count)
	}
	t.host, _ = os.Hostname()
	t.files = map[fileID]*tailedFile{}
	t.byPath = map[string]*tailedFile{}
	t.closed = map[fileID]storedOffset{}
	t.deferred = map[fileID]time.Time{}
	t.others = map[string]bool{}
	t.refused = map[string]bool{}
	t.scratch = make([]byte, readChunk)
	if cfg.watch {
		t.watch = newWatcher(t.log)
	}
	return nil
}

func atoi(s string, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return def
	}
	return n
}

// Poll reads up to batch.size lines from the files that have new data.
// It reads only when called, so a slow broker (which keeps the runtime from
// calling Poll until earlier records are sent) stops the reading too.
func (t *Task) Poll(ctx context.Context) ([]*connectors.Record, error) {
	now := time.Now()
	var dirty []string
	if t.watch != nil {
		var rescan bool
		dirty, rescan = t.watch.take()
		t.rescanWanted = t.rescanWanted || rescan
	}
	if !t.started || now.Sub(t.lastScan) >= t.cfg.globRefresh || (t.rescanWanted && now.Sub(t.lastScan) >= rescanDebounce) {
		if err := t.scan(now); err != nil {
			return nil, err
		}
	}
	for _, p := range dirty {
		if tf := t.byPath[p]; tf != nil {
			tf.dirty = true
		} else if !t.others[p] {
			t.rescanWanted = true // a write to a file not known yet
		}
	}
	sweep := t.watch == nil || now.Sub(t.lastSweep) >= t.cfg.pollInterval
	if sweep {
		t.lastSweep = now
	}
	var recs []*connectors.Record
	t.readFiles(now, sweep, &recs)
	t.housekeeping(now, &recs)
	if len(recs) > 0 {
		return recs, nil
	}
	t.wait(ctx, now)
	return nil, nil
}

// wait sleeps until an event, the next poll or scan, or a timeout is due.
func (t *Task) wait(ctx context.Context, now time.Time) {
	for _, tf := range t.order {
		if !tf.eof {
			return // a file has more to read
		}
	}
	next := t.lastSweep.Add(t.cfg.pollInterval)
	if t.watch == nil {
		next = now.Add(t.cfg.pollInterval)
	}
	if s := t.lastScan.Add(t.cfg.globRefresh); s.Before(next) {
		next = s
	}
	if t.rescanWanted {
		if s := t.lastScan.Add(rescanDebounce); s.Before(next) {
			next = s
		}
	}
	for _, tf := range t.order {
		if d := tf.ml.deadline(); !d.IsZero() && d.Before(next) {
			next = d
		}
		if !tf.gone.IsZero() {
			if d := tf.closeAt(t.cfg.rotateWait); d.Before(next) {
				next = d
			}
		}
	}
	d := max(next.Sub(now), time.Millisecond)
	var wake <-chan struct{}
	if t.watch != nil {
		wake = t.watch.wake
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-ctx.Done():
	case <-tm.C:
	case <-wake:
	}
}

func (tf *tailedFile) closeAt(rotateWait time.Duration) time.Time {
	last := tf.gone
	if tf.lastData.After(last) {
		last = tf.lastData
	}
	return last.Add(rotateWait)
}

// readFiles reads the files in round-robin order until batch.size lines.
func (t *Task) readFiles(now time.Time, sweep bool, recs *[]*connectors.Record) {
	n := len(t.order)
	if n == 0 {
		return
	}
	lines := 0
	start := t.next % n
	for i := 0; i < n && lines < t.cfg.batchSize; i++ {
		tf := t.order[(start+i)%n]
		if !sweep && tf.eof && !tf.dirty {
			continue
		}
		tf.dirty = false
		got, err := t.readFile(tf, now, t.cfg.batchSize-lines, recs)
		lines += got
		if err != nil {
			t.log.Warn().Err(err).Str("file", tf.path).Msg("reading failed; the file is closed and will be reopened at its last position")
			t.closeFile(tf, false)
			n = len(t.order)
			if n == 0 {
				break
			}
		}
		t.next = (start + i + 1) % max(n, 1)
	}
}

// readFile reads lines from one file, at most maxLines of them and at most
// read.max.bytes.per.file bytes, and appends the resulting records.
func (t *Task) readFile(tf *tailedFile, now time.Time, maxLines int, recs *[]*connectors.Record) (int, error) {
	st, err := tf.f.Stat()
	if err != nil {
		return 0, err
	}
	size := st.Size()
	emit := func(l line) { *recs = append(*recs, t.record(tf, l)) }
	if size < tf.readPos {
		t.truncated(tf, size, now, emit)
	} else if tf.fp.Len > 0 && size > 0 && tf.readPos > 0 && !t.fpStillMatches(tf) {
		// Rewritten in place (truncated and refilled past our position
		// between two looks): a new generation.
		t.truncated(tf, size, now, emit)
	}
	if !tf.fp.full() && size > tf.fp.Len {
		tf.setHead(size)
	}
	enc := t.cfg.encoding
	lines, budget := 0, t.cfg.maxBytesPerFn
	for lines < maxLines && budget > 0 {
		want := min(len(t.scratch), budget)
		n, err := tf.f.ReadAt(t.scratch[:want], tf.readPos)
		if err != nil && !errors.Is(err, io.EOF) {
			return lines, err
		}
		n -= n % enc.unit
		if n == 0 {
			tf.eof = true
			return lines, nil
		}
		budget -= n
		tf.lastData = now
		chunk := t.scratch[:n]
		off := 0
		if tf.readPos == 0 && len(enc.bom) > 0 && bytes.HasPrefix(chunk, enc.bom) {
			off = len(enc.bom)
		}
		for off < n {
			i := enc.indexNewline(chunk[off:])
			if i < 0 {
				tf.appendPartial(chunk[off:], t.cfg.maxLineBytes+len(enc.cr))
				off = n
				break
			}
			end := tf.readPos + int64(off+i+len(enc.newline))
			t.emitLine(tf, chunk[off:off+i], end, now, emit)
			off += i + len(enc.newline)
			lines++
			if lines >= maxLines {
				break
			}
		}
		tf.readPos += int64(off)
		if off < n {
			// Stopped at the line limit: the rest is read again next time.
			tf.eof = false
			return lines, nil
		}
	}
	tf.eof = false // budget spent or batch full: more may be there
	return lines, nil
}

func (t *Task) fpStillMatches(tf *tailedFile) bool {
	ok, err := tf.fp.matches(tf.f)
	return err != nil || ok
}

// appendPartial keeps the start of an incomplete line, up to limit bytes;
// the rest is only counted, so an endless line never fills memory.
func (tf *tailedFile) appendPartial(b []byte, limit int) {
	tf.lineSize += int64(len(b))
	if room := limit - len(tf.buf); room > 0 {
		tf.buf = append(tf.buf, b[:min(room, len(b))]...)
	}
}

// emitLine completes the current line with its last piece.
func (t *Task) emitLine(tf *tailedFile, piece []byte, end int64, now time.Time, emit func(line)) {
	enc := t.cfg.encoding
	raw, size := piece, int64(len(piece))
	if len(tf.buf) > 0 {
		tf.appendPartial(piece, t.cfg.maxLineBytes+len(enc.cr))
		raw, size = tf.buf, tf.lineSize
	}
	if size == int64(len(raw)) {
		if bytes.HasSuffix(raw, enc.cr) {
			raw, size = raw[:len(raw)-len(enc.cr)], size-int64(len(enc.cr))
		}
	} else if bytes.HasSuffix(piece, enc.cr) {
		size -= int64(len(enc.cr)) // a cut line: its CR is not in raw
	}
	l := line{end: end, size: size}
	if size > int64(t.cfg.maxLineBytes) {
		raw = enc.cut(raw, t.cfg.maxLineBytes)
		l.truncated = true
		t.truncLines++
		t.log.Warn().Str("file", tf.path).Int64("bytes", size).Int("max.line.bytes", t.cfg.maxLineBytes).
			Int64("position", end).Int64("truncated.lines", t.truncLines).Msg("line longer than max.line.bytes was cut")
	}
	l.text = enc.decode(raw)
	tf.buf, tf.lineSize = tf.buf[:0], 0
	if cap(tf.buf) > readChunk {
		tf.buf = nil // do not keep a long line's buffer for every file
	}
	if tf.ml != nil {
		tf.ml.add(l, now, emit)
	} else {
		emit(l)
	}
}

// flushPartial sends what is buffered: the pending multiline event and an
// incomplete last line (when the file is going away or was truncated,
// these bytes would otherwise be lost).
func (t *Task) flushPartial(tf *tailedFile, now time.Time, emit func(line)) {
	if tf.lineSize > 0 {
		t.emitLine(tf, nil, tf.readPos, now, emit)
	}
	if tf.ml != nil {
		tf.ml.flush(emit)
	}
}

// truncated starts a file over at 0 after copytruncate or truncation.
func (t *Task) truncated(tf *tailedFile, size int64, now time.Time, emit func(line)) {
	t.log.Info().Str("file", tf.path).Int64("position", tf.readPos).Int64("size", size).
		Msg("file was truncated or rewritten; reading it again from the beginning")
	t.flushPartial(tf, now, emit)
	if tf.fp.Len > 0 {
		t.recent = append(t.recent, truncation{fp: tf.fp, head: tf.head, pos: tf.readPos - tf.lineSize, at: now})
	}
	tf.readPos, tf.buf, tf.lineSize = 0, tf.buf[:0], 0
	tf.setHead(size)
}

// setHead reads the file's first bytes again and recomputes the fingerprint.
func (tf *tailedFile) setHead(size int64) {
	if head, err := readHead(tf.f, size); err == nil {
		tf.head, tf.fp = head, fingerprintOfHead(head)
	}
}

func (t *Task) record(tf *tailedFile, l line) *connectors.Record {
	rec := &connectors.Record{
		Topic:           t.cfg.topic,
		Partition:       connectors.NoPartition,
		ValueSchema:     data.StringSchema,
		Value:           l.text,
		Timestamp:       time.Now().UnixMilli(),
		HasTimestamp:    true,
		SourcePartition: tf.part,
		SourceOffset: map[string]any{
			OffsetPosition:         l.end,
			OffsetFingerprint:      tf.fp.String(),
			OffsetFingerprintBytes: tf.fp.Len,
			OffsetPath:             tf.path,
		},
	}
	if t.cfg.keyPath {
		rec.KeySchema, rec.Key = data.StringSchema, tf.path
	}
	if t.cfg.headers {
		rec.Headers = append(rec.Headers,
			connectors.Header{Key: HeaderPath, Schema: data.StringSchema, Value: tf.path},
			connectors.Header{Key: HeaderHost, Schema: data.StringSchema, Value: t.host})
	}
	if l.truncated {
		rec.Headers = append(rec.Headers,
			connectors.Header{Key: HeaderLineTruncated, Schema: data.BooleanSchema, Value: true},
			connectors.Header{Key: HeaderLineBytes, Schema: data.Int64Schema, Value: l.size})
	}
	return rec
}

// housekeeping sends timed-out multiline events and closes files that are
// gone (after rotate.wait.ms) or idle for ignore.older.ms.
func (t *Task) housekeeping(now time.Time, recs *[]*connectors.Record) {
	for _, tf := range append([]*tailedFile(nil), t.order...) {
		emit := func(l line) { *recs = append(*recs, t.record(tf, l)) }
		if d := tf.ml.deadline(); !d.IsZero() && !now.Before(d) {
			tf.ml.flush(emit)
		}
		if !tf.eof {
			continue
		}
		if !tf.gone.IsZero() && !now.Before(tf.closeAt(t.cfg.rotateWait)) {
			t.log.Info().Str("file", tf.path).Int64("position", tf.readPos).Msg("closing a file that no longer matches the globs (rotated away or deleted)")
			t.flushPartial(tf, now, emit)
			t.closeFile(tf, true)
			continue
		}
		if t.cfg.ignoreOlder > 0 && tf.gone.IsZero() {
			if st, err := tf.f.Stat(); err == nil && now.Sub(st.ModTime()) >= t.cfg.ignoreOlder {
				t.log.Info().Str("file", tf.path).Msg("closing a file not modified for ignore.older.ms")
				if tf.ml != nil {
					tf.ml.flush(emit)
				}
				t.closeFile(tf, true)
			}
		}
	}
	// Forget old truncations.
	keep := t.recent[:0]
	for _, tr := range t.recent {
		if now.Sub(tr.at) < copyMemory {
			keep = append(keep, tr)
		}
	}
	t.recent = keep
}

// closeFile stops tailing a file. With remember, its position is kept so
// that it resumes exactly there if it shows up again; an incomplete line is
// then read again (it was not sent).
func (t *Task) closeFile(tf *tailedFile, remember bool) {
	tf.f.Close()
	if remember {
		t.closed[tf.id] = storedOffset{position: tf.readPos - tf.lineSize, fp: tf.fp, path: tf.path}
	}
	delete(t.files, tf.id)
	for p, f := range t.byPath {
		if f == tf {
			delete(t.byPath, p)
		}
	}
	for i, f := range t.order {
		if f == tf {
			t.order = append(t.order[:i], t.order[i+1:]...)
			break
		}
	}
}

func (t *Task) Commit(context.Context) error { return nil }

func (t *Task) Stop() error {
	if t.watch != nil {
		t.watch.close()
		t.watch = nil
	}
	for _, tf := range t.order {
		tf.f.Close()
	}
	t.order, t.files, t.byPath = nil, nil, nil
	return nil
}
