package transforms

import (
	"errors"
	"testing"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
)

func TestSetSchemaMetadataConfigDef(t *testing.T) {
	def := NewSetSchemaMetadataValue().Config()
	names := def.Names()
	if len(names) != 3 || names[0] != "schema.name" || names[1] != "schema.version" || names[2] != "replace.null.with.default" {
		t.Fatalf("keys %v", names)
	}
	k, _ := def.Key("schema.name")
	if k.Type != configdef.TypeString || k.Default != nil || !k.HasDefault() || k.Importance != configdef.High || k.Doc != "Schema name to set." {
		t.Errorf("schema.name %+v", k)
	}
	k, _ = def.Key("schema.version")
	if k.Type != configdef.TypeInt || k.Default != nil || !k.HasDefault() || k.Importance != configdef.High || k.Doc != "Schema version to set." {
		t.Errorf("schema.version %+v", k)
	}
	plugins := setSchemaMetadataPlugins()
	if len(plugins) != 2 || plugins[0].Class != "org.apache.kafka.connect.transforms.SetSchemaMetadata$Key" ||
		plugins[1].Class != "org.apache.kafka.connect.transforms.SetSchemaMetadata$Value" ||
		plugins[0].NewTransformation().(*SetSchemaMetadata).side != keySide ||
		plugins[1].NewTransformation().(*SetSchemaMetadata).side != valueSide {
		t.Fatalf("plugins %+v", plugins)
	}
}

func TestSetSchemaMetadataConfigErrors(t *testing.T) {
	for _, c := range []struct {
		props map[string]string
		msg   string
	}{
		{map[string]string{}, "Neither schema name nor version configured"},
		{map[string]string{"replace.null.with.default": "false"}, "Neither schema name nor version configured"},
		{map[string]string{"schema.version": "x"}, "Invalid value x for configuration schema.version: Not a number of type INT"},
	} {
		err := NewSetSchemaMetadataValue().Configure(c.props)
		var ce *configdef.ConfigError
		if !errors.As(err, &ce) || err.Error() != c.msg {
			t.Errorf("%v: %v", c.props, err)
		}
	}
}

// assertMatchingSchema: the struct is bound to exactly the new schema.
func assertMatchingSchema(t *testing.T, value any, schema *data.Schema) {
	t.Helper()
	s, ok := value.(*data.Struct)
	if !ok || s.Schema() != schema {
		t.Fatalf("struct %v not bound to %v", value, schema)
	}
	for i := range schema.Fields {
		f := &schema.Fields[i]
		g := s.Schema().Field(f.Name)
		if g == nil || g.Name != f.Name || g.Index != f.Index || g.Schema != f.Schema {
			t.Errorf("field %s differs", f.Name)
		}
	}
}

