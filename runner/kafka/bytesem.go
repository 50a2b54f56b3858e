package kafka

import (
	"context"
	"sync"
	"time"
)

// byteSem is a byte-weighted semaphore whose waiters honour a context, a
// timeout and a close signal. Releases signal only when someone waits, so
// the uncontended path is a mutex and two additions.
type byteSem struct {
	max     int64
	mu      sync.Mutex
	used    int64
	waiters int
	changed chan struct{} // closed and replaced on a release while waiters > 0
}

func newByteSem(max int64) *byteSem {
	return &byteSem{max: max, changed: make(chan struct{})}
}

// wait returns the channel the next release closes; the caller must call
// unwait once woken or gone. Caller holds mu.
func (s *byteSem) wait() <-chan struct{} {
	s.waiters++
	return s.changed
}

func (s *byteSem) unwait() {
	s.mu.Lock()
	s.waiters--
	s.mu.Unlock()
}

func (s *byteSem) acquire(ctx context.Context, n int64, timeout time.Duration, closing <-chan struct{}) error {
	var timer <-chan time.Time
	for {
		s.mu.Lock()
		// A record always fits into an empty buffer, so one larger than
		// what is left never starves.
		if s.used == 0 || s.used+n <= s.max {
			s.used += n
			s.mu.Unlock()
			return nil
		}
		ch := s.wait()
		s.mu.Unlock()
		if timer == nil && timeout < time.Duration(1<<62) {
			t := time.NewTimer(timeout)
			defer t.Stop()
			timer = t.C
		}
		var err error
		select {
		case <-ch:
		case <-ctx.Done():
			err = ctx.Err()
		case <-closing:
			err = ErrClosed
		case <-timer:
			err = ErrBufferTimeout
		}
		s.unwait()
		if err != nil {
			return err
		}
	}
}

func (s *byteSem) release(n int64) {
	s.mu.Lock()
	s.used -= n
	if s.waiters > 0 {
		close(s.changed)
		s.changed = make(chan struct{})
	}
	s.mu.Unlock()
}

func (s *byteSem) inUse() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.used
}

func (s *byteSem) waitEmpty(ctx context.Context) error {
	for {
		s.mu.Lock()
		if s.used == 0 {
			s.mu.Unlock()
			return nil
		}
		ch := s.wait()
		s.mu.Unlock()
		var err error
		select {
		case <-ch:
		case <-ctx.Done():
			err = ctx.Err()
		}
		s.unwait()
		if err != nil {
			return err
		}
	}
}
