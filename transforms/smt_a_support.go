package transforms

import (
	"github.com/connect-go/connect-standalone/connectors/data"
)

// Helpers shared by InsertField, ReplaceField, MaskField, ValueToKey and
// HoistField. Names carry the smta prefix so that they cannot clash with
// helpers written for other SMTs of this package.

// smtaHashSetOrder returns the distinct strings of list in the iteration
// order of a java.util.HashSet built from it, which decides which of
// several failing fields Kafka reports first.
func smtaHashSetOrder(list []string) []string {
	set := data.NewMap(len(list))
	for _, s := range list {
		set.Put(s, nil)
	}
	out := make([]string, 0, set.Len())
	for _, i := range set.IterationOrder() {
		out = append(out, set.Entries[i].Key.(string))
	}
	return out
}

// smtaCopyMap returns a java.util.HashMap copy of m (new HashMap<>(m)).
func smtaCopyMap(m *data.Map) *data.Map {
	c := data.NewMap(m.Len())
	for _, i := range m.IterationOrder() {
		e := m.Entries[i]
		c.Put(e.Key, e.Value)
	}
	return c
}

// smtaGet reads a schemaless map entry the way Map<String, Object>.get
// does.
func smtaGet(m *data.Map, key string) any {
	v, _ := m.Get(key)
	return v
}
