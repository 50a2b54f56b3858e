package configfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
)

// Initial states of a connector (CreateConnectorRequest.InitialState).
const (
	StateRunning = "RUNNING"
	StatePaused  = "PAUSED"
	StateStopped = "STOPPED"
)

// ConnectorFile is a parsed connector configuration (CreateConnectorRequest).
type ConnectorFile struct {
	Name         string
	Config       map[string]string
	InitialState string // "", RUNNING, PAUSED or STOPPED; "" means the default (RUNNING)
	// NullKeys lists config keys given as JSON null; Kafka keeps them as null
	// and validation then reports "Null value can not be supplied as the
	// configuration value." for each.
	NullKeys []string
}

// FileError is a connector-file failure. Error() is Kafka's exact message;
// Attempts records why the earlier forms were rejected (Kafka logs those at
// DEBUG: "Could not parse connector configuration file ...").
type FileError struct {
	Msg      string
	Attempts []error
}

func (e *FileError) Error() string { return e.Msg }

// Unwrap exposes the rejected attempts.
func (e *FileError) Unwrap() []error { return e.Attempts }

// errNotThisForm means the input does not have the shape being tried, so the
// next form is tried (Jackson's StreamReadException/DatabindException).
var errNotThisForm = errors.New("not this form")

func missingName(path string) string {
	return "Connector configuration at '" + path + "' is missing the mandatory 'name' configuration"
}

// ParseConnectorFile reads a connector file trying, regardless of extension
// and in Kafka's order (ConnectStandalone.parseConnectorConfigurationFile):
// a flat JSON string map, a POST /connectors-shaped JSON object, then
// java.util.Properties. Consequently an invalid initial_state makes the JSON
// forms fail and the file is read as properties, which normally ends in the
// missing-'name' error — exactly what Kafka reports.
func ParseConnectorFile(path string) (ConnectorFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return ConnectorFile{}, err
	}
	cf, err := ParseConnectorJSON(data, path)
	if err == nil {
		return cf, nil
	}
	var nj *notJSONError
	if !errors.As(err, &nj) {
		return ConnectorFile{}, err
	}
	attempts := nj.attempts
	props, perr := ParseProperties(data)
	if perr != nil {
		return ConnectorFile{}, &FileError{Msg: path + ":" + perr.Error(), Attempts: attempts}
	}
	name, ok := props["name"]
	if !ok {
		return ConnectorFile{}, &FileError{Msg: missingName(path), Attempts: attempts}
	}
	return ConnectorFile{Name: name, Config: props}, nil
}

// notJSONError reports that neither JSON form applies.
type notJSONError struct {
	source   string
	attempts []error
}

func (e *notJSONError) Error() string {
	msgs := make([]string, len(e.attempts))
	for i, a := range e.attempts {
		msgs[i] = a.Error()
	}
	return "Could not parse connector configuration '" + e.source + "' as JSON: " + strings.Join(msgs, "; ")
}

func (e *notJSONError) Unwrap() []error { return e.attempts }

// IsNotJSON reports whether err from ParseConnectorJSON means the data is in
// neither JSON form (as opposed to a JSON form with invalid content).
func IsNotJSON(err error) bool { return errors.As(err, new(*notJSONError)) }

// ParseConnectorJSON applies the two JSON forms of a connector file, with
// source (a path, or a description for REST bodies) in error messages.
// Errors: *FileError with Kafka's message for a missing name or a name
// mismatch; an error satisfying IsNotJSON when neither form fits.
func ParseConnectorJSON(data []byte, source string) (ConnectorFile, error) {
	flat, nulls, err1 := DecodeStringMap(data)
	if err1 == nil {
		name, ok := flat["name"]
		if !ok && !contains(nulls, "name") {
			return ConnectorFile{}, &FileError{Msg: missingName(source)}
		}
		return ConnectorFile{Name: name, Config: flat, NullKeys: nulls}, nil
	}
	req, nameSet, err2 := decodeCreateRequest(data)
	if err2 == nil {
		if !nameSet {
			// Kafka would go on with a null name and fail later, obscurely.
			return ConnectorFile{}, &FileError{Msg: missingName(source)}
		}
		if req.Config == nil {
			// Kafka dereferences the null config (NullPointerException).
			return ConnectorFile{}, &FileError{Msg: "Connector configuration at '" + source + "' has no 'config' object"}
		}
		if v, ok := req.Config["name"]; ok || contains(req.NullKeys, "name") {
			if !ok || v != req.Name {
				return ConnectorFile{}, &FileError{Msg: "Connector name configuration in 'config' doesn't match the one specified in 'name' at '" + source + "'"}
			}
		} else {
			req.Config["name"] = req.Name
		}
		return req, nil
	}
	return ConnectorFile{}, &notJSONError{source: source, attempts: []error{err1, err2}}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// decodeFirst decodes the first JSON value; like Jackson's default
// (FAIL_ON_TRAILING_TOKENS off) anything after it is ignored.
func decodeFirst(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("%w: %v", errNotThisForm, err)
	}
	return v, nil
}

