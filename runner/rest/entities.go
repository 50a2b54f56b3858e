package rest

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/runner"
	"github.com/connect-go/connect-standalone/runner/plugins"
)

// The JSON shapes of Kafka's rest/entities, field order as Jackson writes them.

type errorMessage struct {
	ErrorCode int     `json:"error_code"`
	Message   *string `json:"message"`
}

type serverInfo struct {
	Version        string `json:"version"`
	Commit         string `json:"commit"`
	KafkaClusterID string `json:"kafka_cluster_id"`
}

type healthInfo struct {
	Status  string `json:"status"`
	Message string `json:"message"`
	// ConfigErrors is our extension: watched connector files whose latest
	// edit was rejected (absent when there are none).
	ConfigErrors []configError `json:"config_errors,omitempty"`
}

// configError is a rejected edit of a watched connector file (extension).
type configError struct {
	Connector string `json:"connector,omitempty"`
	File      string `json:"file"`
	Key       string `json:"key,omitempty"`
	Message   string `json:"message"`
}

func toConfigErrors(in []runner.ConfigIssue) []configError {
	var out []configError
	for _, is := range in {
		out = append(out, configError{Connector: is.Connector, File: is.File, Key: is.Key, Message: is.Message})
	}
	return out
}

type taskID struct {
	Connector string `json:"connector"`
	Task      int    `json:"task"`
}

type connectorInfo struct {
	Name   string            `json:"name"`
	Config map[string]string `json:"config"`
	Tasks  []taskID          `json:"tasks"`
	Type   string            `json:"type"`
}

func toConnectorInfo(in runner.ConnectorInfo) connectorInfo {
	out := connectorInfo{Name: in.Name, Config: in.Config, Tasks: []taskID{}, Type: in.Type}
	if out.Config == nil {
		out.Config = map[string]string{}
	}
	for _, t := range in.Tasks {
		out.Tasks = append(out.Tasks, taskID{t.Connector, t.Task})
	}
	return out
}

type taskInfo struct {
	ID     taskID            `json:"id"`
	Config map[string]string `json:"config"`
}

type connectorState struct {
	State    string `json:"state"`
	WorkerID string `json:"worker_id"`
	Trace    string `json:"trace,omitempty"`
}

type taskState struct {
	ID       int    `json:"id"`
	State    string `json:"state"`
	WorkerID string `json:"worker_id"`
	Trace    string `json:"trace,omitempty"`
}

type connectorStateInfo struct {
	Name      string         `json:"name"`
	Connector connectorState `json:"connector"`
	Tasks     []taskState    `json:"tasks"`
	Type      string         `json:"type"`
	// ConfigErrors is our extension (absent unless the connector's watched
	// file has a rejected edit): extra fields leave Kafka clients working.
	ConfigErrors []configError `json:"config_errors,omitempty"`
}

func toTaskState(id int, st runner.Status) taskState {
	return taskState{ID: id, State: string(st.State), WorkerID: st.WorkerID, Trace: st.Trace}
}

func toStateInfo(cs runner.ConnectorStatus) connectorStateInfo {
	out := connectorStateInfo{
		Name:         cs.Name,
		Connector:    connectorState{State: string(cs.Connector.State), WorkerID: cs.Connector.WorkerID, Trace: cs.Connector.Trace},
		Tasks:        []taskState{},
		Type:         cs.Type,
		ConfigErrors: toConfigErrors(cs.ConfigIssues),
	}
	for _, t := range cs.Tasks {
		out.Tasks = append(out.Tasks, toTaskState(t.ID, t.Status))
	}
	slices.SortFunc(out.Tasks, func(a, b taskState) int { return a.ID - b.ID })
	return out
}

type message struct {
	Message string `json:"message"`
}

type activeTopics struct {
	Topics []string `json:"topics"`
}

type connectorOffset struct {
	Partition map[string]any `json:"partition"`
	Offset    map[string]any `json:"offset"`
}

type connectorOffsets struct {
	Offsets []connectorOffset `json:"offsets"`
}

func toOffsets(in []connectors.PartitionOffset) connectorOffsets {
	out := connectorOffsets{Offsets: []connectorOffset{}}
	for _, po := range in {
		out.Offsets = append(out.Offsets, connectorOffset{Partition: po.Partition, Offset: po.Offset})
	}
	return out
}

type pluginInfo struct {
	Class   string `json:"class"`
	Type    string `json:"type"`
	Version string `json:"version,omitempty"`
}

func toPluginInfo(p *plugins.Plugin) pluginInfo {
	v := p.Version
	if v == "undefined" {
		v = ""
	}
	return pluginInfo{Class: p.Class, Type: p.Kind.TypeName(), Version: v}
}

type loggerLevel struct {
	Level        string `json:"level"`
	LastModified *int64 `json:"last_modified"`
}

// configKeyInfo is ConfigKeyInfo as serialized.
type configKeyInfo struct {
	Name          string   `json:"name"`
	Type          string   `json:"type"`
	Required      bool     `json:"required"`
	DefaultValue  *string  `json:"default_value"`
	Importance    string   `json:"importance"`
	Documentation *string  `json:"documentation"`
	Group         *string  `json:"group"`
	Order         int      `json:"order"`
	Width         string   `json:"width"`
	DisplayName   *string  `json:"display_name"`
	Dependents    []string `json:"dependents"`
}

