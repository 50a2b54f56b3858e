package plugins

import (
	"github.com/connect-go/connect-standalone/connectors/file"
	"github.com/connect-go/connect-standalone/connectors/tail"
	"github.com/connect-go/connect-standalone/converters"
	"github.com/connect-go/connect-standalone/transforms"
)

// Builtins lists every plugin compiled into the binary. An explicit list is
// easy to read, test and diff; there is no init() registration.
func Builtins() []Plugin {
	list := []Plugin{
		{Class: file.SourceClass, Kind: KindSource, Version: file.Version, New: func() any { return file.NewSourceConnector() }},
		{Class: file.SinkClass, Kind: KindSink, Version: file.Version, New: func() any { return file.NewSinkConnector() }},
		{Class: tail.Class, Kind: KindSource, Version: tail.Version, New: func() any { return tail.NewConnector() }},
	}
	for _, c := range converters.Plugins() {
		if c.NewConverter != nil {
			list = append(list, Plugin{Class: c.Class, Kind: KindConverter, Version: file.Version, New: func() any { return c.NewConverter() }})
		}
		if c.NewHeaderConverter != nil {
			list = append(list, Plugin{Class: c.Class, Kind: KindHeaderConverter, Version: file.Version, New: func() any { return c.NewHeaderConverter() }})
		}
	}
	for _, t := range transforms.Plugins() {
		if t.NewTransformation != nil {
			list = append(list, Plugin{Class: t.Class, Kind: KindTransformation, Version: file.Version, New: func() any { return t.NewTransformation() }})
		} else {
			list = append(list, Plugin{Class: t.Class, Kind: KindPredicate, Version: file.Version, New: func() any { return t.NewPredicate() }})
		}
	}
	for _, p := range []string{"All", "None", "Principal"} {
		list = append(list, Plugin{Class: "org.apache.kafka.connect.connector.policy." + p + "ConnectorClientConfigOverridePolicy", Kind: KindOverridePolicy, Version: file.Version, New: func() any { return p }})
	}
	return list
}
