// Package dryrun applies a connector's transformation chain to records read
// as JSON Lines, without Kafka: the `connect-standalone transform` command.
package dryrun

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
	"github.com/connect-go/connect-standalone/converters"
	"github.com/connect-go/connect-standalone/runner/chainconfig"
	"github.com/connect-go/connect-standalone/runner/connconfig"
	"github.com/connect-go/connect-standalone/runner/plugins"
	"github.com/connect-go/connect-standalone/transforms"
)

// maxLine bounds one input record; a longer line is reported, not buffered.
const maxLine = 16 << 20

// ConfigError lists every problem of a connector's transforms and
// predicates configuration, in key order.
type ConfigError struct{ Messages []string }

func (e *ConfigError) Error() string { return strings.Join(e.Messages, "\n") }

// NewChain validates the transforms and predicates keys of a connector
// config exactly as connector validation does and builds the chain.
func NewChain(reg *plugins.Registry, config map[string]string) (transforms.Chain, error) {
	base := configdef.New()
	common := connconfig.ConnectorConfigDef()
	for _, name := range []string{connconfig.Transforms, connconfig.Predicates} {
		k, _ := common.Key(name)
		base.Define(k)
	}
	def, err := chainconfig.Enrich(reg, base, config, false)
	if err != nil {
		return nil, err
	}
	values := def.Validate(config)
	extra := chainconfig.CheckPredicateAliases(config)
	var msgs []string
	for _, cv := range values {
		msgs = append(msgs, cv.Errors...)
		msgs = append(msgs, extra[cv.Name]...)
	}
	if len(msgs) > 0 {
		return nil, &ConfigError{Messages: msgs}
	}
	return chainconfig.Build(reg, config)
}

// Run reads records from in, one JSON object per line, and writes one line
// per record to out: the transformed record, null when the chain dropped it,
// or {"error": "..."} when the chain (or the record itself) failed.
func Run(ctx context.Context, chain transforms.Chain, in io.Reader, out io.Writer) error {
	conv := converters.NewAsWrittenJSONConverter()
	r := bufio.NewReaderSize(in, 64<<10)
	w := bufio.NewWriter(out)
	defer w.Flush()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, err := readLine(r)
		switch {
		case errors.Is(err, errLineTooLong):
			w.Write(errorLine(fmt.Errorf("input line longer than %d bytes", maxLine)))
			w.WriteByte('\n')
		case err == nil || errors.Is(err, io.EOF):
			if len(bytes.TrimSpace(line)) > 0 { // blank lines are not records
				w.Write(processLine(conv, chain, line))
				w.WriteByte('\n')
			}
		}
		// Flush per record so a pipe reader sees each result at once.
		if ferr := w.Flush(); ferr != nil {
			return ferr
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil && !errors.Is(err, errLineTooLong) {
			return err
		}
	}
}

var errLineTooLong = errors.New("line too long")

// readLine returns the next line without its terminator; a line longer than
// maxLine is skipped and reported as errLineTooLong with an empty line.
func readLine(r *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(buf)+len(chunk) > maxLine {
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = r.ReadSlice('\n')
			}
			if err != nil && !errors.Is(err, io.EOF) {
				return nil, err
			}
			return nil, errLineTooLong
		}
		buf = append(buf, chunk...)
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err != nil:
			return bytes.TrimRight(buf, "\r\n"), err
		}
		return bytes.TrimRight(buf, "\r\n"), nil
	}
}

func processLine(conv *converters.JSONConverter, chain transforms.Chain, line []byte) []byte {
	rec, err := decodeRecord(conv, line)
	if err != nil {
		return errorLine(err)
	}
	outRec, err := chain.Apply(rec)
	if err != nil {
		return errorLine(err)
	}
	if outRec == nil {
		return []byte("null")
	}
	b, err := encodeRecord(conv, outRec)
	if err != nil {
		return errorLine(err)
	}
	return b
}

func errorLine(err error) []byte {
	b, _ := json.Marshal(struct {
		Error string `json:"error"`
	}{err.Error()})
	return b
}

type wireHeader struct {
	Key   string          `json:"key"`
	Value json.RawMessage `json:"value"`
}

