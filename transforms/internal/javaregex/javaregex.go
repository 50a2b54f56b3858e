// Package javaregex compiles java.util.regex syntax onto
// github.com/dlclark/regexp2 (a .NET-compatible backtracking engine), for
// the SMTs and predicates whose configuration is a Java regular expression.
//
// The pattern is parsed by a transcription of java.util.regex.Pattern's own
// parser, so that invalid patterns fail with Java's PatternSyntaxException
// text (description, "near index N", the pattern and a caret line) and
// valid ones keep Java's meaning: group numbering, \Q...\E quoting, inline
// flags (?idmsuxU-...) including comments mode, ASCII-only \d \w \s \b
// unless (?U), Java's line terminators for '.', '^' and '$', possessive
// quantifiers (as atomic groups), class unions and intersections
// ([a-z&&[^aeiou]]), \p{...} categories, POSIX, java.lang.Character and
// binary properties and scripts, \h \v \R, octal/hex/unicode escapes,
// named groups and back references, and Java's bounded look-behind rule.
//
// Not supported (compile error naming the construct): \X and \b{g}
// (grapheme clusters), \N{name}, Unicode blocks (\p{InGreek},
// \p{blk=...}), the (?c) canonical-equivalence flag, the java.lang
// identifier/mirroring properties (\p{javaJavaIdentifierStart} etc.), and
// class intersections without a right operand after a plain character
// ("[a-z_&&]", which Java compiles but fails on with a
// NullPointerException while matching).
//
// Known differences: back references under (?i) without (?u) fold case like
// regexp2 (Unicode) rather than ASCII-only; Unicode tables are Go's, not
// the JDK's; script names must be full names (\p{IsLatin}, not the ISO
// alias \p{IsLatn}); Java's engine keeps captures made inside a failed
// negative look-around or a failed possessive/atomic part and drops those
// of empty iterations of some quantified groups, which regexp2 does not, so
// group contents (and back references to them) can differ in such
// patterns; Java works on UTF-16 and can match between the halves of a
// surrogate pair, Go strings cannot hold half a character.
//
// Every match runs under MatchTimeout so that a pathological pattern cannot
// hang a task.
package javaregex

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/dlclark/regexp2"
)

// MatchTimeout bounds one match attempt (Java has no limit); regexp2
// checks its clock about every 100ms, so a runaway match stops within
// roughly MatchTimeout plus that. Topic names are at most 249 characters,
// which any sane pattern matches in microseconds; a catastrophically
// backtracking one fails with a *TimeoutError instead of blocking the task.
const MatchTimeout = time.Second

// SyntaxError is a pattern that does not compile. Error() renders it as
// Java's PatternSyntaxException.getMessage() (Linux line separators).
type SyntaxError struct {
	Desc    string
	Pattern string
	// Index is Java's error index (code points into the pattern after
	// \Q...\E expansion), -1 if unknown.
	Index int
	// Unsupported marks a construct that is valid Java but not available
	// in this engine.
	Unsupported bool
}

func (e *SyntaxError) Error() string {
	var b strings.Builder
	b.WriteString(e.Desc)
	if e.Index >= 0 {
		b.WriteString(" near index ")
		b.WriteString(strconv.Itoa(e.Index))
	}
	b.WriteByte('\n')
	b.WriteString(e.Pattern)
	if e.Index >= 0 && e.Index < len(utf16.Encode([]rune(e.Pattern))) {
		b.WriteByte('\n')
		b.WriteString(strings.Repeat(" ", e.Index))
		b.WriteByte('^')
	}
	return b.String()
}

// TimeoutError is a match that ran longer than MatchTimeout.
type TimeoutError struct {
	Pattern string
	Timeout time.Duration
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("regular expression %q did not finish matching within %v", e.Pattern, e.Timeout)
}

// Pattern is a compiled Java regular expression, safe for concurrent use.
type Pattern struct {
	source     string
	find       *regexp2.Regexp
	full       *regexp2.Regexp
	groupCount int
	names      map[string]int
}

// Compile compiles a Java regular expression (Pattern.compile(regex)). The
// error is a *SyntaxError.
func Compile(regex string) (*Pattern, error) {
	p := newParser(regex)
	root, err := p.parse()
	if err != nil {
		return nil, err
	}
	e := &emitter{groups: p.groupCount - 1}
	root.emit(e)
	translated := e.b.String()
	find, err := compileRegexp2(translated)
	if err != nil {
		return nil, &SyntaxError{Desc: "Pattern cannot be translated (" + err.Error() + ")", Pattern: regex, Index: -1, Unsupported: true}
	}
	full, err := compileRegexp2(`\A(?:` + translated + `)\z`)
	if err != nil {
		return nil, &SyntaxError{Desc: "Pattern cannot be translated (" + err.Error() + ")", Pattern: regex, Index: -1, Unsupported: true}
	}
	return &Pattern{source: regex, find: find, full: full, groupCount: p.groupCount - 1, names: p.names}, nil
}

