package liveconfig

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"

	"github.com/connect-go/connect-standalone/runner"
	"github.com/connect-go/connect-standalone/runner/configfile"
)

// def is a connector as one file defines it.
type def struct {
	Name   string
	Config map[string]string
	Target runner.TargetState // from initial_state; STARTED when absent
}

func (d *def) equal(o *def) bool {
	return d != nil && o != nil && d.Name == o.Name && d.Target == o.Target && maps.Equal(d.Config, o.Config)
}

// readResult is what reading one connector file gave.
type readResult struct {
	missing bool
	def     *def                 // nil when the file is missing or invalid
	issues  []runner.ConfigIssue // why def is nil (Connector filled in later)
}

// readFile parses and validates a connector file, with the checks that
// connector creation makes, so that an edit is accepted or rejected before
// the running connector is touched.
func readFile(ctx context.Context, w *runner.Worker, path string) readResult {
	issue := func(key, msg string) readResult {
		return readResult{issues: []runner.ConfigIssue{{File: path, Key: key, Message: msg}}}
	}
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && fi.IsDir()) {
		return readResult{missing: true}
	}
	cf, target, err := parseFile(path)
	var ise *initialStateError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return readResult{missing: true}
	case errors.As(err, &ise):
		return issue("initial_state", err.Error())
	case err != nil:
		var fe *configfile.FileError
		if errors.As(err, &fe) && fe.Msg == missingNameMsg(path) {
			return issue("name", err.Error())
		}
		return issue("", err.Error())
	}
	var res readResult
	for _, k := range cf.NullKeys {
		res.issues = append(res.issues, runner.ConfigIssue{File: path, Key: k,
			Message: fmt.Sprintf("Invalid value null for configuration %s: Null value can not be supplied as the configuration value.", k)})
	}
	if cf.Name == "" {
		res.issues = append(res.issues, runner.ConfigIssue{File: path, Key: "name", Message: "Connector name is empty"})
	}
	v, err := w.ValidateConfig(ctx, cf.Config)
	if err != nil {
		res.issues = append(res.issues, runner.ConfigIssue{File: path, Key: "connector.class", Message: err.Error()})
	} else {
		for _, cv := range v.Values {
			for _, m := range cv.Errors {
				res.issues = append(res.issues, runner.ConfigIssue{File: path, Key: cv.Name, Message: m})
			}
		}
	}
	for i := range res.issues {
		res.issues[i].Connector = cf.Name
	}
	if len(res.issues) == 0 {
		res.def = &def{Name: cf.Name, Config: cf.Config, Target: target}
	}
	return res
}

type initialStateError struct{ error }

// parseFile parses a connector file (no validation).
func parseFile(path string) (configfile.ConnectorFile, runner.TargetState, error) {
	cf, err := configfile.ParseConnectorFile(path)
	if err != nil {
		return cf, "", err
	}
	target, err := runner.ParseInitialState(cf.InitialState)
	if err != nil {
		return cf, "", &initialStateError{fmt.Errorf("%s: %w", path, err)}
	}
	return cf, target, nil
}

// missingNameMsg is configfile's message for a file without 'name'.
func missingNameMsg(path string) string {
	return "Connector configuration at '" + path + "' is missing the mandatory 'name' configuration"
}
