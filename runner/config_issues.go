package runner

import (
	"cmp"
	"slices"
	"sync"
)

// ConfigIssue is a problem with a watched connector file that was not
// applied: the connector keeps its previous config until the file is fixed.
type ConfigIssue struct {
	Connector string // "" when the file does not say which connector it is
	File      string
	Key       string // "" when the problem is not about one key
	Message   string
}

// configIssues holds the current issues by file. It has its own lock: the
// file watcher updates it without going through the lifecycle lock.
type configIssues struct {
	mu     sync.Mutex
	byFile map[string][]ConfigIssue
}

// SetConfigIssues replaces the issues reported for file; nil clears them.
func (w *Worker) SetConfigIssues(file string, issues []ConfigIssue) {
	w.issues.mu.Lock()
	defer w.issues.mu.Unlock()
	if len(issues) == 0 {
		delete(w.issues.byFile, file)
		return
	}
	if w.issues.byFile == nil {
		w.issues.byFile = map[string][]ConfigIssue{}
	}
	w.issues.byFile[file] = slices.Clone(issues)
}

// ConfigIssues lists every current issue, ordered by file.
func (w *Worker) ConfigIssues() []ConfigIssue {
	return w.configIssuesFor(func(ConfigIssue) bool { return true })
}

func (w *Worker) configIssuesFor(keep func(ConfigIssue) bool) []ConfigIssue {
	w.issues.mu.Lock()
	defer w.issues.mu.Unlock()
	var out []ConfigIssue
	for _, list := range w.issues.byFile {
		for _, is := range list {
			if keep(is) {
				out = append(out, is)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b ConfigIssue) int { return cmp.Compare(a.File, b.File) })
	return out
}
