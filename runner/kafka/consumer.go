package kafka

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/IBM/sarama"
	"github.com/rs/zerolog"
)

// TopicPartition names one partition.
type TopicPartition struct {
	Topic     string
	Partition int32
}

func (tp TopicPartition) String() string { return fmt.Sprintf("%s-%d", tp.Topic, tp.Partition) }

// TimestampType is Kafka's record timestamp type.
type TimestampType int

const (
	NoTimestampType TimestampType = -1
	CreateTime      TimestampType = 0
	LogAppendTime   TimestampType = 1
)

func (t TimestampType) String() string {
	switch t {
	case CreateTime:
		return "CreateTime"
	case LogAppendTime:
		return "LogAppendTime"
	}
	return "NoTimestampType"
}

// ConsumedMessage is one record returned by Poll.
type ConsumedMessage struct {
	Topic         string
	Partition     int32
	Offset        int64
	Key           []byte // nil: null
	Value         []byte // nil: null
	Headers       []Header
	Timestamp     time.Time
	TimestampType TimestampType
}

// Subscription selects the topics: a fixed list, or every topic whose whole
// name matches Regex (Java's Pattern.matcher(topic).matches()).
type Subscription struct {
	Topics []string
	Regex  *regexp.Regexp
}

// RebalanceListener is told about assignment changes. Both methods run on
// the goroutine calling Poll, like Java's ConsumerRebalanceListener.
// Revoked runs while the generation is still valid, so the task can flush
// and Commit the revoked partitions.
type RebalanceListener interface {
	Assigned(parts []TopicPartition)
	Revoked(parts []TopicPartition)
}

// Consumer is a pull-style group consumer for sink tasks, built on a
// sarama ConsumerGroup: sarama's per-partition claim goroutines fill
// bounded per-partition queues that Poll drains.
type Consumer struct {
	cfg      *ClientConfig
	log      zerolog.Logger
	client   sarama.Client
	group    sarama.ConsumerGroup
	groupID  string
	regex    *regexp.Regexp // anchored; nil for a fixed topic list
	listener RebalanceListener
	queueCap int

	ctx    context.Context // ends at Close: stops run, refresher, claims
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	notify   chan struct{} // closed and replaced when Poll has something new to look at
	events   []rebalanceEvent
	sess     sarama.ConsumerGroupSession // current generation; nil between generations
	owned    map[TopicPartition]*partQueue
	paused   map[TopicPartition]bool
	rr       int // round-robin start over owned partitions
	topics   []string
	rejoin   context.CancelFunc // ends the running Consume call
	changed  chan struct{}      // topics changed while no Consume call runs
	fatal    error
	closed   bool
	closedCh chan struct{}
}

type partQueue struct {
	msgs  []*sarama.ConsumerMessage
	space chan struct{} // closed and replaced when Poll takes records
}

type rebalanceEvent struct {
	revoked bool
	parts   []TopicPartition
	ack     chan struct{} // closed once the listener has returned (revocations)
}

// internalTopics are never matched by a pattern subscription
// (exclude.internal.topics=true).
var internalTopics = map[string]bool{"__consumer_offsets": true, "__transaction_state": true, "__share_group_state": true}

