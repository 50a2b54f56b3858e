// Package devkafka runs an in-memory, single-broker Kafka-protocol server for
// local development, demos and tests. It is kfake (franz-go's fake cluster)
// with the few behaviours that differ from Apache Kafka in ways that break
// sarama patched through kfake's public control hooks.
//
// Client requirements (sarama): Config.Version must be at least V0_11_0_0,
// because kfake only accepts Produce v3+ / Fetch v4+ (record batches, no
// legacy message sets), and at least V1_0_0_0 when SASL is used (kfake only
// speaks SaslHandshake v1). V2_8_0_0 (sarama's default) or newer is
// recommended: sarama negotiates each request down to what the broker
// advertises through ApiVersions, so any newer Version, up to
// sarama.MaxVersion, works too.
//
// Known differences from Apache Kafka that remain:
//   - With DataDir, a topic auto-created by a Metadata/Produce request is
//     written to disk only at a clean Close; create topics that must survive
//     a crash with Broker.CreateTopic.
//   - The advertised host is the bound address (127.0.0.1 when listening on
//     an unspecified address), so remote clients need a reachable Listen host.
package devkafka

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// DefaultListen is the address used when Options.Listen is empty.
const DefaultListen = "127.0.0.1:9092"

// Options configures Start.
type Options struct {
	Listen     string          // "HOST:PORT", default "127.0.0.1:9092"; port 0 = ephemeral
	Partitions int             // default partitions for auto-created topics, default 1
	DataDir    string          // optional persistence through kfake's own persistence
	Logger     *zerolog.Logger // optional
}

// Broker is a running development broker.
type Broker struct {
	cluster *kfake.Cluster
	ln      *trackingListener
	addr    string
	parts   int32
	log     zerolog.Logger

	closeOnce sync.Once
}

// Start starts the broker and returns once it is listening.
func Start(ctx context.Context, opts Options) (*Broker, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if opts.Listen == "" {
		opts.Listen = DefaultListen
	}
	if opts.Partitions <= 0 {
		opts.Partitions = 1
	}
	log := zerolog.Nop()
	if opts.Logger != nil {
		log = opts.Logger.With().Str("component", "dev-kafka").Logger()
	}

	raw, err := net.Listen("tcp", opts.Listen)
	if err != nil {
		return nil, fmt.Errorf("dev-kafka: listen %s: %w", opts.Listen, err)
	}
	ln := newTrackingListener(raw)

	kopts := []kfake.Opt{
		kfake.NumBrokers(1),
		kfake.ClusterID("connect-standalone-dev-kafka"),
		kfake.AllowAutoTopicCreation(),
		kfake.DefaultNumPartitions(opts.Partitions),
		kfake.WithLogger(kfakeLogger{log}),
		// kfake always asks for 127.0.0.1:<port>; we hand it the listener
		// we already bound so Listen's host (and port 0) are honoured and
		// bind errors surface before the cluster starts.
		kfake.ListenFn(func(string, string) (net.Listener, error) { return ln, nil }),
	}
	if opts.DataDir != "" {
		kopts = append(kopts, kfake.DataDir(opts.DataDir))
	}
	c, err := kfake.NewCluster(kopts...)
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("dev-kafka: start: %w", err)
	}
	b := &Broker{
		cluster: c,
		ln:      ln,
		addr:    ln.Addr().String(),
		parts:   int32(opts.Partitions),
		log:     log,
	}
	c.ControlKey(int16(kmsg.OffsetFetch), b.offsetFetch)

	if opts.DataDir == "" {
		log.Warn().Str("bootstrap.servers", b.addr).
			Msg("dev-kafka keeps all data IN MEMORY ONLY: everything is lost when it stops; for development only")
	} else {
		log.Warn().Str("bootstrap.servers", b.addr).Str("data_dir", opts.DataDir).
			Msg("dev-kafka is for development only; topics auto-created by clients are saved only at clean shutdown")
	}
	return b, nil
}

// Addr returns the address actually bound, as clients should dial it.
func (b *Broker) Addr() string { return b.addr }

// Close stops the broker; with DataDir it persists state first. Open client
// connections are closed so clients notice at once.
func (b *Broker) Close() error {
	b.closeOnce.Do(func() {
		b.cluster.Close()
		b.ln.closeConns()
	})
	return nil
}

