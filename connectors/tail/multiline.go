package tail

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// line is one decoded line, or one joined multiline event.
type line struct {
	text      string
	end       int64 // file position just past its terminator
	size      int64 // length in the file before cutting, terminators excluded
	truncated bool
}

// multiline joins lines into events the way Filebeat's multiline parser
// (pattern / negate / match) does:
//
//   - match=after: a line for which the pattern matches (with negate: does
//     not match) is appended to the event before it; any other line starts
//     a new event.
//   - match=before: such a line is continued by the line after it; the
//     first line that is not one ends the event.
//
// An event is sent when it ends, when no line was added for timeout, or
// when the file is closed. Events are cut at maxBytes like long lines.
type multiline struct {
	re       *regexp.Regexp
	negate   bool
	before   bool
	timeout  time.Duration
	maxBytes int

	pending line
	sb      strings.Builder
	has     bool
	last    time.Time // when a line was last added
}

func newMultiline(c *config) *multiline {
	if c.multiline == nil {
		return nil
	}
	return &multiline{re: c.multiline, negate: c.negate, before: c.matchBefore, timeout: c.multiTimeout, maxBytes: c.maxLineBytes}
}

// add feeds one line and calls emit for each event it completes.
func (m *multiline) add(l line, now time.Time, emit func(line)) {
	joined := m.re.MatchString(l.text) != m.negate
	if !m.before {
		if !joined || !m.has {
			m.flush(emit)
			m.start(l, now)
			return
		}
		m.append(l, now)
		return
	}
	if m.has {
		m.append(l, now)
	} else {
		m.start(l, now)
	}
	if !joined {
		m.flush(emit)
	}
}

func (m *multiline) start(l line, now time.Time) {
	m.pending, m.has, m.last = l, true, now
	m.sb.Reset()
	m.sb.WriteString(l.text)
}

func (m *multiline) append(l line, now time.Time) {
	p := &m.pending
	p.end, m.last = l.end, now
	p.size += 1 + l.size
	p.truncated = p.truncated || l.truncated
	if m.sb.Len() >= m.maxBytes {
		p.truncated = true
		return
	}
	room := m.maxBytes - m.sb.Len()
	piece := "\n" + l.text
	if len(piece) > room {
		piece = cutString(piece, room)
		p.truncated = true
	}
	m.sb.WriteString(piece)
}

// flush sends the pending event, if any.
func (m *multiline) flush(emit func(line)) {
	if !m.has {
		return
	}
	m.pending.text = m.sb.String()
	m.has = false
	emit(m.pending)
}

// deadline is when the pending event times out (zero when none is pending).
func (m *multiline) deadline() time.Time {
	if m == nil || !m.has {
		return time.Time{}
	}
	return m.last.Add(m.timeout)
}

// cutString cuts s to at most n bytes without splitting a UTF-8 sequence.
func cutString(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
