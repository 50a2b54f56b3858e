package simpledate

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The golden tables are java.text.SimpleDateFormat's own answers (JDK 17,
// en_US, UTC), written by testdata/javagen/Gen.java.

// goldenCenturyStart is the two-digit-year window Gen.java sets.
var goldenCenturyStart = time.UnixMilli(-616766400000)

func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 't':
				b.WriteByte('\t')
			case 'n':
				b.WriteByte('\n')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func readTable(t *testing.T, name string, columns int) [][]string {
	t.Helper()
	file, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	var rows [][]string
	sc := bufio.NewScanner(file)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != columns {
			t.Fatalf("%s: bad line %q", name, sc.Text())
		}
		for i := range f {
			f[i] = unescape(f[i])
		}
		rows = append(rows, f)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		t.Fatalf("%s: empty", name)
	}
	return rows
}

func goldenFormat(t *testing.T, pattern string) *Format {
	t.Helper()
	f, err := Compile(pattern)
	if err != nil {
		t.Fatalf("Compile(%q): %v", pattern, err)
	}
	f.SetTwoDigitYearStart(goldenCenturyStart)
	return f
}

func TestGoldenCompile(t *testing.T) {
	for _, row := range readTable(t, "compile.tsv", 3) {
		pattern, kind, want := row[0], row[1], row[2]
		f, err := Compile(pattern)
		switch kind {
		case "OK":
			if err != nil {
				t.Errorf("Compile(%q): %v, want success", pattern, err)
			} else if f.Pattern() != want {
				t.Errorf("Compile(%q).Pattern() = %q, want %q", pattern, f.Pattern(), want)
			}
		case "ERR":
			pe, ok := err.(*PatternError)
			if !ok || pe.Msg != want {
				t.Errorf("Compile(%q) error = %v, want %q", pattern, err, want)
			}
		}
	}
}

func TestGoldenFormat(t *testing.T) {
	formats := map[string]*Format{}
	failures := 0
	for _, row := range readTable(t, "format.tsv", 3) {
		pattern, want := row[0], row[2]
		ms, err := strconv.ParseInt(row[1], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		f := formats[pattern]
		if f == nil {
			f = goldenFormat(t, pattern)
			formats[pattern] = f
		}
		if got := f.FormatMillis(ms); got != want {
			t.Errorf("format %q at %d = %q, want %q", pattern, ms, got, want)
			if failures++; failures > 40 {
				t.Fatal("too many failures")
			}
		}
	}
}

func TestGoldenParse(t *testing.T) {
	failures := 0
	for _, row := range readTable(t, "parse.tsv", 7) {
		pattern, text, result, index, errIndex, after, msg := row[0], row[1], row[2], row[3], row[4], row[5], row[6]
		f := goldenFormat(t, pattern)
		ms, next, gotErrIndex, ok := f.ParsePrefix(text, 0)
		got := "FAIL"
		if ok {
			got = strconv.FormatInt(ms, 10)
		} else {
			next = 0
		}
		gotAfter := f.FormatMillis(1500000000000)
		f2 := goldenFormat(t, pattern)
		_, err := f2.Parse(text)
		gotMsg := "OK"
		if err != nil {
			pe := err.(*ParseError)
			gotMsg = pe.Msg + " @" + strconv.Itoa(pe.ErrorOffset)
		}
		if got != result || strconv.Itoa(next) != index || strconv.Itoa(gotErrIndex) != errIndex || gotAfter != after || gotMsg != msg {
			t.Errorf("parse %q %q:\n got  %s idx=%d err=%d after=%q msg=%q\n want %s idx=%s err=%s after=%q msg=%q",
				pattern, text, got, next, gotErrIndex, gotAfter, gotMsg, result, index, errIndex, after, msg)
			if failures++; failures > 40 {
				t.Fatal("too many failures")
			}
		}
	}
}
