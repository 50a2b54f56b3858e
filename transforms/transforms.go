// Package transforms applies single message transforms (SMTs) and predicates
// to records, as Kafka's TransformationChain does.
package transforms

import "github.com/connect-go/connect-standalone/connectors"

// Transformation rewrites one record; a nil result drops it.
type Transformation interface {
	Configure(props map[string]string) error
	Apply(r *connectors.Record) (*connectors.Record, error)
	Close() error
}

// Predicate decides whether a stage's transformation applies.
type Predicate interface {
	Configure(props map[string]string) error
	Test(r *connectors.Record) bool
	Close() error
}

// Stage is a transformation with its optional predicate.
type Stage struct {
	Alias     string
	Transform Transformation
	Predicate Predicate
	Negate    bool
}

// Chain is an ordered list of stages; the zero value passes records through.
type Chain []Stage

// Apply runs the stages in order; a nil record ends the chain (dropped).
// A stage with a predicate applies iff negate XOR predicate(record).
func (c Chain) Apply(r *connectors.Record) (*connectors.Record, error) {
	for i := range c {
		s := &c[i]
		if s.Predicate != nil && s.Negate == s.Predicate.Test(r) {
			continue
		}
		out, err := s.Transform.Apply(r)
		if err != nil {
			return nil, err
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
