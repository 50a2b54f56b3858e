package providers

import (
	"errors"
	"regexp"
	"sort"
	"time"
)

// variablePattern is ConfigTransformer.DEFAULT_PATTERN. RE2's non-greedy
// submatch choice equals a backtracking engine's, so groups match Java's.
var variablePattern = regexp.MustCompile(`\$\{([^}]*?):(([^}]*?):)?([^}]*?)\}`)

// Variable is one ${provider:path:key} occurrence.
type Variable struct {
	Provider, Path, Key string
}

// Variables returns the variables in value, in order.
func Variables(value string) []Variable {
	var out []Variable
	for _, m := range variablePattern.FindAllStringSubmatchIndex(value, -1) {
		out = append(out, variableAt(value, m))
	}
	return out
}

func variableAt(s string, m []int) Variable {
	v := Variable{Provider: s[m[2]:m[3]], Key: s[m[8]:m[9]]}
	if m[6] >= 0 {
		v.Path = s[m[6]:m[7]]
	}
	return v
}

// HasVariables reports whether value contains a variable reference.
func HasVariables(value string) bool { return variablePattern.MatchString(value) }

// Transformer resolves variables with a fixed set of named providers.
type Transformer struct {
	providers map[string]Provider
	observe   func(values ...string)
}

// Observe sets fn to receive every value a provider returns for a variable
// (the secrets to redact from logs and REST responses). Call it before the
// transformer is used.
func (t *Transformer) Observe(fn func(values ...string)) { t.observe = fn }

// NewTransformer wraps already configured providers keyed by name.
func NewTransformer(providers map[string]Provider) *Transformer {
	return &Transformer{providers: providers}
}

// Providers returns the configured provider names, sorted.
func (t *Transformer) Providers() []string {
	out := make([]string, 0, len(t.providers))
	for n := range t.providers {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Result is a transformation's outcome.
type Result struct {
	Data map[string]string
	// Resolved holds the keys whose value had at least one variable
	// replaced: REST must echo the raw value for these, never Data's.
	Resolved map[string]bool
	// TTLs by provider path, for providers that report one (ConfigTransformerResult.ttls).
	TTLs map[string]time.Duration
}

// Transform returns props with every resolvable variable replaced.
func (t *Transformer) Transform(props map[string]string) (map[string]string, error) {
	r, err := t.TransformResult(props)
	if err != nil {
		return nil, err
	}
	return r.Data, nil
}

// TransformResult is ConfigTransformer.transform: variables are collected
// per provider and path, each provider is asked once per path for all its
// keys, then values are substituted in one pass (no recursion). Variables
// naming an unknown provider, or a key the provider does not have, are left
// verbatim. Provider errors are returned as they are.
func (t *Transformer) TransformResult(props map[string]string) (*Result, error) {
	keysByProvider := map[string]map[string][]string{}
	for _, v := range props {
		for _, cv := range Variables(v) {
			if _, ok := t.providers[cv.Provider]; !ok {
				continue
			}
			byPath := keysByProvider[cv.Provider]
			if byPath == nil {
				byPath = map[string][]string{}
				keysByProvider[cv.Provider] = byPath
			}
			if !containsStr(byPath[cv.Path], cv.Key) {
				byPath[cv.Path] = append(byPath[cv.Path], cv.Key)
			}
		}
	}
	lookups := map[string]map[string]map[string]string{}
	res := &Result{Data: make(map[string]string, len(props)), Resolved: map[string]bool{}, TTLs: map[string]time.Duration{}}
	for _, name := range sortedKeys(keysByProvider) {
		p := t.providers[name]
		byPath := keysByProvider[name]
		lookups[name] = map[string]map[string]string{}
		for _, path := range sortedKeys(byPath) {
			keys := append([]string{}, byPath[path]...)
			sort.Strings(keys)
			var data map[string]string
			var err error
			if tp, ok := p.(TTLProvider); ok {
				var ttl time.Duration
				data, ttl, err = tp.GetWithTTL(path, keys)
				if err == nil && ttl >= 0 {
					res.TTLs[path] = ttl
				}
			} else {
				data, err = p.Get(path, keys)
			}
			if err != nil {
				return nil, err
			}
			lookups[name][path] = data
			if t.observe != nil {
				for _, v := range data {
					t.observe(v)
				}
			}
		}
	}
	for k, v := range props {
		nv, changed := replace(lookups, v)
		res.Data[k] = nv
		if changed {
			res.Resolved[k] = true
		}
	}
	return res, nil
}

func replace(lookups map[string]map[string]map[string]string, value string) (string, bool) {
	ms := variablePattern.FindAllStringSubmatchIndex(value, -1)
	if ms == nil {
		return value, false
	}
	var b []byte
	i, changed := 0, false
	for _, m := range ms {
		cv := variableAt(value, m)
		byPath, ok := lookups[cv.Provider]
		if !ok {
			continue
		}
		b = append(b, value[i:m[0]]...)
		if r, ok := byPath[cv.Path][cv.Key]; ok {
			b = append(b, r...)
			changed = true
		} else {
			b = append(b, value[m[0]:m[1]]...)
		}
		i = m[1]
	}
	b = append(b, value[i:]...)
	return string(b), changed
}

// Close closes every provider.
func (t *Transformer) Close() error {
	var errs []error
	for _, p := range t.providers {
		if err := p.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func containsStr(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
