// Command connect-standalone runs Kafka Connect connectors in one process, as
// Apache Kafka's bin/connect-standalone.sh does, reading the same worker and
// connector files.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/connect-go/connect-standalone/runner/configcheck"
	"github.com/connect-go/connect-standalone/runner/configfile"
	"github.com/connect-go/connect-standalone/runner/dryrun"
	"github.com/connect-go/connect-standalone/runner/plugins"
	"github.com/connect-go/connect-standalone/runner/redact"
	"github.com/rs/zerolog"
)

// Set at build time with -ldflags "-X main.version=... -X main.commit=...".
var (
	version = "dev"
	commit  = "unknown"
	date    = "unknown"
)

const usage = `Usage: connect-standalone [flags] WORKER.properties [CONNECTOR.properties|CONNECTOR.json ...]
       connect-standalone dev-kafka [--listen HOST:PORT] [--partitions N] [--data-dir DIR]
       connect-standalone transform CONNECTOR.properties < records.jsonl
       connect-standalone validate WORKER.properties [CONNECTOR ...]
       connect-standalone healthcheck [--timeout 5s] [URL]

Runs Kafka Connect connectors in standalone mode: the worker file configures
Kafka access, converters and the offsets file; each connector file (Java
.properties, a flat JSON map, or a POST /connectors-shaped JSON document) adds
one connector, in order. Connector files are watched and applied live; SIGHUP
re-reads them. The worker key connectors.dir names a directory of connector
files that REST changes are also written to (see docs/live-config.md).

Flags:
  --log-level LEVEL   trace, debug, info (default), warn or error
  --log-format FMT    console or json (default: console on a terminal, else json)
  --version           print the version and exit
  --help              print this help and exit

Subcommands:
  dev-kafka           run an in-memory Kafka-protocol broker for development and
                      tests (NOT for production: data lives in memory unless
                      --data-dir is given)
  transform           apply a connector file's transforms and predicates to
                      records read as JSON Lines on stdin, without Kafka; one
                      output line per record: the result, null (dropped) or
                      {"error": "..."} (see README: testing a transform chain)
  validate            check worker and connector files offline with the
                      messages connector creation uses; exit 0 if valid, 1 if
                      not (unknown connector keys are warnings)
  healthcheck         GET URL (default http://127.0.0.1:8083/health) and exit 0
                      if the answer is 200, else 1: a probe for images without
                      curl, e.g. a Kubernetes exec probe of a loopback listener
`

// Exit codes, as Kafka's ConnectStandalone uses them.
const (
	exitOK             = 0
	exitUsage          = 1
	exitStartup        = 2
	exitConnectorError = 3
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// cliOptions are the parsed command line.
type cliOptions struct {
	logLevel   string
	logFormat  string
	files      []string
	subcommand string
	subArgs    []string
}

type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

var errHelp = errors.New("help requested")
var errVersion = errors.New("version requested")

func parseArgs(args []string) (*cliOptions, error) {
	o := &cliOptions{logLevel: "info"}
	if len(args) > 0 && (args[0] == "dev-kafka" || args[0] == "transform" || args[0] == "validate" || args[0] == "healthcheck") {
		o.subcommand, o.subArgs = args[0], args[1:]
		for _, a := range o.subArgs {
			if a == "--help" || a == "-h" {
				return nil, errHelp
			}
		}
		return o, nil
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--help" || a == "-h" || a == "-help":
			return nil, errHelp
		case a == "--version" || a == "-version":
			return nil, errVersion
		case a == "-daemon":
			// connect-standalone.sh forks into the background; a supervisor
			// (systemd, Kubernetes) does that job for a Go binary.
			return nil, &usageError{"-daemon is not supported: run the binary under a process supervisor instead"}
		case a == "--log-level" || a == "--log-format":
			if i+1 >= len(args) {
				return nil, &usageError{a + " needs a value"}
			}
			if a == "--log-level" {
				o.logLevel = args[i+1]
			} else {
				o.logFormat = args[i+1]
			}
			i++
		case len(a) > 12 && a[:12] == "--log-level=":
			o.logLevel = a[12:]
		case len(a) > 13 && a[:13] == "--log-format=":
			o.logFormat = a[13:]
		case a == "--":
			o.files = append(o.files, args[i+1:]...)
			i = len(args)
		case len(a) > 1 && a[0] == '-' && a != "-":
			return nil, &usageError{"unknown flag " + a}
		default:
			o.files = append(o.files, a)
		}
	}
	if len(o.files) < 1 {
		return nil, &usageError{"a worker properties file is required"}
	}
	return o, nil
}

