package kafka

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/IBM/sarama"
)

// ErrClusterUnreachable is the message Connect fails startup with when the
// cluster cannot be described; ClusterID's error wraps it and the cause.
var ErrClusterUnreachable = errors.New("Failed to connect to and describe Kafka cluster. Check worker's broker connection and security properties.")

// ErrGroupNotEmpty reports an offsets change refused because the consumer
// group still has active members.
var ErrGroupNotEmpty = errors.New("kafka: consumer group is not empty")

// NewTopic describes a topic to create; -1 means the broker's default.
type NewTopic struct {
	Name              string
	Partitions        int32
	ReplicationFactor int16
	Configs           map[string]string
}

// TopicInfo describes an existing topic.
type TopicInfo struct {
	Partitions        int32
	ReplicationFactor int16
}

// Admin wraps sarama's ClusterAdmin. It connects lazily, on the first call,
// so that a cluster that is down at startup is retried under the caller's
// context rather than failing the constructor.
type Admin struct {
	cfg *ClientConfig

	mu      sync.Mutex
	admin   sarama.ClusterAdmin
	client  sarama.Client
	attempt *dialAttempt // connection attempt in progress, if any
	closed  bool
	wg      sync.WaitGroup // dials and calls run aside so ctx bounds the wait
}

type dialAttempt struct {
	done chan struct{}
	err  error
}

// NewAdmin validates cfg; it does not connect yet.
func NewAdmin(cfg *ClientConfig) (*Admin, error) {
	if cfg.Kind != KindAdmin {
		return nil, fmt.Errorf("kafka: NewAdmin needs a %s config, got %s", KindAdmin, cfg.Kind)
	}
	return &Admin{cfg: cfg}, nil
}

// connect returns the connected admin, starting or joining a connection
// attempt. The attempt runs on its own goroutine (sarama's bootstrap is not
// cancellable): when ctx ends first its result is kept for the next call.
func (a *Admin) connect(ctx context.Context) (sarama.ClusterAdmin, sarama.Client, error) {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return nil, nil, ErrClosed
	}
	if a.admin != nil {
		defer a.mu.Unlock()
		return a.admin, a.client, nil
	}
	at := a.attempt
	if at == nil {
		at = &dialAttempt{done: make(chan struct{})}
		a.attempt = at
		a.wg.Add(1)
		go a.dial(at)
	}
	a.mu.Unlock()
	select {
	case <-at.done:
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if at.err != nil {
		return nil, nil, at.err
	}
	if a.admin == nil {
		return nil, nil, ErrClosed
	}
	return a.admin, a.client, nil
}

