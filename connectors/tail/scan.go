package tail

import (
	"os"
	"path/filepath"
	"time"
)

// candidate is a matched path and what stat said about it.
type candidate struct {
	path string
	id   fileID
	info os.FileInfo
}

// matchFiles expands the globs, drops excluded paths and stats the rest.
// Several paths to one file (links) count once, under the first path.
func matchFiles(cfg *config) ([]candidate, []string) {
	exp := expand(cfg.paths)
	seen := map[fileID]bool{}
	var out []candidate
	for _, p := range exp.files {
		if cfg.exclude.match(p) {
			continue
		}
		st, err := os.Stat(p)
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
	return out, exp.dirs
}

// scan finds new, renamed and vanished files.
func (t *Task) scan(now time.Time) error {
	cands, dirs := matchFiles(t.cfg)
	t.lastScan, t.rescanWanted = now, false
	initial := !t.started
	t.started = true

	seen := make(map[fileID]bool, len(cands))
	var fresh []candidate
	for _, c := range cands {
		seen[c.id] = true
		if c.id.owner(t.count) != t.index {
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
//     copytruncate);
//   - at the end when read.from=end and this is the connector's first run;
//   - otherwise from 0.
func (t *Task) startAt(of *openedFile, now time.Time, initial bool) {
	c := of.c
	fp, _ := fingerprintOf(of.f, of.size)
	pos, why := int64(0), "new file"
	switch so := of.stored; {
	case so != nil && so.position <= of.size && matchesFP(of.f, so.fp):
		pos, why = so.position, "resuming at the committed position"
	case so != nil:
		why = "the committed offset belongs to an earlier file with this inode (reused inode, or truncated or replaced while not read); reading from the beginning"
		if so.fp.Len > 0 {
			t.recent = append(t.recent, truncation{fp: so.fp, pos: so.position, at: now})
		}
	default:
		if p, ok := t.copySource(of, c.id); ok {
			pos, why = p, "same first bytes as a truncated or tailed file (copytruncate copy); continuing where that one stopped"
		} else if initial && t.firstRun && t.cfg.readFromEnd {
			pos, why = of.size, "read.from=end"
		}
	}
	rp, err := filepath.EvalSymlinks(c.path)
	if err != nil {
		rp = c.path
	}
	tf := &tailedFile{id: c.id, path: c.path, realPath: rp, f: of.f, part: partitionOf(c.id), fp: fp,
		readPos: pos, ml: newMultiline(t.cfg), lastData: now}
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

// copySource finds the file a new file was copied from: one truncated
// recently, or one being read under another identity, whose fingerprint the
// new file's first bytes reproduce. It returns where to continue.
func (t *Task) copySource(of *openedFile, id fileID) (int64, bool) {
	check := func(fp fingerprint, pos int64) bool {
		return fp.Len > 0 && pos > 0 && pos <= of.size && matchesFP(of.f, fp)
	}
	for i := len(t.recent) - 1; i >= 0; i-- {
		if tr := t.recent[i]; check(tr.fp, tr.pos) {
			t.recent = append(t.recent[:i], t.recent[i+1:]...) // one copy per generation
			return tr.pos, true
		}
	}
	for _, tf := range t.order {
		if tf.id != id && check(tf.fp, tf.readPos) {
			return tf.readPos - tf.lineSize, true
		}
	}
	return 0, false
}
