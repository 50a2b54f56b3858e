package transforms

import (
	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
)

// InsertHeader adds a header with a configured literal value to every
// record (org.apache.kafka.connect.transforms.InsertHeader).
type InsertHeader struct {
	noClose
	header string
	schema *data.Schema
	value  any
}

const (
	insertHeaderHeaderConfig       = "header"
	insertHeaderValueLiteralConfig = "value.literal"
)

// insertHeaderConfigDef is InsertHeader.CONFIG_DEF.
var insertHeaderConfigDef = configdef.New().
	Define(configdef.Key{Name: insertHeaderHeaderConfig, Type: configdef.TypeString, Default: configdef.NoDefault,
		Validator: configdef.NonNull(), Importance: configdef.High, Doc: "The name of the header."}).
	Define(configdef.Key{Name: insertHeaderValueLiteralConfig, Type: configdef.TypeString, Default: configdef.NoDefault,
		Validator: configdef.NonNull(), Importance: configdef.High,
		Doc: "The literal value that is to be set as the header value on all records."})

// NewInsertHeader returns an unconfigured InsertHeader.
func NewInsertHeader() *InsertHeader { return &InsertHeader{} }

// Config implements Transformation.
func (*InsertHeader) Config() *configdef.Def { return insertHeaderConfigDef }

// Configure reads the header name and parses the literal as
// Values.parseString does (e.g. "42" is an INT8, "true" a BOOLEAN,
// "null" a null header).
func (t *InsertHeader) Configure(props map[string]string) error {
	v, err := parseConfig(insertHeaderConfigDef, props)
	if err != nil {
		return err
	}
	schema, value, err := data.ParseString(v.String(insertHeaderValueLiteralConfig))
	if err != nil {
		return err
	}
	t.header, t.schema, t.value = v.String(insertHeaderHeaderConfig), schema, value
	return nil
}

// Apply returns a copy of r with the header appended after the existing
// ones (headers with the same key are kept).
func (t *InsertHeader) Apply(r *connectors.Record) (*connectors.Record, error) {
	out := r.NewRecord(r.Topic, r.Partition, r.KeySchema, r.Key, r.ValueSchema, r.Value)
	out.Headers = append(out.Headers, connectors.Header{Key: t.header, Schema: t.schema, Value: t.value})
	return out, nil
}

func insertHeaderPlugins() []Plugin {
	return []Plugin{{Class: classPrefix + "InsertHeader", NewTransformation: func() Transformation { return NewInsertHeader() }}}
}
