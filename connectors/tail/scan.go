package tail

import (
	"bytes"
	"os"
	"path/filepath"
	"time"

	"github.com/connect-go/connect-standalone/connectors/pathpolicy"
)

// candidate is a matched path and what stat said about it.
type candidate struct {
	path string
	id   fileID
	info os.FileInfo
}

// matchFiles expands the globs, drops excluded paths and stats the rest.
// Several paths to one file (links) count once, under the first path.
// With connector.allowed.paths, a match whose real location is outside the
// allowed directories (a symbolic link leading out) is dropped and returned
// in refused; the file is stat'ed through its resolved path, so the
// identity open() compares against is the allowed file's.
func matchFiles(cfg *config) (out []candidate, dirs, refused []string) {
	exp := expand(cfg.paths)
	seen := map[fileID]bool{}
	for _, p := range exp.files {
		if cfg.exclude.match(p) {
			continue
		}
		statPath := p
		if cfg.policy != nil {
			rp, err := filepath.EvalSymlinks(p)
			if err != nil {
				continue
			}
			if cfg.policy.Check(rp) != nil {
				refused = append(refused, p)
				continue
			}
			statPath = rp
		}
		st, err := os.Stat(statPath)
		if err != nil || !st.Mode().IsRegular() {
			continue
		}
		id, ok := idOf(st)
		if !ok || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, candidate{path: p, id: id, info: st})
	}
	return out, exp.dirs, refused
}

// scan finds new, renamed and vanished files.
func (t *Task) scan(now time.Time) error {
	cands, dirs, refused := matchFiles(t.cfg)
	for _, p := range refused {
		if !t.refused[p] {
			t.refused[p] = true
			t.log.Warn().Str("file", p).Strs(pathpolicy.Key, t.cfg.policy.Dirs()).
				Msg("not tailing a matched file: it resolves to a location outside connector.allowed.paths")
		}
	}
	t.lastScan, t.rescanWanted = now, false
	initial := !t.started
	t.started = true

	seen := make(map[fileID]bool, len(cands))
	var fresh []candidate
	clear(t.others)
	for _, c := range cands {
		seen[c.id] = true
		if c.id.owner(t.count) != t.index {
			t.others[c.path] = true
			continue
		}
		if tf := t.files[c.id]; tf != nil {
			t.found(tf, c.path)
			continue
		}
		if t.cfg.ignoreOlder > 0 && now.Sub(c.info.ModTime()) >= t.cfg.ignoreOlder {
			continue
		}
		fresh = append(fresh, c)
	}
	for id := range t.deferred {
		if !seen[id] {
			delete(t.deferred, id)
		}
	}
	for _, tf := range t.order {
		if !seen[tf.id] && tf.gone.IsZero() {
			t.log.Info().Str("file", tf.path).Msg("file no longer matches the globs (rotated away or deleted); reading it to the end")
			tf.gone = now
		}
	}

	if initial {
		// The very first run has no offsets at all; then read.from applies.
		t.firstRun = true
		for _, c := range cands {
			if off, err := t.tc.Offset(partitionOf(c.id)); err == nil && off != nil {
				t.firstRun = false
				break
			}
		}
	}
	// Files with a stored offset go first: one truncated while we were
	// down tells where its copy (found in the same scan) should start.
	var withOffset, without []*openedFile
	for _, c := range fresh {
		of, err := t.open(c)
		if err != nil {
			t.log.Warn().Err(err).Str("file", c.path).Msg("cannot open file; will retry")
			continue
		}
		if of == nil {
			continue
		}
		if of.stored != nil {
			withOffset = append(withOffset, of)
		} else {
			without = append(without, of)
		}
	}
	for _, of := range withOffset {
		t.startAt(of, now, initial)
	}
	for _, of := range without {
		t.startAt(of, now, initial)
	}
	if t.watch != nil {
		for _, tf := range t.order {
			if tf.realPath != tf.path {
				dirs = append(dirs, filepath.Dir(tf.realPath))
			}
		}
		t.watch.sync(dirs)
	}
	return nil
}

// found updates a tracked file seen at path.
func (t *Task) found(tf *tailedFile, path string) {
	if !tf.gone.IsZero() {
		t.log.Info().Str("file", path).Msg("file matches the globs again")
		tf.gone = time.Time{}
	}
	if tf.path == path {
		return
	}
	t.log.Info().Str("from", tf.path).Str("to", path).Int64("position", tf.readPos).Msg("file was renamed; following it")
	if t.byPath[tf.path] == tf {
		delete(t.byPath, tf.path)
	}
	tf.path = path
	t.byPath[path] = tf
	if rp, err := filepath.EvalSymlinks(path); err == nil {
		tf.realPath = rp
		t.byPath[rp] = tf
	}
}

// openedFile is a file opened by a scan, not yet positioned.
type openedFile struct {
	c      candidate
	f      *os.File
	size   int64
	stored *storedOffset // committed (or remembered) offset, if any
}

