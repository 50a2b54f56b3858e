package httpsec

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// JAAS names used by Kafka's basic authentication extension.
const (
	jaasProperty          = "java.security.auth.login.config"
	JAASEnv               = "JAVA_SECURITY_AUTH_LOGIN_CONFIG"
	connectLoginEntry     = "KafkaConnect"
	PropertyFileLoginName = "org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule"
)

// LookupEnv reads an environment variable (os.LookupEnv in production).
type LookupEnv func(string) (string, bool)

// FindJAASFile locates the JAAS login configuration the way the JVM running
// connect-standalone would, given that connect-go has no JVM system
// properties:
//
//  1. -Djava.security.auth.login.config=<file> in the KAFKA_OPTS
//     environment variable (how Kafka's scripts pass it to the JVM; the last
//     occurrence wins, and the "==" override form is accepted);
//  2. the JAVA_SECURITY_AUTH_LOGIN_CONFIG environment variable
//     (same value syntax); if both 1 and 2 are set they must agree;
//  3. $HOME/.java.login.config, the JDK's fallback, when it exists.
//
// The value may be a path or a file: URL, and may use ${user.home}.
// It returns the file and a description of where it came from.
func FindJAASFile(env LookupEnv) (path, source string, err error) {
	fromOpts := ""
	if opts, ok := env("KAFKA_OPTS"); ok {
		for _, arg := range splitShellWords(opts) {
			if v, ok := strings.CutPrefix(arg, "-D"+jaasProperty+"="); ok {
				fromOpts = strings.TrimPrefix(v, "=")
			}
		}
	}
	fromEnv, _ := env(JAASEnv)
	fromEnv = strings.TrimPrefix(strings.TrimSpace(fromEnv), "=")
	home, _ := env("HOME")
	switch {
	case fromOpts != "" && fromEnv != "" && fromOpts != fromEnv:
		return "", "", fmt.Errorf("KAFKA_OPTS sets -D%s=%s but %s=%s: set only one", jaasProperty, fromOpts, JAASEnv, fromEnv)
	case fromOpts != "":
		return jaasPath(fromOpts, home), "KAFKA_OPTS -D" + jaasProperty, nil
	case fromEnv != "":
		return jaasPath(fromEnv, home), JAASEnv, nil
	}
	if home != "" {
		p := filepath.Join(home, ".java.login.config")
		if _, err := os.Stat(p); err == nil {
			return p, "the JDK default ${user.home}/.java.login.config", nil
		}
	}
	return "", "", fmt.Errorf("no JAAS login configuration found: set -D%s=<file> in KAFKA_OPTS or %s=<file>", jaasProperty, JAASEnv)
}

func jaasPath(v, home string) string {
	v = strings.ReplaceAll(v, "${user.home}", home)
	if u, err := url.Parse(v); err == nil && u.Scheme == "file" {
		if u.Path != "" {
			return u.Path
		}
		return u.Opaque // file:relative/path
	}
	return v
}

