// Package chainconfig turns a connector config's transforms and predicates
// keys into a validated ConfigDef (ConnectorConfig.enrich) and a running
// transformation chain (ConnectorConfig.transformationStages), resolving
// class names through the plugin registry.
package chainconfig

import (
	"fmt"
	"strings"

	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/runner/plugins"
	"github.com/connect-go/connect-standalone/transforms"
)

const (
	transformsConfig = "transforms"
	predicatesConfig = "predicates"
	predicateConfig  = "predicate"
	negateConfig     = "negate"
)

// kind describes one of the two alias families (EnrichablePlugin).
type kind struct {
	name   string // "Transformation" or "Predicate"
	list   string // "transforms" or "predicates"
	group  string
	plugin plugins.Kind
	config func(p *plugins.Plugin) *configdef.Def
}

var (
	transformationKind = kind{name: "Transformation", list: transformsConfig, group: "Transforms", plugin: plugins.KindTransformation,
		config: func(p *plugins.Plugin) *configdef.Def { return p.New().(transforms.Transformation).Config() }}
	predicateKind = kind{name: "Predicate", list: predicatesConfig, group: "Predicates", plugin: plugins.KindPredicate,
		config: func(p *plugins.Plugin) *configdef.Def { return p.New().(transforms.Predicate).Config() }}
)

