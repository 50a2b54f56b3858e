// Package loggers gives the process named, hierarchical loggers whose levels
// can be read and changed at run time, as Kafka Connect's /admin/loggers
// endpoints do with log4j (org.apache.kafka.connect.runtime.Loggers).
//
// Names are dotted like Java class names. A logger without an explicit level
// takes the level of its nearest ancestor that has one (by dotted prefix),
// else the root level. Every named logger is a zerolog.Logger carrying a
// "logger" field and a hook that discards events below its effective level.
package loggers

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"
)

// RootName is the name clients use for the root logger.
const RootName = "root"

// Level is a log4j level name and its zerolog equivalent.
type Level struct {
	Name  string // OFF, FATAL, ERROR, WARN, INFO, DEBUG, TRACE or ALL
	level zerolog.Level
}

var levels = []Level{
	{"OFF", zerolog.Disabled},
	{"FATAL", zerolog.FatalLevel},
	{"ERROR", zerolog.ErrorLevel},
	{"WARN", zerolog.WarnLevel},
	{"INFO", zerolog.InfoLevel},
	{"DEBUG", zerolog.DebugLevel},
	{"TRACE", zerolog.TraceLevel},
	{"ALL", zerolog.TraceLevel},
}

// ParseLevel accepts a log4j level name, case-insensitively.
func ParseLevel(s string) (Level, bool) {
	for _, l := range levels {
		if strings.EqualFold(l.Name, s) {
			return l, true
		}
	}
	return Level{}, false
}

// FromZerolog maps a zerolog level to the log4j name clients see.
func FromZerolog(l zerolog.Level) Level {
	switch {
	case l == zerolog.Disabled || l == zerolog.NoLevel:
		return levels[0]
	case l >= zerolog.PanicLevel, l == zerolog.FatalLevel:
		return levels[1]
	case l == zerolog.ErrorLevel:
		return levels[2]
	case l == zerolog.WarnLevel:
		return levels[3]
	case l == zerolog.InfoLevel:
		return levels[4]
	case l == zerolog.DebugLevel:
		return levels[5]
	}
	return levels[6]
}

type entry struct {
	explicit     *Level
	lastModified *int64 // epoch ms of the last level change, nil if never changed
}

// Registry owns the named loggers. Safe for concurrent use.
type Registry struct {
	base zerolog.Logger // at trace level; hooks decide

	mu       sync.RWMutex
	root     Level
	rootMod  *int64
	loggers  map[string]*entry
	nowMilli func() int64
}

// New returns a registry whose root level is base's level. Loggers it
// hands out write through base (without its level filter).
func New(base zerolog.Logger) *Registry {
	return &Registry{
		base:     base.Level(zerolog.TraceLevel),
		root:     FromZerolog(base.GetLevel()),
		loggers:  map[string]*entry{},
		nowMilli: func() int64 { return time.Now().UnixMilli() },
	}
}

// Logger returns the named logger, registering the name (without an
// explicit level) the first time.
func (r *Registry) Logger(name string) zerolog.Logger {
	r.mu.Lock()
	if _, ok := r.loggers[name]; !ok {
		r.loggers[name] = &entry{}
	}
	r.mu.Unlock()
	return r.base.With().Str("logger", name).Logger().Hook(levelHook{r: r, name: name})
}

type levelHook struct {
	r    *Registry
	name string
}

func (h levelHook) Run(e *zerolog.Event, l zerolog.Level, _ string) {
	if eff := h.r.effective(h.name).level; eff == zerolog.Disabled || (l != zerolog.NoLevel && l < eff) {
		e.Discard()
	}
}

// effective is the explicit level of name or of its nearest ancestor, else root.
func (r *Registry) effective(name string) Level {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.effectiveLocked(name)
}

func (r *Registry) effectiveLocked(name string) Level {
	for n := name; n != ""; {
		if e, ok := r.loggers[n]; ok && e.explicit != nil {
			return *e.explicit
		}
		i := strings.LastIndexByte(n, '.')
		if i < 0 {
			break
		}
		n = n[:i]
	}
	return r.root
}

// LoggerLevel is one logger's level as GET /admin/loggers reports it.
type LoggerLevel struct {
	Level        string
	LastModified *int64
}

// All returns root and every logger with an explicitly set level.
func (r *Registry) All() map[string]LoggerLevel {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := map[string]LoggerLevel{RootName: {Level: r.root.Name, LastModified: r.rootMod}}
	for n, e := range r.loggers {
		if e.explicit != nil {
			out[n] = LoggerLevel{Level: e.explicit.Name, LastModified: e.lastModified}
		}
	}
	return out
}

// Get returns a logger's effective level; ok is false for a name that was
// never registered or set (loggers are not created by looking them up).
func (r *Registry) Get(name string) (LoggerLevel, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if strings.EqualFold(name, RootName) {
		return LoggerLevel{Level: r.root.Name, LastModified: r.rootMod}, true
	}
	e, ok := r.loggers[name]
	if !ok {
		return LoggerLevel{}, false
	}
	return LoggerLevel{Level: r.effectiveLocked(name).Name, LastModified: e.lastModified}, true
}

// Set gives the namespace logger (created if absent) and every known logger
// whose name starts with namespace the level, and returns the affected names
// sorted. "root" (any case) sets the root level and every logger.
func (r *Registry) Set(namespace string, l Level) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.nowMilli()
	isRoot := strings.EqualFold(namespace, RootName)
	if isRoot {
		if r.root != l {
			r.root = l
			r.rootMod = &now
		}
	} else if _, ok := r.loggers[namespace]; !ok {
		r.loggers[namespace] = &entry{}
	}
	var affected []string
	for n, e := range r.loggers {
		if !isRoot && !strings.HasPrefix(n, namespace) {
			continue
		}
		if e.explicit == nil || *e.explicit != l {
			lv := l
			e.explicit = &lv
			e.lastModified = &now
		}
		affected = append(affected, n)
	}
	if isRoot {
		affected = append(affected, RootName)
	}
	slices.Sort(affected)
	return affected
}

// Names lists every registered logger, sorted (for tests and diagnostics).
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return slices.Sorted(maps.Keys(r.loggers))
}

// String is for debugging.
func (r *Registry) String() string {
	return fmt.Sprintf("loggers.Registry{root=%s, %d loggers}", r.effective("").Name, len(r.Names()))
}

// Well-known logger names, after the Kafka classes doing the same job.
const (
	Worker     = "org.apache.kafka.connect.runtime.Worker"
	RestServer = "org.apache.kafka.connect.runtime.rest.RestServer"
	Standalone = "org.apache.kafka.connect.cli.ConnectStandalone"
)
