package javaregex

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// The expectations below were produced by java.util.regex on OpenJDK 17
// (testdata/Oracle.java); messages are PatternSyntaxException.getMessage()
// and the IllegalArgumentException / IndexOutOfBoundsException texts of
// Matcher.replaceFirst.

var compileErrorCases = []struct{ pattern, want string }{
	{"*", "Dangling meta character '*' near index 0\n*\n^"},
	{"+abc", "Dangling meta character '+' near index 0\n+abc\n^"},
	{"?", "Dangling meta character '?' near index 0\n?\n^"},
	{"a**", "Dangling meta character '*' near index 2\na**\n  ^"},
	{"a{", "Illegal repetition near index 2\na{"},
	{"a{b}", "Illegal repetition near index 2\na{b}\n  ^"},
	{"a{2", "Unclosed counted closure near index 3\na{2"},
	{"a{2,x}", "Unclosed counted closure near index 4\na{2,x}\n    ^"},
	{"a{3,2}", "Illegal repetition range near index 5\na{3,2}\n     ^"},
	{"a{99999999999}", "Illegal repetition range near index 11\na{99999999999}\n           ^"},
	{"{", "Illegal repetition near index 1\n{"},
	{"x{,3}", "Illegal repetition near index 2\nx{,3}\n  ^"},
	{"[", "Unclosed character class near index 0\n[\n^"},
	{"[a-", "Illegal character range near index 3\n[a-"},
	{"[b-a]", "Illegal character range near index 3\n[b-a]\n   ^"},
	{"[^", "Unclosed character class near index 1\n[^\n ^"},
	{"[]", "Unclosed character class near index 1\n[]\n ^"},
	{"(", "Unclosed group near index 1\n("},
	{"(a", "Unclosed group near index 2\n(a"},
	{"a)b", "Unmatched closing ')' near index 0\na)b\n^"},
	{"((a)", "Unclosed group near index 4\n((a)"},
	{"(?<1x>a)", "capturing group name does not start with a Latin letter near index 3\n(?<1x>a)\n   ^"},
	{"(?<a-b>x)", "named capturing group is missing trailing '>' near index 4\n(?<a-b>x)\n    ^"},
	{"(?<n>a)(?<n>b)", "Named capturing group <n> is already defined near index 11\n(?<n>a)(?<n>b)\n           ^"},
	{"\\k<nope>", "named capturing group <nope> does not exist near index 7\n\\k<nope>\n       ^"},
	{"\\ka", "\\k is not followed by '<' for named capturing group near index 2\n\\ka\n  ^"},
	{"(?<n>a)\\k<n", "named capturing group is missing trailing '>' near index 11\n(?<n>a)\\k<n"},
	{"\\", "Unexpected internal error near index 1\n\\"},
	{"a\\", "Unexpected internal error near index 2\na\\"},
	{"\\y", "Illegal/unsupported escape sequence near index 1\n\\y\n ^"},
	{"\\i", "Illegal/unsupported escape sequence near index 1\n\\i\n ^"},
	{"[\\b]", "Illegal/unsupported escape sequence near index 2\n[\\b]\n  ^"},
	{"[\\1]", "Illegal/unsupported escape sequence near index 2\n[\\1]\n  ^"},
	{"\\x", "Illegal hexadecimal escape sequence near index 2\n\\x"},
	{"\\xG1", "Illegal hexadecimal escape sequence near index 2\n\\xG1\n  ^"},
	{"\\x{}", "Illegal hexadecimal escape sequence near index 2\n\\x{}\n  ^"},
	{"\\x{110000}", "Hexadecimal codepoint is too big near index 8\n\\x{110000}\n        ^"},
	{"\\x{41", "Unclosed hexadecimal escape sequence near index 5\n\\x{41"},
	{"\\u12", "Illegal Unicode escape sequence near index 4\n\\u12"},
	{"\\uZZZZ", "Illegal Unicode escape sequence near index 2\n\\uZZZZ\n  ^"},
	{"\\0", "Illegal octal escape sequence near index 2\n\\0"},
	{"\\08", "Illegal octal escape sequence near index 2\n\\08\n  ^"},
	{"\\c", "Illegal control escape sequence near index 1\n\\c\n ^"},
	{"\\p", "Unknown character property name {\u0000} near index 2\n\\p"},
	{"\\p{", "Unclosed character family near index 3\n\\p{"},
	{"\\p{}", "Empty character family near index 3\n\\p{}\n   ^"},
	{"\\p{Foo}", "Unknown character property name {Foo} near index 6\n\\p{Foo}\n      ^"},
	{"\\p{IsFoo}", "Unknown character property name {IsFoo} near index 8\n\\p{IsFoo}\n        ^"},
	{"\\p{sc=Foo}", "Unknown Unicode property {name=<sc>, value=<Foo>} near index 9\n\\p{sc=Foo}\n         ^"},
	{"\\p{gc=Xx}", "Unknown Unicode property {name=<gc>, value=<Xx>} near index 8\n\\p{gc=Xx}\n        ^"},
	{"\\P{Lu", "Unclosed character family near index 5\n\\P{Lu"},
	{"(?z)", "Unknown inline modifier near index 2\n(?z)\n  ^"},
	{"(?#comment)", "Unknown inline modifier near index 2\n(?#comment)\n  ^"},
	{"(?", "Unknown inline modifier near index 2\n(?"},
	{"(?<", "capturing group name does not start with a Latin letter near index 3\n(?<"},
	{"(?<=(a|bc)+)d", "Look-behind group does not have an obvious maximum length near index 10\n(?<=(a|bc)+)d\n          ^"},
	{"(?<=\\1)(a)", "Look-behind group does not have an obvious maximum length near index 5\n(?<=\\1)(a)\n     ^"},
	{"(?$)", "Unknown group type near index 2\n(?$)\n  ^"},
	{"(?@)", "Unknown group type near index 2\n(?@)\n  ^"},
	{"(?i", "Unknown inline modifier near index 3\n(?i"},
	{"(?i:a", "Unclosed group near index 5\n(?i:a"},
	{"a|*b", "Dangling meta character '*' near index 2\na|*b\n  ^"},
	{"\\E", "Illegal/unsupported escape sequence near index 1\n\\E\n ^"},
	{"[a-z&&[^aeiou]", "Unclosed character class near index 13\n[a-z&&[^aeiou]\n             ^"},
	{"\\N", "Illegal character name escape sequence near index 2\n\\N"},
	{"\\N{LATIN SMALL LETTER A", "Unclosed character name escape sequence near index 22\n\\N{LATIN SMALL LETTER A\n                      ^"},
	{"[z-a]", "Illegal character range near index 3\n[z-a]\n   ^"},
	{"[a-\\d]", "Illegal character range near index 4\n[a-\\d]\n    ^"},
	{"a{2147483648}", "Illegal repetition range near index 11\na{2147483648}\n           ^"},
	{"a{1,2147483648}", "Illegal repetition range near index 13\na{1,2147483648}\n             ^"},
}
var compileOKCases = []string{
	"{1}x",
	"[a&&]",
	"[]a]",
	"[^]a]",
	"(?<=a+)b",
	"(?<!a*)b",
	"(?<=a{1,3})b",
	"(?<=(a|bc))d",
	"a||b",
	"x{2}{3}",
	"\\Qa.b",
	"\\Q",
	"[\\d-z]",
	"a{2147483647}",
}

