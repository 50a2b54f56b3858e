// Package runner is the standalone worker: it validates and runs connectors,
// runs each task in its own goroutine, moves records between Kafka and the
// tasks, and commits source offsets (Kafka's StandaloneHerder + Worker).
package runner

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/pathpolicy"
	"github.com/connect-go/connect-standalone/offsets"
	"github.com/connect-go/connect-standalone/runner/loggers"
	"github.com/connect-go/connect-standalone/runner/metrics"
	"github.com/connect-go/connect-standalone/runner/plugins"
	"github.com/connect-go/connect-standalone/runner/providers"
	"github.com/connect-go/connect-standalone/runner/workerconfig"
)

// Options are the worker's collaborators, built by main.
type Options struct {
	Config    *workerconfig.Config
	Registry  *plugins.Registry
	Offsets   *offsets.FileStore
	Providers *providers.Transformer // nil when no config providers are configured
	Logger    zerolog.Logger
	WorkerID  string            // advertised host:port, reported in statuses
	Metrics   *metrics.Registry // nil = metrics disabled
	// Loggers, when set, names the worker's and connectors' loggers so that
	// /admin/loggers can change their levels.
	Loggers *loggers.Registry
	// Paths is connector.allowed.paths: validation refuses connector
	// configs naming files outside it, and connectors and tasks get it in
	// their Start context (pathpolicy.FromContext). nil = no restriction.
	Paths *pathpolicy.Policy
	// MaxConnectors bounds the number of connectors (0 = DefaultMaxConnectors,
	// negative = no limit).
	MaxConnectors int
}

// Errors the REST layer maps to status codes.
var (
	ErrNotFound      = errors.New("not found")
	ErrAlreadyExists = errors.New("already exists")
	ErrStopping      = errors.New("worker is stopping")
)

// BadRequestError is a client error (HTTP 400), e.g. an invalid config.
type BadRequestError struct{ Msg string }

func (e *BadRequestError) Error() string { return e.Msg }

// Worker runs connectors. Lifecycle changes are serialised by mu, as Kafka's
// herder serialises requests on one executor; task loops run concurrently.
type Worker struct {
	opts   Options
	log    zerolog.Logger
	status *statusStore

	mu       sync.Mutex
	conns    map[string]*connectorRuntime
	stopping bool

	topics *topicTracker

	persister Persister // guarded by mu
	issues    configIssues
}

// New returns a worker; nothing runs until connectors are added.
func New(opts Options) *Worker {
	log := opts.Logger
	if opts.Loggers != nil {
		log = opts.Loggers.Logger(loggers.Worker)
	}
	return &Worker{
		opts:   opts,
		log:    log,
		status: newStatusStore(opts.WorkerID, opts.Metrics),
		conns:  map[string]*connectorRuntime{},
		topics: newTopicTracker(),
	}
}

// connectorRuntime is one connector with its tasks.
type connectorRuntime struct {
	name      string
	rawConfig map[string]string // as submitted (REST echoes it unresolved)
	config    map[string]string // config providers resolved
	plugin    *plugins.Plugin
	target    TargetState
	instance  connectors.Connector // non-nil while started
	taskCfgs  []map[string]string
	tasks     []taskRunner
	// tasksFor is the rawConfig the running tasks were generated under: a
	// changed connector config restarts them even when the connector
	// returns the same task configs (Kafka's applied-config check, KAFKA-9228).
	tasksFor map[string]string
	log      zerolog.Logger
}

// taskRunner is a running task goroutine and its owner's handle on it.
type taskRunner interface {
	taskID() TaskID
	// stop asks the task to finish: stop polling, drain, commit.
	stop()
	// wait blocks until the goroutine has exited or ctx expires, in which
	// case the task is cancelled (no final commit) and wait returns ctx.Err().
	wait(ctx context.Context) error
}

