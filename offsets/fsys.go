package offsets

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// fileSystem is the seam through which the store touches the disk, so tests
// can fail or "crash" at every step of a write.
type fileSystem interface {
	ReadFile(name string) ([]byte, error)
	Stat(name string) (fs.FileInfo, error)
	CreateTemp(dir, pattern string) (tempFile, error)
	Rename(oldpath, newpath string) error
	Remove(name string) error
	SyncDir(dir string) error
	Glob(pattern string) ([]string, error)
}

type tempFile interface {
	Name() string
	Write(p []byte) (int, error)
	Chmod(mode fs.FileMode) error
	Sync() error
	Close() error
}

type osFS struct{}

func (osFS) ReadFile(name string) ([]byte, error)             { return os.ReadFile(name) }
func (osFS) Stat(name string) (fs.FileInfo, error)            { return os.Stat(name) }
func (osFS) Rename(oldpath, newpath string) error             { return os.Rename(oldpath, newpath) }
func (osFS) Remove(name string) error                         { return os.Remove(name) }
func (osFS) Glob(pattern string) ([]string, error)            { return filepath.Glob(pattern) }
func (osFS) CreateTemp(dir, pattern string) (tempFile, error) { return os.CreateTemp(dir, pattern) }

func (osFS) SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// tempPattern names temporary files ".<name>.tmp-<random>" beside the file,
// so the rename stays within one file system and leftovers are recognisable.
func (s *FileStore) tempPattern() string {
	return "." + filepath.Base(s.target) + ".tmp-*"
}

// writeFile atomically replaces the offsets file with data: temp file, write,
// fsync, close, rename, fsync of the directory. Until the rename the old file
// is untouched; after it the new one is complete.
func (s *FileStore) writeFile(data []byte) (err error) {
	dir := filepath.Dir(s.target)
	mode := fs.FileMode(0o644)
	if fi, statErr := s.fs.Stat(s.target); statErr == nil {
		mode = fi.Mode().Perm()
	}
	f, err := s.fs.CreateTemp(dir, s.tempPattern())
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("writing offsets file %q: directory %q does not exist: %w", s.path, dir, err)
		}
		return fmt.Errorf("writing offsets file %q: creating a temporary file: %w", s.path, err)
	}
	tmp := f.Name()
	renamed := false
	defer func() {
		if !renamed {
			_ = s.fs.Remove(tmp)
		}
	}()
	step := func(what string, err error) error {
		if err != nil {
			_ = f.Close()
			return fmt.Errorf("writing offsets file %q: %s %s: %w", s.path, what, tmp, err)
		}
		return nil
	}
	if _, err := f.Write(data); err != nil {
		return step("writing", err)
	}
	if err := step("setting the mode of", f.Chmod(mode)); err != nil {
		return err
	}
	if err := step("syncing", f.Sync()); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing offsets file %q: closing %s: %w", s.path, tmp, err)
	}
	if err := s.fs.Rename(tmp, s.target); err != nil {
		return fmt.Errorf("writing offsets file %q: renaming %s over it: %w", s.path, tmp, err)
	}
	renamed = true
	// Without this the rename itself may not survive a power loss.
	if err := s.fs.SyncDir(dir); err != nil {
		return fmt.Errorf("writing offsets file %q: syncing directory %q: %w", s.path, dir, err)
	}
	return nil
}

// removeStaleTemps deletes temporary files left by a crash during a write.
// Best effort: they hold no data the offsets file does not (the rename never
// happened), and a worker owns its offsets file exclusively.
func (s *FileStore) removeStaleTemps() {
	matches, err := s.fs.Glob(filepath.Join(filepath.Dir(s.target), globEscape(s.tempPattern())))
	if err != nil {
		return
	}
	for _, m := range matches {
		_ = s.fs.Remove(m)
	}
}

// globEscape quotes glob metacharacters in a file name, keeping the final '*'.
func globEscape(pattern string) string {
	name := strings.TrimSuffix(pattern, "*")
	var b strings.Builder
	for _, r := range name {
		if strings.ContainsRune(`*?[\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String() + "*"
}
