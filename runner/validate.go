package runner

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/pathpolicy"
	"github.com/connect-go/connect-standalone/runner/chainconfig"
	"github.com/connect-go/connect-standalone/runner/connconfig"
	"github.com/connect-go/connect-standalone/runner/plugins"
)

// Validation is the outcome of validating a connector config: every key's
// ConfigValue (framework keys first, then the connector's), as the validate
// endpoint reports them.
type Validation struct {
	Plugin *plugins.Plugin
	Values []configdef.ConfigValue
	// Defs are the definitions the values were checked against, in order
	// (framework keys, then the connector's): the validate endpoint's
	// "definition" entries and groups come from them.
	Defs []*configdef.Def
}

// ErrorCount is the number of error messages (ConfigInfos.error_count).
func (v *Validation) ErrorCount() int {
	n := 0
	for _, cv := range v.Values {
		n += len(cv.Errors)
	}
	return n
}

// Messages lists every error message in order.
func (v *Validation) Messages() []string {
	var out []string
	for _, cv := range v.Values {
		out = append(out, cv.Errors...)
	}
	return out
}

// ValidateConfig validates a connector config as AbstractHerder does. A
// config without connector.class is a *BadRequestError; an unknown class is a
// plain error (HTTP 500 in Kafka).
func (w *Worker) ValidateConfig(ctx context.Context, config map[string]string) (*Validation, error) {
	resolved, err := w.resolve(config)
	if err != nil {
		return nil, err
	}
	class := strings.TrimSpace(resolved["connector.class"])
	if class == "" {
		return nil, &BadRequestError{Msg: fmt.Sprintf("Connector config %s contains no connector type", javaMapString(config))}
	}
	plugin, err := w.opts.Registry.Connector(class)
	if err != nil {
		return nil, err
	}
	conn := plugin.New().(connectors.Connector)

	var def *configdef.Def
	if plugin.Kind == plugins.KindSink {
		def = connconfig.SinkConnectorConfigDef()
	} else {
		def = connconfig.SourceConnectorConfigDef()
	}
	// A bad transform type only fails its own key here (requireFull=false).
	def, err = chainconfig.Enrich(w.opts.Registry, def, resolved, false)
	if err != nil {
		return nil, err
	}
	v := &Validation{Plugin: plugin}
	v.Values = def.Validate(resolved)
	if plugin.Kind == plugins.KindSink {
		v.Values = connconfig.AttachErrors(v.Values, connconfig.ValidateSinkTopics(resolved))
	}
	for _, key := range []string{"key.converter", "value.converter", "header.converter"} {
		c := strings.TrimSpace(resolved[key])
		if c == "" {
			continue
		}
		kind := plugins.KindConverter
		if key == "header.converter" {
			kind = plugins.KindHeaderConverter
		}
		if _, ok := w.opts.Registry.Lookup(kind, c); !ok {
			attachErrors(v.Values, map[string][]string{key: {fmt.Sprintf("Invalid value %s for configuration %s: Class %s could not be found.", c, key, c)}})
		}
	}
	attachErrors(v.Values, chainconfig.CheckPredicateAliases(resolved))
	attachErrors(v.Values, w.checkOverridePolicy(plugin.Kind, resolved))
	v.Values = append(v.Values, conn.ConfigDef().Validate(resolved)...)
	if d, ok := conn.(pathpolicy.Declarer); ok {
		attachErrors(v.Values, w.opts.Paths.CheckUses(d.LocalPaths(resolved), config))
	}
	v.Defs = []*configdef.Def{def, conn.ConfigDef()}
	return v, nil
}

// validate validates for create/update and returns the resolved config.
func (w *Worker) validate(ctx context.Context, config map[string]string) (map[string]string, *plugins.Plugin, error) {
	v, err := w.ValidateConfig(ctx, config)
	if err != nil {
		return nil, nil, err
	}
	if n := v.ErrorCount(); n > 0 {
		return nil, nil, &BadRequestError{Msg: fmt.Sprintf("Connector configuration is invalid and contains the following %d error(s):\n%s\nYou can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`",
			n, strings.Join(v.Messages(), "\n"))}
	}
	resolved, err := w.resolve(config)
	if err != nil {
		return nil, nil, err
	}
	return resolved, v.Plugin, nil
}

// resolve substitutes ${provider:path:key} variables.
func (w *Worker) resolve(config map[string]string) (map[string]string, error) {
	if w.opts.Providers == nil {
		return maps.Clone(config), nil
	}
	return w.opts.Providers.Transform(config)
}

// attachErrors adds messages to the ConfigValues of the named keys.
func attachErrors(values []configdef.ConfigValue, errs map[string][]string) {
	for i := range values {
		if msgs, ok := errs[values[i].Name]; ok {
			values[i].Errors = append(values[i].Errors, msgs...)
		}
	}
}

// checkOverridePolicy applies connector.client.config.override.policy to
// producer.override.*, consumer.override.* and admin.override.* keys.
func (w *Worker) checkOverridePolicy(kind plugins.Kind, cfg map[string]string) map[string][]string {
	policy := strings.TrimSpace(w.opts.Config.ConnectorClientConfigOverridePolicy)
	short := policy[strings.LastIndexByte(policy, '.')+1:]
	short = strings.TrimSuffix(short, "ConnectorClientConfigOverridePolicy")
	var allowed func(string) bool
	switch short {
	case "All", "":
		return nil
	case "None":
		allowed = func(string) bool { return false }
	case "Principal":
		allowed = func(k string) bool {
			return k == "sasl.jaas.config" || k == "sasl.mechanism" || k == "security.protocol"
		}
	default:
		return map[string][]string{"connector.class": {fmt.Sprintf("unknown connector.client.config.override.policy %s", policy)}}
	}
	errs := map[string][]string{}
	for _, k := range slices.Sorted(maps.Keys(cfg)) {
		for _, prefix := range []string{"producer.override.", "consumer.override.", "admin.override."} {
			if strings.HasPrefix(k, prefix) && !allowed(k[len(prefix):]) {
				errs["connector.class"] = append(errs["connector.class"],
					fmt.Sprintf("The '%s' policy does not allow '%s' to be overridden in the connector configuration.", short, k[len(prefix):]))
			}
		}
	}
	return errs
}

// javaMapString renders a string map like Java's AbstractMap.toString.
func javaMapString(m map[string]string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range slices.Sorted(maps.Keys(m)) {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k + "=" + m[k])
	}
	b.WriteByte('}')
	return b.String()
}
