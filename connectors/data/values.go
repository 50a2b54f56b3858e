package data

import (
	"math/big"
)

// MapEntry is one key/value pair of a Map.
type MapEntry struct {
	Key   any
	Value any
}

// Map is a Connect MAP value (Java Map). Entries keep insertion order; keys may
// be of any Connect type. Lookups are linear for small maps, which is the common
// case for record payloads.
type Map struct {
	Entries []MapEntry
	// Linked marks a java.util.LinkedHashMap (iteration in insertion order,
	// e.g. maps from Values.ParseString); otherwise the map renders in Java
	// HashMap iteration order (JavaString).
	Linked bool
}

// NewMap returns an empty map with room for n entries.
func NewMap(n int) *Map { return &Map{Entries: make([]MapEntry, 0, n)} }

// Len returns the number of entries.
func (m *Map) Len() int {
	if m == nil {
		return 0
	}
	return len(m.Entries)
}

func (m *Map) index(k any) int {
	if ks, ok := k.(string); ok {
		for i := range m.Entries {
			if s, ok := m.Entries[i].Key.(string); ok && s == ks {
				return i
			}
		}
		return -1
	}
	for i := range m.Entries {
		if keysEqual(m.Entries[i].Key, k) {
			return i
		}
	}
	return -1
}

// Get returns the value stored under k.
func (m *Map) Get(k any) (any, bool) {
	if m == nil {
		return nil, false
	}
	if i := m.index(k); i >= 0 {
		return m.Entries[i].Value, true
	}
	return nil, false
}

// Put sets k to v, keeping the position of an existing key (Java HashMap.put).
func (m *Map) Put(k, v any) {
	if i := m.index(k); i >= 0 {
		m.Entries[i].Value = v
		return
	}
	m.Entries = append(m.Entries, MapEntry{Key: k, Value: v})
}

// Delete removes k if present.
func (m *Map) Delete(k any) {
	if i := m.index(k); i >= 0 {
		m.Entries = append(m.Entries[:i], m.Entries[i+1:]...)
	}
}

// keysEqual is Java's equals for map keys.
func keysEqual(a, b any) bool { return ValuesEqual(a, b) }

// Decimal is the value of the Decimal logical type: Unscaled × 10^-Scale
// (java.math.BigDecimal).
type Decimal struct {
	Unscaled *big.Int
	Scale    int32
}

// Struct is a STRUCT value bound to its schema (org.apache.kafka.connect.data.Struct).
type Struct struct {
	schema *Schema
	values []any
}
