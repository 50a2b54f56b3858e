package runner

import (
	"maps"
	"slices"
	"sync"
	"sync/atomic"
)

// topicTracker records the topics each connector's tasks use (KIP-558).
// Tasks keep a topicCache so the shared map is touched once per new topic;
// a reset bumps gen, which empties every cache.
type topicTracker struct {
	gen atomic.Uint64

	mu     sync.Mutex
	topics map[string]map[string]struct{}
}

func newTopicTracker() *topicTracker {
	return &topicTracker{topics: map[string]map[string]struct{}{}}
}

func (t *topicTracker) add(connector, topic string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.topics[connector] == nil {
		t.topics[connector] = map[string]struct{}{}
	}
	t.topics[connector][topic] = struct{}{}
}

func (t *topicTracker) get(connector string) []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Sorted(maps.Keys(t.topics[connector]))
}

func (t *topicTracker) reset(connector string) {
	t.mu.Lock()
	delete(t.topics, connector)
	t.mu.Unlock()
	t.gen.Add(1)
}

// topicCache is a task's memory of the topics it has reported. It is used
// only by the task goroutine.
type topicCache struct {
	gen  uint64
	seen map[string]struct{}
}

func (c *topicCache) record(t *topicTracker, connector, topic string) {
	if g := t.gen.Load(); g != c.gen || c.seen == nil {
		c.gen, c.seen = g, map[string]struct{}{}
	}
	if _, ok := c.seen[topic]; ok {
		return
	}
	c.seen[topic] = struct{}{}
	t.add(connector, topic)
}