// CreateTopic creates a topic; partitions <= 0 means Options.Partitions. Unlike
// auto-creation it is persisted immediately when DataDir is set.
func (b *Broker) CreateTopic(ctx context.Context, name string, partitions int32) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if partitions <= 0 {
		partitions = b.parts
	}
	if err := b.cluster.CreateTopic(name, partitions, nil); err != nil {
		return fmt.Errorf("dev-kafka: create topic %q: %w", name, err)
	}
	return nil
}

// Run starts the broker, writes one line with its bootstrap.servers to out,
// serves until ctx is cancelled, then closes it.
func Run(ctx context.Context, opts Options, out io.Writer) error {
	b, err := Start(ctx, opts)
	if err != nil {
		return err
	}
	what := "in-memory, for development only"
	if opts.DataDir != "" {
		what = "data in " + opts.DataDir + ", for development only"
	}
	if _, err := fmt.Fprintf(out, "dev-kafka (%s) listening: bootstrap.servers=%s\n", what, b.Addr()); err != nil {
		return errors.Join(fmt.Errorf("dev-kafka: write address: %w", err), b.Close())
	}
	<-ctx.Done()
	return b.Close()
}

// offsetFetch makes OffsetFetch for a group the broker has never seen answer
// as Apache Kafka does: every requested partition at offset -1 without error
// (an empty list for "all topics"). kfake answers GROUP_ID_NOT_FOUND, which
// sarama's OffsetManager and ListConsumerGroupOffsets treat as fatal.
//
// Requests naming only known groups are left to kfake. GroupInfo is safe to
// call here: kfake serves admin calls while a control function runs.
func (b *Broker) offsetFetch(kreq kmsg.Request) (kmsg.Response, error, bool) {
	b.cluster.KeepControl() // matters only when we answer; keeps the hook for the next request
	req := kreq.(*kmsg.OffsetFetchRequest)

	groups := req.Groups
	if req.Version <= 7 {
		g := kmsg.NewOffsetFetchRequestGroup()
		g.Group = req.Group
		if req.Topics != nil {
			g.Topics = make([]kmsg.OffsetFetchRequestGroupTopic, 0, len(req.Topics))
			for _, t := range req.Topics {
				gt := kmsg.NewOffsetFetchRequestGroupTopic()
				gt.Topic, gt.Partitions = t.Topic, t.Partitions
				g.Topics = append(g.Topics, gt)
			}
		}
		groups = []kmsg.OffsetFetchRequestGroup{g}
	}
	infos := make([]*kfake.GroupInfo, len(groups))
	unknown := false
	for i, g := range groups {
		infos[i] = b.cluster.GroupInfo(g.Group)
		unknown = unknown || infos[i] == nil
	}
	if !unknown {
		return nil, nil, false
	}

	resp := req.ResponseKind().(*kmsg.OffsetFetchResponse)
	for i, g := range groups {
		resp.Groups = append(resp.Groups, b.groupOffsets(g, infos[i]))
	}
	if req.Version <= 7 {
		g0 := resp.Groups[0]
		resp.ErrorCode = g0.ErrorCode
		resp.Groups = nil
		for _, t := range g0.Topics {
			st := kmsg.NewOffsetFetchResponseTopic()
			st.Topic = t.Topic
			for _, p := range t.Partitions {
				sp := kmsg.NewOffsetFetchResponseTopicPartition()
				sp.Partition, sp.Offset, sp.LeaderEpoch = p.Partition, p.Offset, p.LeaderEpoch
				sp.Metadata, sp.ErrorCode = p.Metadata, p.ErrorCode
				st.Partitions = append(st.Partitions, sp)
			}
			resp.Topics = append(resp.Topics, st)
		}
	}
	return resp, nil, true
}

