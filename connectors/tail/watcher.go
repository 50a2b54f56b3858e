package tail

import (
	"sync"

	"github.com/fsnotify/fsnotify"
	"github.com/rs/zerolog"
)

// watcher turns fsnotify events on the watched directories into hints for
// the task: which paths were written to, and whether files appeared, moved
// or vanished (a rescan). Bursts coalesce: paths collect in a set and the
// task is woken through a channel of capacity one, so a file written
// 10,000 times a second costs a few reads, not 10,000.
type watcher struct {
	fw   *fsnotify.Watcher
	log  *zerolog.Logger
	wake chan struct{}
	done chan struct{}

	mu     sync.Mutex
	dirs   map[string]bool
	dirty  map[string]struct{}
	rescan bool
}

// newWatcher starts watching; it returns nil (and the task polls) when the
// platform or its limits do not allow it.
func newWatcher(log *zerolog.Logger) *watcher {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		log.Warn().Err(err).Msg("file-system events are unavailable; falling back to polling")
		return nil
	}
	w := &watcher{fw: fw, log: log, wake: make(chan struct{}, 1), done: make(chan struct{}),
		dirs: map[string]bool{}, dirty: map[string]struct{}{}}
	go w.run()
	return w
}

func (w *watcher) run() {
	defer close(w.done)
	for {
		select {
		case ev, ok := <-w.fw.Events:
			if !ok {
				return
			}
			w.mu.Lock()
			if ev.Has(fsnotify.Write) {
				w.dirty[ev.Name] = struct{}{}
			}
			if ev.Has(fsnotify.Create) || ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
				w.rescan = true
				w.dirty[ev.Name] = struct{}{}
			}
			w.mu.Unlock()
			w.signal()
		case err, ok := <-w.fw.Errors:
			if !ok {
				return
			}
			// An overflowed queue lost events: look at everything again.
			w.log.Debug().Err(err).Msg("file-system watcher error; rescanning")
			w.mu.Lock()
			w.rescan = true
			w.mu.Unlock()
			w.signal()
		}
	}
}

func (w *watcher) signal() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// sync watches exactly dirs (adding new ones, dropping vanished ones).
func (w *watcher) sync(dirs []string) {
	want := make(map[string]bool, len(dirs))
	for _, d := range dirs {
		want[d] = true
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for d := range w.dirs {
		if !want[d] {
			_ = w.fw.Remove(d)
			delete(w.dirs, d)
		}
	}
	for d := range want {
		if w.dirs[d] {
			continue
		}
		if err := w.fw.Add(d); err != nil {
			w.log.Debug().Err(err).Str("dir", d).Msg("cannot watch directory; it is polled")
			continue
		}
		w.dirs[d] = true
	}
}

// take returns and clears the collected hints.
func (w *watcher) take() (dirty []string, rescan bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for p := range w.dirty {
		dirty = append(dirty, p)
	}
	clear(w.dirty)
	rescan, w.rescan = w.rescan, false
	return dirty, rescan
}

func (w *watcher) close() {
	w.fw.Close()
	<-w.done
}
