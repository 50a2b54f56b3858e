package rest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/runner"
)

func (s *Server) regularRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", handle(s.serverInfo))
	mux.HandleFunc("GET /health", s.health)

	for _, p := range []string{"/connectors", "/connectors/{$}"} {
		mux.HandleFunc("GET "+p, handle(s.listConnectors))
		mux.HandleFunc("POST "+p, handle(s.createConnector))
	}
	mux.HandleFunc("GET /connectors/{c}", handle(s.getConnector))
	mux.HandleFunc("DELETE /connectors/{c}", handle(s.deleteConnector))
	mux.HandleFunc("GET /connectors/{c}/config", handle(s.getConfig))
	mux.HandleFunc("PUT /connectors/{c}/config", handle(s.putConfig))
	mux.HandleFunc("PATCH /connectors/{c}/config", handle(s.patchConfig))
	mux.HandleFunc("GET /connectors/{c}/status", handle(s.connectorStatus))
	mux.HandleFunc("POST /connectors/{c}/restart", handle(s.restartConnector))
	mux.HandleFunc("PUT /connectors/{c}/pause", handle(s.targetState(runner.TargetPaused)))
	mux.HandleFunc("PUT /connectors/{c}/resume", handle(s.targetState(runner.TargetStarted)))
	mux.HandleFunc("PUT /connectors/{c}/stop", handle(s.targetState(runner.TargetStopped)))
	mux.HandleFunc("GET /connectors/{c}/tasks", handle(s.taskConfigs))
	mux.HandleFunc("POST /connectors/{c}/tasks", handle(func(http.ResponseWriter, *http.Request) error {
		return errorf(http.StatusInternalServerError, "Kafka Connect in standalone mode does not support externally setting task configurations.")
	}))
	mux.HandleFunc("PUT /connectors/{c}/fence", handle(func(http.ResponseWriter, *http.Request) error {
		return errorf(http.StatusInternalServerError, "Kafka Connect in standalone mode does not support exactly-once source connectors.")
	}))
	mux.HandleFunc("GET /connectors/{c}/tasks-config", handle(s.tasksConfig))
	mux.HandleFunc("GET /connectors/{c}/tasks/{t}/status", handle(s.taskStatus))
	mux.HandleFunc("POST /connectors/{c}/tasks/{t}/restart", handle(s.restartTask))
	mux.HandleFunc("GET /connectors/{c}/topics", handle(s.activeTopics))
	mux.HandleFunc("PUT /connectors/{c}/topics/reset", handle(s.resetActiveTopics))
	mux.HandleFunc("GET /connectors/{c}/offsets", handle(s.getOffsets))
	mux.HandleFunc("PATCH /connectors/{c}/offsets", handle(s.alterOffsets))
	mux.HandleFunc("DELETE /connectors/{c}/offsets", handle(s.resetOffsets))

	for _, p := range []string{"/connector-plugins", "/connector-plugins/{$}"} {
		mux.HandleFunc("GET "+p, handle(s.listPlugins))
	}
	mux.HandleFunc("GET /connector-plugins/{p}/config", handle(s.pluginConfig))
	mux.HandleFunc("PUT /connector-plugins/{p}/config/validate", handle(s.validateConfig))
}

// op is the context for worker operations: a client that disconnects does
// not abort a lifecycle change half-way.
func op(r *http.Request) context.Context { return context.WithoutCancel(r.Context()) }

func (s *Server) serverInfo(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, serverInfo{Version: s.cfg.Version, Commit: s.cfg.Commit, KafkaClusterID: s.cfg.ClusterID})
	return nil
}

