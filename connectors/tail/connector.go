// Package tail is FileTailSourceConnector: a source connector that tails
// log files the way log shippers do (globs, rotation, copytruncate,
// truncation, multiline events, fsnotify with a polling fallback) and
// commits each file's byte position through the runtime's offsets store,
// after Kafka acknowledged the lines (at-least-once).
//
// A file's identity is its device and inode (the source partition), checked
// against a fingerprint of its first bytes stored with the position (the
// source offset): a renamed file keeps its offset, and a new file that
// reuses an inode does not inherit one.
package tail

import (
	"context"
	"maps"
	"strconv"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/pathpolicy"
)

// Version is the connector's version.
const Version = "1.0.0"

const (
	// Class is the connector's class name; the aliases FileTailSource and
	// FileTailSourceConnector resolve to it.
	Class     = "org.connectgo.connect.tail.FileTailSourceConnector"
	TaskClass = "org.connectgo.connect.tail.FileTailSourceTask"
)

// Connector splits the matched files over up to tasks.max tasks by hashing
// their identities, and watches the globs: when the number of tasks the
// files call for changes, it requests a task reconfiguration.
type Connector struct {
	cc    connectors.ConnectorContext
	props map[string]string
	cfg   *config
	log   *zerolog.Logger

	mu       sync.Mutex
	maxTasks int
	files    int // distinct files matched at the last look
	tasks    int // task count of the last TaskConfigs

	stop chan struct{}
	done chan struct{}
}

func NewConnector() *Connector                                 { return &Connector{} }
func (c *Connector) Version() string                           { return Version }
func (c *Connector) ConfigDef() *configdef.Def                 { return configDef }
func (c *Connector) TaskClass() string                         { return TaskClass }
func (c *Connector) NewTask() connectors.SourceTask            { return &Task{} }
func (c *Connector) Initialize(cc connectors.ConnectorContext) { c.cc = cc }

// LocalPaths implements pathpolicy.Declarer.
func (c *Connector) LocalPaths(props map[string]string) []pathpolicy.Use { return localPaths(props) }

func (c *Connector) Start(ctx context.Context, props map[string]string) error {
	cfg, err := parseConfig(props)
	if err != nil {
		return err
	}
	cfg.policy = pathpolicy.FromContext(ctx)
	c.cfg, c.props = cfg, maps.Clone(props)
	c.maxTasks = max(atoi(props["tasks.max"], 1), 1)
	nop := zerolog.Nop()
	c.log = &nop
	if c.cc != nil {
		c.log = c.cc.Logger()
	}
	c.files = c.countFiles()
	c.stop, c.done = make(chan struct{}), make(chan struct{})
	go c.watchGlobs()
	return nil
}

// countFiles counts the distinct files the globs match now.
func (c *Connector) countFiles() int {
	cands, _, _ := matchFiles(c.cfg)
	return len(cands)
}

func (c *Connector) taskCount(maxTasks, files int) int {
	return max(1, min(maxTasks, files))
}

// watchGlobs re-expands the globs every glob.refresh.interval.ms and asks
// for new task configs when files appearing or vanishing change how many
// tasks there should be. (Which task reads which file follows from the
// file's identity, so no other change needs the tasks restarted.)
func (c *Connector) watchGlobs() {
	defer close(c.done)
	tick := time.NewTicker(c.cfg.globRefresh)
	defer tick.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-tick.C:
		}
		n := c.countFiles()
		c.mu.Lock()
		c.files = n
		changed := c.tasks != 0 && c.taskCount(c.maxTasks, n) != c.tasks
		c.mu.Unlock()
		if changed && c.cc != nil {
			c.log.Info().Int("files", n).Msg("the number of matched files changed the number of tasks; requesting task reconfiguration")
			c.cc.RequestTaskReconfiguration()
		}
	}
}

// TaskConfigs returns one config per task, each with its index and the
// task count: task i reads the files whose identity hashes to i.
func (c *Connector) TaskConfigs(maxTasks int) ([]map[string]string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.maxTasks = max(maxTasks, 1)
	n := c.taskCount(c.maxTasks, c.files)
	c.tasks = n
	out := make([]map[string]string, n)
	for i := range out {
		tc := maps.Clone(c.props)
		tc[keyTaskIndex] = strconv.Itoa(i)
		tc[keyTaskCount] = strconv.Itoa(n)
		out[i] = tc
	}
	return out, nil
}

func (c *Connector) Stop() error {
	if c.stop != nil {
		close(c.stop)
		<-c.done
		c.stop = nil
	}
	return nil
}

// AlterOffsets accepts offsets given through the KIP-875 offsets API when
// they have this connector's shape.
func (c *Connector) AlterOffsets(_ map[string]string, offsets []connectors.PartitionOffset) (bool, error) {
	for _, po := range offsets {
		if po.Partition == nil {
			return false, errorf("Partition objects cannot be null")
		}
		for _, k := range []string{PartitionDevice, PartitionInode} {
			if _, ok := po.Partition[k].(int64); !ok {
				return false, errorf("Partition objects should contain the integer keys '%s' and '%s'", PartitionDevice, PartitionInode)
			}
		}
		if po.Offset != nil {
			if _, err := parseOffset(po.Offset); err != nil {
				return false, err
			}
		}
	}
	return true, nil
}

var (
	_ connectors.SourceConnector = (*Connector)(nil)
	_ connectors.Initializer     = (*Connector)(nil)
	_ connectors.OffsetAlterer   = (*Connector)(nil)
)
