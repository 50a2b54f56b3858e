package runner

import (
	"fmt"
	"sync"

	"github.com/connect-go/connect-standalone/runner/metrics"
)

// State is a connector or task state as the status API reports it
// (AbstractStatus.State).
type State string

const (
	StateUnassigned State = "UNASSIGNED"
	StateRunning    State = "RUNNING"
	StatePaused     State = "PAUSED"
	StateFailed     State = "FAILED"
	StateRestarting State = "RESTARTING"
	StateStopped    State = "STOPPED"
)

// TargetState is what the user asked a connector to be (TargetState).
type TargetState string

const (
	TargetStarted TargetState = "STARTED"
	TargetPaused  TargetState = "PAUSED"
	TargetStopped TargetState = "STOPPED"
)

// ParseInitialState maps a connector file's or REST body's initial_state
// (RUNNING, PAUSED, STOPPED; empty means RUNNING) to a target state.
func ParseInitialState(s string) (TargetState, error) {
	switch s {
	case "", "RUNNING", "running", "Running":
		return TargetStarted, nil
	case "PAUSED", "paused", "Paused":
		return TargetPaused, nil
	case "STOPPED", "stopped", "Stopped":
		return TargetStopped, nil
	}
	return "", fmt.Errorf("invalid initial_state %q: expected RUNNING, PAUSED or STOPPED", s)
}

// TaskID names a task: "<connector>-<index>" in logs.
type TaskID struct {
	Connector string
	Task      int
}

func (id TaskID) String() string { return fmt.Sprintf("%s-%d", id.Connector, id.Task) }

// Status is one status entry: state plus the failure trace, if any.
type Status struct {
	State    State
	Trace    string
	WorkerID string
}

// statusStore keeps the latest status of connectors and tasks in memory
// (MemoryStatusBackingStore). Safe for concurrent use.
type statusStore struct {
	mu         sync.RWMutex
	connectors map[string]Status
	tasks      map[TaskID]Status
	workerID   string
	metrics    *metrics.Registry // mirrors statuses into the status metrics; nil = off
}

func newStatusStore(workerID string, m *metrics.Registry) *statusStore {
	return &statusStore{connectors: map[string]Status{}, tasks: map[TaskID]Status{}, workerID: workerID, metrics: m}
}

func (s *statusStore) putConnector(name string, st State, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.connectors[name] = Status{State: st, Trace: trace(err), WorkerID: s.workerID}
	s.metrics.Connector(name).SetStatus(string(st))
}

func (s *statusStore) putTask(id TaskID, st State, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tasks[id] = Status{State: st, Trace: trace(err), WorkerID: s.workerID}
	s.metrics.Task(id.Connector, id.Task).SetStatus(string(st))
}

func (s *statusStore) connector(name string) (Status, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st, ok := s.connectors[name]
	return st, ok
}

func (s *statusStore) task(id TaskID) (Status, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st, ok := s.tasks[id]
	return st, ok
}

func (s *statusStore) removeTasks(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id := range s.tasks {
		if id.Connector == name {
			delete(s.tasks, id)
		}
	}
	s.metrics.RemoveTasks(name)
}

func (s *statusStore) removeConnector(name string) {
	s.removeTasks(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.connectors, name)
	s.metrics.RemoveConnector(name)
}

// trace renders an error the way clients see a status trace: the error chain,
// outermost first, in Java's "Caused by:" style.
func trace(err error) string {
	if err == nil {
		return ""
	}
	if jt, ok := err.(interface{ JavaTrace() string }); ok {
		return jt.JavaTrace()
	}
	return err.Error()
}