// splitShellWords splits KAFKA_OPTS as a POSIX shell would for the common
// cases: blanks separate words; single and double quotes group; backslash
// escapes outside single quotes.
func splitShellWords(s string) []string {
	var out []string
	var cur strings.Builder
	inWord := false
	var quote rune
	esc := false
	for _, r := range s {
		switch {
		case esc:
			cur.WriteRune(r)
			esc = false
		case quote != 0:
			if r == quote {
				quote = 0
			} else if r == '\\' && quote == '"' {
				esc = true
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == '\\':
			esc, inWord = true, true
		case r == ' ' || r == '\t' || r == '\n':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out
}

// loginModule is one line of a JAAS application entry.
type loginModule struct {
	class   string
	flag    string // required, requisite, sufficient or optional (lower case)
	options map[string]string
}

// parseJAASFile parses a JAAS login configuration file (the syntax of the
// JDK's ConfigFile):
//
//	Name { module.Class flag key="value" key2=value2; other.Module flag; };
//
// with // and /* */ comments. Names are case-sensitive.
func parseJAASFile(text string) (map[string][]loginModule, error) {
	t := &jaasLexer{s: text, line: 1}
	out := map[string][]loginModule{}
	for {
		name, kind := t.next()
		if kind == tokEOF {
			return out, nil
		}
		if kind != tokWord {
			return nil, t.errorf("expected a login configuration name")
		}
		if _, k := t.next(); k != tokOpen {
			return nil, t.errorf("expected '{' after %s", name)
		}
		var mods []loginModule
		for {
			w, k := t.next()
			if k == tokClose {
				break
			}
			if k != tokWord {
				return nil, t.errorf("expected a login module class name in %s", name)
			}
			flag, k := t.next()
			if k != tokWord {
				return nil, t.errorf("expected a control flag after %s", w)
			}
			flag = strings.ToLower(flag)
			switch flag {
			case "required", "requisite", "sufficient", "optional":
			default:
				return nil, t.errorf("invalid control flag %q for %s", flag, w)
			}
			m := loginModule{class: w, flag: flag, options: map[string]string{}}
			for {
				key, k := t.next()
				if k == tokSemi {
					break
				}
				if k != tokWord {
					return nil, t.errorf("expected an option name or ';' after %s", w)
				}
				if _, k := t.next(); k != tokEquals {
					return nil, t.errorf("expected '=' after option %s", key)
				}
				val, k := t.next()
				if k != tokWord && k != tokQuoted {
					return nil, t.errorf("expected a value for option %s", key)
				}
				m.options[key] = val
			}
			mods = append(mods, m)
		}
		if _, k := t.next(); k != tokSemi {
			return nil, t.errorf("expected ';' after the closing '}' of %s", name)
		}
		if _, dup := out[name]; dup {
			out[name] = append(out[name], mods...) // the JDK merges repeated entries
		} else {
			out[name] = mods
		}
	}
}

type jaasTok int

const (
	tokEOF jaasTok = iota
	tokWord
	tokQuoted
	tokEquals
	tokSemi
	tokOpen
	tokClose
	tokBad
)

type jaasLexer struct {
	s    string
	i    int
	line int
}

func (t *jaasLexer) errorf(format string, args ...any) error {
	return fmt.Errorf("line %d: %s", t.line, fmt.Sprintf(format, args...))
}

func (t *jaasLexer) skip() {
	for t.i < len(t.s) {
		switch c := t.s[t.i]; {
		case c == '\n':
			t.line++
			t.i++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f':
			t.i++
		case strings.HasPrefix(t.s[t.i:], "//"):
			for t.i < len(t.s) && t.s[t.i] != '\n' {
				t.i++
			}
		case strings.HasPrefix(t.s[t.i:], "/*"):
			end := strings.Index(t.s[t.i+2:], "*/")
			if end < 0 {
				end = len(t.s) - t.i - 2
			}
			t.line += strings.Count(t.s[t.i:t.i+2+end], "\n")
			t.i = min(len(t.s), t.i+end+4)
		default:
			return
		}
	}
}

func (t *jaasLexer) next() (string, jaasTok) {
	t.skip()
	if t.i >= len(t.s) {
		return "", tokEOF
	}
	c := t.s[t.i]
	switch c {
	case '=':
		t.i++
		return "=", tokEquals
	case ';':
		t.i++
		return ";", tokSemi
	case '{':
		t.i++
		return "{", tokOpen
	case '}':
		t.i++
		return "}", tokClose
	case '"', '\'':
		t.i++
		var b strings.Builder
		for t.i < len(t.s) {
			ch := t.s[t.i]
			t.i++
			switch {
			case ch == c:
				return b.String(), tokQuoted
			case ch == '\n':
				t.line++
				b.WriteByte(ch)
			case ch == '\\' && t.i < len(t.s):
				esc := t.s[t.i]
				t.i++
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
				b.WriteByte(ch)
			}
		}
		return "", tokBad
	}
	start := t.i
	for t.i < len(t.s) && !strings.ContainsRune(" \t\r\n\f={};\"'", rune(t.s[t.i])) {
		t.i++
	}
	return t.s[start:t.i], tokWord
}

var errNoEntry = errors.New("no " + connectLoginEntry + " entry")