func strPtr(s string) *string { return &s }

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func toConfigKeyInfo(k configdef.Key) configKeyInfo {
	info := configKeyInfo{
		Name:          k.Name,
		Type:          k.Type.String(),
		Required:      !k.HasDefault(),
		Importance:    k.Importance.String(),
		Documentation: optional(k.Doc),
		Group:         optional(k.Group),
		Order:         k.OrderInGroup,
		Width:         k.Width.String(),
		DisplayName:   optional(k.DisplayName),
		Dependents:    slices.Clone(k.Dependents),
	}
	if info.Dependents == nil {
		info.Dependents = []string{}
	}
	if k.Group == "" && k.OrderInGroup == 0 {
		info.Order = -1 // ConfigDef's define() without a group
	}
	if info.DisplayName == nil {
		info.DisplayName = strPtr(k.Name) // define() without a display name uses the key name
	}
	if k.HasDefault() {
		if s, ok := configdef.ConvertToString(k.Default, k.Type); ok {
			info.DefaultValue = &s
		}
	}
	return info
}

type configValueInfo struct {
	Name              string   `json:"name"`
	Value             *string  `json:"value"`
	RecommendedValues []string `json:"recommended_values"`
	Errors            []string `json:"errors"`
	Visible           bool     `json:"visible"`
}

func toConfigValueInfo(cv configdef.ConfigValue, t configdef.Type, known bool) configValueInfo {
	info := configValueInfo{Name: cv.Name, RecommendedValues: []string{}, Errors: slices.Clone(cv.Errors), Visible: cv.Visible}
	if info.Errors == nil {
		info.Errors = []string{}
	}
	vt := t
	if !known {
		vt = configdef.TypeString
	}
	if s, ok := configdef.ConvertToString(cv.Value, vt); ok {
		if known && t == configdef.TypePassword {
			s = "[hidden]" // never echo a resolved secret
		}
		info.Value = &s
	}
	rt := t
	if t == configdef.TypeList || !known {
		rt = configdef.TypeString
	}
	for _, r := range cv.RecommendedValues {
		if s, ok := configdef.ConvertToString(r, rt); ok {
			info.RecommendedValues = append(info.RecommendedValues, s)
		}
	}
	return info
}

type configInfo struct {
	Definition *configKeyInfo   `json:"definition"`
	Value      *configValueInfo `json:"value"`
}

type configInfos struct {
	Name       string       `json:"name"`
	ErrorCount int          `json:"error_count"`
	Groups     []string     `json:"groups"`
	Configs    []configInfo `json:"configs"`
}

// toConfigInfos is AbstractHerder.generateResult: values of undefined keys
// first (definition null), then every defined key in definition order with
// its value, if any. Later definitions of a name replace earlier ones in
// place, as LinkedHashMap.putAll does.
//
// A value submitted as a ${provider:...} reference is shown as submitted,
// never resolved.
func toConfigInfos(name string, v *runner.Validation, raw map[string]string) configInfos {
	var keys []configdef.Key
	index := map[string]int{}
	groups := []string{}
	for _, d := range v.Defs {
		for _, k := range d.Keys() {
			if i, ok := index[k.Name]; ok {
				keys[i] = k
				continue
			}
			index[k.Name] = len(keys)
			keys = append(keys, k)
		}
		for _, g := range d.Groups() {
			if !slices.Contains(groups, g) {
				groups = append(groups, g)
			}
		}
	}
	values := map[string]configdef.ConfigValue{}
	out := configInfos{Name: name, Groups: groups, Configs: []configInfo{}}
	for _, cv := range v.Values {
		values[cv.Name] = cv
		if _, ok := index[cv.Name]; !ok {
			vi := toConfigValueInfo(cv, configdef.TypeString, false)
			if r, ok := raw[cv.Name]; ok && vi.Value != nil && strings.Contains(r, "${") {
				vi.Value = &r
			}
			out.Configs = append(out.Configs, configInfo{Value: &vi})
			out.ErrorCount += len(cv.Errors)
		}
	}
	for _, k := range keys {
		ki := toConfigKeyInfo(k)
		ci := configInfo{Definition: &ki}
		if cv, ok := values[k.Name]; ok {
			vi := toConfigValueInfo(cv, k.Type, true)
			if r, ok := raw[k.Name]; ok && vi.Value != nil && strings.Contains(r, "${") {
				vi.Value = &r
			}
			ci.Value = &vi
			out.ErrorCount += len(cv.Errors)
		}
		out.Configs = append(out.Configs, ci)
	}
	return out
}

// orderedObject is a JSON object whose keys keep insertion order.
type orderedObject struct {
	keys   []string
	values map[string]any
}

func (o *orderedObject) set(k string, v any) {
	if o.values == nil {
		o.values = map[string]any{}
	}
	if _, ok := o.values[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.values[k] = v
}

func (o orderedObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, err := marshal(k)
		if err != nil {
			return nil, err
		}
		vb, err := marshal(o.values[k])
		if err != nil {
			return nil, err
		}
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshal encodes like Jackson: no HTML escaping, no trailing newline.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
