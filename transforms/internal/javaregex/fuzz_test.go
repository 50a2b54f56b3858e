package javaregex

import (
	"errors"
	"testing"
)

// FuzzReplaceFirst checks that no pattern, input or replacement makes the
// package panic, and that replacement errors only come with a match.
func FuzzReplaceFirst(f *testing.F) {
	for _, c := range replaceCases {
		f.Add(c.pattern, c.input, c.replacement)
	}
	for _, c := range compileErrorCases {
		f.Add(c.pattern, "a", "$1")
	}
	f.Add(`(?<=a+?\w*+)(?<!(b|c){1,3})\R`, "ab\r\n", `${x}\`)
	f.Add(`(?x)[a&&[b-z]&&\d] # c`, "", "$")
	f.Add(`(?iu)[\u00e0-\u00ff\x{1F600}]++\Q*\E`, "\u00c0*", `\$0`)
	f.Fuzz(func(t *testing.T, pattern, input, replacement string) {
		p, err := Compile(pattern)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Compile(%q) error %T %v", pattern, err, err)
			}
			_ = se.Error()
			return
		}
		if _, err := p.MatchesFully(input); err != nil {
			var te *TimeoutError
			if !errors.As(err, &te) {
				t.Fatalf("MatchesFully: %v", err)
			}
		}
		out, err := p.ReplaceFirst(input, replacement)
		if err == nil {
			return
		}
		var te *TimeoutError
		if errors.As(err, &te) {
			return
		}
		if out != "" {
			t.Fatalf("ReplaceFirst returned %q with error %v", out, err)
		}
		if m, _ := p.find.FindStringMatch(input); m == nil {
			t.Fatalf("ReplaceFirst(%q, %q) failed without a match: %v", input, replacement, err)
		}
	})
}
