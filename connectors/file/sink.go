package file

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/data"
	"github.com/connect-go/connect-standalone/connectors/pathpolicy"
)

var sinkDef = configdef.New().
	Define(configdef.Key{Name: keyFile, Type: configdef.TypeString, Default: nil, Importance: configdef.High,
		Doc: "Destination filename. If not specified, the standard output will be used"})

// SinkConnector is FileStreamSinkConnector.
type SinkConnector struct{ props map[string]string }

func NewSinkConnector() *SinkConnector                { return &SinkConnector{} }
func (c *SinkConnector) Version() string              { return Version }
func (c *SinkConnector) ConfigDef() *configdef.Def    { return sinkDef }
func (c *SinkConnector) TaskClass() string            { return SinkTaskClass }
func (c *SinkConnector) NewTask() connectors.SinkTask { return &SinkTask{} }
func (c *SinkConnector) Stop() error                  { return nil }

func (c *SinkConnector) Start(_ context.Context, props map[string]string) error {
	c.props = props
	return nil
}

// TaskConfigs returns maxTasks identical configs, as Kafka does.
func (c *SinkConnector) TaskConfigs(maxTasks int) ([]map[string]string, error) {
	out := make([]map[string]string, maxTasks)
	for i := range out {
		out[i] = copyProps(c.props)
	}
	return out, nil
}

// LocalPaths declares the file written, for the worker's connector.allowed.paths.
func (c *SinkConnector) LocalPaths(props map[string]string) []pathpolicy.Use {
	return fileUse(props)
}

// AlterOffsets accepts any offsets: the sink keeps none of its own.
func (c *SinkConnector) AlterOffsets(map[string]string, []connectors.PartitionOffset) (bool, error) {
	return true, nil
}

// SinkTask is FileStreamSinkTask: every record value is written as Java's
// String.valueOf renders it, followed by a newline; key, headers and topic are
// ignored. The file is appended to, never truncated.
type SinkTask struct {
	filename string
	out      *bufio.Writer
	closer   io.Closer
	log      *zerolog.Logger
}

func (t *SinkTask) Start(ctx context.Context, tc connectors.SinkTaskContext, props map[string]string) error {
	t.log = tc.Logger()
	t.filename = props[keyFile]
	var w io.Writer = os.Stdout
	if t.filename != "" {
		paths := pathpolicy.FromContext(ctx)
		if err := paths.Check(t.filename); err != nil {
			return fmt.Errorf("FileStreamSinkTask may not write '%s': %w", t.filename, err)
		}
		f, err := os.OpenFile(t.filename, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			return fmt.Errorf("Couldn't find or create file '%s' for FileStreamSinkTask: %w", t.filename, err)
		}
		if err := paths.CheckOpened(f); err != nil { // a link swapped in since the check
			f.Close()
			return fmt.Errorf("FileStreamSinkTask may not write '%s': %w", t.filename, err)
		}
		w, t.closer = f, f
	}
	t.out = bufio.NewWriterSize(w, 64<<10)
	return nil
}

// Put writes the batch and hands it to the OS before returning, so readers of
// the file see each batch as soon as it is delivered (Java's PrintStream
// reaches the OS on every println).
func (t *SinkTask) Put(_ context.Context, records []*connectors.Record) error {
	for _, r := range records {
		if s, ok := r.Value.(string); ok {
			t.out.WriteString(s)
		} else {
			t.out.WriteString(data.JavaString(r.Value))
		}
		t.out.WriteByte('\n')
	}
	return t.flush()
}

func (t *SinkTask) Flush(context.Context, map[connectors.TopicPartition]int64) error {
	return t.flush()
}

func (t *SinkTask) flush() error {
	if err := t.out.Flush(); err != nil {
		return fmt.Errorf("error writing to '%s': %w", t.displayName(), err)
	}
	return nil
}

func (t *SinkTask) displayName() string {
	if t.filename == "" {
		return "stdout"
	}
	return t.filename
}

func (t *SinkTask) Stop() error {
	if t.out == nil {
		return nil
	}
	err := t.flush()
	if t.closer != nil {
		if cerr := t.closer.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

var (
	_ connectors.SinkConnector = (*SinkConnector)(nil)
	_ connectors.OffsetAlterer = (*SinkConnector)(nil)
)
