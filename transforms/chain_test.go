package transforms

import (
	"errors"
	"testing"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
)

// chainTestPredicate and chainTestTransformation are the test doubles of
// Kafka's PredicatedTransformationTest / TransformationStageTest.
type chainTestPredicate struct {
	result bool
	tested int
	closed bool
}

func (p *chainTestPredicate) Config() *configdef.Def            { return nil }
func (p *chainTestPredicate) Configure(map[string]string) error { return nil }
func (p *chainTestPredicate) Test(*connectors.Record) bool      { p.tested++; return p.result }
func (p *chainTestPredicate) Close() error                      { p.closed = true; return nil }

type chainTestTransformation struct {
	out     *connectors.Record
	applied int
	closed  bool
}

func (t *chainTestTransformation) Config() *configdef.Def            { return nil }
func (t *chainTestTransformation) Configure(map[string]string) error { return nil }
func (t *chainTestTransformation) Apply(*connectors.Record) (*connectors.Record, error) {
	t.applied++
	return t.out, nil
}
func (t *chainTestTransformation) Close() error { t.closed = true; return nil }

// TransformationStageTest.apply / PredicatedTransformationTest.apply: the
// stage applies its transformation iff negate XOR predicate, and closing
// the chain closes both.
func TestChainStagePredicateAndNegate(t *testing.T) {
	initial := &connectors.Record{SourcePartition: map[string]any{"initial": 1}, Partition: connectors.NoPartition}
	transformed := &connectors.Record{SourcePartition: map[string]any{"transformed": 2}, Partition: connectors.NoPartition}
	for _, c := range []struct {
		predicateResult, negate bool
		want                    *connectors.Record
	}{
		{true, false, transformed},
		{true, true, initial},
		{false, false, initial},
		{false, true, transformed},
	} {
		p := &chainTestPredicate{result: c.predicateResult}
		tr := &chainTestTransformation{out: transformed}
		chain := Chain{{Alias: "t", Class: "test", Transform: tr, Predicate: p, Negate: c.negate}}
		got, err := chain.Apply(initial)
		if err != nil || got != c.want {
			t.Errorf("predicate %v negate %v: got %v, %v; want %v", c.predicateResult, c.negate, got, err, c.want)
		}
		if p.tested != 1 {
			t.Errorf("predicate tested %d times", p.tested)
		}
		if applied := tr.applied == 1; applied != (c.want == transformed) {
			t.Errorf("transformation applied %d times", tr.applied)
		}
		if err := chain.Close(); err != nil {
			t.Fatal(err)
		}
		if !p.closed || !tr.closed {
			t.Errorf("closed: predicate %v, transformation %v", p.closed, tr.closed)
		}
	}
}

// The documented example: drop records of topic foo, and apply an SMT to
// every topic but bar, with the built-in predicates.
func TestChainWithBuiltInPredicates(t *testing.T) {
	isFoo := configured(t, NewTopicNameMatches(), map[string]string{"pattern": "foo"})
	isBar := configured(t, NewTopicNameMatches(), map[string]string{"pattern": "bar"})
	insert := configured(t, NewInsertHeader(), map[string]string{"header": "seen", "value.literal": "true"})
	chain := Chain{
		{Alias: "Filter", Class: classPrefix + "Filter", Transform: NewFilter(), Predicate: isFoo},
		{Alias: "Mark", Class: classPrefix + "InsertHeader", Transform: insert, Predicate: isBar, Negate: true},
	}
	for _, c := range []struct {
		topic    string
		dropped  bool
		withMark bool
	}{
		{"foo", true, false},
		{"bar", false, false},
		{"baz", false, true},
	} {
		got, err := chain.Apply(predRecordWithTopic(c.topic))
		if err != nil {
			t.Fatal(err)
		}
		if (got == nil) != c.dropped {
			t.Errorf("%s: dropped %v", c.topic, got == nil)
			continue
		}
		if got != nil && (len(got.Headers) == 1) != c.withMark {
			t.Errorf("%s: headers %v", c.topic, hdrString(got.Headers))
		}
	}
}

// Tombstones dropped by Filter under RecordIsTombstone; a header predicate
// negated keeps only the records carrying it.
func TestChainTombstonesAndHeaders(t *testing.T) {
	tomb := configured(t, NewRecordIsTombstone(), nil)
	hasKey := configured(t, NewHasHeaderKey(), map[string]string{"name": "keep"})
	chain := Chain{
		{Alias: "dropTombstones", Transform: NewFilter(), Predicate: tomb},
		{Alias: "keepMarked", Transform: NewFilter(), Predicate: hasKey, Negate: true},
	}
	marked := sourceRecord(nil, nil, nil, "v")
	marked.Headers = []connectors.Header{hdrStrHeader("keep", "1")}
	markedTombstone := sourceRecord(nil, nil, nil, nil)
	markedTombstone.Headers = marked.Headers
	for _, c := range []struct {
		name string
		r    *connectors.Record
		kept bool
	}{
		{"marked", marked, true},
		{"unmarked", sourceRecord(nil, nil, nil, "v"), false},
		{"marked tombstone", markedTombstone, false},
	} {
		got, err := chain.Apply(c.r)
		if err != nil || (got != nil) != c.kept || got != nil && got != c.r {
			t.Errorf("%s: got %v, %v; kept want %v", c.name, got, err, c.kept)
		}
	}
}

// A failing stage reports its alias and class; the records after a drop
// never reach later stages.
func TestChainStageErrorAndDrop(t *testing.T) {
	router := configured(t, NewRegexRouter(), map[string]string{"regex": "(.*)", "replacement": "$2"})
	later := &chainTestTransformation{out: sourceRecord(nil, nil, nil, nil)}
	chain := Chain{
		{Alias: "route", Class: classPrefix + "RegexRouter", Transform: router},
		{Alias: "later", Class: "later", Transform: later},
	}
	_, err := chain.Apply(sourceRecord(nil, nil, nil, "v"))
	var se *StageError
	if !errors.As(err, &se) || se.Alias != "route" || se.Class != classPrefix+"RegexRouter" || err.Error() != "No group 2" {
		t.Fatalf("error %T %v", err, err)
	}
	if later.applied != 0 {
		t.Error("later stage ran after a failure")
	}

	drop := Chain{{Alias: "drop", Transform: NewFilter()}, {Alias: "later", Transform: later}}
	if got, err := drop.Apply(sourceRecord(nil, nil, nil, "v")); got != nil || err != nil || later.applied != 0 {
		t.Errorf("after Filter: %v, %v, later applied %d", got, err, later.applied)
	}
}
