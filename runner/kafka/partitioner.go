package kafka

import (
	"encoding/binary"
	"fmt"

	"github.com/IBM/sarama"
)

// murmur2 is Java's Utils.murmur2 (the built-in partitioner's hash).
func murmur2(b []byte) uint32 {
	const (
		seed uint32 = 0x9747b28c
		m    uint32 = 0x5bd1e995
		r           = 24
	)
	h := seed ^ uint32(len(b))
	for len(b) >= 4 {
		k := binary.LittleEndian.Uint32(b)
		b = b[4:]
		k *= m
		k ^= k >> r
		k *= m
		h *= m
		h ^= k
	}
	switch len(b) {
	case 3:
		h ^= uint32(b[2]) << 16
		fallthrough
	case 2:
		h ^= uint32(b[1]) << 8
		fallthrough
	case 1:
		h ^= uint32(b[0])
		h *= m
	}
	h ^= h >> 13
	h *= m
	h ^= h >> 15
	return h
}

// keyPartition is BuiltInPartitioner.partitionForKey:
// toPositive(murmur2(key)) % n.
func keyPartition(key []byte, n int32) int32 {
	return int32(murmur2(key)&0x7fffffff) % n
}

func invalidPartition(p, n int32) error {
	return fmt.Errorf("kafka: invalid partition given with record: %d is not in the range [0...%d): %w",
		p, n, sarama.ErrInvalidPartition)
}

// connectPartitioner is the partitioner set in the sarama configuration
// (sarama.Config.Producer.Partitioner), for code that reads it; Producer
// partitions itself (partitionFor) with the same rules. It honours an explicit Message.Partition and otherwise
// delegates (murmur2 by default, as Java's BuiltInPartitioner for keyed
// records).
type connectPartitioner struct{ inner sarama.Partitioner }

func newConnectPartitioner(inner sarama.PartitionerConstructor) sarama.PartitionerConstructor {
	return func(topic string) sarama.Partitioner { return connectPartitioner{inner(topic)} }
}

func (c connectPartitioner) Partition(m *sarama.ProducerMessage, n int32) (int32, error) {
	if pd, ok := m.Metadata.(*pending); ok && pd.partition >= 0 {
		if pd.partition >= n {
			return -1, invalidPartition(pd.partition, n)
		}
		return pd.partition, nil
	}
	return c.inner.Partition(m, n)
}

func (c connectPartitioner) RequiresConsistency() bool { return true }

func (c connectPartitioner) MessageRequiresConsistency(m *sarama.ProducerMessage) bool {
	if pd, ok := m.Metadata.(*pending); ok && pd.partition >= 0 {
		return true
	}
	if d, ok := c.inner.(sarama.DynamicConsistencyPartitioner); ok {
		return d.MessageRequiresConsistency(m)
	}
	return c.inner.RequiresConsistency()
}
