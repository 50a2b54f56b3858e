package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/pathpolicy"
	"github.com/connect-go/connect-standalone/offsets"
	"github.com/connect-go/connect-standalone/runner"
	"github.com/connect-go/connect-standalone/runner/configfile"
	"github.com/connect-go/connect-standalone/runner/devkafka"
	"github.com/connect-go/connect-standalone/runner/kafka"
	"github.com/connect-go/connect-standalone/runner/liveconfig"
	"github.com/connect-go/connect-standalone/runner/loggers"
	"github.com/connect-go/connect-standalone/runner/metrics"
	"github.com/connect-go/connect-standalone/runner/plugins"
	"github.com/connect-go/connect-standalone/runner/providers"
	"github.com/connect-go/connect-standalone/runner/redact"
	"github.com/connect-go/connect-standalone/runner/rest"
	"github.com/connect-go/connect-standalone/runner/rest/httpsec"
	"github.com/connect-go/connect-standalone/runner/workerconfig"
)

// clusterIDTimeout bounds how long startup waits for Kafka: the admin
// client's default.api.timeout.ms, which the worker file may set.
func clusterIDTimeout(props map[string]string) time.Duration {
	if ms, err := strconv.Atoi(strings.TrimSpace(props["default.api.timeout.ms"])); err == nil && ms > 0 {
		return time.Duration(ms) * time.Millisecond
	}
	return 60 * time.Second
}

// runStandalone is ConnectStandalone.main: worker config, Kafka check,
// offsets, connectors from files in order, then run until signalled.
func runStandalone(ctx context.Context, workerFile string, connectorFiles []string, log zerolog.Logger, secrets *redact.Set) int {
	log.Info().Str("version", version).Str("commit", commit).Msg("Kafka Connect standalone worker initializing")
	props := map[string]string{}
	if workerFile != "" { // Kafka treats "" as an empty worker config
		var err error
		if props, err = configfile.LoadProperties(workerFile); err != nil {
			log.Error().Err(err).Str("file", workerFile).Msg("Stopping due to error")
			return exitStartup
		}
	}
	cfg, err := workerconfig.Parse(props)
	if err != nil {
		log.Error().Err(err).Str("file", workerFile).Msg("Stopping due to error: invalid worker configuration")
		return exitStartup
	}
	registerWorkerSecrets(cfg, secrets)
	if len(cfg.PluginPath) > 0 {
		log.Warn().Strs("plugin.path", cfg.PluginPath).Msg("plugin.path is ignored: every connector, converter and transform is built in")
	}
	var transformer *providers.Transformer
	if strings.TrimSpace(props["config.providers"]) != "" {
		if transformer, err = providers.FromWorkerConfig(props); err != nil {
			log.Error().Err(err).Str("file", workerFile).Msg("Stopping due to error: invalid config.providers")
			return exitStartup
		}
		transformer.Observe(secrets.Add)
	}
	paths, err := pathpolicy.Parse(cfg.Originals()[pathpolicy.Key])
	if err != nil {
		log.Error().Err(err).Str("file", workerFile).Msg("Stopping due to error: invalid worker configuration")
		return exitStartup
	}
	listeners := cfg.Listeners
	if _, set := props[workerconfig.Listeners]; !set {
		listeners = []string{rest.DefaultListener} // loopback only unless configured
	}
	sec, err := httpsec.New(cfg, httpsec.Options{Log: log, Exempt: isHealthProbe})
	if err != nil {
		log.Error().Err(err).Msg("Stopping due to error: invalid REST security configuration")
		return exitStartup
	}
	if err := httpsec.CheckExposure(cfg, listeners, sec.Auth != nil, paths != nil); err != nil {
		log.Error().Err(err).Strs("listeners", listeners).Msg("Stopping due to error")
		return exitStartup
	}
	if paths != nil {
		log.Info().Strs(pathpolicy.Key, paths.Dirs()).Msg("connectors may only use files in these directories")
	}
	kafka.SetupGlobals(log)
	logs := loggers.New(log)

	idCtx, cancel := context.WithTimeout(ctx, clusterIDTimeout(props))
	clusterID, err := kafkaClusterID(idCtx, cfg)
	cancel()
	if err != nil {
		log.Error().Err(err).Strs("bootstrap.servers", cfg.BootstrapServers).Msg("Stopping due to error")
		return exitStartup
	}
	log.Info().Str("cluster.id", clusterID).Msg("Kafka cluster ID")

	// The REST server is bound before the connector files are processed:
	// GET /health answers 503 until they are.
	reg := metrics.New(metrics.Options{Window: cfg.MetricsSampleWindow, Samples: cfg.MetricsNumSamples})
	server, err := rest.New(rest.Config{
		Worker:        cfg,
		Listeners:     listeners,
		Version:       version,
		Commit:        commit,
		ClusterID:     clusterID,
		Loggers:       logs,
		Listen:        restListener(cfg),
		Middleware:    []func(http.Handler) http.Handler{secrets.Middleware, sec.Wrap},
		Routes:        func(mux *http.ServeMux) { mux.Handle("GET /metrics", reg.Handler()) },
		Authenticated: sec.Auth != nil,
	})
	if err == nil {
		err = server.Listen()
	}
	if err != nil {
		log.Error().Err(err).Strs("listeners", listeners).Msg("Stopping due to error: cannot start the REST server")
		return exitStartup
	}

	store, err := offsets.OpenFile(cfg.OffsetStorageFile)
	if err != nil {
		server.Shutdown(context.Background())
		log.Error().Err(err).Str("offset.storage.file.filename", cfg.OffsetStorageFile).Msg("Failed to start Connect")
		return exitConnectorError
	}
	defer store.Close()

	worker := runner.New(runner.Options{
		Config:    cfg,
		Registry:  plugins.New(plugins.Builtins()),
		Offsets:   store,
		Providers: transformer,
		Logger:    log,
		WorkerID:  server.WorkerID(),
		Loggers:   logs,
		Metrics:   reg,
		Paths:     paths,
	})
	// Connector files are watched and connectors.dir is written through
	// (docs/live-config.md); SIGHUP re-reads them all.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	live, err := liveconfig.New(liveconfig.Options{Worker: worker, Files: connectorFiles, Dir: cfg.ConnectorsDir, Reload: hup, Logger: log})
	if err != nil {
		server.Shutdown(context.Background())
		log.Error().Err(err).Msg("Stopping due to error")
		return exitStartup
	}
	if cfg.ConnectorsDir != "" {
		worker.SetPersister(live.Persist)
	}
	server.Serve(worker)
	log.Info().Str("worker_id", server.WorkerID()).Msg("Kafka Connect started")

	stop := func() {
		live.Stop()
		sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := server.Shutdown(sctx); err != nil {
			log.Warn().Err(err).Msg("REST server did not shut down cleanly")
		}
		worker.Stop(context.Background())
	}
	if err := live.Start(ctx); err != nil {
		var fe *liveconfig.FileError
		if errors.As(err, &fe) {
			log.Error().Err(err).Str("file", fe.Path).Msg("Failed to create connector for " + fe.Path)
		} else {
			log.Error().Err(err).Msg("Failed to start watching connector files")
		}
		log.Error().Msg("Stopping after connector error")
		stop()
		return exitConnectorError
	}
	server.MarkReady()
	log.Info().Int("connectors", len(worker.Connectors())).Msg("all connector files processed; worker is ready")

	<-ctx.Done()
	log.Info().Msg("Kafka Connect stopping")
	stop()
	if err := store.Close(); err != nil {
		log.Error().Err(err).Msg("failed to close the offsets file")
	}
	log.Info().Msg("Kafka Connect stopped")
	return exitOK
}

