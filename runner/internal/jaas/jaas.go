// Package jaas parses Java's JAAS login configuration syntax, shared by the
// Kafka client's sasl.jaas.config value and the REST server's JAAS file
// (BasicAuthSecurityRestExtension). Errors never contain option values:
// they may be passwords.
package jaas

import (
	"errors"
	"fmt"
	"strings"
)

// Module is one login module line: `Class flag key=value ... ;`.
type Module struct {
	Class   string
	Flag    string // required, requisite, sufficient or optional (lower case)
	Options map[string]string
}

// ParseEntry parses the single login module of a sasl.jaas.config value.
// Java requires the closing ';'; its absence is tolerated.
func ParseEntry(s string) (Module, error) {
	l := &lexer{s: s, line: 1}
	m, err := l.module(true)
	if err != nil {
		return Module{}, err
	}
	if _, k := l.next(); k != tokEOF {
		return Module{}, errors.New("only one login module may be specified")
	}
	return m, nil
}

// ParseFile parses a JAAS login configuration file (the JDK's ConfigFile
// syntax): `Name { module flag key="value"; ... };` with // and /* */
// comments. Repeated names are merged, as the JDK does. Errors carry the
// line number.
func ParseFile(text string) (map[string][]Module, error) {
	l := &lexer{s: text, line: 1}
	out := map[string][]Module{}
	for {
		name, kind := l.next()
		if kind == tokEOF {
			return out, nil
		}
		if kind != tokWord {
			return nil, l.errorf("expected a login configuration name")
		}
		if _, k := l.next(); k != tokOpen {
			return nil, l.errorf("expected '{' after %s", name)
		}
		for {
			save := l.i
			if _, k := l.next(); k == tokClose {
				break
			}
			l.i = save
			m, err := l.module(false)
			if err != nil {
				return nil, l.errorf("in %s: %v", name, err)
			}
			out[name] = append(out[name], m)
		}
		if _, k := l.next(); k != tokSemi {
			return nil, l.errorf("expected ';' after the closing '}' of %s", name)
		}
		if _, ok := out[name]; !ok {
			out[name] = []Module{}
		}
	}
}

// module parses `Class flag key=value ... ;`; with eofEnds an end of input
// also ends it.
func (l *lexer) module(eofEnds bool) (Module, error) {
	class, kind := l.next()
	if kind != tokWord {
		return Module{}, errors.New("expected a login module class name")
	}
	flag, kind := l.next()
	if kind != tokWord {
		return Module{}, errors.New("expected a login module control flag after " + class)
	}
	flag = strings.ToLower(flag)
	switch flag {
	case "required", "requisite", "sufficient", "optional":
	default:
		return Module{}, fmt.Errorf("invalid login module control flag %q for %s", flag, class)
	}
	m := Module{Class: class, Flag: flag, Options: map[string]string{}}
	for {
		key, kind := l.next()
		switch {
		case kind == tokSemi, kind == tokEOF && eofEnds:
			return m, nil
		case kind != tokWord:
			return Module{}, fmt.Errorf("expected an option name or ';' after %s", class)
		}
		if _, k := l.next(); k != tokEquals {
			return Module{}, fmt.Errorf("expected '=' after option %s", key)
		}
		val, k := l.next()
		if k == tokBad {
			return Module{}, fmt.Errorf("unterminated quoted value for option %s", key)
		}
		if k != tokWord && k != tokQuoted {
			return Module{}, fmt.Errorf("value not specified for option %s", key)
		}
		m.Options[key] = val
	}
}

type tok int

const (
	tokEOF tok = iota
	tokWord
	tokQuoted
	tokEquals
	tokSemi
	tokOpen
	tokClose
	tokBad
)

type lexer struct {
	s    string
	i    int
	line int
}

func (l *lexer) errorf(format string, args ...any) error {
	return fmt.Errorf("line %d: %s", l.line, fmt.Sprintf(format, args...))
}

// skip passes whitespace and // and /* */ comments (StreamTokenizer with
// slashSlashComments and slashStarComments, as Java's JaasConfig sets it).
func (l *lexer) skip() {
	for l.i < len(l.s) {
		switch c := l.s[l.i]; {
		case c == '\n':
			l.line++
			l.i++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f':
			l.i++
		case strings.HasPrefix(l.s[l.i:], "//"):
			for l.i < len(l.s) && l.s[l.i] != '\n' {
				l.i++
			}
		case strings.HasPrefix(l.s[l.i:], "/*"):
			end := strings.Index(l.s[l.i+2:], "*/")
			if end < 0 {
				end = len(l.s) - l.i - 2
			}
			l.line += strings.Count(l.s[l.i:l.i+2+end], "\n")
			l.i = min(len(l.s), l.i+end+4)
		default:
			return
		}
	}
}

func (l *lexer) next() (string, tok) {
	l.skip()
	if l.i >= len(l.s) {
		return "", tokEOF
	}
	c := l.s[l.i]
	switch c {
	case '=':
		l.i++
		return "=", tokEquals
	case ';':
		l.i++
		return ";", tokSemi
	case '{':
		l.i++
		return "{", tokOpen
	case '}':
		l.i++
		return "}", tokClose
	case '"', '\'':
		return l.quoted(c)
	}
	start := l.i
	for l.i < len(l.s) && !strings.ContainsRune(" \t\r\n\f={};\"'", rune(l.s[l.i])) {
		l.i++
	}
	return l.s[start:l.i], tokWord
}

// quoted reads a quoted string with backslash escapes (\n, \t, \r, others
// stand for themselves).
func (l *lexer) quoted(q byte) (string, tok) {
	l.i++
	var b strings.Builder
	for l.i < len(l.s) {
		ch := l.s[l.i]
		l.i++
		switch {
		case ch == q:
			return b.String(), tokQuoted
		case ch == '\\' && l.i < len(l.s):
			esc := l.s[l.i]
			l.i++
			switch esc {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			default:
				b.WriteByte(esc)
			}
		default:
			if ch == '\n' {
				l.line++
			}
			b.WriteByte(ch)
		}
	}
	return "", tokBad
}
