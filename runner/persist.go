package runner

import (
	"context"
	"errors"
	"maps"
)

// Change is an accepted change to a connector's stored definition: its
// config as submitted and its target state, or its deletion.
type Change struct {
	Name    string
	Config  map[string]string // as submitted; nil when Deleted
	Target  TargetState
	Deleted bool
}

// Persister stores a change before it takes effect (the connectors.dir
// write-through). It is called with the worker's lock held, after
// validation and before the running connector is touched, so changes reach
// it in the order they are applied; an error aborts the change (a
// *BadRequestError is the client's fault, anything else the worker's).
type Persister func(ctx context.Context, c Change) error

// SetPersister installs p (nil removes it). Call it before serving REST.
func (w *Worker) SetPersister(p Persister) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.persister = p
}

// noPersistKey marks changes that come from the stored definitions
// themselves (a watched file changed): writing them back would be circular.
type noPersistKey struct{}

// PersistError is a change that could not be stored and so was not made.
type PersistError struct{ Err error }

func (e *PersistError) Error() string { return e.Err.Error() }
func (e *PersistError) Unwrap() error { return e.Err }

func (w *Worker) persistLocked(ctx context.Context, c Change) error {
	if w.persister == nil || ctx.Value(noPersistKey{}) != nil {
		return nil
	}
	err := w.persister(ctx, c)
	if err == nil || errors.As(err, new(*BadRequestError)) {
		return err
	}
	return &PersistError{Err: err}
}

// Declared is a connector as a watched file defines it.
type Declared struct {
	Name   string
	Config map[string]string
	Target TargetState // "" = STARTED
	// KeepTarget makes an existing connector keep its current target state,
	// as PUT /connectors/{c}/config does; Target then applies only on create.
	KeepTarget bool
}

// ApplyDeclared makes the connector match d, atomically with respect to
// every other lifecycle change, and touches nothing when it already does:
// an unchanged file never restarts its connector. It reports whether
// anything changed. The change is not passed to the Persister.
func (w *Worker) ApplyDeclared(ctx context.Context, d Declared) (changed bool, err error) {
	ctx = context.WithValue(ctx, noPersistKey{}, true)
	target := d.Target
	if target == "" {
		target = TargetStarted
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if cr, ok := w.conns[d.Name]; ok && maps.Equal(cr.rawConfig, d.Config) {
		if d.KeepTarget || cr.target == target {
			return false, nil
		}
		cr.target = target
		return true, w.applyTargetLocked(ctx, cr)
	}
	created, err := w.putConnectorConfigLocked(ctx, d.Name, d.Config, target, true)
	if err != nil || created || d.KeepTarget {
		return true, err
	}
	cr := w.conns[d.Name]
	if cr.target == target {
		return true, nil
	}
	cr.target = target
	return true, w.applyTargetLocked(ctx, cr)
}

// DeleteDeclared deletes a connector whose file was removed; a connector
// that is already gone is not an error. The change is not passed to the
// Persister.
func (w *Worker) DeleteDeclared(ctx context.Context, name string) (deleted bool, err error) {
	ctx = context.WithValue(ctx, noPersistKey{}, true)
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.conns[name]; !ok {
		return false, nil
	}
	return true, w.deleteConnectorLocked(ctx, name)
}

// TargetState returns a connector's target state.
func (w *Worker) TargetState(name string) (TargetState, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	cr, ok := w.conns[name]
	if !ok {
		return "", notFound("Connector %s not found", name)
	}
	return cr.target, nil
}
