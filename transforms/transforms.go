// Package transforms holds Kafka's single message transforms (SMTs) and
// predicates, and the chain that applies them to records as Kafka's
// TransformationChain does.
package transforms

import (
	"errors"
	"fmt"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
)

// Transformation rewrites one record; a nil result drops it
// (org.apache.kafka.connect.transforms.Transformation).
type Transformation interface {
	// Config describes the keys Configure accepts; the runner embeds it
	// under transforms.<alias>. for validation.
	Config() *configdef.Def
	Configure(props map[string]string) error
	// Apply must not modify r; it returns r itself or a new record.
	Apply(r *connectors.Record) (*connectors.Record, error)
	Close() error
}

// Predicate decides whether a stage's transformation applies
// (org.apache.kafka.connect.transforms.predicates.Predicate).
type Predicate interface {
	Config() *configdef.Def
	Configure(props map[string]string) error
	Test(r *connectors.Record) bool
	Close() error
}

// Stage is a transformation with its optional predicate.
type Stage struct {
	Alias     string
	Class     string // FQCN, reported by error handling
	Transform Transformation
	Predicate Predicate
	Negate    bool
}

// Chain is an ordered list of stages; the zero value passes records through.
type Chain []Stage

// ErrPanic marks a transformation or predicate that panicked: a bug, which
// Apply turns into a record failure instead of a crash.
var ErrPanic = errors.New("unexpected error in transformation")

// StageError tells which stage of a chain failed.
type StageError struct {
	Alias string
	Class string
	Err   error
}

func (e *StageError) Error() string { return e.Err.Error() }
func (e *StageError) Unwrap() error { return e.Err }

// Apply runs the stages in order; a nil record ends the chain (dropped).
// A stage with a predicate applies iff negate XOR predicate(record).
// A failing stage's error is wrapped in a *StageError.
func (c Chain) Apply(r *connectors.Record) (out *connectors.Record, err error) {
	if len(c) == 0 {
		return r, nil
	}
	var current *Stage
	defer func() {
		// A transform bug must fail the record, not the process.
		if p := recover(); p != nil {
			out, err = nil, &StageError{Alias: current.Alias, Class: current.Class, Err: fmt.Errorf("%w: %v", ErrPanic, p)}
		}
	}()
	for i := range c {
		current = &c[i]
		s := current
		if s.Predicate != nil && s.Negate == s.Predicate.Test(r) {
			continue
		}
		out, err := s.Transform.Apply(r)
		if err != nil {
			return nil, &StageError{Alias: s.Alias, Class: s.Class, Err: err}
		}
		if out == nil {
			return nil, nil
		}
		r = out
	}
	return r, nil
}

// Close releases every stage.
func (c Chain) Close() error {
	var first error
	for _, s := range c {
		if err := s.Transform.Close(); err != nil && first == nil {
			first = err
		}
		if s.Predicate != nil {
			if err := s.Predicate.Close(); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}
