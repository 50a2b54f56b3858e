// Package configcheck validates worker and connector files offline, with
// the messages connector creation and the validate endpoint use: the
// `connect-standalone validate` command for CI pipelines.
package configcheck

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/connectors/pathpolicy"
	"github.com/connect-go/connect-standalone/runner"
	"github.com/connect-go/connect-standalone/runner/configfile"
	"github.com/connect-go/connect-standalone/runner/plugins"
	"github.com/connect-go/connect-standalone/runner/providers"
	"github.com/connect-go/connect-standalone/runner/workerconfig"
)

// Result counts what Check printed.
type Result struct {
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
	var res Result
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
	names := map[string]string{}
	for _, path := range connectorFiles {
		cf, err := configfile.ParseConnectorFile(path)
		if err != nil {
			report(path, "error", err.Error())
			continue
		}
		if prev, dup := names[cf.Name]; dup {
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