func TestSetSchemaMetadata(t *testing.T) {
	version42 := int32(42)
	empty := data.StructBuilder().MustBuild()

	// schemaNameUpdate
	out, err := configured(t, NewSetSchemaMetadataValue(), map[string]string{"schema.name": "foo"}).
		Apply(sinkRecord(nil, nil, empty, nil, 0))
	if err != nil || out.ValueSchema.Name != "foo" || out.ValueSchema.Version != nil {
		t.Errorf("schemaNameUpdate: %v %v", out, err)
	}

	// schemaVersionUpdate
	out, err = configured(t, NewSetSchemaMetadataValue(), map[string]string{"schema.version": "42"}).
		Apply(sinkRecord(nil, nil, empty, nil, 0))
	if err != nil || out.ValueSchema.Name != "" || out.ValueSchema.Version == nil || *out.ValueSchema.Version != 42 {
		t.Errorf("schemaVersionUpdate: %v %v", out, err)
	}

	// schemaNameAndVersionUpdate
	both := map[string]string{"schema.name": "foo", "schema.version": "42"}
	out, err = configured(t, NewSetSchemaMetadataValue(), both).Apply(sinkRecord(nil, nil, empty, nil, 0))
	want := data.StructBuilder().Name("foo").Version(42).MustBuild()
	if err != nil || !out.ValueSchema.Equal(want) || out.Value != nil {
		t.Errorf("schemaNameAndVersionUpdate: %v %v", out, err)
	}

	// schemaNameAndVersionUpdateWithStruct
	schema := data.StructBuilder().Name("my.orig.SchemaDefn").Doc("doc").Parameter("p", "v").
		Field("f1", data.StringSchema).Field("f2", data.Int32Schema).Optional().MustBuild()
	value := data.NewStruct(schema).MustPut("f1", "value1").MustPut("f2", int32(1))
	rec := sinkRecord(nil, nil, schema, value, 0)
	rec.Headers = []connectors.Header{{Key: "h", Value: "x"}}
	out, err = configured(t, NewSetSchemaMetadataValue(), both).Apply(rec)
	if err != nil {
		t.Fatalf("schemaNameAndVersionUpdateWithStruct: %v", err)
	}
	wantSchema := data.StructBuilder().Name("foo").Version(version42).Doc("doc").Parameter("p", "v").
		Field("f1", data.StringSchema).Field("f2", data.Int32Schema).Optional().MustBuild()
	if !out.ValueSchema.Equal(wantSchema) {
		t.Errorf("schema %+v", out.ValueSchema)
	}
	assertMatchingSchema(t, out.Value, out.ValueSchema)
	if got := out.Value.(*data.Struct); got.String() != "Struct{f1=value1,f2=1}" {
		t.Errorf("value %v", got)
	}
	if schema.Name != "my.orig.SchemaDefn" || schema.Version != nil || value.Schema() != schema {
		t.Error("input schema or value modified")
	}
	if len(out.Headers) != 1 || out.Topic != "test" {
		t.Errorf("record %+v", out)
	}

	// the key variant
	out, err = configured(t, NewSetSchemaMetadataKey(), map[string]string{"schema.name": "k"}).
		Apply(sinkRecord(schema, value, data.StringSchema, "v", 0))
	if err != nil || out.KeySchema.Name != "k" || out.ValueSchema != data.StringSchema || out.Value != "v" {
		t.Errorf("key: %v %v", out, err)
	}
	assertMatchingSchema(t, out.Key, out.KeySchema)
}

// SetSchemaMetadataTest.schemaNameAndVersionUpdateWithStructAndNullField
func TestSetSchemaMetadataStructAndNullField(t *testing.T) {
	schema := data.StructBuilder().Name("my.orig.SchemaDefn").
		Field("f1", data.NewSchemaBuilder(data.TypeString).Default("default").Optional().MustBuild()).
		Field("f2", data.Int32Schema).MustBuild()
	value := data.NewStruct(schema).MustPut("f1", nil).MustPut("f2", int32(1))
	for _, c := range []struct {
		replace string
		want    any
	}{{"false", nil}, {"true", "default"}} {
		props := map[string]string{"schema.name": "foo", "schema.version": "42", "replace.null.with.default": c.replace}
		out, err := configured(t, NewSetSchemaMetadataValue(), props).Apply(sinkRecord(nil, nil, schema, value, 0))
		if err != nil {
			t.Fatalf("%s: %v", c.replace, err)
		}
		if out.ValueSchema.Name != "foo" || *out.ValueSchema.Version != 42 {
			t.Errorf("%s: schema %v", c.replace, out.ValueSchema)
		}
		assertMatchingSchema(t, out.Value, out.ValueSchema)
		got, _ := out.Value.(*data.Struct).GetWithoutDefault("f1")
		if !data.ValuesEqual(got, c.want) {
			t.Errorf("%s: f1 = %v", c.replace, got)
		}
	}
}

