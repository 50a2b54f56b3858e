package transforms

import (
	"errors"
	"testing"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
)

func TestDropHeaders(t *testing.T) {
	existing := hdrStrHeader("existing", "existing-value")
	for _, c := range []struct {
		name          string
		drop          string
		headers, want []connectors.Header
	}{
		{"dropExistingHeader", "to-drop",
			[]connectors.Header{existing, hdrStrHeader("to-drop", "existing-value")}, []connectors.Header{existing}},
		{"dropExistingHeaderWithMultipleValues", "to-drop",
			[]connectors.Header{existing, hdrStrHeader("to-drop", "existing-value"), hdrStrHeader("to-drop", "existing-other-value")},
			[]connectors.Header{existing}},
		{"dropNonExistingHeader", "to-drop", []connectors.Header{existing}, []connectors.Header{existing}},
		{"several names, order kept", "a,c",
			[]connectors.Header{hdrStrHeader("a", "1"), hdrStrHeader("b", "2"), hdrStrHeader("c", "3"), hdrStrHeader("b", "4"), hdrStrHeader("a", "5")},
			[]connectors.Header{hdrStrHeader("b", "2"), hdrStrHeader("b", "4")}},
		{"no headers", "a", nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			xform := configured(t, NewDropHeaders(), map[string]string{"headers": c.drop})
			original := hdrSourceWithHeaders(c.headers...)
			xformed, err := xform.Apply(original)
			if err != nil {
				t.Fatal(err)
			}
			if xformed == original {
				t.Error("Kafka always returns a new record")
			}
			hdrAssertNonHeaders(t, original, xformed)
			hdrAssertHeaders(t, xformed.Headers, c.want)
			hdrAssertHeaders(t, original.Headers, c.headers)
		})
	}
}

func TestDropHeadersConfig(t *testing.T) {
	for _, c := range []struct {
		props map[string]string
		want  string
	}{
		// configRejectsEmptyList
		{map[string]string{"headers": ""}, "Invalid value [] for configuration headers: Empty list"},
		{map[string]string{}, `Missing required configuration "headers" which has no default value.`},
	} {
		err := NewDropHeaders().Configure(c.props)
		var ce *configdef.ConfigError
		if !errors.As(err, &ce) || err.Error() != c.want {
			t.Errorf("Configure(%v) = %v, want %q", c.props, err, c.want)
		}
	}
	keys := NewDropHeaders().Config().Keys()
	if len(keys) != 1 || keys[0].Name != "headers" || keys[0].Type != configdef.TypeList || keys[0].HasDefault() ||
		keys[0].Importance != configdef.High || keys[0].Doc != "The name of the headers to be removed." ||
		keys[0].Validator.String() != "non-empty list" {
		t.Errorf("config def %+v", keys)
	}
	// NonEmptyListValidator on null, as in the validate endpoint.
	if err := keys[0].Validator.Validate("headers", nil); err == nil || err.Error() != "Invalid value null for configuration headers: Empty list" {
		t.Errorf("validator on null: %v", err)
	}
	if ps := dropHeadersPlugins(); len(ps) != 1 || ps[0].Class != "org.apache.kafka.connect.transforms.DropHeaders" {
		t.Errorf("plugins %+v", ps)
	}
}
