package runner

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/runner/plugins"
)

// NotFoundError is a 404 whose message the REST layer shows as is.
// errors.Is(err, ErrNotFound) holds for it.
type NotFoundError struct{ Msg string }

func (e *NotFoundError) Error() string        { return e.Msg }
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

func notFound(format string, args ...any) error {
	return &NotFoundError{Msg: fmt.Sprintf(format, args...)}
}

// ConnectorInfo is a connector's raw config and task ids (REST ConnectorInfo).
type ConnectorInfo struct {
	Name   string
	Config map[string]string // as submitted: ${provider:...} unresolved
	Tasks  []TaskID
	Type   string // "source" or "sink"
}

// TaskInfo is one task's id and config (REST TaskInfo).
type TaskInfo struct {
	ID     TaskID
	Config map[string]string
}

// Registry is the plugin registry the worker resolves classes with.
func (w *Worker) Registry() *plugins.Registry { return w.opts.Registry }

// WorkerID is the advertised host:port reported in statuses.
func (w *Worker) WorkerID() string { return w.opts.WorkerID }

// ConnectorInfo returns a connector's config and task ids.
func (w *Worker) ConnectorInfo(name string) (ConnectorInfo, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	cr, ok := w.conns[name]
	if !ok {
		return ConnectorInfo{}, notFound("Connector %s not found", name)
	}
	return w.infoLocked(cr), nil
}

func (w *Worker) infoLocked(cr *connectorRuntime) ConnectorInfo {
	info := ConnectorInfo{Name: cr.name, Config: maps.Clone(cr.rawConfig), Tasks: []TaskID{}, Type: cr.plugin.Kind.TypeName()}
	for i := range cr.taskCfgs {
		info.Tasks = append(info.Tasks, TaskID{Connector: cr.name, Task: i})
	}
	return info
}

// ConnectorConfig returns the connector's config as submitted.
func (w *Worker) ConnectorConfig(name string) (map[string]string, error) {
	info, err := w.ConnectorInfo(name)
	return info.Config, err
}

// TaskConfigs returns the connector's task configs with every key whose
// submitted value holds a ${provider:...} variable shown unresolved, as
// Kafka's reverseTransform does.
func (w *Worker) TaskConfigs(name string) ([]TaskInfo, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	cr, ok := w.conns[name]
	if !ok {
		return nil, notFound("Connector %s not found", name)
	}
	out := make([]TaskInfo, 0, len(cr.taskCfgs))
	for i, cfg := range cr.taskCfgs {
		c := maps.Clone(cfg)
		for k, raw := range cr.rawConfig {
			if _, ok := c[k]; ok && strings.Contains(raw, "${") {
				c[k] = raw
			}
		}
		out = append(out, TaskInfo{ID: TaskID{Connector: name, Task: i}, Config: c})
	}
	return out, nil
}

// TaskStatus reports one task's status.
func (w *Worker) TaskStatus(id TaskID) (Status, error) {
	st, ok := w.status.task(id)
	if !ok {
		return Status{}, notFound("No status found for task %s", id)
	}
	return st, nil
}

// PatchConnectorConfig applies a patch (nil removes a key) to the submitted
// config and reconfigures the connector (KIP-477).
func (w *Worker) PatchConnectorConfig(ctx context.Context, name string, patch map[string]*string) (ConnectorInfo, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	cr, ok := w.conns[name]
	if !ok {
		return ConnectorInfo{}, notFound("Connector %s not found", name)
	}
	cfg := maps.Clone(cr.rawConfig)
	for k, v := range patch {
		if v == nil {
			delete(cfg, k)
		} else {
			cfg[k] = *v
		}
	}
	if _, err := w.putConnectorConfigLocked(ctx, name, cfg, "", true); err != nil {
		return ConnectorInfo{}, err
	}
	return w.infoLocked(w.conns[name]), nil
}

// RestartConnector restarts the connector instance only; its tasks are
// restarted if the regenerated task configs differ (the 204 restart).
func (w *Worker) RestartConnector(ctx context.Context, name string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	cr, ok := w.conns[name]
	if !ok {
		return notFound("Connector %s not found", name)
	}
	w.stopInstanceLocked(cr)
	return w.applyTargetLocked(ctx, cr)
}

// stopInstanceLocked stops the connector instance, leaving its tasks.
func (w *Worker) stopInstanceLocked(cr *connectorRuntime) {
	if cr.instance != nil {
		if err := cr.instance.Stop(); err != nil {
			cr.log.Warn().Err(err).Msg("error while stopping connector")
		}
		cr.instance = nil
	}
}

