package transforms

import (
	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
)

// DropHeaders removes every header whose key is listed
// (org.apache.kafka.connect.transforms.DropHeaders).
type DropHeaders struct {
	noClose
	headers map[string]bool
}

const dropHeadersHeadersConfig = "headers"

// dropHeadersConfigDef is DropHeaders.CONFIG_DEF.
var dropHeadersConfigDef = configdef.New().
	Define(configdef.Key{Name: dropHeadersHeadersConfig, Type: configdef.TypeList, Default: configdef.NoDefault,
		Validator: nonEmptyList(), Importance: configdef.High, Doc: "The name of the headers to be removed."})

// NewDropHeaders returns an unconfigured DropHeaders.
func NewDropHeaders() *DropHeaders { return &DropHeaders{} }

// Config implements Transformation.
func (*DropHeaders) Config() *configdef.Def { return dropHeadersConfigDef }

// Configure implements Transformation.
func (t *DropHeaders) Configure(props map[string]string) error {
	v, err := parseConfig(dropHeadersConfigDef, props)
	if err != nil {
		return err
	}
	t.headers = map[string]bool{}
	for _, h := range v.List(dropHeadersHeadersConfig) {
		t.headers[h] = true
	}
	return nil
}

// Apply returns a copy of r without the listed headers.
func (t *DropHeaders) Apply(r *connectors.Record) (*connectors.Record, error) {
	var kept []connectors.Header
	for _, h := range r.Headers {
		if !t.headers[h.Key] {
			kept = append(kept, h)
		}
	}
	out := r.NewRecord(r.Topic, r.Partition, r.KeySchema, r.Key, r.ValueSchema, r.Value)
	out.Headers = kept
	return out, nil
}

func dropHeadersPlugins() []Plugin {
	return []Plugin{{Class: classPrefix + "DropHeaders", NewTransformation: func() Transformation { return NewDropHeaders() }}}
}
