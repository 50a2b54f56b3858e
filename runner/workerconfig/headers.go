package workerconfig

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/connect-go/connect-standalone/connectors/configdef"
)

var headerActions = []string{"set", "add", "setDate", "addDate"}

// headersValidator is RestServerConfig.ResponseHttpHeadersValidator.
type headersValidator struct{}

func (headersValidator) Validate(name string, value any) error {
	s, _ := value.(string)
	if strings.TrimSpace(s) == "" {
		return nil
	}
	for _, rule := range csvSplit(s) {
		if err := ValidateHeaderRule(rule); err != nil {
			return &configdef.ConfigError{Name: name, Msg: err.Error()}
		}
	}
	return nil
}

func (headersValidator) String() string {
	return "Comma-separated header rules, where each header rule is of the form '[action] [header name]:[header value]' and optionally surrounded by double quotes if any part of a header rule contains a comma"
}

// HeaderRules splits response.http.headers.config into its rules.
func HeaderRules(s string) []string { return csvSplit(s) }

var (
	wsSplit   = regexp.MustCompile(`[ \t\n\x0B\f\r]+`)
	anySpaces = regexp.MustCompile(`[ \t\n\x0B\f\r]`)
)

// ValidateHeaderRule checks one '[action] [header name]:[header value]' rule
// with RestServerConfig.validateHttpResponseHeaderConfig's messages.
func ValidateHeaderRule(rule string) error {
	tokens := wsSplit.Split(strings.TrimSpace(rule), 2)
	if len(tokens) != 2 {
		return fmt.Errorf("Invalid format of header config '%s'. Expected: '[action] [header name]:[header value]'", rule)
	}
	action := strings.TrimSpace(tokens[0])
	ok := false
	for _, a := range headerActions {
		if strings.EqualFold(a, action) {
			ok = true
		}
	}
	if !ok {
		return fmt.Errorf("Invalid header config action: '%s'. Expected one of [%s]", action, strings.Join(headerActions, ", "))
	}
	header := tokens[1]
	parts := strings.Split(header, ":")
	for len(parts) > 0 && parts[len(parts)-1] == "" { // Java split drops trailing empties
		parts = parts[:len(parts)-1]
	}
	if len(parts) != 2 {
		return fmt.Errorf("Invalid format of header name and header value pair '%s'. Expected: '[header name]:[header value]'", header)
	}
	hn := strings.TrimSpace(parts[0])
	if hn == "" || anySpaces.MatchString(hn) {
		return fmt.Errorf("Invalid header name '%s'. The '[header name]' cannot contain whitespace", hn)
	}
	return nil
}

// csvSplit is Jetty's StringUtil.csvSplit: comma-separated items, trimmed,
// double-quoted items unquoted (with \-escapes), empty items dropped.
func csvSplit(s string) []string {
	var out []string
	var cur strings.Builder
	inQuote, quoted, esc := false, false, false
	flush := func() {
		item := cur.String()
		if !quoted {
			item = strings.TrimSpace(item)
		}
		if item != "" || quoted {
			out = append(out, item)
		}
		cur.Reset()
		quoted = false
	}
	for _, r := range s {
		switch {
		case esc:
			cur.WriteRune(r)
			esc = false
		case inQuote && r == '\\':
			esc = true
		case r == '"':
			if !inQuote && strings.TrimSpace(cur.String()) == "" {
				cur.Reset()
			}
			inQuote = !inQuote
			quoted = true
		case r == ',' && !inQuote:
			flush()
		case quoted && !inQuote && (r == ' ' || r == '\t'):
			// whitespace after a closing quote
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return out
}