// scalarString is Jackson's String coercion of JSON scalars: numbers keep
// their literal text, booleans become "true"/"false". ok is false for
// objects and arrays; null is reported separately.
func scalarString(v any) (s string, isNull, ok bool) {
	switch x := v.(type) {
	case nil:
		return "", true, true
	case string:
		return x, false, true
	case json.Number:
		return x.String(), false, true
	case bool:
		if x {
			return "true", false, true
		}
		return "false", false, true
	}
	return "", false, false
}

// DecodeStringMap decodes a JSON object into a string map with Jackson's
// Map<String,String> rules (also the body of PUT /connectors/{c}/config).
// Keys whose value is JSON null are absent from the map and listed in nulls.
func DecodeStringMap(data []byte) (m map[string]string, nulls []string, err error) {
	v, err := decodeFirst(data)
	if err != nil {
		return nil, nil, err
	}
	return stringMap(v)
}

func stringMap(v any) (map[string]string, []string, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, nil, fmt.Errorf("%w: expected a JSON object of strings", errNotThisForm)
	}
	m := make(map[string]string, len(obj))
	var nulls []string
	for k, val := range obj {
		s, isNull, ok := scalarString(val)
		if !ok {
			return nil, nil, fmt.Errorf("%w: value of %q is not a string", errNotThisForm, k)
		}
		if isNull {
			nulls = append(nulls, k)
			continue
		}
		m[k] = s
	}
	sort.Strings(nulls)
	return m, nulls, nil
}

// DecodeCreateRequest decodes a POST /connectors body: "name", "config"
// (string map), "initial_state" (case-insensitive RUNNING/PAUSED/STOPPED);
// unknown fields are ignored. A JSON null config yields a nil Config.
func DecodeCreateRequest(data []byte) (ConnectorFile, error) {
	cf, _, err := decodeCreateRequest(data)
	return cf, err
}

// decodeCreateRequest also reports whether "name" was given and not null.
func decodeCreateRequest(data []byte) (cf ConnectorFile, nameSet bool, err error) {
	v, err := decodeFirst(data)
	if err != nil {
		return cf, false, err
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return cf, false, fmt.Errorf("%w: expected a JSON object", errNotThisForm)
	}
	if raw, present := obj["name"]; present {
		s, isNull, ok := scalarString(raw)
		if !ok {
			return cf, false, fmt.Errorf("%w: 'name' is not a string", errNotThisForm)
		}
		cf.Name, nameSet = s, !isNull
	}
	if raw, present := obj["config"]; present && raw != nil {
		m, nulls, err := stringMap(raw)
		if err != nil {
			return cf, false, fmt.Errorf("'config': %w", err)
		}
		cf.Config, cf.NullKeys = m, nulls
	}
	if raw, present := obj["initial_state"]; present && raw != nil {
		s, _, ok := scalarString(raw)
		state := strings.ToUpper(s)
		if !ok || (state != StateRunning && state != StatePaused && state != StateStopped) {
			return ConnectorFile{}, false, &InvalidInitialStateError{Value: s}
		}
		cf.InitialState = state
	}
	return cf, nameSet, nil
}

// InvalidInitialStateError is Jackson's failure on an unknown initial_state
// (InitialState.valueOf throws "No enum constant ...").
type InvalidInitialStateError struct{ Value string }

func (e *InvalidInitialStateError) Error() string {
	return "No enum constant org.apache.kafka.connect.runtime.rest.entities.CreateConnectorRequest.InitialState." + strings.ToUpper(e.Value)
}

// Is makes the error a form mismatch, so ParseConnectorFile moves on as Kafka does.
func (e *InvalidInitialStateError) Is(target error) bool { return target == errNotThisForm }
