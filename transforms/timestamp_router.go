package transforms

import (
	"strings"
	"sync"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
	"github.com/connect-go/connect-standalone/transforms/internal/simpledate"
)

// TimestampRouter config keys.
const (
	tsRouterTopicFormat     = "topic.format"
	tsRouterTimestampFormat = "timestamp.format"
)

var timestampRouterConfigDef = configdef.New().
	Define(configdef.Key{Name: tsRouterTopicFormat, Type: configdef.TypeString, Default: "${topic}-${timestamp}", Importance: configdef.High,
		Doc: "Format string which can contain <code>${topic}</code> and <code>${timestamp}</code> as placeholders for the topic and timestamp, respectively."}).
	Define(configdef.Key{Name: tsRouterTimestampFormat, Type: configdef.TypeString, Default: "yyyyMMdd", Importance: configdef.High,
		Doc: "Format string for the timestamp that is compatible with <code>java.text.SimpleDateFormat</code>."})

// TimestampRouter renames the topic from a format of the original topic and
// the record timestamp (org.apache.kafka.connect.transforms.TimestampRouter).
type TimestampRouter struct {
	topicFormat string
	pattern     string

	// Kafka builds the SimpleDateFormat lazily (one per thread) in apply, so
	// an invalid pattern fails each record rather than configure.
	once      sync.Once
	format    *simpledate.Format
	formatErr error
	noClose
}

// NewTimestampRouter returns a TimestampRouter.
func NewTimestampRouter() *TimestampRouter { return &TimestampRouter{} }

func timestampRouterPlugins() []Plugin {
	return []Plugin{
		{Class: classPrefix + "TimestampRouter", NewTransformation: func() Transformation { return NewTimestampRouter() }},
	}
}

// Config returns TimestampRouter.CONFIG_DEF.
func (t *TimestampRouter) Config() *configdef.Def { return timestampRouterConfigDef }

// Configure parses props. The timestamp format is not checked here, as in
// Kafka.
func (t *TimestampRouter) Configure(props map[string]string) error {
	v, err := parseConfig(timestampRouterConfigDef, props)
	if err != nil {
		return err
	}
	t.topicFormat = v.String(tsRouterTopicFormat)
	t.pattern = v.String(tsRouterTimestampFormat)
	t.once = sync.Once{}
	t.format, t.formatErr = nil, nil
	return nil
}

// Apply replaces ${topic} and ${timestamp} in the topic format; a record
// without a timestamp is an error.
func (t *TimestampRouter) Apply(r *connectors.Record) (*connectors.Record, error) {
	if !r.HasTimestamp {
		return nil, &data.DataError{Msg: "Timestamp missing on record: " + r.JavaString()}
	}
	t.once.Do(func() { t.format, t.formatErr = simpledate.Compile(t.pattern) })
	if t.formatErr != nil {
		return nil, t.formatErr // IllegalArgumentException from new SimpleDateFormat
	}
	formatted := t.format.FormatMillis(r.Timestamp)
	topic := strings.ReplaceAll(t.topicFormat, "${topic}", r.Topic)
	topic = strings.ReplaceAll(topic, "${timestamp}", formatted)
	return r.NewRecord(topic, r.Partition, r.KeySchema, r.Key, r.ValueSchema, r.Value), nil
}
