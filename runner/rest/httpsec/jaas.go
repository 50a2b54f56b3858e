package httpsec

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/connect-go/connect-standalone/runner/internal/jaas"
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
type loginModule = jaas.Module

// parseJAASFile parses a JAAS login configuration file.
func parseJAASFile(text string) (map[string][]loginModule, error) { return jaas.ParseFile(text) }

var errNoEntry = errors.New("no " + connectLoginEntry + " entry")
