// Package simpledate implements java.text.SimpleDateFormat as Kafka Connect's
// TimestampConverter and TimestampRouter use it: English (US) symbols, the
// UTC time zone, the default Gregorian calendar with its Julian cutover, and
// lenient parsing.
//
// Supported pattern letters are Java's: G y Y M L w W D d F E u a H k K h m
// s S z Z X; other ASCII letters are rejected, text in single quotes is
// literal and two single quotes stand for one. Formatting and parsing follow SimpleDateFormat
// field by field, including its quirks: S is a plain number of milliseconds,
// numbers may overflow into the next field ("2020-13-45" is a date in 2021),
// parsing stops at the end of the pattern and ignores trailing text, and
// parsing a time-zone name switches the format to that zone, so later
// formatting uses it too.
//
// Where Java depends on the JVM, this package assumes a US-English JVM in
// UTC: weeks start on Sunday and week 1 holds January 1 (w, W, Y, u), and
// zone names are matched against JDK 17's English table, the format's
// current zone first, then UTC (the JVM default zone), then table order.
// Zone rules come from Go's embedded tz database, with Java's standard/DST
// split; in a DST gap or overlap the standard-time reading wins, which may
// differ from Java's own tie-breaking, and the SystemV/* zones have fixed
// offsets. Golden tables generated with the JDK (testdata/javagen) pin the
// rest of the behaviour.
package simpledate

import (
	"sync"
	"time"
)

// PatternError is the IllegalArgumentException the SimpleDateFormat
// constructor throws for an invalid pattern; Msg is its message
// ("Illegal pattern character 'x'", "Unterminated quote",
// "invalid ISO 8601 format: length=4").
type PatternError struct{ Msg string }

func (e *PatternError) Error() string { return e.Msg }

// ParseError is the ParseException of DateFormat.parse(String):
// `Unparseable date: "<text>"`. ErrorOffset is the rune index where parsing
// failed (Java counts UTF-16 units; they differ only after characters
// outside the Basic Multilingual Plane).
type ParseError struct {
	Msg         string
	ErrorOffset int
}

func (e *ParseError) Error() string { return e.Msg }

// Format is a compiled SimpleDateFormat in UTC. It is safe for concurrent
// use; like Java's, it has mutable state (the time zone a parsed zone name
// switched it to), which a mutex guards.
type Format struct {
	pattern string
	items   []item

	mu           sync.Mutex
	zone         *zone
	julian       bool  // the calendar system of the last computation
	centuryStart int64 // two-digit years fall in [centuryStart, +100 years)
	centuryYear  int32
}

type item struct {
	letter rune   // pattern letter; 0 for literal text
	count  int    // number of repeated letters
	text   []rune // literal text
}

// Compile compiles a SimpleDateFormat pattern (new SimpleDateFormat(pattern)
// followed by setTimeZone(UTC)). Two-digit years are read in the 100 years
// starting 80 years before now, as Java does.
func Compile(pattern string) (*Format, error) {
	items, err := compile(pattern)
	if err != nil {
		return nil, err
	}
	f := &Format{pattern: pattern, items: items, zone: utcZone}
	now := time.Now().UTC()
	// Calendar.add(YEAR, -80) keeps the month and pins the day to the
	// month's last day (February 29 becomes February 28).
	start := time.Date(now.Year()-80, now.Month(), 1, now.Hour(), now.Minute(), now.Second(), now.Nanosecond(), time.UTC)
	start = start.AddDate(0, 0, min(now.Day(), daysIn(start.Year(), start.Month()))-1)
	f.SetTwoDigitYearStart(start)
	return f, nil
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// MustCompile is Compile for patterns known to be valid.
func MustCompile(pattern string) *Format {
	f, err := Compile(pattern)
	if err != nil {
		panic(err)
	}
	return f
}

// SetTwoDigitYearStart sets the start of the 100-year window two-digit
// years ("yy") are parsed into (SimpleDateFormat.set2DigitYearStart).
func (f *Format) SetTwoDigitYearStart(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.centuryStart = t.UnixMilli()
	raw, dst := f.zone.offsets(f.centuryStart)
	f.centuryYear = computeFields(f.centuryStart, raw, dst).year
}

// Pattern returns the pattern the format was compiled from (toPattern).
func (f *Format) Pattern() string { return f.pattern }

// TimeZone returns the ID of the format's current time zone: "UTC" unless a
// parsed zone name switched it.
func (f *Format) TimeZone() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.zone.id()
}

// patternLetters are DateFormatSymbols.patternChars.
const patternLetters = "GyMdkHmsSEDFwWahKzZYuXL"

func isASCIILetter(c rune) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isPatternLetter(c rune) bool {
	for _, p := range patternLetters {
		if c == p {
			return true
		}
	}
	return false
}

// compile is SimpleDateFormat.compile: it splits the pattern into fields
// and literal text and reports the first error Java would throw.
func compile(pattern string) ([]item, error) {
	var items []item
	var letter rune
	count := 0
	inQuote := false
	var quoted []rune

	flush := func() error {
		if count == 0 {
			return nil
		}
		if letter == 'X' && count >= 4 {
			return &PatternError{Msg: "invalid ISO 8601 format: length=" + itoa(count)}
		}
		items = append(items, item{letter: letter, count: count})
		letter, count = 0, 0
		return nil
	}
	literal := func(rs ...rune) {
		if n := len(items); n > 0 && items[n-1].letter == 0 {
			items[n-1].text = append(items[n-1].text, rs...)
			return
		}
		items = append(items, item{text: append([]rune(nil), rs...)})
	}

	rs := []rune(pattern)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		if c == '\'' {
			if i+1 < len(rs) && rs[i+1] == '\'' {
				i++
				if err := flush(); err != nil {
					return nil, err
				}
				if inQuote {
					quoted = append(quoted, '\'')
				} else {
					literal('\'')
				}
				continue
			}
			if !inQuote {
				if err := flush(); err != nil {
					return nil, err
				}
				quoted = quoted[:0]
				inQuote = true
			} else {
				literal(quoted...)
				inQuote = false
			}
			continue
		}
		if inQuote {
			quoted = append(quoted, c)
			continue
		}
		if !isASCIILetter(c) {
			if err := flush(); err != nil {
				return nil, err
			}
			literal(c)
			continue
		}
		if !isPatternLetter(c) {
			return nil, &PatternError{Msg: "Illegal pattern character '" + string(c) + "'"}
		}
		if count == 0 || letter == c {
			letter = c
			count++
			continue
		}
		if err := flush(); err != nil {
			return nil, err
		}
		letter, count = c, 1
	}
	if inQuote {
		return nil, &PatternError{Msg: "Unterminated quote"}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return items, nil
}

func itoa(n int) string {
	return string(appendInt(nil, int64(n)))
}

func appendInt(b []byte, n int64) []byte {
	if n < 0 {
		b = append(b, '-')
		u := uint64(-(n + 1)) + 1
		return appendUint(b, u)
	}
	return appendUint(b, uint64(n))
}

func appendUint(b []byte, u uint64) []byte {
	var buf [20]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + u%10)
		u /= 10
		if u == 0 {
			break
		}
	}
	return append(b, buf[i:]...)
}