// PutConnectorConfig creates (or, with allowReplace, reconfigures) a
// connector and starts it according to target. It returns whether the
// connector was created. Validation failures are *BadRequestError.
func (w *Worker) PutConnectorConfig(ctx context.Context, name string, config map[string]string, target TargetState, allowReplace bool) (bool, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.putConnectorConfigLocked(ctx, name, config, target, allowReplace)
}

func (w *Worker) putConnectorConfigLocked(ctx context.Context, name string, config map[string]string, target TargetState, allowReplace bool) (bool, error) {
	if w.stopping {
		return false, ErrStopping
	}
	if target == "" {
		target = TargetStarted
	}
	existing, exists := w.conns[name]
	if exists && !allowReplace {
		return false, fmt.Errorf("Connector %s already exists: %w", name, ErrAlreadyExists)
	}
	if !exists {
		if err := w.checkNewConnectorLocked(name); err != nil {
			return false, err
		}
	}
	resolved, plugin, err := w.validate(ctx, config)
	if err != nil {
		return false, err
	}
	if exists {
		target = existing.target
	}
	if err := w.persistLocked(ctx, Change{Name: name, Config: config, Target: target}); err != nil {
		return false, err
	}
	cr := &connectorRuntime{
		name:      name,
		rawConfig: maps.Clone(config),
		config:    resolved,
		plugin:    plugin,
		target:    target,
		log:       w.connectorLogger(plugin).With().Str("connector", name).Logger(),
	}
	if exists {
		// As StandaloneHerder: only the connector is restarted here. Its
		// tasks stay (paused, if the connector is) until task
		// reconfiguration decides whether they must restart, which for a
		// paused connector happens at resume.
		w.stopInstanceLocked(existing)
		cr.tasks, cr.taskCfgs, cr.tasksFor = existing.tasks, existing.taskCfgs, existing.tasksFor
		delete(w.conns, name)
	}
	w.conns[name] = cr
	return !exists, w.applyTargetLocked(ctx, cr)
}

// applyTargetLocked brings a connector to its target state.
func (w *Worker) applyTargetLocked(ctx context.Context, cr *connectorRuntime) error {
	switch cr.target {
	case TargetStopped:
		w.stopConnectorLocked(ctx, cr)
		w.status.putConnector(cr.name, StateStopped, nil)
		cr.log.Info().Msg("connector is stopped")
		return nil
	case TargetPaused:
		// Kafka does not start a connector created paused; a running one keeps
		// its tasks but they stop moving records.
		for _, t := range cr.tasks {
			if p, ok := t.(pausable); ok {
				p.setPaused(true)
				w.status.putTask(t.taskID(), StatePaused, nil)
			}
		}
		w.stopInstanceLocked(cr)
		w.status.putConnector(cr.name, StatePaused, nil)
		return nil
	}
	if err := w.startConnectorLocked(ctx, cr); err != nil {
		return err
	}
	for _, t := range cr.tasks {
		if p, ok := t.(pausable); ok {
			p.setPaused(false)
			// Only a paused task becomes RUNNING here: a task that just
			// failed (or has not started yet) reports its own state.
			if st, ok := w.status.task(t.taskID()); ok && st.State == StatePaused {
				w.status.putTask(t.taskID(), StateRunning, nil)
			}
		}
	}
	return nil
}

// startConnectorLocked starts the connector instance and, when the task
// configs changed, (re)starts its tasks.
func (w *Worker) startConnectorLocked(ctx context.Context, cr *connectorRuntime) error {
	if cr.instance == nil {
		inst, ok := cr.plugin.New().(connectors.Connector)
		if !ok {
			return fmt.Errorf("plugin %s is not a connector", cr.plugin.Class)
		}
		if in, ok := inst.(connectors.Initializer); ok {
			in.Initialize(newConnectorContext(w, cr, inst))
		}
		err := inst.Start(pathpolicy.NewContext(ctx, w.opts.Paths), cr.config)
		w.opts.Metrics.ConnectorStartup(err == nil)
		if err != nil {
			err = fmt.Errorf("Failed to start connector %s: %w", cr.name, err)
			w.status.putConnector(cr.name, StateFailed, err)
			cr.log.Error().Err(err).Msg("connector failed to start")
			return err
		}
		cr.instance = inst
		w.opts.Metrics.Connector(cr.name).SetInfo(cr.plugin.Class, cr.plugin.Kind.TypeName(), cr.plugin.Version)
	}
	w.status.putConnector(cr.name, StateRunning, nil)
	cr.log.Info().Str("class", cr.plugin.Class).Msg("connector started")
	return w.reconfigureTasksLocked(ctx, cr)
}

