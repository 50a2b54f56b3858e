package transforms

// Plugins lists every built-in transformation and predicate class.
func Plugins() []Plugin {
	var list []Plugin
	for _, group := range [][]Plugin{
		insertFieldPlugins(), replaceFieldPlugins(), maskFieldPlugins(), valueToKeyPlugins(), hoistFieldPlugins(),
		extractFieldPlugins(), flattenPlugins(), castPlugins(), setSchemaMetadataPlugins(),
		timestampConverterPlugins(), timestampRouterPlugins(),
		filterPlugins(), insertHeaderPlugins(), dropHeadersPlugins(), headerFromPlugins(), regexRouterPlugins(),
		predicatesPlugins(),
	} {
		list = append(list, group...)
	}
	return list
}