// NewConsumer joins the group named by group.id in the background; Poll
// returns records once partitions are assigned. listener may be nil.
func NewConsumer(cfg *ClientConfig, sub Subscription, listener RebalanceListener) (*Consumer, error) {
	if cfg.Kind != KindConsumer {
		return nil, fmt.Errorf("kafka: NewConsumer needs a %s config, got %s", KindConsumer, cfg.Kind)
	}
	if cfg.GroupID == "" {
		return nil, &ConfigError{Key: "group.id", Value: "", Reason: "a consumer group is required"}
	}
	if (len(sub.Topics) == 0) == (sub.Regex == nil) {
		return nil, errors.New("kafka: subscribe to either a topic list or a pattern")
	}
	client, err := sarama.NewClient(cfg.Brokers, cfg.sarama)
	if err != nil {
		return nil, fmt.Errorf("kafka: consumer %s: connect to %v: %w", cfg.sarama.ClientID, cfg.Brokers, err)
	}
	group, err := sarama.NewConsumerGroupFromClient(cfg.GroupID, client)
	if err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("kafka: consumer %s: %w", cfg.sarama.ClientID, err)
	}
	c := &Consumer{
		cfg:      cfg,
		log:      cfg.Logger.With().Str("group", cfg.GroupID).Logger(),
		client:   client,
		group:    group,
		groupID:  cfg.GroupID,
		listener: listener,
		queueCap: max(cfg.MaxPollRecords, 100),
		notify:   make(chan struct{}),
		owned:    map[TopicPartition]*partQueue{},
		paused:   map[TopicPartition]bool{},
		changed:  make(chan struct{}, 1),
		closedCh: make(chan struct{}),
	}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	if sub.Regex != nil {
		c.regex = regexp.MustCompile(`^(?:` + sub.Regex.String() + `)$`)
		c.wg.Go(c.refreshLoop)
	} else {
		c.topics = slices.Clone(sub.Topics)
		sort.Strings(c.topics)
	}
	c.wg.Go(c.drainErrors)
	c.wg.Go(c.run)
	return c, nil
}

// run keeps the member in the group: each Consume call lasts one
// generation.
func (c *Consumer) run() {
	h := &groupHandler{c}
	backoff := c.cfg.RetryBackoff
	for c.ctx.Err() == nil {
		c.mu.Lock()
		topics := c.topics
		if len(topics) == 0 {
			c.mu.Unlock()
			select {
			case <-c.changed:
			case <-c.ctx.Done():
			}
			continue
		}
		ctx, cancel := context.WithCancel(c.ctx)
		c.rejoin = cancel
		c.mu.Unlock()

		began := time.Now()
		err := c.group.Consume(ctx, topics, h)
		cancel()
		if c.ctx.Err() != nil || errors.Is(err, sarama.ErrClosedConsumerGroup) {
			return
		}
		if err == nil {
			if time.Since(began) > c.cfg.RetryBackoff {
				backoff = c.cfg.RetryBackoff
				continue // a generation ended normally: rejoin at once
			}
			// a session that ends at once must not turn into a busy loop
			c.log.Debug().Strs("topics", topics).Msg("Kafka consumer group session ended at once; rejoining after a backoff")
		} else {
			c.noteError(err)
			c.log.Warn().Err(err).Strs("topics", topics).Dur("backoff", backoff).Msg("Kafka consumer failed to join the group; retrying")
		}
		select {
		case <-time.After(backoff):
		case <-c.ctx.Done():
		}
		backoff = min(backoff*2, c.cfg.RetryBackoffMax)
	}
}

func (c *Consumer) drainErrors() {
	for err := range c.group.Errors() {
		c.noteError(err)
		c.log.Warn().Err(err).Msg("Kafka consumer error")
	}
}

// noteError remembers errors that retrying cannot fix, for Poll to return.
func (c *Consumer) noteError(err error) {
	var kerr sarama.KError
	if !errors.As(err, &kerr) {
		return
	}
	switch kerr {
	case sarama.ErrTopicAuthorizationFailed, sarama.ErrGroupAuthorizationFailed,
		sarama.ErrClusterAuthorizationFailed, sarama.ErrSASLAuthenticationFailed:
		c.mu.Lock()
		if c.fatal == nil {
			c.fatal = err
		}
		c.signalLocked()
		c.mu.Unlock()
	}
}

// refreshLoop re-lists topics every metadata.max.age.ms for a pattern
// subscription and rejoins when the matching set changes.
func (c *Consumer) refreshLoop() {
	every := c.cfg.MetadataMaxAge
	if every <= 0 {
		every = 5 * time.Minute
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := c.client.RefreshMetadata(); err != nil {
			c.log.Debug().Err(err).Msg("Kafka metadata refresh for the subscription pattern failed")
		} else if topics, err := c.client.Topics(); err == nil {
			var match []string
			for _, tp := range topics {
				if !internalTopics[tp] && c.regex.MatchString(tp) {
					match = append(match, tp)
				}
			}
			sort.Strings(match)
			c.setTopics(match)
		}
		select {
		case <-t.C:
		case <-c.ctx.Done():
			return
		}
	}
}