// kafkaClusterID checks that Kafka is reachable, as the JVM worker does
// before anything else starts.
func kafkaClusterID(ctx context.Context, cfg *workerconfig.Config) (string, error) {
	props := map[string]string{}
	for k, v := range cfg.Originals() {
		props[k] = v
	}
	props["bootstrap.servers"] = strings.Join(cfg.BootstrapServers, ",")
	ccfg, err := kafka.NewClientConfig(kafka.KindAdmin, props)
	if err != nil {
		return "", err
	}
	admin, err := kafka.NewAdmin(ccfg)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	return admin.ClusterID(ctx)
}

// runDevKafka is the dev-kafka subcommand.
func runDevKafka(ctx context.Context, args []string, stdout, stderr io.Writer, log zerolog.Logger) int {
	fs := flag.NewFlagSet("dev-kafka", flag.ContinueOnError)
	fs.SetOutput(stderr)
	opts := devkafka.Options{Logger: &log}
	fs.StringVar(&opts.Listen, "listen", devkafka.DefaultListen, "HOST:PORT to listen on")
	fs.IntVar(&opts.Partitions, "partitions", 1, "partitions of auto-created topics")
	fs.StringVar(&opts.DataDir, "data-dir", "", "directory to persist data in (default: memory only)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "dev-kafka: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if err := devkafka.Run(ctx, opts, stdout); err != nil && !errors.Is(err, context.Canceled) {
		log.Error().Err(err).Msg("dev-kafka failed")
		return exitStartup
	}
	return exitOK
}

// isHealthProbe lets GET /health through authentication so that liveness
// and readiness probes need no credentials; it reveals only up or down.
func isHealthProbe(r *http.Request) bool {
	return r.Method == http.MethodGet && r.URL.Path == "/health"
}

// restListener binds one REST listener, with TLS for https from
// listeners.https.ssl.* / admin.listeners.https.ssl.* or ssl.*.
func restListener(cfg *workerconfig.Config) func(l workerconfig.Listener, admin bool) (net.Listener, error) {
	return func(l workerconfig.Listener, admin bool) (net.Listener, error) {
		var tc *tls.Config
		if l.Protocol == "https" {
			prefix := httpsec.ListenersHTTPSPrefix
			if admin {
				prefix = httpsec.AdminListenersHTTPSPrefix
			}
			var err error
			if tc, err = httpsec.ServerTLSConfig(cfg, prefix); err != nil {
				return nil, err
			}
		}
		ln, err := net.Listen("tcp", net.JoinHostPort(l.Host, strconv.Itoa(l.Port)))
		if err != nil || tc == nil {
			return ln, err
		}
		return tls.NewListener(ln, tc), nil
	}
}

// registerWorkerSecrets adds the worker configuration's secrets to the
// redaction set: values that came from a config provider, and passwords
// (PASSWORD keys, *.password keys such as listeners.https.ssl.key.password,
// and JAAS configurations, which embed passwords).
func registerWorkerSecrets(cfg *workerconfig.Config, secrets *redact.Set) {
	orig := cfg.Originals()
	for k := range cfg.ResolvedKeys {
		secrets.Add(orig[k])
	}
	for k, v := range orig {
		if strings.HasSuffix(k, ".password") || strings.HasSuffix(k, "sasl.jaas.config") {
			secrets.Add(v)
		}
	}
	for _, n := range workerconfig.Def().Names() {
		if k, _ := workerconfig.Def().Key(n); k.Type != configdef.TypePassword {
			continue
		}
		if p, ok := cfg.Values.Password(n); ok {
			secrets.Add(p.Value())
		}
	}
}
