package runner

import "fmt"

// Bounds on what REST callers can make the worker hold. Kafka has neither;
// a sidecar should not grow without limit because a caller loops on
// POST /connectors.
const (
	// DefaultMaxConnectors is used when Options.MaxConnectors is 0.
	DefaultMaxConnectors = 1000
	// MaxConnectorNameBytes bounds connector names: they become metric
	// labels, log fields and (with connectors.dir) file names, which most
	// file systems cap at 255 bytes.
	MaxConnectorNameBytes = 255
)

// checkNewConnectorLocked applies the bounds to a connector about to be
// created (replacing an existing one is always allowed). Caller holds w.mu.
func (w *Worker) checkNewConnectorLocked(name string) error {
	if len(name) > MaxConnectorNameBytes {
		return &BadRequestError{Msg: fmt.Sprintf("Connector name is %d bytes long; the limit is %d bytes", len(name), MaxConnectorNameBytes)}
	}
	limit := w.opts.MaxConnectors
	if limit == 0 {
		limit = DefaultMaxConnectors
	}
	if limit > 0 && len(w.conns) >= limit {
		return &BadRequestError{Msg: fmt.Sprintf("Cannot create connector %s: the worker already runs %d connectors, its limit", name, len(w.conns))}
	}
	return nil
}