func TestSetSchemaMetadataRequirements(t *testing.T) {
	xf := configured(t, NewSetSchemaMetadataValue(), map[string]string{"schema.name": "foo"})

	// valueSchemaRequired
	_, err := xf.Apply(sinkRecord(nil, nil, nil, int32(42), 0))
	var de *data.DataError
	if !errors.As(err, &de) || err.Error() != "Schema required for [updating schema metadata]" {
		t.Errorf("valueSchemaRequired: %v", err)
	}

	// ignoreRecordWithNullValue
	rec := sinkRecord(nil, nil, nil, nil, 0)
	out, err := xf.Apply(rec)
	if err != nil || out != rec || out.Key != nil || out.KeySchema != nil || out.Value != nil || out.ValueSchema != nil {
		t.Errorf("ignoreRecordWithNullValue: %v %v", out, err)
	}

	// Kafka copies schema.fields(), which throws for every non-struct type
	for _, s := range []*data.Schema{data.Int32Schema, data.ArrayOf(data.StringSchema), data.MapOf(data.StringSchema, data.StringSchema), data.OptionalStringSchema} {
		_, err := xf.Apply(sinkRecord(nil, nil, s, nil, 0))
		if !errors.As(err, &de) || err.Error() != "Cannot list fields on non-struct type" {
			t.Errorf("%v: %v", s, err)
		}
	}

	// a struct schema with a null value keeps the null
	schema := data.StructBuilder().Field("a", data.Int32Schema).Optional().MustBuild()
	out, err = xf.Apply(sinkRecord(nil, nil, schema, nil, 0))
	if err != nil || out.Value != nil || out.ValueSchema.Name != "foo" || !out.ValueSchema.Optional {
		t.Errorf("null struct: %v %v", out, err)
	}
}

func TestSetSchemaMetadataUpdateSchemaIn(t *testing.T) {
	xf := configured(t, NewSetSchemaMetadataValue(), map[string]string{"schema.name": "foo"})

	// updateSchemaOfStruct
	schema := data.StructBuilder().Name("my.orig.SchemaDefn").Field("f1", data.StringSchema).Field("f2", data.Int32Schema).MustBuild()
	value := data.NewStruct(schema).MustPut("f1", "value1").MustPut("f2", int32(1))
	newSchema := data.StructBuilder().Name("my.updated.SchemaDefn").Field("f1", data.StringSchema).Field("f2", data.Int32Schema).MustBuild()
	got, err := xf.updateSchemaIn(value, newSchema)
	if err != nil {
		t.Fatal(err)
	}
	assertMatchingSchema(t, got, newSchema)
	if v, _ := got.(*data.Struct).Get("f1"); v != "value1" {
		t.Errorf("f1 %v", v)
	}

	// updateSchemaOfNonStruct
	if got, err := xf.updateSchemaIn(int32(1), data.Int32Schema); err != nil || got != int32(1) {
		t.Errorf("non-struct: %v %v", got, err)
	}
	m := mapOf("a", int32(1))
	if got, _ := xf.updateSchemaIn(m, data.Int32Schema); got != m {
		t.Errorf("map: %v", got)
	}

	// updateSchemaOfNull
	if got, err := xf.updateSchemaIn(nil, data.Int32Schema); got != nil || err != nil {
		t.Errorf("null: %v %v", got, err)
	}

	// a new schema with more fields than the struct
	bigger := data.StructBuilder().Field("f1", data.StringSchema).Field("f2", data.Int32Schema).Field("f3", data.Int32Schema).MustBuild()
	if _, err := xf.updateSchemaIn(value, bigger); err == nil || err.Error() != "Index 2 out of bounds for length 2" {
		t.Errorf("bigger: %v", err)
	}
	noDefaults := configured(t, NewSetSchemaMetadataValue(), map[string]string{"schema.name": "foo", "replace.null.with.default": "false"})
	if _, err := noDefaults.updateSchemaIn(value, bigger); err == nil || err.Error() != "f3 is not a valid field name" {
		t.Errorf("bigger without defaults: %v", err)
	}
}
