package liveconfig

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/connect-go/connect-standalone/runner"
)

// MaxNameBytes bounds connector names stored as file names: with ".json"
// and the temporary-file decoration they stay under the usual 255-byte
// file name limit.
const MaxNameBytes = 200

// ValidName reports whether a connector name can become a file name in
// connectors.dir: not empty, at most MaxNameBytes bytes of valid UTF-8, no
// path separator, no control character, not starting with '.' (hidden
// files are ignored, and "." and ".." are not files).
func ValidName(name string) error {
	switch {
	case name == "":
		return errors.New("the name is empty")
	case len(name) > MaxNameBytes:
		return fmt.Errorf("the name is longer than %d bytes", MaxNameBytes)
	case !utf8.ValidString(name):
		return errors.New("the name is not valid UTF-8")
	case strings.ContainsAny(name, `/\`):
		return errors.New("the name contains a path separator ('/' or '\\')")
	case strings.HasPrefix(name, "."):
		return errors.New("the name starts with '.'")
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return errors.New("the name contains a control character")
	}
	return nil
}

// isConnectorFileName says whether a directory entry is a connector file.
// Dot files are editor swap files, our temporary files and Kubernetes'
// ..data links.
func isConnectorFileName(base string) bool {
	if strings.HasPrefix(base, ".") {
		return false
	}
	ext := filepath.Ext(base)
	return ext == ".json" || ext == ".properties"
}

// tempPattern is the os.CreateTemp pattern of write-through files: a dot
// file, so that watchers and scans ignore it until it is renamed.
func tempPattern(target string) string { return "." + filepath.Base(target) + ".tmp-*" }

func isTempName(base string) bool {
	return strings.HasPrefix(base, ".") && strings.Contains(base, ".tmp-")
}

// storedConnector is the file form of a write-through: the body of POST
// /connectors, which Kafka's connect-standalone also accepts as a file.
type storedConnector struct {
	Name         string            `json:"name"`
	Config       map[string]string `json:"config"`
	InitialState string            `json:"initial_state"`
}

func initialState(t runner.TargetState) string {
	switch t {
	case runner.TargetPaused:
		return "PAUSED"
	case runner.TargetStopped:
		return "STOPPED"
	}
	return "RUNNING"
}

func encodeConnector(name string, config map[string]string, target runner.TargetState) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(storedConnector{Name: name, Config: config, InitialState: initialState(target)}); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeFileAtomic replaces path with data so that a crash at any point
// leaves either the old file or the new one: temporary file, fsync, rename,
// fsync of the directory.
func writeFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, tempPattern(path))
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = f.Chmod(0o640); err != nil {
		return err
	}
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(dir)
}

// removeFileDurable removes path and makes the removal durable.
func removeFileDurable(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return syncDir(filepath.Dir(path))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	return nil
}

// removeTempFiles deletes write-throughs that a crash left unfinished.
func removeTempFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var removed []string
	for _, e := range entries {
		if e.Type().IsRegular() && isTempName(e.Name()) {
			p := filepath.Join(dir, e.Name())
			if err := os.Remove(p); err != nil {
				return removed, err
			}
			removed = append(removed, p)
		}
	}
	return removed, nil
}

// ListDir returns the connector files of a connectors.dir in precedence
// order: when two files define the same connector, the first one wins.
func ListDir(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if isConnectorFileName(e.Name()) {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	slices.SortFunc(out, comparePaths)
	return out, nil
}
