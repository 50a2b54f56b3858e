package converters

import "sync"

// lru is a small synchronized LRU cache (Kafka's SynchronizedCache(LRUCache)).
type lru[K comparable, V any] struct {
	mu    sync.Mutex
	max   int
	items map[K]*lruEntry[K, V]
	head  lruEntry[K, V] // sentinel: head.next is the most recent
}

type lruEntry[K comparable, V any] struct {
	key        K
	val        V
	prev, next *lruEntry[K, V]
}

func newLRU[K comparable, V any](max int) *lru[K, V] {
	c := &lru[K, V]{max: max, items: make(map[K]*lruEntry[K, V])}
	c.head.next, c.head.prev = &c.head, &c.head
	return c
}

func (c *lru[K, V]) get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[k]
	if !ok {
		var zero V
		return zero, false
	}
	c.unlink(e)
	c.pushFront(e)
	return e.val, true
}

func (c *lru[K, V]) put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok {
		e.val = v
		c.unlink(e)
		c.pushFront(e)
		return
	}
	if c.max <= 0 {
		return
	}
	e := &lruEntry[K, V]{key: k, val: v}
	c.items[k] = e
	c.pushFront(e)
	for len(c.items) > c.max {
		last := c.head.prev
		c.unlink(last)
		delete(c.items, last.key)
	}
}

func (c *lru[K, V]) size() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

func (c *lru[K, V]) unlink(e *lruEntry[K, V]) {
	e.prev.next, e.next.prev = e.next, e.prev
}

func (c *lru[K, V]) pushFront(e *lruEntry[K, V]) {
	e.next, e.prev = c.head.next, &c.head
	c.head.next.prev = e
	c.head.next = e
}
