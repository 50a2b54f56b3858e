// Package plugins resolves the class names users write in configs (Java FQCNs
// or aliases) to the built-in Go implementations, with Kafka's alias rules
// (PluginUtils.computeAliases, Plugins.connectorClass).
package plugins

import (
	"fmt"
	"sort"
	"strings"
)

// Kind is a plugin type (PluginType in Kafka).
type Kind int

const (
	KindSource Kind = iota + 1
	KindSink
	KindConverter
	KindHeaderConverter
	KindTransformation
	KindPredicate
	KindConfigProvider
	KindOverridePolicy
)

// AllKinds lists every kind in declaration order.
func AllKinds() []Kind {
	return []Kind{KindSource, KindSink, KindConverter, KindHeaderConverter, KindTransformation, KindPredicate, KindConfigProvider, KindOverridePolicy}
}

// suffix is the type suffix Kafka strips to build the short alias.
func (k Kind) suffix() string {
	switch k {
	case KindSource, KindSink:
		return "Connector"
	case KindConverter:
		return "Converter"
	case KindHeaderConverter:
		return "HeaderConverter"
	case KindTransformation:
		return "Transformation"
	case KindPredicate:
		return "Predicate"
	case KindConfigProvider:
		return "ConfigProvider"
	case KindOverridePolicy:
		return "ConnectorClientConfigOverridePolicy"
	}
	return ""
}

// TypeName is the lower-case name Kafka's REST API reports for the kind.
func (k Kind) TypeName() string {
	switch k {
	case KindSource:
		return "source"
	case KindSink:
		return "sink"
	case KindConverter:
		return "converter"
	case KindHeaderConverter:
		return "header_converter"
	case KindTransformation:
		return "transformation"
	case KindPredicate:
		return "predicate"
	case KindConfigProvider:
		return "config_provider"
	case KindOverridePolicy:
		return "connector_client_config_override_policy"
	}
	return "unknown"
}

// Plugin describes one built-in implementation.
type Plugin struct {
	Class   string // Java FQCN, nested classes with '$'
	Kind    Kind
	Version string
	New     func() any
}

// SimpleName is Java's Class.getSimpleName: the part after the last '.' and '$'.
func (p *Plugin) SimpleName() string {
	s := p.Class[strings.LastIndexByte(p.Class, '.')+1:]
	return s[strings.LastIndexByte(s, '$')+1:]
}

func (p *Plugin) prunedName() string {
	s := p.SimpleName()
	if suf := p.Kind.suffix(); strings.HasSuffix(s, suf) && len(s) > len(suf) {
		return s[:len(s)-len(suf)]
	}
	return s
}

// String renders the plugin as Kafka's PluginDesc.toString does; it appears in
// "available connectors are: ..." messages.
func (p *Plugin) String() string {
	return fmt.Sprintf("PluginDesc{klass=class %s, name='%s', version='%s', encodedVersion=%s, type=%s, typeName='%s', location='classpath'}",
		p.Class, p.Class, p.Version, p.Version, p.Kind.TypeName(), p.Kind.TypeName())
}

// Registry maps names to plugins. It is immutable after New.
type Registry struct {
	byKind  map[Kind][]*Plugin
	byClass map[Kind]map[string]*Plugin
	aliases map[string]string // alias -> class, only unambiguous aliases
}

// New builds a registry and computes aliases across all kinds: the simple
// name and the simple name without the kind suffix; an alias claimed by two
// distinct classes is dropped (so InsertField$Key has none).
func New(list []Plugin) *Registry {
	r := &Registry{byKind: map[Kind][]*Plugin{}, byClass: map[Kind]map[string]*Plugin{}, aliases: map[string]string{}}
	claims := map[string]map[string]bool{}
	for i := range list {
		p := &list[i]
		if r.byClass[p.Kind] == nil {
			r.byClass[p.Kind] = map[string]*Plugin{}
		}
		if _, dup := r.byClass[p.Kind][p.Class]; dup {
			panic("plugins: duplicate " + p.Class)
		}
		r.byClass[p.Kind][p.Class] = p
		r.byKind[p.Kind] = append(r.byKind[p.Kind], p)
		for _, a := range []string{p.SimpleName(), p.prunedName()} {
			if claims[a] == nil {
				claims[a] = map[string]bool{}
			}
			claims[a][p.Class] = true
		}
	}
	for a, classes := range claims {
		if len(classes) == 1 {
			for c := range classes {
				if c != a {
					r.aliases[a] = c
				}
			}
		}
	}
	for _, ps := range r.byKind {
		sort.Slice(ps, func(i, j int) bool { return ps[i].Class < ps[j].Class })
	}
	return r
}

// List returns the plugins of the given kinds, sorted by class name.
func (r *Registry) List(kinds ...Kind) []*Plugin {
	var out []*Plugin
	for _, k := range kinds {
		out = append(out, r.byKind[k]...)
	}
	return out
}

// Lookup resolves a class name or alias for one kind.
func (r *Registry) Lookup(kind Kind, name string) (*Plugin, bool) {
	if p, ok := r.byClass[kind][name]; ok {
		return p, true
	}
	if c, ok := r.aliases[name]; ok {
		if p, ok := r.byClass[kind][c]; ok {
			return p, true
		}
	}
	return nil, false
}

// Connector resolves a connector.class value to a source or sink plugin.
// Beyond aliases it accepts a simple name with or without the "Connector"
// suffix, as Plugins.connectorClass does, and reports Kafka's errors.
func (r *Registry) Connector(name string) (*Plugin, error) {
	for _, k := range []Kind{KindSource, KindSink} {
		if p, ok := r.Lookup(k, name); ok {
			return p, nil
		}
	}
	var matches []*Plugin
	for _, p := range r.List(KindSource, KindSink) {
		s := p.SimpleName()
		if s == name || s == name+"Connector" {
			matches = append(matches, p)
		}
	}
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		all := r.List(KindSource, KindSink)
		descs := make([]string, len(all))
		for i, p := range all {
			descs[i] = p.String()
		}
		return nil, fmt.Errorf("Failed to find any class that implements Connector and which name matches %s, available connectors are: %s", name, strings.Join(descs, ", "))
	default:
		return nil, fmt.Errorf("More than one connector matches alias %s. Please use full package and class name instead. Classes found: %s", name, matches)
	}
}

// ClassNotFound is Kafka's message for a CLASS config naming nothing we have.
func ClassNotFound(name string) error {
	return fmt.Errorf("Class %s could not be found.", name)
}