func compileRegexp2(expr string) (re *regexp2.Regexp, err error) {
	defer func() {
		if r := recover(); r != nil {
			re, err = nil, fmt.Errorf("%v", r)
		}
	}()
	re, err = regexp2.Compile(expr, regexp2.None)
	if err != nil {
		return nil, err
	}
	re.MatchTimeout = MatchTimeout
	return re, nil
}

// MustCompile is Compile for patterns known to be valid; it panics otherwise.
func MustCompile(regex string) *Pattern {
	p, err := Compile(regex)
	if err != nil {
		panic(err)
	}
	return p
}

// String returns the source pattern (Pattern.toString).
func (p *Pattern) String() string { return p.source }

// GroupCount is the number of capturing groups (Matcher.groupCount).
func (p *Pattern) GroupCount() int { return p.groupCount }

func (p *Pattern) timeout(err error) error {
	if err == nil {
		return nil
	}
	return &TimeoutError{Pattern: p.source, Timeout: MatchTimeout}
}

// MatchesFully reports whether the whole input matches (Matcher.matches).
func (p *Pattern) MatchesFully(s string) (bool, error) {
	ok, err := p.full.MatchString(s)
	if err != nil {
		return false, p.timeout(err)
	}
	return ok, nil
}

// ReplaceFirst is Matcher.replaceFirst: the first match (leftmost, as
// find() sees it) is replaced by replacement, in which $n, ${name} and \x
// have Java's meaning. Without a match s is returned unchanged and the
// replacement is not examined. Replacement errors carry Java's
// IllegalArgumentException / IndexOutOfBoundsException text.
func (p *Pattern) ReplaceFirst(s, replacement string) (string, error) {
	text := []rune(s)
	m, err := p.find.FindRunesMatch(text)
	if err != nil {
		return "", p.timeout(err)
	}
	if m == nil {
		return s, nil
	}
	groups := make([]span, p.groupCount+1)
	for i := range groups {
		groups[i] = span{-1, -1}
		if g := m.GroupByNumber(i); g != nil && len(g.Captures) > 0 {
			groups[i] = span{g.Index, g.Index + g.Length}
		}
	}
	expanded, err := p.expandReplacement(replacement, text, groups)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(string(text[:m.Index]))
	b.WriteString(expanded)
	b.WriteString(string(text[m.Index+m.Length:]))
	return b.String(), nil
}

type span struct{ start, end int }

// expandReplacement is Matcher.appendExpandedReplacement.
func (p *Pattern) expandReplacement(replacement string, text []rune, groups []span) (string, error) {
	repl := []rune(replacement)
	var out strings.Builder
	cursor := 0
	for cursor < len(repl) {
		c := repl[cursor]
		switch c {
		case '\\':
			cursor++
			if cursor == len(repl) {
				return "", errors.New("character to be escaped is missing")
			}
			out.WriteRune(repl[cursor])
			cursor++
		case '$':
			cursor++
			if cursor == len(repl) {
				return "", errors.New("Illegal group reference: group index is missing")
			}
			c = repl[cursor]
			var ref int
			if c == '{' {
				cursor++
				start := cursor
				for cursor < len(repl) {
					c = repl[cursor]
					if !isAlpha(c) && !isDigit(c) {
						break
					}
					cursor++
				}
				name := string(repl[start:cursor])
				if name == "" {
					return "", errors.New("named capturing group has 0 length name")
				}
				if c != '}' {
					return "", errors.New("named capturing group is missing trailing '}'")
				}
				if isDigit(rune(name[0])) {
					return "", errors.New("capturing group name {" + name + "} starts with digit character")
				}
				group, ok := p.names[name]
				if !ok {
					return "", errors.New("No group with name {" + name + "}")
				}
				ref = group
				cursor++
			} else {
				ref = int(c - '0')
				if ref < 0 || ref > 9 {
					return "", errors.New("Illegal group reference")
				}
				cursor++
				for cursor < len(repl) {
					d := int(repl[cursor] - '0')
					if d < 0 || d > 9 {
						break
					}
					next := ref*10 + d
					if p.groupCount < next {
						break
					}
					ref = next
					cursor++
				}
			}
			if ref > p.groupCount {
				return "", errors.New("No group " + strconv.Itoa(ref))
			}
			if g := groups[ref]; g.start != -1 && g.end != -1 {
				out.WriteString(string(text[g.start:g.end]))
			}
		default:
			out.WriteRune(c)
			cursor++
		}
	}
	return out.String(), nil
}