func (c *Consumer) setTopics(topics []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if slices.Equal(topics, c.topics) {
		return
	}
	c.log.Info().Strs("topics", topics).Msg("Kafka consumer subscription pattern matches a new set of topics; rejoining the group")
	c.topics = topics
	if c.rejoin != nil {
		c.rejoin()
	}
	select {
	case c.changed <- struct{}{}:
	default:
	}
}

func (c *Consumer) signalLocked() {
	close(c.notify)
	c.notify = make(chan struct{})
}

// groupHandler adapts sarama's push callbacks to the pull model.
type groupHandler struct{ c *Consumer }

func (h *groupHandler) Setup(sess sarama.ConsumerGroupSession) error {
	c := h.c
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sess = sess
	var parts []TopicPartition
	for topic, ps := range sess.Claims() {
		for _, p := range ps {
			tp := TopicPartition{topic, p}
			c.owned[tp] = &partQueue{space: make(chan struct{})}
			parts = append(parts, tp)
		}
	}
	sortParts(parts)
	c.log.Info().Int32("generation", sess.GenerationID()).Stringer("partitions", partList(parts)).Msg("Kafka consumer assigned partitions")
	c.events = append(c.events, rebalanceEvent{parts: parts})
	c.signalLocked()
	return nil
}

func (h *groupHandler) ConsumeClaim(sess sarama.ConsumerGroupSession, claim sarama.ConsumerGroupClaim) error {
	tp := TopicPartition{claim.Topic(), claim.Partition()}
	done := sess.Context().Done()
	for {
		select {
		case m, ok := <-claim.Messages():
			if !ok {
				return nil
			}
			if !h.c.enqueue(tp, m, done) {
				return nil
			}
		case <-done:
			return nil
		}
	}
}

// enqueue blocks while the partition's queue is full (paused or slow
// task), which in turn makes sarama stop fetching that partition.
func (c *Consumer) enqueue(tp TopicPartition, m *sarama.ConsumerMessage, done <-chan struct{}) bool {
	c.mu.Lock()
	for {
		q := c.owned[tp]
		if q == nil {
			c.mu.Unlock()
			return false
		}
		if len(q.msgs) < c.queueCap {
			q.msgs = append(q.msgs, m)
			c.signalLocked()
			c.mu.Unlock()
			return true
		}
		space := q.space
		c.mu.Unlock()
		select {
		case <-space:
		case <-done:
			return false
		}
		c.mu.Lock()
	}
}

// Cleanup runs after every claim of the generation has stopped and before
// sarama leaves it; the Poll goroutine runs the listener meanwhile, so its
// commits still carry a valid generation.
func (h *groupHandler) Cleanup(sess sarama.ConsumerGroupSession) error {
	c := h.c
	c.mu.Lock()
	var parts []TopicPartition
	for tp, q := range c.owned {
		parts = append(parts, tp)
		q.msgs = nil // never returned once revoked
	}
	sortParts(parts)
	ack := make(chan struct{})
	closing := c.closed
	if !closing {
		c.events = append(c.events, rebalanceEvent{revoked: true, parts: parts, ack: ack})
		c.signalLocked()
	}
	c.mu.Unlock()
	if !closing {
		select {
		case <-ack:
		case <-c.closedCh:
		}
	}
	c.mu.Lock()
	c.sess = nil
	clear(c.owned)
	for _, tp := range parts {
		delete(c.paused, tp)
	}
	c.mu.Unlock()
	c.log.Info().Int32("generation", sess.GenerationID()).Stringer("partitions", partList(parts)).Msg("Kafka consumer released partitions")
	return nil
}

