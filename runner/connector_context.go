package runner

import (
	"context"
	"sync/atomic"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/connectors"
)

// connectorContext is the ConnectorContext of one started connector
// instance (Kafka's HerderConnectorContext). Requests from an instance that
// was stopped or replaced since are ignored.
type connectorContext struct {
	w       *Worker
	cr      *connectorRuntime
	inst    connectors.Connector
	pending atomic.Bool // a reconfiguration is queued and has not started
}

func newConnectorContext(w *Worker, cr *connectorRuntime, inst connectors.Connector) *connectorContext {
	return &connectorContext{w: w, cr: cr, inst: inst}
}

func (c *connectorContext) Logger() *zerolog.Logger { return &c.cr.log }

// current reports whether the instance is still the running one. Caller
// holds w.mu.
func (c *connectorContext) current() bool {
	return !c.w.stopping && c.w.conns[c.cr.name] == c.cr && c.cr.instance == c.inst
}

// RequestTaskReconfiguration recomputes the task configs on a goroutine of
// its own, since connectors may call it while the worker holds its lock
// (from Start, for instance). Requests made while one is queued coalesce.
func (c *connectorContext) RequestTaskReconfiguration() {
	if !c.pending.CompareAndSwap(false, true) {
		return
	}
	go func() {
		c.w.mu.Lock()
		defer c.w.mu.Unlock()
		c.pending.Store(false)
		if !c.current() || c.cr.target != TargetStarted {
			return
		}
		c.cr.log.Info().Msg("connector requested task reconfiguration")
		if err := c.w.reconfigureTasksLocked(context.Background(), c.cr); err != nil {
			c.cr.log.Error().Err(err).Msg("task reconfiguration failed")
		}
	}()
}

// RaiseError marks the connector FAILED; its tasks keep running, as in Kafka.
func (c *connectorContext) RaiseError(err error) {
	c.w.mu.Lock()
	defer c.w.mu.Unlock()
	if !c.current() {
		return
	}
	c.cr.log.Error().Err(err).Msg("connector raised an error")
	c.w.status.putConnector(c.cr.name, StateFailed, err)
}