func (a *Admin) dial(at *dialAttempt) {
	defer a.wg.Done()
	client, err := sarama.NewClient(a.cfg.Brokers, a.cfg.sarama)
	var adm sarama.ClusterAdmin
	if err == nil {
		if adm, err = sarama.NewClusterAdminFromClient(client); err != nil {
			_ = client.Close()
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.attempt = nil // the next call starts a new attempt if this one failed
	at.err = err
	if err == nil {
		if a.closed {
			_ = adm.Close()
		} else {
			a.admin, a.client = adm, client
		}
	}
	close(at.done)
}

// do runs op on a connected admin; ctx bounds the wait (sarama's calls are
// not cancellable, so op runs on a goroutine Close waits for).
func (a *Admin) do(ctx context.Context, op func(sarama.ClusterAdmin, sarama.Client) error) error {
	adm, client, err := a.connect(ctx)
	if err != nil {
		return err
	}
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return ErrClosed
	}
	a.wg.Add(1)
	a.mu.Unlock()
	ch := make(chan error, 1)
	go func() {
		defer a.wg.Done()
		ch <- op(adm, client)
	}()
	select {
	case err := <-ch:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ClusterID returns the cluster ID, retrying with backoff until ctx ends;
// the error then wraps ErrClusterUnreachable and the last cause.
func (a *Admin) ClusterID(ctx context.Context) (string, error) {
	backoff := a.cfg.RetryBackoff
	for {
		var id string
		err := a.do(ctx, func(_ sarama.ClusterAdmin, client sarama.Client) error {
			b := client.LeastLoadedBroker()
			if b == nil {
				return sarama.ErrOutOfBrokers
			}
			resp, err := b.GetMetadata(sarama.NewMetadataRequest(a.cfg.sarama.Version, nil))
			if err != nil {
				return err
			}
			if resp.ClusterID == nil || *resp.ClusterID == "" {
				return errors.New("the broker did not return a cluster ID")
			}
			id = *resp.ClusterID
			return nil
		})
		if err == nil {
			return id, nil
		}
		if errors.Is(err, ErrClosed) {
			return "", err
		}
		if isAuthError(err) {
			return "", fmt.Errorf("%w %w", ErrClusterUnreachable, err)
		}
		a.cfg.Logger.Debug().Err(err).Dur("backoff", backoff).Msg("Kafka cluster not reachable yet")
		if ctx.Err() == nil {
			select {
			case <-time.After(backoff):
			case <-ctx.Done():
			}
		}
		if ctx.Err() != nil {
			cause := err
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				cause = fmt.Errorf("%w (bootstrap.servers=%v)", err, a.cfg.Brokers)
			}
			return "", fmt.Errorf("%w %w", ErrClusterUnreachable, cause)
		}
		backoff = min(backoff*2, a.cfg.RetryBackoffMax)
	}
}

// CreateTopics creates the topics that do not exist yet. A topic that
// already exists is reported in existing, not as an error; the error joins
// the failures of the other topics.
func (a *Admin) CreateTopics(ctx context.Context, topics []NewTopic) (created, existing []string, err error) {
	var errs []error
	for _, t := range topics {
		detail := &sarama.TopicDetail{NumPartitions: t.Partitions, ReplicationFactor: t.ReplicationFactor}
		if len(t.Configs) > 0 {
			detail.ConfigEntries = make(map[string]*string, len(t.Configs))
			for k, v := range t.Configs {
				detail.ConfigEntries[k] = &v
			}
		}
		e := a.do(ctx, func(adm sarama.ClusterAdmin, _ sarama.Client) error {
			return adm.CreateTopic(t.Name, detail, false)
		})
		switch {
		case e == nil:
			created = append(created, t.Name)
		case errors.Is(e, sarama.ErrTopicAlreadyExists):
			existing = append(existing, t.Name)
		default:
			errs = append(errs, fmt.Errorf("create topic %s (partitions %d, replication factor %d): %w", t.Name, t.Partitions, t.ReplicationFactor, e))
			if ctx.Err() != nil {
				return created, existing, fmt.Errorf("kafka: %w", errors.Join(errs...))
			}
		}
	}
	if len(errs) > 0 {
		return created, existing, fmt.Errorf("kafka: %w", errors.Join(errs...))
	}
	return created, existing, nil
}

// ListTopics returns the cluster's topics, internal ones excluded.
func (a *Admin) ListTopics(ctx context.Context) (map[string]TopicInfo, error) {
	out := map[string]TopicInfo{}
	err := a.do(ctx, func(_ sarama.ClusterAdmin, client sarama.Client) error {
		b := client.LeastLoadedBroker()
		if b == nil {
			return sarama.ErrOutOfBrokers
		}
		resp, err := b.GetMetadata(sarama.NewMetadataRequest(a.cfg.sarama.Version, nil))
		if err != nil {
			return err
		}
		for _, t := range resp.Topics {
			if t.IsInternal || internalTopics[t.Name] || t.Err != sarama.ErrNoError {
				continue
			}
			info := TopicInfo{Partitions: int32(len(t.Partitions))}
			if len(t.Partitions) > 0 {
				info.ReplicationFactor = int16(len(t.Partitions[0].Replicas))
			}
			out[t.Name] = info
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("kafka: list topics: %w", err)
	}
	return out, nil
}

// ConsumerGroupOffsets returns the committed offsets of a group (empty for
// an unknown group).
func (a *Admin) ConsumerGroupOffsets(ctx context.Context, group string) (map[TopicPartition]int64, error) {
	out := map[TopicPartition]int64{}
	err := a.do(ctx, func(adm sarama.ClusterAdmin, _ sarama.Client) error {
		resp, err := adm.ListConsumerGroupOffsets(group, nil)
		if err != nil {
			return err
		}
		if resp.Err != sarama.ErrNoError {
			return resp.Err
		}
		for topic, parts := range resp.Blocks {
			for p, blk := range parts {
				if blk.Err != sarama.ErrNoError {
					return fmt.Errorf("%s-%d: %w", topic, p, blk.Err)
				}
				if blk.Offset >= 0 {
					out[TopicPartition{topic, p}] = blk.Offset
				}
			}
		}
		return nil
	})
	if errors.Is(err, sarama.ErrGroupIDNotFound) {
		return map[TopicPartition]int64{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("kafka: list offsets of consumer group %s: %w", group, err)
	}
	return out, nil
}

// AlterConsumerGroupOffsets sets committed offsets (next offset to read);
// the group must have no active members.
func (a *Admin) AlterConsumerGroupOffsets(ctx context.Context, group string, offsets map[TopicPartition]int64) error {
	if len(offsets) == 0 {
		return nil
	}
	req := map[string]map[int32]sarama.OffsetAndMetadata{}
	for tp, off := range offsets {
		if req[tp.Topic] == nil {
			req[tp.Topic] = map[int32]sarama.OffsetAndMetadata{}
		}
		req[tp.Topic][tp.Partition] = sarama.OffsetAndMetadata{Offset: off, LeaderEpoch: -1}
	}
	err := a.do(ctx, func(adm sarama.ClusterAdmin, _ sarama.Client) error {
		resp, err := adm.AlterConsumerGroupOffsets(group, req, nil)
		if err != nil {
			return err
		}
		var errs []error
		for topic, parts := range resp.Errors {
			for p, kerr := range parts {
				if kerr != sarama.ErrNoError {
					errs = append(errs, fmt.Errorf("%s-%d: %w", topic, p, kerr))
				}
			}
		}
		return errors.Join(errs...)
	})
	if err != nil {
		return fmt.Errorf("kafka: alter offsets of consumer group %s: %w", group, groupErr(err))
	}
	return nil
}

// DeleteConsumerGroupOffsets removes committed offsets; an unknown group has
// none to remove.
func (a *Admin) DeleteConsumerGroupOffsets(ctx context.Context, group string, parts []TopicPartition) error {
	sorted := append([]TopicPartition(nil), parts...)
	sortParts(sorted)
	for _, tp := range sorted {
		err := a.do(ctx, func(adm sarama.ClusterAdmin, _ sarama.Client) error {
			return adm.DeleteConsumerGroupOffset(group, tp.Topic, tp.Partition)
		})
		if errors.Is(err, sarama.ErrGroupIDNotFound) {
			return nil
		}
		if err != nil && !errors.Is(err, sarama.ErrUnknownTopicOrPartition) {
			return fmt.Errorf("kafka: delete offset of %s for consumer group %s: %w", tp, group, groupErr(err))
		}
	}
	return nil
}

// DeleteConsumerGroup deletes a group and its offsets; an unknown group is
// not an error, a group with members is ErrGroupNotEmpty.
func (a *Admin) DeleteConsumerGroup(ctx context.Context, group string) error {
	err := a.do(ctx, func(adm sarama.ClusterAdmin, _ sarama.Client) error {
		return adm.DeleteConsumerGroup(group)
	})
	if err == nil || errors.Is(err, sarama.ErrGroupIDNotFound) {
		return nil
	}
	return fmt.Errorf("kafka: delete consumer group %s: %w", group, groupErr(err))
}

// groupErr adds ErrGroupNotEmpty to the errors Kafka gives for a group that
// still has members.
func groupErr(err error) error {
	if errors.Is(err, sarama.ErrNonEmptyGroup) || errors.Is(err, sarama.ErrUnknownMemberId) ||
		errors.Is(err, sarama.ErrIllegalGeneration) || errors.Is(err, sarama.ErrRebalanceInProgress) {
		return fmt.Errorf("%w: %w", ErrGroupNotEmpty, err)
	}
	return err
}

// Close waits for calls in flight and closes the connections.
func (a *Admin) Close() error {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return nil
	}
	a.closed = true
	adm := a.admin
	a.mu.Unlock()
	a.wg.Wait()
	if adm != nil {
		if err := adm.Close(); err != nil && !errors.Is(err, sarama.ErrClosedClient) {
			return fmt.Errorf("kafka: close admin: %w", err)
		}
	}
	return nil
}