func (s *Server) listConnectors(w http.ResponseWriter, r *http.Request) error {
	names := s.worker.Connectors()
	expand := r.URL.Query()["expand"]
	if len(expand) == 0 {
		if names == nil {
			names = []string{}
		}
		writeJSON(w, http.StatusOK, names)
		return nil
	}
	var out orderedObject
	out.values = map[string]any{}
	for _, name := range names {
		var exp orderedObject
		exp.values = map[string]any{}
		skip := false
		for _, e := range expand {
			switch e {
			case "status":
				st, err := s.worker.Status(name)
				if err != nil {
					skip = true // connectors without status are left out, as in Kafka
					continue
				}
				exp.set("status", toStateInfo(st))
			case "info":
				info, err := s.worker.ConnectorInfo(name)
				if err != nil {
					skip = true // deleted meanwhile
					continue
				}
				exp.set("info", toConnectorInfo(info))
			}
		}
		if !skip {
			out.set(name, exp)
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type createConnectorRequest struct {
	Name         *string         `json:"name"`
	Config       json.RawMessage `json:"config"`
	InitialState *string         `json:"initial_state"`
}

func (s *Server) createConnector(w http.ResponseWriter, r *http.Request) error {
	body, err := s.readBody(w, r)
	if err != nil {
		return err
	}
	name, config, target, err := decodeCreateRequest(body)
	if err != nil {
		return err
	}
	if err := checkAndPutName(name, config); err != nil {
		return err
	}
	if err := s.checkClass(config); err != nil {
		return err
	}
	if _, err := s.worker.PutConnectorConfig(op(r), name, config, target, false); err != nil {
		return createError(name, err)
	}
	info, err := s.worker.ConnectorInfo(name)
	if err != nil {
		return err
	}
	w.Header().Set("Location", location(r, name))
	writeJSON(w, http.StatusCreated, toConnectorInfo(info))
	return nil
}

// decodeCreateRequest decodes a POST /connectors body (CreateConnectorRequest).
func decodeCreateRequest(body []byte) (string, map[string]string, runner.TargetState, error) {
	var req createConnectorRequest
	if err := decodeStrict(body, &req); err != nil {
		return "", nil, "", err
	}
	name := ""
	if req.Name != nil {
		name = strings.TrimSpace(*req.Name)
	}
	if len(req.Config) == 0 || string(req.Config) == "null" {
		return "", nil, "", badRequest("Connector config is missing from the request")
	}
	raw, err := stringMap(req.Config, "config")
	if err != nil {
		return "", nil, "", err
	}
	config, err := nonNullStrings(raw, "config")
	if err != nil {
		return "", nil, "", err
	}
	target := runner.TargetStarted
	if req.InitialState != nil {
		if target, err = parseInitialState(*req.InitialState); err != nil {
			return "", nil, "", err
		}
	}
	return name, config, target, nil
}

func parseInitialState(s string) (runner.TargetState, error) {
	switch strings.ToUpper(s) {
	case "RUNNING":
		return runner.TargetStarted, nil
	case "PAUSED":
		return runner.TargetPaused, nil
	case "STOPPED":
		return runner.TargetStopped, nil
	}
	return "", badRequest("Cannot deserialize value of type `org.apache.kafka.connect.runtime.rest.entities.CreateConnectorRequest$InitialState` from String %q: not one of the values accepted for Enum class: [RUNNING, PAUSED, STOPPED]", s)
}

// createError maps a failed create or replace: an existing connector is
// Kafka's 409 message.
func createError(name string, err error) error {
	if statusOf(err) == http.StatusConflict {
		return errorf(http.StatusConflict, "Connector %s already exists", name)
	}
	return err
}

// checkAndPutName is ConnectorsResource.checkAndPutConnectorConfigName.
func checkAndPutName(name string, config map[string]string) error {
	if included, ok := config["name"]; ok {
		if included != name {
			return badRequest("Connector name configuration (%s) doesn't match connector name in the URL (%s)", included, name)
		}
		return nil
	}
	config["name"] = name
	return nil
}

// checkClass answers 400 for a connector.class we do not have (Kafka: 500).
func (s *Server) checkClass(config map[string]string) error {
	class := strings.TrimSpace(config["connector.class"])
	if class == "" || strings.Contains(class, "${") {
		return nil // validation reports it
	}
	if _, err := s.worker.Registry().Connector(class); err != nil {
		return badRequest("%s", err.Error())
	}
	return nil
}

func location(r *http.Request, name string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/connectors/" + url.PathEscape(name)
}

func (s *Server) getConnector(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("c")
	info, err := s.worker.ConnectorInfo(name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toConnectorInfo(info))
	return nil
}

func (s *Server) deleteConnector(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("c")
	if err := s.worker.DeleteConnector(op(r), name); err != nil {
		return notFoundAs(err, "Connector %s not found", name)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) getConfig(w http.ResponseWriter, r *http.Request) error {
	cfg, err := s.worker.ConnectorConfig(r.PathValue("c"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, cfg)
	return nil
}

// readConnectorConfig reads a body that must be a JSON object of string
// values: a connector config.
func (s *Server) readConnectorConfig(w http.ResponseWriter, r *http.Request) (map[string]string, error) {
	body, err := s.readBody(w, r)
	if err != nil {
		return nil, err
	}
	raw, err := stringMap(body, "the connector config")
	if err != nil {
		return nil, err
	}
	return nonNullStrings(raw, "the connector config")
}

func (s *Server) putConfig(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("c")
	config, err := s.readConnectorConfig(w, r)
	if err != nil {
		return err
	}
	if err := checkAndPutName(name, config); err != nil {
		return err
	}
	if err := s.checkClass(config); err != nil {
		return err
	}
	created, err := s.worker.PutConnectorConfig(op(r), name, config, runner.TargetStarted, true)
	if err != nil {
		return createError(name, err)
	}
	info, err := s.worker.ConnectorInfo(name)
	if err != nil {
		return err
	}
	code := http.StatusOK
	if created {
		w.Header().Set("Location", location(r, name))
		code = http.StatusCreated
	}
	writeJSON(w, code, toConnectorInfo(info))
	return nil
}

func (s *Server) patchConfig(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("c")
	body, err := s.readBody(w, r)
	if err != nil {
		return err
	}
	patch, err := stringMap(body, "the config patch")
	if err != nil {
		return err
	}
	if c := patch["connector.class"]; c != nil {
		if err := s.checkClass(map[string]string{"connector.class": *c}); err != nil {
			return err
		}
	}
	info, err := s.worker.PatchConnectorConfig(op(r), name, patch)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toConnectorInfo(info))
	return nil
}

func (s *Server) connectorStatus(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("c")
	st, err := s.worker.Status(name)
	if err != nil {
		return notFoundAs(err, "No status found for connector %s", name)
	}
	writeJSON(w, http.StatusOK, toStateInfo(st))
	return nil
}

// boolParam parses a query flag as JAX-RS does for a boolean: absent =
// false, "true" (any case) = true, anything else = false.
func boolParam(r *http.Request, name string) bool {
	return strings.EqualFold(r.URL.Query().Get(name), "true")
}

func (s *Server) restartConnector(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("c")
	includeTasks, onlyFailed := boolParam(r, "includeTasks"), boolParam(r, "onlyFailed")
	if !includeTasks && !onlyFailed {
		if err := s.worker.RestartConnector(op(r), name); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	plan, err := s.worker.RestartConnectorAndTasks(op(r), name, onlyFailed, includeTasks)
	if err != nil && plan.Name == "" {
		return err
	}
	writeJSON(w, http.StatusAccepted, toStateInfo(plan))
	return nil
}

func (s *Server) targetState(target runner.TargetState) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		name := r.PathValue("c")
		if err := s.worker.SetTargetState(op(r), name, target); err != nil {
			if target == runner.TargetStopped {
				return notFoundAs(err, "Connector %s not found", name)
			}
			if statusOf(err) == http.StatusNotFound {
				return errorf(http.StatusNotFound, "Unknown connector %s", name)
			}
			if errors.As(err, new(*runner.PersistError)) || statusOf(err) == http.StatusBadRequest {
				return err // not recorded: connectors.dir could not store it
			}
			// The target state is recorded even when the connector fails
			// to start; its status shows the failure (Kafka is asynchronous).
			s.log.Warn().Err(err).Str("connector", name).Str("target", string(target)).Msg("connector failed to reach its target state")
		}
		if target == runner.TargetStopped {
			w.WriteHeader(http.StatusNoContent)
		} else {
			w.WriteHeader(http.StatusAccepted)
		}
		return nil
	}
}

func (s *Server) taskConfigs(w http.ResponseWriter, r *http.Request) error {
	tasks, err := s.worker.TaskConfigs(r.PathValue("c"))
	if err != nil {
		return err
	}
	out := make([]taskInfo, 0, len(tasks))
	for _, t := range tasks {
		out = append(out, taskInfo{ID: taskID{t.ID.Connector, t.ID.Task}, Config: t.Config})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) tasksConfig(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("c")
	s.log.Warn().Msg("The 'GET /connectors/{connector}/tasks-config' endpoint is deprecated and will be removed in the next major release. Please use the 'GET /connectors/{connector}/tasks' endpoint instead.")
	tasks, err := s.worker.TaskConfigs(name)
	if err != nil {
		return err
	}
	if len(tasks) == 0 {
		return errorf(http.StatusNotFound, "Connector %s not found", name)
	}
	out := map[string]map[string]string{}
	for _, t := range tasks {
		out[t.ID.String()] = t.Config
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// taskParam parses {t}; a non-integer does not match the route (404).
func taskParam(r *http.Request) (runner.TaskID, error) {
	n, err := strconv.Atoi(r.PathValue("t"))
	if err != nil {
		return runner.TaskID{}, errNotFoundRoute
	}
	return runner.TaskID{Connector: r.PathValue("c"), Task: n}, nil
}

func (s *Server) taskStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := taskParam(r)
	if err != nil {
		return err
	}
	st, err := s.worker.TaskStatus(id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toTaskState(id.Task, st))
	return nil
}

func (s *Server) restartTask(w http.ResponseWriter, r *http.Request) error {
	id, err := taskParam(r)
	if err != nil {
		return err
	}
	if err := s.worker.RestartTask(op(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) activeTopics(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("c")
	topics, err := s.worker.ActiveTopics(name)
	if err != nil {
		return err
	}
	if topics == nil {
		topics = []string{}
	}
	writeJSON(w, http.StatusOK, map[string]activeTopics{name: {Topics: topics}})
	return nil
}

func (s *Server) resetActiveTopics(w http.ResponseWriter, r *http.Request) error {
	if err := s.worker.ResetActiveTopics(r.PathValue("c")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusAccepted)
	return nil
}

func (s *Server) getOffsets(w http.ResponseWriter, r *http.Request) error {
	offs, err := s.worker.ConnectorOffsets(r.Context(), r.PathValue("c"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toOffsets(offs))
	return nil
}

type offsetsRequest struct {
	Offsets []struct {
		Partition map[string]any `json:"partition"`
		Offset    map[string]any `json:"offset"`
	} `json:"offsets"`
}

func (s *Server) alterOffsets(w http.ResponseWriter, r *http.Request) error {
	body, err := s.readBody(w, r)
	if err != nil {
		return err
	}
	offs, err := decodeOffsets(body)
	if err != nil {
		return err
	}
	msg, err := s.worker.AlterConnectorOffsets(op(r), r.PathValue("c"), offs)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, message{Message: msg})
	return nil
}

// decodeOffsets decodes a PATCH /connectors/{c}/offsets body (ConnectorOffsets).
func decodeOffsets(body []byte) ([]connectors.PartitionOffset, error) {
	var req offsetsRequest
	if err := decodeStrict(body, &req); err != nil {
		return nil, err
	}
	offs := make([]connectors.PartitionOffset, 0, len(req.Offsets))
	for _, o := range req.Offsets {
		po := connectors.PartitionOffset{}
		if o.Partition != nil {
			po.Partition = normalizeJSON(o.Partition).(map[string]any)
		}
		if o.Offset != nil {
			po.Offset = normalizeJSON(o.Offset).(map[string]any)
		}
		offs = append(offs, po)
	}
	return offs, nil
}

func (s *Server) resetOffsets(w http.ResponseWriter, r *http.Request) error {
	msg, err := s.worker.ResetConnectorOffsets(op(r), r.PathValue("c"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, message{Message: msg})
	return nil
}
