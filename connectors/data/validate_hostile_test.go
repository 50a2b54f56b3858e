package data

import (
	"errors"
	"testing"
	"time"
)

// TestValidateLogicalNameOnContainer: a container schema carrying a logical
// type's name (found by FuzzDryRunInput: a STRUCT named ...Timestamp whose
// payload the converter turned into a time.Time) is a DataError, not a panic.
func TestValidateLogicalNameOnContainer(t *testing.T) {
	for _, tc := range []struct {
		typ   Type
		value any
	}{
		{TypeStruct, time.UnixMilli(0).UTC()},
		{TypeArray, time.UnixMilli(0).UTC()},
		{TypeMap, time.UnixMilli(0).UTC()},
	} {
		b := NewSchemaBuilder(tc.typ).Name(TimestampName)
		if tc.typ == TypeArray {
			b = ArrayBuilder(StringSchema).Name(TimestampName)
		}
		if tc.typ == TypeMap {
			b = MapBuilder(StringSchema, StringSchema).Name(TimestampName)
		}
		s, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		var de *DataError
		if err := ValidateValue(s, tc.value); !errors.As(err, &de) {
			t.Errorf("%s named %s: error %v, want a DataError", tc.typ, TimestampName, err)
		}
	}
}