// RestartConnectorAndTasks restarts what the plan selects: the connector
// iff !onlyFailed or it FAILED; each task iff includeTasks and (!onlyFailed
// or it FAILED). It returns the plan as a status in which every selected
// instance is RESTARTING (Kafka's RestartPlan); the restart itself is done
// before returning.
func (w *Worker) RestartConnectorAndTasks(ctx context.Context, name string, onlyFailed, includeTasks bool) (ConnectorStatus, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	cr, ok := w.conns[name]
	if !ok {
		return ConnectorStatus{}, notFound("Unknown connector: %s", name)
	}
	st, ok := w.status.connector(name)
	if !ok {
		return ConnectorStatus{}, notFound("Status for connector %s not found", name)
	}
	plan := ConnectorStatus{Name: name, Type: cr.plugin.Kind.TypeName(), Connector: st}
	restartConn := !onlyFailed || st.State == StateFailed
	if restartConn {
		plan.Connector = Status{State: StateRestarting, WorkerID: w.opts.WorkerID}
	}
	var ids []int
	for i := range cr.taskCfgs {
		ts, ok := w.status.task(TaskID{name, i})
		if !ok {
			continue
		}
		if includeTasks && (!onlyFailed || ts.State == StateFailed) {
			ids = append(ids, i)
			ts = Status{State: StateRestarting, WorkerID: w.opts.WorkerID}
		}
		plan.Tasks = append(plan.Tasks, TaskStatus{ID: i, Status: ts})
	}
	if restartConn {
		w.status.putConnector(name, StateRestarting, nil)
	}
	for _, i := range ids {
		w.status.putTask(TaskID{name, i}, StateRestarting, nil)
	}

	if restartConn {
		w.stopInstanceLocked(cr)
	}
	w.stopTaskIDsLocked(ctx, cr, ids)
	var err error
	if restartConn {
		err = w.applyTargetLocked(ctx, cr)
	}
	if cr.target != TargetStopped {
		w.startTaskIDsLocked(cr, ids)
	}
	return plan, err
}

// RestartTask stops a task and starts it again with the same config.
func (w *Worker) RestartTask(ctx context.Context, id TaskID) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	cr, ok := w.conns[id.Connector]
	if !ok {
		return notFound("Connector %s not found", id.Connector)
	}
	if id.Task < 0 || id.Task >= len(cr.taskCfgs) {
		return notFound("Task %s not found", id)
	}
	w.stopTaskIDsLocked(ctx, cr, []int{id.Task})
	if failed := w.startTaskIDsLocked(cr, []int{id.Task}); len(failed) > 0 {
		return fmt.Errorf("Failed to start task: %s", id)
	}
	return nil
}

// stopTaskIDsLocked stops the running tasks with these indexes and removes
// them from cr.tasks; their configs stay.
func (w *Worker) stopTaskIDsLocked(ctx context.Context, cr *connectorRuntime, ids []int) {
	if len(ids) == 0 {
		return
	}
	var stop, keep []taskRunner
	for _, t := range cr.tasks {
		if slices.Contains(ids, t.taskID().Task) {
			stop = append(stop, t)
		} else {
			keep = append(keep, t)
		}
	}
	w.stopTasks(ctx, stop)
	if keep == nil {
		keep = []taskRunner{} // non-nil: the task configs are still current
	}
	cr.tasks = keep
}

// startTaskIDsLocked starts the tasks with these indexes that are not
// running, honouring a PAUSED target; it returns those that failed to start.
func (w *Worker) startTaskIDsLocked(cr *connectorRuntime, ids []int) (failed []TaskID) {
	for _, i := range ids {
		if i >= len(cr.taskCfgs) || slices.ContainsFunc(cr.tasks, func(t taskRunner) bool { return t.taskID().Task == i }) {
			continue
		}
		id := TaskID{Connector: cr.name, Task: i}
		t, err := w.startTaskDetached(cr, id, cr.taskCfgs[i])
		if err != nil {
			w.status.putTask(id, StateFailed, err)
			cr.log.Error().Err(err).Int("task", i).Msg("failed to start task")
			failed = append(failed, id)
			continue
		}
		if p, ok := t.(pausable); ok && cr.target == TargetPaused {
			p.setPaused(true)
			w.status.putTask(id, StatePaused, nil)
		}
		cr.tasks = append(cr.tasks, t)
	}
	return failed
}

// Ping waits until the worker can serve a request (its lock is free) or ctx
// ends; GET /health uses it.
func (w *Worker) Ping(ctx context.Context) error {
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		if w.mu.TryLock() {
			w.mu.Unlock()
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// ErrTopicTrackingDisabled and ErrTopicResetDisabled are 403s.
var (
	ErrTopicTrackingDisabled = errors.New("Topic tracking is disabled.")
	ErrTopicResetDisabled    = errors.New("Topic tracking reset is disabled.")
)

// ActiveTopics lists the topics a connector's tasks have used since it was
// created or its topics were last reset, sorted. Unknown connectors have none.
func (w *Worker) ActiveTopics(name string) ([]string, error) {
	if !w.opts.Config.TopicTrackingEnable {
		return nil, ErrTopicTrackingDisabled
	}
	return w.topics.get(name), nil
}

// ResetActiveTopics forgets the connector's active topics.
func (w *Worker) ResetActiveTopics(name string) error {
	if !w.opts.Config.TopicTrackingEnable {
		return ErrTopicTrackingDisabled
	}
	if !w.opts.Config.TopicTrackingAllowReset {
		return ErrTopicResetDisabled
	}
	w.topics.reset(name)
	return nil
}

// connectorLogger is the logger of a connector and its tasks: named after
// the connector class when loggers are managed.
func (w *Worker) connectorLogger(p *plugins.Plugin) zerolog.Logger {
	if w.opts.Loggers == nil {
		return w.log
	}
	return w.opts.Loggers.Logger(p.Class)
}

// startTaskDetached starts a task also while the connector instance is
// stopped (a PAUSED connector keeps its tasks but not its instance): tasks
// only need an instance to be created, so an unstarted one stands in.
func (w *Worker) startTaskDetached(cr *connectorRuntime, id TaskID, props map[string]string) (taskRunner, error) {
	if cr.instance != nil {
		return w.startTask(cr, id, props)
	}
	inst, ok := cr.plugin.New().(connectors.Connector)
	if !ok {
		return nil, fmt.Errorf("plugin %s is not a connector", cr.plugin.Class)
	}
	cr.instance = inst
	defer func() { cr.instance = nil }()
	return w.startTask(cr, id, props)
}