var matchCases = []struct {
	pattern, input string
	want           bool
}{
	{"my-prefix-.*", "my-prefix-", true},
	{"my-prefix-.*", "my-prefix-foo", true},
	{"my-prefix-.*", "x-my-prefix-", false},
	{"my-prefix-.*", "x-my-prefix-foo", false},
	{"my-prefix-.*", "your-prefix-", false},
	{"my-prefix-.*", "your-prefix-foo", false},
	{"foo", "foo", true},
	{"foo", "orig", false},
	{"foo", "foofoo", false},
	{"(.*)-(\\d\\d\\d\\d\\d\\d\\d\\d)", "index-20160117", true},
	{"(.*)-(\\d\\d\\d\\d\\d\\d\\d\\d)", "index-2016011", false},
	{"a|ab", "ab", true},
	{"a|ab", "a", true},
	{"(?i)Topic", "TOPIC", true},
	{"(?i)Topic", "topic", true},
	{"(?i)Topic", "tOpIc", true},
	{"(?i)Topic", "topics", false},
	{"(?i)stra\u00DFe", "STRASSE", false},
	{"(?i)stra\u00DFe", "STRA\u00DFE", true},
	{"(?i)stra\u00DFe", "stra\u1E9Ee", false},
	{"(?iu)stra\u00DFe", "STRA\u1E9EE", true},
	{"(?iu)stra\u00DFe", "stra\u00DFe", true},
	{"(?iu)k", "\u212A", true},
	{"(?iu)k", "K", true},
	{"(?i)k", "\u212A", false},
	{"(?i)k", "K", true},
	{"(?i)[a-z]+", "ABC", true},
	{"(?i)[a-z]+", "aBc", true},
	{"(?i)[\u00E0-\u00FF]", "\u00C0", false},
	{"(?iu)[\u00E0-\u00FF]", "\u00C0", true},
	{"(?i)\u00E9", "\u00C9", false},
	{"(?iu)\u00E9", "\u00C9", true},
	{"\\d+", "123", true},
	{"\\d+", "\u0661\u0662", false},
	{"(?U)\\d+", "\u0661\u0662", true},
	{"\\w+", "h\u00E9llo", false},
	{"\\w+", "a_1", true},
	{"(?U)\\w+", "h\u00E9llo", true},
	{"\\s", "\u00A0", false},
	{"\\s", " ", true},
	{"\\s", "\u000B", true},
	{"\\h", "\u00A0", true},
	{"\\h", "\u3000", true},
	{"\\h", "\n", false},
	{"\\v", "\u2028", true},
	{"\\v", "\u000B", true},
	{"\\v", " ", false},
	{".", "\n", false},
	{".", "\r", false},
	{".", "\u2028", false},
	{".", "\u0085", false},
	{".", "a", true},
	{"(?s).", "\n", true},
	{"(?d).", "\r", true},
	{"(?d).", "\n", false},
	{"[a-z&&[^aeiou]]+", "bcd", true},
	{"[a-z&&[^aeiou]]+", "bad", false},
	{"[\\w&&\\D]+", "abc", true},
	{"[\\w&&\\D]+", "a1", false},
	{"[^a[bc]]", "b", false},
	{"[^a[bc]]", "d", true},
	{"[^a[bc]]", "a", false},
	{"[a-c[x-z]]+", "abxz", true},
	{"[a-c[x-z]]+", "abd", false},
	{"a*+a", "aaa", false},
	{"a++b", "aab", true},
	{"(?>a|ab)c", "abc", false},
	{"(?>a|ab)c", "ac", true},
	{"(a)\\1", "aa", true},
	{"(a)\\1", "ab", false},
	{"(a)\\11", "aa1", true},
	{"(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)\\11", "abcdefghijkk", true},
	{"(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)\\11", "abcdefghijka1", false},
	{"(?<x>a)\\k<x>", "aa", true},
	{"\\Qa.b\\E", "a.b", true},
	{"\\Qa.b\\E", "axb", false},
	{"a\\Q*\\E+", "a**", true},
	{"a\\Q*\\E+", "a", false},
	{"(?x) a b  # comment\n c", "abc", true},
	{"(?x) a b  # comment\n c", "a b c", false},
	{"(?x)[a b]", " ", false},
	{"(?x)[a b]", "b", true},
	{"\\x41\\u0042\\0103\\x{44}", "ABCD", true},
	{"\\x{1F600}", "\U0001F600", true},
	{"\\cA\\e\\a\\t", "\u0001\u001B\u0007\t", true},
	{"\\p{Lu}\\p{Ll}+", "Hello", true},
	{"\\p{Lu}\\p{Ll}+", "hello", false},
	{"\\p{IsLatin}+", "abc", true},
	{"\\p{IsLatin}+", "\u03B1", false},
	{"\\p{IsGreek}", "\u03B1", true},
	{"\\p{sc=Greek}", "\u03B1", true},
	{"\\p{Alpha}", "\u00E9", false},
	{"\\p{Alpha}", "e", true},
	{"(?U)\\p{Alpha}", "\u00E9", true},
	{"\\p{javaLowerCase}", "\u00E9", true},
	{"\\p{javaLowerCase}", "E", false},
	{"\\p{IsAlphabetic}", "\u00E9", true},
	{"\\p{IsAlphabetic}", "1", false},
	{"\\p{L1}", "\u00FF", true},
	{"\\p{L1}", "\u0100", false},
	{"\\p{Punct}", "!", true},
	{"\\p{Punct}", "\u00A1", false},
	{"\\pL\\PL", "a1", true},
	{"\\pL\\PL", "ab", false},
	{"\\p{Cn}", "\u0378", true},
	{"\\p{Cn}", "a", false},
	{"\\p{javaWhitespace}", "\u00A0", false},
	{"\\p{javaWhitespace}", "\u2003", true},
	{"\\p{javaWhitespace}", "\u001C", true},
	{"\\R", "\r\n", true},
	{"\\R", "\n", true},
	{"\\R", "\u2029", true},
	{"\\R\\n", "\r\n", true},
	{"\\R{2}", "\r\n", false},
	{"\\R{2}", "\n\n", true},
	{"x{2}{3}", "xxxxxx", false},
	{"x{2}{3}", "xx", true},
	{"{1}x", "x", true},
	{"a||b", "", true},
	{"a||b", "a", true},
	{"a||b", "b", true},
	{"[]a]", "]", true},
	{"[]a]", "a", true},
	{"[\\d-z]", "-", true},
	{"[\\d-z]", "5", true},
	{"[\\d-z]", "z", true},
	{"[\\d-z]", "a", false},
	{"[a-]", "-", true},
	{"(?<=a)b", "ab", false},
	{"a(?=b)b", "ab", true},
	{"a(?!c)b", "ab", true},
	{"a\\b", "a", true},
	{"\\B", "", true},
	{"(?m)^a$", "a", true},
	{"a\\z", "a", true},
	{"a\\Z", "a", true},
	{"a\\Z", "a\n", false},
	{"a$", "a", true},
	{"a$", "a\n", false},
	{"(?i)(?-i:a)b", "aB", true},
	{"(?i)(?-i:a)b", "AB", false},
	{"(?i:a)b", "Ab", true},
	{"(?i:a)b", "AB", false},
	{"a{2,}", "a", false},
	{"a{2,}", "aa", true},
	{"a{2,}", "aaaa", true},
	{"a{1,2}?b", "aab", true},
	{"(a|b)*c", "ababc", true},
	{"(a|b)*c", "abx", false},
	{"[\\p{L}&&[^\\p{Lu}]]+", "abc", true},
	{"[\\p{L}&&[^\\p{Lu}]]+", "aBc", false},
	{"\\G\\w", "a", true},
	{"\\A\\w+\\z", "abc", true},
	{"(?U)\\bx\\b", "x", true},
	{"[^\\s]+", "ab", true},
	{"[^\\s]+", "a b", false},
}
var replaceCases = []struct{ pattern, input, replacement, want, wantErr string }{
	{"(.*)", "orig", "$1", "orig", ""},
	{"(.*)", "orig", "prefix-$1", "prefix-orig", ""},
	{"(.*)", "orig", "$1-suffix", "orig-suffix", ""},
	{"(.*)-(\\d\\d\\d\\d\\d\\d\\d\\d)", "index-20160117", "$1", "index", ""},
	{"foo", "foo", "bar", "bar", ""},
	{"a|ab", "ab", "X", "Xb", ""},
	{"", "abc", "X", "Xabc", ""},
	{"$", "abc", "X", "abcX", ""},
	{"(a)(b)?", "a", "[$2]", "[]", ""},
	{"(a)", "a", "$2", "", "No group 2"},
	{"(a)", "a", "$12", "a2", ""},
	{"(a)", "a", "$0$0", "aa", ""},
	{"(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)", "abcdefghijk", "$11", "k", ""},
	{"(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)", "abcdefghijk", "$111", "k1", ""},
	{"a", "a", "\\$1", "$1", ""},
	{"a", "a", "\\\\", "\\", ""},
	{"a", "a", "x\\", "", "character to be escaped is missing"},
	{"a", "a", "x$", "", "Illegal group reference: group index is missing"},
	{"a", "a", "$x", "", "Illegal group reference"},
	{"a", "a", "${", "", "named capturing group has 0 length name"},
	{"a", "a", "${}", "", "named capturing group has 0 length name"},
	{"(?<n>a)", "a", "${n", "", "named capturing group is missing trailing '}'"},
	{"a", "a", "${1a}", "", "capturing group name {1a} starts with digit character"},
	{"a", "a", "${zz}", "", "No group with name {zz}"},
	{"a", "a", "$-", "", "Illegal group reference"},
	{"x", "abc", "$9", "abc", ""},
	{"x", "abc", "\\", "abc", ""},
	{"(?<n>a)", "a", "${n}${n}", "aa", ""},
	{"(?<year>\\d{4})-(?<month>\\d\\d)", "2024-10", "${month}/${year}", "10/2024", ""},
	{"(?<!\\w*+)x", "ab x", "X", "ab X", ""},
	{"(?<=a|bc)d", "bcd", "X", "bcX", ""},
	{"(?<!a)b", "ab cb", "X", "ab cX", ""},
	{"(?<=(a+?))b", "aab", "<$1>", "aa<a>", ""},
	{"(?<=a*+b)c", "aabc", "X", "aabX", ""},
	{"a$", "a\n", "X", "X\n", ""},
	{"(?m)^a", "b\na", "X", "b\nX", ""},
	{"\\bfoo\\b", "a foo bar", "X", "a X bar", ""},
	{"(?<=a)b", "ab", "X", "aX", ""},
	{"a\\Z", "a\n", "X", "X\n", ""},
	{"(a)|b", "b", "[$1]", "[]", ""},
	{"(?i)T", "topic", "X", "Xopic", ""},
	{"\\u00e9", "caf\u00E9!", "E", "cafE!", ""},
	{"\\x{1F600}", "a\U0001F600b", "$0$0", "a\U0001F600\U0001F600b", ""},
	{"o", "f\U0001F600o", "0", "f\U0001F6000", ""},
	{"a", "ba", "\\\U0001F600", "b\U0001F600", ""},
	{"a", "a", "$\U0001F600", "", "Illegal group reference"},
}

