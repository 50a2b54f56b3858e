package devkafka

import (
	"fmt"
	"net"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// errNotLeaderOrFollower is the NOT_LEADER_OR_FOLLOWER error code.
const errNotLeaderOrFollower int16 = 6

// Fault is a broker misbehaviour a test can inject for a while.
type Fault int

const (
	// FaultDown makes the broker unreachable: open connections are cut and
	// new ones are closed as soon as they are accepted, as when Kafka is
	// down (clients see connection resets and EOFs).
	FaultDown Fault = iota + 1
	// FaultProduceLeaderUnavailable answers every Produce with
	// NOT_LEADER_OR_FOLLOWER for each partition (a leader election).
	FaultProduceLeaderUnavailable
	// FaultFetchLeaderUnavailable answers every Fetch with
	// NOT_LEADER_OR_FOLLOWER for each partition.
	FaultFetchLeaderUnavailable
	// FaultProduceDropConnection closes the connection of every Produce
	// request without answering it.
	FaultProduceDropConnection
)

func (f Fault) String() string {
	switch f {
	case FaultDown:
		return "down"
	case FaultProduceLeaderUnavailable:
		return "produce-leader-unavailable"
	case FaultFetchLeaderUnavailable:
		return "fetch-leader-unavailable"
	case FaultProduceDropConnection:
		return "produce-drop-connection"
	}
	return fmt.Sprintf("Fault(%d)", int(f))
}

// InjectFault makes the broker misbehave as f describes for d, starting now;
// it returns at once. Faults may overlap.
func (b *Broker) InjectFault(f Fault, d time.Duration) error {
	until := time.Now().Add(d)
	b.log.Warn().Stringer("fault", f).Dur("duration", d).Msg("dev-kafka: injecting fault")
	switch f {
	case FaultDown:
		b.ln.refuseUntil(until)
	case FaultProduceLeaderUnavailable, FaultProduceDropConnection:
		drop := f == FaultProduceDropConnection
		b.cluster.ControlKey(int16(kmsg.Produce), func(kreq kmsg.Request) (kmsg.Response, error, bool) {
			if !b.faultActive(until) {
				return nil, nil, false
			}
			if drop {
				return nil, fmt.Errorf("dev-kafka: injected fault %s", f), true
			}
			req := kreq.(*kmsg.ProduceRequest)
			resp := req.ResponseKind().(*kmsg.ProduceResponse)
			for _, t := range req.Topics {
				rt := kmsg.NewProduceResponseTopic()
				rt.Topic, rt.TopicID = t.Topic, t.TopicID
				for _, p := range t.Partitions {
					rp := kmsg.NewProduceResponseTopicPartition()
					rp.Partition = p.Partition
					rp.ErrorCode = errNotLeaderOrFollower
					rp.BaseOffset = -1
					rt.Partitions = append(rt.Partitions, rp)
				}
				resp.Topics = append(resp.Topics, rt)
			}
			return resp, nil, true
		})
	case FaultFetchLeaderUnavailable:
		b.cluster.ControlKey(int16(kmsg.Fetch), func(kreq kmsg.Request) (kmsg.Response, error, bool) {
			if !b.faultActive(until) {
				return nil, nil, false
			}
			req := kreq.(*kmsg.FetchRequest)
			resp := req.ResponseKind().(*kmsg.FetchResponse)
			for _, t := range req.Topics {
				rt := kmsg.NewFetchResponseTopic()
				rt.Topic, rt.TopicID = t.Topic, t.TopicID
				for _, p := range t.Partitions {
					rp := kmsg.NewFetchResponseTopicPartition()
					rp.Partition = p.Partition
					rp.ErrorCode = errNotLeaderOrFollower
					rp.HighWatermark, rp.LastStableOffset, rp.LogStartOffset = -1, -1, -1
					rt.Partitions = append(rt.Partitions, rp)
				}
				resp.Topics = append(resp.Topics, rt)
			}
			return resp, nil, true
		})
	default:
		return fmt.Errorf("dev-kafka: unknown fault %v", f)
	}
	return nil
}

// faultActive keeps the running control function while the fault lasts and
// drops it afterwards; it must be called from a control function.
func (b *Broker) faultActive(until time.Time) bool {
	if time.Now().Before(until) {
		b.cluster.KeepControl()
		return true
	}
	b.cluster.DropControl()
	return false
}

// refuseUntil cuts every open connection and refuses new ones until t.
func (l *trackingListener) refuseUntil(t time.Time) {
	l.mu.Lock()
	if t.After(l.refuse) {
		l.refuse = t
	}
	conns := l.conns
	if !l.closed {
		l.conns = make(map[net.Conn]struct{})
	}
	l.mu.Unlock()
	for c := range conns {
		c.(*trackedConn).Conn.Close()
	}
}
