package metrics

import (
	"math"
	"sync"
	"sync/atomic"
)

// The windowed statistics below follow Kafka's SampledStat: a value is
// computed over the last Samples windows of Window each
// (metrics.sample.window.ms × metrics.num.samples, 30 s × 2 by default);
// windows older than that are forgotten.

type sample struct {
	start int64 // ms
	count int64
	sum   float64
	max   float64
}

// windowed is a sampled avg/max (Kafka's Avg and Max) over the values
// recorded per batch; it takes a lock, so record it per batch, not per
// record.
type windowed struct {
	mu      sync.Mutex
	samples []sample
	cur     int
}

func (w *windowed) init(n int, now int64) {
	w.samples = make([]sample, n)
	for i := range w.samples {
		w.samples[i].start = now
	}
}

// current returns the sample to record into at now, advancing to the next
// one when the current window is complete.
func (w *windowed) current(now int64, o *Options) *sample {
	s := &w.samples[w.cur]
	if now-s.start >= o.window {
		w.cur = (w.cur + 1) % len(w.samples)
		s = &w.samples[w.cur]
		*s = sample{start: now}
	}
	return s
}

func (w *windowed) purge(now int64, o *Options) {
	expire := o.window * int64(len(w.samples))
	for i := range w.samples {
		if now-w.samples[i].start >= expire {
			w.samples[i] = sample{start: now}
		}
	}
}

func (w *windowed) record(v float64, now int64, o *Options) {
	w.mu.Lock()
	s := w.current(now, o)
	if s.count == 0 || v > s.max {
		s.max = v
	}
	s.count++
	s.sum += v
	w.mu.Unlock()
}

// measure returns the average, the maximum and the number of values in the
// live windows; avg and max are NaN without values, as in Kafka.
func (w *windowed) measure(now int64, o *Options) (avg, max float64, count int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.purge(now, o)
	var sum float64
	max = math.Inf(-1)
	for _, s := range w.samples {
		if s.count == 0 {
			continue
		}
		count += s.count
		sum += s.sum
		max = math.Max(max, s.max)
	}
	if count == 0 {
		return math.NaN(), math.NaN(), 0
	}
	return sum / float64(count), max, count
}

// counter is a cumulative total plus its windowed rate (Kafka's
// CumulativeSum/CumulativeCount and Rate). add is a single atomic add, fine
// on a per-record path; tick, which takes a lock, marks window boundaries
// with the running total and is called per batch and at every scrape.
type counter struct {
	total atomic.Int64
	mu    sync.Mutex
	marks []mark // window start marks
	cur   int
}

type mark struct {
	start int64 // ms
	total int64 // total at start
}

func (c *counter) init(n int, now int64) {
	c.marks = make([]mark, n)
	for i := range c.marks {
		c.marks[i].start = now
	}
}

func (c *counter) add(n int64) { c.total.Add(n) }

func (c *counter) tick(now int64, o *Options) {
	c.mu.Lock()
	c.tickLocked(now, o)
	c.mu.Unlock()
}

func (c *counter) tickLocked(now int64, o *Options) {
	if now-c.marks[c.cur].start >= o.window {
		c.cur = (c.cur + 1) % len(c.marks)
		c.marks[c.cur] = mark{start: now, total: c.total.Load()}
	}
}

// rate is the per-second rate over the live windows, with Kafka's
// Rate.windowSize: the elapsed time counts at least Samples-1 full windows.
func (c *counter) rate(now int64, o *Options) float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tickLocked(now, o)
	total := c.total.Load()
	expire := o.window * int64(len(c.marks))
	oldest := -1
	for i, m := range c.marks {
		if now-m.start < expire && (oldest < 0 || m.start < c.marks[oldest].start) {
			oldest = i
		}
	}
	if oldest < 0 { // everything expired: start afresh
		c.marks[c.cur] = mark{start: now, total: total}
		return 0
	}
	elapsed := now - c.marks[oldest].start
	if full, minFull := elapsed/o.window, int64(len(c.marks)-1); full < minFull {
		elapsed += (minFull - full) * o.window
	}
	if elapsed <= 0 {
		return 0
	}
	return float64(total-c.marks[oldest].total) / (float64(elapsed) / 1000)
}