func TestCompileErrorsAsJava(t *testing.T) {
	for _, c := range compileErrorCases {
		_, err := Compile(c.pattern)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Compile(%q) = %v, want a *SyntaxError", c.pattern, err)
			continue
		}
		if se.Unsupported || err.Error() != c.want {
			t.Errorf("Compile(%q):\n got %q\nwant %q", c.pattern, err.Error(), c.want)
		}
	}
}

func TestCompilesAsJava(t *testing.T) {
	for _, p := range compileOKCases {
		if _, err := Compile(p); err != nil {
			t.Errorf("Compile(%q): %v", p, err)
		}
	}
}

func TestMatchesFullyAsJava(t *testing.T) {
	for _, c := range matchCases {
		p, err := Compile(c.pattern)
		if err != nil {
			t.Errorf("Compile(%q): %v", c.pattern, err)
			continue
		}
		got, err := p.MatchesFully(c.input)
		if err != nil || got != c.want {
			t.Errorf("%q matches %q = %v, %v; want %v", c.pattern, c.input, got, err, c.want)
		}
	}
}

func TestReplaceFirstAsJava(t *testing.T) {
	for _, c := range replaceCases {
		p, err := Compile(c.pattern)
		if err != nil {
			t.Errorf("Compile(%q): %v", c.pattern, err)
			continue
		}
		got, err := p.ReplaceFirst(c.input, c.replacement)
		gotErr := ""
		if err != nil {
			gotErr = err.Error()
		}
		if got != c.want || gotErr != c.wantErr {
			t.Errorf("%q.replaceFirst(%q, %q) = %q, %q; want %q, %q", c.pattern, c.input, c.replacement, got, gotErr, c.want, c.wantErr)
		}
	}
}

