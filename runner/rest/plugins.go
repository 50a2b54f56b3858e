package rest

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/runner/connconfig"
	"github.com/connect-go/connect-standalone/runner/loggers"
	"github.com/connect-go/connect-standalone/runner/plugins"
)

// health is KIP-1017's GET /health. Its bodies are not error bodies.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	t := time.NewTimer(s.cfg.HealthStartupWait)
	defer t.Stop()
	select {
	case <-s.ready:
	case <-t.C:
		writeJSON(w, http.StatusServiceUnavailable, healthInfo{Status: "starting", Message: "Worker is still starting up."})
		return
	case <-r.Context().Done():
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.HealthTimeout)
	defer cancel()
	if err := s.worker.Ping(ctx); err != nil {
		writeJSON(w, http.StatusInternalServerError, healthInfo{Status: "unhealthy", Message: "Worker was unable to handle this request and may be unable to handle other requests."})
		return
	}
	writeJSON(w, http.StatusOK, healthInfo{Status: "healthy", Message: "Worker has completed startup and is ready to handle requests.",
		ConfigErrors: toConfigErrors(s.worker.ConfigIssues())})
}

// Plugin kinds the plugin endpoints know, in the order GET
// /connector-plugins?connectorsOnly=false lists them.
var listedKinds = []plugins.Kind{
	plugins.KindSink, plugins.KindSource, plugins.KindTransformation, plugins.KindPredicate,
	plugins.KindConverter, plugins.KindHeaderConverter,
}

func (s *Server) listPlugins(w http.ResponseWriter, r *http.Request) error {
	connectorsOnly := true
	if v := r.URL.Query().Get("connectorsOnly"); v != "" {
		connectorsOnly = strings.EqualFold(v, "true")
	}
	kinds := listedKinds
	if connectorsOnly {
		kinds = kinds[:2]
	}
	out := []pluginInfo{}
	for _, p := range s.worker.Registry().List(kinds...) {
		out = append(out, toPluginInfo(p))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// findPlugin resolves a class name or alias over every plugin kind, in the
// order Kafka's pluginConfig checks the types.
func (s *Server) findPlugin(name string) (*plugins.Plugin, bool) {
	reg := s.worker.Registry()
	for _, k := range []plugins.Kind{plugins.KindSource, plugins.KindSink, plugins.KindConverter, plugins.KindHeaderConverter,
		plugins.KindTransformation, plugins.KindPredicate, plugins.KindConfigProvider, plugins.KindOverridePolicy} {
		if p, ok := reg.Lookup(k, name); ok {
			return p, true
		}
	}
	if p, err := reg.Connector(name); err == nil {
		return p, true
	}
	return nil, false
}

func (s *Server) pluginConfig(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("p")
	p, ok := s.findPlugin(name)
	if !ok {
		return errorf(http.StatusNotFound, "Unknown plugin %s.", name)
	}
	var keys []configdef.Key
	switch p.Kind {
	case plugins.KindSource, plugins.KindSink:
		conn := p.New().(connectors.Connector)
		keys = conn.ConfigDef().Keys()
		base := connconfig.SourceConnectorConfigDef()
		if p.Kind == plugins.KindSink {
			base = connconfig.SinkConnectorConfigDef()
		}
		seen := map[string]bool{}
		for _, k := range keys {
			seen[k.Name] = true
		}
		for _, k := range base.Keys() {
			if !seen[k.Name] {
				keys = append(keys, k)
			}
		}
	case plugins.KindConverter, plugins.KindHeaderConverter, plugins.KindTransformation, plugins.KindPredicate:
		switch d := p.New().(type) {
		case interface{ ConfigDef() *configdef.Def }: // converters
			if def := d.ConfigDef(); def != nil {
				keys = def.Keys()
			}
		case interface{ Config() *configdef.Def }: // transformations and predicates
			keys = d.Config().Keys()
		}
	default:
		return badRequest("Invalid plugin class %s. Valid types are sink, source, converter, header_converter, transformation, predicate.", name)
	}
	out := make([]configKeyInfo, 0, len(keys))
	for _, k := range keys {
		if !k.Internal {
			out = append(out, toConfigKeyInfo(k))
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// normalizedPluginName strips a trailing "Connector".
func normalizedPluginName(s string) string {
	if strings.HasSuffix(s, "Connector") && len(s) > len("Connector") {
		return s[:len(s)-len("Connector")]
	}
	return s
}

func (s *Server) validateConfig(w http.ResponseWriter, r *http.Request) error {
	connType := r.PathValue("p")
	config, err := s.readConnectorConfig(w, r)
	if err != nil {
		return err
	}
	included, has := config["connector.class"]
	if has && !strings.HasSuffix(normalizedPluginName(included), normalizedPluginName(connType)) {
		return badRequest("Included connector type %s does not match request type %s", included, connType)
	}
	if err := s.checkClass(config); err != nil {
		return err
	}
	v, err := s.worker.ValidateConfig(op(r), config)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toConfigInfos(included, v, config))
	return nil
}

func (s *Server) adminRoutes(mux *http.ServeMux) {
	for _, p := range []string{"/admin/loggers", "/admin/loggers/{$}"} {
		mux.HandleFunc("GET "+p, handle(s.listLoggers))
	}
	mux.HandleFunc("GET /admin/loggers/{name}", handle(s.getLogger))
	mux.HandleFunc("PUT /admin/loggers/{name}", handle(s.setLogger))
}

func (s *Server) listLoggers(w http.ResponseWriter, r *http.Request) error {
	out := map[string]loggerLevel{}
	for n, l := range s.cfg.Loggers.All() {
		out[n] = loggerLevel{Level: l.Level, LastModified: l.LastModified}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) getLogger(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("name")
	l, ok := s.cfg.Loggers.Get(name)
	if !ok {
		return errorf(http.StatusNotFound, "Logger %s not found.", name)
	}
	writeJSON(w, http.StatusOK, loggerLevel{Level: l.Level, LastModified: l.LastModified})
	return nil
}

func (s *Server) setLogger(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("name")
	body, err := s.readBody(w, r)
	if err != nil {
		return err
	}
	var req map[string]json.RawMessage
	if err := decodeStrict(body, &req); err != nil {
		return err
	}
	var level *string
	if raw, ok := req["level"]; ok {
		if level, err = scalarString(raw); err != nil {
			return badRequest("Cannot deserialize the level: %v", err)
		}
	}
	if level == nil {
		return badRequest("Desired 'level' parameter was not specified in request.")
	}
	lvl, ok := loggers.ParseLevel(*level)
	if !ok {
		return errorf(http.StatusNotFound, "invalid log level '%s'.", *level)
	}
	scope := r.URL.Query().Get("scope")
	switch strings.ToLower(scope) {
	case "", "worker", "cluster":
	default:
		s.log.Warn().Str("scope", scope).Msg("Received invalid scope in request to adjust logging level; will default to worker")
	}
	affected := s.cfg.Loggers.Set(name, lvl)
	s.log.Info().Str("namespace", name).Str("level", lvl.Name).Msg("logging level changed")
	if strings.EqualFold(scope, "cluster") {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	writeJSON(w, http.StatusOK, affected)
	return nil
}
