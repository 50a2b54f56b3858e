package transforms

import (
	"errors"
	"strings"

	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
)

// Helpers shared by InsertField, ReplaceField, MaskField, ValueToKey and
// HoistField. Names carry the smta prefix so that they cannot clash with
// helpers written for other SMTs of this package.

// smtaNonEmptyList is org.apache.kafka.connect.transforms.util.NonEmptyListValidator:
// "Invalid value [] for configuration <name>: Empty list".
func smtaNonEmptyList() configdef.Validator {
	return configdef.Func(func(_ string, value any) error {
		if l, _ := value.([]string); len(l) == 0 {
			return errors.New("Empty list")
		}
		return nil
	}, "non-empty list")
}

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

// smtaClassCastError is the ClassCastException a JDK 17 throws when v is
// cast to the java.base class target (a plain RuntimeException in Kafka,
// not a DataException).
func smtaClassCastError(v any, target string) error {
	from := data.JavaClassName(v)
	where := func(class string) string {
		if strings.HasPrefix(class, "java.") || strings.HasPrefix(class, "[") {
			return "is in module java.base of loader 'bootstrap'"
		}
		return "is in unnamed module of loader 'app'"
	}
	var detail string
	if where(from) == where(target) {
		detail = from + " and " + target + " are" + strings.TrimPrefix(where(from), "is")
	} else {
		detail = from + " " + where(from) + "; " + target + " " + where(target)
	}
	return errors.New("class " + from + " cannot be cast to class " + target + " (" + detail + ")")
}