func TestUnsupportedConstructsNamed(t *testing.T) {
	for _, c := range []struct{ pattern, construct string }{
		{`\X`, `\X (extended grapheme cluster)`},
		{`a\b{g}`, `\b{g} (grapheme cluster boundary)`},
		{`\N{LATIN SMALL LETTER A}`, `\N{LATIN SMALL LETTER A} (character by name)`},
		{`\p{InGreek}`, `\p{InGreek} (Unicode block)`},
		{`\p{blk=Greek}`, `\p{blk=Greek} (Unicode block)`},
		{`(?c)a`, `(?c) (canonical equivalence)`},
		{`\p{javaMirrored}`, `\p{javaMirrored}`},
		{`[a-z_&&]`, `character class intersection without a right-hand operand`},
	} {
		_, err := Compile(c.pattern)
		var se *SyntaxError
		if !errors.As(err, &se) || !se.Unsupported {
			t.Errorf("Compile(%q) = %v, want an unsupported-construct error", c.pattern, err)
			continue
		}
		if want := c.construct + " is not supported by this regex engine"; se.Desc != want {
			t.Errorf("Compile(%q) description %q, want %q", c.pattern, se.Desc, want)
		}
		if !strings.Contains(err.Error(), "\n"+c.pattern) {
			t.Errorf("Compile(%q) message %q does not show the pattern", c.pattern, err)
		}
	}
}