type wireRecord struct {
	Topic     *string         `json:"topic"`
	Partition *int32          `json:"partition"`
	Offset    *int64          `json:"offset,omitempty"`
	Timestamp *int64          `json:"timestamp"`
	Key       json.RawMessage `json:"key"`
	Value     json.RawMessage `json:"value"`
	Headers   []wireHeader    `json:"headers"`
}

var knownFields = []string{"topic", "partition", "offset", "timestamp", "key", "value", "headers"}

func decodeRecord(conv *converters.JSONConverter, line []byte) (*connectors.Record, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(line, &fields); err != nil {
		return nil, fmt.Errorf("invalid record: %v", err)
	}
	for k := range fields {
		if !slices.Contains(knownFields, k) {
			return nil, fmt.Errorf("invalid record: unknown field %q (fields are %s)", k, strings.Join(knownFields, ", "))
		}
	}
	var w wireRecord
	if err := json.Unmarshal(line, &w); err != nil {
		return nil, fmt.Errorf("invalid record: %v", err)
	}
	if w.Topic == nil {
		return nil, errors.New(`invalid record: "topic" is required`)
	}
	rec := &connectors.Record{Topic: *w.Topic, Partition: connectors.NoPartition}
	if w.Partition != nil {
		if *w.Partition < 0 {
			return nil, fmt.Errorf("invalid record: partition %d is negative", *w.Partition)
		}
		rec.Partition = *w.Partition
	}
	if w.Offset != nil {
		rec.Sink, rec.KafkaOffset, rec.TimestampType = true, *w.Offset, connectors.CreateTime
	} else {
		rec.SourcePartition, rec.SourceOffset = map[string]any{}, map[string]any{}
	}
	if w.Timestamp != nil {
		rec.Timestamp, rec.HasTimestamp = *w.Timestamp, true
	}
	var err error
	if rec.KeySchema, rec.Key, err = decodeEnvelope(conv, rec.Topic, "key", w.Key); err != nil {
		return nil, err
	}
	if rec.ValueSchema, rec.Value, err = decodeEnvelope(conv, rec.Topic, "value", w.Value); err != nil {
		return nil, err
	}
	for i, h := range w.Headers {
		s, v, err := decodeEnvelope(conv, rec.Topic, fmt.Sprintf("headers[%d].value", i), h.Value)
		if err != nil {
			return nil, err
		}
		rec.Headers = append(rec.Headers, connectors.Header{Key: h.Key, Schema: s, Value: v})
	}
	return rec, nil
}

func decodeEnvelope(conv *converters.JSONConverter, topic, field string, raw json.RawMessage) (*data.Schema, any, error) {
	if len(raw) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return nil, nil, nil
	}
	s, v, err := conv.ToConnectData(topic, raw)
	if err != nil {
		return nil, nil, fmt.Errorf("invalid record: %s: %w", field, err)
	}
	return s, v, nil
}

func encodeRecord(conv *converters.JSONConverter, r *connectors.Record) ([]byte, error) {
	w := wireRecord{Topic: &r.Topic, Headers: []wireHeader{}}
	if r.Partition != connectors.NoPartition {
		p := r.Partition
		w.Partition = &p
	}
	if r.Sink {
		o := r.KafkaOffset
		w.Offset = &o
	}
	if r.HasTimestamp {
		t := r.Timestamp
		w.Timestamp = &t
	}
	var err error
	if w.Key, err = conv.FromConnectData(r.Topic, r.KeySchema, r.Key); err != nil {
		return nil, fmt.Errorf("key: %w", err)
	}
	if w.Value, err = conv.FromConnectData(r.Topic, r.ValueSchema, r.Value); err != nil {
		return nil, fmt.Errorf("value: %w", err)
	}
	for _, h := range r.Headers {
		b, err := conv.FromConnectData(r.Topic, h.Schema, h.Value)
		if err != nil {
			return nil, fmt.Errorf("header %s: %w", h.Key, err)
		}
		w.Headers = append(w.Headers, wireHeader{Key: h.Key, Value: b})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(w); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}
