package transforms

import (
	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
)

// Filter drops every record it sees (org.apache.kafka.connect.transforms.Filter);
// it is meant to be used with a predicate.
type Filter struct{ noClose }

// filterConfigDef is Filter.CONFIG_DEF: no keys.
var filterConfigDef = configdef.New()

// NewFilter returns a Filter.
func NewFilter() *Filter { return &Filter{} }

// Config implements Transformation.
func (*Filter) Config() *configdef.Def { return filterConfigDef }

// Configure implements Transformation; like Kafka's it reads nothing.
func (*Filter) Configure(map[string]string) error { return nil }

// Apply drops the record.
func (*Filter) Apply(*connectors.Record) (*connectors.Record, error) { return nil, nil }

func filterPlugins() []Plugin {
	return []Plugin{{Class: classPrefix + "Filter", NewTransformation: func() Transformation { return NewFilter() }}}
}