// reconfigureTasksLocked asks the started connector for task configs and
// restarts its tasks only when those changed (StandaloneHerder.updateConnectorTasks).
func (w *Worker) reconfigureTasksLocked(ctx context.Context, cr *connectorRuntime) error {
	maxTasks := atoiDefault(cr.config["tasks.max"], 1)
	cfgs, err := cr.instance.TaskConfigs(maxTasks)
	if err != nil {
		err = fmt.Errorf("failed to generate task configs for connector %s: %w", cr.name, err)
		w.status.putConnector(cr.name, StateFailed, err)
		return err
	}
	if len(cfgs) > maxTasks {
		msg := fmt.Sprintf("The connector %s has generated %d tasks, which is greater than %d, the maximum number of tasks it is configured to create. This behaviour should be considered a bug and is disallowed. If necessary, it can be permitted by reconfiguring the connector with 'tasks.max.enforce' set to false; however, this option will be removed in a future release of Kafka Connect.", cr.name, len(cfgs), maxTasks)
		if cr.config["tasks.max.enforce"] != "false" {
			err := errors.New(msg)
			w.status.putConnector(cr.name, StateFailed, err)
			return err
		}
		cr.log.Warn().Msg(msg)
	}
	taskClass := ""
	if tc, ok := cr.instance.(interface{ TaskClass() string }); ok {
		taskClass = tc.TaskClass()
	}
	for i := range cfgs {
		cfgs[i] = maps.Clone(cfgs[i])
		cfgs[i]["task.class"] = taskClass
		if cr.plugin.Kind == plugins.KindSink {
			for _, k := range []string{"topics", "topics.regex"} {
				if v, ok := cr.config[k]; ok {
					cfgs[i][k] = v
				}
			}
		}
	}
	if cr.tasks != nil && slices.EqualFunc(cfgs, cr.taskCfgs, maps.Equal) && maps.Equal(cr.tasksFor, cr.rawConfig) {
		return nil
	}
	w.stopTasksLocked(ctx, cr)
	cr.taskCfgs, cr.tasksFor = cfgs, cr.rawConfig
	for i, tcfg := range cfgs {
		id := TaskID{Connector: cr.name, Task: i}
		t, err := w.startTask(cr, id, tcfg)
		w.opts.Metrics.TaskStartup(err == nil)
		if err != nil {
			// A task that cannot be built fails alone, as in Kafka.
			w.status.putTask(id, StateFailed, err)
			cr.log.Error().Err(err).Int("task", i).Msg("failed to start task")
			continue
		}
		cr.tasks = append(cr.tasks, t)
	}
	return nil
}

// stopTasksLocked stops every task of cr within the graceful timeout.
func (w *Worker) stopTasksLocked(ctx context.Context, cr *connectorRuntime) {
	w.stopTasks(ctx, cr.tasks)
	cr.tasks, cr.taskCfgs, cr.tasksFor = nil, nil, nil
	w.status.removeTasks(cr.name)
}

// stopTasks asks all tasks to stop at once, then waits for them with one
// shared budget (task.shutdown.graceful.timeout.ms), as Kafka does.
func (w *Worker) stopTasks(ctx context.Context, tasks []taskRunner) {
	if len(tasks) == 0 {
		return
	}
	for _, t := range tasks {
		t.stop()
	}
	budget := w.opts.Config.TaskShutdownGracefulTimeout
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), budget)
	defer cancel()
	for _, t := range tasks {
		if err := t.wait(wctx); err != nil {
			w.log.Error().Str("task", t.taskID().String()).Msg("Graceful stop of task failed.")
		}
	}
}

