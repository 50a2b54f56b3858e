package simpledate

import (
	"sync"
	"testing"
	"time"
)

// Expected values in this file are worked out from SimpleDateFormat's
// documented behaviour; golden_test.go checks many more against the JDK.

func utcMillis(y int, m time.Month, d, hh, mm, ss, ms int) int64 {
	return time.Date(y, m, d, hh, mm, ss, ms*int(time.Millisecond), time.UTC).UnixMilli()
}

func TestCompileErrors(t *testing.T) {
	tests := []struct{ pattern, want string }{
		{"bad-format", "Illegal pattern character 'b'"},
		{"yyyy-MM-dd'T", "Unterminated quote"},
		{"yyyy'", "Unterminated quote"},
		{"'''", "Unterminated quote"},
		{"XXXX", "invalid ISO 8601 format: length=4"},
		{"XXXX b", "invalid ISO 8601 format: length=4"},
		{"XXXXb", "Illegal pattern character 'b'"}, // the letter is checked before the run of X ends
		{"yyyy-MM-dd T", "Illegal pattern character 'T'"},
		{"q", "Illegal pattern character 'q'"},
	}
	for _, tt := range tests {
		_, err := Compile(tt.pattern)
		pe, ok := err.(*PatternError)
		if !ok || pe.Error() != tt.want {
			t.Errorf("Compile(%q) = %v, want %q", tt.pattern, err, tt.want)
		}
	}
	for _, ok := range []string{"yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "''", "'o''clock'", "", "1234 -/:", "éè yyyy"} {
		if _, err := Compile(ok); err != nil {
			t.Errorf("Compile(%q): %v", ok, err)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		pattern string
		ms      int64
		want    string
	}{
		// TimestampConverterTest's and TimestampRouterTest's values.
		{"yyyy MM dd HH mm ss SSS z", 86401234, "1970 01 02 00 00 01 234 UTC"},
		{"yyyyMMdd", 1483425001864, "20170103"},
		{"EEE, d MMM yyyy HH:mm:ss Z", 0, "Thu, 1 Jan 1970 00:00:00 +0000"},
		{"yyyy-MM-dd'T'HH:mm:ss.SSSXXX", 0, "1970-01-01T00:00:00.000Z"},
		{"X XX XXX", 0, "Z Z Z"},
		{"z zzzz", 0, "UTC Coordinated Universal Time"},
		{"h:mm a", 0, "12:00 AM"},
		{"h:mm a", utcMillis(1970, 1, 1, 12, 0, 0, 0), "12:00 PM"},
		{"k K H", 0, "24 0 0"},
		{"yy yyyy yyyyy", utcMillis(2017, 1, 3, 0, 0, 0, 0), "17 2017 02017"},
		{"M MM MMM MMMM MMMMM", utcMillis(2017, 1, 3, 0, 0, 0, 0), "1 01 Jan January January"},
		{"E EEEE u", utcMillis(2017, 1, 8, 0, 0, 0, 0), "Sun Sunday 7"},
		{"S SS SSS SSSS", 5, "5 05 005 0005"},
		{"'o''clock' ''", 0, "o'clock '"},
		{"D", utcMillis(2020, 12, 31, 0, 0, 0, 0), "366"},
		{"d F", utcMillis(2020, 3, 8, 0, 0, 0, 0), "8 2"},
		// US weeks start on Sunday; week 1 holds January 1.
		{"YYYY-'W'ww-u", utcMillis(2020, 12, 26, 0, 0, 0, 0), "2020-W52-6"},
		{"YYYY-'W'ww-u", utcMillis(2020, 12, 27, 0, 0, 0, 0), "2021-W01-7"},
		{"W", utcMillis(2020, 3, 1, 0, 0, 0, 0), "1"},
		// The Julian calendar before 1582-10-15.
		{"yyyy-MM-dd G", utcMillis(1582, 10, 15, 0, 0, 0, 0), "1582-10-15 AD"},
		{"yyyy-MM-dd G", utcMillis(1582, 10, 15, 0, 0, 0, 0) - 1, "1582-10-04 AD"},
		{"yyyy-MM-dd G", utcMillis(1, 1, 1, 0, 0, 0, 0), "0001-01-03 AD"},
		{"yyyy-MM-dd G", utcMillis(0, 12, 31, 0, 0, 0, 0), "0001-01-02 AD"},
		{"yyyy G", utcMillis(-1, 6, 1, 0, 0, 0, 0), "0002 BC"},
		{"yyyy-MM-dd HH:mm:ss.SSS", -1, "1969-12-31 23:59:59.999"},
	}
	for _, tt := range tests {
		if got := MustCompile(tt.pattern).FormatMillis(tt.ms); got != tt.want {
			t.Errorf("format %q at %d = %q, want %q", tt.pattern, tt.ms, got, tt.want)
		}
	}
	if got := MustCompile("yyyy-MM-dd HH:mm:ss.SSS").Format(time.Date(2020, 1, 2, 3, 4, 5, 678999999, time.FixedZone("x", 3600))); got != "2020-01-02 02:04:05.678" {
		t.Errorf("Format(time.Time) = %q", got)
	}
}

func TestParse(t *testing.T) {
	century := time.Date(1950, 6, 15, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		pattern, text string
		want          int64 // epoch ms; ignored when wantErr
		wantErr       bool
	}{
		{"yyyy MM dd HH mm ss SSS z", "1970 01 02 00 00 01 234 UTC", 86401234, false},
		{"yyyyMMdd", "20170103", utcMillis(2017, 1, 3, 0, 0, 0, 0), false},
		// Fields overflow into the next ones.
		{"yyyy-MM-dd", "2020-13-45", utcMillis(2021, 2, 14, 0, 0, 0, 0), false},
		{"HH:mm", "25:61", utcMillis(1970, 1, 2, 2, 1, 0, 0), false},
		{"yyyy-MM-dd", "2020-02-30", utcMillis(2020, 3, 1, 0, 0, 0, 0), false},
		// Trailing text is ignored; leading blanks before a field are skipped.
		{"yyyy-MM-dd", "2020-01-05 trailing", utcMillis(2020, 1, 5, 0, 0, 0, 0), false},
		{"yyyy-MM-dd", " \t2020-01-05", utcMillis(2020, 1, 5, 0, 0, 0, 0), false},
		{"yyyy-MM-dd", "2020-1-5", utcMillis(2020, 1, 5, 0, 0, 0, 0), false},
		{"yyyy-MM-dd", "2020/01/05", 0, true},
		{"yyyy-MM-dd", "", 0, true},
		{"yyyy-MM-dd", "2020-01-", 0, true},
		// Adjacent numeric fields take exactly their width.
		{"yyyyMMddHHmm", "202001051230", utcMillis(2020, 1, 5, 12, 30, 0, 0), false},
		{"yyyyMMdd", "2017013", utcMillis(2017, 1, 3, 0, 0, 0, 0), false},
		// S is a count of milliseconds, not a fraction.
		{"ss.SSS", "01.5", 1005, false},
		{"SSS", "1234", 1234, false},
		{"hh:mm a", "12:30 AM", utcMillis(1970, 1, 1, 0, 30, 0, 0), false},
		{"hh:mm a", "12:30 pm", utcMillis(1970, 1, 1, 12, 30, 0, 0), false},
		{"k:mm", "24:00", 0, false},
		{"MMM d yyyy", "january 5 2020", utcMillis(2020, 1, 5, 0, 0, 0, 0), false},
		{"MMMM d yyyy", "Sep 5 2020", utcMillis(2020, 9, 5, 0, 0, 0, 0), false},
		{"EEE, d MMM yyyy HH:mm:ss Z", "Wed, 4 Jul 2001 12:08:56 -0700", utcMillis(2001, 7, 4, 19, 8, 56, 0), false},
		{"yyyy-MM-dd'T'HH:mm:ss.SSSZ", "2020-01-01T10:00:00.000+0200", utcMillis(2020, 1, 1, 8, 0, 0, 0), false},
		{"yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2020-01-01T10:00:00.000+05:30", utcMillis(2020, 1, 1, 4, 30, 0, 0), false},
		{"yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2020-01-01T10:00:00.000Z", utcMillis(2020, 1, 1, 10, 0, 0, 0), false},
		{"yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2020-01-01T10:00:00.000+0530", 0, true},
		{"HH:mm z", "10:00 GMT+05:30", utcMillis(1970, 1, 1, 4, 30, 0, 0), false},
		{"HH:mm z", "10:00 -0100", utcMillis(1970, 1, 1, 11, 0, 0, 0), false},
		// Two-digit years fall in [1950-06-15T12:00Z, +100 years).
		{"yy-MM-dd", "49-12-31", utcMillis(2049, 12, 31, 0, 0, 0, 0), false},
		{"yy-MM-dd", "51-01-01", utcMillis(1951, 1, 1, 0, 0, 0, 0), false},
		{"yy-MM-dd", "50-06-14", utcMillis(2050, 6, 14, 0, 0, 0, 0), false},
		{"yy-MM-dd", "50-06-16", utcMillis(1950, 6, 16, 0, 0, 0, 0), false},
		{"yy-MM-dd", "2020-01-05", utcMillis(2020, 1, 5, 0, 0, 0, 0), false}, // not two digits: literal
		{"yy", "５", utcMillis(5, 1, 1, 0, 0, 0, 0) - 2*msPerDay, false},      // Julian year 5, any Unicode digit
		{"'o''clock' h", "o'clock 5", utcMillis(1970, 1, 1, 5, 0, 0, 0), false},
	}
	for _, tt := range tests {
		f := MustCompile(tt.pattern)
		f.SetTwoDigitYearStart(century)
		got, err := f.Parse(tt.text)
		if tt.wantErr {
			want := `Unparseable date: "` + tt.text + `"`
			if pe, ok := err.(*ParseError); !ok || pe.Error() != want {
				t.Errorf("Parse(%q, %q) = %v, %v; want error %q", tt.pattern, tt.text, got, err, want)
			}
			continue
		}
		if err != nil || got.UnixMilli() != tt.want || got.Location() != time.UTC {
			t.Errorf("Parse(%q, %q) = %v (%d), %v; want %d", tt.pattern, tt.text, got, got.UnixMilli(), err, tt.want)
		}
	}
}

func TestParsePrefix(t *testing.T) {
	f := MustCompile("yyyy-MM-dd")
	ms, next, errIndex, ok := f.ParsePrefix("x 2020-01-05 rest", 2)
	if !ok || ms != utcMillis(2020, 1, 5, 0, 0, 0, 0) || next != 12 || errIndex != -1 {
		t.Errorf("ParsePrefix = %d %d %d %v", ms, next, errIndex, ok)
	}
	_, next, errIndex, ok = f.ParsePrefix("2020-01+05", 0)
	if ok || next != 0 || errIndex != 7 {
		t.Errorf("ParsePrefix failure = %d %d %v", next, errIndex, ok)
	}
}

func TestTwoDigitYearsDefaultToEightyYearsBack(t *testing.T) {
	now := time.Now().UTC()
	f := MustCompile("yy")
	// Two years inside the window, away from its ambiguous edge.
	for _, year := range []int{now.Year() - 79, now.Year() + 19} {
		text := string(rune('0'+year%100/10)) + string(rune('0'+year%10))
		got, err := f.Parse(text)
		if err != nil || got.Year() != year {
			t.Errorf("Parse(%q) = %v, %v; want year %d", text, got, err, year)
		}
	}
}

// A parsed zone name switches the format to that zone, as Java's
// SimpleDateFormat.setTimeZone call inside parse does.
func TestParsedZoneNameSwitchesTheFormatsZone(t *testing.T) {
	f := MustCompile("yyyy-MM-dd HH:mm z")
	got, err := f.Parse("2020-07-01 10:00 PDT")
	if err != nil || got.UnixMilli() != utcMillis(2020, 7, 1, 17, 0, 0, 0) {
		t.Fatalf("Parse = %v, %v", got, err)
	}
	if z := f.TimeZone(); z != "America/Los_Angeles" {
		t.Errorf("TimeZone() = %q", z)
	}
	if s := f.FormatMillis(0); s != "1969-12-31 16:00 PST" {
		t.Errorf("format after parse = %q", s)
	}
	if s := f.FormatMillis(utcMillis(2020, 7, 1, 17, 0, 0, 0)); s != "2020-07-01 10:00 PDT" {
		t.Errorf("format after parse = %q", s)
	}
	// A numeric zone sets the offset without switching.
	if _, err := f.Parse("2020-07-01 10:00 GMT+01:00"); err != nil {
		t.Fatal(err)
	}
	if z := f.TimeZone(); z != "America/Los_Angeles" {
		t.Errorf("TimeZone() after a numeric zone = %q", z)
	}
	if _, err := f.Parse("2020-07-01 10:00 UTC"); err != nil {
		t.Fatal(err)
	}
	if s := f.FormatMillis(0); s != "1970-01-01 00:00 UTC" {
		t.Errorf("format after parsing UTC = %q", s)
	}
}

func TestConcurrentUse(t *testing.T) {
	f := MustCompile("yyyy-MM-dd HH:mm:ss.SSS z")
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 200 {
				ms := int64(i*1000003+j) * 86400013
				s := f.FormatMillis(ms)
				got, err := f.Parse(s)
				if err != nil || got.UnixMilli() != ms {
					t.Errorf("round trip %d: %q -> %v, %v", ms, s, got, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func FuzzParse(f *testing.F) {
	f.Add("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2020-01-01T10:00:00.000+05:30")
	f.Add("YYYY-'W'ww-u", "2021-W01--2147483648")
	f.Add("yyyy MM dd HH mm ss SSS z", "1970 01 02 00 00 01 234 Pacific Daylight Time")
	f.Add("D w W F E u a h K k z Z X", "1 2 3 4 Mon 7 PM 12 11 24 GMT-0800 Z")
	f.Add("yyyyMMdd", "1E2147483647")
	f.Fuzz(func(t *testing.T, pattern, text string) {
		fm, err := Compile(pattern)
		if err != nil {
			return
		}
		if tm, err := fm.Parse(text); err == nil {
			fm.Format(tm)
		}
		fm.FormatMillis(int64(len(text)) * 1e12)
	})
}
