package converters

// Plugin is one converter class for the plugin registry.
type Plugin struct {
	Class              string                 // Java fully-qualified class name
	NewConverter       func() Converter       // nil if not a Converter
	NewHeaderConverter func() HeaderConverter // nil if not a HeaderConverter
}

// Plugins lists every converter with Kafka's class name.
func Plugins() []Plugin {
	num := func(class string, mk func() *NumberConverter) Plugin {
		return Plugin{class, func() Converter { return mk() }, func() HeaderConverter { return mk().AsHeaderConverter() }}
	}
	return []Plugin{
		{"org.apache.kafka.connect.json.JsonConverter",
			func() Converter { return NewJSONConverter() },
			func() HeaderConverter { return NewJSONConverter().AsHeaderConverter() }},
		{"org.apache.kafka.connect.storage.StringConverter",
			func() Converter { return &StringConverter{} },
			func() HeaderConverter { return (&StringConverter{}).AsHeaderConverter() }},
		{"org.apache.kafka.connect.converters.ByteArrayConverter",
			func() Converter { return ByteArrayConverter{} },
			func() HeaderConverter { return ByteArrayConverter{}.AsHeaderConverter() }},
		num("org.apache.kafka.connect.converters.ShortConverter", NewShortConverter),
		num("org.apache.kafka.connect.converters.IntegerConverter", NewIntegerConverter),
		num("org.apache.kafka.connect.converters.LongConverter", NewLongConverter),
		num("org.apache.kafka.connect.converters.FloatConverter", NewFloatConverter),
		num("org.apache.kafka.connect.converters.DoubleConverter", NewDoubleConverter),
		{"org.apache.kafka.connect.converters.BooleanConverter",
			func() Converter { return BooleanConverter{} },
			func() HeaderConverter { return BooleanConverter{}.AsHeaderConverter() }},
		{"org.apache.kafka.connect.storage.SimpleHeaderConverter", nil,
			func() HeaderConverter { return &SimpleHeaderConverter{} }},
	}
}
