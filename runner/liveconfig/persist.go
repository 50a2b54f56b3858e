package liveconfig

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/connect-go/connect-standalone/runner"
)

// Persist is the worker's runner.Persister: it writes a REST change through
// to connectors.dir before the change takes effect. Connectors defined by
// a command-line file are not written (that file wins at the next restart
// or edit); without connectors.dir nothing is written, as in Kafka.
func (m *Manager) Persist(ctx context.Context, c runner.Change) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	owners, _ := m.ownersLocked()
	owner, owned := owners[c.Name]
	if owned && m.cliSet[owner] {
		m.log.Warn().Str("connector", c.Name).Str("file", owner).
			Msg("connector is defined by a command-line file: this REST change is not persisted and the file applies again when it changes or the worker restarts")
		return nil
	}
	if m.dir == "" {
		return nil
	}
	if err := m.writeThroughLocked(c, owner); err != nil {
		var bad *runner.BadRequestError
		if errors.As(err, &bad) {
			return err
		}
		m.log.Error().Err(err).Str("connector", c.Name).Msg("cannot write the change to connectors.dir; the change is not applied")
		return fmt.Errorf("cannot write connector %s to connectors.dir %s: %w", c.Name, m.dir, err)
	}
	return nil
}

// writeThroughLocked stores c in connectors.dir: as the owning .json file,
// as <base>.json next to an owning .properties file (which is then
// removed: it cannot hold a target state), or as <name>.json for a new
// connector. Other files of the directory that define the same connector
// are removed so that they cannot bring it back at a restart.
func (m *Manager) writeThroughLocked(c runner.Change, owner string) error {
	var remove []string
	for p, fs := range m.files {
		if !m.cliSet[p] && fs.good != nil && fs.good.Name == c.Name {
			remove = append(remove, p)
		}
	}
	if c.Deleted {
		for _, p := range remove {
			if err := removeFileDurable(p); err != nil {
				return err
			}
			delete(m.files, p)
			m.w.SetConfigIssues(p, nil)
		}
		return nil
	}
	path, err := m.pathForLocked(c.Name, owner)
	if err != nil {
		return err
	}
	data, err := encodeConnector(c.Name, c.Config, c.Target)
	if err != nil {
		return err
	}
	if err := writeFileAtomic(path, data); err != nil {
		return err
	}
	m.files[path] = &fileState{good: &def{Name: c.Name, Config: maps.Clone(c.Config), Target: targetOrStarted(c.Target)}}
	m.w.SetConfigIssues(path, nil)
	for _, p := range remove {
		if p == path {
			continue
		}
		if err := removeFileDurable(p); err != nil {
			return err
		}
		delete(m.files, p)
		m.w.SetConfigIssues(p, nil)
	}
	return nil
}

func targetOrStarted(t runner.TargetState) runner.TargetState {
	if t == "" {
		return runner.TargetStarted
	}
	return t
}

// pathForLocked picks the file a connector is written to.
func (m *Manager) pathForLocked(name, owner string) (string, error) {
	if owner != "" {
		if filepath.Ext(owner) == ".json" {
			return owner, nil
		}
		p := strings.TrimSuffix(owner, filepath.Ext(owner)) + ".json"
		if free, err := m.freeLocked(p, name); free || err != nil {
			return p, err
		}
	}
	if err := ValidName(name); err != nil {
		return "", &runner.BadRequestError{Msg: fmt.Sprintf("Connector name %q cannot be stored in connectors.dir: %v", name, err)}
	}
	base := filepath.Join(m.dir, name)
	for i := range maxSuffix {
		p := base + ".json"
		if i > 0 {
			p = base + "." + strconv.Itoa(i) + ".json"
		}
		if free, err := m.freeLocked(p, name); free || err != nil {
			return p, err
		}
	}
	return "", fmt.Errorf("%s.json to %s.%d.json all hold other connectors", base, base, maxSuffix-1)
}

// maxSuffix bounds the search for a free file name.
const maxSuffix = 100

// freeLocked says whether p may hold connector name: it does not exist or
// already defines that connector. A file the watcher has not indexed yet
// (just created by a user) is read, so that REST and the user's file do
// not end up as two files for one connector.
func (m *Manager) freeLocked(p, name string) (bool, error) {
	if m.cliSet[p] {
		return false, nil
	}
	if fs, ok := m.files[p]; ok && fs.good != nil {
		return fs.good.Name == name, nil
	}
	_, err := os.Lstat(p)
	if errors.Is(err, os.ErrNotExist) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	cf, _, err := parseFile(p)
	return err == nil && cf.Name == name, nil
}