func (w *Worker) stopConnectorLocked(ctx context.Context, cr *connectorRuntime) {
	w.stopTasksLocked(ctx, cr)
	w.stopInstanceLocked(cr)
}

// DeleteConnector stops and removes a connector.
func (w *Worker) DeleteConnector(ctx context.Context, name string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.conns[name]; !ok {
		return fmt.Errorf("Connector %s not found: %w", name, ErrNotFound)
	}
	if err := w.persistLocked(ctx, Change{Name: name, Deleted: true}); err != nil {
		return err
	}
	return w.deleteConnectorLocked(ctx, name)
}

func (w *Worker) deleteConnectorLocked(ctx context.Context, name string) error {
	cr := w.conns[name]
	w.stopConnectorLocked(ctx, cr)
	delete(w.conns, name)
	w.status.removeConnector(name)
	w.topics.reset(name)
	cr.log.Info().Msg("connector deleted")
	return nil
}

// SetTargetState pauses, resumes (STARTED) or stops a connector.
func (w *Worker) SetTargetState(ctx context.Context, name string, target TargetState) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	cr, ok := w.conns[name]
	if !ok {
		return fmt.Errorf("Connector %s not found: %w", name, ErrNotFound)
	}
	if err := w.persistLocked(ctx, Change{Name: name, Config: cr.rawConfig, Target: target}); err != nil {
		return err
	}
	cr.target = target
	return w.applyTargetLocked(ctx, cr)
}

// Connectors lists connector names, sorted.
func (w *Worker) Connectors() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Sorted(maps.Keys(w.conns))
}

// ConnectorStatus is the status of a connector and its tasks.
type ConnectorStatus struct {
	Name      string
	Type      string // "source" or "sink"
	Connector Status
	Tasks     []TaskStatus
	// ConfigIssues are problems with the connector's watched file that keep
	// its latest edit from being applied.
	ConfigIssues []ConfigIssue
}

// TaskStatus is one task's status.
type TaskStatus struct {
	ID int
	Status
}

// Status reports a connector's status.
func (w *Worker) Status(name string) (ConnectorStatus, error) {
	w.mu.Lock()
	cr, ok := w.conns[name]
	var n int
	var kind plugins.Kind
	if ok {
		n, kind = len(cr.taskCfgs), cr.plugin.Kind
	}
	w.mu.Unlock()
	st, found := w.status.connector(name)
	if !ok || !found {
		return ConnectorStatus{}, fmt.Errorf("No status found for connector %s: %w", name, ErrNotFound)
	}
	cs := ConnectorStatus{Name: name, Type: kind.TypeName(), Connector: st,
		ConfigIssues: w.configIssuesFor(func(is ConfigIssue) bool { return is.Connector == name })}
	for i := 0; i < n; i++ {
		if ts, ok := w.status.task(TaskID{name, i}); ok {
			cs.Tasks = append(cs.Tasks, TaskStatus{ID: i, Status: ts})
		}
	}
	return cs, nil
}

// Stop stops every connector: tasks get their final offset commit within
// task.shutdown.graceful.timeout.ms. No connector can be added afterwards.
func (w *Worker) Stop(ctx context.Context) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopping = true
	var all []taskRunner
	for _, cr := range w.conns {
		all = append(all, cr.tasks...)
		cr.tasks = nil
	}
	w.stopTasks(ctx, all)
	for _, cr := range w.conns {
		w.stopConnectorLocked(ctx, cr)
	}
	w.log.Info().Msg("worker stopped")
}

func atoiDefault(s string, def int) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return def
	}
	return n
}

// pausable tasks keep their resources while paused.
type pausable interface{ setPaused(bool) }

// sleepCtx waits d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