func (t *Task) open(c candidate) (*openedFile, error) {
	f, err := os.Open(c.path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if id, _ := idOf(st); id != c.id {
		f.Close() // replaced since the glob ran: the next scan sees the new one
		return nil, nil
	}
	if err := t.cfg.policy.CheckOpened(f); err != nil {
		f.Close() // a link swapped in since the glob ran
		t.log.Warn().Str("file", c.path).Err(err).Msg("not tailing a matched file")
		return nil, nil
	}
	of := &openedFile{c: c, f: f, size: st.Size()}
	if so, ok := t.closed[c.id]; ok {
		of.stored = &so
		return of, nil
	}
	off, err := t.tc.Offset(partitionOf(c.id))
	if err != nil {
		f.Close()
		return nil, err
	}
	if off != nil {
		so, err := parseOffset(off)
		if err != nil {
			t.log.Warn().Err(err).Str("file", c.path).Msg("ignoring an invalid stored offset")
		} else {
			of.stored = &so
		}
	}
	return of, nil
}

// startAt decides where a newly opened file is read from and starts
// tailing it:
//   - at its stored position when the fingerprint shows it is the same file;
//   - from 0 when it has a stored offset of another generation (inode
//     reused, or truncated while we were not looking);
//   - at the position its original had, when its first bytes match those of
//     a file that was just truncated or is still being read (a copy made by
//     copytruncate); a copy still being written is left for a later scan;
//   - at the end when read.from=end and this is the connector's first run;
//   - otherwise from 0.
//
// Empty files without a stored offset are left for a later scan too: there
// is nothing to read, and a copy being made starts empty.
func (t *Task) startAt(of *openedFile, now time.Time, initial bool) {
	c := of.c
	head, err := readHead(of.f, of.size)
	if err != nil {
		of.f.Close()
		return
	}
	pos, why := int64(0), "new file"
	switch so := of.stored; {
	case so != nil && so.position <= of.size && matchesFP(of.f, so.fp):
		pos, why = so.position, "resuming at the committed position"
	case so != nil:
		why = "the committed offset belongs to an earlier file with this inode (reused inode, or truncated or replaced while not read); reading from the beginning"
		if so.fp.Len > 0 {
			t.recent = append(t.recent, truncation{fp: so.fp, pos: so.position, at: now})
		}
	case of.size == 0:
		of.f.Close()
		return
	default:
		p, verdict := t.copySource(head, of, c.id)
		switch verdict {
		case copyComplete:
			pos, why = p, "same first bytes as a truncated or tailed file (copytruncate copy); continuing where that one stopped"
		case copyInProgress:
			first, ok := t.deferred[c.id]
			if !ok {
				t.deferred[c.id] = now
				first = now
			}
			if now.Sub(first) < t.cfg.rotateWait {
				of.f.Close()
				t.rescanWanted = true
				return
			}
			pos, why = of.size, "holds only the first bytes of a file already read (copy stopped short); reading what is appended"
		default:
			if initial && t.firstRun && t.cfg.readFromEnd {
				pos, why = of.size, "read.from=end"
			}
		}
	}
	delete(t.deferred, c.id)
	rp, err := filepath.EvalSymlinks(c.path)
	if err != nil {
		rp = c.path
	}
	tf := &tailedFile{id: c.id, path: c.path, realPath: rp, f: of.f, part: partitionOf(c.id),
		head: head, fp: fingerprintOfHead(head), readPos: pos, ml: newMultiline(t.cfg), lastData: now}
	delete(t.closed, c.id)
	t.files[c.id] = tf
	t.order = append(t.order, tf)
	t.byPath[c.path] = tf
	t.byPath[rp] = tf
	t.log.Info().Str("file", c.path).Str("id", c.id.String()).Int64("position", pos).Int64("size", of.size).Str("why", why).Msg("tailing file")
}

func matchesFP(f *os.File, fp fingerprint) bool {
	ok, err := fp.matches(f)
	return err == nil && ok
}

type copyVerdict int

const (
	notACopy copyVerdict = iota
	copyComplete
	copyInProgress
)

// copySource finds the file a new file was copied from: one truncated
// recently, or one being read under another identity, whose first bytes the
// new file reproduces. It returns where to continue reading the copy, or
// that the copy is still shorter than what was read from its original.
func (t *Task) copySource(head []byte, of *openedFile, id fileID) (int64, copyVerdict) {
	check := func(fp fingerprint, cHead []byte, pos int64) copyVerdict {
		if fp.Len == 0 || pos <= 0 {
			return notACopy
		}
		if cHead == nil { // only a fingerprint: complete copies only
			if of.size >= pos && matchesFP(of.f, fp) {
				return copyComplete
			}
			return notACopy
		}
		if len(head) >= len(cHead) && bytes.Equal(head[:len(cHead)], cHead) {
			if of.size >= pos {
				return copyComplete
			}
			return copyInProgress
		}
		if len(head) < len(cHead) && bytes.HasPrefix(cHead, head) {
			return copyInProgress
		}
		return notACopy
	}
	verdict := notACopy
	for i := len(t.recent) - 1; i >= 0; i-- {
		tr := t.recent[i]
		switch check(tr.fp, tr.head, tr.pos) {
		case copyComplete:
			t.recent = append(t.recent[:i], t.recent[i+1:]...) // one copy per generation
			return tr.pos, copyComplete
		case copyInProgress:
			verdict = copyInProgress
		}
	}
	for _, tf := range t.order {
		if tf.id == id {
			continue
		}
		pos := tf.readPos - tf.lineSize
		switch check(tf.fp, tf.head, pos) {
		case copyComplete:
			return pos, copyComplete
		case copyInProgress:
			verdict = copyInProgress
		}
	}
	return 0, verdict
}