func TestSyntaxErrorMessage(t *testing.T) {
	for _, c := range []struct {
		err  SyntaxError
		want string
	}{
		{SyntaxError{Desc: "d", Pattern: "abc", Index: 1}, "d near index 1\nabc\n ^"},
		{SyntaxError{Desc: "d", Pattern: "abc", Index: 3}, "d near index 3\nabc"},
		{SyntaxError{Desc: "d", Pattern: "abc", Index: -1}, "d\nabc"},
		// The caret check counts UTF-16 units, as Java's String.length().
		{SyntaxError{Desc: "d", Pattern: "\U0001F600", Index: 1}, "d near index 1\n\U0001F600\n ^"},
	} {
		if got := c.err.Error(); got != c.want {
			t.Errorf("%+v: got %q, want %q", c.err, got, c.want)
		}
	}
}

func TestGroupCountAndString(t *testing.T) {
	p := MustCompile(`(a)(?:b)(?<n>c)(?=(d))\Q(e)\E`)
	if p.GroupCount() != 3 || p.String() != `(a)(?:b)(?<n>c)(?=(d))\Q(e)\E` {
		t.Errorf("GroupCount %d String %q", p.GroupCount(), p.String())
	}
}

func TestMustCompilePanics(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Error("MustCompile(\"(\") did not panic")
		}
	}()
	MustCompile("(")
}

// A catastrophically backtracking pattern fails with a TimeoutError after
// MatchTimeout instead of hanging.
func TestMatchTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("takes MatchTimeout")
	}
	p := MustCompile(`(a|aa)+b`)
	input := strings.Repeat("a", 5000) + "c"
	start := time.Now()
	_, err := p.MatchesFully(input)
	var te *TimeoutError
	if !errors.As(err, &te) || te.Timeout != MatchTimeout {
		t.Fatalf("MatchesFully err = %v, want *TimeoutError", err)
	}
	if d := time.Since(start); d > MatchTimeout+2*time.Second {
		t.Errorf("timed out after %v", d)
	}
	if !strings.Contains(err.Error(), "(a|aa)+b") {
		t.Errorf("message %q does not name the pattern", err)
	}
	if _, err := p.ReplaceFirst(input, "x"); !errors.As(err, &te) {
		t.Errorf("ReplaceFirst err = %v, want *TimeoutError", err)
	}
}