// Poll returns up to max.poll.records records, waiting up to maxWait for the
// first; rebalance callbacks run first, on this goroutine. It returns no
// records of paused partitions. Poll must be called from one goroutine at a
// time, and regularly: a rebalance waits for Poll to run Revoked (up to
// max.poll.interval.ms, as in Java).
func (c *Consumer) Poll(ctx context.Context, maxWait time.Duration) ([]*ConsumedMessage, error) {
	timer := time.NewTimer(maxWait)
	defer timer.Stop()
	for {
		c.mu.Lock()
		if c.closed {
			c.mu.Unlock()
			return nil, ErrClosed
		}
		if err := c.fatal; err != nil {
			c.fatal = nil
			c.mu.Unlock()
			return nil, fmt.Errorf("kafka: consumer group %s: %w", c.groupID, err)
		}
		if len(c.events) > 0 {
			ev := c.events[0]
			c.events = c.events[1:]
			c.mu.Unlock()
			c.runListener(ev)
			continue
		}
		if msgs, sess := c.takeLocked(); len(msgs) > 0 {
			c.mu.Unlock()
			if c.cfg.AutoCommit && sess != nil {
				for _, m := range msgs {
					sess.MarkOffset(m.Topic, m.Partition, m.Offset+1, "")
				}
			}
			return msgs, nil
		}
		notify := c.notify
		c.mu.Unlock()
		select {
		case <-notify:
		case <-timer.C:
			return nil, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

func (c *Consumer) runListener(ev rebalanceEvent) {
	if ev.ack != nil {
		defer close(ev.ack)
	}
	if c.listener == nil {
		return
	}
	if ev.revoked {
		c.listener.Revoked(ev.parts)
	} else {
		c.listener.Assigned(ev.parts)
	}
}

// takeLocked takes up to max.poll.records from unpaused partitions, round
// robin so one busy partition does not starve the others.
func (c *Consumer) takeLocked() ([]*ConsumedMessage, sarama.ConsumerGroupSession) {
	if len(c.owned) == 0 {
		return nil, nil
	}
	parts := make([]TopicPartition, 0, len(c.owned))
	for tp := range c.owned {
		parts = append(parts, tp)
	}
	sortParts(parts)
	var out []*ConsumedMessage
	limit := c.cfg.MaxPollRecords
	c.rr++
	for i := range parts {
		tp := parts[(c.rr+i)%len(parts)]
		q := c.owned[tp]
		if c.paused[tp] || len(q.msgs) == 0 {
			continue
		}
		n := min(len(q.msgs), limit-len(out))
		for _, m := range q.msgs[:n] {
			out = append(out, convertConsumed(m))
		}
		q.msgs = slices.Delete(q.msgs, 0, n)
		close(q.space)
		q.space = make(chan struct{})
		if len(out) >= limit {
			break
		}
	}
	return out, c.sess
}

func convertConsumed(m *sarama.ConsumerMessage) *ConsumedMessage {
	cm := &ConsumedMessage{
		Topic:         m.Topic,
		Partition:     m.Partition,
		Offset:        m.Offset,
		Key:           m.Key,
		Value:         m.Value,
		Timestamp:     m.Timestamp,
		TimestampType: CreateTime,
	}
	if m.Timestamp.IsZero() || m.Timestamp.UnixMilli() < 0 {
		cm.Timestamp, cm.TimestampType = time.Time{}, NoTimestampType
	}
	if len(m.Headers) > 0 {
		cm.Headers = make([]Header, len(m.Headers))
		for i, h := range m.Headers {
			cm.Headers[i] = Header{Key: string(h.Key), Value: h.Value}
		}
	}
	return cm
}

// Commit synchronously commits offsets (the next offset to read, per
// partition) for the current generation. Offsets of partitions this member
// does not own are dropped.
func (c *Consumer) Commit(ctx context.Context, offsets map[TopicPartition]int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return ErrClosed
	}
	sess := c.sess
	keep := make(map[TopicPartition]int64, len(offsets))
	for tp, off := range offsets {
		if _, ok := c.owned[tp]; ok && sess != nil {
			keep[tp] = off
		} else {
			c.log.Debug().Stringer("partition", tp).Int64("offset", off).Msg("Not committing the offset of a partition no longer assigned")
		}
	}
	if len(keep) == 0 {
		c.mu.Unlock()
		return nil
	}
	c.wg.Add(1) // under mu: Close cannot be waiting yet
	c.mu.Unlock()

	req := sarama.NewOffsetCommitRequest(c.cfg.sarama, c.groupID)
	req.ConsumerGroupGeneration = sess.GenerationID()
	req.ConsumerID = sess.MemberID()
	if id := c.cfg.sarama.Consumer.Group.InstanceId; id != "" {
		req.GroupInstanceId = &id
	}
	for tp, off := range keep {
		req.AddBlockWithLeaderEpoch(tp.Topic, tp.Partition, off, -1, 0, "")
	}
	// The request is not cancellable; run it aside so ctx bounds the wait.
	type result struct {
		resp *sarama.OffsetCommitResponse
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		defer c.wg.Done()
		coord, err := c.client.Coordinator(c.groupID)
		if err != nil {
			ch <- result{err: err}
			return
		}
		resp, err := coord.CommitOffset(req)
		ch <- result{resp, err}
	}()
	var r result
	select {
	case r = <-ch:
	case <-ctx.Done():
		return fmt.Errorf("kafka: commit offsets of group %s: %w", c.groupID, ctx.Err())
	}
	if r.err != nil {
		return fmt.Errorf("kafka: commit offsets of group %s: %w", c.groupID, r.err)
	}
	var errs []error
	for tp := range keep {
		kerr := r.resp.Errors[tp.Topic][tp.Partition]
		if kerr == sarama.ErrNoError {
			continue
		}
		if kerr == sarama.ErrNotCoordinatorForConsumer || kerr == sarama.ErrConsumerCoordinatorNotAvailable {
			_ = c.client.RefreshCoordinator(c.groupID)
		}
		errs = append(errs, fmt.Errorf("%s: %w", tp, kerr))
	}
	if len(errs) > 0 {
		return fmt.Errorf("kafka: commit offsets of group %s: %w", c.groupID, errors.Join(errs...))
	}
	return nil
}

// Assignment returns the partitions of the current generation.
func (c *Consumer) Assignment() []TopicPartition {
	c.mu.Lock()
	defer c.mu.Unlock()
	parts := make([]TopicPartition, 0, len(c.owned))
	for tp := range c.owned {
		parts = append(parts, tp)
	}
	sortParts(parts)
	return parts
}

// Pause stops Poll from returning records of the given partitions (all
// assigned ones when none are given) until Resume or until they are
// revoked; fetching stops once their small buffers are full.
func (c *Consumer) Pause(parts ...TopicPartition) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(parts) == 0 {
		for tp := range c.owned {
			c.paused[tp] = true
		}
		return
	}
	for _, tp := range parts {
		if _, ok := c.owned[tp]; ok {
			c.paused[tp] = true
		}
	}
}

// Resume undoes Pause for the given partitions (all when none are given).
func (c *Consumer) Resume(parts ...TopicPartition) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(parts) == 0 {
		clear(c.paused)
	}
	for _, tp := range parts {
		delete(c.paused, tp)
	}
	c.signalLocked()
}

