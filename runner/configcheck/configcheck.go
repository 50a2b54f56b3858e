// Package configcheck validates worker and connector files offline, with
// the messages connector creation and the validate endpoint use: the
// `connect-standalone validate` command for CI pipelines.
package configcheck

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"slices"
	"strings"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/connectors/pathpolicy"
	"github.com/connect-go/connect-standalone/runner"
	"github.com/connect-go/connect-standalone/runner/configfile"
	"github.com/connect-go/connect-standalone/runner/liveconfig"
	"github.com/connect-go/connect-standalone/runner/plugins"
	"github.com/connect-go/connect-standalone/runner/providers"
	"github.com/connect-go/connect-standalone/runner/workerconfig"
)

// Result counts what Check printed.
type Result struct {
	Files    int // worker file, connector files and connectors.dir files
	Errors   int
	Warnings int
}

// passThroughPrefixes are connector keys that belong to something other
// than the connector's ConfigDef (client overrides, converter settings,
// topic creation groups), so an unknown-key warning would be noise.
var passThroughPrefixes = []string{
	"producer.override.", "consumer.override.", "admin.override.",
	"key.converter.", "value.converter.", "header.converter.", "topic.creation.",
}

// Check validates workerFile and every connector file, printing one line per
// problem to out as "FILE: error: ..." or "FILE: warning: ...". Variables
// (${provider:...}) are resolved with the worker's config providers, as at
// startup.
func Check(ctx context.Context, workerFile string, connectorFiles []string, out io.Writer) Result {
	res := Result{Files: 1}
	report := func(file, level, msg string) {
		for _, line := range strings.Split(msg, "\n") {
			fmt.Fprintf(out, "%s: %s: %s\n", file, level, line)
		}
		if level == "error" {
			res.Errors++
		} else {
			res.Warnings++
		}
	}
	props, err := configfile.LoadProperties(workerFile)
	if err != nil {
		report(workerFile, "error", err.Error())
		return res
	}
	cfg, err := workerconfig.Parse(props)
	if err != nil {
		report(workerFile, "error", err.Error())
		return res
	}
	var transformer *providers.Transformer
	if strings.TrimSpace(props["config.providers"]) != "" {
		if transformer, err = providers.FromWorkerConfig(props); err != nil {
			report(workerFile, "error", err.Error())
			return res
		}
	}
	paths, err := pathpolicy.Parse(cfg.Originals()[pathpolicy.Key])
	if err != nil {
		report(workerFile, "error", err.Error())
		return res
	}
	w := runner.New(runner.Options{Config: cfg, Registry: plugins.New(plugins.Builtins()), Providers: transformer, Logger: zerolog.Nop(), Paths: paths})
	// connectors.dir files come after the command-line files, which win
	// over them (a duplicate there is ignored by the worker: a warning).
	fromDir := map[string]bool{}
	if cfg.ConnectorsDir != "" {
		files, err := liveconfig.ListDir(cfg.ConnectorsDir)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			report(workerFile, "warning", fmt.Sprintf("connectors.dir %s does not exist; the worker will create it", cfg.ConnectorsDir))
		case err != nil:
			report(workerFile, "error", fmt.Sprintf("connectors.dir: %v", err))
		}
		for _, f := range files {
			if !slices.Contains(connectorFiles, f) {
				connectorFiles = append(slices.Clip(connectorFiles), f)
				fromDir[f] = true
			}
		}
	}
	res.Files = 1 + len(connectorFiles)
	names := map[string]string{}
	for _, path := range connectorFiles {
		cf, err := configfile.ParseConnectorFile(path)
		if err != nil {
			report(path, "error", err.Error())
			continue
		}
		if prev, dup := names[cf.Name]; dup {
			if fromDir[path] {
				report(path, "warning", fmt.Sprintf("connector %s is already defined by %s, which takes precedence; this file is ignored", cf.Name, prev))
				continue
			}
			report(path, "error", fmt.Sprintf("connector %s is already defined in %s", cf.Name, prev))
		}
		names[cf.Name] = path
		if _, err := runner.ParseInitialState(cf.InitialState); err != nil {
			report(path, "error", err.Error())
		}
		for _, k := range cf.NullKeys {
			report(path, "error", fmt.Sprintf("Invalid value null for configuration %s: Null value can not be supplied as the configuration value.", k))
		}
		v, err := w.ValidateConfig(ctx, cf.Config)
		if err != nil {
			report(path, "error", err.Error())
			continue
		}
		known := map[string]bool{}
		for _, cv := range v.Values {
			known[cv.Name] = true
			for _, m := range cv.Errors {
				report(path, "error", m)
			}
		}
		for _, k := range slices.Sorted(maps.Keys(cf.Config)) {
			if known[k] || slices.ContainsFunc(passThroughPrefixes, func(p string) bool { return strings.HasPrefix(k, p) }) {
				continue
			}
			report(path, "warning", fmt.Sprintf("The configuration '%s' was supplied but isn't a known config.", k))
		}
	}
	return res
}