func run(args []string, stdout, stderr io.Writer) int {
	o, err := parseArgs(args)
	switch {
	case errors.Is(err, errHelp):
		fmt.Fprint(stdout, usage)
		return exitUsage // Kafka exits 1 on --help
	case errors.Is(err, errVersion):
		fmt.Fprintf(stdout, "connect-standalone %s (commit %s, built %s)\n", version, commit, date)
		return exitOK
	case err != nil:
		fmt.Fprintf(stderr, "connect-standalone: %v\n\n%s", err, usage)
		return exitUsage
	}
	secrets := redact.New() // filled with provider-resolved values and passwords
	log, err := newLogger(stderr, o.logLevel, o.logFormat, secrets)
	if err != nil {
		fmt.Fprintf(stderr, "connect-standalone: %v\n", err)
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if o.subcommand == "dev-kafka" {
		return runDevKafka(ctx, o.subArgs, stdout, stderr, log)
	}
	if o.subcommand == "validate" {
		return runValidate(ctx, o.subArgs, stdout, stderr)
	}
	if o.subcommand == "healthcheck" {
		return runHealthcheck(ctx, o.subArgs, stdout, stderr)
	}
	if o.subcommand == "transform" {
		return runTransform(ctx, o.subArgs, os.Stdin, stdout, stderr)
	}
	return runStandalone(ctx, o.files[0], o.files[1:], log, secrets)
}

// newLogger writes human-readable lines to a terminal and JSON otherwise,
// with every registered secret replaced by [hidden].
func newLogger(w io.Writer, level, format string, secrets *redact.Set) (zerolog.Logger, error) {
	lvl, err := zerolog.ParseLevel(level)
	if err != nil || level == "" {
		return zerolog.Nop(), fmt.Errorf("invalid --log-level %q (use trace, debug, info, warn or error)", level)
	}
	if format == "" {
		format = "json"
		if f, ok := w.(*os.File); ok {
			if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
				format = "console"
			}
		}
	}
	w = secrets.Writer(w)
	switch format {
	case "console":
		w = zerolog.ConsoleWriter{Out: w, TimeFormat: "2006-01-02 15:04:05.000"}
	case "json":
	default:
		return zerolog.Nop(), fmt.Errorf("invalid --log-format %q (use console or json)", format)
	}
	zerolog.TimeFieldFormat = zerolog.TimeFormatUnixMs
	return zerolog.New(w).Level(lvl).With().Timestamp().Logger(), nil
}

// runTransform is the transform subcommand: a dry run of a connector's
// transformation chain over JSON Lines records.
func runTransform(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintf(stderr, "connect-standalone: transform needs exactly one connector file\n\n%s", usage)
		return exitUsage
	}
	cf, err := configfile.ParseConnectorFile(args[0])
	if err != nil {
		fmt.Fprintf(stderr, "connect-standalone: %v\n", err)
		return exitConnectorError
	}
	chain, err := dryrun.NewChain(plugins.New(plugins.Builtins()), cf.Config)
	if err != nil {
		fmt.Fprintf(stderr, "connect-standalone: invalid transforms configuration in %s:\n%v\n", args[0], err)
		return exitConnectorError
	}
	defer chain.Close()
	if err := dryrun.Run(ctx, chain, stdin, stdout); err != nil && ctx.Err() == nil {
		fmt.Fprintf(stderr, "connect-standalone: transform: %v\n", err)
		return exitStartup
	}
	return exitOK
}

// runValidate is the validate subcommand: offline checks for CI pipelines.
func runValidate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) < 1 {
		fmt.Fprintf(stderr, "connect-standalone: validate needs a worker file\n\n%s", usage)
		return exitUsage
	}
	res := configcheck.Check(ctx, args[0], args[1:], stdout)
	fmt.Fprintf(stderr, "%d file(s) checked: %d error(s), %d warning(s)\n", res.Files, res.Errors, res.Warnings)
	if res.Errors > 0 {
		return 1
	}
	return exitOK
}