// Close leaves the group without running the listener (WorkerSinkTask has
// closed the task before) and waits for every goroutine of the consumer.
func (c *Consumer) Close(ctx context.Context) error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	close(c.closedCh)
	c.signalLocked()
	c.mu.Unlock()

	c.cancel()
	errc := make(chan error, 1)
	go func() {
		err := c.group.Close() // leaves the group, then its errors channel closes
		c.wg.Wait()
		errc <- errors.Join(err, c.client.Close())
	}()
	select {
	case err := <-errc:
		if err != nil {
			return fmt.Errorf("kafka: close consumer of group %s: %w", c.groupID, err)
		}
		return nil
	case <-ctx.Done():
		// Dropping the connections unblocks whatever sarama still waits on.
		_ = c.client.Close()
		<-errc
		return fmt.Errorf("kafka: close consumer of group %s: %w", c.groupID, ctx.Err())
	}
}

func sortParts(parts []TopicPartition) {
	sort.Slice(parts, func(i, j int) bool {
		if parts[i].Topic != parts[j].Topic {
			return parts[i].Topic < parts[j].Topic
		}
		return parts[i].Partition < parts[j].Partition
	})
}

type partList []TopicPartition

func (p partList) String() string { return fmt.Sprint([]TopicPartition(p)) }