// Enrich returns a copy of base with, for every alias in transforms and
// predicates, the key <list>.<alias>.type and the plugin's own keys under
// <list>.<alias>. (transformations also get predicate and negate). With
// requireFull false a bad type only fails its own key, as the validate
// endpoint needs; with requireFull true it is returned as an error.
func Enrich(reg *plugins.Registry, base *configdef.Def, props map[string]string, requireFull bool) (*configdef.Def, error) {
	d := base.Clone()
	for _, k := range []kind{transformationKind, predicateKind} {
		if err := k.enrich(reg, d, props, requireFull); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func (k kind) enrich(reg *plugins.Registry, d *configdef.Def, props map[string]string, requireFull bool) error {
	raw, ok := props[k.list]
	if !ok {
		return nil
	}
	seen := map[string]bool{}
	for _, alias := range configdef.SplitList(raw) {
		if seen[alias] {
			continue
		}
		seen[alias] = true
		prefix := k.list + "." + alias + "."
		typeKey := prefix + "type"
		group := k.group + ": " + alias
		lower := strings.ToLower(k.name)
		d.Define(configdef.Key{
			Name: typeKey, Type: configdef.TypeClass, Default: configdef.NoDefault,
			Validator: configdef.Func(func(name string, value any) error {
				if k.plugin == plugins.KindTransformation {
					if err := negateWithoutPredicate(props, prefix); err != nil {
						return err
					}
				}
				_, err := k.resolve(reg, name, value)
				return err
			}, "valid configs for "+alias+" "+lower),
			Importance: configdef.High, Doc: "Class for the '" + alias + "' " + lower + ".",
			Group: group, OrderInGroup: 0, Width: configdef.WidthLong, DisplayName: k.name + " type for " + alias,
			Recommender: classRecommender{reg: reg, kind: k.plugin},
		})
		child := configdef.New()
		if k.plugin == plugins.KindTransformation {
			child.Define(configdef.Key{Name: predicateConfig, Type: configdef.TypeString, Default: "", Importance: configdef.Medium,
				Doc: "The alias of a predicate used to determine whether to apply this transformation."})
			child.Define(configdef.Key{Name: negateConfig, Type: configdef.TypeBoolean, Default: false, Importance: configdef.Medium,
				Doc: "Whether the configured predicate should be negated."})
		}
		var typeValue any
		if v, set := props[typeKey]; set {
			typeValue = strings.TrimSpace(v)
		}
		p, err := k.resolve(reg, typeKey, typeValue)
		if err == nil {
			err = negateWithoutPredicate(props, prefix)
		}
		if err != nil {
			if requireFull {
				return err
			}
			continue
		}
		for _, key := range k.config(p).Keys() {
			// The implicit keys mask a plugin's own keys of the same name.
			if k.plugin == plugins.KindTransformation && (key.Name == predicateConfig || key.Name == negateConfig) {
				continue
			}
			child.Define(key)
		}
		d.Embed(prefix, group, 1, child)
	}
	return nil
}

// resolve finds the plugin a type key names, with Kafka's messages for a
// missing, unknown, abstract or wrong-kind class.
func (k kind) resolve(reg *plugins.Registry, key string, value any) (*plugins.Plugin, error) {
	name, _ := value.(string)
	if value == nil || name == "" {
		return nil, configdef.NewConfigError(key, nil, "Not a "+k.name)
	}
	if p, ok := reg.Lookup(k.plugin, name); ok {
		return p, nil
	}
	if children := abstractChildren(reg, k.plugin, name); len(children) > 0 {
		return nil, configdef.NewConfigError(key, "class "+name,
			k.name+" is abstract and cannot be created. Did you mean "+strings.Join(children, ", ")+"?")
	}
	for _, other := range plugins.AllKinds() {
		if other == k.plugin {
			continue
		}
		if p, ok := reg.Lookup(other, name); ok {
			return nil, configdef.NewConfigError(key, "class "+p.Class, "Not a "+k.name)
		}
	}
	return nil, configdef.NewConfigError(key, name, plugins.ClassNotFound(name).Error())
}

// abstractChildren lists X$Key and X$Value when name is the abstract outer
// class X of a key/value SMT.
func abstractChildren(reg *plugins.Registry, kind plugins.Kind, name string) []string {
	var out []string
	for _, suffix := range []string{"$Key", "$Value"} {
		if p, ok := reg.Lookup(kind, name+suffix); ok && p.Class == name+suffix {
			out = append(out, p.Class)
		}
	}
	return out
}

func negateWithoutPredicate(props map[string]string, prefix string) error {
	_, hasNegate := props[prefix+negateConfig]
	_, hasPredicate := props[prefix+predicateConfig]
	if hasNegate && !hasPredicate {
		return &configdef.ConfigError{Name: prefix + negateConfig, Msg: "Config '" + prefix + negateConfig + "' was provided but there is no config '" +
			prefix + predicateConfig + "' defining a predicate to be negated."}
	}
	return nil
}

// classRecommender recommends every built-in class of a kind (ClassRecommender).
type classRecommender struct {
	reg  *plugins.Registry
	kind plugins.Kind
}

func (c classRecommender) ValidValues(string, map[string]any) ([]any, error) {
	var out []any
	for _, p := range c.reg.List(c.kind) {
		out = append(out, p.Class)
	}
	return out, nil
}

func (c classRecommender) Visible(string, map[string]any) (bool, error) { return true, nil }

// Build instantiates and configures the chain a connector config describes
// (ConnectorConfig.transformationStages). The config must have passed
// validation; errors name the alias and key at fault.
func Build(reg *plugins.Registry, props map[string]string) (chain transforms.Chain, err error) {
	defer func() {
		if err != nil {
			chain.Close()
			chain = nil
		}
	}()
	for _, alias := range configdef.SplitList(props[transformsConfig]) {
		prefix := transformsConfig + "." + alias + "."
		p, err := transformationKind.resolve(reg, prefix+"type", trimmedOrNil(props, prefix+"type"))
		if err != nil {
			return chain, err
		}
		tr := p.New().(transforms.Transformation)
		cfg := withPrefix(props, prefix)
		predicateAlias, hasPredicate := cfg[predicateConfig]
		negate := strings.EqualFold(strings.TrimSpace(cfg[negateConfig]), "true")
		delete(cfg, predicateConfig)
		delete(cfg, negateConfig)
		if err := tr.Configure(cfg); err != nil {
			return chain, fmt.Errorf("transformation %s (%s): %w", alias, p.Class, err)
		}
		stage := transforms.Stage{Alias: alias, Class: p.Class, Transform: tr, Negate: negate}
		chain = append(chain, stage)
		if hasPredicate && predicateAlias != "" {
			pprefix := predicatesConfig + "." + predicateAlias + "."
			pp, err := predicateKind.resolve(reg, pprefix+"type", trimmedOrNil(props, pprefix+"type"))
			if err != nil {
				return chain, fmt.Errorf("predicate %s of transformation %s: %w", predicateAlias, alias, err)
			}
			pred := pp.New().(transforms.Predicate)
			if err := pred.Configure(withPrefix(props, pprefix)); err != nil {
				return chain, fmt.Errorf("predicate %s (%s): %w", predicateAlias, pp.Class, err)
			}
			chain[len(chain)-1].Predicate = pred
		}
	}
	return chain, nil
}

// CheckPredicateAliases reports transforms whose predicate alias is not
// listed in predicates. Kafka accepts such a config and fails when the task
// starts; we report it at validation, keyed by the transform's predicate key.
func CheckPredicateAliases(props map[string]string) map[string][]string {
	listed := map[string]bool{}
	for _, a := range configdef.SplitList(props[predicatesConfig]) {
		listed[a] = true
	}
	errs := map[string][]string{}
	for _, alias := range configdef.SplitList(props[transformsConfig]) {
		key := transformsConfig + "." + alias + "." + predicateConfig
		if p, ok := props[key]; ok && p != "" && !listed[p] {
			errs[key] = append(errs[key], fmt.Sprintf("Invalid value %s for configuration %s: predicate alias %s is not listed in %s",
				p, key, p, predicatesConfig))
		}
	}
	return errs
}

func trimmedOrNil(props map[string]string, key string) any {
	if v, ok := props[key]; ok {
		return strings.TrimSpace(v)
	}
	return nil
}

func withPrefix(props map[string]string, prefix string) map[string]string {
	out := map[string]string{}
	for k, v := range props {
		if rest, ok := strings.CutPrefix(k, prefix); ok {
			out[rest] = v
		}
	}
	return out
}