// groupOffsets answers one group of a request we intercept. A nil info is a
// group kfake does not know; a known group (only possible in a multi-group
// request mixing known and unknown groups) is answered from its commits.
func (b *Broker) groupOffsets(g kmsg.OffsetFetchRequestGroup, info *kfake.GroupInfo) kmsg.OffsetFetchResponseGroup {
	sg := kmsg.NewOffsetFetchResponseGroup()
	sg.Group = g.Group
	var commits map[string]map[int32]kfake.GroupCommit
	if info != nil {
		commits = info.Commits
	}
	part := func(p int32, c kfake.GroupCommit, ok bool) kmsg.OffsetFetchResponseGroupTopicPartition {
		sp := kmsg.NewOffsetFetchResponseGroupTopicPartition()
		sp.Partition = p
		sp.Offset, sp.LeaderEpoch, sp.Metadata = -1, -1, kmsg.StringPtr("")
		if ok {
			sp.Offset, sp.LeaderEpoch, sp.Metadata = c.Offset, c.LeaderEpoch, kmsg.StringPtr(c.Metadata)
		}
		return sp
	}
	if g.Topics == nil { // all committed topics
		for topic, ps := range commits {
			st := kmsg.NewOffsetFetchResponseGroupTopic()
			st.Topic = topic
			if ti := b.cluster.TopicInfo(topic); ti != nil {
				st.TopicID = ti.TopicID
			}
			for p, c := range ps {
				st.Partitions = append(st.Partitions, part(p, c, true))
			}
			sg.Topics = append(sg.Topics, st)
		}
		return sg
	}
	for _, t := range g.Topics {
		st := kmsg.NewOffsetFetchResponseGroupTopic()
		st.Topic, st.TopicID = t.Topic, t.TopicID
		name := t.Topic
		if t.TopicID != ([16]byte{}) { // v10 names topics by ID
			if ti := b.cluster.TopicIDInfo(t.TopicID); ti != nil {
				name = ti.Topic
			}
		}
		for _, p := range t.Partitions {
			c, ok := commits[name][p]
			st.Partitions = append(st.Partitions, part(p, c, ok))
		}
		sg.Topics = append(sg.Topics, st)
	}
	return sg
}

// kfakeLogger forwards kfake's logs to zerolog, one level quieter for info
// and debug: kfake logs every request at info.
type kfakeLogger struct{ log zerolog.Logger }

func (l kfakeLogger) Logf(level kfake.LogLevel, msg string, args ...any) {
	var ev *zerolog.Event
	switch level {
	case kfake.LogLevelError:
		ev = l.log.Error()
	case kfake.LogLevelWarn:
		ev = l.log.Warn()
	case kfake.LogLevelInfo:
		ev = l.log.Debug()
	default:
		ev = l.log.Trace()
	}
	ev.Msgf(msg, args...)
}

// trackingListener remembers accepted connections so Close can cut them
// (kfake stops serving them but leaves the sockets to the clients), and
// reports a dialable address when bound to an unspecified host, since kfake
// advertises Addr() in Metadata.
type trackingListener struct {
	net.Listener
	addr net.Addr

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
	refuse time.Time // connections are refused until then (FaultDown)
}

func newTrackingListener(ln net.Listener) *trackingListener {
	addr := ln.Addr()
	if ta, ok := addr.(*net.TCPAddr); ok && ta.IP.IsUnspecified() {
		addr = &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: ta.Port}
	}
	return &trackingListener{Listener: ln, addr: addr, conns: make(map[net.Conn]struct{})}
}

func (l *trackingListener) Addr() net.Addr { return l.addr }

func (l *trackingListener) Accept() (net.Conn, error) {
	var c net.Conn
	for {
		var err error
		if c, err = l.Listener.Accept(); err != nil {
			return nil, err
		}
		l.mu.Lock()
		if l.closed || !time.Now().Before(l.refuse) {
			break
		}
		l.mu.Unlock()
		c.Close() // down: the client sees the connection reset at once
	}
	defer l.mu.Unlock()
	if l.closed {
		c.Close()
		return nil, net.ErrClosed
	}
	tc := &trackedConn{Conn: c, l: l}
	l.conns[tc] = struct{}{}
	return tc, nil
}

func (l *trackingListener) closeConns() {
	l.mu.Lock()
	l.closed = true
	conns := l.conns
	l.conns = nil
	l.mu.Unlock()
	for c := range conns {
		c.(*trackedConn).Conn.Close()
	}
}

type trackedConn struct {
	net.Conn
	l    *trackingListener
	once sync.Once
}

func (c *trackedConn) Close() error {
	c.once.Do(func() {
		c.l.mu.Lock()
		delete(c.l.conns, c)
		c.l.mu.Unlock()
	})
	return c.Conn.Close()
}
