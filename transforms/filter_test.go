package transforms

import (
	"testing"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/data"
)

func TestFilterDropsEverything(t *testing.T) {
	f := configured(t, NewFilter(), map[string]string{"ignored": "x"})
	for _, r := range []*connectors.Record{
		sourceRecord(nil, "k", nil, "v"),
		sinkRecord(data.StringSchema, "k", nil, nil, 3),
		sourceRecord(nil, nil, nil, nil),
	} {
		got, err := f.Apply(r)
		if got != nil || err != nil {
			t.Errorf("Apply(%+v) = %v, %v; want nil, nil", r, got, err)
		}
	}
	if n := len(f.Config().Keys()); n != 0 {
		t.Errorf("Filter defines %d keys", n)
	}
	if err := f.Close(); err != nil {
		t.Error(err)
	}
	if ps := filterPlugins(); len(ps) != 1 || ps[0].Class != "org.apache.kafka.connect.transforms.Filter" ||
		ps[0].NewTransformation == nil || ps[0].NewPredicate != nil {
		t.Errorf("plugins %+v", ps)
	}
}
